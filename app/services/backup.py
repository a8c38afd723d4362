"""Backup and restore: a consistent, portable snapshot of every table (SQLite ⇄ PostgreSQL).

A backup is a zip file:

- ``manifest.json``: format and version, the schema revision (Alembic head) of the source,
  ``created_at``, the source database kind, and per table its columns, row count and SHA-256;
  ``checksum`` is the SHA-256 over the tables' entries, so a manifest that was edited is noticed.
- ``data/<table>.jsonl``: one JSON object per row, in primary-key order. Values are encoded by the
  column's type so that they come back exactly: dates and timezone-aware datetimes as ISO 8601,
  floats as JSON numbers (shortest round-tripping form; non-finite ones as "nan"/"inf"/"-inf"),
  booleans as JSON booleans, JSON columns as JSON.

The snapshot is read in one transaction: REPEATABLE READ and read-only on PostgreSQL (what pg_dump
does), one deferred read transaction on SQLite (WAL mode: a stable snapshot that never blocks
writers). Restore goes into an empty database migrated to the same revision, in one transaction:
tables in foreign-key order with their ids, self-references filled in afterwards, PostgreSQL
sequences moved past the restored ids, row counts verified before the commit.
"""

import base64
import hashlib
import io
import json
import math
import os
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from datetime import time as time_of_day
from decimal import Decimal
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    Float,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Table,
    Time,
    bindparam,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.types import TypeDecorator, TypeEngine

from app.core import data_version
from app.models import Base, DataVersion

FORMAT = "framsteg-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
BATCH = 500


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- value codecs, chosen by column type --------------------------------------------------------------

Encode = Callable[[Any], Any]
Decode = Callable[[Any], Any]


def _same(value: Any) -> Any:
    return value


def _encode_float(value: float) -> float | str:
    if math.isfinite(value):
        return value
    return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")


def _decode_float(value: float | int | str) -> float:
    return float(value)


def _encode_datetime(value: datetime) -> str:
    return value.isoformat()


