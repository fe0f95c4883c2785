"""The thematic review: its figures equal a direct computation over the members' years, the workbook has a
sheet per measure with those figures, the PDF holds the text and charts, and no member's id or name is in
either. The API call and the command line write the same."""
from __future__ import annotations

import io
import statistics
from collections import Counter
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from typer.testing import CliRunner

from ingest.api import create_app
from ingest.audit.review import SHEETS, findings, review_pdf, review_workbook, thematic_review
from ingest.cli import app
from ingest.settings import get_settings
from ingest.store import UploadRow, create_token
from ingest.work.runtime import Runtime
from ingest.year import load_year, summarise
from mappers.areas import area_of

from .review_samples import BOB, DANA, ERIN, HANNAH, MEMBERS, NAMES, body_years


@pytest.fixture()
def body(runtime: Runtime) -> Runtime:
    body_years(runtime)
    return runtime


def _direct(runtime: Runtime, members: list[str], year: int) -> dict[str, Any]:
    """The review's figures computed here, from each member's year."""
    with runtime.sessions() as s:
        years = [load_year(s, m, year, 4) for m in members]
        failed = s.execute(select(UploadRow.filename).where(UploadRow.member_id.in_(members),
                                                            UploadRow.state == "failed")).scalars().all()
    summaries = [summarise(y) for y in years]
    groups = [g for y in years for g in y.counted]
    hours = sorted(float(x["hours"]) for x in summaries)
    q1, median, q3 = statistics.quantiles(hours, n=4, method="inclusive")
    area_hours = Counter[str]()
    for g in groups:
        area_hours[area_of(g.row.data).area] += g.hours or 0
    roles = [x for x in summaries if x["role"] is not None]
    return {"members": len(members), "activities": len(groups), "median": median, "q1": q1, "q3": q3,
            "ethics": sum(x["ethics"]["met"] for x in summaries) / len(summaries),
            "coverage": statistics.fmean(len(x["responsibilities"]["covered"]) / (
                len(x["responsibilities"]["covered"]) + len(x["responsibilities"]["not_covered"])) for x in roles),
            "area_hours": area_hours,
            "reflection": sum(1 for g in groups if any((r.data.get("reflection") or "").strip()
                                                       for r in (g.row, *g.duplicates))) / len(groups),
            "verifiable": sum(1 for g in groups if g.verifiable is True) / len(groups),
            "failed": len(failed)}


def test_review_figures_equal_a_direct_computation(body: Runtime) -> None:
    """GIVEN three members asked for 2025 (two for 2024) and a fourth never asked WHEN 2025 is reviewed THEN
    each figure equals the one computed here, the year before is compared, and --all-members takes the fourth."""
    with body.sessions() as s:
        figures = thematic_review(s, body.settings, 2025)
        everyone = thematic_review(s, body.settings, 2025, all_members=True)
    direct = _direct(body, [HANNAH, BOB, DANA], 2025)
    assert (figures.members, figures.activities) == (3, direct["activities"])
    assert (figures.hours["q1"], figures.hours["median"], figures.hours["q3"]) == pytest.approx(
        (direct["q1"], direct["median"], direct["q3"]), abs=0.01)
    assert figures.ethics["share"] == pytest.approx(direct["ethics"], abs=1e-4)
    assert figures.coverage["mean_share"] == pytest.approx(direct["coverage"], abs=1e-4)
    assert figures.coverage["members_with_role"] == 3  # hannah, bob and dana are trust administrators
    for area, item in figures.areas.items():
        assert item["hours"] == pytest.approx(direct["area_hours"][area])
    assert figures.areas["management"]["hours"] == 6 and figures.areas["personal"]["hours"] == 1.5
    assert figures.reflection["share"] == pytest.approx(direct["reflection"], abs=1e-4)
    assert figures.verification["verifiable_share"] == pytest.approx(direct["verifiable"], abs=1e-4)
    assert sum(x["failed"] for x in figures.sources) == direct["failed"] == 1
    assert figures.sources[0] == {"kind": ".xlsx", "uploads": 2, "failed": 1, "failed_share": 0.5}
    assert figures.outcomes == {"requests": 3, "by_state": {"overturned": 1, "requested": 1, "satisfactory": 1},
                                "appeals": 1, "upheld": 0, "overturned": 1}
    assert figures.previous is not None and figures.previous.members == 2
    assert figures.previous.hours["median"] == pytest.approx(_direct(body, [HANNAH, BOB], 2024)["median"], abs=0.01)
    assert figures.previous.outcomes["by_state"] == {"action_required": 1, "satisfactory": 1}
    assert everyone.members == 4 and everyone.hours["max"] == 22
    text = findings(figures)
    assert any(line.startswith("Median hours") for line in text["trends"])
    assert any(".xlsx failed most often" in line for line in text["improvements"])


