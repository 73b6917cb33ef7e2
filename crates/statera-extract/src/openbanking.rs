//! Open-banking JSON (accounts with their transactions) → one Statement per account.
//!
//! Dialects, told apart by the JSON's shape (never by a file name):
//!
//! | id | shape | amount sign |
//! | --- | --- | --- |
//! | `algoan` | `{accounts:[{type, usage, owners, bank, iban, balance, transactions:[{dates:{debitedAt}, amount, description}]}]}` | negative = money out |
//! | `budget_insight_v2` | `{connections:[{accounts:[{type, usage, currency:{id}, balance, transactions:[{date, rdate, value, original_wording, id}]}]}]}` | negative = money out |
//! | `linxo_connect_v3` | `{connections:[{accounts:[{type, usage, currency, balances:[{balance_amount}], transactions:[{booking_date, transaction_amount:{amount}, remittance_information, id}]}]}]}` | negative = money out |
//! | `plaid` | `{override_accounts:[{type, subtype, starting_balance, identity, transactions:[{date_posted, amount, description}]}]}` (sandbox custom users) | **positive = money out** |
//!
//! Money is exact: a JSON number becomes an [`Amount`] through its decimal text, never
//! through f64 arithmetic, and an amount with more decimals than its currency allows is an
//! error, never rounded. After reading, the documented open-banking refusals (after
//! Algoan's) are applied in a fixed order; [`read_unchecked`] skips them.

use chrono::NaiveDate;
use serde_json::{Number, Value};
use statera_model::{
    Amount, ConfidenceReason, Currency, Direction, Forensics, Pages, Period, Statement, Transaction,
};

use crate::checks::{self, Evidence};
use crate::{ExtractError, Options, Rejection};

/// The open-banking formats Statera reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Algoan,
    BudgetInsightV2,
    LinxoConnectV3,
    Plaid,
}

impl Dialect {
    /// The id written to `Statement::layout`.
    pub fn id(self) -> &'static str {
        match self {
            Self::Algoan => "algoan",
            Self::BudgetInsightV2 => "budget_insight_v2",
            Self::LinxoConnectV3 => "linxo_connect_v3",
            Self::Plaid => "plaid",
        }
    }

    /// Whether the format names account owners (so a missing name means something).
    fn carries_owners(self) -> bool {
        matches!(self, Self::Algoan)
    }

    /// Whether a positive amount is money out (Plaid) rather than money in.
    fn positive_is_debit(self) -> bool {
        matches!(self, Self::Plaid)
    }
}

/// Reads an open-banking JSON document: one Statement per account, in the source's
/// account order, after the open-banking refusals.
pub fn read(bytes: &[u8], options: &Options) -> Result<Vec<Statement>, ExtractError> {
    let (dialect, accounts) = read_accounts(bytes)?;
    refuse(dialect, &accounts, options)?;
    Ok(accounts.into_iter().map(|a| a.statement).collect())
}

/// Every account of the document, with no refusal applied (for callers with their own
/// policy, and to check reading without loss on documents that [`read`] refuses).
pub fn read_unchecked(bytes: &[u8]) -> Result<Vec<Statement>, ExtractError> {
    let (_, accounts) = read_accounts(bytes)?;
    Ok(accounts.into_iter().map(|a| a.statement).collect())
}

/// The dialect of a parsed document, by its shape; `None` when it is none of them.
pub fn detect(root: &Value) -> Option<Dialect> {
    locate(root).map(|(dialect, _)| dialect)
}

/// One account as read, with the facts that the refusals look at.
struct Account {
    statement: Statement,
    /// The usage says professional / business.
    business: bool,
    /// The ownership says the holder only acts under a power of attorney.
    attorney: bool,
    /// At least one owner name is given.
    owner_named: bool,
}

/// An account's fields, as found in the source, before conversion.
struct RawAccount<'a> {
    account_type: &'static str,
    business: bool,
    attorney: bool,
    owners: Vec<String>,
    institution: Option<String>,
    account_number: Option<String>,
    email: Option<String>,
    currency: Option<&'a str>,
    balance: Option<&'a Value>,
    transactions: Vec<RawTransaction<'a>>,
}

struct RawTransaction<'a> {
    date: Option<&'a str>,
    amount: &'a Value,
    description: String,
    reference: Option<String>,
    currency: Option<&'a str>,
}

