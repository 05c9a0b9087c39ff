"""Institution directory, public profiles, and membership management."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from portal.users.models import MembershipStatus, User
from portal.extensions import db
from portal.i18n.languages import FOCUS_COUNTRIES
from portal.institutions import directory as directory_search
from portal.institutions.directory import DirectoryParams
from portal.institutions.forms import ActionForm, InstitutionForm, JoinInstitutionForm, institution_choices
from portal.institutions.models import Institution, InstitutionType
from portal.institutions.services import (
    InstitutionService,
    MembershipConflict,
    NotAllowed,
    can_manage_institution,
)
from portal.taxonomy.models import Center
from portal.web.navigation import get_or_404
from portal.web.pagination import Page, page_number
from portal.web.sections import sections
from portal.web.security import csrf_checked_by_form
from portal.web.templating import frame_unavailable

bp = Blueprint("institutions", __name__, template_folder="templates")
PER_PAGE = 24


@bp.route("/")
def directory():
    """Search by name in any script, filters with counts, pages of PER_PAGE."""
    centers = db.session.scalars(select(Center).order_by(Center.position)).all()
    center_ids = {center.slug: center.id for center in centers}
    params = DirectoryParams.parse(request.args.to_dict(flat=False), center_ids)
    total = directory_search.count(db.session, params, center_ids)
    page = Page.of(page_number(), PER_PAGE, total)
    institutions = db.session.scalars(directory_search.search(params, center_ids)
                                      .offset(page.offset).limit(PER_PAGE)).all()
    facets = directory_search.facets(db.session, params, center_ids)
    countries = dict(facets.countries)
    for code in (*FOCUS_COUNTRIES, *params.countries):
        countries.setdefault(code, 0)
    return render_template("institutions/directory.html", institutions=institutions, page=page, params=params,
                           facets=facets, countries=sorted(countries.items(), key=lambda item: (
                               item[0] not in FOCUS_COUNTRIES, -item[1], item[0])),
                           centers=centers, types=list(InstitutionType))


@bp.route("/<int:institution_id>")
def profile(institution_id: int):
    institution = get_or_404(Institution, institution_id)
    return render_template("institutions/profile.html", institution=institution,
                           can_manage=can_manage_institution(current_user, institution),
                           page_sections=sections("institution", institution=institution))


@bp.route("/new", methods=["GET", "POST"])
@login_required
@csrf_checked_by_form
def create():
    if current_user.institution_id is not None:
        flash(_("You already belong to an institution."), "info")
        return redirect(url_for("institutions.mine"))
    form = InstitutionForm()
    if form.validate_on_submit():
        institution = InstitutionService(db.session).create(current_user, form.details())
        flash(_("%(name)s is registered. Moderators will verify it soon.", name=institution.name), "success")
        return redirect(url_for("institutions.profile", institution_id=institution.id))
    return render_template("institutions/edit.html", form=form, institution=None)


@bp.route("/join", methods=["GET", "POST"])
@login_required
@csrf_checked_by_form
def join():
    if current_user.institution_id is not None:
        return redirect(url_for("institutions.mine"))
    form = JoinInstitutionForm()
    form.institution_id.choices = institution_choices()
    if form.validate_on_submit():
        institution = db.session.get(Institution, form.institution_id.data)
        if institution is None:
            form.institution_id.errors.append(_("Choose the institution you work for."))
        else:
            InstitutionService(db.session).request_to_join(current_user, institution)
            flash(_("Your request to join %(name)s has been sent to its administrators.",
                    name=institution.name), "success")
            return redirect(url_for("institutions.mine"))
    return render_template("institutions/join.html", form=form)


@bp.route("/mine")
@login_required
def mine():
    """The signed-in user's membership: their institution, a pending request, or how to get one."""
    return render_template("institutions/mine.html", action_form=ActionForm())


@bp.route("/mine/cancel", methods=["POST"])
@login_required
def cancel_request():
    InstitutionService(db.session).cancel_request(current_user)
    flash(_("Your request has been withdrawn."), "info")
    return redirect(url_for("institutions.mine"))


@bp.route("/<int:institution_id>/edit", methods=["GET", "POST"])
@login_required
@csrf_checked_by_form
def edit(institution_id: int):
    institution = get_or_404(Institution, institution_id)
    if not can_manage_institution(current_user, institution):
        abort(403)
    form = InstitutionForm(obj=institution)
    if request.method == "GET":
        form.type.data = institution.type.value
    if form.validate_on_submit():
        InstitutionService(db.session).update(current_user, institution, form.details())
        flash(_("The institution's details have been saved."), "success")
        return redirect(url_for("institutions.profile", institution_id=institution.id))
    return render_template("institutions/edit.html", form=form, institution=institution)


@bp.route("/<int:institution_id>/members")
@login_required
def members(institution_id: int):
    institution = get_or_404(Institution, institution_id)
    if not can_manage_institution(current_user, institution):
        abort(403)
    service = InstitutionService(db.session)
    return render_template("institutions/members.html", institution=institution,
                           pending=service.pending_requests(institution),
                           members=service.active_members(institution), action_form=ActionForm())


_MEMBER_ACTIONS = {
    "approve": (lambda service, actor, member: service.approve(actor, member),
                lambda name: _("%(name)s is now a member.", name=name)),
    "decline": (lambda service, actor, member: service.decline(actor, member),
                lambda name: _("The join request from %(name)s has been declined.", name=name)),
    "remove": (lambda service, actor, member: service.remove(actor, member),
               lambda name: _("%(name)s has been removed from the institution.", name=name)),
    "make-admin": (lambda service, actor, member: service.set_admin(actor, member, True),
                   lambda name: _("%(name)s can now manage the institution.", name=name)),
    "revoke-admin": (lambda service, actor, member: service.set_admin(actor, member, False),
                     lambda name: _("%(name)s no longer manages the institution.", name=name)),
}


@bp.route("/<int:institution_id>/members/<int:user_id>/<action>", methods=["POST"])
@login_required
def member_action(institution_id: int, user_id: int, action: str):
    institution = get_or_404(Institution, institution_id)
    member = get_or_404(User, user_id)
    if action not in _MEMBER_ACTIONS or member.institution_id != institution.id:
        abort(404)
    if not can_manage_institution(current_user, institution):
        abort(403)
    operation, message = _MEMBER_ACTIONS[action]
    try:
        operation(InstitutionService(db.session), current_user, member)
    except (NotAllowed, MembershipConflict):
        flash(_("That is not possible: an institution must keep at least one administrator, "
                "and only pending requests can be approved or declined."), "error")
    else:
        flash(message(member.display_name), "success")
    return redirect(url_for("institutions.members", institution_id=institution.id))


def pending_request_count(user: User) -> int:
    """For the header badge of institution admins."""
    if not user.is_authenticated or not user.is_institution_admin or user.institution_id is None:
        return 0
    return db.session.scalar(select(func.count()).select_from(User).where(
        User.institution_id == user.institution_id,
        User.membership_status == MembershipStatus.PENDING)) or 0


@bp.app_context_processor
def frame_values() -> dict:
    """The header's badge of membership requests waiting for an institution admin."""
    if frame_unavailable():
        return {"pending_members": 0}
    return {"pending_members": pending_request_count(current_user) if current_user else 0}
