//! Validates the credit score on real outcomes: the Berka (PKDD'99) loans with every
//! pre-loan transaction (`../shared/data/berka-loans-dev`). Each loan's history becomes a
//! Statement, is analysed and scored as of the loan date, and the scores are compared with
//! how the loans ended: AUC with a bootstrap 95% interval, KS, and the bad rate per tier.
//!
//! Run: `scripts/validate-berka` (or `cargo run --release -p statera-analyze --example
//! berka -- DIR`). Reads files, so it is an example, not part of the pure crate.

use std::collections::BTreeMap;
use std::io::Read;

use chrono::NaiveDate;
use statera_analyze::categorise::Categoriser;
use statera_analyze::report;
use statera_analyze::score::{Scaling, TIERS};
use statera_model::{
    Amount, Confidence, Currency, Direction, Forensics, Pages, Reconciliation, Statement,
    Transaction,
};

struct Loan {
    id: String,
    date: NaiveDate,
    bad: bool,
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/data/berka-loans-dev".into());
    let loans_text = std::fs::read_to_string(format!("{dir}/loans.csv"))
        .unwrap_or_else(|e| panic!("cannot read {dir}/loans.csv: {e}"));
    let mut loans = Vec::new();
    for line in loans_text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        loans.push(Loan {
            id: f[0].to_owned(),
            date: f[2].parse().expect("loan date"),
            bad: f[7] == "1",
        });
    }
    let mut gz = Vec::new();
    flate2::read::GzDecoder::new(
        std::fs::File::open(format!("{dir}/transactions.csv.gz")).expect("transactions"),
    )
    .read_to_end(&mut gz)
    .expect("gunzip");
    let text = String::from_utf8(gz).expect("utf-8");
    let mut by_loan: BTreeMap<String, Vec<Transaction>> = BTreeMap::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (date, kind, operation, amount, balance, symbol, loan) =
            (f[2], f[3], f[4], f[5], f[6], f[7], f[10]);
        let parse = |t: &str| Amount::parse_with_scale(t, 2).expect("amount");
        let description = [operation, symbol]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        by_loan
            .entry(loan.to_owned())
            .or_default()
            .push(Transaction {
                date: date.parse().expect("date"),
                time: None,
                reference: None,
                description: if description.is_empty() {
                    "transaction".into()
                } else {
                    description
                },
                status: None,
                amount: parse(amount),
                direction: if kind == "credit" {
                    Direction::Credit
                } else {
                    Direction::Debit
                },
                balance: Some(parse(balance)),
                page: 0,
                line: i as u32 + 1,
            });
    }

    let categoriser = Categoriser::built_in();
    let mut scored: Vec<(u32, bool, &'static str)> = Vec::new();
    // Per characteristic: (points, bad) to show which ones separate the outcomes.
    let mut by_feature: BTreeMap<&'static str, Vec<(f64, bool)>> = BTreeMap::new();
    for loan in &loans {
        let Some(transactions) = by_loan.get(&loan.id) else {
            continue;
        };
        let currency = Currency::parse("CZK").expect("CZK");
        let statement = Statement {
            format: "csv".into(),
            layout: "berka".into(),
            provider: "berka".into(),
            institution: None,
            account_holder: None,
            account_number: None,
            email: None,
            account_type: Some("checking".into()),
            currency,
            period: None,
            request_date: None,
            opening_balance: Some(Amount::zero(2)),
            closing_balance: transactions.last().and_then(|t| t.balance),
            declared_totals: None,
            summary: Vec::new(),
            pages: Pages::default(),
            pdf: None,
            transactions: transactions.clone(),
            reconciliation: Reconciliation::default(),
            confidence: Confidence::default(),
            forensics: Forensics::default(),
            reading: None,
        };
        let Ok(report) = report::build(
            &[statement],
            Some(loan.date),
            categoriser,
            Scaling::default(),
        ) else {
            continue;
        };
        for f in &report.credit_score.features {
            by_feature
                .entry(f.feature)
                .or_default()
                .push((f.points, loan.bad));
        }
        scored.push((
            report.credit_score.score,
            loan.bad,
            report.credit_score.risk_tier.tier,
        ));
    }

    let bads = scored.iter().filter(|s| s.1).count();
    println!(
        "Berka development split: {} loans scored, {} bad",
        scored.len(),
        bads
    );
    let auc_of = |sample: &[(u32, bool, &str)]| auc(sample);
    let point = auc_of(&scored);
    // Bootstrap with a fixed seed so the table is reproducible.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut aucs: Vec<f64> = (0..1000)
        .map(|_| {
            let sample: Vec<(u32, bool, &str)> = (0..scored.len())
                .map(|_| scored[(next() % scored.len() as u64) as usize])
                .collect();
            auc_of(&sample)
        })
        .filter(|a| a.is_finite())
        .collect();
    aucs.sort_by(f64::total_cmp);
    let lo = aucs[(aucs.len() as f64 * 0.025) as usize];
    let hi = aucs[(aucs.len() as f64 * 0.975) as usize];
    println!(
        "AUC {point:.3} (95% bootstrap interval {lo:.3}–{hi:.3}), KS {:.3}",
        ks(&scored)
    );
    println!("\n| characteristic | AUC of its points alone |\n|---|---|");
    for (feature, points) in &by_feature {
        let as_scores: Vec<(u32, bool, &str)> = points
            .iter()
            .map(|(p, bad)| (((p + 1000.0) * 10.0) as u32, *bad, ""))
            .collect();
        println!("| {feature} | {:.3} |", auc(&as_scores));
    }
    println!("\n| tier | loans | bad | bad rate |\n|---|---|---|---|");
    for tier in TIERS.iter() {
        let in_tier: Vec<_> = scored.iter().filter(|s| s.2 == tier.tier).collect();
        let bad = in_tier.iter().filter(|s| s.1).count();
        let rate = if in_tier.is_empty() {
            0.0
        } else {
            100.0 * bad as f64 / in_tier.len() as f64
        };
        println!(
            "| {} | {} | {} | {:.1}% |",
            tier.tier,
            in_tier.len(),
            bad,
            rate
        );
    }
}

/// Probability that a good loan scores above a bad one (ties count half).
fn auc(sample: &[(u32, bool, &str)]) -> f64 {
    let goods: Vec<u32> = sample.iter().filter(|s| !s.1).map(|s| s.0).collect();
    let bads: Vec<u32> = sample.iter().filter(|s| s.1).map(|s| s.0).collect();
    if goods.is_empty() || bads.is_empty() {
        return f64::NAN;
    }
    let mut wins = 0.0;
    for g in &goods {
        for b in &bads {
            wins += if g > b {
                1.0
            } else if g == b {
                0.5
            } else {
                0.0
            };
        }
    }
    wins / (goods.len() * bads.len()) as f64
}

/// Largest gap between the cumulative score distributions of bad and good loans.
fn ks(sample: &[(u32, bool, &str)]) -> f64 {
    let goods = sample.iter().filter(|s| !s.1).count().max(1) as f64;
    let bads = sample.iter().filter(|s| s.1).count().max(1) as f64;
    let mut scores: Vec<u32> = sample.iter().map(|s| s.0).collect();
    scores.sort_unstable();
    scores.dedup();
    scores
        .iter()
        .map(|cut| {
            let g = sample.iter().filter(|s| !s.1 && s.0 <= *cut).count() as f64 / goods;
            let b = sample.iter().filter(|s| s.1 && s.0 <= *cut).count() as f64 / bads;
            (b - g).abs()
        })
        .fold(0.0, f64::max)
}
