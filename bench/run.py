"""Benchmark Framsteg's hot pages on the large dataset with several workers (issue 8). Run by hand.

    .venv/bin/python bench/run.py                  # fresh PostgreSQL database, 4 workers, 8 connections
    .venv/bin/python bench/run.py --reuse          # keep the database of the previous run (skip ~4 min)
    .venv/bin/python bench/run.py --sqlite         # also measure on SQLite (generated into a temp file)
    .venv/bin/python bench/run.py --small          # a small dataset, to try the script quickly

Steps: create a fresh database (`framsteg db upgrade`, then bench/generate.py: 300 organisations, 3,000
initiatives, 10,000 measures, ~1M measurements; VACUUM ANALYZE), start `framsteg serve --workers N` and,
on another port with the same uvicorn settings and worker count, the hello-world app bench/hello.py;
log in the generated users (form login for session cookies, `framsteg token create` for an API token);
then measure each page with wrk (a second process on loopback; bench/wrk_auth.lua sends the cookie or
token) at `--connections` concurrent connections, and time the booklet export of organisation 1 (50
initiatives) to PDF sequentially. Prints a table and writes bench/results.md with the machine, date,
database, worker count, the targets, and the EXPLAIN (ANALYZE, BUFFERS) plans of the pages' queries
(bench/explain.py). Text after the `<!-- notes -->` line of an existing results.md is kept.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import re
import secrets
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

import httpx
from sqlalchemy import create_engine, make_url, text

from app.models.enums import DataType

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
PYTHON = sys.executable
WRK_SCRIPT = BENCH / "wrk_auth.lua"
RESULTS = BENCH / "results.md"
NOTES_MARKER = "<!-- notes -->"
PASSWORD = "bench-password-1"  # bench/generate.py's password for every generated login
LOGINS = {
    "admin": "admin@bench.example.se",
    "coordinator": "coordinator@bench.example.se",
    "leader": "leader@bench.example.se",
    "member": "member@bench.example.se",
}
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/framsteg_bench_run"
CSRF_INPUT = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')


@dataclass(frozen=True)
class Target:
    """One measured URL: who asks, and the p95 goal (ms) from issue 8, if it has one."""

    name: str
    path: str
    user: str | None  # a LOGINS key; None for the hello-world app
    api: bool = False  # send the API token instead of the session cookie
    p95_goal_ms: float | None = None
    throughput_goal: float | None = 0.40  # share of hello-world's requests/s


TARGETS = (
    Target("initiative page", "/initiatives/1", "member", p95_goal_ms=50),
    Target("weekly logging", "/log", "member", p95_goal_ms=None),
    Target("dashboard (50 initiatives)", "/dashboard", "leader", p95_goal_ms=50),
    Target("programme overview (3,000, paginated)", "/programs/1", "coordinator", p95_goal_ms=100),
    Target("measure page", "/measures/1", "member", p95_goal_ms=None, throughput_goal=None),
    Target("analysis API", "/api/v1/measures/1/analysis", "member", api=True, p95_goal_ms=20),
    Target("initiatives API (list of 50)", "/api/v1/initiatives", "coordinator", api=True, throughput_goal=None),
)
HELLO = Target("hello world (separate app)", "/hello", None, throughput_goal=None)
EXPORT_GOAL_S = 10.0
DATASET = "300 organisations, 3,000 initiatives, 10,000 measures, 1,000,000 measurements"
DATASET_SMALL = "small (--small: 20 organisations, 200 initiatives, 600 measures, 36,000 measurements)"


@dataclass
class WrkResult:
    target: Target
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    load: float  # 1-minute load average just before the run

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


@dataclass
class RunResult:
    database: str
    workers: int
    rows: list[WrkResult] = field(default_factory=list)
    hello: WrkResult | None = None  # the slower of the two hello-world runs (the ratios' base)
    hello_runs: list[float] = field(default_factory=list)  # req/s of the hello-world runs, first and last
    export_seconds: list[float] = field(default_factory=list)
    export_bytes: int = 0
    plans: str = ""
    generated_in: float | None = None
    writes: int = 0  # values logged by the background writer during the page runs


class Writer:
    """Logs a value through the API `rate` times a second in a thread (nothing at rate 0), as teams
    elsewhere in the programme would while the measured page is read. Each write is a week of the 1990s
    (the generated data start later) in a measure no measured page shows; a week already logged by an
    earlier run (a 409 without its version) is skipped."""

    MEASURE = 5000
    _weeks = itertools.count()

    def __init__(self, base_url: str, token: str, rate: float) -> None:
        self.base_url = base_url
        self.token = token
        self.rate = rate
        self.written = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Writer:
        if self.rate > 0:
            self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)

    def _run(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        with httpx.Client(base_url=self.base_url, headers=headers, timeout=30) as client:
            measure = client.get(f"/api/v1/measures/{self.MEASURE}")
            measure.raise_for_status()
            fraction = DataType(measure.json()["data_type"]).is_fraction
            while not self._stop.wait(1 / self.rate):
                while True:
                    year, week = divmod(next(Writer._weeks) % 520, 52)
                    url = f"/api/v1/measures/{self.MEASURE}/measurements/{1990 + year}-W{week + 1:02d}"
                    body = {"numerator": week, "denominator": 52} if fraction else {"value": week}
                    response = client.put(url, json=body)
                    if response.status_code != 409:
                        break
                if response.status_code not in (200, 201):
                    raise RuntimeError(f"background write answered {response.status_code}: {response.text[:300]}")
                self.written += 1


# --- processes ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def app_env(database_url: str, secret: str, page_cache_mb: int | None = None) -> dict[str, str]:
    env = {
        **os.environ,
        "FRAMSTEG_DATABASE_URL": database_url,
        "FRAMSTEG_ENVIRONMENT": "production",
        "FRAMSTEG_SECRET_KEY": secret,
        "PYTHONPATH": str(ROOT),
    }
    if page_cache_mb is not None:
        env["FRAMSTEG_PAGE_CACHE_MB"] = str(page_cache_mb)
    return env


def framsteg(env: dict[str, str], *args: str, timeout: float = 600) -> str:
    done = subprocess.run(
        [PYTHON, "-m", "app.cli", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode != 0:
        raise RuntimeError(f"framsteg {' '.join(args)} failed: {done.stdout}{done.stderr}")
    return done.stdout


class Server:
    """A server process (framsteg serve or the hello-world app) on a loopback port."""

    def __init__(self, command: Sequence[str], env: dict[str, str], port: int, health: str, log: Path) -> None:
        self.base_url = f"http://127.0.0.1:{port}"
        self.health = health
        self.log_path = log
        self._log = log.open("w")
        self.process = subprocess.Popen(list(command), env=env, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited ({self.process.returncode}); see {self.log_path}")
            try:
                if httpx.get(self.base_url + self.health, timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"server not ready within {timeout} s; see {self.log_path}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()

    def __enter__(self) -> Server:
        self.wait_ready()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()


# --- database -----------------------------------------------------------------------------------


def has_data(url: str) -> bool:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return bool(conn.scalar(text("SELECT count(*) FROM initiatives")))
    except Exception:
        return False
    finally:
        engine.dispose()


def recreate_postgres(url: str) -> None:
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def vacuum_analyze(url: str) -> None:
    """Fresh statistics after the bulk load, as autovacuum would give a long-running database."""
    if not url.startswith("postgresql"):
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
        engine.dispose()
        return
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("VACUUM (ANALYZE)"))
    engine.dispose()


def prepare_database(url: str, env: dict[str, str], *, reuse: bool, small: bool) -> float | None:
    """Migrate and generate (unless reusing a filled database); seconds spent generating."""
    if reuse and has_data(url):
        print(f"reusing {make_url(url).render_as_string(hide_password=True)}")
        framsteg(env, "db", "upgrade")  # new indexes of a later migration
        vacuum_analyze(url)
        return None
    if url.startswith("postgresql"):
        recreate_postgres(url)
    framsteg(env, "db", "upgrade")
    size = ["--organisations", "20", "--initiatives", "200", "--measures", "600", "--points", "60"] if small else []
    print("generating the dataset (about 4 minutes on PostgreSQL) ...", flush=True)
    started = time.perf_counter()
    done = subprocess.run(
        [PYTHON, str(BENCH / "generate.py"), *size], env=env, cwd=ROOT, capture_output=True, text=True, timeout=3600
    )
    if done.returncode != 0:
        raise RuntimeError(f"generate.py failed: {done.stdout}{done.stderr}")
    seconds = time.perf_counter() - started
    vacuum_analyze(url)
    print(f"generated in {seconds:.0f} s")
    return seconds


# --- logging in ---------------------------------------------------------------------------------


def login_cookie(base_url: str, email: str) -> str:
    """Log in through the form like a browser; the Cookie header value for the session."""
    with httpx.Client(base_url=base_url, follow_redirects=False, timeout=30) as client:
        page = client.get("/login")
        match = CSRF_INPUT.search(page.text)
        if match is None:
            raise RuntimeError("no CSRF token on the login page")
        response = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": match.group(1)})
        if response.status_code != 303:
            raise RuntimeError(f"login of {email} failed: {response.status_code}")
        session = client.cookies.get("framsteg_session")
        if not session:
            raise RuntimeError(f"no session cookie for {email}")
        return f"framsteg_session={session}; framsteg_lang=sv"


def api_token(env: dict[str, str], email: str) -> str:
    out = framsteg(env, "token", "create", "--email", email, "--name", f"bench {secrets.token_hex(3)}")
    return out.strip().splitlines()[-1].strip()


@dataclass(frozen=True)
class Credentials:
    cookies: dict[str, str]
    tokens: dict[str, str]

    def headers(self, target: Target) -> dict[str, str]:
        if target.user is None:
            return {}
        if target.api:
            return {"Authorization": f"Bearer {self.tokens[target.user]}"}
        return {"Cookie": self.cookies[target.user]}


# --- measuring ----------------------------------------------------------------------------------


def check(base_url: str, target: Target, headers: dict[str, str], warmup: int) -> None:
    """The URL answers 200 for this user (else the numbers would be about an error page); warm caches.

    Each request on a new connection, so that the kernel spreads them over the workers: every worker
    keeps its own caches, and the measurement is of the steady state, not of each worker's first view."""
    for _ in range(max(1, warmup)):
        with httpx.Client(base_url=base_url, headers=headers, timeout=120) as client:
            response = client.get(target.path)
        if response.status_code != 200:
            raise RuntimeError(f"{target.path} answered {response.status_code}: {response.text[:300]}")


