//! Seed 001's request body as the API receives it (JSON, or JSON inside a string): any
//! bytes give a request or an error, and any request gives a score or a documented error.
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use statera_analyze::repayment::{parse_request, score};

fuzz_target!(|body: &[u8]| {
    if let Ok(request) = parse_request(body) {
        let as_of = NaiveDate::from_ymd_opt(2026, 1, 1).expect("a valid date");
        let _ = score(&request, as_of);
    }
});
