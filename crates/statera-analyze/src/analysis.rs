//! The lender's view of a ledger: summary, monthly cash flow, spending, income and salary,
//! recurring payments, loans per lender, overdraft, gambling, lending metrics, true
//! revenue and risks. Money stays exact (`Amount`); only ratios and scores are floats.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use statera_model::{Amount, Currency};

use crate::ledger::{Entry, Ledger};

/// Everything the analysis finds, as the API faces and the CLI show it.
#[derive(Clone, Debug, Serialize)]
pub struct Analysis {
    pub as_of: NaiveDate,
    pub currency: Currency,
    pub summary: Summary,
    pub cashflow: Vec<MonthFlow>,
    pub cashflow_averages: MonthlyAverages,
    pub spending: Vec<CategoryTotal>,
    pub income: Income,
    pub recurring_payments: Vec<Recurring>,
    pub loans: Loans,
    pub overdraft: Overdraft,
    pub gambling: Gambling,
    pub lending_metrics: LendingMetrics,
    pub true_revenue: TrueRevenue,
    pub risks: Risks,
    pub duplicates_removed: usize,
    pub excluded_accounts: Vec<String>,
    pub transactions: Vec<AnalysedTransaction>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub total_in: Amount,
    pub total_out: Amount,
    pub net: Amount,
    pub transaction_count: usize,
    /// Share of days (0–100) that ended at or below zero.
    pub zero_balance_rate_percentage: f64,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    pub days_covered: i64,
    pub months_covered: usize,
    pub opening_balance: Option<Amount>,
    pub closing_balance: Option<Amount>,
    /// The lowest day-end balance in the 90 days up to the last transaction.
    pub minimum_balance_last_90_days: Option<Amount>,
}

#[derive(Clone, Debug, Serialize)]
pub struct MonthFlow {
    /// `YYYY-MM`.
    pub month: String,
    pub total_in: Amount,
    pub total_out: Amount,
    pub net: Amount,
    pub count: usize,
    pub opening_balance: Option<Amount>,
    pub closing_balance: Option<Amount>,
    pub minimum_balance: Option<Amount>,
    /// Mean of the day-end balances of the days covered in the month.
    pub average_balance: Option<Amount>,
}

#[derive(Clone, Debug, Serialize)]
pub struct MonthlyAverages {
    pub monthly_in: Amount,
    pub monthly_out: Amount,
    pub monthly_net: Amount,
}

