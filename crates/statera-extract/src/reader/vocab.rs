//! The words statements use, as data: column headers, row kinds (totals, balances brought
//! forward), sections and document kinds, in English, French, Spanish, Portuguese and
//! Swahili. Words are only evidence: column boundaries come from geometry, and roles are
//! checked against the running balance (`roles.rs`).

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Date,
    /// A second date column (value date, transaction date beside a posting date).
    ValueDate,
    Description,
    Reference,
    Debit,
    Credit,
    /// One amount column, signed or with direction from elsewhere.
    Amount,
    Balance,
    /// A column of `CR`/`DR` marks beside an amount.
    Mark,
    Other,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Date => "date",
            Role::ValueDate => "value_date",
            Role::Description => "description",
            Role::Reference => "reference",
            Role::Debit => "debit",
            Role::Credit => "credit",
            Role::Amount => "amount",
            Role::Balance => "balance",
            Role::Mark => "mark",
            Role::Other => "other",
        }
    }

    pub fn is_money(self) -> bool {
        matches!(
            self,
            Role::Debit | Role::Credit | Role::Amount | Role::Balance
        )
    }
}

/// Header phrases by role. Longer phrases are matched first, so "value date" is not read
/// as "date" and "transaction details" not as a date column.
pub const HEADER_PHRASES: &[(&str, Role)] = &[
    // value dates and second date columns
    ("value date", Role::ValueDate),
    ("value dt", Role::ValueDate),
    ("val date", Role::ValueDate),
    ("effective date", Role::ValueDate),
    ("date valeur", Role::ValueDate),
    ("valeur", Role::ValueDate),
    ("fecha valor", Role::ValueDate),
    ("f. valor", Role::ValueDate),
    ("data valor", Role::ValueDate),
    ("data valuta", Role::ValueDate),
    ("tarehe ya thamani", Role::ValueDate),
    // dates
    ("transaction date", Role::Date),
    ("trans date", Role::Date),
    ("trans. date", Role::Date),
    ("tran date", Role::Date),
    ("txn date", Role::Date),
    ("posting date", Role::Date),
    ("post date", Role::Date),
    ("posted date", Role::Date),
    ("date posted", Role::Date),
    ("booking date", Role::Date),
    ("book date", Role::Date),
    ("entry date", Role::Date),
    ("completion time", Role::Date),
    ("date opération", Role::Date),
    ("date operation", Role::Date),
    ("date d'opération", Role::Date),
    ("fecha operación", Role::Date),
    ("fecha de operación", Role::Date),
    ("fecha", Role::Date),
    ("data do movimento", Role::Date),
    ("data movimento", Role::Date),
    ("data lançamento", Role::Date),
    ("data", Role::Date),
    ("tarehe", Role::Date),
    ("date", Role::Date),
    ("dated", Role::Date),
    ("posted", Role::Date),
    // descriptions
    ("transaction details", Role::Description),
    ("transaction description", Role::Description),
    ("transaction narration", Role::Description),
    ("description", Role::Description),
    ("descriptions", Role::Description),
    ("details", Role::Description),
    ("detail", Role::Description),
    ("narration", Role::Description),
    ("narrative", Role::Description),
    ("particulars", Role::Description),
    ("remarks", Role::Description),
    ("memo", Role::Description),
    ("payee", Role::Description),
    ("transaction", Role::Description),
    ("libellé", Role::Description),
    ("libelle", Role::Description),
    ("libellé de l'opération", Role::Description),
    ("nature de l'opération", Role::Description),
    ("opération", Role::Description),
    ("operations", Role::Description),
    ("désignation", Role::Description),
    ("concepto", Role::Description),
    ("descripción", Role::Description),
    ("descripcion", Role::Description),
    ("detalle", Role::Description),
    ("movimiento", Role::Description),
    ("descrição", Role::Description),
    ("descricao", Role::Description),
    ("histórico", Role::Description),
    ("historico", Role::Description),
    ("lançamento", Role::Description),
    ("maelezo", Role::Description),
    ("maelezo ya muamala", Role::Description),
    // references
    ("reference no", Role::Reference),
    ("reference number", Role::Reference),
    ("reference", Role::Reference),
    ("ref no", Role::Reference),
    ("ref. no", Role::Reference),
    ("ref", Role::Reference),
    ("cheque no", Role::Reference),
    ("cheque number", Role::Reference),
    ("chq no", Role::Reference),
    ("chq", Role::Reference),
    ("check no", Role::Reference),
    ("check number", Role::Reference),
    ("check #", Role::Reference),
    ("receipt no", Role::Reference),
    ("receipt", Role::Reference),
    ("référence", Role::Reference),
    ("n° opération", Role::Reference),
    ("n° d'opération", Role::Reference),
    ("no opération", Role::Reference),
    ("numéro d'opération", Role::Reference),
    ("nº operación", Role::Reference),
    ("n° operación", Role::Reference),
    ("número de operación", Role::Reference),
    ("nº do documento", Role::Reference),
    ("transaction id", Role::Reference),
    ("transaction ref", Role::Reference),
    ("transaction reference", Role::Reference),
    ("referencia", Role::Reference),
    ("referência", Role::Reference),
    ("documento", Role::Reference),
    ("nº documento", Role::Reference),
    ("kumbukumbu", Role::Reference),
    ("namba ya hundi", Role::Reference),
    ("nº doc", Role::Reference),
    ("n° doc", Role::Reference),
    ("nº doc.", Role::Reference),
    ("no. doc", Role::Reference),
    ("doc. no", Role::Reference),
    ("doc no", Role::Reference),
    ("hundi", Role::Reference),
    ("hundi na.", Role::Reference),
    ("n° chèque", Role::Reference),
    ("numéro de chèque", Role::Reference),
    ("nº cheque", Role::Reference),
    ("número de cheque", Role::Reference),
    ("namba ya kumbukumbu", Role::Reference),
    // debits
    ("withdrawals", Role::Debit),
    ("withdrawal", Role::Debit),
    ("withdrawn", Role::Debit),
    ("money out", Role::Debit),
    ("paid out", Role::Debit),
    ("payments", Role::Debit),
    ("debits", Role::Debit),
    ("debit", Role::Debit),
    ("debit amount", Role::Debit),
    ("dr", Role::Debit),
    ("out", Role::Debit),
    ("débit", Role::Debit),
    ("débits", Role::Debit),
    ("retraits", Role::Debit),
    ("cargo", Role::Debit),
    ("cargos", Role::Debit),
    ("débito", Role::Debit),
    ("débitos", Role::Debit),
    ("debito", Role::Debit),
    ("retiros", Role::Debit),
    ("saída", Role::Debit),
    ("saídas", Role::Debit),
    ("saida", Role::Debit),
    ("kutoa", Role::Debit),
    ("imetolewa", Role::Debit),
    ("malipo", Role::Debit),
    // credits
    ("lodgements", Role::Credit),
    ("lodgement", Role::Credit),
    ("deposits", Role::Credit),
    ("deposit", Role::Credit),
    ("money in", Role::Credit),
    ("paid in", Role::Credit),
    ("receipts", Role::Credit),
    ("credits", Role::Credit),
    ("credit", Role::Credit),
    ("credit amount", Role::Credit),
    ("cr", Role::Credit),
    ("in", Role::Credit),
    ("crédit", Role::Credit),
    ("crédits", Role::Credit),
    ("dépôts", Role::Credit),
    ("versements", Role::Credit),
    ("abono", Role::Credit),
    ("abonos", Role::Credit),
    ("crédito", Role::Credit),
    ("créditos", Role::Credit),
    ("credito", Role::Credit),
    ("depósitos", Role::Credit),
    ("entrada", Role::Credit),
    ("entradas", Role::Credit),
    ("kuweka", Role::Credit),
    ("imewekwa", Role::Credit),
    ("kupokea", Role::Credit),
    // one amount column
    ("transaction amount", Role::Amount),
    ("amount", Role::Amount),
    ("amounts", Role::Amount),
    ("montant", Role::Amount),
    ("importe", Role::Amount),
    ("monto", Role::Amount),
    ("valor", Role::Amount),
    ("quantia", Role::Amount),
    ("kiasi", Role::Amount),
    // balances
    ("running balance", Role::Balance),
    ("ledger balance", Role::Balance),
    ("book balance", Role::Balance),
    ("available balance", Role::Balance),
    ("balance", Role::Balance),
    ("solde", Role::Balance),
    ("saldo", Role::Balance),
    ("salio", Role::Balance),
    ("bakaa", Role::Balance),
    // marks
    ("dr/cr", Role::Mark),
    ("cr/dr", Role::Mark),
    ("d/c", Role::Mark),
    ("c/d", Role::Mark),
    ("type", Role::Other),
    ("branch", Role::Other),
    ("channel", Role::Other),
    ("category", Role::Other),
    ("status", Role::Other),
    ("time", Role::Other),
];

