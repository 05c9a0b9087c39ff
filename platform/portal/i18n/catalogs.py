"""``flask translations …``: extract, update, compile and check the gettext catalogs."""

from __future__ import annotations

import os

import click
from babel.messages.frontend import CommandLineInterface
from flask.cli import AppGroup

from portal.config import PROJECT_ROOT
from portal.i18n.languages import DEFAULT_LANGUAGE, LANGUAGES
from portal.paths import data_dir, in_checkout

TRANSLATIONS = data_dir("translations")
TEMPLATE = TRANSLATIONS / "messages.pot"
KEYWORDS = ["_l", "N_", "N_plural:1,2", "lazy_ngettext:1,2"]

translations_cli = AppGroup("translations", help="Manage the gettext catalogs in translations/.")


def _babel(*args: str) -> None:
    # Run from the project root so that source references in the catalogs are relative paths.
    previous = os.getcwd()
    os.chdir(PROJECT_ROOT)
    try:
        CommandLineInterface().run(["pybabel", "-q", *args])
    finally:
        os.chdir(previous)


@translations_cli.command("extract")
def extract() -> None:
    """Collect every translatable string into translations/messages.pot."""
    if not in_checkout():
        raise click.ClickException("extracting messages reads the sources: run it in a checkout")
    keywords = [arg for keyword in KEYWORDS for arg in ("-k", keyword)]
    _babel("extract", "-F", str(PROJECT_ROOT / "babel.cfg"), *keywords, "--add-comments=i18n:",
           "--sort-by-file", "--no-wrap", "--project=cca-cooperation-portal",
           "--msgid-bugs-address=translations@cca-portal.org", "-o", str(TEMPLATE), ".")
    click.echo(f"wrote {TEMPLATE.relative_to(PROJECT_ROOT)}")


@translations_cli.command("update")
@click.option("--extract/--no-extract", "run_extract", default=True)
@click.pass_context
def update(context: click.Context, run_extract: bool) -> None:
    """Extract, then merge new strings into every catalog (creating missing ones)."""
    if run_extract:
        context.invoke(extract)
    for language in LANGUAGES:
        catalog = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
        if catalog.exists():
            _babel("update", "-i", str(TEMPLATE), "-d", str(TRANSLATIONS), "-l", language, "--no-wrap",
                   "--ignore-obsolete", "--no-fuzzy-matching")
        else:
            _babel("init", "-i", str(TEMPLATE), "-d", str(TRANSLATIONS), "-l", language, "--no-wrap")
        click.echo(f"updated translations/{language}")


@translations_cli.command("compile")
def compile_catalogs() -> None:
    """Build the .mo files (the install scripts do this too)."""
    _babel("compile", "-d", str(TRANSLATIONS), "--statistics")


@translations_cli.command("fill-english")
def fill_english() -> None:
    """English is the source language: its catalog's translations are the msgids themselves."""
    from babel.messages.pofile import read_po, write_po

    path = TRANSLATIONS / DEFAULT_LANGUAGE / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=DEFAULT_LANGUAGE)
    for message in catalog:
        if message.id and not message.string or (isinstance(message.string, tuple) and not all(message.string)):
            message.string = message.id if isinstance(message.id, tuple) else message.id
        message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0)
