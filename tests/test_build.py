"""lay build on the example site and on the minimal sample site: the happy path."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import example_site, run_lay, snapshot

SUMMARIES = ("il-6-in-scleroderma", "tocilizumab-for-scleroderma")
PAGES = ("what-is-scleroderma", "what-is-il-6", "what-is-tocilizumab", "about")


def read(root: Path, path: str) -> str:
    return (root / "site" / path).read_text(encoding="utf-8")


def test_example_site_has_every_page(built_example: Path) -> None:
    site = built_example / "site"
    expected = ["index.html", "glossary/index.html", "404.html", "robots.txt"]
    expected += [f"summaries/{slug}/index.html" for slug in SUMMARIES]
    expected += [f"{slug}/index.html" for slug in PAGES]
    for path in expected:
        assert (site / path).is_file(), path
    assert list((site / "static" / "css").glob("style.*.css")), "fingerprinted stylesheet missing"


def test_summary_page_shows_every_element(built_example: Path) -> None:
    html = read(built_example, "summaries/il-6-in-scleroderma/index.html")
    assert "<h2 id=\"key-messages\">Key messages</h2>" in html
    assert "Many people with scleroderma had high levels of a protein called IL-6" in html
    assert "The team took blood from 68 people with scleroderma" in html
    assert "15 people" in html
    assert "About this summary" in html and "Written by" in html and "Reviewed by" in html
    assert "Last reviewed</dt><dd>23 November 2026" in html
    assert "Raynaud&#39;s &amp; Scleroderma Association" in html  # funding
    assert "The authors declared no competing interests." in html
    assert "Korsa Khan, Shiwen Xu" in html and "<cite>Clinical and pathological significance" in html
    assert re.search(r"<details class=\"technical\">\s*<summary>Technical summary for health professionals</summary>", html)
    assert "<dt>Objective</dt>" in html and "<dt>Conclusion</dt>" in html
    assert "This is not medical advice." in html and "Talk to your doctor" in html


def test_review_summary_has_one_abstract_section_and_no_invented_metadata(built_example: Path) -> None:
    html = read(built_example, "summaries/tocilizumab-for-scleroderma/index.html")
    technical = html.split('<details class="technical">')[1].split("</details>")[0]
    assert technical.count("<dt>") == 1
    assert "doi.org" not in html and "pubmed.ncbi" not in html
    assert "does not give a DOI, PubMed ID or link" in html


def test_glossary_terms_are_explained_in_place_once(built_example: Path) -> None:
    html = read(built_example, "summaries/il-6-in-scleroderma/index.html")
    body = html.split('<div class="prose">')[1].split("</div>")[0]
    assert body.count('class="term-button" popovertarget="term-fibrosis"') == 1  # first use only
    assert '<span class="term-def" id="term-fibrosis" popover>' in body
    assert 'href="../../glossary/#fibrosis"' in body
    glossary = read(built_example, "glossary/index.html")
    assert '<dt id="fibrosis">fibrosis</dt>' in glossary
    assert glossary.count("<dt id=") >= 25


def test_links_are_relative(built_example: Path) -> None:
    for page in (built_example / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for href in re.findall(r'(?:href|src)="([^"]+)"', html):
            if page.name == "404.html":
                continue  # served at any depth, so it links from the site root
            assert not href.startswith("/"), f"{page}: {href}"


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    root = example_site(tmp_path)
    run_lay("build", cwd=root, check=True)
    first = snapshot(root / "site")
    run_lay("build", cwd=root, check=True)
    assert snapshot(root / "site") == first


def test_build_prints_what_it_built_and_how_long(minimal_site: Path) -> None:
    result = run_lay("build", cwd=minimal_site, check=True)
    assert re.search(r"Built 5 pages \(\d+ files\) in \d+\.\d\ds -> site/", result.stdout)


def test_deleted_page_leaves_no_stale_file(minimal_site: Path) -> None:
    run_lay("build", cwd=minimal_site, check=True)
    assert (minimal_site / "site/about/index.html").exists()
    (minimal_site / "content/pages/about.md").unlink()
    (minimal_site / "content/summaries/example.md").write_text(
        (minimal_site / "content/summaries/example.md").read_text().replace("Read the [about page](../../about/).", "Ask us."),
    )
    run_lay("build", cwd=minimal_site, check=True)
    assert not (minimal_site / "site/about").exists()


def test_out_option_and_python_dash_m(minimal_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "elsewhere"
    run_lay("build", "--out", str(out), cwd=minimal_site, check=True)
    assert (out / "index.html").is_file()
    assert not (minimal_site / "site").exists()


def test_lay_console_script_is_installed() -> None:
    lay = Path(sys.executable).parent / "lay"
    result = subprocess.run([str(lay), "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("lay-summaries ")


def test_init_makes_a_site_that_builds(tmp_path: Path) -> None:
    target = tmp_path / "new-site"
    result = run_lay("init", str(target), cwd=tmp_path, check=True)
    assert "Started a new site" in result.stdout
    for path in ("content/site.toml", "content/glossary.yaml", "templates/base.html", "static/css/style.css", ".gitignore"):
        assert (target / path).is_file(), path
    run_lay("build", cwd=target, check=True)
    assert (target / "site/index.html").is_file()


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    result = run_lay("init", "busy", cwd=tmp_path)
    assert result.returncode == 2
    assert "folder is not empty; choose a new folder or pass --force" in result.stderr
    assert (tmp_path / "busy" / "notes.txt").read_text() == "mine"


def test_site_templates_override_the_theme(minimal_site: Path) -> None:
    (minimal_site / "templates").mkdir()
    (minimal_site / "templates/404.html").write_text('{% extends "base.html" %}{% block main %}<h1>Lost?</h1>{% endblock %}')
    run_lay("build", cwd=minimal_site, check=True)
    assert "<h1>Lost?</h1>" in (minimal_site / "site/404.html").read_text()


def test_harmless_raw_html_is_removed_and_reported(minimal_site: Path) -> None:
    page = minimal_site / "content/pages/about.md"
    page.write_text(page.read_text() + '\n<font color="red">Big</font> and <span style="color:red">red</span>\n')
    result = run_lay("build", cwd=minimal_site, check=True)
    assert "content/pages/about.md:7: removed-html: raw HTML <font> was removed by the sanitiser" in result.stderr
    assert "content/pages/about.md:7: removed-html: raw HTML the style attribute on <span> was removed" in result.stderr
    html = (minimal_site / "site/about/index.html").read_text()
    assert "<font" not in html and "style=" not in html and "red</span>" in html
