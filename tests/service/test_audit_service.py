"""The audit year from outside: reminders (due soon, overdue, behind), the admin and member HTTP calls, and
`cpd-evidence audit ...` on the command line. Real files, the real pipeline, the real database."""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ingest.api import create_app
from ingest.audit import request_record, set_working
from ingest.audit.pack import submit
from ingest.audit.reminders import expected_by, reminders, reminders_csv
from ingest.cli import app
from ingest.settings import get_settings
from ingest.store import create_token, ensure_member, set_role
from ingest.work.roles import load_role_json
from ingest.work.runtime import Runtime
from ingest.year import member_summary

from .conftest import make_settings
from .year_samples import transcript_and_record

MEMBER, IDLE, NEW = "hannah", "carol", "bob"
TODAY = dt.date(2025, 10, 1)


@pytest.fixture()
def members(runtime: Runtime) -> Runtime:
    """hannah (a trust administrator with her year read), bob (working, a role, nothing read), carol (not working)."""
    transcript_and_record(runtime, MEMBER)
    with runtime.sessions() as s, s.begin():
        set_working(s, NEW, True)
        set_role(s, NEW, load_role_json("trust-administrator"))
        set_working(s, IDLE, False)
    return runtime


def test_expected_hours_are_pro_rata_of_the_days_gone() -> None:
    assert expected_by(36.5, 2025, 4, dt.date(2025, 3, 31)) == 0
    assert expected_by(36.5, 2025, 4, dt.date(2025, 4, 1)) == 0.1   # one day of 365
    assert expected_by(36.5, 2025, 4, TODAY) == round(36.5 * 184 / 365, 2)  # 1 April to 1 October, both in
    assert expected_by(36.5, 2025, 4, dt.date(2026, 6, 1)) == 36.5


def test_reminders_name_due_soon_overdue_and_behind(members: Runtime, tmp_path: Path) -> None:
    """GIVEN requests due in 5 days, due yesterday, due in 30 days and one submitted, and members with and
    without learning WHEN the reminders of 1 October 2025 are listed (14 days) THEN the first is due soon, the
    second overdue (and moved to that state), the others not listed; bob is behind on ethics, hours and his
    role's responsibilities, carol (not working) is never listed, and hannah only for what she lacks."""
    runtime = members
    settings = make_settings(tmp_path, hours_expected=1000)
    with runtime.sessions() as s, s.begin():
        ensure_member(s, "dana")
        soon = request_record(s, MEMBER, 2024, "Spot check", "admin", today=dt.date(2025, 8, 6))      # due 6 Oct
        late = request_record(s, NEW, 2024, "Complaint", "admin", today=dt.date(2025, 7, 30))         # due 30 Sep
        later = request_record(s, "dana", 2024, "Spot check", "admin", today=dt.date(2025, 9, 1))     # due 1 Nov
        done = request_record(s, "dana", 2023, "Spot check", "admin", today=dt.date(2025, 7, 1))
        submit(s, runtime.blobs, done.id, "dana", settings)
        found = reminders(s, settings, 2025, TODAY, within_days=14)
        hannah = member_summary(s, MEMBER, 2025, 4)
    by_kind = {(r.kind, r.member_id): r for r in found}
    assert by_kind[("due_soon", MEMBER)].request_id == soon.id and by_kind[("due_soon", MEMBER)].days_left == 5
    assert by_kind[("overdue", NEW)].request_id == late.id and by_kind[("overdue", NEW)].days_left == -1
    assert late.state == "overdue"
    assert later.id not in {r.request_id for r in found} and done.id not in {r.request_id for r in found}
    assert not any(r.member_id == IDLE for r in found)
    bob = by_kind[("behind", NEW)].reasons
    assert len(bob) == 3 and "0 ethics-related" in bob[0] and "0 hours so far" in bob[1]
    assert f"below the {expected_by(1000, 2025, 4, TODAY):g} expected" in bob[1] and "not yet covered" in bob[2]
    mine = by_kind[("behind", MEMBER)].reasons
    assert any(f"{hannah['hours']:g} hours so far" in r for r in mine)
    assert any("ethics" in r for r in mine) == (not hannah["ethics"]["met"])
    assert ("dana" in {r.member_id for r in found if r.kind == "behind"})  # working by default, nothing read
    rows = list(csv.DictReader(io.StringIO(reminders_csv(found).decode())))
    assert [(r["kind"], r["member_id"]) for r in rows] == [(r.kind, r.member_id) for r in found]
    assert rows[0]["due_on"] == "2025-09-30"


@pytest.fixture()
def client(members: Runtime) -> Iterator[tuple[TestClient, dict[str, str]]]:
    with members.sessions() as s, s.begin():
        tokens = {MEMBER: create_token(s, "member", MEMBER), NEW: create_token(s, "member", NEW),
                  "admin": create_token(s, "admin"), "portal": create_token(s, "portal")}
    with TestClient(create_app(members.settings, runtime=members, dispatcher="inline")) as http:
        yield http, tokens


def _call(client: tuple[TestClient, dict[str, str]], method: str, path: str, who: str, **kwargs: Any) -> Any:
    http, tokens = client
    return http.request(method, path, headers={"Authorization": f"Bearer {tokens[who]}"}, **kwargs)


