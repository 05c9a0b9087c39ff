"""Suggested partners on a listing page: computed at publication, explained in the reader's language."""

from __future__ import annotations

from sqlalchemy import select

from portal.listings.models import Listing, ListingStatus
from portal.matching.models import ListingMatch
from tests.support.factories import PASSWORD
from tests.support.flows import approved_drip_request


def _seeded(app, db_session):
    from portal.matching.store import refresh_all
    from portal.search.index import rebuild_index
    from seed.loader import load_seed

    load_seed(db_session, app)
    rebuild_index(db_session)
    refresh_all(db_session)
    db_session.commit()
    request = db_session.scalar(select(Listing).where(Listing.external_key == "seed:drip-irrigation-request-turkistan"))
    offer = db_session.scalar(select(Listing).where(Listing.external_key == "seed:drip-irrigation-offer-tianshan"))
    return request, offer


def test_kazakh_drip_irrigation_request_is_shown_the_chinese_offer_with_reasons(app, browser, db_session):
    request, offer = _seeded(app, db_session)
    top = db_session.scalars(select(ListingMatch).where(ListingMatch.listing_id == request.id)
                             .order_by(ListingMatch.score.desc()).limit(3)).all()
    assert offer.id in [match.partner_id for match in top]

    browser.sign_in("aigerim.bekova@demo.cca-portal.org", "demo-password-2025", lang="kk")
    page = browser.get(f"/en/listings/{request.id}").get_data(as_text=True)
    assert "Suggested partners" in page
    section = page.split('id="partners-heading"')[1]
    assert offer.content_for("en").title in section
    assert "Both about" in section and "Cross-border partnership" in section
    kk = browser.get(f"/kk/listings/{request.id}").get_data(as_text=True).split('id="partners-heading"')[1]
    assert "Both about" not in kk  # the reasons are translated


def test_only_the_listings_institution_sees_its_suggestions(app, browser, client, db_session):
    request, _offer = _seeded(app, db_session)
    assert 'id="partners-heading"' not in client.get(f"/en/listings/{request.id}").get_data(as_text=True)
    browser.sign_in("chen.hao@demo.cca-portal.org", "demo-password-2025")
    assert 'id="partners-heading"' not in browser.get(f"/en/listings/{request.id}").get_data(as_text=True)


def test_matches_follow_publication_and_withdrawal(browser, db_session, make):
    offer, request = approved_drip_request(browser, db_session, make)
    pair = db_session.scalars(select(ListingMatch.partner_id).where(ListingMatch.listing_id == request.id)).all()
    assert pair == [offer.id]
    reverse = db_session.scalars(select(ListingMatch.partner_id).where(ListingMatch.listing_id == offer.id)).all()
    assert reverse == [request.id]

    browser.sign_in("farmer@example.org", PASSWORD)
    browser.submit(f"/en/listings/{request.id}/withdraw", {}, page=f"/en/listings/{request.id}")
    db_session.expire_all()
    assert db_session.scalars(select(ListingMatch).where(ListingMatch.partner_id == request.id)).all() == []
    assert request.status == ListingStatus.WITHDRAWN or db_session.get(Listing, request.id).status == ListingStatus.WITHDRAWN


def test_a_matching_worker_takes_over_when_requests_do_not_match(app, browser, db_session, make):
    """MATCHING_IN_REQUESTS=0: publication only records the change; the worker's next step
    (``flask listings match --follow``) computes the suggestions and tells the institutions."""
    from portal.matching.follow import rematch_changed
    from portal.notifications.models import Notification
    from portal.changes.log import Followed, current_token

    followed = Followed(current_token(db_session))
    app.config["MATCHING_IN_REQUESTS"] = False
    try:
        offer, request = approved_drip_request(browser, db_session, make)
    finally:
        app.config["MATCHING_IN_REQUESTS"] = True
    assert db_session.scalar(select(ListingMatch).where(ListingMatch.listing_id == request.id)) is None

    with app.test_request_context():
        from portal.extensions import db

        followed, updated = rematch_changed(db.session, followed)
        db.session.commit()
    assert updated >= 2  # the offer (published by the flow) and the request
    pair = db_session.scalars(select(ListingMatch.partner_id).where(ListingMatch.listing_id == request.id)).all()
    assert pair == [offer.id]
    assert db_session.scalar(select(Notification).where(Notification.listing_id == offer.id)) is not None
    with app.test_request_context():
        from portal.extensions import db

        assert rematch_changed(db.session, followed)[1] == 0  # nothing new: nothing done
