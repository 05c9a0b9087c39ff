"""Bulk import and export of listings as CSV or JSON (format: docs/import-export.md).

Each imported row goes through the same form validation as the posting page, so a file
cannot contain anything a person could not have typed. Rows are all-or-nothing unless
the caller asks to skip the bad ones.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from portal.users.models import User, normalize_email
from portal.database import utcnow
from portal.i18n.languages import LANGUAGES, is_country_code
from portal.institutions.models import Institution, InstitutionType
from portal.listings import schema
from portal.listings.forms import ListingForm, TranslationForm
from portal.listings.models import Listing, ListingStatus
from portal.listings.queries import public_listings
from portal.listings.services import ListingService, apply_draft, set_text
from portal.taxonomy.models import Center, Topic

# Columns before the listing's declared fields: who posts it (the import may create the institution).
INSTITUTION_COLUMNS = ("key", "institution", "institution_country", "institution_type", "author_email")


# The declared fields (listings/schema.py) give the columns; read when called, never frozen here.

def list_fields() -> list[str]:
    return [field.name for field in schema.fields_in(schema.Place.EXPORT, per_language=None) if field.type.many]


def scalar_fields() -> list[str]:
    """Single-valued columns, the original's texts among them."""
    return [field.name for field in schema.fields_in(schema.Place.EXPORT, per_language=None) if not field.type.many]


def content_fields() -> list[str]:
    return [field.name for field in schema.fields_in(schema.Place.EXPORT, per_language=True)]


def csv_columns() -> list[str]:
    """Single values first, then lists (";"-separated), then each language's texts."""
    return [*INSTITUTION_COLUMNS, *scalar_fields(), *list_fields(),
            *(f"{name}_{code}" for code in LANGUAGES for name in content_fields())]


@dataclass
class RowReport:
    number: int
    key: str
    errors: list[str] = field(default_factory=list)
    listing_id: int | None = None
    action: str = ""
    created_institution: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def describe(self) -> str:
        if self.ok:
            institution = " (and its institution)" if self.created_institution else ""
            return f"row {self.number} ({self.key or 'no key'}): {self.action} listing {self.listing_id}{institution}"
        return f"row {self.number} ({self.key or 'no key'}): " + "; ".join(self.errors)


@dataclass
class ImportReport:
    rows: list[RowReport]
    committed: bool

    @property
    def failed(self) -> list[RowReport]:
        return [row for row in self.rows if not row.ok]


# reading files

