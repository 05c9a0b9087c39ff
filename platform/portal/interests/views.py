"""Expressing interest in a listing, the inbox, and the conversation after acceptance."""

from __future__ import annotations

from functools import partial

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.users.models import User
from portal.extensions import db
from portal.institutions.services import spokespeople
from portal.interests.forms import DecisionForm, InterestForm, MessageForm, OutcomeForm
from portal.interests.models import DeclineReason, Interest, InterestStatus, Outcome
from portal.interests.services import (
    AlreadyDecided,
    InterestService,
    NotAllowed,
    TooMany,
    acting_institution_id,
    can_read,
    is_listing_side,
)
from portal.listings.home import home_figure
from portal.listings.lifecycle import Action
from portal.listings.models import Listing
from portal.mail.service import send_to_user
from portal.notifications.delivery import notify
from portal.notifications.kinds import Kind
from portal.web.navigation import get_or_404
from portal.web.security import csrf_checked_by_form
from portal.interests.blueprint import bp
from portal.interests.pages import people, readable, render_thread
from portal.listings.pages import render_detail
from portal.web.sections import section


SUBJECTS = {
    "received": _l("New interest in your listing"),
    "accepted": _l("Your interest was accepted"),
    "declined": _l("Your interest was declined"),
    "message": _l("New message about a listing"),
}


KINDS = {"received": Kind.INTEREST_RECEIVED, "accepted": Kind.INTEREST_ANSWERED,
         "declined": Kind.INTEREST_ANSWERED, "message": Kind.INTEREST_MESSAGE}


def _notify(users: list[User], kind: str, interest: Interest) -> None:
    for user in users:
        notify(user, KINDS[kind], listing=interest.listing, interest=interest,
               data={"accepted": kind == "accepted"} if KINDS[kind] == Kind.INTEREST_ANSWERED else None,
               email=partial(send_to_user, db.session, user, "interest_notice", SUBJECTS[kind], kind=kind,
                             interest=interest, title=interest.listing.content_for(user.preferred_language).title,
                             link=url_for("interests.thread", interest_id=interest.id,
                                          lang_code=user.preferred_language, _external=True)))


@bp.route("/listings/<int:listing_id>", methods=["POST"])
@login_required
@csrf_checked_by_form
def express(listing_id: int):
    listing = get_or_404(Listing, listing_id)
    form = InterestForm()
    if not form.validate_on_submit():
        return render_detail(listing, interest_form=form)  # the message typed stays in the form
    try:
        interest = InterestService(db.session).express(current_user, listing, form.message.data.strip())
    except TooMany:
        flash(_("You have expressed interest many times today. Please try again tomorrow."), "error")
        return redirect(url_for("listings.detail", listing_id=listing.id))
    except NotAllowed:
        abort(403)
    _notify(people(listing.institution_id, listing.author), "received", interest)
    flash(_("Your interest has been sent. You will be told when they answer."), "success")
    return redirect(url_for("interests.thread", interest_id=interest.id))


@bp.route("/")
@login_required
def inbox():
    institution_id = acting_institution_id(current_user)
    if institution_id is None:
        return redirect(url_for("institutions.mine"))
    service = InterestService(db.session)
    return render_template("interests/inbox.html", received=service.received(institution_id),
                           sent=service.sent(institution_id))


@bp.route("/<int:interest_id>")
@login_required
def thread(interest_id: int):
    return render_thread(readable(interest_id))


@bp.route("/<int:interest_id>/decide", methods=["POST"])
@login_required
@csrf_checked_by_form
def decide(interest_id: int):
    interest = readable(interest_id)
    form = DecisionForm()
    if not form.validate_on_submit() or not (form.accept.data or form.decline.data):
        flash(_("This form has expired. Please check what you entered and send it again."), "error")
        return redirect(url_for("interests.thread", interest_id=interest.id))
    if form.decline.data and not form.reason.data:
        flash(_("Choose a reason, so that they learn something from your answer."), "error")
        return redirect(url_for("interests.thread", interest_id=interest.id))
    try:
        InterestService(db.session).decide(
            current_user, interest, accept=bool(form.accept.data),
            reason=DeclineReason(form.reason.data) if form.reason.data else None,
            message=(form.message.data or "").strip())
    except NotAllowed:
        abort(403)
    except AlreadyDecided:
        flash(_("This interest has already been answered."), "info")
        return redirect(url_for("interests.thread", interest_id=interest.id))
    _notify(people(interest.institution_id, interest.sender), "accepted" if form.accept.data else "declined",
            interest)
    flash(_("Your answer has been sent."), "success")
    return redirect(url_for("interests.thread", interest_id=interest.id))


@bp.route("/<int:interest_id>/messages", methods=["POST"])
@login_required
@csrf_checked_by_form
def write(interest_id: int):
    interest = readable(interest_id)
    form = MessageForm()
    if form.validate_on_submit():
        try:
            InterestService(db.session).write(current_user, interest, form.body.data.strip())
        except NotAllowed:
            abort(403)
        other = (people(interest.institution_id, interest.sender) if is_listing_side(current_user, interest)
                 else people(interest.listing.institution_id, interest.listing.author))
        _notify(other, "message", interest)
    else:
        flash(_("Write a message."), "error")
    return redirect(url_for("interests.thread", interest_id=interest.id) + "#messages")


@bp.route("/<int:interest_id>/outcome", methods=["POST"])
@login_required
@csrf_checked_by_form
def outcome(interest_id: int):
    interest = readable(interest_id)
    form = OutcomeForm()
    if form.validate_on_submit():
        try:
            InterestService(db.session).set_outcome(current_user, interest,
                                                    Outcome(form.outcome.data) if form.outcome.data else None)
        except NotAllowed:
            abort(403)
        flash(_("Saved."), "success")
    return redirect(url_for("interests.thread", interest_id=interest.id))


@bp.route("/<int:interest_id>/block", methods=["POST"])
@login_required
def block(interest_id: int):
    interest = readable(interest_id)
    try:
        InterestService(db.session).block(current_user, interest)
    except NotAllowed:
        abort(403)
    flash(_("%(name)s can no longer express interest in your listings.", name=interest.institution.name), "success")
    return redirect(url_for("interests.inbox"))


@section("listing", "interests/_listing_section.html", order=10)
def interest_section(listing: Listing, actions: frozenset[Action], interest_form: InterestForm | None = None,
                     **_facts: object) -> dict | None:
    """The form to express interest, for members of other institutions who may; for a visitor
    not signed in, on a public listing, an invitation to sign in (and come back) or register."""
    if interest_form is None and Action.EXPRESS_INTEREST not in actions:
        if not current_user.is_authenticated and listing.is_public():
            return {"listing": listing, "form": None, "invite": True}
        return None
    return {"listing": listing, "form": interest_form or InterestForm()}


@home_figure("accepted_interests", lambda n: ngettext("accepted interest", "accepted interests", n), order=40)
def accepted_interests(session: Session) -> int:
    """The home page's sign of cooperation happening: interests the listing's side accepted."""
    return session.scalar(select(func.count()).select_from(Interest)
                          .where(Interest.status == InterestStatus.ACCEPTED)) or 0
