"""Keep rendered read-only pages and API answers until the data change (issue 8).

A route marked with `dependencies=[CACHEABLE]` is rendered once per (credential, URL, language, HTMX headers) and
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

import asyncio
import re
from collections import OrderedDict
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fastapi import Depends, Request
from sqlalchemy import Connection, true
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session
from starlette.datastructures import Headers

from app.auth.sessions import SESSION_COOKIE, Usable, credential_state, token_digest, touch_credential, usable
from app.core import i18n
from app.core.config import Settings
from app.core.db import fetch_first, single_read_engine
from app.models import DataVersion
from app.models.base import utcnow
from app.services import analysis as analysis_service
from app.web.middleware import ASGIApp, Message, Receive, Scope, Send, cookies_of

Reader = Callable[[], AbstractContextManager[Session | Connection]]
Stamp = tuple[str, int, date, date]
# Larger answers (a big export) are not worth the memory.
MAX_ENTRY_BYTES = 4 * 1024 * 1024
# Decisions per path (cacheable route or not) remembered before the table is cleared.
MAX_KNOWN_PATHS = 50_000
CACHE_HEADER = (b"x-framsteg-cache", b"hit")
# The check of a session (False) or API token (True), with the data version in the same row.
_CHECKS = {
    api: credential_state(api_token=api).add_columns(DataVersion.epoch, DataVersion.version).join(DataVersion, true())
    for api in (False, True)
}
_TOUCHES = {api: touch_credential(api_token=api) for api in (False, True)}
_HTMX_HEADER = re.compile(r"^hx-")


async def _allow_keeping(request: Request) -> None:
    request.state.page_cache = True


# `@router.get(..., dependencies=[CACHEABLE])` marks a GET route whose answer depends only on the data, the
# user, the URL, the language, the HTMX headers and today's date, and which writes nothing. The middleware
# learns the mark from the first request to a path (matching routes itself would mean FastAPI's internals).
CACHEABLE = Depends(_allow_keeping)


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


def _single_read() -> AbstractContextManager[Connection]:
    return single_read_engine().connect()


@dataclass
class _Rendering:
    """A render in progress for a key: requests for the same key and stamp wait for it instead of
    rendering too (after a change, every open dashboard asks at once)."""

    stamp: Stamp
    done: asyncio.Event = field(default_factory=asyncio.Event)


class PageCacheMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings, reader: Reader | None = None) -> None:
        self.app = app
        self.settings = settings
        self.reader = reader or _single_read
        self.store = ResponseStore(settings.page_cache_mb * 1024 * 1024)
        self.known_paths: dict[str, bool] = {}
        self.rendering: dict[tuple[Any, ...], _Rendering] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or self.store.max_bytes <= 0:
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        headers = Headers(scope=scope)
        credential = _credential(headers)
        stamp = None
        if credential is not None and self.known_paths.get(path) is not False:
            # On the event loop itself: the statement takes a fraction of a millisecond, and handing it to a
            # thread meant GIL hand-offs between the loop and the thread under load; at 8 clients on 4 workers
            # that gave p95s of 0.4-2 s where the same run on the loop had 8-14 ms (bench/results.md).
            # single_read_engine bounds how long it can block: short connect and statement timeouts.
            stamp = self._stamp(*credential)
        if credential is None or stamp is None:
            await self.app(scope, receive, send)
            self._learn(path, scope)
            return
        key = (*credential, path, scope.get("query_string", b""), i18n.get_language(), _varying(headers))
        if await self._send_kept(key, stamp, send):
            return
        rendering = self.rendering.get(key)
        if rendering is not None and rendering.stamp == stamp:
            await rendering.done.wait()
            if await self._send_kept(key, stamp, send):
                return
        rendering = self.rendering[key] = _Rendering(stamp)
        try:
            await self.app(scope, receive, self._keeping(send, scope, key, stamp))
        finally:
            rendering.done.set()
            if self.rendering.get(key) is rendering:
                del self.rendering[key]
        self._learn(path, scope)

    async def _send_kept(self, key: tuple[Any, ...], stamp: Stamp, send: Send) -> bool:
        entry = self.store.get(key)
        if entry is None or entry.stamp != stamp:
            return False
        start = [*entry.headers, CACHE_HEADER]
        await send({"type": "http.response.start", "status": entry.status, "headers": start})
        await send({"type": "http.response.body", "body": entry.body})
        return True

    def _learn(self, path: str, scope: Scope) -> None:
        """Remember whether the route of this path is marked; a path of an unmarked route is never checked."""
        if path not in self.known_paths:
            if len(self.known_paths) >= MAX_KNOWN_PATHS:
                self.known_paths.clear()
            self.known_paths[path] = _marked(scope)

    def _stamp(self, session_token: str | None, api_token: str | None) -> Stamp | None:
        """Credential check and data version in one statement, or None if nothing may be served or kept.
        A use due to be recorded (once a minute) is recorded here, so that every request of that moment
        does not go the full way at once."""
        api = api_token is not None
        params = {"hash": token_digest(api_token or session_token or "")}
        try:
            with self.reader() as db:
                row = fetch_first(db, _CHECKS[api], params)
                now = utcnow()
                state = usable(self.settings, row, now)
                if state is Usable.AFTER_TOUCH:
                    db.execute(_TOUCHES[api], {**params, "now": now})
                    db.commit()
        # A connection the database closed, or every pooled one busy for seconds: the full request copes.
        except (DBAPIError, PoolTimeout):
            return None
        if row is None or state is Usable.NO:
            return None
        return (row.epoch, row.version, date.today(), analysis_service.today())

    def _keeping(self, send: Send, scope: Scope, key: tuple[Any, ...], stamp: Stamp) -> Send:
        """A send() that passes the response on and keeps a copy if it may be served again."""
        start: Message = {}
        chunks: list[bytes] = []
        size = 0

        async def keep(message: Message) -> None:
            nonlocal size
            # Look before passing the message on: outer middleware adds its own headers to it in place.
            if message["type"] == "http.response.start":
                # The route's CACHEABLE dependency has run by now (or the route has none).
                headers = list(message.get("headers", []))
                if _marked(scope) and message["status"] == 200 and not _sets_cookie(headers):
                    start["headers"] = headers
            elif message["type"] == "http.response.body" and start and size <= MAX_ENTRY_BYTES:
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                if not message.get("more_body", False) and size <= MAX_ENTRY_BYTES:
                    self.store.put(key, _Entry(stamp, 200, start["headers"], b"".join(chunks)))
            await send(message)

        return keep


def _marked(scope: Scope) -> bool:
    return bool(scope.get("state", {}).get("page_cache", False))


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
