"""Browse, search and read listings."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user
from sqlalchemy import select

from portal.extensions import db
from portal.i18n.languages import LANGUAGES, country_name, is_country_code, language_name
from portal.i18n.routing import current_language
from portal.listings.blueprint import bp
from portal.listings.finder import find_listings
from portal.listings.lifecycle import Action, allowed_actions, edits_are_reviewed
from portal.listings.models import Direction, Listing, ListingKind
from portal.listings.permissions import can_view_listing
from portal.listings.queries import related_public
from portal.listings.search_params import SORTS, SearchParams, parse_params
from portal.subjects.services import current_thesaurus
from portal.taxonomy.models import Center, Topic
from portal.web.navigation import get_or_404
from portal.web.pagination import Page

PER_PAGE = 20


class SearchVocabulary:
    """Which facet values exist, and their labels in the page's language."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.centers = {c.slug: c for c in db.session.scalars(select(Center).order_by(Center.position))}
        self.topics = {t.slug: t for t in db.session.scalars(select(Topic).order_by(Topic.slug))}
        self.thesaurus = current_thesaurus(db.session)

    def allowed(self) -> dict:
        return {
            "centers": self.centers.__contains__,
            "kinds": lambda v: v in ListingKind._value2member_map_,
            "directions": lambda v: v in Direction._value2member_map_,
            "countries": is_country_code,
            "topics": self.topics.__contains__,
            "languages": lambda v: v in LANGUAGES,
            "subjects": self.thesaurus.__contains__,
        }

    def label(self, facet: str, value: str) -> str:
        if facet == "centers":
            return self.centers[value].label(self.language)
        if facet == "kinds":
            return ListingKind(value).label
        if facet == "directions":
            return Direction(value).label
        if facet == "countries":
            return country_name(value, self.language)
        if facet == "topics":
            return self.topics[value].label(self.language)
        if facet == "languages":
            return language_name(value, self.language)
        if facet == "trl":
            return trl_label(int(value))
        if facet == "subjects":
            return self.thesaurus.label(value, self.language)
        return value


def search_params(vocabulary: SearchVocabulary, **defaults) -> SearchParams:  # noqa: ANN003
    args = request.args.to_dict(flat=False)
    for key, value in defaults.items():
        args.setdefault(key, [value])
    return parse_params(args, allowed=vocabulary.allowed(), per_page=PER_PAGE)


@bp.route("/")
def browse():
    vocabulary = SearchVocabulary(current_language())
    params = search_params(vocabulary)
    outcome = find_listings(db.session, params)
    return render_template("listings/browse.html", outcome=outcome, params=params, vocabulary=vocabulary,
                           page=Page.of(params.page, params.per_page, outcome.total), sorts=SORTS)


@bp.route("/<int:listing_id>")
def detail(listing_id: int):
    listing = get_or_404(Listing, listing_id)
    if not can_view_listing(current_user, listing):
        abort(404)  # not 403: an unpublished listing's existence is private too
    return render_detail(listing)


def render_detail(listing: Listing, interest_form=None) -> str:  # noqa: ANN001
    """The listing page; ``interest_form`` carries a rejected expression of interest back."""
    from portal.matching.labels import describe
    from portal.matching.store import suggested_partners
    from portal.moderation.forms import ReportForm
    from portal.moderation.services import open_revision

    requested = request.args.get("version")
    language = requested if requested in listing.languages else current_language()
    content = listing.content_for(language)
    related = related_public(db.session, listing) if listing.is_public() else []
    actions = allowed_actions(current_user, listing)
    manages = Action.MANAGE in actions
    partners = suggested_partners(db.session, listing) if manages and listing.is_public() else []
    return render_template("listings/detail.html", listing=listing, content=content,
                           shown_language=content.language, actions=actions,
                           partners=partners, describe=describe,
                           interest_form=interest_form or _interest_form(actions),
                           pending_revision=open_revision(db.session, listing.id) if manages else None,
                           report_form=ReportForm() if Action.REPORT in actions else None,
                           related=related)


@bp.app_template_global()
def listing_actions(listing: Listing) -> frozenset[Action]:
    """What the current user may do with ``listing`` now: the buttons a page shows."""
    return allowed_actions(current_user, listing)


@bp.app_template_global()
def listing_edits_reviewed(listing: Listing) -> bool:
    return edits_are_reviewed(listing)


@bp.app_template_global()
def listing_card_content(listing: Listing):  # noqa: ANN201
    return listing.content_for(current_language())


@bp.app_template_global()
def trl_label(level: int) -> str:
    from portal.listings.forms import TRL_LABELS

    return str(TRL_LABELS.get(level, level))


@bp.app_template_global()
def partner_role_labels(values: list[str]) -> str:
    from portal.listings.models import PARTNER_ROLE_LABELS, PartnerRole

    return ", ".join(str(PARTNER_ROLE_LABELS[PartnerRole(v)]) for v in values if v in PartnerRole._value2member_map_)


def _interest_form(actions: frozenset[Action]):  # noqa: ANN202
    from portal.interests.forms import InterestForm

    return InterestForm() if Action.EXPRESS_INTEREST in actions else None
