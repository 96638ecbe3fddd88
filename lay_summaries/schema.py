"""A small declarative schema for front matter and data files.

Validation walks the data once, reports every problem (missing, unknown, wrong type) with
the line of the offending key, and returns plain Python values ready for the records.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from typing import Any, Mapping

from lay_summaries.errors import Problem
from lay_summaries.sourcefile import KeyPath, YamlDoc

KINDS = ("text", "id", "int", "date", "bool", "list", "map", "person")


@dataclass(frozen=True)
class Field:
    """What one key may hold. ``kind`` is one of KINDS."""

    kind: str
    required: bool = True
    items: Field | None = None  # the schema of each item, for kind "list"
    fields: Mapping[str, Field] | None = None  # the keys, for kind "map"
    min_items: int = 0
    max_items: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown field kind {self.kind!r}")


def optional(field: Field) -> Field:
    return Field(field.kind, False, field.items, field.fields, field.min_items, field.max_items)


def dotted(path: KeyPath) -> str:
    """('abstract', 1, 'label') -> 'abstract[2].label' (items counted from 1, as people count)."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(sorted(choices))}"


_KIND_WORDS = {
    "text": "text",
    "id": "text or a number",
    "int": "a whole number",
    "date": "a date like 2026-11-23",
    "bool": "true or false",
    "list": "a list",
    "map": "a set of 'key: value' lines",
    "person": "a name, or 'name:' and 'role:'",
}


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of keys"
    return repr(value)


@dataclass
class Validator:
    """Collects problems while converting ``doc.data`` according to a map of fields."""

    doc: YamlDoc
    display: str

    def __post_init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, path: KeyPath, message: str) -> None:
        self.problems.append(Problem(self.display, self.doc.line(path), message))

    def check_map(self, data: Any, fields: Mapping[str, Field], path: KeyPath = ()) -> dict[str, Any]:
        if not isinstance(data, dict):
            where = dotted(path) or "the front matter"
            self.problem(path, f"{where} must be {_KIND_WORDS['map']}, got {_shown(data)}")
            return {}
        out: dict[str, Any] = {}
        for key in data:
            if key not in fields:
                hint = did_you_mean(str(key), list(fields))
                self.problem(path + (key,), f"unknown key '{dotted(path + (key,))}'{hint}")
        for name, field in fields.items():
            if name not in data or data[name] is None:
                if field.required:
                    self.problem(path, f"missing required key '{dotted(path + (name,))}'")
                out[name] = None
                continue
            out[name] = self.check(data[name], field, path + (name,))
        return out

    def check(self, value: Any, field: Field, path: KeyPath) -> Any:
        name = dotted(path)
        kind = field.kind
        if kind == "text":
            if not isinstance(value, str):
                return self._wrong(path, kind, value)
            if not value.strip():
                self.problem(path, f"{name} must not be empty")
            return value.strip()
        if kind == "id":
            if isinstance(value, bool) or not isinstance(value, (str, int)):
                return self._wrong(path, kind, value)
            return str(value).strip()
        if kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                return self._wrong(path, kind, value)
            return value
        if kind == "bool":
            if not isinstance(value, bool):
                return self._wrong(path, kind, value)
            return value
        if kind == "date":
            if isinstance(value, dt.datetime):
                return value.date()
            if isinstance(value, dt.date):
                return value
            if isinstance(value, str):
                try:
                    return dt.date.fromisoformat(value.strip())
                except ValueError:
                    pass
            return self._wrong(path, kind, value)
        if kind == "person":
            if isinstance(value, str) and value.strip():
                return {"name": value.strip(), "role": None}
            if isinstance(value, dict):
                return self.check_map(value, PERSON_FIELDS, path)
            return self._wrong(path, kind, value)
        if kind == "map":
            assert field.fields is not None
            return self.check_map(value, field.fields, path)
        # list
        if isinstance(value, str) and field.items is not None and field.items.kind in ("text", "person"):
            value = [value]  # a single item may be written without the list
        if not isinstance(value, list):
            return self._wrong(path, kind, value)
        if len(value) < field.min_items:
            self.problem(path, f"{name} needs at least {field.min_items} item(s), got {len(value)}")
        if field.max_items is not None and len(value) > field.max_items:
            self.problem(path, f"{name} allows at most {field.max_items} item(s), got {len(value)}")
        assert field.items is not None
        return [self.check(item, field.items, path + (index,)) for index, item in enumerate(value)]

    def _wrong(self, path: KeyPath, kind: str, value: Any) -> None:
        self.problem(path, f"{dotted(path)} must be {_KIND_WORDS[kind]}, got {_shown(value)}")
        return None


PERSON_FIELDS: Mapping[str, Field] = {
    "name": Field("text"),
    "role": Field("text", required=False),
}


def validate(doc: YamlDoc, fields: Mapping[str, Field], display: str) -> tuple[dict[str, Any], list[Problem]]:
    """Check ``doc`` against ``fields``; return the converted values and every problem."""
    validator = Validator(doc, display)
    values = validator.check_map(doc.data, fields)
    return values, validator.problems
