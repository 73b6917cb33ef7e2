//! Glyphs → lines → words → cells. PDF text has no spaces or lines of its own, only glyphs
//! at positions; this module rebuilds them by geometry, the same way for every layout.

use crate::pdf::Glyph;

/// Glyphs whose baselines differ by at most this share of the font size are on one line.
const SAME_LINE: f32 = 0.35;
/// A horizontal gap wider than this share of the font size separates two words.
const WORD_GAP: f32 = 0.15;
/// A gap wider than this share of the font size separates two cells.
const CELL_GAP: f32 = 1.0;

/// A run of glyphs with no space inside.
#[derive(Clone, Debug, PartialEq)]
pub struct Word {
    pub text: String,
    pub x0: f32,
    pub x1: f32,
    pub y: f32,
    pub size: f32,
    pub font: u16,
    /// [`Glyph::shape`] of each character, in order.
    pub shapes: Vec<u64>,
}

/// One visual line of a page, words left to right.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// 1-based, top to bottom.
    pub number: u32,
    /// Baseline, points from the top of the page.
    pub y: f32,
    pub size: f32,
    pub words: Vec<Word>,
}

/// Adjacent words close enough to read as one piece of text.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub text: String,
    pub x0: f32,
    pub x1: f32,
    /// Index of the cell's first word in [`Line::words`].
    pub first_word: usize,
    pub word_count: usize,
}

impl Line {
    /// The words joined by single spaces.
    pub fn text(&self) -> String {
        join_words(&self.words)
    }

    /// Words grouped into cells by gaps wider than about one character.
    pub fn cells(&self) -> Vec<Cell> {
        let mut cells: Vec<Cell> = Vec::new();
        for (i, word) in self.words.iter().enumerate() {
            match cells.last_mut() {
                Some(cell) if word.x0 - cell.x1 <= CELL_GAP * word.size.max(1.0) => {
                    cell.text.push(' ');
                    cell.text.push_str(&word.text);
                    cell.x1 = word.x1;
                    cell.word_count += 1;
                }
                _ => cells.push(Cell {
                    text: word.text.clone(),
                    x0: word.x0,
                    x1: word.x1,
                    first_word: i,
                    word_count: 1,
                }),
            }
        }
        cells
    }
}

pub fn join_words<'a>(words: impl IntoIterator<Item = &'a Word>) -> String {
    let mut out = String::new();
    for word in words {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word.text);
    }
    out
}

/// Builds a page's lines. Also returns overprints: different text drawn later at the same
/// place as earlier text, as `(x, y, under, over)`; the later text is what the lines keep,
/// since it is what a reader sees on top.
#[allow(clippy::type_complexity)]
pub fn build_lines(mut glyphs: Vec<Glyph>) -> (Vec<Line>, Vec<(f32, f32, String, String)>) {
    glyphs.retain(|g| g.x.is_finite() && g.y.is_finite() && g.size.is_finite());
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));

    let mut groups: Vec<Vec<Glyph>> = Vec::new();
    let mut line_y = f32::NEG_INFINITY;
    let mut line_size = 0.0f32;
    for glyph in glyphs {
        let tolerance = SAME_LINE * glyph.size.max(line_size).max(1.0);
        if groups.is_empty() || glyph.y - line_y > tolerance {
            line_y = glyph.y;
            line_size = glyph.size;
            groups.push(Vec::new());
        }
        line_size = line_size.max(glyph.size);
        if let Some(group) = groups.last_mut() {
            group.push(glyph);
        }
    }

    let mut overprints = Vec::new();
    let mut lines = Vec::with_capacity(groups.len());
    for group in groups {
        let (kept, printed_over) = resolve_overprints(group);
        overprints.extend(printed_over);
        let words = words_of(&kept);
        if words.is_empty() {
            continue;
        }
        let y = kept.iter().map(|g| g.y).fold(f32::INFINITY, f32::min);
        let size = kept.iter().map(|g| g.size).fold(0.0, f32::max);
        lines.push(Line {
            number: lines.len() as u32 + 1,
            y,
            size,
            words,
        });
    }
    (lines, overprints)
}

