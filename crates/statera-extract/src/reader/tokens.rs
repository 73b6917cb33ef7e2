//! Stage 1, page geometry → tokens: each line's words grouped into dates, amounts and
//! text, with their horizontal extent. Dates and amounts may span several words
//! (`05 Aug 2024`, `KSh 1,234.56`, `1 234,56`, `50.00 CR`), so the longest reading that
//! the date and money readers accept wins, and only across gaps narrower than a column gap.

use crate::dates::{self, PrintedDate};
use crate::money::{self, MoneyShape};
use crate::text::{Line, Word};

/// What a token is.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    Date(PrintedDate),
    Money(MoneyShape),
    Text,
}

/// A date, an amount or a run of text on one line.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub kind: Kind,
    pub text: String,
    pub x0: f32,
    pub x1: f32,
    pub size: f32,
    pub font: u16,
    /// The words it covers, as indices into the line's words.
    pub first_word: usize,
    pub word_count: usize,
}

impl Token {
    pub fn is_date(&self) -> bool {
        matches!(self.kind, Kind::Date(_))
    }

    pub fn money(&self) -> Option<&MoneyShape> {
        match &self.kind {
            Kind::Money(m) => Some(m),
            _ => None,
        }
    }

    pub fn date(&self) -> Option<&PrintedDate> {
        match &self.kind {
            Kind::Date(d) => Some(d),
            _ => None,
        }
    }

    pub fn is_text(&self) -> bool {
        matches!(self.kind, Kind::Text)
    }

    pub fn centre(&self) -> f32 {
        (self.x0 + self.x1) / 2.0
    }
}

/// Words further apart than this share of the font size are never one date or amount.
const JOIN_GAP: f32 = 0.9;
/// Text words closer than this share of the font size are one text token.
const TEXT_GAP: f32 = 1.0;
/// A date is at most this many words (`Monday, 5 August 2024 10:02 PM`).
const DATE_WORDS: usize = 6;
/// An amount is at most this many words (`KSh 1 234 567,89 CR`).
const MONEY_WORDS: usize = 5;

/// The line's tokens, left to right.
pub fn tokenize(line: &Line) -> Vec<Token> {
    let words = &line.words;
    let mut tokens: Vec<Token> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let after_text = tokens.last().is_some_and(|t: &Token| {
            t.is_text() && words[i].x0 - t.x1 <= TEXT_GAP * words[i].size.max(1.0)
        });
        if let Some((kind, n)) = longest_reading(words, i, after_text) {
            tokens.push(token(kind, &words[i..i + n], i));
            i += n;
            continue;
        }
        // Text: extend the previous text token when close enough.
        let word = &words[i];
        match tokens.last_mut() {
            Some(last) if last.is_text() && word.x0 - last.x1 <= TEXT_GAP * word.size.max(1.0) => {
                last.text.push(' ');
                last.text.push_str(&word.text);
                last.x1 = last.x1.max(word.x1);
                last.word_count += 1;
            }
            _ => tokens.push(token(Kind::Text, std::slice::from_ref(word), i)),
        }
        i += 1;
    }
    tokens
}

/// Digits only: no separator, sign, marker or currency.
fn is_bare_number(m: &MoneyShape) -> bool {
    m.separators().is_empty()
        && m.sign().is_none()
        && m.marker().is_none()
        && m.currency().is_none()
}

fn token(kind: Kind, words: &[Word], first: usize) -> Token {
    Token {
        kind,
        text: crate::text::join_words(words),
        x0: words.first().map_or(0.0, |w| w.x0),
        x1: words.iter().map(|w| w.x1).fold(f32::NEG_INFINITY, f32::max),
        size: words.iter().map(|w| w.size).fold(0.0, f32::max),
        font: words.first().map_or(0, |w| w.font),
        first_word: first,
        word_count: words.len(),
    }
}

