"""Approval benchmark: a moderator approves listings in the browser while the portal runs as in
production, and the suggested partners follow from the worker.

    python benchmarks/approval_benchmark.py --reuse URL                   # 40 approvals, 4 workers
    python benchmarks/approval_benchmark.py --reuse URL --approvals 100 --workers 2

URL is a database kept by http_benchmark.py or search_benchmark.py (--keep). In production the
worker's matching step has run once (``flask worker --once --only match``: every listing's
suggestions, about an hour at 100,000 listings), so a worker starts by building its index and
then follows the change log. If that step never ran on URL, the benchmark marks it as done
without computing the suggestions (it says so): the approvals and their suggestions are what
it measures, and they do not depend on the other listings' stored suggestions. The benchmark

* adds ``--approvals`` (+1 to warm up) submitted listings, each with the texts, topics and
  subjects of a random public listing (so each has partners to find), in the centers that the
  seeded moderator (moderator.land@demo.cca-portal.org) moderates;
* starts the portal under gunicorn as the README's production command does (``-c
  gunicorn.conf.py``, sync workers, gunicorn's default 30 s timeout) and ``flask worker`` beside
  it (a pass every 2 s, its default);
* signs in over HTTP, and for each listing loads its review page (for the CSRF token, as the
  browser does) and times the POST that approves it;
* meanwhile watches the database for each approved listing's suggestions and times how long
  after the approval's answer they were stored.

It prints the approvals' latency (p50, p95, max) and status codes, the delay until suggestions
(p50, p95, max), the worker's index build as it logged it, and each process's resident memory.
The warm-up approval (the first) is reported apart: it waits for the worker's start.

Targets (issue 12): an approval's request p95 ≤ 300 ms at 100,000 listings on PostgreSQL under
gunicorn with its default timeout; suggestions within 10 s.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for _path in (str(ROOT), str(ROOT / "platform")):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from benchmarks.http_benchmark import free_port, report_log, wait_for  # noqa: E402

MODERATOR = "moderator.land@demo.cca-portal.org"
PASSWORD = "demo-password-2025"  # the seed's demo password
CENTERS = ("desertification-control", "poverty-reduction")
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def mark_matching_followed(app) -> None:  # noqa: ANN001
    """The worker's matching position, at the change log's head if it has none (see above)."""
    from portal.changes.log import current_token
    from portal.database import utcnow
    from portal.extensions import db
    from portal.worker.models import WorkerPosition
    from portal.worker.passes import MATCHING

    with app.app_context():
        position = db.session.get(WorkerPosition, MATCHING) or WorkerPosition(name=MATCHING)
        if position.token is None:
            position.token, position.updated_at = current_token(db.session), utcnow()
            db.session.add(position)
            db.session.commit()
            print("the worker's matching step had never run here: marked as done, without computing "
                  "the existing listings' suggestions", flush=True)
        db.session.remove()


def add_submitted_listings(url: str, count: int, seed: int = 11) -> list[int]:
    """``count`` submitted listings copied from random public ones (texts, topics, subjects)."""
    from sqlalchemy import select

    from portal import create_app
    from portal.database import utcnow
    from portal.extensions import db
    from portal.listings.models import Listing, ListingStatus, ListingTranslation
    from portal.subjects.models import ListingConcept
    from portal.taxonomy.models import Center

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "benchmark"}, instance_path=Path(tempfile.mkdtemp()))
    rng = random.Random(seed)
    with app.app_context():
        session = db.session
        centers = session.scalars(select(Center.id).where(Center.slug.in_(CENTERS))).all()
        candidates = session.scalars(select(Listing.id).where(Listing.status == ListingStatus.PUBLISHED,
                                                              Listing.center_id.in_(centers))
                                     .order_by(Listing.id).limit(20_000)).all()
        made = []
        for source_id in rng.sample(candidates, count):
            source = session.get(Listing, source_id)
            listing = Listing(center_id=source.center_id, kind=source.kind, direction=source.direction,
                              status=ListingStatus.SUBMITTED, institution_id=source.institution_id,
                              original_language=source.original_language, keywords=list(source.keywords or []),
                              target_countries=list(source.target_countries or []),
                              working_languages=list(source.working_languages or []), partner_roles=[],
                              trl=source.trl, submitted_at=utcnow(), expires_at=source.expires_at,
                              topics=list(source.topics))
            listing.translations = [ListingTranslation(language=t.language, title=t.title, summary=t.summary,
                                                       description=t.description) for t in source.translations]
            session.add(listing)
            session.flush()
            for concept in session.scalars(select(ListingConcept).where(ListingConcept.listing_id == source_id)):
                session.add(ListingConcept(listing_id=listing.id, concept_id=concept.concept_id,
                                           source=concept.source, rejected=concept.rejected,
                                           mentions=concept.mentions, forms=list(concept.forms or [])))
            made.append(listing.id)
        session.commit()
        db.session.remove()
    return made


class Client:
    """A browser's part: cookies, CSRF tokens from the pages, redirects not followed."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  _NoRedirect())

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=120) as response:
            return response.read().decode()

    def post(self, path: str, page: str, data: dict[str, str]) -> tuple[int, float]:
        """POST with the token of ``page``; (status, seconds) of the POST alone."""
        match = _CSRF.search(self.get(page))
        if match is None:
            raise SystemExit(f"{page} has no CSRF token")
        body = urllib.parse.urlencode({"csrf_token": match.group(1) or match.group(2), **data}).encode()
        started = time.perf_counter()
        try:
            with self.opener.open(self.base + path, data=body, timeout=120) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as answer:
            status = answer.code
        return status, time.perf_counter() - started


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        return None  # a 302 comes back as an HTTPError carrying its status


