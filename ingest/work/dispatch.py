"""Sending work to whoever does it: Celery workers (a broker is set) or this process (the embedded default).

    CeleryDispatcher   send_task by name, ids only, JSON; members' uploads on "uploads", admins'
                       reprocessing on "reprocess" (a worker takes from both in turn, so a bulk
                       reprocess never starves uploads; workers may also be given one queue only)
    PoolDispatcher     a thread pool in `serve`, with the same sweeper the Celery workers run
    InlineDispatcher   now, in the caller's thread (the `ingest` and `reprocess` commands)

The database is the source of truth: a message lost or sent twice costs nothing, since the sweeper
sends again what nobody picked up and a claim lets only one worker at a time have an upload.
"""
from __future__ import annotations

import contextlib
import logging
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

from celery import Celery
from kombu.entity import Exchange, Queue

import extractors

from ..settings import Settings
from . import jobs, leases
from .remap import remap
from .runtime import Runtime

__all__ = ["TASK_PROCESS", "TASK_REMAP", "Dispatcher", "broker_backlog", "celery_app", "CeleryDispatcher",
           "PoolDispatcher", "InlineDispatcher", "Sweeper", "dispatcher_for"]

log = logging.getLogger(__name__)

TASK_PROCESS = "cpd.process_upload"
TASK_REMAP = "cpd.remap_member"


class Dispatcher(Protocol):
    """Who does the work: each call hands over an id and returns; the database says what is left to do."""

    def upload(self, upload_id: int) -> None:
        """Read a member's new upload."""

    def reprocess(self, upload_id: int) -> None:
        """Read an upload again (an admin's reprocessing)."""

    def remap(self, member_id: str) -> None:
        """Match the member's stored activities to their current role profile."""

    def close(self) -> None:
        """Let go of what the dispatcher holds (a pool, a broker connection)."""


def dispatcher_for(runtime: Runtime, choice: str | Dispatcher | None = None, *, local: str = "pool") -> Dispatcher:
    """The dispatcher `choice` names: "celery", "pool" (a thread pool in this process), "inline" (now, in the
    caller's thread), or one made by the caller; by default Celery when CPD_BROKER_URL is set, else `local`."""
    if choice is None:
        choice = "celery" if runtime.settings.broker_url else local
    if not isinstance(choice, str):
        return choice
    if choice == "celery":
        return CeleryDispatcher(runtime.settings)
    if choice == "inline":
        return InlineDispatcher(runtime)
    return PoolDispatcher(runtime)


def celery_app(settings: Settings) -> Celery:
    """The Celery app for these settings (worker.py adds the tasks; the API only sends by name)."""
    app = Celery("cpd_evidence", broker=settings.broker_url, set_as_current=False)
    app.conf.update(
        task_serializer="json", accept_content=["json"], result_serializer="json", task_ignore_result=True,
        task_acks_late=True, task_reject_on_worker_lost=True, worker_prefetch_multiplier=1,
        task_soft_time_limit=settings.task_soft_time_limit, task_time_limit=settings.task_time_limit,
        worker_max_tasks_per_child=settings.max_tasks_per_child,
        task_queues=[_queue(settings.uploads_queue), _queue(settings.reprocess_queue)],
        task_default_queue=settings.uploads_queue,
        task_routes={TASK_PROCESS: {"queue": settings.uploads_queue}, TASK_REMAP: {"queue": settings.uploads_queue}},
        # Redis re-delivers an unacknowledged message after this; the sweeper does not wait for it.
        broker_transport_options={"visibility_timeout": max(3600, 2 * settings.lease_seconds)},
        broker_connection_retry_on_startup=True, broker_connection_timeout=5,
        task_publish_retry_policy={"max_retries": 3, "interval_start": 0.2, "interval_step": 0.5,
                                   "interval_max": 2},
    )
    return app


def broker_backlog(app: Celery, settings: Settings) -> int:
    """Messages waiting in the broker's uploads and reprocess queues (not those a worker holds already)."""
    total = 0
    with app.connection_for_read() as connection:
        for name in (settings.uploads_queue, settings.reprocess_queue):
            channel = connection.channel()   # its own: asking for a missing queue closes an AMQP channel
            try:
                total += int(channel.queue_declare(queue=name, passive=True).message_count)
            except connection.channel_errors:   # no such queue yet: nothing waits in it
                pass
            finally:
                with contextlib.suppress(Exception):
                    channel.close()
    return total


def _queue(name: str) -> Queue:
    """A queue with its own direct exchange and routing key: a message sent to one lands in that one only."""
    return Queue(name, Exchange(name, type="direct"), routing_key=name)


class CeleryDispatcher:
    """Sends ids to the Celery workers, by task name (this process never imports the tasks)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.app = celery_app(settings)

    def upload(self, upload_id: int) -> None:
        self.app.send_task(TASK_PROCESS, args=[upload_id], queue=self.settings.uploads_queue)

    def reprocess(self, upload_id: int) -> None:
        self.app.send_task(TASK_PROCESS, args=[upload_id], queue=self.settings.reprocess_queue)

    def remap(self, member_id: str) -> None:
        self.app.send_task(TASK_REMAP, args=[member_id], queue=self.settings.uploads_queue)

    def close(self) -> None:
        self.app.close()


class InlineDispatcher:
    """Does the work now; transient trouble is retried a few times with backoff, then left to a sweeper."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.outcomes: dict[int, jobs.Outcome] = {}

    def upload(self, upload_id: int) -> None:
        settings, owner = self.runtime.settings, uuid.uuid4().hex  # one owner across retries, as a task id
        for attempt in range(settings.max_attempts):
            try:
                self.outcomes[upload_id] = jobs.process(upload_id, self.runtime, owner)
                return
            except jobs.Transient as exc:
                log.warning("%s; retrying", exc)
                time.sleep(jobs.backoff(attempt, settings.retry_backoff_seconds, 10.0))
        self.outcomes[upload_id] = jobs.process(upload_id, self.runtime, owner)  # over max_attempts: fails it

    reprocess = upload

    def remap(self, member_id: str) -> None:
        remap(member_id, self.runtime)

    def close(self) -> None:
        pass


