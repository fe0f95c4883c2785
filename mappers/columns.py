"""Which column is which field: the cells' content and the header's words weighed together.

Every column gets a profile of its first rows (mappers.profiles) and from it a score per field it could
be; a heading the vocabulary knows adds `HEADER_WEIGHT` to its field, unless the cells contradict it (a
'Completed' column of dates is a date, not a status). One greedy pass over the scores, best first, gives
each column one field and each single field (title, provider, status...) at most one column. Two
decisions need the columns together rather than one at a time, and are made after:

* dates: with no heading to say which date is which, the completion date is the date column that is
  filled where the row's status says done and empty where it does not (a 'last viewed' date is filled
  either way), else the latest; the start is the latest of the others that never falls after it; others
  (enrolment, assignment, due dates) are left out. A heading that names a date wins over all of that.
* figures: bare numbers are hours, minutes or seconds by their size; of two time columns the finer one
  is the time spent and the hours-sized one the credited figure; two hours columns that are never both
  filled on a row are one credit split in two kinds (verifiable / non-verifiable hours).

`find_header` finds the header row without the vocabulary: the first row of text above rows typed
differently (dates, figures, lengths of time below words); a table whose first row is already data has
no header, and is read from that row.
"""
from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from extractors.model import CellValue

from .dates import date_order
from .headers import MAX_HEADER_SCAN, Header, HeaderMatch, classify, fold
from .normalise import is_total_label
from .profiles import TYPED_KINDS, Profile, cell_kind, profile

Days = Sequence["dt.date | None"]

__all__ = ["Judged", "judge_columns", "find_header", "FIELD_NAMES"]

HEADER_WEIGHT = 2.0          # a heading the vocabulary knows outweighs any content score (those are 0-1)
FUZZY_WEIGHT = 1.5           # a heading matched fuzzily
MIN_CONTENT = 0.3            # a content score below this says nothing
TYPED_SHARE = 0.5            # a column below a header cell is 'typed' when this share of its cells is
HEADER_BELOW = 30            # rows below a candidate header row compared with it
LONGEST_HEADER_CELL = 80
MAX_HOURS = 24               # bare figures up to this are hours
MIN_SECONDS_MEDIAN = 600     # whole numbers whose middle value is above this are seconds (minutes would be 10 h)

_SINGLE = frozenset({"title", "provider", "activity_type", "status", "percent", "verifiable", "description",
                     "reflection", "learner", "learner_first", "learner_last", "email", "reference"})
_DATES = frozenset({"completed_on", "started_on", "date"})
_TIMES = frozenset({"duration", "credits"})
_TEXT_FIELDS = frozenset({"title", "provider", "description", "reflection", "learner", "learner_first",
                          "learner_last", "activity_type", "verifiable", "email", "reference"})
FIELD_NAMES = {
    "title": "title", "provider": "provider", "activity_type": "activity type", "status": "status",
    "percent": "progress", "completed_on": "completion date", "started_on": "start date", "date": "date",
    "duration": "time spent", "credits": "credited hours", "description": "description",
    "learner": "learner", "email": "learner's e-mail", "reference": "reference",
    "learner_first": "learner's first name", "learner_last": "learner's last name",
}


@dataclass(frozen=True, slots=True)
class Judged:
    """One column's field, whether its content (not its heading) decided it, and the unit content found."""

    index: int
    field: str
    by_content: bool
    unit: str | None = None


