"""A light suffix stripper for Kazakh, Kyrgyz, Turkmen, Uzbek (and Tajik's few endings). Pure.

None of these languages has a Snowball stemmer. Their words take case, plural and possessive
endings in vowel-harmony variants (``суаруды``, ``suwaryşy``, ``sugʻorishni``); a search or a
thesaurus label must meet the word whatever ending it wears. ``turkic_stem`` works on the
plain Latin skeleton (``portal.language.scripts``), so Cyrillic and Latin spellings of a word get
one stem, and strips up to three endings from the end while a stem of ``MIN_STEM`` letters
remains. A final voiced consonant is then devoiced, since Turkic stems alternate there
(Turkmen ``kitap`` / ``kitaby``, ``ýürek`` / ``ýüregi``, Kazakh ``бақ`` / ``бағы``).

It over-strips now and then (a stem is a key, not a word); both sides of a comparison use the
same function, so that only costs a rare collision between two short words.
"""

from __future__ import annotations

from functools import lru_cache

from portal.language.scripts import skeleton

MIN_STEM = 3
MAX_STRIPS = 3

# Endings in their plain-Latin skeleton form (ы → y, і → i, ә → a, ө/ö → o, ү/ü → u, ң/ň → ng,
# ş → sh, ç → ch, ғ/ğ/gʻ → g, қ → q), grouped by length so the longest is tried first.
_ENDINGS = sorted({
    # plural
    "lar", "ler", "lor", "dar", "der", "dor", "tar", "ter", "tor", "ho", "hoi",
    # genitive
    "nyng", "ning", "dyng", "ding", "tyng", "ting", "nyn", "nin", "nun", "dyn", "din", "dun",
    "tyn", "tin", "tun", "yng", "ing", "ung",
    # dative
    "ga", "ge", "go", "ka", "ke", "ko", "qa", "na", "ne", "no", "ya", "ye",
    # accusative
    "ny", "ni", "nu", "dy", "di", "du", "ty", "ti", "tu", "ro",
    # locative and "the one in"
    "da", "de", "do", "ta", "te", "to", "nda", "nde", "ndo", "dagy", "dagi", "degi", "tagy",
    "tegi", "daky", "daki", "deki", "dagi",
    # ablative
    "dan", "den", "don", "tan", "ten", "ton", "nan", "nen", "non", "ndan", "nden",
    # instrumental
    "men", "ben", "pen", "menen", "benen", "penen",
    # possessive (3rd person and others), and a 3rd-person possessive's accusative (жүйесін)
    "sy", "si", "su", "ym", "im", "um", "yz", "iz", "ymyz", "imiz", "yngyz", "ingiz", "syn", "sin", "sun",
    # single vowels (dative, accusative, possessive, Tajik ezafe): only on long words
    "a", "e", "y", "i", "u",
}, key=len, reverse=True)
_SINGLE_LETTER_MIN_STEM = 4
_DEVOICE = {"b": "p", "d": "t", "g": "k", "q": "k"}


@lru_cache(maxsize=200_000)
def turkic_stem(word: str) -> str:
    """The stem key of a folded word (either script)."""
    stem = skeleton(word)
    for _ in range(MAX_STRIPS):
        stripped = _strip_one(stem)
        if stripped is None:
            break
        stem = stripped
    return _devoiced(stem)


@lru_cache(maxsize=200_000)
def turkic_partial_stems(word: str, shortest: int = 5) -> tuple[str, ...]:
    """The word's skeleton and what is left after each ending ``turkic_stem`` strips, while
    ``shortest`` letters remain (not devoiced). Two forms of one word share one of these even
    when stripping goes on differently after it: ``вакцинасы`` (vaktsinasy → vaktsina → vakt)
    and ``вакциналары`` (vaktsinalary → vaktsina → vaktsi) both pass through ``vaktsina``."""
    stem = skeleton(word)
    found = [stem] if len(stem) >= shortest else []
    for _ in range(MAX_STRIPS):
        stripped = _strip_one(stem)
        if stripped is None or len(stripped) < shortest:
            break
        found.append(stripped)
        stem = stripped
    return tuple(found)


_ENDINGS_BY_LENGTH = [(length, frozenset(ending for ending in _ENDINGS if len(ending) == length))
                      for length in sorted({len(ending) for ending in _ENDINGS}, reverse=True)]


def _strip_one(word: str) -> str | None:
    for length, endings in _ENDINGS_BY_LENGTH:  # the longest ending first
        if word[-length:] in endings:
            rest = word[:-length]
            minimum = _SINGLE_LETTER_MIN_STEM if length == 1 else MIN_STEM
            if len(rest) >= minimum:
                return rest
    return None


def _devoiced(stem: str) -> str:
    if len(stem) > MIN_STEM and stem[-1] in _DEVOICE:
        return stem[:-1] + _DEVOICE[stem[-1]]
    return stem
