"""Every page reads in the visitor's language: no English interface text left, correct lang
and hreflang, CLDR formatting, translated form messages and emails."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.pofile import read_po

from portal.users.models import Role
from portal.i18n.languages import LANGUAGES
from portal.listings.models import ListingStatus
from tests.support.factories import PASSWORD
from tests.support.web import last_email

ROOT = Path(__file__).resolve().parent.parent
OTHER_LANGUAGES = [code for code in LANGUAGES if code != "en"]


class _VisibleText(HTMLParser):
    """Text a person reads: element text plus labels in attributes, minus scripts and proper names."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        attributes = dict(attrs)
        if tag in ("script", "style") or "data-proper-name" in attributes:
            self._skip += 1
        for name in ("placeholder", "title", "aria-label", "alt"):
            if attributes.get(name):
                self.parts.append(attributes[name])
        if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
            self.parts.append(attributes["value"])

    def handle_endtag(self, tag):  # noqa: ANN001
        if self._skip and tag in ("script", "style", "span", "a", "strong", "option"):
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data):  # noqa: ANN001
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _english_interface_strings(language: str) -> list[str]:
    """Source strings whose translation differs from English (names and codes stay as they are)."""
    with (ROOT / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    strings = []
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        translated = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in ids:
            if text and "%" not in text and len(text) >= 4 and text not in translated:
                strings.append(text)
    return sorted(strings, key=len, reverse=True)


@pytest.fixture()
def site(db_session, make):
    """One of everything a page can show, in English data where data is English."""
    from portal.search.index import rebuild_index

    centers = make.centers()
    topic = make.topic("sand-fixation", centers[2], **{code: f"Sand fixation {code}" for code in LANGUAGES})
    institution = make.institution("Gobi Research Station", country="CN")
    owner = make.user("owner@example.org", institution=institution, institution_admin=True, name="Li Wei")
    make.user("pending@example.org", institution=institution, pending=True, name="Aibek")
    make.user("admin@example.org", role=Role.ADMIN, name="Admin")
    listing = make.listing(institution=institution, center=centers[2], language="zh", title="草方格固沙",
                           summary="成熟技术。", description="详细说明。", topics=[topic])
    make.listing(institution=institution, center=centers[2], title="草方格 draft", status=ListingStatus.DRAFT,
                 language="zh", summary="草稿。", description="草稿说明。")
    pending = make.listing(institution=institution, center=centers[2], title="审核中的信息", language="zh",
                           summary="等待审核。", description="说明。", status=ListingStatus.SUBMITTED)
    from portal.interests.models import Interest

    visitor = make.user("visitor@example.org", institution=make.institution("Steppe Farms", country="KZ"))
    interest = Interest(listing_id=listing.id, institution_id=visitor.institution_id, sender_id=visitor.id,
                        message="Мы хотели бы сотрудничать.")
    db_session.add(interest)
    db_session.flush()
    from portal.notifications.kinds import Frequency, Kind
    from portal.notifications.services import record
    from portal.saved_searches.models import SavedSearch

    record(db_session, owner.id, Kind.INTEREST_RECEIVED, Frequency.IMMEDIATELY, listing_id=listing.id,
           interest_id=interest.id)
    record(db_session, owner.id, Kind.NEW_MATCHES, Frequency.DAILY, listing_id=listing.id, data={"count": 2})
    db_session.add(SavedSearch(user_id=owner.id, name="固沙", query="q=%E5%9B%BA%E6%B2%99&country=CN"))
    from datetime import date

    from portal.database import utcnow
    from portal.partnerships.models import Project, ProjectPartner, ProjectStatus, ProjectTranslation, Stage

    def project(status: ProjectStatus) -> Project:
        row = Project(center=centers[2], kind=listing.kind, stage=Stage.RUNNING, status=status, original_language="zh",
                      starts_on=date(2025, 4, 1), interest_id=interest.id, show_origin=True, hectares_restored=50,
                      topics=[topic], published_at=utcnow() if status == ProjectStatus.PUBLISHED else None,
                      partners=[ProjectPartner(institution_id=institution.id, confirmed_at=utcnow()),
                                ProjectPartner(institution_id=visitor.institution_id, confirmed_at=utcnow())],
                      translations=[ProjectTranslation(language="zh", title="固沙合作", description="联合试验。")])
        db_session.add(row)
        return row

    projects = {status: project(status) for status in (ProjectStatus.PUBLISHED, ProjectStatus.SUBMITTED,
                                                        ProjectStatus.AWAITING_PARTNERS)}
    rebuild_index(db_session)
    db_session.commit()
    return {"listing": listing, "institution": institution, "owner": owner, "pending": pending,
            "interest": interest, "projects": projects}


def _public_pages(site) -> list[str]:
    listing, institution = site["listing"], site["institution"]
    return ["/", "/listings/", "/listings/?q=%E5%9B%BA%E6%B2%99", f"/listings/{listing.id}",
            "/centers/desertification-control", "/institutions/", f"/institutions/{institution.id}",
            "/account/login", "/account/register", "/account/forgot", "/no-such-page",
            "/statistics/", "/statistics/desertification-control/", "/projects/",
            "/projects/?pair=CN-KZ&stage=running", f"/projects/{_project_id(site, 'published')}"]


def _project_id(site, status: str) -> int:  # noqa: ANN001
    return next(project.id for key, project in site["projects"].items() if key.value == status)


def _member_pages(site) -> list[str]:
    listing, institution = site["listing"], site["institution"]
    return ["/account/settings", "/account/settings/password", "/account/settings/email", "/institutions/mine",
            f"/institutions/{institution.id}/members", f"/institutions/{institution.id}/edit", "/listings/new",
            "/listings/mine", f"/listings/{listing.id}/edit", f"/listings/{listing.id}/translations/ru",
            "/interests/", f"/interests/{site['interest'].id}", "/notifications/", "/notifications/settings",
            "/saved-searches/", "/saved-searches/new?q=solar&kind=technology_transfer", "/projects/mine",
            "/projects/new",
            f"/projects/{_project_id(site, 'published')}", f"/projects/{_project_id(site, 'awaiting_partners')}",
            f"/projects/{_project_id(site, 'awaiting_partners')}/edit",
            f"/projects/{_project_id(site, 'awaiting_partners')}/translations/ru"]


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_moderation_pages_have_no_english_interface_text(browser, site, language):
    strings = _english_interface_strings(language)
    browser.sign_in("admin@example.org", PASSWORD, lang=language)
    for path in ("/moderation/", f"/moderation/listings/{site['pending'].id}", "/moderation/reports",
                 "/moderation/institutions", "/moderation/dashboard", "/moderation/log", "/moderation/moderators",
                 f"/moderation/projects/{_project_id(site, 'submitted')}", "/moderation/?type=project"):
        response = browser.get(f"/{language}{path}")
        assert response.status_code == 200, path
        _assert_no_english(response.get_data(as_text=True), language, strings, path)


def _assert_no_english(html: str, language: str, strings: list[str], path: str) -> None:
    text = visible_text(html)
    # Country and language names come from CLDR in the page's language; some are spelled like
    # English words ("Sent-Kits" in Turkmen), so they are not interface text to judge.
    locale = Locale.parse(language)
    for name in sorted([*locale.territories.values(), *locale.languages.values()], key=len, reverse=True):
        text = text.replace(name, " ")
    leftovers = [s for s in strings if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text)]
    assert not leftovers, f"/{language}{path} still shows English: {leftovers[:8]}"


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_public_pages_have_no_english_interface_text(client, site, language):
    strings = _english_interface_strings(language)
    for path in _public_pages(site):
        response = client.get(f"/{language}{path}" if path != "/" else f"/{language}/")
        assert response.status_code in (200, 404), path
        _assert_no_english(response.get_data(as_text=True), language, strings, path)


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_member_pages_have_no_english_interface_text(browser, site, language):
    strings = _english_interface_strings(language)
    browser.sign_in("owner@example.org", PASSWORD, lang=language)
    for path in _member_pages(site):
        response = browser.get(f"/{language}{path}")
        assert response.status_code == 200, path
        _assert_no_english(response.get_data(as_text=True), language, strings, path)


