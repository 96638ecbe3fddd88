"""Plain-language checks. Each check yields findings; this module runs them all per page.

Findings are data returned with the site; ``--strict`` and ``lay check`` decide what fails.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from lay_summaries.checks import links, numbers, prose, readability, sentences, structure
from lay_summaries.checks.readability import Scores
from lay_summaries.config import SiteConfig
from lay_summaries.content import Content, Page, Summary
from lay_summaries.findings import Finding, Waiver
from lay_summaries.markup import Rendered, TermMatcher

MASK_WORD = "thing"  # a short common word put in place of each glossary term


@dataclass(frozen=True)
class PageText:
    record: Summary | Page
    rendered: Rendered


@dataclass(frozen=True)
class SectionReport:
    title: str
    line: int
    raw: Scores
    masked: Scores


@dataclass(frozen=True)
class PageReport:
    path: str
    url: str
    title: str
    kind: str  # "summary" or "page"
    raw: Scores
    masked: Scores
    sections: tuple[SectionReport, ...]
    max_grade: float
    min_reading_ease: float
    waived: tuple[Waiver, ...] = ()

    @property
    def passes(self) -> bool:
        grade_ok = self.raw.consensus <= self.max_grade or self.is_waived("reading-grade")
        ease_ok = self.raw.reading_ease >= self.min_reading_ease or self.is_waived("reading-ease")
        return grade_ok and ease_ok

    def is_waived(self, check: str) -> bool:
        return any(w.check == check for w in self.waived)


@dataclass(frozen=True)
class CheckResult:
    findings: tuple[Finding, ...]
    reports: Mapping[str, PageReport]
    waived: tuple[tuple[str, Waiver], ...] = field(default=())


def mask(text: str, matcher: TermMatcher) -> str:
    return matcher.pattern.sub(MASK_WORD, text) if matcher.pattern else text


@dataclass(frozen=True)
class CheckContext:
    """What every page's checks share, made once per build from the content."""

    config: SiteConfig
    matcher: TermMatcher
    known: frozenset[str]  # every word of every glossary form: not jargon
    defined: frozenset[str]  # every glossary form, as written: not an undefined abbreviation

    @classmethod
    def from_content(cls, content: Content, matcher: TermMatcher | None = None) -> CheckContext:
        forms = [form for entry in content.glossary for form in entry.forms]
        return cls(content.config, matcher or TermMatcher.from_glossary(content.glossary),
                   sentences.known_words(forms), frozenset(forms))


Found = tuple[str, int, str, str]  # check id, line, message, hint