def judge_columns(header: Header, body: Sequence[Sequence[CellValue]]) -> list[Judged]:
    """One field per column (None-free; 'ignore' for columns that are nothing we read), left to right."""
    width = max([len(header.texts), *(len(r) for r in body)], default=0)
    body = _data_rows(header, body)
    dayfirst = date_order(c for r in body for c in r if isinstance(c, str)) is not False
    profiles = [profile(i, [r[i] if i < len(r) else None for r in body], dayfirst) for i in range(width)]
    matches = [header.matches[i] if i < len(header.matches) else None for i in range(width)]
    chosen = _greedy(profiles, matches)
    named = {f for f, by_content in chosen.values() if not by_content}
    title = next((i for i, (f, c) in chosen.items() if f == "title" and c), None)
    if "reference" in named and not named & {"title", "description"} and title is not None \
            and not _plainly_titles(profiles[title]):
        # An upload naming its courses by code ('courseshortname') beside columns we do not know, too few rows
        # to show those are titles: they are custom fields; the code is the title (tables._promote_title).
        chosen = {i: ("ignore", True) if f in _TEXT_FIELDS and c else (f, c) for i, (f, c) in chosen.items()}
    done = next((profiles[i].done for i, (f, _) in sorted(chosen.items()) if f in ("status", "percent")), ())
    fixes = {**_date_roles(chosen, profiles, done), **_figure_roles(chosen, profiles)}
    out = []
    for i in range(width):
        field, by_content = chosen.get(i, ("ignore", True))
        if i in fixes and fixes[i][0] != field:
            (field, unit), by_content = fixes[i], True
        else:
            unit = fixes.get(i, (field, None))[1]
        out.append(Judged(i, field, by_content and field != "ignore", unit))
    return out


def _plainly_titles(p: Profile) -> bool:
    """Enough rows of distinct texts of a few words each to call the column a title without its heading."""
    return p.filled >= 3 and p.distinct >= 0.8 and p.words >= 2


def _data_rows(header: Header, body: Sequence[Sequence[CellValue]]) -> list[Sequence[CellValue]]:
    """The body less what is plainly not data (totals, repeated headers, full-width notes), so they do not
    blur the columns' profiles."""
    names = {fold(t) for t in header.texts if t}
    out = []
    for row in body:
        texts = [fold(c) for c in row if isinstance(c, str) and c.strip()]
        if any(is_total_label(t) for t in texts) or sum(t in names for t in texts) >= 2:
            continue
        if len(texts) >= 3 and len(set(texts)) == 1:
            continue
        out.append(row)
    return out


def _greedy(profiles: Sequence[Profile], matches: Sequence[HeaderMatch | None]) -> dict[int, tuple[str, bool]]:
    scored: list[tuple[float, int, str, bool]] = []
    for p, match in zip(profiles, matches):
        content = _content_scores(p)
        for field, score in content.items():
            scored.append((score, -p.index, field, True))
        named = _named(match.field, p) if match is not None else None
        if match is not None and named is not None:
            weight = HEADER_WEIGHT if match.score >= 90 else FUZZY_WEIGHT
            scored.append((weight + content.get(_group(named), 0.0), -p.index, named, False))
    for left, right in zip(profiles, profiles[1:]):   # 'First name | Last name', in either order
        if left.given >= 0.8 and right.given >= 0.8 and min(left.filled, right.filled) > 0:
            scored += [(0.85, -left.index, "learner_first", True), (0.85, -right.index, "learner_last", True)]
    scored.sort(reverse=True)
    chosen: dict[int, tuple[str, bool]] = {}
    taken: set[str] = set()
    for score, negative_index, field, by_content in scored:
        index = -negative_index
        if index in chosen or (field in _SINGLE and by_content and field in taken):
            continue
        chosen[index] = (field, by_content)
        taken.add(field)
    return chosen


def _group(field: str) -> str:
    return "date" if field in _DATES else "figure" if field in _TIMES else field


def _named(field: str, p: Profile) -> str | None:
    """The field a heading names, as its cells allow: a 'Completed' column of dates is the completion date."""
    if field == "status" and p.filled and p.dates >= 0.5:
        return "completed_on"
    return field if _fits(field, p) else None


def _fits(field: str, p: Profile) -> bool:
    """Whether the cells allow the field a heading names (an empty column allows anything)."""
    if p.filled == 0 or field == "ignore":
        return True
    if field in _DATES:
        return p.dates >= 0.3
    if field in _TIMES:
        return p.numbers + p.durations >= 0.3 or p.dates < 0.3
    if field == "status":
        return p.dates < 0.5
    if field in _TEXT_FIELDS:
        return p.texts + p.percents >= 0.3 or p.dates + p.numbers + p.durations < 0.7
    return True


