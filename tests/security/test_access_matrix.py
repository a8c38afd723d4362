"""Access control, exhaustively: every route × every role × the relevant objects (DESIGN.md §2).

The expected outcome of each case comes from tests/security/matrix.py. Each case runs in its own
rolled-back transaction on top of a world built once for this module.
"""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from starlette.routing import Route

from app.auth.sessions import ANON_COOKIE, SESSION_COOKIE, csrf_token_for
from app.core.config import Settings, get_settings
from app.main import create_app
from app.web.deps import get_db
from app.web.middleware import SECURITY_HEADERS
from tests.security.matrix import ENTRIES, PROGRAM_VISIBLE, VISIBLE, Entry
from tests.security.world import ROLES, World, build_world, remove_world
from tests.support.web import WebClient, cache_reader

SKIPPED_METHODS = {"HEAD", "OPTIONS"}
ANON_ID = "matrix-anonymous-browser"


def app_routes(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path) of every endpoint, including those of included routers."""
    found: set[tuple[str, str]] = set()

    def walk(routes: Any) -> None:
        for route in routes:
            contexts = getattr(route, "effective_route_contexts", None)
            if contexts is not None:  # FastAPI ≥ 0.16x keeps included routers as branches
                for ctx in contexts():
                    methods = getattr(ctx.original_route, "methods", None) or set()
                    found.update((m, ctx.path) for m in methods if m not in SKIPPED_METHODS)
            elif isinstance(route, Route):
                found.update((m, route.path) for m in (route.methods or ()) if m not in SKIPPED_METHODS)

    walk(app.routes)
    return found


ROUTES = app_routes(create_app(get_settings()))
BY_KEY = {(e.method, e.path): e for e in ENTRIES}


def test_every_route_has_a_matrix_entry() -> None:
    missing = sorted(ROUTES - set(BY_KEY), key=lambda r: (r[1], r[0]))
    assert not missing, "routes without an access-matrix entry in tests/security/matrix.py: " + ", ".join(
        f"{m} {p}" for m, p in missing
    )


def test_matrix_entries_are_unique() -> None:
    assert len(BY_KEY) == len(ENTRIES)


CASES = [
    pytest.param(entry, role, target, id=f"{entry.method} {entry.path} [{target}] {role}")
    for entry in ENTRIES
    if (entry.method, entry.path) in ROUTES
    for target in entry.targets
    for role in ROLES
]


# --- fixtures: one world per module, one rolled-back transaction per case ----------------------


@pytest.fixture(scope="module")
def world(engine: Engine) -> Iterator[World]:
    settings = get_settings()
    built = build_world(engine, settings)
    yield built
    remove_world(engine, built)


class _Current:
    session: Session | None = None


def _current_session() -> Session:
    assert _Current.session is not None
    return _Current.session


@pytest.fixture(scope="module")
def matrix_client(world: World) -> Iterator[WebClient]:
    settings = get_settings()
    app = create_app(settings, cache_reader=cache_reader(_current_session))

    def current_db() -> Iterator[Session]:
        session = _current_session()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise

    app.dependency_overrides[get_db] = current_db
    with WebClient(app, settings) as client:
        yield client


@pytest.fixture
def case_db(engine: Engine, world: World) -> Iterator[Session]:
    connection = engine.connect()
    transaction = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    _Current.session = session
    yield session
    _Current.session = None
    session.close()
    transaction.rollback()
    connection.close()


def _path(entry: Entry, world: World, target: str, role: str) -> str:
    params = world.params(target, role)
    if entry.path == "/admin/users/{user_id}/roles/{membership_id}/delete":
        params["user_id"] = world.users["member_a1"].id
    if entry.path == "/trash/initiatives/{initiative_id}/restore":
        params["initiative_id"] = world.deleted_initiative.id
    return entry.path.format(**params)


def send(client: WebClient, settings: Settings, world: World, entry: Entry, role: str, target: str) -> Any:
    client.cookies.clear()
    url = _path(entry, world, target, role)
    if entry.query:
        url += "?" + "&".join(f"{k}={v}" for k, v in entry.query)
    body = entry.body(world, target) if entry.body else None
    headers: dict[str, str] = {}
    if entry.api:
        if role != "anon":
            headers["Authorization"] = f"Bearer {world.tokens[role]}"
        if entry.content_type:
            headers["Content-Type"] = entry.content_type
            return client.request(entry.method, url, content=body, headers=headers)
        return client.request(entry.method, url, json=body, headers=headers)
    cookie = world.cookies.get(role)
    headers["cookie"] = f"{SESSION_COOKIE}={cookie}" if cookie else f"{ANON_COOKIE}={ANON_ID}"
    if entry.method == "GET":
        return client.get(url, headers=headers)
    form = {"csrf_token": csrf_token_for(settings.secret_key, cookie or ANON_ID), **(body or {})}
    return client.request(entry.method, url, data=form, headers=headers)


def outcome_of(entry: Entry, response: Any) -> str:
    status = response.status_code
    location = response.headers.get("location", "")
    if status in (301, 302, 303, 307):
        return "login" if location.startswith("/login") and not entry.api else "ok"
    if status in (200, 201, 204):
        return "ok"
    return {401: "login", 403: "forbidden", 404: "hidden"}.get(status, f"status {status}")


def _explain(response: Any) -> str:
    """Status, redirect target and the page's main message, to see at once why a case failed."""
    text = response.text
    if "<main" in text:
        text = re.sub(r"<[^>]+>", " ", text.split("<main", 1)[1].split("</main>", 1)[0])
    errors = re.findall(r'class="field-error" id="([^"]+)">([^<]*)<', response.text)
    summary = " ".join(text.split())[:300]
    return f"{response.status_code} {response.headers.get('location', '')}: {errors} {summary}"


