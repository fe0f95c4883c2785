"""The pages over HTTP, in process (no browser): signing in, CSRF on every form, each member seeing only their
own, bad input answered in words, the failure log line, and the chart's layout."""
from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ingest.settings import Settings
from ingest.store import REASONS, create_token
from ingest.web import create_site
from ingest.web.chart import month_chart
from ingest.web.views import REJECT_REASONS
from ingest.work.runtime import Runtime, open_runtime

from .conftest import REPO, SAMPLES

GOOD = SAMPLES / "csv" / "linkedin-learning-plain.csv"
BAD = SAMPLES / "xlsx" / "encrypted.xlsx"
WEB = REPO / "ingest" / "web"


@pytest.fixture()
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    rt = open_runtime(Settings(data_dir=tmp_path / "var", database_url=None, broker_url=None, blob_dir=None,
                               max_upload_bytes=200_000))
    yield rt
    rt.close()


@pytest.fixture()
def tokens(runtime: Runtime) -> dict[str, str]:
    with runtime.sessions() as session, session.begin():
        return {"alice": create_token(session, "member", "alice"), "bob": create_token(session, "member", "bob"),
                "admin": create_token(session, "admin"), "portal": create_token(session, "portal")}


@pytest.fixture()
def app(runtime: Runtime) -> Any:
    return create_site(runtime.settings, runtime=runtime, dispatcher="inline")


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert found, html[:500]
    return found.group(1)


