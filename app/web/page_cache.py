"""Keep rendered read-only pages and API answers until the data change (issue 8).

A route marked with `@cacheable` is rendered once per (credential, URL, language, HTMX headers) and
kept in this process's memory together with the stamp it was rendered at: the database's data version
(app.core.data_version, moved forward by every committed change of the data, in any process) and
today's date. A later GET for the same key first checks, in one short read-only transaction, that the
credential is still valid and that the stamp is unchanged; only then is the kept response sent. Any
change anywhere makes every kept page stale, so a cached page is never older than the database: the
cache trades hit rate for certainty. The stamp is read before the page renders, so a page that saw a
newer change than its stamp is at worst rendered again.

Kept per credential (session or API token) because a page carries the session's CSRF token and shows
only what the user's roles allow; roles are data, so a change of them moves the version too.
"""

import re
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

import anyio.to_thread
from sqlalchemy.orm import Session
from starlette.datastructures import Headers

from app.auth.sessions import SESSION_COOKIE, settled_credential
from app.core import data_version, i18n
from app.core.config import Settings
from app.core.db import session_factory
from app.services import analysis as analysis_service
from app.web.middleware import ASGIApp, Message, Receive, Scope, Send, cookies_of

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])
Reader = Callable[[], AbstractContextManager[Session]]
Stamp = tuple[str, int, date, date]
_MARK = "__page_cache__"
# Larger answers (a big export) are not worth the memory.
MAX_ENTRY_BYTES = 4 * 1024 * 1024
# Decisions per path (cacheable route or not) remembered before the table is cleared.
MAX_KNOWN_PATHS = 50_000
CACHE_HEADER = (b"x-framsteg-cache", b"hit")
_HTMX_HEADER = re.compile(r"^hx-")


def cacheable(endpoint: Endpoint) -> Endpoint:
    """Mark a GET route whose answer depends only on the data, the user, the URL, the language, the HTMX
    headers and today's date, and which writes nothing."""
    setattr(endpoint, _MARK, True)
    return endpoint


@dataclass
class _Entry:
    stamp: Stamp
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


@dataclass
class ResponseStore:
    """Least recently used responses, bounded by the bytes of their bodies."""

    max_bytes: int
    entries: OrderedDict[tuple[Any, ...], _Entry] = field(default_factory=OrderedDict)
    size: int = 0

    def get(self, key: tuple[Any, ...]) -> _Entry | None:
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
        return entry

    def put(self, key: tuple[Any, ...], entry: _Entry) -> None:
        self.discard(key)
        self.entries[key] = entry
        self.size += len(entry.body)
        while self.size > self.max_bytes and self.entries:
            _, oldest = self.entries.popitem(last=False)
            self.size -= len(oldest.body)

    def discard(self, key: tuple[Any, ...]) -> None:
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= len(old.body)


@contextmanager
def _read_only_session() -> Iterator[Session]:
    session = session_factory()()
    try:
        session.connection(execution_options={"sqlite_begin": "DEFERRED"})  # no write lock on SQLite
        yield session
    finally:
        session.close()


class PageCacheMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings, reader: Reader | None = None) -> None:
        self.app = app
        self.settings = settings
        self.reader = reader or _read_only_session
        self.store = ResponseStore(settings.page_cache_mb * 1024 * 1024)
        self.known_paths: dict[str, bool] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or scope["method"] != "GET" or self.store.max_bytes <= 0:
            await self.app(scope, receive, send)
            return
        if not self.known_paths.get(path, False):
            await self.app(scope, receive, send)
            self._learn(path, scope)
            return
        headers = Headers(scope=scope)
        credential = _credential(headers)
        if credential is None:
            await self.app(scope, receive, send)
            return
        stamp = await anyio.to_thread.run_sync(self._stamp, *credential)
        if stamp is None:
            await self.app(scope, receive, send)
            return
        key = (*credential, path, scope.get("query_string", b""), i18n.get_language(), _varying(headers))
        entry = self.store.get(key)
        if entry is not None and entry.stamp == stamp:
            await send(
                {"type": "http.response.start", "status": entry.status, "headers": [*entry.headers, CACHE_HEADER]}
            )
            await send({"type": "http.response.body", "body": entry.body})
            return
        await self.app(scope, receive, self._keeping(send, key, stamp))

    def _learn(self, path: str, scope: Scope) -> None:
        if len(self.known_paths) >= MAX_KNOWN_PATHS:
            self.known_paths.clear()
        self.known_paths[path] = getattr(scope.get("endpoint"), _MARK, False)

    def _stamp(self, session_token: str | None, api_token: str | None) -> Stamp | None:
        with self.reader() as db:
            if not settled_credential(db, self.settings, session_token=session_token, api_token=api_token):
                return None
            version = data_version.read(db)
        if version is None:
            return None
        return (*version, date.today(), analysis_service.today())

    def _keeping(self, send: Send, key: tuple[Any, ...], stamp: Stamp) -> Send:
        """A send() that passes the response on and keeps a copy if it may be served again."""
        start: Message = {}
        chunks: list[bytes] = []
        size = 0

        async def keep(message: Message) -> None:
            nonlocal size
            await send(message)
            if message["type"] == "http.response.start":
                start.update(message)
                return
            if message["type"] != "http.response.body" or size > MAX_ENTRY_BYTES:
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if message.get("more_body", False):
                return
            headers = list(start.get("headers", []))
            if start.get("status") == 200 and size <= MAX_ENTRY_BYTES and not _sets_cookie(headers):
                self.store.put(key, _Entry(stamp, 200, headers, b"".join(chunks)))
            else:
                self.store.discard(key)

        return keep


def _credential(headers: Headers) -> tuple[str | None, str | None] | None:
    """(session token, API token) as app.web.deps reads them: a bearer token wins over cookies."""
    authorization = headers.get("authorization", "")
    if authorization:
        scheme, _, token = authorization.partition(" ")
        return (None, token.strip()) if scheme.lower() == "bearer" and token.strip() else None
    session = cookies_of(headers).get(SESSION_COOKIE)
    return (session, None) if session else None


def _varying(headers: Headers) -> tuple[tuple[str, str], ...]:
    """The request headers a page may depend on besides the URL and cookies."""
    return tuple(
        sorted((name, value) for name, value in headers.items() if _HTMX_HEADER.match(name) or name == "accept")
    )


def _sets_cookie(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(name.lower() == b"set-cookie" for name, _ in headers)
