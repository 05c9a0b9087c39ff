"""A partnership project, its partner institutions, its texts in several languages, its topics
and its history (every proposal, confirmation, decision and stage change is an event)."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Column, Date, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import Base, db_enum, utcnow
from portal.listings.history import RejectionReason
from portal.listings.models import ListingKind

if TYPE_CHECKING:
    from portal.institutions.models import Institution
    from portal.interests.models import Interest
    from portal.taxonomy.models import Center, Topic
    from portal.users.models import User


class Stage(enum.StrEnum):
    TALKS = "talks"
    AGREEMENT_SIGNED = "agreement_signed"
    RUNNING = "running"
    COMPLETED = "completed"

    @property
    def label(self) -> str:
        return str(STAGE_LABELS[self])


STAGE_LABELS = {
    Stage.TALKS: _l("Talks"),
    Stage.AGREEMENT_SIGNED: _l("Agreement signed"),
    Stage.RUNNING: _l("Project running"),
    Stage.COMPLETED: _l("Completed"),
}


class ProjectStatus(enum.StrEnum):
    AWAITING_PARTNERS = "awaiting_partners"  # proposed: not every partner has confirmed yet
    SUBMITTED = "submitted"                  # every partner confirmed: in the moderation queue
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"                  # fewer than two partners remained

    @property
    def label(self) -> str:
        return str(PROJECT_STATUS_LABELS[self])


PROJECT_STATUS_LABELS = {
    ProjectStatus.AWAITING_PARTNERS: _l("Waiting for the partners' confirmation"),
    ProjectStatus.SUBMITTED: _l("Submitted for review"),
    ProjectStatus.CHANGES_REQUESTED: _l("Changes requested"),
    ProjectStatus.REJECTED: _l("Rejected"),
    ProjectStatus.PUBLISHED: _l("Published"),
    ProjectStatus.WITHDRAWN: _l("Withdrawn"),
}


class Origin(enum.StrEnum):
    """Where the cooperation started: through the portal (an accepted interest) or elsewhere.
    The portal's own results are counted apart from the others."""

    PORTAL = "portal"
    ELSEWHERE = "elsewhere"

    @property
    def label(self) -> str:
        return str(ORIGIN_LABELS[self])


ORIGIN_LABELS = {
    Origin.PORTAL: _l("Found through the platform"),
    Origin.ELSEWHERE: _l("Started outside the platform"),
}


class ProjectAction(enum.StrEnum):
    PROPOSED = "proposed"
    EDITED = "edited"
    PARTNER_INVITED = "partner_invited"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    STAGE_CHANGED = "stage_changed"
    PROGRESS_UPDATED = "progress_updated"

    @property
    def label(self) -> str:
        return str(PROJECT_ACTION_LABELS[self])


PROJECT_ACTION_LABELS = {
    ProjectAction.PROPOSED: _l("Proposed"),
    ProjectAction.EDITED: _l("Edited"),
    ProjectAction.PARTNER_INVITED: _l("Partner invited"),
    ProjectAction.CONFIRMED: _l("Confirmed by a partner"),
    ProjectAction.DECLINED: _l("Declined by a partner"),
    ProjectAction.SUBMITTED: _l("Submitted for review"),
    ProjectAction.APPROVED: _l("Approved"),
    ProjectAction.CHANGES_REQUESTED: _l("Changes requested"),
    ProjectAction.REJECTED: _l("Rejected"),
    ProjectAction.WITHDRAWN: _l("Withdrawn"),
    ProjectAction.STAGE_CHANGED: _l("Stage changed"),
    ProjectAction.PROGRESS_UPDATED: _l("Figures updated"),
}

#: The optional figures a project reports, in the order pages show them.
FIGURES = ("students_exchanged", "hectares_restored", "people_trained", "funding_secured")
FIGURE_LABELS = {
    "students_exchanged": _l("Students exchanged"),
    "hectares_restored": _l("Hectares restored"),
    "people_trained": _l("People trained"),
    "funding_secured": _l("Funding secured (US dollars)"),
}


