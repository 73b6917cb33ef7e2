//! Printed money in every common form, for the reader that knows no bank: `1,234.56`,
//! `1.234,56`, `1 234,56`, `1'234.50`, `1,23,456.78`, `₦1,234.56`, `12,50 €`, `(50.00)`,
//! `50.00-`, `50.00 CR`, `Dr 50.00`, and `-` or `nil` for nothing.
//!
//! Two steps, so that what `,` and `.` mean is decided once for a whole document, never
//! cell by cell:
//! 1. [`scan`] reads a word's shape — sign, debit/credit marker, currency, and the digit
//!    groups with their separators — without deciding which separator is the decimal mark;
//! 2. [`choose_style`] picks the document's [`NumberStyle`] from the shapes only one style
//!    can read, and [`MoneyShape::value`] reads each shape under it.
//!
//! Exact (integer digits, never floating point) and total: any input, however hostile,
//! gives `None` or a value, never a panic or an overflow. [`crate::amount`] stays the
//! strict parser of the layouts that know their bank.

use statera_model::{Amount, Currency};

pub use crate::amount::Marker;

/// At most this many digits: any 18-digit number fits an `i64`.
const MAX_DIGITS: usize = 18;
/// A run of more digits than this with no separator at all is an account number.
const MAX_BARE_DIGITS: u8 = 12;
/// An explicitly plus-signed whole number of this many digits is a phone number.
const PHONE_DIGITS: u8 = 9;
/// The largest scale an [`Amount`] carries.
const MAX_SCALE: u8 = 4;
/// Longer text is never one amount (`(US$ 123 456 789 012 345 678.00) CR` is 37 bytes).
const MAX_TEXT_BYTES: usize = 64;

/// The character that separates a whole number from its decimals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecimalMark {
    /// `1,234.56`
    Point,
    /// `1.234,56`
    Comma,
}

impl DecimalMark {
    fn separator(self) -> Separator {
        match self {
            DecimalMark::Point => Separator::Point,
            DecimalMark::Comma => Separator::Comma,
        }
    }

    fn other(self) -> Self {
        match self {
            DecimalMark::Point => DecimalMark::Comma,
            DecimalMark::Comma => DecimalMark::Point,
        }
    }
}

/// How one document prints its numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NumberStyle {
    pub decimal: DecimalMark,
    /// Most amounts in the document print this many decimals (0 for whole-number
    /// documents, 2 usually, 3 for KWD/BHD...).
    pub decimals: u8,
}

impl Default for NumberStyle {
    /// `1,234.56`: a decimal point and two decimals.
    fn default() -> Self {
        Self {
            decimal: DecimalMark::Point,
            decimals: 2,
        }
    }
}

/// A character printed between two runs of digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Separator {
    /// `,`
    Comma,
    /// `.`
    Point,
    /// A space: U+0020, no-break U+00A0, narrow no-break U+202F or thin U+2009.
    Space,
    /// `'` or `’` (Swiss `1'234.50`).
    Apostrophe,
}

impl Separator {
    fn of(c: char) -> Option<Self> {
        match c {
            ',' => Some(Self::Comma),
            '.' => Some(Self::Point),
            ' ' | '\u{00A0}' | '\u{202F}' | '\u{2009}' => Some(Self::Space),
            '\'' | '\u{2019}' => Some(Self::Apostrophe),
            _ => None,
        }
    }
}

/// How a shape printed its sign.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sign {
    /// `-50.00`, `−50.00` (U+2212), `–50.00` (en dash), `$-50.00`, `-$50.00`.
    MinusBefore,
    /// `50.00-`.
    MinusAfter,
    /// `(50.00)`.
    Parentheses,
    /// `+50.00` or `50.00+`.
    Plus,
}

impl Sign {
    pub fn is_negative(self) -> bool {
        !matches!(self, Sign::Plus)
    }
}

/// A printed amount before the document's number style is applied: its sign, marker and
/// currency, and its digits in runs with the separators between them.
///
/// Only [`scan`] makes one, and only when at least one [`NumberStyle`] can read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MoneyShape {
    /// Every digit in print order, as one number (at most [`MAX_DIGITS`] digits).
    digits: i64,
    digit_count: u8,
    /// The first digit is a `0`.
    leading_zero: bool,
    /// The lengths of the digit runs: `runs[..run_count]`.
    runs: [u8; MAX_DIGITS],
    /// `seps[i]` is printed between `runs[i]` and `runs[i + 1]`.
    seps: [Separator; MAX_DIGITS],
    run_count: u8,
    sign: Option<Sign>,
    marker: Option<Marker>,
    currency: Option<&'static str>,
    dash_zero: bool,
}

/// A shape read under one decimal mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Reading {
    /// Decimals printed; 0 for a whole number.
    fraction: u8,
    /// Thousands separators were printed.
    grouped: bool,
}

/// An amount as printed, read under a document's style.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PrintedMoney {
    /// Never negative; scale = the number of decimals printed (0 for whole numbers).
    pub value: Amount,
    /// Printed negative (a minus before or after, or parentheses), and not zero.
    pub negative: bool,
    pub marker: Option<Marker>,
    /// The ISO 4217 code of a printed symbol or code.
    pub currency: Option<&'static str>,
}

impl PrintedMoney {
    /// Negative when printed negative or marked debit (`DR`, `D`, `OD`).
    pub fn signed(&self) -> Amount {
        if self.negative || self.marker == Some(Marker::Debit) {
            // The value has at most 18 digits: negating it cannot overflow.
            self.value.checked_neg().unwrap_or(self.value)
        } else {
            self.value
        }
    }
}

impl MoneyShape {
    const EMPTY: Self = Self {
        digits: 0,
        digit_count: 0,
        leading_zero: false,
        runs: [0; MAX_DIGITS],
        seps: [Separator::Comma; MAX_DIGITS],
        run_count: 0,
        sign: None,
        marker: None,
        currency: None,
        dash_zero: false,
    };

    /// The exact value under a document's style; `None` when this style cannot read the
    /// shape (`1,23` under a decimal point) or it prints a number of decimals other than
    /// the style's (a whole number is read in any style; a 2-decimal amount also in a
    /// whole-number document).
    pub fn value(&self, style: &NumberStyle) -> Option<PrintedMoney> {
        if self.run_count == 0 {
            // A dash or `nil`.
            return self.dash_zero.then_some(PrintedMoney {
                value: Amount::zero(0),
                negative: false,
                marker: None,
                currency: None,
            });
        }
        let reading = self.read(style.decimal)?;
        let fraction = reading.fraction;
        if fraction != 0 && fraction != style.decimals && !(style.decimals == 0 && fraction == 2) {
            return None;
        }
        Some(PrintedMoney {
            value: Amount::from_minor(self.digits, fraction.min(MAX_SCALE)),
            negative: self.sign.is_some_and(Sign::is_negative) && self.digits != 0,
            marker: self.marker,
            currency: self.currency,
        })
    }

