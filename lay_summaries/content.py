"""Read every content file, validate it, and return frozen records (nothing is written here)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, Protocol, TypeVar

from lay_summaries.config import SiteConfig, load_config
from lay_summaries.errors import ContentError, Problem
from lay_summaries.findings import CHECKS, Waiver
from lay_summaries.schema import Field, did_you_mean, optional, validate
from lay_summaries.sourcefile import KeyPath, SourceFile, parse_yaml, read_markdown, read_text

T = TypeVar("T")

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Output folders the generator owns; a page may not take these names.
RESERVED_SLUGS = frozenset({"summaries", "glossary", "static", "topics", "404", "index", "feed", "sitemap"})


@dataclass(frozen=True)
class Project:
    """Where a site's folders are. Everything else is derived from the root."""

    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def static(self) -> Path:
        return self.root / "static"

    def display(self, path: Path) -> str:
        """A path as the user sees it in messages: relative to the site root, with '/'."""
        text, root = str(path), str(self.root)
        if text.startswith(root + os.sep):  # plain string work: Path.relative_to is slow per page
            return text[len(root) + 1 :].replace(os.sep, "/")
        return path.as_posix()


def relative_root(url: str) -> str:
    """The prefix from a page at ``url`` back to the site root: 'summaries/x/' -> '../../'."""
    return "../" * url.count("/") or "./"


@dataclass(frozen=True)
class Person:
    name: str
    role: str | None = None


@dataclass(frozen=True)
class Source:
    """The paper a summary explains. Only what the source gives: no guessed metadata."""

    title: str
    publication_type: str
    authors: tuple[str, ...] = ()
    affiliation: str | None = None
    journal: str | None = None
    year: int | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None

    @property
    def doi_url(self) -> str | None:
        return f"https://doi.org/{self.doi}" if self.doi else None

    @property
    def pubmed_url(self) -> str | None:
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else None


@dataclass(frozen=True)
class AbstractSection:
    label: str
    text: str
    line: int


@dataclass(frozen=True)
class Summary:
    """One paper's lay summary, with its citation and technical abstract."""

    path: str
    slug: str
    title: str
    description: str | None
    source: Source
    abstract: tuple[AbstractSection, ...]
    key_messages: tuple[str, ...]
    topics: tuple[str, ...]
    about: tuple[tuple[str, str], ...]  # (name, schema.org type) of what the paper is about
    explainers: tuple[str, ...]
    written_by: tuple[Person, ...]
    reviewed_by: tuple[Person, ...]
    last_reviewed: dt.date | None
    funding: str | None
    conflicts: str | None
    waivers: tuple[Waiver, ...]
    body: str
    body_line: int
    lines: Mapping[KeyPath, int]  # front-matter key path -> line, for findings
    digest: str  # of the source file's text

    def line(self, *path: Any) -> int:
        return _line(self.lines, path)

    @property
    def url(self) -> str:
        return f"summaries/{self.slug}/"


@dataclass(frozen=True)
class Page:
    """An explainer or an about page."""

    path: str
    slug: str
    title: str
    description: str | None
    order: int
    topics: tuple[str, ...]
    last_reviewed: dt.date | None
    waivers: tuple[Waiver, ...]
    body: str
    body_line: int
    lines: Mapping[KeyPath, int]
    digest: str

    def line(self, *path: Any) -> int:
        return _line(self.lines, path)

    @property
    def url(self) -> str:
        return f"{self.slug}/"


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    slug: str
    definition: str
    aliases: tuple[str, ...]
    abbreviations: tuple[str, ...]
    line: int

    @property
    def forms(self) -> tuple[str, ...]:
        """Every way the term may be written in text."""
        return (self.term, *self.aliases, *self.abbreviations)


@dataclass(frozen=True)
class Content:
    config: SiteConfig
    glossary: tuple[GlossaryEntry, ...]
    summaries: tuple[Summary, ...]
    pages: tuple[Page, ...]


# schema.org types a summary may say it is about (used in the page's JSON-LD).
ABOUT_TYPES = ("MedicalCondition", "Drug", "MedicalTherapy", "MedicalEntity", "AnatomicalStructure")

