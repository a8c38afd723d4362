"""Request dependencies shared by web pages and the API: database session and the current user."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from app.auth.policy import Principal
from app.auth.sessions import SESSION_COOKIE, user_for_api_token, user_for_session
from app.core.config import Settings, get_settings
from app.core.db import session_factory
from app.models import User


class LoginRequired(Exception):
    """No valid session or token: pages redirect to the login page, the API answers 401."""


def get_db() -> Iterator[Session]:
    """One transaction per request: commit on success (before the response is sent), roll back on error."""
    session = session_factory()()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# scope="function": the commit runs before the response is sent, so an acknowledged write is stored.
DbSession = Annotated[Session, Depends(get_db, scope="function")]
AppSettings = Annotated[Settings, Depends(get_settings)]


def _resolve_user(request: Request, db: Session, settings: Settings) -> User | None:
    if "user" in request.state._state:
        user: User | None = request.state.user
        return user
    user = None
    authorization = request.headers.get("authorization", "")
    if authorization:
        scheme, _, credentials = authorization.partition(" ")
        # An Authorization header is never combined with cookies: a bad token is a 401.
        if scheme.lower() == "bearer" and credentials:
            user = user_for_api_token(db, credentials.strip())
    elif token := request.cookies.get(SESSION_COOKIE):
        user = user_for_session(db, settings, token)
    request.state.user = user
    return user


def optional_user(request: Request, db: DbSession, settings: AppSettings) -> User | None:
    return _resolve_user(request, db, settings)


def current_user(request: Request, db: DbSession, settings: AppSettings) -> User:
    user = _resolve_user(request, db, settings)
    if user is None:
        raise LoginRequired()
    return user


def current_principal(user: Annotated[User, Depends(current_user)]) -> Principal:
    return Principal.of(user)


OptionalUser = Annotated[User | None, Depends(optional_user)]
CurrentUser = Annotated[User, Depends(current_user)]
CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