project_topics = Table(
    "project_topics",
    Base.metadata,
    Column("project_id", Integer, ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", Integer, ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True),
)


class Project(Base):
    __tablename__ = "projects"
    __table_args__ = (Index("ix_projects_status_published", "status", "published_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"), index=True)
    kind: Mapped[ListingKind] = mapped_column(db_enum(ListingKind, "project_kind"))
    stage: Mapped[Stage] = mapped_column(db_enum(Stage, "project_stage"), default=Stage.TALKS)
    status: Mapped[ProjectStatus] = mapped_column(db_enum(ProjectStatus, "project_status"),
                                                  default=ProjectStatus.AWAITING_PARTNERS, index=True)
    origin: Mapped[Origin] = mapped_column(db_enum(Origin, "project_origin"), default=Origin.ELSEWHERE)
    # The accepted expression of interest it grew from (origin "portal").
    interest_id: Mapped[int | None] = mapped_column(ForeignKey("interests.id", ondelete="SET NULL"), index=True)
    # The partners agreed to show the listing and the interest it grew from on its public page.
    show_origin: Mapped[bool] = mapped_column(Boolean, default=False)
    original_language: Mapped[str] = mapped_column(String(8))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    students_exchanged: Mapped[int | None] = mapped_column(Integer)
    hectares_restored: Mapped[int | None] = mapped_column(Integer)
    people_trained: Mapped[int | None] = mapped_column(Integer)
    funding_secured: Mapped[int | None] = mapped_column(Integer)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    moderation_message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    # Seed data stays idempotent with it; ordinary projects leave it empty.
    external_key: Mapped[str | None] = mapped_column(String(120), unique=True)

    center: Mapped[Center] = relationship()
    interest: Mapped[Interest | None] = relationship()
    proposed_by: Mapped[User | None] = relationship()
    partners: Mapped[list[ProjectPartner]] = relationship(back_populates="project", cascade="all, delete-orphan",
                                                          order_by="ProjectPartner.id")
    translations: Mapped[list[ProjectTranslation]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="ProjectTranslation.id")
    topics: Mapped[list[Topic]] = relationship(secondary=project_topics, order_by="Topic.slug")
    events: Mapped[list[ProjectEvent]] = relationship(back_populates="project", cascade="all, delete-orphan",
                                                      order_by="ProjectEvent.id")

    def translation(self, language: str) -> ProjectTranslation | None:
        return next((t for t in self.translations if t.language == language), None)

    @property
    def original(self) -> ProjectTranslation:
        return self.translation(self.original_language) or self.translations[0]

    def content_for(self, language: str) -> ProjectTranslation:
        """The reader's language when the project has it, else the original."""
        return self.translation(language) or self.original

    @property
    def languages(self) -> list[str]:
        return [t.language for t in self.translations]

    @property
    def institutions(self) -> list[Institution]:
        return [partner.institution for partner in self.partners]

    def partner_for(self, institution_id: int | None) -> ProjectPartner | None:
        return next((p for p in self.partners if p.institution_id == institution_id), None)

    def is_public(self) -> bool:
        return self.status == ProjectStatus.PUBLISHED

    def figures(self) -> list[tuple[str, int]]:
        return [(name, getattr(self, name)) for name in FIGURES if getattr(self, name) is not None]


class ProjectTranslation(Base):
    """One language version of a project's title and short public description."""

    __tablename__ = "project_translations"
    __table_args__ = (UniqueConstraint("project_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")

    project: Mapped[Project] = relationship(back_populates="translations")


class ProjectPartner(Base):
    """A partner institution; ``confirmed_at`` once a member of it confirmed the project as it is."""

    __tablename__ = "project_partners"
    __table_args__ = (UniqueConstraint("project_id", "institution_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id", ondelete="CASCADE"), index=True)
    confirmed_at: Mapped[datetime | None]
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)

    project: Mapped[Project] = relationship(back_populates="partners")
    institution: Mapped[Institution] = relationship()
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class ProjectEvent(Base):
    """The project's history: who did what, when; a stage change keeps both stages."""

    __tablename__ = "project_events"
    __table_args__ = (Index("ix_project_events_project_at", "project_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id", ondelete="SET NULL"))
    action: Mapped[ProjectAction] = mapped_column(db_enum(ProjectAction, "project_action"))
    from_value: Mapped[str] = mapped_column(String(32), default="")
    to_value: Mapped[str] = mapped_column(String(32), default="")
    reason: Mapped[RejectionReason | None] = mapped_column(db_enum(RejectionReason, "project_rejection_reason"))
    message: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)

    project: Mapped[Project] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
    institution: Mapped[Institution | None] = relationship()

    @property
    def stages(self) -> tuple[Stage | None, Stage | None]:
        """For a stage change: (before, after)."""
        def parse(value: str) -> Stage | None:
            return Stage(value) if value in Stage._value2member_map_ else None
        return parse(self.from_value), parse(self.to_value)
