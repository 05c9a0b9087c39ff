"""Issue 11 in Chromium: no main page is wider than the screen, in any language, at 360, 390
and 1280 px, and its search button is on screen, whole and on one line; on a phone the header
folds into a menu button and the filters behind "Filters (n)", with or without JavaScript.

The live database gets the demo data (seed/), because the real labels are what overflowed:
CLDR country names, Tajik sort orders, Kazakh rejection reasons, Russian button words.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.layout  # rendering only: CI runs it on SQLite, not again on PostgreSQL

LANGUAGES = ["en", "zh", "ru", "kk", "ky", "tg", "tk", "uz"]
MODERATOR = "moderator.land@demo.cca-portal.org"
MEMBER = "zhao.min@demo.cca-portal.org"  # may post: the listing form with its country checklist

MEASURE = """() => {
  const iw = window.innerWidth, ih = window.innerHeight;
  const visible = [...document.querySelectorAll('.search-row button, .header-search button')]
    .filter(b => b.checkVisibility());
  const buttons = visible.map(b => {
    b.scrollIntoView({block: 'nearest'});
    const r = b.getBoundingClientRect(), range = document.createRange();
    range.selectNodeContents(b);
    return {text: b.textContent.trim(), left: r.left, right: r.right, top: r.top, bottom: r.bottom,
            lines: new Set([...range.getClientRects()].map(l => Math.round(l.top))).size,
            clipped: b.scrollWidth > b.clientWidth + 1, iw, ih};
  });
  window.scrollTo(0, 0);
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: iw, buttons};
}"""


@pytest.fixture(scope="module")
def demo(live_app, live_server):  # noqa: ANN001, ANN201
    """The demo data in the live database (idempotent), and the pages to visit."""
    from sqlalchemy import select

    from portal.extensions import db
    from portal.listings.models import Listing, ListingStatus
    from portal.search.index import rebuild_index
    from portal.paths import seed_loader

    with live_app.app_context():
        loader = seed_loader()
        loader.load_seed(db.session, live_app)
        rebuild_index(db.session)
        db.session.commit()
        listing = db.session.scalars(select(Listing).where(Listing.status == ListingStatus.PUBLISHED,
                                                           Listing.external_key.like("seed:%"))
                                     .order_by(Listing.id)).first()
        password = loader.DEMO_PASSWORD
    public = {"home": "/{lang}/", "search": "/{lang}/listings/", "center": "/{lang}/centers/desertification-control",
              "listing": f"/{{lang}}/listings/{listing.id}", "sign-in": "/{lang}/account/login",
              "register": "/{lang}/account/register", "statistics": "/{lang}/statistics/",
              "center statistics": "/{lang}/statistics/education-exchange/", "institutions": "/{lang}/institutions/",
              "institutions found": "/{lang}/institutions/?q=university&country=KZ&verified=yes"}
    signed_in = {"moderation queue": "/{lang}/moderation/", "account": "/{lang}/account/settings"}
    posting = {"new listing": "/{lang}/listings/new"}
    return {"public": public, "signed_in": signed_in, "posting": posting, "password": password,
            "listing": listing.id}


def _sign_in(page, live_server: str, email: str, password: str) -> None:  # noqa: ANN001
    page.goto(f"{live_server}/en/account/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("form.stacked [type=submit]").click()
    expect(page.locator(".account-menu")).to_have_count(1)


def _problems(page, url: str) -> list[str]:  # noqa: ANN001
    found = []
    metrics = page.evaluate(MEASURE)
    if metrics["scrollWidth"] > metrics["innerWidth"]:
        found.append(f"{url}: {metrics['scrollWidth']} px wide on a {metrics['innerWidth']} px screen")
    if not metrics["buttons"]:
        found.append(f"{url}: no visible search button")
    for button in metrics["buttons"]:
        if (button["left"] < 0 or button["right"] > button["iw"] or button["top"] < -1
                or button["bottom"] > button["ih"] + 1):  # scrolled into view: sub-pixel rounding
            found.append(f"{url}: the search button «{button['text']}» is off-screen ({button})")
        if button["lines"] != 1 or button["clipped"]:
            found.append(f"{url}: the search button «{button['text']}» is broken or clipped ({button})")
    return found


@pytest.mark.parametrize("width", [360, 390, 1280])
def test_no_main_page_is_wider_than_the_screen(chromium, live_server, demo, width):  # noqa: ANN001
    """Every main page, in all eight languages: one browser context per width and per reader."""
    visitor = chromium.new_context(viewport={"width": width, "height": 844})
    member = chromium.new_context(viewport={"width": width, "height": 844})
    poster_context = chromium.new_context(viewport={"width": width, "height": 844})
    for context in (visitor, member, poster_context):
        context.set_default_navigation_timeout(90_000)  # a first search builds its indexes; CI is shared
    try:
        anonymous, moderator, poster = visitor.new_page(), member.new_page(), poster_context.new_page()
        _sign_in(moderator, live_server, MODERATOR, demo["password"])
        _sign_in(poster, live_server, MEMBER, demo["password"])
        problems = []
        for lang in LANGUAGES:
            for reader, paths in ((anonymous, demo["public"]), (moderator, demo["signed_in"]),
                                  (poster, demo["posting"])):
                for path in paths.values():
                    url = live_server + path.format(lang=lang)
                    response = reader.goto(url)
                    assert response.status == 200, url
                    problems += _problems(reader, url)
        assert not problems, "\n".join(problems)
    finally:
        visitor.close()
        member.close()
        poster_context.close()
