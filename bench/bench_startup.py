"""Start-up of the command line against a bare interpreter, side by side in one run.

    python bench/bench_startup.py [--repeat 5]

Times, each in a fresh process, interleaved, the fastest of --repeat kept (the machine is shared and noisy):

  python -c pass                          the interpreter alone
  cpd-evidence --help                     the app and its commands, nothing of the core
  cpd-evidence extract --json one-row.csv imports, the matcher built, one file read in a child process

and prints wall seconds, CPU seconds (user + system of the process and its children: the fairer figure when
other work shares the cores) and the ratio of each to the bare interpreter. Goals (issue 17): `--help` under
0.3 s and a one-row file under 0.6 s on a quiet machine.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
GOALS = {"cpd-evidence --help": 0.3, "cpd-evidence extract --json one-row.csv": 0.6}
ONE_ROW = "Training Title,Completion Date,Training Hours,Transcript Status\n" \
          "Anti-money laundering refresher,12/03/2025,1.5,Completed\n"
# Run as a child, so that the clock and the rusage of children count one command only.
_TIMER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
wall = time.perf_counter() - start
used = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": used.ru_utime + used.ru_stime, "peak_mb": used.ru_maxrss / 1024}))
"""


def measure(command: list[str]) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", _TIMER, *command], cwd=ROOT, check=True, capture_output=True,
                          text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        one_row = Path(tmp) / "one-row.csv"
        one_row.write_text(ONE_ROW, encoding="utf-8")
        runs = [("python -c pass", [sys.executable, "-c", "pass"]),
                ("cpd-evidence --help", [str(BIN / "cpd-evidence"), "--help"]),
                ("cpd-evidence extract --json one-row.csv", [str(BIN / "cpd-evidence"), "extract", "--json", str(one_row)])]
        results: dict[str, list[dict[str, float]]] = {name: [] for name, _ in runs}
        for _ in range(args.repeat):   # interleaved, so a burst of load hits all alike
            for name, command in runs:
                results[name].append(measure(command))
    print(f"{'command':42} {'wall s':>7} {'ratio':>7} {'CPU s':>7} {'ratio':>7} {'peak MB':>8}  (fastest of {args.repeat})")
    base: dict[str, float] = {}
    for name, _ in runs:
        wall = min(r["wall"] for r in results[name])
        cpu = min(r["cpu"] for r in results[name])
        peak = max(r["peak_mb"] for r in results[name])
        base.setdefault("wall", wall)
        base.setdefault("cpu", cpu)
        goal = f"  goal < {GOALS[name]} s" if name in GOALS else ""
        print(f"{name:42} {wall:7.2f} {wall / base['wall']:6.1f}x {cpu:7.2f} {cpu / max(base['cpu'], 1e-3):6.1f}x "
              f"{peak:8.0f}{goal}")
    if os.getloadavg()[0] > (os.cpu_count() or 1):
        print(f"note: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; the figures are inflated")


if __name__ == "__main__":
    main()
