"""Issue 14 in Chromium: the statistics' charts are images with accessible names (their title
and summary), nothing on the page breaks the Content-Security-Policy (no inline script or style
from pygal), and the directory's filters fold behind "Filters (n)" on a phone."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.test_viewports import demo  # noqa: F401 - the demo data, shared with the viewport test


def test_charts_are_named_images_and_respect_the_csp(chromium, live_server, demo):  # noqa: ANN001, F811
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        refused: list[str] = []
        page.on("console", lambda message: refused.append(message.text) if message.type == "error" else None)
        for lang, title in (("en", "Open listings by country"), ("zh", "各国有效供需信息")):
            page.goto(f"{live_server}/{lang}/statistics/")
            charts = page.locator("svg.pygal-chart[role=img]")
            expect(charts.first).to_be_visible()
            chart = page.get_by_role("img", name=re.compile(re.escape(title)))
            expect(chart).to_have_count(1)
            # Styled by /charts/pygal.css: the plot's background is transparent, not black.
            fill = chart.locator(".plot > .background").evaluate("e => getComputedStyle(e).fill")
            assert fill in ("transparent", "rgba(0, 0, 0, 0)", "none"), fill
        assert not refused, refused
    finally:
        context.close()


def test_directory_filters_fold_on_a_phone(chromium, live_server, demo):  # noqa: ANN001, F811
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(f"{live_server}/ru/institutions/?country=KZ")
        toggle = page.locator(".filters-toggle")
        expect(toggle).to_have_text("Фильтры (1)")
        expect(page.locator(".filters")).to_be_hidden()
        toggle.click()
        page.locator("input[name=country][value=UZ]").check()
        page.locator(".filters button[type=submit]").click()
        expect(page.locator(".filters-toggle")).to_have_text("Фильтры (2)")
        assert "country=UZ" in page.url and "country=KZ" in page.url
    finally:
        context.close()
