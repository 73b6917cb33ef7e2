//! Statera's domain model: exact money, transactions and statements.
//!
//! Pure data and arithmetic. No IO, no clock, no environment: every crate above this one
//! (extraction, analysis, server) speaks these types.

mod money;
mod statement;
mod transaction;

pub use money::{Amount, Currency, Money, MoneyError};
pub use statement::{
    ChainBreak, ColumnReading, Confidence, ConfidenceReason, DeclaredTotals, Encryption,
    FieldReading, FontOutlier, FontUse, Forensics, Overlay, Overprint, PageForensics, Pages,
    PdfInfo, Period, Reading, Reconciliation, Statement, SummaryRow,
};
pub use transaction::{Direction, Transaction};
