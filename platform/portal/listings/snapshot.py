"""A listing's whole content as plain JSON: what a revision proposes, what a moderator compares,
and what is applied when the revision is approved."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from sqlalchemy.orm import Session

from portal.listings import schema
from portal.listings.schema import Content, ListingDraft
from portal.listings.models import Listing, ListingTranslation

# The keys and their JSON come from the declared fields (listings/schema.py). A revision stored
# before a field existed lacks its key and applies as if the field were empty.


def listing_snapshot(listing: Listing) -> dict:
    return {**schema.to_snapshot(schema.values_of(listing)),
            "translations": {t.language: schema.text_of(t) for t in listing.translations}}


def draft_snapshot(base: dict, draft: ListingDraft) -> dict:
    """``base`` changed as the author's form says (the text of the form's language included).
    Fields of another kind are emptied here already, so the moderator's diff shows what applies."""
    snapshot = dict(base)
    snapshot.update(schema.to_snapshot(schema.applicable(schema.draft_values(draft))))
    return with_text(snapshot, draft.language, draft.content)


def with_text(base: dict, language: str, content: Content | None) -> dict:
    snapshot = dict(base)
    translations = dict(snapshot["translations"])
    if content is None:
        translations.pop(language, None)
    else:
        translations[language] = schema.text_of(content)
    snapshot["translations"] = translations
    return snapshot


def apply_snapshot(session: Session, listing: Listing, snapshot: dict) -> None:
    values = schema.from_snapshot(session, snapshot)
    values["center"] = values["center"] or listing.center  # a center deleted since keeps the old one
    schema.apply_values(listing, values)
    wanted = snapshot["translations"]
    for translation in list(listing.translations):
        if translation.language not in wanted:
            listing.translations.remove(translation)
    for language, text in wanted.items():
        texts = _texts(text)
        existing = listing.translation(language)
        if existing is None:
            listing.translations.append(ListingTranslation(language=language, **texts))
        else:
            for name, value in texts.items():
                setattr(existing, name, value)


def _texts(text: dict) -> dict:
    """A stored text's values for the fields declared now (a missing one is empty)."""
    return {field.name: text.get(field.name, "") for field in schema.text_fields()}


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
        for field in (text_field.name for text_field in schema.text_fields()):
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
    values = {**schema.from_snapshot(session, snapshot), "language": language}
    return ListingDraft(content=Content(**_texts(text)), **values)
