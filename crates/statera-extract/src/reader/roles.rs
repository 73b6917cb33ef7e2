//! Stage 3, columns → roles. Which money column is the debit, the credit, the one signed
//! amount or the running balance is decided by evidence, in this order of weight: the
//! running balance (among every plausible assignment and sign convention, the one under
//! which `previous balance ± amount = balance` holds on the most rows), the header words
//! over each column, and the shape of the values (debit and credit columns are never both
//! filled on a row; a balance is filled on most rows). Every decision says what decided it.

use crate::money::Marker;

use super::vocab::Role;

/// One printed value in a money column, in minor units at the document's scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cell {
    /// Never negative.
    pub value: i64,
    pub negative: bool,
    pub marker: Option<Marker>,
}

impl Cell {
    pub fn plain(value: i64) -> Cell {
        Cell {
            value: value.abs(),
            negative: value < 0,
            marker: None,
        }
    }

    /// Signed as a balance or a signed amount reads: negative when printed negative or
    /// marked debit.
    pub fn signed(&self) -> i64 {
        let debit = match self.marker {
            Some(Marker::Debit) => true,
            Some(Marker::Credit) => false,
            None => self.negative,
        };
        if debit { -self.value } else { self.value }
    }

    pub fn has_sign(&self) -> bool {
        self.negative || self.marker.is_some()
    }
}

/// A table row's money: one optional cell per money column, left to right.
pub type MoneyRow = Vec<Option<Cell>>;

/// The roles chosen for a table's money columns.
#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    pub roles: Vec<Role>,
    /// A signed amount column reads negative as credit (a card statement's charges are
    /// positive and payments negative, from the bank's side).
    pub negate: bool,
    /// The balance chain runs bottom to top (the newest row printed first).
    pub newest_first: bool,
    pub chain_hits: usize,
    pub chain_checked: usize,
    /// Per column: what decided its role.
    pub evidence: Vec<&'static str>,
}

impl Assignment {
    pub fn column(&self, role: Role) -> Option<usize> {
        self.roles.iter().position(|r| *r == role)
    }
}

const CANDIDATES: [Role; 5] = [
    Role::Debit,
    Role::Credit,
    Role::Amount,
    Role::Balance,
    Role::Other,
];
/// Beyond this many money columns the rest are `Other` (keeps the search small).
const MAX_COLUMNS: usize = 6;