#[derive(Clone, Debug, Serialize)]
pub struct CategoryTotal {
    pub category: String,
    pub total: Amount,
    pub count: usize,
    /// Share of all money out, 0–100.
    pub share_percentage: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Income {
    pub total: Amount,
    pub average_monthly: Amount,
    /// 0–1: 1 minus the coefficient of variation of monthly income.
    pub stability: f64,
    pub sources: Vec<IncomeSource>,
    pub salary: Option<Salary>,
    /// 0–1: share of months with a salary credit, weighted by amount stability.
    pub salary_regularity: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct IncomeSource {
    pub counterparty: String,
    pub category: String,
    pub total: Amount,
    pub count: usize,
    pub months: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Salary {
    pub employer: String,
    pub average_amount: Amount,
    pub periodicity: String,
    pub typical_day: u32,
    pub months_paid: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Recurring {
    pub counterparty: String,
    pub category: String,
    pub periodicity: String,
    pub due_days: Vec<u32>,
    pub average_amount: Amount,
    /// 0–1: 1 minus the coefficient of variation of the amounts.
    pub amount_stability: f64,
    pub count: usize,
    pub last_date: NaiveDate,
}

#[derive(Clone, Debug, Serialize)]
pub struct Loans {
    pub lenders: Vec<LenderRelationship>,
    pub total_disbursed: Amount,
    pub total_repaid: Amount,
    pub concurrent_lenders: usize,
    pub average_monthly_repayment: Amount,
}

#[derive(Clone, Debug, Serialize)]
pub struct LenderRelationship {
    pub lender: String,
    pub disbursements: usize,
    pub disbursed: Amount,
    pub repayments: usize,
    pub repaid: Amount,
    pub estimated_outstanding: Amount,
    /// `Fully Paid`, `Active`, `Likely Settled`, `Multiple Loans` or `Limited Data`.
    pub status: String,
    pub last_activity: NaiveDate,
}

#[derive(Clone, Debug, Serialize)]
pub struct Overdraft {
    pub draws: usize,
    pub drawn: Amount,
    pub repayments: usize,
    pub repaid: Amount,
    pub days_negative: usize,
    pub lowest_balance: Option<Amount>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Gambling {
    pub stakes: Amount,
    pub winnings: Amount,
    pub net: Amount,
    pub bets: usize,
    pub months_with_betting: usize,
    /// Stakes as a share of income, 0–100.
    pub share_of_income_percentage: f64,
    pub operators: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct LendingMetrics {
    /// Average monthly debt service ÷ average monthly income.
    pub debt_to_income: f64,
    /// 0–100: share of months whose net cash flow was not negative.
    pub cash_flow_sufficiency_score: f64,
    pub salary_regularity: f64,
    /// The largest monthly instalment the cash flow supports: half of what income leaves
    /// after essential spending and existing debt service, never below zero.
    pub affordability: Amount,
}

#[derive(Clone, Debug, Serialize)]
pub struct TrueRevenue {
    pub gross_inflows: Amount,
    pub own_transfers: Amount,
    pub loan_proceeds: Amount,
    pub reversals_and_refunds: Amount,
    pub true_revenue: Amount,
    pub monthly_average: Amount,
}

#[derive(Clone, Debug, Serialize)]
pub struct Risks {
    pub failed_payments: usize,
    pub fees_total: Amount,
    pub fees_count: usize,
    pub days_at_zero_or_negative: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct AnalysedTransaction {
    pub date: NaiveDate,
    pub description: String,
    pub amount: Amount,
    pub direction: statera_model::Direction,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub balance: Option<Amount>,
    /// Static names: 100,000 transactions need no 200,000 small strings.
    pub kind: &'static str,
    pub category: &'static str,
    pub counterparty: String,
}

fn category(e: &Entry) -> &'static str {
    e.categorised.category.code()
}

fn kind(e: &Entry) -> &'static str {
    use crate::categorise::TxKind;
    match e.categorised.kind {
        TxKind::Income => "income",
        TxKind::Spending => "spending",
        TxKind::DebtService => "debt_service",
        TxKind::LoanProceeds => "loan_proceeds",
        TxKind::Cash => "cash",
        TxKind::Fees => "fees",
        TxKind::Internal => "internal",
        TxKind::Other => "other",
    }
}

struct Money {
    scale: u8,
}

impl Money {
    fn sum<'a>(&self, amounts: impl IntoIterator<Item = &'a Entry>) -> Amount {
        amounts
            .into_iter()
            .fold(Amount::zero(self.scale), |acc, e| {
                acc.checked_add(e.amount()).unwrap_or(acc)
            })
    }

    /// `total / n`, rounded half away from zero to the currency's minor unit.
    fn divide(&self, total: Amount, n: usize) -> Amount {
        if n == 0 {
            return Amount::zero(self.scale);
        }
        let n = n as i64;
        let minor = total.minor();
        let rounded = minor.saturating_add(minor.signum().saturating_mul(n / 2)) / n;
        Amount::from_minor(rounded, total.scale())
    }

    fn zero(&self) -> Amount {
        Amount::zero(self.scale)
    }
}

/// `a / b` as a plain number (0 when `b` is zero), the two amounts brought to one scale.
pub(crate) fn ratio(a: Amount, b: Amount) -> f64 {
    let scale = a.scale().max(b.scale());
    match (a.rescale(scale), b.rescale(scale)) {
        (Some(a), Some(b)) if !b.is_zero() => a.minor() as f64 / b.minor() as f64,
        _ => 0.0,
    }
}

pub(crate) fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

fn coefficient_of_variation(values: &[f64]) -> f64 {
    if values.len() < 2 {
        return 0.0;
    }
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    if mean == 0.0 {
        return 0.0;
    }
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / values.len() as f64;
    var.sqrt() / mean.abs()
}

/// A calendar month as a sortable key; printed `YYYY-MM` only where it is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct MonthKey(i32, u32);

impl std::fmt::Display for MonthKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.0, self.1)
    }
}

fn month_key(d: NaiveDate) -> MonthKey {
    MonthKey(d.year(), d.month())
}

const ESSENTIAL: &[&str] = &[
    "rent",
    "utilities",
    "airtime_data",
    "groceries_merchants",
    "transport",
    "school_fees",
    "medical",
];
const INCOME: &[&str] = &[
    "salary",
    "business_income",
    "b2c_payout",
    "remittance",
    "transfer_in",
    "cash_deposit",
];

/// Analyses a ledger as of `as_of`.
pub fn analyze(ledger: &Ledger, as_of: NaiveDate) -> Analysis {
    let money = Money {
        scale: ledger.currency.minor_units(),
    };
    let entries = &ledger.entries;
    let credits: Vec<&Entry> = entries.iter().filter(|e| e.is_credit()).collect();
    let debits: Vec<&Entry> = entries.iter().filter(|e| !e.is_credit()).collect();
    let total_in = money.sum(credits.iter().copied());
    let total_out = money.sum(debits.iter().copied());

    // Day-end balances over every day covered, carried over days without rows.
    let period_start = entries.first().map(Entry::date);
    let period_end = entries.last().map(Entry::date);
    let mut day_end: BTreeMap<NaiveDate, Amount> = BTreeMap::new();
    for e in entries {
        if let Some(b) = e.balance {
            day_end.insert(e.date(), b);
        }
    }
    let mut daily: Vec<(NaiveDate, Amount)> = Vec::new();
    if let (Some(start), Some(end)) = (period_start, period_end) {
        let mut current = ledger.opening_balance;
        let mut day = start;
        while day <= end {
            if let Some(b) = day_end.get(&day) {
                current = Some(*b);
            }
            if let Some(b) = current {
                daily.push((day, b));
            }
            day = day.succ_opt().unwrap_or(end + chrono::Duration::days(1));
        }
    }
    let days_at_zero = daily.iter().filter(|(_, b)| b.minor() <= 0).count();
    let days_negative = daily.iter().filter(|(_, b)| b.is_negative()).count();

    // Months.
    let mut months: BTreeMap<MonthKey, Vec<&Entry>> = BTreeMap::new();
    for e in entries {
        months.entry(month_key(e.date())).or_default().push(e);
    }
    let mut previous_close = ledger.opening_balance;
    let cashflow: Vec<MonthFlow> = months
        .iter()
        .map(|(month, rows)| {
            let month_in = money.sum(rows.iter().copied().filter(|e| e.is_credit()));
            let month_out = money.sum(rows.iter().copied().filter(|e| !e.is_credit()));
            let days: Vec<Amount> = daily
                .iter()
                .filter(|(d, _)| month_key(*d) == *month)
                .map(|(_, b)| *b)
                .collect();
            let closing = rows.iter().rev().find_map(|e| e.balance);
            let opening = previous_close;
            previous_close = closing.or(previous_close);
            let total = days
                .iter()
                .fold(money.zero(), |acc, b| acc.checked_add(*b).unwrap_or(acc));
            MonthFlow {
                month: month.to_string(),
                total_in: month_in,
                total_out: month_out,
                net: month_in.checked_sub(month_out).unwrap_or(month_in),
                count: rows.len(),
                opening_balance: opening,
                closing_balance: closing,
                minimum_balance: days.iter().min().copied(),
                average_balance: (!days.is_empty()).then(|| money.divide(total, days.len())),
            }
        })
        .collect();
    let month_count = cashflow.len().max(1);
    let cashflow_averages = MonthlyAverages {
        monthly_in: money.divide(total_in, month_count),
        monthly_out: money.divide(total_out, month_count),
        monthly_net: money.divide(
            total_in.checked_sub(total_out).unwrap_or(total_in),
            month_count,
        ),
    };

    // Spending by category.
    let mut spending_map: BTreeMap<&'static str, (Amount, usize)> = BTreeMap::new();
    for e in &debits {
        let slot = spending_map.entry(category(e)).or_insert((money.zero(), 0));
        slot.0 = slot.0.checked_add(e.amount()).unwrap_or(slot.0);
        slot.1 += 1;
    }
    let mut spending: Vec<CategoryTotal> = spending_map
        .into_iter()
        .map(|(category, (total, count))| CategoryTotal {
            share_percentage: round(100.0 * ratio(total, total_out), 2),
            category: category.to_owned(),
            total,
            count,
        })
        .collect();
    spending.sort_by(|a, b| b.total.cmp(&a.total).then(a.category.cmp(&b.category)));

    // Income.
    let income_rows: Vec<&Entry> = credits
        .iter()
        .copied()
        .filter(|e| INCOME.contains(&category(e)))
        .collect();
    let income_total = money.sum(income_rows.iter().copied());
    let mut income_by_month: BTreeMap<MonthKey, i64> = months.keys().map(|m| (*m, 0)).collect();
    for e in &income_rows {
        let month = income_by_month.entry(month_key(e.date())).or_default();
        *month = month.saturating_add(e.amount().minor());
    }
    let monthly_income: Vec<f64> = income_by_month.values().map(|m| *m as f64).collect();
    let mut sources_map: BTreeMap<(String, String), Vec<&Entry>> = BTreeMap::new();
    for e in &income_rows {
        sources_map
            .entry((e.categorised.counterparty.clone(), category(e).to_owned()))
            .or_default()
            .push(e);
    }
    let mut sources: Vec<IncomeSource> = sources_map
        .iter()
        .map(|((counterparty, category), rows)| IncomeSource {
            counterparty: counterparty.clone(),
            category: category.clone(),
            total: money.sum(rows.iter().copied()),
            count: rows.len(),
            months: distinct_months(rows),
        })
        .collect();
    sources.sort_by_key(|s| std::cmp::Reverse(s.total));
    let salary = detect_salary(&sources_map, &money);
    let salary_regularity = salary
        .as_ref()
        .map(|s| {
            let rows = sources_map
                .iter()
                .find(|((c, _), _)| *c == s.employer)
                .map(|(_, r)| r.clone())
                .unwrap_or_default();
            let amounts: Vec<f64> = rows.iter().map(|e| e.amount().minor() as f64).collect();
            let coverage = s.months_paid as f64 / month_count as f64;
            round(
                coverage.min(1.0) * (1.0 - coefficient_of_variation(&amounts)).clamp(0.0, 1.0),
                3,
            )
        })
        .unwrap_or(0.0);
    let income = Income {
        total: income_total,
        average_monthly: money.divide(income_total, month_count),
        stability: round(
            (1.0 - coefficient_of_variation(&monthly_income)).clamp(0.0, 1.0),
            3,
        ),
        sources,
        salary,
        salary_regularity,
    };

    let recurring_payments = recurring(&debits, &money);

    // Loans per lender.
    // Loans: disbursements and repayments with a lender (overdraft legs are reported under
    // overdraft, zero-amount requests carry no money); bank loan lines without a named
    // lender are grouped as one.
    let is_loan = |e: &Entry| {
        !e.amount().is_zero()
            && category(e) != "overdraft_fuliza"
            && (e.categorised.lender.is_some()
                || matches!(category(e), "loan_disbursement" | "loan_repayment"))
    };
    let mut lenders: BTreeMap<String, Vec<&Entry>> = BTreeMap::new();
    for e in entries.iter().filter(|e| is_loan(e)) {
        let lender = e
            .categorised
            .lender
            .clone()
            .unwrap_or_else(|| "Unnamed lender".into());
        lenders.entry(lender).or_default().push(e);
    }
    let relationships: Vec<LenderRelationship> = lenders
        .iter()
        .map(|(lender, rows)| lender_relationship(lender, rows, &money, as_of))
        .collect();
    let total_repaid = money.sum(entries.iter().filter(|e| !e.is_credit() && is_loan(e)));
    let loans = Loans {
        total_disbursed: money.sum(entries.iter().filter(|e| e.is_credit() && is_loan(e))),
        total_repaid,
        concurrent_lenders: relationships
            .iter()
            .filter(|r| r.status == "Active" || r.status == "Multiple Loans")
            .count(),
        average_monthly_repayment: money.divide(total_repaid, month_count),
        lenders: relationships,
    };

    let od: Vec<&Entry> = entries
        .iter()
        .filter(|e| category(e) == "overdraft_fuliza")
        .collect();
    let overdraft = Overdraft {
        draws: od.iter().filter(|e| e.is_credit()).count(),
        drawn: money.sum(od.iter().copied().filter(|e| e.is_credit())),
        repayments: od.iter().filter(|e| !e.is_credit()).count(),
        repaid: money.sum(od.iter().copied().filter(|e| !e.is_credit())),
        days_negative,
        lowest_balance: daily.iter().map(|(_, b)| *b).min(),
    };

    let stakes_rows: Vec<&Entry> = debits
        .iter()
        .copied()
        .filter(|e| category(e) == "betting")
        .collect();
    let winnings_rows: Vec<&Entry> = credits
        .iter()
        .copied()
        .filter(|e| e.categorised.betting_operator.is_some())
        .collect();
    let stakes = money.sum(stakes_rows.iter().copied());
    let winnings = money.sum(winnings_rows.iter().copied());
    let mut operators: Vec<String> = stakes_rows
        .iter()
        .chain(winnings_rows.iter())
        .filter_map(|e| e.categorised.betting_operator.clone())
        .collect();
    operators.sort();
    operators.dedup();
    let gambling = Gambling {
        stakes,
        winnings,
        net: winnings.checked_sub(stakes).unwrap_or(winnings),
        bets: stakes_rows.len(),
        months_with_betting: distinct_months(&stakes_rows),
        share_of_income_percentage: round(100.0 * ratio(stakes, income_total), 2),
        operators,
    };

    let debt_service = money.sum(entries.iter().filter(|e| {
        !e.is_credit() && matches!(category(e), "loan_repayment" | "overdraft_fuliza")
    }));
    let monthly_debt = money.divide(debt_service, month_count);
    let essential = money.sum(
        debits
            .iter()
            .copied()
            .filter(|e| ESSENTIAL.contains(&category(e))),
    );
    let monthly_essential = money.divide(essential, month_count);
    let disposable = income
        .average_monthly
        .checked_sub(monthly_essential)
        .and_then(|a| a.checked_sub(monthly_debt))
        .unwrap_or(money.zero());
    let affordability = if disposable.is_negative() {
        money.zero()
    } else {
        money.divide(disposable, 2)
    };
    let months_not_negative = cashflow.iter().filter(|m| !m.net.is_negative()).count();
    let lending_metrics = LendingMetrics {
        debt_to_income: round(ratio(monthly_debt, income.average_monthly), 3),
        cash_flow_sufficiency_score: round(
            100.0 * months_not_negative as f64 / month_count as f64,
            1,
        ),
        salary_regularity: income.salary_regularity,
        affordability,
    };

    let sum_category = |names: &[&str]| {
        money.sum(
            credits
                .iter()
                .copied()
                .filter(|e| names.contains(&category(e))),
        )
    };
    let own_transfers = sum_category(&["savings_internal"]);
    let loan_proceeds = money.sum(
        credits
            .iter()
            .copied()
            .filter(|e| category(e) == "loan_disbursement" || category(e) == "overdraft_fuliza"),
    );
    let reversals = sum_category(&["reversal_refund"]);
    let true_revenue_total = total_in
        .checked_sub(own_transfers)
        .and_then(|a| a.checked_sub(loan_proceeds))
        .and_then(|a| a.checked_sub(reversals))
        .unwrap_or(total_in);
    let true_revenue = TrueRevenue {
        gross_inflows: total_in,
        own_transfers,
        loan_proceeds,
        reversals_and_refunds: reversals,
        true_revenue: true_revenue_total,
        monthly_average: money.divide(true_revenue_total, month_count),
    };

    let fees: Vec<&Entry> = debits
        .iter()
        .copied()
        .filter(|e| category(e) == "fees_charges")
        .collect();
    let risks = Risks {
        failed_payments: entries.iter().filter(|e| is_failed(e)).count(),
        fees_total: money.sum(fees.iter().copied()),
        fees_count: fees.len(),
        days_at_zero_or_negative: days_at_zero,
    };

    let days_covered = match (period_start, period_end) {
        (Some(a), Some(b)) => (b - a).num_days() + 1,
        _ => 0,
    };
    Analysis {
        as_of,
        currency: ledger.currency,
        summary: Summary {
            total_in,
            total_out,
            net: total_in.checked_sub(total_out).unwrap_or(total_in),
            transaction_count: entries.len(),
            zero_balance_rate_percentage: if daily.is_empty() {
                0.0
            } else {
                round(100.0 * days_at_zero as f64 / daily.len() as f64, 2)
            },
            period_start,
            period_end,
            days_covered,
            months_covered: cashflow.len(),
            opening_balance: ledger.opening_balance,
            closing_balance: entries.iter().rev().find_map(|e| e.balance),
            minimum_balance_last_90_days: period_end.and_then(|end| {
                daily
                    .iter()
                    .filter(|(d, _)| (end - *d).num_days() < 90)
                    .map(|(_, b)| *b)
                    .min()
            }),
        },
        cashflow,
        cashflow_averages,
        spending,
        income,
        recurring_payments,
        loans,
        overdraft,
        gambling,
        lending_metrics,
        true_revenue,
        risks,
        duplicates_removed: ledger.duplicates_removed,
        excluded_accounts: ledger.excluded.clone(),
        transactions: entries
            .iter()
            .map(|e| AnalysedTransaction {
                date: e.date(),
                description: e.transaction.description.clone(),
                amount: e.amount(),
                direction: e.transaction.direction,
                balance: e.balance,
                kind: kind(e),
                category: category(e),
                counterparty: e.categorised.counterparty.clone(),
            })
            .collect(),
    }
}

static FAILED_WORDS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::RegexBuilder::new(r"insufficient funds|returned|bounced|unpaid|rejected|dishono(u)?red")
        .case_insensitive(true)
        .build()
        .expect("a valid pattern")
});

