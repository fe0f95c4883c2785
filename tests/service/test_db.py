"""The database engine: a PostgreSQL host that never answers fails the connection instead of hanging it; a
database already at the newest migration is not migrated again, and one behind is brought up to it."""
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


def test_head_revision_is_alembics_head() -> None:
    """HEAD_REVISION (what `migrate` compares with, without loading alembic) is the newest migration's revision."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_heads() == [db.HEAD_REVISION]


def test_a_database_behind_is_migrated_and_one_at_head_is_left_alone(tmp_path: Path) -> None:
    """GIVEN a new database THEN migrate brings it to the head; GIVEN one stamped a revision behind (as after an
    upgrade of the code) THEN migrate runs alembic again and it is at the head."""
    engine = db.make_engine(make_settings(tmp_path))
    assert not db.at_head(engine)
    db.migrate(engine)
    assert db.at_head(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0006_tokens'"))
        conn.execute(text("ALTER TABLE members DROP COLUMN display_name"))   # what 0007_profile adds
    assert not db.at_head(engine)
    db.migrate(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == db.HEAD_REVISION
        conn.execute(text("SELECT display_name FROM members"))
    engine.dispose()
