"""Hostile and broken requests get a 4xx with a JSON error a person can act on, never a 5xx or a bare page:
oversized bodies (declared or not), malformed multipart, odd ids, NUL characters, and a database away (503)."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ingest.api import create_app
from ingest.work.runtime import open_runtime

from .conftest import GOOD_CSV, LIMIT, Api, Recorder, make_settings

BOUNDARY = "cpdfaultsboundary"


def _form(boundary: str, name: str, filename: str, data: bytes, closed: bool = True) -> bytes:
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: text/csv\r\n\r\n").encode()
    return head + data + (f"\r\n--{boundary}--\r\n".encode() if closed else b"")


def _multipart(boundary: str = BOUNDARY) -> dict[str, str]:
    return {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def assert_json_error(response: Any, *status: int) -> dict[str, Any]:
    """A 4xx (one of `status` if given) whose body is {"error": {"code", "message"}} with a real message."""
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:500])
    assert not status or response.status_code in status, (response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("application/json"), response.text[:200]
    error = response.json()["error"]
    assert error["code"] and len(error["message"]) > 20, error
    return error  # type: ignore[no-any-return]


# ---------------------------------------------------------------------------------------------- too large
def test_a_body_declared_over_the_limit_is_413_before_it_is_read(api: Api) -> None:
    body = _form(BOUNDARY, "file", "big.csv", b"x" * (LIMIT + 100 * 1024))
    error = assert_json_error(api.call("POST", "/uploads", "alice", content=body, headers=_multipart()), 413)
    assert error["code"] == "too_large" and "split" in error["message"]


def test_a_file_a_little_over_the_limit_is_413(api: Api) -> None:
    """Within the form's allowance for boundaries, so it is the route's count of the file's bytes that refuses it."""
    response = api.call("POST", "/uploads", "alice", files={"file": ("big.csv", b"x" * (LIMIT + 1), "text/csv")})
    assert assert_json_error(response, 413)["code"] == "too_large"


def test_a_body_sent_without_a_length_is_cut_off_at_the_limit(api: Api) -> None:
    """GIVEN a chunked body (no Content-Length) four times the limit WHEN posted THEN 413 and nothing stored."""
    body = _form(BOUNDARY, "file", "big.csv", b"y" * (4 * LIMIT))
    chunks = (body[i:i + 65536] for i in range(0, len(body), 65536))
    response = api.call("POST", "/uploads", "alice", content=chunks, headers=_multipart())
    assert assert_json_error(response, 413)["code"] == "too_large"
    assert api.call("GET", "/admin/uploads", "admin").json()["items"] == []


def test_a_json_body_over_a_megabyte_is_413(api: Api) -> None:
    role = {"id": "r", "title": "t", "responsibilities": [{"id": f"R{n}", "text": "x" * 1000} for n in range(1500)]}
    response = api.call("PUT", "/members/alice/role", "alice", json=role)
    assert assert_json_error(response, 413)["code"] == "too_large"


# ---------------------------------------------------------------------------------------------- malformed forms
MALFORMED: dict[str, dict[str, Any]] = {
    "no file field": {"files": {"document": ("a.csv", GOOD_CSV, "text/csv")}},
    "file sent as a text field": {"data": {"file": "Title,Date\nA,1/2/2024\n"}},
    "a JSON body": {"json": {"file": "a.csv"}},
    "a plain text body": {"content": GOOD_CSV, "headers": {"Content-Type": "text/csv"}},
    "no body at all": {},
    "multipart without a boundary": {"content": GOOD_CSV, "headers": {"Content-Type": "multipart/form-data"}},
    "a boundary not in the body": {"content": _form("other", "file", "a.csv", GOOD_CSV), "headers": _multipart()},
    "a part never closed": {"content": _form(BOUNDARY, "file", "a.csv", GOOD_CSV, closed=False),
                            "headers": _multipart()},
    "bytes that are no form": {"content": bytes(range(256)) * 8, "headers": _multipart()},
    "an empty file": {"files": {"file": ("empty.csv", b"", "text/csv")}},
    "a filename of 100,000 characters": {"files": {"file": ("a" * 100_000 + ".csv", GOOD_CSV, "text/csv")}},
    "a filename of 300 characters": {"files": {"file": ("b" * 296 + ".csv", GOOD_CSV, "text/csv")}},
    "two thousand fields": {"data": {f"f{n}": "x" for n in range(2000)},
                            "files": {"file": ("a.csv", GOOD_CSV, "text/csv")}},
}


