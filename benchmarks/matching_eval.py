"""Quality of the partner-matching engine on the labelled sets.

    python benchmarks/matching_eval.py                 # the two halves of tests/evaluation/ and
                                                       # the old tests/matching/eval_set.toml
    python benchmarks/matching_eval.py --set dev -v    # one set, per query
    python benchmarks/matching_eval.py --set dev --show d-drip-request-uz   # one ranking, with reasons

Listings are annotated with the shipped thesaurus (seed/thesaurus.ttl) as the portal does.
Tune on ``dev`` only; ``holdout`` is there to be measured (see tests/evaluation/README.md).

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
from portal.thesaurus.annotator import Annotator  # noqa: E402
from portal.thesaurus.concepts import Thesaurus  # noqa: E402
from portal.thesaurus.skos import read_skos  # noqa: E402

EVAL_SET = ROOT / "tests" / "matching" / "eval_set.toml"
SETS = {"dev": ROOT / "tests" / "evaluation" / "dev.toml",
        "holdout": ROOT / "tests" / "evaluation" / "holdout.toml",
        "dev2": ROOT / "tests" / "evaluation" / "dev2.toml",
        "dev3": ROOT / "tests" / "evaluation" / "dev3.toml",
        "dev4": ROOT / "tests" / "evaluation" / "dev4.toml",
        "dev5": ROOT / "tests" / "evaluation" / "dev5.toml",
        "dev6": ROOT / "tests" / "evaluation" / "dev6.toml",
        "old": EVAL_SET}
TOPICS = ROOT / "seed" / "topics.toml"
THESAURUS = ROOT / "seed" / "thesaurus.ttl"
_ANNOTATORS: dict[Path, Annotator] = {}


def annotator(path: Path = THESAURUS) -> Annotator:
    """The shipped thesaurus's annotator (parsed once per process)."""
    if path not in _ANNOTATORS:
        _ANNOTATORS[path] = Annotator(Thesaurus(read_skos(path)))
    return _ANNOTATORS[path]
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


def load_eval_set(path: Path = EVAL_SET, topics_path: Path = TOPICS, thesaurus: Path | None = THESAURUS) -> EvalSet:
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
        subjects = None
        if thesaurus is not None:
            reader = annotator(thesaurus)
            subjects = dict(reader.annotate([*texts, *row.get("keywords", ())]).counts)
        profiles[row["key"]] = build_profile(
            id=number, institution_id=institution_ids[row["institution"]],
            country=countries[row["institution"]], center=row["center"], kind=row["kind"],
            direction=row["direction"], topics=row.get("topics", ()), texts=texts,
            keywords=row.get("keywords", ()), keyword_language=None,
            lexicon=lexicon, subjects=subjects, thesaurus=reader.thesaurus if subjects is not None else None,
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
    parser.add_argument("--set", choices=sorted(SETS), action="append",
                        help="which set (repeat for several; default: dev, holdout and old)")
    parser.add_argument("--show", metavar="KEY", help="print one query's suggestions with reasons")
    parser.add_argument("-v", "--verbose", action="store_true", help="every query's figures")
    args = parser.parse_args()
    names = args.set or ["dev", "holdout", "old"]
    if args.show:
        _show(load_eval_set(SETS[names[0]]), args.show)
        return
    print(f"{'set':<10} {'listings':>8} {'queries':>8} {'nDCG@10':>8} {'P@5':>6} {'P@5 max':>8} {'no hit':>7}")
    for name in names:
        eval_set = load_eval_set(SETS[name])
        results = evaluate(eval_set)
        if args.verbose:
            for result in results:
                print(f"  {result.query:<36} {result.ndcg:>8.3f} {result.precision:>6.2f} "
                      f"{result.best_precision:>8.2f}")
        ndcg, precision, best = means(results)
        empty = sum(1 for result in results if not any(eval_set.judgements[result.query].get(key)
                                                         for key in result.ranking[:10]))
        print(f"{name:<10} {len(eval_set.profiles):>8} {len(results):>8} {ndcg:>8.3f} {precision:>6.3f} "
              f"{best:>8.3f} {empty:>7}")


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
