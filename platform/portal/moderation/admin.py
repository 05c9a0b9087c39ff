"""The decision log, the dashboard and moderator scopes."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.users.models import User, normalize_email
from portal.users.roles import grant_moderation, revoke_moderation
from portal.database import utcnow
from portal.extensions import db
from portal.i18n.forms import options
from portal.i18n.routing import current_language
from portal.listings.models import Listing
from portal.moderation.blueprint import admin_only, bp, moderator_required
from portal.moderation.forms import ModeratorScopeForm
from portal.moderation.models import Action, ListingEvent
from portal.moderation.queue import counts_per_center
from portal.moderation.services import moderated_center_ids
from portal.moderation.statistics import dashboard as dashboard_figures
from portal.taxonomy.models import Center
from portal.web.pagination import Page, page_number
from portal.web.security import csrf_checked_by_form

PER_PAGE = 50


def _day(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@bp.route("/log")
@admin_only
def log():
    args = request.args
    query = select(ListingEvent).join(Listing, Listing.id == ListingEvent.listing_id)
    action = args.get("action", "")
    if action in Action._value2member_map_:
        query = query.where(ListingEvent.action == Action(action))
    center = args.get("center", "")[:64]
    if center:
        query = query.where(Listing.center_id.in_(select(Center.id).where(Center.slug == center)))
    moderator = args.get("moderator", "").strip()
    if moderator:
        query = query.where(ListingEvent.actor_id.in_(select(User.id).where(User.email == normalize_email(moderator))))
    start, end = _day(args.get("from")), _day(args.get("to"))
    if start:
        query = query.where(ListingEvent.at >= datetime.combine(start, time.min, tzinfo=utcnow().tzinfo))
    if end:
        query = query.where(ListingEvent.at < datetime.combine(end + timedelta(days=1), time.min, tzinfo=utcnow().tzinfo))
    total = len(db.session.scalars(query.with_only_columns(ListingEvent.id)).all())
    page = Page.of(page_number(), PER_PAGE, total)
    events = db.session.scalars(query.order_by(ListingEvent.at.desc(), ListingEvent.id.desc())
                                .offset(page.offset).limit(PER_PAGE)).all()
    return render_template("moderation/log.html", events=events, page=page, actions=list(Action),
                           centers=db.session.scalars(select(Center).order_by(Center.position)).all(),
                           args=args)


@bp.route("/dashboard")
@moderator_required
def dashboard():
    ids = moderated_center_ids(current_user)
    centers = db.session.scalars(select(Center).order_by(Center.position)).all()
    counts = counts_per_center(db.session, ids)
    figures = dashboard_figures(db.session, utcnow(), ids)
    biggest = max([1, *figures.decisions_by_type.values()])
    return render_template("moderation/dashboard.html", figures=figures, biggest=biggest,
                           queue=[(c, counts.get(c.id, 0)) for c in centers if ids is None or c.id in ids])


@bp.route("/moderators", methods=["GET", "POST"])
@admin_only
@csrf_checked_by_form
def moderators():
    centers = db.session.scalars(select(Center).order_by(Center.position)).all()
    form = ModeratorScopeForm()
    form.centers.choices = options((c.slug, c.label(_page_language())) for c in centers)
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.email == normalize_email(form.email.data)))
        if user is None:
            form.email.errors.append(_("No account uses this email address."))
        else:
            chosen = [c for c in centers if c.slug in form.centers.data]
            if form.revoke.data:
                revoke_moderation(user, chosen)
            else:
                grant_moderation(user, chosen)
            flash(_("Moderation rights of %(name)s have been updated.", name=user.display_name), "success")
            return redirect(url_for("moderation.moderators"))
    team = db.session.scalars(select(User).where(User.moderated_centers.any()).order_by(User.display_name)).all()
    return render_template("moderation/moderators.html", form=form, team=team)


def _page_language() -> str:
    return current_language()
