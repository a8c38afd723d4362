"""ASGI middleware: security headers, CSRF protection for every unsafe request, and the request language.

Written as plain ASGI (not BaseHTTPMiddleware) so the request body can be read for the CSRF
form field and then replayed unchanged to the application.
"""

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.datastructures import Headers
from starlette.requests import Request, cookie_parser
from starlette.responses import JSONResponse, PlainTextResponse, Response

from app.auth.sessions import (
    ANON_COOKIE,
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_COOKIE,
    csrf_valid,
    new_anonymous_id,
)
from app.core import i18n
from app.core.config import Settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LANG_COOKIE = "framsteg_lang"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
MAX_FORM_BYTES = 20 * 1024 * 1024

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def cookies_of(headers: Headers) -> dict[str, str]:
    # Starlette's parser, as Request.cookies in the routes: both layers read the same cookies, and it is
    # lenient like browsers (a malformed pair is skipped, not the whole header).
    return cookie_parser(headers.get("cookie", ""))


class SecurityMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        common = dict(SECURITY_HEADERS)
        if settings.secure_cookies:
            common["Strict-Transport-Security"] = "max-age=31536000"
        # Pages show personal work data: keep them out of shared caches and the back-forward cache.
        page = {**common, "Cache-Control": "no-store"}
        # Encoded once: on a page-cache hit these headers are most of the work left in Python.
        self.static_headers = _raw(common)
        self.page_headers = _raw(page)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        cookies = cookies_of(headers)
        lang = cookies.get(LANG_COOKIE) or i18n.pick_language(headers.get("accept-language"))
        i18n.set_language(lang)

        csrf_cookie = cookies.get(SESSION_COOKIE) or cookies.get(ANON_COOKIE)
        new_anon = None
        if not csrf_cookie:
            new_anon = csrf_cookie = new_anonymous_id()
        scope.setdefault("state", {})["csrf_cookie"] = csrf_cookie

        # Bearer-token requests carry their credential explicitly (a browser never adds it by itself), so
        # they need no CSRF token; app.web.deps then authenticates them by the token only, never by cookie.
        # An API request with no session cookie has no credentials a forger could borrow: it gets its 401
        # from the app. Pages always need the token (the login form too, against login CSRF).
        ambient = SESSION_COOKIE in cookies or not scope["path"].startswith("/api/")
        if scope["method"] not in SAFE_METHODS and not _is_bearer(headers) and ambient:
            body, ok = await self._check_csrf(scope, receive, headers, csrf_cookie if not new_anon else None)
            if not ok:
                await self._reject(scope, receive, send)
                return
            receive = _replay(body, receive)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                defaults = self.static_headers if scope["path"].startswith("/static/") else self.page_headers
                out = list(message.get("headers", []))
                present = {name.lower() for name, _ in out}
                out.extend(header for header in defaults if header[0] not in present)
                if new_anon:
                    out.append((b"set-cookie", self._cookie(ANON_COOKIE, new_anon).encode("latin-1")))
                message["headers"] = out
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _cookie(self, name: str, value: str) -> str:
        secure = "; Secure" if self.settings.secure_cookies else ""
        return f"{name}={value}; Path=/; HttpOnly; SameSite=Lax{secure}"

    async def _check_csrf(
        self, scope: Scope, receive: Receive, headers: Headers, cookie: str | None
    ) -> tuple[bytes, bool]:
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > MAX_FORM_BYTES:
                return b"", False
        submitted = headers.get(CSRF_HEADER.lower())
        content_type = headers.get("content-type", "")
        if submitted is None and content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            try:
                form = await Request(scope, _replay(body)).form()
            except Exception:  # a malformed body is refused like a missing token, never a 500
                return body, False
            value = form.get(CSRF_FIELD)
            submitted = value if isinstance(value, str) else None
            await form.close()
        return body, csrf_valid(self.settings.secret_key, cookie, submitted)

    async def _reject(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = i18n._("The form had expired or came from another site. Reload the page and try again.")
        response: Response
        if scope["path"].startswith("/api/"):
            response = JSONResponse({"detail": "CSRF token missing or invalid"}, status_code=403)
        else:
            response = PlainTextResponse(message, status_code=403)
        for name, value in SECURITY_HEADERS.items():
            response.headers[name] = value
        await response(scope, receive, send)


def _raw(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    return [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]


def _is_bearer(headers: Headers) -> bool:
    return headers.get("authorization", "")[:7].lower() == "bearer "


def _replay(body: bytes, downstream: Receive | None = None) -> Receive:
    """A receive() that yields the buffered body once, then waits on the real connection (for disconnects)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        if downstream is not None:
            return await downstream()
        return {"type": "http.disconnect"}

    return receive
