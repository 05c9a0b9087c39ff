"""Ranked partner suggestions for a listing, with their reasons. Pure: no Flask, no SQL.

    content = w_topics · cosine(concepts) + w_text · cosine(text signatures)
    score   = content × (1 + Σ context signals)        (see ``rules.context``)

Concepts are the tagged topics plus the topics the texts mention in any language (the taxonomy's
names bridge a Kazakh and a Chinese text); text signatures are the listings' most telling tokens
over all their language versions (``MatchIndex``). Content says whether two listings are about
the same thing; the context (kind and direction, center, target countries and the China–Central
Asia pairing, TRL, working languages, dates) says how well they fit as partners. A pair with
content under ``min_content`` is never suggested, however well the rest fits. Both parts are
symmetric, so a listing's score in another's list is that one's score in its own.

Ranking is exact without scoring every candidate: the index gives every candidate's content,
the walk takes them in order of content and stops once content × the best multiplier the query
allows cannot beat the ``limit``-th score found.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter

from portal.matching.index import MatchIndex, normalised
from portal.matching.profile import ListingProfile
from portal.matching.rules import (ContextWeights, Reason, can_match, compatible_classes,
                                   context, multiplier)

__all__ = ["PublishUpdate", "Reason", "Suggestion", "Weights", "on_publish", "score_pair",
           "suggest"]


@dataclass(frozen=True)
class Weights:
    """Tuned on the dev half of tests/evaluation/ (benchmarks/matching_eval.py), checked on the
    old tests/matching/eval_set.toml; the holdout half is only measured. Concepts (topics and
    thesaurus subjects) carry most of the content: they are what crosses languages."""

    topics: float = 0.7
    text: float = 0.3
    min_content: float = 0.06  # below it a pair is not suggested
    similar_text: float = 0.12  # text cosine from which "similar_text" is given as a reason
    context: ContextWeights = field(default_factory=ContextWeights)


WEIGHTS = Weights()
#: A reason names at most this many shared concepts.
MAX_NAMED_SUBJECTS = 4


@dataclass(frozen=True)
class Suggestion:
    """A listing suggested as a partner: ``reasons`` most telling first, ``caveats`` what does
    not fit (a TRL below the need, no common working language…)."""

    listing_id: int
    score: float
    reasons: tuple[Reason, ...]
    caveats: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class PublishUpdate:
    """What publishing a listing changes: its own suggestions, and for existing listings the
    suggestion of the new one to merge into their lists (keep the best ``limit`` by score)."""

    suggestions: list[Suggestion]
    reverse: list[tuple[int, Suggestion]]


def suggest(profile: ListingProfile, index: MatchIndex, limit: int = 10, *,
            weights: Weights = WEIGHTS, now: datetime | None = None,
            exclude: frozenset[int] = frozenset()) -> list[Suggestion]:
    """The best ``limit`` partners for ``profile`` among the indexed listings, best first.

    The index should hold published listings only; ``now`` additionally skips those whose
    ``expires_at`` has passed, ``exclude`` any ids the caller wants left out."""
    return [found.suggestion for found in
            _ranked(profile, index, limit, weights=weights, now=now, exclude=exclude)]


def score_pair(query: ListingProfile, other: ListingProfile, index: MatchIndex, *,
               weights: Weights = WEIGHTS) -> Suggestion | None:
    """``other`` as a suggestion for ``query`` (both with tokens), or None if they cannot match
    or have too little content in common. Uses the index's document frequencies."""
    if not can_match(query, other):
        return None
    mine = dict(index.signature(query.tokens, indexed=query.id in index))
    theirs = index.signature(other.tokens, indexed=other.id in index)
    text = sum(weight * mine.get(token, 0.0) for token, weight in theirs)
    return _suggestion(query, other, concept_similarity(query, other), text, weights)


def on_publish(profile: ListingProfile, index: MatchIndex, limit: int = 10, *,
               reverse_limit: int = 200, weights: Weights = WEIGHTS,
               now: datetime | None = None) -> PublishUpdate:
    """Add a newly published (or edited) listing to the index and compute what changes.

    The reverse suggestions cover the ``reverse_limit`` best partners of the new listing; since
    scores are symmetric, a listing outside them would only take the new one into its list if
    it had fewer than ``limit`` better partners (a nightly recomputation catches those)."""
    index.add(profile)
    ranked = _ranked(profile, index, max(limit, reverse_limit), weights=weights, now=now)
    reverse = []
    for found in ranked:
        seen = _suggestion(found.other, profile, found.topics, found.text, weights,
                           content=found.content)
        if seen is not None:
            reverse.append((found.other.id, seen))
    return PublishUpdate([found.suggestion for found in ranked[:limit]], reverse)


# --- Ranking --------------------------------------------------------------------------------

