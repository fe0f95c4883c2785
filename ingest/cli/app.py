"""The `cpd-evidence` Typer app, which the command modules add their commands to."""
from __future__ import annotations

import typer

__all__ = ["app", "token_app"]

# Plain (click) help and usage errors: Typer's rich formatting imports rich's markdown and box drawing, 0.3 s
# of a 0.45 s `--help` (issue 17 measured it with -X importtime); the commands' own output still uses rich.
app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Turn third-party CPD records into normalised, evidenced CPD activities.")
token_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="Bearer tokens for the HTTP API.")