def page_checks(record: Summary | Page, rendered: Rendered, context: CheckContext) -> tuple[tuple[Found, ...], PageReport]:
    """Every check that needs only this page (links, which need all pages, come later)."""
    config = context.config
    matcher, known, defined = context.matcher, context.known, context.defined
    reading = config.reading
    lang = config.language
    found: list[tuple[str, int, str, str]] = []
    body_sentences = prose.sentences(record.body, record.body_line)
    extra: list[prose.Sentence] = []
    if isinstance(record, Summary):
        extra = [prose.Sentence(m, record.line("key_messages", i), "Key messages") for i, m in enumerate(record.key_messages)]
    whole_text = " ".join(s.text for s in (*extra, *body_sentences))
    seen_jargon: set[str] = set()
    seen_abbreviations: set[str] = set()
    allowed_numbers = numbers.source_numbers(
        [s.text for s in record.abstract] + [record.source.title]
    ) if isinstance(record, Summary) else None
    raw_counts: list[readability.Counts] = []
    masked_counts: list[readability.Counts] = []
    in_body = len(extra)
    for index, sentence in enumerate((*extra, *body_sentences)):
        text = sentence.text
        masked_text = mask(text, matcher)
        if index >= in_body:
            raw_counts.append(readability.count(text, lang))
            masked_counts.append(raw_counts[-1] if masked_text == text else readability.count(masked_text, lang))
        if (long := sentences.long_sentence(text, reading.max_sentence_words)) is not None:
            count, where = long
            found.append(("long-sentence", sentence.line, f'{count} words, target {reading.max_sentence_words}: "{_clip(text)}"',
                          f'split it after "{where}"'))
        for word in sentences.jargon(masked_text, reading.jargon_zipf, known):
            if word not in seen_jargon:
                seen_jargon.add(word)
                found.append(("jargon", sentence.line, f"'{word}' is a rare word: \"{_around(text, word)}\"",
                              f"use a common word, or define '{word}' in content/glossary.yaml"))
        for token in sentences.abbreviations(masked_text):
            bare = token[:-1] if token.endswith("s") and token[:-1] in defined else token
            if bare in defined or bare in seen_abbreviations or f"({bare})" in whole_text:
                continue
            seen_abbreviations.add(bare)
            found.append(("abbreviation", sentence.line, f"'{bare}' is not defined: \"{_around(text, bare)}\"",
                          f"spell it out at first use, e.g. 'full name ({bare})', or add it to content/glossary.yaml"))
        if (phrase := sentences.passive_voice(text)) is not None:
            found.append(("passive-voice", sentence.line, f'passive voice "{phrase}": "{_clip(text)}"',
                          "say who does it: 'the team measured IL-6', not 'IL-6 was measured'"))
        if allowed_numbers is not None:
            for written in numbers.unsupported(text, allowed_numbers):
                found.append(("number-not-in-source", sentence.line, f"'{written}' does not appear in the source abstract",
                              "check it against the abstract; fix it, or waive the check with a reason"))
    texts = [s.text for s in body_sentences]
    raw = readability.scores(readability.total(raw_counts), lang)
    masked = readability.scores(readability.total(masked_counts), lang)
    sections = []
    for title in dict.fromkeys(s.section for s in body_sentences):
        picked = [i for i, s in enumerate(body_sentences) if s.section == title]
        section_raw = readability.scores(readability.total(raw_counts[i] for i in picked), lang)
        section_masked = readability.scores(readability.total(masked_counts[i] for i in picked), lang)
        sections.append(SectionReport(title or "(introduction)", body_sentences[picked[0]].line, section_raw, section_masked))
        if len(picked) >= 3 and section_raw.consensus > reading.max_grade:
            found.append(("section-grade", body_sentences[picked[0]].line,
                          f"section '{title or 'introduction'}' reads at grade {section_raw.consensus} (target {reading.max_grade:g})",
                          "shorten its sentences and swap long words for short ones"))
    if raw.consensus > reading.max_grade:
        found.append(("reading-grade", record.body_line, f"reads at grade {raw.consensus} (target {reading.max_grade:g}; "
                      f"{masked.consensus} with glossary terms masked)", "shorten sentences and use everyday words"))
    if texts and raw.reading_ease < reading.min_reading_ease:
        found.append(("reading-ease", record.body_line, f"Flesch reading ease {raw.reading_ease} (target {reading.min_reading_ease:g} or more)",
                      "shorter sentences and shorter words raise it"))
    headings = [h.text for h in rendered.headings if h.level == 2]
    if isinstance(record, Summary):
        found.extend(structure.summary_structure(record, headings))
    found.extend(structure.heading_levels(record.body, record.body_line))
    found.extend(structure.todos(_text_lines(record)))
    report = PageReport(record.path, record.url, record.title, "summary" if isinstance(record, Summary) else "page",
                        raw, masked, tuple(sections), reading.max_grade, reading.min_reading_ease, record.waivers)
    return tuple(found), report


def scored_sentences(record: Summary | Page) -> list[tuple[int, str]]:
    """(line, sentence) of the prose a page's grade is scored on, for reports that show it.
    Made again when asked, rather than kept with every report: at 10,000 pages that copy of
    the text would cost about 100 MB."""
    return [(s.line, s.text) for s in prose.sentences(record.body, record.body_line)]