def signed_in(app: Any, token: str, base_url: str = "http://testserver") -> tuple[TestClient, str]:
    """A browser-like client signed in with `token`, and its CSRF token."""
    client = TestClient(app, base_url=base_url)
    form = client.get("/signin")
    answer = client.post("/signin", data={"token": token, "csrf": _csrf(form.text)}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    page = client.get(answer.headers["location"])
    return client, _csrf(page.text)


def _upload(client: TestClient, csrf: str, *paths: Path) -> Any:
    files = [("files", (p.name, p.read_bytes(), "application/octet-stream")) for p in paths]
    return client.post("/member/uploads", data={"csrf": csrf}, files=files, headers={"Accept": "application/json"})


def _activity_ids(client: TestClient, year: int = 2024) -> list[str]:
    page = client.get(f"/member?year={year}").text
    return re.findall(r'<article class="card activity review-\w+" id="a-([0-9a-f]+)"', page)


def _hours(client: TestClient, year: int = 2024) -> str:
    found = re.search(r'id="summary-hours">([^<]+)<', client.get(f"/member?year={year}").text)
    assert found
    return found.group(1)


def test_sign_in_keeps_the_token_in_an_httponly_cookie(app: Any, tokens: dict[str, str]) -> None:
    client = TestClient(app, base_url="https://testserver")
    form = client.get("/signin")
    answer = client.post("/signin", data={"token": tokens["alice"], "csrf": _csrf(form.text)}, follow_redirects=False)
    cookie = answer.headers["set-cookie"]
    assert answer.status_code == 303 and answer.headers["location"] == "/member"
    assert "cpd_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" in cookie
    page = client.get("/member")
    assert page.status_code == 200 and "Member <strong>alice</strong>" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"


def test_sign_in_refuses_unknown_portal_and_forged(app: Any, tokens: dict[str, str]) -> None:
    client = TestClient(app)
    csrf = _csrf(client.get("/signin").text)
    unknown = client.post("/signin", data={"token": "cpd_nothing", "csrf": csrf})
    assert unknown.status_code == 401 and "This token is not known" in unknown.text
    portal = client.post("/signin", data={"token": tokens["portal"], "csrf": csrf})
    assert portal.status_code == 403 and "portal" in portal.text
    forged = TestClient(app).post("/signin", data={"token": tokens["alice"], "csrf": csrf})  # no cpd_pre cookie
    assert forged.status_code == 403 and "Reload the page" in forged.text
    assert "cpd_session" not in forged.headers.get("set-cookie", "")


def test_signed_out_goes_to_sign_in_and_scripts_get_json(app: Any) -> None:
    client = TestClient(app)
    assert client.get("/member", follow_redirects=False).headers["location"] == "/signin"
    assert client.get("/", follow_redirects=False).headers["location"] == "/signin"
    polled = client.get("/member/uploads/state", headers={"Accept": "application/json"})
    assert polled.status_code == 401 and polled.json()["error"]["code"] == "signed_out"


def test_every_form_needs_its_csrf_token(app: Any, tokens: dict[str, str]) -> None:
    """GIVEN alice signed in with an upload read WHEN a form is sent without (or with another session's) token
    THEN 403, and nothing changed."""
    alice, csrf = signed_in(app, tokens["alice"])
    _, bobs = signed_in(app, tokens["bob"])
    assert _upload(alice, csrf, GOOD).status_code == 202
    first = _activity_ids(alice)[0]
    forms: list[tuple[str, dict[str, Any]]] = [
        ("/member/uploads", {"files": [("files", ("x.csv", GOOD.read_bytes(), "text/csv"))]}),
        (f"/member/activities/{first}", {"data": {"action": "reject", "reason": "not_mine"}}),
        ("/member/activities", {"data": {"title": "Forged", "completed_on": "2024-06-01"}}),
        ("/member/uploads/1/withdraw", {"data": {}}),
        ("/signout", {"data": {}}),
    ]
    for path, kwargs in forms:
        for bad in ("", bobs):
            data = {**kwargs.get("data", {}), "csrf": bad}
            answer = alice.post(path, data=data, files=kwargs.get("files"), follow_redirects=False)
            assert answer.status_code == 403 and "did not come from this site" in answer.text, path
    assert _hours(alice) == "7.25 h" and len(_activity_ids(alice)) == 4
    assert alice.get("/member").status_code == 200  # still signed in
    admin, admin_csrf = signed_in(app, tokens["admin"])
    refused = admin.post("/console/reprocess", data={"csrf": csrf, "all_failed": "1"}, follow_redirects=False)
    assert refused.status_code == 403


def test_review_forms_change_the_summary(app: Any, tokens: dict[str, str]) -> None:
    """Confirm, edit, reflect, reject, undo and a hand-entered activity: the summary follows each."""
    alice, csrf = signed_in(app, tokens["alice"])
    _upload(alice, csrf, GOOD)
    ids = _activity_ids(alice)
    post = lambda activity, **data: alice.post(f"/member/activities/{activity}",  # noqa: E731
                                               data={"csrf": csrf, "year": "2024", **data}, follow_redirects=False)
    answer = post(ids[0], action="confirm")
    assert answer.status_code == 303 and answer.headers["location"] == f"/member?year=2024&notice=confirmed#a-{ids[0]}"
    edited = post(ids[1], action="edit", cpd_hours="4", title="Trustee duties under the Trustee Act 2000")
    assert edited.status_code == 303
    assert _hours(alice) == "8.25 h"
    assert post(ids[2], action="reflect", reflection="Check every trust's ten-year date.").status_code == 303
    assert post(ids[3], action="reject", reason="not_mine").status_code == 303
    assert _hours(alice) == "7.5 h"
    page = alice.get("/member?year=2024").text
    assert "Check every trust&#39;s ten-year date." in page and "Not mine: it counts nowhere" in page
    assert post(ids[3], action="restore").status_code == 303
    assert _hours(alice) == "8.25 h"
    moved = post(ids[0], action="date", completed_on="2025-05-01")  # into the next CPD year: the page follows it
    assert moved.headers["location"].startswith("/member?year=2025&notice=edited")
    added = alice.post("/member/activities", data={"csrf": csrf, "title": "Ethics for trustees", "cpd_hours": "1",
                                                   "completed_on": "2024-06-01"}, follow_redirects=False)
    assert added.status_code == 303 and added.headers["location"].startswith("/member?year=2024&notice=added")
    assert _hours(alice) == "7.75 h"


def test_review_forms_say_what_is_wrong(app: Any, tokens: dict[str, str]) -> None:
    alice, csrf = signed_in(app, tokens["alice"])
    _upload(alice, csrf, GOOD)
    first = _activity_ids(alice)[0]
    hours = alice.post(f"/member/activities/{first}", data={"csrf": csrf, "action": "edit", "cpd_hours": "lots"})
    assert hours.status_code == 400 and "Not saved: cpd hours" in hours.text
    date = alice.post(f"/member/activities/{first}", data={"csrf": csrf, "action": "date", "completed_on": "31/02"})
    assert date.status_code == 400 and "completed on" in date.text
    reason = alice.post(f"/member/activities/{first}", data={"csrf": csrf, "action": "reject", "reason": "bored"})
    assert reason.status_code == 400 and "reason" in reason.text
    action = alice.post(f"/member/activities/{first}", data={"csrf": csrf, "action": "explode"})
    assert action.status_code == 400 and "use its buttons" in action.text
    untitled = alice.post("/member/activities", data={"csrf": csrf, "title": " ", "completed_on": "2024-06-01"})
    assert untitled.status_code == 400 and "Not added" in untitled.text
    nothing = alice.post("/member/uploads", data={"csrf": csrf})
    assert nothing.status_code == 400 and "Choose one or more files" in nothing.text
    empty = alice.post("/member/uploads", data={"csrf": csrf}, files=[("files", ("empty.csv", b"", "text/csv"))])
    assert empty.status_code == 400 and "is empty" in empty.text
    big = alice.post("/member/uploads", data={"csrf": csrf}, headers={"Accept": "application/json"},
                     files=[("files", ("big.csv", b"a,b\n" * 60_000, "text/csv"))])
    assert big.status_code == 413 and "limit" in big.json()["error"]["message"]
    same = alice.post(f"/member/activities/{first}", data={"csrf": csrf, "year": "2024", "action": "reflect",
                                                           "reflection": ""}, follow_redirects=False)
    assert same.headers["location"].startswith("/member?year=2024&notice=unchanged")


def test_members_see_only_their_own(app: Any, tokens: dict[str, str]) -> None:
    """GIVEN alice's upload and activities WHEN bob asks for them, or an admin opens the member page, or alice
    the console THEN 403 or 404, never the data; and alice's review is untouched."""
    alice, csrf = signed_in(app, tokens["alice"])
    _upload(alice, csrf, GOOD)
    first = _activity_ids(alice)[0]
    bob, bobs = signed_in(app, tokens["bob"])
    assert bob.get("/member/uploads/1/file").status_code == 404
    taken = bob.post(f"/member/activities/{first}", data={"csrf": bobs, "action": "reject", "reason": "not_mine"})
    assert taken.status_code == 404 and "You have no activity" in taken.text
    assert bob.post("/member/uploads/1/withdraw", data={"csrf": bobs}).status_code == 404
    page = bob.get("/member?year=2024").text
    assert "linkedin-learning-plain.csv" not in page and "Anti-money laundering" not in page
    assert bob.get("/member/uploads/state").json()["uploads"] == []
    assert _hours(alice) == "7.25 h" and "Not reviewed" in alice.get("/member?year=2024").text
    assert alice.get("/console").status_code == 403
    admin, _ = signed_in(app, tokens["admin"])
    assert admin.get("/member").status_code == 403
    assert admin.get("/console/uploads/1/file").content == GOOD.read_bytes()


@pytest.fixture
def jobs_log() -> Iterator[None]:
    """The jobs' logger as `serve` has it, whatever an earlier test in this process did to logging (a library's
    logging set-up may disable existing loggers or stop them propagating)."""
    log = logging.getLogger("ingest.work.jobs")
    saved = log.disabled, log.propagate
    log.disabled, log.propagate = False, True
    logging.disable(logging.NOTSET)
    yield
    log.disabled, log.propagate = saved


@pytest.mark.usefixtures("jobs_log")
def test_console_lists_failures_and_reprocesses(app: Any, tokens: dict[str, str],
                                                caplog: pytest.LogCaptureFixture) -> None:
    """A failed upload shows with its reason, member and file; reprocessing it (one, or all failed) reads it
    again; each failure is logged as one line with the upload id, code and message."""
    alice, csrf = signed_in(app, tokens["alice"])
    with caplog.at_level(logging.WARNING, logger="ingest.work.jobs"):
        _upload(alice, csrf, GOOD, BAD)
    lines = [r.getMessage() for r in caplog.records if "failed:" in r.getMessage()]
    assert len(lines) == 1 and lines[0].startswith("upload 2 failed: encrypted: 'encrypted.xlsx' is password-")
    assert "\n" not in lines[0]
    states = alice.get("/member/uploads/state").json()
    assert [u["state"] for u in states["uploads"]] == ["failed", "done"] and states["pending"] is False
    assert "remove the password" in alice.get("/member").text
    admin, admin_csrf = signed_in(app, tokens["admin"])
    page = admin.get("/console").text
    failed = page[page.index('id="failed-2"'):page.index("</tr>", page.index('id="failed-2"'))]
    assert "alice" in failed and "encrypted.xlsx" in failed and "password-protected" in failed
    assert "/console/uploads/2/file" in failed
    assert admin.get("/console/uploads/2/file").content == BAD.read_bytes()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="ingest.work.jobs"):
        one = admin.post("/console/reprocess", data={"csrf": admin_csrf, "upload": "2"})
        assert one.status_code == 200 and "Upload 2 is queued to be read again." in one.text
        every = admin.post("/console/reprocess", data={"csrf": admin_csrf, "all_failed": "1"})
        assert "1 failed uploads are queued" in every.text
    assert len([r for r in caplog.records if r.getMessage().startswith("upload 2 failed: encrypted:")]) == 2
    missing = admin.post("/console/reprocess", data={"csrf": admin_csrf, "upload": "99"})
    assert missing.status_code == 404 and "There is no upload 99" in missing.text


