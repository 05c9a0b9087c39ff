"""Institution membership rules. Plain Python: the acting user is always passed in."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.changes.signals import announce_institution_changed
from portal.users.models import MembershipStatus, Role, User
from portal.institutions.models import Institution, InstitutionType


class NotAllowed(Exception):
    """The acting user may not do this."""


class MembershipConflict(Exception):
    """The user already belongs to (or is waiting for) an institution."""


@dataclass(frozen=True)
class InstitutionDetails:
    name: str
    type: InstitutionType
    country: str
    city: str = ""
    website: str = ""
    description: str = ""


def can_manage_institution(user: User | None, institution: Institution) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.role == Role.ADMIN:
        return True
    return (user.institution_id == institution.id and user.is_institution_admin
            and user.membership_status == MembershipStatus.ACTIVE)


def spokespeople(session: Session, institution_id: int, involved: User | None = None) -> list[User]:
    """Who hears about an institution's affairs: the member involved, else its administrators."""
    if involved is not None and involved.institution_id == institution_id \
            and involved.membership_status == MembershipStatus.ACTIVE:
        return [involved]
    return list(session.scalars(select(User).where(
        User.institution_id == institution_id, User.is_institution_admin.is_(True),
        User.membership_status == MembershipStatus.ACTIVE)))


class InstitutionService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def create(self, founder: User, details: InstitutionDetails) -> Institution:
        """A new institution, unverified, with its founder as its first admin."""
        if founder.institution_id is not None:
            raise MembershipConflict
        institution = Institution(**details.__dict__)
        self.session.add(institution)
        self.session.flush()
        founder.institution_id = institution.id
        founder.membership_status = MembershipStatus.ACTIVE
        founder.is_institution_admin = True
        return institution

    def update(self, actor: User, institution: Institution, details: InstitutionDetails) -> None:
        if not can_manage_institution(actor, institution):
            raise NotAllowed
        changed = any(getattr(institution, key) != value for key, value in details.__dict__.items())
        for key, value in details.__dict__.items():
            setattr(institution, key, value)
        if changed:  # its listings' country facet and their suggestions' reasons follow
            self.session.flush()
            announce_institution_changed(self.session, institution.id)

    def request_to_join(self, user: User, institution: Institution) -> None:
        if user.institution_id is not None:
            raise MembershipConflict
        user.institution_id = institution.id
        user.membership_status = MembershipStatus.PENDING
        user.is_institution_admin = False

    def cancel_request(self, user: User) -> None:
        if user.membership_status == MembershipStatus.PENDING:
            self._detach(user)

    def pending_requests(self, institution: Institution) -> list[User]:
        return list(self.session.scalars(
            select(User).where(User.institution_id == institution.id,
                               User.membership_status == MembershipStatus.PENDING)
            .order_by(User.created_at)
        ))

    def active_members(self, institution: Institution) -> list[User]:
        return list(self.session.scalars(
            select(User).where(User.institution_id == institution.id,
                               User.membership_status == MembershipStatus.ACTIVE)
            .order_by(User.display_name)
        ))

    def approve(self, actor: User, member: User) -> None:
        institution = self._institution_of(member)
        if not can_manage_institution(actor, institution) or member.membership_status != MembershipStatus.PENDING:
            raise NotAllowed
        member.membership_status = MembershipStatus.ACTIVE

    def decline(self, actor: User, member: User) -> None:
        institution = self._institution_of(member)
        if not can_manage_institution(actor, institution) or member.membership_status != MembershipStatus.PENDING:
            raise NotAllowed
        self._detach(member)

    def remove(self, actor: User, member: User) -> None:
        institution = self._institution_of(member)
        if not can_manage_institution(actor, institution) or member.membership_status != MembershipStatus.ACTIVE:
            raise NotAllowed
        if member.is_institution_admin and self._admin_count(institution) <= 1:
            # An institution always keeps someone who can approve members.
            raise NotAllowed
        self._detach(member)

    def set_admin(self, actor: User, member: User, is_admin: bool) -> None:
        institution = self._institution_of(member)
        if not can_manage_institution(actor, institution) or member.membership_status != MembershipStatus.ACTIVE:
            raise NotAllowed
        if not is_admin and member.is_institution_admin and self._admin_count(institution) <= 1:
            raise NotAllowed
        member.is_institution_admin = is_admin

    def _institution_of(self, member: User) -> Institution:
        if member.institution is None:
            raise NotAllowed
        return member.institution

    def _admin_count(self, institution: Institution) -> int:
        return self.session.scalar(
            select(func.count()).select_from(User).where(
                User.institution_id == institution.id, User.is_institution_admin.is_(True),
                User.membership_status == MembershipStatus.ACTIVE)
        ) or 0

    @staticmethod
    def _detach(user: User) -> None:
        user.institution_id = None
        user.institution = None
        user.membership_status = None
        user.is_institution_admin = False
