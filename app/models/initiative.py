from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, SoftDeleteMixin, TimestampMixin, VersionedMixin, enum_check
from app.models.enums import InitiativeStatus, Rag
from app.models.library import Stage
from app.models.program import Organisation, Program

if TYPE_CHECKING:
    from app.models.measure import Measure
    from app.models.pdsa import Lesson, PdsaCycle, StatusReview
    from app.models.user import User


class Initiative(VersionedMixin, SoftDeleteMixin, TimestampMixin, Base):
    __tablename__ = "initiatives"
    __table_args__ = (
        enum_check("status", InitiativeStatus),
        enum_check("rag", Rag, nullable=True),
        enum_check("stage", Stage),
        CheckConstraint("ends_on IS NULL OR started_on IS NULL OR ends_on >= started_on", name="dates_ordered"),
        Index("ix_initiatives_org_status", "organisation_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id", ondelete="RESTRICT"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(String(200))
    problem: Mapped[str] = mapped_column(Text, default="")
    rationale: Mapped[str] = mapped_column(Text, default="")
    target_group: Mapped[str] = mapped_column(String(300), default="")
    aim: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=InitiativeStatus.DRAFT.value)
    rag: Mapped[str | None] = mapped_column(String(10))
    stage: Mapped[str] = mapped_column(String(30), default=Stage.PREPARATION.value, server_default="preparation")
    started_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    what_we_did: Mapped[str] = mapped_column(Text, default="")
    results: Mapped[str] = mapped_column(Text, default="")

    program: Mapped[Program | None] = relationship()
    organisation: Mapped[Organisation] = relationship()
    team: Mapped[list["TeamMember"]] = relationship(
        back_populates="initiative", cascade="all, delete-orphan", order_by="TeamMember.position"
    )
    measures: Mapped[list["Measure"]] = relationship(
        back_populates="initiative",
        primaryjoin="and_(Measure.initiative_id == Initiative.id, Measure.deleted_at.is_(None))",
        order_by="(Measure.position, Measure.id)",
        viewonly=True,
    )
    pdsa_cycles: Mapped[list["PdsaCycle"]] = relationship(
        primaryjoin="and_(PdsaCycle.initiative_id == Initiative.id, PdsaCycle.deleted_at.is_(None))",
        order_by="(PdsaCycle.started_on, PdsaCycle.id)",
        viewonly=True,
    )
    lessons: Mapped[list["Lesson"]] = relationship(
        primaryjoin="and_(Lesson.initiative_id == Initiative.id, Lesson.deleted_at.is_(None))",
        order_by="(Lesson.lesson_date.desc(), Lesson.id.desc())",
        viewonly=True,
    )
    reviews: Mapped[list["StatusReview"]] = relationship(
        back_populates="initiative",
        order_by="(StatusReview.review_date.desc(), StatusReview.id.desc())",
        cascade="all, delete-orphan",
    )


class TeamMember(Base):
    """A person on the improvement team. Not necessarily a user: brukarrepresentanter often have no account."""

    __tablename__ = "team_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(50))
    position: Mapped[int] = mapped_column(Integer, default=0)

    initiative: Mapped[Initiative] = relationship(back_populates="team")
    user: Mapped["User | None"] = relationship()
