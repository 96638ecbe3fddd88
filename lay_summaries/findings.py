"""Findings: what the plain-language checks report. Data, not log lines."""

from __future__ import annotations

from dataclasses import dataclass

SEVERITIES = ("error", "warning", "info", "off")

# Every check id, with its default severity and what it looks for. Config and waivers
# are validated against this table, so a misspelt id is an error, not a silent no-op.
CHECKS: dict[str, tuple[str, str]] = {
    "reading-grade": ("error", "consensus reading grade above the target"),
    "reading-ease": ("error", "Flesch reading ease below the target"),
    "section-grade": ("warning", "a section's consensus grade above the target"),
    "long-sentence": ("warning", "sentence longer than the word limit"),
    "jargon": ("warning", "rare word the glossary does not define"),
    "abbreviation": ("warning", "abbreviation not defined in the glossary or spelt out on the page"),
    "passive-voice": ("info", "sentence in the passive voice"),
    "number-not-in-source": ("warning", "number in the lay text that the source abstract does not give"),
    "key-messages": ("error", "summary needs 2 or 3 key messages"),
    "required-section": ("error", "summary lacks a standard lay section"),
    "source-citation": ("error", "summary cites no source"),
    "review-info": ("error", "summary lacks written-by, reviewed-by or last-reviewed"),
    "disclaimer": ("error", "site has no disclaimer"),
    "todo": ("error", "a TODO marker is left in the text"),
    "removed-html": ("warning", "raw HTML that the sanitiser removes"),
    "broken-link": ("error", "internal link or #anchor that does not resolve"),
    "heading-level": ("warning", "a heading level is skipped or a level-1 heading is used in the body"),
}


@dataclass(frozen=True, order=True)
class Finding:
    """One thing a check found. ``line`` is 1-based in ``path``; ``hint`` says what to do."""

    path: str
    line: int
    check: str
    severity: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}: {self.check}: {self.message}"
        return f"{text} — {self.hint}" if self.hint else text


@dataclass(frozen=True)
class Waiver:
    """A page's written decision to skip one check."""

    check: str
    reason: str
    line: int