def _text_lines(record: Summary | Page) -> dict[int, str]:
    """Every line of the body, keyed by file line, plus front-matter values that could hold a TODO."""
    lines = {record.body_line + i: text for i, text in enumerate(record.body.split("\n"))}
    if isinstance(record, Summary):
        for i, message in enumerate(record.key_messages):
            lines.setdefault(record.line("key_messages", i), message)
        for key, value in (("title", record.title), ("funding", record.funding), ("conflicts", record.conflicts)):
            if value:
                lines.setdefault(record.line(key), value)
        for person in (*record.written_by, *record.reviewed_by):
            if "TODO" in person.name:
                lines.setdefault(record.line("written_by"), person.name)
    return lines


def _around(text: str, word: str, width: int = 40) -> str:
    """The words around ``word`` in ``text``, so the finding shows where it is."""
    index = text.lower().find(word.lower())
    if index < 0:
        return _clip(text)
    start, end = max(0, index - width), min(len(text), index + len(word) + width)
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


def _clip(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def link_targets(content: Content, pages: Iterable[PageText]) -> dict[str, frozenset[str]]:
    """Every page URL the build makes, with the anchors each one has."""
    targets = {page.record.url: frozenset(h.anchor for h in page.rendered.headings) for page in pages}
    targets[""] = frozenset()
    targets["glossary/"] = frozenset(entry.slug for entry in content.glossary)
    return targets


def run_checks(
    content: Content,
    pages: list[PageText],
    results: Mapping[str, tuple[tuple[Found, ...], PageReport]] | None = None,
    context: CheckContext | None = None,
    cache: Any = None,
) -> CheckResult:
    """Run every check on every page; apply severities from site.toml and the pages' waivers.

    ``results`` holds each page's ``page_checks`` when the build already has them (computed in
    parallel, or from the cache); any page missing from it is checked here.
    """
    config = content.config
    context = context or CheckContext.from_content(content)
    targets = link_targets(content, pages)
    targets_key = hashlib.sha256(repr(sorted(targets.items())).encode()).hexdigest()
    findings: list[Finding] = []
    reports: dict[str, PageReport] = {}
    waived: list[tuple[str, Waiver]] = []
    for page in pages:
        record = page.record
        if results is not None and record.path in results:
            found, report = results[record.path]
        else:
            found, report = page_checks(record, page.rendered, context)
        broken = None
        if cache is not None:
            links_key = hashlib.sha256(f"links\x00{record.url}\x00{record.digest}\x00{targets_key}\x00{page.rendered.html}".encode()).hexdigest()
            broken = cache.get(links_key)
        if broken is None:
            broken = tuple(("broken-link", line, f"link '{href}' is broken: {why}", "fix the address; pages live at ../<slug>/")
                           for line, href, why in links.broken_links(record.url, page.rendered.html, record.body, record.body_line, targets))
            if cache is not None:
                cache.put(links_key, broken)
        reports[record.path] = report
        waivers = {w.check: w for w in record.waivers}
        waived.extend((record.path, w) for w in record.waivers)
        for check, line, message, hint in (*found, *broken):
            severity = config.severity_of(check)
            if severity == "off" or check in waivers:
                continue
            findings.append(Finding(record.path, line, check, severity, message, hint))
    for entry in content.glossary:
        if "TODO" in entry.definition and config.severity_of("todo") != "off":
            findings.append(Finding("content/glossary.yaml", entry.line, "todo", config.severity_of("todo"),
                                    f"TODO left in the definition of '{entry.term}'", "write the definition, then remove 'TODO'"))
    if not any(word in config.disclaimer.lower() for word in ("doctor", "nurse", "clinician", "care team")):
        severity = config.severity_of("disclaimer")
        if severity != "off":
            findings.append(Finding("content/site.toml", 1, "disclaimer", severity,
                                    "the disclaimer does not tell readers to talk to their doctor",
                                    "say that this is not medical advice and that readers should talk to their doctor"))
    return CheckResult(tuple(sorted(findings)), reports, tuple(waived))
