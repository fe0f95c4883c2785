"""`cpd-evidence serve` (and a redis-server) as subprocesses of a test, on free loopback ports, optionally run as
another user (`setpriv`, so root's override of file permissions does not apply); each stopped by its own PID."""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def wait_for(check: Callable[[], Any], seconds: float, what: str, every: float = 0.2) -> Any:
    """`check()`'s first truthy value within `seconds`, else an AssertionError naming `what`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"{what}: not within {seconds:.0f} s")


def as_user(user: str | None) -> list[str]:
    """The argv prefix that runs a command as `user` (None: as ourselves)."""
    if user is None:
        return []
    setpriv = shutil.which("setpriv")
    assert setpriv, "setpriv (util-linux) is needed to run the server as another user"
    return [setpriv, f"--reuid={user}", f"--regid={user if user != 'nobody' else 'nogroup'}", "--clear-groups"]


def service_env(**cpd: str) -> dict[str, str]:
    """This environment without our own CPD_* variables, plus `cpd` (names without the CPD_ prefix)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CPD_")}
    env.update({f"CPD_{k.upper()}": v for k, v in cpd.items()}, PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1")
    return env


def cli(env: dict[str, str], *args: str, user: str | None = None) -> str:
    """Run `cpd-evidence ARGS` and return its stdout (the test fails with its stderr on a non-zero exit)."""
    done = subprocess.run([*as_user(user), sys.executable, "-m", "ingest", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


class Process:
    """A subprocess in its own session, logged to a file; `stop` ends it (and only it) by its PID."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        with log.open("wb") as out:
            self.proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                         start_new_session=True)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def logs(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self, grace: float = 20) -> None:
        """SIGTERM, and SIGKILL after `grace` seconds (a server finishes the file it is reading before it ends;
        a test whose uploads' reading does not matter gives a short grace: the leases bring them back anyway)."""
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)


class ApiServer(Process):
    """`cpd-evidence serve` on a free port; `url` once it answers."""

    def __init__(self, env: dict[str, str], log: Path, user: str | None = None) -> None:
        self.port = free_port()
        super().__init__([*as_user(user), sys.executable, "-m", "ingest", "serve", "--host", HOST, "--port",
                          str(self.port)], env, log)
        self.url = f"http://{HOST}:{self.port}"
        wait_for(self._up, 90, f"the API answering on {self.url}\n{self.logs()[-2000:]}")

    def _up(self) -> bool:
        if self.proc.poll() is not None:
            raise AssertionError(f"the API exited with {self.proc.returncode}:\n{self.logs()[-3000:]}")
        with contextlib.suppress(httpx.TransportError):
            return httpx.get(f"{self.url}/openapi.json", timeout=2).status_code == 200
        return False


class RedisServer(Process):
    """A redis-server of the test's own, keeping nothing on disk."""

    def __init__(self, workdir: Path) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not on PATH (apt install redis-server)"
        self.port = free_port()
        super().__init__([binary, "--port", str(self.port), "--bind", HOST, "--save", "", "--appendonly", "no",
                          "--dir", str(workdir)], dict(os.environ), workdir / "redis.log")
        self.url = f"redis://{HOST}:{self.port}/0"
        wait_for(self._up, 20, "redis-server listening")

    def _up(self) -> bool:
        with socket.socket() as s:
            s.settimeout(0.5)
            return s.connect_ex((HOST, self.port)) == 0


def rss_kib(pid: int, field: str = "VmRSS") -> int:
    """A process's resident memory from /proc (VmRSS now, VmHWM its peak so far), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"/proc/{pid}/status has no {field}")
