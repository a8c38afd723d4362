"""The page cache (app.web.page_cache) and the data version it relies on (app.core.data_version).

A kept page must never be served once anything it shows could have changed: data, roles, the
session, the language, the day. The full suite runs with the cache on; these tests pin its rules.
"""

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models import DataVersion, Initiative, Lesson, Measure, Membership, User, UserSession
from app.models.base import utcnow
from app.models.enums import Role
from app.services import analysis as analysis_service
from app.web.page_cache import ResponseStore, _Entry
from tests.support.web import WebClient, cache_reader

HIT = "x-framsteg-cache"


@pytest.fixture
def initiative(make: Any) -> Initiative:
    created: Initiative = make.initiative(title="Färre fall på natten")
    return created


@pytest.fixture
def member(client: WebClient, db: Session, make: Any, initiative: Initiative) -> User:
    user: User = make.user(Role.MEMBER, initiative)
    db.commit()
    client.login(user.email)
    return user


@pytest.fixture
def kept_page(client: WebClient, member: User, initiative: Initiative) -> str:
    """The member's initiative page, viewed once and then served from the cache."""
    url = f"/initiatives/{initiative.id}"
    cached_twice(client, url)
    return url


def version(db: Session) -> int:
    return db.execute(select(DataVersion.version)).scalar_one()


def cached_twice(client: WebClient, url: str, **kwargs: Any) -> str:
    """Render `url`, then fetch it again and check that the second answer is the kept one."""
    first = client.get(url, **kwargs)
    assert first.status_code == 200
    assert HIT not in first.headers
    second = client.get(url, **kwargs)
    assert second.headers.get(HIT) == "hit", "a repeated view must come from the cache"
    assert second.text == first.text
    return second.text


# --- the data version --------------------------------------------------------------------------


def test_a_committed_change_moves_the_version_and_a_read_does_not(db: Session, initiative: Initiative) -> None:
    db.commit()
    before = version(db)
    db.scalars(select(Initiative)).all()
    db.commit()
    assert version(db) == before
    initiative.title = "Nytt namn"
    db.commit()
    assert version(db) == before + 1


def test_bulk_statements_and_deletes_move_the_version(db: Session, make: Any, initiative: Initiative) -> None:
    db.commit()
    before = version(db)
    db.execute(update(Initiative).where(Initiative.id == initiative.id).values(problem="Ändrat i klump"))
    db.commit()
    assert version(db) == before + 1
    lesson = Lesson(initiative_id=initiative.id, text="Något vi lärde oss", lesson_date=date(2026, 1, 1))
    db.add(lesson)
    db.commit()
    db.delete(lesson)
    db.commit()
    assert version(db) == before + 3


def test_a_rolled_back_change_and_session_bookkeeping_leave_the_version(
    db: Session, make: Any, initiative: Initiative
) -> None:
    user = make.user(Role.MEMBER, initiative)
    db.commit()
    before = version(db)
    initiative.title = "Ångras"
    db.flush()
    db.rollback()
    session = UserSession(token_hash="a" * 64, user_id=user.id, expires_at=utcnow() + timedelta(hours=1))
    db.add(session)
    db.commit()
    session.last_seen_at = utcnow()
    db.commit()
    assert version(db) == before


# --- kept pages --------------------------------------------------------------------------------


def test_a_repeated_view_is_served_from_the_cache(client: WebClient, member: User, initiative: Initiative) -> None:
    html = cached_twice(client, f"/initiatives/{initiative.id}")
    assert "Färre fall på natten" in html
    # Security headers are added around the kept page as around a rendered one.
    hit = client.get(f"/initiatives/{initiative.id}")
    assert hit.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in hit.headers["content-security-policy"]


def test_a_change_through_the_form_shows_at_once(
    client: WebClient, member: User, initiative: Initiative, kept_page: str
) -> None:
    url = kept_page
    response = client.post_form(f"{url}/lessons", {"text": "Nattpersonalen vill ha checklistan", "tags": ""})
    assert response.status_code == 303, response.text
    after = client.get(url)
    assert HIT not in after.headers
    assert "Nattpersonalen vill ha checklistan" in after.text


