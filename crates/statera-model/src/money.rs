//! Exact money: integer minor units and ISO 4217 currencies, parsed from and printed as
//! decimal text. There is no floating point anywhere on this path, on purpose: a statement
//! that does not reconcile to the cent is a fraud signal, so rounding noise is not allowed.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a piece of text is not an amount or a currency.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("empty amount")]
    Empty,
    #[error("invalid amount {0:?}: expected digits with an optional sign and decimal point")]
    Syntax(String),
    #[error("amount {text:?} has {found} decimals, more than the {allowed} allowed")]
    TooManyDecimals {
        text: String,
        found: usize,
        allowed: u8,
    },
    #[error("amount {0:?} is out of range")]
    Overflow(String),
    #[error("invalid currency code {0:?}: expected three upper-case ISO 4217 letters")]
    Currency(String),
    #[error("currency mismatch: {0} and {1}")]
    CurrencyMismatch(Currency, Currency),
}

/// The largest number of decimals an [`Amount`] carries (ISO 4217 tops out at 4, CLF).
pub const MAX_SCALE: u8 = 4;

/// An exact decimal amount: `minor / 10^scale`.
///
/// Statement amounts are stored with the scale of their statement's currency, so two
/// amounts of one statement always share a scale. Comparisons normalise the scale, so
/// `1.5` equals `1.50`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Amount {
    minor: i64,
    scale: u8,
}

impl Amount {
    /// Zero at the given scale.
    pub const fn zero(scale: u8) -> Self {
        Self { minor: 0, scale }
    }

    /// An amount of `minor` units at `scale` decimals (`from_minor(12345, 2)` is 123.45).
    pub fn from_minor(minor: i64, scale: u8) -> Self {
        assert!(scale <= MAX_SCALE, "scale {scale} above {MAX_SCALE}");
        Self { minor, scale }
    }

    /// The integer count of the smallest unit at this amount's scale.
    pub const fn minor(self) -> i64 {
        self.minor
    }

    /// Decimals after the point.
    pub const fn scale(self) -> u8 {
        self.scale
    }

    pub const fn is_zero(self) -> bool {
        self.minor == 0
    }

    pub const fn is_negative(self) -> bool {
        self.minor < 0
    }

    /// The absolute value; `None` only for `i64::MIN`.
    pub fn checked_abs(self) -> Option<Self> {
        Some(Self {
            minor: self.minor.checked_abs()?,
            scale: self.scale,
        })
    }

    pub fn checked_neg(self) -> Option<Self> {
        Some(Self {
            minor: self.minor.checked_neg()?,
            scale: self.scale,
        })
    }

    /// The same value at a larger scale; `None` on overflow or when `scale` is smaller
    /// (which would lose digits).
    pub fn rescale(self, scale: u8) -> Option<Self> {
        if scale < self.scale || scale > MAX_SCALE {
            return None;
        }
        let factor = 10i64.checked_pow(u32::from(scale - self.scale))?;
        Some(Self {
            minor: self.minor.checked_mul(factor)?,
            scale,
        })
    }

    fn aligned(self, other: Self) -> Option<(i64, i64, u8)> {
        let scale = self.scale.max(other.scale);
        Some((
            self.rescale(scale)?.minor,
            other.rescale(scale)?.minor,
            scale,
        ))
    }

    pub fn checked_add(self, other: Self) -> Option<Self> {
        let (a, b, scale) = self.aligned(other)?;
        Some(Self {
            minor: a.checked_add(b)?,
            scale,
        })
    }

    pub fn checked_sub(self, other: Self) -> Option<Self> {
        let (a, b, scale) = self.aligned(other)?;
        Some(Self {
            minor: a.checked_sub(b)?,
            scale,
        })
    }

    /// Parses canonical decimal text: an optional sign, digits, an optional point and at
    /// most `max_scale` decimals (`"-1234.5"`). The result has exactly `max_scale` decimals.
    /// Display forms (thousands separators, parentheses, `DR`) are the extractor's job.
    pub fn parse_with_scale(text: &str, max_scale: u8) -> Result<Self, MoneyError> {
        let (negative, body) = match text.as_bytes().first() {
            None => return Err(MoneyError::Empty),
            Some(b'-') => (true, &text[1..]),
            Some(b'+') => (false, &text[1..]),
            Some(_) => (false, text),
        };
        let (int_part, frac_part) = match body.split_once('.') {
            Some((i, f)) => (i, f),
            None => (body, ""),
        };
        let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int_part.is_empty() && frac_part.is_empty()
            || !digits_only(int_part)
            || !digits_only(frac_part)
            || (body.contains('.') && frac_part.is_empty())
        {
            return Err(MoneyError::Syntax(text.to_owned()));
        }
        if frac_part.len() > usize::from(max_scale) {
            return Err(MoneyError::TooManyDecimals {
                text: text.to_owned(),
                found: frac_part.len(),
                allowed: max_scale,
            });
        }
        let overflow = || MoneyError::Overflow(text.to_owned());
        let mut minor: i64 = 0;
        for b in int_part.bytes().chain(frac_part.bytes()) {
            minor = minor
                .checked_mul(10)
                .and_then(|m| m.checked_add(i64::from(b - b'0')))
                .ok_or_else(overflow)?;
        }
        let missing = u32::from(max_scale) - frac_part.len() as u32;
        minor = minor
            .checked_mul(10i64.checked_pow(missing).ok_or_else(overflow)?)
            .ok_or_else(overflow)?;
        if negative {
            minor = -minor;
        }
        Ok(Self {
            minor,
            scale: max_scale,
        })
    }
}

