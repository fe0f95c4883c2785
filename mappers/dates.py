"""Read one date cell of a CPD record: what members' files hold, and what we make of it.

Forms seen in the wild (corpus, LMS exports, member-made logs):

* typed cells: `date`, `datetime` (aware ones are read as their UTC date);
* Excel serial numbers in General-format cells (1900 system): `45714`, `45714.5416666667`,
  also as text; epoch seconds and milliseconds (API exports, UTC); `20250314` (YYYYMMDD);
* ISO dates and stamps: `2025-03-14`, `2025-03-14T10:00:00Z`, `2025-03-14 10:00:00+01:00`
  (a numeric offset or `Z`: the UTC date), `2025/03/14`;
* numeric day-month-year: `14/03/2025`, `14.03.2025`, `14-03-2025`, `14/03/25`, with a time and
  a zone name (`14/03/2025 10:00 GMT`: the date as written);
* month names in English, French, German and Spanish, full or abbreviated, any case, with or
  without accents: `03-Feb-2025`, `3rd February 2025`, `February 3, 2025`, `1er avril 2025`,
  `3. März 2025`, `3 de marzo de 2025`, `Tuesday, 11 March 2025, 2:15 PM`;
* ranges (the reading's `start` is the first day): `17-18/06/2025`, `11–12/06/2025`,
  `18–19 May 2025`, `12-13 juin 2025`, `03/02/2025 - 05/02/2025`, `30 Dec 2024 to 2 Jan 2025`;
  a `d–d/mm/yyyy` range is day-first by its shape, whatever the column's order;
* anything else goes to dateutil, read twice to tell a missing day from a real one.

Skipped on purpose: the Excel 1904 date system (readers give such cells as dates already), serials
before 1954 or after 2119 and epoch values before 1990 (too easily a count or an amount), epoch
microseconds, ISO week and ordinal dates, month-first month-name ranges (`Feb 3-5, 2025`), dates
inside prose (`on 12 March 2025`: the extractor cuts the date out), and two-digit years read as
anything but 1969-2068. A value whose order is proven by nothing (`03/04/2025`) is read in the
column's order and says so in `assumed`; `05/05/2025` reads the same either way, so it assumes
nothing.
"""
from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from dateutil import parser as _dateutil

if TYPE_CHECKING:  # annotations only: importing `extractors` at run time would load every extractor
    from extractors.model import CellValue

__all__ = ["DateReading", "date_order", "read_date"]

# Problem codes (stable: they end up in warnings).
MONTH_ONLY = "month_only"
UNPARSEABLE_DATE = "unparseable_date"
NOT_A_REAL_DATE = "not_a_real_date"
DAYFIRST = "dayfirst"
MONTHFIRST = "monthfirst"

# Cells that mean "no date" rather than "a date we cannot read".
BLANKS = frozenset({"", "-", "--", "–", "—", "n/a", "na", "n.a.", "none", "null", "nil", "nan", "nat"})
# No date cell is longer; longer text is not parsed (and not cached).
MAX_DATE_TEXT = 80
CACHE_SIZE = 16_384

# Excel's 1900 system counts from 1899-12-30 (its phantom 29 Feb 1900 makes this right from March 1900).
EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_SERIAL_MIN = (dt.date(1954, 1, 1) - EXCEL_EPOCH).days
EXCEL_SERIAL_MAX = (dt.date(2120, 1, 1) - EXCEL_EPOCH).days  # exclusive
YYYYMMDD_MIN, YYYYMMDD_MAX = 19_000_101, 21_191_231
EPOCH_SECONDS_MIN = 631_152_000  # 1990-01-01
EPOCH_SECONDS_MAX = 4_733_510_400  # 2120-01-01
MILLISECONDS = 1_000
# Beyond this an int is no date and would overflow float() or str(): read it as unparseable at once.
LARGEST_NUMBER = 10**18
# Two-digit years: 00-68 -> 2000-2068, 69-99 -> 1969-1999 (the POSIX / strptime pivot).
TWO_DIGIT_YEAR_PIVOT = 69
MONTHS_IN_YEAR = 12
HALF_DAY_HOURS = 12
DAYS_IN_LONGEST_MONTH = 31
MAX_YEAR_CROSSING_DAYS = 31

_MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            "january jan janvier janv januar janner jaenner enero ene",
            "february feb fevrier fevr fev februar febrero",
            "march mar mars marz maerz mrz marzo",
            "april apr avril avr abril abr",
            "may mai mayo",
            "june jun juin juni junio",
            "july jul juillet juil juli julio",
            "august aug aout agosto ago",
            "september sep sept septembre septiembre setiembre",
            "october oct octobre oktober okt octubre",
            "november nov novembre noviembre",
            "december dec decembre dezember dez diciembre dic",
        ),
        start=1,
    )
    for name in names.split()
}
# Words that may sit around a month-name date without changing it: weekdays, ordinal suffixes
# (3rd, 1er), linking words (3 de marzo de 2025, am 3. März), time and zone words.
_FILLER = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun "
    "lundi mardi mercredi jeudi vendredi samedi dimanche "
    "montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag "
    "lunes martes miercoles jueves viernes sabado domingo "
    "st nd rd th er re e eme o de del of the on at a le la el den der am um uhr "
    "utc gmt z bst cet cest wet west eet eest est edt cst cdt mst mdt pst pdt".split()
)
_ZONE_NAMES = "utc|gmt|z|bst|cet|cest|wet|west|eet|eest|est|edt|cst|cdt|mst|mdt|pst|pdt"
_TAIL = (
    r"(?:(?:\s*[T,]\s*|\s+)(?:at\s+|um\s+|à\s+)?(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?"
    r"\s*([ap]\.?m\.?)?(?:\s*uhr)?)?"
    rf"\s*(?:({_ZONE_NAMES})|([+-])(\d{{2}}):?(\d{{2}})?)?$"
)
_ISO = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})" + _TAIL, re.IGNORECASE)
_NUMERIC = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})" + _TAIL, re.IGNORECASE)
_NUMERIC_MONTH = re.compile(r"^(?:(\d{1,2})[/.\-](\d{4})|(\d{4})-(\d{1,2}))$")
_DIGITS = re.compile(r"^\d{1,13}(?:\.\d{1,12})?$")
_ORDER_EVIDENCE = re.compile(r"(?<!\d)(\d{1,2})([/.\-])(\d{1,2})\2(?:\d{4}|\d{2})(?!\d)")
_TIME_WORDS = re.compile(r"\b\d{1,2}[:h]\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*[ap]\.?m\.?)?|\b\d{1,2}\s*[ap]\.?m\.?(?!\w)")
_TIME_WITH_OFFSET = re.compile(r"\d:\d{2}(?::\d{2})?(?:[.,]\d+)?\s*[+-]\d{2}:?\d{2}$")
_TOKEN = re.compile(r"\d+|[^\W\d_]+")
_RANGE_WORDS = re.compile(
    r"^(?:from\s+|du\s+|vom\s+|von\s+|del\s+|desde\s+)?(.+?)"
    r"(?:\s*[–—]\s*|\s+-\s+|\s+(?:to|until|till|au|bis|al)\s+)(.+)$",
    re.IGNORECASE,
)
_RANGE_HYPHEN = re.compile(r"^(\d{1,2})\.?-(\d.*)$")
_DAY_MONTH = re.compile(r"^(\d{1,2})([/.])(\d{1,2})$")
_DATEUTIL_DEFAULTS = (dt.datetime(2001, 1, 1), dt.datetime(2002, 2, 2))
# dateutil's ParserError is a ValueError; the others are what its internals raise on odd input.
_DATEUTIL_ERRORS = (ValueError, OverflowError, TypeError, AttributeError, IndexError)


