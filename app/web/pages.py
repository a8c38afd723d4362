"""Static pages open to everyone: the accessibility statement (Tillgänglighetsredogörelse)."""

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.web.deps import OptionalUser
from app.web.templating import render

router = APIRouter(include_in_schema=False)

# When the statement was written and last reviewed; update both when the service is assessed again.
ASSESSED_ON = date(2026, 11, 25)
REVIEWED_ON = date(2026, 11, 25)


@router.get("/accessibility")
def accessibility(request: Request, user: OptionalUser) -> Response:
    context = {"assessed_on": ASSESSED_ON, "reviewed_on": REVIEWED_ON}
    return render(request, "accessibility.html", context)
