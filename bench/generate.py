"""Generate a large, national-scale dataset for the benchmarks (issue 8).

Default size: 300 organisations, 3,000 initiatives, 10,000 measures, about 1,000,000 measurements, in one
programme. Organisation 1 gets exactly 50 initiatives (the ledningsgrupp dashboard case). Deterministic.

    FRAMSTEG_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/framsteg_bench \\
        .venv/bin/python bench/generate.py [--organisations 300 --initiatives 3000 --measures 10000 --points 100]

The database must be migrated (`framsteg db upgrade`) and empty. Prints the logins it creates.
"""

import argparse
import random
import time
from datetime import date, timedelta
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from app.analysis.periods import period_for_date, period_from_index, period_index
from app.auth.passwords import hash_password
from app.core.db import get_engine
from app.models import Initiative, Measure, Measurement, Membership, Organisation, Program, User, program_organisations

PASSWORD = "bench-password-1"
BATCH = 20_000


def _insert(db: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        db.execute(insert(model), rows[start : start + BATCH])


def generate(
    db: Session, *, organisations: int, initiatives: int, measures: int, points: int, seed: int = 7
) -> dict[str, str]:
    rng = random.Random(seed)
    today = date.today()
    program = Program(name="Nationellt förbättringsprogram (benchmark)", starts_on=today - timedelta(weeks=points + 4))
    db.add(program)
    db.flush()
    _insert(
        db,
        Organisation,
        [
            {
                "id": i,
                "name": f"Kommun {i:03d}, Socialförvaltningen",
                "municipality": f"Kommun {i:03d}",
                "kind": "socialforvaltning",
            }
            for i in range(1, organisations + 1)
        ],
    )
    db.execute(
        insert(program_organisations),
        [{"program_id": program.id, "organisation_id": i} for i in range(1, organisations + 1)],
    )
    # Organisation 1 holds 50 initiatives; the rest are spread evenly over the others.
    org_of = [1 if i < 50 else 2 + (i - 50) % (organisations - 1) for i in range(initiatives)]
    statuses = ["active"] * 6 + ["sustaining", "completed", "draft", "stopped"]
    _insert(
        db,
        Initiative,
        [
            {
                "id": i + 1,
                "program_id": program.id,
                "organisation_id": org_of[i],
                "title": f"Förbättringsarbete {i + 1}",
                "problem": "Väntetiderna är för långa för brukarna.",
                "aim": "Minska väntetiden med 20 procent inom ett år.",
                "status": rng.choice(statuses),
                "rag": rng.choice(["green", "amber", "red", None]),
                "started_on": today - timedelta(weeks=points),
            }
            for i in range(initiatives)
        ],
    )
    current = period_index(period_for_date(today, "week"))
    measure_rows, measurement_rows = [], []
    for m in range(measures):
        initiative_id = 1 + m % initiatives
        proportion = m % 3 == 1
        measure_rows.append(
            {
                "id": m + 1,
                "initiative_id": initiative_id,
                "name": f"Mått {m + 1}",
                "kind": ["outcome", "process", "balancing"][m // initiatives % 3],
                "data_type": "proportion" if proportion else "value",
                "unit": "%" if proportion else "dagar",
                "definition": "Räknas varje vecka av teamet enligt den gemensamma definitionen.",
                "direction": "decrease",
                "frequency": "week",
                "baseline": 50.0,
                "target": 40.0,
                "chart": "auto",
                "rate_multiplier": 1.0,
                "position": m // initiatives,
            }
        )
        level = rng.uniform(30, 70)
        for k in range(points):
            period = period_from_index(current - points + k, "week")
            if proportion:
                den = rng.randint(20, 60)
                num = min(den, max(0, round(den * level / 100 + rng.gauss(0, 3))))
                measurement_rows.append(
                    {
                        "measure_id": m + 1,
                        "period": period,
                        "value": 100 * num / den,
                        "numerator": num,
                        "denominator": den,
                        "is_rate": False,
                    }
                )
            else:
                measurement_rows.append(
                    {
                        "measure_id": m + 1,
                        "period": period,
                        "value": round(level + rng.gauss(0, 5), 1),
                        "is_rate": False,
                    }
                )
        if len(measurement_rows) >= BATCH * 5:
            _insert(db, Measure, measure_rows)
            _insert(db, Measurement, measurement_rows)
            measure_rows, measurement_rows = [], []
    _insert(db, Measure, measure_rows)
    _insert(db, Measurement, measurement_rows)

    password_hash = hash_password(PASSWORD)
    logins: dict[str, tuple[str, dict[str, Any]]] = {
        "admin": ("admin@bench.example.se", {"role": "admin"}),
        "coordinator": ("coordinator@bench.example.se", {"role": "coordinator", "program_id": program.id}),
        "leader": ("leader@bench.example.se", {"role": "leader", "organisation_id": 1}),
        "member": ("member@bench.example.se", {"role": "member", "initiative_id": 1}),
    }
    for name, (email, membership) in logins.items():
        user = User(email=email, name=f"Bench {name}", password_hash=password_hash)
        db.add(user)
        db.flush()
        db.execute(insert(Membership), [{"user_id": user.id, **membership}])
    _reset_sequences(db)
    return {name: email for name, (email, _m) in logins.items()}


def _reset_sequences(db: Session) -> None:
    """Explicit ids were inserted; move PostgreSQL's sequences past them."""
    if db.get_bind().dialect.name != "postgresql":
        return
    for table in ("organisations", "initiatives", "measures"):
        db.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--organisations", type=int, default=300)
    parser.add_argument("--initiatives", type=int, default=3000)
    parser.add_argument("--measures", type=int, default=10_000)
    parser.add_argument("--points", type=int, default=100, help="weekly measurements per measure")
    args = parser.parse_args()
    started = time.perf_counter()
    with Session(get_engine()) as db, db.begin():
        logins = generate(
            db,
            organisations=args.organisations,
            initiatives=args.initiatives,
            measures=args.measures,
            points=args.points,
        )
    print(f"Generated in {time.perf_counter() - started:.1f} s. Password for all: {PASSWORD}")
    for role, email in logins.items():
        print(f"  {role:<12} {email}")


if __name__ == "__main__":
    main()
