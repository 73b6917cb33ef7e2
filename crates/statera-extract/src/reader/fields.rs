//! Stage 5, the header fields: account holder, account number (as printed, masked or
//! not), issuer, branch, currency, period, opening and closing balance, found anywhere
//! outside the transaction rows, label and value side by side or stacked, in any order.
//! Each field says how it was found, which sets its confidence.

use std::sync::LazyLock;

use serde::Deserialize;

use super::regions::DocLine;
use super::tokens::Token;
use crate::dates::{self, DayMonth};
use crate::money::MoneyShape;
use statera_model::PdfInfo;

/// What a header field's value was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Found {
    /// After its label on the same line or in the same cell.
    Beside,
    /// Under its label (a label row over a value row).
    Below,
    /// From a known issuer's name in the text.
    IssuerList,
    /// From the PDF's own metadata.
    Metadata,
    /// From the text alone (a period sentence, a line naming a bank).
    Text,
}

impl Found {
    pub fn name(self) -> &'static str {
        match self {
            Found::Beside => "beside_label",
            Found::Below => "below_label",
            Found::IssuerList => "issuer_list",
            Found::Metadata => "metadata",
            Found::Text => "text",
        }
    }

    pub fn confidence(self) -> f64 {
        match self {
            Found::Beside => 0.95,
            Found::Below => 0.85,
            Found::IssuerList => 0.9,
            Found::Metadata => 0.7,
            Found::Text => 0.6,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Field<T> {
    pub value: T,
    pub found: Found,
}

#[derive(Clone, Debug, Default)]
pub struct HeaderFields {
    pub account_holder: Option<Field<String>>,
    pub account_number: Option<Field<String>>,
    pub institution: Option<Field<String>>,
    pub branch: Option<Field<String>>,
    /// An ISO code named by a label, a code or a symbol.
    pub currency: Option<Field<String>>,
    pub period: Option<Field<(chrono::NaiveDate, chrono::NaiveDate)>>,
    pub opening: Option<Field<MoneyShape>>,
    pub closing: Option<Field<MoneyShape>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Name {
    Holder,
    Number,
    Institution,
    Branch,
    Currency,
    Period,
    Opening,
    Closing,
}

const LABELS: &[(&str, Name)] = &[
    ("account holder", Name::Holder),
    ("account name", Name::Holder),
    ("account holder name", Name::Holder),
    ("customer name", Name::Holder),
    ("client name", Name::Holder),
    ("account title", Name::Holder),
    ("name", Name::Holder),
    ("customer", Name::Holder),
    ("titulaire", Name::Holder),
    ("titulaire du compte", Name::Holder),
    ("nom du titulaire", Name::Holder),
    ("nom", Name::Holder),
    ("client", Name::Holder),
    ("cliente", Name::Holder),
    ("nom du client", Name::Holder),
    ("nombre del cliente", Name::Holder),
    ("nome do cliente", Name::Holder),
    ("titular", Name::Holder),
    ("nombre", Name::Holder),
    ("nombre del titular", Name::Holder),
    ("nome", Name::Holder),
    ("nome do titular", Name::Holder),
    ("jina", Name::Holder),
    ("jina la mteja", Name::Holder),
    ("jina la akaunti", Name::Holder),
    ("mwenye akaunti", Name::Holder),
    ("correntista", Name::Holder),
    ("intitulé du compte", Name::Holder),
    ("account number", Name::Number),
    ("account no", Name::Number),
    ("account no.", Name::Number),
    ("account #", Name::Number),
    ("acct no", Name::Number),
    ("acct no.", Name::Number),
    ("acct #", Name::Number),
    ("a/c no", Name::Number),
    ("a/c no.", Name::Number),
    ("a/c number", Name::Number),
    ("a/c", Name::Number),
    ("account", Name::Number),
    ("iban", Name::Number),
    ("numéro de compte", Name::Number),
    ("n° de compte", Name::Number),
    ("no de compte", Name::Number),
    ("compte", Name::Number),
    ("compte n°", Name::Number),
    ("número de cuenta", Name::Number),
    ("numero de cuenta", Name::Number),
    ("nº de cuenta", Name::Number),
    ("cuenta", Name::Number),
    ("número da conta", Name::Number),
    ("numero da conta", Name::Number),
    ("conta", Name::Number),
    ("nº da conta", Name::Number),
    ("n° da conta", Name::Number),
    ("nº de conta", Name::Number),
    ("cuenta nº", Name::Number),
    ("cuenta n°", Name::Number),
    ("conta nº", Name::Number),
    ("conta n°", Name::Number),
    ("nambari ya akaunti", Name::Number),
    ("namba ya akaunti", Name::Number),
    ("akaunti", Name::Number),
    ("akaunti na", Name::Number),
    ("bank", Name::Institution),
    ("bank name", Name::Institution),
    ("banque", Name::Institution),
    ("banco", Name::Institution),
    ("benki", Name::Institution),
    ("branch", Name::Branch),
    ("branch name", Name::Branch),
    ("agence", Name::Branch),
    ("sucursal", Name::Branch),
    ("agência", Name::Branch),
    ("agencia", Name::Branch),
    ("tawi", Name::Branch),
    ("currency", Name::Currency),
    ("account currency", Name::Currency),
    ("devise", Name::Currency),
    ("monnaie", Name::Currency),
    ("moneda", Name::Currency),
    ("divisa", Name::Currency),
    ("moeda", Name::Currency),
    ("sarafu", Name::Currency),
    ("statement period", Name::Period),
    ("period", Name::Period),
    ("période", Name::Period),
    ("periode", Name::Period),
    ("periodo", Name::Period),
    ("período", Name::Period),
    ("kipindi", Name::Period),
    ("kipindi cha taarifa", Name::Period),
    ("opening balance", Name::Opening),
    ("beginning balance", Name::Opening),
    ("starting balance", Name::Opening),
    ("start balance", Name::Opening),
    ("saldo de abertura", Name::Opening),
    ("saldo de apertura", Name::Opening),
    ("previous balance", Name::Opening),
    ("balance brought forward", Name::Opening),
    ("balance b/f", Name::Opening),
    ("solde initial", Name::Opening),
    ("solde précédent", Name::Opening),
    ("ancien solde", Name::Opening),
    ("solde d'ouverture", Name::Opening),
    ("saldo anterior", Name::Opening),
    ("saldo inicial", Name::Opening),
    ("salio la kuanzia", Name::Opening),
    ("salio la awali", Name::Opening),
    ("closing balance", Name::Closing),
    ("ending balance", Name::Closing),
    ("end balance", Name::Closing),
    ("saldo de fecho", Name::Closing),
    ("saldo de encerramento", Name::Closing),
    ("saldo atual", Name::Closing),
    ("saldo de cierre", Name::Closing),
    ("new balance", Name::Closing),
    ("balance carried forward", Name::Closing),
    ("balance c/f", Name::Closing),
    ("solde final", Name::Closing),
    ("nouveau solde", Name::Closing),
    ("solde de clôture", Name::Closing),
    ("saldo final", Name::Closing),
    ("saldo actual", Name::Closing),
    ("salio la mwisho", Name::Closing),
    ("salio la kufunga", Name::Closing),
];

/// A known issuer (layouts/issuers.toml).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Issuer {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub currency: Option<String>,
}

#[derive(Deserialize)]
struct IssuerFile {
    issuer: Vec<Issuer>,
}

/// The issuer list, loaded once; a broken file is caught by `the_issuer_list_loads`.
pub fn issuers() -> &'static [Issuer] {
    static LIST: LazyLock<Vec<Issuer>> = LazyLock::new(|| {
        toml::from_str::<IssuerFile>(include_str!("../../layouts/issuers.toml"))
            .map(|f| f.issuer)
            .unwrap_or_default()
    });
    &LIST
}

/// The issuer whose name or alias appears in `text` as whole words (longest first).
pub fn issuer_in(text: &str) -> Option<(&'static Issuer, String)> {
    let lower = text.to_lowercase();
    let mut best: Option<(&Issuer, usize, String)> = None;
    for issuer in issuers() {
        for name in std::iter::once(&issuer.name).chain(&issuer.aliases) {
            let needle = name.to_lowercase();
            let mut from = 0;
            while let Some(at) = lower[from..].find(&needle) {
                let start = from + at;
                let end = start + needle.len();
                let before = lower[..start].chars().next_back();
                let after = lower[end..].chars().next();
                let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
                if boundary(before) && boundary(after) {
                    if best.as_ref().is_none_or(|b| needle.len() > b.1) {
                        best = Some((issuer, needle.len(), name.clone()));
                    }
                    break;
                }
                from = end;
            }
        }
    }
    best.map(|(i, _, n)| (i, n))
}

fn label_at(words: &[String]) -> Option<(Name, usize)> {
    let mut best: Option<(Name, usize)> = None;
    for (label, name) in LABELS {
        let parts: Vec<&str> = label.split_whitespace().collect();
        if parts.len() <= words.len()
            && words.iter().zip(&parts).all(|(w, p)| w == p)
            && best.is_none_or(|(_, n)| parts.len() > n)
        {
            best = Some((*name, parts.len()));
        }
    }
    best
}

/// A label found at the start of a token.
#[derive(Clone, Debug, PartialEq)]
struct Hit {
    name: Name,
    /// What the token prints after the label (its colon and leader dots dropped).
    rest: String,
    /// A one-word label with neither colon nor leader dots ("Cliente", "Tawi"): a label
    /// only with its value beside it on a key/value line.
    bare: bool,
}

/// A run of dots or underscores printed between a label and its value.
fn is_leader_word(w: &str) -> bool {
    w.chars().count() >= 3 && w.chars().all(|c| matches!(c, '.' | '_' | '…' | '·'))
}

/// A token that is only leader dots.
fn is_leader(token: &Token) -> bool {
    token.is_text()
        && !token.text.trim().is_empty()
        && token.text.split_whitespace().all(is_leader_word)
}

fn normalise(w: &str) -> String {
    w.to_lowercase()
        .trim_end_matches([':', '.'])
        .trim_start_matches('(')
        .to_owned()
}

/// The words a label may carry between its own words and its colon ("Conta Corrente :",
/// "Período del extracto:", "Akaunti Na.:"): only fields whose value is checked by its
/// shape (a number, a period, a currency code) take them.
const EXTRA_WORDS: usize = 2;

/// Words that make "Account …:" another field's label ("Account Type:", "Account
/// Balance:"), not the number's.
const OTHER_FIELD_WORDS: &[&str] = &[
    "type", "balance", "currency", "status", "name", "holder", "title", "opened", "open",
    "officer", "manager", "summary", "class", "category", "product", "date", "limit", "tipo",
    "statut", "solde", "saldo", "devise", "moneda", "moeda", "divisa", "titular", "nombre", "nome",
    "fecha", "data", "aina", "salio", "sarafu", "jina", "tarehe",
];

/// Reads a token that opens with a label.
fn label_hit(token: &Token) -> Option<Hit> {
    if !token.is_text() {
        return None;
    }
    let raw: Vec<&str> = token.text.split_whitespace().collect();
    let words: Vec<String> = raw.iter().map(|w| normalise(w)).collect();
    let (mut name, mut n) = label_at(&words)?;
    // Where the label part ends: its colon (a word ending with one, a lone ":") or its
    // leader dots, within the label's reach.
    let mark = raw
        .iter()
        .take(n + EXTRA_WORDS + 1)
        .position(|w| w.ends_with(':') || w.starts_with(':') || is_leader_word(w));
    if let Some(m) = mark {
        let w = raw[m];
        let label_len = if w.ends_with(':') && !w.starts_with(':') {
            m + 1
        } else {
            m
        };
        if label_len < n {
            (name, n) = label_at(&words[..label_len])?;
            if n < label_len {
                return None;
            }
        }
        let extra = label_len - n;
        let checked = matches!(name, Name::Number | Name::Period | Name::Currency);
        let extra_ok = extra == 0
            || (checked
                && extra <= EXTRA_WORDS
                && words[n..label_len].iter().all(|w| {
                    !w.chars().any(|c| c.is_ascii_digit())
                        && !OTHER_FIELD_WORDS.contains(&w.as_str())
                }));
        if !extra_ok {
            return None;
        }
        return Some(Hit {
            name,
            rest: clean_value(&raw[label_len..].join(" ")),
            bare: false,
        });
    }
    let rest = clean_value(&raw[n..].join(" "));
    if n == 1 {
        // A one-word label without colon: the whole token ("Tawi"), or an account label
        // with a number after it ("Compte 29437910").
        if rest.is_empty() {
            return Some(Hit {
                name,
                rest,
                bare: true,
            });
        }
        if name == Name::Number && account_number_like(&rest) {
            return Some(Hit {
                name,
                rest,
                bare: false,
            });
        }
        // A holder label with the name after it in one cell ("Name Thabo Johnson",
        // "Titular Sofía Sánchez"): the rest must read as a name.
        if name == Name::Holder && holder_name_after_word(&rest) {
            return Some(Hit {
                name,
                rest,
                bare: false,
            });
        }
        return None;
    }
    // "Account Name" must be the whole label, not the start of a sentence.
    if rest.split_whitespace().count() > 6 {
        return None;
    }
    Some(Hit {
        name,
        rest,
        bare: false,
    })
}

/// Words after "Customer", "Client" or "Name" that make the cell a heading or a
/// service line ("Customer Care Centre", "Client Services"), not the holder's name.
const NOT_HOLDER_WORDS: &[&str] = &[
    "service",
    "services",
    "care",
    "support",
    "centre",
    "center",
    "relations",
    "relationship",
    "portal",
    "desk",
    "line",
    "helpline",
    "id",
    "number",
    "reference",
    "code",
    "segment",
    "since",
    "copy",
    "advice",
    "notice",
    "services.",
    "servicio",
    "serviço",
    "atendimento",
    "huduma",
];

/// The rest of a one-word holder label's cell that is the holder's name.
fn holder_name_after_word(rest: &str) -> bool {
    name_like(rest)
        && !rest.split_whitespace().any(|w| {
            NOT_HOLDER_WORDS.contains(&w.to_lowercase().trim_matches(|c: char| !c.is_alphabetic()))
        })
}

/// The label at `tokens[i]`; a label with words after it and no colon counts as marked
/// when leader dots follow it ("Conta Corrente | ........ | 724343467348").
fn hit_at(tokens: &[Token], i: usize) -> Option<Hit> {
    let token = &tokens[i];
    label_hit(token).or_else(|| {
        if !tokens.get(i + 1).is_some_and(is_leader) || token.text.trim_end().ends_with(':') {
            return None;
        }
        let mut marked = token.clone();
        marked.text = format!("{}:", token.text.trim_end());
        label_hit(&marked)
    })
}

/// A row of column titles over a row of values ("Customer | IBAN | Branch" over "Mrs Zoë
/// Mensah | GB29 … | Accra"), labels with or without colons, some titles no known label
/// ("CIF No"): each title short and wordy, at least one a known label, no label with
/// its value beside it, and the next line printing a value under every title and no
/// label of its own.
fn label_row(line: &DocLine, next: Option<&&DocLine>, after: Option<&&DocLine>) -> bool {
    let Some(next) = next else {
        return false;
    };
    if next.page != line.page
        || next.y() - line.y() > 2.6 * line.size()
        || line.tokens.len() < 2
        || next.tokens.is_empty()
    {
        return false;
    }
    let title = |t: &Token| {
        t.is_text()
            && t.text.split_whitespace().count() <= 4
            && !t.text.chars().any(|c| c.is_ascii_digit())
    };
    if !line.tokens.iter().all(title) {
        return false;
    }
    let hits: Vec<Option<Hit>> = line.tokens.iter().map(label_hit).collect();
    // Two cells with one label may be a key/value pair ("Account Name | Amaka Sharma").
    let labels = hits.iter().flatten().filter(|h| h.rest.is_empty()).count();
    if labels == 0 || labels < 2 && line.tokens.len() < 3 {
        return false;
    }
    for (i, h) in hits.iter().enumerate() {
        let Some(h) = h else { continue };
        if !h.rest.is_empty() {
            return false;
        }
        // "Customer: | John Smith": a colon's label followed by plain text is a pair.
        if line.tokens[i].text.trim_end().ends_with(':')
            && hits.get(i + 1).is_some_and(Option::is_none)
        {
            return false;
        }
    }
    if next.tokens.iter().any(|t| label_hit(t).is_some()) {
        return false;
    }
    // A grid of key/value lines: the line after the next prints a label in one of this
    // line's label columns.
    if let Some(after) = after
        && after.page == next.page
        && after.y() - next.y() <= 2.6 * next.size()
        && after.tokens.iter().any(|a| {
            label_hit(a).is_some()
                && line
                    .tokens
                    .iter()
                    .zip(&hits)
                    .any(|(t, h)| h.is_some() && (a.x0 - t.x0).abs() <= 3.0)
        })
    {
        return false;
    }
    line.tokens.iter().all(|t| {
        next.tokens
            .iter()
            .any(|v| v.x0 < t.x1 + 2.0 && v.x1 > t.x0 - 2.0)
    })
}

/// A value's text without its leading colon and its leader dots.
fn clean_value(text: &str) -> String {
    let words: Vec<&str> = text
        .trim()
        .trim_start_matches([':', '-', '–', ' '])
        .split_whitespace()
        .collect();
    let start = words.iter().take_while(|w| is_leader_word(w)).count();
    let end = words.len()
        - words[start..]
            .iter()
            .rev()
            .take_while(|w| is_leader_word(w))
            .count();
    words[start..end]
        .join(" ")
        .trim_start_matches([':', ' '])
        .trim()
        .to_owned()
}

/// Splits a token's text into (label, rest) when it opens with a label.
fn split_label(token: &Token) -> Option<(Name, String)> {
    label_hit(token)
        .filter(|h| !h.bare)
        .map(|h| (h.name, h.rest))
}

/// The kinds of account-identity labels a line prints (holder, number, period, currency,
/// branch), for finding where a second account's header starts.
pub fn identity_labels(line: &DocLine) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = line
        .tokens
        .iter()
        .filter_map(split_label)
        .filter_map(|(name, _)| match name {
            Name::Holder => Some("holder"),
            Name::Number => Some("number"),
            Name::Period => Some("period"),
            Name::Currency => Some("currency"),
            Name::Branch => Some("branch"),
            _ => None,
        })
        .collect();
    out.dedup();
    out
}

