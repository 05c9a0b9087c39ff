"""The terms of relevance, so both databases rank alike. Pure: no Flask, no SQL.

The database only answers "which documents have this token in this field"; a document's score
sums, for every query term, the term's idf times the weight of each field having it, and the
facet index (``search.facet_index``) orders the results by that score, then newest.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence

import numpy as np

from portal.search.query import Alternative

TITLE, BODY, TAXONOMY, SUBJECT, RELATED_SUBJECT = "title", "body", "taxonomy", "subject", "related_subject"
BROADER_SUBJECT = "broader_subject"
MACHINE = "machine"  # the listing's machine translations (``portal.machine_translation``)
FIELDS: tuple[str, ...] = (TITLE, BODY, TAXONOMY, SUBJECT, RELATED_SUBJECT, BROADER_SUBJECT, MACHINE)
#: The fields the database's text index answers for; taxonomy labels are matched by the facet
#: index (``search.facet_index``).
TEXT_FIELDS: tuple[str, ...] = (TITLE, BODY, MACHINE)
# A word in the title says most about a listing; a topic label names what it is about, the
# body merely mentions it.
# A concept of the thesaurus that the listing is about, in any language, says about as much as
# a topic label (``SUBJECT``: the query's words read as concepts, ``portal.thesaurus``, or a
# narrower one); a concept related to the query's, less; the concept just above the query's
# (glaciers, for glacier monitoring), least.
# Machine text (title, summary and description alike) weighs half the body's: it restates the
# original in another language, with an engine's mistakes, so a word people wrote always ranks
# first, and a listing having it in both counts the machine's share only as a little extra.
FIELD_WEIGHTS: Mapping[str, float] = {TITLE: 3.0, TAXONOMY: 2.0, SUBJECT: 2.0, RELATED_SUBJECT: 1.0, BODY: 1.0,
                                      BROADER_SUBJECT: 0.5, MACHINE: 0.5}

#: For one query term: field -> ids of the documents having the term there, each once (the
#: text index gives numpy arrays).
TermMatches = Mapping[str, Collection[int]]
#: For one query term: its alternatives (see ``query``), and its matches in the text fields.
TextMatches = tuple[Sequence[Alternative], TermMatches]


def id_array(ids: Collection[int]) -> np.ndarray:
    """Document ids as the numpy array the text index gives (any collection will do)."""
    return ids if isinstance(ids, np.ndarray) else np.fromiter(ids, np.int64, len(ids))


def inverse_document_frequency(document_frequency: int, total_documents: int) -> float:
    """BM25's idf, kept positive: a term in most documents still counts a little."""
    total = max(total_documents, document_frequency)
    return math.log(1.0 + (total - document_frequency + 0.5) / (document_frequency + 0.5))
