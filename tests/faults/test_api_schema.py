"""Schemathesis against the served OpenAPI (/openapi.json): for every call, valid and invalid requests made
from the schema get no 5xx, and every 4xx is a JSON error with a code and a message.

Each generated request is sent as generated (with a token that may make the call: a member for uploads
and roles, the portal for members' reads, an admin for /admin), and, where its path has ids, again with
them replaced by ids that exist (Alice's member id, upload and activity, with Alice's token) so the calls reach past the
"not found" into the code behind them. Bounded by MAX_EXAMPLES per call (40, about 30 s in all on 2 cores;
CPD_FUZZ_EXAMPLES=500 for a deeper run before a release).

Hypothesis is driven here from each operation's strategy (positive and negative data), one test per call,
rather than by schemathesis' pytest plugin, whose lazy fixture loading does not run under pytest 9.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode

from ingest.api import create_app
from ingest.work import jobs
from ingest.work.runtime import open_runtime

from .conftest import GOOD_CSV, Api, Recorder, make_settings

pytestmark = pytest.mark.slow  # property-based: hundreds of requests per call


MAX_EXAMPLES = int(os.environ.get("CPD_FUZZ_EXAMPLES", "40"))


def _operations() -> list[tuple[str, str]]:
    """(method, path) of every call the app serves, read from its OpenAPI (no database needed for that)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        runtime = open_runtime(make_settings(Path(folder)), run_migrations=False)
        spec = create_app(runtime.settings, runtime=runtime, dispatcher=Recorder()).openapi()
        runtime.close()
    return [(method.upper(), path) for path, calls in spec["paths"].items() for method in calls]


OPERATIONS = _operations()


class Fuzz:
    """The app under test, its tokens, and ids that exist (Alice's upload, read, and one of its activities)."""

    def __init__(self, app: FastAPI, api: Api) -> None:
        self.app, self.api = app, api
        upload_id = api.call("POST", "/uploads", "alice", files={"file": ("a.csv", GOOD_CSV, "text/csv")}).json()["id"]
        jobs.process(upload_id, api.runtime)
        items = api.call("GET", "/members/alice/activities", "alice").json()["items"]
        assert items, "the seed upload gave no activities"
        self.known = {"member_id": "alice", "upload_id": upload_id, "activity_id": items[0]["activity_id"]}

    def token_for(self, case: Case[Any]) -> str:
        path, method = case.operation.path, case.method.upper()
        if path.startswith("/admin") or path.startswith("/uploads/"):
            return "admin"
        if path == "/uploads" or method != "GET":
            return "alice"
        return "portal"

    def variants(self, case: Case[Any]) -> Iterator[tuple[dict[str, str], dict[str, Any]]]:
        """(headers, path parameters to set): as generated, then with ids that exist and Alice's token."""
        yield self.api.headers(self.token_for(case)), {}
        params = case.path_parameters or {}
        known = {name: self.known[name] for name in params if name in self.known}
        if known:
            yield self.api.headers("alice" if "member_id" in known or "upload_id" not in known else "admin"), known


@pytest.fixture()
def fuzz(tmp_path: Path) -> Iterator[Fuzz]:
    runtime = open_runtime(make_settings(tmp_path / "var"))
    app = create_app(runtime.settings, runtime=runtime, dispatcher=Recorder())
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Fuzz(app, Api(client, runtime))
    runtime.close()


@pytest.mark.parametrize("method, path", OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_no_call_answers_5xx_and_errors_are_json(fuzz: Fuzz, method: str, path: str) -> None:
    operation = schemathesis.openapi.from_asgi("/openapi.json", fuzz.app)[path][method]
    cases = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))

    @given(case=cases)
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    def each(case: Case[Any]) -> None:
        _check(fuzz, case)

    each()


def _check(fuzz: Fuzz, case: Case[Any]) -> None:
    generated = dict(case.path_parameters or {})
    for headers, path_parameters in fuzz.variants(case):
        if path_parameters:
            case.path_parameters = {**generated, **path_parameters}
        response = case.call(headers=headers)
        assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code} " \
                                           f"{response.text[:500]}"
        if 400 <= response.status_code < 500:
            error = response.json()["error"]
            assert error["code"] and error["message"], response.text[:500]
