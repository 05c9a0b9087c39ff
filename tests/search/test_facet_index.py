"""The facet index on its own (pure): counts, filters, order, labels, expiry, and changes
applied in place giving exactly what a fresh build gives."""

from __future__ import annotations

import random

import numpy as np

from portal.search.facet_index import FacetIndex, ListingFacts
from portal.search.search_params import SearchParams
from portal.search.query import Alternative
from portal.search.ranking import BODY, TITLE

NOW = 1_800_000_000.0
DAY = 86_400.0
LABELS = {("topics", "drip"): frozenset({"drip", "irrigation", "滴灌", "~irrig"}),
          ("topics", "sand"): frozenset({"sand", "fixation"}),
          ("centers", "desert"): frozenset({"desertification", "control"})}


def facts(listing_id, *, center="desert", kind="technology_transfer", direction="offer", country="CN",
          topics=("drip",), languages=("en",), trl=None, age_days=1.0, expires_days=90.0):
    return ListingFacts(id=listing_id, center=center, kind=kind, direction=direction, country=country,
                        topics=tuple(topics), languages=tuple(languages), trl=trl,
                        published_at=NOW - age_days * DAY, expires_at=NOW + expires_days * DAY)


def build(listings, document_count=None):
    return FacetIndex.build(listings, built_at=NOW, labels=LABELS,
                            document_count=document_count or len(listings))


def term(token, title=(), body=(), prefix=False):
    return ((Alternative(token, prefix),), {TITLE: set(title), BODY: set(body)})


def test_counts_are_disjunctive_within_a_facet_and_conjunctive_across():
    index = build([facts(1, country="CN"), facts(2, country="KZ"), facts(3, country="KZ", kind="youth_exchange"),
                   facts(4, country="UZ", kind="youth_exchange")])
    found = index.search(SearchParams(countries=("KZ",), kinds=("youth_exchange",)), now=NOW)
    assert found.total == 1 and found.page_ids == [3]
    facets = dict((name, dict(values)) for name, values in found.facets.items())
    assert facets["countries"] == {"KZ": 1, "UZ": 1}  # what choosing another country would add
    assert facets["kinds"] == {"technology_transfer": 1, "youth_exchange": 1}  # within Kazakhstan


def test_order_is_score_then_newest_then_highest_id():
    index = build([facts(1, age_days=30), facts(2, age_days=1), facts(3, age_days=1), facts(4, age_days=5)],
                  document_count=100)
    found = index.search(SearchParams(q="cheese"), now=NOW, terms=[term("cheese", title={1, 2, 3}, body={4})])
    assert found.page_ids == [3, 2, 1, 4]
    newest = index.search(SearchParams(q="cheese", sort="newest"), now=NOW,
                          terms=[term("cheese", title={1, 2, 3}, body={4})])
    assert newest.page_ids == [3, 2, 4, 1]


def test_a_topic_label_finds_its_listings_in_any_language_and_counts_as_taxonomy():
    index = build([facts(1, topics=("drip",)), facts(2, topics=("sand",)), facts(3, topics=("sand",))],
                  document_count=10)
    assert index.search(SearchParams(q="滴灌"), now=NOW, terms=[term("滴灌")]).page_ids == [1]
    prefix = index.search(SearchParams(q="irrig"), now=NOW, terms=[term("irrig", prefix=True)])
    assert prefix.page_ids == [1]
    # A title match (weight 3) ranks above a label match (weight 2).
    mixed = index.search(SearchParams(q="sand"), now=NOW, terms=[term("sand", title={1})])
    assert mixed.page_ids == [1, 3, 2]
    center = index.search(SearchParams(q="desertification"), now=NOW, terms=[term("desertification")])
    assert center.total == 3


def test_every_term_must_match_somewhere():
    index = build([facts(1), facts(2, topics=("sand",))])
    found = index.search(SearchParams(q="drip pump"), now=NOW, terms=[term("drip"), term("pump", body={2})])
    assert found.total == 0 and found.page_ids == []


def test_expired_listings_drop_out_as_time_passes():
    index = build([facts(1, expires_days=1), facts(2, expires_days=10)])
    assert index.search(SearchParams(), now=NOW).total == 2
    assert index.search(SearchParams(), now=NOW + 2 * DAY).page_ids == [2]


def test_ids_unknown_to_the_index_are_ignored():
    index = build([facts(5)])
    found = index.search(SearchParams(q="drip"), now=NOW, terms=[term("drip", title={5, 99, 10**7})])
    assert found.page_ids == [5]


def test_the_text_index_arrays_and_plain_sets_find_the_same_listings():
    index = build([facts(n, age_days=n) for n in range(1, 6)])
    index.replace([2], {2: facts(2, age_days=0.5)}, document_count=5)  # moved to a new slot
    index.replace([4], {}, document_count=5)  # gone
    as_set = index.search(SearchParams(q="cheese"), now=NOW, terms=[term("cheese", title={2, 3, 4, 99})])
    as_array = index.search(SearchParams(q="cheese"), now=NOW,
                            terms=[((Alternative("cheese"),), {TITLE: np.array([99, 4, 3, 2])})])
    assert as_set.page_ids == as_array.page_ids == [2, 3]


def test_changes_in_place_give_what_a_fresh_build_gives():
    rng = random.Random(7)

    def random_facts(listing_id):
        return facts(listing_id, center=rng.choice(["desert", "edu"]), country=rng.choice(["CN", "KZ", "UZ"]),
                     kind=rng.choice(["joint_research", "youth_exchange"]), topics=rng.sample(["drip", "sand"], k=1),
                     languages=rng.sample(["en", "ru", "zh"], k=rng.randint(1, 2)), trl=rng.choice([None, 3, 7]),
                     age_days=rng.randint(0, 300) + rng.random(), expires_days=rng.randint(1, 400))

    current = {listing_id: random_facts(listing_id) for listing_id in range(1, 301)}
    index = build(list(current.values()), document_count=400)
    for _round in range(5):
        changed = rng.sample(range(1, 351), 40)
        for listing_id in changed:
            if rng.random() < 0.3:
                current.pop(listing_id, None)  # withdrawn, expired, suspended…
            else:
                current[listing_id] = random_facts(listing_id)  # edited, renewed, newly published
        index.replace(changed, current, document_count=400)
        fresh = build(list(current.values()), document_count=400)
        text = [term("word", title=set(rng.sample(range(1, 351), 60)), body=set(rng.sample(range(1, 351), 90)))]
        for params in (SearchParams(per_page=500), SearchParams(q="word", per_page=500),
                       SearchParams(q="word", countries=("KZ",), trl_min=3, trl_max=7, per_page=500),
                       SearchParams(q="word", page=2, per_page=7), SearchParams(sort="closing", per_page=500)):
            terms = text if params.q else None
            assert index.search(params, now=NOW, terms=terms) == fresh.search(params, now=NOW, terms=terms)
    assert index.appended > 0


def test_listings_published_since_a_moment():
    index = build([facts(1, age_days=10), facts(2, age_days=0.5)])
    recent = index.published_since(NOW - DAY)
    assert index.search(SearchParams(), now=NOW, within=recent).page_ids == [2]
