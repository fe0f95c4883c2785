"""Development areas from the knowledge base (mappers/data/frameworks.yaml `development_areas`): the first area
whose terms the title or description names, else technical; always with the reason."""
from __future__ import annotations

import pytest

from mappers.areas import AREAS, area_of


@pytest.mark.parametrize(("title", "description", "area", "term"), [
    ("Leadership for new managers", None, "management", "leadership"),
    ("Line-management essentials", None, "management", "line management"),
    ("Business Development and marketing for trust practices", None, "business", "business development"),
    ("Pricing your services", "Commercial awareness for private client teams", "business", "pricing"),
    ("Time management and resilience", None, "personal", "time management"),
    ("Webinar", "Presentation skills: presenting with confidence", "personal", "presentation skills"),
    ("Wellbeing at work", None, "personal", "wellbeing"),
    ("Inheritance tax planning for trusts", None, "technical", None),
    ("Professional ethics and conflicts of interest", None, "technical", None),
    ("Salesforce for beginners", None, "technical", None),  # "sales" only as a whole word
])
def test_area_and_reason(title: str, description: str | None, area: str, term: str | None) -> None:
    found = area_of({"title": title, "description": description})
    assert found.area == area and found.area in AREAS
    if term is None:
        assert "counts as technical" in found.reason
    else:
        assert f"names '{term}'" in found.reason
