"""The HTTP API (CONTRACT.md section 3): requests in, JSON out; nothing else (the web pages are ingest.web,
built over this app).

Owns the app and its error answers (app.py), what the routes share (deps.py: the caller from the bearer
token, the request's session, who may read what), the routes by room (uploads.py, members.py, year.py) and
the page cursors (paging.py). Each route checks the request and calls the same action the command line
calls (ingest.work.actions, ingest.year).

May import: ingest.work, ingest.audit, ingest.year, ingest.store, ingest.settings, FastAPI. Never ingest.cli or
worker.py.
"""
from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