/// Rows that are checks against the rows, never transactions: what a row's text (its
/// words that are not amounts or dates) starts with or is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    /// Balance brought forward / opening balance: its amount is the opening balance.
    Opening,
    /// Balance carried forward / closing balance.
    Closing,
    /// Total, sub-total, totals: a check on the sum of the rows.
    Total,
}

pub const ROW_PHRASES: &[(&str, RowKind)] = &[
    ("balance brought forward", RowKind::Opening),
    ("brought forward", RowKind::Opening),
    ("balance b/f", RowKind::Opening),
    ("balance bf", RowKind::Opening),
    ("b/f", RowKind::Opening),
    ("bal b/f", RowKind::Opening),
    ("opening balance", RowKind::Opening),
    ("beginning balance", RowKind::Opening),
    ("start balance", RowKind::Opening),
    ("starting balance", RowKind::Opening),
    ("previous balance", RowKind::Opening),
    ("last month's balance", RowKind::Opening),
    ("last statement balance", RowKind::Opening),
    ("balance last statement", RowKind::Opening),
    ("balance from previous statement", RowKind::Opening),
    ("ancien solde", RowKind::Opening),
    ("solde précédent", RowKind::Opening),
    ("solde initial", RowKind::Opening),
    ("solde d'ouverture", RowKind::Opening),
    ("solde reporté", RowKind::Opening),
    ("saldo anterior", RowKind::Opening),
    ("saldo inicial", RowKind::Opening),
    ("saldo de apertura", RowKind::Opening),
    ("salio la kuanzia", RowKind::Opening),
    ("salio la awali", RowKind::Opening),
    ("balance carried forward", RowKind::Closing),
    ("carried forward", RowKind::Closing),
    ("balance c/f", RowKind::Closing),
    ("balance cf", RowKind::Closing),
    ("c/f", RowKind::Closing),
    ("bal c/f", RowKind::Closing),
    ("closing balance", RowKind::Closing),
    ("ending balance", RowKind::Closing),
    ("end balance", RowKind::Closing),
    ("new balance", RowKind::Closing),
    ("balance this statement", RowKind::Closing),
    ("nouveau solde", RowKind::Closing),
    ("solde final", RowKind::Closing),
    ("solde de clôture", RowKind::Closing),
    ("saldo final", RowKind::Closing),
    ("saldo actual", RowKind::Closing),
    ("salio la mwisho", RowKind::Closing),
    ("salio la kufunga", RowKind::Closing),
    ("sub-total", RowKind::Total),
    ("subtotal", RowKind::Total),
    ("sub total", RowKind::Total),
    ("totals", RowKind::Total),
    ("total", RowKind::Total),
    ("grand total", RowKind::Total),
    ("total amount due", RowKind::Total),
    ("total des opérations", RowKind::Total),
    ("total des mouvements", RowKind::Total),
    ("totaux", RowKind::Total),
    ("sous-total", RowKind::Total),
    ("suma", RowKind::Total),
    ("jumla", RowKind::Total),
    ("jumla ndogo", RowKind::Total),
];

