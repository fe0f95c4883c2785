"""Property tests: whatever the bytes, every extractor answers with an Extraction or an IngestError, and
whatever the cells, the mappers answer with activities; the pipeline never ends in `internal_error`.

Bounded for CI (the whole module runs in about 15 s): a fixed number of examples each, no
per-example deadline (a first spaCy call or a PDF parse may take a while). Value-level properties
(dates, durations) live in tests/mappers.
"""
from __future__ import annotations

import datetime as dt
import math

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import extractors
from extractors.errors import IngestError
from extractors.model import CellValue, Extraction, ExtractOptions, Location, RawRecord, Row, Table, TextBlock, Upload
from ingest.work.pipeline import run
from mappers.matching import Matcher
from mappers.normalise import FileFacts
from mappers.tables import read_activities

from .makers import SAMPLES

OPTIONS = ExtractOptions(max_pages=20)
FEW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SOME = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SUFFIX = {"pdf": ".pdf", "xlsx": ".xlsx", "docx": ".docx", "ods": ".ods", "xls": ".xls", "html": ".html",
          "json": ".json", "csv": ".csv", "image": ".png", "xml": ".xml"}
MAGIC = [b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"%PDF-1.7\n", b"{", b"[", b"<html><table>",
         b"\xef\xbb\xbf", b"\xff\xfe", b"PK\x03\x04\x14\x00\x00\x00\x08\x00"]
BASES = {
    "pdf": "pdf/ruled-statement-multipage.pdf", "xlsx": "xlsx/cornerstone-title-block.xlsx",
    "docx": "docx/cpd-log-details-two-tables-merged-note.docx", "ods": "ods/libreoffice-cpd-log.ods",
    "xls": "xls/moodle-report-biff8.xls", "html": "html/totara-record-of-learning.xls",
    "json": "json/xapi-array-mixed-verbs-voided.json", "csv": "csv/linkedin-learning-plain.csv",
    "xml": "xml/europass-v2-programme-parts-es-en.xml",
}
SAMPLE_BYTES = {name: (SAMPLES / path).read_bytes() for name, path in BASES.items()}


def _extract_or_refuse(module_name: str, data: bytes) -> None:
    module = extractors.REGISTRY[module_name]
    try:
        found = module.extract(Upload.from_bytes(data, "upload" + SUFFIX[module_name]), OPTIONS)
    except IngestError as exc:
        assert exc.code and exc.message.strip()
        return
    assert isinstance(found, Extraction)


@pytest.mark.parametrize("module_name", list(extractors.REGISTRY))
@FEW
@given(magic=st.sampled_from(MAGIC), tail=st.binary(max_size=2048))
def test_any_bytes_give_an_extraction_or_an_ingest_error(module_name: str, magic: bytes, tail: bytes) -> None:
    """Each extractor, handed bytes it may not even sniff as its own, answers or refuses in its own terms."""
    _extract_or_refuse(module_name, magic + tail)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """A sample cut short, or with a few bytes overwritten: the damage a download or a disk does."""
    name = draw(st.sampled_from(sorted(SAMPLE_BYTES)))
    data = bytearray(SAMPLE_BYTES[name])
    if draw(st.booleans()):
        return name, bytes(data[:draw(st.integers(0, len(data)))])
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data) - 1))
        data[at] = draw(st.integers(0, 255))
    return name, bytes(data)


@SOME
@given(case=mutated())
def test_damaged_samples_give_an_extraction_or_an_ingest_error(case: tuple[str, bytes]) -> None:
    _extract_or_refuse(*case)


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(None)


@SOME
@given(case=mutated())
def test_the_pipeline_never_ends_in_internal_error(matcher: Matcher, case: tuple[str, bytes]) -> None:
    """Detection, extraction, mapping and matching of a damaged file: a result, never a bug's error."""
    name, data = case
    result = run(Upload.from_bytes(data, "upload" + SUFFIX[name]), OPTIONS, matcher)
    assert result.error is None or result.error.code != "internal_error"
    orjson.loads(result.dumps())


# --- the mappers, fed any cells -------------------------------------------------------------------------

