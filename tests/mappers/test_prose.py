"""read_certificate: free-text certificates read into labelled fields; plans and prose are not certificates."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from mappers.prose import read_certificate

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "pdf"
WITH_LINES = [p for p in sorted(SAMPLES.glob("*.expected.json")) if "lines" in json.loads(p.read_text("utf-8"))]


@pytest.mark.parametrize("path", WITH_LINES, ids=lambda p: p.name.split(".")[0])
def test_sample_lines(path: Path) -> None:
    """The text planted in each sample PDF reads as its planted record, or as no certificate."""
    expected = json.loads(path.read_text("utf-8"))
    fields = read_certificate(expected["lines"])
    if not expected["records"]:
        assert fields is None
        return
    assert fields is not None
    for key, value in expected["records"][0]["fields"].items():
        assert fields.get(key) == value, key


CASES = {
    "one-paragraph": (
        ['This is to certify that Jane Smith attended the webinar "Trust Accounts Masterclass" delivered by '
         "Brightwater Training on 12/03/2025. Duration: 1 hour 30 minutes. 1.5 hours of structured CPD. "
         "Ref: BWT-99812"],
        {"title": "Trust Accounts Masterclass", "learner": "Jane Smith", "provider": "Brightwater Training",
         "completed_on": "12/03/2025", "duration": "1 hour 30 minutes", "cpd_hours": "1.5",
         "reference": "BWT-99812", "verifiable": "structured", "activity_type": "webinar"},
    ),
    "conference-range": (
        ["STEP", "Certificate of attendance", "This certifies that", "Nadia Haddad", "attended the conference",
         "STEP Caribbean Conference 2025", "Montego Bay, Jamaica, 18–19 May 2025",
         "The programme qualifies for 9 hours of structured CPD.", "Certificate no. STEP-CC25-0198"],
        {"title": "STEP Caribbean Conference 2025", "learner": "Nadia Haddad", "provider": "STEP",
         "started_on": "18 May 2025", "completed_on": "19 May 2025", "date": "18–19 May 2025", "cpd_hours": "9",
         "reference": "STEP-CC25-0198", "verifiable": "structured", "activity_type": "conference"},
    ),
    "issue-date-only-after": (
        ["Certificate of Completion", "We confirm that Tom Baker successfully completed the e-learning course",
         "Anti-money laundering essentials", "on 4 June 2025 (2 CPD points).", "Issued 5 June 2025"],
        {"title": "Anti-money laundering essentials", "learner": "Tom Baker", "completed_on": "4 June 2025",
         "cpd_hours": "2", "activity_type": "e-learning"},
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_cases(name: str) -> None:
    lines, want = CASES[name]
    fields = read_certificate(lines)
    assert fields is not None
    for key, value in want.items():
        assert fields.get(key) == value, key


@pytest.mark.parametrize(
    "lines",
    [
        ["Personal development plan 2026", "I intend to attend the STEP Annual Conference in June 2026.",
         "Objective 2: complete a coaching skills course before April 2026.",
         "Nothing has been completed against this plan yet."],
        ["Minutes of the trustees' meeting held on 3 March 2025", "Attended: J. Smith, K. Patel"],
        ["Our certificate programme will be completed by 2026."],
        [],
    ],
    ids=["plan", "minutes", "future", "empty"],
)
def test_not_certificates(lines: list[str]) -> None:
    assert read_certificate(lines) is None


def test_issue_date_is_not_the_activity_date() -> None:
    fields = read_certificate([
        "Certificate of Attendance", "This is to certify that", "Ana Lima", "attended the seminar",
        "Cross-border estates", "Date of issue: 3 May 2025", "Date of event: 1 May 2025",
    ])
    assert fields is not None and fields["completed_on"] == "1 May 2025"