fn read_accounts(bytes: &[u8]) -> Result<(Dialect, Vec<Account>), ExtractError> {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let root: Value = serde_json::from_slice(text)
        .map_err(|e| ExtractError::CorruptFile(format!("invalid JSON: {e}")))?;
    let (dialect, accounts) = locate(&root).ok_or(ExtractError::NotABankStatement {
        document_type: None,
    })?;
    let accounts = accounts
        .into_iter()
        .enumerate()
        .map(|(i, (account, connection))| {
            let raw = match dialect {
                Dialect::Algoan => algoan_account(account),
                Dialect::BudgetInsightV2 => budget_insight_account(account, connection),
                Dialect::LinxoConnectV3 => linxo_account(account),
                Dialect::Plaid => plaid_account(account),
            };
            build(dialect, raw, i + 1)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((dialect, accounts))
}

/// An account object and the connection object it sits in (aggregator formats).
type AccountRef<'a> = (&'a Value, Option<&'a Value>);

/// Finds the account list and decides the dialect from the keys the accounts and their
/// transactions use.
fn locate(root: &Value) -> Option<(Dialect, Vec<AccountRef<'_>>)> {
    let objects = |v: &Value| -> Option<usize> {
        let list = v.as_array()?;
        (!list.is_empty() && list.iter().all(Value::is_object)).then_some(list.len())
    };
    if objects(&root["override_accounts"]).is_some() {
        let accounts = root["override_accounts"].as_array()?;
        return Some((Dialect::Plaid, accounts.iter().map(|a| (a, None)).collect()));
    }
    if let Some(connections) = root["connections"].as_array() {
        let mut accounts = Vec::new();
        for connection in connections {
            // A connection may hold no account; one holding something else is not ours.
            let list = connection["accounts"].as_array()?;
            if !list.iter().all(Value::is_object) {
                return None;
            }
            accounts.extend(list.iter().map(|a| (a, Some(connection))));
        }
        if accounts.is_empty() {
            return None;
        }
        let list: Vec<&Value> = accounts.iter().map(|(a, _)| *a).collect();
        let format = root["format"].as_str().unwrap_or("").to_ascii_uppercase();
        let dialect = if looks_linxo(&list) {
            Dialect::LinxoConnectV3
        } else if looks_budget_insight(&list) {
            Dialect::BudgetInsightV2
        } else if format.contains("LINXO") {
            Dialect::LinxoConnectV3
        } else if format.contains("BUDGET_INSIGHT") {
            Dialect::BudgetInsightV2
        } else {
            return None;
        };
        return Some((dialect, accounts));
    }
    objects(&root["accounts"])?;
    let list: Vec<&Value> = root["accounts"].as_array()?.iter().collect();
    let dialect = if looks_algoan(&list) {
        Dialect::Algoan
    } else if looks_budget_insight(&list) {
        // Budget Insight's own account listing (`GET /users/me/accounts`).
        Dialect::BudgetInsightV2
    } else {
        return None;
    };
    Some((dialect, list.into_iter().map(|a| (a, None)).collect()))
}

fn transactions_of(account: &Value) -> impl Iterator<Item = &Value> {
    account["transactions"].as_array().into_iter().flatten()
}

fn has_key(v: &Value, keys: &[&str]) -> bool {
    keys.iter().any(|k| v.get(k).is_some())
}

fn looks_linxo(accounts: &[&Value]) -> bool {
    accounts.iter().any(|a| {
        a["balances"].is_array()
            || a.get("account_id").is_some()
            || transactions_of(a).any(|t| {
                has_key(
                    t,
                    &[
                        "transaction_amount",
                        "booking_date",
                        "remittance_information",
                    ],
                )
            })
    })
}

fn looks_budget_insight(accounts: &[&Value]) -> bool {
    accounts.iter().any(|a| {
        a["currency"].is_object()
            || transactions_of(a)
                .any(|t| has_key(t, &["value", "original_wording", "rdate", "wording"]))
    })
}

fn looks_algoan(accounts: &[&Value]) -> bool {
    accounts.iter().any(|a| {
        (has_key(a, &["balanceDate", "owners"]) && !a["currency"].is_object())
            || transactions_of(a).any(|t| t["dates"].is_object() && t.get("amount").is_some())
    })
}

// ---------------------------------------------------------------------------------------
// Dialects: source fields → RawAccount.

/// A non-empty trimmed string at a path of object keys.
fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut cur = v;
    for key in path {
        cur = cur.get(key)?;
    }
    cur.as_str().map(str::trim).filter(|s| !s.is_empty())
}

/// The first of several paths that holds a non-empty string.
fn first_str<'a>(v: &'a Value, paths: &[&[&str]]) -> Option<&'a str> {
    paths.iter().find_map(|p| str_at(v, p))
}

/// An id given as a string or a number.
fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Lower-case letters and digits only, so `CREDIT_CARD`, `credit card` and `CreditCard`
/// compare equal.
fn key(text: Option<&str>) -> String {
    text.unwrap_or("")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// `checking` | `savings` | `credit_card` | `loan` | `investment` | `other`, from the
/// account types of Algoan (`CHECKING`, `CREDIT_CARD`…), Budget Insight (`checking`,
/// `card`, `market`, `lifeinsurance`…) and Linxo (`CASH_ACCOUNT`, `CARD`, `SAVING`…).
fn normalise_type(raw: Option<&str>) -> &'static str {
    match key(raw).as_str() {
        "checking" | "checkingaccount" | "current" | "currentaccount" | "cashaccount" | "cacc" => {
            "checking"
        }
        "savings" | "saving" | "savingsaccount" | "deposit" | "svgs" => "savings",
        "card" | "cards" | "creditcard" | "deferreddebitcard" => "credit_card",
        "loan" | "loans" | "mortgage" | "consumercredit" | "revolvingcredit" => "loan",
        "investment" | "investments" | "market" | "securities" | "brokerage" | "lifeinsurance"
        | "pea" | "pee" | "perco" | "perp" | "per" | "article83" | "rsp" | "madelin"
        | "capitalisation" | "capitalization" | "crowdlending" | "realestate" => "investment",
        _ => "other",
    }
}

/// Plaid's `type` and `subtype` (`depository`/`checking`, `credit`/`credit card`…).
fn plaid_type(kind: Option<&str>, subtype: Option<&str>) -> &'static str {
    match key(kind).as_str() {
        "depository" => match key(subtype).as_str() {
            "checking" | "cashmanagement" | "prepaid" | "paypal" | "ebt" => "checking",
            "savings" | "moneymarket" | "cd" | "hsa" => "savings",
            _ => "other",
        },
        "credit" => "credit_card",
        "loan" => "loan",
        "investment" | "brokerage" => "investment",
        _ => "other",
    }
}

/// Algoan `PROFESSIONAL`, Budget Insight `ORGA`/`ASSO`, Linxo `ORGANISATION`.
fn is_business(usage: Option<&str>) -> bool {
    matches!(
        key(usage).as_str(),
        "professional"
            | "pro"
            | "business"
            | "orga"
            | "organisation"
            | "organization"
            | "asso"
            | "association"
            | "company"
            | "corporate"
    )
}

/// Algoan `ATTORNEY` (and `POWER_OF_ATTORNEY`, Budget Insight `attorney`).
fn is_attorney(ownership: Option<&str>) -> bool {
    key(ownership).contains("attorney")
}

fn algoan_account(a: &Value) -> RawAccount<'_> {
    let mut owners: Vec<String> = a["owners"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| str_at(o, &["name"]).or_else(|| o.as_str().map(str::trim)))
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    if owners.is_empty()
        && let Some(owner) = str_at(a, &["owner"])
    {
        owners.push(owner.to_owned());
    }
    RawAccount {
        account_type: normalise_type(a["type"].as_str()),
        business: is_business(a["usage"].as_str()),
        attorney: is_attorney(a["ownership"].as_str()),
        owners,
        institution: first_str(a, &[&["bank", "name"], &["bank"]]).map(str::to_owned),
        account_number: first_str(a, &[&["iban"], &["number"]]).map(str::to_owned),
        email: None,
        currency: str_at(a, &["currency"]),
        balance: a.get("balance"),
        transactions: transactions_of(a)
            .map(|t| RawTransaction {
                date: first_str(
                    t,
                    &[&["dates", "debitedAt"], &["dates", "bookedAt"], &["date"]],
                ),
                amount: &t["amount"],
                description: str_at(t, &["description"]).unwrap_or("").to_owned(),
                reference: id_text(&t["id"]),
                currency: str_at(t, &["currency"]),
            })
            .collect(),
    }
}

