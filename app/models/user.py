from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, TimestampMixin, UTCDateTime, VersionedMixin, enum_check, utcnow
from app.models.enums import Language, Role


class User(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "users"
    __table_args__ = (enum_check("language", Language),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2), default=Language.SV.value)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def is_admin(self) -> bool:
        return any(m.role == Role.ADMIN for m in self.memberships)


class Membership(TimestampMixin, Base):
    """A role in a scope: admin (all), coordinator (program), leader/viewer (organisation), member (initiative)."""

    __tablename__ = "memberships"
    __table_args__ = (
        enum_check("role", Role),
        CheckConstraint(
            "(role = 'admin' AND program_id IS NULL AND organisation_id IS NULL AND initiative_id IS NULL)"
            " OR (role = 'coordinator' AND program_id IS NOT NULL AND organisation_id IS NULL"
            " AND initiative_id IS NULL)"
            " OR (role IN ('leader', 'viewer') AND organisation_id IS NOT NULL AND program_id IS NULL"
            " AND initiative_id IS NULL)"
            " OR (role = 'member' AND initiative_id IS NOT NULL AND program_id IS NULL"
            " AND organisation_id IS NULL)",
            name="scope_matches_role",
        ),
        UniqueConstraint(
            "user_id",
            "role",
            "program_id",
            "organisation_id",
            "initiative_id",
            name="uq_memberships_role_scope",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    initiative_id: Mapped[int | None] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))

    user: Mapped[User] = relationship(back_populates="memberships")


class ApiToken(Base):
    """Personal API token; only a SHA-256 hash is stored, the token itself is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class UserSession(Base):
    """Server-side login session, in the database so that every app process shares it."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class LoginAttempt(Base):
    """Failed logins, for throttling per account and per address across all processes."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_at", "email", "at"),
        Index("ix_login_attempts_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
