"""A workbook that is a small relational export, read by joining its sheets.

Learning systems export a report as several sheets: a records sheet whose rows are events (a completion
date, a status) naming the course and the person only by an id, and lookup sheets giving each id's title,
provider and name (Moodle's Completions / Courses / Users, Cornerstone's Transcript / Training / Users).
They are known by their structure, not by their words:

* a lookup sheet has a key column: every row fills it with a short value of one word (a number, a code, a
  GUID, an e-mail address: not a title, which may be unique too), no value twice;
* a records sheet has rows that are events (a column mostly of dates, or of status words) and a column
  whose values are, nearly all (`MIN_HITS`), keys of another sheet's key column;
* the lookup's other columns are added to each records row, headed as in the lookup (with the lookup
  sheet's name in front where two headings would read the same), and what each column is, is then judged
  as for any table (mappers.columns). A lookup's own columns may name a third sheet's ids (a course's
  provider id): those are joined in turn, up to `MAX_DEPTH` sheets away.

A sheet used as a lookup gives no activities of its own (a list of courses or of people is not a record).
A records row naming an id its lookup lacks keeps its own cells; the file's warnings name those ids.
Figures with no unit in a lookup sheet mean the same for every row naming that id (a course's length).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import islice

from extractors.model import CellValue, Row, RowSource, Table, distinct_cells

from .activity import ActivityWarning
from .headers import MAX_HEADER_SCAN, classify, fold
from .profiles import cell_kind, profile
from .values import read_activity_type, read_status, read_text

__all__ = ["Joined", "join_tables"]

LOOKUP_MAX_ROWS = 20_000   # a sheet longer than this is not a lookup: it is never held whole
SAMPLE_ROWS = 200          # records rows looked at to find the columns that name another sheet's ids
MIN_HITS = 0.75            # share of a column's ids a lookup must know for the column to name its rows
EVENT_SHARE = 0.5          # share of a column's cells that are dates (or statuses) for rows to be events
MAX_KEY_TEXT = 40          # an id is short; longer text is a name or a sentence
MAX_DEPTH = 3              # lookups joined through lookups (course -> provider) at most this deep
MAX_LISTED = 10            # ids named in a warning at most
PEOPLE_SHARE = 0.8         # share of a column's cells shaped like names (or e-mails) in a sheet of people

_PERSON_FIELDS = frozenset({"learner", "learner_first", "learner_last", "email"})
_CODED_ATTRIBUTES = frozenset({"activity_type", "status", "verifiable"})   # an id column's heading naming one
_FIGURE_FIELDS_AVOIDED = ("hour", "minute", "duration", "credit", "point", "score", "percent", "grade", "%")


@dataclass(frozen=True, slots=True)
class Joined:
    """The tables left for the column mapper (joined records sheets in place of theirs, lookups gone) and
    what a person should know about the joins."""

    tables: tuple[Table, ...]
    warnings: tuple[ActivityWarning, ...] = ()


@dataclass(frozen=True, slots=True)
class _Sheet:
    """A table's first rows, its header row (the first row of short distinct texts), and its body."""

    table: Table
    header_at: int
    header: tuple[str, ...]
    body: tuple[tuple[CellValue, ...], ...]
    complete: bool              # the body holds every row of the table

    @property
    def width(self) -> int:
        return max([len(self.header), *(len(r) for r in self.body)], default=0)


@dataclass(frozen=True, slots=True)
class _Lookup:
    sheet: _Sheet
    keys: dict[int, dict[str, tuple[CellValue, ...]]]    # key column -> id -> the row's cells


@dataclass(frozen=True, slots=True)
class _Join:
    """One lookup joined into a records table: the records column holding the ids (in the row as joined so
    far), the lookup's columns added, and what each id gives."""

    column: int
    header: str
    lookup: _Lookup
    key: int
    added: tuple[int, ...]       # the lookup's columns added, left to right
    texts: tuple[str, ...]       # their headings in the joined table
    coded_attribute: bool = False   # the ids are codes of a kind or a status we read ('ILT', 'ELRN'): kept

    def cells(self, value: CellValue) -> tuple[CellValue, ...]:
        row = self.lookup.keys[self.key].get(_key(value) or "")
        if row is None:
            return (None,) * len(self.added)
        return tuple(row[i] if i < len(row) else None for i in self.added)


