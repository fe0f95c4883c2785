"""The audit year: the reproducible draw, ad-hoc requests, due dates and overdue, the states with their history,
and the frozen audit pack (opened with openpyxl and pdfplumber, its evidence checked by sha256). Real files,
the real pipeline, the real database."""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal

import pdfplumber
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from ingest.audit import (AuditError, change, draw, due_date, history, is_overdue, mark_overdue, request_record,
                          sample_size, set_working)
from ingest.audit.pack import pack_bytes, submit
from ingest.store import ActivityRow, AuditRequestRow, ensure_member
from ingest.work.runtime import Runtime

from .year_samples import certificate_pdf, transcript_and_record, upload

MEMBER = "hannah"
ADMIN = "admin"


def _members(runtime: Runtime, working: int, not_working: int) -> tuple[list[str], list[str]]:
    yes = [f"M-{n:04d}" for n in range(working)]
    no = [f"N-{n:04d}" for n in range(not_working)]
    with runtime.sessions() as s, s.begin():
        for member in yes:
            set_working(s, member, True)
        for member in no:
            set_working(s, member, False)
    return yes, no


@pytest.mark.parametrize(("requested", "due"), [
    ("2023-12-31", "2024-02-29"),  # into a leap February: its last day
    ("2024-12-31", "2025-02-28"),  # into a common February
    ("2027-12-30", "2028-02-29"),
    ("2025-12-29", "2026-02-28"),
    ("2024-12-29", "2025-02-28"),
    ("2023-12-29", "2024-02-29"),  # the 29th exists in a leap February
    ("2025-08-31", "2025-10-31"),
    ("2025-06-30", "2025-08-30"),
    ("2025-07-31", "2025-09-30"),  # September has no 31st
    ("2024-01-15", "2024-03-15"),
    ("2024-11-30", "2025-01-30"),
])
def test_due_date_is_two_calendar_months_end_of_month_aware(requested: str, due: str) -> None:
    assert due_date(dt.date.fromisoformat(requested)) == dt.date.fromisoformat(due)


def test_overdue_from_the_day_after_the_due_date(runtime: Runtime) -> None:
    """GIVEN a request made on 31 December 2023 (due 29 February 2024) WHEN the days pass THEN it is still
    requested on the due date and becomes overdue, recorded by "system", on 1 March."""
    due = dt.date(2024, 2, 29)
    assert not is_overdue(due, due) and is_overdue(due, due + dt.timedelta(days=1))
    with runtime.sessions() as s, s.begin():
        ensure_member(s, MEMBER)
        row = request_record(s, MEMBER, 2023, "Complaint about CPD claims", ADMIN, today=dt.date(2023, 12, 31))
        assert row.due_on == due
        assert mark_overdue(s, today=due) == [] and row.state == "requested"
        assert [r.id for r in mark_overdue(s, today=dt.date(2024, 3, 1))] == [row.id]
        assert row.state == "overdue"
        last = history(s, row.id)[-1]
        assert (last.from_state, last.to_state, last.by) == ("requested", "overdue", "system")
        assert "2024-02-29" in (last.note or "")


@pytest.mark.parametrize(("eligible", "size"), [(0, 0), (1, 1), (16, 1), (50, 2), (83, 2), (84, 3), (150, 5),
                                                (250, 8), (2000, 60)])
