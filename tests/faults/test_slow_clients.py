"""`serve` bounds what a client may hold (issue 18, item 5): a connection whose request headers are not complete
within CPD_HEADER_TIMEOUT_SECONDS is closed (slowloris), a header block over MAX_HEADER_BYTES is refused, and a
client that sends its request promptly is answered as before. Against a real `cpd-evidence serve`."""
from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.cli.serving import MAX_HEADER_BYTES

from .servers import HOST, ApiServer, service_env


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    base = tmp_path_factory.mktemp("slow")
    api = ApiServer(service_env(data_dir=str(base / "var"), header_timeout_seconds="2"), base / "api.log")
    yield api
    api.stop()


def _closed_within(conn: socket.socket, seconds: float) -> float | None:
    """Seconds until the server closed the connection (recv gives b""), or None if it is still open."""
    conn.settimeout(seconds)
    start = time.monotonic()
    try:
        while conn.recv(4096):
            pass
    except TimeoutError:
        return None
    except ConnectionResetError:
        pass
    return time.monotonic() - start


def _response(conn: socket.socket) -> bytes:
    """One whole HTTP response (headers and a body of its Content-Length) from the connection."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += conn.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length"))
    while len(body) < length:
        body += conn.recv(65536)
    return data


@pytest.mark.slow
def test_a_client_trickling_its_headers_is_closed(server: ApiServer) -> None:
    """GIVEN a client that sends a request line and then a header every second WHEN its headers are not complete
    after the 2 s deadline THEN the server closes the connection, and says so in its log."""
    with socket.create_connection((HOST, server.port), timeout=10) as conn:
        conn.sendall(b"GET /openapi.json HTTP/1.1\r\nHost: x\r\n")
        start = time.monotonic()
        closed = False
        for n in range(15):
            time.sleep(1)
            try:
                conn.sendall(f"X-Slow-{n}: a\r\n".encode())
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
        waited = _closed_within(conn, 5) if not closed else 0.0
        assert closed or waited is not None, "the server kept a trickling connection open for 15 s"
        assert time.monotonic() - start < 20
    assert "request headers took over 2 s" in server.logs()


@pytest.mark.slow
def test_a_prompt_client_on_a_kept_alive_connection_is_answered(server: ApiServer) -> None:
    """Two requests on one connection, each sent whole: both answered; then the idle connection is closed."""
    with socket.create_connection((HOST, server.port), timeout=10) as conn:
        for _ in range(2):
            conn.sendall(b"GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n")
            answer = _response(conn)
            assert answer.startswith(b"HTTP/1.1 404"), answer[:200]
        assert _closed_within(conn, 15) is not None


@pytest.mark.slow
def test_headers_over_the_limit_are_refused(server: ApiServer) -> None:
    """A header block still incomplete past MAX_HEADER_BYTES (sent in parts, as a slow or hostile client does):
    a 4xx answer, the headers never buffered without bound."""
    with socket.create_connection((HOST, server.port), timeout=10) as conn:
        conn.sendall(b"GET /openapi.json HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (MAX_HEADER_BYTES + 1024))
        time.sleep(0.5)
        try:
            conn.sendall(b"a" * 1024 + b"\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = conn.recv(65536)
        assert answer.startswith(b"HTTP/1.1 4"), answer[:200]
