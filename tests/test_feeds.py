"""Atom feeds of newly published listings."""

from __future__ import annotations

from xml.etree import ElementTree

from portal.listings.models import ListingStatus

ATOM = "{http://www.w3.org/2005/Atom}"


def test_feed_lists_published_listings_in_the_requested_language(client, db_session, make):
    desert = make.center("desertification-control")
    education = make.center("education-exchange")
    make.listing(center=desert, language="en", title="Saxaul planting", translations={
        "zh": ("梭梭种植", "摘要", "")})
    make.listing(center=education, title="Summer school in Bishkek")
    make.listing(center=desert, title="Draft not in feed", status=ListingStatus.DRAFT)
    db_session.commit()

    response = client.get("/zh/feeds/listings.atom")
    assert response.mimetype == "application/atom+xml"
    feed = ElementTree.fromstring(response.data)
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh"
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    assert "梭梭种植" in titles and "Summer school in Bishkek" in titles
    assert "Draft not in feed" not in titles

    center_feed = ElementTree.fromstring(client.get("/en/feeds/centers/education-exchange.atom").data)
    assert [e.findtext(f"{ATOM}title") for e in center_feed.iter(f"{ATOM}entry")] == ["Summer school in Bishkek"]
    assert client.get("/en/feeds/centers/nowhere.atom").status_code == 404


def test_pages_advertise_the_feed(client, db_session, make):
    make.centers()
    page = client.get("/en/").get_data(as_text=True)
    assert 'type="application/atom+xml" href="/en/feeds/listings.atom"' in page
