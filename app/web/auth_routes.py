"""Login, logout, language choice and password change."""

from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.auth import sessions
from app.auth.passwords import hash_password, password_problem, verify_password
from app.core import i18n
from app.core.i18n import _
from app.web.deps import AppSettings, CurrentUser, DbSession, OptionalUser
from app.web.middleware import LANG_COOKIE
from app.web.templating import render

router = APIRouter(include_in_schema=False)

ONE_YEAR = 365 * 24 * 3600


def _safe_next(target: str | None) -> str:
    """Only local paths, so the login form cannot be used to redirect elsewhere."""
    if not target:
        return "/"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@router.get("/login")
def login_page(request: Request, user: OptionalUser, next: str | None = None) -> Response:
    if user is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "auth/login.html", {"next": _safe_next(next), "email": "", "error": None})


@router.post("/login")
def login_submit(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    address = request.client.host if request.client else "unknown"
    result = sessions.login(db, settings, email=email, password=password, address=address)
    if result.user is None or result.session_token is None:
        error = (
            _("Too many failed attempts. Wait 15 minutes and try again, or ask your administrator.")
            if result.throttled
            else _("Wrong email or password.")
        )
        status = 429 if result.throttled else 400
        context = {"next": _safe_next(next), "email": email, "error": error}
        return render(request, "auth/login.html", context, status_code=status)
    response = RedirectResponse(_safe_next(next), status_code=303)
    secure = settings.secure_cookies
    response.set_cookie(
        sessions.SESSION_COOKIE,
        result.session_token,
        httponly=True,
        samesite="lax",
        secure=secure,
        max_age=settings.session_max_age_minutes * 60,
    )
    response.set_cookie(LANG_COOKIE, result.user.language, samesite="lax", secure=secure, max_age=ONE_YEAR)
    return response


@router.post("/logout")
def logout(request: Request, db: DbSession) -> Response:
    if token := request.cookies.get(sessions.SESSION_COOKIE):
        sessions.close_session(db, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(sessions.SESSION_COOKIE)
    return response


@router.post("/language")
def choose_language(
    request: Request,
    db: DbSession,
    user: OptionalUser,
    language: Annotated[str, Form()] = "sv",
    next: Annotated[str, Form()] = "/",
) -> Response:
    lang = language if language in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE
    if user is not None:
        user.language = lang
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(LANG_COOKIE, lang, samesite="lax", max_age=ONE_YEAR)
    return response


@router.get("/account")
def account_page(request: Request, user: CurrentUser) -> Response:
    return render(request, "auth/account.html", {"errors": {}, "saved": False})


@router.post("/account/password")
def change_password(
    request: Request,
    db: DbSession,
    user: CurrentUser,
    current_password: Annotated[str, Form()] = "",
    new_password: Annotated[str, Form()] = "",
    confirm_password: Annotated[str, Form()] = "",
) -> Response:
    errors: dict[str, str] = {}
    if not verify_password(user.password_hash, current_password):
        errors["current_password"] = _("The current password is wrong.")
    if problem := password_problem(new_password, email=user.email):
        errors["new_password"] = problem
    elif new_password != confirm_password:
        errors["confirm_password"] = _("The passwords do not match.")
    if errors:
        return render(request, "auth/account.html", {"errors": errors, "saved": False}, status_code=422)
    user.password_hash = hash_password(new_password)
    sessions.close_other_sessions(db, user, request.cookies.get(sessions.SESSION_COOKIE))
    return render(request, "auth/account.html", {"errors": {}, "saved": True})
