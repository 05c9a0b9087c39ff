"""Search benchmark: N synthetic listings in all eight languages, then search latency and throughput.

    python benchmarks/search_benchmark.py                       # SQLite, 100,000 listings
    python benchmarks/search_benchmark.py --database postgresql+psycopg://postgres@127.0.0.1:5432/test
    python benchmarks/search_benchmark.py --listings 20000 --no-http
    python benchmarks/search_benchmark.py --keep              # leave the database, print its URL
    python benchmarks/search_benchmark.py --reuse URL         # measure a kept database again

Reports p50/p95 latency of typical searches (finder: text index + facets + one page of results),
searched again and as a process's first search of their words ("first": no common word's answer
kept yet, see ``portal.search.text_postings``),
and, unless --no-http, requests per second of the search page and of a trivial page of the same
app under gunicorn, measured with wrk when it is installed (else a Python client).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]

from benchmarks.dataset import generate, migrate, open_database, prepare  # noqa: E402,F401 (generate: shared)
from portal import create_app  # noqa: E402
from portal.database import Database  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.search.facet_cache import current_index  # noqa: E402
from portal.search.finder import find_listings  # noqa: E402
from portal.search.search_params import SearchParams  # noqa: E402

QUERIES = [
    ("one word", SearchParams(q="irrigation")),
    ("one word, Russian", SearchParams(q="орошение")),
    ("one word + facets filter", SearchParams(q="solar", centers=("desertification-control",), countries=("KZ",))),
    ("two words", SearchParams(q="solar irrigation")),
    ("Chinese two characters", SearchParams(q="光伏")),
    ("Kazakh prefix", SearchParams(q="суармал")),
    ("concept, Kazakh (thesaurus)", SearchParams(q="тамшылатып суару")),
    ("concept, Chinese (thesaurus)", SearchParams(q="风力发电")),
    ("concept + unmatched word", SearchParams(q="affordable drip irrigation kits")),
    ("subject filter", SearchParams(subjects=("irrigation",))),
    ("no text, facets only", SearchParams(kinds=("technology_transfer",), directions=("offer",))),
    ("no text, first page", SearchParams()),
]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def measure_queries(app, runs: int) -> list[tuple[str, float, float, float, float, int]]:  # noqa: ANN001
    """Per query: p50 and p95 as searched again (its common words' answers kept by the process,
    ``search.text_postings``), then as a process's first search of those words (nothing kept;
    the database's buffers warm either way), and how many results."""
    results = []
    with app.app_context():
        postings = current_index(db.session).text_postings
        for name, params in QUERIES:
            find_listings(db.session, params)  # warm-up
            kept = _timings(params, runs)
            first = _timings(params, max(runs // 5, 5), before=postings.clear)
            outcome = find_listings(db.session, params)
            db.session.rollback()
            results.append((name, statistics.median(kept), percentile(kept, 0.95), statistics.median(first),
                            percentile(first, 0.95), outcome.total))
    return results


def _timings(params: SearchParams, runs: int, before=lambda: None) -> list[float]:  # noqa: ANN001
    timings = []
    for _ in range(runs):
        before()
        started = time.perf_counter()
        find_listings(db.session, params)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def measure_http(database_url: str, seconds: int) -> list[tuple[str, float]]:
    port = 5199
    env = {"DATABASE_URL": database_url, "SECRET_KEY": "benchmark", "PATH": str(Path(sys.executable).parent)
           + ":/usr/bin:/bin"}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
                               "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=env)
    try:
        _wait_for(f"http://127.0.0.1:{port}/healthz")
        pages = [("search page, one word + facets", "/en/listings/?q=irrigation"),
                 ("search page, Chinese", "/zh/listings/?q=%E5%85%89%E4%BC%8F"),
                 ("trivial page (/healthz)", "/healthz")]
        for _name, path in pages:  # each worker builds its facet index on its first search: not measured
            _requests_per_second(f"http://127.0.0.1:{port}{path}", 3)
        return [(name, _requests_per_second(f"http://127.0.0.1:{port}{path}", seconds)) for name, path in pages]
    finally:
        server.terminate()
        server.wait(timeout=20)


def _wait_for(url: str) -> None:
    import urllib.request

    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server did not start: {url}")


def _requests_per_second(url: str, seconds: int) -> float:
    if shutil.which("wrk"):
        output = subprocess.run(["wrk", "-t2", "-c8", f"-d{seconds}s", url], capture_output=True, text=True).stdout
        for line in output.splitlines():
            if line.startswith("Requests/sec:"):
                return float(line.split()[1])
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    deadline = time.monotonic() + seconds

    def worker() -> int:
        done = 0
        while time.monotonic() < deadline:
            urllib.request.urlopen(url, timeout=10).read()
            done += 1
        return done

    with ThreadPoolExecutor(8) as pool:
        total = sum(pool.map(lambda _: worker(), range(8)))
    return total / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--database", help="PostgreSQL server URL; a fresh database is created on it")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--http-seconds", type=int, default=10)
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--keep", action="store_true", help="leave the generated database for --reuse")
    parser.add_argument("--reuse", metavar="URL", help="measure a database kept by --keep")
    parser.add_argument("--jobs", type=int, default=1,
                        help="processes that make the data (PostgreSQL; 2 or more for a million listings)")
    args = parser.parse_args()

    database = open_database(server=args.database, reuse=args.reuse, keep=args.keep)
    url, workdir = database.url, database.workdir
    try:
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "benchmark"}, instance_path=workdir)
        if args.reuse:
            migrate(app)  # a database kept by an older version of the portal
        else:
            prepare(app, url, args.listings, suggestions=False, jobs=args.jobs)  # search needs no suggestions
        if args.keep:
            print(f"kept: --reuse {url}")
        print(f"\n{'query':<32} {'p50 ms':>8} {'p95 ms':>8} {'first p50':>10} {'first p95':>10} {'results':>9}")
        for name, p50, p95, first_p50, first_p95, total in measure_queries(app, args.runs):
            print(f"{name:<32} {p50:8.1f} {p95:8.1f} {first_p50:10.1f} {first_p95:10.1f} {total:9,}")
        if not args.no_http:
            print(f"\n{'page (gunicorn, 2 workers)':<36} {'requests/s':>10}")
            for name, rps in measure_http(url, args.http_seconds):
                print(f"{name:<36} {rps:10.1f}")
    finally:
        Database.engine(app).dispose() if "app" in locals() else None
        database.drop()


if __name__ == "__main__":
    main()
