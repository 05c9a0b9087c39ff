"""Which listings a text query finds, and in which order. Pure Python.

A query's terms each match listings through the text index (title, body), the taxonomy's labels
and the thesaurus concepts the query names (``portal.thesaurus``); ``score_tiers`` decides which
terms a result must have and splits the results into tiers of equal score, which the facet index
(``facet_index``) pages through newest first.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from typing import TYPE_CHECKING

from portal.search.ranking import (
    BODY,
    BROADER_SUBJECT,
    FIELD_WEIGHTS,
    FIELDS,
    RELATED_SUBJECT,
    SUBJECT,
    TAXONOMY,
    TITLE,
    TextMatches,
    inverse_document_frequency,
)

if TYPE_CHECKING:
    from portal.search.facet_index import FacetIndex

#: A query of this many required terms that no listing has all of shows those lacking one; a
#: shorter one shows nothing (two words that never meet are a real "no result").
MIN_TERMS_TO_RELAX = 3
#: ... and so does one whose listings having every term fill less than a page: they come first,
#: those lacking one after them (their score is lower).
RELAX_BELOW = 10


def score_tiers(index: FacetIndex, terms: Sequence[TextMatches], base: int,
                 term_subjects: Sequence[Set[str]]) -> tuple[list[tuple[float, int]], int]:
    """The matching slots split by score, best first, and those matched through concepts
    only. A score sums, term by term and field by field in that order (so the floats add up
    alike every time), the term's idf times the weight of each field having it. The idf
    counts the documents having the term in their text, published or not, as the text
    index does, plus the public ones labelled with it or about its concept.

    Which terms a result must have: when the query names concepts, the terms they cover
    (by text or by concept, in any language); the other words then only rank. Otherwise
    every term. Either way a term found nowhere is left out rather than emptying the
    results, and when no listing has all of three or more terms (or the terms of two
    different concepts), listings lacking one of them are shown."""
    per_term = []
    unions = []
    for (alternatives, matches), subjects in zip(terms, term_subjects, strict=True):
        in_text = set(matches.get(TITLE, ())) | set(matches.get(BODY, ()))
        fields = {TITLE: index.slots_of(matches.get(TITLE, ())), BODY: index.slots_of(matches.get(BODY, ())),
                  TAXONOMY: index.labelled(alternatives),
                  SUBJECT: index.subject_bits(subjects) if subjects else 0,
                  RELATED_SUBJECT: index.related_subject_bits(subjects) if subjects else 0,
                  BROADER_SUBJECT: index.broader_subject_bits(subjects) if subjects else 0}
        # The concept above counts only for a listing that has nothing closer to say.
        fields[BROADER_SUBJECT] &= ~(fields[TITLE] | fields[BODY] | fields[TAXONOMY] | fields[SUBJECT]
                                     | fields[RELATED_SUBJECT])
        by_subject = fields[SUBJECT] | fields[RELATED_SUBJECT]
        # (and it widens what the term finds without making the term any commoner)
        only_labelled = (fields[TAXONOMY] | by_subject) & ~(fields[TITLE] | fields[BODY])
        unions.append(fields[TITLE] | fields[BODY] | fields[TAXONOMY] | by_subject | fields[BROADER_SUBJECT])
        frequency = len(in_text) + only_labelled.bit_count()
        per_term.append((inverse_document_frequency(frequency, index.document_count), fields))
    covered = [bool(subjects) for subjects in term_subjects]
    required = [i for i in range(len(terms)) if covered[i]] if any(covered) else list(range(len(terms)))
    found_anywhere = [i for i in required if unions[i] & base]
    required = found_anywhere or required
    matched = base
    for i in required:
        matched &= unions[i]
    # Two concepts a query names may never meet in one listing ("microcredit for beekeepers"):
    # listings about either are still what the searcher looks for.
    concepts_named = {frozenset(term_subjects[i]) for i in required if term_subjects[i]}
    if matched.bit_count() < RELAX_BELOW and (len(required) >= MIN_TERMS_TO_RELAX or len(concepts_named) >= 2):
        for left_out in required:  # all but one
            having = base
            for i in required:
                if i != left_out:
                    having &= unions[i]
            matched |= having
    in_words = 0
    for _idf, fields in per_term:
        in_words |= fields[TITLE] | fields[BODY] | fields[TAXONOMY]
    only_subjects = matched & ~in_words
    parts = [(0.0, matched)] if matched else []
    for idf, fields in per_term:
        for name in FIELDS:
            weight = idf * FIELD_WEIGHTS.get(name, 0.0)
            split = []
            for score, bits in parts:
                having = bits & fields[name]
                if having:
                    split.append((score + weight, having))
                if bits & ~fields[name]:
                    split.append((score, bits & ~fields[name]))
            parts = split
    merged: dict[float, int] = {}
    for score, bits in parts:
        merged[score] = merged.get(score, 0) | bits
    return sorted(merged.items(), key=lambda item: -item[0]), only_subjects