def test_a_logged_value_changes_the_measure_page_and_the_analysis(
    client: WebClient, db: Session, make: Any, member: User, initiative: Initiative
) -> None:
    measure: Measure = make.measure(initiative, name="Fall per natt")
    for week, value in enumerate([5, 6, 5, 7, 6], start=1):
        make.measurement(measure, f"2024-W{week:02d}", value)
    page_before = cached_twice(client, f"/measures/{measure.id}")
    analysis_url = f"/api/v1/measures/{measure.id}/analysis"
    analysis_before = cached_twice(client, analysis_url)
    make.measurement(measure, "2024-W06", 42)
    page_after = client.get(f"/measures/{measure.id}")
    analysis_after = client.get(analysis_url)
    assert HIT not in page_after.headers
    assert HIT not in analysis_after.headers
    assert page_after.text != page_before
    assert analysis_after.json()["points"][-1]["value"] == 42
    assert analysis_after.text != analysis_before


def test_pages_are_kept_per_user_and_access_is_not_shared(
    client: WebClient, db: Session, make: Any, member: User, initiative: Initiative, settings: Any, kept_page: str
) -> None:
    url = kept_page
    outsider = make.user(Role.LEADER, make.organisation())
    db.commit()
    client.cookies.clear()
    client.login(outsider.email)
    assert client.get(url).status_code == 404
    assert client.get(url).status_code == 404


def test_a_removed_role_ends_access_to_a_kept_page(
    client: WebClient, db: Session, member: User, initiative: Initiative, kept_page: str
) -> None:
    url = kept_page
    for membership in db.scalars(select(Membership).where(Membership.user_id == member.id)):
        db.delete(membership)
    db.expire(member)
    assert client.get(url).status_code == 404


def test_an_ended_session_is_not_served_a_kept_page(
    client: WebClient, db: Session, member: User, initiative: Initiative, kept_page: str
) -> None:
    url = kept_page
    assert client.post_form("/logout").status_code == 303
    response = client.get(url)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_an_idle_session_is_not_served_a_kept_page(
    client: WebClient, db: Session, member: User, initiative: Initiative, kept_page: str
) -> None:
    url = kept_page
    long_ago = utcnow() - timedelta(days=1)
    db.execute(update(UserSession).where(UserSession.user_id == member.id).values(last_seen_at=long_ago))
    assert client.get(url).status_code == 303


def test_a_deactivated_user_is_not_served_a_kept_page(
    client: WebClient, db: Session, member: User, initiative: Initiative, kept_page: str
) -> None:
    url = kept_page
    # Bypass the ORM's change tracking on purpose: the cache checks the user itself on every hit.
    db.execute(update(User).where(User.id == member.id).values(is_active=False))
    db.info.pop("data_version_changed", None)
    assert client.get(url).status_code == 303


def test_a_new_day_renders_again(
    client: WebClient, member: User, initiative: Initiative, monkeypatch: pytest.MonkeyPatch, kept_page: str
) -> None:
    url = kept_page
    tomorrow = analysis_service.today() + timedelta(days=1)
    monkeypatch.setattr(analysis_service, "today", lambda: tomorrow)
    assert HIT not in client.get(url).headers


def test_each_language_is_kept_apart(client: WebClient, member: User, initiative: Initiative) -> None:
    url = f"/initiatives/{initiative.id}"
    swedish = cached_twice(client, url)
    client.cookies.set("framsteg_lang", "en")
    english = client.get(url)
    assert HIT not in english.headers
    assert english.text != swedish


def test_an_htmx_fragment_is_kept_apart_from_the_page(
    client: WebClient, db: Session, make: Any, initiative: Initiative
) -> None:
    leader = make.user(Role.LEADER, initiative.organisation)
    db.commit()
    client.login(leader.email)
    page = cached_twice(client, "/dashboard")
    fragment = client.get("/dashboard", headers={"HX-Request": "true"})
    assert HIT not in fragment.headers
    assert "<html" in page
    assert "<html" not in fragment.text
    assert client.get("/dashboard", headers={"HX-Request": "true"}).headers.get(HIT) == "hit"


def test_routes_that_are_not_marked_are_never_kept(client: WebClient, member: User, initiative: Initiative) -> None:
    for _ in range(3):
        response = client.get(f"/initiatives/{initiative.id}/edit")
        assert response.status_code == 200
        assert HIT not in response.headers


