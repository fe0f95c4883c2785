"""What `summary` and `export` do (their options are parsed in commands.py): the member's CPD year from
ingest.work.actions.year_summary and ingest.year.export, the same the API serves."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..work.actions import year_summary
from ..work.runtime import Runtime
from .common import err

__all__ = ["print_summary", "print_year", "export_year"]

_SHOWN = 10  # activities listed per section on the terminal; --json has them all


def print_summary(runtime: Runtime, member: str, year: int, *, as_json: bool) -> dict[str, Any]:
    """The summary's first lines (or, with `as_json`, all of it as one JSON object); returns the summary."""
    with runtime.sessions() as session:
        data = year_summary(session, member, year, runtime.settings)
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False))
        return data
    console = Console()
    period = data["period"]
    console.print(f"[bold]{member}[/bold], CPD year {year} ({period['from']} to {period['to']}): "
                  f"{data['activities']} completed activities, {data['hours']:g} hours "
                  f"({data['verifiable_hours']:g} verifiable)")
    ethics = data["ethics"]
    mark = "[green]met[/green]" if ethics["met"] else "[red]not met[/red]"
    console.print(f"  ethics requirement ({ethics['required']} activity a year): {mark}, "
                  f"{len(ethics['activities'])} ethics activities")
    if data["role"] is None:
        console.print("  no role profile set: use --role, or PUT /members/ID/role")
        return data
    table = Table("responsibility", "covered by")
    for item in data["responsibilities"]["covered"]:
        count = len(item["activity_ids"])
        table.add_row(f"{item['id']} {item['text']}", f"{count} {'activity' if count == 1 else 'activities'}")
    for item in data["responsibilities"]["not_covered"]:
        table.add_row(f"{item['id']} {item['text']}", "[red]not covered[/red]")
    console.print(table)
    return data


def print_year(data: dict[str, Any], year: int) -> None:
    """After the summary's first lines (`print_summary`): duplicates, what needs the member's attention,
    what fell outside the year, and the files the year came from."""
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
    from ..year.export import MemberNotFound, write_files, year_export

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

