"""Posting and managing listings: create, edit, translate, submit, withdraw, renew."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from portal.extensions import db
from portal.i18n.languages import LANGUAGES
from portal.i18n.routing import current_language
from portal.listings import lifecycle
from portal.listings.blueprint import bp
from portal.listings.forms import ListingForm, TranslationForm
from portal.listings.lifecycle import Action
from portal.listings.models import Listing
from portal.listings.services import (
    InvalidTransition,
    ListingService,
    NotAllowed,
    can_edit_listing,
    can_post,
)
from portal.listings.history import open_revision
from portal.listings.snapshot import preview
from portal.taxonomy.models import Center, Topic
from portal.web.navigation import get_or_404
from portal.web.sections import sections
from portal.web.security import csrf_checked_by_form


def _listing_form(**kwargs) -> ListingForm:  # noqa: ANN003
    centers = db.session.scalars(select(Center).order_by(Center.position)).all()
    topics = db.session.scalars(select(Topic).order_by(Topic.slug)).all()
    return ListingForm(centers=list(centers), topics=list(topics), **kwargs)


def _managed_listing(listing_id: int) -> Listing:
    listing = get_or_404(Listing, listing_id)
    if not can_edit_listing(current_user, listing):
        abort(404 if not listing.is_public() else 403)
    return listing


def _not_now(listing: Listing, action: Action) -> Response | None:
    """Back to the listing's page, saying why, when its status does not allow ``action``."""
    if lifecycle.can(current_user, action, listing):
        return None
    flash(_not_now_message(listing), "error")
    return redirect(url_for("listings.detail", listing_id=listing.id))


def _not_now_message(listing: Listing) -> str:
    return _("This is not possible while the listing is “%(status)s”.", status=listing.status.label)


@bp.route("/new", methods=["GET", "POST"])
@login_required
@csrf_checked_by_form
def create():
    if not can_post(current_user):
        return render_template("listings/cannot_post.html"), 403
    form = _listing_form()
    if request.method == "GET":
        form.language.data = current_language()
        form.working_languages.data = [current_language()]
    if form.validate_on_submit():
        submit = bool(form.submit.data)
        listing = ListingService(db.session).create(current_user, form.draft(), submit=submit)
        flash(_("Your listing has been submitted for review.") if submit
              else _("Your draft has been saved. Submit it for review when it is ready."), "success")
        return redirect(url_for("listings.detail", listing_id=listing.id))
    return render_template("listings/edit.html", form=form, listing=None)


@bp.route("/<int:listing_id>/edit", methods=["GET", "POST"])
@login_required
@csrf_checked_by_form
def edit(listing_id: int):
    listing = _managed_listing(listing_id)
    if (refused := _not_now(listing, Action.EDIT)) is not None:
        return refused
    revision = open_revision(db.session, listing.id)
    form = _listing_form()
    if request.method == "GET":
        shown = preview(db.session, listing, revision.content) if revision else listing
        language = request.args.get("language")
        form.fill_from(shown, language if language in shown.languages else shown.original_language)
    if form.validate_on_submit():
        service = ListingService(db.session)
        try:
            service.update(current_user, listing, form.draft())
            if form.submit.data and lifecycle.can(current_user, Action.SUBMIT, listing):
                service.submit(current_user, listing)
        except InvalidTransition:
            flash(_("This listing cannot be changed in its current state."), "error")
        else:
            if lifecycle.edits_are_reviewed(listing):
                flash(_("Your changes have been sent for review. The published version stays online "
                        "until a moderator approves them."), "success")
            else:
                flash(_("Your changes have been saved."), "success")
            return redirect(url_for("listings.detail", listing_id=listing.id))
    return render_template("listings/edit.html", form=form, listing=listing, revision=revision)


@bp.route("/<int:listing_id>/translations/<lang:language>", methods=["GET", "POST"])
@login_required
@csrf_checked_by_form
def translate(listing_id: int, language: str):
    listing = _managed_listing(listing_id)
    if (refused := _not_now(listing, Action.TRANSLATE)) is not None:
        return refused
    revision = open_revision(db.session, listing.id)
    shown = preview(db.session, listing, revision.content) if revision else listing
    existing = shown.translation(language)
    # A new version may start from another feature's draft (the machine translation, to promote).
    drafts = [] if existing is not None else sections("translation_draft", listing=listing, language=language)
    form = TranslationForm(obj=existing, data=drafts[0].context if drafts and request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            ListingService(db.session).set_translation(current_user, listing, language, form.content())
        except InvalidTransition:
            flash(_("This listing cannot be changed in its current state."), "error")
        else:
            flash(_("The translation has been saved.") if not lifecycle.edits_are_reviewed(listing) else
                  _("Your changes have been sent for review. The published version stays online "
                    "until a moderator approves them."), "success")
            return redirect(url_for("listings.detail", listing_id=listing.id, version=language))
    return render_template("listings/translate.html", form=form, listing=listing, language=language,
                           original=shown.original, existing=existing, drafts=drafts)


@bp.route("/<int:listing_id>/translations/<lang:language>/delete", methods=["POST"])
@login_required
def delete_translation(listing_id: int, language: str):
    listing = _managed_listing(listing_id)
    if (refused := _not_now(listing, Action.TRANSLATE)) is not None:
        return refused
    try:
        ListingService(db.session).delete_translation(current_user, listing, language)
    except InvalidTransition:
        flash(_("The original version cannot be deleted."), "error")
    else:
        flash(_("The translation has been deleted."), "success")
    return redirect(url_for("listings.detail", listing_id=listing.id))


_ACTIONS = {
    "submit": (ListingService.submit, lambda: _("Your listing has been submitted for review.")),
    "withdraw": (ListingService.withdraw, lambda: _("The listing has been withdrawn. It is no longer public.")),
    "renew": (ListingService.renew, lambda: _("The listing stays open for another twelve months.")),
}


@bp.route("/<int:listing_id>/<any(submit, withdraw, renew):action>", methods=["POST"])
@login_required
def change_status(listing_id: int, action: str):
    listing = get_or_404(Listing, listing_id)
    operation, message = _ACTIONS[action]
    try:
        operation(ListingService(db.session), current_user, listing)
    except NotAllowed:
        abort(403)
    except InvalidTransition:
        flash(_not_now_message(listing), "error")
    else:
        flash(message(), "success")
    return redirect(url_for("listings.detail", listing_id=listing.id))


@bp.route("/mine")
@login_required
def mine():
    institution = current_user.active_institution
    listings = []
    if institution is not None:
        listings = db.session.scalars(select(Listing).where(Listing.institution_id == institution.id)
                                      .order_by(Listing.updated_at.desc())).all()
    return render_template("listings/mine.html", listings=listings, institution=institution,
                           languages=LANGUAGES, can_post=can_post(current_user))
