"""The store: what the service keeps, and nothing of how it is read or shown.

Owns the tables (models.py: the rows, each class named ...Row), the engine, sessions and migrations
(db.py, migrations/), the uploaded bytes by sha256 (blobs.py: a folder; s3.py: an S3-compatible store), members and their role (members.py),
uploads and their activities (uploads.py), the member's review of each activity (reviews.py), the titles
members taught the matcher (exemplars.py), bearer tokens (tokens.py, expiring and revocable) and
the audit year's rows (audit_rows.py). Nothing here commits: callers own
the transaction.

May import: ingest.settings, mappers.activity (the activity it stores), SQLAlchemy and Alembic. Never
ingest.work, ingest.year, ingest.api or ingest.cli (the contracts in pyproject.toml say so, and a test checks).
"""
from __future__ import annotations

from .audit_rows import AuditCycleRow, AuditEventRow, AuditRequestRow
from .blobs import BlobCorrupt, BlobMissing, BlobStore, BlobWriter, LocalBlobs, StorageUnavailable, is_sha256
from .choose import open_blobs
from .s3 import S3Blobs
from .db import SessionFactory, make_engine, migrate, session_factory
from .exemplars import approve_exemplars, exemplar_json, exemplar_page, exemplars_for, record_exemplars
from .members import (MemberRole, display_name, ensure_member, lock_member, member_role, role_hash, set_display_name,
                      set_role)
from .models import (DONE, FAILED, PROCESSING, QUEUED, STATES, ActivityRow, AuditRow, Base, DuplicateDecisionRow,
                     ExemplarRow, MemberRow, ReviewRow, State, TokenRow, UploadRow, utcnow)
from .reviews import (CONFIRMED, EDITABLE, EDITED, MANUAL, REASONS, REJECTED, REVIEW_STATES, UNREVIEWED, ReviewError,
                      add_manual, apply_reviews, drop_reviews, extracted_of, needs_attention, orphan_json, orphans,
                      overlaid, save_review, undated_filter, with_matches, with_review)
from .tokens import (ADMIN, KINDS, MEMBER, PORTAL, Principal, TokenRefused, authenticate, create_token, hash_token,
                     list_tokens, parse_duration, revoke_token, token_state)
from .uploads import (LeaseLost, ReadError, ReadResult, activity_count, activity_values, clean_text,
                      find_or_create_upload, finish_links, neutral_name, save_result, update_matches)

__all__ = [
    "AuditCycleRow", "AuditEventRow", "AuditRequestRow",
    "BlobCorrupt", "BlobMissing", "BlobStore", "BlobWriter", "LocalBlobs", "StorageUnavailable", "is_sha256",
    "open_blobs", "S3Blobs",
    "SessionFactory", "make_engine", "migrate", "session_factory",
    "approve_exemplars", "exemplar_json", "exemplar_page", "exemplars_for", "record_exemplars",
    "MemberRole", "display_name", "ensure_member", "lock_member", "member_role", "role_hash", "set_display_name",
    "set_role",
    "DONE", "FAILED", "PROCESSING", "QUEUED", "STATES", "ActivityRow", "AuditRow", "ExemplarRow", "ReviewRow", "Base", "DuplicateDecisionRow", "MemberRow",
    "State", "TokenRow", "UploadRow", "utcnow",
    "CONFIRMED", "EDITABLE", "EDITED", "MANUAL", "REASONS", "REJECTED", "REVIEW_STATES", "UNREVIEWED", "ReviewError",
    "add_manual", "apply_reviews", "drop_reviews", "extracted_of", "needs_attention", "orphan_json", "orphans",
    "overlaid", "save_review", "undated_filter", "with_matches", "with_review",
    "ADMIN", "KINDS", "MEMBER", "PORTAL", "Principal", "TokenRefused", "authenticate", "create_token", "hash_token",
    "list_tokens", "parse_duration", "revoke_token", "token_state",
    "LeaseLost", "ReadError", "ReadResult", "activity_count", "activity_values", "clean_text", "find_or_create_upload",
    "neutral_name", "save_result", "finish_links", "update_matches",
]