def _content_scores(p: Profile) -> dict[str, float]:
    scores = {"ignore": 0.05}
    if p.filled == 0:
        return scores
    if p.dates >= 0.6:
        scores["date"] = 0.5 + 0.5 * p.dates
    if p.durations >= 0.6:
        scores["duration"] = 0.5 + 0.5 * p.durations
    if _is_percent(p):
        scores["percent"] = 0.9
    elif p.numbers >= 0.8 and p.filled >= 2 and time_unit(p.figures) is not None:   # one '1' may be an id
        scores["figure"] = 0.6 + 0.3 * p.numbers
    if p.statuses >= 0.5:
        scores["status"] = 0.5 + 0.5 * p.statuses
    if p.types >= 0.6 or (p.types >= 0.3 and p.distinct <= 0.3):   # a few kinds, most of them known words
        scores["activity_type"] = 0.5 + 0.4 * p.types
    if p.emails >= 0.8:
        scores["email"] = 0.95
    if p.codes >= 0.8 and p.distinct >= 0.8 and p.texts + p.numbers >= 0.8:
        scores["reference"] = 0.5
    if p.texts >= 0.7 and p.statuses + p.yes_no < 0.5 and p.types < 0.3 and p.emails < 0.5:
        scores.update(_text_scores(p))
    return {field: score for field, score in scores.items() if score >= MIN_CONTENT or field == "ignore"}


def _text_scores(p: Profile) -> dict[str, float]:
    """A title is distinct, a few words, not a name or a code; a provider repeats organisations' names; a
    learner column holds people's names; a description is sentences."""
    repeats = 1 - p.distinct if p.filled >= 4 else 0.3
    scores = {
        "title": 0.45 + 0.3 * p.distinct + (0.15 if 2 <= p.words <= 14 else 0.0) - 0.5 * p.persons
        - 0.4 * p.organisations * repeats - 0.5 * p.codes - 0.4 * p.sentences - 0.3 * repeats,
    }
    if p.words <= 6:
        scores["provider"] = 0.3 + 0.4 * p.organisations + 0.2 * repeats - 0.6 * p.persons - 0.3 * p.codes
    if p.persons >= 0.6:
        scores["learner"] = 0.3 + 0.6 * p.persons
    if p.sentences >= 0.3 or p.words >= 10:
        scores["description"] = 0.3 + 0.5 * p.sentences
    return scores


def _is_percent(p: Profile) -> bool:
    """'40%', or whole numbers from 0 to 100 where 100 is common (a progress column, not minutes)."""
    if p.percents >= 0.6:
        return True
    figures = p.figures
    if p.numbers < 0.8 or not figures or min(figures) < 0 or max(figures) != 100:
        return False
    return all(f.is_integer() for f in figures) and figures.count(100) * 10 >= len(figures) * 3


def time_unit(figures: Sequence[float]) -> str | None:
    """'hours', 'minutes' or 'seconds' for a column of bare figures by their size; None when they are not
    times (negative, running row numbers, ids). Totals (a figure that sums those above it) do not count."""
    if not figures or min(figures) < 0 or _is_sequence(figures):
        return None
    figures = _without_totals(figures)
    nonzero = [f for f in figures if f > 0]
    if not nonzero or max(nonzero) <= MAX_HOURS:
        return "hours" if nonzero else None
    if not all(f.is_integer() for f in nonzero) or max(nonzero) > 100_000:
        return None
    middle = statistics.median(nonzero)
    if middle > MIN_SECONDS_MEDIAN:
        return "seconds"
    return "minutes" if min(nonzero) >= 5 else None


