"""Suggested partners on a listing page: computed by the worker after a publication (never in a
web request), explained in the reader's language."""

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


def test_matches_follow_publication_and_withdrawal(browser, db_session, make, matching_worker):
    offer, request = approved_drip_request(browser, db_session, make)
    matching_worker()
    pair = db_session.scalars(select(ListingMatch.partner_id).where(ListingMatch.listing_id == request.id)).all()
    assert pair == [offer.id]
    reverse = db_session.scalars(select(ListingMatch.partner_id).where(ListingMatch.listing_id == offer.id)).all()
    assert reverse == [request.id]

    browser.sign_in("farmer@example.org", PASSWORD)
    browser.submit(f"/en/listings/{request.id}/withdraw", {}, page=f"/en/listings/{request.id}")
    matching_worker()
    assert db_session.scalars(select(ListingMatch).where(ListingMatch.partner_id == request.id)).all() == []
    assert db_session.get(Listing, request.id).status == ListingStatus.WITHDRAWN


def test_publication_only_records_the_change_and_the_worker_computes_suggestions(app, browser, db_session, make):
    """The approval's request returns without suggestions; the worker's next step (``flask
    worker``, or ``flask listings match --follow``) computes them and tells the institutions."""
    from portal.changes.log import Followed, current_token
    from portal.matching.follow import rematch_changed
    from portal.notifications.models import Notification

    followed = Followed(current_token(db_session))
    offer, request = approved_drip_request(browser, db_session, make)
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


def test_no_web_request_builds_the_matching_index(app, browser, db_session, make, monkeypatch, matching_worker):
    """Issue 12: at 100,000 listings the index takes 1–2 minutes to build, and the first approval
    in each gunicorn process timed out building it. With the portal's own settings (nothing
    turns matching on in requests: that path is gone), an approval, an edit and its approval, a
    withdrawal and the owner's page views neither build nor touch the index; the worker's pass
    afterwards computes the suggestions, which the page then reads as stored."""
    from portal.matching import store
    from portal.matching.index import MatchIndex
    from portal.moderation.models import ListingRevision
    from tests.test_listings_posting import _form

    builds, uses = [], []
    build = MatchIndex.__init__
    monkeypatch.setattr(MatchIndex, "__init__", lambda index, *args, **kwargs: builds.append(1) or build(
        index, *args, **kwargs))
    get = store._indexes.get
    monkeypatch.setattr(store._indexes, "get", lambda session: uses.append(1) or get(session))

    offer, request = approved_drip_request(browser, db_session, make)  # posted, then approved
    browser.sign_in("farmer@example.org", PASSWORD)
    page = browser.get(f"/en/listings/{request.id}")
    assert page.status_code == 200 and 'id="partners-heading"' not in page.get_data(as_text=True)
    edit = _form(request.center, direction="request", language="en", topics=[str(t.id) for t in request.topics],
                 title="Looking for drip irrigation kits for cotton and wheat",
                 summary="We need field-proven drip irrigation for cotton fields.")
    assert browser.submit(f"/en/listings/{request.id}/edit", edit).status_code == 302
    browser.sign_out()
    moderator = make.moderator(request.center, email="second.moderator@example.org")
    db_session.commit()
    browser.sign_in(moderator.email, PASSWORD)
    revision = db_session.scalar(select(ListingRevision.id).where(ListingRevision.listing_id == request.id))
    browser.submit(f"/en/moderation/listings/{request.id}/decide", {"approve": "y", "revision_id": str(revision)},
                   page=f"/en/moderation/listings/{request.id}")
    browser.sign_out()
    assert "cotton and wheat" in browser.get(f"/en/listings/{request.id}").get_data(as_text=True)
    assert (builds, uses) == ([], [])
    assert db_session.scalar(select(ListingMatch).where(ListingMatch.listing_id == request.id)) is None

    assert matching_worker() >= 2  # the worker's next pass: the offer and the request
    assert uses  # the worker's process keeps the index (here caught up, not rebuilt)
    pair = db_session.scalars(select(ListingMatch.partner_id).where(ListingMatch.listing_id == request.id)).all()
    assert pair == [offer.id]

    builds.clear(), uses.clear()
    browser.sign_in("farmer@example.org", PASSWORD)
    section = browser.get(f"/en/listings/{request.id}").get_data(as_text=True).split('id="partners-heading"')[1]
    assert offer.content_for("en").title in section  # read as stored
    browser.submit(f"/en/listings/{request.id}/withdraw", {}, page=f"/en/listings/{request.id}")
    assert (builds, uses) == ([], [])
    matching_worker()
    assert db_session.scalars(select(ListingMatch).where(ListingMatch.partner_id == request.id)).all() == []


