//! Account health and client risk, as a funder reads them (ClearStaq's vocabulary): a
//! health grade A+–F built from cash-flow figures alone (deliberately blind to fraud), a
//! balance volatility index, stacking risk from concurrent lenders, monthly debt service
//! against true revenue, and an overall risk score 0–100 (higher is worse) that also takes
//! the worst statement's fraud score. Every figure is derived from the analysis; the points
//! table is documented in docs/scorecard.md.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use statera_model::Amount;

use crate::analysis::{Analysis, ratio, round};

#[derive(Clone, Debug, Serialize)]
pub struct Health {
    /// `A+`, `A`, `B`, `C`, `D` or `F`.
    pub grade: &'static str,
    /// 0–100: the sum of the components' points.
    pub points: u32,
    pub components: Vec<HealthComponent>,
    /// 0 (a steady balance) to 1 (swings dwarf the balance): σ / (σ + |μ|) over end-of-day
    /// balances. `None` when the statements print no balances.
    pub balance_volatility_index: Option<f64>,
    /// `LOW` (at most one active lender), `MEDIUM` (two) or `HIGH` (three or more).
    pub stacking_risk: &'static str,
    pub active_lenders: usize,
    /// Average loan repayments per month over the period.
    pub monthly_debt_service: Amount,
    /// Monthly debt service ÷ monthly true revenue; `None` when there is debt service but
    /// no revenue at all (unbounded: the component then gives no points).
    pub debt_to_revenue: Option<f64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct HealthComponent {
    pub name: &'static str,
    /// The figure the points come from, rounded for display.
    pub value: f64,
    pub points: u32,
    pub max_points: u32,
}

/// The client's overall risk: the worse of poor health and the worst statement's fraud.
#[derive(Clone, Debug, Serialize)]
pub struct RiskScore {
    /// 0–100, higher is worse: max(100 − health points, worst fraud score).
    pub score: u32,
    /// `Low` (0–25), `Medium` (26–50), `High` (51–75) or `Critical` (76–100).
    pub level: &'static str,
    /// `health` or `fraud`: which side set the score.
    pub driven_by: &'static str,
}

/// σ / (σ + |μ|) of the end-of-day balances.
fn volatility(analysis: &Analysis) -> Option<f64> {
    let mut end_of_day: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    for t in &analysis.transactions {
        if let Some(balance) = t.balance {
            end_of_day.insert(t.date, balance.minor());
        }
    }
    if end_of_day.len() < 2 {
        return None;
    }
    let values: Vec<f64> = end_of_day.values().map(|v| *v as f64).collect();
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / values.len() as f64).sqrt();
    if sd + mean.abs() == 0.0 {
        return Some(0.0);
    }
    Some(sd / (sd + mean.abs()))
}

/// Inflows of the last three months against the first three (needs six months).
fn revenue_trend(analysis: &Analysis) -> Option<f64> {
    let months = &analysis.cashflow;
    if months.len() < 6 {
        return None;
    }
    let sum = |slice: &[crate::analysis::MonthFlow]| {
        slice
            .iter()
            .fold(Amount::zero(months[0].total_in.scale()), |acc, m| {
                acc.checked_add(m.total_in).unwrap_or(acc)
            })
    };
    let first = sum(&months[..3]);
    let last = sum(&months[months.len() - 3..]);
    if first.is_zero() {
        return None;
    }
    Some(ratio(last, first))
}

fn component(name: &'static str, value: f64, points: u32, max_points: u32) -> HealthComponent {
    HealthComponent {
        name,
        // An unbounded figure stays infinite and serialises as null.
        value: if value.is_finite() {
            round(value, 3)
        } else {
            value
        },
        points: points.min(max_points),
        max_points,
    }
}

