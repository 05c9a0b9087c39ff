"""Bulk import (CSV, JSON) through the flask command, and export."""

from __future__ import annotations

import csv
import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.database import utcnow
from portal.listings.models import Listing, ListingStatus


@pytest.fixture()
def cli(app, db_session):
    return app.test_cli_runner()


@pytest.fixture()
def setting(db_session, make):
    center = make.center("education-exchange")
    make.topic("joint-degrees", center)
    institution = make.institution("Silk Road University Alliance", country="KZ")
    db_session.commit()
    return institution


def _row(**overrides):
    row = {
        "key": "alliance-001", "institution": "Silk Road University Alliance", "center": "education-exchange",
        "language": "ru", "kind": "joint_research", "direction": "offer",
        "title": "Совместная магистратура по водным ресурсам", "summary": "Двойной диплом.",
        "description": "Подробности.", "topics": ["joint-degrees"], "partner_roles": ["research_partner"],
        "funding": "partly_funded", "expires_on": (utcnow().date() + timedelta(days=100)).isoformat(),
        "translations": {"zh": {"title": "水资源联合硕士项目", "summary": "双学位。", "description": ""}},
    }
    row.update(overrides)
    return row


def test_json_import_validates_every_row_and_is_all_or_nothing(cli, db_session, setting, tmp_path):
    path = tmp_path / "listings.json"
    path.write_text(json.dumps([_row(), _row(key="alliance-002", title="", trl="99"),
                                _row(key="alliance-003", institution="Nowhere")]), encoding="utf-8")
    result = cli.invoke(args=["listings", "import", str(path)])
    assert result.exit_code == 1
    assert "row 2 (alliance-002): title: Enter a title." in result.output
    assert "row 3 (alliance-003): unknown institution 'Nowhere'" in result.output
    assert "nothing imported" in result.output
    assert db_session.scalar(select(func.count()).select_from(Listing)) == 0

    result = cli.invoke(args=["listings", "import", str(path), "--skip-bad-rows"])
    assert "imported 1 of 3 rows" in result.output
    listing = db_session.scalar(select(Listing))
    assert listing.status == ListingStatus.SUBMITTED
    assert listing.translation("zh").title == "水资源联合硕士项目"

    # Idempotent by key: importing again updates, never duplicates.
    result = cli.invoke(args=["listings", "import", str(path), "--skip-bad-rows", "--publish"])
    assert "updated listing" in result.output
    assert db_session.scalar(select(func.count()).select_from(Listing)) == 1


def test_csv_import_and_round_trip_export(cli, db_session, setting, tmp_path):
    path = tmp_path / "listings.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["key", "institution", "center", "language", "kind", "direction",
                                                    "title", "summary", "topics", "partner_roles", "expires_on",
                                                    "title_en", "summary_en"])
        writer.writeheader()
        writer.writerow({"key": "csv-1", "institution": str(setting.id), "center": "education-exchange",
                         "language": "kk", "kind": "youth_exchange", "direction": "request",
                         "title": "Жазғы мектеп серіктесі", "summary": "Серіктес іздейміз.",
                         "topics": "joint-degrees", "partner_roles": "",
                         "expires_on": (utcnow().date() + timedelta(days=30)).isoformat(),
                         "title_en": "Summer school partner", "summary_en": "We look for a partner."})
    result = cli.invoke(args=["listings", "import", str(path), "--publish"])
    assert result.exit_code == 0, result.output
    listing = db_session.scalar(select(Listing))
    assert listing.status == ListingStatus.PUBLISHED and listing.translation("en").title == "Summer school partner"

    out = tmp_path / "export.json"
    assert cli.invoke(args=["listings", "export", "--format", "json", "-o", str(out)]).exit_code == 0
    exported = json.loads(out.read_text(encoding="utf-8"))["listings"]
    assert exported[0]["title"] == "Жазғы мектеп серіктесі" and exported[0]["translations"]["en"]["title"]
    csv_out = tmp_path / "export.csv"
    cli.invoke(args=["listings", "export", "--format", "csv", "-o", str(csv_out)])
    rows = list(csv.DictReader(csv_out.open(encoding="utf-8")))
    assert rows[0]["title_en"] == "Summer school partner" and rows[0]["topics"] == "joint-degrees"


def test_dry_run_changes_nothing(cli, db_session, setting, tmp_path):
    path = tmp_path / "listings.json"
    path.write_text(json.dumps({"listings": [_row()]}), encoding="utf-8")
    result = cli.invoke(args=["listings", "import", str(path), "--dry-run"])
    assert "1 of 1 rows are valid" in result.output
    assert db_session.scalar(select(func.count()).select_from(Listing)) == 0


def test_malformed_files_get_a_message(cli, db_session, setting, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    result = cli.invoke(args=["listings", "import", str(path)])
    assert result.exit_code != 0 and "bad.json" in result.output


def test_importing_a_key_again_updates_the_original_text_and_language(cli, db_session, setting, tmp_path):
    path = tmp_path / "listings.json"
    path.write_text(json.dumps([_row()]), encoding="utf-8")
    assert cli.invoke(args=["listings", "import", str(path)]).exit_code == 0
    path.write_text(json.dumps([_row(language="kk", title="Су ресурстары бойынша бірлескен магистратура",
                                     translations={})]), encoding="utf-8")
    result = cli.invoke(args=["listings", "import", str(path)])
    assert "updated listing" in result.output
    listing = db_session.scalar(select(Listing))
    db_session.refresh(listing)
    assert listing.original_language == "kk"
    assert listing.original.title == "Су ресурстары бойынша бірлескен магистратура"
