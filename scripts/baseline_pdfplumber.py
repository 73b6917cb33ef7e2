#!/usr/bin/env python3
"""A plain, bank-agnostic pdfplumber statement reader: the baseline Statera is measured against.

    python3 scripts/baseline_pdfplumber.py FILE.pdf      -> JSON on stdout (shape of `statera extract`)

Words -> lines (by baseline) -> rows that start with a date-like token; amounts are assigned to
the right-aligned columns under the header line; direction from the debit/credit header words,
else from the amount's sign / CR-DR marker, else from the balance change. Knows no bank, reads
no truth. Needs pdfplumber (pinned in scripts/gen-random-statements: pdfplumber==0.11.4).
"""
import datetime as dt
import json
import re
import sys
from decimal import Decimal, InvalidOperation

import pdfplumber

MONTHS = {m: i + 1 for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
                                          "oct", "nov", "dec"])}
MON = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
DATE_RES = [
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), "ymd"),
    (re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})$"), "dmy"),
    (re.compile(rf"^(\d{{1,2}})[\- ]({MON})[\- ,]*(\d{{2,4}})$", re.I), "dMy"),
    (re.compile(rf"^({MON}) (\d{{1,2}}),? (\d{{4}})$", re.I), "Mdy"),
    (re.compile(rf"^(\d{{1,2}}) ({MON})$", re.I), "dM"),
]
AMOUNT_RE = re.compile(r"^\(?[-+]?(?:[A-Z]{0,3}[$£€₦₹]|[$£€₦₹])?\s?\d[\d,.' ]*\d?\)?-?(?:CR|DR|Cr|Dr)?$")
HEAD_WORDS = {
    "debit": ["debit", "debits", "withdrawal", "withdrawals", "out", "paid out", "payments", "dr"],
    "credit": ["credit", "credits", "deposit", "deposits", "in", "paid in", "receipts", "lodgements", "cr"],
    "amount": ["amount", "value"],
    "balance": ["balance"],
}


def parse_date(s, year_hint):
    s = s.strip().rstrip(",")
    for rx, kind in DATE_RES:
        m = rx.match(s)
        if not m:
            continue
        try:
            if kind == "ymd":
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            if kind == "dmy":
                a, b, y = int(m[1]), int(m[2]), int(m[3])
                y += 2000 if y < 100 else 0
                if b > 12:
                    a, b = b, a
                return dt.date(y, b, a)
            if kind == "dMy":
                y = int(m[3])
                return dt.date(y + (2000 if y < 100 else 0), MONTHS[m[2][:3].lower()], int(m[1]))
            if kind == "Mdy":
                return dt.date(int(m[3]), MONTHS[m[1][:3].lower()], int(m[2]))
            if kind == "dM":
                return dt.date(year_hint, MONTHS[m[2][:3].lower()], int(m[1]))
        except (ValueError, KeyError):
            return None
    return None


def parse_amount(s):
    """-> (Decimal magnitude, sign or None) or None."""
    t = s.strip()
    if not AMOUNT_RE.match(t) or not re.search(r"\d", t):
        return None
    sign = None
    if t.startswith("(") and t.endswith(")") or t.startswith("-") or t.endswith("-") or t.upper().endswith("DR"):
        sign = -1
    elif t.startswith("+") or t.upper().endswith("CR"):
        sign = 1
    num = re.sub(r"[^\d.,]", "", t)
    if re.search(r",\d{2}$", num) and "." not in num[-3:]:
        num = num.replace(".", "").replace(",", ".")
    else:
        num = num.replace(",", "")
    if num.count(".") > 1 or not num:
        return None
    try:
        return Decimal(num), sign
    except InvalidOperation:
        return None


def lines_of(page):
    words = page.extract_words(x_tolerance=1.5, y_tolerance=2, keep_blank_chars=False)
    rows = []
    for w in sorted(words, key=lambda w: (round(w["bottom"]), w["x0"])):
        if rows and abs(rows[-1][0]["bottom"] - w["bottom"]) < 2.5:
            rows[-1].append(w)
        else:
            rows.append([w])
    return [sorted(r, key=lambda w: w["x0"]) for r in rows]


def header_columns(line):
    text = " ".join(w["text"].lower() for w in line)
    if not re.search(r"\bdate\b", text) or not any(k in text for k in ["balance", "amount", "debit", "credit",
                                                                     "withdraw", "deposit", "paid"]):
        return None
    cols = []
    for w in line:
        t = w["text"].lower().strip(":()")
        for role, words in HEAD_WORDS.items():
            if t in words:
                cols.append((role, w["x1"]))
    return cols or None


