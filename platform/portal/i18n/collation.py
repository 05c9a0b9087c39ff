"""Sorting names as a reader of each language expects. No Flask here.

The order comes from libraries, not hand-written tables:

* ICU's collators, through PyICU as the ``pyicu-wheels`` build (ICU 77 inside the wheel, so a
  fresh machine with only Python installs it; plain PyICU needs the ICU C library and a
  compiler). ICU applies CLDR's tailoring of every portal language: Uzbek's alphabet with oʻ gʻ
  sh ch after z, Kazakh і after ы, Turkmen ä ö ü ş ý after their plain letters, Chinese in pinyin.
  It publishes wheels for Linux x86_64 and Windows;
* elsewhere (ARM, macOS), the Unicode Collation Algorithm with its default table (DUCET)
  through pure-Python ``pyuca``, and ``pypinyin`` for Chinese: each character's most common
  reading with its tone (中 → zhong1), collated like Latin text, character by character as
  CLDR's pinyin order reads. Measured on the 256 CLDR country names per language against ICU:
  en, ru, ky and tg come out identical; zh differs in 8 of 32,640 pairs, kk in 15, tk in 22 and
  uz in 1,432 (DUCET knows no Uzbek alphabet order).
"""

from __future__ import annotations

import os
import threading
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypeVar

T = TypeVar("T")

_lock = threading.Lock()
_collator = None


def _uca():  # noqa: ANN202 - pyuca has no type hints
    """The DUCET collator, loaded once per process (about half a second, 11 MB)."""
    global _collator
    if _collator is None:
        with _lock:
            if _collator is None:
                import pyuca

                _collator = pyuca.Collator()
    return _collator


@lru_cache(maxsize=1)
def _pinyin() -> Callable[[str], list[str]]:
    # Single-character readings only, as CLDR's pinyin collation has: pypinyin's documented
    # switch, read when it is first imported (nothing else in the portal uses pypinyin).
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "true")
    from pypinyin import Style, lazy_pinyin

    def readings(text: str) -> list[str]:
        return lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True, v_to_u=True,
                           errors=lambda chars: list(chars))
    return readings


def _icu_available() -> bool:
    try:
        import icu  # noqa: F401
    except ImportError:
        return False
    return True


#: ICU when its wheel is installed (Linux x86_64, Windows), else pyuca and pypinyin.
USE_ICU = _icu_available()


@lru_cache(maxsize=16)
def _icu_collator(language: str):  # noqa: ANN202 - PyICU has no type hints
    """The language's CLDR-tailored collator; ICU's collators are safe to share between threads
    for comparing and sort keys once made."""
    import icu

    return icu.Collator.createInstance(icu.Locale(language))


def load() -> None:
    """Read the tables now (half a second), so that no visitor's first sorted list waits for them."""
    if USE_ICU:
        from portal.i18n.languages import LANGUAGES

        for language in LANGUAGES:
            _icu_collator(language)
        return
    _uca()
    _pinyin()


def _is_han(char: str) -> bool:
    return unicodedata.name(char, "").startswith("CJK UNIFIED IDEOGRAPH")


def _pinyin_text(text: str) -> str:
    """``"中国"`` → ``"zhong1 guo2"``; other characters are kept as they are. The tone digit
    ends each syllable, so 西安 (xi1 an1) comes before 先 (xian1), as in a pinyin dictionary."""
    if not any(_is_han(char) for char in text):
        return text
    return " ".join(_pinyin()(text))


@lru_cache(maxsize=8192)
def sort_key(text: str, language: str) -> tuple:
    """The key that sorts ``text`` for a reader of ``language`` (a portal language code)."""
    language = language.split("-")[0].split("_")[0]
    if USE_ICU:
        # The text itself breaks ties, so that different names never compare equal.
        return (bytes(_icu_collator(language).getSortKey(text)), text)
    return _uca_sort_key(text, language)


def _uca_sort_key(text: str, language: str) -> tuple:
    collator = _uca()
    primary = _pinyin_text(text) if language.split("-")[0].split("_")[0] == "zh" else text
    # The text itself breaks ties, so that different names never compare equal.
    return (tuple(collator.sort_key(primary)), tuple(collator.sort_key(text)), text)


def collated(items: Iterable[T], language: str, key: Callable[[T], str] | None = None) -> list[T]:
    """``items`` sorted by their names (``key(item)``, or the items themselves) in ``language``'s order."""
    name = key or (lambda item: item)  # type: ignore[assignment, return-value]
    return sorted(items, key=lambda item: sort_key(str(name(item)), language))
