//! What a document that matched no statement layout probably is, so the error can say
//! `not_a_bank_statement` with a `document_type`, or `unsupported_layout` when it does
//! look like a statement Statera has no layout for.

/// The verdict on an unrecognised document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Looks like some other document (`invoice`, `payslip`, …), or unknown (`None`).
    NotAStatement(Option<&'static str>),
    /// Reads like an account statement.
    StatementLike,
}

/// Each type with the phrase groups that identify it: every group must have a phrase present.
const TYPES: &[(&str, &[&[&str]])] = &[
    (
        "payslip",
        &[
            &["payslip", "pay slip", "pay advice", "net pay", "gross pay"],
            &["deduction", "net pay", "paye", "earnings"],
        ],
    ),
    (
        "invoice",
        &[
            &["invoice", "tax invoice"],
            &["total", "amount due", "bill to", "vat", "subtotal"],
        ],
    ),
    (
        "receipt",
        &[&["receipt"], &["thank you", "cashier", "change", "paid"]],
    ),
    (
        "cv",
        &[
            &["curriculum vitae", "resume", "résumé", "work experience"],
            &["education", "skills", "experience"],
        ],
    ),
    (
        "utility_bill",
        &[
            &["electricity", "water bill", "meter", "kwh", "kplc"],
            &["amount due", "due date", "units", "tariff"],
        ],
    ),
    (
        "loan_schedule",
        &[
            &[
                "repayment schedule",
                "amortization",
                "amortisation",
                "loan schedule",
            ],
            &["principal", "interest", "instalment", "installment"],
        ],
    ),
    (
        "bank_letter",
        &[
            &["dear "],
            &["yours faithfully", "yours sincerely", "regards"],
        ],
    ),
];

/// A statement's words in English, French, Spanish, Portuguese and Swahili: what it is,
/// a balance, and movements.
const STATEMENT_WORDS: &[&[&str]] = &[
    &[
        "statement",
        "account activity",
        "transaction history",
        "transactions",
        "relevé",
        "extrait de compte",
        "extracto",
        "estado de cuenta",
        "movimientos",
        "extrato",
        "movimentos",
        "taarifa",
        "miamala",
    ],
    &[
        "balance",
        "brought forward",
        "b/f",
        "closing",
        "opening",
        "solde",
        "saldo",
        "salio",
    ],
    &[
        "debit",
        "credit",
        "withdraw",
        "deposit",
        "paid in",
        "paid out",
        "money in",
        "money out",
        "amount",
        "débit",
        "crédit",
        "retrait",
        "versement",
        "montant",
        "cargo",
        "abono",
        "importe",
        "débito",
        "crédito",
        "valor",
        "kiasi",
        "kutoa",
        "kuweka",
    ],
];

pub fn classify(text: &str) -> Verdict {
    let text = text.to_lowercase();
    let matches = |groups: &[&[&str]]| groups.iter().all(|g| g.iter().any(|p| text.contains(p)));
    if let Some((kind, _)) = TYPES.iter().find(|(_, groups)| matches(groups)) {
        return Verdict::NotAStatement(Some(kind));
    }
    if matches(STATEMENT_WORDS) {
        Verdict::StatementLike
    } else {
        Verdict::NotAStatement(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_common_non_statements() {
        let cases = [
            (
                "TAX INVOICE Bill to: ACME Ltd Subtotal 100.00 VAT 16.00 Total 116.00",
                Verdict::NotAStatement(Some("invoice")),
            ),
            (
                "ACME LTD PAYSLIP March 2024 Gross pay 50,000.00 PAYE 5,000.00 Net pay 45,000.00",
                Verdict::NotAStatement(Some("payslip")),
            ),
            (
                "Curriculum Vitae Jane Doe Education BSc Skills Rust",
                Verdict::NotAStatement(Some("cv")),
            ),
            (
                "KPLC electricity bill Meter 123 Units 45 kWh Amount due 1,200.00",
                Verdict::NotAStatement(Some("utility_bill")),
            ),
            (
                "Loan repayment schedule Instalment Principal Interest",
                Verdict::NotAStatement(Some("loan_schedule")),
            ),
            (
                "Dear customer, your card is ready. Yours faithfully, The Bank",
                Verdict::NotAStatement(Some("bank_letter")),
            ),
            (
                "Account statement Date Description Debit Credit Balance Opening balance",
                Verdict::StatementLike,
            ),
            (
                "Minutes of the annual general meeting",
                Verdict::NotAStatement(None),
            ),
            (
                "Extrato de movimentos Saldo anterior Data Histórico Valor",
                Verdict::StatementLike,
            ),
            (
                "Taarifa ya Miamala Salio la Kuanzia Kiasi",
                Verdict::StatementLike,
            ),
        ];
        for (text, verdict) in cases {
            assert_eq!(classify(text), verdict, "{text}");
        }
    }
}