def test_sample_size_rounds_half_up_and_is_at_least_one(eligible: int, size: int) -> None:
    expected = int((Decimal("0.03") * eligible).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    assert sample_size(0.03, eligible) == size == (max(expected, 1) if eligible else 0)


def test_draw_is_reproducible_and_never_draws_a_member_not_working(runtime: Runtime) -> None:
    """GIVEN 150 working and 40 not working members WHEN the year is drawn with a seed, then drawn again as a
    new cycle with the same seed THEN both samples hold the same 5 working members (round-half-up of 4.5), the
    seed is recorded, and no member not working is ever drawn, whatever the seed."""
    working, idle = _members(runtime, 150, 40)
    with runtime.sessions() as s, s.begin():
        first = draw(s, 2025, ADMIN, seed=20250401, today=dt.date(2025, 4, 1))
        again = draw(s, 2025, ADMIN, seed=20250401, new_cycle=True, today=dt.date(2025, 4, 2))
        other = draw(s, 2025, ADMIN, seed=7, new_cycle=True)
    assert first.members == again.members and len(first.members) == 5 == first.cycle.size
    assert (first.cycle.seed, first.cycle.eligible, again.cycle.number) == (20250401, 150, 2)
    assert other.members != first.members  # a different seed, a different sample (for these seeds)
    assert set(first.members) <= set(working)
    with runtime.sessions() as s, s.begin():
        for seed in range(40):
            assert not set(draw(s, 2026, ADMIN, rate=0.2, seed=seed, new_cycle=True).members) & set(idle)
        everyone = draw(s, 2030, ADMIN, rate=1.0, seed=1)
    assert everyone.members == working
    with runtime.sessions() as s:
        requests = s.scalars(select(AuditRequestRow).where(AuditRequestRow.cycle_id == first.cycle.id)).all()
        assert sorted(r.member_id for r in requests) == first.members
        assert {(r.state, r.requested_on, r.due_on) for r in requests} == {
            ("requested", dt.date(2025, 4, 1), dt.date(2025, 6, 1))}


def test_drawing_a_year_twice_is_refused_unless_a_new_cycle_is_asked(runtime: Runtime) -> None:
    _members(runtime, 10, 0)
    with runtime.sessions() as s, s.begin():
        draw(s, 2025, ADMIN, seed=1)
        with pytest.raises(AuditError) as refused:
            draw(s, 2025, ADMIN, seed=2)
        assert refused.value.code == "already_drawn" and "new cycle" in refused.value.message
        assert draw(s, 2025, ADMIN, seed=2, new_cycle=True).cycle.number == 2


def test_members_drawn_in_the_two_previous_cycles_may_be_left_out(runtime: Runtime) -> None:
    """GIVEN three cycles drawn at 30% of 20 members WHEN the fourth is drawn leaving out the recently drawn
    THEN none of the members of cycles two and three is drawn, and those only drawn in cycle one may be."""
    _members(runtime, 20, 0)
    with runtime.sessions() as s, s.begin():
        cycles = [draw(s, year, ADMIN, rate=0.3, seed=year) for year in (2022, 2023, 2024)]
        fourth = draw(s, 2025, ADMIN, rate=0.3, seed=11, exclude_recent=True)
    recent = set(cycles[1].members) | set(cycles[2].members)
    assert fourth.cycle.excluded == len(recent) and not set(fourth.members) & recent
    assert len(fourth.members) == 6
    with runtime.sessions() as s, s.begin():
        kept = draw(s, 2025, ADMIN, rate=0.3, seed=11, new_cycle=True)  # without the option, anyone may be drawn
    assert kept.cycle.excluded == 0


def test_ad_hoc_request_needs_a_reason_and_a_known_member(runtime: Runtime) -> None:
    with runtime.sessions() as s, s.begin():
        ensure_member(s, MEMBER)
        with pytest.raises(AuditError, match="needs a reason"):
            request_record(s, MEMBER, 2025, "  ", ADMIN)
        with pytest.raises(AuditError, match="no member 'nobody'"):
            request_record(s, "nobody", 2025, "A complaint", ADMIN)
        row = request_record(s, MEMBER, 2025, "A complaint from a client", ADMIN, today=dt.date(2025, 9, 10))
        assert (row.reason, row.cycle_id, row.due_on) == ("A complaint from a client", None, dt.date(2025, 11, 10))


@pytest.fixture()
def member_year(runtime: Runtime) -> Runtime:
    transcript_and_record(runtime, MEMBER)
    upload(runtime, MEMBER, certificate_pdf(), "certificate.pdf")
    upload(runtime, MEMBER, HOSTILE, "<b>lms</b> & export.csv")
    upload(runtime, MEMBER, SKILLS, "skills.csv")
    return runtime


HOSTILE = ('Title,Provider,Completion Date,Hours,Reflection\n'
           '"=HYPERLINK(""http://evil.example/x"",""Trust law update"")",STEP,12/05/2025,1,"@SUM(1)"\n'
           '<b>Bold & <font name=x>,A&B,14/05/2025,1,\n').encode()
SKILLS = ("Title,Provider,Completion Date,Hours,Reflection\n"
          "Leadership for new managers,Harbour Academy,03/06/2025,4,I now run fortnightly one-to-ones.\n"
          "Business development and marketing for trust practices,STEP,10/09/2025,2,\n"
          "Time management and resilience,Harbour Academy,15/10/2025,1.5,Blocked time for file reviews.\n").encode()


def test_request_goes_through_every_state_with_its_history(member_year: Runtime) -> None:
    """GIVEN an ad-hoc request WHEN it is submitted, reviewed, found wanting, appealed and the appeal upheld THEN
    each change is recorded with who, when and the note, and a skipped or repeated step is refused."""
    runtime = member_year
    with runtime.sessions() as s, s.begin():
        row = request_record(s, MEMBER, 2025, "Random spot check", ADMIN, today=dt.date(2026, 4, 20))
        with pytest.raises(AuditError, match="cannot go to 'under_review': it may go to submitted or overdue"):
            change(s, row.id, "under_review", ADMIN)
        with pytest.raises(AuditError, match="only by submitting"):
            change(s, row.id, "submitted", ADMIN)
        submit(s, runtime.blobs, row.id, MEMBER, runtime.settings)
        with pytest.raises(AuditError, match="submitted already"):
            submit(s, runtime.blobs, row.id, MEMBER, runtime.settings)
        for to, by, note in (("under_review", "auditor-1", "Taken"), ("action_required", "auditor-1", "No ethics"),
                             ("appealed", MEMBER, "The ethics webinar was missed"), ("upheld", "panel", "Kept")):
            change(s, row.id, to, by, note)
        with pytest.raises(AuditError, match="it is final"):
            change(s, row.id, "overturned", "panel")
        events = history(s, row.id)
    assert [(e.from_state, e.to_state) for e in events] == [
        (None, "requested"), ("requested", "submitted"), ("submitted", "under_review"),
        ("under_review", "action_required"), ("action_required", "appealed"), ("appealed", "upheld")]
    assert [e.by for e in events] == [ADMIN, MEMBER, "auditor-1", "auditor-1", MEMBER, "panel"]
    assert events[4].note == "The ethics webinar was missed" and all(e.at is not None for e in events)
    assert [e.at for e in events] == sorted(e.at for e in events)


def _open(pack: bytes) -> tuple[zipfile.ZipFile, dict[str, object]]:
    archive = zipfile.ZipFile(io.BytesIO(pack))
    return archive, json.loads(archive.read("manifest.json"))


def test_audit_pack_opens_and_holds_every_activity_and_file(member_year: Runtime) -> None:
    """The pack's workbook opens in openpyxl, its PDF's text holds every activity's title, each evidence file's
    sha256 equals the stored one, and the index (CSV) names every activity with its file and place."""
    runtime = member_year
    with runtime.sessions() as s, s.begin():
        row = request_record(s, MEMBER, 2025, "Spot check", ADMIN)
        submit(s, runtime.blobs, row.id, MEMBER, runtime.settings)
        stored = s.execute(select(ActivityRow.activity_id, ActivityRow.data, ActivityRow.upload_id)
                           .where(ActivityRow.member_id == MEMBER, ActivityRow.status == "completed",
                                  ActivityRow.completed_on >= dt.date(2025, 4, 1),
                                  ActivityRow.completed_on < dt.date(2026, 4, 1))).all()
        data = pack_bytes(runtime.blobs, row)
        assert hashlib.sha256(data).hexdigest() == row.pack_sha256
    archive, manifest = _open(data)
    names = archive.namelist()
    xlsx = next(n for n in names if n.endswith(".xlsx"))
    pdf = next(n for n in names if n.endswith(".pdf"))
    book = load_workbook(io.BytesIO(archive.read(xlsx)))
    assert book.sheetnames == ["CPD record", "Responsibilities", "Sources"]
    assert book["CPD record"].max_row == len(stored) + 2  # header, a row each, totals
    with pdfplumber.open(io.BytesIO(archive.read(pdf))) as document:
        text = " ".join(" ".join((page.extract_text() or "").split()) for page in document.pages)
    titles = {" ".join(str(d["title"]).split()) for _, d, _ in stored}
    assert len(titles) >= 8 and all(t in text for t in titles), [t for t in titles if t not in text]
    assert "Index of activities and evidence" in text
    evidence = manifest["evidence"]
    assert isinstance(evidence, list) and len(evidence) == 5
    for item in evidence:
        assert hashlib.sha256(archive.read(item["path"])).hexdigest() == item["sha256"]
        assert runtime.blobs.get(item["sha256"]) == archive.read(item["path"])
    index = list(csv.DictReader(io.StringIO(archive.read("index.csv").decode("utf-8-sig"))))
    assert sorted(r["activity_id"] for r in index) == sorted(a for a, _, _ in stored)
    paths = {item["upload_id"]: item["path"] for item in evidence}
    by_id = {a: u for a, _, u in stored}
    for item in index:
        assert item["evidence_file"] == paths[by_id[item["activity_id"]]] and item["locator"]
        assert item["values"] == "extracted"
    transcript = [r for r in index if r["sheet"] == "Transcript"]
    assert transcript and all(r["row"].isdigit() for r in transcript)
    assert any(r["ethics"] for r in index) and any(r["responsibilities"] for r in index)
    assert any(r["title"].startswith("'=HYPERLINK") for r in index)  # a formula in a title never runs
    for item in manifest["files"]:  # type: ignore[union-attr]
        assert hashlib.sha256(archive.read(item["name"])).hexdigest() == item["sha256"]


def test_a_submitted_pack_is_frozen(member_year: Runtime) -> None:
    """GIVEN a submitted pack WHEN the member's activities change afterwards (a title edited, a new upload) THEN
    the submitted pack is byte for byte the same, and a pack made now differs."""
    runtime = member_year
    with runtime.sessions() as s, s.begin():
        row = request_record(s, MEMBER, 2025, "Spot check", ADMIN)
        submit(s, runtime.blobs, row.id, MEMBER, runtime.settings)
        frozen, request_id = pack_bytes(runtime.blobs, row), row.id
        activity = s.scalars(select(ActivityRow).where(ActivityRow.member_id == MEMBER,
                                                       ActivityRow.completed_on >= dt.date(2025, 4, 1))).first()
        assert activity is not None
        activity.data = {**activity.data, "title": "Edited after submission"}
        activity.title = "Edited after submission"
    upload(runtime, MEMBER, certificate_pdf("Trustee investment duties", "3 August 2025"), "late.pdf")
    with runtime.sessions() as s:
        again = pack_bytes(runtime.blobs, s.get(AuditRequestRow, request_id))  # type: ignore[arg-type]
        from ingest.audit.pack import build_pack
        now = build_pack(s, runtime.blobs, MEMBER, 2025, runtime.settings, dt.datetime(2026, 1, 1))
    assert again == frozen
    archive, _ = _open(frozen)
    assert b"Edited after submission" not in archive.read("index.csv")
    assert b"Edited after submission" in zipfile.ZipFile(io.BytesIO(now.data)).read("index.csv")
    assert not any(re.search("late", n) for n in archive.namelist())


def test_development_areas_and_reflections_in_the_summary_and_cover_sheet(member_year: Runtime) -> None:
    """The member-year summary gives hours and activities by development area and the activities with a
    reflection, equal to a count made here over the counted activities; the cover sheet shows them."""
    from mappers.areas import area_of
    from ingest.year import member_summary
    from ingest.year.export import year_export
    from ingest.year.summary import load_year

    with member_year.sessions() as s:
        summary = member_summary(s, MEMBER, 2025, 4)
        counted = load_year(s, MEMBER, 2025, 4).counted
        pdf = year_export(s, MEMBER, 2025, member_year.settings).pdf()
    expected: dict[str, list[float]] = {}
    for group in counted:
        expected.setdefault(area_of(group.row.data).area, []).append(group.hours or 0.0)
    areas = summary["development_areas"]
    assert set(areas) == {"technical", "personal", "management", "business"}
    for area, item in areas.items():
        assert item["activities"] == len(expected.get(area, []))
        assert item["hours"] == pytest.approx(sum(expected.get(area, [])))
    assert (areas["management"]["hours"], areas["business"]["hours"], areas["personal"]["hours"]) == (4, 2, 1.5)
    with_reflection = sum(1 for g in counted if any(str(r.data.get("reflection") or "").strip()
                                                    for r in (g.row, *g.duplicates)))
    assert summary["reflection"] == {"activities": with_reflection, "of": len(counted)} and with_reflection >= 3
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = " ".join((document.pages[0].extract_text() or "").split())
    assert "Development areas" in text and "Management" in text
    assert f"{with_reflection} of {len(counted)}" in text and f"{areas['technical']['hours']:g} h" in text


def test_pack_index_marks_member_edited_hand_entered_and_leaves_out_rejected(member_year: Runtime) -> None:
    """GIVEN activities carrying the contract's `review` overlay (one edited, one rejected) and one whose source
    is `manual` WHEN the pack is made THEN the index says member-edited (with the fields), hand-entered, and
    leaves the rejected one out; every other activity is extracted."""
    from ingest.audit.pack import build_pack

    runtime = member_year
    with runtime.sessions() as s, s.begin():
        rows = s.scalars(select(ActivityRow).where(ActivityRow.member_id == MEMBER, ActivityRow.duplicate_of.is_(None),
                                                   ActivityRow.completed_on >= dt.date(2025, 4, 1))
                         .order_by(ActivityRow.id)).all()
        edited, manual, rejected = rows[0], rows[1], rows[2]
        edited.data = {**edited.data, "review": {"state": "edited", "by": MEMBER, "at": "2026-01-02T10:00:00Z",
                                                 "changed": ["title", "cpd_hours"], "extracted": {}}}
        manual.data = {**manual.data, "source": {**manual.data["source"], "extractor": "manual"}}
        rejected.data = {**rejected.data, "review": {"state": "rejected", "by": MEMBER, "changed": []}}
        ids = (edited.activity_id, manual.activity_id, rejected.activity_id)
    with runtime.sessions() as s:
        pack = build_pack(s, runtime.blobs, MEMBER, 2025, runtime.settings, dt.datetime(2026, 2, 1))
    index = {r["activity_id"]: r for r in csv.DictReader(io.StringIO(
        zipfile.ZipFile(io.BytesIO(pack.data)).read("index.csv").decode("utf-8-sig")))}
    assert (index[ids[0]]["values"], index[ids[0]]["edited_fields"]) == ("member-edited", "title;cpd_hours")
    assert index[ids[1]]["values"] == "hand-entered" and ids[2] not in index
    assert {r["values"] for key, r in index.items() if key not in ids} == {"extracted"}


@pytest.mark.parametrize(("locator", "expected"), [
    ("sheet=Transcript;row=7", {"sheet": "Transcript", "row": "7"}),
    ("page=2;table=1;row=4", {"page": "2", "table": "1", "row": "4"}),
    ("paragraph=12", {"paragraph": "12"}), (None, {}), ("", {})])
def test_place_in_file_from_the_locator(locator: str | None, expected: dict[str, str]) -> None:
    from ingest.audit.index import place

    assert place(locator) == expected


def test_migration_0004_marks_every_known_member_working_and_goes_back(runtime: Runtime) -> None:
    """GIVEN a database at head with a member WHEN it goes back to 0002 and up again THEN the member is kept,
    working by default, and the audit tables come and go."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import inspect, text

    from ingest.store.db import MIGRATIONS

    with runtime.sessions() as s, s.begin():
        ensure_member(s, MEMBER)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with runtime.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")
        assert "audit_requests" not in inspect(connection).get_table_names()
        assert "working" not in {c["name"] for c in inspect(connection).get_columns("members")}
        command.upgrade(config, "head")
        assert {"audit_cycles", "audit_requests", "audit_events"} <= set(inspect(connection).get_table_names())
        assert connection.execute(text("SELECT id, working FROM members")).one() == (MEMBER, True)
