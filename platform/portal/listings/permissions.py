"""Who may see which listing. Plain Python."""

from __future__ import annotations

from portal.accounts.models import MembershipStatus, Role
from portal.listings.models import Listing, ListingStatus


def can_view_listing(user, listing: Listing) -> bool:  # noqa: ANN001 - a User or Flask-Login's anonymous user
    if listing.is_public() or listing.status == ListingStatus.EXPIRED or (
            listing.status == ListingStatus.PUBLISHED and listing.published_at is not None):
        return True  # an expired listing's page stays, saying that it has expired
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.MODERATOR and listing.center in user.moderated_centers:
        return True
    return (user.institution_id == listing.institution_id
            and user.membership_status == MembershipStatus.ACTIVE)
