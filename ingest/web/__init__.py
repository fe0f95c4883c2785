"""The web pages: members and admins in a browser, server-rendered HTML over the API's own app.

Owns the site (site.py: `create_site`, the API's app with the pages, their assets and their error pages),
signing in and CSRF (session.py), the member's page (member.py: uploads, the year's activities, what needs
attention, the summary and its chart, the export), the review's forms (review.py: confirm, edit, reflect,
reject, a hand entry), the admin's page (console.py: failed uploads, the original files, reprocessing, every
upload's last error), what the pages show, read from the store (views.py, chart.py), and the templates and
assets (templates/, static/: plain CSS and JavaScript served from this package, nothing from a CDN). Each
route checks the request and calls the same actions the API and the command line call (ingest.work,
ingest.year).

May import: ingest.api (its app and request session), ingest.work, ingest.year, ingest.store, ingest.settings,
FastAPI, Jinja2. Never ingest.cli or worker.py.
"""
from __future__ import annotations

from .site import create_site

__all__ = ["create_site"]
