"""A member's year in files, for the duplicates, summary and export tests.

The employer's transcript is samples/xlsx/cornerstone-title-block.xlsx (Cornerstone-style, sheet
"Transcript"). The member's own CPD record (a Word table) and a certificate (PDF) are made here, sharing
some of the transcript's activities the way real records do: a title written a little differently, the
day after, the same provider. All names are invented.
"""
from __future__ import annotations

import io
from pathlib import Path

import docx
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from extractors.model import ExtractOptions, Upload as FileUpload
from ingest.store import ensure_member, find_or_create_upload, set_role
from ingest.work import jobs
from ingest.work.pipeline import run
from ingest.work.roles import load_role_json
from ingest.work.runtime import Runtime
from mappers.matching import Matcher

REPO = Path(__file__).resolve().parents[2]
TRANSCRIPT = REPO / "samples" / "xlsx" / "cornerstone-title-block.xlsx"

# The transcript holds (among others), in CPD year 2025:
#   Vulnerable clients: recognising undue influence   12/04/2025  Kestrel Law Training  2.5 h
#   Trust Registration Service: annual updates        02/05/2025  Larkfield Academy     0.5 h
#   Probate practice after the 2025 rule changes      21/06/2025  Kestrel Law Training  3.5 h
#   Conflicts of interest in family trusts            11/07/2025  STEP                  1.5 h
RECORD_ROWS = [
    ["Date", "Activity", "Provider", "Hours", "Structured?", "Reflection"],
    # the same activity: title spelt differently, dated the day after        -> a duplicate
    ["13/04/2025", "Vulnerable clients - recognizing undue influence", "Kestrel Law Training", "2.5", "Yes",
     "Checklist for undue influence added to our file notes."],
    # the same activity, same day and provider                                 -> a duplicate
    ["11/07/2025", "Conflicts of interest in family trusts", "STEP", "1.5", "Yes", "Reviewed our conflicts register."],
    # the same course again later in the year (this record lists it twice)     -> not a duplicate
    ["15/09/2025", "Conflicts of interest in family trusts", "STEP", "1.5", "Yes", "Second session, new cases."],
    # a different provider                                                     -> not a duplicate
    ["21/06/2025", "Probate practice after the 2025 rule changes", "Orchard Law Training", "3.5", "Yes", ""],
    # a very different duration                                                -> not a duplicate
    ["02/05/2025", "Trust Registration Service: annual updates", "Larkfield Academy", "3", "Yes", ""],
    # only here
    ["20/10/2025", "Ethics for trustees: case studies", "STEP", "2", "Yes", "Discussed confidentiality dilemmas."],
]
RECORD_DUPLICATES = {"Vulnerable clients - recognizing undue influence": "2025-04-13",
                     "Conflicts of interest in family trusts": "2025-07-11"}


def cpd_record_docx() -> bytes:
    """The member's own CPD log for 2025, one Word table."""
    document = docx.Document()
    document.add_heading("My CPD record 2025", level=1)
    document.add_paragraph("Name: Hannah Okoro   Membership number: 77012")
    table = document.add_table(rows=len(RECORD_ROWS), cols=len(RECORD_ROWS[0]))
    table.style = "Table Grid"
    for r, values in enumerate(RECORD_ROWS):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def certificate_pdf(title: str = "Conflicts of interest in family trusts", day: str = "11 July 2025",
                    provider: str = "STEP", hours: str = "1.5") -> bytes:
    """A certificate of completion, one page, the way training providers print them."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    width, height = A4
    y = height - 90
    for text, size, font in ((provider, 16, "Helvetica-Bold"), ("Certificate of Completion", 24, "Helvetica-Bold"),
                             ("This is to certify that", 12, "Helvetica"), ("Hannah Okoro", 18, "Helvetica-Bold"),
                             ("has successfully completed the course", 12, "Helvetica"), (title, 14, "Helvetica-Bold"),
                             (f"delivered by {provider} on {day}.", 12, "Helvetica"),
                             (f"This course qualifies for {hours} hours of structured CPD.", 12, "Helvetica")):
        canvas.setFont(font, size)
        canvas.drawCentredString(width / 2, y, text)
        y -= size * 2.2
    canvas.setFont("Helvetica", 10)
    canvas.drawString(60, 90, "Certificate no. ST-2025-5521")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def upload(runtime: Runtime, member: str, data: bytes, name: str, *, process: bool = True) -> int:
    """Store the bytes as the member's upload and (unless told not to) read it here, as a worker would."""
    sha = runtime.blobs.put(data)
    with runtime.sessions() as s, s.begin():
        found, _ = find_or_create_upload(s, member_id=member, filename=name, sha256=sha, size=len(data),
                                         media_type=None)
    if process:
        assert jobs.process(found.id, runtime).state == "done"
    return found.id


def transcript_and_record(runtime: Runtime, member: str) -> None:
    """The member, a trust administrator, with her employer's transcript and her own CPD record read."""
    with runtime.sessions() as s, s.begin():
        ensure_member(s, member)
        set_role(s, member, load_role_json("trust-administrator"))
    upload(runtime, member, TRANSCRIPT.read_bytes(), TRANSCRIPT.name)
    upload(runtime, member, cpd_record_docx(), "my-cpd-record.docx")


def read(data: bytes, name: str) -> list[dict[str, object]]:
    """What the pure pipeline reads from the file (the activities' JSON)."""
    result = run(FileUpload.from_bytes(data, name), ExtractOptions(), Matcher(None))
    assert result.error is None, result.error
    return [a.to_json() for a in result.activities]
