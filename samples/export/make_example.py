#!/usr/bin/env python3
"""Write the example export in samples/export/: the CPD record of a demo member (a trust administrator) for
CPD year 2025, built from sample uploads that overlap the way real members' records do.

    .venv/bin/python samples/export/make_example.py

The samples are read through the whole service (blob store, pipeline, duplicate detection, summary) on a
temporary embedded store (SQLite in a folder deleted afterwards); only the two files are kept:

    cpd-record-demo-2025.xlsx    a row per activity; the employer's LMS export repeats activities of the
                                 transcript, which are marked and left out of the totals
    cover-sheet-demo-2025.pdf    totals, ethics requirement, responsibilities covered and not, charts, sources
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))

from ingest.settings import Settings  # noqa: E402
from ingest.store import ensure_member, find_or_create_upload, set_role  # noqa: E402
from ingest.work import jobs  # noqa: E402
from ingest.work.roles import load_role_json  # noqa: E402
from ingest.work.runtime import open_runtime  # noqa: E402
from ingest.year.export import write_files, year_export  # noqa: E402

MEMBER, YEAR, ROLE = "demo", 2025, "trust-administrator"
UPLOADS = (  # in the order the member uploaded them
    "xlsx/cornerstone-title-block.xlsx",           # the employer's transcript
    "csv/semicolon-decimal-comma.csv",             # the LMS's own export: some of the same courses again
    "docx/step-style-landscape-free-text-times.docx",  # the member's STEP CPD record
    "pdf/certificate-completion.pdf",              # certificates
    "pdf/certificate-attendance-landscape.pdf",
    "json/clr-2-two-awarded-one-not-membership.json",  # a professional body's credentials (an ethics course)
)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="cpd-example-") as folder:
        settings = Settings(data_dir=Path(folder), database_url=None, broker_url=None, blob_dir=None)
        runtime = open_runtime(settings)
        try:
            with runtime.sessions() as session, session.begin():
                ensure_member(session, MEMBER)
                set_role(session, MEMBER, load_role_json(ROLE))
            for name in UPLOADS:
                _ingest(runtime, REPO / "samples" / name)
            with runtime.sessions() as session:
                found = year_export(session, MEMBER, YEAR, settings)
            for path in write_files(found, HERE):
                print(path.relative_to(REPO))
            summary = found.summary
            print(f"{summary['activities']} activities, {summary['hours']:g} hours "
                  f"({summary['duplicates']['count']} duplicates counted once), ethics met: {summary['ethics']['met']}")
        finally:
            runtime.close()


def _ingest(runtime: object, path: Path) -> None:
    from ingest.work.runtime import Runtime

    assert isinstance(runtime, Runtime)
    data = path.read_bytes()
    sha256 = runtime.blobs.put(data)
    with runtime.sessions() as session, session.begin():
        upload, _ = find_or_create_upload(session, member_id=MEMBER, filename=path.name, sha256=sha256,
                                          size=len(data), media_type=None)
    outcome = jobs.process(upload.id, runtime)
    if outcome.state != "done":
        raise SystemExit(f"{path.name} could not be read ({outcome.code}); the example needs every sample to read.")


if __name__ == "__main__":
    main()
