"""Engine, sessions and migrations: one engine per process, the schema brought to `head` at start.

SQLite (the embedded default) gets WAL and a busy timeout, so the API and the in-process workers can
write at once; PostgreSQL gets a pool that checks connections before use (a restarted server costs one
retry, not a failed upload).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from ..settings import Settings

__all__ = ["make_engine", "migrate", "at_head", "HEAD_REVISION", "session_factory", "SessionFactory"]

SessionFactory = sessionmaker[Session]
MIGRATIONS = Path(__file__).parent / "migrations"
PG_CONNECT_TIMEOUT_S = 10
_PG_MIGRATION_LOCK = 0x43504445  # pg_advisory_xact_lock key: one migrator at a time across machines


def make_engine(settings: Settings) -> Engine:
    """The engine for CPD_DATABASE_URL (SQLite in the data folder when unset), tuned as the docstring above says."""
    url = settings.database
    if url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # A database host that does not answer fails the attempt (a transient error, retried) after a few
    # seconds, instead of after the operating system's TCP timeout of about two minutes; a connect_timeout
    # in the URL's query wins.
    connect_args = {} if "connect_timeout=" in url else {"connect_timeout": PG_CONNECT_TIMEOUT_S}
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5, connect_args=connect_args)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


# The newest migration's revision (ingest/store/migrations/versions; tests/service/test_db.py checks it is
# alembic's head). A database already there is not migrated: every command and server opens the store, and
# alembic (its import and its scripts) cost about 0.3 s of each start.
HEAD_REVISION = "0007_profile"


def at_head(engine: Engine) -> bool:
    """Whether the database's schema is at HEAD_REVISION (False for a new database, or one to upgrade)."""
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD_REVISION
    except DBAPIError:                                # no alembic_version table yet: a new database
        return False


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (`alembic upgrade head`); safe to run from many processes."""
    if at_head(engine):
        return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def session_factory(engine: Engine) -> SessionFactory:
    """Sessions on `engine` whose rows stay readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)
