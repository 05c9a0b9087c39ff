"""Where a moderator goes after a decision: the oldest item still waiting."""

from __future__ import annotations

from flask import url_for
from flask_login import current_user

from portal.extensions import db
from portal.moderation.queue import project_queue, queue
from portal.moderation.services import moderated_center_ids


def next_item_url(after_listing_id: int | None = None, after_project_id: int | None = None) -> str:
    """The oldest waiting item but the one just decided: a listing, else a project."""
    for item in queue(db.session, moderated_center_ids(current_user)):
        if item.listing.id != after_listing_id:
            args = {"revision": item.revision.id} if item.revision else {}
            return url_for("moderation.review", listing_id=item.listing.id, **args)
    for project_item in project_queue(db.session, moderated_center_ids(current_user)):
        if project_item.project.id != after_project_id:
            return url_for("moderation.review_project", project_id=project_item.project.id)
    return url_for("moderation.queue_page")
