//! Every reader behind format detection (PDF, delimited text, open-banking JSON) on
//! arbitrary bytes: Ok or a documented error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use statera_extract::{Limits, Options, extract_all};

fuzz_target!(|data: &[u8]| {
    let options = Options {
        limits: Limits {
            threads: 1,
            max_glyphs_per_page: 20_000,
            ..Limits::default()
        },
        ..Options::default()
    };
    if let Err(error) = extract_all(data, &options) {
        assert!(!error.code().is_empty());
    }
});
