"""The build cache: each kind of change invalidates exactly what it must; cached = cold output."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import copy_site, run_lay
from lay_summaries.build import BuildCache, BuildOptions, build
from lay_summaries.cache import DiskCache
from lay_summaries.content import Project


def add_pages(root: Path, count: int) -> None:
    """More summaries, so the parallel page stage runs too."""
    template = (root / "content/summaries/example.md").read_text()
    for index in range(count):
        (root / f"content/summaries/extra-{index:02d}.md").write_text(template.replace("A small study", f"Study {index}, a small study"))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = copy_site("minimal", tmp_path / "root")
    add_pages(root, 44)
    return root


def cached_build(root: Path, salt: str | None = None) -> tuple[dict[str, bytes], BuildCache]:
    disk = DiskCache(root / ".lay-cache") if salt is None else DiskCache(root / ".lay-cache", salt=salt)
    cache = BuildCache(memory=None, disk=disk)
    result = build(Project(root), BuildOptions(), cache)
    return dict(result.files), cache


def cold_build(root: Path) -> dict[str, bytes]:
    return dict(build(Project(root), BuildOptions(jobs=1), BuildCache(memory=None)).files)


def test_cached_build_is_byte_identical_to_a_cold_one(site: Path) -> None:
    first, cache = cached_build(site)
    assert (cache.redone, cache.reused) == (46, 0)
    second, cache = cached_build(site)
    assert (cache.redone, cache.reused) == (0, 46)
    assert (cache.html_redone, cache.html_reused) == (0, 47)  # 46 pages and the home page
    assert second == first == cold_build(site)


def test_parallel_and_serial_builds_agree(site: Path) -> None:
    parallel = dict(build(Project(site), BuildOptions(jobs=2), BuildCache(memory=None)).files)
    assert parallel == cold_build(site)


def test_editing_one_page_redoes_that_page_only(site: Path) -> None:
    cached_build(site)
    page = site / "content/summaries/extra-07.md"
    page.write_text(page.read_text().replace("The study was small.", "The study was very small."))
    files, cache = cached_build(site)
    assert (cache.redone, cache.reused) == (1, 45)
    assert cache.html_redone == 1  # the home page shows only the first key message, which is unchanged
    assert files == cold_build(site)
    assert b"The study was very small." in files["summaries/extra-07/index.html"]


def test_a_template_change_rerenders_pages_but_keeps_their_checks(site: Path) -> None:
    cached_build(site)
    (site / "templates").mkdir()
    (site / "templates/page.html").write_text('{% extends "base.html" %}{% block main %}<h1>{{ page.title }}</h1>{{ body }}<p>New!</p>{% endblock %}')
    files, cache = cached_build(site)
    assert (cache.redone, cache.reused) == (0, 46)
    assert cache.html_redone == 47  # every page's HTML depends on the template set
    assert b"<p>New!</p>" in files["about/index.html"]
    assert files == cold_build(site)


@pytest.mark.parametrize(
    ("path", "change"),
    [
        ("content/glossary.yaml", lambda text: text + "disease:\n  definition: A health problem.\n"),
        ("content/site.toml", lambda text: text + '\n[reading]\nmax_sentence_words = 12\n'),
    ],
)
def test_glossary_and_config_changes_redo_every_page(site: Path, path: str, change) -> None:
    cached_build(site)
    (site / path).write_text(change((site / path).read_text()))
    files, cache = cached_build(site)
    assert (cache.redone, cache.reused) == (46, 0)
    assert files == cold_build(site)


def test_a_new_package_version_starts_afresh(site: Path) -> None:
    cached_build(site)
    old = {p.name for p in (site / ".lay-cache").iterdir()}
    files, cache = cached_build(site, salt="lay-summaries=99.0")
    assert (cache.redone, cache.reused) == (46, 0)
    assert {p.name for p in (site / ".lay-cache").iterdir()}.isdisjoint(old)  # the old version's entries are gone
    assert files == cold_build(site)


def test_cache_holds_only_what_the_last_build_used(site: Path) -> None:
    cached_build(site)
    count = len(list((site / ".lay-cache").rglob("*/*/*")))
    (site / "content/summaries/extra-03.md").unlink()
    cached_build(site)
    assert len(list((site / ".lay-cache").rglob("*/*/*"))) == count - 4  # its record, page stage, links and HTML


def test_no_cache_and_clean_commands(minimal_site: Path) -> None:
    run_lay("build", "--no-cache", cwd=minimal_site, check=True)
    assert not (minimal_site / ".lay-cache").exists()
    result = run_lay("build", cwd=minimal_site, check=True)
    assert "5 page(s) processed" not in result.stdout and "2 page(s) processed, 0 from cache" in result.stdout
    again = run_lay("build", cwd=minimal_site, check=True)
    assert "0 page(s) processed, 2 from cache" in again.stdout
    assert run_lay("clean", cwd=minimal_site, check=True).stdout.strip() == "removed .lay-cache/"
    assert not (minimal_site / ".lay-cache").exists()
    assert run_lay("clean", cwd=minimal_site, check=True).stdout.strip() == "no .lay-cache/ to remove"
