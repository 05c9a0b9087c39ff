"""Reports from users, suspension and restoration, and the institution verification queue."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from portal.users.roles import can_moderate
from portal.extensions import db
from portal.institutions.models import Institution, VerificationStatus
from portal.institutions.services import spokespeople
from portal.listings.lifecycle import Action
from portal.listings.models import Listing, ListingStatus
from portal.mail.service import send_to_user
from portal.moderation.blueprint import bp, moderator_required
from portal.moderation.forms import MessageForm, ReportForm
from portal.moderation.models import ListingReport, ReportReason, ReportStatus
from portal.moderation.notifications import notify_author
from portal.moderation.policy import can_verify_institution
from portal.moderation.services import AlreadyDecided, ModerationService, NotAllowed, moderated_center_ids
from portal.web.navigation import get_or_404
from portal.web.security import csrf_checked_by_form
from portal.interests.blueprint import bp as interests_bp
from portal.interests.models import Interest
from portal.interests.pages import readable, render_thread
from portal.interests.services import is_listing_side
from portal.web.sections import section


@bp.route("/report/<int:listing_id>", methods=["POST"])
@login_required
@csrf_checked_by_form
def report(listing_id: int):
    listing = get_or_404(Listing, listing_id)
    if not listing.is_public():
        abort(404)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            ModerationService(db.session).report(current_user, listing, ReportReason(form.reason.data),
                                                 (form.text.data or "").strip())
        except NotAllowed:  # its own institution (or an administrator) acts on it instead
            abort(403)
        flash(_("Thank you. The moderators will look at your report."), "success")
    else:
        flash(_("Choose a reason."), "error")
    return redirect(url_for("listings.detail", listing_id=listing.id))


@bp.route("/reports")
@moderator_required
def reports():
    ids = moderated_center_ids(current_user)
    query = (select(ListingReport).join(Listing, Listing.id == ListingReport.listing_id)
             .where(ListingReport.status == ReportStatus.OPEN).order_by(ListingReport.created_at))
    if ids is not None:
        query = query.where(Listing.center_id.in_(ids))
    suspended = select(Listing).where(Listing.status == ListingStatus.SUSPENDED)
    if ids is not None:
        suspended = suspended.where(Listing.center_id.in_(ids))
    return render_template("moderation/reports.html", reports=db.session.scalars(query).all(),
                           suspended=db.session.scalars(suspended).all())


@bp.route("/reports/<int:report_id>/dismiss", methods=["POST"])
@moderator_required
def dismiss_report(report_id: int):
    found = get_or_404(ListingReport, report_id)
    if not can_moderate(current_user, found.listing.center):
        abort(403)
    ModerationService(db.session).dismiss_report(current_user, found)
    flash(_("The report has been dismissed."), "success")
    return redirect(url_for("moderation.reports"))


@bp.route("/listings/<int:listing_id>/<any(suspend, restore):action>", methods=["POST"])
@moderator_required
@csrf_checked_by_form
def suspend_or_restore(listing_id: int, action: str):
    listing = get_or_404(Listing, listing_id)
    if not can_moderate(current_user, listing.center):
        abort(403)
    form = MessageForm()
    if not form.validate_on_submit():
        flash(_("Write a message for the author."), "error")
        return redirect(url_for("moderation.reports"))
    service = ModerationService(db.session)
    operation = service.suspend if action == "suspend" else service.restore
    try:
        outcome = operation(current_user, listing, form.message.data.strip())
    except AlreadyDecided:
        flash(_("Someone else has already decided on this item."), "error")
        return redirect(url_for("moderation.reports"))
    notify_author(listing, outcome.event)
    flash(_("The listing has been suspended.") if action == "suspend" else _("The listing is public again."),
          "success")
    return redirect(url_for("moderation.reports"))


# institution verification

def _listing_centers(institution_ids: list[int]) -> dict[int, set[int]]:
    """Centers of each institution's listings past the draft stage (see moderation.policy)."""
    rows = db.session.execute(select(Listing.institution_id, Listing.center_id).distinct().where(
        Listing.institution_id.in_(institution_ids), Listing.status != ListingStatus.DRAFT)).all()
    centers: dict[int, set[int]] = {}
    for institution_id, center_id in rows:
        centers.setdefault(institution_id, set()).add(center_id)
    return centers


@bp.route("/institutions")
@moderator_required
def institutions():
    waiting = db.session.scalars(select(Institution).where(Institution.verification != VerificationStatus.VERIFIED)
                                 .order_by(Institution.created_at)).all()
    centers = _listing_centers([institution.id for institution in waiting])
    mine = [institution for institution in waiting
            if can_verify_institution(current_user, centers.get(institution.id, set()))]
    return render_template("moderation/institutions.html", institutions=mine)


DETAILS_SUBJECT = _l("Please tell us more about your institution")


# Not csrf_checked_by_form: the verify button has no form to re-render, so a bad token is
# refused before the view (the marker once let "verify" through without any token).
@bp.route("/institutions/<int:institution_id>/<any(verify, ask):action>", methods=["POST"])
@moderator_required
def verify_institution(institution_id: int, action: str):
    institution = get_or_404(Institution, institution_id)
    if not can_verify_institution(current_user, _listing_centers([institution.id]).get(institution.id, set())):
        abort(403)
    if action == "verify":
        institution.verification = VerificationStatus.VERIFIED
        institution.verification_message = ""
        flash(_("%(name)s is now verified.", name=institution.name), "success")
        return redirect(url_for("moderation.institutions"))
    form = MessageForm()
    if not form.validate_on_submit():
        flash(_("Write a message for the institution."), "error")
        return redirect(url_for("moderation.institutions"))
    institution.verification = VerificationStatus.DETAILS_REQUESTED
    institution.verification_message = form.message.data.strip()
    for admin in spokespeople(db.session, institution.id):
        send_to_user(db.session, admin, "institution_details", DETAILS_SUBJECT, institution=institution,
                     link=url_for("institutions.edit", institution_id=institution.id,
                                  lang_code=admin.preferred_language, _external=True))
    flash(_("The institution's administrators have been asked for details."), "success")
    return redirect(url_for("moderation.institutions"))


@section("listing", "moderation/_listing_section.html", order=30)
def report_section(listing: Listing, actions: frozenset[Action], **_facts: object) -> dict | None:
    """Signed-in readers may report a public listing they do not manage."""
    if Action.REPORT not in actions:
        return None
    return {"listing": listing, "form": ReportForm()}


@interests_bp.route("/<int:interest_id>/report", methods=["POST"], endpoint="report")
@login_required
@csrf_checked_by_form
def report_interest(interest_id: int):
    """The listing's institution tells the moderators about an abusive expression of interest."""
    interest = readable(interest_id)
    if not is_listing_side(current_user, interest):
        abort(403)
    form = ReportForm()
    if not form.validate_on_submit():
        return render_thread(interest, report_form=form)  # what they wrote stays in the form
    ModerationService(db.session).report(current_user, interest.listing, ReportReason(form.reason.data),
                                         (form.text.data or "").strip(), interest=interest)
    flash(_("Thank you. The moderators will look at your report."), "success")
    return redirect(url_for("interests.thread", interest_id=interest.id))


@section("interest", "moderation/_interest_section.html", order=30)
def interest_report_section(interest: Interest, listing_side: bool = False,
                            report_form: ReportForm | None = None, **_facts: object) -> dict | None:
    """The listing's institution may report an abusive expression of interest."""
    if not listing_side:
        return None
    return {"interest": interest, "form": report_form or ReportForm()}
