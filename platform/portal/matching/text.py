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
from functools import lru_cache
from hashlib import blake2b
from itertools import chain, repeat

from portal.language.analyzer import (_CJK_RUN, _WORD, MAX_TOKEN_LENGTH, STEM_MARKER, cjk_bigrams, fold,
                                      segments, stem_token)

__all__ = ["PREFIX_LANGUAGES", "PREFIX_LENGTH", "fold", "matching_tokens", "ordered_matching_tokens",
           "text_matching_tokens", "token_keys", "word_token"]

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
    return set(ordered_matching_tokens(text, language))


def ordered_matching_tokens(text: str, language: str | None) -> dict[str, None]:
    """The text's matching tokens, each once, in the order the text first has them (so that a
    profile's tokens, and the signature's choice among equally heavy ones, do not depend on
    the process's string hashing)."""
    folded = fold(text)
    words = _WORD.findall(folded)
    if _CJK_RUN.search(folded) is None:  # the usual case: every word through the cache, in C
        return dict.fromkeys(chain.from_iterable(map(_word_tokens, words, repeat(language))))
    return dict.fromkeys(chain.from_iterable(
        _word_tokens(word, language) if _CJK_RUN.search(word) is None else _mixed_tokens(word, language)
        for word in words))


def _mixed_tokens(word: str, language: str | None) -> list[str]:
    """A word with CJK runs (a Chinese sentence, "5g通信"): bigrams of the runs (the character of
    a one-character run), and the words between them."""
    tokens: list[str] = []
    for segment in segments(word):
        if not segment.is_cjk:
            tokens += _word_tokens(segment.text, language)
        elif len(segment.text) == 1:
            tokens.append(segment.text)
        else:
            tokens += [bigram for bigram in cjk_bigrams(segment.text)
                       if CJK_FUNCTION_CHARACTERS.isdisjoint(bigram)]
    return tokens


@lru_cache(maxsize=200_000)
def _word_tokens(word: str, language: str | None) -> tuple[str, ...]:
    # Cached: listing after listing repeats the same words (a rebuild of the matching index
    # analyses every public listing's texts).
    word = word[:MAX_TOKEN_LENGTH]
    if len(word) < 2 or word.isdigit():
        return ()
    return (word_token(word, language),)


def word_token(word: str, language: str | None) -> str:
    stem = stem_token(word, language)
    if stem is not None:
        return stem
    if language in PREFIX_LANGUAGES:
        return STEM_MARKER + word[:PREFIX_LENGTH]
    return word


def token_keys(tokens: Iterable[str]) -> bytes:
    """Each token's key, 8 bytes (little-endian) a token: the first 64 bits of its BLAKE2b hash,
    the same in every process and on every machine, so stored analyses and the index need no
    table of token strings. Two tokens of a million share a key with odds of about 3 in 100
    million (and would then count as one word)."""
    return b"".join([_key(token) for token in tokens])


@lru_cache(maxsize=200_000)
def _key(token: str) -> bytes:
    return blake2b(token.encode(), digest_size=8).digest()
