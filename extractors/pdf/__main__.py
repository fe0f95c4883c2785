"""`python -m extractors.pdf FILE`: one line saying what the PDF extractor made of FILE."""
from __future__ import annotations

import sys
from pathlib import Path

from ..errors import IngestError
from ..model import ExtractOptions, Upload
from . import extract


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m extractors.pdf FILE", file=sys.stderr)
        return 64
    path = Path(argv[0])
    upload = Upload.from_bytes(path.read_bytes(), path.name)
    try:
        result = extract(upload, ExtractOptions())
    except IngestError as exc:
        print(f"{path.name}: error {exc.code}: {exc.message}")
        return 2
    rows = sum(1 for table in result.tables for _ in table.rows)
    print(
        f"{path.name}: layout={result.layout} tables={len(result.tables)} rows={rows} "
        f"records={len(result.records)} issues={len(result.issues)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
