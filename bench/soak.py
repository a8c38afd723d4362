"""Soak test: a real multi-process server on PostgreSQL under steady load, then an exact check of the data.

    .venv/bin/python bench/soak.py [--minutes 10] [--users 20] [--workers 4]

Creates a fresh PostgreSQL database (next to FRAMSTEG_TEST_POSTGRES_URL, default
postgresql+psycopg://postgres@127.0.0.1:5432/test) with the demo, starts `framsteg serve --workers 4` on
a free loopback port, and runs simulated team members (threads with httpx) for the given time. Each one
logs values through the JSON API (new periods and corrections with the version it read), reads pages and
API resources, and exports the programme. Afterwards every acknowledged write must be stored exactly:
the set of values, each value and version, one history row and one audit event per write. Prints
requests, errors, throughput and latency percentiles per kind of request, and exits 1 on any error or
difference. Only loopback; the database is dropped afterwards unless --keep.
"""

import argparse
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from alembic import command
from sqlalchemy import create_engine, func, make_url, select, text

from app.auth.sessions import create_api_token
from app.cli import alembic_config
from app.core.db import make_engine, session_scope
from app.models import AuditEvent, Measure, Measurement, MeasurementRevision, Program, TeamMember, User
from seed.demo import DEMO_PASSWORD, load_demo

ROOT = Path(__file__).resolve().parents[1]

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
FIRST_YEAR, LAST_YEAR = 1991, 2020  # no demo values there: every soak value is the soak's own
PAGE_PATHS = ("/", "/log", "/initiatives/{i}", "/measures/{m}", "/initiatives/{i}/pdsa", "/initiatives/{i}/trash")
API_PATHS = ("/api/v1/measures/{m}/measurements?limit=500", "/api/v1/measures/{m}/analysis", "/api/v1/initiatives/{i}")
EXPORT_FORMATS = ("csv", "json", "xlsx")
MIX = {"write": 40, "page": 30, "api": 20, "export": 10}


# --- set-up -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Account:
    email: str
    token: str
    initiative_id: int
    measures: tuple[tuple[int, str, str], ...]  # (id, frequency, data type) of value/count measures


