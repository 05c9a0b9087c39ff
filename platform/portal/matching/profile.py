"""What the matching engine knows about a listing, built from plain values. Pure: no Flask, no SQL.

``tokens`` count, for each matching token (``portal.matching.text``), the texts having it – the
title, summary and description of each language version and each keyword – so a term a listing
repeats in every language weighs more than a word its description mentions once. ``concepts``
are the tagged topics plus those the texts mention in any language (``portal.matching.concepts``).
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from types import MappingProxyType

from portal.matching.concepts import TopicLexicon, concept_weights
from portal.matching.text import text_matching_tokens

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
    tokens: Mapping[str, int] = field(default_factory=_empty, hash=False)  # token -> texts
    concepts: Mapping[str, float] = field(default_factory=_empty, hash=False)  # slug -> weight
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
                  texts: Iterable[tuple[str | None, str]] = (), keywords: Iterable[str] = (),
                  keyword_language: str | None = None, lexicon: TopicLexicon | None = None,
                  target_countries: Iterable[str] = (), working_languages: Iterable[str] = (),
                  languages: Iterable[str] = (), trl: int | None = None,
                  starts_on: date | None = None, ends_on: date | None = None,
                  published_at: datetime | None = None,
                  expires_at: datetime | None = None) -> ListingProfile:
    """A profile from plain values.

    ``texts``: (language, text) for the title, summary and description of every language
    version; ``keywords`` are taken to be in ``keyword_language`` (the original language; None:
    each word by its script). ``lexicon``: the taxonomy's names (``TopicLexicon``), to find the
    topics the texts mention. ``languages`` (of the versions) stand in for missing working
    languages. Kinds, directions and centers may be enums with string values.
    """
    tokens: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    for language, text in [*texts, *((keyword_language, keyword) for keyword in keywords)]:
        if not text:
            continue
        found = text_matching_tokens(text, language)
        tokens.update(found)
        if lexicon is not None:
            mentions.update(lexicon.mentioned(found, language))
    topics = frozenset(str(topic) for topic in topics)
    return ListingProfile(
        id=id, institution_id=institution_id, country=country.upper(), center=str(center),
        kind=str(kind), direction=str(direction), topics=topics,
        tokens=MappingProxyType({sys.intern(token): count for token, count in tokens.items()}),
        concepts=MappingProxyType(concept_weights(topics, mentions)),
        target_countries=frozenset(code.upper() for code in target_countries),
        working_languages=frozenset(working_languages) or frozenset(languages),
        trl=trl, starts_on=starts_on, ends_on=ends_on,
        published_at=published_at, expires_at=expires_at,
    )
