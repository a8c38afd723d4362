"""Health endpoint, and that passwords and tokens never reach the logs (ours or uvicorn's access log)."""

import logging
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from app.auth.sessions import create_api_token
from app.web.deps import get_db
from tests.support.web import PASSWORD, WebClient


def test_health_needs_no_login(client: WebClient) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_reports_an_unreachable_database(app: FastAPI, client: WebClient) -> None:
    broken = create_engine("sqlite:////nonexistent-dir/framsteg/none.db")

    def unreachable() -> Iterator[Session]:
        session = Session(bind=broken)
        try:
            yield session
        finally:
            session.close()

    app.dependency_overrides[get_db] = unreachable
    response = client.get("/api/v1/health")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def server(app: FastAPI) -> Iterator[str]:
    """The test app served by a real uvicorn (with its access log) on a free port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="info", access_log=True)
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def test_secrets_never_reach_the_logs(server: str, db: Session, make) -> None:
    user = make.user(email="logs@example.se")
    _token, plain = create_api_token(db, user, "log test")
    db.commit()
    handler = _Collect()
    root = logging.getLogger()
    loggers = [root, logging.getLogger("uvicorn.access"), logging.getLogger("uvicorn.error")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        with httpx.Client(base_url=server, follow_redirects=False) as http:
            http.get("/login")
            anon = http.cookies["framsteg_anon"]
            from app.auth.sessions import csrf_token_for
            from app.core.config import get_settings

            csrf = csrf_token_for(get_settings().secret_key, anon)
            ok = http.post("/login", data={"csrf_token": csrf, "email": user.email, "password": PASSWORD})
            assert ok.status_code == 303
            bad = http.post("/login", data={"csrf_token": csrf, "email": user.email, "password": "Hemligt-fel-42"})
            assert bad.status_code in (400, 403)
            api = httpx.get(f"{server}/api/v1/health", headers={"Authorization": f"Bearer {plain}"})
            assert api.status_code == 200
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
    text = "\n".join(handler.lines)
    assert "POST /login" in text, "the access log was captured"
    for secret in (PASSWORD, "Hemligt-fel-42", plain, plain[len("fs_") :]):
        assert secret not in text
