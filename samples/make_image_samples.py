"""Writes the image samples in samples/image/ and the image-only PDFs in samples/pdf/, each with its
<name>.expected.json: certificates as members photograph, screenshot and scan them, and scanned statements.

    python samples/make_image_samples.py          # (re)write every sample
    python samples/make_image_samples.py --check  # exit 1 if a sample on disk differs from a fresh one

Each certificate imitates a kind of real generator (a MOOC platform's course certificate, a corporate
e-learning library's completion certificate, a professional body's webinar certificate, a conference's
attendance certificate, an LMS certificate plugin, an open-badge platform's credential, a coding-skills
platform's certificate, a webinar tool's attendance certificate, a picture template with the name painted
in, a sheet of certificates printed four to a page), then is degraded the way it reaches us: a screenshot
inside a browser page, a phone photo at an angle under uneven light, a low-resolution or bilevel scan, a
scan fed on its side, a photo whose camera only noted its orientation (EXIF), JPEG, TIFF, WEBP and HEIC.

Deterministic: fixed seeds, fonts from Debian's packages (fonts-dejavu-core, fonts-liberation2 and
fonts-urw-base35, read by path), Pillow and reportlab with its invariant mode. Needs the `samples` extra
(reportlab, Pillow) and pillow-heif. Every person, firm, course and number here is invented.
"""
from __future__ import annotations

import io
import json
import math
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent
OUT_IMAGES, OUT_PDF = ROOT / "image", ROOT / "pdf"
FONTS = {
    "sans": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "sans-bold": "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "serif": "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "serif-bold": "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
    "arial": "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "arial-bold": "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
    "times": "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "times-bold": "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf",
    "times-italic": "/usr/share/fonts/truetype/liberation2/LiberationSerif-Italic.ttf",
    "gothic": "/usr/share/fonts/opentype/urw-base35/URWGothic-Book.otf",
    "gothic-demi": "/usr/share/fonts/opentype/urw-base35/URWGothic-Demi.otf",
    "bookman": "/usr/share/fonts/opentype/urw-base35/URWBookman-Light.otf",
    "script": "/usr/share/fonts/opentype/urw-base35/Z003-MediumItalic.otf",
    "mono": "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
}
LANDSCAPE = (842.0, 595.0)   # A4 in points
PORTRAIT = (595.0, 842.0)


# --- drawing a page in points at any resolution ---------------------------------------------------

@dataclass
class Page:
    """A page drawn in points (origin top left) onto an RGB image of `dpi` pixels per inch."""

    size: tuple[float, float]
    dpi: float
    paper: tuple[int, int, int] = (255, 255, 255)
    image: Image.Image = field(init=False)
    draw: ImageDraw.ImageDraw = field(init=False)

    def __post_init__(self) -> None:
        self.image = Image.new("RGB", (self.px(self.size[0]), self.px(self.size[1])), self.paper)
        self.draw = ImageDraw.Draw(self.image)

    def px(self, points: float) -> int:
        return int(round(points * self.dpi / 72.0))

    def text(self, x: float, y: float, words: str, font: str, size: float, anchor: str = "ms",
             fill: tuple[int, int, int] = (20, 20, 20), spacing: float = 0.0) -> None:
        face = ImageFont.truetype(FONTS[font], self.px(size))
        if spacing:                     # letters spaced apart, drawn one by one
            self._spaced(x, y, words, face, anchor, fill, spacing)
            return
        self.draw.text((self.px(x), self.px(y)), words, font=face, anchor=anchor, fill=fill)

    def _spaced(self, x: float, y: float, words: str, face: ImageFont.FreeTypeFont, anchor: str,
                fill: tuple[int, int, int], spacing: float) -> None:
        gap = self.px(spacing)
        width = sum(face.getlength(ch) for ch in words) + gap * (len(words) - 1)
        left = self.px(x) - (width / 2 if anchor[0] == "m" else 0)
        for ch in words:
            self.draw.text((left, self.px(y)), ch, font=face, anchor="l" + anchor[1], fill=fill)
            left += face.getlength(ch) + gap

    def rect(self, box: tuple[float, float, float, float], outline: tuple[int, int, int] | None = None,
             fill: tuple[int, int, int] | None = None, width: float = 1.0) -> None:
        self.draw.rectangle([self.px(v) for v in box], outline=outline, fill=fill, width=max(self.px(width), 1))

    def line(self, points: tuple[float, float, float, float], fill: tuple[int, int, int] = (60, 60, 60),
             width: float = 0.8) -> None:
        self.draw.line([self.px(v) for v in points], fill=fill, width=max(self.px(width), 1))

    def seal(self, x: float, y: float, radius: float, colour: tuple[int, int, int]) -> None:
        """A rosette: a ring of petals round a disc, as certificate templates draw their seal."""
        for k in range(24):
            angle = 2 * math.pi * k / 24
            cx, cy = x + radius * 0.85 * math.cos(angle), y + radius * 0.85 * math.sin(angle)
            r = radius * 0.22
            self.draw.ellipse([self.px(cx - r), self.px(cy - r), self.px(cx + r), self.px(cy + r)], fill=colour)
        self.draw.ellipse([self.px(x - radius * 0.8), self.px(y - radius * 0.8), self.px(x + radius * 0.8),
                           self.px(y + radius * 0.8)], fill=colour, outline=(255, 255, 255), width=self.px(1.5))

    def signature(self, x: float, y: float, width: float, seed: int) -> None:
        """A scribble above a signature line."""
        rng = random.Random(seed)
        points = [(x + width * t / 30, y - 8 - 7 * math.sin(t * 1.3 + rng.random()) - rng.random() * 4)
                  for t in range(31)]
        self.draw.line([(self.px(a), self.px(b)) for a, b in points], fill=(30, 40, 90), width=max(self.px(1.1), 1))


