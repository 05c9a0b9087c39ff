"""Read-side queries for listings: what the public may see."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from portal.database import utcnow
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


def latest_public(session: Session, limit: int = 6) -> Sequence[Listing]:
    return session.scalars(public_listings().order_by(Listing.published_at.desc(), Listing.id.desc())
                           .limit(limit)).all()


def related_public(session: Session, listing: Listing, limit: int = 4) -> Sequence[Listing]:
    """Other open listings sharing a topic with ``listing`` (else its center), most shared first."""
    topic_ids = [topic.id for topic in listing.topics]
    query = public_listings().where(Listing.id != listing.id)
    if topic_ids:
        shared = (select(listing_topics.c.listing_id, func.count().label("shared"))
                  .where(listing_topics.c.topic_id.in_(topic_ids)).group_by(listing_topics.c.listing_id)
                  .subquery())
        query = query.join(shared, shared.c.listing_id == Listing.id).order_by(
            shared.c.shared.desc(), Listing.published_at.desc())
    else:
        query = query.where(Listing.center_id == listing.center_id).order_by(Listing.published_at.desc())
    return session.scalars(query.limit(limit)).all()
