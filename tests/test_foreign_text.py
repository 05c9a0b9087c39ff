"""Issue 11 (accessibility): a listing's title shown inside a sentence of another language says
which language it is in (WCAG 3.1.2), so a screen reader reads a Kazakh title on a Chinese page
in Kazakh; the sentence around it stays escaped text."""

from __future__ import annotations

from portal.i18n.foreign import SLOT, with_text
from portal.listings.models import ListingStatus
from portal.notifications.kinds import Frequency, Kind
from portal.notifications.services import record
from tests.support.factories import PASSWORD

KAZAKH_TITLE = "Мақта алқаптарына тамшылатып суару"


def test_the_text_is_wrapped_in_its_language_and_everything_is_escaped(app):
    with app.test_request_context("/zh/"):
        app.preprocess_request()  # the page's language, from its address
        html = with_text(f"<b>{SLOT}</b> & “{SLOT}”", "Drip <kits>", "kk")
    assert str(html) == ('&lt;b&gt;<span lang="kk">Drip &lt;kits&gt;</span>&lt;/b&gt; &amp; '
                         '“<span lang="kk">Drip &lt;kits&gt;</span>”')
    with app.test_request_context("/kk/"):
        app.preprocess_request()
        assert str(with_text(f"“{SLOT}”", "Drip <kits>", "kk")) == "“Drip &lt;kits&gt;”"


def test_a_kazakh_title_in_the_chinese_notification_centre_is_marked_kazakh(browser, db_session, make):
    owner = make.user("owner@example.org", institution=make.institution("Turkistan Institute"))
    kazakh = make.listing(institution=owner.institution, language="kk", title=KAZAKH_TITLE)
    english = make.listing(institution=owner.institution, title="Drip irrigation <kits>")
    record(db_session, owner.id, Kind.NEW_MATCHES, Frequency.IMMEDIATELY, listing_id=kazakh.id, data={"count": 2})
    record(db_session, owner.id, Kind.NEW_MATCHES, Frequency.IMMEDIATELY, listing_id=english.id, data={"count": 1})
    db_session.commit()
    browser.sign_in("owner@example.org", PASSWORD)

    chinese = browser.get("/zh/notifications/").get_data(as_text=True)
    assert f'<span lang="kk">{KAZAKH_TITLE}</span>' in chinese
    assert '<span lang="en">Drip irrigation &lt;kits&gt;</span>' in chinese
    kazakh_page = browser.get("/kk/notifications/").get_data(as_text=True)
    assert f"«{KAZAKH_TITLE}»" in kazakh_page  # the page's own language: nothing to mark
    english_page = browser.get("/en/notifications/").get_data(as_text=True)
    assert "1 new strong match for “Drip irrigation &lt;kits&gt;”" in english_page


def test_the_decision_message_marks_a_title_in_another_language(browser, db_session, make):
    center = make.center("desertification-control")
    make.moderator(center, email="mod@example.org")
    listing = make.listing(center=center, language="kk", title=KAZAKH_TITLE, status=ListingStatus.SUBMITTED)
    db_session.commit()
    browser.sign_in("mod@example.org", PASSWORD)
    page = browser.submit(f"/ru/moderation/listings/{listing.id}/decide", {"approve": "y"},
                          page=f"/ru/moderation/listings/{listing.id}", follow=True).get_data(as_text=True)
    assert f'«<span lang="kk">{KAZAKH_TITLE}</span>»' in page or f'“<span lang="kk">{KAZAKH_TITLE}</span>”' in page
