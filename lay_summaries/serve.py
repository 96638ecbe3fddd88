"""``lay serve``: a live preview. It only wires a watcher, the build and an HTTP server.

The site is built into memory (never into ``site/``) and served from there. Each rebuild is
announced to open pages over Server-Sent Events; the reload script, the error overlay and the
reading-level panel are injected when a page is served, so the built HTML stays clean.
"""

from __future__ import annotations

import errno
import html
import json
import mimetypes
import re
import signal
import sys
import threading
import time
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Mapping
from urllib.parse import unquote, urlsplit

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from lay_summaries.build import BuildCache, BuildOptions, Site, build
from lay_summaries.checks import PageReport, scored_sentences
from lay_summaries.content import Project
from lay_summaries.errors import ContentError, Problem
from lay_summaries.watch import Debouncer

PREFIX = "/__lay__/"
_FINGERPRINT = re.compile(r"^(?P<stem>.+)\.[0-9a-f]{10}\.(?P<ext>[A-Za-z0-9]+)$")


class PortInUse(Exception):
    pass


@dataclass(frozen=True)
class Snapshot:
    """What the preview shows: the last good build, and the problems of the latest attempt."""

    version: int
    site: Site | None
    problems: tuple[Problem, ...]
    change: str  # "reload" or "css" (how pages at version - 1 catch up)
    assets: tuple[tuple[str, str], ...] = ()  # for "css": (old name, new name)
    reports: Mapping[str, PageReport] = field(default_factory=dict)  # by page URL, for the panel


def resolve(path: str, files: Mapping[str, bytes]) -> tuple[int, str]:
    """Map a request path to (status, file name or redirect target). Pure; never leaves the site.

    Any '..' or '.' segment, plain or percent-encoded, a backslash or a NUL gets 404.
    """
    raw = urlsplit(path).path
    decoded = unquote(raw)
    segments = decoded.split("/")
    if any(s in ("..", ".") for s in segments) or "\\" in decoded or "\x00" in decoded:
        return 404, "404.html"
    name = decoded.lstrip("/")
    if name == "" or name.endswith("/"):
        name += "index.html"
    if name in files:
        return 200, name
    if name + "/index.html" in files:
        return 301, "/" + name + "/"
    return 404, "404.html"


def logical_assets(files: Mapping[str, bytes]) -> dict[str, str]:
    """static/css/style.1a2b3c4d5e.css -> {'static/css/style.css': 'static/css/style.1a2b3c4d5e.css'}."""
    out = {}
    for name in files:
        if name.startswith("static/") and (match := _FINGERPRINT.match(name)):
            out[f"{match['stem']}.{match['ext']}"] = name
    return out


class Preview:
    """The one piece of mutable state in serve: the latest snapshot, guarded by a condition."""

    def __init__(self, project: Project, options: BuildOptions, log: Callable[[str], None]):
        self.project = project
        self.options = options
        self.log = log
        self.cache = BuildCache()
        self.changed = threading.Condition()
        self.closing = False
        self.snapshot = Snapshot(0, None, (), "reload")
        self.rebuild(["(start)"])

    def rebuild(self, changed: list[str]) -> None:
        started = time.perf_counter()
        previous = self.snapshot
        # Only the first build, before the server and watcher threads start, may fork workers:
        # forking a process that runs threads can copy a lock another thread holds.
        options = self.options if previous.version == 0 and not previous.problems else replace(self.options, jobs=1)
        try:
            site = build(self.project, options, self.cache)
        except ContentError as error:
            snapshot = replace(previous, problems=error.problems)
            self.log(f"build failed ({len(error.problems)} problem(s)); still showing the last good build")
            for problem in error.problems:
                self.log(f"  {problem}")
        else:
            change, assets = "reload", ()
            if previous.site is not None and changed and all(p.endswith(".css") for p in changed):
                old, new = logical_assets(previous.site.files), logical_assets(site.files)
                assets = tuple((old[k].rsplit("/", 1)[-1], new[k].rsplit("/", 1)[-1]) for k in sorted(new) if k in old and old[k] != new[k])
                change = "css"
            reports = {report.url: report for report in site.checks.reports.values()}
            snapshot = Snapshot(previous.version + 1, site, (), change, assets, reports)
            elapsed = (time.perf_counter() - started) * 1000
            what = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
            self.log(f"rebuilt in {elapsed:.0f} ms: {self.cache.redone} page(s) redone, "
                     f"{self.cache.reused} reused; changed: {what}")
        with self.changed:
            self.snapshot = snapshot
            self.changed.notify_all()

    def close(self) -> None:
        with self.changed:
            self.closing = True
            self.changed.notify_all()


