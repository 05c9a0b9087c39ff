"""Matching benchmark: N synthetic published listings in all eight languages, then suggestion
latency for random listings, index build time and memory.

    python benchmarks/matching_benchmark.py                  # 100,000 listings, 300 queries
    python benchmarks/matching_benchmark.py --listings 20000 --queries 1000 --tracemalloc
    python benchmarks/matching_benchmark.py --no-subjects    # without thesaurus concepts (as before)
    python benchmarks/matching_benchmark.py --database URL   # the worker's build from a database
                                                             # (e.g. one kept by search_benchmark.py --keep)

The listings imitate the portal's: three centers and the taxonomy's topics (seed/topics.toml),
one to four topics each, mostly from the listing's center, cross-cutting energy and AI topics
anywhere; China and the five Central Asian countries; one to three language versions (the
original plus Russian, English or Chinese); text drawn from a Zipf-distributed vocabulary per
language (so a few hundred words occur in most listings of a language, most words in few) mixed
with per-topic vocabularies, as title, summary and description; keywords; target countries,
working languages, TRL, dates; and two to eight thesaurus concepts of the listing's topics
(seed/thesaurus.ttl), widened to their broader and related concepts as the portal does. Profiles
are generated directly, without the text analyzer.

Target (issue): suggestions for one listing among 100,000 in ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
import tomllib
import tracemalloc
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path
from types import MappingProxyType

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]

from portal.matching.concepts import concept_weights  # noqa: E402
from portal.matching.engine import on_publish, suggest  # noqa: E402
from portal.matching.index import MatchIndex  # noqa: E402
from portal.matching.profile import ListingProfile, subject_vector  # noqa: E402
from portal.thesaurus.concepts import Thesaurus  # noqa: E402
from portal.thesaurus.skos import read_skos  # noqa: E402

LANGUAGES = ("en", "zh", "ru", "kk", "ky", "tg", "tk", "uz")
COUNTRIES = {"CN": 0.40, "KZ": 0.16, "UZ": 0.16, "KG": 0.10, "TJ": 0.09, "TM": 0.09}
ORIGINAL_LANGUAGES = {"CN": ("zh", "en"), "KZ": ("kk", "ru"), "KG": ("ky", "ru"),
                      "TJ": ("tg", "ru"), "TM": ("tk", "ru"), "UZ": ("uz", "ru")}
KIND_DIRECTIONS = [(("technology_transfer", "offer"), 0.22), (("technology_transfer", "request"), 0.18),
                   (("joint_research", "offer"), 0.17), (("joint_research", "request"), 0.18),
                   (("youth_exchange", "offer"), 0.15), (("youth_exchange", "request"), 0.10)]
VOCABULARY = 50_000  # words per language
TOPIC_VOCABULARY = 300  # words per topic and language
ZIPF = 1.07
WORDS = {"title": 9, "summary": 28, "description": 110}  # word occurrences per field


def _zipf(size: int, exponent: float) -> list[float]:
    return list(accumulate(1.0 / rank ** exponent for rank in range(1, size + 1)))


class Generator:
    thesaurus: Thesaurus | None = None

    def use_thesaurus(self, thesaurus: Thesaurus) -> None:
        self.thesaurus = thesaurus
        self.concepts_by_topic: dict[str, list[str]] = {}
        for concept in thesaurus:
            for topic in concept.topics:
                self.concepts_by_topic.setdefault(topic, []).append(concept.key)
        self.all_concepts = sorted(thesaurus.concepts)

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        topics = tomllib.loads((ROOT / "seed" / "topics.toml").read_text(encoding="utf-8"))["topic"]
        self.topics_by_center: dict[str | None, list[str]] = {}
        for topic in topics:
            self.topics_by_center.setdefault(topic.get("center"), []).append(topic["slug"])
        self.centers = [center for center in self.topics_by_center if center]
        self.general = _zipf(VOCABULARY, ZIPF)
        self.topical = _zipf(TOPIC_VOCABULARY, 0.8)
        # Word strings: "~" + language + rank, as the analyzer's stems look (interned once).
        self.words = {language: [sys.intern(f"~{language}{rank:x}") for rank in range(VOCABULARY)]
                      for language in LANGUAGES}
        self.topic_words = {(slug, language): [sys.intern(f"{slug[:6]}{language}{rank:x}")
                                               for rank in range(TOPIC_VOCABULARY)]
                            for slugs in self.topics_by_center.values() for slug in slugs
                            for language in LANGUAGES}
        self.countries, country_weights = zip(*COUNTRIES.items())
        self.country_cumulative = list(accumulate(country_weights))
        self.institutions = [self._pick_country() for _ in range(6000)]

    def _pick_country(self) -> str:
        return self.random.choices(self.countries, cum_weights=self.country_cumulative)[0]

    def profile(self, listing_id: int) -> ListingProfile:
        rnd = self.random
        institution = rnd.randrange(len(self.institutions))
        country = self.institutions[institution]
        center = rnd.choice(self.centers)
        (kind, direction), = rnd.choices([kd for kd, _ in KIND_DIRECTIONS],
                                         weights=[w for _, w in KIND_DIRECTIONS])
        own = self.topics_by_center[center]
        topics = set(rnd.sample(own, rnd.choice((1, 2, 2, 3))))
        if rnd.random() < 0.35:
            topics.add(rnd.choice(self.topics_by_center[None]))
        original = rnd.choice(ORIGINAL_LANGUAGES[country])
        languages = [original] + rnd.sample([l for l in ("ru", "en", "zh") if l != original],
                                            rnd.choice((0, 1, 1, 2)))
        tokens: dict[str, int] = {}
        ordered = sorted(topics)
        for language in languages:
            for words in WORDS.values():
                topical = round(words * 0.3)
                found = set(rnd.choices(self.words[language], cum_weights=self.general,
                                        k=words - topical))
                for topic in rnd.choices(ordered, k=topical):
                    found.add(rnd.choices(self.topic_words[(topic, language)],
                                          cum_weights=self.topical)[0])
                for token in found:
                    tokens[token] = tokens.get(token, 0) + 1
        mentions = {topic: rnd.randint(1, 4) for topic in topics if rnd.random() < 0.5}
        if rnd.random() < 0.15:
            mentions[rnd.choice(self.topics_by_center[None] + own)] = 1
        concepts = concept_weights(topics, mentions)
        subjects: dict[str, int] = {}
        if self.thesaurus is not None:
            pool = [key for topic in ordered for key in self.concepts_by_topic.get(topic, ())] or self.all_concepts
            for key in rnd.sample(pool, min(len(pool), rnd.randint(2, 8))):
                subjects[key] = rnd.choice((1, 1, 1, 2, 3))
            for key, weight in subject_vector(subjects, self.thesaurus).items():
                concepts[key] = concepts.get(key, 0.0) + weight
        start = date(2026, 1, 1) + timedelta(days=rnd.randrange(365))
        return ListingProfile(
            id=listing_id, institution_id=institution, country=country, center=center, kind=kind,
            direction=direction, topics=frozenset(topics), tokens=MappingProxyType(tokens),
            concepts=MappingProxyType(concepts), subjects=frozenset(subjects),
            target_countries=frozenset(rnd.sample(self.countries, rnd.randint(1, 3)))
            if rnd.random() < 0.4 else frozenset(),
            working_languages=frozenset(languages + (["ru"] if rnd.random() < 0.5 else [])),
            trl=rnd.choice((3, 5, 6, 7, 8, 9, 9)) if kind == "technology_transfer" else None,
            starts_on=start if kind == "youth_exchange" else None,
            ends_on=start + timedelta(days=rnd.randint(3, 40)) if kind == "youth_exchange" else None,
        )


def _rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2 ** 20


def _peak_rss_mib() -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure_database(url: str, queries: int = 300) -> None:
    """The worker's whole build (``matching.store._build_index``): reading the public listings,
    their texts and subjects, building their profiles, then the index."""
    import tempfile

    from portal import create_app
    from portal.extensions import db
    from portal.matching import store

    from portal.subjects.services import current_thesaurus

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "benchmark"}, instance_path=Path(tempfile.mkdtemp()))
    with app.app_context():
        # Imports and the thesaurus's first load (with its annotator, which the worker needs
        # anyway) are not the index: measured apart.
        store._lexicon(db.session)
        rss, started = _rss_mib(), time.perf_counter()
        current_thesaurus(db.session)
        print(f"thesaurus and annotator, loaded once per process: {time.perf_counter() - started:.1f} s, "
              f"{_rss_mib() - rss:.0f} MiB")
        gc.collect()
        rss = _rss_mib()
        started, cpu = time.perf_counter(), time.process_time()
        index = store._build_index(db.session)
        build, cpu = time.perf_counter() - started, time.process_time() - cpu
        gc.collect()
        print(f"worker's index build from the database: {len(index):,} listings in {build:.1f} s "
              f"({cpu:.1f} s of CPU in this process), memory (RSS growth): {_rss_mib() - rss:.0f} MiB, "
              f"peak RSS of the process: {_peak_rss_mib():.0f} MiB")
        # What the worker does for each publication, on these listings: suggestions for a listing
        # (as the nightly recomputation does for every one), and on_publish (re-adding it).
        rng = random.Random(7)
        ids = sorted(rng.sample([profile.id for profile in index], min(queries, len(index))))
        profiles = list(store._public_profiles(db.session, store.utcnow(), store._lexicon(db.session), ids))
        timings = []
        for profile in profiles:
            started = time.perf_counter()
            suggest(profile, index, limit=10)
            timings.append((time.perf_counter() - started) * 1e3)
        publish = []
        for profile in profiles[:50]:
            started = time.perf_counter()
            on_publish(profile, index, limit=10, reverse_limit=200)
            publish.append((time.perf_counter() - started) * 1e3)
        print(f"suggest(limit=10) for {len(timings)} random listings: p50 {_percentile(timings, 0.5):.1f} ms, "
              f"p95 {_percentile(timings, 0.95):.1f} ms, max {max(timings):.1f} ms; "
              f"on_publish for {len(publish)}: p50 {_percentile(publish, 0.5):.1f} ms, "
              f"p95 {_percentile(publish, 0.95):.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-subjects", action="store_true", help="profiles without thesaurus concepts")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also measure the index's allocations with tracemalloc (slower build)")
    parser.add_argument("--database", metavar="URL",
                        help="instead: build the index as the worker does, from this database's listings")
    args = parser.parse_args()
    if args.database:
        return measure_database(args.database, args.queries)

    started = time.perf_counter()
    generator = Generator(args.seed)
    if not args.no_subjects:
        generator.use_thesaurus(Thesaurus(read_skos(ROOT / "seed" / "thesaurus.ttl")))
    profiles = [generator.profile(number) for number in range(1, args.listings + 1)]
    tokens = statistics.fmean(len(profile.tokens) for profile in profiles)
    print(f"generated {len(profiles):,} profiles in {time.perf_counter() - started:.1f} s "
          f"({tokens:.0f} distinct tokens and {statistics.fmean(len(p.concepts) for p in profiles):.1f}"
          f" concepts per listing)")

    gc.collect()
    rss = _rss_mib()
    started = time.perf_counter()
    index = MatchIndex(profiles)
    build = time.perf_counter() - started
    gc.collect()
    print(f"index build: {build:.1f} s ({build / len(profiles) * 1e3:.2f} ms per listing), "
          f"memory (RSS growth): {_rss_mib() - rss:.0f} MiB")
    if args.tracemalloc:
        tracemalloc.start()
        again = MatchIndex(profiles)
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"index memory (tracemalloc): {current / 2 ** 20:.0f} MiB, peak {peak / 2 ** 20:.0f} MiB")
        del again

    rnd = random.Random(args.seed + 1)
    queries = rnd.sample(profiles, min(args.queries, len(profiles)))
    suggest(queries[0], index)  # warm-up
    timings, found = [], []
    for profile in queries:
        started = time.perf_counter()
        found.append(len(suggest(profile, index, limit=10)))
        timings.append((time.perf_counter() - started) * 1e3)
    print(f"suggest(limit=10) over {len(queries)} random listings: p50 {_percentile(timings, 0.5):.1f} ms, "
          f"p95 {_percentile(timings, 0.95):.1f} ms, p99 {_percentile(timings, 0.99):.1f} ms, "
          f"max {max(timings):.1f} ms; {statistics.fmean(found):.1f} suggestions on average")
    candidates = [len(index.text_similarities(p)) for p in queries[:50]]
    print(f"  text candidates per query: mean {statistics.fmean(candidates):,.0f}")

    publish = []
    for number, _ in enumerate(range(min(50, args.queries)), start=args.listings + 1):
        profile = generator.profile(number)
        started = time.perf_counter()
        update = on_publish(profile, index, limit=10, reverse_limit=200)
        publish.append((time.perf_counter() - started) * 1e3)
    print(f"on_publish (add + own 10 + up to 200 reverse) for {len(publish)} new listings: "
          f"p50 {_percentile(publish, 0.5):.1f} ms, p95 {_percentile(publish, 0.95):.1f} ms; "
          f"{len(update.reverse)} reverse suggestions for the last")
    target = "met" if _percentile(timings, 0.95) <= 50 else "NOT met"
    print(f"target p95 ≤ 50 ms at {len(profiles):,} listings: {target}")


if __name__ == "__main__":
    main()