    /// True when the shape could only be money: it has decimals (2 or 3) or thousands
    /// groups under some style, a currency, a debit/credit marker or a trailing minus — as
    /// opposed to a bare integer like `2024` or `123456` (a year, a reference, a count),
    /// also not when only a leading minus or parentheses mark it (`-1`, `(2)`).
    pub fn is_unmistakable(&self) -> bool {
        if self.run_count == 0 {
            return false;
        }
        self.currency.is_some()
            || self.marker.is_some()
            || self.sign == Some(Sign::MinusAfter)
            || [DecimalMark::Point, DecimalMark::Comma]
                .into_iter()
                .filter_map(|mark| self.read(mark))
                .any(|r| r.grouped || matches!(r.fraction, 2 | 3))
    }

    /// The ISO 4217 code of the printed symbol or code (`₦` → `NGN`, `KSh` → `KES`).
    pub fn currency(&self) -> Option<&'static str> {
        self.currency
    }

    pub fn marker(&self) -> Option<Marker> {
        self.marker
    }

    pub fn sign(&self) -> Option<Sign> {
        self.sign
    }

    /// A placeholder for nothing: `-`, `–`, `—`, `- -`, `nil`, or a lone `0`. A lone `0`
    /// also reads as the number 0; the others read as zero with scale 0.
    pub fn is_dash_zero(&self) -> bool {
        self.dash_zero
    }

    /// How many digits were printed (0 for a dash).
    pub fn digit_count(&self) -> u8 {
        self.digit_count
    }

    /// The lengths of the digit runs, in print order (`1,234.56` → `[1, 3, 2]`).
    pub fn runs(&self) -> &[u8] {
        self.runs
            .get(..usize::from(self.run_count))
            .unwrap_or_default()
    }

    /// The separators between the runs (`1,234.56` → `[Comma, Point]`).
    pub fn separators(&self) -> &[Separator] {
        self.seps
            .get(..usize::from(self.run_count.saturating_sub(1)))
            .unwrap_or_default()
    }

    /// The last separator, the decimal mark if the amount has decimals.
    pub fn last_separator(&self) -> Option<Separator> {
        self.separators().last().copied()
    }

    /// The shape under `mark`: the last separator is the decimal mark when it is `mark`;
    /// every other separator must be one thousands separator, not `mark`, between
    /// consistent groups. No integer part starts with a padding zero.
    fn read(&self, mark: DecimalMark) -> Option<Reading> {
        let (runs, seps) = (self.runs(), self.separators());
        if runs.is_empty() {
            return None;
        }
        let decimal = mark.separator();
        let (int_runs, int_seps, fraction) = match (seps.split_last(), runs.split_last()) {
            (Some((&last, other_seps)), Some((&frac, int_runs))) if last == decimal => {
                (int_runs, other_seps, frac)
            }
            _ => (runs, seps, 0),
        };
        if fraction > MAX_SCALE {
            return None;
        }
        // `0722 123 456`, `01.02`, `0123456789`: money never pads its integer part.
        if self.leading_zero && (int_runs.len() > 1 || int_runs.first().is_some_and(|&r| r > 1)) {
            return None;
        }
        let grouped = match int_seps.split_first() {
            None => false,
            Some((&thousands, others)) => {
                if thousands == decimal
                    || others.iter().any(|&s| s != thousands)
                    || !grouping_ok(int_runs)
                {
                    return None;
                }
                true
            }
        };
        Some(Reading { fraction, grouped })
    }
}

/// Thousands groups: 1 to 3 digits then threes (`1,234,567`), or Indian: 1 or 2 digits,
/// then twos, then a last three (`12,34,567`).
fn grouping_ok(runs: &[u8]) -> bool {
    let Some((first, rest)) = runs.split_first() else {
        return false;
    };
    let Some((last, middle)) = rest.split_last() else {
        return true;
    };
    let western = (1..=3).contains(first) && rest.iter().all(|&r| r == 3);
    let indian = (1..=2).contains(first) && *last == 3 && middle.iter().all(|&r| r == 2);
    western || indian
}

/// Reads the shape of one printed amount (a cell, or words joined with spaces). `None`
/// when no style reads it as money: phone numbers, account numbers, references, dates,
/// times, percentages, card masks, hyphen-grouped digits.
pub fn scan(text: &str) -> Option<MoneyShape> {
    let s = text.trim();
    if s.len() > MAX_TEXT_BYTES {
        return None;
    }
    // Most words have no digit: they fail here without further work.
    if !s.bytes().any(|b| b.is_ascii_digit()) {
        return placeholder(s);
    }
    let mut shape = MoneyShape::EMPTY;
    let (mut open, mut close) = (false, false);
    let mut after: Option<&'static str> = None;
    let mut rest = s;
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix('(') {
            once(&mut open)?;
            rest = r;
        } else if let Some(r) = rest.strip_prefix(is_minus) {
            set(&mut shape.sign, Sign::MinusBefore)?;
            rest = r;
        } else if let Some(r) = rest.strip_prefix('+') {
            set(&mut shape.sign, Sign::Plus)?;
            rest = r;
        } else if let Some((r, marker)) = prefix_marker(rest) {
            set(&mut shape.marker, marker)?;
            rest = r;
        } else if let Some((r, code)) = prefix_currency(rest) {
            set(&mut shape.currency, code)?;
            rest = r;
        } else {
            break;
        }
    }
    loop {
        rest = rest.trim_end();
        if let Some(r) = rest.strip_suffix(')') {
            once(&mut close)?;
            rest = r;
        } else if let Some(r) = rest.strip_suffix(is_minus) {
            set(&mut shape.sign, Sign::MinusAfter)?;
            rest = r;
        } else if let Some(r) = rest.strip_suffix('+') {
            set(&mut shape.sign, Sign::Plus)?;
            rest = r;
        } else if let Some((r, code)) = suffix_currency(rest) {
            set(&mut after, code)?;
            rest = r;
        } else if let Some((r, marker)) = suffix_marker(rest) {
            set(&mut shape.marker, marker)?;
            rest = r;
        } else {
            break;
        }
    }
    if open != close {
        return None;
    }
    // A currency on both sides must be the same one (`$50.00 USD`).
    match (shape.currency, after) {
        (Some(before), Some(after)) if before != after => return None,
        (None, Some(after)) => shape.currency = Some(after),
        _ => {}
    }
    if open {
        set(&mut shape.sign, Sign::Parentheses)?;
    }
    read_digits(rest, &mut shape)?;

    if shape.run_count == 1 && shape.digit_count > MAX_BARE_DIGITS {
        return None;
    }
    let point = shape.read(DecimalMark::Point);
    let comma = shape.read(DecimalMark::Comma);
    if point.is_none() && comma.is_none() {
        return None;
    }
    // `+254722123456`, `+254 722 123 456`.
    let has_decimals = [point, comma].iter().flatten().any(|r| r.fraction > 0);
    if shape.sign == Some(Sign::Plus) && shape.digit_count >= PHONE_DIGITS && !has_decimals {
        return None;
    }
    shape.dash_zero = shape.digit_count == 1
        && shape.digits == 0
        && shape.sign.is_none()
        && shape.marker.is_none()
        && shape.currency.is_none();
    Some(shape)
}

