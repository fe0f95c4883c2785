"""The thematic review's figures: what a year's audited members' records add up to, with no member in them.

    review_figures(session, settings, year, all_members) -> Figures | None    None: nobody in scope

Scope: the members asked for their record of the year (drawn or ad hoc), or with `all_members` every working
member. Per member, the year as the member-year summary counts it (ingest/year/summary.py: each activity
once); across members:

    hours          members' total hours: median, quartiles (statistics.quantiles, "inclusive"), min, max, mean,
                   and how many members in each band of HOUR_BANDS
    ethics         share of members meeting the ethics requirement
    coverage       members with a role: mean share of their responsibilities covered, share covering all
    areas          hours and activities by development area, and each area's share of the hours
    reflection     share of activities carrying a reflection
    verification   share of activities verifiable (third party), self-reported, not said
    confirmation   share of activities the member confirmed or edited (the `review` overlay)
    sources        uploads by kind of file (suffix) and how many failed, most failures first
    outcomes       the year's requests by state, and appeals made, upheld and overturned
"""
from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mappers.areas import AREAS, area_of

from ...settings import Settings
from ...store import FAILED, AuditEventRow, AuditRequestRow, MemberRow, UploadRow
from ...year import load_year, summarise
from ...year.summary import Counted

__all__ = ["Figures", "HOUR_BANDS", "review_figures", "share", "quartiles"]

HOUR_BANDS = ((0, 5), (5, 10), (10, 20), (20, 35), (35, None))  # hours a year: [from, to)


def share(part: int | float, whole: int | float) -> float | None:
    """part / whole rounded to 4 places; None when there is no whole."""
    return round(part / whole, 4) if whole else None


def quartiles(values: list[float]) -> tuple[float, float, float]:
    """(Q1, median, Q3) by statistics.quantiles' inclusive method; one value is all three."""
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return round(q1, 2), round(q2, 2), round(q3, 2)


@dataclass(slots=True)
class Figures:
    """The review's figures for one CPD year and scope (see the module's docstring)."""

    year: int
    scope: str
    members: int
    activities: int
    hours: dict[str, Any]
    ethics: dict[str, Any]
    coverage: dict[str, Any]
    areas: dict[str, Any]
    reflection: dict[str, Any]
    verification: dict[str, Any]
    confirmation: dict[str, Any]
    sources: list[dict[str, Any]]
    outcomes: dict[str, Any]
    previous: Figures | None = field(default=None)


def _scope(session: Session, year: int, all_members: bool) -> list[str]:
    if all_members:
        return list(session.scalars(select(MemberRow.id).where(MemberRow.working.is_(True)).order_by(MemberRow.id)))
    return sorted(set(session.scalars(select(AuditRequestRow.member_id).where(AuditRequestRow.year == year))))


def review_figures(session: Session, settings: Settings, year: int, all_members: bool = False,
                   compare: bool = True) -> Figures | None:
    """The figures of CPD year `year` (and, with `compare`, of the year before when it has any)."""
    members = _scope(session, year, all_members)
    if not members:
        return None
    summaries, counted = [], []
    for member in members:
        found = load_year(session, member, year, settings.year_start_month)
        summaries.append(summarise(found, settings.ethics_activities_required))
        counted += found.counted
    figures = Figures(year, "all working members" if all_members else "audited members", len(members), len(counted),
                      _hours([float(s["hours"]) for s in summaries]), _ethics(summaries), _coverage(summaries),
                      _areas(counted), _reflection(counted), _verification(counted), _confirmation(counted),
                      _sources(session, members), _outcomes(session, year))
    if compare:
        figures.previous = review_figures(session, settings, year - 1, all_members, compare=False)
    return figures


def _hours(values: list[float]) -> dict[str, Any]:
    q1, median, q3 = quartiles(values)
    bands = []
    for low, high in HOUR_BANDS:
        label = f"{low}-{high}" if high is not None else f"{low}+"
        bands.append({"band": label, "members": sum(1 for v in values if v >= low and (high is None or v < high))})
    return {"median": median, "q1": q1, "q3": q3, "min": min(values), "max": max(values),
            "mean": round(statistics.fmean(values), 2), "bands": bands}


