"""The institution directory's search: a name fragment in any case, script or apostrophe
(``names.py``), and filters by country, type, center and verification, each with the count of
institutions it would show, as the listings' search has.

Which institutions are active in a center is the listings' knowledge (an institution with a
published listing there), and listings sit above institutions: ``portal.listings.queries``
registers that condition here with ``provide_center_condition`` when it is imported (the app
factory imports it before any request).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from portal.i18n.languages import is_country_code
from portal.institutions.models import Institution, InstitutionType, VerificationStatus
from portal.institutions.names import query_words

MAX_QUERY_CHARS = 200
VERIFIED_CHOICES = ("yes", "no")
CenterCondition = Callable[[Sequence[int]], ColumnElement[bool]]
_center_condition: list[CenterCondition] = []


def provide_center_condition(condition: CenterCondition) -> CenterCondition:
    """``condition(center_ids)``: an institution (``Institution.id``) active in one of them."""
    _center_condition[:] = [condition]
    return condition


@dataclass(frozen=True)
class DirectoryParams:
    q: str = ""
    countries: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    centers: tuple[str, ...] = ()  # slugs
    verified: str = ""  # "", "yes" or "no"

    @classmethod
    def parse(cls, args: Mapping[str, list[str]], center_slugs: Iterable[str]) -> DirectoryParams:
        """From a query string: unknown values are dropped, never an error."""
        known_types, known_centers = {kind.value for kind in InstitutionType}, set(center_slugs)
        verified = (args.get("verified") or [""])[0]
        return cls(
            q=" ".join((args.get("q") or [""])[0].split())[:MAX_QUERY_CHARS],
            countries=tuple(dict.fromkeys(code.strip().upper() for code in args.get("country", [])
                                          if is_country_code(code.strip().upper()))),
            types=tuple(dict.fromkeys(kind for kind in args.get("type", []) if kind in known_types)),
            centers=tuple(dict.fromkeys(slug for slug in args.get("center", []) if slug in known_centers)),
            verified=verified if verified in VERIFIED_CHOICES else "",
        )

    @property
    def active_filters(self) -> int:
        return len(self.countries) + len(self.types) + len(self.centers) + (1 if self.verified else 0)

    def to_args(self) -> dict[str, object]:
        args = {"q": self.q, "country": list(self.countries), "type": list(self.types),
                "center": list(self.centers), "verified": self.verified}
        return {key: value for key, value in args.items() if value}


@dataclass(frozen=True)
class Facets:
    countries: list[tuple[str, int]] = field(default_factory=list)
    types: list[tuple[str, int]] = field(default_factory=list)
    centers: list[tuple[int, int]] = field(default_factory=list)  # (center id, institutions)
    verified: dict[str, int] = field(default_factory=dict)


def _conditions(params: DirectoryParams, center_ids: Mapping[str, int], without: str = "") -> list:
    found: list = []
    for word, skeleton in query_words(params.q):
        name = Institution.search_name
        found.append(or_(name.contains(word, autoescape=True), name.contains(skeleton, autoescape=True))
                     if skeleton != word else name.contains(word, autoescape=True))
    if params.countries and without != "country":
        found.append(Institution.country.in_(params.countries))
    if params.types and without != "type":
        found.append(Institution.type.in_([InstitutionType(kind) for kind in params.types]))
    if params.centers and without != "center" and _center_condition:
        found.append(_center_condition[0]([center_ids[slug] for slug in params.centers]))
    if params.verified and without != "verified":
        found.append(Institution.verification == VerificationStatus.VERIFIED if params.verified == "yes"
                     else Institution.verification != VerificationStatus.VERIFIED)
    return found


def search(params: DirectoryParams, center_ids: Mapping[str, int]) -> Select[tuple[Institution]]:
    """The matching institutions, by name."""
    return select(Institution).where(*_conditions(params, center_ids)).order_by(Institution.name, Institution.id)


def count(session: Session, params: DirectoryParams, center_ids: Mapping[str, int]) -> int:
    return session.scalar(select(func.count(Institution.id)).where(*_conditions(params, center_ids))) or 0


def facets(session: Session, params: DirectoryParams, center_ids: Mapping[str, int]) -> Facets:
    """Per filter value, the institutions the other filters (and the name) leave: GROUP BY."""
    def grouped(column, without: str) -> list[tuple]:  # noqa: ANN001
        return [tuple(row) for row in session.execute(
            select(column, func.count(Institution.id)).where(*_conditions(params, center_ids, without))
            .group_by(column).order_by(func.count(Institution.id).desc(), column)).all()]

    centers = []
    if _center_condition:
        others = _conditions(params, center_ids, "center")
        for center_id in center_ids.values():
            total = session.scalar(select(func.count(Institution.id))
                                   .where(and_(*others, _center_condition[0]([center_id])))) or 0
            centers.append((center_id, total))
    verification = dict(grouped(Institution.verification, "verified"))
    verified = verification.get(VerificationStatus.VERIFIED, 0)
    return Facets(countries=grouped(Institution.country, "country"),
                  types=[(InstitutionType(kind).value, total) for kind, total in grouped(Institution.type, "type")],
                  centers=centers,
                  verified={"yes": verified, "no": sum(verification.values()) - verified})
