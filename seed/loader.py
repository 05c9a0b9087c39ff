"""Idempotent loader for the demo data in this folder (``flask --app wsgi seed``).

Rows are matched on natural keys (centers and topics by slug, institutions by exact name,
users by email, listings by ``external_key = "seed:<key>"``) and brought in line with the TOML
files, so a second run creates nothing and changes nothing.

Lifecycle state is only set when a row is created: passwords, email confirmation, institution
verification, listing status and dates. Re-seeding a demo that people have clicked through
therefore neither undoes their moderation nor makes the dates drift. The loader only flushes;
the caller commits.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from portal.users.models import MembershipStatus, Role, User, normalize_email
from portal.users.roles import grant_moderation
from portal.database import utcnow
from portal.institutions.models import Institution, InstitutionType, VerificationStatus
from portal.listings.models import (Direction, FundingStatus, IPStatus, Listing, ListingKind,
                                   ListingStatus, ListingTranslation, PartnerRole)
from portal.interests.models import Interest, InterestStatus
from portal.partnerships.models import (FIGURES, Origin, Project, ProjectAction, ProjectEvent,
                                        ProjectPartner, ProjectStatus, ProjectTranslation, Stage)
from portal.taxonomy.models import Center, Topic

#: The one password of every seeded account (also written in users.toml).
DEMO_PASSWORD = "demo-password-2025"
EXTERNAL_KEY_PREFIX = "seed:"
SEED_DIR = Path(__file__).resolve().parent
KINDS = ("centers", "topics", "institutions", "users", "listings", "translations", "interests", "projects",
         "project texts")
#: Optional ``[listing.details]`` fields and how to read them. No event dates: fixed dates
#: would go stale in a long-lived demo.
LISTING_DETAILS: dict[str, Callable[[Any], Any]] = {
    "keywords": list, "target_countries": list, "working_languages": list,
    "trl": int, "ip_status": IPStatus, "participants": int, "age_min": int, "age_max": int,
    "partner_roles": lambda roles: [PartnerRole(role).value for role in roles],
    "funding": FundingStatus,
}

M = TypeVar("M")


@dataclass
class SeedReport:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    accounts: list[str] = field(default_factory=list)

    def record(self, kind: str, *, created: bool, changed: bool) -> None:
        if created:
            self.created[kind] += 1
        elif changed:
            self.updated[kind] += 1

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated)

    def describe(self) -> str:
        lines = ["Seed data:"]
        lines += [f"  {kind:<13} {self.created[kind]:>3} created, {self.updated[kind]:>3} updated"
                  for kind in KINDS]
        if not self.changed_anything:
            lines.append("  Nothing to do: the database already matches the seed files.")
        lines.append(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        lines += [f"  {account}" for account in self.accounts]
        return "\n".join(lines)


def load_seed(session: Session, app: Flask) -> SeedReport:
    report = SeedReport()
    centers = _load_centers(session, report)
    topics = _load_topics(session, centers, report)
    institutions = _load_institutions(session, report)
    users = _load_users(session, app.config["PASSWORD_HASH_METHOD"], institutions, centers, report)
    _load_listings(session, centers, topics, institutions, users, report)
    session.flush()
    _load_partnerships(session, centers, topics, institutions, users, report)
    session.flush()
    return report


def _read(name: str) -> dict[str, Any]:
    with (SEED_DIR / name).open("rb") as file:
        return tomllib.load(file)


def _sync(obj: object, values: dict[str, Any]) -> bool:
    """Set the attributes that differ; report whether any did."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _upsert(session: Session, model: type[M], key: dict[str, Any], values: dict[str, Any],
            on_create: Callable[[], dict[str, Any]] | None = None) -> tuple[M, bool, bool]:
    """Return ``(row, created, changed)``; ``on_create`` adds values only a new row gets."""
    row = session.scalar(select(model).filter_by(**key))
    if row is None:
        row = model(**key, **values, **(on_create() if on_create else {}))
        session.add(row)
        return row, True, False
    return row, False, _sync(row, values)


def _load_centers(session: Session, report: SeedReport) -> dict[str, Center]:
    centers = {}
    for row in _read("centers.toml")["center"]:
        center, created, changed = _upsert(session, Center, {"slug": row["slug"]}, {
            "position": row["position"], "names": row["names"], "descriptions": row["descriptions"],
        })
        report.record("centers", created=created, changed=changed)
        centers[center.slug] = center
    return centers


def _load_topics(session: Session, centers: dict[str, Center],
                 report: SeedReport) -> dict[str, Topic]:
    topics = {}
    for row in _read("topics.toml")["topic"]:
        center = centers[row["center"]] if "center" in row else None
        topic, created, changed = _upsert(session, Topic, {"slug": row["slug"]},
                                          {"center": center, "names": row["names"]})
        report.record("topics", created=created, changed=changed)
        topics[topic.slug] = topic
    return topics