/// The digits and separators between the affixes: starts and ends with a digit, one
/// separator at a time.
fn read_digits(number: &str, shape: &mut MoneyShape) -> Option<()> {
    let mut run: u8 = 0;
    for c in number.chars() {
        if let Some(d) = c.to_digit(10) {
            if usize::from(shape.digit_count) >= MAX_DIGITS {
                return None;
            }
            if shape.digit_count == 0 {
                shape.leading_zero = d == 0;
            }
            shape.digits = shape.digits.checked_mul(10)?.checked_add(i64::from(d))?;
            shape.digit_count += 1;
            run += 1;
        } else {
            let sep = Separator::of(c)?;
            if run == 0 {
                return None;
            }
            let i = usize::from(shape.run_count);
            *shape.runs.get_mut(i)? = run;
            *shape.seps.get_mut(i)? = sep;
            shape.run_count += 1;
            run = 0;
        }
    }
    if run == 0 {
        return None;
    }
    *shape.runs.get_mut(usize::from(shape.run_count))? = run;
    shape.run_count += 1;
    Some(())
}

/// `-`, `–`, `—`, `- -`, `nil`: a printed nothing.
fn placeholder(s: &str) -> Option<MoneyShape> {
    if s.len() > 12 {
        return None;
    }
    let is_dash = |c: char| is_minus(c) || c == '\u{2014}';
    let dashes = s.chars().filter(|&c| is_dash(c)).count();
    let dashed = (1..=3).contains(&dashes) && s.chars().all(|c| is_dash(c) || c.is_whitespace());
    (dashed || s.eq_ignore_ascii_case("nil")).then_some(MoneyShape {
        dash_zero: true,
        ..MoneyShape::EMPTY
    })
}

/// Hyphen-minus, minus sign, en dash, hyphen, non-breaking hyphen, small and full-width
/// hyphen-minus: what PDFs print for a minus.
fn is_minus(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2212}' | '\u{2013}' | '\u{2010}' | '\u{2011}' | '\u{FE63}' | '\u{FF0D}'
    )
}

fn once(flag: &mut bool) -> Option<()> {
    if *flag {
        return None;
    }
    *flag = true;
    Some(())
}

fn set<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(value);
    Some(())
}

/// Symbols and codes with their ISO 4217 code, longest first where one begins another.
/// The rand's bare `R` is handled apart: only before the number.
const CURRENCIES: &[(&str, &str)] = &[
    ("US$", "USD"),
    ("AU$", "AUD"),
    ("CA$", "CAD"),
    ("NZ$", "NZD"),
    ("HK$", "HKD"),
    ("A$", "AUD"),
    ("C$", "CAD"),
    ("S$", "SGD"),
    ("R$", "BRL"),
    ("$", "USD"),
    ("GH₵", "GHS"),
    ("GH¢", "GHS"),
    ("₵", "GHS"),
    ("₦", "NGN"),
    ("£", "GBP"),
    ("€", "EUR"),
    ("₹", "INR"),
    ("¥", "JPY"),
    ("KShs", "KES"),
    ("Kshs", "KES"),
    ("KSHS", "KES"),
    ("KSh", "KES"),
    ("Ksh", "KES"),
    ("KSH", "KES"),
    ("USh", "UGX"),
    ("TSh", "TZS"),
    ("Rs.", "INR"),
    ("Rs", "INR"),
    ("NGN", "NGN"),
    ("KES", "KES"),
    ("USD", "USD"),
    ("EUR", "EUR"),
    ("GBP", "GBP"),
    ("ZAR", "ZAR"),
    ("GHS", "GHS"),
    ("UGX", "UGX"),
    ("TZS", "TZS"),
    ("RWF", "RWF"),
    ("INR", "INR"),
    ("BRL", "BRL"),
    ("CAD", "CAD"),
    ("AUD", "AUD"),
    ("CHF", "CHF"),
    ("XOF", "XOF"),
    ("XAF", "XAF"),
    ("EGP", "EGP"),
    ("MAD", "MAD"),
    ("SGD", "SGD"),
    ("JPY", "JPY"),
    ("CNY", "CNY"),
    ("NZD", "NZD"),
    ("HKD", "HKD"),
    ("ZMW", "ZMW"),
    ("MWK", "MWK"),
    ("ETB", "ETB"),
    ("KWD", "KWD"),
    ("BHD", "BHD"),
    ("OMR", "OMR"),
    ("JOD", "JOD"),
    ("TND", "TND"),
    ("AED", "AED"),
    ("SAR", "SAR"),
];

/// The ISO 4217 codes of the currencies in circulation, sorted (searched by bisection):
/// any of them printed beside a number names its currency.
pub const ISO_CODES: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD",
    "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD",
    "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ",
    "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD",
    "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR",
    "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR",
    "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN",
    "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR",
    "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB",
    "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS",
    "VES", "VND", "VUV", "WST", "XAF", "XCD", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG",
];

fn prefix_currency(s: &str) -> Option<(&str, &'static str)> {
    // Most candidates start with a digit or a sign: no symbol to look for.
    if !s.starts_with(|c: char| !c.is_ascii_digit() && !matches!(c, '-' | '+' | '(' | '.' | ',')) {
        return None;
    }
    for &(token, code) in CURRENCIES {
        if let Some(rest) = s.strip_prefix(token) {
            // `Ksh.1,000.00`: a point after a lettered symbol.
            let rest = match rest.strip_prefix('.') {
                Some(r) if token.ends_with(|c: char| c.is_ascii_alphabetic()) => r,
                _ => rest,
            };
            return Some((rest, code));
        }
    }
    if let Some(code) = s.get(..3).and_then(iso_code)
        && !s[3..].starts_with(|c: char| c.is_alphabetic())
    {
        return Some((&s[3..], code));
    }
    // The rand: `R1 234,56` or `R 100.00`, nothing else.
    let rest = s.strip_prefix('R')?;
    let starts_digit = |t: &str| t.starts_with(|c: char| c.is_ascii_digit());
    let attached = starts_digit(rest)
        || rest
            .strip_prefix(char::is_whitespace)
            .is_some_and(starts_digit);
    attached.then_some((rest, "ZAR"))
}

