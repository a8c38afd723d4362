"""The security middleware's headers: every answer gets them, without replacing what a route set itself."""

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

from app.core.config import Settings
from app.web.middleware import SECURITY_HEADERS, SecurityMiddleware
from tests.support.web import WebClient


def _app(settings: Settings) -> FastAPI:
    app = FastAPI()

    @app.get("/page")
    def page() -> PlainTextResponse:
        return PlainTextResponse("page")

    @app.get("/static/app.css")
    def asset() -> PlainTextResponse:
        return PlainTextResponse("body{}", headers={"Cache-Control": "max-age=60"})

    @app.get("/framed")
    def framed() -> PlainTextResponse:
        return PlainTextResponse("framed", headers={"X-Frame-Options": "SAMEORIGIN"})

    app.add_middleware(SecurityMiddleware, settings=settings)
    return app


def test_pages_get_every_security_header_and_no_store(settings: Settings) -> None:
    response = WebClient(_app(settings), settings).get("/page")
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get_list(name) == [value]
    assert response.headers["cache-control"] == "no-store"
    assert "strict-transport-security" not in response.headers  # plain http in the test settings
    assert response.headers["set-cookie"].startswith("framsteg_anon="), "a first visit gets the CSRF cookie"


def test_static_files_keep_their_own_caching(settings: Settings) -> None:
    response = WebClient(_app(settings), settings).get("/static/app.css")
    assert response.headers.get_list("cache-control") == ["max-age=60"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_header_the_route_set_is_not_replaced_or_doubled(settings: Settings) -> None:
    response = WebClient(_app(settings), settings).get("/framed")
    assert response.headers.get_list("x-frame-options") == ["SAMEORIGIN"]


def test_hsts_only_with_secure_cookies(settings: Settings) -> None:
    secure = settings.model_copy(update={"secure_cookies": True})
    response = WebClient(_app(secure), secure).get("/page")
    assert response.headers["strict-transport-security"] == "max-age=31536000"
    assert "Secure" in response.headers["set-cookie"]
