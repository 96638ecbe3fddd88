"""Internal links and #anchors in page bodies must resolve to a built page and heading."""

from __future__ import annotations

import posixpath
import re
from typing import Iterator, Mapping
from urllib.parse import unquote, urlsplit

HREF = re.compile(r'<a\s[^>]*?href="([^"]*)"')


def resolve(page_url: str, href: str) -> tuple[str, str] | None:
    """(site-relative page url, anchor) for an internal link; None for external ones."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("//"):
        return None
    path = unquote(parts.path)
    if not path:
        return page_url, parts.fragment
    joined = posixpath.normpath(posixpath.join(posixpath.dirname("/" + page_url), path))
    target = joined.lstrip("/")
    if target.endswith("index.html"):
        target = target[: -len("index.html")]
    if target and not target.endswith("/") and not posixpath.splitext(target)[1]:
        target += "/"
    if target == ".":
        target = ""
    return target, parts.fragment


def broken_links(
    page_url: str, body_html: str, body: str, first_line: int, targets: Mapping[str, frozenset[str]]
) -> Iterator[tuple[int, str, str]]:
    """(line, href, why) for each internal link in ``body_html`` that goes nowhere."""
    for match in HREF.finditer(body_html):
        href = match.group(1).replace("&amp;", "&")
        resolved = resolve(page_url, href)
        if resolved is None or href.startswith(("mailto:",)):
            continue
        url, anchor = resolved
        if url not in targets:
            yield _line_of(body, href, first_line), href, "no page is built at this address"
        elif anchor and anchor not in targets[url]:
            yield _line_of(body, href, first_line), href, f"the page has no heading with the anchor '#{anchor}'"


def _line_of(body: str, href: str, first_line: int) -> int:
    index = body.find(href)
    return first_line + (body[:index].count("\n") if index >= 0 else 0)
