"""What a visitor typed, turned into terms of index tokens. Pure: no Flask, no SQL.

User syntax never reaches FTS5 or tsquery: quotes, ``*``, ``-``, ``:``, ``AND``/``OR``/``NEAR``
and the like are plain separators or plain words here, and the backends quote every token.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from portal.language.analyzer import (
    SHORT_STEM,
    STEM_MARKER,
    Segment,
    cjk_bigrams,
    fold,
    russian_noun_stem,
    segments,
    stem_token,
    turkic_stem_token,
)
from portal.language.scripts import skeleton

MAX_QUERY_CHARACTERS = 200
MAX_TERMS = 12
# Shorter words match exactly: a prefix of one or two letters would match half the index.
MIN_PREFIX_LENGTH = 3
_WORD_END = re.compile(r"[^\W_]")
_PARTIAL_WORD = re.compile(r"[^\W_]+$")

# Words that say nothing about a listing (and the operators people type out of habit). Dropped
# only while another word remains, so that a query of just "and" still finds something.
STOPWORDS = frozenset(
    # English
    "a an and are as at be by for from in into is it of on or the to with via"
    # Russian
    " а в во и или к на о об от по с со у для из при"
    # Kazakh, Kyrgyz, Tajik (Cyrillic); Uzbek, Turkmen (Latin)
    " және мен бен пен үшін жана менен үчүн ва барои va bilan uchun we bilen üçin".split()
)


@dataclass(frozen=True)
class Alternative:
    """An index token a term may match: exactly, or as the start of a word (``prefix``)."""

    token: str
    prefix: bool = False


@dataclass(frozen=True)
class QueryTerm:
    """One thing every result must contain; any of its alternatives will do."""

    label: str
    alternatives: tuple[Alternative, ...]

    def whole_words(self) -> QueryTerm:
        """The term of a word that names a thesaurus concept: no longer the start of longer
        words, nor a stem of ``SHORT_STEM`` letters or fewer. The concept finds its inflected
        forms in every language, and such a start or stem begins other words too (Turkmen geçi,
        "goat", begins geçirilýär, "is held"; Tajik шир, "milk", the town Ширкент; Russian сели,
        "mudflows", has the stem of села, "villages")."""
        kept = tuple(replace(alternative, prefix=False) for alternative in self.alternatives
                     if not alternative.token.startswith(STEM_MARKER)
                     or len(alternative.token.lstrip(STEM_MARKER)) > SHORT_STEM)
        return replace(self, alternatives=kept) if kept else self


def parse_query(text: str) -> list[QueryTerm]:
    """Terms of a query; empty for a blank query or one of only punctuation."""
    folded = _cut(fold(text[: MAX_QUERY_CHARACTERS * 4]))
    terms = _unique(term for segment in segments(folded) for term in _terms_of(segment))
    meaningful = [term for term in terms if term.label not in STOPWORDS]
    return (meaningful or terms)[:MAX_TERMS]


def _cut(folded: str) -> str:
    """At most MAX_QUERY_CHARACTERS, without a word cut in two (unless it is the only one)."""
    if len(folded) <= MAX_QUERY_CHARACTERS:
        return folded
    kept = folded[:MAX_QUERY_CHARACTERS]
    if not _WORD_END.match(folded, MAX_QUERY_CHARACTERS):
        return kept  # the cut falls between words
    return _PARTIAL_WORD.sub("", kept) or kept


def _terms_of(segment: Segment) -> Iterator[QueryTerm]:
    if not segment.is_cjk:
        yield _word_term(segment.text)
    elif len(segment.text) == 1:
        yield QueryTerm(segment.text, (Alternative(segment.text),))
    else:
        # A word of Chinese text is its bigrams: all of them must be found.
        for bigram in cjk_bigrams(segment.text):
            yield QueryTerm(bigram, (Alternative(bigram),))


def _word_term(word: str) -> QueryTerm:
    # The query's language is unknown: the surface form (a prefix, for the Turkic languages
    # that have no stemmer) or, for Cyrillic and Latin words, the Russian or English stem.
    # Its plain Latin skeleton meets the other script's spelling of the same word.
    prefix = len(word) >= MIN_PREFIX_LENGTH and not word.isdigit()
    alternatives = [Alternative(word, prefix=prefix)]
    stem = stem_token(word, None)
    if stem is not None:
        alternatives.append(Alternative(stem))
    noun = russian_noun_stem(word)  # фисташковые also finds фисташки
    if noun is not None:
        alternatives.append(Alternative(STEM_MARKER + noun))
    plain = skeleton(word)
    if plain and plain != word:
        alternatives.append(Alternative(plain, prefix=prefix))
    turkic = turkic_stem_token(word)
    if turkic is not None:
        alternatives.append(Alternative(turkic))
    return QueryTerm(word, tuple(alternatives))


def _unique(terms: Iterator[QueryTerm]) -> list[QueryTerm]:
    seen: set[tuple[Alternative, ...]] = set()
    unique: list[QueryTerm] = []
    for term in terms:
        if term.alternatives not in seen:
            seen.add(term.alternatives)
            unique.append(term)
    return unique
