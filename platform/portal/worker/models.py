"""Where the worker's matching step got to in the change log, kept in the database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import Base, utcnow


class WorkerPosition(Base):
    """One row per step that follows the change log (today: ``matching``, inserted by
    migration 0011). A restarted worker, or the next ``--once`` pass from cron, resumes at
    ``token`` instead of recomputing everything; None: not followed yet, start with a full
    recompute. The worker holding the row's lock is the only one doing that step."""

    __tablename__ = "worker_positions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    token: Mapped[str | None] = mapped_column(String(32))
    updated_at: Mapped[datetime | None]
