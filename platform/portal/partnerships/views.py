"""The projects' pages: the public list with its facets, a project's page, the partners'
forms (propose, edit, translate, confirm, decline, progress) and the downloads; and the
sections this feature adds to other pages (an institution's profile, an accepted interest's
conversation, the home page)."""

from __future__ import annotations

import csv
import io
import json

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup
from flask_login import current_user, login_required
from sqlalchemy import select

from portal.cache import shared
from portal.extensions import db
from portal.i18n.routing import current_language
from portal.institutions.models import Institution
from portal.interests.models import Interest, InterestStatus
from portal.interests.services import can_read
from portal.listings.models import ListingStatus
from portal.partnerships import queries, rules
from portal.partnerships.blueprint import bp
from portal.partnerships.forms import DeclineForm, ProgressForm, ProjectForm, ProjectTextForm
from portal.partnerships.models import FIGURE_LABELS, FIGURES, Project, ProjectAction, ProjectEvent, ProjectStatus, Stage
from portal.partnerships.notices import tell_partners
from portal.partnerships.pages import FACET_ARGS, ProjectVocabulary, pair_label, project_data, selected_facets
from portal.partnerships.services import (
    InvalidProposal,
    NotAllowed,
    ProjectService,
    acting_institution_id,
    can_propose,
    can_propose_from,
    can_review,
    can_view,
    is_partner_member,
)
from portal.taxonomy.models import Center, Topic
from portal.web.navigation import get_or_404
from portal.web.pagination import Page, page_number
from portal.web.security import csrf_checked_by_form
from portal.web.sections import section

PER_PAGE = 20
DOWNLOAD_LIMIT = 10_000


# The public side.

@bp.route("/")
def browse():
    language = current_language()
    vocabulary = ProjectVocabulary(language)
    selected, _problems = selected_facets(request.args.to_dict(flat=False), vocabulary)
    q = request.args.get("q", "")[:queries.MAX_QUERY_CHARS].replace("\x00", "")
    number = page_number()
    found = queries.find_projects(db.session, q, selected, (number - 1) * PER_PAGE, PER_PAGE)
    page = Page.of(number, PER_PAGE, found.total)
    if page.number != number:
        found = queries.find_projects(db.session, q, selected, page.offset, PER_PAGE)
    args = {arg: selected[facet] for arg, facet in FACET_ARGS.items() if selected[facet]}
    if q:
        args["q"] = [q]
    return render_template("partnerships/browse.html", found=found, q=q, selected=selected, vocabulary=vocabulary,
                           page=page, args=args, facet_args=FACET_ARGS, can_propose=can_propose(current_user))


@bp.route("/<int:project_id>")
def detail(project_id: int):
    project = get_or_404(Project, project_id)
    if not can_view(current_user, project):
        abort(404)  # unconfirmed or unapproved: not even its existence is public
    requested = request.args.get("version")
    language = requested if requested in project.languages else current_language()
    content = project.content_for(language)
    partner = is_partner_member(current_user, project)
    history = db.session.scalars(select(ProjectEvent).where(ProjectEvent.project_id == project.id)
                                 .order_by(ProjectEvent.at, ProjectEvent.id)).all()
    stage_history = [event for event in history if event.action in (ProjectAction.PROPOSED,
                                                                     ProjectAction.STAGE_CHANGED)]
    own = project.partner_for(acting_institution_id(current_user))
    return render_template(
        "partnerships/detail.html", project=project, content=content, shown_language=content.language,
        partner=partner, own=own, history=history if partner or can_review(current_user, project) else [],
        stage_history=stage_history, origin=_origin(project, partner),
        progress_form=ProgressForm(obj=project, stage=project.stage.value) if partner and project.is_public() else None,
        decline_form=DeclineForm(), can_edit=partner and project.status.value in rules.EDITABLE)


def _origin(project: Project, partner: bool) -> dict | None:
    """The listing and interest a project grew from, when the partners agreed to show them
    (their own members always see them)."""
    interest = project.interest
    if interest is None or not (project.show_origin or partner):
        return None
    listing = interest.listing
    visible = listing.status in (ListingStatus.PUBLISHED, ListingStatus.EXPIRED)
    return {"interest": interest, "listing": listing if visible or partner else None,
            "thread": partner and can_read(current_user, interest)}


# The partners' side.

def _form(project: Project | None = None, interest: Interest | None = None) -> ProjectForm:
    own = acting_institution_id(current_user)
    centers = list(db.session.scalars(select(Center).order_by(Center.position)))
    topics = list(db.session.scalars(select(Topic).order_by(Topic.slug)))
    institutions = [(row.id, row.name, row.country) for row in db.session.execute(
        select(Institution.id, Institution.name, Institution.country).where(Institution.id != own)
        .order_by(Institution.name))]
    form = ProjectForm(centers=centers, topics=topics, institutions=institutions)
    if request.method == "GET":
        if project is not None:
            form.fill_from(project, own, current_language())
        elif interest is not None:
            listing = interest.listing
            other = interest.institution_id if own == listing.institution_id else listing.institution_id
            form.center.data, form.kind.data = str(listing.center_id), listing.kind.value
            form.topics.data = [topic.id for topic in listing.topics]
            form.partners.data = [other]
            form.stage.data = Stage.TALKS.value
            form.show_origin.data = True
    return form


