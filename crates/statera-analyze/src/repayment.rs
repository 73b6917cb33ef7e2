//! The repayment score of seed 001: given an instalment plan (a monthly due day and
//! amount) and the payments made, score each month and the whole period.
//!
//! The rules, as the seed's example implies them:
//! * Each month in the period has one due date: `expectedPaymentDay`, clamped to the
//!   month's last day. Months whose due date falls outside `[paymentStartDate,
//!   paymentEndDate]` are not scored.
//! * A payment belongs to the first due date on or after it (paid early or on time). The
//!   first due date also takes payments made before `paymentStartDate` when
//!   `scoreBeforeStartDate` is true; otherwise those are ignored.
//! * The running balance moves by the payments of the month minus the instalment:
//!   positive is credit (paid ahead), negative is arrears.
//! * A month left in arrears at its due date may still be settled by payments made after
//!   it and before the next due date: they repay the arrears, up to a balance of zero, and
//!   the month counts as PAID. Whatever such a late payment holds beyond the arrears is
//!   **not** carried forward as credit — lateness does not buy the right to pay ahead.
//!   This is why the seed's May (700 of credit, 600 paid late against a 1000 instalment)
//!   ends at 0, not 300, and June starts from 0.
//! * Status by the month's closing balance: `OVERPAID` above zero, `PAID` at zero,
//!   `PARTIALLY_PAID` below zero when the month received some payment, `OVERDUE` below
//!   zero when it received none.
//! * Month score: overpaid months 1 plus up to 0.05 for paying more than the instalment
//!   that month (1.04 for 120 %, 1.05 for 150 %); paid months 1; partially paid months
//!   0.25 to 0.75 by the share of the instalment paid; overdue months 0.25 × s / n, where n
//!   is the month's position in the period and s the position of the first month of its
//!   run of overdue months: 0.25 for the first overdue month, then falling with every
//!   consecutive one, slowly after a long good history (s large) and fast when the plan
//!   goes overdue at once (0.25, 0.125, 0.083, …). On the seed's example (the run starts in
//!   month 6) this gives exactly its 0.25, 0.21, 0.19, 0.17, 0.15, 0.14, 0.12.
//! * `overallScore`: the mean of the month scores (0.53 on the seed's example), so it lies
//!   between the lowest and highest month score.
//! * Late money repays the oldest arrears: a payment after a missed due date belongs to
//!   that month (PARTIALLY_PAID when it does not cover it), not to the next one.
//! * `paidStreak` and `overDueStreak`: the longest runs of consecutive PAID/OVERPAID and of
//!   OVERDUE months.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The request body of `POST /v1/repayment_score/`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RepaymentRequest {
    pub payment_start_date: NaiveDate,
    /// Defaults to `as_of` when absent.
    #[serde(default)]
    pub payment_end_date: Option<NaiveDate>,
    pub expected_payment_day: u32,
    pub expected_payment_amount: i64,
    pub payments: Vec<Payment>,
    #[serde(default)]
    pub reference: Option<String>,
    #[serde(default)]
    pub score_before_start_date: Option<bool>,
    #[serde(default, rename = "client_id")]
    pub client_id: Option<serde_json::Value>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub date: NaiveDate,
    pub amount: i64,
}

/// The `repayment_score` object of the response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RepaymentScore {
    pub balance: i64,
    pub expected_payment_amount: i64,
    pub over_due_streak: u32,
    pub overall_score: f64,
    pub paid_streak: u32,
    pub scored_months: Vec<ScoredMonth>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ScoreError>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScoredMonth {
    pub balance: i64,
    pub due_date: NaiveDate,
    pub score: f64,
    pub status: PaymentStatus,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PaymentStatus {
    Overpaid,
    Paid,
    PartiallyPaid,
    Overdue,
}

/// Why no score could be computed. Sent in `error` with an empty month list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ScoreError {
    /// `paymentEndDate` is before `paymentStartDate`.
    #[error("paymentEndDate is before paymentStartDate")]
    InvalidDateRange,
    /// `expectedPaymentDay` is not between 1 and 31.
    #[error("expectedPaymentDay must be between 1 and 31")]
    InvalidPaymentDay,
    /// `expectedPaymentAmount` is not positive, or a payment amount is negative.
    #[error("expectedPaymentAmount must be positive and payments not negative")]
    InvalidAmount,
    /// No due date falls inside the period.
    #[error("no due date falls between paymentStartDate and paymentEndDate")]
    NoDueDates,
}

