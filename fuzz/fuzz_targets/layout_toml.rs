//! Operator-supplied layout files: a bad one is an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use statera_extract::Layout;

fuzz_target!(|text: &str| {
    let _ = Layout::from_toml("fuzz", text);
});