def _all_text(workbook: bytes, pdf: bytes) -> tuple[str, str]:
    book = load_workbook(io.BytesIO(workbook))
    cells = " ".join(str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row
                     if c is not None)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = " ".join(" ".join((p.extract_text() or "").split()) for p in document.pages)
        assert document.pages[0].objects.get("rect"), "the PDF draws its charts"
    return cells, text


def test_review_files_hold_the_figures_and_no_member(body: Runtime) -> None:
    with body.sessions() as s:
        figures = thematic_review(s, body.settings, 2025)
    workbook, pdf = review_workbook(figures), review_pdf(figures)
    book = load_workbook(io.BytesIO(workbook))
    assert book.sheetnames == list(SHEETS)
    hours = {row[0]: row[1:] for row in book["Hours"].iter_rows(min_row=2, values_only=True)}
    assert figures.previous is not None
    assert hours["median"][0] == figures.hours["median"] and hours["median"][1] == figures.previous.hours["median"]
    ethics = {row[0]: row[1] for row in book["Ethics"].iter_rows(min_row=2, values_only=True)}
    assert ethics["share"] == figures.ethics["share"]
    cells, text = _all_text(workbook, pdf)
    for secret in (*MEMBERS, *NAMES, "Okoro", "dana.csv", "erin.csv"):
        assert secret.lower() not in cells.lower() and secret.lower() not in text.lower(), secret
    for heading in ("Thematic review of CPD year 2025", "Trends", "Strengths", "Areas for improvement",
                    "Median hours (quartiles)", f"{figures.hours['median']:g} (Q1"):
        assert heading in text, heading
    assert all(line in text for line in (" ".join(x.split()) for x in findings(figures)["improvements"]))


def test_review_from_the_api_and_the_command_line(body: Runtime, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    with body.sessions() as s, s.begin():
        admin, member = create_token(s, "admin"), create_token(s, "member", HANNAH)
    with TestClient(create_app(body.settings, runtime=body, dispatcher="inline")) as http:
        def get(token: str, **params: Any) -> Any:
            return http.get("/admin/audit/review", params=params, headers={"Authorization": f"Bearer {token}"})
        pdf = get(admin, year=2025)
        xlsx = get(admin, year=2025, format="xlsx", scope="all")
        assert get(member, year=2025).status_code == 403
        nothing = get(admin, year=1999)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert 'filename="thematic-review-2025-all-members.xlsx"' in xlsx.headers["content-disposition"]
    assert nothing.status_code == 404 and nothing.json()["error"]["code"] == "nothing_to_review"
    monkeypatch.setenv("CPD_DATA_DIR", str(body.settings.data_dir))
    get_settings.cache_clear()
    try:
        done = CliRunner().invoke(app, ["review", "--year", "2025", "--out", str(tmp_path / "review")])
        empty = CliRunner().invoke(app, ["review", "--year", "1999", "--out", str(tmp_path / "review")])
    finally:
        get_settings.cache_clear()
    assert done.exit_code == 0, done.output
    assert [Path(p).name for p in done.stdout.split()] == ["thematic-review-2025.xlsx", "thematic-review-2025.pdf"]
    assert empty.exit_code == 2 and "Nobody to review for CPD year 1999" in empty.output
    assert ERIN not in (tmp_path / "review" / "thematic-review-2025.xlsx").read_bytes().decode("latin-1")