def create_database(base_url: str) -> str:
    base = make_url(base_url)
    if base.host not in ("127.0.0.1", "localhost", "::1", None):
        raise SystemExit("the soak test runs against a local PostgreSQL only")
    name = f"framsteg_soak_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def drop_database(base_url: str, url: str) -> None:
    admin = create_engine(make_url(base_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


def prepare(url: str) -> tuple[list[Account], int]:
    """Migrate, load the demo, and give every team member with value/count measures an API token."""
    command.upgrade(alembic_config(url), "head")
    engine = make_engine(url)
    accounts: list[Account] = []
    with session_scope(engine) as db:
        load_demo(db)
        program_id = db.scalars(select(Program.id)).one()
        members = db.execute(
            select(User, TeamMember.initiative_id).join(TeamMember, TeamMember.user_id == User.id).order_by(User.id)
        ).all()
        seen: set[int] = set()
        for user, initiative_id in members:
            if user.id in seen:
                continue
            measures = db.execute(
                select(Measure.id, Measure.frequency, Measure.data_type).where(
                    Measure.initiative_id == initiative_id,
                    Measure.deleted_at.is_(None),
                    Measure.data_type.in_(["value", "count"]),
                )
            ).all()
            if not measures:
                continue
            seen.add(user.id)
            _, token = create_api_token(db, user, "soak")
            accounts.append(Account(user.email, token, initiative_id, tuple((m, f, d) for m, f, d in measures)))
    engine.dispose()
    return accounts, program_id


def periods(frequency: str) -> list[str]:
    """Every period of the soak's years, in the measure's frequency."""
    if frequency == "month":
        return [f"{y}-{m:02d}" for y in range(FIRST_YEAR, LAST_YEAR + 1) for m in range(1, 13)]
    weeks = []
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        last = date(year, 12, 28).isocalendar().week  # the 28th of December is always in the year's last week
        weeks += [f"{year}-W{week:02d}" for week in range(1, last + 1)]
    return weeks


# --- the load -----------------------------------------------------------------------------------------------


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, problem: str | None) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if problem:
                self.errors[kind][problem] += 1


@dataclass
class Stored:
    value: float
    version: int


class SimulatedUser(threading.Thread):
    """One team member: logs values of their own periods, reads, exports, with a short pause in between."""

    def __init__(
        self, index: int, users: int, base_url: str, account: Account, program_id: int, deadline: float, stats: Stats
    ) -> None:
        super().__init__(name=f"user-{index}", daemon=True)
        self.rng = random.Random(index)
        self.base_url = base_url
        self.account = account
        self.program_id = program_id
        self.deadline = deadline
        self.stats = stats
        # Periods this user owns: every `users`-th one, so no two users write the same value.
        self.free = {
            (m, p)
            for m, frequency, _ in account.measures
            for n, p in enumerate(periods(frequency))
            if n % users == index
        }
        self.data_type = {m: d for m, _, d in account.measures}
        self.acknowledged: dict[tuple[int, str], Stored] = {}
        self.writes = 0
        self.uncertain: set[tuple[int, str]] = set()

    def run(self) -> None:
        # Idle connections are dropped by the client before the server's keep-alive timeout (5 s) can
        # close one just as a request goes out on it.
        limits = httpx.Limits(keepalive_expiry=2.0)
        bearer = {"Authorization": f"Bearer {self.account.token}"}
        with (
            httpx.Client(base_url=self.base_url, timeout=120, limits=limits) as web,
            httpx.Client(base_url=self.base_url, timeout=120, limits=limits, headers=bearer) as api,
        ):
            self.login(web)
            kinds, weights = zip(*MIX.items(), strict=True)
            while time.monotonic() < self.deadline:
                kind = self.rng.choices(kinds, weights)[0]
                if kind == "write":
                    self.write(api)
                elif kind == "page":
                    self.timed(kind, web, self.fill(self.rng.choice(PAGE_PATHS)))
                elif kind == "api":
                    self.timed(kind, api, self.fill(self.rng.choice(API_PATHS)))
                else:
                    fmt = self.rng.choice(EXPORT_FORMATS)
                    self.timed(kind, api, f"/api/v1/programs/{self.program_id}/export?format={fmt}")
                time.sleep(self.rng.uniform(0.05, 0.3))

    def fill(self, path: str) -> str:
        measure = self.rng.choice(self.account.measures)[0]
        return path.format(i=self.account.initiative_id, m=measure)

    def login(self, web: httpx.Client) -> None:
        page = web.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token, "no CSRF token on the login page"
        form = {"csrf_token": token.group(1), "email": self.account.email, "password": DEMO_PASSWORD}
        answer = web.post("/login", data=form)
        assert answer.status_code == 303, f"login failed for {self.account.email}: {answer.status_code}"

    def timed(self, kind: str, client: httpx.Client, path: str) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = client.get(path)
        except httpx.HTTPError as exc:
            self.stats.add(kind, time.perf_counter() - started, type(exc).__name__)
            return None
        problem = None if response.status_code == 200 else f"{response.status_code} {path}"
        self.stats.add(kind, time.perf_counter() - started, problem)
        return response

    def write(self, api: httpx.Client) -> None:
        correct = self.acknowledged and (not self.free or self.rng.random() < 0.3)
        if correct:
            key = self.rng.choice(sorted(self.acknowledged))
            old = self.acknowledged[key]
            body: dict[str, Any] = {"value": old.value + 1, "version": old.version}
        else:
            if not self.free:
                return
            key = self.rng.choice(sorted(self.free))
            body = {"value": float(self.rng.randint(0, 500))}
        if self.data_type[key[0]] == "count":
            body["value"] = float(int(body["value"]))
        started = time.perf_counter()
        try:
            response = api.put(f"/api/v1/measures/{key[0]}/measurements/{key[1]}", json=body)
        except httpx.HTTPError as exc:
            self.stats.add("write", time.perf_counter() - started, type(exc).__name__)
            self.uncertain.add(key)  # the server may or may not have stored it
            return
        seconds = time.perf_counter() - started
        if response.status_code == 200:
            data = response.json()
            self.acknowledged[key] = Stored(float(data["value"]), int(data["version"]))
            self.free.discard(key)
            self.writes += 1
            self.stats.add("write", seconds, None)
        else:
            self.stats.add("write", seconds, f"{response.status_code} {response.text[:120]}")


# --- checking and reporting ---------------------------------------------------------------------------------


def verify(url: str, users: list[SimulatedUser]) -> list[str]:
    """Differences between what the server acknowledged and what the database holds (empty: exact)."""
    expected: dict[tuple[int, str], Stored] = {}
    uncertain: set[tuple[int, str]] = set()
    for user in users:
        expected.update(user.acknowledged)
        uncertain |= user.uncertain
    measure_ids = sorted({m for user in users for m, _, _ in user.account.measures})
    problems: list[str] = []
    engine = make_engine(url)
    with session_scope(engine) as db:
        in_range = (Measurement.measure_id.in_(measure_ids), Measurement.period >= str(FIRST_YEAR))
        rows = db.scalars(select(Measurement).where(*in_range, Measurement.period < str(LAST_YEAR + 1))).all()
        stored = {(r.measure_id, r.period): r for r in rows}
        for key in sorted(set(expected) | set(stored)):
            if key in uncertain:
                continue
            want, have = expected.get(key), stored.get(key)
            if want is None or have is None:
                problems.append(f"{key}: acknowledged {want}, stored {have and (have.value, have.version)}")
            elif (have.value, have.version, have.deleted_at) != (want.value, want.version, None):
                problems.append(f"{key}: acknowledged {want}, stored {(have.value, have.version, have.deleted_at)}")
        ids = [r.id for r in rows]
        writes = sum(u.writes for u in users)
        revisions = db.scalar(select(func.count()).where(MeasurementRevision.measurement_id.in_(ids))) or 0
        events = (
            db.scalar(select(func.count()).where(AuditEvent.entity == "measurement", AuditEvent.entity_id.in_(ids)))
            or 0
        )
        if not uncertain and (revisions, events) != (writes, writes):
            problems.append(f"{writes} acknowledged writes, {revisions} history rows, {events} audit events")
    engine.dispose()
    return problems


def percentile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1]


