"""Proposing, confirming, editing and deciding on partnership projects. Plain Python: the
acting user and the session are passed in; the caller commits and tells the partners.

The rules themselves are ``partnerships.rules``'. A moderator's decision is a conditional
UPDATE ("… WHERE status = 'submitted'"), as for listings: of two moderators deciding at once,
one wins and the other learns who decided first (``AlreadyDecided``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.database import utcnow
from portal.institutions.models import Institution
from portal.interests.models import Interest, InterestStatus
from portal.listings.history import RejectionReason
from portal.listings.models import ListingKind
from portal.partnerships import rules
from portal.partnerships.models import (
    FIGURES,
    Origin,
    Project,
    ProjectAction,
    ProjectEvent,
    ProjectPartner,
    ProjectStatus,
    ProjectTranslation,
    Stage,
)
from portal.taxonomy.models import Center, Topic
from portal.users.models import User
from portal.users.roles import can_moderate


class NotAllowed(Exception):
    pass


class InvalidProposal(Exception):
    """What the form should have refused: ``problem`` names it."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


class AlreadyDecided(Exception):
    def __init__(self, event: ProjectEvent | None) -> None:
        super().__init__("already decided")
        self.event = event


class Decision:
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"
    REJECT = "reject"
    ALL = (APPROVE, REQUEST_CHANGES, REJECT)


@dataclass
class ProjectDraft:
    """What the partners write: the form's values, or the seed's."""

    center: Center
    kind: ListingKind
    stage: Stage
    language: str
    title: str
    description: str
    starts_on: date
    ends_on: date | None = None
    partner_ids: list[int] = field(default_factory=list)  # the other institutions
    topics: list[Topic] = field(default_factory=list)
    show_origin: bool = False
    figures: dict[str, int | None] = field(default_factory=dict)


def acting_institution_id(user: User | None) -> int | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    institution = user.active_institution
    return institution.id if institution else None


def is_partner_member(user: User | None, project: Project) -> bool:
    return rules.is_partner(acting_institution_id(user), {p.institution_id for p in project.partners})


def can_review(user: User | None, project: Project) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and can_moderate(user, project.center) and project.status != ProjectStatus.AWAITING_PARTNERS)


def can_view(user: User | None, project: Project) -> bool:
    """Published projects are public; the others only to their partners' members and, once
    every partner confirmed, to the center's moderators."""
    return project.is_public() or is_partner_member(user, project) or can_review(user, project)


def can_propose(user: User | None) -> bool:
    return acting_institution_id(user) is not None and bool(getattr(user, "email_confirmed", False))


def can_propose_from(user: User | None, interest: Interest) -> bool:
    return can_propose(user) and rules.may_propose_from_interest(
        acting_institution_id(user), interest.listing.institution_id, interest.institution_id,
        interest.status == InterestStatus.ACCEPTED)


