"""Tokens that end (issue 18, item 5): `token create --expires-in`, `token list` (no secrets), `token revoke`,
the admins' POST /admin/tokens/{id}/revoke, the last use recorded, and 401 with a clear code and message for
an expired or revoked token. The commands run as `cpd-evidence` subprocesses on the data folder the API uses."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from ingest.api import create_app
from ingest.store import TokenRow, hash_token, utcnow
from ingest.work.runtime import Runtime, open_runtime

from .conftest import GOOD_CSV, REPO, make_settings


def run(tmp_path: Path, *args: str, database_url: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CPD_")}
    env["CPD_DATA_DIR"] = str(tmp_path / "var")
    if database_url:
        env["CPD_DATABASE_URL"] = database_url
    return subprocess.run([sys.executable, "-m", "ingest", *args], env=env, cwd=REPO, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def database_url(request: pytest.FixtureRequest) -> str | None:
    return None if request.param == "sqlite" else str(request.getfixturevalue("pg_database"))


@pytest.fixture()
def service(tmp_path: Path, database_url: str | None) -> Iterator[tuple[TestClient, Runtime]]:
    runtime = open_runtime(make_settings(tmp_path, database_url=database_url))
    with TestClient(create_app(runtime.settings, runtime=runtime, dispatcher="inline")) as client:
        yield client, runtime
    runtime.close()


def call(client: TestClient, method: str, url: str, token: str, **kwargs: Any) -> Any:
    return client.request(method, url, headers={"Authorization": f"Bearer {token}"}, **kwargs)


def token_row(runtime: Runtime, token: str) -> TokenRow:
    with runtime.sessions() as s:
        row = s.query(TokenRow).filter(TokenRow.token_hash == hash_token(token)).one()
        s.expunge(row)
        return row


@pytest.mark.parametrize("database_url", [None])  # the commands are the same on PostgreSQL; each run is seconds
def test_cli_tokens_expire_list_without_secrets_and_revoke(tmp_path: Path, database_url: str | None,
                                                           service: tuple[TestClient, Runtime]) -> None:
    """GIVEN tokens made by `token create` (one with --expires-in 90d) WHEN listed, used and revoked THEN the list
    shows kinds, states and expiry but no token or hash, the last use is recorded, and a revoked token gets
    401 token_revoked saying to ask for a new one."""
    client, runtime = service
    made = run(tmp_path, "token", "create", "--member", "alice", "--expires-in", "90d", database_url=database_url)
    assert made.returncode == 0, made.stderr
    alice = made.stdout.strip()
    admin = run(tmp_path, "token", "create", "--admin", database_url=database_url).stdout.strip()
    row = token_row(runtime, alice)
    assert row.expires_at is not None and abs(row.expires_at - (utcnow() + dt.timedelta(days=90))) < dt.timedelta(
        minutes=5)
    assert row.last_used_at is None
    assert call(client, "POST", "/uploads", alice, files={"file": ("a.csv", GOOD_CSV, "text/csv")}).status_code == 202
    assert token_row(runtime, alice).last_used_at is not None

    listed = run(tmp_path, "token", "list", "--json", database_url=database_url)
    assert listed.returncode == 0, listed.stderr
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [(r["kind"], r["member_id"], r["state"]) for r in rows] == [("member", "alice", "active"),
                                                                       ("admin", None, "active")]
    assert rows[0]["expires_at"] and rows[0]["last_used_at"] and rows[1]["expires_at"] is None
    table = run(tmp_path, "token", "list", database_url=database_url).stdout
    for secret in (alice, admin, hash_token(alice), hash_token(admin)):
        assert secret not in listed.stdout and secret not in table

    revoked = run(tmp_path, "token", "revoke", str(rows[0]["id"]), database_url=database_url)
    assert revoked.returncode == 0 and "revoked" in revoked.stdout, revoked.stderr
    answer = call(client, "GET", "/uploads/1", alice)
    assert answer.status_code == 401 and answer.json()["error"]["code"] == "token_revoked"
    assert "new one" in answer.json()["error"]["message"]
    assert call(client, "GET", "/uploads/1", admin).status_code == 200

    unknown = run(tmp_path, "token", "revoke", "999", database_url=database_url)
    assert unknown.returncode == 2 and "no token 999" in unknown.stderr
    for bad in ("90", "99999d"):
        refused = run(tmp_path, "token", "create", "--portal", "--expires-in", bad, database_url=database_url)
        assert refused.returncode == 2 and "--expires-in" in refused.stderr, (bad, refused.stderr)


def test_an_expired_token_gets_401_token_expired(service: tuple[TestClient, Runtime]) -> None:
    """GIVEN a token whose expiry has passed THEN every call gets 401 token_expired naming when, while a token
    without expiry still works."""
    from ingest.store import create_token

    client, runtime = service
    with runtime.sessions() as s, s.begin():
        short = create_token(s, "member", "alice", expires_in=dt.timedelta(hours=1))
        lasting = create_token(s, "member", "alice")
    assert call(client, "GET", "/members/alice/activities", short).status_code == 200
    with runtime.sessions() as s, s.begin():  # an hour and a minute later
        s.execute(update(TokenRow).where(TokenRow.token_hash == hash_token(short)).values(
            expires_at=utcnow() - dt.timedelta(minutes=1)))
    for method, url in (("GET", "/members/alice/activities"), ("POST", "/uploads")):
        answer = call(client, method, url, short)
        assert answer.status_code == 401 and answer.json()["error"]["code"] == "token_expired", answer.text
        assert "expired on" in answer.json()["error"]["message"] and answer.headers["WWW-Authenticate"] == "Bearer"
    assert call(client, "GET", "/members/alice/activities", lasting).status_code == 200


def test_admins_revoke_a_token_over_http(service: tuple[TestClient, Runtime]) -> None:
    """GIVEN a member's and two admins' tokens WHEN an admin revokes the member's THEN it gets 401 token_revoked at
    once; GET /admin/tokens shows the state and no secret; a member may not revoke (403), an unknown id is 404,
    and an admin may not revoke the token the request came with (409)."""
    from ingest.store import create_token

    client, runtime = service
    with runtime.sessions() as s, s.begin():
        alice, admin, other_admin = (create_token(s, "member", "alice"), create_token(s, "admin"),
                                     create_token(s, "admin"))
    alice_id, admin_id = token_row(runtime, alice).id, token_row(runtime, admin).id
    assert call(client, "POST", f"/admin/tokens/{alice_id}/revoke", alice).status_code == 403
    answer = call(client, "POST", f"/admin/tokens/{alice_id}/revoke", admin)
    assert answer.status_code == 200 and answer.json()["state"] == "revoked", answer.text
    assert call(client, "GET", "/members/alice/activities", alice).json()["error"]["code"] == "token_revoked"
    again = call(client, "POST", f"/admin/tokens/{alice_id}/revoke", admin).json()
    assert again["revoked_at"] == answer.json()["revoked_at"]
    listed = call(client, "GET", "/admin/tokens", admin)
    assert [t["state"] for t in listed.json()["items"]] == ["revoked", "active", "active"]
    for secret in (alice, admin, hash_token(alice)):
        assert secret not in listed.text
    assert call(client, "POST", "/admin/tokens/999/revoke", admin).status_code == 404
    assert call(client, "POST", "/admin/tokens/99999999999999999999999/revoke", admin).status_code in (400, 404, 422)
    own = call(client, "POST", f"/admin/tokens/{admin_id}/revoke", admin)
    assert own.status_code == 409 and own.json()["error"]["code"] == "own_token"
    assert call(client, "POST", f"/admin/tokens/{admin_id}/revoke", other_admin).status_code == 200
    assert call(client, "GET", "/admin/tokens", admin).status_code == 401
