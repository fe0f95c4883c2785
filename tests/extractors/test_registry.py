"""The registry: every module keeps the contract, and detection goes by content, not the file name."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import extractors
from extractors import csv, html, ods, xls, xlsx
from extractors.errors import IngestError, UnreadableFile
from extractors.model import Extraction, ExtractOptions, Upload

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
CORPUS = ROOT.parent / "shared" / "corpus"
TABULAR = ("csv", "xlsx", "xls", "ods", "html")


@pytest.mark.parametrize("name", list(extractors.REGISTRY))
def test_every_module_keeps_the_contract(name: str) -> None:
    module = extractors.REGISTRY[name]
    assert isinstance(module.FORMAT, str) and module.FORMAT
    assert isinstance(module.MEDIA_TYPES, tuple) and all("/" in m for m in module.MEDIA_TYPES)
    assert callable(module.sniff) and callable(module.extract)


@pytest.mark.parametrize("name", list(extractors.REGISTRY))
@settings(max_examples=80, deadline=None)
@given(head=st.one_of(st.binary(max_size=300), st.sampled_from([
    b"", b"PK\x03\x04", b"PK\x03\x04\x14\x00", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"%PDF", b"{", b"[", b"<",
    b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff\x00"])), filename=st.sampled_from(["", "x", "a.xlsx", "b.csv", "c.pdf"]))
def test_sniff_never_raises(name: str, head: bytes, filename: str) -> None:
    assert extractors.REGISTRY[name].sniff(head, filename) in (True, False)


def sample(folder: str, name: str) -> bytes:
    return (SAMPLES / folder / name).read_bytes()


@pytest.mark.parametrize("data, filename, module", [
    (sample("xlsx", "cornerstone-title-block.xlsx"), "transcript.pdf", xlsx),
    (sample("xlsx", "macro-enabled.xlsm"), "record.docx", xlsx),
    (sample("csv", "linkedin-learning-plain.csv"), "export.xlsx", csv),
    (sample("csv", "workday-unicode-text.tsv"), "export.xls", csv),
    (sample("html", "totara-record-of-learning.xls"), "record.xls", html),
    (sample("html", "bare-table-fragment.xls"), "record.csv", html),
    (sample("ods", "libreoffice-cpd-log.ods"), "log.xlsx", ods),
    (sample("xls", "moodle-report-biff8.xls"), "report.csv", xls),
    (sample("xlsx", "encrypted.xlsx"), "locked.xlsx", xls),
    (b"", "empty.xlsx", csv),
])
def test_detection_by_content(data: bytes, filename: str, module: object) -> None:
    assert extractors.detect(Upload.from_bytes(data, filename)) is module


def every_sample() -> list[Path]:
    return sorted(p for folder in TABULAR for p in (SAMPLES / folder).iterdir()
                  if p.is_file() and not p.name.endswith(".expected.json"))


@pytest.mark.parametrize("path", every_sample(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_sample_is_detected_as_its_expected_extractor(path: Path) -> None:
    expected = json.loads(path.with_name(path.name + ".expected.json").read_text(encoding="utf-8"))
    assert extractors.detect(Upload.from_bytes(path.read_bytes(), path.name)).FORMAT == expected["extractor"]


def test_every_sample_has_an_expected_file_and_back() -> None:
    for folder in TABULAR:
        files = {p.name for p in (SAMPLES / folder).iterdir()}
        samples = {n for n in files if not n.endswith(".expected.json")}
        assert {n[:-len(".expected.json")] for n in files - samples} == samples, folder


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.iterdir() if p.suffix in (".csv", ".xlsx", ".xls"))


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared/corpus is not beside the repository")
@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_development_corpus_opens(path: Path) -> None:
    """Every tabular corpus file opens and yields rows with cells; the truncated one is 'corrupt'."""
    upload = Upload.from_bytes(path.read_bytes(), path.name)
    module = extractors.detect(upload)
    assert module.FORMAT in ("csv", "xlsx", "html")
    if path.name == "edge_corrupt_truncated.xlsx":
        with pytest.raises(UnreadableFile) as raised:
            module.extract(upload, ExtractOptions()).loaded()
        assert raised.value.code == "corrupt"
        return
    found: Extraction = module.extract(upload, ExtractOptions()).loaded()
    rows = [row for t in found.tables for row in t.rows]
    assert rows and all(row.location.locator for row in rows)
    assert any(isinstance(c, str) and len(c) > 3 for row in rows for c in row.cells)


def test_unknown_bytes_are_unsupported() -> None:
    with pytest.raises(IngestError) as raised:
        extractors.detect(Upload.from_bytes(bytes(range(256)) * 4, "mystery.bin"))
    assert raised.value.code == "unsupported_format"
