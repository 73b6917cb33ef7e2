//! Analysing 1k, 10k and 100k transactions end to end (ledger, categorisation, analysis,
//! fraud report, score). `cargo bench -p statera-analyze`. Target: 100k under 200 ms on
//! one core.

use chrono::NaiveDate;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use statera_analyze::categorise::Categoriser;
use statera_analyze::report::build;
use statera_analyze::score::Scaling;
use statera_model::{
    Amount, Confidence, Currency, Direction, Forensics, Pages, Reconciliation, Statement,
    Transaction,
};

const DESCRIPTIONS: &[(&str, bool)] = &[
    ("Funds received from - 2547******456 John Kamau", true),
    ("Customer Transfer to - 07******123 JANE DOE", false),
    (
        "Pay Bill Online to 888880 - KPLC PREPAID Acc. 54321678901",
        false,
    ),
    ("Merchant Payment to 5123456 - NAIVAS SUPERMARKET", false),
    (
        "Customer Withdrawal At Agent Till 123456 - WAMBUI AGENCIES KASARANI",
        false,
    ),
    (
        "Business Payment from 300600 - Equity Bulk Account via API. Original conversation ID is AG_2024",
        true,
    ),
    ("Pay Bill Charge", false),
    ("Airtime Purchase", false),
    ("OverDraft of Credit Party", true),
    (
        "Pay Bill Online to 955100 - SPORTPESA Acc. 0712345678",
        false,
    ),
    ("Salary Payment from 123456 - ACME LOGISTICS LTD", true),
    ("M-Shwari Deposit", false),
];

fn statement(n: usize) -> Statement {
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let mut balance: i64 = 10_000_000;
    let transactions = (0..n)
        .map(|i| {
            let (description, credit) = DESCRIPTIONS[i % DESCRIPTIONS.len()];
            // Vary the numbers so descriptions are not all identical.
            let description = format!("{description} {}", i % 997);
            let minor = 1_000 + (i as i64 * 7_919) % 500_000;
            balance += if credit { minor } else { -minor };
            Transaction {
                date: start + chrono::Duration::days((i * 365 / n.max(1)) as i64),
                time: None,
                reference: None,
                description,
                status: None,
                amount: Amount::from_minor(minor, 2),
                direction: if credit {
                    Direction::Credit
                } else {
                    Direction::Debit
                },
                balance: Some(Amount::from_minor(balance, 2)),
                page: 1,
                line: i as u32,
            }
        })
        .collect();
    Statement {
        format: "bench".into(),
        layout: "bench".into(),
        provider: "bench".into(),
        institution: None,
        account_holder: None,
        account_number: None,
        email: None,
        account_type: None,
        currency: Currency::KES,
        period: None,
        request_date: None,
        opening_balance: Some(Amount::from_minor(10_000_000, 2)),
        closing_balance: None,
        declared_totals: None,
        summary: Vec::new(),
        pages: Pages::default(),
        pdf: None,
        transactions,
        reconciliation: Reconciliation::default(),
        confidence: Confidence::default(),
        forensics: Forensics::default(),
        reading: None,
    }
}

fn bench(c: &mut Criterion) {
    let categoriser = Categoriser::built_in();
    let mut group = c.benchmark_group("analyze");
    for n in [1_000, 10_000, 100_000] {
        let statements = [statement(n)];
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &statements, |b, s| {
            b.iter(|| build(s, None, categoriser, Scaling::default()))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
