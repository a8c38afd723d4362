"""Login, logout, language choice and password change."""

from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.auth import sessions
from app.core import i18n
from app.core.config import Settings
from app.core.i18n import _
from app.services import users as user_service
from app.services.errors import InvalidInput
from app.web.deps import AppSettings, CurrentUser, DbSession, OptionalUser
from app.web.middleware import LANG_COOKIE
from app.web.templating import render

router = APIRouter(include_in_schema=False)

ONE_YEAR = 365 * 24 * 3600


def safe_next(target: str | None) -> str:
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
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "auth/login.html", {"next": safe_next(next), "email": "", "error": None})


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
    result = sessions.login(
        db,
        settings,
        email=email,
        password=password,
        address=address,
        previous_token=request.cookies.get(sessions.SESSION_COOKIE),
    )
    if result.user is None or result.session_token is None:
        error = (
            _("Too many failed attempts. Wait %(minutes)d minutes and try again, or ask your administrator.")
            % {"minutes": settings.login_window_minutes}
            if result.throttled
            else _("Wrong email or password.")
        )
        status = 429 if result.throttled else 400
        context = {"next": safe_next(next), "email": email[:254], "error": error}
        headers = {"Retry-After": str(settings.login_window_minutes * 60)} if result.throttled else None
        return render(request, "auth/login.html", context, status_code=status, headers=headers)
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session_cookie(response, settings, result.session_token)
    response.set_cookie(
        LANG_COOKIE, result.user.language, samesite="lax", secure=settings.secure_cookies, max_age=ONE_YEAR
    )
    return response


def set_session_cookie(response: Response, settings: Settings, token: str) -> None:
    """The session cookie: not readable by scripts, not sent on cross-site posts, Secure behind https."""
    response.set_cookie(
        sessions.SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        max_age=settings.session_max_age_minutes * 60,
    )


@router.post("/logout")
def logout(request: Request, db: DbSession, settings: AppSettings) -> Response:
    if token := request.cookies.get(sessions.SESSION_COOKIE):
        sessions.close_session(db, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(sessions.SESSION_COOKIE, httponly=True, samesite="lax", secure=settings.secure_cookies)
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
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(LANG_COOKIE, lang, samesite="lax", max_age=ONE_YEAR)
    return response


@router.get("/account")
def account_page(request: Request, user: CurrentUser) -> Response:
    return render(request, "auth/account.html", {"errors": {}, "saved": False, "nav": "account"})


@router.post("/account/password")
def change_password(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: CurrentUser,
    current_password: Annotated[str, Form()] = "",
    new_password: Annotated[str, Form()] = "",
    confirm_password: Annotated[str, Form()] = "",
) -> Response:
    try:
        token = user_service.change_password(
            db,
            settings,
            user=user,
            current_password=current_password,
            new_password=new_password,
            confirm_password=confirm_password,
        )
    except InvalidInput as exc:
        context = {"errors": exc.by_field(), "saved": False, "nav": "account"}
        return render(request, "auth/account.html", context, status_code=422)
    # Every other session is closed; this browser continues with a new session id.
    response = render(request, "auth/account.html", {"errors": {}, "saved": True, "nav": "account"})
    set_session_cookie(response, settings, token)
    return response
