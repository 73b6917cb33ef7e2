//! Stage 2a, lines → table regions: the document's lines in reading order with their
//! tokens, page furniture (running heads, page numbers) marked, header blocks found (labels
//! stacked or wrapped over several lines are joined by horizontal overlap), and the lines
//! cut into segments, one per table header (or one from the first dated row when a table
//! prints no header).

use std::sync::LazyLock;

use regex::Regex;
use rustc_hash::FxHashMap as HashMap;

use super::tokens::{self, Token};
use super::vocab::{self, HEADER_PHRASES, Role};
use crate::dates::{self, PrintedDate};
use crate::money::MoneyShape;
use crate::pdf::PdfText;
use crate::text::Line;

/// A line of the document with its tokens.
#[derive(Debug)]
pub struct DocLine<'a> {
    pub page: u32,
    pub line: &'a Line,
    pub tokens: Vec<Token>,
    /// Running head, running foot or page number: never part of a row.
    pub furniture: bool,
    /// Set when the line is part of a table header block.
    pub header: bool,
    /// The document prints whole-number amounts (`35618`, no decimals, no grouping):
    /// bare integers right of a row's date count as amounts.
    pub whole_numbers: bool,
}

impl DocLine<'_> {
    pub fn y(&self) -> f32 {
        self.line.y
    }

    pub fn size(&self) -> f32 {
        self.line.size.max(1.0)
    }

    pub fn has_money(&self) -> bool {
        self.tokens.iter().any(|t| t.money().is_some())
    }

    pub fn has_date(&self) -> bool {
        self.tokens.iter().any(Token::is_date)
    }

    /// The text tokens joined (what a row's label reads).
    pub fn text_only(&self) -> String {
        let mut out = String::new();
        for t in self.tokens.iter().filter(|t| t.is_text()) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&t.text);
        }
        out
    }

    /// A date followed, further right, by an amount: the shape of a transaction line.
    pub fn is_ledger(&self) -> bool {
        let Some(date) = self.tokens.iter().position(Token::is_date) else {
            return false;
        };
        if self.is_balance_grid() {
            return false;
        }
        self.tokens[date + 1..]
            .iter()
            .any(|t| t.money().is_some_and(|m| self.counts_as_amount(m)))
    }

    /// Dates and amounts alternating, two pairs or more (`01 May 2,972.84  02 May
    /// 2,804.44`): a grid of balances by day. A transaction prints one amount per date
    /// (or its value date next to it).
    pub fn is_balance_grid(&self) -> bool {
        // A description ("… ON 02/12 AT DMART 900.00") makes it a transaction line.
        if self.tokens.iter().any(|t| t.is_text() && t.word_count > 1) {
            return false;
        }
        let kinds: Vec<bool> = self
            .tokens
            .iter()
            .filter(|t| !t.is_text())
            .map(Token::is_date)
            .collect();
        kinds.len() >= 4
            && kinds.chunks(2).filter(|c| c == &[true, false]).count() >= 2
            && kinds.chunks(2).all(|c| c == [true, false] || c == [true])
    }

    /// An amount beyond doubt, or, in a whole-number document, a bare integer of at most
    /// twelve digits.
    pub fn counts_as_amount(&self, m: &MoneyShape) -> bool {
        m.is_unmistakable()
            || self.whole_numbers && m.separators().is_empty() && m.digit_count() <= 12
    }
}

/// A header label found over a column: its role and horizontal extent.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub role: Role,
    pub x0: f32,
    pub x1: f32,
}

/// A table region: its header labels (if printed) and its lines.
#[derive(Debug, Default)]
pub struct Segment {
    pub labels: Vec<Label>,
    /// Indices into the document lines, header lines excluded.
    pub lines: Vec<usize>,
    /// The header names only dates and balances (no amount, no description): a
    /// daily-balance table, not transactions.
    pub balance_table: bool,
    /// A section title printed just above the header ("Deposits and other credits").
    pub title_section: Option<Role>,
}

static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:page|p\.|página|pagina|ukurasa)\s*(\d+)\s*(?:of|/|de|sur|ya|von)\s*(\d+)$|^(?:page|página|pagina|ukurasa)\s*\d+$|^\d+\s*(?:of|/)\s*\d+$|^-\s*\d+\s*-$")
        .expect("page-number pattern")
});
static PAGE_OF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:page|página|pagina|ukurasa)\s*(\d{1,4})\s*(?:of|/|de|sur|ya)\s*(\d{1,4})\b",
    )
    .expect("page-of pattern")
});