def _problem_message(problem: str) -> str:
    return {"partners": _("Choose at least one partner institution besides your own (at most eleven)."),
            "order": _("The end date cannot be before the start date."),
            "start": _("Enter a date."), "title": _("Enter a title.")}.get(problem, _("Please correct the fields marked below."))


@bp.route("/new", methods=["GET", "POST"])
@login_required
@csrf_checked_by_form
def new():
    interest = None
    if request.args.get("interest", "").isdigit():
        interest = get_or_404(Interest, int(request.args["interest"]))
        if not can_read(current_user, interest):
            abort(404)
        if not can_propose_from(current_user, interest):
            abort(403)
    elif not can_propose(current_user):
        if acting_institution_id(current_user) is None:
            flash(_("Join or register your institution to record its partnerships."), "info")
            return redirect(url_for("institutions.mine"))
        abort(403)
    form = _form(interest=interest)
    if form.validate_on_submit():
        try:
            project = ProjectService(db.session).propose(current_user, form.draft(), interest)
        except InvalidProposal as invalid:
            form.form_errors.append(_problem_message(invalid.problem))
        except NotAllowed:
            abort(403)
        else:
            tell_partners(project, "proposed", actor=current_user, confirmed=False)
            flash(_("The project has been sent to the partner institutions. It is published once every partner "
                    "has confirmed it and a moderator has approved it."), "success")
            return redirect(url_for("partnerships.detail", project_id=project.id))
    return render_template("partnerships/edit.html", form=form, project=None, interest=interest)


def _partner_project(project_id: int) -> Project:
    """The project, if the reader is a member of a partner institution: 404 for anyone else
    who may not see it, 403 for those who may see it (the public, moderators) but not act."""
    project = get_or_404(Project, project_id)
    if not is_partner_member(current_user, project):
        abort(403 if can_view(current_user, project) else 404)
    return project


@bp.route("/<int:project_id>/edit", methods=["GET", "POST"])
@login_required
@csrf_checked_by_form
def edit(project_id: int):
    project = _partner_project(project_id)
    if project.status.value not in rules.EDITABLE:
        flash(_("This project cannot be changed in its current state."), "error")
        return redirect(url_for("partnerships.detail", project_id=project.id))
    form = _form(project=project)
    if form.validate_on_submit():
        try:
            ProjectService(db.session).edit(current_user, project, form.draft())
        except InvalidProposal as invalid:
            form.form_errors.append(_problem_message(invalid.problem))
        except NotAllowed:
            abort(403)
        else:
            tell_partners(project, "edited", actor=current_user, confirmed=False)
            flash(_("Saved. The other partners are asked to confirm the project again."), "success")
            return redirect(url_for("partnerships.detail", project_id=project.id))
    return render_template("partnerships/edit.html", form=form, project=project, interest=project.interest)


@bp.route("/<int:project_id>/translations/<lang:language>", methods=["GET", "POST"])
@login_required
@csrf_checked_by_form
def translate(project_id: int, language: str):
    project = _partner_project(project_id)
    if project.status.value not in rules.EDITABLE:
        flash(_("This project cannot be changed in its current state."), "error")
        return redirect(url_for("partnerships.detail", project_id=project.id))
    existing = project.translation(language)
    form = ProjectTextForm(obj=existing)
    if form.validate_on_submit():
        ProjectService(db.session).set_translation(current_user, project, language, form.title.data.strip(),
                                                   form.description.data.strip())
        tell_partners(project, "edited", actor=current_user, confirmed=False)
        flash(_("The translation has been saved."), "success")
        return redirect(url_for("partnerships.detail", project_id=project.id, version=language))
    return render_template("partnerships/translate.html", form=form, project=project, language=language,
                           original=project.original)


@bp.route("/<int:project_id>/confirm", methods=["POST"])
@login_required
def confirm(project_id: int):
    project = _partner_project(project_id)
    try:
        submitted = ProjectService(db.session).confirm(current_user, project)
    except NotAllowed:
        flash(_("This project cannot be changed in its current state."), "error")
        return redirect(url_for("partnerships.detail", project_id=project.id))
    if submitted:
        tell_partners(project, "submitted", actor=current_user)
        flash(_("Confirmed. Every partner has now confirmed: a moderator will review the project."), "success")
    else:
        flash(_("Confirmed. The project waits for the other partners."), "success")
    return redirect(url_for("partnerships.detail", project_id=project.id))


@bp.route("/<int:project_id>/decline", methods=["POST"])
@login_required
@csrf_checked_by_form
def decline(project_id: int):
    project = _partner_project(project_id)
    form = DeclineForm()
    if not form.validate_on_submit():
        flash(_("This form has expired. Please check what you entered and send it again."), "error")
        return redirect(url_for("partnerships.detail", project_id=project.id))
    try:
        ProjectService(db.session).decline(current_user, project, (form.message.data or "").strip())
    except NotAllowed:
        flash(_("This project cannot be changed in its current state."), "error")
        return redirect(url_for("partnerships.detail", project_id=project.id))
    tell_partners(project, "declined", actor=current_user)
    flash(_("Your institution is no longer a partner in this project."), "success")
    return redirect(url_for("partnerships.mine"))