class PoolDispatcher:
    """A thread pool doing the work in this process (`serve` with no broker), and its sweeper."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        extractors.preload()   # the PDF and Word parsers shared by each file's child process
        self.pool = ThreadPoolExecutor(runtime.settings.embedded_workers, thread_name_prefix="cpd-work")
        self._waiting = 0                 # uploads submitted to the pool and not yet started
        self._lock = threading.Lock()
        self.sweeper = Sweeper(runtime, self.upload, first_requeue_after=0,  # a restart lost the pool's queue
                               backlog=lambda: self._waiting)
        self.sweeper.start()

    def upload(self, upload_id: int) -> None:
        self._submit(upload_id, uuid.uuid4().hex, 0)

    reprocess = upload

    def remap(self, member_id: str) -> None:
        self.pool.submit(self._guard, remap, member_id, self.runtime)

    def _submit(self, upload_id: int, owner: str, retries: int) -> None:
        with self._lock:
            self._waiting += 1
        try:
            self.pool.submit(self._process, upload_id, owner, retries)
        except RuntimeError:              # the pool shut down: the sweeper of the next start takes over
            with self._lock:
                self._waiting -= 1
            raise

    def _process(self, upload_id: int, owner: str, retries: int) -> None:
        with self._lock:
            self._waiting -= 1
        try:
            jobs.process(upload_id, self.runtime, owner)
        except jobs.Transient as exc:
            settings = self.runtime.settings
            delay = jobs.backoff(retries, settings.retry_backoff_seconds, settings.retry_backoff_max_seconds)
            log.warning("%s; retrying in %.0f s", exc, delay)
            if retries < settings.max_retries:
                timer = threading.Timer(delay, self._resubmit, (upload_id, owner, retries + 1))
                timer.daemon = True
                timer.start()
        except Exception:  # never kill a pool thread; the sweeper brings the upload back
            log.exception("upload %s: unexpected error in the in-process pool", upload_id)

    def _resubmit(self, upload_id: int, owner: str, retries: int) -> None:
        with contextlib.suppress(RuntimeError):  # the pool shut down meanwhile: the sweeper takes over
            self._submit(upload_id, owner, retries)

    @staticmethod
    def _guard(fn: Callable[..., object], *args: object) -> None:
        try:
            fn(*args)
        except Exception:
            log.exception("background work %s%r failed", getattr(fn, "__name__", fn), args)

    def close(self) -> None:
        self.sweeper.stop()
        self.pool.shutdown(wait=True, cancel_futures=True)


class Sweeper:
    """Every SWEEP_SECONDS, sends again the uploads whose lease ran out or that nobody picked up.

    `backlog` says how many uploads wait in the queue (the broker's, or the pool's) when it can tell. Queued
    uploads are re-sent only when nothing waits there: in a burst, an upload queued for long is in line, not
    lost, and sending it again only lengthened the line (1,000 uploads made 600 extra messages). When the
    queue is empty (the broker restarted without its messages) or cannot be asked, they are re-sent.
    """

    def __init__(self, runtime: Runtime, send: Callable[[int], None], first_requeue_after: int | None = None,
                 backlog: Callable[[], int | None] | None = None) -> None:
        self.runtime, self.send = runtime, send
        self._first = first_requeue_after
        self._backlog = backlog
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="cpd-sweeper", daemon=True)

    def start(self) -> None:
        """Sweep every CPD_SWEEP_SECONDS in a thread of its own."""
        self._thread.start()

    def stop(self) -> None:
        """Stop sweeping (waiting up to 10 s for a sweep under way)."""
        self._stop.set()
        self._thread.join(timeout=10)

    def sweep_once(self, requeue_after: int | None = None) -> list[int]:
        """One sweep (`leases.sweep`): send again what is due; returns the ids sent."""
        settings = self.runtime.settings
        waiting = self._waiting()
        with self.runtime.sessions() as session, session.begin():
            ids = leases.sweep(session, settings.requeue_after_seconds if requeue_after is None else requeue_after,
                               queued=not waiting)
        for upload_id in ids:
            self.send(upload_id)
        if ids:
            log.info("sweeper sent %d upload(s) again: %s", len(ids), ids[:20])
        return ids

    def _waiting(self) -> int | None:
        if self._backlog is None:
            return None
        try:
            return self._backlog()
        except Exception as exc:  # the broker away: as if unknown
            log.info("sweeper: the queue's length is unknown (%s: %s)", exc.__class__.__name__, exc)
            return None

    def _loop(self) -> None:
        requeue_after = self._first
        while not self._stop.is_set():
            try:
                self.sweep_once(requeue_after)
                requeue_after = None
            except Exception as exc:  # database or broker away: try again next round
                log.warning("sweeper: %s: %s", exc.__class__.__name__, exc)
            self._stop.wait(self.runtime.settings.sweep_seconds)
