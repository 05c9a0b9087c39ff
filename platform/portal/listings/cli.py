"""``flask listings import|export``: bulk transfer of listings (see docs/import-export.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from portal.extensions import db
from portal.listings.transfer import ListingImporter, export_rows, read_rows, write_csv, write_json

listings_cli = AppGroup("listings", help="Import and export listings.")


@listings_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--skip-bad-rows", is_flag=True, help="Import the valid rows even when others are bad.")
@click.option("--publish", is_flag=True, help="Publish the imported listings at once (else: submitted for review).")
@click.option("--dry-run", is_flag=True, help="Validate and report, change nothing.")
def import_listings(path: Path, skip_bad_rows: bool, publish: bool, dry_run: bool) -> None:
    """Import listings from a CSV or JSON file, validating every row."""
    try:
        rows = read_rows(path)
    except (ValueError, UnicodeDecodeError) as error:
        raise click.ClickException(f"{path}: {error}") from error
    # Form validation needs a request (messages, locale); links in emails need the public address.
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        report = ListingImporter(db.session).run(rows, skip_bad_rows=skip_bad_rows, publish=publish)
        for row in report.rows:
            click.echo(("ok    " if row.ok else "ERROR ") + row.describe())
        if dry_run or not report.committed:
            db.session.rollback()
        else:
            db.session.commit()
    imported = sum(1 for row in report.rows if row.ok)
    if dry_run:
        click.echo(f"dry run: {imported} of {len(report.rows)} rows are valid; nothing was changed")
    elif report.committed:
        click.echo(f"imported {imported} of {len(report.rows)} rows")
    else:
        click.echo(f"nothing imported: {len(report.failed)} of {len(report.rows)} rows have errors "
                   "(fix them, or pass --skip-bad-rows)")
    if report.failed and not (report.committed and skip_bad_rows):
        sys.exit(1)


@listings_cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Default: standard output.")
def export_listings(fmt: str, output: Path | None) -> None:
    """Export the published listings."""
    writer = write_json if fmt == "json" else write_csv
    with current_app.test_request_context():
        if output is None:
            count = writer(export_rows(db.session), sys.stdout)
        else:
            with output.open("w", encoding="utf-8", newline="") as handle:
                count = writer(export_rows(db.session), handle)
    click.echo(f"exported {count} listings", err=True)
