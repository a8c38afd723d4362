"""Map service errors and unexpected failures to responses: JSON under /api/, pages elsewhere."""

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import inspect
from sqlalchemy.exc import (
    DataError,
    DBAPIError,
    DisconnectionError,
    InterfaceError,
    OperationalError,
    PendingRollbackError,
    SQLAlchemyError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core.db import session_factory
from app.core.i18n import _
from app.models import User
from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.web.deps import LoginRequired
from app.web.templating import render

log = logging.getLogger("framsteg")

# A connection that died (database restart, network), a closed connection, a session whose transaction
# failed with it, or no free connection in the pool: temporary, answered with 503 and Retry-After.
DATABASE_UNAVAILABLE: tuple[type[Exception], ...] = (
    OperationalError,
    InterfaceError,
    DisconnectionError,
    PendingRollbackError,
    PoolTimeoutError,
)
RETRY_AFTER = "5"


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _page(request: Request, status: int, title: str, message: str, headers: dict[str, str] | None = None) -> Response:
    _refresh_user(request)
    context = {"status": status, "title": title, "message": message}
    return render(request, "error.html", context, status_code=status, headers=headers)


def _refresh_user(request: Request) -> None:
    """Make the signed-in user usable by the page layout after the request's transaction failed.

    The failed request's session was rolled back (which expires every loaded object) and closed, so the
    user object can no longer load its name. Load it again in a short session of its own; when the
    database does not answer (a 503), the page is shown without the user's menu.
    """
    user = getattr(request.state, "user", None)
    if user is None:
        return
    state = inspect(user)
    if not (state.detached and (state.expired or state.expired_attributes)):
        return
    request.state.user = None
    if state.identity is None:
        return
    try:
        with session_factory()() as db:
            fresh = db.get(User, state.identity[0])
            if fresh is not None:
                fresh.memberships  # noqa: B018 - loaded now, for the menu
                db.expunge(fresh)
    except SQLAlchemyError:
        return
    request.state.user = fresh


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if _is_api(request):
            return JSONResponse(
                {"detail": "Not authenticated"}, status_code=401, headers={"WWW-Authenticate": "Bearer"}
            )
        target = "/login?next=" + quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
        if request.headers.get("hx-request"):
            return Response(status_code=401, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": exc.message or "Not found"}, status_code=404)
        return _page(request, 404, _("Page not found"), _("The page does not exist, or you do not have access to it."))

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": exc.message or "Forbidden"}, status_code=403)
        return _page(request, 403, _("Not permitted"), _("You can see this, but your role does not allow this change."))

    @app.exception_handler(Conflict)
    async def conflict(request: Request, exc: Conflict) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": exc.message}, status_code=409)
        return _page(request, 409, _("Someone changed this meanwhile"), exc.message)

    @app.exception_handler(InvalidInput)
    async def invalid(request: Request, exc: InvalidInput) -> Response:
        detail = [{"loc": list(e.loc), "msg": e.msg, "type": e.type} for e in exc.errors]
        if _is_api(request):
            return JSONResponse({"detail": detail}, status_code=422)
        return _page(request, 422, _("Invalid input"), exc.message)

    @app.exception_handler(RequestValidationError)
    async def request_invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
            for e in exc.errors()
        ]
        if _is_api(request):
            return JSONResponse({"detail": errors}, status_code=422)
        return _page(request, 422, _("Invalid input"), "; ".join(str(e["msg"]) for e in errors))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        if exc.status_code == 404:
            return await not_found(request, NotFound())
        return _page(request, exc.status_code, _("Something went wrong"), str(exc.detail))

    async def database_unavailable(request: Request, exc: Exception) -> Response:
        # The database restarted or is unreachable: the request's transaction was rolled back, so nothing
        # was saved and the client may simply retry.
        log.warning("database unavailable: %s: %s", type(exc).__name__, type(getattr(exc, "orig", None)).__name__)
        message = _("The database is temporarily unavailable. Nothing was saved; please try again in a moment.")
        if _is_api(request):
            return JSONResponse({"detail": message}, status_code=503, headers={"Retry-After": RETRY_AFTER})
        return _page(request, 503, _("Temporarily unavailable"), message, headers={"Retry-After": RETRY_AFTER})

    for unavailable in DATABASE_UNAVAILABLE:
        app.add_exception_handler(unavailable, database_unavailable)

    @app.exception_handler(DataError)
    async def data_refused(request: Request, exc: DataError) -> Response:
        """The database refused a value the validation let through (e.g. NUL in a text on PostgreSQL).

        The request's transaction was rolled back, so nothing was saved: bad input, not a server error.
        """
        log.warning("database refused a value: %s", type(exc.orig).__name__)
        message = _("The text contains a character that cannot be stored (NUL).")
        if "NUL" not in str(exc.orig):
            message = _("A value could not be stored. Check the input and try again.")
        if _is_api(request):
            return JSONResponse({"detail": [{"loc": ["body"], "msg": message, "type": "value_error"}]}, status_code=422)
        return _page(request, 422, _("Invalid input"), message)

    @app.exception_handler(DBAPIError)
    async def database_error(request: Request, exc: DBAPIError) -> Response:
        """Other driver errors: a lost connection is a 503 too; anything else is a bug (500)."""
        if exc.connection_invalidated:
            return await database_unavailable(request, exc)
        raise exc
