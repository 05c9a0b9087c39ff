"""Which listings a text query finds, and in which order. Pure Python.

A query's terms each match listings through the text index (title, body, and the machine
translations, which weigh less), the taxonomy's labels and the thesaurus concepts the query names
(``portal.thesaurus``); ``score_tiers`` decides which terms a result must have and splits the
results into tiers of equal score, which the facet index (``facet_index``) pages through newest
first.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence, Set
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from portal.search.ranking import (
    BODY,
    BROADER_SUBJECT,
    FIELD_WEIGHTS,
    FIELDS,
    MACHINE,
    RELATED_SUBJECT,
    SUBJECT,
    TAXONOMY,
    TITLE,
    TextMatches,
    id_array,
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


@dataclass
class Tiers:
    """What ``score_tiers`` found: the matching slots split by score, best first; those found
    through concepts only (no word of the query in their text, machine text included); and
    those found only thanks to machine text (without it they would not be results)."""

    tiers: list[tuple[float, int]]
    only_subjects: int = 0
    only_machine: int = 0


def score_tiers(index: FacetIndex, terms: Sequence[TextMatches], base: int,
                term_subjects: Sequence[Set[str]]) -> Tiers:
    """A score sums, term by term and field by field in that order (so the floats add up
    alike every time), the term's idf times the weight of each field having it. The idf
    counts the documents having the term in their text (machine text included), published
    or not, as the text index does, plus the public ones labelled with it or about its
    concept.

    Which terms a result must have: when the query names concepts, the terms they cover
    (by text or by concept, in any language); the other words then only rank. Otherwise
    every term. Either way a term found nowhere is left out rather than emptying the
    results, and when fewer than ``RELAX_BELOW`` listings have all of three or more terms (or
    the terms of two different concepts), listings lacking one of them are shown after them,
    provided they have the others through more than a broader concept.

    A result is found only through machine text when, without its machine translations, it
    would not meet those same requirements."""
    per_term = []
    unions = []
    human_unions = []  # the same without machine text
    broader_only = []  # per term, the slots that have it only through a broader concept
    for (alternatives, matches), subjects in zip(terms, term_subjects, strict=True):
        fields = {TITLE: index.slots_of(matches.get(TITLE, ())), BODY: index.slots_of(matches.get(BODY, ())),
                  TAXONOMY: index.labelled(alternatives),
                  SUBJECT: index.subject_bits(subjects) if subjects else 0,
                  RELATED_SUBJECT: index.related_subject_bits(subjects) if subjects else 0,
                  BROADER_SUBJECT: index.broader_subject_bits(subjects) if subjects else 0,
                  MACHINE: index.slots_of(matches.get(MACHINE, ()))}
        # The concept above counts only for a listing that has nothing closer to say (nor, for
        # its score, a machine translation having the word).
        broader = fields[BROADER_SUBJECT] & ~(fields[TITLE] | fields[BODY] | fields[TAXONOMY] | fields[SUBJECT]
                                              | fields[RELATED_SUBJECT])
        fields[BROADER_SUBJECT] = broader & ~fields[MACHINE]
        broader_only.append(fields[BROADER_SUBJECT])
        by_subject = fields[SUBJECT] | fields[RELATED_SUBJECT]
        words = fields[TITLE] | fields[BODY] | fields[MACHINE]
        # (and it widens what the term finds without making the term any commoner)
        only_labelled = (fields[TAXONOMY] | by_subject) & ~words
        human_unions.append(fields[TITLE] | fields[BODY] | fields[TAXONOMY] | by_subject | broader)
        unions.append(human_unions[-1] | fields[MACHINE])
        in_text = _documents_having(matches.get(TITLE, ()), matches.get(BODY, ()), matches.get(MACHINE, ()))
        frequency = in_text + only_labelled.bit_count()
        per_term.append((inverse_document_frequency(frequency, index.document_count), fields))
    covered = [bool(subjects) for subjects in term_subjects]
    required = [i for i in range(len(terms)) if covered[i]] if any(covered) else list(range(len(terms)))
    found_anywhere = [i for i in required if unions[i] & base]
    required = _units(found_anywhere or required, term_subjects)
    matched = _having(unions, required, base, relaxed=False)
    # Two concepts a query names may never meet in one listing ("microcredit for beekeepers"):
    # listings about either are still what the searcher looks for.
    concepts_named = {frozenset(term_subjects[unit[0]]) for unit in required if term_subjects[unit[0]]}
    relaxed = matched.bit_count() < RELAX_BELOW and (len(required) >= MIN_TERMS_TO_RELAX or len(concepts_named) >= 2)
    if relaxed:
        matched = _matching(unions, broader_only, required, base, relaxed=True)
    only_machine = matched & ~_matching(human_unions, broader_only, required, base, relaxed=relaxed) if matched else 0
    in_words = 0
    for _idf, fields in per_term:
        in_words |= fields[TITLE] | fields[BODY] | fields[TAXONOMY] | fields[MACHINE]
    only_subjects = matched & ~in_words
    parts = [(0.0, matched)] if matched else []
    for idf, fields in per_term:
        for name in FIELDS:
            weight = idf * FIELD_WEIGHTS.get(name, 0.0)
            if not fields[name] & matched:
                continue  # splits nothing (at a million listings, each split is a few 125 KB copies)
            split = []
            for score, bits in parts:
                having = bits & fields[name]
                if having:
                    split.append((score + weight, having))
                    bits ^= having  # what lacks the field: bits & ~field, without a negative int
                if bits:
                    split.append((score, bits))
            parts = split
    merged: dict[float, int] = {}
    for score, bits in parts:
        merged[score] = merged.get(score, 0) | bits
    return Tiers(sorted(merged.items(), key=lambda item: -item[0]), only_subjects, only_machine)


def _documents_having(*fields: Collection[int]) -> int:
    """How many documents the id collections of the fields name (each without repeats)."""
    arrays = [id_array(ids) for ids in fields if len(ids)]
    if len(arrays) <= 1:
        return len(arrays[0]) if arrays else 0
    joined = np.concatenate(arrays)
    seen = np.zeros(int(joined.max()) + 1, dtype=bool)
    seen[joined] = True
    return int(np.count_nonzero(seen))


def _units(required: Sequence[int], term_subjects: Sequence[Set[str]]) -> list[tuple[int, ...]]:
    """The required terms, those naming the same concepts together: relaxing leaves out a whole
    concept or word, never one word of a concept's name (a listing having "Hytaý" and
    "mugallymlary" apart is not about teachers of Chinese, "Hytaý dili mugallymlary")."""
    units: dict[object, list[int]] = {}
    for i in required:
        units.setdefault(frozenset(term_subjects[i]) or i, []).append(i)
    return [tuple(unit) for unit in units.values()]


def _matching(unions: Sequence[int], broader_only: Sequence[int], required: Sequence[tuple[int, ...]], base: int, *,
              relaxed: bool) -> int:
    """The slots having every required term; ``relaxed``: also those lacking one that have the
    others through something closer than a broader concept (lacking "women", a listing about
    credit in general is no answer to "microcredit for women")."""
    matched = _having(unions, required, base, relaxed=False)
    if relaxed:
        closer = [union & ~broader for union, broader in zip(unions, broader_only, strict=True)]
        matched |= _having(closer, required, base, relaxed=True)
    return matched


def _having(unions: Sequence[int], required: Sequence[tuple[int, ...]], base: int, *, relaxed: bool) -> int:
    """The slots of ``base`` having every term of every required unit (``relaxed``: of all
    units but any one)."""
    if not relaxed:
        matched = base
        for unit in required:
            for i in unit:
                matched &= unions[i]
        return matched
    matched = 0
    for left_out in required:
        having = base
        for unit in required:
            if unit is not left_out:
                for i in unit:
                    having &= unions[i]
        matched |= having
    return matched
