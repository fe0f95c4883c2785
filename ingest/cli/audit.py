"""`cpd-evidence audit ...` and `cpd-evidence review` (issue 16): options in, ingest.audit called, results out.

    audit working --member ID (--working | --not-working)
    audit draw --year YYYY [--rate 0.03] [--seed N] [--exclude-recent] [--new-cycle]
    audit request --member ID --year YYYY --reason TEXT
    audit list [--year] [--state] [--member] [--json]
    audit show REQUEST_ID                           the request and its history
    audit submit REQUEST_ID [--by WHO] [--note]     freeze the member's record as the pack
    audit state REQUEST_ID STATE [--by WHO] [--note]
    audit pack REQUEST_ID --out DIR                 write the frozen pack
    audit reminders [--year] [--days 14] [--csv FILE] [--json]
    review --year YYYY --out DIR [--all-members]    the thematic review (XLSX and PDF)

The database and ingest.audit are imported only when a command runs (so `extract` never loads them).
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional, TypeVar

import typer
from rich.markup import escape

from .app import app

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = ["audit_app", "review"]

audit_app = typer.Typer(no_args_is_help=True, help="The audit year: draw, requests, packs, reminders.")
app.add_typer(audit_app, name="audit")
T = TypeVar("T")
_YEAR = typer.Option(help="CPD year YYYY (from the start month, April by default).", min=1900, max=2200)
_BY = typer.Option(help="Who does it (recorded in the request's history).")


@contextmanager
def _session() -> Iterator[tuple[Session, Any]]:
    from .common import runtime_or_exit, settings_or_exit

    runtime = runtime_or_exit(settings_or_exit())
    try:
        with runtime.sessions() as session:
            yield session, runtime
    finally:
        runtime.close()


def _or_exit(session: Session, work: Callable[[], T]) -> T:
    """Run `work` and commit; an AuditError rolls back and exits 2 with its message."""
    from ..audit import AuditError
    from .common import err

    try:
        found = work()
    except AuditError as exc:
        session.rollback()
        err.print(f"[red]{escape(exc.message)}[/red]")
        raise typer.Exit(2) from exc
    session.commit()
    return found


def _line(request: dict[str, Any]) -> str:
    return (f"{request['id']:>5}  {request['member_id']:<20} {request['year']}  {request['state']:<15} "
            f"due {request['due_on']}  {request['reason']}")


@audit_app.command("working")
def working(member: Annotated[str, typer.Option(help="The member.")],
            is_working: Annotated[bool, typer.Option("--working/--not-working",
                                                     help="Working members are eligible for the draw.")]) -> None:
    """Mark a member working (eligible for the audit draw) or not working (never drawn)."""
    from ..audit import set_working

    with _session() as (session, _):
        _or_exit(session, lambda: set_working(session, member, is_working))
    typer.echo(f"{member}: {'working' if is_working else 'not working'}")


@audit_app.command("draw")
def draw(year: Annotated[int, _YEAR],
         rate: Annotated[float, typer.Option(help="Share of the working members to draw.", min=0.0001, max=1)] = 0.03,
         seed: Annotated[Optional[int], typer.Option(help="The seed (recorded); default: a random one.", min=0,
                                                     max=2**31 - 1)] = None,
         exclude_recent: Annotated[bool, typer.Option("--exclude-recent", help="Leave out members drawn in the two "
                                                      "previous cycles.")] = False,
         new_cycle: Annotated[bool, typer.Option("--new-cycle", help="Draw again for a year drawn already.")] = False,
         by: Annotated[str, _BY] = "admin", as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Draw the year's audit sample (reproducible: the same members, year and seed give the same sample) and
    request each drawn member's record."""
    from ..audit import cycle_json
    from ..audit import draw as run

    with _session() as (session, _):
        drawn = _or_exit(session, lambda: run(session, year, by, rate=rate, seed=seed, exclude_recent=exclude_recent,
                                              new_cycle=new_cycle))
        data = {**cycle_json(drawn.cycle, drawn.members), "requests": [r.id for r in drawn.requests]}
    if as_json:
        typer.echo(json.dumps(data))
        return
    typer.echo(f"CPD year {year}, cycle {data['number']}: {data['size']} of {data['eligible']} working members drawn "
               f"(rate {rate:g}, seed {data['seed']}, {data['excluded']} left out)")
    for member, request_id in zip(drawn.members, data["requests"]):
        typer.echo(f"  {member}  request {request_id}")


@audit_app.command("request")
def request(member: Annotated[str, typer.Option(help="The member.")], year: Annotated[int, _YEAR],
            reason: Annotated[str, typer.Option(help="Why the record is asked for.")],
            by: Annotated[str, _BY] = "admin") -> None:
    """Ask a member for their record of a CPD year, at any time, with a reason."""
    from ..audit import request_json, request_record

    with _session() as (session, _):
        row = _or_exit(session, lambda: request_record(session, member, year, reason, by))
        typer.echo(_line(request_json(row)))


@audit_app.command("list")
def list_requests(year: Annotated[Optional[int], _YEAR] = None,
                  state: Annotated[Optional[str], typer.Option(help="Only requests in this state.")] = None,
                  member: Annotated[Optional[str], typer.Option(help="Only this member's requests.")] = None,
                  as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False) -> None:
    """List audit requests, oldest first (those past their due date are marked overdue first)."""
    from ..audit import mark_overdue, request_json, requests_of

    with _session() as (session, _):
        _or_exit(session, lambda: mark_overdue(session))
        for row in requests_of(session, year=year, member_id=member, state=state):
            typer.echo(json.dumps(request_json(row)) if as_json else _line(request_json(row)))