impl PartialEq for Amount {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Amount {}

impl std::hash::Hash for Amount {
    /// Hashes the value, not the representation, so `1.5` and `1.50` (equal) hash alike.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let (mut minor, mut scale) = (self.minor, self.scale);
        while scale > 0 && minor % 10 == 0 {
            minor /= 10;
            scale -= 1;
        }
        (minor, scale).hash(state);
    }
}

impl PartialOrd for Amount {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Amount {
    fn cmp(&self, other: &Self) -> Ordering {
        // Compare as i128 so that rescaling can never overflow.
        let scale = self.scale.max(other.scale);
        let widen = |a: Amount| i128::from(a.minor) * 10i128.pow(u32::from(scale - a.scale));
        widen(*self).cmp(&widen(*other))
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        if self.scale == 0 {
            return write!(f, "{sign}{abs}");
        }
        let factor = 10u64.pow(u32::from(self.scale));
        write!(
            f,
            "{sign}{}.{:0width$}",
            abs / factor,
            abs % factor,
            width = usize::from(self.scale)
        )
    }
}

impl FromStr for Amount {
    type Err = MoneyError;

    /// Parses canonical decimal text, keeping as many decimals as it has.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let decimals = text.split_once('.').map_or(0, |(_, f)| f.len());
        let scale = u8::try_from(decimals)
            .ok()
            .filter(|s| *s <= MAX_SCALE)
            .ok_or_else(|| MoneyError::TooManyDecimals {
                text: text.to_owned(),
                found: decimals,
                allowed: MAX_SCALE,
            })?;
        Self::parse_with_scale(text, scale)
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// An ISO 4217 alphabetic currency code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

impl Currency {
    pub const KES: Currency = Currency(*b"KES");
    pub const NGN: Currency = Currency(*b"NGN");
    pub const USD: Currency = Currency(*b"USD");
    pub const GBP: Currency = Currency(*b"GBP");
    pub const EUR: Currency = Currency(*b"EUR");

    /// Accepts three ASCII letters in either case; stores them upper-case.
    pub fn parse(code: &str) -> Result<Self, MoneyError> {
        let bytes = code.trim().as_bytes();
        match bytes {
            [a, b, c] if bytes.iter().all(u8::is_ascii_alphabetic) => Ok(Self([
                a.to_ascii_uppercase(),
                b.to_ascii_uppercase(),
                c.to_ascii_uppercase(),
            ])),
            _ => Err(MoneyError::Currency(code.to_owned())),
        }
    }

