//! Stage 2a, lines → accounts. A PDF may hold several accounts' statements one after
//! another (a current and a savings account, each with its header and its table). Each
//! later account starts where, after transaction rows, a new header block names an
//! account's identity (holder, number, period) and a table follows. A header repeated on
//! every page for the same account (same number, same lines) starts nothing.

use std::ops::Range;

use crate::dates::DayMonth;
use statera_model::PdfInfo;

use super::fields;
use super::regions::DocLine;

/// How many lines a header block may span.
const BLOCK_LINES: usize = 12;

/// The line ranges of each account's statement, in document order (one range for a
/// document with one account).
pub fn sections(lines: &[DocLine]) -> Vec<Range<usize>> {
    let mut starts = vec![0usize];
    let mut ledger_since = 0usize;
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        if line.is_ledger() {
            ledger_since += 1;
            i += 1;
            continue;
        }
        if line.furniture || ledger_since < 1 || fields::identity_labels(line).is_empty() {
            i += 1;
            continue;
        }
        let block_end = (i..lines.len().min(i + BLOCK_LINES))
            .find(|&k| lines[k].is_ledger())
            .unwrap_or_else(|| lines.len().min(i + BLOCK_LINES));
        let mut kinds: Vec<&str> = lines[i..block_end]
            .iter()
            .filter(|l| !l.furniture)
            .flat_map(fields::identity_labels)
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        let ledger_after = lines[block_end..]
            .iter()
            .take(60)
            .filter(|l| l.is_ledger())
            .count();
        let current = *starts.last().unwrap_or(&0);
        // One label is enough when it is an account number other than this account's.
        let other_number =
            kinds == ["number"] && !same_account(&lines[current..i], &lines[i..block_end]);
        if kinds.len() < 2 && !other_number || ledger_after < 2 {
            i += 1;
            continue;
        }
        if same_account(&lines[current..i], &lines[i..block_end]) {
            i = block_end;
            continue;
        }
        // The new account's lines start after the last row or total of the previous one:
        // its title, bank name and a bare printed period ("25 Dec 2023 – 22 Mar 2024")
        // above the labels are its own.
        // A printed period ("25 Dec 2023 – 22 Mar 2024") has dates and a dash but no
        // amount: it is the new account's, not a row of the old.
        let amount = |l: &DocLine| {
            l.tokens.iter().any(|t| {
                t.money()
                    .is_some_and(|m| m.is_unmistakable() && !m.is_dash_zero())
            })
        };
        let last_row = (current..i)
            .rev()
            .find(|&k| !lines[k].furniture && amount(&lines[k]));
        let mut start = last_row.map_or(i, |k| k + 1).min(i);
        // The last row's wrapped description lines (set tight under it, in its size)
        // are still the previous account's.
        if let Some(k) = last_row {
            let mut prev = k;
            while start < i {
                let (a, b) = (&lines[prev], &lines[start]);
                let wrapped = a.page == b.page
                    && b.y() - a.y() <= 1.6 * a.size()
                    && (b.size() - a.size()).abs() < 0.5
                    && fields::identity_labels(b).is_empty()
                    && !b.tokens.iter().any(|t| t.is_date());
                if !wrapped {
                    break;
                }
                prev = start;
                start += 1;
            }
        }
        starts.push(start);
        ledger_since = 0;
        i = block_end;
    }
    starts.push(lines.len());
    starts.windows(2).map(|w| w[0]..w[1]).collect()
}

/// Whether `block` repeats the account of `section`: the same account number, or (with
/// no number printed) only lines the section's own header already printed.
fn same_account(section: &[DocLine], block: &[DocLine]) -> bool {
    let info = PdfInfo::default();
    let head: Vec<&DocLine> = section
        .iter()
        .take_while(|l| !l.is_ledger())
        .filter(|l| !l.furniture)
        .collect();
    let block_lines: Vec<&DocLine> = block.iter().filter(|l| !l.furniture).collect();
    let before = fields::read(&head, &info, DayMonth::DayFirst);
    let after = fields::read(&block_lines, &info, DayMonth::DayFirst);
    let number = |f: &fields::HeaderFields| {
        f.account_number.as_ref().map(|n| {
            n.value
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == '*')
                .collect::<String>()
        })
    };
    match (number(&before), number(&after)) {
        (Some(a), Some(b)) => a == b,
        (_, None) => {
            let printed: Vec<String> = head.iter().map(|l| l.line.text()).collect();
            block_lines
                .iter()
                .filter(|l| !fields::identity_labels(l).is_empty())
                .all(|l| printed.contains(&l.line.text()))
        }
        (None, Some(_)) => false,
    }
}
