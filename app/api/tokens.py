"""Personal API tokens: GET/POST /api/v1/tokens, DELETE /api/v1/tokens/{id} (the caller's own tokens only)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response

from app.schemas.common import Page, Pagination, pagination
from app.schemas.tokens import TokenCreate, TokenCreated, TokenRead
from app.services import tokens as token_service
from app.web.deps import CurrentUser, DbSession

router = APIRouter(prefix="/api/v1", tags=["tokens"])


@router.get("/tokens", response_model=Page[TokenRead])
def list_tokens(db: DbSession, user: CurrentUser, page: Annotated[Pagination, Depends(pagination)]) -> Page[TokenRead]:
    """Your tokens that have not been revoked, newest first."""
    tokens = token_service.list_tokens(db, user=user)
    items = [TokenRead.model_validate(t) for t in tokens[page.offset : page.offset + page.limit]]
    return Page[TokenRead](items=items, total=len(tokens), limit=page.limit, offset=page.offset)


@router.post("/tokens", response_model=TokenCreated, status_code=201)
def create_token(body: TokenCreate, db: DbSession, user: CurrentUser) -> TokenCreated:
    """A new token for yourself. The `token` field is returned only here."""
    token, plain = token_service.create_token(db, user=user, name=body.name)
    return TokenCreated.model_validate({**TokenRead.model_validate(token).model_dump(), "token": plain})


@router.delete("/tokens/{token_id}", status_code=204, responses={404: {"description": "Not one of your tokens"}})
def revoke_token(token_id: Annotated[int, Path(ge=1, le=2_000_000_000)], db: DbSession, user: CurrentUser) -> Response:
    """Revoke one of your tokens; requests with it get 401 from now on."""
    token_service.revoke_token(db, user=user, token_id=token_id)
    return Response(status_code=204)