fn suffix_currency(s: &str) -> Option<(&str, &'static str)> {
    if !s.ends_with(|c: char| !c.is_ascii_digit() && !matches!(c, '-' | ')')) {
        return None;
    }
    CURRENCIES
        .iter()
        .find_map(|&(token, code)| Some((s.strip_suffix(token)?, code)))
        .or_else(|| {
            let at = s
                .len()
                .checked_sub(3)
                .filter(|&at| s.is_char_boundary(at))?;
            let code = iso_code(&s[at..])?;
            let rest = &s[..at];
            (!rest.ends_with(|c: char| c.is_alphabetic())).then_some((rest, code))
        })
}

/// `text` when it is an ISO 4217 code in capitals. Codes that are also common words in
/// capitals ("ALL", "TOP", "PEN", "TRY") name a currency only through a label.
pub fn iso_code(text: &str) -> Option<&'static str> {
    const WORDS: &[&str] = &[
        "ALL", "BOB", "CUP", "GEL", "MOP", "PEN", "SOS", "TOP", "TRY",
    ];
    if text.len() != 3 || !text.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let at = ISO_CODES.binary_search(&text).ok()?;
    Some(ISO_CODES[at]).filter(|c| !WORDS.contains(c))
}

/// Before the number a marker is followed by a space (`CR 50.00`) or a point (`Dr.50.00`).
fn prefix_marker(s: &str) -> Option<(&str, Marker)> {
    const MARKERS: &[(&str, Marker)] = &[
        ("CR.", Marker::Credit),
        ("DR.", Marker::Debit),
        ("Cr.", Marker::Credit),
        ("Dr.", Marker::Debit),
        ("CR", Marker::Credit),
        ("DR", Marker::Debit),
        ("Cr", Marker::Credit),
        ("Dr", Marker::Debit),
    ];
    MARKERS.iter().find_map(|&(token, marker)| {
        let rest = s.strip_prefix(token)?;
        (token.ends_with('.') || rest.starts_with(char::is_whitespace)).then_some((rest, marker))
    })
}

/// After the number, with or without a space; a single `C` or `D` only directly after a
/// digit or after a space.
fn suffix_marker(s: &str) -> Option<(&str, Marker)> {
    const MARKERS: &[(&str, Marker)] = &[
        ("CR.", Marker::Credit),
        ("DR.", Marker::Debit),
        ("Cr.", Marker::Credit),
        ("Dr.", Marker::Debit),
        ("CR", Marker::Credit),
        ("DR", Marker::Debit),
        ("Cr", Marker::Credit),
        ("Dr", Marker::Debit),
        ("cr", Marker::Credit),
        ("dr", Marker::Debit),
        // UK banks mark an overdrawn balance "OD".
        ("OD", Marker::Debit),
        ("C", Marker::Credit),
        ("D", Marker::Debit),
    ];
    MARKERS.iter().find_map(|&(token, marker)| {
        let rest = s.strip_suffix(token)?;
        let bounded =
            token.len() > 1 || rest.ends_with(|c: char| c.is_ascii_digit() || c.is_whitespace());
        bounded.then_some((rest, marker))
    })
}

/// The document's number style, from its amounts' shapes.
///
/// The decimal mark is the majority of the unmistakable shapes that only one mark reads
/// (`1.234,56`, `12,50`, `1.234.567` → comma; `1,234.56`, `12.50` → point). `1,234` is
/// either, so it does not vote; with no majority, the mark under which the shapes print
/// the likelier number of decimals wins (2, then 0, then 3, unless the shapes' currency
/// says otherwise), then the point.
///
/// The decimals are the most common printed under that mark, a shape whose reading
/// depends on the mark (`1,234`) counting half.
pub fn choose_style(shapes: &[MoneyShape]) -> NumberStyle {
    let preference = preference(shapes);
    let rank = |d: Option<u8>| d.and_then(|d| preference.iter().position(|&p| p == d));
    let (mut point, mut comma) = (0usize, 0usize);
    for shape in shapes.iter().filter(|s| s.is_unmistakable()) {
        match (
            shape.read(DecimalMark::Point),
            shape.read(DecimalMark::Comma),
        ) {
            (Some(_), None) => point += 1,
            (None, Some(_)) => comma += 1,
            _ => {}
        }
    }
    let at_point = decimals_under(shapes, DecimalMark::Point, &preference);
    let at_comma = decimals_under(shapes, DecimalMark::Comma, &preference);
    let decimal = match point.cmp(&comma) {
        std::cmp::Ordering::Greater => DecimalMark::Point,
        std::cmp::Ordering::Less => DecimalMark::Comma,
        std::cmp::Ordering::Equal => match (rank(at_point), rank(at_comma)) {
            (Some(p), Some(c)) if c < p => DecimalMark::Comma,
            (None, Some(_)) => DecimalMark::Comma,
            _ => DecimalMark::Point,
        },
    };
    let decimals = match decimal {
        DecimalMark::Point => at_point,
        DecimalMark::Comma => at_comma,
    };
    NumberStyle {
        decimal,
        decimals: decimals.unwrap_or(preference[0]),
    }
}

/// The most common decimals of the unmistakable shapes under `mark`, ties going to the
/// preferred; `None` when no shape reads.
fn decimals_under(shapes: &[MoneyShape], mark: DecimalMark, preference: &[u8]) -> Option<u8> {
    let mut votes = [0usize; MAX_SCALE as usize + 1];
    for shape in shapes.iter().filter(|s| s.is_unmistakable()) {
        let Some(reading) = shape.read(mark) else {
            continue;
        };
        let certain = shape
            .read(mark.other())
            .is_none_or(|other| other.fraction == reading.fraction);
        if let Some(v) = votes.get_mut(usize::from(reading.fraction)) {
            *v += if certain { 2 } else { 1 };
        }
    }
    let mut best: Option<(u8, usize)> = None;
    for &d in preference {
        let count = votes.get(usize::from(d)).copied().unwrap_or(0);
        if count > 0 && best.is_none_or(|(_, c)| count > c) {
            best = Some((d, count));
        }
    }
    best.map(|(d, _)| d)
}

/// Decimals in order of likelihood: 2, 0, 3, 1, 4 — the minor units of the shapes' most
/// common currency first.
fn preference(shapes: &[MoneyShape]) -> [u8; MAX_SCALE as usize + 1] {
    let mut seen: Vec<(&str, usize)> = Vec::new();
    for code in shapes.iter().filter_map(|s| s.currency) {
        match seen.iter_mut().find(|(c, _)| *c == code) {
            Some((_, n)) => *n += 1,
            None => seen.push((code, 1)),
        }
    }
    let hinted = seen
        .iter()
        .max_by_key(|(_, n)| *n)
        .and_then(|(code, _)| Currency::parse(code).ok())
        .map(|c| c.minor_units())
        .filter(|&d| d <= MAX_SCALE);
    let mut order = [2, 0, 3, 1, 4];
    if let Some(d) = hinted
        && let Some(i) = order.iter().position(|&p| p == d)
    {
        order[..=i].rotate_right(1);
    }
    order
}

