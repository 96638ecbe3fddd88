"""Shared helpers: sample sites under tests/sites/, the CLI run as a real process, tree snapshots."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SITES = Path(__file__).parent / "sites"


def copy_site(case: str, dest: Path) -> Path:
    """A sample site: tests/sites/minimal with tests/sites/<case> laid over it."""
    shutil.copytree(SITES / "minimal", dest, dirs_exist_ok=True)
    if case != "minimal":
        shutil.copytree(SITES / case, dest, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt"))
    return dest


def example_site(dest: Path) -> Path:
    """A copy of the real example site, as the installed package carries it."""
    from lay_summaries.resources import bundled_root

    root = bundled_root()
    for folder in ("content", "templates", "static"):
        shutil.copytree(root / folder, dest / folder)
    return dest


def run_lay(*args: str, cwd: Path, check: bool = False) -> subprocess.CompletedProcess[str]:
    """Run the real command line, as a user would, from ``cwd``."""
    result = subprocess.run(
        [sys.executable, "-m", "lay_summaries", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )
    if check and result.returncode != 0:
        raise AssertionError(f"lay {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` with its bytes: equal snapshots mean an untouched tree."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def minimal_site(tmp_path: Path) -> Path:
    return copy_site("minimal", tmp_path / "site-root")


@pytest.fixture(scope="session")
def built_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site, built once per test session with the CLI (read-only for tests)."""
    root = example_site(tmp_path_factory.mktemp("example"))
    run_lay("build", cwd=root, check=True)
    return root
