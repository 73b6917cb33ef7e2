//! Printed dates: never panic; a date that parses resolves, if at all, to a real date
//! that parsing its own ISO form gives back; free-text periods never run backwards.
#![no_main]

use libfuzzer_sys::fuzz_target;
use statera_extract::dates::{self, DayMonth, YearContext};

fuzz_target!(|text: &str| {
    for order in [DayMonth::DayFirst, DayMonth::MonthFirst] {
        if let Some(printed) = dates::parse(text)
            && let Some(date) = printed.resolve(order, &YearContext::default())
        {
            use chrono::Datelike;
            assert!((1900..=2200).contains(&date.year()), "{text:?} -> {date}");
            let iso = date.format("%Y-%m-%d").to_string();
            let again = dates::parse(&iso).and_then(|d| d.resolve(order, &YearContext::default()));
            assert_eq!(again, Some(date), "{text:?} -> {iso}");
        }
        if let Some((start, end)) = dates::find_period(text, order) {
            assert!(start <= end, "{text:?}");
        }
    }
    let _ = dates::find_all(text);
});