#[cfg(test)]
mod tests {
    #[test]
    fn iso_codes_are_sorted_for_bisection() {
        assert!(super::ISO_CODES.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(super::iso_code("MXN"), Some("MXN"));
        assert_eq!(super::iso_code("TOP"), None);
        assert_eq!(super::iso_code("mxn"), None);
    }

    use super::*;
    use proptest::prelude::*;

    const P0: NumberStyle = NumberStyle {
        decimal: DecimalMark::Point,
        decimals: 0,
    };
    const P2: NumberStyle = NumberStyle {
        decimal: DecimalMark::Point,
        decimals: 2,
    };
    const P3: NumberStyle = NumberStyle {
        decimal: DecimalMark::Point,
        decimals: 3,
    };
    const C0: NumberStyle = NumberStyle {
        decimal: DecimalMark::Comma,
        decimals: 0,
    };
    const C2: NumberStyle = NumberStyle {
        decimal: DecimalMark::Comma,
        decimals: 2,
    };
    const C3: NumberStyle = NumberStyle {
        decimal: DecimalMark::Comma,
        decimals: 3,
    };

    /// The signed value as text, the marker and the currency.
    fn read(text: &str, style: NumberStyle) -> Option<(String, Option<Marker>, Option<&str>)> {
        let m = scan(text)?.value(&style)?;
        assert!(!m.value.is_negative(), "{text}");
        Some((m.signed().to_string(), m.marker, m.currency))
    }

    /// Text, style, the signed value, marker and currency it reads as.
    type Case<'a> = (
        &'a str,
        NumberStyle,
        &'a str,
        Option<Marker>,
        Option<&'a str>,
    );

    fn check(cases: &[Case]) {
        for &(text, style, value, marker, currency) in cases {
            assert_eq!(
                read(text, style),
                Some((value.to_owned(), marker, currency)),
                "{text:?} under {style:?}"
            );
        }
    }

    #[test]
    fn thousands_separators_and_decimal_marks() {
        check(&[
            ("1,234.56", P2, "1234.56", None, None),
            ("1.234,56", C2, "1234.56", None, None),
            ("1 234,56", C2, "1234.56", None, None),
            ("1\u{a0}234,56", C2, "1234.56", None, None),
            ("1\u{202f}234,56", C2, "1234.56", None, None),
            ("1\u{2009}234,56", C2, "1234.56", None, None),
            ("1 234.56", P2, "1234.56", None, None),
            ("1 234 567,89", C2, "1234567.89", None, None),
            ("1'234.50", P2, "1234.50", None, None),
            ("1\u{2019}234.50", P2, "1234.50", None, None),
            ("1'234,50", C2, "1234.50", None, None),
            ("1,23,456.78", P2, "123456.78", None, None),
            ("12,34,56,789.00", P2, "123456789.00", None, None),
            ("1234.56", P2, "1234.56", None, None),
            ("1234,56", C2, "1234.56", None, None),
            ("1,234,567.89", P2, "1234567.89", None, None),
            ("1.234.567,89", C2, "1234567.89", None, None),
            ("0.05", P2, "0.05", None, None),
            ("0,05", C2, "0.05", None, None),
            (
                "999,999,999,999,999.99",
                P2,
                "999999999999999.99",
                None,
                None,
            ),
        ]);
    }

    #[test]
    fn whole_numbers_and_decimals_counts() {
        check(&[
            ("1,200", P0, "1200", None, None),
            ("35,000", P0, "35000", None, None),
            ("1.200", C0, "1200", None, None),
            ("1 200", C0, "1200", None, None),
            ("500", P0, "500", None, None),
            // A whole amount in a 2-decimal document.
            ("1,234", P2, "1234", None, None),
            ("1.234", C2, "1234", None, None),
            ("500", P2, "500", None, None),
            // A 2-decimal amount in a whole-number document.
            ("12.50", P0, "12.50", None, None),
            // Three decimals.
            ("1,234.567", P3, "1234.567", None, None),
            ("12.500", P3, "12.500", None, None),
            ("1.234,567", C3, "1234.567", None, None),
            ("1,234", C3, "1.234", None, None),
        ]);
        let whole = scan("1,234").and_then(|s| s.value(&P2)).unwrap();
        assert_eq!(whole.value.scale(), 0);
        assert_eq!(whole.value.minor(), 1234);
        let cents = scan("12.50").and_then(|s| s.value(&P2)).unwrap();
        assert_eq!((cents.value.minor(), cents.value.scale()), (1250, 2));
        // Not readable under the style, or the wrong number of decimals.
        for (text, style) in [
            ("1,23", P2),
            ("1,23", P0),
            ("1.23", C2),
            ("1,234.56", C2),
            ("1.234,56", P2),
            ("1.234", P2),
            ("1,234", C2),
            ("1.5", P2),
            ("1,5", C2),
            ("12.50", P3),
            ("12.500", P2),
            ("1 234.56", C2),
            ("1'234.50", C2),
        ] {
            assert_eq!(read(text, style), None, "{text:?} under {style:?}");
        }
        // Style-agnostic: one shape, two readings.
        let shape = scan("1,234").unwrap();
        assert_eq!(shape.value(&P2).unwrap().value.to_string(), "1234");
        assert_eq!(shape.value(&C3).unwrap().value.to_string(), "1.234");
        assert_eq!(shape.runs(), &[1, 3]);
        assert_eq!(shape.separators(), &[Separator::Comma]);
        assert_eq!(shape.last_separator(), Some(Separator::Comma));
    }

