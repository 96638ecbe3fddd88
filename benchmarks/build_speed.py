"""Build speed and memory: lay-summaries against MkDocs, Pelican and Hugo, in one run.

    python benchmarks/build_speed.py                 # N = 1,000 and 10,000
    python benchmarks/build_speed.py --sizes 1000 --runs 3 --limit 300

Generates N deterministic synthetic ~700-word summaries (benchmarks/synthetic.py) in our format
and the same Markdown for each peer, then times, per generator: a cold build (no cache, no
output), a warm build (nothing changed), and a rebuild after one page was edited. Each figure
is the median of --runs runs; a run past --limit seconds is shown as "> limit". Peak memory is
the largest resident set of any one process of the build (os.wait4). MkDocs 1.6.1 and Pelican
4.12.0 are installed from PyPI into their own virtual environment (benchmarks/.peers); Hugo
is Debian's package. Prints Markdown tables: the figures, then each target of issue 8.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic  # noqa: E402

HERE = Path(__file__).resolve().parent
PEERS = HERE / ".peers"
PEER_PACKAGES = ["mkdocs==1.6.1", "pelican[markdown]==4.12.0"]


@dataclass
class Run:
    seconds: float | None  # None: over the limit
    peak_mb: float


def run(command: list[str], cwd: Path, limit: float) -> Run:
    log = tempfile.TemporaryFile()  # not a pipe: a build that prints a lot must not block on it
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=log)
    deadline = started + limit
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            process.kill()
            _, status, usage = os.wait4(process.pid, 0)
            return Run(None, usage.ru_maxrss / 1024)
        time.sleep(0.005)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1):  # lay exits 1 when findings fail targets; still built
        log.seek(0)
        raise RuntimeError(f"{' '.join(command)} failed: {log.read().decode()[-2000:]}")
    return Run(elapsed, usage.ru_maxrss / 1024)


def peers_python() -> Path:
    python = PEERS / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEERS)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PEER_PACKAGES], check=True)
    return python


def hugo() -> str | None:
    return shutil.which("hugo")


def edit(file: Path) -> None:
    file.write_text(file.read_text() + "\nOne more short sentence was added.\n")


@dataclass
class Generator:
    name: str
    write: object
    command: list[str]
    output: str
    edit_path: str
    cache: str | None = None


def generators(lay: list[str]) -> list[Generator]:
    peers = peers_python()
    found = [
        Generator("lay-summaries", synthetic.write_lay, [*lay, "build"], "site", "content/summaries/s00000.md", ".lay-cache"),
        Generator("MkDocs 1.6.1", synthetic.write_mkdocs, [str(peers), "-m", "mkdocs", "build", "-q"], "site", "docs/s00000.md"),
        Generator("Pelican 4.12", synthetic.write_pelican, [str(peers), "-m", "pelican", "content", "-o", "output", "-s", "pelicanconf.py", "-q"], "output", "content/s00000.md"),
    ]
    if hugo():
        found.append(Generator("Hugo (Debian)", synthetic.write_hugo, [hugo(), "--quiet"], "public", "content/posts/s00000.md"))
    return found


def measure(gen: Generator, n: int, runs: int, limit: float, work: Path) -> dict[str, list[Run]]:
    root = work / f"{gen.name.split()[0].lower()}-{n}"
    gen.write(root, n)  # type: ignore[operator]
    out: dict[str, list[Run]] = {"cold": [], "warm": [], "edit": []}
    for _ in range(runs):
        shutil.rmtree(root / gen.output, ignore_errors=True)
        if gen.cache:
            shutil.rmtree(root / gen.cache, ignore_errors=True)
        out["cold"].append(run(gen.command, root, limit))
        if out["cold"][-1].seconds is None:
            break
        out["warm"].append(run(gen.command, root, limit))
        edit(root / gen.edit_path)
        out["edit"].append(run(gen.command, root, limit))
    shutil.rmtree(root, ignore_errors=True)
    return out


def median(runs: list[Run]) -> float | None:
    times = [r.seconds for r in runs if r.seconds is not None]
    if not runs or len(times) < len(runs):
        return None
    return statistics.median(times)


def shown(value: float | None, limit: float) -> str:
    return f"> {limit:.0f}" if value is None else f"{value:.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3, help="runs per measure at 1,000 pages (one at 10,000)")
    parser.add_argument("--limit", type=float, default=240, help="seconds a peer may take before it is stopped")
    parser.add_argument("--serve", action="store_true", help="also measure lay serve save-to-reload at the first size")
    args = parser.parse_args()
    lay = [sys.executable, "-m", "lay_summaries"]
    results: dict[tuple[str, int], dict[str, list[Run]]] = {}
    with tempfile.TemporaryDirectory() as temp:
        for n in args.sizes:
            runs = args.runs if n <= 1000 else 1
            for gen in generators(lay):
                print(f"... {gen.name}, {n} pages", file=sys.stderr, flush=True)
                results[(gen.name, n)] = measure(gen, n, runs, args.limit, Path(temp))
    cpu = platform.processor() or platform.machine()
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    print(f"Machine: {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}. Median of {args.runs} runs at 1,000 pages, 1 run at 10,000; seconds.\n")
    print("| generator | pages | cold build | warm build | one page edited | peak memory (MB) |")
    print("|---|---:|---:|---:|---:|---:|")
    for (name, n), data in results.items():
        peak = max((r.peak_mb for kind in data.values() for r in kind), default=0)
        print(f"| {name} | {n:,} | {shown(median(data['cold']), args.limit)} | {shown(median(data['warm']), args.limit)} | "
              f"{shown(median(data['edit']), args.limit)} | {peak:.0f} |")
    print()
    targets(results, args.sizes, args.limit)
    return 0


def targets(results: dict[tuple[str, int], dict[str, list[Run]]], sizes: list[int], limit: float) -> None:
    def cold(name: str, n: int) -> float | None:
        return median(results.get((name, n), {}).get("cold", []))

    ours = "lay-summaries"
    rows = []
    if 1000 in sizes:
        lay_cold, lay_warm = cold(ours, 1000), median(results[(ours, 1000)]["warm"])
        for peer, ratio in (("MkDocs 1.6.1", 0.2), ("Pelican 4.12", 0.5)):
            theirs = cold(peer, 1000)
            if theirs is None or lay_cold is None:
                rows.append((f"cold build <= {ratio} x {peer} (1,000 pages)", "over the limit", "unknown"))
            else:
                value = lay_cold / theirs
                rows.append((f"cold build <= {ratio} x {peer} (1,000 pages)", f"{value:.2f} x", "met" if value <= ratio else "NOT met"))
        hugo_cold = cold("Hugo (Debian)", 1000)
        if hugo_cold and lay_warm:
            value = lay_warm / hugo_cold
            rows.append(("warm build <= 1.0 x Hugo's cold build (1,000 pages)", f"{value:.2f} x", "met" if value <= 1.0 else "NOT met"))
    if 1000 in sizes and 10000 in sizes:
        big = cold(ours, 10000)
        value = big / cold(ours, 1000) if big else None
        rows.append(("cold at 10,000 <= 11 x cold at 1,000 (linear)", f"{value:.1f} x" if value else "?", "met" if value and value <= 11 else "NOT met"))
        peak = max(r.peak_mb for kind in results[(ours, 10000)].values() for r in kind)
        rows.append(("peak memory at 10,000 pages <= 500 MB", f"{peak:.0f} MB", "met" if peak <= 500 else "NOT met"))
    print("| target (issue 8) | measured | result |")
    print("|---|---:|---|")
    for row in rows:
        print(f"| {' | '.join(row)} |")
    if any(row[2] == "NOT met" and row[0].startswith("cold build") for row in rows):
        print("\nWhy the cold-build targets are not met: a cold build runs Python-Markdown (about 2.5 ms a page), "
              "every plain-language check (about 5 ms a page) and the templates on the available cores, after "
              "loading the word lists; the peers run no checks. Caching cannot help a build with no cache.")
    if any(row[2] == "NOT met" and row[0].startswith("warm build") for row in rows):
        print("Why the warm-build target is not met: a warm build still starts Python, reads and hashes every "
              "source file, loads every page from the cache and rewrites the whole site atomically.")


if __name__ == "__main__":
    sys.exit(main())
