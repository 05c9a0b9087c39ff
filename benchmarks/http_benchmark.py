"""HTTP benchmark of every public page: each page's requests/s as a share of a hello-world app.

    python benchmarks/http_benchmark.py                                   # SQLite, 10,000 listings
    python benchmarks/http_benchmark.py --listings 100000 --keep --sqlite /work/bench-data/100k.db
    python benchmarks/http_benchmark.py --listings 100000 --keep \\
        --database postgresql+psycopg://postgres@127.0.0.1:5432/test    # a fresh database on that server
    python benchmarks/http_benchmark.py --reuse URL                       # measure a kept database again
    python benchmarks/http_benchmark.py --listings 1000000 --prepare-only --keep --database …

Data. Unless --reuse, it builds an N-listing portal with benchmarks/dataset.py (the data of
search_benchmark.py: same generator, same seed) and prepares it as production would: migrated,
thesaurus and demo seed loaded, listings annotated, search index built and every listing's
suggested partners computed (refresh_all, as `flask seed` does). It prints how long each step
took. --keep leaves the database and prints the --reuse argument that measures it again;
--reuse upgrades a kept database to the current migrations and measures it as it is.

Servers. The portal (wsgi:app) and a minimal hello-world Flask app (benchmarks/hello_app.py)
run side by side under gunicorn with identical settings (--workers, default 2; sync workers,
gunicorn's default timeout) on free loopback ports, with SECRET_KEY, DATABASE_URL and
PUBLIC_URL=http://127.0.0.1:PORT (so the Host header is trusted). Only GET requests are made.

Load. The load tool is wrk (https://github.com/wg/wrk; Debian/Ubuntu: apt-get install wrk);
without it the benchmark stops with an error. Every page is first checked to answer 200 and
warmed (--warmup seconds of wrk: every worker builds its in-memory indexes then), then measured
with `wrk -t2 -c8 -d<--seconds>s --latency`, interleaved with the hello app:
hello, page 1, hello, page 2, …, hello, repeated --rounds times. A page's share is its
requests/s divided by the mean of the two hello runs around it, so that load from other
processes on the machine affects both sides alike. The table gives the median over rounds of
requests/s and share, and p50/p99 latency as wrk reports them (median over rounds); "errors"
counts non-2xx/3xx answers and socket errors (timeouts included) over all rounds; "worker CPU
ms/req" is the CPU time (user + system, from /proc/PID/stat) the app's gunicorn workers spent
during a run divided by its requests: far less sensitive to a busy machine than requests/s (the
database server's CPU is not in it). Whatever the servers log (errors, worker timeouts) is printed.
After the run it reports each gunicorn worker's resident memory (VmRSS from /proc).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for _path in (str(ROOT), str(ROOT / "platform")):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from benchmarks.dataset import migrate, open_database, prepare  # noqa: E402

# (name, path); {listing} is replaced by a public listing's id.
PAGES = [
    ("listing detail", "/en/listings/{listing}"),
    ("home", "/en/"),
    ("search page", "/en/listings/?q=irrigation"),
    ("search page, Russian", "/ru/listings/?q=%D0%BE%D1%80%D0%BE%D1%88%D0%B5%D0%BD%D0%B8%D0%B5"),  # орошение
    ("search page, Chinese", "/zh/listings/?q=%E5%85%89%E4%BC%8F"),  # 光伏
    ("browse, no query", "/en/listings/"),
    ("API search", "/api/v1/listings?q=irrigation"),
    ("/healthz", "/healthz"),
]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    data = parser.add_argument_group("data")
    data.add_argument("--listings", type=int, default=10_000,
                      help="synthetic listings to generate (default 10,000; 100,000 and 1,000,000 work too)")
    data.add_argument("--database", metavar="SERVER_URL",
                      help="a PostgreSQL server, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test: "
                           "a fresh database portal_bench_XXXXXXXX is created on it (dropped after, "
                           "unless --keep). Default: SQLite")
    data.add_argument("--sqlite", metavar="PATH",
                      help="where to write the SQLite database (must not exist); default: a temporary "
                           "directory")
    data.add_argument("--keep", action="store_true",
                      help="leave the generated database and print how to --reuse it")
    data.add_argument("--reuse", metavar="URL",
                      help="measure a database kept by --keep (its DATABASE_URL, e.g. "
                           "sqlite:////work/bench-data/100k.db); nothing is generated")
    data.add_argument("--prepare-only", action="store_true",
                      help="generate and prepare the database, measure nothing (with --keep)")
    data.add_argument("--jobs", type=int, default=1,
                      help="processes that make the data (PostgreSQL; 2 or more for a million listings)")
    data.add_argument("--no-suggestions", action="store_true",
                      help="leave the suggestions to the matching worker (refresh_all takes hours at a million)")
    load = parser.add_argument_group("load")
    load.add_argument("--workers", type=int, default=2, help="gunicorn workers of each app (default 2)")
    load.add_argument("--timeout", type=int, default=30,
                      help="gunicorn's worker timeout, for both apps (default 30, gunicorn's own): raise it "
                           "only where an overloaded machine makes cold workers miss it, and say so")
    load.add_argument("--seconds", type=int, default=10, help="length of each wrk run (default 10)")
    load.add_argument("--warmup", type=int, default=3, help="seconds of wrk per page before measuring (default 3)")
    load.add_argument("--rounds", type=int, default=1,
                      help="times the whole interleaved sequence is repeated (default 1)")
    load.add_argument("--threads", type=int, default=2, help="wrk threads, -t (default 2)")
    load.add_argument("--connections", type=int, default=8, help="wrk connections, -c (default 8)")
    load.add_argument("--accept-encoding", default="gzip, deflate, br", metavar="VALUE",
                      help="Accept-Encoding header of every request (default 'gzip, deflate, br', as browsers "
                           "send: pages are compressed as they would be for them); '' sends none")
    load.add_argument("--pages", metavar="NAME", nargs="+",
                      help="measure only these pages (names as in the table, e.g. home '/healthz')")
    args = parser.parse_args(argv)
    if args.reuse and (args.database or args.sqlite):
        parser.error("--reuse measures an existing database: leave out --database and --sqlite")
    if args.database and args.sqlite:
        parser.error("--database (PostgreSQL) and --sqlite exclude each other")
    if args.prepare_only and not (args.keep or args.reuse):
        parser.error("--prepare-only without --keep would throw the database away")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if not args.prepare_only and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: this benchmark measures with wrk "
                         "(Debian/Ubuntu: apt-get install wrk; macOS: brew install wrk).")
    from portal import create_app
    from portal.database import Database

    database = open_database(server=args.database, sqlite=args.sqlite, reuse=args.reuse, keep=args.keep)
    app = None
    try:
        app = create_app({"DATABASE_URL": database.url, "SECRET_KEY": "benchmark"},
                         instance_path=database.workdir)
        if database.fresh:
            started = time.perf_counter()
            seconds = prepare(app, database.url, args.listings, jobs=args.jobs,
                              suggestions=not args.no_suggestions)
            print(f"database ready in {time.perf_counter() - started:.0f} s: "
                  + ", ".join(f"{name} {value:.0f} s" for name, value in seconds.items() if name != "total"),
                  flush=True)
        else:
            migrate(app)  # a database kept by an older version of the portal
        if args.keep:
            print(f"kept: {database.reuse_hint()}", flush=True)
        listing_id, public = describe(app)
        print(f"{public:,} public listings; detail page of listing {listing_id}", flush=True)
        Database.engine(app).dispose()
        if args.prepare_only:
            return
        pages = [(name, path.format(listing=listing_id)) for name, path in PAGES
                 if not args.pages or name in args.pages]
        results, memory = run(database.url, pages, args, database.workdir)
        print_table(results, args)
        print_memory(memory)
    finally:
        if app is not None:
            Database.engine(app).dispose()
        database.drop()


def describe(app) -> tuple[int, int]:  # noqa: ANN001
    """A public listing in the middle of the generated ones (the same one at every run on the same
    data), and how many listings are public."""
    from sqlalchemy import func, select

    from portal.database import utcnow
    from portal.extensions import db
    from portal.listings.models import Listing, ListingStatus

    with app.app_context():
        now = utcnow()
        public = (Listing.status == ListingStatus.PUBLISHED, Listing.expires_at > now)
        count = db.session.scalar(select(func.count()).select_from(Listing).where(*public))
        if not count:
            raise SystemExit("the database has no public listing")
        listing_id = db.session.scalar(select(Listing.id).where(*public).order_by(Listing.id)
                                       .offset(count // 2).limit(1))
        db.session.rollback()
    return listing_id, count


@dataclass
class WrkRun:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int
    cpu_ms: float | None = None  # the app's workers' CPU time per request (from /proc)


@dataclass
class Row:
    name: str
    path: str
    runs: list[WrkRun] = field(default_factory=list)
    shares: list[float] = field(default_factory=list)


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)([a-z]+)", value).groups()
    return float(number) * _UNITS_MS[unit]


def wrk(url: str, seconds: int, args: argparse.Namespace) -> WrkRun:
    # wrk's own timeout (2 s) would drop slow answers from the latencies: wait as long as gunicorn does.
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s", f"--timeout={args.timeout}s",
               "--latency", url]
    if args.accept_encoding:
        command[-1:-1] = ["-H", f"Accept-Encoding: {args.accept_encoding}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M)
    if not (rps and p50 and p99):
        raise RuntimeError(f"cannot read wrk's output:\n{output}")
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", output))
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    requests = int(re.search(r"^\s*(\d+) requests in", output, re.M).group(1))
    return WrkRun(float(rps.group(1)), _ms(p50.group(1)), _ms(p99.group(1)), errors, requests)


def measure(url: str, master: int, args: argparse.Namespace) -> WrkRun:
    """A wrk run, with the CPU time the server's workers spent per request: unlike requests/s,
    hardly affected by what else runs on the machine (the database server's CPU is not in it)."""
    before = workers_cpu(master)
    result = wrk(url, args.seconds, args)
    after = workers_cpu(master)
    spent = sum(after[pid] - before.get(pid, 0.0) for pid in after)  # a restarted worker starts at 0
    result.cpu_ms = 1000 * spent / result.requests if result.requests else None
    return result


def workers_cpu(master: int) -> dict[int, float]:
    """CPU seconds (user + system) of each of ``master``'s children, from /proc/PID/stat."""
    tick = os.sysconf("SC_CLK_TCK")
    cpu = {}
    for pid, _rss in worker_memory(master):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        cpu[pid] = (int(fields[11]) + int(fields[12])) / tick  # utime, stime: fields 14 and 15
    return cpu


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(app_spec: str, port: int, args: argparse.Namespace, env: dict[str, str],
                   log: Path) -> subprocess.Popen:
    """gunicorn with its defaults but for the workers; its log (and the app's) goes to ``log``."""
    command = [sys.executable, "-m", "gunicorn", "--workers", str(args.workers), "--timeout", str(args.timeout),
               "--bind", f"127.0.0.1:{port}", "--log-level", "warning", app_spec]
    with log.open("ab") as stream:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=stream, stderr=subprocess.STDOUT)


