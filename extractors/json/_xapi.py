"""xAPI (Experience API 1.0.x) and cmi5 statements: only what says the learner finished something is an activity.

Statement facts used here (xAPI 1.0.3, Part Two, Data; cmi5 section 9.3, Verbs):
- a statement is {actor, verb, object, result?, context?, timestamp?, stored?, id?}; it arrives alone, in an
  array, as JSON Lines, or in an LRS page {"statements": [...], "more": "<IRL of the next page>"};
- `verb.id` is an IRI (ADL http(s)://adlnet.gov/expapi/verbs/<word>, w3id.org/xapi/adl/verbs/<word>,
  activitystrea.ms/schema/1.0/<word>, id.tincanapi.com/verb/<word>); its last segment names the verb.
  `verb.display` is "the human readable representation of the Verb in one or more languages"; the spec
  says it has no impact on the meaning, but where the IRI is in no vocabulary we know, the display is
  the only statement of that meaning left, so it is read (in every language of the map);
- `result.completion`: "Indicates whether or not the Activity was completed"; `result.success`:
  "Indicates whether or not the attempt on the Activity was successful"; `result.duration` is ISO 8601;
- voiding (xAPI 2.3.2): "the reserved Verb http://adlnet.gov/expapi/verbs/voided" marks a previously made
  statement invalid; "the Object of that voiding Statement MUST have the objectType property set to
  StatementRef" and "MUST specify the id of the statement-to-be-voided"; an LRS "MUST consider a Statement
  it contains voided if and only if ... the LRS also contains a voiding Statement referring to" it, and
  reports leave voided statements out. Some LRS exports also flag voided statements "voided": true;
- cmi5: completed = "the learner viewed or did all of the relevant activities in an AU presentation";
  passed = "the learner attempted and succeeded in a judged activity in the AU"; failed = "attempted and
  failed"; launched / initialized / terminated / abandoned / waived / satisfied are the LMS's and the
  AU's session bookkeeping, not learning done;
- `timestamp` is when it happened (the LRS sets it to `stored` when absent); `object.definition.type`
  names the kind of activity; `context.platform` is the LMS that sent the statement, not who taught the
  course, and object ids are IRIs, not course codes.

The rules chosen:
1. completed / passed / attended (and their activitystrea.ms forms) make a statement a finished learning
   event. failed is not one: a failed attempt completed nothing. launched, initialized, experienced,
   answered, terminated, progressed and the other session or interaction verbs are not activities,
   whatever their `result` says (an answered question with completion true is one question done).
2. A verb in no vocabulary we know is read through its display in any language ("attended", "terminé",
   "abgeschlossen"); failing that, through its result: completion true or success true is finished.
3. A statement contradicting itself (completed with result.completion false, passed with result.success
   false) is left out with a warning.
4. A voided statement is not an activity, and the voiding statement is not one either.
5. One activity per learner and activity object (object.id, else its name): a completed and a passed
   statement of one attempt, or an LMS re-sending its completions, describe one piece of learning, dated
   by the first of them; a detail only a later statement carries (the duration) is taken from it.
6. Placeholder learner names ("Learner's Name" in the cmi5 samples) name nobody: no learner.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator

from ..model import CellValue, Issue, Location, RawRecord
from ._types import Found, Json, Parsed, arr, language_text, meant, obj, put, text

__all__ = ["read", "is_statement"]

VOIDED = "voided"
DONE = frozenset({"completed", "passed", "attended", "complete", "pass", "attend"})
FAILED = frozenset({"failed", "fail"})
# Verbs of the usual vocabularies that do not mean "finished": their display text cannot override them.
NOT_DONE = frozenset({
    "launched", "initialized", "experienced", "answered", "progressed", "registered", "terminated",
    "suspended", "resumed", "abandoned", "waived", "satisfied", "scored", "interacted", "attempted", "exited",
    "commented", "asked", "shared", "imported", "mastered", "preferred", "voided", "viewed", "played",
    "paused", "seeked", "accessed", "enrolled", "unregistered", "started", "bookmarked", "earned",
}) | FAILED
# What a display says when its verb means finished, in the languages LMSs localise their verbs into.
DONE_WORDS = frozenset({
    "completed", "complete", "passed", "attended", "finished",
    "termine", "a termine", "complete", "acheve", "reussi", "a reussi", "assiste", "a assiste", "participe",
    "a participe", "abgeschlossen", "bestanden", "teilgenommen", "absolviert", "beendet", "erledigt",
    "completado", "completo", "terminado", "aprobado", "aprobo", "asistio", "asistido", "completato",
    "superato", "frequentato", "partecipato", "voltooid", "afgerond", "geslaagd", "bijgewoond", "concluido",
    "concluiu", "aprovado", "participou", "assistiu",
})
NOT_ACTIVITIES = frozenset({"statementref", "substatement", "agent", "group"})
# Activity types that do not say what kind of learning it was.
GENERIC_TYPES = frozenset({"course", "module", "lesson", "unit", "activity", "cmi.interaction", "interaction",
                           "question", "objective", "link", "file", "profile", "block", "au"})
_LAST_SEGMENT = re.compile(r"[^/#:]+$")


def is_statement(value: Json) -> bool:
    return isinstance(value, dict) and "verb" in value and "object" in value and "actor" in value


def read(parsed: Parsed) -> Found | None:
    """Records for the finished activities of an xAPI file; None when the file is not xAPI."""
    found = list(_statements(parsed))
    if not found:
        return None
    voided = {text(obj(s["object"]).get("id")) for _, s in found if _verb_word(s) == VOIDED} - {None}
    groups: dict[tuple[str, str], list[tuple[Location, dict[str, Json]]]] = {}
    issues: list[Issue] = []
    for location, statement in found:
        if statement.get("voided") is True or text(statement.get("id")) in voided:
            continue
        meaning = _meaning(statement)
        if meaning == "contradictory":
            word = _verb_word(statement)
            said = "result.completion" if word.startswith("complet") else "result.success"
            issues.append(Issue("contradictory_statement", f"Statement {location.statement}: the verb says "
                                f"'{word}' but {said} is false; the statement contradicts itself and was left "
                                "out. Ask the LMS's administrator which is right.", location))
        if meaning != "done":
            continue
        groups.setdefault(_key(statement), []).append((location, statement))
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


def _meaning(statement: dict[str, Json]) -> str:
    """'done', 'contradictory' or 'other' (not a finished learning event), by rules 1-3 of the docstring."""
    kind = (text(obj(statement["object"]).get("objectType")) or "activity").casefold()
    if kind in NOT_ACTIVITIES:
        return "other"
    word = _verb_word(statement)
    result = obj(statement.get("result"))
    if word in DONE:
        contradicted = (word.startswith("complet") and result.get("completion") is False) or \
                       (word.startswith("pass") and result.get("success") is False)
        return "contradictory" if contradicted else "done"
    if word in NOT_DONE:
        return "other"
    if _display_says_done(obj(statement.get("verb")).get("display")):
        return "done"
    return "done" if result.get("completion") is True or result.get("success") is True else "other"


def _display_says_done(display: Json) -> bool:
    shown = [display] if isinstance(display, str) else list(obj(display).values())
    return any(_folded(t) in DONE_WORDS for t in (text(v) for v in shown) if t is not None)


def _folded(words: str) -> str:
    plain = unicodedata.normalize("NFKD", words.casefold())
    return " ".join("".join(c for c in plain if not unicodedata.combining(c)).split())


def _key(statement: dict[str, Json]) -> tuple[str, str]:
    activity = obj(statement["object"])
    name = language_text(obj(activity.get("definition")).get("name")) or ""
    return _actor_key(obj(statement.get("actor"))), text(activity.get("id")) or name


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
    return meant(text(actor.get("name"))) or mbox or meant(text(obj(actor.get("account")).get("name")))


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
    # Rule 5: the first statement by timestamp is kept because the CPD counts on the day the learning
    # was first finished; later ones are re-sends or reviews.
    group = sorted(group, key=_sort_key)
    location, first = group[0]
    definition = obj(obj(first["object"]).get("definition"))
    title = language_text(definition.get("name"))
    if title is None:
        return None
    fields: dict[str, CellValue] = {"title": title, "status": "completed"}
    put(fields, "description", language_text(definition.get("description")))
    put(fields, "learner", _learner(obj(first.get("actor"))))
    put(fields, "completed_on", _when(first))
    put(fields, "duration", next((d for d in (text(obj(s.get("result")).get("duration")) for _, s in group)
                                  if d is not None), None))
    kind = _LAST_SEGMENT.search(text(definition.get("type")) or "")
    if kind is not None and kind.group(0).casefold() not in GENERIC_TYPES:
        fields["activity_type"] = kind.group(0)
    verb = language_text(obj(first.get("verb")).get("display")) or _verb_word(first)
    return RawRecord(location, fields, f"{verb}: {title} ({_when(first) or 'no timestamp'})")
