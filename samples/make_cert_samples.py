"""Writes the certificate samples in samples/certificates/ and, beside each, <name>.expected.json.

    python samples/make_cert_samples.py          # (re)write every sample
    python samples/make_cert_samples.py --check  # exit 1 if a sample on disk differs from a fresh one

Each sample imitates the layout and wording of one kind of real certificate generator (large MOOC platforms,
corporate e-learning libraries, coding-skills platforms, professional bodies' webinars, NASBA CPE sponsors,
webinar and event tools, open-badge platforms, LMS certificate plugins, conferences, French / German / Spanish
training bodies) and a few certificates that record no learning (appreciation, service, invitation,
registration). The expected file holds what a person reads on the certificate, in the gold form of
../shared/corpus/GOLD-FORMAT.md: a key left out is not checked; a key given as null must come out null.

Deterministic: reportlab's invariant mode, python-docx with fixed properties and zip dates. Every person,
organisation, number and address is invented; web addresses use .example.
"""
from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.pdfgen.canvas import Canvas

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_cert_docx import DOCX_SAMPLES  # noqa: E402

OUT = Path(__file__).resolve().parent / "certificates"
Activity = dict[str, Any]


@dataclass
class Sample:
    name: str
    style: str                       # the kind of generator it imitates
    make: Callable[[], bytes]
    activities: list[Activity]
    warnings: list[str] = field(default_factory=list)   # warning codes every activity carries


class Page:
    """A certificate page drawn top-down: `centre` writes a line and moves down; `at` writes anywhere."""

    def __init__(self, size: tuple[float, float] = landscape(A4)) -> None:
        self.buf = io.BytesIO()
        self.canvas = Canvas(self.buf, pagesize=size, invariant=1, pageCompression=0)
        self.width, self.height = size
        self.y = 70.0                # from the top

    def gap(self, points: float) -> Page:
        self.y += points
        return self

    def centre(self, text: str, size: float, font: str = "Helvetica", after: float = 1.7, x: float | None = None,
               space: float = 0.0, overprint: int = 1) -> Page:
        self.y += size
        for n in range(overprint):
            text_object = self.canvas.beginText()
            text_object.setFont(font, size)
            text_object.setCharSpace(space)
            width = self.canvas.stringWidth(text, font, size) + space * max(len(text) - 1, 0)
            left = (x if x is not None else self.width / 2) - width / 2
            text_object.setTextOrigin(left + 0.25 * n, self.height - self.y)
            text_object.textLine(text)
            self.canvas.drawText(text_object)
        self.y += size * (after - 1.0)
        return self

    def at(self, x: float, top: float, text: str, size: float, font: str = "Helvetica", align: str = "left") -> Page:
        c = self.canvas
        c.setFont(font, size)
        y = self.height - top - size
        {"left": c.drawString, "centre": c.drawCentredString, "right": c.drawRightString}[align](x, y, text)
        return self

    def rule(self, x0: float, x1: float, top: float) -> Page:
        self.canvas.line(x0, self.height - top, x1, self.height - top)
        return self

    def border(self) -> Page:
        self.canvas.setLineWidth(3)
        self.canvas.rect(24, 24, self.width - 48, self.height - 48)
        self.canvas.setLineWidth(1)
        return self

    def save(self) -> bytes:
        self.canvas.showPage()
        self.canvas.save()
        return self.buf.getvalue()


# --- 1. large MOOC platforms ----------------------------------------------------------------------

def mooc_course() -> bytes:
    p = Page()
    p.at(60, 60, "Jun 3, 2025", 12)
    p.at(p.width - 60, 60, "COURSE CERTIFICATE", 11, "Helvetica-Bold", "right")
    p.gap(90).centre("Priya Raman", 30, "Times-Roman", after=1.4)
    p.centre("has successfully completed", 13, after=1.6)
    p.centre("Foundations of Fiduciary Investing", 24, "Helvetica-Bold", after=1.6)
    p.centre("an online non-credit course authorized by Halden University and offered through Courseway", 11)
    p.at(120, 430, "Dr. Tomas Eriksen", 11, "Times-Italic").at(120, 446, "Professor of Finance", 9)
    p.at(120, 458, "Halden University", 9)
    p.at(p.width - 60, 520, "Verify at: https://courseway.example/verify/QX7RT2LM9KPA", 9, align="right")
    p.at(60, 540, "Courseway has confirmed the identity of this individual and their participation in the course.", 8)
    return p.save()


def mooc_specialization() -> bytes:
    p = Page()
    p.at(60, 60, "September 14, 2025", 12)
    p.at(p.width - 60, 60, "SPECIALIZATION CERTIFICATE", 11, "Helvetica-Bold", "right")
    p.gap(80).centre("Daniel Okafor", 30, "Times-Roman", after=1.4)
    p.centre("has successfully completed the online, non-credit Specialization", 13, after=1.6)
    p.centre("Trust and Estate Data Analysis", 24, "Helvetica-Bold", after=1.8)
    p.centre("Those who earn the Specialization have completed a series of rigorous courses:", 10, after=1.5)
    for course in ("1. Spreadsheets for Estate Accounts", "2. Probability for Actuarial Estimates",
                   "3. Reporting to Beneficiaries with Dashboards", "4. Capstone: A Family Trust Review"):
        p.centre(course, 10, after=1.4)
    p.at(p.width - 60, 520, "Verify this certificate at: courseway.example/verify/specialization/8HUM2WDEL3Z4", 9,
         align="right")
    return p.save()


