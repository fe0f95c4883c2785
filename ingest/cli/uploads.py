"""What `ingest`, `uploads` and `reprocess` do (their options are parsed in commands.py); the work itself is
ingest.work.actions', the same the API calls."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from mappers.matching import RoleError

from ..store import (DONE, FAILED, QUEUED, STATES, ActivityRow, UploadRow, activity_count, ensure_member,
                     set_display_name)
from ..work import actions
from ..work.dispatch import InlineDispatcher, dispatcher_for
from ..work.roles import load_role_json
from ..work.runtime import Runtime
from ..year import cpd_year_of
from .common import err, progress, runtime_or_exit, settings_or_exit
from .year import print_summary

__all__ = ["ingest", "list_uploads", "reprocess"]

_PAGE = 500


def ingest(files: list[Path], member: str, role: str | None, show_activities: bool = False,
           name: str | None = None) -> None:
    """Upload and read the files now (whatever the broker), print them (and with `show_activities`
    every activity stored), then the member's summary. With `name`, the member's display name is set first."""
    runtime = runtime_or_exit(settings_or_exit())
    work = InlineDispatcher(runtime)
    _set_member_role(runtime, work, member, role)
    if name is not None:
        with runtime.sessions() as session:
            set_display_name(session, member, name)
            session.commit()
    done: list[tuple[str, UploadRow | str]] = []
    with progress() as bar:
        task = bar.add_task("Reading", total=len(files))
        for path in files:
            bar.update(task, description=f"Reading {path.name}")
            done.append((path.name, _ingest_one(runtime, work, member, path)))
            bar.advance(task)
    failed = _print_uploads(runtime, done)
    if show_activities:
        _print_activities(runtime, [u for _, u in done if isinstance(u, UploadRow)])
    for year in _years(runtime, [u.id for _, u in done if isinstance(u, UploadRow)]):
        print_summary(runtime, member, year, as_json=False)
    raise typer.Exit(2 if failed else 0)


def _set_member_role(runtime: Runtime, work: InlineDispatcher, member: str, role: str | None) -> None:
    try:
        profile = load_role_json(role) if role is not None else None
    except RoleError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    with runtime.sessions() as session:
        if profile is None:
            ensure_member(session, member)
            session.commit()
        elif not actions.set_role(session, work, member, profile):
            err.print(f"[red]The role is saved, but {member}'s activities could not be matched to it now; run the "
                      "command again.[/red]")
            raise typer.Exit(2)


def _ingest_one(runtime: Runtime, work: InlineDispatcher, member: str, path: Path) -> UploadRow | str:
    """The upload (read now unless it was read before), or why the file could not be taken."""
    limit = runtime.settings.max_upload_bytes
    try:
        if path.stat().st_size > limit:
            return f"over the {limit / 1e6:.0f} MB limit (CPD_MAX_UPLOAD_BYTES); split the record"
        data = path.read_bytes()
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    if not data:
        return "is empty (0 bytes)"
    with runtime.sessions() as session:
        accepted = actions.upload(runtime, session, work, member_id=member, filename=path.name, data=data,
                                  media_type=None, send_queued=True)
    upload_id = accepted.upload.id
    with runtime.sessions() as session:
        upload = session.get(UploadRow, upload_id)
    if upload is None:
        return f"upload {upload_id} is gone"
    if upload.state == QUEUED and not accepted.sent:
        return f"is stored as upload {upload_id}, but could not be read now (see the log above); run the command again"
    return upload


def _print_uploads(runtime: Runtime, uploads: list[tuple[str, UploadRow | str]]) -> bool:
    table = Table("file", "upload", "state", "activities", "error")
    failed = False
    with runtime.sessions() as session:
        counts = activity_count(session, [u.id for _, u in uploads if isinstance(u, UploadRow)])
        for name, upload in uploads:
            if isinstance(upload, str):
                failed = True
                table.add_row(name, "", "[red]not uploaded[/red]", "", upload)
                continue
            failed = failed or upload.state == FAILED
            error = f"{upload.error_code}: {upload.error_message}" if upload.error_code else ""
            table.add_row(name, str(upload.id), upload.state, str(counts.get(upload.id, 0)), error)
    Console().print(table)
    return failed


def _print_activities(runtime: Runtime, uploads: list[UploadRow]) -> None:
    """A table per upload: the activities stored from it, as the portal will read them."""
    console = Console(width=None if os.isatty(1) else 150)
    with runtime.sessions() as session:
        for upload in uploads:
            rows = session.scalars(select(ActivityRow).where(ActivityRow.upload_id == upload.id)
                                   .order_by(ActivityRow.id)).all()
            if not rows:
                continue
            table = Table("completed", "title", "status", "hours", "ethics", "serves", "duplicate of",
                          title=f"{upload.filename} (upload {upload.id})", title_justify="left")
            for row in rows:
                serves = ", ".join(r["id"] for r in row.data.get("responsibilities", [])[:2])
                table.add_row(row.completed_on.isoformat() if row.completed_on else "", row.title, row.status,
                              "" if row.cpd_hours is None else f"{row.cpd_hours:g}",
                              "yes" if row.ethics_related else "", serves,
                              "yes" if row.duplicate_of else "")
            console.print(table)


def _years(runtime: Runtime, upload_ids: list[int]) -> list[int]:
    month = runtime.settings.year_start_month
    with runtime.sessions() as session:
        days = session.scalars(select(ActivityRow.completed_on).where(
            ActivityRow.upload_id.in_(upload_ids), ActivityRow.completed_on.is_not(None)).distinct()).all()
    return sorted({cpd_year_of(day, month) for day in days if day is not None})


def list_uploads(state: str | None, member: str | None, as_json: bool) -> None:
    """List uploads, oldest first, with their state and error."""
    if state is not None and state not in STATES:
        err.print(f"[red]--state must be one of {', '.join(STATES)}, not '{state}'.[/red]")
        raise typer.Exit(2)
    runtime = runtime_or_exit(settings_or_exit())
    table = Table("id", "member", "file", "state", "activities", "attempts", "version", "error")
    after, more = 0, True
    with runtime.sessions() as session:
        while more:
            page, counts, more = actions.uploads_page(session, after=after, limit=_PAGE, state=state,
                                                      member_id=member)
            for u in page:
                if as_json:
                    typer.echo(json.dumps(actions.upload_json(u, counts.get(u.id, 0)), ensure_ascii=False))
                else:
                    table.add_row(str(u.id), u.member_id, u.filename, u.state, str(counts.get(u.id, 0)),
                                  str(u.attempts), u.extractor_version or "", u.error_code or "")
            after = page[-1].id if page else after
    if not as_json:
        Console().print(table)


def reprocess(upload_ids: list[int], failed: bool, older_than: str | None, wait: int) -> None:
    """Read uploads again (activities replaced, never duplicated): here, or by the workers with a broker."""
    if sum([bool(upload_ids), failed, older_than is not None]) != 1:
        err.print("[red]Give upload ids, or --failed, or --older-than VERSION (one of them).[/red]")
        raise typer.Exit(2)
    settings = settings_or_exit()
    runtime = runtime_or_exit(settings)
    try:
        with runtime.sessions() as session:
            found = actions.reprocess(session, ids=upload_ids or None, state=FAILED if failed else None,
                                      older_than=older_than)
    except actions.BadVersion as exc:
        err.print(f"[red]--older-than: {exc}.[/red]")
        raise typer.Exit(2) from exc
    missing = sorted(set(upload_ids) - set(found))
    if missing:
        err.print(f"[yellow]No upload with id {', '.join(map(str, missing))}; see 'cpd-evidence uploads'.[/yellow]")
    work = dispatcher_for(runtime, local="inline")
    unsent = 0
    with progress() as bar:
        task = bar.add_task("Reprocessing" if not settings.broker_url else "Sending", total=len(found))
        for upload_id in found:
            unsent += not actions.send(work, upload_id, reprocess=True)
            bar.advance(task)
    if unsent:
        err.print(f"[red]{unsent} upload(s) could not be sent to the workers now (is the broker running?); they "
                  "stay queued, and a worker's sweeper sends them.[/red]")
        raise typer.Exit(2)
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
        states = session.scalars(select(UploadRow.state).where(UploadRow.id.in_(ids))).all()
    return sum(1 for s in states if s in (DONE, FAILED))


def _report(runtime: Runtime, ids: list[int]) -> None:
    with runtime.sessions() as session:
        rows = list(session.scalars(select(UploadRow).where(UploadRow.id.in_(ids)).order_by(UploadRow.id)))
    by_state: dict[str, int] = {}
    for u in rows:
        by_state[u.state] = by_state.get(u.state, 0) + 1
    err.print(", ".join(f"{n} {s}" for s, n in sorted(by_state.items())) or "nothing to reprocess")
