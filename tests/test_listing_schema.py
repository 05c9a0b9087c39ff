"""The listing's fields are declared once (portal/listings/schema.py): the draft, the revision
snapshots, the import/export columns, the API's responses and its OpenAPI document follow it."""

from __future__ import annotations

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from portal.listings import schema
from portal.listings.models import Listing, ListingKind
from portal.listings.schema import AUTHORED, Field, Integer, Place
from tests.support.filled import filled_listing

# What the API shows besides the declared fields: identity, context and computed values.
API_ADDITIONS = {"id", "url", "language", "available_languages", "institution", "subjects",
                 "found_through_subjects", "found_through_machine_translation", "published_at", "updated_at"}
API_DETAIL_ADDITIONS = {"translations", "trl_label"}


def _validate(document: dict, body: dict, name: str) -> None:
    registry = Registry().with_resource("urn:openapi", Resource.from_contents(document,
                                                                              default_specification=DRAFT202012))
    jsonschema.Draft202012Validator({"$ref": f"urn:openapi#/components/schemas/{name}"}, registry=registry,
                                    format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER).validate(body)


def test_every_declared_field_appears_wherever_it_is_declared(client, db_session, make):
    from portal.listings.forms import ListingForm
    from portal.listings.services import Content, ListingDraft
    from portal.listings.transfer import csv_columns, export_rows
    from portal.listings.snapshot import listing_snapshot

    listing = filled_listing(make, ListingKind.TECHNOLOGY_TRANSFER)
    db_session.commit()
    document = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    in_list, in_detail = document["Listing"]["properties"], document["ListingDetail"]["properties"]
    columns, exported, snapshot = csv_columns(), next(export_rows(db_session)), listing_snapshot(listing)
    draft_attributes = set(ListingDraft.__dataclass_fields__)

    for field in schema.FIELDS:
        assert (field.api_name in in_list) == (Place.API in field.places), field.name
        assert (field.api_name in in_detail) == field.in_api(full=True), field.name
        assert (field.name in columns) == (field.name in exported) == (Place.EXPORT in field.places), field.name
        if field.per_language:
            assert field.name in Content.__dataclass_fields__ and field.name in document["Text"]["properties"]
            assert f"{field.name}_zh" in columns and field.name in exported["translations"]["zh"]
            assert field.name in snapshot["translations"]["zh"]
            continue
        assert (field.snapshot_name in snapshot) == (Place.SNAPSHOT in field.places), field.name
        if Place.DRAFT in field.places:  # the form has a widget of the same name
            assert field.name in draft_attributes, field.name
            assert field.name in ListingForm.__dict__ or field.name in ListingForm._LOOKED_UP, field.name
    assert all(AUTHORED <= field.places for field in schema.FIELDS)  # today: every field is authored

    # And nothing else: what the API adds is a known, short list; the draft has only the texts besides.
    declared_api = {field.api_name for field in schema.FIELDS}
    assert set(in_list) - declared_api == API_ADDITIONS
    assert set(in_detail) - declared_api == API_ADDITIONS | API_DETAIL_ADDITIONS
    assert draft_attributes == {f.name for f in schema.fields_in(Place.DRAFT)} | {"content"}
    assert set(snapshot) == {f.snapshot_name for f in schema.fields_in(Place.SNAPSHOT)} | {"translations"}


@pytest.mark.parametrize("kind", list(ListingKind))
def test_api_shows_every_field_of_every_kind_as_documented(client, db_session, make, kind):
    listing = filled_listing(make, kind)
    db_session.commit()
    document = client.get("/api/v1/openapi.json").json
    body = client.get(f"/api/v1/listings/{listing.id}?lang=ru").json
    _validate(document, body, "ListingDetail")
    for field in schema.api_fields(full=True):
        value = body[field.api_name]
        assert (value not in (None, [], "")) == field.applies_to(kind), field.name
    assert body["kind"]["value"] == kind.value
    page = client.get("/api/v1/listings?lang=zh").json
    _validate(document, page, "ListingPage")
    assert page["items"][0]["title"] == "滴灌"


def test_a_field_added_to_the_declaration_reaches_the_document_export_snapshot_and_api(
        client, db_session, make, monkeypatch):
    from portal.listings.transfer import csv_columns, export_rows
    from portal.listings.snapshot import listing_snapshot

    water = Field("water_saved_percent", Integer(0, 100), kinds=frozenset({ListingKind.TECHNOLOGY_TRANSFER}),
                  description="Water saved against flood irrigation.")
    monkeypatch.setattr(schema, "FIELDS", (*schema.FIELDS, water))
    monkeypatch.setattr(Listing, "water_saved_percent", 35, raising=False)  # its migration, in this test
    listing = make.listing()
    db_session.commit()

    document = client.get("/api/v1/openapi.json").json
    described = document["components"]["schemas"]["ListingDetail"]
    assert described["properties"]["water_saved_percent"] == {
        "type": ["integer", "null"], "minimum": 0, "maximum": 100,
        "description": "Water saved against flood irrigation."}
    assert "water_saved_percent" in described["required"]
    assert "water_saved_percent" not in document["components"]["schemas"]["Listing"]["properties"]

    body = client.get(f"/api/v1/listings/{listing.id}").json
    assert body["water_saved_percent"] == 35
    _validate(document, body, "ListingDetail")
    assert "water_saved_percent" in csv_columns()
    assert next(export_rows(db_session))["water_saved_percent"] == 35
    assert listing_snapshot(listing)["water_saved_percent"] == 35


def test_snapshots_round_trip_clear_other_kinds_and_accept_revisions_older_than_a_field(db_session, make):
    from portal.listings.services import Content, ListingDraft
    from portal.listings.snapshot import apply_snapshot, draft_snapshot, listing_snapshot

    source = filled_listing(make, ListingKind.YOUTH_EXCHANGE)
    copy = make.listing(title="Another", kind=ListingKind.JOINT_RESEARCH)
    snapshot = listing_snapshot(source)
    apply_snapshot(db_session, copy, snapshot)
    assert schema.values_of(copy) == schema.values_of(source)
    assert listing_snapshot(copy) == snapshot

    # A form that still carries a TRL for a youth exchange: the revision keeps none.
    values = {**schema.values_of(source), "trl": 7}
    draft = ListingDraft(content=Content(title="Summer school", summary="Two weeks."), **values)
    assert draft_snapshot(snapshot, draft)["trl"] is None

    # A revision stored before ``participants`` existed applies as if it were empty.
    older = {key: value for key, value in snapshot.items() if key != "participants"}
    apply_snapshot(db_session, copy, older)
    assert copy.participants is None and copy.age_max == source.age_max


def test_form_limits_are_the_declared_ones():
    from portal.listings import forms

    assert (forms.TITLE_MAX, forms.SUMMARY_MAX) == (schema.get_field("title").type.max_length,
                                                  schema.get_field("summary").type.max_length)
    assert forms.MAX_KEYWORDS == schema.get_field("keywords").type.max_items
