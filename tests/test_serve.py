"""lay serve: pure parts as tables, then the real server in a real headless Chromium."""

from __future__ import annotations

import http.client
import os
import socket
import sys
import time
from pathlib import Path

import pytest

from conftest import Server, run_lay
from lay_summaries.serve import resolve
from lay_summaries.watch import Debouncer, is_ignored

FILES = {"index.html": b"", "about/index.html": b"", "static/css/style.0123456789.css": b"", "404.html": b""}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", (200, "index.html")),
        ("/about/", (200, "about/index.html")),
        ("/about", (301, "/about/")),
        ("/about/?x=1", (200, "about/index.html")),
        ("/static/css/style.0123456789.css", (200, "static/css/style.0123456789.css")),
        ("/nope/", (404, "404.html")),
        ("/../pyproject.toml", (404, "404.html")),
        ("/%2e%2e/pyproject.toml", (404, "404.html")),
        ("/..%2fcontent/site.toml", (404, "404.html")),
        ("/about/../../etc/passwd", (404, "404.html")),
        ("/%2E%2E%5Ccontent", (404, "404.html")),
        ("/about/%00", (404, "404.html")),
        ("/content/site.toml", (404, "404.html")),
    ],
)
def test_resolve_serves_only_the_built_site(path: str, expected: tuple[int, str]) -> None:
    assert resolve(path, FILES) == expected


@pytest.mark.parametrize(
    ("path", "ignored"),
    [
        ("content/summaries/x.md", False),
        ("content/summaries/.x.md.swp", True),
        ("content/summaries/x.md.swx", True),
        ("content/summaries/x.md~", True),
        ("content/summaries/.#x.md", True),
        ("content/summaries/#x.md#", True),
        ("content/summaries/4913", True),
        ("templates/base.html", False),
        ("static/css/style.css", False),
        ("content/.git/index", True),
        ("static/__pycache__/x.pyc", True),
    ],
)
def test_editor_droppings_are_ignored(path: str, ignored: bool) -> None:
    assert is_ignored(path) is ignored


def test_debounce_waits_for_the_burst_to_settle() -> None:
    debouncer = Debouncer(delay=0.1, max_wait=1.0)
    assert debouncer.due(0.0) is None
    debouncer.add("content/a.md.tmp", 0.0)  # ignored: never triggers alone
    assert debouncer.due(5.0) is None
    debouncer.add("content/a.md", 1.00)
    debouncer.add("content/.a.md.swp", 1.02)
    debouncer.add("content/a.md", 1.05)
    assert debouncer.due(1.10) is None  # still within 0.1 s of the last save
    assert debouncer.wait_time(1.10) == pytest.approx(0.05)
    assert debouncer.due(1.16) == ["content/a.md"]
    assert debouncer.due(1.30) is None


def test_debounce_caps_the_wait_for_a_file_written_continuously() -> None:
    debouncer = Debouncer(delay=0.1, max_wait=0.5)
    for step in range(20):
        debouncer.add("content/a.md", step * 0.05)
        batch = debouncer.due(step * 0.05)
        if batch:
            break
    assert batch == ["content/a.md"] and step * 0.05 >= 0.5 - 1e-9


def eventually(probe, until=404, done=None, timeout: float = 10.0):
    """Call ``probe`` until its answer is ``until`` (or ``done(answer)``) or the time is up;
    return the last answer, for the caller to assert on."""
    deadline = time.monotonic() + timeout
    while True:
        answer = probe()
        if (done(answer) if done else answer == until) or time.monotonic() > deadline:
            return answer
        time.sleep(0.1)


def save_like_an_editor(path: Path, text: str) -> None:
    """Write a temp file, then rename it over the original, as many editors do."""
    temp = path.with_name(path.name + ".tmp")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


@pytest.fixture
def server(minimal_site: Path):
    running = Server([sys.executable, "-m", "lay_summaries", "serve", "--port", "0"], cwd=minimal_site)
    yield running
    running.stop()


def test_edit_error_fix_and_delete_in_a_real_browser(server: Server, minimal_site: Path, browser) -> None:
    summary = minimal_site / "content/summaries/example.md"
    original = summary.read_text()
    page = browser.new_page()
    page.goto(server.url + "summaries/example/")
    assert "IL-6 was higher in people with the disease." in page.inner_text("main")
    assert page.locator("#lay-panel").is_visible()

    save_like_an_editor(summary, original.replace("The protein may cause fibrosis.", "The protein may cause stiff skin."))
    page.wait_for_function("document.querySelector('main').innerText.includes('may cause stiff skin')", timeout=10000)

    save_like_an_editor(summary, original.replace("title: A small study of a protein", "title: [broken"))
    overlay = page.locator("#lay-error-overlay")
    overlay.wait_for(state="visible", timeout=10000)
    assert "content/summaries/example.md:2:" in overlay.inner_text()
    assert "may cause stiff skin" in page.inner_text("main")  # the last good build stays underneath

    save_like_an_editor(summary, original)
    overlay.wait_for(state="detached", timeout=10000)
    page.wait_for_function("document.querySelector('main').innerText.includes('may cause fibrosis')", timeout=10000)

    (minimal_site / "content/pages/about.md").unlink()
    save_like_an_editor(summary, original.replace("Read the [about page](../../about/).", "Ask us."))
    assert eventually(lambda: page.goto(server.url + "about/").status) == 404
    assert "Page not found" in page.inner_text("main")

    (minimal_site / "content/pages/new.md").write_text("---\ntitle: A new page\n---\n\nHello there.\n")
    assert eventually(lambda: page.goto(server.url + "new/").status, until=200) == 200
    assert "Hello there." in page.inner_text("main")
    page.close()
    assert server.alive()


