"""Issue 14: the public statistics — figures right on a small known dataset (only listings that
went public count), the page in all eight languages with accessible SVG charts and data tables,
no chart script from anywhere, and the same figures as open data (API, CSV, JSON)."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import jsonschema
import pytest
from babel.numbers import format_percent
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from sqlalchemy import select

from portal.database import utcnow
from portal.i18n.languages import LANGUAGES
from portal.interests.models import Interest, InterestStatus
from portal.listings.models import Direction, ListingKind, ListingStatus
from portal.subjects.models import AnnotationSource, ConceptRow, ListingConcept


def _interest(session, listing, institution, status, after_days):  # noqa: ANN001
    interest = Interest(listing=listing, institution=institution, message="We are interested.", status=status,
                        created_at=listing.published_at + timedelta(days=after_days))
    session.add(interest)
    return interest


def _subject(session, listing, concept, rejected=False):  # noqa: ANN001
    session.add(ListingConcept(listing_id=listing.id, concept_id=concept.id, source=AnnotationSource.AUTOMATIC,
                               rejected=rejected, mentions=1, forms=[]))


@pytest.fixture()
def known(db_session, make):
    """Three open listings (two in the desertification center), one expired, and listings that
    never went public or were suspended; four interests on public listings, one on a suspended one."""
    now = utcnow()
    land, education = make.center("desertification-control"), make.center("education-exchange")
    cn, kz = make.institution("Gobi Station", country="CN"), make.institution("Almaty Institute", country="KZ")
    uz, kg = make.institution("Tashkent University", country="UZ"), make.institution("Bishkek Lab", country="KG")
    offer = make.listing(center=land, institution=cn, kind=ListingKind.TECHNOLOGY_TRANSFER, direction=Direction.OFFER)
    request = make.listing(center=land, institution=kz, kind=ListingKind.JOINT_RESEARCH, direction=Direction.REQUEST)
    other = make.listing(center=education, institution=uz, kind=ListingKind.JOINT_RESEARCH,
                         direction=Direction.REQUEST)
    expired = make.listing(center=land, institution=kz, kind=ListingKind.JOINT_RESEARCH, direction=Direction.OFFER,
                           status=ListingStatus.EXPIRED)
    suspended = make.listing(center=land, institution=kz, status=ListingStatus.SUSPENDED)
    hidden = [make.listing(center=land, institution=kz, status=status)
              for status in (ListingStatus.DRAFT, ListingStatus.SUBMITTED, ListingStatus.REJECTED,
                             ListingStatus.WITHDRAWN)]
    for listing, days in ((offer, 70), (request, 50), (other, 40), (suspended, 40), *((h, 45) for h in hidden)):
        listing.published_at = now - timedelta(days=days)
    expired.published_at, expired.expires_at = now - timedelta(days=200), now - timedelta(days=100)
    _interest(db_session, offer, kz, InterestStatus.ACCEPTED, 2)
    _interest(db_session, offer, uz, InterestStatus.DECLINED, 5)
    _interest(db_session, request, cn, InterestStatus.ACCEPTED, 4)
    _interest(db_session, other, kg, InterestStatus.PENDING, 6)
    _interest(db_session, suspended, cn, InterestStatus.ACCEPTED, 1)
    unmet, shared = db_session.scalars(select(ConceptRow).order_by(ConceptRow.id).limit(2)).all()
    _subject(db_session, request, unmet)
    _subject(db_session, other, unmet)
    _subject(db_session, request, shared)
    _subject(db_session, offer, shared)
    _subject(db_session, other, shared, rejected=True)
    _subject(db_session, hidden[0], unmet)
    db_session.commit()
    return {"now": now, "unmet": unmet.key, "shared": shared.key, "expired": expired}


def _records(payload, key):  # noqa: ANN001
    return next(figure["records"] for figure in payload["figures"] if figure["key"] == key)


def test_figures_count_only_public_listings_and_their_interests(client, known):
    payload = client.get("/api/v1/statistics").json
    answers = {record["status"]: record["value"] for record in _records(payload, "interests_accepted")}
    assert answers == {"accepted": 2, "declined": 1, "pending": 1}  # not the suspended listing's
    first = {record["measure"]: record["value"] for record in _records(payload, "time_to_first_interest")
             if "period" not in record}
    assert first == {"median_days_to_first_interest": 4.0, "listings_with_interest": 3}
    by_country = {(r["country"], r["direction"]): r["value"] for r in _records(payload, "listings_by_country")}
    assert by_country == {("CN", "offer"): 1, ("CN", "request"): 0, ("KZ", "offer"): 0, ("KZ", "request"): 1,
                          ("UZ", "offer"): 0, ("UZ", "request"): 1}
    pairs = {(r["country"], r["partner_country"]): r["value"] for r in _records(payload, "interests_by_country_pair")}
    assert pairs == {("KZ", "CN"): 1, ("UZ", "CN"): 1, ("CN", "KZ"): 1, ("KG", "UZ"): 1}
    subjects = {(r["subject"], r["direction"]): r["value"] for r in _records(payload, "subjects_in_demand")}
    assert subjects == {(known["shared"], "request"): 1, (known["shared"], "offer"): 1,
                        (known["unmet"], "request"): 2, (known["unmet"], "offer"): 0}


def test_open_listings_over_time_follow_publication_and_end(client, known):
    records = _records(client.get("/api/v1/statistics").json, "open_listings_over_time")
    series: dict[tuple[str, str], dict[str, int]] = {}
    for record in records:
        series.setdefault((record["kind"], record["direction"]), {})[record["period"]] = record["value"]
    months = sorted(series[("joint_research", "request")])
    assert len(months) == 24 and months[-1] == known["now"].strftime("%Y-%m")
    assert series[("technology_transfer", "offer")][months[-1]] == 1
    assert series[("joint_research", "request")][months[-1]] == 2
    assert series[("joint_research", "offer")][months[-1]] == 0  # expired since
    open_then = (known["expired"].published_at + timedelta(days=50)).strftime("%Y-%m")
    next_month = months[months.index(open_then) + 1]
    assert series[("joint_research", "offer")][next_month] == 1
    assert sum(values[months[0]] for values in series.values()) == 0


def test_a_center_has_its_own_figures(client, known):
    payload = client.get("/api/v1/statistics?center=desertification-control").json
    assert payload["center"] == "desertification-control"
    answers = {record["status"]: record["value"] for record in _records(payload, "interests_accepted")}
    assert answers == {"accepted": 2, "declined": 1, "pending": 0}
    page = client.get("/en/statistics/desertification-control/").get_data(as_text=True)
    assert "2 of 3 expressions of interest were accepted" in page
    assert client.get("/en/statistics/no-such-center/").status_code == 404
    assert client.get("/api/v1/statistics?center=no-such-center").status_code == 400


@pytest.mark.parametrize("lang", LANGUAGES)
def test_page_in_every_language_has_accessible_charts_and_tables(client, known, lang):
    response = client.get(f"/{lang}/statistics/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    charts = re.findall(r"<svg[^>]*>", html)
    charts = [tag for tag in charts if "pygal-chart" in tag]
    assert len(charts) == 6  # the partnership figures have no projects to chart here: table only
    for tag in charts:
        assert 'role="img"' in tag
        chart_id = re.search(r'id="([^"]+)"', tag).group(1)
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in tag
        assert re.search(f'<title id="{chart_id}-title">[^<]+</title>', html)
        assert re.search(f'<desc id="{chart_id}-desc">[^<]+</desc>', html)
    assert html.count('<table class="stat-table">') == 8
    assert html.count("<caption>") >= 8
    # The share in the reader's CLDR format, and no script from anywhere inside or beside the charts.
    assert format_percent(0.5, "#,##0.#%", locale=lang) in html
    assert not re.search(r"<script[^>]+src=[\"']?(https?:)?//", html)
    assert "pygal-tooltips" not in html and html.count("<script") == 1  # the portal's own portal.js
    stylesheet = re.search(r'<link rel="stylesheet" href="(/charts/pygal.css\?v=[0-9a-f]+)"', html).group(1)
    css = client.get(stylesheet)
    assert css.status_code == 200 and ".pygal-chart" in css.get_data(as_text=True)


def test_month_and_country_names_come_from_cldr(client, known):
    html = client.get("/ru/statistics/").get_data(as_text=True)
    assert "Китай" in html and "Казахстан" in html
    from babel.dates import format_skeleton
    assert format_skeleton("yMMM", known["now"].date().replace(day=1), locale="ru") in html
    assert "Open listings over time" not in html


def test_api_is_described_and_downloads_carry_the_same_figures(client, known):
    document = client.get("/api/v1/openapi.json").json
    assert "/statistics" in document["paths"]
    response = client.get("/api/v1/statistics?lang=zh")
    registry = Registry().with_resource("urn:openapi", Resource.from_contents(document,
                                                                               default_specification=DRAFT202012))
    jsonschema.Draft202012Validator({"$ref": "urn:openapi#/components/schemas/Statistics"},
                                    registry=registry).validate(response.json)
    page = client.get("/en/statistics/").get_data(as_text=True)
    assert 'href="/en/statistics/statistics.csv"' in page and 'href="/en/statistics/statistics.json"' in page
    download = client.get("/en/statistics/statistics.csv")
    assert download.mimetype == "text/csv" and "attachment" in download.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(download.get_data(as_text=True))))
    accepted = [row for row in rows if row["figure"] == "interests_accepted" and row["status"] == "accepted"]
    assert accepted[0]["value"] == "2"
    text = download.get_data(as_text=True) + client.get("/en/statistics/statistics.json").get_data(as_text=True)
    assert "@" not in text and "Gobi Station" not in text  # no contact data, no names
    data = client.get("/en/statistics/desertification-control/statistics.json").json
    assert data["center"] == "desertification-control"
    assert {figure["key"] for figure in data["figures"]} == {figure["key"] for figure in response.json["figures"]}


def test_statistics_are_in_the_main_navigation(client, known):
    html = client.get("/kk/").get_data(as_text=True)
    assert 'href="/kk/statistics/"' in html


def test_the_worker_computes_the_figures_ahead_once_an_hour(app, client, known):
    from datetime import timedelta as delta

    from portal.worker.passes import Worker

    with app.app_context():
        first = Worker(kinds=("statistics",)).run_pass()
        assert first.statistics == 3  # the whole portal and both centers of the data
        assert "public statistics recomputed: 3 scopes" in first.lines()
        assert Worker(kinds=("statistics",)).run_pass().statistics == 0  # fresh: nothing to do
        assert Worker(kinds=("statistics",)).run_pass(known["now"] + delta(minutes=55)).statistics == 3
    stored = client.get("/api/v1/statistics").json["generated_at"]
    assert client.get("/en/statistics/").status_code == 200
    assert client.get("/api/v1/statistics").json["generated_at"] == stored


def test_an_empty_portal_says_so_instead_of_drawing_empty_charts(client, db_session, make):
    make.center("desertification-control")
    db_session.commit()
    html = client.get("/en/statistics/").get_data(as_text=True)
    assert "No listing has received an expression of interest yet." in html
    assert "0 of 0 expressions of interest were accepted (0%)." in html
    assert "No open request has subjects yet." in html
    assert html.count('class="pygal-chart stat-chart"') == 2  # over time, and countries (with no data)
