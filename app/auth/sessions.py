"""Login sessions stored in the database (shared by every app process), CSRF tokens and login throttling."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any, Protocol

from sqlalchemy import BindParameter, Select, Update, bindparam, delete, func, null, select, update
from sqlalchemy.orm import Session

from app.auth.passwords import hash_password, needs_rehash, verify_password
from app.core.config import Settings
from app.models import ApiToken, LoginAttempt, User, UserSession
from app.models.base import utcnow

SESSION_COOKIE = "framsteg_session"
ANON_COOKIE = "framsteg_anon"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
TOKEN_PREFIX = "fs_"
# Longer input is never a real password; refusing it early keeps argon2 from hashing megabytes.
MAX_PASSWORD_LENGTH = 1024
# Per address, four times the per-account limit (5 per account, 20 per address by default).
ADDRESS_FACTOR = 4
# Refresh last_seen_at at most this often, so reading pages does not write on every request.
_TOUCH_INTERVAL = timedelta(minutes=1)
# A dummy hash so that unknown emails take as long to reject as wrong passwords.
_DUMMY_HASH = hash_password("not-a-real-password-0")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token_for(secret_key: str, cookie_value: str) -> str:
    """CSRF token bound to the session (or anonymous) cookie; cannot be forged without the secret."""
    return hmac.new(secret_key.encode(), f"csrf:{cookie_value}".encode(), hashlib.sha256).hexdigest()


def csrf_valid(secret_key: str, cookie_value: str | None, submitted: str | None) -> bool:
    if not cookie_value or not submitted:
        return False
    return hmac.compare_digest(csrf_token_for(secret_key, cookie_value), submitted)


def new_anonymous_id() -> str:
    return secrets.token_urlsafe(24)


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    session_token: str | None = None
    throttled: bool = False


def address_limit(settings: Settings) -> int:
    """Failed logins allowed per address and window: several people may share an office's address."""
    return settings.login_max_failures * ADDRESS_FACTOR


def _recent_failures(db: Session, settings: Settings, *, email: str, address: str) -> tuple[int, int]:
    since = utcnow() - timedelta(minutes=settings.login_window_minutes)
    by_email = db.scalar(
        select(func.count()).select_from(LoginAttempt).where(LoginAttempt.email == email, LoginAttempt.at >= since)
    )
    by_address = db.scalar(
        select(func.count()).select_from(LoginAttempt).where(LoginAttempt.address == address, LoginAttempt.at >= since)
    )
    return int(by_email or 0), int(by_address or 0)


def login(
    db: Session,
    settings: Settings,
    *,
    email: str,
    password: str,
    address: str,
    previous_token: str | None = None,
) -> LoginResult:
    """Check credentials with throttling per account and per address; on success open a new session.

    The session id always changes at login (the previous session, if any, is closed), so an id
    planted before login is worthless afterwards.
    """
    # Column sizes: an over-long value must be a failed login, not a database error.
    # PostgreSQL text cannot hold NUL either; no real address contains one.
    email = email.replace("\x00", "").strip().lower()[:254]
    address = address[:64]
    by_email, by_address = _recent_failures(db, settings, email=email, address=address)
    if by_email >= settings.login_max_failures or by_address >= address_limit(settings):
        return LoginResult(user=None, throttled=True)
    user = db.scalar(select(User).where(User.email == email, User.is_active.is_(True)))
    if len(password) > MAX_PASSWORD_LENGTH:
        user = None
        password = ""
    if user is None:
        verify_password(_DUMMY_HASH, password)
        ok = False
    else:
        ok = verify_password(user.password_hash, password)
    if not ok or user is None:
        db.add(LoginAttempt(email=email, address=address))
        return LoginResult(user=None)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    db.execute(delete(LoginAttempt).where(LoginAttempt.email == email))
    if previous_token:
        close_session(db, previous_token)
    user.last_login_at = utcnow()
    return LoginResult(user=user, session_token=open_session(db, settings, user))


