"""A notification as a sentence and a link, in the language of whoever reads it now."""

from __future__ import annotations

from functools import partial

from flask import url_for
from flask_babel import get_locale, gettext, ngettext
from markupsafe import Markup, escape

from portal.i18n.foreign import SLOT, with_text
from portal.notifications.kinds import Kind
from portal.notifications.models import Notification


def _title(notification: Notification) -> str:
    listing = notification.listing
    return listing.content_for(str(get_locale() or "en")).title if listing else "…"


def describe(notification: Notification) -> str:
    """The sentence as plain text (emails)."""
    return _sentence(notification, _title(notification))


def describe_html(notification: Notification) -> Markup:
    """The sentence for a page: the listing's title marked with its language when that is not
    the page's (a Kazakh title on a Chinese page is read in Kazakh)."""
    listing = notification.listing
    if listing is None:
        return escape(describe(notification))
    content = listing.content_for(str(get_locale() or "en"))
    return with_text(_sentence(notification, SLOT), content.title, content.language)


def _sentence(notification: Notification, title: str) -> str:
    data, kind = notification.data or {}, notification.kind
    interest = notification.interest
    if kind == Kind.INTEREST_RECEIVED and interest:
        return gettext("%(institution)s expressed interest in “%(title)s”",
                       institution=interest.institution.name, title=title)
    if kind == Kind.INTEREST_ANSWERED and interest:
        if data.get("accepted"):
            return gettext("%(institution)s accepted your interest in “%(title)s”",
                           institution=interest.listing.institution.name, title=title)
        return gettext("%(institution)s declined your interest in “%(title)s”",
                       institution=interest.listing.institution.name, title=title)
    if kind == Kind.INTEREST_MESSAGE and interest:
        return gettext("New message about “%(title)s”", title=title)
    if kind == Kind.NEW_MATCHES:
        return ngettext("%(num)s new strong match for “%(title)s”", "%(num)s new strong matches for “%(title)s”",
                        int(data.get("count", 1)), title=title)
    if kind == Kind.LISTING_STATUS:
        return _listing_status(data, title)
    if kind == Kind.SAVED_SEARCH and notification.saved_search:
        return ngettext("%(num)s new listing for your saved search “%(name)s”",
                        "%(num)s new listings for your saved search “%(name)s”",
                        int(data.get("count", 1)), name=notification.saved_search.name)
    return gettext("This notification is about something that has since been deleted.")


def _listing_status(data: dict, title: str) -> str:
    if "days" in data:
        return ngettext("“%(title)s” closes in %(num)s day", "“%(title)s” closes in %(num)s days",
                        int(data["days"]), title=title)
    action = data.get("action")
    if action == "approved":
        return gettext("“%(title)s” is published", title=title)
    if action == "changes_requested":
        return gettext("Moderators asked for changes to “%(title)s”", title=title)
    if action == "rejected":
        return gettext("“%(title)s” was not accepted", title=title)
    if action == "suspended":
        return gettext("“%(title)s” has been suspended", title=title)
    if action == "restored":
        return gettext("“%(title)s” is public again", title=title)
    return gettext("News about “%(title)s”", title=title)


def target(notification: Notification, *, language: str | None = None, external: bool = False) -> str | None:
    """Where the notification leads, or None when that is gone. Emails pass the recipient's
    language and ask for an absolute address."""
    link = partial(url_for, _external=external, **({"lang_code": language} if language else {}))
    if notification.interest_id and notification.interest:
        anchor = "#messages" if notification.kind == Kind.INTEREST_MESSAGE else ""
        return link("interests.thread", interest_id=notification.interest_id) + anchor
    if notification.kind == Kind.SAVED_SEARCH and notification.saved_search:
        query = notification.saved_search.query
        return link("listings.browse") + (f"?{query}" if query else "")
    if notification.listing_id and notification.listing:
        anchor = "#partners-heading" if notification.kind == Kind.NEW_MATCHES else ""
        return link("listings.detail", listing_id=notification.listing_id) + anchor
    return None