    pub fn code(&self) -> &str {
        // Constructed only from ASCII letters.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }

    /// Decimals of the currency's minor unit (ISO 4217); 2 unless listed otherwise.
    pub fn minor_units(&self) -> u8 {
        match &self.0 {
            b"BIF" | b"CLP" | b"DJF" | b"GNF" | b"ISK" | b"JPY" | b"KMF" | b"KRW" | b"PYG"
            | b"RWF" | b"UGX" | b"UYI" | b"VND" | b"VUV" | b"XAF" | b"XOF" | b"XPF" => 0,
            b"BHD" | b"IQD" | b"JOD" | b"KWD" | b"LYD" | b"OMR" | b"TND" => 3,
            b"CLF" | b"UYW" => 4,
            _ => 2,
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// An amount in a currency, held as integer minor units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

impl Money {
    pub const fn from_minor(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    pub fn zero(currency: Currency) -> Self {
        Self::from_minor(0, currency)
    }

    /// Parses canonical decimal text with at most the currency's decimals (`"1234.5"` KES
    /// is 123450 cents; `"1.234"` KES is an error, never rounded).
    pub fn parse(text: &str, currency: Currency) -> Result<Self, MoneyError> {
        let amount = Amount::parse_with_scale(text, currency.minor_units())?;
        Ok(Self::from_minor(amount.minor(), currency))
    }

    /// An amount already known to be exact in this currency. `None` when it has more
    /// decimals than the currency allows or overflows.
    pub fn from_amount(amount: Amount, currency: Currency) -> Option<Self> {
        let exact = amount.rescale(currency.minor_units())?;
        Some(Self::from_minor(exact.minor(), currency))
    }

    pub const fn minor(&self) -> i64 {
        self.minor
    }

    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// The amount at the currency's scale.
    pub fn amount(&self) -> Amount {
        Amount::from_minor(self.minor, self.currency.minor_units())
    }

    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        self.minor
            .checked_add(other.minor)
            .map(|m| Money::from_minor(m, self.currency))
            .ok_or_else(|| MoneyError::Overflow(format!("{self} + {other}")))
    }

    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        self.minor
            .checked_sub(other.minor)
            .map(|m| Money::from_minor(m, self.currency))
            .ok_or_else(|| MoneyError::Overflow(format!("{self} - {other}")))
    }

    fn same_currency(&self, other: Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch(self.currency, other.currency))
        }
    }
}

impl fmt::Display for Money {
    /// Decimal text without the currency (`1234.50`); the currency travels beside it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.amount().fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_and_prints_canonical_text() {
        let cases = [
            ("0", 2, "0.00"),
            ("12", 2, "12.00"),
            ("12.5", 2, "12.50"),
            ("-0.01", 2, "-0.01"),
            ("+7.25", 2, "7.25"),
            (".5", 2, "0.50"),
            ("1234567890.12", 2, "1234567890.12"),
            ("15", 0, "15"),
            ("1.234", 3, "1.234"),
        ];
        for (text, scale, printed) in cases {
            let amount = Amount::parse_with_scale(text, scale).unwrap();
            assert_eq!(amount.to_string(), printed, "{text}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_canonical_amount() {
        for text in [
            "", "-", "1.", "1,000.00", "1.2.3", "abc", "1e5", " 1", "--1", ".",
        ] {
            assert!(Amount::parse_with_scale(text, 2).is_err(), "{text:?}");
        }
        assert!(matches!(
            Money::parse("1.234", Currency::KES),
            Err(MoneyError::TooManyDecimals { .. })
        ));
        assert!(matches!(
            Amount::parse_with_scale("99999999999999999999", 2),
            Err(MoneyError::Overflow(_))
        ));
    }

    #[test]
    fn currencies_know_their_minor_units() {
        assert_eq!(Currency::parse("kes").unwrap(), Currency::KES);
        assert_eq!(Currency::KES.minor_units(), 2);
        assert_eq!(Currency::parse("JPY").unwrap().minor_units(), 0);
        assert_eq!(Currency::parse("KWD").unwrap().minor_units(), 3);
        assert!(Currency::parse("KE").is_err());
        assert!(Currency::parse("K3S").is_err());
        assert_eq!(Money::parse("12.5", Currency::KES).unwrap().minor(), 1250);
    }

    #[test]
    fn money_refuses_mixed_currencies() {
        let a = Money::parse("1", Currency::KES).unwrap();
        let b = Money::parse("1", Currency::USD).unwrap();
        assert!(matches!(
            a.checked_add(b),
            Err(MoneyError::CurrencyMismatch(..))
        ));
        assert_eq!(a.checked_add(a).unwrap().to_string(), "2.00");
    }

    #[test]
    fn amounts_compare_across_scales_and_serialize_as_strings() {
        let a: Amount = "1.5".parse().unwrap();
        let b: Amount = "1.50".parse().unwrap();
        assert_eq!(a, b);
        assert!(Amount::from_minor(-1, 2) < Amount::zero(2));
        assert_eq!(serde_json::to_string(&b).unwrap(), "\"1.50\"");
        let back: Amount = serde_json::from_str("\"-3.07\"").unwrap();
        assert_eq!(back.minor(), -307);
        assert!(serde_json::from_str::<Amount>("3.07").is_err());
    }

    proptest! {
        #[test]
        fn print_then_parse_is_identity(minor in any::<i64>(), scale in 0u8..=MAX_SCALE) {
            let amount = Amount::from_minor(minor, scale);
            let back = Amount::parse_with_scale(&amount.to_string(), scale).unwrap();
            prop_assert_eq!(back.minor(), minor);
            prop_assert_eq!(back.scale(), scale);
        }

        #[test]
        fn addition_is_exact_and_reversible(a in -1_000_000_000_000i64..1_000_000_000_000,
                                            b in -1_000_000_000_000i64..1_000_000_000_000) {
            let x = Amount::from_minor(a, 2);
            let y = Amount::from_minor(b, 2);
            let sum = x.checked_add(y).unwrap();
            prop_assert_eq!(sum.minor(), a + b);
            prop_assert_eq!(sum.checked_sub(y).unwrap(), x);
        }

        #[test]
        fn rescaling_preserves_value(minor in -1_000_000_000i64..1_000_000_000, from in 0u8..=2, up in 0u8..=2) {
            let a = Amount::from_minor(minor, from);
            let b = a.rescale(from + up).unwrap();
            prop_assert_eq!(a, b);
            prop_assert_eq!(a.to_string().parse::<Amount>().unwrap(), b);
        }

        #[test]
        fn ordering_matches_integer_ordering(a in any::<i64>(), b in any::<i64>()) {
            prop_assert_eq!(Amount::from_minor(a, 2).cmp(&Amount::from_minor(b, 2)), a.cmp(&b));
        }
    }
}
