//! One line of money movement, as the statement printed it.

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::Amount;

/// Which way money moved, from the account holder's point of view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Money in (Paid In, deposit, credit).
    Credit,
    /// Money out (Withdrawn, withdrawal, debit).
    Debit,
}

/// A transaction in chronological position within its statement.
///
/// `amount` is never negative: the sign lives in `direction`. A zero-amount row (M-Pesa's
/// `M-Shwari Loan Request 0.00`) is kept, as a credit of zero, because lenders read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transaction {
    pub date: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<NaiveTime>,
    /// Receipt number, cheque number or bank reference, when the statement prints one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The narration as printed; wrapped lines joined with one space.
    pub description: String,
    /// Status as printed (`Completed`, `COMPLETED`, `Failed`…), when there is a column for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    pub amount: Amount,
    pub direction: Direction,
    /// The running balance printed after this transaction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance: Option<Amount>,
    /// 1-based page of the source document where the row starts (0 when not from a paged source).
    pub page: u32,
    /// 1-based line of the row's first line on that page (or of the record in a text file).
    pub line: u32,
}

impl Transaction {
    /// The amount with the direction's sign: credits positive, debits negative.
    pub fn signed_amount(&self) -> Amount {
        match self.direction {
            Direction::Credit => self.amount,
            // Amounts are parsed from text of bounded length, so they are never i64::MIN.
            Direction::Debit => self.amount.checked_neg().unwrap_or(self.amount),
        }
    }
}
