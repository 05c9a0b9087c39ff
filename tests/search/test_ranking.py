"""Ranking from plain id sets: the same order whatever database found the ids. Pure: the
facet index ranks what the text index found (title and body) and its own label matches."""

import math
from dataclasses import replace

from portal.search.facet_index import FacetIndex
from portal.search.search_params import SearchParams
from portal.search.query import Alternative
from portal.search.ranking import BODY, MACHINE, TITLE, inverse_document_frequency
from tests.search.test_facet_index import NOW, facts

LABELS = {("topics", "solar"): frozenset({"solar"}), ("topics", "other"): frozenset({"other"})}


def term(word, title=(), body=(), machine=()):
    return ((Alternative(word),), {TITLE: set(title), BODY: set(body), MACHINE: set(machine)})


def found(terms, listings=None, total_documents=10):
    """What a search for ``terms`` finds among listings 1–6 (all topic "other", published alike)."""
    listings = listings or [facts(n, topics=("other",)) for n in range(1, 7)]
    index = FacetIndex.build(listings, built_at=NOW, document_count=total_documents, labels=LABELS)
    return index.search(SearchParams(q="x", per_page=50), now=NOW, terms=terms)


def ranked(terms, listings=None, total_documents=10):
    """Ids found for ``terms``, best first."""
    return found(terms, listings, total_documents).page_ids


def test_title_match_beats_taxonomy_beats_body():
    listings = [facts(3, topics=("other",)), facts(2, topics=("solar",)), facts(1, topics=("other",))]
    assert ranked([term("solar", title={3}, body={1})], listings) == [3, 2, 1]


def test_several_fields_add_up():
    assert ranked([term("solar", title={1, 2}, body={1})]) == [1, 2]  # a tie would put 2 first


def test_rarer_term_weighs_more():
    common = term("water", title={2}, body={1, 3, 4, 5, 6})
    rare = term("pump", title={1}, body={2})
    assert ranked([common, rare]) == [1, 2]  # only those having both; the rare term in 1's title


def test_all_terms_must_match_and_nothing_is_not_widened():
    assert ranked([term("a", title={1, 2}), term("b", body={2, 3})]) == [2]
    assert ranked([term("a", title={1}), term("b", body={2})]) == []


def test_idf_is_positive_and_falls_with_frequency():
    values = [inverse_document_frequency(frequency, 100) for frequency in (1, 10, 50, 100)]
    assert values == sorted(values, reverse=True)
    assert values[-1] > 0
    assert inverse_document_frequency(5, 0) > 0  # a stale count never breaks the formula


def test_scores_are_reproducible():
    terms = [term("a", title={1, 2, 3}, body={4}), term("b", body={1, 2, 3, 4})]
    assert ranked(terms, total_documents=50) == ranked(terms, total_documents=50)


def test_ties_go_to_the_newest_published_then_the_newest_id():
    never_published = replace(facts(5), published_at=-math.inf)
    listings = [facts(1, age_days=30), facts(2, age_days=10), facts(3, age_days=9), facts(4, age_days=10),
                never_published]
    assert ranked([term("a", title={1}, body={2, 3, 4, 5})], listings) == [1, 3, 4, 2, 5]


def test_machine_text_ranks_below_anything_people_wrote():
    # 1 and 4 have the word in machine text only (4 is newer: it would win a tie), 2 in its body, 3 in
    # its title (and its machine text); 4 and 1 are found only through machine text.
    result = found([term("solar", title={3}, body={2}, machine={1, 3, 4})])
    assert result.page_ids == [3, 2, 4, 1]
    assert result.via_machine == {1, 4}


def test_a_result_lacking_one_term_but_in_machine_text_is_found_through_it():
    result = found([term("solar", title={1, 2}), term("pump", body={1}, machine={2})])
    assert result.page_ids == [1, 2] and result.via_machine == {2}


def test_a_listing_labelled_with_the_word_is_not_found_through_machine_text():
    result = found([term("solar", machine={5})], [facts(5, topics=("solar",)), facts(6, topics=("other",))])
    assert result.page_ids == [5] and result.via_machine == frozenset() and result.via_subjects == {}


def test_a_listing_lacking_one_named_concept_needs_more_than_a_broader_concept_for_the_other():
    from portal.thesaurus.concepts import Concept, Thesaurus

    thesaurus = Thesaurus([Concept("credit", "u:c", pref={"en": "credit"}),
                           Concept("microcredit", "u:m", pref={"en": "microcredit"}, broader=("credit",)),
                           Concept("women", "u:w", pref={"en": "women"})])
    listings = [replace(facts(1, age_days=5), subjects=("microcredit", "women")),
                replace(facts(2, age_days=1), subjects=("women",)),
                replace(facts(3, age_days=1), subjects=("credit",)),  # academic credits, say
                replace(facts(4, age_days=2), subjects=("microcredit",)),
                replace(facts(5, age_days=1), subjects=("credit", "women"))]
    index = FacetIndex.build(listings, built_at=NOW, document_count=5, labels=LABELS, thesaurus=thesaurus)
    result = index.search(SearchParams(q="microcredit for women", per_page=50), now=NOW,
                          terms=[term("microcredit"), term("women")],
                          term_subjects=[frozenset({"microcredit"}), frozenset({"women"})])
    # Both concepts first; then those about one of them (newest first), and the listing about
    # credit in general only with women; never the one about credit alone.
    assert result.page_ids[0] == 1
    assert set(result.page_ids) == {1, 2, 4, 5}


def test_words_apart_are_not_one_concept_named_by_all_of_them():
    # "Hytaý dili mugallymlary" names one concept (teaching Chinese) with three words: listing 1
    # is about it; listing 2 merely has two of the words apart (a hackathon with China's
    # universities and teachers as mentors). Relaxing may leave out a concept, not one of its words.
    words = ["hytaý", "dili", "mugallymlary"]
    listings = [replace(facts(1), subjects=("chinese-teaching",)), facts(2)]
    index = FacetIndex.build(listings, built_at=NOW, document_count=2, labels=LABELS)
    result = index.search(SearchParams(q=" ".join(words), per_page=50), now=NOW,
                          terms=[term("hytaý", body={2}), term("dili"), term("mugallymlary", body={2})],
                          term_subjects=[frozenset({"chinese-teaching"})] * 3)
    assert result.page_ids == [1]


def test_a_query_widens_to_the_concept_above_its_own_only_among_listings_about_that_concept():
    from portal.thesaurus.concepts import Concept, Thesaurus

    thesaurus = Thesaurus([Concept("seeds", "u:s", pref={"en": "seeds"}),
                           Concept("seed-potato", "u:p", pref={"en": "seed potato"}, broader=("seeds",))])
    listings = [replace(facts(1), subjects=("seed-potato",)),
                replace(facts(2), subjects=("seeds",), prominent=("seeds",)),  # a seed bank's offer
                replace(facts(3), subjects=("seeds", "rangeland"))]  # sowing shrub seed, in passing
    index = FacetIndex.build(listings, built_at=NOW, document_count=3, labels=LABELS, thesaurus=thesaurus)
    result = index.search(SearchParams(q="seed potato", per_page=50), now=NOW,
                          terms=[term("seed"), term("potato")], term_subjects=[frozenset({"seed-potato"})] * 2)
    assert result.page_ids == [1, 2]