def wrk(base_url: str, target: Target, headers: dict[str, str], args: argparse.Namespace) -> WrkResult:
    env = {
        **os.environ,
        "BENCH_COOKIE": headers.get("Cookie", ""),
        "BENCH_AUTHORIZATION": headers.get("Authorization", ""),
    }
    load = os.getloadavg()[0]
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--timeout",
        "30s",
        "-s",
        str(WRK_SCRIPT),
        base_url + target.path,
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=args.duration + 120)
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed: {done.stdout}{done.stderr}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    errors = sum(int(data[k]) for k in ("non_2xx", "connect_errors", "read_errors", "write_errors", "timeouts"))
    return WrkResult(
        target=target,
        requests=int(data["requests"]),
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50"] / 1000,
        p95_ms=data["p95"] / 1000,
        p99_ms=data["p99"] / 1000,
        errors=errors,
        load=load,
    )


def time_export(base_url: str, cookie: str, runs: int) -> tuple[list[float], int]:
    """Organisation 1's booklet (50 initiatives) as PDF, one request after the other (not under wrk)."""
    seconds, size = [], 0
    with httpx.Client(base_url=base_url, headers={"Cookie": cookie}, timeout=300) as client:
        for k in range(runs + 1):
            started = time.perf_counter()
            response = client.get("/organisations/1/export", params={"format": "pdf"})
            elapsed = time.perf_counter() - started
            if response.status_code != 200 or not response.content.startswith(b"%PDF"):
                raise RuntimeError(f"export failed: {response.status_code} {response.text[:200]}")
            size = len(response.content)
            if k > 0:  # the first request is a warm-up (WeasyPrint, fonts, templates in that worker)
                seconds.append(elapsed)
    return seconds, size


