"""An in-memory index of the published listings' profiles, for fast candidate generation.
Pure: no Flask, no SQL.

* Concepts (topics and thesaurus subjects): (concept, kind, direction) -> (listings, weights),
  the weights normalised to length 1 per listing, so a query walks only the kinds and
  directions it may match and accumulates the cosine of the concept vectors. Two compact
  arrays per key: a listing has a dozen concepts, and an object per weight would cost more
  than the listings' text.
* Text: each listing is reduced to its *signature*, the ``signature_size`` tokens with the
  highest ``(1 + ln count) × idf``, weighted and normalised to length 1 (as in Lucene's
  "more like this"); token -> (listings, weights) postings then give the cosine similarity of
  two signatures by accumulation over the query's signature only. Tokens in more than
  ``common_share`` of the listings are skipped when querying (their weight is small, their
  postings long). Among equally heavy tokens the signature keeps those the listing's texts
  have first.
* Tokens are numbered (one dict: token -> number); their document frequencies and postings are
  arrays by number. The postings of the build are three flat arrays (where each token's run
  starts, then every run's listings and weights), so a token that a single listing has costs
  a few bytes, not three Python objects (the benchmark's 20,000 listings have 320,000 tokens
  for 1.8 million postings: most tokens are rare, and rare tokens are what signatures keep).
  Postings added since live beside them until the next ``compact``.

Building takes the profiles one at a time and keeps only their token numbers and counts (a few
bytes a token) until the document frequencies are final; their token dicts, a gigabyte at
100,000 listings when held together, are dropped as they come.

Listings are added and removed one at a time (publication, withdrawal, expiry, edit). Removal
leaves a tombstone that queries skip; the postings are compacted when tombstones pile up.
Document frequencies count every listing added since the index was built, so idf drifts
slowly as the collection grows; rebuild the index (e.g. nightly) to refresh it.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from itertools import accumulate
from operator import itemgetter

from portal.matching.profile import EMPTY, ListingProfile

#: Below this many listings a token is as informative as a unique one (a typo or a number says
#: no more than a term two listings share).
MIN_DOCUMENT_FREQUENCY = 2
#: Tokens in more listings than this never serve as query terms (for speed), whatever the share.
MIN_COMMON_POSTINGS = 2000


def idf(document_frequency: int, total: int) -> float:
    return math.log(1.0 + total / max(document_frequency, MIN_DOCUMENT_FREQUENCY))


_TF = [0.0] + [1.0 + math.log(count) for count in range(1, 64)]


def _tf(count: float) -> float:
    """Sublinear weight of a token found in ``count`` texts; machine-translated texts count a
    fraction each (``profile.MACHINE_TEXT_WEIGHT``), and a token found in less than one text's
    worth weighs in proportion (continuous at 1, never negative)."""
    if count.__class__ is int:
        return _TF[count] if count < 64 else 1.0 + math.log(count)
    return 1.0 + math.log(count) if count >= 1.0 else count


_SET_FIELDS = ("topics", "target_countries", "working_languages")


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
        self._numbers: dict[str, int] = {}  # token -> its number
        self._frequencies = array("I")  # by token number: listings counted with the token
        self._counted = 0  # listings counted in _frequencies
        self._profiles: list[ListingProfile | None] = []  # by slot; tokens dropped
        self._slots: dict[int, int] = {}  # listing id -> slot
        # The build's postings: token number n's are _posting_slots/_posting_weights[_starts[n]:_starts[n + 1]].
        self._starts = array("Q", [0])
        self._posting_slots, self._posting_weights = array("I"), array("f")
        self._added: dict[int, tuple[array, array]] = {}  # token number -> postings added since
        # (concept, kind, direction) -> (slots, weights)
        self._concepts: dict[tuple[str, str, str], tuple[array, array]] = {}
        self._tombstones = 0
        # One object for each distinct small set (topics, countries, languages) of the profiles.
        self._shared_sets: dict[frozenset[str], frozenset[str]] = {}
        self._build(profiles)

    def _build(self, profiles: Iterable[ListingProfile]) -> None:
        counter: Counter[str] = Counter()
        numbers: defaultdict[str, int] = defaultdict()  # a new token gets the next number
        numbers.default_factory = numbers.__len__
        # Every profile's tokens, one after the other, as numbers and counts; where each ends.
        token_numbers, counts, ends = array("I"), array("B"), array("Q")
        large: dict[int, float] = {}  # position -> count, for counts over 255 or fractions
        for profile in profiles:
            tokens = profile.tokens
            counter.update(iter(tokens))  # an iterator: counted in C
            token_numbers.extend(map(numbers.__getitem__, tokens))
            values = tokens.values()
            before = len(counts)
            try:
                counts.extend(values)  # whole counts up to 255: the common case, at C speed
            except (TypeError, OverflowError):
                # a count over 255, or a fraction (machine-translated texts count half a text)
                del counts[before:]
                large.update((position, count) for position, count in enumerate(values, start=before)
                             if count.__class__ is not int or count > 255)
                counts.extend(min(int(count), 255) for count in values)
            ends.append(len(counts))
            self._counted += 1
            self._place(profile)
        numbers.default_factory = None  # a plain mapping from now on
        self._numbers = numbers
        self._frequencies = frequencies = array("I", map(counter.__getitem__, numbers))
        del counter
        total = self._counted
        idfs = array("d", [idf(frequency, total) for frequency in frequencies])
        tf = [_tf(count) for count in range(256)]

        # Signatures, with the final idf; how many postings each token gets.
        size = self.signature_size
        signature_numbers, signature_weights, signature_ends = array("I"), array("f"), array("Q")
        run_lengths = array("Q", bytes(8 * len(frequencies)))
        start = 0
        for end in ends:
            weighted = [(number, tf[count] * idfs[number])
                        for number, count in zip(token_numbers[start:end], counts[start:end])]
            if large:
                for position in range(start, end):
                    if position in large:
                        number = token_numbers[position]
                        weighted[position - start] = (number, _tf(large[position]) * idfs[number])
            start = end
            weighted.sort(key=itemgetter(1), reverse=True)  # stable: the profile's order among equals
            del weighted[size:]
            norm = math.sqrt(sum(weight * weight for _, weight in weighted)) or 1.0
            for number, weight in weighted:
                signature_numbers.append(number)
                signature_weights.append(weight / norm)
                run_lengths[number] += 1
            signature_ends.append(len(signature_numbers))
        del token_numbers, counts, ends, idfs

        # The postings, token by token, each in slot order.
        self._starts = starts = array("Q", accumulate(run_lengths, initial=0))
        del run_lengths
        slots, weights = array("I", bytes(4 * starts[-1])), array("f", bytes(4 * starts[-1]))
        cursor = array("Q", starts)
        start = 0
        for slot, end in enumerate(signature_ends, start=len(self._profiles) - len(signature_ends)):
            for position in range(start, end):
                number = signature_numbers[position]
                at = cursor[number]
                slots[at] = slot
                weights[at] = signature_weights[position]
                cursor[number] = at + 1
            start = end
        self._posting_slots, self._posting_weights = slots, weights

    # --- Reading ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._slots)

    def __contains__(self, listing_id: object) -> bool:
        return listing_id in self._slots

    def __iter__(self) -> Iterator[ListingProfile]:
        return (profile for profile in self._profiles if profile is not None)

    def get(self, listing_id: int) -> ListingProfile | None:
        """The stored profile (without its tokens), or None."""
        slot = self._slots.get(listing_id)
        return None if slot is None else self._profiles[slot]

    def profile_at(self, slot: int) -> ListingProfile | None:
        return self._profiles[slot]

    def frequency(self, token: str) -> int:
        """How many indexed listings (or removed since the build) have the token."""
        number = self._numbers.get(token)
        return 0 if number is None else self._frequencies[number]

    def signature(self, tokens: Mapping[str, int], *, indexed: bool = True) -> list[tuple[str, float]]:
        """The listing's signature: its ``signature_size`` most telling tokens, heaviest first
        (among equals, in the order of ``tokens``), with weights of length 1. ``indexed``: the
        listing is counted in the document frequencies (else it is counted in, as if added)."""
        extra = 0 if indexed else 1
        total = self._counted + extra
        number_of, frequencies = self._numbers.get, self._frequencies
        weighted = []
        for token, count in tokens.items():
            number = number_of(token)
            frequency = 0 if number is None else frequencies[number]
            weighted.append((token, _tf(count) * idf(frequency + extra, total)))
        weighted.sort(key=itemgetter(1), reverse=True)
        del weighted[self.signature_size:]
        norm = math.sqrt(sum(weight * weight for _, weight in weighted)) or 1.0
        return [(token, weight / norm) for token, weight in weighted]

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
        signature = self.signature(profile.tokens, indexed=profile.id in self._slots)
        common = max(MIN_COMMON_POSTINGS, int(self.common_share * len(self._slots)))
        scores: dict[int, float] = {}
        get = scores.get
        number_of = self._numbers.get
        for token, query_weight in signature[:terms or self.query_terms]:
            number = number_of(token)
            if number is None:
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
        concepts = self._concepts
        for topic, query_weight in normalised(profile.concepts):
            query_weight *= scale
            for kind, direction in classes:
                entry = concepts.get((topic, kind, direction))
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
        for key, (slots, weights) in list(self._concepts.items()):
            kept = [(slot, weight) for slot, weight in zip(slots, weights) if alive[slot] is not None]
            self._concepts[key] = (array("I", (s for s, _ in kept)), array("f", (w for _, w in kept)))
        self._tombstones = 0

    def _count(self, profile: ListingProfile) -> None:
        numbers, frequencies = self._numbers, self._frequencies
        for token in profile.tokens:
            number = numbers.get(token)
            if number is None:
                numbers[token] = len(frequencies)
                frequencies.append(1)
            else:
                frequencies[number] += 1
        self._counted += 1

    def _insert(self, profile: ListingProfile) -> None:
        """Postings for a counted profile, then its place."""
        slot, numbers, added = len(self._profiles), self._numbers, self._added
        for token, weight in self.signature(profile.tokens):
            entry = added.get(numbers[token])
            if entry is None:
                entry = added[numbers[token]] = (array("I"), array("f"))
            entry[0].append(slot)
            entry[1].append(weight)
        self._place(profile)

    def _place(self, profile: ListingProfile) -> None:
        """The profile's slot, its concepts' postings, and the profile itself without its tokens."""
        slot = len(self._profiles)
        concepts = self._concepts
        for topic, weight in normalised(profile.concepts):
            entry = concepts.get((topic, profile.kind, profile.direction))
            if entry is None:
                entry = concepts[(topic, profile.kind, profile.direction)] = (array("I"), array("f"))
            entry[0].append(slot)
            entry[1].append(weight)
        shared = self._shared_sets
        self._profiles.append(replace(profile, tokens=EMPTY, **{
            name: shared.setdefault(value, value) for name in _SET_FIELDS
            if (value := getattr(profile, name))}))
        self._slots[profile.id] = slot
