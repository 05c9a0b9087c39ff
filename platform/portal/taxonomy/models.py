from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import Base
from portal.i18n.languages import DEFAULT_LANGUAGE


class LabelledMixin:
    """Rows whose label is data in every portal language (``{"en": …, "zh": …}``)."""

    slug: Mapped[str]
    names: Mapped[dict[str, str]]

    def label(self, language: str) -> str:
        return self.names.get(language) or self.names.get(DEFAULT_LANGUAGE) or self.slug


class Center(LabelledMixin, Base):
    """A cooperation center of the Astana Declaration. A new center is a row, not code."""

    __tablename__ = "centers"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    names: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    descriptions: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)

    topics: Mapped[list[Topic]] = relationship(back_populates="center", order_by="Topic.slug")

    def description(self, language: str) -> str:
        return self.descriptions.get(language) or self.descriptions.get(DEFAULT_LANGUAGE) or ""


class Topic(LabelledMixin, Base):
    """A sector or topic of the taxonomy (``drip-irrigation``, ``solar-power``…)."""

    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    center_id: Mapped[int | None] = mapped_column(ForeignKey("centers.id", ondelete="SET NULL"))
    names: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)

    center: Mapped[Center | None] = relationship(back_populates="topics")
