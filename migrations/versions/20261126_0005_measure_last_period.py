"""measures.last_period: each measure's latest live period, kept by triggers on measurements

The programme overview lists the teams without new values, which needs the latest period of every
measure of a programme (10,000 measures in bench/generate.py's dataset). Read from the measurements it
took one index step per measure, 76 ms on PostgreSQL (bench/results.md); read from this column it is a
scan of the measures. Triggers keep it, so every way of writing a value (the app, imports, restores,
plain SQL) keeps it right; the app never writes it.

On PostgreSQL the trigger locks the measure's row before reading its latest period: a concurrent
writer to the same measure then waits, and the read sees every value committed before the lock, so
two writers cannot leave an older period behind. On SQLite writers are serial.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 07:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WATCHED = "measure_id, period, deleted_at"  # a changed value leaves the latest period as it is


def _latest(measure_id: str) -> str:
    return (
        f"(SELECT m.period FROM measurements m WHERE m.measure_id = {measure_id} AND m.deleted_at IS NULL "
        "ORDER BY m.period DESC LIMIT 1)"
    )


def _refresh(measure_id: str) -> str:
    return f"UPDATE measures SET last_period = {_latest(measure_id)} WHERE id = {measure_id};"


POSTGRES = [
    f"""
    CREATE FUNCTION measurements_refresh_last_period() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        ids integer[];
        measure integer;
    BEGIN
        IF TG_OP = 'INSERT' THEN
            ids := ARRAY[NEW.measure_id];
        ELSIF TG_OP = 'DELETE' THEN
            ids := ARRAY[OLD.measure_id];
        ELSE
            ids := ARRAY[OLD.measure_id, NEW.measure_id];
        END IF;
        FOREACH measure IN ARRAY ids LOOP
            -- NO KEY UPDATE: does not conflict with the KEY SHARE lock every new value's foreign key takes.
            PERFORM 1 FROM measures WHERE id = measure FOR NO KEY UPDATE;
            {_refresh("measure")}
        END LOOP;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE TRIGGER measurements_last_period AFTER INSERT OR DELETE OR UPDATE OF {WATCHED} ON measurements
    FOR EACH ROW EXECUTE FUNCTION measurements_refresh_last_period()
    """,
]
SQLITE = [
    f"CREATE TRIGGER measurements_last_period_insert AFTER INSERT ON measurements BEGIN {_refresh('NEW.measure_id')} END",
    f"CREATE TRIGGER measurements_last_period_delete AFTER DELETE ON measurements BEGIN {_refresh('OLD.measure_id')} END",
    f"CREATE TRIGGER measurements_last_period_update AFTER UPDATE OF {WATCHED} ON measurements "
    f"BEGIN {_refresh('OLD.measure_id')} {_refresh('NEW.measure_id')} END",
]


def upgrade() -> None:
    with op.batch_alter_table('measures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_period', sa.String(length=8), nullable=True))
    for statement in POSTGRES if op.get_bind().dialect.name == "postgresql" else SQLITE:
        op.execute(statement)
    op.execute(f"UPDATE measures SET last_period = {_latest('measures.id')}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER measurements_last_period ON measurements")
        op.execute("DROP FUNCTION measurements_refresh_last_period()")
    else:
        for kind in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER measurements_last_period_{kind}")
    with op.batch_alter_table('measures', schema=None) as batch_op:
        batch_op.drop_column('last_period')
