#!/usr/bin/env python
"""Duplicate detection at scale (issue 18): a member with 20,000 activities uploads a second 20,000-row file
of similar titles, and the new activities are compared with the member's others.

    .venv/bin/python bench/bench_duplicates.py [--rows 20000] [--database-url postgresql://...]

Both files are CSV transcripts like the fault suite's: eight topics, "part N", 135 completion days, so each day
holds ~150 activities of each file with titles alike ("Trust accounting part 17", "Trust accounting part
170"); the second writes each activity of the first a little differently, every other one a day later, so
each of its rows is a duplicate of one row of the first. The old per-day comparison of every pair took ~130 s. Both are stored through
the real job (`jobs.process`, default settings but the file's time limit, the file read in its child process). Then the new upload's
links are cleared and found again (`year.detect_apart`), timed alone, and set beside the time of reading the
new file alone (the pipeline in this process: read, normalise, match). Prints both times and their ratio;
the goal is detection under 5 s on the project's 2-core machine. CPU seconds are printed beside the wall
clock: on a shared, busy machine they are the figure to compare.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select, update  # noqa: E402

from extractors.model import Upload as FileUpload  # noqa: E402
from ingest.settings import Settings  # noqa: E402
from ingest.store import ActivityRow, find_or_create_upload  # noqa: E402
from ingest.work import jobs  # noqa: E402
from ingest.work.pipeline import run  # noqa: E402
from ingest.work.runtime import Runtime, open_runtime  # noqa: E402
from ingest.year import detect_apart  # noqa: E402

TOPICS = ("Trust accounting", "Anti-money laundering", "Inheritance tax", "Professional ethics", "Probate update",
          "Data protection", "Conflicts of interest", "Trustee investment duties")
MEMBER = "bench-member"


def similar_csv(rows: int, again: bool = False) -> bytes:
    """`rows` activities over 135 days of 2024, titles alike from row to row ("Trust accounting part 17",
    "Trust accounting part 170"); `again`: the same activities as another record writes them (every third title
    as is, the others in other words or with other punctuation; every other one dated the day after)."""
    lines = []
    for n in range(rows):
        topic, part, day, month = TOPICS[n % len(TOPICS)], n + 1, 13 + n % 15, 1 + n % 9
        title = f"{topic} part {part}"
        if again:
            title = (title, f"{topic.title()} - Part {part}", f"Part {part}: {topic.lower()}")[n % 3]
            day += n % 2
        lines.append(f"{title},Harbour Academy,{day}/0{month}/2024,{1 + n % 3},Completed\n")
    return ("Title,Provider,Completion Date,Hours,Status\n" + "".join(lines)).encode()


def title_part(title: str) -> tuple[str, str]:
    """(topic, part number) of a title `similar_csv` wrote, however it was written."""
    words = title.lower().replace(":", " ").replace(" - ", " ").split()
    number = next(w for w in words if w.isdigit())
    return " ".join(w for w in words if w not in ("part", number)), number


def store(runtime: Runtime, data: bytes, name: str) -> int:
    sha = runtime.blobs.put(data)
    with runtime.sessions() as s, s.begin():
        upload, _ = find_or_create_upload(s, member_id=MEMBER, filename=name, sha256=sha, size=len(data),
                                          media_type="text/csv")
    return upload.id


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        # The file's own time limit raised: on a busy shared machine, reading 20,000 rows can pass the default
        # 25 s of wall clock, and what is measured here is detection (the read's limits are bench_tables' matter).
        settings = Settings(data_dir=Path(folder), database_url=args.database_url, broker_url=None,
                            file_time_limit=300.0)
        runtime = open_runtime(settings)
        old, new = similar_csv(args.rows), similar_csv(args.rows, again=True)

        matcher = runtime.matchers.get(None, None)   # loaded before the clock starts, as in a worker
        started, cpu = time.perf_counter(), time.process_time()
        result = run(FileUpload(new, "second.csv", "0" * 64, "text/csv"), settings.extract_options(), matcher)
        read_seconds, read_cpu = time.perf_counter() - started, time.process_time() - cpu
        assert result.error is None and len(result.activities) == args.rows, result.error

        first = store(runtime, old, "first.csv")
        outcome = jobs.process(first, runtime)
        assert outcome.state == "done", outcome
        second = store(runtime, new, "second.csv")
        started = time.perf_counter()
        outcome = jobs.process(second, runtime)
        job_seconds = time.perf_counter() - started
        assert outcome.state == "done", outcome
        with runtime.sessions() as s, s.begin():
            linked = s.scalar(select(func.count()).where(ActivityRow.upload_id == second,
                                                         ActivityRow.duplicate_of.is_not(None))) or 0
            s.execute(update(ActivityRow).where(ActivityRow.upload_id == second).values(
                duplicate_of=None, duplicate_reason=None))   # the JSON keeps its copy: rewritten as "behind"

        started, cpu = time.perf_counter(), time.process_time()
        changed = detect_apart(runtime.sessions, MEMBER, second)
        detect_seconds, detect_cpu = time.perf_counter() - started, time.process_time() - cpu
        runtime.close()
    assert changed == linked, (changed, linked)
    print(f"{args.rows:,} new against {args.rows:,} existing similar activities "
          f"({'SQLite' if args.database_url is None else 'PostgreSQL'}): {linked:,} linked as duplicates")
    print(f"  duplicate detection     {detect_seconds:6.2f} s   ({detect_seconds / read_seconds:.2f}x reading the file; "
          f"CPU {detect_cpu:.2f} s, {detect_cpu / read_cpu:.2f}x)")
    print(f"  reading the file alone  {read_seconds:6.2f} s   (pipeline: read, normalise, match; CPU {read_cpu:.2f} s)")
    print(f"  the whole job           {job_seconds:6.2f} s   (read in its child process, store, link; goal: done)")
    goal = detect_seconds < 5.0
    print(f"  goal: detection under 5 s: {'met' if goal else 'NOT met'}")
    return 0 if goal else 1


if __name__ == "__main__":
    raise SystemExit(main())
