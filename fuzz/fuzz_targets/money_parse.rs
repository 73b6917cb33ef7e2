//! Canonical decimal text: parse then print is the identity on what parses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use statera_model::{Amount, Currency, Money};

fuzz_target!(|text: &str| {
    if let Ok(amount) = text.parse::<Amount>() {
        assert_eq!(amount.to_string().parse::<Amount>(), Ok(amount));
    }
    let _ = Money::parse(text, Currency::KES);
    let _ = Currency::parse(text);
});
