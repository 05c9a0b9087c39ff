"""Machine translation through a LibreTranslate-compatible service (a real HTTP server on
loopback, ``tests.support.translation_service``): the client's timeouts and circuit breaker,
labelled translations stored apart from human ones, redone after an edit, made by the worker or
on a reader's "Translate", and nothing at all when no service is configured."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from portal.changes.signals import announce_listing_changed
from portal.listings.models import ListingTranslation
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
