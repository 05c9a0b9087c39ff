"""Pages stay cheap: a warm request sends a handful of statements to the database, however many
listings there are (issue 12). Counted on the engine, around the connection the test client's
requests share; transaction control (BEGIN, SAVEPOINT…) is not counted: it is the tests' own."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from portal.database import Database
from portal.listings.models import Direction, ListingKind

SEARCH_PAGE_CAP = 5
HOME_CAP = 5  # the centers, the shared counts, the newest listings, their texts, the newest projects (shared)
DETAIL_CAP = 7  # the listing, its texts, topics and subjects, the centers, related listings and their texts


@pytest.fixture(autouse=True)
def rendered(app, monkeypatch):
    """These tests count what rendering a page costs: the shared page cache stays out of it."""
    monkeypatch.setitem(app.config, "PAGE_CACHE_SECONDS", 0)


@pytest.fixture()
def statements(app):
    """The statements sent while the test runs; clear it before the request to count."""
    seen: list[str] = []

    def count(_connection, _cursor, statement, *_args) -> None:  # noqa: ANN001
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN")):
            seen.append(statement)

    engine = Database.engine(app)
    event.listen(engine, "before_cursor_execute", count)
    yield seen
    event.remove(engine, "before_cursor_execute", count)


@pytest.fixture()
def market(db_session, make):
    """More listings than a page shows, over two centers, three countries and shared topics."""
    from portal.search.index import rebuild_index

    desert = make.center("desertification-control")
    education = make.center("education-exchange")
    drip = make.topic("water-saving-irrigation", desert, en="Water-saving irrigation")
    solar = make.topic("solar-power", desert, en="Solar power")
    schools = make.topic("summer-schools", education, en="Summer schools")
    institutions = [make.institution(f"Institute {country}", country=country) for country in ("CN", "KZ", "UZ")]
    listings = []
    for number in range(30):
        listings.append(make.listing(
            institution=institutions[number % 3], center=desert if number % 4 else education,
            title=f"Drip irrigation system {number}", summary="Irrigation for cotton fields.",
            kind=list(ListingKind)[number % 3], direction=list(Direction)[number % 2],
            topics=[drip, solar] if number % 2 else [drip] if number % 4 else [schools],
            translations={"ru": ("Капельное орошение", "Орошение хлопковых полей.", "")} if number % 5 == 0 else None))
    rebuild_index(db_session)
    db_session.commit()
    return listings


def _warm_count(client, statements: list[str], path: str) -> int:
    assert client.get(path).status_code == 200  # warm: the facet index, the vocabulary, caches
    statements.clear()
    response = client.get(path)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("path", ["/en/listings/?q=irrigation", "/ru/listings/?q=орошение", "/en/listings/",
                                  "/en/listings/?kind=technology_transfer&topic=solar-power&sort=newest",
                                  "/en/centers/desertification-control?q=irrigation",
                                  "/api/v1/listings?q=irrigation"])
def test_a_search_page_sends_at_most_five_statements(client, market, statements, path):
    count = _warm_count(client, statements, path)
    assert count <= SEARCH_PAGE_CAP, "\n\n".join(statements)


def test_the_home_page_sends_few_statements(client, market, statements):
    count = _warm_count(client, statements, "/en/")
    assert count <= HOME_CAP, "\n\n".join(statements)


def test_a_listing_page_sends_few_statements(client, market, statements):
    count = _warm_count(client, statements, f"/en/listings/{market[3].id}")
    assert count <= DETAIL_CAP, "\n\n".join(statements)


def test_related_listings_share_a_topic_most_shared_first(client, db_session, make, market):
    from portal.listings.models import ListingStatus
    from portal.listings.queries import related_public

    shown = market[1]  # drip irrigation and solar power
    draft = make.listing(title="Draft sharing both topics", topics=list(shown.topics), status=ListingStatus.DRAFT)
    related = related_public(db_session, shown)
    assert related and shown not in related and draft not in related
    assert all({topic.id for topic in listing.topics} & {topic.id for topic in shown.topics} for listing in related)
    assert all(len(listing.topics) == 2 for listing in related)  # those sharing both come first
    page = client.get(f"/en/listings/{shown.id}").get_data(as_text=True)
    assert "Related offers and requests" in page and related[0].original.title in page


def test_home_counts_are_computed_once_for_every_process(app, client, db_session, market, monkeypatch):
    from portal.listings import home

    calls = []
    original = home._stats
    monkeypatch.setattr(home, "_stats", lambda: calls.append(1) or original())
    first = client.get("/en/").get_data(as_text=True)
    assert client.get("/ru/").status_code == 200 and len(calls) == 1  # the stored row served the second
    assert "30" in first  # open listings


@pytest.mark.parametrize("path", ["/en/listings/?q=irrigation", "/en/", "/api/v1/listings?q=irrigation"])
def test_a_page_from_the_shared_cache_costs_one_statement(app, market, monkeypatch, statements, path):
    monkeypatch.setitem(app.config, "PAGE_CACHE_SECONDS", 60)
    assert app.test_client().get(path).headers["X-Page-Cache"] == "miss"
    statements.clear()
    response = app.test_client().get(path)  # another visitor
    assert response.headers["X-Page-Cache"] == "hit"
    assert len(statements) == 1  # the page and the cache's generation, in one query
