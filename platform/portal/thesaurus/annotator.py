"""Text in any of the eight languages → the thesaurus concepts it is about. Pure: no Flask, no ORM.

Every label of every concept becomes a sequence of *keys*, one per word (or per Chinese
character), made by the search analyzer's normalisation:

* a Latin word in an English label: its English Snowball stem (``e:irrig``);
* a Cyrillic word in a Russian label: its Russian Snowball stem (``r:орошен``);
* a word of a Kazakh, Kyrgyz, Tajik, Turkmen or Uzbek label, in either script: its Turkic stem
  on the plain-Latin skeleton (``t:suar`` for суару / суаруды; ``portal.language.turkic``);
* Chinese: one key per character, so a label is found inside a run of text without spaces.

A keyword, or a text of unknown language, gets *every* key its script allows (a Latin word both
its English and its Turkic stem): an English keyword on an Uzbek listing meets the English label,
and an Uzbek one the Uzbek label. A text in a known language gets the keys of its language, and
the English stem of its Latin words (English terms appear inside every language's texts). Labels
are then found by walking the text's words, taking at each place the longest label that starts
there (``subsurface drip irrigation`` before ``drip irrigation``), and going on after it.

A stem is a short key that two unrelated words can share after their endings are cut
(Turkic ``himigasiýa`` and ``himiýa``, English ``localization`` and ``local``); so a label word
also bounds the length of the text's word (endings add a few letters, not a word), and a
Turkic one asks that the text's word begin as it does without its endings, but for the last
letter left (which may alternate: ``kitap``/``kitaby``, ``мұздықтың``/``мұздығының``).
"""

from __future__ import annotations

import itertools
import os
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from portal.language.analyzer import SHORT_STEM, fold, russian_noun_stem, script_of, segments, snowball_stem
from portal.language.scripts import skeleton
from portal.language.turkic import turkic_partial_stems, turkic_stem
from portal.thesaurus.concepts import Thesaurus

#: Texts this short (keywords) may write an abbreviation in lower case, as queries do.
SHORT_TEXT = 40
#: Chinese labels of one character name nothing.
MIN_CJK_LABEL = 2
_TURKIC = frozenset({"kk", "ky", "tg", "tk", "uz"})
#: Key families a text in each language gets (None: unknown language, every family).
_FAMILIES: dict[str | None, frozenset[str]] = {
    None: frozenset("ert"), "en": frozenset("e"), "ru": frozenset("er"), "zh": frozenset("e"),
    **{language: frozenset("ert") for language in _TURKIC},
}
#: An all-capital word this short in a label is an abbreviation (PV, EV, ИИ, HVDC): it is kept
#: unstemmed and only an all-capital word of the text is taken for it, so the Uzbek word "ai",
#: English "ev-" or Russian "и" ("and") never are. A query's words may be typed in lower case.
ABBREVIATION = re.compile(r"^[A-Z0-9ЁА-ЯӘҒҚҢӨҰҮҺІЎҲҶӢӮ]{2,6}$")

Unit = tuple[str, ...]  # the keys of one word or character of a text


#: How many letters longer (Turkic: endings stack) or shorter a text's word may be than the
#: label's word it matches by stem.
MAX_LONGER = {"t": 7, "e": 4, "r": 4}  # Turkic: plural + possessive + case (-ларының) is 7
MAX_SHORTER = 3
MIN_SHORTENED = 3


@dataclass(frozen=True)
class _Check:
    """What a text's word must be like, beyond its key, to stand for one word of a label."""

    prefix: str  # the beginning its plain skeleton must have ("" for any)
    shortest: int
    longest: int

    def admits(self, skeleton: str) -> bool:
        return self.shortest <= len(skeleton) <= self.longest and skeleton.startswith(self.prefix)


@dataclass(frozen=True)
class _Label:
    keys: Unit
    checks: tuple[_Check | None, ...]  # per word; None: the key says it all (Chinese, numbers)
    concept: str
    plains: tuple[str, ...]  # per word (or Chinese character), its plain skeleton
    group: str  # the languages whose texts read it (``_label_group``)

    def fits(self, skeletons: list[str], start: int) -> bool:
        return all(check is None or check.admits(skeletons[start + offset])
                   for offset, check in enumerate(self.checks))

    def closeness(self, skeletons: list[str], start: int) -> int:
        """How literally the text's words write this label's Turkic and Tajik words, and words
        of short stems: per word, how many letters they begin alike (one more when the same).
        The suffix rules also cut loanwords (галлий, gallium, and ғалла, grain, share ``gall``)
        and Snowball gives Russian сели, mudflows, and села, villages, one stem (``сел``). Other
        words count alike: Snowball knows their languages' endings."""
        total = 0
        for offset, (key, plain) in enumerate(zip(self.keys, self.plains, strict=True)):
            written = skeletons[start + offset]
            if key[0] in "tu" or len(key) - 2 <= SHORT_STEM:
                total += len(os.path.commonprefix([written, plain])) + (written == plain)
        return total


