"""Sample-file tests for the tabular extractors: each samples/<folder>/ file is its own test id.

A test module sets SAMPLE_FOLDER and takes a `sample` argument; `check_sample(sample)` runs the
file through the module its .expected.json names (see samples/make_samples.py for that format).
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from extractors import csv, errors, html, ods, xls, xlsx
from extractors.model import CellValue, Extraction, ExtractOptions, Upload

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
MODULES: dict[str, ModuleType] = {"csv": csv, "xlsx": xlsx, "xls": xls, "ods": ods, "html": html}
HEAD_BYTES = 8192


def sample_files(folder: str) -> list[Path]:
    return sorted(p for p in (SAMPLES / folder).iterdir()
                  if p.is_file() and not p.name.endswith(".expected.json"))


def expected_for(path: Path) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(path.with_name(path.name + ".expected.json").read_text(encoding="utf-8"))
    return found


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    folder = getattr(metafunc.module, "SAMPLE_FOLDER", None)
    if folder is not None and "sample" in metafunc.fixturenames:
        files = sample_files(folder)
        metafunc.parametrize("sample", files, ids=[p.name for p in files])


def as_json(value: CellValue) -> object:
    """A cell in the expected files' form (a midnight datetime counts as a date)."""
    if isinstance(value, dt.datetime):
        return {"date": value.date().isoformat()} if value.time() == dt.time(0) else {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, dt.time):
        return {"time": value.isoformat()}
    if isinstance(value, dt.timedelta):
        return {"timedelta": value.total_seconds()}
    return "" if value is None else value


def assert_cells(got: tuple[CellValue, ...], want: list[object], where: str) -> None:
    shown = [as_json(v) for v in got]
    assert len(shown) >= len(want) or all(w == "" for w in want[len(shown):]), f"{where}: {shown} vs {want}"
    for i, expected in enumerate(want):
        actual = shown[i] if i < len(shown) else ""
        if isinstance(expected, dict) and "timedelta" in expected:
            assert isinstance(actual, dict) and abs(actual["timedelta"] - expected["timedelta"]) < 1, where
        elif isinstance(expected, (int, float)) and not isinstance(expected, bool):
            assert actual == pytest.approx(expected), f"{where}, cell {i + 1}: {actual!r} != {expected!r}"
        else:
            assert actual == expected, f"{where}, cell {i + 1}: {actual!r} != {expected!r}"
    assert all(v == "" for v in shown[len(want):]), f"{where}: unexpected cells after {want}: {shown}"


def run_sample(path: Path) -> Extraction | None:
    """Extract `path` as its expected file says and compare; None where an error was expected."""
    expected = expected_for(path)
    module = MODULES[expected["extractor"]]
    data = path.read_bytes()
    assert module.sniff(data[:HEAD_BYTES], path.name), f"{module.FORMAT}.sniff refused {path.name}"
    upload = Upload.from_bytes(data, path.name)
    if expected["error"]:
        with pytest.raises(getattr(errors, expected["error"]["type"])) as raised:
            module.extract(upload, ExtractOptions()).loaded()
        assert raised.value.code == expected["error"]["code"], raised.value.message
        assert path.name in raised.value.message
        return None
    result = module.extract(upload, ExtractOptions()).loaded()
    assert result.format == module.FORMAT
    assert result.media_type == expected.get("media_type", module.MEDIA_TYPES[0])
    assert [t.name for t in result.tables] == [t["name"] for t in expected["tables"]]
    for got, want in zip(result.tables, expected["tables"]):
        assert len(got.rows) == want["rows"], f"table {got.name!r}"
        assert got.header_rows == want["header_rows"], f"table {got.name!r}"
        if "context" in want:
            assert list(got.context) == want["context"], f"table {got.name!r}"
        rows = {row.location.locator: row for row in got.rows}
        assert len(rows) == len(got.rows), "locators must be unique"
        for planted in want["check"]:
            assert planted["locator"] in rows, f"no row at {planted['locator']}"
            assert_cells(rows[planted["locator"]].cells, planted["cells"], planted["locator"])
    if "context" in expected:
        assert list(result.context) == expected["context"]
    assert [i.code for i in result.issues] == expected.get("issues", [])
    return result


@pytest.fixture
def check_sample() -> Callable[[Path], Extraction | None]:
    return run_sample


class Planted:
    """A sample file as an Upload, and what its <name>.expected.json says it holds."""

    ERRORS: dict[str, type[errors.IngestError]] = {
        "UnreadableFile": errors.UnreadableFile, "UnsupportedFormat": errors.UnsupportedFormat}

    def __init__(self, path: Path) -> None:
        self.upload = Upload.from_bytes(path.read_bytes(), path.name)
        self.expected: dict[str, Any] = expected_for(path)

    def raises(self, module: ModuleType) -> bool:
        """Where the sample plants an error: `module.extract` raises it (type, code, words of the message)."""
        planted = self.expected.get("error")
        if not planted:
            return False
        with pytest.raises(self.ERRORS[planted["type"]]) as caught:
            module.extract(self.upload, ExtractOptions()).loaded()
        assert caught.value.code == planted["code"]
        assert planted.get("message_contains", "") in caught.value.message
        return True

    def check_records(self, found: Extraction, format_name: str) -> None:
        """The records are the planted ones: format and layout, locators in order, the fields given (keys
        listed as absent left out), no planted non-title as a title, and the issues' codes in order."""
        expected = self.expected
        assert (found.format, found.layout) == (format_name, expected["layout"])
        assert [r.location.locator for r in found.records] == [r["locator"] for r in expected["records"]]
        for record, want in zip(found.records, expected["records"]):
            assert {k: record.fields.get(k, "<absent>") for k in want["fields"]} == want["fields"]
            assert not set(want.get("absent", [])) & set(record.fields)
        titles = {r.fields.get("title") for r in found.records}
        assert not titles & set(expected.get("not_titles", []))
        assert [i.code for i in found.issues] == expected["issues"]


@pytest.fixture
def planted() -> type[Planted]:
    """`planted(path)`: a sample and its expected file (see Planted)."""
    return Planted
