"""A small body's audit years 2024 and 2025 for the thematic review's tests (and the README's picture): four
working members with real files read by the pipeline, requests and outcomes. All names are invented."""
from __future__ import annotations

import datetime as dt

from ingest.audit import change, request_record, set_working
from ingest.audit.pack import submit
from ingest.store import set_role
from ingest.work import jobs
from ingest.work.roles import load_role_json
from ingest.work.runtime import Runtime

from .conftest import GOOD_CSV, OTHER_CSV, RANDOM_BYTES
from .year_samples import certificate_pdf, transcript_and_record, upload

HANNAH, BOB, DANA, ERIN = "MBR-1001", "MBR-1002", "MBR-1003", "MBR-1004"
MEMBERS = (HANNAH, BOB, DANA, ERIN)
NAMES = ("Hannah Okoro",)  # the learner named in the member's files

DANA_CSV = ("Title,Provider,Completion Date,Hours,Structured,Reflection\n"
            "Leadership for new managers,Harbour Academy,03/06/2025,6,Yes,I now run fortnightly one-to-ones.\n"
            "Ethics in practice: conflicts and confidentiality,STEP,10/09/2025,2,Yes,Updated our conflicts checks.\n"
            "Time management and resilience,Harbour Academy,15/10/2025,1.5,No,\n"
            "Reading: trust law journal,Self,20/11/2025,3,No,Notes on the Pitt v Holt line of cases.\n"
            "Business development and marketing for trust practices,STEP,12/04/2024,2,Yes,\n").encode()
ERIN_CSV = ("Title,Provider,Completion Date,Hours\n"
            "Inheritance tax planning for trusts,CIOT,12/05/2025,12\n"
            "Probate practice update,Law Society,02/06/2025,10\n").encode()


def body_years(runtime: Runtime) -> None:
    """Members' files read; requests for 2024 (hannah, bob) and 2025 (hannah, bob, dana); erin never asked."""
    transcript_and_record(runtime, HANNAH)
    upload(runtime, HANNAH, certificate_pdf(), "certificate.pdf")
    broken = upload(runtime, HANNAH, RANDOM_BYTES, "lms-export.xlsx", process=False)
    assert jobs.process(broken, runtime).state == "failed"  # no format we read: a failing source
    upload(runtime, BOB, GOOD_CSV, "cpd.csv")
    upload(runtime, BOB, OTHER_CSV, "law-society.csv")
    upload(runtime, DANA, DANA_CSV, "dana.csv")
    upload(runtime, ERIN, ERIN_CSV, "erin.csv")
    with runtime.sessions() as s, s.begin():
        for member in MEMBERS:
            set_working(s, member, True)
        for member in (BOB, DANA):
            set_role(s, member, load_role_json("trust-administrator"))
        old = [request_record(s, m, 2024, "Drawn", "admin", today=dt.date(2025, 4, 10)) for m in (HANNAH, BOB)]
        new = [request_record(s, m, 2025, "Drawn", "admin", today=dt.date(2026, 4, 10)) for m in (HANNAH, BOB, DANA)]
        for row in (*old, *new[:2]):
            submit(s, runtime.blobs, row.id, row.member_id, runtime.settings)
            change(s, row.id, "under_review", "auditor")
        change(s, old[0].id, "satisfactory", "auditor")
        change(s, old[1].id, "action_required", "auditor")
        change(s, new[0].id, "action_required", "auditor")
        change(s, new[0].id, "appealed", HANNAH, "The certificate was missed")
        change(s, new[0].id, "overturned", "panel")
        change(s, new[1].id, "satisfactory", "auditor")
