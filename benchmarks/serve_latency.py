"""Save-to-reload latency of `lay serve` on the example site.

Starts the real server on 127.0.0.1, listens to its Server-Sent Events like an open page,
saves a summary N times (temp file + rename, as editors do) and measures the time from each
save to the reload event. Prints a Markdown table.

    python benchmarks/serve_latency.py [--edits 20] [--poll] [--pages 1000]

With --pages N it measures a synthetic site of N summaries (benchmarks/synthetic.py) instead.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lay_summaries.resources import bundled_root

SUMMARY = "content/summaries/il-6-in-scleroderma.md"


def open_events(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.sendall(b"GET /__lay__/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    buffer = b""
    while b"\r\n\r\n" not in buffer:
        buffer += sock.recv(4096)
    return sock


def wait_for(sock: socket.socket, event: bytes) -> None:
    buffer = b""
    while b"event: " + event not in buffer:
        chunk = sock.recv(4096)
        if not chunk:
            raise RuntimeError("event stream closed early")
        buffer += chunk


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--poll", action="store_true", help="measure the polling watcher instead of inotify")
    parser.add_argument("--pages", type=int, help="a synthetic site of this many summaries instead of the example")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        summary_path = SUMMARY
        if args.pages:
            sys.path.insert(0, str(Path(__file__).resolve().parent))
            import synthetic

            synthetic.write_lay(root / "site-root", args.pages)
            root = root / "site-root"
            summary_path = "content/summaries/s00000.md"
        else:
            for folder in ("content", "templates", "static"):
                shutil.copytree(bundled_root() / folder, root / folder)
        command = [sys.executable, "-m", "lay_summaries", "serve", "--port", "0"] + (["--poll"] if args.poll else [])
        server = subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            port = int(re.search(r":(\d+)/", server.stdout.readline()).group(1))
            summary = root / summary_path
            original = summary.read_text(encoding="utf-8")
            timings = []
            for edit in range(args.edits):
                sock = open_events(port)
                time.sleep(0.05)  # let the stream settle, as a page would
                temp_file = summary.with_name(summary.name + ".tmp")
                temp_file.write_text(original + f"\nEdit number {edit} adds this sentence.\n", encoding="utf-8")
                started = time.perf_counter()
                os.replace(temp_file, summary)
                wait_for(sock, b"reload")
                timings.append((time.perf_counter() - started) * 1000)
                sock.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    median = statistics.median(timings)
    watcher = "polling" if args.poll else "inotify"
    site = f"{args.pages:,} synthetic pages" if args.pages else "example site"
    print(f"| measure ({args.edits} edits, {site}, {watcher}) | ms |")
    print("|---|---|")
    print(f"| median save-to-reload | {median:.0f} |")
    print(f"| 90th percentile | {sorted(timings)[int(len(timings) * 0.9) - 1]:.0f} |")
    print(f"| fastest / slowest | {min(timings):.0f} / {max(timings):.0f} |")
    print(f"| target (issue 4: <= 200 ms; issue 8: <= 100 ms) | {'met' if median <= 100 else 'met for 200 only' if median <= 200 else 'NOT met'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
