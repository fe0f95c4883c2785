"""The store: what the service keeps, and nothing of how it is read or shown.

Owns the tables (models.py: the rows, each class named ...Row), the engine, sessions and migrations
(db.py, migrations/), the uploaded bytes by sha256 (blobs.py), members and their role (members.py),
uploads and their activities (uploads.py) and bearer tokens (tokens.py). Nothing here commits: callers own
the transaction.

May import: ingest.settings, mappers.activity (the activity it stores), SQLAlchemy and Alembic. Never
ingest.work, ingest.year, ingest.api or ingest.cli (the contracts in pyproject.toml say so, and a test checks).
"""
from __future__ import annotations

from .blobs import BlobCorrupt, BlobMissing, BlobStore, LocalBlobs, open_blobs
from .db import SessionFactory, make_engine, migrate, session_factory
from .members import (MemberRole, display_name, ensure_member, lock_member, member_role, role_hash, set_display_name,
                      set_role)
from .models import (DONE, FAILED, PROCESSING, QUEUED, STATES, ActivityRow, Base, DuplicateDecisionRow, MemberRow,
                     State, TokenRow, UploadRow, utcnow)
from .tokens import ADMIN, KINDS, MEMBER, PORTAL, Principal, authenticate, create_token, hash_token
from .uploads import (LeaseLost, ReadError, ReadResult, activity_count, activity_values, clean_text,
                      find_or_create_upload, save_result, update_matches)

__all__ = [
    "BlobCorrupt", "BlobMissing", "BlobStore", "LocalBlobs", "open_blobs",
    "SessionFactory", "make_engine", "migrate", "session_factory",
    "MemberRole", "display_name", "ensure_member", "lock_member", "member_role", "role_hash", "set_display_name",
    "set_role",
    "DONE", "FAILED", "PROCESSING", "QUEUED", "STATES", "ActivityRow", "Base", "DuplicateDecisionRow", "MemberRow",
    "State", "TokenRow", "UploadRow", "utcnow",
    "ADMIN", "KINDS", "MEMBER", "PORTAL", "Principal", "authenticate", "create_token", "hash_token",
    "LeaseLost", "ReadError", "ReadResult", "activity_count", "activity_values", "clean_text", "find_or_create_upload",
    "save_result", "update_matches",
]
