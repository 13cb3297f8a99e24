"""Backups and restores: ``flask --app app kil backup PATH`` and ``kil restore PATH``.

Two formats, told apart by their first bytes:

- **SQLite file** (the default for the embedded SQLite database): a consistent copy made with
  SQLite's online backup API while the app keeps running; it *is* a database, so it can also be
  opened directly with ``sqlite3``.
- **Portable dump** (the default for PostgreSQL, ``--portable`` for SQLite): gzip-compressed
  JSON lines, one line per row, written by SQLAlchemy from the app's own table definitions
  inside one repeatable-read transaction. It restores into either database at the same
  migration revision.

Why a portable dump rather than ``pg_dump`` for PostgreSQL: ``pg_dump`` must be at least the
server's major version and is often missing (or older) on the machines that run the app, while
this dump needs nothing but the app; it is checked by the same round-trip test on both
databases, and it also moves a council from the embedded SQLite to PostgreSQL. For
whole-cluster disaster recovery, the database host's own ``pg_dump`` or base backups still
apply, and the README says so.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from pathlib import Path

from sqlalchemy import Date, DateTime, LargeBinary, Numeric, Time, func, select, text, update
from sqlalchemy.engine import Connection, Engine

from .extensions import db

FORMAT = "kil-consult-backup"
VERSION = 1
SQLITE_MAGIC = b"SQLite format 3\x00"
GZIP_MAGIC = b"\x1f\x8b"
BATCH = 1000


class BackupError(RuntimeError):
    """A backup or restore that cannot be done, with a message for the operator."""


def _engine() -> Engine:
    return db.engine


def _sqlite_path(engine: Engine) -> str | None:
    if engine.dialect.name != "sqlite":
        return None
    path = engine.url.database
    if not path or path == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return path


def _revision(connection: Connection) -> str | None:
    try:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # noqa: BLE001 - a database that was never migrated has no revision
        return None


# --- backup ------------------------------------------------------------------------------------


def backup(path: str | os.PathLike, portable: bool = False) -> dict:
    """Write a backup of the app's database to ``path``; returns counts of rows per table
    (for a SQLite file copy, counts read back from the copy)."""
    engine = _engine()
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    source = _sqlite_path(engine)
    if source and not portable:
        return _sqlite_backup(source, target)
    return _portable_backup(engine, target)


def _sqlite_backup(source: str, target: Path) -> dict:
    """SQLite's online backup API: a consistent copy while others keep reading and writing."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    with sqlite3.connect(source, timeout=30) as live, sqlite3.connect(partial) as copy:
        live.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
        ok = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if ok != "ok":
            raise BackupError(f"The copy failed SQLite's integrity check: {ok}")
        counts = _sqlite_counts(copy)
    partial.replace(target)
    return counts


def _sqlite_counts(connection: sqlite3.Connection) -> dict:
    counts = {}
    for table in db.metadata.sorted_tables:
        # Table names come from the app's own models, never from input.
        sql = f'SELECT count(*) FROM "{table.name}"'  # nosec B608
        counts[table.name] = connection.execute(sql).fetchone()[0]
    return counts


