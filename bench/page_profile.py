"""Time and profile one page in-process, on a database filled by bench/run.py (issue 8). Run by hand.

    FRAMSTEG_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/framsteg_bench_run \\
        .venv/bin/python bench/page_profile.py /dashboard leader [--requests 20] [--profile 30] [--sort tottime]

Logs in as the generated user (`member`, `leader`, `coordinator` or `admin`; API paths get a token), then
prints the number of SQL statements of one request, the mean time of a request with the analysis caches
emptied before each one ("cold": as after a change of the data, or the first view of the day) and
without ("warm": the same page again, as wrk measures it), and the time spent rendering the template.
With `--profile N`, the N most expensive functions of the warm requests (cProfile; the page's code runs
in the profiled thread, not in Starlette's thread pool). One process, no concurrency: the figures are
the cost of a request, not its latency under load.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import sys
import time
from collections.abc import Callable
from typing import Any

SECRET = "bench-profile-secret-key-long-enough-0123456789"
PASSWORD = "bench-password-1"
CSRF_INPUT = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path")
    parser.add_argument("user", help="member, leader, coordinator or admin")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--profile", type=int, default=0, help="print the N most expensive functions")
    parser.add_argument("--sort", default="cumulative", help="cProfile sort key (cumulative, tottime)")
    args = parser.parse_args()
    if "FRAMSTEG_DATABASE_URL" not in os.environ:
        print("set FRAMSTEG_DATABASE_URL", file=sys.stderr)
        return 2
    os.environ.setdefault("FRAMSTEG_SECRET_KEY", SECRET)

    import fastapi.dependencies.utils
    import fastapi.routing
    from fastapi.testclient import TestClient
    from sqlalchemy import event, select

    import app.web.templating
    from app.auth.sessions import create_api_token
    from app.core.db import get_engine, session_scope
    from app.main import create_app
    from app.models import User
    from app.services import analysis

    profiler = cProfile.Profile()
    profiling = [False]
    render_seconds: list[float] = []

    async def inline(func: Callable[..., Any], *a: Any, **k: Any) -> Any:
        """Run sync endpoints and dependencies in the event loop's thread, so cProfile sees them."""
        if not profiling[0]:
            return func(*a, **k)
        profiler.enable()
        try:
            return func(*a, **k)
        finally:
            profiler.disable()

    fastapi.routing.run_in_threadpool = inline  # type: ignore[attr-defined]
    fastapi.dependencies.utils.run_in_threadpool = inline  # type: ignore[attr-defined]
    render = app.web.templating.render

    def timed_render(*a: Any, **k: Any) -> Any:
        started = time.perf_counter()
        try:
            return render(*a, **k)
        finally:
            render_seconds.append(time.perf_counter() - started)

    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith("app.web.") and getattr(module, "render", None) is render:
            module.render = timed_render  # type: ignore[attr-defined]

    email = f"{args.user}@bench.example.se"
    headers: dict[str, str] = {}
    engine = get_engine()
    with TestClient(create_app(), base_url="http://testserver", follow_redirects=False) as client:
        if args.path.startswith("/api/"):
            with session_scope() as db:
                user = db.scalars(select(User).where(User.email == email)).one()
                headers["Authorization"] = f"Bearer {create_api_token(db, user, 'bench profile')[1]}"
        else:
            match = CSRF_INPUT.search(client.get("/login").text)
            assert match, "no CSRF token on the login page"
            response = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": match[1]})
            assert response.status_code == 303, f"login failed: {response.status_code}"

        def get() -> int:
            response = client.get(args.path, headers=headers)
            assert response.status_code == 200, f"{args.path}: {response.status_code} {response.text[:300]}"
            return len(response.content)

        for _ in range(3):
            size = get()
        statements: list[str] = []

        def count(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", count)
        get()
        event.remove(engine, "before_cursor_execute", count)

        def mean_ms(cold: bool) -> tuple[float, float]:
            render_seconds.clear()
            total = 0.0
            for _ in range(args.requests):
                if cold:
                    analysis.clear_caches()
                started = time.perf_counter()
                get()
                total += time.perf_counter() - started
            rendered = sum(render_seconds) / len(render_seconds) * 1000 if render_seconds else 0.0
            return total / args.requests * 1000, rendered

        cold, cold_render = mean_ms(cold=True)
        warm, warm_render = mean_ms(cold=False)
        print(f"{args.path} as {args.user}: {len(statements)} SQL statements, {size / 1024:.0f} KiB")
        print(f"cold caches: {cold:7.1f} ms per request (template {cold_render:.1f} ms)")
        print(f"warm caches: {warm:7.1f} ms per request (template {warm_render:.1f} ms)")
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        if args.profile:
            profiling[0] = True
            for _ in range(args.requests):
                get()
            profiling[0] = False
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
