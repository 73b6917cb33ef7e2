//! Statements → analysis, fraud report, credit score and repayment score.
//!
//! Pure: no IO, no clock. Every function that depends on "today" takes `as_of`.

pub mod analysis;
pub mod categorise;
pub mod fraud;
pub mod health;
pub mod ledger;
pub mod repayment;
pub mod report;
pub mod score;