def test_template_error_shows_overlay_and_fix_clears_it(server: Server, minimal_site: Path, browser) -> None:
    templates = minimal_site / "templates"
    templates.mkdir(exist_ok=True)
    page = browser.new_page()
    page.goto(server.url + "about/")
    bad = '{% extends "base.html" %}\n{% block main %}\n<h1>{{ page.title }</h1>\n{% endblock %}\n'
    save_like_an_editor(templates / "page.html", bad)
    overlay = page.locator("#lay-error-overlay")
    overlay.wait_for(state="visible", timeout=10000)
    assert "templates/page.html:3: template syntax error" in overlay.inner_text()
    assert server.alive()
    assert http.client.HTTPConnection("127.0.0.1", server.port, timeout=5).request("GET", "/") is None
    save_like_an_editor(templates / "page.html", bad.replace("page.title }", "page.title }}"))
    overlay.wait_for(state="detached", timeout=10000)
    page.close()


def test_stylesheet_change_refreshes_without_a_reload(server: Server, minimal_site: Path, browser) -> None:
    (minimal_site / "static/css").mkdir(parents=True)
    page = browser.new_page()
    page.goto(server.url)
    page.evaluate("window.__kept = 'still here'")
    save_like_an_editor(minimal_site / "static/css/style.css", "body { background: rgb(1, 2, 3); }\n")
    page.wait_for_function("getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'", timeout=10000)
    assert page.evaluate("window.__kept") == "still here"
    page.close()


def test_a_hundred_saves_in_one_second_leave_the_last_content(server: Server, minimal_site: Path, browser) -> None:
    summary = minimal_site / "content/summaries/example.md"
    original = summary.read_text()
    page = browser.new_page()
    page.goto(server.url + "summaries/example/")
    started = time.monotonic()
    for number in range(100):
        save_like_an_editor(summary, original.replace("The study was small.", f"Save number {number}."))
        time.sleep(max(0.0, started + (number + 1) / 100 - time.monotonic()))
    page.wait_for_function("document.querySelector('main').innerText.includes('Save number 99.')", timeout=15000)
    assert server.alive()
    page.close()


@pytest.mark.parametrize("path", ["/../pyproject.toml", "/%2e%2e/pyproject.toml", "/..%2fcontent/site.toml", "/content/site.toml"])
def test_path_traversal_gets_404(server: Server, minimal_site: Path, path: str) -> None:
    (minimal_site / "pyproject.toml").write_text("secret = true\n")
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    assert reply.startswith(b"HTTP/1.0 404") or reply.startswith(b"HTTP/1.1 404")
    assert b"secret" not in reply


def test_preview_parts_never_reach_the_built_site(minimal_site: Path) -> None:
    run_lay("build", cwd=minimal_site, check=True)
    for page in (minimal_site / "site").rglob("*.html"):
        html = page.read_text()
        assert "__lay__" not in html and "lay-panel" not in html


def test_port_in_use_gives_a_clear_message(minimal_site: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_lay("serve", "--port", str(port), cwd=minimal_site)
    assert result.returncode == 2
    assert f"lay serve: port {port} on 127.0.0.1 is in use; stop the other server, or try --port {port + 1}" in result.stderr


def test_serve_binds_loopback_and_polling_works(minimal_site: Path) -> None:
    running = Server([sys.executable, "-m", "lay_summaries", "serve", "--port", "0", "--poll"], cwd=minimal_site)
    try:
        assert running.url.startswith("http://127.0.0.1:")
        summary = minimal_site / "content/summaries/example.md"
        summary.write_text(summary.read_text().replace("The study was small.", "Polling saw this."))
        def page_text() -> str:
            connection = http.client.HTTPConnection("127.0.0.1", running.port, timeout=5)
            connection.request("GET", "/summaries/example/")
            return connection.getresponse().read().decode()

        assert "Polling saw this." in eventually(page_text, done=lambda body: "Polling saw this." in body)
    finally:
        log = running.stop()
    assert "rebuilt in" in log and "changed: content/summaries/example.md" in log
