from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import (
    Base,
    SoftDeleteMixin,
    TimestampMixin,
    UTCDateTime,
    VersionedMixin,
    enum_check,
    utcnow,
)
from app.models.enums import ChartKind, DataType, Direction, Frequency, MeasureKind

if TYPE_CHECKING:
    from app.models.initiative import Initiative
    from app.models.user import User


class Measure(VersionedMixin, SoftDeleteMixin, TimestampMixin, Base):
    __tablename__ = "measures"
    __table_args__ = (
        enum_check("kind", MeasureKind),
        enum_check("data_type", DataType),
        enum_check("direction", Direction),
        enum_check("frequency", Frequency),
        enum_check("chart", ChartKind),
        CheckConstraint("freeze_points IS NULL OR freeze_points >= 2", name="freeze_min"),
        CheckConstraint("rate_multiplier > 0", name="rate_multiplier_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    data_type: Mapped[str] = mapped_column(String(20))
    unit: Mapped[str] = mapped_column(String(50), default="")
    definition: Mapped[str] = mapped_column(Text)
    direction: Mapped[str] = mapped_column(String(10))
    frequency: Mapped[str] = mapped_column(String(10))
    baseline: Mapped[float | None] = mapped_column(Float)
    target: Mapped[float | None] = mapped_column(Float)
    target_date: Mapped[date | None] = mapped_column(Date)
    chart: Mapped[str] = mapped_column(String(10), default=ChartKind.AUTO.value)
    # "freeze" is a reserved word in PostgreSQL.
    freeze: Mapped[int | None] = mapped_column("freeze_points", Integer)
    rate_multiplier: Mapped[float] = mapped_column(Float, default=1.0)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # The library definition this measure was adopted from (app.models.library), if any.
    library_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("library_measure_versions.id", ondelete="SET NULL"), index=True
    )
    # The latest period with a live value: kept by database triggers on measurements (migration 0005), never
    # written by the app; an object loaded before a value was logged holds the older period.
    last_period: Mapped[str | None] = mapped_column(String(8))

    initiative: Mapped["Initiative"] = relationship(back_populates="measures")


class Measurement(VersionedMixin, SoftDeleteMixin, TimestampMixin, Base):
    """One period's value. Deleting is soft so the period can be restored; re-logging revives the row."""

    __tablename__ = "measurements"
    __table_args__ = (
        UniqueConstraint("measure_id", "period", name="uq_measurements_measure_period"),
        CheckConstraint("numerator IS NULL OR numerator >= 0", name="numerator_non_negative"),
        CheckConstraint("denominator IS NULL OR denominator > 0", name="denominator_positive"),
        CheckConstraint(
            "numerator IS NULL OR denominator IS NULL OR numerator <= denominator OR is_rate",
            name="numerator_le_denominator",
        ),
        CheckConstraint("(numerator IS NULL) = (denominator IS NULL)", name="fraction_complete"),
        # Live values only: a measure's latest period is one index-only step (the programme overview reads
        # it for 10,000 measures), and series load in period order without visiting deleted rows.
        Index(
            "ix_measurements_live_measure_period",
            "measure_id",
            "period",
            postgresql_where=text("deleted_at IS NULL"),
            sqlite_where=text("deleted_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(8))
    value: Mapped[float] = mapped_column(Float)
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    # Rates may exceed their denominator (e.g. 3 falls in 2 care days); proportions may not.
    is_rate: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    comment: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    measure: Mapped[Measure] = relationship()
    updated_by: Mapped["User | None"] = relationship(foreign_keys=[updated_by_id])


class MeasurementRevision(Base):
    """Edit history of a measurement: one row per create, change and delete, never updated."""

    __tablename__ = "measurement_revisions"
    __table_args__ = (Index("ix_measurement_revisions_measure_period", "measure_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    measurement_id: Mapped[int] = mapped_column(ForeignKey("measurements.id", ondelete="CASCADE"))
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(8))
    action: Mapped[str] = mapped_column(String(10))
    value: Mapped[float | None] = mapped_column(Float)
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    comment: Mapped[str] = mapped_column(Text, default="")
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    changed_by: Mapped["User | None"] = relationship()
