"""Runs each tool as a whole process on each corpus case and prints one table.

Wall time is the median of --runs runs (pdfplumber: fewer, it is slow); peak memory is the
child's maximum resident set size from wait4. Called by bench/compare.sh.
"""
import argparse, json, os, statistics, subprocess, sys, time
from pathlib import Path

PLUMBER = (
    "import sys, pdfplumber\n"
    "pw = sys.argv[2] if len(sys.argv) > 2 else None\n"
    "with pdfplumber.open(sys.argv[1], password=pw) as pdf:\n"
    "    n = sum(len(p.chars) for p in pdf.pages)\n"
)


def run_once(cmd):
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr.read().decode()}")
    return elapsed * 1000.0, usage.ru_maxrss / 1024.0


def measure(cmd, runs):
    run_once(cmd)  # warm the page cache
    samples = [run_once(cmd) for _ in range(runs)]
    return statistics.median(s[0] for s in samples), max(s[1] for s in samples)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--statera", required=True)
    ap.add_argument("cases", nargs="+")
    args = ap.parse_args()
    rows = []
    for case in map(Path, args.cases):
        pdf = str(case / "input.pdf")
        settings = json.loads((case / "case.json").read_text()) if (case / "case.json").exists() else {}
        pw = settings.get("password")
        out = subprocess.run([args.statera, "extract", pdf] + (["--password", pw] if pw else []),
                             capture_output=True, check=True).stdout
        pages = json.loads(out)["pages"]["present"]
        st = measure([args.statera, "extract", pdf] + (["--password", pw] if pw else []), args.runs)
        sb = measure([args.statera, "extract", "--sandbox", pdf] + (["--password", pw] if pw else []), args.runs)
        pt = measure(["pdftotext", "-bbox-layout"] + (["-upw", pw] if pw else []) + [pdf, "/dev/null"], args.runs)
        pp = measure([sys.executable, "-c", PLUMBER, pdf] + ([pw] if pw else []), max(1, min(3, args.runs)))
        rows.append((case.name, pages, st, sb, pt, pp))

    print(f"whole processes, median of {args.runs} runs; {os.cpu_count()} cores")
    head = ("statement", "pages", "statera ms/page", "sandboxed ms/page", "pdftotext ms/page",
            "pdfplumber ms/page", "vs pdftotext", "vs pdfplumber", "statera peak MB")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for name, pages, st, sb, pt, pp in rows:
        per = lambda m: m[0] / pages
        print(f"| {name} | {pages} | {per(st):.2f} | {per(sb):.2f} | {per(pt):.2f} | {per(pp):.1f} | "
              f"{pt[0] / st[0]:.1f}x faster | {pp[0] / st[0]:.0f}x faster | {st[1]:.1f} |")


if __name__ == "__main__":
    main()
