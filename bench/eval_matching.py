"""Evaluate mappers.matching against the corpus gold labels (titles only, no extraction needed).

    .venv/bin/python bench/eval_matching.py [/work/shared/corpus] [--misses] [--with-descriptions FILE]

For every NAME.gold.json: each gold activity's title goes through Matcher(role of the file, or None);
prints top-1 mapping accuracy (the first predicted responsibility id is in the gold list; an empty gold
list needs an empty prediction) and ethics F1, overall and per file, then the misses.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mappers.matching import Matcher, load_role  # noqa: E402

DEFAULT_CORPUS = Path("/work/shared/corpus")


@dataclass(slots=True)
class Tally:
    top1: int = 0
    mapped: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    ethics_n: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.top1 += other.top1
        self.mapped += other.mapped
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.ethics_n += other.ethics_n
        self.misses += other.misses

    def line(self) -> str:
        top1 = f"{self.top1 / self.mapped:.3f} ({self.top1}/{self.mapped})" if self.mapped else "-"
        f1 = 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp + self.fp + self.fn else 1.0
        return f"top-1 {top1:>16}   ethics F1 {f1:.3f} (tp {self.tp}, fp {self.fp}, fn {self.fn}; n {self.ethics_n})"


def evaluate_file(gold_path: Path, corpus: Path) -> Tally:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    role = load_role(str(corpus / gold["role"])) if gold.get("role") else None
    activities = gold.get("activities", [])
    results = Matcher(role).match_many([(a["title"], None, None) for a in activities])
    tally = Tally()
    for activity, (responsibilities, ethics) in zip(activities, results):
        predicted = [r.id for r in responsibilities]
        if role is not None and "responsibilities" in activity:
            expected = activity["responsibilities"]
            ok = (predicted[:1] == [] if not expected else bool(predicted) and predicted[0] in expected)
            tally.mapped += 1
            tally.top1 += ok
            if not ok:
                shown = ", ".join(f"{r.id} {r.score:.0f} {list(r.terms)}" for r in responsibilities) or "none"
                tally.misses.append(f"  map    {gold_path.name[:34]:34} {activity['title'][:60]!r}: gold {expected}, got {shown}")
        if activity.get("ethics_related") is not None:
            _ethics(tally, activity, ethics.related, [t.id for t in ethics.topics], gold_path.name)
    return tally


def _ethics(tally: Tally, activity: dict[str, object], related: bool, topics: list[str], name: str) -> None:
    gold = bool(activity["ethics_related"])
    tally.ethics_n += 1
    tally.tp += gold and related
    tally.fp += related and not gold
    tally.fn += gold and not related
    if gold != related:
        tally.misses.append(f"  ethics {name[:34]:34} {str(activity['title'])[:60]!r}: gold {gold}, got {related} {topics}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--misses", action="store_true", help="list every miss")
    args = parser.parse_args()
    total = Tally()
    for gold_path in sorted(args.corpus.glob("*.gold.json")):
        tally = evaluate_file(gold_path, args.corpus)
        total.add(tally)
        print(f"{gold_path.name[:-10]:46} {tally.line()}")
    print(f"{'OVERALL':46} {total.line()}")
    if args.misses:
        print("\n".join(sorted(total.misses)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
