"""The conversation page of an expression of interest, for the interests' views and for others
that answer on it (moderation's report box)."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user

from portal.extensions import db
from portal.institutions.services import spokespeople
from portal.interests.forms import DecisionForm, MessageForm, OutcomeForm
from portal.interests.models import Interest, InterestStatus
from portal.interests.services import can_read, is_listing_side
from portal.users.models import User
from portal.web.navigation import get_or_404
from portal.web.sections import sections


def people(institution_id: int, involved: User | None = None) -> list[User]:
    return spokespeople(db.session, institution_id, involved)



def readable(interest_id: int) -> Interest:
    """The interest, if the reader may read it (404 otherwise)."""
    interest = get_or_404(Interest, interest_id)
    if not can_read(current_user, interest):
        abort(404)  # someone else's conversation: not even its existence is shown
    return interest


def render_thread(interest: Interest, **answers: object) -> str:
    """The conversation about one expression of interest; ``answers`` go to its sections (a
    rejected report comes back with what was typed)."""
    accepted = interest.status == InterestStatus.ACCEPTED
    listing_side = is_listing_side(current_user, interest)
    return render_template(
        "interests/thread.html", interest=interest, listing_side=listing_side,
        decision_form=DecisionForm(), message_form=MessageForm(),
        outcome_form=OutcomeForm(outcome=interest.outcome.value if interest.outcome else ""),
        contacts={"listing": people(interest.listing.institution_id, interest.listing.author),
                  "sender": people(interest.institution_id, interest.sender)} if accepted else None,
        page_sections=sections("interest", interest=interest, listing_side=listing_side, **answers))