# --- the certificates ------------------------------------------------------------------------------

def mooc_certificate(dpi: float) -> Page:
    """A MOOC platform's course certificate: date at the top left, the learner large, the course in bold,
    the partner university's authorisation and a verification URL at the foot."""
    page = Page(LANDSCAPE, dpi)
    page.rect((0, 0, 842, 595), fill=(250, 250, 248))
    page.rect((0, 0, 180, 595), fill=(232, 238, 246))
    page.text(40, 90, "COURSELINE", "arial-bold", 20, "ls", (0, 86, 210))
    page.text(40, 420, "COURSE", "arial-bold", 16, "ls", (40, 60, 90))
    page.text(40, 442, "CERTIFICATE", "arial-bold", 16, "ls", (40, 60, 90))
    page.text(220, 90, "March 14, 2025", "arial", 13, "ls")
    page.text(220, 190, "Olivia Bennett", "arial", 34, "ls", (10, 10, 10))
    page.text(220, 230, "has successfully completed", "arial", 14, "ls", (70, 70, 70))
    page.text(220, 280, "Data Protection Essentials for", "arial-bold", 24, "ls")
    page.text(220, 312, "Trust Administrators", "arial-bold", 24, "ls")
    page.text(220, 350, "an online non-credit course authorized by Northbridge University and offered", "arial", 11,
              "ls", (70, 70, 70))
    page.text(220, 366, "through Courseline", "arial", 11, "ls", (70, 70, 70))
    page.signature(230, 470, 140, 11)
    page.line((220, 478, 420, 478))
    page.text(220, 494, "Dr Helen Marsh, Northbridge University", "arial", 10, "ls")
    page.text(220, 555, "Verify at courseline.example/verify/QH7XKCM2TR4P", "arial", 9, "ls", (90, 90, 90))
    page.text(220, 570, "Courseline has confirmed the identity of this individual and their participation in the course.",
              "arial", 8, "ls", (90, 90, 90))
    return page


def elearning_certificate(dpi: float) -> Page:
    """A corporate e-learning library's certificate of completion: 'Congratulations, NAME', the course,
    the completion time in UTC and the course length."""
    page = Page(LANDSCAPE, dpi)
    page.rect((24, 24, 818, 571), outline=(0, 115, 177), width=3)
    page.text(421, 110, "Certificate of Completion", "sans-bold", 30, "ms", (0, 80, 130))
    page.text(421, 170, "Congratulations, Daniel Osei", "sans", 24, "ms")
    page.text(421, 250, "Anti-Money Laundering Fundamentals", "sans-bold", 22, "ms")
    page.text(421, 290, "Course completed on Jun 12, 2025 at 03:41PM UTC", "sans", 13, "ms", (80, 80, 80))
    page.text(421, 312, "1 hour 15 minutes", "sans", 13, "ms", (80, 80, 80))
    page.text(421, 370, "By continuing to learn, you have expanded your perspective and sharpened your skills.",
              "sans", 11, "ms", (90, 90, 90))
    page.signature(340, 470, 160, 21)
    page.line((320, 478, 522, 478))
    page.text(421, 496, "Head of Content, Stackwise Learning", "sans", 10, "ms")
    page.text(421, 545, "Certificate ID: SW7HPKN4R2", "sans", 9, "ms", (110, 110, 110))
    return page


