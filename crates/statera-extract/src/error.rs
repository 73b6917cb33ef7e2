//! Why a document could not be read. Every variant has a stable snake_case code that the
//! CLI and every API face show; detail travels in fields, never in the code.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    #[error("the document is encrypted and needs a password")]
    PasswordRequired,
    #[error("the password does not open the document")]
    WrongPassword,
    #[error("the document uses an encryption handler Statera cannot open ({0})")]
    UnsupportedEncryption(String),
    #[error("the file is not a PDF, CSV or open-banking JSON statement")]
    NotPdf,
    #[error("the PDF is damaged and cannot be read: {0}")]
    CorruptPdf(String),
    /// A damaged text or JSON input (not a PDF): unparseable JSON, impossible values.
    #[error("the file is damaged and cannot be read: {0}")]
    CorruptFile(String),
    #[error("the document has no text layer (scanned or image-only pages: {pages:?})")]
    NoTextLayer { pages: Vec<u32> },
    #[error("the document is not a bank statement{}", document_type.as_ref().map(|t| format!(" (it looks like a {t})")).unwrap_or_default())]
    NotABankStatement { document_type: Option<String> },
    #[error("pages are missing: {pages_present} of {pages_expected} present")]
    MissingPages {
        pages_present: u32,
        pages_expected: u32,
        missing: Vec<u32>,
    },
    #[error("the statement's layout is not supported: {0}")]
    UnsupportedLayout(String),
    #[error("the document exceeds a resource limit: {0}")]
    ResourceLimit(String),
    /// Readable, but not something the analysis can use; `reason` says why.
    #[error("{detail}")]
    Rejected { reason: Rejection, detail: String },
}

/// Why a readable document is refused (open-banking checks, after Algoan's documented
/// rejections). Each has a stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    /// No (personal) checking account among the accounts.
    NoCheckingAccount,
    /// No account has a type Statera knows.
    AccountTypeNotSupported,
    /// An account is in a currency other than the one the caller works in.
    CurrencyNotSupported,
    /// Every account is held under a power of attorney.
    OwnershipNotSupported,
    /// Only professional (business) checking accounts, where personal ones are required.
    UsageNotSupported,
    /// The format carries owners, and none is named.
    NoOwnerName,
    /// The checking accounts hold no transactions to analyse.
    NotEnoughTransactions,
}

impl Rejection {
    pub const ALL: [Rejection; 7] = [
        Self::NoCheckingAccount,
        Self::AccountTypeNotSupported,
        Self::CurrencyNotSupported,
        Self::OwnershipNotSupported,
        Self::UsageNotSupported,
        Self::NoOwnerName,
        Self::NotEnoughTransactions,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::NoCheckingAccount => "no_checking_account",
            Self::AccountTypeNotSupported => "account_type_not_supported",
            Self::CurrencyNotSupported => "currency_not_supported",
            Self::OwnershipNotSupported => "ownership_not_supported",
            Self::UsageNotSupported => "usage_not_supported",
            Self::NoOwnerName => "no_owner_name",
            Self::NotEnoughTransactions => "not_enough_transactions",
        }
    }
}

