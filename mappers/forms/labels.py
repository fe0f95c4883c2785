"""What a form's label asks for: the form vocabulary (data/forms.yaml), then the column-header vocabulary.

A form labels its answers with questions ("What did you learn?", "Wie lange?") or with field names
("Date(s)", "Provider"). A label is matched in this order, stopping at the first that answers: the exact
form phrase; the exact column-header name ("Start date", which a form phrase like "date" would cover less
well); the longest form phrase whose words are all in the label; the column-header vocabulary's own
phrase and fuzzy matching. The contract's field names (`cpd_hours`, `duration_minutes`), which the Word
extractor gives the labels it is sure of, read as their words.
"""
from __future__ import annotations

from functools import cache, lru_cache
from importlib import resources

from ..datafiles import load_yaml
from ..headers import EXACT_SCORE, classify, fold

__all__ = ["PLAN", "IGNORE", "label_field", "looks_like_label", "is_field_name"]

PLAN = "plan"        # learning still to come: a need, a planned action, a target date
IGNORE = "ignore"    # known to be nothing of the schema
MAX_LABEL_WORDS = 14             # "How will you apply what you learned to your work with clients?" has 12
MAX_LABEL_CHARS = 100
_ENDS_AS_LABEL = ("?", ":", "：", "¿")


@cache
def _vocabulary() -> tuple[dict[str, str], tuple[tuple[frozenset[str], str], ...]]:
    raw = load_yaml(resources.files("mappers").joinpath("data/forms.yaml").read_text("utf-8"))
    exact: dict[str, str] = {}
    for field, phrases in raw["fields"].items():
        for phrase in phrases:
            exact.setdefault(fold(str(phrase)), field)
    ordered = sorted(((frozenset(p.split()), f) for p, f in exact.items()), key=lambda item: -len(item[0]))
    return exact, tuple(ordered)


@lru_cache(maxsize=4096)
def label_field(label: str) -> str | None:
    """The field a form label asks for (a contract field, `date`, `duration`, `credits`, `plan`, `ignore`),
    or None when nothing knows it."""
    text = fold(label)
    words = text.split()
    if not words or len(words) > MAX_LABEL_WORDS:
        return None
    exact, phrases = _vocabulary()
    if text in exact:
        return exact[text]
    header = classify(label) if len(words) <= 6 else None
    if header is not None and header.score >= EXACT_SCORE:
        return header.field
    present = frozenset(words)
    for phrase, field in phrases:
        if phrase <= present:
            return field
    return header.field if header is not None else None


def looks_like_label(text: str) -> bool:
    """Short text that asks a question or names a field: 'When?', 'Provider', 'What did you learn?'."""
    stripped = text.strip()
    if not stripped or len(stripped) > MAX_LABEL_CHARS or "\n" in stripped.rstrip():
        return False
    if not any(ch.isalpha() for ch in stripped) or sum(ch.isdigit() for ch in stripped) > 2:
        return False
    return stripped.endswith(_ENDS_AS_LABEL) or stripped.startswith("¿") or label_field(stripped) is not None


@lru_cache(maxsize=4096)
def is_field_name(text: str) -> bool:
    """A whole phrase of either vocabulary ('Date', 'Provider', 'How long?'), as a column header is; not
    text that merely holds such a word ('Webinar on trust registration')."""
    folded = fold(text)
    if folded in _vocabulary()[0]:
        return True
    header = classify(text)
    return header is not None and header.score >= EXACT_SCORE
