"""What a column's cells are, judged from the cells alone: the evidence for telling columns apart by content.

A record's columns say what they are even where their headings say nothing we know: a completion date
column parses as dates, a time column as lengths of time or as hours-sized numbers, a status column
repeats a few status words, a title column is distinct, fairly long and mostly letters, a provider
column repeats a few organisation names, a learner column holds people's names. `profile` measures those
shares over the first rows of one column; `cell_kind` types one cell (the header finder compares a row's
kinds with the kinds below it).
"""
from __future__ import annotations

import datetime as dt
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from extractors.model import CellValue

from .datafiles import load_yaml
from .dates import MONTH_ONLY, read_date
from .durations import read_duration, read_number, read_worded_duration
from .headers import fold
from .values import read_activity_type, read_status, read_text

__all__ = ["Profile", "profile", "cell_kind", "is_person_name", "TYPED_KINDS"]

TYPED_KINDS = frozenset({"date", "duration", "number", "percent"})
_LAST_DURATION_DAY = dt.date(1900, 3, 1)   # h:mm cells of a day or more come as datetimes on Excel's 1899-12-30
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PERCENT = re.compile(r"^\s*\d{1,3}(?:[.,]\d+)?\s*%\s*$")
_CODE_MARKS = re.compile(r"[\d\-_/.:#]")
_NAME_TOKEN = re.compile(r"^[^\W\d_][^\W\d_'’\-.]*(?:['’\-][^\W\d_]+)*\.?$")
_SENTENCE_WORDS = 12


@dataclass(frozen=True, slots=True)
class Profile:
    """Shares of one column's filled cells (0-1) and the figures the role decisions need."""

    index: int
    filled: int
    dates: float = 0.0
    months: float = 0.0           # cells naming a month, not a day ('March 2025', '03/2025')
    durations: float = 0.0        # lengths of time that say their unit (1h 30m, 01:30, [h]:mm cells)
    numbers: float = 0.0          # bare figures, a decimal comma included ('1,5')
    percents: float = 0.0
    statuses: float = 0.0         # status words ('Completed', 'Abgeschlossen')
    yes_no: float = 0.0
    types: float = 0.0            # activity-type words ('Webinar', 'E-learning')
    emails: float = 0.0
    persons: float = 0.0          # shaped like a person's name
    given: float = 0.0            # one capitalised word that could be a first or a last name ('Priya', 'Shah')
    organisations: float = 0.0    # shaped like an organisation's name
    codes: float = 0.0            # one token of letters with digits or marks ('HTA-IPT-25', 'C1')
    texts: float = 0.0            # cells with letters
    distinct: float = 1.0         # distinct values / filled cells
    words: float = 0.0            # mean words per text cell
    sentences: float = 0.0        # cells that read as sentences (long, or ending with a full stop)
    figures: tuple[float, ...] = ()
    days: tuple[dt.date | None, ...] = ()   # the date of each body row, row by row (None: no date there)
    done: tuple[bool | None, ...] = ()      # what each row's status says of completion (statuses, percents)
    present: tuple[bool, ...] = ()          # whether each body row fills this column


@cache
def _organisation_words() -> frozenset[str]:
    raw = load_yaml(resources.files("mappers").joinpath("data/columns.yaml").read_text("utf-8"))
    return frozenset(fold(str(word)) for word in raw["organisation_words"])


@lru_cache(maxsize=8192)
def _text_kind(text: str) -> str:
    if _PERCENT.match(text):
        return "percent"
    if any(ch.isdigit() for ch in text):
        reading = read_date(text)
        if reading.value is not None:
            return "date"
        if reading.problem == MONTH_ONLY:
            return "month"
        if read_duration(text, None) is not None:
            return "duration"
        if read_number(text) is not None:
            return "number"
        if read_worded_duration(text) is not None:    # "2 days"
            return "duration"
    elif read_duration(text, None) is not None or read_worded_duration(text) is not None:   # "half a day"
        return "duration"
    return "text"


def cell_kind(value: CellValue) -> str:
    """'empty', 'date', 'month', 'duration', 'number', 'percent' or 'text'."""
    if value is None or value == "" or isinstance(value, bool):
        return "empty" if value in (None, "") else "text"
    if isinstance(value, dt.datetime):
        return "duration" if value.date() < _LAST_DURATION_DAY else "date"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, (dt.timedelta, dt.time)):
        return "duration"
    if isinstance(value, (int, float)):
        return "date" if value > 1000 and read_date(value).value is not None and not float(value).is_integer() \
            else "number"
    text = read_text(value)
    return "empty" if text is None else _text_kind(text)


