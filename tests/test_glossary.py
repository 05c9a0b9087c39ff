"""The catalogs follow translations/GLOSSARY.md.

Every glossary entry names msgids; in each language the msgstr of those msgids (every plural
form) contains the entry's stem and none of its "do not use" stems. Confirm, approve and verify
keep three different words in every language, and each language keeps one style of quotation
marks.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from portal.i18n.languages import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "translations" / "GLOSSARY.md"
APOSTROPHES = str.maketrans({c: "'" for c in "’ʼʻ‘`"})
QUOTES = "«»“”„\""
#: A word or placeholder between ASCII quotation marks, as in "'%(value)s' is not a valid choice".
ASCII_QUOTED = re.compile(r"(?:^|[\s(])(['\"])[^'\"\s][^'\"]*\1")
DISTINCT = ("confirm", "approve", "verify")


def _fold(text: str) -> str:
    return text.translate(APOSTROPHES).casefold()


def _ticks(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def _glossary() -> dict[str, dict]:
    """{key: {"msgids": [...], "rows": {language: {"term", "stems", "avoid"}}}} from the headings."""
    entries: dict[str, dict] = {}
    entry = None
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^### .*\{#([\w-]+)\}\s*$", line)
        if heading:
            entry = entries.setdefault(heading.group(1), {"msgids": [], "rows": {}})
        elif line.startswith("## "):
            entry = None
        elif entry is not None and line.startswith("Msgids:"):
            entry["msgids"] = _ticks(line[len("Msgids:"):])
        elif entry is not None and line.startswith("|"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if len(cells) == 4 and cells[0] in LANGUAGES:
                entry["rows"][cells[0]] = {"term": cells[1], "stems": _ticks(cells[2]), "avoid": _ticks(cells[3])}
    return entries


def _quote_styles() -> dict[str, str]:
    """{language: the quotation marks it uses} from the table under "## Quotation marks"."""
    styles, inside = {}, False
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            inside = line.strip() == "## Quotation marks"
        elif inside and line.startswith("|"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if cells[0] in LANGUAGES:
                styles[cells[0]] = "".join(_ticks(cells[1]))
    return styles


def _strings(language: str) -> dict[str, tuple[str, ...]]:
    """Every msgstr by its (singular) msgid; English falls back to the msgid itself."""
    path = ROOT / "translations" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    strings = {}
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        strings[ids[0]] = tuple(form or ids[min(n, len(ids) - 1)] for n, form in enumerate(forms))
    return strings


GLOSSARY_ENTRIES = _glossary()


def test_the_glossary_covers_the_domain_in_every_language():
    expected = {"listing", "offer", "request", "join-request", "interest", "partner", "match", "notification",
                "message", "confirm", "approve", "verify", "moderator", "center", "technology-transfer",
                "joint-research", "youth-exchange", "institution", "subject", "outbox", "withdraw", "suspend", "renew"}
    assert expected <= set(GLOSSARY_ENTRIES), sorted(expected - set(GLOSSARY_ENTRIES))
    for key, entry in GLOSSARY_ENTRIES.items():
        assert set(entry["rows"]) == set(LANGUAGES), f"{key}: languages {sorted(entry['rows'])}"
        assert all(row["term"] for row in entry["rows"].values()), key


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalog_uses_the_glossary_terms(language):
    strings = _strings(language)
    wrong = []
    for key, entry in GLOSSARY_ENTRIES.items():
        row = entry["rows"][language]
        for msgid in entry["msgids"]:
            assert msgid in strings, f"{key}: the glossary names a msgid the catalog lacks: {msgid!r}"
            for form in strings[msgid]:
                text = _fold(form)
                if row["stems"] and not any(_fold(stem) in text for stem in row["stems"]):
                    wrong.append(f"{key}: {msgid!r} → {form!r} lacks {row['stems']}")
                wrong += [f"{key}: {msgid!r} → {form!r} uses {stem!r}" for stem in row["avoid"] if _fold(stem) in text]
    assert not wrong, f"{language}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("language", LANGUAGES)
def test_confirm_approve_and_verify_are_three_words(language):
    stems = {key: [_fold(stem) for stem in GLOSSARY_ENTRIES[key]["rows"][language]["stems"]] for key in DISTINCT}
    for first in DISTINCT:
        assert stems[first], f"{language}: no stem for {first}"
        for second in DISTINCT:
            if first == second:
                continue
            shared = [(a, b) for a in stems[first] for b in stems[second] if a in b or b in a]
            assert not shared, f"{language}: {first} and {second} share a word: {shared}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_one_style_of_quotation_marks(language):
    allowed = _quote_styles().get(language)
    assert allowed, f"{language}: the glossary names no quotation marks"
    mixed = []
    for msgid, forms in _strings(language).items():
        for form in forms:
            foreign = {mark for mark in form if mark in QUOTES and mark not in allowed and mark not in msgid}
            if foreign or (language != "en" and ASCII_QUOTED.search(form)):
                mixed.append((msgid, form))
    assert not mixed, f"{language} uses quotation marks other than {allowed}: {mixed[:5]}"
