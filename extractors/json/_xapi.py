"""xAPI (Experience API 1.0.x) statements: only what says the learner finished something is an activity.

Statement facts used here (xAPI 1.0.3, part 2):
- a statement is {actor, verb, object, result?, context?, timestamp?, stored?, id?}; an LRS page is
  {"statements": [...], "more": "<IRL of the next page>"};
- `verb.id` is an IRI: ADL's http(s)://adlnet.gov/expapi/verbs/<word>, w3id.org/xapi/adl/verbs/<word>,
  activitystrea.ms/schema/1.0/<word>, id.tincanapi.com/verb/<word>; `verb.display` is a language map;
- a voiding statement (verb .../voided) names the voided statement's id in `object.id`; some LRS
  exports also flag voided statements "voided": true. Both kinds are dropped, as is the voiding one;
- `timestamp` is when it happened (the LRS sets it to `stored` when absent); `result.duration` is an
  ISO 8601 duration (PT1H30M);
- `object.definition.type` names the kind of activity; `context.platform` is the LMS that sent the
  statement, not who taught the course, and object ids are IRIs, not course codes.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from ..model import CellValue, Issue, Location, RawRecord
from ._types import Found, Json, Parsed, arr, language_text, obj, text

__all__ = ["read", "is_statement"]

VOIDED = "voided"
DONE = frozenset({"completed", "passed", "attended", "complete", "pass", "attend"})
# Verbs of the usual vocabularies that do not mean "finished": their display text cannot override them.
NOT_DONE = frozenset({
    "launched", "initialized", "experienced", "answered", "progressed", "registered", "failed", "terminated",
    "suspended", "resumed", "abandoned", "waived", "satisfied", "scored", "interacted", "attempted", "exited",
    "commented", "asked", "shared", "imported", "mastered", "preferred", "voided", "viewed", "played",
    "paused", "seeked", "accessed", "enrolled", "unregistered", "started", "bookmarked", "earned",
})
# Activity types that do not say what kind of learning it was.
GENERIC_TYPES = frozenset({"course", "module", "lesson", "unit", "activity", "cmi.interaction", "interaction",
                           "question", "objective", "link", "file", "profile"})
_LAST_SEGMENT = re.compile(r"[^/#:]+$")


def is_statement(value: Json) -> bool:
    return isinstance(value, dict) and "verb" in value and "object" in value and "actor" in value


def read(parsed: Parsed) -> Found | None:
    """Records for the finished activities of an xAPI file; None when the file is not xAPI."""
    found = list(_statements(parsed))
    if not found:
        return None
    voided = {text(obj(s["object"]).get("id")) for _, s in found if _verb_word(s) == VOIDED}
    groups: dict[tuple[str, str], list[tuple[Location, dict[str, Json]]]] = {}
    issues: list[Issue] = []
    for location, statement in found:
        if statement.get("voided") is True or text(statement.get("id")) in voided - {None}:
            continue
        if not _is_done(statement):
            continue
        key = (_actor_key(obj(statement.get("actor"))), text(obj(statement["object"]).get("id")) or "")
        groups.setdefault(key, []).append((location, statement))
    records = []
    for group in groups.values():
        record = _record(group)
        if record is None:
            issues.append(Issue("untitled_statement", "A completed statement names no activity (no "
                                "object.definition.name); it was skipped.", group[0][0]))
        else:
            records.append(record)
    records.sort(key=lambda r: (r.location.statement or 0))
    return "xapi", records, issues


def _statements(parsed: Parsed) -> Iterator[tuple[Location, dict[str, Json]]]:
    value = parsed.value
    if parsed.lines is not None:
        items = [(Location(statement=n, line=line), v) for n, (line, v) in
                 enumerate(zip(parsed.lines, arr(value)), start=1)]
    elif isinstance(value, dict) and isinstance(value.get("statements"), list):
        items = [(Location(statement=n), v) for n, v in enumerate(arr(value["statements"]), start=1)]
    elif isinstance(value, list):
        items = [(Location(statement=n), v) for n, v in enumerate(value, start=1)]
    else:
        items = [(Location(statement=1), value)]
    statements = [(loc, v) for loc, v in items if is_statement(v) and isinstance(v, dict)]
    # An array that is mostly something else (an LMS list with the odd statement-like entry) is not xAPI.
    if statements and len(statements) * 2 >= len(items):
        yield from statements


def _verb_word(statement: dict[str, Json]) -> str:
    verb = statement.get("verb")        # Tin Can 0.9 wrote the verb as a bare word
    found = _LAST_SEGMENT.search((text(verb) if isinstance(verb, str) else text(obj(verb).get("id"))) or "")
    return found.group(0).casefold() if found else ""


def _is_done(statement: dict[str, Json]) -> bool:
    word = _verb_word(statement)
    if word in DONE:
        return True
    if word in NOT_DONE:
        return False
    display = language_text(obj(statement.get("verb")).get("display"))
    return display is not None and display.casefold() in DONE


def _actor_key(actor: dict[str, Json]) -> str:
    account = obj(actor.get("account"))
    for value in (actor.get("mbox"), actor.get("mbox_sha1sum"), actor.get("openid"),
                  f"{text(account.get('homePage')) or ''}|{text(account.get('name')) or ''}" if account else None,
                  actor.get("name")):
        if text(value) is not None:
            return str(value)
    return ""


def _learner(actor: dict[str, Json]) -> str | None:
    mbox = text(actor.get("mbox"))
    if mbox is not None and mbox.casefold().startswith("mailto:"):
        mbox = mbox[len("mailto:"):]
    return text(actor.get("name")) or mbox or text(obj(actor.get("account")).get("name"))


def _when(statement: dict[str, Json]) -> str | None:
    return text(statement.get("timestamp")) or text(statement.get("stored"))


def _sort_key(item: tuple[Location, dict[str, Json]]) -> tuple[int, dt.datetime, int]:
    raw = _when(item[1])
    try:
        moment = dt.datetime.fromisoformat(raw) if raw else None
    except ValueError:
        moment = None
    if moment is None:
        return (1, dt.datetime.min.replace(tzinfo=dt.timezone.utc), item[0].statement or 0)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return (0, moment, item[0].statement or 0)


def _record(group: list[tuple[Location, dict[str, Json]]]) -> RawRecord | None:
    # One activity per learner and object: "passed" and "completed" of one attempt, or an LMS that
    # re-sends its completions, describe one piece of learning. The first statement by timestamp is
    # kept because the CPD counts on the day the learning was first finished; later ones are
    # re-sends or reviews. Its missing details (a duration only the other statement carries) are
    # taken from the others, earliest first.
    group = sorted(group, key=_sort_key)
    location, first = group[0]
    definition = obj(obj(first["object"]).get("definition"))
    title = language_text(definition.get("name"))
    if title is None:
        return None
    fields: dict[str, CellValue] = {"title": title, "status": "completed"}
    _put(fields, "description", language_text(definition.get("description")))
    _put(fields, "learner", _learner(obj(first.get("actor"))))
    _put(fields, "completed_on", _when(first))
    _put(fields, "duration", next((d for d in (text(obj(s.get("result")).get("duration")) for _, s in group)
                                   if d is not None), None))
    kind = _LAST_SEGMENT.search(text(definition.get("type")) or "")
    if kind is not None and kind.group(0).casefold() not in GENERIC_TYPES:
        fields["activity_type"] = kind.group(0)
    verb = language_text(obj(first.get("verb")).get("display")) or _verb_word(first)
    return RawRecord(location, fields, f"{verb}: {title} ({_when(first) or 'no timestamp'})")


def _put(fields: dict[str, CellValue], key: str, value: str | None) -> None:
    if value is not None:
        fields[key] = value
