"""Role profiles (CONTRACT.md section 2): the built-in ones in mappers/data/roles and members' own files.

A profile is `{"id": "...", "title": "...", "responsibilities": [{"id": "R1", "text": "..."}]}` written
as YAML or JSON. `load_role` takes a built-in name (e.g. "tax-adviser") or the path of a .yaml, .yml or
.json file. Anything unusable raises `RoleError`, whose message says what is wrong and how to fix it.
Extra keys are ignored (the format only grows by adding).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from mappers.datafiles import load_yaml

__all__ = ["Responsibility", "RoleProfile", "RoleError", "load_role", "builtin_roles", "parse_role"]

ROLES_DIR = Path(__file__).resolve().parent.parent / "data" / "roles"
ROLE_SUFFIXES = (".yaml", ".yml", ".json")
MAX_ROLE_FILE_BYTES = 1_000_000
MAX_RESPONSIBILITIES = 200
MAX_TEXT_CHARS = 2_000
_EXAMPLE = '{"id": "tax-adviser", "title": "Tax Adviser", "responsibilities": [{"id": "R1", "text": "Advise on inheritance tax"}]}'


class RoleError(ValueError):
    """A role profile that cannot be used; the message says what is wrong and how to fix it."""


@dataclass(frozen=True, slots=True)
class Responsibility:
    id: str
    text: str


@dataclass(frozen=True, slots=True)
class RoleProfile:
    id: str
    title: str
    responsibilities: tuple[Responsibility, ...]


def builtin_roles() -> list[RoleProfile]:
    """Every built-in role profile, ordered by id."""
    return list(_builtin_roles())


def load_role(name_or_path: str) -> RoleProfile:
    """The built-in role called `name_or_path`, else the profile in the YAML or JSON file at that path."""
    builtins = {role.id: role for role in _builtin_roles()}
    key = name_or_path.strip().lower().replace(" ", "-").replace("_", "-")
    if key in builtins:
        return builtins[key]
    path = Path(name_or_path).expanduser()
    if path.suffix.lower() in ROLE_SUFFIXES or path.exists():
        return _load_file(path)
    raise RoleError(
        f"Unknown role '{name_or_path}': give the name of a built-in role ({', '.join(sorted(builtins))}) "
        "or the path of a .yaml, .yml or .json role profile file."
    )


def parse_role(data: object, source: str) -> RoleProfile:
    """The profile in already-parsed YAML/JSON `data`; `source` names where it came from in messages."""
    if not isinstance(data, dict):
        raise RoleError(
            f"{source}: a role profile must be a mapping with the keys id, title and responsibilities, "
            f"for example {_EXAMPLE}; found {_kind(data)}."
        )
    role_id = _text_field(data, "id", source, "an id such as 'tax-adviser'")
    title = _text_field(data, "title", source, "a title such as 'Private Client Tax Adviser'")
    items = data.get("responsibilities")
    if not isinstance(items, list) or not items:
        raise RoleError(
            f"{source}: 'responsibilities' must be a non-empty list of {{id, text}} entries, "
            f"for example [{{\"id\": \"R1\", \"text\": \"Advise on inheritance tax\"}}]; found {_kind(items)}."
        )
    if len(items) > MAX_RESPONSIBILITIES:
        raise RoleError(
            f"{source}: {len(items)} responsibilities is more than the {MAX_RESPONSIBILITIES} allowed; "
            "merge related responsibilities into fewer, broader ones."
        )
    responsibilities = tuple(_responsibility(item, n, source) for n, item in enumerate(items, start=1))
    _check_unique_ids(responsibilities, source)
    return RoleProfile(id=role_id, title=title, responsibilities=responsibilities)


@lru_cache(maxsize=1)
def _builtin_roles() -> tuple[RoleProfile, ...]:
    roles = [_load_file(path) for path in sorted(ROLES_DIR.glob("*.yaml"))]
    return tuple(sorted(roles, key=lambda role: role.id))


def _load_file(path: Path) -> RoleProfile:
    if path.suffix.lower() not in ROLE_SUFFIXES:
        raise RoleError(f"{path}: a role profile file must end in .yaml, .yml or .json; rename it or convert it.")
    if not path.is_file():
        raise RoleError(f"{path}: no such role profile file; check the path, or use a built-in role name.")
    if path.stat().st_size > MAX_ROLE_FILE_BYTES:
        raise RoleError(f"{path}: the file is larger than {MAX_ROLE_FILE_BYTES:,} bytes; a role profile is a short list.")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RoleError(f"{path}: the file is not UTF-8 text ({exc.reason}); save it as UTF-8.") from exc
    return parse_role(_parse_text(text, path), str(path))


def _parse_text(text: str, path: Path) -> object:
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise RoleError(f"{path}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}; fix the syntax.") from exc
    try:
        return load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise RoleError(f"{path}: not valid YAML{where}: {problem}; fix the syntax (quote texts that contain ': ').") from exc


def _text_field(data: dict[object, object], key: str, source: str, hint: str) -> str:
    value = data.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        found = "it is missing" if key not in data else f"found {_kind(value)}"
        raise RoleError(f"{source}: '{key}' must be a non-empty text ({found}); add {hint}.")
    return " ".join(value.split())


def _responsibility(item: object, number: int, source: str) -> Responsibility:
    where = f"{source}: responsibility {number}"
    if not isinstance(item, dict):
        raise RoleError(f"{where} must be a mapping with an id and a text, e.g. {{id: R{number}, text: ...}}; found {_kind(item)}.")
    rid = _text_field(item, "id", where, f"an id such as 'R{number}'")
    text = _text_field(item, "text", where, "the text of the responsibility")
    if len(text) > MAX_TEXT_CHARS:
        raise RoleError(f"{where} ('{rid}') has a text of {len(text)} characters, over {MAX_TEXT_CHARS}; shorten it or split it.")
    return Responsibility(id=rid, text=text)


def _check_unique_ids(responsibilities: tuple[Responsibility, ...], source: str) -> None:
    seen: set[str] = set()
    for item in responsibilities:
        if item.id in seen:
            raise RoleError(f"{source}: responsibility id '{item.id}' is used more than once; give each responsibility its own id.")
        seen.add(item.id)


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return f"the text '{value[:40]}'" if value.strip() else "an empty text"
    return f"a {type(value).__name__}"