def _ethics(summaries: list[dict[str, Any]]) -> dict[str, Any]:
    met = sum(1 for s in summaries if s["ethics"]["met"])
    return {"met": met, "members": len(summaries), "share": share(met, len(summaries))}


def _coverage(summaries: list[dict[str, Any]]) -> dict[str, Any]:
    shares = []
    for summary in summaries:
        found = summary["responsibilities"]
        total = len(found["covered"]) + len(found["not_covered"])
        if summary["role"] is not None and total:
            shares.append(len(found["covered"]) / total)
    everything = sum(1 for s in shares if s == 1)
    return {"members_with_role": len(shares), "mean_share": round(statistics.fmean(shares), 4) if shares else None,
            "all_covered": everything, "all_covered_share": share(everything, len(shares))}


def _areas(counted: list[Counted]) -> dict[str, Any]:
    hours = {area: 0.0 for area in AREAS}
    activities = {area: 0 for area in AREAS}
    for group in counted:
        area = area_of(group.row.data).area
        hours[area] += group.hours or 0.0
        activities[area] += 1
    total = sum(hours.values())
    return {area: {"hours": round(hours[area], 2), "activities": activities[area],
                   "share_of_hours": share(hours[area], total)} for area in AREAS}


def _reflection(counted: list[Counted]) -> dict[str, Any]:
    found = sum(1 for group in counted if group.reflection)
    return {"with_reflection": found, "activities": len(counted), "share": share(found, len(counted))}


def _verification(counted: list[Counted]) -> dict[str, Any]:
    said = Counter(group.verifiable for group in counted)
    total = len(counted)
    return {"verifiable": said[True], "self_reported": said[False], "not_said": said[None],
            "verifiable_share": share(said[True], total), "self_reported_share": share(said[False], total),
            "not_said_share": share(said[None], total)}


def _confirmation(counted: list[Counted]) -> dict[str, Any]:
    states = Counter(str((group.row.data.get("review") or {}).get("state") or "unreviewed") for group in counted)
    confirmed = states["confirmed"] + states["edited"]
    return {"confirmed": states["confirmed"], "edited": states["edited"], "unreviewed": states["unreviewed"],
            "share": share(confirmed, len(counted))}


def _sources(session: Session, members: list[str]) -> list[dict[str, Any]]:
    uploads = session.execute(select(UploadRow.filename, UploadRow.state).where(UploadRow.member_id.in_(members)))
    kinds: dict[str, list[int]] = {}
    for filename, state in uploads:
        suffix = PurePosixPath(filename.replace("\\", "/").lower()).suffix
        kind = suffix if re.fullmatch(r"\.[a-z0-9]{1,5}", suffix) else "(other)"  # a suffix, never a name
        seen = kinds.setdefault(kind, [0, 0])
        seen[0] += 1
        seen[1] += state == FAILED
    rows = [{"kind": kind, "uploads": n, "failed": failed, "failed_share": share(failed, n)}
            for kind, (n, failed) in kinds.items()]
    return sorted(rows, key=lambda r: (-r["failed"], -r["uploads"], r["kind"]))


def _outcomes(session: Session, year: int) -> dict[str, Any]:
    states = Counter(session.scalars(select(AuditRequestRow.state).where(AuditRequestRow.year == year)))
    appealed = session.scalars(select(AuditEventRow.request_id).join(
        AuditRequestRow, AuditRequestRow.id == AuditEventRow.request_id).where(
        AuditRequestRow.year == year, AuditEventRow.to_state == "appealed")).all()
    return {"requests": sum(states.values()), "by_state": dict(sorted(states.items())),
            "appeals": len(set(appealed)), "upheld": states["upheld"], "overturned": states["overturned"]}
