"""spaCy without its command line (import spaCy through here: `from mappers.lightspacy import spacy`): `import spacy` runs `from .cli.info import info`, which imports spaCy's
whole CLI (weasel, jinja2, requests, typer, rich): a third of `import spacy` (0.5 of 1.5 s CPU measured with
-X importtime on this machine), for a function we never call.

Importing this module imports spaCy with `spacy.cli` and `spacy.cli.info` held by stand-ins for the length of
that import only; `spacy.info` then imports the real one on its first call, and `import spacy.cli` afterwards
finds the real package, as the stand-ins are gone. Where spaCy is already imported, nothing is done.
"""
from __future__ import annotations

import sys
import types
from typing import Any

__all__ = ["spacy"]


def _info(*args: Any, **kwargs: Any) -> Any:
    from spacy.cli.info import info

    return info(*args, **kwargs)


def _import() -> types.ModuleType:
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    package, module = types.ModuleType("spacy.cli"), types.ModuleType("spacy.cli.info")
    setattr(module, "info", _info)
    stand_ins = {"spacy.cli": package, "spacy.cli.info": module}
    for name, stand_in in stand_ins.items():
        sys.modules.setdefault(name, stand_in)
    try:
        import spacy as imported
    finally:
        for name, stand_in in stand_ins.items():
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]
        loaded = sys.modules.get("spacy")
        if loaded is not None and getattr(loaded, "cli", None) is package:
            delattr(loaded, "cli")
    return imported


spacy = _import()
