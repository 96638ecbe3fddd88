"""Deterministic synthetic sites: N summaries of about 700 words, in our format and the peers'.

The same Markdown body goes to every generator, so they all render the same text; ours also
gets front matter (citation, abstract, key messages) and runs all its checks on it.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

HEADINGS = ("What was the study about?", "What did the researchers do?", "What did they find?",
            "What does this mean?", "Where can I learn more?")
WORDS = (
    "the team looked at blood from people with the disease and from people without it they measured a protein "
    "in each sample and checked how it changed over time some people had more of it than others the skin got "
    "thick and stiff in some people doctors want to know why this happens and what may help a new medicine "
    "might block the signal but more work is needed before anyone can say if it works talk to your doctor "
    "about your own care the study was small and short so the results may not apply to everyone"
).split()
TERMS = ("fibrosis", "collagen", "protein", "IL-6", "scleroderma", "placebo", "fibroblast", "biopsy")


def sentence(rng: random.Random) -> str:
    length = rng.randint(8, 16)
    words = [rng.choice(WORDS) for _ in range(length)]
    if rng.random() < 0.4:
        words[rng.randrange(length)] = rng.choice(TERMS)
    if rng.random() < 0.2:
        words.insert(rng.randrange(length), str(rng.choice((68, 15, 3))))
    return " ".join(words).capitalize() + "."


def body(index: int, words: int = 700) -> str:
    rng = random.Random(index)
    parts: list[str] = []
    per_section = words // len(HEADINGS)
    for heading in HEADINGS:
        parts.append(f"## {heading}\n")
        count = 0
        paragraph: list[str] = []
        while count < per_section:
            text = sentence(rng)
            paragraph.append(text)
            count += len(text.split())
            if len(paragraph) == 4:
                parts.append(" ".join(paragraph) + "\n")
                paragraph = []
        if paragraph:
            parts.append(" ".join(paragraph) + "\n")
    return "\n".join(parts)


def title(index: int) -> str:
    return f"Synthetic summary number {index}"


def front_matter(index: int) -> str:
    return f"""---
title: {title(index)}
source:
  title: A synthetic study of a protein in 68 patients and 15 controls, number {index}
  publication_type: Research article
  authors: [A Author, B Author]
  journal: Journal of Synthetic Tests
  year: 2020
abstract:
  - label: Methods
    text: A protein was measured in 68 patients and 15 healthy controls over 3 years.
  - label: Results
    text: The protein was higher in patients.
key_messages:
  - The protein was higher in people with the disease.
  - The study was small.
topics: [Topic {index % 10}]
written_by: [Synthetic Writer]
reviewed_by: [Synthetic Reviewer]
last_reviewed: 2026-01-{1 + index % 28:02d}
funding: None given.
conflicts: None.
---

"""


def write_lay(root: Path, n: int) -> None:
    shutil.rmtree(root, ignore_errors=True)
    (root / "content/summaries").mkdir(parents=True)
    (root / "content/site.toml").write_text('title = "Synthetic"\nlanguage = "en"\n'
                                            'disclaimer = "Not medical advice. Talk to your doctor."\n')
    (root / "content/glossary.yaml").write_text("".join(f"{t}:\n  definition: A word used in the tests.\n" for t in TERMS))
    for index in range(n):
        (root / f"content/summaries/s{index:05d}.md").write_text(front_matter(index) + body(index))


def write_mkdocs(root: Path, n: int) -> None:
    shutil.rmtree(root, ignore_errors=True)
    (root / "docs").mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: Synthetic\n")
    (root / "docs/index.md").write_text("# Synthetic\n")
    for index in range(n):
        (root / f"docs/s{index:05d}.md").write_text(f"# {title(index)}\n\n{body(index)}")


def write_pelican(root: Path, n: int) -> None:
    shutil.rmtree(root, ignore_errors=True)
    (root / "content").mkdir(parents=True)
    (root / "pelicanconf.py").write_text('SITENAME = "Synthetic"\nSITEURL = ""\nTIMEZONE = "UTC"\nDEFAULT_LANG = "en"\n'
                                         "FEED_ALL_ATOM = None\nCATEGORY_FEED_ATOM = None\nRELATIVE_URLS = True\n")
    for index in range(n):
        (root / f"content/s{index:05d}.md").write_text(
            f"Title: {title(index)}\nDate: 2026-01-{1 + index % 28:02d}\nSlug: s{index:05d}\n\n{body(index)}")


def write_hugo(root: Path, n: int) -> None:
    shutil.rmtree(root, ignore_errors=True)
    (root / "content/posts").mkdir(parents=True)
    (root / "layouts/_default").mkdir(parents=True)
    (root / "config.toml").write_text('baseURL = "https://example.org/"\ntitle = "Synthetic"\n'
                                      'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n')
    (root / "layouts/_default/single.html").write_text("<!doctype html><title>{{ .Title }}</title><h1>{{ .Title }}</h1>{{ .Content }}\n")
    (root / "layouts/_default/list.html").write_text("<!doctype html><title>{{ .Title }}</title><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>\n")
    (root / "layouts/index.html").write_text("<!doctype html><title>{{ .Site.Title }}</title><ul>{{ range .Site.RegularPages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>\n")
    for index in range(n):
        (root / f"content/posts/s{index:05d}.md").write_text(f'---\ntitle: "{title(index)}"\ndate: 2026-01-{1 + index % 28:02d}\n---\n\n{body(index)}')
