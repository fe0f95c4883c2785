"""Duplicates across a member's uploads: an employer's transcript (xlsx), the member's own CPD record (docx)
and a certificate (pdf) that share activities, read through the real pipeline into SQLite."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from sqlalchemy import insert, inspect, select, text, update

from ingest.api import create_app
from ingest.settings import Settings
from ingest.store import ActivityRow, MemberRow, UploadRow, create_token, lock_member
from ingest.store.db import MIGRATIONS, make_engine
from ingest.work import jobs, leases
from ingest.work.runtime import Runtime, open_runtime
from ingest.year import detect_apart, duplicate_rules, member_summary

from .conftest import make_settings
from .year_samples import RECORD_DUPLICATES, TRANSCRIPT, certificate_pdf, cpd_record_docx, read, upload

MEMBER = "hannah"


def _rows(runtime: Runtime, member: str = MEMBER) -> list[ActivityRow]:
    with runtime.sessions() as s:
        return list(s.scalars(select(ActivityRow).where(ActivityRow.member_id == member).order_by(ActivityRow.id)))


def _links(runtime: Runtime, upload_id: int) -> dict[tuple[str, str | None], str | None]:
    """(title, date) -> the title of the activity it duplicates, for one upload's rows."""
    rows = _rows(runtime)
    titles = {r.activity_id: r.title for r in rows}
    return {(r.title, r.data["completed_on"]): titles.get(r.duplicate_of) if r.duplicate_of else None
            for r in rows if r.upload_id == upload_id}


def _reprocess(runtime: Runtime, *upload_ids: int) -> None:
    for upload_id in upload_ids:
        with runtime.sessions() as s, s.begin():
            leases.requeue(s, [upload_id])
        assert jobs.process(upload_id, runtime).state == "done"


def _hours(runtime: Runtime, year: int = 2025) -> float:
    with runtime.sessions() as s:
        return float(member_summary(s, MEMBER, year, 4)["hours"])


@pytest.fixture()
def two(runtime: Runtime) -> tuple[int, int]:
    """The transcript, then the member's CPD record, both read."""
    return (upload(runtime, MEMBER, TRANSCRIPT.read_bytes(), TRANSCRIPT.name),
            upload(runtime, MEMBER, cpd_record_docx(), "my-cpd-record.docx"))


def test_shared_activities_link_to_the_first_read_with_a_reason(runtime: Runtime, two: tuple[int, int]) -> None:
    """GIVEN a transcript and a CPD record sharing two activities THEN exactly those two record rows are linked to
    the transcript's rows, each with a reason naming the title score, the dates, the hours and the provider."""
    transcript, record = two
    links = _links(runtime, record)
    assert {key for key, target in links.items() if target} == set(RECORD_DUPLICATES.items())
    assert links[("Vulnerable clients - recognizing undue influence", "2025-04-13")] == \
        "Vulnerable clients: recognising undue influence"
    assert not any(_links(runtime, transcript).values())  # the first read is never the duplicate
    reasons = {r.title: r.duplicate_reason for r in _rows(runtime) if r.duplicate_of}
    vulnerable = reasons["Vulnerable clients - recognizing undue influence"]
    assert "% alike" in vulnerable and "dates a day apart (2025-04-12 and 2025-04-13)" in vulnerable
    assert "same provider Kestrel Law Training" in vulnerable and "same hours 2.5" in vulnerable
    assert "cornerstone-title-block.xlsx" in vulnerable and "sheet=Transcript;row=12" in vulnerable
    assert reasons["Conflicts of interest in family trusts"].startswith("same title, same date 2025-07-11")


def test_totals_count_each_shared_activity_once(runtime: Runtime, two: tuple[int, int]) -> None:
    """The year's hours are the transcript's plus the record's own activities, the shared ones once."""
    transcript = read(TRANSCRIPT.read_bytes(), TRANSCRIPT.name)
    record = read(cpd_record_docx(), "my-cpd-record.docx")

    def in_2025(a: dict[str, Any]) -> bool:
        return a["status"] == "completed" and "2025-04-01" <= str(a["completed_on"] or "") <= "2026-03-31"

    shared = sum(a["cpd_hours"] for a in record if (a["title"], a["completed_on"]) in RECORD_DUPLICATES.items())
    expected = sum(a["cpd_hours"] or 0 for a in transcript + record if in_2025(a)) - shared
    with runtime.sessions() as s:
        summary = member_summary(s, MEMBER, 2025, 4)
    assert summary["hours"] == pytest.approx(expected) and shared == 4.0
    assert summary["duplicates"]["count"] == 2
    assert summary["activities"] == sum(1 for a in transcript + record if in_2025(a)) - 2


