"""The Celery app and its tasks (thin: each task calls ingest.work; the logic lives there).

    cpd-evidence worker            # or: celery -A worker worker -Q uploads,reprocess

This module imports the library, never the reverse: the API and the CLI send tasks by name
(ingest.work.dispatch), and `cpd-evidence worker` starts Celery on this module by name.

Tasks take ids only (JSON). `acks_late` with `reject_on_worker_lost`: a message is acknowledged after the
task ran, and handed back if the worker process died. The database, not the broker, says what is left
to do: each worker's main process runs a sweeper that sends again the uploads whose lease ran out, so a
killed worker costs at most CPD_LEASE_SECONDS, whatever the broker's own redelivery delay.
"""
from __future__ import annotations

import logging
from typing import Any

from celery import Task
from celery.signals import worker_init, worker_process_init, worker_ready, worker_shutdown

import extractors
from ingest.settings import get_settings
from ingest.work import jobs
from ingest.work.dispatch import TASK_PROCESS, TASK_REMAP, Sweeper, broker_backlog, celery_app
from ingest.work.matching import MATCHERS
from ingest.work.remap import remap
from ingest.work.runtime import process_runtime

__all__ = ["app", "process_upload", "remap_member"]

log = logging.getLogger(__name__)
settings = get_settings()
app = celery_app(settings)
_sweeper: list[Sweeper] = []


@app.task(name=TASK_PROCESS, bind=True, max_retries=settings.max_retries)
def process_upload(self: Task, upload_id: int) -> str:
    """Read one upload and store its activities; transient trouble is retried with backoff."""
    try:
        outcome = jobs.process(upload_id, process_runtime(settings), owner=self.request.id)
    except jobs.Transient as exc:
        delay = jobs.backoff(self.request.retries, settings.retry_backoff_seconds, settings.retry_backoff_max_seconds)
        log.warning("%s; retry %d in %.0f s", exc, self.request.retries + 1, delay)
        raise self.retry(exc=exc, countdown=delay)
    log.info("upload %s: %s (%d activities%s)", upload_id, outcome.state, outcome.activities,
             f", {outcome.code}" if outcome.code else "")
    return outcome.state


@app.task(name=TASK_REMAP, bind=True, max_retries=settings.max_retries)
def remap_member(self: Task, member_id: str) -> int:
    """Match the member's stored activities to their current role profile."""
    try:
        return remap(member_id, process_runtime(settings))
    except jobs.TRANSIENT_ERRORS as exc:
        delay = jobs.backoff(self.request.retries, settings.retry_backoff_seconds, settings.retry_backoff_max_seconds)
        raise self.retry(exc=exc, countdown=delay)


@worker_init.connect
def _preload(**_kwargs: Any) -> None:
    """The worker's main process, before its pool starts: spaCy and the no-role matcher loaded, and the PDF and
    Word parsers, so that the pool's processes, and each file's child, inherit them."""
    MATCHERS.get(None, None)
    extractors.preload()


@worker_process_init.connect
def _warm(**_kwargs: Any) -> None:
    """Each pool process: the no-role matcher ready (and spaCy loaded) before the first task."""
    MATCHERS.get(None, None)


@worker_ready.connect
def _start_sweeper(**_kwargs: Any) -> None:
    def send(upload_id: int) -> None:
        app.send_task(TASK_PROCESS, args=[upload_id], queue=settings.uploads_queue)

    sweeper = Sweeper(process_runtime(settings, timed=True), send, backlog=lambda: broker_backlog(app, settings))
    sweeper.start()
    _sweeper.append(sweeper)


@worker_shutdown.connect
def _stop_sweeper(**_kwargs: Any) -> None:
    for sweeper in _sweeper:
        sweeper.stop()
