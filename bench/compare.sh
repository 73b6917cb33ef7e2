#!/usr/bin/env bash
# Times whole processes on the corpus's largest statements: `statera extract` against
# `pdftotext -bbox-layout` (poppler-utils) and Python pdfplumber, and prints one table of
# ms/page, ratios and peak memory. Installs what it needs: poppler-utils via apt when
# missing, pdfplumber into bench/.venv.
#   bench/compare.sh [RUNS]     (default 7 runs per tool and file; the median is shown)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-7}"

if ! command -v pdftotext >/dev/null 2>&1; then
  echo "installing poppler-utils…" >&2
  apt-get update -qq >/dev/null && apt-get install -y -qq poppler-utils >/dev/null
fi
if [ ! -x bench/.venv/bin/python ]; then
  echo "creating bench/.venv with pdfplumber…" >&2
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install -q pdfplumber
fi
echo "building statera (release)…" >&2
cargo build --release -q -p statera-cli

bench/.venv/bin/python bench/compare.py --runs "$runs" --statera target/release/statera \
  fixtures/statements/mpesa/large_100_pages \
  fixtures/statements/mpesa/email_reportlab_dejavu_multipage \
  fixtures/statements/mpesa/enc_aes_256_r6 \
  fixtures/statements/mpesa/app_fpdf2_multipage \
  fixtures/statements/mpesa/email_fpdf2_business \
  fixtures/statements/banks/access \
  fixtures/statements/banks/gtbank \
  fixtures/statements/banks/chase