WAIVER = Field("map", fields={"check": Field("text"), "reason": Field("text")})
TEXT_LIST = Field("list", items=Field("text"))
PEOPLE = Field("list", items=Field("person"), min_items=1)

SOURCE_FIELDS: Mapping[str, Field] = {
    "title": Field("text"),
    "publication_type": Field("text"),
    "authors": optional(TEXT_LIST),
    "affiliation": Field("text", required=False),
    "journal": Field("text", required=False),
    "year": Field("int", required=False),
    "volume": Field("id", required=False),
    "issue": Field("id", required=False),
    "pages": Field("id", required=False),
    "doi": Field("text", required=False),
    "pmid": Field("id", required=False),
    "url": Field("text", required=False),
}

SUMMARY_FIELDS: Mapping[str, Field] = {
    "title": Field("text"),
    "slug": Field("text", required=False),
    "description": Field("text", required=False),
    "source": Field("map", fields=SOURCE_FIELDS),
    "abstract": Field(
        "list", items=Field("map", fields={"label": Field("text"), "text": Field("text")}), min_items=1
    ),
    "key_messages": optional(TEXT_LIST),
    "topics": Field("list", items=Field("text"), min_items=1),
    "about": Field("list", required=False, items=Field("map", fields={"name": Field("text"), "type": Field("text")})),
    "explainers": optional(TEXT_LIST),
    "written_by": optional(PEOPLE),
    "reviewed_by": optional(PEOPLE),
    "last_reviewed": Field("date", required=False),
    "funding": Field("text", required=False),
    "conflicts": Field("text", required=False),
    "waivers": Field("list", required=False, items=WAIVER),
}

PAGE_FIELDS: Mapping[str, Field] = {
    "title": Field("text"),
    "slug": Field("text", required=False),
    "description": Field("text", required=False),
    "order": Field("int", required=False),
    "topics": optional(TEXT_LIST),
    "last_reviewed": Field("date", required=False),
    "waivers": Field("list", required=False, items=WAIVER),
}

GLOSSARY_FIELDS: Mapping[str, Field] = {
    "definition": Field("text"),
    "aliases": optional(TEXT_LIST),
    "abbreviations": optional(TEXT_LIST),
}


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "term"


def _people(values: list[dict[str, Any]] | None) -> tuple[Person, ...]:
    return tuple(Person(v["name"], v.get("role")) for v in values or () if v and v.get("name"))


def _waivers(source: SourceFile, values: list[dict[str, Any]] | None, problems: list[Problem]) -> tuple[Waiver, ...]:
    waivers = []
    for index, value in enumerate(values or ()):
        if not value or not value.get("check"):
            continue
        line = source.meta.line(("waivers", index, "check"))
        if value["check"] not in CHECKS:
            hint = did_you_mean(value["check"], list(CHECKS))
            problems.append(Problem(source.path, line, f"waivers[{index + 1}]: unknown check '{value['check']}'{hint}"))
        elif value.get("reason"):
            waivers.append(Waiver(value["check"], value["reason"], line))
    return tuple(waivers)


def _slug(source: SourceFile, file: Path, given: str | None, problems: list[Problem]) -> str:
    slug = given or file.stem
    if not SLUG.match(slug):
        where = source.meta.line(("slug",)) if given else 1
        problems.append(
            Problem(source.path, where, f"slug '{slug}' must use only a-z, 0-9 and single hyphens, e.g. '{slugify(slug)}'")
        )
    return slug


