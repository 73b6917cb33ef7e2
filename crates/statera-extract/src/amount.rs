//! Amounts as statements print them: `1,234.56`, `-50.00`, `(1,234.56)`, `1,234.56 DR`,
//! `1,234.56-`, `KES 1,234.56`. Only text with exactly the currency's decimals is money, so
//! phone numbers, receipt numbers and years are never read as amounts.

use statera_model::Amount;

/// A printed amount: its absolute value and the sign markers it carried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PrintedAmount {
    /// Never negative.
    pub value: Amount,
    /// A leading or trailing minus, or parentheses.
    pub negative: bool,
    /// A `DR`/`CR` (or `D`/`C`) suffix or prefix.
    pub marker: Option<Marker>,
}

impl PrintedAmount {
    /// The value with its sign: negative when printed negative or marked debit (`DR`,
    /// `OD`) — how balances and single amount columns read.
    pub fn signed(&self) -> Amount {
        if self.negative || self.marker == Some(Marker::Debit) {
            self.value.checked_neg().unwrap_or(self.value)
        } else {
            self.value
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    Debit,
    Credit,
}

const CURRENCY_PREFIXES: &[&str] = &[
    "KES", "KSH", "KSHS", "KSh", "Ksh", "Kshs", "NGN", "USD", "GBP", "EUR", "₦", "$", "£", "€",
];

/// Parses one printed amount with exactly `scale` decimals. `None` when the text is not
/// an amount (including an empty cell or a lone dash).
pub fn parse_printed(text: &str, scale: u8) -> Option<PrintedAmount> {
    let mut s = text.trim();
    // Every amount has a digit, and (with decimals) a point: most words fail here cheaply.
    if !s.bytes().any(|b| b.is_ascii_digit()) || (scale > 0 && !s.contains('.')) {
        return None;
    }
    let mut marker = None;
    for (suffix, m) in [
        ("DR", Marker::Debit),
        ("Dr", Marker::Debit),
        ("CR", Marker::Credit),
        ("Cr", Marker::Credit),
        // UK banks mark an overdrawn balance "OD".
        ("OD", Marker::Debit),
    ] {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = rest.trim_end();
            marker = Some(m);
            break;
        }
    }
    let mut negative = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        s = inner.trim();
        negative = true;
    }
    if let Some(rest) = s.strip_prefix('-').or_else(|| s.strip_prefix('\u{2212}')) {
        s = rest.trim_start();
        negative = !negative;
    } else if let Some(rest) = s.strip_suffix('-') {
        s = rest.trim_end();
        negative = !negative;
    } else if let Some(rest) = s.strip_prefix('+') {
        s = rest.trim_start();
    }
    for symbol in CURRENCY_PREFIXES {
        if let Some(rest) = s.strip_prefix(symbol) {
            s = rest.trim_start_matches(['.', ' ']);
            break;
        }
        // "12,50 €", "100.00 KES": the symbol after the number.
        if let Some(rest) = s.strip_suffix(symbol) {
            s = rest.trim_end();
            break;
        }
    }
    // A minus after the currency symbol: "KES -50.00".
    if let Some(rest) = s.strip_prefix('-') {
        s = rest;
        negative = !negative;
    }
    let canonical = canonical_digits(s, scale)?;
    let value = Amount::parse_with_scale(&canonical, scale).ok()?;
    Some(PrintedAmount {
        value,
        negative: negative && !value.is_zero(),
        marker,
    })
}

/// `1,234,567.89` → `1234567.89`, checking the thousands groups and the decimals.
fn canonical_digits(s: &str, scale: u8) -> Option<String> {
    let (int_part, frac_part) = match s.rsplit_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    match frac_part {
        Some(f) if f.len() == usize::from(scale) && f.bytes().all(|b| b.is_ascii_digit()) => {}
        None if scale == 0 => {}
        _ => return None,
    }
    if int_part.is_empty() || scale == 0 && frac_part.is_some() {
        return None;
    }
    let groups: Vec<&str> = int_part.split([',', '\u{202F}', '\u{00A0}']).collect();
    let valid = groups
        .iter()
        .all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()))
        && (groups.len() == 1
            || (groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3)));
    if !valid {
        return None;
    }
    let mut out: String = groups.concat();
    if let Some(f) = frac_part {
        out.push('.');
        out.push_str(f);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Option<(String, bool, Option<Marker>)> {
        parse_printed(text, 2).map(|p| (p.value.to_string(), p.negative, p.marker))
    }

    #[test]
    fn reads_the_ways_statements_print_amounts() {
        let cases: &[(&str, &str, bool, Option<Marker>)] = &[
            ("1,234.56", "1234.56", false, None),
            ("-50.00", "50.00", true, None),
            ("(1,234.56)", "1234.56", true, None),
            ("1,234.56 DR", "1234.56", false, Some(Marker::Debit)),
            ("1,234.56CR", "1234.56", false, Some(Marker::Credit)),
            ("1,234.56-", "1234.56", true, None),
            ("KES 1,234.56", "1234.56", false, None),
            ("Ksh.1,000.00", "1000.00", false, None),
            ("₦12,000.00", "12000.00", false, None),
            ("0.00", "0.00", false, None),
            ("-0.00", "0.00", false, None),
            ("1234567.00", "1234567.00", false, None),
            ("+7.25", "7.25", false, None),
            ("12.50 €", "12.50", false, None),
            ("-3.00 KES", "3.00", true, None),
            ("123.45 OD", "123.45", false, Some(Marker::Debit)),
        ];
        for (text, value, negative, marker) in cases {
            assert_eq!(
                parsed(text),
                Some(((*value).to_owned(), *negative, *marker)),
                "{text}"
            );
        }
    }

    #[test]
    fn phone_numbers_references_and_years_are_not_money() {
        for text in [
            "",
            "-",
            "0712345678",
            "2024",
            "SA11AB3CDE",
            "1,23.00",
            "12,3456.00",
            "1.2",
            "1.234",
            "12:30",
            "2024-01-05",
            "1,234",
            ",123.00",
            "07******123",
        ] {
            assert_eq!(parsed(text), None, "{text}");
        }
    }

    #[test]
    fn zero_decimal_currencies() {
        assert_eq!(
            parse_printed("1,500", 0).map(|p| p.value.to_string()),
            Some("1500".into())
        );
        assert_eq!(parse_printed("1,500.00", 0), None);
    }
}
