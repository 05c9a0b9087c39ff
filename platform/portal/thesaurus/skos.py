"""Reading and writing W3C SKOS. Pure: no Flask, no ORM.

The portal's own concepts live under ``PORTAL_NAMESPACE``; their key is the local name
(``…/concept/drip-irrigation`` → ``drip-irrigation``). A concept from another scheme (an
AGROVOC or EuroVoc extract an operator loads) keeps its URI and gets the key
``prefix:localname`` from the file's own prefixes (``agrovoc:c_2397``).

What is read: ``skos:prefLabel``, ``skos:altLabel`` and ``skos:hiddenLabel`` in the portal's
eight languages (``uz-Cyrl`` and the like count as their language, as alternatives),
``skos:broader`` / ``skos:narrower``, ``skos:related``, and ``skos:broadMatch`` to a portal
topic (``…/topic/<slug>``) for the topic a concept belongs to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SKOS

from portal.thesaurus.concepts import LANGUAGES, Concept

PORTAL_NAMESPACE = "https://cca-portal.org/thesaurus/"
CONCEPT_NAMESPACE = PORTAL_NAMESPACE + "concept/"
TOPIC_NAMESPACE = PORTAL_NAMESPACE + "topic/"
SCHEME_URI = PORTAL_NAMESPACE + "scheme"
_FORMATS = {".ttl": "turtle", ".rdf": "xml", ".xml": "xml", ".owl": "xml", ".nt": "nt",
            ".jsonld": "json-ld", ".n3": "n3", ".trig": "trig"}
_LOCAL = re.compile(r"[^/#]+$")


def read_skos(source: str | Path, *, data: str | None = None, format: str | None = None) -> list[Concept]:  # noqa: A002
    """Every ``skos:Concept`` of a file (or of ``data``, its text), sorted by key."""
    graph = Graph()
    if data is not None:
        graph.parse(data=data, format=format or "turtle")
    else:
        path = Path(source)
        graph.parse(path, format=format or _FORMATS.get(path.suffix.lower(), "turtle"))
    subjects = set(graph.subjects(RDF.type, SKOS.Concept))
    keys = {subject: _key(graph, subject) for subject in subjects if isinstance(subject, URIRef)}
    narrower_links: dict[URIRef, set[URIRef]] = {}
    for parent, child in graph.subject_objects(SKOS.narrower):
        narrower_links.setdefault(child, set()).add(parent)
    concepts = []
    for subject, key in keys.items():
        pref: dict[str, str] = {}
        alt: dict[str, list[str]] = {}
        for predicate in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
            for literal in graph.objects(subject, predicate):
                language = _language(getattr(literal, "language", None))
                text = str(literal).strip()
                if language is None or not text:
                    continue
                exact = (getattr(literal, "language", "") or "").lower() == language
                if predicate == SKOS.prefLabel and exact and language not in pref:
                    pref[language] = text
                elif text not in alt.setdefault(language, []):
                    alt[language].append(text)
        for language, label in pref.items():
            if label in alt.get(language, ()):
                alt[language].remove(label)
        broader = {*graph.objects(subject, SKOS.broader), *narrower_links.get(subject, ())}
        related = {*graph.objects(subject, SKOS.related), *graph.subjects(SKOS.related, subject)}
        topics = sorted(str(target)[len(TOPIC_NAMESPACE):] for predicate in (SKOS.broadMatch, SKOS.relatedMatch)
                        for target in graph.objects(subject, predicate)
                        if str(target).startswith(TOPIC_NAMESPACE))
        concepts.append(Concept(
            key=key, uri=str(subject),
            pref={language: pref[language] for language in LANGUAGES if language in pref},
            alt={language: tuple(alt[language]) for language in LANGUAGES if alt.get(language)},
            broader=tuple(sorted(keys[b] for b in broader if b in keys)),
            related=tuple(sorted(keys[r] for r in related if r in keys and r != subject)),
            topics=tuple(topics)))
    return sorted(concepts, key=lambda concept: concept.key)


def _key(graph: Graph, subject: URIRef) -> str:
    uri = str(subject)
    if uri.startswith(CONCEPT_NAMESPACE):
        return uri[len(CONCEPT_NAMESPACE):]
    local = _LOCAL.search(uri)
    name = local.group() if local else uri
    namespace = uri[: len(uri) - len(name)]
    for prefix, bound in graph.namespaces():
        if str(bound) == namespace and prefix:
            return f"{prefix}:{name}"
    host = re.sub(r"^[a-z]+://(www\.)?", "", namespace).split("/")[0].split(".")[0]
    return f"{host or 'ext'}:{name}"


def _language(tag: str | None) -> str | None:
    if not tag:
        return None
    primary = tag.lower().split("-")[0]
    return primary if primary in LANGUAGES else None


# --- Writing ------------------------------------------------------------------------------


def write_turtle(concepts: Iterable[Concept], *, title: str = "", comment: str = "") -> str:
    """The concepts as Turtle, one block per concept and one line per label, sorted, so that a
    change reviews as a diff of lines."""
    lines = [
        f"@prefix skos: <{SKOS}> .",
        "@prefix dct: <http://purl.org/dc/terms/> .",
        f"@prefix c: <{CONCEPT_NAMESPACE}> .",
        f"@prefix topic: <{TOPIC_NAMESPACE}> .",
        "",
        f"<{SCHEME_URI}> a skos:ConceptScheme ;",
        f"    dct:title {_literal(title or 'China–Central Asia cooperation thesaurus', 'en')} ;",
        f"    dct:description {_literal(comment or 'Concepts of the three cooperation centers.', 'en')} .",
        "",
    ]
    for concept in sorted(concepts, key=lambda concept: concept.key):
        subject = _name(concept.key, concept.uri)
        statements = ["a skos:Concept", f"skos:inScheme <{SCHEME_URI}>"]
        for language in LANGUAGES:
            if language in concept.pref:
                statements.append(f"skos:prefLabel {_literal(concept.pref[language], language)}")
        for language in LANGUAGES:
            for label in concept.alt.get(language, ()):
                statements.append(f"skos:altLabel {_literal(label, language)}")
        statements += [f"skos:broader {_name(key)}" for key in concept.broader]
        statements += [f"skos:related {_name(key)}" for key in concept.related]
        statements += [f"skos:broadMatch topic:{slug}" for slug in concept.topics]
        lines.append(f"{subject} " + " ;\n    ".join(statements) + " .")
        lines.append("")
    return "\n".join(lines)


_PLAIN_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def _name(key: str, uri: str | None = None) -> str:
    if uri is not None and not uri.startswith(CONCEPT_NAMESPACE):
        return f"<{uri}>"
    if _PLAIN_KEY.match(key):
        return f"c:{key}"
    return f"<{uri or CONCEPT_NAMESPACE + key}>"


def _literal(text: str, language: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"@{language}'
