"""Who may match whom, and the signals beyond content. Pure: no Flask, no SQL.

``Reason`` values are codes with JSON-ready parameters (the UI words them in the reader's
language); ``context`` returns the multiplier a pair's content score is scaled by, with the
reasons (what speaks for the pair) and caveats (what speaks against it) behind it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Any

from portal.matching.profile import ListingProfile

JOINT_RESEARCH, TECHNOLOGY_TRANSFER, YOUTH_EXCHANGE = KINDS = (
    "joint_research", "technology_transfer", "youth_exchange")
#: Kinds whose listings all seek partners, so two offers (or two requests) of them can match.
PARTNER_SEEKING_KINDS = frozenset({JOINT_RESEARCH, YOUTH_EXCHANGE})
CHINA = "CN"
MIN_MULTIPLIER = 0.05
CENTRAL_ASIA = frozenset({"KZ", "KG", "TJ", "TM", "UZ"})

#: How well an offer of one kind can serve a request of another (0: not at all). Research can
#: grow into a transfer or train young researchers; a summer school cannot transfer technology.
KIND_AFFINITY: Mapping[frozenset[str], float] = MappingProxyType({
    frozenset({JOINT_RESEARCH, TECHNOLOGY_TRANSFER}): 0.5,
    frozenset({JOINT_RESEARCH, YOUTH_EXCHANGE}): 0.4,
    frozenset({TECHNOLOGY_TRANSFER, YOUTH_EXCHANGE}): 0.0,
})
#: Centers whose work overlaps: desertification control and poverty reduction share the farms
#: of the drylands; education exchange trains people for both.
CENTER_AFFINITY: Mapping[frozenset[str], float] = MappingProxyType({
    frozenset({"desertification-control", "poverty-reduction"}): 0.5,
    frozenset({"education-exchange", "desertification-control"}): 0.3,
    frozenset({"education-exchange", "poverty-reduction"}): 0.3,
})


@dataclass(frozen=True)
class Reason:
    """Why (or, as a caveat, why not quite) a listing is suggested: a code and its parameters."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": {key: list(value) if isinstance(value, tuple) else value
                                              for key, value in self.params.items()}}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Reason:
        params = {key: tuple(value) if isinstance(value, list) else value
                  for key, value in data.get("params", {}).items()}
        return cls(data["code"], params)


class _Reasons(list[tuple[float, Reason]]):
    """(weight, reason) pairs."""

    def add(self, weight: float, code: str, **params: Any) -> None:
        self.append((weight, Reason(code, params)))


@dataclass(frozen=True)
class ContextWeights:
    """Additions to the multiplier (1 + Σ) of a pair's content score; penalties are negative."""

    same_kind: float = 0.15
    complementary: float = 0.10  # offer meets request, rather than two partner-seekers
    same_center: float = 0.10
    seeks_country: float = 0.10  # per side whose target countries include the other's country
    outside_targets: float = -0.30  # per side whose target countries exclude the other's
    china_central_asia: float = 0.15
    within_central_asia: float = 0.05
    trl_fits: float = 0.10
    trl_gap: float = -0.08  # per level the offer falls short of the need
    common_language: float = 0.05
    no_common_language: float = -0.15
    dates_overlap: float = 0.10
    dates_apart: float = -0.20

    def best_for(self, query: ListingProfile) -> float:
        """The largest multiplier any listing can get with ``query``: bounds the search for the
        top results, tighter for a query without a TRL, dates or target countries."""
        def gain(weight: float) -> float:
            return max(weight, 0.0)

        best = 1.0 + gain(self.same_kind) + gain(self.complementary) + gain(self.same_center)
        best += gain(self.seeks_country) * (2 if query.target_countries else 1)
        best += max(gain(self.china_central_asia), gain(self.within_central_asia))
        if query.trl is not None:
            best += gain(self.trl_fits)
        if query.working_languages:
            best += gain(self.common_language)
        if query.starts_on is not None and query.ends_on is not None:
            best += gain(self.dates_overlap)
        return best


@cache
def kind_affinity(a: str, b: str) -> float:
    return 1.0 if a == b else KIND_AFFINITY.get(frozenset({a, b}), 0.0)


@cache
def center_affinity(a: str, b: str) -> float:
    return 1.0 if a == b else CENTER_AFFINITY.get(frozenset({a, b}), 0.0)


@cache
def border_bonus(a: str, b: str, china_central_asia: float, within_central_asia: float) -> float:
    """China with a Central Asian country, or two Central Asian countries; else 0."""
    if CHINA in (a, b) and (a in CENTRAL_ASIA or b in CENTRAL_ASIA):
        return china_central_asia
    if a != b and a in CENTRAL_ASIA and b in CENTRAL_ASIA:
        return within_central_asia
    return 0.0


@cache
def compatible_classes(kind: str, direction: str) -> frozenset[tuple[str, str]]:
    """(kind, direction) of the listings a listing of this kind and direction can match."""
    other = "request" if direction == "offer" else "offer"
    classes = {(k, other) for k in KINDS if kind_affinity(kind, k) > 0}
    if kind in PARTNER_SEEKING_KINDS:
        classes.add((kind, direction))
    return frozenset(classes)


def can_match(query: ListingProfile, other: ListingProfile) -> bool:
    """Never itself, never its own institution, and only complementary kinds and directions."""
    return (other.id != query.id and other.institution_id != query.institution_id
            and (other.kind, other.direction) in compatible_classes(query.kind, query.direction))


