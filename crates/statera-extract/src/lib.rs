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
        Some(InputFormat::Pdf) => extract(bytes, options).map(|s| vec![s]),
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

/// Every provider the built-in layouts cover.
pub fn providers() -> Vec<Provider> {
    layout::built_in()
        .iter()
        .map(|l| Provider {
            code: l.spec.provider.clone(),
            layout: l.spec.id.clone(),
            institution: l.spec.institution.clone(),
            currency: l.spec.currency.clone(),
        })
        .collect()
}

/// Reads a statement document.
pub fn extract(bytes: &[u8], options: &Options) -> Result<Statement, ExtractError> {
    extract_with(&pdf::Hayro, bytes, options)
}

/// [`extract`] on a chosen text source.
pub fn extract_with(
    source: &dyn TextSource,
    bytes: &[u8],
    options: &Options,
) -> Result<Statement, ExtractError> {
    if bytes.is_empty() || !pdf::looks_like_pdf(bytes) {
        return Err(ExtractError::NotPdf);
    }
    let text = source.read(bytes, options.password.as_deref(), &options.limits)?;
    statement_from_text(&text, options)
}

/// The layout half of extraction, on an already-read text layer.
pub fn statement_from_text(text: &PdfText, options: &Options) -> Result<Statement, ExtractError> {
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

    let (layout, output) = run_layouts(text, options)?;
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
        expects_declared_totals: layout.spec.summary.is_some(),
        has_declared_totals: output.declared_totals.is_some(),
    };
    let confidence = checks::confidence(&output.transactions, &reconciliation, &evidence);
    let forensics = forensics(text, &output);

    Ok(Statement {
        format: "pdf".into(),
        layout: layout.spec.id.clone(),
        provider: layout.spec.provider.clone(),
        institution: layout.spec.institution.clone(),
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
    })
}

fn rescaled(amount: Amount, scale: u8) -> Amount {
    amount.rescale(scale).unwrap_or(amount)
}

/// Runs the forced layout, or the detected specific layouts and then the generic reader.
/// A document no layout reads is classified: some other document (`not_a_bank_statement`)
/// or a statement without a layout (`unsupported_layout`).
fn run_layouts<'a>(
    text: &PdfText,
    options: &Options,
) -> Result<(&'a Layout, layout::engine::LayoutOutput), ExtractError> {
    let layouts = layout::built_in();
    if let Some(code) = options.provider.as_deref().filter(|p| *p != "auto") {
        let forced = layouts
            .iter()
            .find(|l| l.spec.provider == code || l.spec.id == code)
            .ok_or_else(|| ExtractError::UnsupportedLayout(format!("unknown provider {code:?}")))?;
        return Ok((forced, layout::engine::run(forced, text, options.currency)?));
    }
    // A detected layout whose table is not there (a letter on the bank's paper) falls
    // through to classification and the generic reader.
    for detected in layouts
        .iter()
        .filter(|l| l.spec.id != layout::spec::GENERIC && layout::engine::detects(l, text))
    {
        match layout::engine::run(detected, text, options.currency) {
            Err(ExtractError::UnsupportedLayout(_)) => continue,
            result => return Ok((detected, result?)),
        }
    }
    let all_text: String = text
        .pages
        .iter()
        .flat_map(|p| p.lines.iter())
        .map(|l| l.text())
        .collect::<Vec<_>>()
        .join("\n");
    let verdict = classify::classify(&all_text);
    if let classify::Verdict::NotAStatement(Some(kind)) = verdict {
        return Err(ExtractError::NotABankStatement {
            document_type: Some(kind.to_owned()),
        });
    }
    if let Some(generic) = layouts.iter().find(|l| l.spec.id == layout::spec::GENERIC) {
        match layout::engine::run(generic, text, options.currency) {
            Ok(output) if !output.transactions.is_empty() => return Ok((generic, output)),
            Ok(_) | Err(ExtractError::UnsupportedLayout(_)) => {}
            Err(other) => return Err(other),
        }
    }
    match verdict {
        classify::Verdict::StatementLike => Err(ExtractError::UnsupportedLayout(
            "this looks like a statement, but no layout recognises it".into(),
        )),
        classify::Verdict::NotAStatement(kind) => Err(ExtractError::NotABankStatement {
            document_type: kind.map(str::to_owned),
        }),
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
