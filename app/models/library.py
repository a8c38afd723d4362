"""Programme structure: the shared measure library, the programme calendar and initiative stages.

A programme's coordinators keep a library of standard measures with one operational definition
each, so that organisations measure the same thing and can be compared (Göteborg's lesson: without
shared definitions of nyckeltal the results are not comparable). A definition is never edited in
place: a change adds a new `LibraryMeasureVersion`, and each adopting `Measure` records the version
it uses (`Measure.library_version_id`) until its team moves to the newer one.

Workshops and learning sessions make up the programme calendar; every initiative is at one stage
of the design process the workshops follow (preparation, challenge and aim, analysis, ideas and
solutions, testing, closing, sustaining). `InitiativeStageChange` keeps the history of stage moves.
"""

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, TimestampMixin, UTCDateTime, VersionedMixin, enum_check, utcnow
from app.models.enums import ChartKind, DataType, Direction, Frequency, MeasureKind

if TYPE_CHECKING:
    from app.models.program import Program
    from app.models.user import User


class Stage(StrEnum):
    """Where an initiative is in the programme's design process, in order."""

    PREPARATION = "preparation"
    CHALLENGE_AND_AIM = "challenge_and_aim"
    ANALYSIS = "analysis"
    IDEAS_AND_SOLUTIONS = "ideas_and_solutions"
    TESTING = "testing"
    CLOSING = "closing"
    SUSTAINING = "sustaining"


class WorkshopKind(StrEnum):
    KICKOFF = "kickoff"
    WORKSHOP = "workshop"
    LEARNING_SESSION = "learning_session"


class LibraryMeasure(VersionedMixin, TimestampMixin, Base):
    """A standard measure of a programme. Its definition lives in its versions; the newest is current."""

    __tablename__ = "library_measures"
    __table_args__ = (
        UniqueConstraint("program_id", "key", name="uq_library_measures_program_key"),
        CheckConstraint("current_number >= 1", name="current_number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    # Optional stable key (e.g. from seed content), unique within the programme.
    key: Mapped[str | None] = mapped_column(String(100))
    current_number: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    program: Mapped["Program"] = relationship()
    versions: Mapped[list["LibraryMeasureVersion"]] = relationship(
        back_populates="library_measure",
        order_by="LibraryMeasureVersion.number",
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    @property
    def current(self) -> "LibraryMeasureVersion":
        """The newest definition (every library measure has at least version 1)."""
        return self.versions[-1]


class LibraryMeasureVersion(Base):
    """One definition of a library measure. Never changed once written, so history is kept."""

    __tablename__ = "library_measure_versions"
    __table_args__ = (
        UniqueConstraint("library_measure_id", "number", name="uq_library_measure_versions_measure_number"),
        enum_check("kind", MeasureKind),
        enum_check("data_type", DataType),
        enum_check("direction", Direction),
        enum_check("frequency", Frequency),
        enum_check("chart", ChartKind),
        CheckConstraint("rate_multiplier > 0", name="rate_multiplier_positive"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    library_measure_id: Mapped[int] = mapped_column(ForeignKey("library_measures.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    data_type: Mapped[str] = mapped_column(String(20))
    unit: Mapped[str] = mapped_column(String(50), default="")
    definition: Mapped[str] = mapped_column(Text)
    direction: Mapped[str] = mapped_column(String(10))
    frequency: Mapped[str] = mapped_column(String(10))
    chart: Mapped[str] = mapped_column(String(10), default=ChartKind.AUTO.value)
    rate_multiplier: Mapped[float] = mapped_column(Float, default=1.0)
    # Why the definition changed (empty for version 1).
    change_note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    library_measure: Mapped[LibraryMeasure] = relationship(back_populates="versions")
    created_by: Mapped["User | None"] = relationship()


class Workshop(VersionedMixin, TimestampMixin, Base):
    """A workshop or learning session of a programme: when, where, about what, and what to bring."""

    __tablename__ = "workshops"
    __table_args__ = (
        enum_check("kind", WorkshopKind),
        enum_check("stage", Stage, nullable=True),
        Index("ix_workshops_program_held_on", "program_id", "held_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20), default=WorkshopKind.WORKSHOP.value)
    title: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    theme: Mapped[str] = mapped_column(Text, default="")
    bring: Mapped[str] = mapped_column(Text, default="")
    # The stage of the design process the workshop works on, if any.
    stage: Mapped[str | None] = mapped_column(String(30))

    program: Mapped["Program"] = relationship()


class InitiativeStageChange(Base):
    """History of an initiative's stage: one row per move, never updated."""

    __tablename__ = "initiative_stage_changes"
    __table_args__ = (
        enum_check("stage", Stage),
        enum_check("previous_stage", Stage, nullable=True),
        Index("ix_initiative_stage_changes_initiative_at", "initiative_id", "changed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    previous_stage: Mapped[str | None] = mapped_column(String(30))
    stage: Mapped[str] = mapped_column(String(30))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    changed_by: Mapped["User | None"] = relationship()
