"""Alembic environment: migrates the connection the service hands over, or the URL from the settings.

The service runs `alembic upgrade head` itself at start (ingest.store.db.migrate). By hand, from the repository
root: `.venv/bin/alembic upgrade head` (alembic.ini points here; CPD_DATABASE_URL picks the database).
"""
from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from ingest.store.db import make_engine
from ingest.store.models import Base
from ingest.settings import Settings

config = context.config


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(url=Settings().database, target_metadata=Base.metadata, literal_binds=True,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(Settings())
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