/// Section titles that give the direction of every row under them (statements grouped
/// into deposits, withdrawals, checks, fees).
pub const SECTION_PHRASES: &[(&str, Role)] = &[
    ("deposits and other credits", Role::Credit),
    ("deposits and additions", Role::Credit),
    ("deposits & credits", Role::Credit),
    ("deposits and credits", Role::Credit),
    ("deposits", Role::Credit),
    ("credits", Role::Credit),
    ("other credits", Role::Credit),
    ("additions", Role::Credit),
    ("money in", Role::Credit),
    ("paid in", Role::Credit),
    ("payments and credits", Role::Credit),
    ("payments & credits", Role::Credit),
    ("crédits", Role::Credit),
    ("versements", Role::Credit),
    ("abonos", Role::Credit),
    ("créditos", Role::Credit),
    ("depósitos", Role::Credit),
    ("entradas", Role::Credit),
    ("pesa iliyoingia", Role::Credit),
    ("deposits and other additions", Role::Credit),
    ("electronic deposits", Role::Credit),
    ("electronic credits", Role::Credit),
    ("opérations au crédit", Role::Credit),
    ("opérations créditrices", Role::Credit),
    ("dépôts", Role::Credit),
    ("remises", Role::Credit),
    ("ingresos", Role::Credit),
    ("depósitos y abonos", Role::Credit),
    ("créditos recebidos", Role::Credit),
    ("fedha zilizowekwa", Role::Credit),
    ("pesa iliyowekwa", Role::Credit),
    ("amana", Role::Credit),
    ("withdrawals and other debits", Role::Debit),
    ("withdrawals and debits", Role::Debit),
    ("withdrawals & debits", Role::Debit),
    ("withdrawals and subtractions", Role::Debit),
    ("other debits", Role::Debit),
    ("withdrawals", Role::Debit),
    ("debits", Role::Debit),
    ("electronic withdrawals", Role::Debit),
    ("atm & debit card withdrawals", Role::Debit),
    ("atm and debit card withdrawals", Role::Debit),
    ("checks paid", Role::Debit),
    ("checks", Role::Debit),
    ("cheques", Role::Debit),
    ("fees", Role::Debit),
    ("fees and charges", Role::Debit),
    ("service charges", Role::Debit),
    ("service fees", Role::Debit),
    ("purchases", Role::Debit),
    ("purchases and adjustments", Role::Debit),
    ("money out", Role::Debit),
    ("paid out", Role::Debit),
    ("débits", Role::Debit),
    ("retraits", Role::Debit),
    ("frais", Role::Debit),
    ("cargos", Role::Debit),
    ("retiros", Role::Debit),
    ("comisiones", Role::Debit),
    ("débitos", Role::Debit),
    ("saídas", Role::Debit),
    ("tarifas", Role::Debit),
    ("pesa iliyotoka", Role::Debit),
    ("ada", Role::Debit),
    ("card purchases", Role::Debit),
    ("debit card purchases", Role::Debit),
    ("atm withdrawals", Role::Debit),
    ("other withdrawals", Role::Debit),
    ("bank charges", Role::Debit),
    ("charges", Role::Debit),
    ("service charges and fees", Role::Debit),
    ("cheques paid", Role::Debit),
    ("payments", Role::Debit),
    ("opérations au débit", Role::Debit),
    ("opérations débitrices", Role::Debit),
    ("retraits et paiements", Role::Debit),
    ("paiements", Role::Debit),
    ("prélèvements", Role::Debit),
    ("chèques", Role::Debit),
    ("chèques payés", Role::Debit),
    ("frais bancaires", Role::Debit),
    ("commissions", Role::Debit),
    ("retiros y pagos", Role::Debit),
    ("pagos", Role::Debit),
    ("gastos", Role::Debit),
    ("cheques pagados", Role::Debit),
    ("comisiones y gastos", Role::Debit),
    ("pagamentos e saques", Role::Debit),
    ("débitos e saques", Role::Debit),
    ("pagamentos", Role::Debit),
    ("saques", Role::Debit),
    ("cheques compensados", Role::Debit),
    ("tarifas bancárias", Role::Debit),
    ("fedha zilizotolewa", Role::Debit),
    ("pesa iliyotolewa", Role::Debit),
    ("malipo", Role::Debit),
    ("makato", Role::Debit),
    ("hundi", Role::Debit),
    ("hundi zilizolipwa", Role::Debit),
    ("ada za benki", Role::Debit),
];