def watch_suggestions(url: str, approved: dict[int, float], found: dict[int, float], stop: threading.Event) -> None:
    """Polls the database: when a listing approved at ``approved[id]`` first has suggestions."""
    from sqlalchemy import create_engine, select

    from portal.matching.models import ListingMatch

    engine = create_engine(url)
    with engine.connect() as connection:
        while not stop.is_set():
            waiting = [listing_id for listing_id in list(approved) if listing_id not in found]
            if waiting:
                rows = connection.execute(select(ListingMatch.listing_id).distinct()
                                          .where(ListingMatch.listing_id.in_(waiting))).scalars().all()
                now = time.perf_counter()
                for listing_id in rows:
                    found[listing_id] = now - approved[listing_id]
                connection.rollback()  # a new snapshot next time
            time.sleep(0.1)
    engine.dispose()


def rss_mib(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024
    except (OSError, StopIteration):
        return 0.0


def children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reuse", metavar="URL", required=True, help="a prepared database (see above)")
    parser.add_argument("--approvals", type=int, default=40, help="approvals measured (default 40)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4, as the README)")
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between approvals (default 1)")
    args = parser.parse_args(argv)

    from benchmarks.dataset import migrate
    from portal import create_app

    app = create_app({"DATABASE_URL": args.reuse, "SECRET_KEY": "benchmark"}, instance_path=Path(tempfile.mkdtemp()))
    migrate(app)
    mark_matching_followed(app)
    started = time.perf_counter()
    listings = add_submitted_listings(args.reuse, args.approvals + 1)
    print(f"added {len(listings)} submitted listings in {time.perf_counter() - started:.1f} s", flush=True)

    workdir = Path(tempfile.mkdtemp(prefix="approval-bench-"))
    port = free_port()
    env = {**os.environ, "DATABASE_URL": args.reuse, "SECRET_KEY": "benchmark",
           "PUBLIC_URL": f"http://127.0.0.1:{port}", "PYTHONPATH": str(ROOT / "platform")}
    web_log, worker_log = workdir / "gunicorn.log", workdir / "worker.log"
    with web_log.open("ab") as stream:
        web = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
                                "--workers", str(args.workers), "--bind", f"127.0.0.1:{port}",
                                "--log-level", "warning", "wsgi:app"],
                               cwd=ROOT, env=env, stdout=stream, stderr=subprocess.STDOUT)
    with worker_log.open("ab") as stream:
        worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--only", "match"],
                                  cwd=ROOT, env=env, stdout=stream, stderr=subprocess.STDOUT)
    approved: dict[int, float] = {}
    found: dict[int, float] = {}
    stop = threading.Event()
    watcher = threading.Thread(target=watch_suggestions, args=(args.reuse, approved, found, stop), daemon=True)
    try:
        started = time.perf_counter()
        wait_for(f"http://127.0.0.1:{port}/healthz", web, timeout=600)
        print(f"gunicorn answered after {time.perf_counter() - started:.1f} s", flush=True)
        client = Client(f"http://127.0.0.1:{port}")
        status, _ = client.post("/en/account/login", "/en/account/login",
                                {"email": MODERATOR, "password": PASSWORD})
        if status != 302:
            raise SystemExit(f"sign-in answered {status}")
        watcher.start()

        timings, statuses = [], []
        for number, listing_id in enumerate(listings):
            page = f"/en/moderation/listings/{listing_id}"
            status, seconds = client.post(f"{page}/decide", page, {"approve": "y"})
            approved[listing_id] = time.perf_counter()
            if number == 0:
                print(f"warm-up approval: {status} in {seconds * 1000:.0f} ms; waiting for its suggestions "
                      "(the worker builds its index first)", flush=True)
                deadline = time.perf_counter() + 600
                while listing_id not in found and time.perf_counter() < deadline:
                    time.sleep(0.2)
                print(f"  its suggestions came {found.get(listing_id, float('nan')):.1f} s after it", flush=True)
                continue
            timings.append(seconds * 1000)
            statuses.append(status)
            time.sleep(args.pause)
        deadline = time.perf_counter() + 60
        while len(found) < len(listings) and time.perf_counter() < deadline:
            time.sleep(0.2)
        stop.set()

        delays = [found[listing_id] for listing_id in listings[1:] if listing_id in found]
        print(f"\n{len(timings)} approvals (POST …/decide), {args.workers} gunicorn workers: "
              f"p50 {percentile(timings, 0.5):.0f} ms, p95 {percentile(timings, 0.95):.0f} ms, "
              f"max {max(timings):.0f} ms; mean {statistics.fmean(timings):.0f} ms")
        print(f"statuses: {dict(sorted((code, statuses.count(code)) for code in set(statuses)))} (302: approved)")
        if delays:
            print(f"suggestions stored after the approval's answer: p50 {percentile(delays, 0.5):.1f} s, "
                  f"p95 {percentile(delays, 0.95):.1f} s, max {max(delays):.1f} s "
                  f"({len(delays)} of {len(listings) - 1} listings got suggestions)")
        print(f"resident memory: worker {rss_mib(worker.pid):.0f} MiB; gunicorn workers "
              + ", ".join(f"{rss_mib(pid):.0f}" for pid in children(web.pid)) + " MiB")
    finally:
        stop.set()
        for process in (web, worker):
            process.terminate()
        for process in (web, worker):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        report_log("gunicorn", web_log)
        report_log("worker", worker_log)


if __name__ == "__main__":
    main()
