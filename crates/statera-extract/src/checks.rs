//! Arithmetic checks over extracted rows (the running-balance chain, opening + credits −
//! debits = closing, the document's declared totals) and the confidence they imply.

use statera_model::{
    Amount, ChainBreak, Confidence, ConfidenceReason, DeclaredTotals, Direction, Reconciliation,
    Transaction,
};

/// Sums and chain checks. Rows that share a date and time (a payment and its charge, a
/// Fuliza draw and the payment it funds) are one event whose internal order is not stable
/// in every issuer's output, so a group whose net change is right is not a break.
pub fn reconcile(
    transactions: &[Transaction],
    opening: Option<Amount>,
    closing: Option<Amount>,
    declared: Option<DeclaredTotals>,
    scale: u8,
) -> Reconciliation {
    let mut credits = Amount::zero(scale);
    let mut debits = Amount::zero(scale);
    for t in transactions {
        let total = match t.direction {
            Direction::Credit => &mut credits,
            Direction::Debit => &mut debits,
        };
        *total = total.checked_add(t.amount).unwrap_or(*total);
    }

    let mut chain_checked = 0u32;
    let mut chain_breaks = Vec::new();
    let mut previous: Option<Amount> = opening;
    let mut i = 0;
    while i < transactions.len() {
        let group_end = group_end(transactions, i);
        let group = &transactions[i..group_end];
        let mut row_breaks = Vec::new();
        let mut running = previous;
        for (offset, t) in group.iter().enumerate() {
            if let (Some(before), Some(printed)) = (running, t.balance) {
                chain_checked += 1;
                if let Some(expected) = before.checked_add(t.signed_amount())
                    && expected != printed
                {
                    row_breaks.push(ChainBreak {
                        index: i + offset,
                        page: t.page,
                        line: t.line,
                        reference: t.reference.clone(),
                        expected_balance: expected,
                        printed_balance: printed,
                        difference: printed.checked_sub(expected).unwrap_or(printed),
                    });
                }
            }
            running = t
                .balance
                .or_else(|| running?.checked_add(t.signed_amount()));
        }
        if !row_breaks.is_empty()
            && group.len() > 1
            && let Some(end) = group_end_balance(previous, group)
        {
            row_breaks.clear();
            running = Some(end);
        }
        chain_breaks.extend(row_breaks);
        previous = running;
        i = group_end;
    }

    let balance_equation_holds = match (opening, closing) {
        (Some(open), Some(close)) => open
            .checked_add(credits)
            .and_then(|a| a.checked_sub(debits))
            .map(|end| end == close),
        _ => None,
    };
    Reconciliation {
        credits_total: credits,
        debits_total: debits,
        balance_equation_holds,
        declared_totals_match: declared.map(|d| d.credits == credits && d.debits == debits),
        chain_checked,
        chain_breaks,
    }
}

/// Index after the run of rows sharing `transactions[start]`'s date and time.
fn group_end(transactions: &[Transaction], start: usize) -> usize {
    let key = |t: &Transaction| t.time.map(|time| (t.date, time));
    let Some(first) = key(&transactions[start]) else {
        return start + 1;
    };
    let mut end = start + 1;
    while end < transactions.len() && key(&transactions[end]) == Some(first) {
        end += 1;
    }
    end
}

/// The balance after a group of same-second rows when its net change lands on one of the
/// group's printed balances (so some order of the rows explains it); `None` otherwise.
fn group_end_balance(before: Option<Amount>, group: &[Transaction]) -> Option<Amount> {
    let end = group
        .iter()
        .try_fold(before?, |acc, t| acc.checked_add(t.signed_amount()))?;
    group.iter().any(|t| t.balance == Some(end)).then_some(end)
}

/// Where rows read from a page-less file (CSV, plain text) came from.
pub struct RowSource {
    pub format: &'static str,
    pub layout: String,
    pub provider: &'static str,
    pub institution: Option<String>,
    pub account_number: Option<String>,
}

/// A Statement from rows read out of a page-less file: the opening and closing balances are
/// the printed ones or follow from the rows, then the checks and the confidence apply.
pub fn row_statement(
    source: RowSource,
    currency: statera_model::Currency,
    transactions: Vec<Transaction>,
    printed_opening: Option<Amount>,
    printed_closing: Option<Amount>,
    unreadable_rows: Vec<(u32, u32, String, String)>,
) -> statera_model::Statement {
    let opening = printed_opening.or_else(|| {
        let first = transactions.first()?;
        first.balance?.checked_sub(first.signed_amount())
    });
    let closing = printed_closing.or_else(|| transactions.last()?.balance);
    let reconciliation = reconcile(
        &transactions,
        opening,
        closing,
        None,
        currency.minor_units(),
    );
    let evidence = Evidence {
        unreadable_rows,
        ..Evidence::default()
    };
    let confidence = confidence(&transactions, &reconciliation, &evidence);
    let period = match (transactions.first(), transactions.last()) {
        (Some(first), Some(last)) => Some(statera_model::Period {
            start: first.date,
            end: last.date,
        }),
        _ => None,
    };
    statera_model::Statement {
        format: source.format.into(),
        layout: source.layout,
        provider: source.provider.into(),
        institution: source.institution,
        account_holder: None,
        account_number: source.account_number,
        email: None,
        account_type: None,
        currency,
        period,
        request_date: None,
        opening_balance: opening,
        closing_balance: closing,
        declared_totals: None,
        summary: Vec::new(),
        pages: statera_model::Pages::default(),
        pdf: None,
        transactions,
        reconciliation,
        confidence,
        forensics: statera_model::Forensics::default(),
        reading: None,
    }
}

