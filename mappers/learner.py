"""The learner named once in a title block: "Name: Fiona MacLeod", "User: Chloe Martin (77812)", "Nom : ...".

Records often name their person once above the table rather than on every row. Only a labelled line
counts: a name is never taken from prose or from a report's "run by" line.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["learner_from_lines"]

_LABELS = (
    r"name|full name|learner(?: name)?|user|employee(?: name)?|member(?: name)?|prepared for|attendee|"
    r"participant(?:e)?|delegate|student|candidate|trainee|nom(?: et pr[ée]nom)?|pr[ée]nom et nom|"
    r"teilnehmer(?:in)?|mitarbeiter(?:in)?|name des teilnehmers|nombre|participante|record of|cpd record (?:of|for)"
)
_LINE = re.compile(rf"^\s*(?:{_LABELS})\s*[:：]\s*(?P<value>.+?)\s*$", re.IGNORECASE)
_TRAILING_ID = re.compile(r"\s*[\(\[][^)\]]*\d[^)\]]*[\)\]]\s*$")
_MAX_WORDS = 6


def learner_from_lines(lines: Iterable[str]) -> str | None:
    """The first labelled learner name in the lines, or None."""
    for raw in lines:
        for line in raw.splitlines():
            found = _LINE.match(line)
            if found is None:
                continue
            value = _TRAILING_ID.sub("", found.group("value")).strip(" ,;|")
            if _is_name(value):
                return value
    return None


def _is_name(value: str) -> bool:
    words = value.split()
    if not words or len(words) > _MAX_WORDS:
        return False
    if "@" in value:
        return True
    return sum(ch.isdigit() for ch in value) == 0 and any(ch.isalpha() for ch in value)