/// Whether the line opens with a header-field label ("Saldo inicial", "Account No:"):
/// such a line inside a table's region is still a header field, not a row.
pub fn opens_with_label(line: &DocLine) -> bool {
    line.tokens
        .first()
        .is_some_and(|t| split_label(t).is_some())
}

fn value_text(token: &Token) -> String {
    clean_value(&token.text)
}

fn is_label_token(token: &Token) -> bool {
    split_label(token).is_some_and(|(_, rest)| rest.is_empty())
}

/// A token that names another field: a known label, or any text ending with a colon.
fn ends_a_value(token: &Token, name: Name) -> bool {
    if label_hit(token).is_some_and(|h| !h.bare || name != Name::Period) {
        return true;
    }
    name != Name::Period && token.is_text() && token.text.trim_end().ends_with(':')
}

/// A group of an account number printed apart from the rest ("5611 | 1763 | 03").
fn is_number_group(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty()
        && t.chars().count() <= 8
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '*' | 'X' | 'x' | '•'))
        && t.chars().any(|c| c.is_ascii_digit())
}

/// The value of a label from the tokens printed after it: the first, or for a number its
/// groups printed close together, or for a period all of them.
fn join_value(
    name: Name,
    first: Option<String>,
    prev_x1: f32,
    tokens: &[&Token],
) -> Option<String> {
    let mut parts: Vec<String> = first.into_iter().filter(|s| !s.is_empty()).collect();
    match name {
        Name::Period | Name::Currency => parts.extend(tokens.iter().map(|t| value_text(t))),
        Name::Number => {
            // Groups printed apart join when close together: after the label's own text
            // (`prev_x1` is where the label's token ends) or the previous group.
            let mut last_x1 = prev_x1;
            for t in tokens {
                let close = t.x0 - last_x1 < 1.5 * t.size.max(1.0);
                let joins = close
                    && is_number_group(&t.text)
                    && parts
                        .last()
                        .is_some_and(|p| p.split_whitespace().last().is_some_and(is_number_group));
                if !parts.is_empty() && !joins {
                    break;
                }
                parts.push(value_text(t));
                last_x1 = t.x1;
            }
        }
        _ => {
            if parts.is_empty()
                && let Some(t) = tokens.first()
            {
                parts.push(value_text(t));
            }
        }
    }
    let v = parts.join(" ");
    (!v.is_empty()).then_some(v)
}

