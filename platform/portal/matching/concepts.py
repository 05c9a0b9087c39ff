"""The taxonomy's topic names as a multilingual lexicon. Pure: no Flask, no SQL.

A Kazakh text about "тамшылатып суару" and a Chinese one about "滴灌" share no token, but both
name the topic whose names are "Су үнемдейтін және тамшылатып суару" and "节水灌溉与滴灌". Each
name is split into phrases at its conjunctions ("drip irrigation" / "water-saving"); a text
mentions a topic when it has most of one phrase's tokens, each token weighted by how few topics
use it (so "power" alone names neither wind nor solar power, while "solar" names solar power).
A listing's *concepts* are then its tagged topics plus the topics its texts mention, in every
language alike.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass

from portal.matching.text import fold, text_matching_tokens

#: Where a topic name splits into phrases that each name it: "and" in the portal's languages
#: (only between whole names: "Afforestation and shelterbelts", not "Student and staff
#: mobility"), Chinese 与/和/及, lists and brackets.
_AND = re.compile(r"\s+(?:and|и|және|жана|ва|va|we)\s+")
_SEPARATORS = re.compile(r"[与和及、,;/()]")
#: Share of a phrase's (weighted) tokens a text must have to mention its topic: half, but more
#: than one of two equally telling words ("exchange" alone does not name "language exchange").
MENTION_THRESHOLD = 0.5
#: Concept weight of a tagged topic, and of a topic mentioned in n texts: MENTIONED × (1 + ln n).
TAGGED = 1.0
MENTIONED = 0.5


@dataclass(frozen=True)
class _Phrase:
    topic: str
    weights: Mapping[str, float]  # token -> 1 / number of topics whose names in the language have it
    total: float

    @classmethod
    def of(cls, topic: str, weights: Mapping[str, float]) -> _Phrase:
        return cls(topic, weights, sum(weights.values()))

    def is_in(self, tokens: Set[str]) -> bool:
        have = sum(weight for token, weight in self.weights.items() if token in tokens)
        if len(self.weights) > 2:
            return have >= MENTION_THRESHOLD * self.total
        return have > MENTION_THRESHOLD * self.total


class TopicLexicon:
    """Built once from every topic's names: ``TopicLexicon({slug: {language: name}})``."""

    def __init__(self, names: Mapping[str, Mapping[str, str]]) -> None:
        # Says whether mentions found with another lexicon still hold (stored text analyses).
        self.fingerprint = hashlib.sha1(repr(sorted(
            (slug, sorted(by_language.items())) for slug, by_language in names.items())).encode()).hexdigest()[:12]
        phrases: dict[str, list[tuple[str, frozenset[str]]]] = defaultdict(list)
        for slug, by_language in names.items():
            for language, name in by_language.items():
                for part in _phrases(fold(name), language):
                    phrases[language].append((slug, part))
        self._phrases: dict[str, list[_Phrase]] = {}
        for language, found in phrases.items():
            topics_having: dict[str, set[str]] = defaultdict(set)
            for slug, tokens in found:
                for token in tokens:
                    topics_having[token].add(slug)
            self._phrases[language] = [
                _Phrase.of(slug, {token: 1.0 / len(topics_having[token]) for token in tokens})
                for slug, tokens in found]
        # language -> token -> the phrases having it: a text is checked against the few phrases
        # sharing one of its tokens, not against every phrase of its language.
        self._by_token: dict[str, dict[str, tuple[int, ...]]] = {}  # phrases by their position
        for language, language_phrases in self._phrases.items():
            having: dict[str, list[int]] = defaultdict(list)
            for position, phrase in enumerate(language_phrases):
                for token in phrase.weights:
                    having[token].append(position)
            self._by_token[language] = {token: tuple(found) for token, found in having.items()}
        self._vocabulary = {language: frozenset(by_token) for language, by_token in self._by_token.items()}

    @property
    def languages(self) -> frozenset[str]:
        return frozenset(self._phrases)

    def mentioned(self, tokens: Iterable[str], language: str | None) -> set[str]:
        """Topics a text (its matching tokens, in ``language``) mentions."""
        present = tokens if isinstance(tokens, Set) else set(tokens)
        topics: set[str] = set()
        for name in self._phrases if language is None else (language,):
            vocabulary = self._vocabulary.get(name)
            if not vocabulary:
                continue
            by_token, phrases = self._by_token[name], self._phrases[name]
            candidates = {position for token in vocabulary.intersection(present) for position in by_token[token]}
            topics.update(phrases[position].topic for position in candidates if phrases[position].is_in(present))
        return topics


def _phrases(name: str, language: str) -> list[frozenset[str]]:
    """The token sets of the phrases a topic name (folded) consists of."""
    found = []
    for piece in _SEPARATORS.split(name):
        parts = [frozenset(text_matching_tokens(part, language)) for part in _AND.split(piece)]
        parts = [part for part in parts if part]
        sizes = {min(len(part), 2) for part in parts}
        if len(sizes) > 1:  # a lone word before "and" shares the head noun after it
            parts = [frozenset().union(*parts)]
        found += parts
    return found


def concept_weights(topics: Iterable[str], mentions: Mapping[str, int]) -> dict[str, float]:
    """Topic -> weight: TAGGED for each tagged topic, plus MENTIONED × (1 + ln n) for a topic
    mentioned by n texts."""
    weights = dict.fromkeys(topics, TAGGED)
    for topic, count in mentions.items():
        if count > 0:
            weights[topic] = weights.get(topic, 0.0) + MENTIONED * (1.0 + math.log(count))
    return weights
