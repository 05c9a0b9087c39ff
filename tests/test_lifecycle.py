"""One lifecycle for listings (portal/listings/lifecycle.py): the page offers exactly what the
table allows, and the services refuse everything else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from portal.users.models import Role
from portal.database import utcnow
from portal.interests import services as interests
from portal.interests.services import InterestService
from portal.listings import lifecycle
from portal.listings import services as listings
from portal.listings.lifecycle import Action, Who
from portal.listings.models import Listing, ListingStatus
from portal.listings.services import Content, ListingDraft, ListingService
from portal.moderation import services as moderation
from portal.moderation.models import ListingEvent, ListingRevision, ReportReason
from portal.moderation.services import ModerationService
from portal.listings.snapshot import listing_snapshot
from tests.support.factories import PASSWORD


def _page(browser, listing: Listing) -> str:
    response = browser.get(f"/en/listings/{listing.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _owner_and_listing(make, status: ListingStatus, **kwargs) -> Listing:  # noqa: ANN003
    institution = make.institution("Aral Sea Restoration Lab")
    make.user("owner@example.org", institution=institution)
    return make.listing(institution=institution, status=status, title="Saxaul belts for the Aral seabed", **kwargs)


def test_a_suspended_listing_offers_its_owner_neither_withdraw_nor_edit(browser, db_session, make):
    listing = _owner_and_listing(make, ListingStatus.SUSPENDED)
    listing.moderation_message = "Figures under review."
    db_session.commit()
    browser.sign_in("owner@example.org", PASSWORD)
    page = _page(browser, listing)
    assert "Status: Suspended" in page and "Figures under review." in page
    assert ">Withdraw<" not in page and ">Edit<" not in page
    assert f"/en/listings/{listing.id}/edit" not in page and f"/en/listings/{listing.id}/withdraw" not in page

    refused = browser.submit(f"/en/listings/{listing.id}/withdraw", {}, page=f"/en/listings/{listing.id}",
                             follow=True)
    assert refused.status_code == 200
    assert "This is not possible while the listing is “Suspended”." in refused.get_data(as_text=True)
    edit = browser.get(f"/en/listings/{listing.id}/edit", follow_redirects=True)
    assert edit.status_code == 200
    assert "This is not possible while the listing is “Suspended”." in edit.get_data(as_text=True)
    db_session.refresh(listing)
    assert listing.status == ListingStatus.SUSPENDED


def test_an_expired_listing_offers_renewal_but_not_editing(browser, db_session, make):
    listing = _owner_and_listing(make, ListingStatus.EXPIRED, expires_in_days=-3)
    db_session.commit()
    browser.sign_in("owner@example.org", PASSWORD)
    page = _page(browser, listing)
    assert "This listing has expired and no longer appears in search." in page
    assert ">Edit<" not in page and "Renew for twelve months" in page and ">Withdraw<" in page
    assert "Add Russian" not in page  # no translations either: they are edits

    edit = browser.get(f"/en/listings/{listing.id}/edit", follow_redirects=True)
    assert "This is not possible while the listing is “Expired”." in edit.get_data(as_text=True)
    renewed = browser.submit(f"/en/listings/{listing.id}/renew", {}, page=f"/en/listings/{listing.id}", follow=True)
    assert "The listing stays open for another twelve months." in renewed.get_data(as_text=True)
    db_session.refresh(listing)
    assert listing.status == ListingStatus.PUBLISHED and listing.expires_at > utcnow() + timedelta(days=300)
    assert ">Edit<" in _page(browser, listing)  # published again: editable again


# The table-driven check: every status (and a published listing past its closing date) for
# every kind of visitor.
STATES = {status.value: (status, 90) for status in ListingStatus}
STATES["published_past_closing_date"] = (ListingStatus.PUBLISHED, -1)
PERSONAS = ("owner", "admin", "moderator", "other_moderator", "partner", "unconfirmed", "member", "anonymous")
REFUSED = (listings.NotAllowed, listings.InvalidTransition, moderation.NotAllowed, moderation.AlreadyDecided,
           interests.NotAllowed)


def _persona(make, name: str, listing: Listing):  # noqa: ANN202
    if name == "anonymous":
        return AnonymousUserMixin()
    email = f"{name}@example.org"
    if name == "owner":
        return make.user(email, institution=listing.institution)
    if name == "admin":
        return make.user(email, role=Role.ADMIN)
    if name == "moderator":
        return make.moderator(listing.center, email=email)
    if name == "other_moderator":
        return make.moderator(make.center("education-exchange"), email=email)
    if name == "member":
        return make.user(email)  # signed in, no institution
    return make.user(email, institution=make.institution(), confirmed=name != "unconfirmed")


def _markers(listing: Listing) -> dict[Action, str]:
    """How the listing's page shows each action it offers."""
    base = f"/en/listings/{listing.id}"
    return {
        Action.MANAGE: 'id="manage-heading"',
        Action.EDIT: f'href="{base}/edit"',
        Action.TRANSLATE: f'href="{base}/translations/',
        Action.EDIT_SUBJECTS: f'action="/en/subjects/listing/{listing.id}"',
        Action.SUBMIT: f'action="{base}/submit"',
        Action.WITHDRAW: f'action="{base}/withdraw"',
        Action.RENEW: f'action="{base}/renew"',
        Action.REVIEW: f'href="/en/moderation/listings/{listing.id}"',
        Action.REPORT: f'action="/en/moderation/report/{listing.id}"',
        Action.EXPRESS_INTEREST: f'action="/en/interests/listings/{listing.id}"',
    }


