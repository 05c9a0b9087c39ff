"""Text to index tokens, one analysis for documents and queries alike. Pure: no Flask, no SQL.

Token scheme (each token is made only of letters, digits, ``ʻ`` and a leading ``~``, so that
SQLite's unicode61 tokenizer and PostgreSQL's ``array_to_tsvector`` keep it whole):

* ``word`` – a folded surface word (``опустынивание``, ``oʻzbek``, ``5g``);
* ``~stem`` – the Snowball stem of a Russian or English word (``~опустыниван``, ``~irrig``);
  the marker keeps stems apart from surface words, so a prefix query never reaches them;
* ``光`` and ``光伏`` – Chinese (CJK) text as single characters plus overlapping bigrams, as
  Lucene's CJK analyzer does, since the text has no spaces to split words at;
* ``ozbekiston`` – a word's plain Latin skeleton when it differs from the word, so Cyrillic
  and Latin spellings of Uzbek and Kazakh meet (``portal.language.scripts``);
* ``~~stem`` – the Turkic stem (``portal.language.turkic``) of a word of a Kazakh, Kyrgyz, Tajik,
  Turkmen or Uzbek text, or of a keyword: a query word meets it whatever ending either wears,
  even when the stem itself changes (Turkmen ``kitap`` / ``kitaby``), which a prefix cannot.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from snowballstemmer.basestemmer import BaseStemmer

from portal.language.scripts import skeleton
from portal.language.turkic import turkic_stem

STEM_MARKER = "~"
TURKIC_STEM_MARKER = "~~"
#: Languages whose words also get their Turkic stem (None: keywords, whose language is unknown).
TURKIC_STEM_LANGUAGES = frozenset({"kk", "ky", "tg", "tk", "uz", None})
#: Shorter words are matched by their prefix well enough; a stem of them says little.
MIN_TURKIC_STEM_WORD = 4
#: A stem this short is shared by unrelated words (Russian сел: сели, "mudflows", and села,
#: "villages"): the thesaurus' annotator and a query's concept words do not trust it alone.
SHORT_STEM = 3
UZBEK_APOSTROPHE = "\u02bb"  # ʻ, a modifier letter: a word character to every tokenizer
# ʻ ʼ ' ‘ ’ ` ´ – all typed for the Uzbek apostrophe (oʻzbek, o'zbek, o‘zbek, o’zbek).
APOSTROPHES = "\u02bb\u02bc\u0027\u2018\u2019\u0060\u00b4"
# Bounds a lexeme well under PostgreSQL's 2 KB limit; queries are cut the same way.
MAX_TOKEN_LENGTH = 64

_CJK_CHAR = (
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK ideographs, extension A, compatibility
    "\uac00-\ud7af"  # Hangul syllables
    "\U00020000-\U0003134f"  # CJK extensions B–G
)
_CJK_RUN = re.compile(f"[{_CJK_CHAR}]+")
_WORD = re.compile(r"[^\W_]+")  # letters and digits (ʻ is a letter: Unicode category Lm)
_APOSTROPHE = re.compile(f"[{APOSTROPHES}]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Invisible format characters (soft hyphen, zero-width joiners, BOM…) sit inside words: drop them.
_FORMAT = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_CYRILLIC = re.compile("[\u0400-\u052f]")
_LATIN = re.compile("[a-z\u00c0-\u024f\u1e00-\u1eff]")

# Which words of a text get a stem, by the text's language. Only Russian and English have a
# stemmer; Latin words inside Chinese, Kazakh, Kyrgyz or Tajik text are mostly English terms,
# while Uzbek and Turkmen are themselves written in Latin, so their words are left alone.
# ``None`` is text of unknown language (keywords, queries): each word by its script.
_BOTH = {"latin": "english", "cyrillic": "russian"}
_ENGLISH_ONLY = {"latin": "english"}
STEMMERS_BY_LANGUAGE: dict[str | None, dict[str, str]] = {
    None: _BOTH, "en": _BOTH, "ru": _BOTH,
    "zh": _ENGLISH_ONLY, "kk": _ENGLISH_ONLY, "ky": _ENGLISH_ONLY, "tg": _ENGLISH_ONLY,
    "uz": {}, "tk": {},
}


@dataclass(frozen=True)
class Segment:
    """A run of text to index: a word, or a run of CJK characters (``is_cjk``)."""

    text: str
    is_cjk: bool = False


def fold(text: str) -> str:
    """Case and compatibility folding, careful with Turkic i and Cyrillic ё."""
    text = _FORMAT.sub("", _CONTROL.sub(" ", text))
    # NFKC would turn the acute accent into a space and a combining mark: take it as typed.
    text = text.replace("\u00b4", "'")
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    # casefold("İ") is "i" + combining dot above; dotless ı is the same letter to a searcher.
    text = text.replace("i\u0307", "i").replace("ı", "i").replace("ё", "е")
    return _unify_apostrophes(text)


def _unify_apostrophes(text: str) -> str:
    # After a letter an apostrophe belongs to the word (oʻzbek, togʻ); elsewhere it's a quote.
    def replace(match: re.Match[str]) -> str:
        start = match.start()
        return UZBEK_APOSTROPHE if start > 0 and _WORD.match(text[start - 1]) else " "

    return _APOSTROPHE.sub(replace, text)


def segments(folded: str) -> Iterator[Segment]:
    """Words and CJK runs of already folded text, in order."""
    for match in _WORD.finditer(folded):
        word = match.group()
        if not _CJK_RUN.search(word):
            yield Segment(word[:MAX_TOKEN_LENGTH])
            continue
        yield from _split_cjk(word)


def _split_cjk(word: str) -> Iterator[Segment]:
    # "5g通信" is the word "5g" followed by the CJK run "通信".
    position = 0
    for run in _CJK_RUN.finditer(word):
        if run.start() > position:
            yield Segment(word[position:run.start()][:MAX_TOKEN_LENGTH])
        yield Segment(run.group(), is_cjk=True)
        position = run.end()
    if position < len(word):
        yield Segment(word[position:][:MAX_TOKEN_LENGTH])


def cjk_bigrams(run: str) -> list[str]:
    return [run[i:i + 2] for i in range(len(run) - 1)]


def script_of(word: str) -> str | None:
    if _CYRILLIC.search(word):
        return "cyrillic"
    if _LATIN.search(word):
        return "latin"
    return None


def stem_token(word: str, language: str | None) -> str | None:
    """``~stem`` for a word that a stemmer of the text's language covers, else None."""
    if word.isdigit():
        return None
    algorithm = STEMMERS_BY_LANGUAGE.get(language, {}).get(script_of(word) or "")
    if algorithm is None:
        return None
    return STEM_MARKER + snowball_stem(algorithm, word)


