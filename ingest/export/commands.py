"""What `cpd-evidence summary` (beyond its first lines) and `cpd-evidence export` do; their options are parsed
in service_cli.py."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

from ..runtime import Runtime
from ..summary import member_summary
from . import MemberNotFound, write_files, year_export

__all__ = ["print_year", "export_year"]

_SHOWN = 10  # activities listed per section on the terminal; --json has them all


def print_year(runtime: Runtime, member: str, year: int) -> None:
    """After the summary's first lines (admin_ops.print_summary): duplicates, what needs the member's
    attention, what fell outside the year, and the files the year came from."""
    settings = runtime.settings
    with runtime.sessions() as session:
        data = member_summary(session, member, year, settings.year_start_month, settings.ethics_activities_required)
    console = Console()
    duplicates = data["duplicates"]["activities"]
    _section(console, f"{len(duplicates)} duplicate(s) counted once",
             [f"{d['completed_on']} {d['title']}: {d['duplicate_reason']}" for d in duplicates])
    _section(console, f"{len(data['attention'])} activit{'y needs' if len(data['attention']) == 1 else 'ies need'} "
             "your attention", [_attention_line(a) for a in data["attention"]])
    outside = data["outside_year"]
    _section(console, f"{outside['count']} activit{'y' if outside['count'] == 1 else 'ies'} in the same files "
             f"fall outside CPD year {year}",
             [f"{a['completed_on']} {a['title']} (CPD year {a['cpd_year']})" for a in outside["activities"]])
    _section(console, f"{len(data['sources'])} source file(s)",
             [f"{s['filename']} sha256 {s['sha256']}: {s['activities']} activities" for s in data["sources"]])


def _attention_line(item: dict[str, Any]) -> str:
    reasons = "; ".join(str(r["message"]) for r in item["reasons"])
    return f"{item['completed_on'] or 'no date'} {item['title']} ({item['filename']}, {item['locator']}): {reasons}"


def _section(console: Console, title: str, lines: list[str]) -> None:
    if not lines:
        return
    console.print(f"  [bold]{escape(title)}[/bold]")
    for line in lines[:_SHOWN]:
        console.print(f"    {escape(line)}", highlight=False)
    if len(lines) > _SHOWN:
        console.print(f"    ... and {len(lines) - _SHOWN} more (--json lists them all)")


def export_year(runtime: Runtime, member: str, year: int, out: Path) -> list[Path]:
    """Write the workbook and the cover sheet into `out`; exit 2 with a message when that cannot be done."""
    err = Console(stderr=True)
    try:
        with runtime.sessions() as session:
            found = year_export(session, member, year, runtime.settings)
        return write_files(found, out)
    except MemberNotFound as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from exc
    except OSError as exc:
        err.print(f"[red]Cannot write into '{escape(str(out))}': {escape(exc.strerror or str(exc))}. Give a folder "
                  "you may write to with --out.[/red]")
        raise typer.Exit(2) from exc