/// A payment that did not go through: a status other than completed, or a narration that
/// says it bounced.
pub(crate) fn is_failed(e: &Entry) -> bool {
    let status_failed = e.transaction.status.as_deref().is_some_and(|s| {
        let s = s.to_lowercase();
        s.contains("fail") || s.contains("reject") || s.contains("declin") || s.contains("cancel")
    });
    status_failed || FAILED_WORDS.is_match(&e.transaction.description)
}

fn distinct_months(rows: &[&Entry]) -> usize {
    let mut months: Vec<MonthKey> = rows.iter().map(|e| month_key(e.date())).collect();
    months.sort();
    months.dedup();
    months.len()
}

/// The salary: a credit categorised `salary`, or income from one payer in at least three
/// months, about a month apart, with amounts that vary by under a quarter.
fn detect_salary(
    sources: &BTreeMap<(String, String), Vec<&Entry>>,
    money: &Money,
) -> Option<Salary> {
    let mut best: Option<(usize, Amount, Salary)> = None;
    for ((counterparty, category), rows) in sources {
        let months = distinct_months(rows);
        let amounts: Vec<f64> = rows.iter().map(|e| e.amount().minor() as f64).collect();
        let gaps: Vec<i64> = rows
            .windows(2)
            .map(|w| (w[1].date() - w[0].date()).num_days())
            .collect();
        let monthly_rhythm = !gaps.is_empty() && {
            let mut sorted = gaps.clone();
            sorted.sort_unstable();
            (25..=35).contains(&sorted[sorted.len() / 2])
        };
        let named = category == "salary";
        let regular = months >= 3 && monthly_rhythm && coefficient_of_variation(&amounts) <= 0.25;
        if !(named || regular) {
            continue;
        }
        let total = money.sum(rows.iter().copied());
        let mut days: Vec<u32> = rows.iter().map(|e| e.date().day()).collect();
        days.sort_unstable();
        let salary = Salary {
            employer: counterparty.clone(),
            average_amount: money.divide(total, rows.len()),
            periodicity: if monthly_rhythm {
                "monthly".into()
            } else {
                "irregular".into()
            },
            typical_day: days[days.len() / 2],
            months_paid: months,
        };
        if best
            .as_ref()
            .is_none_or(|(m, t, _)| (months, total) > (*m, *t))
        {
            best = Some((months, total, salary));
        }
    }
    best.map(|(_, _, s)| s)
}