/// The health grade and its figures.
pub fn assess(analysis: &Analysis) -> Health {
    let months = analysis.cashflow.len().max(1);
    let months_not_negative = analysis
        .cashflow
        .iter()
        .filter(|m| !m.net.is_negative())
        .count();
    let positive_share = months_not_negative as f64 / months as f64;
    let days = analysis.summary.days_covered.max(1) as f64;
    let low_days_share = (analysis.risks.days_at_zero_or_negative as f64 / days).min(1.0);
    let volatility = volatility(analysis);
    let active_lenders = analysis.loans.concurrent_lenders;
    let monthly_debt_service = analysis.loans.average_monthly_repayment;
    let revenue = analysis.true_revenue.monthly_average;
    let debt_to_revenue = if monthly_debt_service.is_zero() {
        Some(0.0)
    } else if revenue.is_zero() || revenue.is_negative() {
        None
    } else {
        Some(ratio(monthly_debt_service, revenue).max(0.0))
    };
    let failed = analysis.risks.failed_payments;
    let trend = revenue_trend(analysis);

    let components = vec![
        component(
            "months_with_positive_net_cash_flow",
            positive_share,
            (25.0 * positive_share).round() as u32,
            25,
        ),
        component(
            "share_of_days_at_zero_or_negative",
            low_days_share,
            (20.0 * (1.0 - low_days_share)).round() as u32,
            20,
        ),
        // Without balances the component gives half its points: no evidence either way.
        component(
            "balance_volatility_index",
            volatility.unwrap_or(0.5),
            (15.0 * (1.0 - volatility.unwrap_or(0.5))).round() as u32,
            15,
        ),
        // No revenue to carry the debt: unbounded, shown as null, no points.
        component(
            "debt_to_revenue",
            debt_to_revenue.unwrap_or(f64::INFINITY),
            match debt_to_revenue {
                Some(r) if r <= 0.10 => 20,
                Some(r) if r <= 0.20 => 15,
                Some(r) if r <= 0.35 => 10,
                Some(r) if r <= 0.50 => 5,
                _ => 0,
            },
            20,
        ),
        component(
            "failed_payments",
            failed as f64,
            match failed {
                0 => 10,
                1..=2 => 6,
                3..=5 => 3,
                _ => 0,
            },
            10,
        ),
        // Fewer than six months: half the points, as for missing balances.
        component(
            "revenue_trend",
            trend.unwrap_or(1.0),
            match trend {
                None => 5,
                Some(t) if t >= 1.0 => 10,
                Some(t) if t >= 0.85 => 7,
                Some(t) if t >= 0.70 => 4,
                Some(_) => 0,
            },
            10,
        ),
    ];
    let points: u32 = components.iter().map(|c| c.points).sum();
    Health {
        grade: grade(points),
        points,
        components,
        balance_volatility_index: volatility.map(|v| round(v, 3)),
        stacking_risk: match active_lenders {
            0 | 1 => "LOW",
            2 => "MEDIUM",
            _ => "HIGH",
        },
        active_lenders,
        monthly_debt_service,
        debt_to_revenue: debt_to_revenue.map(|r| round(r, 4)),
    }
}

pub fn grade(points: u32) -> &'static str {
    match points {
        90.. => "A+",
        80..=89 => "A",
        70..=79 => "B",
        60..=69 => "C",
        50..=59 => "D",
        _ => "F",
    }
}

/// The overall risk from health and the worst statement's fraud score.
pub fn risk(health: &Health, worst_fraud_score: u32) -> RiskScore {
    let from_health = 100u32.saturating_sub(health.points);
    let fraud = worst_fraud_score.min(100);
    let (score, driven_by) = if fraud > from_health {
        (fraud, "fraud")
    } else {
        (from_health, "health")
    };
    RiskScore {
        score,
        level: match score {
            0..=25 => "Low",
            26..=50 => "Medium",
            51..=75 => "High",
            _ => "Critical",
        },
        driven_by,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_and_levels_follow_their_bands() {
        assert_eq!(
            [95, 90, 89, 80, 79, 70, 60, 50, 49, 0].map(grade),
            ["A+", "A+", "A", "A", "B", "B", "C", "D", "F", "F"]
        );
        let health = |points| Health {
            grade: grade(points),
            points,
            components: Vec::new(),
            balance_volatility_index: None,
            stacking_risk: "LOW",
            active_lenders: 0,
            monthly_debt_service: Amount::zero(2),
            debt_to_revenue: Some(0.0),
        };
        let r = risk(&health(80), 10);
        assert_eq!((r.score, r.level, r.driven_by), (20, "Low", "health"));
        let r = risk(&health(80), 60);
        assert_eq!((r.score, r.level, r.driven_by), (60, "High", "fraud"));
        assert_eq!(risk(&health(50), 0).level, "Medium");
        assert_eq!(risk(&health(10), 0).level, "Critical");
    }
}
