"""Start page: the user's own initiatives first, then everything else they may follow."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.services import initiatives as initiative_service
from app.web.deps import CurrentPrincipal, CurrentUser, DbSession
from app.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request, db: DbSession, user: CurrentUser, principal: CurrentPrincipal) -> Response:
    items = initiative_service.list_for_home(db, principal)
    mine = [i for i in items if i.id in principal.member_initiatives]
    others = [i for i in items if i.id not in principal.member_initiatives]
    return render(request, "home.html", {"mine": mine, "others": others})