class Body(NamedTuple):
    """A listing's description, in a language (None: unknown). A concept that only a body
    names is mentioned in passing ("the seed of forage shrubs" in a listing about rangelands);
    one that a title, summary or keyword names is what the listing is about."""

    language: str | None
    text: str


@dataclass
class Annotation:
    """The concepts of some texts: key -> how many of the texts name it, and how they wrote
    it; ``prominent``: those a text other than a ``Body`` names."""

    counts: Counter[str] = field(default_factory=Counter)
    forms: dict[str, list[str]] = field(default_factory=dict)
    prominent: set[str] = field(default_factory=set)


class Annotator:
    """Built once from a thesaurus (about 0.5 s for 1,600 concepts in eight languages)."""

    def __init__(self, thesaurus: Thesaurus) -> None:
        self.thesaurus = thesaurus
        # Labels of one word by their key; longer ones by their first two keys (a walk then
        # looks at the few labels starting with the two words in front of it, not the hundreds
        # starting with "electric" or "su"), longest first.
        singles: dict[str, list[_Label]] = {}
        pairs: dict[tuple[str, str], list[_Label]] = {}
        for concept in thesaurus:
            for language, label in concept.labels():
                plains = _label_plains(label)
                for keys, checks in _label_variants(label, language):
                    if not keys or (len(keys) == 1 and keys[0].startswith("c:")):
                        continue  # one Chinese character names nothing on its own
                    entry = _Label(keys, checks, concept.key, plains, _label_group(language))
                    if len(keys) == 1:
                        singles.setdefault(keys[0], []).append(entry)
                    else:
                        pairs.setdefault((keys[0], keys[1]), []).append(entry)
        for entries in (*singles.values(), *pairs.values()):
            entries.sort(key=lambda entry: -len(entry.keys))
            # The same key sequence under one concept once is enough.
            unique: dict[tuple, _Label] = {}
            for entry in entries:
                unique.setdefault((entry.keys, entry.checks, entry.concept, entry.plains, entry.group), entry)
            entries[:] = list(unique.values())
        self._singles = singles
        self._pairs = pairs

    def annotate(self, texts: Iterable[str | tuple[str | None, str] | Body]) -> Annotation:
        """The concepts of several texts (a listing's title, summary, description in each
        language, its keywords). A text given as (language, text) or ``Body`` is read in that
        language (and English); a plain text, like a keyword, in every language."""
        annotation = Annotation()
        for text in texts:
            language, body = None, isinstance(text, Body)
            if isinstance(text, tuple):
                language, text = text
            if not text:
                continue
            found_here: set[str] = set()
            # A keyword is typed like a query: "hvdc" in lower case still names HVDC.
            short = len(text) <= SHORT_TEXT
            for key, _span, form in self._walk(*_text_units(text, language, query=short), language=language):
                if key not in found_here:
                    found_here.add(key)
                    annotation.counts[key] += 1
                    if not body:
                        annotation.prominent.add(key)
                forms = annotation.forms.setdefault(key, [])
                if form not in forms and len(forms) < 3:
                    forms.append(form)
        return annotation

    def annotate_query(self, text: str) -> tuple[list[str], dict[str, set[int]]]:
        """A query's words (folded, as ``search.query`` splits them) and, per concept found,
        the indexes of the words it covers."""
        words, units, skeletons = _text_units(text, None, query=True)
        covered: dict[str, set[int]] = {}
        for key, (start, end), _form in self._walk(words, units, skeletons):
            covered.setdefault(key, set()).update(range(start, end))
        return [word for word, _upper in words], covered

    def _walk(self, words: list[tuple[str, bool]], units: list[Unit], skeletons: list[str], *,
              language: str | None = None) -> Iterable[tuple[str, tuple[int, int], str]]:
        """The concepts of a text's words: at each place the longest labels starting there and,
        of those, the ones written most literally (Tajik ``ғалла`` is the label "grain" itself,
        and only a stem of "gallium"); then on after them."""
        foreign = _FOREIGN_GROUP.get(language or "")
        position, total = 0, len(units)
        while position < total:
            longest: list[_Label] = []
            for label in self._candidates(units, position):
                length = len(label.keys)
                if (longest and length < len(longest[0].keys)) or position + length > total or label.group == foreign:
                    continue
                if (all(label.keys[offset] in units[position + offset] for offset in range(2, length))
                        and label.fits(skeletons, position)):
                    if longest and length > len(longest[0].keys):
                        longest = []
                    longest.append(label)
            if not longest:
                position += 1
                continue
            best = list(dict.fromkeys(label.concept for label in longest))
            if len(best) > 1:  # only where concepts compete is their spelling compared
                closeness = [label.closeness(skeletons, position) for label in longest]
                closest = max(closeness)
                best = list(dict.fromkeys(label.concept for label, close in zip(longest, closeness, strict=True)
                                          if close == closest))
            best_length = len(longest[0].keys)
            form = _form(words[position:position + best_length])
            for concept in best:
                yield concept, (position, position + best_length), form
            position += best_length

    def _candidates(self, units: list[Unit], position: int) -> Iterable[_Label]:
        """The labels whose first one or two keys the words at ``position`` have."""
        here = units[position]
        if position + 1 < len(units):
            following = units[position + 1]
            for first in here:
                for second in following:
                    yield from self._pairs.get((first, second), ())
        for first in here:
            yield from self._singles.get(first, ())


