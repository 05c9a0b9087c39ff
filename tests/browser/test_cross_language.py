"""A Chinese reader finds and understands a listing that exists only in Kazakh, in Chromium."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from portal.changes.signals import announce_listing_changed, deliver_now
from portal.listings.models import Direction
from portal.subjects.services import current_thesaurus
from tests.support.factories import Factory


def test_a_chinese_reader_finds_and_understands_a_kazakh_only_listing(page, live_server, live_db):
    thesaurus = current_thesaurus(live_db)
    drip, saxaul = thesaurus.get("drip-irrigation"), thesaurus.get("saxaul")
    make = Factory(live_db)
    institute = make.institution(f"Қазақ су шаруашылығы институты {uuid.uuid4().hex[:6]}", country="KZ")
    listing = make.listing(
        institution=institute, center=make.center("desertification-control"), language="kk",
        direction=Direction.REQUEST,
        title=f"Мақта алқаптарына {drip.pref['kk']} жүйесі қажет",
        summary=f"Түркістан облысындағы 300 гектар алқапқа {drip.pref['kk']} енгізу үшін серіктес іздейміз.",
        description=f"Құмды жерлерде {saxaul.pref['kk']} отырғызу тәжірибесі де қызықтырады.")
    announce_listing_changed(live_db, [listing.id])
    deliver_now(live_db)
    live_db.commit()

    # She searches in Chinese, in her own words for the subject.
    page.goto(f"{live_server}/zh/listings/")
    page.locator("#q").fill(drip.pref["zh"])
    page.locator(".search-row button").click()
    card = page.locator(".listing-card", has=page.locator(f"a[href='/zh/listings/{listing.id}']"))
    expect(card).to_be_visible()
    # The card says why a Kazakh text answers a Chinese query, and in what language it is.
    expect(card.locator(".found-by")).to_contain_text(drip.pref["zh"])
    expect(card).to_contain_text("哈萨克语")

    # The listing page tells her in Chinese what it is about, and each subject leads on.
    card.locator(f"a[href='/zh/listings/{listing.id}']").first.click()
    summary = page.locator(".subjects-summary")
    expect(summary).to_contain_text(drip.pref["zh"])
    expect(summary).to_contain_text(saxaul.pref["zh"])
    summary.get_by_role("link", name=saxaul.pref["zh"]).click()
    expect(page).to_have_url(f"{live_server}/zh/listings/?subject=saxaul")
    expect(page.locator(f"a[href='/zh/listings/{listing.id}']").first).to_be_visible()
