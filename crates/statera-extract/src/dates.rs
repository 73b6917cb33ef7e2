//! Printed dates, for a reader that knows no bank: every common way a statement prints a
//! date (numeric with `/ - .` or spaces, ISO, month names in English, French, Spanish,
//! Portuguese and Swahili, ordinals, weekday prefixes, a trailing time), and statement
//! periods in free text.
//!
//! This module owns reading one printed date ([`parse`], [`parse_prefix`], [`find_all`])
//! and the two choices a single date cannot make on its own, which the caller makes once
//! per document: the day/month order of all-numeric dates ([`choose_order`]) and the year
//! of dates printed without one or with two digits ([`YearContext`]).
//!
//! It runs on every word of every page, so the scanner is hand-written over bytes: no
//! regex, no allocation on the "not a date" path, and no panic on any input (the text
//! comes from hostile PDFs; every slice is taken with `get` on a char boundary).

use std::ops::{Range, RangeInclusive};

use chrono::{Datelike, Days, NaiveDate, NaiveTime};

/// Four-digit years outside this range are not statement dates: `0722` or `3150` is a
/// reference or an amount, and reading it as a year would invent a date.
const YEARS: RangeInclusive<u32> = 1900..=2100;

/// At most this many spaces between the parts of one date: further apart, they are
/// separate cells that only happen to sit side by side.
const MAX_GAP: usize = 3;

/// A date missing its year lands inside the statement period give or take this many days
/// (transactions posted just before or after the printed period).
const PERIOD_SLACK: u64 = 7;

/// Two dates further apart than this are not one statement period (two years, for annual
/// statements with slack).
const MAX_PERIOD_DAYS: i64 = 731;

/// Which of the two numeric fields comes first in an all-numeric date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DayMonth {
    DayFirst,
    MonthFirst,
}

/// A year as printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrintedYear {
    Full(i32),
    Short(u8),
}

/// The family a date was printed in, so that a caller can check a document keeps to one
/// style, and reject the styles that collide with other fields (see
/// [`PrintedDate::looks_like_money`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DateStyle {
    /// `01/02/2024`, `1/2/24`, `12/16`.
    NumericSlash,
    /// `01-02-2024`.
    NumericDash,
    /// `01.02.24`, `16.12` (the year-less form reads like money: `12.10`).
    NumericDot,
    /// `01 02 2024` (only with a four-digit year: `12 15` is a quantity).
    NumericSpace,
    /// `2024-02-01`, optionally with `T12:41:52`.
    Iso,
    /// `2024/02/01`.
    YearFirstSlash,
    /// `2024.02.01`.
    YearFirstDot,
    /// `05 Aug 2024`, `5-Aug-24`, `05/Aug/2024`, `1st February 2024`, `5 de agosto de 2024`.
    DayMonthName,
    /// `Aug 5, 2024`, `February 1st 2024`, `Feb 12`.
    MonthNameDay,
    /// `2025 May 02`, `2025-May-02`.
    YearMonthName,
    /// `05AUG24`, `5Aug2024`.
    Compact,
}

/// A date as printed, before the document-level choices (day/month order, missing year).
///
/// When the order is fixed (a named month, or year first), `first` is the month and
/// `second` the day; [`PrintedDate::day_month`] hides the difference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PrintedDate {
    pub year: Option<PrintedYear>,
    /// For named-month and year-first dates: the month. For all-numeric dates: the first
    /// non-year field as printed.
    pub first: u8,
    /// For named-month and year-first dates: the day. For all-numeric dates: the second
    /// non-year field as printed.
    pub second: u8,
    /// True when the month came from a name (no day/month ambiguity).
    pub month_named: bool,
    /// True when the date was year-first (`2024-02-01`, `2025 May 02`): then first=month,
    /// second=day always (year-first-day-month does not occur in practice).
    pub year_first: bool,
    pub time: Option<NaiveTime>,
    pub style: DateStyle,
}

/// Where a missing or two-digit year comes from.
#[derive(Clone, Copy, Debug, Default)]
pub struct YearContext {
    /// The statement period when known (printed period, or first/last full dates on the
    /// page).
    pub period: Option<(NaiveDate, NaiveDate)>,
}

impl PrintedDate {
    /// Whether the day/month order is fixed by the print (named month or year first), so
    /// the document's order does not apply.
    pub fn order_fixed(&self) -> bool {
        self.month_named || self.year_first
    }

    /// `(day, month)` under `order` (ignored when the order is fixed).
    pub fn day_month(&self, order: DayMonth) -> (u8, u8) {
        match (self.order_fixed(), order) {
            (false, DayMonth::DayFirst) => (self.first, self.second),
            _ => (self.second, self.first),
        }
    }

    /// Can this date be read day-first / month-first? A fixed-order date reads the same
    /// under both, so it allows both when it is a real day of the year. Without a full
    /// year, 29 February is allowed (the year may be a leap year).
    pub fn allows(&self, order: DayMonth) -> bool {
        let (day, month) = self.day_month(order);
        let year = match self.year {
            Some(PrintedYear::Full(y)) => y,
            _ => 2000,
        };
        day >= 1 && u32::from(day) <= days_in_month(year, u32::from(month))
    }

    /// The date under `order` with the year from `years`. `None` when the day does not
    /// exist (31/02) or the year is missing and no period says which one it is: a year
    /// is never invented.
    pub fn resolve(&self, order: DayMonth, years: &YearContext) -> Option<NaiveDate> {
        if !self.allows(order) {
            return None;
        }
        let (day, month) = self.day_month(order);
        let on = |year: i32| NaiveDate::from_ymd_opt(year, u32::from(month), u32::from(day));
        let period = years
            .period
            .map(|(a, b)| if a <= b { (a, b) } else { (b, a) });
        match self.year {
            Some(PrintedYear::Full(year)) => on(year),
            Some(PrintedYear::Short(yy)) => {
                let yy = i32::from(yy);
                match period {
                    None => on(if yy <= 69 { 2000 + yy } else { 1900 + yy }),
                    Some(p) => [2000 + yy, 1900 + yy]
                        .into_iter()
                        .filter_map(on)
                        .min_by_key(|d| distance(*d, p)),
                }
            }
            None => {
                let (start, end) = period?;
                let low = start
                    .checked_sub_days(Days::new(PERIOD_SLACK))
                    .unwrap_or(start);
                let high = end.checked_add_days(Days::new(PERIOD_SLACK)).unwrap_or(end);
                let candidates = [start.year(), end.year()].into_iter().filter_map(on);
                candidates
                    .clone()
                    .find(|d| (low..=high).contains(d))
                    .or_else(|| candidates.min_by_key(|d| distance(*d, (start, end))))
            }
        }
    }

    /// A year-less dot date (`16.12`) prints exactly like an amount (`16.12`): a caller
    /// reading a money column must not take it for a date.
    pub fn looks_like_money(&self) -> bool {
        self.style == DateStyle::NumericDot && self.year.is_none() && self.time.is_none()
    }
}

/// Days from `date` to the nearest end of `period` (0 inside it).
fn distance(date: NaiveDate, (start, end): (NaiveDate, NaiveDate)) -> i64 {
    if date < start {
        (start - date).num_days()
    } else if date > end {
        (date - end).num_days()
    } else {
        0
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 0,
    }
}

/// The date filling the whole text (surrounding whitespace, and trailing `,`/`.`/`:`
/// allowed), optionally followed by a time. `None` if the text is anything else.
pub fn parse(text: &str) -> Option<PrintedDate> {
    if !has_digit(text) {
        return None;
    }
    let text = text
        .trim_start()
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | ':'));
    parse_at(text, 0).and_then(|(date, end)| (end == text.len()).then_some(date))
}

/// A date at the start of `text` (a row whose first cell is `12/16 POS DEBIT`, or
/// `05 Aug 24 Opening`): the date and how many bytes of `text` it used, leading
/// whitespace included. The date ends at a word boundary.
pub fn parse_prefix(text: &str) -> Option<(PrintedDate, usize)> {
    if !has_digit(text) {
        return None;
    }
    let start = text.len() - text.trim_start().len();
    parse_at(text, start)
}

