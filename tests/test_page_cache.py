"""Issue 12: public pages are rendered once for every visitor who is not signed in, shared by all
app processes (the database, or Redis when configured), and never outlive a change to what they
show, nor show one person's page to another."""

from __future__ import annotations

import gzip

import pytest
from flask import Flask
from sqlalchemy import select

from portal.cache.models import CachedPage
from portal.listings.models import ListingStatus
from portal.search.index import index_listing
from tests.support.factories import PASSWORD
from tests.support.web import Browser
from tests.test_throttle import REDIS_URL


def _visit(app: Flask, url: str):  # noqa: ANN202 - a new visitor, without cookies
    return app.test_client().get(url, headers={"Accept-Encoding": "gzip"})


def _text(response) -> str:  # noqa: ANN001
    body = response.get_data()
    return (gzip.decompress(body) if response.headers.get("Content-Encoding") == "gzip" else body).decode()


def _owner_and_listing(make):  # noqa: ANN001, ANN202
    institution = make.institution("Aral Sea Restoration Lab")
    make.user("owner@example.org", institution=institution, institution_admin=True)
    return _indexed(make.listing(institution=institution, title="Saxaul belts for the Aral seabed"), make)


def _indexed(listing, make):  # noqa: ANN001, ANN202
    index_listing(make.session, listing)
    return listing


def test_the_next_visitor_gets_the_page_already_rendered(app, db_session, make):
    listing = _owner_and_listing(make)
    db_session.commit()
    for url in (f"/en/listings/{listing.id}", "/en/", "/en/listings/?q=saxaul", "/api/v1/listings?q=saxaul"):
        first, second = _visit(app, url), _visit(app, url)
        assert (first.headers["X-Page-Cache"], second.headers["X-Page-Cache"]) == ("miss", "hit"), url
        assert first.headers["Content-Encoding"] == second.headers["Content-Encoding"] == "gzip"
        assert second.get_data() == first.get_data()
        assert "Saxaul belts for the Aral seabed" in _text(second)
        # What is about one visitor is not replayed; the security headers are every response's.
        assert second.headers.get("Content-Security-Policy") == first.headers.get("Content-Security-Policy")


def test_a_withdrawn_listing_leaves_every_cached_page_at_once(app, client, db_session, make):
    listing = _owner_and_listing(make)
    db_session.commit()
    pages = (f"/en/listings/{listing.id}", "/en/listings/?q=saxaul", f"/api/v1/listings/{listing.id}",
             "/api/v1/listings?q=saxaul")
    for url in pages:
        _visit(app, url)
        assert _visit(app, url).headers["X-Page-Cache"] == "hit"

    owner = Browser(client)
    owner.sign_in("owner@example.org", PASSWORD)
    withdrawn = owner.submit(f"/en/listings/{listing.id}/withdraw", {}, page=f"/en/listings/{listing.id}")
    assert withdrawn.status_code == 302
    db_session.refresh(listing)
    assert listing.status == ListingStatus.WITHDRAWN

    assert _visit(app, f"/en/listings/{listing.id}").status_code == 404
    assert _visit(app, f"/api/v1/listings/{listing.id}").status_code == 404
    assert "Saxaul" not in _text(_visit(app, "/en/listings/?q=saxaul"))
    assert "Saxaul" not in _text(_visit(app, "/api/v1/listings?q=saxaul"))


def test_signed_in_pages_are_neither_served_from_nor_put_in_the_cache(app, client, db_session, make):
    _owner_and_listing(make)
    db_session.commit()
    member = Browser(client)
    member.sign_in("owner@example.org", PASSWORD)  # signing in changes the user: a new generation
    for _ in range(2):
        own = member.get("/en/")
        assert "X-Page-Cache" not in own.headers
        assert "Sign out" in _text(own)
    first, second = _visit(app, "/en/"), _visit(app, "/en/")
    assert (first.headers["X-Page-Cache"], second.headers["X-Page-Cache"]) == ("miss", "hit")
    assert "Sign out" not in _text(second) and "Sign in" in _text(second)


def test_every_address_language_and_encoding_has_its_own_page(app, db_session, make):
    _indexed(make.listing(title="Saxaul belts for the Aral seabed"), make)
    _indexed(make.listing(title="Drip irrigation for cotton fields"), make)
    db_session.commit()
    for url in ("/en/", "/ru/", "/en/listings/?q=saxaul", "/en/listings/?q=cotton"):
        _visit(app, url)
    assert 'lang="ru"' in _text(_visit(app, "/ru/"))
    assert 'lang="en"' in _text(_visit(app, "/en/"))
    cotton = _text(_visit(app, "/en/listings/?q=cotton"))
    assert "Drip irrigation" in cotton and "Saxaul" not in cotton
    plain = app.test_client().get("/en/listings/?q=cotton")  # no Accept-Encoding: not the gzip page
    assert "Content-Encoding" not in plain.headers and "Drip irrigation" in _text(plain)


def test_the_cache_can_be_turned_off(app_with, db_session, make):
    make.listing(title="Saxaul belts for the Aral seabed")
    db_session.commit()
    uncached = app_with(PAGE_CACHE_SECONDS=0)
    for _ in range(2):
        response = _visit(uncached, "/en/")
        assert response.status_code == 200 and "X-Page-Cache" not in response.headers


@pytest.fixture()
def clean_redis():  # noqa: ANN201
    from tests.test_throttle import redis_client as _unused  # noqa: F401 - the same server check
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis server at {REDIS_URL}")

    def clean() -> None:
        for key in client.scan_iter("portal:page:*"):
            client.delete(key)

    clean()
    yield client
    clean()


def test_two_servers_share_pages_and_changes_through_redis(app_with, clean_redis, db_session, make):
    listing = _owner_and_listing(make)
    db_session.commit()
    first, second = app_with(REDIS_URL=REDIS_URL), app_with(REDIS_URL=REDIS_URL)
    url = f"/en/listings/{listing.id}"
    assert _visit(first, url).headers["X-Page-Cache"] == "miss"
    assert _visit(second, url).headers["X-Page-Cache"] == "hit"  # rendered by the other server
    assert not db_session.scalars(select(CachedPage.key)).all()  # all in Redis

    owner = Browser(first.test_client())
    owner.sign_in("owner@example.org", PASSWORD)
    owner.submit(f"{url}/withdraw", {}, page=url)
    assert _visit(second, url).status_code == 404


def test_public_pages_answer_while_redis_is_down(app_with, db_session, make, caplog):
    """A Redis outage costs speed, not pages: they are rendered for each visitor, and a change
    still commits (cached pages may then show it late, which is logged)."""
    from portal.extensions import db
    from portal.listings.models import Listing

    listing = _owner_and_listing(make)
    db_session.commit()
    down = app_with(REDIS_URL="redis://127.0.0.1:1/0")  # nothing listens there
    url = f"/en/listings/{listing.id}"
    for path in ("/en/", url, "/en/listings/?q=saxaul", "/api/v1/listings?q=saxaul"):
        response = _visit(down, path)
        assert response.status_code == 200 and "X-Page-Cache" not in response.headers, path
        assert "Saxaul belts" in _text(response), path
    assert "page cache unavailable" in caplog.text

    with down.test_request_context():
        db.session.get(Listing, listing.id).status = ListingStatus.WITHDRAWN
        db.session.commit()  # the generation cannot advance in Redis: logged, not raised
    assert "pages cached before this change may be served" in caplog.text
    assert _visit(down, url).status_code == 404
