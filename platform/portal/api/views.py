from __future__ import annotations

from flask import Blueprint, Response, abort, g, jsonify, request, url_for
from flask_babel import force_locale
from sqlalchemy import select
from werkzeug.exceptions import BadRequest

from portal.api.openapi import DEFAULT_PER_PAGE, MAX_PER_PAGE, openapi_document
from portal.api.schemas import ProjectPageSchema, ProjectSchema
from portal.api.serializers import center_json, listing_json, topic_json, vocabulary_json
from portal.extensions import db
from portal.i18n.languages import DEFAULT_LANGUAGE, LANGUAGES
from portal.search.finder import find_listings
from portal.listings.models import Listing
from portal.partnerships.models import Project
from portal.partnerships.pages import ProjectVocabulary, project_data, selected_facets
from portal.partnerships.queries import find_projects
from portal.search.search_params import MAX_PAGE, MAX_QUERY_CHARS, bounded_int, parse_params
from portal.search.vocabulary import SearchVocabulary, current_search
from portal.statistics import open_data
from portal.statistics.figures import figures_for
from portal.subjects.services import subjects_of, subjects_of_many
from portal.taxonomy.models import Center, Topic
from portal.web.navigation import get_or_404
from portal.cache.pages import shared_page

bp = Blueprint("api", __name__)


@bp.before_request
def choose_language() -> None:
    """Labels come in ``?lang=`` (one of the portal's languages), else English."""
    language = request.args.get("lang", DEFAULT_LANGUAGE)
    if language not in LANGUAGES:
        raise _bad_request(f"lang must be one of: {', '.join(LANGUAGES)}")
    g.lang_code = language


@bp.after_request
def allow_cross_origin_reads(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


def _bad_request(message: str) -> BadRequest:
    error = BadRequest()
    error.portal_message = message
    return error


# Query-string names of the facets, and the SearchVocabulary predicate each one's values pass.
_FACET_ARGS = {"center": "centers", "kind": "kinds", "direction": "directions", "country": "countries",
               "topic": "topics", "language": "languages", "subject": "subjects"}


def _strict_problems(vocabulary: SearchVocabulary) -> list[str]:
    """The API takes values exactly as /openapi.json lists them (the page forgives case and spaces)."""
    allowed, problems = vocabulary.allowed(), []
    for arg, facet in _FACET_ARGS.items():
        for value in request.args.getlist(arg):
            if not allowed[facet](value):
                problems.append(f"unknown {arg} {value[:40]!r}")
    if len(request.args.get("q", "")) > MAX_QUERY_CHARS:
        problems.append(f"q must be at most {MAX_QUERY_CHARS} characters")
    return problems


@bp.route("/listings")
@shared_page
def list_listings():
    language = g.lang_code
    index, vocabulary = current_search(language)
    params = parse_params(request.args.to_dict(flat=False), allowed=vocabulary.allowed(),
                          per_page=DEFAULT_PER_PAGE, max_per_page=MAX_PER_PAGE)
    problems = list(dict.fromkeys([*_strict_problems(vocabulary), *params.problems]))
    if problems:
        raise _bad_request("; ".join(problems))
    outcome = find_listings(db.session, params, with_topics=True, index=index)
    subjects = subjects_of_many(db.session, [listing.id for listing in outcome.listings], language, limit=50)
    with force_locale(language):
        return jsonify({
            "query": {"q": params.q, "terms": outcome.terms, "sort": params.sort, "lang": language,
                      "subjects": list(outcome.query_subjects)},
            "total": outcome.total, "page": params.page, "per_page": params.per_page,
            "pages": max(1, -(-outcome.total // params.per_page)),
            "items": [listing_json(listing, language, full=False, subjects=subjects.get(listing.id, []),
                                   found_through=outcome.via_subjects.get(listing.id, ()),
                                   found_through_machine=listing.id in outcome.via_machine)
                      for listing in outcome.listings],
            "facets": {name: [{"value": value, "label": vocabulary.label(name, value), "count": count}
                              for value, count in counts] for name, counts in outcome.facets.items()},
        })


@bp.route("/listings/<int:listing_id>")
@shared_page
def get_listing(listing_id: int):
    listing = get_or_404(Listing, listing_id)
    if not listing.is_public():
        abort(404)
    with force_locale(g.lang_code):
        return jsonify(listing_json(listing, g.lang_code, full=True,
                                    subjects=subjects_of(db.session, listing.id, g.lang_code)))


@bp.route("/centers")
def list_centers():
    centers = db.session.scalars(select(Center).order_by(Center.position))
    return jsonify({"items": [center_json(center, g.lang_code) for center in centers]})


@bp.route("/taxonomy")
def taxonomy():
    language = g.lang_code
    topics = db.session.scalars(select(Topic).order_by(Topic.slug))
    with force_locale(language):
        return jsonify({"topics": [topic_json(topic, language) for topic in topics], **vocabulary_json(language)})


@bp.route("/statistics")
def statistics():
    slug = request.args.get("center")
    center = None
    if slug is not None:
        center = db.session.scalar(select(Center).where(Center.slug == slug))
        if center is None:
            raise _bad_request(f"unknown center {slug[:40]!r}")
    figures = figures_for(db.session, center.id if center else None, center.slug if center else "all")
    with force_locale(g.lang_code):
        return jsonify(open_data.payload(figures, center.slug if center else None))


@bp.route("/openapi.json")
def openapi():
    vocabulary = SearchVocabulary(DEFAULT_LANGUAGE)
    server = url_for("api.openapi", _external=True).removesuffix("/openapi.json")
    return jsonify(openapi_document(server, centers=list(vocabulary.centers), topics=list(vocabulary.topics),
                                    subjects=list(vocabulary.thesaurus.concepts)))


# Partnership projects: published ones only, institutions but never a person's contact.

@bp.route("/projects")
def list_projects():
    language = g.lang_code
    vocabulary = ProjectVocabulary(language)
    args = request.args.to_dict(flat=False)
    selected, problems = selected_facets(args, vocabulary, strict=True)
    q = request.args.get("q", "")
    if len(q) > MAX_QUERY_CHARS:
        problems.append(f"q must be at most {MAX_QUERY_CHARS} characters")
    if "\x00" in q:
        problems.append("q must not contain NUL")
    page = bounded_int(request.args.get("page"), 1, MAX_PAGE, "page", problems) or 1
    per_page = bounded_int(request.args.get("per_page"), 1, MAX_PER_PAGE, "per_page", problems) or DEFAULT_PER_PAGE
    if problems:
        raise _bad_request("; ".join(dict.fromkeys(problems)))
    found = find_projects(db.session, q, selected, (page - 1) * per_page, per_page)
    with force_locale(language):
        return jsonify(ProjectPageSchema().dump({
            "query": {"q": q, "lang": language},
            "total": found.total, "page": page, "per_page": per_page,
            "pages": max(1, -(-found.total // per_page)),
            "items": [project_data(project, language) for project in found.projects],
            "facets": {name: [{"value": value, "label": vocabulary.label(name, value), "count": count}
                              for value, count in counts] for name, counts in found.facets.items()},
        }))


@bp.route("/projects/<int:project_id>")
def get_project(project_id: int):
    project = get_or_404(Project, project_id)
    if not project.is_public():
        abort(404)  # unconfirmed or unapproved: as if it did not exist
    with force_locale(g.lang_code):
        return jsonify(ProjectSchema().dump(project_data(project, g.lang_code)))
