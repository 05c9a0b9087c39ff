"""Concepts and the thesaurus they form. Pure: no Flask, no ORM."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from portal.language.analyzer import fold

LANGUAGES = ("en", "zh", "ru", "kk", "ky", "tg", "tk", "uz")
#: How far down the narrower links a search for a concept reaches ("irrigation" finds
#: "drip irrigation" and "subsurface drip irrigation").
NARROWER_DEPTH = 3


def _frozen() -> Mapping:
    return MappingProxyType({})


@dataclass(frozen=True)
class Concept:
    """``key``: stable id (``drip-irrigation``; ``agrovoc:c_2397`` for imported ones)."""

    key: str
    uri: str
    pref: Mapping[str, str] = field(default_factory=_frozen)  # language -> preferred label
    alt: Mapping[str, tuple[str, ...]] = field(default_factory=_frozen)  # language -> alternatives
    broader: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()  # portal topic slugs

    def label(self, language: str) -> str:
        """The preferred label in ``language``, else English, else any."""
        return (self.pref.get(language) or self.pref.get("en")
                or next(iter(self.pref.values()), self.key))

    def has_label_in(self, language: str) -> bool:
        return bool(self.pref.get(language))

    def labels(self) -> Iterator[tuple[str, str]]:
        """Every (language, label), preferred first."""
        for language, label in self.pref.items():
            yield language, label
        for language, labels in self.alt.items():
            for label in labels:
                yield language, label


class Thesaurus:
    """The concepts by key, with their narrower links computed from the broader ones."""

    def __init__(self, concepts: Iterable[Concept]) -> None:
        self.concepts: dict[str, Concept] = {concept.key: concept for concept in concepts}
        narrower: dict[str, list[str]] = {}
        for concept in self.concepts.values():
            for parent in concept.broader:
                if parent in self.concepts:
                    narrower.setdefault(parent, []).append(concept.key)
        self.narrower: dict[str, tuple[str, ...]] = {key: tuple(sorted(children))
                                                     for key, children in narrower.items()}
        self._folded: list[tuple[str, str, str]] | None = None

    def __len__(self) -> int:
        return len(self.concepts)

    def __contains__(self, key: object) -> bool:
        return key in self.concepts

    def __iter__(self) -> Iterator[Concept]:
        return iter(self.concepts.values())

    def get(self, key: str) -> Concept | None:
        return self.concepts.get(key)

    def label(self, key: str, language: str) -> str:
        concept = self.concepts.get(key)
        return concept.label(language) if concept else key

    def broader_of(self, key: str) -> tuple[str, ...]:
        concept = self.concepts.get(key)
        return tuple(k for k in concept.broader if k in self.concepts) if concept else ()

    def related_of(self, key: str) -> tuple[str, ...]:
        concept = self.concepts.get(key)
        return tuple(k for k in concept.related if k in self.concepts) if concept else ()

    def with_narrower(self, key: str, depth: int = NARROWER_DEPTH) -> frozenset[str]:
        """The concept and those under it, ``depth`` levels down."""
        found = {key}
        level = [key]
        for _ in range(depth):
            level = [child for parent in level for child in self.narrower.get(parent, ())
                     if child not in found]
            if not level:
                break
            found.update(level)
        return frozenset(found)

    def complete(self, text: str, language: str, limit: int = 10) -> list[Concept]:
        """Autocomplete: concepts with a label starting with (then containing) ``text``; labels
        in ``language`` first, then English and the others."""
        wanted = fold(text).strip()
        if not wanted:
            return []
        ranked: dict[str, tuple[int, int, str]] = {}
        for label, lang, key in self._folded_labels():
            if label.startswith(wanted):
                place = 0
            elif f" {wanted}" in label or (wanted in label and not label.isascii()):
                place = 1
            else:
                continue
            rank = (place, 0 if lang == language else 1 if lang == "en" else 2, label)
            if key not in ranked or rank < ranked[key]:
                ranked[key] = rank
        best = sorted(ranked, key=lambda key: ranked[key])[:limit]
        return [self.concepts[key] for key in best]

    def find_label(self, text: str) -> Concept | None:
        """The concept one of whose labels (any language) is exactly ``text``, folded."""
        wanted = fold(text).strip()
        for label, _lang, key in self._folded_labels():
            if label == wanted:
                return self.concepts[key]
        return None

    def _folded_labels(self) -> list[tuple[str, str, str]]:
        """(folded label, language, concept key) of every label, made at first use."""
        if self._folded is None:
            self._folded = [(fold(label), lang, concept.key) for concept in self.concepts.values()
                            for lang, label in concept.labels()]
        return self._folded
