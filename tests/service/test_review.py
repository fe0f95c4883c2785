"""The member's review over HTTP (issue 15, item 1): corrections kept apart from what was read, surviving
reprocess, role change and restart; rejected activities counted nowhere; undated ones waiting for the member;
their own uploads listed, downloaded and withdrawn; hand-entered activities; /health and an offline /docs.
On the embedded SQLite, and the survival case on PostgreSQL too, with the work done inside the request."""
from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select, update

from ingest.api import create_app
from ingest.store import AuditRow, ReviewRow, create_token
from ingest.work.runtime import Runtime, open_runtime

from .conftest import GOOD_CSV, OTHER_CSV, all_activities, make_settings

UNDATED_CSV = ("Title,Provider,Completion Date,Hours\n"
               "Sanctions screening basics,STEP,,1\n"
               "Client money rules refresher,STEP,02/10/2024,1.5\n").encode()


class Api:
    def __init__(self, client: TestClient, runtime: Runtime, tokens: dict[str, str] | None = None) -> None:
        self.client, self.runtime = client, runtime
        self.tokens = tokens or {name: self.token(kind, member) for name, kind, member in (
            ("alice", "member", "alice"), ("bob", "member", "bob"), ("admin", "admin", None),
            ("portal", "portal", None))}

    def token(self, kind: str, member: str | None) -> str:
        with self.runtime.sessions() as s, s.begin():
            return create_token(s, kind, member)

    def call(self, method: str, url: str, who: str | None, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.tokens.get(who, who)}"} if who else {}
        return self.client.request(method, url, headers=headers, **kwargs)

    def upload(self, who: str, data: bytes, name: str = "record.csv") -> int:
        answer = self.call("POST", "/uploads", who, files={"file": (name, data, "text/csv")})
        assert answer.status_code in (200, 202), answer.text
        return int(answer.json()["id"])

    def activity(self, who: str, title: str) -> dict[str, Any]:
        found = [a for a in all_activities(self.call, who, who, limit=50) if a["title"] == title]
        assert len(found) == 1, [a["title"] for a in all_activities(self.call, who, who, limit=50)]
        return found[0]

    def patch(self, who: str, activity_id: str, body: dict[str, Any], member: str | None = None) -> Any:
        return self.call("PATCH", f"/members/{member or who}/activities/{activity_id}", who, json=body)


def _open(settings: Any) -> tuple[Runtime, TestClient]:
    runtime = open_runtime(settings)
    return runtime, TestClient(create_app(runtime.settings, runtime=runtime, dispatcher="inline"))


@pytest.fixture()
def api(tmp_path: Path) -> Iterator[Api]:
    runtime, client = _open(make_settings(tmp_path))
    with client:
        yield Api(client, runtime)
    runtime.close()


def _hours(api: Api, year: int) -> float:
    answer = api.call("GET", "/members/alice/summary", "alice", params={"year": year})
    assert answer.status_code == 200, answer.text
    return float(answer.json()["hours"])


