//! Printed amounts: never panic, and whatever parses prints back to canonical digits.
#![no_main]

use libfuzzer_sys::fuzz_target;
use statera_extract::amount::parse_printed;

fuzz_target!(|text: &str| {
    for scale in [0, 2, 3] {
        if let Some(printed) = parse_printed(text, scale) {
            assert!(!printed.value.is_negative());
            let canonical = printed.value.to_string();
            assert_eq!(
                parse_printed(&canonical, scale).map(|p| p.value),
                Some(printed.value)
            );
        }
    }
});
