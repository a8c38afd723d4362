"""Time the booklet export of the demo programme (every initiative) to PDF and DOCX.

Run by hand: `.venv/bin/python bench/bench_export.py [--repeat R] [--database-url URL]`. Without a URL
it migrates and seeds a fresh SQLite database with the demo programme. Prints, per format, the median
wall-clock and CPU time of R runs (after one warm-up run that loads WeasyPrint, fonts and templates),
split into building the summary (database and analysis) and rendering. Goals: PDF under 10 s and
DOCX under 5 s. Wall-clock depends on what else the machine runs; CPU time is steadier.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

from sqlalchemy import select

GOALS = {"pdf": 10.0, "docx": 5.0}
T = TypeVar("T")


@dataclass
class Timing:
    wall: float
    cpu: float


def _timed(fn: Callable[[], T]) -> tuple[T, Timing]:
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return value, Timing(time.perf_counter() - wall, time.process_time() - cpu)


def _prepare_database(url: str | None) -> str:
    if url:
        return url
    path = Path(tempfile.mkdtemp(prefix="framsteg-bench-")) / "bench.db"
    return f"sqlite:///{path}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", default=None, help="use this database (already seeded) instead")
    args = parser.parse_args()
    url = _prepare_database(args.database_url)
    os.environ["FRAMSTEG_DATABASE_URL"] = url
    os.environ.setdefault("FRAMSTEG_SECRET_KEY", "bench-secret-key-long-enough-0123456789")

    from alembic import command

    from app.auth.policy import Principal
    from app.cli import alembic_config
    from app.core import i18n
    from app.core.db import session_scope
    from app.export import booklet, docx_export
    from app.export.summary import ProgramSummary, build_summary
    from app.models import Program, User
    from seed.demo import load_demo

    if args.database_url is None:
        command.upgrade(alembic_config(url), "head")
        with session_scope() as db:
            load_demo(db)

    renderers: dict[str, tuple[bool, Callable[[ProgramSummary], bytes]]] = {
        "pdf": (True, booklet.render_pdf),
        "docx": (False, docx_export.render_docx),
    }
    print(f"database: {url}")
    failed = False
    with i18n.language("sv"), session_scope() as db:
        admin = db.scalar(select(User).order_by(User.id).limit(1))
        program = db.scalar(select(Program).order_by(Program.id).limit(1))
        if admin is None or program is None:
            print("no demo data found", file=sys.stderr)
            return 2
        principal = Principal(user_id=admin.id, is_admin=True)
        for name, (charts, render) in renderers.items():
            runs: list[tuple[Timing, Timing, int]] = []
            for k in range(args.repeat + 1):
                summary, built = _timed(partial(build_summary, db, principal, program_id=program.id, charts=charts))
                content, rendered = _timed(partial(render, summary))
                if k > 0:  # the first run is a warm-up
                    runs.append((built, rendered, len(content)))
            wall = statistics.median(b.wall + r.wall for b, r, _ in runs)
            cpu = statistics.median(b.cpu + r.cpu for b, r, _ in runs)
            summary_wall = statistics.median(b.wall for b, _, _ in runs)
            size = runs[-1][2]
            verdict = "ok" if wall < GOALS[name] else "SLOW"
            failed |= wall >= GOALS[name]
            print(
                f"{name:5} {len(summary.initiatives)} initiatives, {summary.measure_count} measures: "
                f"total {wall:6.2f} s wall ({cpu:5.2f} s CPU), of which summary {summary_wall:5.2f} s; "
                f"{size / 1024:7.0f} KiB; goal < {GOALS[name]:.0f} s: {verdict}"
            )
    print(f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
