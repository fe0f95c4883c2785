"""Certificates written as prose: the reader lives in `mappers.certificates`; this module keeps its old name."""
from __future__ import annotations

from .certificates import read_certificate, read_certificates

__all__ = ["read_certificate", "read_certificates"]