/// Every date inside free text (`Statement period: 12 Feb - 11 Mar 2024`, `Printed on
/// Monday, February 5th 2024 at 10:02`), with byte ranges, in order and not overlapping.
pub fn find_all(text: &str) -> Vec<(PrintedDate, Range<usize>)> {
    let mut found = Vec::new();
    if !has_digit(text) {
        return found;
    }
    let (mut prev, mut before_prev) = (None::<char>, None::<char>);
    let mut resume = 0;
    let mut last_end = None;
    for (i, ch) in text.char_indices() {
        let word_start = ch.is_alphanumeric() && !prev.is_some_and(char::is_alphanumeric);
        // A number inside a longer numeric run (`192.168.1.10`, `0722-123-456`) is not a
        // date, unless the separator follows a date just read (`2024-02-01-2024-02-29`).
        let inside_number = ch.is_ascii_digit()
            && prev.is_some_and(|p| matches!(p, '.' | '/' | ':' | ',' | '-'))
            && before_prev.is_some_and(|b| b.is_ascii_digit())
            && last_end != Some(i.saturating_sub(1));
        if i >= resume
            && word_start
            && !inside_number
            && let Some((date, end)) = parse_at(text, i)
        {
            found.push((date, i..end));
            resume = end;
            last_end = Some(end);
        }
        before_prev = prev;
        prev = Some(ch);
    }
    found
}

/// A statement period in free text: two dates joined by a range word (`12 Feb - 11 Mar
/// 2024`, `From 1 March 2024 To 31 March 2024`, `du … au …`, `del … al …`, `de … a …`,
/// `kuanzia … hadi …`, `between … and …`, `… through …`, dashes with or without spaces),
/// else days of one month (`1-15 March 2024`), else a whole month (`Statement period:
/// February 2024`). A start without a year borrows
/// the end's, a year earlier when it would fall after the end (`15 Dec - 14 Jan 2025`
/// starts in 2024). Numeric dates are read in `order`. A reversed range, or one longer
/// than two years, is not a period.
pub fn find_period(text: &str, order: DayMonth) -> Option<(NaiveDate, NaiveDate)> {
    let dates = find_all(text);
    for pair in dates.windows(2) {
        let [(a, ra), (b, rb)] = pair else { continue };
        if text.get(ra.end..rb.start).is_some_and(is_range_word)
            && let Some(period) = period_between(a, b, order)
        {
            return Some(period);
        }
    }
    day_range(text).or_else(|| whole_month(text, &dates))
}

/// Chooses day/month order over a document: the order under which the most dates are
/// valid; on a tie (all dates ≤ 12/12) the order under which the dates are more often in
/// sequence (statements are ordered), then the one with the smaller total step between
/// consecutive dates (statements are dense: 01/02, 03/02, 05/02 are three days, not three
/// months); on a further tie `default`.
pub fn choose_order(dates: &[PrintedDate], default: DayMonth) -> DayMonth {
    use DayMonth::{DayFirst, MonthFirst};
    let valid = |order| dates.iter().filter(|d| d.allows(order)).count();
    let (day_first, month_first) = (valid(DayFirst), valid(MonthFirst));
    if day_first != month_first {
        return if day_first > month_first {
            DayFirst
        } else {
            MonthFirst
        };
    }
    let (a, b) = (sequence(dates, DayFirst), sequence(dates, MonthFirst));
    match a.0.cmp(&b.0).then(b.1.cmp(&a.1)) {
        std::cmp::Ordering::Greater => DayFirst,
        std::cmp::Ordering::Less => MonthFirst,
        std::cmp::Ordering::Equal => default,
    }
}

/// How ordered the dates are under `order`: (adjacent pairs in the dominant direction,
/// total step in days). Without years, a step of more than half a year backwards is the
/// December→January rollover (and the reverse for descending statements).
fn sequence(dates: &[PrintedDate], order: DayMonth) -> (usize, i64) {
    let key = |d: &PrintedDate| {
        let (day, month) = d.day_month(order);
        let year = match d.year {
            Some(PrintedYear::Full(y)) => Some(i64::from(y)),
            Some(PrintedYear::Short(y)) => Some(2000 + i64::from(y)),
            None => None,
        };
        (year, i64::from(month) * 31 + i64::from(day))
    };
    let (mut up, mut down, mut steps) = (0, 0, 0i64);
    let mut prev: Option<(Option<i64>, i64)> = None;
    for k in dates.iter().filter(|d| d.allows(order)).map(key) {
        if let Some((py, pn)) = prev {
            let diff = match (py, k.0) {
                (Some(py), Some(y)) => (y - py) * 372 + k.1 - pn,
                _ => match k.1 - pn {
                    d if d < -186 => d + 372,
                    d if d > 186 => d - 372,
                    d => d,
                },
            };
            up += usize::from(diff >= 0);
            down += usize::from(diff <= 0);
            steps = steps.saturating_add(diff.abs());
        }
        prev = Some(k);
    }
    (up.max(down), steps)
}

/// The period between two dates a range word joins, the year-less one borrowing the
/// other's year.
fn period_between(
    a: &PrintedDate,
    b: &PrintedDate,
    order: DayMonth,
) -> Option<(NaiveDate, NaiveDate)> {
    let none = YearContext::default();
    let (start, end) = match (a.year, b.year) {
        (_, Some(_)) => {
            let end = b.resolve(order, &none)?;
            let start = match a.year {
                Some(_) => a.resolve(order, &none)?,
                None => borrow_year(a, order, end, false)?,
            };
            (start, end)
        }
        (Some(_), None) => {
            let start = a.resolve(order, &none)?;
            (start, borrow_year(b, order, start, true)?)
        }
        (None, None) => return None,
    };
    (start <= end && (end - start).num_days() <= MAX_PERIOD_DAYS).then_some((start, end))
}

/// `date` in `anchor`'s year, or the year before (after) when it would fall after
/// (before) the anchor.
fn borrow_year(
    date: &PrintedDate,
    order: DayMonth,
    anchor: NaiveDate,
    after: bool,
) -> Option<NaiveDate> {
    if !date.allows(order) {
        return None;
    }
    let (day, month) = date.day_month(order);
    let on = |year: i32| NaiveDate::from_ymd_opt(year, u32::from(month), u32::from(day));
    let year = anchor.year();
    let same = on(year).filter(|d| if after { *d >= anchor } else { *d <= anchor });
    same.or_else(|| on(if after { year + 1 } else { year - 1 }))
}

/// `1-15 March 2024`, `1 to 15 March 2024`: two days sharing the month and year printed
/// once.
fn day_range(text: &str) -> Option<(NaiveDate, NaiveDate)> {
    let mut prev = None::<char>;
    for (i, ch) in text.char_indices() {
        let word_start = ch.is_ascii_digit() && !prev.is_some_and(char::is_alphanumeric);
        prev = Some(ch);
        if !word_start {
            continue;
        }
        let mut k = Cur::new(text, i);
        let Some(first) = k.field() else { continue };
        k.ordinal();
        k.spaces();
        let rest = k.rest();
        let dash = ["-", "–", "—"].into_iter().find(|d| rest.starts_with(d));
        match dash {
            Some(d) => k.pos += d.len(),
            None if k.word().is_some_and(is_range_word) => {}
            None => continue,
        }
        k.spaces();
        let Some((end, _)) = parse_at(text, k.pos) else {
            continue;
        };
        if !end.month_named || end.year_first || end.year.is_none() {
            continue;
        }
        let Some(end) = end.resolve(DayMonth::DayFirst, &YearContext::default()) else {
            continue;
        };
        let Some(start) = end.with_day(first).filter(|s| *s <= end) else {
            continue;
        };
        return Some((start, end));
    }
    None
}

/// `February 2024`, `févr. 2024`, `febrero de 2024`: the whole month, when the month is
/// not part of a full date already found.
fn whole_month(
    text: &str,
    dates: &[(PrintedDate, Range<usize>)],
) -> Option<(NaiveDate, NaiveDate)> {
    let mut prev = None::<char>;
    for (i, ch) in text.char_indices() {
        let word_start = ch.is_alphabetic() && !prev.is_some_and(char::is_alphanumeric);
        prev = Some(ch);
        if !word_start {
            continue;
        }
        let mut k = Cur::new(text, i);
        let Some(month) = k.month() else { continue };
        k.eat(b'.');
        if k.spaces() == 0 && !k.eat(b'-') {
            continue;
        }
        k = k.linked(&["de", "del"]);
        let Some(year) = k.number().and_then(full_year) else {
            continue;
        };
        if !ends_cleanly(&k, false) || dates.iter().any(|(_, r)| r.start < k.pos && i < r.end) {
            continue;
        }
        let first = NaiveDate::from_ymd_opt(year, month, 1)?;
        let last = NaiveDate::from_ymd_opt(year, month, days_in_month(year, month))?;
        return Some((first, last));
    }
    None
}

