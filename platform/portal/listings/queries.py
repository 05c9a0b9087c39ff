"""Read-side queries for listings: what the public may see."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, Select, exists, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.database import utcnow
from portal.institutions.directory import provide_center_condition
from portal.institutions.models import Institution
from portal.listings.models import Listing, ListingStatus, listing_topics


def public_listings() -> Select[tuple[Listing]]:
    """Published and not yet expired: the only listings anonymous visitors ever see."""
    return (
        select(Listing)
        .where(Listing.status == ListingStatus.PUBLISHED, Listing.expires_at > utcnow())
        .options(selectinload(Listing.translations), selectinload(Listing.topics),
                 selectinload(Listing.institution), selectinload(Listing.center))
    )


def public_listings_of(session: Session, institution_id: int, limit: int = 50) -> Sequence[Listing]:
    return session.scalars(
        public_listings().where(Listing.institution_id == institution_id)
        .order_by(Listing.published_at.desc()).limit(limit)
    ).all()


def card_listings() -> Select[tuple[Listing]]:
    """Public listings with what a card shows (texts, institution, center), in two queries."""
    return (
        select(Listing)
        .where(Listing.status == ListingStatus.PUBLISHED, Listing.expires_at > utcnow())
        .options(selectinload(Listing.translations), joinedload(Listing.institution), joinedload(Listing.center))
    )


RELATED_CANDIDATES = 60  # the newest listings sharing a topic, among which the most similar are shown


def related_public(session: Session, listing: Listing, limit: int = 4) -> Sequence[Listing]:
    """Other open listings sharing a topic with ``listing`` (else its center), most shared first.

    Only the newest few dozen that share a topic are compared: a common topic has thousands of
    listings, and counting shared topics over all of them was most of the page's time. Both
    steps walk indexes (``ix_listings_status_published`` and the topic's listing ids)."""
    topic_ids = [topic.id for topic in listing.topics]
    newest = card_listings().where(Listing.id != listing.id).order_by(Listing.published_at.desc(),
                                                                      Listing.id.desc())
    if not topic_ids:
        return session.scalars(newest.where(Listing.center_id == listing.center_id).limit(limit)).all()
    sharing = select(listing_topics.c.listing_id).where(listing_topics.c.topic_id.in_(topic_ids))
    candidates = (select(Listing.id, Listing.published_at)
                  .where(Listing.status == ListingStatus.PUBLISHED, Listing.expires_at > utcnow(),
                         Listing.id != listing.id, Listing.id.in_(sharing))
                  .order_by(Listing.published_at.desc(), Listing.id.desc()).limit(RELATED_CANDIDATES).subquery())
    shared = (select(candidates.c.id, func.count().label("shared"))
              .join(listing_topics, listing_topics.c.listing_id == candidates.c.id)
              .where(listing_topics.c.topic_id.in_(topic_ids)).group_by(candidates.c.id).subquery())
    return session.scalars(
        card_listings().join(shared, shared.c.id == Listing.id)
        .order_by(shared.c.shared.desc(), Listing.published_at.desc(), Listing.id.desc()).limit(limit)).all()


@provide_center_condition
def institutions_active_in(center_ids: Sequence[int]) -> ColumnElement[bool]:
    """For the institution directory: the institution has a published listing in one of the centers."""
    return exists().where(Listing.institution_id == Institution.id, Listing.center_id.in_(center_ids),
                          Listing.status == ListingStatus.PUBLISHED)
