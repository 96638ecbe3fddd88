"""Shared helpers: sample sites under tests/sites/, the CLI run as a real process, tree snapshots."""

from __future__ import annotations

import re
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


CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; no browser is downloaded."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Server:
    """A real process listening on 127.0.0.1, stopped by the test that started it."""

    def __init__(self, args: list[str], cwd: Path):
        self.process = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not match:
            self.stop()
            raise AssertionError(f"server did not start: {line!r} {self.process.stderr.read()}")
        self.port = int(match.group(1))
        self.url = f"http://127.0.0.1:{self.port}/"

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.stderr.read() if self.process.stderr else ""


@pytest.fixture
def minimal_site(tmp_path: Path) -> Path:
    return copy_site("minimal", tmp_path / "site-root")


@pytest.fixture(scope="session")
def built_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site, built once per test session with the CLI (read-only for tests)."""
    root = example_site(tmp_path_factory.mktemp("example"))
    run_lay("build", cwd=root, check=True)
    return root
