"""What `token list` and `token revoke` do (their options are parsed in commands.py). `token create` is in
serving.py with the other commands an operator runs when setting up."""
from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

from ..store import list_tokens, revoke_token
from ..work.actions import token_json
from .common import err, runtime_or_exit, settings_or_exit

__all__ = ["list_all", "revoke"]


def list_all(as_json: bool) -> None:
    """Every token, oldest first, as a table or JSON Lines; never a secret (only hashes are kept)."""
    runtime = runtime_or_exit(settings_or_exit())
    with runtime.sessions() as session:
        rows = [token_json(t) for t in list_tokens(session)]
    if as_json:
        for row in rows:
            typer.echo(json.dumps(row))
        return
    table = Table("id", "kind", "member", "state", "created (UTC)", "expires", "last used")
    for row in rows:
        table.add_row(str(row["id"]), row["kind"], row["member_id"] or "", row["state"], _minute(row["created_at"]),
                      _minute(row["expires_at"]) or "never", _minute(row["last_used_at"]) or "never")
    Console().print(table if rows else "No tokens yet: make one with 'cpd-evidence token create'.")


def revoke(token_id: int) -> None:
    """Revoke the token `token_id`, or exit 2 saying there is no such token."""
    runtime = runtime_or_exit(settings_or_exit())
    with runtime.sessions() as session, session.begin():
        row = revoke_token(session, token_id)
        shown = token_json(row) if row is not None else None
    if shown is None:
        err.print(f"[red]There is no token {token_id}. List them with 'cpd-evidence token list'.[/red]")
        raise typer.Exit(2)
    whose = f"member {shown['member_id']}" if shown["member_id"] else shown["kind"]
    typer.echo(f"Token {token_id} ({whose}) is revoked since {_minute(shown['revoked_at'])} UTC.")


def _minute(iso: str | None) -> str:
    return iso[:16].replace("T", " ") if iso else ""
