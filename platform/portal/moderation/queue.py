"""What waits for a moderator: first submissions and edits of published listings, and
partnership projects every partner has confirmed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from portal.institutions.models import Institution
from portal.taxonomy.models import Center
from portal.listings.models import Listing, ListingStatus
from portal.moderation.models import ListingRevision, RevisionStatus
from portal.partnerships.models import Project, ProjectPartner, ProjectStatus


@dataclass(frozen=True)
class QueueFilters:
    center: str = ""
    kind: str = ""
    direction: str = ""
    language: str = ""
    country: str = ""
    type: str = ""  # "new", "edit", "project" or "" for all


@dataclass(frozen=True)
class QueueItem:
    listing: Listing
    revision: ListingRevision | None
    waiting_since: datetime

    @property
    def key(self) -> str:
        return f"r{self.revision.id}" if self.revision else f"l{self.listing.id}"

    @property
    def is_edit(self) -> bool:
        return self.revision is not None


def _scope(query, center_ids: list[int] | None, filters: QueueFilters):  # noqa: ANN001, ANN202
    if center_ids is not None:
        query = query.where(Listing.center_id.in_(center_ids))
    if filters.kind:
        query = query.where(Listing.kind == filters.kind)
    if filters.direction:
        query = query.where(Listing.direction == filters.direction)
    if filters.language:
        query = query.where(Listing.original_language == filters.language)
    if filters.country:
        query = query.where(Listing.institution_id.in_(
            select(Institution.id).where(Institution.country == filters.country)))
    if filters.center:
        query = query.where(Listing.center_id.in_(select(Center.id).where(Center.slug == filters.center)))
    return query


def queue(session: Session, center_ids: list[int] | None, filters: QueueFilters = QueueFilters()) -> list[QueueItem]:
    """Oldest first. ``center_ids`` None: every center (administrators)."""
    items: list[QueueItem] = []
    loading = (selectinload(Listing.translations), selectinload(Listing.institution), selectinload(Listing.center))
    if filters.type in ("", "new"):  # (projects: project_queue)
        listings = session.scalars(_scope(select(Listing).where(Listing.status == ListingStatus.SUBMITTED),
                                          center_ids, filters).options(*loading))
        items += [QueueItem(listing, None, listing.submitted_at or listing.updated_at) for listing in listings]
    if filters.type in ("", "edit"):
        rows = session.execute(_scope(
            select(ListingRevision, Listing).join(Listing, Listing.id == ListingRevision.listing_id)
            .where(ListingRevision.status == RevisionStatus.PENDING, Listing.status == ListingStatus.PUBLISHED),
            center_ids, filters).options(*loading))
        items += [QueueItem(listing, revision, revision.created_at) for revision, listing in rows]
    return sorted(items, key=lambda item: (item.waiting_since, item.key))


@dataclass(frozen=True)
class ProjectQueueItem:
    """A partnership project confirmed by every partner, waiting for its center's moderators."""

    project: Project
    waiting_since: datetime

    @property
    def key(self) -> str:
        return f"p{self.project.id}"


def _project_scope(query, center_ids: list[int] | None, filters: QueueFilters):  # noqa: ANN001, ANN202
    query = query.where(Project.status == ProjectStatus.SUBMITTED)
    if center_ids is not None:
        query = query.where(Project.center_id.in_(center_ids))
    if filters.kind:
        query = query.where(Project.kind == filters.kind)
    if filters.language:
        query = query.where(Project.original_language == filters.language)
    if filters.country:
        query = query.where(Project.id.in_(
            select(ProjectPartner.project_id).join(Institution, Institution.id == ProjectPartner.institution_id)
            .where(Institution.country == filters.country)))
    if filters.center:
        query = query.where(Project.center_id.in_(select(Center.id).where(Center.slug == filters.center)))
    return query


def _projects_shown(filters: QueueFilters) -> bool:
    """Projects have no direction and are neither new listings nor edits."""
    return filters.type in ("", "project") and not filters.direction


def project_queue(session: Session, center_ids: list[int] | None,
                  filters: QueueFilters = QueueFilters()) -> list[ProjectQueueItem]:
    """Oldest first, as listings."""
    if not _projects_shown(filters):
        return []
    projects = session.scalars(_project_scope(select(Project), center_ids, filters).options(
        selectinload(Project.translations), selectinload(Project.center),
        selectinload(Project.partners).selectinload(ProjectPartner.institution)))
    items = [ProjectQueueItem(project, project.submitted_at or project.updated_at) for project in projects]
    return sorted(items, key=lambda item: (item.waiting_since, item.project.id))


def counts_per_center(session: Session, center_ids: list[int] | None) -> dict[int, int]:
    """Waiting items per center, for the header and the queue's tabs."""
    counts: dict[int, int] = {}
    new = _scope(select(Listing.center_id, func.count()).where(Listing.status == ListingStatus.SUBMITTED),
                 center_ids, QueueFilters()).group_by(Listing.center_id)
    edits = _scope(select(Listing.center_id, func.count()).join(ListingRevision, ListingRevision.listing_id == Listing.id)
                   .where(ListingRevision.status == RevisionStatus.PENDING, Listing.status == ListingStatus.PUBLISHED),
                   center_ids, QueueFilters()).group_by(Listing.center_id)
    projects = _project_scope(select(Project.center_id, func.count()), center_ids, QueueFilters()).group_by(
        Project.center_id)
    for query in (new, edits, projects):
        for center_id, count in session.execute(query):
            counts[center_id] = counts.get(center_id, 0) + count
    return counts
