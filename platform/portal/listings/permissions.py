"""Who may see which listing. Plain Python."""

from __future__ import annotations

from portal.users.models import MembershipStatus
from portal.listings.models import Listing, ListingStatus
from portal.listings import lifecycle


def can_view_listing(user, listing: Listing) -> bool:  # noqa: ANN001 - a User or Flask-Login's anonymous user
    if listing.is_public() or listing.status == ListingStatus.EXPIRED or (
            listing.status == ListingStatus.PUBLISHED and listing.published_at is not None):
        return True  # an expired listing's page stays, saying that it has expired
    if not getattr(user, "is_authenticated", False):
        return False
    if user.institution_id == listing.institution_id and user.membership_status == MembershipStatus.ACTIVE:
        return True
    # Moderators see what was submitted to them; a draft stays its institution's.
    return lifecycle.can(user, lifecycle.Action.REVIEW, listing)