/// Reads the header fields from `lines` (the lines outside the transaction rows).
pub fn read(lines: &[&DocLine], info: &PdfInfo, order: DayMonth) -> HeaderFields {
    let mut out = HeaderFields::default();
    for (k, line) in lines.iter().enumerate() {
        let stacked = label_row(line, lines.get(k + 1), lines.get(k + 2));
        for (i, token) in line.tokens.iter().enumerate() {
            let Some(hit) = hit_at(&line.tokens, i) else {
                continue;
            };
            let name = hit.name;
            // A bare one-word label opens a key/value pair only at the start of the line
            // or after another pair's value (or titles a column of a label row), and
            // never for the bank (a logo's "BANK").
            if hit.bare
                && (name == Name::Institution
                    || !stacked
                        && i > 0
                        && label_hit(&line.tokens[i - 1]).is_some_and(|h| h.rest.is_empty()))
            {
                continue;
            }
            if stacked {
                below_label(&mut out, lines, k, i, &hit, order);
                continue;
            }
            let after: Vec<&Token> = line.tokens[i + 1..]
                .iter()
                .filter(|t| !is_leader(t))
                .take_while(|t| !ends_a_value(t, name))
                .collect();
            let first_token = (hit.rest.is_empty())
                .then(|| after.first().copied())
                .flatten();
            let beside = if hit.rest.is_empty() {
                join_value(name, None, token.x1, &after)
            } else {
                join_value(name, Some(hit.rest.clone()), token.x1, &after)
            };
            if name == Name::Period
                && out.period.is_none()
                && let Some(p) = period_of_tokens(&after, order)
            {
                out.period = Some(Field {
                    value: p,
                    found: Found::Beside,
                });
                continue;
            }
            // A bare holder label's value must read as a name.
            if hit.bare && name == Name::Holder && !beside.as_deref().is_some_and(name_like) {
                continue;
            }
            if let Some(value) = &beside
                && store(
                    &mut out,
                    name,
                    value,
                    first_token,
                    Found::Beside,
                    line,
                    lines.get(k + 1),
                    order,
                )
            {
                continue;
            }
            if hit.bare || !hit.rest.is_empty() || !after.is_empty() {
                continue;
            }
            below_label(&mut out, lines, k, i, &hit, order);
        }
    }
    if out.account_holder.is_none()
        && let Some(name) = address_holder(lines)
    {
        out.account_holder = Some(Field {
            value: name,
            found: Found::Text,
        });
    }
    // A period printed as a sentence ("12 Feb - 11 Mar 2024", "From … To …").
    if out.period.is_none() {
        for (k, line) in lines.iter().enumerate() {
            let text = line.line.text();
            let found = dates::find_period(&text, order).or_else(|| {
                let next = lines.get(k + 1)?;
                (next.page == line.page)
                    .then(|| dates::find_period(&format!("{text} {}", next.line.text()), order))
                    .flatten()
            });
            if let Some(p) = found {
                out.period = Some(Field {
                    value: p,
                    found: Found::Text,
                });
                break;
            }
        }
    }
    if out.institution.is_none() {
        // A line naming a bank near the top, else anywhere (a footer's "… Bank N.A. -
        // Member of …"), else a known issuer on a line of its own, else the metadata.
        let top = lines
            .iter()
            .take(40)
            .find_map(|l| bank_name_in(&l.line.text()));
        let anywhere = || lines.iter().find_map(|l| bank_name_in(&l.line.text()));
        // Then a logo line of a "Crédit …" bank near the top, then a bank named as a
        // sentence's subject or object ("© Banque Riviera. All rights reserved.",
        // "Issued by Coastal Savings Bank", "Upendo Bank is regulated by …").
        let logo = || {
            lines
                .iter()
                .take(15)
                .find_map(|l| credit_logo(&l.line.text()))
        };
        let sentence = || lines.iter().find_map(|l| bank_in_sentence(&l.line.text()));
        if let Some(name) = top.or_else(anywhere).or_else(logo).or_else(sentence) {
            out.institution = Some(Field {
                value: name,
                found: Found::Text,
            });
        } else if let Some(name) = lines
            .iter()
            .take(60)
            .find_map(|l| issuer_line(&l.line.text()))
        {
            out.institution = Some(Field {
                value: name,
                found: Found::IssuerList,
            });
        } else if let Some(meta) = [&info.author, &info.title, &info.subject]
            .into_iter()
            .flatten()
            .find(|m| names_a_bank(m) || issuer_in(m).is_some())
        {
            out.institution = Some(Field {
                value: meta.trim().to_owned(),
                found: Found::Metadata,
            });
        }
    }
    out
}

