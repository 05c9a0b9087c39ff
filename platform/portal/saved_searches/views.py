"""Saving a search from the search page, and managing saved searches."""

from __future__ import annotations

from urllib.parse import parse_qs

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.extensions import db
from portal.i18n.routing import current_language
from portal.search.search_params import MAX_QUERY_CHARS, parse_params
from portal.search.vocabulary import SearchVocabulary
from portal.saved_searches import services
from portal.saved_searches.forms import AlertForm, SaveSearchForm
from portal.saved_searches.models import Alert, SavedSearch
from portal.web.security import csrf_checked_by_form

bp = Blueprint("saved_searches", __name__, template_folder="templates")


def describe_search(query: str, vocabulary: SearchVocabulary) -> str:
    """The search in words: its text and the labels of its filters."""
    params = parse_params(parse_qs(query), allowed=vocabulary.allowed())
    parts = [_("“%(query)s”", query=params.q)] if params.q else []
    for facet in ("centers", "kinds", "directions", "countries", "topics", "languages"):
        parts += [vocabulary.label(facet, value) for value in getattr(params, facet)]
    if params.trl_min is not None or params.trl_max is not None:
        parts.append(_("TRL %(low)s–%(high)s", low=params.trl_min or 1, high=params.trl_max or 9))
    return " · ".join(parts) or _("All listings")


def _clean_query(raw: str, vocabulary: SearchVocabulary) -> str:
    params = parse_params(parse_qs(raw[: MAX_QUERY_CHARS * 20]), allowed=vocabulary.allowed())
    return services.canonical_query(params.with_page(1).to_args())


@bp.route("/new", methods=["GET", "POST"])
@login_required
@csrf_checked_by_form
def new():
    form = SaveSearchForm()
    vocabulary = SearchVocabulary(current_language())
    raw = request.query_string.decode("utf-8", "replace") if request.method == "GET" else form.query.data or ""
    query = form.query.data = _clean_query(raw, vocabulary)
    description = describe_search(query, vocabulary)
    if form.validate_on_submit():
        try:
            services.save(db.session, current_user.id, (form.name.data or "").strip() or description[:120], query,
                          Alert(form.alert.data))
        except services.TooManySaved:
            form.name.errors.append(_("You can keep up to %(num)s saved searches. Remove one first.",
                                      num=services.MAX_PER_USER))
        else:
            flash(_("Your search has been saved."), "success")
            return redirect(url_for("saved_searches.mine"))
    return render_template("saved_searches/new.html", form=form, description=description, query=query)


@bp.route("/")
@login_required
def mine():
    searches = services.of_user(db.session, current_user.id)
    vocabulary = SearchVocabulary(current_language())
    return render_template("saved_searches/mine.html", searches=searches,
                           descriptions={s.id: describe_search(s.query, vocabulary) for s in searches},
                           alert_forms={s.id: _alert_form(s.id, alert=s.alert.value) for s in searches})


def _alert_form(saved_search_id: int, **data) -> AlertForm:  # noqa: ANN003
    # The page holds one form per search; the app checks the CSRF token before the view runs.
    return AlertForm(prefix=f"s{saved_search_id}", meta={"csrf": False}, **data)


def _own(saved_search_id: int) -> SavedSearch:
    saved = services.owned(db.session, current_user.id, saved_search_id)
    if saved is None:
        abort(404)
    return saved


@bp.route("/<int:saved_search_id>/alert", methods=["POST"])
@login_required
def change_alert(saved_search_id: int):
    saved = _own(saved_search_id)
    form = _alert_form(saved.id)
    if form.validate():
        saved.alert = Alert(form.alert.data)
        flash(_("Alerts for “%(name)s” have been changed.", name=saved.name), "success")
    return redirect(url_for("saved_searches.mine"))


@bp.route("/<int:saved_search_id>/remove", methods=["POST"])
@login_required
def remove(saved_search_id: int):
    saved = _own(saved_search_id)
    db.session.delete(saved)
    flash(_("“%(name)s” has been removed.", name=saved.name), "success")
    return redirect(url_for("saved_searches.mine"))