def test_withdraw_takes_the_activities_out(app: Any, tokens: dict[str, str]) -> None:
    alice, csrf = signed_in(app, tokens["alice"])
    _upload(alice, csrf, GOOD)
    assert _hours(alice) == "7.25 h"
    gone = alice.post("/member/uploads/1/withdraw", data={"csrf": csrf}, follow_redirects=False)
    assert gone.status_code == 303 and gone.headers["location"] == "/member?notice=withdrawn#uploads"
    assert _hours(alice) == "0 h" and alice.get("/member/uploads/state").json()["uploads"] == []


def test_assets_come_from_the_package(app: Any) -> None:
    """The pages load nothing from another site: no http(s) address in a template, stylesheet or script."""
    client = TestClient(app)
    assert client.get("/static/site.js").status_code == 200 and client.get("/static/site.css").status_code == 200
    for path in [*WEB.glob("templates/*.html"), *WEB.glob("static/*")]:
        assert not re.search(r"(src|href)=\"(https?:)?//", path.read_text()), path
        assert "http://" not in path.read_text() and "https://" not in path.read_text(), path


def test_the_page_names_every_reason_the_api_takes() -> None:
    assert set(REJECT_REASONS) == set(REASONS)


def test_month_chart_lays_out_bars_to_scale() -> None:
    months = [{"month": f"{2024 + (3 + i) // 12}-{(3 + i) % 12 + 1:02d}", "hours": 0.0} for i in range(12)]
    months[0]["hours"], months[10]["hours"] = 1.5, 6.0
    chart = month_chart(months)
    assert chart.top == 8.0 and chart.total == 7.5 and [g[1] for g in chart.grid] == ["0", "2", "4", "6", "8"]
    april, february = chart.bars[0], chart.bars[10]
    assert (april.label, april.name, february.label) == ("Apr", "April 2024", "Feb")
    assert february.height == pytest.approx(4 * april.height, abs=0.5) and chart.bars[5].height == 0
    assert april.y + april.height == pytest.approx(february.y + february.height, abs=0.1)  # one baseline
    assert "7.5 hours in all, over 2 of 12 months; the most in February 2025 (6 hours)" in chart.description
    assert month_chart([{**m, "hours": 0} for m in months]).description.startswith("No hours")