def test_the_workers_build_reads_each_listing_as_a_publication_does(app, db_session):
    """The worker's build reads plain rows in batches, not ORM objects; the profiles are those a
    publication builds from the listing itself (same tokens in the same order, same concepts),
    so a listing's suggestions do not depend on which path indexed it."""
    from portal.database import utcnow
    from portal.matching import store
    from portal.subjects.services import SHIPPED_THESAURUS, annotate_all, current_thesaurus, load_file
    from seed.loader import load_seed

    load_file(db_session, SHIPPED_THESAURUS)
    load_seed(db_session, app)
    annotate_all(db_session)
    db_session.commit()
    lexicon, thesaurus, now = store._lexicon(db_session), current_thesaurus(db_session), utcnow()
    public = db_session.scalars(select(Listing).where(Listing.status == ListingStatus.PUBLISHED,
                                                      Listing.expires_at > now).order_by(Listing.id)).all()
    streamed = list(store._public_profiles(db_session, now, lexicon))
    assert [profile.id for profile in streamed] == [listing.id for listing in public] and len(public) >= 10
    for profile, listing in zip(streamed, public):
        single = store.profile_of(listing, lexicon, thesaurus)
        assert profile == single and list(profile.tokens) == list(single.tokens)
    assert any(profile.subjects for profile in streamed) and any(profile.concepts for profile in streamed)

    hidden = db_session.scalar(select(Listing.id).where(Listing.status != ListingStatus.PUBLISHED))
    wanted = [public[3].id, public[0].id, *([hidden] if hidden else [])]
    assert [profile.id for profile in store._public_profiles(db_session, now, lexicon, wanted)] == sorted(wanted[:2])


def test_the_full_recomputation_gives_the_partners_a_publication_gives(app, db_session):
    """``refresh_all`` (the worker's first pass, nightly, after an import) scores each listing
    with its texts, as a publication does: it used to query the index with the stored profiles,
    which have no tokens, so text similarity never counted there."""
    from portal.matching import store
    from portal.matching.engine import suggest
    from portal.subjects.services import current_thesaurus

    _seeded(app, db_session)
    index, lexicon = store._indexes.get(db_session), store._lexicon(db_session)
    thesaurus = current_thesaurus(db_session)
    public = db_session.scalars(select(Listing).where(Listing.status == ListingStatus.PUBLISHED)).all()
    texts_counted = 0
    for listing in public:
        expected = suggest(store.profile_of(listing, lexicon, thesaurus), index, store.LIMIT)
        stored = db_session.scalars(select(ListingMatch).where(ListingMatch.listing_id == listing.id)
                                    .order_by(ListingMatch.rank)).all()
        assert [(match.partner_id, round(match.score, 6)) for match in stored] == [
            (suggestion.listing_id, suggestion.score) for suggestion in expected]
        texts_counted += sum(1 for match in stored for reason in match.reasons if reason["code"] == "similar_text")
    assert texts_counted > 0


