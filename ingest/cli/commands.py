"""The service's commands on the `cpd-evidence` app (CONTRACT.md section 3).

    serve, worker, token create / list / revoke, ingest, uploads, reprocess, summary, export

Each command here only parses its options; what it does is in serving.py, uploads.py and year.py, imported
when a command runs, so `cpd-evidence extract` does not pay for the database, Celery and web imports.
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import app, token_app

__all__ = ["serve", "worker", "token_create", "token_list", "token_revoke", "ingest_files", "uploads", "reprocess", "summary", "export"]

app.add_typer(token_app, name="token")
_STATES = "queued, processing, done, failed"


@app.command()
def serve(host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000) -> None:
    """Run the HTTP API (with no CPD_BROKER_URL, the uploads are also read here, in a thread pool)."""
    from .serving import serve as run

    run(host, port)


@app.command()
def worker(
    concurrency: Annotated[Optional[int], typer.Option(help="Processes (default CPD_WORKER_CONCURRENCY, "
                                                            "else the number of CPUs).")] = None,
    queues: Annotated[str, typer.Option(help="Comma-separated queues to take work from.")] = "uploads,reprocess",
    loglevel: Annotated[str, typer.Option(help="Celery log level.")] = "INFO",
) -> None:
    """Run a Celery worker on the uploads and reprocess queues (needs CPD_BROKER_URL)."""
    from .serving import worker as run

    run(concurrency, queues, loglevel)


@token_app.command("create")
def token_create(
    member: Annotated[Optional[str], typer.Option(help="A member's token: their own data only.")] = None,
    admin: Annotated[bool, typer.Option("--admin", help="An admin token: uploads and reprocessing.")] = False,
    portal: Annotated[bool, typer.Option("--portal", help="The portal's token: any member's activities.")] = False,
    expires_in: Annotated[Optional[str], typer.Option(help="Refused after this long: 90d, 12h, 2w (default: "
                                                           "never expires; revoke it with 'token revoke').")] = None,
) -> None:
    """Make a new bearer token and print it, alone, on stdout (it is stored only as a hash)."""
    from .serving import create_token_for

    create_token_for(member, admin, portal, expires_in)


@token_app.command("list")
def token_list(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per token, one per line.")] = False,
) -> None:
    """List the tokens: id, kind, member, state (active, expired, revoked), expiry and last use. Never the
    tokens themselves: only their hashes are kept."""
    from .tokens import list_all

    list_all(as_json)


@token_app.command("revoke")
def token_revoke(token_id: Annotated[int, typer.Argument(help="The token's id (from 'token list').",
                                                         show_default=False)]) -> None:
    """Revoke a token at once: from then on the API answers it 401 token_revoked."""
    from .tokens import revoke

    revoke(token_id)


@app.command("ingest")
def ingest_files(
    files: Annotated[list[Path], typer.Argument(help="Files to upload for the member.", show_default=False)],
    member: Annotated[str, typer.Option(help="The member the files belong to.")],
    role: Annotated[Optional[str], typer.Option(help="Set the member's role: a built-in name or a YAML/JSON "
                                                     "file.")] = None,
    show_activities: Annotated[bool, typer.Option("--show-activities",
                                                  help="Also print every activity stored, a table per file.")] = False,
    name: Annotated[Optional[str], typer.Option(help="Set the member's display name, as their files write it: "
                                                     "another learner's activities then count nowhere.")] = None,
) -> None:
    """Upload the files for a member and read them here and now, then print the member's summary."""
    from .uploads import ingest

    ingest(files, member, role, show_activities, name)


@app.command()
def uploads(
    state: Annotated[Optional[str], typer.Option(help=f"Only uploads in this state ({_STATES}).")] = None,
    member: Annotated[Optional[str], typer.Option(help="Only this member's uploads.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per upload, one per line.")] = False,
) -> None:
    """List uploads, oldest first, with their state and error."""
    from .uploads import list_uploads

    list_uploads(state, member, as_json)


@app.command()
def reprocess(
    upload_ids: Annotated[Optional[list[int]], typer.Argument(help="Upload ids.", show_default=False)] = None,
    failed: Annotated[bool, typer.Option("--failed", help="Every failed upload.")] = False,
    older_than: Annotated[Optional[str], typer.Option(help="Every upload read by an extractor older than "
                                                           "VERSION.")] = None,
    wait: Annotated[int, typer.Option(help="With a broker: seconds to wait for the workers (0: do not).")] = 600,
) -> None:
    """Read uploads again (activities replaced, never duplicated): here, or by the workers with a broker."""
    from .uploads import reprocess as run

    run(upload_ids or [], failed, older_than, wait)


@app.command()
def summary(
    member: Annotated[str, typer.Option(help="The member.")],
    year: Annotated[int, typer.Option(help="CPD year YYYY (from the start month, April by default).", min=1900,
                                      max=2200)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as one JSON object.")] = False,
) -> None:
    """A member's CPD year: hours (duplicates once), ethics requirement, responsibilities covered and not
    covered, what needs the member's attention and what falls outside the year."""
    from .common import runtime_or_exit, settings_or_exit
    from .year import print_summary, print_year

    data = print_summary(runtime_or_exit(settings_or_exit()), member, year, as_json=as_json)
    if not as_json:
        print_year(data, year)


@app.command()
def export(
    member: Annotated[str, typer.Option(help="The member.")],
    year: Annotated[int, typer.Option(help="CPD year YYYY (from the start month, April by default).", min=1900,
                                      max=2200)],
    out: Annotated[Path, typer.Option(help="Folder to write the files into (made if missing).")],
) -> None:
    """Write the member's CPD record for the year (cpd-record-MEMBER-YEAR.xlsx) and its cover sheet
    (cover-sheet-MEMBER-YEAR.pdf) into a folder; print their paths."""
    from .common import runtime_or_exit, settings_or_exit
    from .year import export_year

    for path in export_year(runtime_or_exit(settings_or_exit()), member, year, out):
        typer.echo(str(path))
