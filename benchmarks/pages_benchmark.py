"""Page benchmark, in process: latency and database statements per request of the pages that
issue 12 measures (listing detail, home, search page, browse, API search), through Flask's test
client on a generated database — no HTTP server, no load tool (see the HTTP benchmark for that).

    python benchmarks/pages_benchmark.py --reuse URL            # a database kept by search_benchmark.py --keep
    python benchmarks/pages_benchmark.py --listings 10000       # generate one first (SQLite, thrown away)
    python benchmarks/pages_benchmark.py --reuse URL --explain  # also the query plans of the pages' queries

Each page is requested once to warm the process (facet index, thesaurus, caches), then --runs
times; it prints p50/p95 in milliseconds and the statements one warm request sends to the database.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]

from sqlalchemy import event, select  # noqa: E402

from benchmarks.search_benchmark import migrate, percentile, prepare  # noqa: E402
from portal import create_app  # noqa: E402
from portal.database import Database, utcnow  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.listings.models import Listing, ListingStatus  # noqa: E402

PAGES = [
    ("home", "/en/"),
    ("listing detail", "/en/listings/{id}"),
    ("search page, one word", "/en/listings/?q=irrigation"),
    ("search page, Chinese", "/zh/listings/?q=%E5%85%89%E4%BC%8F"),
    ("browse, no query", "/en/listings/"),
    ("API search", "/api/v1/listings?q=irrigation"),
]


class StatementCounter:
    """Counts the statements the engine sends (every cursor execution), with their parameters
    and how long each took."""

    def __init__(self, engine) -> None:  # noqa: ANN001
        self.statements: list[tuple[str, object, float]] = []
        self._started = 0.0
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, *_args) -> None:  # noqa: ANN002
        self._started = time.perf_counter()

    def _after(self, _conn, _cursor, statement, parameters, *_args) -> None:  # noqa: ANN001
        self.statements.append((statement, parameters, (time.perf_counter() - self._started) * 1000))

    @property
    def count(self) -> int:
        return len(self.statements)

    def reset(self) -> None:
        self.statements = []


def public_ids(app, count: int, seed: int = 11) -> list[int]:  # noqa: ANN001
    with app.app_context():
        ids = list(db.session.scalars(select(Listing.id).where(
            Listing.status == ListingStatus.PUBLISHED, Listing.expires_at > utcnow())))
        db.session.rollback()
    return random.Random(seed).sample(ids, min(count, len(ids)))


def measure(app, runs: int, show: bool = False, only: list[str] | None = None) -> list[tuple[str, float, float, int]]:  # noqa: ANN001, E501
    client = app.test_client()
    counter = StatementCounter(Database.engine(app))
    ids = public_ids(app, runs + 1)
    results = []
    for name, pattern in PAGES:
        if only and not any(word in name for word in only):
            continue
        paths = [pattern.format(id=listing_id) for listing_id in ids] if "{id}" in pattern else [pattern] * (runs + 1)
        response = client.get(paths[0])  # warm-up: indexes, caches, compiled queries
        assert response.status_code == 200, (paths[0], response.status_code)
        timings, counts = [], []
        for path in paths[1:runs + 1]:
            counter.reset()
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            counts.append(counter.count)
            assert response.status_code == 200, (path, response.status_code)
        if show:
            explain(app, name, counter.statements)
        results.append((name, statistics.median(timings), percentile(timings, 0.95), max(counts)))
    return results


def explain(app, page: str, statements: list[tuple[str, object, float]]) -> None:  # noqa: ANN001
    """Print the last request's statements, and the plan of each SELECT that took over 1 ms."""
    engine = Database.engine(app)
    print(f"\n-- {page}: {len(statements)} statements")
    for statement, parameters, ms in statements:
        print(f"   {ms:7.2f} ms  {' '.join(statement.split())[:150]}")
        if ms < 1 or not statement.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN ANALYZE "
        with engine.connect() as connection:
            cursor = connection.connection.driver_connection.cursor()
            cursor.execute(prefix + statement, parameters)
            for row in cursor.fetchall():
                print("              |", row[-1] if engine.dialect.name == "sqlite" else row[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--listings", type=int, default=10_000, help="listings to generate (without --reuse)")
    parser.add_argument("--reuse", metavar="URL", help="a database kept by search_benchmark.py --keep")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--explain", action="store_true", help="print each page's statements and slow plans")
    parser.add_argument("--only", action="append", help="pages whose name contains this (repeatable)")
    parser.add_argument("--redis", metavar="URL", help="REDIS_URL for the app (default: none, the database)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="portal-pages-"))
    url = args.reuse or f"sqlite:///{workdir / 'bench.db'}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "benchmark", "REDIS_URL": args.redis},
                     instance_path=workdir)
    try:
        if args.reuse:
            migrate(app)  # a database kept by an older version of the portal gets the new indexes
        else:
            prepare(app, url, args.listings)
        print(f"\n{'page (in process)':<28} {'p50 ms':>8} {'p95 ms':>8} {'statements':>11}")
        for name, p50, p95, count in measure(app, args.runs, show=args.explain, only=args.only):
            print(f"{name:<28} {p50:8.1f} {p95:8.1f} {count:11}")
    finally:
        Database.engine(app).dispose()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