def webinar_certificate(dpi: float) -> Page:
    """A professional body's webinar certificate in the classic phrasing, with its CPD statement."""
    page = Page(LANDSCAPE, dpi)
    page.rect((20, 20, 822, 575), outline=(120, 30, 45), width=6)
    page.rect((34, 34, 808, 561), outline=(120, 30, 45), width=1)
    page.text(421, 95, "The Fiduciary Institute", "times-bold", 20, "ms", (120, 30, 45))
    page.text(421, 150, "CERTIFICATE OF ATTENDANCE", "times-bold", 28, "ms")
    page.text(421, 200, "This is to certify that", "times-italic", 16, "ms")
    page.text(421, 250, "Grace Whitfield", "times-bold", 30, "ms")
    page.text(421, 295, "attended the webinar", "times", 16, "ms")
    page.text(421, 335, "Trust Registration Service: 2025 update", "times-bold", 20, "ms")
    page.text(421, 375, "presented by Calder Law Seminars on 4 June 2025.", "times", 15, "ms")
    page.text(421, 410, "This webinar qualifies for 1.5 hours of structured CPD.", "times", 14, "ms")
    page.seal(130, 470, 38, (176, 141, 50))
    page.signature(560, 480, 150, 31)
    page.line((540, 488, 740, 488))
    page.text(640, 506, "Head of Professional Standards", "times", 11, "ms")
    return page


def conference_certificate(dpi: float) -> Page:
    """A conference's attendance certificate, portrait, with the event's dates and the CPD hours."""
    page = Page(PORTRAIT, dpi)
    page.rect((0, 0, 595, 120), fill=(28, 54, 94))
    page.text(297, 70, "PRIVATE CLIENT FORUM 2025", "sans-bold", 22, "ms", (255, 255, 255))
    page.text(297, 200, "Certificate of Attendance", "serif-bold", 28, "ms")
    page.text(297, 260, "This is to certify that", "serif", 14, "ms")
    page.text(297, 310, "Marcus Lindqvist", "serif-bold", 26, "ms")
    page.text(297, 360, "attended the conference", "serif", 14, "ms")
    page.text(297, 400, "Private Client Forum 2025", "serif-bold", 18, "ms")
    page.text(297, 436, "held on 9 October 2025 in Manchester", "serif", 14, "ms")
    page.text(297, 490, "CPD hours: 12", "serif", 14, "ms")
    page.signature(200, 640, 190, 41)
    page.line((180, 650, 415, 650))
    page.text(297, 668, "Conference Director", "serif", 11, "ms")
    page.text(297, 790, "Forum Events Ltd, 14 Albion Street, Leeds", "sans", 9, "ms", (90, 90, 90))
    return page


def lms_certificate(dpi: float) -> Page:
    """An LMS certificate plugin's template: heading in capitals, the course, a grade and a code."""
    page = Page(LANDSCAPE, dpi)
    page.rect((30, 30, 812, 565), outline=(0, 0, 0), width=2)
    page.text(421, 120, "CERTIFICATE OF COMPLETION", "gothic-demi", 30, "ms")
    page.text(421, 190, "This is to certify that", "gothic", 16, "ms")
    page.text(421, 245, "Hannah Kowalski", "gothic-demi", 30, "ms")
    page.text(421, 295, "has completed the course", "gothic", 16, "ms")
    page.text(421, 345, "Inheritance Tax Planning Essentials", "gothic-demi", 22, "ms")
    page.text(421, 400, "Grade: 92.5%", "gothic", 14, "ms")
    page.text(220, 480, "Date: 21 March 2025", "gothic", 13, "ms")
    page.text(620, 480, "Code: 9LQ4TZ2KHC", "gothic", 13, "ms")
    page.text(421, 540, "Harbourside Learning Academy", "gothic", 11, "ms")
    return page


def badge_certificate(dpi: float) -> Page:
    """An open-badge platform's credential page: the badge, the achievement, issue date and credential id."""
    page = Page(LANDSCAPE, dpi, (246, 247, 250))
    page.rect((60, 50, 782, 545), fill=(255, 255, 255), outline=(220, 222, 230), width=1)
    page.seal(200, 250, 70, (0, 128, 128))
    page.text(200, 258, "ETHICS", "sans-bold", 14, "ms", (255, 255, 255))
    page.text(330, 140, "Accredited certificate", "sans", 13, "ls", (100, 100, 110))
    page.text(330, 190, "Ethics in Trust Practice", "sans-bold", 26, "ls")
    page.text(330, 240, "Sofia Marin", "sans", 22, "ls")
    page.text(330, 290, "Issued on May 2, 2025", "sans", 13, "ls", (80, 80, 90))
    page.text(330, 315, "Issued by The Fiduciary Institute", "sans", 13, "ls", (80, 80, 90))
    page.text(330, 340, "Credential ID 58219473", "sans", 13, "ls", (80, 80, 90))
    page.text(330, 420, "Skills: professional ethics, conflicts of interest, confidentiality", "sans", 11, "ls",
              (100, 100, 110))
    return page