class ProjectService:
    def __init__(self, session: Session) -> None:
        self.session = session

    # the partners' side
    def propose(self, actor: User, draft: ProjectDraft, interest: Interest | None = None) -> Project:
        """A new project, confirmed by the proposer's institution and waiting for the others.
        From an accepted interest, the interest's other party is a partner whatever the form said."""
        own = acting_institution_id(actor)
        if interest is not None and not can_propose_from(actor, interest):
            raise NotAllowed
        if interest is None and not can_propose(actor):
            raise NotAllowed
        others = list(draft.partner_ids)
        if interest is not None:
            other_side = (interest.institution_id if own == interest.listing.institution_id
                          else interest.listing.institution_id)
            others = [other_side, *others]
        partner_ids = self._partner_ids(own, others)
        self._check(draft)
        now = utcnow()
        project = Project(center=draft.center, kind=draft.kind, stage=draft.stage,
                          status=ProjectStatus.AWAITING_PARTNERS,
                          origin=Origin.PORTAL if interest is not None else Origin.ELSEWHERE,
                          interest_id=interest.id if interest is not None else None,
                          show_origin=draft.show_origin and interest is not None,
                          original_language=draft.language, starts_on=draft.starts_on, ends_on=draft.ends_on,
                          proposed_by_id=actor.id, topics=list(draft.topics), created_at=now, updated_at=now,
                          **{name: draft.figures.get(name) for name in FIGURES})
        project.translations.append(ProjectTranslation(language=draft.language, title=draft.title,
                                                       description=draft.description))
        for institution_id in partner_ids:
            project.partners.append(ProjectPartner(
                institution_id=institution_id, invited_at=now,
                confirmed_at=now if institution_id == own else None,
                confirmed_by_id=actor.id if institution_id == own else None))
        self.session.add(project)
        self.session.flush()
        self._record(project, actor, ProjectAction.PROPOSED, to_value=project.stage.value)
        return project

    def edit(self, actor: User, project: Project, draft: ProjectDraft) -> None:
        """Change the proposal: the other partners are asked to confirm it again (they confirm
        what will be public), and a project sent back by the moderators goes through them again."""
        if not is_partner_member(actor, project) or project.status.value not in rules.EDITABLE:
            raise NotAllowed
        own = acting_institution_id(actor)
        self._check(draft)
        keep = {p.institution_id for p in project.partners}
        if project.interest is not None:  # the interest's two parties stay partners
            keep_required = {project.interest.institution_id, project.interest.listing.institution_id}
        else:
            keep_required = set()
        wanted = self._partner_ids(own, [*draft.partner_ids, *(keep_required - {own})])
        before_stage = project.stage
        project.center, project.kind, project.stage = draft.center, draft.kind, draft.stage
        project.starts_on, project.ends_on = draft.starts_on, draft.ends_on
        project.topics = list(draft.topics)
        project.show_origin = draft.show_origin and project.interest_id is not None
        for name in FIGURES:
            setattr(project, name, draft.figures.get(name))
        self._set_text(project, draft.language, draft.title, draft.description)
        now = utcnow()
        for partner in list(project.partners):
            if partner.institution_id not in wanted:
                project.partners.remove(partner)
        for institution_id in wanted - keep:
            project.partners.append(ProjectPartner(institution_id=institution_id, invited_at=now))
        self._ask_again(project, actor, own)
        self._record(project, actor, ProjectAction.EDITED)
        if before_stage != project.stage:
            self._record(project, actor, ProjectAction.STAGE_CHANGED, before_stage.value, project.stage.value)
        self._settle(project, actor)

    def set_translation(self, actor: User, project: Project, language: str, title: str, description: str) -> None:
        if not is_partner_member(actor, project) or project.status.value not in rules.EDITABLE:
            raise NotAllowed
        self._set_text(project, language, title, description)
        self._ask_again(project, actor, acting_institution_id(actor))
        self._record(project, actor, ProjectAction.EDITED, to_value=language)
        self._settle(project, actor)

    def confirm(self, actor: User, project: Project) -> bool:
        """The actor's institution confirms the project as it is; True when that was the last
        confirmation and the project went to the moderators."""
        partner = project.partner_for(acting_institution_id(actor))
        if partner is None or project.status.value not in rules.CONFIRMABLE:
            raise NotAllowed
        if partner.confirmed_at is None:
            partner.confirmed_at, partner.confirmed_by_id = utcnow(), actor.id
            self._record(project, actor, ProjectAction.CONFIRMED)
        return self._settle(project, actor)

    def decline(self, actor: User, project: Project, message: str = "") -> None:
        """The actor's institution is not a partner after all: it leaves the project; with
        fewer than two partners left, the project is withdrawn."""
        partner = project.partner_for(acting_institution_id(actor))
        if partner is None or project.status.value not in rules.EDITABLE:
            raise NotAllowed
        project.partners.remove(partner)
        self.session.flush()
        self._record(project, actor, ProjectAction.DECLINED, message=message)
        self._settle(project, actor)

    def set_progress(self, actor: User, project: Project, stage: Stage, ends_on: date | None,
                     figures: dict[str, int | None]) -> bool:
        """Stage, end date and figures of a published project; a stage change is recorded in its
        history. Returns whether anything changed."""
        if not is_partner_member(actor, project) or project.status.value not in rules.PROGRESS:
            raise NotAllowed
        if rules.dates_problem(project.starts_on, ends_on):
            raise InvalidProposal("order")
        changed = False
        if rules.stage_change(project.stage.value, stage.value):
            self._record(project, actor, ProjectAction.STAGE_CHANGED, project.stage.value, stage.value)
            project.stage = stage
            changed = True
        values = {"ends_on": ends_on, **{name: figures.get(name) for name in FIGURES}}
        if any(getattr(project, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(project, name, value)
            self._record(project, actor, ProjectAction.PROGRESS_UPDATED)
            changed = True
        if changed:
            project.updated_at = utcnow()
            self.session.flush()
        return changed

    # the moderators' side
    def decide(self, moderator: User, project: Project, decision: str, *, message: str = "",
               reason: RejectionReason | None = None) -> ProjectEvent:
        if not can_moderate(moderator, project.center):
            raise NotAllowed
        if decision not in Decision.ALL:
            raise ValueError(decision)
        if decision == Decision.REJECT and reason is None:
            raise ValueError("a rejection needs a reason")
        target = {Decision.APPROVE: ProjectStatus.PUBLISHED, Decision.REQUEST_CHANGES: ProjectStatus.CHANGES_REQUESTED,
                  Decision.REJECT: ProjectStatus.REJECTED}[decision]
        now = utcnow()
        values: dict = {"status": target, "moderation_message": message}
        if target == ProjectStatus.PUBLISHED:
            values["published_at"] = project.published_at or now
        won = self.session.execute(
            update(Project).where(Project.id == project.id, Project.status == ProjectStatus.SUBMITTED)
            .values(**values).execution_options(synchronize_session=False)).rowcount
        if not won:
            raise AlreadyDecided(self.last_decision(project.id))
        self.session.refresh(project)
        action = {Decision.APPROVE: ProjectAction.APPROVED, Decision.REQUEST_CHANGES: ProjectAction.CHANGES_REQUESTED,
                  Decision.REJECT: ProjectAction.REJECTED}[decision]
        return self._record(project, moderator, action, ProjectStatus.SUBMITTED.value, target.value,
                            message=message, reason=reason, institution=False)

    def last_decision(self, project_id: int) -> ProjectEvent | None:
        return self.session.scalar(select(ProjectEvent).where(
            ProjectEvent.project_id == project_id,
            ProjectEvent.action.in_((ProjectAction.APPROVED, ProjectAction.CHANGES_REQUESTED, ProjectAction.REJECTED)))
            .order_by(ProjectEvent.at.desc(), ProjectEvent.id.desc()))

    # helpers
    def _partner_ids(self, own: int | None, others: Sequence[int]) -> set[int]:
        if own is None:
            raise NotAllowed
        wanted = {own, *others}
        known = set(self.session.scalars(select(Institution.id).where(Institution.id.in_(wanted))))
        if known != wanted:
            raise InvalidProposal("partners")
        if not rules.MIN_PARTNERS <= len(wanted) <= rules.MAX_PARTNERS:
            raise InvalidProposal("partners")
        return wanted

    @staticmethod
    def _check(draft: ProjectDraft) -> None:
        problem = rules.dates_problem(draft.starts_on, draft.ends_on)
        if problem:
            raise InvalidProposal(problem)
        if not draft.title.strip():
            raise InvalidProposal("title")

    @staticmethod
    def _set_text(project: Project, language: str, title: str, description: str) -> None:
        existing = project.translation(language)
        if existing is None:
            project.translations.append(ProjectTranslation(language=language, title=title, description=description))
        else:
            existing.title, existing.description = title, description

    def _ask_again(self, project: Project, actor: User, own: int | None) -> None:
        """After a change, the other institutions confirm again; the editor's confirms it."""
        now = utcnow()
        for partner in project.partners:
            if partner.institution_id == own:
                partner.confirmed_at, partner.confirmed_by_id = now, actor.id
            else:
                partner.confirmed_at, partner.confirmed_by_id = None, None
        project.status = ProjectStatus.AWAITING_PARTNERS
        project.updated_at = now

    def _settle(self, project: Project, actor: User) -> bool:
        """Move the project on when its partners allow it. True when it went to the moderators."""
        self.session.flush()
        target = rules.status_after_confirmations([p.confirmed for p in project.partners])
        if target == project.status.value:
            return False
        before = project.status
        project.status = ProjectStatus(target)
        if target == rules.SUBMITTED:
            project.submitted_at = utcnow()
            self._record(project, actor, ProjectAction.SUBMITTED, before.value, target, institution=False)
            return True
        if target == rules.WITHDRAWN:
            self._record(project, actor, ProjectAction.WITHDRAWN, before.value, target, institution=False)
        return False

    def _record(self, project: Project, actor: User | None, action: ProjectAction, from_value: str = "",
                to_value: str = "", *, message: str = "", reason: RejectionReason | None = None,
                institution: bool = True) -> ProjectEvent:
        event = ProjectEvent(project_id=project.id, actor_id=actor.id if actor else None,
                             institution_id=acting_institution_id(actor) if institution else None,
                             action=action, from_value=from_value, to_value=to_value, message=message,
                             reason=reason, at=utcnow())
        self.session.add(event)
        self.session.flush()
        return event
