"""The member's own activities: a file's learner matched to the member profile's display name.

An activity whose learner is written as a name or an e-mail address that is not the member's display name
(mappers.learner.same_person) is another person's learning (a colleague on an employer's export, a mail-merge
list): it counts nowhere in the member's year and is listed apart, so the member can see what was left out
and why. An activity naming no learner, or one named only by an id or a user name, is the member's. Without a
display name nothing can be told apart: every activity counts, and those of files naming several learners
carry the mappers' `several_learners` warning.
"""
from __future__ import annotations

from typing import Any, Protocol, TypeVar

from mappers.learner import same_person

__all__ = ["members_own", "other_learners"]


class _Stored(Protocol):
    @property
    def data(self) -> dict[str, Any]: ...


T = TypeVar("T", bound=_Stored)


def members_own(rows: list[T], name: str | None) -> tuple[list[T], list[T]]:
    """The rows that are the member's, and those of another learner (in their order)."""
    if name is None:
        return rows, []
    own: list[T] = []
    others: list[T] = []
    for row in rows:
        (others if same_person(row.data.get("learner"), name) is False else own).append(row)
    return own, others


def other_learners(rows: list[T], name: str | None) -> dict[str, Any]:
    """The summary's `other_learners`: what the year left out as another person's learning."""
    return {"display_name": name, "count": len(rows), "activities": [
        {"activity_id": r.data["activity_id"], "title": r.data["title"], "learner": r.data.get("learner"),
         "completed_on": r.data.get("completed_on"), "hours": r.data.get("cpd_hours"),
         "filename": (r.data.get("source") or {}).get("filename")} for r in rows]}