def wait_for_quiet(max_load: float, patience: float) -> None:
    """Wait (at most `patience` seconds) until the 1-minute load average is below `max_load`."""
    deadline = time.monotonic() + patience
    while os.getloadavg()[0] > max_load and time.monotonic() < deadline:
        time.sleep(5)


@contextmanager
def servers(url: str, env: dict[str, str], workers: int, logs: Path) -> Iterator[tuple[Server, Server]]:
    app_port, hello_port = free_port(), free_port()
    app = Server(
        [PYTHON, "-m", "app.cli", "serve", "--port", str(app_port), "--workers", str(workers)],
        env,
        app_port,
        "/api/v1/health",
        logs / f"framsteg-{make_url(url).get_backend_name()}.log",
    )
    hello = Server(
        [PYTHON, str(BENCH / "hello.py"), "--port", str(hello_port), "--workers", str(workers)],
        {**os.environ},
        hello_port,
        "/hello",
        logs / "hello.log",
    )
    try:
        app.wait_ready()
        hello.wait_ready()
        yield app, hello
    finally:
        app.stop()
        hello.stop()


def run_database(url: str, args: argparse.Namespace, logs: Path) -> RunResult:
    secret = secrets.token_urlsafe(48)
    env = app_env(url, secret, args.page_cache_mb)
    label = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    result = RunResult(database=label, workers=args.workers)
    result.generated_in = prepare_database(url, env, reuse=args.reuse, small=args.small)
    credentials = Credentials(
        cookies={},
        tokens={user: api_token(env, email) for user, email in LOGINS.items()},
    )
    with servers(url, env, args.workers, logs) as (app, hello):
        credentials.cookies.update({user: login_cookie(app.base_url, email) for user, email in LOGINS.items()})
        for target in TARGETS:
            check(app.base_url, target, credentials.headers(target), args.warmup)
        check(hello.base_url, HELLO, {}, args.warmup)
        wait_for_quiet(args.max_load, args.patience)
        result.hello = wrk(hello.base_url, HELLO, {}, args)
        print(row_text(result.hello, result.hello), flush=True)
        for target in TARGETS:
            wait_for_quiet(args.max_load, args.patience)
            with Writer(app.base_url, credentials.tokens["admin"], args.writes_per_second) as writer:
                measured = wrk(app.base_url, target, credentials.headers(target), args)
            result.writes += writer.written
            result.rows.append(measured)
            print(row_text(measured, result.hello), flush=True)
        # The hello-world app once more at the end: the machine's load may have changed meanwhile.
        again = wrk(hello.base_url, HELLO, {}, args)
        result.hello_runs = [result.hello.rps, again.rps]
        if again.rps < result.hello.rps:
            result.hello = again
        print(f"hello world again: {again.rps:.0f} req/s", flush=True)
        result.export_seconds, result.export_bytes = time_export(
            app.base_url, credentials.cookies["leader"], args.export_runs
        )
        print(f"export of 50 initiatives to PDF: {', '.join(f'{s:.2f}' for s in result.export_seconds)} s", flush=True)
    if args.explain:
        done = subprocess.run(
            [PYTHON, str(BENCH / "explain.py")], env=env, cwd=ROOT, capture_output=True, text=True, timeout=1800
        )
        if done.returncode != 0:
            raise RuntimeError(f"explain.py failed: {done.stdout}{done.stderr}")
        result.plans = done.stdout
    return result