#: The walk's first batch: this many candidates per suggestion asked for, the best by content.
FIRST_BATCH = 3


def _ranked(profile: ListingProfile, index: MatchIndex, limit: int, *, weights: Weights,
            now: datetime | None = None,
            exclude: frozenset[int] = frozenset()) -> list[_Found]:
    if limit <= 0:
        return []
    # Content of every candidate: text (scaled) plus concepts (scaled), in one dict.
    texts = index.text_similarities(profile, scale=weights.text) if weights.text else {}
    contents = dict(texts)
    index.concept_similarities(profile, compatible_classes(profile.kind, profile.direction),
                               scale=weights.topics, into=contents)
    best = weights.context.best_for(profile)

    def score(slot: int, content: float) -> tuple[float, ListingProfile] | None:
        other = index.profile_at(slot)
        if (other is None or other.id in exclude or not can_match(profile, other)
                or (now is not None and other.expires_at is not None and other.expires_at <= now)):
            return None
        return content * multiplier(profile, other, weights.context), other

    # Walk the candidates by content, best first, and stop once content × the best multiplier
    # cannot beat the limit-th score found. The walk starts on the best few by content; lower
    # ones are only gathered (and sorted) if the bound has not stopped it yet.
    floor = weights.min_content
    top = heapq.nlargest(FIRST_BATCH * limit, contents.values())
    cut, upper = max(top[-1] if top else floor, floor), math.inf
    heap: list[tuple[tuple[float, float, int], int, float]] = []
    while True:
        batch = sorted(((content, slot) for slot, content in contents.items()
                        if cut <= content < upper), reverse=True)
        if _walk(batch, heap, limit, best, score):
            break
        lowest = max(floor, heap[0][0][0] / best if len(heap) >= limit else 0.0)
        if cut <= lowest:
            break
        upper, cut = cut, lowest
    ranked = []
    for _, slot, content in sorted(heap, reverse=True):
        other = index.profile_at(slot, concepts=True)
        assert other is not None
        text = texts.get(slot, 0.0) / weights.text if weights.text else 0.0
        topics = concept_similarity(profile, other)
        suggestion = _suggestion(profile, other, topics, text, weights, content=content)
        if suggestion is not None:
            ranked.append(_Found(suggestion, other, topics, text, content))
    return ranked


def _walk(batch: list[tuple[float, int]], heap: list, limit: int, best: float,
          score: Callable[[int, float], tuple[float, ListingProfile] | None]) -> bool:
    """Push the batch's winners into the heap (the best ``limit``, smallest first); True once
    the bound says no later candidate can enter it."""
    for content, slot in batch:
        if len(heap) >= limit and content * best < heap[0][0][0]:
            return True
        found = score(slot, content)
        if found is None:
            continue
        value, other = found
        item = ((value, _timestamp(other.published_at), other.id), slot, content)
        if len(heap) < limit:
            heapq.heappush(heap, item)
        elif item[0] > heap[0][0]:
            heapq.heapreplace(heap, item)
    return False


def concept_similarity(a: ListingProfile, b: ListingProfile) -> float:
    """Cosine of two listings' concept vectors."""
    mine = dict(normalised(a.concepts))
    return sum(weight * mine.get(topic, 0.0) for topic, weight in normalised(b.concepts))


def _suggestion(query: ListingProfile, other: ListingProfile, topics: float, text: float,
                weights: Weights, *, content: float | None = None) -> Suggestion | None:
    if content is None:
        content = weights.topics * topics + weights.text * text
    if content < weights.min_content:
        return None
    factor, weighted, caveats = context(query, other, weights.context)
    reasons = []
    # Topics both are about, tagged by at least one of them (a mention on both sides is a hint,
    # not yet something to tell the user).
    shared = {topic for topic in query.concepts.keys() & other.concepts.keys()
              if topic in query.topics or topic in other.topics}
    # Concepts of the thesaurus both listings are about, in whatever languages they are written.
    subjects = query.subjects & other.subjects
    if subjects:
        reasons.append(Reason("shared_subjects", {"subjects": tuple(sorted(subjects))[:MAX_NAMED_SUBJECTS]}))
    if shared:
        reasons.append(Reason("shared_topics", {"topics": tuple(sorted(shared))}))
    if text >= weights.similar_text:
        reasons.append(Reason("similar_text", {"similarity": round(text, 2)}))
    weighted.sort(key=itemgetter(0), reverse=True)  # stable: equal weights keep their order
    reasons += [reason for _, reason in weighted]
    return Suggestion(other.id, round(content * factor, 6), tuple(reasons), tuple(caveats))


@dataclass(frozen=True)
class _Found:
    suggestion: Suggestion
    other: ListingProfile
    topics: float
    text: float
    content: float


def _timestamp(moment: datetime | None) -> float:
    return moment.timestamp() if moment is not None else -math.inf
