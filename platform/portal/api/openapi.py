"""The OpenAPI 3.1 description of /api/v1/. Tests validate real responses against it."""

from __future__ import annotations

from portal.i18n.languages import LANGUAGES, country_codes
from portal.listings.models import Direction, ListingKind
from portal.search.search_params import MAX_PAGE, MAX_QUERY_CHARS

_FACET_NAMES = ("centers", "kinds", "directions", "countries", "topics", "languages", "trl", "subjects")


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _array_param(name: str, description: str, values: list[str]) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description, "explode": True,
            "schema": {"type": "array", "items": {"type": "string", "enum": values}}}


_NULLABLE_STRING = {"type": ["string", "null"]}
_NULLABLE_INT = {"type": ["integer", "null"]}
_CHOICE = {"type": "object", "required": ["value", "label"], "additionalProperties": False,
           "properties": {"value": {"type": "string"}, "label": {"type": "string"}}}
_TEXT = {"type": "object", "required": ["title", "summary", "description"], "additionalProperties": False,
         "properties": {"title": {"type": "string"}, "summary": {"type": "string"}, "description": {"type": "string"}}}

_LISTING_PROPERTIES = {
    "id": {"type": "integer", "description": "Stable identifier."},
    "url": {"type": "string", "format": "uri"},
    "language": {"type": "string", "enum": list(LANGUAGES), "description": "Language of title and summary."},
    "title": {"type": "string"},
    "summary": {"type": "string"},
    "original_language": {"type": "string", "enum": list(LANGUAGES)},
    "available_languages": {"type": "array", "items": {"type": "string", "enum": list(LANGUAGES)}},
    "center": {"type": "object", "required": ["slug", "label"], "additionalProperties": False,
               "properties": {"slug": {"type": "string"}, "label": {"type": "string"}}},
    "kind": _ref("Choice"),
    "direction": _ref("Choice"),
    "institution": {"type": "object", "required": ["id", "name", "country", "country_name", "verified"],
                    "additionalProperties": False,
                    "properties": {"id": {"type": "integer"}, "name": {"type": "string"},
                                   "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
                                   "country_name": {"type": "string"}, "verified": {"type": "boolean"}}},
    "topics": {"type": "array", "items": {"type": "object", "required": ["slug", "label"], "additionalProperties": False,
                                          "properties": {"slug": {"type": "string"}, "label": {"type": "string"}}}},
    "subjects": {"type": "array", "description": "Thesaurus concepts the listing is about, labelled in `lang`.",
                 "items": {"type": "object", "required": ["key", "label"], "additionalProperties": False,
                           "properties": {"key": {"type": "string"}, "label": {"type": "string"}}}},
    "found_through_subjects": {"type": "array", "items": {"type": "string"},
                               "description": "In search results: the listing's subjects through which the "
                                              "query found it when none of the query's words is in its text."},
    "trl": {"type": ["integer", "null"], "minimum": 1, "maximum": 9},
    "published_at": {"type": ["string", "null"], "format": "date-time"},
    "updated_at": {"type": "string", "format": "date-time"},
    "expires_at": {"type": "string", "format": "date-time"},
}
_LISTING_DETAIL_PROPERTIES = {
    **_LISTING_PROPERTIES,
    "description": {"type": "string"},
    "translations": {"type": "object", "additionalProperties": _ref("Text"),
                     "description": "Every language version, the original included, by language code."},
    "keywords": {"type": "array", "items": {"type": "string"}},
    "target_countries": {"type": "array", "items": _ref("CodeName")},
    "working_languages": {"type": "array", "items": _ref("CodeName")},
    "trl_label": _NULLABLE_STRING,
    "ip_status": {"oneOf": [_ref("Choice"), {"type": "null"}]},
    "starts_on": {"type": ["string", "null"], "format": "date"},
    "ends_on": {"type": ["string", "null"], "format": "date"},
    "participants": _NULLABLE_INT, "age_min": _NULLABLE_INT, "age_max": _NULLABLE_INT,
    "partner_roles": {"type": "array", "items": _ref("Choice")},
    "funding": {"oneOf": [_ref("Choice"), {"type": "null"}]},
}