fn is_range_word(between: &str) -> bool {
    // The second date's weekday may sit between ("hasta jue 29 feb. 2024").
    let mut words: Vec<&str> = between.split_whitespace().collect();
    while words.len() > 1
        && words
            .last()
            .is_some_and(|w| is_weekday(w.trim_end_matches([',', '.'])))
    {
        words.pop();
    }
    let joined = words.join(" ");
    let mut buf = [0; 24];
    let Some(word) = fold(joined.trim(), &mut buf) else {
        return false;
    };
    matches!(
        word,
        "-" | "--"
            | "–"
            | "—"
            | "~"
            | "to"
            | "through"
            | "thru"
            | "and"
            | "until"
            | "till"
            | "au"
            | "al"
            | "a"
            | "à"
            | "até"
            | "ate"
            | "y"
            | "e"
            | "hadi"
            | "mpaka"
            | "hasta"
            | "ao"
            | "jusqu'au"
            | "bis"
    )
}

fn has_digit(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_digit())
}

// ---------------------------------------------------------------------------------------
// The scanner.

/// A position in the text, always on a char boundary: it only moves over ASCII bytes it
/// has checked, or over whole chars.
#[derive(Clone, Copy)]
struct Cur<'a> {
    text: &'a str,
    pos: usize,
}

/// A run of ASCII digits: the value of its first nine digits, and its length.
#[derive(Clone, Copy)]
struct Num {
    value: u32,
    digits: usize,
}

impl<'a> Cur<'a> {
    fn new(text: &'a str, pos: usize) -> Self {
        Cur { text, pos }
    }

    fn rest(&self) -> &'a str {
        self.text.get(self.pos..).unwrap_or_default()
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn at_digit(&self) -> bool {
        self.peek().is_some_and(|c| c.is_ascii_digit())
    }

    fn eat(&mut self, byte: u8) -> bool {
        let hit = self.rest().as_bytes().first() == Some(&byte) && byte.is_ascii();
        self.pos += usize::from(hit);
        hit
    }

    /// One of the numeric date separators `/ - .`.
    fn eat_sep(&mut self) -> Option<u8> {
        let sep = *self.rest().as_bytes().first()?;
        matches!(sep, b'/' | b'-' | b'.').then(|| {
            self.pos += 1;
            sep
        })
    }

    fn number(&mut self) -> Option<Num> {
        let rest = self.rest().as_bytes();
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        let value = rest[..digits.min(9)]
            .iter()
            .fold(0, |v, b| v * 10 + u32::from(b - b'0'));
        self.pos += digits;
        Some(Num { value, digits })
    }

    /// A day or month field: one or two digits.
    fn field(&mut self) -> Option<u32> {
        self.number().filter(|n| n.digits <= 2).map(|n| n.value)
    }

    /// A run of letters.
    fn word(&mut self) -> Option<&'a str> {
        let rest = self.rest();
        let len = rest
            .char_indices()
            .find(|(_, c)| !c.is_alphabetic())
            .map_or(rest.len(), |(i, _)| i);
        self.pos += len;
        (len > 0).then(|| rest.get(..len)).flatten()
    }

    fn month(&mut self) -> Option<u32> {
        self.word().and_then(month_number)
    }

    /// Spaces between two parts of a date: how many were skipped (0, skipping none, when
    /// there are more than [`MAX_GAP`] or a line break).
    fn spaces(&mut self) -> usize {
        let (mut count, mut len) = (0, 0);
        for c in self.rest().chars() {
            if !is_gap(c) {
                break;
            }
            count += 1;
            len += c.len_utf8();
            if count > MAX_GAP {
                return 0;
            }
        }
        self.pos += len;
        count
    }

    /// An ordinal suffix glued to a number (`1st`, `22nd`, `1er`, `1º`), if there is one.
    fn ordinal(&mut self) -> bool {
        let mut k = *self;
        let hit = k.word().is_some_and(is_ordinal);
        if hit {
            *self = k;
        }
        hit
    }

    /// Past a linking word (`de`, `of`) and the spaces after it, if one comes next.
    fn linked(self, words: &[&str]) -> Self {
        let mut k = self;
        let mut buf = [0; 24];
        match k.word().and_then(|w| fold(w, &mut buf)) {
            Some(w) if words.contains(&w) && k.spaces() > 0 => k,
            _ => self,
        }
    }
}

fn is_gap(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')
}

/// The date starting exactly at `start`, and where it ends. With and without a weekday
/// prefix (`mar` is both March and the French/Spanish Tuesday), the longer reading wins.
fn parse_at(text: &str, start: usize) -> Option<(PrintedDate, usize)> {
    let c = Cur::new(text, start);
    let plain = body(c).and_then(finish);
    let prefixed = prefix(c).and_then(body).and_then(finish);
    match (plain, prefixed) {
        (Some(a), Some(b)) => Some(if b.1 > a.1 { b } else { a }),
        (a, b) => a.or(b),
    }
}

