"""Where the default theme and the example site live, installed or in a source checkout.

The repository keeps one copy of ``templates/``, ``static/`` and ``content/`` at its top
level; the wheel carries them as ``lay_summaries/bundled/`` (see pyproject.toml).
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def bundled_root() -> Path:
    """The folder holding the default ``templates/``, ``static/`` and example ``content/``."""
    installed = PACKAGE_DIR / "bundled"
    if (installed / "templates").is_dir():
        return installed
    checkout = PACKAGE_DIR.parent  # editable install or running from the repository
    if (checkout / "templates").is_dir() and (checkout / "pyproject.toml").is_file():
        return checkout
    raise FileNotFoundError(f"the default theme is missing from {installed}; reinstall lay-summaries")