@dataclass(frozen=True, slots=True)
class DateReading:
    """What one date cell says; `value` None with `problem` None means the cell was empty."""

    value: dt.date | None
    start: dt.date | None = None
    assumed: str | None = None
    problem: str | None = None
    original: str = ""


_EMPTY = DateReading(None)


def read_date(value: CellValue, *, dayfirst: bool = True) -> DateReading:
    """Read one cell as a date (the last day of a range); never raises."""
    if isinstance(value, str):
        return _read_text(value, dayfirst)
    if value is None:
        return _EMPTY
    if isinstance(value, bool):
        return DateReading(None, problem=UNPARSEABLE_DATE, original=str(value))
    if isinstance(value, dt.datetime):
        day = _utc_day(value)
        return DateReading(day, problem=None if day else NOT_A_REAL_DATE, original=value.isoformat())
    if isinstance(value, dt.date):
        return DateReading(value, original=value.isoformat())
    if isinstance(value, (int, float)):
        if isinstance(value, int) and not -LARGEST_NUMBER < value < LARGEST_NUMBER:
            return DateReading(None, problem=UNPARSEABLE_DATE, original="(a very large number)")
        return _read_number(value, str(value))
    return DateReading(None, problem=UNPARSEABLE_DATE, original=str(value))


def date_order(values: Iterable[CellValue]) -> bool | None:
    """True if the column proves day-first, False if month-first, None if neither (or both)."""
    dayfirst = monthfirst = False
    for value in values:
        if isinstance(value, str) and len(value) <= MAX_DATE_TEXT:
            evidence = _order_evidence(value)
            dayfirst = dayfirst or evidence is True
            monthfirst = monthfirst or evidence is False
    if dayfirst == monthfirst:
        return None
    return dayfirst


@functools.lru_cache(maxsize=CACHE_SIZE)
def _order_evidence(text: str) -> bool | None:
    proofs = set()
    for match in _ORDER_EVIDENCE.finditer(text):
        first, second = int(match[1]), int(match[3])
        if MONTHS_IN_YEAR < first <= DAYS_IN_LONGEST_MONTH and 1 <= second <= MONTHS_IN_YEAR:
            proofs.add(True)
        elif MONTHS_IN_YEAR < second <= DAYS_IN_LONGEST_MONTH and 1 <= first <= MONTHS_IN_YEAR:
            proofs.add(False)
    return proofs.pop() if len(proofs) == 1 else None


def _read_text(text: str, dayfirst: bool) -> DateReading:
    if len(text) > MAX_DATE_TEXT:
        return DateReading(None, problem=UNPARSEABLE_DATE, original=text.strip()[:MAX_DATE_TEXT])
    return _read_short_text(text, dayfirst)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _read_short_text(text: str, dayfirst: bool) -> DateReading:
    stripped = " ".join(text.split())
    if stripped.lower() in BLANKS:
        return DateReading(None, original=stripped)
    reading = _read_single(stripped, dayfirst) or _read_range(stripped, dayfirst)
    if reading is None or reading.value is None:
        reading = _read_loose_range(stripped, dayfirst) or reading
    if reading is None:
        reading = _read_with_dateutil(stripped, dayfirst)
    if reading is None:
        return DateReading(None, problem=UNPARSEABLE_DATE, original=stripped)
    return DateReading(reading.value, reading.start, reading.assumed, reading.problem, stripped)


def _read_single(text: str, dayfirst: bool) -> DateReading | None:
    """One date in any form but a range or dateutil's; None when the text is none of them."""
    for reader in (_read_iso, _read_numeric, _read_digits, _read_numeric_month, _read_month_name):
        reading = reader(text, dayfirst)
        if reading is not None:
            return reading
    return None


def _read_iso(text: str, dayfirst: bool) -> DateReading | None:
    match = _ISO.match(text)
    if match is None:
        return None
    return _stamp(int(match[1]), int(match[3]), int(match[4]), match, None)


