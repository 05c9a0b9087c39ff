"""Build hook: the wheel carries the checkout's migrations, catalogs and seed data.

Everything else is declared in pyproject.toml. migrations/, translations/ and seed/ sit at the
top of the repository (Alembic, Babel and the tests expect them there in a checkout); a built
wheel copies them into the package, as portal/_shipped/<name>/, so that an installation migrates,
compiles its catalogs and seeds without the checkout. ``portal.paths`` finds either copy.
An editable install (scripts/run.py, scripts/test.py) reads the checkout's directories.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SHIPPED = ("migrations", "translations", "seed")
#: Build products of the checkout; `flask translations compile` makes the .mo files after install.
LEFT_OUT = ("__pycache__", ".pyc", ".mo")


class BuildWithShippedData(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        shipped = Path(self.build_lib, "portal", "_shipped")
        shutil.rmtree(shipped, ignore_errors=True)  # nothing left over from an earlier build
        for name in SHIPPED:
            source_dir = Path(name)
            if not source_dir.is_dir():
                raise SystemExit(f"setup.py: {name}/ is missing; build from the checkout (or its sdist)")
            for source in sorted(source_dir.rglob("*")):
                if source.is_file() and not any(part.endswith(LEFT_OUT) for part in source.parts):
                    target = shipped / source
                    self.mkpath(str(target.parent))
                    self.copy_file(str(source), str(target))


setup(cmdclass={"build_py": BuildWithShippedData})