def mooc_verified() -> bytes:
    p = Page(landscape(LETTER))
    p.at(60, 50, "OpenCampusX", 20, "Helvetica-Bold")
    p.at(p.width - 60, 50, "VERIFIED CERTIFICATE of Achievement", 12, "Helvetica", "right")
    p.gap(70).centre("This is to certify that", 12, "Helvetica", after=1.6)
    p.centre("Lucía Fernández", 28, "Times-Bold", after=1.5)
    p.centre("successfully completed and received a passing grade in", 12, after=1.6)
    p.centre("PHIL101x: Ethics for Professionals", 20, "Helvetica-Bold", after=1.6)
    p.centre("a course of study offered by NorthbridgeX, an online learning initiative of Northbridge University",
             10, after=1.4)
    p.centre("through OpenCampusX.", 10, after=1.4)
    p.at(60, 500, "Issued October 2, 2025", 10)
    p.at(60, 514, "Valid Certificate ID 7c1e0b4a2f9d4e6a8b3c5d7e9f1a2b3c", 9)
    p.at(60, 528, "https://courses.opencampusx.example/certificates/7c1e0b4a2f9d4e6a8b3c5d7e9f1a2b3c", 9)
    return p.save()


# --- 2. corporate e-learning libraries -------------------------------------------------------------

def elearning_library() -> bytes:
    p = Page(landscape(LETTER))
    p.at(60, 50, "SkillShelf Learning", 14, "Helvetica-Bold")
    p.gap(60).centre("Certificate of Completion", 22, "Helvetica", after=1.6)
    p.centre("Congratulations, Aisha Rahman", 16, "Helvetica", after=2.0)
    p.centre("Excel: Pivot Tables for Trust Accounts", 26, "Helvetica-Bold", after=1.8)
    p.centre("Course completed by Aisha Rahman", 11, after=1.4)
    p.centre("Completed June 3, 2025 at 10:45AM UTC", 11, after=1.4)
    p.centre("1 hour 25 minutes", 11, after=2.0)
    p.centre("Top skills covered", 9, "Helvetica-Bold", after=1.4)
    p.centre("Microsoft Excel  ·  Data Analysis", 9, after=1.4)
    p.at(60, 560, "Certificate ID: AbX9qLm2TzR8uVw4", 8)
    p.at(p.width - 60, 560, "Head of Content Strategy, SkillShelf Learning", 8, align="right")
    return p.save()


def elearning_marketplace() -> bytes:
    p = Page()
    p.at(p.width - 50, 40, "Certificate no: UC-4f6d2c1a-9b8e-4d7f-a1c2-3e4f5a6b7c8d", 8, align="right")
    p.at(p.width - 50, 52, "Certificate url: lrn.example/UC-4f6d2c1a-9b8e-4d7f-a1c2-3e4f5a6b7c8d", 8, align="right")
    p.at(p.width - 50, 64, "Reference Number: 0004", 8, align="right")
    p.at(60, 150, "CERTIFICATE OF COMPLETION", 11, "Helvetica")
    p.at(60, 180, "The Complete Private Client Tax Bootcamp 2025", 28, "Helvetica-Bold")
    p.at(60, 230, "Instructors  Marguerite Olsen, Ivo Petrov", 12)
    p.at(60, 360, "Grace Mwangi", 30, "Helvetica-Bold")
    p.at(60, 410, "Date  Aug. 21, 2025", 12)
    p.at(60, 428, "Length  6.5 total hours", 12)
    return p.save()


# --- 3. coding-skills platforms -------------------------------------------------------------------

def coding_statement() -> bytes:
    p = Page()
    p.at(60, 60, "CODEFORGE", 16, "Courier-Bold")
    p.gap(60).centre("Statement of Accomplishment", 20, "Helvetica", after=2.0)
    p.centre("Oliver Brandt", 30, "Helvetica-Bold", after=1.5)
    p.centre("has successfully completed", 12, after=1.5)
    p.centre("Introduction to Python for Finance", 22, "Helvetica-Bold", after=1.8)
    p.centre("4 hours", 12, after=1.4)
    p.centre("Feb 11, 2025", 12, after=2.0)
    p.at(60, 540, "#3e1f9a7c0b5d2e8f4a6c1b9d7e0f2a4c6b8d0e2f", 8, "Courier")
    return p.save()


def coding_certification() -> bytes:
    p = Page()
    p.border()
    p.gap(40).centre("freeLearn.example", 14, "Courier", after=2.2)
    p.centre("This certifies that", 12, "Times-Roman", after=1.5)
    p.centre("Samuel Achebe", 30, "Times-Bold", after=1.5)
    p.centre("has successfully completed the freeLearn.example", 12, "Times-Roman", after=1.5)
    p.centre("Responsive Web Design", 24, "Times-Bold", after=1.5)
    p.centre("Developer Certification, representing approximately 300 hours of work", 12, "Times-Roman", after=2.0)
    p.centre("Issued March 12, 2025", 11, "Times-Roman", after=2.0)
    p.centre("Verify this certification at https://freelearn.example/certification/sachebe/responsive-web-design", 9)
    return p.save()