def _row(name: str, values: list[float], failed: int, seconds: float) -> str:
    ms = [percentile(values, q) * 1000 for q in (50, 95, 99)] + [(max(values) if values else 0.0) * 1000]
    numbers = " ".join(f"{x:>8.0f}" for x in ms)
    return f"{name:<8} {len(values):>9} {failed:>7} {len(values) / seconds:>7.1f} {numbers}"


def report(stats: Stats, seconds: float) -> tuple[int, int]:
    header = ("requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms")
    widths = (9, 7, 7, 8, 8, 8, 8)
    print("\n" + f"{'kind':<8} " + " ".join(f"{h:>{w}}" for h, w in zip(header, widths, strict=True)))
    everything: list[float] = []
    errors = 0
    for kind in MIX:
        values = stats.latencies.get(kind, [])
        failed = sum(stats.errors[kind].values())
        everything += values
        errors += failed
        print(_row(kind, values, failed, seconds))
    print(_row("all", everything, errors, seconds))
    for kind, problems in stats.errors.items():
        for problem, n in problems.most_common(5):
            print(f"  {kind}: {n} × {problem}")
    return len(everything), errors


# --- main ---------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(base_url: str, server: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}")
        try:
            if httpx.get(f"{base_url}/api/v1/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit("the server did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to keep the load up (default 10)")
    parser.add_argument("--users", type=int, default=20, help="simulated users (default 20)")
    parser.add_argument("--workers", type=int, default=4, help="server worker processes (default 4)")
    parser.add_argument("--postgres", default=os.environ.get("FRAMSTEG_TEST_POSTGRES_URL", DEFAULT_POSTGRES))
    parser.add_argument("--keep", action="store_true", help="keep the database and the server log")
    args = parser.parse_args()
    if not 0 < args.minutes <= 24 * 60:
        parser.error("--minutes must be between 0 and 1440")

    url = create_database(args.postgres)
    log_path = Path(f"/tmp/{make_url(url).database}.log")
    server: subprocess.Popen[bytes] | None = None
    try:
        started = time.monotonic()
        accounts, program_id = prepare(url)
        print(
            f"database {make_url(url).database}: demo loaded, {len(accounts)} team accounts "
            f"({time.monotonic() - started:.0f} s)"
        )
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "FRAMSTEG_DATABASE_URL": url,
            "FRAMSTEG_ENVIRONMENT": "production",
            "FRAMSTEG_SECRET_KEY": secrets.token_urlsafe(48),
        }
        with log_path.open("w") as log:
            server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "app.cli",
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--workers",
                    str(args.workers),
                ],
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            wait_ready(base_url, server)
            print(f"{args.workers} workers at {base_url}; {args.users} users for {args.minutes:g} minutes")
            stats = Stats()
            begin = time.monotonic()
            deadline = begin + args.minutes * 60
            users = [
                SimulatedUser(i, args.users, base_url, accounts[i % len(accounts)], program_id, deadline, stats)
                for i in range(args.users)
            ]
            for user in users:
                user.start()
            for user in users:
                user.join(timeout=args.minutes * 60 + 600)
            seconds = time.monotonic() - begin
            server.terminate()
            server.wait(timeout=120)
        requests, errors = report(stats, seconds)
        server_log = log_path.read_text(errors="replace")
        crashes = server_log.count("Traceback") + len(re.findall(r'" 5\d\d ', server_log))
        problems = verify(url, users)
        writes = sum(u.writes for u in users)
        print(f"\n{requests} requests in {seconds:.0f} s, {errors} errors; server log: {crashes} 5xx/tracebacks")
        print(f"data check: {writes} acknowledged writes, {len(problems)} differences")
        for problem in problems[:20]:
            print(f"  {problem}")
        return 1 if errors or crashes or problems else 0
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            server.wait(timeout=60)
        if args.keep:
            print(f"kept database {make_url(url).database} and {log_path}")
        else:
            drop_database(args.postgres, url)
            log_path.unlink(missing_ok=True)


if __name__ == "__main__":
    sys.exit(main())
