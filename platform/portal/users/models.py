from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import Base, db_enum, utcnow
from portal.i18n.languages import DEFAULT_LANGUAGE

if TYPE_CHECKING:
    from portal.institutions.models import Institution
    from portal.taxonomy.models import Center


class Role(enum.StrEnum):
    MEMBER = "member"
    MODERATOR = "moderator"
    ADMIN = "admin"


class MembershipStatus(enum.StrEnum):
    PENDING = "pending"   # asked to join, waiting for the institution's admin
    ACTIVE = "active"


moderator_scopes = Table(
    "moderator_scopes",
    Base.metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("center_id", Integer, ForeignKey("centers.id", ondelete="CASCADE"), primary_key=True),
)


def normalize_email(email: str) -> str:
    """Emails are unique case-insensitively; we store them folded."""
    return email.strip().lower()


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(120))
    preferred_language: Mapped[str] = mapped_column(String(8), default=DEFAULT_LANGUAGE)
    email_confirmed_at: Mapped[datetime | None]
    role: Mapped[Role] = mapped_column(db_enum(Role, "user_role"), default=Role.MEMBER)
    # Bumped when the password or email changes: invalidates every other session and token.
    auth_version: Mapped[int] = mapped_column(Integer, default=1)
    institution_id: Mapped[int | None] = mapped_column(
        ForeignKey("institutions.id", ondelete="SET NULL"), index=True
    )
    membership_status: Mapped[MembershipStatus | None] = mapped_column(
        db_enum(MembershipStatus, "membership_status")
    )
    is_institution_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    institution: Mapped[Institution | None] = relationship(back_populates="members")
    moderated_centers: Mapped[list[Center]] = relationship(
        secondary=moderator_scopes, order_by="Center.position"
    )

    # Flask-Login protocol
    is_active = True
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return True

    # The server-side session this object was loaded for (see accounts.sessions); not stored.
    session_token = None  # type: str | None

    def get_id(self) -> str:
        # Kept in the session cookie and the remember cookie: both die with the server-side
        # session (sign-out, sign out everywhere) and with the auth_version (password change).
        return f"{self.id}:{self.auth_version}:{self.session_token or ''}"

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_moderator(self) -> bool:
        return self.role == Role.MODERATOR and bool(self.moderated_centers)

    @property
    def active_institution(self) -> Institution | None:
        """The institution the user may act for; ``None`` while a join request is pending."""
        if self.membership_status == MembershipStatus.ACTIVE:
            return self.institution
        return None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class UserSession(Base):
    """One signed-in browser. Signing out deletes it, so a copied cookie stops working."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the token in the cookie: a copy of the table signs nobody in.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
