"""Read time spent on an activity, in minutes, and the unit a column header implies.

Forms seen in the wild (corpus, LMS exports, members' own logs):

* typed cells: Excel `[h]:mm` / `h:mm` cells come as `timedelta` or `time`, and a `h:mm` cell of a
  day or more as a `datetime` on Excel's epoch (1899-12-30 .. early 1900);
* bare numbers whose unit is the header's: `Hours` / `Duration (hrs)` / `Heures` / `Stunden` /
  `Horas` (`1.5`, `1,5`), `Duration (min)` / `Dauer (Min.)` (`45`), `Seconds Viewed` and the LMS
  API field `total_time` (`6438`);
* text with units in English, French, German and Spanish: `1h 30m`, `1h30`, `1h30min`,
  `1 hr 30 mins`, `2 hours 15 mins`, `1.5 hrs`, `1,5 h`, `90 mins`, `30m`, `1 h 15`,
  `1 heure 30`, `1 Std. 30 Min.`, `2 Stunden`;
* ISO 8601 durations (xAPI `result.duration`): `PT1H30M`, `PT5400S`, `PT1.5H`, `PT45M0S`;
  their `D` and `W` are exact (24 h, 7 days) elapsed time, as xAPI means them;
* clock text: `01:30`, `1:30` (h:mm; m:ss under a minutes header), `01:30:00` (h:mm:ss).

Skipped on purpose (None, so the caller decides and can warn): days in text or under a days
header (a training day has no fixed length), ISO years and months, negative time, numbers with
a currency (`£1,250.00`) or a percentage, approximate text (`about 2 hours`, `2-3 hours`), and
bare numbers under a header that names no unit.

`read_number` settles separators this way: `1,5` is a decimal comma; `1,250` and `1,250.00`
group thousands (a comma followed by exactly three digits, after a non-zero lead); `1.250,00`
and `1.250.000` group with dots; a single dot is always a decimal point (`1.250` is 1.25).
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
import math
import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: importing `extractors` at run time would load every extractor
    from extractors.model import CellValue

__all__ = ["duration_unit", "read_number", "read_duration", "WordedDuration", "read_worded_duration"]

HOURS = "hours"
MINUTES = "minutes"
SECONDS = "seconds"
DAYS = "days"
MINUTES_PER_UNIT: dict[str, float] = {HOURS: 60.0, MINUTES: 1.0, SECONDS: 1 / 60}
MINUTES_PER_DAY = 24 * 60
DAYS_PER_WEEK = 7
SECONDS_PER_MINUTE = 60
# A datetime before this in a duration column is an Excel time of a day or more since 1899-12-30.
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
EXCEL_DURATION_LIMIT = dt.datetime(1900, 3, 1)

BLANKS = frozenset({"", "-", "--", "–", "—", "n/a", "na", "n.a.", "none", "null", "nil", "nan"})
MAX_TEXT = 60
# Longer than any learning activity (a degree is a few thousand hours); "1e300 hours" is no duration, and
# as whole minutes it would not even fit the 64-bit integers JSON writers take.
MAX_MINUTES = 100_000 * 60
CACHE_SIZE = 4_096

_UNIT_WORDS: dict[str, str] = {
    word: unit
    for unit, words in (
        (HOURS, "h hr hrs hour hours heure heures std stunde stunden hora horas"),
        (MINUTES, "m mn min mins minute minutes minuten minuto minutos"),
        (SECONDS, "s sec secs second seconds seconde secondes sek sekunde sekunden segundo segundos"),
        (DAYS, "d day days j jour jours tag tage dia dias"),
    )
    for word in words.split()
}
# Header words (and German compounds ending so) that name a unit; `total_time` is the LMS
# API field that counts seconds (Docebo and its likes).
_HEADER_SUFFIXES = ((HOURS, "stunden"), (MINUTES, "minuten"), (SECONDS, "sekunden"))
_HEADER_EXACT = {"total_time": SECONDS}
_RANK = {HOURS: 0, MINUTES: 1, SECONDS: 2}

_NUMBER_FORMS = (
    # (form, thousands marks to drop, decimal marks to make "."), tried in this order
    (re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"), "", ""),  # 2, 1.5, .5, 1.250
    (re.compile(r"[+-]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?"), ",", ""),  # 1,250 / 1,250.00
    (re.compile(r"[+-]?[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?"), ".", ","),  # 1.250,00 / 1.250.000
    (re.compile(r"[+-]?\d+,\d+"), "", ","),  # 1,5
    (re.compile(r"[+-]?[1-9]\d{0,2}(?:[ '\u00a0\u202f]\d{3})+(?:[.,]\d+)?"), " '\u00a0\u202f", ","),
)
_ISO = re.compile(
    r"p(?:(\d+(?:[.,]\d+)?)w)?(?:(\d+(?:[.,]\d+)?)d)?"
    r"(?:t(?=\d)(?:(\d+(?:[.,]\d+)?)h)?(?:(\d+(?:[.,]\d+)?)m)?(?:(\d+(?:[.,]\d+)?)s)?)?"
)
_CLOCK = re.compile(r"(\d{1,4}):([0-5]\d)(?::([0-5]\d)(?:[.,]\d+)?)?")
_PART = re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:([^\W\d_]+)\.?)?")
_GAP = re.compile(r"[\s,&+]*(?:(?:and|et|und|y)[\s,&+]+)?")
_HEADER_WORD = re.compile(r"[^\W\d_]+")
_BRACKETED = re.compile(r"[(\[]([^)\]]*)[)\]]")
_MINUTES_SECONDS_HEADER = re.compile(r"(?<![\w:])m{1,2}:ss(?![\w:])")  # `Time (mm:ss)`: a clock of minutes


def duration_unit(header: str) -> str | None:
    """`hours`, `minutes`, `seconds` or `days` as the header names it; None if it names none or several."""
    folded = _fold(header).strip()
    if folded in _HEADER_EXACT:
        return _HEADER_EXACT[folded]
    if _MINUTES_SECONDS_HEADER.search(folded):
        return MINUTES
    # Single letters count only in brackets: `Duration (h)`, not the `s` of `Member's hours`.
    words = [word for word in _HEADER_WORD.findall(folded) if len(word) > 1]
    words += [word for part in _BRACKETED.findall(folded) for word in _HEADER_WORD.findall(part) if len(word) == 1]
    units = {unit for unit in map(_header_word_unit, words) if unit is not None}
    return units.pop() if len(units) == 1 else None


def _header_word_unit(word: str) -> str | None:
    unit = _UNIT_WORDS.get(word)
    if unit is None:
        unit = next((suffix_unit for suffix_unit, suffix in _HEADER_SUFFIXES if word.endswith(suffix)), None)
    return unit


def read_number(value: CellValue) -> float | None:
    """A plain number, with a decimal comma or grouped thousands; None for anything else."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        try:
            number = float(value)
        except OverflowError:
            return None
        return number if math.isfinite(number) else None
    if isinstance(value, str) and len(value) <= MAX_TEXT:
        return _read_number_text(value)
    return None


