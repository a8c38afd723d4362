"""Interactive API documentation at /api/docs, served from vendored Swagger UI assets (no CDN)."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/api/docs")
def api_docs(request: Request) -> Response:
    return render(request, "api_docs.html")
