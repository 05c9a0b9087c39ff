"""Text to matching tokens, with the search analyzer's folding and segmentation
(``portal.language.analyzer``), tuned for comparing documents rather than answering queries.
Pure: no Flask, no SQL.

* Chinese runs give their overlapping bigrams only (single characters say little about a topic),
  leaving out those with a function character (的, 和, 与…: mostly a bigram across two words);
* a Russian or English word gives its Snowball stem only (the analyzer's ``~stem``);
* a word of a language without a stemmer (Kazakh, Kyrgyz, Tajik, Turkmen, Uzbek) gives its first
  ``PREFIX_LENGTH`` letters, as ``~prefix`` – the usual stand-in for stemming agglutinative
  languages (``суару``/``суарылады``, ``sugʻorish``/``sugʻoriladigan``);
* numbers and one-letter words are left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from portal.language.analyzer import STEM_MARKER, cjk_bigrams, fold, segments, stem_token

__all__ = ["PREFIX_LANGUAGES", "PREFIX_LENGTH", "fold", "matching_tokens", "text_matching_tokens",
           "word_token"]

#: Chinese function characters: a bigram with one of them rarely is a word ("技术的", "和滴").
CJK_FUNCTION_CHARACTERS = frozenset("的了和与及在为是等对将向从以并可于其我们这该各之也或把被由而所已")
#: Languages whose words are cut to a prefix (no Snowball stemmer for them).
PREFIX_LANGUAGES = frozenset({"kk", "ky", "tg", "tk", "uz"})
PREFIX_LENGTH = 6


def matching_tokens(texts: Iterable[tuple[str | None, str]]) -> Counter[str]:
    """Token -> number of the (language, text) pairs having it."""
    counts: Counter[str] = Counter()
    for language, text in texts:
        if text:
            counts.update(text_matching_tokens(text, language))
    return counts


def text_matching_tokens(text: str, language: str | None) -> set[str]:
    tokens: set[str] = set()
    for segment in segments(fold(text)):
        if segment.is_cjk:
            run = segment.text
            if len(run) == 1:
                tokens.add(run)
            else:
                tokens.update(bigram for bigram in cjk_bigrams(run)
                              if CJK_FUNCTION_CHARACTERS.isdisjoint(bigram))
            continue
        word = segment.text
        if len(word) < 2 or word.isdigit():
            continue
        tokens.add(word_token(word, language))
    return tokens


def word_token(word: str, language: str | None) -> str:
    stem = stem_token(word, language)
    if stem is not None:
        return stem
    if language in PREFIX_LANGUAGES:
        return STEM_MARKER + word[:PREFIX_LENGTH]
    return word
