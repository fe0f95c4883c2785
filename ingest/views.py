"""How an upload is shown over HTTP and by `cpd-evidence uploads --json`."""
from __future__ import annotations

from typing import Any

from .models import Upload

__all__ = ["upload_json"]


def upload_json(upload: Upload, activities: int) -> dict[str, Any]:
    error = {"code": upload.error_code, "message": upload.error_message} if upload.error_code else None
    return {
        "id": upload.id, "state": upload.state, "error": error, "activity_count": activities,
        "member_id": upload.member_id, "filename": upload.filename, "sha256": upload.sha256,
        "media_type": upload.media_type, "size": upload.size, "extractor": upload.extractor,
        "extractor_version": upload.extractor_version, "attempts": upload.attempts,
        "last_error": upload.last_error, "warnings": upload.warnings or [],
        "created_at": _iso(upload.created_at), "updated_at": _iso(upload.updated_at),
        "finished_at": _iso(upload.finished_at),
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() + "Z" if value is not None else None