def coding_path() -> bytes:
    p = Page(A4)
    p.gap(60).centre("SKILLTRACK", 14, "Helvetica-Bold", after=2.5)
    p.centre("CERTIFICATE OF COMPLETION", 12, "Helvetica", after=2.5, space=2)
    p.centre("Mei Lin Chow", 26, "Helvetica-Bold", after=1.6)
    p.centre("completed the path", 12, after=1.6)
    p.centre("SQL Fundamentals for Estate Data", 20, "Helvetica-Bold", after=2.2)
    p.at(120, 420, "COMPLETED ON", 8, "Helvetica-Bold", "centre").at(120, 434, "15 January 2025", 11, "Helvetica", "centre")
    p.at(p.width / 2, 420, "LENGTH", 8, "Helvetica-Bold", "centre").at(p.width / 2, 434, "12 hours", 11, "Helvetica",
                                                                       "centre")
    p.at(p.width - 120, 420, "CERTIFICATE ID", 8, "Helvetica-Bold", "centre")
    p.at(p.width - 120, 434, "ST-8F2K-19QZ", 11, "Helvetica", "centre")
    return p.save()


# --- 4. professional bodies' webinar certificates --------------------------------------------------

def body_webinar() -> bytes:
    p = Page(A4)
    p.at(60, 50, "The Institute of Fiduciary Practitioners", 13, "Times-Bold")
    p.at(60, 66, "12 Chancery Row, London EC4A 1AB  ·  ifp.example", 8)
    p.gap(100).centre("CPD Certificate", 26, "Times-Bold", after=2.0)
    p.centre("This is to confirm that", 12, "Times-Roman", after=1.6)
    p.centre("Eleanor Whitfield", 22, "Times-Bold", after=1.6)
    p.centre("attended the live webinar", 12, "Times-Roman", after=1.6)
    p.centre("Safeguarding Vulnerable Beneficiaries", 17, "Times-Bold", after=1.6)
    p.centre("on 17 September 2025", 12, "Times-Roman", after=2.0)
    p.centre("This webinar counts for 1.5 hours of verifiable CPD.", 11, "Times-Roman", after=3.0)
    p.at(60, 700, "Certificate reference: IFP-W-2025-0917-1184", 9)
    p.at(p.width - 60, 700, "Director of Professional Standards", 9, align="right")
    return p.save()


def body_labelled() -> bytes:
    p = Page(A4)
    p.at(60, 50, "Association of Estate Planning Advisers", 14, "Helvetica-Bold")
    p.gap(80).centre("Record of Attendance", 22, "Helvetica-Bold", after=2.5)
    rows = (("Member:", "Hamid Qureshi"), ("Membership no:", "AEPA-20931"),
            ("Event:", "Lasting Powers of Attorney: Practice Update"), ("Format:", "Live online"),
            ("Date:", "05/11/2025"), ("CPD hours:", "2.0 (structured)"))
    for n, (label, value) in enumerate(rows):
        p.at(90, 220 + n * 26, label, 11, "Helvetica-Bold").at(220, 220 + n * 26, value, 11)
    p.at(90, 420, "Signed on behalf of the Association", 9).at(90, 434, "Head of Education", 9)
    return p.save()


# --- 5. NASBA CPE certificates -------------------------------------------------------------------

def _nasba(learner: str, course: str, field_of_study: str, credits: str, method: str, completed: str,
           sponsor: str) -> bytes:
    p = Page(landscape(LETTER))
    p.gap(20).centre(sponsor, 16, "Times-Bold", after=2.0)
    p.centre("Certificate of Completion", 26, "Times-Bold", after=1.8)
    p.centre("This certifies that", 12, "Times-Roman", after=1.5)
    p.centre(learner, 24, "Times-Italic", after=1.5)
    p.centre("has successfully completed", 12, "Times-Roman", after=1.5)
    p.centre(course, 18, "Times-Bold", after=2.2)
    p.at(110, 370, f"Field of Study: {field_of_study}", 11, "Times-Roman")
    p.at(p.width - 330, 370, f"CPE Credits: {credits}", 11, "Times-Roman")
    p.at(110, 390, f"Delivery Method: {method}", 11, "Times-Roman")
    p.at(p.width - 330, 390, f"Date Completed: {completed}", 11, "Times-Roman")
    p.at(110, 410, f"Sponsor: {sponsor}", 11, "Times-Roman")
    p.at(p.width - 330, 410, "NASBA Sponsor #: 139842", 11, "Times-Roman")
    p.at(110, 500, "Program Director", 9, "Times-Roman")
    p.at(110, 530, "In accordance with the standards of the National Registry of CPE Sponsors, CPE credits have "
         "been granted based on a 50-minute hour.", 7, "Times-Roman")
    return p.save()


def nasba_self_study() -> bytes:
    return _nasba("Rebecca Thornton", "Revenue Recognition Update 2025", "Accounting", "2.0", "QAS Self Study",
                  "06/03/2025", "Beacon CPE Partners LLC")


def nasba_webinar() -> bytes:
    return _nasba("Marcus Delgado", "Trust Taxation: Form 1041 Deep Dive", "Taxes", "3.5",
                  "Group Internet Based", "October 21, 2025", "Lakeshore Tax Academy Inc")


# --- 6. webinar and event tools ----------------------------------------------------------------------

def webinar_tool_attendance() -> bytes:
    p = Page()
    p.border()
    p.gap(50).centre("Certificate of Attendance", 28, "Helvetica-Bold", after=2.0)
    p.centre("This certificate is presented to", 12, after=1.6)
    p.centre("Chloé Martin", 26, "Helvetica", after=1.6)
    p.centre("for participating in", 12, after=1.6)
    p.centre("Cross-Border Estates After Brexit", 20, "Helvetica-Bold", after=1.6)
    p.centre("held on June 3, 2025", 12, after=1.4)
    p.centre("Duration: 60 minutes", 12, after=2.0)
    p.centre("Hosted by Meridian Private Client Forum", 11, after=1.4)
    return p.save()