# --- report -------------------------------------------------------------------------------------


def page_cache_text(mb: int | None) -> str:
    if mb is None:
        return "on, the app's default size"
    return "off: every request renders" if mb == 0 else f"on, {mb} MB per worker"


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def row_text(r: WrkResult, hello: WrkResult) -> str:
    ratio = r.rps / hello.rps if hello.rps else 0.0
    return f"{r.target.name:<40} {r.p50_ms:8.1f} {r.p95_ms:8.1f} {r.rps:9.0f} {ratio:8.0%} {r.errors:6d} {r.load:6.1f}"


def markdown(results: Sequence[RunResult], args: argparse.Namespace) -> str:
    lines = [
        "# Benchmark results (issue 8)",
        "",
        "Written by `bench/run.py`; the notes at the end are kept between runs.",
        "",
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {machine()}",
        f"- software: Python {platform.python_version()}, {database_versions(results, args)}, "
        f"wrk ({shutil.which('wrk')})",
        f"- server: `framsteg serve --workers {args.workers}` (uvicorn), beside `bench/hello.py` with the same "
        f"uvicorn settings and {args.workers} workers on another port",
        f"- load: wrk -t{args.threads} -c{args.connections} -d{args.duration}s from a second process on loopback; "
        "p50/p95 are wrk's latency percentiles; req/s over the run",
        f"- dataset: {DATASET_SMALL if args.small else DATASET} (bench/generate.py), VACUUM ANALYZE after loading",
        f"- the machine is shared: `load` is the 1-minute load average just before each run ({os.cpu_count()} CPUs)",
        f"- page cache (app.web.page_cache): {page_cache_text(args.page_cache_mb)}; background writes during each "
        f"page run: {args.writes_per_second:g} per second ({', '.join(str(r.writes) for r in results)} in all)",
        "",
    ]
    for result in results:
        assert result.hello is not None
        lines += [
            f"## {result.database}, {result.workers} workers, {args.connections} concurrent connections",
            "",
            "| page | p50 ms | p95 ms | req/s | vs hello world | p95 goal | throughput ≥ 40 % | errors | load |",
            "|---|---:|---:|---:|---:|---|---|---:|---:|",
        ]
        for r in [result.hello, *result.rows]:
            ratio = r.rps / result.hello.rps if result.hello.rps else 0.0
            goal = r.target.p95_goal_ms
            p95 = "" if goal is None else f"≤ {goal:.0f} ms: {verdict(r.p95_ms <= goal)}"
            share = "" if r.target.throughput_goal is None else verdict(ratio >= r.target.throughput_goal)
            lines.append(
                f"| {r.target.name} (`{r.target.path}`) | {r.p50_ms:.1f} | {r.p95_ms:.1f} | {r.rps:.0f} | "
                f"{ratio:.0%} | {p95} | {share} | {r.errors} | {r.load:.1f} |"
            )
        if len(result.hello_runs) == 2:
            first, last = result.hello_runs
            lines += [
                "",
                f"Hello world measured before and after the pages: {first:.0f} and {last:.0f} req/s; the ratios use "
                "the slower run.",
            ]
        if result.export_seconds:
            median = statistics.median(result.export_seconds)
            lines += [
                "",
                f"Booklet export of organisation 1 (50 initiatives) to PDF, sequential, after one warm-up request: "
                f"{', '.join(f'{s:.2f}' for s in result.export_seconds)} s (median {median:.2f} s, "
                f"{result.export_bytes / 1024:.0f} KiB); goal ≤ {EXPORT_GOAL_S:.0f} s: "
                f"{verdict(max(result.export_seconds) <= EXPORT_GOAL_S)}.",
            ]
        if result.generated_in is not None:
            lines += ["", f"Dataset generated in {result.generated_in:.0f} s."]
        lines.append("")
    for result in results:
        if result.plans:
            lines += [
                f"## Query plans on {result.database} (EXPLAIN (ANALYZE, BUFFERS), trimmed)",
                "",
                result.plans,
                "",
            ]
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(x.split()[1]) for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")
        )
        memory = f"{mem_kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        memory = "RAM unknown"
    return f"{cpu}, {os.cpu_count()} CPUs, {memory}, {platform.system()} {platform.release()}"


