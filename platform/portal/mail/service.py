"""Render a message in the recipient's language, keep it in the outbox, send it when SMTP is set."""

from __future__ import annotations

import smtplib
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import make_msgid

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
        _deliver(message)
    session.add(message)
    session.flush()
    return message


def _deliver(message: OutboxMessage) -> None:
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid()
    email["Content-Language"] = message.language
    email.set_content(message.body)
    try:
        with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=15) as smtp:
            if config["SMTP_STARTTLS"]:
                smtp.starttls()
            if config.get("SMTP_USERNAME"):
                smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"] or "")
            smtp.send_message(email)
    except (OSError, smtplib.SMTPException) as error:
        # Kept in the outbox with the error, so an admin sees what did not go out.
        message.status = DeliveryStatus.FAILED
        message.error = str(error)[:2000]
        current_app.logger.warning("SMTP delivery to %s failed: %s", message.recipient, error)
    else:
        message.status = DeliveryStatus.SENT
        message.sent_at = utcnow()