#: Tajik is a Persian language, the other four Turkic: their labels share a stemmer, not words
#: (Tajik шуда, "became", is Kazakh for camel wool), so a text known to be in one does not read
#: the other's labels. Keywords and queries, of unknown language, read all.
_FOREIGN_GROUP = {"tg": "turkic", **{language: "tg" for language in _TURKIC - {"tg"}}}


def _label_group(language: str) -> str:
    return "tg" if language == "tg" else "turkic" if language in _TURKIC else ""


def _label_plains(label: str) -> tuple[str, ...]:
    plains: list[str] = []
    for segment in segments(fold(label)):
        plains.extend(segment.text if segment.is_cjk else (skeleton(segment.text),))
    return tuple(plains)


def _form(words: list[tuple[str, bool]]) -> str:
    if all(len(word) == 1 and not word.isascii() for word, _ in words):
        return "".join(word for word, _ in words)  # Chinese characters
    return " ".join(word for word, _ in words)


_CAPITALS = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)


def _text_units(text: str, language: str | None, *, query: bool = False
                ) -> tuple[list[tuple[str, bool]], list[Unit], list[str]]:
    """The text's words (folded, with whether they were written in capitals), their keys, and
    their plain-Latin skeletons; a run of Chinese characters gives one unit per character."""
    upper_folded = _capital_words(text)
    families = _FAMILIES.get(language, _FAMILIES[None])
    words: list[tuple[str, bool]] = []
    units: list[Unit] = []
    skeletons: list[str] = []
    for segment in segments(fold(text)):
        if segment.is_cjk:
            for character in segment.text:
                words.append((character, False))
                units.append(("c:" + character,))
                skeletons.append(character)
            continue
        word = segment.text
        capitals = query or word in upper_folded
        words.append((word, capitals))
        keys = word_keys(word, families)
        units.append((*keys, "a:" + word) if capitals and len(word) <= 6 else keys)
        skeletons.append(skeleton(word))
    return words, units, skeletons


@lru_cache(maxsize=200_000)
def word_keys(word: str, families: frozenset[str] = _FAMILIES[None]) -> Unit:
    """The keys a folded text word may have: its English stem (Latin), Russian stem (Cyrillic)
    and Turkic stem, of the ``families`` ("e", "r", "t") its text's language allows."""
    if word.isdigit():
        return ("n:" + word,)
    script = script_of(word)
    keys = []
    if script == "latin":
        keys.append("e:" + snowball_stem("english", word))
        singular = _english_singular(word)
        if singular != word:  # Snowball leaves "buses" as "buse", while "bus" is "bus"
            keys.append("e:" + snowball_stem("english", singular))
    elif script == "cyrillic" and "r" in families:
        keys.append("r:" + snowball_stem("russian", word))
        noun = russian_noun_stem(word)  # фисташковые: also the label фисташка
        if noun is not None:
            keys.append("r:" + noun)
    if "t" in families:
        keys.append("t:" + turkic_stem(word))
        keys.extend("u:" + partial for partial in turkic_partial_stems(word))
    return tuple(keys)


