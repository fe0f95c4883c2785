"""The `cpd-evidence` Typer app, which the command modules add their commands to."""
from __future__ import annotations

import typer

__all__ = ["app", "token_app"]

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Turn third-party CPD records into normalised, evidenced CPD activities.")
token_app = typer.Typer(no_args_is_help=True, help="Bearer tokens for the HTTP API.")
