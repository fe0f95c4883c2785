"""Extractors: bytes in, tables and labelled records out, one module per format family.

The contract every module in `REGISTRY` keeps:

    FORMAT: str                    the format's short name ("xlsx", "csv", ...)
    MEDIA_TYPES: tuple[str, ...]   first one is the media type reported for the file
    sniff(head: bytes, filename: str) -> bool
        cheap, looks at the first bytes (and the name only to break a tie); never raises
    extract(upload: Upload, options: ExtractOptions) -> Extraction
        raises UnreadableFile(code, message) for a file it cannot read; rows it can read but
        not use become Issues inside the result; it never returns an empty result to mean failure

Extractors know nothing of the schema's meaning and import no database, Celery or settings.
`detect` picks exactly one module; the pipeline never falls back to "try the next one".
"""
from __future__ import annotations

from types import ModuleType

from . import csv, docx, html, image, json, ods, pdf, xls, xlsx, xml
from .errors import IngestError, UnreadableFile, UnsupportedFormat
from .model import Upload

__all__ = ["REGISTRY", "detect", "preload", "IngestError", "UnreadableFile", "UnsupportedFormat"]

HEAD_BYTES = 8192

# Detection order matters: formats with magic bytes first (PDF, images, the zip family, OLE2 BIFF), then
# markup: the learning standards' XML (claimed only by its root element and namespace, so XHTML and
# other XML are not taken) before HTML (an HTML table saved as .xls starts with "<html"), then JSON
# (starts with "[" or "{"), and CSV last because almost any text looks like a one-column CSV.
REGISTRY: dict[str, ModuleType] = {
    "pdf": pdf,
    "image": image,
    "xlsx": xlsx,
    "docx": docx,
    "ods": ods,
    "xls": xls,
    "xml": xml,
    "html": html,
    "json": json,
    "csv": csv,
}


def detect(upload: Upload) -> ModuleType:
    """The one extractor for these bytes, by content; the file name only breaks ties inside a module."""
    head = upload.data[:HEAD_BYTES]
    for module in REGISTRY.values():
        if module.sniff(head, upload.filename):
            return module
    raise UnsupportedFormat(
        f"'{upload.filename}' is not a format we can read (we read CSV, XLSX/XLSM, XLS, ODS, HTML tables, "
        "PDF, DOCX, xAPI / Open Badges / credential JSON, Europass XML, and images: PNG, JPEG, TIFF, WEBP, HEIC). "
        "Export the record from its system again in one of those formats."
    )


def preload() -> None:
    """Import every extractor's parsing libraries now. The PDF, Word and HTML extractors import theirs on
    first use, so reading a CSV never pays for them (~20 MB); a long-lived worker, which forks a child per
    file, calls this first so that its children share them rather than each importing its own."""
    import docx  # noqa: F401
    import lxml.html  # noqa: F401
    import pdfplumber  # noqa: F401
