from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, Column, Date, ForeignKey, Index, String, Table, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, SoftDeleteMixin, TimestampMixin, VersionedMixin, enum_check
from app.models.enums import PdsaAct, PdsaStatus, Rag

if TYPE_CHECKING:
    from app.models.initiative import Initiative
    from app.models.measure import Measure
    from app.models.user import User

pdsa_cycle_measures = Table(
    "pdsa_cycle_measures",
    Base.metadata,
    Column("pdsa_cycle_id", ForeignKey("pdsa_cycles.id", ondelete="CASCADE"), primary_key=True),
    Column("measure_id", ForeignKey("measures.id", ondelete="CASCADE"), primary_key=True),
)


class PdsaCycle(VersionedMixin, SoftDeleteMixin, TimestampMixin, Base):
    __tablename__ = "pdsa_cycles"
    __table_args__ = (enum_check("status", PdsaStatus), enum_check("act", PdsaAct, nullable=True))

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    previous_cycle_id: Mapped[int | None] = mapped_column(ForeignKey("pdsa_cycles.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    change_idea: Mapped[str] = mapped_column(Text, default="")
    plan: Mapped[str] = mapped_column(Text, default="")
    prediction: Mapped[str] = mapped_column(Text, default="")
    do_notes: Mapped[str] = mapped_column(Text, default="")
    study_notes: Mapped[str] = mapped_column(Text, default="")
    act: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default=PdsaStatus.PLANNED.value)
    started_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    # A cycle that changed the process starts a new chart phase: centre and limits are recomputed from it.
    new_phase: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    initiative: Mapped["Initiative"] = relationship()
    previous_cycle: Mapped["PdsaCycle | None"] = relationship(remote_side=[id])
    measures: Mapped[list["Measure"]] = relationship(secondary=pdsa_cycle_measures, order_by="Measure.id")


class Lesson(VersionedMixin, SoftDeleteMixin, TimestampMixin, Base):
    """ "Detta har vi lärt oss": one lesson learned by the team."""

    __tablename__ = "lessons"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    lesson_date: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    initiative: Mapped["Initiative"] = relationship()
    created_by: Mapped["User | None"] = relationship(foreign_keys=[created_by_id])


class StatusReview(VersionedMixin, TimestampMixin, Base):
    """A ledningsgrupp's review of an initiative: RAG, assessment and decision."""

    __tablename__ = "status_reviews"
    __table_args__ = (
        enum_check("rag", Rag),
        Index("ix_status_reviews_initiative_date", "initiative_id", "review_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    review_date: Mapped[date] = mapped_column(Date)
    rag: Mapped[str] = mapped_column(String(10))
    assessment: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str] = mapped_column(Text, default="")
    next_review_on: Mapped[date | None] = mapped_column(Date)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    initiative: Mapped["Initiative"] = relationship(back_populates="reviews")
    reviewer: Mapped["User | None"] = relationship()