fn budget_insight_account<'a>(a: &'a Value, connection: Option<&'a Value>) -> RawAccount<'a> {
    let institution = connection
        .and_then(|c| first_str(c, &[&["connector", "name"], &["bank", "name"]]))
        .map(str::to_owned);
    RawAccount {
        account_type: normalise_type(a["type"].as_str()),
        business: is_business(a["usage"].as_str()),
        attorney: is_attorney(a["ownership"].as_str()),
        owners: Vec::new(),
        institution,
        account_number: first_str(a, &[&["iban"], &["number"], &["webid"]]).map(str::to_owned),
        email: None,
        currency: first_str(a, &[&["currency", "id"], &["currency"]]),
        balance: a.get("balance"),
        transactions: transactions_of(a)
            .map(|t| RawTransaction {
                // `date` is the debit date, `rdate` the day of the operation.
                date: first_str(t, &[&["date"], &["rdate"]]),
                amount: &t["value"],
                description: first_str(
                    t,
                    &[&["original_wording"], &["wording"], &["simplified_wording"]],
                )
                .unwrap_or("")
                .to_owned(),
                reference: id_text(&t["id"]),
                currency: first_str(t, &[&["currency", "id"], &["currency"]]),
            })
            .collect(),
    }
}

fn linxo_account(a: &Value) -> RawAccount<'_> {
    let currency = first_str(a, &[&["currency"]]).or_else(|| {
        a["balances"]
            .as_array()?
            .iter()
            .find_map(|b| str_at(b, &["balance_amount", "currency"]))
    });
    RawAccount {
        account_type: normalise_type(a["type"].as_str()),
        business: is_business(a["usage"].as_str()),
        attorney: is_attorney(a["ownership"].as_str()),
        owners: Vec::new(),
        institution: None,
        account_number: first_str(a, &[&["iban"], &["account_number"]]).map(str::to_owned),
        email: None,
        currency,
        balance: linxo_balance(a, currency),
        transactions: transactions_of(a)
            .map(|t| RawTransaction {
                date: first_str(
                    t,
                    &[&["booking_date"], &["transaction_date"], &["value_date"]],
                ),
                amount: &t["transaction_amount"]["amount"],
                description: match &t["remittance_information"] {
                    Value::Array(lines) => lines
                        .iter()
                        .filter_map(|l| l.as_str().map(str::trim))
                        .filter(|l| !l.is_empty())
                        .collect::<Vec<_>>()
                        .join(" "),
                    Value::String(s) => s.trim().to_owned(),
                    _ => String::new(),
                },
                reference: id_text(&t["id"]),
                currency: str_at(t, &["transaction_amount", "currency"]),
            })
            .collect(),
    }
}

/// The account's booked balance in its own currency: a `*BOOKED*`/`CLOSING*` type when
/// the balances are typed, else the first.
fn linxo_balance<'a>(a: &'a Value, currency: Option<&str>) -> Option<&'a Value> {
    let balances: Vec<&Value> = a["balances"]
        .as_array()?
        .iter()
        .filter(|b| {
            let own = str_at(b, &["balance_amount", "currency"]);
            own.is_none() || own == currency
        })
        .collect();
    let booked = balances.iter().find(|b| {
        let kind = key(b["balance_type"].as_str());
        kind.contains("booked") || kind.contains("closing")
    });
    booked
        .or(balances.first())
        .map(|b| &b["balance_amount"]["amount"])
}

fn plaid_account(a: &Value) -> RawAccount<'_> {
    let identity = &a["identity"];
    let owners = identity["names"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n.as_str().map(str::trim))
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect();
    let emails: Vec<&Value> = identity["emails"]
        .as_array()
        .into_iter()
        .flatten()
        .collect();
    let email = emails
        .iter()
        .find(|e| e["primary"] == Value::Bool(true))
        .or(emails.first())
        .and_then(|e| str_at(e, &["data"]))
        .map(str::to_owned);
    RawAccount {
        account_type: plaid_type(a["type"].as_str(), a["subtype"].as_str()),
        // Plaid's configs say nothing of usage or ownership.
        business: false,
        attorney: false,
        owners,
        institution: None,
        account_number: first_str(
            a,
            &[
                &["numbers", "international_iban"],
                &["numbers", "account"],
                &["mask"],
            ],
        )
        .map(str::to_owned),
        email,
        currency: str_at(a, &["currency"]),
        // "If provided, the account will start with this amount as the current balance":
        // the balance Plaid reports now, after the listed (past) transactions.
        balance: a.get("starting_balance"),
        transactions: transactions_of(a)
            .map(|t| RawTransaction {
                date: first_str(t, &[&["date_posted"], &["date_transacted"]]),
                amount: &t["amount"],
                description: str_at(t, &["description"]).unwrap_or("").to_owned(),
                reference: id_text(&t["transaction_id"]),
                currency: str_at(t, &["currency"]),
            })
            .collect(),
    }
}

// ---------------------------------------------------------------------------------------
// RawAccount → Statement.

