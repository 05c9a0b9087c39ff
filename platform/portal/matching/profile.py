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
from weakref import WeakKeyDictionary

from portal.matching.concepts import TopicLexicon, concept_weights
from portal.matching.text import ordered_matching_tokens, token_keys
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
    # token -> texts having it (weighted), or the same as stored (HashedTokens)
    tokens: Mapping[str, float] | HashedTokens = field(default_factory=_empty, hash=False)
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

    def copy_with(self, **changes: object) -> ListingProfile:
        """A copy with these fields changed, taken as they are (nothing derived or checked
        again, unlike ``dataclasses.replace``): how the index stores and restores profiles."""
        copy = object.__new__(ListingProfile)
        for name in _FIELD_NAMES:
            object.__setattr__(copy, name, changes[name] if name in changes else getattr(self, name))
        return copy

    def __reduce__(self) -> tuple:
        # Read-only mappings do not pickle: send plain dicts (for caches and process pools).
        values = {item.name: getattr(self, item.name) for item in fields(self)}
        values["concepts"] = dict(self.concepts)
        if not isinstance(self.tokens, HashedTokens):
            values["tokens"] = dict(self.tokens)
        return (_unpickle, (values,))


_FIELD_NAMES = tuple(item.name for item in fields(ListingProfile))


def _unpickle(values: dict) -> ListingProfile:
    if isinstance(values["tokens"], dict):
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
                  subject_weights: SubjectWeights = SUBJECT_WEIGHTS,
                  analysis: TextAnalysis | None = None) -> ListingProfile:
    """A profile from plain values.

    ``texts``: (language, text) for the title, summary and description of every language
    version; ``machine_texts`` the same of its current machine translations, each counting
    ``MACHINE_TEXT_WEIGHT`` (they name no topic the original does not: no mentions from them).
    ``keywords`` are taken to be in ``keyword_language`` (None: each word by its script) unless
    given as (language, keyword). ``lexicon``: the taxonomy's names (``TopicLexicon``), to find
    the topics the texts mention. ``languages`` (of the versions) stand in for missing working
    languages. Kinds, directions and centers may be enums with string values. ``subjects``:
    the listing's thesaurus concepts (key -> texts naming it), widened through ``thesaurus``.
    ``analysis``: what ``analyse_texts`` made of the texts, stored earlier (then ``texts``,
    ``machine_texts``, ``keywords`` and ``lexicon`` are not read).
    """
    if analysis is None:
        analysis = analyse_texts(texts=texts, machine_texts=machine_texts, keywords=keywords,
                                 keyword_language=keyword_language, lexicon=lexicon)
    tokens, mentions = analysis.tokens, analysis.mentions
    topics = frozenset(str(topic) for topic in topics)
    weights = concept_weights(topics, mentions)
    if subjects:
        for key, weight in subject_vector(subjects, thesaurus, subject_weights).items():
            weights[key] = weights.get(key, 0.0) + weight
    return ListingProfile(
        id=id, institution_id=institution_id, country=country.upper(), center=str(center),
        kind=str(kind), direction=str(direction), topics=topics,
        # in the order the texts first have them
        tokens=MappingProxyType(tokens) if isinstance(tokens, dict) else tokens,
        concepts=MappingProxyType(weights),
        subjects=frozenset(subjects or ()),
        target_countries=frozenset(code.upper() for code in target_countries),
        working_languages=frozenset(working_languages) or frozenset(languages),
        trl=trl, starts_on=starts_on, ends_on=ends_on,
        published_at=published_at, expires_at=expires_at,
    )


