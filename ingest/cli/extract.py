"""`cpd-evidence extract` and `roles` (CONTRACT.md section 2): the pure core on files, no server, no database."""
from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from .app import app

if TYPE_CHECKING:   # the core (spaCy, numpy, the extractors) is imported when a command runs, not for `--help`
    from rich.console import Console

    from extractors.model import ExtractOptions, Upload
    from mappers.activity import Activity
    from mappers.matching import Matcher

    from ..work.pipeline import FileResult

__all__ = ["extract", "roles", "TABLE_ROWS"]

TABLE_ROWS = 200   # activities shown per file in the table; --json gives them all


def _read(path: Path, options: ExtractOptions) -> Upload | FileResult:
    """The file's bytes, or a result carrying the reason it could not be opened."""
    from extractors.model import Upload

    from ..work.pipeline import FileError, FileResult, empty_file_message

    try:
        size = path.stat().st_size
        if size > options.max_bytes:
            return FileResult(path.name, None, error=FileError("too_large", (
                f"'{path.name}' is {size / 1e6:.1f} MB; files may be at most {options.max_bytes / 1e6:.0f} MB. "
                "Export a shorter period or split the record.")))
        data = path.read_bytes()
        if not data:      # refused as uploads are (API, `ingest`): no format can be told from nothing
            return FileResult(path.name, None, error=FileError("empty_file", empty_file_message(path.name)))
        return Upload.from_bytes(data, path.name)
    except FileNotFoundError:
        return FileResult(path.name, None, error=FileError("not_found", f"There is no file at '{path}'. Check the path."))
    except IsADirectoryError:
        return FileResult(path.name, None, error=FileError("not_a_file", f"'{path}' is a folder; name the files in it."))
    except PermissionError:
        return FileResult(path.name, None, error=FileError("unreadable", f"'{path}' cannot be read with your permissions."))


@app.command()
def extract(
    files: Annotated[list[Path], typer.Argument(help="Files to read.", show_default=False, metavar="FILES")],
    role: Annotated[Optional[str], typer.Option(help="Built-in role name or a YAML/JSON role profile.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per file, one per line.")] = False,
    dayfirst: Annotated[bool, typer.Option("--dayfirst", help="Read ambiguous dates day-first (the default).")] = False,
    monthfirst: Annotated[bool, typer.Option("--monthfirst", help="Read ambiguous dates month-first (US).")] = False,
    in_process: Annotated[bool, typer.Option("--in-process", hidden=True,
                                             help="Read each file in this process, unbounded (debugging).")] = False,
) -> None:
    """Read the files and print their activities. Needs no server and no database."""
    from extractors.model import ExtractOptions

    from ..work.pipeline import FileResult
    from ..work.sandbox import Limits, batches_isolated, line_isolated

    if dayfirst and monthfirst:
        _err().print("[red]Give --dayfirst or --monthfirst, not both.[/red]")
        raise typer.Exit(2)
    matcher = _matcher(role)
    options = ExtractOptions(dayfirst=True if dayfirst else False if monthfirst else None)
    limits = None if in_process else Limits()     # each file in a child process, within the contract's bounds
    failed = False
    for path in files:
        opened = _read(path, options)
        if as_json:
            if isinstance(opened, FileResult):
                opened.write_line(sys.stdout.buffer)
                error = opened.error
            else:
                error = line_isolated(opened, options, matcher, limits, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        elif isinstance(opened, FileResult):
            _print_result(path, opened, ())
            error = opened.error
        else:
            with batches_isolated(opened, options, matcher, limits) as (result, batches):
                _print_result(path, result, batches)
            error = result.error
        failed = failed or error is not None
    raise typer.Exit(2 if failed else 0)


def _err() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def _matcher(role: str | None) -> Matcher:
    from mappers.matching import Matcher, RoleError, load_role

    if role is None:
        return Matcher(None)
    try:
        return Matcher(load_role(role))
    except RoleError as exc:
        _err().print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc


@app.command()
def roles() -> None:
    """List the built-in role profiles."""
    from rich.console import Console
    from rich.table import Table as RichTable

    from mappers.matching import builtin_roles

    table = RichTable("id", "title", "responsibilities")
    for profile in builtin_roles():
        table.add_row(profile.id, profile.title, str(len(profile.responsibilities)))
    Console().print(table)


def _print_result(path: Path, result: FileResult, batches: Iterable[list[Activity]]) -> None:
    """The file's first TABLE_ROWS activities as a table, then its warnings (rich takes ~0.5 ms a row: a
    100,000-row transcript shown whole took a minute; --json gives every activity). What comes from the file
    or its name is shown as text, never as rich markup, and names with control or direction-override
    characters neutralised (a name must not reorder or break the terminal's lines)."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table as RichTable

    from extractors.model import neutral_name

    def shown_text(text: str) -> str:
        return escape(neutral_name(text))

    # Piped or in a log, rich would squeeze the table into 80 columns.
    console = Console(width=None if sys.stdout.isatty() else 150)
    head = f"[bold]{shown_text(result.filename)}[/bold]"
    if result.error is not None:
        console.print(f"{head}: [red]{result.error.code}[/red] {shown_text(result.error.message)}")
        return
    shown: list[Activity] = []
    learners: set[str] = set()
    count = 0
    for batch in batches:
        count += len(batch)
        learners.update(a.learner for a in batch if a.learner)
        shown += batch[:TABLE_ROWS - len(shown)]
    console.print(f"{head}: {count} activities ({result.extractor}, {result.media_type})")
    if len(learners) == 1:
        console.print(f"  learner: {shown_text(learners.pop())}")
    if shown:
        table = RichTable("completed", "title", "provider", "type", "status", "hours", "ethics", "serves")
        for a in shown:
            table.add_row(
                a.completed_on.isoformat() if a.completed_on else "", shown_text(a.title),
                shown_text(a.provider or ""), shown_text(a.activity_type or ""), a.status, "" if a.cpd_hours is None else f"{a.cpd_hours:g}",
                "yes" if a.ethics.related else "", ", ".join(r.id for r in a.responsibilities[:2]),
            )
        console.print(table)
    if count > len(shown):
        console.print(f"  ... and {count - len(shown):,} more; 'cpd-evidence extract --json {shown_text(str(path))}' "
                      "gives every activity.")
    for w in result.warnings:
        console.print(f"  [yellow]{w.code}[/yellow] {shown_text(w.message)}")
