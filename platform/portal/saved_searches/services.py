"""Saved searches: keeping them, and finding what is new for an alert. Plain Python."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.saved_searches.models import Alert, SavedSearch

MAX_PER_USER = 50


class TooManySaved(Exception):
    pass


def canonical_query(args: dict[str, object]) -> str:
    """A search's query string (``SearchParams.to_args()``) in a stable order."""
    return urlencode(sorted(args.items()), doseq=True)


def query_args(saved: SavedSearch) -> dict[str, list[str]]:
    return parse_qs(saved.query, keep_blank_values=False)


def save(session: Session, user_id: int, name: str, query: str, alert: Alert) -> SavedSearch:
    count = session.scalar(select(func.count()).select_from(SavedSearch).where(SavedSearch.user_id == user_id)) or 0
    if count >= MAX_PER_USER:
        raise TooManySaved
    saved = SavedSearch(user_id=user_id, name=name, query=query, alert=alert)
    session.add(saved)
    session.flush()
    return saved


def of_user(session: Session, user_id: int) -> list[SavedSearch]:
    return list(session.scalars(select(SavedSearch).where(SavedSearch.user_id == user_id)
                                .order_by(SavedSearch.created_at.desc(), SavedSearch.id.desc())))


def owned(session: Session, user_id: int, saved_search_id: int) -> SavedSearch | None:
    saved = session.get(SavedSearch, saved_search_id)
    return saved if saved is not None and saved.user_id == user_id else None


def with_alert(session: Session, user_id: int, alert: Alert) -> list[SavedSearch]:
    return list(session.scalars(select(SavedSearch).where(SavedSearch.user_id == user_id, SavedSearch.alert == alert)
                                .order_by(SavedSearch.id)))


def users_with_alerts(session: Session, alert: Alert) -> list[int]:
    return list(session.scalars(select(SavedSearch.user_id).where(SavedSearch.alert == alert).distinct()))

