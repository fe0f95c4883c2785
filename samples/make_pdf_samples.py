"""Writes the PDF samples in samples/pdf/ and, beside each, <name>.expected.json from what it planted.

    python samples/make_pdf_samples.py          # (re)write every sample
    python samples/make_pdf_samples.py --check  # exit 1 if a sample on disk differs from a fresh one

Deterministic: reportlab's invariant mode (fixed dates and ids), no randomness. Needs reportlab
(dev dependency) and Pillow (installed with pdfplumber). Every person, firm, certificate number
and e-mail address here is invented; e-mail domains are .example.
"""
from __future__ import annotations

import io
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen.canvas import Canvas

OUT = Path(__file__).resolve().parent / "pdf"
FONT, BOLD = "Helvetica", "Helvetica-Bold"


def _canvas(buf: io.BytesIO, pagesize: tuple[float, float] = A4, **kwargs: Any) -> Canvas:
    return Canvas(buf, pagesize=pagesize, invariant=1, pageCompression=0, **kwargs)


# --- 1. a ruled CPD statement over three pages ------------------------------------------------

STATEMENT_MEMBER = "Priya Raman"
STATEMENT_COLUMNS = (("Date", 62), ("Activity", 138), ("Provider", 92), ("Type", 62), ("Hours", 38), ("Learning outcome", 148))
_OUTCOMES = (
    "Reviewed the new rules and updated our internal checklist for the trust files I manage.",
    "Useful refresher; shared the key points with the private client team at our weekly meeting.",
    "Clear session with worked examples. Notes filed in my CPD folder for next year's review.",
    "Applied the guidance to two client matters and raised a question with the presenter afterwards.",
)
_STATEMENT_ROWS = (
    ("09/01/2025", "Trustee duties under the Trustee Act 2000: a practical refresher", "Fernhill Academy", "Structured", "1.5"),
    ("16/01/2025", "Beneficiary communications", "Larkspur Training", "Structured", "1"),
    ("23/01/2025", "Offshore trust structures and the Trust Registration Service", "Calder Law Seminars", "Structured", "2"),
    ("05/02/2025", "Reading: Private Client Quarterly articles on nil-rate bands", "Private Client Quarterly", "Unstructured", "0.5"),
    ("12/02/2025", "Client due diligence for settlors and protectors", "Fernhill Academy", "Structured", "1.25"),
    ("27/02/2025", "Relevant property trusts: ten-year charge calculations with worked examples", "Calder Law Seminars", "Structured", "3"),
    ("06/03/2025", "Data protection for trust administrators", "Larkspur Training", "Structured", "0.75"),
    ("19/03/2025", "Vulnerable beneficiaries: recognising and responding to financial abuse", "Hollins & Reed LLP", "Structured", "1.5"),
    ("02/04/2025", "Trust accounts for lay trustees", "Fernhill Academy", "Structured", "2"),
    ("15/04/2025", "Professional ethics in private client practice: conflicts and confidentiality", "Calder Law Seminars", "Structured", "1.5"),
    ("30/04/2025", "Mentoring a trainee trust administrator", "–", "Unstructured", "2"),
    ("14/05/2025", "Capital gains tax on trust disposals", "Larkspur Training", "Structured", "1"),
    ("28/05/2025", "Estate administration: dealing with foreign assets and overseas probate", "Hollins & Reed LLP", "Structured", "2.5"),
    ("11/06/2025", "Anti-money laundering annual update for trust and company service providers", "Fernhill Academy", "Structured", "1"),
    ("25/06/2025", "Letters of wishes and discretionary distributions", "Calder Law Seminars", "Structured", "1.25"),
    ("09/07/2025", "Inheritance tax on lifetime transfers into trust", "Larkspur Training", "Structured", "1.5"),
    ("23/07/2025", "Complaints handling and the Legal Ombudsman", "Hollins & Reed LLP", "Unstructured", "0.5"),
    ("06/08/2025", "Digital assets in estates: passwords, wallets and platforms", "Fernhill Academy", "Structured", "1"),
    ("20/08/2025", "Charity trustees: governance and reporting duties", "Calder Law Seminars", "Structured", "1.5"),
    ("03/09/2025", "Sanctions screening for trust clients", "Larkspur Training", "Structured", "0.75"),
    ("17/09/2025", "Court of Protection deputyship basics", "Hollins & Reed LLP", "Structured", "2"),
    ("01/10/2025", "Trust investment policy statements: drafting and review", "Fernhill Academy", "Structured", "1.5"),
    ("15/10/2025", "Pension death benefits paid into trusts", "Calder Law Seminars", "Structured", "1"),
    ("29/10/2025", "Writing plain-English trust correspondence", "Larkspur Training", "Unstructured", "1"),
    ("12/11/2025", "Residence nil-rate band and downsizing relief", "Hollins & Reed LLP", "Structured", "1.25"),
    ("26/11/2025", "Year-end review of my CPD plan with my supervisor", "–", "Unstructured", "0.5"),
)


