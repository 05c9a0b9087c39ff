"""The notification centre and the email preferences."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from portal.extensions import db
from portal.notifications import services
from portal.notifications.delivery import recent
from portal.notifications.forms import PreferencesForm
from portal.notifications.models import Notification
from portal.notifications.texts import describe_html, target
from portal.web.pagination import Page, page_number
from portal.web.security import csrf_checked_by_form
from portal.web.templating import frame_unavailable

bp = Blueprint("notifications", __name__, template_folder="templates")
PER_PAGE = 30


@bp.route("/")
@login_required
def centre():
    total = db.session.scalar(select(func.count()).select_from(Notification)
                              .where(Notification.user_id == current_user.id)) or 0
    page = Page.of(page_number(), PER_PAGE, total)
    items = recent(current_user.id, PER_PAGE, page.offset)
    return render_template("notifications/centre.html", items=items, page=page, describe=describe_html,
                           unread=services.unread_count(db.session, current_user.id))


@bp.route("/<int:notification_id>")
@login_required
def open_one(notification_id: int):
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != current_user.id:
        abort(404)  # someone else's notification: not even its existence is shown
    services.mark_read(db.session, current_user.id, [notification.id])
    destination = target(notification)
    if destination is None:
        flash(_("This notification is about something that has since been deleted."), "info")
        return redirect(url_for("notifications.centre"))
    return redirect(destination)


@bp.route("/read", methods=["POST"])
@login_required
def mark_all_read():
    services.mark_read(db.session, current_user.id)
    flash(_("All notifications are marked as read."), "success")
    return redirect(url_for("notifications.centre"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
@csrf_checked_by_form
def preferences():
    current = services.preferences(db.session, current_user.id)
    form = PreferencesForm.build(current, request.form if request.method == "POST" else None)
    if request.method == "POST":
        if form.validate():
            services.set_preferences(db.session, current_user.id, form.choices())
            flash(_("Your notification preferences have been saved."), "success")
            return redirect(url_for("notifications.preferences"))
    return render_template("notifications/preferences.html", form=form)


@bp.app_context_processor
def frame_values() -> dict:
    """The header's count of unread notifications, read once per request."""
    if frame_unavailable() or not (current_user and current_user.is_authenticated):
        return {"unread_notifications": 0}
    if "unread_notifications" not in g:
        g.unread_notifications = services.unread_count(db.session, current_user.id)
    return {"unread_notifications": g.unread_notifications}