UNDATED_CSV = (
    "Title,Provider,Completion Date,Hours\n"
    "Professional ethics for trustees,STEP,,1.5\n"
    "Trust law update,STEP,12/06/2024,2\n"
    "Office fire drill,Facilities,,0.5\n"
).encode()


def test_needs_attention_until_dated_or_rejected(app: Any, tokens: dict[str, str]) -> None:
    """GIVEN two completed activities with no date WHEN the member dates one and rejects the other from the
    needs-attention list THEN each leaves the list, the dated one counts in its year, and the summary's
    count of what waits goes to nothing."""
    alice, csrf = signed_in(app, tokens["alice"])
    sent = alice.post("/member/uploads", data={"csrf": csrf}, headers={"Accept": "application/json"},
                      files=[("files", ("training-log.csv", UNDATED_CSV, "text/csv"))])
    assert sent.status_code == 202
    page = alice.get("/member?year=2024").text
    waiting = re.findall(r'<li class="attention-item" id="attention-([0-9a-f]+)">\s*<h3>([^<]+)</h3>', page)
    assert sorted(title for _, title in waiting) == ["Office fire drill", "Professional ethics for trustees"]
    assert "2 activities wait for you" in page and _hours(alice) == "2 h"
    ids = {title: activity for activity, title in waiting}
    dated = alice.post(f"/member/activities/{ids['Professional ethics for trustees']}", follow_redirects=False,
                       data={"csrf": csrf, "action": "date", "completed_on": "2024-09-03", "year": "2024"})
    assert dated.headers["location"].startswith("/member?year=2024&notice=edited")
    rejected = alice.post(f"/member/activities/{ids['Office fire drill']}", follow_redirects=False,
                          data={"csrf": csrf, "action": "reject", "reason": "not_learning", "year": "2024"})
    assert rejected.status_code == 303
    page = alice.get("/member?year=2024").text
    assert 'class="attention-item"' not in page and "Nothing waits for you" in page and "wait for you" not in page
    assert _hours(alice) == "3.5 h"