/// Chooses the roles of `columns` money columns from `rows`, the header's word for each
/// column (if any), and whether the document is a card statement (where an unsigned
/// amount is a charge).
pub fn assign(rows: &[MoneyRow], header: &[Option<Role>], card: bool) -> Option<Assignment> {
    let columns = header.len();
    if columns == 0 {
        return None;
    }
    let searched = columns.min(MAX_COLUMNS);
    let fill: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter(|r| r.get(c).is_some_and(Option::is_some))
                .count()
        })
        .collect();
    let both_filled = |a: usize, b: usize| {
        rows.iter()
            .filter(|r| {
                let nonzero = |i: usize| r.get(i).copied().flatten().is_some_and(|c| c.value != 0);
                nonzero(a) && nonzero(b)
            })
            .count()
    };

    let mut best: Option<(f64, Assignment)> = None;
    let mut roles = vec![Role::Other; columns];
    let total = CANDIDATES.len().pow(searched as u32);
    for code in 0..total {
        let mut c = code;
        for slot in roles.iter_mut().take(searched) {
            *slot = CANDIDATES[c % CANDIDATES.len()];
            c /= CANDIDATES.len();
        }
        let count = |role: Role| roles.iter().filter(|r| **r == role).count();
        if count(Role::Debit) > 1
            || count(Role::Credit) > 1
            || count(Role::Amount) > 1
            || count(Role::Balance) > 1
            || count(Role::Amount) == 1 && (count(Role::Debit) + count(Role::Credit)) > 0
            || count(Role::Amount) + count(Role::Debit) + count(Role::Credit) == 0
        {
            continue;
        }
        for negate in [false, true] {
            if negate && count(Role::Amount) == 0 {
                continue;
            }
            for newest_first in [false, true] {
                let (hits, checked) = chain(rows, &roles, negate, newest_first);
                let mut score = 0.0f64;
                // The balance chain: the strongest evidence, when there is a balance.
                if checked > 0 {
                    score += 12.0 * hits as f64 / checked as f64 + 0.01 * hits as f64;
                }
                for (i, role) in roles.iter().enumerate() {
                    match header[i] {
                        Some(h) if h == *role => score += 2.0,
                        Some(Role::Amount) if matches!(role, Role::Debit | Role::Credit) => {
                            score -= 0.5
                        }
                        Some(Role::Other | Role::Description | Role::Reference)
                            if *role != Role::Other =>
                        {
                            score -= 1.0;
                        }
                        Some(Role::Other | Role::Description | Role::Reference) => {}
                        Some(h) if h.is_money() => score -= 3.0,
                        _ => {}
                    }
                    if *role == Role::Other && header[i] != Some(Role::Other) {
                        score -= 2.5 + fill[i] as f64 / rows.len().max(1) as f64;
                    }
                }
                // Shape: debit and credit are not both filled on a row; a balance is
                // filled on most rows and sits right of the amounts.
                if let (Some(d), Some(cr)) = (
                    roles.iter().position(|r| *r == Role::Debit),
                    roles.iter().position(|r| *r == Role::Credit),
                ) {
                    let clash = both_filled(d, cr) as f64 / rows.len().max(1) as f64;
                    score -= 6.0 * clash;
                    // Without other evidence, debit before credit is the commoner order.
                    if d < cr {
                        score += 0.1;
                    }
                } else if count(Role::Amount) == 0 {
                    // A lone debit or credit column: only when a header says so.
                    let lone = roles
                        .iter()
                        .position(|r| matches!(r, Role::Debit | Role::Credit))
                        .unwrap_or(0);
                    if header[lone] != Some(roles[lone]) {
                        score -= 1.5;
                    }
                }
                if let Some(b) = roles.iter().position(|r| *r == Role::Balance) {
                    let share = fill[b] as f64 / rows.len().max(1) as f64;
                    // A balance the rows never follow is no balance.
                    if hits == 0 {
                        score -= if checked > 0 { 4.5 } else { 3.0 };
                    }
                    score -= 1.0 - share;
                    if roles.iter().enumerate().any(|(i, r)| {
                        i > b && matches!(r, Role::Debit | Role::Credit | Role::Amount)
                    }) {
                        score -= 0.3;
                    }
                } else if header.contains(&Some(Role::Balance)) {
                    score -= 1.0;
                }
                // Other numbers (points, counts) sit left of the money, not right of it.
                if roles.last().is_some_and(|r| *r != Role::Other) {
                    score += 0.05;
                }
                if negate {
                    // The usual convention unless the chain or a card says otherwise.
                    score -= if card { 0.05 } else { 0.2 };
                }
                if newest_first {
                    score -= 0.05;
                }
                let better = best.as_ref().is_none_or(|(s, _)| score > *s + 1e-9);
                if better {
                    let evidence = roles
                        .iter()
                        .enumerate()
                        .map(|(i, role)| {
                            let balance_decided = checked > 0 && hits * 2 >= checked;
                            match header[i] {
                                Some(h) if h == *role && balance_decided => {
                                    "header and balance chain"
                                }
                                Some(h) if h == *role => "header",
                                _ if balance_decided => "balance chain",
                                _ => "values",
                            }
                        })
                        .collect();
                    best = Some((
                        score,
                        Assignment {
                            roles: roles.clone(),
                            negate,
                            newest_first,
                            chain_hits: hits,
                            chain_checked: checked,
                            evidence,
                        },
                    ));
                }
            }
        }
    }
    best.map(|(_, a)| a)
}

/// The signed movement of a row under `roles`, or `None` when it has no amount. An
/// unsigned single amount is `Unsigned` (its direction is for the balance to say).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Movement {
    Signed(i64),
    Unsigned(i64),
}

pub fn movement(row: &MoneyRow, roles: &[Role], negate: bool) -> Option<Movement> {
    let cell = |role: Role| {
        roles
            .iter()
            .position(|r| *r == role)
            .and_then(|i| row.get(i).copied().flatten())
    };
    let debit = cell(Role::Debit).filter(|c| c.value != 0);
    let credit = cell(Role::Credit).filter(|c| c.value != 0);
    match (debit, credit) {
        (Some(d), None) => return Some(Movement::Signed(-d.value)),
        (None, Some(c)) => return Some(Movement::Signed(c.value)),
        (Some(d), Some(c)) => return Some(Movement::Signed(c.value - d.value)),
        (None, None) => {}
    }
    if let Some(a) = cell(Role::Amount) {
        if a.has_sign() {
            let s = a.signed();
            return Some(Movement::Signed(if negate { -s } else { s }));
        }
        return Some(Movement::Unsigned(a.value));
    }
    // A printed zero in a debit or credit column.
    (cell(Role::Debit).is_some() || cell(Role::Credit).is_some()).then_some(Movement::Signed(0))
}

