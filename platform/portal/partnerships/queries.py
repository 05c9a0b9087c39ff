"""What the public may see of partnership projects: only published ones, ever."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from portal.institutions.models import Institution
from portal.partnerships import rules
from portal.partnerships.models import Project, ProjectPartner, ProjectStatus, ProjectTranslation, project_topics
from portal.taxonomy.models import Center, Topic

MAX_QUERY_CHARS = 200


def public_projects() -> Select[tuple[Project]]:
    """Published projects with what a card and a page show."""
    return (select(Project).where(Project.status == ProjectStatus.PUBLISHED)
            .options(selectinload(Project.translations), selectinload(Project.center), selectinload(Project.topics),
                     selectinload(Project.partners).selectinload(ProjectPartner.institution)))


def newest_first(query: Select) -> Select:
    return query.order_by(Project.published_at.desc(), Project.id.desc())


def latest_public(session: Session, limit: int = 4, center_id: int | None = None) -> Sequence[Project]:
    query = public_projects()
    if center_id is not None:
        query = query.where(Project.center_id == center_id)
    return session.scalars(newest_first(query).limit(limit)).all()


def public_projects_of(session: Session, institution_id: int, limit: int = 50) -> Sequence[Project]:
    partner = select(ProjectPartner.project_id).where(ProjectPartner.institution_id == institution_id)
    return session.scalars(newest_first(public_projects().where(Project.id.in_(partner))).limit(limit)).all()


def projects_of(session: Session, institution_id: int) -> Sequence[Project]:
    """Every project an institution is a partner in, whatever its status (for its members)."""
    partner = select(ProjectPartner.project_id).where(ProjectPartner.institution_id == institution_id)
    return session.scalars(select(Project).where(Project.id.in_(partner))
                           .options(selectinload(Project.translations), selectinload(Project.partners))
                           .order_by(Project.updated_at.desc(), Project.id.desc())).all()


def projects_of_interest(session: Session, interest_id: int) -> Sequence[Project]:
    return session.scalars(select(Project).where(Project.interest_id == interest_id)
                           .options(selectinload(Project.translations)).order_by(Project.id)).all()


def facts(session: Session) -> list[rules.ProjectFacts]:
    """Every published project as the facets see it: four small queries, whatever the count."""
    rows = session.execute(select(Project.id, Center.slug, Project.kind, Project.stage)
                           .join(Center, Center.id == Project.center_id)
                           .where(Project.status == ProjectStatus.PUBLISHED)).all()
    ids = [row[0] for row in rows]
    countries: dict[int, list[str]] = {}
    topics: dict[int, list[str]] = {}
    if ids:
        published = select(Project.id).where(Project.status == ProjectStatus.PUBLISHED)
        for project_id, country in session.execute(
                select(ProjectPartner.project_id, Institution.country)
                .join(Institution, Institution.id == ProjectPartner.institution_id)
                .where(ProjectPartner.project_id.in_(published))):
            countries.setdefault(project_id, []).append(country)
        for project_id, slug in session.execute(
                select(project_topics.c.project_id, Topic.slug).join(Topic, Topic.id == project_topics.c.topic_id)
                .where(project_topics.c.project_id.in_(published))):
            topics.setdefault(project_id, []).append(slug)
    return [rules.ProjectFacts(id=project_id, center=center, kind=kind.value, stage=stage.value,
                               pairs=tuple(rules.country_pairs(countries.get(project_id, []))),
                               topics=tuple(sorted(topics.get(project_id, []))))
            for project_id, center, kind, stage in rows]


def matching_text(session: Session, text: str) -> set[int]:
    """Published projects whose title or description (any language) or a partner's name
    contains every word of ``text``, case-insensitively."""
    words = [word for word in text.lower().split() if word][:10]
    query = select(Project.id).where(Project.status == ProjectStatus.PUBLISHED)
    for word in words:
        pattern = f"%{_escape(word)}%"
        in_text = select(ProjectTranslation.project_id).where(or_(
            func.lower(ProjectTranslation.title).like(pattern, escape="\\"),
            func.lower(ProjectTranslation.description).like(pattern, escape="\\")))
        in_partner = (select(ProjectPartner.project_id).join(Institution, Institution.id == ProjectPartner.institution_id)
                      .where(func.lower(Institution.name).like(pattern, escape="\\")))
        query = query.where(or_(Project.id.in_(in_text), Project.id.in_(in_partner)))
    return set(session.scalars(query))


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def page_of(session: Session, ids: Sequence[int], offset: int, limit: int) -> list[Project]:
    """One page of the given published projects, newest first."""
    if not ids:
        return []
    return list(session.scalars(newest_first(public_projects().where(Project.id.in_(list(ids))))
                                .offset(offset).limit(limit)))


class Found:
    def __init__(self, total: int, projects: list[Project], facets: dict[str, list[tuple[str, int]]]) -> None:
        self.total, self.projects, self.facets = total, projects, facets


def find_projects(session: Session, q: str, selected: dict[str, list[str]], offset: int, limit: int) -> Found:
    """The projects page's and the API's search: words, then facets (``rules.facet``)."""
    among = matching_text(session, q[:MAX_QUERY_CHARS]) if q.strip() else None
    faceted = rules.facet(facts(session), selected, among)
    return Found(len(faceted.ids), page_of(session, faceted.ids, offset, limit), faceted.facets)
