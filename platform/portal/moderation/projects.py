"""Reviewing partnership projects: the second kind of item in the review queue, decided with
the same form and the same decisions as listings (approve, request changes, reject)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.extensions import db
from portal.i18n.routing import current_language
from portal.moderation.blueprint import bp, moderator_required
from portal.moderation.forms import DecisionForm
from portal.moderation.models import RejectionReason
from portal.moderation.next_item import next_item_url as _next_item_url
from portal.partnerships.models import Project, ProjectEvent, ProjectStatus
from portal.partnerships.notices import tell_partners
from portal.partnerships.services import AlreadyDecided, NotAllowed, ProjectService, can_review
from portal.web.navigation import get_or_404
from portal.web.security import csrf_checked_by_form


def _reviewable(project_id: int) -> Project:
    project = get_or_404(Project, project_id)
    if project.status == ProjectStatus.AWAITING_PARTNERS:
        abort(404)  # not every partner has confirmed it: it is theirs alone
    if not can_review(current_user, project):
        abort(403)
    return project


@bp.route("/projects/<int:project_id>")
@moderator_required
def review_project(project_id: int):
    project = _reviewable(project_id)
    history = db.session.scalars(select(ProjectEvent).where(ProjectEvent.project_id == project.id)
                                 .order_by(ProjectEvent.at.desc(), ProjectEvent.id.desc())).all()
    return render_template("moderation/review_project.html", project=project, history=history, form=DecisionForm(),
                           next_url=_next_item_url(after_project_id=project.id),
                           waiting=project.status == ProjectStatus.SUBMITTED)


@bp.route("/projects/<int:project_id>/decide", methods=["POST"])
@moderator_required
@csrf_checked_by_form
def decide_project(project_id: int):
    project = _reviewable(project_id)
    form = DecisionForm()
    if not form.validate_on_submit() or form.decision is None:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        if form.csrf_token.errors:
            flash(_("This form has expired. Please check what you entered and send it again."), "error")
        return redirect(url_for("moderation.review_project", project_id=project.id))
    try:
        event = ProjectService(db.session).decide(
            current_user, project, form.decision, message=(form.message.data or "").strip(),
            reason=RejectionReason(form.reason.data) if form.reason.data else None)
    except AlreadyDecided as conflict:
        decided = conflict.event
        if decided is None or decided.actor is None:
            flash(_("Someone else has already decided on this item."), "error")
        else:
            flash(_("%(name)s already decided on this item: %(action)s.", name=decided.actor.display_name,
                    action=decided.action.label), "error")
        return redirect(url_for("moderation.queue_page"))
    except NotAllowed:
        abort(403)
    tell_partners(project, event.action.value, event=event)
    flash(_("Decision recorded for “%(title)s”: %(action)s.", title=project.content_for(current_language()).title,
            action=event.action.label), "success")
    return redirect(_next_item_url(after_project_id=project.id))