def _read_numeric(text: str, dayfirst: bool) -> DateReading | None:
    match = _NUMERIC.match(text)
    if match is None:
        return None
    first, second, year = int(match[1]), int(match[3]), _full_year(match[4])
    if first > MONTHS_IN_YEAR or first == second:
        return _stamp(year, second, first, match, None)  # proven day-first, or the same either way
    if second > MONTHS_IN_YEAR:
        return _stamp(year, first, second, match, None)  # proven month-first
    if dayfirst:
        return _stamp(year, second, first, match, DAYFIRST)
    return _stamp(year, first, second, match, MONTHFIRST)


def _stamp(year: int, month: int, day: int, match: re.Match[str], assumed: str | None) -> DateReading:
    """The reading of a matched date plus the `_TAIL` time and zone: a numeric offset gives the UTC date."""
    try:
        day_written = dt.date(year, month, day)
    except ValueError:
        return DateReading(None, problem=NOT_A_REAL_DATE)
    sign = match[10]
    if sign is None or match[5] is None:
        return DateReading(day_written, assumed=assumed)
    hour = int(match[5])
    if match[8]:
        hour = hour % HALF_DAY_HOURS + (HALF_DAY_HOURS if match[8][0] in "pP" else 0)
    offset = dt.timedelta(hours=int(match[11]), minutes=int(match[12] or 0))
    try:
        written = dt.datetime(year, month, day, hour, int(match[6]), int(match[7] or 0))
        utc = written - offset if sign == "+" else written + offset
    except (ValueError, OverflowError):
        return DateReading(None, problem=UNPARSEABLE_DATE)
    return DateReading(utc.date(), assumed=assumed)


def _read_digits(text: str, dayfirst: bool) -> DateReading | None:
    if _DIGITS.match(text) is None:
        return None
    return _read_number(float(text) if "." in text else int(text), text)