def _plain(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    return value


def _portable_backup(engine: Engine, target: Path) -> dict:
    counts: dict[str, int] = {}
    partial = target.with_name(target.name + ".partial")
    options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    with engine.connect().execution_options(**options) as connection:
        with connection.begin():
            header = {
                "format": FORMAT,
                "version": VERSION,
                "alembic_revision": _revision(connection),
                "dialect": connection.dialect.name,
                "created_at": datetime.now().astimezone().isoformat(),
                "tables": [table.name for table in db.metadata.sorted_tables],
            }
            with gzip.open(partial, "wt", encoding="utf-8") as out:
                out.write(json.dumps(header) + "\n")
                for table in db.metadata.sorted_tables:
                    columns = [column.name for column in table.columns]
                    out.write(json.dumps({"table": table.name, "columns": columns}) + "\n")
                    order = list(table.primary_key.columns) or list(table.columns)
                    rows = connection.execute(select(table).order_by(*order)).yield_per(BATCH)
                    n = 0
                    for row in rows:
                        out.write(json.dumps([_plain(v) for v in row]) + "\n")
                        n += 1
                    counts[table.name] = n
    partial.replace(target)
    return counts


# --- restore -----------------------------------------------------------------------------------


def detect_format(path: str | os.PathLike) -> str:
    """'sqlite' or 'portable', from the file's first bytes."""
    with open(path, "rb") as handle:
        start = handle.read(16)
    if start == SQLITE_MAGIC:
        return "sqlite"
    if start[:2] == GZIP_MAGIC:
        return "portable"
    raise BackupError(f"{path} is not a kil-consult backup.")


def restore(path: str | os.PathLike, replace: bool = False) -> dict:
    """Restore the backup at ``path`` into the app's database; returns rows per table.

    The database must be empty (migrated with ``flask db upgrade`` to the backup's revision,
    for a portable dump) unless ``replace`` is given, which first deletes what is there.
    """
    if not Path(path).is_file():
        raise BackupError(f"There is no backup at {path}.")
    kind = detect_format(path)
    engine = _engine()
    if kind == "sqlite":
        return _sqlite_restore(Path(path), engine, replace)
    return _portable_restore(Path(path), engine, replace)


def _has_rows(connection) -> bool:
    for table in db.metadata.sorted_tables:
        if connection.execute(select(func.count()).select_from(table)).scalar():
            return True
    return False


def _sqlite_restore(source: Path, engine: Engine, replace: bool) -> dict:
    target = _sqlite_path(engine)
    if target is None:
        raise BackupError(
            "This is a SQLite backup; restore it into SQLite, or make a portable one with "
            "`kil backup --portable` to move to PostgreSQL."
        )
    with sqlite3.connect(source) as copy:
        if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("The backup file is damaged (SQLite integrity check failed).")
    if Path(target).exists() and not replace:
        with engine.connect() as connection:
            if _has_rows(connection):
                raise BackupError(
                    "The database is not empty. Use --replace to overwrite it with the backup."
                )
    engine.dispose()
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as copy, sqlite3.connect(target, timeout=30) as live:
        copy.backup(live)
        if live.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("The restored database failed SQLite's integrity check.")
        counts = _sqlite_counts(live)
    engine.dispose()
    return counts


def _lines(path: Path) -> Iterator[object]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def _converter(column):
    kind = column.type
    if isinstance(kind, DateTime):
        return datetime.fromisoformat
    if isinstance(kind, Date):
        return date.fromisoformat
    if isinstance(kind, Time):
        return time.fromisoformat
    if isinstance(kind, Numeric) and kind.asdecimal:
        return Decimal
    if isinstance(kind, LargeBinary):
        return base64.b64decode
    return None


def _portable_restore(path: Path, engine: Engine, replace: bool) -> dict:
    lines = _lines(path)
    header = next(lines, None)
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError(f"{path} is not a kil-consult backup.")
    tables = {table.name: table for table in db.metadata.sorted_tables}
    counts: dict[str, int] = {}
    with engine.begin() as connection:
        revision = _revision(connection)
        if revision != header.get("alembic_revision"):
            raise BackupError(
                f"The backup is at migration {header.get('alembic_revision')} but the database "
                f"is at {revision}. Run `flask --app app db upgrade` to that revision first."
            )
        if _has_rows(connection):
            if not replace:
                raise BackupError(
                    "The database is not empty. Use --replace to overwrite it with the backup."
                )
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
        table = columns = None
        deferred: list[tuple] = []  # self-references, set once every row exists
        batch: list[dict] = []

        def flush():
            if batch:
                connection.execute(table.insert(), batch)
                batch.clear()

        for item in lines:
            if isinstance(item, dict):
                flush()
                table = tables.get(item["table"])
                if table is None:
                    raise BackupError(f"The backup has a table this app does not: {item['table']}")
                columns = [table.columns[name] for name in item["columns"]]
                convert = [_converter(column) for column in columns]
                self_refs = {
                    fk.parent.name
                    for fk in table.foreign_keys
                    if fk.column.table is table and fk.parent.name in item["columns"]
                }
                counts[table.name] = 0
                continue
            row = {}
            for column, conv, value in zip(columns, convert, item, strict=True):
                if value is not None and conv is not None:
                    value = conv(value)
                row[column.name] = value
            for name in self_refs:
                if row[name] is not None:
                    deferred.append((table, row, name, row[name]))
                    row[name] = None
            batch.append(row)
            counts[table.name] += 1
            if len(batch) >= BATCH:
                flush()
        flush()
        for table, row, name, value in deferred:
            keys = {column.name: row[column.name] for column in table.primary_key.columns}
            connection.execute(
                update(table)
                .where(*(table.columns[k] == v for k, v in keys.items()))
                .values({name: value})
            )
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection)
    return counts


def _reset_sequences(connection: Connection) -> None:
    """After inserting rows with their ids, move each id sequence past the largest id."""
    for table in db.metadata.sorted_tables:
        if "id" not in table.columns or not table.columns["id"].autoincrement:
            continue
        sequence = connection.execute(
            text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name}
        ).scalar()
        if sequence:
            highest = connection.execute(select(func.max(table.columns["id"]))).scalar()
            connection.execute(
                text("SELECT setval(:s, :v, :called)"),
                {"s": sequence, "v": highest or 1, "called": highest is not None},
            )
