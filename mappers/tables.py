"""Tables and labelled records -> activities.

For each table: find the header (title blocks, logos and blank rows above it are skipped), decide
which column is which field, then read every row below it; totals, blank rows, repeated headers,
section headings ("Q1 2025") and note rows are not activities. Tables without a header that names
a title and one more field (guidance sheets, lookup tables, summaries) yield nothing.

A table's rows are taken in passes, so a big one is never held whole (extractors.model.Table): its
first rows for the header and the columns' meaning, its date columns to prove the file's date order,
then every row, a batch at a time, into activities.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import islice

from extractors.model import CellValue, Extraction, RawRecord, Row, Table, distinct_cells

from .activity import Activity, ActivityWarning
from .dates import date_order, read_date
from .forms import FormRecord, Forms, form_activities, read_forms
from .durations import duration_unit, read_number
from .columns import FIELD_NAMES, Judged, judge_columns
from .columns import find_header as find_header_by_kinds
from .headers import MAX_HEADER_SCAN, Header, classify, find_header, fold
from .joins import join_tables
from .learner import learner_from_lines
from .normalise import Column, FileFacts, Plan, credit_unit
from .profiles import cell_kind
from .values import read_status, read_text

__all__ = ["Reading", "read_activities"]

DATE_FIELDS = ("completed_on", "started_on", "date")
BATCH_ROWS = 2_000           # rows made into activities at a time: a few MB, whatever the file's size
_KEPT_WARNINGS = 20_000      # learners whose 'several_learners' warning is kept for their next activities
SAMPLE_ROWS = 200            # rows below the header looked at to judge a column (units, dates or statuses)
_RECORD_FIELDS = frozenset({
    "title", "provider", "activity_type", "status", "percent", "started_on", "completed_on", "date",
    "duration", "credits", "verifiable", "description", "reflection", "learner", "learner_first",
    "learner_last", "email", "reference",
})
# A table of activities has a date, a status, a learner, or (a member's own list, no course codes) a column its
# heading names as time spent or credited. Coded courses with none of these are a catalogue; figures judged by
# content alone may be counts or catalogue lengths.
_RECORD_EVIDENCE = frozenset({"completed_on", "started_on", "date", "status", "percent", "learner", "learner_first",
                              "learner_last", "email"})
_RECORD_UNITS = {"duration_seconds": "seconds", "duration_minutes": "minutes", "duration_hours": "hours"}
# Text read from pixels (extractors.ocr) may hold misread letters and digits.
OCR_WARNING = "read from an image; please check"
OCR_CONFIDENCE = 0.7


@dataclass(slots=True)
class _TablePlan:
    table: Table
    header: Header
    columns: list[Column]
    learner: str | None
    warnings: list[ActivityWarning]
    record: bool      # False: courses with no date, status or learner (a catalogue, a summary, a lookup)
    several_learners: bool = False   # its first rows name more than one learner


@dataclass(frozen=True, slots=True)
class Reading:
    """What the mappers read from one extraction: the activities in file order, a batch at a time,
    read as `batches` is iterated (once), and the warnings about the file as a whole (complete once
    the batches are: rows left out are found as they are read)."""

    batches: Iterator[list[Activity]]
    warnings: list[ActivityWarning]
    layout: str | None


def read_activities(extraction: Extraction, facts: FileFacts, dayfirst: bool | None) -> Reading:
    """Plan every table and read the date order; the rows themselves are read as the batches are taken."""
    forms = read_forms(extraction)    # tables laid out as forms and labelled blocks (mappers.forms)
    joined = join_tables(forms.tables)   # a records sheet naming courses and people by id (mappers.joins)
    found = [p for p in (_plan_table(t) for t in joined.tables) if p is not None]
    plans = [p for p in found if p.record]
    certificates = _certificates(extraction)
    forms, certificates = _form_or_certificate(forms, certificates)
    records = (*forms.records, *certificates)
    layout = "certificate" if certificates else extraction.layout
    file_learner = (next((p.learner for p in plans if p.learner), None) or forms.learner
                    or learner_from_lines(extraction.context))
    facts = replace(_date_facts(facts, plans, (*records, *forms.raw), dayfirst), layout=layout)
    warnings = [*joined.warnings, *(w for tp in plans for w in tp.warnings)]
    if not plans and not records and not forms.found and found:
        warnings.append(_not_a_record(found))
    batches = _batches(plans, records, facts, file_learner, warnings, forms.found)
    return Reading(_from_pixels(batches) if extraction.ocr else batches, warnings, layout)


def _certificates(extraction: Extraction) -> list[RawRecord]:
    """The certificates in the extraction's prose. Their reader (spaCy rule matching, its vocabulary) is imported
    only for a file that has prose: a table's file never loads it (0.16 s of a 100,000-row CSV's 4 s)."""
    if not extraction.prose:
        return []
    from .certificates import read_certificates

    return read_certificates(extraction.prose)


def _form_or_certificate(forms: Forms, certificates: list[RawRecord]) -> tuple[Forms, list[RawRecord]]:
    """A Word document keeps both its label/value tables and its text (extractors.docx), so a form and a
    certificate laid out in a table are each read twice. A form's text is its answers, not a certificate; but a
    single form record whose title a certificate reading of the whole text also gives is that certificate in a
    table, and the certificate reading has the text around the table too (the issuer, the heading)."""
    if not forms.found or not certificates:
        return forms, certificates
    if len(forms.found) == 1 and len(certificates) == 1 and \
            fold(str(forms.found[0].record.fields.get("title") or "")) == fold(str(certificates[0].fields.get("title") or "")):
        return replace(forms, found=()), certificates
    return forms, []


def _not_a_record(tables: Sequence[_TablePlan]) -> ActivityWarning:
    names = ", ".join(f"'{tp.table.name}'" for tp in tables)
    return ActivityWarning("not_a_record", None, (
        f"Table {names} lists courses but no date, completion status or learner for any of them, so it reads as "
        "a course catalogue or a summary, not a record of learning done; no activities were taken from it. "
        "Upload the learning system's completion report or transcript instead."))


def _from_pixels(batches: Iterator[list[Activity]]) -> Iterator[list[Activity]]:
    """Activities of a file whose text was read by OCR: each says so, and counts as less sure."""
    for batch in batches:
        for act in batch:
            act.warnings.append(ActivityWarning("ocr", None, OCR_WARNING))
            act.confidence = round(max(act.confidence * OCR_CONFIDENCE, 0.1), 2)
        yield batch


def _batches(plans: Sequence[_TablePlan], records: Sequence[RawRecord], facts: FileFacts,
             file_learner: str | None, warnings: list[ActivityWarning], forms: Sequence[FormRecord] = ()
             ) -> Iterator[list[Activity]]:
    learners = _Learners(any(tp.several_learners for tp in plans))
    for tp in plans:
        plan = Plan(tp.columns, replace(facts, learner=tp.learner or file_learner))
        body = _body(tp, plan.width)
        while batch := list(islice(body, BATCH_ROWS)):
            yield learners.mark(plan.build(batch))
        warnings.extend(plan.left_out)
    if forms:
        yield form_activities(forms, replace(facts, learner=file_learner))
    if records:
        yield _read_records(records, replace(facts, learner=file_learner))


class _Learners:
    """Activities of a file that names more than one learner each carry a warning: an employer's export or a
    mail-merge list may hold colleagues' learning, which is not the member's to claim. Known from the first
    rows of a table, and from any later row whose learner differs from the file's first."""

    def __init__(self, several: bool) -> None:
        self.several = several
        self.first: str | None = None
        self._warnings: dict[str, ActivityWarning] = {}   # one per learner (frozen: shared by their activities)

    def mark(self, activities: list[Activity]) -> list[Activity]:
        warnings = self._warnings
        for act in activities:
            learner = act.learner
            if learner is None:
                continue
            self.first = self.first or learner
            if self.several or learner != self.first:
                warning = warnings.get(learner)
                if warning is None:
                    if len(warnings) > _KEPT_WARNINGS:
                        warnings.clear()
                    warning = warnings[learner] = ActivityWarning("several_learners", "learner", (
                        f"This file names more than one learner; this activity is {learner}'s. Claim it only if "
                        "it is your own learning."))
                act.warnings.append(warning)
        return activities


