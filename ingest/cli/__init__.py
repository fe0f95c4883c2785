"""The `cpd-evidence` command line (CONTRACT.md sections 2 and 3): options in, the shared actions called,
results printed; nothing else.

Owns the app (app.py), `extract` and `roles` on files with no server (extract.py), the service's commands
(commands.py parses their options, audit.py the audit year's commands; serving.py, uploads.py and year.py do
them, imported only when a command
runs, so `extract` never loads the database, Celery or the web) and what those share (common.py).

May import: ingest.work, ingest.audit, ingest.year, ingest.store, ingest.settings, extractors, mappers, Typer
and rich.
Never ingest.api except to serve it, and never worker.py: `cpd-evidence worker` starts Celery on it by name.
"""
from __future__ import annotations

from .app import app
from . import extract  # noqa: E402,F401,I001  (adds `extract` and `roles` first, as `--help` lists them)
from . import commands  # noqa: E402,F401,I001  (then the service's commands)
from . import audit  # noqa: E402,F401,I001  (then the audit year's)

__all__ = ["app", "main"]


def main() -> None:  # pragma: no cover
    """Run the command line (`python -m ingest`)."""
    app()
