//! Known answers on small hand-made statements, properties of the arithmetic and the
//! score, and the open-banking personas ordered as their READMEs state.

use std::path::Path;

use chrono::NaiveDate;
use proptest::prelude::*;
use statera_analyze::categorise::Categoriser;
use statera_analyze::report::{Report, build};
use statera_analyze::score::Scaling;
use statera_model::{
    Amount, Confidence, Currency, Direction, Forensics, Pages, Reconciliation, Statement,
    Transaction,
};

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// A KES statement from `(date, description, signed amount in shillings)` rows, with a
/// running balance from `opening`.
fn statement(opening: i64, rows: &[(&str, &str, i64)]) -> Statement {
    let mut balance = opening * 100;
    let transactions = rows
        .iter()
        .enumerate()
        .map(|(i, (d, description, amount))| {
            balance += amount * 100;
            Transaction {
                date: date(d),
                time: None,
                reference: None,
                description: (*description).to_owned(),
                status: None,
                amount: Amount::from_minor(amount.abs() * 100, 2),
                direction: if *amount >= 0 {
                    Direction::Credit
                } else {
                    Direction::Debit
                },
                balance: Some(Amount::from_minor(balance, 2)),
                page: 1,
                line: i as u32 + 1,
            }
        })
        .collect();
    Statement {
        format: "test".into(),
        layout: "test".into(),
        provider: "test".into(),
        institution: None,
        account_holder: None,
        account_number: None,
        email: None,
        account_type: None,
        currency: Currency::KES,
        period: None,
        request_date: None,
        opening_balance: Some(Amount::from_minor(opening * 100, 2)),
        closing_balance: Some(Amount::from_minor(balance, 2)),
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

fn report(statements: &[Statement]) -> Report {
    build(
        statements,
        None,
        Categoriser::built_in(),
        Scaling::default(),
    )
    .unwrap()
}

fn kes(shillings: i64) -> Amount {
    Amount::from_minor(shillings * 100, 2)
}

const SALARY: &str = "Salary Payment from 123456 - ACME LOGISTICS LTD";

fn three_months() -> Vec<(&'static str, &'static str, i64)> {
    vec![
        ("2024-01-25", SALARY, 50_000),
        (
            "2024-01-26",
            "Pay Bill Online to 888880 - KPLC PREPAID Acc. 54321678901",
            -2_000,
        ),
        (
            "2024-01-27",
            "Pay Bill Online to 955100 - SPORTPESA Acc. 0712345678",
            -1_000,
        ),
        (
            "2024-02-01",
            "Customer Transfer to - 07******123 JANE LANDLORD",
            -15_000,
        ),
        ("2024-02-25", SALARY, 50_000),
        (
            "2024-02-27",
            "Pay Bill Online to 955100 - SPORTPESA Acc. 0712345678",
            -1_000,
        ),
        (
            "2024-03-01",
            "Customer Transfer to - 07******123 JANE LANDLORD",
            -15_000,
        ),
        ("2024-03-25", SALARY, 50_000),
    ]
}

#[test]
fn known_answers_on_a_three_month_statement() {
    let r = report(&[statement(1_000, &three_months())]);
    let a = &r.analysis;
    assert_eq!(a.summary.total_in, kes(150_000));
    assert_eq!(a.summary.total_out, kes(34_000));
    assert_eq!(a.summary.transaction_count, 8);
    assert_eq!(a.summary.months_covered, 3);
    assert_eq!(a.summary.zero_balance_rate_percentage, 0.0);
    assert_eq!(a.cashflow[0].month, "2024-01");
    assert_eq!(a.cashflow[0].total_in, kes(50_000));
    assert_eq!(a.cashflow[0].total_out, kes(3_000));
    assert_eq!(a.cashflow[0].closing_balance, Some(kes(48_000)));
    assert_eq!(a.cashflow[1].opening_balance, Some(kes(48_000)));
    assert_eq!(a.cashflow[1].minimum_balance, Some(kes(33_000)));
    assert_eq!(a.cashflow_averages.monthly_in, kes(50_000));
    let salary = a.income.salary.as_ref().expect("a monthly salary");
    assert_eq!(salary.average_amount, kes(50_000));
    assert_eq!(salary.months_paid, 3);
    assert_eq!(salary.typical_day, 25);
    assert_eq!(a.gambling.stakes, kes(2_000));
    assert_eq!(a.gambling.bets, 2);
    assert_eq!(
        a.gambling.share_of_income_percentage,
        round2(100.0 * 2_000.0 / 150_000.0)
    );
    assert_eq!(a.income.total, kes(150_000));
    assert_eq!(a.true_revenue.true_revenue, kes(150_000));
    assert!((300..=850).contains(&r.credit_score.score));
    assert_eq!(
        r.credit_score.reasons.len().min(4),
        r.credit_score.reasons.len()
    );
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[test]
fn loans_per_lender_and_their_status() {
    let rows = vec![
        (
            "2024-01-05",
            "Business Payment from 851900 - TALA via API. Original conversation ID is AB12",
            5_000,
        ),
        (
            "2024-01-20",
            "Pay Bill Online to 851900 - TALA Acc. 0712345678",
            -5_600,
        ),
        (
            "2024-02-05",
            "Business Payment from 851900 - TALA via API. Original conversation ID is CD34",
            8_000,
        ),
        (
            "2024-02-15",
            "Pay Bill Online to 851900 - TALA Acc. 0712345678",
            -2_000,
        ),
    ];
    let r = report(&[statement(10_000, &rows)]);
    let tala = r
        .analysis
        .loans
        .lenders
        .iter()
        .find(|l| l.lender.to_uppercase().contains("TALA"))
        .expect("Tala");
    assert_eq!(tala.disbursed, kes(13_000));
    assert_eq!(tala.repaid, kes(7_600));
    assert_eq!(tala.status, "Active");
    assert_eq!(tala.estimated_outstanding, kes(5_400));
    assert_eq!(r.analysis.loans.concurrent_lenders, 1);
    // Loan money is not income and not true revenue.
    assert_eq!(r.analysis.income.total, kes(0));
    assert_eq!(r.analysis.true_revenue.loan_proceeds, kes(13_000));
}

#[test]
fn known_answers_for_recurring_payments_overdraft_fees_failures_and_metrics() {
    let rows = vec![
        ("2024-01-25", SALARY, 40_000),
        (
            "2024-01-28",
            "Pay Bill Online to 888880 - KPLC PREPAID Acc. 54321678901",
            -3_000,
        ),
        ("2024-01-28", "Pay Bill Charge", -30),
        ("2024-02-25", SALARY, 40_000),
        (
            "2024-02-27",
            "Pay Bill Online to 888880 - KPLC PREPAID Acc. 54321678901",
            -3_000,
        ),
        ("2024-02-27", "Pay Bill Charge", -30),
        ("2024-03-10", "OverDraft of Credit Party", 2_000),
        (
            "2024-03-10",
            "Merchant Payment to 5123456 - NAIVAS SUPERMARKET",
            -2_000,
        ),
        ("2024-03-12", "PAYMENT RETURNED INSUFFICIENT FUNDS", -500),
        ("2024-03-25", SALARY, 40_000),
        (
            "2024-03-25",
            "OD Loan Repayment to 232323 - M-PESA Overdraw",
            -2_020,
        ),
        (
            "2024-03-28",
            "Pay Bill Online to 888880 - KPLC PREPAID Acc. 54321678901",
            -3_000,
        ),
    ];
    let r = report(&[statement(0, &rows)]);
    let a = &r.analysis;
    // Recurring: KPLC monthly on the 27th–28th, 3,000 every time.
    let kplc = a
        .recurring_payments
        .iter()
        .find(|p| p.counterparty.contains("KPLC"))
        .expect("KPLC recurs");
    assert_eq!(kplc.periodicity, "monthly");
    assert_eq!(kplc.count, 3);
    assert_eq!(kplc.average_amount, kes(3_000));
    assert_eq!(kplc.amount_stability, 1.0);
    assert_eq!(kplc.due_days, vec![27, 28]);
    // Overdraft: one draw of 2,000 and one repayment of 2,020.
    assert_eq!((a.overdraft.draws, a.overdraft.drawn), (1, kes(2_000)));
    assert_eq!(
        (a.overdraft.repayments, a.overdraft.repaid),
        (1, kes(2_020))
    );
    // Fees and failures.
    assert_eq!((a.risks.fees_count, a.risks.fees_total), (2, kes(60)));
    assert_eq!(a.risks.failed_payments, 1);
    // True revenue: the overdraft draw is not revenue.
    assert_eq!(a.true_revenue.gross_inflows, kes(122_000));
    assert_eq!(a.true_revenue.loan_proceeds, kes(2_000));
    assert_eq!(a.true_revenue.true_revenue, kes(120_000));
    // Lending metrics: 2,020 of debt service over three months of 40,000 income.
    assert_eq!(a.income.average_monthly, kes(40_000));
    assert_eq!(a.lending_metrics.debt_to_income, round3(673.33 / 40_000.0));
    assert_eq!(a.lending_metrics.cash_flow_sufficiency_score, 100.0);
    // Affordability: half of income − essential spending (KPLC 9,000 and NAIVAS 2,000 over
    // three months) − debt service, per month.
    let monthly_essential = 11_000.0 / 3.0;
    let expected = (40_000.0 - monthly_essential - 2_020.0 / 3.0) / 2.0;
    let got = a.lending_metrics.affordability.minor() as f64 / 100.0;
    assert!(
        (got - expected).abs() < 0.02,
        "affordability {got} vs {expected}"
    );
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[test]
fn overlapping_statements_merge_without_double_counting() {
    let rows = three_months();
    let first = statement(1_000, &rows[..5]);
    let second = statement(1_000, &rows[3..]);
    let merged = report(&[first, second]);
    let single = report(&[statement(1_000, &rows)]);
    assert_eq!(merged.analysis.duplicates_removed, 2);
    assert_eq!(
        merged.analysis.summary.total_in,
        single.analysis.summary.total_in
    );
    assert_eq!(merged.analysis.summary.transaction_count, 8);
}

#[test]
fn the_same_input_gives_the_same_report() {
    let a = serde_json::to_string(&report(&[statement(1_000, &three_months())])).unwrap();
    let b = serde_json::to_string(&report(&[statement(1_000, &three_months())])).unwrap();
    assert_eq!(a, b);
}

proptest! {
    #[test]
    fn totals_and_months_add_up_and_scores_stay_in_bounds(
        moves in proptest::collection::vec((0i64..120, -20_000i64..20_000), 1..60)
    ) {
        let mut rows: Vec<(String, i64)> = moves
            .iter()
            .map(|(day, amount)| ((date("2024-01-01") + chrono::Duration::days(*day)).to_string(), *amount))
            .collect();
        rows.sort();
        let borrowed: Vec<(&str, &str, i64)> = rows.iter().map(|(d, a)| (d.as_str(), "Some payment", *a)).collect();
        let r = report(&[statement(5_000, &borrowed)]);
        let a = &r.analysis;
        let month_in = a.cashflow.iter().fold(Amount::zero(2), |s, m| s.checked_add(m.total_in).unwrap());
        let month_out = a.cashflow.iter().fold(Amount::zero(2), |s, m| s.checked_add(m.total_out).unwrap());
        prop_assert_eq!(month_in, a.summary.total_in);
        prop_assert_eq!(month_out, a.summary.total_out);
        let credits: i64 = moves.iter().filter(|m| m.1 >= 0).map(|m| m.1).sum();
        prop_assert_eq!(a.summary.total_in, kes(credits));
        prop_assert!((300..=850).contains(&r.credit_score.score));
        prop_assert!(r.credit_score.reasons.len() <= 4);
        prop_assert!(r.fraud.score <= 100);
    }

    #[test]
    fn more_gambling_never_raises_the_score(stakes in 1i64..40) {
        let base = three_months();
        let mut more = base.clone();
        for _ in 0..stakes {
            more.push(("2024-03-26", "Pay Bill Online to 955100 - SPORTPESA Acc. 0712345678", -1_000));
        }
        let a = report(&[statement(1_000, &base)]).credit_score.score;
        let b = report(&[statement(1_000, &more)]).credit_score.score;
        prop_assert!(b <= a, "{b} > {a}");
    }
}

#[test]
fn personas_are_ordered_as_their_readme_says() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/algoan-fake-open-banking/samples/en");
    if !dir.is_dir() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI requires ../shared/data"
        );
        eprintln!("skipped: {} is not present", dir.display());
        return;
    }
    let score = |name: &str| {
        let bytes = std::fs::read(dir.join(name)).unwrap();
        let statements =
            statera_extract::extract_all(&bytes, &statera_extract::Options::default()).unwrap();
        report(&statements).credit_score.score
    };
    let good = score("sherlock_holmes.json");
    let risky = score("james_watson.json");
    assert!(
        good > risky,
        "Sherlock Holmes (good) {good} ≤ James Watson (risky) {risky}"
    );
}

/// Health on the three-month statement, worked by hand: every month's net is positive
/// (25/25), no day at or below zero (20/20), end-of-day balances 51, 49, 48, 33, 83, 82,
/// 67, 117 thousand have σ = 25.183 and μ = 66.25, so the volatility index is
/// 25.183 / 91.433 = 0.275 (15 × 0.725 → 11/15), no debt (20/20), no failed payment
/// (10/10), and three months are too few for a trend (5/10): 91 points, grade A+.
#[test]
fn health_grade_and_risk_known_answers() {
    let r = report(&[statement(1_000, &three_months())]);
    let h = &r.health;
    assert_eq!(h.balance_volatility_index, Some(0.275));
    let points: Vec<(&str, u32)> = h.components.iter().map(|c| (c.name, c.points)).collect();
    assert_eq!(
        points,
        [
            ("months_with_positive_net_cash_flow", 25),
            ("share_of_days_at_zero_or_negative", 20),
            ("balance_volatility_index", 11),
            ("debt_to_revenue", 20),
            ("failed_payments", 10),
            ("revenue_trend", 5),
        ]
    );
    assert_eq!((h.points, h.grade), (91, "A+"));
    assert_eq!((h.stacking_risk, h.active_lenders), ("LOW", 0));
    assert_eq!(h.monthly_debt_service, kes(0));
    assert_eq!(r.risk.score, 9.max(r.fraud.score));
}

/// Three lenders with money still out: stacking risk HIGH, and their repayments are debt
/// service against revenue.
#[test]
fn three_active_lenders_are_high_stacking_risk() {
    let mut rows = three_months();
    for (day, lender) in [
        ("2024-02-02", "TALA"),
        ("2024-02-03", "ZENKA"),
        ("2024-02-04", "BRANCH"),
    ] {
        rows.push((
            day,
            match lender {
                "TALA" => "Business Payment from 851900 - TALA via API. Original conversation ID is AB12",
                "ZENKA" => "Business Payment from 4096767 - ZENKA DIGITAL via API. Original conversation ID is CD34",
                _ => "Business Payment from 998608 - BRANCH INTERNATIONAL via API. Original conversation ID is EF56",
            },
            10_000,
        ));
    }
    rows.push((
        "2024-03-05",
        "Pay Bill Online to 851900 - TALA Acc. 0712345678",
        -3_000,
    ));
    rows.sort_by_key(|r| r.0);
    let r = report(&[statement(1_000, &rows)]);
    assert_eq!(
        r.analysis.loans.concurrent_lenders, 3,
        "{:?}",
        r.analysis.loans
    );
    assert_eq!(r.health.stacking_risk, "HIGH");
    assert_eq!(r.health.monthly_debt_service, kes(1_000));
    // 1,000 a month against 50,000 of true revenue a month.
    assert_eq!(r.health.debt_to_revenue, Some(0.02));
}

/// Debt service with no revenue at all is unbounded, not zero: no points for it.
#[test]
fn debt_without_revenue_earns_no_debt_points() {
    let rows = vec![
        (
            "2024-01-20",
            "Pay Bill Online to 851900 - TALA Acc. 0712345678",
            -2_000,
        ),
        (
            "2024-02-20",
            "Pay Bill Online to 851900 - TALA Acc. 0712345678",
            -2_000,
        ),
    ];
    let r = report(&[statement(10_000, &rows)]);
    assert_eq!(r.health.debt_to_revenue, None);
    let debt = r
        .health
        .components
        .iter()
        .find(|c| c.name == "debt_to_revenue")
        .unwrap();
    assert_eq!(debt.points, 0);
    let json = serde_json::to_value(&r.health).unwrap();
    assert!(json["debt_to_revenue"].is_null());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Hostile statements (a Statement JSON can say anything): any amount, balance and date
    /// ends in a report whose scores stay in bounds, never a panic or an overflow.
    #[test]
    fn extreme_statements_never_panic(
        rows in proptest::collection::vec(
            (-40_000i32..40_000, any::<i64>(), any::<bool>(), proptest::option::of(any::<i64>())),
            1..40,
        ),
        opening in proptest::option::of(any::<i64>()),
    ) {
        let mut s = statement(0, &[]);
        s.opening_balance = opening.map(|b| Amount::from_minor(b, 2));
        s.closing_balance = None;
        s.transactions = rows
            .iter()
            .enumerate()
            .map(|(i, (day, amount, credit, balance))| Transaction {
                date: date("2000-01-01") + chrono::Duration::days(i64::from(*day)),
                time: None,
                reference: None,
                description: format!("Payment {i} to SPORTPESA Acc. 07{day}"),
                status: None,
                amount: Amount::from_minor(amount.checked_abs().unwrap_or(i64::MAX), 2),
                direction: if *credit { Direction::Credit } else { Direction::Debit },
                balance: balance.map(|b| Amount::from_minor(b, 2)),
                page: 1,
                line: i as u32 + 1,
            })
            .collect();
        s.transactions.sort_by_key(|t| t.date);
        if let Ok(r) = build(&[s], None, Categoriser::built_in(), Scaling::default()) {
            prop_assert!((300..=850).contains(&r.credit_score.score));
            prop_assert!(r.open_banking_score.value <= 1000);
            prop_assert!(r.health.points <= 100);
            prop_assert!(r.risk.score <= 100);
        }
    }
}
