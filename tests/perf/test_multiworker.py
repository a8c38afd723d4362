"""Several app processes on one PostgreSQL database: sessions, CSRF and login throttling hold across them.

`framsteg serve --workers 3` runs on a fresh database. Requests go over new connections; the
kernel hands each connection to one worker, and /proc tells which worker holds which connection, so
every response is attributed to the worker that served it, and the test goes on (bounded) until at
least two workers took part: one login session and one CSRF token (from a page one worker rendered)
work on every worker, and failed logins counted by different workers add up to the throttle.
PostgreSQL pass only (SQLite with several writers is covered in tests/safety).
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Initiative, Lesson, Organisation, Program
from app.models.enums import Role
from app.services.users import create_user, grant
from tests.support.databases import backend, drop_database, migrated_engine, new_database_url

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(backend() != "postgres", reason="several workers share state through PostgreSQL"),
    pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux /proc to see which worker serves"),
]

ROOT = Path(__file__).resolve().parents[2]
SECRET = "multi-worker-test-secret-key-long-enough-0123456789"
PASSWORD = "a-long-enough-password-42"
EMAIL = "lisa.team@example.se"
THROTTLED_EMAIL = "erik.team@example.se"  # only the throttling test logs in as this user
WORKERS = 3
CSRF_INPUT = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')
MAX_CLIENTS = 40  # connections opened at most while looking for a spread over the workers
ROUNDS = 6  # new connections that post lessons with the shared session and CSRF token


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def database() -> Iterator[tuple[str, int]]:
    """A fresh migrated database with one member of one initiative; yields (url, initiative id)."""
    url = new_database_url("workers")
    engine = migrated_engine(url)
    try:
        with Session(engine) as db, db.begin():
            program = Program(name="Programme")
            organisation = Organisation(name="Kommun, Socialförvaltningen")
            organisation.programs.append(program)
            db.add_all([program, organisation])
            db.flush()
            initiative = Initiative(
                title="Kortare väntetid", organisation_id=organisation.id, program_id=program.id, status="active"
            )
            db.add(initiative)
            db.flush()
            user = create_user(db, email=EMAIL, name="Lisa Team", password=PASSWORD)
            grant(db, user, Role.MEMBER, initiative_id=initiative.id)
            create_user(db, email=THROTTLED_EMAIL, name="Erik Team", password=PASSWORD)
            initiative_id = initiative.id
        yield url, initiative_id
    finally:
        engine.dispose()
        drop_database(url)


@pytest.fixture(scope="module")
def server(database: tuple[str, int], tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """`framsteg serve --workers 3`; yields (base URL, pid of the supervising process)."""
    url, _ = database
    port = _free_port()
    log_path = tmp_path_factory.mktemp("workers") / "server.log"
    env = {**os.environ, "FRAMSTEG_DATABASE_URL": url, "FRAMSTEG_ENVIRONMENT": "test", "FRAMSTEG_SECRET_KEY": SECRET}
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--workers", str(WORKERS)],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            _wait_ready(process, base_url, log_path)
            yield base_url, process.pid
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _wait_ready(process: subprocess.Popen[bytes], base_url: str, log_path: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the server exited: {log_path.read_text()}"
        try:
            # Every worker must be up, or all connections land on the first one.
            healthy = httpx.get(f"{base_url}/api/v1/health", timeout=2).status_code == 200
            if healthy and len(_workers(process.pid)) >= WORKERS:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"the server did not start within {timeout} s: {log_path.read_text()}")


# --- which worker holds which connection --------------------------------------------------------


def _workers(parent: int) -> list[int]:
    """Child processes of the uvicorn supervisor (the workers; a helper without sockets does no harm)."""
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may contain spaces, so split after the last ')'.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == parent:
            children.append(int(entry.name))
    return children


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    fd_dir = Path(f"/proc/{pid}/fd")
    try:
        fds = list(fd_dir.iterdir())
    except OSError:
        return inodes
    for fd in fds:
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def _server_side(server_port: int) -> dict[str, int]:
    """Established connections to the server port: socket inode -> the client's port."""
    found = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            local, remote, state, inode = parts[1], parts[2], parts[3], parts[9]
            if state == "01" and int(local.rsplit(":", 1)[1], 16) == server_port:
                found[inode] = int(remote.rsplit(":", 1)[1], 16)
    return found


def worker_of(response: httpx.Response, base_url: str, parent: int) -> int | None:
    """The pid of the worker that served `response`, looked up while its kept-alive connection is open."""
    stream = response.extensions["network_stream"]
    client_port = int(stream.get_extra_info("client_addr")[1])
    connections = _server_side(int(base_url.rsplit(":", 1)[1]))
    for pid in _workers(parent):
        for inode in _socket_inodes(pid) & set(connections):
            if connections[inode] == client_port:
                return pid
    return None


def new_client(base_url: str, cookies: dict[str, str] | None = None) -> httpx.Client:
    """A client with a single kept-alive connection (the kernel hands each new connection to one worker)."""
    return httpx.Client(
        base_url=base_url,
        cookies=cookies,
        follow_redirects=False,
        timeout=60,
        limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
    )


def _csrf(html: str) -> str:
    match = CSRF_INPUT.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


# --- the tests ----------------------------------------------------------------------------------