def database_versions(results: Sequence[RunResult], args: argparse.Namespace) -> str:
    names = []
    if any(r.database == "PostgreSQL" for r in results):
        names.append(postgres_version(args.postgres_url))
    if any(r.database == "SQLite" for r in results):
        names.append(f"SQLite {sqlite3.sqlite_version}")
    return ", ".join(names)


def postgres_version(url: str) -> str:
    try:
        engine = create_engine(make_url(url).set(database="postgres"))
        with engine.connect() as conn:
            version = str(conn.scalar(text("SHOW server_version")))
        engine.dispose()
        return f"PostgreSQL {version}"
    except Exception:
        return "PostgreSQL (not reachable)"


def keep_notes(new: str, path: Path) -> str:
    if path.exists():
        old = path.read_text()
        if NOTES_MARKER in old:
            return new.rstrip() + "\n\n" + NOTES_MARKER + old.split(NOTES_MARKER, 1)[1]
    return new.rstrip() + "\n\n" + NOTES_MARKER + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres-url", default=os.environ.get("FRAMSTEG_BENCH_POSTGRES_URL", DEFAULT_PG))
    parser.add_argument("--sqlite", action="store_true", help="also measure on SQLite")
    parser.add_argument("--no-postgres", action="store_true", help="only SQLite")
    parser.add_argument("--reuse", action="store_true", help="keep a filled database from an earlier run")
    parser.add_argument("--small", action="store_true", help="small dataset (to try the script)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--duration", type=int, default=15, help="seconds per wrk run")
    parser.add_argument("--warmup", type=int, default=20, help="requests per URL before measuring")
    parser.add_argument("--export-runs", type=int, default=3)
    parser.add_argument("--max-load", type=float, default=float(os.cpu_count() or 1), help="wait for load below")
    parser.add_argument("--patience", type=float, default=120, help="seconds to wait for a quieter machine")
    parser.add_argument("--no-explain", dest="explain", action="store_false")
    parser.add_argument(
        "--page-cache-mb", type=int, default=None, help="the app's page cache per worker (0: off; default: the app's)"
    )
    parser.add_argument(
        "--writes-per-second",
        type=float,
        default=0.0,
        help="log values through the API at this rate during every page run (each write makes every kept page stale)",
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed", file=sys.stderr)
        return 2
    logs = Path(tempfile.mkdtemp(prefix="framsteg-bench-"))
    print(f"server logs in {logs}")
    print(f"{'page':<40} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>9} {'vs hello':>8} {'errors':>6} {'load':>6}")
    results = []
    if not args.no_postgres:
        results.append(run_database(args.postgres_url, args, logs))
    if args.sqlite or args.no_postgres:
        sqlite_url = f"sqlite:///{Path(tempfile.gettempdir()) / 'framsteg-bench-run.db'}"
        if not args.reuse:
            Path(sqlite_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        results.append(run_database(sqlite_url, args, logs))
    report = markdown(results, args)
    print()
    print(report)
    args.output.write_text(keep_notes(report, args.output))
    print(f"written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