def test_the_build_reads_stored_analyses_that_follow_every_change(app, db_session):
    """The worker's build reads each listing's text analysis as stored (``match_texts``): the
    same tokens, counts and concepts its texts give, so the same suggestions. A change to the
    texts stores the new analysis; a row of another analyzer version is not trusted."""
    from portal.changes.signals import announce_listing_changed, deliver_now
    from portal.database import utcnow
    from portal.matching import store
    from portal.matching.engine import suggest
    from portal.matching.index import MatchIndex
    from portal.matching.models import MatchText
    from portal.matching.profile import HashedTokens, half_texts
    from portal.matching.text import token_keys
    from portal.subjects.services import SHIPPED_THESAURUS, annotate_all, current_thesaurus, load_file
    from seed.loader import load_seed

    load_file(db_session, SHIPPED_THESAURUS)
    load_seed(db_session, app)
    annotate_all(db_session)
    assert store.store_all_analyses(db_session) >= 10
    db_session.commit()
    lexicon, thesaurus, now = store._lexicon(db_session), current_thesaurus(db_session), utcnow()
    public = db_session.scalars(select(Listing).where(Listing.status == ListingStatus.PUBLISHED,
                                                      Listing.expires_at > now).order_by(Listing.id)).all()
    stored = list(store._public_profiles(db_session, now, lexicon))
    from_texts = [store.profile_of(listing, lexicon, thesaurus) for listing in public]
    assert all(isinstance(profile.tokens, HashedTokens) for profile in stored)
    for mine, theirs in zip(stored, from_texts, strict=True):
        assert mine.tokens.keys == token_keys(theirs.tokens)
        assert mine.tokens.counts == half_texts(theirs.tokens.values())
        assert dict(mine.concepts) == dict(theirs.concepts) and mine.subjects == theirs.subjects
    by_storage, by_texts = MatchIndex(stored), MatchIndex(from_texts)
    for mine, theirs in zip(stored, from_texts):
        assert suggest(mine, by_storage) == suggest(theirs, by_texts)

    listing = public[0]
    version = listing.translations[0]
    version.title = "Saxaul seedlings for sand fixation on the Aral Sea bed"
    announce_listing_changed(db_session, [listing.id])
    db_session.commit()
    deliver_now(db_session)
    row = db_session.get(MatchText, listing.id)
    db_session.refresh(row)
    assert row.token_keys == token_keys(store.profile_of(listing, lexicon, thesaurus).tokens)
    assert "saxaul" in version.title.lower()

    row.version = "0:older"
    db_session.commit()
    again = next(store._public_profiles(db_session, now, lexicon, [listing.id]))
    assert not isinstance(again.tokens, HashedTokens) and any("saxaul" in token for token in again.tokens)


def test_a_publication_enters_existing_lists_only_where_it_is_among_the_best(db_session, make):
    """The reverse merge keeps each list to its best ten, in rank order, with one entry per
    partner (a listing published again replaces its entry)."""
    from portal.matching import store
    from portal.matching.engine import Suggestion

    listings = [make.listing(title=f"Listing {number}") for number in range(14)]
    full, short, new = listings[0], listings[1], listings[13]
    old = {partner.id: round(0.1 * number, 2) for number, partner in enumerate(listings[2:12], start=1)}
    for rank, (partner_id, score) in enumerate(sorted(old.items(), key=lambda item: -item[1])):
        db_session.add(ListingMatch(listing_id=full.id, partner_id=partner_id, score=score, rank=rank))
    db_session.add(ListingMatch(listing_id=short.id, partner_id=listings[2].id, score=0.3, rank=0))
    db_session.flush()

    def stored(listing):
        return [(row.partner_id, row.score, row.rank) for row in db_session.scalars(
            select(ListingMatch).where(ListingMatch.listing_id == listing.id).order_by(ListingMatch.rank))]

    store._merge(db_session, [(full.id, Suggestion(new.id, 0.55, ())), (short.id, Suggestion(new.id, 0.2, ()))])
    db_session.expire_all()
    expected = sorted([*[(partner, score) for partner, score in old.items() if score > 0.1], (new.id, 0.55)],
                      key=lambda item: -item[1])
    assert stored(full) == [(partner, score, rank) for rank, (partner, score) in enumerate(expected)]
    assert stored(short) == [(listings[2].id, 0.3, 0), (new.id, 0.2, 1)]

    store._merge(db_session, [(full.id, Suggestion(new.id, 0.95, ())), (short.id, Suggestion(new.id, 0.05, ()))])
    db_session.expire_all()
    assert [row[:2] for row in stored(full)][:2] == [(listings[11].id, 1.0), (new.id, 0.95)] and len(stored(full)) == 10
    assert stored(short) == [(listings[2].id, 0.3, 0), (new.id, 0.05, 1)]  # room left: it stays, lower
    store._merge(db_session, [(full.id, Suggestion(listings[12].id, 0.01, ()))])  # not among the best: no change
    db_session.expire_all()
    assert listings[12].id not in [row[0] for row in stored(full)]
