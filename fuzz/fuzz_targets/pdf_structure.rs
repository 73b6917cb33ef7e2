//! The raw-byte scan for revisions, xref kind and the /Encrypt dictionary.
#![no_main]

use libfuzzer_sys::fuzz_target;
use statera_extract::pdf::scan_structure;

fuzz_target!(|data: &[u8]| {
    let structure = scan_structure(data);
    assert!(structure.revisions() >= 1);
});
