"""Facet counts, filters and result order for listing search, on bitsets. Pure Python.

Every published listing has a *slot*; each facet value keeps the set of slots having it as one
Python integer used as a bitset, so intersecting 100,000 listings with a filter is one ``&`` and
counting a facet value is one ``bit_count()``. Slots are numbered newest first, so within a
relevance tier the lowest slots are the newest listings, which is the tie-break the ranking
asks for: score, then newest published, then highest id (never published last).

A query term matches a listing's title, body or machine translations through the database's text
index (the caller passes those ids in), and its taxonomy when the term is in the label, in any of the eight
languages, of one of its topics or its center: the index keeps the labels' tokens and expands a
matching label to its listings with one bitset, so a term naming a topic held by 10,000
listings costs no lookup of 10,000 rows.

Listings changed after the index was built are moved to new slots at the end (their old slot
is emptied); ordering looks at those few explicitly, so results stay exact until the next
rebuild sorts everything again. The caller (``facet_cache``) keeps the index in step with the
database and decides when to rebuild.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from array import array
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from portal.search.search_params import SearchParams
from portal.thesaurus.annotator import Annotator
from portal.thesaurus.concepts import Thesaurus
from portal.search.relevance import score_tiers
from portal.search.query import Alternative
from portal.search.ranking import TextMatches, id_array
from portal.search.text_postings import TextPostings

FACETS = ("centers", "kinds", "directions", "countries", "topics", "languages", "trl", "subjects")
#: The bitsets kept: the facets', and those of the listings prominently about each concept that
#: some other concept is under (a search widens to the concept above its own among them only).
BITSETS = (*FACETS, "prominent")
#: Subject counts are computed for the most common subjects and those most frequent among the
#: first results only: counting all 1,500 concepts of the thesaurus would cost more than the
#: search (each count is one pass over a bitset of every listing: 125 KB at a million).
COMMON_SUBJECTS = 30
SUBJECTS_FROM_RESULTS = 50
SUBJECTS_FROM_RESULTS_COUNTED = 30
_NONZERO_BYTE = re.compile(rb"[^\x00]")


@dataclass(frozen=True)
class ListingFacts:
    """What search needs of a published listing, besides its text."""

    id: int
    center: str
    kind: str
    direction: str
    country: str
    topics: tuple[str, ...]
    languages: tuple[str, ...]
    trl: int | None
    published_at: float  # POSIX timestamps; -inf when never published
    expires_at: float
    subjects: tuple[str, ...] = ()  # thesaurus concept keys (``portal.subjects``)
    #: those of them a title, summary or keyword names (or the author chose) and that have
    #: narrower concepts
    prominent: tuple[str, ...] = ()

    def values(self, facet: str) -> tuple[str, ...]:
        if facet == "centers":
            return (self.center,)
        if facet == "kinds":
            return (self.kind,)
        if facet == "directions":
            return (self.direction,)
        if facet == "countries":
            return (self.country,)
        if facet == "topics":
            return self.topics
        if facet == "languages":
            return self.languages
        if facet == "subjects":
            return self.subjects
        if facet == "prominent":
            return self.prominent
        return (str(self.trl),) if self.trl is not None else ()

    def order_key(self) -> tuple[float, int]:
        """Ascending order = newest first, then highest id first."""
        return (-self.published_at, -self.id)


@dataclass
class Found:
    total: int
    facets: dict[str, list[tuple[str, int]]]
    page_ids: list[int]
    #: page listings found through the query's concepts only (no word of the query in their
    #: text), with those concepts
    via_subjects: dict[int, tuple[str, ...]] = field(default_factory=dict)
    #: page listings found only through their machine translations
    via_machine: frozenset[int] = frozenset()


@dataclass
class FacetIndex:
    built_at: float
    document_count: int  # every listing, whatever its status: the idf's N, as the text index has
    # Per slot, in compact arrays (100,000 listings take a few MB): listing id (0 once the
    # listing moved to another slot), publication and expiry timestamps.
    ids: array = field(default_factory=lambda: array("q"))
    published: array = field(default_factory=lambda: array("d"))
    expires: array = field(default_factory=lambda: array("d"))
    # By listing id, its slot (-1: none), as a numpy array for ``slots_of``; it grows by being
    # replaced, so a search in another thread keeps the one it holds.
    slot_list: np.ndarray = field(default_factory=lambda: np.full(0, -1, dtype=np.int64))
    bits: dict[str, dict[str, int]] = field(default_factory=lambda: {name: {} for name in BITSETS})
    occupied: int = 0  # slots holding a listing now
    live: int = 0  # how many
    sorted_slots: int = 0  # slots [0, sorted_slots) are in order; later ones were appended
    expiry_times: array = field(default_factory=lambda: array("d"))  # sorted, with
    expiry_slots: array = field(default_factory=lambda: array("q"))  # the slot of each
    # (facet, value) -> tokens of its labels in every language, for "centers" and "topics"
    labels: Mapping[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    # The thesaurus, to widen a subject to its narrower concepts, and its annotator, to read a
    # query as concepts (both None when no thesaurus is loaded).
    thesaurus: Thesaurus | None = None
    annotator: Annotator | None = None
    slot_subjects: list[tuple[str, ...]] = field(default_factory=list)
    common_subjects: tuple[str, ...] = ()
    # The text index's answers for common terms, as up to date as the index (``text_postings``).
    text_postings: TextPostings = field(default_factory=TextPostings)
    # The labels' tokens, sorted, and which labels have each: a prefix is looked up by bisection
    # (testing every token of every label took 0.2-0.4 ms a query term).
    _label_tokens: list[str] = field(init=False, repr=False)
    _label_owners: dict[str, tuple[tuple[str, str], ...]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        owners: dict[str, list[tuple[str, str]]] = {}
        for label, tokens in self.labels.items():
            for token in tokens:
                owners.setdefault(token, []).append(label)
        self._label_owners = {token: tuple(labels) for token, labels in owners.items()}
        self._label_tokens = sorted(owners)

    # --- building and changing -------------------------------------------------------------

    @classmethod
    def build(cls, listings: Iterable[ListingFacts], *, built_at: float, document_count: int,
              labels: Mapping[tuple[str, str], frozenset[str]], thesaurus: Thesaurus | None = None,
              annotator: Annotator | None = None) -> FacetIndex:
        index = cls(built_at=built_at, document_count=document_count, labels=labels,
                    thesaurus=thesaurus, annotator=annotator)
        ordered = sorted(listings, key=ListingFacts.order_key)
        builders: dict[str, dict[str, bytearray]] = {name: {} for name in BITSETS}
        size = (len(ordered) + 7) // 8
        for slot, facts in enumerate(ordered):
            for name in BITSETS:
                for value in facts.values(name):
                    buffer = builders[name].get(value)
                    if buffer is None:
                        buffer = builders[name][value] = bytearray(size)
                    buffer[slot >> 3] |= 1 << (slot & 7)
        index.bits = {name: {value: int.from_bytes(buffer, "little") for value, buffer in values.items()}
                      for name, values in builders.items()}
        index.ids = array("q", (facts.id for facts in ordered))
        index.published = array("d", (facts.published_at for facts in ordered))
        index.expires = array("d", (facts.expires_at for facts in ordered))
        index.slot_subjects = [facts.subjects for facts in ordered]
        index.common_subjects = tuple(sorted(index.bits["subjects"], key=lambda key: -index.bits["subjects"][key].bit_count())
                                      [:COMMON_SUBJECTS])
        index.slot_list = np.full(max(index.ids, default=0) + 1, -1, dtype=np.int64)
        index.slot_list[np.array(index.ids, dtype=np.int64)] = np.arange(len(index.ids), dtype=np.int64)
        index.occupied = (1 << len(ordered)) - 1
        index.live = index.sorted_slots = len(ordered)
        by_expiry = sorted(range(len(ordered)), key=index.expires.__getitem__)
        index.expiry_times = array("d", (index.expires[slot] for slot in by_expiry))
        index.expiry_slots = array("q", by_expiry)
        return index

    def replace(self, listing_ids: Iterable[int], published: Mapping[int, ListingFacts], *,
                document_count: int) -> None:
        """Take changed listings: each leaves its slot; the ones still published get a new one."""
        for listing_id in listing_ids:
            if listing_id < len(self.slot_list) and self.slot_list[listing_id] >= 0:
                self._clear(int(self.slot_list[listing_id]))
                self.slot_list[listing_id] = -1
            facts = published.get(listing_id)
            if facts is not None:
                self._append(facts)
        self.document_count = document_count

    @property
    def appended(self) -> int:
        return len(self.ids) - self.sorted_slots

    def _clear(self, slot: int) -> None:
        # Changes are rare next to searches: clearing the bit everywhere beats keeping each
        # slot's values around.
        mask = ~(1 << slot)
        for values in self.bits.values():
            for value in values:
                values[value] &= mask
        self.occupied &= mask
        self.live -= 1
        self.ids[slot] = 0
        self.slot_subjects[slot] = ()

    def _append(self, facts: ListingFacts) -> None:
        slot = len(self.ids)
        self.ids.append(facts.id)
        self.published.append(facts.published_at)
        self.expires.append(facts.expires_at)
        self.slot_subjects.append(facts.subjects)
        self._reach(facts.id)
        self.slot_list[facts.id] = slot
        bit = 1 << slot
        for name in BITSETS:
            for value in facts.values(name):
                self.bits[name][value] = self.bits[name].get(value, 0) | bit
        self.occupied |= bit
        self.live += 1
        position = bisect.bisect_right(self.expiry_times, facts.expires_at)
        self.expiry_times.insert(position, facts.expires_at)
        self.expiry_slots.insert(position, slot)

    def _reach(self, listing_id: int) -> None:
        if listing_id >= len(self.slot_list):
            grown = np.full(max(listing_id + 1, 2 * len(self.slot_list)), -1, dtype=np.int64)
            grown[:len(self.slot_list)] = self.slot_list
            self.slot_list = grown

    def _order_key(self, slot: int) -> tuple[float, int]:
        return (-self.published[slot], -self.ids[slot])

    # --- searching -------------------------------------------------------------------------

    def slots_of(self, listing_ids: Collection[int]) -> int:
        """The bitset of those listings that are in the index, in whole-array operations: a
        common word is in some 100,000 documents at a million listings, too many for a loop in
        Python. The text index hands over numpy arrays; any collection of ids will do."""
        if len(listing_ids) == 0:
            return 0
        ids = id_array(listing_ids)
        slot_of = self.slot_list
        slots = slot_of[ids[ids < len(slot_of)]]
        flags = np.zeros(len(self.ids), dtype=np.uint8)
        flags[slots[slots >= 0]] = 1
        return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")

    def published_since(self, moment: float) -> int:
        """Slots of listings published after ``moment`` (a saved search's alert): a prefix of
        the sorted slots, newest first, plus the appended ones that qualify."""
        newer = bisect.bisect_left(self.published, -moment, hi=self.sorted_slots, key=lambda value: -value)
        bits = (1 << newer) - 1
        for slot in range(self.sorted_slots, len(self.ids)):
            if self.published[slot] > moment:
                bits |= 1 << slot
        return bits & self.occupied

    def visible(self, now: float) -> int:
        """Occupied slots whose listing has not expired by ``now``."""
        expired = 0
        for slot in self.expiry_slots[:bisect.bisect_right(self.expiry_times, now)]:
            expired |= 1 << slot
        return self.occupied & ~expired

    def search(self, params: SearchParams, *, now: float, terms: Sequence[TextMatches] | None = None,
               within: int | None = None, term_subjects: Sequence[Set[str]] | None = None) -> Found:
        """``terms``: the query's terms with their matches in the text fields (title, body,
        machine text; None: no text query); ``term_subjects``: per term, the concepts of the
        query that cover it (a listing about one of them, or a narrower one, has the term).
        ``within`` narrows everything to a bitset (a center's page, an alert's news)."""
        base = self.visible(now) if within is None else self.visible(now) & within
        tiers: list[tuple[float, int]] | None = None
        only_subjects = only_machine = 0
        if terms is not None:
            scored = score_tiers(self, terms, base, term_subjects or [frozenset()] * len(terms))
            tiers, only_subjects, only_machine = scored.tiers, scored.only_subjects, scored.only_machine
            base = 0
            for _score, bits in tiers:
                base |= bits
        filters = self._filters(params)
        facets = {}
        for name in FACETS:
            narrowed = base
            for other, bits in filters.items():
                if other != name:
                    narrowed &= bits
            facets[name] = (self._subject_counts(narrowed, params.subjects) if name == "subjects"
                            else self._counts(name, narrowed))
        matching = base
        for bits in filters.values():
            matching &= bits
        start = (params.page - 1) * params.per_page
        wanted = start + params.per_page
        if params.sort == "closing":
            ordered = sorted(self._slots(matching), key=lambda slot: (self.expires[slot], self.ids[slot]))
            page = ordered[start:wanted]
        elif params.sort == "newest" or tiers is None:
            page = self._first(matching, wanted)[start:]
        else:
            page = []
            for _score, bits in tiers:
                if len(page) >= wanted:
                    break
                page += self._first(bits & matching, wanted - len(page))
            page = page[start:wanted]
        via_subjects = {}
        if only_subjects:
            query_subjects = set().union(*(term_subjects or ()))
            for slot in page:
                if only_subjects >> slot & 1:
                    via_subjects[self.ids[slot]] = tuple(sorted(self._subjects_meeting(slot, query_subjects)))
        via_machine = frozenset(self.ids[slot] for slot in page if only_machine >> slot & 1)
        return Found(total=matching.bit_count(), facets=facets, page_ids=[self.ids[slot] for slot in page],
                     via_subjects=via_subjects, via_machine=via_machine)

    def subject_bits(self, keys: Iterable[str]) -> int:
        """Slots of the listings about any of these concepts or a narrower one."""
        bits = 0
        subjects = self.bits["subjects"]
        for key in self._widened(keys):
            bits |= subjects.get(key, 0)
        return bits

    def related_subject_bits(self, keys: Iterable[str]) -> int:
        """Slots of the listings about a concept related to one of these (not the same)."""
        return self._near_bits(keys, self.thesaurus.related_of if self.thesaurus else None, self.bits["subjects"])

    def broader_subject_bits(self, keys: Iterable[str]) -> int:
        """Slots of the listings about the concept just above one of these: a query for glacier
        monitoring is answered, less well, by a listing about glaciers; not by one whose
        description names glaciers in passing (``ListingFacts.prominent``)."""
        return self._near_bits(keys, self.thesaurus.broader_of if self.thesaurus else None, self.bits["prominent"])

    @staticmethod
    def _near_bits(keys: Iterable[str], near_of: Callable[[str], tuple[str, ...]] | None, bits_of: dict[str, int]) -> int:
        bits = 0
        for near in (near for key in keys for near in near_of(key)) if near_of is not None else ():
            bits |= bits_of.get(near, 0)
        return bits

    def _widened(self, keys: Iterable[str]) -> set[str]:
        widened: set[str] = set()
        for key in keys:
            widened |= self.thesaurus.with_narrower(key) if self.thesaurus is not None else {key}
        return widened

    def _subjects_meeting(self, slot: int, query_subjects: Set[str]) -> set[str]:
        """The listing's own subjects that answer the query's concepts (they or narrower ones)."""
        return set(self.slot_subjects[slot]) & self._widened(query_subjects)

    def labelled(self, alternatives: Sequence[Alternative]) -> int:
        """Slots of the listings whose topic or center label has the term."""
        found: set[tuple[str, str]] = set()
        for alternative in alternatives:
            if not alternative.prefix:
                found.update(self._label_owners.get(alternative.token, ()))
                continue
            tokens = self._label_tokens
            position = bisect.bisect_left(tokens, alternative.token)
            while position < len(tokens) and tokens[position].startswith(alternative.token):
                found.update(self._label_owners[tokens[position]])
                position += 1
        bits = 0
        for facet, value in found:
            bits |= self.bits[facet].get(value, 0)
        return bits

    def _filters(self, params: SearchParams) -> dict[str, int]:
        filters = {}
        if params.subjects:
            filters["subjects"] = self.subject_bits(params.subjects)
        for name in ("centers", "kinds", "directions", "countries", "topics", "languages"):
            chosen: Set[str] = set(getattr(params, name))
            if chosen:
                filters[name] = self._union(name, chosen)
        if params.trl_min is not None or params.trl_max is not None:
            low, high = params.trl_min or 1, params.trl_max or 9
            filters["trl"] = self._union("trl", {str(level) for level in range(low, high + 1)})
        return filters

    def _union(self, name: str, values: Set[str]) -> int:
        bits = 0
        for value in values:
            bits |= self.bits[name].get(value, 0)
        return bits

    def _subject_counts(self, within: int, chosen: Sequence[str]) -> list[tuple[str, int]]:
        """Counts of the common subjects, those most frequent among the first results and the
        chosen ones."""
        candidates = dict.fromkeys((*chosen, *self.common_subjects))
        in_results = Counter(itertools.chain.from_iterable(
            self.slot_subjects[slot] for slot in itertools.islice(self._slots(within), SUBJECTS_FROM_RESULTS)))
        candidates.update(dict.fromkeys(key for key, _ in in_results.most_common(SUBJECTS_FROM_RESULTS_COUNTED)))
        counts = []
        for key in candidates:
            count = (self.subject_bits([key]) & within).bit_count() if key in chosen else \
                (self.bits["subjects"].get(key, 0) & within).bit_count()
            if count:
                counts.append((key, count))
        return sorted(counts, key=lambda item: (-item[1], item[0]))

    def _counts(self, name: str, within: int) -> list[tuple[str, int]]:
        counts = [(value, count) for value, bits in self.bits[name].items()
                  if (count := (bits & within).bit_count())]
        return sorted(counts, key=lambda item: (-item[1], item[0]))

    def _first(self, bits: int, count: int) -> list[int]:
        """The first ``count`` slots of ``bits`` in result order (newest first)."""
        if count <= 0 or not bits:
            return []
        in_order = bits & ((1 << self.sorted_slots) - 1)
        late = bits >> self.sorted_slots
        taken = []
        for slot in self._slots(in_order):
            taken.append(slot)
            if len(taken) >= count:
                break
        if late:
            appended = [self.sorted_slots + offset for offset in self._slots(late)]
            taken = sorted(taken + appended, key=self._order_key)[:count]
        return taken

    @staticmethod
    def _slots(bits: int) -> Iterator[int]:
        """Set bits in ascending order, skipping empty bytes quickly."""
        if not bits:
            return
        data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
        for match in _NONZERO_BYTE.finditer(data):
            position = match.start()
            byte = data[position]
            base = position << 3
            while byte:
                low = byte & -byte
                yield base + low.bit_length() - 1
                byte ^= low


def timestamp(value: datetime | None) -> float:
    return value.timestamp() if value is not None else -math.inf