    #[test]
    fn currency_symbols_and_codes() {
        let (ngn, kes, usd) = (Some("NGN"), Some("KES"), Some("USD"));
        check(&[
            ("₦1,234.56", P2, "1234.56", None, ngn),
            ("₦ 1,234.56", P2, "1234.56", None, ngn),
            ("KSh 1,234.56", P2, "1234.56", None, kes),
            ("Ksh.1,000.00", P2, "1000.00", None, kes),
            ("KShs 50.00", P2, "50.00", None, kes),
            ("Kshs50.00", P2, "50.00", None, kes),
            ("KES 1,234.56", P2, "1234.56", None, kes),
            ("1,234.56 KES", P2, "1234.56", None, kes),
            ("1,234.56KES", P2, "1234.56", None, kes),
            ("KSh\u{a0}1,234.56", P2, "1234.56", None, kes),
            ("£12.00", P2, "12.00", None, Some("GBP")),
            ("$1,000", P2, "1000", None, usd),
            ("US$50.00", P2, "50.00", None, usd),
            ("$50.00 USD", P2, "50.00", None, usd),
            ("A$50.00", P2, "50.00", None, Some("AUD")),
            ("C$50.00", P2, "50.00", None, Some("CAD")),
            ("S$50.00", P2, "50.00", None, Some("SGD")),
            ("€ 12,50", C2, "12.50", None, Some("EUR")),
            ("12,50 €", C2, "12.50", None, Some("EUR")),
            ("12,50€", C2, "12.50", None, Some("EUR")),
            ("1 234,56 EUR", C2, "1234.56", None, Some("EUR")),
            ("₹1,23,456.00", P2, "123456.00", None, Some("INR")),
            ("Rs.1,234.00", P2, "1234.00", None, Some("INR")),
            ("Rs 500", P0, "500", None, Some("INR")),
            ("INR 1,23,456.00", P2, "123456.00", None, Some("INR")),
            ("R$ 1.234,56", C2, "1234.56", None, Some("BRL")),
            ("R1 234,56", C2, "1234.56", None, Some("ZAR")),
            ("R 100.00", P2, "100.00", None, Some("ZAR")),
            ("ZAR 100.00", P2, "100.00", None, Some("ZAR")),
            ("NGN 500.00", P2, "500.00", None, ngn),
            ("¥1,000", P0, "1000", None, Some("JPY")),
            ("GH₵20.00", P2, "20.00", None, Some("GHS")),
            ("GHS 20.00", P2, "20.00", None, Some("GHS")),
            ("CHF 1'234.50", P2, "1234.50", None, Some("CHF")),
            ("XOF 25.000", C0, "25000", None, Some("XOF")),
            ("USh 5,000", P0, "5000", None, Some("UGX")),
            ("USD-50.00", P2, "-50.00", None, usd),
            ("-$50.00", P2, "-50.00", None, usd),
            ("$-50.00", P2, "-50.00", None, usd),
            ("($50.00)", P2, "-50.00", None, usd),
            ("-50.00 KES", P2, "-50.00", None, kes),
            ("KES 50.00 DR", P2, "-50.00", Some(Marker::Debit), kes),
        ]);
        assert_eq!(scan("₦1,234.56").unwrap().currency(), ngn);
        // Two different currencies are not one amount; `R` is only the rand before digits.
        for text in ["$50.00 EUR", "R -50.00", "R", "50.00 R", "RR 50", "R  50"] {
            assert_eq!(scan(text), None, "{text:?}");
        }
    }

    #[test]
    fn signs_and_markers() {
        let (cr, dr) = (Some(Marker::Credit), Some(Marker::Debit));
        check(&[
            ("-50.00", P2, "-50.00", None, None),
            ("- 50.00", P2, "-50.00", None, None),
            ("50.00-", P2, "-50.00", None, None),
            ("1 234,56-", C2, "-1234.56", None, None),
            ("+50.00", P2, "50.00", None, None),
            ("50.00+", P2, "50.00", None, None),
            ("\u{2212}50.00", P2, "-50.00", None, None),
            ("\u{2013}50.00", P2, "-50.00", None, None),
            ("(50.00)", P2, "-50.00", None, None),
            ("( 50.00 )", P2, "-50.00", None, None),
            ("50.00 CR", P2, "50.00", cr, None),
            ("50.00CR", P2, "50.00", cr, None),
            ("CR 50.00", P2, "50.00", cr, None),
            ("50.00 DR", P2, "-50.00", dr, None),
            ("50.00DR", P2, "-50.00", dr, None),
            ("Dr 50.00", P2, "-50.00", dr, None),
            ("Dr.50.00", P2, "-50.00", dr, None),
            ("50.00 Cr.", P2, "50.00", cr, None),
            ("50.00 Dr", P2, "-50.00", dr, None),
            ("50.00 cr", P2, "50.00", cr, None),
            ("50.00 D", P2, "-50.00", dr, None),
            ("50.00 C", P2, "50.00", cr, None),
            ("50.00D", P2, "-50.00", dr, None),
            ("50.00C", P2, "50.00", cr, None),
            ("50.00 OD", P2, "-50.00", dr, None),
            ("(1,234.56) CR", P2, "-1234.56", cr, None),
            ("-0.00", P2, "0.00", None, None),
        ]);
        let minus = scan("-50.00").unwrap();
        assert_eq!(minus.sign(), Some(Sign::MinusBefore));
        let printed = minus.value(&P2).unwrap();
        assert!(printed.negative);
        assert_eq!(printed.value.to_string(), "50.00");
        assert!(!scan("-0.00").unwrap().value(&P2).unwrap().negative);
        let debit = scan("50.00 DR").unwrap().value(&P2).unwrap();
        assert!(!debit.negative);
        assert_eq!(debit.marker, Some(Marker::Debit));
        assert_eq!(scan("50.00-").unwrap().sign(), Some(Sign::MinusAfter));
        assert_eq!(scan("(50.00)").unwrap().sign(), Some(Sign::Parentheses));
        assert_eq!(scan("+50.00").unwrap().sign(), Some(Sign::Plus));
        // A marker letter glued to something other than a digit, and prefix markers
        // without a space, are not markers.
        for text in ["(50.00)D", "DR50.00", "CR1234", "50.00 XD", "50.00 CR DR"] {
            assert_eq!(scan(text), None, "{text:?}");
        }
    }

    #[test]
    fn dashes_and_blanks_are_zero() {
        for text in ["-", "–", "—", "−", "- -", "--", " - ", "nil", "NIL", "Nil"] {
            let shape = scan(text).unwrap_or_else(|| panic!("{text:?}"));
            assert!(shape.is_dash_zero(), "{text:?}");
            assert!(!shape.is_unmistakable(), "{text:?}");
            assert_eq!(shape.digit_count(), 0);
            let zero = shape.value(&P2).unwrap();
            assert!(zero.value.is_zero() && !zero.negative && zero.marker.is_none());
            assert_eq!(zero.value.scale(), 0);
        }
        let zero = scan("0").unwrap();
        assert!(zero.is_dash_zero());
        assert_eq!(zero.value(&P2).unwrap().value.to_string(), "0");
        let printed = scan("0.00").unwrap();
        assert!(!printed.is_dash_zero());
        assert_eq!(printed.value(&P2).unwrap().value.to_string(), "0.00");
        assert_eq!(printed.value(&C2), None);
        assert_eq!(scan("0,00").unwrap().value(&C2).unwrap().value.minor(), 0);
        for blank in ["", " ", "\u{a0}", "----", "n/a", "none"] {
            assert_eq!(scan(blank), None, "{blank:?}");
        }
    }

