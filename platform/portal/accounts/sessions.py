"""Server-side sessions: a row per signed-in browser, checked on every request.

The cookie alone is not enough to be signed in: its session must still exist. Signing out
deletes the row, "sign out everywhere" deletes all of the user's rows, and a password or email
change (which bumps ``auth_version``) does too. Plain Python: the session is passed in.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal.users.models import User, UserSession
from portal.database import utcnow


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(session: Session, user: User, lifetime: timedelta) -> str:
    """A new session for ``user``; returns the token for the cookie and sets ``user.session_token``."""
    now = utcnow()
    session.execute(delete(UserSession).where(UserSession.user_id == user.id, UserSession.expires_at <= now))
    token = secrets.token_urlsafe(32)
    session.add(UserSession(token_hash=_hash(token), user_id=user.id, created_at=now, expires_at=now + lifetime))
    session.flush()
    user.session_token = token
    return token


def load(session: Session, user_id: int, auth_version: int, token: str) -> User | None:
    """The user of a live session, or ``None`` when it ended, expired or predates a password change."""
    if not token:
        return None
    user = session.scalar(select(User).join(UserSession, UserSession.user_id == User.id).where(
        User.id == user_id, User.auth_version == auth_version,
        UserSession.token_hash == _hash(token), UserSession.expires_at > utcnow()))
    if user is not None:
        user.session_token = token
    return user


def end(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(UserSession).where(UserSession.token_hash == _hash(token)))


def end_all(session: Session, user: User) -> int:
    """Sign ``user`` out of every browser; returns how many sessions ended."""
    result = session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    return result.rowcount or 0