@pytest.mark.parametrize("database", ["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def test_a_correction_survives_reprocess_role_change_and_restart(database: str, tmp_path: Path,
                                                                 request: pytest.FixtureRequest) -> None:
    """GIVEN a member's edit, rejection, reflection, responsibilities and ethics call on activities read from
    a CSV; WHEN the upload is reprocessed, the member's role changes, and the service restarts on the same
    database; THEN the member's values are shown each time, what was read stays readable, and only the
    fields the member left alone follow the machine."""
    url = request.getfixturevalue("pg_database") if database == "postgresql" else None
    settings = make_settings(tmp_path, database_url=url)
    runtime, client = _open(settings)
    with client:
        api = Api(client, runtime)
        assert api.call("PUT", "/members/alice/role", "alice", json={"name": "trust-administrator"}).status_code == 200
        upload = api.upload("alice", GOOD_CSV)
        tax = api.activity("alice", "Inheritance tax planning for trusts")
        aml = api.activity("alice", "Anti-money laundering refresher")
        edited = api.patch("alice", tax["activity_id"], {
            "title": "Inheritance tax planning for trusts (IHT100 workshop)", "cpd_hours": 3.5,
            "reflection": "I now file IHT100 returns for relevant property trusts.", "responsibilities": ["TA2"],
            "ethics": {"related": True, "topics": ["integrity"]}})
        assert edited.status_code == 200, edited.text
        review = edited.json()["review"]
        assert review["state"] == "edited" and review["by"] == "member:alice" and review["at"]
        assert set(review["changed"]) == {"title", "cpd_hours", "reflection", "responsibilities", "ethics"}
        assert review["extracted"]["title"] == "Inheritance tax planning for trusts"
        assert review["extracted"]["cpd_hours"] == 1
        rejected = api.patch("alice", aml["activity_id"], {"review": "rejected", "reason": "not_mine"})
        assert rejected.json()["review"]["state"] == "rejected" and rejected.json()["review"]["reason"] == "not_mine"
        assert _hours(api, 2024) == 1.5 + 3.5

        def check(api: Api, role_prefix: str) -> None:
            tax_now = api.activity("alice", "Inheritance tax planning for trusts (IHT100 workshop)")
            assert tax_now["activity_id"] == tax["activity_id"] and tax_now["cpd_hours"] == 3.5
            assert tax_now["reflection"].startswith("I now file IHT100")
            assert [r["id"] for r in tax_now["responsibilities"]] == ["TA2"]
            assert [t["id"] for t in tax_now["ethics"]["topics"]] == ["integrity"] and tax_now["ethics"]["related"]
            assert tax_now["review"]["extracted"]["title"] == "Inheritance tax planning for trusts"
            assert api.activity("alice", aml["title"])["review"]["state"] == "rejected"
            others = [a for a in all_activities(api.call, "alice", "alice", limit=50) if a["responsibilities"]
                      and a["activity_id"] != tax["activity_id"]]
            assert others and all(r["id"].startswith(role_prefix) for a in others for r in a["responsibilities"])
            assert _hours(api, 2024) == 5.0

        assert api.call("POST", f"/admin/uploads/{upload}/reprocess", "admin").status_code == 202
        check(api, "TA")
        assert api.call("PUT", "/members/alice/role", "alice", json={"name": "tax-adviser"}).status_code == 200
        check(api, "TX")
        tokens = api.tokens
    runtime.close()

    runtime, client = _open(settings)  # a restart: a new engine and app on the same database and blobs
    with client:
        again = Api(client, runtime, tokens)
        check(again, "TX")
        assert again.call("POST", f"/admin/uploads/{upload}/reprocess", "admin").status_code == 202
        check(again, "TX")
    runtime.close()


def test_summary_and_export_use_corrected_values_and_count_rejected_nowhere(api: Api) -> None:
    """The year's hours, ethics and the exported workbook follow the member's values; a rejected activity is
    in neither, and a duplicate of it (the same course in another upload) counts in its place."""
    api.upload("alice", GOOD_CSV)
    assert _hours(api, 2024) == 4.5
    ethics = api.activity("alice", "Professional ethics and conflicts of interest")
    aml = api.activity("alice", "Anti-money laundering refresher")
    assert api.patch("alice", ethics["activity_id"], {"review": "rejected", "reason": "not learning"}).status_code == 200
    assert api.patch("alice", aml["activity_id"], {"completed_on": "2024-05-16", "cpd_hours": 2.25,
                                                   "title": "AML refresher (corrected)"}).status_code == 200
    summary = api.call("GET", "/members/alice/summary", "alice", params={"year": 2024}).json()
    assert summary["hours"] == 2.25 + 1 and summary["activities"] == 2
    assert all(e["activity_id"] != ethics["activity_id"] for e in summary["ethics"]["activities"])
    assert {m["month"]: m["hours"] for m in summary["hours_by_month"]}["2024-05"] == 2.25
    workbook = load_workbook(io.BytesIO(api.call("GET", "/members/alice/export", "alice",
                                                 params={"year": 2024, "format": "xlsx"}).content))
    cells = [str(c) for row in workbook["CPD record"].iter_rows(values_only=True) for c in row if c is not None]
    assert "AML refresher (corrected)" in cells and ethics["title"] not in cells
    assert "Anti-money laundering refresher" not in cells
    assert api.call("GET", "/members/alice/export", "alice", params={"year": 2024, "format": "pdf"}).status_code == 200
    unrejected = api.patch("alice", ethics["activity_id"], {"review": "confirmed"})
    assert unrejected.json()["review"]["state"] == "confirmed"
    assert _hours(api, 2024) == 2.25 + 1 + 1.5


def test_undated_activities_wait_until_dated_or_rejected(api: Api) -> None:
    """An undated completed activity is listed as needing attention, and the summary counts it, until the
    member dates it; another goes when rejected; an in-progress one never waits."""
    api.upload("alice", UNDATED_CSV)
    api.upload("alice", GOOD_CSV)
    waiting = api.call("GET", "/members/alice/activities", "alice", params={"needs_attention": "true"}).json()
    assert [a["title"] for a in waiting["items"]] == ["Sanctions screening basics"]
    assert waiting["corrections"] == [] and waiting["items"][0]["review"]["state"] == "unreviewed"
    summary = api.call("GET", "/members/alice/summary", "alice", params={"year": 2024}).json()
    assert summary["needs_attention"] == {"count": 1, "undated": 1, "corrections_lost": 0}
    dated = api.patch("alice", waiting["items"][0]["activity_id"], {"completed_on": "2024-11-05"})
    assert dated.status_code == 200 and dated.json()["completed_on"] == "2024-11-05"
    assert api.call("GET", "/members/alice/activities", "alice", params={"needs_attention": True}).json()["items"] == []
    assert _hours(api, 2024) == 1 + 1.5 + 4.5
    hand = api.call("POST", "/members/alice/activities", "alice", json={"title": "Reading: trustee duties"})
    assert hand.status_code == 201
    waiting = api.call("GET", "/members/alice/activities", "alice", params={"needs_attention": True}).json()
    assert [a["title"] for a in waiting["items"]] == ["Reading: trustee duties"]
    api.patch("alice", hand.json()["activity_id"], {"review": "rejected", "reason": "not_learning"})
    summary = api.call("GET", "/members/alice/summary", "alice", params={"year": 2024}).json()
    assert summary["needs_attention"]["count"] == 0


def test_a_correction_whose_activity_went_on_reprocess_is_kept_and_shown(api: Api) -> None:
    """GIVEN a correction on an activity; WHEN a reprocess no longer finds that activity (here: its id as an
    older extractor gave it); THEN the correction is kept, listed under `corrections` and counted as needing
    attention, until the member dismisses it."""
    upload = api.upload("alice", OTHER_CSV)
    first = api.activity("alice", "Estate administration update")
    api.patch("alice", first["activity_id"], {"reflection": "Used at once on the Hardy estate."})
    older_id = "0" * 64
    with api.runtime.sessions() as s, s.begin():
        s.execute(update(ReviewRow).where(ReviewRow.activity_id == first["activity_id"]).values(activity_id=older_id))
    assert api.call("POST", f"/admin/uploads/{upload}/reprocess", "admin").status_code == 202
    waiting = api.call("GET", "/members/alice/activities", "alice", params={"needs_attention": True}).json()
    assert [c["activity_id"] for c in waiting["corrections"]] == [older_id]
    lost = waiting["corrections"][0]
    assert lost["title"] == "Estate administration update" and lost["attention"]["code"] == "activity_gone"
    assert lost["review"]["values"]["reflection"] == "Used at once on the Hardy estate."
    summary = api.call("GET", "/members/alice/summary", "alice", params={"year": 2024}).json()
    assert summary["needs_attention"]["corrections_lost"] == 1
    assert api.patch("alice", older_id, {"title": "x"}).status_code == 409
    assert api.patch("bob", older_id, {"review": "unreviewed"}, member="alice").status_code == 403
    dismissed = api.patch("alice", older_id, {"review": "unreviewed"})
    assert dismissed.status_code == 200 and dismissed.json()["dismissed"] is True
    assert api.call("GET", "/members/alice/activities", "alice",
                    params={"needs_attention": True}).json()["corrections"] == []


def test_a_hand_entered_activity_is_marked_counted_and_matched(api: Api) -> None:
    """POST .../activities stores the member's own activity (source.extractor manual, review confirmed),
    matched to their role; it counts in its year like any other."""
    api.call("PUT", "/members/alice/role", "alice", json={"name": "trust-administrator"})
    answer = api.call("POST", "/members/alice/activities", "alice", json={
        "title": "Trust accounting and trustee investment duties", "provider": "Harbour Academy",
        "completed_on": "2024-09-12", "cpd_hours": 2, "activity_type": "workshop", "verifiable": True})
    assert answer.status_code == 201, answer.text
    made = answer.json()
    assert made["source"]["extractor"] == "manual" and made["review"]["state"] == "confirmed"
    assert made["status"] == "completed" and made["responsibilities"], made
    assert re.fullmatch(r"[0-9a-f]{64}", made["activity_id"])
    summary = api.call("GET", "/members/alice/summary", "alice", params={"year": 2024}).json()
    assert summary["hours"] == 2 and summary["verifiable_hours"] == 2 and summary["sources"] == []
    mine = api.call("POST", "/members/alice/activities", "alice", json={
        "title": "Ethics reading", "completed_on": "2024-10-01", "ethics": {"related": True, "topics": ["integrity"]}})
    assert mine.json()["review"]["changed"] == ["ethics"] and mine.json()["ethics"]["related"] is True
    assert api.call("GET", "/members/alice/summary", "alice", params={"year": 2024}).json()["ethics"]["met"]


def test_own_uploads_listed_newest_first_downloaded_and_withdrawn(api: Api) -> None:
    """GET /uploads pages the member's own, newest first; GET .../file gives the bytes back to the member or an
    admin; DELETE takes the activities and corrections out, audit-logs it, and keeps bytes another upload
    still refers to."""
    first = api.upload("alice", GOOD_CSV, "transcript.csv")
    second = api.upload("alice", OTHER_CSV, "Fortbildung_Übersicht.csv")
    bobs = api.upload("bob", OTHER_CSV, "mine.csv")
    seen, cursor = [], None
    while True:
        page = api.call("GET", "/uploads", "alice", params={"limit": 1, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.text
        seen += [(u["id"], u["state"], u["error"], u["activity_count"]) for u in page.json()["items"]]
        cursor = page.json()["next"]
        if cursor is None:
            break
    assert seen == [(second, "done", None, 2), (first, "done", None, 5)]
    got = api.call("GET", f"/uploads/{second}/file", "alice")
    assert got.status_code == 200 and got.content == OTHER_CSV and got.headers["content-type"].startswith("text/csv")
    assert "Fortbildung_%C3%9Cbersicht.csv" in got.headers["content-disposition"]
    assert api.call("GET", f"/uploads/{second}/file", "admin").content == OTHER_CSV
    for who, status in (("bob", 404), ("portal", 404)):
        assert api.call("GET", f"/uploads/{second}/file", who).status_code == status
    assert api.call("GET", "/uploads", "admin").status_code == 403
    assert api.call("DELETE", f"/uploads/{second}", "bob").status_code == 404
    assert api.call("DELETE", f"/uploads/{second}", "admin").status_code == 403
    estate = api.activity("alice", "Estate administration update")
    api.patch("alice", estate["activity_id"], {"cpd_hours": 9})
    assert api.call("DELETE", f"/uploads/{second}", "alice").status_code == 204
    assert api.call("GET", f"/uploads/{second}", "alice").status_code == 404
    assert len(all_activities(api.call, "alice", "alice", limit=50)) == 5
    sha = __import__("hashlib").sha256(OTHER_CSV).hexdigest()
    assert api.runtime.blobs.exists(sha)  # bob's upload still refers to the bytes
    with api.runtime.sessions() as s:
        assert s.scalars(select(ReviewRow).where(ReviewRow.activity_id == estate["activity_id"])).first() is None
        entry = s.scalars(select(AuditRow)).one()
        assert (entry.actor, entry.action, entry.member_id, entry.detail["activities"]) == (
            "member:alice", "upload_deleted", "alice", 2)
    assert api.call("DELETE", f"/uploads/{bobs}", "bob").status_code == 204
    assert not api.runtime.blobs.exists(sha)
    assert api.call("DELETE", f"/uploads/{bobs}", "bob").status_code == 404


def test_another_members_activity_or_upload_is_never_theirs(api: Api) -> None:
    """Every new call refuses another member's data with 403 or 404 and shows none of it."""
    upload = api.upload("alice", GOOD_CSV)
    activity = api.activity("alice", "Inheritance tax planning for trusts")["activity_id"]
    for who in ("bob", "portal", "admin"):
        for answer in (api.patch(who, activity, {"review": "confirmed"}, member="alice"),
                       api.call("POST", "/members/alice/activities", who, json={"title": "Mine now"})):
            assert answer.status_code == 403 and "Inheritance" not in answer.text
    assert api.patch("bob", activity, {"review": "confirmed"}).status_code == 404  # not among bob's
    listed = api.call("GET", "/members/alice/activities", "bob", params={"needs_attention": True})
    assert listed.status_code == 403
    assert api.call("GET", "/uploads", "bob").json()["items"] == []
    assert api.call("GET", f"/uploads/{upload}/file", "bob").status_code == 404
    assert api.activity("alice", "Inheritance tax planning for trusts")["review"]["state"] == "unreviewed"


@pytest.mark.parametrize(("body", "status", "code"), [
    ({}, 422, "invalid_request"),
    ({"completed_on": "31/02/2024"}, 422, "invalid_request"),
    ({"started_on": "2024-06-02", "completed_on": "2024-06-01"}, 422, "invalid_request"),
    ({"cpd_hours": -1}, 422, "invalid_request"),
    ({"status": "finished"}, 422, "invalid_request"),
    ({"activity_id": "x"}, 422, "invalid_request"),
    ({"title": None}, 422, "invalid_request"),
    ({"status": None}, 422, "invalid_request"),
    ({"review": "rejected"}, 422, "reason_needed"),
    ({"reason": "not_mine"}, 422, "invalid_request"),
    ({"review": "unreviewed", "title": "x"}, 422, "invalid_request"),
    ({"responsibilities": ["TA1"]}, 422, "unknown_responsibility"),
    ({"ethics": {"related": True, "topics": ["astrology"]}}, 422, "unknown_topic"),
    ({"restore": ["source"]}, 422, "invalid_request"),
])
def test_bad_input_is_a_clear_4xx(api: Api, body: dict[str, Any], status: int, code: str) -> None:
    """A body the call cannot take is refused with a code and a message saying what to send."""
    api.upload("alice", GOOD_CSV)
    activity = api.activity("alice", "Inheritance tax planning for trusts")["activity_id"]
    answer = api.patch("alice", activity, body)
    assert answer.status_code == status, answer.text
    assert answer.json()["error"]["code"] == code and len(answer.json()["error"]["message"]) > 20


def test_bad_input_elsewhere_is_a_clear_4xx(api: Api) -> None:
    """Unknown activity, hand entry without a title, an unknown built-in role or a path, a bad cursor."""
    assert api.patch("alice", "f" * 64, {"review": "confirmed"}).json()["error"]["code"] == "no_such_activity"
    assert api.call("POST", "/members/alice/activities", "alice", json={"provider": "x"}).status_code == 422
    assert api.call("POST", "/members/alice/activities", "alice", json="not an object").status_code == 422
    for name in ("no-such-role", "/etc/passwd", "../mappers/data/roles/tax-adviser.yaml"):
        answer = api.call("PUT", "/members/alice/role", "alice", json={"name": name})
        assert answer.status_code == 422 and "trust-administrator" in answer.json()["error"]["message"]
    assert api.call("GET", "/uploads", "alice", params={"cursor": "nonsense"}).status_code == 400
    assert api.call("GET", "/uploads/abc/file", "alice").status_code == 422
    assert api.call("DELETE", "/uploads/99999999999999999999", "alice").status_code in (400, 404, 422)


def test_health_needs_no_token_and_says_when_the_database_is_away(api: Api, tmp_path: Path) -> None:
    """200 with the database and (no) broker and the version; 503 when the database cannot be reached."""
    answer = api.client.get("/health")
    assert answer.status_code == 200
    assert answer.json()["status"] == "ok" and answer.json()["database"] == "ok" and answer.json()["version"]
    away = make_settings(tmp_path / "away", database_url="postgresql://postgres@127.0.0.1:9/none?connect_timeout=2")
    runtime = open_runtime(away, run_migrations=False)
    try:
        with TestClient(create_app(away, runtime=runtime, dispatcher="inline")) as client:
            down = client.get("/health")
        assert down.status_code == 503 and down.json()["database"].startswith("unreachable")
    finally:
        runtime.close()


def test_docs_load_only_local_assets(api: Api) -> None:
    """/docs is Swagger UI from the installed package: every script, style and icon it names is on this
    service and answers 200, so it renders with the network cut."""
    page = api.client.get("/docs")
    assert page.status_code == 200 and "swagger" in page.text.lower()
    urls = re.findall(r"""(?:src|href|url)\s*[=:]\s*['"]([^'"]+)['"]""", page.text)
    assert urls and not [u for u in urls if re.match(r"(https?:)?//", u)], urls
    for url in urls:
        assert api.client.get(url).status_code == 200, url
    assert any(u.endswith("swagger-ui-bundle.js") for u in urls)


def test_openapi_lists_the_review_calls(api: Api) -> None:
    schema = api.client.get("/openapi.json").json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/uploads"])
    assert "get" in paths["/uploads/{upload_id}/file"] and "delete" in paths["/uploads/{upload_id}"]
    assert "patch" in paths["/members/{member_id}/activities/{activity_id}"]
    assert "post" in paths["/members/{member_id}/activities"] and "get" in paths["/health"]
    params = {p["name"] for p in paths["/members/{member_id}/activities"]["get"]["parameters"]}
    assert "needs_attention" in params


def test_confirmed_mappings_teach_the_matcher_the_members_own_first_then_everyones_once_approved(api: Api) -> None:
    """GIVEN a title the matcher cannot place, to which the member sets a responsibility; WHEN a close title
    comes in a later file; THEN it serves that responsibility for this member at once, and for another member
    only after an admin approved the exemplar."""
    for who in ("alice", "bob"):
        api.call("PUT", f"/members/{who}/role", who, json={"name": "trust-administrator"})
    api.upload("alice", b"Title,Completion Date,Hours\nQuarterly huddle with the Kestrel desk,01/06/2024,1\n")
    huddle = api.activity("alice", "Quarterly huddle with the Kestrel desk")
    assert huddle["responsibilities"] == []
    assert api.patch("alice", huddle["activity_id"], {"responsibilities": ["TA5"]}).status_code == 200
    later = b"Title,Completion Date,Hours\nKestrel desk quarterly huddle,01/09/2024,1\n"
    api.upload("alice", later)
    taught = api.activity("alice", "Kestrel desk quarterly huddle")
    assert "TA5" in [r["id"] for r in taught["responsibilities"]]
    assert any("exemplar: Quarterly huddle with the Kestrel desk" in t for r in taught["responsibilities"]
               for t in r["terms"])
    bobs = api.upload("bob", later)
    assert api.activity("bob", "Kestrel desk quarterly huddle")["responsibilities"] == []
    assert api.call("GET", "/admin/exemplars", "alice").status_code == 403
    pending = api.call("GET", "/admin/exemplars", "admin", params={"pending": True}).json()["items"]
    assert [(e["member_id"], e["text"], e["topic"]) for e in pending] == [
        ("alice", "Quarterly huddle with the Kestrel desk", None)]
    assert api.call("POST", "/admin/exemplars/approve", "alice", json={"ids": [pending[0]["id"]]}).status_code == 403
    assert api.call("POST", "/admin/exemplars/approve", "admin", json={"ids": [424242]}).status_code == 404
    assert api.call("POST", "/admin/exemplars/approve", "admin", json={"ids": []}).status_code == 422
    approved = api.call("POST", "/admin/exemplars/approve", "admin", json={"ids": [pending[0]["id"]]})
    assert approved.status_code == 200 and approved.json()["approved"] == [pending[0]["id"]]
    assert api.call("GET", "/admin/exemplars", "admin", params={"pending": True}).json()["items"] == []
    api.call("POST", f"/admin/uploads/{bobs}/reprocess", "admin")
    assert "TA5" in [r["id"] for r in api.activity("bob", "Kestrel desk quarterly huddle")["responsibilities"]]
    with api.runtime.sessions() as s:
        assert [e.action for e in s.scalars(select(AuditRow))] == ["exemplars_approved"]
