"""My account: personal API tokens (create, shown once; list; revoke)."""

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response

from app.services import tokens as token_service
from app.services.errors import InvalidInput
from app.web.deps import CurrentUser, DbSession
from app.web.templating import render

router = APIRouter(prefix="/account", include_in_schema=False)


def _page(
    request: Request,
    db: DbSession,
    user: CurrentUser,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    name: str = "",
    new_token: str | None = None,
    revoked: bool = False,
) -> Response:
    context = {
        "nav": "account",
        "tokens": token_service.list_tokens(db, user=user),
        "errors": errors or {},
        "name": name,
        "new_token": new_token,
        "revoked": revoked,
    }
    return render(request, "auth/tokens.html", context, status_code=status)


@router.get("/tokens")
def tokens_page(request: Request, db: DbSession, user: CurrentUser) -> Response:
    return _page(request, db, user, revoked=request.query_params.get("revoked") == "1")


@router.post("/tokens")
def create_token(request: Request, db: DbSession, user: CurrentUser, name: Annotated[str, Form()] = "") -> Response:
    try:
        _token, plain = token_service.create_token(db, user=user, name=name)
    except InvalidInput as exc:
        return _page(request, db, user, status=422, errors=exc.by_field(), name=name[:200])
    # Rendered directly (not redirected) so the token is in this one response and nowhere else.
    return _page(request, db, user, status=201, new_token=plain)


@router.post("/tokens/{token_id}/revoke")
def revoke_token(db: DbSession, user: CurrentUser, token_id: Annotated[int, Path(ge=1, le=2_000_000_000)]) -> Response:
    token_service.revoke_token(db, user=user, token_id=token_id)
    return RedirectResponse("/account/tokens?revoked=1", status_code=303)
