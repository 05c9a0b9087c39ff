"""Quality of the partner-matching engine on the labelled set tests/matching/eval_set.toml.

    python benchmarks/matching_eval.py                 # per query and mean nDCG@10, P@5
    python benchmarks/matching_eval.py --show drip-request-kk   # one query's ranking, with reasons

nDCG@10 uses the graded judgements (gain 2^grade − 1, discount log2(rank + 1), ideal = the
judged listings in grade order); P@5 counts the top five with any grade ≥ 1. Unjudged listings
count as not relevant. "P@5 max" is what a perfect ranking would get: a query with two relevant
partners cannot score above 0.4.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "platform") not in sys.path:
    sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]

from portal.matching.engine import WEIGHTS, Weights, suggest  # noqa: E402
from portal.matching.index import MatchIndex  # noqa: E402
from portal.matching.concepts import TopicLexicon  # noqa: E402
from portal.matching.profile import ListingProfile, build_profile  # noqa: E402
from portal.matching.rules import can_match  # noqa: E402

EVAL_SET = ROOT / "tests" / "matching" / "eval_set.toml"
TOPICS = ROOT / "seed" / "topics.toml"
TEXT_FIELDS = ("title", "summary", "description")


@dataclass(frozen=True)
class EvalSet:
    profiles: dict[str, ListingProfile]  # by key, in file order
    judgements: dict[str, dict[str, int]]  # query key -> {listing key: grade}

    def key_of(self, listing_id: int) -> str:
        return self._keys[listing_id]

    @property
    def _keys(self) -> dict[int, str]:
        return {profile.id: key for key, profile in self.profiles.items()}


@dataclass(frozen=True)
class QueryResult:
    query: str
    ndcg: float
    precision: float
    best_precision: float
    ranking: list[str]


def load_eval_set(path: Path = EVAL_SET, topics_path: Path = TOPICS) -> EvalSet:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    lexicon = TopicLexicon({topic["slug"]: topic["names"] for topic in
                            tomllib.loads(topics_path.read_text(encoding="utf-8"))["topic"]})
    countries = data["institutions"]
    institution_ids = {key: number for number, key in enumerate(countries, start=1)}
    profiles: dict[str, ListingProfile] = {}
    judgements: dict[str, dict[str, int]] = {}
    for number, row in enumerate(data["listing"], start=1):
        texts = [(language, version[field]) for language, version in row["text"].items()
                 for field in TEXT_FIELDS if version.get(field)]
        profiles[row["key"]] = build_profile(
            id=number, institution_id=institution_ids[row["institution"]],
            country=countries[row["institution"]], center=row["center"], kind=row["kind"],
            direction=row["direction"], topics=row["topics"], texts=texts,
            keywords=row.get("keywords", ()), keyword_language=row["original_language"],
            lexicon=lexicon,
            target_countries=row.get("target_countries", ()),
            working_languages=row.get("working_languages", ()), languages=list(row["text"]),
            trl=row.get("trl"), starts_on=row.get("starts_on"), ends_on=row.get("ends_on"))
        if "relevant" in row:
            judgements[row["key"]] = dict(row["relevant"])
    _check(profiles, judgements)
    return EvalSet(profiles, judgements)


def _check(profiles: dict[str, ListingProfile], judgements: dict[str, dict[str, int]]) -> None:
    """Judgements must name listings the rules allow at all, with grades 1–3."""
    for query, grades in judgements.items():
        for key, grade in grades.items():
            if key not in profiles:
                raise ValueError(f"{query}: unknown listing {key!r}")
            if grade not in (1, 2, 3):
                raise ValueError(f"{query}: grade of {key} must be 1, 2 or 3")
            if not can_match(profiles[query], profiles[key]):
                raise ValueError(f"{query}: {key} can never be suggested (same institution or "
                                 "kinds/directions that do not match)")


def dcg(grades: list[int]) -> float:
    return sum((2 ** grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(grades))


def ndcg_at(ranking: list[str], grades: dict[str, int], k: int = 10) -> float:
    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    return dcg([grades.get(key, 0) for key in ranking[:k]]) / ideal if ideal else 0.0


def precision_at(ranking: list[str], grades: dict[str, int], k: int = 5) -> float:
    return sum(1 for key in ranking[:k] if grades.get(key, 0) >= 1) / k


def evaluate(eval_set: EvalSet | None = None, weights: Weights = WEIGHTS,
             index_options: dict | None = None) -> list[QueryResult]:
    eval_set = eval_set or load_eval_set()
    index = MatchIndex(eval_set.profiles.values(), **(index_options or {}))
    results = []
    for query, grades in eval_set.judgements.items():
        ranking = [eval_set.key_of(suggestion.listing_id) for suggestion in
                   suggest(eval_set.profiles[query], index, limit=10, weights=weights)]
        results.append(QueryResult(query, ndcg_at(ranking, grades), precision_at(ranking, grades),
                                   min(5, len(grades)) / 5, ranking))
    return results


def means(results: list[QueryResult]) -> tuple[float, float, float]:
    return (statistics.fmean(r.ndcg for r in results), statistics.fmean(r.precision for r in results),
            statistics.fmean(r.best_precision for r in results))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", metavar="KEY", help="print one query's suggestions with reasons")
    args = parser.parse_args()
    eval_set = load_eval_set()
    if args.show:
        _show(eval_set, args.show)
        return
    results = evaluate(eval_set)
    print(f"{len(eval_set.profiles)} listings, {len(results)} queries\n")
    print(f"{'query':<36} {'nDCG@10':>8} {'P@5':>6} {'P@5 max':>8}")
    for result in results:
        print(f"{result.query:<36} {result.ndcg:>8.3f} {result.precision:>6.2f} "
              f"{result.best_precision:>8.2f}")
    ndcg, precision, best = means(results)
    print(f"{'mean':<36} {ndcg:>8.3f} {precision:>6.3f} {best:>8.3f}")


def _show(eval_set: EvalSet, key: str) -> None:
    index = MatchIndex(eval_set.profiles.values())
    grades = eval_set.judgements.get(key, {})
    for suggestion in suggest(eval_set.profiles[key], index, limit=10):
        other = eval_set.key_of(suggestion.listing_id)
        print(f"{suggestion.score:6.3f}  [{grades.get(other, 0)}] {other}")
        for reason in suggestion.reasons:
            print(f"          + {reason.code} {dict(reason.params)}")
        for caveat in suggestion.caveats:
            print(f"          - {caveat.code} {dict(caveat.params)}")
    missing = [other for other in grades if other not in
               {eval_set.key_of(s.listing_id) for s in suggest(eval_set.profiles[key], index)}]
    if missing:
        print("judged but not suggested:", ", ".join(f"{m} [{grades[m]}]" for m in missing))


if __name__ == "__main__":
    main()