fn build(dialect: Dialect, raw: RawAccount<'_>, number: usize) -> Result<Account, ExtractError> {
    let damaged = |what: String| {
        ExtractError::CorruptFile(format!("{} account {number}: {what}", dialect.id()))
    };
    let code = raw
        .currency
        .or_else(|| raw.transactions.iter().find_map(|t| t.currency))
        // Plaid's sandbox denominates an account in USD unless told otherwise.
        .or((dialect == Dialect::Plaid).then_some("USD"))
        .ok_or_else(|| damaged("no currency is given".into()))?;
    let currency = Currency::parse(code).map_err(|e| damaged(e.to_string()))?;
    let scale = currency.minor_units();

    let mut transactions = Vec::with_capacity(raw.transactions.len());
    let mut foreign_rows = Vec::new();
    for (i, t) in raw.transactions.iter().enumerate() {
        let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let row = |what: String| damaged(format!("transaction {line}: {what}"));
        let date = t
            .date
            .ok_or_else(|| row("no date".into()))
            .and_then(|d| parse_date(d).ok_or_else(|| row(format!("invalid date {d:?}"))))?;
        let signed = exact_amount(t.amount, scale).map_err(row)?;
        let money_out = if dialect.positive_is_debit() {
            !signed.is_negative() && !signed.is_zero()
        } else {
            signed.is_negative()
        };
        let amount = signed
            .checked_abs()
            .ok_or_else(|| row("amount out of range".into()))?;
        if let Some(other) = t.currency
            && Currency::parse(other).ok() != Some(currency)
        {
            foreign_rows.push((line, other.to_owned()));
        }
        transactions.push(Transaction {
            date,
            time: None,
            reference: t.reference.clone(),
            description: t.description.clone(),
            status: None,
            amount,
            direction: if money_out {
                Direction::Debit
            } else {
                Direction::Credit
            },
            balance: None,
            page: 0,
            line,
        });
    }
    // Stable: rows of one day keep the source's order.
    transactions.sort_by_key(|t| t.date);

    let closing = match raw.balance {
        None | Some(Value::Null) => None,
        Some(v) => Some(exact_amount(v, scale).map_err(|e| damaged(format!("balance: {e}")))?),
    };
    let net = transactions.iter().try_fold(Amount::zero(scale), |acc, t| {
        acc.checked_add(t.signed_amount())
    });
    let opening = closing.and_then(|c| c.checked_sub(net?));

    let reconciliation = checks::reconcile(&transactions, opening, closing, None, scale);
    let mut confidence = checks::confidence(&transactions, &reconciliation, &Evidence::default());
    if let Some((line, other)) = foreign_rows.first() {
        confidence.reasons.push(ConfidenceReason {
            code: "foreign_currency_rows".into(),
            message: format!(
                "{} transactions are in another currency than the account's {currency} (first: line {line}, {other}); their amounts are kept as given",
                foreign_rows.len()
            ),
            penalty: 0.2,
        });
        let total: f64 = confidence.reasons.iter().map(|r| r.penalty).sum();
        confidence.score = ((1.0 - total).max(0.0) * 1000.0).round() / 1000.0;
    }
    let period = match (transactions.first(), transactions.last()) {
        (Some(first), Some(last)) => Some(Period {
            start: first.date,
            end: last.date,
        }),
        _ => None,
    };

    Ok(Account {
        business: raw.business,
        attorney: raw.attorney,
        owner_named: !raw.owners.is_empty(),
        statement: Statement {
            format: "open_banking_json".into(),
            layout: dialect.id().into(),
            provider: "open_banking".into(),
            institution: raw.institution,
            account_holder: (!raw.owners.is_empty()).then(|| raw.owners.join(", ")),
            account_number: raw.account_number,
            email: raw.email,
            account_type: Some(raw.account_type.into()),
            currency,
            period,
            request_date: None,
            opening_balance: opening,
            closing_balance: closing,
            declared_totals: None,
            summary: Vec::new(),
            pages: Pages {
                present: 0,
                expected: 0,
            },
            pdf: None,
            transactions,
            reconciliation,
            confidence,
            forensics: Forensics::default(),
            reading: None,
        },
    })
}