/// Tokenises every page and marks furniture.
pub fn doc_lines(pdf: &PdfText) -> Vec<DocLine<'_>> {
    let mut lines: Vec<DocLine> = pdf
        .pages
        .iter()
        .flat_map(|p| {
            p.lines.iter().map(move |line| DocLine {
                page: p.number,
                line,
                tokens: tokens::tokenize(line),
                furniture: false,
                header: false,
                whole_numbers: false,
            })
        })
        .collect();
    join_split_dates(&mut lines);
    // Whole-number documents: dated lines show bare integers after the date, and
    // amounts with decimals rarely or never.
    let (mut sure, mut bare) = (0usize, 0usize);
    let mut shapes: Vec<MoneyShape> = Vec::new();
    for l in &lines {
        let Some(d) = l.tokens.iter().position(Token::is_date) else {
            continue;
        };
        let after = &l.tokens[d + 1..];
        shapes.extend(after.iter().filter_map(|t| t.money().cloned()));
        if after
            .iter()
            .any(|t| t.money().is_some_and(MoneyShape::is_unmistakable))
        {
            sure += 1;
        } else if after
            .iter()
            .filter(|t| t.money().is_some_and(|m| m.separators().is_empty()))
            .count()
            >= 1
        {
            bare += 1;
        }
    }
    // Grouped whole numbers ("1 081") are sure amounts; what decides is that the
    // document prints no decimals at all.
    let no_decimals = crate::money::choose_style(&shapes).decimals == 0;
    if bare >= 3 && (sure * 4 < bare || no_decimals) || bare >= 1 && sure == 0 {
        for l in &mut lines {
            l.whole_numbers = true;
        }
    }
    // Lines printed on most pages at the same height are running heads and feet.
    let pages = pdf.pages.len();
    let key = |l: &DocLine| -> (String, i32) {
        let text: String = l
            .line
            .text()
            .chars()
            .map(|c| if c.is_ascii_digit() { '#' } else { c })
            .collect();
        (text.to_lowercase(), (l.y() / 3.0).round() as i32)
    };
    if pages >= 2 {
        let mut seen: HashMap<(String, i32), Vec<u32>> = HashMap::default();
        for l in &lines {
            let pages = seen.entry(key(l)).or_default();
            if pages.last() != Some(&l.page) {
                pages.push(l.page);
            }
        }
        let threshold = (pages / 2).max(2);
        // A running head or foot sits outside the page's ledger: a repeated line between
        // two ledger lines (a description wrapped the same way twice) is not furniture.
        let mut ledger_span: HashMap<u32, (f32, f32)> = HashMap::default();
        for l in lines.iter().filter(|l| l.is_ledger()) {
            let span = ledger_span.entry(l.page).or_insert((l.y(), l.y()));
            span.0 = span.0.min(l.y());
            span.1 = span.1.max(l.y());
        }
        for l in &mut lines {
            let inside = ledger_span
                .get(&l.page)
                .is_some_and(|(top, bottom)| l.y() > *top && l.y() < *bottom + 3.0 * l.size());
            if !l.has_money() && !inside && seen.get(&key(l)).is_some_and(|p| p.len() >= threshold)
            {
                l.furniture = true;
            }
        }
    }
    for l in &mut lines {
        let short = l.line.words.len() <= 10;
        let text = l.line.text();
        if short && (PAGE_NUMBER.is_match(text.trim()) || !l.is_ledger() && PAGE_OF.is_match(&text))
        {
            l.furniture = true;
        }
    }
    lines
}

