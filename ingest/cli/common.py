"""What the service's commands share: the settings and the runtime, or exit status 2 with what to do, the
error console and the progress bar."""
from __future__ import annotations

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy.exc import OperationalError

from ..settings import Settings, get_settings
from ..work.runtime import Runtime, open_runtime

__all__ = ["err", "settings_or_exit", "runtime_or_exit", "progress"]

err = Console(stderr=True)


def settings_or_exit() -> Settings:
    """The CPD_* settings, or exit 2 saying which cannot work."""
    try:
        return get_settings()
    except ValidationError as exc:
        problems = "; ".join(str(e.get("ctx", {}).get("error", e["msg"])) for e in exc.errors())
        err.print(f"[red]The CPD_* settings cannot work: {problems}[/red]")
        raise typer.Exit(2) from exc


def runtime_or_exit(settings: Settings) -> Runtime:
    """The runtime, the schema brought to head; or exit 2 when the database cannot be reached."""
    try:
        return open_runtime(settings)
    except OperationalError as exc:
        err.print(f"[red]Cannot reach the database {settings.database.split('@')[-1]}: {exc.orig}. Start it, or "
                  "check CPD_DATABASE_URL (unset, the embedded SQLite in CPD_DATA_DIR is used).[/red]")
        raise typer.Exit(2) from exc


def progress() -> Progress:
    """A progress bar on stderr: what is being done, done of all, time taken."""
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err)