/// Reads the value printed under the label at `lines[k].tokens[i]`: the tokens of the
/// next line within the label's column.
fn below_label(
    out: &mut HeaderFields,
    lines: &[&DocLine],
    k: usize,
    i: usize,
    hit: &Hit,
    order: DayMonth,
) {
    let (line, name) = (lines[k], hit.name);
    let token = &line.tokens[i];
    let Some(next) = lines.get(k + 1) else {
        return;
    };
    if next.page != line.page || next.y() - line.y() > 2.6 * line.size() {
        return;
    }
    let limit = line.tokens[i + 1..]
        .iter()
        .find(|t| !is_leader(t))
        .map_or(f32::INFINITY, |t| t.x0 - 2.0);
    let Some(start) = next
        .tokens
        .iter()
        .position(|t| t.x0 < token.x1 + 2.0 && t.x1 > token.x0 - 2.0 && !is_label_token(t))
    else {
        return;
    };
    let below: Vec<&Token> = next.tokens[start..]
        .iter()
        .take_while(|t| t.x0 < limit && !ends_a_value(t, name))
        .collect();
    if name == Name::Period
        && out.period.is_none()
        && let Some(p) = period_of_tokens(&below, order)
    {
        out.period = Some(Field {
            value: p,
            found: Found::Below,
        });
        return;
    }
    let Some(value) = join_value(name, None, f32::INFINITY, &below) else {
        return;
    };
    // A bare title's holder must read as a name.
    if hit.bare && name == Name::Holder && !name_like(&value) {
        return;
    }
    store(
        out,
        name,
        &value,
        below.first().copied(),
        Found::Below,
        line,
        None,
        order,
    );
}

/// The bank a line names: the whole line ("Meridian Trust Bank"), or its part before a
/// dash or bar ("Summit Bank N.A. - Member of the Deposit Protection Fund").
fn bank_name_in(text: &str) -> Option<String> {
    let text = text.trim();
    if names_a_bank(text) && clean_name(text) {
        return Some(text.to_owned());
    }
    let cut = [" - ", " – ", " — ", " | ", " · "]
        .iter()
        .filter_map(|sep| text.find(sep))
        .min()?;
    let head = text[..cut].trim();
    (names_a_bank(head) && clean_name(head)).then(|| head.to_owned())
}

/// Lowercase words a bank's name may hold between its capitalised words ("Bank of
/// Baroda", "Banco do Brasil", "Caisse des Dépôts").
const BANK_PARTICLES: &[&str] = &[
    "of", "de", "du", "des", "da", "do", "das", "dos", "del", "la", "le", "y", "e", "&", "and",
    "et", "-", "ya", "wa", "za",
];

/// Lowercase company suffixes that may end a bank's name ("Barclays Bank plc").
const COMPANY_SUFFIXES: &[&str] = &["plc", "ltd", "ltd.", "limited", "inc", "inc.", "s.a.", "sa"];

/// A word printed capitalised ("Banque", "BAOBAB", "N.A.", "d'Épargne").
fn capitalised(word: &str) -> bool {
    let w = match word.char_indices().nth(1) {
        Some((at, '\'' | '’')) => &word[at + 1..],
        _ => word,
    };
    w.chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(char::is_uppercase)
        && w.chars().next().is_some_and(char::is_alphabetic)
}

/// A text that is a name as printed: every word capitalised, a particle or a company
/// suffix; or a name printed all in lowercase (a logo's "banco do brasil").
fn clean_name(text: &str) -> bool {
    if !text.chars().any(char::is_uppercase) {
        return true;
    }
    text.split_whitespace().all(|w| {
        capitalised(w)
            || BANK_PARTICLES.contains(&w)
            || COMPANY_SUFFIXES.contains(&w.to_lowercase().as_str())
    })
}

/// Words that name a regulator, not the issuer ("the Central Bank", "Reserve Bank").
const REGULATOR_WORDS: &[&str] = &["central", "centrale", "reserve", "réserve"];

/// Words before a bank's name that make it the regulator or an insurer ("regulated by
/// the Bank of Ghana", "member of …").
const REGULATED_WORDS: &[&str] = &[
    "regulated",
    "licensed",
    "supervised",
    "authorised",
    "authorized",
    "insured",
    "member",
    "membre",
    "regulado",
    "regulada",
    "supervisado",
    "supervisionado",
    "autorizado",
    "agréé",
    "agréée",
    "réglementé",
    "the",
];

/// The bank a sentence names: a run of capitalised words (with particles and a company
/// suffix) that names a bank, the first one not the regulator ("© Banque Riviera. All
/// rights reserved." → "Banque Riviera"; "Issued by BANQUE BAOBAB" → "BANQUE BAOBAB";
/// "Banco Mirador is regulated by the Central Bank." → "Banco Mirador").
fn bank_in_sentence(text: &str) -> Option<String> {
    // A sentence: a lowercase word ("by", "is") or a copyright sign; not a heading
    // ("BANK Overview 2024").
    let sentence = text.contains('©')
        || text.split_whitespace().any(|w| {
            w.chars().all(|c| c.is_alphabetic() || c == '.')
                && w.chars().any(char::is_lowercase)
                && !w.chars().any(char::is_uppercase)
        });
    if !sentence {
        return None;
    }
    let mut runs: Runs = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let mut before: Vec<&str> = Vec::new();
    type Runs<'a> = Vec<(Vec<&'a str>, Vec<&'a str>)>;
    fn flush<'a>(run: &mut Vec<&'a str>, before: &mut [&'a str], runs: &mut Runs<'a>) {
        while run.last().is_some_and(|w| BANK_PARTICLES.contains(w)) {
            run.pop();
        }
        if !run.is_empty() {
            runs.push((std::mem::take(run), before.to_vec()));
        }
    }
    for raw in text.split_whitespace() {
        let w = raw
            .trim_start_matches(['(', '"', '“'])
            .trim_end_matches([',', ';', ':', ')', '"', '”']);
        // A sentence's full stop ends the run; an abbreviation's dots ("N.A.") stay.
        let (w, ends) = match w.strip_suffix('.') {
            Some(head) if !head.contains('.') && head.chars().count() > 1 => (head, true),
            _ => (w, false),
        };
        let digits = w.chars().any(|c| c.is_ascii_digit());
        let lower = w.to_lowercase();
        let joins = !digits
            && (capitalised(w)
                || !run.is_empty()
                    && (BANK_PARTICLES.contains(&w) || COMPANY_SUFFIXES.contains(&lower.as_str())));
        if joins {
            run.push(w);
        } else {
            flush(&mut run, &mut before, &mut runs);
            before.push(raw);
        }
        if ends {
            flush(&mut run, &mut before, &mut runs);
        }
    }
    flush(&mut run, &mut before, &mut runs);
    runs.into_iter().find_map(|(words, before)| {
        let name = words.join(" ");
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let regulator = lower.iter().any(|w| REGULATOR_WORDS.contains(&w.as_str()))
            || before
                .iter()
                .rev()
                .take(3)
                .any(|w| REGULATED_WORDS.contains(&w.to_lowercase().as_str()));
        let bank = names_a_bank(&name) || credit_logo(&name).is_some();
        (words.len() >= 2 && !regulator && bank).then_some(name)
    })
}

/// Second words that make "Credit …" a heading, not a bank ("Credit Interest").
const NOT_CREDIT_BANK: &[&str] = &[
    "card",
    "cards",
    "limit",
    "interest",
    "interests",
    "balance",
    "note",
    "notes",
    "transfer",
    "transfers",
    "advice",
    "memo",
    "line",
    "score",
    "report",
    "facility",
    "total",
    "totals",
    "amount",
    "amounts",
    "entries",
    "entry",
    "summary",
    "side",
    "transactions",
    "details",
    "union",
    "reçu",
    "reçus",
    "recu",
    "recus",
    "en",
    "au",
    "de",
    "du",
    "des",
    "à",
];

