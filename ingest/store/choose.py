"""Which blob store the settings name: an S3-compatible store for CPD_BLOB_URL, else the folder."""
from __future__ import annotations

from ..settings import Settings
from .blobs import BlobStore, LocalBlobs
from .s3 import open_s3

__all__ = ["open_blobs"]


def open_blobs(settings: Settings) -> BlobStore:
    """The blob store the settings name: CPD_BLOB_URL s3://bucket/prefix (ingest/store/s3.py; boto3 is imported
    only then), else the local or shared folder CPD_BLOB_DIR (default DATA_DIR/blobs)."""
    if settings.blob_url:
        return open_s3(settings)
    return LocalBlobs(settings.blobs)
