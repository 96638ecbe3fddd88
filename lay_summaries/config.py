"""Read and validate ``content/site.toml`` into a frozen SiteConfig."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

from lay_summaries.errors import ContentError, Problem
from lay_summaries.findings import CHECKS, SEVERITIES
from lay_summaries.schema import Field, did_you_mean, validate
from lay_summaries.sourcefile import KeyPath, YamlDoc, read_text

DEFAULT_DISCLAIMER = (
    "This summary explains research in plain words. It is not medical advice. "
    "Talk to your doctor or nurse before you change any treatment."
)


@dataclass(frozen=True)
class ReadingTargets:
    """Thresholds for the plain-language checks (see DESIGN.md, "Plain-language checks")."""

    max_grade: float = 8.0
    min_reading_ease: float = 60.0
    max_sentence_words: int = 20
    jargon_zipf: float = 3.0


@dataclass(frozen=True)
class PublishSettings:
    """Defaults for ``lay publish``; the command line overrides them."""

    remote: str = "origin"
    branch: str = "gh-pages"
    cname: str = ""  # a custom domain: written to CNAME on the branch


@dataclass(frozen=True)
class SiteConfig:
    title: str
    language: str = "en"
    description: str = ""
    base_url: str = ""
    disclaimer: str = DEFAULT_DISCLAIMER
    contact: str = ""
    publisher: str = ""
    reading: ReadingTargets = field(default_factory=ReadingTargets)
    publish: PublishSettings = field(default_factory=PublishSettings)
    severity: Mapping[str, str] = field(default_factory=dict)

    def severity_of(self, check: str) -> str:
        return self.severity.get(check, CHECKS[check][0])

    def with_base_url(self, base_url: str) -> SiteConfig:
        return replace(self, base_url=normalise_base_url(base_url))


READING_KEYS = ("max_grade", "min_reading_ease", "max_sentence_words", "jargon_zipf")

SITE_FIELDS: Mapping[str, Field] = {
    "title": Field("text"),
    "language": Field("text", required=False),
    "description": Field("text", required=False),
    "base_url": Field("text", required=False),
    "disclaimer": Field("text", required=False),
    "contact": Field("text", required=False),
    "publisher": Field("text", required=False),
    "publish": Field(
        "map",
        required=False,
        fields={"remote": Field("text", required=False), "branch": Field("text", required=False), "cname": Field("text", required=False)},
    ),
}


def normalise_base_url(url: str) -> str:
    url = url.strip()
    return url if not url or url.endswith("/") else url + "/"


_TABLE = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]\s*(#.*)?$")
_KEY = re.compile(r"""^\s*("([^"]+)"|'([^']+)'|([A-Za-z0-9_.-]+))\s*=""")


def toml_key_lines(text: str) -> dict[KeyPath, int]:
    """Map each ``table.key`` in TOML text to its line (tomllib keeps no positions)."""
    lines: dict[KeyPath, int] = {(): 1}
    table: KeyPath = ()
    for number, line in enumerate(text.split("\n"), start=1):
        if match := _TABLE.match(line):
            table = tuple(part.strip().strip("\"'") for part in match.group(1).split("."))
            lines.setdefault(table, number)
        elif match := _KEY.match(line):
            key = match.group(2) or match.group(3) or match.group(4)
            lines.setdefault(table + tuple(key.split(".")), number)
    return lines


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def load_config(path: Path, display: str) -> SiteConfig:
    """Parse site.toml; report every problem by key and line, then stop once."""
    if not path.is_file():
        raise ContentError([Problem(display, 1, "site.toml is missing; run 'lay init' or create it with a title")])
    text = read_text(path, display)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise ContentError(
            [Problem(display, int(match.group(1)) if match else 1, f"TOML syntax error: {exc}")]
        ) from None
    doc = YamlDoc(data, toml_key_lines(text))
    reading = data.pop("reading", {})
    severity = data.pop("severity", {})
    values, problems = validate(YamlDoc(data, doc.lines), SITE_FIELDS, display)
    targets = ReadingTargets()
    if not isinstance(reading, dict):
        problems.append(Problem(display, doc.line(("reading",)), "[reading] must be a table"))
        reading = {}
    for key, value in reading.items():
        line = doc.line(("reading", key))
        if key not in READING_KEYS:
            problems.append(Problem(display, line, f"unknown key 'reading.{key}'{did_you_mean(key, list(READING_KEYS))}"))
        elif not _number(value):
            problems.append(Problem(display, line, f"reading.{key} must be a number, got {value!r}"))
    if not isinstance(severity, dict):
        problems.append(Problem(display, doc.line(("severity",)), "[severity] must be a table"))
        severity = {}
    for key, value in severity.items():
        line = doc.line(("severity", key))
        if key not in CHECKS:
            problems.append(Problem(display, line, f"unknown check '{key}' in [severity]{did_you_mean(key, list(CHECKS))}"))
        elif value not in SEVERITIES:
            problems.append(
                Problem(display, line, f"severity.{key} must be one of {', '.join(SEVERITIES)}, got {value!r}")
            )
    if problems:
        raise ContentError(problems)
    targets = ReadingTargets(
        max_grade=float(reading.get("max_grade", targets.max_grade)),
        min_reading_ease=float(reading.get("min_reading_ease", targets.min_reading_ease)),
        max_sentence_words=int(reading.get("max_sentence_words", targets.max_sentence_words)),
        jargon_zipf=float(reading.get("jargon_zipf", targets.jargon_zipf)),
    )
    given = {key: value for key, value in values.items() if value is not None and key != "publish"}
    given["base_url"] = normalise_base_url(given.get("base_url", ""))
    publish = PublishSettings(**{k: v for k, v in (values.get("publish") or {}).items() if v is not None})
    return SiteConfig(**given, reading=targets, publish=publish, severity=dict(sorted(severity.items())))
