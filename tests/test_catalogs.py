"""Every catalog is complete, free of fuzzy entries, keeps each placeholder and compiles."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from portal.i18n.languages import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "translations" / "messages.pot"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")


def _catalog(language: str):
    with (ROOT / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


def _template_ids() -> set:
    with TEMPLATE.open("rb") as handle:
        return {message.id for message in read_po(handle) if message.id}


def _placeholders(text: str) -> set[str]:
    return {match.group(0) for match in PLACEHOLDER.finditer(text)}


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_is_complete_and_consistent(language):
    catalog = _catalog(language)
    missing, fuzzy, mismatched = [], [], []
    ids = set()
    for message in catalog:
        if not message.id:
            continue
        ids.add(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
        singular, plural = (message.id if isinstance(message.id, tuple) else (message.id, None))
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            missing.append(message.id)
            continue
        expected = _placeholders(singular) | (_placeholders(plural) if plural else set())
        for index, string in enumerate(strings):
            found = _placeholders(string)
            # A language with one plural form may drop the count from its only form.
            allowed = expected if plural is None else expected | {"%(num)s"}
            if not found <= allowed or (plural is None and found != expected):
                mismatched.append((message.id, string))
    assert not missing, f"{language}: {len(missing)} untranslated, e.g. {missing[:5]}"
    assert not fuzzy, f"{language}: fuzzy entries {fuzzy[:5]}"
    assert not mismatched, f"{language}: placeholders differ {mismatched[:5]}"
    assert ids == _template_ids(), f"{language}: catalog is out of date with messages.pot (run flask translations update)"
    if language != "en":
        copied = [m.id for m in catalog if m.id and isinstance(m.id, str) and m.string == m.id and len(m.id) > 12]
        assert len(copied) <= 3, f"{language}: English copied instead of translated: {copied[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_has_the_right_plural_forms_and_compiles(language):
    catalog = _catalog(language)
    assert catalog.num_plurals == get_plural(language).num_plurals
    for message in catalog:
        if message.id and isinstance(message.id, tuple):
            assert len(message.string) == catalog.num_plurals, message.id
    write_mo(BytesIO(), catalog)