fn recurring(debits: &[&Entry], money: &Money) -> Vec<Recurring> {
    let mut groups: HashMap<String, Vec<&Entry>> = HashMap::new();
    for e in debits {
        if !e.categorised.counterparty.is_empty() {
            groups
                .entry(e.categorised.counterparty.clone())
                .or_default()
                .push(e);
        }
    }
    let mut found: Vec<Recurring> = groups
        .into_iter()
        .filter(|(_, rows)| rows.len() >= 3)
        .filter_map(|(counterparty, rows)| {
            let gaps: Vec<i64> = rows
                .windows(2)
                .map(|w| (w[1].date() - w[0].date()).num_days())
                .collect();
            let mut sorted = gaps.clone();
            sorted.sort_unstable();
            let median = sorted[sorted.len() / 2];
            let periodicity = match median {
                6..=8 => "weekly",
                13..=16 => "biweekly",
                27..=33 => "monthly",
                _ => return None,
            };
            // Most gaps must agree with the rhythm.
            let agreeing = gaps.iter().filter(|g| (**g - median).abs() <= 4).count();
            if agreeing * 3 < gaps.len() * 2 {
                return None;
            }
            let amounts: Vec<f64> = rows.iter().map(|e| e.amount().minor() as f64).collect();
            let total = money.sum(rows.iter().copied());
            let mut due_days: Vec<u32> = rows.iter().map(|e| e.date().day()).collect();
            due_days.sort_unstable();
            due_days.dedup();
            Some(Recurring {
                category: category(rows[0]).to_owned(),
                periodicity: periodicity.into(),
                due_days,
                average_amount: money.divide(total, rows.len()),
                amount_stability: round(
                    (1.0 - coefficient_of_variation(&amounts)).clamp(0.0, 1.0),
                    3,
                ),
                count: rows.len(),
                last_date: rows[rows.len() - 1].date(),
                counterparty,
            })
        })
        .collect();
    found.sort_by(|a, b| {
        b.average_amount
            .cmp(&a.average_amount)
            .then(a.counterparty.cmp(&b.counterparty))
    });
    found
}

