"""Any other JSON: an LMS API answer read by its largest list of objects that have a title.

LMS REST APIs wrap their rows differently ({"data": {"items": [...]}}, {"results": [...]}, a bare
array, one object a line) but the rows are always a list of like objects with a name. The largest
such list within `MAX_DEPTH` levels is taken; each object becomes a record whose labels are its keys
as written (the mappers' fuzzy vocabulary maps them), except keys whose meaning is certain, which get
the contract's names (Docebo's `total_time` is seconds: "duration_seconds"). A user object above the
list ({"user": {"fullname": ...}}) names the learner of every row.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import TypeGuard

from ..model import CellValue, Location, RawRecord
from ._types import Found, Json, Parsed, obj, pointer, text

__all__ = ["read"]

MAX_DEPTH = 5
MAX_NODES = 100_000
MIN_TITLED_SHARE = 0.6
# Keys (case-folded, separators as "_") whose meaning is certain in LMS APIs.
CERTAIN = {
    "course_code": "reference", "coursecode": "reference", "course_shortname": "reference",
    "shortname": "reference", "certificate_number": "reference", "certificate_no": "reference",
    "course_type": "activity_type", "delivery_type": "activity_type", "learning_type": "activity_type",
    "status": "status", "enrollment_status": "status", "enrolment_status": "status", "completion_status": "status",
    "date_first_access": "started_on", "first_access": "started_on", "start_date": "started_on",
    "date_started": "started_on", "started_at": "started_on",
    "date_complete": "completed_on", "date_completed": "completed_on", "completion_date": "completed_on",
    "completed_at": "completed_on", "completed_on": "completed_on",
    "total_time": "duration_seconds", "time_spent_seconds": "duration_seconds", "duration_seconds": "duration_seconds",
    "seconds_viewed": "duration_seconds",
    "duration_minutes": "duration_minutes", "time_spent_minutes": "duration_minutes",
    "cpd_hours": "cpd_hours", "credits": "credits", "credit": "credits", "credits_earned": "credits",
    "provider": "provider", "provider_name": "provider", "training_provider": "provider", "vendor": "provider",
    "description": "description", "course_description": "description",
}
# Moodle's web services give times as Unix seconds (0 = not yet): read as an ISO instant in UTC.
EPOCH_KEYS = {"timecompleted": "completed_on", "timestarted": "started_on"}
TITLE_KEYS = ("course_name", "course_title", "coursename", "course_fullname", "title", "name", "fullname",
              "activity_name", "activity_title", "item_title", "item_name", "learning_object_name")
_NOT_TITLE = re.compile(r"user|learner|first|last|file|provider|vendor|instructor|category|author|creator|status")
_ACTIVITY_WORDS = re.compile(r"date|complet|status|time|duration|hour|minute|second|credit|progress|score")
_PERSON_MARKS = frozenset({"email", "username", "user_name", "first_name", "firstname", "last_name", "lastname"})
_PERSON_KEYS = ("user", "learner", "member", "student", "employee", "person", "participant", "profile", "me")
_NAME_KEYS = ("fullname", "full_name", "display_name", "displayname", "name")


def _fold(key: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", key.casefold()).strip("_")


def read(parsed: Parsed) -> Found | None:
    best = _largest_list(parsed.value)
    if best is None:
        return None
    path, items, title_key, ancestors = best
    learner = next((n for n in (_person(a) for a in reversed(ancestors)) if n), None)
    records = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or text(item.get(title_key)) is None:
            continue
        location = (Location(line=parsed.lines[i]) if parsed.lines is not None and not path
                    else Location(pointer=pointer(*path, i)))
        records.append(RawRecord(location, _fields(item, title_key, learner), str(item.get(title_key))))
    return "lms_api", records, []


def _title_key(items: list[Json]) -> str | None:
    dicts = [i for i in items if isinstance(i, dict)]
    if not dicts or len(dicts) < MIN_TITLED_SHARE * len(items):
        return None
    keys = list(dict.fromkeys(k for d in dicts[:50] for k in d))
    ranked = [k for wanted in TITLE_KEYS for k in keys if _fold(k) == wanted]
    ranked += [k for k in keys if re.search(r"name|title", _fold(k)) and not _NOT_TITLE.search(_fold(k))]
    folded = {_fold(k) for k in keys}
    if not folded & set(CERTAIN) and not any(_ACTIVITY_WORDS.search(k) for k in folded):
        return None                      # titled, but nothing says when, how long or how far: not learning
    if folded & _PERSON_MARKS:
        ranked = [k for k in ranked if _fold(k) not in ("name", "fullname")]   # a list of people
    for key in ranked:
        if sum(1 for d in dicts if text(d.get(key)) is not None) >= MIN_TITLED_SHARE * len(dicts):
            return key
    return None


def _largest_list(root: Json) -> tuple[tuple[str | int, ...], list[Json], str, list[dict[str, Json]]] | None:
    """Breadth-first, without recursion: the biggest list of titled objects, the shallowest on a tie."""
    best: tuple[tuple[str | int, ...], list[Json], str, list[dict[str, Json]]] | None = None
    queue: list[tuple[Json, tuple[str | int, ...], list[dict[str, Json]]]] = [(root, (), [])]
    seen = 0
    while queue and seen < MAX_NODES:
        value, path, ancestors = queue.pop(0)
        seen += 1
        if isinstance(value, list):
            key = _title_key(value)
            if key is not None and (best is None or len(value) > len(best[1])):
                best = (path, value, key, ancestors)
            children: Iterator[tuple[str | int, Json]] = iter(enumerate(value)) if key is None else iter(())
        elif isinstance(value, dict):
            children = iter(value.items())
            ancestors = ancestors + [value]
        else:
            continue
        if len(path) < MAX_DEPTH:
            queue.extend((child, path + (name,), ancestors) for name, child in children)
    return best


def _person(holder: dict[str, Json]) -> str | None:
    """The learner named by a user object (or learner_name key) of a dict above the list."""
    for key, value in holder.items():
        folded = _fold(key)
        if folded in _PERSON_KEYS and isinstance(value, dict):
            return _name_of(value)
        if folded in ("learner", "learner_name", "user_fullname", "user_full_name") and text(value):
            return text(value)
    return None


def _name_of(person: dict[str, Json]) -> str | None:
    folded = {_fold(k): v for k, v in person.items()}
    for key in _NAME_KEYS:
        if text(folded.get(key)) is not None:
            return text(folded.get(key))
    parts = [text(folded.get(k)) for k in ("first_name", "firstname", "given_name", "last_name", "lastname",
                                            "family_name", "surname")]
    name = " ".join(p for p in parts if p)
    return name or text(folded.get("email"))


def _fields(item: dict[str, Json], title_key: str, learner: str | None) -> dict[str, CellValue]:
    certain: dict[str, CellValue] = {"title": text(item.get(title_key))}
    rest: dict[str, CellValue] = {}
    for key, value in item.items():
        if key == title_key:
            continue
        if isinstance(value, dict):
            person = _name_of(value) if _fold(key) in _PERSON_KEYS else None
            if person is not None:
                certain.setdefault("learner", person)
            elif _fold(key) in _PERSON_KEYS:
                continue
            else:
                rest.update({f"{key}.{k}": v for k, v in value.items() if _scalar(v)})
            continue
        if not _scalar(value):
            continue
        name = CERTAIN.get(_fold(key)) or EPOCH_KEYS.get(_fold(key))
        if name is not None and name not in certain:
            certain[name] = _epoch(value) if _fold(key) in EPOCH_KEYS else value
            if name == "credits" and value is not None:
                certain["credits_unit"] = "credits"
        else:
            rest[key] = value
    if learner is not None:
        certain.setdefault("learner", learner)
    return {**certain, **rest}


def _epoch(value: CellValue) -> CellValue:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return dt.datetime.fromtimestamp(value, dt.timezone.utc).isoformat()
    return None if value == 0 else value


def _scalar(value: Json) -> TypeGuard[str | int | float | bool | None]:
    return value is None or isinstance(value, (str, int, float, bool))
