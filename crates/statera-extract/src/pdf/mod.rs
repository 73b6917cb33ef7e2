//! The PDF text layer: positioned glyphs per page, the file's metadata and structure.
//!
//! Everything above this module sees [`PdfText`], never the PDF library, so the library
//! (hayro today, pinned exactly) can be swapped behind [`TextSource`].

mod hayro;
mod structure;

pub use self::hayro::Hayro;
pub use structure::{FileStructure, scan_structure};

use statera_model::PdfInfo;

use crate::ExtractError;
use crate::text::Line;

/// Caps applied while reading, so a hostile file fails with `resource_limit` even outside
/// the sandbox (which adds memory, CPU and wall limits on top).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_pages: usize,
    pub max_glyphs_per_page: usize,
    /// Worker threads for page interpretation (pages are independent).
    pub threads: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_pages: 5_000,
            max_glyphs_per_page: 250_000,
            threads: 2,
        }
    }
}

/// One glyph as drawn: baseline origin in points from the page's top-left corner.
#[derive(Clone, Debug, PartialEq)]
pub struct Glyph {
    pub ch: char,
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub size: f32,
    /// Index into [`PdfText::fonts`].
    pub font: u16,
    /// Identity of the glyph's outline (font program + glyph): the same character drawn
    /// from two different fonts has two shapes, even when neither font has a name.
    pub shape: u64,
    /// Drawn in invisible render mode (OCR layer or hidden text).
    pub invisible: bool,
    /// Drawing order on the page, shared with [`FilledRect::seq`].
    pub seq: u32,
}

/// An opaque filled area, in page coordinates (top-left origin).
#[derive(Clone, Debug, PartialEq)]
pub struct FilledRect {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
    pub rgb: [u8; 3],
    pub seq: u32,
}

/// A page reduced to what extraction needs.
#[derive(Clone, Debug, Default)]
pub struct PageText {
    /// 1-based.
    pub number: u32,
    pub width: f32,
    pub height: f32,
    pub lines: Vec<Line>,
    pub glyph_count: u32,
    pub unmapped_glyphs: u32,
    pub invisible_glyphs: u32,
    pub images: u32,
    /// Glyphs per font index on this page.
    pub font_glyphs: Vec<(u16, u32)>,
    /// Whiteouts: filled rects drawn over earlier glyphs, with the glyphs they cover.
    pub overlays: Vec<(FilledRect, String)>,
    /// Different text drawn later at the same position: (x, y, under, over).
    pub overprints: Vec<(f32, f32, String, String)>,
}

/// A whole document's text layer.
#[derive(Clone, Debug, Default)]
pub struct PdfText {
    pub pages: Vec<PageText>,
    /// Font names, indexed by [`Glyph::font`].
    pub fonts: Vec<String>,
    pub info: PdfInfo,
    pub structure: FileStructure,
}

/// Something that turns PDF bytes into positioned text.
pub trait TextSource {
    /// Opens `bytes` (empty password first, then `password`) and reads every page.
    fn read(
        &self,
        bytes: &[u8],
        password: Option<&str>,
        limits: &Limits,
    ) -> Result<PdfText, ExtractError>;
}

/// True when `bytes` start like a PDF (`%PDF-` within the first KiB, as readers allow).
pub fn looks_like_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5).any(|w| w == b"%PDF-")
}