/// Tables of balances by date (a daily balance summary) are not transactions.
pub const BALANCE_TABLE_PHRASES: &[&str] = &[
    "daily balance",
    "daily balances",
    "daily ending balance",
    "account balance summary",
    "balance summary",
    "balance by date",
    "balance by day",
    "balances by day",
    "end of day balance",
    "end of day balances",
    "ending daily balance",
    "solde par jour",
    "soldes par jour",
    "saldo por día",
    "saldos por día",
    "saldo por dia",
    "saldos diários",
    "salio la kila siku",
    "soldes quotidiens",
    "saldos diarios",
    "saldo diário",
];

/// Words of a card statement, where an unsigned amount is a charge (debit).
pub const CARD_PHRASES: &[&str] = &[
    "credit card",
    "card statement",
    "minimum payment",
    "minimum due",
    "minimum amount due",
    "total minimum due",
    "credit limit",
    "payment due date",
    "available credit",
    "carte de crédit",
    "tarjeta de crédito",
    "cartão de crédito",
];

/// Phrases saying the period had no transactions.
pub const NO_TRANSACTION_PHRASES: &[&str] = &[
    "no transactions",
    "no transaction for",
    "no activity",
    "there were no transactions",
    "no entries",
    "aucune opération",
    "aucun mouvement",
    "sin movimientos",
    "no hay movimientos",
    "sem movimentos",
    "nenhum movimento",
    "hakuna miamala",
];

