"""The JSON value type and the small readers every JSON layout shares."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from ..model import Issue, RawRecord

__all__ = ["Json", "Parsed", "Found", "obj", "arr", "text", "language_text", "pointer"]

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


# xAPI and Open Badges name things with language maps ({"en-US": "...", "fr-FR": "..."}).
_PREFERRED = ("en-GB", "en-US", "en", "en-gb", "en-us", "und")


def language_text(value: Json) -> str | None:
    """A plain string, or the English entry of a language map (en-GB, en-US, en, any en-*), else any."""
    if not isinstance(value, dict):
        return text(value)
    for key in _PREFERRED:
        found = text(value.get(key))
        if found is not None:
            return found
    for key, item in value.items():
        if key.casefold().startswith("en") and text(item) is not None:
            return text(item)
    return next((t for t in (text(v) for v in value.values()) if t is not None), None)


def pointer(*parts: str | int) -> str:
    """An RFC 6901 JSON pointer: '/data/items/3'."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)
