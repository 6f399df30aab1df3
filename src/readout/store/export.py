"""Exports of the store: every table as CSV, JSON Lines or Parquet, an event-data file in
the shape GDELT and POLECAT users load, and TimelineJS timelines of a channel or a dyad.

``export_store(db, "out/", fmt="csv")`` writes one file per data table (``documents.csv``,
``engagements.csv``, ... - the full-text indexes are left out) plus ``events_plover.csv``,
all read from one snapshot of the database, row by row, so memory stays flat however large
the store. Column names are the schema's; ``COLUMNS`` describes each one (and
``EVENTS_COLUMNS`` the events file), and ``describe_columns()`` renders both as Markdown.

Multi-valued columns hold JSON in the store (``JSON_COLUMNS``). In CSV they stay JSON text; in
JSON Lines they become arrays and objects; in Parquet arrays become list columns
(``engagements.dates`` a list of structs, ``channels.names`` a map from side to names) and the
free-form ``documents.metadata`` stays JSON text. Empty values are empty CSV fields and
``null`` in JSON Lines and Parquet.

``timelinejs(store, channel=...)`` or ``timelinejs(store, dyad=...)`` returns a TimelineJS
(https://timeline.knightlab.com/docs/json-format.html) object; ``export_timelinejs`` writes
one to a file, taking a channel id or a dyad such as ``CHN-USA``. Dates carry only the
precision the sources give: a month-precise date has no day.
"""

from __future__ import annotations

import csv
import html
import json
import re
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import OptionError
from . import queries
from .db import Store, data_tables, open_store

FORMATS: tuple[str, ...] = ("csv", "jsonl", "parquet")
EVENTS_FILE = "events_plover"
BATCH_ROWS = 2000  # rows fetched (and, for Parquet, written as one row group slice) at a time

# ---------------------------------------------------------------- column documentation
# Where a column is the same in several tables, it is described once here.
_DOC = {
    "document_id": "the document (documents.id) the record comes from",
    "evidence": "the text the record was read from",
    "start": "character offset where the evidence starts in the document's text",
    "end": "character offset where the evidence ends (exclusive)",
    "rule": "the rule or model that produced the record",
    "published": "publication date of the document (ISO)",
    "date_precision": "day, month or year: how much of the date the source gives",
    "date_raw": "the date as the text writes it ('on Thursday', 'last August')",
    "dyad": "the two countries (ISO 3166-1 alpha-3), sorted, joined by '-': CHN-USA",
}

