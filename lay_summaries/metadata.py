"""Page descriptions and schema.org JSON-LD (MedicalWebPage for patients)."""

from __future__ import annotations

from typing import Any

from lay_summaries.config import SiteConfig
from lay_summaries.content import Page, Person, Summary

SCHEMA = "https://schema.org"


def description(record: Summary | Page | None, config: SiteConfig) -> str:
    """The meta description: a summary's key messages, else the page's own, else the site's."""
    if isinstance(record, Summary) and record.key_messages:
        text = " ".join(record.key_messages)
    elif record is not None and record.description:
        text = record.description
    else:
        text = config.description or config.title
    return text if len(text) <= 300 else text[:299].rsplit(" ", 1)[0] + "…"


def _person(person: Person) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": "Person", "name": person.name}
    if person.role:
        out["jobTitle"] = person.role
    return out


def _url(config: SiteConfig, url: str) -> dict[str, str]:
    return {"url": config.base_url + url} if config.base_url else {}


def summary_jsonld(summary: Summary, config: SiteConfig) -> dict[str, Any]:
    source = summary.source
    citation: dict[str, Any] = {"@type": "ScholarlyArticle", "name": source.title, "genre": source.publication_type}
    if source.authors:
        citation["author"] = [{"@type": "Person", "name": name} for name in source.authors]
    if source.journal:
        citation["isPartOf"] = {"@type": "Periodical", "name": source.journal}
    if source.year:
        citation["datePublished"] = str(source.year)
    identifiers = []
    if source.doi:
        identifiers.append({"@type": "PropertyValue", "propertyID": "DOI", "value": source.doi})
        citation["sameAs"] = source.doi_url
    if source.pmid:
        identifiers.append({"@type": "PropertyValue", "propertyID": "PMID", "value": source.pmid})
    if identifiers:
        citation["identifier"] = identifiers
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "MedicalWebPage",
        "name": summary.title,
        "description": description(summary, config),
        "inLanguage": config.language,
        "audience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        "about": [{"@type": kind, "name": name} for name, kind in summary.about],
        "keywords": ", ".join(summary.topics),
        "citation": citation,
        **_url(config, summary.url),
    }
    if summary.last_reviewed:
        data["lastReviewed"] = summary.last_reviewed.isoformat()
    if summary.reviewed_by:
        data["reviewedBy"] = [_person(p) for p in summary.reviewed_by]
    if summary.written_by:
        data["author"] = [_person(p) for p in summary.written_by]
    return data


def page_jsonld(page: Page | None, title: str, url: str, config: SiteConfig) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "MedicalWebPage",
        "name": title,
        "description": description(page, config),
        "inLanguage": config.language,
        "audience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        **_url(config, url),
    }
    if page is not None and page.last_reviewed:
        data["lastReviewed"] = page.last_reviewed.isoformat()
    return data
