"""One spelling for words that Central Asia writes in two scripts. Pure: no Flask, no SQL.

Uzbek is written in Latin and in Cyrillic, Kazakh is moving from Cyrillic to Latin, and people
type whichever their keyboard has. ``skeleton`` maps both spellings of a word to the same plain
Latin key (``ўзбекистон``, ``oʻzbekiston`` → ``ozbekiston``; ``тамшылатып``, ``tamşylatyp`` →
``tamshylatyp``), which is indexed beside the word and tried for every query word.
"""

from __future__ import annotations

from functools import lru_cache

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "yo", "ж": "j", "з": "z",
    "и": "i", "й": "y", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n", "ң": "ng", "о": "o", "ө": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "u", "ў": "o", "ф": "f", "х": "x",
    "ҳ": "h", "һ": "h", "ц": "ts", "ч": "ch", "ҷ": "j", "ш": "sh", "щ": "sh", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya", "ә": "a", "і": "i", "ӣ": "i", "ӯ": "u", "ҕ": "g", "ҡ": "q",
}
# Latin letters of the Kazakh, Uzbek and Turkmen alphabets, folded to plain Latin.
_LATIN = {
    "ä": "a", "ö": "o", "ü": "u", "ū": "u", "ğ": "g", "ş": "sh", "ç": "ch", "ñ": "ng", "ň": "ng",
    "ı": "i", "ý": "y", "ž": "j", "\u02bb": "", "\u02bc": "",
}
_TABLE = str.maketrans({**_CYRILLIC, **_LATIN})


@lru_cache(maxsize=200_000)
def skeleton(word: str) -> str:
    """The plain Latin key of a folded word; the word itself when nothing maps."""
    return word.translate(_TABLE)
