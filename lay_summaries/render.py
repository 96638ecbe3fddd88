"""The Jinja2 environment: strict, autoescaped, the site's templates over the default theme."""

from __future__ import annotations

import datetime as dt
import re
import traceback
from pathlib import Path
from typing import Any, Mapping

import jinja2
from markupsafe import Markup

from lay_summaries.content import slugify
from lay_summaries.errors import ContentError, Problem


def make_environment(template_dirs: list[Path]) -> jinja2.Environment:
    """Templates are looked up in order: a site's own folder first, then the default theme."""
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(d)) for d in template_dirs]),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["long_date"] = long_date
    env.filters["slug"] = slugify
    return env


def long_date(value: dt.date | None) -> str:
    """2026-11-23 -> '23 November 2026' (no locale: the same output everywhere)."""
    if value is None:
        return ""
    return f"{value.day} {value.strftime('%B')} {value.year}"


def trusted_html(text: str) -> Markup:
    """The one place rendered, sanitised Markdown is marked safe for templates."""
    return Markup(text)


def _template_line(exc: BaseException, root: Path) -> tuple[str, int]:
    """Find the template file and line in a Jinja traceback (Jinja rewrites frames to them)."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith((".html", ".xml", ".txt")) and Path(frame.filename).is_file():
            return _display(Path(frame.filename), root), frame.lineno or 1
    return "templates", 1


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def render(env: jinja2.Environment, template: str, context: Mapping[str, Any], root: Path) -> str:
    """Render one template; any template error becomes a located ContentError."""
    try:
        return env.get_template(template).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        path = _display(Path(exc.filename), root) if exc.filename else (exc.name or template)
        raise ContentError([Problem(path, exc.lineno or 1, f"template syntax error: {exc.message}")]) from None
    except jinja2.TemplateNotFound as exc:
        raise ContentError([Problem("templates", 1, f"template '{exc.name}' not found")]) from None
    except jinja2.UndefinedError as exc:
        path, line = _template_line(exc, root)
        what = re.sub(r"'[\w.]+\.(\w+) object'", r"'\1'", exc.message or "")
        raise ContentError([Problem(path, line, f"undefined template variable: {what} (check the spelling)")]) from None
    except jinja2.TemplateError as exc:
        path, line = _template_line(exc, root)
        raise ContentError([Problem(path, line, f"template error: {exc}")]) from None
