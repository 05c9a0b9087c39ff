"""The matching index's whole-array operations: term weights, the build's signatures and
postings, token numbering (``portal.matching.index`` explains the design). Pure: numpy only."""

from __future__ import annotations

import gc
from array import array
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import numpy as np

from portal.matching.profile import HashedTokens
from portal.matching.text import token_keys

#: Below this many listings a token is as informative as a unique one (a typo or a number says
#: no more than a term two listings share).
MIN_DOCUMENT_FREQUENCY = 2


def tf(counts: np.ndarray) -> np.ndarray:
    """Sublinear weight of a token found in ``count`` texts: 1 + ln count. Machine-translated
    texts count a fraction each (``profile.MACHINE_TEXT_WEIGHT``), and a token found in less
    than one text's worth weighs in proportion (continuous at 1, never negative)."""
    return np.where(counts >= 1.0, 1.0 + np.log(np.maximum(counts, 1.0)), counts)


def idf(frequencies: np.ndarray, total: int) -> np.ndarray:
    return np.log1p(total / np.maximum(frequencies, MIN_DOCUMENT_FREQUENCY))


def signature_postings(numbers: np.ndarray, counts: np.ndarray, lengths: np.ndarray, tokens: int,
                       size: int, chunk: int = 10_000) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The build's postings, in whole-array operations: every listing's signature (its ``size``
    heaviest tokens by tf × idf, among equals those it has first, weights of length 1), then
    the postings token by token, each in listing order. ``numbers``/``counts``: the listings'
    tokens one listing after the other, ``lengths`` tokens each. Returns the postings' listings
    (0 for the first) and weights, where each token's run starts, and the document frequencies.
    Signatures are taken ``chunk`` listings at a time (at most 65,536: numbered on 16 bits), so
    the build's arrays stay small."""
    listings = len(lengths)
    frequencies = np.bincount(numbers, minlength=tokens)  # a listing has each of its tokens once
    idfs = idf(frequencies, listings)
    ends = np.cumsum(lengths, dtype=np.int64)
    kept_listings, kept_numbers, kept_weights = [], [], []
    for first in range(0, listings, chunk):
        last = min(first + chunk, listings)
        begin, end = (ends[first - 1] if first else 0), ends[last - 1] if last else 0
        part_numbers = numbers[begin:end]
        weight = tf(counts[begin:end].astype(np.float64)) * idfs[part_numbers]
        listing = np.repeat(np.arange(first, last, dtype=np.int64), lengths[first:last])
        # By listing, heaviest first, equals in the listing's order: a stable sort by weight,
        # then a stable one by listing, on 16 bits (a radix sort: half np.lexsort's time).
        order = np.argsort(-weight, kind="stable")
        order = order[np.argsort((listing - first).astype(np.uint16)[order], kind="stable")]
        starts = np.repeat(ends[first:last] - lengths[first:last] - begin, lengths[first:last])
        kept = order[np.arange(len(order), dtype=np.int64) - starts < size]
        part_listing, part_weight = listing[kept], weight[kept]
        norms = np.sqrt(np.bincount(part_listing - first, weights=part_weight * part_weight,
                                    minlength=last - first))
        norms[norms == 0] = 1.0
        kept_listings.append(part_listing.astype(np.uint32))
        kept_numbers.append(part_numbers[kept])
        kept_weights.append((part_weight / norms[part_listing - first]).astype(np.float32))
    kept_listing = np.concatenate(kept_listings) if kept_listings else np.zeros(0, np.uint32)
    kept_number = np.concatenate(kept_numbers) if kept_numbers else np.zeros(0, np.uint32)
    kept_weight = np.concatenate(kept_weights) if kept_weights else np.zeros(0, np.float32)
    by_token = stable_order(kept_number)  # stable: listing order within a token
    starts = np.zeros(tokens + 1, dtype=np.uint64)
    np.cumsum(np.bincount(kept_number, minlength=tokens), out=starts[1:])
    return kept_listing[by_token], kept_weight[by_token], starts, frequencies


def stable_order(numbers: np.ndarray) -> np.ndarray:
    """``np.argsort(numbers, kind="stable")`` for 32-bit numbers, as two stable sorts of 16 bits
    each (numpy sorts 16-bit values by radix: two thirds of the time of one 32-bit sort)."""
    order = np.argsort((numbers & 0xFFFF).astype(np.uint16), kind="stable")
    return order[np.argsort((numbers[order] >> 16).astype(np.uint16), kind="stable")]


@contextmanager
def collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def numbered(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct keys, sorted, and each key's place among them (``np.unique`` with
    ``return_inverse``, in a third of its time: one stable sort, which is a radix sort here)."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    new = np.empty(len(keys), dtype=bool)
    new[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    numbers = np.empty(len(keys), dtype=np.uint32)
    numbers[order] = np.cumsum(new, dtype=np.uint32) - np.uint32(1)
    return ordered[new].astype(np.uint64), numbers


def token_arrays(tokens: Mapping[str, float] | HashedTokens) -> tuple[np.ndarray, np.ndarray]:
    """A listing's token keys (uint64) and counts (float64), in its tokens' order."""
    if isinstance(tokens, HashedTokens):
        keys, counts = tokens.keys, np.frombuffer(tokens.counts, dtype=np.uint8) * 0.5
    else:
        keys, counts = token_keys(tokens), np.fromiter(tokens.values(), dtype=np.float64, count=len(tokens))
    return np.frombuffer(keys, dtype="<u8").astype(np.uint64), counts


def as_array(typecode: str, values: np.ndarray) -> array:
    """A numpy array's values as an ``array`` (which grows in place as listings are added)."""
    result = array(typecode)
    result.frombytes(values.tobytes())
    return result