#: Endings of a Russian adjective (after Snowball has cut them, what is left is its stem).
_RUSSIAN_ADJECTIVE_ENDINGS = frozenset(
    "ый ий ой ая яя ое ее ые ие ого его ому ему ым им ых их ую юю ыми ими".split())
#: The suffix of a relational adjective made from a noun (фисташк-ов-ый, груш-ев-ый), and how
#: long the noun's stem must be for the cut to be safe (рис-ов-ый is left alone: "рис" is too
#: short a stem to tell from others).
_RELATIONAL_SUFFIXES = ("ов", "ев")
MIN_RELATIONAL_NOUN_STEM = 4


def russian_noun_stem(word: str) -> str | None:
    """For a Russian relational adjective, the Snowball stem of the noun it is made from
    (фисташковые → фисташк, as фисташка; грушевых → груш), else None. Snowball stems
    inflection, not derivation: without this, "фисташковые плантации" never meets a text or a
    label that says "фисташки"."""
    if script_of(word) != "cyrillic":
        return None
    stem = snowball_stem("russian", word)
    if not word.startswith(stem) or word[len(stem):] not in _RUSSIAN_ADJECTIVE_ENDINGS:
        return None
    for suffix in _RELATIONAL_SUFFIXES:
        if stem.endswith(suffix) and len(stem) - len(suffix) >= MIN_RELATIONAL_NOUN_STEM:
            return stem[:-len(suffix)]
    return None


