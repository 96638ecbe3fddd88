"""Sentence checks: long sentences, jargon, undefined abbreviations, passive voice.

Each function takes one sentence and returns what it found, so the tests can use tables of
passing and failing sentences.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from lay_summaries.checks.prose import words

# Everyday abbreviations a reader knows without a definition.
COMMON_ABBREVIATIONS = frozenset({"UK", "US", "USA", "EU", "NHS", "OK", "TV", "AM", "PM", "I", "A", "FAQ"})

ABBREVIATION = re.compile(
    r"(?<![\w-])(?=[\w-]*[A-Z][\w-]*[A-Z0-9])(?=[\w-]*[A-Z])[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*(?![\w-])"
)


ROMAN = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")


def long_sentence(sentence: str, limit: int) -> tuple[int, str] | None:
    """(word count, a place to split) when a sentence has more than ``limit`` words."""
    tokens = sentence.split()
    if len(tokens) <= limit:
        return None
    return len(tokens), split_point(tokens)


def split_point(tokens: list[str]) -> str:
    """The words before the best place to split: a comma or joining word nearest the middle."""
    middle = len(tokens) / 2
    joins = {"and", "but", "which", "because", "so", "while", "whereas", "although", "who", "that"}
    candidates = [
        i for i, token in enumerate(tokens[:-3])
        if i >= 3 and (token.endswith((",", ";", ":")) or tokens[i + 1].lower() in joins)
    ]
    cut = min(candidates, key=lambda i: abs(i - middle)) if candidates else int(middle)
    return " ".join(tokens[max(0, cut - 3) : cut + 1]).rstrip(",;:")


@lru_cache(maxsize=None)
def _rare(word: str, threshold: float) -> bool:
    from wordfreq import zipf_frequency  # imported on first use: a build from cache never needs it

    return zipf_frequency(word, "en") < threshold


_HAS_DIGIT = re.compile(r"\d")


def jargon(sentence: str, threshold: float, known: frozenset[str]) -> list[str]:
    """Words rarer than ``threshold`` on the Zipf scale (a 3 is about once per million words).

    Abbreviation-like tokens ("IL-6", "dcSSc") are left to the abbreviation check, numbers
    are skipped, and a hyphenated word is judged by its parts, since wordfreq splits
    "IL-6" into "il" and "6".
    """
    found: list[str] = []
    for token in words(sentence):
        for word in _rare_parts(token, threshold):
            if word not in known and word not in found:
                found.append(word)
    return found


@lru_cache(maxsize=None)
def _rare_parts(token: str, threshold: float) -> tuple[str, ...]:
    """The rare words in one token ("trans-signalling" -> its rare parts); memoised per token."""
    if _HAS_DIGIT.search(token) or ABBREVIATION.fullmatch(token):
        return ()
    out = []
    for part in token.split("-"):
        word = part.lower().replace("’", "'")
        if word.endswith("'s"):
            word = word[:-2]
        if len(word) >= 4 and _rare(word, threshold):
            out.append(word)
    return tuple(out)


def abbreviations(sentence: str) -> list[str]:
    """Tokens that look like abbreviations: dcSSc, ERK, mRSS, STAT3, JAK2, IL-6."""
    out = []
    for token in ABBREVIATION.findall(sentence.replace("/", " ")):
        if token not in COMMON_ABBREVIATIONS and token not in out and not ROMAN.fullmatch(token):
            out.append(token)
    return out


_BE = r"(?:am|is|are|was|were|be|been|being|get|gets|got|gotten)"
_IRREGULAR = (
    "born|built|brought|bought|caught|chosen|done|drawn|driven|eaten|fallen|felt|found|given|gone|"
    "grown|heard|held|hidden|hit|hurt|kept|known|laid|led|left|lent|lost|made|meant|met|paid|put|read|"
    "run|said|seen|sent|set|shown|shut|sold|spent|spoken|spread|stolen|struck|taken|taught|thought|"
    "thrown|told|understood|won|worn|written"
)
PASSIVE = re.compile(rf"\b{_BE}\s+(?:\w+ly\s+|not\s+)?(?:\w+ed|{_IRREGULAR})\b", re.I)
# "is tired", "was excited": adjectives that look like participles.
_ADJECTIVES = frozenset({"tired", "excited", "interested", "worried", "pleased", "bored", "scared", "concerned", "married", "involved", "based", "used", "supposed", "related", "limited", "called", "named", "needed", "red"})


_BE_WORDS = re.compile(rf"\b{_BE}\b", re.I)


def passive_voice(sentence: str) -> str | None:
    """The passive phrase, if the sentence has one ("was measured", "were given")."""
    if not _BE_WORDS.search(sentence):
        return None
    for match in PASSIVE.finditer(sentence):
        if match.group(0).split()[-1].lower() not in _ADJECTIVES:
            return match.group(0)
    return None


def known_words(forms: Iterable[str]) -> frozenset[str]:
    """Every word that appears in a glossary form counts as defined for the jargon check."""
    out = set()
    for form in forms:
        for token in words(form):
            for part in token.lower().split("-"):
                out.add(part)
                out.add(part + "s")
    return frozenset(out)

