//! Extraction time per page on the corpus's statements: the text layer alone (hayro) and
//! the whole path (text layer, layout, checks). `cargo bench -p statera-extract`.

use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use statera_extract::pdf::{Hayro, Limits, TextSource};
use statera_extract::{Options, extract};

const CASES: &[(&str, Option<&str>)] = &[
    ("large_100_pages", None),
    ("email_reportlab_dejavu_multipage", None),
    ("enc_aes_256_r6", Some("12345678")),
    ("app_fpdf2_multipage", None),
];

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/statements/mpesa");
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
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