def join_tables(tables: Sequence[Table]) -> Joined:
    """Records sheets joined to the lookup sheets whose ids they name; other tables as they are."""
    if len(tables) < 2:
        return Joined(tuple(tables))
    sheets = [_sheet(t, SAMPLE_ROWS + MAX_HEADER_SCAN) for t in tables]
    sheets = [_whole(s) if s is not None and not s.complete and _lookup(s, sample=True) else s for s in sheets]
    lookups = {i: lk for i, s in enumerate(sheets) if s is not None and (lk := _lookup(s)) is not None}
    if not lookups:
        return Joined(tuple(tables))
    plans: dict[int, list[_Join]] = {}
    for i, sheet in enumerate(sheets):
        if sheet is not None and _has_events(sheet):
            joins = _plan_joins(i, sheet, lookups)
            if joins:
                plans[i] = joins
    used = {id(j.lookup) for joins in plans.values() for j in joins}
    consumed = {i for i, lk in lookups.items() if id(lk) in used} - set(plans)
    plans = {i: joins for i, joins in plans.items() if i not in consumed}
    if not plans:
        return Joined(tuple(tables))
    out: list[Table] = []
    warnings: list[ActivityWarning] = []
    for i, table in enumerate(tables):
        if i in consumed:
            continue
        sheet, planned = sheets[i], plans.get(i)
        if sheet is None or planned is None:
            out.append(table)
            continue
        out.append(replace(table, rows=_JoinedRows(table.rows, sheet.header_at, sheet.width, tuple(planned)),
                           header_rows=None))
        warnings.append(_joined_warning(table.name, planned))
        warnings.extend(_missing_warnings(table, sheet, planned))
    return Joined(tuple(out), tuple(warnings))


class _JoinedRows(RowSource):
    """The records table's rows with their lookups' cells added, read anew on each pass."""

    def __init__(self, rows: Iterable[Row], header_at: int, width: int,
                 joins: tuple[_Join, ...]) -> None:
        self._rows = rows
        self._header_at = header_at
        self._width = width
        self._joins = joins

    def __iter__(self) -> Iterator[Row]:
        width = self._width
        blanks = (None,) * sum(len(j.added) for j in self._joins)
        heading = tuple(t for j in self._joins for t in j.texts)
        for index, row in enumerate(self._rows):
            cells = tuple(row.cells[:width]) + (None,) * (width - len(row.cells))
            if index < self._header_at:
                yield Row(row.location, cells + blanks)
            elif index == self._header_at:
                yield Row(row.location, self._without_ids(cells + heading))
            else:
                for join in self._joins:
                    cells += join.cells(cells[join.column])
                yield Row(row.location, self._without_ids(cells))

    def _without_ids(self, cells: tuple[CellValue, ...]) -> tuple[CellValue, ...]:
        """The ids joined on, left out: their details stand in for them, and a course number is no figure. A
        column whose heading names an attribute ('Delivery method': ILT, ELRN) keeps its codes, which may be
        values we know."""
        out = list(cells)
        for join in self._joins:
            if not join.coded_attribute:
                out[join.column] = None
        return tuple(out)


def _sheet(table: Table, limit: int) -> _Sheet | None:
    rows = [r.cells for r in islice(table.rows, limit + 1)]
    for at, cells in enumerate(rows[:MAX_HEADER_SCAN]):
        texts = [read_text(c) for c in cells]
        filled = [t for t in texts if t]
        if len(filled) < 2:
            continue
        if not all(cell_kind(c) in ("text", "empty") for c in cells) or len({fold(t) for t in filled}) < len(filled):
            return None      # the first row of two or more cells is data, or not a header
        body = tuple(tuple(r) for r in rows[at + 1:] if any(read_text(c) for c in r))
        return _Sheet(table, at, tuple(t or "" for t in texts), body, len(rows) <= limit)
    return None


def _whole(sheet: _Sheet) -> _Sheet | None:
    """A sheet whose first rows may be a lookup's, read again up to the longest lookup held."""
    return _sheet(sheet.table, LOOKUP_MAX_ROWS)


def _lookup(sheet: _Sheet, sample: bool = False) -> _Lookup | None:
    """The sheet's key columns (filled on every row, no value twice) with each id's row; None when it has
    none, or is too long to hold, or has nothing but its ids to give. With `sample`, judged on its first rows."""
    if (not sheet.complete and not sample) or not sheet.body:
        return None
    keys: dict[int, dict[str, tuple[CellValue, ...]]] = {}
    for column in range(sheet.width):
        found: dict[str, tuple[CellValue, ...]] = {}
        for row in sheet.body:
            key = _key(row[column] if column < len(row) else None)
            if key is None or key in found or " " in key:    # titles are unique too, but an id is one word
                break
            found[key] = row
        else:
            keys[column] = found
    if not keys:
        return None
    texts = [c for c in range(sheet.width) if any(_has_letters(r[c]) for r in sheet.body if c < len(r))]
    return _Lookup(sheet, keys) if len(set(texts) - {min(keys)}) >= 1 else None


