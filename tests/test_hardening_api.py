"""Issue 13, finding 9 (gaps between /api/v1/openapi.json and the API), and the schemathesis run
over the whole description: bounded, so CI stays fast, and it must find nothing."""

from __future__ import annotations

from portal.i18n.languages import LANGUAGES
from portal.listings.models import ListingKind, ListingStatus
from tests.support.filled import filled_listing


def test_an_invalid_lang_is_a_documented_400_on_every_operation(client, db_session):
    document = client.get("/api/v1/openapi.json").json
    for path, operations in document["paths"].items():
        for operation in operations.values():
            assert "400" in operation["responses"], path
    for path in ("/api/v1/listings", "/api/v1/centers", "/api/v1/taxonomy"):
        response = client.get(path, query_string={"lang": "xx"})
        assert response.status_code == 400 and "lang must be one of" in response.json["error"]["message"]


def test_q_longer_than_the_documented_maximum_is_refused(client, db_session):
    document = client.get("/api/v1/openapi.json").json
    q = next(p for p in document["paths"]["/listings"]["get"]["parameters"] if p["name"] == "q")
    limit = q["schema"]["maxLength"]
    assert client.get("/api/v1/listings", query_string={"q": "a" * limit}).status_code == 200
    too_long = client.get("/api/v1/listings", query_string={"q": "a" * (limit + 1)})
    assert too_long.status_code == 400 and "at most" in too_long.json["error"]["message"]


def test_facet_values_are_described_exactly_as_they_are_accepted(client, db_session, make):
    center = make.center()
    topic = make.topic("sand-dunes", center)
    make.listing(center=center, topics=[topic], status=ListingStatus.PUBLISHED)
    document = client.get("/api/v1/openapi.json").json
    parameters = {p["name"]: p for p in document["paths"]["/listings"]["get"]["parameters"]}
    countries = parameters["country"]["schema"]["items"]["enum"]
    assert "KZ" in countries and "" not in countries and "i" not in countries
    assert parameters["center"]["schema"]["items"]["enum"] == [center.slug]
    assert parameters["topic"]["schema"]["items"]["enum"] == ["sand-dunes"]
    assert client.get("/api/v1/listings?country=KZ&center=" + center.slug).status_code == 200
    for bad in ("country=&country=i", "country=kz", "topic=nope", "kind=%20"):
        response = client.get(f"/api/v1/listings?{bad}")
        assert response.status_code == 400, bad


def test_405_answers_carry_an_allow_header(client, db_session):
    for path in ("/api/v1/listings", "/api/v1/centers", "/en/account/logout"):
        response = client.delete(path) if path.startswith("/api/") else client.get(path)
        assert response.status_code == 405, path
        assert response.headers["Allow"], path
    assert "GET" in client.post("/api/v1/listings").headers["Allow"]
    assert client.post("/api/v1/listings").json["error"]["status"] == 405


def test_ids_beyond_the_database_integer_are_404_not_500(client, db_session):
    for listing_id in (2**31 - 1, 2**31, 81103778323, 2**63):
        response = client.get(f"/api/v1/listings/{listing_id}")
        assert response.status_code == 404, listing_id
    assert client.get(f"/en/listings/{2**31}").status_code == 404


def test_schemathesis_finds_nothing_in_the_api(app, db_session, make, monkeypatch):
    import schemathesis
    from hypothesis import HealthCheck, settings

    center = make.center()
    topic = make.topic("oasis-farming", center)
    institution = make.institution(country="KZ")
    for number in range(3):
        make.listing(center=center, institution=institution, topics=[topic], title=f"Oasis farming {number}")
    # One listing of each kind with every declared field set, so that the responses checked below
    # carry every field's value and not only nulls and empty lists.
    filled = [filled_listing(make, kind, institution=institution) for kind in ListingKind]
    db_session.commit()

    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", None)  # schemathesis calls as "localhost"
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    # Its WSGI transport does not undo Content-Encoding as an HTTP client does, and it asks for
    # brotli: ask for the uncompressed body (compression itself: tests/test_delivery.py).
    plain = {"Accept-Encoding": "identity"}
    failures = []
    for operation in schema.get_all_operations():
        operation = operation.ok()
        for mode in ("positive", "negative"):
            strategy = operation.as_strategy(generation_mode=schemathesis.GenerationMode(mode))

            @settings(max_examples=25, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            def run(case) -> None:  # noqa: ANN001
                try:
                    case.call_and_validate(headers=plain)
                except Exception as error:  # noqa: BLE001 - collect every operation's failures
                    failures.append(f"{operation.label} [{mode}]: {error}")
                    raise

            from hypothesis import given

            try:
                given(strategy)(run)()
            except Exception:  # noqa: BLE001, S110 - recorded in failures
                pass
    # Random ids almost never hit a listing: check each filled one's detail in every language too.
    detail = next(op.ok() for op in schema.get_all_operations() if op.ok().path == "/listings/{id}")
    for listing in filled:
        for language in LANGUAGES:
            try:
                detail.Case(path_parameters={"id": listing.id}, query={"lang": language}).call_and_validate(headers=plain)
            except Exception as error:  # noqa: BLE001 - collect them all
                failures.append(f"{detail.label} id={listing.id} lang={language}: {error}")
    assert not failures, "\n\n".join(failures[:5])
