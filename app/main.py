"""Application factory: routers, middleware, static files and error handlers."""

import gc

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app.api import docs as docs_api
from app.api import health as health_api
from app.api import initiatives as initiatives_api
from app.api import lessons as lessons_api
from app.api import library as library_api
from app.api import measures as measures_api
from app.api import pdsa as pdsa_api
from app.api import programs as programs_api
from app.api import reviews as reviews_api
from app.api import tokens as tokens_api
from app.core.config import ROOT_DIR, Settings, get_settings
from app.web import account as account_web
from app.web import admin as admin_web
from app.web import auth_routes, home
from app.web import calendar as calendar_web
from app.web import dashboard as dashboard_web
from app.web import exports as exports_web
from app.web import initiatives as initiatives_web
from app.web import lessons as lessons_web
from app.web import library as library_web
from app.web import measures as measures_web
from app.web import pages as pages_web
from app.web import pdsa as pdsa_web
from app.web import programs as programs_web
from app.web import reviews as reviews_web
from app.web import trash as trash_web
from app.web import weekly as weekly_web
from app.web.errors import install_error_handlers
from app.web.middleware import SecurityMiddleware
from app.web.page_cache import PageCacheMiddleware, Reader

STATIC_DIR = ROOT_DIR / "app" / "static"
# A page allocates tens of thousands of short-lived objects (rows, template output); with Python's default
# threshold of 700 the cyclic collector ran many times per request, each time scanning the whole app.
GC_THRESHOLD = (50_000, 20, 20)


def create_app(settings: Settings | None = None, *, cache_reader: Reader | None = None) -> FastAPI:
    """`cache_reader` opens the read-only session the page cache checks credentials and the data version
    with (default: a new session of the app's engine; the tests pass their own)."""
    settings = settings or get_settings()
    app = FastAPI(
        title="Framsteg API",
        version="1.0.0",
        description="JSON API of Framsteg, a tracker for improvement work in social services and health care.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in (auth_routes.router, home.router, measures_api.router, measures_web.router, weekly_web.router):
        app.include_router(router)
    app.include_router(reviews_web.router)
    app.include_router(dashboard_web.router)
    app.include_router(programs_web.router)
    app.include_router(exports_web.router)
    app.include_router(reviews_api.router)
    app.include_router(programs_api.router)
    app.include_router(health_api.router)
    app.include_router(docs_api.router)
    app.include_router(initiatives_api.router)
    app.include_router(pdsa_api.router)
    app.include_router(lessons_api.router)
    app.include_router(initiatives_web.router)
    app.include_router(pdsa_web.router)
    app.include_router(lessons_web.router)
    app.include_router(admin_web.router)
    app.include_router(account_web.router)
    app.include_router(tokens_api.router)
    app.include_router(pages_web.router)
    app.include_router(trash_web.router)
    app.include_router(library_web.router)
    app.include_router(calendar_web.router)
    app.include_router(library_api.router)
    install_error_handlers(app)
    app.add_middleware(PageCacheMiddleware, settings=settings, reader=cache_reader)
    app.add_middleware(SecurityMiddleware, settings=settings)  # outermost: its headers go on cached pages too
    return app


def create_server_app() -> FastAPI:
    """The app as `framsteg serve` runs it in each worker: what was loaded at start (modules, templates,
    catalogues) is frozen out of the cyclic garbage collector's scans, and young collections are rarer.
    The warm programme page took 184 ms of CPU in-process without this and 125 ms with it (bench notes)."""
    app = create_app()
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)
    return app
