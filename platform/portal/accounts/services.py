"""Account operations. Plain Python: the session and the acting user are passed in; views commit."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from portal.users.models import User, normalize_email
from portal.accounts.tokens import EmailTokens, TokenInvalid
from portal.database import utcnow

# Verifying against a hash of the same method and cost when the account does not exist keeps
# the response time the same, so timing does not tell which emails are registered.
_DUMMY_HASHES: dict[str, str] = {}


def dummy_hash(method: str) -> str:
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = generate_password_hash(secrets.token_hex(16), method=method)
    return _DUMMY_HASHES[method]


class EmailTaken(Exception):
    pass


class WrongPassword(Exception):
    pass


@dataclass(frozen=True)
class NewAccount:
    email: str
    password: str
    display_name: str
    preferred_language: str


class AccountService:
    def __init__(self, session: Session, tokens: EmailTokens, hash_method: str = "scrypt") -> None:
        self.session = session
        self.tokens = tokens
        self.hash_method = hash_method

    # lookups
    def find_by_email(self, email: str) -> User | None:
        return self.session.scalar(select(User).where(User.email == normalize_email(email)))

    def email_in_use(self, email: str, except_user: User | None = None) -> bool:
        user = self.find_by_email(email)
        return user is not None and user is not except_user

    # registration and confirmation
    def register(self, account: NewAccount) -> User:
        if self.email_in_use(account.email):
            raise EmailTaken(account.email)
        user = User(
            email=normalize_email(account.email),
            password_hash=self.hash_password(account.password),
            display_name=account.display_name.strip(),
            preferred_language=account.preferred_language,
        )
        self.session.add(user)
        self.session.flush()
        return user

    def confirmation_token(self, user: User) -> str:
        return self.tokens.make("confirm", user.id, user.auth_version, user.email)

    def confirm_email(self, token: str) -> User:
        user = self._user_for("confirm", token)
        if user.email_confirmed_at is None:
            user.email_confirmed_at = utcnow()
        return user

    # passwords
    def hash_password(self, password: str) -> str:
        return generate_password_hash(password, method=self.hash_method)

    def authenticate(self, email: str, password: str) -> User | None:
        user = self.find_by_email(email)
        if user is None:
            check_password_hash(dummy_hash(self.hash_method), password)
            return None
        if not check_password_hash(user.password_hash, password):
            return None
        user.last_login_at = utcnow()
        return user

    def change_password(self, user: User, current_password: str, new_password: str) -> None:
        if not check_password_hash(user.password_hash, current_password):
            raise WrongPassword
        self._set_password(user, new_password)

    def reset_token(self, user: User) -> str:
        return self.tokens.make("reset", user.id, user.auth_version, user.email)

    def check_reset_token(self, token: str) -> User:
        return self._user_for("reset", token)

    def reset_password(self, token: str, new_password: str) -> User:
        user = self._user_for("reset", token)
        self._set_password(user, new_password)
        # The link came through the mailbox, which proves the address.
        if user.email_confirmed_at is None:
            user.email_confirmed_at = utcnow()
        return user

    # email change: confirmed through a link sent to the new address
    def email_change_token(self, user: User, current_password: str, new_email: str) -> str:
        if not check_password_hash(user.password_hash, current_password):
            raise WrongPassword
        if self.email_in_use(new_email, except_user=user):
            raise EmailTaken(new_email)
        return self.tokens.make("change-email", user.id, user.auth_version, normalize_email(new_email))

    def check_email_change_token(self, token: str) -> tuple[User, str]:
        payload = self.tokens.read("change-email", token)
        user = self._user_for("change-email", token)
        return user, payload.email

    def apply_email_change(self, token: str) -> User:
        user, new_email = self.check_email_change_token(token)
        if self.email_in_use(new_email, except_user=user):
            raise EmailTaken(new_email)
        user.email = new_email
        user.email_confirmed_at = utcnow()
        user.auth_version += 1
        return user

    # helpers
    def _set_password(self, user: User, password: str) -> None:
        user.password_hash = self.hash_password(password)
        user.auth_version += 1  # signs out other sessions and voids outstanding links

    def _user_for(self, purpose: str, token: str) -> User:
        payload = self.tokens.read(purpose, token)
        user = self.session.get(User, payload.user_id)
        if user is None or user.auth_version != payload.auth_version:
            raise TokenInvalid
        if purpose != "change-email" and user.email != payload.email:
            raise TokenInvalid
        return user
