"""The member-year summary (GET /members/{id}/summary, `cpd-evidence summary`): hours with duplicates once,
the ethics requirement, responsibilities served and the gaps, what needs the member's attention, and what
the same files hold outside the year. Real files through the real pipeline, on SQLite."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from ingest.api import create_app
from ingest.cli import app
from ingest.settings import Settings, get_settings
from ingest.store import ActivityRow, create_token
from ingest.work.roles import load_role_json
from ingest.work.runtime import Runtime, open_runtime
from ingest.year import cpd_year_bounds, member_summary

from .conftest import make_settings
from .year_samples import certificate_pdf, transcript_and_record, upload

MEMBER = "hannah"
# Around the edges of CPD year 2025 (1 April 2025 to 31 March 2026), and rows a member must look at again.
EDGES = (
    "Title,Provider,Completion Date,Hours,Status\n"
    "Year-end reading on trust law,Self-directed,31/03/2026,1,Completed\n"         # the year's last day: in
    "New year seminar on probate,Kestrel Law Training,01/04/2026,2,Completed\n"    # the next year's first day
    "Late filing clinic,Larkfield Academy,31/03/2025,1,Completed\n"                # the year before's last day
    "Webinar on trustee exemption clauses,STEP,15/11/2025,,Completed\n"            # no hours
    "Trust disputes update,STEP,31/02/2025,lots,Completed\n"                       # no real date, no hours: 0.5
    "Sanctions screening refresher,Compliance Essentials Ltd,20/12/2025,1,In progress\n"  # not counted
).encode()
EXISTING_FIELDS = {"member_id", "year", "period", "activities", "hours", "verifiable_hours",
                   "activities_without_hours", "ethics", "role", "responsibilities"}


def _summary(runtime: Runtime, year: int = 2025, **kwargs: Any) -> dict[str, Any]:
    with runtime.sessions() as s:
        return member_summary(s, MEMBER, year, runtime.settings.year_start_month, **kwargs)


@pytest.fixture()
def year(runtime: Runtime) -> Runtime:
    """Hannah, a trust administrator: her employer's transcript, her own CPD record and an edge-case log."""
    transcript_and_record(runtime, MEMBER)
    upload(runtime, MEMBER, EDGES, "edges.csv")
    return runtime


def test_existing_fields_are_kept_and_new_ones_added(year: Runtime) -> None:
    summary = _summary(year)
    assert EXISTING_FIELDS <= set(summary)
    assert {"duplicates", "hours_by_month", "attention", "outside_year", "sources"} <= set(summary)
    assert summary["period"] == {"from": "2025-04-01", "to": "2026-03-31"}
    assert {"required", "met", "activities"} <= set(summary["ethics"])
    assert all({"id", "text", "activity_ids"} <= set(c) for c in summary["responsibilities"]["covered"])


def test_the_years_edges_and_what_falls_outside(year: Runtime) -> None:
    """The year's last day counts; the days either side are listed outside the year, with the year they count in."""
    summary = _summary(year)
    counted = {a["title"] for c in summary["responsibilities"]["covered"] for a in c["activities"]}
    outside = {a["title"]: a for a in summary["outside_year"]["activities"]}
    assert outside["New year seminar on probate"]["cpd_year"] == 2026
    assert outside["Late filing clinic"]["cpd_year"] == 2024
    assert outside["Late filing clinic"]["filename"] == "edges.csv"
    assert "Year-end reading on trust law" not in outside
    assert summary["outside_year"]["count"] == len(summary["outside_year"]["activities"])
    assert "New year seminar on probate" not in counted
    months = summary["hours_by_month"]
    assert [m["month"] for m in months] == [f"2025-{m:02d}" for m in range(4, 13)] + ["2026-01", "2026-02", "2026-03"]
    assert months[-1]["hours"] == 1.0 and sum(m["hours"] for m in months) == pytest.approx(summary["hours"])


def test_hours_count_each_activity_once_and_only_completed(year: Runtime) -> None:
    """The hours are every completed row's in the year, less the record's two shared activities (2.5 + 1.5)."""
    summary = _summary(year)
    start, end = cpd_year_bounds(2025, 4)
    with year.sessions() as s:
        every = s.scalar(select(func.sum(ActivityRow.cpd_hours)).where(
            ActivityRow.status == "completed", ActivityRow.completed_on >= start, ActivityRow.completed_on < end))
    assert summary["hours"] == pytest.approx(float(every or 0) - 4.0)
    assert summary["duplicates"]["count"] == 2
    assert summary["activities_without_hours"] == 1  # the webinar on exemption clauses


