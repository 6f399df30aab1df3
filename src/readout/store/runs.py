"""The run log: each ingest is a row of ``runs`` (running, finished or interrupted, with its
process), and each input that failed a row of ``failures`` keyed by its resolved path, with the
run that recorded it and when.

A run whose process died (killed, out of memory, the machine restarted) cannot mark itself;
the next ingest marks it ``interrupted`` when no process of that id runs on this machine. A run
stopped with Ctrl-C marks itself.
"""

from __future__ import annotations

import os
import socket
import sqlite3
from datetime import UTC, datetime
from typing import Any

from .db import Store, dumps


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _alive(pid: int | None, host: str | None) -> bool:
    """Whether the process ``pid`` on ``host`` may still run (another machine's: assume so)."""
    if pid is None:
        return False
    if host and host != socket.gethostname():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    except OSError:
        return False
    return pid != os.getpid()


def mark_interrupted(store: Store) -> list[int]:
    """Mark ``interrupted`` every run still ``running`` whose process is gone; return their ids."""
    rows = store.rows("SELECT id, pid, host FROM runs WHERE status = 'running'")
    dead = [r["id"] for r in rows if not _alive(r["pid"], r["host"])]
    if dead:
        with store.transaction() as conn:
            conn.executemany("UPDATE runs SET status = 'interrupted' WHERE id = ? AND status = 'running'", [(i,) for i in dead])
    return dead


def start_run(store: Store, command: str, analyzer_id: str) -> int:
    with store.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO runs (command, analyzer_id, started, status, pid, host) VALUES (?, ?, ?, 'running', ?, ?)",
            (command, analyzer_id, now(), os.getpid(), socket.gethostname()),
        )
        return int(cur.lastrowid or 0)


def finish_run(store: Store, run_id: int, *, status: str, new: int, unchanged: int, updated: int, failed: int,
               skipped: dict[str, Any]) -> None:
    with store.transaction() as conn:
        conn.execute(
            """UPDATE runs SET finished = ?, status = ?, documents_new = ?, documents_unchanged = ?, documents_updated = ?,
                              documents_failed = ?, skipped = ? WHERE id = ?""",
            (now(), status, new, unchanged, updated, failed, dumps(skipped), run_id),
        )


def record_failure(store: Store, source: str, error: Exception, analyzer_id: str, run_id: int) -> dict[str, Any]:
    """Record (or replace) the failure of ``source``; return it as the summary lists it."""
    code = getattr(error, "code", "extractor_error")
    message = getattr(error, "message", None) or f"{type(error).__name__}: {error} (a bug in readout: please report it)"
    message = " ".join(str(message).split())
    at = now()
    with store.transaction() as conn:
        conn.execute(
            """INSERT INTO failures (source, code, reason, analyzer_id, run_id, failed_at) VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT(source) DO UPDATE SET code = excluded.code, reason = excluded.reason,
                   analyzer_id = excluded.analyzer_id, run_id = excluded.run_id, failed_at = excluded.failed_at""",
            (source, code, message, analyzer_id, run_id, at),
        )
    return {"source": source, "code": code, "reason": message, "run": run_id, "failed_at": at}


def clear_failure(conn: sqlite3.Connection, source: str) -> None:
    """The input ``source`` went through: it has failed no more."""
    conn.execute("DELETE FROM failures WHERE source = ?", (source,))
