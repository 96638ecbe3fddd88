"""Output any static host can serve, and lay publish."""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
import urllib.error
import urllib.request
from functools import partial
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree as ET

import pytest

from conftest import copy_site, example_site, run_lay

REPO = Path(__file__).resolve().parent.parent
VNU = REPO / "node_modules/vnu-jar/build/dist/vnu.jar"
BASE = "https://example.org/ssc/"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = example_site(tmp_path_factory.mktemp("published"))
    run_lay("build", "--base-url", BASE, cwd=root, check=True)
    return root


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.jsonld: list[str] = []
        self._in_jsonld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        for name in ("href", "src"):
            if attributes.get(name) and not (tag == "link" and attributes.get("rel") == "canonical"):
                self.links.append(attributes[name])
        self._in_jsonld = tag == "script" and attributes.get("type") == "application/ld+json"

    def handle_data(self, data: str) -> None:
        if self._in_jsonld:
            self.jsonld.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_jsonld = False


def parse(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def subpath_server(published: Path):
    """site/ served under /ssc/ by a real HTTP server on 127.0.0.1, as a host would."""

    class Handler(SimpleHTTPRequestHandler):
        def translate_path(self, path: str) -> str:
            if not path.startswith("/ssc/"):
                return str(published / "missing")
            return super().translate_path(path[len("/ssc"):])

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(published / "site")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/ssc/"
    server.shutdown()
    server.server_close()


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.geturl()
    except urllib.error.HTTPError as error:
        return error.code, b"", url


def test_every_link_from_home_resolves_under_a_sub_path(subpath_server: str) -> None:
    seen: set[str] = set()
    queue = [subpath_server]
    anchors: list[tuple[str, str, str]] = []
    pages: dict[str, set[str]] = {}
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        status, body, final = fetch(url)
        assert status == 200, f"{url} -> {status}"
        if not final.endswith((".css", ".js", ".xml", ".txt")):
            links = parse(body.decode("utf-8"))
            pages[final] = links.ids
            for href in links.links:
                target = urljoin(final, href)
                if not target.startswith(subpath_server):
                    assert urlsplit(target).scheme in ("https", "mailto"), f"{final}: {href}"
                    continue
                page, _, fragment = target.partition("#")
                if fragment:
                    anchors.append((final, page, fragment))
                queue.append(page)
    assert len([u for u in seen if u.endswith("/")]) == 8  # home, 2 summaries, 4 pages, glossary
    assert any(u.endswith(".css") for u in seen)
    for source, page, fragment in anchors:
        assert fragment in pages[page], f"{source}: #{fragment} missing on {page}"


def test_404_page_works_at_any_depth(subpath_server: str, published: Path) -> None:
    html = (published / "site/404.html").read_text()
    links = parse(html).links
    assert links and all(link.startswith(("/ssc/", "#")) for link in links if not link.startswith("http"))
    origin = subpath_server[: -len("/ssc/")]
    for link in links:
        if link.startswith("/ssc/"):
            assert fetch(origin + link)[0] == 200, link


def test_sitemap_robots_and_feed(published: Path) -> None:
    site = published / "site"
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    sitemap = ET.parse(site / "sitemap.xml").getroot()
    locs = [u.findtext("s:loc", namespaces=ns) for u in sitemap.findall("s:url", ns)]
    assert BASE in locs and BASE + "summaries/il-6-in-scleroderma/" in locs and BASE + "glossary/" in locs
    assert all(loc.startswith(BASE) for loc in locs)
    lastmods = {u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns) for u in sitemap.findall("s:url", ns)}
    assert lastmods[BASE + "summaries/il-6-in-scleroderma/"] == "2026-11-23"
    assert (site / "robots.txt").read_text() == f"User-agent: *\nAllow: /\nSitemap: {BASE}sitemap.xml\n"
    atom = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    assert feed.findtext("a:id", namespaces=atom) == BASE and feed.findtext("a:updated", namespaces=atom) == "2026-11-23T00:00:00Z"
    entries = feed.findall("a:entry", atom)
    assert len(entries) == 2
    for entry in entries:
        assert entry.findtext("a:id", namespaces=atom).startswith(BASE + "summaries/")
        assert entry.findtext("a:title", namespaces=atom) and entry.findtext("a:summary", namespaces=atom)


# schema.org types and properties the JSON-LD may use (all are schema.org terms).
SCHEMA_TERMS = {
    "@context", "@type", "MedicalWebPage", "MedicalAudience", "audienceType", "Patient", "ScholarlyArticle", "Person",
    "Periodical", "PropertyValue", "MedicalCondition", "Drug", "MedicalEntity", "MedicalTherapy", "AnatomicalStructure",
    "name", "description", "inLanguage", "audience", "about", "keywords", "citation", "url", "lastReviewed", "reviewedBy",
    "author", "jobTitle", "genre", "isPartOf", "datePublished", "identifier", "propertyID", "value", "sameAs",
}


def _keys_and_types(value: object) -> set[str]:
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            found.add(key)
            if key == "@type":
                found.add(item)
            found |= _keys_and_types(item)
    elif isinstance(value, list):
        for item in value:
            found |= _keys_and_types(item)
    return found