def skills_certificate(dpi: float) -> Page:
    """A coding-skills platform's certificate: the skill in the title, 'awarded to', a date and an id."""
    page = Page(LANDSCAPE, dpi)
    page.rect((0, 0, 842, 36), fill=(30, 200, 120))
    page.text(421, 150, "CERTIFICATE OF ACCOMPLISHMENT", "arial-bold", 26, "ms", (20, 30, 40))
    page.text(421, 200, "Python for Data Analysis (Basic)", "arial-bold", 22, "ms", (20, 30, 40))
    page.text(421, 260, "Awarded to", "arial", 14, "ms", (90, 90, 90))
    page.text(421, 305, "Liam Fraser", "arial-bold", 30, "ms")
    page.text(421, 360, "for passing the skills assessment on 8 August 2025.", "arial", 14, "ms")
    page.text(421, 500, "Certificate ID: 7E1A94C03B", "mono", 11, "ms", (90, 90, 90))
    return page


def zoom_certificate(dpi: float) -> Page:
    """A webinar tool's attendance certificate with the session's length in minutes."""
    page = Page(PORTRAIT, dpi)
    page.rect((25, 25, 570, 817), outline=(45, 140, 255), width=4)
    page.text(297, 150, "Certificate of Attendance", "sans-bold", 26, "ms", (45, 100, 200))
    page.text(297, 230, "This is to certify that", "sans", 14, "ms")
    page.text(297, 280, "Amara Nwosu", "sans-bold", 26, "ms")
    page.text(297, 330, "attended the webinar", "sans", 14, "ms")
    page.text(297, 375, "Vulnerable Clients: Recognising", "sans-bold", 18, "ms")
    page.text(297, 400, "Financial Abuse", "sans-bold", 18, "ms")
    page.text(297, 450, "presented by Hollins & Reed LLP on 18 September 2025.", "sans", 13, "ms")
    page.text(297, 480, "Duration: 90 minutes", "sans", 13, "ms")
    page.signature(220, 640, 150, 51)
    page.line((200, 650, 395, 650))
    page.text(297, 668, "Webinar host", "sans", 11, "ms")
    return page


def painted_certificate(dpi: float) -> Page:
    """A picture template (seal, border, heading drawn as artwork) with the name and course painted in, as
    certificate mail-merge tools make them; saved into a PDF as one image."""
    page = Page(LANDSCAPE, dpi)
    page.rect((14, 14, 828, 581), fill=(214, 110, 70))
    page.rect((34, 34, 808, 561), fill=(255, 255, 255))
    page.rect((44, 44, 798, 551), outline=(200, 170, 100), width=1.5)
    page.text(421, 120, "CERTIFICATE", "gothic-demi", 48, "ms", (80, 140, 140))
    page.text(421, 185, "THIS IS TO CERTIFY THAT", "gothic", 14, "ms", (90, 80, 60), spacing=2.5)
    page.text(421, 250, "Ethan Brooks", "script", 44, "ms", (20, 20, 20))
    page.text(421, 300, "attended the workshop", "serif-bold", 15, "ms", (90, 80, 60))
    page.text(421, 345, "Trustee Decision Making in Practice", "sans", 20, "ms")
    page.text(421, 385, "presented by Larkspur Training on 27 February 2025.", "serif", 13, "ms", (60, 60, 60))
    page.seal(421, 470, 30, (214, 110, 70))
    page.text(200, 470, "27 FEBRUARY 2025", "gothic", 13, "ms", (160, 80, 40), spacing=1.5)
    page.line((120, 480, 280, 480))
    page.text(200, 498, "DATE", "gothic", 10, "ms", (90, 80, 60), spacing=1.5)
    page.text(640, 470, "R. OKAFOR", "gothic", 13, "ms", (160, 80, 40), spacing=1.5)
    page.line((560, 480, 720, 480))
    page.text(640, 498, "DIRECTOR", "gothic", 10, "ms", (90, 80, 60), spacing=1.5)
    return page


SHEET_LEARNERS = ("Chloe Adeyemi", "Tomasz Nowak", "Isla Fergusson", "Ravi Chandran")


def small_certificate(dpi: float, learner: str) -> Page:
    """One of four certificates of attendance printed on one sheet (a batch from a mail-merge package)."""
    page = Page((421.0, 297.5), dpi)
    page.seal(60, 45, 18, (170, 130, 40))
    page.seal(361, 45, 18, (170, 130, 40))
    page.text(210, 100, "Certificate of attendance", "serif-bold", 17, "ms")
    page.text(210, 128, learner, "serif", 16, "ms")
    page.text(210, 155, "has attended the course Professional Ethics for Trustees", "serif", 8, "ms")
    page.text(210, 173, "taught by Dr N. Ashworth", "serif", 8, "ms")
    page.text(210, 191, "with date 16/05/2025", "serif", 8, "ms")
    page.text(210, 209, "and a duration of 3 hour(s).", "serif", 8, "ms")
    page.text(210, 232, "Signed by:", "serif", 8, "ms")
    page.signature(180, 262, 60, len(learner))
    page.text(210, 275, "Course Director", "serif", 8, "ms")
    return page


