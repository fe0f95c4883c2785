"""POST /admin/reprocess {"older_than": ...} takes only an extractor version no newer than the current one
(issue 18, item 5): anything else is 400 `bad_version` that says what is taken, never a 500, and nothing is
queued; the command line refuses the same with exit status 2."""
from __future__ import annotations

import pytest

from ingest.work.pipeline import EXTRACTOR_VERSION

from .conftest import GOOD_CSV, Api
from .test_api_hostile import assert_json_error

NOT_VERSIONS = {
    "5,000 digits": "9" * 5000,
    "a version above the current one": "999",
    "letters": "latest",
    "an empty string": "",
    "a negative number": "-1",
    "dots only": "...",
    "a NUL": "1\x00",
    "a float in exponent form": "1e9",
    "too many parts": "1.2.3.4.5",
    "a part of seven digits": "1.1234567",
}


@pytest.mark.parametrize("older_than", NOT_VERSIONS.values(), ids=NOT_VERSIONS.keys())
def test_older_than_that_is_no_version_is_400_bad_version(api: Api, older_than: str) -> None:
    upload = api.call("POST", "/uploads", "alice", files={"file": ("a.csv", GOOD_CSV, "text/csv")}).json()
    response = api.call("POST", "/admin/reprocess", "admin", json={"older_than": older_than})
    error = assert_json_error(response, 400)
    assert error["code"] == "bad_version" and EXTRACTOR_VERSION in error["message"], error
    assert len(error["message"]) < 400  # a 5,000-digit value is not echoed whole
    assert api.call("GET", f"/uploads/{upload['id']}", "admin").json()["attempts"] == 0
    assert api.client.app.state.dispatcher.sent == [upload["id"]]  # the upload itself, nothing more


@pytest.mark.parametrize("older_than", [EXTRACTOR_VERSION, "0", "0.5"])
def test_a_version_up_to_the_current_one_is_taken(api: Api, older_than: str) -> None:
    response = api.call("POST", "/admin/reprocess", "admin", json={"older_than": older_than})
    assert response.status_code == 202 and response.json() == {"queued": 0, "ids": []}