def _read_records(records: Sequence[RawRecord], facts: FileFacts) -> list[Activity]:
    """Records of one shape (the same labels) read as the rows of one table, in file order."""
    shapes: dict[tuple[str, ...], list[tuple[int, Row]]] = {}
    for order, record in enumerate(records):
        shapes.setdefault(tuple(record.fields), []).append((order, Row(record.location, tuple(record.fields.values()))))
    found: list[tuple[int, Activity]] = []
    for labels, rows in shapes.items():
        plan = Plan(_record_columns(labels, records[rows[0][0]].fields), facts)
        kept = plan.build([row for _, row in rows])
        by_locator = {a.source.locator: a for a in kept}
        found.extend((order, by_locator[row.location.locator]) for order, row in rows
                     if row.location.locator in by_locator)
    return [act for _, act in sorted(found, key=lambda pair: pair[0])]


def _body(tp: _TablePlan, width: int) -> Iterator[Row]:
    """The rows below the header, as wide as the plan reads, repeated header rows left out."""
    header_texts = [fold(t) for t in tp.header.texts]
    title_at = next(c.key for c in tp.columns if c.field == "title")
    title_header = tp.header.texts[title_at].casefold() if title_at < len(tp.header.texts) else ""
    for row in islice(tp.table.rows, tp.header.last_row + 1, None):
        cells = row.cells
        if len(cells) < width:  # short CSV lines, ragged HTML rows
            row = Row(row.location, (*cells, *(None,) * (width - len(cells))))
        title_cell = row.cells[title_at]
        if (isinstance(title_cell, str) and title_cell.strip().casefold() == title_header
                and _is_header_repeat(row.cells, header_texts)):
            continue
        yield row


