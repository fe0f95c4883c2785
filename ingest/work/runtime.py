"""What a process needs to do the work: settings, database engine and sessions, blob store, matchers.

Celery's prefork pool forks children from the worker's main process; an engine must not cross a fork
(its pooled connections would be shared), so `process_runtime` builds one per process id.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass

from sqlalchemy import Engine

from ..settings import Settings
from ..store import BlobStore, SessionFactory, make_engine, migrate, open_blobs, session_factory
from .matching import MATCHERS, MatcherCache

__all__ = ["Runtime", "open_runtime", "process_runtime"]


@dataclass
class Runtime:
    """The settings, the database's engine and sessions, the blob store and the matchers of one process."""

    settings: Settings
    engine: Engine
    sessions: SessionFactory
    blobs: BlobStore
    matchers: MatcherCache
    timed: bool = False  # True under Celery, whose soft time limit can stop a file mid-read

    def close(self) -> None:
        """Close the database connections."""
        self.engine.dispose()


def open_runtime(settings: Settings, *, run_migrations: bool = True, timed: bool = False) -> Runtime:
    """Connect (and with `run_migrations`, bring the schema to head, as every entry point does at start)."""
    engine = make_engine(settings)
    if run_migrations:
        migrate(engine)
    return Runtime(settings, engine, session_factory(engine), open_blobs(settings), MATCHERS, timed)


_by_pid: dict[int, Runtime] = {}
_lock = threading.Lock()


def process_runtime(settings: Settings, *, timed: bool = True) -> Runtime:
    """This process's runtime, built on first use (no migration: the worker's main process ran it)."""
    pid = os.getpid()
    with _lock:
        if pid not in _by_pid:
            for inherited in [p for p in _by_pid if p != pid]:  # the parent's, copied by fork: never used
                _by_pid.pop(inherited).engine.dispose(close=False)  # here, and never closed from here
            _by_pid[pid] = open_runtime(settings, run_migrations=False, timed=timed)
        return _by_pid[pid]
