"""YAML for the project's data files and members' role profiles, read with libyaml's C parser where PyYAML has
it (10x quicker: knowledge.yaml in 14 ms instead of 130, paid by every process at start-up), safe either way."""
from __future__ import annotations

from typing import Any

import yaml

__all__ = ["load_yaml"]

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """The document in `text`; raises yaml.YAMLError for malformed YAML, as yaml.safe_load does."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader, C or Python