@dataclass
class _Grid:
    canvas: Canvas
    lefts: list[float]
    widths: list[float]
    size: float = 8.0
    leading: float = 10.0
    pad: float = 3.0

    def wrap(self, cells: Sequence[str], font: str = FONT) -> list[list[str]]:
        return [simpleSplit(text, font, self.size, w - 2 * self.pad) or [""] for text, w in zip(cells, self.widths)]

    def draw_row(self, top: float, lines: list[list[str]], count: int, font: str = FONT) -> float:
        """Draws `count` text lines of each cell starting at `top`; returns the bottom edge."""
        height = count * self.leading + 2 * self.pad
        c = self.canvas
        c.setFont(font, self.size)
        for left, cell in zip(self.lefts, lines):
            for k, text in enumerate(cell[:count]):
                c.drawString(left + self.pad, top - self.pad - self.size - k * self.leading, text)
        bottom = top - height
        right = self.lefts[-1] + self.widths[-1]
        c.line(self.lefts[0], bottom, right, bottom)
        c.line(self.lefts[0], top, right, top)
        for x in [*self.lefts, right]:
            c.line(x, top, x, bottom)
        return bottom


def _draw_statement(total_pages: int) -> tuple[bytes, list[list[str]], str]:
    """The statement's bytes, the titles starting on each page, and the title of the row cut by a page break."""
    buf = io.BytesIO()
    c = _canvas(buf)
    width, height = A4
    lefts, x = [], 36.0
    for _, w in STATEMENT_COLUMNS:
        lefts.append(x)
        x += w
    grid = _Grid(c, lefts, [w for _, w in STATEMENT_COLUMNS])
    header = [name for name, _ in STATEMENT_COLUMNS]
    rows = [(*row, _OUTCOMES[i % len(_OUTCOMES)]) for i, row in enumerate(_STATEMENT_ROWS)]
    pages: list[list[str]] = [[]]
    bottom_limit = 80.0
    cut_title = ""

    def start_page(first: bool) -> float:
        top = height - 40
        if first:
            c.setFont(BOLD, 14)
            c.drawString(36, top, "Continuing Professional Development Statement")
            c.setFont(FONT, 9)
            c.drawString(36, top - 18, f"Member: {STATEMENT_MEMBER}")
            c.drawString(200, top - 18, "Membership no: 55102")
            c.drawString(360, top - 18, "CPD year: 2025")
            top -= 36
        return grid.draw_row(top, grid.wrap(header, BOLD), 1, BOLD)

    def next_page() -> float:
        c.setFont(FONT, 8)
        c.drawString(36, 40, f"Statement for {STATEMENT_MEMBER} – Page {len(pages)} of {total_pages}")
        c.showPage()
        pages.append([])
        return start_page(False)

    top = start_page(True)
    for row in rows:
        lines = grid.wrap(row)
        need = max(len(cell) for cell in lines)
        fits = int((top - bottom_limit - 2 * grid.pad) // grid.leading)
        if need > fits and (cut_title or fits < 1):
            top = next_page()
            fits = need
        pages[-1].append(row[1])
        if need > fits:  # the first row that does not fit is cut: its rest continues on the next page
            cut_title = row[1]
            grid.draw_row(top, lines, fits)
            top = next_page()
            top = grid.draw_row(top, [cell[fits:] for cell in lines], need - fits)
        else:
            top = grid.draw_row(top, lines, need)
    structured = sum(float(r[4]) for r in rows if r[3] == "Structured")
    unstructured = sum(float(r[4]) for r in rows if r[3] == "Unstructured")
    top = grid.draw_row(top, grid.wrap(["", "Total hours", "", "", f"{structured + unstructured:g}", ""]), 1)
    c.setFont(FONT, 9)
    c.drawString(36, top - 20, f"Total structured hours: {structured:g}")
    c.drawString(36, top - 32, f"Total unstructured hours: {unstructured:g}")
    c.setFont(FONT, 8)
    c.drawString(36, 40, f"Statement for {STATEMENT_MEMBER} – Page {len(pages)} of {total_pages}")
    c.showPage()
    c.save()
    return buf.getvalue(), pages, cut_title


def _statement() -> tuple[bytes, dict[str, Any]]:
    _, pages, _ = _draw_statement(0)
    data, pages, cut_title = _draw_statement(len(pages))
    rows = [(*row, _OUTCOMES[i % len(_OUTCOMES)]) for i, row in enumerate(_STATEMENT_ROWS)]
    locators, row_index = {}, 1
    for page, titles in enumerate(pages, start=1):
        for title in titles:
            row_index += 1
            locators[title] = f"page={page};table=1;row={row_index}"
    after_cut = rows[[r[1] for r in rows].index(cut_title) + 1][1]
    expected = {
        "error": None,
        "layout": "table",
        "tables": [{
            "header": [name for name, _ in STATEMENT_COLUMNS],
            "title_column": 1,
            "titles": [r[1] for r in rows],
            "row_cells": {cut_title: list(next(r for r in rows if r[1] == cut_title))},
            "context_contains": [f"Member: {STATEMENT_MEMBER}"],
            "locators": {t: locators[t] for t in (rows[0][1], cut_title, after_cut, rows[-1][1])},
        }],
        "records": [],
    }
    return data, expected


# --- 2. a transcript drawn with text only over two pages ----------------------------------------

TRANSCRIPT_LEARNER = "Tomasz Nowak"
_TRANSCRIPT_X = (40, 300, 372, 440, 540)  # Course title, Delivery, Status, Completion date, Hours (right-aligned)
_TRANSCRIPT_ROWS = (
    ("Induction: working at Northgate", "E-learning", "Completed", "8 Jan 2025", "1"),
    ("Trust deeds and deeds of appointment: reading them with confidence", "Classroom", "Completed", "21 Jan 2025", "3"),
    ("Cyber security essentials", "E-learning", "Completed", "3 Feb 2025", "0.5"),
    ("Relevant property trusts and the periodic charge", "Webinar", "Completed", "18 Feb 2025", "1.5"),
    ("Advanced spreadsheets for trust accounting", "E-learning", "In progress", "", ""),
    ("Handling complaints from beneficiaries and their advisers", "Classroom", "Completed", "11 Mar 2025", "2"),
    ("Money laundering: suspicious activity reporting to the MLRO", "E-learning", "Completed", "25 Mar 2025", "1"),
    ("Probate applications online", "Webinar", "Completed", "8 Apr 2025", "1"),
    ("Equality, diversity and inclusion at work", "E-learning", "Completed", "22 Apr 2025", "0.75"),
    ("Trust Registration Service: registering and updating express trusts", "Webinar", "Completed", "6 May 2025", "1.25"),
    ("Fire safety awareness", "E-learning", "Completed", "20 May 2025", "0.25"),
    ("Distributions to beneficiaries: trustee resolutions and minutes", "Classroom", "Completed", "3 Jun 2025", "2.5"),
    ("Personal data breaches: what to do in the first 72 hours", "E-learning", "Completed", "17 Jun 2025", "0.5"),
    ("Estate accounts from start to finish", "Classroom", "Completed", "1 Jul 2025", "3"),
    ("Investment managers' reports: questions trustees should ask about performance and fees", "Webinar", "Completed", "15 Jul 2025", "1"),
    ("Time management", "E-learning", "Completed", "29 Jul 2025", "0.5"),
    ("Inheritance tax exit charges: worked examples", "Webinar", "Completed", "12 Aug 2025", "1.5"),
    ("Supporting clients with dementia", "Classroom", "Completed", "26 Aug 2025", "2"),
    ("SA900 trust tax return: common errors", "Webinar", "Completed", "9 Sep 2025", "1"),
    ("Coaching conversations", "Classroom", "In progress", "", ""),
    ("Whistleblowing policy", "E-learning", "Completed", "7 Oct 2025", "0.25"),
    ("Lasting powers of attorney for trust practitioners", "Webinar", "Completed", "21 Oct 2025", "1"),
    ("Year-end trust accounts review", "Classroom", "Not started", "", ""),
)


_TRANSCRIPT_CUT_ROW = 14


def _transcript() -> tuple[bytes, dict[str, Any]]:
    buf = io.BytesIO()
    c = _canvas(buf)
    width, height = A4
    size, wrap_pitch, row_pitch = 9, 11, 26
    title_width = _TRANSCRIPT_X[1] - _TRANSCRIPT_X[0] - 14
    locators: dict[str, str] = {}

    def head() -> float:
        c.setFont(BOLD, 13)
        c.drawString(40, height - 50, "Northgate Learning – Learner transcript")
        c.setFont(FONT, size)
        c.drawString(40, height - 72, f"Learner: {TRANSCRIPT_LEARNER}")
        c.drawString(220, height - 72, "E-mail: t.nowak@northgate-trustees.example")
        c.setFont(BOLD, size)
        for x, label in zip(_TRANSCRIPT_X, ("Course title", "Delivery", "Status", "Completion date", "Hours")):
            if label == "Hours":
                c.drawRightString(x + 14, height - 102, label)
            else:
                c.drawString(x, height - 102, label)
        c.setFont(FONT, size)
        return height - 102 - row_pitch

    def foot(page: int) -> None:
        c.setFont(FONT, 7)
        c.drawString(40, 36, f"Printed 20/01/2026 10:42 by {TRANSCRIPT_LEARNER} – Page {page} of 2")

    y, page, row_number, cut = head(), 1, 1, -1
    for index, row in enumerate(_TRANSCRIPT_ROWS):
        title_lines = simpleSplit(row[0], FONT, size, title_width)
        low = index == _TRANSCRIPT_CUT_ROW  # this row's wrapped title is cut by the page break
        if y - (len(title_lines) - 1) * wrap_pitch < 60:  # no room: the row starts overleaf
            foot(page)
            c.showPage()
            page += 1
            y = head()
        row_number += 1
        locators[row[0]] = f"page={page};table=1;row={row_number}"
        c.drawString(_TRANSCRIPT_X[0], y, title_lines[0])
        for x, value in zip(_TRANSCRIPT_X[1:4], row[1:4]):
            c.drawString(x, y, value)
        if row[4]:
            c.drawRightString(_TRANSCRIPT_X[4] + 14, y, row[4])
        for k, extra in enumerate(title_lines[1:], start=1):
            if low and cut < 0:
                cut = index
                foot(page)
                c.showPage()
                page += 1
                y = head() + row_pitch - wrap_pitch
            y -= wrap_pitch
            c.setFont(FONT, size)
            c.drawString(_TRANSCRIPT_X[0], y, extra)
        y -= row_pitch
    foot(page)
    c.showPage()
    c.save()
    assert page == 2 and cut >= 0, (page, cut)
    titles = [row[0] for row in _TRANSCRIPT_ROWS]
    expected = {
        "error": None,
        "layout": "table",
        "tables": [{
            "header": ["Course title", "Delivery", "Status", "Completion date", "Hours"],
            "title_column": 0,
            "titles": titles,
            "row_cells": {row[0]: list(row) for row in (_TRANSCRIPT_ROWS[4], _TRANSCRIPT_ROWS[cut])},
            "context_contains": [f"Learner: {TRANSCRIPT_LEARNER}"],
            "locators": {t: locators[t] for t in (titles[0], titles[cut], titles[cut + 1], titles[-1])},
        }],
        "records": [],
    }
    return buf.getvalue(), expected


# --- 3. certificates --------------------------------------------------------------------------

CERT_COMPLETION = (
    ("Fernhill Academy", 16, BOLD),
    ("2 Quarry Lane, Harrogate HG1 2XX · fernhill-academy.example", 8, FONT),
    ("Certificate of Completion", 24, BOLD),
    ("This is to certify that", 12, FONT),
    ("Olivia Bennett", 18, BOLD),
    ("has successfully completed the online course", 12, FONT),
    ("Trust Registration Service in practice", 14, BOLD),
    ("delivered by Fernhill Academy on 4 June 2025.", 12, FONT),
    ("This course qualifies for 2 hours of structured CPD.", 12, FONT),
)
CERT_COMPLETION_FOOT = ("Certificate no. FA-2025-11842", "Date of issue: 6 June 2025")
CERT_ATTENDANCE = (
    ("LARKSPUR TRAINING", 16, BOLD),
    ("Certificate of Attendance", 26, BOLD),
    ("Larkspur Training certifies that", 12, FONT),
    ("Siobhán O'Connell", 20, BOLD),
    ("attended the webinar", 12, FONT),
    ("Vulnerable beneficiaries and mental capacity", 15, BOLD),
    ("held online on 17th September 2025", 12, FONT),
)
CERT_ATTENDANCE_FOOT = "Duration: 90 minutes     CPD: 1.5 hours"


def _certificate(lines: Sequence[tuple[str, int, str]], pagesize: tuple[float, float], foot: Sequence[str],
                 **kwargs: Any) -> bytes:
    buf = io.BytesIO()
    c = _canvas(buf, pagesize, **kwargs)
    width, height = pagesize
    c.rect(20, 20, width - 40, height - 40)
    y = height - 80
    for text, size, font in lines:
        c.setFont(font, size)
        c.drawCentredString(width / 2, y, text)
        y -= size * 2.2
    c.setFont(FONT, 10)
    for k, text in enumerate(foot):
        c.drawString(60, 90 - 14 * k, text)
    c.drawString(width - 260, 90, "Signed: Head of Learning")
    c.showPage()
    c.save()
    return buf.getvalue()


def _certificates() -> dict[str, tuple[bytes, dict[str, Any]]]:
    completion = _certificate(CERT_COMPLETION, A4, CERT_COMPLETION_FOOT)
    attendance = _certificate(CERT_ATTENDANCE, landscape(A4), (CERT_ATTENDANCE_FOOT, "Date of issue: 18th September 2025"))
    return {
        "certificate-completion": (completion, {
            "error": None, "layout": "text", "tables": [],
            "lines": [t for t, _, _ in CERT_COMPLETION] + list(CERT_COMPLETION_FOOT),
            "records": [{"locator": "page=1", "fields": {
                "title": "Trust Registration Service in practice", "learner": "Olivia Bennett",
                "provider": "Fernhill Academy", "completed_on": "4 June 2025", "cpd_hours": "2",
                "reference": "FA-2025-11842", "activity_type": "online course", "verifiable": "structured",
            }}],
        }),
        "certificate-attendance-landscape": (attendance, {
            "error": None, "layout": "text", "tables": [],
            "lines": [t for t, _, _ in CERT_ATTENDANCE] + ["Duration: 90 minutes", "CPD: 1.5 hours",
                                                        "Date of issue: 18th September 2025"],
            "records": [{"locator": "page=1", "fields": {
                "title": "Vulnerable beneficiaries and mental capacity", "learner": "Siobhán O'Connell",
                "provider": "Larkspur Training", "completed_on": "17th September 2025", "cpd_hours": "1.5",
                "duration": "90 minutes", "activity_type": "webinar",
            }}],
        }),
    }


# --- 4. a CPD plan in prose: neither a table nor a certificate ----------------------------------

PLAN_LINES = (
    "Personal development plan 2026 – Daniel Okafor",
    "This year I intend to attend the Calder Law Seminars conference on cross-border estates in May 2026.",
    "I will complete the Fernhill Academy course on trust accounts by 30 September 2026.",
    "Objective: be able to explain the residence nil-rate band to clients without notes.",
    "Nothing has been completed against this plan yet.",
)


def _plan() -> tuple[bytes, dict[str, Any]]:
    buf = io.BytesIO()
    c = _canvas(buf)
    width, height = A4
    y = height - 60
    for k, text in enumerate(PLAN_LINES):
        c.setFont(BOLD if k == 0 else FONT, 13 if k == 0 else 10)
        for part in simpleSplit(text, FONT, 10, width - 100):
            c.drawString(50, y, part)
            y -= 16
        y -= 6
    c.showPage()
    c.save()
    return buf.getvalue(), {"error": None, "layout": "text", "tables": [], "records": [], "lines": list(PLAN_LINES)}


# --- 5. bad input -----------------------------------------------------------------------------

def _encrypted() -> bytes:
    encryption = StandardEncryption("member-password", ownerPassword="owner-password", canPrint=1, strength=128)
    return _certificate(CERT_COMPLETION, A4, CERT_COMPLETION_FOOT, encrypt=encryption)


def _scanned() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("L", (620, 877), 255)
    draw = ImageDraw.Draw(image)
    for row in range(40):  # strokes where text would be: an image of a page, no text layer
        y = 60 + row * 19
        draw.rectangle((50, y, 50 + 180 + (row * 37) % 330, y + 7), fill=40)
    buf = io.BytesIO()
    c = _canvas(buf)
    c.drawImage(ImageReader(image), 0, 0, width=A4[0], height=A4[1])
    c.showPage()
    c.save()
    return buf.getvalue()


def build() -> dict[str, tuple[bytes, dict[str, Any]]]:
    statement, statement_expected = _statement()
    samples = {
        "ruled-statement-multipage": (statement, statement_expected),
        "text-columns-transcript-two-pages": _transcript(),
        **_certificates(),
        "cpd-plan-prose": _plan(),
        "encrypted": (_encrypted(), {"error": {"type": "UnreadableFile", "code": "encrypted"}}),
        "scanned-image-only": (_scanned(), {"error": {"type": "UnreadableFile", "code": "no_text_layer"}}),
        "truncated": (statement[: len(statement) // 2], {"error": {"type": "UnreadableFile", "code": "corrupt"}}),
    }
    return samples


def main(argv: Sequence[str]) -> int:
    check = "--check" in argv
    OUT.mkdir(parents=True, exist_ok=True)
    stale = []
    for name, (data, expected) in build().items():
        pdf, exp = OUT / f"{name}.pdf", OUT / f"{name}.expected.json"
        text = json.dumps({"file": pdf.name, **expected}, indent=2, ensure_ascii=False) + "\n"
        if check:
            if not pdf.exists() or pdf.read_bytes() != data or exp.read_text(encoding="utf-8") != text:
                stale.append(name)
            continue
        pdf.write_bytes(data)
        exp.write_text(text, encoding="utf-8")
    if stale:
        print("stale samples:", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
