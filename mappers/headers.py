"""Which column is which field: the fuzzy header vocabulary, and finding the header row of a table.

Real exports put title blocks, logos, filters and blank rows above the header, sometimes split the
header over two rows (a merged "Hours" above "Verifiable | Non-verifiable"), and name the same thing
in many ways. A header cell is matched to a field in three steps, stopping at the first that answers:
the exact phrase; the longest vocabulary phrase whose words all appear in the header; a fuzzy match
(rapidfuzz) of the whole header above `FUZZY_CUTOFF`. Words listed under `avoid` rule a field out.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from rapidfuzz import fuzz, process

from extractors.model import CellValue

from .datafiles import load_yaml

__all__ = ["HeaderMatch", "Header", "classify", "fold", "find_header", "MAX_HEADER_SCAN"]

FUZZY_CUTOFF = 88
MAX_HEADER_SCAN = 40       # rows looked at for a header; title blocks are never longer
MIN_FIELDS = 2             # a header names the title and at least one other field
LONGEST_HEADER_CELL = 80   # longer text is a sentence, not a column name
EXACT_SCORE = 100.0        # a whole vocabulary phrase, not words found inside a longer text
MAX_HEADER_WORDS = 6       # likewise: "Reflection / what I learned" has five

_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Case-folded, accent-free words separated by single spaces: 'Intitulé (h)' -> 'intitule h'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", ascii_only).strip()


@dataclass(frozen=True, slots=True)
class HeaderMatch:
    field: str
    score: float
    phrase: str


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    exact: dict[str, str]
    phrases: tuple[tuple[frozenset[str], str, str], ...]   # (words, field, phrase), longest first
    choices: tuple[str, ...]
    avoid: dict[str, frozenset[str]]


@cache
def _vocabulary() -> _Vocabulary:
    raw = load_yaml(resources.files("mappers").joinpath("data/headers.yaml").read_text("utf-8"))
    exact: dict[str, str] = {}
    for field_name, names in raw["fields"].items():
        for name in names:
            exact.setdefault(fold(str(name)), field_name)
    phrases = sorted(
        ((frozenset(p.split()), f, p) for p, f in exact.items()), key=lambda item: -len(item[0])
    )
    avoid = {f: frozenset(words) for f, words in raw.get("avoid", {}).items()}
    return _Vocabulary(exact, tuple(phrases), tuple(exact), avoid)


@lru_cache(maxsize=4096)
def classify(header: str) -> HeaderMatch | None:
    """The field a column header names, or None. 'ignore' is a field too: a column known to be nothing."""
    text = fold(header)
    if not text or len(text) > LONGEST_HEADER_CELL or text.count(" ") >= MAX_HEADER_WORDS:
        return None
    vocab = _vocabulary()
    words = frozenset(text.split())
    if text in vocab.exact:
        return HeaderMatch(vocab.exact[text], 100.0, text)
    for phrase_words, field_name, phrase in vocab.phrases:
        if phrase_words <= words and not (vocab.avoid.get(field_name, frozenset()) & words):
            return HeaderMatch(field_name, 90.0, phrase)
    found = process.extractOne(text, vocab.choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
    if found is None:
        return None
    field_name = vocab.exact[found[0]]
    if vocab.avoid.get(field_name, frozenset()) & words:
        return None
    return HeaderMatch(field_name, float(found[1]), found[0])


@dataclass(frozen=True, slots=True)
class Header:
    """The header found in a table: the row index of its last row, and a match per column."""

    first_row: int
    last_row: int
    texts: tuple[str, ...]
    matches: tuple[HeaderMatch | None, ...]

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(m.field for m in self.matches if m is not None and m.field != "ignore")


def _cell_text(value: CellValue) -> str:
    return value.strip() if isinstance(value, str) else ""


def _as_header(first: int, last: int, texts: Sequence[str]) -> Header | None:
    if sum(1 for t in texts if t) < MIN_FIELDS:
        return None
    matches = tuple(classify(t) if t else None for t in texts)
    header = Header(first, last, tuple(texts), matches)
    names = header.fields
    if not ("title" in names or "description" in names) or len(names) < MIN_FIELDS:
        return None
    return header


def _merge(upper: Sequence[str], lower: Sequence[str]) -> list[str]:
    width = max(len(upper), len(lower))
    out = []
    for i in range(width):
        a = upper[i] if i < len(upper) else ""
        b = lower[i] if i < len(lower) else ""
        out.append(f"{a} {b}".strip() if a != b else a)
    return out


def find_header(rows: Sequence[Sequence[CellValue]], known_rows: int | None = None) -> Header | None:
    """The best header among the first rows: most distinct fields, a title among them, earliest on a tie.

    A second header row is merged in when that names more fields (two-row headers). `known_rows`
    is the count the format itself marks as header (HTML <thead>).
    """
    head = rows[:MAX_HEADER_SCAN + 1]
    texts = [[_cell_text(c) for c in row] for row in head]
    if known_rows:
        merged = texts[0] if texts else []
        for extra in texts[1:known_rows]:
            merged = _merge(merged, extra)
        found = _as_header(0, known_rows - 1, merged)
        if found is not None:
            return found
    best: Header | None = None
    for r in range(min(len(texts), MAX_HEADER_SCAN)):
        single = _as_header(r, r, texts[r])
        double = _two_row(head, texts, r) if single is not None else None
        for candidate in (single, double):
            if candidate is not None and (best is None or _score(candidate) > _score(best)):
                best = candidate
        if double is not None and single is not None and _score(double) >= _score(single):
            best = double if best is single else best
    return best


def _score(header: Header) -> tuple[int, int]:
    return len(header.fields), sum(1 for m in header.matches if m is not None)


def _two_row(rows: Sequence[Sequence[CellValue]], texts: Sequence[Sequence[str]], r: int) -> Header | None:
    if r + 1 >= len(texts) or not any(texts[r + 1]):
        return None
    below = texts[r + 1]
    # The lower row of a two-row header holds only short text (no dates, no figures), most of it
    # header words themselves ("Verifiable", "Non-verifiable", "Start", "End").
    if any(c not in (None, "") and not isinstance(c, str) for c in rows[r + 1]):
        return None
    filled = [t for t in below if t]
    if any(not any(ch.isalpha() for ch in t) or len(t.split()) > 4 for t in filled):
        return None
    exact = sum(1 for t in filled if (m := classify(t)) is not None and m.score >= EXACT_SCORE)
    if exact * 2 < len(filled):
        return None
    return _as_header(r, r + 1, _merge(texts[r], below))
