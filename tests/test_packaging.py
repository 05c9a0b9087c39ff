"""The wheel is a whole installation: from outside the checkout it migrates, compiles its catalogs,
seeds and serves (README, Production).

Builds the wheel from a copy of the sources (as `pip install .` would), installs it without its
dependencies into a folder of its own (they are this venv's), and runs it from an empty folder, so
neither the checkout's directories nor its `seed` package can be reached. `flask seed` itself is
left out for time (it also loads the thesaurus and matches every listing: half a minute); its
loader runs from the installed copy instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "platform", "migrations",
           "translations", "seed")

SERVE = textwrap.dedent("""
    import sys
    from pathlib import Path

    from flask.cli import locate_app

    import portal
    from portal.extensions import db
    from portal.paths import data_dir, seed_loader
    from portal.search.index import rebuild_index
    from portal.subjects.services import SHIPPED_THESAURUS

    site = Path(sys.argv[1]).resolve()
    assert Path(portal.__file__).resolve().is_relative_to(site), portal.__file__
    for name in ("migrations", "translations", "seed"):
        assert data_dir(name).resolve().is_relative_to(site), data_dir(name)
    assert SHIPPED_THESAURUS.is_file()

    app = locate_app("portal", None)  # what `flask --app portal` runs: create_app()
    cli = app.test_cli_runner()
    upgraded = cli.invoke(args=["db", "upgrade"])
    assert upgraded.exit_code == 0 and upgraded.output.startswith("applied 0001: initial schema"), upgraded.output
    compiled = cli.invoke(args=["translations", "compile"])
    assert compiled.exit_code == 0, compiled.output
    assert (data_dir("translations") / "ru" / "LC_MESSAGES" / "messages.mo").is_file()
    with app.app_context():
        loader = seed_loader()
        assert Path(loader.__file__).resolve().is_relative_to(site), loader.__file__
        loader.load_seed(db.session, app)
        rebuild_index(db.session)
        db.session.commit()
    page = app.test_client().get("/ru/listings/", headers={"Host": "127.0.0.1"})
    assert page.status_code == 200, page.status_code
    assert 'lang="ru"' in page.text and "Платформа сотрудничества" in page.text, "catalogs not used"
    assert "listing-card" in page.text, "the seeded listings are not shown"
    print("served", page.text.count("listing-card"), "listing cards")
""")


def test_the_wheel_migrates_compiles_seeds_and_serves_without_the_checkout(tmp_path):
    source = tmp_path / "source"
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", "*.egg-info"))
        else:
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)

    def run(*args: str | Path, **kwargs: object) -> str:
        done = subprocess.run([str(arg) for arg in args], capture_output=True, text=True, timeout=300,
                              **kwargs)
        assert done.returncode == 0, f"{' '.join(map(str, args[:4]))} …\n{done.stdout}\n{done.stderr}"
        return done.stdout

    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp_path / "dist", source)
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    site = tmp_path / "site"
    run(sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", site, wheel)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "DATABASE_URL": f"sqlite:///{elsewhere / 'portal.db'}",
           "SECRET_KEY": "wheel-test", "PASSWORD_HASH_METHOD": "scrypt:1024:8:1"}
    env.pop("PORTAL_LOG_LEVEL", None)
    assert "listing cards" in run(sys.executable, "-c", SERVE, site, cwd=elsewhere, env=env)