def webinar_tool_numeric_date() -> bytes:
    p = Page(LETTER)
    p.at(60, 50, "Webinar Certificate", 20, "Helvetica-Bold")
    p.gap(110).centre("Certificate of Attendance", 24, "Helvetica", after=2.0)
    p.centre("Jordan Ellis", 24, "Helvetica-Bold", after=1.6)
    p.centre("attended the webinar", 12, after=1.6)
    p.centre("Retirement Accounts in Estate Plans", 18, "Helvetica-Bold", after=2.0)
    p.at(90, 420, "Webinar ID: 812-449-317", 10)
    p.at(90, 436, "Date: 06/03/2025", 10)
    p.at(90, 452, "Time in session: 58 minutes", 10)
    p.at(90, 468, "Organizer: Pinecrest Wealth Education", 10)
    return p.save()


def event_platform_ticketed() -> bytes:
    p = Page()
    p.gap(40).centre("CERTIFICATE OF PARTICIPATION", 22, "Helvetica-Bold", after=2.2, space=1.5)
    p.centre("We hereby certify that", 12, "Helvetica-Oblique", after=1.5)
    p.centre("Tomasz Nowak", 26, "Helvetica-Bold", after=1.5)
    p.centre("took part in the workshop", 12, after=1.5)
    p.centre("“Drafting Letters of Wishes That Work”", 18, "Helvetica-Bold", after=1.5)
    p.centre("organised by Harbourside Legal Events on 9 April 2025 in Bristol.", 12, after=2.0)
    p.centre("Total learning time: 3 hours", 11, after=1.4)
    return p.save()


# --- 7. open-badge platforms (a printed badge) -------------------------------------------------------

def badge_printed() -> bytes:
    p = Page(A4)
    p.at(60, 50, "credverse", 16, "Helvetica-Bold")
    p.gap(120).centre("Certified Trust Administrator – Associate", 22, "Helvetica-Bold", after=2.5)
    p.centre("ISSUED TO", 9, "Helvetica-Bold", after=1.6, space=1)
    p.centre("Nadia Haddad", 20, "Helvetica", after=2.5)
    p.at(170, 330, "DATE ISSUED", 9, "Helvetica-Bold", "centre").at(170, 346, "Mar 3, 2025", 12, "Helvetica", "centre")
    p.at(p.width - 170, 330, "EXPIRES", 9, "Helvetica-Bold", "centre")
    p.at(p.width - 170, 346, "Mar 3, 2028", 12, "Helvetica", "centre")
    p.at(60, 440, "Issued by Guild of Trust Administrators", 10)
    p.at(60, 456, "Verify: https://www.credverse.example/badges/5e8a2c9d-1f4b-47a0-9c3e-6b7d8e9f0a1b", 8)
    return p.save()


# --- 8. LMS certificate plugins ------------------------------------------------------------------------

def lms_custom_certificate() -> bytes:
    p = Page(A4)
    p.border()
    p.gap(60).centre("Certificate", 36, "Times-Bold", after=2.0)
    p.centre("This is to certify that", 13, "Times-Roman", after=1.6)
    p.centre("Ingrid Solberg", 24, "Times-Italic", after=1.6)
    p.centre("has completed the course", 13, "Times-Roman", after=1.6)
    p.centre("Trust Law Essentials for Administrators", 18, "Times-Bold", after=2.5)
    p.at(80, 640, "Grade: 85.00 %", 10, "Times-Roman")
    p.at(80, 656, "Date: 14 July 2025", 10, "Times-Roman")
    p.at(80, 672, "Code: kJ7wQ2pX9z", 10, "Times-Roman")
    p.at(p.width - 80, 656, "Greystone Academy LMS", 10, "Times-Roman", "right")
    return p.save()


def lms_cloud() -> bytes:
    p = Page()
    p.at(60, 50, "Brightpath Compliance Training", 14, "Helvetica-Bold")
    p.gap(70).centre("CERTIFICATE OF COMPLETION", 24, "Helvetica-Bold", after=2.2)
    p.centre("Kwame Mensah", 26, "Helvetica", after=1.6)
    p.centre("has successfully completed the course", 12, after=1.6)
    p.centre("Anti-Money Laundering 2025 Refresher", 20, "Helvetica-Bold", after=2.4)
    p.at(120, 440, "Completion date: 12/05/2025", 10)
    p.at(120, 456, "Expiration date: 12/05/2026", 10)
    p.at(p.width - 120, 440, "Certificate ID: 9f86d081884c7d65", 10, align="right")
    return p.save()


def lms_record_pass() -> bytes:
    p = Page(A4)
    p.gap(40).centre("Totteridge Group Learning", 12, "Helvetica", after=3.0)
    p.centre("Certificate", 30, "Helvetica-Bold", after=2.0)
    p.centre("This certifies that", 12, after=1.5)
    p.centre("Beatrice Olumide", 22, "Helvetica-Bold", after=1.5)
    p.centre("has completed", 12, after=1.5)
    p.centre("Data Protection for Client Files", 18, "Helvetica-Bold", after=1.5)
    p.centre("with a grade of Pass", 12, after=2.0)
    p.centre("Completion date: 28 February 2025", 11, after=1.5)
    return p.save()


