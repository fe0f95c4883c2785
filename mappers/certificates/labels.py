"""Labelled values: a label ("ISSUED TO", "Date issued", "LENGTH", "Certificate ID") and the value it names.

Certificates put the value after the label on its line ("Certificate no: UC-1b2c..."), or the label alone on its
line, above, beside or below its value (a badge's "DATE ISSUED / EXPIRES" row over a row of dates, a signature-style
"28 NOVEMBER 2019" over "DATE"). A label alone takes the nearest line that fits it: a date for a date label, a
figure for a duration or credits, a name for a learner, an identifier for a reference. Where the layout is
unknown, a run of labels followed by as many values pairs them in order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .page import Line, Page
from .spans import find_dates, find_ids, find_quantities, find_urls, is_name
from .vocabulary import fold, vocabulary

__all__ = ["Labelled", "find_labelled", "label_only"]

_WORD = re.compile(r"[^\W_]+")
_SEPARATOR = re.compile(r"^\s*(?:[:：#=–—-]|no\.?|n°)?\s*")
DATE_FIELDS = ("completed_on", "date", "started_on", "issued_on", "expires_on")


@dataclass(frozen=True, slots=True)
class Labelled:
    field: str
    value: str
    label_line: Line
    value_line: Line


def _label_end(text: str, words: int) -> int:
    """Where the label's `words` words end in the raw text."""
    found = list(_WORD.finditer(text))
    return found[words - 1].end() if len(found) >= words else len(text)


def _split(line: Line) -> tuple[str, str, str] | None:
    """(field, label text, value text after it) where the line begins with a known label."""
    found = vocabulary().label_at_start(fold(line.text))
    if found is None:
        return None
    field, label = found
    end = _label_end(line.text, len(label.split()))
    return field, line.text[:end], line.text[end:]


def label_only(line: Line) -> str | None:
    """The field a line names when it holds a label and nothing else ('DATE ISSUED', 'Length:')."""
    split = _split(line)
    if split is None or split[2].strip(" :：#.-–—"):
        return None
    return split[0]


def fits(field: str, text: str) -> bool:
    """The text can be the value of the field."""
    if field in DATE_FIELDS:
        return bool(find_dates(text))
    if field in ("duration", "credits"):
        return bool(find_quantities(text)) or bool(re.match(r"^\s*\d+(?:[.,]\d+)?\b", text))
    if field == "reference":
        return bool(find_ids(text) or find_urls(text)) or bool(re.fullmatch(r"\s*[A-Z0-9][A-Z0-9-]{3,}\s*", text))
    if field == "learner":
        return is_name(text) or "@" in text
    if field in ("title", "provider", "delivery", "field_of_study", "instructor"):
        return bool(text.strip()) and label_only(Line(0, text)) is None and not find_dates(text)
    return bool(text.strip())


_LONGER_LABEL = re.compile(r"^\s+[^\W\d_]+(?:\s+[^\W\d_]+)?\s*[:：]")
_CLAUSE = re.compile(r"(?<=[.;|])\s+(?=\S)|\s{3,}")


def _inline(line: Line) -> list[Labelled]:
    """Labels and their values on one line, each in its clause ('... 12/03/2025. Ref: BWT-99812')."""
    found = (_inline_clause(line, clause.strip()) for clause in _CLAUSE.split(line.text))
    return [hit for hit in found if hit is not None]


def _inline_clause(line: Line, clause: str) -> Labelled | None:
    split = _split(Line(line.number, clause))
    if split is None:
        return None
    field, label, rest = split
    longer = _LONGER_LABEL.match(rest)    # 'CLE credits earned: 12.5', 'Webinar ID: 812-449-317'
    if longer:
        label, rest = label + rest[:longer.end() - 1], rest[longer.end() - 1:]
        field = _longer_field(field, label)
    separated = _SEPARATOR.match(rest)
    value = rest[separated.end():].strip() if separated else rest.strip()
    if not value:
        return None
    marked = bool(re.match(r"^\s*[:：#]", rest)) or label.isupper() and len(label) > 2
    typed = field not in ("title", "provider", "learner", "delivery", "field_of_study", "grade") and fits(field, value)
    if marked or typed:
        return Labelled(field, value, line, line)
    return None


def _longer_field(field: str, label: str) -> str:
    """The field a label grown by a word or two names: its own if the vocabulary knows it, a reference for
    '... ID' / '... number', else the field of its first words."""
    folded = fold(label)
    known = vocabulary().labels.get(folded)
    if known:
        return known
    if folded.split()[-1] in ("id", "number", "no", "code", "ref", "reference", "nr", "numero"):
        return "reference"
    return field


def _run_value(page: Page, line: Line) -> Line | None:
    """In a run of label-only lines followed by as many value lines, the value in the same place."""
    lines = page.lines
    at = page.index(line)
    first = at
    while first > 0 and label_only(lines[first - 1]):
        first -= 1
    last = at
    while last + 1 < len(lines) and label_only(lines[last + 1]):
        last += 1
    if last == first:
        return None
    target = last + 1 + (at - first)
    return lines[target] if target < len(lines) else None


def _alone(page: Page, line: Line, field: str) -> Labelled | None:
    candidates = page.neighbours(line) if page.styled else [c for c in (_run_value(page, line),) if c] + page.neighbours(line)
    for other in candidates:
        if label_only(other) or _inline(other):
            continue
        if fits(field, other.text):
            return Labelled(field, other.text, line, other)
    return None


def find_labelled(page: Page) -> list[Labelled]:
    """Every label on the page with its value, in reading order of the labels."""
    found = []
    for line in page.lines:
        field = label_only(line)
        if field:
            hit = _alone(page, line, field)
            found.extend([hit] if hit is not None else [])
        else:
            found.extend(_inline(line))
    return found
