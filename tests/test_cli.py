"""`cpd-evidence extract` as ../shared/CONTRACT.md section 2 describes it."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from ingest.cli import app
from ingest.cli.extract import TABLE_ROWS

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
CLI = Path(sys.executable).with_name("cpd-evidence")
ACTIVITY_FIELDS = {
    "activity_id", "title", "provider", "activity_type", "status", "started_on", "completed_on", "duration_minutes",
    "cpd_hours", "credits", "verifiable", "description", "reflection", "learner", "reference", "source",
    "responsibilities", "ethics", "confidence", "warnings",
}


def _lines(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def _a_good_sample() -> Path:
    return next(p for p in sorted((SAMPLES / "docx").glob("*.docx")) if "two-tables" in p.name)


def test_json_lines_one_per_file_in_order_and_exit_2_for_a_bad_file(tmp_path: Path) -> None:
    """GIVEN a good file, a corrupt file and a missing one WHEN extracted THEN three lines in order, errors with
    code and message, and exit status 2."""
    corrupt = tmp_path / "cut.xlsx"
    corrupt.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    good = _a_good_sample()
    result = CliRunner().invoke(app, ["extract", "--json", str(good), str(corrupt), str(tmp_path / "missing.csv")])
    assert result.exit_code == 2
    first, second, third = _lines(result.stdout)
    assert first["schema_version"] == "1" and first["error"] is None and first["activities"]
    assert set(first["file"]) == {"filename", "file_sha256", "media_type", "extractor", "layout"}  # type: ignore[arg-type]
    assert set(first["activities"][0]) == ACTIVITY_FIELDS  # type: ignore[index]
    assert second["activities"] == [] and second["error"]["code"] == "corrupt"  # type: ignore[index]
    assert "upload" in second["error"]["message"].lower() or "export" in second["error"]["message"].lower()  # type: ignore[index]
    assert third["error"]["code"] == "not_found"  # type: ignore[index]


def test_exit_0_when_every_file_reads_even_with_no_activities(tmp_path: Path) -> None:
    headers_only = tmp_path / "headers.csv"
    headers_only.write_text("Course title,Completion date,Hours\n", "utf-8")
    result = CliRunner().invoke(app, ["extract", "--json", str(headers_only)])
    assert result.exit_code == 0, result.stdout
    (line,) = _lines(result.stdout)
    assert line["activities"] == [] and line["error"] is None


def test_unsupported_format_is_an_error_line(tmp_path: Path) -> None:
    video = tmp_path / "webinar-recording.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 4)
    result = CliRunner().invoke(app, ["extract", "--json", str(video)])
    assert result.exit_code == 2
    (line,) = _lines(result.stdout)
    assert line["error"]["code"] == "unsupported_format"  # type: ignore[index]


def test_damaged_image_is_an_error_line(tmp_path: Path) -> None:
    """Images are read (by OCR); one whose bytes are not a whole picture is 'corrupt', with its line."""
    image = tmp_path / "scan.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    result = CliRunner().invoke(app, ["extract", "--json", str(image)])
    assert result.exit_code == 2
    (line,) = _lines(result.stdout)
    assert line["error"]["code"] == "corrupt"  # type: ignore[index]


def test_monthfirst_flag_reads_unproven_dates_month_first(tmp_path: Path) -> None:
    log = tmp_path / "webinars.csv"
    log.write_text("Webinar,Date,Duration (min)\nSpecial Needs Trusts,04/02/2025,75\n", "utf-8")
    day = _lines(CliRunner().invoke(app, ["extract", "--json", str(log)]).stdout)[0]
    month = _lines(CliRunner().invoke(app, ["extract", "--json", "--monthfirst", str(log)]).stdout)[0]
    assert day["activities"][0]["completed_on"] == "2025-02-04"  # type: ignore[index]
    assert day["activities"][0]["warnings"][0]["code"] == "date_order_assumed"  # type: ignore[index]
    assert month["activities"][0]["completed_on"] == "2025-04-02"  # type: ignore[index]


def test_role_fills_responsibilities_and_a_bad_role_is_a_clear_error(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text("Course,Date,Hours\nInheritance tax on lifetime gifts,12/03/2025,1.5\nFire safety awareness,13/03/2025,0.5\n")
    without = _lines(CliRunner().invoke(app, ["extract", "--json", str(log)]).stdout)[0]
    assert all(a["responsibilities"] == [] for a in without["activities"])  # type: ignore[union-attr]
    with_role = _lines(CliRunner().invoke(app, ["extract", "--json", "--role", "tax-adviser", str(log)]).stdout)[0]
    iht, fire = with_role["activities"]  # type: ignore[misc]
    assert iht["responsibilities"] and iht["responsibilities"][0]["terms"]
    assert fire["responsibilities"] == []
    bad = CliRunner().invoke(app, ["extract", "--json", "--role", str(tmp_path / "nope.yaml"), str(log)])
    assert bad.exit_code == 2 and bad.stdout == ""


def test_the_installed_command_prints_a_readable_table() -> None:
    """The console script runs (no server, no database) and prints a table per file, not JSON."""
    done = subprocess.run([str(CLI), "extract", str(_a_good_sample())], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "activities" in done.stdout and not done.stdout.lstrip().startswith("{")


def test_roles_lists_the_built_in_profiles() -> None:
    result = CliRunner().invoke(app, ["roles"])
    assert result.exit_code == 0
    assert "trust-administrator" in result.stdout and "tax-adviser" in result.stdout


def test_the_table_shows_the_first_rows_and_says_how_many_more(tmp_path: Path) -> None:
    """A big file's table stops at TABLE_ROWS activities and names the count left and the way to get them."""
    rows = "".join(f"Trust accounts part {n},1.5,12/03/2025\n" for n in range(TABLE_ROWS + 5))
    path = tmp_path / "big.csv"
    path.write_text(f"Course Title,CPD Hours,Completion Date\n{rows}", encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(path)])
    assert result.exit_code == 0, result.stdout
    assert f"{TABLE_ROWS + 5} activities" in result.stdout
    assert f"Trust accounts part {TABLE_ROWS - 1} " in result.stdout and f"part {TABLE_ROWS} " not in result.stdout
    assert f"... and 5 more; 'cpd-evidence extract --json {path}' gives every activity." in " ".join(result.stdout.split())


def test_the_table_shows_names_and_text_from_the_file_as_text(tmp_path: Path) -> None:
    """GIVEN a file named with a right-to-left override ("record<RLO>vsc.csv" shows as "recordcsv.csv") and a
    title written like rich markup WHEN its table is printed THEN the override is shown as U+FFFD, never acted
    on, and the title's brackets are printed as they are, not taken as colours."""
    path = tmp_path / "record\u202evsc.csv"
    path.write_text("Course Title,CPD Hours,Completion Date\n[red]Ethics[/red] refresher,1.5,12/03/2025\n",
                    encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(path)])
    assert result.exit_code == 0, result.stdout
    assert "record\ufffdvsc.csv: 1 activities" in result.stdout and "\u202e" not in result.stdout
    assert "[red]Ethics[/red] refresher" in result.stdout
