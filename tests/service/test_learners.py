"""Files naming several learners, or a learner who is not the member (issue 13 item 6): every such activity
carries a warning, and the member's year counts only the member's own, matched to the profile's display name.
Real files through the real pipeline, on SQLite; the profile over HTTP."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from ingest.api import create_app
from ingest.store import ActivityRow, create_token, ensure_member, set_display_name
from ingest.work.runtime import Runtime, open_runtime
from ingest.year import member_summary

from .conftest import make_settings
from .year_samples import upload

MEMBER = "aisha"
# A training provider's certificate mail-merge list for one firm: three colleagues, in CPD year 2025.
MAIL_MERGE = (
    "FirstName,LastName,Email,CourseTitle,CompletionDate,CPDHours,CertificateNumber\n"
    "Aisha,Khan,aisha.khan@harbourtrust.example,Trustee duties refresher,2025-05-12,2,HT-2025-0141\n"
    "Tom,Reilly,tom.reilly@harbourtrust.example,Trustee duties refresher,2025-05-12,2,HT-2025-0142\n"
    "Mei,Lin,mei.lin@harbourtrust.example,Trustee duties refresher,2025-05-12,2,HT-2025-0143\n"
    "Aisha,Khan,aisha.khan@harbourtrust.example,Vulnerable clients in practice,2025-06-02,1.5,HT-2025-0188\n"
).encode()
# A colleague's own log, uploaded by mistake: one learner, not the member.
COLLEAGUE_LOG = (
    "Learner,Course,Provider,Completion date,Hours\n"
    "Tom Reilly,Charity trustees' duties,STEP,14/07/2025,3\n"
).encode()
# The member's own log that names her in the other order.
OWN_LOG = (
    "Learner,Course,Provider,Completion date,Hours\n"
    "\"Khan, Aisha\",Powers of attorney in practice,Kestrel Law Training,20/09/2025,2.5\n"
).encode()


def _summary(runtime: Runtime) -> dict[str, Any]:
    with runtime.sessions() as s:
        return member_summary(s, MEMBER, 2025, runtime.settings.year_start_month)


def _stored(runtime: Runtime) -> list[dict[str, Any]]:
    with runtime.sessions() as s:
        return [r.data for r in s.execute(select(ActivityRow.data).where(ActivityRow.member_id == MEMBER)
                                          .order_by(ActivityRow.id))]


def _name(runtime: Runtime, name: str | None) -> None:
    with runtime.sessions() as s, s.begin():
        ensure_member(s, MEMBER)
        set_display_name(s, MEMBER, name)


def test_with_a_display_name_only_the_members_own_activities_count(runtime: Runtime) -> None:
    """GIVEN Aisha's display name WHEN a mail-merge list of three colleagues, a colleague's log and her own log
    (name written 'Khan, Aisha') are read THEN the others' activities carry not_the_member and count nowhere,
    hers count, and the summary lists what it left out."""
    _name(runtime, "Aisha Khan")
    upload(runtime, MEMBER, MAIL_MERGE, "certificates.csv")
    upload(runtime, MEMBER, COLLEAGUE_LOG, "log-tom.csv")
    upload(runtime, MEMBER, OWN_LOG, "my-log.csv")
    stored = {(a["learner"], a["title"]): [w["code"] for w in a["warnings"]] for a in _stored(runtime)}
    assert stored[("Tom Reilly", "Trustee duties refresher")] == ["several_learners", "not_the_member"]
    assert stored[("Tom Reilly", "Charity trustees' duties")] == ["not_the_member"]
    assert stored[("Aisha Khan", "Trustee duties refresher")] == ["several_learners"]
    assert "not_the_member" not in stored[("Khan, Aisha", "Powers of attorney in practice")]
    summary = _summary(runtime)
    assert summary["activities"] == 3 and summary["hours"] == 6.0      # 2 + 1.5 + 2.5: Aisha's own
    others = summary["other_learners"]
    assert others["display_name"] == "Aisha Khan" and others["count"] == 3
    assert sorted(a["learner"] for a in others["activities"]) == ["Mei Lin", "Tom Reilly", "Tom Reilly"]
    assert {a["filename"] for a in others["activities"]} == {"certificates.csv", "log-tom.csv"}


def test_without_a_display_name_all_count_with_the_warning(runtime: Runtime) -> None:
    upload(runtime, MEMBER, MAIL_MERGE, "certificates.csv")
    stored = _stored(runtime)
    assert all([w["code"] for w in a["warnings"]] == ["several_learners"] for a in stored)
    summary = _summary(runtime)
    assert summary["activities"] == 4 and summary["hours"] == 7.5
    assert summary["other_learners"] == {"display_name": None, "count": 0, "activities": []}


def test_a_name_given_later_counts_from_the_next_summary(runtime: Runtime) -> None:
    """Stored activities are matched to the name when the year is summed, not only when they were read."""
    upload(runtime, MEMBER, MAIL_MERGE, "certificates.csv")
    _name(runtime, "Aisha Khan")
    assert _summary(runtime)["activities"] == 2
    _name(runtime, None)
    assert _summary(runtime)["activities"] == 4


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[tuple[TestClient, Runtime]]:
    runtime = open_runtime(make_settings(tmp_path))
    with TestClient(create_app(runtime.settings, runtime=runtime, dispatcher="inline")) as test_client:
        yield test_client, runtime
    runtime.close()


def test_the_profile_is_the_members_to_set_and_the_portals_to_read(client: tuple[TestClient, Runtime]) -> None:
    api, runtime = client
    with runtime.sessions() as s, s.begin():
        tokens = {"aisha": create_token(s, "member", MEMBER), "tom": create_token(s, "member", "tom"),
                  "portal": create_token(s, "portal", None)}

    def call(method: str, who: str, **kwargs: Any) -> Any:
        return api.request(method, f"/members/{MEMBER}/profile", headers={"Authorization": f"Bearer {tokens[who]}"},
                           **kwargs)

    assert call("GET", "aisha").json() == {"member_id": MEMBER, "display_name": None}
    put = call("PUT", "aisha", json={"display_name": "  Aisha   Khan "})
    assert put.status_code == 200 and put.json()["display_name"] == "Aisha Khan"
    assert call("GET", "portal").json()["display_name"] == "Aisha Khan"
    refused = call("PUT", "tom", json={"display_name": "Tom Reilly"})
    assert refused.status_code == 403 and "Only the member" in refused.json()["error"]["message"]
    assert call("PUT", "portal", json={"display_name": "X"}).status_code == 403
    assert call("PUT", "aisha", json={"display_name": None}).json()["display_name"] is None
    assert "/members/{member_id}/profile" in api.get("/openapi.json").json()["paths"]
