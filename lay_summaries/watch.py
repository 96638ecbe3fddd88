"""What counts as a change worth rebuilding for, and when a burst of changes has settled.

Pure logic, tested without a file system: the serve loop feeds it events and the clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath

# Editor droppings: swap and backup files, lock files, vim's write test file "4913".
_IGNORED_NAME = re.compile(r"(^\.#|^#.*#$|~$|\.sw[a-px]$|^4913$|^\.DS_Store$|\.tmp$|\.part$|^\.~lock\.)")
_IGNORED_DIRS = frozenset({".git", "__pycache__", "site", ".lay-cache", "node_modules", ".venv"})


def is_ignored(path: str | PurePath) -> bool:
    """True for files whose changes must not trigger a rebuild."""
    parts = PurePath(path).parts
    if any(part in _IGNORED_DIRS for part in parts[:-1]):
        return True
    return bool(parts) and bool(_IGNORED_NAME.search(parts[-1]))


@dataclass
class Debouncer:
    """Collects changed paths and says when they have been quiet for ``delay`` seconds.

    Editors save in bursts (write a temp file, rename it, touch a backup); one rebuild per
    burst is enough. ``max_wait`` caps the wait so a file written continuously still shows.
    """

    delay: float = 0.05
    max_wait: float = 1.0
    _pending: dict[str, None] = field(default_factory=dict)
    _first: float | None = None
    _last: float | None = None

    def add(self, path: str, now: float) -> None:
        if is_ignored(path):
            return
        self._pending[path] = None
        if self._first is None:
            self._first = now
        self._last = now

    def due(self, now: float) -> list[str] | None:
        """The settled batch of paths, or None while the burst goes on (or nothing changed)."""
        if self._last is None or self._first is None:
            return None
        if now - self._last < self.delay and now - self._first < self.max_wait:
            return None
        batch = list(self._pending)
        self._pending.clear()
        self._first = self._last = None
        return batch

    def wait_time(self, now: float) -> float | None:
        """Seconds until the batch could be due; None when nothing is pending."""
        if self._last is None or self._first is None:
            return None
        return max(0.0, min(self._last + self.delay, self._first + self.max_wait) - now)
