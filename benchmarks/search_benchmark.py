"""Search benchmark: N synthetic listings in all eight languages, then search latency and throughput.

    python benchmarks/search_benchmark.py                       # SQLite, 100,000 listings
    python benchmarks/search_benchmark.py --database postgresql+psycopg://postgres@127.0.0.1:5432/test
    python benchmarks/search_benchmark.py --listings 20000 --no-http
    python benchmarks/search_benchmark.py --keep              # leave the database, print its URL
    python benchmarks/search_benchmark.py --reuse URL         # measure a kept database again

Reports p50/p95 latency of typical searches (finder: text index + facets + one page of results)
and, unless --no-http, requests per second of the search page and of a trivial page of the same
app under gunicorn, measured with wrk when it is installed (else a Python client).
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]

from sqlalchemy import create_engine, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from portal import create_app  # noqa: E402
from portal.database import Database, utcnow  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.i18n.languages import LANGUAGES  # noqa: E402
from portal.institutions.models import Institution  # noqa: E402
from portal.search.finder import find_listings  # noqa: E402
from portal.listings.models import Direction, Listing, ListingKind, ListingStatus, ListingTranslation  # noqa: E402
from portal.search.search_params import SearchParams  # noqa: E402
from portal.taxonomy.models import Center, Topic  # noqa: E402

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


_SYLLABLES = {
    "latin": "ba be bi bo da de di do ka ke ki ko la le li lo ma me mi mo na ne ni no ra re ri ro sa se si so "
             "ta te ti to ya yo za ze ar er ir or an en in on at et it ot sh ch gʻ oʻ ä ö ü ý ş ç ň".split(),
    "cyrillic": "ба бе би бо да де ди до ка ке ки ко ла ле ли ло ма ме ми мо на не ни но ра ре ри ро са се си со "
                "та те ти то ар ер ир ор ан ен ин он ат ет ит от қа ғы ұл ү ө ң ә і ҳа ҷо ӣ".split(),
}
_SCRIPT = {"en": "latin", "tk": "latin", "uz": "latin", "ru": "cyrillic", "kk": "cyrillic", "ky": "cyrillic",
           "tg": "cyrillic"}


def _vocabulary(session, rng: random.Random, size: int = 20_000) -> dict[str, tuple[list[str], list[float]]]:  # noqa: ANN001
    """Per language, a Zipf-distributed vocabulary: the seeded listings' real words spread over the
    frequent ranks, then invented words of the same script, so a real word like "irrigation"
    matches a realistic share of listings rather than most of them."""
    real: dict[str, list[str]] = {code: [] for code in LANGUAGES}
    for translation in session.scalars(select(ListingTranslation).order_by(ListingTranslation.id)):
        text_ = f"{translation.title} {translation.summary} {translation.description}"
        if translation.language == "zh":
            real["zh"].extend(text_[i:i + 2] for i in range(len(text_) - 1) if text_[i:i + 2].isalpha())
        else:
            real[translation.language].extend(w.strip(".,;:()«»\"“”").lower() for w in text_.split() if len(w) > 3)
    vocabularies = {}
    for code in LANGUAGES:
        words = list(dict.fromkeys(real[code]))
        rng.shuffle(words)
        if code == "zh":
            invented = ["".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(2)) for _ in range(size)]
        else:
            syllables = _SYLLABLES[_SCRIPT[code]]
            invented = ["".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(size)]
        ranked = invented[:40] + words + invented[40:]  # real words from rank 40 on
        cumulative, total = [], 0.0
        for rank in range(len(ranked)):
            total += 1 / (rank + 1) ** 1.05
            cumulative.append(total)
        vocabularies[code] = (ranked, cumulative)
    return vocabularies


def _sentence(rng: random.Random, vocabulary: tuple[list[str], list[float]], count: int, language: str) -> str:
    chosen = rng.choices(vocabulary[0], cum_weights=vocabulary[1], k=count)
    return ("".join(chosen) + "。") if language == "zh" else (" ".join(chosen).capitalize() + ".")


def generate(session, count: int, seed: int = 7) -> None:  # noqa: ANN001
    rng = random.Random(seed)
    words = _vocabulary(session, rng)
    centers = list(session.scalars(select(Center)))
    topics = list(session.scalars(select(Topic)))
    institutions = list(session.scalars(select(Institution)))
    now = utcnow()
    batch = 2000
    for start in range(0, count, batch):
        size = min(batch, count - start)
        listing_rows = []
        for _ in range(size):
            listing_rows.append({
                "center_id": rng.choice(centers).id, "kind": rng.choice(list(ListingKind)),
                "direction": rng.choice(list(Direction)), "status": ListingStatus.PUBLISHED,
                "institution_id": rng.choice(institutions).id, "original_language": rng.choice(LANGUAGES),
                "created_at": now, "updated_at": now, "published_at": now - timedelta(days=rng.randint(0, 300)),
                "expires_at": now + timedelta(days=rng.randint(5, 700)), "keywords": [], "target_countries": [],
                "working_languages": [], "partner_roles": [], "trl": rng.choice([None, *range(1, 10)]),
            })
        ids = session.execute(insert(Listing).returning(Listing.id), listing_rows).scalars().all()
        translations, links = [], []
        for listing_id, row in zip(ids, listing_rows, strict=True):
            languages = [row["original_language"], *rng.sample(LANGUAGES, k=rng.choice([0, 0, 1, 2]))]
            for language in dict.fromkeys(languages):
                pool = words[language]
                translations.append({
                    "listing_id": listing_id, "language": language,
                    "title": _sentence(rng, pool, rng.randint(5, 9), language)[:200],
                    "summary": _sentence(rng, pool, rng.randint(18, 30), language)[:600],
                    "description": " ".join(_sentence(rng, pool, rng.randint(12, 20), language)
                                            for _ in range(rng.randint(4, 8))),
                })
            for topic in rng.sample(topics, k=rng.randint(1, 3)):
                links.append({"listing_id": listing_id, "topic_id": topic.id})
        session.execute(insert(ListingTranslation), translations)
        from portal.listings.models import listing_topics

        session.execute(insert(listing_topics), links)
        session.commit()
        print(f"  generated {start + size:,} listings", flush=True)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def measure_queries(app, runs: int) -> list[tuple[str, float, float, int]]:  # noqa: ANN001
    results = []
    with app.app_context():
        for name, params in QUERIES:
            find_listings(db.session, params)  # warm-up
            timings = []
            for _ in range(runs):
                started = time.perf_counter()
                outcome = find_listings(db.session, params)
                timings.append((time.perf_counter() - started) * 1000)
            db.session.rollback()
            results.append((name, statistics.median(timings), percentile(timings, 0.95), outcome.total))
    return results


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
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    admin = None
    if args.reuse:
        url = args.reuse
    elif args.keep and not args.database:
        url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='portal-bench-kept-')) / 'bench.db'}"
    elif args.database:
        name = f"portal_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.database, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(args.database).set(database=name).render_as_string(hide_password=False)
    else:
        url = f"sqlite:///{workdir / 'bench.db'}"
    try:
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "benchmark"}, instance_path=workdir)
        if args.reuse:
            migrate(app)  # a database kept by an older version of the portal
        else:
            prepare(app, url, args.listings)
        if args.keep:
            print(f"kept: --reuse {url}")
        print(f"\n{'query':<32} {'p50 ms':>8} {'p95 ms':>8} {'results':>9}")
        for name, p50, p95, total in measure_queries(app, args.runs):
            print(f"{name:<32} {p50:8.1f} {p95:8.1f} {total:9,}")
        if not args.no_http:
            print(f"\n{'page (gunicorn, 2 workers)':<36} {'requests/s':>10}")
            for name, rps in measure_http(url, args.http_seconds):
                print(f"{name:<36} {rps:10.1f}")
    finally:
        Database.engine(app).dispose() if "app" in locals() else None
        if admin is not None and not args.keep:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        shutil.rmtree(workdir, ignore_errors=True)


def migrate(app) -> None:  # noqa: ANN001
    from alembic import command

    from portal.migrations import alembic_config

    with Database.engine(app).begin() as connection:
        command.upgrade(alembic_config(app, connection), "head")


def prepare(app, url: str, listings: int) -> None:  # noqa: ANN001
    """Migrate, seed, generate ``listings`` synthetic listings, annotate and index them."""
    from portal.search.index import rebuild_index
    from portal.subjects.services import SHIPPED_THESAURUS, annotate_all, load_file
    from seed.loader import load_seed

    migrate(app)
    with app.app_context():
        load_file(db.session, SHIPPED_THESAURUS)
        load_seed(db.session, app)
        db.session.commit()
        print(f"backend: {make_url(url).get_backend_name()}; generating {listings:,} listings")
        generate(db.session, listings)
        started = time.perf_counter()
        annotated = annotate_all(db.session)
        db.session.commit()
        elapsed = time.perf_counter() - started
        print(f"annotated {annotated:,} listings in {elapsed:.1f} s ({1000 * elapsed / annotated:.2f} ms each, "
              "database writes included)")
        started = time.perf_counter()
        indexed = rebuild_index(db.session)
        db.session.commit()
        print(f"indexed {indexed:,} listings in {time.perf_counter() - started:.1f} s")
        if make_url(url).get_backend_name() == "postgresql":
            db.session.execute(text("ANALYZE"))
            db.session.commit()


if __name__ == "__main__":
    main()
