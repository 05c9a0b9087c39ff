"""A Chinese reader presses "Translate" on a Kazakh-only listing and reads the translation,
labelled as machine-made, in Chromium (the service: the fake LibreTranslate on loopback)."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from portal.changes.signals import announce_listing_changed, deliver_now
from tests.support.factories import Factory


def test_a_chinese_reader_translates_a_kazakh_only_listing(page, live_server, live_app, live_db, translator,
                                                           monkeypatch):
    monkeypatch.setitem(live_app.config, "TRANSLATION_URL", translator.url)
    make = Factory(live_db)
    institute = make.institution(f"Қазақ егіншілік институты {uuid.uuid4().hex[:6]}", country="KZ")
    listing = make.listing(institution=institute, language="kk", title="Тамшылатып суару жүйесі қажет",
                           summary="Мақта алқаптарына серіктес іздейміз.", description="Түркістан облысы.")
    announce_listing_changed(live_db, [listing.id])
    with live_app.app_context():  # news of matches with earlier tests' listings write email
        deliver_now(live_db)  # published as a service would (and the server's thesaurus is loaded)
    live_db.commit()

    page.goto(f"{live_server}/zh/listings/{listing.id}")
    expect(page.locator("h1")).to_have_text("Тамшылатып суару жүйесі қажет")
    assert translator.translate_calls == 0  # reading the page never asks the service
    page.get_by_role("button", name="翻译成中文").click()

    expect(page.locator("h1")).to_have_text("[zh] Тамшылатып суару жүйесі қажет")
    label = page.locator(".machine-translation-label")
    expect(label).to_contain_text("机器翻译，原文为哈萨克语")
    expect(page.locator(".lead")).to_have_text("[zh] Мақта алқаптарына серіктес іздейміз.")
    label.get_by_role("link", name="显示原文").click()
    expect(page.locator("h1")).to_have_text("Тамшылатып суару жүйесі қажет")
