"""Issue 13, finding 2: POST /<lang>/moderation/institutions/<id>/verify accepted a request with no
CSRF token. It was marked ``csrf_checked_by_form`` (so the global check skipped it) but its
"verify" branch never validated a form. Now the token is checked before every unsafe request,
and a marked view that ignores a bad token can neither commit nor redirect.

This walks ``app.url_map``: every route that takes POST/PUT/PATCH/DELETE must refuse a missing
and a wrong token, as the most privileged user, on real objects, and store nothing.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import inspect, select, text

from portal.users.models import Role
from portal.interests.models import Interest
from portal.database import utcnow
from portal.listings.models import ListingKind, ListingStatus
from portal.partnerships.models import Project, ProjectPartner, ProjectStatus, ProjectTranslation
from portal.moderation.models import ListingReport, ReportReason
from portal.saved_searches.models import SavedSearch
from tests.support.factories import PASSWORD

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# Routes exempt from CSRF, with the reason. The API (/api/v1) is read-only: it has no unsafe
# method at all, which the walk below also asserts. Nothing else is exempt.
EXEMPT: dict[str, str] = {}
CSRF_MESSAGE = "This form has expired"


def _snapshot(session) -> dict[str, list[tuple]]:  # noqa: ANN001
    connection = session.connection()
    tables = inspect(connection).get_table_names()
    return {table: sorted(map(repr, connection.execute(text(f'SELECT * FROM "{table}"')).all()))
            for table in tables if table not in ("alembic_version",)}


@pytest.fixture()
def targets(db_session, make):  # noqa: ANN201
    """One real object per kind of id a route takes, all reachable by the admin."""
    center = make.center()
    unverified = make.institution("Unverified Oasis", verified=False)
    institution = make.institution("Owner Institute")
    admin = make.user("csrf-admin@example.org", role=Role.ADMIN, institution=institution, institution_admin=True)
    member = make.user("csrf-member@example.org", institution=institution, pending=True)
    listing = make.listing(center=center, institution=institution, status=ListingStatus.SUBMITTED)
    listing.author = admin
    other = make.listing(center=center, institution=unverified)
    interest_from = make.user("csrf-interest@example.org", institution=unverified)
    interest = Interest(listing_id=listing.id, institution_id=unverified.id, sender_id=interest_from.id,
                        message="We would like to work with you on this.")
    db_session.add(interest)
    db_session.flush()
    report = ListingReport(listing_id=other.id, reporter_id=admin.id, reason=list(ReportReason)[0], text="spam")
    db_session.add(report)
    saved = SavedSearch(user_id=admin.id, name="csrf", query="q=x")
    db_session.add(saved)
    project = Project(center=center, kind=ListingKind.JOINT_RESEARCH, status=ProjectStatus.SUBMITTED,
                      original_language="en", starts_on=date(2025, 1, 1), interest_id=interest.id,
                      partners=[ProjectPartner(institution_id=institution.id, confirmed_at=utcnow()),
                                ProjectPartner(institution_id=unverified.id, confirmed_at=utcnow())],
                      translations=[ProjectTranslation(language="en", title="Joint trial", description="Both.")])
    db_session.add(project)
    db_session.commit()
    return {"listing_id": listing.id, "institution_id": unverified.id, "user_id": member.id,
            "interest_id": interest.id, "report_id": report.id, "saved_search_id": saved.id,
            "language": "ru", "lang_code": "en", "token": "not-a-token", "action": None,
            "public_listing_id": other.id, "project_id": project.id}


# Routes whose view needs a public listing of another institution to reach its form.
NEEDS_PUBLIC_LISTING = {"moderation.report", "interests.express"}


def _url(rule, values: dict) -> str:  # noqa: ANN001
    arguments = {}
    for name in rule.arguments:
        if name == "action":
            converter = rule._converters.get("action")
            choices = getattr(converter, "items", None) or ["approve"]
            arguments[name] = sorted(choices)[-1] if "verify" not in choices else "verify"
        else:
            arguments[name] = values[name]
    return rule.build(arguments)[1]


def test_every_unsafe_route_refuses_a_missing_and_a_wrong_csrf_token(app, browser, db_session, targets):
    routes = [rule for rule in app.url_map.iter_rules() if rule.methods & UNSAFE]
    assert len(routes) > 30  # the walk sees the whole portal
    assert not [rule.rule for rule in routes if rule.rule.startswith("/api/")], "the API must stay read-only"
    browser.sign_in("csrf-admin@example.org", PASSWORD)
    before = _snapshot(db_session)
    checked = []
    for rule in routes:
        if rule.endpoint in EXEMPT:
            continue
        values = dict(targets)
        if rule.endpoint in NEEDS_PUBLIC_LISTING:
            values["listing_id"] = targets["public_listing_id"]
        url = _url(rule, values)
        for method in sorted(rule.methods & UNSAFE):
            for token in (None, "forged-token"):
                data = {} if token is None else {"csrf_token": token}
                response = browser.client.open(url, method=method, data=data)
                page = response.get_data(as_text=True)
                # Refused: the CSRF error page (400), or a form shown again (200) by a view that
                # keeps what was typed. Never a redirect (that is how views report success), and
                # never a change in the database (checked after the walk).
                refused = response.status_code == 400 or (
                    response.status_code == 200 and "<form" in page)
                assert refused, f"{method} {url} with token {token!r}: {response.status_code}"
                checked.append(url)
    assert any("/moderation/institutions/" in url and url.endswith("/verify") for url in checked)
    db_session.expire_all()
    assert _snapshot(db_session) == before, "a request without a valid token changed the database"
    assert browser.get("/en/account/settings").status_code == 200  # still signed in


def test_a_marked_view_that_ignores_its_form_cannot_act_on_a_bad_token(app, browser, db_session, targets):
    """The structural guard, on the route that escaped: even if verify were marked again, a bad
    token could not verify (the request may not commit, and its redirect becomes a 400)."""
    from portal.institutions.models import Institution
    from portal.web.security import csrf_checked_by_form

    view = app.view_functions["moderation.verify_institution"]
    csrf_checked_by_form(view)
    try:
        browser.sign_in("csrf-admin@example.org", PASSWORD)
        url = f"/en/moderation/institutions/{targets['institution_id']}/verify"
        response = browser.client.post(url, data={})
        assert response.status_code == 400
        assert CSRF_MESSAGE in response.get_data(as_text=True)
        assert "now verified" not in browser.get("/en/").get_data(as_text=True)  # no stale flash
        db_session.expire_all()
        assert not db_session.get(Institution, targets["institution_id"]).is_verified
    finally:
        del view.csrf_checked_by_form


def test_forms_that_re_render_keep_what_was_typed_on_a_bad_token(browser, db_session, make):
    make.user("typed@example.org")
    page = browser.client.post("/en/account/login", data={"email": "typed@example.org", "password": "x",
                                                         "csrf_token": "forged"}).get_data(as_text=True)
    assert re.search(r'value="typed@example.org"', page)
    assert browser.get("/en/account/settings").status_code == 302  # not signed in