@dataclass(frozen=True)
class TextAnalysis:
    """What a listing's texts tell matching, whatever else it has: ``tokens`` (token -> texts
    having it, in the order the texts first have them; a machine-translated text counts
    ``MACHINE_TEXT_WEIGHT``) and ``mentions`` (topic slug -> texts naming it). Text analysis is
    most of a profile's cost (about 0.6 ms a listing), so it is stored with the listing when its
    texts change and read back by the worker's build (``encode``/``decode``)."""

    tokens: dict[str, float] | HashedTokens  # HashedTokens once stored
    mentions: dict[str, int]

    def encode(self) -> tuple[bytes, bytes, str]:
        """How it is stored: the tokens' keys and counts (``HashedTokens``), and the mentions
        (``slug:count``, space-separated)."""
        return (token_keys(self.tokens), half_texts(self.tokens.values()),
                " ".join(f"{slug}:{count}" for slug, count in self.mentions.items()))

    @classmethod
    def decode(cls, keys: bytes, counts: bytes, mentions: str) -> TextAnalysis:
        """A stored analysis, its tokens as keys (``HashedTokens``)."""
        found = {}
        for item in mentions.split():
            slug, _, count = item.rpartition(":")
            found[slug] = int(count)
        return cls(HashedTokens(keys, counts), found)


def half_texts(counts: Iterable[float]) -> bytes:
    """Counts of texts in halves, a byte each (up to 127.5 texts): machine-translated texts
    count a half (``MACHINE_TEXT_WEIGHT``), so every count is a whole number of halves."""
    return bytes([min(255, round(2 * count)) for count in counts])


@dataclass(frozen=True, slots=True)
class HashedTokens:
    """A listing's tokens as the stored analysis has them: their keys (``text.token_keys``: 8
    bytes each, in the order the texts first have them) and their counts (``half_texts``). The
    index reads nothing else of a token, so a profile built from storage never turns them back
    into strings."""

    keys: bytes
    counts: bytes  # a byte a key: the texts having it, in halves

    def __len__(self) -> int:
        return len(self.counts)

    def __bool__(self) -> bool:
        return len(self.counts) > 0


def analyse_texts(*, texts: Iterable[tuple[str | None, str]] = (),
                  machine_texts: Iterable[tuple[str | None, str]] = (),
                  keywords: Iterable[str | tuple[str | None, str]] = (),
                  keyword_language: str | None = None,
                  lexicon: TopicLexicon | None = None) -> TextAnalysis:
    """The matching tokens and topic mentions of a listing's texts (see ``build_profile``)."""
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
    return TextAnalysis(dict(tokens), dict(mentions))


def subject_vector(subjects: Mapping[str, int], thesaurus: Thesaurus | None,
                   weights: SubjectWeights = SUBJECT_WEIGHTS) -> dict[str, float]:
    """Concept key (``c:…``, or a topic slug) -> weight for a listing's thesaurus concepts."""
    vector: dict[str, float] = {}
    spread = _spreads(thesaurus, weights)
    for key, count in subjects.items():
        own = weights.own * (1.0 + math.log(max(count, 1)))
        for concept, share in spread.get(key) or spread.setdefault(key, _spread(key, thesaurus, weights)):
            weight = own * share
            if weight > vector.get(concept, 0.0):
                vector[concept] = weight
    return vector


# Thesaurus -> weights -> concept key -> ((vector key, share of its own weight), …): the same
# few thousand concepts widen 100,000 profiles, so each is widened once per thesaurus.
_SPREADS: WeakKeyDictionary = WeakKeyDictionary()
_NO_THESAURUS: dict = {}


def _spreads(thesaurus: Thesaurus | None, weights: SubjectWeights) -> dict:
    by_weights = _NO_THESAURUS if thesaurus is None else _SPREADS.setdefault(thesaurus, {})
    return by_weights.setdefault(weights, {})


def _spread(key: str, thesaurus: Thesaurus | None,
            weights: SubjectWeights) -> tuple[tuple[str, float], ...]:
    """Where a concept's weight goes: all to itself, shares to its broader and related
    concepts and to its topics (the largest share where one is reached twice)."""
    shares: dict[str, float] = {}

    def add(target: str, share: float) -> None:
        if share > 0:
            target = sys.intern(target)  # one string per concept across 100,000 profiles
            shares[target] = max(shares.get(target, 0.0), share)

    add(SUBJECT_PREFIX + key, 1.0)
    if thesaurus is not None:
        for broader in thesaurus.broader_of(key):
            add(SUBJECT_PREFIX + broader, weights.broader)
        for related in thesaurus.related_of(key):
            add(SUBJECT_PREFIX + related, weights.related)
        concept = thesaurus.get(key)
        for topic in concept.topics if concept else ():
            add(topic, weights.topic)
    return tuple(shares.items())
