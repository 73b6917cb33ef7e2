//! Prints the Statement that `statera extract` would, without the CLI or server crates:
//! a fast loop for working on the reader. `cargo run -p statera-extract --example read -- FILE [--no-layout-hints]`
use statera_extract::{Options, TextSource, extract_all};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: read FILE [--no-layout-hints]");
        std::process::exit(2);
    };
    let rest: Vec<String> = args.collect();
    let no_layout_hints = rest.iter().any(|a| a == "--no-layout-hints");
    let bytes = std::fs::read(&path).expect("readable file");
    if rest.iter().any(|a| a == "--tokens") {
        // The reader's first stage, line by line: what each token was read as, and where.
        let text = statera_extract::pdf::Hayro
            .read(&bytes, None, &statera_extract::Limits::default())
            .expect("readable PDF");
        for page in &text.pages {
            for line in &page.lines {
                let tokens = statera_extract::reader::tokens::tokenize(line);
                let shown: Vec<String> = tokens
                    .iter()
                    .map(|t| {
                        let kind = match t.kind {
                            statera_extract::reader::tokens::Kind::Date(_) => "D",
                            statera_extract::reader::tokens::Kind::Money(_) => "M",
                            statera_extract::reader::tokens::Kind::Text => "T",
                        };
                        format!("{kind}[{:.0}-{:.0}]{}", t.x0, t.x1, t.text)
                    })
                    .collect();
                println!("p{} y{:.0} {}", page.number, line.y, shown.join(" | "));
            }
        }
        return;
    }
    let options = Options {
        no_layout_hints,
        ..Options::default()
    };
    match extract_all(&bytes, &options) {
        Ok(statements) => {
            for s in statements {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&s).expect("serialisable")
                );
            }
        }
        Err(e) => {
            println!("{}", serde_json::json!({"error": e.to_body()}));
            std::process::exit(4);
        }
    }
}
