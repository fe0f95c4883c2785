"""The thematic review of a CPD year's audits (issue 16): figures across members (figures.py), the short text
of trends, strengths and areas for improvement (findings.py), as a workbook with a sheet per measure
(xlsx.py) and a PDF with charts (pdf.py). No member's name or id is in any of them.

    thematic_review(session, settings, year, all_members) -> Figures    (NothingToReview when nobody is in scope)
    review_files(session, settings, year, out_dir, all_members) -> [xlsx path, pdf path]
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from ...settings import Settings
from .figures import Figures, review_figures
from .findings import findings
from .pdf import review_pdf
from .xlsx import SHEETS, review_workbook

__all__ = ["NothingToReview", "Figures", "thematic_review", "review_files", "review_names", "review_workbook",
           "review_pdf", "findings", "SHEETS"]


class NothingToReview(LookupError):
    """No member in the review's scope for that year."""


def thematic_review(session: Session, settings: Settings, year: int, all_members: bool = False) -> Figures:
    """The figures of CPD year `year`, with the year before's when it has any."""
    found = review_figures(session, settings, year, all_members)
    if found is None:
        raise NothingToReview(f"Nobody to review for CPD year {year}: " + (
            "no working member is known." if all_members else "no member was asked for their record of that year. "
            "Draw the year (cpd-evidence audit draw --year YEAR) or review all members (--all-members)."))
    return found


def review_names(year: int, all_members: bool = False) -> tuple[str, str]:
    """The workbook's and the PDF's file names."""
    stem = f"thematic-review-{year}" + ("-all-members" if all_members else "")
    return f"{stem}.xlsx", f"{stem}.pdf"


def review_files(session: Session, settings: Settings, year: int, out_dir: Path,
                 all_members: bool = False) -> list[Path]:
    """Write the review's workbook and PDF into `out_dir` (made if missing), each whole or not at all."""
    figures = thematic_review(session, settings, year, all_members)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in zip(review_names(year, all_members), (review_workbook(figures), review_pdf(figures))):
        path = out_dir / name
        temporary = path.with_name(name + ".part")
        temporary.write_bytes(data)
        temporary.replace(path)
        written.append(path)
    return written