# --- 9. conferences (several days) --------------------------------------------------------------------

def conference_three_days() -> bytes:
    p = Page()
    p.gap(30).centre("Northern Private Client Conference 2025", 16, "Times-Bold", after=2.0)
    p.centre("Certificate of Attendance", 28, "Times-Bold", after=1.8)
    p.centre("This is to certify that", 12, "Times-Roman", after=1.5)
    p.centre("Fiona MacLeod", 24, "Times-Italic", after=1.5)
    p.centre("attended the 12th Annual Northern Private Client Conference", 13, "Times-Roman", after=1.4)
    p.centre("held on 1–3 October 2025 in Edinburgh", 13, "Times-Roman", after=1.4)
    p.centre("and is entitled to claim 15 CPD hours.", 13, "Times-Roman", after=2.0)
    p.at(p.width - 80, 520, "Conference Chair", 10, "Times-Roman", "right")
    return p.save()


def conference_month_first_range() -> bytes:
    p = Page(landscape(LETTER))
    p.gap(30).centre("ESTATE PLANNING SUMMIT", 20, "Helvetica-Bold", after=1.6, space=3)
    p.centre("Certificate of Attendance", 24, "Helvetica", after=2.0)
    p.centre("Presented to", 11, after=1.4)
    p.centre("Raymond Castillo", 24, "Helvetica-Bold", after=1.6)
    p.centre("for attending the", 11, after=1.4)
    p.centre("Estate Planning Summit 2025", 18, "Helvetica-Bold", after=1.5)
    p.centre("October 14-16, 2025 · Chicago, Illinois", 12, after=1.8)
    p.centre("CLE credits earned: 12.5", 11, after=1.4)
    return p.save()


# --- 10. French, German and Spanish training bodies --------------------------------------------------

def french_attestation() -> bytes:
    p = Page(A4)
    p.at(60, 50, "Institut Rhône Patrimoine", 14, "Helvetica-Bold")
    p.at(60, 66, "Organisme de formation n° 84 69 12345 69", 8)
    p.gap(110).centre("ATTESTATION DE FORMATION", 22, "Helvetica-Bold", after=2.5)
    p.centre("L'Institut Rhône Patrimoine atteste que", 12, after=1.6)
    p.centre("Madame Claire Dubois", 20, "Helvetica-Bold", after=1.6)
    p.centre("a suivi la formation", 12, after=1.6)
    p.centre("« Successions internationales : le règlement européen »", 15, "Helvetica-Bold", after=1.6)
    p.centre("d'une durée de 7 heures, le 3 juin 2025 à Lyon.", 12, after=3.0)
    p.at(p.width - 80, 600, "Fait à Lyon, le 5 juin 2025", 10, align="right")
    p.at(p.width - 80, 616, "La directrice", 10, align="right")
    return p.save()


def german_confirmation() -> bytes:
    p = Page(A4)
    p.at(60, 50, "Akademie für Steuerrecht und Nachfolge GmbH", 12, "Helvetica-Bold")
    p.gap(110).centre("TEILNAHMEBESTÄTIGUNG", 24, "Helvetica-Bold", after=2.5)
    p.centre("Frau Erika Mustermann", 20, "Helvetica-Bold", after=1.6)
    p.centre("hat erfolgreich teilgenommen an", 12, after=1.6)
    p.centre("Grundlagen des Erbrechts und der Testamentsgestaltung", 15, "Helvetica-Bold", after=1.6)
    p.centre("am 3. Juni 2025 in München", 12, after=2.0)
    p.at(90, 520, "Umfang: 6 Stunden", 11)
    p.at(90, 536, "Veranstalter: Akademie für Steuerrecht und Nachfolge GmbH", 11)
    p.at(p.width - 80, 640, "München, 4. Juni 2025", 10, align="right")
    p.at(p.width - 80, 656, "Leiterin Weiterbildung", 10, align="right")
    return p.save()


def spanish_certificate() -> bytes:
    p = Page()
    p.gap(30).centre("Instituto Ibérico de Planificación Patrimonial", 14, "Times-Bold", after=2.0)
    p.centre("CERTIFICADO DE FINALIZACIÓN", 24, "Times-Bold", after=2.0)
    p.centre("Se certifica que", 12, "Times-Roman", after=1.5)
    p.centre("Juan Pérez García", 24, "Times-Italic", after=1.5)
    p.centre("ha completado el curso", 12, "Times-Roman", after=1.5)
    p.centre("Gestión patrimonial y fideicomisos", 18, "Times-Bold", after=1.5)
    p.centre("con una duración de 20 horas", 12, "Times-Roman", after=2.0)
    p.at(p.width - 80, 500, "Madrid, 3 de junio de 2025", 11, "Times-Roman", "right")
    p.at(p.width - 80, 516, "Directora Académica", 10, "Times-Roman", "right")
    return p.save()


# --- 11. certificates that record no learning -----------------------------------------------------------

def appreciation() -> bytes:
    p = Page()
    p.border()
    p.gap(60).centre("Certificate of Appreciation", 30, "Times-Bold", after=2.0)
    p.centre("is proudly presented to", 12, "Times-Roman", after=1.5)
    p.centre("Ruth Abernethy", 26, "Times-Italic", after=1.5)
    p.centre("in appreciation of her outstanding contribution as a speaker at", 12, "Times-Roman", after=1.5)
    p.centre("the Spring Trusts Seminar, 14 March 2025", 12, "Times-Roman", after=2.0)
    p.at(p.width - 80, 500, "Chair of the Board", 10, "Times-Roman", "right")
    return p.save()