def _decode_datetime(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _encode_date(value: date) -> str:
    return value.isoformat()


def _decode_date(value: str) -> date:
    return date.fromisoformat(value)


def _decode_time(value: str) -> time_of_day:
    return time_of_day.fromisoformat(value)


def _encode_bytes(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def _decode_bytes(value: str) -> bytes:
    return base64.b64decode(value)


def _encode_decimal(value: Decimal | float) -> str:
    return str(value)


def _decode_decimal(value: str) -> Decimal:
    return Decimal(value)


# Order matters: Float is a subclass of Numeric, DateTime is checked before Date.
_CODECS: tuple[tuple[type[TypeEngine[Any]], Encode, Decode], ...] = (
    (Boolean, _same, _same),
    (Integer, _same, _same),
    (Float, _encode_float, _decode_float),
    (Numeric, _encode_decimal, _decode_decimal),
    (DateTime, _encode_datetime, _decode_datetime),
    (Date, _encode_date, _decode_date),
    (Time, _encode_datetime, _decode_time),
    (JSON, _same, _same),
    (LargeBinary, _encode_bytes, _decode_bytes),
    (String, _same, _same),  # Text is a String
)


def codec(column: Column[Any]) -> tuple[Encode, Decode]:
    """How a column's values are written to and read from the backup (BackupError for an unknown type)."""
    column_type: Any = column.type
    if isinstance(column_type, TypeDecorator):
        column_type = column_type.impl_instance
    for kind, encode, decode in _CODECS:
        if isinstance(column_type, kind):
            return _nullable(encode), _nullable(decode)
    raise BackupError(f"column {column.table.name}.{column.name} has a type backups cannot store: {column.type!r}")


def _nullable(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    if convert is _same:
        return convert
    return lambda value: None if value is None else convert(value)


# --- reading ------------------------------------------------------------------------------------------


def tables() -> list[Table]:
    """Every table of the app, parents before children (the order rows are restored in). Not the data
    version row: the target database has its own (from its migration), and the restore moves it on."""
    return [table for table in Base.metadata.sorted_tables if table.name != DataVersion.__tablename__]


def code_revision() -> str:
    """The newest migration this version of Framsteg knows (what `framsteg db upgrade` goes to)."""
    from app.cli import alembic_config

    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    return ",".join(sorted(heads))


def database_revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return ",".join(sorted(versions)) or None


def _ordered_select(table: Table) -> Any:
    return select(table).order_by(*table.primary_key.columns)


def rows_of(conn: Connection, table: Table) -> Iterator[dict[str, Any]]:
    """The rows of a table as {column: Python value}, in primary-key order, streamed."""
    result = conn.execution_options(yield_per=BATCH).execute(_ordered_select(table))
    for row in result.mappings():
        yield dict(row)


def _snapshot_connection(engine: Engine) -> Connection:
    """A connection whose next transaction reads one consistent snapshot of the whole database."""
    conn = engine.connect()
    if engine.dialect.name == "postgresql":
        return conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
    # SQLite in WAL mode: a deferred read transaction sees one snapshot and blocks no writer.
    return conn.execution_options(sqlite_begin="DEFERRED")


# --- backup -------------------------------------------------------------------------------------------


@dataclass
class TableEntry:
    name: str
    columns: list[str]
    rows: int
    sha256: str

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "columns": self.columns, "rows": self.rows, "sha256": self.sha256}


@dataclass
class Manifest:
    schema_revision: str
    created_at: datetime
    source: str
    tables: list[TableEntry] = field(default_factory=list)
    format_version: int = FORMAT_VERSION

    @property
    def checksum(self) -> str:
        digest = hashlib.sha256()
        for entry in self.tables:
            digest.update(f"{entry.name}\t{entry.rows}\t{entry.sha256}\n".encode())
        return digest.hexdigest()

    @property
    def total_rows(self) -> int:
        return sum(entry.rows for entry in self.tables)

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "format_version": self.format_version,
            "schema_revision": self.schema_revision,
            "created_at": self.created_at.isoformat(),
            "source": self.source,
            "tables": [entry.as_json() for entry in self.tables],
            "total_rows": self.total_rows,
            "checksum": self.checksum,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Manifest":
        try:
            if data.get("format") != FORMAT:
                raise BackupError("this file is not a Framsteg backup")
            if data.get("format_version") != FORMAT_VERSION:
                raise BackupError(
                    f"backup format version {data.get('format_version')} is not supported (expected {FORMAT_VERSION})"
                )
            manifest = cls(
                schema_revision=str(data["schema_revision"]),
                created_at=datetime.fromisoformat(data["created_at"]),
                source=str(data["source"]),
                tables=[
                    TableEntry(str(t["name"]), [str(c) for c in t["columns"]], int(t["rows"]), str(t["sha256"]))
                    for t in data["tables"]
                ],
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise BackupError(f"the backup's manifest is damaged ({exc})") from exc
        if manifest.checksum != data.get("checksum"):
            raise BackupError("the backup's manifest is damaged (checksum mismatch)")
        return manifest


def _entry_name(table: str) -> str:
    return f"data/{table}.jsonl"


def _encode_row(row: dict[str, Any], encoders: Sequence[tuple[str, Encode]]) -> bytes:
    data = {name: encode(row[name]) for name, encode in encoders}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode() + b"\n"


@dataclass
class BackupResult:
    path: Path
    manifest: Manifest
    bytes: int
    seconds: float


def backup(engine: Engine, path: Path, *, overwrite: bool = False) -> BackupResult:
    """Write a consistent snapshot of the database to `path` (a new file, written atomically)."""
    started = time.perf_counter()
    path = Path(path)
    if path.exists() and not overwrite:
        raise BackupError(f"{path} exists already; choose a new file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    expected = code_revision()
    fd, tmp_name = tempfile.mkstemp(prefix=".framsteg-backup-", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with _snapshot_connection(engine) as conn, conn.begin():
            revision = database_revision(conn)
            if revision != expected:
                raise BackupError(
                    f"the database is at schema revision {revision or 'none'}, this version of Framsteg "
                    f"expects {expected}: run `framsteg db upgrade` first"
                )
            manifest = Manifest(schema_revision=revision, created_at=datetime.now(UTC), source=engine.dialect.name)
            with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
                for table in tables():
                    manifest.tables.append(_write_table(conn, table, archive))
                archive.writestr(MANIFEST, json.dumps(manifest.as_json(), indent=2, ensure_ascii=False))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return BackupResult(path, manifest, path.stat().st_size, time.perf_counter() - started)


def _write_table(conn: Connection, table: Table, archive: zipfile.ZipFile) -> TableEntry:
    encoders = [(column.name, codec(column)[0]) for column in table.columns]
    digest = hashlib.sha256()
    count = 0
    with archive.open(_entry_name(table.name), "w", force_zip64=True) as out:
        for row in rows_of(conn, table):
            line = _encode_row(row, encoders)
            digest.update(line)
            out.write(line)
            count += 1
    return TableEntry(table.name, [column.name for column in table.columns], count, digest.hexdigest())


# --- restore ------------------------------------------------------------------------------------------


@dataclass
class RestoreResult:
    manifest: Manifest
    seconds: float


def read_manifest(path: Path) -> Manifest:
    try:
        with zipfile.ZipFile(path) as archive:
            return _manifest_of(archive)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BackupError(f"cannot read {path}: {exc}") from exc


def _manifest_of(archive: zipfile.ZipFile) -> Manifest:
    try:
        data = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise BackupError("this file is not a Framsteg backup (no manifest)") from None
    except ValueError as exc:
        raise BackupError(f"the backup's manifest is damaged ({exc})") from exc
    if not isinstance(data, dict):
        raise BackupError("the backup's manifest is damaged")
    return Manifest.from_json(data)


def verify(archive: zipfile.ZipFile, manifest: Manifest) -> None:
    """Check every table's data against the manifest (checksum and row count) before touching a database."""
    known = {table.name: table for table in tables()}
    names = [entry.name for entry in manifest.tables]
    if set(names) != set(known):
        missing, extra = sorted(set(known) - set(names)), sorted(set(names) - set(known))
        raise BackupError(f"the backup's tables do not match this schema (missing {missing}, unexpected {extra})")
    for entry in manifest.tables:
        columns = [column.name for column in known[entry.name].columns]
        if entry.columns != columns:
            raise BackupError(f"the backup's columns of {entry.name} do not match this schema")
        digest, count = hashlib.sha256(), 0
        try:
            with archive.open(_entry_name(entry.name)) as data:
                for line in data:
                    digest.update(line)
                    count += 1
        except (KeyError, zipfile.BadZipFile, OSError) as exc:
            raise BackupError(f"the backup's data for {entry.name} is missing or damaged ({exc})") from exc
        if digest.hexdigest() != entry.sha256 or count != entry.rows:
            raise BackupError(f"the backup's data for {entry.name} is damaged (checksum mismatch)")


def restore(engine: Engine, path: Path) -> RestoreResult:
    """Load a backup into an empty database at the backup's schema revision, all in one transaction."""
    started = time.perf_counter()
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BackupError(f"cannot read {path}: {exc}") from exc
    with archive:
        manifest = _manifest_of(archive)
        expected = code_revision()
        if manifest.schema_revision != expected:
            raise BackupError(
                f"the backup is at schema revision {manifest.schema_revision}, this version of Framsteg at "
                f"{expected}: restore it with the Framsteg version that made it, then upgrade"
            )
        verify(archive, manifest)
        try:
            with engine.begin() as conn:
                _check_target(conn, manifest)
                for table in tables():
                    _load_table(conn, table, archive)
                if conn.dialect.name == "postgresql":
                    _reset_sequences(conn)
                _check_counts(conn, manifest)
                data_version.bump(conn)
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise BackupError(f"the backup could not be loaded ({reason}); nothing was saved") from exc
    return RestoreResult(manifest, time.perf_counter() - started)


def _check_target(conn: Connection, manifest: Manifest) -> None:
    revision = database_revision(conn)
    if revision != manifest.schema_revision:
        raise BackupError(
            f"the target database is at schema revision {revision or 'none'}, the backup at "
            f"{manifest.schema_revision}: create an empty database and run `framsteg db upgrade` first"
        )
    filled = [table.name for table in tables() if conn.scalar(select(func.count()).select_from(table))]
    if filled:
        raise BackupError(
            "the target database is not empty (rows in " + ", ".join(filled) + "); restore only into a new, "
            "empty database"
        )


def _self_references(table: Table) -> list[str]:
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


def _load_table(conn: Connection, table: Table, archive: zipfile.ZipFile) -> None:
    decoders = [(column.name, codec(column)[1]) for column in table.columns]
    deferred = _self_references(table)
    later: list[dict[str, Any]] = []
    batch: list[dict[str, Any]] = []
    with archive.open(_entry_name(table.name)) as data:
        for line in io.TextIOWrapper(data, encoding="utf-8"):
            raw = json.loads(line)
            row = {name: decode(raw[name]) for name, decode in decoders}
            # A row may point at a row of its own table that comes later: insert without, link afterwards.
            if deferred and any(row[name] is not None for name in deferred):
                later.append(row)
                row = {**row, **dict.fromkeys(deferred)}
            batch.append(row)
            if len(batch) >= BATCH:
                conn.execute(table.insert(), batch)
                batch = []
    if batch:
        conn.execute(table.insert(), batch)
    if later:
        _link_self_references(conn, table, deferred, later)


def _link_self_references(conn: Connection, table: Table, columns: list[str], rows: list[dict[str, Any]]) -> None:
    key = list(table.primary_key.columns)
    # Keep columns that change on UPDATE (updated_at) at their stored value.
    kept = [c.name for c in table.columns if c.onupdate is not None or c.server_onupdate is not None]
    statement = (
        table.update()
        .where(*[c == bindparam(f"key_{c.name}") for c in key])
        .values({name: bindparam(f"new_{name}") for name in [*columns, *kept]})
    )
    params = [
        {**{f"key_{c.name}": row[c.name] for c in key}, **{f"new_{n}": row[n] for n in [*columns, *kept]}}
        for row in rows
    ]
    conn.execute(statement, params)


def _reset_sequences(conn: Connection) -> None:
    """Move each serial/identity sequence past the restored ids, so new rows get fresh ids."""
    for table in tables():
        key = list(table.primary_key.columns)
        if len(key) != 1 or not isinstance(key[0].type, Integer):
            continue
        column = key[0].name
        conn.execute(
            text(
                f'SELECT setval(pg_get_serial_sequence(:table, :column), COALESCE(MAX("{column}"), 1), '
                f'MAX("{column}") IS NOT NULL) FROM "{table.name}"'
            ),
            {"table": table.name, "column": column},
        )


def _check_counts(conn: Connection, manifest: Manifest) -> None:
    known = {table.name: table for table in tables()}
    for entry in manifest.tables:
        stored = conn.scalar(select(func.count()).select_from(known[entry.name]))
        if stored != entry.rows:
            raise BackupError(f"restoring {entry.name} stored {stored} rows instead of {entry.rows}; nothing was saved")
