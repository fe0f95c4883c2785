"""A file's learner matched to a member's display name (mappers.learner.same_person)."""
from __future__ import annotations

import pytest

from mappers.learner import same_person


@pytest.mark.parametrize("learner, name, same", [
    ("Olivia Hughes", "Olivia Hughes", True),
    ("Hughes, Olivia", "Olivia Hughes", True),
    ("OLIVIA HUGHES", "Olivia Hughes", True),
    ("Olivia Jane Hughes", "Olivia Hughes", True),
    ("olivia.hughes@harbourtrust.example", "Olivia Hughes", True),
    ("Zoë Brontë", "Zoe Bronte", True),
    ("Ravi Patel", "Olivia Hughes", False),
    ("Olivia Patel", "Olivia Hughes", False),
    ("ravi.patel@harbourtrust.example", "Olivia Hughes", False),
    ("ohughes", "Olivia Hughes", None),        # a user name: cannot tell
    ("HTC-00412", "Olivia Hughes", None),      # an id
    (None, "Olivia Hughes", None),
    ("Olivia Hughes", None, None),
])
def test_same_person(learner: str | None, name: str | None, same: bool | None) -> None:
    assert same_person(learner, name) is same