@pytest.mark.parametrize("kwargs", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_upload_is_a_4xx_that_says_how_to_upload(api: Api, kwargs: dict[str, Any]) -> None:
    response = api.call("POST", "/uploads", "alice", **kwargs)
    error = assert_json_error(response)
    assert any(word in error["message"] for word in ("file", "form", "upload")), error
    assert api.call("GET", "/admin/uploads", "admin").json()["items"] == []


def test_a_form_with_two_files_is_400_and_stores_neither(api: Api) -> None:
    """Two parts named `file`: 400 `two_files` saying to send one file per request; nothing stored."""
    files = [("file", ("first.csv", GOOD_CSV, "text/csv")), ("file", ("second.csv", GOOD_CSV + b"\n", "text/csv"))]
    response = api.call("POST", "/uploads", "alice", files=files)
    error = assert_json_error(response, 400)
    assert error["code"] == "two_files" and "one file" in error["message"], error
    assert api.call("GET", "/admin/uploads", "admin").json()["items"] == []
    assert [p for p in api.runtime.settings.blobs.rglob("*") if p.is_file()] == []


# ---------------------------------------------------------------------------------------------- addresses
ODD_ADDRESSES = {
    "an id over 64 bits": ("GET", "/uploads/99999999999999999999999", "admin"),
    "an id of 2**63": ("GET", "/uploads/9223372036854775808", "admin"),
    "an id over 32 bits": ("GET", "/uploads/3000000000", "admin"),
    "reprocess of an id over 64 bits": ("POST", "/admin/uploads/99999999999999999999999/reprocess", "admin"),
    "an upload filter over 64 bits": ("GET", "/members/alice/activities?upload=99999999999999999999", "alice"),
    "a cursor past 64 bits": ("GET", "/members/alice/activities?cursor=YWZ0ZXI6OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5",
                              "alice"),
    "a cursor we did not make": ("GET", "/members/alice/activities?cursor=not-ours", "alice"),
    "a limit of a million": ("GET", "/members/alice/activities?limit=1000000", "alice"),
    "a year of 10**30": ("GET", "/members/alice/summary?year=1000000000000000000000000000000", "alice"),
    "a NUL in a member id": ("GET", "/members/al%00ice/activities", "portal"),
    "a NUL in a filter": ("GET", "/admin/uploads?member=al%00ice", "admin"),
    "a NUL in a cursor": ("GET", "/members/alice/activities?cursor=%00", "alice"),
    "a state that is none": ("GET", "/admin/uploads?state=lost", "admin"),
    "a member id of 10,000 characters": ("GET", "/members/" + "m" * 10_000 + "/activities", "portal"),
}


@pytest.mark.parametrize("method, url, who", ODD_ADDRESSES.values(), ids=ODD_ADDRESSES.keys())
def test_odd_ids_filters_and_cursors_are_4xx_or_nothing_found(api: Api, method: str, url: str, who: str) -> None:
    response = api.call(method, url, who)
    if response.status_code == 200:  # a long member id nobody has: an empty page is a fine answer
        assert response.json()["items"] == []
    else:
        assert_json_error(response)


def test_no_such_address_or_method_is_json(api: Api) -> None:
    assert assert_json_error(api.call("GET", "/nowhere", "alice"), 404)["code"] == "http_404"
    assert assert_json_error(api.call("PUT", "/uploads/1", "alice"), 405)["code"] == "http_405"


# ---------------------------------------------------------------------------------------------- database away
@pytest.fixture()
def api_without_database(tmp_path: Path) -> Iterator[TestClient]:
    """The API pointed at a PostgreSQL that is not there (a loopback port nobody listens on)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = make_settings(tmp_path / "var", database_url=f"postgresql://postgres@127.0.0.1:{port}/cpd")
    runtime = open_runtime(settings, run_migrations=False)
    with TestClient(create_app(settings, runtime=runtime, dispatcher=Recorder()),
                    raise_server_exceptions=False) as client:
        yield client
    runtime.close()


@pytest.mark.parametrize("method, url", [("GET", "/uploads/1"), ("POST", "/uploads"),
                                         ("GET", "/members/alice/activities"), ("POST", "/admin/reprocess")])
def test_the_database_away_is_a_503_to_send_again(api_without_database: TestClient, method: str, url: str) -> None:
    kwargs: dict[str, Any] = {"files": {"file": ("a.csv", GOOD_CSV, "text/csv")}} if url == "/uploads" else {}
    response = api_without_database.request(method, url, headers={"Authorization": "Bearer cpd_x"}, **kwargs)
    assert response.status_code == 503 and response.headers.get("retry-after")
    error = response.json()["error"]
    assert error["code"] == "unavailable" and "again" in error["message"]

