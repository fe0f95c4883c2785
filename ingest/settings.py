"""The service's one settings object, read from `CPD_*` environment variables once per process.

Every setting and its default is listed in the README ("Settings"). The pure core never reads settings: the
pipeline gets a frozen `ExtractOptions` built here (`extract_options`).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from extractors.model import ExtractOptions

__all__ = ["Settings", "SettingsError", "get_settings"]


class SettingsError(ValueError):
    """A setting that cannot work; the message names the variable and what to set it to."""


class Settings(BaseSettings):
    """Every CPD_* setting with its default (the README's "Settings" table), checked together when read."""

    model_config = SettingsConfigDict(env_prefix="CPD_", extra="ignore", frozen=True)

    data_dir: Path = Path("./var")
    database_url: str | None = None          # default: sqlite:///DATA_DIR/cpd.sqlite3
    blob_dir: Path | None = None             # default: DATA_DIR/blobs
    blob_url: str | None = None              # s3://bucket/prefix: blobs in an S3-compatible store instead
    s3_endpoint_url: str | None = None       # the store's address (unset: AWS S3 itself)
    broker_url: str | None = None            # redis://... or amqp://...; unset: the work runs in-process
    queue_prefix: str = ""                   # prepended to the queue names "uploads" and "reprocess"
    max_upload_bytes: int = Field(default=50 * 1024 * 1024, gt=0)
    max_concurrent_uploads: int = Field(default=16, gt=0)  # uploads one API process receives at once; then 503
    header_timeout_seconds: float = Field(default=20.0, gt=0)  # `serve` closes a connection slower with its headers
    body_idle_seconds: float = Field(default=30.0, gt=0)  # an upload whose body stops this long: 408, place given back
    year_start_month: int = Field(default=4, ge=1, le=12)   # CPD_YEAR_START_MONTH: the month a CPD year starts
    ethics_activities_required: int = Field(default=1, ge=0)
    hours_expected: float | None = Field(default=None, ge=0)  # CPD_HOURS_EXPECTED: hours a year; unset: none
    lease_seconds: int = Field(default=300, gt=0)    # how long a claimed upload is kept from other workers
    sweep_seconds: int = Field(default=30, gt=0)     # how often a worker re-queues uploads whose lease ran out
    requeue_after_seconds: int = Field(default=300, gt=0)  # a queued upload with no worker after this is re-sent
    max_attempts: int = Field(default=5, ge=1)       # claims of one upload before it fails "too_many_attempts"
    retry_backoff_seconds: float = Field(default=2.0, gt=0)
    retry_backoff_max_seconds: float = Field(default=120.0, gt=0)
    max_retries: int = Field(default=12, ge=0)       # Celery retries of one message on transient errors
    task_soft_time_limit: int = Field(default=120, gt=0)
    task_time_limit: int = Field(default=150, gt=0)
    max_tasks_per_child: int = Field(default=200, gt=0)
    isolate_files: bool = True               # read each file in a forked child within the two bounds below
    file_memory_bytes: int = Field(default=1 << 30, gt=0)   # memory one file may take beyond the process's own
    file_time_limit: float = Field(default=25.0, gt=0)      # seconds one file may take; then the child is killed
    file_time_limit_max: float = Field(default=90.0, gt=0)  # ... at most, however big it is (the limit grows with size)
    pdf_parallel: int | None = Field(default=None, ge=1)    # children reading a long PDF's pages at once; default:
                                                            # the number of CPUs; 1 reads every PDF in one child
    worker_concurrency: int | None = None    # default: the number of CPUs
    embedded_workers: int = Field(default=2, ge=1)   # threads running the work in `serve` without a broker

    @model_validator(mode="after")
    def _coherent(self) -> Settings:
        if self.task_soft_time_limit >= self.task_time_limit:
            raise SettingsError("CPD_TASK_SOFT_TIME_LIMIT must be below CPD_TASK_TIME_LIMIT "
                                f"(now {self.task_soft_time_limit} >= {self.task_time_limit}).")
        if self.lease_seconds <= self.task_time_limit:
            raise SettingsError("CPD_LEASE_SECONDS must be above CPD_TASK_TIME_LIMIT, or a slow file would be "
                                f"claimed twice (now {self.lease_seconds} <= {self.task_time_limit}).")
        if self.broker_url and not self.broker_url.startswith(("redis://", "rediss://", "amqp://", "amqps://")):
            raise SettingsError(f"CPD_BROKER_URL '{self.broker_url}' is neither redis:// nor amqp://; "
                                "set one of those, or unset it to run the work in-process.")
        if self.blob_url and not (self.blob_url.startswith("s3://") and len(self.blob_url) > len("s3://")):
            raise SettingsError(f"CPD_BLOB_URL '{self.blob_url}' is not s3://BUCKET[/PREFIX]; set it so, or unset it "
                                "to keep the blobs in the folder CPD_BLOB_DIR.")
        return self

    @property
    def database(self) -> str:
        """The SQLAlchemy URL: CPD_DATABASE_URL, else SQLite in the data folder."""
        if not self.database_url:
            return f"sqlite:///{(self.data_dir / 'cpd.sqlite3').resolve()}"
        url = self.database_url
        for plain in ("postgres://", "postgresql://"):  # no driver named: psycopg2, which we install
            if url.startswith(plain):  # (SQLAlchemy 2.1 would pick psycopg 3; name it to use that one)
                url = "postgresql+psycopg2://" + url[len(plain):]
        return url

    @property
    def blobs(self) -> Path:
        """The blob folder: CPD_BLOB_DIR, else DATA_DIR/blobs."""
        return (self.blob_dir or self.data_dir / "blobs").resolve()

    @property
    def uploads_queue(self) -> str:
        """The members' uploads queue's name."""
        return f"{self.queue_prefix}uploads"

    @property
    def reprocess_queue(self) -> str:
        """The admins' reprocessing queue's name."""
        return f"{self.queue_prefix}reprocess"

    def extract_options(self) -> ExtractOptions:
        """The pure core's options from these settings (it never reads settings itself)."""
        return ExtractOptions(max_bytes=self.max_upload_bytes)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read from the environment the first time they are asked for."""
    return Settings()
