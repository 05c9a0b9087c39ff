"""The outbox, readable by admins: every email the portal wrote, sent or not."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from sqlalchemy import func, select

from portal.users.permissions import admin_required
from portal.extensions import db
from portal.mail.models import OutboxMessage
from portal.web.navigation import get_or_404
from portal.web.pagination import Page, page_number

bp = Blueprint("mail", __name__, template_folder="templates")
PER_PAGE = 50


@bp.route("/")
@admin_required
def outbox():
    recipient = request.args.get("to", "").strip()[:254]
    query = select(OutboxMessage)
    if recipient:
        query = query.where(OutboxMessage.recipient == recipient.lower())
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = Page.of(page_number(), PER_PAGE, total)
    messages = db.session.scalars(query.order_by(OutboxMessage.id.desc()).offset(page.offset).limit(PER_PAGE)).all()
    return render_template("mail/outbox.html", messages=messages, page=page, recipient=recipient)


@bp.route("/<int:message_id>")
@admin_required
def message(message_id: int):
    return render_template("mail/message.html", message=get_or_404(OutboxMessage, message_id))
