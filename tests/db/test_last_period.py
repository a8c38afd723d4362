"""measures.last_period, kept by the triggers of migration 0005: after any write of measurements it is
the measure's latest live period, on both databases, also with concurrent writers on PostgreSQL."""

import random
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from app.models import Measure, Measurement
from app.models.base import utcnow
from tests.support.databases import backend, drop_database, migrated_engine, new_database_url
from tests.support.factories import Factories


def _last(db: Session, measure: Measure) -> str | None:
    db.flush()
    return db.scalar(select(Measure.last_period).where(Measure.id == measure.id))


def _live_latest(db: Session, measure: Measure) -> str | None:
    return db.scalar(
        select(Measurement.period)
        .where(Measurement.measure_id == measure.id, Measurement.deleted_at.is_(None))
        .order_by(Measurement.period.desc())
        .limit(1)
    )


@pytest.fixture
def measure(make: Any) -> Measure:
    created: Measure = make.measure(make.initiative())
    return created


def test_each_kind_of_write_keeps_the_latest_live_period(db: Session, make: Any, measure: Measure) -> None:
    assert _last(db, measure) is None
    make.measurement(measure, "2024-W07", 3)
    latest = make.measurement(measure, "2024-W09", 5)
    make.measurement(measure, "2024-W08", 4)
    assert _last(db, measure) == "2024-W09", "an older period logged later does not move it back"
    latest.value = 6
    assert _last(db, measure) == "2024-W09"
    latest.deleted_at = utcnow()
    assert _last(db, measure) == "2024-W08", "deleting the latest value falls back to the one before"
    latest.deleted_at = None
    assert _last(db, measure) == "2024-W09", "restoring it brings it back"
    latest.period = "2024-W10"
    assert _last(db, measure) == "2024-W10"
    db.execute(delete(Measurement).where(Measurement.period == "2024-W10", Measurement.measure_id == measure.id))
    assert _last(db, measure) == "2024-W08"
    db.execute(delete(Measurement).where(Measurement.measure_id == measure.id))
    assert _last(db, measure) is None


def test_moving_a_value_to_another_measure_updates_both(db: Session, make: Any, measure: Measure) -> None:
    other = make.measure(measure.initiative)
    moved = make.measurement(measure, "2024-05", 1)
    make.measurement(measure, "2024-04", 1)
    make.measurement(other, "2024-01", 1)
    moved.measure_id = other.id
    assert (_last(db, measure), _last(db, other)) == ("2024-04", "2024-05")


def test_random_writes_always_agree_with_the_values(db: Session, make: Any, measure: Measure) -> None:
    chance = random.Random(8)
    rows: list[Measurement] = []
    for step in range(120):
        action = chance.choice(["log", "log", "delete", "restore", "erase", "repaint"])
        if action == "log" or not rows:
            period = f"2024-W{chance.randint(1, 52):02d}"
            found = db.scalar(
                select(Measurement).where(Measurement.measure_id == measure.id, Measurement.period == period)
            )
            if found is None:
                rows.append(make.measurement(measure, period, step))
            else:
                found.deleted_at = None
        else:
            row = chance.choice(rows)
            if action == "delete":
                row.deleted_at = utcnow()
            elif action == "restore":
                row.deleted_at = None
            elif action == "repaint":
                row.value = step
            else:
                rows.remove(row)
                db.delete(row)
        assert _last(db, measure) == _live_latest(db, measure), f"step {step}: {action}"


def test_bulk_statements_keep_it_too(db: Session, make: Any, measure: Measure) -> None:
    for week in range(1, 6):
        make.measurement(measure, f"2024-W{week:02d}", week)
    db.execute(update(Measurement).where(Measurement.measure_id == measure.id).values(deleted_at=utcnow()))
    assert _last(db, measure) is None
    db.execute(
        update(Measurement)
        .where(Measurement.measure_id == measure.id, Measurement.period < "2024-W04")
        .values(deleted_at=None)
    )
    assert _last(db, measure) == "2024-W03"


# --- concurrent writers (PostgreSQL: SQLite runs writers one at a time) --------------------------


@pytest.fixture
def own_database() -> Iterator[Engine]:
    if backend() != "postgres":
        pytest.skip("SQLite runs one writer at a time")
    url = new_database_url("lastperiod")
    engine = migrated_engine(url)
    yield engine
    engine.dispose()
    drop_database(url)


def _in_thread(work: Any) -> threading.Thread:
    thread = threading.Thread(target=work)
    thread.start()
    return thread


@pytest.mark.parametrize("first", ["older", "newer"])
def test_two_writers_to_one_measure_leave_the_latest_period(own_database: Engine, first: str) -> None:
    with Session(own_database) as setup:
        measure = Factories(setup).measure(Factories(setup).initiative())
        Factories(setup).measurement(measure, "2024-W05", 1)
        setup.commit()
        measure_id = measure.id
    periods = {"older": "2024-W10", "newer": "2024-W11"}
    second = "newer" if first == "older" else "older"
    with own_database.connect() as one, own_database.connect() as two:
        one.execute(Measurement.__table__.insert().values(measure_id=measure_id, period=periods[first], value=1))
        # The second writer's trigger waits for the first one's lock on the measure.
        thread = _in_thread(
            lambda: (
                two.execute(
                    Measurement.__table__.insert().values(measure_id=measure_id, period=periods[second], value=2)
                ),
                two.commit(),
            )
        )
        thread.join(0.5)
        assert thread.is_alive(), "the second writer should wait for the first"
        one.commit()
        thread.join(10)
    with Session(own_database) as check:
        assert check.scalar(select(Measure.last_period).where(Measure.id == measure_id)) == "2024-W11"


def test_a_delete_racing_a_new_value_keeps_the_new_value(own_database: Engine) -> None:
    with Session(own_database) as setup:
        measure = Factories(setup).measure(Factories(setup).initiative())
        Factories(setup).measurement(measure, "2024-W05", 1)
        Factories(setup).measurement(measure, "2024-W06", 1)
        setup.commit()
        measure_id = measure.id
    table = Measurement.__table__
    with own_database.connect() as logger, own_database.connect() as remover:
        logger.execute(table.insert().values(measure_id=measure_id, period="2024-W07", value=1))
        thread = _in_thread(
            lambda: (
                remover.execute(
                    update(table)
                    .where(table.c.measure_id == measure_id, table.c.period == "2024-W06")
                    .values(deleted_at=utcnow())
                ),
                remover.commit(),
            )
        )
        thread.join(0.5)
        logger.commit()
        thread.join(10)
    with Session(own_database) as check:
        assert check.scalar(select(Measure.last_period).where(Measure.id == measure_id)) == "2024-W07"
