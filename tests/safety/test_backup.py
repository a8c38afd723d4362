"""Backup and restore: the demo goes SQLite → PostgreSQL → SQLite and every row of every table is equal."""

import hashlib
import json
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from typer.testing import CliRunner, Result

from app import cli as cli_module
from app.core.db import session_scope
from app.models import AuditEvent, Lesson, LoginAttempt, Measure, Measurement, PdsaCycle, User, UserSession
from app.services import backup as backups
from seed.demo import load_demo
from tests.safety.conftest import NewDatabase
from tests.support.databases import backend, migrated_engine

TRICKY_FLOATS = [0.1 + 0.2, 1 / 3, 1e-300, 123456789.12345679, -2.5e15, 2.0**53 + 2, 5e-324]
TRICKY_TEXT = 'Åsa Öberg: "rätt" & fel\\n\n\ttabb, emoji 🌱, <b>html</b>, 日本'


def _add_tricky_rows(db: Session) -> None:
    """Rows the demo lacks: nested JSON, exact floats, microseconds, soft deletes, a forward self-reference."""
    user = db.scalars(select(User).order_by(User.id)).first()
    assert user is not None
    at = datetime(2024, 3, 31, 1, 59, 59, 999999, tzinfo=timezone(timedelta(hours=2)))
    db.add(
        AuditEvent(
            actor_id=user.id,
            action="update",
            entity="measure",
            entity_id=1,
            initiative_id=1,
            before={"name": TRICKY_TEXT, "target": 0.1 + 0.2, "tags": ["a", "ö"], "nested": {"x": [1, 2.5, None]}},
            after={"empty": {}, "list": [], "flag": True, "none": None, "big": 2**62},
            at=at,
        )
    )
    db.add(
        UserSession(
            token_hash="a" * 64, user_id=user.id, created_at=at, last_seen_at=at, expires_at=at + timedelta(hours=8)
        )
    )
    values = db.scalars(
        select(Measurement).join(Measure).where(Measure.data_type == "value").order_by(Measurement.id)
    ).all()
    for row, number in zip(values, TRICKY_FLOATS, strict=False):
        row.value = number
        row.comment = TRICKY_TEXT
    lesson = db.scalars(select(Lesson).order_by(Lesson.id)).first()
    assert lesson is not None
    lesson.deleted_at, lesson.deleted_by_id, lesson.tags = at, user.id, ["kontinuitet", "🌱"]
    cycles = db.scalars(select(PdsaCycle).order_by(PdsaCycle.id)).all()
    cycles[0].previous_cycle_id = cycles[-1].id  # points forward: restore must link it after inserting
    db.flush()


def _typed(value: Any) -> Any:
    """A value with its type, so 1 ≠ True ≠ 1.0 and -0.0 ≠ 0.0; datetimes keep their offset."""
    if isinstance(value, float):
        return ("float", value.hex())
    if isinstance(value, datetime):
        return ("datetime", value.isoformat())
    if isinstance(value, dict | list):
        return (type(value).__name__, json.dumps(value, sort_keys=True))
    return (type(value).__name__, value)


