"""The member's year: what the stored activities add up to, read for the member, the portal and an audit.

Owns the CPD year's summary (summary.py: hours, ethics, responsibilities covered), the same activity read
from two uploads (duplicates.py finds and keeps the links, duplicate_rules.py says when two are alike),
and the audit-ready export (export/: the workbook and its PDF cover sheet; imported on its own, so that
reading the year never loads the spreadsheet and PDF writers).

May import: ingest.store (it reads the rows and writes duplicate links), ingest.settings, mappers.areas, rapidfuzz,
openpyxl and reportlab (export only). Never ingest.work, ingest.api or ingest.cli.
"""
from __future__ import annotations

from .duplicates import LINKED_BY_MEMBER, DuplicateError, detect, detect_apart, link, unlink
from .summary import Year, cpd_year_bounds, cpd_year_of, load_year, member_summary, summarise

__all__ = ["LINKED_BY_MEMBER", "DuplicateError", "detect", "detect_apart", "link", "unlink", "Year", "cpd_year_bounds",
           "cpd_year_of", "load_year", "member_summary", "summarise"]