/// Why a request body is not a repayment request (HTTP 400 on the API).
#[derive(Debug, thiserror::Error)]
#[error("invalid repayment request: {0}")]
pub struct RequestError(pub String);

/// Reads a request body. A body that is a JSON *string* holding the request (what the
/// seed's Python example sends: `requests.post(json=json.dumps(data))`) is accepted too.
pub fn parse_request(body: &[u8]) -> Result<RepaymentRequest, RequestError> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| RequestError(format!("not JSON: {e}")))?;
    let value = match value {
        serde_json::Value::String(inner) => serde_json::from_str(&inner)
            .map_err(|e| RequestError(format!("the string body is not JSON: {e}")))?,
        other => other,
    };
    serde_json::from_value(value).map_err(|e| RequestError(e.to_string()))
}

/// The response body: `{"client_id": …, "repayment_score": …}`, `client_id` echoed when given.
pub fn response(request: &RepaymentRequest, as_of: NaiveDate) -> serde_json::Value {
    let mut body = serde_json::json!({ "repayment_score": score(request, as_of) });
    if let Some(client_id) = &request.client_id {
        body["client_id"] = client_id.clone();
    }
    body
}

/// Scores a repayment history. `as_of` stands in for a missing `paymentEndDate`.
pub fn score(request: &RepaymentRequest, as_of: NaiveDate) -> RepaymentScore {
    match try_score(request, as_of) {
        Ok(score) => score,
        Err(error) => RepaymentScore {
            balance: 0,
            expected_payment_amount: request.expected_payment_amount,
            over_due_streak: 0,
            overall_score: 0.0,
            paid_streak: 0,
            scored_months: Vec::new(),
            error: Some(error),
        },
    }
}

/// The largest instalment or payment accepted (10^15 currency units): beyond any real loan,
/// and small enough that sums of a plan's payments stay exact.
const MAX_AMOUNT: i64 = 1_000_000_000_000_000;

/// The longest plan scored, in months (100 years): a longer range is `INVALID_DATE_RANGE`,
/// so a request cannot make the server score a million months.
const MAX_MONTHS: i64 = 1200;

fn try_score(request: &RepaymentRequest, as_of: NaiveDate) -> Result<RepaymentScore, ScoreError> {
    let start = request.payment_start_date;
    let end = request.payment_end_date.unwrap_or(as_of);
    let instalment = request.expected_payment_amount;
    let months_spanned = (i64::from(end.year()) - i64::from(start.year())) * 12
        + i64::from(end.month())
        - i64::from(start.month());
    if end < start || months_spanned > MAX_MONTHS {
        return Err(ScoreError::InvalidDateRange);
    }
    if !(1..=31).contains(&request.expected_payment_day) {
        return Err(ScoreError::InvalidPaymentDay);
    }
    if !(1..=MAX_AMOUNT).contains(&instalment)
        || request
            .payments
            .iter()
            .any(|p| !(0..=MAX_AMOUNT).contains(&p.amount))
    {
        return Err(ScoreError::InvalidAmount);
    }
    let due_dates = due_dates(start, end, request.expected_payment_day);
    if due_dates.is_empty() {
        return Err(ScoreError::NoDueDates);
    }
    let count_early = request.score_before_start_date.unwrap_or(false);
    let mut payments: Vec<&Payment> = request
        .payments
        .iter()
        .filter(|p| count_early || p.date >= start)
        .collect();
    payments.sort_by_key(|p| p.date);

    let mut months = Vec::with_capacity(due_dates.len());
    let mut balance: i64 = 0;
    // Position (from 1) of the first month of the current overdue run, if in one.
    let mut run_start: Option<usize> = None;
    let mut previous_due: Option<NaiveDate> = None;
    for (i, due) in due_dates.iter().enumerate() {
        let in_window = |p: &&&Payment| previous_due.is_none_or(|d| p.date > d) && p.date <= *due;
        let on_time: i64 = payments
            .iter()
            .filter(in_window)
            .fold(0, |sum: i64, p| sum.saturating_add(p.amount));
        balance = balance.saturating_add(on_time.saturating_sub(instalment));
        let mut paid_this_month = on_time;
        if balance < 0 {
            // Late payments: after this due date, before the next one (or the period end).
            let next = due_dates.get(i + 1).copied().unwrap_or(end);
            let late: i64 = payments
                .iter()
                .filter(|p| p.date > *due && p.date <= next.max(*due))
                .fold(0, |sum: i64, p| sum.saturating_add(p.amount));
            paid_this_month = paid_this_month.saturating_add(late);
            balance = balance.saturating_add(late).min(0);
            // Those payments are spent on this month's arrears.
            payments.retain(|p| !(p.date > *due && p.date <= next.max(*due)));
        }
        let status = match balance {
            b if b > 0 => PaymentStatus::Overpaid,
            0 => PaymentStatus::Paid,
            _ if paid_this_month > 0 => PaymentStatus::PartiallyPaid,
            _ => PaymentStatus::Overdue,
        };
        let position = i + 1;
        run_start = if status == PaymentStatus::Overdue {
            Some(run_start.unwrap_or(position))
        } else {
            None
        };
        let score = match status {
            PaymentStatus::Overpaid => {
                let excess = (on_time - instalment).max(0) as f64 / instalment as f64;
                1.0 + 0.05 * (1.0 - (-8.0 * excess).exp())
            }
            PaymentStatus::Paid => 1.0,
            PaymentStatus::PartiallyPaid => {
                0.25 + 0.5 * (paid_this_month as f64 / instalment as f64).clamp(0.0, 1.0)
            }
            PaymentStatus::Overdue => 0.25 * run_start.unwrap_or(position) as f64 / position as f64,
        };
        months.push(ScoredMonth {
            balance,
            due_date: *due,
            score: round2(score),
            status,
        });
        previous_due = Some(*due);
    }

    let overall = months.iter().map(|m| m.score).sum::<f64>() / months.len() as f64;
    let longest = |wanted: &dyn Fn(PaymentStatus) -> bool| {
        months
            .iter()
            .fold((0u32, 0u32), |(best, run), m| {
                let run = if wanted(m.status) { run + 1 } else { 0 };
                (best.max(run), run)
            })
            .0
    };
    Ok(RepaymentScore {
        balance,
        expected_payment_amount: instalment,
        over_due_streak: longest(&|s| s == PaymentStatus::Overdue),
        overall_score: round2(overall),
        paid_streak: longest(&|s| matches!(s, PaymentStatus::Paid | PaymentStatus::Overpaid)),
        scored_months: months,
        error: None,
    })
}