def service_award() -> bytes:
    p = Page()
    p.gap(60).centre("LONG SERVICE AWARD", 28, "Helvetica-Bold", after=2.0, space=2)
    p.centre("Awarded to", 12, after=1.5)
    p.centre("Gareth Llewellyn", 26, "Helvetica", after=1.5)
    p.centre("in recognition of 25 years of service to Pendle & Rowe LLP", 12, after=1.5)
    p.centre("1 May 2025", 12, after=1.5)
    return p.save()


def invitation() -> bytes:
    p = Page(A4)
    p.gap(60).centre("Invitation", 30, "Times-Bold", after=2.0)
    p.centre("Dear Ms Harper,", 12, "Times-Roman", after=1.5)
    p.centre("You are invited to attend the webinar", 12, "Times-Roman", after=1.5)
    p.centre("Charitable Trusts: Governance in 2026", 18, "Times-Bold", after=1.5)
    p.centre("which will take place on 12 February 2026 at 2 pm.", 12, "Times-Roman", after=1.5)
    p.centre("Duration: 90 minutes. This session counts for 1.5 CPD hours.", 12, "Times-Roman", after=1.5)
    return p.save()


def registration() -> bytes:
    p = Page(A4)
    p.at(60, 50, "Eventsphere", 18, "Helvetica-Bold")
    p.gap(80).centre("Registration Confirmation", 24, "Helvetica-Bold", after=2.0)
    p.centre("Thank you for registering, Owen Price!", 13, after=1.6)
    p.centre("Event: Probate Practice Update 2026", 13, after=1.6)
    p.centre("Date: 18 March 2026, 10:00 – 12:00 GMT", 13, after=1.6)
    p.centre("Order #: 4489-2201-7734", 11, after=1.6)
    return p.save()


# --- 12. what real PDFs do to text: layers, overprint, spaced letters; several certificates per page ---

def layered_overprint() -> bytes:
    p = Page()
    for layer in range(2):      # the whole text drawn twice, as a PDF with a text layer over its own copy
        p.y = 60.0
        p.centre("C E R T I F I C A T E   O F   C O M P L E T I O N", 20, "Helvetica-Bold", after=2.2)
        p.centre("Harrowgate Compliance Academy", 14, after=2.0, overprint=3)
        p.centre("This certifies that", 12, after=1.5)
        p.centre("Lena Hoffmann", 26, "Helvetica-Bold", after=1.5, overprint=2)
        p.centre("has been awarded this certificate for successfully completing", 12, after=1.5)
        p.centre("Sanctions Screening in Practice", 20, "Helvetica-Bold", after=1.6, overprint=2)
        p.centre("Date of completion: 22 August 2025", 12, after=1.4)
        p.centre("Valid through: 22 August 2027", 12, after=1.4)
    return p.save()


def tiled_four() -> bytes:
    p = Page(landscape(A4))
    people = (("Ahmed Farouk", 0, 0), ("Bianca Rossi", 1, 0), ("Callum Reid", 0, 1), ("Dana Kowalski", 1, 1))
    for name, col, row in people:
        x = p.width * (0.25 + 0.5 * col)
        p.y = 40.0 + row * p.height / 2
        p.centre("Certificate of attendance", 18, "Times-Bold", x=x, after=1.6)
        p.centre(name, 16, "Times-Roman", x=x, after=1.6)
        p.centre("has attended the workshop Practical Trust Accounting", 9, "Times-Roman", x=x, after=1.6)
        p.centre("given by Westmoor Training Partnership", 9, "Times-Roman", x=x, after=1.6)
        p.centre("with date 23/06/2025", 9, "Times-Roman", x=x, after=1.6)
        p.centre("and a duration of 4 hour(s).", 9, "Times-Roman", x=x, after=2.4)
        p.centre("Signed by:", 9, "Times-Roman", x=x, after=2.2)
        p.centre("Workshop Director", 8, "Times-Roman", x=x, after=1.4)
    return p.save()


def programme_components() -> bytes:
    p = Page(A4)
    p.at(60, 50, "Caldwell Institute of Wealth Management", 13, "Helvetica-Bold")
    p.gap(90).centre("Certificate of Achievement", 24, "Helvetica-Bold", after=2.2)
    p.centre("This is to certify that", 12, after=1.5)
    p.centre("Sofia Lindqvist", 22, "Helvetica-Bold", after=1.5)
    p.centre("has completed the programme", 12, after=1.5)
    p.centre("Professional Certificate in Trust Administration", 17, "Helvetica-Bold", after=1.8)
    p.centre("comprising the following modules:", 11, after=1.5)
    for module in ("• Module 1: The Law of Trusts", "• Module 2: Trust Accounts and Tax",
                   "• Module 3: Administration in Practice"):
        p.centre(module, 11, after=1.4)
    p.gap(10).centre("Completed on 30 November 2025", 11, after=1.5)
    p.centre("Total study time: 60 hours", 11, after=1.5)
    return p.save()


