"""Coordinated modifiers spelt out: "the trust, foundation and company law of ..." names trust law,
foundation law and company law, which phrase matching alone would read as "trust" and "company law".

Role responsibilities are written as lists ("PEP and sanctions screening", "trust, foundation and company
law"); `expansions` returns, for each such phrase, the phrase as written and its distributed forms, so the
responsibility's analysis can add the concepts the distributed forms name. Only single-word modifiers and a
single head word are distributed, and only where the head ends the phrase (punctuation, the end of the text
or a preposition follows), so verb lists ("review and approve the accounts") are left alone.
"""
from __future__ import annotations

import re

__all__ = ["expansions"]

_WORD = r"[^\W\d_][\w'’-]*"
_PHRASE = re.compile(
    rf"\b((?:{_WORD},\s+)*{_WORD}(?:,)?\s+(?:and|or|&)\s+{_WORD})\s+({_WORD})(?=\s*(?:[,.;:)]|$|\s+(?:of|for|in|on|under|to|with|at|by)\b))",
    re.IGNORECASE,
)
_SPLIT = re.compile(r",\s*(?:and\s+|or\s+|&\s+)?|\s+(?:and|or|&)\s+", re.IGNORECASE)
_ARTICLES = frozenset({"the", "a", "an", "its", "their", "his", "her", "our", "your"})


def expansions(text: str) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """(phrase as written, ((modifier, distributed form), ...)) for each coordinated phrase: ("trust,
    foundation and company law", (("trust", "trust law"), ("foundation", "foundation law"), ...))."""
    found: list[tuple[str, tuple[tuple[str, str], ...]]] = []
    for match in _PHRASE.finditer(text):
        modifiers = [m.strip() for m in _SPLIT.split(match.group(1)) if m.strip()]
        if modifiers and modifiers[0].lower() in _ARTICLES:
            modifiers[0] = modifiers[0].split(maxsplit=1)[-1]
        modifiers = [m for m in modifiers if m.lower() not in _ARTICLES]
        if len(modifiers) < 2:
            continue
        head = match.group(2)
        found.append((match.group(0), tuple((m, f"{m} {head}") for m in modifiers)))
    return tuple(found)