/// A logo line naming a "Crédit …" bank ("Crédit Plateau", "CRÉDIT RIVIERA"): two to
/// four capitalised words after "Crédit", no title or column words.
fn credit_logo(text: &str) -> Option<String> {
    let text = text.trim();
    let words: Vec<&str> = text.split_whitespace().collect();
    if !(2..=4).contains(&words.len()) || text.chars().any(|c| c.is_ascii_digit() || c == ':') {
        return None;
    }
    let first = words[0].to_lowercase();
    let second = words[1].to_lowercase();
    let ok = matches!(first.as_str(), "crédit" | "credit")
        && !NOT_CREDIT_BANK.contains(&second.as_str())
        && words
            .iter()
            .all(|w| capitalised(w) || BANK_PARTICLES.contains(w))
        && capitalised(words[words.len() - 1])
        && !text.split_whitespace().any(|w| {
            let w = w.to_lowercase();
            NOT_NAME_WORDS.contains(&w.as_str())
                || ["total", "totals", "débit", "debit"].contains(&w.as_str())
        });
    ok.then(|| text.to_owned())
}

/// A known issuer named on a line that is little more than its name (not an issuer's
/// name inside a transaction's description: "MPESA PAYBILL 923650 …").
fn issuer_line(text: &str) -> Option<String> {
    if text.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let (_, name) = issuer_in(text)?;
    (text.split_whitespace().count() <= name.split_whitespace().count() + 3).then_some(name)
}

/// How far below a line (in its font sizes) the next line of the same block starts.
const BLOCK_GAP: f32 = 2.0;

/// The holder printed unlabelled as the first line of an address block: a name line
/// followed, at the same left edge and a line apart, by a street or post-box line.
fn address_holder(lines: &[&DocLine]) -> Option<String> {
    for (k, pair) in lines.windows(2).enumerate().take(40) {
        let (line, street) = (pair[0], pair[1]);
        let Some(first) = line.tokens.first() else {
            continue;
        };
        let dy = street.y() - line.y();
        if street.page != line.page || dy <= 0.0 || dy > BLOCK_GAP * line.size() {
            continue;
        }
        if !first.is_text() || !name_like(&first.text) {
            continue;
        }
        // The block's part of the street line: its tokens from the same left edge, up to
        // a column gap.
        let Some(s0) = street
            .tokens
            .iter()
            .position(|t| (t.x0 - first.x0).abs() <= 3.0)
        else {
            continue;
        };
        if s0 > 0 {
            continue;
        }
        let mut block: Vec<&Token> = vec![&street.tokens[0]];
        for t in &street.tokens[1..] {
            let last = block[block.len() - 1];
            if t.x0 - last.x1 > 2.0 * t.size.max(1.0) {
                break;
            }
            block.push(t);
        }
        if !street_like(&block) {
            continue;
        }
        // A second name-like line just above, at the same edge: which one is the
        // holder is unclear.
        if let Some(above) = k.checked_sub(1).map(|a| lines[a])
            && above.page == line.page
            && line.y() - above.y() <= BLOCK_GAP * line.size()
            && above
                .tokens
                .first()
                .is_some_and(|t| (t.x0 - first.x0).abs() <= 3.0 && name_like(&t.text))
        {
            return None;
        }
        return Some(first.text.trim().to_owned());
    }
    None
}

/// Words that make a line a heading or a label, not a person's or a company's name.
const NOT_NAME_WORDS: &[&str] = &[
    "statement",
    "statements",
    "account",
    "accounts",
    "activity",
    "summary",
    "details",
    "transactions",
    "transaction",
    "history",
    "balance",
    "period",
    "page",
    "date",
    "customer",
    "report",
    "information",
    "e-statement",
    "estatement",
    "extrait",
    "relevé",
    "releve",
    "compte",
    "comptes",
    "opérations",
    "estado",
    "cuenta",
    "extracto",
    "movimientos",
    "extrato",
    "conta",
    "movimentos",
    "taarifa",
    "akaunti",
    "miamala",
    "muhtasari",
    "to",
    "from",
    "dear",
];

/// Lowercase words a name may hold ("Emily Van der Merwe", "Maria da Silva").
const NAME_PARTICLES: &[&str] = &[
    "van", "der", "den", "de", "da", "das", "do", "dos", "du", "del", "della", "la", "le", "von",
    "bin", "binti", "al", "el", "y", "e", "&", "and",
];

/// A line that reads as a person's or a company's name: two to six words, each
/// capitalised (or a particle), letters only.
fn name_like(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() < 2 || words.len() > 6 {
        return false;
    }
    if !text
        .chars()
        .all(|c| c.is_alphabetic() || matches!(c, ' ' | '.' | '\'' | '’' | '-' | '&'))
    {
        return false;
    }
    if names_a_bank(text) {
        return false;
    }
    let mut capitalised = 0;
    for w in &words {
        let lower = w.to_lowercase();
        let bare = lower.trim_matches(|c: char| !c.is_alphabetic());
        if NOT_NAME_WORDS.contains(&bare) {
            return false;
        }
        if w.chars().next().is_some_and(char::is_uppercase) {
            capitalised += 1;
        } else if !NAME_PARTICLES.contains(&lower.as_str()) {
            return false;
        }
    }
    capitalised >= 2
}

static PO_BOX: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)^(?:p\.?\s?o\.?\s*box|post\s+office\s+box|private\s+bag|b\.?\s?p\.?|s\.?\s?l\.?\s?p\.?|apartado(?:\s+postal)?|caixa\s+postal|casilla|postfach|bo[iî]te\s+postale)\s*[:.]?\s*\d+",
    )
    .expect("post-box pattern")
});

/// Words that name a street.
const STREET_WORDS: &[&str] = &[
    "street",
    "st",
    "road",
    "rd",
    "avenue",
    "ave",
    "lane",
    "ln",
    "drive",
    "dr",
    "way",
    "close",
    "crescent",
    "court",
    "boulevard",
    "blvd",
    "place",
    "square",
    "highway",
    "terrace",
    "rue",
    "avenida",
    "av",
    "calle",
    "carrera",
    "rua",
    "travessa",
    "estrada",
    "barabara",
    "mtaa",
    "plot",
    "house",
    "floor",
    "estate",
];

/// The part of a line that reads as a street address: a house number before a few
/// words ("952 Main Street"), a street word with a number ("Rua das Flores 12"), or a
/// post box ("P.O. Box 60006").
fn street_like(tokens: &[&Token]) -> bool {
    if tokens.iter().any(|t| t.is_date()) {
        return false;
    }
    let text = tokens
        .iter()
        .map(|t| t.text.trim())
        .collect::<Vec<_>>()
        .join(" ");
    if PO_BOX.is_match(&text) {
        return true;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() < 2 || words.len() > 7 || text.contains(':') {
        return false;
    }
    let house = |w: &str| {
        let w = w.trim_end_matches(',');
        let digits = w.chars().take_while(char::is_ascii_digit).count();
        (1..=5).contains(&digits)
            && w.chars().skip(digits).all(char::is_alphabetic)
            && w.len() <= digits + 1
    };
    let wordy =
        |w: &&str| w.chars().any(char::is_alphabetic) && !w.chars().any(|c| c.is_ascii_digit());
    if house(words[0]) && words[1..].iter().all(wordy) && words.len() <= 5 {
        return true;
    }
    let street_word = words.iter().any(|w| {
        let lower = w.to_lowercase();
        STREET_WORDS.contains(&lower.trim_matches(|c: char| !c.is_alphabetic()))
    });
    street_word && words.iter().any(|w| house(w)) && words.iter().filter(|w| wordy(w)).count() >= 2
}

/// A short line whose words name a bank ("Meridian Trust Bank", "Banco Atlântico"):
/// the issuer's name as printed.
fn names_a_bank(text: &str) -> bool {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| {
            w.to_lowercase()
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_owned()
        })
        .collect();
    if words.is_empty()
        || words.len() > 7
        || text.contains(':')
        || text.bytes().any(|b| b.is_ascii_digit())
    {
        return false;
    }
    const BANK_WORDS: &[&str] = &[
        "bank",
        "banque",
        "banco",
        "benki",
        "bancorp",
        "bancorporation",
        "banca",
        "caisse",
        "caja",
        "caixa",
        "sacco",
        "microfinance",
    ];
    // A title or a description that mentions a bank ("Bank Statement", "Transfer to
    // bank") is no bank's name.
    const NOT_BANK_WORDS: &[&str] = &[
        "statement",
        "statements",
        "account",
        "accounts",
        "extrait",
        "relevé",
        "releve",
        "estado",
        "extracto",
        "extrato",
        "taarifa",
        "compte",
        "cuenta",
        "conta",
        "akaunti",
        "transfer",
        "transferencia",
        "deposit",
        "payment",
        "charges",
        "fee",
        "fees",
        "to",
        "from",
        "via",
        "kwa",
        "details",
    ];
    if words.iter().any(|w| NOT_BANK_WORDS.contains(&w.as_str())) {
        return false;
    }
    let lower = text.to_lowercase();
    words.iter().any(|w| BANK_WORDS.contains(&w.as_str()))
        || [
            "credit union",
            "building society",
            "savings and loan",
            "crédit mutuel",
        ]
        .iter()
        .any(|p| lower.contains(p))
}

