"""EXPLAIN (ANALYZE, BUFFERS) of the SQL behind the benchmarked pages, on a database filled by bench/run.py.

    FRAMSTEG_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/framsteg_bench_run \\
        .venv/bin/python bench/explain.py [--lines 14] [--sql-chars 500]

Requests each page in-process (FastAPI's TestClient, logged in as the generated user), records every
statement the page sends with its parameters, then runs each distinct one again under
EXPLAIN (ANALYZE, BUFFERS) (EXPLAIN QUERY PLAN on SQLite). Prints Markdown: per page the statements
with their plans, trimmed, slowest first. Read-only apart from the logins' sessions.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass
from typing import Any

SECRET = "bench-explain-secret-key-long-enough-0123456789"
PASSWORD = "bench-password-1"
CSRF_INPUT = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')
PAGES: tuple[tuple[str, str, str, bool], ...] = (
    # (name, path, user, api)
    ("initiative page", "/initiatives/1", "member@bench.example.se", False),
    ("weekly logging", "/log", "member@bench.example.se", False),
    ("dashboard (50 initiatives)", "/dashboard", "leader@bench.example.se", False),
    ("programme overview", "/programs/1", "coordinator@bench.example.se", False),
    ("measure page", "/measures/1", "member@bench.example.se", False),
    ("analysis API", "/api/v1/measures/1/analysis", "member@bench.example.se", True),
    ("initiatives API", "/api/v1/initiatives", "coordinator@bench.example.se", True),
)
# Statements that only serve the login or bookkeeping, not the page.
SKIP = re.compile(r"^\s*(INSERT|UPDATE|DELETE|SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT|SELECT 1\b)", re.IGNORECASE)


@dataclass
class Statement:
    sql: str
    parameters: Any


def one_line(sql: str, limit: int) -> str:
    flat = " ".join(sql.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def execution_ms(plan: list[str]) -> float:
    for line in plan:
        match = re.search(r"Execution Time: ([0-9.]+) ms", line)
        if match:
            return float(match.group(1))
    return 0.0


def shorten(line: str, limit: int = 160) -> str:
    """Plan lines with long IN lists ('{1,2,3,…}') cut to a readable length."""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def trim(plan: list[str], lines: int) -> list[str]:
    """The first `lines` lines of the plan (the costly top nodes), plus the timing lines."""
    body = [shorten(line) for line in plan if not line.startswith(("Planning", "Execution"))]
    kept = body[:lines]
    if len(body) > lines:
        kept.append(f"  … ({len(body) - lines} more lines)")
    kept += [line for line in plan if line.startswith(("Planning Time", "Execution Time"))]
    return kept


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=14, help="plan lines per statement")
    parser.add_argument("--sql-chars", type=int, default=500)
    args = parser.parse_args()
    if "FRAMSTEG_DATABASE_URL" not in os.environ:
        print("set FRAMSTEG_DATABASE_URL", file=sys.stderr)
        return 2
    os.environ.setdefault("FRAMSTEG_SECRET_KEY", SECRET)
    # The plans of what a page costs when it is rendered: a page served from the page cache sends none.
    os.environ["FRAMSTEG_PAGE_CACHE_MB"] = "0"
    print(explain(lines=args.lines, sql_chars=args.sql_chars))
    return 0


def explain(*, lines: int = 14, sql_chars: int = 500) -> str:
    from fastapi.testclient import TestClient
    from sqlalchemy import event

    from app.auth.sessions import create_api_token
    from app.core.db import get_engine, session_scope
    from app.main import create_app
    from app.models import User

    engine = get_engine()
    postgres = engine.dialect.name == "postgresql"
    out: list[str] = []
    tokens: dict[str, str] = {}
    with session_scope() as db:
        for email in {user for _n, _p, user, api in PAGES if api}:
            user = db.query(User).filter_by(email=email).one()
            tokens[email] = create_api_token(db, user, "bench explain")[1]
    with TestClient(create_app(), base_url="http://testserver", follow_redirects=False) as client:
        for name, path, email, api in PAGES:
            client.cookies.clear()
            headers = {}
            if api:
                headers["Authorization"] = f"Bearer {tokens[email]}"
            else:
                page = client.get("/login")
                match = CSRF_INPUT.search(page.text)
                assert match, "no CSRF token on the login page"
                response = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": match[1]})
                assert response.status_code == 303, response.text
            client.get(path, headers=headers)  # warm caches, as the server's pages are after a while
            captured: list[Statement] = []

            def listener(conn: Any, cursor: Any, statement: str, parameters: Any, *rest: Any) -> None:
                captured.append(Statement(statement, parameters))  # noqa: B023 (bound per page on purpose)

            event.listen(engine, "before_cursor_execute", listener)
            try:
                response = client.get(path, headers=headers)
            finally:
                event.remove(engine, "before_cursor_execute", listener)
            assert response.status_code == 200, f"{path}: {response.status_code}"
            out += [f"### {name} (`{path}`): {len(captured)} statements", ""]
            seen: set[str] = set()
            explained: list[tuple[float, str, list[str]]] = []
            with engine.connect() as conn:
                for statement in captured:
                    if SKIP.match(statement.sql) or statement.sql in seen:
                        continue
                    seen.add(statement.sql)
                    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgres else "EXPLAIN QUERY PLAN "
                    rows = conn.exec_driver_sql(prefix + statement.sql, statement.parameters).all()
                    plan = [str(row[0]) if postgres else str(row[-1]) for row in rows]
                    explained.append((execution_ms(plan), one_line(statement.sql, sql_chars), plan))
                conn.rollback()
            explained.sort(key=lambda item: -item[0])
            total = sum(ms for ms, _sql, _plan in explained)
            out += [f"Sum of execution times: {total:.1f} ms.", ""]
            for _ms, sql, plan in explained:
                out += ["```", sql, "", *trim(plan, lines), "```", ""]
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
