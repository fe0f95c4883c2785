"""The database engine: a PostgreSQL host that never answers fails the connection instead of hanging it."""
from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from ingest.store import db

from .conftest import make_settings


def _connect_in_background(url: str, tmp_path: Path) -> list[BaseException | None]:
    outcome: list[BaseException | None] = []

    def connect() -> None:
        try:
            with db.make_engine(make_settings(tmp_path, database_url=url)).connect() as conn:
                conn.execute(text("select 1"))
            outcome.append(None)
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=connect, daemon=True)
    worker.start()
    worker.join(60)     # a liveness bound, far above the timeout under test: without it the connect hangs
    return outcome


@pytest.mark.parametrize("query", ["", "?connect_timeout=1"], ids=["default", "set in the URL"])
def test_a_silent_database_host_fails_the_connection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     query: str) -> None:
    """GIVEN a host that accepts TCP and then says nothing WHEN the engine connects THEN OperationalError."""
    monkeypatch.setattr(db, "PG_CONNECT_TIMEOUT_S", 1)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)                 # the kernel completes the handshake; nobody ever answers
        port = silent.getsockname()[1]
        outcome = _connect_in_background(f"postgresql+psycopg2://cpd@127.0.0.1:{port}/cpd{query}", tmp_path)
    assert outcome and isinstance(outcome[0], OperationalError), outcome