def test_api_answers_are_kept_per_token(client: WebClient, db: Session, member: User, initiative: Initiative) -> None:
    from app.auth.sessions import create_api_token

    _, token = create_api_token(db, member, "cache test")
    db.commit()
    client.cookies.clear()
    headers = {"Authorization": f"Bearer {token}"}
    # The token's first use records its last-used time: that request goes the full way, unkept.
    assert client.get("/api/v1/tokens", headers=headers).status_code == 200
    body = cached_twice(client, "/api/v1/initiatives", headers=headers)
    assert "Färre fall på natten" in body
    # A script without a cookie jar is given a new anonymous cookie each time, outside the kept answer.
    for _ in range(2):
        client.cookies.clear()
        bare = client.get("/api/v1/initiatives", headers=headers)
    assert bare.headers.get(HIT) == "hit"
    assert len(bare.headers.get_list("set-cookie")) == 1
    assert client.get("/api/v1/initiatives", headers={"Authorization": "Bearer fs_wrong"}).status_code == 401


def test_the_store_forgets_the_least_recently_used_beyond_its_size() -> None:
    store = ResponseStore(max_bytes=10)
    stamp = ("epoch", 1, date(2026, 1, 1), date(2026, 1, 1))
    store.put(("a",), _Entry(stamp, 200, [], b"12345"))
    store.put(("b",), _Entry(stamp, 200, [], b"12345"))
    assert store.get(("a",)) is not None  # a is now the most recently used
    store.put(("c",), _Entry(stamp, 200, [], b"123"))
    assert store.get(("b",)) is None
    assert store.get(("a",)) is not None
    assert store.get(("c",)) is not None
    assert store.size == 8
    store.put(("a",), _Entry(stamp, 200, [], b"1"))
    assert store.size == 4


def test_a_session_due_for_its_minutely_touch_is_touched_and_served(
    client: WebClient, db: Session, member: User, initiative: Initiative, kept_page: str
) -> None:
    url = kept_page
    two_minutes_ago = utcnow() - timedelta(minutes=2)
    db.execute(update(UserSession).where(UserSession.user_id == member.id).values(last_seen_at=two_minutes_ago))
    assert client.get(url).headers.get(HIT) == "hit"
    db.expire_all()
    seen = db.scalar(select(UserSession.last_seen_at).where(UserSession.user_id == member.id))
    assert seen is not None
    assert seen > two_minutes_ago + timedelta(minutes=1)


# --- the middleware alone: concurrent requests for one key --------------------------------------


class _SlowPage:
    """An ASGI app that renders a marked page in 50 ms and counts its renders."""

    def __init__(self) -> None:
        self.renders = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        import asyncio

        self.renders += 1
        scope["state"]["page_cache"] = True
        await asyncio.sleep(0.05)
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html")]})
        await send({"type": "http.response.body", "body": b"<p>sida</p>"})


def _six_at_once(middleware: Any, token: str = "fs_x") -> list[Any]:
    """One request to learn the path, then six concurrent ones for the same key with an empty store."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    async def with_state(scope: Any, receive: Any, send: Any) -> None:
        scope.setdefault("state", {})
        await middleware(scope, receive, send)

    async def run() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=with_state)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            bearer = {"Authorization": f"Bearer {token}"}
            await http.get("/sida", headers=bearer)
            middleware.store.entries.clear()
            return await asyncio.gather(*[http.get("/sida", headers=bearer) for _ in range(6)])

    # In a thread of its own: browser tests earlier in the run may leave an event loop on this one.
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, run()).result()


def test_concurrent_requests_for_one_key_render_once(settings: Any, db: Session, make: Any) -> None:
    from app.auth.sessions import create_api_token
    from app.web.page_cache import PageCacheMiddleware

    _, token = create_api_token(db, make.user(), "test")
    page = _SlowPage()
    responses = _six_at_once(PageCacheMiddleware(page, settings, reader=cache_reader(lambda: db)), token)
    assert page.renders == 2  # the learning request, then one for the six
    assert [r.text for r in responses] == ["<p>sida</p>"] * 6
    assert sum(r.headers.get(HIT) == "hit" for r in responses) == 5


@pytest.mark.parametrize("failure", ["pool timeout", "closed connection"])
def test_a_check_that_cannot_reach_the_database_renders_in_full(settings: Any, failure: str) -> None:
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    from app.web.page_cache import PageCacheMiddleware

    error: Exception = PoolTimeout("QueuePool limit reached")
    if failure == "closed connection":
        error = OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    class _Unreachable:
        def __enter__(self) -> None:
            raise error

        def __exit__(self, *_: object) -> None:
            return None

    page = _SlowPage()
    responses = _six_at_once(PageCacheMiddleware(page, settings, reader=_Unreachable))
    assert page.renders == 7  # nothing kept, nothing served unchecked
    assert [r.status_code for r in responses] == [200] * 6
    assert not any(HIT in r.headers for r in responses)
