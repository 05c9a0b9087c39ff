"""Render a message in the recipient's language and write it to the outbox, in the caller's
transaction: it leaves only if that transaction commits, and no request waits on SMTP.
The worker sends queued messages afterwards (``mail.delivery``)."""

from __future__ import annotations

from collections.abc import Mapping

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy.orm import Session

from portal.users.models import User
from portal.database import utcnow
from portal.i18n.languages import DEFAULT_LANGUAGE, LANGUAGES
from portal.mail.models import DeliveryStatus, OutboxMessage


def send_to_user(session: Session, user: User, template: str, subject, *,  # noqa: ANN001
                 address: str | None = None, **context) -> OutboxMessage:
    """``subject`` is a lazy string, evaluated in the user's language like the body."""
    language = user.preferred_language if user.preferred_language in LANGUAGES else DEFAULT_LANGUAGE
    return send(session, address or user.email, language, template, subject,
                user_id=user.id, context={"user": user, **context})


def send(session: Session, recipient: str, language: str, template: str, subject, *,  # noqa: ANN001
         user_id: int | None = None, context: Mapping | None = None) -> OutboxMessage:
    with force_locale(language):
        rendered_subject = str(subject)
        body = render_template(f"mail/{template}.txt", language=language, **(context or {}))
    message = OutboxMessage(recipient=recipient, user_id=user_id, language=language,
                            subject=rendered_subject, body=body, status=DeliveryStatus.KEPT)
    if current_app.config.get("SMTP_HOST"):
        # Due at once: the worker's next pass after this transaction commits sends it.
        message.status, message.next_attempt_at = DeliveryStatus.QUEUED, utcnow()
    session.add(message)
    session.flush()
    return message
