"""The JSON extractor (xAPI, Open Badges / CLR, LMS API lists) against samples/json/."""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors import json as json_extractor
from extractors.errors import IngestError, UnreadableFile
from extractors.model import ExtractOptions, Upload

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "json"
CASES = sorted(p for p in SAMPLES.iterdir() if not p.name.endswith(".expected.json"))


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_sample(path: Path, planted: Callable[[Path], Any]) -> None:
    """Each sample yields its planted records (fields, locators, keys left out) or raises its planted error."""
    sample = planted(path)
    upload, expected = sample.upload, sample.expected
    assert json_extractor.sniff(upload.data[:8192], upload.filename)
    if sample.raises(json_extractor):
        return
    found = json_extractor.extract(upload, ExtractOptions())
    assert (found.format, found.layout) == ("json", expected["layout"])
    assert [r.location.locator for r in found.records] == [r["locator"] for r in expected["records"]]
    for record, want in zip(found.records, expected["records"]):
        assert {k: record.fields.get(k, "<absent>") for k in want["fields"]} == want["fields"]
        assert not set(want.get("absent", [])) & set(record.fields)
    titles = {r.fields.get("title") for r in found.records}
    assert not titles & set(expected.get("not_titles", []))
    assert [i.code for i in found.issues] == expected["issues"]


@pytest.mark.parametrize("head, is_json", [
    (b'\xef\xbb\xbf  [\n {"id": 1}]', True),
    (b'{"statements": []}', True),
    (b"[]", True),
    ('{"a": 1}'.encode("utf-16"), True),
    (b"<!DOCTYPE html><html>", False),
    (b"[Name],[Date]\nA,B", False),
    (b"{name}, date\n", False),
    (b"Course,Date\n", False),
])
def test_sniff(head: bytes, is_json: bool) -> None:
    """JSON starts with '[' or '{' followed by what JSON allows there."""
    assert json_extractor.sniff(head, "x") is is_json


def test_depth_limit_is_exact() -> None:
    """1,000 levels are read; 1,001 are too_deep (brackets inside strings do not count)."""
    ok = "[" * 999 + '"[[[[[["' + "]" * 999
    assert not json_extractor._too_deep(ok, json_extractor.MAX_DEPTH)
    assert json_extractor._too_deep("[" * 1001 + "]" * 1001, json_extractor.MAX_DEPTH)


def test_deep_object_nesting_is_too_deep() -> None:
    """Objects count like arrays."""
    data = ('{"a":' * 5000 + "1" + "}" * 5000).encode()
    with pytest.raises(UnreadableFile) as caught:
        json_extractor.extract(Upload.from_bytes(data, "deep.json"), ExtractOptions())
    assert caught.value.code == "too_deep"


def test_bad_line_in_json_lines_names_the_line() -> None:
    """A broken line of a JSON Lines file is corrupt, and the message says which line."""
    data = b'{"actor": {}, "verb": {}, "object": {}}\n{"actor": \n'
    with pytest.raises(UnreadableFile) as caught:
        json_extractor.extract(Upload.from_bytes(data, "x.jsonl"), ExtractOptions())
    assert caught.value.code == "corrupt" and "line 2" in caught.value.message


@st.composite
def _nested(draw: st.DrawFn) -> tuple[str, int]:
    depth = draw(st.integers(min_value=0, max_value=1100))
    opener, closer = draw(st.sampled_from([("[", "]"), ('{"k":', "}")]))
    inner = draw(st.sampled_from(['"x]]]"', "1", '"\\"{{"', "[]"]))
    return opener * depth + inner + closer * depth, depth + (inner == "[]")


@given(_nested())
def test_depth_scan_matches_nesting(case: tuple[str, int]) -> None:
    """The non-recursive scan agrees with the nesting actually built."""
    text, depth = case
    assert json_extractor._too_deep(text, json_extractor.MAX_DEPTH) is (depth > json_extractor.MAX_DEPTH)


@given(st.binary(max_size=200))
def test_rubbish_raises_only_our_errors(tail: bytes) -> None:
    """Any bytes after '{' give a result or an IngestError, never a library exception."""
    try:
        json_extractor.extract(Upload.from_bytes(b"{" + tail, "x.json"), ExtractOptions())
    except IngestError:
        pass