def read_rows(path: Path) -> list[dict]:
    """Rows as dicts in the JSON shape, from a .json or .csv file."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        data = json.loads(text)
        rows = data.get("listings", data) if isinstance(data, dict) else data
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise ValueError("a JSON import is a list of objects, or {\"listings\": [...]}")
        return rows
    return [_row_from_csv(row) for row in csv.DictReader(io.StringIO(text))]


def _row_from_csv(flat: dict[str, str]) -> dict:
    row: dict = {key: (value or "").strip() for key, value in flat.items() if key and not _is_translation_column(key)}
    for name in list_fields():
        row[name] = [item.strip() for item in row.get(name, "").split(";") if item.strip()]
    translations: dict[str, dict[str, str]] = {}
    for key, value in flat.items():
        if key and _is_translation_column(key) and (value or "").strip():
            name, code = key.rsplit("_", 1)
            translations.setdefault(code, {})[name] = value.strip()
    row["translations"] = translations
    return row


def _is_translation_column(key: str) -> bool:
    name, _, code = key.rpartition("_")
    return name in content_fields() and code in LANGUAGES


# importing

class ListingImporter:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.centers = list(session.scalars(select(Center).order_by(Center.position)))
        self.topics = list(session.scalars(select(Topic)))
        self.topic_ids = {topic.slug: topic.id for topic in self.topics}
        self.center_ids = {center.slug: str(center.id) for center in self.centers}

    def run(self, rows: list[dict], *, skip_bad_rows: bool, publish: bool) -> ImportReport:
        reports = []
        everything = self.session.begin_nested()
        for number, row in enumerate(rows, start=1):
            report = RowReport(number, str(row.get("key", "") or ""))
            try:
                with self.session.begin_nested():  # a bad row leaves nothing behind
                    self._import_row(row, report, publish)
                    if report.errors:
                        raise _RowRejected
            except _RowRejected:
                pass
            reports.append(report)
        committed = skip_bad_rows or all(report.ok for report in reports)
        if committed:
            everything.commit()
        else:
            everything.rollback()
        return ImportReport(reports, committed)

    def _import_row(self, row: dict, report: RowReport, publish: bool) -> None:
        institution = self._institution(row.get("institution")) or self._new_institution(row, report)
        if institution is None:
            if not report.errors:
                report.errors.append(f"unknown institution {row.get('institution')!r} (give institution_country "
                                     "to create it)")
            return
        author = None
        if row.get("author_email"):
            author = self.session.scalar(select(User).where(User.email == normalize_email(str(row["author_email"]))))
            if author is None or author.institution_id != institution.id:
                report.errors.append(f"author {row['author_email']!r} is not a member of {institution.name}")
                return
        form = ListingForm(formdata=self._formdata(row, report), meta={"csrf": False},
                           centers=self.centers, topics=self.topics)
        if not form.validate():
            report.errors.extend(f"{name}: {' '.join(map(str, errors))}" for name, errors in form.errors.items())
            return
        draft = form.draft()
        translations = self._translations(row, draft.language, report)
        if report.errors:
            return
        key = f"import:{report.key}" if report.key else None
        listing = self.session.scalar(select(Listing).where(Listing.external_key == key)) if key else None
        service = ListingService(self.session)
        if listing is None:
            listing = Listing(institution_id=institution.id, author=author, external_key=key,
                              status=ListingStatus.SUBMITTED)
            report.action = "created"
        else:
            report.action = "updated"
        apply_draft(listing, draft)  # the original language among the fields: its text goes with it
        set_text(listing, draft.language, draft.content)
        self.session.add(listing)
        listing.keyword_languages = {keyword: language for keyword, language in self._keyword_languages(row).items()
                                     if keyword in listing.keywords}
        for language, content in translations.items():
            set_text(listing, language, content)
        if publish:
            listing.status = ListingStatus.PUBLISHED
            listing.published_at = listing.published_at or utcnow()
        self.session.flush()
        service.announce(listing)
        report.listing_id = listing.id

    def _formdata(self, row: dict, report: RowReport) -> MultiDict:
        data = MultiDict()
        for name in scalar_fields():
            value = row.get(name)
            if value not in (None, ""):
                data[name] = str(value)
        data["center"] = self.center_ids.get(str(row.get("center", "")), str(row.get("center", "")))
        data["language"] = str(row.get("language", ""))
        for name in list_fields():
            values = row.get(name) or []
            if isinstance(values, str):
                values = [v.strip() for v in values.split(";") if v.strip()]
            if name == "topics":
                unknown = [v for v in values if v not in self.topic_ids]
                if unknown:
                    report.errors.append(f"topics: unknown {', '.join(map(str, unknown))}")
                values = [str(self.topic_ids[v]) for v in values if v in self.topic_ids]
            if name == "keywords":
                texts, problems = _keyword_texts(values)
                report.errors.extend(problems)
                data[name] = ", ".join(texts)
            else:
                data.setlist(name, [str(v) for v in values])
        data["submit"] = "y"
        return data

    def _translations(self, row: dict, original: str, report: RowReport) -> dict:
        result = {}
        for language, content in (row.get("translations") or {}).items():
            if language not in LANGUAGES or language == original or not isinstance(content, dict):
                report.errors.append(f"translations: {language!r} is not another portal language")
                continue
            form = TranslationForm(formdata=MultiDict({k: str(v) for k, v in content.items()}), meta={"csrf": False})
            if not form.validate():
                report.errors.extend(f"translations.{language}.{name}: {' '.join(map(str, errors))}"
                                     for name, errors in form.errors.items())
            else:
                result[language] = form.content()
        return result

    def _keyword_languages(self, row: dict) -> dict[str, str]:
        values = row.get("keywords") or []
        if isinstance(values, str):
            values = [v.strip() for v in values.split(";") if v.strip()]
        return dict(keyword for value in values if (keyword := _keyword(value)) and keyword[1])

    def _new_institution(self, row: dict, report: RowReport) -> Institution | None:
        """An institution the portal does not know yet, when the row says where it is."""
        name = str(row.get("institution") or "").strip()
        country = str(row.get("institution_country") or "").strip().upper()
        if not name or not country or name.isdigit():
            return None
        if not is_country_code(country):
            report.errors.append(f"institution_country: unknown country {country!r}")
            return None
        kind = str(row.get("institution_type") or InstitutionType.OTHER.value).strip()
        if kind not in InstitutionType._value2member_map_:
            report.errors.append(f"institution_type: one of {', '.join(t.value for t in InstitutionType)}")
            return None
        if len(name) > 200:
            report.errors.append("institution: at most 200 characters")
            return None
        institution = Institution(name=name, country=country, type=InstitutionType(kind),
                                  city=str(row.get("institution_city") or "")[:120])
        self.session.add(institution)
        self.session.flush()
        report.created_institution = True
        return institution

    def _institution(self, reference: object) -> Institution | None:
        if reference is None or reference == "":
            return None
        if isinstance(reference, int) or str(reference).isdigit():
            return self.session.get(Institution, int(reference))
        return self.session.scalar(select(Institution).where(Institution.name == str(reference)))


class _RowRejected(Exception):
    pass


def _keyword(value: object) -> tuple[str, str | None] | None:
    """A keyword as (text, language): a string (``"drip irrigation"``, or ``"en:drip
    irrigation"`` in CSV), or ``{"text": …, "language": …}`` in JSON."""
    if isinstance(value, dict):
        text, language = str(value.get("text") or "").strip(), value.get("language")
        return (text, str(language).strip() if language else None) if text else None
    text = str(value).strip()
    code, separator, rest = text.partition(":")
    if separator and code.strip() in LANGUAGES and rest.strip():
        return rest.strip(), code.strip()
    return (text, None) if text else None


def _keyword_texts(values: list) -> tuple[list[str], list[str]]:
    """The keywords' texts for the form, and what is wrong with their languages."""
    texts, problems = [], []
    for value in values:
        keyword = _keyword(value)
        if keyword is None:
            continue
        text, language = keyword
        if language is not None and language not in LANGUAGES:
            problems.append(f"keywords: {language!r} is not a portal language ({' '.join(LANGUAGES)})")
        texts.append(text.replace(",", " "))
    return texts, problems


# exporting

def export_rows(session: Session) -> Iterator[dict]:
    """Published listings in the import format (so an export can be imported elsewhere)."""
    for listing in session.scalars(public_listings().order_by(Listing.id)):
        original = listing.original
        yield {
            "key": listing.external_key.split(":", 1)[-1] if listing.external_key else f"listing-{listing.id}",
            "id": listing.id, "institution": listing.institution.name,
            "institution_country": listing.institution.country, "institution_type": listing.institution.type.value,
            **schema.export_values(listing), **schema.text_of(original), "language": original.language,
            "published_at": listing.published_at.isoformat() if listing.published_at else None,
            "translations": {t.language: schema.text_of(t) for t in listing.translations
                             if t.language != original.language},
        }


def write_json(rows: Iterable[dict], out: io.TextIOBase) -> int:
    rows = list(rows)
    json.dump({"listings": rows}, out, ensure_ascii=False, indent=2)
    return len(rows)


def write_csv(rows: Iterable[dict], out: io.TextIOBase) -> int:
    writer = csv.DictWriter(out, fieldnames=[*csv_columns(), "id", "published_at"],
                            extrasaction="ignore")
    writer.writeheader()
    count = 0
    for row in rows:
        flat = {key: value for key, value in row.items() if key != "translations"}
        for name in list_fields():
            flat[name] = ";".join(map(str, row[name]))
        for language, content in row["translations"].items():
            for name in content_fields():
                flat[f"{name}_{language}"] = content[name]
        writer.writerow({key: "" if value is None else value for key, value in flat.items()})
        count += 1
    return count