def _attempt(session, user, listing: Listing, action: Action, revision: ListingRevision) -> None:  # noqa: ANN001
    """Take ``action`` through the service that does it."""
    authoring, deciding = ListingService(session), ModerationService(session)  # nothing follows until a commit
    if action == Action.EDIT:
        original = listing.original
        draft = ListingDraft(center=listing.center, kind=listing.kind, direction=listing.direction,
                             language=listing.original_language, expires_on=listing.expires_at.date(),
                             content=Content(original.title + " (2)", original.summary, original.description))
        authoring.update(user, listing, draft)
    elif action == Action.TRANSLATE:
        authoring.set_translation(user, listing, "ru", Content("Саксаул", "Полосы саксаула."))
    elif action in (Action.SUBMIT, Action.WITHDRAW, Action.RENEW):
        getattr(authoring, action.value)(user, listing)
    elif action == Action.DECIDE:
        deciding.decide(user, listing, "approve")
    elif action == Action.DECIDE_EDIT:
        deciding.decide(user, listing, "approve", revision_id=revision.id)
    elif action in (Action.SUSPEND, Action.RESTORE):
        getattr(deciding, action.value)(user, listing, "A message for the author.")
    elif action == Action.REPORT:
        deciding.report(user, listing, ReportReason.MISLEADING, "Fake figures")
    elif action == Action.EXPRESS_INTEREST:
        InterestService(session).express(user, listing, "We would like to work with you.")
    else:
        raise AssertionError(f"no service takes {action}")


SERVICE_ACTIONS = [action for action in Action if action not in (Action.MANAGE, Action.REVIEW, Action.EDIT_SUBJECTS)]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("state", STATES)
def test_the_page_offers_and_the_services_take_exactly_the_allowed_actions(browser, db_session, make, state,
                                                                           persona):
    status, days = STATES[state]
    listing = make.listing(status=status, expires_in_days=days, title="Saxaul belts for the Aral seabed")
    user = _persona(make, persona, listing)
    revision = ListingRevision(listing_id=listing.id, content=listing_snapshot(listing))  # an edit waiting
    db_session.add(revision)
    db_session.commit()
    allowed = lifecycle.allowed_actions(user, listing)

    # The listing's page shows a control for each allowed action, and for nothing else.
    if persona != "anonymous":
        browser.sign_in(user.email, PASSWORD)
    response = browser.get(f"/en/listings/{listing.id}")
    if response.status_code == 404:
        assert allowed == frozenset()  # nothing to offer to whom the listing does not exist
    else:
        page = response.get_data(as_text=True)
        shown = {action for action, marker in _markers(listing).items() if marker in page}
        assert shown == allowed & set(_markers(listing))
    review = browser.get(f"/en/moderation/listings/{listing.id}")
    assert (review.status_code == 200) == (Action.REVIEW in allowed)
    if persona != "anonymous":
        subjects = browser.submit(f"/en/subjects/listing/{listing.id}", {"add": ""}, page="/en/", follow=True)
        saved = "The subjects of this listing have been saved." in subjects.get_data(as_text=True)
        assert saved == (Action.EDIT_SUBJECTS in allowed)

    # Each service does what is allowed and refuses the rest, changing nothing.
    for action in SERVICE_ACTIONS:
        savepoint = db_session.begin_nested()
        try:
            events = len(db_session.scalars(select(ListingEvent).where(ListingEvent.listing_id == listing.id)).all())
            if action in allowed:
                _attempt(db_session, user, listing, action, revision)
            else:
                with pytest.raises(REFUSED):
                    _attempt(db_session, user, listing, action, revision)
                assert listing.status == status
                assert len(db_session.scalars(select(ListingEvent).where(
                    ListingEvent.listing_id == listing.id)).all()) == events, action
        finally:
            savepoint.rollback()
            db_session.expire_all()