@pytest.mark.parametrize("language", LANGUAGES)
def test_lang_attribute_hreflang_and_localized_title(client, site, language):
    page = client.get(f"/{language}/listings/").get_data(as_text=True)
    assert f'<html lang="{language}"' in page
    for code in LANGUAGES:
        assert f'hreflang="{code}" href="http://portal.test/{code}/listings/"' in page
    assert 'hreflang="x-default"' in page
    title = re.search(r"<title>(.*?)</title>", page).group(1)
    if language != "en":
        assert "China–Central Asia Cooperation Platform" not in title


def test_switcher_keeps_the_page_and_query(client, site):
    page = client.get("/en/listings/?q=solar&center=desertification-control").get_data(as_text=True)
    assert 'href="/kk/listings/?q=solar&amp;center=desertification-control" hreflang="kk" lang="kk"' in page


def test_dates_and_numbers_follow_the_page_locale(client, site):
    listing = site["listing"]
    published = listing.published_at
    zh = client.get(f"/zh/listings/{listing.id}").get_data(as_text=True)
    assert f"{published.year}年{published.month}月{published.day}日" in zh
    ru = client.get(f"/ru/listings/{listing.id}").get_data(as_text=True)
    assert re.search(rf"{published.day} \w+ {published.year}\s?\u202f?г\.", ru)
    assert "Китай" in ru and "中国" in zh  # country names from CLDR


def test_form_messages_in_the_page_language(client, site):
    from tests.support.web import csrf_token

    token = csrf_token(client.get("/ru/account/login").get_data(as_text=True))
    page = client.post("/ru/account/login", data={"csrf_token": token, "email": "x", "password": ""}).get_data(as_text=True)
    assert "Enter your password." not in page and "Введите" in page
    token = csrf_token(client.get("/zh/account/register").get_data(as_text=True))
    page = client.post("/zh/account/register", data={"csrf_token": token, "display_name": "x" * 300}).get_data(as_text=True)
    assert "Field must be between" not in page  # WTForms' own message, translated


def test_emails_are_written_in_the_recipients_language(browser, db_session, site):
    from portal.users.models import User

    owner = db_session.get(User, site["owner"].id)
    owner.preferred_language = "tg"
    db_session.commit()
    browser.submit("/en/account/forgot", {"email": "owner@example.org"})  # asked from an English page
    message = last_email(db_session, "owner@example.org")
    assert message.language == "tg"
    assert "Reset your password" not in message.subject and "Hello" not in message.body
    assert "/tg/account/reset/" in message.body


def test_listing_falls_back_to_the_original_with_a_note(client, site):
    listing = site["listing"]
    kk = client.get(f"/kk/listings/{listing.id}").get_data(as_text=True)
    assert "草方格固沙" in kk
    assert 'class="language-note"' in kk and "Original in" not in kk
