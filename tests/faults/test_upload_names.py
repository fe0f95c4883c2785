"""An uploaded file's name never touches a path: the bytes are stored by their sha256 under the blob folder,
nothing is written outside CPD_DATA_DIR, and the name comes back exactly as given."""
from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ingest.api import create_app
from ingest.work.runtime import open_runtime

from .conftest import Api, make_settings

# (A name with a drive letter, "C:\\x.csv", is cut to "x.csv" by the multipart parser itself, and a line
# break is sent percent-encoded by the client: neither comes back as typed, so neither is here.)
NAMES = ["../../etc/passwd.csv", "../../../../../../tmp/cpd-escape.csv", "/etc/cpd-absolute.csv",
         "..\\..\\Windows\\System32\\cpd.csv", "sub/dir/record.csv", "~/.bashrc.csv"]


@pytest.fixture()
def deep_api(tmp_path: Path) -> Iterator[tuple[Api, Path]]:
    """The API with its data folder four levels down in tmp_path, reading uploads in the request (inline),
    so a name used as a path by the API or by the worker's read would land in tmp_path, outside it."""
    data_dir = tmp_path / "a" / "b" / "c" / "var"
    runtime = open_runtime(make_settings(data_dir))
    with TestClient(create_app(runtime.settings, runtime=runtime, dispatcher="inline")) as client:
        yield Api(client, runtime), data_dir
    runtime.close()


def _csv(name: str) -> bytes:
    return f"Title,Completion Date,Hours\nRecord kept as {name!r},15/05/2024,1\n".encode()


@pytest.mark.parametrize("name", NAMES)
def test_an_uploads_name_is_only_a_name(deep_api: tuple[Api, Path], tmp_path: Path, name: str) -> None:
    """GIVEN a file uploaded as `name` WHEN it is stored and read THEN its blob is blobs/<sha[:2]>/<sha>, every
    file written is inside the data folder, and GET /uploads/{id} gives the name back as sent."""
    api, data_dir = deep_api
    data = _csv(name)
    before = _outside(tmp_path, data_dir)
    response = api.call("POST", "/uploads", "alice", files={"file": (name, data, "text/csv")})
    assert response.status_code == 202, response.text
    upload = api.call("GET", f"/uploads/{response.json()['id']}", "alice").json()
    assert (upload["filename"], upload["state"], upload["activity_count"]) == (name, "done", 1)
    sha = hashlib.sha256(data).hexdigest()
    assert (data_dir / "blobs" / sha[:2] / sha).read_bytes() == data
    assert _outside(tmp_path, data_dir) == before
    blob_files = [p for p in (data_dir / "blobs").rglob("*") if p.is_file()]
    assert [p.name for p in blob_files] == [sha]
    (activity,) = api.call("GET", "/members/alice/activities", "alice").json()["items"]
    assert activity["source"]["filename"] == name


SHOWN = {"record.csv\u202egpj.exe": "record.csv\ufffdgpj.exe", "a\u2066b\u200f.csv": "a\ufffdb\ufffd.csv",
         "del\x7fhere\x1b[31m\x85.csv": "del\ufffdhere\ufffd[31m\ufffd.csv", "caf\u00e9 \u05d0.csv": "caf\u00e9 \u05d0.csv"}


@pytest.mark.parametrize("name", SHOWN)
def test_control_and_direction_characters_in_a_name_are_neutralised(deep_api: tuple[Api, Path], name: str) -> None:
    """GIVEN a name with a right-to-left override, isolates, a tab or an escape WHEN it is uploaded THEN the
    upload and its activities show each such character as U+FFFD (letters of any script are kept)."""
    api, _data_dir = deep_api
    response = api.call("POST", "/uploads", "alice", files={"file": (name, _csv("x"), "text/csv")})
    assert response.status_code == 202, response.text
    assert response.json()["filename"] == SHOWN[name]
    (activity,) = api.call("GET", "/members/alice/activities", "alice").json()["items"]
    assert activity["source"]["filename"] == SHOWN[name]


def test_nothing_lands_at_the_names_target() -> None:
    """The absolute targets the names above point at were never written (checked after those tests ran)."""
    for target in ("/etc/passwd.csv", "/tmp/cpd-escape.csv", "/etc/cpd-absolute.csv"):
        assert not Path(target).exists(), target


def _outside(root: Path, inside: Path) -> set[Path]:
    """Every file under `root` that is not under `inside`."""
    return {p for p in root.rglob("*") if p.is_file() and inside not in p.parents}
