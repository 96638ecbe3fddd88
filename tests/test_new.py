"""lay new: drafts from a title, PubMed XML and pasted abstracts; hostile XML is refused."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import run_lay
from lay_summaries.papers import read_pubmed, split_abstract

FIXTURES = Path(__file__).parent / "fixtures/pubmed"
SEED_STYLE = """Clinical significance of a protein in a skin disease

Objective
To find out if a protein matters in the disease.

Methods
The protein was measured in 68 patients and 15 controls.

Results
The protein was often high.

Conclusion
The protein may be a useful marker.
"""
INLINE_STYLE = ("OBJECTIVE To find out if a protein matters. METHODS The protein was measured in 68 patients. "
                "RESULTS It was often high. CONCLUSIONS It may be a useful marker.")


def test_pubmed_fields() -> None:
    first, second = read_pubmed((FIXTURES / "several.xml").read_bytes(), "several.xml")
    assert first.source.title == "A made-up trial of an IL-6 blocker in diffuse skin disease"  # <i> resolved
    assert first.source.authors == ("Jane A Doe", "Made-up Scleroderma Study Group")  # collective name kept
    citation = first.source
    assert (citation.journal, citation.year, citation.volume, citation.issue, citation.pages) == ("Journal of Made-up Rheumatology", 2021, "12", "3", "101-110")
    assert (citation.doi, citation.pmid) == ("10.9999/made-up.2021.001", "11111111")
    assert citation.publication_type == "Randomized Controlled Trial"
    assert first.topics == ("Scleroderma, Diffuse",)  # major MeSH topics only
    assert [s.label for s in first.sections] == ["Background", "Methods", "Findings", "Interpretation", "Funding"]
    methods = first.sections[1].text
    assert "1·5 mg/L" in methods and "3×10⁹/L" in methods  # &#xb7; and <sup> come through
    assert "some patients" in first.sections[3].text  # <b> dropped, words kept
    assert second.source.year == 2019  # from MedlineDate "2019 Jan-Feb"
    assert second.source.doi is None and second.source.issue is None
    assert second.source.publication_type == "Journal Article; Review"
    assert [s.label for s in second.sections] == ["Abstract"]  # unstructured: one section
    assert second.topics == ("Interleukin-6", "Fibrosis")  # no major topic: all headings


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        (SEED_STYLE, ["Objective", "Methods", "Results", "Conclusion"]),
        (INLINE_STYLE, ["Objective", "Methods", "Results", "Conclusion"]),
        ("BACKGROUND: Some text.\nMETHODS: More text.\nRESULTS: Numbers.\nCONCLUSIONS: An ending.", ["Background", "Methods", "Results", "Conclusion"]),
        ("Background - Some text.\nAims. More text.\nFindings: Numbers.\nInterpretation - An ending.", ["Background", "Aim", "Findings", "Interpretation"]),
        ("Objective To determine things.\nMethods Serum was measured.\nResults It was high.\nConclusion It matters.", ["Objective", "Methods", "Results", "Conclusion"]),
        ("A plain abstract with no labels. Results show that it works.", ["Abstract"]),
    ],
)
def test_pasted_abstracts_split_into_their_sections(text: str, labels: list[str]) -> None:
    _, sections = split_abstract(text)
    assert [s.label for s in sections] == labels
    assert all(s.text for s in sections)


def test_seed_abstract_splits_exactly() -> None:
    """The real seed capture (shared/ sits beside the repository, in CI too), publisher clutter and all."""
    seed = Path(__file__).resolve().parents[2] / "shared/seeds/003_372f6b67bff3dd2c.txt"
    assert seed.exists(), f"{seed} is missing: shared/ must sit beside the repository"
    text = seed.read_text()
    start = text.find("Objective")
    end = text.find("Statistics from") if "Statistics from" in text else len(text)
    title, sections = split_abstract(text[start:end])
    assert [s.label for s in sections] == ["Objective", "Methods", "Results", "Conclusion"]


def test_new_from_title_has_todos_that_fail_strict(minimal_site: Path) -> None:
    result = run_lay("new", "A plain title for a new study", cwd=minimal_site, check=True)
    draft = minimal_site / "content/summaries/a-plain-title-for-a-new-study.md"
    assert "wrote content/summaries/a-plain-title-for-a-new-study.md" in result.stdout
    text = draft.read_text()
    for heading in ("## What was the study about?", "## What did the researchers do?", "## What did they find?",
                    "## What does this mean?", "## Where can I learn more?"):
        assert heading in text
    check = run_lay("check", cwd=minimal_site)
    assert check.returncode == 1
    todos = [line for line in check.stdout.splitlines() if "a-plain-title-for-a-new-study.md" in line and ": todo:" in line]
    assert len(todos) >= 7
    assert run_lay("build", cwd=minimal_site).returncode == 0
    strict = run_lay("build", "--strict", cwd=minimal_site)
    assert strict.returncode == 1 and "todo" in strict.stderr


def test_new_from_pubmed_makes_one_summary_per_record_and_the_site_builds(minimal_site: Path) -> None:
    result = run_lay("new", "--from-pubmed", str(FIXTURES / "several.xml"), "--add-glossary-stubs", cwd=minimal_site, check=True)
    made = sorted(p.name for p in (minimal_site / "content/summaries").glob("a-made-up-*.md"))
    assert made == ["a-made-up-review-of-interleukin-6-signalling.md", "a-made-up-trial-of-an-il-6-blocker-in-diffuse-skin-disease.md"]
    assert "dcSSc (abbreviation): not in the glossary" in result.stdout
    assert "IL-6 (abbreviation): defined" in result.stdout
    glossary = (minimal_site / "content/glossary.yaml").read_text()
    assert '"dcSSc":\n  definition: "TODO: say what \'dcSSc\' means, in plain words"' in glossary
    trial = (minimal_site / "content/summaries/a-made-up-trial-of-an-il-6-blocker-in-diffuse-skin-disease.md").read_text()
    assert 'doi: "10.9999/made-up.2021.001"' in trial and "year: 2021" in trial
    assert 'funding: "A made-up charity."' in trial
    assert "<!-- From the abstract (Methods): We randomised 87 patients" in trial
    build = run_lay("build", cwd=minimal_site)
    assert build.returncode == 0, build.stderr
    page = (minimal_site / "site/summaries/a-made-up-trial-of-an-il-6-blocker-in-diffuse-skin-disease/index.html").read_text()
    assert "1·5 mg/L" in page and "https://doi.org/10.9999/made-up.2021.001" in page
    again = run_lay("new", "--from-pubmed", str(FIXTURES / "several.xml"), cwd=minimal_site)
    assert again.returncode == 2 and "already exists; pass --force to overwrite it" in again.stderr
    assert run_lay("new", "--from-pubmed", str(FIXTURES / "several.xml"), "--force", cwd=minimal_site).returncode == 0


def test_new_from_pasted_text_on_stdin(minimal_site: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "lay_summaries", "new", "--from-text", "-", "Is a protein high in a skin disease?"],
                            input=SEED_STYLE, cwd=minimal_site, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "The abstract was split into these sections:\n  Objective: To find out if a protein matters in the disease." in result.stdout
    text = (minimal_site / "content/summaries/is-a-protein-high-in-a-skin-disease.md").read_text()
    assert 'title: "Clinical significance of a protein in a skin disease"' in text  # the leading line is the paper's title
    assert text.count("  - label:") == 4
    assert run_lay("build", cwd=minimal_site).returncode == 0


@pytest.mark.parametrize("fixture", ["billion-laughs.xml", "external-entity.xml"])
def test_hostile_xml_is_refused_fast_and_nothing_is_written(minimal_site: Path, fixture: str) -> None:
    before = sorted((minimal_site / "content").rglob("*"))
    started = time.perf_counter()
    result = run_lay("new", "--from-pubmed", str(FIXTURES / fixture), cwd=minimal_site)
    assert time.perf_counter() - started < 30
    assert result.returncode == 2
    assert f"{FIXTURES / fixture}:3: refused: the XML declares entities" in result.stderr
    assert sorted((minimal_site / "content").rglob("*")) == before


def test_hostile_xml_is_refused_in_process_without_expanding() -> None:
    started = time.perf_counter()
    with pytest.raises(Exception) as error:
        read_pubmed((FIXTURES / "billion-laughs.xml").read_bytes(), "x.xml")
    assert time.perf_counter() - started < 1.0
    assert "refused" in str(error.value)


def test_malformed_xml_gives_its_line(minimal_site: Path) -> None:
    result = run_lay("new", "--from-pubmed", str(FIXTURES / "malformed.xml"), cwd=minimal_site)
    assert result.returncode == 2
    assert f"{FIXTURES / 'malformed.xml'}:5: not well-formed XML: mismatched tag" in result.stderr
