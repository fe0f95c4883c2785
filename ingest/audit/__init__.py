"""The audit year (issue 16): the yearly sample drawn reproducibly, ad-hoc requests, each request's states
with their history, the frozen audit pack a member submits, reminders, and the thematic review.

Owns cycles.py (draw, requests, changes of state), states.py (which change may follow which), dates.py
(due dates, overdue), views.py (the JSON). The pack (pack.py), reminders (reminders.py) and the review
(review/) are imported on their own, so that listing requests never loads the spreadsheet and PDF writers.

May import: ingest.year (the member's year, its export), ingest.store, ingest.settings, mappers (the
knowledge base's development areas). Never ingest.work, ingest.api or ingest.cli: both of those call here.
"""
from __future__ import annotations

from .cycles import (DEFAULT_RATE, SYSTEM, AuditError, Drawn, change, draw, get_request, history, mark_overdue,
                     request_record, requests_of, sample_size, set_working)
from .dates import due_date, is_overdue
from .states import NEXT, STATES
from .views import cycle_json, event_json, request_json

__all__ = ["DEFAULT_RATE", "SYSTEM", "AuditError", "Drawn", "change", "draw", "get_request", "history",
           "mark_overdue", "request_record", "requests_of", "sample_size", "set_working", "due_date", "is_overdue",
           "NEXT", "STATES", "cycle_json", "event_json", "request_json"]
