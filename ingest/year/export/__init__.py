"""The export: a member's CPD record for a year, audit-ready: the workbook (a row per activity, totals, sources) and a
PDF cover sheet (totals, ethics requirement, responsibilities covered and not, charts, files and sha256).

    year_export(session, member_id, year, settings) -> YearExport    (MemberNotFound when no such member)
    export.xlsx() / export.pdf()                                       the files' bytes
    write_files(export, out_dir) -> [Path, Path]                        cpd-record-{member}-{year}.xlsx and
                                                                        cover-sheet-{member}-{year}.pdf
The API (GET /members/{id}/export) and `cpd-evidence export` both call these.

May import: ingest.year (the summary it is built from), ingest.store, ingest.settings, openpyxl, reportlab.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from ...settings import Settings
from ...store import MemberRow
from ..summary import Year, load_year, summarise
from .cover import cover_bytes
from .safety import neutralise
from .xlsx import workbook_bytes

__all__ = ["MemberNotFound", "YearExport", "year_export", "write_files", "file_names", "neutralise", "XLSX_TYPE",
           "PDF_TYPE"]

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"


class MemberNotFound(LookupError):
    """No member of that id: nothing was ever uploaded for them and no token made."""


@dataclass(frozen=True, slots=True)
class YearExport:
    """A member's year and its summary, ready to be written as the workbook (`xlsx`) or cover sheet (`pdf`)."""

    year: Year
    summary: dict[str, Any]

    def xlsx(self) -> bytes:
        """The workbook's bytes."""
        return workbook_bytes(self.year, self.summary)

    def pdf(self) -> bytes:
        """The cover sheet's bytes."""
        role = self.year.role or {}
        return cover_bytes(self.summary, [str(r["id"]) for r in role.get("responsibilities", [])])


def year_export(session: Session, member_id: str, year: int, settings: Settings) -> YearExport:
    """The member's year, ready to export (`MemberNotFound` for a member never seen)."""
    if session.get(MemberRow, member_id) is None:
        raise MemberNotFound(f"There is no member '{member_id}'. Check the id: it is the one their uploads were "
                             "made under (cpd-evidence uploads --member ID lists them).")
    found = load_year(session, member_id, year, settings.year_start_month)
    return YearExport(found, summarise(found, settings.ethics_activities_required))


def file_names(member_id: str, year: int) -> tuple[str, str]:
    """The workbook's and the cover sheet's file names; the member id kept to characters safe in a file name."""
    safe = re.sub(r"[^A-Za-z0-9._@-]", "_", member_id).lstrip(".") or "member"
    return f"cpd-record-{safe}-{year}.xlsx", f"cover-sheet-{safe}-{year}.pdf"


def write_files(export: YearExport, out_dir: Path) -> list[Path]:
    """Write the workbook and the cover sheet into `out_dir` (made if missing), each whole or not at all."""
    out_dir.mkdir(parents=True, exist_ok=True)
    xlsx_name, pdf_name = file_names(export.year.member_id, export.year.year)
    written = []
    for name, data in ((xlsx_name, export.xlsx()), (pdf_name, export.pdf())):
        path = out_dir / name
        temporary = path.with_name(path.name + ".part")
        temporary.write_bytes(data)
        temporary.replace(path)  # never half a file under the final name
        written.append(path)
    return written
