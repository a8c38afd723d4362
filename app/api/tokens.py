"""Personal API tokens: GET/POST /api/v1/tokens, DELETE /api/v1/tokens/{id} (the caller's own tokens only)."""

from fastapi import Response

from app.api.common import Id, Paging, api_router, slice_page
from app.schemas.common import Page
from app.schemas.tokens import TokenCreate, TokenCreated, TokenRead
from app.services import tokens as token_service
from app.web.deps import CurrentUser, DbSession

router = api_router(tags=["tokens"])


@router.get("/tokens", response_model=Page[TokenRead])
def list_tokens(db: DbSession, user: CurrentUser, page: Paging) -> Page[TokenRead]:
    """Your tokens that have not been revoked, newest first."""
    tokens = token_service.list_tokens(db, user=user)
    return slice_page([TokenRead.model_validate(t) for t in tokens], page)


@router.post("/tokens", response_model=TokenCreated, status_code=201)
def create_token(body: TokenCreate, db: DbSession, user: CurrentUser) -> TokenCreated:
    """A new token for yourself. The `token` field is returned only here."""
    token, plain = token_service.create_token(db, user=user, name=body.name)
    return TokenCreated.model_validate({**TokenRead.model_validate(token).model_dump(), "token": plain})


@router.delete("/tokens/{token_id}", status_code=204, responses={404: {"description": "Not one of your tokens"}})
def revoke_token(token_id: Id, db: DbSession, user: CurrentUser) -> Response:
    """Revoke one of your tokens; requests with it get 401 from now on."""
    token_service.revoke_token(db, user=user, token_id=token_id)
    return Response(status_code=204)
