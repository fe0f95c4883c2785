"""The fault-injection suite (bench/fault_suite.py), one test per scenario, against real services on 127.0.0.1:
PostgreSQL (through a proxy the suite cuts), a redis-server of the suite's own (killed and started again),
the API (`cpd-evidence serve`) and two `cpd-evidence worker` processes (one killed with SIGKILL mid-file).

GIVEN a fault (a worker killed mid-file, the broker restarted, the database away, the same upload posted at
once, a burst, files that always fail) THEN every upload ends done or failed with a reason, none is lost, no
activity is duplicated, the counts match, and every POST got an answer. The bursts here are smaller than the
bench script's (`bench/fault_suite.py` sends 1,000, 240 and 200): the same faults, each landing mid-burst, in
about a minute in all.
"""
from __future__ import annotations

import importlib.util
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

# One harness (services, API, workers) serves every scenario: all on one xdist worker, started first.
pytestmark = [pytest.mark.services, pytest.mark.slow, pytest.mark.xdist_group("fault-suite")]

SUITE_PATH = Path(__file__).resolve().parents[2] / "bench" / "fault_suite.py"


def _load_suite() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fault_suite", SUITE_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fault_suite"] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


suite = _load_suite()
# Smaller bursts than the script's defaults: each fault still lands with uploads on both sides of it.
SIZES: dict[str, dict[str, int]] = {"burst": {"count": 200}, "redis": {"count": 100}, "postgres": {"count": 120}}


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not on PATH; the fault suite runs a broker of its own (apt install redis-server)")
    with suite.Harness(tmp_path_factory.mktemp("faults")) as h:
        yield h


def _logs(h: Any) -> str:
    tails = [f"--- {s.name}\n{s.logs()[-2500:]}" for s in [*h.workers, h.api]]
    return "\n".join(tails)


@pytest.mark.parametrize("scenario", suite.SCENARIOS)
def test_nothing_lost_nothing_duplicated_every_upload_answered(harness: Any, scenario: str,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    figures = suite.run_scenario(harness, scenario, **SIZES.get(scenario, {}))
    report = suite.table([figures])
    with capsys.disabled():
        print("\n" + report)
    assert figures.ok, report + "\n" + _logs(harness)
    assert figures.accepted >= figures.sent and figures.done + figures.failed == figures.sent, report
