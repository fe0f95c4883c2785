"""The store: what the service keeps, and nothing of how it is read or shown.

Owns the tables (models.py: the rows, each class named ...Row), the engine, sessions and migrations
(db.py, migrations/), the uploaded bytes by sha256 (blobs.py: a folder; s3.py: an S3-compatible store), members and their role (members.py),
uploads and their activities (uploads.py) and bearer tokens (tokens.py). Nothing here commits: callers own
the transaction.

May import: ingest.settings, mappers.activity (the activity it stores), SQLAlchemy and Alembic. Never
ingest.work, ingest.year, ingest.api or ingest.cli (the contracts in pyproject.toml say so, and a test checks).
"""
from __future__ import annotations

from .blobs import BlobCorrupt, BlobMissing, BlobStore, BlobWriter, LocalBlobs, StorageUnavailable, is_sha256
from .choose import open_blobs
from .s3 import S3Blobs
from .db import SessionFactory, make_engine, migrate, session_factory
from .members import MemberRole, ensure_member, lock_member, member_role, role_hash, set_role
from .models import (DONE, FAILED, PROCESSING, QUEUED, STATES, ActivityRow, Base, DuplicateDecisionRow, MemberRow,
                     State, TokenRow, UploadRow, utcnow)
from .tokens import (ADMIN, KINDS, MEMBER, PORTAL, Principal, TokenRefused, authenticate, create_token, hash_token,
                     list_tokens, parse_duration, revoke_token, token_state)
from .uploads import (LeaseLost, ReadError, ReadResult, activity_count, activity_values, clean_text,
                      find_or_create_upload, neutral_name, save_result, update_matches)

__all__ = [
    "BlobCorrupt", "BlobMissing", "BlobStore", "BlobWriter", "LocalBlobs", "StorageUnavailable", "is_sha256",
    "open_blobs", "S3Blobs",
    "SessionFactory", "make_engine", "migrate", "session_factory",
    "MemberRole", "ensure_member", "lock_member", "member_role", "role_hash", "set_role",
    "DONE", "FAILED", "PROCESSING", "QUEUED", "STATES", "ActivityRow", "Base", "DuplicateDecisionRow", "MemberRow",
    "State", "TokenRow", "UploadRow", "utcnow",
    "ADMIN", "KINDS", "MEMBER", "PORTAL", "Principal", "TokenRefused", "authenticate", "create_token", "hash_token",
    "list_tokens", "parse_duration", "revoke_token", "token_state",
    "LeaseLost", "ReadError", "ReadResult", "activity_count", "activity_values", "clean_text", "find_or_create_upload",
    "neutral_name", "save_result", "update_matches",
]
