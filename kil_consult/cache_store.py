"""Where the shared cache keeps its entries: Redis on a cluster, a SQLite file on one machine.

Both stores answer the same four calls, so ``kil_consult.cache`` does not know which it has:
``get_many`` (one round trip for any number of keys), ``set``, ``incr`` (a counter, made at 1)
and ``clear``. The local store is one SQLite file under ``instance/`` in WAL mode, shared by
every gunicorn worker on the machine (each process opens its own connection after the fork).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from pathlib import Path


class RedisStore:
    """Entries in Redis (``KIL_REDIS_URL``): shared by every worker on every machine.
    ``namespace`` goes before every key (two apps, or two test runs, on one Redis)."""

    def __init__(self, client, namespace: str = ""):
        self.redis = client
        self.namespace = namespace

    def get_many(self, keys: list[str]) -> list[bytes | None]:
        return self.redis.mget([self.namespace + key for key in keys]) if keys else []

    def set(self, key: str, value: bytes, seconds: int) -> None:
        self.redis.set(self.namespace + key, value, ex=seconds)

    def incr(self, keys: list[str]) -> None:
        pipe = self.redis.pipeline(transaction=False)
        for key in keys:
            pipe.incr(self.namespace + key)
        pipe.execute()

    def clear(self) -> None:
        """Forget every entry of this app (keys under ``kil:``), leaving others' keys alone."""
        for key in self.redis.scan_iter(self.namespace + "kil:*", count=1000):
            self.redis.delete(key)


class LocalStore:
    """Entries in one SQLite file: the embedded default, shared by the workers of one machine."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        held = getattr(self._local, "held", None)
        if held is not None and held[0] == os.getpid():
            return held[1]
        connection = sqlite3.connect(self.path, timeout=5, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=OFF")  # a cache: losing it loses nothing
        connection.execute(
            "CREATE TABLE IF NOT EXISTS entries "
            "(key TEXT PRIMARY KEY, value BLOB NOT NULL, expires REAL NOT NULL) WITHOUT ROWID"
        )
        self._local.held = (os.getpid(), connection)
        return connection

    def get_many(self, keys: list[str]) -> list[bytes | None]:
        if not keys:
            return []
        rows = self._connection().execute(
            "SELECT key, value FROM entries"
            " WHERE key IN (SELECT value FROM json_each(?)) AND expires > ?",
            (json.dumps(keys), time.time()),
        )
        found = dict(rows.fetchall())
        return [found.get(key) for key in keys]

    def set(self, key: str, value: bytes, seconds: int) -> None:
        self._connection().execute(
            "INSERT OR REPLACE INTO entries (key, value, expires) VALUES (?, ?, ?)",
            (key, value, time.time() + seconds),
        )

    def incr(self, keys: list[str]) -> None:
        never = time.time() + 10 * 365 * 86400
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            for key in keys:
                connection.execute(
                    "INSERT INTO entries (key, value, expires) VALUES (?, '1', ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 "
                    "AS TEXT)",
                    (key, never),
                )
            if time.time() % 50 < 1:  # now and then, drop what has expired
                connection.execute("DELETE FROM entries WHERE expires < ?", (time.time(),))
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise

    def clear(self) -> None:
        self._connection().execute("DELETE FROM entries")