@lru_cache(maxsize=200_000)
def snowball_stem(algorithm: str, word: str) -> str:
    # Vocabulary repeats a lot across listings, so the cache does most of the work on a rebuild.
    if algorithm == "english":
        word = _without_possessive(word)
    stemmed: str = _stemmer(algorithm).stemWord(word)
    return stemmed[:MAX_TOKEN_LENGTH] or word


def _without_possessive(word: str) -> str:
    # Snowball knows "farmer's" only with an ASCII apostrophe, which folding has replaced.
    if word.endswith(UZBEK_APOSTROPHE + "s"):
        return word[:-2]
    return word.rstrip(UZBEK_APOSTROPHE) or word


@lru_cache(maxsize=4)
def _stemmer(algorithm: str) -> BaseStemmer:
    return snowballstemmer.stemmer(algorithm)


def text_tokens(text: str, language: str | None) -> set[str]:
    """Every index token of a text whose language is ``language`` (None: unknown)."""
    folded = fold(text)
    words = set(_WORD.findall(folded))  # a text repeats its words: analyse each once
    tokens: set[str] = set()
    has_cjk = _CJK_RUN.search(folded) is not None
    for word in words:
        if has_cjk and _CJK_RUN.search(word):
            tokens.update(_mixed_word_tokens(word, language))
        else:
            tokens.update(_word_tokens(word[:MAX_TOKEN_LENGTH], language))
    return tokens


def _mixed_word_tokens(word: str, language: str | None) -> Iterator[str]:
    for segment in _split_cjk(word):
        if segment.is_cjk:
            yield from segment.text  # single characters, for one-character queries
            yield from cjk_bigrams(segment.text)
        else:
            yield from _word_tokens(segment.text, language)


@lru_cache(maxsize=200_000)
def _word_tokens(word: str, language: str | None) -> tuple[str, ...]:
    # Cached: a rebuild meets the same words in listing after listing.
    tokens = [word]
    if word.endswith(UZBEK_APOSTROPHE) and word.rstrip(UZBEK_APOSTROPHE):
        # A closing quote after a word ('farmers') should not hide the word from exact queries.
        tokens.append(word.rstrip(UZBEK_APOSTROPHE))
    stem = stem_token(word, language)
    if stem is not None:
        tokens.append(stem)
    turkic = turkic_stem_token(word) if language in TURKIC_STEM_LANGUAGES else None
    if turkic is not None:
        tokens.append(turkic)
    plain = skeleton(word)
    if plain != word and plain:
        tokens.append(plain)
    return tuple(tokens)


def turkic_stem_token(word: str) -> str | None:
    """``~~stem`` of a Latin or Cyrillic word long enough to have an ending, else None."""
    if len(word) < MIN_TURKIC_STEM_WORD or word.isdigit() or script_of(word) is None:
        return None
    return (TURKIC_STEM_MARKER + turkic_stem(word))[:MAX_TOKEN_LENGTH]


def texts_tokens(texts: Iterable[tuple[str | None, str]]) -> set[str]:
    """Tokens of several (language, text) pairs, e.g. the titles of every language version."""
    tokens: set[str] = set()
    for language, text in texts:
        if len(text) <= _SHORT_TEXT:
            tokens |= _short_text_tokens(text, language)
        else:
            tokens |= text_tokens(text, language)
    return tokens


_SHORT_TEXT = 80  # taxonomy labels, keywords: the same few hundred texts on listing after listing


@lru_cache(maxsize=20_000)
def _short_text_tokens(text: str, language: str | None) -> frozenset[str]:
    return frozenset(text_tokens(text, language))


def join_tokens(tokens: Iterable[str]) -> str:
    """The stored form: sorted and separated by single spaces (PostgreSQL splits on them)."""
    return " ".join(sorted(set(tokens)))
