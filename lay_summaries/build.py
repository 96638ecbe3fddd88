"""build(project) -> Site: read everything, check it, render it. Writes nothing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from lay_summaries.checks import CheckResult, PageText, run_checks
from lay_summaries.config import SiteConfig
from lay_summaries.content import Content, Page, Project, Summary, load_content
from lay_summaries.errors import ContentError, Problem
from lay_summaries.findings import Finding
from lay_summaries.metadata import description, page_jsonld, summary_jsonld
from lay_summaries.markup import Rendered, TermMatcher, render_body, scan_raw_html
from lay_summaries.render import make_environment, render, trusted_html
from lay_summaries.resources import bundled_root


@dataclass
class BuildCache:
    """Work kept between builds in one process (``lay serve``): compiled templates and each
    page's rendered body and check results, keyed by a digest of everything they depend on.
    Only entries used by the latest build are kept, so the cache cannot grow without bound."""

    environments: dict[tuple[tuple[str, int, int], ...], Any] = field(default_factory=dict)
    pages: dict[str, Any] = field(default_factory=dict)
    reused: int = 0
    redone: int = 0

    def environment(self, dirs: list[Path]) -> Any:
        """A Jinja environment, reused until any template file is added, removed or changed
        (Jinja's own reload check would miss a new file that overrides a theme template)."""
        key = tuple(
            (str(file), file.stat().st_mtime_ns, file.stat().st_size)
            for folder in dirs if folder.is_dir() for file in sorted(folder.rglob("*")) if file.is_file()
        )
        if key not in self.environments:
            self.environments = {key: make_environment(dirs)}
        return self.environments[key]

    def start(self) -> dict[str, Any]:
        self.reused = self.redone = 0
        return {}

    def lookup(self, fresh: dict[str, Any], key: str, compute: Callable[[], Any]) -> Any:
        if key in self.pages:
            self.reused += 1
            value = self.pages[key]
        else:
            self.redone += 1
            value = compute()
        fresh[key] = value
        return value


def digest(*parts: object) -> str:
    return hashlib.sha256("\x00".join(repr(p) for p in parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class BuildOptions:
    base_url: str | None = None  # overrides site.toml when given


@dataclass(frozen=True)
class Site:
    """The whole output, in memory: path -> bytes, plus what the checks found."""

    files: Mapping[str, bytes]
    findings: tuple[Finding, ...]
    checks: CheckResult
    config: SiteConfig
    notes: tuple[str, ...] = field(default=())

    @property
    def pages(self) -> list[str]:
        return [path for path in self.files if path.endswith(".html")]


def relative_root(url: str) -> str:
    """The prefix from a page at ``url`` back to the site root: 'summaries/x/' -> '../../'."""
    return "../" * url.count("/") or "./"


def _fingerprint(files: Mapping[str, bytes]) -> dict[str, str]:
    """static/css/style.css -> static/css/style.1a2b3c4d.css, so hosts can cache for a year."""
    names = {}
    for path, data in files.items():
        stem, dot, ext = path.rpartition(".")
        digest = hashlib.sha256(data).hexdigest()[:10]
        names[path] = f"{stem}.{digest}.{ext}" if dot and stem else f"{path}.{digest}"
    return names


def _static_files(project: Project, theme: Path) -> dict[str, bytes]:
    """The theme's static files, overlaid by the site's own (same path wins)."""
    files: dict[str, bytes] = {}
    for folder in (theme / "static", project.static):
        if folder.is_dir():
            for file in sorted(folder.rglob("*")):
                if file.is_file() and not file.name.startswith("."):
                    files[file.relative_to(folder).as_posix()] = file.read_bytes()
    return files


def _render_bodies(
    content: Content, matcher: TermMatcher, memo: Callable[[str, Callable[[], Any]], Any]
) -> tuple[dict[str, Rendered], list[Problem], list[Finding]]:
    rendered: dict[str, Rendered] = {}
    problems: list[Problem] = []
    findings: list[Finding] = []
    severity = content.config.severity_of("removed-html")
    for record in (*content.summaries, *content.pages):
        for issue in scan_raw_html(record.body):
            line = record.body_line + issue.line - 1
            if issue.dangerous:
                problems.append(
                    Problem(record.path, line, f"unsafe raw HTML: {issue.what} is not allowed; remove it (scripts, event handlers and javascript: links are never published)")
                )
            elif severity != "off":
                findings.append(
                    Finding(record.path, line, "removed-html", severity, f"raw HTML {issue.what} was removed by the sanitiser", "use Markdown instead")
                )
        glossary_url = relative_root(record.url) + "glossary/"
        rendered[record.path] = memo(
            digest("body", record.body, glossary_url, content.glossary),
            lambda body=record.body, url=glossary_url: render_body(body, matcher, url),
        )
    return rendered, problems, findings


def _neighbours(summaries: tuple[Summary, ...]) -> dict[str, tuple[Summary | None, Summary | None]]:
    """Previous and next summary within each summary's first topic."""
    by_topic: dict[str, list[Summary]] = {}
    for summary in summaries:
        by_topic.setdefault(summary.topics[0], []).append(summary)
    out = {}
    for group in by_topic.values():
        for index, summary in enumerate(group):
            prev = group[index - 1] if index > 0 else None
            nxt = group[index + 1] if index + 1 < len(group) else None
            out[summary.slug] = (prev, nxt)
    return out


def topics_of(summaries: tuple[Summary, ...]) -> list[tuple[str, list[Summary]]]:
    """Summaries grouped by topic, topics in alphabetical order; a summary may be in several."""
    groups: dict[str, list[Summary]] = {}
    for summary in summaries:
        for topic in summary.topics:
            groups.setdefault(topic, []).append(summary)
    return sorted(groups.items(), key=lambda item: item[0].lower())


def build(project: Project, options: BuildOptions = BuildOptions(), cache: BuildCache | None = None) -> Site:
    """Read, validate, check and render the whole site. Raises ContentError on bad input.

    ``cache`` (kept by ``lay serve`` between builds) lets unchanged pages skip their work.
    """
    cache = cache if cache is not None else BuildCache()
    fresh = cache.start()

    def memo(key: str, compute: Callable[[], Any]) -> Any:
        return cache.lookup(fresh, key, compute)

    content = load_content(project)
    if options.base_url is not None:
        content = Content(content.config.with_base_url(options.base_url), content.glossary, content.summaries, content.pages)
    theme = bundled_root()
    matcher = TermMatcher.from_glossary(content.glossary)
    rendered, problems, findings = _render_bodies(content, matcher, memo)
    if problems:
        raise ContentError(problems)
    texts = [PageText(record, rendered[record.path]) for record in (*content.summaries, *content.pages)]
    checked = run_checks(content, texts, matcher, memo)
    static = _static_files(project, theme)
    assets = _fingerprint(static)
    env = cache.environment([project.templates, theme / "templates"])
    files: dict[str, bytes] = {f"static/{assets[path]}": data for path, data in static.items()}
    neighbours = _neighbours(content.summaries)
    pages_by_slug = {page.slug: page for page in content.pages}
    glossary_by_slug = {entry.slug: entry for entry in content.glossary}
    common = {
        "site": content.config,
        "summaries": content.summaries,
        "pages": content.pages,
        "topics": topics_of(content.summaries),
        "glossary": content.glossary,
        "reports": checked.reports,
    }

    def emit(url: str, template: str, title: str, page: Summary | Page | None, **extra: Any) -> None:
        root = relative_root(url) if url != "404.html" else _absolute_root(content.config.base_url)
        config = content.config
        context = {
            "page": page,
            "description": description(page, config),
            "jsonld": summary_jsonld(page, config) if isinstance(page, Summary) else page_jsonld(page, title, url, config),
            **common,
            **extra,
            "url": url,
            "root": root,
            "title": title,
            "asset": _asset_function(root, assets),
            "canonical": content.config.base_url + url if content.config.base_url else None,
        }
        output = url + "index.html" if url.endswith("/") or url == "" else url
        files[output] = render(env, template, context, project.root).encode("utf-8")

    emit("", "home.html", content.config.title, page=None)
    for summary in content.summaries:
        body = rendered[summary.path]
        prev, nxt = neighbours[summary.slug]
        emit(
            summary.url,
            "summary.html",
            summary.title,
            page=summary,
            body=trusted_html(body.html),
            headings=body.headings,
            terms=[glossary_by_slug[slug] for slug in body.terms],
            explainers=[pages_by_slug[slug] for slug in summary.explainers],
            previous=prev,
            next=nxt,
            report=checked.reports[summary.path],
        )
    for page in content.pages:
        body = rendered[page.path]
        emit(
            page.url,
            "page.html",
            page.title,
            page=page,
            body=trusted_html(body.html),
            headings=body.headings,
            terms=[glossary_by_slug[slug] for slug in body.terms],
            report=checked.reports[page.path],
        )
    emit("glossary/", "glossary.html", "Glossary", page=None)
    emit("404.html", "404.html", "Page not found", page=None)
    notes = []
    files["robots.txt"] = _robots(content.config.base_url)
    if content.config.base_url:
        files["sitemap.xml"] = render(env, "sitemap.xml", {**common, "urls": _sitemap_urls(content)}, project.root).encode("utf-8")
        files["feed.xml"] = render(env, "feed.xml", common, project.root).encode("utf-8")
    else:
        notes.append("no base_url: skipped sitemap.xml, feed.xml and canonical links (set base_url in site.toml or pass --base-url)")
    all_findings = tuple(sorted((*findings, *checked.findings)))
    cache.pages = fresh
    return Site(dict(sorted(files.items())), all_findings, checked, content.config, tuple(notes))


def _absolute_root(base_url: str) -> str:
    """404.html is served at any depth, so its links start from the site's own path."""
    if not base_url:
        return "/"
    path = base_url.split("://", 1)[-1]
    return "/" + path.split("/", 1)[1] if "/" in path else "/"


def _asset_function(root: str, assets: Mapping[str, str]) -> Callable[[str], str]:
    def asset(path: str) -> str:
        if path not in assets:
            raise ContentError([Problem("templates", 1, f"asset '{path}' is not in static/")])
        return f"{root}static/{assets[path]}"

    return asset


def _robots(base_url: str) -> bytes:
    lines = ["User-agent: *", "Allow: /"]
    if base_url:
        lines.append(f"Sitemap: {base_url}sitemap.xml")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _sitemap_urls(content: Content) -> list[tuple[str, Any]]:
    base = content.config.base_url
    urls: list[tuple[str, Any]] = [(base, None), (base + "glossary/", None)]
    urls += [(base + s.url, s.last_reviewed) for s in content.summaries]
    urls += [(base + p.url, p.last_reviewed) for p in content.pages]
    return sorted(urls)