def test_console_audit_section_draws_asks_and_lists(app: Any, tokens: dict[str, str]) -> None:
    """The admin page draws the year's sample and asks one member for their record; the requests are listed with
    their state and due date; a second draw, bad input, a missing CSRF token and a member are refused in words."""
    alice, alice_csrf = signed_in(app, tokens["alice"])
    _upload(alice, alice_csrf, GOOD)  # alice and bob (a token of his own) are working members: 3% of two is one
    admin, csrf = signed_in(app, tokens["admin"])
    assert "No audit requests yet." in admin.get("/console").text
    drawn = admin.post("/console/audit/draw", data={"csrf": csrf, "year": "2024", "rate": "3", "seed": "7"})
    assert drawn.status_code == 200 and "The sample is drawn: 1 members are asked for their record." in drawn.text
    row = re.search(r'<tr id="audit-1" data-state="requested">(.*?)</tr>', drawn.text, re.S)
    assert row and re.search(r">(alice|bob)<", row.group(1)) and "drawn in the year's sample" in row.group(1)
    again = admin.post("/console/audit/draw", data={"csrf": csrf, "year": "2024"})
    assert again.status_code == 409 and "was drawn already" in again.text
    asked = admin.post("/console/audit/request", data={"csrf": csrf, "member": "alice", "year": "2023",
                                                       "reason": "A client's complaint"})
    assert asked.status_code == 200 and "Request 2 is made" in asked.text
    row = re.search(r'<tr id="audit-2" data-state="requested">(.*?)</tr>', asked.text, re.S)
    assert row and "A client&#39;s complaint" in row.group(1) and "2023" in row.group(1)
    assert admin.post("/console/audit/draw", data={"csrf": csrf, "year": "20x4"}).status_code == 400
    assert admin.post("/console/audit/draw", data={"csrf": csrf, "year": "2025", "rate": "three"}).status_code == 400
    assert admin.post("/console/audit/request", data={"csrf": csrf, "member": "alice", "year": "2024"}
                      ).status_code == 400
    assert admin.post("/console/audit/draw", data={"year": "2025"}).status_code == 403
    assert alice.post("/console/audit/draw", data={"csrf": alice_csrf, "year": "2025"}).status_code == 403
