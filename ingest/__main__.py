"""`python -m ingest ...`: the `cpd-evidence` command, for where the package is not installed."""
from __future__ import annotations

from .cli import main

main()
