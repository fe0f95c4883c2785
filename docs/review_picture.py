"""Render the first page of the thematic review made from the review tests' sample body (tests/service/
review_samples.py) as docs/thematic-review-page1.png, for the README. Run from the project root:

    .venv/bin/python docs/review_picture.py
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pypdfium2

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.audit.review import review_pdf, thematic_review  # noqa: E402
from ingest.work.runtime import open_runtime  # noqa: E402
from tests.service.conftest import make_settings  # noqa: E402
from tests.service.review_samples import body_years  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        runtime = open_runtime(make_settings(Path(folder)))
        try:
            body_years(runtime)
            with runtime.sessions() as session:
                pdf = review_pdf(thematic_review(session, runtime.settings, 2025))
        finally:
            runtime.close()
    page = pypdfium2.PdfDocument(pdf)[0]
    out = ROOT / "docs" / "thematic-review-page1.png"
    page.render(scale=1.4).to_pil().save(out, optimize=True)
    print(out)


if __name__ == "__main__":
    main()
