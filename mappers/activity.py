"""The normalised activity of ../shared/CONTRACT.md section 1, and how it is written as JSON."""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "SCHEMA_VERSION",
    "ACTIVITY_TYPES",
    "STATUSES",
    "ActivityWarning",
    "Credits",
    "Source",
    "ResponsibilityMatch",
    "EthicsTopicMatch",
    "Ethics",
    "Activity",
    "activity_id",
    "activity_ids",
]

SCHEMA_VERSION = "1"

ACTIVITY_TYPES = (
    "course", "e_learning", "webinar", "conference", "seminar", "workshop", "meeting", "reading",
    "research", "writing", "teaching", "mentoring", "qualification", "assessment", "self_study", "other",
)
STATUSES = ("completed", "in_progress", "not_started", "failed", "withdrawn")


@dataclass(frozen=True, slots=True)
class ActivityWarning:
    code: str
    field: str | None
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "field": self.field, "message": self.message}


@dataclass(frozen=True, slots=True)
class Credits:
    value: float
    unit: str

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "unit": self.unit}


@dataclass(frozen=True, slots=True)
class Source:
    file_sha256: str
    filename: str
    media_type: str
    extractor: str
    layout: str | None
    locator: str

    def to_json(self) -> dict[str, Any]:
        return {
            "file_sha256": self.file_sha256, "filename": self.filename, "media_type": self.media_type,
            "extractor": self.extractor, "layout": self.layout, "locator": self.locator,
        }


@dataclass(frozen=True, slots=True)
class ResponsibilityMatch:
    id: str
    text: str
    score: float
    terms: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "score": self.score, "terms": list(self.terms)}


@dataclass(frozen=True, slots=True)
class EthicsTopicMatch:
    id: str
    label: str
    score: float
    terms: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "score": self.score, "terms": list(self.terms)}


@dataclass(frozen=True, slots=True)
class Ethics:
    related: bool = False
    topics: tuple[EthicsTopicMatch, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"related": self.related, "topics": [t.to_json() for t in self.topics]}


NOT_ETHICS = Ethics()   # frozen, so one instance serves every activity not (yet) matched


@dataclass(slots=True)
class Activity:
    """One piece of learning found in one file. Unknown values stay None: nothing is guessed."""

    activity_id: str
    title: str
    source: Source
    provider: str | None = None
    activity_type: str | None = None
    status: str = "completed"
    started_on: dt.date | None = None
    completed_on: dt.date | None = None
    duration_minutes: int | None = None
    cpd_hours: float | None = None
    credits: Credits | None = None
    verifiable: bool | None = None
    description: str | None = None
    reflection: str | None = None
    learner: str | None = None
    reference: str | None = None
    responsibilities: tuple[ResponsibilityMatch, ...] = ()
    ethics: Ethics = NOT_ETHICS
    confidence: float = 1.0
    warnings: list[ActivityWarning] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "activity_id": self.activity_id,
            "title": self.title,
            "provider": self.provider,
            "activity_type": self.activity_type,
            "status": self.status,
            "started_on": self.started_on.isoformat() if self.started_on else None,
            "completed_on": self.completed_on.isoformat() if self.completed_on else None,
            "duration_minutes": self.duration_minutes,
            "cpd_hours": self.cpd_hours,
            "credits": self.credits.to_json() if self.credits else None,
            "verifiable": self.verifiable,
            "description": self.description,
            "reflection": self.reflection,
            "learner": self.learner,
            "reference": self.reference,
            "source": self.source.to_json(),
            "responsibilities": [r.to_json() for r in self.responsibilities],
            "ethics": self.ethics.to_json(),
            "confidence": self.confidence,
            "warnings": [w.to_json() for w in self.warnings],
        }


def activity_id(file_sha256: str, locator: str) -> str:
    """Stable id: the same bytes and the same place in them always give the same id."""
    return activity_ids(file_sha256)(locator)


def activity_ids(file_sha256: str) -> Callable[[str], str]:
    """`activity_id` of one file for many locators (a table's rows): the hash of what they share is taken once."""
    start = hashlib.sha256(f"{file_sha256}:".encode())

    def make(locator: str) -> str:
        hashed = start.copy()
        hashed.update(locator.encode())
        return hashed.hexdigest()[:32]

    return make
