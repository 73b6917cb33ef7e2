//! Statement bytes → [`Statement`]: the PDF text layer, layouts as data, and the checks
//! that say how far to trust the result.
//!
//! Pure: no file, network or clock access. Hostile input is expected; the caller runs this
//! inside the sandboxed child (`statera-sandbox`) when the bytes are untrusted.

pub mod amount;
pub mod checks;
pub mod classify;
pub mod dates;
pub mod delimited;
mod error;
pub mod layout;
pub mod money;
pub mod openbanking;
pub mod pdf;
pub mod plaintext;
pub mod reader;
pub mod text;

pub use error::{ErrorBody, ExtractError, Rejection};
pub use layout::Layout;
pub use pdf::{Limits, PdfText, TextSource};

use statera_model::{
    Amount, Currency, Forensics, Overlay, Overprint, PageForensics, Pages, Statement,
};

/// How to read a document.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The PDF user password (the empty password is always tried too).
    pub password: Option<String>,
    /// A provider code (`mpesa`) to force a layout; `None` detects.
    pub provider: Option<String>,
    /// The currency the caller works in: open-banking accounts in another currency are
    /// refused with `currency_not_supported`. `None` accepts any.
    pub currency: Option<Currency>,
    /// An explicit column mapping for delimited files, instead of inferring it.
    pub csv_mapping: Option<delimited::MappingSpec>,
    /// Read every PDF with the layout-free reader, ignoring the bank layout files (which
    /// are otherwise tried first, as hints).
    pub no_layout_hints: bool,
    pub limits: Limits,
}

/// The kinds of input Statera reads, told apart by content, never by file name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    Pdf,
    Json,
    Delimited,
    /// A plain-text statement: dated lines with amounts.
    Text,
}

/// What the bytes are, by their first meaningful characters.
pub fn detect_format(bytes: &[u8]) -> Option<InputFormat> {
    if pdf::looks_like_pdf(bytes) {
        return Some(InputFormat::Pdf);
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = text.iter().find(|b| !b.is_ascii_whitespace())?;
    if matches!(first, b'{' | b'[') {
        return Some(InputFormat::Json);
    }
    if delimited::looks_delimited(text) {
        return Some(InputFormat::Delimited);
    }
    plaintext::looks_like_text_statement(text).then_some(InputFormat::Text)
}

/// Reads any supported input into one Statement per account (a PDF or a CSV file is one
/// account; an open-banking document may hold several).
pub fn extract_all(bytes: &[u8], options: &Options) -> Result<Vec<Statement>, ExtractError> {
    match detect_format(bytes) {
        Some(InputFormat::Pdf) => extract_pdf(&pdf::Hayro, bytes, options),
        Some(InputFormat::Json) => openbanking::read(bytes, options),
        Some(InputFormat::Delimited) => delimited::read(bytes, options).map(|s| vec![s]),
        Some(InputFormat::Text) => plaintext::read(bytes, options).map(|s| vec![s]),
        None => Err(ExtractError::NotPdf),
    }
}

/// A provider (layout) Statera can read, for `--provider` and the providers list.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Provider {
    pub code: String,
    pub layout: String,
    pub institution: Option<String>,
    pub currency: String,
}

/// Every provider the built-in layouts cover, and `generic`: the layout-free reader.
pub fn providers() -> Vec<Provider> {
    layout::built_in()
        .iter()
        .map(|l| Provider {
            code: l.spec.provider.clone(),
            layout: l.spec.id.clone(),
            institution: l.spec.institution.clone(),
            currency: l.spec.currency.clone(),
        })
        .chain(std::iter::once(Provider {
            code: GENERIC_PROVIDER.into(),
            layout: LAYOUT_FREE.into(),
            institution: None,
            currency: "detect".into(),
        }))
        .collect()
}

/// Reads a statement document.
pub fn extract(bytes: &[u8], options: &Options) -> Result<Statement, ExtractError> {
    extract_with(&pdf::Hayro, bytes, options)
}