@audit_app.command("show")
def show(request_id: Annotated[int, typer.Argument(help="The request's id.")]) -> None:
    """A request and every change of its state (who, when, note)."""
    from ..audit import get_request, history, request_json

    with _session() as (session, _):
        row = _or_exit(session, lambda: get_request(session, request_id))
        typer.echo(json.dumps(request_json(row, history(session, row.id)), indent=2))


@audit_app.command("submit")
def submit(request_id: Annotated[int, typer.Argument(help="The request's id.")],
           by: Annotated[str, _BY] = "admin",
           note: Annotated[Optional[str], typer.Option(help="A note for the history.")] = None) -> None:
    """Submit the member's record for the request: the audit pack is made now, frozen and kept by sha256."""
    from ..audit import request_json
    from ..audit.pack import submit as run

    with _session() as (session, runtime):
        row = _or_exit(session, lambda: run(session, runtime.blobs, request_id, by, runtime.settings, note))
        typer.echo(f"{_line(request_json(row))}\n  pack sha256 {row.pack_sha256} ({row.pack_size} bytes)")


@audit_app.command("state")
def state(request_id: Annotated[int, typer.Argument(help="The request's id.")],
          to: Annotated[str, typer.Argument(help="under_review, satisfactory, action_required, appealed, upheld, "
                                                 "overturned.")],
          by: Annotated[str, _BY] = "admin",
          note: Annotated[Optional[str], typer.Option(help="A note for the history.")] = None) -> None:
    """Move a request on to its next state, with a note (a skipped step is refused)."""
    from ..audit import change, request_json

    with _session() as (session, _):
        row = _or_exit(session, lambda: change(session, request_id, to, by, note))
        typer.echo(_line(request_json(row)))


@audit_app.command("pack")
def pack(request_id: Annotated[int, typer.Argument(help="The request's id.")],
         out: Annotated[Path, typer.Option(help="Folder to write the ZIP into (made if missing).")]) -> None:
    """Write the frozen audit pack of a submitted request; print its path."""
    from ..audit import get_request
    from ..audit.pack import pack_bytes, pack_name

    with _session() as (session, runtime):
        row = _or_exit(session, lambda: get_request(session, request_id))
        data = _or_exit(session, lambda: pack_bytes(runtime.blobs, row))
        typer.echo(str(_write(out, pack_name(row), data)))


def _write(out: Path, name: str, data: bytes) -> Path:
    from .common import err

    try:
        out.mkdir(parents=True, exist_ok=True)
        path = out / name
        temporary = path.with_name(name + ".part")
        temporary.write_bytes(data)
        temporary.replace(path)
    except OSError as exc:
        err.print(f"[red]Cannot write into '{escape(str(out))}': {escape(exc.strerror or str(exc))}. Give a folder "
                  "you may write to with --out.[/red]")
        raise typer.Exit(2) from exc
    return path


@audit_app.command("reminders")
def reminders(year: Annotated[Optional[int], _YEAR] = None,
              days: Annotated[int, typer.Option(help="Requests due within this many days.", min=0, max=366)] = 14,
              csv_file: Annotated[Optional[Path], typer.Option("--csv", help="Also write them to this CSV "
                                                                   "file.")] = None,
              as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False) -> None:
    """Members whose request is due within --days or overdue, and members behind in the CPD year (no ethics
    activity yet, hours below the expectation so far, responsibilities not covered)."""
    from ..audit.reminders import reminders as run
    from ..audit.reminders import reminders_csv
    from ..year import cpd_year_of
    from .common import err

    today = dt.datetime.now(dt.timezone.utc).date()
    with _session() as (session, runtime):
        cpd_year = year if year is not None else cpd_year_of(today, runtime.settings.year_start_month)
        found = _or_exit(session, lambda: run(session, runtime.settings, cpd_year, today, days))
    if csv_file is not None:
        _write(csv_file.parent, csv_file.name, reminders_csv(found))
    for item in found:
        if as_json:
            typer.echo(json.dumps(item.to_json()))
        else:
            typer.echo(f"{item.kind:<9} {item.member_id:<20} {' '.join(item.reasons)}")
    if not found and not as_json:
        err.print("Nobody to remind.")


@app.command("review")
def review(year: Annotated[int, _YEAR],
           out: Annotated[Path, typer.Option(help="Folder to write the review into (made if missing).")],
           all_members: Annotated[bool, typer.Option("--all-members", help="Every working member, not only those "
                                                     "audited.")] = False) -> None:
    """The thematic review of a CPD year's audits: XLSX (a sheet per measure) and PDF (charts, trends,
    strengths, areas for improvement). No member is named in it."""
    from ..audit.review import NothingToReview, review_files
    from .common import err

    with _session() as (session, runtime):
        try:
            paths = review_files(session, runtime.settings, year, out, all_members=all_members)
        except NothingToReview as exc:
            err.print(f"[red]{escape(str(exc))}[/red]")
            raise typer.Exit(2) from exc
        except OSError as exc:
            err.print(f"[red]Cannot write into '{escape(str(out))}': {escape(exc.strerror or str(exc))}.[/red]")
            raise typer.Exit(2) from exc
    for path in paths:
        typer.echo(str(path))