    #[test]
    fn what_is_never_money() {
        for text in [
            // Phone numbers.
            "0722 123 456",
            "0722123456",
            "+254722123456",
            "+254 722 123 456",
            "0803-123-4567",
            "+254-722-123-456",
            "(0722) 123 456",
            // Account numbers and references.
            "0123456789",
            "1234567890123",
            "99999999999999999999",
            "1,234,567,890,123,456,789.00",
            "FT24032XYZ",
            "TRF/123/456",
            "REF 123",
            "A1",
            "1e5",
            "0x10",
            "1_000",
            "#123",
            // Dates and times.
            "01/02/2024",
            "2024-02-01",
            "12.02.2024",
            "01.02.24",
            "01.02",
            "12:41:52",
            "12:30",
            // Percentages, card masks, page numbers.
            "5.5%",
            "****1234",
            "07******123",
            "5488-2926-6730-9473",
            "5488 2926 6730 9473",
            "Page 1 of 2",
            "1 of 2",
            // Inconsistent grouping or separators.
            "1,2,3",
            "12,3456.00",
            "1,23,4567.00",
            "12,345,67",
            "1 2345",
            "12 34",
            "1,234.567.89",
            ",123.00",
            ".50",
            "1,234.",
            "1..2",
            "1,,234",
            "1, 234",
            "1.23456",
            "00.50",
            "01",
            "50.00 100.00",
            // Broken signs.
            "--50",
            "-50-",
            "-(50.00)",
            "(-50.00)",
            "(50.00",
            "50.00)",
            "((50))",
            "+-5",
            "$$5",
            "50 CR CR",
        ] {
            assert_eq!(scan(text), None, "{text:?}");
        }
    }

    #[test]
    fn bare_integers_are_shapes_but_not_unmistakable() {
        for text in [
            "2024", "123456", "7", "0", "-5", "(2)", "1.5", "1.2345", "-", "nil",
        ] {
            let shape = scan(text).unwrap_or_else(|| panic!("{text:?}"));
            assert!(!shape.is_unmistakable(), "{text:?}");
        }
        for text in [
            "12.50", "12,50", "1,234", "1 234", "$5", "5 CR", "5-", "KES 7", "1,234.5", "12.500",
            "(1.00)", "-1.00",
        ] {
            let shape = scan(text).unwrap_or_else(|| panic!("{text:?}"));
            assert!(shape.is_unmistakable(), "{text:?}");
        }
        assert_eq!(
            scan("2024").and_then(|s| s.value(&P2)).map(|m| m.value),
            Some(Amount::from_minor(2024, 0))
        );
        // Up to 12 digits with no separator at all; more only with a decimal part.
        check(&[
            ("123456789012", P0, "123456789012", None, None),
            ("1234567890123.45", P2, "1234567890123.45", None, None),
            ("+1 234 567,89", C2, "1234567.89", None, None),
            ("+12345678.00", P2, "12345678.00", None, None),
        ]);
        assert_eq!(scan("1234567890123"), None);
        assert_eq!(scan("+123456789"), None);
        // Padding is not the amount.
        assert!(scan(&format!("{:>80}", "1.00")).is_some());
    }

    fn style_of(texts: &[&str]) -> NumberStyle {
        let shapes: Vec<MoneyShape> = texts.iter().filter_map(|t| scan(t)).collect();
        assert_eq!(shapes.len(), texts.len(), "{texts:?}");
        choose_style(&shapes)
    }

    #[test]
    fn chooses_the_documents_style() {
        let cases: &[(&[&str], NumberStyle)] = &[
            // French.
            (&["1 234,56", "12,50", "-3,00"], C2),
            (&["1.234,56", "12,50", "1.000", "2.500", "3,00 €"], C2),
            // US.
            (&["1,234.56", "12.50", "$3.00", "(45.10)"], P2),
            // Whole-number naira.
            (&["1,200", "35,000", "500"], P0),
            (&["₦1,200", "₦35,000", "₦500"], P0),
            // Franc CFA: no decimals, points between thousands.
            (&["25.000", "1.500.000", "3.200"], C0),
            // Mixed with ambiguous ones.
            (&["1,234.56", "1,000", "2,500", "12.50", "99.99"], P2),
            (&["1,000", "2,500", "3,000", "12.50", "99.99"], P2),
            (&["1,234", "12,50", "3,10", "7,00", "2,000"], C2),
            // Dashes and bare integers do not vote.
            (&["-", "2024", "123456", "12,50"], C2),
            (&["nil", "0", "2024"], P2),
            // Three decimals.
            (&["1,234.567", "0.500", "12.500"], P3),
            (&["KWD 12.500", "3.250"], P3),
            (&["12.500", "3.250"], C0),
            // Nothing to go on.
            (&[], P2),
            (&["1 234"], P0),
            (&["1,234"], P0),
        ];
        for (texts, style) in cases {
            assert_eq!(style_of(texts), *style, "{texts:?}");
        }
        // The majority wins.
        assert_eq!(style_of(&["1,234.56", "2,345.67", "12,50"]), P2);
        assert_eq!(style_of(&["1.234,56", "2.345,67", "12.50"]), C2);
    }

    /// How the property test prints an amount.
    #[derive(Clone, Debug)]
    struct Printing {
        /// The thousands separator, or none.
        grouping: Option<char>,
        indian: bool,
        decimal: DecimalMark,
        decimals: u8,
        sign: SignStyle,
        /// Symbol, its code, before the number, with a space.
        currency: Option<(&'static str, &'static str, bool, bool)>,
    }

    #[derive(Clone, Copy, Debug)]
    enum SignStyle {
        MinusBefore,
        UnicodeMinusBefore,
        MinusAfter,
        Parentheses,
        CrDrAfter { space: bool },
        DrBefore,
    }

    fn group(int: &str, sep: char, indian: bool) -> String {
        let digits: Vec<char> = int.chars().collect();
        let mut groups: Vec<String> = Vec::new();
        let mut end = digits.len();
        let mut size = 3;
        while end > 0 {
            let start = end.saturating_sub(size);
            groups.push(digits[start..end].iter().collect());
            end = start;
            if indian {
                size = 2;
            }
        }
        groups.reverse();
        groups.join(&sep.to_string())
    }

