"""The app survives a PostgreSQL restart while serving writes.

A real server runs on a fresh database with the demo; several clients PUT new values through the JSON
API while PostgreSQL restarts. Requests caught by the restart get a clean 503 and are retried. Then:
every acknowledged (2xx) write is stored exactly once with its history and audit event, every 503 left
nothing (its retry could still create the value), and no request got a 500.

PostgreSQL only (skipped on the SQLite pass; under CI=true the PostgreSQL pass runs it). It restarts the
whole local cluster, so other clients of that server see their connections drop for a moment.
"""

import os
import shutil
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, func, select, text

from app.auth.sessions import create_api_token
from app.core.db import session_scope
from app.models import AuditEvent, Measure, Measurement, MeasurementRevision
from app.services.users import get_by_email
from seed.demo import load_demo
from tests.safety.conftest import create_postgres_database, drop_postgres_database, require_postgres
from tests.safety.live import LiveServer
from tests.support.databases import backend, migrated_engine

ADMIN = "sara.lindqvist@framsteg.example.se"
WRITERS = 4
WRITES_PER_WRITER = 40
RESTART_AFTER = 30  # acknowledged writes before the restart


def _restart_command() -> list[str]:
    if os.environ.get("CI") != "true" and (shutil.which("pg_ctlcluster") is None or os.geteuid() != 0):
        pytest.skip("needs pg_ctlcluster and root to restart PostgreSQL")
    versions = sorted(os.listdir("/etc/postgresql"), key=lambda v: float(v) if v.replace(".", "").isdigit() else 0)
    return ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "restart"]


@dataclass
class Write:
    measure_id: int
    period: str
    value: float
    statuses: list[int | str] = field(default_factory=list)

    @property
    def acknowledged(self) -> bool:
        return any(isinstance(s, int) and 200 <= s < 300 for s in self.statuses)


@dataclass
class Run:
    base_url: str
    token: str
    writes: list[list[Write]]
    acknowledged: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def writer(self, writes: list[Write]) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        with httpx.Client(base_url=self.base_url, headers=headers, timeout=30) as client:
            for write in writes:
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    url = f"/api/v1/measures/{write.measure_id}/measurements/{write.period}"
                    try:
                        status: int | str = client.put(url, json={"value": write.value}).status_code
                    except httpx.TransportError as exc:
                        status = type(exc).__name__
                    write.statuses.append(status)
                    if status in (200, 201):
                        with self.lock:
                            self.acknowledged += 1
                        break
                    if status != 503 and not isinstance(status, str):
                        break  # anything else is a finding; do not retry
                    time.sleep(0.1)


def _postmaster_started(engine: Engine) -> object:
    with engine.connect() as conn:
        return conn.scalar(text("SELECT pg_postmaster_start_time()"))


@pytest.fixture
def database() -> object:
    if backend() != "postgres":
        pytest.skip("PostgreSQL only: FRAMSTEG_TEST_DB=postgres runs it")
    require_postgres()
    url = create_postgres_database("restart")
    yield url
    drop_postgres_database(url)


def test_writes_survive_a_postgres_restart(database: str, tmp_path: Path) -> None:
    restart = _restart_command()
    engine = migrated_engine(database)
    with session_scope(engine) as db:
        load_demo(db)
        admin = get_by_email(db, ADMIN)
        assert admin is not None
        _, token = create_api_token(db, admin, "restart test")
        measure_ids = db.scalars(
            select(Measure.id)
            .where(Measure.frequency == "week", Measure.data_type.in_(["value", "count"]))
            .order_by(Measure.id)
        ).all()
    assert len(measure_ids) >= WRITERS
    # Weeks of 2001 have no values in the demo: every write creates a new value.
    writes = [
        [Write(measure_ids[w], f"2001-W{i + 1:02d}", float(100 * w + i)) for i in range(WRITES_PER_WRITER)]
        for w in range(WRITERS)
    ]
    before = _postmaster_started(engine)

    with LiveServer(database, tmp_path / "server.log") as server:
        run = Run(server.base_url, token, writes)
        threads = [threading.Thread(target=run.writer, args=(w,)) for w in writes]
        for thread in threads:
            thread.start()
        while run.acknowledged < RESTART_AFTER and any(t.is_alive() for t in threads):
            time.sleep(0.02)
        started = time.monotonic()
        subprocess.run(restart, check=True, capture_output=True, timeout=120)
        restart_seconds = time.monotonic() - started
        for thread in threads:
            thread.join(timeout=180)
        log = server.log()

    engine.dispose()
    assert _postmaster_started(engine) != before, "PostgreSQL did not restart"
    everything = [w for ws in writes for w in ws]
    statuses = Counter(s for w in everything for s in w.statuses)
    print(f"\nrestart took {restart_seconds:.1f} s; responses: {dict(statuses)}")
    assert set(statuses) <= {200, 201, 503}, statuses
    assert all(w.acknowledged for w in everything), [w for w in everything if not w.acknowledged]
    assert " 500 " not in log
    assert "Traceback" not in log

    with session_scope(engine) as db:
        stored = {
            (m.measure_id, m.period): m
            for m in db.scalars(select(Measurement).where(Measurement.period.like("2001-W%")))
        }
        assert set(stored) == {(w.measure_id, w.period) for w in everything}
        for write in everything:
            row = stored[(write.measure_id, write.period)]
            assert (row.value, row.deleted_at, row.version) == (write.value, None, 1)
        ids = [m.id for m in stored.values()]
        revisions = db.execute(
            select(MeasurementRevision.measurement_id, func.count())
            .where(MeasurementRevision.measurement_id.in_(ids))
            .group_by(MeasurementRevision.measurement_id)
        ).all()
        assert sorted(revisions) == [(i, 1) for i in sorted(ids)]
        events = db.execute(
            select(AuditEvent.entity_id, func.count())
            .where(AuditEvent.entity == "measurement", AuditEvent.entity_id.in_(ids))
            .group_by(AuditEvent.entity_id)
        ).all()
        assert sorted(events) == [(i, 1) for i in sorted(ids)]
    engine.dispose()
