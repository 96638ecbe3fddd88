"""The checks on whole sites: the example passes, dense prose fails, formats, waivers, offline."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from conftest import copy_site, example_site, run_lay


def test_example_site_passes_check_and_shows_grades(built_example: Path) -> None:
    result = run_lay("check", cwd=built_example)
    assert result.returncode == 0, result.stdout + result.stderr
    for path in ("content/summaries/il-6-in-scleroderma.md", "content/pages/what-is-il-6.md"):
        assert path in result.stdout
    assert "FAIL" not in result.stdout
    data = json.loads(run_lay("check", "--format", "json", cwd=built_example).stdout)
    assert len(data["pages"]) == 6
    for page in data["pages"]:
        assert page["raw"]["consensus"] <= 8, page["path"]
        assert page["raw"]["reading_ease"] >= 60, page["path"]


def test_example_site_passes_strict(built_example: Path, tmp_path: Path) -> None:
    result = run_lay("build", "--strict", "--out", str(tmp_path / "out"), cwd=built_example)
    assert result.returncode == 0, result.stderr


@pytest.fixture
def dense_site(tmp_path: Path) -> Path:
    return copy_site("dense-prose", tmp_path / "dense")


def test_dense_prose_fails_check_naming_sentences_jargon_and_abbreviations(dense_site: Path) -> None:
    result = run_lay("check", cwd=dense_site)
    assert result.returncode == 1
    out = result.stdout
    assert "content/pages/dense.md:4: reading-grade: reads at grade" in out
    assert 'content/pages/dense.md:7: long-sentence: 29 words, target 20: "Elevated circulating concentrations' in out
    assert 'split it after "with dcSSc exhibiting thrombocytosis"' in out
    assert "content/pages/dense.md:8: long-sentence: 26 words" in out
    for word in ("immunohistochemical", "perivascular", "phosphorylation", "homeostasis"):
        assert f"jargon: '{word}' is a rare word" in out
    assert "define 'immunohistochemical' in content/glossary.yaml" in out
    for abbreviation, line in (("dcSSc", 7), ("JAK2", 8), ("STAT3", 8), ("ERK", 8), ("mRSS", 9)):
        assert f"content/pages/dense.md:{line}: abbreviation: '{abbreviation}' is not defined" in out
    assert "FAIL" in out


def test_dense_prose_fails_strict_build_and_writes_nothing(dense_site: Path) -> None:
    result = run_lay("build", "--strict", cwd=dense_site)
    assert result.returncode == 1
    assert "lay build --strict:" in result.stderr and "site not written" in result.stderr
    assert not (dense_site / "site").exists()
    relaxed = run_lay("build", cwd=dense_site)
    assert relaxed.returncode == 0
    assert "reading-grade" in relaxed.stderr  # findings are printed, the build succeeds


def test_json_report_matches_its_schema(dense_site: Path) -> None:
    result = run_lay("check", "--format", "json", cwd=dense_site)
    data = json.loads(result.stdout)
    schema = json.loads(resources.files("lay_summaries").joinpath("schemas/check-report.schema.json").read_text())
    jsonschema.validate(data, schema)
    assert data["version"] == 1
    assert data["summary"]["pages_failing"] == 1
    dense = next(p for p in data["pages"] if p["path"] == "content/pages/dense.md")
    assert dense["passes"] is False and dense["sections"][0]["title"] == "Findings"


def test_junit_report_has_a_case_per_page(dense_site: Path) -> None:
    result = run_lay("check", "--format", "junit", cwd=dense_site)
    root = ET.fromstring(result.stdout.split("?>", 1)[1])
    cases = root.findall("./testsuite/testcase")
    assert sorted(c.get("name") for c in cases) == ["content/pages/about.md", "content/pages/dense.md", "content/summaries/example.md"]
    failed = [c.get("name") for c in cases if c.find("failure") is not None]
    assert failed == ["content/pages/dense.md"]
    assert root.find("./testsuite").get("failures") == "1"


def test_html_report_is_written_to_a_file(dense_site: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    result = run_lay("check", "--format", "html", "--output", str(report), cwd=dense_site)
    assert result.returncode == 1 and result.stdout == ""
    html = report.read_text()
    assert html.startswith("<!doctype html>")
    assert '<mark title="line 7">Elevated circulating concentrations' in html


def test_waiver_with_reason_is_shown_and_unknown_check_ids_are_errors(minimal_site: Path) -> None:
    page = minimal_site / "content/pages/about.md"
    page.write_text("---\ntitle: About\nwaivers:\n  - check: long-sentence\n    reason: A quoted title must stay whole.\n---\n\n"
                    "This sentence is long on purpose because it quotes a whole title that we must not split into parts at all.\n")
    result = run_lay("check", cwd=minimal_site)
    assert result.returncode == 0
    assert "long-sentence: " not in result.stdout.replace("waived long-sentence: ", "")
    assert "content/pages/about.md:4: waived long-sentence: A quoted title must stay whole." in result.stdout
    page.write_text(page.read_text().replace("reason: A quoted title must stay whole.\n", ""))
    result = run_lay("check", cwd=minimal_site)
    assert result.returncode == 2
    assert "content/pages/about.md:4: missing required key 'waivers[1].reason'" in result.stderr


def test_severity_settings_in_site_toml(minimal_site: Path) -> None:
    page = minimal_site / "content/pages/about.md"
    page.write_text(page.read_text() + "\nThe samples were measured by the team in the lab.\n")
    assert "passive-voice" in run_lay("check", cwd=minimal_site).stdout
    config = minimal_site / "content/site.toml"
    config.write_text(config.read_text() + '\n[severity]\npassive-voice = "off"\n')
    result = run_lay("check", cwd=minimal_site)
    assert "passive-voice" not in result.stdout and result.returncode == 0
    config.write_text(config.read_text().replace('passive-voice = "off"', 'passive-voice = "error"'))
    assert run_lay("check", cwd=minimal_site).returncode == 1
    config.write_text(config.read_text().replace('passive-voice = "error"', 'passive-voyce = "error"'))
    result = run_lay("check", cwd=minimal_site)
    assert result.returncode == 2
    assert "unknown check 'passive-voyce' in [severity]; did you mean 'passive-voice'?" in result.stderr


def test_structure_findings(minimal_site: Path) -> None:
    summary = minimal_site / "content/summaries/example.md"
    text = summary.read_text()
    text = text.replace("  - The study was small.\n", "").replace("## What does this mean?", "## Meaning")
    text = text.replace("reviewed_by:\n  - name: Test Reviewer\n    role: nurse\n", "")
    summary.write_text(text + "\nTODO: say more here.\n")
    out = run_lay("check", cwd=minimal_site).stdout
    assert "content/summaries/example.md:15: key-messages: 1 key message(s); a summary needs 2 or 3" in out
    assert "required-section: missing the section '## What does this mean?'" in out
    assert "review-info: 'reviewed_by' is missing" in out
    assert "todo: TODO left in the text: TODO: say more here." in out


def test_numbers_check_flags_a_transcription_error(minimal_site: Path) -> None:
    summary = minimal_site / "content/summaries/example.md"
    summary.write_text(summary.read_text().replace("from 20 people", "from 200 people"))
    out = run_lay("check", cwd=minimal_site).stdout
    assert "number-not-in-source: '200' does not appear in the source abstract" in out


def test_broken_internal_link_and_anchor(minimal_site: Path) -> None:
    page = minimal_site / "content/pages/about.md"
    page.write_text(page.read_text() + "\nSee [this](../nowhere/) and [that](../summaries/example/#no-such-part).\n")
    result = run_lay("check", cwd=minimal_site)
    assert "content/pages/about.md:7: broken-link: link '../nowhere/' is broken: no page is built at this address" in result.stdout
    assert "link '../summaries/example/#no-such-part' is broken: the page has no heading with the anchor '#no-such-part'" in result.stdout
    assert result.returncode == 1


BLOCK_NETWORK = """
import socket, sys, json
def refuse(*args, **kwargs):
    raise OSError("network blocked by test")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from pathlib import Path