def test_two_rows_of_one_upload_are_never_linked(runtime: Runtime, tmp_path: Path) -> None:
    """A record listing a course twice (other dates, or even the same date) keeps both rows, unlinked."""
    upload(runtime, MEMBER, cpd_record_docx(), "my-cpd-record.docx")
    same_day = ("Title,Provider,Completion Date,Hours\n" + "Trust accounts workshop,STEP,03/06/2025,2\n" * 2).encode()
    upload(runtime, MEMBER, same_day, "twice.csv")
    rows = _rows(runtime)
    assert len(rows) == len(read(cpd_record_docx(), "r.docx")) + 2
    assert all(r.duplicate_of is None for r in rows)


def test_a_third_copy_links_to_the_first_read(runtime: Runtime, two: tuple[int, int]) -> None:
    """GIVEN the activity in the transcript and the record WHEN its certificate is uploaded THEN the certificate's
    row links to the transcript's (the group's first read), and the activity still counts once."""
    before = _hours(runtime)
    certificate = upload(runtime, MEMBER, certificate_pdf(), "certificate.pdf")
    rows = _rows(runtime)
    first = next(r for r in rows if r.upload_id == two[0] and r.title == "Conflicts of interest in family trusts")
    (cert,) = [r for r in rows if r.upload_id == certificate]
    assert cert.duplicate_of == first.activity_id and "same provider STEP" in (cert.duplicate_reason or "")
    assert _hours(runtime) == before


def test_uploads_read_out_of_order_give_the_same_links(runtime: Runtime) -> None:
    """GIVEN the transcript uploaded first but read last THEN the record's rows still link to the transcript's."""
    transcript = upload(runtime, MEMBER, TRANSCRIPT.read_bytes(), TRANSCRIPT.name, process=False)
    record = upload(runtime, MEMBER, cpd_record_docx(), "my-cpd-record.docx")
    assert jobs.process(transcript, runtime).state == "done"
    assert {key for key, target in _links(runtime, record).items() if target} == set(RECORD_DUPLICATES.items())
    assert not any(_links(runtime, transcript).values())


def test_reprocessing_keeps_the_links_and_adds_no_rows(runtime: Runtime, two: tuple[int, int]) -> None:
    before = [(r.activity_id, r.duplicate_of, r.duplicate_reason) for r in _rows(runtime)]
    _reprocess(runtime, *two)
    _reprocess(runtime, two[0])
    after = [(r.activity_id, r.duplicate_of, r.duplicate_reason) for r in _rows(runtime)]
    assert sorted(after, key=str) == sorted(before, key=str)


def test_a_failed_reread_of_the_first_upload_frees_its_duplicates(runtime: Runtime, two: tuple[int, int]) -> None:
    """GIVEN the record linked to the transcript WHEN the transcript's rows go (a read that fails) THEN the
    record's rows are no longer linked to anything, and count."""
    from ingest.work.pipeline import FileError, FileResult
    from ingest.work.jobs import store_result

    with runtime.sessions() as s, s.begin():
        stored = s.get(UploadRow, two[0])
        assert stored is not None
        store_result(s, stored, FileResult(stored.filename, stored.sha256, error=FileError("corrupt", "damaged")))
    assert all(r.duplicate_of is None and "duplicate_of" not in r.data for r in _rows(runtime))


def test_a_link_lost_from_the_json_by_a_racing_write_is_restored(runtime: Runtime, two: tuple[int, int]) -> None:
    """GIVEN a linked row whose JSON was overwritten without the link (a remap batch read before the link was
    made) WHEN the member's uploads are read again THEN the JSON shows the link the columns hold."""
    from sqlalchemy import update

    linked = next(r for r in _rows(runtime) if r.duplicate_of)
    stale = {k: v for k, v in linked.data.items() if k not in ("duplicate_of", "duplicate_reason")}
    with runtime.sessions() as s, s.begin():
        s.execute(update(ActivityRow).where(ActivityRow.id == linked.id).values(data=stale))
    _reprocess(runtime, two[0])
    healed = next(r for r in _rows(runtime) if r.activity_id == linked.activity_id)
    assert healed.data["duplicate_of"] == healed.duplicate_of == linked.duplicate_of
    assert healed.data["duplicate_reason"] == linked.duplicate_reason


