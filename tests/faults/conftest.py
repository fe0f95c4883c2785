"""Fixtures for the fault tests: the API in-process (FastAPI's TestClient) with tokens for every kind of
caller, on SQLite or a fresh PostgreSQL database, and a dispatcher that only records what it is sent."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ingest.api import create_app
from ingest.settings import Settings
from ingest.store import create_token
from ingest.work.runtime import Runtime, open_runtime

LIMIT = 256 * 1024  # CPD_MAX_UPLOAD_BYTES in these tests
GOOD_CSV = (
    "Title,Provider,Completion Date,Hours\n"
    "Anti-money laundering refresher,STEP,15/05/2024,2\n"
    "Professional ethics and conflicts of interest,STEP,10/06/2024,1.5\n"
).encode()


def make_settings(data_dir: Path, **overrides: Any) -> Settings:
    """Settings with the data folder given, whatever CPD_* variables the test process happens to have."""
    values: dict[str, Any] = {"data_dir": data_dir, "database_url": None, "broker_url": None, "blob_dir": None,
                              "queue_prefix": "", "max_upload_bytes": LIMIT, "max_attempts": 3}
    values.update(overrides)
    return Settings(**values)


class Recorder:
    """A dispatcher that keeps the ids it is sent: the API is under test here, not the work."""

    def __init__(self) -> None:
        self.sent: list[int] = []

    def upload(self, upload_id: int) -> None:
        self.sent.append(upload_id)

    reprocess = upload

    def remap(self, member_id: str) -> None:
        pass

    def close(self) -> None:
        pass


class Api:
    """A TestClient with tokens: "alice" and "bob" (members), "admin", "portal"."""

    def __init__(self, client: TestClient, runtime: Runtime) -> None:
        self.client, self.runtime = client, runtime
        with runtime.sessions() as s, s.begin():
            self.tokens = {"alice": create_token(s, "member", "alice"), "bob": create_token(s, "member", "bob"),
                           "admin": create_token(s, "admin"), "portal": create_token(s, "portal")}

    def headers(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def call(self, method: str, url: str, who: str, **kwargs: Any) -> Any:
        headers = {**self.headers(who), **kwargs.pop("headers", {})}
        return self.client.request(method, url, headers=headers, **kwargs)


@pytest.fixture(autouse=True)
def _no_cpd_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the developer's own CPD_* variables away from code that reads the environment."""
    for name in list(os.environ):
        if name.startswith("CPD_"):
            monkeypatch.delenv(name)




@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def database_url(request: pytest.FixtureRequest) -> str | None:
    """None (the embedded SQLite), or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return None
    return str(request.getfixturevalue("pg_database"))


@pytest.fixture()
def api(tmp_path: Path, database_url: str | None) -> Iterator[Api]:
    runtime = open_runtime(make_settings(tmp_path / "var", database_url=database_url))
    with TestClient(create_app(runtime.settings, runtime=runtime, dispatcher=Recorder()),
                    raise_server_exceptions=False) as client:
        yield Api(client, runtime)
    runtime.close()