/// A weekday (`Mon`, `Monday,`, `lun.`, `segunda-feira`, `Jumatatu`) and/or `the`.
fn prefix(c: Cur<'_>) -> Option<Cur<'_>> {
    let mut k = c;
    let mut took = false;
    let mut w = k;
    if w.word().is_some_and(is_weekday) {
        k = w;
        k.eat(b'.');
        if k.rest()
            .get(..6)
            .is_some_and(|s| s.eq_ignore_ascii_case("-feira"))
        {
            k.pos += 6;
        }
        let comma = k.eat(b',');
        if k.spaces() == 0 && !comma {
            return None;
        }
        took = true;
    }
    let the = k.linked(&["the"]);
    took |= the.pos != k.pos;
    took.then_some(the)
}

/// The date itself, without prefix or time.
fn body(c: Cur<'_>) -> Option<(PrintedDate, Cur<'_>)> {
    let first = c.peek()?;
    if first.is_alphabetic() {
        return month_day(c);
    }
    let mut k = c;
    let n = k.number()?;
    match n.digits {
        4 => year_first(k, full_year(n)?),
        1 | 2 => after_day(k, n.value),
        _ => None,
    }
}

/// After a leading 1–2 digit field: `01/02/2024`, `5-Aug-2024`, `05 Aug 24`, `1st
/// February`, `05AUG24`, `01 02 2024`.
fn after_day(c: Cur<'_>, day: u32) -> Option<(PrintedDate, Cur<'_>)> {
    use DateStyle::*;
    let mut k = c;
    let next = k.peek()?;
    if let Some(sep) = k.eat_sep() {
        if k.at_digit() {
            let second = k.field()?;
            let year = if k.eat(sep) {
                Some(year_of(k.number()?)?)
            } else {
                None
            };
            let style = match sep {
                b'/' => NumericSlash,
                b'-' => NumericDash,
                _ => NumericDot,
            };
            return make(year, day, second, false, false, style).map(|d| (d, k));
        }
        let month = k.month()?;
        if sep != b'.' {
            k.eat(b'.');
        }
        let year = if k.eat(sep) {
            Some(year_of(k.number()?)?)
        } else {
            None
        };
        return named(year, month, day, DayMonthName).map(|d| (d, k));
    }
    if next.is_alphabetic() {
        let word = k.word()?;
        if is_ordinal(word) {
            return if k.spaces() > 0 {
                named_tail(k, day)
            } else {
                None
            };
        }
        let month = month_number(word)?;
        let year = year_of(k.number()?)?;
        return named(Some(year), month, day, Compact).map(|d| (d, k));
    }
    let gap = k.spaces();
    if gap == 0 {
        return None;
    }
    if !k.at_digit() {
        return named_tail(k, day);
    }
    // `01 02 2024`: single spaces and a full year, or it is a row of quantities.
    let second = k.field().filter(|_| gap == 1)?;
    if k.spaces() != 1 {
        return None;
    }
    let year = full_year(k.number()?)?;
    make(
        Some(PrintedYear::Full(year)),
        day,
        second,
        false,
        false,
        NumericSpace,
    )
    .map(|d| (d, k))
}

/// After `5 `: `[de|of] month[.] [[,] [de|del] year]`.
fn named_tail(c: Cur<'_>, day: u32) -> Option<(PrintedDate, Cur<'_>)> {
    let mut k = c.linked(&["de", "of"]);
    let month = k.month()?;
    k.eat(b'.');
    let date = named(None, month, day, DateStyle::DayMonthName)?;
    let mut y = k;
    let comma = y.eat(b',');
    if (y.spaces() > 0 || comma)
        && let Some((year, after)) = year_at(y.linked(&["de", "del"]))
    {
        return named(Some(year), month, day, DateStyle::DayMonthName).map(|d| (d, after));
    }
    Some((date, k))
}

/// `Aug 5, 2024`, `August 5 2024`, `Feb 1st, 2024`, `Feb 12`, `Aug-05-2024`.
fn month_day(c: Cur<'_>) -> Option<(PrintedDate, Cur<'_>)> {
    let style = DateStyle::MonthNameDay;
    let mut k = c;
    let month = k.month()?;
    k.eat(b'.');
    let sep = if k.spaces() > 0 {
        b' '
    } else if k.eat(b'-') {
        b'-'
    } else if k.eat(b'/') {
        b'/'
    } else {
        return None;
    };
    let day = k.field()?;
    k.ordinal();
    let date = named(None, month, day, style)?;
    let mut y = k;
    let year = if sep == b' ' {
        let comma = y.eat(b',');
        // Two-digit years only after a comma: `Aug 5 10` is more likely a quantity.
        (y.spaces() > 0 || comma)
            .then(|| year_at(y))
            .flatten()
            .filter(|(year, _)| comma || matches!(year, PrintedYear::Full(_)))
    } else if y.eat(sep) {
        year_at(y)
    } else {
        None
    };
    match year {
        Some((year, after)) => named(Some(year), month, day, style).map(|d| (d, after)),
        None => Some((date, k)),
    }
}

/// After a leading four-digit year: `2024-02-01`, `2024/2/1`, `2025 May 02`,
/// `2025-May-02`.
fn year_first(c: Cur<'_>, year: i32) -> Option<(PrintedDate, Cur<'_>)> {
    use DateStyle::*;
    let full = Some(PrintedYear::Full(year));
    let mut k = c;
    if let Some(sep) = k.eat_sep() {
        if k.at_digit() {
            let month = k.field()?;
            let day = k.eat(sep).then(|| k.field()).flatten()?;
            let style = match sep {
                b'-' => Iso,
                b'/' => YearFirstSlash,
                _ => YearFirstDot,
            };
            return make(full, month, day, false, true, style).map(|d| (d, k));
        }
        let month = k.month()?;
        if sep != b'.' {
            k.eat(b'.');
        }
        let day = k.eat(sep).then(|| k.field()).flatten()?;
        return make(full, month, day, true, true, YearMonthName).map(|d| (d, k));
    }
    if k.spaces() == 0 {
        return None;
    }
    let month = k.month()?;
    k.eat(b'.');
    let day = (k.spaces() > 0).then(|| k.field()).flatten()?;
    k.ordinal();
    make(full, month, day, true, true, YearMonthName).map(|d| (d, k))
}

/// A year that stands alone: `24.50` and `10:02` are an amount and a time, not years.
fn year_at(c: Cur<'_>) -> Option<(PrintedYear, Cur<'_>)> {
    let mut k = c;
    let year = year_of(k.number()?)?;
    let mut after = k.rest().chars();
    match after.next() {
        Some(ch) if ch.is_alphanumeric() => None,
        Some('.' | ',' | ':' | '/') if after.next().is_some_and(|n| n.is_ascii_digit()) => None,
        _ => Some((year, k)),
    }
}

fn year_of(n: Num) -> Option<PrintedYear> {
    match n.digits {
        2 => u8::try_from(n.value).ok().map(PrintedYear::Short),
        4 => full_year(n).map(PrintedYear::Full),
        _ => None,
    }
}

fn full_year(n: Num) -> Option<i32> {
    if n.digits == 4 && YEARS.contains(&n.value) {
        i32::try_from(n.value).ok()
    } else {
        None
    }
}

/// A named-month date (month first, day second).
fn named(year: Option<PrintedYear>, month: u32, day: u32, style: DateStyle) -> Option<PrintedDate> {
    make(year, month, day, true, false, style)
}

/// A date whose fields can be a real day under at least one order.
fn make(
    year: Option<PrintedYear>,
    first: u32,
    second: u32,
    month_named: bool,
    year_first: bool,
    style: DateStyle,
) -> Option<PrintedDate> {
    let date = PrintedDate {
        year,
        first: u8::try_from(first).ok()?,
        second: u8::try_from(second).ok()?,
        month_named,
        year_first,
        time: None,
        style,
    };
    (date.allows(DayMonth::DayFirst) || date.allows(DayMonth::MonthFirst)).then_some(date)
}

/// The optional time after the date, then the word boundary the whole must end on.
fn finish((date, c): (PrintedDate, Cur<'_>)) -> Option<(PrintedDate, usize)> {
    if let Some((time, k)) = time_at(c)
        && ends_cleanly(&k, false)
    {
        return Some((
            PrintedDate {
                time: Some(time),
                ..date
            },
            k.pos,
        ));
    }
    // A numeric date without a full year followed by `-5` or `,5` is part of a longer
    // number (`12-15-30-40`); a named or full date may be followed by a range dash.
    let strict = !date.month_named && !matches!(date.year, Some(PrintedYear::Full(_)));
    ends_cleanly(&c, strict).then_some((date, c.pos))
}

/// The date ends here: no letter or digit follows, and no separator leading into more
/// digits.
fn ends_cleanly(c: &Cur<'_>, strict: bool) -> bool {
    let mut after = c.rest().chars();
    match after.next() {
        None => true,
        Some(ch) if ch.is_alphanumeric() => false,
        Some(ch) => {
            let joins = matches!(ch, '.' | '/' | ':') || (strict && matches!(ch, '-' | ','));
            !(joins && after.next().is_some_and(|n| n.is_ascii_digit()))
        }
    }
}

/// ` 12:41`, ` 12:41:52`, `T12:41:52.250Z`, ` 10:02 PM`, `, 9:05 a.m.`, ` at 10:02`.
fn time_at(c: Cur<'_>) -> Option<(NaiveTime, Cur<'_>)> {
    let mut k = c;
    if !(k.eat(b'T') || k.eat(b't')) {
        k.eat(b',');
        if k.spaces() == 0 {
            return None;
        }
        k = k.linked(&["at", "à", "às", "um"]);
    }
    let hour = k.field()?;
    if !k.eat(b':') {
        return None;
    }
    let minute = k.number().filter(|n| n.digits == 2)?.value;
    let (mut second, mut nano) = (0, 0);
    let mut s = k;
    if s.eat(b':')
        && let Some(n) = s.number().filter(|n| n.digits == 2)
    {
        second = n.value;
        k = s;
        let mut f = k;
        if f.eat(b'.')
            && let Some(n) = f.number().filter(|n| n.digits <= 9)
        {
            nano = n.value * 10u32.pow(9 - n.digits as u32);
            k = f;
        }
    }
    let mut hour24 = hour;
    let mut m = k;
    m.spaces();
    if let Some(pm) = meridiem(&mut m) {
        if !(1..=12).contains(&hour) {
            return None;
        }
        hour24 = hour % 12 + if pm { 12 } else { 0 };
        k = m;
    }
    k.eat(b'Z');
    NaiveTime::from_hms_nano_opt(hour24, minute, second, nano).map(|t| (t, k))
}

/// `AM`/`pm`/`a.m.`: whether it is afternoon.
fn meridiem(c: &mut Cur<'_>) -> Option<bool> {
    let mut k = *c;
    let mut buf = [0; 24];
    let pm = match fold(k.word()?, &mut buf)? {
        "am" => false,
        "pm" => true,
        half @ ("a" | "p") => {
            if !(k.eat(b'.') && (k.eat(b'm') || k.eat(b'M'))) {
                return None;
            }
            k.eat(b'.');
            half == "p"
        }
        _ => return None,
    };
    *c = k;
    Some(pm)
}

// ---------------------------------------------------------------------------------------
// Words.

/// `word` lowercased into `buf`, or `None` when it does not fit (no month or weekday is
/// that long).
fn fold<'b>(word: &str, buf: &'b mut [u8; 24]) -> Option<&'b str> {
    let mut len = 0;
    for c in word.chars().flat_map(char::to_lowercase) {
        let end = len + c.len_utf8();
        c.encode_utf8(buf.get_mut(len..end)?);
        len = end;
    }
    std::str::from_utf8(buf.get(..len)?).ok()
}