/// Stores a labelled value in its field when the field is still empty and the value has
/// the field's shape; whether it did.
#[allow(clippy::too_many_arguments)]
fn store(
    out: &mut HeaderFields,
    name: Name,
    value: &str,
    token: Option<&Token>,
    found: Found,
    line: &DocLine,
    next: Option<&&DocLine>,
    order: DayMonth,
) -> bool {
    let field = |v: String| Some(Field { value: v, found });
    match name {
        Name::Holder if out.account_holder.is_none() && holder_like(value) => {
            out.account_holder = field(value.to_owned());
        }
        Name::Number if out.account_number.is_none() => {
            // An account number has digits or a mask; "Account Summary" is no number, and
            // neither is an amount or a date.
            if token.is_some_and(Token::is_date) || !account_number_like(value) {
                return false;
            }
            out.account_number = field(value.to_owned());
        }
        Name::Institution if out.institution.is_none() => {
            if value.chars().any(|c| c.is_ascii_digit()) || !value.chars().any(char::is_alphabetic)
            {
                return false;
            }
            out.institution = field(value.to_owned());
        }
        Name::Branch if out.branch.is_none() => out.branch = field(value.to_owned()),
        Name::Currency if out.currency.is_none() => {
            let code = value
                .split(|c: char| !c.is_alphabetic())
                .find(|w| {
                    w.len() == 3
                        && w.chars().all(|c| c.is_ascii_uppercase())
                        && statera_model::Currency::parse(w).is_ok()
                })
                .map(str::to_owned)
                .or_else(|| {
                    crate::money::scan(&format!("{value} 1"))
                        .and_then(|m| m.currency())
                        .map(str::to_owned)
                });
            match code {
                Some(code) => out.currency = field(code),
                None => return false,
            }
        }
        Name::Period if out.period.is_none() => {
            let value = &drop_word_colons(value);
            let with_next = next
                .filter(|n| n.page == line.page)
                .map(|n| format!("{value} {}", drop_word_colons(&n.line.text())));
            let p = dates::find_period(value, order)
                .or_else(|| with_next.and_then(|t| dates::find_period(&t, order)));
            match p {
                Some(p) => out.period = Some(Field { value: p, found }),
                None => return false,
            }
        }
        Name::Opening | Name::Closing => {
            let shape = token
                .and_then(|t| t.money().cloned())
                .or_else(|| crate::money::scan(value));
            // In a document of whole-number amounts a bare integer after a balance label
            // is the balance ("Salio la Kuanzia | 21175235").
            let Some(shape) =
                shape.filter(|m| m.is_unmistakable() || line.whole_numbers && whole_number(value))
            else {
                return false;
            };
            let slot = if name == Name::Opening {
                &mut out.opening
            } else {
                &mut out.closing
            };
            if slot.is_none() {
                *slot = Some(Field {
                    value: shape,
                    found,
                });
            }
        }
        _ => return false,
    }
    true
}

/// A bare whole number as printed: digits, perhaps a leading minus, at most 12 digits.
fn whole_number(value: &str) -> bool {
    let v = value.trim();
    let digits = v.strip_prefix('-').unwrap_or(v);
    !digits.is_empty() && digits.len() <= 12 && digits.chars().all(|c| c.is_ascii_digit())
}

/// A period from two dates printed as tokens with at most a word between them
/// ("Desde | 24 mar. 2025 | hasta | 23 abr. 2025"), for range words the sentence reader
/// does not know. Both dates print their year; the start is not after the end.
fn period_of_tokens(
    tokens: &[&Token],
    order: DayMonth,
) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
    let at: Vec<usize> = tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| t.is_date())
        .map(|(i, _)| i)
        .collect();
    let [a, b] = at[..] else {
        return None;
    };
    let between = &tokens[a + 1..b];
    if between.len() > 1
        || between.iter().any(|t| {
            t.text.split_whitespace().count() > 2 || t.text.chars().any(|c| c.is_ascii_digit())
        })
    {
        return None;
    }
    let none = dates::YearContext::default();
    let start = tokens[a].date()?.resolve(order, &none)?;
    let end = tokens[b].date()?.resolve(order, &none)?;
    (start <= end && (end - start).num_days() <= 400).then_some((start, end))
}