def test_every_page_has_metadata_and_jsonld(published: Path) -> None:
    for page in (published / "site").rglob("*.html"):
        html = page.read_text()
        assert re.search(r"<title>[^<]+</title>", html), page
        assert re.search(r'<meta name="description" content="[^"]{20,}">', html), page
        assert '<meta property="og:title"' in html and '<meta property="og:description"' in html
        if page.name != "404.html":
            assert f'<link rel="canonical" href="{BASE}' in html, page
        blocks = parse(html).jsonld
        assert len(blocks) == 1, page
        data = json.loads(blocks[0])
        assert data["@type"] == "MedicalWebPage"
        assert data["audience"] == {"@type": "MedicalAudience", "audienceType": "Patient"}
        assert _keys_and_types(data) <= SCHEMA_TERMS, _keys_and_types(data) - SCHEMA_TERMS


def test_summary_jsonld_has_review_and_citation(published: Path) -> None:
    html = (published / "site/summaries/il-6-in-scleroderma/index.html").read_text()
    data = json.loads(parse(html).jsonld[0])
    assert data["lastReviewed"] == "2026-11-23"
    assert data["reviewedBy"][0]["name"] == "lay-summaries editorial team"
    assert data["author"][0]["@type"] == "Person"
    assert {"@type": "MedicalCondition", "name": "Systemic sclerosis"} in data["about"]
    assert data["citation"]["@type"] == "ScholarlyArticle"
    assert data["citation"]["author"][0]["name"] == "Korsa Khan"
    assert "identifier" not in data["citation"]  # the source gives no DOI or PubMed ID
    assert data["description"].startswith("Many people with scleroderma")


def test_without_base_url_no_absolute_url_is_written(built_example: Path) -> None:
    site = built_example / "site"
    assert not (site / "sitemap.xml").exists() and not (site / "feed.xml").exists()
    for page in site.rglob("*.html"):
        html = page.read_text()
        assert "example.org" not in html and 'rel="canonical"' not in html
    result = run_lay("build", "--out", str(built_example / "again"), cwd=built_example, check=True)
    assert "note: no base_url: skipped sitemap.xml, feed.xml and canonical links" in result.stderr


def test_nu_html_checker_finds_no_errors(published: Path) -> None:
    pages = sorted(str(p) for p in (published / "site").rglob("*.html"))
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", *pages], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == ""


GIT_ENV = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"}


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=GIT_ENV, capture_output=True, text=True, check=True).stdout


def make_repo(root: Path, remote: Path) -> None:
    git("init", "-q", "--bare", str(remote), cwd=root.parent)
    git("init", "-q", cwd=root)
    git("add", "-A", cwd=root)
    git("commit", "-qm", "content", cwd=root)
    git("remote", "add", "origin", str(remote), cwd=root)


def run_publish(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    import sys

    return subprocess.run([sys.executable, "-m", "lay_summaries", "publish", *args], cwd=cwd, env=GIT_ENV,
                          capture_output=True, text=True, timeout=300)


def test_publish_pushes_to_gh_pages_in_a_bare_repository(tmp_path: Path) -> None:
    root = example_site(tmp_path / "site-root")
    remote = tmp_path / "remote.git"
    config = root / "content/site.toml"
    config.write_text(config.read_text() + '\n[publish]\ncname = "ssc.example.org"\n')
    make_repo(root, remote)
    dry = run_publish("--dry-run", "--base-url", "https://ssc.example.org/", cwd=root)
    assert dry.returncode == 0, dry.stderr
    assert "add    .nojekyll" in dry.stdout and "add    summaries/il-6-in-scleroderma/index.html" in dry.stdout
    assert subprocess.run(["git", "rev-parse", "--verify", "gh-pages"], cwd=remote, capture_output=True).returncode != 0
    result = run_publish("--base-url", "https://ssc.example.org/", "--message", "Publish test", cwd=root)
    assert result.returncode == 0, result.stderr
    files = git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).split()
    assert ".nojekyll" in files and "CNAME" in files and "index.html" in files and "sitemap.xml" in files
    assert "summaries/il-6-in-scleroderma/index.html" in files
    assert git("show", "gh-pages:CNAME", cwd=remote) == "ssc.example.org"
    assert git("log", "-1", "--format=%s", "gh-pages", cwd=remote).strip() == "Publish test"
    again = run_publish("--dry-run", "--base-url", "https://ssc.example.org/", cwd=root)
    assert "dry run: 0 change(s) would be published to origin/gh-pages" in again.stdout


def test_failing_strict_build_publishes_nothing(tmp_path: Path) -> None:
    root = copy_site("dense-prose", tmp_path / "site-root")
    remote = tmp_path / "remote.git"
    make_repo(root, remote)
    result = run_publish(cwd=root)
    assert result.returncode == 1
    assert "lay publish: the strict build failed" in result.stderr and "nothing was published" in result.stderr
    assert "content/pages/dense.md:4: reading-grade:" in result.stderr
    assert subprocess.run(["git", "rev-parse", "--verify", "gh-pages"], cwd=remote, capture_output=True).returncode != 0
    assert not (root / "site").exists()


def test_publish_to_a_folder(minimal_site: Path, tmp_path: Path) -> None:
    target = tmp_path / "www"
    dry = run_publish("--to", str(target), "--dry-run", cwd=minimal_site)
    assert "add    index.html" in dry.stdout and not target.exists()
    result = run_publish("--to", str(target), cwd=minimal_site)
    assert result.returncode == 0 and (target / "summaries/example/index.html").is_file()