/// A date printed over two lines of its column ("01 07" above "2020", "01" above
/// "NOV"): where the document does it on two rows or more, the upper cell becomes one
/// date and the lower part leaves the line below.
fn join_split_dates(lines: &mut [DocLine]) {
    // (line, first token, token count, the date) for each pair found.
    let mut found: Vec<(usize, usize, usize, PrintedDate)> = Vec::new();
    for i in 0..lines.len().saturating_sub(1) {
        let (a, b) = (&lines[i], &lines[i + 1]);
        let size = a.size();
        if a.page != b.page || b.y() - a.y() > 1.6 * size || b.tokens.is_empty() {
            continue;
        }
        let lower = &b.tokens[0];
        for start in 0..a.tokens.len() {
            for n in 1..=2.min(a.tokens.len() - start) {
                let run = &a.tokens[start..start + n];
                if run.iter().any(Token::is_date)
                    || run.windows(2).any(|w| w[1].x0 - w[0].x1 > size)
                    || (lower.x0 - run[0].x0).abs() > size
                    || a.tokens
                        .get(start + n)
                        .is_some_and(|next| lower.x1 > next.x0)
                {
                    continue;
                }
                let upper: Vec<&str> = run.iter().map(|t| t.text.as_str()).collect();
                let joined = format!("{} {}", upper.join(" "), lower.text);
                if let Some(date) = dates::parse(&joined)
                    && (date.year.is_some() || date.month_named)
                {
                    found.push((i, start, n, date));
                }
            }
        }
    }
    if found.len() < 2 {
        return;
    }
    // Lines already changed (as the upper or the lower line of a pair) are not joined
    // again: their tokens have moved.
    let mut touched: Vec<usize> = Vec::new();
    for (i, start, n, date) in found {
        if touched.contains(&i)
            || touched.contains(&(i + 1))
            || start + n > lines[i].tokens.len()
            || lines[i + 1].tokens.is_empty()
        {
            continue;
        }
        touched.push(i);
        touched.push(i + 1);
        let lower = lines[i + 1].tokens.remove(0);
        let line = &mut lines[i];
        let run: Vec<Token> = line.tokens.drain(start..start + n).collect();
        let text = format!(
            "{} {}",
            run.iter()
                .map(|t| t.text.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            lower.text
        );
        line.tokens.insert(
            start,
            Token {
                kind: tokens::Kind::Date(date),
                text,
                x0: run[0].x0.min(lower.x0),
                x1: run.iter().map(|t| t.x1).fold(lower.x1, f32::max),
                size: run[0].size,
                font: run[0].font,
                first_word: run[0].first_word,
                word_count: run.iter().map(|t| t.word_count).sum(),
            },
        );
    }
}

/// Where a statement's text was not set in columns (a text export: `02/04/2026 10:15
/// AMAZON PAY 4,299.00` with the amount wherever the description ends), the amounts that
/// end each line are its columns: the last one, the one before it. They are given virtual
/// right-aligned positions beyond the page, one per place from the end, so that the
/// column stages see them as aligned. Documents whose amounts line up are left alone.
pub fn align_flowing_amounts(lines: &mut [DocLine]) {
    let trailing = |l: &DocLine| -> usize {
        l.tokens
            .iter()
            .rev()
            .take_while(|t| t.money().is_some_and(|m| l.counts_as_amount(m)))
            .count()
    };
    let ledger: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].furniture && lines[i].is_ledger() && trailing(&lines[i]) > 0)
        .collect();
    if ledger.len() < 3 {
        return;
    }
    let size = lines[ledger[0]].size();
    // Aligned: most amounts end on a few shared right edges (a debit, a credit and a
    // balance column each gather many).
    let ends: Vec<(f32, f32)> = ledger
        .iter()
        .flat_map(|&i| {
            let l = &lines[i];
            l.tokens[l.tokens.len() - trailing(l)..]
                .iter()
                .map(|t| (t.x1 - 0.5, t.x1))
        })
        .collect();
    let shared = (ledger.len() / 10).max(3);
    let aligned: usize = super::columns::bands(&ends, 0.3 * size)
        .iter()
        .filter(|b| b.count >= shared)
        .map(|b| b.count)
        .sum();
    if aligned * 10 >= ends.len() * 6 {
        return;
    }
    const RIGHT: f32 = 10_000.0;
    const STEP: f32 = 1_000.0;
    for line in lines.iter_mut().filter(|l| !l.furniture && l.has_money()) {
        let n = trailing(line);
        let count = line.tokens.len();
        for (k, token) in line.tokens[count - n..].iter_mut().rev().enumerate() {
            let width = token.x1 - token.x0;
            token.x1 = RIGHT - STEP * k as f32;
            token.x0 = token.x1 - width;
        }
    }
}

/// The "Page N of M" numbers printed: `(numbers seen, expected count)`.
pub fn page_numbers(lines: &[DocLine]) -> (Vec<u32>, u32) {
    let mut numbers = Vec::new();
    let mut expected = 0;
    for l in lines.iter().filter(|l| l.line.words.len() <= 10) {
        if let Some(c) = PAGE_OF.captures(&l.line.text()) {
            let n: u32 = c[1].parse().unwrap_or(0);
            let m: u32 = c[2].parse().unwrap_or(0);
            if n >= 1 && n <= m && m <= 2000 {
                numbers.push(n);
                expected = expected.max(m);
            }
        }
    }
    (numbers, expected)
}