@bp.route("/<int:project_id>/progress", methods=["POST"])
@login_required
@csrf_checked_by_form
def progress(project_id: int):
    project = _partner_project(project_id)
    form = ProgressForm()
    if not form.validate_on_submit() or form.stage.data not in Stage._value2member_map_:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(url_for("partnerships.detail", project_id=project.id))
    try:
        changed = ProjectService(db.session).set_progress(current_user, project, Stage(form.stage.data),
                                                          form.ends_on.data, form.figure_values())
    except InvalidProposal:
        flash(_("The end date cannot be before the start date."), "error")
        return redirect(url_for("partnerships.detail", project_id=project.id))
    except NotAllowed:
        flash(_("This project cannot be changed in its current state."), "error")
        return redirect(url_for("partnerships.detail", project_id=project.id))
    flash(_("Saved.") if changed else _("Nothing has changed."), "success")
    return redirect(url_for("partnerships.detail", project_id=project.id))


@bp.route("/mine")
@login_required
def mine():
    institution_id = acting_institution_id(current_user)
    if institution_id is None:
        return redirect(url_for("institutions.mine"))
    projects = queries.projects_of(db.session, institution_id)
    waiting = [p for p in projects if p.status == ProjectStatus.AWAITING_PARTNERS
               and (own := p.partner_for(institution_id)) is not None and not own.confirmed]
    return render_template("partnerships/mine.html", projects=projects, waiting=waiting,
                           institution_id=institution_id, can_propose=can_propose(current_user))


# Downloads: published projects only, without contact data.

def _download_rows(language: str) -> list[dict]:
    projects = db.session.scalars(queries.newest_first(queries.public_projects()).limit(DOWNLOAD_LIMIT))
    return [project_data(project, language) for project in projects]


@bp.route("/projects.json")
def download_json():
    language = current_language()
    body = json.dumps({"language": language, "items": _download_rows(language)}, ensure_ascii=False,
                      default=str, indent=1)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": "attachment; filename=projects.json"})


CSV_COLUMNS = ("id", "url", "language", "title", "description", "center", "kind", "stage", "origin", "partners",
               "partner_countries", "country_pairs", "topics", "starts_on", "ends_on", *FIGURES, "published_at")


@bp.route("/projects.csv")
def download_csv():
    language = current_language()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in _download_rows(language):
        writer.writerow([
            row["id"], row["url"], row["language"], row["title"], row["description"], row["center"]["label"],
            row["kind"]["label"], row["stage"]["label"], row["origin"]["label"],
            "; ".join(partner["name"] for partner in row["partners"]),
            "; ".join(partner["country"] for partner in row["partners"]),
            "; ".join(pair["value"] for pair in row["country_pairs"]),
            "; ".join(topic["slug"] for topic in row["topics"]),
            row["starts_on"] or "", row["ends_on"] or "", *[row["figures"][name] if row["figures"][name] is not None
                                                           else "" for name in FIGURES],
            row["published_at"].isoformat() if row["published_at"] else ""])
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=projects.csv"})


# Sections of other features' pages.

@section("institution", "partnerships/_institution_section.html", order=20)
def institution_projects_section(institution: Institution, **_facts: object) -> dict:
    """An institution's page shows the published projects it is a partner in."""
    return {"projects": queries.public_projects_of(db.session, institution.id), "institution": institution}


@section("interest", "partnerships/_interest_section.html", order=5)
def interest_projects_section(interest: Interest, **_facts: object) -> dict | None:
    """On an accepted interest's conversation: record the partnership, or the projects recorded."""
    if interest.status != InterestStatus.ACCEPTED:
        return None
    return {"interest": interest, "projects": queries.projects_of_interest(db.session, interest.id),
            "can_propose": can_propose_from(current_user, interest)}


#: The home page is the busiest: its newest projects are rendered once a minute per language
#: for every process (the shared cache), not loaded on each view.
HOME_SECTION_SECONDS = 60


@section("home", "partnerships/_home_section.html", order=30)
def home_projects_section(language: str, **_facts: object) -> dict | None:
    """The newest published partnership projects, for the home page."""
    def render() -> str:
        projects = queries.latest_public(db.session, limit=3)
        return render_template("partnerships/_home_cards.html", projects=projects) if projects else ""
    cards = shared(f"home:projects:{language}", HOME_SECTION_SECONDS, render)
    return {"cards": Markup(cards)} if cards else None


@bp.app_template_global()
def project_card_content(project: Project):  # noqa: ANN201
    return project.content_for(current_language())


@bp.app_template_global()
def figure_label(name: str) -> str:
    return str(FIGURE_LABELS[name])


@bp.app_template_global()
def project_country_pairs(project: Project) -> list[str]:
    language = current_language()
    return [pair_label(pair, language) for pair in rules.country_pairs(p.institution.country for p in project.partners)]