def openapi_document(server_url: str = "/api/v1", centers: list[str] | None = None,
                     topics: list[str] | None = None, subjects: list[str] | None = None) -> dict:
    """``server_url`` is absolute (from PUBLIC_URL); ``centers``, ``topics`` and ``subjects`` are the
    keys that exist now: a value outside an enum is refused with 400, as described."""
    language_param = {"name": "lang", "in": "query", "required": False,
                      "description": "Language of labels, and of titles where a translation exists. "
                                     "Any other value is refused with 400.",
                      "schema": {"type": "string", "enum": list(LANGUAGES), "default": "en"}}
    error = {"description": "Invalid parameters or unknown resource",
             "content": {"application/json": {"schema": _ref("Error")}}}
    bad_request = {"description": "Invalid parameters (an unknown lang, a value outside its enum, "
                                  "a number out of range, q too long)",
                   "content": {"application/json": {"schema": _ref("Error")}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "China–Central Asia Cooperation Platform API", "version": "1.0.0",
                 "description": "Read-only access to published offers and requests, centers and taxonomy. "
                                "Search parameters are the same as the search page's."},
        "servers": [{"url": server_url}],
        "paths": {
            "/listings": {"get": {
                "summary": "Search published listings, with facet counts",
                "operationId": "searchListings",
                "parameters": [
                    language_param,
                    {"name": "q", "in": "query", "required": False,
                     "schema": {"type": "string", "maxLength": MAX_QUERY_CHARS, "pattern": "^[^\\u0000]*$"},
                     "description": "Words in any of the eight languages; Chinese needs no spaces. "
                                    f"At most {MAX_QUERY_CHARS} characters; longer is refused with 400."},
                    _array_param("center", "Center slug; repeat for several (OR).", sorted(centers or [])),
                    _array_param("kind", "Kind of cooperation.", [kind.value for kind in ListingKind]),
                    _array_param("direction", "Offer or request.", [item.value for item in Direction]),
                    _array_param("country", "ISO 3166-1 code of the institution's country (upper case).",
                                 sorted(country_codes())),
                    _array_param("topic", "Topic slug (see /taxonomy).", sorted(topics or [])),
                    _array_param("language", "Listings available in this language.", list(LANGUAGES)),
                    {"name": "subject", "in": "query", "required": False, "style": "form", "explode": True,
                     "schema": {"type": "array", "maxItems": 20,
                                # The concepts that exist: an unknown key is refused with 400.
                                "items": {"type": "string", "enum": sorted(subjects or [])}},
                     "description": "Thesaurus concept key (see a listing's `subjects`); listings about it or "
                                    "a narrower concept, in any language. Repeat for several (OR)."},
                    {"name": "trl_min", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 9}},
                    {"name": "trl_max", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 9}},
                    {"name": "sort", "in": "query",
                     "schema": {"type": "string", "enum": ["relevance", "newest", "closing"], "default": "relevance"}},
                    {"name": "page", "in": "query",
                     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}},
                    {"name": "per_page", "in": "query",
                     "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
                ],
                "responses": {"200": {"description": "One page of results",
                                      "content": {"application/json": {"schema": _ref("ListingPage")}}},
                              "400": bad_request},
            }},
            "/listings/{id}": {"get": {
                "summary": "One published listing with all its translations",
                "operationId": "getListing",
                "parameters": [language_param, {"name": "id", "in": "path", "required": True,
                                                "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "The listing",
                                      "content": {"application/json": {"schema": _ref("ListingDetail")}}},
                              "400": bad_request, "404": error},
            }},
            "/centers": {"get": {
                "summary": "The cooperation centers", "operationId": "listCenters", "parameters": [language_param],
                "responses": {"200": {"description": "All centers",
                                      "content": {"application/json": {"schema": _ref("CenterList")}}},
                              "400": bad_request},
            }},
            "/taxonomy": {"get": {
                "summary": "Topics and the other vocabularies, with labels", "operationId": "getTaxonomy",
                "parameters": [language_param],
                "responses": {"200": {"description": "The vocabularies",
                                      "content": {"application/json": {"schema": _ref("Taxonomy")}}},
                              "400": bad_request},
            }},
        },
        "components": {"schemas": {
            "Choice": _CHOICE,
            "Text": _TEXT,
            "CodeName": {"type": "object", "required": ["code", "name"], "additionalProperties": False,
                         "properties": {"code": {"type": "string"}, "name": {"type": "string"}}},
            "Listing": {"type": "object", "required": list(_LISTING_PROPERTIES), "additionalProperties": False,
                        "properties": _LISTING_PROPERTIES},
            "ListingDetail": {"type": "object", "required": list(_LISTING_DETAIL_PROPERTIES),
                              "additionalProperties": False, "properties": _LISTING_DETAIL_PROPERTIES},
            "FacetValue": {"type": "object", "required": ["value", "label", "count"], "additionalProperties": False,
                           "properties": {"value": {"type": "string"}, "label": {"type": "string"},
                                          "count": {"type": "integer", "minimum": 0}}},
            "ListingPage": {
                "type": "object", "required": ["query", "total", "page", "per_page", "pages", "items", "facets"],
                "additionalProperties": False,
                "properties": {
                    "query": {"type": "object", "required": ["q", "terms", "sort", "lang"],
                              "properties": {"q": {"type": "string"}, "terms": {"type": "array", "items": {"type": "string"}},
                                             "subjects": {"type": "array", "items": {"type": "string"}},
                                             "sort": {"type": "string"}, "lang": {"type": "string"}}},
                    "total": {"type": "integer", "minimum": 0}, "page": {"type": "integer", "minimum": 1},
                    "per_page": {"type": "integer"}, "pages": {"type": "integer", "minimum": 1},
                    "items": {"type": "array", "items": _ref("Listing")},
                    "facets": {"type": "object", "required": list(_FACET_NAMES), "additionalProperties": False,
                               "properties": {name: {"type": "array", "items": _ref("FacetValue")}
                                              for name in _FACET_NAMES}},
                },
            },
            "Center": {"type": "object", "required": ["slug", "label", "description", "names"],
                       "additionalProperties": False,
                       "properties": {"slug": {"type": "string"}, "label": {"type": "string"},
                                      "description": {"type": "string"},
                                      "names": {"type": "object", "additionalProperties": {"type": "string"}}}},
            "CenterList": {"type": "object", "required": ["items"],
                           "properties": {"items": {"type": "array", "items": _ref("Center")}}},
            "Topic": {"type": "object", "required": ["slug", "label", "center", "names"], "additionalProperties": False,
                      "properties": {"slug": {"type": "string"}, "label": {"type": "string"},
                                     "center": {"type": ["string", "null"]},
                                     "names": {"type": "object", "additionalProperties": {"type": "string"}}}},
            "Taxonomy": {
                "type": "object",
                "required": ["topics", "kinds", "directions", "trl", "ip_statuses", "funding", "partner_roles"],
                "properties": {
                    "topics": {"type": "array", "items": _ref("Topic")},
                    "kinds": {"type": "array", "items": _ref("Choice")},
                    "directions": {"type": "array", "items": _ref("Choice")},
                    "trl": {"type": "array", "items": {"type": "object", "required": ["value", "label"],
                                                       "properties": {"value": {"type": "integer"},
                                                                      "label": {"type": "string"}}}},
                    "ip_statuses": {"type": "array", "items": _ref("Choice")},
                    "funding": {"type": "array", "items": _ref("Choice")},
                    "partner_roles": {"type": "array", "items": _ref("Choice")},
                },
            },
            "Error": {"type": "object", "required": ["error"],
                      "properties": {"error": {"type": "object", "required": ["status", "title", "message"],
                                               "properties": {"status": {"type": "integer"},
                                                              "title": {"type": "string"},
                                                              "message": {"type": "string"}}}}},
        }},
    }