def multiplier(query: ListingProfile, other: ListingProfile, weights: ContextWeights) -> float:
    """``context(...)[0]`` without the reasons: what ranking computes for every candidate it
    looks at (the two must agree; a test checks it)."""
    if query.direction != other.direction:
        total = weights.complementary + weights.same_kind * kind_affinity(query.kind, other.kind)
        if query.trl is not None and other.trl is not None:
            offer, need = (query.trl, other.trl) if query.is_offer else (other.trl, query.trl)
            total += weights.trl_fits if offer >= need else weights.trl_gap * (need - offer)
    else:
        total = weights.same_kind
    total += weights.same_center * center_affinity(query.center, other.center)
    if other.target_countries:
        total += (weights.seeks_country if query.country in other.target_countries
                  else weights.outside_targets)
    if query.target_countries:
        total += (weights.seeks_country if other.country in query.target_countries
                  else weights.outside_targets)
    total += border_bonus(query.country, other.country, weights.china_central_asia,
                          weights.within_central_asia)
    if query.working_languages and other.working_languages:
        total += (weights.no_common_language
                  if query.working_languages.isdisjoint(other.working_languages)
                  else weights.common_language)
    if ((query.kind == YOUTH_EXCHANGE or other.kind == YOUTH_EXCHANGE)
            and query.starts_on is not None and query.ends_on is not None
            and other.starts_on is not None and other.ends_on is not None):
        overlap = max(query.starts_on, other.starts_on) <= min(query.ends_on, other.ends_on)
        total += weights.dates_overlap if overlap else weights.dates_apart
    return max(1.0 + total, MIN_MULTIPLIER)


def context(query: ListingProfile, other: ListingProfile,
            weights: ContextWeights) -> tuple[float, list[tuple[float, Reason]], list[Reason]]:
    """(multiplier, [(weight, reason)], caveats) of ``other`` seen from ``query``; symmetric in
    the multiplier, while the reasons speak to the author of ``query`` ("they seek partners in
    your country")."""
    reasons, caveats = _Reasons(), _Reasons()
    total = 0.0
    # Kind and direction.
    affinity = kind_affinity(query.kind, other.kind)
    if query.direction != other.direction:
        total += weights.complementary + weights.same_kind * affinity
        reasons.add(weights.complementary + weights.same_kind * affinity, "complementary",
                    kind=other.kind, direction=other.direction)
    else:
        total += weights.same_kind
        reasons.add(weights.same_kind, "also_seeks_partners", kind=other.kind)
    # Center.
    affinity = center_affinity(query.center, other.center)
    if affinity:
        code = "same_center" if affinity == 1.0 else "related_center"
        total += weights.same_center * affinity
        reasons.add(weights.same_center * affinity, code, center=other.center)
    total += _countries(query, other, weights, reasons, caveats)
    total += _readiness(query, other, weights, reasons, caveats)
    total += _languages(query, other, weights, reasons, caveats)
    total += _dates(query, other, weights, reasons, caveats)
    return max(1.0 + total, MIN_MULTIPLIER), reasons, [reason for _, reason in caveats]


def _countries(query: ListingProfile, other: ListingProfile, weights: ContextWeights,
               reasons: _Reasons, caveats: _Reasons) -> float:
    total = 0.0
    if other.target_countries:
        if query.country in other.target_countries:
            total += weights.seeks_country
            reasons.add(weights.seeks_country, "seeks_your_country", country=query.country)
        else:
            total += weights.outside_targets
            caveats.add(0.0, "seeks_other_countries",
                        countries=tuple(sorted(other.target_countries)))
    if query.target_countries:
        if other.country in query.target_countries:
            total += weights.seeks_country
            reasons.add(weights.seeks_country, "you_seek_their_country", country=other.country)
        else:
            total += weights.outside_targets
            caveats.add(0.0, "outside_your_countries", country=other.country)
    bonus = border_bonus(query.country, other.country, weights.china_central_asia,
                         weights.within_central_asia)
    if not bonus:
        return total
    reasons.add(bonus, "cross_border", countries=(query.country, other.country))
    return total + bonus


def _readiness(query: ListingProfile, other: ListingProfile, weights: ContextWeights,
               reasons: _Reasons, caveats: _Reasons) -> float:
    if query.direction == other.direction or query.trl is None or other.trl is None:
        return 0.0
    offer, request = (query, other) if query.is_offer else (other, query)
    if offer.trl >= request.trl:  # type: ignore[operator]  # both checked above
        reasons.add(weights.trl_fits, "trl_fits", offer_trl=offer.trl, wanted=request.trl)
        return weights.trl_fits
    caveats.add(0.0, "trl_below", offer_trl=offer.trl, wanted=request.trl)
    return weights.trl_gap * (request.trl - offer.trl)  # type: ignore[operator]


def _languages(query: ListingProfile, other: ListingProfile, weights: ContextWeights,
               reasons: _Reasons, caveats: _Reasons) -> float:
    if not query.working_languages or not other.working_languages:
        return 0.0
    common = query.working_languages & other.working_languages
    if common:
        reasons.add(weights.common_language, "common_language", languages=tuple(sorted(common)))
        return weights.common_language
    caveats.add(0.0, "no_common_language", languages=tuple(sorted(other.working_languages)))
    return weights.no_common_language


def _dates(query: ListingProfile, other: ListingProfile, weights: ContextWeights,
           reasons: _Reasons, caveats: _Reasons) -> float:
    if YOUTH_EXCHANGE not in (query.kind, other.kind):
        return 0.0
    if None in (query.starts_on, query.ends_on, other.starts_on, other.ends_on):
        return 0.0
    start = max(query.starts_on, other.starts_on)  # type: ignore[type-var]
    end = min(query.ends_on, other.ends_on)  # type: ignore[type-var]
    if start <= end:
        reasons.add(weights.dates_overlap, "dates_overlap", starts_on=start.isoformat(),
                    ends_on=end.isoformat())
        return weights.dates_overlap
    caveats.add(0.0, "dates_apart", days=(start - end).days)
    return weights.dates_apart
