"""Every bad input: one clear path:line message per problem, exit 2, previous site/ untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SITES, copy_site, run_lay, snapshot

CASES = sorted(p.name for p in SITES.iterdir() if p.name.startswith("bad-"))


def test_every_case_has_an_expectation() -> None:
    assert len(CASES) >= 12
    for case in CASES:
        assert (SITES / case / "expected.txt").read_text().strip(), case


@pytest.mark.parametrize("case", CASES)
def test_bad_input_reports_and_leaves_site_untouched(case: str, tmp_path: Path) -> None:
    root = copy_site("minimal", tmp_path / "root")
    run_lay("build", cwd=root, check=True)
    before = snapshot(root / "site")
    copy_site(case, root)  # lay the bad files over the good site
    result = run_lay("build", cwd=root)
    expected = (SITES / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    problems = [line for line in result.stderr.splitlines() if not line.startswith("lay build: failed")]
    assert problems == expected
    assert result.returncode == 2
    assert f"failed with {len(expected)} problem" in result.stderr
    assert snapshot(root / "site") == before
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".site")) == []  # no staging left behind


@pytest.mark.parametrize("case", CASES)
def test_check_reports_the_same_problems(case: str, tmp_path: Path) -> None:
    root = copy_site(case, tmp_path / "root")
    result = run_lay("check", cwd=root)
    assert result.returncode == 2
    expected = (SITES / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert [line for line in result.stderr.splitlines() if not line.startswith("lay check: failed")] == expected
