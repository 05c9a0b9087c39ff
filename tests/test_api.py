"""The public JSON API: behaviour, and every response validated against the served OpenAPI document."""

from __future__ import annotations

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from portal.listings.models import ListingStatus


@pytest.fixture()
def openapi(client):
    return client.get("/api/v1/openapi.json").json


def _validate(document: dict, response, schema_name: str) -> None:
    registry = Registry().with_resource(
        "urn:openapi", Resource.from_contents(document, default_specification=DRAFT202012))
    schema = {"$ref": f"urn:openapi#/components/schemas/{schema_name}"}
    jsonschema.Draft202012Validator(schema, registry=registry,
                                    format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
                                    ).validate(response.json)


@pytest.fixture()
def data(db_session, make):
    from portal.search.index import rebuild_index

    center = make.center("desertification-control")
    topic = make.topic("sand-fixation", center, en="Sand fixation", zh="固沙", ru="Закрепление песков",
                       kk="Құмды бекіту", ky="Кумду бекитүү", tg="Мустаҳкамкунии рег", tk="Çägeleri berkitmek",
                       uz="Qumni mustahkamlash")
    offer = make.listing(center=center, institution=make.institution("Gobi Station", country="CN"), language="zh",
                         title="草方格固沙技术", summary="成熟的固沙方法。", topics=[topic],
                         translations={"ru": ("Технология соломенных клеток", "Проверенный метод.", "")})
    offer.trl = 8
    draft = make.listing(center=center, title="Hidden draft", status=ListingStatus.DRAFT)
    rebuild_index(db_session)
    db_session.commit()
    return {"offer": offer, "draft": draft}


def test_search_with_facets_in_the_requested_language(client, data, openapi):
    response = client.get("/api/v1/listings", query_string={"q": "固沙", "lang": "ru"})
    assert response.status_code == 200
    _validate(openapi, response, "ListingPage")
    body = response.json
    assert body["total"] == 1
    item = body["items"][0]
    assert item["id"] == data["offer"].id
    assert (item["language"], item["title"]) == ("ru", "Технология соломенных клеток")
    assert item["institution"]["country_name"] == "Китай"
    assert item["kind"]["value"] == "technology_transfer"
    assert {"value": "CN", "label": "Китай", "count": 1} in body["facets"]["countries"]


def test_filters_and_paging_parameters(client, data, openapi):
    response = client.get("/api/v1/listings?topic=sand-fixation&trl_min=7&per_page=1&sort=newest")
    _validate(openapi, response, "ListingPage")
    assert response.json["total"] == 1 and response.json["per_page"] == 1
    assert client.get("/api/v1/listings?trl_min=9").json["total"] == 0


def test_one_listing_with_all_translations(client, data, openapi):
    response = client.get(f"/api/v1/listings/{data['offer'].id}?lang=en")
    _validate(openapi, response, "ListingDetail")
    body = response.json
    assert set(body["translations"]) == {"zh", "ru"}
    assert body["topics"] == [{"slug": "sand-fixation", "label": "Sand fixation"}]
    assert body["trl"] == 8 and body["published_at"].endswith("+00:00")


def test_unpublished_and_unknown_listings_are_404_json(client, data, openapi):
    for path in (f"/api/v1/listings/{data['draft'].id}", "/api/v1/listings/987654", "/api/v1/nothing-here"):
        response = client.get(path)
        assert response.status_code == 404 and response.is_json
        assert response.json["error"]["status"] == 404


@pytest.mark.parametrize("query, message", [
    ("center=nowhere", "unknown center"), ("lang=fr", "lang must be one of"), ("trl_min=0", "trl_min"),
    ("per_page=1000", "per_page"), ("sort=random", "sort must be one of"), ("page=x", "page"),
])
def test_bad_parameters_get_clear_json_errors(client, data, openapi, query, message):
    response = client.get(f"/api/v1/listings?{query}")
    assert response.status_code == 400
    _validate(openapi, response, "Error")
    assert message in response.json["error"]["message"]


def test_centers_and_taxonomy(client, data, openapi):
    centers = client.get("/api/v1/centers?lang=zh")
    _validate(openapi, centers, "CenterList")
    assert centers.json["items"][0]["slug"] == "desertification-control"
    taxonomy = client.get("/api/v1/taxonomy?lang=kk")
    _validate(openapi, taxonomy, "Taxonomy")
    assert taxonomy.json["topics"][0]["label"] == "Құмды бекіту"


def test_openapi_document_is_valid_openapi_31(openapi):
    assert openapi["openapi"].startswith("3.1")
    for path in ("/listings", "/listings/{id}", "/centers", "/taxonomy"):
        assert "get" in openapi["paths"][path]
    jsonschema.Draft202012Validator.check_schema(openapi["components"]["schemas"]["ListingPage"])
