"""What waits for a moderator: first submissions and edits of published listings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from portal.institutions.models import Institution
from portal.taxonomy.models import Center
from portal.listings.models import Listing, ListingStatus
from portal.moderation.models import ListingRevision, RevisionStatus


@dataclass(frozen=True)
class QueueFilters:
    center: str = ""
    kind: str = ""
    direction: str = ""
    language: str = ""
    country: str = ""
    type: str = ""  # "new", "edit" or "" for both


@dataclass(frozen=True)
class QueueItem:
    listing: Listing
    revision: ListingRevision | None
    waiting_since: datetime

    @property
    def key(self) -> str:
        return f"r{self.revision.id}" if self.revision else f"l{self.listing.id}"

    @property
    def is_edit(self) -> bool:
        return self.revision is not None


def _scope(query, center_ids: list[int] | None, filters: QueueFilters):  # noqa: ANN001, ANN202
    if center_ids is not None:
        query = query.where(Listing.center_id.in_(center_ids))
    if filters.kind:
        query = query.where(Listing.kind == filters.kind)
    if filters.direction:
        query = query.where(Listing.direction == filters.direction)
    if filters.language:
        query = query.where(Listing.original_language == filters.language)
    if filters.country:
        query = query.where(Listing.institution_id.in_(
            select(Institution.id).where(Institution.country == filters.country)))
    if filters.center:
        query = query.where(Listing.center_id.in_(select(Center.id).where(Center.slug == filters.center)))
    return query


def queue(session: Session, center_ids: list[int] | None, filters: QueueFilters = QueueFilters()) -> list[QueueItem]:
    """Oldest first. ``center_ids`` None: every center (administrators)."""
    items: list[QueueItem] = []
    loading = (selectinload(Listing.translations), selectinload(Listing.institution), selectinload(Listing.center))
    if filters.type in ("", "new"):
        listings = session.scalars(_scope(select(Listing).where(Listing.status == ListingStatus.SUBMITTED),
                                          center_ids, filters).options(*loading))
        items += [QueueItem(listing, None, listing.submitted_at or listing.updated_at) for listing in listings]
    if filters.type in ("", "edit"):
        rows = session.execute(_scope(
            select(ListingRevision, Listing).join(Listing, Listing.id == ListingRevision.listing_id)
            .where(ListingRevision.status == RevisionStatus.PENDING, Listing.status == ListingStatus.PUBLISHED),
            center_ids, filters).options(*loading))
        items += [QueueItem(listing, revision, revision.created_at) for revision, listing in rows]
    return sorted(items, key=lambda item: (item.waiting_since, item.key))


def counts_per_center(session: Session, center_ids: list[int] | None) -> dict[int, int]:
    """Waiting items per center, for the header and the queue's tabs."""
    counts: dict[int, int] = {}
    new = _scope(select(Listing.center_id, func.count()).where(Listing.status == ListingStatus.SUBMITTED),
                 center_ids, QueueFilters()).group_by(Listing.center_id)
    edits = _scope(select(Listing.center_id, func.count()).join(ListingRevision, ListingRevision.listing_id == Listing.id)
                   .where(ListingRevision.status == RevisionStatus.PENDING, Listing.status == ListingStatus.PUBLISHED),
                   center_ids, QueueFilters()).group_by(Listing.center_id)
    for query in (new, edits):
        for center_id, count in session.execute(query):
            counts[center_id] = counts.get(center_id, 0) + count
    return counts