def test_detection_compares_only_activities_on_nearby_days(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN two uploads of 600 activities each, spread over three years THEN detection makes a handful of
    comparisons per activity, not 600, and links each pair."""
    calls = []
    compare = duplicate_rules.compare

    def counting(row: Any, other: Any, score: float | None = None) -> Any:
        calls.append(1)
        return compare(row, other, score)

    monkeypatch.setattr("ingest.year.duplicates.compare", counting)
    lines = [f"Course number {n} on trusts,Provider {n % 7},{(n % 28) + 1:02d}/{(n // 28) % 12 + 1:02d}/"
             f"{2023 + n // 336},1.5" for n in range(600)]
    first = ("Title,Provider,Completion Date,Hours\n" + "\n".join(lines)).encode()
    second = ("Course,Provider,Date,Hours\n" + "\n".join(lines)).encode()
    upload(runtime, MEMBER, first, "lms.csv")
    upload(runtime, MEMBER, second, "again.csv")
    rows = _rows(runtime)
    titles = {r.activity_id: r.title for r in rows}
    linked = [(r.title, titles[r.duplicate_of]) for r in rows if r.duplicate_of]
    assert len(linked) == 600 and all(mine == theirs for mine, theirs in linked)
    assert len(calls) < 600 * 10


def test_migration_0002_upgrades_a_database_holding_activities(settings: Settings) -> None:
    """GIVEN a database at revision 0001 with an activity THEN upgrading adds the (empty) link columns and the
    decisions table, keeping the row."""
    engine = make_engine(settings)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        when = dt.datetime(2025, 1, 1)
        # plain SQL: the ORM's tables carry the columns (and Python-side defaults) of later revisions
        connection.execute(text("INSERT INTO members (id, created_at, updated_at) VALUES ('m', :w, :w)"), {"w": when})
        connection.execute(text("INSERT INTO uploads (id, member_id, filename, sha256, size, state, attempts, created_at,"
                                " updated_at) VALUES (1, 'm', 'f', :sha, 1, 'done', 1, :w, :w)"),
                           {"sha": "0" * 64, "w": when})
        connection.execute(text("INSERT INTO activities (id, member_id, activity_id, upload_id, title, status,"
                                " ethics_related, data) VALUES (1, 'm', 'a', 1, 't', 'completed', false, :data)"),
                           {"data": '{"activity_id": "a"}'})
        command.upgrade(config, "head")
        columns = {c["name"] for c in inspect(connection).get_columns("activities")}
        assert {"duplicate_of", "duplicate_reason"} <= columns
        assert "duplicate_decisions" in inspect(connection).get_table_names()
        assert connection.execute(select(ActivityRow.title, ActivityRow.duplicate_of)).one() == ("t", None)
        command.downgrade(config, "0001")
        assert "duplicate_decisions" not in inspect(connection).get_table_names()
    engine.dispose()


# -- the member's word, over HTTP ------------------------------------------------------------------------
class Api:
    def __init__(self, client: TestClient, runtime: Runtime) -> None:
        self.client, self.runtime = client, runtime
        with runtime.sessions() as s, s.begin():
            self.tokens = {"hannah": create_token(s, "member", MEMBER), "bob": create_token(s, "member", "bob"),
                           "portal": create_token(s, "portal")}

    def call(self, method: str, url: str, who: str, **kwargs: Any) -> Any:
        return self.client.request(method, url, headers={"Authorization": f"Bearer {self.tokens[who]}"}, **kwargs)

    def items(self) -> dict[str, dict[str, Any]]:
        page = self.call("GET", f"/members/{MEMBER}/activities", "hannah", params={"limit": 500})
        assert page.status_code == 200, page.text
        return {a["activity_id"]: a for a in page.json()["items"]}


@pytest.fixture()
def api(runtime: Runtime, two: tuple[int, int]) -> Iterator[Api]:
    with TestClient(create_app(runtime.settings, runtime=runtime, dispatcher="inline")) as client:
        yield Api(client, runtime)


def _duplicate(api: Api, title: str) -> dict[str, Any]:
    return next(a for a in api.items().values() if a["title"] == title and a.get("duplicate_of"))


def test_activity_json_gains_the_link_as_added_optional_fields(api: Api, two: tuple[int, int]) -> None:
    """Linked activities carry duplicate_of and duplicate_reason; the others are the contract's JSON unchanged."""
    items = api.items()
    record = {a["activity_id"]: a for a in read(cpd_record_docx(), "my-cpd-record.docx")}
    linked = [a for a in items.values() if "duplicate_of" in a]
    assert len(linked) == 2 and all(a["duplicate_of"] in items and a["duplicate_reason"] for a in linked)
    for activity_id, activity in items.items():
        plain = {k: v for k, v in activity.items() if k not in ("duplicate_of", "duplicate_reason", "review")}
        if activity_id in record:
            assert plain == record[activity_id]


def test_unlink_is_remembered_through_reprocessing_and_relink_restores(api: Api, two: tuple[int, int]) -> None:
    """GIVEN a linked pair WHEN the member unlinks it THEN it counts on its own, stays unlinked when both files are
    read again, and WHEN relinked (no body) counts once again."""
    activity = _duplicate(api, "Vulnerable clients - recognizing undue influence")
    url = f"/members/{MEMBER}/activities/{activity['activity_id']}/duplicate"
    linked_hours = _hours(api.runtime)
    answer = api.call("DELETE", url, "hannah")
    assert answer.status_code == 200 and "duplicate_of" not in answer.json()
    assert _hours(api.runtime) == linked_hours + activity["cpd_hours"]
    assert api.call("DELETE", url, "hannah").status_code == 200  # again: nothing more to do
    _reprocess(api.runtime, *reversed(two))
    assert "duplicate_of" not in api.items()[activity["activity_id"]]
    answer = api.call("POST", url, "hannah")
    assert answer.status_code == 200 and answer.json()["duplicate_of"] == activity["duplicate_of"]
    assert answer.json()["duplicate_reason"] == "linked by the member"
    _reprocess(api.runtime, two[1])
    assert api.items()[activity["activity_id"]]["duplicate_of"] == activity["duplicate_of"]
    assert _hours(api.runtime) == linked_hours


def test_member_links_a_pair_detection_missed(api: Api, two: tuple[int, int]) -> None:
    """The record's 'Probate practice' (another provider named) linked by hand to the transcript's: it then
    counts once, and the link survives reprocessing."""
    items = api.items()
    probate = {a["source"]["filename"]: a for a in items.values() if a["title"].startswith("Probate practice after")
               and a["completed_on"] == "2025-06-21"}
    mine, theirs = probate["my-cpd-record.docx"], probate["cornerstone-title-block.xlsx"]
    before = _hours(api.runtime)
    url = f"/members/{MEMBER}/activities/{mine['activity_id']}/duplicate"
    answer = api.call("POST", url, "hannah", json={"duplicate_of": theirs["activity_id"]})
    assert answer.status_code == 200 and answer.json()["duplicate_of"] == theirs["activity_id"]
    assert _hours(api.runtime) == before - mine["cpd_hours"]
    _reprocess(api.runtime, *two)
    assert api.items()[mine["activity_id"]]["duplicate_of"] == theirs["activity_id"]


@pytest.mark.parametrize(("case", "status", "code"), [
    ("unknown", 404, "no_such_activity"), ("same-upload", 422, "same_upload"), ("never-unlinked", 409,
                                                                                "nothing_to_relink"),
    ("loop", 409, "would_loop"), ("other-member", 403, "forbidden"), ("portal", 403, "forbidden")])
def test_link_refusals_say_what_to_do(api: Api, case: str, status: int, code: str) -> None:
    items = list(api.items().values())
    plain = next(a for a in items if "duplicate_of" not in a and a["source"]["filename"] == "my-cpd-record.docx")
    sibling = next(a for a in items if a["source"]["filename"] == "my-cpd-record.docx" and a is not plain)
    linked = next(a for a in items if "duplicate_of" in a)
    who, activity, body = {
        "unknown": ("hannah", "0" * 32, None), "same-upload": ("hannah", plain["activity_id"], sibling["activity_id"]),
        "never-unlinked": ("hannah", plain["activity_id"], None),
        "loop": ("hannah", linked["duplicate_of"], linked["activity_id"]),
        "other-member": ("bob", linked["activity_id"], None), "portal": ("portal", linked["activity_id"], None)}[case]
    answer = api.call("POST", f"/members/{MEMBER}/activities/{activity}/duplicate", who,
                      **({"json": {"duplicate_of": body}} if body else {}))
    assert answer.status_code == status and answer.json()["error"]["code"] == code
    assert len(answer.json()["error"]["message"]) > 30
    assert api.call("DELETE", f"/members/{MEMBER}/activities/{activity}/duplicate", "bob").status_code == 403


@pytest.mark.services
def test_the_same_links_on_postgresql(pg_database: str, tmp_path: Path) -> None:
    """The rules read a few fields out of the activity JSON in SQL (JSON_EXTRACT in SQLite, ->> in PostgreSQL):
    on PostgreSQL the shared activities link just as they do above, with the same reasons."""
    runtime = open_runtime(make_settings(tmp_path, database_url=pg_database))
    try:
        upload(runtime, MEMBER, TRANSCRIPT.read_bytes(), TRANSCRIPT.name)
        record = upload(runtime, MEMBER, cpd_record_docx(), "my-cpd-record.docx")
        links = _links(runtime, record)
        assert {key for key, target in links.items() if target} == set(RECORD_DUPLICATES.items())
        reasons = {r.title: r.duplicate_reason for r in _rows(runtime) if r.duplicate_of}
        vulnerable = reasons["Vulnerable clients - recognizing undue influence"]
        assert "dates a day apart (2025-04-12 and 2025-04-13)" in vulnerable and "same hours 2.5" in vulnerable
        assert "same provider Kestrel Law Training" in vulnerable and "sheet=Transcript;row=12" in vulnerable
        assert all(r.data.get("duplicate_of") == r.duplicate_of for r in _rows(runtime))
    finally:
        runtime.close()


def test_detection_apart_finds_again_when_the_member_wrote_meanwhile(runtime: Runtime, two: tuple[int, int]) -> None:
    """GIVEN the record's links found without the member's lock WHEN another writer takes the member's lock
    (a role change, a link, another upload) between finding and writing THEN nothing found before is written;
    it is found again, and the links end as the plain detection makes them."""
    _, record = two
    expected = _links(runtime, record)
    with runtime.sessions() as s, s.begin():
        s.execute(update(ActivityRow).where(ActivityRow.upload_id == record).values(duplicate_of=None,
                                                                                  duplicate_reason=None))
    assert not any(_links(runtime, record).values())
    opened: list[int] = []

    def sessions() -> Any:   # the second session opened is the writing one: someone writes just before it
        opened.append(1)
        if len(opened) == 2:
            with runtime.sessions() as s, s.begin():
                lock_member(s, MEMBER)
        return runtime.sessions()

    assert detect_apart(sessions, MEMBER, record) == len(RECORD_DUPLICATES)
    assert len(opened) == 4   # found, refused (the version moved), found again, written
    assert _links(runtime, record) == expected


def test_migration_0005_keeps_the_activities_and_adds_the_lease_columns(settings: Settings) -> None:
    """GIVEN a database at revision 0002 holding an activity THEN upgrading to head and back keeps the row (no
    table copy on SQLite, whose cascade would delete the activities) and adds then drops the three columns."""
    engine = make_engine(settings)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
        when = dt.datetime(2025, 1, 1)
        connection.execute(text("INSERT INTO members (id, created_at, updated_at) VALUES ('m', :w, :w)"), {"w": when})
        connection.execute(text("INSERT INTO uploads (id, member_id, filename, sha256, size, state, attempts, "
                                "created_at, updated_at) VALUES (1, 'm', 'f', :sha, 1, 'done', 1, :w, :w)"),
                           {"sha": "0" * 64, "w": when})
        connection.execute(text("INSERT INTO activities (id, member_id, activity_id, upload_id, title, status, "
                                "ethics_related, data) VALUES (1, 'm', 'a', 1, 't', 'completed', 0, '{}')"))
        command.upgrade(config, "head")
        assert {"lease_holder", "links_pending"} <= {c["name"] for c in inspect(connection).get_columns("uploads")}
        assert connection.execute(text("SELECT version FROM members")).scalar() == 0
        assert connection.execute(text("SELECT links_pending FROM uploads")).scalar() in (0, False)
        assert connection.execute(text("SELECT title FROM activities")).scalar() == "t"
        command.downgrade(config, "0002")
        assert "lease_holder" not in {c["name"] for c in inspect(connection).get_columns("uploads")}
        assert connection.execute(text("SELECT title FROM activities")).scalar() == "t"
    engine.dispose()
