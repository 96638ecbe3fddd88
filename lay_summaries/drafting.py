"""Write a draft summary from a Paper: every required key, the lay headings, TODOs to fill in.

The draft builds as it is (without --strict): its TODOs are findings, so `lay check` lists
each one and `lay build --strict` refuses to publish it.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from lay_summaries.checks.sentences import COMMON_ABBREVIATIONS, abbreviations, jargon, known_words
from lay_summaries.checks.structure import REQUIRED_SECTIONS
from lay_summaries.config import load_config
from lay_summaries.content import GlossaryEntry, Project, load_glossary, slugify
from lay_summaries.errors import ContentError, Problem
from lay_summaries.papers import Paper, Section

# Which abstract sections each lay heading draws on.
DRAWS_ON = {
    REQUIRED_SECTIONS[0]: ("Background", "Importance", "Objective", "Aim", "Purpose", "Abstract"),
    REQUIRED_SECTIONS[1]: ("Design", "Setting", "Participants", "Interventions", "Methods", "Design, setting and participants",
                           "Main outcome measures", "Measurements", "Evidence review"),
    REQUIRED_SECTIONS[2]: ("Results", "Findings"),
    REQUIRED_SECTIONS[3]: ("Conclusion", "Interpretation", "Discussion", "Limitations"),
    REQUIRED_SECTIONS[4]: (),
}


@dataclass(frozen=True)
class Draft:
    """A summary file ``lay new`` will write, and the hard words found in its abstract."""

    target: Path
    text: str
    words: tuple[Word, ...]


@dataclass(frozen=True)
class Word:
    """A hard word or abbreviation found in the abstract, and whether the glossary defines it."""

    text: str
    kind: str  # "jargon" or "abbreviation"
    defined: bool


def slug_for(title: str, taken: Iterable[str]) -> str:
    """A short slug from the title, unique among ``taken``."""
    words = slugify(title).split("-")
    base = ""
    for word in words:
        if len(base) + len(word) + 1 > 60:
            break
        base = f"{base}-{word}" if base else word
    base = base or "summary"
    taken = set(taken)
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def hard_words(paper: Paper, glossary: tuple[GlossaryEntry, ...], threshold: float) -> list[Word]:
    forms = {form for entry in glossary for form in entry.forms}
    lowered = {form.lower() for form in forms}
    known = known_words(forms)
    found: dict[str, Word] = {}
    for section in paper.sections:
        for token in abbreviations(section.text):
            if token not in found and token not in COMMON_ABBREVIATIONS:
                found[token] = Word(token, "abbreviation", token in forms)
        for word in jargon(section.text, threshold, frozenset()):
            if word not in found:
                found[word] = Word(word, "jargon", word in known or word in lowered)
    return sorted(found.values(), key=lambda w: (w.defined, w.kind, w.text.lower()))


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def _folded(text: str, indent: int) -> str:
    pad = " " * indent
    lines = textwrap.wrap(text, width=96 - indent, break_long_words=False, break_on_hyphens=False) or [""]
    return ">-\n" + "\n".join(pad + line for line in lines)


def _comment(text: str) -> str:
    return text.replace("--", "- -")  # an HTML comment cannot hold "--"


def draft(paper: Paper | None, title: str, words: list[Word], today_hint: str = "2026-11-23") -> str:
    """The Markdown file for a new summary."""
    lines = ["---", f"title: {_quote(title)}"]
    lines.append("source:")
    if paper is None:
        lines += ['  title: "TODO: the paper\'s title, exactly as published"', '  publication_type: "TODO: e.g. Randomised controlled trial"']
    else:
        source = paper.source
        lines.append(f"  title: {_quote(source.title)}")
        lines.append(f"  publication_type: {_quote(source.publication_type)}")
        if source.authors:
            lines.append("  authors:")
            lines += [f"    - {_quote(author)}" for author in source.authors]
        for key in ("affiliation", "journal", "year", "volume", "issue", "pages", "doi", "pmid", "url"):
            value = getattr(source, key)
            if value is not None:
                lines.append(f"  {key}: {value if isinstance(value, int) else _quote(value)}")
    lines.append("abstract:")
    sections = paper.sections if paper is not None and paper.sections else (Section("Abstract", "TODO: paste the abstract here"),)
    for section in sections:
        lines.append(f"  - label: {_quote(section.label)}")
        lines.append(f"    text: {_folded(section.text, 6)}")
    lines += ["key_messages:", '  - "TODO: the first thing a reader should remember, in one short sentence"',
              '  - "TODO: the second"']
    topics = list(paper.topics[:4]) if paper is not None and paper.topics else ["TODO: topic"]
    lines.append("topics:")
    lines += [f"  - {_quote(topic)}" for topic in topics]
    lines += ["written_by:", '  - "TODO: your name"', "reviewed_by:", '  - name: "TODO: who checked every fact and number"',
              '    role: "TODO: e.g. rheumatologist, patient partner"',
              f"last_reviewed:  # the date of the review, like {today_hint}",
              f"funding: {_quote(_funding(sections))}",
              'conflicts: "TODO: the authors\' competing interests, as the paper says"', "---", ""]
    for heading in REQUIRED_SECTIONS:
        lines += [f"## {heading}", ""]
        related = [s for s in sections if s.label in DRAWS_ON[heading]]
        if heading == REQUIRED_SECTIONS[0]:
            related += [s for s in sections if s.label != "Funding" and not any(s.label in labels for labels in DRAWS_ON.values())]
        for section in related:
            lines += [f"<!-- From the abstract ({section.label}): {_comment(section.text)} -->", ""]
        lines += ["TODO: write this part in plain words, in short sentences.", ""]
    if words:
        lines += ["<!-- Hard words in the abstract (run `lay new --add-glossary-stubs` to add the undefined ones):"]
        lines += [f"  {w.text} ({w.kind}): {'defined in the glossary' if w.defined else 'NOT defined'}" for w in words]
        lines += ["-->", ""]
    return "\n".join(lines)


def _funding(sections: Iterable[Section]) -> str:
    given = [s.text for s in sections if s.label == "Funding"]
    return " ".join(given) if given else "TODO: who paid for the research, as the paper says"


def glossary_stubs(words: list[Word]) -> str:
    """YAML to append to glossary.yaml: one stub per undefined word, for the editor to define."""
    out = []
    for word in words:
        if word.defined:
            continue
        key = word.text if word.kind == "abbreviation" else word.text.lower()
        out.append(f'{_quote(key)}:\n  definition: "TODO: say what \'{key}\' means, in plain words"\n')
    return "\n".join(out)


def plan(project: Project, wanted: list[tuple[Paper | None, str | None]], slug: str | None = None, force: bool = False) -> list[Draft]:
    """The drafts for (paper, plain title) pairs; writes nothing. An existing summary is an
    error unless ``force``; slugs come from the plain title, else from the paper's title."""
    config = load_config(project.content / "site.toml", project.display(project.content / "site.toml"))
    glossary_file = project.content / "glossary.yaml"
    glossary, _ = load_glossary(glossary_file, project.display(glossary_file))
    taken: set[str] = set()
    drafts = []
    for paper, title in wanted:
        plain = title or (f"TODO: a plain title for: {paper.source.title}" if paper is not None else "TODO: a plain title")
        basis = title or (paper.source.title if paper is not None else plain)
        name = slug if slug and len(wanted) == 1 else slug_for(basis, taken)
        target = project.content / "summaries" / f"{name}.md"
        if target.exists() and not force:
            raise ContentError([Problem(project.display(target), 1, "already exists; pass --force to overwrite it, or --slug NAME to choose another name")])
        taken.add(name)
        words = hard_words(paper, glossary, config.reading.jargon_zipf) if paper is not None else []
        drafts.append(Draft(target, draft(paper, plain, words), tuple(words)))
    return drafts


def write(drafts: list[Draft]) -> list[Draft]:
    for item in drafts:
        item.target.parent.mkdir(parents=True, exist_ok=True)
        item.target.write_text(item.text, encoding="utf-8")
    return drafts


def add_glossary_stubs(project: Project, drafts: list[Draft]) -> int:
    """Append a stub for each undefined hard word to glossary.yaml; return how many."""
    glossary_file = project.content / "glossary.yaml"
    glossary, _ = load_glossary(glossary_file, project.display(glossary_file))
    existing = glossary_file.read_text(encoding="utf-8") if glossary_file.exists() else ""
    known = {form.lower() for entry in glossary for form in entry.forms}
    fresh: list[Word] = []
    for word in (w for item in drafts for w in item.words):
        if not word.defined and word not in fresh and word.text.lower() not in known and f'"{word.text}":' not in existing:
            fresh.append(word)
    if fresh:
        glossary_file.write_text(existing.rstrip("\n") + "\n\n# Added by lay new: define each, then remove 'TODO'.\n"
                                 + glossary_stubs(fresh), encoding="utf-8")
    return len(fresh)
