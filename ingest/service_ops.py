"""What `serve`, `worker`, `token create` and `ingest` do (their options are parsed in service_cli.py).

Each reads the settings once (CPD_* variables), brings the database schema to head, and says what to
do when a setting or a service is missing (exit status 2).
"""
from __future__ import annotations

import os
from pathlib import Path

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

import extractors
from mappers.matching import RoleError

from .auth import ADMIN, MEMBER, PORTAL, create_token
from .dispatch import InlineDispatcher
from .models import ActivityRow, Upload
from .remap import remap
from .roles import load_role_json
from .runtime import Runtime, open_runtime
from .settings import Settings, get_settings
from .store import ensure_member, find_or_create_upload, set_role
from .summary import cpd_year_of

__all__ = ["err", "settings_or_exit", "runtime_or_exit", "progress", "serve", "worker", "create_token_for", "ingest"]

err = Console(stderr=True)


def settings_or_exit() -> Settings:
    try:
        return get_settings()
    except ValidationError as exc:
        problems = "; ".join(str(e.get("ctx", {}).get("error", e["msg"])) for e in exc.errors())
        err.print(f"[red]The CPD_* settings cannot work: {problems}[/red]")
        raise typer.Exit(2) from exc


def runtime_or_exit(settings: Settings) -> Runtime:
    try:
        return open_runtime(settings)
    except OperationalError as exc:
        err.print(f"[red]Cannot reach the database {settings.database.split('@')[-1]}: {exc.orig}. Start it, or "
                  "check CPD_DATABASE_URL (unset, the embedded SQLite in CPD_DATA_DIR is used).[/red]")
        raise typer.Exit(2) from exc


def progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err)


def serve(host: str, port: int) -> None:
    import logging

    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from .api import create_app

    settings = settings_or_exit()
    uvicorn.run(create_app(settings, runtime=runtime_or_exit(settings)), host=host, port=port, log_level="info")


def worker(concurrency: int | None, queues: str, loglevel: str) -> None:
    settings = settings_or_exit()
    if not settings.broker_url:
        err.print("[red]CPD_BROKER_URL is not set. Set it to redis://HOST:6379/0 or amqp://USER:PASS@HOST:5672// "
                  "(and CPD_DATABASE_URL to the shared PostgreSQL), or run 'cpd-evidence serve' alone: "
                  "without a broker the API does the work itself.[/red]")
        raise typer.Exit(2)
    runtime_or_exit(settings).close()  # the schema at head before any task runs
    from .matchers import MATCHERS

    MATCHERS.get(None, None)  # spaCy loaded once here; the pool's processes inherit it
    extractors.preload()      # and the PDF and Word parsers, which each file's child then shares
    import worker as celery_worker

    names = {"uploads": settings.uploads_queue, "reprocess": settings.reprocess_queue}
    chosen = [names.get(q.strip(), q.strip()) for q in queues.split(",") if q.strip()]
    argv = ["worker", f"--loglevel={loglevel}", "-Q", ",".join(chosen), "--without-gossip", "--without-mingle",
            "-n", f"cpd-{os.getpid()}@%h"]
    processes = concurrency or settings.worker_concurrency
    if processes:
        argv += ["--concurrency", str(processes)]
    celery_worker.app.worker_main(argv)


def create_token_for(member: str | None, admin: bool, portal: bool) -> None:
    if sum([member is not None, admin, portal]) != 1:
        err.print("[red]Give exactly one of --member ID, --admin or --portal.[/red]")
        raise typer.Exit(2)
    runtime = runtime_or_exit(settings_or_exit())
    kind = MEMBER if member is not None else ADMIN if admin else PORTAL
    try:
        with runtime.sessions() as session, session.begin():
            token = create_token(session, kind, member)
    except ValueError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    typer.echo(token)


def ingest(files: list[Path], member: str, role: str | None, show_activities: bool = False) -> None:
    """Upload and read the files now (whatever the broker), print them (and with `show_activities`
    every activity stored), then the member's summary."""
    runtime = runtime_or_exit(settings_or_exit())
    _set_member_role(runtime, member, role)
    work = InlineDispatcher(runtime)
    done: list[tuple[str, Upload | str]] = []
    with progress() as bar:
        task = bar.add_task("Reading", total=len(files))
        for path in files:
            bar.update(task, description=f"Reading {path.name}")
            done.append((path.name, _ingest_one(runtime, work, member, path)))
            bar.advance(task)
    failed = _print_uploads(runtime, done)
    if show_activities:
        _print_activities(runtime, [u for _, u in done if isinstance(u, Upload)])
    from .admin_ops import print_summary

    for year in _years(runtime, [u.id for _, u in done if isinstance(u, Upload)]):
        print_summary(runtime, member, year, as_json=False)
    raise typer.Exit(2 if failed else 0)


def _print_activities(runtime: Runtime, uploads: list[Upload]) -> None:
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


def _set_member_role(runtime: Runtime, member: str, role: str | None) -> None:
    try:
        profile = load_role_json(role) if role is not None else None
    except RoleError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    with runtime.sessions() as session, session.begin():
        ensure_member(session, member)
        if profile is not None:
            set_role(session, member, profile)
    if profile is not None:
        remap(member, runtime)


def _ingest_one(runtime: Runtime, work: InlineDispatcher, member: str, path: Path) -> Upload | str:
    """The upload (read now unless it was uploaded before), or why the file could not be taken."""
    limit = runtime.settings.max_upload_bytes
    try:
        if path.stat().st_size > limit:
            return f"over the {limit / 1e6:.0f} MB limit (CPD_MAX_UPLOAD_BYTES); split the record"
        data = path.read_bytes()
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    if not data:
        return "is empty (0 bytes)"
    sha256 = runtime.blobs.put(data)
    with runtime.sessions() as session, session.begin():
        upload, created = find_or_create_upload(session, member_id=member, filename=path.name, sha256=sha256,
                                                size=len(data), media_type=None)
    if created or upload.state == "queued":
        work.upload(upload.id)
    with runtime.sessions() as session:
        return session.get(Upload, upload.id) or f"upload {upload.id} is gone"


def _print_uploads(runtime: Runtime, uploads: list[tuple[str, Upload | str]]) -> bool:
    table = Table("file", "upload", "state", "activities", "error")
    failed = False
    with runtime.sessions() as session:
        for name, upload in uploads:
            if isinstance(upload, str):
                failed = True
                table.add_row(name, "", "[red]not uploaded[/red]", "", upload)
                continue
            count = session.scalar(select(func.count()).where(ActivityRow.upload_id == upload.id)) or 0
            failed = failed or upload.state == "failed"
            error = f"{upload.error_code}: {upload.error_message}" if upload.error_code else ""
            table.add_row(name, str(upload.id), upload.state, str(count), error)
    Console().print(table)
    return failed


def _years(runtime: Runtime, upload_ids: list[int]) -> list[int]:
    month = runtime.settings.year_start_month
    with runtime.sessions() as session:
        days = session.scalars(select(ActivityRow.completed_on).where(
            ActivityRow.upload_id.in_(upload_ids), ActivityRow.completed_on.is_not(None)).distinct()).all()
    return sorted({cpd_year_of(day, month) for day in days if day is not None})
