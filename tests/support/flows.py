"""Multi-step flows several tests start from."""

from __future__ import annotations

from sqlalchemy import select

from portal.listings.models import Listing
from portal.matching.models import ListingMatch
from tests.support.factories import PASSWORD


def approved_drip_request(browser, db_session, make):  # noqa: ANN001, ANN201
    """A Chinese company's drip-irrigation offer is public (its admin, drip@example.cn, wrote
    it); an Uzbek farm union (farmer@example.org) posts a request for such kits through the
    page and a moderator approves it. Returns (offer, request)."""
    from portal.changes.signals import announce_listing_changed, deliver_now
    from tests.test_listings_posting import _form

    center = make.center("desertification-control")
    drip = make.topic("water-saving-irrigation", center)
    owner = make.institution("Drip Co", country="CN")
    offer = make.listing(center=center, institution=owner, topics=[drip], title="Drip irrigation kits for cotton",
                         summary="Field-proven drip irrigation for cotton fields.")
    offer.author = make.user("drip@example.cn", institution=owner, institution_admin=True)
    announce_listing_changed(db_session, [offer.id])
    deliver_now(db_session)
    farmer = make.institution("Cotton Farm Union", country="UZ")
    make.user("farmer@example.org", institution=farmer)
    moderator = make.moderator(center)
    db_session.commit()

    browser.sign_in("farmer@example.org", PASSWORD)
    browser.submit("/en/listings/new", _form(center, direction="request", language="en", topics=[str(drip.id)],
                                             title="Looking for drip irrigation kits for cotton",
                                             summary="We need field-proven drip irrigation for cotton fields."))
    browser.sign_out()
    request = db_session.scalar(select(Listing).where(Listing.institution_id == farmer.id))
    # Submitted, not public yet: no suggestions computed for it.
    assert db_session.scalar(select(ListingMatch).where(ListingMatch.listing_id == request.id)) is None
    browser.sign_in(moderator.email, PASSWORD)
    browser.submit(f"/en/moderation/listings/{request.id}/decide", {"approve": "y"},
                   page=f"/en/moderation/listings/{request.id}")
    browser.sign_out()
    return offer, request
