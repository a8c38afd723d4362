"""GET /api/v1/health: liveness and database check for load balancers and monitoring (no login)."""

import logging

from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.api.common import api_router
from app.web.deps import DbSession

router = api_router(tags=["health"], public=True)
log = logging.getLogger("framsteg")


@router.get(
    "/health",
    responses={
        200: {"description": "The app and its database answer", "content": {"application/json": {}}},
        503: {"description": "The database does not answer", "content": {"application/json": {}}},
    },
)
def health(db: DbSession) -> JSONResponse:
    """`{"status": "ok", "database": "ok"}`, or 503 with `"database": "unavailable"`."""
    try:
        db.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        log.warning("health check: database unavailable (%s)", type(exc).__name__)
        db.rollback()
        return JSONResponse({"status": "error", "database": "unavailable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})
