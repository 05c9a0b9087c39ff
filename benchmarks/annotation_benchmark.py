"""Annotation speed: how long the thesaurus annotator takes per listing.

    python benchmarks/annotation_benchmark.py            # the demo and evaluation listings, 20 rounds

Reads every listing of seed/ and tests/evaluation/ (title, summary, description in each of its
languages, and its keywords) and annotates it with the shipped thesaurus, as the portal does on
every change; prints the annotator's build time and p50/p95/max per listing. Target (issue 9):
≤ 20 ms per listing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for _path in (str(ROOT), str(ROOT / "platform")):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from portal.thesaurus.annotator import Annotator  # noqa: E402
from portal.thesaurus.concepts import Thesaurus  # noqa: E402
from portal.thesaurus.skos import read_skos  # noqa: E402

FIELDS = ("title", "summary", "description")


def listings() -> list[list[tuple[str | None, str]]]:
    found = []
    for path in sorted((ROOT / "seed").glob("listings_*.toml")):
        for row in tomllib.loads(path.read_text(encoding="utf-8"))["listing"]:
            found.append([(language, text[field]) for language, text in row["translations"].items()
                          for field in FIELDS if text.get(field)] + [(None, k) for k in row.get("keywords", [])])
    for path in sorted((ROOT / "tests" / "evaluation").glob("*.toml")):
        for row in tomllib.loads(path.read_text(encoding="utf-8"))["listing"]:
            found.append([(language, text[field]) for language, text in row["text"].items()
                          for field in FIELDS if text.get(field)] + [(None, k) for k in row.get("keywords", [])])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    started = time.perf_counter()
    concepts = read_skos(ROOT / "seed" / "thesaurus.ttl")
    parsed = time.perf_counter() - started
    started = time.perf_counter()
    annotator = Annotator(Thesaurus(concepts))
    built = time.perf_counter() - started
    texts = listings()
    for texts_of_one in texts:  # warm the stemmers' caches, as a running process has them
        annotator.annotate(texts_of_one)
    timings = []
    for _ in range(args.rounds):
        for texts_of_one in texts:
            started = time.perf_counter()
            annotator.annotate(texts_of_one)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    characters = statistics.fmean(sum(len(text) for _, text in one) for one in texts)
    print(f"thesaurus: {len(concepts):,} concepts, parsed in {parsed:.1f} s; annotator built in {built:.2f} s")
    print(f"{len(texts)} listings ({characters:,.0f} characters each on average), {args.rounds} rounds: "
          f"p50 {timings[len(timings) // 2]:.2f} ms, p95 {timings[int(len(timings) * 0.95)]:.2f} ms, "
          f"max {timings[-1]:.2f} ms per listing")


if __name__ == "__main__":
    main()