def _read_number(number: float, original: str) -> DateReading:
    """Excel serial, YYYYMMDD, epoch seconds or milliseconds, told apart by their ranges."""
    if EXCEL_SERIAL_MIN <= number < EXCEL_SERIAL_MAX:
        return DateReading(EXCEL_EPOCH + dt.timedelta(days=int(number)), original=original)
    if not math.isfinite(number) or number < 0:
        return DateReading(None, problem=UNPARSEABLE_DATE, original=original)
    if YYYYMMDD_MIN <= number <= YYYYMMDD_MAX and number == int(number):
        whole = int(number)
        return replace(_checked(whole // 10_000, whole // 100 % 100, whole % 100), original=original)
    if EPOCH_SECONDS_MIN * MILLISECONDS <= number < EPOCH_SECONDS_MAX * MILLISECONDS:
        number /= MILLISECONDS
    if EPOCH_SECONDS_MIN <= number < EPOCH_SECONDS_MAX:
        moment = dt.datetime.fromtimestamp(int(number), tz=dt.timezone.utc)
        return DateReading(moment.date(), original=original)
    return DateReading(None, problem=UNPARSEABLE_DATE, original=original)


def _read_numeric_month(text: str, dayfirst: bool) -> DateReading | None:
    match = _NUMERIC_MONTH.match(text)
    if match is None:
        return None
    month = int(match[1] or match[4])
    return DateReading(None, problem=MONTH_ONLY if 1 <= month <= MONTHS_IN_YEAR else UNPARSEABLE_DATE)


def _read_month_name(text: str, dayfirst: bool) -> DateReading | None:
    """`3rd February 2025`, `February 3, 2025`, `03-Feb-25`, `March 2025` (month only)."""
    if _TIME_WITH_OFFSET.search(text):
        return None  # an offset to apply: dateutil's job
    month, month_first = 0, False
    numbers: list[str] = []
    for token in _TOKEN.findall(_TIME_WORDS.sub(" ", _fold(text))):
        if token.isdecimal():
            numbers.append(token)
        elif token in _MONTHS and not month:
            month, month_first = _MONTHS[token], not numbers
        elif token not in _FILLER:
            return None
    if not month or not numbers or len(numbers) > 2:
        return None
    if len(numbers) == 1:
        only = numbers[0]
        month_only = len(only) == 4 or (len(only) == 2 and month_first)
        return DateReading(None, problem=MONTH_ONLY if month_only else UNPARSEABLE_DATE)
    first, second = numbers
    day, year = (second, first) if len(first) == 4 else (first, second)
    if len(day) > 2 or len(year) not in (2, 4):
        return None
    return _checked(_full_year(year), month, int(day))


def _read_range(text: str, dayfirst: bool) -> DateReading | None:
    """`17-18/06/2025`, `18–19 May 2025`, `03/02/2025 - 05/02/2025`; None when not a range.

    A range read in the assumed order that makes no sense in the other (`30/06 - 01/07/2025`)
    proves its order, so it assumes nothing.
    """
    match = _RANGE_HYPHEN.match(text) or _RANGE_WORDS.match(text)
    if match is None:
        return None
    left, right = match[1].strip().rstrip(".").strip(), match[2].strip()
    if left.isdecimal() and len(left) <= 2 and _NUMERIC.match(right) and "-" not in right:
        # d–d/mm/yyyy: the days are what varies, so they come first whatever the column's order.
        reading = _range_in_order(left, right, True)
        return replace(reading, assumed=None) if reading is not None else None
    reading = _range_in_order(left, right, dayfirst)
    if reading is not None and reading.assumed is not None:
        other = _range_in_order(left, right, not dayfirst)
        if other is None or other.value is None:
            reading = replace(reading, assumed=None)
    return reading


def _range_in_order(left: str, right: str, dayfirst: bool) -> DateReading | None:
    end = _read_single(right, dayfirst)
    if end is None or end.value is None:
        return end
    start = _range_start(left, end.value, dayfirst)
    if start is None or start.value is None or start.value > end.value:
        return DateReading(None, problem=(start.problem if start else None) or UNPARSEABLE_DATE)
    return DateReading(end.value, start=start.value, assumed=end.assumed or start.assumed)


def _range_start(left: str, end: dt.date, dayfirst: bool) -> DateReading | None:
    """The first day of a range, taking the year (and month) it leaves out from the last day."""
    if left.isdecimal() and len(left) <= 2:
        return _checked(end.year, end.month, int(left))
    whole = _read_single(left, dayfirst)
    if whole is not None and whole.value is not None:
        return whole
    day_month = _DAY_MONTH.match(left)
    suffix = f"{day_month[2]}{end.year}" if day_month else f" {end.year}"
    start = _read_single(left + suffix, dayfirst)
    if start is not None and start.value is not None and start.value > end:
        # Over New Year (`30 Dec – 2 Jan 2025`), and only a short way: no borrowed year spans months.
        start = _checked(end.year - 1, start.value.month, start.value.day)
        if start.value is not None and (end - start.value).days > MAX_YEAR_CROSSING_DAYS:
            return None
    return start


# Two days written loosely, as people fill in forms: `17 and 18 June 2025`, `17th–18th June 2025`,
# `Mon 17 – Tue 18 June 2025`, `17. und 18. Juni 2025`, `17 y 18 de junio de 2025`, `June 17-18, 2025`,
# `17/06/25-18/06/25`: rewritten to a range `_read_range` reads, never left to dateutil (which reads
# `17 and 18 June 2025` as 18 June 2017).
_WEEKDAY_WORDS = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|montag|dienstag|mittwoch|donnerstag|freitag|samstag|"
    r"sonntag|lunes|martes|miercoles|jueves|viernes|sabado|domingo)\b\.?,?")
_DAY_SUFFIX = re.compile(r"(?<=\b\d)(?:st|nd|rd|th|er|eme|o)\b|(?<=\b\d\d)(?:st|nd|rd|th|er|eme|o)\b|"
                         r"(?<=\b\d)\.(?=\s*(?:-|[a-z]))|(?<=\b\d\d)\.(?=\s*(?:-|[a-z]))")
_PAIR_WORD = re.compile(r"\s*(?:[–—]|\s-\s|&|\band\b|\bet\b|\bund\b|\by\b)\s*")
_MONTH_FIRST_RANGE = re.compile(r"^([a-z]+)\.?\s*(\d{1,2})\s+-\s+(?:([a-z]+)\.?\s*)?(\d{1,2}),?\s+(\d{4})$")
_NUMERIC_PAIR = re.compile(r"^(\d{1,2}[/.]\d{1,2}[/.]\d{2,4})-(\d{1,2}[/.]\d{1,2}[/.]\d{2,4})$")


def _read_loose_range(text: str, dayfirst: bool) -> DateReading | None:
    """Two days written loosely (see above) as the range they name; None when the text is no such thing."""
    plain = _DAY_SUFFIX.sub("", _WEEKDAY_WORDS.sub(" ", _fold(text)))
    plain = " ".join(_NUMERIC_PAIR.sub(r"\1 - \2", plain).split())
    plain = _PAIR_WORD.sub(" - ", plain.replace("-", " - ")).replace(" - - ", " - ")
    plain = " ".join(plain.split())
    month_first = _MONTH_FIRST_RANGE.match(plain)
    if month_first and month_first[1] in _MONTHS and (month_first[3] is None or month_first[3] in _MONTHS):
        first, day, second, last_day, year = month_first.groups()
        plain = f"{day} {first} - {last_day} {second or first} {year}"
    plain = re.sub(r"^(\d{1,2}) - (?=\d)", r"\1-", plain)      # 17 - 18 june 2025 -> 17-18 june 2025
    if plain == " ".join(text.split()):
        return None
    reading = _read_range(plain, dayfirst)
    return reading if reading is not None and reading.value is not None else None


def _read_with_dateutil(text: str, dayfirst: bool) -> DateReading | None:
    """The last resort: read twice with different defaults, so a missing day or year shows."""
    first = _dateutil_parse(text, dayfirst, _DATEUTIL_DEFAULTS[0])
    second = _dateutil_parse(text, dayfirst, _DATEUTIL_DEFAULTS[1])
    if first is None or second is None:
        return None
    if (first.year, first.month) == (second.year, second.month) and first.day != second.day:
        return DateReading(None, problem=MONTH_ONLY)
    if first.date() != second.date():
        return DateReading(None, problem=UNPARSEABLE_DATE)
    other = _dateutil_parse(text, not dayfirst, _DATEUTIL_DEFAULTS[0])
    assumed = None if other is None or other == first else (DAYFIRST if dayfirst else MONTHFIRST)
    day = _utc_day(first)
    return DateReading(day, assumed=assumed, problem=None if day else NOT_A_REAL_DATE)


def _dateutil_parse(text: str, dayfirst: bool, default: dt.datetime) -> dt.datetime | None:
    try:
        return _dateutil.parse(text, default=default, dayfirst=dayfirst, tzinfos=_offset_only)
    except _DATEUTIL_ERRORS:
        return None


def _offset_only(name: str | None, offset: int | None) -> dt.tzinfo | None:
    """Numeric offsets count; zone names (`GMT`, `BST`) leave the date as written."""
    return dt.timezone(dt.timedelta(seconds=offset)) if offset is not None else None


def _utc_day(moment: dt.datetime) -> dt.date | None:
    if moment.utcoffset() is None:
        return moment.date()
    try:
        return moment.astimezone(dt.timezone.utc).date()
    except (ValueError, OverflowError):
        return None


def _checked(year: int, month: int, day: int) -> DateReading:
    try:
        return DateReading(dt.date(year, month, day))
    except ValueError:
        return DateReading(None, problem=NOT_A_REAL_DATE)


def _full_year(digits: str) -> int:
    year = int(digits)
    if len(digits) == 2:
        return year + (1900 if year >= TWO_DIGIT_YEAR_PIVOT else 2000)
    return year


def _fold(text: str) -> str:
    """Lower case without accents: `März` -> `marz`, `1er février` -> `1er fevrier`."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))
