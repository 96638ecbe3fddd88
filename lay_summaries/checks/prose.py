"""Turn a Markdown body into the prose a reader reads: sentences with their source lines.

Readability formulas and sentence checks must see only visible lay prose: no headings, list
markers, code, HTML, tables or link targets, and a sentence must not break at "p=0.09",
"e.g." or "Dr.".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_QUOTE = re.compile(r"^\s*>\s?")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\[[^\]]*\]")
_TAG = re.compile(r"<[^>]+>")
_CODE = re.compile(r"`+[^`]*`+")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")
_TABLE_ROW = re.compile(r"^\s*\|")

# Abbreviations whose full stop does not end a sentence.
ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "et al.", "vs.", "Dr.", "Mr.", "Mrs.", "Ms.", "Prof.", "approx.", "No.", "Fig.", "St.")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")


@dataclass(frozen=True)
class Sentence:
    text: str
    line: int  # 1-based line in the source file
    section: str  # the nearest '##' heading above, or "" before the first


@dataclass(frozen=True)
class Paragraph:
    text: str
    line: int
    section: str


def clean_inline(text: str) -> str:
    """Markdown inline syntax -> the words a reader sees."""
    text = _IMAGE.sub(lambda m: m.group(1), text)
    text = _LINK.sub(lambda m: m.group(1) or m.group(2), text)
    text = _CODE.sub(" ", text)
    text = _TAG.sub("", text)
    for _ in range(2):
        text = _EMPHASIS.sub(lambda m: m.group(2), text)
    return re.sub(r"\s+", " ", text).strip()


def paragraphs(body: str, first_line: int) -> list[Paragraph]:
    """Prose blocks of a Markdown body. ``first_line`` is the file line of the body's line 1."""
    body = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), body)
    out: list[Paragraph] = []
    section = ""
    current: list[str] = []
    start = 0
    fenced = False

    def flush() -> None:
        if current:
            text = clean_inline(" ".join(current))
            if text:
                out.append(Paragraph(text, start, section))
            current.clear()

    for offset, raw in enumerate(body.split("\n")):
        line = first_line + offset
        if _FENCE.match(raw):
            flush()
            fenced = not fenced
            continue
        if fenced or raw.startswith("    ") and not current or _TABLE_ROW.match(raw):
            flush()
            continue
        if heading := _HEADING.match(raw):
            flush()
            if len(heading.group(1)) == 2:
                section = clean_inline(heading.group(2))
            continue
        if not raw.strip():
            flush()
            continue
        if _LIST_MARKER.match(raw):
            flush()  # each list item is its own block
            raw = _LIST_MARKER.sub("", raw)
        raw = _QUOTE.sub("", raw)
        if not current:
            start = line
        current.append(raw.strip())
    flush()
    return out


def split_sentences(text: str) -> list[str]:
    """Split at . ! ? followed by a capital or digit; decimals and abbreviations hold."""
    protected = text
    for abbreviation in ABBREVIATIONS:
        protected = protected.replace(abbreviation, abbreviation.replace(".", "\x00"))
    protected = re.sub(r"(?<=\d)\.(?=\d)", "\x00", protected)  # 0.09, 1.5
    protected = re.sub(r"\b([A-Z])\.(?=\s?[A-Z]\.)", "\\1\x00", protected)  # U.K.
    parts = _SENTENCE_END.split(protected)
    return [part.replace("\x00", ".").strip() for part in parts if part.strip()]


def sentences(body: str, first_line: int) -> list[Sentence]:
    """Every sentence of lay prose, each with the line it starts on."""
    cleaned: dict[int, str] = {}  # file line -> its visible words, made once per line
    raw_lines = body.split("\n")
    out = []
    for paragraph in paragraphs(body, first_line):
        line = paragraph.line
        for text in split_sentences(paragraph.text):
            line = _find_line(raw_lines, cleaned, first_line, line, text)
            out.append(Sentence(text, line, paragraph.section))
    return out


def _find_line(raw_lines: list[str], cleaned: dict[int, str], first_line: int, start: int, sentence: str) -> int:
    """The line at or after ``start`` where the sentence's first words stand."""
    probe = " ".join(sentence.split()[:2])
    for line in range(start, first_line + len(raw_lines)):
        if line not in cleaned:
            cleaned[line] = clean_inline(raw_lines[line - first_line])
        if probe and probe in cleaned[line]:
            return line
    return start


WORD = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*")


def words(text: str) -> list[str]:
    return WORD.findall(text)
