"""What the matching engine knows about a listing, built from plain values. Pure: no Flask, no SQL.

``tokens`` count, for each matching token (``portal.matching.text``), the texts having it – the
title, summary and description of each language version and each keyword – so a term a listing
repeats in every language weighs more than a word its description mentions once. A machine
translation's texts count ``MACHINE_TEXT_WEIGHT`` each, less than one people wrote. ``concepts``
weigh what the listing is about, whatever its language: the tagged topics, the topics the texts
mention (``portal.matching.concepts``), and the thesaurus concepts of its annotation
(``portal.thesaurus``, keys ``c:<key>``), each spreading a share of its weight to its broader and
related concepts and to its topics, so that "drip irrigation" and "subsurface drip irrigation"
still overlap.
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from types import MappingProxyType

from portal.matching.concepts import TopicLexicon, concept_weights
from portal.matching.text import ordered_matching_tokens
from portal.thesaurus.concepts import Thesaurus

#: Prefix of thesaurus concepts among the profile's concepts (topic slugs have none).
SUBJECT_PREFIX = "c:"


@dataclass(frozen=True)
class SubjectWeights:
    """How a listing's thesaurus concepts enter its concept vector: ``own`` × (1 + ln n) for a
    concept n of its texts name, and shares of that for the concepts around it."""

    own: float = 1.0
    broader: float = 0.7
    related: float = 0.0  # related concepts added noise on the dev half; they still help search
    topic: float = 1.0


SUBJECT_WEIGHTS = SubjectWeights()

#: What a machine-translated text adds to a token's count, where a text people wrote adds 1.
#: It restates the original in another language, with the engine's mistakes: it lets listings
#: written in different languages meet, but a pair sharing words people wrote fits better.
MACHINE_TEXT_WEIGHT = 0.5

KINDS = ("joint_research", "technology_transfer", "youth_exchange")
DIRECTIONS = ("offer", "request")
EMPTY: Mapping = MappingProxyType({})


def _empty() -> Mapping:
    return EMPTY


@dataclass(frozen=True, slots=True)
class ListingProfile:
    """A published listing as the engine sees it. ``trl`` is the offered maturity for an offer
    and the needed maturity for a request; empty ``target_countries`` means any country."""

    id: int
    institution_id: int
    country: str  # ISO 3166 code of the institution
    center: str  # center slug
    kind: str  # one of KINDS
    direction: str  # one of DIRECTIONS
    topics: frozenset[str] = frozenset()  # tagged topic slugs
    tokens: Mapping[str, float] = field(default_factory=_empty, hash=False)  # token -> texts (weighted)
    concepts: Mapping[str, float] = field(default_factory=_empty, hash=False)  # slug -> weight
    subjects: frozenset[str] = frozenset()  # thesaurus concept keys the listing itself is about
    target_countries: frozenset[str] = frozenset()
    working_languages: frozenset[str] = frozenset()
    trl: int | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    published_at: datetime | None = None
    expires_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}")
        if self.direction not in DIRECTIONS:
            raise ValueError(f"unknown direction {self.direction!r}")
        if self.trl is not None and not 1 <= self.trl <= 9:
            raise ValueError(f"TRL must be 1–9, not {self.trl}")
        if not self.concepts and self.topics:
            object.__setattr__(self, "concepts", MappingProxyType(concept_weights(self.topics, Counter())))

    @property
    def is_offer(self) -> bool:
        return self.direction == "offer"

    def __reduce__(self) -> tuple:
        # Read-only mappings do not pickle: send plain dicts (for caches and process pools).
        values = {item.name: getattr(self, item.name) for item in fields(self)}
        values["tokens"], values["concepts"] = dict(self.tokens), dict(self.concepts)
        return (_unpickle, (values,))


def _unpickle(values: dict) -> ListingProfile:
    values["tokens"] = MappingProxyType(values["tokens"])
    values["concepts"] = MappingProxyType(values["concepts"])
    return ListingProfile(**values)


def build_profile(*, id: int, institution_id: int, country: str, center: str, kind: str,  # noqa: A002
                  direction: str, topics: Iterable[str] = (),
                  texts: Iterable[tuple[str | None, str]] = (),
                  machine_texts: Iterable[tuple[str | None, str]] = (),
                  keywords: Iterable[str | tuple[str | None, str]] = (),
                  keyword_language: str | None = None, lexicon: TopicLexicon | None = None,
                  target_countries: Iterable[str] = (), working_languages: Iterable[str] = (),
                  languages: Iterable[str] = (), trl: int | None = None,
                  starts_on: date | None = None, ends_on: date | None = None,
                  published_at: datetime | None = None,
                  expires_at: datetime | None = None,
                  subjects: Mapping[str, int] | None = None, thesaurus: Thesaurus | None = None,
                  subject_weights: SubjectWeights = SUBJECT_WEIGHTS) -> ListingProfile:
    """A profile from plain values.

    ``texts``: (language, text) for the title, summary and description of every language
    version; ``machine_texts`` the same of its current machine translations, each counting
    ``MACHINE_TEXT_WEIGHT`` (they name no topic the original does not: no mentions from them).
    ``keywords`` are taken to be in ``keyword_language`` (None: each word by its script) unless
    given as (language, keyword). ``lexicon``: the taxonomy's names (``TopicLexicon``), to find
    the topics the texts mention. ``languages`` (of the versions) stand in for missing working
    languages. Kinds, directions and centers may be enums with string values. ``subjects``:
    the listing's thesaurus concepts (key -> texts naming it), widened through ``thesaurus``.
    """
    tokens: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    keyed = [keyword if isinstance(keyword, tuple) else (keyword_language, keyword) for keyword in keywords]
    for language, text in [*texts, *keyed]:
        if not text:
            continue
        found = ordered_matching_tokens(text, language).keys()
        tokens.update(found)
        if lexicon is not None:
            mentions.update(lexicon.mentioned(found, language))
    for language, text in machine_texts:
        for token in ordered_matching_tokens(text, language) if text else ():
            tokens[token] += MACHINE_TEXT_WEIGHT
    topics = frozenset(str(topic) for topic in topics)
    weights = concept_weights(topics, mentions)
    if subjects:
        for key, weight in subject_vector(subjects, thesaurus, subject_weights).items():
            weights[key] = weights.get(key, 0.0) + weight
    return ListingProfile(
        id=id, institution_id=institution_id, country=country.upper(), center=str(center),
        kind=str(kind), direction=str(direction), topics=topics,
        tokens=MappingProxyType(dict(tokens)),  # in the order the texts first have them
        concepts=MappingProxyType(weights),
        subjects=frozenset(subjects or ()),
        target_countries=frozenset(code.upper() for code in target_countries),
        working_languages=frozenset(working_languages) or frozenset(languages),
        trl=trl, starts_on=starts_on, ends_on=ends_on,
        published_at=published_at, expires_at=expires_at,
    )


def subject_vector(subjects: Mapping[str, int], thesaurus: Thesaurus | None,
                   weights: SubjectWeights = SUBJECT_WEIGHTS) -> dict[str, float]:
    """Concept key (``c:…``, or a topic slug) -> weight for a listing's thesaurus concepts."""
    vector: dict[str, float] = {}

    def add(key: str, weight: float) -> None:
        if weight > 0:
            key = sys.intern(key)  # one string per concept across 100,000 profiles
            vector[key] = max(vector.get(key, 0.0), weight)

    for key, count in subjects.items():
        own = weights.own * (1.0 + math.log(max(count, 1)))
        add(SUBJECT_PREFIX + key, own)
        if thesaurus is None:
            continue
        for broader in thesaurus.broader_of(key):
            add(SUBJECT_PREFIX + broader, own * weights.broader)
        for related in thesaurus.related_of(key):
            add(SUBJECT_PREFIX + related, own * weights.related)
        concept = thesaurus.get(key)
        for topic in concept.topics if concept else ():
            add(topic, own * weights.topic)
    return vector