/// Sorts a line's glyphs left to right, drops exact duplicates (fake bold is the same glyph
/// drawn twice) and keeps the topmost of two different glyphs at one position.
#[allow(clippy::type_complexity)]
fn resolve_overprints(mut line: Vec<Glyph>) -> (Vec<Glyph>, Vec<(f32, f32, String, String)>) {
    line.sort_by(|a, b| a.x.total_cmp(&b.x).then(a.seq.cmp(&b.seq)));
    let mut kept: Vec<Glyph> = Vec::with_capacity(line.len());
    let mut overprints: Vec<(f32, f32, String, String)> = Vec::new();
    let mut last_overprint_end: Option<f32> = None;
    for glyph in line {
        if let Some(prev) = kept.last_mut() {
            let same_place = (glyph.x - prev.x).abs() < 0.25 * glyph.size.max(1.0) * 0.5
                && (glyph.y - prev.y).abs() < 0.5;
            if same_place && !glyph.ch.is_whitespace() && !prev.ch.is_whitespace() {
                if glyph.ch != prev.ch {
                    let (under, over) = if glyph.seq > prev.seq {
                        (prev.ch, glyph.ch)
                    } else {
                        (glyph.ch, prev.ch)
                    };
                    match (overprints.last_mut(), last_overprint_end) {
                        (Some(run), Some(end)) if (prev.x - end).abs() < prev.size => {
                            run.2.push(under);
                            run.3.push(over);
                        }
                        _ => overprints.push((prev.x, prev.y, under.into(), over.into())),
                    }
                    last_overprint_end = Some(prev.x + prev.width);
                    if glyph.seq > prev.seq {
                        *prev = glyph;
                    }
                }
                continue;
            }
        }
        kept.push(glyph);
    }
    (kept, overprints)
}

fn words_of(glyphs: &[Glyph]) -> Vec<Word> {
    let mut words: Vec<Word> = Vec::new();
    let mut current: Option<Word> = None;
    for glyph in glyphs {
        if glyph.ch.is_whitespace() || glyph.ch == '\u{00A0}' {
            words.extend(current.take());
            continue;
        }
        match current.as_mut() {
            Some(word) if glyph.x - word.x1 <= WORD_GAP * glyph.size.max(1.0) => {
                word.text.push(glyph.ch);
                word.shapes.push(glyph.shape);
                word.x1 = word.x1.max(glyph.x + glyph.width);
                word.size = word.size.max(glyph.size);
            }
            _ => {
                words.extend(current.take());
                current = Some(Word {
                    text: glyph.ch.to_string(),
                    x0: glyph.x,
                    x1: glyph.x + glyph.width,
                    y: glyph.y,
                    size: glyph.size,
                    font: glyph.font,
                    shapes: vec![glyph.shape],
                });
            }
        }
    }
    words.extend(current);
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lays `text` out from `x` at `y` with a fixed advance, one glyph per character.
    fn run(text: &str, x: f32, y: f32, seq: &mut u32) -> Vec<Glyph> {
        text.chars()
            .enumerate()
            .map(|(i, ch)| {
                *seq += 1;
                Glyph {
                    ch,
                    x: x + i as f32 * 5.0,
                    y,
                    width: 5.0,
                    size: 10.0,
                    font: 0,
                    shape: u64::from(ch),
                    invisible: false,
                    seq: *seq,
                }
            })
            .collect()
    }

    #[test]
    fn groups_glyphs_into_lines_words_and_cells() {
        let mut seq = 0;
        let mut glyphs = run("Paid In", 300.0, 100.0, &mut seq);
        glyphs.extend(run("Receipt No.", 20.0, 100.4, &mut seq));
        glyphs.extend(run("1,234.00", 300.0, 112.0, &mut seq));
        glyphs.extend(run("SA11AB3CDE", 20.0, 112.0, &mut seq));
        let (lines, overprints) = build_lines(glyphs);
        assert!(overprints.is_empty());
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].text(), "Receipt No. Paid In");
        let cells = lines[0].cells();
        assert_eq!(
            cells.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(),
            ["Receipt No.", "Paid In"]
        );
        assert_eq!(lines[1].words.len(), 2);
        assert_eq!(lines[1].number, 2);
    }

    #[test]
    fn words_split_on_gaps_even_without_space_glyphs() {
        let mut seq = 0;
        let mut glyphs = run("Pay", 0.0, 50.0, &mut seq);
        glyphs.extend(run("Bill", 18.0, 50.0, &mut seq));
        let (lines, _) = build_lines(glyphs);
        assert_eq!(lines[0].text(), "Pay Bill");
    }

    #[test]
    fn fake_bold_is_one_glyph_and_overwritten_text_is_reported() {
        let mut seq = 0;
        let mut glyphs = run("100.00", 0.0, 50.0, &mut seq);
        glyphs.extend(run("100.00", 0.0, 50.0, &mut seq));
        let (lines, overprints) = build_lines(glyphs);
        assert_eq!(lines[0].text(), "100.00");
        assert!(overprints.is_empty());

        let mut seq = 0;
        let mut glyphs = run("100.00", 0.0, 50.0, &mut seq);
        glyphs.extend(run("900.00", 0.0, 50.0, &mut seq));
        let (lines, overprints) = build_lines(glyphs);
        assert_eq!(lines[0].text(), "900.00");
        assert_eq!(overprints.len(), 1);
        assert_eq!(overprints[0].2, "1");
        assert_eq!(overprints[0].3, "9");
    }
}
