//! The whole extraction path on arbitrary bytes: must return Ok or a documented error.
//! Seed the corpus with `fixtures/statements/**/input.pdf` and `fixtures/malformed/*`;
//! minimised crashes become files in `fixtures/malformed/`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use statera_extract::{Limits, Options, extract};

fuzz_target!(|data: &[u8]| {
    let options = Options {
        password: Some("12345678".into()),
        limits: Limits {
            threads: 1,
            max_glyphs_per_page: 20_000,
            ..Limits::default()
        },
        ..Options::default()
    };
    if let Err(error) = extract(data, &options) {
        assert!(!error.code().is_empty());
    }
});