@functools.lru_cache(maxsize=CACHE_SIZE)
def _read_number_text(text: str) -> float | None:
    text = text.strip().replace("\u2212", "-")
    for pattern, grouping, decimals in _NUMBER_FORMS:
        if pattern.fullmatch(text):
            for mark in grouping:
                text = text.replace(mark, "")
            for mark in decimals:
                text = text.replace(mark, ".")
            number = float(text)
            return number if math.isfinite(number) else None
    return None


def read_duration(value: CellValue, unit: str | None) -> float | None:
    """Minutes spent (not rounded); None when the value gives no time we can trust. Never raises."""
    minutes = _read_duration(value, unit)
    return minutes if minutes is None or minutes <= MAX_MINUTES else None


def _read_duration(value: CellValue, unit: str | None) -> float | None:
    if isinstance(value, str):
        return _read_duration_text(value, unit) if len(value) <= MAX_TEXT else None
    if isinstance(value, dt.timedelta):
        minutes = value.total_seconds() / SECONDS_PER_MINUTE
        return minutes if minutes >= 0 else None
    if isinstance(value, dt.datetime):
        if EXCEL_EPOCH <= value.replace(tzinfo=None) < EXCEL_DURATION_LIMIT:
            return (value.replace(tzinfo=None) - EXCEL_EPOCH).total_seconds() / SECONDS_PER_MINUTE
        return None
    if isinstance(value, dt.time):
        return value.hour * 60 + value.minute + (value.second + value.microsecond / 1e6) / SECONDS_PER_MINUTE
    return _in_minutes(read_number(value), unit)


def _in_minutes(number: float | None, unit: str | None) -> float | None:
    if number is None or number < 0 or unit not in MINUTES_PER_UNIT:
        return None
    minutes = number * MINUTES_PER_UNIT[unit]
    return minutes if math.isfinite(minutes) else None


@functools.lru_cache(maxsize=CACHE_SIZE)
def _read_duration_text(text: str, unit: str | None) -> float | None:
    folded = _fold(text).strip()
    if folded in BLANKS:
        return None
    number = _read_number_text(folded)
    if number is not None:
        return _in_minutes(number, unit)
    for reader in (_read_iso, _read_clock, _read_worded, _read_spelled):
        minutes = reader(folded, unit)
        if minutes is not None:
            return minutes if math.isfinite(minutes) else None
    return None