/// Two decimals, ties to even, as the seed's own (Python) service rounds: its December
/// score 0.25 × 6 / 12 = 0.125 prints as 0.12.
fn round2(x: f64) -> f64 {
    (x * 100.0).round_ties_even() / 100.0
}

/// The due dates of every month from `start` to `end`, on `day` clamped to the month's end,
/// that fall inside the period.
fn due_dates(start: NaiveDate, end: NaiveDate, day: u32) -> Vec<NaiveDate> {
    let mut dates = Vec::new();
    let (mut year, mut month) = (start.year(), start.month());
    while (year, month) <= (end.year(), end.month()) {
        let last = last_day(year, month);
        if let Some(due) = NaiveDate::from_ymd_opt(year, month, day.min(last))
            && due >= start
            && due <= end
        {
            dates.push(due);
        }
        (year, month) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
    }
    dates
}

fn last_day(year: i32, month: u32) -> u32 {
    (28..=31)
        .rev()
        .find(|d| NaiveDate::from_ymd_opt(year, month, *d).is_some())
        .unwrap_or(28)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn request(payments: &[(&str, i64)]) -> RepaymentRequest {
        RepaymentRequest {
            payment_start_date: date("2023-01-01"),
            payment_end_date: Some(date("2023-12-31")),
            expected_payment_day: 5,
            expected_payment_amount: 1000,
            payments: payments
                .iter()
                .map(|(d, amount)| Payment {
                    date: date(d),
                    amount: *amount,
                })
                .collect(),
            reference: None,
            score_before_start_date: Some(true),
            client_id: None,
        }
    }

    #[test]
    fn the_seeds_example_reproduces() {
        let result = score(
            &request(&[
                ("2023-01-01", 1200),
                ("2023-02-05", 1000),
                ("2023-03-05", 1000),
                ("2023-04-01", 1500),
                ("2023-05-25", 600),
            ]),
            date("2024-01-01"),
        );
        use PaymentStatus::*;
        let statuses: Vec<PaymentStatus> = result.scored_months.iter().map(|m| m.status).collect();
        assert_eq!(
            statuses,
            [
                Overpaid, Overpaid, Overpaid, Overpaid, Paid, Overdue, Overdue, Overdue, Overdue,
                Overdue, Overdue, Overdue
            ]
        );
        let balances: Vec<i64> = result.scored_months.iter().map(|m| m.balance).collect();
        assert_eq!(
            balances,
            [
                200, 200, 200, 700, 0, -1000, -2000, -3000, -4000, -5000, -6000, -7000
            ]
        );
        assert_eq!(result.balance, -7000);
        assert_eq!((result.paid_streak, result.over_due_streak), (5, 7));
        // Every month score and the overall score exactly as the seed prints them.
        let scores: Vec<f64> = result.scored_months.iter().map(|m| m.score).collect();
        assert_eq!(
            scores,
            [
                1.04, 1.0, 1.0, 1.05, 1.0, 0.25, 0.21, 0.19, 0.17, 0.15, 0.14, 0.12
            ]
        );
        assert_eq!(result.overall_score, 0.53);
        assert_eq!(result.scored_months[0].due_date, date("2023-01-05"));
        assert!(result.error.is_none());
    }

    #[test]
    fn the_seeds_curl_example_is_paid_twice_then_overdue() {
        let result = score(
            &request(&[("2023-01-05", 1000), ("2023-02-05", 1000)]),
            date("2024-01-01"),
        );
        use PaymentStatus::*;
        assert_eq!(result.scored_months[0].status, Paid);
        assert_eq!(result.scored_months[1].status, Paid);
        assert!(
            result.scored_months[2..]
                .iter()
                .all(|m| m.status == Overdue)
        );
    }

    #[test]
    fn a_late_payments_excess_is_not_credit() {
        // January missed, 3000 paid on 20 January: settles January only.
        let result = score(&request(&[("2023-01-20", 3000)]), date("2024-01-01"));
        assert_eq!(result.scored_months[0].status, PaymentStatus::Paid);
        assert_eq!(result.scored_months[0].balance, 0);
        assert_eq!(result.scored_months[1].balance, -1000);
    }

    #[test]
    fn partial_payments_and_clamped_due_days() {
        let mut r = request(&[("2023-02-10", 400)]);
        r.expected_payment_day = 31;
        r.payment_end_date = Some(date("2023-03-31"));
        let result = score(&r, date("2024-01-01"));
        let dues: Vec<String> = result
            .scored_months
            .iter()
            .map(|m| m.due_date.to_string())
            .collect();
        assert_eq!(dues, ["2023-01-31", "2023-02-28", "2023-03-31"]);
        // Paid after January's due date while January was in arrears: it repays January.
        assert_eq!(result.scored_months[0].status, PaymentStatus::PartiallyPaid);
        assert_eq!(result.scored_months[0].balance, -600);
        assert_eq!(result.scored_months[1].status, PaymentStatus::Overdue);
        assert_eq!(result.scored_months[1].balance, -1600);
    }

    #[test]
    fn payments_before_the_start_count_only_when_asked() {
        let mut r = request(&[("2022-12-20", 1000)]);
        r.payment_end_date = Some(date("2023-01-31"));
        assert_eq!(
            score(&r, date("2024-01-01")).scored_months[0].status,
            PaymentStatus::Paid
        );
        r.score_before_start_date = Some(false);
        assert_eq!(
            score(&r, date("2024-01-01")).scored_months[0].status,
            PaymentStatus::Overdue
        );
    }

    #[test]
    fn errors_are_reported_in_the_body() {
        let mut r = request(&[]);
        r.payment_end_date = Some(date("2022-01-01"));
        assert_eq!(
            score(&r, date("2024-01-01")).error,
            Some(ScoreError::InvalidDateRange)
        );
        let mut r = request(&[]);
        r.expected_payment_day = 0;
        assert_eq!(
            score(&r, date("2024-01-01")).error,
            Some(ScoreError::InvalidPaymentDay)
        );
        let mut r = request(&[]);
        r.expected_payment_amount = 0;
        assert_eq!(
            score(&r, date("2024-01-01")).error,
            Some(ScoreError::InvalidAmount)
        );
        let mut r = request(&[]);
        r.payment_start_date = date("2023-01-06");
        r.payment_end_date = Some(date("2023-01-20"));
        assert_eq!(
            score(&r, date("2024-01-01")).error,
            Some(ScoreError::NoDueDates)
        );
    }

    #[test]
    fn the_end_date_defaults_to_as_of() {
        let mut r = request(&[]);
        r.payment_end_date = None;
        let result = score(&r, date("2023-03-10"));
        assert_eq!(result.scored_months.len(), 3);
    }

    #[test]
    fn the_wire_shape_matches_the_seed() {
        let body = r#"{"paymentStartDate": "2023-01-01", "paymentEndDate": "2023-12-31",
            "expectedPaymentDay": 5, "expectedPaymentAmount": 1000,
            "payments": [{"date": "2023-01-05", "amount": 1000}],
            "reference": "r", "scoreBeforeStartDate": true, "client_id": "12345"}"#;
        let r: RepaymentRequest = serde_json::from_str(body).unwrap();
        let json = serde_json::to_value(score(&r, date("2024-01-01"))).unwrap();
        for key in [
            "balance",
            "expectedPaymentAmount",
            "overDueStreak",
            "overallScore",
            "paidStreak",
            "scoredMonths",
        ] {
            assert!(json.get(key).is_some(), "{key}");
        }
        assert_eq!(json["scoredMonths"][0]["dueDate"], "2023-01-05");
        assert_eq!(json["scoredMonths"][0]["status"], "PAID");
    }

    #[test]
    fn double_encoded_bodies_and_missing_fields() {
        let inner = r#"{"paymentStartDate": "2023-01-01", "expectedPaymentDay": 5, "expectedPaymentAmount": 1000, "payments": [], "client_id": 7}"#;
        let double = serde_json::to_string(inner).unwrap();
        let request = parse_request(double.as_bytes()).unwrap();
        assert_eq!(request.expected_payment_day, 5);
        let body = response(&request, date("2023-03-01"));
        assert_eq!(body["client_id"], 7);
        assert_eq!(
            body["repayment_score"]["scoredMonths"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
        let missing = parse_request(br#"{"paymentStartDate": "2023-01-01"}"#).unwrap_err();
        assert!(missing.0.contains("expectedPaymentDay"), "{missing}");
        assert!(parse_request(b"{not json").is_err());
        assert!(parse_request(br#"{"paymentStartDate": "2023-13-01", "expectedPaymentDay": 5, "expectedPaymentAmount": 1000, "payments": []}"#).is_err());
    }

    proptest! {
        /// Any amounts and any dates end in a score or a documented error, never a panic.
        #[test]
        fn hostile_requests_never_panic(
            payments in proptest::collection::vec((any::<i32>(), any::<i64>()), 0..20),
            instalment in any::<i64>(),
            day in any::<u32>(),
            start in -1_000_000i32..1_000_000,
            length in 0i32..1_000_000,
        ) {
            let origin = date("2000-01-01");
            let mut r = request(&[]);
            r.payment_start_date = origin + chrono::Duration::days(i64::from(start));
            r.payment_end_date = Some(r.payment_start_date + chrono::Duration::days(i64::from(length)));
            r.expected_payment_day = day;
            r.expected_payment_amount = instalment;
            r.payments = payments
                .iter()
                .map(|(d, amount)| Payment { date: origin + chrono::Duration::days(i64::from(*d) % 1_000_000), amount: *amount })
                .collect();
            let result = score(&r, origin);
            prop_assert!(result.error.is_some() || !result.scored_months.is_empty());
        }

        #[test]
        fn balances_follow_the_arithmetic(payments in proptest::collection::vec((1u32..365, 0i64..3000), 0..30),
                                          day in 1u32..=31, instalment in 1i64..2000) {
            let mut r = request(&[]);
            r.expected_payment_day = day;
            r.expected_payment_amount = instalment;
            r.payments = payments.iter().map(|(d, amount)| Payment {
                date: date("2023-01-01") + chrono::Duration::days(i64::from(*d)),
                amount: *amount,
            }).collect();
            let result = score(&r, date("2024-06-01"));
            let months = &result.scored_months;
            prop_assert!(!months.is_empty());
            let total_paid: i64 = r.payments.iter().map(|p| p.amount).sum();
            // Money can be forfeited (a late payment's excess), never created.
            prop_assert!(result.balance <= total_paid - instalment * months.len() as i64);
            prop_assert!(result.balance >= -instalment * months.len() as i64);
            let lowest = months.iter().map(|m| m.score).fold(f64::MAX, f64::min);
            let highest = months.iter().map(|m| m.score).fold(f64::MIN, f64::max);
            prop_assert!(result.overall_score >= lowest - 0.005 && result.overall_score <= highest + 0.005);
            for m in months {
                prop_assert!(m.score > 0.0 && m.score <= 1.05);
                match m.status {
                    PaymentStatus::Overpaid => prop_assert!(m.balance > 0),
                    PaymentStatus::Paid => prop_assert_eq!(m.balance, 0),
                    _ => prop_assert!(m.balance < 0),
                }
            }
        }
    }
}
