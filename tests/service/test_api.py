"""The HTTP API over FastAPI's TestClient, on the embedded SQLite, with the work done inside the request
("inline") so each call's effects can be checked at once."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from ingest.api import create_app
from ingest.store import UploadRow, create_token
from ingest.work.pipeline import EXTRACTOR_VERSION
from ingest.work.roles import load_role_json
from ingest.work.runtime import Runtime, open_runtime

from .conftest import GOOD_CSV, OTHER_CSV, RANDOM_BYTES, all_activities, make_settings


class Api:
    def __init__(self, client: TestClient, runtime: Runtime) -> None:
        self.client, self.runtime = client, runtime
        self.tokens = {name: self.token(kind, member) for name, kind, member in (
            ("alice", "member", "alice"), ("bob", "member", "bob"), ("admin", "admin", None),
            ("portal", "portal", None))}

    def token(self, kind: str, member: str | None) -> str:
        with self.runtime.sessions() as s, s.begin():
            return create_token(s, kind, member)

    def call(self, method: str, url: str, who: str | None, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.tokens.get(who, who)}"} if who else {}
        return self.client.request(method, url, headers=headers, **kwargs)

    def upload(self, who: str, data: bytes, name: str = "record.csv") -> Any:
        return self.call("POST", "/uploads", who, files={"file": (name, data, "text/csv")})


@pytest.fixture()
def api(tmp_path: Path) -> Iterator[Api]:
    runtime = open_runtime(make_settings(tmp_path, max_upload_bytes=64 * 1024))
    with TestClient(create_app(runtime.settings, runtime=runtime, dispatcher="inline")) as client:
        yield Api(client, runtime)
    runtime.close()


def test_missing_or_unknown_token_is_401_with_a_json_message(api: Api) -> None:
    for who in (None, "not-a-token"):
        response = api.call("GET", "/members/alice/activities", who)
        assert response.status_code == 401
        assert response.json()["error"]["code"] in {"missing_token", "bad_token"}
        assert "token" in response.json()["error"]["message"]


def test_upload_is_accepted_read_and_the_same_bytes_are_the_same_upload(api: Api) -> None:
    first = api.upload("alice", GOOD_CSV)
    assert first.status_code == 202 and first.json()["state"] in {"queued", "processing", "done"}
    upload = api.call("GET", f"/uploads/{first.json()['id']}", "alice").json()
    assert (upload["state"], upload["error"], upload["activity_count"]) == ("done", None, 5)
    again = api.upload("alice", GOOD_CSV, "renamed.csv")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert len(all_activities(api.call, "alice", "alice", limit=100)) == 5
    assert api.upload("bob", GOOD_CSV).status_code == 202  # another member's upload of the same bytes


def test_who_may_see_an_upload(api: Api) -> None:
    upload_id = api.upload("alice", GOOD_CSV).json()["id"]
    assert api.call("GET", f"/uploads/{upload_id}", "admin").status_code == 200
    assert api.call("GET", f"/uploads/{upload_id}", "bob").status_code == 404
    assert api.call("GET", f"/uploads/{upload_id}", "portal").status_code == 403
    assert api.call("GET", "/uploads/999999", "alice").status_code == 404
    assert api.upload("admin", GOOD_CSV).status_code == 403


def test_members_data_is_theirs_and_the_portals(api: Api) -> None:
    """Bob and the admin get 403 and no items for Alice's activities and summary; the portal reads them."""
    api.upload("alice", GOOD_CSV)
    for who in ("bob", "admin"):
        for url in ("/members/alice/activities", "/members/alice/summary?year=2024"):
            response = api.call("GET", url, who)
            assert response.status_code == 403 and "items" not in response.json()
    assert len(all_activities(api.call, "alice", "portal", limit=10)) == 5
    assert api.call("GET", "/members/alice/summary?year=2024", "portal").status_code == 200


