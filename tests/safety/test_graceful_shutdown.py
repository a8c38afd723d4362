"""SIGTERM lets an in-flight request finish: `framsteg serve` gives uvicorn a graceful-shutdown timeout.

The request is a real one, made slow by the client: a CSV import whose body arrives over a few seconds
(like a large upload on a slow line). The server gets SIGTERM after it started the request; the client
still gets its answer, every row is stored, and the server exits cleanly and accepts nothing new.
(A large booklet export would do as well, but takes minutes on a busy CI machine; verified by hand.)
"""

import json
import socket
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from app.auth.sessions import create_api_token
from app.core.db import session_scope
from app.models import Initiative, Measure, Measurement, Organisation
from app.models.enums import Role
from app.services.users import create_user, grant
from tests.safety.live import LiveServer
from tests.support.databases import migrated_engine
from tests.support.web import PASSWORD

ROWS = 150
CHUNKS = 10
SECONDS = 3.0  # the body trickles in over this long


def _weeks(n: int) -> list[str]:
    weeks = []
    for i in range(n):
        year, week, _ = (date(2001, 1, 1) + timedelta(weeks=i)).isocalendar()
        weeks.append(f"{year}-W{week:02d}")
    return weeks


def _request(port: int, token: str, path: str, body: bytes) -> bytes:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: text/csv\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode()


def test_sigterm_lets_an_in_flight_request_finish(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shutdown.db'}"
    engine = migrated_engine(url)
    with session_scope(engine) as db:
        org = Organisation(name="Testkommun, Socialförvaltningen")
        db.add(org)
        db.flush()
        initiative = Initiative(title="Kortare väntetider", organisation_id=org.id, status="active")
        db.add(initiative)
        db.flush()
        member = create_user(db, email="member@example.se", name="Maja Medlem", password=PASSWORD)
        grant(db, member, Role.MEMBER, initiative_id=initiative.id)
        measure = Measure(
            initiative_id=initiative.id,
            name="Väntetid",
            kind="outcome",
            data_type="value",
            definition="Dagar från ansökan till beslut.",
            direction="decrease",
            frequency="week",
        )
        db.add(measure)
        db.flush()
        _, token = create_api_token(db, member, "shutdown test")
        measure_id = measure.id

    body = ("period;value\n" + "".join(f"{w};{i}\n" for i, w in enumerate(_weeks(ROWS)))).encode()
    size = -(-len(body) // CHUNKS)
    chunks = [body[i : i + size] for i in range(0, len(body), size)]
    with LiveServer(url, tmp_path / "server.log") as server:
        path = f"/api/v1/measures/{measure_id}/measurements/import"
        with socket.create_connection(("127.0.0.1", server.port), timeout=60) as conn:
            conn.sendall(_request(server.port, token, path, body) + chunks[0])
            time.sleep(SECONDS / CHUNKS)
            for n, chunk in enumerate(chunks[1:], start=1):
                if n == 2:
                    server.process.send_signal(15)  # SIGTERM while the body is still arriving
                conn.sendall(chunk)
                time.sleep(SECONDS / CHUNKS)
            answer = b""
            while data := conn.recv(65536):
                answer += data
        exit_code = server.terminate(timeout=60)
        log = server.log()

    status_line, _, rest = answer.partition(b"\r\n")
    assert status_line == b"HTTP/1.1 200 OK", answer[:500]
    result = json.loads(rest.partition(b"\r\n\r\n")[2])
    assert result["created"] == ROWS
    # uvicorn re-raises the signal after its graceful shutdown, so the exit status is "terminated".
    assert exit_code in (0, -15), log
    assert "Waiting for connections to close" in log
    assert "Finished server process" in log
    with session_scope(engine) as db:
        assert db.scalar(select(func.count()).select_from(Measurement)) == ROWS
    engine.dispose()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{server.base_url}/api/v1/health", timeout=2)
