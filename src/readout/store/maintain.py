"""The store looks after itself: ``check`` finds damage, ``rebuild`` recomputes every aggregate
from the per-document records, ``backup`` copies a live database safely.

``check`` (read-only) runs SQLite's integrity check and foreign-key check, then checks that
every aggregate agrees with its sources: each engagement has reports and its row is what its
reports make (kind, dates, participants, sources, sides...); each channel's intervals are the
timeline its assertions make and name only assertions that exist; statements point at the
engagement their report joined; every stored evidence is the document's text at its offsets;
the full-text indexes match their tables. Timelines that an ingest has yet to rebuild (one is
running, or was stopped) are noted, not problems: queries build them on the fly.

``rebuild`` drops the engagements and timelines and makes them again from the documents'
reports and assertions, in the order the reports were stored (as the ingests made them), and
rebuilds the full-text indexes. ``backup`` uses SQLite's online backup API: a consistent copy
even while an ingest writes, checked before it is reported done.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import StoreError
from . import aggregate
from .db import Store, db_path, loads, open_store

EVIDENCE_TABLES = (
    # table, its key, the column that holds the text at its start-end offsets
    ("engagement_sources", "t.id", "evidence"),
    ("channel_assertions", "t.id", "evidence"),
    ("events", "t.id", "evidence"),
    ("mentions", "t.document_id || '@' || t.start || '-' || t.\"end\"", "text"),
)


@dataclass
class CheckReport:
    """What ``check`` found: ``problems`` (each a dict: check, table, key, problem) and
    ``notes`` (things worth knowing that are not damage)."""

    db: str
    problems: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, check: str, table: str, key: Any, problem: str) -> None:
        self.problems.append({"check": check, "table": table, "key": None if key is None else str(key), "problem": problem})

    def to_dict(self) -> dict[str, Any]:
        return {"db": self.db, "ok": self.ok, "problems": self.problems, "notes": self.notes, "counts": self.counts}


MAX_PER_CHECK = 1000  # problems listed per check; the rest are counted


def check(store: Store) -> CheckReport:
    """Check ``store`` (see the module's docstring). Never writes."""
    report = CheckReport(db=str(store.path))
    steps: list[tuple[str, Callable[[Store, CheckReport], None]]] = [
        ("integrity", _integrity),
        ("foreign_keys", _foreign_keys),
        ("engagements", _engagements),
        ("timelines", _timelines),
        ("statements", _statement_links),
        ("evidence", _evidence),
        ("full_text", _full_text),
        ("runs", _runs),
    ]
    for name, step in steps:
        before = len(report.problems)
        try:
            step(store, report)
        except sqlite3.DatabaseError as exc:
            report.add(name, "", None, f"the check could not read the database: {exc}")
        extra = len(report.problems) - before - MAX_PER_CHECK
        if extra > 0:
            del report.problems[before + MAX_PER_CHECK:]
            report.add(name, "", None, f"... and {extra} more problems of this kind")
    try:
        report.counts = store.counts()
    except sqlite3.DatabaseError:
        pass
    return report


def _integrity(store: Store, report: CheckReport) -> None:
    for (line,) in store.conn.execute("PRAGMA integrity_check"):
        if line != "ok":
            report.add("integrity", "", None, f"SQLite integrity check: {line}")


def _foreign_keys(store: Store, report: CheckReport) -> None:
    for table, rowid, parent, _fk in store.conn.execute("PRAGMA foreign_key_check"):
        report.add("foreign_keys", table, rowid, f"row {rowid} of {table} points at a row of {parent} that does not exist")


_ENGAGEMENT_COLUMNS = ("kind", "status", "date", "date_precision", "date_start", "date_end", "dates_disagree", "dates", "dyad", "country_a",
                       "country_b", "participants", "initiators", "channel_id", "sources", "sides", "first_reported")


def _engagements(store: Store, report: CheckReport) -> None:
    conn = store.conn
    stored = {r["id"]: r for r in store.rows("SELECT * FROM engagements")}
    for eid in sorted(stored):
        row = stored[eid]
        expected = aggregate.engagement_row(conn, eid)
        if expected is None:
            report.add("engagements", "engagements", eid, "the engagement has no reports (engagement_sources) left")
            continue
        wrong = [c for c in _ENGAGEMENT_COLUMNS if row.get(c) != expected.get(c)]
        if wrong:
            shown = ", ".join(f"{c} {row.get(c)!r} (its reports make {expected.get(c)!r})" for c in wrong[:3])
            report.add("engagements", "engagements", eid, f"does not agree with its reports: {shown}")
        want = {p for p in loads(expected["participants"]) or [] if conn.execute("SELECT 1 FROM actors WHERE id = ?", (p,)).fetchone()}
        have = {r[0] for r in conn.execute("SELECT actor_id FROM engagement_participants WHERE engagement_id = ?", (eid,))}
        if want != have:
            report.add("engagements", "engagement_participants", eid,
                       f"participants {sorted(have)} differ from those its reports name {sorted(want)}")
    for (eid,) in conn.execute("SELECT DISTINCT engagement_id FROM engagement_participants WHERE engagement_id NOT IN (SELECT id FROM engagements)"):
        report.add("engagements", "engagement_participants", eid, "participants of an engagement that does not exist")


def _timelines(store: Store, report: CheckReport) -> None:
    conn = store.conn
    stale = aggregate.stale_channels(conn)
    if stale:
        report.notes.append(
            f"{len(stale)} channel timelines wait to be rebuilt (an ingest is running or was stopped; queries build them "
            "as they answer; the next ingest or 'readout rebuild' stores them)"
        )
    names = aggregate.INTERVAL_COLUMNS
    stored: dict[str, list[tuple[Any, ...]]] = {}
    for row in conn.execute(f"SELECT {', '.join(names)} FROM main.channel_intervals ORDER BY channel_id, seq"):
        stored.setdefault(row[0], []).append(tuple(row))
    by_channel = {r[0]: r[1] for r in conn.execute("SELECT id, channel_id FROM channel_assertions")}
    at = names.index("assertions")
    for channel_id, rows in stored.items():
        allowed = {channel_id, *aggregate.ancestors(conn, channel_id)}  # its own, and its umbrellas' (inherited)
        for row in rows:
            for aid in json.loads(row[at] or "[]"):
                if aid not in by_channel:
                    report.add("timelines", "channel_intervals", f"{channel_id}#{row[1]}", f"lists assertion {aid}, which does not exist")
                elif by_channel[aid] not in allowed:
                    report.add("timelines", "channel_intervals", f"{channel_id}#{row[1]}", f"lists assertion {aid} of another channel")
    waiting = set(stale)
    for (channel_id,) in conn.execute("SELECT id FROM channels ORDER BY id"):
        if channel_id in waiting:
            continue
        expected = [tuple(r) for r in aggregate.interval_rows(channel_id, aggregate.timeline_of(conn, channel_id))]
        have = stored.get(channel_id, [])
        if have != expected:
            report.add("timelines", "channel_intervals", channel_id,
                       f"the timeline ({len(have)} intervals) is not the one its assertions make ({len(expected)} intervals)")


def _statement_links(store: Store, report: CheckReport) -> None:
    for sid, linked, actual in store.conn.execute(
        """SELECT s.id, s.engagement_id, es.engagement_id FROM statements s
           LEFT JOIN engagement_sources es ON es.id = s.engagement_source_id
           WHERE s.engagement_source_id IS NOT NULL AND s.engagement_id IS NOT es.engagement_id"""
    ):
        report.add("statements", "statements", sid, f"points at engagement {linked}, but its report belongs to {actual}")


def _evidence(store: Store, report: CheckReport) -> None:
    conn = store.conn
    for table, key, column in EVIDENCE_TABLES:
        for rid, start, end, chars in conn.execute(
            f"""SELECT {key}, t.start, t."end", d.chars
                FROM "{table}" t JOIN documents d ON d.id = t.document_id
                WHERE t.start < 0 OR t."end" < t.start OR t."end" > d.chars
                   OR (t."{column}" != '' AND substr(d.text, t.start + 1, t."end" - t.start) != t."{column}")"""
        ):
            report.add("evidence", table, rid, f"its evidence is not the document's text at {start}-{end} (document of {chars} characters)")
    for sid, start, end, chars in conn.execute(
        """SELECT s.id, s.start, s."end", d.chars FROM statements s JOIN documents d ON d.id = s.document_id
           WHERE s.start < 0 OR s."end" < s.start OR s."end" > d.chars"""
    ):
        report.add("evidence", "statements", sid, f"offsets {start}-{end} lie outside the document ({chars} characters)")
    for did, chars, length in conn.execute("SELECT id, chars, length(text) FROM documents WHERE chars != length(text)"):
        report.add("evidence", "documents", did, f"says it has {chars} characters but its text has {length}")


def _full_text(store: Store, report: CheckReport) -> None:
    for table in ("documents_fts", "statements_fts"):
        try:
            store.conn.execute(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")
        except sqlite3.OperationalError as exc:
            if "readonly" in str(exc) or "read-only" in str(exc):
                _full_text_counts(store, report, table)
            else:
                report.add("full_text", table, None, f"the full-text index does not match its table ({exc}): run 'readout rebuild'")
        except sqlite3.DatabaseError as exc:
            report.add("full_text", table, None, f"the full-text index does not match its table ({exc}): run 'readout rebuild'")


def _full_text_counts(store: Store, report: CheckReport, table: str) -> None:
    source = table.removesuffix("_fts")
    indexed = store.scalar(f"SELECT count(*) FROM {table}_docsize")
    rows = store.scalar(f'SELECT count(*) FROM "{source}"')
    if indexed != rows:
        report.add("full_text", table, None, f"indexes {indexed} rows of {source}, which has {rows}: run 'readout rebuild'")


def _runs(store: Store, report: CheckReport) -> None:
    from .runs import _alive

    for r in store.rows("SELECT id, pid, host, started FROM runs WHERE status = 'running'"):
        if _alive(r["pid"], r["host"]):
            report.notes.append(f"run {r['id']} (started {r['started']}) is still ingesting")
        else:
            report.notes.append(f"run {r['id']} (started {r['started']}) died before its end; the next ingest marks it interrupted")


# ------------------------------------------------------------------ rebuild
@dataclass
class RebuildSummary:
    db: str
    engagements_before: int
    engagements: int
    reports: int
    timelines: int
    statements_relinked: int

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def rebuild(store: Store) -> RebuildSummary:
    """Recompute every aggregate from the per-document records, in one transaction: the
    engagements (each report assigned again, in the order reports were stored), the statements'
    links to them, every channel timeline, and the full-text indexes."""
    conn = store.conn
    before = int(store.scalar("SELECT count(*) FROM engagements"))
    with store.transaction():
        conn.execute("PRAGMA defer_foreign_keys = ON")
        conn.execute("DELETE FROM engagement_participants")
        conn.execute("DELETE FROM engagements")
        cur = conn.execute(
            """SELECT * FROM engagement_sources ORDER BY rowid"""
        )
        names = [d[0] for d in cur.description]
        reports = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
        conn.execute("UPDATE engagement_sources SET engagement_id = ''")
        persons = {r[0] for r in conn.execute("SELECT id FROM actors WHERE kind = 'person'")}
        for src in reports:
            people = [p for p in loads(src["participants"]) or [] if p in persons]
            eid = aggregate.assign_engagement(conn, {**{k: v for k, v in src.items() if k != "engagement_id"}, "persons": people})
            conn.execute("INSERT OR IGNORE INTO engagements (id, kind, dyad, status) VALUES (?, ?, ?, ?)",
                         (eid, src["kind"], src["dyad"], src["status"]))
            conn.execute("UPDATE engagement_sources SET engagement_id = ? WHERE id = ?", (eid, src["id"]))
            aggregate.refresh_engagement(conn, eid)
        relinked = conn.execute(
            """UPDATE statements SET engagement_id = (SELECT es.engagement_id FROM engagement_sources es WHERE es.id = statements.engagement_source_id)
               WHERE engagement_id IS NOT (SELECT es.engagement_id FROM engagement_sources es WHERE es.id = statements.engagement_source_id)"""
        ).rowcount
        channels = [r[0] for r in conn.execute("SELECT id FROM channels ORDER BY id")]
        conn.execute("DELETE FROM main.channel_intervals WHERE channel_id NOT IN (SELECT id FROM channels)")
        for channel_id in channels:
            aggregate.rebuild_timeline(conn, channel_id)
        conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')")
        conn.execute("INSERT INTO statements_fts(statements_fts) VALUES ('rebuild')")
    return RebuildSummary(
        db=str(store.path), engagements_before=before, engagements=int(store.scalar("SELECT count(*) FROM engagements")),
        reports=len(reports), timelines=len(channels), statements_relinked=int(relinked or 0),
    )


def rebuild_store(db: str | os.PathLike[str] | None = None) -> RebuildSummary:
    """``readout rebuild``: open (and bring up to date) the database at ``db`` and rebuild it."""
    with open_store(db) as store:
        return rebuild(store)


def check_store(db: str | os.PathLike[str] | None = None) -> CheckReport:
    """``readout check``: check the database at ``db``, read-only."""
    with open_store(db, read_only=True) as store:
        return check(store)


# ------------------------------------------------------------------ backup
@dataclass
class BackupResult:
    db: str
    to: str
    bytes: int
    check: CheckReport

    def to_dict(self) -> dict[str, Any]:
        return {"db": self.db, "to": self.to, "bytes": self.bytes, "check": self.check.to_dict()}


def backup(db: str | os.PathLike[str] | None, to: str | os.PathLike[str]) -> BackupResult:
    """Copy the database at ``db`` to the new file ``to`` with SQLite's online backup API (a
    consistent snapshot, even while an ingest writes; the source is opened read-only), make the
    copy a single self-contained file, and check it."""
    target = Path(to)
    if target.exists():
        raise StoreError(f"{target}: already exists: give the backup a new file name, or move the old one away")
    if target.is_dir() or (target.parent and not target.parent.exists()):
        raise StoreError(f"{target}: the folder {target.parent} does not exist: create it or choose another file")
    source = db_path(db)
    if source.resolve() == target.resolve():
        raise StoreError(f"{target}: is the database itself: give the backup another file name")
    partial = target.with_name(target.name + ".partial")
    with open_store(source, read_only=True) as store:
        try:
            dest = sqlite3.connect(partial)
            try:
                store.conn.backup(dest)
                dest.execute("PRAGMA journal_mode = DELETE")
            finally:
                dest.close()
        except sqlite3.Error as exc:
            partial.unlink(missing_ok=True)
            raise StoreError(f"{target}: the backup failed ({exc}): check the folder's free space and permissions") from None
    os.replace(partial, target)
    with open_store(target, read_only=True) as copy:
        report = check(copy)
    return BackupResult(db=str(source), to=str(target), bytes=target.stat().st_size, check=report)
