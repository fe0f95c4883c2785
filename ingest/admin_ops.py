"""What `uploads`, `reprocess` and `summary` do (their options are parsed in service_cli.py)."""
from __future__ import annotations

import json
import time

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from . import leases
from .dispatch import CeleryDispatcher, Dispatcher, InlineDispatcher
from .models import DONE, FAILED, STATES, Upload
from .runtime import Runtime
from .service_ops import err, progress, runtime_or_exit, settings_or_exit
from .store import activity_count
from .summary import member_summary
from .views import upload_json

__all__ = ["list_uploads", "reprocess", "print_summary"]


def list_uploads(state: str | None, member: str | None, as_json: bool) -> None:
    """List uploads, oldest first, with their state and error."""
    if state is not None and state not in STATES:
        err.print(f"[red]--state must be one of {', '.join(STATES)}, not '{state}'.[/red]")
        raise typer.Exit(2)
    runtime = runtime_or_exit(settings_or_exit())
    table = Table("id", "member", "file", "state", "activities", "attempts", "version", "error")
    after = 0
    with runtime.sessions() as session:
        while True:
            query = select(Upload).where(Upload.id > after).order_by(Upload.id).limit(500)
            query = query.where(Upload.state == state) if state else query
            query = query.where(Upload.member_id == member) if member else query
            page = list(session.scalars(query))
            if not page:
                break
            counts = activity_count(session, [u.id for u in page])
            for u in page:
                if as_json:
                    typer.echo(json.dumps(upload_json(u, counts.get(u.id, 0)), ensure_ascii=False))
                else:
                    table.add_row(str(u.id), u.member_id, u.filename, u.state, str(counts.get(u.id, 0)),
                                  str(u.attempts), u.extractor_version or "", u.error_code or "")
            after = page[-1].id
    if not as_json:
        Console().print(table)


def reprocess(upload_ids: list[int], failed: bool, older_than: str | None, wait: int) -> None:
    """Read uploads again (activities replaced, never duplicated): here, or by the workers with a broker."""
    if sum([bool(upload_ids), failed, older_than is not None]) != 1:
        err.print("[red]Give upload ids, or --failed, or --older-than VERSION (one of them).[/red]")
        raise typer.Exit(2)
    settings = settings_or_exit()
    runtime = runtime_or_exit(settings)
    with runtime.sessions() as session, session.begin():
        ids = list(upload_ids or []) or leases.select_for_reprocess(
            session, state=FAILED if failed else None, older_than=older_than)
        found = [i for start in range(0, len(ids), 500) for i in leases.requeue(session, ids[start:start + 500])]
    missing = sorted(set(ids) - set(found))
    if missing:
        err.print(f"[yellow]No upload with id {', '.join(map(str, missing))}; see 'cpd-evidence uploads'.[/yellow]")
    work: Dispatcher = CeleryDispatcher(settings) if settings.broker_url else InlineDispatcher(runtime)
    with progress() as bar:
        task = bar.add_task("Reprocessing" if not settings.broker_url else "Sending", total=len(found))
        for upload_id in found:
            work.reprocess(upload_id)
            bar.advance(task)
    if settings.broker_url and wait > 0 and found:
        _wait_for_workers(runtime, found, wait)
    _report(runtime, found)
    raise typer.Exit(1 if missing else 0)


def _wait_for_workers(runtime: Runtime, ids: list[int], seconds: int) -> None:
    deadline = time.monotonic() + seconds
    with progress() as bar:
        task = bar.add_task("Waiting for the workers", total=len(ids))
        while True:
            finished = _finished(runtime, ids)
            bar.update(task, completed=finished)
            if finished == len(ids):
                return
            if time.monotonic() > deadline:
                err.print(f"[yellow]{len(ids) - finished} upload(s) not finished after {seconds} s; are the workers "
                          "running ('cpd-evidence worker')? They stay queued and will be read.[/yellow]")
                return
            time.sleep(1)


def _finished(runtime: Runtime, ids: list[int]) -> int:
    with runtime.sessions() as session:
        states = session.scalars(select(Upload.state).where(Upload.id.in_(ids))).all()
    return sum(1 for s in states if s in (DONE, FAILED))


def _report(runtime: Runtime, ids: list[int]) -> None:
    with runtime.sessions() as session:
        rows = list(session.scalars(select(Upload).where(Upload.id.in_(ids)).order_by(Upload.id)))
    by_state: dict[str, int] = {}
    for u in rows:
        by_state[u.state] = by_state.get(u.state, 0) + 1
    err.print(", ".join(f"{n} {s}" for s, n in sorted(by_state.items())) or "nothing to reprocess")


def print_summary(runtime: Runtime, member: str, year: int, *, as_json: bool) -> None:
    settings = runtime.settings
    with runtime.sessions() as session:
        data = member_summary(session, member, year, settings.year_start_month, settings.ethics_activities_required)
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
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
        return
    table = Table("responsibility", "covered by")
    for item in data["responsibilities"]["covered"]:
        count = len(item["activity_ids"])
        table.add_row(f"{item['id']} {item['text']}", f"{count} {'activity' if count == 1 else 'activities'}")
    for item in data["responsibilities"]["not_covered"]:
        table.add_row(f"{item['id']} {item['text']}", "[red]not covered[/red]")
    console.print(table)
