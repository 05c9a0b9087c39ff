"""Warm workers: the first search on a fresh gunicorn worker, without and with gunicorn.conf.py.

    python benchmarks/warm_worker.py --reuse sqlite:////tmp/portal-bench-kept-…/bench.db
    python benchmarks/warm_worker.py --listings 100000 --keep   # generate (search_benchmark's), keep
    python benchmarks/warm_worker.py --reuse URL --runs 3 --query solar

For each setting (``cold``: no config file; ``warm``: the checkout's gunicorn.conf.py, whose
``post_worker_init`` builds the facet index) it starts gunicorn with one worker, waits until
``/healthz`` answers (a worker accepts connections only once its hooks have run, so that wait
includes the warm-up), then times the first ``/en/listings/?q=…`` and a second one, and reads
the worker's resident memory from /proc before and after that first search.
Target (issue 12): the first search on a fresh worker ≤ 300 ms.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]

from benchmarks.search_benchmark import prepare  # noqa: E402


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process so far (the machine may be shared: wall time lies)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _worker_pid(master: int) -> int:
    for _ in range(600):
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


def _get(url: str, timeout: float = 300) -> float:
    """Seconds to fetch ``url`` whole (it must answer 200)."""
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=timeout) as response:
        response.read()
        assert response.status == 200, response.status
    return time.perf_counter() - started


def measure(url: str, *, warm: bool, port: int, query: str, workdir: Path) -> dict[str, float]:
    """Start gunicorn (one worker) on the database at ``url``, with or without the config file."""
    config = ["-c", str(ROOT / "gunicorn.conf.py")] if warm else ["-c", os.devnull]
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "benchmark", "PUBLIC_URL": f"http://127.0.0.1:{port}",
           "PYTHONPATH": str(ROOT / "platform")}
    log = Path(tempfile.gettempdir()) / f"portal-warm-worker-{'warm' if warm else 'cold'}.log"
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", *config, "--workers", "1", "--timeout", "600",
                               "--bind", f"127.0.0.1:{port}", "portal:create_app()"],
                              cwd=workdir, env=env, stdout=subprocess.DEVNULL, stderr=log.open("w"))
    try:
        worker = _worker_pid(server.pid)
        base = f"http://127.0.0.1:{port}"
        for _ in range(6000):
            try:
                _get(f"{base}/healthz")
                break
            except OSError:
                time.sleep(0.1)
        ready = time.perf_counter() - started
        before, cpu = _rss_mib(worker), _cpu_seconds(worker)
        first = _get(f"{base}/en/listings/?q={urllib.request.quote(query)}")
        after, cpu = _rss_mib(worker), _cpu_seconds(worker) - cpu
        second = _get(f"{base}/en/listings/?q={urllib.request.quote(query)}&page=2")
        return {"ready": ready, "first": first, "second": second, "rss_ready": before, "rss_after": after,
                "cpu": cpu}
    except Exception:
        print(f"failed: gunicorn's log is {log}")
        raise
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reuse", metavar="URL", help="a database kept by search_benchmark.py --keep (or this)")
    parser.add_argument("--listings", type=int, default=100_000, help="listings to generate without --reuse")
    parser.add_argument("--keep", action="store_true", help="keep the generated SQLite database for --reuse")
    parser.add_argument("--runs", type=int, default=2, help="fresh workers per setting")
    parser.add_argument("--query", default="irrigation")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="portal-warm-"))
    try:
        url = args.reuse
        if url is None:
            from portal import create_app

            folder = Path(tempfile.mkdtemp(prefix="portal-bench-kept-")) if args.keep else workdir
            url = f"sqlite:///{folder / 'bench.db'}"
            prepare(create_app({"DATABASE_URL": url, "SECRET_KEY": "benchmark"}, instance_path=workdir),
                    url, args.listings)
            if args.keep:
                print(f"kept: --reuse {url}")
        print(f"{'setting':<6} {'ready s':>8} {'first search ms':>16} {'its CPU ms':>10} {'next ms':>8} "
              f"{'RSS ready MiB':>14} {'RSS after MiB':>14}")
        for warm in (False, True):
            results = [measure(url, warm=warm, port=args.port, query=args.query, workdir=workdir)
                       for _ in range(args.runs)]
            for result in results:
                print(f"{'warm' if warm else 'cold':<6} {result['ready']:8.1f} {result['first'] * 1e3:16.0f} {result['cpu'] * 1e3:10.0f} "
                      f"{result['second'] * 1e3:8.0f} {result['rss_ready']:14.0f} {result['rss_after']:14.0f}")
            print(f"{'':<6} median first search: {statistics.median(r['first'] for r in results) * 1e3:.0f} ms")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
