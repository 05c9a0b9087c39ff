"""Install what the tests need and run the whole suite: ``python3 scripts/test.py``.

Extra arguments go to pytest (``python3 scripts/test.py -k accounts``). TEST_DATABASE_URL
runs the suite on PostgreSQL. Browser tests need Chromium: the script installs Debian's
package when it runs as root with apt-get (or set PORTAL_CHROMIUM=/path/to/chrome); without
it they are reported as skipped, and in CI (CI=true) a skip counts as a failure. The
accessibility tests inject axe-core, which the script installs with npm (the version pinned in
tests/browser/axe/package.json); without npm they are skipped in the same way.
"""

from __future__ import annotations

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))

from _bootstrap import PYTHON, ROOT, ensure_axe, ensure_chromium, ensure_environment, step  # noqa: E402


def main() -> int:
    ensure_environment("test")
    ensure_chromium()
    ensure_axe()
    backend = os.environ.get("TEST_DATABASE_URL", "") or "SQLite"
    step(f"running the test suite on {backend.split('@')[-1]}")
    return subprocess.call([str(PYTHON), "-m", "pytest", *sys.argv[1:]], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main())