/// [`extract`] on a chosen text source: the first account's statement of a PDF that
/// prints several ([`extract_all`] gives each).
pub fn extract_with(
    source: &dyn TextSource,
    bytes: &[u8],
    options: &Options,
) -> Result<Statement, ExtractError> {
    let mut all = extract_pdf(source, bytes, options)?;
    Ok(all.swap_remove(0))
}

/// Every account's statement in a PDF, in the order printed (never empty).
fn extract_pdf(
    source: &dyn TextSource,
    bytes: &[u8],
    options: &Options,
) -> Result<Vec<Statement>, ExtractError> {
    if bytes.is_empty() || !pdf::looks_like_pdf(bytes) {
        return Err(ExtractError::NotPdf);
    }
    let text = source.read(bytes, options.password.as_deref(), &options.limits)?;
    statements_from_text(&text, options)
}

/// The first account's statement of an already-read text layer.
pub fn statement_from_text(text: &PdfText, options: &Options) -> Result<Statement, ExtractError> {
    let mut all = statements_from_text(text, options)?;
    Ok(all.swap_remove(0))
}

/// The layout half of extraction, on an already-read text layer: one statement per
/// account printed (never empty).
pub fn statements_from_text(
    text: &PdfText,
    options: &Options,
) -> Result<Vec<Statement>, ExtractError> {
    let pages_without_text: Vec<u32> = text
        .pages
        .iter()
        .filter(|p| p.glyph_count == 0 || p.unmapped_glyphs * 2 > p.glyph_count)
        .map(|p| p.number)
        .collect();
    if pages_without_text.len() == text.pages.len() {
        if text.structure.truncated {
            return Err(ExtractError::CorruptPdf(
                "the file is cut short and no page has readable text".into(),
            ));
        }
        return Err(ExtractError::NoTextLayer {
            pages: pages_without_text,
        });
    }

    run_layouts(text, options)?
        .into_iter()
        .map(|read| statement_of(text, read, pages_without_text.clone()))
        .collect()
}

fn statement_of(
    text: &PdfText,
    read: Read,
    pages_without_text: Vec<u32>,
) -> Result<Statement, ExtractError> {
    let output = read.output;
    let currency = output
        .currency
        .ok_or_else(|| ExtractError::UnsupportedLayout("no currency".into()))?;
    let scale = currency.minor_units();

    let opening = output.printed_opening.or_else(|| {
        let first = output.transactions.first()?;
        first.balance?.checked_sub(first.signed_amount())
    });
    let closing = output
        .printed_closing
        .or_else(|| output.transactions.last()?.balance);
    let reconciliation = checks::reconcile(
        &output.transactions,
        opening,
        closing,
        output.declared_totals,
        scale,
    );
    let evidence = checks::Evidence {
        unreadable_rows: output.unreadable_rows.clone(),
        stray_lines: output.stray_lines.clone(),
        glyphs: text.pages.iter().map(|p| p.glyph_count).sum(),
        unmapped_glyphs: text.pages.iter().map(|p| p.unmapped_glyphs).sum(),
        pages_without_text,
        expects_declared_totals: read.expects_declared_totals,
        has_declared_totals: output.declared_totals.is_some(),
        extra: read.penalties,
    };
    let confidence = checks::confidence(&output.transactions, &reconciliation, &evidence);
    let forensics = forensics(text, &output);

    Ok(Statement {
        format: "pdf".into(),
        layout: read.layout,
        provider: read.provider,
        institution: output.institution.clone().or(read.institution),
        account_holder: output.account_holder,
        account_number: output.account_number,
        email: output.email,
        account_type: None,
        currency,
        period: output.period,
        request_date: output.request_date,
        opening_balance: opening.map(|a| rescaled(a, scale)),
        closing_balance: closing.map(|a| rescaled(a, scale)),
        declared_totals: output.declared_totals,
        summary: output.summary,
        pages: Pages {
            present: text.pages.len() as u32,
            expected: output.pages_expected,
        },
        pdf: Some(text.info.clone()),
        transactions: output.transactions,
        reconciliation,
        confidence,
        forensics,
        reading: read.notes,
    })
}

