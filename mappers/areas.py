"""The development area of an activity: `technical`, `personal`, `management` or `business`, with the reason.

The areas' terms are data (mappers/data/frameworks.yaml, `development_areas`, with where they come from):
the first area whose terms the activity's title or description names, as whole words with case, hyphens and
slashes ignored, is its area; an activity naming none is `technical`, the area of the practice knowledge
the matcher knows (trusts, estates, tax, compliance, investments, ethics). Pure: no service, no model.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .datafiles import load_yaml

__all__ = ["AREAS", "TECHNICAL", "Area", "area_of"]

TECHNICAL = "technical"
AREAS = (TECHNICAL, "personal", "management", "business")
_FILE = Path(__file__).parent / "data" / "frameworks.yaml"
_TECHNICAL_REASON = ("names no personal, management or business skill, so it counts as technical (practice "
                     "knowledge)")


@dataclass(frozen=True, slots=True)
class Area:
    """An activity's development area and why."""

    area: str
    reason: str


@dataclass(frozen=True, slots=True)
class _Terms:
    area: str
    reason: str
    pattern: re.Pattern[str]


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[-/_–—]", " ", text.lower()).split())


@lru_cache(maxsize=1)
def _areas() -> tuple[_Terms, ...]:
    entries: list[dict[str, Any]] = load_yaml(_FILE.read_text(encoding="utf-8")).get("development_areas") or []
    found = []
    for entry in entries:
        if entry["id"] not in AREAS:
            raise ValueError(f"frameworks.yaml development_areas: unknown area '{entry['id']}'; use one of {AREAS}.")
        terms = sorted({_fold(str(t)) for t in entry["terms"]}, key=len, reverse=True)
        pattern = re.compile(r"\b(" + "|".join(re.escape(t) for t in terms) + r")\b")
        found.append(_Terms(str(entry["id"]), str(entry["reason"]), pattern))
    return tuple(found)


def area_of(activity: dict[str, Any]) -> Area:
    """The activity's (its contract JSON's) development area, with the term that decided it."""
    text = _fold(" ".join(str(activity.get(f) or "") for f in ("title", "description")))
    for terms in _areas():
        match = terms.pattern.search(text)
        if match:
            return Area(terms.area, f"names '{match.group(1)}': {terms.reason}")
    return Area(TECHNICAL, _TECHNICAL_REASON)