def test_one_session_and_csrf_token_work_on_every_worker(server: tuple[str, int], database: tuple[str, int]) -> None:
    base_url, parent = server
    url, initiative_id = database
    with new_client(base_url) as browser:
        token = _csrf(browser.get("/login").text)
        response = browser.post("/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 303, response.text
        cookies = dict(browser.cookies)
        # The CSRF token bound to the new session, as one worker rendered it.
        csrf = _csrf(browser.get(f"/initiatives/{initiative_id}").text)

    workers: set[int | None] = set()
    posted = 0
    for n in range(MAX_CLIENTS):
        if n >= ROUNDS and len(workers - {None}) >= 2:
            break
        with new_client(base_url, cookies) as client:  # a new connection: possibly another worker
            page = client.get(f"/initiatives/{initiative_id}")
            assert page.status_code == 200, page.text[:300]
            assert "Kortare väntetid" in page.text
            workers.add(worker_of(page, base_url, parent))
            form = client.post(
                f"/initiatives/{initiative_id}/lessons",
                data={"csrf_token": csrf, "text": f"Lärdom {n}", "tags": "test"},
            )
            assert form.status_code == 303, form.text[:300]
            workers.add(worker_of(form, base_url, parent))
            htmx = client.post(
                f"/initiatives/{initiative_id}/lessons",
                data={"text": f"Lärdom via HTMX {n}"},
                headers={"HX-Request": "true", "X-CSRF-Token": csrf},
            )
            assert htmx.status_code == 200, htmx.text[:300]
            workers.add(worker_of(htmx, base_url, parent))
            posted += 2
            # A forged token is refused: the check is real, not skipped.
            forged = client.post(f"/initiatives/{initiative_id}/lessons", data={"csrf_token": "0" * 64, "text": "x"})
            assert forged.status_code == 403
    assert len(workers - {None}) >= 2, f"all requests were served by one worker: {workers}"

    engine = migrated_engine(url)
    try:
        with Session(engine) as db:
            stored = db.scalar(select(func.count()).select_from(Lesson).where(Lesson.initiative_id == initiative_id))
    finally:
        engine.dispose()
    assert stored == posted


def test_failed_logins_on_different_workers_add_up_to_the_throttle(server: tuple[str, int]) -> None:
    base_url, parent = server
    failures: list[int | None] = []
    for _ in range(MAX_CLIENTS):
        if len(failures) == 5:
            break
        with new_client(base_url) as client:
            form = client.get("/login")
            worker = worker_of(form, base_url, parent)
            # The fifth failure goes to another worker than the first four, should those share one.
            if len(failures) == 4 and len(set(failures) - {None}) < 2 and worker in (None, failures[0]):
                continue
            data = {"email": THROTTLED_EMAIL, "password": "wrong-password", "csrf_token": _csrf(form.text)}
            failed = client.post("/login", data=data)
            assert failed.status_code == 400, failed.text[:300]
            failures.append(worker_of(failed, base_url, parent))
    assert len(failures) == 5
    assert len(set(failures) - {None}) >= 2, f"the failed logins were not spread over workers: {failures}"
    with new_client(base_url) as client:
        token = _csrf(client.get("/login").text)
        # Even the right password is refused now, by whichever worker gets it.
        throttled = client.post("/login", data={"email": THROTTLED_EMAIL, "password": PASSWORD, "csrf_token": token})
        assert throttled.status_code == 429, throttled.text[:300]
        assert throttled.headers["Retry-After"]


def test_a_page_kept_by_several_workers_shows_a_change_made_through_another(
    server: tuple[str, int], database: tuple[str, int]
) -> None:
    """Each worker keeps pages in its own memory (app.web.page_cache); the data version in PostgreSQL
    tells every one of them that a lesson posted through any worker makes its kept page stale."""
    base_url, parent = server
    _, initiative_id = database
    page_url = f"/initiatives/{initiative_id}"
    with new_client(base_url) as browser:
        token = _csrf(browser.get("/login").text)
        login = browser.post("/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token})
        assert login.status_code == 303
        cookies = dict(browser.cookies)
        csrf = _csrf(browser.get(page_url).text)

    clients: list[httpx.Client] = []
    keeping: set[int | None] = set()
    try:
        for _ in range(MAX_CLIENTS):
            if len(keeping - {None}) >= 2:
                break
            client = new_client(base_url, cookies)  # one kept-alive connection: one worker
            clients.append(client)
            for _ in range(3):
                page = client.get(page_url)
                assert page.status_code == 200, page.text[:300]
            if page.headers.get("x-framsteg-cache") == "hit":
                keeping.add(worker_of(page, base_url, parent))
        assert len(keeping - {None}) >= 2, f"no two workers kept the page: {keeping}"

        posted = clients[0].post(page_url + "/lessons", data={"csrf_token": csrf, "text": "Sent via en arbetare"})
        assert posted.status_code == 303, posted.text[:300]
        rendered_again: set[int | None] = set()
        for client in clients:
            page = client.get(page_url)
            assert "Sent via en arbetare" in page.text
            # The clients share one session, so a second client on the same worker may be served the
            # page its neighbour has just rendered again; the first view on each worker must not be kept.
            worker = worker_of(page, base_url, parent)
            if worker not in rendered_again:
                assert page.headers.get("x-framsteg-cache") != "hit"
                rendered_again.add(worker)
        assert keeping - {None} <= rendered_again
    finally:
        for client in clients:
            client.close()