def _read_iso(text: str, unit: str | None) -> float | None:
    """`PT1H30M`, `PT5400S`, `PT1.5H`, `P1DT2H` (ISO 8601, as xAPI writes result.duration)."""
    match = _ISO.fullmatch(text)
    if match is None or not any(match.groups()):
        return None
    weeks, days, hours, minutes, seconds = (float((part or "0").replace(",", ".")) for part in match.groups())
    return ((weeks * DAYS_PER_WEEK + days) * MINUTES_PER_DAY + hours * 60 + minutes
            + seconds / SECONDS_PER_MINUTE)


def _read_clock(text: str, unit: str | None) -> float | None:
    """`1:30` and `01:30` (h:mm, or m:ss under a minutes header), `01:30:00` (h:mm:ss)."""
    match = _CLOCK.fullmatch(text)
    if match is None:
        return None
    first, second = int(match[1]), int(match[2])
    if match[3] is not None:
        return first * 60 + second + int(match[3]) / SECONDS_PER_MINUTE
    if unit == MINUTES:
        return first + second / SECONDS_PER_MINUTE
    return first * 60.0 + second


def _read_worded(text: str, unit: str | None) -> float | None:
    """`1h 30m`, `1 hour 30 mins`, `1,5 h`, `1h30`, `1 Std. 30 Min.`: units largest first, each once."""
    position, total, last_unit = 0, 0.0, ""
    for match in _PART.finditer(text):
        if not _GAP.fullmatch(text, position, match.start()):
            return None
        position = match.end()
        word = match[2]
        part_unit = _UNIT_WORDS.get(word) if word else (MINUTES if last_unit == HOURS else None)
        if part_unit is None or part_unit == DAYS:
            return None
        if last_unit and _RANK[part_unit] <= _RANK[last_unit]:
            return None
        total += float(match[1].replace(",", ".")) * MINUTES_PER_UNIT[part_unit]
        last_unit = part_unit
    if not last_unit or not _GAP.fullmatch(text, position):
        return None
    return total


