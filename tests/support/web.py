"""Driving pages like a browser does: read the form's CSRF token, then post."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.mail.models import OutboxMessage

_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
_LINK = re.compile(r"https?://\S+")


def csrf_token(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1) or match.group(2)


@dataclass
class Browser:
    client: FlaskClient

    def get(self, url: str, **kwargs):  # noqa: ANN003, ANN201
        return self.client.get(url, **kwargs)

    def submit(self, url: str, data: dict, *, page: str | None = None, follow: bool = False):  # noqa: ANN201
        """GET ``page`` (default ``url``) for its token, then POST ``data`` to ``url``."""
        html = self.client.get(page or url).get_data(as_text=True)
        return self.client.post(url, data={"csrf_token": csrf_token(html), **data}, follow_redirects=follow)

    def sign_in(self, email: str, password: str, lang: str = "en"):  # noqa: ANN201
        response = self.submit(f"/{lang}/account/login", {"email": email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    def sign_out(self, lang: str = "en"):  # noqa: ANN201
        return self.submit(f"/{lang}/account/logout", {}, page=f"/{lang}/")


@pytest.fixture()
def browser(client: FlaskClient) -> Browser:
    return Browser(client)


def last_email(session: Session, recipient: str) -> OutboxMessage:
    message = session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == recipient.lower())
                             .order_by(OutboxMessage.id.desc()))
    assert message is not None, f"no email to {recipient}"
    return message


def link_in(message: OutboxMessage) -> str:
    """The path of the first link in an email (the test client needs no host)."""
    match = _LINK.search(message.body)
    assert match, message.body
    return re.sub(r"^https?://[^/]+", "", match.group(0))
