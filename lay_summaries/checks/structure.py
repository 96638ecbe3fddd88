"""Structure and trust: key messages, lay sections, citation, review info, TODOs, headings."""

from __future__ import annotations

import re
from typing import Iterator

from lay_summaries.content import Summary

# The headings readers of lay summaries expect, in order. Matched loosely (case, punctuation).
REQUIRED_SECTIONS = (
    "What was the study about?",
    "What did the researchers do?",
    "What did they find?",
    "What does this mean?",
    "Where can I learn more?",
)

Found = tuple[str, int, str, str]  # check, line, message, hint


def _key(heading: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", heading.lower()).strip()


def summary_structure(summary: Summary, headings: list[str]) -> Iterator[Found]:
    count = len(summary.key_messages)
    if not 2 <= count <= 3:
        yield ("key-messages", summary.line("key_messages"), f"{count} key message(s); a summary needs 2 or 3",
               "add 'key_messages:' with two or three short sentences a reader should remember")
    present = {_key(h) for h in headings}
    for section in REQUIRED_SECTIONS:
        if _key(section) not in present:
            yield ("required-section", summary.body_line, f"missing the section '## {section}'",
                   f"add a '## {section}' heading with a few plain sentences under it")
    source = summary.source
    if not (source.authors or source.journal or source.doi or source.pmid or source.url):
        yield ("source-citation", summary.line("source"), "the source names no authors, journal, DOI, PubMed ID or link",
               "add what the paper gives under 'source:'; never guess a DOI or year")
    for key, value in (("written_by", summary.written_by), ("reviewed_by", summary.reviewed_by), ("last_reviewed", summary.last_reviewed)):
        if not value:
            yield ("review-info", summary.line(key), f"'{key}' is missing",
                   f"add '{key}:' so readers know who stands behind this summary")


def todos(text_lines: dict[int, str]) -> Iterator[Found]:
    """TODO markers left by 'lay new' or by a writer, in the front matter or the body."""
    for line, text in sorted(text_lines.items()):
        if re.search(r"\bTODO\b", text):
            yield ("todo", line, f"TODO left in the text: {text.strip()[:80]}", "write this part, then remove 'TODO'")


def heading_levels(body: str, first_line: int) -> Iterator[Found]:
    previous = 1  # the page title is the only h1
    fenced = False
    for offset, raw in enumerate(body.split("\n")):
        if raw.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if fenced:
            continue
        match = re.match(r"^(#{1,6})\s", raw)
        if not match:
            continue
        level = len(match.group(1))
        line = first_line + offset
        if level == 1:
            yield ("heading-level", line, "a level-1 heading ('# ') in the body; the page title is the only one",
                   "use '## ' for sections")
        elif level > previous + 1:
            yield ("heading-level", line, f"heading level {level} follows level {previous}",
                   f"use {'#' * (previous + 1)} here, so screen-reader users can follow the outline")
        previous = level
