"""House rules that keep the code easy to live in (after CKAN's coding-standards test)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "platform" / "portal"

# Domain logic that must stay testable without an app or a database.
PURE_MODULES = [
    "portal.language.analyzer",
    "portal.search.query",
    "portal.search.ranking",
    "portal.language.scripts",
    "portal.matching.text",
    "portal.matching.concepts",
    "portal.matching.profile",
    "portal.matching.index",
    "portal.matching.rules",
    "portal.matching.engine",
    "portal.search.search_params",
    "portal.search.facet_index",
    "portal.notifications.kinds",
    "portal.security.throttle",
    "portal.accounts.tokens",
    "portal.i18n.languages",
]
FORBIDDEN = ("flask", "flask_babel", "flask_login", "flask_wtf", "sqlalchemy", "werkzeug.local")


def _imports(module: str) -> set[str]:
    path = PACKAGE.joinpath(*module.split(".")[1:]).with_suffix(".py")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _transitive(module: str, seen: set[str] | None = None) -> set[str]:
    seen = seen if seen is not None else set()
    for name in _imports(module):
        if name.startswith("portal.") and name not in seen:
            seen.add(name)
            if PACKAGE.joinpath(*name.split(".")[1:]).with_suffix(".py").exists():
                _transitive(name, seen)
        else:
            seen.add(name)
    return seen


@pytest.mark.parametrize("module", PURE_MODULES)
def test_domain_modules_do_not_import_flask_or_the_orm(module):
    bad = sorted(name for name in _transitive(module) if name.split(".")[0] in {f.split(".")[0] for f in FORBIDDEN})
    assert not bad, f"{module} imports {bad}"


def test_platform_is_a_source_root_not_a_package():
    assert not (PACKAGE.parent / "__init__.py").exists()


def test_no_module_grows_past_a_readable_size():
    long_files = [(str(path.relative_to(PACKAGE)), lines) for path in PACKAGE.rglob("*.py")
                  if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 450]
    assert not long_files, long_files
