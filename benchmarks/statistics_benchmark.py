"""Statistics benchmark, in process: the public statistics page (/en/statistics/ and one
center's) cold — the shared cache empty, every figure aggregated by SQL and every chart
rendered — and warm, through Flask's test client on a generated database.

    python benchmarks/statistics_benchmark.py --listings 100000 --keep   # generate, measure, keep it
    python benchmarks/statistics_benchmark.py --reuse URL                # measure a kept database
    python benchmarks/statistics_benchmark.py --database postgresql+psycopg://postgres@127.0.0.1/postgres

The data: the demo seed and the thesaurus, then ``--listings`` synthetic listings
(benchmarks/dataset.py's ``generate``), each given 2–6 thesaurus subjects at random (instead of
running the annotator, which the statistics do not need and which takes far longer), and
expressions of interest on about a fifth of them (1–3 each, from other institutions, after the
publication; accepted, declined or pending). No search index or suggestions are built.

It then measures the institution directory (search, filters, pages) with at least
``--institutions`` institutions, adding synthetic ones with names in several scripts.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]

from sqlalchemy import delete, func, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from benchmarks.dataset import generate, migrate, open_database  # noqa: E402
from portal import create_app  # noqa: E402
from portal.cache.models import CachedValue  # noqa: E402
from portal.database import Database, utcnow  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.institutions.models import Institution  # noqa: E402
from portal.interests.models import Interest, InterestStatus  # noqa: E402
from portal.listings.models import Listing  # noqa: E402
from portal.subjects.models import AnnotationSource, ConceptRow, ListingConcept  # noqa: E402
from portal.taxonomy.models import Center  # noqa: E402


def build(app, url: str, listings: int, seed: int = 11) -> None:  # noqa: ANN001
    from portal.subjects.services import SHIPPED_THESAURUS, load_file
    from seed.loader import load_seed

    started = time.perf_counter()
    migrate(app)
    with app.app_context():
        load_file(db.session, SHIPPED_THESAURUS)
        load_seed(db.session, app)
        db.session.commit()
        print(f"migrated, thesaurus and seed in {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        generate(db.session, listings)
        print(f"generated {listings:,} listings in {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        rng = random.Random(seed)
        concepts = list(db.session.scalars(select(ConceptRow.id)))
        institutions = list(db.session.scalars(select(Institution.id)))
        rows = db.session.execute(select(Listing.id, Listing.institution_id, Listing.published_at)
                                  .where(Listing.external_key.is_(None))).all()
        now = utcnow()
        subjects, interests = [], []
        for listing_id, owner, published_at in rows:
            for concept_id in rng.sample(concepts, k=rng.randint(2, 6)):
                subjects.append({"listing_id": listing_id, "concept_id": concept_id,
                                 "source": AnnotationSource.AUTOMATIC, "rejected": False, "mentions": 1,
                                 "forms": []})
            if rng.random() < 0.2:
                for sender in rng.sample([i for i in institutions if i != owner], k=rng.randint(1, 3)):
                    waited = (now - published_at).total_seconds() * rng.random() ** 3
                    status = rng.choice([InterestStatus.ACCEPTED, InterestStatus.DECLINED, InterestStatus.PENDING])
                    interests.append({"listing_id": listing_id, "institution_id": sender, "message": "Interested.",
                                      "status": status, "created_at": published_at + timedelta(seconds=waited),
                                      "decided_at": None if status == InterestStatus.PENDING else now})
            if len(subjects) > 20_000:
                db.session.execute(insert(ListingConcept), subjects)
                subjects = []
        if subjects:
            db.session.execute(insert(ListingConcept), subjects)
        for start in range(0, len(interests), 5000):
            db.session.execute(insert(Interest), interests[start:start + 5000])
        if make_url(url).get_backend_name() == "postgresql":
            db.session.execute(text("ANALYZE"))
        else:
            db.session.execute(text("ANALYZE"))
        db.session.commit()
        print(f"gave them subjects and {len(interests):,} interests in {time.perf_counter() - started:.1f} s",
              flush=True)


def _forget_figures(app) -> None:  # noqa: ANN001
    with app.app_context():
        db.session.execute(delete(CachedValue).where(CachedValue.key.like("statistics:%")))
        db.session.commit()


def measure(app, runs: int) -> list[tuple[str, float, float, float, float, float]]:  # noqa: ANN001
    """Per page: the worker's computation of its figures (SQL and all), the page with no
    figures stored (it computes them itself: a portal without a worker, once an hour), the
    page in a process that has drawn no chart yet with the figures stored by the worker (the
    cold page a visitor gets), and the warm page."""
    from portal.statistics import charts
    from portal.statistics.figures import compute_figures

    with app.app_context():
        center = db.session.scalar(select(Center).order_by(Center.position))
        center_id, slug = center.id, center.slug
        counts = (db.session.scalar(select(func.count()).select_from(Listing)),
                  db.session.scalar(select(func.count()).select_from(Interest)),
                  db.session.scalar(select(func.count()).select_from(ListingConcept)))
    print(f"{counts[0]:,} listings, {counts[1]:,} interests, {counts[2]:,} listing subjects")
    client = app.test_client()
    client.get("/en/")  # the process's own first-request work (catalogs, templates) is not the page's
    results = []
    for name, path, scope in (("whole portal", "/en/statistics/", None), ("one center", f"/en/statistics/{slug}/",
                                                                          center_id),
                              ("whole portal, Chinese", "/zh/statistics/", None)):
        computing, uncached, cold, cold_cpu, warm = [], [], [], [], []
        for _ in range(runs):
            with app.test_request_context("/en/"):
                started = time.perf_counter()
                compute_figures(db.session, scope)
                computing.append(1000 * (time.perf_counter() - started))
            _forget_figures(app)
            charts.forget()
            started = time.perf_counter()
            response = client.get(path)
            uncached.append(1000 * (time.perf_counter() - started))
            assert response.status_code == 200, (path, response.status_code)
            charts.forget()  # the figures stay stored, as the worker keeps them
            started, cpu = time.perf_counter(), time.process_time()
            client.get(path)
            cold.append(1000 * (time.perf_counter() - started))
            cold_cpu.append(1000 * (time.process_time() - cpu))
            started = time.perf_counter()
            client.get(path)
            warm.append(1000 * (time.perf_counter() - started))
        results.append((name, statistics.median(computing), statistics.median(uncached), statistics.median(cold),
                        statistics.median(cold_cpu), statistics.median(warm)))
    return results


DIRECTORY_PAGES = ("/en/institutions/", "/en/institutions/?q=toshkent", "/ru/institutions/?q=университ&country=KZ&verified=yes",
                   "/en/institutions/?center=desertification-control&type=university", "/en/institutions/?page=50")
_NAME_WORDS = ("Almaty Astana Toshkent Тошкент Samarqand Бишкек Ош Dushanbe Душанбе Aşgabat Урумчи 新疆 西安 兰州 State "
               "National Agrarian Technical University Institute Company Research Center Университет Институт "
               "Академия Oʻzbekiston Қазақ Кыргыз").split()


def measure_directory(app, runs: int, institutions: int) -> list[tuple[str, float, float]]:  # noqa: ANN001
    """The institution directory with at least ``institutions`` institutions (synthetic names
    in several scripts are added up to that number): wall and CPU time per page."""
    from portal.institutions.models import InstitutionType, VerificationStatus

    rng = random.Random(3)
    with app.app_context():
        have = db.session.scalar(select(func.count()).select_from(Institution)) or 0
        for number in range(max(0, institutions - have)):
            db.session.add(Institution(
                name=f"{' '.join(rng.sample(_NAME_WORDS, 3))} {number}", type=rng.choice(list(InstitutionType)),
                country=rng.choice(["CN", "KZ", "KG", "TJ", "TM", "UZ", "RU"]),
                verification=rng.choice(list(VerificationStatus))))
        db.session.commit()
        total = db.session.scalar(select(func.count()).select_from(Institution))
    print(f"\ninstitution directory, {total:,} institutions: medians of {runs} runs")
    client = app.test_client()
    client.get("/en/institutions/")
    results = []
    for path in DIRECTORY_PAGES:
        wall, cpu = [], []
        for _ in range(runs):
            started, cpu_started = time.perf_counter(), time.process_time()
            assert client.get(path).status_code == 200, path
            wall.append(1000 * (time.perf_counter() - started))
            cpu.append(1000 * (time.process_time() - cpu_started))
        results.append((path, statistics.median(wall), statistics.median(cpu)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--database", help="PostgreSQL server URL; a fresh database is created on it")
    parser.add_argument("--sqlite", help="SQLite file to create (kept)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="leave the generated database for --reuse")
    parser.add_argument("--reuse", metavar="URL", help="measure a database kept by --keep")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--institutions", type=int, default=3000,
                        help="institutions for the directory's measurement (synthetic ones are added)")
    args = parser.parse_args()

    database = open_database(server=args.database, sqlite=args.sqlite, reuse=args.reuse,
                             keep=args.keep or bool(args.sqlite))
    try:
        app = create_app({"DATABASE_URL": database.url, "SECRET_KEY": "benchmark"}, instance_path=database.workdir)
        if database.fresh:
            build(app, database.url, args.listings)
        else:
            migrate(app)
        if not args.build_only:
            results = measure(app, args.runs)
            print(f"\nmedians of {args.runs} runs, ms      worker's  page, none  page, cold  (its CPU)  page, warm")
            print(f"{'statistics page':<24} {'figures':>16} {'stored':>11} {'process':>11} {'':>10} {'':>11}")
            for name, computing, uncached, cold, cold_cpu, warm in results:
                print(f"{name:<24} {computing:16.1f} {uncached:11.1f} {cold:11.1f} {cold_cpu:10.1f} {warm:11.1f}")
            for path, wall, cpu in measure_directory(app, args.runs, args.institutions):
                print(f"{path:<72} {wall:7.1f} ms (CPU {cpu:5.1f} ms)")
        Database.engine(app).dispose()
        if database.keep:
            print(f"\nkept: {database.reuse_hint()}")
    finally:
        database.drop()


if __name__ == "__main__":
    main()
