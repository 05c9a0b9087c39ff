"""Joining institutions, and who may act for which institution."""

from __future__ import annotations

from portal.users.models import MembershipStatus
from tests.support.factories import PASSWORD


def test_admin_approves_a_join_request(browser, db_session, make):
    institution = make.institution("Kyrgyz National Agrarian University", country="KG")
    make.user("head@example.org", institution=institution, institution_admin=True, name="Head of Office")
    applicant = make.user("new@example.org", institution=institution, pending=True, name="Nurbek Asanov")

    browser.sign_in("head@example.org", PASSWORD)
    page = browser.get(f"/en/institutions/{institution.id}/members").get_data(as_text=True)
    assert "Nurbek Asanov" in page and "Requests to join" in page
    assert 'class="badge"' in browser.get("/en/").get_data(as_text=True)  # header shows waiting requests

    response = browser.submit(f"/en/institutions/{institution.id}/members/{applicant.id}/approve", {},
                              page=f"/en/institutions/{institution.id}/members", follow=True)
    assert "Nurbek Asanov is now a member." in response.get_data(as_text=True)
    db_session.refresh(applicant)
    assert applicant.membership_status == MembershipStatus.ACTIVE


def test_admin_declines_and_removes_members(browser, db_session, make):
    institution = make.institution()
    make.user("head@example.org", institution=institution, institution_admin=True)
    applicant = make.user(institution=institution, pending=True)
    member = make.user(institution=institution)
    browser.sign_in("head@example.org", PASSWORD)
    members_page = f"/en/institutions/{institution.id}/members"
    browser.submit(f"{members_page}/{applicant.id}/decline", {}, page=members_page)
    browser.submit(f"{members_page}/{member.id}/remove", {}, page=members_page)
    for user in (applicant, member):
        db_session.refresh(user)
        assert user.institution_id is None and user.membership_status is None


def test_the_last_administrator_cannot_be_removed(browser, db_session, make):
    institution = make.institution()
    head = make.user("head@example.org", institution=institution, institution_admin=True)
    deputy = make.user("deputy@example.org", institution=institution, institution_admin=True)
    browser.sign_in("deputy@example.org", PASSWORD)
    members_page = f"/en/institutions/{institution.id}/members"
    browser.submit(f"{members_page}/{head.id}/remove", {}, page=members_page)
    db_session.refresh(head)
    assert head.institution_id is None
    response = browser.submit(f"{members_page}/{deputy.id}/revoke-admin", {}, page=members_page, follow=True)
    assert "at least one administrator" in response.get_data(as_text=True)
    db_session.refresh(deputy)
    assert deputy.is_institution_admin


def test_members_cannot_act_for_another_institution(browser, db_session, make):
    mine = make.institution("Mine")
    theirs = make.institution("Theirs")
    make.user("admin-of-mine@example.org", institution=mine, institution_admin=True)
    their_applicant = make.user(institution=theirs, pending=True)
    browser.sign_in("admin-of-mine@example.org", PASSWORD)

    assert browser.get(f"/en/institutions/{theirs.id}/members").status_code == 403
    assert browser.get(f"/en/institutions/{theirs.id}/edit").status_code == 403
    response = browser.submit(f"/en/institutions/{theirs.id}/members/{their_applicant.id}/approve", {},
                              page="/en/")
    assert response.status_code == 403
    # A member of the institution who is not its admin cannot either.
    db_session.refresh(their_applicant)
    assert their_applicant.membership_status == MembershipStatus.PENDING


def test_plain_members_cannot_manage_their_institution(browser, db_session, make):
    institution = make.institution()
    make.user("member@example.org", institution=institution)
    browser.sign_in("member@example.org", PASSWORD)
    assert browser.get(f"/en/institutions/{institution.id}/members").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, db_session, make):
    institution = make.institution()
    for path in (f"/en/institutions/{institution.id}/members", "/en/institutions/mine", "/en/account/settings",
                 "/en/admin/outbox/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/en/account/login?next=")


def test_user_without_institution_joins_one(browser, db_session, make):
    institution = make.institution("Turkmen Agricultural University", country="TM")
    user = make.user("free@example.org")
    browser.sign_in("free@example.org", PASSWORD)
    assert "You do not belong to an institution yet" in browser.get("/en/institutions/mine").get_data(as_text=True)
    browser.submit("/en/institutions/join", {"institution_id": str(institution.id)})
    db_session.refresh(user)
    assert user.institution_id == institution.id and user.membership_status == MembershipStatus.PENDING
    page = browser.get("/en/institutions/mine").get_data(as_text=True)
    assert "waiting for its administrators" in page
    browser.submit("/en/institutions/mine/cancel", {}, page="/en/institutions/mine")
    db_session.refresh(user)
    assert user.institution_id is None


def test_register_a_new_institution_from_the_account(browser, db_session, make):
    make.user("founder@example.org")
    browser.sign_in("founder@example.org", PASSWORD)
    response = browser.submit("/en/institutions/new", {"name": "Dushanbe Solar Lab", "type": "company",
                                                       "country": "TJ", "website": "ftp://bad"})
    assert "Enter a full web address" in response.get_data(as_text=True)
    response = browser.submit("/en/institutions/new", {"name": "Dushanbe Solar Lab", "type": "company",
                                                       "country": "TJ", "city": "Dushanbe"}, follow=True)
    page = response.get_data(as_text=True)
    assert "Dushanbe Solar Lab" in page and "Tajikistan" in page and "Not verified yet" in page


def test_public_profile_shows_only_public_listings(client, db_session, make):
    from portal.listings.models import ListingStatus

    institution = make.institution("Gobi Sand Research Station", country="CN")
    make.listing(institution=institution, title="Straw checkerboard sand barriers")
    make.listing(institution=institution, title="Secret draft", status=ListingStatus.DRAFT)
    make.listing(institution=institution, title="Old expired offer", expires_in_days=-1)
    page = client.get(f"/en/institutions/{institution.id}").get_data(as_text=True)
    assert "Straw checkerboard sand barriers" in page
    assert "Secret draft" not in page and "Old expired offer" not in page
    assert "China" in page
    assert client.get("/zh/institutions/{}".format(institution.id)).get_data(as_text=True).count("中国") >= 1


def test_directory_filters_by_country(client, db_session, make):
    make.institution("Almaty Wind Institute", country="KZ")
    make.institution("Samarkand Solar College", country="UZ")
    page = client.get("/en/institutions/?country=UZ").get_data(as_text=True)
    assert "Samarkand Solar College" in page and "Almaty Wind Institute" not in page
    assert client.get("/en/institutions/?country=%ff&type=<script>&page=-5").status_code == 200
    refused = client.get("/en/institutions/?country=%00")
    assert refused.status_code == 400 and "Bad request" in refused.get_data(as_text=True)
