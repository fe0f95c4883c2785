"""Shared fixtures for the service tests: settings in a temporary folder, a migrated runtime, sample files."""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ingest.settings import Settings
from ingest.work.runtime import Runtime, open_runtime

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"

# Four completed activities over two CPD years (April to March), one ethics-related, one not completed.
GOOD_CSV = (
    "Title,Provider,Completion Date,Hours,Status,Type\n"
    "Anti-money laundering refresher,STEP,15/05/2024,2,Completed,Webinar\n"
    "Professional ethics and conflicts of interest,STEP,10/06/2024,1.5,Completed,Seminar\n"
    "Inheritance tax planning for trusts,CIOT,12/01/2025,1,Completed,Course\n"
    "Trust accounting and trustee investment duties,Harbour Academy,20/05/2025,3,Completed,Course\n"
    "Data protection essentials,Harbour Academy,,0.5,In progress,E-learning\n"
).encode()

OTHER_CSV = (
    "Title,Provider,Completion Date,Hours\n"
    "Estate administration update,Law Society,03/07/2024,2.5\n"
    "Client care and complaints handling,Law Society,04/09/2024,1\n"
).encode()

RANDOM_BYTES = bytes(range(256)) * 8  # no format we read


def truncated_xlsx() -> bytes:
    """An xlsx cut short: from the shared corpus, else the first half of a zip made here."""
    corpus = CORPUS / "edge_corrupt_truncated.xlsx"
    if corpus.is_file():
        return corpus.read_bytes()
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>" * 200)
        archive.writestr("xl/workbook.xml", "<workbook/>" * 200)
    data = buffer.getvalue()
    return data[: len(data) // 2]


def make_settings(base: Path, **overrides: Any) -> Settings:
    """Settings in `base`, whatever CPD_* variables the test process happens to have."""
    values: dict[str, Any] = {"data_dir": base / "var", "database_url": None, "broker_url": None, "blob_dir": None,
                              "queue_prefix": "", "max_attempts": 3, "retry_backoff_seconds": 0.05,
                              "retry_backoff_max_seconds": 0.2, "embedded_workers": 2, "sweep_seconds": 1}
    values.update(overrides)
    return Settings(**values)


def all_activities(call: Callable[..., Any], member: str, who: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of GET /members/{member}/activities, page after page by its `next` cursor."""
    items: list[dict[str, Any]] = []
    cursor = None
    for _ in range(100):
        page = call("GET", f"/members/{member}/activities", who, params={**params, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.text
        items += page.json()["items"]
        cursor = page.json()["next"]
        if cursor is None:
            return items
    raise AssertionError("pagination did not end")


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture()
def runtime(settings: Settings) -> Iterator[Runtime]:
    rt = open_runtime(settings)
    yield rt
    rt.close()


@pytest.fixture(autouse=True)
def _no_cpd_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the developer's own CPD_* variables away from code that reads the environment."""
    for name in list(os.environ):
        if name.startswith("CPD_"):
            monkeypatch.delenv(name)
