"""Sorting names as a reader of each language expects: the Unicode Collation Algorithm. No Flask here.

The order comes from libraries, not hand-written tables:

* every language: the Unicode Collation Algorithm with its default table (DUCET), through
  ``pyuca`` (pure Python, so a fresh machine with only Python installs it; PyICU would need the
  ICU C library and a compiler, and publishes no wheels). DUCET puts Cyrillic ё with е, gives
  Kazakh, Kyrgyz and Tajik ә ғ қ ң ө ұ ү һ ҳ ҷ their own place right after their base letter, and
  sorts Latin ç ş ž ň ä ö ü with c s z n a o u; case and accents decide only between otherwise
  equal names;
* Chinese: CLDR's default Chinese order is pinyin, which DUCET does not know (it orders Han
  characters by code point, i.e. radical and stroke count). ``pypinyin`` gives each character
  its most common reading with its tone (中 → zhong1), and those readings are collated like Latin
  text. Like CLDR's pinyin tailoring it reads character by character (no phrase dictionary,
  which would add 45 MB to every process), so 中国 sorts under zhong1 guo2.

What DUCET cannot do is a language's own tailoring where it differs from the default. Measured
on the 256 CLDR country names per language against ICU 72's tailored collators: en, ru, ky and
tg come out identical; zh differs in 8 of 32,640 pairs (ties between names of the same reading),
kk in 15 (ICU puts і after ы), tk in 22 (ICU puts ä ö ü ş ý after the whole plain letter), and
uz in 1,432, because Uzbek's alphabet puts oʻ gʻ sh ch after z: here Shveytsariya stays among
the S names and Oʻzbekiston among the O names, where a reader who does not know that rule also
looks for them.
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


def load() -> None:
    """Read the tables now (half a second), so that no visitor's first sorted list waits for them."""
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
    collator = _uca()
    primary = _pinyin_text(text) if language.split("-")[0].split("_")[0] == "zh" else text
    # The text itself breaks ties, so that different names never compare equal.
    return (tuple(collator.sort_key(primary)), tuple(collator.sort_key(text)), text)


def collated(items: Iterable[T], language: str, key: Callable[[T], str] | None = None) -> list[T]:
    """``items`` sorted by their names (``key(item)``, or the items themselves) in ``language``'s order."""
    name = key or (lambda item: item)  # type: ignore[assignment, return-value]
    return sorted(items, key=lambda item: sort_key(str(name(item)), language))
