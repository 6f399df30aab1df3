"""Opening the store: one SQLite file, migrated on open, written one document per transaction.

The file is ``readout.db`` in the current folder unless ``--db`` or ``READOUT_DB`` names
another. It is opened in WAL mode, so a reader (the sqlite3 shell, Datasette, a query command)
can read while an ingest writes, and a process killed at any moment leaves every committed
document intact and no half-written one.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import StoreError
from . import schema

DEFAULT_DB = "readout.db"
ENV_DB = "READOUT_DB"


def db_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The database file: ``path``, else ``READOUT_DB``, else ``./readout.db``."""
    return Path(path or os.environ.get(ENV_DB) or DEFAULT_DB)


class Store:
    """A connection to a readout database. Use as a context manager, or call ``close``."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work: committed whole, or (on any error) not at all."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.rollback()
            raise
        self.conn.commit()

    def rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur]

    def scalar(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def counts(self) -> dict[str, int]:
        """Rows per table (the data tables, not the full-text indexes)."""
        return {t: int(self.scalar(f'SELECT count(*) FROM "{t}"')) for t in data_tables(self.conn)}


def data_tables(conn: sqlite3.Connection) -> list[str]:
    """The store's own tables, without SQLite's and FTS5's internal ones."""
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return [n for n in names if not n.startswith("sqlite_") and "_fts" not in n]


def open_store(path: str | os.PathLike[str] | None = None, *, create: bool = False) -> Store:
    """Open (and migrate) the database at ``path``. With ``create=False`` a missing file is an
    error that says to ingest first; with ``create=True`` it is made."""
    file = db_path(path)
    if not file.exists():
        if not create:
            raise StoreError(f"{file}: no readout database here: run 'readout ingest FILES --db {file}' first, or pass --db")
        if file.parent and not file.parent.exists():
            raise StoreError(f"{file}: the folder {file.parent} does not exist: create it or choose another --db")
    elif file.is_dir():
        raise StoreError(f"{file}: is a folder: give the database file, e.g. --db {file / DEFAULT_DB}")
    try:
        conn = sqlite3.connect(file, isolation_level=None, timeout=30.0)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        foreign = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT IN ('migrations') AND name NOT LIKE 'sqlite_%'"
        ).fetchone()[0]
        if foreign and not conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'migrations'").fetchone()[0]:
            conn.close()
            raise StoreError(f"{file}: is an SQLite database but not readout's: give another --db")
        schema.migrate(conn)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{file}: cannot open as a readout database ({exc}): give another --db, or move this file away") from None
    return Store(conn, file)


def upsert(conn: sqlite3.Connection, table: str, row: dict[str, Any], key: str = "id") -> None:
    """Insert ``row``, or update the row with the same ``key``: writing the same record twice
    leaves one row."""
    cols = ", ".join(f'"{k}"' for k in row)
    marks = ", ".join(f":{k}" for k in row)
    updates = ", ".join(f'"{k}" = excluded."{k}"' for k in row if k != key)
    conn.execute(f'INSERT INTO "{table}" ({cols}) VALUES ({marks}) ON CONFLICT("{key}") DO UPDATE SET {updates}', row)


def dumps(value: Any) -> str:
    """JSON for a multi-valued column: compact, UTF-8, keys sorted (stable bytes)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def loads(value: str | None) -> Any:
    return json.loads(value) if value else None