def everything(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as conn:
        return {
            table.name: [tuple(_typed(v) for v in row.values()) for row in backups.rows_of(conn, table)]
            for table in backups.tables()
        }


@pytest.fixture(scope="module")
def demo_source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A SQLite database with the demo programme and some tricky rows."""
    engine = migrated_engine(f"sqlite:///{tmp_path_factory.mktemp('source') / 'demo.db'}")
    with session_scope(engine) as db:
        load_demo(db, today=date(2026, 11, 25))
        _add_tricky_rows(db)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def demo_backup(demo_source: Engine, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return backups.backup(demo_source, tmp_path_factory.mktemp("backup") / "demo.zip").path


def test_round_trip_sqlite_postgres_sqlite(
    demo_source: Engine, demo_backup: Path, new_database: NewDatabase, tmp_path: Path
) -> None:
    postgres = new_database("postgres")
    backups.restore(postgres, demo_backup)
    second = backups.backup(postgres, tmp_path / "from-postgres.zip")
    sqlite = new_database("sqlite")
    backups.restore(sqlite, second.path)

    original = everything(demo_source)
    assert sum(map(len, original.values())) > 1000
    assert everything(postgres) == original
    assert everything(sqlite) == original
    # The encoded data are byte for byte the same, whichever database they came from.
    first = backups.read_manifest(demo_backup)
    assert [(t.name, t.rows, t.sha256) for t in first.tables] == [
        (t.name, t.rows, t.sha256) for t in second.manifest.tables
    ]
    assert (first.source, second.manifest.source) == ("sqlite", "postgresql")

    # The sequences moved past the restored ids: new rows get new ids.
    with session_scope(postgres) as db:
        before = db.scalar(select(func.max(AuditEvent.id)))
        db.add(AuditEvent(action="create", entity="test", entity_id=None))
        db.flush()
        assert db.scalar(select(func.max(AuditEvent.id))) == (before or 0) + 1


def test_manifest_describes_the_backup(demo_backup: Path, demo_source: Engine) -> None:
    with zipfile.ZipFile(demo_backup) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        names = set(archive.namelist())
    assert manifest["format"] == "framsteg-backup"
    assert manifest["schema_revision"] == backups.code_revision()
    assert datetime.fromisoformat(manifest["created_at"]).tzinfo is not None
    assert {t["name"] for t in manifest["tables"]} == {t.name for t in backups.tables()}
    assert names == {"manifest.json"} | {f"data/{t['name']}.jsonl" for t in manifest["tables"]}
    with demo_source.connect() as conn:
        assert manifest["tables"][0]["rows"] == conn.scalar(select(func.count()).select_from(backups.tables()[0]))


def _rewrite(source: Path, target: Path, *, table: str | None = None, change: Callable[[dict[str, Any]], None]) -> Path:
    """Copy a backup, changing one table's rows or (table=None) the manifest, with valid checksums."""
    with zipfile.ZipFile(source) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        files = {name: archive.read(name) for name in archive.namelist() if name != "manifest.json"}
    if table is None:
        change(manifest)
    else:
        rows = [json.loads(line) for line in files[f"data/{table}.jsonl"].splitlines()]
        for row in rows:
            change(row)
        data = b"".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")).encode() + b"\n" for r in rows)
        files[f"data/{table}.jsonl"] = data
        entry = next(t for t in manifest["tables"] if t["name"] == table)
        entry["sha256"] = hashlib.sha256(data).hexdigest()
    digest = hashlib.sha256()
    for t in manifest["tables"]:
        digest.update(f"{t['name']}\t{t['rows']}\t{t['sha256']}\n".encode())
    manifest["checksum"] = digest.hexdigest()
    with zipfile.ZipFile(target, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
        archive.writestr("manifest.json", json.dumps(manifest))
    return target


def _row_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return sum(conn.scalar(select(func.count()).select_from(t)) or 0 for t in backups.tables())


def test_restore_refuses_a_database_that_is_not_empty(demo_backup: Path, new_database: NewDatabase) -> None:
    target = new_database("sqlite")
    backups.restore(target, demo_backup)
    with pytest.raises(backups.BackupError, match="not empty"):
        backups.restore(target, demo_backup)


def test_restore_refuses_another_schema_revision(demo_backup: Path, new_database: NewDatabase, tmp_path: Path) -> None:
    target = new_database("sqlite")
    with target.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'older'"))
    with pytest.raises(backups.BackupError, match="schema revision older"):
        backups.restore(target, demo_backup)
    unmigrated = new_database("sqlite", migrate=False)
    with pytest.raises(backups.BackupError, match="revision none"):
        backups.restore(unmigrated, demo_backup)

    def older(manifest: dict[str, Any]) -> None:
        manifest["schema_revision"] = "older"

    with pytest.raises(backups.BackupError, match="backup is at schema revision older"):
        backups.restore(new_database("sqlite"), _rewrite(demo_backup, tmp_path / "old.zip", change=older))


def test_restore_refuses_a_damaged_file(demo_backup: Path, new_database: NewDatabase, tmp_path: Path) -> None:
    target = new_database("sqlite")
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(demo_backup) as source, zipfile.ZipFile(damaged, "w") as copy:
        for name in source.namelist():
            content = source.read(name)
            copy.writestr(name, content.replace(b"Falkenberg", b"Falkenborg") if name.startswith("data/") else content)
    with pytest.raises(backups.BackupError, match="damaged"):
        backups.restore(target, damaged)
    not_a_zip = tmp_path / "notes.txt"
    not_a_zip.write_text("hello")
    with pytest.raises(backups.BackupError, match="cannot read"):
        backups.restore(target, not_a_zip)
    assert _row_count(target) == 0


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_failing_restore_leaves_the_target_empty(
    kind: str, demo_backup: Path, new_database: NewDatabase, tmp_path: Path
) -> None:
    # measurements are restored late; a row pointing at a missing measure fails there, after many inserts.
    def dangling(row: dict[str, Any]) -> None:
        row["measure_id"] = 999_999

    broken = _rewrite(demo_backup, tmp_path / "broken.zip", table="measurements", change=dangling)
    target = new_database(kind)
    with pytest.raises(backups.BackupError, match="nothing was saved") as failure:
        backups.restore(target, broken)
    assert isinstance(failure.value.__cause__, IntegrityError)
    assert _row_count(target) == 0


def test_backup_refuses_to_overwrite_and_needs_a_migrated_database(
    demo_backup: Path, new_database: NewDatabase, tmp_path: Path
) -> None:
    with pytest.raises(backups.BackupError, match="exists already"):
        backups.backup(new_database("sqlite"), demo_backup)
    with pytest.raises(backups.BackupError, match="db upgrade"):
        backups.backup(new_database("sqlite", migrate=False), tmp_path / "x.zip")
    assert not (tmp_path / "x.zip").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".framsteg-backup")] == []


