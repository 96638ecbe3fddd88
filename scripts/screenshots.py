"""Render a summary page to PNG: phone (375 px), desktop (1280 px) and print, into docs/.

    .venv/bin/python scripts/screenshots.py

Builds the example site into a temporary folder, serves it on 127.0.0.1 and drives Debian's
Chromium with Playwright (no browser download).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
PAGE = "summaries/il-6-in-scleroderma/"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def main() -> int:
    out = REPO / "docs"
    out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as temp:
        subprocess.run([sys.executable, "-m", "lay_summaries", "build", "--out", temp], cwd=REPO, check=True, capture_output=True)
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=temp))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/{PAGE}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for name, width, media in (("summary-phone-375.png", 375, "screen"), ("summary-desktop-1280.png", 1280, "screen"),
                                       ("summary-print.png", 800, "print")):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(url)
                page.emulate_media(media=media, color_scheme="light")
                page.screenshot(path=str(out / name), full_page=True)
                page.close()
                print(f"wrote docs/{name}")
            browser.close()
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