/// A word of a header line, split at dotted leaders, with its extent.
struct LabelWord {
    word: String,
    x0: f32,
    x1: f32,
    line: usize,
}

fn label_words(line: &DocLine, index: usize) -> Vec<LabelWord> {
    let mut out = Vec::new();
    for w in &line.line.words {
        let parts = vocab::header_words(&w.text);
        let chars = w.text.chars().count().max(1) as f32;
        let width = (w.x1 - w.x0).max(0.0);
        // Sub-words of a leader-joined word get a share of its width by position.
        let lower = w.text.to_lowercase();
        let mut from = 0usize;
        for part in parts {
            let at = lower[from..].find(&part).map_or(from, |p| p + from);
            let start_chars = lower[..at].chars().count() as f32;
            let len_chars = part.chars().count() as f32;
            out.push(LabelWord {
                x0: w.x0 + width * start_chars / chars,
                x1: w.x0 + width * (start_chars + len_chars) / chars,
                word: part.clone(),
                line: index,
            });
            from = (at + part.len()).min(lower.len());
        }
    }
    out
}

/// The labels of a header block: words joined across lines where they overlap
/// horizontally (stacked labels), phrases matched within each group.
fn labels_of(block: &[&DocLine]) -> Vec<Label> {
    let words: Vec<LabelWord> = block
        .iter()
        .enumerate()
        .flat_map(|(i, l)| label_words(l, i))
        .collect();
    // Group: same line and close, or different lines and overlapping.
    let n = words.len();
    let mut group: Vec<usize> = (0..n).collect();
    fn root(group: &mut [usize], mut i: usize) -> usize {
        while group[i] != i {
            group[i] = group[group[i]];
            i = group[i];
        }
        i
    }
    let size = block.iter().map(|l| l.size()).fold(1.0, f32::max);
    for i in 0..n {
        for j in i + 1..n {
            let (a, b) = (&words[i], &words[j]);
            let joined = if a.line == b.line {
                let gap = if a.x1 <= b.x0 {
                    b.x0 - a.x1
                } else {
                    a.x0 - b.x1
                };
                gap < 0.6 * size
            } else {
                a.x0 < b.x1 && b.x0 < a.x1
            };
            if joined {
                let (ra, rb) = (root(&mut group, i), root(&mut group, j));
                group[ra] = rb;
            }
        }
    }
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::default();
    for i in 0..n {
        let r = root(&mut group, i);
        groups.entry(r).or_default().push(i);
    }
    let mut labels = Vec::new();
    for members in groups.values() {
        let mut members = members.clone();
        members.sort_by(|&a, &b| {
            (words[a].line, words[a].x0)
                .partial_cmp(&(words[b].line, words[b].x0))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let texts: Vec<String> = members.iter().map(|&i| words[i].word.clone()).collect();
        let found = vocab::find_phrases(&texts, HEADER_PHRASES);
        // A group naming one role is that column's label whole ("Originating Branch"
        // where only "Branch" is a known word).
        let whole = found.len() == 1;
        for (start, len, role) in found {
            let used = if whole {
                &members[..]
            } else {
                &members[start..start + len]
            };
            labels.push(Label {
                role,
                x0: used
                    .iter()
                    .map(|&i| words[i].x0)
                    .fold(f32::INFINITY, f32::min),
                x1: used
                    .iter()
                    .map(|&i| words[i].x1)
                    .fold(f32::NEG_INFINITY, f32::max),
            });
        }
    }
    labels.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    labels
}

/// The distinct roles a line's words name, and the share of its words they use.
fn header_evidence(line: &DocLine) -> (Vec<Role>, f32) {
    let words: Vec<String> = line
        .tokens
        .iter()
        .filter(|t| t.is_text())
        .flat_map(|t| vocab::header_words(&t.text))
        // "(UGX)", "KES": a column's currency is no label word.
        .filter(|w| {
            let code = w
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_ascii_uppercase();
            crate::money::iso_code(&code).is_none()
        })
        .collect();
    if words.is_empty() {
        return (Vec::new(), 0.0);
    }
    let found = vocab::find_phrases(&words, HEADER_PHRASES);
    let used: usize = found.iter().map(|f| f.1).sum();
    let mut roles: Vec<Role> = found.iter().map(|f| f.2).collect();
    roles.sort();
    roles.dedup();
    (roles, used as f32 / words.len() as f32)
}

/// A label line's second line: every token is a short phrase in the label's font, set
/// under a label of the line above ("Descrição" over "do lançamento"). A first row's
/// description, printed above its date, is in the body font or runs longer.
fn stacked_under(above: &DocLine, below: &DocLine) -> bool {
    !below.tokens.is_empty()
        && below.tokens.len() <= above.tokens.len()
        && below.tokens.iter().all(|t| {
            t.is_text()
                && t.word_count <= 3
                && above
                    .tokens
                    .iter()
                    .any(|a| a.x0 < t.x1 && t.x0 < a.x1 && a.font == t.font)
        })
}

fn is_header_line(line: &DocLine) -> bool {
    if line.has_money() || line.tokens.iter().any(Token::is_date) {
        return false;
    }
    let (roles, share) = header_evidence(line);
    let money = roles.iter().any(|r| r.is_money());
    let dated = roles.contains(&Role::Date);
    roles.len() >= 2 && (money || dated) && share >= 0.6
}

/// Finds header blocks and cuts the document into segments.
pub fn segments(lines: &mut [DocLine]) -> Vec<Segment> {
    let mut segments: Vec<Segment> = Vec::new();
    let mut i = 0;
    let mut current: Option<Segment> = None;
    while i < lines.len() {
        if is_header_line(&lines[i]) {
            // The block: this line and the label lines stacked right above or below it.
            let mut start = i;
            while start > 0 {
                let (above, this) = (&lines[start - 1], &lines[start]);
                let close = above.page == this.page && this.y() - above.y() <= 1.6 * this.size();
                if close
                    && !above.has_money()
                    && !above.has_date()
                    && !above.header
                    && !header_evidence(above).0.is_empty()
                    && vocab::section_direction(&above.text_only()).is_none()
                {
                    start -= 1;
                } else {
                    break;
                }
            }
            let mut end = i + 1;
            while end < lines.len() {
                let (prev, next) = (&lines[end - 1], &lines[end]);
                let close = prev.page == next.page && next.y() - prev.y() <= 1.6 * prev.size();
                if close && !next.has_money() && !next.has_date() && !next.is_ledger() {
                    let (roles, share) = header_evidence(next);
                    if !roles.is_empty() && share >= 0.5 || stacked_under(prev, next) {
                        end += 1;
                        continue;
                    }
                }
                break;
            }
            let block: Vec<&DocLine> = lines[start..end].iter().collect();
            let labels = labels_of(&block);
            for l in &mut lines[start..end] {
                l.header = true;
            }
            if let Some(seg) = current.take() {
                let mut seg = seg;
                seg.lines.retain(|&k| k < start);
                segments.push(seg);
            }
            let roles: Vec<Role> = labels.iter().map(|l| l.role).collect();
            let titles = lines[start.saturating_sub(3)..start]
                .iter()
                .rev()
                .filter(|l| l.page == lines[start].page && !l.has_money());
            let mut title_section = None;
            let mut balance_title = false;
            for l in titles {
                let text = l.text_only();
                if let Some(d) = vocab::section_direction(&text) {
                    title_section = Some(d);
                    break;
                }
                if vocab::mentions(&text.to_lowercase(), vocab::BALANCE_TABLE_PHRASES) {
                    balance_title = true;
                    break;
                }
            }
            let balance_table = balance_title
                || roles.contains(&Role::Balance)
                    && !roles.iter().any(|r| {
                        matches!(
                            r,
                            Role::Debit | Role::Credit | Role::Amount | Role::Description
                        )
                    });
            current = Some(Segment {
                labels,
                lines: Vec::new(),
                balance_table,
                title_section,
            });
            i = end;
            continue;
        }
        match current.as_mut() {
            Some(seg) => seg.lines.push(i),
            // A table without a header starts at a dated row with amounts, when the
            // next dated rows follow it (one dated line alone is a summary, not a table).
            None if lines[i].is_ledger()
                && lines[i + 1..].iter().take(6).any(|l| l.is_ledger()) =>
            {
                current = Some(Segment {
                    lines: vec![i],
                    ..Segment::default()
                });
            }
            None => {}
        }
        i += 1;
    }
    segments.extend(current);
    segments
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::PrintedYear;
    use crate::text::Word;

    fn line(n: u32, y: f32, cells: &[(f32, &str)]) -> Line {
        let mut words = Vec::new();
        for (x, text) in cells {
            let mut x = *x;
            for w in text.split_whitespace() {
                let width = w.chars().count() as f32 * 5.0;
                words.push(Word {
                    text: w.into(),
                    x0: x,
                    x1: x + width,
                    y,
                    size: 10.0,
                    font: 0,
                    shapes: vec![0; w.chars().count()],
                });
                x += width + 3.0;
            }
        }
        Line {
            number: n,
            y,
            size: 10.0,
            words,
        }
    }

    fn doc<'a>(lines: &'a [Line]) -> Vec<DocLine<'a>> {
        lines
            .iter()
            .map(|l| DocLine {
                page: 1,
                line: l,
                tokens: tokens::tokenize(l),
                furniture: false,
                header: false,
                whole_numbers: false,
            })
            .collect()
    }

    #[test]
    fn dates_split_over_two_lines_join_and_chains_of_pairs_do_not_panic() {
        // Each row's date is "01 07" over "2020"; the year lines also carry the next
        // row's day, so a line is the lower half of one pair and the upper of the next.
        let lines = [
            line(
                1,
                100.0,
                &[(10.0, "01 07"), (80.0, "RENT"), (300.0, "10.00")],
            ),
            line(2, 110.0, &[(10.0, "2020"), (80.0, "PAID")]),
            line(
                3,
                124.0,
                &[(10.0, "03 07"), (80.0, "SHOP"), (300.0, "5.00")],
            ),
            line(4, 134.0, &[(10.0, "2020")]),
            line(5, 148.0, &[(10.0, "04 07")]),
            line(6, 158.0, &[(10.0, "2020")]),
        ];
        let mut docs = doc(&lines);
        join_split_dates(&mut docs);
        let first = docs[0].tokens[0].date().copied().expect("a date");
        assert_eq!(first.year, Some(PrintedYear::Full(2020)));
        assert_eq!(docs[1].tokens.len(), 1, "the year left line 2");
        assert!(docs[2].tokens[0].is_date());
    }

    #[test]
    fn stacked_labels_join_by_overlap() {
        let lines = [
            line(
                1,
                100.0,
                &[
                    (10.0, "Date"),
                    (80.0, "Details"),
                    (250.0, "Money"),
                    (320.0, "Money"),
                    (400.0, "Balance"),
                ],
            ),
            line(2, 111.0, &[(255.0, "Out"), (325.0, "In")]),
            line(
                3,
                125.0,
                &[
                    (10.0, "01/02/2024"),
                    (80.0, "Rent"),
                    (250.0, "500.00"),
                    (400.0, "1,000.00"),
                ],
            ),
        ];
        let mut lines = doc(&lines);
        let segs = segments(&mut lines);
        assert_eq!(segs.len(), 1);
        let roles: Vec<Role> = segs[0].labels.iter().map(|l| l.role).collect();
        assert_eq!(
            roles,
            [
                Role::Date,
                Role::Description,
                Role::Debit,
                Role::Credit,
                Role::Balance
            ]
        );
        assert_eq!(segs[0].lines, [2]);
    }

    #[test]
    fn a_sentence_is_not_a_header() {
        let lines = [line(
            1,
            100.0,
            &[(
                10.0,
                "The balance shown is the amount on the date of printing",
            )],
        )];
        let mut lines = doc(&lines);
        assert!(segments(&mut lines).is_empty());
    }

    #[test]
    fn balance_only_header_is_a_balance_table() {
        let lines = [
            line(
                1,
                100.0,
                &[
                    (10.0, "DATE.........BALANCE"),
                    (200.0, "DATE.........BALANCE"),
                ],
            ),
            line(
                2,
                112.0,
                &[
                    (10.0, "12/09"),
                    (60.0, "217.00"),
                    (200.0, "12/26"),
                    (250.0, "60.78"),
                ],
            ),
        ];
        let mut lines = doc(&lines);
        let segs = segments(&mut lines);
        assert!(segs[0].balance_table);
    }

    #[test]
    fn page_numbers_are_read() {
        let lines = [line(1, 10.0, &[(10.0, "Page 2 of 3")])];
        let lines = doc(&lines);
        assert_eq!(page_numbers(&lines), (vec![2], 3));
    }
}