/// Loan status per lender (features.md §1.1): repayments without a disbursement in the
/// window are `Limited Data`; repaid at least the disbursed amount is `Fully Paid`, and
/// more than 1.5 times it `Multiple Loans`; at least 70 % repaid and 90 days quiet is
/// `Likely Settled`; otherwise `Active`.
fn lender_relationship(
    lender: &str,
    rows: &[&Entry],
    money: &Money,
    as_of: NaiveDate,
) -> LenderRelationship {
    let disbursed_rows: Vec<&Entry> = rows.iter().copied().filter(|e| e.is_credit()).collect();
    let repaid_rows: Vec<&Entry> = rows.iter().copied().filter(|e| !e.is_credit()).collect();
    let disbursed = money.sum(disbursed_rows.iter().copied());
    let repaid = money.sum(repaid_rows.iter().copied());
    let last_activity = rows.iter().map(|e| e.date()).max().unwrap_or(as_of);
    let repaid_share = ratio(repaid, disbursed);
    let quiet_days = (as_of - last_activity).num_days();
    let status = if disbursed.is_zero() {
        "Limited Data"
    } else if repaid_share > 1.5 {
        "Multiple Loans"
    } else if repaid_share >= 1.0 {
        "Fully Paid"
    } else if repaid_share >= 0.7 && quiet_days >= 90 {
        "Likely Settled"
    } else {
        "Active"
    };
    let outstanding = disbursed.checked_sub(repaid).unwrap_or(disbursed);
    LenderRelationship {
        lender: lender.to_owned(),
        disbursements: disbursed_rows.len(),
        disbursed,
        repayments: repaid_rows.len(),
        repaid,
        estimated_outstanding: if outstanding.is_negative() || status == "Likely Settled" {
            money.zero()
        } else {
            outstanding
        },
        status: status.into(),
        last_activity,
    }
}
