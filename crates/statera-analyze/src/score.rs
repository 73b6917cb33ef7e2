//! The credit score: a transparent scorecard on 300–850.
//!
//! Each characteristic is binned; each bin carries a weight of evidence in log-odds (good
//! against bad). The score is `offset + factor × (ln(anchor odds) + Σ woe)`, with
//! `factor = PDO / ln 2` and `offset = anchor score − factor × ln(anchor odds)`, then
//! clamped to 300–850: an applicant whose every characteristic is neutral scores the
//! anchor. Bins are monotonic where risk is: more gambling, more failed payments, more days
//! at zero, more lenders at once never raise the score. Reason codes are the four
//! characteristics that cost the most points against their best bin.
//!
//! The bins and weights are documented in `docs/scorecard.md` and chosen against real loan
//! outcomes (`scripts/validate-berka`), never fitted to one file.

use serde::Serialize;

use crate::analysis::Analysis;

/// Scorecard version, stamped on every score.
pub const MODEL_VERSION: &str = "statera-scorecard-1";

/// Scaling: `anchor_score` points at `anchor_odds` good:bad, `pdo` points to double them.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Scaling {
    pub anchor_score: f64,
    pub anchor_odds: f64,
    pub pdo: f64,
}

impl Default for Scaling {
    /// 600 at 20:1 with 40 points to double the odds: wide enough that thin-file books
    /// with default rates of 5–30 % spread over the range (features.md §4.2).
    fn default() -> Self {
        Self {
            anchor_score: 600.0,
            anchor_odds: 20.0,
            pdo: 40.0,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct CreditScore {
    pub score: u32,
    pub risk_tier: RiskTier,
    pub features: Vec<FeatureScore>,
    pub reasons: Vec<Reason>,
    pub model_version: &'static str,
    /// Estimated probability of default implied by the score under the scaling.
    pub probability_of_default: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RiskTier {
    pub tier: &'static str,
    pub color: &'static str,
    pub min_score: u32,
    pub risk: &'static str,
}

/// Seed 000's tiers; the seed shows only Good's colour and label, the others are ours.
pub const TIERS: [RiskTier; 5] = [
    RiskTier {
        tier: "Excellent",
        color: "#16a34a",
        min_score: 780,
        risk: "Very low risk",
    },
    RiskTier {
        tier: "Good",
        color: "#3b82f6",
        min_score: 680,
        risk: "Low risk",
    },
    RiskTier {
        tier: "Fair",
        color: "#eab308",
        min_score: 560,
        risk: "Moderate risk",
    },
    RiskTier {
        tier: "Poor",
        color: "#f97316",
        min_score: 400,
        risk: "High risk",
    },
    RiskTier {
        tier: "Very Poor",
        color: "#dc2626",
        min_score: 300,
        risk: "Very high risk",
    },
];

pub fn tier_for(score: u32) -> RiskTier {
    TIERS
        .iter()
        .find(|t| score >= t.min_score)
        .cloned()
        .unwrap_or_else(|| TIERS[4].clone())
}

#[derive(Clone, Debug, Serialize)]
pub struct FeatureScore {
    pub feature: &'static str,
    /// The characteristic's value (a ratio, a count or a percentage).
    pub value: f64,
    pub bin: &'static str,
    /// Points this bin adds (negative: takes away) relative to a neutral applicant.
    pub points: f64,
    /// Points below the characteristic's best bin.
    pub points_lost: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Reason {
    pub code: &'static str,
    pub text: &'static str,
    pub points_lost: f64,
}

/// One characteristic: how to read it from an analysis, its bins (upper bounds, ascending)
/// with weights of evidence, and the reason shown when it costs points.
struct Characteristic {
    name: &'static str,
    value: fn(&Analysis) -> f64,
    /// `(upper bound inclusive, label, woe)`; the last bin is open-ended.
    bins: &'static [(f64, &'static str, f64)],
    reason_code: &'static str,
    reason: &'static str,
}

const CHARACTERISTICS: &[Characteristic] = &[
    Characteristic {
        name: "history_months",
        value: |a| a.summary.months_covered as f64,
        bins: &[
            (1.0, "1 month or less", -0.6),
            (3.0, "2–3 months", -0.2),
            (6.0, "4–6 months", 0.1),
            (f64::MAX, "over 6 months", 0.3),
        ],
        reason_code: "short_history",
        reason: "The statements cover too short a period to judge cash flow.",
    },
    Characteristic {
        name: "zero_balance_days_percentage",
        value: |a| a.summary.zero_balance_rate_percentage,
        bins: &[
            (0.0, "never at zero", 0.4),
            (5.0, "up to 5% of days", 0.1),
            (20.0, "5–20% of days", -0.3),
            (f64::MAX, "over 20% of days", -0.8),
        ],
        reason_code: "balance_often_zero",
        reason: "The account balance is often at or below zero.",
    },
    Characteristic {
        name: "net_cash_flow_ratio",
        value: |a| ratio(a.summary.net.minor(), a.summary.total_in.minor()),
        bins: &[
            (-0.1, "outflows exceed inflows by over 10%", -0.6),
            (0.0, "slightly negative", -0.2),
            (0.1, "up to 10% retained", 0.1),
            (f64::MAX, "over 10% retained", 0.4),
        ],
        reason_code: "spending_exceeds_income",
        reason: "Money going out is high compared with money coming in.",
    },
    Characteristic {
        name: "income_stability",
        value: |a| a.income.stability,
        bins: &[
            (0.3, "very irregular", -0.4),
            (0.6, "irregular", -0.1),
            (0.8, "fairly stable", 0.1),
            (f64::MAX, "stable", 0.3),
        ],
        reason_code: "irregular_income",
        reason: "Income varies a lot from month to month.",
    },
    Characteristic {
        name: "gambling_share_of_income_percentage",
        value: |a| a.gambling.share_of_income_percentage,
        bins: &[
            (0.0, "none", 0.2),
            (2.0, "up to 2%", 0.0),
            (10.0, "2–10%", -0.4),
            (f64::MAX, "over 10%", -0.9),
        ],
        reason_code: "gambling",
        reason: "A share of income goes to betting.",
    },
    Characteristic {
        name: "failed_payments_per_month",
        value: |a| a.risks.failed_payments as f64 / a.summary.months_covered.max(1) as f64,
        bins: &[
            (0.0, "none", 0.2),
            (0.5, "occasional", -0.3),
            (f64::MAX, "frequent", -0.8),
        ],
        reason_code: "failed_payments",
        reason: "Payments have failed or been returned.",
    },
    Characteristic {
        name: "debt_to_income",
        value: |a| a.lending_metrics.debt_to_income,
        bins: &[
            (0.0, "no debt service", 0.1),
            (0.2, "up to 20%", 0.1),
            (0.4, "20–40%", -0.2),
            (f64::MAX, "over 40%", -0.6),
        ],
        reason_code: "high_debt_burden",
        reason: "Loan repayments take a large share of income.",
    },
    Characteristic {
        name: "concurrent_lenders",
        value: |a| a.loans.concurrent_lenders as f64,
        bins: &[
            (0.0, "none", 0.1),
            (1.0, "one", 0.0),
            (2.0, "two", -0.3),
            (f64::MAX, "three or more", -0.7),
        ],
        reason_code: "many_lenders",
        reason: "Several loans from different lenders are running at once.",
    },
    Characteristic {
        name: "minimum_balance_90d_to_monthly_income",
        value: |a| {
            a.summary.minimum_balance_last_90_days.map_or(0.0, |m| {
                ratio(m.minor(), a.income.average_monthly.minor().max(1))
            })
        },
        bins: &[
            (0.0, "at or below zero", -0.7),
            (0.1, "under a tenth of monthly income", -0.3),
            (0.5, "up to half", 0.0),
            (1.0, "up to a month of income", 0.3),
            (f64::MAX, "over a month of income", 0.5),
        ],
        reason_code: "low_minimum_balance",
        reason: "The balance recently fell very low compared with income.",
    },
    Characteristic {
        name: "cash_withdrawal_share",
        value: |a| {
            a.spending
                .iter()
                .find(|s| s.category == "cash_withdrawal")
                .map_or(0.0, |s| s.share_percentage / 100.0)
        },
        bins: &[
            (0.2, "a fifth of spending or less", 0.3),
            (0.5, "up to half", 0.0),
            (0.8, "most spending", -0.3),
            (f64::MAX, "almost all spending", -0.6),
        ],
        reason_code: "cash_heavy",
        reason: "Most money leaves the account as cash, so its use cannot be seen.",
    },
    Characteristic {
        name: "balance_buffer_months",
        value: |a| {
            let average = a
                .cashflow
                .iter()
                .filter_map(|m| m.average_balance)
                .map(|b| b.minor() as f64)
                .sum::<f64>()
                / a.cashflow
                    .iter()
                    .filter(|m| m.average_balance.is_some())
                    .count()
                    .max(1) as f64;
            ratio_f(average, a.cashflow_averages.monthly_out.minor() as f64)
        },
        bins: &[
            (0.05, "almost no buffer", -0.4),
            (0.25, "about a week of spending", -0.1),
            (1.0, "up to a month", 0.2),
            (f64::MAX, "over a month", 0.4),
        ],
        reason_code: "low_balance_buffer",
        reason: "The balance kept is small compared with monthly spending.",
    },
];

fn ratio(a: i64, b: i64) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

fn ratio_f(a: f64, b: f64) -> f64 {
    if b == 0.0 { 0.0 } else { a / b }
}

/// Scores an analysis.
pub fn credit_score(analysis: &Analysis, scaling: Scaling) -> CreditScore {
    let factor = scaling.pdo / std::f64::consts::LN_2;
    let offset = scaling.anchor_score - factor * scaling.anchor_odds.ln();
    let mut log_odds = scaling.anchor_odds.ln();
    let mut features = Vec::with_capacity(CHARACTERISTICS.len());
    for c in CHARACTERISTICS {
        let value = (c.value)(analysis);
        let value = if value.is_finite() { value } else { 0.0 };
        let (_, bin, woe) = c
            .bins
            .iter()
            .find(|(upper, _, _)| value <= *upper)
            .copied()
            .unwrap_or(c.bins[c.bins.len() - 1]);
        let best = c.bins.iter().map(|b| b.2).fold(f64::MIN, f64::max);
        log_odds += woe;
        features.push(FeatureScore {
            feature: c.name,
            value: (value * 1000.0).round() / 1000.0,
            bin,
            points: (factor * woe * 10.0).round() / 10.0,
            points_lost: (factor * (best - woe) * 10.0).round() / 10.0,
        });
    }
    let raw = offset + factor * log_odds;
    let score = raw.round().clamp(300.0, 850.0) as u32;
    let mut ranked: Vec<(&FeatureScore, &Characteristic)> =
        features.iter().zip(CHARACTERISTICS).collect();
    ranked.sort_by(|a, b| {
        b.0.points_lost
            .total_cmp(&a.0.points_lost)
            .then(a.0.feature.cmp(b.0.feature))
    });
    let reasons = ranked
        .into_iter()
        .filter(|(f, _)| f.points_lost > 0.0)
        .take(4)
        .map(|(f, c)| Reason {
            code: c.reason_code,
            text: c.reason,
            points_lost: f.points_lost,
        })
        .collect();
    let odds = ((f64::from(score) - offset) / factor).exp();
    CreditScore {
        score,
        risk_tier: tier_for(score),
        features,
        reasons,
        model_version: MODEL_VERSION,
        probability_of_default: (1.0 / (1.0 + odds) * 10_000.0).round() / 10_000.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_follow_the_seed() {
        assert_eq!(tier_for(850).tier, "Excellent");
        assert_eq!(tier_for(780).tier, "Excellent");
        assert_eq!(tier_for(779).tier, "Good");
        assert_eq!(tier_for(720).color, "#3b82f6");
        assert_eq!(tier_for(720).risk, "Low risk");
        assert_eq!(tier_for(680).min_score, 680);
        assert_eq!(tier_for(560).tier, "Fair");
        assert_eq!(tier_for(559).tier, "Poor");
        assert_eq!(tier_for(400).tier, "Poor");
        assert_eq!(tier_for(399).tier, "Very Poor");
        assert_eq!(tier_for(300).tier, "Very Poor");
    }

    #[test]
    fn bins_are_ordered_and_risk_bins_are_monotonic() {
        for c in CHARACTERISTICS {
            assert!(c.bins.windows(2).all(|w| w[0].0 < w[1].0), "{}", c.name);
        }
        // More of these never raises the score.
        for name in [
            "cash_withdrawal_share",
            "zero_balance_days_percentage",
            "gambling_share_of_income_percentage",
            "failed_payments_per_month",
            "debt_to_income",
            "concurrent_lenders",
        ] {
            let c = CHARACTERISTICS.iter().find(|c| c.name == name).unwrap();
            assert!(c.bins.windows(2).all(|w| w[0].2 >= w[1].2), "{name}");
        }
        // More of these never lowers it.
        for name in [
            "history_months",
            "net_cash_flow_ratio",
            "income_stability",
            "balance_buffer_months",
            "minimum_balance_90d_to_monthly_income",
        ] {
            let c = CHARACTERISTICS.iter().find(|c| c.name == name).unwrap();
            assert!(c.bins.windows(2).all(|w| w[0].2 <= w[1].2), "{name}");
        }
    }

    #[test]
    fn the_scaling_puts_a_neutral_applicant_on_the_anchor() {
        let s = Scaling::default();
        let factor = s.pdo / std::f64::consts::LN_2;
        let offset = s.anchor_score - factor * s.anchor_odds.ln();
        assert!((offset + factor * s.anchor_odds.ln() - 600.0).abs() < 1e-9);
        // Doubling the odds adds PDO points.
        assert!(
            (factor * (2.0 * s.anchor_odds).ln() - factor * s.anchor_odds.ln() - 40.0).abs() < 1e-9
        );
    }
}

/// The open-banking face's score (seed 004, Algoan-style): 0–1000 with three indicators.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenBankingScore {
    pub version: &'static str,
    /// The scorecard's score mapped linearly from 300–850 onto 0–1000: one model, two scales.
    pub value: u32,
    pub indicators: Indicators,
}

/// Each indicator is 0–1000, higher is better.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Indicators {
    /// What the income leaves: retained cash flow and the balance kept against spending.
    pub living_standard: u32,
    /// How the account is run: days at zero, failed payments, gambling.
    pub budget_management: u32,
    /// Whether the balance is rising or falling: the last months against the first.
    pub financial_evolution: u32,
}

pub fn open_banking_score(analysis: &Analysis, credit: &CreditScore) -> OpenBankingScore {
    let scale = |x: f64| (x.clamp(0.0, 1.0) * 1000.0).round() as u32;
    let net_ratio = ratio(
        analysis.summary.net.minor(),
        analysis.summary.total_in.minor(),
    );
    let monthly_out = analysis.cashflow_averages.monthly_out.minor().max(1) as f64;
    let balances: Vec<f64> = analysis
        .cashflow
        .iter()
        .filter_map(|m| m.average_balance.map(|b| b.minor() as f64))
        .collect();
    let buffer = if balances.is_empty() {
        0.0
    } else {
        balances.iter().sum::<f64>() / balances.len() as f64 / monthly_out
    };
    let living = 0.5 * (0.5 + net_ratio).clamp(0.0, 1.0) + 0.5 * buffer.clamp(0.0, 1.0);
    let failed_per_month =
        analysis.risks.failed_payments as f64 / analysis.summary.months_covered.max(1) as f64;
    let budget = (1.0 - analysis.summary.zero_balance_rate_percentage / 100.0)
        * (1.0 - failed_per_month.min(1.0))
        * (1.0 - (analysis.gambling.share_of_income_percentage / 20.0).min(1.0));
    let evolution = if balances.len() >= 2 {
        let half = balances.len() / 2;
        let early = balances[..half].iter().sum::<f64>() / half as f64;
        let late = balances[balances.len() - half..].iter().sum::<f64>() / half as f64;
        0.5 + 0.5 * ((late - early) / monthly_out).clamp(-1.0, 1.0)
    } else {
        0.5
    };
    OpenBankingScore {
        version: MODEL_VERSION,
        value: ((f64::from(credit.score) - 300.0) / 550.0 * 1000.0).round() as u32,
        indicators: Indicators {
            living_standard: scale(living),
            budget_management: scale(budget),
            financial_evolution: scale(evolution),
        },
    }
}