/// Lowercases, folds the few accented letters that printers drop, and splits header text
/// at spaces and at dotted leaders (`DATE..........AMOUNT.TRANSACTION`).
pub fn header_words(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut words = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = lower.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let leader = c == '.'
            && (chars.get(i + 1) == Some(&'.')
                || i > 0 && chars[i - 1] == '.'
                || chars.get(i + 1).is_some_and(|n| n.is_alphabetic())
                    && i > 0
                    && chars[i - 1].is_alphabetic()
                    && current.chars().count() > 2);
        if c.is_whitespace() || leader || c == '|' || c == '_' {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        current.push(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    for word in &mut words {
        let trimmed = word.trim_matches(|c: char| matches!(c, ':' | ',' | ';' | '(' | ')' | '*'));
        if trimmed.len() != word.len() {
            *word = trimmed.to_owned();
        }
    }
    words.retain(|w| !w.is_empty());
    words
}

/// The phrases of `table` found in `words`, longest first, each word used once:
/// `(first word, word count, value)`.
pub fn find_phrases<T: Copy>(words: &[String], table: &[(&str, T)]) -> Vec<(usize, usize, T)> {
    let mut phrases: Vec<(Vec<&str>, T)> = table
        .iter()
        .map(|(p, v)| (p.split_whitespace().collect(), *v))
        .collect();
    phrases.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
    let mut used = vec![false; words.len()];
    let mut found = Vec::new();
    for (phrase, value) in &phrases {
        if phrase.is_empty() || phrase.len() > words.len() {
            continue;
        }
        for start in 0..=words.len() - phrase.len() {
            let range = start..start + phrase.len();
            if used[range.clone()].iter().any(|u| *u) {
                continue;
            }
            if words[range.clone()]
                .iter()
                .zip(phrase)
                .all(|(w, p)| w.as_str() == *p)
            {
                used[range.clone()].iter_mut().for_each(|u| *u = true);
                found.push((start, phrase.len(), *value));
            }
        }
    }
    found.sort_by_key(|f| f.0);
    found
}

/// What kind of check row `text` is, when it starts with (or is) a row phrase.
pub fn row_kind(text: &str) -> Option<RowKind> {
    let words = header_words(text);
    if words.is_empty() {
        return None;
    }
    let mut best: Option<(usize, RowKind)> = None;
    for (phrase, kind) in ROW_PHRASES {
        let parts: Vec<&str> = phrase.split_whitespace().collect();
        // The phrase opens the row's text, or is the whole of it but a trailing word
        // ("Total for March", "Closing balance as at").
        if parts.len() <= words.len()
            && words.iter().zip(&parts).all(|(w, p)| w == p)
            && best.is_none_or(|(n, _)| parts.len() > n)
        {
            best = Some((parts.len(), *kind));
        }
    }
    if best.is_none() {
        // "Total debits", "Total credits", "Totals for the period": a word of totals
        // anywhere in a short text.
        if words.len() <= 5
            && words.iter().any(|w| {
                matches!(
                    w.as_str(),
                    "total"
                        | "totals"
                        | "subtotal"
                        | "sub-total"
                        | "totales"
                        | "totais"
                        | "totaux"
                        | "subtotales"
                        | "subtotais"
                        | "jumla"
                )
            })
        {
            return Some(RowKind::Total);
        }
    }
    best.map(|(_, k)| k)
}

/// The direction a section title gives, when a whole line is one.
pub fn section_direction(text: &str) -> Option<Role> {
    let words = header_words(text);
    if words.is_empty() || words.len() > 7 {
        return None;
    }
    let joined = words.join(" ");
    // A one-word title must be the whole line ("Malipo", not "MALIPO YA BILI KPLC", a
    // wrapped description); longer ones may run on ("Deposits and additions continued").
    let continued = |rest: &str| {
        let rest = rest.trim_matches(|c: char| c == '(' || c == ')' || c == ' ' || c == '-');
        matches!(
            rest,
            "continued"
                | "cont"
                | "cont."
                | "suite"
                | "continuación"
                | "continuação"
                | "inaendelea"
        )
    };
    SECTION_PHRASES
        .iter()
        .filter(|(p, _)| {
            joined == *p
                || joined
                    .strip_prefix(&format!("{p} "))
                    .is_some_and(|rest| p.contains(' ') && words.len() <= 7 || continued(rest))
        })
        .max_by_key(|(p, _)| p.len())
        .map(|(_, r)| *r)
}

/// True when `text` contains any of `phrases` (lowercase).
pub fn mentions(text_lower: &str, phrases: &[&str]) -> bool {
    phrases.iter().any(|p| text_lower.contains(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_words_split_leaders() {
        assert_eq!(
            header_words("DATE..........AMOUNT.TRANSACTION DESCRIPTION"),
            ["date", "amount", "transaction", "description"]
        );
        assert_eq!(header_words("Ref. No"), ["ref.", "no"]);
        assert_eq!(header_words("Balance:"), ["balance"]);
    }

    #[test]
    fn phrases_longest_first() {
        let words =
            header_words("Value Date  Transaction Date  Details  Money Out  Money In  Balance");
        let found: Vec<Role> = find_phrases(&words, HEADER_PHRASES)
            .into_iter()
            .map(|f| f.2)
            .collect();
        assert_eq!(
            found,
            [
                Role::ValueDate,
                Role::Date,
                Role::Description,
                Role::Debit,
                Role::Credit,
                Role::Balance
            ]
        );
    }

    #[test]
    fn row_kinds() {
        let cases: &[(&str, Option<RowKind>)] = &[
            ("Balance brought forward", Some(RowKind::Opening)),
            ("BALANCE B/F", Some(RowKind::Opening)),
            ("Opening Balance", Some(RowKind::Opening)),
            ("Solde précédent", Some(RowKind::Opening)),
            ("Saldo anterior", Some(RowKind::Opening)),
            ("Closing balance", Some(RowKind::Closing)),
            ("Balance carried forward", Some(RowKind::Closing)),
            ("TOTAL", Some(RowKind::Total)),
            ("Sub-total", Some(RowKind::Total)),
            ("Total debits", Some(RowKind::Total)),
            ("Jumla", Some(RowKind::Total)),
            ("Totales", Some(RowKind::Total)),
            ("Totais débitos", Some(RowKind::Total)),
            ("POS PURCHASE TOTAL STORES LONDON HIGH STREET", None),
            ("Salary March", None),
        ];
        for (text, want) in cases {
            assert_eq!(row_kind(text), *want, "{text}");
        }
    }

    #[test]
    fn sections() {
        assert_eq!(
            section_direction("DEPOSITS AND OTHER CREDITS"),
            Some(Role::Credit)
        );
        assert_eq!(section_direction("OTHER DEBITS"), Some(Role::Debit));
        assert_eq!(section_direction("Checks Paid"), Some(Role::Debit));
        assert_eq!(section_direction("Fees"), Some(Role::Debit));
        assert_eq!(section_direction("Retraits"), Some(Role::Debit));
        assert_eq!(section_direction("Payment to John"), None);
        assert_eq!(section_direction("MALIPO YA BILI KPLC"), None);
        assert_eq!(section_direction("Malipo"), Some(Role::Debit));
        assert_eq!(
            section_direction("Deposits (continued)"),
            Some(Role::Credit)
        );
        assert_eq!(section_direction("Pagamentos e saques"), Some(Role::Debit));
    }
}