HEADERS = ["Course title", "Title", "Provider", "Completion date", "Date completed", "Start date", "Hours",
           "Duration", "Duration (mins)", "CPD points", "Credits", "Status", "Type", "Learner", "Email",
           "Description", "Reflection", "Reference", "Verifiable", "Progress %", "Category", "", "Notes"]
TEXTS = ["12/03/2025", "03/12/2025", "2025-03-12", "31/02/2024", "12 March 2025", "1h 30m", "90 mins", "01:30",
         "1.5", "1,5", "Completed", "In progress", "Not started", "Failed", "Webinar", "Yes", "No", "Total", "—",
         "n/a", "1e308", "-1e308", "99999999999999999999", "0", "Ethics and conflicts of interest",
         "Anti-money laundering", "Q1 2025", "Page 1 of 3", "18-19 May 2025", "\x00", " ", "\u2028"]
cells: st.SearchStrategy[CellValue] = st.one_of(
    st.sampled_from(TEXTS), st.text(max_size=40), st.none(), st.booleans(),
    st.integers(-10**15, 10**15), st.floats(allow_nan=True, allow_infinity=True),
    st.dates(), st.datetimes(), st.times(), st.timedeltas(),
)


@st.composite
def tables(draw: st.DrawFn) -> Table:
    width = draw(st.integers(1, 7))
    header = tuple(draw(st.lists(st.sampled_from(HEADERS), min_size=width, max_size=width)))
    body = draw(st.lists(st.lists(cells, min_size=0, max_size=width + 1), max_size=12))
    above = draw(st.lists(st.lists(cells, max_size=3), max_size=2))
    rows: list[list[CellValue]] = [*above, list(header), *body]
    return Table("Sheet1", tuple(Row(Location(sheet="Sheet1", row=i), tuple(r)) for i, r in enumerate(rows, 1)),
                 context=tuple(draw(st.lists(st.sampled_from(TEXTS + ["Learner: Priya Raman"]), max_size=3))))


@st.composite
def records(draw: st.DrawFn) -> RawRecord:
    labels = draw(st.lists(st.sampled_from(["title", "provider", "completed_on", "started_on", "duration",
                                            "duration_minutes", "credits", "status", "activity_type", "learner",
                                            "description", "reference", "verifiable", "date"]),
                           min_size=1, max_size=6, unique=True))
    return RawRecord(Location(statement=draw(st.integers(1, 50))), {label: draw(cells) for label in labels})


FACTS = FileFacts("0" * 64, "upload.xlsx", "application/octet-stream", "xlsx", None)


def _check_activities(extraction: Extraction, dayfirst: bool | None) -> None:
    activities = [a for batch in read_activities(extraction, FACTS, dayfirst).batches for a in batch]
    for activity in activities:
        assert activity.title.strip()
        if activity.cpd_hours is not None:
            assert math.isfinite(activity.cpd_hours)
        if activity.completed_on is not None:
            assert isinstance(activity.completed_on, dt.date)
    orjson.dumps(activities)


@SOME
@given(found=st.lists(tables(), min_size=1, max_size=3), dayfirst=st.sampled_from([None, True, False]))
def test_any_cells_in_tables_give_activities_not_exceptions(found: list[Table], dayfirst: bool | None) -> None:
    _check_activities(Extraction("xlsx", "application/octet-stream", tables=tuple(found)), dayfirst)


@SOME
@given(found=st.lists(records(), min_size=1, max_size=8), dayfirst=st.sampled_from([None, True, False]))
def test_any_values_in_records_give_activities_not_exceptions(found: list[RawRecord], dayfirst: bool | None) -> None:
    _check_activities(Extraction("json", "application/json", "xapi", records=tuple(found)), dayfirst)


@FEW
@given(lines=st.lists(st.one_of(st.sampled_from(TEXTS + ["Certificate of Attendance", "This is to certify that",
                                                         "has completed", "CPD hours: 3", "Priya Raman"]),
                                st.text(max_size=60)), min_size=1, max_size=12))
def test_any_text_as_a_certificate_gives_activities_not_exceptions(lines: list[str]) -> None:
    block = TextBlock(Location(page=1), tuple(lines))
    _check_activities(Extraction("pdf", "application/pdf", "text", prose=(block,)), None)