def _summary(source: SourceFile, file: Path, problems: list[Problem]) -> Summary | None:
    values, found = validate(source.meta, SUMMARY_FIELDS, source.path)
    problems.extend(found)
    slug = _slug(source, file, values.get("slug"), problems)
    waivers = _waivers(source, values.get("waivers"), problems)
    for index, item in enumerate(values.get("about") or ()):
        if item and item.get("type") and item["type"] not in ABOUT_TYPES:
            problems.append(Problem(source.path, source.meta.line(("about", index, "type")),
                                    f"about[{index + 1}].type must be one of {', '.join(ABOUT_TYPES)}, got '{item['type']}'"))
            found.append(problems[-1])
    if found:
        return None
    src = values["source"]
    abstract = tuple(
        AbstractSection(item["label"], item["text"], source.meta.line(("abstract", i, "text")))
        for i, item in enumerate(values["abstract"])
    )
    return Summary(
        path=source.path,
        slug=slug,
        title=values["title"],
        description=values["description"],
        source=Source(**{k: (tuple(v) if k == "authors" else v) for k, v in src.items() if v is not None}),
        abstract=abstract,
        key_messages=tuple(values["key_messages"] or ()),
        topics=tuple(values["topics"]),
        about=tuple((item["name"], item["type"]) for item in values["about"] or ()),
        explainers=tuple(values["explainers"] or ()),
        written_by=_people(values["written_by"]),
        reviewed_by=_people(values["reviewed_by"]),
        last_reviewed=values["last_reviewed"],
        funding=values["funding"],
        conflicts=values["conflicts"],
        waivers=waivers,
        body=source.body,
        body_line=source.body_line,
        lines=dict(source.meta.lines),
        digest=source.digest,
    )


def _page(source: SourceFile, file: Path, problems: list[Problem]) -> Page | None:
    values, found = validate(source.meta, PAGE_FIELDS, source.path)
    problems.extend(found)
    slug = _slug(source, file, values.get("slug"), problems)
    if slug in RESERVED_SLUGS:
        line = source.meta.line(("slug",)) if values.get("slug") else 1
        problems.append(Problem(source.path, line, f"page slug '{slug}' is reserved for the site's own pages; rename the file"))
    waivers = _waivers(source, values.get("waivers"), problems)
    if found:
        return None
    return Page(
        path=source.path,
        slug=slug,
        title=values["title"],
        description=values["description"],
        order=values["order"] if values["order"] is not None else 100,
        topics=tuple(values["topics"] or ()),
        last_reviewed=values["last_reviewed"],
        waivers=waivers,
        body=source.body,
        body_line=source.body_line,
        lines=dict(source.meta.lines),
        digest=source.digest,
    )


def _line(lines: Mapping[KeyPath, int], path: KeyPath) -> int:
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)


def load_glossary(file: Path, display: str) -> tuple[tuple[GlossaryEntry, ...], list[Problem]]:
    if not file.is_file():
        return (), []
    doc = parse_yaml(read_text(file, display), display)
    if doc.data is None:
        return (), []
    if not isinstance(doc.data, dict):
        return (), [Problem(display, 1, "the glossary must map each term to its definition")]
    entries, problems = [], []
    forms: dict[str, tuple[str, int]] = {}
    for term, value in doc.data.items():
        line = doc.line((term,))
        if isinstance(value, str):
            value = {"definition": value}
        if not isinstance(value, dict):
            problems.append(Problem(display, line, f"glossary term '{term}' needs a 'definition:'"))
            continue
        sub = type(doc)(value, {k[1:]: v for k, v in doc.lines.items() if k[:1] == (term,)} | {(): line})
        values, found = validate(sub, GLOSSARY_FIELDS, display)
        found = [
            Problem(p.path, p.line, p.message.replace("missing required key 'definition'", f"glossary term '{term}' has no definition; add 'definition:'"))
            for p in found
        ]
        problems.extend(found)
        if found:
            continue
        entry = GlossaryEntry(
            term=str(term),
            slug=slugify(str(term)),
            definition=values["definition"],
            aliases=tuple(values["aliases"] or ()),
            abbreviations=tuple(values["abbreviations"] or ()),
            line=line,
        )
        for form in entry.forms:
            key = form.lower()
            if key in forms and forms[key][0] != entry.term:
                problems.append(
                    Problem(display, line, f"'{form}' is given for both '{forms[key][0]}' (line {forms[key][1]}) and '{term}'; keep one")
                )
            forms[key] = (entry.term, line)
        entries.append(entry)
    return tuple(sorted(entries, key=lambda e: e.term.lower())), problems


