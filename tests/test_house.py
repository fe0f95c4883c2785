"""The house (README "The house"): ingest's rooms import one way, with no circle and nothing importing
worker.py (import-linter's contracts in pyproject.toml), and each room's package says what it owns, what it
may import, and what each of its public names does."""
from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
from pathlib import Path

import pytest
from importlinter.cli import lint_imports

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("ingest", "ingest.api", "ingest.cli", "ingest.work", "ingest.year", "ingest.year.export", "ingest.store",
            "ingest.audit")


def test_imports_keep_the_contracts() -> None:
    """Every contract of [tool.importlinter] is kept (the linter prints the broken import chains otherwise)."""
    assert lint_imports(config_filename=str(REPO / "pyproject.toml"), no_cache=True, no_logo=True) == 0


@pytest.mark.parametrize("name", PACKAGES)
def test_each_room_says_what_it_owns_and_what_it_may_import(name: str) -> None:
    package = importlib.import_module(name)
    doc = inspect.getdoc(package) or ""
    assert len(doc.splitlines()) >= 3, f"{name} has no docstring saying what it owns"
    assert name == "ingest" or "May import:" in doc, f"{name}: the docstring does not say what it may import"


@pytest.mark.parametrize("name", PACKAGES)
def test_every_public_name_of_a_package_has_its_own_docstring(name: str) -> None:
    """Functions and classes named in the package's `__all__`, each loaded through the package itself."""
    package = importlib.import_module(name)
    undocumented = []
    for public in getattr(package, "__all__", ()):
        value = getattr(package, public)
        if (inspect.isfunction(value) or inspect.isclass(value)) and value.__module__.startswith("ingest"):
            if not (value.__dict__.get("__doc__") if inspect.isclass(value) else value.__doc__):
                undocumented.append(public)
    assert undocumented == [], f"{name}: no docstring on {undocumented}"


def test_xdist_groups_keep_their_tests_on_one_worker(tmp_path: Path) -> None:
    """`make test` runs with -n auto --dist loadgroup, and the costly shared fixtures (the fault suite's services,
    the corpus's predictions, the hostile files' processes) rely on each xdist_group running on one worker.
    A pytest and pytest-xdist pair that silently stops grouping (pytest 9.2 with xdist 3.8) made each of those
    run once per worker; this fails on such a pair."""
    (tmp_path / "test_grouped.py").write_text(
        "import os, pytest\n"
        "pytestmark = pytest.mark.xdist_group('together')\n"
        "@pytest.mark.parametrize('n', range(8))\n"
        "def test_n(n):\n"
        "    with open(os.path.join(os.path.dirname(__file__), 'workers.txt'), 'a') as f:\n"
        "        f.write(os.environ['PYTEST_XDIST_WORKER'] + '\\n')\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-n", "2", "--dist", "loadgroup", "-p", "no:randomly",
                           "-p", "no:cacheprovider", str(tmp_path)], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    workers = (tmp_path / "workers.txt").read_text().split()
    assert len(workers) == 8 and len(set(workers)) == 1, workers
