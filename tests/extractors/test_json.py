"""The JSON extractor (xAPI / cmi5, credentials of the learning standards, LMS API lists) against samples/json/."""
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
from extractors.json import _oa, _types
from extractors.model import ExtractOptions, Upload
from ingest.work.pipeline import run
from mappers.activity import Activity
from mappers.matching import Matcher

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "json"
CASES = sorted(p for p in SAMPLES.iterdir() if not p.name.endswith(".expected.json"))


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_sample(path: Path, planted: Callable[[Path], Any]) -> None:
    """Each sample yields its planted records (fields, locators, keys left out) or raises its planted error."""
    sample = planted(path)
    upload = sample.upload
    assert json_extractor.sniff(upload.data[:8192], upload.filename)
    if sample.raises(json_extractor):
        return
    found = json_extractor.extract(upload, ExtractOptions())
    sample.check_records(found, "json")


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


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(None)


def _activities(name: str, matcher: Matcher) -> list[Activity]:
    path = SAMPLES / name
    result = run(Upload.from_bytes(path.read_bytes(), path.name), ExtractOptions(), matcher)
    assert result.error is None
    return result.activities


def test_academic_credit_is_kept_but_is_not_cpd_hours(matcher: Matcher) -> None:
    """OB 3.0 creditsEarned ("generally in semester or quarter credit hours") stays the record's credits only."""
    [badge] = _activities("ob3-credential-activity-dates-result-proof.json", matcher)
    assert badge.credits is not None and (badge.credits.value, badge.credits.unit) == (0.5, "credits")
    assert badge.cpd_hours is None and badge.completed_on is not None
    assert badge.completed_on.isoformat() == "2025-10-14"      # the activity's end, not the award date


def test_completed_and_passed_of_one_attempt_are_one_activity(matcher: Matcher) -> None:
    """GIVEN a cmi5 session's completed and passed statements for one AU WHEN read THEN one activity, dated and
    timed by the first of them; the voided, failed and contradictory statements give none."""
    found = _activities("lrs-page-cmi5-session-voided-completed-passed.json", matcher)
    assert [a.source.locator for a in found] == ["statement=4", "statement=10", "statement=11"]
    first = found[0]
    assert first.completed_on is not None and first.completed_on.isoformat() == "2025-09-03"
    assert (first.duration_minutes, first.cpd_hours) == (42, 0.7)


def test_elm_online_seminar_is_a_webinar_and_english_is_preferred(matcher: Matcher) -> None:
    """The Europass list's 'workshop, seminar or conference' run online is a webinar; titles in English where given."""
    found = _activities("elm-v3-edc-two-activities-fr-en.jsonld", matcher)
    assert [(a.title, a.activity_type) for a in found] == [
        ("MARKER-ELM-1 Taxation of international estates", None),   # the mappers read "course" as no kind
        ("MARKER-ELM-2 Déontologie de la pratique transfrontalière", "webinar")]
    assert [a.duration_minutes for a in found] == [840, None]


@pytest.mark.parametrize("salted, value", [
    ("0c4e6f3a-8a1b-4c2d-9e0f-1a2b3c4d5e6f:string:CS 1110", "CS 1110"),
    ("0c4e6f3a-8a1b-4c2d-9e0f-1a2b3c4d5e6f:string:a:b:c", "a:b:c"),
    ("0c4e6f3a-8a1b-4c2d-9e0f-1a2b3c4d5e6f:number:3", 3),
    ("0c4e6f3a-8a1b-4c2d-9e0f-1a2b3c4d5e6f:number:2.5", 2.5),
    ("0c4e6f3a-8a1b-4c2d-9e0f-1a2b3c4d5e6f:boolean:false", False),
    ("0c4e6f3a-8a1b-4c2d-9e0f-1a2b3c4d5e6f:null:null", None),
    ("not salted: string: at all", "not salted: string: at all"),
])
def test_openattestation_values_are_unsalted(salted: str, value: object) -> None:
    """'<uuid>:<type>:<value>' becomes the value, typed as the type says; anything else is left as it is."""
    assert _oa.unsalt({"v": salted}) == {"v": value}


@pytest.mark.parametrize("name, meant", [
    ("Your Name", None), ("Learner's Name", None), ("[Recipient name]", None), ("{{learner.fullName}}", None),
    ("Learner", None), ("Rosa Delgado", "Rosa Delgado"), ("Max Power", "Max Power"), ("A N Other", "A N Other"),
])
def test_placeholder_names_name_nobody(name: str, meant: str | None) -> None:
    """A template's placeholder is no learner; a name, however odd, is kept."""
    assert _types.meant(name) == meant
