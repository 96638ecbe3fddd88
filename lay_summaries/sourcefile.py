"""Read a source file: UTF-8 text, YAML front matter with the line of every key, and the body.

PyYAML's composer knows where every node starts; we keep that, so a problem in the
front matter can be reported at the line of the key that caused it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml

from lay_summaries.errors import ContentError, Problem

KeyPath = tuple[Any, ...]

# libyaml's loader when PyYAML was built with it (about ten times faster); same nodes and marks.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class YamlDoc:
    """Parsed YAML data plus the 1-based line of each key path (``("source", "year")``)."""

    data: Any
    lines: Mapping[KeyPath, int] = field(default_factory=dict)

    def line(self, path: KeyPath, default: int = 1) -> int:
        """The line of ``path``, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), default)


@dataclass(frozen=True)
class SourceFile:
    """A Markdown file split into front matter and body."""

    path: str
    meta: YamlDoc
    body: str
    body_line: int  # 1-based line of the first body line in the file
    digest: str = ""  # of the whole text: everything a record holds comes from it


def read_text(file: Path, display: str) -> str:
    """Read UTF-8 text, turning decoding problems into a located message."""
    raw = file.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError(
            [Problem(display, line, f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8")]
        ) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def parse_yaml(text: str, display: str, first_line: int = 1) -> YamlDoc:
    """Parse one YAML document; lines are offset so they match the enclosing file."""
    offset = first_line - 1
    try:
        loader = _LOADER(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at_end = mark is not None and mark.line >= text.rstrip("\n").count("\n") + 1
        if exc.context_mark and (at_end or "flow" in (exc.context or "")):
            mark = exc.context_mark  # an unclosed [ or {: point at where it was opened
        line = (mark.line + 1 if mark else 1) + offset
        what = exc.problem or "invalid YAML"
        raise ContentError(
            [Problem(display, line, f"YAML syntax error: {what} (check quotes, brackets and indentation)")]
        ) from None
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises marked errors for text input
        raise ContentError([Problem(display, first_line, f"YAML error: {exc}")]) from None
    lines: dict[KeyPath, int] = {}
    problems: list[Problem] = []
    if node is not None:
        lines[()] = node.start_mark.line + 1 + offset
        _collect_lines(node, (), lines, problems, display, offset)
    if problems:
        raise ContentError(problems)
    return YamlDoc(data, lines)


def _collect_lines(
    node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int], problems: list[Problem], display: str, offset: int
) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1 + offset
            if key in seen:
                problems.append(
                    Problem(display, line, f"duplicate key '{key}' (first given on line {seen[key]}); keep one")
                )
            seen[key] = line
            lines[path + (key,)] = line
            _collect_lines(value_node, path + (key,), lines, problems, display, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[path + (index,)] = item.start_mark.line + 1 + offset
            _collect_lines(item, path + (index,), lines, problems, display, offset)


def read_markdown(file: Path, display: str) -> SourceFile:
    """Split ``---`` front matter from a Markdown body and parse it."""
    text = read_text(file, display)
    if not text.strip():
        raise ContentError([Problem(display, 1, "file is empty; it needs front matter between '---' lines and a body")])
    lines = text.split("\n")
    if lines[0].strip() != "---":
        raise ContentError([Problem(display, 1, "missing front matter: the file must start with a '---' line")])
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            end = index
            break
    else:
        raise ContentError([Problem(display, 1, "front matter is not closed: add a '---' line after it")])
    meta = parse_yaml("\n".join(lines[1:end]), display, first_line=2)
    if meta.data is None:
        meta = YamlDoc({}, {(): 1})
    if not isinstance(meta.data, dict):
        raise ContentError([Problem(display, 2, "front matter must be a set of 'key: value' lines")])
    body = "\n".join(lines[end + 1 :])
    return SourceFile(display, meta, body, end + 2, hashlib.sha256(text.encode("utf-8")).hexdigest())
