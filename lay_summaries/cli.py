"""The ``lay`` command: parse arguments, call the library, print, and choose the exit code.

Exit codes: 0 success; 1 the checks failed (or --strict found warnings); 2 bad usage or
content that cannot be built.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Sequence

from lay_summaries import __version__
from lay_summaries.build import BuildCache, BuildOptions, Site, build
from lay_summaries.content import Project
from lay_summaries.errors import ContentError
from lay_summaries.report import failing, html_report, json_report, junit_report, text_report
from lay_summaries.write import write_site

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lay", description="Plain-language summaries of medical research, as a static site.")
    parser.add_argument("--version", action="version", version=f"lay-summaries {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def site_options(cmd: argparse.ArgumentParser) -> None:
        cmd.add_argument("--root", type=Path, default=Path("."), help="the site folder (holding content/); default: here")

    def cache_options(cmd: argparse.ArgumentParser) -> None:
        cmd.add_argument("--no-cache", action="store_true", help="ignore and do not write the build cache (.lay-cache/)")
        cmd.add_argument("--jobs", type=int, help="worker processes for the pages (default: one per core)")

    build_cmd = commands.add_parser("build", help="build the site into site/")
    site_options(build_cmd)
    build_cmd.add_argument("--out", type=Path, help="output folder (default: ROOT/site)")
    build_cmd.add_argument("--base-url", help="the address the site will live at, e.g. https://example.org/ssc/")
    build_cmd.add_argument("--strict", action="store_true", help="fail on any error or warning finding")
    cache_options(build_cmd)

    check_cmd = commands.add_parser("check", help="run the plain-language checks without writing the site")
    site_options(check_cmd)
    check_cmd.add_argument("--format", choices=("text", "json", "junit", "html"), default="text")
    check_cmd.add_argument("--output", type=Path, help="write the report to this file instead of standard output")
    check_cmd.add_argument("--strict", action="store_true", help="warnings fail too")
    cache_options(check_cmd)

    serve_cmd = commands.add_parser("serve", help="live preview: rebuild on save, pages reload themselves")
    site_options(serve_cmd)
    serve_cmd.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this computer only)")
    serve_cmd.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    serve_cmd.add_argument("--open", action="store_true", help="open the preview in a browser")
    serve_cmd.add_argument("--poll", action="store_true", help="poll for changes (network drives, containers)")
    serve_cmd.add_argument("--base-url", help="as for build")

    publish_cmd = commands.add_parser("publish", help="strict build, then push it to a gh-pages branch (or copy it to a folder)")
    site_options(publish_cmd)
    publish_cmd.add_argument("--base-url", help="as for build")
    publish_cmd.add_argument("--remote", help="git remote to push to (default: [publish] remote in site.toml, else origin)")
    publish_cmd.add_argument("--branch", help="branch to publish to (default: [publish] branch, else gh-pages)")
    publish_cmd.add_argument("--message", help="commit message on the branch")
    publish_cmd.add_argument("--to", type=Path, metavar="DIR", help="copy the strict build to this folder instead of a branch")
    publish_cmd.add_argument("--dry-run", action="store_true", help="list what would change; publish nothing")
    cache_options(publish_cmd)

    clean_cmd = commands.add_parser("clean", help="remove the build cache (.lay-cache/)")
    site_options(clean_cmd)

    new_cmd = commands.add_parser("new", help="start a summary: from a title, PubMed XML or a pasted abstract")
    site_options(new_cmd)
    new_cmd.add_argument("title", nargs="?", help="the plain-language title of the new summary")
    source = new_cmd.add_mutually_exclusive_group()
    source.add_argument("--from-pubmed", metavar="FILE", help="PubMed XML as efetch returns it ('-' for standard input)")
    source.add_argument("--from-text", metavar="FILE", help="a pasted abstract, with or without labels ('-' for standard input)")
    new_cmd.add_argument("--slug", help="file name to use (default: made from the title)")
    new_cmd.add_argument("--force", action="store_true", help="overwrite a summary that already exists")
    new_cmd.add_argument("--add-glossary-stubs", action="store_true", help="add the abstract's undefined hard words to glossary.yaml")

    init_cmd = commands.add_parser("init", help="start a new site from the default theme and example content")
    init_cmd.add_argument("directory", type=Path)
    init_cmd.add_argument("--force", action="store_true", help="allow a folder that is not empty")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    commands = {"build": _build, "check": _check, "init": _init, "serve": _serve, "publish": _publish,
                "new": _new, "clean": _clean}
    try:
        return commands[args.command](args)
    except ContentError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = len(error.problems)
        print(f"lay {args.command}: failed with {count} problem{'s' if count != 1 else ''}; nothing was written", file=sys.stderr)
        return EXIT_ERROR


def _cache(project: Project, args: argparse.Namespace) -> BuildCache:
    """The on-disk cache in ROOT/.lay-cache/, unless --no-cache."""
    from lay_summaries.cache import CACHE_DIR, DiskCache

    return BuildCache(memory=None, disk=None if args.no_cache else DiskCache(project.root / CACHE_DIR))


def _clean(args: argparse.Namespace) -> int:
    from lay_summaries.cache import CACHE_DIR, clean

    root = args.root.resolve()
    print(f"removed {CACHE_DIR}/" if clean(root) else f"no {CACHE_DIR}/ to remove")
    return EXIT_OK


def _print_findings(site: Site) -> None:
    for finding in site.findings:
        print(f"{finding}  [{finding.severity}]", file=sys.stderr)
    for path, waiver in site.checks.waived:
        print(f"{path}:{waiver.line}: waived {waiver.check}: {waiver.reason}", file=sys.stderr)


def _build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    project = Project(args.root.resolve())
    cache = _cache(project, args)
    site = build(project, BuildOptions(base_url=args.base_url, jobs=args.jobs), cache)
    _print_findings(site)
    for note in site.notes:
        print(f"note: {note}", file=sys.stderr)
    bad = failing(site.findings, strict=True) if args.strict else []
    failing_pages = [r.path for r in site.checks.reports.values() if not r.passes] if args.strict else []
    if bad or failing_pages:
        print(f"lay build --strict: {len(bad)} finding(s) fail the build; site not written", file=sys.stderr)
        return EXIT_FINDINGS
    out = (args.out or project.root / "site").resolve()
    write_site(site.files, out)
    elapsed = time.perf_counter() - started
    shown = project.display(out)
    print(f"Built {len(site.pages)} pages ({len(site.files)} files) in {elapsed:.2f}s -> {shown}/ "
          f"[{len(site.findings)} finding(s); {cache.redone} page(s) processed, {cache.reused} from cache]")
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    project = Project(args.root.resolve())
    site = build(project, BuildOptions(jobs=args.jobs), _cache(project, args))
    result = site.checks
    if args.format == "json":
        output = json_report(result)
    elif args.format == "junit":
        output = junit_report(result, args.strict)
    elif args.format == "html":
        output = html_report(result, site.records)
    else:
        output = text_report(result)
    if args.output:
        args.output.write_text(output, encoding="utf-8")
    else:
        sys.stdout.write(output)
    bad = failing(site.findings, args.strict)
    pages_failing = [r for r in result.reports.values() if not r.passes]
    return EXIT_FINDINGS if bad or pages_failing else EXIT_OK


def _init(args: argparse.Namespace) -> int:
    from lay_summaries.scaffold import init_site

    written = init_site(args.directory, force=args.force)
    print(f"Started a new site in {args.directory} ({len(written)} files). Next: cd {args.directory} && lay build")
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from lay_summaries.serve import PortInUse, serve

    try:
        return serve(Project(args.root.resolve()), args.host, args.port, args.poll, args.open, args.base_url)
    except PortInUse as error:
        print(f"lay serve: {error}", file=sys.stderr)
        return EXIT_ERROR


def _publish(args: argparse.Namespace) -> int:
    from lay_summaries import publish

    project = Project(args.root.resolve())
    site = build(project, BuildOptions(base_url=args.base_url, jobs=args.jobs), _cache(project, args))
    bad = failing(site.findings, strict=True)
    failing_pages = [r.path for r in site.checks.reports.values() if not r.passes]
    if bad or failing_pages:
        _print_findings(site)
        print(f"lay publish: the strict build failed ({len(bad)} finding(s), {len(failing_pages)} page(s) over target); "
              "nothing was published", file=sys.stderr)
        return EXIT_FINDINGS
    settings = site.config.publish
    remote, branch = args.remote or settings.remote, args.branch or settings.branch
    if args.to:
        target = args.to.resolve()
        changes = publish.diff(site.files, publish.folder_files(target))
        where = str(target)
    else:
        files = publish.with_branch_extras(site.files, settings.cname)
        changes = publish.diff(files, publish.branch_files(project.root, remote, branch))
        where = f"{remote}/{branch}"
    for change in changes:
        print(change)
    if args.dry_run:
        print(f"dry run: {len(changes)} change(s) would be published to {where}")
        return EXIT_OK
    if args.to:
        write_site(site.files, target)
    else:
        publish.publish_to_branch(project.root, site.files, remote, branch, args.message or publish.default_message(), settings.cname)
    print(f"Published {len(site.files)} files to {where} ({len(changes)} change(s))")
    return EXIT_OK


def _read_input(name: str) -> bytes:
    return sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()


def _new(args: argparse.Namespace) -> int:
    from lay_summaries import drafting, papers
    from lay_summaries.errors import Problem

    project = Project(args.root.resolve())
    if args.from_pubmed:
        display = "<stdin>" if args.from_pubmed == "-" else args.from_pubmed
        found = papers.read_pubmed(_read_input(args.from_pubmed), display)
        wanted = [(paper, args.title if args.title and len(found) == 1 else None) for paper in found]
    elif args.from_text:
        paper = papers.from_text(_read_input(args.from_text).decode("utf-8", errors="replace"), args.from_text)
        print("The abstract was split into these sections:")
        for section in paper.sections:
            print(f"  {section.label}: {section.text[:70]}{'…' if len(section.text) > 70 else ''}")
        wanted = [(paper, args.title)]
    elif args.title:
        wanted = [(None, args.title)]
    else:
        raise ContentError([Problem("lay new", 1, "give a title, --from-pubmed FILE or --from-text FILE")])
    drafts = drafting.plan(project, wanted, slug=args.slug, force=args.force)
    for item in drafting.write(drafts):
        print(f"wrote {project.display(item.target)}")
        for word in item.words:
            print(f"  {word.text} ({word.kind}): {'defined' if word.defined else 'not in the glossary'}")
    if args.add_glossary_stubs and (added := drafting.add_glossary_stubs(project, drafts)):
        print(f"added {added} stub(s) to {project.display(project.content / 'glossary.yaml')}")
    print("Next: write each TODO, then run lay check")
    return EXIT_OK