COLUMNS: dict[str, dict[str, str]] = {
    "migrations": {
        "name": "a schema migration applied to this database",
        "applied": "when it was applied (UTC, ISO)",
    },
    "analyzers": {
        "id": "content id of the three columns below",
        "readout_version": "readout's version",
        "model": "the spaCy pipeline, name and version",
        "registry": "digest of the knowledge files in use",
    },
    "runs": {
        "id": "run number",
        "command": "the command line of the run",
        "analyzer_id": "the analyzer used (analyzers.id)",
        "started": "start time (UTC, ISO)",
        "finished": "end time; empty when the run was stopped before its end",
        "documents_new": "documents added",
        "documents_unchanged": "documents already in the store",
        "documents_failed": "inputs that could not be read",
        "status": "running, finished, or interrupted (its process died: marked by the next ingest)",
        "pid": "the process of the run",
        "host": "the machine of the run",
        "documents_updated": "known texts given with new metadata (updated, and analyzed again when the date or outlet changed)",
        "skipped": "JSON: what folder walks skipped, by kind (other_types by extension, hidden, notes, database, links)",
    },
    "documents": {
        "id": "doc- and a digest of the text: the same text always has the same id",
        "title": "headline",
        "outlet": "publisher",
        "side": "country of the outlet when it is a government's own readout, else empty",
        "url": "address of the article",
        "published": _DOC["published"],
        "source": "the file, file:record, or '-' it was read from",
        "chars": "length of the text in characters",
        "text": "the full text; evidence offsets count into it",
        "metadata": "JSON object: fields of the input record not named above",
        "warnings": "JSON array: what was odd about the input (encoding, length...)",
        "analyzer_id": "the analyzer that read it (analyzers.id)",
    },
    "failures": {
        "source": "the input that could not be read: its resolved path, or path:line for a record",
        "code": "the error code (empty_input, binary_input, not_english, ...)",
        "reason": "why, and what to do",
        "analyzer_id": "the analyzer of the attempt",
        "run_id": "the run that recorded the failure (runs.id)",
        "failed_at": "when (UTC, ISO)",
    },
    "not_relevant": {
        "id": "the id the document would have (doc- + digest of its text); not in documents",
        "source": "the input: its resolved path, or path:line for a record",
        "title": "its title, where the input gives one",
        "outlet": "its outlet, where the input gives one",
        "url": "its URL, where the input gives one",
        "published": "its publication date, where the input gives one",
        "chars": "length of its text in characters (the text is not kept)",
        "reason": "why the gate found it unable to hold a record (not parsed; ingest --no-gate parses it)",
        "analyzer_id": "the analyzer of the run (its registry decides what the gate knows)",
        "run_id": "the run that set it aside (runs.id)",
        "recorded_at": "when (UTC, ISO)",
    },
    "actors": {
        "id": "registry id (country code, person or organization id), or a slug of the name",
        "name": "canonical name",
        "kind": "person, organization or state",
        "country": "ISO 3166-1 alpha-3",
        "sector": "GOV, MIL, DIP, LEG, ACA, MED, BUS, ...",
        "known": "1 when the actor is in the registry",
    },
    "mentions": {
        "document_id": _DOC["document_id"],
        "actor_id": "the actor mentioned (actors.id)",
        "start": "character offset of the mention",
        "end": "character offset after the mention",
        "text": "the mention as written",
        "title": "the actor's title in this document",
    },
    "engagements": {
        "id": "engagement id, merged across every document that reports it",
        "kind": "call, video_call, meeting, talks, summit or visit",
        "date": "the date most precise sources agree on (ISO, at date_precision)",
        "date_precision": _DOC["date_precision"],
        "date_start": "first day the sources allow",
        "date_end": "last day the sources allow",
        "dates_disagree": "1 when sources give different dates",
        "dates": "JSON array of objects: each source's date, precision, document_id and side",
        "dyad": _DOC["dyad"],
        "country_a": "first country of the dyad",
        "country_b": "second country of the dyad",
        "participants": "JSON array of actor ids",
        "initiators": "JSON array: the initiator each source names",
        "channel_id": "the dialogue channel it belongs to (channels.id)",
        "sources": "number of documents that report it",
        "sides": "JSON array: sides whose readouts report it ('press' for news)",
        "first_reported": "earliest publication date among its sources",
        "status": "held, planned, proposed, requested, declined, cancelled or postponed: held when any source says it took place",
    },
    "engagement_sources": {
        "id": "document id / record id",
        "engagement_id": "the merged engagement (engagements.id)",
        "document_id": _DOC["document_id"],
        "kind": "call, video_call, meeting, talks, summit or visit, as this document says",
        "date": "the date this document gives (ISO, at date_precision)",
        "date_precision": _DOC["date_precision"],
        "date_raw": _DOC["date_raw"],
        "published": _DOC["published"],
        "dyad": _DOC["dyad"],
        "participants": "JSON array of actor ids",
        "initiator": "the actor or country that asked for it, by this document",
        "medium": "phone, video, in person, ...",
        "location": "where it took place",
        "channel_id": "the dialogue channel this document ties it to",
        "first_since": "the 'first since' date the document claims",
        "side": "country of the outlet when a government's readout, else empty (press)",
        "evidence": _DOC["evidence"],
        "start": _DOC["start"],
        "end": _DOC["end"],
        "rule": _DOC["rule"],
        "status": "held, planned, proposed, requested, declined, cancelled or postponed, by this document",
    },
    "engagement_participants": {
        "engagement_id": "engagements.id",
        "actor_id": "actors.id of a participant",
    },
    "channels": {
        "id": "registry id; a dyad's umbrella that no knowledge file declares has the conventional id chl-nor-military-communication",
        "registry_id": "the channel's id in the registry",
        "name": "canonical name",
        "dyad": _DOC["dyad"],
        "level": "ministerial, chiefs_of_defense, theater, working, hotline, senior, generic, ...",
        "generic": "1 for a generic channel (military communication in general)",
        "names": "JSON object: side -> the names that side uses",
        "stale": "1 when new assertions arrived since the timeline was built",
        "parent_id": "the umbrella channel it belongs to (channels.id); empty at the top of its dyad's tree",
    },
    "channel_assertions": {
        "id": "document id / record id",
        "channel_id": "channels.id",
        "document_id": _DOC["document_id"],
        "status": "held, suspended, agreed_to_resume, expected_to_resume, resumed, requested, declined or established",
        "date": "the date the text gives (ISO, at date_precision)",
        "date_precision": _DOC["date_precision"],
        "date_raw": _DOC["date_raw"],
        "effective_date": "where the timeline places it: its own date, else the publication date",
        "dated_by": "text or published: where effective_date comes from",
        "published": _DOC["published"],
        "asserted_by": "the actor who said so (actors.id)",
        "side": "the asserting side's country, else the outlet's",
        "generic": "1 when the text names channels in general, not this one",
        "dyad": _DOC["dyad"],
        "evidence": _DOC["evidence"],
        "start": _DOC["start"],
        "end": _DOC["end"],
        "rule": _DOC["rule"],
    },
    "channel_intervals": {
        "channel_id": "channels.id",
        "seq": "position in the channel's timeline, from 0",
        "state": "active, suspended, resumption_pending, dormant (not held between a contact and a later resumption), or unknown before any state is known",
        "status": "the status that opened the interval",
        "start_date": "first day of the interval (ISO)",
        "end_date": "day the next interval opens; empty: still so as far as the sources go",
        "last_held": "latest date the channel is reported held within the interval",
        "assertions": "JSON array of channel_assertions ids behind the interval",
        "sides": "JSON array: the sides asserting it ('press' for news)",
        "sources": "number of documents behind the interval",
        "contested": "1 when assertions of the same date disagree",
        "conflicts": "JSON array: channel_assertions ids that say otherwise",
        "start_precision": "day, month or year: how precisely the sources date start_date",
        "opened_by": "the channel_assertions id that opened the interval",
        "inherited_from": "the umbrella (channels.id) whose assertion opened the interval; empty when the channel's own",
    },
    "statements": {
        "id": "document id / record id",
        "document_id": _DOC["document_id"],
        "published": _DOC["published"],
        "speaker_id": "the speaker (actors.id)",
        "speaker_name": "the speaker's name",
        "side": "the country the speaker speaks for",
        "kind": "direct, indirect or mixed quote",
        "cue": "the reporting verb",
        "content": "what was said",
        "start": "character offset where the content starts",
        "end": "character offset where the content ends",
        "addressee_id": "who it was said to (actors.id)",
        "topics": "JSON array of topic ids",
        "event_type": "PLOVER event type of the statement",
        "event_mode": "PLOVER mode",
        "score": "PLOVER cooperation-conflict score of the type and mode",
        "engagement_source_id": "the engagement report it belongs to (engagement_sources.id)",
        "engagement_id": "the merged engagement (engagements.id)",
        "rule": _DOC["rule"],
    },
    "events": {
        "id": "document id / record id",
        "document_id": _DOC["document_id"],
        "date": "the event's date (ISO, at date_precision); empty when the text gives none",
        "date_precision": _DOC["date_precision"],
        "published": _DOC["published"],
        "source_actor": "who acted (actors.id or a country code)",
        "source_name": "their name",
        "source_country": "their country (ISO 3166-1 alpha-3)",
        "source_sector": "their sector",
        "target_actor": "who was acted on",
        "target_name": "their name",
        "target_country": "their country",
        "target_sector": "their sector",
        "dyad": _DOC["dyad"],
        "type": "PLOVER event type",
        "mode": "PLOVER mode",
        "cameo": "CAMEO code",
        "score": "PLOVER cooperation-conflict score",
        "quad": "verbal_cooperation, material_cooperation, verbal_conflict or material_conflict",
        "evidence": _DOC["evidence"],
        "start": _DOC["start"],
        "end": _DOC["end"],
        "rule": _DOC["rule"],
        "modality": "empty when the text asserts the event; future, planned or hypothetical when it has not happened (left out of the dyad index)",
    },
}

