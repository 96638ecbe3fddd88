"""``lay publish``: a strict build, then a commit to a gh-pages branch (ghp-import) or a folder."""

from __future__ import annotations

import contextlib
import hashlib
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import ghp_import

from lay_summaries import __version__
from lay_summaries.errors import ContentError, Problem
from lay_summaries.write import write_site


@dataclass(frozen=True)
class Change:
    action: str  # "add", "change" or "delete"
    path: str

    def __str__(self) -> str:
        return f"{self.action:<6} {self.path}"


def diff(new: Mapping[str, bytes], old: Mapping[str, str]) -> list[Change]:
    """Compare new files with old git blob ids (path -> sha1). Pure."""
    changes = []
    for path in sorted(set(new) | set(old)):
        if path not in old:
            changes.append(Change("add", path))
        elif path not in new:
            changes.append(Change("delete", path))
        elif blob_id(new[path]) != old[path]:
            changes.append(Change("change", path))
    return changes


def blob_id(data: bytes) -> str:
    """The id git gives a file with these bytes."""
    return hashlib.sha1(b"blob %d\x00" % len(data) + data).hexdigest()


def branch_files(root: Path, remote: str, branch: str) -> dict[str, str]:
    """path -> blob id on the published branch (the remote's copy when there is one)."""
    for ref in (f"{remote}/{branch}", branch):
        listing = subprocess.run(["git", "ls-tree", "-r", ref], cwd=root, capture_output=True, text=True)
        if listing.returncode == 0:
            files = {}
            for line in listing.stdout.splitlines():
                meta, path = line.split("\t", 1)
                files[path] = meta.split()[2]
            return files
    return {}


def folder_files(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): blob_id(p.read_bytes()) for p in folder.rglob("*") if p.is_file()}


def with_branch_extras(files: Mapping[str, bytes], cname: str) -> dict[str, bytes]:
    """What ghp-import adds: .nojekyll (so GitHub Pages serves files as they are) and CNAME."""
    out = dict(files)
    out[".nojekyll"] = b""
    if cname:
        out["CNAME"] = cname.encode("utf-8")  # as ghp-import writes it
    return out


def publish_to_branch(root: Path, files: Mapping[str, bytes], remote: str, branch: str, message: str, cname: str) -> None:
    with tempfile.TemporaryDirectory(prefix="lay-publish-") as staging:
        write_site(files, Path(staging) / "site")
        try:
            with contextlib.chdir(root):  # ghp-import runs git in the current folder
                ghp_import.ghp_import(
                    str(Path(staging) / "site"), mesg=message, remote=remote, branch=branch,
                    push=True, nojekyll=True, cname=cname or None,
                )
        except ghp_import.GhpError as error:
            raise ContentError([Problem(str(root), 1, f"publishing to {remote}/{branch} failed: {error}")]) from None


def default_message() -> str:
    return f"Publish the site (lay-summaries {__version__})"