/// Inputs to the confidence score beyond the reconciliation.
#[derive(Debug, Default)]
pub struct Evidence {
    pub unreadable_rows: Vec<(u32, u32, String, String)>,
    pub stray_lines: Vec<(u32, u32, String)>,
    pub glyphs: u32,
    pub unmapped_glyphs: u32,
    pub pages_without_text: Vec<u32>,
    pub expects_declared_totals: bool,
    pub has_declared_totals: bool,
    /// Further problems the reader found: (code, message, penalty).
    pub extra: Vec<(String, String, f64)>,
}

/// 1.0 minus a penalty per problem found, each listed with its reason.
pub fn confidence(
    transactions: &[Transaction],
    reconciliation: &Reconciliation,
    evidence: &Evidence,
) -> Confidence {
    let mut reasons = Vec::new();
    let mut add = |code: &str, message: String, penalty: f64| {
        reasons.push(ConfidenceReason {
            code: code.to_owned(),
            message,
            penalty: (penalty * 1000.0).round() / 1000.0,
        });
    };
    if transactions.is_empty() {
        add(
            "no_transactions",
            "no transaction rows were found".into(),
            0.3,
        );
    }
    let breaks = reconciliation.chain_breaks.len();
    if breaks > 0 {
        let share = breaks as f64 / f64::from(reconciliation.chain_checked.max(1));
        let first = &reconciliation.chain_breaks[0];
        add(
            "balance_chain_breaks",
            format!(
                "{breaks} of {} running balances do not follow from the previous row (first on page {} line {})",
                reconciliation.chain_checked, first.page, first.line
            ),
            (0.05 + 0.45 * share).min(0.5),
        );
    }
    if reconciliation.declared_totals_match == Some(false) {
        add(
            "declared_totals_mismatch",
            "the document's own totals differ from the sum of its rows".into(),
            0.3,
        );
    }
    if evidence.expects_declared_totals && !evidence.has_declared_totals {
        add(
            "declared_totals_missing",
            "the summary totals the layout expects were not found".into(),
            0.05,
        );
    }
    if reconciliation.balance_equation_holds == Some(false) {
        add(
            "balance_equation_fails",
            "opening balance + credits − debits does not equal the closing balance".into(),
            0.2,
        );
    }
    if !transactions.is_empty() && transactions.iter().all(|t| t.balance.is_none()) {
        add(
            "no_running_balance",
            "no running balance is printed, so rows cannot be cross-checked".into(),
            0.1,
        );
    }
    if let Some((page, line, text, why)) = evidence.unreadable_rows.first() {
        let n = evidence.unreadable_rows.len();
        add(
            "unreadable_rows",
            format!(
                "{n} rows could not be read; first on page {page} line {line}: {why} in {text:?}"
            ),
            (0.1 + 0.02 * n as f64).min(0.4),
        );
    }
    if let Some((page, line, text)) = evidence.stray_lines.first() {
        let n = evidence.stray_lines.len();
        add(
            "stray_lines",
            format!(
                "{n} lines inside the table belong to no row; first on page {page} line {line}: {text:?}"
            ),
            (0.02 * n as f64).min(0.2),
        );
    }
    if evidence.glyphs > 0 && evidence.unmapped_glyphs * 200 > evidence.glyphs {
        let share = f64::from(evidence.unmapped_glyphs) / f64::from(evidence.glyphs);
        add(
            "unmapped_glyphs",
            format!(
                "{:.1}% of characters have no Unicode mapping",
                share * 100.0
            ),
            (share * 2.0).min(0.3),
        );
    }
    if !evidence.pages_without_text.is_empty() {
        add(
            "pages_without_text",
            format!(
                "pages without a text layer: {:?}",
                evidence.pages_without_text
            ),
            (0.1 * evidence.pages_without_text.len() as f64).min(0.3),
        );
    }
    for (code, message, penalty) in &evidence.extra {
        add(code, message.clone(), *penalty);
    }
    let total: f64 = reasons.iter().map(|r| r.penalty).sum();
    Confidence {
        score: ((1.0 - total).max(0.0) * 1000.0).round() / 1000.0,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, NaiveTime};
    use proptest::prelude::*;

    fn tx(minor: i64, direction: Direction, balance: i64, second: u32) -> Transaction {
        Transaction {
            date: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            time: NaiveTime::from_hms_opt(10, 0, second),
            reference: None,
            description: String::new(),
            status: None,
            amount: Amount::from_minor(minor, 2),
            direction,
            balance: Some(Amount::from_minor(balance, 2)),
            page: 1,
            line: 1,
        }
    }

    fn amount(minor: i64) -> Amount {
        Amount::from_minor(minor, 2)
    }

    #[test]
    fn a_consistent_chain_reconciles() {
        let rows = [
            tx(500, Direction::Credit, 1500, 1),
            tx(200, Direction::Debit, 1300, 2),
        ];
        let declared = DeclaredTotals {
            credits: amount(500),
            debits: amount(200),
        };
        let r = reconcile(
            &rows,
            Some(amount(1000)),
            Some(amount(1300)),
            Some(declared),
            2,
        );
        assert_eq!(r.chain_checked, 2);
        assert!(r.chain_breaks.is_empty());
        assert_eq!(r.balance_equation_holds, Some(true));
        assert_eq!(r.declared_totals_match, Some(true));
        let c = confidence(&rows, &r, &Evidence::default());
        assert_eq!(c.score, 1.0);
        assert!(c.reasons.is_empty());
    }

    #[test]
    fn an_edited_balance_breaks_the_chain_and_lowers_confidence() {
        let rows = [
            tx(500, Direction::Credit, 1500, 1),
            tx(200, Direction::Debit, 9300, 2),
            tx(100, Direction::Debit, 9200, 3),
        ];
        let r = reconcile(&rows, Some(amount(1000)), Some(amount(9200)), None, 2);
        assert_eq!(r.chain_breaks.len(), 1);
        assert_eq!(r.chain_breaks[0].index, 1);
        assert_eq!(r.chain_breaks[0].difference, amount(8000));
        assert_eq!(r.balance_equation_holds, Some(false));
        let c = confidence(&rows, &r, &Evidence::default());
        assert!(c.score < 0.8, "{c:?}");
        assert!(c.reasons.iter().any(|r| r.code == "balance_chain_breaks"));
    }

    #[test]
    fn rows_of_one_second_may_come_in_either_order() {
        // A payment of 100 and its charge of 5 at the same second, printed charge first.
        let rows = [
            tx(5, Direction::Debit, 895, 7),
            tx(100, Direction::Debit, 900, 7),
        ];
        let r = reconcile(&rows, Some(amount(1000)), Some(amount(900)), None, 2);
        assert!(r.chain_breaks.is_empty(), "{r:?}");
    }

    proptest! {
        #[test]
        fn any_generated_chain_reconciles(start in 0i64..1_000_000,
                                          moves in proptest::collection::vec((1i64..100_000, any::<bool>()), 0..50)) {
            let mut balance = start;
            let mut rows = Vec::new();
            for (i, (minor, credit)) in moves.iter().enumerate() {
                let direction = if *credit { Direction::Credit } else { Direction::Debit };
                balance += if *credit { *minor } else { -*minor };
                rows.push(tx(*minor, direction, balance, (i % 60) as u32));
                rows.last_mut().unwrap().time = NaiveTime::from_hms_opt(1 + (i / 60) as u32 % 20, 0, (i % 60) as u32);
            }
            let r = reconcile(&rows, Some(amount(start)), Some(amount(balance)), None, 2);
            prop_assert!(r.chain_breaks.is_empty());
            prop_assert_eq!(r.balance_equation_holds, Some(true));
            prop_assert_eq!(r.credits_total.checked_sub(r.debits_total).unwrap(), amount(balance - start));
        }

        #[test]
        fn confidence_stays_between_zero_and_one(breaks in 0usize..100, unreadable in 0usize..100, stray in 0usize..100) {
            let mut r = Reconciliation { chain_checked: 100, ..Reconciliation::default() };
            for index in 0..breaks {
                r.chain_breaks.push(ChainBreak { index, page: 1, line: 1, reference: None,
                    expected_balance: amount(0), printed_balance: amount(1), difference: amount(1) });
            }
            r.declared_totals_match = Some(false);
            r.balance_equation_holds = Some(false);
            let evidence = Evidence {
                unreadable_rows: vec![(1, 1, String::new(), String::new()); unreadable],
                stray_lines: vec![(1, 1, String::new()); stray],
                glyphs: 100, unmapped_glyphs: 90, pages_without_text: vec![1, 2, 3, 4],
                expects_declared_totals: true, has_declared_totals: false,
                extra: Vec::new(),
            };
            let c = confidence(&[], &r, &evidence);
            prop_assert!((0.0..=1.0).contains(&c.score));
        }
    }
}
