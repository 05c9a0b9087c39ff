"""The review queue, the review page and decisions (one by one or in bulk)."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.extensions import db
from portal.i18n.foreign import SLOT, with_text
from portal.i18n.routing import current_language
from portal.i18n.languages import FOCUS_COUNTRIES, LANGUAGES
from portal.listings.models import Direction, Listing, ListingKind, ListingStatus, ListingTranslation
from portal.machine_translation.services import current_translations
from portal.moderation.blueprint import bp, moderator_required
from portal.moderation.forms import BulkDecisionForm, DecisionForm
from portal.moderation.models import ListingEvent, ListingRevision, RejectionReason
from portal.moderation.notifications import notify_author
from portal.moderation.policy import can_review_listing
from portal.moderation.next_item import next_item_url as _next_item_url
from portal.moderation.queue import QueueFilters, counts_per_center, project_queue, queue
from portal.partnerships.models import Project
from portal.partnerships.notices import tell_partners
from portal.partnerships.services import AlreadyDecided as ProjectAlreadyDecided
from portal.partnerships.services import ProjectService, can_review as can_review_project
from portal.moderation.services import (
    AlreadyDecided,
    ModerationService,
    NotAllowed,
    moderated_center_ids,
    open_revision,
)
from portal.listings.snapshot import changed_fields, changed_texts, listing_snapshot, preview
from portal.taxonomy.models import Center
from portal.web.navigation import get_or_404
from portal.web.security import csrf_checked_by_form
from portal.web.templating import frame_unavailable


def _filters() -> QueueFilters:
    args = request.args
    return QueueFilters(
        center=args.get("center", "")[:64], kind=args.get("kind", "") if args.get("kind") in ListingKind._value2member_map_ else "",
        direction=args.get("direction", "") if args.get("direction") in Direction._value2member_map_ else "",
        language=args.get("language", "") if args.get("language") in LANGUAGES else "",
        country=args.get("country", "").upper()[:2], type=args.get("type", "") if args.get("type") in ("new", "edit", "project") else "")


def _visible_centers() -> list[Center]:
    ids = moderated_center_ids(current_user)
    query = select(Center).order_by(Center.position)
    return list(db.session.scalars(query if ids is None else query.where(Center.id.in_(ids))))


@bp.app_context_processor
def moderation_badge() -> dict:
    """Waiting items for the header of moderators: counted at most once per request (one
    grouped COUNT), and only when the header asks, so other pages and visitors pay nothing."""
    def waiting() -> int:
        if frame_unavailable() or not current_user.is_authenticated \
                or not (current_user.is_admin or current_user.is_moderator):
            return 0
        if "moderation_waiting" not in g:
            g.moderation_waiting = sum(counts_per_center(db.session, moderated_center_ids(current_user)).values())
        return g.moderation_waiting
    return {"moderation_waiting": waiting}


@bp.route("/")
@moderator_required
def queue_page():
    filters = _filters()
    items = queue(db.session, moderated_center_ids(current_user), filters)
    projects = project_queue(db.session, moderated_center_ids(current_user), filters)
    return render_template("moderation/queue.html", items=items, projects=projects, filters=filters,
                           centers=_visible_centers(),
                           counts=counts_per_center(db.session, moderated_center_ids(current_user)),
                           bulk_form=BulkDecisionForm(), kinds=list(ListingKind), directions=list(Direction),
                           languages=LANGUAGES, countries=FOCUS_COUNTRIES)


@bp.route("/listings/<int:listing_id>")
@moderator_required
def review(listing_id: int):
    listing = get_or_404(Listing, listing_id)
    if listing.status == ListingStatus.DRAFT:
        abort(404)  # never submitted: private to its institution, its existence too
    if not can_review_listing(current_user, listing):
        abort(403)
    # The author's open edit, whatever revision the link named: one listing has one at a time.
    revision = open_revision(db.session, listing.id)
    proposed = preview(db.session, listing, revision.content) if revision else listing
    before = listing_snapshot(listing)
    history = db.session.scalars(select(ListingEvent).where(ListingEvent.listing_id == listing.id)
                                 .order_by(ListingEvent.at.desc(), ListingEvent.id.desc())).all()
    form = DecisionForm(revision_id=str(revision.id) if revision else "")
    return render_template("moderation/review.html", listing=listing, proposed=proposed, revision=revision,
                           fields=changed_fields(before, revision.content) if revision else [],
                           texts=changed_texts(before, revision.content) if revision else [],
                           history=history, form=form, next_url=_next_item_url(listing.id),
                           machine=current_translations(db.session, [listing]).get(listing.id, []))


@bp.route("/listings/<int:listing_id>/decide", methods=["POST"])
@moderator_required
@csrf_checked_by_form
def decide(listing_id: int):
    listing = get_or_404(Listing, listing_id)
    if listing.status == ListingStatus.DRAFT:
        abort(404)
    if not can_review_listing(current_user, listing):
        abort(403)
    form = DecisionForm()
    if not form.validate_on_submit() or form.decision is None:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        if form.csrf_token.errors:
            flash(_("This form has expired. Please check what you entered and send it again."), "error")
        return redirect(url_for("moderation.review", listing_id=listing.id))
    revision_id = int(form.revision_id.data) if (form.revision_id.data or "").isdigit() else None
    try:
        outcome = ModerationService(db.session).decide(
            current_user, listing, form.decision, revision_id=revision_id, message=(form.message.data or "").strip(),
            reason=RejectionReason(form.reason.data) if form.reason.data else None)
    except AlreadyDecided as conflict:
        flash(_already_decided_message(conflict), "error")
        return redirect(url_for("moderation.queue_page"))
    except NotAllowed:
        abort(403)
    notify_author(listing, outcome.event, is_edit=outcome.revision is not None)
    decided = _decided_content(listing)
    sentence = _("Decision recorded for “%(title)s”: %(action)s.", title=SLOT, action=outcome.event.action.label)
    flash(with_text(sentence, decided.title, decided.language), "success")
    return redirect(_next_item_url(listing.id))


def _decided_content(listing: Listing) -> ListingTranslation:
    """The decided listing's text as the moderator saw it: in the page's language if it has
    a version in it, else in its original language (then its title is marked as such)."""
    return listing.content_for(current_language())


def _already_decided_message(conflict: AlreadyDecided) -> str:
    event = conflict.event
    if event is None or event.actor is None:
        return _("Someone else has already decided on this item.")
    return _("%(name)s already decided on this item: %(action)s.", name=event.actor.display_name,
             action=event.action.label)


@bp.route("/bulk", methods=["POST"])
@moderator_required
@csrf_checked_by_form
def bulk():
    form = BulkDecisionForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(url_for("moderation.queue_page"))
    decision = "approve" if form.approve.data else "reject"
    reason = RejectionReason(form.reason.data) if decision == "reject" else None
    service, done, conflicts = ModerationService(db.session), 0, 0
    for key in form.items.data:
        if key[:1] == "p":
            decided = _decide_project_in_bulk(key, decision, reason)
            done, conflicts = done + (decided is True), conflicts + (decided is False)
            continue
        listing, revision_id = _item(key)
        if listing is None or not can_review_listing(current_user, listing):
            continue
        try:
            with db.session.begin_nested():
                outcome = service.decide(current_user, listing, decision, revision_id=revision_id, reason=reason)
        except AlreadyDecided:
            conflicts += 1
            continue
        notify_author(listing, outcome.event, is_edit=revision_id is not None)
        done += 1
    flash(_("%(done)s decided, %(skipped)s already decided by someone else.", done=done, skipped=conflicts),
          "success" if not conflicts else "info")
    return redirect(url_for("moderation.queue_page"))


def _decide_project_in_bulk(key: str, decision: str, reason: RejectionReason | None) -> bool | None:
    """True when decided, False when someone else decided first, None when not for this moderator."""
    project = db.session.get(Project, int(key[1:])) if key[1:].isdigit() else None
    if project is None or not can_review_project(current_user, project):
        return None
    try:
        with db.session.begin_nested():
            event = ProjectService(db.session).decide(current_user, project, decision, reason=reason)
    except ProjectAlreadyDecided:
        return False
    tell_partners(project, event.action.value, event=event)
    return True


def _item(key: str) -> tuple[Listing | None, int | None]:
    if key[:1] == "l" and key[1:].isdigit():
        return db.session.get(Listing, int(key[1:])), None
    if key[:1] == "r" and key[1:].isdigit():
        revision = db.session.get(ListingRevision, int(key[1:]))
        return (revision.listing, revision.id) if revision else (None, None)
    return None, None