def test_every_column_type_has_a_codec() -> None:
    for table in backups.tables():
        for column in table.columns:
            backups.codec(column)


def test_cli_backup_and_restore(
    demo_source: Engine, new_database: NewDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def framsteg(engine: Engine, *args: str) -> Result:
        monkeypatch.setattr(cli_module, "get_engine", lambda: engine)
        return CliRunner().invoke(cli_module.cli, list(args))

    path = tmp_path / "cli.zip"
    made = framsteg(demo_source, "backup", str(path))
    assert made.exit_code == 0, made.output
    assert "Backed up" in made.stdout
    assert framsteg(demo_source, "backup", str(path)).exit_code == 1
    target = new_database("sqlite")
    restored = framsteg(target, "restore", str(path))
    assert restored.exit_code == 0, restored.output
    assert "Restored" in restored.stdout
    assert everything(target) == everything(demo_source)
    again = framsteg(target, "restore", str(path))
    assert again.exit_code == 1
    assert "not empty" in again.stderr


def test_soft_deleted_rows_and_timestamps_survive(demo_backup: Path, new_database: NewDatabase) -> None:
    target = new_database("sqlite")
    backups.restore(target, demo_backup)
    with session_scope(target) as db:
        lesson = db.scalars(select(Lesson).where(Lesson.deleted_at.is_not(None))).one()
        assert lesson.deleted_at == datetime(2024, 3, 30, 23, 59, 59, 999999, tzinfo=UTC)
        assert lesson.tags == ["kontinuitet", "🌱"]
        db.execute(update(Lesson).where(Lesson.id == lesson.id).values(text="changed"))


def test_backup_is_one_snapshot_while_others_write(
    new_database: NewDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer adds a login attempt and an audit event in each transaction while the backup runs:
    the backup holds as many of one as of the other (tables dumped at different moments would not)."""
    engine = new_database(backend())
    stop = threading.Event()
    commits = 0

    def writer() -> None:
        nonlocal commits
        while not stop.is_set():
            with session_scope(engine) as db:
                db.add(LoginAttempt(email="snapshot@example.se", address="127.0.0.1"))
                db.add(AuditEvent(action="create", entity="snapshot-test", entity_id=None))
            commits += 1

    real_write_table = backups._write_table

    def slow_write_table(*args: Any) -> backups.TableEntry:
        time.sleep(0.05)  # give the writer time to commit between tables
        return real_write_table(*args)

    monkeypatch.setattr(backups, "_write_table", slow_write_table)
    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while commits < 5:
            time.sleep(0.01)
        during = commits
        result = backups.backup(engine, tmp_path / "live.zip")
        after = commits
    finally:
        stop.set()
        thread.join()
    counts = {t.name: t.rows for t in result.manifest.tables}
    assert after > during, "the writer did not commit while the backup ran"
    assert counts["login_attempts"] == counts["audit_events"]
    assert during <= counts["audit_events"] <= after
