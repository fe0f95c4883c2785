"""The pure core: one file in, one result out, never an exception for bad input."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from extractors.model import ExtractOptions, Upload
from ingest.work import pipeline
from ingest.work.pipeline import run
from mappers.matching import Matcher
import mappers.tables

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(None)


def test_the_line_of_a_result_in_memory_is_its_json_object(matcher: Matcher) -> None:
    """One line, the same JSON object as to_json() gives (the streamed line is compared with it below)."""
    sample = next(p for p in sorted((SAMPLES / "xlsx").glob("*.xlsx")) if "cornerstone" in p.name or "transcript" in p.name)
    result = run(Upload.from_bytes(sample.read_bytes(), sample.name), ExtractOptions(), matcher)
    assert len(result.activities) > 3
    out = io.BytesIO()
    result.write_line(out)
    assert out.getvalue().count(b"\n") == 1 and out.getvalue().endswith(b"\n")
    assert json.loads(out.getvalue()) == json.loads(result.dumps()) == json.loads(json.dumps(result.to_json()))


def test_a_bug_is_an_internal_error_not_a_crash(matcher: Matcher, monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN an extractor that raises something unexpected THEN the file gets internal_error and no activities."""
    def broken(*_: object) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(pipeline, "read_activities", broken)
    result = run(Upload.from_bytes(b"Course,Hours\nTrusts,1\n", "log.csv"), ExtractOptions(), matcher)
    assert result.error is not None and result.error.code == "internal_error"
    assert result.activities == []
    line = io.BytesIO()
    result.write_line(line)
    assert json.loads(line.getvalue())["activities"] == []


def test_too_large_is_refused_before_reading(matcher: Matcher) -> None:
    result = run(Upload.from_bytes(b"x" * 2048, "big.csv"), ExtractOptions(max_bytes=1024), matcher)
    assert result.error is not None and result.error.code == "too_large"
    assert "split" in result.error.message.lower()


def test_no_activities_is_a_warning_not_an_error(matcher: Matcher) -> None:
    result = run(Upload.from_bytes(b"Notes\nNothing here\n", "notes.csv"), ExtractOptions(), matcher)
    assert result.error is None and result.activities == []
    assert [w.code for w in result.warnings][-1] == "no_activities_found"


def _samples() -> list[Path]:
    return sorted(p for folder in ("csv", "xlsx", "xls", "ods", "html", "pdf", "docx", "json")
                  for p in (SAMPLES / folder).iterdir() if p.is_file() and not p.name.endswith(".expected.json"))


@pytest.mark.parametrize("sample", _samples(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_streamed_line_equals_the_result_in_memory(matcher: Matcher, sample: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """`write_line` (batches of 3 rows here) writes byte for byte what `run` holds, errors included."""
    monkeypatch.setattr(mappers.tables, "BATCH_ROWS", 3)
    upload = Upload.from_bytes(sample.read_bytes(), sample.name)
    out = io.BytesIO()
    error = pipeline.write_line(upload, ExtractOptions(), matcher, out)
    result = run(upload, ExtractOptions(), matcher)
    assert out.getvalue() == result.dumps() + b"\n"
    assert error == result.error


def test_an_error_after_some_batches_leaves_no_activities(matcher: Matcher, monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN a CSV whose last line is broken, read 100 rows at a time (no date column, so no pass ahead
    finds it first) WHEN its line is written THEN it says `corrupt` and holds none of the rows before."""
    monkeypatch.setattr(mappers.tables, "BATCH_ROWS", 100)
    rows = "".join(f"Trust accounts part {n},1.5\n" for n in range(1_000))
    upload = Upload.from_bytes(f"Course Title,CPD Hours\n{rows}Broken,\"{'x' * 200_000}\n".encode(), "log.csv")
    out = io.BytesIO()
    error = pipeline.write_line(upload, ExtractOptions(), matcher, out)
    line = json.loads(out.getvalue())
    assert error is not None and error.code == "corrupt" and line["error"]["code"] == "corrupt"
    assert line["activities"] == [] and out.getvalue().count(b"\n") == 1


def test_a_big_line_goes_through_a_temporary_file(matcher: Matcher, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the spool's size the parts move to a temporary file; the line is the same."""
    monkeypatch.setattr(pipeline, "_SPOOL_BYTES", 1024)
    sample = SAMPLES / "xlsx" / "cornerstone-title-block.xlsx"
    upload = Upload.from_bytes(sample.read_bytes(), sample.name)
    out = io.BytesIO()
    assert pipeline.write_line(upload, ExtractOptions(), matcher, out) is None
    assert out.getvalue() == run(upload, ExtractOptions(), matcher).dumps() + b"\n"


def test_a_pdf_of_thousands_of_empty_pages_is_read_and_empty(matcher: Matcher) -> None:
    """Bounds limit the work done, not what a file declares (issue 13 item 5): 2,500 blank pages (more than the
    2,000 pages with something on them a PDF may have) are a file with nothing in it, no activity and no error."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    for _ in range(2_500):
        canvas.showPage()
    canvas.save()
    result = run(Upload.from_bytes(out.getvalue(), "blank-pages.pdf"), ExtractOptions(), matcher)
    assert result.error is None and result.activities == []
    assert [w.code for w in result.warnings] == ["no_activities_found"]
