"""build(project) -> Site: read everything, check it, render it. Writes nothing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from lay_summaries.cache import DiskCache, MemoryCache, digest
from lay_summaries.checks import CheckContext, CheckResult, PageText, run_checks
from lay_summaries.config import SiteConfig
from lay_summaries.content import Content, Page, Project, Summary, load_content, relative_root
from lay_summaries.errors import ContentError, Problem
from lay_summaries.findings import Finding
from lay_summaries.metadata import description, page_jsonld, summary_jsonld
from lay_summaries.pages import PageResult, process_all
from lay_summaries.render import make_environment, render, trusted_html
from lay_summaries.resources import bundled_root


@dataclass
class BuildCache:
    """The caches one build may use: in memory (``lay serve``, between its rebuilds) and on
    disk (``lay build``, between runs), plus the compiled templates. Counts what it saved."""

    memory: MemoryCache | None = field(default_factory=MemoryCache)
    disk: DiskCache | None = None
    environments: dict[str, Any] = field(default_factory=dict)
    stat_memo: dict[tuple[str, int, int], Any] | None = None
    reused: int = 0  # pages whose body and checks came from the cache in the latest build
    redone: int = 0
    html_reused: int = 0  # pages whose finished HTML came from the cache
    html_redone: int = 0

    def environment(self, dirs: list[Path]) -> tuple[Any, str]:
        """A Jinja environment and a digest of the template files, reused until any template
        file is added, removed or changed (Jinja's own reload check would miss a new file
        that overrides a theme template)."""
        files = [file for folder in dirs if folder.is_dir() for file in sorted(folder.rglob("*")) if file.is_file()]
        key = digest([(str(file), file.read_bytes()) for file in files])
        if key not in self.environments:
            self.environments = {key: make_environment(dirs)}
        return self.environments[key], key

    def __post_init__(self) -> None:
        if self.memory is not None and self.stat_memo is None:
            self.stat_memo = {}

    def get(self, key: str) -> Any | None:
        value = self.memory.get(key) if self.memory is not None else None
        if value is None and self.disk is not None:
            value = self.disk.get(key)
            if value is not None and self.memory is not None:
                self.memory.put(key, value)
        return value

    def put(self, key: str, value: Any) -> None:
        for layer in (self.memory, self.disk):
            if layer is not None:
                layer.put(key, value)

    def finish(self) -> None:
        if self.stat_memo is not None and len(self.stat_memo) > 4 * len(self.memory.entries if self.memory else ()) + 1000:
            self.stat_memo.clear()  # old versions of edited files pile up; start again
        for layer in (self.memory, self.disk):
            if layer is not None:
                try:
                    layer.finish()
                except OSError:
                    pass  # a cache that cannot be written only costs time


@dataclass(frozen=True)
class BuildOptions:
    base_url: str | None = None  # overrides site.toml when given
    jobs: int | None = None  # worker processes for the page stage; default: one per core


@dataclass(frozen=True)
class Site:
    """The whole output, in memory: path -> bytes, plus what the checks found."""

    files: Mapping[str, bytes]
    findings: tuple[Finding, ...]
    checks: CheckResult
    config: SiteConfig
    records: Mapping[str, Summary | Page] = field(default_factory=dict)  # by source path
    notes: tuple[str, ...] = field(default=())

    @property
    def pages(self) -> list[str]:
        return [path for path in self.files if path.endswith(".html")]


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


def _raw_html(content: Content, results: Mapping[str, PageResult]) -> tuple[list[Problem], list[Finding]]:
    """Dangerous raw HTML stops the build; harmless HTML the sanitiser removed is a finding."""
    problems: list[Problem] = []
    findings: list[Finding] = []
    severity = content.config.severity_of("removed-html")
    for record in (*content.summaries, *content.pages):
        for issue in results[record.path].raw_html:
            line = record.body_line + issue.line - 1
            if issue.dangerous:
                problems.append(
                    Problem(record.path, line, f"unsafe raw HTML: {issue.what} is not allowed; remove it (scripts, event handlers and javascript: links are never published)")
                )
            elif severity != "off":
                findings.append(
                    Finding(record.path, line, "removed-html", severity, f"raw HTML {issue.what} was removed by the sanitiser", "use Markdown instead")
                )
    return problems, findings


def _page_results(content: Content, context: CheckContext, cache: BuildCache, options: BuildOptions) -> dict[str, PageResult]:
    """Each page's rendered body and own checks: from the cache, or made (in parallel)."""
    shared = digest(content.glossary, content.config)  # the code's version is DiskCache's salt
    records = (*content.summaries, *content.pages)
    keys = {record.path: digest("page", record.path, record.url, record.digest, shared) for record in records}
    results: dict[str, PageResult] = {}
    missing = []
    for record in records:
        found = cache.get(keys[record.path])
        if found is None:
            missing.append(record)
        else:
            results[record.path] = found
    for record, result in zip(missing, process_all(missing, context, options.jobs)):
        results[record.path] = result
        cache.put(keys[record.path], result)
    cache.reused, cache.redone = len(records) - len(missing), len(missing)
    return results


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
    content = load_content(project, cache)
    if options.base_url is not None:
        content = Content(content.config.with_base_url(options.base_url), content.glossary, content.summaries, content.pages)
    theme = bundled_root()
    context = CheckContext.from_content(content)
    cache.html_reused = cache.html_redone = 0
    results = _page_results(content, context, cache, options)
    problems, findings = _raw_html(content, results)
    if problems:
        raise ContentError(problems)
    rendered = {path: result.rendered for path, result in results.items()}
    texts = [PageText(record, rendered[record.path]) for record in (*content.summaries, *content.pages)]
    checked = run_checks(content, texts, {path: (r.found, r.report) for path, r in results.items()}, context, cache)
    static = _static_files(project, theme)
    assets = _fingerprint(static)
    env, templates_key = cache.environment([project.templates, theme / "templates"])
    page_key = digest(templates_key, assets, [(p.slug, p.title) for p in content.pages], content.config, content.glossary)
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

    def emit(url: str, template: str, title: str, page: Summary | Page | None, key: str | None = None, **extra: Any) -> None:
        """Render one page, or take it from the cache when ``key`` (all it depends on) is known."""
        output = url + "index.html" if url.endswith("/") or url == "" else url
        if key is not None and (cached := cache.get(key)) is not None:
            files[output] = cached
            cache.html_reused += 1
            return
        root = relative_root(url) if url != "404.html" else _absolute_root(content.config.base_url)
        config = content.config
        variables = {
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
        files[output] = render(env, template, variables, project.root).encode("utf-8")
        if key is not None:
            cache.put(key, files[output])
            cache.html_redone += 1

    home_shows = [(s.path, s.title, s.url, s.topics, s.key_messages[:1], f"{checked.reports[s.path].raw.consensus:.0f}")
                  for s in content.summaries]
    emit("", "home.html", content.config.title, page=None,
         key=digest("home", page_key, home_shows, [(p.url, p.title, p.description) for p in content.pages]))
    for summary in content.summaries:
        body = rendered[summary.path]
        prev, nxt = neighbours[summary.slug]
        explainers = [pages_by_slug[slug] for slug in summary.explainers]
        emit(
            summary.url,
            "summary.html",
            summary.title,
            page=summary,
            key=digest("html", page_key, summary.path, summary.digest, [(p.slug, p.title) for p in (prev, nxt) if p]),
            body=trusted_html(body.html),
            headings=body.headings,
            terms=[glossary_by_slug[slug] for slug in body.terms],
            explainers=explainers,
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
            key=digest("html", page_key, page.path, page.digest),
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
    cache.finish()
    records = {record.path: record for record in (*content.summaries, *content.pages)}
    return Site(dict(sorted(files.items())), all_findings, checked, content.config, records, tuple(notes))


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