def report_log(name: str, log: Path) -> None:
    """Whatever a server logged (errors, worker timeouts): a benchmark that hides them lies."""
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    if lines:
        print(f"\n{name} logged {len(lines)} lines ({log}); the first 40:")
        print("\n".join(lines[:40]))


def wait_for(url: str, server: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped (exit {server.returncode}) before answering {url}")
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except (OSError, urllib.error.HTTPError):
            time.sleep(0.3)
    raise SystemExit(f"no answer from {url} within {timeout:.0f} s")


def check(url: str, tries: int = 3) -> None:
    """The page answers 200 (a 404 or 500 measured at full speed would flatter it). A cold worker
    may fail its first request (e.g. killed by gunicorn's timeout while it builds its indexes): that
    is reported, and the page is tried again."""
    for attempt in range(1, tries + 1):
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(url, timeout=300) as response:
                response.read()
            return
        except (OSError, http.client.HTTPException) as error:  # HTTPError, a worker killed mid-request
            answer = (f"answered {error.code}" if isinstance(error, urllib.error.HTTPError)
                      else f"failed ({error!r})")
            print(f"  ! {url} {answer} after {time.perf_counter() - started:.1f} s (try {attempt} of {tries})",
                  flush=True)
    raise SystemExit(f"{url} never answered 200: nothing to measure")


def warm(url: str, workers: int) -> list[float]:
    """Two requests per worker at once, twice, so that every worker (each with its own in-memory
    indexes) has served the page before it is measured. Returns the first round's times in ms."""
    from concurrent.futures import ThreadPoolExecutor

    def timed(_: int) -> float:
        started = time.perf_counter()
        check(url)
        return 1000 * (time.perf_counter() - started)

    with ThreadPoolExecutor(2 * workers) as pool:
        first = sorted(pool.map(timed, range(2 * workers)), reverse=True)
        list(pool.map(timed, range(2 * workers)))
    return first


def run(url: str, pages: list[tuple[str, str]], args: argparse.Namespace, logs: Path) -> tuple[list[Row], dict]:
    """Both servers up, every page checked and warmed, then the interleaved measurement."""
    portal_port, hello_port = free_port(), free_port()
    base = {key: value for key, value in os.environ.items() if not key.startswith(("GUNICORN", "WEB_CONCURRENCY"))}
    portal_env = {**base, "DATABASE_URL": url, "SECRET_KEY": "benchmark",
                  "PUBLIC_URL": f"http://127.0.0.1:{portal_port}"}
    servers = {"portal": start_gunicorn("wsgi:app", portal_port, args, portal_env, logs / "portal.log"),
               "hello": start_gunicorn("benchmarks.hello_app:app", hello_port, args, base,
                                       logs / "hello.log")}
    try:
        portal, hello = f"http://127.0.0.1:{portal_port}", f"http://127.0.0.1:{hello_port}/"
        wait_for(f"{portal}/healthz", servers["portal"])
        wait_for(hello, servers["hello"])
        print(f"gunicorn, {args.workers} workers each, timeout {args.timeout} s: portal on {portal}, "
              f"hello on {hello}; wrk -t{args.threads} -c{args.connections} -d{args.seconds}s --latency, "
              f"{args.rounds} round(s)", flush=True)
        rows = [Row(name, portal + path) for name, path in pages]
        for row in rows:
            first = warm(row.path, args.workers)
            wrk(row.path, args.warmup, args)
            print(f"  warmed {row.name} (first requests: {', '.join(f'{ms:,.0f}' for ms in first)} ms)",
                  flush=True)
        wrk(hello, args.warmup, args)
        hello_row = Row("hello world (same gunicorn)", hello)
        for _round in range(args.rounds):
            before = measure(hello, servers["hello"].pid, args)
            hello_row.runs.append(before)
            for row in rows:
                measured = measure(row.path, servers["portal"].pid, args)
                after = measure(hello, servers["hello"].pid, args)
                hello_row.runs.append(after)
                row.runs.append(measured)
                row.shares.append(measured.requests_per_second
                                  / statistics.mean([before.requests_per_second, after.requests_per_second]))
                print(f"  {row.name}: {measured.requests_per_second:.1f} req/s, hello "
                      f"{before.requests_per_second:.0f} → {after.requests_per_second:.0f}", flush=True)
                before = after
        memory = {name: worker_memory(server.pid) for name, server in servers.items()}
        return [*rows, hello_row], memory
    finally:
        for server in servers.values():
            server.terminate()
        for server in servers.values():
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        for name in servers:
            report_log(name, logs / f"{name}.log")


def worker_memory(master: int) -> list[tuple[int, float]]:
    """(pid, VmRSS in MiB) of each gunicorn worker: the master's children, read from /proc."""
    workers = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if int(fields.get("PPid", "0").strip()) == master and "VmRSS" in fields:
            workers.append((int(entry.name), int(fields["VmRSS"].split()[0]) / 1024))
    return sorted(workers)


def print_table(rows: list[Row], args: argparse.Namespace) -> None:
    print("\n| page | req/s | share of hello | p50 ms | p99 ms | errors | worker CPU ms/req |\n"
          "| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        rps = statistics.median(run.requests_per_second for run in row.runs)
        share = f"{100 * statistics.median(row.shares):.2f}%" if row.shares else "100%"
        p50 = statistics.median(run.p50_ms for run in row.runs)
        p99 = statistics.median(run.p99_ms for run in row.runs)
        errors = sum(run.errors for run in row.runs)
        cpu = [run.cpu_ms for run in row.runs if run.cpu_ms is not None]
        cpu_ms = f"{statistics.median(cpu):,.1f}" if cpu else "–"
        print(f"| {row.name} | {rps:,.1f} | {share} | {p50:,.1f} | {p99:,.1f} | {errors} | {cpu_ms} |")
    print(f"\n(gunicorn --workers {args.workers} --timeout {args.timeout}; "
          f"wrk -t{args.threads} -c{args.connections} -d{args.seconds}s, Accept-Encoding: "
          f"{args.accept_encoding or 'none'}; {args.rounds} round(s); "
          "medians over rounds; share = page req/s ÷ mean of the hello runs "
          "before and after it; worker CPU = user+system time of the app's gunicorn workers during the "
          "run ÷ requests, from /proc: the database server's share is not in it)")


def print_memory(memory: dict) -> None:
    for name, workers in memory.items():
        listed = ", ".join(f"pid {pid}: {rss:,.0f} MiB" for pid, rss in workers) or "none found"
        print(f"RSS of the {name} workers after the run: {listed}")


if __name__ == "__main__":
    main()
