"""Spreadsheet and CSV extraction against a bare read of the same file, side by side in one run.

    python bench/bench_tables.py [--rows 100000] [--openpyxl]

Makes (once, cached in bench/out/) a realistic 13-column LMS transcript of N rows as XLSX and CSV,
then runs each contender in its own process (so peak memory is each one's own) and prints seconds,
the ratio to the bare pass and peak RSS. Targets (issue 2): XLSX whole extract <= 3x a bare
python-calamine pass and < 300 MB; CSV <= 10x a bare csv.reader pass and < 200 MB.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "out"
ROOT = Path(__file__).resolve().parents[1]

HEADER = ["User ID", "User Full Name", "Email", "Department", "Training Title", "Training Type",
          "Training Provider", "Transcript Status", "Registration Date", "Start Date", "Completion Date",
          "Training Hours", "Training Object ID"]
TOPICS = ["Trusts and the Finance Act", "Anti-money laundering refresher", "Inheritance tax on lifetime gifts",
          "Data protection essentials", "Probate practice update", "Conflicts of interest", "Excel for finance",
          "Capital gains tax for trustees", "Vulnerable clients", "Trust registration service", "Fire safety",
          "Sanctions screening", "Trustee investment duties", "Deeds of variation", "Leadership essentials"]
TYPES = ["Online Class", "Session", "Webinar", "Material", "External Training"]
PROVIDERS = ["Harbour Trust Academy", "STEP", "Compliance Essentials Ltd", "Kingsley Law Training", "CIOT"]
STATUSES = ["Completed"] * 8 + ["In Progress", "Registered"]

CHILD_CALAMINE = """
import sys, time
from python_calamine import CalamineWorkbook
t = time.perf_counter()
wb = CalamineWorkbook.from_path(sys.argv[1])
n = sum(len(wb.get_sheet_by_name(s).to_python()) for s in wb.sheet_names)
seconds = time.perf_counter() - t
"""
CHILD_OPENPYXL = """
import sys, time, openpyxl
t = time.perf_counter()
wb = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)
n = sum(1 for ws in wb.worksheets for _ in ws.iter_rows(values_only=True))
seconds = time.perf_counter() - t
"""
CHILD_CSV = """
import sys, time, csv, io
t = time.perf_counter()
text = open(sys.argv[1], 'rb').read().decode('utf-8')
n = sum(1 for _ in csv.reader(io.StringIO(text)))
seconds = time.perf_counter() - t
"""
# The whole extract of the file in a warm process (modules imported and the matcher loaded once per
# process, outside the timing), as `extract --json` runs it: read, detect, extract, normalise, match
# ethics and serialise every activity, a batch at a time, into the line, written to /dev/null.
CHILD_EXTRACT = """
import sys, time, os, json
from extractors.model import ExtractOptions, Upload
from ingest.work.pipeline import write_line
from mappers.matching import Matcher
matcher = Matcher(None)
matcher.match_many([("warm-up", None, None)])
t = time.perf_counter()
upload = Upload.from_bytes(open(sys.argv[1], 'rb').read(), os.path.basename(sys.argv[1]))
with open(os.devnull, 'wb') as out:
    error = write_line(upload, ExtractOptions(), matcher, out)
assert error is None, error
n = 0
seconds = time.perf_counter() - t
"""
# The same through the command line, process start and imports included.
CHILD_CLI = """
import subprocess, sys, time, os, resource
t = time.perf_counter()
subprocess.run([os.path.join(os.path.dirname(sys.executable), 'cpd-evidence'), 'extract', '--json', sys.argv[1]],
               stdout=subprocess.DEVNULL, check=True)
seconds = time.perf_counter() - t
n = 0
"""
CHILD_TAIL = """
import json, resource
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"seconds": seconds, "rows": n, "peak_mb": peak / 1024}))
"""


def _rows(n: int) -> list[list[object]]:
    rng = random.Random(2025)
    titles = [f"{t}: part {k}" for t in TOPICS for k in range(1, 31)]
    rows = []
    for i in range(n):
        person = rng.randrange(2000)
        done = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(365))
        status = rng.choice(STATUSES)
        rows.append([f"U{person:05d}", f"Learner {person}", f"learner{person}@firm.example", "Private Client",
                     rng.choice(titles), rng.choice(TYPES), rng.choice(PROVIDERS), status,
                     done - dt.timedelta(days=30), done - dt.timedelta(days=2),
                     done if status == "Completed" else None, rng.choice([0.5, 0.75, 1, 1.5, 2, 3.5]), f"OBJ-{i:07d}"])
    return rows


def make_files(n: int) -> tuple[Path, Path]:
    OUT.mkdir(exist_ok=True)
    xlsx, csv_path = OUT / f"transcript-{n}.xlsx", OUT / f"transcript-{n}.csv"
    if xlsx.exists() and csv_path.exists():
        return xlsx, csv_path
    import openpyxl
    rows = _rows(n)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Transcript")
    ws.append(["Transcript Report"])
    ws.append([])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    wb.save(xlsx)
    with csv_path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for row in rows:
            writer.writerow([r.strftime("%d/%m/%Y") if isinstance(r, dt.date) else ("" if r is None else r) for r in row])
    return xlsx, csv_path


def measure(child: str, path: Path) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", child + CHILD_TAIL, str(path)], cwd=ROOT, check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--openpyxl", action="store_true", help="also time openpyxl read-only (slow)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    xlsx, csv_path = make_files(args.rows)
    print(f"{args.rows:,} rows x {len(HEADER)} columns")
    runs = [("xlsx", "bare python-calamine", CHILD_CALAMINE, xlsx)]
    if args.openpyxl:
        runs.append(("xlsx", "openpyxl read-only", CHILD_OPENPYXL, xlsx))
    runs += [("xlsx", "extract (warm process)", CHILD_EXTRACT, xlsx),
             ("xlsx", "cpd-evidence extract --json", CHILD_CLI, xlsx),
             ("csv", "bare csv.reader", CHILD_CSV, csv_path),
             ("csv", "extract (warm process)", CHILD_EXTRACT, csv_path),
             ("csv", "cpd-evidence extract --json", CHILD_CLI, csv_path)]
    base: dict[str, float] = {}
    print(f"{'file':5} {'contender':30} {'seconds':>8} {'ratio':>7} {'peak MB':>8}   (fastest of {args.repeat})")
    results: dict[tuple[str, str], list[dict[str, Any]]] = {(k, n): [] for k, n, _, _ in runs}
    for _ in range(args.repeat):  # interleaved, so a burst of load on the shared machine hits all alike
        for kind, name, child, path in runs:
            results[(kind, name)].append(measure(child, path))
    for kind, name, _, _ in runs:
        got = min(results[(kind, name)], key=lambda r: r["seconds"])
        base.setdefault(kind, got["seconds"])
        print(f"{kind:5} {name:30} {got['seconds']:8.2f} {got['seconds'] / base[kind]:6.2f}x {got['peak_mb']:8.0f}")


if __name__ == "__main__":
    main()
