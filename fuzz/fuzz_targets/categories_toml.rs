//! Operator-supplied categorisation rules (`statera analyze --rules`): a bad file is an
//! error, never a panic; a good one categorises without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use statera_analyze::categorise::Categoriser;
use statera_model::Direction;

fuzz_target!(|text: &str| {
    if let Ok(rules) = Categoriser::from_toml(text) {
        let _ = rules.categorise_text(
            "Pay Bill Online to 851900 - TALA Acc. 0712345678",
            Direction::Debit,
        );
        let _ = rules.check_examples();
    }
});
