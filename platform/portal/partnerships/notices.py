"""Telling the partner institutions what happened to their project, by email in each
recipient's language (through the outbox, in the request's transaction)."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l

from portal.extensions import db
from portal.institutions.services import spokespeople
from portal.mail.service import send_to_user
from portal.partnerships.models import Project, ProjectEvent
from portal.users.models import User

SUBJECTS = {
    "proposed": _l("Please confirm a partnership project"),
    "edited": _l("A partnership project was changed: please confirm it again"),
    "submitted": _l("Every partner confirmed your project: it is with the moderators"),
    "declined": _l("A partner left your partnership project"),
    "approved": _l("Your partnership project is published"),
    "changes_requested": _l("Changes requested for your partnership project"),
    "rejected": _l("Your partnership project was not accepted"),
}


def tell_partners(project: Project, what: str, *, actor: User | None = None, confirmed: bool | None = None,
                  event: ProjectEvent | None = None) -> int:
    """Email the people of each partner institution (the administrators, or the member who
    proposed) but the actor. ``confirmed``: only partners that have (True) or have not (False)
    confirmed yet. Returns how many emails were written."""
    sent = 0
    for partner in project.partners:
        if confirmed is not None and partner.confirmed is not confirmed:
            continue
        involved = project.proposed_by if project.proposed_by and \
            project.proposed_by.institution_id == partner.institution_id else None
        for user in spokespeople(db.session, partner.institution_id, involved):
            if actor is not None and user.id == actor.id:
                continue
            send_to_user(db.session, user, "partnership_notice", SUBJECTS[what], what=what, project=project,
                         event=event, actor=actor, title=project.content_for(user.preferred_language).title,
                         link=url_for("partnerships.detail", project_id=project.id,
                                      lang_code=user.preferred_language, _external=True))
            sent += 1
    return sent
