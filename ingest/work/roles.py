"""Role profiles as the service stores them: the JSON of CONTRACT.md section 2, checked by the matching
module's own parser on the way in, so the API, the CLI and `extract --role` accept the same profiles.

    {"id": "...", "title": "...", "responsibilities": [{"id": "R1", "text": "Administer trusts ..."}]}
"""
from __future__ import annotations

from typing import Any

from mappers.matching import RoleProfile, load_role
from mappers.matching.roles import parse_role

__all__ = ["role_profile", "role_json", "load_role_json"]


def role_json(profile: RoleProfile) -> dict[str, Any]:
    """The stored JSON of a checked profile (whitespace normalised as the parser does)."""
    return {"id": profile.id, "title": profile.title,
            "responsibilities": [{"id": r.id, "text": r.text} for r in profile.responsibilities]}


def role_profile(role: dict[str, Any], source: str = "the role profile") -> RoleProfile:
    """The matching module's profile for stored or received JSON (raises RoleError, saying what to fix)."""
    return parse_role(role, source)


def load_role_json(name_or_path: str) -> dict[str, Any]:
    """A built-in role's or a YAML/JSON file's profile, as stored JSON (raises RoleError)."""
    return role_json(load_role(name_or_path))