fn rescaled(amount: Amount, scale: u8) -> Amount {
    amount.rescale(scale).unwrap_or(amount)
}

/// What read a PDF's text layer: a layout or the layout-free reader.
struct Read {
    layout: String,
    provider: String,
    institution: Option<String>,
    expects_declared_totals: bool,
    output: layout::engine::LayoutOutput,
    notes: Option<statera_model::Reading>,
    penalties: Vec<(String, String, f64)>,
}

impl Read {
    fn of_layout(layout: &Layout, output: layout::engine::LayoutOutput) -> Read {
        Read {
            layout: layout.spec.id.clone(),
            provider: layout.spec.provider.clone(),
            institution: layout.spec.institution.clone(),
            expects_declared_totals: layout.spec.summary.is_some(),
            output,
            notes: None,
            penalties: Vec::new(),
        }
    }
}

/// The layout-free reader's id and provider code (`--provider generic` forces it).
pub const LAYOUT_FREE: &str = "layout_free";
pub const GENERIC_PROVIDER: &str = "generic";

/// Runs the forced layout; else the specific layouts whose detection phrases are on the
/// first page (hints: a bank's own layout file knows its quirks and checks); else the
/// layout-free reader. A document with no table of dated rows and amounts is classified:
/// some other document (`not_a_bank_statement`) or a statement that could not be read
/// (`unsupported_layout`, saying what was seen).
fn run_layouts(text: &PdfText, options: &Options) -> Result<Vec<Read>, ExtractError> {
    let layouts = layout::built_in_lazy();
    let forced = options.provider.as_deref().filter(|p| *p != "auto");
    if let Some(code) = forced.filter(|c| *c != GENERIC_PROVIDER && *c != LAYOUT_FREE) {
        let forced = layouts
            .iter()
            .find(|l| l.spec.provider == code || l.spec.id == code)
            .and_then(layout::BuiltIn::layout)
            .ok_or_else(|| ExtractError::UnsupportedLayout(format!("unknown provider {code:?}")))?;
        return Ok(vec![Read::of_layout(
            forced,
            layout::engine::run(forced, text, options.currency)?,
        )]);
    }
    if forced.is_none() && !options.no_layout_hints {
        // A detected layout whose table is not there (a letter on the bank's paper) falls
        // through to the layout-free reader.
        for detected in layouts
            .iter()
            .filter(|l| layout::engine::detects_spec(&l.spec, text))
            .filter_map(layout::BuiltIn::layout)
        {
            match layout::engine::run(detected, text, options.currency) {
                Err(ExtractError::UnsupportedLayout(_)) => continue,
                Ok(output) if output.transactions.is_empty() => continue,
                result => return Ok(vec![Read::of_layout(detected, result?)]),
            }
        }
    }
    let non_row_text = || {
        text.pages
            .iter()
            .flat_map(|p| p.lines.iter())
            .filter(|l| !reader::looks_like_row(l))
            .map(|l| l.text())
            .collect::<Vec<_>>()
            .join("\n")
    };
    match reader::read(text, options.currency)? {
        Ok(readings) => {
            // Dated lines with amounts on a document that reads as an invoice, a receipt
            // or a loan schedule are its line items, not a ledger, unless the page also
            // names an account's identity (its number or a statement period) or keeps a
            // running balance over its rows. A word in a description ("payment for
            // invoice 123") decides nothing. A loan schedule's balance runs down by its
            // principal like a ledger's, so it needs the account's identity. What the
            // document is comes from the text around its rows, not from the rows.
            let identity = readings
                .iter()
                .any(|r| r.output.account_number.is_some() || r.output.period.is_some());
            let ledger_balance = readings.iter().map(|r| r.balance_follows).sum::<usize>() >= 3;
            let rows: usize = readings.iter().map(|r| r.output.transactions.len()).sum();
            let around: String = readings
                .iter()
                .map(|r| r.around_text.as_str())
                .collect::<Vec<_>>()
                .join("\n");
            if let classify::Verdict::NotAStatement(Some(kind)) = classify::classify(&around)
                && (rows < 3 || !identity && (!ledger_balance || kind == "loan_schedule"))
            {
                return Err(ExtractError::NotABankStatement {
                    document_type: Some(kind.to_owned()),
                });
            }
            if readings.is_empty() {
                return Err(ExtractError::UnsupportedLayout(
                    "no table of dated rows with amounts was found".into(),
                ));
            }
            Ok(readings
                .into_iter()
                .map(|reading| Read {
                    layout: LAYOUT_FREE.into(),
                    provider: GENERIC_PROVIDER.into(),
                    institution: None,
                    expects_declared_totals: false,
                    output: reading.output,
                    notes: Some(reading.notes),
                    penalties: reading.penalties,
                })
                .collect())
        }
        // What the document is comes from its text outside dated lines with amounts:
        // a description ("payment for invoice 123") decides nothing.
        Err(seen) => match classify::classify(&non_row_text()) {
            classify::Verdict::NotAStatement(kind) => Err(ExtractError::NotABankStatement {
                document_type: kind.map(str::to_owned),
            }),
            classify::Verdict::StatementLike if seen.dates >= 2 && seen.amounts >= 2 => {
                Err(ExtractError::UnsupportedLayout(format!(
                    "this looks like a statement, but no table of dated rows with amounts was found ({} date-like and {} money-like cells seen, {} rows read)",
                    seen.dates, seen.amounts, seen.rows
                )))
            }
            classify::Verdict::StatementLike => Err(ExtractError::NotABankStatement {
                document_type: None,
            }),
        },
    }
}