@pytest.mark.parametrize(("entry", "role", "target"), CASES)
def test_access(matrix_client: WebClient, world: World, case_db: Session, entry: Entry, role: str, target: str) -> None:
    settings = get_settings()
    expected = entry.rule(role, target)
    response = send(matrix_client, settings, world, entry, role, target)
    got = outcome_of(entry, response)
    if entry.passes_gate and expected == "ok" and response.status_code in (409, 422):
        got = "ok"
    if entry.rule.__name__ == "public" and got == "login":
        got = "ok"  # e.g. logging out sends you to the login page
    assert got == expected, _explain(response)
    if expected == "login" and entry.api:
        assert response.headers.get("www-authenticate") == "Bearer"
    for name in SECURITY_HEADERS:
        assert name in response.headers, f"{name} missing"


# --- lists never contain what the user may not see ---------------------------------------------


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anon"])
def test_lists_contain_only_visible_items(matrix_client: WebClient, world: World, case_db: Session, role: str) -> None:
    auth = {"Authorization": f"Bearer {world.tokens[role]}"}
    ids = {key: scope.initiative.id for key, scope in world.scopes.items()}
    expected = {ids[key] for key in ("A", "B") if role in VISIBLE[key]}
    listed = matrix_client.get("/api/v1/initiatives", params={"limit": 500}, headers=auth).json()["items"]
    assert {i["id"] for i in listed} & set(ids.values()) == expected
    assert world.deleted_initiative.id not in {i["id"] for i in listed}

    if ("GET", "/api/v1/lessons") in ROUTES:
        lessons = matrix_client.get("/api/v1/lessons", params={"limit": 500}, headers=auth).json()["items"]
        world_lessons = {key: scope.lesson.id for key, scope in world.scopes.items()}
        assert {x["id"] for x in lessons} & set(world_lessons.values()) == {
            world_lessons[key] for key in ("A", "B") if role in VISIBLE[key]
        }

    programs = matrix_client.get("/api/v1/programs", params={"limit": 500}, headers=auth).json()["items"]
    program_ids = {p["id"] for p in programs}
    assert (world.program_p.id in program_ids) == (role in PROGRAM_VISIBLE)
    assert (world.program_q.id in program_ids) == (role in {"admin", "coord_q"})

    home = matrix_client.get("/", headers={"cookie": f"{SESSION_COOKIE}={world.cookies[role]}"}).text
    for key in ("A", "B"):
        assert (world.scopes[key].initiative.title in home) == (role in VISIBLE[key])
    assert world.deleted_initiative.title not in home


def test_guessed_ids_of_another_organisation_are_not_found(
    matrix_client: WebClient, world: World, case_db: Session
) -> None:
    auth = {"Authorization": f"Bearer {world.tokens['leader_a']}"}
    b = world.scopes["B"]
    for url in (
        f"/api/v1/initiatives/{b.initiative.id}",
        f"/api/v1/measures/{b.measure.id}",
        f"/api/v1/pdsa-cycles/{b.cycle.id}",
        f"/api/v1/lessons/{b.lesson.id}",
        f"/api/v1/initiatives/{world.deleted_initiative.id}",
        "/api/v1/initiatives/987654321",
    ):
        response = matrix_client.get(url, headers=auth)
        assert response.status_code == 404, url
        assert "B1" not in response.text


# --- CSRF on every unsafe route, security headers on every response -----------------------------

UNSAFE = [
    pytest.param(entry, id=f"{entry.method} {entry.path}")
    for entry in ENTRIES
    if (entry.method, entry.path) in ROUTES and entry.method not in {"GET", "HEAD", "OPTIONS"}
]


@pytest.mark.parametrize("entry", UNSAFE)
def test_unsafe_requests_with_the_session_cookie_need_the_csrf_token(
    matrix_client: WebClient, world: World, case_db: Session, entry: Entry
) -> None:
    """A forged request carries the victim's cookie but cannot know the token: refused before any work."""
    settings = get_settings()
    matrix_client.cookies.clear()
    url = _path(entry, world, entry.targets[0], "admin")
    cookie = {"cookie": f"{SESSION_COOKIE}={world.cookies['admin']}"}
    body = entry.body(world, entry.targets[0]) if entry.body else None
    if entry.api:
        kwargs: dict[str, Any] = {"json": body} if not entry.content_type else {"content": body}
        headers = {**cookie, **({"Content-Type": entry.content_type} if entry.content_type else {})}
        assert matrix_client.request(entry.method, url, headers=headers, **kwargs).status_code == 403
        forged = {**headers, "X-CSRF-Token": csrf_token_for(settings.secret_key, "another-session")}
        assert matrix_client.request(entry.method, url, headers=forged, **kwargs).status_code == 403
        good = {**headers, "X-CSRF-Token": csrf_token_for(settings.secret_key, world.cookies["admin"])}
        assert matrix_client.request(entry.method, url, headers=good, **kwargs).status_code != 403
        return
    form = dict(body or {})
    assert matrix_client.request(entry.method, url, data=form, headers=cookie).status_code == 403
    wrong = {**form, "csrf_token": csrf_token_for(settings.secret_key, "another-session")}
    assert matrix_client.request(entry.method, url, data=wrong, headers=cookie).status_code == 403
    header = {**cookie, "X-CSRF-Token": csrf_token_for(settings.secret_key, world.cookies["admin"])}
    outcome = matrix_client.request(entry.method, url, data=form, headers=header)
    assert outcome.status_code != 403 or entry.rule("admin", entry.targets[0]) == "forbidden"