/// The month a name or abbreviation stands for, in English, French, Spanish, Portuguese
/// and Swahili, any case, with or without accents.
fn month_number(word: &str) -> Option<u32> {
    let mut buf = [0; 24];
    Some(match fold(word, &mut buf)? {
        "jan" | "january" | "janv" | "janvier" | "ene" | "enero" | "janeiro" | "januari" => 1,
        "feb" | "february" | "fév" | "fev" | "févr" | "fevr" | "février" | "fevrier"
        | "febrero" | "fevereiro" | "februari" => 2,
        "mar" | "march" | "mars" | "marzo" | "março" | "marco" | "machi" | "mac" => 3,
        "apr" | "april" | "avr" | "avril" | "abr" | "abril" | "aprili" => 4,
        "may" | "mai" | "mayo" | "maio" | "mei" => 5,
        "jun" | "june" | "juin" | "junio" | "junho" | "juni" => 6,
        "jul" | "july" | "juil" | "juill" | "juillet" | "julio" | "julho" | "julai" => 7,
        "aug" | "august" | "août" | "aout" | "aoû" | "ago" | "agosto" | "agosti" => 8,
        "sep" | "sept" | "september" | "septembre" | "septiembre" | "setiembre" | "set"
        | "setembro" | "septemba" => 9,
        "oct" | "october" | "octobre" | "octubre" | "out" | "outubro" | "oktoba" | "okt" => 10,
        "nov" | "november" | "novembre" | "noviembre" | "novembro" | "novemba" => 11,
        "dec" | "december" | "déc" | "décembre" | "decembre" | "dic" | "diciembre" | "dez"
        | "dezembro" | "desemba" | "des" => 12,
        _ => return None,
    })
}

/// Weekday names and abbreviations (English, French, Spanish, Portuguese, Swahili).
#[rustfmt::skip]
fn is_weekday(word: &str) -> bool {
    let mut buf = [0; 24];
    fold(word, &mut buf).is_some_and(|w| matches!(w,
        "mon" | "monday" | "tue" | "tues" | "tuesday" | "wed" | "weds" | "wednesday" | "thu"
        | "thur" | "thurs" | "thursday" | "fri" | "friday" | "sat" | "saturday" | "sun" | "sunday"
        // French
        | "lun" | "lundi" | "mar" | "mardi" | "mer" | "mercredi" | "jeu" | "jeudi" | "ven"
        | "vendredi" | "sam" | "samedi" | "dim" | "dimanche"
        // Spanish
        | "lunes" | "martes" | "mié" | "mie" | "miércoles" | "miercoles" | "jue" | "jueves"
        | "vie" | "viernes" | "sáb" | "sab" | "sábado" | "sabado" | "dom" | "domingo"
        // Portuguese (`segunda-feira`: the `-feira` is read by the caller)
        | "seg" | "segunda" | "ter" | "terça" | "terca" | "qua" | "quarta" | "qui" | "quinta"
        | "sex" | "sexta"
        // Swahili
        | "jumatatu" | "jumanne" | "jumatano" | "alhamisi" | "ijumaa" | "jumamosi" | "jumapili"
    ))
}