def open_session(db: Session, settings: Settings, user: User) -> str:
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.add(
        UserSession(
            token_hash=_digest(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(minutes=settings.session_max_age_minutes),
        )
    )
    return token


def user_for_session(db: Session, settings: Settings, token: str) -> User | None:
    """The session's user if the session exists, is not expired and has not been idle too long."""
    row = db.scalar(select(UserSession).where(UserSession.token_hash == _digest(token)))
    if row is None:
        return None
    now = utcnow()
    if not _session_alive(settings, row.expires_at, row.last_seen_at, now):
        db.delete(row)
        return None
    if _needs_touch(row.last_seen_at, now):
        row.last_seen_at = now
    user = row.user
    return user if user.is_active else None


def _session_alive(settings: Settings, expires_at: datetime, last_seen_at: datetime, now: datetime) -> bool:
    return expires_at > now and last_seen_at + timedelta(minutes=settings.session_idle_minutes) > now


def _needs_touch(last_used: datetime | None, now: datetime) -> bool:
    return last_used is None or now - last_used > _TOUCH_INTERVAL


def credential_state(*, api_token: bool) -> Select[Any, Any, Any]:
    """A query for one row (expires_at, last_used_at, is_active) about the session or API token whose
    `token_digest` is bound as `hash`, for `usable`. Built once by its caller and run with
    different tokens; callers may add columns (the page cache adds the data version)."""
    token_hash: BindParameter[str] = bindparam("hash")
    if api_token:
        return (
            select(null().label("expires_at"), ApiToken.last_used_at.label("last_used_at"), User.is_active)
            .join(User, User.id == ApiToken.user_id)
            .where(ApiToken.token_hash == token_hash, ApiToken.revoked_at.is_(None))
        )
    return (
        select(UserSession.expires_at, UserSession.last_seen_at.label("last_used_at"), User.is_active)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.token_hash == token_hash)
    )


def token_digest(token: str) -> str:
    """How session and API tokens are stored: their SHA-256."""
    return _digest(token)


class Usable(Enum):
    """What a `credential_state` row allows: nothing (unknown, expired, idle, inactive user: the full
    request decides what to answer), use as is, or use after recording the use (`touch_credential`)."""

    NO = "no"
    YES = "yes"
    AFTER_TOUCH = "after_touch"


class CredentialRow(Protocol):
    """A row of `credential_state`."""

    expires_at: datetime | None
    last_used_at: datetime | None
    is_active: bool


def usable(settings: Settings, row: CredentialRow | None, now: datetime) -> Usable:
    if row is None or not row.is_active:
        return Usable.NO
    # Only sessions expire; a session row always has its last-seen time.
    session_over = row.expires_at is not None and (
        row.last_used_at is None or not _session_alive(settings, row.expires_at, row.last_used_at, now)
    )
    if session_over:
        return Usable.NO
    return Usable.AFTER_TOUCH if _needs_touch(row.last_used_at, now) else Usable.YES


def touch_credential(*, api_token: bool) -> Update:
    """Record a use (`now`) of the session or API token bound as `hash`, as user_for_session and
    user_for_api_token do at most once a minute."""
    token_hash: BindParameter[str] = bindparam("hash")
    if api_token:
        return update(ApiToken).where(ApiToken.token_hash == token_hash).values(last_used_at=bindparam("now"))
    return update(UserSession).where(UserSession.token_hash == token_hash).values(last_seen_at=bindparam("now"))


def close_session(db: Session, token: str) -> None:
    db.execute(delete(UserSession).where(UserSession.token_hash == _digest(token)))


def close_all_sessions(db: Session, user: User) -> None:
    """Log the user out everywhere (password change, deactivation)."""
    db.execute(delete(UserSession).where(UserSession.user_id == user.id))


def purge_expired(db: Session, settings: Settings, now: datetime | None = None) -> None:
    now = now or utcnow()
    db.execute(delete(UserSession).where(UserSession.expires_at <= now))
    db.execute(delete(LoginAttempt).where(LoginAttempt.at < now - timedelta(minutes=settings.login_window_minutes)))


def create_api_token(db: Session, user: User, name: str) -> tuple[ApiToken, str]:
    """A new personal token; the plain token is returned once and never stored."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=_digest(plain), prefix=plain[:10])
    db.add(token)
    db.flush()
    return token, plain


def user_for_api_token(db: Session, plain: str) -> User | None:
    token = db.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(plain), ApiToken.revoked_at.is_(None)))
    if token is None or not token.user.is_active:
        return None
    now = utcnow()
    if _needs_touch(token.last_used_at, now):
        token.last_used_at = now
    return token.user
