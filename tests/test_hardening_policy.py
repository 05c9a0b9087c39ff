"""Issue 13, finding 8: moderators read drafts that were never submitted, and any moderator
could verify any institution. The rules are in portal/moderation/policy.py and the README."""

from __future__ import annotations

from portal.users.models import Role
from portal.institutions.models import Institution
from portal.listings.models import ListingStatus
from tests.support.factories import PASSWORD


def test_a_draft_stays_private_to_its_institution_until_submitted(browser, db_session, make):
    center = make.center()
    institution = make.institution()
    make.user("drafter@example.org", institution=institution)
    draft = make.listing(center=center, institution=institution, status=ListingStatus.DRAFT,
                         title="Secret draft plan")
    moderator = make.moderator(center, email="mod-draft@example.org")
    make.user("admin-draft@example.org", role=Role.ADMIN)
    db_session.commit()
    for email in (moderator.email, "admin-draft@example.org"):
        browser.sign_in(email, PASSWORD)
        assert browser.get(f"/en/listings/{draft.id}").status_code == 404
        assert browser.get(f"/en/moderation/listings/{draft.id}").status_code == 404
        assert "Secret draft plan" not in browser.get("/en/moderation/").get_data(as_text=True)
        browser.sign_out()
    browser.sign_in("drafter@example.org", PASSWORD)
    assert browser.get(f"/en/listings/{draft.id}").status_code == 200
    browser.sign_out()
    draft.status = ListingStatus.SUBMITTED
    db_session.commit()
    browser.sign_in(moderator.email, PASSWORD)
    assert browser.get(f"/en/listings/{draft.id}").status_code == 200
    assert browser.get(f"/en/moderation/listings/{draft.id}").status_code == 200


def test_moderators_verify_only_institutions_that_submitted_to_their_centers(browser, db_session, make):
    desert, education = make.center("desertification-control"), make.center("education-exchange")
    ours = make.institution("Sand Institute", verified=False)
    theirs = make.institution("School Network", verified=False)
    silent = make.institution("Silent Startup", verified=False)
    make.listing(center=desert, institution=ours, status=ListingStatus.SUBMITTED)
    make.listing(center=education, institution=theirs, status=ListingStatus.PUBLISHED)
    make.listing(center=desert, institution=silent, status=ListingStatus.DRAFT)  # drafts don't count
    make.moderator(desert, email="desert-mod@example.org")
    make.user("verifier-admin@example.org", role=Role.ADMIN)
    db_session.commit()

    browser.sign_in("desert-mod@example.org", PASSWORD)
    page = browser.get("/en/moderation/institutions").get_data(as_text=True)
    assert "Sand Institute" in page and "School Network" not in page and "Silent Startup" not in page
    for institution in (theirs, silent):
        refused = browser.submit(f"/en/moderation/institutions/{institution.id}/verify", {},
                                 page="/en/moderation/institutions")
        assert refused.status_code == 403
    assert browser.submit(f"/en/moderation/institutions/{ours.id}/verify", {},
                          page="/en/moderation/institutions").status_code == 302
    browser.sign_out()

    browser.sign_in("verifier-admin@example.org", PASSWORD)
    assert browser.submit(f"/en/moderation/institutions/{silent.id}/verify", {},
                          page="/en/moderation/institutions").status_code == 302
    db_session.expire_all()
    assert [db_session.get(Institution, i.id).is_verified for i in (ours, theirs, silent)] == [True, False, True]
