"""An institution's name as the directory searches it. Pure: no Flask, no SQL.

The directory finds a partner by any fragment of its name, whatever the case, script or
apostrophe the visitor types: the name is folded as search folds text (``portal.language``)
and its words' plain-Latin skeletons are kept beside them, so ``тошкент`` finds *Toshkent
davlat agrar universiteti*, ``TOSHKENT`` finds *Тошкент давлат университети*, and ``o'zbek``
finds *Oʻzbekiston*. The key is stored in ``institutions.search_name``; a query word matches a
name whose key contains the word or its skeleton.
"""

from __future__ import annotations

import re

from portal.language.analyzer import fold
from portal.language.scripts import skeleton

_WORD = re.compile(r"[^\W_]+")
MAX_KEY_CHARS = 800
MAX_QUERY_WORDS = 8


def name_key(name: str) -> str:
    """Folded words of the name, then the skeletons that differ from them."""
    words = _WORD.findall(fold(name or ""))
    skeletons = [skeleton(word) for word in words if skeleton(word) != word]
    return " ".join(dict.fromkeys([*words, *skeletons]))[:MAX_KEY_CHARS]


def query_words(query: str) -> list[tuple[str, str]]:
    """Each query word with its skeleton (the same when nothing maps); at most a few words."""
    words = list(dict.fromkeys(_WORD.findall(fold(query or ""))))[:MAX_QUERY_WORDS]
    return [(word, skeleton(word)) for word in words]
