"""House rules that keep the code easy to live in (after CKAN's coding-standards test)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "platform" / "portal"

ROOT = PACKAGE.parent.parent


def test_import_contracts_hold():
    """The layers, the pure engines, no feature reaching into another's views: pyproject.toml's
    [tool.importlinter] contracts, checked by import-linter."""
    result = subprocess.run([str(Path(sys.executable).with_name("lint-imports")), "--no-cache"], cwd=ROOT,
                            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "platform")})
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_platform_is_a_source_root_not_a_package():
    assert not (PACKAGE.parent / "__init__.py").exists()


def test_no_module_grows_past_a_readable_size():
    long_files = [(str(path.relative_to(PACKAGE)), lines) for path in PACKAGE.rglob("*.py")
                  if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 450]
    assert not long_files, long_files