def profile(index: int, cells: Sequence[CellValue], dayfirst: bool = True) -> Profile:
    """The profile of one column from its cells in the body's first rows (one cell per row, None where short);
    `dayfirst` is the order its dates are compared in."""
    kinds = [cell_kind(c) for c in cells]
    filled = [(c, k) for c, k in zip(cells, kinds) if k != "empty"]
    n = len(filled)
    if n == 0:
        return Profile(index, 0)
    kinds = _serial_dates(cells, kinds)
    filled = [(c, k) for c, k in zip(cells, kinds) if k != "empty"]
    texts = [t for c, k in filled if k == "text" and (t := read_text(c)) is not None]

    def share(count: int) -> float:
        return count / n
    readings = [read_status(c) for c, k in filled if k in ("text", "percent", "number")]
    words = [len(t.split()) for t in texts]
    return Profile(
        index, n,
        dates=share(sum(1 for _, k in filled if k in ("date", "month"))),
        months=share(kinds.count("month")),
        durations=share(kinds.count("duration")),
        numbers=share(kinds.count("number")),
        percents=share(kinds.count("percent")),
        statuses=share(sum(1 for r in readings if r.strength == 3)),
        yes_no=share(sum(1 for r in readings if r.strength == 1)),
        types=share(sum(1 for t in texts if read_activity_type(t) is not None)),
        emails=share(sum(1 for t in texts if _EMAIL.match(t))),
        persons=share(sum(1 for t in texts if _is_person(t))),
        given=share(sum(1 for t in texts if _is_name_part(t))),
        organisations=share(sum(1 for t in texts if _is_organisation(t))),
        codes=share(sum(1 for c, k in filled if _is_code(c, k))),
        texts=share(len(texts)),
        distinct=len({str(c) for c, _ in filled}) / n,
        words=statistics.fmean(words) if words else 0.0,
        sentences=share(sum(1 for t, w in zip(texts, words) if w >= _SENTENCE_WORDS or t.endswith("."))),
        figures=tuple(f for c, k in filled if k == "number" and (f := read_number(c)) is not None),
        days=tuple(read_date(c, dayfirst=dayfirst).value if k == "date" else None for c, k in zip(cells, kinds)),
        done=tuple(_done(c, k) for c, k in zip(cells, kinds)),
        present=tuple(k != "empty" for k in kinds),
    )


def _serial_dates(cells: Sequence[CellValue], kinds: list[str]) -> list[str]:
    """Excel serial numbers in a sheet saved without date formats: 45681.3958 is 24 Jan 2025 09:30. A whole
    serial (45708.0) is read as a date too when the column's other serials carry a time of day; a column of
    whole numbers alone may be ids or counts, so it stays numbers."""
    serial = [k == "date" and isinstance(c, (int, float)) for c, k in zip(cells, kinds)]
    if not any(serial):
        return kinds
    whole = [k == "number" and isinstance(c, (int, float)) and read_date(c).value is not None and c > 1000
             for c, k in zip(cells, kinds)]
    if sum(serial) < sum(whole):
        return kinds
    return ["date" if w else k for k, w in zip(kinds, whole)]


def _done(value: CellValue, kind: str) -> bool | None:
    if kind == "empty" or kind == "date":
        return None
    reading = read_status(value)
    if reading.status is None or reading.strength == 1:
        return None
    return reading.status == "completed"


@lru_cache(maxsize=8192)
def _is_person(text: str) -> bool:
    """'Eleanor Hughes', "Siobhan O'Neill", 'Hughes, Eleanor', 'Zoë Brontë': two to four capitalised words."""
    tokens = text.replace(",", " ").split()
    if not 2 <= len(tokens) <= 4 or len(text) > 50 or _has_organisation_word(fold(text)):
        return False
    return all(_NAME_TOKEN.match(t) and t[0].isupper() and not t.isupper() for t in tokens)


def is_person_name(text: str) -> bool:
    """Shaped like a person's name: two to four capitalised words, no organisation's word in them."""
    return _is_person(text)


@lru_cache(maxsize=8192)
def _is_name_part(text: str) -> bool:
    return (" " not in text and len(text) <= 30 and bool(_NAME_TOKEN.match(text)) and text[0].isupper()
            and not text.isupper() and fold(text) not in _organisation_words())


@lru_cache(maxsize=8192)
def _is_organisation(text: str) -> bool:
    """'Harbour Trust Academy', 'Aare Compliance Training GmbH', 'STEP', 'CIOT': a legal form, a body's noun,
    or an acronym, in a short name."""
    tokens = text.split()
    if not 1 <= len(tokens) <= 7:
        return False
    if _has_organisation_word(fold(text)):
        return True
    return any(len(t) >= 2 and t.isalpha() and t.isupper() for t in tokens)


def _has_organisation_word(folded: str) -> bool:
    """A word of the list, or a compound ending in one ('Steuerakademie', 'Beroepsorganisatie')."""
    words = _organisation_words()
    ends = _compound_ends()
    return any(w in words or w.endswith(ends) for w in folded.split())


@cache
def _compound_ends() -> tuple[str, ...]:
    return tuple(w for w in _organisation_words() if len(w) >= 6)


def _is_code(value: CellValue, kind: str) -> bool:
    """One token that is an identifier rather than a word: 'HTA-IPT-25', 'C1', '1690049', 'thisisevidence'."""
    if kind == "number":   # ids ('1690049'), not hours or minutes
        figure = read_number(value)
        return figure is not None and figure.is_integer() and figure >= 10_000
    if kind != "text" or not isinstance(value, str):
        return False
    text = value.strip()
    if not 1 <= len(text) <= 40 or any(ch.isspace() for ch in text):
        return False
    return bool(_CODE_MARKS.search(text)) or text.islower() or text.isupper()
