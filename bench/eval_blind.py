"""Score mappers.matching on the frozen blind set (tests/blind): titles no one tuned the matcher for.

    .venv/bin/python bench/eval_blind.py [--misses] [--by-language]

Each title of tests/blind/titles.yaml goes through Matcher(role) for each of the three blind roles
(tests/blind/roles/*.yaml, none of them built in) and through the ethics mapping once. Prints, per role and
overall: top-1 (the first responsibility is one the label accepts; an empty label needs no responsibility at
all), the same split into titles that serve a responsibility and titles that serve none, and ethics
precision, recall and F1 against the `ethics` labels (null labels are not scored).
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mappers.matching import Matcher, load_role  # noqa: E402

BLIND = Path(__file__).resolve().parent.parent / "tests" / "blind"
ROLES = {"FO": "family-office-investment-manager", "FC": "fiduciary-compliance-manager", "PP": "probate-paralegal"}


@dataclass(slots=True)
class Mapping:
    right: int = 0
    total: int = 0
    pos_right: int = 0
    pos_total: int = 0
    misses: list[str] = field(default_factory=list)

    def line(self) -> str:
        neg_total = self.total - self.pos_total
        neg_right = self.right - self.pos_right
        return (f"top-1 {_ratio(self.right, self.total)}   serving one {_ratio(self.pos_right, self.pos_total)}"
                f"   serving none {_ratio(neg_right, neg_total)}")


@dataclass(slots=True)
class EthicsTally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    misses: list[str] = field(default_factory=list)

    def line(self) -> str:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp + self.fp + self.fn else 1.0
        return (f"ethics precision {precision:.3f} recall {recall:.3f} F1 {f1:.3f} "
                f"(tp {self.tp}, fp {self.fp}, fn {self.fn}, tn {self.tn})")


def _ratio(right: int, total: int) -> str:
    return f"{right / total:.3f} ({right}/{total})" if total else "-"


def load_titles() -> list[dict[str, object]]:
    data = yaml.safe_load((BLIND / "titles.yaml").read_text(encoding="utf-8"))
    titles: list[dict[str, object]] = data["titles"]
    return titles


def score_role(key: str, titles: list[dict[str, object]], by: dict[str, Mapping]) -> Mapping:
    role = load_role(str(BLIND / "roles" / f"{ROLES[key]}.yaml"))
    results = Matcher(role).match_many([(str(t["t"]), None, None) for t in titles])
    tally = Mapping()
    for title, (responsibilities, _) in zip(titles, results):
        expected = title.get(key)
        if expected is None:
            continue
        assert isinstance(expected, list)
        predicted = [r.id for r in responsibilities]
        ok = not predicted if not expected else bool(predicted) and predicted[0] in expected
        for bucket in (tally, by.setdefault(str(title["lang"]), Mapping())):
            bucket.total += 1
            bucket.right += ok
            bucket.pos_total += bool(expected)
            bucket.pos_right += ok and bool(expected)
        if not ok:
            shown = ", ".join(f"{r.id} {r.score:.0f} {list(r.terms)}" for r in responsibilities) or "none"
            tally.misses.append(f"  map {key} {str(title['t'])[:64]!r}: want {expected or 'none'}, got {shown}")
    return tally


def score_ethics(titles: list[dict[str, object]]) -> EthicsTally:
    results = Matcher(None).match_many([(str(t["t"]), None, None) for t in titles])
    tally = EthicsTally()
    for title, (_, ethics) in zip(titles, results):
        gold = title.get("ethics")
        if gold is None:
            continue
        got = ethics.related
        tally.tp += gold and got
        tally.fp += got and not gold
        tally.fn += bool(gold) and not got
        tally.tn += not gold and not got
        if bool(gold) != got:
            named = ", ".join(f"{t.id} {t.score:.0f} {list(t.terms)}" for t in ethics.topics) or "none"
            tally.misses.append(f"  ethics {str(title['t'])[:64]!r}: want {gold}, got {named}")
    return tally


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", action="store_true", help="list every miss")
    parser.add_argument("--by-language", action="store_true", help="top-1 per language too")
    args = parser.parse_args()
    titles = load_titles()
    total, by_language, misses = Mapping(), {}, []  # type: ignore[var-annotated]
    for key, name in ROLES.items():
        tally = score_role(key, titles, by_language)
        print(f"{name:36} {tally.line()}")
        total.right += tally.right
        total.total += tally.total
        total.pos_right += tally.pos_right
        total.pos_total += tally.pos_total
        misses += tally.misses
    ethics = score_ethics(titles)
    print(f"{'OVERALL (' + str(len(titles)) + ' titles)':36} {total.line()}")
    print(f"{'':36} {ethics.line()}")
    if args.by_language:
        for language, tally in sorted(by_language.items()):
            print(f"  {language:34} {tally.line()}")
    if args.misses:
        print("\n".join(misses + ethics.misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
