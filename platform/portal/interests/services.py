"""Expressions of interest and their conversation. Plain Python: actor and session passed in."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from portal.users.models import User
from portal.database import utcnow
from portal.interests.models import DeclineReason, InstitutionBlock, Interest, InterestMessage, InterestStatus, Outcome
from portal.listings import lifecycle
from portal.listings.models import Listing

DAILY_LIMIT = 10  # expressions of interest per user per 24 hours: enough for real work, not for spam


class NotAllowed(Exception):
    pass


class TooMany(Exception):
    pass


class AlreadyDecided(Exception):
    pass


def acting_institution_id(user: User) -> int | None:
    institution = user.active_institution if getattr(user, "is_authenticated", False) else None
    return institution.id if institution else None


def can_express_interest(user: User, listing: Listing) -> bool:
    """A member of another institution, with a confirmed email, while the listing is public."""
    return lifecycle.can(user, lifecycle.Action.EXPRESS_INTEREST, listing)


def is_listing_side(user: User, interest: Interest) -> bool:
    return acting_institution_id(user) == interest.listing.institution_id


def is_sender_side(user: User, interest: Interest) -> bool:
    return acting_institution_id(user) == interest.institution_id


def can_read(user: User, interest: Interest) -> bool:
    return is_listing_side(user, interest) or is_sender_side(user, interest)


class InterestService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def express(self, sender: User, listing: Listing, message: str, now: datetime | None = None) -> Interest:
        now = now or utcnow()
        if not can_express_interest(sender, listing):
            raise NotAllowed
        if self._blocked(listing.institution_id, sender.institution_id):
            raise NotAllowed
        sent_today = self.session.scalar(select(func.count()).select_from(Interest).where(
            Interest.sender_id == sender.id, Interest.created_at > now - timedelta(days=1))) or 0
        if sent_today >= DAILY_LIMIT:
            raise TooMany
        interest = Interest(listing_id=listing.id, institution_id=sender.institution_id, sender_id=sender.id,
                            message=message, created_at=now)
        self.session.add(interest)
        self.session.flush()
        return interest

    def decide(self, actor: User, interest: Interest, accept: bool, reason: DeclineReason | None = None,
               message: str = "") -> None:
        if not is_listing_side(actor, interest):
            raise NotAllowed
        values = {"status": InterestStatus.ACCEPTED if accept else InterestStatus.DECLINED, "decided_at": utcnow()}
        if not accept:
            values.update(decline_reason=reason or DeclineReason.OTHER, decline_message=message)
        won = self.session.execute(update(Interest).where(Interest.id == interest.id,
                                                          Interest.status == InterestStatus.PENDING)
                                   .values(**values).execution_options(synchronize_session=False)).rowcount
        if not won:
            raise AlreadyDecided
        self.session.refresh(interest)

    def write(self, author: User, interest: Interest, body: str) -> InterestMessage:
        """Messages only once the interest is accepted: before that, contacts stay private."""
        if not can_read(author, interest) or interest.status != InterestStatus.ACCEPTED:
            raise NotAllowed
        message = InterestMessage(interest=interest, author_id=author.id, body=body)
        self.session.add(message)
        self.session.flush()
        return message

    def set_outcome(self, actor: User, interest: Interest, outcome: Outcome | None) -> None:
        if not can_read(actor, interest) or interest.status != InterestStatus.ACCEPTED:
            raise NotAllowed
        interest.outcome = outcome

    def block(self, actor: User, interest: Interest) -> None:
        """The listing's institution stops hearing from the sender's institution."""
        if not is_listing_side(actor, interest):
            raise NotAllowed
        if not self._blocked(interest.listing.institution_id, interest.institution_id):
            self.session.add(InstitutionBlock(institution_id=interest.listing.institution_id,
                                              blocked_id=interest.institution_id))
        if interest.status == InterestStatus.PENDING:
            self.decide(actor, interest, accept=False, reason=DeclineReason.OTHER)
        self.session.flush()

    def _blocked(self, institution_id: int, other_id: int | None) -> bool:
        return self.session.scalar(select(InstitutionBlock.id).where(
            InstitutionBlock.institution_id == institution_id, InstitutionBlock.blocked_id == other_id)) is not None

    # reading
    def received(self, institution_id: int) -> list[Interest]:
        return list(self.session.scalars(select(Interest).join(Listing, Listing.id == Interest.listing_id)
                                         .where(Listing.institution_id == institution_id)
                                         .order_by(Interest.created_at.desc())))

    def sent(self, institution_id: int) -> list[Interest]:
        return list(self.session.scalars(select(Interest).where(Interest.institution_id == institution_id)
                                         .order_by(Interest.created_at.desc())))