# JSON columns and their shape: "strings" (array of text), "records" (array of objects),
# "map" (object: text -> array of text), "object" (anything; text in Parquet).
JSON_COLUMNS: dict[str, dict[str, str]] = {
    "documents": {"metadata": "object", "warnings": "strings"},
    "engagements": {"dates": "records", "participants": "strings", "initiators": "strings", "sides": "strings"},
    "engagement_sources": {"participants": "strings"},
    "channels": {"names": "map"},
    "channel_intervals": {"assertions": "strings", "sides": "strings", "conflicts": "strings"},
    "statements": {"topics": "strings"},
}
_DATES_FIELDS = ("date", "precision", "document_id", "side")

QUAD_CLASS = {"verbal_cooperation": 1, "material_cooperation": 2, "verbal_conflict": 3, "material_conflict": 4}

# The events file: (column, SQL over events e and documents d, type, description).
EVENTS_COLUMNS: tuple[tuple[str, str, str, str], ...] = (
    ("event_id", "e.id", "text", "unique, stable event id (document id / record id)"),
    ("event_date", "coalesce(e.date, e.published)", "text", "when it happened: the text's date, else the publication date (ISO)"),
    ("date_precision", "CASE WHEN e.date IS NOT NULL THEN e.date_precision WHEN e.published IS NOT NULL THEN 'day' END",
     "text", "day, month or year"),
    ("date_source", "CASE WHEN e.date IS NOT NULL THEN 'text' WHEN e.published IS NOT NULL THEN 'published' END",
     "text", "text: the article dates the event; published: only the story date is known"),
    ("story_date", "e.published", "text", "publication date of the source document"),
    ("source_actor_id", "e.source_actor", "text", "who acted: actor id"),
    ("source_name", "e.source_name", "text", "who acted: name"),
    ("source_country", "e.source_country", "text", "who acted: country (ISO 3166-1 alpha-3)"),
    ("source_sector", "e.source_sector", "text", "who acted: sector (GOV, MIL, DIP, LEG, ...)"),
    ("target_actor_id", "e.target_actor", "text", "who was acted on: actor id"),
    ("target_name", "e.target_name", "text", "who was acted on: name"),
    ("target_country", "e.target_country", "text", "who was acted on: country"),
    ("target_sector", "e.target_sector", "text", "who was acted on: sector"),
    ("dyad", "e.dyad", "text", "the two countries, sorted: CHN-USA"),
    ("event_type", "e.type", "text", "PLOVER event type (CONSULT, REJECT, SANCTION, ...)"),
    ("event_mode", "e.mode", "text", "PLOVER mode (meet, visit, ...)"),
    ("cameo_code", "e.cameo", "text", "CAMEO event code"),
    ("cameo_root", "substr(e.cameo, 1, 2)", "text", "CAMEO root code (first two digits)"),
    ("score", "e.score", "real", "PLOVER cooperation-conflict score, -10 (conflict) to 10 (cooperation)"),
    ("quad_class", "CASE e.quad " + " ".join(f"WHEN '{k}' THEN {v}" for k, v in QUAD_CLASS.items()) + " END",
     "integer", "1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict"),
    ("quad", "e.quad", "text", "the quad class by name"),
    ("document_id", "e.document_id", "text", "the source document (documents.id)"),
    ("url", "d.url", "text", "the source document's address"),
    ("outlet", "d.outlet", "text", "the source document's publisher"),
    ("title", "d.title", "text", "the source document's headline"),
    ("start", 'e.start', "integer", "character offset where the evidence starts"),
    ("end", 'e."end"', "integer", "character offset where the evidence ends"),
    ("evidence", "e.evidence", "text", "the sentence or clause the event was coded from"),
    ("rule", "e.rule", "text", "the rule that coded it"),
    ("event_modality", "e.modality", "text", "empty: asserted; future, planned or hypothetical: not happened yet"),
)