def test_the_reports_page_offers_suspension_and_restoration_as_the_table_says(browser, db_session, make):
    center = make.center()
    make.moderator(center, email="land@example.org")
    reporter = make.user("reporter@example.org", institution=make.institution())
    published = make.listing(center=center, title="Published and reported")
    withdrawn = make.listing(center=center, title="Reported, then withdrawn")
    suspended = make.listing(center=center, title="Suspended already", status=ListingStatus.SUSPENDED)
    for listing in (published, withdrawn):
        ModerationService(db_session).report(reporter, listing, ReportReason.SPAM, "")
    withdrawn.status = ListingStatus.WITHDRAWN
    db_session.commit()
    browser.sign_in("land@example.org", PASSWORD)
    page = browser.get("/en/moderation/reports").get_data(as_text=True)
    assert f"/en/moderation/listings/{published.id}/suspend" in page
    assert f"/en/moderation/listings/{withdrawn.id}/suspend" not in page  # nothing left to suspend
    assert f"/en/moderation/listings/{suspended.id}/restore" in page
    refused = browser.submit(f"/en/moderation/listings/{withdrawn.id}/suspend", {"message": "Too late."},
                             page="/en/moderation/reports", follow=True)
    assert "already decided on this item" in refused.get_data(as_text=True)
    db_session.refresh(withdrawn)
    assert withdrawn.status == ListingStatus.WITHDRAWN


def test_the_table_in_the_docstring_is_the_table():
    codes = {"-": frozenset(), "O": frozenset({Who.OWNER}), "OA": frozenset({Who.OWNER, Who.ADMIN}),
             "Mod": frozenset({Who.MODERATOR}), "Mem*": frozenset({Who.MEMBER}), "P*": frozenset({Who.PARTNER})}
    statuses = list(ListingStatus)  # the docstring's columns, in the enum's order
    rows = {}
    for line in lifecycle.__doc__.splitlines():
        cells = line.split()
        if cells and cells[0] in Action._value2member_map_ and len(cells) == len(statuses) + 1:
            rows[Action(cells[0])] = cells[1:]
    assert set(rows) == set(Action)
    for status_index, status in enumerate(statuses):
        documented = {action: codes[cells[status_index]] for action, cells in rows.items()
                      if cells[status_index] != "-"}
        assert documented == lifecycle.TABLE[status], status
    starred = {action for action, cells in rows.items() if any(cell.endswith("*") for cell in cells)}
    assert starred == lifecycle.PUBLIC_ONLY


class _Person:
    is_authenticated = True
    email_confirmed = True
    moderated_centers = ()

    def __init__(self, role=Role.MEMBER, institution_id=None):  # noqa: ANN001
        from portal.users.models import MembershipStatus

        self.role, self.institution_id = role, institution_id
        self.membership_status = MembershipStatus.ACTIVE if institution_id else None


class _Listing:
    institution_id, center_id = 1, 1

    def __init__(self, status: ListingStatus, public: bool = True) -> None:
        self.status, self._public = status, public

    def is_public(self) -> bool:
        return self._public and self.status == ListingStatus.PUBLISHED


def test_refusals_say_whether_the_listing_is_not_yours_or_not_in_the_right_state():
    owner, stranger, admin = _Person(institution_id=1), _Person(institution_id=2), _Person(Role.ADMIN)
    suspended = _Listing(ListingStatus.SUSPENDED)
    assert lifecycle.refusal(owner, Action.WITHDRAW, suspended) is lifecycle.Refusal.NOT_NOW
    assert lifecycle.refusal(stranger, Action.WITHDRAW, suspended) is lifecycle.Refusal.NOT_PERMITTED
    assert lifecycle.refusal(owner, Action.RENEW, _Listing(ListingStatus.EXPIRED)) is None
    # A draft belongs to its institution alone, administrators included.
    assert lifecycle.allowed_actions(admin, _Listing(ListingStatus.DRAFT)) == frozenset()
    assert Action.EDIT in lifecycle.allowed_actions(admin, _Listing(ListingStatus.SUBMITTED))
    # A published listing past its closing date is no longer there to report or answer.
    assert lifecycle.roles(stranger, _Listing(ListingStatus.PUBLISHED)) == {Who.MEMBER, Who.PARTNER}
    assert lifecycle.allowed_actions(stranger, _Listing(ListingStatus.PUBLISHED)) == {Action.REPORT,
                                                                                    Action.EXPRESS_INTEREST}
    assert lifecycle.allowed_actions(stranger, _Listing(ListingStatus.PUBLISHED, public=False)) == frozenset()
    assert lifecycle.allowed_actions(AnonymousUserMixin(), _Listing(ListingStatus.PUBLISHED)) == frozenset()


def test_the_lifecycle_stays_plain_python():
    import ast
    import inspect

    imported = {node.module for node in ast.walk(ast.parse(inspect.getsource(lifecycle)))
                if isinstance(node, ast.ImportFrom)}
    assert imported <= {"__future__", "collections.abc", "typing", "portal.users.models",
                        "portal.listings.models"}  # the enums only: no Flask, no session
