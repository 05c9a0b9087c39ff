"""The benchmarks' synthetic portal: N published listings in all eight languages on top of the
demo seed, prepared as production prepares a portal (migrated, thesaurus loaded, listings
annotated, search index built, suggestions computed).

Shared by ``search_benchmark.py`` and ``http_benchmark.py`` so that both measure the same data
(same seed, same vocabulary, same distribution). ``open_database`` makes or reuses the database:
a temporary or named SQLite file, or a fresh database on a PostgreSQL server.
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for _path in (str(ROOT), str(ROOT / "platform")):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from sqlalchemy import create_engine, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from portal.database import Database, utcnow  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.i18n.languages import LANGUAGES  # noqa: E402
from portal.institutions.models import Institution  # noqa: E402
from portal.listings.models import (  # noqa: E402
    Direction,
    Listing,
    ListingKind,
    ListingStatus,
    ListingTranslation,
    listing_topics,
)
from portal.taxonomy.models import Center, Topic  # noqa: E402

_SYLLABLES = {
    "latin": "ba be bi bo da de di do ka ke ki ko la le li lo ma me mi mo na ne ni no ra re ri ro sa se si so "
             "ta te ti to ya yo za ze ar er ir or an en in on at et it ot sh ch gʻ oʻ ä ö ü ý ş ç ň".split(),
    "cyrillic": "ба бе би бо да де ди до ка ке ки ко ла ле ли ло ма ме ми мо на не ни но ра ре ри ро са се си со "
                "та те ти то ар ер ир ор ан ен ин он ат ет ит от қа ғы ұл ү ө ң ә і ҳа ҷо ӣ".split(),
}
_SCRIPT = {"en": "latin", "tk": "latin", "uz": "latin", "ru": "cyrillic", "kk": "cyrillic", "ky": "cyrillic",
           "tg": "cyrillic"}
SEED = 7
Vocabulary = dict[str, tuple[list[str], list[float]]]


def _vocabulary(session, rng: random.Random, size: int = 20_000) -> Vocabulary:  # noqa: ANN001
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


def generate(session, count: int, seed: int = SEED, *, part: int = 0, words: Vocabulary | None = None,  # noqa: ANN001
             on_batch=None) -> None:  # noqa: ANN001
    """``count`` listings, committed 2,000 at a time; ``on_batch`` gets each batch's ids after its
    commit. Parts of one dataset (``part`` > 0, made by parallel jobs) share ``words``, the
    vocabulary drawn from the seed's listings before any part writes, and draw their listings
    from a random stream of their own; part 0 is the serial dataset."""
    words = words or _vocabulary(session, random.Random(seed))
    rng = random.Random(f"{seed}-{part}") if part else random.Random(seed)
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
        session.execute(insert(listing_topics), links)
        session.commit()
        if on_batch is not None:
            on_batch(ids)
        if (start + size) % 20_000 == 0 or start + size == count:
            print(f"  generated {start + size:,} listings", flush=True)


@contextmanager
def gin_indexes_built_after(session, table: str):  # noqa: ANN001, ANN201
    """On PostgreSQL, the table's GIN indexes are dropped for the block and made again after it,
    as they were (``fastupdate=off`` included): filling a fresh database row by row through a GIN
    index without a pending list took 9.8 ms a listing at 100,000 (beside other jobs), against
    3.2 ms before the indexes had ``fastupdate=off``. The database is the benchmark's own,
    still without readers."""
    if session.get_bind().dialect.name != "postgresql":
        yield
        return
    definitions = session.execute(text(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = :table AND indexdef LIKE '%USING gin%'"),
        {"table": table}).all()
    for name, _definition in definitions:
        session.execute(text(f'DROP INDEX "{name}"'))
    session.commit()  # parallel jobs write in transactions of their own
    yield
    session.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
    for _name, definition in definitions:
        session.execute(text(definition))
    session.commit()


def migrate(app) -> None:  # noqa: ANN001
    from alembic import command

    from portal.migrations import alembic_config

    with Database.engine(app).begin() as connection:
        command.upgrade(alembic_config(app, connection), "head")


def prepare(app, url: str, listings: int, *, suggestions: bool = True, jobs: int = 1) -> dict[str, float]:  # noqa: ANN001
    """Migrate, load the thesaurus and the seed, generate ``listings`` synthetic listings, annotate
    and index them, store their texts' analyses for matching and (unless ``suggestions`` is
    false) compute every listing's suggested partners with ``refresh_all``, as ``flask seed``
    does. Each batch of listings is annotated, indexed and analysed as soon as it is written;
    ``jobs`` > 1 splits that work over as many processes (PostgreSQL only: a million listings
    take hours in one process). Returns seconds per step: elapsed for the whole, and for the
    per-listing steps the time each job spent in them, summed over the jobs."""
    from portal.changes.log import note_changes
    from portal.matching.store import refresh_all
    from portal.subjects.services import SHIPPED_THESAURUS, load_file
    from seed.loader import load_seed

    postgresql = make_url(url).get_backend_name() == "postgresql"
    if jobs > 1 and not postgresql:
        raise SystemExit("--jobs needs PostgreSQL: SQLite takes one writer at a time")
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    migrate(app)
    with app.app_context():
        load_file(db.session, SHIPPED_THESAURUS)
        load_seed(db.session, app)
        db.session.commit()
        seconds["migrate, thesaurus, seed"] = time.perf_counter() - started
        print(f"backend: {make_url(url).get_backend_name()}; generating {listings:,} listings in {jobs} job(s)",
              flush=True)
        started = time.perf_counter()
        with gin_indexes_built_after(db.session, "search_documents"):
            if jobs == 1:
                steps = fill(db.session, listings)
            else:
                shares = [listings // jobs + (1 if part < listings % jobs else 0) for part in range(jobs)]
                words = _vocabulary(db.session, random.Random(SEED))
                with ProcessPoolExecutor(jobs, mp_context=get_context("spawn")) as pool:
                    parts = list(pool.map(_fill_part, [url] * jobs, shares, range(1, jobs + 1), [words] * jobs))
                steps = {name: sum(part[name] for part in parts) for name in parts[0]}
        note_changes(db.session, None)
        db.session.commit()
        seconds["generate, annotate, index, analyse"] = time.perf_counter() - started
        print(f"made {listings:,} listings in {seconds['generate, annotate, index, analyse']:.1f} s; per listing "
              "(time in each step, summed over the jobs): "
              + ", ".join(f"{name} {1000 * value / max(listings, 1):.2f} ms" for name, value in steps.items()),
              flush=True)
        if suggestions:
            started = time.perf_counter()
            matched = refresh_all(db.session)
            db.session.commit()
            seconds["suggestions"] = time.perf_counter() - started
            print(f"computed the suggestions of {matched:,} listings (refresh_all) in "
                  f"{seconds['suggestions']:.1f} s", flush=True)
        if postgresql:  # as autovacuum would soon do
            db.session.execute(text("ANALYZE"))
            db.session.commit()
    seconds["total"] = sum(seconds.values())
    return seconds


def fill(session, count: int, part: int = 0, words: Vocabulary | None = None) -> dict[str, float]:  # noqa: ANN001
    """Generate ``count`` listings and, batch by batch, annotate, index and analyse them as
    publishing does. Returns the seconds each step took."""
    from portal.matching.store import store_analyses
    from portal.search.index import index_new_listings
    from portal.subjects.services import annotate_listings

    steps = {"generate": 0.0, "annotate": 0.0, "index": 0.0, "analyse": 0.0}
    started = time.perf_counter()

    def on_batch(ids: list[int]) -> None:
        nonlocal started
        now = time.perf_counter()
        steps["generate"] += now - started
        for name, work in (("annotate", annotate_listings), ("index", index_new_listings),
                           ("analyse", store_analyses)):
            work(session, ids)
            session.commit()
            steps[name] += time.perf_counter() - now
            now = time.perf_counter()
        started = now

    generate(session, count, part=part, words=words, on_batch=on_batch)
    return steps


def _fill_part(url: str, count: int, part: int, words: Vocabulary) -> dict[str, float]:
    """One job of ``prepare``: its share of the listings, in a process and a session of its own."""
    from portal import create_app

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "benchmark"},
                     instance_path=tempfile.mkdtemp(prefix="portal-bench-job-"))
    with app.app_context():
        return fill(db.session, count, part, words)


@dataclass
class BenchDatabase:
    """Where the benchmark's data lives. ``url`` is what the portal gets as DATABASE_URL;
    ``fresh`` says it still has to be prepared; ``drop()`` removes it unless it is kept."""

    url: str
    fresh: bool
    keep: bool
    workdir: Path
    _server: str | None = None
    _name: str | None = None
    _cleanups: list = field(default_factory=list)

    def drop(self) -> None:
        if not self.keep and self._server and self._name:
            admin = create_engine(self._server, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{self._name}" WITH (FORCE)'))
            admin.dispose()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def reuse_hint(self) -> str:
        return f"--reuse {self.url}"


def open_database(*, server: str | None = None, sqlite: str | Path | None = None, reuse: str | None = None,
                  keep: bool = False) -> BenchDatabase:
    """The database to benchmark: ``reuse`` (a URL kept earlier), else a fresh database on the
    PostgreSQL ``server``, else a new SQLite file (``sqlite``, or a temporary one; a kept
    temporary file goes to a directory of its own that is not removed)."""
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    if reuse:
        return BenchDatabase(reuse, fresh=False, keep=True, workdir=workdir)
    if server:
        name = f"portal_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = make_url(server).set(database=name).render_as_string(hide_password=False)
        return BenchDatabase(url, fresh=True, keep=keep, workdir=workdir, _server=server, _name=name)
    if sqlite:
        path = Path(sqlite).resolve()
        if path.exists():
            raise SystemExit(f"{path} exists: pass --reuse sqlite:///{path} to measure it, or remove it")
        path.parent.mkdir(parents=True, exist_ok=True)
    elif keep:
        path = Path(tempfile.mkdtemp(prefix="portal-bench-kept-")) / "bench.db"
    else:
        path = workdir / "bench.db"
    return BenchDatabase(f"sqlite:///{path}", fresh=True, keep=keep, workdir=workdir)
