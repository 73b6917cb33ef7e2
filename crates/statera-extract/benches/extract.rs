//! Extraction time per page on the corpus's statements: the text layer alone (hayro) and
//! the whole path (text layer, layout, checks); and CSV throughput in rows per second.
//! `cargo bench -p statera-extract`.

use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use statera_extract::pdf::{Hayro, Limits, TextSource};
use statera_extract::{Options, extract};

const CASES: &[(&str, Option<&str>)] = &[
    ("mpesa/large_100_pages", None),
    ("mpesa/email_reportlab_dejavu_multipage", None),
    ("mpesa/enc_aes_256_r6", Some("12345678")),
    ("mpesa/app_fpdf2_multipage", None),
    ("banks/access", None),
    ("banks/gtbank", None),
    ("banks/chase", None),
];

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/statements");
    let mut group = c.benchmark_group("extract");
    for (case, password) in CASES {
        let bytes = std::fs::read(root.join(case).join("input.pdf")).expect("corpus file");
        let options = Options {
            password: password.map(str::to_owned),
            ..Options::default()
        };
        let pages = extract(&bytes, &options).expect("extracts").pages.present;
        group.throughput(Throughput::Elements(u64::from(pages)));
        for threads in [1, 2] {
            let options = Options {
                limits: Limits {
                    threads,
                    ..Limits::default()
                },
                ..options.clone()
            };
            group.bench_function(format!("{case}/{pages}p/text_layer/{threads}t"), |b| {
                b.iter(|| Hayro.read(&bytes, options.password.as_deref(), &options.limits))
            });
            group.bench_function(format!("{case}/{pages}p/statement/{threads}t"), |b| {
                b.iter(|| extract(&bytes, &options))
            });
        }
    }
    group.finish();

    // CSV: a 100,000-row export with a balance column, semicolons and decimal commas.
    let rows = 100_000;
    let mut csv = String::from("Booking Date;Details;Amount;CCY;Running Balance\n");
    let mut balance: i64 = 1_000_000;
    for i in 0..rows {
        let minor: i64 = if i % 3 == 0 { 250_075 } else { -12_345 };
        balance += minor;
        let day = 1 + i % 28;
        csv.push_str(&format!(
            "2026-03-{day:02};Payment number {i} to ACME;{},{:02};EUR;{},{:02}\n",
            minor / 100,
            (minor % 100).abs(),
            balance / 100,
            balance % 100
        ));
    }
    let mut group = c.benchmark_group("csv");
    group.throughput(Throughput::Elements(rows as u64));
    group.bench_function("100k_rows", |b| {
        b.iter(|| statera_extract::extract_all(csv.as_bytes(), &Options::default()))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
