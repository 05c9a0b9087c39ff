"""Install, migrate, seed and serve the portal on SQLite: ``python3 scripts/run.py``.

Options: --host (default 127.0.0.1), --port (default 5000). DATABASE_URL picks another database.
"""

from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

from _bootstrap import PYTHON, ROOT, ensure_environment, flask, step  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 5000)))
    args = parser.parse_args()

    ensure_environment()
    step("applying database migrations")
    flask("db", "upgrade")
    step("loading demo data")
    flask("seed")
    address = f"http://{args.host}:{args.port}/"
    step(f"the portal is running at {address}  (Ctrl+C stops it)")
    os.chdir(ROOT)
    os.execv(str(PYTHON), [str(PYTHON), "-m", "flask", "--app", "wsgi", "run",
                           "--host", args.host, "--port", str(args.port), "--no-reload"])


if __name__ == "__main__":
    main()
