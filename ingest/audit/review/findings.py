"""The review's short text: trends (against the year before, when it has figures), strengths and areas for
improvement, each sentence derived from the figures by the thresholds named here."""
from __future__ import annotations

from typing import Any

from .figures import Figures

__all__ = ["findings", "percent", "GOOD", "WEAK", "BALANCE_MIN"]

GOOD = 0.8          # a share at or above this is a strength
WEAK = 0.5          # a share below this is an area for improvement
BALANCE_MIN = 0.15  # non-technical hours below this share of all hours: learning too narrowly technical


def percent(value: float | None) -> str:
    """0.8125 as "81%"; None as "n/a"."""
    return "n/a" if value is None else f"{value * 100:.0f}%"


def findings(f: Figures) -> dict[str, list[str]]:
    """{"trends": [...], "strengths": [...], "improvements": [...]}, sentences a reader can check in the figures."""
    strengths: list[str] = []
    improvements: list[str] = []
    measures: list[tuple[str, float | None]] = [
        ("met the ethics requirement", f.ethics["share"]),
        ("of activities carry a reflection", f.reflection["share"]),
        ("of activities are verifiable by a third party", f.verification["verifiable_share"]),
        ("of their role's responsibilities are covered on average", f.coverage["mean_share"])]
    for what, value in measures:
        if value is None:
            continue
        subject = f"{percent(value)} of members" if what.startswith("met") else percent(value)
        if value >= GOOD:
            strengths.append(f"{subject} {what}.")
        elif value < WEAK:
            improvements.append(f"Only {subject} {what}.")
    other = sum(f.areas[a]["share_of_hours"] or 0 for a in ("personal", "management", "business"))
    if f.activities and other < BALANCE_MIN:
        improvements.append(f"Learning is mostly technical: personal, management and business skills make "
                            f"{percent(other)} of the hours.")
    elif f.activities:
        strengths.append(f"Personal, management and business skills make {percent(other)} of the hours, "
                         "beside technical learning.")
    failing = [s for s in f.sources if s["failed"]]
    if failing:
        worst = failing[0]
        improvements.append(f"Files of kind {worst['kind']} failed most often to be read ({worst['failed']} of "
                            f"{worst['uploads']}); members may need guidance on exporting their records.")
    action = f.outcomes["by_state"].get("action_required", 0)
    if f.outcomes["requests"] and action:
        improvements.append(f"{action} of {f.outcomes['requests']} audits ended with action required.")
    return {"trends": _trends(f), "strengths": strengths, "improvements": improvements}


def _trends(f: Figures) -> list[str]:
    before = f.previous
    if before is None:
        return [f"CPD year {f.year} is the first year reviewed: there is no year before to compare with."]
    pairs: list[tuple[str, Any, Any, bool]] = [
        ("Median hours", f.hours["median"], before.hours["median"], False),
        ("The share meeting the ethics requirement", f.ethics["share"], before.ethics["share"], True),
        ("The share of activities with a reflection", f.reflection["share"], before.reflection["share"], True),
        ("The share of verifiable activities", f.verification["verifiable_share"],
         before.verification["verifiable_share"], True)]
    found = []
    for label, now, then, is_share in pairs:
        if now is None or then is None:
            continue
        show = percent if is_share else (lambda v: f"{v:g}")
        move = "rose" if now > then else "fell" if now < then else "held"
        found.append(f"{label} {move} from {show(then)} in {before.year} to {show(now)} in {f.year}."
                     if move != "held" else f"{label} held at {show(now)} ({before.year} and {f.year}).")
    return found
