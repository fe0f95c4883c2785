"""What `serve`, `worker` and `token create` do (their options are parsed in commands.py).

Each reads the settings once (CPD_* variables), brings the database schema to head, and says what to
do when a setting or a service is missing (exit status 2).
"""
from __future__ import annotations

import logging
import os

import typer

from ..store import ADMIN, MEMBER, PORTAL, create_token, parse_duration
from .common import err, runtime_or_exit, settings_or_exit

__all__ = ["serve", "worker", "create_token_for", "WORKER_APP", "KEEP_ALIVE_SECONDS", "MAX_HEADER_BYTES"]

KEEP_ALIVE_SECONDS = 5
MAX_HEADER_BYTES = 32 * 1024  # a request line and headers: a token and a few cookies fit many times over
WORKER_APP = "worker"  # the Celery app's module (worker.py), found by name as `celery -A worker` finds it


def serve(host: str, port: int) -> None:
    """Run the HTTP API and the web pages (and, with no broker, the work in a thread pool of its own)."""
    import uvicorn

    from ..web import create_site

    from .http import with_header_deadline

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = settings_or_exit()
    # Limits on what a client may hold: headers complete within CPD_HEADER_TIMEOUT_SECONDS and at most
    # MAX_HEADER_BYTES, an idle kept-alive connection closed after KEEP_ALIVE_SECONDS. A reverse proxy in front
    # (README, "Deployment") adds TLS and limits per client address.
    uvicorn.run(create_site(settings, runtime=runtime_or_exit(settings)), host=host, port=port, log_level="info",
                http=with_header_deadline(settings.header_timeout_seconds), timeout_keep_alive=KEEP_ALIVE_SECONDS,
                h11_max_incomplete_event_size=MAX_HEADER_BYTES, timeout_graceful_shutdown=30)


def worker(concurrency: int | None, queues: str, loglevel: str) -> None:
    """Run a Celery worker on the given queues, exactly as `celery -A worker worker` would: the Celery app
    and its tasks are worker.py's, which imports this library (never the reverse)."""
    settings = settings_or_exit()
    if not settings.broker_url:
        err.print("[red]CPD_BROKER_URL is not set. Set it to redis://HOST:6379/0 or amqp://USER:PASS@HOST:5672// "
                  "(and CPD_DATABASE_URL to the shared PostgreSQL), or run 'cpd-evidence serve' alone: "
                  "without a broker the API does the work itself.[/red]")
        raise typer.Exit(2)
    runtime_or_exit(settings).close()  # the schema at head before any task runs
    from celery.bin.celery import celery

    names = {"uploads": settings.uploads_queue, "reprocess": settings.reprocess_queue}
    chosen = [names.get(q.strip(), q.strip()) for q in queues.split(",") if q.strip()]
    argv = ["--app", WORKER_APP, "worker", f"--loglevel={loglevel}", "-Q", ",".join(chosen), "--without-gossip",
            "--without-mingle", "-n", f"cpd-{os.getpid()}@%h"]
    processes = concurrency or settings.worker_concurrency
    if processes:
        argv += ["--concurrency", str(processes)]
    celery.main(args=argv, prog_name="cpd-evidence worker", standalone_mode=False)


def create_token_for(member: str | None, admin: bool, portal: bool, expires_in: str | None = None) -> None:
    """Make one token of the kind asked for (expiring after `expires_in`, e.g. 90d) and print it alone on
    stdout."""
    if sum([member is not None, admin, portal]) != 1:
        err.print("[red]Give exactly one of --member ID, --admin or --portal.[/red]")
        raise typer.Exit(2)
    try:
        lifetime = parse_duration(expires_in) if expires_in is not None else None
    except ValueError as exc:
        err.print(f"[red]--expires-in: {exc}.[/red]")
        raise typer.Exit(2) from exc
    runtime = runtime_or_exit(settings_or_exit())
    kind = MEMBER if member is not None else ADMIN if admin else PORTAL
    try:
        with runtime.sessions() as session, session.begin():
            token = create_token(session, kind, member, expires_in=lifetime)
    except ValueError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    typer.echo(token)
