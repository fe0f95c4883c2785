"""Values found inside a certificate's lines by their form: dates and date ranges, quantities of time and credit,
identifiers and verification addresses, and whether a phrase looks like a person's or an organisation's name.

Forms, not languages: day-first and month-first dates in English, French, German and Spanish month names,
numeric dates (left for mappers.dates to order), ISO dates; ranges "1–3 October 2025", "18 May – 19 May 2025",
"October 1-3, 2025", "6–7/05/2025".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .vocabulary import fold, vocabulary

__all__ = ["DateHit", "Quantity", "find_dates", "find_quantities", "find_ids", "find_urls", "is_name", "is_org",
           "strip_honorific", "looks_like_sentence"]

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|"
    "januar|jänner|februar|märz|maerz|april|juni|juli|oktober|dezember|"
    "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre"
)
_M = rf"(?:{_MONTHS})\.?"
_D = r"\d{1,2}(?:st|nd|rd|th|er|º|°|\.)?"
_Y = r"(?:19|20)\d\d"
_TO = r"\s*(?:[–—-]|to|au|al|bis|and|et|y|through)\s*"
_OF = r"(?:\s+(?:of|de|del))?"
_DATE_FORMS = (
    ("dmy_range", rf"(?P<d1>{_D}){_TO}(?P<d2>{_D})\s+(?:de\s+)?(?P<m>{_M}){_OF},?\s+(?P<y>{_Y})"),
    ("dm_dm_y", rf"(?P<d1>{_D})\s+(?P<m1>{_M}){_TO}(?P<d2>{_D})\s+(?P<m2>{_M}),?\s+(?P<y>{_Y})"),
    ("md_range", rf"(?P<m>{_M})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?{_TO}(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>{_Y})"),
    ("md_md_y", rf"(?P<m1>{_M})\s+(?P<d1>\d{{1,2}}){_TO}(?P<m2>{_M})\s+(?P<d2>\d{{1,2}}),?\s+(?P<y>{_Y})"),
    ("num_range", rf"(?P<d1>\d{{1,2}})\s*[–—-]\s*(?P<d2>\d{{1,2}})(?P<rest>[/.]\d{{1,2}}[/.](?:{_Y}|\d\d))"),
    ("dmy", rf"{_D}\s+(?:de\s+|of\s+)?{_M}{_OF},?\s+{_Y}"),
    ("mdy", rf"{_M}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+{_Y}"),
    ("iso", rf"{_Y}-\d\d-\d\d"),
    ("numeric", rf"\d{{1,2}}[/.]\d{{1,2}}[/.](?:{_Y}|\d\d)(?!\d|[/.]\d)|\d{{1,2}}-\d{{1,2}}-{_Y}"),
)
_DATE = re.compile("|".join(f"(?P<{name}>{form.replace('(?P<', f'(?P<{name}_')})" for name, form in _DATE_FORMS),
                   re.IGNORECASE)

_NUM = r"\d+(?:[.,]\d+)?"
_TIME_UNIT = (r"hours?|hrs?\.?|h\b|minutes?|mins?\.?|heures?|stunden?|std\.?|horas?|minutos?|"
              r"unterrichtseinheiten|ue\b")
_CREDIT_UNIT = r"credits?|points?|units?|pdus?|ceus?|cpe|cpd|créditos?|creditos?|punkte|crédits?"
_QTY = re.compile(
    rf"(?P<num>{_NUM})\s*(?:-\s*)?(?:total\s+|of\s+|x\s+)?(?:(?P<kind>cpd|cpe|cle|ce|structured|verifiable)\s+)?"
    rf"(?P<unit>{_TIME_UNIT}|{_CREDIT_UNIT})(?:\s*\(s\))?"
    rf"(?:\s+(?P<num2>\d+)\s*(?P<unit2>minutes?|mins?\.?|m\b))?",
    re.IGNORECASE,
)
_URL = re.compile(r"\b(?:https?://|www\.)\S+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|io|edu|co|me|my|example|ly)"
                  r"/\S+", re.IGNORECASE)
_ID = re.compile(r"\b(?=[A-Za-z0-9-]*\d)(?=[A-Za-z0-9-]*[A-Za-z])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\b")
_HONORIFIC = re.compile(r"^(?:mr|mrs|ms|miss|mx|dr|prof|madame|monsieur|mme|mlle|m|herr|frau|sr|sra|srta|don|doña|"
                        r"dona)\.?\s+", re.IGNORECASE)
_NAME_WORD = re.compile(r"^(?:[A-ZÀ-ÖØ-Þ][\w'’.-]*|[A-ZÀ-ÖØ-Þ]\.|de|da|del|della|der|den|van|von|la|le|di|du|dos|das|"
                        r"bin|al|y|e|ter|zu|mc)$")


@dataclass(frozen=True, slots=True)
class DateHit:
    """A date or a range in a line: characters [start, end), the text, and the first and last days as text."""

    start: int
    end: int
    text: str
    first: str
    last: str

    @property
    def is_range(self) -> bool:
        return self.first != self.last


@dataclass(frozen=True, slots=True)
class Quantity:
    """A figure with its unit: '1 hour 25 minutes', '2.0 CPE credits'; `credit` when it is credited, not time."""

    start: int
    end: int
    text: str
    number: str
    unit: str
    credit: bool


def find_dates(text: str) -> list[DateHit]:
    return [_date_hit(m) for m in _DATE.finditer(text)]


def _date_hit(m: re.Match[str]) -> DateHit:
    kind = m.lastgroup or ""
    g = {k[len(kind) + 1:]: v for k, v in m.groupdict().items() if v is not None and k.startswith(kind + "_")}
    text = m.group(0)
    if kind == "dmy_range":
        first, last = f"{g['d1']} {g['m']} {g['y']}", f"{g['d2']} {g['m']} {g['y']}"
    elif kind == "dm_dm_y":
        first, last = f"{g['d1']} {g['m1']} {g['y']}", f"{g['d2']} {g['m2']} {g['y']}"
    elif kind == "md_range":
        first, last = f"{g['m']} {g['d1']}, {g['y']}", f"{g['m']} {g['d2']}, {g['y']}"
    elif kind == "md_md_y":
        first, last = f"{g['m1']} {g['d1']}, {g['y']}", f"{g['m2']} {g['d2']}, {g['y']}"
    elif kind == "num_range":
        first, last = g["d1"] + g["rest"], g["d2"] + g["rest"]
    else:
        first = last = text
    return DateHit(m.start(), m.end(), text, first, last)


def find_quantities(text: str) -> list[Quantity]:
    """Figures with a unit of time or credit; a figure inside a date is none."""
    dates = [(d.start, d.end) for d in find_dates(text)]
    found = []
    for m in _QTY.finditer(text):
        if any(s <= m.start() < e for s, e in dates):
            continue
        unit = m.group("unit").lower()
        credit = bool(m.group("kind")) or bool(re.fullmatch(_CREDIT_UNIT, unit, re.IGNORECASE))
        value = m.group(0)
        clean = re.sub(r"\s*\(s\)|\btotal\s+|\bof\s+", "", value, flags=re.IGNORECASE)
        found.append(Quantity(m.start(), m.end(), clean.strip(), m.group("num"), unit, credit))
    return found


def find_urls(text: str) -> list[str]:
    return [m.group(0).rstrip(".,;)") for m in _URL.finditer(text)]


def find_ids(text: str) -> list[str]:
    """Identifier-like tokens: letters and digits mixed, six characters or more (certificate numbers, hashes, UUIDs)."""
    blocked = [(d.start, d.end) for d in find_dates(text)] + [(m.start(), m.end()) for m in _URL.finditer(text)]
    out = []
    for m in _ID.finditer(text):
        if len(m.group(0)) >= 6 and not any(s <= m.start() < e for s, e in blocked):
            out.append(m.group(0))
    return out


def strip_honorific(text: str) -> str:
    return _HONORIFIC.sub("", text.strip()).strip()


def is_name(text: str) -> bool:
    """A person's name: two to five capitalised words (particles allowed), no digits, nothing of a phrase."""
    value = strip_honorific(text.strip(" ,.;:!"))
    words = value.split()
    if not 2 <= len(words) <= 5 or len(value) > 60 or any(ch.isdigit() or ch in "@:/()“”\"" for ch in value):
        return False
    folded = fold(value)
    vocab = vocabulary()
    if folded in vocab.placeholder_names or folded in vocab.document_types:
        return False
    if any(w in vocab.organisation_words or w in _NOT_NAME_WORDS for w in folded.split()):
        return False
    if value.isupper():
        return all(w.isalpha() or "-" in w or "'" in w or "." in w for w in words)
    return all(_NAME_WORD.match(w) for w in words) and _NAME_WORD.match(words[0]) is not None and words[0][0].isupper()


_NOT_NAME_WORDS = frozenset(
    "certificate certificat certifies certify completion attendance participation course webinar conference seminar "
    "workshop training program programme this that the has have with for and of in on at to from by is was are "
    "congratulations date issued signature director awarded presented granted signed hours credits credit hour "
    "verify verification id online essential essentials introduction advanced fundamentals basics management "
    "excel python law tax trust trusts estate ethics finance financial accounting skills masterclass day days "
    "events event meeting summit forum module modules level part".split()
)


def is_org(text: str) -> bool:
    """An organisation's name: capitalised, short, with a word organisations are named with."""
    folded = fold(text)
    words = folded.split()
    if not 1 <= len(words) <= 10 or not text[:1].isupper():
        return False
    return any(w in vocabulary().organisation_words for w in words)


def looks_like_sentence(text: str) -> bool:
    """Running text, not a name or a title: ends with a full stop after many words, or is long."""
    words = text.split()
    return len(words) > 18 or (len(words) > 8 and text.rstrip().endswith("."))
