"""Install, migrate, seed and serve the portal on SQLite: ``python3 scripts/run.py``.

The worker (``flask worker``: the outbox, suggested partners, digests) runs beside the web
server and stops with it; it is what computes a newly published listing's suggested partners
(a pass every 2 s), as in production: the web server never does. Options: --host (default 127.0.0.1), --port (default 5000).
DATABASE_URL picks another database.
The demo runs with debug off, as production does; unless SECRET_KEY is set, it uses a key
generated once into instance/secret_key (so sessions survive a restart).
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))

from _bootstrap import PYTHON, ROOT, ensure_environment, flask, step  # noqa: E402


def demo_secret_key() -> str:
    """The demo's SECRET_KEY: the portal refuses to start without one when debug is off."""
    key_file = ROOT / "instance" / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
    return key_file.read_text().strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 5000)))
    args = parser.parse_args()

    ensure_environment()
    os.environ["SECRET_KEY"] = os.environ.get("SECRET_KEY") or demo_secret_key()
    step("applying database migrations")
    flask("db", "upgrade")
    step("loading demo data")
    flask("seed")
    address = f"http://{args.host}:{args.port}/"
    step(f"the portal is running at {address}, its worker beside it  (Ctrl+C stops both)")
    sys.exit(serve(args.host, args.port))


# The web server warms up before it listens, as gunicorn's workers do (portal.gunicorn_conf):
# otherwise the first search builds the facet index and loads the thesaurus (about 10 s).
_WARM_SERVER = ("import sys; from wsgi import app; from portal.gunicorn_conf import warm_up; warm_up(app); "
                "app.run(host=sys.argv[1], port=int(sys.argv[2]), use_reloader=False)")


def serve(host: str, port: int) -> int:
    """The web server and the worker, as two processes that end together."""
    command = [str(PYTHON), "-m", "flask", "--app", "wsgi"]
    # A plain kill of this script (as CI does) must stop the children too, like Ctrl+C.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(0))
    worker = subprocess.Popen([*command, "worker"], cwd=ROOT)
    server = None
    try:
        server = subprocess.Popen([str(PYTHON), "-c", _WARM_SERVER, host, str(port)], cwd=ROOT)
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for process in (server, worker):
            _stop(process)


def _stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)  # the worker finishes the pass under way
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


if __name__ == "__main__":
    main()