/// The longest date or amount starting at `words[start]`, with its word count. Dates are
/// preferred over amounts of the same length except where the money reader is sure and
/// the date reader is not (`12.50` is money; `12.05.2024` a date).
///
/// Right after text, an amount does not start with a bare number of another word
/// ("Invoice 12 500.00" is an invoice number and an amount, not 12,500.00).
fn longest_reading(words: &[Word], start: usize, after_text: bool) -> Option<(Kind, usize)> {
    let first = &words[start];
    let plausible_date = first.text.bytes().any(|b| b.is_ascii_digit())
        || first.text.chars().next().is_some_and(char::is_alphabetic)
            && first.text.chars().count() <= 12;
    let plausible_money = first.text.chars().count() <= 24;
    if !plausible_date && !plausible_money {
        return None;
    }
    // How many words may join: stop at a wide gap.
    let mut reach = 1;
    while start + reach < words.len() && reach < DATE_WORDS.max(MONEY_WORDS) {
        let (a, b) = (&words[start + reach - 1], &words[start + reach]);
        if b.x0 - a.x1 > JOIN_GAP * b.size.max(1.0) {
            break;
        }
        reach += 1;
    }
    let mut joined = String::new();
    let mut candidates: Vec<(usize, String)> = Vec::with_capacity(reach);
    for (n, word) in words[start..start + reach].iter().enumerate() {
        if n > 0 {
            joined.push(' ');
        }
        // A rule printed as a character (`02/04/2026|`) separates; it is no part of a value.
        joined.push_str(word.text.trim_matches('|'));
        candidates.push((n + 1, joined.clone()));
    }
    for (n, text) in candidates.iter().rev() {
        let date = if plausible_date && *n <= DATE_WORDS {
            dates::parse(text)
        } else {
            None
        };
        let bare_first = first.text.bytes().all(|b| b.is_ascii_digit());
        let amount =
            if plausible_money && *n <= MONEY_WORDS && !(after_text && *n > 1 && bare_first) {
                money::scan(text)
            } else {
                None
            };
        match (date, amount) {
            (Some(d), Some(m)) => {
                // `12.50`: a year-less dotted "date" that is surely money.
                let date_unsure = d.year.is_none() && !d.month_named;
                if date_unsure && m.is_unmistakable() {
                    return Some((Kind::Money(m), *n));
                }
                return Some((Kind::Date(d), *n));
            }
            (Some(d), None) => return Some((Kind::Date(d), *n)),
            // A bare whole number set close after text is part of it ("SALARY FOR
            // JANUARY 2025", "POS DEBIT 123456"); an amount column stands apart.
            (None, Some(m)) if after_text && *n == 1 && is_bare_number(&m) => {}
            // A multi-word amount must be unmistakable: "2 3" is not money.
            (None, Some(m)) if *n == 1 || m.is_unmistakable() => {
                return Some((Kind::Money(m), *n));
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words laid out left to right; `|` in the input marks a wide (column) gap.
    fn line(text: &str) -> Line {
        let mut words = Vec::new();
        let mut x = 0.0f32;
        for (i, column) in text.split('|').enumerate() {
            if i > 0 {
                x += 30.0;
            }
            for word in column.split_whitespace() {
                let width = word.chars().count() as f32 * 5.0;
                words.push(Word {
                    text: word.into(),
                    x0: x,
                    x1: x + width,
                    y: 100.0,
                    size: 10.0,
                    font: 0,
                    shapes: vec![0; word.chars().count()],
                });
                x += width + 3.0;
            }
        }
        Line {
            number: 1,
            y: 100.0,
            size: 10.0,
            words,
        }
    }

    fn kinds(text: &str) -> Vec<(&'static str, String)> {
        tokenize(&line(text))
            .into_iter()
            .map(|t| {
                let kind = match t.kind {
                    Kind::Date(_) => "date",
                    Kind::Money(_) => "money",
                    Kind::Text => "text",
                };
                (kind, t.text)
            })
            .collect()
    }

    #[test]
    fn lines_become_tokens() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            (
                "05 Aug 2024 | POS PURCHASE SHOP | 1,234.56 | 10,000.00",
                &[
                    ("date", "05 Aug 2024"),
                    ("text", "POS PURCHASE SHOP"),
                    ("money", "1,234.56"),
                    ("money", "10,000.00"),
                ],
            ),
            (
                "12/16 | 10.00 | POS DEBIT 123456",
                &[
                    ("date", "12/16"),
                    ("money", "10.00"),
                    ("text", "POS DEBIT 123456"),
                ],
            ),
            (
                "2022-01-31 12:41:52 | Paid in | KSh 1,000.00 | 50.00 CR",
                &[
                    ("date", "2022-01-31 12:41:52"),
                    ("text", "Paid in"),
                    ("money", "KSh 1,000.00"),
                    ("money", "50.00 CR"),
                ],
            ),
            (
                "01.02.2024 | Loyer | 1 234,56",
                &[
                    ("date", "01.02.2024"),
                    ("text", "Loyer"),
                    ("money", "1 234,56"),
                ],
            ),
        ];
        for (input, want) in cases {
            let got = kinds(input);
            let want: Vec<(&str, String)> =
                want.iter().map(|(k, t)| (*k, (*t).to_owned())).collect();
            assert_eq!(got, want, "{input}");
        }
    }

    #[test]
    fn amounts_in_separate_columns_stay_apart() {
        let got = kinds("1,000.00 | 2,000.00");
        assert_eq!(got.len(), 2, "{got:?}");
    }
}