# --- pages, with the preview injected ------------------------------------------------------------

def _script_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def _panel(report: PageReport, site: Site) -> str:
    esc = html.escape
    findings = [f for f in site.findings if f.path == report.path]
    verdict = '<span class="lay-pass">meets its targets</span>' if report.passes else '<span class="lay-fail">is above its targets</span>'
    rows = "".join(
        f"<tr><td>{esc(s.title)}</td><td>{s.raw.consensus}</td><td>{s.masked.consensus}</td><td>{s.raw.reading_ease}</td></tr>"
        for s in report.sections
    )
    items = "".join(
        f"<li>line {f.line}: <strong>{esc(f.check)}</strong> ({esc(f.severity)}): {esc(f.message)} — {esc(f.hint)}</li>"
        for f in findings
    ) or "<li>No findings.</li>"
    waivers = "".join(f"<li>waived <strong>{esc(w.check)}</strong>: {esc(w.reason)}</li>" for w in report.waived)
    return (
        f'<aside id="lay-panel" aria-label="Reading level (preview only)"><h2>Reading level (preview only)</h2>'
        f"<p>{esc(report.path)} {verdict}: consensus grade <strong>{report.raw.consensus}</strong> "
        f"(target {report.max_grade:g} or lower; {report.masked.consensus} with glossary terms masked), "
        f"Flesch reading ease <strong>{report.raw.reading_ease}</strong> (target {report.min_reading_ease:g} or higher). "
        f"Flesch-Kincaid {report.raw.flesch_kincaid}, SMOG {report.raw.smog}, Coleman-Liau {report.raw.coleman_liau}.</p>"
        f"<table><caption>By section</caption><thead><tr><th>Section</th><th>Grade</th><th>Masked</th><th>Ease</th></tr></thead>"
        f"<tbody>{rows}</tbody></table><h3>Findings</h3><ul>{items}{waivers}</ul></aside>"
    )


def inject(page: bytes, snapshot: Snapshot, report: PageReport | None) -> bytes:
    """Add the preview's panel, overlay data and script before </body>."""
    site = snapshot.site
    highlights = []
    panel = ""
    if report is not None and site is not None:
        by_line = dict(scored_sentences(site.records[report.path]))
        for finding in site.findings:
            if finding.path == report.path and finding.line in by_line:
                highlights.append({"text": by_line[finding.line], "check": finding.check, "message": finding.message})
        panel = _panel(report, site)
    data = {
        "version": snapshot.version,
        "events": PREFIX + "events",
        "problems": [{"path": p.path, "line": p.line, "message": p.message} for p in snapshot.problems],
        "highlights": highlights,
    }
    extra = (
        f'{panel}<link rel="stylesheet" href="{PREFIX}preview.css">'
        f'<script type="application/json" id="lay-preview-data">{_script_json(data)}</script>'
        f'<script src="{PREFIX}live.js"></script>'
    ).encode("utf-8")
    index = page.rfind(b"</body>")
    return page[:index] + extra + page[index:] if index >= 0 else page + extra


NO_BUILD_YET = b"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>lay serve</title></head><body><main><h1>No build yet</h1><p>Fix the problems shown and save.</p></main></body></html>"


def _preview_file(name: str) -> bytes:
    return resources.files("lay_summaries").joinpath("preview", name).read_bytes()


