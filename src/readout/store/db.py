"""Opening the store: one SQLite file, migrated on open, written one document per transaction.

The file is ``readout.db`` in the current folder unless ``--db`` or ``READOUT_DB`` names
another. Writers (ingest, rebuild) switch it to WAL mode with a busy timeout while they write,
so a reader (the sqlite3 shell, Datasette, a query command) reads while an ingest writes and
never sees "database is locked", and a process killed at any moment leaves every committed
document intact and no half-written one. The last writer to close puts it back in
rollback-journal mode: at rest it is one file, with no -wal or -shm beside it.

Readers open it read-only (``read_only=True``): a query never changes a file, not even in a
read-only folder (where a WAL database with no -shm file is read as immutable). Before anything
is written, a file is checked: one that is not SQLite, an SQLite database that is not readout's,
or one made by a newer readout (a migration this readout does not know) is refused with one line
and left as it was.
"""

from __future__ import annotations

import json
import os
import sqlite3
import urllib.parse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import StoreError
from . import schema

DEFAULT_DB = "readout.db"
ENV_DB = "READOUT_DB"


def db_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The database file: ``path``, else ``READOUT_DB``, else ``./readout.db``."""
    return Path(path or os.environ.get(ENV_DB) or DEFAULT_DB)


class Store:
    """A connection to a readout database. Use as a context manager, or call ``close``."""

    def __init__(self, conn: sqlite3.Connection, path: Path, read_only: bool = False) -> None:
        self.conn = conn
        self.path = path
        self.read_only = read_only

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection. A writer leaves the file in rollback-journal mode when no one
        else has it open, so that the -wal and -shm files go and readers (which open the file
        read-only) need to create nothing beside it; with others at work it stays in WAL."""
        if not self.read_only:
            try:
                if self.conn.in_transaction:
                    self.conn.rollback()
                self.conn.execute("PRAGMA busy_timeout = 50")
                self.conn.execute("PRAGMA journal_mode = DELETE")
            except sqlite3.Error:
                pass  # another connection is open (a reader, another ingest): WAL stays until the last writer goes
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


BUSY_TIMEOUT_S = 30.0


def open_store(path: str | os.PathLike[str] | None = None, *, create: bool = False, read_only: bool = False) -> Store:
    """Open the database at ``path``.

    ``read_only=True`` (the query commands): never writes, never creates; a database that lacks
    migrations of this readout is refused with the command that upgrades it. Otherwise the file
    is checked, then switched to WAL and migrated; with ``create=False`` a missing file is an
    error that says to ingest first, with ``create=True`` it is made."""
    file = db_path(path)
    if file.is_dir():
        raise StoreError(f"{file}: is a folder: give the database file, e.g. --db {file / DEFAULT_DB}")
    if not file.exists():
        if read_only or not create:
            raise StoreError(f"{file}: no readout database here: run 'readout ingest FILES --db {file}' first, or pass --db")
        if file.parent and not file.parent.exists():
            raise StoreError(f"{file}: the folder {file.parent} does not exist: create it or choose another --db")
    try:
        conn = _connect_read_only(file) if read_only else sqlite3.connect(file, isolation_level=None, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error as exc:
        raise StoreError(f"{file}: cannot open the database ({exc}): check the path and its permissions") from None
    try:
        check_readout_database(conn, file, empty_ok=not read_only)
        if read_only:
            missing = schema.pending(conn)
            if missing:
                raise StoreError(
                    f"{file}: made by an earlier readout (it lacks {', '.join(missing)}): run 'readout rebuild --db {file}' once "
                    "to bring it up to date (queries never change a file)"
                )
        else:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            schema.migrate(conn)
    except StoreError:
        conn.close()
        raise
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{file}: cannot open as a readout database ({exc}): give another --db, or move this file away") from None
    return Store(conn, file, read_only=read_only)


def _uri(file: Path, **params: str) -> str:
    return "file:" + urllib.parse.quote(str(file.resolve())) + "?" + urllib.parse.urlencode(params)


def _connect_read_only(file: Path) -> sqlite3.Connection:
    """A read-only connection. A WAL database in a folder nobody may write (so no -shm file can
    be made, and no writer can be at work) is opened as immutable."""
    conn = sqlite3.connect(_uri(file, mode="ro"), uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_S)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        conn.close()
        wal = Path(f"{file}-wal")
        folder_writable = os.access(file.parent.resolve(), os.W_OK)
        if folder_writable or (wal.exists() and wal.stat().st_size > 0):
            raise
    return sqlite3.connect(_uri(file, mode="ro", immutable="1"), uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_S)


def check_readout_database(conn: sqlite3.Connection, file: Path, *, empty_ok: bool) -> None:
    """Raise ``StoreError`` unless ``conn`` holds a readout database this readout can open (or,
    with ``empty_ok``, an empty one). Reads only."""
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{file}: is not a readout database ({exc}): give another --db, or move this file away") from None
    names = {n for n in names if not n.startswith("sqlite_")}
    if not names:
        if empty_ok:
            return
        raise StoreError(f"{file}: is an empty database, not readout's: run 'readout ingest FILES --db {file}' first")
    if "migrations" not in names or "0001_initial" not in (done := schema.recorded(conn)):
        raise StoreError(f"{file}: is an SQLite database but not readout's: give another --db")
    newer = [n for n in done if n not in schema.KNOWN]
    if newer:
        raise StoreError(
            f"{file}: made by a newer readout (migration {newer[-1]}, unknown to readout {__version__}): "
            "upgrade readout to open it"
        )


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