_SIBILANT_PLURAL = re.compile(r"(?:s|x|z|ch|sh)es$")


def _english_singular(word: str) -> str:
    return word[:-2] if _SIBILANT_PLURAL.search(word) else word


def label_keys(label: str, language: str) -> Unit:
    """The key sequence of a label in ``language``: one key per word, as its language reads it."""
    return _label_keys_and_checks(label, language)[0]


def _capital_words(text: str) -> set[str]:
    """The folded words of a text that were written as abbreviations (all capitals, short)."""
    return {fold(match.group()) for match in _CAPITALS.finditer(text) if ABBREVIATION.match(match.group())}


def _label_keys_and_checks(label: str, language: str) -> tuple[Unit, tuple[_Check | None, ...]]:
    keys: list[str] = []
    checks: list[_Check | None] = []
    abbreviations = _capital_words(label)
    for segment in segments(fold(label)):
        if segment.is_cjk:
            keys.extend("c:" + character for character in segment.text)
            checks.extend(None for _ in segment.text)
            continue
        word = segment.text
        key = "a:" + word if word in abbreviations else _label_word_key(word, language)
        keys.append(key)
        family = key[0]
        if family not in MAX_LONGER:
            checks.append(None)
            continue
        plain = skeleton(word)
        # A Turkic word: the text's word must begin as this one does without its endings (so
        # мұздықтың meets мұздығының), but for that stem's last letter, which may alternate.
        prefix = ""
        if family == "t":
            base = turkic_partial_stems(word, PARTIAL_STEM)[-1] if len(plain) >= PARTIAL_STEM else plain
            prefix = base[:-1] if len(base) > 3 else base
        # (a word of two letters is a word of its own, not a shortened one: Russian за, "for",
        # is no form of заём, "loan")
        shortest = min(len(plain), max(MIN_SHORTENED, len(plain) - MAX_SHORTER))
        checks.append(_Check(prefix, shortest, len(plain) + MAX_LONGER[family]))
    return tuple(keys), tuple(checks)


#: A label's variants: each Turkic word either by its stem, or by what is left after its
#: first ending (``u:`` keys) when that is this long; so many words per label at most get both.
PARTIAL_STEM = 5
MAX_VARIANT_WORDS = 4


def _label_variants(label: str, language: str) -> list[tuple[Unit, tuple[_Check | None, ...]]]:
    """The key sequences a label is found by. Its stems first; then, since stripping endings
    can go astray differently in two forms of a word (``вакцинасы`` → vakt, ``вакциналары``
    → vaktsi), each Turkic word may also be met by the stem left after its first ending
    (vaktsina), which the text's word must pass through (``word_keys``' ``u:`` keys)."""
    keys, checks = _label_keys_and_checks(label, language)
    options: list[list[tuple[str, _Check | None]]] = []
    words = [segment.text for segment in segments(fold(label)) if not segment.is_cjk]
    word_index = 0
    for key, check in zip(keys, checks, strict=True):
        choices = [(key, check)]
        if key.startswith("t:") and word_index < len(words):
            partials = turkic_partial_stems(words[word_index], PARTIAL_STEM)
            if len(partials) >= 2 and check is not None:
                choices.append(("u:" + partials[1], _Check("", check.shortest, check.longest)))
        if not key.startswith("c:"):
            word_index += 1
        options.append(choices)
    if sum(len(choices) > 1 for choices in options) > MAX_VARIANT_WORDS:
        return [(keys, checks)]
    return [(tuple(key for key, _ in chosen), tuple(check for _, check in chosen))
            for chosen in itertools.product(*options)]


@lru_cache(maxsize=100_000)
def _label_word_key(word: str, language: str) -> str:
    if word.isdigit():
        return "n:" + word
    script = script_of(word)
    if language in _TURKIC and not (script == "latin" and language in {"kk", "ky", "tg"}):
        return "t:" + turkic_stem(word)
    if script == "cyrillic":
        return "r:" + snowball_stem("russian", word)
    if script == "latin":
        return "e:" + snowball_stem("english", word)
    return "t:" + turkic_stem(word)
