"""The JSON value type and the small readers every JSON layout shares.

Language-tagged text comes in three shapes in the standards read here, and `language_text` reads all
three: a language map ({"en-US": "...", "fr": "..."}: xAPI, Open Badges 3.0 and the European Learning
Model v3, whose values may also be arrays), JSON-LD value objects ({"@value": "...", "@language": "en"},
alone or in a list: Blockcerts v3, VC 2.0 `name`), and a plain string. English is preferred, else the
first text given.

Placeholder values: specification samples and unfilled templates name their learner "Your Name" or
"Learner's Name", their course "[Course title]" or "{{course}}". Such a value names nobody and nothing,
so `meant` returns None for it rather than a learner or a title that was never there.

Calendar dates: credentials write a day as local midnight ("2021-12-21T00:00:00+01:00", OpenCerts
"2020-12-01T00:00:00+08:00"); the day meant is the one written, which the UTC instant would move back a
day, so `calendar_date` keeps the written day of a midnight. A time of day other than midnight is an
instant and is left whole (xAPI timestamps: the UTC date counts).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Union

from ..model import CellValue, Issue, RawRecord

__all__ = ["Json", "Parsed", "Found", "obj", "arr", "text", "language_text", "pointer", "meant",
           "calendar_date", "put"]

Json = Union[None, bool, int, float, str, list["Json"], dict[str, "Json"]]
# What a layout reader returns when the file is its kind: (layout, records, issues).
Found = tuple[str, list[RawRecord], list[Issue]]


@dataclass(frozen=True, slots=True)
class Parsed:
    """The file's value; for JSON Lines, the list of the lines' values and their 1-based line numbers."""

    value: Json
    lines: tuple[int, ...] | None


def obj(value: Json) -> dict[str, Json]:
    return value if isinstance(value, dict) else {}


def arr(value: Json) -> list[Json]:
    return value if isinstance(value, list) else []


def text(value: Json) -> str | None:
    """A non-blank string, stripped; anything else is None."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


_PREFERRED = ("en-GB", "en-US", "en", "en-gb", "en-us", "und")


def language_text(value: Json) -> str | None:
    """A plain string, a language map or JSON-LD value object(s): the English text, else the first."""
    if isinstance(value, list):
        tagged: dict[str, str] = {}
        for item in value:
            found = _plain(item)
            if found is not None:
                tagged.setdefault(str(obj(item).get("@language") or ""), found)
        return _english(tagged)
    if isinstance(value, dict):
        if "@value" in value:
            return text(value["@value"])
        return _english({k: t for k, t in ((k, _plain(v)) for k, v in value.items()) if t is not None})
    return text(value)


def _plain(value: Json) -> str | None:
    """One language's text: a string, a value object, or the first string of an array (ELM v3)."""
    if isinstance(value, dict):
        return text(value.get("@value"))
    if isinstance(value, list):
        return next((t for t in (_plain(v) for v in value) if t is not None), None)
    return text(value)


def _english(texts: dict[str, str]) -> str | None:
    for key in _PREFERRED:
        if key in texts:
            return texts[key]
    for key, item in texts.items():
        if key.casefold().startswith("en"):
            return item
    return next(iter(texts.values()), None)


def pointer(*parts: str | int) -> str:
    """An RFC 6901 JSON pointer: '/data/items/3'."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


_WHO = r"(?:your|my|the|learner|student|recipient|participant|attendee|candidate|user|member|holder|earner|first|last|full)"
_WHAT = r"(?:course|activity|event|programme|program|issuer|organi[sz]ation|provider|institution|company)"
_PLACEHOLDER = re.compile(
    rf"^(?:{_WHO}(?:['’]s)?\s+(?:full\s+)?name(?:\s+here)?|{_WHAT}\s+(?:name|title)(?:\s+here)?|"
    r"learner|student|user|participant|recipient|attendee|candidate|member|name|anonymous|test\s+user|"
    r"first\s*name\s+last\s*name|name\s+surname|lorem\s+ipsum\b.*|n/?a|null|none|undefined|tbd|tba|x{3,}|"
    r"\[[^\]]*\]|\{\{?[^}]*\}\}?|<[^>]*>|%[a-z_]+%|\$\{[^}]*\})$",
    re.IGNORECASE | re.DOTALL)


def meant(value: str | None) -> str | None:
    """The value, or None where it is a template's placeholder ("Your Name", "[Course]", "{{name}}")."""
    if value is None or _PLACEHOLDER.match(value.strip()):
        return None
    return value


_MIDNIGHT = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]00:00(?::00(?:\.0+)?)?(?:Z|[+-]\d{2}:?\d{2})?$")


def calendar_date(value: Json) -> str | None:
    """A credential's date: the day written for a midnight ('2021-12-21T00:00:00+01:00' -> '2021-12-21')."""
    found = text(value)
    if found is None:
        return None
    midnight = _MIDNIGHT.match(found)
    return midnight.group(1) if midnight else found


def put(fields: dict[str, CellValue], key: str, value: CellValue) -> None:
    """Set `key` where the value is given (not None, not blank)."""
    if value is not None and value != "":
        fields[key] = value
