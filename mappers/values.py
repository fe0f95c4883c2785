"""Statuses, activity types and verifiable flags as records write them -> the contract's values.

The vocabularies are data (`data/values.yaml`). A value that is not in them is not guessed: an
unknown type stays None; an unknown status is reported by the caller.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from extractors.model import CellValue

from .datafiles import load_yaml
from .headers import fold

__all__ = ["StatusReading", "read_status", "read_activity_type", "read_verifiable", "read_text", "read_prose"]

_PERCENT = re.compile(r"^\s*(\d{1,3}(?:[.,]\d+)?)\s*%?\s*$")
_SPACES = re.compile(r"\s+")
_EMPTY = frozenset({"", "-", "–", "—", "n/a", "na", "none", "null", "nil", "tbc", "?"})


_NEEDS_FOLDING = re.compile(r"\s\s|[\t\n\r\f\v\x00\xa0]")


def read_text(value: CellValue) -> str | None:
    """Whitespace-normalised text of a cell, or None for an empty cell or a dash."""
    if type(value) is str:          # the common cell, first
        text = value.strip()
    else:
        if value is None or isinstance(value, bool):
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = value.strip() if isinstance(value, str) else str(value)
    if _NEEDS_FOLDING.search(text):  # the common cell is already clean: skip the rewrite
        text = _SPACES.sub(" ", text.replace("\x00", "")).strip()
    if len(text) <= 4 and text.casefold() in _EMPTY:
        return None
    return text


_LINE_SPACES = re.compile(r"[ \t\f\v\xa0]+")
_BLANK_LINES = re.compile(r"\n\s*\n\s*")


def read_prose(value: CellValue) -> str | None:
    """Descriptions and reflections kept whole: spaces tidied within lines, paragraph breaks kept.

    A line break inside a paragraph (a cell's soft wrap) becomes a space; a blank line or a break
    between paragraphs stays one newline. Reflective practice is the heart of the CPD record.
    """
    if not isinstance(value, str):
        return read_text(value)
    text = value.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if "\n" not in text:
        return read_text(text)
    paragraphs = [_LINE_SPACES.sub(" ", p).strip() for p in _BLANK_LINES.split(text) if p.strip()]
    if len(paragraphs) == 1:  # lines of one paragraph: single line breaks are paragraph breaks too
        paragraphs = [_LINE_SPACES.sub(" ", p).strip() for p in text.split("\n") if p.strip()]
    joined = "\n".join(paragraphs)
    return joined if joined.casefold() not in _EMPTY else None


@cache
def _tables() -> dict[str, dict[str, str]]:
    raw = load_yaml(resources.files("mappers").joinpath("data/values.yaml").read_text("utf-8"))
    out: dict[str, dict[str, str]] = {}
    for kind in ("status", "activity_type", "verifiable"):
        table: dict[str, str] = {}
        for meaning, words in raw[kind].items():
            for word in words:
                table.setdefault(fold(str(word)), str(meaning).lower())
        out[kind] = table
    return out


@dataclass(frozen=True, slots=True)
class StatusReading:
    status: str | None   # a contract status, or None when the value says nothing we know
    strength: int        # 3 a status word, 2 a percentage, 1 a yes/no flag, 0 nothing


_YES_NO = frozenset({"yes", "y", "no", "n", "true", "false"})
_NEGATIONS = frozenset({"not", "no", "yet", "never", "nicht", "noch", "pas", "non"})


@lru_cache(maxsize=1024)
def _status_of_text(text: str) -> StatusReading:
    percent = _PERCENT.match(text)
    if percent:
        share = float(percent.group(1).replace(",", "."))
        return StatusReading("completed" if share >= 100 else "not_started" if share == 0 else "in_progress", 2)
    folded = fold(text)
    known = _tables()["status"]
    if folded in known:
        return StatusReading(known[folded], 1 if folded in _YES_NO else 3)
    # "Completed - passed", "In progress (40%)": the first known phrase of a longer value, unless a
    # negation stands before it ("Not yet fully completed" says nothing we can trust).
    words = folded.split()
    for length in (3, 2, 1):
        for i in range(len(words) - length + 1):
            phrase = " ".join(words[i:i + length])
            if phrase in known and phrase not in _YES_NO and not _NEGATIONS & set(words[:i]):
                return StatusReading(known[phrase], 3)
    return StatusReading(None, 0)


def read_status(value: CellValue) -> StatusReading:
    """What a status, result or progress cell says; 100% and 'Yes' are completed, 0% and 'No' not started."""
    if isinstance(value, bool):
        return StatusReading("completed" if value else "not_started", 1)
    if isinstance(value, (int, float)):
        share = float(value) * (100 if 0 < float(value) <= 1 and not float(value).is_integer() else 1)
        return _status_of_text(f"{share:g}")
    text = read_text(value)
    return StatusReading(None, 0) if text is None else _status_of_text(text)


@lru_cache(maxsize=1024)
def _type_of_text(text: str) -> str | None:
    folded = fold(text)
    found = _tables()["activity_type"].get(folded)
    if found is None and folded.endswith("s"):
        found = _tables()["activity_type"].get(folded[:-1])
    return found


def read_activity_type(value: CellValue) -> str | None:
    """The contract's activity type a label names, or None where the label does not say what kind of learning."""
    text = read_text(value)
    return None if text is None else _type_of_text(text)


def read_verifiable(value: CellValue) -> bool | None:
    """Structured / verifiable -> True, unstructured / non-verifiable -> False, anything else None."""
    if isinstance(value, bool):
        return value
    text = read_text(value)
    return None if text is None else _verifiable_of_text(text)


@lru_cache(maxsize=256)
def _verifiable_of_text(text: str) -> bool | None:
    meaning = _tables()["verifiable"].get(fold(text))
    return None if meaning is None else meaning == "true"