def _has_events(sheet: _Sheet) -> bool:
    """Rows that are events: a column mostly of dates, or of status words."""
    body = sheet.body[:SAMPLE_ROWS]
    for column in range(sheet.width):
        cells = [r[column] for r in body if column < len(r) and read_text(r[column]) is not None]
        if not cells:
            continue
        dates = sum(1 for c in cells if cell_kind(c) == "date")
        statuses = sum(1 for c in cells if isinstance(c, str) and read_status(c).strength == 3)
        if max(dates, statuses) >= EVENT_SHARE * len(cells):
            return True
    return False


def _plan_joins(index: int, sheet: _Sheet, lookups: dict[int, _Lookup]) -> list[_Join]:
    """The lookups the records sheet names by id, each once, through its own columns and then through the
    columns joined in (a course's provider id)."""
    joins: list[_Join] = []
    header = list(sheet.header) + [""] * (sheet.width - len(sheet.header))
    rows = [tuple(r) + (None,) * (sheet.width - len(r)) for r in sheet.body[:SAMPLE_ROWS]]
    searched = 0
    joined = {index}
    for _ in range(MAX_DEPTH):
        found = _best_links(header, rows, searched, lookups, joined)
        if not found:
            break
        searched = len(header)
        for column, at, key in found:
            lookup = lookups[at]
            coded = _coded_attribute(header[column], [r[column] for r in rows])
            # codes of a kind or status are read as they are; their lookup's wordings add nothing we read
            added, texts = ((), ()) if coded else _columns_to_add(lookup.sheet, key, header)
            join = _Join(column, header[column], lookup, key, added, texts, coded)
            header.extend(texts)
            rows = [r + join.cells(r[column]) for r in rows]
            joins.append(join)
            joined.add(at)
    return joins


def _best_links(header: Sequence[str], rows: Sequence[Sequence[CellValue]], start: int,
                lookups: dict[int, _Lookup], joined: set[int]) -> list[tuple[int, int, int]]:
    """(records column, lookup, key column) for each lookup the columns from `start` name: per lookup the
    column whose ids it knows best (the leftmost on a tie), each column naming one lookup."""
    links: dict[int, tuple[tuple[float, bool, bool, int], int, int]] = {}   # lookup -> (rank, column, key)
    for column in range(start, len(header)):
        ids = [k for r in rows if (k := _key(r[column])) is not None]
        if not ids or not _may_be_ids(header[column], [r[column] for r in rows]):
            continue
        best: tuple[float, int, int] | None = None
        for at, lookup in lookups.items():
            if at in joined:
                continue
            for key, known in lookup.keys.items():
                hits = sum(1 for k in ids if k in known) / len(ids)
                if hits >= MIN_HITS and (best is None or hits > best[0]):
                    best = (hits, at, key)
        if best is None:
            continue
        hits, at, key = best
        # a tie between columns (a records sheet's own row numbers may be ids of a short lookup too): the one
        # whose heading names the lookup's sheet ('userid' for 'Users'), then one whose ids repeat, then the first
        rank = (hits, _names_sheet(header[column], lookups[at].sheet.table.name), len(set(ids)) < len(ids), -column)
        if at not in links or rank > links[at][0]:
            links[at] = (rank, column, key)
    return sorted(((column, at, key) for at, (_, column, key) in links.items()), key=lambda link: link[0])


def _names_sheet(header: str, sheet: str) -> bool:
    """'userid', 'Kurs-ID', 'course' for sheets 'Users', 'Kurse', 'Courses': the heading holds the name's stem."""
    stem = fold(sheet).replace(" ", "")[:4]
    return len(stem) == 4 and stem in fold(header).replace(" ", "")


def _coded_attribute(header: str, cells: Sequence[CellValue]) -> bool:
    """Ids that are codes of an activity's kind or status: the heading names one ('Delivery method'), or most
    of the codes are values we read as one ('ILT', 'ELRN')."""
    match = classify(header) if header else None
    if match is not None and match.field in _CODED_ATTRIBUTES:
        return True
    texts = [c for c in cells if isinstance(c, str) and c.strip()]
    known = sum(1 for c in texts if read_activity_type(c) is not None or read_status(c).strength == 3)
    return bool(texts) and known >= EVENT_SHARE * len(texts)


