"""Making, keeping and reading machine translations (the rules; views and the worker call these)."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import and_, delete, exists, select
from sqlalchemy.orm import Session

from portal.changes.signals import announce_listing_changed
from portal.database import utcnow
from portal.listings.models import Listing, ListingStatus, ListingTranslation
from portal.machine_translation.client import (
    CircuitBreaker,
    CircuitOpen,
    LibreTranslate,
    TranslationError,
    TranslationService,
    parse_codes,
)
from portal.machine_translation.models import MachineTranslation

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5  # failed tries of one translation before the worker leaves it (until the next edit)
_breakers: dict[str, CircuitBreaker] = {}  # one per service URL and process, shared by its clients


def configured(config: Mapping[str, object]) -> bool:
    return bool(config.get("TRANSLATION_URL"))


def service_for(config: Mapping[str, object], *, in_request: bool = False) -> TranslationService | None:
    """The configured service, or None. ``in_request``: the short timeout and no retries of a
    page that translates on demand; the worker's client may wait longer and try again."""
    url = str(config.get("TRANSLATION_URL") or "")
    if not url:
        return None
    breaker = _breakers.get(url)
    if breaker is None:
        breaker = _breakers[url] = CircuitBreaker(
            failures=int(config.get("TRANSLATION_BREAKER_FAILURES", 3)),  # type: ignore[arg-type]
            cooldown=float(config.get("TRANSLATION_BREAKER_SECONDS", 60)))  # type: ignore[arg-type]
    timeout = config.get("TRANSLATION_REQUEST_TIMEOUT_SECONDS" if in_request else "TRANSLATION_TIMEOUT_SECONDS")
    return LibreTranslate(url, api_key=str(config.get("TRANSLATION_API_KEY") or "") or None,
                          timeout=float(timeout or 2), retries=0 if in_request else 1, breaker=breaker,
                          codes=parse_codes(str(config.get("TRANSLATION_LANGUAGE_CODES") or "")))


def breaker_open(config: Mapping[str, object]) -> bool:
    breaker = _breakers.get(str(config.get("TRANSLATION_URL") or ""))
    return breaker is not None and breaker.is_open


def enabled_languages(config: Mapping[str, object]) -> list[str]:
    """The languages the worker translates every public listing into (TRANSLATION_LANGUAGES)."""
    return [code.strip() for code in str(config.get("TRANSLATION_LANGUAGES") or "").split(",") if code.strip()]


def source_hash(original: ListingTranslation) -> str:
    return text_hash(original.language, original.title, original.summary, original.description)


def text_hash(language: str, title: str, summary: str, description: str | None) -> str:
    """What a machine translation records of the original it was made from (``source_hash``)."""
    text = "\x1f".join((language, title, summary, description or ""))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_current(row: MachineTranslation | None, listing: Listing) -> bool:
    """Made, from the original as it is now, and no person has written that language since."""
    return (row is not None and row.translated_at is not None and listing.translation(row.language) is None
            and row.source_hash == source_hash(listing.original))


def stored(session: Session, listing_id: int, language: str) -> MachineTranslation | None:
    return session.scalar(select(MachineTranslation).where(MachineTranslation.listing_id == listing_id,
                                                           MachineTranslation.language == language))


def current_translations(session: Session, listings: Iterable[Listing]) -> dict[int, list[MachineTranslation]]:
    """Listing id -> its current machine translations: the extra text of search and matching."""
    by_id = {listing.id: listing for listing in listings}
    if not by_id:
        return {}
    rows = session.scalars(select(MachineTranslation).where(
        MachineTranslation.listing_id.in_(by_id), MachineTranslation.translated_at.is_not(None)))
    found: dict[int, list[MachineTranslation]] = {}
    for row in rows:
        if is_current(row, by_id[row.listing_id]):
            found.setdefault(row.listing_id, []).append(row)
    return found


class Unwanted(Exception):
    """No machine translation into this language: a person wrote it, or it is the original."""


def request_translation(session: Session, listing: Listing, language: str) -> MachineTranslation:
    """The row for (listing, language), made due for the worker unless it is current."""
    if listing.translation(language) is not None:
        raise Unwanted(language)
    row = stored(session, listing.id, language)
    if row is None:
        row = MachineTranslation(listing_id=listing.id, language=language,
                                 source_language=listing.original_language, due=True, attempts=0)
        session.add(row)
    elif not is_current(row, listing) and not row.due:
        row.due, row.attempts, row.requested_at = True, 0, utcnow()
    session.flush()
    return row