def _is_header_repeat(cells: Sequence[CellValue], header_texts: Sequence[str]) -> bool:
    same = 0
    for cell, text in zip(cells, header_texts):
        if text and isinstance(cell, str) and fold(cell) == text:
            same += 1
    return same >= 2


def _plan_table(table: Table) -> _TablePlan | None:
    rows = [r.cells for r in islice(table.rows, MAX_HEADER_SCAN + 1 + SAMPLE_ROWS)]
    header = _locate_header(rows, table.header_rows)
    if header is None:
        return None
    body = rows[header.last_row + 1:header.last_row + 1 + SAMPLE_ROWS]
    judged = judge_columns(header, body)
    warnings: list[ActivityWarning] = []
    texts = [*header.texts, *("",) * (len(judged) - len(header.texts))]
    columns = [_column(j, texts[j.index], body, table.name, warnings) for j in judged if j.field != "ignore"]
    columns = _promote_title(columns, table.name, body, warnings)
    if not _titles_are_text(columns, body):
        return None
    preamble = [_labelled_text(r) for r in rows[:header.first_row]]
    learner = learner_from_lines([*table.context, *preamble])
    named = {j.index for j in judged if not j.by_content}
    coded = any(j.field == "reference" for j in judged)
    record = learner is not None or any(c.field in _RECORD_EVIDENCE or (
        c.field in ("duration", "credits") and c.key in named and not coded) for c in columns)
    warnings.extend(_content_warning(table.name, judged, texts) if record and len(columns) > 1 else ())
    people = [c.key for c in columns if c.field in ("learner", "learner_first", "learner_last", "email")]
    named_people = {tuple(read_text(_cell(r, k)) for k in people) for r in body} - {(None,) * len(people)}
    return _TablePlan(table, header, columns, learner, warnings, record, len(named_people) > 1)


