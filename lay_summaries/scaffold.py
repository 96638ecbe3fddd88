"""``lay init``: copy the default templates, static files and example content to a new folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from lay_summaries.errors import ContentError, Problem
from lay_summaries.resources import bundled_root

FOLDERS = ("content", "templates", "static")


def init_site(directory: Path, force: bool = False) -> list[Path]:
    if directory.exists() and any(directory.iterdir()) and not force:
        raise ContentError([Problem(str(directory), 1, "folder is not empty; choose a new folder or pass --force")])
    source = bundled_root()
    written: list[Path] = []
    for folder in FOLDERS:
        for file in sorted((source / folder).rglob("*")):
            if file.is_file() and "__pycache__" not in file.parts:
                target = directory / folder / file.relative_to(source / folder)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(file, target)
                written.append(target)
    (directory / ".gitignore").write_text("site/\n.lay-cache/\n", encoding="utf-8")
    written.append(directory / ".gitignore")
    return written
