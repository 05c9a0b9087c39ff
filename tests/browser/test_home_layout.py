"""Issue 11, part 4 in Chromium: the home page's three centers sit in three columns on a desk
and one on a phone (no blank quarter), and the center navigation is one line in every language,
without the page overflowing: at 1280 px "All listings" and "Institutions" are always in view, and
the centers' names, too long for one line in kk, ky, ru, tg, tk and uz, scroll inside their list. With PORTAL_HOME_SCREENSHOTS=<folder> it also saves the
home page in Kazakh and Chinese at 390 and 1280 px (docs/screenshots/home-kk-390.png…)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.test_viewports import LANGUAGES, demo  # noqa: F401 - the seeded live database

pytestmark = pytest.mark.layout  # rendering only: CI runs it on SQLite, not again on PostgreSQL

LAYOUT = """() => {
  const cards = [...document.querySelectorAll('.center-grid > .center-card')].map(c => c.getBoundingClientRect());
  const nav = document.querySelector('.centers-nav');
  const links = [...nav.querySelectorAll('a')];
  const lines = links.map(a => {
    const range = document.createRange();
    range.selectNodeContents(a);
    return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
  });
  const tops = new Set(links.map(a => Math.round(a.getBoundingClientRect().top)));
  const general = [...nav.querySelectorAll('.nav-general a')].map(a => a.getBoundingClientRect());
  const centers = nav.querySelector('.nav-centers');
  return {
    columns: new Set(cards.map(r => Math.round(r.left))).size, cards: cards.length,
    rows: tops.size, maxLines: Math.max(...lines),
    generalInView: general.every(r => r.left >= 0 && r.right <= window.innerWidth),
    centersScroll: centers.scrollWidth > centers.clientWidth + 1, need: centers.scrollWidth, have: centers.clientWidth,
    pageWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
    latest: document.querySelectorAll('.compact-card').length,
    figures: document.querySelectorAll('.figure-list li').length,
  };
}"""


@pytest.mark.parametrize(("width", "columns"), [(1280, 3), (390, 1)])
def test_the_centers_fill_the_row_and_the_navigation_is_one_row(chromium, live_server, demo, width, columns):  # noqa: ANN001, F811
    context = chromium.new_context(viewport={"width": width, "height": 900})
    context.set_default_navigation_timeout(90_000)
    shots = os.environ.get("PORTAL_HOME_SCREENSHOTS")
    try:
        page = context.new_page()
        problems = []
        for lang in LANGUAGES:
            assert page.goto(f"{live_server}/{lang}/").status == 200
            found = page.evaluate(LAYOUT)
            if found["cards"] != 3 or found["columns"] != columns:
                problems.append(f"{lang} at {width}px: {found['cards']} center cards in {found['columns']} columns")
            if found["pageWidth"] > found["innerWidth"]:
                problems.append(f"{lang} at {width}px: the page is {found['pageWidth']} px wide")
            if found["rows"] != 1 or found["maxLines"] != 1:
                problems.append(f"{lang} at {width}px: the navigation is not one line ({found})")
            if width >= 1280 and not found["generalInView"]:
                problems.append(f"{lang} at {width}px: «All listings» or «Institutions» is off-screen ({found})")
            # Beside four general links (listings, projects, institutions, statistics) the centers'
            # names scroll inside their own list in most languages; Chinese names still fit.
            if width >= 1280 and found["centersScroll"] and lang == "zh":
                problems.append(f"{lang} at {width}px: the centers do not fit the navigation ({found})")
            if found["latest"] < 3 or found["figures"] < 3:
                problems.append(f"{lang}: {found['latest']} newest listings, {found['figures']} figures")
            if shots and lang in ("kk", "zh"):
                page.screenshot(path=str(Path(shots) / f"home-{lang}-{width}.png"), full_page=True)
        assert not problems, "\n".join(problems)
    finally:
        context.close()