def _locate_header(rows: Sequence[Sequence[CellValue]], known_rows: int | None) -> Header | None:
    """The header the vocabulary names, if its cells are words; else the one the cells' kinds show."""
    named = find_header(rows, known_rows)
    if named is not None and all(cell_kind(c) in ("text", "empty")
                                 for r in rows[named.first_row:named.last_row + 1] for c in r):
        return named
    return find_header_by_kinds(rows, known_rows)


def _column(judged: Judged, header: str, body: Sequence[Sequence[CellValue]], where: str,
            warnings: list[ActivityWarning]) -> Column:
    index, field = judged.index, judged.field
    if field == "duration":
        unit = judged.unit if judged.by_content else duration_unit(header)
        values = [r[index] for r in body if index < len(r) and r[index] not in (None, "")]
        if unit is None and not judged.by_content and (unit := _guess_unit(values)) is not None:
            warnings.append(ActivityWarning("duration_unit_assumed", "duration_minutes", (
                f"Table '{where}', column '{header}' does not say its unit; its figures were read as {unit}. "
                "Check the durations, or add the unit to the column heading and upload the file again.")))
        return Column(index, field, header, unit)
    if field == "credits" and not judged.by_content:
        words = fold(header)
        verifiable = False if ("non" in words.split() or "unstructured" in words or "nonverifiable" in words) else (
            True if ("verifiable" in words or "structured" in words) else None)
        return Column(index, field, header, credit_unit(header), verifiable)
    return Column(index, field, header)


def _promote_title(columns: Sequence[Column], where: str, body: Sequence[Sequence[CellValue]],
                   warnings: list[ActivityWarning]) -> list[Column]:
    """A CPD log headed 'Date | Description | Hours' names each activity in its description column; an LMS
    completion upload naming courses only by a code or short name ('C1') gives the code as the title."""
    out = list(columns)
    if any(c.field == "title" for c in out):
        return out
    course_code = any(c.field == "reference" and _names_a_code(c.header) for c in out)
    for field in ("reference", "description") if course_code else ("description", "reference"):
        at = next((i for i, c in enumerate(out) if c.field == field), None)
        if at is None:
            continue
        out[at] = replace(out[at], field="title")
        if field == "reference":
            sample = ", ".join(dict.fromkeys(t for r in body if (t := read_text(_cell(r, out[at].key)))))
            warnings.append(ActivityWarning("title_is_code", "title", (
                f"Table '{where}' names its courses only by a code or short name in column '{out[at].header}' "
                f"({sample[:80]}); the code is given as each activity's title. Edit the titles, or upload a "
                "report from the learning system that includes the course names.")))
        break
    return out


def _names_a_code(header: str) -> bool:
    """'courseshortname', 'Course code', 'Kurs-Nr.': a heading naming the course's own code, not a certificate's."""
    words = fold(header).replace(" ", "")
    return any(w in words for w in ("shortname", "code", "kurznr", "coursenr", "courseid"))


def _cell(row: Sequence[CellValue], key: int) -> CellValue:
    return row[key] if key < len(row) else None


def _content_warning(where: str, judged: Sequence[Judged], texts: Sequence[str]) -> list[ActivityWarning]:
    found = [j for j in judged if j.by_content and j.field in FIELD_NAMES]
    if not found:
        return []
    named = "; ".join(f"column {j.index + 1}" + (f" '{texts[j.index]}'" if texts[j.index] else "")
                      + f" as {FIELD_NAMES[j.field]}" for j in found)
    return [ActivityWarning("columns_judged_by_content", None, (
        f"Table '{where}': these columns were judged by their content, not by their heading: {named}. Check "
        "the activities' fields; a heading we know (for example 'Completion date', 'Hours') makes it certain."))]