def _fold(text: str) -> str:
    """Lower case without accents: `Durée (h)` -> `duree (h)`."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


# -- time written in words: "three hours", "two and a half hours", "half a day", "drei Stunden" ----------
#
# Forms filled in by hand say how long in words. Hours and minutes so written are exact and read by
# `read_duration` like figures. Days are not (a training day has no fixed length): only
# `read_worded_duration` reads them, taking a day as DAY_HOURS (7 h, the working day most CPD schemes
# count) and half a day as HALF_DAY_HOURS, and it names that assumption for the caller's warning.

DAY_HOURS = 7.0
HALF_DAY_HOURS = DAY_HOURS / 2
_HALF = "+half"          # "and a half" after a number or a unit
_HALF_OF = "halfof"      # "half a", "demi", "halbe", "medio": half of the unit that follows

_NUMBER_WORDS: dict[str, float] = {
    word: float(value)
    for value, words in (
        (1, "a an one un une ein eine einen einem uno una"),
        (2, "two deux zwei dos"), (3, "three trois drei tres"), (4, "four quatre vier cuatro"),
        (5, "five cinq funf cinco"), (6, "six sechs seis"), (7, "seven sept sieben siete"),
        (8, "eight huit acht ocho"), (9, "nine neuf neun nueve"), (10, "ten dix zehn diez"),
        (11, "eleven onze elf once"), (12, "twelve douze zwolf doce"), (15, "fifteen quinze funfzehn quince"),
        (20, "twenty vingt zwanzig veinte"), (30, "thirty trente dreissig treinta"),
        (40, "forty quarante vierzig cuarenta"), (45, "funfundvierzig"), (50, "fifty cinquante funfzig cincuenta"),
    )
    for word in words.split()
}
_SPELLED_PHRASES = (  # folded multi-word forms, rewritten to one token before parsing (longest first)
    ("hora y media", f"1 hora {_HALF}"), ("and a half", _HALF), ("et demie", _HALF), ("et demi", _HALF), ("y media", _HALF), ("y medio", _HALF),
    ("und ein halb", _HALF), ("half an", _HALF_OF), ("half a", _HALF_OF), ("a half", _HALF_OF),
    ("apres midi", "afternoon"),
)
_HALF_WORDS = frozenset("half demi demie halb halbe halben halber halbes medio media".split())
_ONE_AND_A_HALF = frozenset("anderthalb eineinhalb".split())
_FILLERS = frozenset("full whole entire of de d la le el full-day ganzer ganzen ganze ganzes entiere complete "
                     "completo completa entero entera".split())
_CONNECTORS = frozenset("and et und y".split())
_DAY_WORDS = frozenset("day days jour jours journee journees tag tage tagen tages dia dias jornada jornadas".split())
_UNIT_ORDER = {DAYS: 0, HOURS: 1, MINUTES: 2, SECONDS: 3}
_WORD_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
_SPELLED_TOKEN = re.compile(r"\+half|\d+(?:[.,]\d+)?|[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class WordedDuration:
    """Time read from words: minutes, and the assumption it rests on (None when exact)."""

    minutes: float
    assumption: str | None = None


def read_worded_duration(value: CellValue) -> WordedDuration | None:
    """Time written in words, days included ("half a day", "a full day", "2 days", "une journée",
    "ein halber Tag", "medio día"); a day counts DAY_HOURS and says so. None for anything else."""
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        return None
    parts = _spelled_parts(_fold(value).strip())
    if parts is None:
        return None
    minutes = sum(quantity * (DAY_HOURS * 60 if unit == DAYS else MINUTES_PER_UNIT[unit]) for quantity, unit in parts)
    days = sum(quantity for quantity, unit in parts if unit == DAYS)
    if not days:
        return WordedDuration(minutes)
    written = " ".join(value.split())
    return WordedDuration(minutes, (
        f"'{written}' was read as {minutes / 60:g} hours, counting a day as {DAY_HOURS:g} hours and half a day "
        f"as {HALF_DAY_HOURS:g} hours"))


def _read_spelled(text: str, unit: str | None) -> float | None:
    """`three hours`, `two and a half hours`, `an hour and a half`, `trois heures`, `drei Stunden`: exact
    time in words (days are left to `read_worded_duration`, which names its assumption)."""
    parts = _spelled_parts(text)
    if parts is None or any(part_unit == DAYS for _, part_unit in parts):
        return None
    return sum(quantity * MINUTES_PER_UNIT[part_unit] for quantity, part_unit in parts)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _spelled_parts(text: str) -> tuple[tuple[float, str], ...] | None:
    """(quantity, unit) parts of a folded text, largest unit first, each once; None if not only time."""
    text = _WORD_HYPHEN.sub(" ", text)      # forty-five, demi-journée; never 2-3 (a range)
    for phrase, token in _SPELLED_PHRASES:
        text = re.sub(rf"\b{phrase}\b", f" {token} ", text)
    if _SPELLED_TOKEN.sub("", text).strip(" ,."):
        return None                              # signs, ranges, brackets: not time in words
    parts: list[list[float | str]] = []
    quantity: float | None = None
    half_of = False
    for token in _SPELLED_TOKEN.findall(text):
        unit = DAYS if token in _DAY_WORDS else _UNIT_WORDS.get(token) if len(token) > 1 or token.isalpha() else None
        if unit is not None and token not in ("d", "j", "m", "s"):
            if quantity is None and not half_of:
                return None
            amount = (quantity if quantity is not None else 1.0) * (0.5 if half_of else 1.0)
            parts.append([amount, unit])
            quantity, half_of = None, False
        elif token == _HALF:
            if quantity is not None:
                quantity += 0.5
            elif parts:
                parts[-1][0] = float(parts[-1][0]) + 0.5
            else:
                return None
        elif token == _HALF_OF or token in _HALF_WORDS:
            half_of = True
        elif (number := _spelled_number(token)) is not None:
            if quantity is not None and not (quantity >= 20 and quantity % 10 == 0 and number < 10
                                             and not token[0].isdigit()):
                return None                      # "2 3 hours"; only "twenty five", "cuarenta y cinco" add
            quantity = number if quantity is None else quantity + number
        elif token not in _FILLERS and token not in _CONNECTORS:
            return None
    if quantity is not None and parts and parts[-1][1] == HOURS and not half_of:
        parts.append([quantity, MINUTES])    # "deux heures trente", "zwei Stunden dreissig"
        quantity = None
    if quantity is not None or half_of or not parts:
        return None
    units = [str(unit) for _, unit in parts]
    if any(_UNIT_ORDER[a] >= _UNIT_ORDER[b] for a, b in zip(units, units[1:])):
        return None
    return tuple((float(amount), str(unit)) for amount, unit in parts)


def _spelled_number(token: str) -> float | None:
    if token[0].isdigit():
        return float(token.replace(",", "."))
    if token in _NUMBER_WORDS:
        return _NUMBER_WORDS[token]
    if token in _ONE_AND_A_HALF:
        return 1.5
    if token.endswith("einhalb") and token[:-len("einhalb")] in _NUMBER_WORDS:   # zweieinhalb, dreieinhalb
        return _NUMBER_WORDS[token[:-len("einhalb")]] + 0.5
    return None