def test_api_audit_year(client: tuple[TestClient, dict[str, str]]) -> None:
    """GIVEN an admin and members WHEN the admin marks a member not working, draws 2025 at 100% with a seed,
    then the member submits, the admin reviews and the member appeals THEN each answer says so; the pack
    downloaded is the one whose sha256 the request keeps; another member sees nothing of it."""
    assert _call(client, "PUT", f"/admin/members/{IDLE}/working", MEMBER, json={"working": False}).status_code == 403
    assert _call(client, "PUT", f"/admin/members/{IDLE}/working", "admin", json={"working": False}).json() == {
        "member_id": IDLE, "working": False}
    drawn = _call(client, "POST", "/admin/audit/draw", "admin", json={"year": 2025, "rate": 1, "seed": 5})
    assert drawn.status_code == 201 and drawn.json()["members"] == [NEW, MEMBER] and drawn.json()["seed"] == 5
    again = _call(client, "POST", "/admin/audit/draw", "admin", json={"year": 2025})
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_drawn"
    request_id = next(r["id"] for r in drawn.json()["requests"] if r["member_id"] == MEMBER)
    mine = _call(client, "GET", f"/members/{MEMBER}/audit/requests", MEMBER).json()["items"]
    assert [r["id"] for r in mine] == [request_id] and mine[0]["state"] == "requested"
    assert _call(client, "GET", f"/members/{MEMBER}/audit/requests", NEW).status_code == 403
    assert _call(client, "GET", f"/audit/requests/{request_id}", NEW).status_code == 404
    assert _call(client, "GET", f"/audit/requests/{request_id}/pack", MEMBER).json()["error"]["code"] == "not_submitted"
    submitted = _call(client, "POST", f"/audit/requests/{request_id}/submit", MEMBER, json={"note": "Here it is"})
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    pack = _call(client, "GET", f"/audit/requests/{request_id}/pack", "admin")
    assert hashlib.sha256(pack.content).hexdigest() == submitted.json()["pack"]["sha256"]
    assert "index.csv" in zipfile.ZipFile(io.BytesIO(pack.content)).namelist()
    skipped = _call(client, "POST", f"/admin/audit/requests/{request_id}/state", "admin", json={"state": "upheld"})
    assert skipped.status_code == 409 and "it may go to under_review" in skipped.json()["error"]["message"]
    for state in ("under_review", "action_required"):
        assert _call(client, "POST", f"/admin/audit/requests/{request_id}/state", "admin",
                     json={"state": state, "note": "checked"}).status_code == 200
    assert _call(client, "POST", f"/audit/requests/{request_id}/appeal", "admin", json={}).status_code == 403
    appealed = _call(client, "POST", f"/audit/requests/{request_id}/appeal", MEMBER, json={"note": "Missed a file"})
    assert [h["to"] for h in appealed.json()["history"]] == ["requested", "submitted", "under_review",
                                                             "action_required", "appealed"]
    assert appealed.json()["history"][-1]["by"] == MEMBER
    adhoc = _call(client, "POST", "/admin/audit/requests", "admin", json={"member_id": NEW, "year": 2024,
                                                                         "reason": "A complaint"})
    assert adhoc.status_code == 201 and adhoc.json()["reason"] == "A complaint"
    listed = _call(client, "GET", "/admin/audit/requests", "admin", params={"year": 2025}).json()["items"]
    assert {r["member_id"] for r in listed} == {MEMBER, NEW}
    csv_text = _call(client, "GET", "/admin/audit/reminders", "admin", params={"year": 2025, "format": "csv"})
    assert csv_text.status_code == 200 and csv_text.text.startswith("kind,member_id,request_id")
    assert _call(client, "GET", "/admin/audit/reminders", "portal", params={"year": 2025}).status_code == 403


def test_cli_audit_commands(members: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """draw (seeded, refused twice), request, submit, state, pack and reminders --csv from the command line."""
    monkeypatch.setenv("CPD_DATA_DIR", str(members.settings.data_dir))
    get_settings.cache_clear()
    run = CliRunner().invoke
    try:
        drawn = run(app, ["audit", "draw", "--year", "2025", "--seed", "3", "--rate", "0.5"])
        twice = run(app, ["audit", "draw", "--year", "2025"])
        asked = run(app, ["audit", "request", "--member", MEMBER, "--year", "2025", "--reason", "Complaint"])
        request_id = asked.stdout.split()[0]
        submitted = run(app, ["audit", "submit", request_id, "--by", MEMBER])
        moved = run(app, ["audit", "state", request_id, "under_review", "--note", "taken"])
        skipped = run(app, ["audit", "state", request_id, "upheld"])
        packed = run(app, ["audit", "pack", request_id, "--out", str(tmp_path / "packs")])
        listed = run(app, ["audit", "reminders", "--year", "2025", "--csv", str(tmp_path / "reminders.csv")])
    finally:
        get_settings.cache_clear()
    assert drawn.exit_code == 0, drawn.output
    assert "1 of 2 working members drawn (rate 0.5, seed 3" in drawn.stdout
    assert twice.exit_code == 2 and "was drawn already" in twice.output
    assert asked.exit_code == 0 and "requested" in asked.stdout
    assert submitted.exit_code == 0 and "pack sha256" in submitted.stdout, submitted.output
    assert moved.exit_code == 0 and "under_review" in moved.stdout
    assert skipped.exit_code == 2 and "cannot go to 'upheld'" in skipped.output
    path = Path(packed.stdout.strip())
    assert packed.exit_code == 0 and path.name == f"audit-pack-{MEMBER}-2025-{request_id}.zip"
    assert hashlib.sha256(path.read_bytes()).hexdigest() in submitted.stdout
    assert listed.exit_code == 0, listed.output
    rows = list(csv.DictReader((tmp_path / "reminders.csv").open()))
    assert {r["member_id"] for r in rows} >= {NEW} and IDLE not in {r["member_id"] for r in rows}