class Handler(BaseHTTPRequestHandler):
    server_version = "lay-serve"
    preview: Preview  # set on the subclass made by make_server

    def log_message(self, format: str, *args: Any) -> None:  # quiet: rebuilds are logged instead
        return

    def do_HEAD(self) -> None:
        self.do_GET(head=True)

    def do_GET(self, head: bool = False) -> None:
        path = urlsplit(self.path).path
        if path == PREFIX + "events":
            return self._events()
        if path in (PREFIX + "live.js", PREFIX + "preview.css"):
            kind = "text/javascript" if path.endswith(".js") else "text/css"
            return self._send(200, _preview_file(path.rsplit("/", 1)[-1]), kind, head)
        snapshot = self.preview.snapshot
        if snapshot.site is None:
            return self._send(503, inject(NO_BUILD_YET, snapshot, None), "text/html; charset=utf-8", head)
        files = snapshot.site.files
        status, name = resolve(self.path, files)
        if status == 301:
            self.send_response(301)
            self.send_header("Location", name)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = files.get(name, b"Not found")
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if kind == "text/html":
            url = name[: -len("index.html")] if name.endswith("index.html") else name
            body = inject(body, snapshot, snapshot.reports.get(url) if status == 200 else None)
        if kind.startswith("text/") or kind in ("application/xml", "application/javascript"):
            kind += "; charset=utf-8"
        self._send(status, body, kind, head)

    def _send(self, status: int, body: bytes, kind: str, head: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self) -> None:
        """One Server-Sent Events stream per open page: reload, css or errors."""
        query = urlsplit(self.path).query
        match = re.search(r"(?:^|&)version=(\d+)", query)
        seen = int(match.group(1)) if match else self.preview.snapshot.version
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        preview = self.preview
        shown_problems: tuple[Problem, ...] | None = None
        try:
            while True:
                with preview.changed:
                    snapshot = preview.snapshot
                    if not preview.closing and snapshot.version == seen and snapshot.problems == shown_problems:
                        preview.changed.wait(timeout=15)
                        snapshot = preview.snapshot
                    if preview.closing:
                        return
                if snapshot.version != seen:
                    if snapshot.change == "css" and snapshot.version == seen + 1:
                        self._event("css", dict(snapshot.assets))
                    else:
                        self._event("reload", snapshot.version)
                        return
                    seen = snapshot.version
                if snapshot.problems != shown_problems:
                    self._event("errors", [{"path": p.path, "line": p.line, "message": p.message} for p in snapshot.problems])
                    shown_problems = snapshot.problems
                self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return

    def _event(self, name: str, data: Any) -> None:
        self.wfile.write(f"event: {name}\ndata: {json.dumps(data)}\n\n".encode("utf-8"))
        self.wfile.flush()


def make_server(preview: Preview, host: str, port: int) -> ThreadingHTTPServer:
    handler = type("PreviewHandler", (Handler,), {"preview": preview})
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise PortInUse(f"port {port} on {host} is in use; stop the other server, or try --port {port + 1} (or --port 0 for any free port)") from None
        raise
    server.daemon_threads = True
    return server


class _Changes(FileSystemEventHandler):
    def __init__(self, debouncer: Debouncer, wake: threading.Condition):
        self.debouncer = debouncer
        self.wake = wake

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory and event.event_type == "modified":
            return
        if event.event_type in ("opened", "closed_no_write"):
            return
        with self.wake:
            now = time.monotonic()
            for path in (event.src_path, getattr(event, "dest_path", "")):
                if path:
                    self.debouncer.add(str(path), now)
            self.wake.notify()


def watch(project: Project, preview: Preview, poll: bool, delay: float = 0.03) -> Callable[[], None]:
    """Watch content/, templates/ and static/; rebuild once per settled burst. Returns a stop function."""
    debouncer = Debouncer(delay=delay)
    wake = threading.Condition()
    observer = PollingObserver(timeout=0.5) if poll else Observer()
    handler = _Changes(debouncer, wake)
    folders = (project.content, project.templates, project.static)
    watched: set[Path] = set()

    def schedule_new() -> None:
        """Watch each site folder that exists, including one created while serving."""
        for folder in folders:
            if folder.is_dir() and folder not in watched:
                observer.schedule(handler, str(folder), recursive=True)
                watched.add(folder)

    class _Root(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if Path(str(event.src_path)) in folders or Path(str(getattr(event, "dest_path", "") or "")) in folders:
                schedule_new()
                handler.on_any_event(event)

    schedule_new()
    observer.schedule(_Root(), str(project.root), recursive=False)
    observer.start()
    stopping = threading.Event()

    def loop() -> None:
        while not stopping.is_set():
            with wake:
                wait = debouncer.wait_time(time.monotonic())
                wake.wait(timeout=wait if wait is not None else 1.0)
                batch = debouncer.due(time.monotonic())
            if batch:
                preview.rebuild([project.display(Path(p)) for p in batch])

    worker = threading.Thread(target=loop, name="lay-rebuild", daemon=True)
    worker.start()

    def stop() -> None:
        stopping.set()
        with wake:
            wake.notify_all()
        observer.stop()
        observer.join(timeout=5)
        worker.join(timeout=5)

    return stop


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve(project: Project, host: str, port: int, poll: bool, open_browser: bool, base_url: str | None = None) -> int:
    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    preview = Preview(project, BuildOptions(base_url=base_url), log)
    server = make_server(preview, host, port)
    signal.signal(signal.SIGTERM, _interrupt)  # stop as cleanly on SIGTERM as on Ctrl-C
    stop_watching = watch(project, preview, poll)
    address = f"http://{host}:{server.server_address[1]}/"
    print(f"Serving {address} (Ctrl-C to stop)", flush=True)
    if open_browser:
        import webbrowser

        webbrowser.open(address)
    try:
        server.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:
        log("stopping")
    finally:
        preview.close()
        stop_watching()
        server.server_close()
    return 0