def describe_columns() -> str:
    """Every exported table's columns and what they hold, as Markdown (for the README/docs)."""
    lines: list[str] = []
    for table, cols in [*COLUMNS.items(), (EVENTS_FILE, {c[0]: c[3] for c in EVENTS_COLUMNS})]:
        lines += [f"### {table}", "", "| column | what it holds |", "|---|---|"]
        lines += [f"| `{name}` | {text} |" for name, text in cols.items()]
        lines.append("")
    return "\n".join(lines)


# ---------------------------------------------------------------- opening and reading
@contextmanager
def _opened(store_or_db_path: Store | str | os.PathLike[str] | None) -> Iterator[Store]:
    if isinstance(store_or_db_path, Store):
        yield store_or_db_path
        return
    store = open_store(store_or_db_path, read_only=True)
    try:
        yield store
    finally:
        store.close()


@contextmanager
def _snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """Read every file from one state of the database, even while an ingest writes (WAL)."""
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("COMMIT")


def _columns(conn: sqlite3.Connection, table: str) -> list[tuple[str, str, int]]:
    """(name, declared type, position in the primary key) of each column."""
    return [(r[1], (r[2] or "").upper(), int(r[5])) for r in conn.execute(f'PRAGMA table_info("{table}")')]


def _kind(declared: str) -> str:
    if "INT" in declared:
        return "integer"
    if "REAL" in declared or "FLOA" in declared or "DOUB" in declared:
        return "real"
    return "text"


def _table_query(conn: sqlite3.Connection, table: str) -> tuple[str, list[tuple[str, str]]]:
    cols = _columns(conn, table)
    pk = [name for name, _, pos in sorted(cols, key=lambda c: c[2]) if pos]
    order = ", ".join(f'"{c}"' for c in pk) if pk else "rowid"
    sql = f'SELECT {", ".join(f"{chr(34)}{c}{chr(34)}" for c, _, _ in cols)} FROM "{table}" ORDER BY {order}'
    return sql, [(name, _kind(declared)) for name, declared, _ in cols]


def _events_query() -> tuple[str, list[tuple[str, str]]]:
    select = ", ".join(f'{expr} AS "{name}"' for name, expr, _, _ in EVENTS_COLUMNS)
    sql = f"SELECT {select} FROM events e LEFT JOIN documents d ON d.id = e.document_id ORDER BY coalesce(e.date, e.published), e.id"
    return sql, [(name, kind) for name, _, kind, _ in EVENTS_COLUMNS]


def _batches(conn: sqlite3.Connection, sql: str) -> Iterator[list[tuple[Any, ...]]]:
    cur = conn.execute(sql)
    while True:
        rows = cur.fetchmany(BATCH_ROWS)
        if not rows:
            return
        yield rows


def _decode(value: Any) -> Any:
    if value is None or value == "":
        return None
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return value