def _load_institutions(session: Session, report: SeedReport) -> dict[str, Institution]:
    institutions = {}
    for row in _read("institutions.toml")["institution"]:
        institution, created, changed = _upsert(
            session, Institution, {"name": row["name"]},
            {"type": InstitutionType(row["type"]), "country": row["country"], "city": row["city"],
             "website": row["website"], "description": row["description"]},
            on_create=partial(dict, verification=VerificationStatus(row["verification"])),
        )
        report.record("institutions", created=created, changed=changed)
        institutions[row["key"]] = institution
    return institutions


def _load_users(session: Session, hash_method: str, institutions: dict[str, Institution],
                centers: dict[str, Center], report: SeedReport) -> dict[str, User]:
    def credentials() -> dict[str, Any]:
        return {"password_hash": generate_password_hash(DEMO_PASSWORD, method=hash_method),
                "email_confirmed_at": utcnow()}

    users = {}
    for row in _read("users.toml")["user"]:
        institution = institutions[row["institution"]] if "institution" in row else None
        membership = MembershipStatus(row.get("membership", "active")) if institution else None
        user, created, changed = _upsert(session, User, {"email": normalize_email(row["email"])}, {
            "display_name": row["display_name"],
            "preferred_language": row["preferred_language"],
            "role": Role(row.get("role", "member")),
            "institution": institution,
            "membership_status": membership,
            "is_institution_admin": row.get("is_institution_admin", False),
        }, on_create=credentials)
        missing_scopes = [centers[slug] for slug in row.get("moderates", [])
                          if centers[slug] not in user.moderated_centers]
        if missing_scopes:
            grant_moderation(user, missing_scopes)
            changed = True
        report.record("users", created=created, changed=changed)
        report.accounts.append(_describe_account(user))
        users[user.email] = user
    return users


def _describe_account(user: User) -> str:
    if user.role == Role.ADMIN:
        what = "administrator"
    elif user.role == Role.MODERATOR:
        what = "moderator of " + ", ".join(center.slug for center in user.moderated_centers)
    elif user.institution is None:
        what = "member"
    else:
        what = "institution admin" if user.is_institution_admin else "member"
        if user.membership_status == MembershipStatus.PENDING:
            what += " (join request pending)"
        what += f" at {user.institution.name}"
    return f"{user.email:<40} {what}"


def _listing_lifecycle(row: dict[str, Any], now: datetime) -> dict[str, Any]:
    status = ListingStatus(row["status"])
    expires_at = now + timedelta(days=row["expires_in_days"])
    published_at = None
    if status in (ListingStatus.PUBLISHED, ListingStatus.EXPIRED):
        published_at = now - timedelta(days=row["published_days_ago"])
        if expires_at <= now:
            status = ListingStatus.EXPIRED
    created_at = published_at or now
    return {"status": status, "published_at": published_at, "expires_at": expires_at,
            "created_at": created_at, "updated_at": created_at}


def _listing_details(row: dict[str, Any]) -> dict[str, Any]:
    details = row.get("details", {})
    unknown = details.keys() - LISTING_DETAILS.keys()
    if unknown:
        raise ValueError(f"listing {row['key']}: unknown details {sorted(unknown)}")
    return {name: LISTING_DETAILS[name](value) for name, value in details.items()}


def _load_listings(session: Session, centers: dict[str, Center], topics: dict[str, Topic],
                   institutions: dict[str, Institution], users: dict[str, User],
                   report: SeedReport) -> None:
    now = utcnow()
    for path in sorted(SEED_DIR.glob("listings_*.toml")):
        for row in _read(path.name)["listing"]:
            if row["original_language"] not in row["translations"]:
                raise ValueError(f"{path.name}: listing {row['key']} lacks its original text")
            listing, created, changed = _upsert(
                session, Listing, {"external_key": EXTERNAL_KEY_PREFIX + row["key"]},
                {"center": centers[row["center"]],
                 "kind": ListingKind(row["kind"]),
                 "direction": Direction(row["direction"]),
                 "institution": institutions[row["institution"]],
                 "author": users[normalize_email(row["author"])],
                 "original_language": row["original_language"],
                 **_listing_details(row)},
                on_create=partial(_listing_lifecycle, row, now),
            )
            wanted_topics = [topics[slug] for slug in row["topics"]]
            if set(listing.topics) != set(wanted_topics):
                listing.topics = wanted_topics
                changed = True
            report.record("listings", created=created, changed=changed)
            _sync_translations(listing, row["translations"], report)


def _sync_translations(listing: Listing, texts: dict[str, dict[str, str]],
                       report: SeedReport) -> None:
    # Translations added through the portal (languages absent from the seed) are left alone.
    for language, text in texts.items():
        values = {"title": text["title"], "summary": text["summary"],
                  "description": text["description"].strip()}
        translation = listing.translation(language)
        if translation is None:
            listing.translations.append(ListingTranslation(language=language, **values))
            report.record("translations", created=True, changed=True)
        else:
            report.record("translations", created=False, changed=_sync(translation, values))


# Partnership projects (partnerships.toml) and the accepted interests some grew from.

