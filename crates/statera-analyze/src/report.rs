//! Statements in, the full report out: the statements read, the analysis, a fraud report
//! per statement and the credit score. Also its plain-text rendering for people.

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;
use statera_model::Statement;

use crate::analysis::{Analysis, analyze};
use crate::categorise::Categoriser;
use crate::fraud::{FraudReport, examine};
use crate::health::{Health, RiskScore};
use crate::ledger::Ledger;
use crate::score::{CreditScore, OpenBankingScore, Scaling, credit_score, open_banking_score};

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub as_of: NaiveDate,
    pub statements: Vec<StatementOverview>,
    pub analysis: Analysis,
    pub fraud: FraudOverview,
    pub credit_score: CreditScore,
    /// The same model on the open-banking face's 0–1000 scale, with its three indicators.
    pub open_banking_score: OpenBankingScore,
    /// Health grade A+–F and the funder's figures (volatility, stacking, debt service).
    pub health: Health,
    /// Overall risk 0–100 (higher is worse): poor health or the worst fraud score.
    pub risk: RiskScore,
}

#[derive(Clone, Debug, Serialize)]
pub struct StatementOverview {
    pub format: String,
    pub layout: String,
    pub provider: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_holder: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_type: Option<String>,
    pub currency: String,
    pub transactions: usize,
    pub confidence: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct FraudOverview {
    /// The worst statement's score: a client is as risky as its riskiest document.
    pub score: u32,
    pub content_score: u32,
    pub fingerprint_score: u32,
    pub statements: Vec<FraudReport>,
}

/// Why there is nothing to analyse.
#[derive(Debug, thiserror::Error)]
pub enum AnalyzeError {
    #[error("no statement holds a transaction in an account Statera analyses")]
    NothingToAnalyse,
}

/// Analyses one client's statements. `as_of` defaults to the last transaction date, so the
/// same input always gives the same report.
pub fn build(
    statements: &[Statement],
    as_of: Option<NaiveDate>,
    categoriser: &Categoriser,
    scaling: Scaling,
) -> Result<Report, AnalyzeError> {
    let ledger = Ledger::build(statements, categoriser).ok_or(AnalyzeError::NothingToAnalyse)?;
    let last = ledger
        .entries
        .last()
        .map(|e| e.date())
        .ok_or(AnalyzeError::NothingToAnalyse)?;
    let as_of = as_of.unwrap_or(last);
    let analysis = analyze(&ledger, as_of);
    let reports: Vec<FraudReport> = statements.iter().map(|s| examine(s, as_of)).collect();
    let worst = |f: fn(&FraudReport) -> u32| reports.iter().map(f).max().unwrap_or(0);
    let fraud = FraudOverview {
        score: worst(|r| r.score),
        content_score: worst(|r| r.content_score),
        fingerprint_score: worst(|r| r.fingerprint_score),
        statements: reports,
    };
    let credit_score = credit_score(&analysis, scaling);
    let open_banking_score = open_banking_score(&analysis, &credit_score);
    let health = crate::health::assess(&analysis);
    let risk = crate::health::risk(&health, fraud.score);
    Ok(Report {
        as_of,
        statements: statements
            .iter()
            .map(|s| StatementOverview {
                format: s.format.clone(),
                layout: s.layout.clone(),
                provider: s.provider.clone(),
                account_holder: s.account_holder.clone(),
                account_number: s.account_number.clone(),
                account_type: s.account_type.clone(),
                currency: s.currency.to_string(),
                transactions: s.transactions.len(),
                confidence: s.confidence.score,
            })
            .collect(),
        analysis,
        fraud,
        credit_score,
        open_banking_score,
        health,
        risk,
    })
}

/// The report as a person reads it.
pub fn render_text(report: &Report) -> String {
    let a = &report.analysis;
    let c = &a.currency;
    let mut out = String::new();
    let _ = writeln!(out, "Statera report as of {}", report.as_of);
    for s in &report.statements {
        let _ = writeln!(
            out,
            "  {} {} ({}), {} transactions, extraction confidence {:.2}",
            s.provider,
            s.account_number.as_deref().unwrap_or(""),
            s.layout,
            s.transactions,
            s.confidence
        );
    }
    let cs = &report.credit_score;
    let _ = writeln!(
        out,
        "\nCredit score {} — {} ({})",
        cs.score, cs.risk_tier.tier, cs.risk_tier.risk
    );
    for r in &cs.reasons {
        let _ = writeln!(out, "  - {} (−{:.0} points)", r.text, r.points_lost);
    }
    let _ = writeln!(
        out,
        "\nFraud score {} (content {}, fingerprint {})",
        report.fraud.score, report.fraud.content_score, report.fraud.fingerprint_score
    );
    for s in report
        .fraud
        .statements
        .iter()
        .flat_map(|f| f.signals.iter())
        .take(12)
    {
        let _ = writeln!(out, "  - [{:?}] {}", s.severity, s.explanation);
    }
    let h = &report.health;
    let _ = writeln!(
        out,
        "\nHealth grade {} ({} / 100); overall risk {} ({}, from {})",
        h.grade, h.points, report.risk.score, report.risk.level, report.risk.driven_by
    );
    let _ = writeln!(
        out,
        "  balance volatility {}, stacking risk {} ({} active lenders), debt service {c} {} a month = {} of true revenue",
        h.balance_volatility_index
            .map(|v| format!("{v:.2}"))
            .unwrap_or_else(|| "n/a".into()),
        h.stacking_risk,
        h.active_lenders,
        h.monthly_debt_service,
        h.debt_to_revenue
            .map(|r| format!("{:.1}%", r * 100.0))
            .unwrap_or_else(|| "all (no revenue)".into())
    );
    let sm = &a.summary;
    let _ = writeln!(
        out,
        "\nPeriod {} to {} ({} days): in {c} {}, out {c} {}, net {c} {}",
        sm.period_start.map(|d| d.to_string()).unwrap_or_default(),
        sm.period_end.map(|d| d.to_string()).unwrap_or_default(),
        sm.days_covered,
        sm.total_in,
        sm.total_out,
        sm.net
    );
    let _ = writeln!(
        out,
        "Days at or below zero: {:.1}%",
        sm.zero_balance_rate_percentage
    );
    let _ = writeln!(
        out,
        "\nMonth      in            out           net           closing"
    );
    for m in &a.cashflow {
        let _ = writeln!(
            out,
            "{}    {:>12}  {:>12}  {:>12}  {:>12}",
            m.month,
            m.total_in.to_string(),
            m.total_out.to_string(),
            m.net.to_string(),
            m.closing_balance.map(|b| b.to_string()).unwrap_or_default()
        );
    }
    let _ = writeln!(
        out,
        "\nIncome: average {c} {} a month, stability {:.2}",
        a.income.average_monthly, a.income.stability
    );
    if let Some(salary) = &a.income.salary {
        let _ = writeln!(
            out,
            "  salary from {}: {c} {} {} around day {}, {} months",
            salary.employer,
            salary.average_amount,
            salary.periodicity,
            salary.typical_day,
            salary.months_paid
        );
    }
    let _ = writeln!(out, "\nSpending by category:");
    for s in a.spending.iter().take(8) {
        let _ = writeln!(
            out,
            "  {:<24} {c} {:>12}  {:>5.1}%",
            s.category,
            s.total.to_string(),
            s.share_percentage
        );
    }
    if !a.loans.lenders.is_empty() {
        let _ = writeln!(
            out,
            "\nLoans ({} lenders active at once):",
            a.loans.concurrent_lenders
        );
        for l in &a.loans.lenders {
            let _ = writeln!(
                out,
                "  {:<20} disbursed {c} {}, repaid {c} {}: {}",
                l.lender, l.disbursed, l.repaid, l.status
            );
        }
    }
    let g = &a.gambling;
    if g.bets > 0 {
        let _ = writeln!(
            out,
            "\nGambling: {} bets, stakes {c} {} ({:.1}% of income), winnings {c} {}",
            g.bets, g.stakes, g.share_of_income_percentage, g.winnings
        );
    }
    let lm = &a.lending_metrics;
    let _ = writeln!(
        out,
        "\nDebt-to-income {:.2}; cash-flow sufficiency {:.0}/100; affordable instalment {c} {} a month",
        lm.debt_to_income, lm.cash_flow_sufficiency_score, lm.affordability
    );
    out
}