# ---------------------------------------------------------------- writers
Columns = list[tuple[str, str]]
Writer = Callable[[Path, Columns, dict[str, str], Iterator[list[tuple[Any, ...]]]], int]


def _write_csv(path: Path, columns: Columns, json_cols: dict[str, str], batches: Iterator[list[tuple[Any, ...]]]) -> int:
    n = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([c for c, _ in columns])
        for rows in batches:
            w.writerows(rows)  # None is written as an empty field; JSON columns stay JSON text
            n += len(rows)
    return n


def _write_jsonl(path: Path, columns: Columns, json_cols: dict[str, str], batches: Iterator[list[tuple[Any, ...]]]) -> int:
    names = [c for c, _ in columns]
    decode = [name in json_cols for name in names]
    n = 0
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for rows in batches:
            for row in rows:
                obj = {k: (_decode(v) if d else v) for k, v, d in zip(names, row, decode, strict=True)}
                fh.write(json.dumps(obj, ensure_ascii=False) + "\n")
            n += len(rows)
    return n


def _arrow_type(kind: str, json_kind: str | None) -> Any:
    import pyarrow as pa

    if json_kind == "strings":
        return pa.list_(pa.string())
    if json_kind == "records":
        return pa.list_(pa.struct([(f, pa.string()) for f in _DATES_FIELDS]))
    if json_kind == "map":
        return pa.map_(pa.string(), pa.list_(pa.string()))
    return {"integer": pa.int64(), "real": pa.float64()}.get(kind, pa.string())


def _arrow_value(value: Any, json_kind: str | None) -> Any:
    if json_kind is None or json_kind == "object" or value is None:
        return value
    data = _decode(value)
    if json_kind == "strings":
        return [None if x is None else str(x) for x in data] if isinstance(data, list) else None
    if json_kind == "records":
        if not isinstance(data, list):
            return None
        return [{f: (None if (x := r.get(f)) is None else str(x)) for f in _DATES_FIELDS} for r in data if isinstance(r, dict)]
    if json_kind == "map":
        if not isinstance(data, dict):
            return None
        return [(str(k), [str(x) for x in v] if isinstance(v, list) else [str(v)]) for k, v in data.items()]
    return value


def _write_parquet(path: Path, columns: Columns, json_cols: dict[str, str], batches: Iterator[list[tuple[Any, ...]]]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(name, _arrow_type(kind, json_cols.get(name))) for name, kind in columns])
    kinds = [json_cols.get(name) for name, _ in columns]
    n = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for rows in batches:
            arrays = [
                pa.array([_arrow_value(row[i], kinds[i]) for row in rows], type=schema.field(i).type)
                for i in range(len(columns))
            ]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            n += len(rows)
    return n


WRITERS: dict[str, Writer] = {"csv": _write_csv, "jsonl": _write_jsonl, "parquet": _write_parquet}


def _target_dir(to_dir: str | os.PathLike[str]) -> Path:
    out = Path(to_dir)
    if out.exists() and not out.is_dir():
        raise OptionError(f"{out}: is a file, not a folder: give --to a folder to write the exported files into")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OptionError(f"{out}: cannot create the folder ({exc.strerror or exc}): choose another --to") from None
    if not os.access(out, os.W_OK):
        raise OptionError(f"{out}: the folder is not writable: choose another --to")
    return out