def test_ethics_requirement_met_or_not(year: Runtime) -> None:
    summary = _summary(year)
    titles = {a["title"] for a in summary["ethics"]["activities"]}
    assert summary["ethics"]["met"] is True and "Ethics for trustees: case studies" in titles
    assert "Vulnerable clients - recognizing undue influence" not in titles  # the duplicate: counted once
    count = len(summary["ethics"]["activities"])
    many = _summary(year, ethics_required=count + 1)
    assert many["ethics"]["met"] is False and many["ethics"]["required"] == count + 1
    assert _summary(year, year=2030)["ethics"]["met"] is False


def test_responsibilities_served_and_the_gaps(year: Runtime) -> None:
    """Every responsibility of the role is either covered (with its activities, best match first, and hours) or
    a gap; a duplicate never appears as a second activity serving it."""
    summary = _summary(year)
    role = load_role_json("trust-administrator")
    covered, gaps = summary["responsibilities"]["covered"], summary["responsibilities"]["not_covered"]
    assert sorted(c["id"] for c in covered + gaps) == sorted(r["id"] for r in role["responsibilities"])
    assert gaps, "the sample year leaves some responsibilities to plan for"
    duplicates = {d["activity_id"] for d in summary["duplicates"]["activities"]}
    for item in covered:
        scores = [a["score"] for a in item["activities"]]
        assert scores == sorted(scores, reverse=True) and not duplicates & set(item["activity_ids"])
        assert item["hours"] == pytest.approx(sum(a["hours"] or 0 for a in item["activities"]))


def test_activities_needing_attention(year: Runtime) -> None:
    attention = {a["title"]: {r["code"] for r in a["reasons"]} for a in _summary(year)["attention"]}
    assert attention["Webinar on trustee exemption clauses"] == {"no_hours"}
    assert attention["Trust disputes update"] >= {"low_confidence", "no_completion_date", "no_hours",
                                                  "not_a_real_date"}
    assert "Year-end reading on trust law" not in attention


def test_start_month_setting_moves_the_year(tmp_path: Path) -> None:
    runtime = open_runtime(make_settings(tmp_path, year_start_month=1))
    upload(runtime, MEMBER, EDGES, "edges.csv")
    summary = _summary(runtime, 2026)
    assert summary["period"] == {"from": "2026-01-01", "to": "2026-12-31"}
    assert summary["hours"] == 3.0  # 31 March and 1 April 2026
    runtime.close()


def test_api_summary_is_the_same_for_the_member_and_the_portal(year: Runtime) -> None:
    with year.sessions() as s, s.begin():
        tokens = {"hannah": create_token(s, "member", MEMBER), "portal": create_token(s, "portal"),
                  "bob": create_token(s, "member", "bob")}
    with TestClient(create_app(year.settings, runtime=year, dispatcher="inline")) as client:
        def get(who: str) -> Any:
            return client.get(f"/members/{MEMBER}/summary", params={"year": 2025},
                              headers={"Authorization": f"Bearer {tokens[who]}"})
        assert get("hannah").json() == get("portal").json() == _summary(year)
        assert get("bob").status_code == 403 and "activities" not in get("bob").json()


@pytest.fixture()
def cli_env(year: Runtime, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    monkeypatch.setenv("CPD_DATA_DIR", str(year.settings.data_dir))
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


def test_cli_summary_json_and_text(cli_env: Settings) -> None:
    as_json = CliRunner().invoke(app, ["summary", "--member", MEMBER, "--year", "2025", "--json"])
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.stdout)
    assert data["duplicates"]["count"] == 2 and data["outside_year"]["count"] >= 2
    text = CliRunner().invoke(app, ["summary", "--member", MEMBER, "--year", "2025"], env={"COLUMNS": "200"})
    assert text.exit_code == 0, text.output
    for words in ("2 duplicate(s) counted once", "need your attention", "fall outside CPD year 2025",
                  "Trust disputes update", "source file(s)", "not covered"):
        assert words in text.stdout


def test_an_activity_counts_the_hours_its_duplicate_gives(runtime: Runtime) -> None:
    """GIVEN a transcript row without hours and, uploaded later, its certificate with 2 hours THEN the activity
    counts once, with the certificate's 2 hours, verifiable, and no longer lacks hours."""
    transcript = b"Title,Provider,Completion Date\nTrust accounts masterclass,Fernhill Academy,04/06/2025\n"
    upload(runtime, MEMBER, transcript, "transcript.csv")
    assert _summary(runtime)["activities_without_hours"] == 1
    upload(runtime, MEMBER, certificate_pdf("Trust accounts masterclass", "4 June 2025", "Fernhill Academy", "2"),
           "certificate.pdf")
    summary = _summary(runtime)
    assert (summary["activities"], summary["hours"], summary["activities_without_hours"]) == (1, 2.0, 0)
    assert summary["verifiable_hours"] == 2.0 and summary["duplicates"]["count"] == 1
    codes = {r["code"] for a in summary["attention"] for r in a["reasons"]}
    assert "no_hours" not in codes and codes <= {"date_order_assumed"}  # 04/06/2025: read day-first, said so