impl ExtractError {
    /// The stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::PasswordRequired => "password_required",
            Self::WrongPassword => "wrong_password",
            Self::UnsupportedEncryption(_) => "unsupported_encryption",
            Self::NotPdf => "not_pdf",
            Self::CorruptPdf(_) => "corrupt_pdf",
            Self::CorruptFile(_) => "corrupt_file",
            Self::NoTextLayer { .. } => "no_text_layer",
            Self::NotABankStatement { .. } => "not_a_bank_statement",
            Self::MissingPages { .. } => "missing_pages",
            Self::UnsupportedLayout(_) => "unsupported_layout",
            Self::ResourceLimit(_) => "resource_limit",
            Self::Rejected { reason, .. } => reason.code(),
        }
    }

    /// True for the errors a user fixes by giving (another) password.
    pub fn is_password_problem(&self) -> bool {
        matches!(self, Self::PasswordRequired | Self::WrongPassword)
    }

    /// The wire form shared by the CLI and the sandbox protocol.
    pub fn to_body(&self) -> ErrorBody {
        let mut body = ErrorBody {
            code: self.code().to_owned(),
            message: self.to_string(),
            ..ErrorBody::default()
        };
        match self {
            Self::NotABankStatement { document_type } => body.document_type = document_type.clone(),
            Self::MissingPages {
                pages_present,
                pages_expected,
                missing,
            } => {
                body.pages_present = Some(*pages_present);
                body.pages_expected = Some(*pages_expected);
                body.missing_pages = Some(missing.clone());
            }
            Self::NoTextLayer { pages } => body.pages = Some(pages.clone()),
            Self::UnsupportedEncryption(detail)
            | Self::CorruptPdf(detail)
            | Self::CorruptFile(detail)
            | Self::UnsupportedLayout(detail)
            | Self::ResourceLimit(detail)
            | Self::Rejected { detail, .. } => body.detail = Some(detail.clone()),
            Self::PasswordRequired | Self::WrongPassword | Self::NotPdf => {}
        }
        body
    }

    /// Rebuilds the error from its wire form (the sandbox child's answer).
    pub fn from_body(body: &ErrorBody) -> Self {
        let detail = || body.detail.clone().unwrap_or_else(|| body.message.clone());
        match body.code.as_str() {
            "password_required" => Self::PasswordRequired,
            "wrong_password" => Self::WrongPassword,
            "unsupported_encryption" => Self::UnsupportedEncryption(detail()),
            "not_pdf" => Self::NotPdf,
            "no_text_layer" => Self::NoTextLayer {
                pages: body.pages.clone().unwrap_or_default(),
            },
            "not_a_bank_statement" => Self::NotABankStatement {
                document_type: body.document_type.clone(),
            },
            "missing_pages" => Self::MissingPages {
                pages_present: body.pages_present.unwrap_or(0),
                pages_expected: body.pages_expected.unwrap_or(0),
                missing: body.missing_pages.clone().unwrap_or_default(),
            },
            "unsupported_layout" => Self::UnsupportedLayout(detail()),
            "corrupt_file" => Self::CorruptFile(detail()),
            "resource_limit" => Self::ResourceLimit(detail()),
            code => match Rejection::ALL.into_iter().find(|r| r.code() == code) {
                Some(reason) => Self::Rejected {
                    reason,
                    detail: detail(),
                },
                None => Self::CorruptPdf(detail()),
            },
        }
    }
}

/// `{"code","message", …detail}` — the body of `{"error": …}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
    /// The specific cause inside the message, for variants that carry one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages_present: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages_expected: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_pages: Option<Vec<u32>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<Vec<u32>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_survives_its_wire_form() {
        let errors = [
            ExtractError::PasswordRequired,
            ExtractError::WrongPassword,
            ExtractError::UnsupportedEncryption("certificate handler".into()),
            ExtractError::NotPdf,
            ExtractError::CorruptPdf("no pages".into()),
            ExtractError::CorruptFile("bad JSON".into()),
            ExtractError::NoTextLayer { pages: vec![1, 2] },
            ExtractError::NotABankStatement {
                document_type: Some("invoice".into()),
            },
            ExtractError::MissingPages {
                pages_present: 3,
                pages_expected: 4,
                missing: vec![3],
            },
            ExtractError::UnsupportedLayout("no table header".into()),
            ExtractError::ResourceLimit("memory".into()),
            ExtractError::Rejected {
                reason: Rejection::NoCheckingAccount,
                detail: "only savings and loan accounts".into(),
            },
        ];
        for error in errors {
            let body = error.to_body();
            let json = serde_json::to_string(&body).unwrap();
            let back: ErrorBody = serde_json::from_str(&json).unwrap();
            assert_eq!(ExtractError::from_body(&back), error, "{json}");
        }
    }
}
