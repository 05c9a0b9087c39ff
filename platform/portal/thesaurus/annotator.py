"""Text in any of the eight languages → the thesaurus concepts it is about. Pure: no Flask, no ORM.

Every label of every concept becomes a sequence of *keys*, one per word (or per Chinese
character), made by the search analyzer's normalisation:

* a Latin word in an English label: its English Snowball stem (``e:irrig``);
* a Cyrillic word in a Russian label: its Russian Snowball stem (``r:орошен``);
* a word of a Kazakh, Kyrgyz, Tajik, Turkmen or Uzbek label, in either script: its Turkic stem
  on the plain-Latin skeleton (``t:suar`` for суару / суаруды; ``portal.search.turkic``);
* Chinese: one key per character, so a label is found inside a run of text without spaces.

A text's word gets *every* key its script allows (a Latin word both its English and its Turkic
stem), whatever language the text is said to be in: an English keyword on an Uzbek listing
meets the English label, and an Uzbek word the Uzbek one. Labels are then found by walking the
text's words, taking at each place the longest label that starts there (``subsurface drip
irrigation`` before ``drip irrigation``), and going on after it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from portal.search.analyzer import _stem, fold, script_of, segments
from portal.search.turkic import turkic_stem
from portal.thesaurus.concepts import Thesaurus

#: Latin and Cyrillic words of one letter, and Chinese labels of one character, name nothing.
MIN_WORD = 2
MIN_CJK_LABEL = 2
_TURKIC = frozenset({"kk", "ky", "tg", "tk", "uz"})
#: An all-capital label this short is an abbreviation (PV, EV, AI): only an all-capital word
#: in the text is taken for it, so the Uzbek word "ai" or English "ev-" never are.
ABBREVIATION = re.compile(r"^[A-Z0-9ЁА-Я]{2,4}$")

Unit = tuple[str, ...]  # the keys of one word or character of a text


@dataclass(frozen=True)
class Found:
    """A concept found in a text: ``count`` texts name it; ``forms`` as they were written."""

    key: str
    count: int
    forms: tuple[str, ...]


@dataclass
class Annotation:
    """The concepts of some texts: key -> how many of the texts name it, and how."""

    counts: Counter[str] = field(default_factory=Counter)
    forms: dict[str, list[str]] = field(default_factory=dict)
    #: per concept, the indexes of the words of the (last) text it covers (for queries)
    spans: dict[str, set[int]] = field(default_factory=dict)

    def found(self) -> list[Found]:
        return [Found(key, count, tuple(self.forms.get(key, ())))
                for key, count in self.counts.most_common()]

    def __contains__(self, key: object) -> bool:
        return key in self.counts


class Annotator:
    """Built once from a thesaurus (about 0.5 s for 1,600 concepts in eight languages)."""

    def __init__(self, thesaurus: Thesaurus) -> None:
        self.thesaurus = thesaurus
        # first key -> [(label keys, concept key, abbreviation?)], longest label first
        starts: dict[str, list[tuple[Unit, str, bool]]] = {}
        for concept in thesaurus:
            for language, label in concept.labels():
                keys = label_keys(label, language)
                if not keys or (len(keys) == 1 and keys[0].startswith("c:")):
                    continue  # one Chinese character names nothing on its own
                abbreviation = bool(ABBREVIATION.match(label.strip()))
                starts.setdefault(keys[0], []).append((keys, concept.key, abbreviation))
        for entries in starts.values():
            entries.sort(key=lambda entry: -len(entry[0]))
            # The same key sequence under one concept once is enough.
            unique: dict[tuple[Unit, str], tuple[Unit, str, bool]] = {}
            for entry in entries:
                unique.setdefault((entry[0], entry[1]), entry)
            entries[:] = list(unique.values())
        self._starts = starts

    def annotate(self, texts: Iterable[str | tuple[str | None, str]]) -> Annotation:
        """The concepts of several texts (a listing's title, summary, description in each
        language, its keywords); a text given as (language, text) has its language ignored:
        every word is tried in every language."""
        annotation = Annotation()
        for text in texts:
            if isinstance(text, tuple):
                text = text[1]
            if not text:
                continue
            found_here: set[str] = set()
            for key, (start, end), form in self._matches(text):
                annotation.spans.setdefault(key, set()).update(range(start, end))
                if key not in found_here:
                    found_here.add(key)
                    annotation.counts[key] += 1
                forms = annotation.forms.setdefault(key, [])
                if form not in forms and len(forms) < 3:
                    forms.append(form)
        return annotation

    def annotate_query(self, text: str) -> tuple[list[str], dict[str, set[int]]]:
        """A query's words (folded, as ``search.query`` splits them) and, per concept found,
        the indexes of the words it covers."""
        words, units = _text_units(text)
        covered: dict[str, set[int]] = {}
        for key, (start, end), _form in self._walk(words, units):
            covered.setdefault(key, set()).update(range(start, end))
        return [word for word, _upper in words], covered

    def _matches(self, text: str) -> Iterable[tuple[str, tuple[int, int], str]]:
        words, units = _text_units(text)
        return self._walk(words, units)

    def _walk(self, words: list[tuple[str, bool]], units: list[Unit]
              ) -> Iterable[tuple[str, tuple[int, int], str]]:
        position, total = 0, len(units)
        while position < total:
            best: list[tuple[Unit, str]] = []
            best_length = 0
            for key in units[position]:
                for keys, concept, abbreviation in self._starts.get(key, ()):
                    length = len(keys)
                    if length < best_length or position + length > total:
                        continue
                    if abbreviation and not words[position][1]:
                        continue
                    if all(keys[offset] in units[position + offset] for offset in range(1, length)):
                        if length > best_length:
                            best, best_length = [], length
                        if (keys, concept) not in best:
                            best.append((keys, concept))
            if not best_length:
                position += 1
                continue
            form = _form(words[position:position + best_length])
            for concept in dict.fromkeys(concept for _keys, concept in best):
                yield concept, (position, position + best_length), form
            position += best_length


def _form(words: list[tuple[str, bool]]) -> str:
    if all(len(word) == 1 and not word.isascii() for word, _ in words):
        return "".join(word for word, _ in words)  # Chinese characters
    return " ".join(word for word, _ in words)


_CAPITALS = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)


def _text_units(text: str) -> tuple[list[tuple[str, bool]], list[Unit]]:
    """The text's words (folded, with whether they were written in capitals) and their keys;
    a run of Chinese characters gives one unit per character."""
    upper_words = {match.group() for match in _CAPITALS.finditer(text)
                   if match.group().isupper() and len(match.group()) > 1}
    upper_folded = {fold(word) for word in upper_words}
    words: list[tuple[str, bool]] = []
    units: list[Unit] = []
    for segment in segments(fold(text)):
        if segment.is_cjk:
            for character in segment.text:
                words.append((character, False))
                units.append(("c:" + character,))
            continue
        word = segment.text
        if len(word) < MIN_WORD and not word.isdigit():
            continue
        words.append((word, word in upper_folded))
        units.append(word_keys(word))
    return words, units


@lru_cache(maxsize=200_000)
def word_keys(word: str) -> Unit:
    """Every key a folded text word may have, whatever the text's language."""
    script = script_of(word)
    keys = []
    if word.isdigit():
        return ("n:" + word,)
    if script == "latin":
        keys.append("e:" + _stem("english", word))
    elif script == "cyrillic":
        keys.append("r:" + _stem("russian", word))
    keys.append("t:" + turkic_stem(word))
    return tuple(keys)


def label_keys(label: str, language: str) -> Unit:
    """The key sequence of a label in ``language``: one key per word, as its language reads it."""
    keys: list[str] = []
    for segment in segments(fold(label)):
        if segment.is_cjk:
            keys.extend("c:" + character for character in segment.text)
            continue
        word = segment.text
        if len(word) < MIN_WORD and not word.isdigit():
            continue
        keys.append(_label_word_key(word, language))
    return tuple(keys)


@lru_cache(maxsize=100_000)
def _label_word_key(word: str, language: str) -> str:
    if word.isdigit():
        return "n:" + word
    script = script_of(word)
    if language in _TURKIC and not (script == "latin" and language in {"kk", "ky", "tg"}):
        return "t:" + turkic_stem(word)
    if script == "cyrillic":
        return "r:" + _stem("russian", word)
    if script == "latin":
        return "e:" + _stem("english", word)
    return "t:" + turkic_stem(word)


def concept_weights(annotation: Annotation | Mapping[str, int]) -> dict[str, int]:
    """Concept -> number of texts naming it."""
    counts = annotation.counts if isinstance(annotation, Annotation) else annotation
    return dict(counts)
