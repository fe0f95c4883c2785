"""The work: reading uploads and everything that moves them along; the pure core's only caller in the service.

Owns the pure pipeline (pipeline.py: one file's bytes, name and role in, a FileResult out; no database), the
child process each file is read in (sandbox.py), matching activities to a role (matching.py, roles.py), the
job that claims, reads and stores one upload (jobs.py) under its lease (leases.py), sending work to Celery
or to this process (dispatch.py), re-matching after a role change (remap.py), the member's review and own uploads (review.py), what a
process needs
(runtime.py), and the operations the API and the CLI share (actions.py).

May import: ingest.store, ingest.year, ingest.settings, extractors, mappers, Celery. Never ingest.api,
ingest.cli or worker.py (worker.py imports this package, never the reverse; tasks are sent by name).

The names below load their module when first used, so that `cpd-evidence extract`, which needs only the
pipeline and the sandbox, never pays for the database or Celery.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .actions import Accepted, reprocess, send, set_role, upload, upload_json, uploads_page, year_summary
    from .dispatch import (TASK_PROCESS, TASK_REMAP, CeleryDispatcher, Dispatcher, InlineDispatcher, PoolDispatcher,
                           Sweeper, broker_backlog, celery_app, dispatcher_for)
    from .jobs import TRANSIENT_ERRORS, Outcome, Transient, backoff, process, store_result
    from .matching import MATCHERS, MatcherCache, match_activities, rematch_stored
    from .pipeline import EXTRACTOR_VERSION, FileError, FileResult, run
    from .roles import load_role_json, role_json, role_profile
    from .review import (Page, activities_page, add_activity, attention_page, audit, delete_upload, ethics_topics,
                         health, member_actor, my_uploads, resolved, review_activity, upload_bytes)
    from .runtime import Runtime, open_runtime, process_runtime
    from .sandbox import Limits, batches_isolated, limits_from, line_isolated

__all__ = [
    "Accepted", "reprocess", "send", "set_role", "upload", "upload_json", "uploads_page", "year_summary",
    "TASK_PROCESS", "TASK_REMAP", "CeleryDispatcher", "Dispatcher", "InlineDispatcher", "PoolDispatcher", "Sweeper",
    "broker_backlog", "celery_app", "dispatcher_for",
    "TRANSIENT_ERRORS", "Outcome", "Transient", "backoff", "process", "store_result",
    "MATCHERS", "MatcherCache", "match_activities", "rematch_stored",
    "EXTRACTOR_VERSION", "FileError", "FileResult", "run",
    "load_role_json", "role_json", "role_profile",
    "Page", "activities_page", "add_activity", "attention_page", "audit", "delete_upload", "ethics_topics", "health",
    "member_actor", "my_uploads", "resolved", "review_activity", "upload_bytes",
    "Runtime", "open_runtime", "process_runtime",
    "Limits", "batches_isolated", "limits_from", "line_isolated",
]
# Looked in, lightest first, for a name asked for: `run` loads the pipeline alone.
_MODULES = ("pipeline", "sandbox", "matching", "roles", "runtime", "jobs", "dispatch", "actions", "review")


def __getattr__(name: str) -> object:
    """A public name, from the first of its modules (lightest first) that exports it, imported on first use."""
    if name in __all__:
        for module_name in _MODULES:
            module = importlib.import_module(f"{__name__}.{module_name}")
            if name in module.__all__:
                return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