/// The date part of `2024-03-01`, `2024-03-01T00:00:00.000Z` or `2024-03-01 10:00`.
fn parse_date(text: &str) -> Option<NaiveDate> {
    let day = text.get(..10)?;
    let rest = &text[10..];
    if !(rest.is_empty() || rest.starts_with('T') || rest.starts_with(' ')) {
        return None;
    }
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

/// Significant digits an f64 keeps for any decimal text (`f64::DIGITS`).
const EXACT_DIGITS: usize = f64::DIGITS as usize;

/// A JSON amount (a number, or decimal text as Linxo writes it) at exactly `scale`
/// decimals; an error when it has more decimals than that, never a rounded value.
fn exact_amount(value: &Value, scale: u8) -> Result<Amount, String> {
    let text = match value {
        Value::Number(n) => number_text(n)?,
        Value::String(s) => s.trim().to_owned(),
        Value::Null => return Err("no amount".into()),
        other => return Err(format!("{other} is not an amount")),
    };
    Amount::parse_with_scale(drop_fraction_zeros(&text), scale).map_err(|e| e.to_string())
}

/// `1.50` → `1.5`, `100.0` → `100`: the value's own decimals, so a JPY `100.0` is 100.
fn drop_fraction_zeros(text: &str) -> &str {
    if !text.contains('.') {
        return text;
    }
    text.trim_end_matches('0').trim_end_matches('.')
}

/// The exact decimal text of a JSON number, without exponent.
///
/// serde_json keeps integers exact; other numbers pass through an f64 whose shortest
/// round-trip text (`Number`'s Display) is exactly the source's value whenever the source
/// has at most 15 significant digits. A longer text may stand for several decimals, so it
/// is refused rather than guessed.
fn number_text(n: &Number) -> Result<String, String> {
    let text = n.to_string();
    if n.is_i64() || n.is_u64() {
        return Ok(text);
    }
    let plain = expand_exponent(&text).ok_or_else(|| format!("{text} is not an amount"))?;
    let digits: String = plain.chars().filter(char::is_ascii_digit).collect();
    let significant = digits.trim_start_matches('0').trim_end_matches('0').len();
    if significant > EXACT_DIGITS {
        return Err(format!(
            "{text} has more significant digits than a JSON number carries exactly"
        ));
    }
    Ok(plain)
}

/// `1.5e-7` → `0.00000015`, `1e21` → `1000000000000000000000`; text without an exponent
/// is returned as is.
fn expand_exponent(text: &str) -> Option<String> {
    let Some((mantissa, exponent)) = text.split_once(['e', 'E']) else {
        return Some(text.to_owned());
    };
    let exponent: i32 = exponent
        .strip_prefix('+')
        .unwrap_or(exponent)
        .parse()
        .ok()?;
    if exponent.unsigned_abs() > 400 {
        return None;
    }
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{int}{frac}");
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let point = i32::try_from(int.len()).ok()? + exponent;
    let len = i32::try_from(digits.len()).ok()?;
    let body = if point <= 0 {
        format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
    } else if point >= len {
        format!("{digits}{}", "0".repeat((point - len) as usize))
    } else {
        let (a, b) = digits.split_at(point as usize);
        format!("{a}.{b}")
    };
    Some(format!("{sign}{body}"))
}

// ---------------------------------------------------------------------------------------
// Refusals.

fn kind(a: &Account) -> &str {
    a.statement.account_type.as_deref().unwrap_or("other")
}

/// Algoan's documented refusals, in order of precedence.
fn refuse(dialect: Dialect, accounts: &[Account], options: &Options) -> Result<(), ExtractError> {
    let reject = |reason, detail: String| Err(ExtractError::Rejected { reason, detail });

    if accounts.iter().all(|a| kind(a) == "other") {
        return reject(
            Rejection::AccountTypeNotSupported,
            format!(
                "none of the {} accounts has a supported type (checking, savings, credit card, loan, investment)",
                accounts.len()
            ),
        );
    }
    let checking: Vec<&Account> = accounts.iter().filter(|a| kind(a) == "checking").collect();
    if checking.is_empty() {
        let kinds: Vec<&str> = accounts.iter().map(kind).collect();
        return reject(
            Rejection::NoCheckingAccount,
            format!(
                "no checking account among the accounts ({})",
                kinds.join(", ")
            ),
        );
    }
    if checking.iter().all(|a| a.business) {
        return reject(
            Rejection::UsageNotSupported,
            "every checking account is for professional (business) use".into(),
        );
    }
    if accounts.iter().all(|a| a.attorney) {
        return reject(
            Rejection::OwnershipNotSupported,
            "every account is held under a power of attorney".into(),
        );
    }
    if dialect.carries_owners() && !checking.iter().any(|a| a.owner_named) {
        return reject(
            Rejection::NoOwnerName,
            "no checking account names its owner".into(),
        );
    }
    if let Some(wanted) = options.currency
        && let Some(other) = accounts.iter().find(|a| a.statement.currency != wanted)
    {
        return reject(
            Rejection::CurrencyNotSupported,
            format!(
                "an account is in {}, not {wanted}",
                other.statement.currency
            ),
        );
    }
    if checking.iter().all(|a| a.statement.transactions.is_empty()) {
        return reject(
            Rejection::NotEnoughTransactions,
            "the checking accounts hold no transactions".into(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur(minor: i64) -> Amount {
        Amount::from_minor(minor, 2)
    }

    fn read_json(json: &str) -> Result<Vec<Statement>, ExtractError> {
        read(json.as_bytes(), &Options::default())
    }

    fn code(result: Result<Vec<Statement>, ExtractError>) -> &'static str {
        match result {
            Ok(_) => "ok",
            Err(e) => e.code(),
        }
    }

    /// `(type, usage, extra fields, transactions)` of one Algoan account.
    type Spec<'a> = (&'a str, &'a str, &'a str, &'a str);

    /// An Algoan document with one account per spec.
    fn algoan(accounts: &[Spec<'_>]) -> String {
        let accounts: Vec<String> = accounts
            .iter()
            .map(|(kind, usage, extra, transactions)| {
                format!(
                    r#"{{"type":"{kind}","usage":"{usage}","currency":"EUR","balance":100,
                        "balanceDate":"2024-03-31T12:00:00.000Z"{extra},
                        "transactions":[{transactions}]}}"#
                )
            })
            .collect();
        format!(r#"{{"accounts":[{}]}}"#, accounts.join(","))
    }

    const OWNER: &str = r#","owners":[{"name":"JANE DOE"}]"#;
    const ONE_TX: &str = r#"{"currency":"EUR","dates":{"debitedAt":"2024-03-01T12:00:00.000Z"},"description":"X","amount":-1}"#;

    #[test]
    fn algoan_accounts_become_statements() {
        let json = r#"{"accounts":[
          {"name":"Compte","balance":1457.16,"balanceDate":"2024-03-31T12:00:00.000Z",
           "owners":[{"name":"HERMIONE GRANGER"}],"owner":"JONATHAN DURAND",
           "bank":{"name":"Algoan Demo"},"currency":"EUR","type":"CHECKING","usage":"PERSONAL",
           "iban":"FR7630003542407598000013738","number":"account 01",
           "transactions":[
             {"currency":"EUR","dates":{"debitedAt":"2024-03-05T12:00:00.000Z"},"description":"LOYER","amount":-590},
             {"currency":"EUR","dates":{"debitedAt":"2024-03-01T00:00:00.000Z"},"description":"SALAIRE","amount":2000.5,"id":"t-1"},
             {"currency":"EUR","dates":{"bookedAt":"2024-03-05T23:59:59.000Z"},"description":"EDF","amount":-60.07}
           ]},
          {"balance":2200,"balanceDate":"2024-03-31T12:00:00.000Z","owners":[{"name":"HERMIONE GRANGER"}],
           "currency":"EUR","type":"SAVINGS","usage":"PERSONAL","iban":"FR76300043675358","transactions":[]}
        ]}"#;
        let statements = read_json(json).unwrap();
        assert_eq!(statements.len(), 2);
        let s = &statements[0];
        assert_eq!(s.format, "open_banking_json");
        assert_eq!(s.layout, "algoan");
        assert_eq!(s.provider, "open_banking");
        assert_eq!(s.institution.as_deref(), Some("Algoan Demo"));
        assert_eq!(s.account_holder.as_deref(), Some("HERMIONE GRANGER"));
        assert_eq!(
            s.account_number.as_deref(),
            Some("FR7630003542407598000013738")
        );
        assert_eq!(s.account_type.as_deref(), Some("checking"));
        assert_eq!(s.currency, Currency::EUR);
        let lines: Vec<u32> = s.transactions.iter().map(|t| t.line).collect();
        assert_eq!(lines, [2, 1, 3], "chronological, stable within a day");
        let first = &s.transactions[0];
        assert_eq!(first.date, NaiveDate::from_ymd_opt(2024, 3, 1).unwrap());
        assert_eq!(first.description, "SALAIRE");
        assert_eq!(first.reference.as_deref(), Some("t-1"));
        assert_eq!(first.amount, eur(200050));
        assert_eq!(first.direction, Direction::Credit);
        assert_eq!(first.page, 0);
        assert_eq!(first.balance, None);
        assert_eq!(s.transactions[1].direction, Direction::Debit);
        assert_eq!(s.transactions[1].amount, eur(59000));
        assert_eq!(s.transactions[1].reference, None);
        assert_eq!(
            s.period,
            Some(Period {
                start: NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
                end: NaiveDate::from_ymd_opt(2024, 3, 5).unwrap(),
            })
        );
        assert_eq!(s.closing_balance, Some(eur(145716)));
        // 1457.16 − (2000.50 − 590 − 60.07) = 106.73
        assert_eq!(s.opening_balance, Some(eur(10673)));
        assert_eq!(s.reconciliation.credits_total, eur(200050));
        assert_eq!(s.reconciliation.debits_total, eur(65007));
        assert_eq!(s.reconciliation.balance_equation_holds, Some(true));
        assert_eq!(s.pages, Pages::default());
        assert!(s.pdf.is_none());
        assert!(s.confidence.score > 0.0 && s.confidence.score <= 1.0);
        let savings = &statements[1];
        assert_eq!(savings.account_type.as_deref(), Some("savings"));
        assert!(savings.transactions.is_empty());
        assert_eq!(savings.period, None);
        assert_eq!(savings.opening_balance, Some(eur(220000)));
    }

    #[test]
    fn algoan_owner_field_is_a_fallback_for_owners() {
        let json = algoan(&[(
            "CHECKING",
            "PERSONAL",
            r#","owner":"SHERLOCK HOLMES""#,
            ONE_TX,
        )]);
        let s = read_json(&json).unwrap();
        assert_eq!(s[0].account_holder.as_deref(), Some("SHERLOCK HOLMES"));
    }

    #[test]
    fn budget_insight_v2_is_read() {
        let json = r#"{"format":"BUDGET_INSIGHT_V2_0","connections":[{"accounts":[
          {"balance":-362.05,"last_update":"2024-03-31T12:00:00.000Z","iban":"GB05GQKQ13065644352477",
           "currency":{"id":"GBP"},"type":"checking","usage":"PRIV","id":833,
           "transactions":[
             {"date":"2024-03-02T12:00:00.000Z","rdate":"2024-03-01T12:00:00.000Z","currency":"GBP","value":-9.99,"original_wording":"FREE MOBILE","id":746},
             {"rdate":"2024-03-01T12:00:00.000Z","currency":"GBP","value":25,"original_wording":"REFUND","id":7}
           ]},
          {"balance":-120,"currency":{"id":"GBP"},"type":"card","usage":"PRIV","transactions":[]}
        ]}]}"#;
        let s = read_json(json).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].layout, "budget_insight_v2");
        assert_eq!(s[0].currency, Currency::GBP);
        assert_eq!(s[0].account_holder, None);
        let t = &s[0].transactions;
        assert_eq!(t[0].line, 2, "the rdate-only row is dated 1 March");
        assert_eq!(t[0].direction, Direction::Credit);
        assert_eq!(t[1].date, NaiveDate::from_ymd_opt(2024, 3, 2).unwrap());
        assert_eq!(t[1].amount, eur(999));
        assert_eq!(t[1].direction, Direction::Debit);
        assert_eq!(t[1].reference.as_deref(), Some("746"));
        assert_eq!(t[1].description, "FREE MOBILE");
        assert_eq!(s[0].closing_balance, Some(eur(-36205)));
        assert_eq!(s[1].account_type.as_deref(), Some("credit_card"));
    }

    #[test]
    fn linxo_connect_v3_is_read_from_decimal_text() {
        let json = r#"{"format":"LINXO_CONNECT_DIRECT_ACCOUNT_API_V3","connections":[{"accounts":[
          {"name":"Cuenta","balances":[{"balance_amount":{"currency":"EUR","amount":"1457.16"},"reference_date":"2024-03-31T12:00:00.000Z"}],
           "currency":"EUR","type":"CASH_ACCOUNT","usage":"PRIVATE","account_id":"dW3g","iban":"ES8056632527778231322442",
           "transactions":[
             {"transaction_amount":{"currency":"EUR","amount":"-130.5"},"booking_date":"2024-03-30T12:00:00.000Z",
              "remittance_information":["PRELEVEMENT","COFIDIS"],"id":"vRTf"},
             {"transaction_amount":{"currency":"EUR","amount":"0.10"},"transaction_date":"2024-03-29T12:00:00.000Z",
              "remittance_information":["INTERETS"],"id":"a1"}
           ]},
          {"balances":[{"balance_amount":{"currency":"EUR","amount":"2200"}}],"currency":"EUR","type":"SAVING","usage":"PRIVATE","transactions":[]}
        ]}]}"#;
        let s = read_json(json).unwrap();
        assert_eq!(s[0].layout, "linxo_connect_v3");
        assert_eq!(s[0].account_type.as_deref(), Some("checking"));
        let t = &s[0].transactions;
        assert_eq!(t[0].description, "INTERETS");
        assert_eq!(t[0].amount, eur(10));
        assert_eq!(t[1].description, "PRELEVEMENT COFIDIS");
        assert_eq!(t[1].amount, eur(13050));
        assert_eq!(t[1].direction, Direction::Debit);
        assert_eq!(t[1].reference.as_deref(), Some("vRTf"));
        assert_eq!(s[0].closing_balance, Some(eur(145716)));
        assert_eq!(s[0].opening_balance, Some(eur(145716 + 13050 - 10)));
        assert_eq!(s[1].account_type.as_deref(), Some("savings"));
        assert_eq!(s[1].closing_balance, Some(eur(220000)));
    }

    #[test]
    fn plaid_positive_is_money_out() {
        let json = r#"{"override_accounts":[{"type":"depository","subtype":"checking",
          "starting_balance":152854.23,
          "numbers":{"account":"1111222233335555","ach_routing":"122105155"},
          "identity":{"names":["Hooli LLC"],"emails":[{"data":"a@b.c","primary":true}]},
          "transactions":[
            {"date_transacted":"2024-03-21","date_posted":"2024-03-22","amount":-7500,"description":"Send Money","currency":"USD"},
            {"date_transacted":"2024-03-19","date_posted":"2024-03-20","amount":1523.52,"description":"TWILIO","currency":"USD"}
          ]}]}"#;
        let s = read_json(json).unwrap();
        assert_eq!(s.len(), 1);
        let s = &s[0];
        assert_eq!(s.layout, "plaid");
        assert_eq!(s.currency, Currency::USD);
        assert_eq!(s.account_type.as_deref(), Some("checking"));
        assert_eq!(s.account_holder.as_deref(), Some("Hooli LLC"));
        assert_eq!(s.account_number.as_deref(), Some("1111222233335555"));
        assert_eq!(s.email.as_deref(), Some("a@b.c"));
        assert_eq!(s.transactions[0].description, "TWILIO");
        assert_eq!(s.transactions[0].direction, Direction::Debit);
        assert_eq!(s.transactions[0].amount, eur(152352));
        assert_eq!(
            s.transactions[0].date,
            NaiveDate::from_ymd_opt(2024, 3, 20).unwrap(),
            "the posting date"
        );
        assert_eq!(s.transactions[1].direction, Direction::Credit);
        assert_eq!(s.transactions[1].amount, eur(750000));
        assert_eq!(s.closing_balance, Some(eur(15285423)));
        assert_eq!(s.reconciliation.credits_total, eur(750000));
        assert_eq!(s.reconciliation.debits_total, eur(152352));
    }

    #[test]
    fn plaid_types_are_normalised_and_every_account_is_kept() {
        let json = r#"{"override_accounts":[
          {"type":"depository","subtype":"savings","transactions":[]},
          {"type":"depository","subtype":"checking","transactions":[{"date_posted":"2024-01-02","amount":5,"description":"x","currency":"USD"}]},
          {"type":"loan","subtype":"student"},
          {"type":"credit","subtype":"credit card","starting_balance":10000},
          {"type":"investment","subtype":"brokerage"},
          {"type":"payroll","subtype":"payroll"}
        ]}"#;
        let s = read_json(json).unwrap();
        let kinds: Vec<&str> = s
            .iter()
            .map(|s| s.account_type.as_deref().unwrap())
            .collect();
        assert_eq!(
            kinds,
            [
                "savings",
                "checking",
                "loan",
                "credit_card",
                "investment",
                "other"
            ]
        );
    }

    #[test]
    fn amounts_are_exact_decimals() {
        // 0.1 + 0.2 is 0.30000000000000004 in f64; as decimal text it is 0.30.
        let json = algoan(&[(
            "CHECKING",
            "PERSONAL",
            OWNER,
            r#"{"dates":{"debitedAt":"2024-03-01"},"description":"a","amount":0.1},
               {"dates":{"debitedAt":"2024-03-02"},"description":"b","amount":0.2},
               {"dates":{"debitedAt":"2024-03-03"},"description":"c","amount":-0.30},
               {"dates":{"debitedAt":"2024-03-04"},"description":"d","amount":1.1e1},
               {"dates":{"debitedAt":"2024-03-05"},"description":"e","amount":-99999999999.99}"#,
        )]);
        let s = &read_json(&json).unwrap()[0];
        assert_eq!(s.transactions[0].amount, eur(10));
        assert_eq!(s.reconciliation.credits_total, eur(10 + 20 + 1100));
        assert_eq!(s.reconciliation.debits_total, eur(30 + 9_999_999_999_999));
        assert_eq!(s.transactions[3].amount, eur(1100));
        assert_eq!(s.transactions[4].amount.to_string(), "99999999999.99");
        // balance 100 − (0.1 + 0.2 − 0.3 + 11 − 99999999999.99)
        assert_eq!(
            s.opening_balance,
            Some(eur(10000 - 1100 + 9_999_999_999_999))
        );
    }

    #[test]
    fn amounts_with_too_many_decimals_are_errors_never_rounded() {
        for amount in ["1.005", "0.30000000000000004", "\"12.345\"", "1e-3"] {
            let tx = format!(
                r#"{{"dates":{{"debitedAt":"2024-03-01"}},"description":"a","amount":{amount}}}"#
            );
            let json = algoan(&[("CHECKING", "PERSONAL", OWNER, &tx)]);
            let err = read_json(&json).unwrap_err();
            assert_eq!(err.code(), "corrupt_file", "{amount}: {err}");
            assert!(err.to_string().contains("transaction 1"), "{err}");
        }
        // Trailing zeros are not decimals: a JPY 1200.0 is 1200 yen.
        let json = r#"{"accounts":[{"type":"CHECKING","currency":"JPY","owners":[{"name":"A"}],
            "transactions":[{"dates":{"debitedAt":"2024-03-01"},"description":"a","amount":-1200.0}]}]}"#;
        let s = &read_json(json).unwrap()[0];
        assert_eq!(s.transactions[0].amount, Amount::from_minor(1200, 0));
        assert_eq!(s.closing_balance, None);
        assert_eq!(s.opening_balance, None);
    }

    #[test]
    fn number_text_is_exact_or_refused() {
        let n = |s: &str| serde_json::from_str::<Number>(s).unwrap();
        assert_eq!(number_text(&n("130.5")).unwrap(), "130.5");
        assert_eq!(number_text(&n("-590")).unwrap(), "-590");
        assert_eq!(number_text(&n("1e21")).unwrap(), "1000000000000000000000");
        assert_eq!(number_text(&n("-1.5e-7")).unwrap(), "-0.00000015");
        assert_eq!(
            number_text(&n("123456789012.34")).unwrap(),
            "123456789012.34"
        );
        assert!(number_text(&n("1234567890123456.78")).is_err());
        assert_eq!(expand_exponent("1.25E+2").as_deref(), Some("125"));
        assert_eq!(expand_exponent("12.5e-1").as_deref(), Some("1.25"));
    }

    #[test]
    fn dates_take_their_date_part() {
        assert_eq!(
            parse_date("2024-03-01T00:00:00.000Z"),
            NaiveDate::from_ymd_opt(2024, 3, 1)
        );
        assert_eq!(
            parse_date("2024-03-01"),
            NaiveDate::from_ymd_opt(2024, 3, 1)
        );
        assert_eq!(parse_date("2024-02-30"), None);
        assert_eq!(parse_date("01/03/2024"), None);
        assert_eq!(parse_date("2024-03-011"), None);
        assert_eq!(parse_date("2024-03-é"), None);
        let tx = r#"{"dates":{"debitedAt":"yesterday"},"description":"a","amount":1}"#;
        let json = algoan(&[("CHECKING", "PERSONAL", OWNER, tx)]);
        assert_eq!(code(read_json(&json)), "corrupt_file");
    }

    #[test]
    fn each_refusal_has_its_code() {
        let personal = ("CHECKING", "PERSONAL", OWNER, ONE_TX);
        let cases: [(&str, Vec<Spec<'_>>); 6] = [
            (
                "account_type_not_supported",
                vec![("UNKNOWN", "PERSONAL", OWNER, ONE_TX)],
            ),
            (
                "no_checking_account",
                vec![
                    ("SAVINGS", "PERSONAL", OWNER, ONE_TX),
                    ("LOAN", "PERSONAL", OWNER, ""),
                ],
            ),
            (
                "usage_not_supported",
                vec![
                    ("CHECKING", "PROFESSIONAL", OWNER, ONE_TX),
                    ("SAVINGS", "PERSONAL", OWNER, ""),
                ],
            ),
            (
                "ownership_not_supported",
                vec![
                    (
                        "CHECKING",
                        "PERSONAL",
                        r#","ownership":"ATTORNEY","owners":[{"name":"A"}]"#,
                        ONE_TX,
                    ),
                    ("LOAN", "PERSONAL", r#","ownership":"ATTORNEY""#, ""),
                ],
            ),
            ("no_owner_name", vec![("CHECKING", "PERSONAL", "", ONE_TX)]),
            (
                "not_enough_transactions",
                vec![
                    ("CHECKING", "PERSONAL", OWNER, ""),
                    ("SAVINGS", "PERSONAL", OWNER, ONE_TX),
                ],
            ),
        ];
        for (expected, accounts) in cases {
            let json = algoan(&accounts);
            assert_eq!(code(read_json(&json)), expected, "{json}");
            // Refused documents are still read in full without the checks.
            assert_eq!(
                read_unchecked(json.as_bytes()).unwrap().len(),
                accounts.len()
            );
        }
        assert_eq!(code(read_json(&algoan(&[personal]))), "ok");
        // One personal checking account among business ones is enough; one account not
        // under attorney is enough.
        let mixed = algoan(&[
            ("CHECKING", "PROFESSIONAL", OWNER, ONE_TX),
            (
                "CHECKING",
                "PERSONAL",
                r#","ownership":"ATTORNEY","owners":[{"name":"A"}]"#,
                ONE_TX,
            ),
            ("SAVINGS", "PERSONAL", "", ""),
        ]);
        assert_eq!(code(read_json(&mixed)), "ok");
    }

    #[test]
    fn currency_is_refused_only_when_the_caller_names_one() {
        let json = r#"{"accounts":[{"type":"CHECKING","usage":"PERSONAL","currency":"USD","balance":1457.16,
            "owners":[{"name":"A"}],"transactions":[
              {"currency":"USD","dates":{"debitedAt":"2024-05-05T12:00:00.000Z"},"description":"VIR","amount":1000},
              {"currency":"EUR","dates":{"debitedAt":"2024-05-06T12:00:00.000Z"},"description":"NAVIGO","amount":75.2}]}]}"#;
        let s = read_json(json).unwrap();
        assert_eq!(s[0].currency, Currency::USD);
        assert!(
            s[0].confidence
                .reasons
                .iter()
                .any(|r| r.code == "foreign_currency_rows"),
            "{:?}",
            s[0].confidence
        );
        let eur_only = Options {
            currency: Some(Currency::EUR),
            ..Options::default()
        };
        let err = read(json.as_bytes(), &eur_only).unwrap_err();
        assert_eq!(err.code(), "currency_not_supported");
        let usd_only = Options {
            currency: Some(Currency::USD),
            ..Options::default()
        };
        assert!(read(json.as_bytes(), &usd_only).is_ok());
    }

    #[test]
    fn refusals_follow_their_order_of_precedence() {
        let gbp_only = Options {
            currency: Some(Currency::GBP),
            ..Options::default()
        };
        // Unknown types, no owner, no transactions and another currency: the type wins.
        let json = algoan(&[("UNKNOWN", "PROFESSIONAL", "", "")]);
        assert_eq!(
            code(read(json.as_bytes(), &gbp_only)),
            "account_type_not_supported"
        );
        // A business checking account without owner or transactions: usage.
        let json = algoan(&[("CHECKING", "PROFESSIONAL", "", "")]);
        assert_eq!(
            code(read(json.as_bytes(), &gbp_only)),
            "usage_not_supported"
        );
        // No owner name, wrong currency, no transactions: the owner.
        let json = algoan(&[("CHECKING", "PERSONAL", "", "")]);
        assert_eq!(code(read(json.as_bytes(), &gbp_only)), "no_owner_name");
        // Wrong currency and no transactions: the currency.
        let json = algoan(&[("CHECKING", "PERSONAL", OWNER, "")]);
        assert_eq!(
            code(read(json.as_bytes(), &gbp_only)),
            "currency_not_supported"
        );
    }

    #[test]
    fn formats_without_owners_are_not_refused_for_a_missing_name() {
        let bi = r#"{"connections":[{"accounts":[{"currency":{"id":"EUR"},"type":"checking","usage":"PRIV",
            "transactions":[{"date":"2024-01-01","value":1,"original_wording":"x"}]}]}]}"#;
        assert_eq!(code(read_json(bi)), "ok");
        let plaid = r#"{"override_accounts":[{"type":"depository","subtype":"checking",
            "transactions":[{"date_posted":"2024-01-01","amount":1,"description":"x"}]}]}"#;
        assert_eq!(code(read_json(plaid)), "ok");
        let plaid_empty = r#"{"override_accounts":[{"type":"depository","subtype":"checking"}]}"#;
        assert_eq!(code(read_json(plaid_empty)), "not_enough_transactions");
    }

    #[test]
    fn damaged_or_unknown_json() {
        assert_eq!(code(read_json("{\"accounts\": [")), "corrupt_file");
        assert_eq!(code(read_json("not json")), "corrupt_file");
        for json in [
            "{}",
            "[]",
            "42",
            r#"{"accounts":[]}"#,
            r#"{"accounts":[1,2]}"#,
            r#"{"accounts":[{"foo":1}]}"#,
            r#"{"connections":[{"accounts":[{"foo":1}]}]}"#,
            r#"{"invoice":{"total":12.5}}"#,
        ] {
            assert_eq!(code(read_json(json)), "not_a_bank_statement", "{json}");
        }
        // A known shape with a missing amount or currency is damaged input.
        let no_amount = r#"{"override_accounts":[{"type":"depository","subtype":"checking",
            "transactions":[{"date_posted":"2024-01-01","amount":null,"description":"x"}]}]}"#;
        assert_eq!(code(read_json(no_amount)), "corrupt_file");
        let no_currency =
            r#"{"accounts":[{"type":"CHECKING","owners":[{"name":"A"}],"transactions":[]}]}"#;
        assert_eq!(code(read_json(no_currency)), "corrupt_file");
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let json = format!(
            "\u{feff}{}",
            algoan(&[("CHECKING", "PERSONAL", OWNER, ONE_TX)])
        );
        assert_eq!(code(read_json(&json)), "ok");
    }

    #[test]
    fn detection_reads_the_shape() {
        let v = |s: &str| serde_json::from_str::<Value>(s).unwrap();
        assert_eq!(
            detect(&v(&algoan(&[("CHECKING", "PERSONAL", OWNER, "")]))),
            Some(Dialect::Algoan)
        );
        // A Budget Insight account listing without the connections wrapper.
        assert_eq!(
            detect(&v(
                r#"{"accounts":[{"currency":{"id":"EUR"},"type":"checking"}]}"#
            )),
            Some(Dialect::BudgetInsightV2)
        );
        // Accounts with nothing distinctive fall back on the `format` field.
        assert_eq!(
            detect(&v(
                r#"{"format":"LINXO_CONNECT_DIRECT_ACCOUNT_API_V3","connections":[{"accounts":[{"type":"SAVING"}]}]}"#
            )),
            Some(Dialect::LinxoConnectV3)
        );
        assert_eq!(
            detect(&v(r#"{"connections":[{"accounts":[{"account_id":"x"}]}]}"#)),
            Some(Dialect::LinxoConnectV3)
        );
        assert_eq!(
            detect(&v(r#"{"override_accounts":[{}]}"#)),
            Some(Dialect::Plaid)
        );
    }
}
