//! One client's statements merged into one chronological ledger: checking (or untyped)
//! accounts only, one currency, overlapping periods de-duplicated, every row categorised
//! and given a running balance where one can be known.

use std::collections::HashMap;

use chrono::NaiveDate;
use statera_model::{Amount, Currency, Direction, Statement, Transaction};

use crate::categorise::{Categorised, Categoriser};

/// A transaction with what the analysis adds to it.
#[derive(Clone, Debug)]
pub struct Entry {
    pub transaction: Transaction,
    /// Shared by every row with the same description and direction.
    pub categorised: std::sync::Arc<Categorised>,
    /// The balance after this row: printed, or carried from the opening balance.
    pub balance: Option<Amount>,
}

impl Entry {
    pub fn date(&self) -> NaiveDate {
        self.transaction.date
    }

    pub fn is_credit(&self) -> bool {
        self.transaction.direction == Direction::Credit
    }

    pub fn amount(&self) -> Amount {
        self.transaction.amount
    }
}

/// The merged ledger.
#[derive(Clone, Debug)]
pub struct Ledger {
    pub currency: Currency,
    pub entries: Vec<Entry>,
    /// Balance before the first entry, when known.
    pub opening_balance: Option<Amount>,
    /// Rows dropped because an overlapping statement already had them.
    pub duplicates_removed: usize,
    /// Statements left out (other currency, savings or card accounts), with why.
    pub excluded: Vec<String>,
}

impl Ledger {
    /// Merges `statements`. Accounts whose type is known and not `checking` are left out,
    /// as is any statement in a currency other than the most common one.
    pub fn build(statements: &[Statement], categoriser: &Categoriser) -> Option<Ledger> {
        let mut excluded = Vec::new();
        let usable: Vec<&Statement> = statements
            .iter()
            .filter(|s| {
                let keep = s.account_type.as_deref().is_none_or(|t| t == "checking");
                if !keep {
                    excluded.push(format!(
                        "{} account {} ({})",
                        s.account_type.as_deref().unwrap_or("other"),
                        s.account_number.as_deref().unwrap_or("?"),
                        s.currency
                    ));
                }
                keep
            })
            .collect();
        let mut by_currency: HashMap<Currency, usize> = HashMap::new();
        for s in &usable {
            *by_currency.entry(s.currency).or_default() += s.transactions.len();
        }
        let currency = by_currency
            .into_iter()
            .max_by_key(|(c, n)| (*n, std::cmp::Reverse(*c)))?
            .0;
        let mut sorted: Vec<&Statement> = usable
            .into_iter()
            .filter(|s| {
                let keep = s.currency == currency;
                if !keep {
                    excluded.push(format!(
                        "a statement in {} (analysis is in {currency})",
                        s.currency
                    ));
                }
                keep
            })
            .collect();
        sorted.sort_by_key(|s| s.transactions.first().map(|t| t.date));

        // Rows of a later statement that fall inside what earlier statements covered are
        // the same rows printed twice when they match one not yet matched.
        let mut entries: Vec<Transaction> = Vec::new();
        let mut duplicates_removed = 0;
        let mut opening_balance = None;
        for statement in &sorted {
            if opening_balance.is_none() {
                opening_balance = statement.opening_balance;
            }
            let covered_until = entries.iter().map(|t| t.date).max();
            let first = statement.transactions.first().map(|t| t.date);
            // Rows already taken from the days both statements cover, as a multiset.
            let mut pool: HashMap<(NaiveDate, Amount, Direction, String), usize> = HashMap::new();
            if let (Some(until), Some(first)) = (covered_until, first) {
                for t in entries
                    .iter()
                    .filter(|t| t.date >= first && t.date <= until)
                {
                    *pool.entry(key(t)).or_default() += 1;
                }
            }
            for t in &statement.transactions {
                let overlapping = covered_until.is_some_and(|until| t.date <= until);
                if overlapping && let Some(count) = pool.get_mut(&key(t)).filter(|c| **c > 0) {
                    *count -= 1;
                    duplicates_removed += 1;
                    continue;
                }
                entries.push(t.clone());
            }
        }
        entries.sort_by_key(|t| t.date);

        let holder = sorted.iter().find_map(|s| s.account_holder.clone());
        let mut running = opening_balance;
        // Statements repeat descriptions (charges, airtime, the same payee every month):
        // categorise each distinct one once (keys borrow the rows, nothing is copied).
        let categorised: Vec<std::sync::Arc<Categorised>> = {
            let mut seen: HashMap<(&str, Direction), std::sync::Arc<Categorised>> = HashMap::new();
            entries
                .iter()
                .map(|t| {
                    seen.entry((t.description.as_str(), t.direction))
                        .or_insert_with(|| {
                            // Knowing the holder's name turns sends to their own accounts
                            // internal.
                            std::sync::Arc::new(
                                categoriser.categorise_with_holder(t, holder.as_deref()),
                            )
                        })
                        .clone()
                })
                .collect()
        };
        let entries = entries
            .into_iter()
            .zip(categorised)
            .map(|(t, categorised)| {
                let balance = t
                    .balance
                    .or_else(|| running.and_then(|b| b.checked_add(t.signed_amount())));
                running = balance;
                Entry {
                    categorised,
                    balance,
                    transaction: t,
                }
            })
            .collect();
        Some(Ledger {
            currency,
            entries,
            opening_balance,
            duplicates_removed,
            excluded,
        })
    }
}

fn key(t: &Transaction) -> (NaiveDate, Amount, Direction, String) {
    let description: String = t
        .description
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase();
    (t.date, t.amount, t.direction, description)
}
