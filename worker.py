"""The Celery app and its tasks (thin: each task calls ingest's pipeline and store)."""
