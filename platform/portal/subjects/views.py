"""The subjects of a listing: the author's chips, and autocomplete in the reader's language."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.extensions import db
from portal.i18n.routing import current_language
from portal.listings.lifecycle import Action, can
from portal.listings.models import Listing
from portal.listings.services import can_edit_listing
from portal.subjects.forms import SubjectsForm
from portal.subjects.services import Subject, correct_subjects, current_thesaurus, subjects_of, subjects_of_many
from portal.web.navigation import get_or_404
from portal.web.security import csrf_checked_by_form

bp = Blueprint("subjects", __name__, template_folder="templates")

MAX_SUGGESTIONS = 10


@bp.route("/complete")
def complete():
    """Autocomplete: ``?q=`` → ``[{"key", "label", "also"}]``, labels in the page's language."""
    text = (request.args.get("q") or "")[:120]
    language = current_language()
    concepts = current_thesaurus(db.session).complete(text, language, MAX_SUGGESTIONS) if text.strip() else []
    return jsonify([{"key": concept.key, "label": concept.label(language),
                     "also": concept.label("en") if language != "en" else ""} for concept in concepts])


@bp.app_template_global()
def subjects_editor_form(listing: Listing, subjects: list[Subject] | None = None) -> SubjectsForm:
    """The chips form for a listing, its boxes ticked for the subjects it has now (``subjects``,
    when the page has read them already)."""
    if subjects is None:
        subjects = subjects_of(db.session, listing.id, current_language())
    form = SubjectsForm(formdata=None)
    form.keep.choices = [(subject.key, subject.label) for subject in subjects]
    form.keep.data = [subject.key for subject in subjects]
    return form


@bp.app_template_global()
def listing_subjects(listing: Listing) -> list[Subject]:
    """The listing's subjects in the page's language, most mentioned first."""
    return subjects_of(db.session, listing.id, current_language())


@bp.app_template_global()
def subjects_of_cards(listings: list[Listing]) -> dict[int, list[Subject]]:
    """Subjects of a list of result cards, in one query."""
    return subjects_of_many(db.session, [listing.id for listing in listings], current_language(), limit=12)


@bp.route("/listing/<int:listing_id>", methods=["GET", "POST"])
@login_required
@csrf_checked_by_form
def edit_listing_subjects(listing_id: int):
    listing = get_or_404(Listing, listing_id)
    if not can_edit_listing(current_user, listing):
        abort(404 if not listing.is_public() else 403)
    if not can(current_user, Action.EDIT_SUBJECTS, listing):  # e.g. suspended: the moderators have it
        flash(_("This is not possible while the listing is “%(status)s”.", status=listing.status.label), "error")
        return redirect(url_for("listings.detail", listing_id=listing.id))
    form = SubjectsForm()
    language = current_language()
    current = subjects_of(db.session, listing.id, language)
    form.keep.choices = [(subject.key, subject.label) for subject in current]
    if form.validate_on_submit():
        added = []
        typed = (form.add.data or "").strip()
        if typed:
            thesaurus = current_thesaurus(db.session)
            concept = thesaurus.get(typed) or thesaurus.find_label(typed)
            if concept is None:
                matches = thesaurus.complete(typed, language, 2)
                concept = matches[0] if len(matches) == 1 else None
            if concept is None:
                form.add.errors = [_("No subject is called “%(text)s”. Pick one from the suggestions.", text=typed)]
                return render_template("subjects/edit.html", listing=listing, form=form,
                                       suggestions=current_thesaurus(db.session).complete(typed, language, 8)), 400
            added.append(concept.key)
        kept = set(form.keep.data or [])
        removed = [subject.key for subject in current if subject.key not in kept]
        correct_subjects(db.session, listing, removed=removed, added=added)
        db.session.commit()
        flash(_("The subjects of this listing have been saved."), "success")
        return redirect(request.form.get("next_url") if _safe_next(request.form.get("next_url"))
                        else url_for("listings.detail", listing_id=listing.id))
    if request.method == "GET":
        form.keep.data = [subject.key for subject in current]
    return render_template("subjects/edit.html", listing=listing, form=form, suggestions=[])


def _safe_next(target: str | None) -> bool:
    return bool(target) and target.startswith("/") and not target.startswith("//") and "\\" not in target