    fn print(minor: i64, p: &Printing) -> String {
        let abs = minor.unsigned_abs();
        let factor = 10u64.pow(u32::from(p.decimals));
        let int = (abs / factor).to_string();
        let mut body = match p.grouping {
            Some(sep) => group(&int, sep, p.indian),
            None => int,
        };
        if p.decimals > 0 {
            body.push(match p.decimal {
                DecimalMark::Point => '.',
                DecimalMark::Comma => ',',
            });
            body.push_str(&format!(
                "{:0width$}",
                abs % factor,
                width = usize::from(p.decimals)
            ));
        }
        if let Some((symbol, _, before, space)) = p.currency {
            let gap = if space { " " } else { "" };
            body = if before {
                format!("{symbol}{gap}{body}")
            } else {
                format!("{body}{gap}{symbol}")
            };
        }
        let negative = minor < 0;
        match p.sign {
            SignStyle::MinusBefore if negative => format!("-{body}"),
            SignStyle::UnicodeMinusBefore if negative => format!("\u{2212}{body}"),
            SignStyle::MinusAfter if negative => format!("{body}-"),
            SignStyle::Parentheses if negative => format!("({body})"),
            SignStyle::CrDrAfter { space } => {
                let gap = if space { " " } else { "" };
                format!("{body}{gap}{}", if negative { "DR" } else { "CR" })
            }
            SignStyle::DrBefore if negative => format!("DR {body}"),
            _ => body,
        }
    }

    fn printing() -> impl Strategy<Value = Printing> {
        let grouping = prop_oneof![
            Just((None, false)),
            Just((Some(','), false)),
            Just((Some('.'), false)),
            Just((Some(' '), false)),
            Just((Some('\u{a0}'), false)),
            Just((Some('\u{202f}'), false)),
            Just((Some('\''), false)),
            Just((Some(','), true)),
            Just((Some(' '), true)),
        ];
        let sign = prop_oneof![
            Just(SignStyle::MinusBefore),
            Just(SignStyle::UnicodeMinusBefore),
            Just(SignStyle::MinusAfter),
            Just(SignStyle::Parentheses),
            Just(SignStyle::CrDrAfter { space: true }),
            Just(SignStyle::CrDrAfter { space: false }),
            Just(SignStyle::DrBefore),
        ];
        let symbol = prop_oneof![
            Just(("₦", "NGN", true)),
            Just(("KSh", "KES", true)),
            Just(("£", "GBP", true)),
            Just(("$", "USD", true)),
            Just(("€", "EUR", true)),
            Just(("₹", "INR", true)),
            Just(("R$", "BRL", true)),
            Just(("US$", "USD", true)),
            Just(("NGN", "NGN", true)),
            Just(("KES", "KES", true)),
            Just(("CHF", "CHF", true)),
            Just(("Rs.", "INR", true)),
            // The rand's `R` is printed only before the number.
            Just(("R", "ZAR", false)),
        ];
        let currency = prop::option::of((symbol, any::<bool>(), any::<bool>()).prop_map(
            |((symbol, code, may_follow), before, space)| {
                (symbol, code, before || !may_follow, space)
            },
        ));
        (
            grouping,
            any::<bool>(),
            prop_oneof![Just(0u8), Just(2u8), Just(3u8)],
            sign,
            currency,
        )
            .prop_map(|((grouping, indian), comma, decimals, sign, currency)| {
                let mut decimal = if comma {
                    DecimalMark::Comma
                } else {
                    DecimalMark::Point
                };
                // The decimal mark is never the thousands separator.
                if grouping == Some(decimal.separator_char()) {
                    decimal = decimal.other();
                }
                Printing {
                    grouping,
                    indian,
                    decimal,
                    decimals,
                    sign,
                    currency,
                }
            })
    }

    impl DecimalMark {
        fn separator_char(self) -> char {
            match self {
                DecimalMark::Point => '.',
                DecimalMark::Comma => ',',
            }
        }
    }

    fn moneyish() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                Just("0"),
                Just("1"),
                Just("5"),
                Just("9"),
                Just("12"),
                Just("345"),
                Just(","),
                Just("."),
                Just(" "),
                Just("\u{a0}"),
                Just("\u{202f}"),
                Just("'"),
                Just("-"),
                Just("\u{2212}"),
                Just("–"),
                Just("—"),
                Just("("),
                Just(")"),
                Just("+"),
                Just("CR"),
                Just("DR"),
                Just("C"),
                Just("D"),
                Just("R"),
                Just("$"),
                Just("₦"),
                Just("€"),
                Just("KSh"),
                Just("KES"),
                Just("%"),
                Just("/"),
                Just("é"),
                Just("日"),
            ],
            0..16,
        )
        .prop_map(|parts| parts.concat())
    }

    fn exercise(text: &str) {
        let Some(shape) = scan(text) else {
            return;
        };
        let _ = shape.is_unmistakable();
        for style in [P0, P2, P3, C0, C2, C3] {
            if let Some(m) = shape.value(&style) {
                assert!(!m.value.is_negative(), "{text:?}");
                assert!(m.value.scale() <= MAX_SCALE, "{text:?}");
                let _ = m.signed();
            }
        }
        let _ = choose_style(&[shape.clone(), shape]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        #[test]
        fn reads_back_what_any_style_prints(
            minor in prop_oneof![
                -10_000_000_000_000i64..=10_000_000_000_000,
                -1_000_000i64..=1_000_000,
            ],
            p in printing(),
        ) {
            let text = print(minor, &p);
            let shape = scan(&text);
            let bare_int_digits = (minor.unsigned_abs() / 10u64.pow(u32::from(p.decimals)))
                .to_string()
                .len();
            if p.grouping.is_none() && p.decimals == 0 && bare_int_digits > 12 {
                // A long run of digits with no separator is an account number.
                prop_assert_eq!(shape, None, "{:?}", text);
                return Ok(());
            }
            let style = NumberStyle { decimal: p.decimal, decimals: p.decimals };
            let shape = shape.ok_or_else(|| TestCaseError::fail(format!("scan {text:?}")))?;
            let m = shape
                .value(&style)
                .ok_or_else(|| TestCaseError::fail(format!("value {text:?} {style:?}")))?;
            prop_assert_eq!(m.signed().minor(), minor, "{:?}", text);
            prop_assert_eq!(m.signed().scale(), p.decimals, "{:?}", text);
            prop_assert!(!m.value.is_negative());
            prop_assert_eq!(m.currency, p.currency.map(|c| c.1), "{:?}", text);
            if matches!(p.sign, SignStyle::CrDrAfter { .. }) {
                let expected = if minor < 0 { Marker::Debit } else { Marker::Credit };
                prop_assert_eq!(m.marker, Some(expected), "{:?}", text);
            }
            if minor != 0 && (p.currency.is_some() || p.grouping.is_some() && minor.unsigned_abs() >= 1000 * 10u64.pow(u32::from(p.decimals))) {
                prop_assert!(shape.is_unmistakable(), "{:?}", text);
            }
            // A document of this one amount, with decimals, tells its own style.
            if p.decimals == 2 && p.grouping.is_some() && minor.unsigned_abs() >= 100_000 {
                prop_assert_eq!(choose_style(&[shape]), style, "{:?}", text);
            }
        }

        #[test]
        fn scan_never_panics(text in any::<String>()) {
            exercise(&text);
        }

        #[test]
        fn scan_never_panics_on_moneyish_text(text in moneyish()) {
            exercise(&text);
        }
    }
}
