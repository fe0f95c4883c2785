"""The XML extractor (Europass / ELM v2 credentials; cmi5 and IMS course definitions) against samples/xml/."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import extractors
from extractors import html, xml
from extractors.errors import UnreadableFile, UnsupportedFormat
from extractors.model import ExtractOptions, Upload
from ingest.work.pipeline import run
from mappers.matching import Matcher

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "xml"
CASES = sorted(p for p in SAMPLES.iterdir() if not p.name.endswith(".expected.json"))


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_sample(path: Path, planted: Callable[[Path], Any]) -> None:
    """Each sample yields its planted records (fields, locators, keys left out) or raises its planted error."""
    sample = planted(path)
    upload, expected = sample.upload, sample.expected
    assert xml.sniff(upload.data[:8192], upload.filename)
    assert extractors.detect(upload) is xml
    if sample.raises(xml):
        return
    found = xml.extract(upload, ExtractOptions())
    sample.check_records(found, "xml")
    assert all(expected.get("message_contains", "") in i.message for i in found.issues)


XHTML = (b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
         b'"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml">'
         b"<body><table><tr><th>Course</th><th>Date</th></tr><tr><td>Trusts</td><td>01/02/2025</td></tr>"
         b"</table></body></html>")


@pytest.mark.parametrize("head, claimed", [
    (b'<?xml version="1.0"?><europassCredential xmlns="http://data.europa.eu/snb">', True),
    (b'\xef\xbb\xbf<!-- issued by EDCI -->\n<eup:europassCredential xmlns:eup="http://data.europa.eu/snb">', True),
    ('<?xml version="1.0" encoding="UTF-16"?><courseStructure '
     'xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">'.encode("utf-16"), True),
    (b'<manifest identifier="m" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2">', True),
    (b'<europassCredential xmlns="http://example.org/not-europass">', False),
    (b'<courseStructure xmlns="https://example.org/other">', False),
    (XHTML, False),
    (b'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title></channel></rss>', False),
    (b'<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook '
     b'xmlns="urn:schemas-microsoft-com:office:spreadsheet">', False),
    (b'{"statements": []}', False),
    (b"Course,Date\nTrusts,01/02/2025\n", False),
])
def test_sniff_claims_only_known_roots(head: bytes, claimed: bool) -> None:
    """Only a Europass credential, a cmi5 course structure or an IMS manifest is claimed, by root and namespace."""
    assert xml.sniff(head, "x.xml") is claimed


def test_xhtml_stays_with_the_html_reader() -> None:
    """An XHTML report page (XML declaration, DOCTYPE, html root) is detected as HTML, not as XML."""
    assert html.sniff(XHTML, "report.xhtml")
    assert extractors.detect(Upload.from_bytes(XHTML, "report.xml")) is html


def test_other_xml_is_still_unsupported() -> None:
    """XML of no learning standard we read is refused as a format, with a message naming what we read."""
    data = b'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title></channel></rss>'
    with pytest.raises(UnsupportedFormat) as caught:
        extractors.detect(Upload.from_bytes(data, "feed.xml"))
    assert "Europass XML" in str(caught.value)


def test_html_sniffing_does_not_take_a_credential_with_an_html_template() -> None:
    """A Europass credential carries an HTML display template; the HTML reader does not claim the file."""
    data = (SAMPLES / "europass-v2-programme-parts-es-en.xml").read_bytes()
    assert not html.sniff(data[:8192], "credential.xml")


def test_too_large_is_refused_before_parsing() -> None:
    """A credential over the size bound is too_large, and the message says to split it."""
    data = (SAMPLES / "europass-v2-programme-parts-es-en.xml").read_bytes()
    with pytest.raises(UnreadableFile) as caught:
        xml.extract(Upload.from_bytes(data, "big.xml"), ExtractOptions(max_bytes=1024))
    assert caught.value.code == "too_large"


def test_europass_credential_through_the_pipeline() -> None:
    """GIVEN the ELM v2 sample WHEN read end to end THEN the parts are activities, dated by the day written,
    with ECTS kept as credits and never as CPD hours, and the study visit's workload as its duration."""
    path = SAMPLES / "europass-v2-programme-parts-es-en.xml"
    result = run(Upload.from_bytes(path.read_bytes(), path.name), ExtractOptions(), Matcher(None))
    assert result.error is None
    by_title = {a.title: a for a in result.activities}
    visit = by_title["MARKER-EV2-3 Study visit to the notarial archive"]
    assert (visit.duration_minutes, visit.cpd_hours, visit.learner) == (360, 6.0, "Lucía Ortega Beltrán")
    taxation = by_title["MARKER-EV2-1 Inheritance taxation"]
    assert taxation.completed_on is not None and taxation.completed_on.isoformat() == "2024-02-16"
    assert taxation.credits is not None and (taxation.credits.value, taxation.credits.unit) == (4.0, "ects")
    assert taxation.cpd_hours == pytest.approx(40.0)      # its volume of learning, not its 4 ECTS


def test_course_definition_through_the_pipeline_is_no_error() -> None:
    """A cmi5 course structure gives no activities and no error, with a warning that says it is a definition."""
    path = SAMPLES / "cmi5-course-structure-block-two-aus.xml"
    result = run(Upload.from_bytes(path.read_bytes(), path.name), ExtractOptions(), Matcher(None))
    assert result.error is None and result.activities == []
    assert result.warnings[0].code == "definition_not_record"
