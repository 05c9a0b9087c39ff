"""Signed, expiring tokens for email links. No Flask: the secret is passed in.

A token carries the user's ``auth_version``, so it stops working once the
password or email changes: a reset link cannot be used twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


class TokenInvalid(Exception):
    """Tampered, for another purpose, or already used."""


class TokenExpired(TokenInvalid):
    pass


@dataclass(frozen=True)
class TokenPayload:
    user_id: int
    auth_version: int
    email: str


class EmailTokens:
    def __init__(self, secret_key: str, max_age_seconds: int) -> None:
        self._serializer = URLSafeTimedSerializer(secret_key, salt="portal.email-links")
        self.max_age_seconds = max_age_seconds

    def make(self, purpose: str, user_id: int, auth_version: int, email: str) -> str:
        return self._serializer.dumps({"p": purpose, "u": user_id, "v": auth_version, "e": email})

    def read(self, purpose: str, token: str) -> TokenPayload:
        try:
            data = self._serializer.loads(token, max_age=self.max_age_seconds)
        except SignatureExpired as error:
            raise TokenExpired from error
        except BadSignature as error:
            raise TokenInvalid from error
        if not isinstance(data, dict) or data.get("p") != purpose:
            raise TokenInvalid
        try:
            return TokenPayload(int(data["u"]), int(data["v"]), str(data["e"]))
        except (KeyError, TypeError, ValueError) as error:
            raise TokenInvalid from error