fn is_ordinal(word: &str) -> bool {
    let mut buf = [0; 24];
    fold(word, &mut buf).is_some_and(|w| matches!(w, "st" | "nd" | "rd" | "th" | "er" | "º" | "ª"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use DayMonth::{DayFirst, MonthFirst};
    use chrono::Timelike;
    use proptest::prelude::*;

    type Ymd = (i32, u32, u32);

    fn ymd((y, m, d): Ymd) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a real test date")
    }

    fn within(start: Ymd, end: Ymd) -> YearContext {
        YearContext {
            period: Some((ymd(start), ymd(end))),
        }
    }

    /// (text, read day-first, read month-first).
    type Case = (&'static str, Option<Ymd>, Option<Ymd>);

    fn check(cases: &[Case], years: &YearContext) {
        for &(text, day_first, month_first) in cases {
            let got = parse(text);
            let read = |order| got.and_then(|d| d.resolve(order, years));
            assert_eq!(
                (read(DayFirst), read(MonthFirst)),
                (day_first.map(ymd), month_first.map(ymd)),
                "{text:?} read as {got:?}"
            );
        }
    }

    /// (text, date read day-first, (hour, minute, second, nanosecond)).
    type TimeCase = (&'static str, Ymd, (u32, u32, u32, u32));
    /// (text, order, (start, end)).
    type PeriodCase = (&'static str, DayMonth, Option<(Ymd, Ymd)>);

    /// The same date under both orders (named months, year first).
    const fn both(text: &'static str, date: Ymd) -> Case {
        (text, Some(date), Some(date))
    }

    #[test]
    fn numeric_dates() {
        let cases: &[Case] = &[
            ("01/02/2024", Some((2024, 2, 1)), Some((2024, 1, 2))),
            ("1/2/24", Some((2024, 2, 1)), Some((2024, 1, 2))),
            ("01-02-2024", Some((2024, 2, 1)), Some((2024, 1, 2))),
            ("01.02.24", Some((2024, 2, 1)), Some((2024, 1, 2))),
            ("01 02 2024", Some((2024, 2, 1)), Some((2024, 1, 2))),
            ("13/01/2024", Some((2024, 1, 13)), None),
            ("01/13/2024", None, Some((2024, 1, 13))),
            ("29/02/2024", Some((2024, 2, 29)), None),
            ("29/02/2023", None, None),
            ("12/31/99", None, Some((1999, 12, 31))),
            ("01/02/70", Some((1970, 2, 1)), Some((1970, 1, 2))),
            ("01/02/69", Some((2069, 2, 1)), Some((2069, 1, 2))),
            ("  01/02/2024, ", Some((2024, 2, 1)), Some((2024, 1, 2))),
            ("01/02/2024.", Some((2024, 2, 1)), Some((2024, 1, 2))),
            both("2024-02-01", (2024, 2, 1)),
            both("2024/02/01", (2024, 2, 1)),
            both("2024.02.01", (2024, 2, 1)),
            both("2024-2-1", (2024, 2, 1)),
            ("2024-02-30", None, None),
        ];
        check(cases, &YearContext::default());
    }

    #[test]
    fn named_months() {
        let cases: &[Case] = &[
            both("05 Aug 24", (2024, 8, 5)),
            both("05 Aug 2024", (2024, 8, 5)),
            both("5-Aug-2024", (2024, 8, 5)),
            both("01-NOV-23", (2023, 11, 1)),
            both("05AUG24", (2024, 8, 5)),
            both("5aug2024", (2024, 8, 5)),
            both("Aug 5, 2024", (2024, 8, 5)),
            both("August 5 2024", (2024, 8, 5)),
            both("aug. 5, 2024", (2024, 8, 5)),
            both("05/Aug/2024", (2024, 8, 5)),
            both("5 AUGUST 2024", (2024, 8, 5)),
            both("Sept 5, 2024", (2024, 9, 5)),
            both("5 de agosto de 2024", (2024, 8, 5)),
            both("5 janv. 2024", (2024, 1, 5)),
            both("1er février 2024", (2024, 2, 1)),
            both("5 fevrier 2024", (2024, 2, 5)),
            both("5 fév 2024", (2024, 2, 5)),
            both("14 juil. 2024", (2024, 7, 14)),
            both("15 août 2024", (2024, 8, 15)),
            both("15 AOÛT 2024", (2024, 8, 15)),
            both("15 aout 2024", (2024, 8, 15)),
            both("25 déc. 2024", (2024, 12, 25)),
            both("25 DÉCEMBRE 2024", (2024, 12, 25)),
            both("5 ene 2024", (2024, 1, 5)),
            both("5 de setiembre de 2024", (2024, 9, 5)),
            both("3 dic 2024", (2024, 12, 3)),
            both("12-ABR-2024", (2024, 4, 12)),
            both("5 de março de 2024", (2024, 3, 5)),
            both("5 marco 2024", (2024, 3, 5)),
            both("5 out 2024", (2024, 10, 5)),
            both("10 set 2024", (2024, 9, 10)),
            both("25 dez 2024", (2024, 12, 25)),
            both("5 Machi 2024", (2024, 3, 5)),
            both("1 Mei 2024", (2024, 5, 1)),
            both("12 Desemba 2024", (2024, 12, 12)),
            both("31 Okt 2022", (2022, 10, 31)),
            both("02-Des-2024", (2024, 12, 2)),
            both("7 Mac 2024", (2024, 3, 7)),
            both("Julai 4, 2024", (2024, 7, 4)),
            both("2025 May 02", (2025, 5, 2)),
            both("2025-May-02", (2025, 5, 2)),
            both("2025-MAY-2", (2025, 5, 2)),
            ("30 Feb 2024", None, None),
            ("31 Apr 2024", None, None),
        ];
        check(cases, &YearContext::default());
    }

    #[test]
    fn ordinals_and_weekdays() {
        let cases: &[Case] = &[
            both("February 1st 2024", (2024, 2, 1)),
            both("1st February 2024", (2024, 2, 1)),
            both("Feb 1st, 2024", (2024, 2, 1)),
            both("22nd March 2024", (2024, 3, 22)),
            both("March 21st, 2024", (2024, 3, 21)),
            both("3rd of March 2024", (2024, 3, 3)),
            both("the 3rd of March 2024", (2024, 3, 3)),
            both("4TH JULY 2024", (2024, 7, 4)),
            both("Mon 05 Aug 2024", (2024, 8, 5)),
            both("Monday, 5 August 2024", (2024, 8, 5)),
            both("Tue, Aug 6, 2024", (2024, 8, 6)),
            both("lundi 5 août 2024", (2024, 8, 5)),
            both("lun. 5 août 2024", (2024, 8, 5)),
            both("martes, 6 de agosto de 2024", (2024, 8, 6)),
            both("segunda-feira, 5 de agosto de 2024", (2024, 8, 5)),
            both("Jumatatu, 5 Agosti 2024", (2024, 8, 5)),
            both("Mar 5, 2024", (2024, 3, 5)),
            both("mar. 5 mars 2024", (2024, 3, 5)),
            ("mar 06/08/2024", Some((2024, 8, 6)), Some((2024, 6, 8))),
        ];
        check(cases, &YearContext::default());
    }

    #[test]
    fn missing_years_come_from_the_period() {
        // A Dec→Jan period: December dates take the start's year, January the end's.
        let years = within((2023, 12, 28), (2024, 1, 27));
        let cases: &[Case] = &[
            ("12/30", None, Some((2023, 12, 30))),
            ("01/05", Some((2024, 5, 1)), Some((2024, 1, 5))),
            ("30.12", Some((2023, 12, 30)), None),
            both("28 Dec", (2023, 12, 28)),
            both("Jan 3", (2024, 1, 3)),
            both("3rd Jan", (2024, 1, 3)),
            both("12 Feb", (2024, 2, 12)),
            both("29 Feb", (2024, 2, 29)),
            both("05 Aug 24", (2024, 8, 5)),
        ];
        check(cases, &years);
        // No period: never a guessed year, never year 0024.
        let none = YearContext::default();
        for text in ["12/30", "28 Dec", "Jan 3", "16.12"] {
            let date = parse(text).expect(text);
            assert_eq!(date.resolve(DayFirst, &none), None, "{text}");
            assert_eq!(date.resolve(MonthFirst, &none), None, "{text}");
        }
        // Two-digit years: the century nearest the period, else 2000–2069 / 1970–1999.
        let date = parse("05 Aug 70").expect("a date");
        assert_eq!(date.resolve(DayFirst, &none), Some(ymd((1970, 8, 5))));
        let later = within((2070, 7, 20), (2070, 8, 19));
        assert_eq!(date.resolve(DayFirst, &later), Some(ymd((2070, 8, 5))));
    }

    #[test]
    fn times_after_dates() {
        let years = within((2024, 7, 20), (2024, 8, 19));
        let cases: &[TimeCase] = &[
            ("2022-01-31 12:41:52", (2022, 1, 31), (12, 41, 52, 0)),
            ("31/01/2022 12:41", (2022, 1, 31), (12, 41, 0, 0)),
            ("2025 May 02 21:33:31", (2025, 5, 2), (21, 33, 31, 0)),
            ("05 Aug 2024 10:02 PM", (2024, 8, 5), (22, 2, 0, 0)),
            ("05 Aug 2024 12:15 am", (2024, 8, 5), (0, 15, 0, 0)),
            ("2022-01-31T12:41:52", (2022, 1, 31), (12, 41, 52, 0)),
            (
                "2022-01-31T12:41:52.25Z",
                (2022, 1, 31),
                (12, 41, 52, 250_000_000),
            ),
            ("Aug 5, 2024, 9:05 a.m.", (2024, 8, 5), (9, 5, 0, 0)),
            ("February 5th 2024 at 10:02", (2024, 2, 5), (10, 2, 0, 0)),
            ("05 Aug 10:02", (2024, 8, 5), (10, 2, 0, 0)),
            ("05AUG24 10:02PM", (2024, 8, 5), (22, 2, 0, 0)),
        ];
        for &(text, date, (h, m, s, n)) in cases {
            let got = parse(text).unwrap_or_else(|| panic!("{text:?} is a date"));
            assert_eq!(got.resolve(DayFirst, &years), Some(ymd(date)), "{text:?}");
            assert_eq!(
                got.time,
                NaiveTime::from_hms_nano_opt(h, m, s, n),
                "{text:?}"
            );
        }
        for text in [
            "31/01/2022 25:00",
            "05 Aug 2024 13:00 PM",
            "2022-01-31 12:61",
            "2022-01-31 12:4",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn styles() {
        use DateStyle::*;
        let cases = [
            ("01/02/2024", NumericSlash),
            ("01-02-2024", NumericDash),
            ("16.12", NumericDot),
            ("01 02 2024", NumericSpace),
            ("2024-02-01", Iso),
            ("2024/02/01", YearFirstSlash),
            ("2024.02.01", YearFirstDot),
            ("05 Aug 2024", DayMonthName),
            ("05/Aug/2024", DayMonthName),
            ("Aug 5, 2024", MonthNameDay),
            ("2025 May 02", YearMonthName),
            ("05AUG24", Compact),
        ];
        for (text, style) in cases {
            assert_eq!(parse(text).map(|d| d.style), Some(style), "{text:?}");
        }
        // A year-less dot date reads like an amount: the caller rejects it in money columns.
        assert!(parse("16.12").is_some_and(|d| d.looks_like_money()));
        assert!(parse("16.12.2024").is_some_and(|d| !d.looks_like_money()));
        // Fractions are date candidates; the column decides.
        assert!(parse("1/2").is_some());
    }

    #[test]
    fn not_dates() {
        #[rustfmt::skip]
        let cases = [
            "", "   ", "1,234.56", "12.50", "0722-123-456", "+254 722 123 456", "Page 1 of 3",
            "2024", "A/C", "FT24032XYZ", "12345678", "12:41", "10:30:00", "12 15", "12  02  2024",
            "01/02-2024", "01-02/2024", "2024-02/01", "32/01/2024", "00/00/0000", "01/02/123",
            "01/02/20245", "01/02/0024", "1.2.3", "192.168.1.10", "Aug", "Aug 2024", "Monday",
            "12 Foo 2024", "5th", "2024-13-01", "12/16POS", "3.14159", "v1.2", "12/34", "99/99",
            "1/2/3/4", "12 Feb 2024 extra", "TOTAL", "12-15-30-40", "0.00", "1 000,00",
            "5 Aug\n2024",
        ];
        for text in cases {
            assert_eq!(parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn prefixes() {
        let cases: &[(&str, Option<usize>)] = &[
            ("12/16 POS DEBIT", Some(5)),
            ("05 Aug 24 Opening", Some(9)),
            ("  01/02/2024 x", Some(12)),
            ("2022-01-31 12:41:52 Transfer", Some(19)),
            ("Mon 05 Aug 2024 Coffee", Some(15)),
            ("05 Aug 150.00", Some(6)),
            ("05 Aug 24.50", Some(6)),
            ("01/02/2024-29/02/2024", Some(10)),
            ("12 15 POS", None),
            ("12/16POS", None),
            ("POS 12/16", None),
            ("12/16-12/20", None),
        ];
        for &(text, used) in cases {
            assert_eq!(parse_prefix(text).map(|(_, n)| n), used, "{text:?}");
        }
    }

    #[test]
    fn dates_in_free_text() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Statement period: 12 Feb - 11 Mar 2024",
                &["12 Feb", "11 Mar 2024"],
            ),
            (
                "Printed on Monday, February 5th 2024 at 10:02",
                &["Monday, February 5th 2024 at 10:02"],
            ),
            (
                "Ref FT24032XYZ paid 1,234.56 on 05/08/2024.",
                &["05/08/2024"],
            ),
            ("192.168.1.10 and 0722-123-456", &[]),
            ("Du 01/02/2024 au 29/02/2024", &["01/02/2024", "29/02/2024"]),
            ("café 5 août 2024 ü", &["5 août 2024"]),
            ("2024-02-01–2024-02-29", &["2024-02-01", "2024-02-29"]),
            ("2024-02-01-2024-02-29", &["2024-02-01", "2024-02-29"]),
            ("Page 1 of 3", &[]),
        ];
        for &(text, expected) in cases {
            let found: Vec<&str> = find_all(text)
                .into_iter()
                .filter_map(|(_, r)| text.get(r))
                .collect();
            assert_eq!(found, expected, "{text:?}");
        }
    }

    #[test]
    fn periods() {
        let feb: (Ymd, Ymd) = ((2024, 2, 1), (2024, 2, 29));
        #[rustfmt::skip]
        let cases: &[PeriodCase] = &[
            ("Statement period: 12 Feb - 11 Mar 2024", DayFirst,
                Some(((2024, 2, 12), (2024, 3, 11)))),
            ("15 Dec - 14 Jan 2025", DayFirst, Some(((2024, 12, 15), (2025, 1, 14)))),
            ("Dec 16, 2023 - Jan 15, 2024", DayFirst, Some(((2023, 12, 16), (2024, 1, 15)))),
            ("12/16/2023 through 01/15/2024", MonthFirst, Some(((2023, 12, 16), (2024, 1, 15)))),
            ("01/02/2024 to 29/02/2024", DayFirst, Some(feb)),
            ("02/01/2024 to 02/29/2024", MonthFirst, Some(feb)),
            ("From 1 March 2024 To 31 March 2024", DayFirst, Some(((2024, 3, 1), (2024, 3, 31)))),
            ("between 1 Feb 2024 and 29 Feb 2024", DayFirst, Some(feb)),
            ("1 Feb 2024 through 29 Feb 2024", DayFirst, Some(feb)),
            ("du 01/02/2024 au 29/02/2024", DayFirst, Some(feb)),
            ("Période du 1er février 2024 au 29 février 2024", DayFirst, Some(feb)),
            ("del 01/02/2024 al 29/02/2024", DayFirst, Some(feb)),
            ("Periodo: del 1 de febrero de 2024 al 29 de febrero de 2024", DayFirst, Some(feb)),
            ("de 01/02/2024 a 29/02/2024", DayFirst, Some(feb)),
            ("kuanzia 01/02/2024 hadi 29/02/2024", DayFirst, Some(feb)),
            ("2024-02-01 – 2024-02-29", DayFirst, Some(feb)),
            ("2024-02-01—2024-02-29", MonthFirst, Some(feb)),
            ("2024-02-01 - 2024-02-29", DayFirst, Some(feb)),
            ("2024-02-01-2024-02-29", DayFirst, Some(feb)),
            ("Statement period: February 2024", DayFirst, Some(feb)),
            ("Periodo : Desde jue 1 feb. 2024 hasta jue 29 feb. 2024", DayFirst, Some(feb)),
            ("Period: Thu, 1 Feb 2024 to Thu, 29 Feb 2024", DayFirst, Some(feb)),
            ("Desde 01/02 hasta 29/02/2024", DayFirst, Some(feb)),
            ("Período do extrato: De 01 02 2024 a 29 02 2024", DayFirst, Some(feb)),
            ("Feb 2025", DayFirst, Some(((2025, 2, 1), (2025, 2, 28)))),
            ("Période : févr. 2024", DayFirst, Some(feb)),
            ("Periodo: febrero de 2024", DayFirst, Some(feb)),
            ("1-15 March 2024", DayFirst, Some(((2024, 3, 1), (2024, 3, 15)))),
            ("1st to 15th March 2024", MonthFirst, Some(((2024, 3, 1), (2024, 3, 15)))),
            ("Période du 1 au 29 février 2024", DayFirst, Some(feb)),
            ("Statement date 5 February 2024", DayFirst, None),
            ("Date: 05/02/2024 Balance 1,234.56", DayFirst, None),
            ("29/02/2024 to 01/02/2024", DayFirst, None),
            ("12 Feb - 11 Mar", DayFirst, None),
            ("", DayFirst, None),
        ];
        for &(text, order, expected) in cases {
            assert_eq!(
                find_period(text, order),
                expected.map(|(a, b)| (ymd(a), ymd(b))),
                "{text:?}"
            );
        }
    }

    #[test]
    fn long_hostile_text_is_read_in_one_pass() {
        // Each candidate start reads a bounded stretch: these finish at once, not in
        // quadratic time.
        let texts = [
            "1 ".repeat(100_000),
            "1".repeat(200_000),
            "a".repeat(200_000),
            "12/".repeat(70_000),
            "05 Aug; ".repeat(30_000),
            format!("1{}Aug 2024", " ".repeat(100_000)),
        ];
        for text in &texts {
            let _ = parse(text);
            let _ = parse_prefix(text);
            let _ = find_period(text, DayFirst);
        }
        assert_eq!(find_all(&texts[4]).len(), 30_000);
        assert!(find_all(&texts[5]).is_empty());
    }

    fn all(texts: &[&str]) -> Vec<PrintedDate> {
        texts
            .iter()
            .map(|t| parse(t).unwrap_or_else(|| panic!("{t:?}")))
            .collect()
    }

    #[test]
    fn choosing_the_order() {
        let cases: &[(&[&str], DayMonth, DayMonth)] = &[
            // A US statement across the new year.
            (&["12/16", "12/20", "01/03"], DayFirst, MonthFirst),
            (&["01/02", "13/01", "02/02"], MonthFirst, DayFirst),
            (&["01/13/2024", "01/02/2024"], DayFirst, MonthFirst),
            // All ambiguous: dense under one order, months apart under the other.
            (
                &["01/02", "03/02", "05/02", "08/02", "11/02"],
                MonthFirst,
                DayFirst,
            ),
            (
                &["02/01", "02/03", "02/05", "02/08", "02/11"],
                DayFirst,
                MonthFirst,
            ),
            // In sequence under one order only.
            (&["03/01", "01/02", "02/03"], MonthFirst, DayFirst),
            // Nothing to tell them apart.
            (&["01/02"], DayFirst, DayFirst),
            (&["01/02"], MonthFirst, MonthFirst),
            (&["05 Aug 2024", "2024-08-06"], MonthFirst, MonthFirst),
            (&[], DayFirst, DayFirst),
        ];
        for &(texts, default, expected) in cases {
            assert_eq!(choose_order(&all(texts), default), expected, "{texts:?}");
        }
    }

    // --- Round trip: every printing style reads back as the date it printed. ---

    #[rustfmt::skip]
    const EN: [(&str, &str); 12] = [
        ("January", "Jan"), ("February", "Feb"), ("March", "Mar"), ("April", "Apr"),
        ("May", "May"), ("June", "Jun"), ("July", "Jul"), ("August", "Aug"),
        ("September", "Sept"), ("October", "Oct"), ("November", "Nov"), ("December", "Dec"),
    ];
    #[rustfmt::skip]
    const FR: [(&str, &str); 12] = [
        ("janvier", "janv."), ("février", "févr."), ("mars", "mars"), ("avril", "avr."),
        ("mai", "mai"), ("juin", "juin"), ("juillet", "juil."), ("août", "août"),
        ("septembre", "sept."), ("octobre", "oct."), ("novembre", "nov."), ("décembre", "déc."),
    ];
    #[rustfmt::skip]
    const ES: [(&str, &str); 12] = [
        ("enero", "ene"), ("febrero", "feb"), ("marzo", "mar"), ("abril", "abr"),
        ("mayo", "may"), ("junio", "jun"), ("julio", "jul"), ("agosto", "ago"),
        ("septiembre", "sep"), ("octubre", "oct"), ("noviembre", "nov"), ("diciembre", "dic"),
    ];
    #[rustfmt::skip]
    const PT: [(&str, &str); 12] = [
        ("janeiro", "jan"), ("fevereiro", "fev"), ("março", "mar"), ("abril", "abr"),
        ("maio", "mai"), ("junho", "jun"), ("julho", "jul"), ("agosto", "ago"),
        ("setembro", "set"), ("outubro", "out"), ("novembro", "nov"), ("dezembro", "dez"),
    ];
    /// Swahili months have no common abbreviation.
    #[rustfmt::skip]
    const SW: [(&str, &str); 12] = [
        ("Januari", "Januari"), ("Februari", "Februari"), ("Machi", "Machi"),
        ("Aprili", "Aprili"), ("Mei", "Mei"), ("Juni", "Juni"), ("Julai", "Julai"),
        ("Agosti", "Agosti"), ("Septemba", "Septemba"), ("Oktoba", "Oktoba"),
        ("Novemba", "Novemba"), ("Desemba", "Desemba"),
    ];
    const LANGS: [&[(&str, &str); 12]; 5] = [&EN, &FR, &ES, &PT, &SW];
    #[rustfmt::skip]
    const WEEKDAYS: [(&str, &str); 7] = [
        ("Monday", "Mon"), ("Tuesday", "Tue"), ("Wednesday", "Wed"), ("Thursday", "Thu"),
        ("Friday", "Fri"), ("Saturday", "Sat"), ("Sunday", "Sun"),
    ];

    /// How to print a date: a shape and the knobs each shape reads.
    #[derive(Clone, Copy, Debug)]
    struct Style {
        shape: u8,
        sep: u8,
        year: u8,
        month_first: bool,
        pad: bool,
        lang: usize,
        abbr: bool,
        case: u8,
        weekday: u8,
        time: u8,
    }

    fn cased(s: &str, case: u8) -> String {
        match case % 3 {
            0 => s.to_lowercase(),
            1 => s.to_uppercase(),
            _ => {
                let mut chars = s.chars();
                chars.next().map_or_else(String::new, |c| {
                    c.to_uppercase()
                        .chain(chars.flat_map(char::to_lowercase))
                        .collect()
                })
            }
        }
    }

    fn ordinal_suffix(day: u32) -> &'static str {
        match (day % 10, day % 100) {
            (_, 11..=13) => "th",
            (1, _) => "st",
            (2, _) => "nd",
            (3, _) => "rd",
            _ => "th",
        }
    }

    /// The printed text, the order to read it with, and the time it carries.
    fn print(d: NaiveDate, t: NaiveTime, st: Style) -> (String, DayMonth, Option<NaiveTime>) {
        let (dd, mm) = (d.day(), d.month());
        let yyyy = d.year().to_string();
        let yy = format!("{:02}", d.year().rem_euclid(100));
        let day = if st.pad {
            format!("{dd:02}")
        } else {
            dd.to_string()
        };
        let mon = if st.pad {
            format!("{mm:02}")
        } else {
            mm.to_string()
        };
        let (full, abbr) = LANGS[st.lang % 5][mm as usize - 1];
        let name = cased(if st.abbr { abbr } else { full }, st.case);
        let year = match st.year % 3 {
            0 => Some(yyyy.clone()),
            1 => Some(yy.clone()),
            _ => None,
        };
        let sep = ['/', '-', '.'][usize::from(st.sep % 3)];
        let order = if st.month_first { MonthFirst } else { DayFirst };
        let (a, b) = if st.month_first {
            (&mon, &day)
        } else {
            (&day, &mon)
        };
        let shape = st.shape % 10;
        let mut text = match shape {
            0 => match &year {
                Some(y) => format!("{a}{sep}{b}{sep}{y}"),
                None => format!("{a}{sep}{b}"),
            },
            1 => format!("{a} {b} {yyyy}"),
            2 => format!("{yyyy}{sep}{mon}{sep}{day}"),
            3 => match &year {
                Some(y) => format!("{day} {name} {y}"),
                None => format!("{day} {name}"),
            },
            4 => {
                let sep = if st.sep.is_multiple_of(2) { '-' } else { '/' };
                match &year {
                    Some(y) => format!("{day}{sep}{name}{sep}{y}"),
                    None => format!("{day}{sep}{name}"),
                }
            }
            5 => match st.year % 3 {
                0 => format!("{name} {dd}, {yyyy}"),
                1 => format!("{name} {dd} {yyyy}"),
                _ => format!("{name} {dd}"),
            },
            6 if st.lang % 5 == 1 && dd == 1 => format!("1er {name} {yyyy}"),
            6 => {
                let (full, abbr) = EN[mm as usize - 1];
                let en = cased(if st.abbr { abbr } else { full }, st.case);
                let ord = ordinal_suffix(dd);
                match st.year % 3 {
                    0 => format!("{dd}{ord} {en} {yyyy}"),
                    1 => format!("{en} {dd}{ord}, {yyyy}"),
                    _ => format!("{en} {dd}{ord} {yyyy}"),
                }
            }
            7 => format!("{dd} de {name} de {yyyy}"),
            8 if st.sep.is_multiple_of(2) => format!("{yyyy} {name} {day}"),
            8 => format!("{yyyy}-{name}-{day}"),
            _ => {
                let en = cased(EN[mm as usize - 1].1, st.case);
                let y = if st.year.is_multiple_of(2) {
                    &yyyy
                } else {
                    &yy
                };
                format!("{day}{en}{y}")
            }
        };
        let (long, short) = WEEKDAYS[d.weekday().num_days_from_monday() as usize];
        text = match st.weekday % 4 {
            0 => text,
            1 => format!("{short} {text}"),
            2 => format!("{long}, {text}"),
            _ => format!("{short}, {text}"),
        };
        let (h, m, s) = (t.hour(), t.minute(), t.second());
        let time = match st.time % 5 {
            0 => return (text, order, None),
            1 => NaiveTime::from_hms_opt(h, m, 0),
            2 => NaiveTime::from_hms_opt(h, m, s),
            3 => NaiveTime::from_hms_opt(h, m, 0),
            _ => NaiveTime::from_hms_opt(h, m, s),
        };
        let h12 = if h % 12 == 0 { 12 } else { h % 12 };
        let half = if h < 12 { "AM" } else { "pm" };
        let printed = match st.time % 5 {
            1 => format!(" {h:02}:{m:02}"),
            2 => format!(" {h:02}:{m:02}:{s:02}"),
            3 => format!(" {h12}:{m:02} {half}"),
            _ if shape == 2 && sep == '-' => format!("T{h:02}:{m:02}:{s:02}"),
            _ => format!(", {h}:{m:02}:{s:02}"),
        };
        (text + &printed, order, time)
    }

    fn style() -> impl Strategy<Value = Style> {
        (
            (
                any::<u8>(),
                any::<u8>(),
                any::<u8>(),
                any::<bool>(),
                any::<bool>(),
            ),
            (
                0usize..5,
                any::<bool>(),
                any::<u8>(),
                any::<u8>(),
                any::<u8>(),
            ),
        )
            .prop_map(
                |((shape, sep, year, month_first, pad), (lang, abbr, case, weekday, time))| Style {
                    shape,
                    sep,
                    year,
                    month_first,
                    pad,
                    lang,
                    abbr,
                    case,
                    weekday,
                    time,
                },
            )
    }

    proptest! {
        #[test]
        fn printed_dates_read_back(days in 0u64..25_932, secs in 0u32..86_400, st in style()) {
            let d = ymd((1990, 1, 1)).checked_add_days(Days::new(days)).expect("in range");
            let t = NaiveTime::from_num_seconds_from_midnight_opt(secs, 0).expect("a time");
            let (text, order, time) = print(d, t, st);
            let years = YearContext {
                period: Some((d - chrono::TimeDelta::days(10), d + chrono::TimeDelta::days(10))),
            };
            let got = parse(&text);
            let read = got.and_then(|p| p.resolve(order, &years));
            prop_assert_eq!(read, Some(d), "{:?} → {:?}", text, got);
            prop_assert_eq!(got.and_then(|p| p.time), time, "{:?}", text);
        }

        #[test]
        fn never_panics(text in "\\PC{0,60}", dateish in "[0-9A-Za-zéûçÉ年 \u{a0}/.:,\\-–—]{0,40}") {
            for text in [text.as_str(), dateish.as_str()] {
                let _ = parse(text);
                let _ = parse_prefix(text);
                let _ = find_period(text, DayFirst);
                let _ = find_period(text, MonthFirst);
                let found = find_all(text);
                for (date, range) in &found {
                    let slice = text.get(range.clone());
                    prop_assert!(slice.is_some(), "{:?} {:?}", text, range);
                    prop_assert_eq!(slice.and_then(parse), Some(*date), "{:?} {:?}", text, range);
                }
                let dates: Vec<PrintedDate> = found.into_iter().map(|(d, _)| d).collect();
                let order = choose_order(&dates, DayFirst);
                for d in &dates {
                    let _ = d.resolve(order, &within((2024, 1, 1), (2024, 2, 1)));
                }
            }
        }
    }
}
