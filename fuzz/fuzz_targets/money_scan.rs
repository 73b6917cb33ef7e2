//! The amount reader: never panics, and a value read in either number style keeps the
//! sign the shape says.
#![no_main]

use libfuzzer_sys::fuzz_target;
use statera_extract::money::{self, DecimalMark, NumberStyle};

fuzz_target!(|text: &str| {
    let Some(shape) = money::scan(text) else {
        return;
    };
    for decimal in [DecimalMark::Point, DecimalMark::Comma] {
        for decimals in [0, 2, 3] {
            if let Some(printed) = shape.value(&NumberStyle { decimal, decimals }) {
                assert!(!printed.value.is_negative(), "{text:?}");
                let _ = printed.signed();
            }
        }
    }
    let _ = money::choose_style(std::slice::from_ref(&shape));
});