def export_store(
    store_or_db_path: Store | str | os.PathLike[str] | None,
    to_dir: str | os.PathLike[str],
    fmt: str = "csv",
    tables: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Write every data table of the store (or those named in ``tables``), and the PLOVER
    events file ``events_plover``, to ``to_dir`` as ``fmt`` (csv, jsonl or parquet): one file
    per table, named after it. The folder is created if needed.

    Returns ``{"to": folder, "format": fmt, "files": {name: {"path": ..., "rows": n}}}``.
    Each file is written under a temporary name and renamed when complete, so a stopped export
    leaves no half-written file under a final name."""
    if fmt not in WRITERS:
        raise OptionError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise OptionError("Parquet export needs pyarrow: pip install pyarrow, or choose --format csv or jsonl") from None
    with _opened(store_or_db_path) as store:
        conn = store.conn
        available = [*data_tables(conn), EVENTS_FILE]
        wanted = list(tables) if tables is not None else available
        unknown = [t for t in wanted if t not in available]
        if unknown:
            raise OptionError(f"no table {', '.join(map(repr, unknown))} in the store: choose from {', '.join(available)}")
        out = _target_dir(to_dir)
        written: dict[str, dict[str, Any]] = {}
        with _snapshot(conn):
            for name in wanted:
                sql, columns = _events_query() if name == EVENTS_FILE else _table_query(conn, name)
                path = out / f"{name}.{fmt}"
                part = path.with_name(path.name + ".part")
                try:
                    rows = WRITERS[fmt](part, columns, JSON_COLUMNS.get(name, {}), _batches(conn, sql))
                    os.replace(part, path)
                except OSError as exc:
                    part.unlink(missing_ok=True)
                    raise OptionError(f"{path}: cannot write ({exc.strerror or exc}): choose another --to") from None
                except BaseException:
                    part.unlink(missing_ok=True)
                    raise
                written[name] = {"path": str(path), "rows": rows}
    return {"to": str(out), "format": fmt, "files": written}


# ---------------------------------------------------------------- TimelineJS
STATE_LABEL = {"active": "Active", "suspended": "Suspended", "resumption_pending": "Resumption pending", "dormant": "Not held",
               "unknown": "Status unknown"}
STATUS_LABEL = {
    "held": "held", "suspended": "suspended", "agreed_to_resume": "agreed to resume", "expected_to_resume": "expected to resume",
    "resumed": "resumed", "requested": "requested", "declined": "declined", "established": "established",
}
KIND_LABEL = {"call": "Call", "video_call": "Video call", "meeting": "Meeting", "talks": "Talks", "summit": "Summit", "visit": "Visit"}


def tl_date(value: str | None, precision: str | None = None, display: str | None = None) -> dict[str, Any] | None:
    """A TimelineJS date object at the precision given (``2023-12`` -> year and month only)."""
    if not value:
        return None
    try:
        parts = [int(p) for p in value[:10].split("-")]
    except ValueError:
        return None
    keep = {"year": 1, "month": 2, "day": 3}.get(precision or "", len(parts))
    out: dict[str, Any] = dict(zip(("year", "month", "day"), parts[: min(keep, len(parts))], strict=False))
    if display:
        out["display_date"] = display
    return out


def _sort_key(d: dict[str, Any] | None) -> tuple[int, int, int]:
    d = d or {}
    return int(d.get("year", 9999)), int(d.get("month", 0)), int(d.get("day", 0))


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _source_link(doc: dict[str, Any]) -> str:
    title = _esc(doc.get("title") or doc.get("document_id") or doc.get("id") or "source")
    link = f'<a href="{_esc(doc["url"])}" target="_blank">{title}</a>' if doc.get("url") else title
    extra = ", ".join(_esc(x) for x in (doc.get("outlet"), doc.get("published")) if x)
    return link + (f" ({extra})" if extra else "")


def _assertion_rows(store: Store, channel_id: str) -> dict[str, dict[str, Any]]:
    """A channel's own assertions and those of its umbrellas that its intervals take in."""
    wanted = {channel_id} | {
        r["channel_id"] for r in store.rows(
            """SELECT DISTINCT a.channel_id FROM channel_intervals i, json_each(i.assertions) j
               JOIN channel_assertions a ON a.id = j.value WHERE i.channel_id = ?""", (channel_id,))
    }
    marks = ",".join("?" * len(wanted))
    rows = store.rows(
        f"""SELECT a.id, a.channel_id, a.status, a.date, a.date_precision, a.date_raw, a.effective_date, a.dated_by, a.published,
                  a.side, a.evidence, a.asserted_by, x.name AS asserted_by_name, a.document_id,
                  d.title, d.url, d.outlet
           FROM channel_assertions a LEFT JOIN documents d ON d.id = a.document_id
           LEFT JOIN actors x ON x.id = a.asserted_by
           WHERE a.channel_id IN ({marks}) ORDER BY a.effective_date, a.id""",
        sorted(wanted),
    )
    return {r["id"]: r for r in rows}


def _placed_precision(a: dict[str, Any]) -> str:
    """The precision of an assertion's effective date: its own where the text dates it."""
    return (a.get("date_precision") or "day") if a.get("dated_by") == "text" else "day"


def _interval_slides(store: Store, channel: dict[str, Any], group: str, with_assertions: bool) -> list[dict[str, Any]]:
    assertions = _assertion_rows(store, channel["id"])
    intervals = store.rows("SELECT * FROM channel_intervals WHERE channel_id = ? ORDER BY seq", (channel["id"],))
    starts: list[str | None] = [iv["start_precision"] or "day" for iv in intervals]
    slides: list[dict[str, Any]] = []
    for n, iv in enumerate(intervals):
        start = tl_date(iv["start_date"], starts[n])
        if start is None:
            continue  # an interval before any dated assertion has no place on a timeline
        ids = json.loads(iv["assertions"] or "[]")
        conflicts = set(json.loads(iv["conflicts"] or "[]"))
        span = f"from {_esc(iv['start_date'])}" + (f" to {_esc(iv['end_date'])}" if iv["end_date"] else ", still so as far as the sources go")
        parts = [f"<p>{_esc(channel['name'])}: {_esc(STATE_LABEL.get(iv['state'], iv['state']).lower())} {span}."]
        if iv["last_held"]:
            parts.append(f" Last reported held on {_esc(iv['last_held'])}.")
        if iv["contested"]:
            parts.append(" Contested: sources of the same date disagree.")
        parts.append(f" Sides: {_esc(', '.join(json.loads(iv['sides'] or '[]')))}; {iv['sources']} document(s).</p><ul>")
        for i in ids:
            a = assertions.get(i)
            if a is None:
                continue
            said = f"{_esc(a['side'] or 'press')}: {_esc(STATUS_LABEL.get(a['status'], a['status']))}"
            if a["channel_id"] != channel["id"]:
                said += f" (of {_esc(a['channel_id'])})"
            flag = " (says otherwise)" if i in conflicts else ""
            parts.append(f"<li>{_esc(a['effective_date'] or '')} {said}{flag} - {_source_link(a)}</li>")
        parts.append("</ul>")
        slide: dict[str, Any] = {
            "unique_id": f"{channel['id']}-interval-{iv['seq']}",
            "start_date": start,
            "text": {"headline": f"{STATE_LABEL.get(iv['state'], iv['state'])}: {channel['name']}", "text": "".join(parts)},
            "group": group,
        }
        nxt = starts[n + 1] if n + 1 < len(starts) else "day"
        end = tl_date(iv["end_date"], nxt)
        if end is not None:
            slide["end_date"] = end
        slides.append(slide)
    if with_assertions:
        taken_in = {i for iv in intervals for i in json.loads(iv["assertions"] or "[]")}
        for a in assertions.values():
            if a["channel_id"] != channel["id"] and a["id"] not in taken_in:
                continue  # an umbrella's news that does not bear on this channel
            if a["dated_by"] == "text":
                start = tl_date(a["date"], a["date_precision"])
            else:
                start = tl_date(a["published"], "day", f"reported {a['published']}" if a["published"] else None)
            if start is None:
                continue
            side = a["side"] or "press"
            who = f"{_esc(a['asserted_by_name'] or a['asserted_by'])} ({_esc(side)})" if a["asserted_by"] else _esc(side)
            text = (f"<p>{who}: {_esc(STATUS_LABEL.get(a['status'], a['status']))}"
                    + (f" ({_esc(a['date_raw'])})" if a["date_raw"] else "") + ".</p>"
                    + f"<blockquote>{_esc(a['evidence'])}</blockquote><p>Source: {_source_link(a)}</p>")
            slides.append({
                "unique_id": a["id"].replace("/", "-"),
                "start_date": start,
                "text": {"headline": f"{STATUS_LABEL.get(a['status'], a['status']).capitalize()} ({side})", "text": text},
                "group": f"said by {side}",
            })
    return slides


def _engagement_slides(store: Store, dyad: str) -> list[dict[str, Any]]:
    slides: list[dict[str, Any]] = []
    names = {r["id"]: r["name"] for r in store.rows(
        """SELECT DISTINCT a.id, a.name FROM engagement_participants p JOIN actors a ON a.id = p.actor_id
           JOIN engagements e ON e.id = p.engagement_id WHERE e.dyad = ?""", (dyad,))}
    channel_names = {r["id"]: r["name"] for r in store.rows("SELECT id, name FROM channels")}
    for e in store.rows("SELECT * FROM engagements WHERE dyad = ? ORDER BY date_start, id", (dyad,)):
        if e["date"]:
            start = tl_date(e["date"], e["date_precision"])
        else:
            start = tl_date(e["first_reported"], "day", f"reported {e['first_reported']}" if e["first_reported"] else None)
        if start is None:
            continue
        who = [names.get(p, p) for p in json.loads(e["participants"] or "[]")]
        kind = KIND_LABEL.get(e["kind"], e["kind"])
        headline = f"{kind}: {', '.join(who[:3])}" + (" and others" if len(who) > 3 else "") if who else f"{kind} ({dyad})"
        parts = []
        if e["channel_id"]:
            parts.append(f"<p>Channel: {_esc(channel_names.get(e['channel_id'], e['channel_id']))}.</p>")
        initiators = json.loads(e["initiators"] or "[]")
        if initiators:
            parts.append(f"<p>Requested by: {_esc(', '.join(names.get(i, i) for i in initiators))}.</p>")
        if e["dates_disagree"]:
            parts.append(f"<p>Sources disagree on the date: between {_esc(e['date_start'])} and {_esc(e['date_end'])}.</p>")
        sources = store.rows(
            """SELECT s.document_id, s.side, s.date_raw, d.title, d.url, d.outlet, d.published
               FROM engagement_sources s LEFT JOIN documents d ON d.id = s.document_id
               WHERE s.engagement_id = ? ORDER BY d.published, s.id""",
            (e["id"],),
        )
        parts.append(f"<p>Reported by {e['sources']} document(s), sides: {_esc(', '.join(json.loads(e['sides'] or '[]')))}.</p><ul>")
        seen: set[str] = set()
        for s in sources:
            if s["document_id"] in seen:
                continue
            seen.add(s["document_id"])
            parts.append(f"<li>{_esc(s['side'] or 'press')}: {_source_link(s)}</li>")
        parts.append("</ul>")
        slides.append({
            "unique_id": e["id"],
            "start_date": start,
            "text": {"headline": headline, "text": "".join(parts)},
            "group": kind,
        })
    return slides


def normalize_dyad(text: str) -> str | None:
    """``usa-chn``, ``CHN/USA`` -> ``CHN-USA`` (``queries.normalize_dyad``); None when it is not a dyad."""
    try:
        return queries.normalize_dyad(text)
    except OptionError:
        return None


def timelinejs(store: Store, channel: str | None = None, dyad: str | None = None) -> dict[str, Any]:
    """A TimelineJS object: a channel's status timeline (its intervals, group ``status``, and
    each assertion behind them, grouped by the side that made it), or a dyad's (each of its
    channels' intervals, grouped by channel, and its merged engagements, grouped by kind).
    Every slide links the source documents."""
    if (channel is None) == (dyad is None):
        raise OptionError("give a channel or a dyad for the timeline (one of them)")
    if channel is not None:
        rows = store.rows("SELECT * FROM channels WHERE id = ?", (channel,))
        if not rows:
            raise OptionError(f"no channel {channel!r} in the store: see 'readout channels' for the ids")
        ch = rows[0]
        events = _interval_slides(store, ch, "status", with_assertions=True)
        last = store.rows("SELECT * FROM channel_intervals WHERE channel_id = ? ORDER BY seq DESC LIMIT 1", (channel,))
        now = (f"{STATE_LABEL.get(last[0]['state'], last[0]['state'])} since {last[0]['start_date']}" if last and last[0]["start_date"]
               else "no dated status yet")
        n_docs = store.scalar("SELECT count(DISTINCT document_id) FROM channel_assertions WHERE channel_id = ?", (channel,))
        title = {"text": {"headline": ch["name"],
                          "text": f"<p>{_esc(ch['dyad'] or '')} {_esc(ch['level'] or '')} channel. {_esc(now)}. "
                                  f"From {n_docs} document(s).</p>"}}
    else:
        key = normalize_dyad(dyad or "")
        if key is None:
            raise OptionError(f"{dyad!r} is not a dyad: give two country codes, e.g. CHN-USA")
        chans = store.rows("SELECT * FROM channels WHERE dyad = ? ORDER BY generic, name", (key,))
        n_eng = store.scalar("SELECT count(*) FROM engagements WHERE dyad = ?", (key,))
        if not chans and not n_eng:
            raise OptionError(f"nothing on the dyad {key} in the store: ingest documents about it, or check the country codes")
        events = []
        for ch in chans:
            events += _interval_slides(store, ch, ch["name"], with_assertions=False)
        events += _engagement_slides(store, key)
        title = {"text": {"headline": f"{key}: dialogue channels and engagements",
                          "text": f"<p>{len(chans)} channel(s) and {n_eng} engagement(s), each linked to its sources.</p>"}}
    events.sort(key=lambda s: (_sort_key(s["start_date"]), s["unique_id"]))
    return {"title": title, "events": events}


def export_timelinejs(
    store_or_db_path: Store | str | os.PathLike[str] | None,
    path: str | os.PathLike[str],
    target: str,
) -> dict[str, Any]:
    """Write the TimelineJS JSON of ``target`` - a channel id (``chn-usa-dtl``, or a registry id
    that names one channel) or a dyad (``CHN-USA``) - to ``path``. Returns
    ``{"path": ..., "channel" or "dyad": ..., "events": n}``."""
    out = Path(path)
    if out.is_dir():
        raise OptionError(f"{out}: is a folder: give the timeline a file name, e.g. {out / 'timeline.json'}")
    if not out.parent.is_dir():
        raise OptionError(f"{out}: the folder {out.parent} does not exist: create it or choose another path")
    with _opened(store_or_db_path) as store:
        channel = resolve_channel(store, target)
        obj = timelinejs(store, channel=channel) if channel else timelinejs(store, dyad=target)
    try:
        out.write_text(json.dumps(obj, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    except OSError as exc:
        raise OptionError(f"{out}: cannot write ({exc.strerror or exc}): choose another path") from None
    key = {"channel": channel} if channel else {"dyad": normalize_dyad(target)}
    return {"path": str(out), **key, "events": len(obj["events"])}


def resolve_channel(store: Store, name: str) -> str | None:
    """The channel id ``name`` refers to (an id, alias or name, as ``readout timeline`` takes
    it); None when ``name`` is a dyad such as CHN-USA."""
    if re.fullmatch(r"\s*[A-Za-z]{3}\s*[-_/: ]\s*[A-Za-z]{3}\s*", name) and not store.scalar("SELECT 1 FROM channels WHERE id = ?", (name,)):
        return None
    return str(queries.find_channel(store, name)["id"])
