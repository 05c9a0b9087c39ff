"""A listing's whole content as plain JSON: what a revision proposes, what a moderator compares,
and what is applied when the revision is approved."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.listings.models import (
    Direction,
    FundingStatus,
    IPStatus,
    Listing,
    ListingKind,
    ListingTranslation,
)
from portal.listings.services import Content, ListingDraft, end_of_day
from portal.taxonomy.models import Center, Topic

_LISTS = ("keywords", "target_countries", "working_languages", "partner_roles")
_NUMBERS = ("trl", "participants", "age_min", "age_max")
_DATES = ("starts_on", "ends_on")


def listing_snapshot(listing: Listing) -> dict:
    return {
        "center_id": listing.center_id, "kind": listing.kind.value, "direction": listing.direction.value,
        "original_language": listing.original_language, "topic_ids": sorted(t.id for t in listing.topics),
        **{name: list(getattr(listing, name) or []) for name in _LISTS},
        **{name: getattr(listing, name) for name in _NUMBERS},
        **{name: getattr(listing, name).isoformat() if getattr(listing, name) else None for name in _DATES},
        "ip_status": listing.ip_status.value if listing.ip_status else None,
        "funding": listing.funding.value if listing.funding else None,
        "expires_on": listing.expires_at.date().isoformat(),
        "translations": {t.language: {"title": t.title, "summary": t.summary, "description": t.description}
                         for t in listing.translations},
    }


def draft_snapshot(base: dict, draft: ListingDraft) -> dict:
    """``base`` changed as the author's form says (the text of the form's language included)."""
    snapshot = dict(base)
    snapshot.update({
        "center_id": draft.center.id, "kind": draft.kind.value, "direction": draft.direction.value,
        "original_language": draft.language, "topic_ids": sorted(t.id for t in draft.topics),
        "keywords": list(draft.keywords), "target_countries": list(draft.target_countries),
        "working_languages": list(draft.working_languages), "partner_roles": list(draft.partner_roles),
        "trl": draft.trl, "participants": draft.participants, "age_min": draft.age_min, "age_max": draft.age_max,
        "starts_on": draft.starts_on.isoformat() if draft.starts_on else None,
        "ends_on": draft.ends_on.isoformat() if draft.ends_on else None,
        "ip_status": draft.ip_status.value if draft.ip_status else None,
        "funding": draft.funding.value if draft.funding else None,
        "expires_on": draft.expires_on.isoformat(),
    })
    return with_text(snapshot, draft.language, draft.content)


def with_text(base: dict, language: str, content: Content | None) -> dict:
    snapshot = dict(base)
    translations = dict(snapshot["translations"])
    if content is None:
        translations.pop(language, None)
    else:
        translations[language] = {"title": content.title, "summary": content.summary,
                                  "description": content.description}
    snapshot["translations"] = translations
    return snapshot


def apply_snapshot(session: Session, listing: Listing, snapshot: dict) -> None:
    listing.center = session.get(Center, snapshot["center_id"]) or listing.center
    listing.kind = ListingKind(snapshot["kind"])
    listing.direction = Direction(snapshot["direction"])
    listing.original_language = snapshot["original_language"]
    listing.topics = list(session.scalars(select(Topic).where(Topic.id.in_(snapshot["topic_ids"])))) \
        if snapshot["topic_ids"] else []
    for name in (*_LISTS, *_NUMBERS):
        setattr(listing, name, snapshot[name])
    for name in _DATES:
        setattr(listing, name, date.fromisoformat(snapshot[name]) if snapshot[name] else None)
    listing.ip_status = IPStatus(snapshot["ip_status"]) if snapshot["ip_status"] else None
    listing.funding = FundingStatus(snapshot["funding"]) if snapshot["funding"] else None
    listing.expires_at = end_of_day(date.fromisoformat(snapshot["expires_on"]))
    wanted = snapshot["translations"]
    for translation in list(listing.translations):
        if translation.language not in wanted:
            listing.translations.remove(translation)
    for language, text in wanted.items():
        existing = listing.translation(language)
        if existing is None:
            listing.translations.append(ListingTranslation(language=language, **text))
        else:
            existing.title, existing.summary, existing.description = text["title"], text["summary"], text["description"]


def preview(session: Session, listing: Listing, snapshot: dict) -> Listing:
    """A transient copy of ``listing`` showing ``snapshot``: rendered like the real thing, never saved."""
    copy = Listing(id=listing.id, status=listing.status, institution=listing.institution,
                   institution_id=listing.institution_id, author_id=listing.author_id,
                   published_at=listing.published_at, created_at=listing.created_at, updated_at=listing.updated_at,
                   center=listing.center, kind=listing.kind, direction=listing.direction,
                   original_language=listing.original_language, expires_at=listing.expires_at)
    with session.no_autoflush:
        apply_snapshot(session, copy, snapshot)
    return copy


@dataclass(frozen=True)
class FieldChange:
    name: str
    before: object
    after: object


def changed_fields(before: dict, after: dict) -> list[FieldChange]:
    return [FieldChange(name, before.get(name), after.get(name)) for name in sorted(after)
            if name != "translations" and before.get(name) != after.get(name)]


@dataclass(frozen=True)
class TextChange:
    language: str
    field: str
    pieces: list[tuple[str, str]]  # (kind, text): kind is "same", "removed" or "added"


def changed_texts(before: dict, after: dict) -> list[TextChange]:
    changes = []
    languages = sorted(set(before["translations"]) | set(after["translations"]))
    for language in languages:
        old = before["translations"].get(language, {})
        new = after["translations"].get(language, {})
        for field in ("title", "summary", "description"):
            if old.get(field, "") != new.get(field, ""):
                changes.append(TextChange(language, field, word_diff(old.get(field, ""), new.get(field, ""))))
    return changes


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    # Chinese has no spaces: compare it character by character, other scripts word by word.
    split = list if _mostly_cjk(old + new) else (lambda text: text.split(" "))
    joiner = "" if split is list else " "
    a, b = split(old), split(new)
    pieces = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(("same", joiner.join(a[i1:i2])))
        else:
            if i2 > i1:
                pieces.append(("removed", joiner.join(a[i1:i2])))
            if j2 > j1:
                pieces.append(("added", joiner.join(b[j1:j2])))
    return pieces


def _mostly_cjk(text: str) -> bool:
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return cjk * 2 > len(text.replace(" ", "")) > 0


def draft_from_snapshot(session: Session, snapshot: dict, language: str) -> ListingDraft:
    """The form's view of a snapshot (used to pre-fill the author's edit of a pending revision)."""
    text = snapshot["translations"].get(language) or snapshot["translations"][snapshot["original_language"]]
    return ListingDraft(
        center=session.get(Center, snapshot["center_id"]), kind=ListingKind(snapshot["kind"]),
        direction=Direction(snapshot["direction"]), language=language,
        content=Content(**text), expires_on=date.fromisoformat(snapshot["expires_on"]),
        topics=list(session.scalars(select(Topic).where(Topic.id.in_(snapshot["topic_ids"])))),
        keywords=snapshot["keywords"], target_countries=snapshot["target_countries"],
        working_languages=snapshot["working_languages"], trl=snapshot["trl"],
        ip_status=IPStatus(snapshot["ip_status"]) if snapshot["ip_status"] else None,
        starts_on=date.fromisoformat(snapshot["starts_on"]) if snapshot["starts_on"] else None,
        ends_on=date.fromisoformat(snapshot["ends_on"]) if snapshot["ends_on"] else None,
        participants=snapshot["participants"], age_min=snapshot["age_min"], age_max=snapshot["age_max"],
        partner_roles=snapshot["partner_roles"],
        funding=FundingStatus(snapshot["funding"]) if snapshot["funding"] else None,
    )
