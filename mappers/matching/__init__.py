"""Role benchmarking and ethics: map activities to a member's role responsibilities and to ethics topics.

    from mappers.matching import Matcher, load_role
    matcher = Matcher(load_role("tax-adviser"))          # Matcher(None): ethics only
    [(responsibilities, ethics)] = matcher.match_many([("IHT on lifetime gifts", None, None)])

Knowledge lives in data (mappers/data/knowledge.yaml, ethics_topics.yaml, roles/*.yaml); the modules:
roles (profiles), knowledge (data loading), text (spaCy analysis), concepts (concept similarity),
scoring (vectorised scores), matcher (the Matcher and its explanations).
"""
from __future__ import annotations

from mappers.matching.matcher import Matcher
from mappers.matching.roles import Responsibility, RoleError, RoleProfile, builtin_roles, load_role, parse_role

__all__ = ["Matcher", "RoleProfile", "Responsibility", "RoleError", "load_role", "builtin_roles", "parse_role"]