def translate_now(session: Session, listing: Listing, language: str, service: TranslationService) -> MachineTranslation:
    """Make (or remake) the translation with ``service``; raises TranslationError (the row then
    stays due, with the error, for the worker). Announces the change, as any change of a
    listing's text: whatever follows listings through the change log hears of it."""
    row = request_translation(session, listing, language)
    if is_current(row, listing):
        return row
    original = listing.original
    try:
        title, summary, description = service.translate(
            [original.title, original.summary, original.description or ""], original.language, language)
    except CircuitOpen:
        raise  # not tried: no attempt to count
    except TranslationError as error:
        row.attempts += 1
        row.error = str(error)[:500]
        session.flush()
        raise
    row.title, row.summary, row.description = title[:200], summary[:600], description
    row.source_language, row.source_hash = original.language, source_hash(original)
    row.engine, row.translated_at = service.engine[:120], utcnow()
    row.due, row.attempts, row.error = False, 0, ""
    session.flush()
    announce_listing_changed(session, [listing.id])
    return row


def follow_change(session: Session, listing_ids: Iterable[int]) -> None:
    """After a listing changed: a machine translation into a language a person now wrote goes;
    one made from an older original becomes due (the worker redoes it; readers see the original
    meanwhile)."""
    ids = list(listing_ids)
    if not ids:
        return
    human = select(ListingTranslation.id).where(ListingTranslation.listing_id == MachineTranslation.listing_id,
                                                 ListingTranslation.language == MachineTranslation.language)
    session.execute(delete(MachineTranslation).where(MachineTranslation.listing_id.in_(ids), exists(human))
                    .execution_options(synchronize_session=False))
    rows = session.scalars(select(MachineTranslation).where(MachineTranslation.listing_id.in_(ids),
                                                            MachineTranslation.translated_at.is_not(None),
                                                            MachineTranslation.due.is_(False)))
    for row in rows:
        listing = session.get(Listing, row.listing_id)
        if listing is not None and listing.translations and row.source_hash != source_hash(listing.original):
            row.due, row.attempts = True, 0


@dataclass
class TranslationReport:
    made: int = 0
    failed: int = 0
    skipped: bool = False  # the circuit breaker was open: nothing was tried


def _public(now):  # noqa: ANN001, ANN202
    return and_(Listing.status == ListingStatus.PUBLISHED, Listing.expires_at > now)


def translate_due(session: Session, config: Mapping[str, object], *, batch: int = 20) -> TranslationReport:
    """The worker's step: first what readers asked for and what an edit made stale, then the
    public listings still missing a language the operator enabled. At most ``batch``
    translations a pass, each committed on its own; stops at the first sign of a dead service."""
    report = TranslationReport()
    service = service_for(config)
    if service is None:
        return report
    now = utcnow()
    work: list[tuple[int, str]] = [tuple(row) for row in session.execute(  # type: ignore[misc]
        select(MachineTranslation.listing_id, MachineTranslation.language)
        .join(Listing, Listing.id == MachineTranslation.listing_id)
        .where(MachineTranslation.due.is_(True), MachineTranslation.attempts < MAX_ATTEMPTS, _public(now))
        .order_by(MachineTranslation.requested_at).limit(batch))]
    for language in enabled_languages(config):
        if len(work) >= batch:
            break
        human = select(ListingTranslation.id).where(ListingTranslation.listing_id == Listing.id,
                                                     ListingTranslation.language == language)
        machine = select(MachineTranslation.id).where(MachineTranslation.listing_id == Listing.id,
                                                       MachineTranslation.language == language)
        missing = session.scalars(select(Listing.id).where(_public(now), ~exists(human), ~exists(machine))
                                  .order_by(Listing.id).limit(batch - len(work)))
        work += [(listing_id, language) for listing_id in missing]
    for listing_id, language in work:
        listing = session.get(Listing, listing_id)
        if listing is None or listing.translation(language) is not None or listing.original_language == language:
            continue
        try:
            translate_now(session, listing, language, service)
        except TranslationError as error:
            session.commit()  # keep the attempt and its error
            report.failed += 1
            log.warning("machine translation of listing %s into %s failed: %s", listing_id, language, error)
            if breaker_open(config):
                report.skipped = True
                break
        else:
            session.commit()
            report.made += 1
    return report


def promote_draft(session: Session, listing: Listing, language: str) -> dict[str, str] | None:
    """The current machine translation as a draft of the author's own version (which they edit
    and save as any translation; the machine one then goes)."""
    row = stored(session, listing.id, language)
    if not is_current(row, listing):
        return None
    assert row is not None
    return {"title": row.title, "summary": row.summary, "description": row.description,
            "source_language": row.source_language, "engine": row.engine}


def waiting(session: Session, listing: Listing, language: str) -> bool:
    """A reader asked for this translation and the worker has not made it yet."""
    row = stored(session, listing.id, language)
    return row is not None and row.due and row.attempts < MAX_ATTEMPTS and not is_current(row, listing)


__all__ = ["Unwanted", "TranslationReport", "configured", "current_translations", "follow_change",
           "is_current", "promote_draft", "request_translation", "service_for", "source_hash", "stored",
           "translate_due", "translate_now", "waiting"]
