"""The broker's queue length, which the sweeper asks before re-sending queued uploads (real Redis and RabbitMQ)."""
from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import redis

from ingest.work.dispatch import TASK_PROCESS, broker_backlog, celery_app

from .conftest import make_settings

pytestmark = pytest.mark.services


@pytest.mark.parametrize("url", ["redis://127.0.0.1:6379/0", "amqp://guest:guest@127.0.0.1:5672//"],
                         ids=["redis", "rabbitmq"])
def test_backlog_counts_the_messages_waiting_in_both_queues(tmp_path: Path, url: str) -> None:
    settings = make_settings(tmp_path, broker_url=url, queue_prefix=f"test-{uuid.uuid4().hex[:8]}-")
    app = celery_app(settings)
    try:
        assert broker_backlog(app, settings) == 0          # queues no worker has declared yet: nothing waits
        with app.connection_for_write() as connection:     # declared as a worker declares them
            for queue in app.conf.task_queues:
                queue.bind(connection.default_channel).declare()
        for upload_id in range(3):
            app.send_task(TASK_PROCESS, args=[upload_id], queue=settings.uploads_queue)
        app.send_task(TASK_PROCESS, args=[9], queue=settings.reprocess_queue)
        assert broker_backlog(app, settings) == 4
    finally:
        with app.connection_for_write() as connection:
            for queue in app.conf.task_queues:
                queue.bind(connection.channel()).delete()
        app.close()
        if url.startswith("redis"):   # kombu leaves its binding keys behind in Redis
            client = redis.Redis.from_url(url)
            for key in client.scan_iter(f"*{settings.queue_prefix}*"):
                client.delete(key)
