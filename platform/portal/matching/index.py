"""An in-memory index of the published listings' profiles, for fast candidate generation.
Pure: no Flask, no SQL.

* Concepts (topics and thesaurus subjects): (kind, direction) -> concept -> (listings, weights),
  the weights normalised to length 1 per listing, so a query walks only the kinds and
  directions it may match and accumulates the cosine of the concept vectors. Two compact
  arrays per key.
* Text: each listing is reduced to its *signature*, the ``signature_size`` tokens with the
  highest ``(1 + ln count) × idf``, weighted and normalised to length 1 (as in Lucene's
  "more like this"); token -> (listings, weights) postings then give the cosine similarity of
  two signatures by accumulation over the query's signature only. Tokens in more than
  ``common_share`` of the listings are skipped when querying (their weight is small, their
  postings long). Among equally heavy tokens the signature keeps those the listing's texts
  have first.
* Tokens are known by their 64-bit keys (``text.token_keys``), never as strings: a sorted
  array of the build's keys numbers them (tokens first met later get numbers in a dict), and
  their document frequencies and postings are arrays by number. The build's postings are three
  flat arrays (where each token's run starts, then every run's listings and weights); postings
  added since live beside them until the next ``compact``.
* Profiles are kept without their tokens, and their concepts and subjects are kept apart in
  flat arrays (``profile_at(slot, concepts=True)`` puts them back): a dict of a dozen weights
  per listing cost more than the rest of the index.

Building takes the profiles one at a time and keeps only their token keys and counts (9 bytes
a token) until the document frequencies are final; then numpy computes every signature and
the postings in whole-array operations (``postings.signature_postings``). From stored analyses
(``profile.HashedTokens``) no token is ever hashed or made a string: 100,000 listings in about
20 s and 220 MB (README).

Listings are added and removed one at a time (publication, withdrawal, expiry, edit). Removal
leaves a tombstone that queries skip; the postings are compacted when tombstones pile up.
Document frequencies count every listing added since the index was built, so idf drifts
slowly as the collection grows; rebuild the index (e.g. nightly) to refresh it.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType

import numpy as np

from portal.matching.postings import (
    as_array,
    collector_paused,
    idf,
    numbered,
    signature_postings,
    tf,
    token_arrays,
)
from portal.matching.profile import EMPTY, HashedTokens, ListingProfile, half_texts
from portal.matching.text import token_keys

#: Tokens in more listings than this never serve as query terms (for speed), whatever the share.
MIN_COMMON_POSTINGS = 2000


_SET_FIELDS = ("topics", "target_countries", "working_languages")
_NO_SUBJECTS: frozenset[str] = frozenset()


def normalised(weights: Mapping[str, float]) -> list[tuple[str, float]]:
    norm = math.sqrt(sum(weight * weight for weight in weights.values())) or 1.0
    return [(key, weight / norm) for key, weight in weights.items()]


class MatchIndex:
    """The published listings' profiles. ``MatchIndex(profiles)`` builds it in one go (document
    frequencies first, so every signature sees the final idf), taking ``profiles`` one at a
    time (a generator is never held in a list); ``add``/``remove`` keep it current."""

    def __init__(self, profiles: Iterable[ListingProfile] = (), *, signature_size: int = 96,
                 query_terms: int = 48, common_share: float = 0.05) -> None:
        self.signature_size = signature_size
        self.query_terms = query_terms
        self.common_share = common_share
        # Tokens are known by their keys (``text.token_keys``) and numbered: those of the build
        # by their place in _keys (sorted), those first met later in _later.
        self._keys = np.zeros(0, dtype=np.uint64)
        self._later: dict[int, int] = {}  # key -> number
        self._frequencies = array("I")  # by token number: listings counted with the token
        self._counted = 0  # listings counted in _frequencies
        self._profiles: list[ListingProfile | None] = []  # by slot; tokens dropped
        self._slots: dict[int, int] = {}  # listing id -> slot
        # The build's postings: token number n's are _posting_slots/_posting_weights[_starts[n]:_starts[n + 1]].
        self._starts = array("Q", [0])
        self._posting_slots, self._posting_weights = array("I"), array("f")
        self._added: dict[int, tuple[array, array]] = {}  # token number -> postings added since
        # (kind, direction) -> concept -> (slots, weights)
        self._concepts: dict[tuple[str, str], dict[str, tuple[array, array]]] = {}
        self._tombstones = 0
        # One object for each distinct small set (topics, countries, languages) of the profiles.
        self._shared_sets: dict[frozenset[str], frozenset[str]] = {}
        # Each slot's concepts (name number, weight) and subjects (name numbers): slot n's are
        # [_concept_starts[n]:_concept_starts[n + 1]]; names are numbered in _name_numbers.
        self._name_numbers: dict[str, int] = {}
        self._names: list[str] = []
        self._concept_numbers, self._concept_weights = array("I"), array("d")
        self._concept_starts = array("Q", [0])
        self._subject_numbers, self._subject_starts = array("I"), array("Q", [0])
        self._build(profiles)

    def _build(self, profiles: Iterable[ListingProfile]) -> None:
        # The build makes millions of objects and frees few: the cyclic collector's passes over
        # them took a sixth of it (24.9 against 21.2 s at 100,000 listings), finding nothing.
        with collector_paused():
            self._build_all(profiles)

    def _build_all(self, profiles: Iterable[ListingProfile]) -> None:
        # Every profile's token keys and counts, one profile after the other; how many each has.
        keys, counts, lengths = bytearray(), bytearray(), array("I")  # counts: half_texts
        for profile in profiles:
            tokens = profile.tokens
            if isinstance(tokens, HashedTokens):  # as stored: no string to hash
                keys += tokens.keys
                counts += tokens.counts
            else:
                keys += token_keys(tokens)
                counts += half_texts(tokens.values())
            lengths.append(len(tokens))
            self._counted += 1
            self._place(profile)
        self._keys, numbers = numbered(np.frombuffer(keys, dtype="<u8") if keys else np.zeros(0, dtype="<u8"))
        del keys
        first_slot = len(self._profiles) - len(lengths)
        slots, weights, starts, frequencies = signature_postings(
            numbers, np.frombuffer(counts, dtype=np.uint8) * np.float32(0.5) if counts else np.zeros(0, np.float32),
            np.frombuffer(lengths, dtype=np.uint32) if lengths else np.zeros(0, np.uint32),
            len(self._keys), self.signature_size)
        del numbers, counts, lengths
        self._frequencies = as_array("I", frequencies.astype(np.uint32))
        self._starts = as_array("Q", starts)
        self._posting_slots = as_array("I", slots + np.uint32(first_slot))
        self._posting_weights = as_array("f", weights)

    def _numbers_of(self, keys: np.ndarray) -> np.ndarray:
        """The tokens' numbers (-1 for a token no listing has had)."""
        numbers = np.full(len(keys), -1, dtype=np.int64)
        if len(self._keys):
            places = np.minimum(np.searchsorted(self._keys, keys), len(self._keys) - 1)
            found = self._keys[places] == keys
            numbers[found] = places[found]
        if self._later:
            for position in np.flatnonzero(numbers < 0).tolist():
                numbers[position] = self._later.get(int(keys[position]), -1)
        return numbers

    # --- Reading ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._slots)

    def __contains__(self, listing_id: object) -> bool:
        return listing_id in self._slots

    def __iter__(self) -> Iterator[ListingProfile]:
        return (self.profile_at(slot, concepts=True) for slot, profile in enumerate(self._profiles)
                if profile is not None)

    def get(self, listing_id: int) -> ListingProfile | None:
        """The stored profile (without its tokens), or None."""
        slot = self._slots.get(listing_id)
        return None if slot is None else self.profile_at(slot, concepts=True)

    def profile_at(self, slot: int, *, concepts: bool = False) -> ListingProfile | None:
        """The profile in ``slot`` (None if removed), without its tokens; with its concepts and
        subjects only if ``concepts`` is true (they are kept apart, in arrays: the rules that
        decide who may match whom, and how well, never read them)."""
        profile = self._profiles[slot]
        if profile is None or not concepts:
            return profile
        names = self._names
        start, end = self._concept_starts[slot], self._concept_starts[slot + 1]
        vector = dict(zip(map(names.__getitem__, self._concept_numbers[start:end]), self._concept_weights[start:end]))
        start, end = self._subject_starts[slot], self._subject_starts[slot + 1]
        return profile.copy_with(concepts=MappingProxyType(vector),
                                 subjects=frozenset(map(names.__getitem__, self._subject_numbers[start:end])))

    def frequency(self, token: str) -> int:
        """How many indexed listings (or removed since the build) have the token."""
        number = int(self._numbers_of(np.frombuffer(token_keys([token]), dtype="<u8").astype(np.uint64))[0])
        return 0 if number < 0 else self._frequencies[number]

    def signature(self, tokens: Mapping[str, float] | HashedTokens, *,
                  indexed: bool = True) -> list[tuple[int, float]]:
        """The listing's signature: its ``signature_size`` most telling tokens (by key), heaviest
        first (among equals, in the order of ``tokens``), with weights of length 1. ``indexed``:
        the listing is counted in the document frequencies (else it is counted in, as if added)."""
        _, keys, weights = self._signature(tokens, indexed=indexed)
        return list(zip(keys.tolist(), weights.tolist()))

    def _signature(self, tokens: Mapping[str, float] | HashedTokens, *,
                   indexed: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The signature's token numbers (-1: unknown), keys and weights."""
        keys, counts = token_arrays(tokens)
        numbers = self._numbers_of(keys)
        known = numbers >= 0
        frequency = np.zeros(len(keys))
        if len(self._frequencies):
            counted = np.frombuffer(self._frequencies, dtype=np.uint32)
            frequency[known] = counted[numbers[known]]
            del counted  # a view of the array: it could not grow while the view lives
        extra = 0 if indexed else 1
        weights = tf(counts) * idf(frequency + extra, self._counted + extra)
        order = np.argsort(-weights, kind="stable")[:self.signature_size]
        weights = weights[order]
        norm = math.sqrt(float(weights @ weights)) or 1.0
        return numbers[order], keys[order], weights / norm

    def _postings(self, number: int) -> tuple[Sequence[int], Sequence[float], tuple[array, array] | None]:
        """A token's postings: those of the build (slots, weights), and those added since."""
        if number + 1 < len(self._starts):
            start, end = self._starts[number], self._starts[number + 1]
            slots, weights = self._posting_slots[start:end], self._posting_weights[start:end]
        else:
            slots = weights = ()
        return slots, weights, self._added.get(number)

    def text_similarities(self, profile: ListingProfile, *, scale: float = 1.0,
                          terms: int | None = None) -> dict[int, float]:
        """slot -> scale × cosine of the signatures, for every listing sharing a signature token
        of the query (its ``terms`` heaviest, default ``query_terms``; the rest add little)."""
        numbers, _, weights = self._signature(profile.tokens, indexed=profile.id in self._slots)
        common = max(MIN_COMMON_POSTINGS, int(self.common_share * len(self._slots)))
        scores: dict[int, float] = {}
        get = scores.get
        terms = terms or self.query_terms
        for number, query_weight in zip(numbers[:terms].tolist(), weights[:terms].tolist()):
            if number < 0:
                continue
            slots, weights, added = self._postings(number)
            if len(slots) + (len(added[0]) if added else 0) > common:
                continue
            query_weight *= scale
            for slot, weight in zip(slots, weights):
                scores[slot] = get(slot, 0.0) + query_weight * weight
            if added:
                for slot, weight in zip(*added):
                    scores[slot] = get(slot, 0.0) + query_weight * weight
        return scores

    def concept_similarities(self, profile: ListingProfile, classes: Iterable[tuple[str, str]], *,
                             scale: float = 1.0,
                             into: dict[int, float] | None = None) -> dict[int, float]:
        """slot -> scale × cosine of the concept vectors, among listings of the given (kind,
        direction); added to ``into`` if given."""
        scores: dict[int, float] = {} if into is None else into
        get = scores.get
        classes = tuple(classes)
        by_class = [self._concepts.get(pair, {}) for pair in classes]
        for topic, query_weight in normalised(profile.concepts):
            query_weight *= scale
            for concepts in by_class:
                entry = concepts.get(topic)
                if entry is None:
                    continue
                for slot, weight in zip(*entry):
                    scores[slot] = get(slot, 0.0) + query_weight * weight
        return scores

    # --- Writing ---------------------------------------------------------------------------

    def add(self, profile: ListingProfile) -> None:
        """Index a newly published listing (or re-index an edited one)."""
        if profile.id in self._slots:
            self.remove(profile.id)
        self._count(profile)
        self._insert(profile)

    def remove(self, listing_id: int) -> bool:
        """Drop a withdrawn, expired or deleted listing; False if it was not indexed."""
        slot = self._slots.pop(listing_id, None)
        if slot is None:
            return False
        self._profiles[slot] = None
        self._tombstones += 1
        if self._tombstones > max(1000, len(self._slots) // 4):
            self.compact()
        return True

    def compact(self) -> None:
        """Drop tombstones from the postings (slots keep their numbers); the postings added since
        the build join the build's."""
        alive = self._profiles
        starts, slots, weights = array("Q", [0]), array("I"), array("f")
        for number in range(len(self._frequencies)):
            run_slots, run_weights, added = self._postings(number)
            for run in ((run_slots, run_weights), added or ((), ())):
                for slot, weight in zip(*run):
                    if alive[slot] is not None:
                        slots.append(slot)
                        weights.append(weight)
            starts.append(len(slots))
        self._starts, self._posting_slots, self._posting_weights, self._added = starts, slots, weights, {}
        for concepts in self._concepts.values():
            for key, (slots, weights) in list(concepts.items()):
                kept = [(slot, weight) for slot, weight in zip(slots, weights) if alive[slot] is not None]
                concepts[key] = (array("I", (s for s, _ in kept)), array("f", (w for _, w in kept)))
        self._tombstones = 0

    def _count(self, profile: ListingProfile) -> None:
        keys, _ = token_arrays(profile.tokens)
        frequencies, later = self._frequencies, self._later
        for key, number in zip(keys.tolist(), self._numbers_of(keys).tolist()):
            if number < 0:
                later[key] = len(frequencies)
                frequencies.append(1)
            else:
                frequencies[number] += 1
        self._counted += 1

    def _insert(self, profile: ListingProfile) -> None:
        """Postings for a counted profile, then its place."""
        slot, added = len(self._profiles), self._added
        numbers, _, weights = self._signature(profile.tokens, indexed=True)
        for number, weight in zip(numbers.tolist(), weights.tolist()):
            entry = added.get(number)
            if entry is None:
                entry = added[number] = (array("I"), array("f"))
            entry[0].append(slot)
            entry[1].append(weight)
        self._place(profile)

    def _numbers_of_names(self, names: Iterable[str]) -> list[int]:
        try:
            return list(map(self._name_numbers.__getitem__, names))  # known names: at C speed
        except KeyError:
            return [self._new_name(name) for name in names]

    def _new_name(self, name: str) -> int:
        """The name's number, given it now if it has none."""
        number = self._name_numbers.get(name)
        if number is None:
            number = self._name_numbers[name] = len(self._names)
            self._names.append(name)
        return number

    def _place(self, profile: ListingProfile) -> None:
        """The profile's slot, its concepts' postings, and the profile itself without its tokens."""
        slot = len(self._profiles)
        concepts = self._concepts.get((profile.kind, profile.direction))
        if concepts is None:
            concepts = self._concepts[(profile.kind, profile.direction)] = {}
        for topic, weight in normalised(profile.concepts):
            entry = concepts.get(topic)
            if entry is None:
                entry = concepts[topic] = (array("I"), array("f"))
            entry[0].append(slot)
            entry[1].append(weight)
        # Its concepts and subjects apart, as numbers (of their names) and weights.
        self._concept_numbers.extend(self._numbers_of_names(profile.concepts))
        self._concept_weights.extend(profile.concepts.values())
        self._concept_starts.append(len(self._concept_numbers))
        self._subject_numbers.extend(self._numbers_of_names(profile.subjects))
        self._subject_starts.append(len(self._subject_numbers))
        shared = self._shared_sets
        self._profiles.append(profile.copy_with(
            tokens=EMPTY, concepts=EMPTY, subjects=_NO_SUBJECTS,
            **{name: shared.setdefault(value, value) for name in _SET_FIELDS for value in (getattr(profile, name),)}))
        self._slots[profile.id] = slot
