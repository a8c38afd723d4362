"""A TestClient that logs in and sends the CSRF token like a browser form would."""

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.orm import Session

from app.auth.sessions import ANON_COOKIE, CSRF_HEADER, SESSION_COOKIE, csrf_token_for
from app.core.config import Settings

PASSWORD = "correct-horse-battery"


class WebClient(TestClient):
    def __init__(self, app: FastAPI, settings: Settings) -> None:
        super().__init__(app, base_url="http://testserver", follow_redirects=False)
        self.settings = settings

    def csrf(self) -> str:
        cookie = self.cookies.get(SESSION_COOKIE) or self.cookies.get(ANON_COOKIE)
        if cookie is None:
            self.get("/login")
            cookie = self.cookies.get(ANON_COOKIE)
        assert cookie, "no cookie to bind the CSRF token to"
        return csrf_token_for(self.settings.secret_key, cookie)

    def login(self, email: str, password: str = PASSWORD) -> Response:
        response = self.post_form("/login", {"email": email, "password": password})
        assert response.status_code == 303, response.text
        return response

    def post_form(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Response:
        return self.post(url, data={"csrf_token": self.csrf(), **(data or {})}, **kwargs)

    def htmx(self, method: str, url: str, **kwargs: Any) -> Response:
        headers = {"HX-Request": "true", CSRF_HEADER: self.csrf(), **kwargs.pop("headers", {})}
        return self.request(method, url, headers=headers, **kwargs)


def cache_reader(current: Callable[[], Session]) -> Callable[[], AbstractContextManager[Session]]:
    """The page cache's reader for an app whose requests use the test's own session (`current()`): what
    the test wrote since the last request is committed first (to the test's savepoint), as a request would."""

    def reader() -> AbstractContextManager[Session]:
        session = current()
        session.commit()
        return nullcontext(session)

    return reader