/// The text with the colons after words dropped ("From: 1 May To: 31 May"): the period
/// reader takes "To" but not "To:" between two dates. Colons between digits (times) stay.
fn drop_word_colons(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut prev: Option<char> = None;
    for c in text.chars() {
        if c == ':' && prev.is_some_and(char::is_alphabetic) {
            prev = Some(c);
            continue;
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

/// A holder's name as a label's value: letters, no digits, not another label's words.
fn holder_like(value: &str) -> bool {
    value.chars().any(char::is_alphabetic)
        && !value.chars().any(|c| c.is_ascii_digit())
        && !value.trim_end().ends_with(':')
        && value.split_whitespace().count() <= 8
}

/// An account number as printed: digit groups with spaces, dashes or slashes, a mask
/// (`****3797`, `XXXX-1234`, `...3653`), an IBAN; not an amount, a date or words.
fn account_number_like(value: &str) -> bool {
    let v = value.trim();
    let digits = v.chars().filter(char::is_ascii_digit).count();
    if digits < 3 || v.contains(',') || v.split_whitespace().count() > 9 {
        return false;
    }
    if DATE_LIKE.is_match(v) || AMOUNT_LIKE.is_match(v) {
        return false;
    }
    let compact: String = v.chars().filter(|c| !c.is_whitespace()).collect();
    // Letters: a mask's X, or a short prefix (an IBAN's country code, a branch code).
    let lead = compact
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .count();
    compact.chars().enumerate().all(|(i, c)| {
        c.is_ascii_digit()
            || matches!(c, '*' | '•' | '-' | '/' | '.' | '#')
            || ((c == 'X' || c == 'x') && digits >= 3)
            || (c.is_ascii_alphabetic() && i < lead && lead <= 4)
    })
}

static DATE_LIKE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}$").expect("date-like pattern")
});
static AMOUNT_LIKE: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"^-?\d+\.\d{2}$").expect("amount-like pattern"));

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::{PageText, PdfText};
    use crate::reader::{regions, tokens};
    use crate::text::{Line, Word};

    /// A line at `y` printing each `(x, text)` cell, its words 5pt a character apart.
    fn line(y: f32, cells: &[(f32, &str)]) -> Line {
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
            number: 0,
            y,
            size: 10.0,
            words,
        }
    }

    /// Reads the header fields of one page printing `rows` (y, cells), 14pt apart.
    fn fields_of(rows: &[&[(f32, &str)]]) -> HeaderFields {
        let lines: Vec<Line> = rows
            .iter()
            .enumerate()
            .map(|(k, cells)| line(50.0 + 14.0 * k as f32, cells))
            .collect();
        let pdf = PdfText {
            pages: vec![PageText {
                number: 1,
                lines,
                ..PageText::default()
            }],
            ..PdfText::default()
        };
        let doc = regions::doc_lines(&pdf);
        let refs: Vec<&DocLine> = doc.iter().collect();
        read(&refs, &PdfInfo::default(), DayMonth::DayFirst)
    }

    type Row<'a> = &'a [(f32, &'a str)];
    type Period = Option<(chrono::NaiveDate, chrono::NaiveDate)>;
    /// Lines, then the holder, number and period read from them.
    type Case<'a> = (&'a [Row<'a>], Option<&'a str>, Option<&'a str>, Period);

    #[test]
    fn labels_with_colons_leaders_and_extra_words() {
        // (cells of one line, the label read, the value after it in the same token)
        let cases: &[(&str, Option<(Name, &str)>)] = &[
            (
                "Name : Oluwaseun Patel",
                Some((Name::Holder, "Oluwaseun Patel")),
            ),
            ("IBAN :", Some((Name::Number, ""))),
            ("Akaunti Na.:", Some((Name::Number, ""))),
            ("Kipindi :", Some((Name::Period, ""))),
            ("Conta Corrente :", Some((Name::Number, ""))),
            ("Período del extracto:", Some((Name::Period, ""))),
            ("Customer Name ......", Some((Name::Holder, ""))),
            ("Compte 29437910", Some((Name::Number, "29437910"))),
            ("Account Type: Savings", None),
            ("Customer Type: Individual", None),
            ("Account Summary", None),
            ("BANK", None),
        ];
        for (text, want) in cases {
            let l = line(50.0, &[(40.0, text)]);
            let token = &tokens::tokenize(&l)[0];
            let got = split_label(token);
            assert_eq!(got.as_ref().map(|(n, r)| (*n, r.as_str())), *want, "{text}");
        }
    }

    #[test]
    fn account_numbers_as_printed() {
        let cases: &[(&str, bool)] = &[
            ("64600734608360", true),
            ("5438 0398", true),
            ("**** **** 7679", true),
            ("XXXX-XXXX-5116", true),
            ("...3653", true),
            ("****3797", true),
            ("738-809295-9", true),
            ("GB29 6308 1901 6787 1864 0322", true),
            ("1,234.56", false),
            ("1234.56", false),
            ("12/03/2024", false),
            ("Savings", false),
            ("Fixed Deposit", false),
            ("Kampala 705", false),
            ("12", false),
        ];
        for (value, want) in cases {
            assert_eq!(account_number_like(value), *want, "{value}");
        }
    }

    #[test]
    fn values_beside_below_and_after_leaders() {
        use chrono::NaiveDate;
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        // (lines, holder, number, period)
        let cases: &[Case] = &[
            // Dotted leaders between label and value; a one-word label without colon.
            (
                &[
                    &[
                        (30.0, "Cliente"),
                        (90.0, "........"),
                        (170.0, "Bw. Fernanda Silva"),
                    ],
                    &[
                        (30.0, "Nº de cuenta"),
                        (90.0, "........"),
                        (170.0, "5611"),
                        (195.0, "1763"),
                        (220.0, "03"),
                    ],
                ],
                Some("Bw. Fernanda Silva"),
                Some("5611 1763 03"),
                None,
            ),
            // A lone colon after the label; dates as tokens with a range word the
            // sentence reader does not know.
            (
                &[
                    &[(40.0, "IBAN :"), (150.0, "GB2932129433852273208476")],
                    &[
                        (40.0, "Periodo :"),
                        (140.0, "Desde"),
                        (180.0, "24/03/2025"),
                        (240.0, "hasta"),
                        (280.0, "23/04/2025"),
                    ],
                ],
                None,
                Some("GB2932129433852273208476"),
                Some((d(2025, 3, 24), d(2025, 4, 23))),
            ),
            // Stacked: labels over values, each value within its label's column; a label
            // ending with a colon is never another label's value.
            (
                &[
                    &[
                        (26.0, "Account name:"),
                        (130.0, "Period Covered:"),
                        (346.0, "Account No:"),
                    ],
                    &[
                        (26.0, "MARY ADEYEMI"),
                        (130.0, "From:"),
                        (160.0, "04/10/2019"),
                        (215.0, "To:"),
                        (235.0, "15/10/2019"),
                        (346.0, "7504975390161"),
                    ],
                ],
                Some("MARY ADEYEMI"),
                Some("7504975390161"),
                Some((d(2019, 10, 4), d(2019, 10, 15))),
            ),
            // A label's value that is another label is no value.
            (
                &[&[(26.0, "Account name:"), (130.0, "Period Covered:")]],
                None,
                None,
                None,
            ),
            // A bare one-word label takes only a name for the holder.
            (&[&[(26.0, "Client"), (130.0, "ID 55")]], None, None, None),
            // An amount beside an account label is no account number.
            (
                &[&[(26.0, "Account Balance:"), (130.0, "1,234.56")]],
                None,
                None,
                None,
            ),
        ];
        for (rows, holder, number, period) in cases {
            let f = fields_of(rows);
            assert_eq!(
                f.account_holder.as_ref().map(|f| f.value.as_str()),
                *holder,
                "{rows:?}"
            );
            assert_eq!(
                f.account_number.as_ref().map(|f| f.value.as_str()),
                *number,
                "{rows:?}"
            );
            assert_eq!(f.period.as_ref().map(|f| f.value), *period, "{rows:?}");
        }
    }

    #[test]
    fn holder_from_an_address_block() {
        // (lines, holder)
        let cases: &[(&[Row], Option<&str>)] = &[
            (
                &[
                    &[(250.0, "Account Statement")],
                    &[(33.0, "Michael Dlamini")],
                    &[(33.0, "952"), (53.0, "Main Street")],
                    &[(33.0, "Accra")],
                ],
                Some("Michael Dlamini"),
            ),
            (
                &[
                    &[(29.0, "MR ASSURANCES HORIZON")],
                    &[(29.0, "616"), (47.0, "Avenue des Palmiers")],
                ],
                Some("MR ASSURANCES HORIZON"),
            ),
            (
                &[&[(52.0, "Aisha Iyer")], &[(52.0, "P.O. Box 58629")]],
                Some("Aisha Iyer"),
            ),
            (
                &[
                    &[(52.0, "Emily Van der Merwe")],
                    &[(52.0, "Rua das Flores 12")],
                ],
                Some("Emily Van der Merwe"),
            ),
            // A title over the street line is no name.
            (
                &[
                    &[(36.0, "Account Activity")],
                    &[(36.0, "168"), (56.0, "Main Street")],
                ],
                None,
            ),
            // A wrapped description is no address.
            (
                &[
                    &[(200.0, "TRANSFERENCIA DE")],
                    &[(200.0, "Valentina Muñoz")],
                ],
                None,
            ),
            // A name and a street at different edges are not one block.
            (
                &[
                    &[(300.0, "Jane Doe")],
                    &[(40.0, "12"), (60.0, "High Street")],
                ],
                None,
            ),
            // Two name lines over the street: which is the holder is unclear.
            (
                &[
                    &[(40.0, "Acme Holdings")],
                    &[(40.0, "Jane Doe")],
                    &[(40.0, "12"), (60.0, "High Street")],
                ],
                None,
            ),
            // A labelled holder wins over the address block.
            (
                &[
                    &[(40.0, "Jane Doe")],
                    &[(40.0, "12"), (60.0, "High Street")],
                    &[(40.0, "Account Holder: Jane M Doe")],
                ],
                Some("Jane M Doe"),
            ),
        ];
        for (rows, holder) in cases {
            let f = fields_of(rows);
            assert_eq!(
                f.account_holder.as_ref().map(|f| f.value.as_str()),
                *holder,
                "{rows:?}"
            );
        }
    }

    #[test]
    fn institution_lines() {
        // (lines, institution)
        let cases: &[(&[Row], Option<&str>)] = &[
            (
                &[&[(57.0, "Caisse d'Épargne Plateau")]],
                Some("Caisse d'Épargne Plateau"),
            ),
            (&[&[(400.0, "CAJA MIRADOR")]], Some("CAJA MIRADOR")),
            (&[&[(400.0, "Bank Statement")]], None),
            // A bare "Bank" before a word is no labelled bank name.
            (&[&[(40.0, "BANK"), (200.0, "Overview 2024")]], None),
            (
                &[&[(
                    52.0,
                    "Summit Bank N.A. - Member of the Deposit Protection Fund",
                )]],
                Some("Summit Bank N.A."),
            ),
            // An issuer's name inside a description is not the issuer.
            (&[&[(140.0, "MPESA PAYBILL 923650 PRIME MOTORS LTD")]], None),
            (&[&[(140.0, "M-PESA Statement")]], Some("M-PESA")),
        ];
        for (rows, want) in cases {
            let f = fields_of(rows);
            assert_eq!(
                f.institution.as_ref().map(|f| f.value.as_str()),
                *want,
                "{rows:?}"
            );
        }
    }

    #[test]
    fn currency_labels_name_real_codes() {
        let cases: &[(&str, Option<&str>)] = &[
            ("Account Currency: Uganda Shilling (UGX)", Some("UGX")),
            ("Currency : Euro (EUR)", Some("EUR")),
            ("Moeda : MZN (MZN)", Some("MZN")),
            ("Currency: Local", None),
        ];
        for (text, want) in cases {
            let f = fields_of(&[&[(40.0, text)]]);
            assert_eq!(
                f.currency.as_ref().map(|f| f.value.as_str()),
                *want,
                "{text}"
            );
        }
    }

    #[test]
    fn banks_named_in_sentences_and_logos() {
        // (line, institution)
        let cases: &[(&str, Option<&str>)] = &[
            (
                "Issued by Coastal Savings Bank",
                Some("Coastal Savings Bank"),
            ),
            (
                "© Banque Riviera. All rights reserved.",
                Some("Banque Riviera"),
            ),
            (
                "© CRÉDIT RIVIERA. All rights reserved.",
                Some("CRÉDIT RIVIERA"),
            ),
            (
                "Unity Bank N.A. is regulated by the Central Bank.",
                Some("Unity Bank N.A."),
            ),
            ("Benki ya Nyota", Some("Benki ya Nyota")),
            ("Crédit Plateau", Some("Crédit Plateau")),
            ("CRÉDIT RIVIERA", Some("CRÉDIT RIVIERA")),
            // The regulator is not the issuer.
            ("Licensed by the Bank of Ghana.", None),
            ("Regulated by the Central Bank of Kenya", None),
            // Headings that open with "Credit" are no bank.
            ("Credit Interest", None),
            ("Crédit Total", None),
            ("Opérations au crédit", None),
            ("Thank you for banking with us.", None),
        ];
        for (text, want) in cases {
            let f = fields_of(&[&[(40.0, text)]]);
            assert_eq!(
                f.institution.as_ref().map(|f| f.value.as_str()),
                *want,
                "{text}"
            );
        }
    }

    #[test]
    fn label_rows_over_value_rows() {
        // (lines, holder, number)
        let cases: &[(&[Row], Option<&str>, Option<&str>)] = &[
            // Titles without colons over their values.
            (
                &[
                    &[(35.0, "Customer"), (138.0, "IBAN"), (317.0, "Branch")],
                    &[
                        (35.0, "Mrs Zoë Mensah"),
                        (138.0, "GB29 4661 3781 7899"),
                        (317.0, "Accra"),
                    ],
                ],
                Some("Mrs Zoë Mensah"),
                Some("GB29 4661 3781 7899"),
            ),
            // A title that is no known label ("CIF No") is no value of "Name".
            (
                &[
                    &[(50.0, "Name"), (128.0, "CIF No"), (185.0, "Account No.")],
                    &[
                        (50.0, "LUCÍA MUÑOZ"),
                        (128.0, "17988205"),
                        (185.0, "60483973311"),
                    ],
                ],
                Some("LUCÍA MUÑOZ"),
                Some("60483973311"),
            ),
            // A key/value grid without colons is no label row.
            (
                &[
                    &[(49.0, "Account Name"), (123.0, "Amaka Sharma")],
                    &[(49.0, "Customer ID"), (123.0, "980698089")],
                    &[(49.0, "Account Number"), (123.0, "5512345678")],
                ],
                Some("Amaka Sharma"),
                Some("5512345678"),
            ),
            (
                &[
                    &[(32.0, "Client"), (119.0, "ASSURANCES HORIZON")],
                    &[(32.0, "Code agence"), (119.0, "Cape Town")],
                ],
                Some("ASSURANCES HORIZON"),
                None,
            ),
        ];
        for (rows, holder, number) in cases {
            let f = fields_of(rows);
            assert_eq!(
                f.account_holder.as_ref().map(|f| f.value.as_str()),
                *holder,
                "{rows:?}"
            );
            assert_eq!(
                f.account_number.as_ref().map(|f| f.value.as_str()),
                *number,
                "{rows:?}"
            );
        }
    }

    #[test]
    fn holder_and_number_labels_without_colons() {
        // (lines, holder, number)
        let cases: &[(&[Row], Option<&str>, Option<&str>)] = &[
            (
                &[&[(45.0, "Name Thabo Johnson")]],
                Some("Thabo Johnson"),
                None,
            ),
            (
                &[&[(50.0, "Cliente Mrs CARMEN MARTÍNEZ")]],
                Some("Mrs CARMEN MARTÍNEZ"),
                None,
            ),
            (
                &[&[(50.0, "Correntista: ANA SILVA")]],
                Some("ANA SILVA"),
                None,
            ),
            (
                &[&[(25.0, "Intitulé du compte: Aminata Ndiaye")]],
                Some("Aminata Ndiaye"),
                None,
            ),
            // A service line is no holder.
            (&[&[(45.0, "Customer Care Centre")]], None, None),
            (&[&[(45.0, "Client Services Desk")]], None, None),
            // Words after a label and before its leader dots.
            (
                &[&[
                    (25.0, "Conta Corrente"),
                    (97.0, "......................"),
                    (216.0, "724343467348"),
                ]],
                None,
                Some("724343467348"),
            ),
            (
                &[&[(29.0, "Cuenta Nº"), (109.0, "232954831186")]],
                None,
                Some("232954831186"),
            ),
            (
                &[&[(35.0, "Nº da Conta: **** **** 7877")]],
                None,
                Some("**** **** 7877"),
            ),
        ];
        for (rows, holder, number) in cases {
            let f = fields_of(rows);
            assert_eq!(
                f.account_holder.as_ref().map(|f| f.value.as_str()),
                *holder,
                "{rows:?}"
            );
            assert_eq!(
                f.account_number.as_ref().map(|f| f.value.as_str()),
                *number,
                "{rows:?}"
            );
        }
    }

    #[test]
    fn balance_labels_and_whole_numbers() {
        // (line, whole-number document, opening, closing)
        let cases: &[(Row, bool, Option<&str>, Option<&str>)] = &[
            (
                &[(58.0, "Start balance :"), (249.0, "850.98")],
                false,
                Some("850.98"),
                None,
            ),
            (
                &[(31.0, "End balance:"), (250.0, "50.10")],
                false,
                None,
                Some("50.10"),
            ),
            (
                &[(40.0, "Saldo de abertura :"), (134.0, "815.66")],
                false,
                Some("815.66"),
                None,
            ),
            (
                &[(42.0, "Saldo de fecho:"), (133.0, "1 316,67")],
                false,
                None,
                Some("1 316,67"),
            ),
            (
                &[(35.0, "Saldo atual:"), (88.0, "2713.70")],
                false,
                None,
                Some("2713.70"),
            ),
            (
                &[(62.0, "Salio la Mwisho"), (152.0, "21175235")],
                true,
                None,
                Some("21175235"),
            ),
            // A bare integer is a balance only in a whole-number document.
            (
                &[(62.0, "Salio la Mwisho"), (152.0, "21175235")],
                false,
                None,
                None,
            ),
        ];
        for (cells, whole, opening, closing) in cases {
            let l = line(50.0, cells);
            let pdf = PdfText {
                pages: vec![PageText {
                    number: 1,
                    lines: vec![l],
                    ..PageText::default()
                }],
                ..PdfText::default()
            };
            let mut doc = regions::doc_lines(&pdf);
            for d in &mut doc {
                d.whole_numbers = *whole;
            }
            let refs: Vec<&DocLine> = doc.iter().collect();
            let f = read(&refs, &PdfInfo::default(), DayMonth::DayFirst);
            let shape = |m: &Option<Field<MoneyShape>>| m.as_ref().map(|f| f.value.clone());
            let want = |t: &Option<&str>| t.and_then(crate::money::scan);
            assert_eq!(shape(&f.opening), want(opening), "{cells:?}");
            assert_eq!(shape(&f.closing), want(closing), "{cells:?}");
        }
    }

    #[test]
    fn the_issuer_list_loads() {
        assert!(issuers().len() > 40);
        assert!(issuers().iter().all(|i| {
            i.currency
                .as_deref()
                .is_none_or(|c| statera_model::Currency::parse(c).is_ok())
        }));
    }

    #[test]
    fn issuers_match_whole_words() {
        assert_eq!(
            issuer_in("Statement from Equity Bank Kenya").map(|i| i.0.name.as_str()),
            Some("Equity Bank")
        );
        assert!(issuer_in("Purchase at SUBWAY").is_none());
        assert!(issuer_in("CHASEWOOD LTD").is_none());
    }

    #[test]
    fn bank_lines() {
        assert!(names_a_bank("Meridian Trust Bank"));
        assert!(names_a_bank("Banco Atlântico"));
        assert!(!names_a_bank("Bank: Meridian"));
        assert!(!names_a_bank("Transfer to bank account 1234"));
    }
}
