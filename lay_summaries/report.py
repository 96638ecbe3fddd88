"""Format check results: text for people, JSON and JUnit for machines, HTML for editors."""

from __future__ import annotations

import html
import json
import re
from typing import Iterable, Mapping
from xml.etree import ElementTree as ET

from lay_summaries.checks import CheckResult, PageReport, scored_sentences
from lay_summaries.content import Page, Summary
from lay_summaries.findings import Finding

JSON_SCHEMA_VERSION = 1
_JARGON_WORD = re.compile(r"'([^']+)' is a rare word")


def failing(findings: Iterable[Finding], strict: bool) -> list[Finding]:
    """Findings that fail a run: errors always; warnings too under --strict."""
    levels = ("error", "warning") if strict else ("error",)
    return [f for f in findings if f.severity in levels]


def text_report(result: CheckResult) -> str:
    rows = [("page", "grade", "masked", "ease", "result")]
    for report in result.reports.values():
        rows.append((report.path, f"{report.raw.consensus:.1f}", f"{report.masked.consensus:.1f}",
                     f"{report.raw.reading_ease:.1f}", "pass" if report.passes else "FAIL"))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = ["  ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)).rstrip()
             for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    target = next(iter(result.reports.values()), None)
    if target:
        lines.append(f"target: consensus grade <= {target.max_grade:g}, reading ease >= {target.min_reading_ease:g}")
    current = None
    for finding in result.findings:
        if finding.path != current:
            current = finding.path
            lines.append("")
        lines.append(f"{finding}  [{finding.severity}]")
    if result.waived:
        lines.append("")
        for path, waiver in result.waived:
            lines.append(f"{path}:{waiver.line}: waived {waiver.check}: {waiver.reason}")
    return "\n".join(lines) + "\n"


def _report_dict(report: PageReport) -> dict:
    return {
        "path": report.path,
        "url": report.url,
        "title": report.title,
        "kind": report.kind,
        "passes": report.passes,
        "raw": report.raw.as_dict(),
        "masked": report.masked.as_dict(),
        "sections": [
            {"title": s.title, "line": s.line, "raw": s.raw.as_dict(), "masked": s.masked.as_dict()} for s in report.sections
        ],
        "waivers": [{"check": w.check, "reason": w.reason, "line": w.line} for w in report.waived],
    }


def json_report(result: CheckResult) -> str:
    data = {
        "version": JSON_SCHEMA_VERSION,
        "targets": _targets(result),
        "pages": [_report_dict(r) for r in result.reports.values()],
        "findings": [
            {"path": f.path, "line": f.line, "check": f.check, "severity": f.severity, "message": f.message, "hint": f.hint}
            for f in result.findings
        ],
        "summary": {
            "pages": len(result.reports),
            "pages_failing": sum(not r.passes for r in result.reports.values()),
            "errors": sum(f.severity == "error" for f in result.findings),
            "warnings": sum(f.severity == "warning" for f in result.findings),
            "info": sum(f.severity == "info" for f in result.findings),
        },
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _targets(result: CheckResult) -> dict:
    first = next(iter(result.reports.values()), None)
    return {"max_grade": first.max_grade, "min_reading_ease": first.min_reading_ease} if first else {}


def junit_report(result: CheckResult, strict: bool = False) -> str:
    """One test case per page: CI systems show each page that fails, with its findings."""
    by_page: dict[str, list[Finding]] = {}
    for finding in result.findings:
        by_page.setdefault(finding.path, []).append(finding)
    suite = ET.Element("testsuite", name="lay check", tests=str(len(result.reports)))
    failures = 0
    for report in result.reports.values():
        case = ET.SubElement(suite, "testcase", classname="lay.check", name=report.path)
        bad = failing(by_page.get(report.path, []), strict)
        if bad or not report.passes:
            failures += 1
            message = f"grade {report.raw.consensus}, ease {report.raw.reading_ease}; {len(bad)} failing finding(s)"
            failure = ET.SubElement(case, "failure", message=message)
            failure.text = "\n".join(str(f) for f in bad)
        others = [f for f in by_page.get(report.path, []) if f not in bad]
        if others:
            ET.SubElement(case, "system-out").text = "\n".join(str(f) for f in others)
    suite.set("failures", str(failures))
    suites = ET.Element("testsuites")
    suites.append(suite)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def html_report(result: CheckResult, records: Mapping[str, Summary | Page]) -> str:
    """A page an editor can open: each page's prose, flagged sentences highlighted in yellow and
    rare words (jargon) underlined within them."""
    esc = html.escape
    parts = ["<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>lay check report</title>",
             "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
             "<style>body{font:18px/1.5 system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem;color:#0b0c0c}"
             "mark{background:#ffdd00;color:#0b0c0c}mark.jargon,span.jargon{background:none;text-decoration:underline wavy #a4000f;"
             "text-underline-offset:.2em;font-weight:bold}.fail{color:#a4000f;font-weight:bold}.pass{color:#00703c;font-weight:bold}"
             "table{border-collapse:collapse}td,th{border:1px solid #505a5f;padding:.25rem .5rem;text-align:left}"
             "li.finding{margin:.25rem 0}</style></head><body><main><h1>Plain-language report</h1>",
             "<table><caption>Reading level per page</caption><thead><tr><th scope=\"col\">Page</th><th scope=\"col\">Grade</th>"
             "<th scope=\"col\">Masked grade</th><th scope=\"col\">Reading ease</th><th scope=\"col\">Result</th></tr></thead><tbody>"]
    for report in result.reports.values():
        verdict = "pass" if report.passes else "fail"
        parts.append(f"<tr><td><a href=\"#{esc(report.url or 'home')}\">{esc(report.path)}</a></td><td>{report.raw.consensus}</td>"
                     f"<td>{report.masked.consensus}</td><td>{report.raw.reading_ease}</td><td class=\"{verdict}\">{verdict}</td></tr>")
    parts.append("</tbody></table>")
    for report in result.reports.values():
        findings = [f for f in result.findings if f.path == report.path]
        flagged = {f.line for f in findings}
        jargon = [match.group(1) for f in findings if f.check == "jargon" and (match := _JARGON_WORD.match(f.message))]
        rare = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in jargon) + r")(?![\w-])", re.I) if jargon else None
        parts.append(f"<section id=\"{esc(report.url or 'home')}\"><h2>{esc(report.title)}</h2><p>{esc(report.path)}: grade "
                     f"{report.raw.consensus} ({report.masked.consensus} masked), reading ease {report.raw.reading_ease}</p>")
        if findings:
            parts.append("<ul>" + "".join(f"<li class=\"finding\">line {f.line}: <strong>{esc(f.check)}</strong>: {esc(f.message)}"
                                           f" — {esc(f.hint)}</li>" for f in findings) + "</ul>")
        parts.append("<div class=\"prose\">")
        for line, sentence in scored_sentences(records[report.path]):
            text = esc(sentence)
            if rare is not None:
                text = rare.sub(lambda m: f'<span class="jargon" title="rare word">{m.group(1)}</span>', text)
            parts.append(f"<mark title=\"line {line}\">{text}</mark> " if line in flagged else f"{text} ")
        parts.append("</div></section>")
    parts.append("</main></body></html>\n")
    return "".join(parts)