def _without_totals(figures: Sequence[float]) -> list[float]:
    """The figures less those that sum the ones above them since the last such sum (totals, sub-totals)."""
    kept: list[float] = []
    running = 0.0
    for figure in figures:
        if len(kept) >= 2 and running > 0 and abs(figure - running) < 0.011:
            running = 0.0
            continue
        kept.append(figure)
        running += figure
    return kept


def _is_sequence(figures: Sequence[float]) -> bool:
    """1, 2, 3, ...: a 'No.' column of running row numbers."""
    return len(figures) >= 3 and all(b - a == 1 for a, b in zip(figures, figures[1:]))


# -- dates ---------------------------------------------------------------------------------------------
def _date_roles(chosen: dict[int, tuple[str, bool]], profiles: Sequence[Profile],
                done: Sequence[bool | None]) -> dict[int, tuple[str, str | None]]:
    """Roles for the date columns no heading settles: those judged by content, and those whose heading
    says only 'date' ('Datum', 'Date(s)'), which may be any of the record's dates."""
    known = {f for f, by_content in chosen.values() if f in ("completed_on", "started_on") and not by_content}
    dates = [i for i, (f, _) in sorted(chosen.items()) if f == "date"]
    if not dates:
        return {}
    roles: dict[int, tuple[str, str | None]] = {
        i: ("ignore", None) if chosen[i][1] else ("date", None) for i in dates}
    if "completed_on" in known:    # a heading named the completion: the other dates are not guessed
        return roles
    if len(dates) == 1:
        roles[dates[0]] = ("date", None)
        return roles
    days = {i: profiles[i].days for i in dates}
    completion = _completion(dates, days, done)
    roles = {i: ("ignore", None) for i in dates}
    roles[completion] = ("completed_on", None)
    if "started_on" not in known:
        before = [i for i in dates if i != completion and _never_after(days[i], days[completion])]
        if before:
            roles[max(before, key=lambda i: (_wins(i, before, days), i))] = ("started_on", None)
    return roles


def _completion(dates: Sequence[int], days: Mapping[int, Days], done: Sequence[bool | None]) -> int:
    pool = list(dates)
    if True in done and False in done:
        agree = [i for i in dates if _agreement(days[i], done) >= 0.9]
        pool = agree or pool
    return max(pool, key=lambda i: (_wins(i, dates, days), i))


def _agreement(days: Days, done: Sequence[bool | None]) -> float:
    pairs = [(day is not None) == finished for day, finished in zip(days, done) if finished is not None]
    return sum(pairs) / len(pairs) if pairs else 0.0


def _wins(i: int, others: Sequence[int], days: Mapping[int, Days]) -> int:
    total = 0
    for j in others:
        if j != i:
            for a, b in zip(days[i], days[j]):
                if a is not None and b is not None and a != b:
                    total += 1 if a > b else -1
    return total


def _never_after(start: Days, end: Days) -> bool:
    both = [(a, b) for a, b in zip(start, end) if a is not None and b is not None]
    return bool(both) and all(a <= b for a, b in both)


# -- figures -------------------------------------------------------------------------------------------
def _figure_roles(chosen: dict[int, tuple[str, bool]], profiles: Sequence[Profile]) -> dict[int, tuple[str, str | None]]:
    known = {f for f, by_content in chosen.values() if f in _TIMES and not by_content}
    spoken = any(f == "duration" and by_content for f, by_content in chosen.values())   # '2 hrs', '01:30'
    figures = [i for i, (f, _) in sorted(chosen.items()) if f == "figure"]
    roles: dict[int, tuple[str, str | None]] = {i: ("ignore", None) for i in figures}
    units = {i: time_unit(profiles[i].figures) for i in figures}
    hours = [i for i in figures if units[i] == "hours"]
    fine = [i for i in figures if units[i] in ("minutes", "seconds")]
    if "credits" in known:
        return roles
    if "duration" in known or spoken:
        if hours:
            roles[hours[0]] = ("credits", None)
        return roles
    if fine:
        roles[fine[0]] = ("duration", units[fine[0]])
        if hours:
            roles[hours[0]] = ("credits", None)
    elif len(hours) >= 2 and _never_both(profiles[hours[0]], profiles[hours[1]]):
        roles[hours[0]] = roles[hours[1]] = ("credits", None)
    elif hours:
        roles[hours[0]] = ("duration", "hours")
        if len(hours) >= 2:
            roles[hours[1]] = ("credits", None)
    return roles