def _guess_unit(values: Sequence[CellValue]) -> str | None:
    """A bare 'Duration' column of plain numbers: hours if they look like hours, minutes if like minutes."""
    numbers = [n for n in (read_number(v) for v in values if not isinstance(v, dt.timedelta)) if n is not None]
    if not numbers:
        return None
    if max(numbers) <= 12:
        return "hours"
    if all(n.is_integer() for n in numbers) and min(numbers) >= 5:
        return "minutes"
    return None


def _titles_are_text(columns: Sequence[Column], body: Sequence[Sequence[CellValue]]) -> bool:
    """A summary table's 'Activities' column holds counts, not titles."""
    title = next((c for c in columns if c.field == "title"), None)
    if title is None or not isinstance(title.key, int):
        return False
    values = [r[title.key] for r in body if title.key < len(r) and read_text(r[title.key]) is not None]
    if not values:
        return True
    texts = sum(1 for v in values if isinstance(v, str) and any(ch.isalpha() for ch in v))
    return texts * 2 >= len(values)


def _labelled_text(cells: Sequence[CellValue]) -> str:
    """A title block's row as a line; a label and its value in two cells ('Teilnehmer' | 'Jana Köhler') read
    as 'Teilnehmer: Jana Köhler'."""
    texts = [t for t in (read_text(c) for c in cells) if t]
    if len(texts) == 2 and not texts[0].rstrip().endswith((":", "：")) and len(texts[0].split()) <= 3:
        return f"{texts[0]}: {texts[1]}"
    return " ".join(texts)


def _record_columns(labels: Sequence[str], fields: dict[str, CellValue]) -> list[Column]:
    """Columns for records with these labels: the contract's field names as they are, others by vocabulary."""
    columns = []
    for i, label in enumerate(labels):
        if label in _RECORD_UNITS:
            columns.append(Column(i, "duration", label, _RECORD_UNITS[label]))
        elif label == "cpd_hours":
            columns.append(Column(i, "credits", label, "hours"))
        elif label in ("credits", "academic_credits"):
            # academic credit (credential standards' creditsEarned, ECTS): the record's figure, never CPD hours
            unit = read_text(fields.get(f"{label}_unit")) or "credits"
            columns.append(Column(i, label, label, unit.lower()))
        elif label in ("credits_unit", "academic_credits_unit"):
            continue
        elif label in _RECORD_FIELDS:
            columns.append(Column(i, label, label, duration_unit(label) if label == "duration" else None))
        else:
            match = classify(label)
            if match is not None and match.field != "ignore":
                columns.append(_column_for_label(i, label, match.field))
    return columns


def _column_for_label(index: int, label: str, field: str) -> Column:
    if field == "duration":
        return Column(index, field, label, duration_unit(label))
    if field == "credits":
        return Column(index, field, label, credit_unit(label))
    return Column(index, field, label)


def _date_facts(facts: FileFacts, plans: Sequence[_TablePlan], records: Sequence[RawRecord],
                dayfirst: bool | None) -> FileFacts:
    """Day-first unless the file proves otherwise or the person said so; a proof in any date column counts."""
    values: set[str] = set()  # only text can prove an order, and dates repeat down a column
    for tp in plans:
        keys = [c.key for c in tp.columns if c.field in DATE_FIELDS]
        if keys:   # a pass over the table's rows, keeping only the distinct texts of its date columns
            cells = distinct_cells(tp.table.rows, keys, tp.header.last_row + 1)
            values.update(v for v in cells if isinstance(v, str))
    for record in records:
        values.update(v for k, v in record.fields.items() if k in DATE_FIELDS and isinstance(v, str))
    proven = date_order(values)
    if proven is not None:
        return replace(facts, dayfirst=proven, order_assumed=False)
    if dayfirst is not None:
        return replace(facts, dayfirst=dayfirst, order_assumed=False)
    return replace(facts, dayfirst=True, order_assumed=True)