def _load_partnerships(session: Session, centers: dict[str, Center], topics: dict[str, Topic],
                       institutions: dict[str, Institution], users: dict[str, User],
                       report: SeedReport) -> None:
    now = utcnow()
    data = _read("partnerships.toml")
    interests: dict[str, Interest] = {}
    for row in data.get("interest", []):
        listing = session.scalar(select(Listing).where(Listing.external_key == EXTERNAL_KEY_PREFIX + row["listing"]))
        if listing is None:
            raise ValueError(f"partnerships.toml: interest {row['key']} names an unknown listing")
        sent_at = now - timedelta(days=row["days_ago"])
        interest, created, changed = _upsert(
            session, Interest, {"listing_id": listing.id, "institution_id": institutions[row["institution"]].id},
            {"message": row["message"].strip()},
            on_create=partial(dict, sender=users[normalize_email(row["sender"])], status=InterestStatus.ACCEPTED,
                              created_at=sent_at, decided_at=sent_at + timedelta(days=2)))
        report.record("interests", created=created, changed=changed)
        interests[row["key"]] = interest
    session.flush()
    for row in data.get("project", []):
        interest = interests[row["interest"]] if "interest" in row else None
        project, created, changed = _upsert(
            session, Project, {"external_key": EXTERNAL_KEY_PREFIX + row["key"]},
            {"center": centers[row["center"]], "kind": ListingKind(row["kind"]),
             "origin": Origin.PORTAL if interest is not None else Origin.ELSEWHERE,
             "interest": interest, "show_origin": bool(row.get("show_origin", False)),
             "original_language": row["original_language"]},
            on_create=partial(_project_lifecycle, row, now))
        wanted_topics = [topics[slug] for slug in row.get("topics", [])]
        if set(project.topics) != set(wanted_topics):
            project.topics = wanted_topics
            changed = True
        if row["original_language"] not in row["translations"]:
            raise ValueError(f"partnerships.toml: project {row['key']} lacks its original text")
        for language, text in row["translations"].items():
            values = {"title": text["title"], "description": text["description"].strip()}
            translation = project.translation(language)
            if translation is None:
                project.translations.append(ProjectTranslation(language=language, **values))
                report.record("project texts", created=True, changed=True)
            else:
                report.record("project texts", created=False, changed=_sync(translation, values))
        if created:
            _project_history(project, row, institutions, users, now)
        report.record("projects", created=created, changed=changed)


def _project_lifecycle(row: dict[str, Any], now: datetime) -> dict[str, Any]:
    """What only a new project gets: its stage, status, dates and figures."""
    stages = row["stages"]
    first_days = stages[0][1]
    status = ProjectStatus(row["status"])
    proposed_at = now - timedelta(days=first_days + 2)
    published_at = now - timedelta(days=first_days) if status == ProjectStatus.PUBLISHED else None
    starts = row.get("starts_days_ago", first_days)
    ends = row.get("ends_days_ago")
    return {"stage": Stage(stages[-1][0]), "status": status,
            "starts_on": (now - timedelta(days=starts)).date(),
            "ends_on": (now - timedelta(days=ends)).date() if ends is not None else None,
            "created_at": proposed_at, "updated_at": now - timedelta(days=stages[-1][1]),
            "submitted_at": proposed_at + timedelta(days=1) if status != ProjectStatus.AWAITING_PARTNERS else None,
            "published_at": published_at,
            **{name: row.get(name) for name in FIGURES}}


def _project_history(project: Project, row: dict[str, Any], institutions: dict[str, Institution],
                     users: dict[str, User], now: datetime) -> None:
    """Partners with their confirmations, and the events a project in this state went through."""
    proposer = users[normalize_email(row["proposer"])]
    project.proposed_by = proposer
    confirmed = set(row.get("confirmed", row["institutions"]))
    proposed_at = project.created_at
    for key in row["institutions"]:
        institution = institutions[key]
        project.partners.append(ProjectPartner(
            institution=institution, invited_at=proposed_at,
            confirmed_at=proposed_at + timedelta(hours=6) if key in confirmed else None,
            confirmed_by=proposer if institution.id == proposer.institution_id else None))
    stages = row["stages"]

    def event(action: ProjectAction, at: datetime, **values: Any) -> None:
        project.events.append(ProjectEvent(action=action, at=at, **values))

    event(ProjectAction.PROPOSED, proposed_at, actor=proposer, institution=proposer.institution,
          to_value=stages[0][0])
    for key in row["institutions"]:
        if key in confirmed and institutions[key].id != proposer.institution_id:
            event(ProjectAction.CONFIRMED, proposed_at + timedelta(hours=6), institution=institutions[key])
    if project.status != ProjectStatus.AWAITING_PARTNERS:
        event(ProjectAction.SUBMITTED, proposed_at + timedelta(days=1), from_value="awaiting_partners",
              to_value="submitted")
    if project.status == ProjectStatus.PUBLISHED:
        event(ProjectAction.APPROVED, project.published_at, from_value="submitted", to_value="published")
    for (before, _), (after, days_ago) in zip(stages, stages[1:]):
        event(ProjectAction.STAGE_CHANGED, now - timedelta(days=days_ago), institution=proposer.institution,
              from_value=before, to_value=after)
