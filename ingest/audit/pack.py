"""The audit pack: what a member submits for an audit request, frozen as one ZIP kept in the blob store.

    submit(session, blobs, request_id, by, settings, note, at) -> AuditRequestRow   built, stored, `submitted`
    build_pack(session, blobs, member_id, year, settings, at) -> Pack               the ZIP's bytes, not stored
    pack_bytes(blobs, request) -> bytes                                              the frozen ZIP, checked

Inside the ZIP:
    cpd-record-MEMBER-YEAR.xlsx     the CPD record (ingest/year/export)
    cover-sheet-MEMBER-YEAR.pdf     the cover sheet, its last pages the index of activities
    index.csv                       the same index: activity -> evidence file, page/sheet/row, why mapped, values
    evidence/UPLOAD-FILENAME        every original file the record's activities came from, byte for byte
    manifest.json                   the request, and each file's name, size and sha256

The blob store keeps bytes by their sha256 and never changes them, and the request keeps the pack's sha256:
an edit made after submission changes the member's record, never the pack submitted.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from ..settings import Settings
from ..store import AuditRequestRow, BlobStore, utcnow
from ..year.export import file_names, year_export
from ..year.export.cover import cover_bytes
from .cycles import AuditError, advance, get_request
from .index import index_csv, index_pages, index_rows
from .states import OPEN, SUBMITTED

__all__ = ["Pack", "build_pack", "submit", "pack_bytes", "pack_name", "ZIP_TYPE"]

ZIP_TYPE = "application/zip"


@dataclass(frozen=True, slots=True)
class Pack:
    """A pack's bytes, their sha256, and the manifest inside it."""

    data: bytes
    sha256: str
    manifest: dict[str, Any]


def pack_name(row: AuditRequestRow) -> str:
    """The ZIP's file name: audit-pack-MEMBER-YEAR-REQUEST.zip."""
    safe = re.sub(r"[^A-Za-z0-9._@-]", "_", row.member_id).lstrip(".") or "member"
    return f"audit-pack-{safe}-{row.year}-{row.id}.zip"


def build_pack(session: Session, blobs: BlobStore, member_id: str, year: int, settings: Settings,
               at: dt.datetime, request_id: int | None = None) -> Pack:
    """The pack of the member's CPD year as it stands now (see the module's docstring)."""
    export = year_export(session, member_id, year, settings)
    evidence = {s.upload_id: f"evidence/{s.upload_id}-{_safe_name(s.filename)}" for s in export.year.sources}
    rows = index_rows(export.year, evidence)
    role = export.year.role or {}
    cover = cover_bytes(export.summary, [str(r["id"]) for r in role.get("responsibilities", [])], index_pages(rows))
    xlsx_name, pdf_name = file_names(member_id, year)
    files: list[tuple[str, bytes]] = [(xlsx_name, export.xlsx()), (pdf_name, cover), ("index.csv", index_csv(rows))]
    files += [(evidence[s.upload_id], blobs.get(s.sha256)) for s in export.year.sources]
    manifest = {"request_id": request_id, "member_id": member_id, "year": year, "made_at": at.isoformat() + "Z",
                "activities": len(rows), "summary": {k: export.summary[k] for k in ("activities", "hours",
                                                                                    "verifiable_hours")},
                "files": [{"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                          for name, data in files],
                "evidence": [{"upload_id": s.upload_id, "filename": s.filename, "sha256": s.sha256,
                              "path": evidence[s.upload_id]} for s in export.year.sources]}
    buffer = io.BytesIO()
    stamp = (max(at.year, 1980), at.month, at.day, at.hour, at.minute, at.second)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in [*files, ("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False).encode())]:
            archive.writestr(zipfile.ZipInfo(name, date_time=stamp), data, compress_type=zipfile.ZIP_DEFLATED)
    data = buffer.getvalue()
    return Pack(data, hashlib.sha256(data).hexdigest(), manifest)


def _safe_name(filename: str) -> str:
    name = re.sub(r"[^\w.@() -]", "_", filename.replace("\\", "/").rsplit("/", 1)[-1]).strip(" .")
    return name[:120] or "file"


def submit(session: Session, blobs: BlobStore, request_id: int, by: str, settings: Settings,
           note: str | None = None, at: dt.datetime | None = None) -> AuditRequestRow:
    """Freeze the member's record for the requested year as the pack, store it, and mark the request submitted."""
    row = get_request(session, request_id)
    if row.state not in OPEN:
        raise AuditError("not_allowed", f"Request {request_id} is '{row.state}': its record was submitted already "
                         f"({row.submitted_at:%Y-%m-%d %H:%M} UTC) and cannot be submitted again." if row.submitted_at
                         else f"Request {request_id} is '{row.state}', so nothing can be submitted for it.")
    now = at or utcnow()
    pack = build_pack(session, blobs, row.member_id, row.year, settings, now, request_id)
    stored = blobs.put(pack.data)
    row.pack_sha256, row.pack_size, row.submitted_at = stored, len(pack.data), now
    return advance(session, row, SUBMITTED, by, note or f"Submitted: pack {stored[:12]}, {pack.manifest['activities']} "
                 f"activities, {len(pack.manifest['evidence'])} evidence files.", now)


def pack_bytes(blobs: BlobStore, row: AuditRequestRow) -> bytes:
    """The pack submitted for the request, checked against its stored sha256."""
    if row.pack_sha256 is None:
        raise AuditError("not_submitted", f"Request {row.id} is '{row.state}': nothing has been submitted for it "
                         "yet, so there is no pack.")
    return blobs.get(row.pack_sha256)
