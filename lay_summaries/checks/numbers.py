"""Numbers in the lay text that the source abstract does not give (likely transcription errors)."""

from __future__ import annotations

import re
from typing import Iterable

UNITS = {
    "zero": 0, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
# "one" is left out on purpose: "one of the proteins" is not a count a reviewer checks.

_WORD = "|".join(sorted([*UNITS, *TENS, *SCALES, "one"], key=len, reverse=True))
# A sentence with none of these words skips the big pattern below.
_NUMBER_WORD_SET = frozenset([*UNITS, *TENS, *SCALES, "one"])
_LETTERS = re.compile(r"[a-z]+")
_ANY_DIGIT = re.compile(r"\d")
NUMBER_WORDS = re.compile(rf"\b(?:{_WORD})(?:[\s-]+(?:and\s+)?(?:{_WORD}))*\b", re.I)
# Digits inside a name such as IL-6, gp130 or JAK2 are part of the name, not a count.
DIGITS = re.compile(r"(?<![\w.\-/])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w])|(?<![\w.\-/])\d+(?:[.·]\d+)?(?![\w-])")


def words_to_number(phrase: str) -> float | None:
    """'sixty-eight' -> 68, 'one hundred and five' -> 105; None if it is not a number."""
    total, current = 0, 0
    seen = False
    for word in re.split(r"[\s-]+", phrase.lower()):
        if word == "and":
            continue
        if word == "one":
            current += 1
        elif word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word in SCALES:
            current = max(current, 1) * SCALES[word]
            if SCALES[word] >= 1000:
                total, current = total + current, 0
        else:
            return None
        seen = True
    return float(total + current) if seen else None


def numbers_in(text: str, include_one: bool = False) -> list[tuple[str, float]]:
    """Every number in ``text`` as (as written, value); digits and words."""
    found = []
    if _ANY_DIGIT.search(text):
        for match in DIGITS.finditer(text):
            written = match.group(0)
            found.append((written, float(written.replace(",", "").replace("·", "."))))
    if _NUMBER_WORD_SET.isdisjoint(_LETTERS.findall(text.lower())):
        return found
    for match in NUMBER_WORDS.finditer(text):
        written = match.group(0)
        if written.lower() == "one" and not include_one:
            continue
        value = words_to_number(written)
        if value is not None:
            found.append((written, value))
    return found


def source_numbers(texts: Iterable[str]) -> frozenset[float]:
    values: set[float] = set()
    for text in texts:
        values.update(value for _, value in numbers_in(text, include_one=True))
    return frozenset(values)


def unsupported(sentence: str, allowed: frozenset[float]) -> list[str]:
    """Numbers in ``sentence`` that are not among ``allowed``, as written."""
    return [written for written, value in numbers_in(sentence) if value not in allowed]
