"""Machine translation through a LibreTranslate-compatible service (a real HTTP server on
loopback, ``tests.support.translation_service``): the client's timeouts and circuit breaker,
labelled translations stored apart from human ones, redone after an edit, made by the worker or
on a reader's "Translate", and nothing at all when no service is configured."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from portal.changes.signals import announce_listing_changed
from portal.listings.history import open_revision
from portal.listings.models import ListingStatus, ListingTranslation
from portal.machine_translation import services
from portal.machine_translation.client import CircuitBreaker, CircuitOpen, LibreTranslate, TranslationError
from portal.machine_translation.models import MachineTranslation
from portal.worker.passes import Worker
from tests.support.factories import PASSWORD
from tests.support.web import Browser, csrf_token

KAZAKH = ("Тамшылатып суару жүйесі", "Мақта алқаптарына арналған жүйе.", "Толығырақ мәлімет.")


@pytest.fixture(autouse=True)
def fresh_breakers():
    services._breakers.clear()  # each test's service starts healthy
    yield
    services._breakers.clear()


@pytest.fixture()
def kazakh_listing(make):
    title, summary, description = KAZAKH
    return make.listing(title=title, summary=summary, description=description, language="kk")


def _app(app_with, translator, **settings):  # noqa: ANN001, ANN202
    return app_with(TRANSLATION_URL=translator.url, TRANSLATION_REQUEST_TIMEOUT_SECONDS=1,
                    TRANSLATION_TIMEOUT_SECONDS=1, **settings)


def _press_translate(client, listing_id: int, lang: str = "zh"):  # noqa: ANN001, ANN202
    page = client.get(f"/{lang}/account/login").get_data(as_text=True)  # a form's token
    return client.post(f"/{lang}/listings/{listing_id}/machine-translation",
                       data={"csrf_token": csrf_token(page)})


def _rows(db_session, listing_id: int) -> list[MachineTranslation]:
    db_session.expire_all()
    return list(db_session.scalars(select(MachineTranslation).where(MachineTranslation.listing_id == listing_id)
                                   .order_by(MachineTranslation.language)))


# --- The client ----------------------------------------------------------------------------


def test_the_client_translates_several_texts_in_one_request(translator):
    client = LibreTranslate(translator.url, api_key="secret", codes={"zh": "zh-Hans"})
    assert client.translate(["Сәлем", "", "Әлем"], "kk", "zh") == ["[zh-Hans] Сәлем", "", "[zh-Hans] Әлем"]
    assert translator.calls[0]["q"] == ["Сәлем", "Әлем"] and translator.calls[0]["api_key"] == "secret"
    assert "zh" in client.languages()["kk"]  # the server's codes read back as ours


def test_a_hung_service_costs_one_timeout_per_call_until_the_breaker_opens(translator):
    translator.mode = "hang"
    client = LibreTranslate(translator.url, timeout=0.3, breaker=CircuitBreaker(failures=2, cooldown=60))
    for _ in range(2):
        started = time.monotonic()
        with pytest.raises(TranslationError):
            client.translate(["Сәлем"], "kk", "zh")
        assert time.monotonic() - started < 1.5  # the timeout, not the service, decides
    started = time.monotonic()
    with pytest.raises(CircuitOpen):
        client.translate(["Сәлем"], "kk", "zh")
    assert time.monotonic() - started < 0.05 and translator.translate_calls == 2  # not even tried


def test_the_breaker_lets_one_trial_through_after_its_cooldown():
    now = [0.0]
    breaker = CircuitBreaker(failures=1, cooldown=10, clock=lambda: now[0])
    breaker.before_call()
    breaker.failed()
    with pytest.raises(CircuitOpen):
        breaker.before_call()
    now[0] = 11
    breaker.before_call()  # the trial
    with pytest.raises(CircuitOpen):
        breaker.before_call()  # others wait for its outcome
    breaker.succeeded()
    breaker.before_call()
    assert not breaker.is_open


def test_errors_are_tried_again_then_reported(translator):
    translator.mode = "error"
    client = LibreTranslate(translator.url, retries=1, retry_wait=0.01)
    with pytest.raises(TranslationError, match="500"):
        client.translate(["Сәлем"], "kk", "zh")
    assert translator.translate_calls == 2


# --- Nothing configured ----------------------------------------------------------------------


def test_without_a_service_the_listing_page_is_as_before(client, kazakh_listing, app):
    assert not app.config.get("TRANSLATION_URL")
    html = client.get(f"/zh/listings/{kazakh_listing.id}").get_data(as_text=True)
    assert KAZAKH[0] in html and "machine-translation" not in html  # no button, no label
    page = client.get("/zh/account/login").get_data(as_text=True)  # the listing page has no form now
    response = client.post(f"/zh/listings/{kazakh_listing.id}/machine-translation",
                           data={"csrf_token": csrf_token(page)})
    assert response.status_code == 404
    with app.app_context():
        report = Worker(kinds=("translate",)).run_pass()
    assert report.translations.made == 0


# --- A reader's "Translate" --------------------------------------------------------------------


def test_a_reader_presses_translate_and_reads_the_labelled_translation(app_with, translator, kazakh_listing,
                                                                        db_session):
    client = _app(app_with, translator).test_client()
    html = client.get(f"/zh/listings/{kazakh_listing.id}").get_data(as_text=True)
    assert "machine-translation-offer" in html and translator.translate_calls == 0  # a GET never calls
    assert "翻译成中文" in html  # the button, in the reader's language

    response = _press_translate(client, kazakh_listing.id)
    assert response.status_code == 302 and translator.translate_calls == 1
    [row] = _rows(db_session, kazakh_listing.id)
    assert (row.language, row.source_language, row.title) == ("zh", "kk", f"[zh] {KAZAKH[0]}")
    assert row.engine.startswith("LibreTranslate") and row.translated_at is not None and not row.due
    assert row.source_hash == services.source_hash(kazakh_listing.original)
    assert [t.language for t in kazakh_listing.translations] == ["kk"]  # apart from human versions

    html = client.get(f"/zh/listings/{kazakh_listing.id}").get_data(as_text=True)
    assert f"[zh] {KAZAKH[1]}" in html and "机器翻译，原文为哈萨克语" in html and "显示原文" in html
    original = client.get(f"/zh/listings/{kazakh_listing.id}?version=kk").get_data(as_text=True)
    assert f"[zh] {KAZAKH[1]}" not in original and KAZAKH[1] in original  # "show original"
    _press_translate(client, kazakh_listing.id)
    assert translator.translate_calls == 1  # current: not asked again


def test_translate_is_refused_without_a_csrf_token(app_with, translator, kazakh_listing):
    client = _app(app_with, translator).test_client()
    response = client.post(f"/zh/listings/{kazakh_listing.id}/machine-translation")
    assert response.status_code == 400 and translator.translate_calls == 0


def test_a_hung_service_never_holds_a_page(app_with, translator, kazakh_listing, db_session):
    translator.mode = "hang"
    client = _app(app_with, translator, TRANSLATION_BREAKER_FAILURES=1).test_client()
    started = time.monotonic()
    response = _press_translate(client, kazakh_listing.id)
    assert response.status_code == 302 and time.monotonic() - started < 3  # the request timeout
    html = client.get(f"/zh/listings/{kazakh_listing.id}").get_data(as_text=True)
    assert "machine-translation-waiting" in html  # "translation requested", left to the worker
    [row] = _rows(db_session, kazakh_listing.id)
    assert row.due and row.translated_at is None and "did not answer" in row.error

    started = time.monotonic()  # the breaker is open: neither pages nor the button wait
    _press_translate(client, kazakh_listing.id)
    client.get(f"/zh/listings/{kazakh_listing.id}")
    client.get("/zh/listings/?q=суару")
    assert time.monotonic() - started < 2 and translator.translate_calls == 1


# --- Kept, redone, never over a human version ------------------------------------------------


def _worker_pass(app):  # noqa: ANN001, ANN202
    with app.app_context():
        return Worker(kinds=("translate",)).run_pass()


def test_the_worker_translates_public_listings_into_the_enabled_languages(app_with, translator, make, db_session,
                                                                          kazakh_listing):
    app = _app(app_with, translator, TRANSLATION_LANGUAGES="zh,ru,kk")
    bilingual = make.listing(title="Saxaul", language="en",
                             translations={"zh": ("梭梭", "防风固沙。", "详情。")})
    draft = make.listing(title="Not public yet", language="kk", status=ListingStatus.DRAFT)
    db_session.commit()
    report = _worker_pass(app)
    assert report.translations.made == 4 and report.lines()
    assert [row.language for row in _rows(db_session, kazakh_listing.id)] == ["ru", "zh"]  # not its original
    assert [row.language for row in _rows(db_session, bilingual.id)] == ["kk", "ru"]  # a person wrote its Chinese
    assert _rows(db_session, draft.id) == []
    assert _worker_pass(app).translations.made == 0  # all current


def test_an_edit_of_the_original_makes_the_translation_stale_and_the_worker_redoes_it(
        app_with, translator, kazakh_listing, db_session):
    app = _app(app_with, translator)
    client = app.test_client()
    _press_translate(client, kazakh_listing.id)
    kazakh_listing.original.summary = "Жаңа мәтін."
    announce_listing_changed(db_session, [kazakh_listing.id])
    db_session.commit()
    [row] = _rows(db_session, kazakh_listing.id)
    assert row.due and row.summary == f"[zh] {KAZAKH[1]}"  # kept until redone, but not shown:
    html = client.get(f"/zh/listings/{kazakh_listing.id}").get_data(as_text=True)
    assert f"[zh] {KAZAKH[1]}" not in html and "Жаңа мәтін." in html
    assert _worker_pass(app).translations.made == 1
    [row] = _rows(db_session, kazakh_listing.id)
    assert row.summary == "[zh] Жаңа мәтін." and not row.due
    assert "[zh] Жаңа мәтін." in client.get(f"/zh/listings/{kazakh_listing.id}").get_data(as_text=True)


def test_a_human_version_replaces_the_machine_one_and_is_never_overwritten(app_with, translator, kazakh_listing,
                                                                           db_session):
    app = _app(app_with, translator, TRANSLATION_LANGUAGES="zh")
    client = app.test_client()
    _press_translate(client, kazakh_listing.id)
    kazakh_listing.translations.append(ListingTranslation(language="zh", title="滴灌系统", summary="人写的。",
                                                          description=""))
    announce_listing_changed(db_session, [kazakh_listing.id])
    db_session.commit()
    assert _rows(db_session, kazakh_listing.id) == []  # the machine version went
    calls = translator.translate_calls
    _press_translate(client, kazakh_listing.id)
    _worker_pass(app)
    assert translator.translate_calls == calls and _rows(db_session, kazakh_listing.id) == []
    html = client.get(f"/zh/listings/{kazakh_listing.id}").get_data(as_text=True)
    assert "人写的。" in html and "机器翻译" not in html


def test_a_failing_service_leaves_the_work_for_later_passes(app_with, translator, kazakh_listing, db_session):
    translator.mode = "error"
    app = _app(app_with, translator, TRANSLATION_LANGUAGES="zh", TRANSLATION_BREAKER_FAILURES=10)
    with app.app_context():
        services._breakers.clear()
    report = _worker_pass(app)
    assert report.translations.failed == 1 and report.translations.made == 0
    [row] = _rows(db_session, kazakh_listing.id)
    assert row.due and row.attempts == 1 and "500" in row.error
    translator.mode = "ok"
    assert _worker_pass(app).translations.made == 1


# --- Authors and moderators ------------------------------------------------------------------


def test_an_author_promotes_the_machine_translation_after_editing_it(app_with, translator, kazakh_listing, make,
                                                                    db_session):
    app = _app(app_with, translator)
    author = make.user(institution=kazakh_listing.institution)
    db_session.commit()
    browser = Browser(app.test_client())
    _press_translate(browser.client, kazakh_listing.id)
    browser.sign_in(author.email, PASSWORD)
    url = f"/en/listings/{kazakh_listing.id}/translations/zh"
    form = browser.get(url).get_data(as_text=True)
    assert f"[zh] {KAZAKH[0]}" in form and "machine-translation-draft" in form  # prefilled, and said so
    response = browser.submit(url, {"title": "滴灌系统", "summary": "作者改过的译文。", "description": ""})
    assert response.status_code == 302
    db_session.expire_all()
    # A published listing's edit goes to the moderators: what they approve is what the author wrote.
    revision = open_revision(db_session, kazakh_listing.id)
    assert revision.content["translations"]["zh"]["summary"] == "作者改过的译文。"


def test_the_moderation_review_shows_machine_translations_labelled(app_with, translator, kazakh_listing, make,
                                                                   db_session):
    app = _app(app_with, translator)
    moderator = make.moderator(kazakh_listing.center)
    db_session.commit()
    browser = Browser(app.test_client())
    _press_translate(browser.client, kazakh_listing.id)
    browser.sign_in(moderator.email, PASSWORD)
    html = browser.get(f"/en/moderation/listings/{kazakh_listing.id}").get_data(as_text=True)
    assert "Machine translations (not part of the decision)" in html
    assert f"[zh] {KAZAKH[0]}" in html and "Machine translation from Kazakh" in html
