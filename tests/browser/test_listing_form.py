"""Issue 11, forms, in Chromium: the partner-country filter narrows the checkbox list, ticks
survive filtering, and choosing a kind of cooperation shows only that kind's section; without
JavaScript every box and every section is there to use."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.support.factories import PASSWORD, Factory


def _poster(live_db) -> str:  # noqa: ANN001
    tag = uuid.uuid4().hex[:6]
    make = Factory(live_db)
    make.center()
    email = f"poster-{tag}@example.org"
    make.user(email, language="ru", institution=make.institution(f"Aral Institute {tag}", country="UZ"))
    live_db.commit()
    return email


def _sign_in(page, live_server: str, email: str) -> None:  # noqa: ANN001
    page.goto(f"{live_server}/ru/account/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("form.stacked [type=submit]").click()
    expect(page.locator(".account-menu")).to_have_count(1)


def test_country_filter_narrows_the_list_and_kind_shows_its_section(chromium, live_server, live_db):
    email = _poster(live_db)
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        _sign_in(page, live_server, email)
        page.goto(f"{live_server}/ru/listings/new")

        # Before a kind is chosen, no kind's section; then only the chosen one's.
        sections = {kind: page.locator(f"fieldset[data-kind='{kind}']")
                    for kind in ("technology_transfer", "youth_exchange", "joint_research")}
        for section in sections.values():
            expect(section).to_be_hidden()
        page.locator("input[name='kind'][value='youth_exchange']").check()
        expect(sections["youth_exchange"]).to_be_visible()
        expect(sections["technology_transfer"]).to_be_hidden()
        expect(sections["joint_research"]).to_be_hidden()
        page.locator("input[name='kind'][value='technology_transfer']").check()
        expect(sections["technology_transfer"]).to_be_visible()
        expect(sections["youth_exchange"]).to_be_hidden()

        # The country list: every box visible at first, then only the ones matching the filter.
        boxes = page.locator("[data-checklist] li[data-checklist-item]")
        total = boxes.count()
        assert total > 240
        visible = page.locator("[data-checklist] li[data-checklist-item]:visible")
        expect(visible).to_have_count(total)
        search = page.get_by_label("Найти страну")
        search.fill("стан")  # Казахстан, Узбекистан, Пакистан, …
        expect(visible).not_to_have_count(total)
        names = visible.all_inner_texts()
        assert 5 <= len(names) < 30 and all("стан" in name.lower() for name in names), names
        assert names[:5] == ["Казахстан", "Таджикистан", "Туркменистан", "Узбекистан", "Афганистан"], names
        page.get_by_label("Узбекистан").check()
        search.fill("ЯПО")  # case does not matter
        expect(visible).to_have_count(1)
        expect(visible).to_have_text("Япония")
        expect(page.get_by_text("Китай и Центральная Азия")).to_be_hidden()  # an empty group folds away
        page.get_by_label("Япония").check()
        search.press("Enter")  # narrows; does not send the form
        expect(page).to_have_url(f"{live_server}/ru/listings/new")
        search.fill("Атлантида")
        expect(visible).to_have_count(0)
        expect(page.get_by_text("Ничего не найдено.")).to_be_visible()
        search.fill("")
        expect(visible).to_have_count(total)
        checked = page.locator("input[name='target_countries']:checked")
        expect(checked).to_have_count(2)  # filtering kept both ticks

        # No horizontal overflow on the phone with the list and the sections.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()


def test_without_javascript_every_country_and_section_is_usable(chromium, live_server, live_db):
    email = _poster(live_db)
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        _sign_in(page, live_server, email)
        page.goto(f"{live_server}/ru/listings/new")
        for kind in ("technology_transfer", "youth_exchange", "joint_research"):
            expect(page.locator(f"fieldset[data-kind='{kind}']")).to_be_visible()
        expect(page.get_by_label("Найти страну")).to_be_hidden()  # no use without the script
        kazakhstan, zimbabwe = page.get_by_label("Казахстан"), page.get_by_label("Зимбабве")
        kazakhstan.check()
        zimbabwe.scroll_into_view_if_needed()
        zimbabwe.check()  # a plain click, no Ctrl
        expect(page.locator("input[name='target_countries']:checked")).to_have_count(2)
    finally:
        context.close()