def _never_both(a: Profile, b: Profile) -> bool:
    """Two figure columns of which each row fills one only (verifiable and non-verifiable hours)."""
    return not any(x and y for x, y in zip(a.present, b.present))


# -- the header row --------------------------------------------------------------------------------------
def find_header(rows: Sequence[Sequence[CellValue]], known_rows: int | None = None) -> Header | None:
    """The header found by the kinds of the cells: the first row of short, distinct texts above columns
    whose cells are typed otherwise (a second such row is merged in: a two-row header). A table with no
    such row but typed columns from its first full row has no header: `Header.last_row` is then the row
    before its data. None for a table of text only."""
    head = [list(r) for r in rows[:MAX_HEADER_SCAN + HEADER_BELOW]]
    kinds = [[cell_kind(c) for c in r] for r in head]
    if known_rows:
        return _header(head, 0, known_rows - 1)
    for r in range(min(len(head), MAX_HEADER_SCAN)):
        if _header_like(head[r], kinds[r]) and _contrast(kinds, r, r + 1) >= 1:
            last = r + 1 if (r + 1 < len(head) and _header_like(head[r + 1], kinds[r + 1])
                             and _short(head[r + 1]) and _contrast(kinds, r + 1, r + 2) >= 1) else r
            return _header(head, r, last)
    first = next((r for r, k in enumerate(kinds) if sum(x != "empty" for x in k) >= 2), None)
    if first is None or not any(x in TYPED_KINDS for x in kinds[first]):
        return None
    width = max(len(r) for r in head)
    return Header(first, first - 1, ("",) * width, (None,) * width)


def _header(head: Sequence[Sequence[CellValue]], first: int, last: int) -> Header:
    texts = [_text(c) for c in head[first]] if first < len(head) else []
    for r in range(first + 1, min(last + 1, len(head))):
        lower = [_text(c) for c in head[r]]
        width = max(len(texts), len(lower))
        texts = [" ".join(t for t in dict.fromkeys((_at(texts, i), _at(lower, i))) if t) for i in range(width)]
    return Header(first, last, tuple(texts), tuple(classify(t) if t else None for t in texts))


def _at(texts: Sequence[str], i: int) -> str:
    return texts[i] if i < len(texts) else ""


def _text(value: CellValue) -> str:
    return value.strip() if isinstance(value, str) else ""


def _header_like(cells: Sequence[CellValue], kinds: Sequence[str]) -> bool:
    filled = [c for c, k in zip(cells, kinds) if k != "empty"]
    if len(filled) < 2 or any(k not in ("text", "empty") for k in kinds):
        return False
    texts = [fold(str(c)) for c in filled]
    return len(set(texts)) == len(texts) and all(len(str(c)) <= LONGEST_HEADER_CELL for c in filled)


def _short(cells: Sequence[CellValue]) -> bool:
    return all(len(str(c).split()) <= 4 for c in cells if c not in (None, ""))


def _contrast(kinds: Sequence[Sequence[str]], r: int, below: int) -> int:
    """Columns where row r holds text and the rows below it mostly hold dates, figures or times."""
    rows = [k for k in kinds[below:below + HEADER_BELOW] if sum(x != "empty" for x in k) >= 2]
    if not rows:
        return 0
    count = 0
    for j, kind in enumerate(kinds[r]):
        if kind != "text":
            continue
        column = [k[j] for k in rows if j < len(k) and k[j] != "empty"]
        if column and sum(k in TYPED_KINDS or k == "month" for k in column) >= TYPED_SHARE * len(column):
            count += 1
    return count