def main(path):
    out = {"format": "pdf", "layout": "baseline_pdfplumber", "transactions": []}
    with pdfplumber.open(path) as pdf:
        pages = [lines_of(p) for p in pdf.pages]
        nchars = sum(len(p.chars) for p in pdf.pages)
    if nchars == 0:
        print(json.dumps({"error": {"code": "no_text_layer", "message": "no text on any page"}}))
        return 1
    text = "\n".join(" ".join(w["text"] for w in ln) for pg in pages for ln in pg)
    years = [int(y) for y in re.findall(r"\b(20[0-3]\d)\b", text)]
    year_hint = max(set(years), key=years.count) if years else dt.date.today().year
    header(text, out)
    cols = None
    txns = []
    line_x0 = 1e9
    for pno, lines in enumerate(pages, 1):
        for lno, line in enumerate(lines, 1):
            hc = header_columns(line)
            if hc:
                cols = hc
                continue
            d, k = None, 0
            skip = 1 if line and re.match(r"(?i)^(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?$", line[0]["text"]) else 0
            for k in (3, 2, 1):   # a date may be split into several words
                if len(line) >= k + skip:
                    d = parse_date(" ".join(w["text"] for w in line[skip:skip + k]), year_hint)
                    if d:
                        k += skip
                        break
            amounts = []
            rest = line[k if d else 0:]
            for i, w in enumerate(rest):
                a = parse_amount(w["text"])
                if not a:
                    continue
                near = cols and min(abs(c[1] - w["x1"]) for c in cols) < 12
                if not ("." in w["text"] or "," in w["text"] or near):
                    continue
                nxt = rest[i + 1]["text"].upper() if i + 1 < len(rest) else ""
                if nxt in ("CR", "DR") and a[1] is None:   # "1,234.56 CR" as two words
                    a = (a[0], 1 if nxt == "CR" else -1)
                amounts.append((w, a))
            if not d and amounts and txns and txns[-1]["page"] == pno and line[0]["x0"] > line_x0 + 20:
                d = txns[-1]["date"]   # date printed once per day: the row inherits it
            if d and amounts:
                line_x0 = min(line_x0, line[0]["x0"])
                first_amt = amounts[0][0]["x0"]
                desc = " ".join(w["text"] for w in line[k:] if w["x1"] <= first_amt)
                txns.append({"date": d, "desc": desc, "amounts": amounts, "page": pno, "line": lno})
            elif txns and not amounts and not d and txns[-1]["page"] == pno and lno - txns[-1]["line"] <= 3:
                t = " ".join(w["text"] for w in line)
                if len(t) < 80 and not re.search(r"(?i)page \d|total", t):
                    txns[-1]["desc"] = (txns[-1]["desc"] + " " + t).strip()
            txns and txns[-1].setdefault("cols", cols)
    prev_bal = None
    for t in txns:
        cols = t.get("cols") or []
        amt, bal, direction = None, None, None
        for w, (val, sign) in t["amounts"]:
            role = min(cols, key=lambda c: abs(c[1] - w["x1"]))[0] if cols else None
            if role == "balance" or (role is None and amt is not None):
                bal = val * (sign or 1)
            elif amt is None:
                amt = val
                direction = {"debit": "debit", "credit": "credit"}.get(role)
                if direction is None and sign is not None:
                    direction = "debit" if sign < 0 else "credit"
        if amt is None or amt == 0:
            continue
        if direction is None and bal is not None and prev_bal is not None:
            direction = "credit" if bal > prev_bal else "debit"
        prev_bal = bal if bal is not None else prev_bal
        desc = re.sub(r"\s+", " ", t["desc"]).strip()
        if re.match(r"(?i)(balance|opening|closing|total|brought|carried)", desc):
            continue
        rec = {"date": t["date"].isoformat(), "description": desc, "amount": f"{amt:.2f}",
               "direction": direction or "debit", "page": t["page"], "line": t["line"]}
        if bal is not None:
            rec["balance"] = f"{bal:.2f}"
        out["transactions"].append(rec)
    if not out["transactions"] and not txns:
        print(json.dumps({"error": {"code": "not_a_bank_statement", "message": "no dated ledger rows"}}))
        return 1
    out["transactions"].sort(key=lambda r: r["date"])
    print(json.dumps(out, ensure_ascii=False))
    return 0


def header(text, out):
    m = re.search(r"(?i)account\s*(?:number|no\.?|#)\s*[:.]?\s*([\dX*][\dX* \-]{5,})", text)
    if m:
        out["account_number"] = m[1].strip()
    m = re.search(r"(?i)(?:account name|account holder|customer name)\s*[:.]?\s*(.+)", text)
    if m:
        out["account_holder"] = m[1].strip()
    m = re.search(r"\b(KES|NGN|USD|EUR|GBP|ZAR|INR|UGX|TZS|GHS)\b", text)
    out["currency"] = m[1] if m else None
    for key, rx in (("opening_balance", r"(?i)(?:opening|beginning) balance\s*[:.]?\s*(\S+)"),
                    ("closing_balance", r"(?i)(?:closing|ending) balance\s*[:.]?\s*(\S+)")):
        m = re.search(rx, text)
        if m and parse_amount(m[1]):
            v, s = parse_amount(m[1])
            out[key] = f"{v * (s or 1):.2f}"
    m = re.search(r"(\d{2}/\d{2}/\d{4})\s*(?:-|to)\s*(\d{2}/\d{2}/\d{4})", text)
    if m:
        a, b = parse_date(m[1], 2000), parse_date(m[2], 2000)
        if a and b:
            out["period"] = {"start": a.isoformat(), "end": b.isoformat()}


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