def test_too_large_is_413_and_empty_is_400(api: Api) -> None:
    """Over the limit by far (refused on its declared length) or by a little (on the bytes read): 413."""
    for size in (400_000, 64 * 1024 + 10):
        response = api.upload("alice", b"a" * size)
        assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"
    assert api.upload("alice", b"").status_code == 400
    assert api.call("GET", "/admin/uploads", "admin").json()["items"] == []


def test_a_file_we_cannot_read_is_failed_with_its_reason(api: Api) -> None:
    upload = api.call("GET", f"/uploads/{api.upload('alice', RANDOM_BYTES, 'x.bin').json()['id']}", "alice").json()
    assert upload["state"] == "failed" and upload["error"]["code"] == "unsupported_format"
    assert upload["error"]["message"] and upload["activity_count"] == 0


def test_pagination_returns_every_activity_once(api: Api) -> None:
    api.upload("alice", GOOD_CSV)
    api.upload("alice", OTHER_CSV, "other.csv")
    one_page = all_activities(api.call, "alice", "alice", limit=500)
    for limit in (1, 2, 3):
        assert all_activities(api.call, "alice", "alice", limit=limit) == one_page
    assert len({a["activity_id"] for a in one_page}) == len(one_page) == 7
    bad = api.call("GET", "/members/alice/activities", "alice", params={"cursor": "garbage!"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_cursor"


def test_filters_year_status_upload(api: Api) -> None:
    good_id = api.upload("alice", GOOD_CSV).json()["id"]
    api.upload("alice", OTHER_CSV, "other.csv")
    year_2024 = all_activities(api.call, "alice", "alice", limit=50, year=2024)
    assert sorted(a["completed_on"] for a in year_2024) == [
        "2024-05-15", "2024-06-10", "2024-07-03", "2024-09-04", "2025-01-12"]
    in_progress = all_activities(api.call, "alice", "alice", limit=50, status="in_progress")
    assert [a["title"] for a in in_progress] == ["Data protection essentials"]
    assert len(all_activities(api.call, "alice", "alice", limit=50, upload=good_id)) == 5
    assert api.call("GET", "/members/alice/activities?status=finished", "alice").status_code == 400


def test_items_are_the_contract_activity(api: Api) -> None:
    api.upload("alice", GOOD_CSV)
    item = all_activities(api.call, "alice", "alice", limit=1)[0]
    assert set(item) == {"activity_id", "title", "provider", "activity_type", "status", "started_on", "completed_on",
                         "duration_minutes", "cpd_hours", "credits", "verifiable", "description", "reflection",
                         "learner", "reference", "source", "responsibilities", "ethics", "confidence", "warnings",
                         "review"}
    assert item["review"]["state"] == "unreviewed" and item["review"]["changed"] == []


def test_summary_counts_completed_hours_ethics_and_responsibilities(api: Api) -> None:
    api.upload("alice", GOOD_CSV)
    role = load_role_json("trust-administrator")
    assert api.call("PUT", "/members/alice/role", "alice", json=role).status_code == 200
    summary = api.call("GET", "/members/alice/summary?year=2024", "alice").json()
    items = [a for a in all_activities(api.call, "alice", "alice", limit=50, year=2024) if a["status"] == "completed"]
    assert summary["activities"] == len(items) == 3
    assert summary["hours"] == pytest.approx(sum(a["cpd_hours"] or 0 for a in items)) == 4.5
    ethics_ids = {a["activity_id"] for a in items if a["ethics"]["related"]}
    assert {e["activity_id"] for e in summary["ethics"]["activities"]} == ethics_ids
    assert summary["ethics"]["met"] == bool(ethics_ids)
    covered, not_covered = summary["responsibilities"]["covered"], summary["responsibilities"]["not_covered"]
    assert len(covered) + len(not_covered) == len(role["responsibilities"])
    for entry in covered:
        assert all(any(r["id"] == entry["id"] for a in items if a["activity_id"] == aid for r in a["responsibilities"])
                   for aid in entry["activity_ids"])


def test_role_put_remaps_stored_activities_and_is_the_members_own(api: Api) -> None:
    api.upload("alice", GOOD_CSV)
    assert all(a["responsibilities"] == [] for a in all_activities(api.call, "alice", "alice", limit=50))
    role = load_role_json("trust-administrator")
    assert api.call("PUT", "/members/alice/role", "bob", json=role).status_code == 403
    assert api.call("PUT", "/members/alice/role", "portal", json=role).status_code == 403
    response = api.call("PUT", "/members/alice/role", "alice", json=role)
    assert response.status_code == 200 and response.json()["role"]["id"] == "trust-administrator"
    matched = [a for a in all_activities(api.call, "alice", "alice", limit=50) if a["responsibilities"]]
    assert matched and all(r["id"].startswith("TA") for a in matched for r in a["responsibilities"])
    bad = api.call("PUT", "/members/alice/role", "alice", json={"id": "x", "title": "X", "responsibilities": []})
    assert bad.status_code == 422 and bad.json()["error"]["message"]


def test_admin_lists_failed_and_reprocesses_without_duplicates(api: Api) -> None:
    bad_id = api.upload("alice", RANDOM_BYTES, "x.bin").json()["id"]
    good_id = api.upload("alice", GOOD_CSV).json()["id"]
    assert api.call("GET", "/admin/uploads?state=failed", "alice").status_code == 403
    failed = api.call("GET", "/admin/uploads", "admin", params={"state": "failed"}).json()
    assert [u["id"] for u in failed["items"]] == [bad_id] and failed["next"] is None
    assert api.call("POST", f"/admin/uploads/{good_id}/reprocess", "admin").status_code == 202
    assert api.call("POST", "/admin/uploads/424242/reprocess", "admin").status_code == 404
    bulk = api.call("POST", "/admin/reprocess", "admin", json={"state": "failed"})
    assert bulk.status_code == 202 and bulk.json()["ids"] == [bad_id]
    current = api.call("POST", "/admin/reprocess", "admin", json={"older_than": EXTRACTOR_VERSION})
    assert current.status_code == 202 and current.json()["ids"] == []  # every upload read by the current one
    with api.runtime.sessions() as s, s.begin():  # as if read by an extractor before the current one
        s.execute(update(UploadRow).values(extractor_version="0.9"))
    older = api.call("POST", "/admin/reprocess", "admin", json={"older_than": EXTRACTOR_VERSION})
    assert older.status_code == 202 and sorted(older.json()["ids"]) == [bad_id, good_id]
    newer = api.call("POST", "/admin/reprocess", "admin", json={"older_than": "999"})
    assert newer.status_code == 400 and newer.json()["error"]["code"] == "bad_version"
    assert api.call("POST", "/admin/reprocess", "admin", json={}).status_code == 422
    assert len(all_activities(api.call, "alice", "alice", limit=50)) == 5
    assert api.call("GET", f"/uploads/{bad_id}", "admin").json()["error"]["code"] == "unsupported_format"


def test_admin_list_is_paged(api: Api) -> None:
    ids = [api.upload("alice", f"Title,Completion Date\nCourse {n},01/05/2024\n".encode()).json()["id"]
           for n in range(5)]
    seen, cursor = [], None
    while True:
        page = api.call("GET", "/admin/uploads", "admin", params={"limit": 2, **({"cursor": cursor} if cursor else {})})
        seen += [u["id"] for u in page.json()["items"]]
        cursor = page.json()["next"]
        if cursor is None:
            break
    assert seen == ids


def test_openapi_lists_the_contracts_calls(api: Api) -> None:
    paths = api.client.get("/openapi.json").json()["paths"]
    assert {"/uploads", "/uploads/{upload_id}", "/members/{member_id}/activities", "/members/{member_id}/summary",
            "/members/{member_id}/role", "/admin/uploads", "/admin/uploads/{upload_id}/reprocess",
            "/admin/reprocess"} <= set(paths)
