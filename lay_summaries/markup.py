"""Markdown to safe HTML, with glossary terms explained in place on first use.

Order matters: Markdown first, then the sanitiser, then our own trusted markup (glossary
terms), so the sanitiser never sees, and never has to allow, what we generate.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Iterable

import markdown
import nh3

from lay_summaries.content import GlossaryEntry

EXTENSIONS = ("toc", "tables", "sane_lists", "fenced_code")

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "dl", "dt", "em",
        "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
        "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup",
        "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "*": {"id", "lang", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"},
    "abbr": {"title"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
DANGEROUS_TAGS = frozenset({"script", "style", "iframe", "object", "embed", "form", "input", "link", "meta", "base", "frame", "frameset", "svg", "math"})

# Inside these elements a glossary term is left alone: links and buttons must not nest,
# headings stay plain, and code is code.
SKIP_TERMS_IN = frozenset({"a", "button", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "abbr", "dfn"})
VOID_TAGS = frozenset({"br", "hr", "img", "wbr", "input", "meta", "link", "source"})


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class RawHtmlIssue:
    """Raw HTML in a Markdown source that will not be published as written."""

    line: int  # 1-based, relative to the body
    what: str
    dangerous: bool


@dataclass(frozen=True)
class Rendered:
    html: str
    headings: tuple[Heading, ...]
    terms: tuple[str, ...]  # slugs of glossary entries explained in this text, in order


def render_markdown(text: str) -> tuple[str, tuple[Heading, ...]]:
    """Markdown -> sanitised HTML. A fresh Markdown instance each call: they keep state."""
    md = markdown.Markdown(extensions=list(EXTENSIONS), extension_configs={"toc": {"toc_depth": "2-4"}})
    body = md.convert(text)
    headings = tuple(_flatten(getattr(md, "toc_tokens", [])))
    clean = nh3.clean(
        body,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )
    return clean, headings


def _flatten(tokens: list[dict]) -> Iterable[Heading]:
    for token in tokens:
        yield Heading(token["level"], html.unescape(token["name"]), token["id"])
        yield from _flatten(token.get("children", []))


class _RawHtmlScanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.issues: list[RawHtmlIssue] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        if tag in DANGEROUS_TAGS:
            self.issues.append(RawHtmlIssue(line, f"<{tag}>", True))
            return
        if tag not in ALLOWED_TAGS:
            self.issues.append(RawHtmlIssue(line, f"<{tag}>", False))
        allowed = ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name.startswith("on"):
                self.issues.append(RawHtmlIssue(line, f"the {name} attribute on <{tag}>", True))
            elif name in ("href", "src") and value and re.match(r"\s*(javascript|vbscript|data):", value, re.I):
                self.issues.append(RawHtmlIssue(line, f"a {value.split(':')[0].strip().lower()}: URL in <{tag} {name}>", True))
            elif name not in allowed:
                self.issues.append(RawHtmlIssue(line, f"the {name} attribute on <{tag}>", False))

    handle_startendtag = handle_starttag


_FENCE = re.compile(r"^\s*(```|~~~)")
_CODE_SPAN = re.compile(r"`+[^`]*`+")


def scan_raw_html(text: str) -> tuple[RawHtmlIssue, ...]:
    """Find raw HTML the sanitiser would remove, with lines, ignoring code blocks and spans."""
    lines, fenced = [], False
    for line in text.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
            lines.append("")
            continue
        indented_code = line.startswith("    ") or line.startswith("\t")
        lines.append("" if fenced or indented_code else _CODE_SPAN.sub("", line))
    scanner = _RawHtmlScanner()
    scanner.feed("\n".join(lines))
    scanner.close()
    return tuple(scanner.issues)


@dataclass(frozen=True)
class TermMatcher:
    """Finds glossary terms in text. Built once per build; shared by every page."""

    pattern: re.Pattern[str] | None
    by_form: dict[str, GlossaryEntry]

    @classmethod
    def from_glossary(cls, entries: Iterable[GlossaryEntry]) -> TermMatcher:
        by_form: dict[str, GlossaryEntry] = {}
        parts = []
        for entry in entries:
            for form in entry.forms:
                by_form[re.sub(r"[\s-]+", " ", form.lower())] = entry
        for form in sorted(by_form, key=lambda f: (-len(f), f)):
            entry = by_form[form]
            original = next(f for f in entry.forms if re.sub(r"[\s-]+", " ", f.lower()) == form)
            escaped = re.escape(original).replace(r"\ ", r"[\s-]").replace(r"\-", r"[\s-]")
            if original.lower() == original:
                # a plain word: any case, and simple plurals ("fibroblasts")
                parts.append(f"(?i:{escaped}(?:s|es)?)")
            else:
                # an abbreviation or a name: exactly as written (CRP, IL-6, dcSSc)
                parts.append(f"{escaped}(?:s)?")
        if not parts:
            return cls(None, by_form)
        pattern = re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])")
        return cls(pattern, by_form)

    def entry_for(self, found: str) -> GlossaryEntry | None:
        key = found.lower()
        key = re.sub(r"[\s-]+", " ", key)
        for candidate in (key, key[:-2] if key.endswith("es") else None, key[:-1] if key.endswith("s") else None):
            if candidate and candidate in self.by_form:
                return self.by_form[candidate]
        return None


_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z0-9]+)")


def mark_terms(body: str, matcher: TermMatcher, glossary_url: str) -> tuple[str, tuple[str, ...]]:
    """Explain each glossary term in place, at its first use in ``body``.

    The term becomes a button that opens a popover with the definition (mouse, keyboard,
    touch; no script needed) and a link to the glossary entry.
    """
    if matcher.pattern is None:
        return body, ()
    used: list[str] = []
    skip = 0
    out: list[str] = []
    for part in _TAG.split(body):
        if part.startswith("<"):
            match = _TAG_NAME.match(part)
            name = match.group(1).lower() if match else ""
            if name in SKIP_TERMS_IN and name not in VOID_TAGS:
                skip += -1 if part.startswith("</") else 1
            out.append(part)
            continue
        if skip or not part.strip():
            out.append(part)
            continue
        out.append(matcher.pattern.sub(lambda m: _explain(m, matcher, used, glossary_url), part))
    return "".join(out), tuple(used)


def _explain(match: re.Match[str], matcher: TermMatcher, used: list[str], glossary_url: str) -> str:
    word = match.group(0)
    entry = matcher.entry_for(word)
    if entry is None or entry.slug in used:
        return word
    used.append(entry.slug)
    ident = f"term-{entry.slug}"
    definition = html.escape(entry.definition)
    return (
        f'<span class="term"><button type="button" class="term-button" popovertarget="{ident}">{word}</button>'
        f'<span class="term-def" id="{ident}" popover><span class="term-name">{html.escape(entry.term)}:</span> '
        f'{definition} <a href="{glossary_url}#{entry.slug}">More in the glossary</a> '
        f'<button type="button" class="term-close" popovertarget="{ident}" popovertargetaction="hide">Close</button></span></span>'
    )


def render_body(text: str, matcher: TermMatcher, glossary_url: str) -> Rendered:
    body, headings = render_markdown(text)
    marked, used = mark_terms(body, matcher, glossary_url)
    return Rendered(marked, headings, used)