from lay_summaries.build import build
from lay_summaries.content import Project
site = build(Project(Path(sys.argv[1])))
print(json.dumps({r.path: r.raw.as_dict() for r in site.checks.reports.values()}, sort_keys=True))
"""


def test_checks_give_the_same_numbers_with_network_blocked(tmp_path: Path) -> None:
    root = example_site(tmp_path / "ex")
    offline = subprocess.run([sys.executable, "-c", BLOCK_NETWORK, str(root)], capture_output=True, text=True, timeout=300)
    assert offline.returncode == 0, offline.stderr
    online = subprocess.run([sys.executable, "-c", BLOCK_NETWORK.replace("socket.socket.connect =", "_ ="), str(root)],
                            capture_output=True, text=True, timeout=300)
    assert json.loads(offline.stdout) == json.loads(online.stdout)
    scores = json.loads(offline.stdout)
    assert scores["content/pages/what-is-il-6.md"]["words"] > 100


def test_html_report_opens_in_a_browser(dense_site: Path, tmp_path: Path, browser) -> None:
    report = tmp_path / "report.html"
    run_lay("check", "--format", "html", "--output", str(report), cwd=dense_site)
    page = browser.new_page()
    page.goto(report.as_uri())
    assert page.locator("h1").inner_text() == "Plain-language report"
    assert page.locator("td.fail").count() == 1
    flagged = page.locator("mark")
    assert flagged.count() >= 3 and flagged.first.is_visible()
    assert "Elevated circulating concentrations" in flagged.first.inner_text()
    jargon = page.locator("span.jargon")
    assert "immunohistochemical" in [w.lower() for w in jargon.all_inner_texts()]
    assert "wavy" in page.evaluate("getComputedStyle(document.querySelector('span.jargon')).textDecorationStyle")
    page.close()
