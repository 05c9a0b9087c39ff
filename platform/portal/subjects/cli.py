"""``flask thesaurus …``: load a SKOS file, re-annotate listings, and say what is loaded."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from portal.extensions import db
from portal.subjects.models import ConceptRow, ListingConcept
from portal.subjects.services import SHIPPED_THESAURUS, annotate_all, load_file

thesaurus_cli = AppGroup("thesaurus", help="The multilingual thesaurus of the centers' fields (SKOS).")


@thesaurus_cli.command("load")
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Also delete the concepts the file does not have.")
@click.option("--no-annotate", is_flag=True, help="Do not re-annotate the listings afterwards.")
def load_command(path: Path | None, replace: bool, no_annotate: bool) -> None:
    """Load PATH (a SKOS file: Turtle, RDF/XML, N-Triples, JSON-LD; default: the portal's own
    seed/thesaurus.ttl). Concepts are upserted by key, so AGROVOC or EuroVoc extracts can be
    added beside the portal's concepts; then every listing is annotated again."""
    result = load_file(db.session, path or SHIPPED_THESAURUS, replace=replace)
    click.echo(f"concepts: {result.added} added, {result.updated} updated, {result.removed} removed")
    if not no_annotate and (result.added or result.updated or result.removed):
        click.echo(f"annotated {annotate_all(db.session)} listings")
    db.session.commit()


@thesaurus_cli.command("annotate")
def annotate_command() -> None:
    """Annotate every listing again (after changing the annotator or the thesaurus by hand)."""
    count = annotate_all(db.session)
    db.session.commit()
    click.echo(f"annotated {count} listings")


@thesaurus_cli.command("stats")
def stats_command() -> None:
    """How many concepts, labels per language, and listing annotations there are."""
    rows = db.session.scalars(select(ConceptRow)).all()
    languages: Counter[str] = Counter()
    for row in rows:
        for language, labels in (row.labels or {}).items():
            languages[language] += bool(labels.get("pref"))
    click.echo(f"{len(rows)} concepts")
    for language, count in sorted(languages.items()):
        click.echo(f"  {language}: {count} preferred labels")
    annotations = db.session.scalar(select(func.count()).select_from(ListingConcept)) or 0
    click.echo(f"{annotations} listing annotations")