PDF_SAMPLES: list[Sample] = [
    Sample("mooc-course-verify-url", "large MOOC platform, course certificate", mooc_course, [{
        "title": "Foundations of Fiduciary Investing", "learner": "Priya Raman", "provider": "Halden University",
        "status": "completed", "completed_on": "2025-06-03", "activity_type": "e_learning",
        "reference": "https://courseway.example/verify/QX7RT2LM9KPA"}]),
    Sample("mooc-specialization-components", "large MOOC platform, a programme listing its courses", mooc_specialization,
           [{"title": "Trust and Estate Data Analysis", "learner": "Daniel Okafor", "completed_on": "2025-09-14",
             "reference": "courseway.example/verify/specialization/8HUM2WDEL3Z4"}]),
    Sample("mooc-verified-issued-only", "large MOOC platform, verified certificate with an issue date only",
           mooc_verified, [{"title": "PHIL101x: Ethics for Professionals", "learner": "Lucía Fernández",
                            "provider": "NorthbridgeX", "completed_on": None,
                            "reference": "7c1e0b4a2f9d4e6a8b3c5d7e9f1a2b3c"}]),
    Sample("elearning-library-congratulations", "corporate e-learning library", elearning_library, [{
        "title": "Excel: Pivot Tables for Trust Accounts", "learner": "Aisha Rahman", "completed_on": "2025-06-03",
        "duration_minutes": 85, "cpd_hours": 1.42, "reference": "AbX9qLm2TzR8uVw4"}]),
    Sample("elearning-marketplace-length", "e-learning marketplace (certificate no, url, length)",
           elearning_marketplace, [{"title": "The Complete Private Client Tax Bootcamp 2025",
                                    "learner": "Grace Mwangi", "completed_on": "2025-08-21", "duration_minutes": 390,
                                    "reference": "UC-4f6d2c1a-9b8e-4d7f-a1c2-3e4f5a6b7c8d"}]),
    Sample("coding-statement-hash", "coding-skills platform, statement with a hash id", coding_statement, [{
        "title": "Introduction to Python for Finance", "learner": "Oliver Brandt", "completed_on": "2025-02-11",
        "duration_minutes": 240, "reference": "3e1f9a7c0b5d2e8f4a6c1b9d7e0f2a4c6b8d0e2f"}]),
    Sample("coding-certification-verify", "coding-skills platform, certification of hours of work",
           coding_certification, [{"title": "Responsive Web Design", "learner": "Samuel Achebe",
                                   "completed_on": None, "duration_minutes": 18000,
                                   "reference": "https://freelearn.example/certification/sachebe/responsive-web-design"}]),
    Sample("coding-path-labels-above", "coding-skills platform, labels in capitals above values", coding_path, [{
        "title": "SQL Fundamentals for Estate Data", "learner": "Mei Lin Chow", "completed_on": "2025-01-15",
        "duration_minutes": 720, "reference": "ST-8F2K-19QZ"}]),
    Sample("body-webinar-verifiable", "professional body's webinar certificate", body_webinar, [{
        "title": "Safeguarding Vulnerable Beneficiaries", "learner": "Eleanor Whitfield",
        "provider": "The Institute of Fiduciary Practitioners", "activity_type": "webinar",
        "completed_on": "2025-09-17", "cpd_hours": 1.5, "verifiable": True,
        "reference": "IFP-W-2025-0917-1184"}]),
    Sample("body-record-labelled", "professional body's record of attendance with labelled values", body_labelled, [{
        "title": "Lasting Powers of Attorney: Practice Update", "learner": "Hamid Qureshi",
        "provider": "Association of Estate Planning Advisers", "completed_on": "2025-11-05", "cpd_hours": 2.0,
        "verifiable": True}], ["date_order_assumed"]),
    Sample("nasba-cpe-self-study", "NASBA CPE sponsor, QAS self study", nasba_self_study, [{
        "title": "Revenue Recognition Update 2025", "learner": "Rebecca Thornton",
        "provider": "Beacon CPE Partners LLC", "activity_type": "self_study", "completed_on": "2025-03-06",
        "cpd_hours": 2.0, "credits": {"value": 2.0, "unit": "cpe"}}], ["date_order_assumed"]),
    Sample("nasba-cpe-group-internet", "NASBA CPE sponsor, group internet based", nasba_webinar, [{
        "title": "Trust Taxation: Form 1041 Deep Dive", "learner": "Marcus Delgado",
        "provider": "Lakeshore Tax Academy Inc", "activity_type": "webinar", "completed_on": "2025-10-21",
        "cpd_hours": 3.5, "credits": {"value": 3.5, "unit": "cpe"}}]),
    Sample("webinar-tool-participating", "webinar tool attendance certificate", webinar_tool_attendance, [{
        "title": "Cross-Border Estates After Brexit", "learner": "Chloé Martin",
        "provider": "Meridian Private Client Forum", "completed_on": "2025-06-03", "duration_minutes": 60}]),
    Sample("webinar-tool-us-numeric-date", "webinar tool, US numeric date read day-first with a warning",
           webinar_tool_numeric_date, [{"title": "Retirement Accounts in Estate Plans", "learner": "Jordan Ellis",
                                        "provider": "Pinecrest Wealth Education", "activity_type": "webinar",
                                        "completed_on": "2025-03-06", "duration_minutes": 58}],
           ["date_order_assumed"]),
    Sample("event-platform-workshop", "event platform participation certificate", event_platform_ticketed, [{
        "title": "Drafting Letters of Wishes That Work", "learner": "Tomasz Nowak",
        "provider": "Harbourside Legal Events", "activity_type": "workshop", "completed_on": "2025-04-09",
        "duration_minutes": 180}]),
    Sample("badge-printed-expiry", "open-badge platform, printed badge with issue and expiry dates", badge_printed, [{
        "title": "Certified Trust Administrator – Associate", "learner": "Nadia Haddad",
        "provider": "Guild of Trust Administrators", "completed_on": None,
        "reference": "https://www.credverse.example/badges/5e8a2c9d-1f4b-47a0-9c3e-6b7d8e9f0a1b"}]),
    Sample("lms-custom-certificate-grade", "LMS custom certificate plugin (grade and code)", lms_custom_certificate, [{
        "title": "Trust Law Essentials for Administrators", "learner": "Ingrid Solberg", "completed_on": "2025-07-14",
        "reference": "kJ7wQ2pX9z", "cpd_hours": None, "duration_minutes": None}]),
    Sample("lms-cloud-expiration", "cloud LMS certificate with an expiration date", lms_cloud, [{
        "title": "Anti-Money Laundering 2025 Refresher", "learner": "Kwame Mensah",
        "provider": "Brightpath Compliance Training", "completed_on": "2025-05-12",
        "reference": "9f86d081884c7d65"}], ["date_order_assumed"]),
    Sample("lms-record-of-learning-pass", "LMS record of learning certificate", lms_record_pass, [{
        "title": "Data Protection for Client Files", "learner": "Beatrice Olumide",
        "provider": "Totteridge Group Learning", "completed_on": "2025-02-28"}]),
    Sample("conference-three-days", "conference attendance over three days", conference_three_days, [{
        "title": "12th Annual Northern Private Client Conference", "learner": "Fiona MacLeod",
        "activity_type": "conference", "started_on": "2025-10-01", "completed_on": "2025-10-03", "cpd_hours": 15.0}]),
    Sample("conference-month-first-range", "US conference, month-first date range and CLE credits",
           conference_month_first_range, [{"title": "Estate Planning Summit 2025", "learner": "Raymond Castillo",
                                            "started_on": "2025-10-14", "completed_on": "2025-10-16",
                                            "cpd_hours": 12.5}]),
    Sample("french-attestation-de-formation", "French training body's attestation", french_attestation, [{
        "title": "Successions internationales : le règlement européen", "learner": "Claire Dubois",
        "provider": "Institut Rhône Patrimoine", "completed_on": "2025-06-03", "duration_minutes": 420}]),
    Sample("german-teilnahmebestaetigung", "German training body's confirmation of attendance", german_confirmation, [{
        "title": "Grundlagen des Erbrechts und der Testamentsgestaltung", "learner": "Erika Mustermann",
        "provider": "Akademie für Steuerrecht und Nachfolge GmbH", "completed_on": "2025-06-03",
        "duration_minutes": 360}]),
    Sample("spanish-certificado", "Spanish training body's certificate", spanish_certificate, [{
        "title": "Gestión patrimonial y fideicomisos", "learner": "Juan Pérez García",
        "provider": "Instituto Ibérico de Planificación Patrimonial", "duration_minutes": 1200}]),
    Sample("appreciation-speaker", "certificate of appreciation (no learning)", appreciation, []),
    Sample("service-award", "long service award (no learning)", service_award, []),
    Sample("invitation-webinar", "webinar invitation (no learning)", invitation, []),
    Sample("registration-confirmation", "event registration confirmation (no learning)", registration, []),
    Sample("layered-overprint-letter-spaced", "text drawn twice, overprinted bold, letter-spaced heading",
           layered_overprint, [{"title": "Sanctions Screening in Practice", "learner": "Lena Hoffmann",
                                "provider": "Harrowgate Compliance Academy", "completed_on": "2025-08-22"}]),
    Sample("tiled-four-attendance", "four attendance certificates printed on one page", tiled_four, [
        {"title": "Practical Trust Accounting", "learner": name, "completed_on": "2025-06-23", "duration_minutes": 240,
         "activity_type": "workshop"}
        for name in ("Ahmed Farouk", "Bianca Rossi", "Callum Reid", "Dana Kowalski")]),
    Sample("programme-with-modules", "programme certificate listing its modules (one activity)",
           programme_components, [{"title": "Professional Certificate in Trust Administration",
                                   "learner": "Sofia Lindqvist", "provider": "Caldwell Institute of Wealth Management",
                                   "completed_on": "2025-11-30", "duration_minutes": 3600}]),
]


def _expected(sample: Sample, suffix: str) -> dict[str, Any]:
    return {"file": sample.name + suffix, "style": sample.style, "activities": sample.activities,
            "warnings_on_every_activity": sample.warnings}


def _all() -> list[tuple[str, bytes, dict[str, Any]]]:
    out = [(s.name + ".pdf", s.make(), _expected(s, ".pdf")) for s in PDF_SAMPLES]
    for raw in DOCX_SAMPLES:
        sample = Sample(raw["name"], raw["style"], raw["make"], raw["activities"], raw.get("warnings", []))
        out.append((sample.name + ".docx", sample.make(), _expected(sample, ".docx")))
    return out


def main(argv: list[str]) -> int:
    check = "--check" in argv
    OUT.mkdir(exist_ok=True)
    stale = []
    for name, data, expected in _all():
        text = json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
        for path, blob in ((OUT / name, data), (OUT / f"{name}.expected.json", text.encode("utf-8"))):
            if check:
                if not path.exists() or path.read_bytes() != blob:
                    stale.append(path.name)
            else:
                path.write_bytes(blob)
    if stale:
        print("out of date:", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