class RecordCache(Protocol):
    # records by (path, mtime, size): in memory only, where no checkout can fake a match
    stat_memo: dict[tuple[str, int, int], Any] | None

    def get(self, key: str) -> Any | None: ...
    def put(self, key: str, value: Any) -> None: ...


def _read_all(
    project: Project, folder: str, make: Callable[[SourceFile, Path, list[Problem]], T | None], problems: list[Problem],
    cache: RecordCache | None,
) -> list[T]:
    records = []
    for file in sorted((project.content / folder).glob("*.md")):
        display = project.display(file)
        key = None
        stat_key = None
        if cache is not None and cache.stat_memo is not None:
            info = file.stat()
            stat_key = (str(file), info.st_mtime_ns, info.st_size)
            if (cached := cache.stat_memo.get(stat_key)) is not None:
                records.append(cached)
                continue
        if cache is not None:
            # a file's record depends only on its bytes, its path and this package's code
            key = hashlib.sha256(b"record\x00%s\x00%s\x00" % (folder.encode(), display.encode()) + file.read_bytes()).hexdigest()
            if (cached := cache.get(key)) is not None:
                records.append(cached)
                if stat_key is not None and cache.stat_memo is not None:
                    cache.stat_memo[stat_key] = cached
                continue
        try:
            source = read_markdown(file, display)
        except ContentError as error:
            problems.extend(error.problems)
            continue
        found: list[Problem] = []
        record = make(source, file, found)
        problems.extend(found)
        if record is not None:
            records.append(record)
            if cache is not None and key is not None and not found:
                cache.put(key, record)
                if stat_key is not None and cache.stat_memo is not None:
                    cache.stat_memo[stat_key] = record
    return records


def _check_unique(records: list[Any], kind: str, problems: list[Problem]) -> None:
    """Two sources that map to one output path is an error, reported where a slug was set."""
    by_slug: dict[str, list[Any]] = {}
    for record in records:
        by_slug.setdefault(record.slug, []).append(record)
    for slug, group in by_slug.items():
        if len(group) < 2:
            continue
        explicit = [r for r in group if ("slug",) in r.lines]
        blamed = explicit[0] if explicit else group[1]
        others = ", ".join(r.path for r in group if r is not blamed)
        problems.append(
            Problem(blamed.path, blamed.line("slug"), f"duplicate {kind} slug '{slug}': {others} has it too; give each a unique slug")
        )


def load_content(project: Project, cache: RecordCache | None = None) -> Content:
    """Read and validate the whole site. Raises ContentError listing every problem found.

    ``cache`` may hand back a file's record from an earlier run when its bytes are unchanged.
    """
    problems: list[Problem] = []
    config = None
    try:
        config = load_config(project.content / "site.toml", project.display(project.content / "site.toml"))
    except ContentError as error:
        problems.extend(error.problems)
    glossary_file = project.content / "glossary.yaml"
    glossary: tuple[GlossaryEntry, ...] = ()
    try:
        glossary, found = load_glossary(glossary_file, project.display(glossary_file))
        problems.extend(found)
    except ContentError as error:
        problems.extend(error.problems)
    summaries = _read_all(project, "summaries", _summary, problems, cache)
    pages = _read_all(project, "pages", _page, problems, cache)
    _check_unique(summaries, "summary", problems)
    _check_unique(pages, "page", problems)
    known_pages = {page.slug for page in pages}
    for summary in summaries:
        for index, slug in enumerate(summary.explainers):
            if slug not in known_pages:
                hint = did_you_mean(slug, sorted(known_pages)).replace("known keys", "known pages")
                problems.append(Problem(summary.path, summary.line("explainers", index), f"explainer '{slug}' is not a page in content/pages{hint}"))
    if problems or config is None:
        raise ContentError(problems)
    pages.sort(key=lambda p: (p.order, p.slug))
    summaries.sort(key=lambda s: s.slug)
    return Content(config, glossary, tuple(summaries), tuple(pages))
