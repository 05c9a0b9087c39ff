"""Who may review what, and who may verify an institution. Plain Python.

The rules (README, "Moderation"):
- A draft that was never submitted belongs to its institution alone: no moderator or
  administrator sees it, on the listing page or in moderation, until it is submitted.
- An administrator may verify any institution. A moderator may verify an institution only
  when it has a listing beyond the draft stage in a center the moderator moderates: that is
  where they know the institution from. Institutions with no listing yet wait for an
  administrator.
"""

from __future__ import annotations

from collections.abc import Collection

from portal.users.models import Role
from portal.listings import lifecycle
from portal.listings.models import Listing


def can_review_listing(user, listing: Listing) -> bool:  # noqa: ANN001 - a User or the anonymous user
    """The listing's moderators, administrators included, in every status but draft (the lifecycle's table)."""
    return lifecycle.can(user, lifecycle.Action.REVIEW, listing)


def can_verify_institution(user, listing_center_ids: Collection[int]) -> bool:  # noqa: ANN001
    """``listing_center_ids``: the centers of the institution's listings that are not drafts."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role == Role.ADMIN:
        return True
    if user.role != Role.MODERATOR:
        return False
    return any(center.id in listing_center_ids for center in user.moderated_centers)
