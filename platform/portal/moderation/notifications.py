"""Telling authors what moderators decided, in the author's language."""

from __future__ import annotations

from functools import partial

from flask import url_for
from flask_babel import lazy_gettext as _l

from portal.users.models import User
from portal.extensions import db
from portal.institutions.services import spokespeople
from portal.listings.models import Listing
from portal.mail.service import send_to_user
from portal.moderation.models import Action, ListingEvent
from portal.notifications.delivery import notify
from portal.notifications.kinds import Kind

SUBJECTS = {
    Action.APPROVED: _l("Your listing is published"),
    Action.CHANGES_REQUESTED: _l("Changes requested for your listing"),
    Action.REJECTED: _l("Your listing was not accepted"),
    Action.SUSPENDED: _l("Your listing has been suspended"),
    Action.RESTORED: _l("Your listing is public again"),
}
EXPIRY_SUBJECT = _l("Your listing closes soon")


def recipients(listing: Listing) -> list[User]:
    """The author; if the author has left, the institution's administrators."""
    return spokespeople(db.session, listing.institution_id, listing.author)


def notify_author(listing: Listing, event: ListingEvent, *, is_edit: bool = False) -> None:
    if event.action not in SUBJECTS:
        return
    for user in recipients(listing):
        notify(user, Kind.LISTING_STATUS, listing=listing, data={"action": event.action.value, "edit": is_edit},
               email=partial(send_to_user, db.session, user, "listing_decision", SUBJECTS[event.action],
                             listing=listing, event=event, is_edit=is_edit,
                             title=listing.content_for(user.preferred_language).title,
                             link=url_for("listings.detail", listing_id=listing.id,
                                          lang_code=user.preferred_language, _external=True)))


def remind_before_expiry(listing: Listing, days: int) -> None:
    """The expiry job's reminder, as the author chose to receive news about their listings."""
    for user in recipients(listing):
        notify(user, Kind.LISTING_STATUS, listing=listing, data={"days": days},
               email=partial(send_to_user, db.session, user, "expiry_reminder", EXPIRY_SUBJECT, days=days,
                             expires_at=listing.expires_at, title=listing.content_for(user.preferred_language).title,
                             link=url_for("listings.detail", listing_id=listing.id,
                                          lang_code=user.preferred_language, _external=True)))
