"""Quality of listing search across languages, on the search cases of tests/evaluation/.

    python benchmarks/search_eval.py                  # both halves: cases passed, per half
    python benchmarks/search_eval.py --set dev -v     # one half, every case with its ranking
    DATABASE_URL=postgresql+psycopg://… python benchmarks/search_eval.py   # on PostgreSQL

For each half a fresh database is built as a visitor would meet the portal: migrations, the
shipped thesaurus, the demo data of seed/, then the half's listings, published. Each case then
asks the public API (``GET /api/v1/listings?q=…&lang=…``) as a client would. A case passes when
every ``relevant`` listing is among the first 10 results and no ``unwanted`` one among the first
20. Tune on ``dev`` only; ``holdout`` is measured (tests/evaluation/README.md).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for _path in (str(ROOT), str(ROOT / "platform")):
    if _path not in sys.path:
        sys.path.insert(0, _path)

SETS = {"dev": ROOT / "tests" / "evaluation" / "dev.toml",
        "holdout": ROOT / "tests" / "evaluation" / "holdout.toml",
        "dev2": ROOT / "tests" / "evaluation" / "dev2.toml",
        "dev3": ROOT / "tests" / "evaluation" / "dev3.toml",
        "dev4": ROOT / "tests" / "evaluation" / "dev4.toml",
        "dev5": ROOT / "tests" / "evaluation" / "dev5.toml",
        "dev6": ROOT / "tests" / "evaluation" / "dev6.toml"}
EXTERNAL_PREFIX = "eval:"
RELEVANT_WITHIN = 10
UNWANTED_WITHIN = 20
FILTERS = ("center", "kind", "direction", "country")


@dataclass(frozen=True)
class CaseResult:
    case: str
    query: str
    passed: bool
    missing: tuple[str, ...]  # relevant listings not in the first 10
    unwanted: tuple[str, ...]  # unwanted listings in the first 20
    ranking: tuple[str, ...]  # keys of the first 20 (demo listings as "seed")


def load_half(session, path: Path) -> dict[int, str]:  # noqa: ANN001
    """Create the half's institutions and published listings; returns listing id -> key."""
    from portal.database import utcnow
    from portal.institutions.models import Institution, InstitutionType
    from portal.changes.signals import announce_listing_changed, deliver_now
    from portal.listings.models import Direction, Listing, ListingKind, ListingStatus, ListingTranslation
    from portal.taxonomy.models import Center, Topic
    from sqlalchemy import select

    data = tomllib.loads(path.read_text(encoding="utf-8"))
    centers = {center.slug: center for center in session.scalars(select(Center))}
    topics = {topic.slug: topic for topic in session.scalars(select(Topic))}
    institutions = {}
    for key, country in data["institutions"].items():
        institution = Institution(name=key, type=InstitutionType.UNIVERSITY, country=country)
        session.add(institution)
        institutions[key] = institution
    session.flush()
    now = utcnow()
    keys = {}
    for number, row in enumerate(data["listing"]):
        listing = Listing(
            center=centers[row["center"]], kind=ListingKind(row["kind"]), direction=Direction(row["direction"]),
            status=ListingStatus.PUBLISHED, institution=institutions[row["institution"]],
            original_language=row["original_language"], external_key=EXTERNAL_PREFIX + row["key"],
            published_at=now - timedelta(hours=number), expires_at=now + timedelta(days=300),
            keywords=list(row.get("keywords", [])), target_countries=list(row.get("target_countries", [])),
            working_languages=list(row.get("working_languages", [])), trl=row.get("trl"),
            topics=[topics[slug] for slug in row.get("topics", [])])
        for language, text in row["text"].items():
            listing.translations.append(ListingTranslation(language=language, title=text["title"],
                                                           summary=text["summary"],
                                                           description=text.get("description", "")))
        session.add(listing)
        session.flush()
        announce_listing_changed(session, [listing.id])
        deliver_now(session)
        keys[listing.id] = row["key"]
    return keys


def build_portal(path: Path, database_url: str | None):  # noqa: ANN201
    """An app on a fresh database with the thesaurus, the demo data and the half's listings."""
    from portal import create_app
    from portal.extensions import db
    from portal.search.index import rebuild_index
    from portal.subjects.services import SHIPPED_THESAURUS, annotate_all, load_file
    from seed.loader import load_seed
    from tests.support.databases import fresh_database, migrated

    directory = Path(tempfile.mkdtemp(prefix="search-eval-"))
    if database_url:
        os.environ["TEST_DATABASE_URL"] = database_url
    context = fresh_database(directory, "search_eval")
    url = context.__enter__()
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "search-eval", "TESTING": True, "REDIS_URL": None,
                      "SMTP_HOST": None,
                      "PASSWORD_HASH_METHOD": "scrypt:1024:8:1"}, instance_path=directory)
    migrated(app)
    with app.app_context():
        load_file(db.session, SHIPPED_THESAURUS)
        load_seed(db.session, app)
        annotate_all(db.session)
        rebuild_index(db.session)
        keys = load_half(db.session, path)
        db.session.commit()
    return app, keys, context


def run_cases(app, keys: dict[int, str], cases: list[dict]) -> list[CaseResult]:  # noqa: ANN001
    client = app.test_client()
    results = []
    for case in cases:
        args = [("q", case["query"]), ("lang", case["lang"]), ("per_page", str(UNWANTED_WITHIN))]
        args += [(name, case[name]) for name in FILTERS if case.get(name)]
        response = client.get("/api/v1/listings", query_string=args)
        if response.status_code != 200:
            raise RuntimeError(f"{case['id']}: HTTP {response.status_code} {response.get_data(as_text=True)[:200]}")
        ranking = tuple(keys.get(item["id"], "seed") for item in response.get_json()["items"])
        missing = tuple(key for key in case["relevant"] if key not in ranking[:RELEVANT_WITHIN])
        unwanted = tuple(key for key in case.get("unwanted", ()) if key in ranking[:UNWANTED_WITHIN])
        results.append(CaseResult(case["id"], case["query"], not missing and not unwanted, missing, unwanted, ranking))
    return results


def evaluate(name: str, database_url: str | None = None) -> list[CaseResult]:
    path = SETS[name]
    app, keys, context = build_portal(path, database_url)
    try:
        return run_cases(app, keys, tomllib.loads(path.read_text(encoding="utf-8"))["search"])
    finally:
        from portal.database import Database

        Database.engine(app).dispose()
        context.__exit__(None, None, None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=sorted(SETS), action="append", help="which half (default: both)")
    parser.add_argument("-v", "--verbose", action="store_true", help="every case, with its first results")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL")
    for name in args.set or ["dev", "holdout"]:
        results = evaluate(name, database_url)
        passed = sum(result.passed for result in results)
        if args.verbose:
            for result in results:
                mark = "pass" if result.passed else "FAIL"
                print(f"  {mark} {result.case:<8} {result.query!r}")
                if not result.passed:
                    print(f"       missing {list(result.missing)} unwanted {list(result.unwanted)}")
                    print(f"       got {list(result.ranking[:10])}")
        print(f"{name}: {passed} of {len(results)} cases pass ({passed / len(results):.0%})")


if __name__ == "__main__":
    main()