fn forensics(text: &PdfText, output: &layout::engine::LayoutOutput) -> Forensics {
    let structure = &text.structure;
    let font_name = |i: u16| {
        text.fonts
            .get(usize::from(i))
            .cloned()
            .unwrap_or_else(|| "unknown".into())
    };
    let hex = |rgb: [u8; 3]| format!("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2]);
    Forensics {
        eof_markers: structure.eof_markers,
        startxref_count: structure.startxref_count,
        prev_links: structure.prev_links,
        xref_kind: structure.xref_kind.into(),
        pages: text
            .pages
            .iter()
            .map(|p| PageForensics {
                page: p.number,
                width: p.width,
                height: p.height,
                glyphs: p.glyph_count,
                unmapped_glyphs: p.unmapped_glyphs,
                invisible_glyphs: p.invisible_glyphs,
                images: p.images,
                fonts: p
                    .font_glyphs
                    .iter()
                    .map(|(font, glyphs)| statera_model::FontUse {
                        name: font_name(*font),
                        font: String::new(),
                        glyphs: *glyphs,
                    })
                    .collect(),
            })
            .collect(),
        column_fonts: output.column_fonts.clone(),
        font_outliers: output.font_outliers.clone(),
        overlays: text
            .pages
            .iter()
            .flat_map(|p| {
                p.overlays.iter().map(|(rect, covered)| Overlay {
                    page: p.number,
                    x: rect.x0,
                    y: rect.y0,
                    width: rect.x1 - rect.x0,
                    height: rect.y1 - rect.y0,
                    color: hex(rect.rgb),
                    covered_text: covered.clone(),
                })
            })
            .collect(),
        overprints: text
            .pages
            .iter()
            .flat_map(|p| {
                p.overprints.iter().map(|(x, y, under, over)| Overprint {
                    page: p.number,
                    x: *x,
                    y: *y,
                    under: under.clone(),
                    over: over.clone(),
                })
            })
            .collect(),
    }
}
