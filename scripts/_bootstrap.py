"""Shared by run.py and test.py: a virtual environment with the project installed, and compiled catalogs.

Uses only the standard library, so it works on a machine that has nothing but Python 3.11+.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("PORTAL_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def step(message: str) -> None:
    print(f"==> {message}", flush=True)


def run(*args: str | Path, env: dict | None = None) -> None:
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True, env={**os.environ, **(env or {})})


def ensure_environment(extras: str = "") -> None:
    """Create the venv and (re)install the project when pyproject.toml changed since the last time."""
    if sys.version_info < (3, 11):
        sys.exit("Python 3.11 or newer is needed.")
    if not PYTHON.exists():
        step(f"creating a virtual environment in {VENV}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    spec = f".[{extras}]" if extras else "."
    fingerprint = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + spec.encode()).hexdigest()
    stamp = VENV / f".portal-installed-{extras or 'base'}"
    if not stamp.exists() or stamp.read_text() != fingerprint:
        step(f"installing the portal ({spec}) and its dependencies")
        run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(PYTHON, "-m", "pip", "install", "--quiet", "-e", spec)
        stamp.write_text(fingerprint)
    compile_translations()


def compile_translations() -> None:
    catalogs = sorted((ROOT / "translations").glob("*/LC_MESSAGES/messages.po"))
    if catalogs:
        step(f"compiling {len(catalogs)} translation catalogs")
        run(PYTHON, "-m", "babel.messages.frontend", "compile", "--statistics", "-d", ROOT / "translations")


def flask(*args: str, env: dict | None = None) -> None:
    run(PYTHON, "-m", "flask", "--app", "wsgi", *args, env=env)


CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def ensure_chromium() -> None:
    """Install Debian's Chromium for the browser tests when it is missing and we may install it."""
    if os.environ.get("PORTAL_CHROMIUM") or any(shutil.which(name) for name in CHROMIUM_NAMES):
        return
    apt = shutil.which("apt-get")
    if apt is None or not hasattr(os, "geteuid") or os.geteuid() != 0:
        step("Chromium is missing: browser tests will be skipped (apt-get install chromium)")
        return
    step("installing Chromium from Debian's packages for the browser tests")
    quiet = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([apt, "update", "-qq"], check=True, env=quiet)
    subprocess.run([apt, "install", "-y", "-qq", "chromium"], check=True, env=quiet,
                   stdout=subprocess.DEVNULL)


AXE_DIR = ROOT / "tests" / "browser" / "axe"  # its package.json pins axe-core; package-lock.json holds the hash
AXE_SCRIPT = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"


def ensure_axe() -> None:
    """Install axe-core from the npm registry for the accessibility tests when it is missing or
    not the version pinned in tests/browser/axe/package.json (npm ci: the lock file's hash)."""
    pinned = json.loads((AXE_DIR / "package.json").read_text())["dependencies"]["axe-core"]
    installed = AXE_SCRIPT.parent / "package.json"
    if AXE_SCRIPT.exists() and json.loads(installed.read_text()).get("version") == pinned:
        return
    npm = shutil.which("npm")
    if npm is None:
        apt = shutil.which("apt-get")
        if apt is None or not hasattr(os, "geteuid") or os.geteuid() != 0:
            step("npm is missing: the accessibility tests will be skipped (apt-get install npm)")
            return
        step("installing npm from Debian's packages for the accessibility tests")
        quiet = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run([apt, "update", "-qq"], check=True, env=quiet)
        subprocess.run([apt, "install", "-y", "-qq", "npm"], check=True, env=quiet, stdout=subprocess.DEVNULL)
        npm = shutil.which("npm") or "npm"
    step(f"installing axe-core {pinned} with npm for the accessibility tests")
    subprocess.run([npm, "ci", "--prefix", str(AXE_DIR), "--no-audit", "--no-fund", "--loglevel=error"],
                   cwd=ROOT, check=True)