def _may_be_ids(header: str, cells: Sequence[CellValue]) -> bool:
    """Figures can be ids ('course 12'), but not when the heading names them as a quantity ('Hours')
    or they are not whole; dates and lengths of time are never ids."""
    kinds = {cell_kind(c) for c in cells} - {"empty"}
    if kinds & {"date", "month", "duration", "percent"}:
        return False
    if "number" in kinds:
        words = fold(header)
        if any(w in words for w in _FIGURE_FIELDS_AVOIDED):
            return False
        return all(not isinstance(c, float) or c.is_integer() for c in cells if cell_kind(c) == "number")
    return True


def _columns_to_add(sheet: _Sheet, key: int, taken: Sequence[str]) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """The lookup's columns to add and their headings. A sheet of people gives only the columns that name
    them (full names, first and last names, e-mails: not their user names, departments or employers, which
    would read as other fields); a sheet of anything else gives every column, but a heading that reads as a
    person's ('fullname' of a course) is left blank, for the cells to say what the column is."""
    columns = [c for c in range(sheet.width) if c != key]
    people = _people_columns(sheet, columns)
    if people:
        columns = [c for c in columns if c in people]
    texts: list[str] = []
    for column in columns:
        text = sheet.header[column] if column < len(sheet.header) else ""
        match = classify(text) if text and not people else None
        if match is not None and match.field in _PERSON_FIELDS:
            text = ""
        elif text and fold(text) in {fold(t) for t in (*taken, *texts) if t}:
            text = f"{sheet.table.name} {text}"
        texts.append(text)
    return tuple(columns), tuple(texts)


def _people_columns(sheet: _Sheet, columns: Sequence[int]) -> set[int]:
    """The columns naming people, when the sheet is a list of people (a column of full names or of e-mails,
    or first and last names side by side); empty for a sheet of anything else."""
    body = sheet.body[:SAMPLE_ROWS]
    profiles = {c: profile(c, [r[c] if c < len(r) else None for r in body]) for c in columns}
    names = {c for c, p in profiles.items() if p.persons >= PEOPLE_SHARE or p.emails >= PEOPLE_SHARE}
    for left, right in zip(columns, columns[1:]):
        if right == left + 1 and min(profiles[left].given, profiles[right].given) >= PEOPLE_SHARE:
            names |= {left, right}
    return names


def _key(value: CellValue) -> str | None:
    """An id as compared across sheets: whole figures as digits (12.0 and '12' agree), text folded."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        text = value.strip().casefold()
        return text if text and len(text) <= MAX_KEY_TEXT else None
    return None


def _has_letters(value: CellValue) -> bool:
    return isinstance(value, str) and any(ch.isalpha() for ch in value)


def _joined_warning(name: str, joins: Sequence[_Join]) -> ActivityWarning:
    parts = "; ".join(f"'{j.header}' matched to '{j.lookup.sheet.header[j.key]}' of sheet '{j.lookup.sheet.table.name}'"
                      + (" (codes read as they are)" if j.coded_attribute else "") for j in joins)
    sheets = ", ".join(dict.fromkeys(f"'{j.lookup.sheet.table.name}'" for j in joins))
    return ActivityWarning("sheets_joined", None, (
        f"Sheet '{name}' names what each row is about by id; each row was given the details of its ids from the "
        f"other sheets ({parts}). Check the titles, providers and names; sheets {sheets} give no activities of "
        "their own."))


def _missing_warnings(table: Table, sheet: _Sheet, joins: Sequence[_Join]) -> list[ActivityWarning]:
    """Ids the records sheet names that its lookup does not know: one pass over the id columns of its own."""
    own = [j for j in joins if j.column < sheet.width]
    if not own:
        return []
    warnings = []
    for join in own:
        values = distinct_cells(table.rows, [join.column], sheet.header_at + 1)
        known = join.lookup.keys[join.key]
        missing = sorted({t for v in values if (k := _key(v)) is not None and k not in known
                          and (t := read_text(v)) is not None})
        if missing:
            listed = ", ".join(missing[:MAX_LISTED]) + (" and more" if len(missing) > MAX_LISTED else "")
            warnings.append(ActivityWarning("id_not_found", None, (
                f"Sheet '{table.name}', column '{join.header}' names ids that sheet "
                f"'{join.lookup.sheet.table.name}' does not list ({listed}); their rows have none of its details. "
                "Export the report again with every sheet, or add the missing rows.")))
    return warnings
