"""Issue 11, delivery: compressed responses, fingerprinted long-cached static files, one <h1>
per page, and one CLDR date format in every language."""

from __future__ import annotations

import gzip
import re
from datetime import datetime, timezone

import brotli
import pytest
from babel.dates import format_date

from portal.listings.models import ListingStatus
from portal.web.assets import LONG_CACHE
from tests.support.factories import PASSWORD


def test_pages_are_compressed_when_the_client_accepts_it(client, db_session, make):
    make.center("desertification-control")
    db_session.commit()
    plain = client.get("/en/listings/")
    assert "Content-Encoding" not in plain.headers
    zipped = client.get("/en/listings/", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.data) == plain.data
    assert len(zipped.data) < len(plain.data) / 3
    squeezed = client.get("/en/listings/", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert squeezed.headers["Content-Encoding"] == "br"
    assert brotli.decompress(squeezed.data) == plain.data
    # Static files are streamed: Flask-Compress streams brotli (every current browser asks for it).
    css = client.get(_static_links(plain.get_data(as_text=True))["css"], headers={"Accept-Encoding": "gzip, br"})
    assert css.headers["Content-Encoding"] == "br"
    assert b".site-header" in brotli.decompress(b"".join(css.response))


def _static_links(html: str) -> dict[str, str]:
    css = re.search(r'href="(/static/css/portal\.css\?v=[0-9a-f]{12})"', html)
    js = re.search(r'src="(/static/js/portal\.js\?v=[0-9a-f]{12})"', html)
    assert css and js, "static files are not fingerprinted"
    return {"css": css.group(1), "js": js.group(1)}


def test_static_urls_are_fingerprinted_and_cached_for_a_year(client, db_session):
    links = _static_links(client.get("/en/").get_data(as_text=True))
    for url in links.values():
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == LONG_CACHE
    stale = client.get(links["css"].split("?")[0] + "?v=000000000000")
    assert "immutable" not in stale.headers.get("Cache-Control", "")
    bare = client.get(links["css"].split("?")[0])
    assert "immutable" not in bare.headers.get("Cache-Control", "")


@pytest.fixture()
def pages(db_session, make):
    center = make.center("desertification-control")
    listing = make.listing(center=center, title="Drip irrigation for cotton fields")
    institution = make.institution("Karakum Sand Lab", country="TM")
    make.user("member@example.org", institution=institution)
    make.moderator(center, email="mod@example.org")
    db_session.commit()
    return ["/{lang}/", "/{lang}/listings/", "/{lang}/listings/?q=irrigation", "/{lang}/centers/desertification-control",
            f"/{{lang}}/listings/{listing.id}", "/{lang}/account/login", "/{lang}/account/register",
            f"/{{lang}}/institutions/{institution.id}", "/{lang}/institutions/"]


@pytest.mark.parametrize("lang", ["en", "zh", "tg"])
def test_every_main_page_has_exactly_one_h1(browser, pages, lang):
    for path in pages:
        html = browser.get(path.format(lang=lang)).get_data(as_text=True)
        assert len(re.findall(r"<h1[\s>]", html)) == 1, path
    browser.sign_in("mod@example.org", PASSWORD, lang=lang)
    for path in ("/{lang}/moderation/", "/{lang}/account/settings"):
        html = browser.get(path.format(lang=lang)).get_data(as_text=True)
        assert len(re.findall(r"<h1[\s>]", html)) == 1, path


def test_tajik_dates_are_written_one_way_everywhere(browser, db_session, make):
    institution = make.institution("Khujand Agrarian Institute", country="TJ")
    make.user("owner@example.org", institution=institution, institution_admin=True, language="tg")
    listing = make.listing(institution=institution, title="Боғҳои бодомзор", language="tg")
    listing.published_at = datetime(2026, 6, 1, 9, 0, tzinfo=timezone.utc)
    listing.expires_at = datetime(2036, 11, 30, 9, 0, tzinfo=timezone.utc)
    db_session.commit()
    june = format_date(datetime(2026, 6, 1), "long", locale="tg")
    november = format_date(datetime(2036, 11, 30), "long", locale="tg")
    short_november = format_date(datetime(2036, 11, 30), "medium", locale="tg")
    assert (june, november, short_november) == ("01 Июн 2026", "30 Ноябр 2036", "30 Ноя 2036")  # CLDR
    detail = browser.get(f"/tg/listings/{listing.id}").get_data(as_text=True)
    assert june in detail and november in detail
    browser.sign_in("owner@example.org", PASSWORD, lang="tg")
    mine = browser.get("/tg/listings/mine").get_data(as_text=True)
    assert november in mine and short_november not in mine  # the same date, written the same way
    assert listing.status == ListingStatus.PUBLISHED
