"""The pages in a real browser: `cpd-evidence serve` on the embedded default (SQLite and a blob folder, no
broker) in a process of its own on a free loopback port, and headless Chromium driven by Selenium through
Debian's chromedriver (`make browser` installs both; the tests fail, never skip, without them).

Screenshots: every page the tests visit is saved as a PNG in the test's folder; with CPD_SCREENSHOTS=DIR they
are copied into DIR too (`CPD_SCREENSHOTS=docs make test` refreshes the README's pictures).
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from ingest.settings import Settings
from ingest.store import create_token
from ingest.work.runtime import open_runtime

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"

CHROMIUM = os.environ.get("CPD_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CPD_CHROMEDRIVER", "/usr/bin/chromedriver")
DEADLINE = 60.0   # seconds for the service to start, or a file to be read


@dataclass
class Site:
    """The running service: its address, a member's and an admin's token, its log, and a folder for downloads."""

    url: str
    tokens: dict[str, str]
    log: Path
    downloads: Path
    shots: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def _serve(base: Path, port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`python -m ingest serve` in its own process group; stopped (TERM, then KILL) by its PID."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CPD_")}
    env.update({"CPD_DATA_DIR": str(base / "var"), "PYTHONPATH": str(REPO), "CPD_SWEEP_SECONDS": "2"})
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "ingest", "serve", "--port", str(port)], cwd=REPO, env=env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A fresh service for the module's tests, with tokens for members alice and bob and an admin."""
    base = tmp_path_factory.mktemp("site")
    # The schema at head, and the tokens, before serve starts (on the same folder, whatever CPD_* is set here).
    runtime = open_runtime(Settings(data_dir=base / "var", database_url=None, broker_url=None, blob_dir=None))
    with runtime.sessions() as session, session.begin():
        tokens = {"alice": create_token(session, "member", "alice"), "bob": create_token(session, "member", "bob"),
                  "admin": create_token(session, "admin")}
    runtime.close()
    port, log = _free_port(), base / "serve.log"
    url = f"http://127.0.0.1:{port}"
    with _serve(base, port, log) as proc:
        deadline = time.monotonic() + DEADLINE
        while True:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{url}/signin", timeout=5).status_code == 200:
                    break
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")[-3000:]
            time.sleep(0.2)
        downloads, shots = base / "downloads", base / "shots"
        downloads.mkdir()
        shots.mkdir()
        yield Site(url, tokens, log, downloads, shots)


def _driver(downloads: Path, width: int, height: int) -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    for path in (CHROMIUM, CHROMEDRIVER):
        if not Path(path).is_file():
            pytest.fail(f"{path} is missing: run 'make browser' (it installs Debian's chromium and chromium-driver).")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                f"--window-size={width},{height}", "--lang=en-GB", "--disable-extensions"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False,
                                              "safebrowsing.enabled": False})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.set_page_load_timeout(30)
    return driver


@pytest.fixture()
def browser(site: Site) -> Iterator[Any]:
    """Headless Chromium at a desktop's size."""
    driver = _driver(site.downloads, 1280, 900)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture()
def phone(site: Site) -> Iterator[Any]:
    """Headless Chromium at a phone's size (390 x 844 CSS pixels)."""
    driver = _driver(site.downloads, 390, 844)
    try:
        yield driver
    finally:
        driver.quit()


def screenshot(driver: Any, site: Site, name: str) -> Path:
    """The whole page (not only the window) as `name`.png in the site's folder, and in CPD_SCREENSHOTS."""
    import base64

    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
    path = site.shots / f"{name}.png"
    path.write_bytes(base64.b64decode(shot["data"]))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    target = os.environ.get("CPD_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, Path(target) / path.name)
    return path


def wait_for(what: Callable[[], Any], message: Callable[[], str], deadline: float = DEADLINE) -> Any:
    """Poll `what` until it gives something true, at most `deadline` seconds; then fail with `message()`."""
    end = time.monotonic() + deadline
    while True:
        with contextlib.suppress(Exception):
            found = what()
            if found:
                return found
        if time.monotonic() > end:
            raise AssertionError(message())
        time.sleep(0.25)
