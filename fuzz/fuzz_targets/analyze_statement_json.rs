//! A Statement given as JSON to `statera analyze` (or stored by the server) may be hostile:
//! extreme amounts, dates and counts end in a report or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use statera_analyze::categorise::Categoriser;
use statera_analyze::report::build;
use statera_analyze::score::Scaling;
use statera_model::Statement;

fuzz_target!(|body: &[u8]| {
    if let Ok(statements) = serde_json::from_slice::<Vec<Statement>>(body) {
        let _ = build(
            &statements,
            None,
            Categoriser::built_in(),
            Scaling::default(),
        );
    }
});
