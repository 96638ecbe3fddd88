"""Read a paper's citation and abstract from PubMed XML or from pasted text.

Both give the same frozen record, ``Paper``; ``drafting.py`` turns it into a summary file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from lay_summaries.content import Source
from lay_summaries.errors import ContentError, Problem


@dataclass(frozen=True)
class Section:
    label: str
    text: str


@dataclass(frozen=True)
class Paper:
    """A paper as imported: its citation (the same record a summary's front matter holds),
    its abstract in labelled sections, and topics."""

    source: Source
    sections: tuple[Section, ...]
    topics: tuple[str, ...] = ()


# Journal and NLM labels -> the label shown. Anything else keeps its own words, in sentence case.
LABELS = {
    "background": "Background", "introduction": "Background", "context": "Background", "importance": "Importance",
    "objective": "Objective", "objectives": "Objective", "aim": "Aim", "aims": "Aim", "purpose": "Purpose",
    "design": "Design", "setting": "Setting", "settings": "Setting", "participants": "Participants",
    "patients": "Participants", "interventions": "Interventions", "intervention": "Interventions",
    "methods": "Methods", "method": "Methods", "patients and methods": "Methods", "materials and methods": "Methods",
    "design, setting, and participants": "Design, setting and participants",
    "main outcome measures": "Main outcome measures", "main outcomes and measures": "Main outcome measures",
    "measurements": "Measurements", "results": "Results", "findings": "Findings", "observations": "Results",
    "interpretation": "Interpretation", "conclusion": "Conclusion", "conclusions": "Conclusion",
    "conclusions and relevance": "Conclusion", "discussion": "Discussion", "limitations": "Limitations",
    "funding": "Funding", "trial registration": "Trial registration", "evidence review": "Evidence review",
    "unassigned": "Abstract",
}
_SUP = str.maketrans("0123456789+-−=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿ")
_SUB = str.maketrans("0123456789+-−=()", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎")


def label_for(raw: str) -> str:
    key = re.sub(r"\s+", " ", raw.strip().rstrip(":.").lower())
    return LABELS.get(key, raw.strip().rstrip(":.").capitalize())


# --- PubMed XML -------------------------------------------------------------------------------

def _text(element: Element | None) -> str:
    """An element's text with inline markup resolved: <sup>2</sup> -> ², <i>x</i> -> x."""
    if element is None:
        return ""
    parts = [element.text or ""]
    for child in element:
        inner = _text(child)
        # digits and signs have Unicode superscript and subscript forms; letters stay as they are
        if child.tag == "sup" and all(c in "0123456789+-−=()n" for c in inner):
            inner = inner.translate(_SUP)
        elif child.tag == "sub" and all(c in "0123456789+-−=()" for c in inner):
            inner = inner.translate(_SUB)
        parts.append(inner)
        parts.append(child.tail or "")
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _year(issue: Element | None) -> int | None:
    if issue is None:
        return None
    for path in ("PubDate/Year", "PubDate/MedlineDate"):
        match = re.search(r"\b(1[89]\d\d|2\d\d\d)\b", _text(issue.find(path)))
        if match:
            return int(match.group(1))
    return None


def _article(record: Element) -> Paper:
    citation = record.find("MedlineCitation")
    article = citation.find("Article") if citation is not None else None
    if citation is None or article is None:
        raise ValueError("a PubmedArticle without MedlineCitation/Article")
    journal = article.find("Journal")
    issue = journal.find("JournalIssue") if journal is not None else None
    authors = []
    for author in article.findall("AuthorList/Author"):
        collective = _text(author.find("CollectiveName"))
        name = collective or " ".join(p for p in (_text(author.find("ForeName")), _text(author.find("LastName"))) if p)
        if name:
            authors.append(name)
    sections = []
    for part in article.findall("Abstract/AbstractText"):
        text = _text(part)
        if not text:
            continue
        raw = part.get("Label") or part.get("NlmCategory") or "Abstract"
        sections.append(Section(label_for(raw), text))
    doi = next((_text(e) for e in article.findall("ELocationID") if e.get("EIdType") == "doi" and _text(e)), None)
    if doi is None:
        doi = next((_text(e) for e in record.findall("PubmedData/ArticleIdList/ArticleId") if e.get("IdType") == "doi"), None)
    headings = citation.findall("MeshHeadingList/MeshHeading")
    major = [h for h in headings if h.find("DescriptorName") is not None and (h.find("DescriptorName").get("MajorTopicYN") == "Y" or any(q.get("MajorTopicYN") == "Y" for q in h.findall("QualifierName")))]
    topics = tuple(dict.fromkeys(_text(h.find("DescriptorName")) for h in (major or headings)))
    types = [_text(p) for p in article.findall("PublicationTypeList/PublicationType")]
    source = Source(
        title=_text(article.find("ArticleTitle")).rstrip(".") or "Untitled",
        publication_type="; ".join(types) or "TODO: the type of paper",
        authors=tuple(authors),
        journal=_text(journal.find("Title")) if journal is not None else None,
        year=_year(issue),
        volume=_text(issue.find("Volume")) or None if issue is not None else None,
        issue=_text(issue.find("Issue")) or None if issue is not None else None,
        pages=_text(article.find("Pagination/MedlinePgn")) or None,
        doi=doi or None,
        pmid=_text(citation.find("PMID")) or None,
    )
    return Paper(source, tuple(sections), topics)


def read_pubmed(data: bytes, display: str) -> list[Paper]:
    """Parse E-utilities efetch XML (a PubmedArticleSet, or one PubmedArticle).

    defusedxml refuses entity declarations (billion laughs) and external entities without
    expanding them; the plain DOCTYPE line efetch sends, with no internal subset, is allowed.
    """
    try:
        root = SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except (EntitiesForbidden, ExternalReferenceForbidden, DTDForbidden) as error:
        line = data[: data.find(b"<!ENTITY")].count(b"\n") + 1 if b"<!ENTITY" in data else 1
        raise ContentError([Problem(display, line, f"refused: the XML declares entities ({type(error).__name__}); "
                                                   "PubMed XML never needs them, so it was not read")]) from None
    except DefusedXmlException as error:
        raise ContentError([Problem(display, 1, f"refused: unsafe XML ({error})")]) from None
    except ParseError as error:
        line = error.position[0] if error.position else 1
        raise ContentError([Problem(display, line, f"not well-formed XML: {error.msg if hasattr(error, 'msg') else error}")]) from None
    records = [root] if root.tag == "PubmedArticle" else root.findall("PubmedArticle")
    if root.tag not in ("PubmedArticleSet", "PubmedArticle") or not records:
        raise ContentError([Problem(display, 1, f"no PubmedArticle records found (root element is <{root.tag}>); "
                                                "save PubMed's XML format (efetch with retmode=xml)")])
    papers = []
    for index, record in enumerate(records, start=1):
        try:
            papers.append(_article(record))
        except ValueError as error:
            raise ContentError([Problem(display, 1, f"record {index}: {error}")]) from None
    return papers


# --- pasted text ------------------------------------------------------------------------------

_KNOWN = sorted((k for k in LABELS if k != "unassigned"), key=len, reverse=True)
_LABEL_ALT = "|".join(re.escape(k) for k in _KNOWN)
# "Methods", "METHODS:", "Results.", "Background -" alone on a line
_OWN_LINE = re.compile(rf"^\s*({_LABEL_ALT})\s*[:.\-–—]?\s*$", re.I)
# "Objective To determine ...", "METHODS: Serum ...", "Results - We ..." at the start of a line
_LINE_START = re.compile(rf"^\s*({_LABEL_ALT})(?:\s*[:.\-–—]\s*|\s+(?=[A-Z0-9(]))(.*)$", re.I)
# "... OBJECTIVE To ... METHODS ..." inside a paragraph: capitals only, so ordinary words never split
_INLINE = re.compile(rf"(?<![\w-])({'|'.join(re.escape(k.upper()) for k in _KNOWN)})(?:\s*[:.\-–—]\s*|\s+(?=[A-Z0-9(]))")


def split_abstract(text: str) -> tuple[str | None, list[Section]]:
    """Split pasted text into labelled sections; return (a title line if one leads, sections)."""
    chunks: list[tuple[str | None, list[str]]] = [(None, [])]
    for line in text.replace("\r\n", "\n").split("\n"):
        if own := _OWN_LINE.match(line):
            chunks.append((own.group(1), []))
        elif (start := _LINE_START.match(line)) and (start.group(1).isupper() or start.group(1)[0].isupper()):
            chunks.append((start.group(1), [start.group(2)]))
        else:
            chunks[-1][1].append(line)
    sections: list[Section] = []
    lead = " ".join(" ".join(chunks[0][1]).split())
    title = None
    for label, lines in chunks[1:]:
        body = " ".join(" ".join(lines).split())
        sections.append(Section(label_for(label or ""), body))
    if not sections:
        inline = _split_inline(lead)
        if len(inline) > 1 or (inline and inline[0].label != "Abstract"):
            return None, inline
        return None, [Section("Abstract", lead)] if lead else []
    if lead:
        if len(lead.split()) <= 30 and not lead.endswith("."):
            title = lead
        else:
            sections.insert(0, Section("Abstract", lead))
    out: list[Section] = []
    for section in sections:
        out.extend(_split_inline(section.text, section.label))
    return title, [s for s in out if s.text]


def from_text(text: str, display: str) -> Paper:
    """A pasted abstract as a Paper; a short leading line is taken as the paper's title."""
    lead, sections = split_abstract(text)
    if not sections:
        raise ContentError([Problem(display, 1, "no abstract text found")])
    source = Source(title=lead or "TODO: the paper's title, exactly as published", publication_type="TODO: the type of paper")
    return Paper(source, tuple(sections))


def _split_inline(text: str, first_label: str = "Abstract") -> list[Section]:
    matches = list(_INLINE.finditer(text))
    if not matches:
        return [Section(first_label, text)]
    sections = []
    if text[: matches[0].start()].strip():
        sections.append(Section(first_label, text[: matches[0].start()].strip()))
    for match, following in zip(matches, [*matches[1:], None]):
        end = following.start() if following else len(text)
        sections.append(Section(label_for(match.group(1)), text[match.end() : end].strip()))
    return sections