/// How many consecutive pairs of balanced rows obey `previous + movement = balance`
/// (bottom to top when `newest_first`), of how many could be checked.
pub fn chain(
    rows: &[MoneyRow],
    roles: &[Role],
    negate: bool,
    newest_first: bool,
) -> (usize, usize) {
    let Some(b) = roles.iter().position(|r| *r == Role::Balance) else {
        return (0, 0);
    };
    let balance = |row: &MoneyRow| row.get(b).copied().flatten().map(|c| c.signed());
    let order: Vec<&MoneyRow> = if newest_first {
        rows.iter().rev().collect()
    } else {
        rows.iter().collect()
    };
    let (mut hits, mut checked) = (0usize, 0usize);
    let mut previous: Option<i64> = None;
    for row in order {
        let moved = movement(row, roles, negate);
        let after = balance(row);
        if let (Some(before), Some(after), Some(moved)) = (previous, after, moved) {
            checked += 1;
            let ok = match moved {
                Movement::Signed(s) => before.checked_add(s) == Some(after),
                Movement::Unsigned(v) => {
                    before.checked_add(v) == Some(after) || before.checked_sub(v) == Some(after)
                }
            };
            if ok {
                hits += 1;
            }
        }
        previous = match (after, previous, moved) {
            (Some(a), _, _) => Some(a),
            (None, Some(p), Some(Movement::Signed(s))) => p.checked_add(s),
            _ => None,
        };
    }
    (hits, checked)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[Option<i64>]) -> MoneyRow {
        cells.iter().map(|c| c.map(Cell::plain)).collect()
    }

    #[test]
    fn debit_credit_balance_by_the_chain_without_headers() {
        // Credit | Debit | Balance, printed in that order with no header words.
        let rows = vec![
            row(&[None, Some(100), Some(900)]),
            row(&[Some(500), None, Some(1400)]),
            row(&[None, Some(200), Some(1200)]),
        ];
        let a = assign(&rows, &[None, None, None], false).unwrap();
        assert_eq!(a.roles, [Role::Credit, Role::Debit, Role::Balance]);
        assert_eq!((a.chain_hits, a.chain_checked), (2, 2));
        assert_eq!(a.evidence[0], "balance chain");
    }

    #[test]
    fn unsigned_amount_and_balance() {
        let rows = vec![
            row(&[Some(100), Some(900)]),
            row(&[Some(500), Some(1400)]),
            row(&[Some(200), Some(1200)]),
        ];
        let a = assign(&rows, &[None, None], false).unwrap();
        assert_eq!(a.roles, [Role::Amount, Role::Balance]);
    }

    #[test]
    fn newest_first_chain() {
        // Printed newest first: balances 1200 (after -200), 1400 (after +500), 900.
        let rows = vec![
            row(&[Some(-200), Some(1200)]),
            row(&[Some(500), Some(1400)]),
            row(&[Some(-100), Some(900)]),
        ];
        let a = assign(&rows, &[None, None], false).unwrap();
        assert_eq!(a.roles, [Role::Amount, Role::Balance]);
        assert!(a.newest_first);
        assert_eq!(a.chain_hits, 2);
    }

    #[test]
    fn headers_decide_without_a_balance() {
        let rows = vec![row(&[Some(100), None]), row(&[None, Some(300)])];
        let a = assign(&rows, &[Some(Role::Credit), Some(Role::Debit)], false).unwrap();
        assert_eq!(a.roles, [Role::Credit, Role::Debit]);
        assert_eq!(a.evidence, ["header", "header"]);
        let b = assign(&rows, &[None, None], false).unwrap();
        assert_eq!(b.roles, [Role::Debit, Role::Credit]);
    }

    #[test]
    fn balance_beats_a_misleading_header() {
        // The header calls the middle column "Balance", but the chain says it is the
        // amount and the last column the balance.
        let rows = vec![
            row(&[Some(-50), Some(950)]),
            row(&[Some(-50), Some(900)]),
            row(&[Some(25), Some(925)]),
        ];
        let a = assign(&rows, &[Some(Role::Balance), None], false).unwrap();
        assert_eq!(a.roles, [Role::Amount, Role::Balance]);
    }

    #[test]
    fn single_column_is_an_amount() {
        let rows = vec![row(&[Some(-50)]), row(&[Some(25)])];
        let a = assign(&rows, &[None], false).unwrap();
        assert_eq!(a.roles, [Role::Amount]);
        assert_eq!(a.chain_checked, 0);
    }

    #[test]
    fn chain_counts_partial_balances() {
        // Balance printed only at the end of the day (second row).
        let roles = [Role::Amount, Role::Balance];
        let rows = vec![
            row(&[Some(-10), Some(990)]),
            row(&[Some(-20), None]),
            row(&[Some(-30), Some(940)]),
        ];
        assert_eq!(chain(&rows, &roles, false, false), (1, 1));
    }
}