def certificate_sheet(dpi: float) -> Page:
    sheet = Page(LANDSCAPE, dpi)
    for index, learner in enumerate(SHEET_LEARNERS):
        small = small_certificate(dpi, learner)
        sheet.image.paste(small.image, (sheet.px(421 * (index % 2)), sheet.px(297.5 * (index // 2))))
    return sheet


STATEMENT_ROWS = (
    ("14/01/2025", "Trustee duties refresher", "Fernhill Academy", "2.0"),
    ("05/02/2025", "Client due diligence for settlors", "Calder Law Seminars", "1.5"),
    ("26/02/2025", "Relevant property trusts", "Larkspur Training", "3.0"),
    ("12/03/2025", "Data protection for administrators", "Fernhill Academy", "1.0"),
    ("09/04/2025", "Professional ethics and conflicts", "Calder Law Seminars", "1.5"),
    ("21/05/2025", "Capital gains tax on disposals", "Larkspur Training", "2.5"),
    ("18/06/2025", "Letters of wishes in practice", "Hollins Reed LLP", "1.0"),
    ("16/07/2025", "Anti-money laundering update", "Fernhill Academy", "1.0"),
)


def statement(dpi: float, rows: tuple[tuple[str, ...], ...], member: str, ruled: bool, last: bool = True) -> Page:
    """A professional body's CPD statement: title block naming the member, then Date / Activity / Provider /
    Hours, ruled or drawn with text only; the total under the last page's rows."""
    page = Page(PORTRAIT, dpi)
    page.text(50, 70, "The Fiduciary Institute", "arial-bold", 16, "ls", (120, 30, 45))
    page.text(50, 100, "CPD Record 2025", "arial-bold", 14, "ls")
    page.text(50, 125, f"Member: {member}", "arial", 11, "ls")
    page.text(300, 125, "Membership no. 418227", "arial", 11, "ls")
    columns = ((50, "Date"), (130, "Activity"), (350, "Provider"), (500, "Hours"))
    top = 170
    for x, head in columns:
        page.text(x, top, head, "arial-bold", 11, "ls")
    if ruled:
        page.line((45, top + 7, 550, top + 7), width=1)
    for index, row in enumerate(rows):
        y = top + 28 + index * 24
        for (x, _), cell in zip(columns, row):
            page.text(x, y, cell, "arial", 10.5, "ls")
        if ruled:
            page.line((45, y + 8, 550, y + 8), fill=(150, 150, 150), width=0.5)
    if last:
        total = sum(float(r[3]) for r in STATEMENT_ROWS)
        page.text(350, top + 28 + len(rows) * 24 + 10, f"Total hours: {total:.1f}", "arial-bold", 11, "ls")
    page.text(50, 800, "Printed from the member portal", "arial", 8, "ls", (120, 120, 120))
    return page


# --- how they reach us -----------------------------------------------------------------------------

def browser_screenshot(page: Page) -> Image.Image:
    """The certificate as a member screenshots it: inside the platform's page, with its bar and buttons."""
    shot = Image.new("RGB", (page.image.width + 160, page.image.height + 170), (241, 243, 246))
    draw = ImageDraw.Draw(shot)
    draw.rectangle([0, 0, shot.width, 56], fill=(255, 255, 255))
    face = ImageFont.truetype(FONTS["arial-bold"], 20)
    draw.text((24, 28), "Courseline", font=face, anchor="lm", fill=(0, 86, 210))
    small = ImageFont.truetype(FONTS["arial"], 15)
    draw.text((200, 28), "Home     My learning     Accomplishments", font=small, anchor="lm", fill=(60, 60, 60))
    draw.rounded_rectangle([shot.width - 170, 12, shot.width - 40, 44], 6, fill=(0, 86, 210))
    draw.text((shot.width - 105, 28), "Share", font=small, anchor="mm", fill=(255, 255, 255))
    shot.paste(page.image, (80, 100))
    return shot


def photograph(page: Page, seed: int, turn: float) -> Image.Image:
    """A phone photo of the printed page on a desk: perspective, a turn, light falling off to one corner,
    blur and sensor noise."""
    rng = random.Random(seed)
    paper = page.image
    width, height = int(paper.width * 1.35), int(paper.height * 1.4)
    desk = Image.linear_gradient("L").resize((width, height)).rotate(30, expand=False)
    desk = Image.merge("RGB", [desk.point(lambda v: 70 + v // 5), desk.point(lambda v: 55 + v // 6),
                               desk.point(lambda v: 40 + v // 8)])
    corners = [(0.0, 0.0), (paper.width, 0.0), (paper.width, paper.height), (0.0, paper.height)]
    inset = [(x + (rng.uniform(0.03, 0.06) * paper.width if x == 0 else -rng.uniform(0.0, 0.02) * paper.width),
              y + (rng.uniform(0.0, 0.02) * paper.height if y == 0 else -rng.uniform(0.03, 0.05) * paper.height))
             for x, y in corners]
    warped = _warp_to(paper, inset)
    mask = _warp_to(Image.new("L", paper.size, 255), inset)
    turned, turned_mask = warped.rotate(turn, expand=True, resample=Image.Resampling.BICUBIC), \
        mask.rotate(turn, expand=True)
    desk.paste(turned, ((width - turned.width) // 2, (height - turned.height) // 2), turned_mask)
    light = Image.radial_gradient("L").resize((width * 2, height * 2)).crop((0, 0, width, height))
    light = light.point(lambda v: 255 - int(v * 0.45))
    lit = Image.composite(desk, Image.new("RGB", desk.size, (0, 0, 0)), light)
    lit = Image.blend(desk, lit, 0.8).filter(ImageFilter.GaussianBlur(1.0))
    return _noise(lit, seed, 6)


def _warp_to(image: Image.Image, corners: list[tuple[float, float]]) -> Image.Image:
    """`image` drawn with its corners moved to `corners` (same canvas size)."""
    w, h = image.size
    source = [(0.0, 0.0), (float(w), 0.0), (float(w), float(h)), (0.0, float(h))]
    matrix, values = [], []
    for (x, y), (u, v) in zip(corners, source):
        matrix.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        matrix.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        values += [u, v]
    coefficients = _solve(matrix, values)
    fill: Any = 0 if image.mode == "L" else (0, 0, 0)
    return image.transform(image.size, Image.Transform.PERSPECTIVE, coefficients, Image.Resampling.BICUBIC,
                           fillcolor=fill)


def _solve(matrix: list[list[float]], values: list[float]) -> tuple[float, ...]:
    """Gaussian elimination for the 8x8 system of a perspective transform."""
    n = len(values)
    rows = [row[:] + [value] for row, value in zip(matrix, values)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(n):
            if r != col:
                factor = rows[r][col] / rows[col][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col])]
    return tuple(rows[i][n] / rows[i][i] for i in range(n))


def scan(page: Page, seed: int, turn: float, dpi_out: float, grey: bool = True) -> Image.Image:
    """A flatbed scan: slightly turned, softened, speckled, at the scanner's resolution."""
    image = page.image.convert("L") if grey else page.image
    fill: Any = 255 if grey else (255, 255, 255)
    image = image.rotate(turn, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=fill)
    if dpi_out != page.dpi:
        image = image.resize((int(image.width * dpi_out / page.dpi), int(image.height * dpi_out / page.dpi)),
                             Image.Resampling.LANCZOS)
    return _noise(image.filter(ImageFilter.GaussianBlur(0.5)), seed, 10)


def _noise(image: Image.Image, seed: int, amount: int) -> Image.Image:
    """Sensor or scanner noise: each pixel moved by up to +-`amount` levels (seeded, so the same each run)."""
    import numpy as np

    pixels = np.asarray(image).astype(np.int16)
    noise = np.random.default_rng(seed).integers(-amount, amount + 1, size=pixels.shape[:2], dtype=np.int16)
    if pixels.ndim == 3:
        noise = noise[:, :, None]
    return Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8), image.mode)


def encoded(image: Image.Image, kind: str, **options: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def image_pdf(images: list[Image.Image], dpi: float, page_size: tuple[float, float]) -> bytes:
    """The images as the pages of a PDF with no text layer (a scanner's or a picture template's PDF)."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=page_size, invariant=1)
    for image in images:                       # as scanners write them: each page one JPEG (DCTDecode)
        picture = io.BytesIO(encoded(image.convert("L") if image.mode == "L" else image.convert("RGB"), "JPEG",
                                     quality=70, dpi=(dpi, dpi)))
        canvas.drawImage(ImageReader(picture), 0, 0, width=page_size[0], height=page_size[1])
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def exif_rotated_jpeg(image: Image.Image) -> bytes:
    """The photo's pixels as the sensor took them (on their side), with the EXIF orientation that turns them."""
    stored = image.rotate(90, expand=True)         # the camera held in portrait: pixels turned
    exif = Image.Exif()
    exif[0x0112] = 6                                # rotate 90 CW to display
    return encoded(stored, "JPEG", quality=85, exif=exif.tobytes())


def heic(image: Image.Image) -> bytes:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    return encoded(image, "HEIF", quality=80)


# --- the samples and what each holds ---------------------------------------------------------------

@dataclass(frozen=True)
class Sample:
    folder: Path
    name: str
    make: Callable[[], bytes]
    expected: dict[str, Any]


def _certificate(title: str, **fields: Any) -> dict[str, Any]:
    return {"title": title, **fields}


def samples() -> list[Sample]:
    png = lambda image: encoded(image, "PNG", optimize=True)  # noqa: E731
    return [
        Sample(OUT_IMAGES, "mooc-course-certificate-screenshot.png",
               lambda: png(browser_screenshot(mooc_certificate(96))), {
                   "media_type": "image/png",
                   "markers": ["Olivia Bennett", "Data Protection Essentials for", "Trust Administrators",
                               "March 14, 2025", "Verify at courseline.example/verify/"],
                   "gold": [_certificate("Data Protection Essentials for Trust Administrators",
                                         learner="Olivia Bennett", completed_on="2025-03-14",
                                         provider="Northbridge University")]}),
        Sample(OUT_IMAGES, "elearning-completion-phone-photo.jpg",
               lambda: encoded(photograph(elearning_certificate(150), 7, 6.0), "JPEG", quality=82), {
                   "media_type": "image/jpeg",
                   "markers": ["Certificate of Completion", "Daniel Osei", "Anti-Money Laundering Fundamentals",
                               "1 hour 15 minutes"],
                   "gold": [_certificate("Anti-Money Laundering Fundamentals", learner="Daniel Osei",
                                         completed_on="2025-06-12", duration_minutes=75)]}),
        Sample(OUT_IMAGES, "institute-webinar-certificate-lowres-scan.png",
               lambda: png(scan(webinar_certificate(300), 3, 1.2, 100)), {
                   "media_type": "image/png",
                   "markers": ["Grace Whitfield", "Trust Registration Service: 2025 update",
                               "presented by Calder Law Seminars on 4 June 2025"],
                   "activities": [_certificate("Trust Registration Service: 2025 update", learner="Grace Whitfield",
                                               completed_on="2025-06-04", cpd_hours=1.5)]}),
        Sample(OUT_IMAGES, "conference-attendance-certificate-scan.jpg",
               lambda: encoded(scan(conference_certificate(300), 5, -0.8, 150, grey=False), "JPEG", quality=75,
                               dpi=(150, 150)), {
                   "media_type": "image/jpeg",
                   "markers": ["Marcus Lindqvist", "Private Client Forum 2025", "held on 9 October 2025",
                               "CPD hours: 12"],
                   "activities": [_certificate("Private Client Forum 2025", learner="Marcus Lindqvist",
                                               completed_on="2025-10-09", cpd_hours=12.0)]}),
        Sample(OUT_IMAGES, "lms-certificate-bilevel-scan.tiff",
               lambda: encoded(scan(lms_certificate(200), 9, 0.5, 200).point(lambda v: 255 if v > 150 else 0)
                               .convert("1"), "TIFF", compression="group4", dpi=(200, 200)), {
                   "media_type": "image/tiff",
                   "markers": ["CERTIFICATE OF COMPLETION", "Hannah Kowalski", "Inheritance Tax Planning Essentials",
                               "21 March 2025", "9LQ4TZ2KHC"],
                   "activities": [_certificate("Inheritance Tax Planning Essentials", learner="Hannah Kowalski",
                                               completed_on="2025-03-21")],
                   "gold": [_certificate("Inheritance Tax Planning Essentials", learner="Hannah Kowalski",
                                         completed_on="2025-03-21", reference="9LQ4TZ2KHC")]}),
        Sample(OUT_IMAGES, "open-badge-credential.webp",
               lambda: encoded(badge_certificate(110).image, "WEBP", quality=80), {
                   "media_type": "image/webp",
                   "markers": ["Ethics in Trust Practice", "Sofia Marin", "Issued on May 2, 2025", "58219473"],
                   "gold": [_certificate("Ethics in Trust Practice", learner="Sofia Marin", completed_on="2025-05-02",
                                         provider="The Fiduciary Institute", reference="58219473")]}),
        Sample(OUT_IMAGES, "skills-certificate-scanned-sideways.png",
               lambda: png(scan(skills_certificate(200), 13, 0.0, 150).rotate(90, expand=True)), {
                   "media_type": "image/png",
                   "markers": ["CERTIFICATE OF ACCOMPLISHMENT", "Python for Data Analysis (Basic)", "Liam Fraser",
                               "8 August 2025"],
                   "gold": [_certificate("Python for Data Analysis (Basic)", learner="Liam Fraser",
                                         completed_on="2025-08-08", reference="7E1A94C03B")]}),
        Sample(OUT_IMAGES, "webinar-attendance-photo-exif-rotated.jpg",
               lambda: exif_rotated_jpeg(photograph(zoom_certificate(130), 17, -4.0)), {
                   "media_type": "image/jpeg",
                   "markers": ["Amara Nwosu", "Financial Abuse", "Duration: 90 minutes"],
                   "activities": [{"learner": "Amara Nwosu", "completed_on": "2025-09-18", "duration_minutes": 90}],
                   "gold": [_certificate("Vulnerable Clients: Recognising Financial Abuse", learner="Amara Nwosu",
                                         completed_on="2025-09-18", duration_minutes=90)]}),
        Sample(OUT_IMAGES, "webinar-attendance-photo.heic",
               lambda: heic(photograph(zoom_certificate(120), 19, 3.0)), {
                   "media_type": "image/heic",
                   "markers": ["Amara Nwosu", "Financial Abuse", "Duration: 90 minutes"],
                   "activities": [{"learner": "Amara Nwosu", "completed_on": "2025-09-18", "duration_minutes": 90}],
                   "gold": [_certificate("Vulnerable Clients: Recognising Financial Abuse", learner="Amara Nwosu",
                                         completed_on="2025-09-18", duration_minutes=90)]}),
        Sample(OUT_IMAGES, "attendance-certificates-sheet-of-four.png",
               lambda: png(certificate_sheet(110).image), {
                   "media_type": "image/png", "blocks": 4,
                   "markers": [*SHEET_LEARNERS, "Professional Ethics for Trustees", "with date 16/05/2025"],
                   "activities": [{"completed_on": "2025-05-16"}] * 4,
                   "gold": [_certificate("Professional Ethics for Trustees", learner=name, completed_on="2025-05-16",
                                         duration_minutes=180) for name in SHEET_LEARNERS]}),
        Sample(OUT_IMAGES, "cpd-statement-scan.png",
               lambda: png(scan(statement(300, STATEMENT_ROWS, "Priya Raman", ruled=True), 23, 0.6, 200)
                           .point(lambda v: v & 0xF0)), {      # a scanner's 16-level grey
                   "media_type": "image/png", "layout": "table",
                   "markers": ["CPD Record 2025", "Priya Raman"],
                   "table": {"header": ["Date", "Activity", "Provider", "Hours"],
                             "titles": [row[1] for row in STATEMENT_ROWS]},
                   "activities": _statement_activities(),
                   "note": STATEMENT_NOTE}),
        Sample(OUT_PDF, "certificate-painted-image-only.pdf",
               lambda: image_pdf([painted_certificate(150).image], 150, LANDSCAPE), {
                   "media_type": "application/pdf",
                   "markers": ["Ethan Brooks", "Trustee Decision Making in Practice",
                               "presented by Larkspur Training on 27 February 2025"],
                   "activities": [_certificate("Trustee Decision Making in Practice", learner="Ethan Brooks",
                                               completed_on="2025-02-27")]}),
        Sample(OUT_PDF, "statement-scanned-two-pages.pdf",
               lambda: image_pdf([scan(statement(300, STATEMENT_ROWS[:5], "Jonah Whitaker", ruled=False, last=False), 29, -0.7,
                                       200),
                                  scan(statement(300, STATEMENT_ROWS[5:], "Jonah Whitaker", ruled=False), 31, 0.4,
                                       200)], 200, PORTRAIT), {
                   "media_type": "application/pdf", "layout": "table",
                   "markers": ["Jonah Whitaker", "CPD Record 2025"],
                   "table": {"header": ["Date", "Activity", "Provider", "Hours"],
                             "titles": [row[1] for row in STATEMENT_ROWS]},
                   "activities": _statement_activities(),
                   "note": STATEMENT_NOTE}),
    ]


STATEMENT_NOTE = ("Row 5's hours '1.5' stand alone in their cell and tesseract 5 (eng) reads them as '15' on "
                  "this scan; its hours are not asserted (the member checks figures: every activity carries the "
                  "ocr warning).")


def _statement_activities() -> list[dict[str, Any]]:
    found = []
    for index, row in enumerate(STATEMENT_ROWS):
        activity: dict[str, Any] = {"title": row[1], "completed_on": _iso(row[0])}
        if index != 4:
            activity["cpd_hours"] = float(row[3])
        found.append(activity)
    return found


def _iso(day_first: str) -> str:
    day, month, year = day_first.split("/")
    return f"{year}-{month}-{day}"


def _expected(sample: Sample) -> dict[str, Any]:
    """What the sample holds: `markers` the OCR text must contain, its layout (text blocks or a table),
    `activities` the pipeline gives today (each listed field asserted), and `gold`, what a person reads on a
    certificate the current certificate reader does not yet read whole."""
    base: dict[str, Any] = {"file": sample.name, "error": None, "ocr": True, "layout": "text", "blocks": 1}
    base.update(sample.expected)
    if base["layout"] == "table":
        base.pop("blocks")
    return base


def main(check: bool) -> int:
    stale = []
    for sample in samples():
        sample.folder.mkdir(exist_ok=True)
        data = sample.make()
        expected = json.dumps(_expected(sample), indent=2, ensure_ascii=False) + "\n"
        path = sample.folder / sample.name
        expected_path = path.with_name(path.name + ".expected.json") if sample.folder == OUT_IMAGES \
            else path.with_suffix(".expected.json")
        if check:
            if not path.exists() or path.read_bytes() != data or expected_path.read_text("utf-8") != expected:
                stale.append(sample.name)
            continue
        path.write_bytes(data)
        expected_path.write_text(expected, "utf-8")
    if stale:
        print("out of date:", ", ".join(stale))
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv[1:]))
