"""Install, migrate, seed and serve the portal on SQLite: ``python3 scripts/run.py``.

Options: --host (default 127.0.0.1), --port (default 5000). DATABASE_URL picks another database.
The demo runs with debug off, as production does; unless SECRET_KEY is set, it uses a key
generated once into instance/secret_key (so sessions survive a restart).
"""

from __future__ import annotations

import argparse
import os
import secrets
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
    step(f"the portal is running at {address}  (Ctrl+C stops it)")
    os.chdir(ROOT)
    os.execv(str(PYTHON), [str(PYTHON), "-m", "flask", "--app", "wsgi", "run",
                           "--host", args.host, "--port", str(args.port), "--no-reload"])


if __name__ == "__main__":
    main()
