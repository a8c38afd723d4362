"""Several app processes on one PostgreSQL database: sessions, CSRF and login throttling hold across them.

`framsteg serve --workers 3` runs on a fresh database. Requests go over separate keep-alive
connections; the kernel hands each connection to one worker, and /proc tells which worker holds
which connection, so the test first makes sure its connections are spread over at least two
workers, then uses them: one login session and one CSRF token (from a page one worker rendered)
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


def worker_by_client_port(base_url: str, parent: int) -> dict[int, int]:
    """For every open connection to the server: the client's local port -> the pid of the worker serving it."""
    connections = _server_side(int(base_url.rsplit(":", 1)[1]))
    owner: dict[int, int] = {}
    for pid in _workers(parent):
        for inode in _socket_inodes(pid) & set(connections):
            owner[connections[inode]] = pid
    return owner


def client_port(client: httpx.Client, base_url: str) -> int:
    """The local port of the client's (single, kept-alive) connection, read from the OS."""
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    stream = response.extensions["network_stream"]
    return int(stream.get_extra_info("client_addr")[1])


def spread_clients(base_url: str, parent: int, want: int, cookies: dict[str, str] | None = None) -> list[httpx.Client]:
    """`want` open clients (one connection each) served by at least two different workers."""
    clients: list[httpx.Client] = []
    ports: dict[httpx.Client, int] = {}
    chosen: list[httpx.Client] = []
    while len(clients) < MAX_CLIENTS:
        client = httpx.Client(
            base_url=base_url,
            cookies=cookies,
            follow_redirects=False,
            timeout=60,
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
        )
        clients.append(client)
        ports[client] = client_port(client, base_url)
        owners = worker_by_client_port(base_url, parent)
        by_worker: dict[int, list[httpx.Client]] = {}
        for c in clients:
            if ports[c] in owners:
                by_worker.setdefault(owners[ports[c]], []).append(c)
        if len(by_worker) >= 2 and len(clients) >= want:
            # Round-robin over the workers so that the chosen clients cover as many as possible.
            queues = list(by_worker.values())
            while len(chosen) < want:
                for queue in queues:
                    if queue and len(chosen) < want:
                        chosen.append(queue.pop(0))
            break
    for client in clients:
        if client not in chosen:
            client.close()
    assert len(chosen) == want, "could not spread connections over two workers"
    served_by = {worker_by_client_port(base_url, parent).get(ports[c]) for c in chosen}
    assert len(served_by - {None}) >= 2
    return chosen


def _csrf(html: str) -> str:
    match = CSRF_INPUT.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


# --- the tests ----------------------------------------------------------------------------------


def test_one_session_and_csrf_token_work_on_every_worker(server: tuple[str, int], database: tuple[str, int]) -> None:
    base_url, parent = server
    url, initiative_id = database
    with httpx.Client(base_url=base_url, follow_redirects=False, timeout=60) as browser:
        token = _csrf(browser.get("/login").text)
        response = browser.post("/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 303, response.text
        cookies = dict(browser.cookies)
        # The CSRF token bound to the new session, as one worker rendered it.
        csrf = _csrf(browser.get(f"/initiatives/{initiative_id}").text)

    clients = spread_clients(base_url, parent, want=6, cookies=cookies)
    posted = 0
    try:
        for round_ in range(5):
            for n, client in enumerate(clients):
                page = client.get(f"/initiatives/{initiative_id}")
                assert page.status_code == 200, page.text[:300]
                assert "Kortare väntetid" in page.text
                form = client.post(
                    f"/initiatives/{initiative_id}/lessons",
                    data={"csrf_token": csrf, "text": f"Lärdom {round_}-{n}", "tags": "test"},
                )
                assert form.status_code == 303, form.text[:300]
                htmx = client.post(
                    f"/initiatives/{initiative_id}/lessons",
                    data={"text": f"Lärdom via HTMX {round_}-{n}"},
                    headers={"HX-Request": "true", "X-CSRF-Token": csrf},
                )
                assert htmx.status_code == 200, htmx.text[:300]
                posted += 2
        # A forged token is refused on every worker: the check is real, not skipped.
        for client in clients:
            forged = client.post(f"/initiatives/{initiative_id}/lessons", data={"csrf_token": "0" * 64, "text": "x"})
            assert forged.status_code == 403
    finally:
        for client in clients:
            client.close()

    engine = migrated_engine(url)
    try:
        with Session(engine) as db:
            stored = db.scalar(select(func.count()).select_from(Lesson).where(Lesson.initiative_id == initiative_id))
    finally:
        engine.dispose()
    assert stored == posted


def test_failed_logins_on_different_workers_add_up_to_the_throttle(server: tuple[str, int]) -> None:
    base_url, parent = server
    clients = spread_clients(base_url, parent, want=6)
    try:
        for client in clients[:5]:
            token = _csrf(client.get("/login").text)
            data = {"email": THROTTLED_EMAIL, "password": "wrong-password", "csrf_token": token}
            failed = client.post("/login", data=data)
            assert failed.status_code == 400, failed.text[:300]
        last = clients[5]
        token = _csrf(last.get("/login").text)
        # Even the right password is refused now, by whichever worker gets it.
        throttled = last.post("/login", data={"email": THROTTLED_EMAIL, "password": PASSWORD, "csrf_token": token})
        assert throttled.status_code == 429, throttled.text[:300]
        assert throttled.headers["Retry-After"]
    finally:
        for client in clients:
            client.close()
