"""Certificate samples (samples/certificates/, made by samples/make_cert_samples.py): each file, read by its extractor
and the certificate reader, gives the activities a person reads on it, and no others.

The expected files are in the gold form of the development corpus: a key left out of an expected activity is not
checked; a key given as null must come out null. Activities are paired in file order.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

import extractors
from extractors.model import ExtractOptions, Upload
from mappers.activity import Activity
from mappers.normalise import FileFacts
from mappers.tables import read_activities

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "certificates"
FILES = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".pdf", ".docx"))
# Word for the contract's activity types, as the expected files write them.
_FIELDS = ("title", "learner", "provider", "activity_type", "status", "started_on", "completed_on", "duration_minutes",
           "cpd_hours", "credits", "reference", "verifiable")


def _read(path: Path) -> list[Activity]:
    upload = Upload.from_bytes(path.read_bytes(), path.name)
    module = extractors.detect(upload)
    extraction = module.extract(upload, ExtractOptions()).loaded()
    facts = FileFacts(upload.sha256, upload.filename, extraction.media_type, module.FORMAT, extraction.layout)
    reading = read_activities(extraction, facts, None)
    return [activity for batch in reading.batches for activity in batch]


def _value(activity: Activity, key: str) -> Any:
    value = getattr(activity, key)
    if isinstance(value, dt.date):
        return value.isoformat()
    if key == "credits" and value is not None:
        return {"value": value.value, "unit": value.unit}
    return value


def test_enough_samples() -> None:
    """At least 30 certificates, Word and PDF, with some that record no learning."""
    expected = [json.loads(p.with_name(p.name + ".expected.json").read_text("utf-8")) for p in FILES]
    assert len(FILES) >= 30
    assert {p.suffix for p in FILES} == {".pdf", ".docx"}
    assert sum(1 for e in expected if not e["activities"]) >= 4
    assert len({e["style"] for e in expected}) >= 12


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_certificate_sample(path: Path) -> None:
    """The sample gives exactly its expected activities, each with the expected fields and warnings."""
    expected = json.loads(path.with_name(path.name + ".expected.json").read_text("utf-8"))
    found = _read(path)
    assert [a.title for a in found] == [e["title"] for e in expected["activities"]]
    for activity, want in zip(found, expected["activities"]):
        for key, value in want.items():
            got = _value(activity, key)
            if isinstance(value, float):
                assert got == pytest.approx(value, abs=0.01), f"{activity.title}: {key}"
            else:
                assert got == value, f"{activity.title}: {key}"
        codes = {w.code for w in activity.warnings}
        assert set(expected["warnings_on_every_activity"]) <= codes, activity.title
        assert activity.source.layout == "certificate"
