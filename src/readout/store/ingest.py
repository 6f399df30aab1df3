"""``readout ingest``: files, folders, JSONL/CSV collections and standard input into the store.

Inputs:
- a .txt, .md or .html file (as ``readout analyze`` reads it);
- a folder, walked recursively in name order; hidden files, ``README*`` and YAML files
  (metadata and annotations, not documents) are skipped, and an ``index.yaml`` (the sample
  corpus's form: ``file``, ``title``, ``outlet``, ``published``, ``url`` per entry) gives the
  metadata of the files it lists;
- a .jsonl file (one JSON object per line) or a .csv file (a header row), one document per
  record: ``text`` (required), ``title``, ``published``, ``outlet``, ``url``; other fields are
  kept as the document's metadata;
- ``-``: one document on standard input.

Each document is analyzed and committed in its own transaction: a process killed at any moment
loses nothing already committed and leaves no half-written document, and the same command run
again skips what is in the store (a document is known by its text) and finishes the job. An
input that cannot be read (empty, binary, not English, malformed record, an extractor error) is
recorded in ``failures`` with its reason and the run goes on.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from .. import __version__
from .. import readers as reader
from .. import nlp as nlp_mod
from .. import pipeline
from ..errors import InputError, MalformedRecordError, ReadoutError
from ..records import Document, content_id
from ..registry import get_registry
from . import aggregate
from .db import Store, open_store
from .write import save_analysis

RECORD_SUFFIXES = {".jsonl", ".ndjson", ".csv"}
DOCUMENT_FIELDS = ("text", "title", "published", "outlet", "url")
SKIP_NAMES = {"index.yaml", "index.yml"}
SKIP_SUFFIXES = {".yaml", ".yml"}  # metadata and annotations beside documents, not documents


@dataclass
class IngestSummary:
    """What one ingest did."""

    db: str
    run_id: int
    new: int = 0
    unchanged: int = 0
    failed: int = 0
    records_added: dict[str, int] = field(default_factory=dict)
    failures: list[dict[str, str]] = field(default_factory=list)  # this run's: source, code, reason
    timelines_rebuilt: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "db": self.db,
            "run": self.run_id,
            "documents": {"new": self.new, "unchanged": self.unchanged, "failed": self.failed},
            "records_added": dict(self.records_added),
            "failures": list(self.failures),
            "timelines_rebuilt": self.timelines_rebuilt,
            "seconds": round(self.seconds, 2),
        }


@dataclass(frozen=True, slots=True)
class Defaults:
    """Metadata for documents that do not carry their own."""

    published: str | None = None
    outlet: str | None = None
    check_language: bool = True


# ------------------------------------------------------------------ reading inputs
Item = tuple[str, Document | ReadoutError]


def _index_of(folder: Path) -> dict[Path, dict[str, Any]]:
    for name in SKIP_NAMES:
        index = folder / name
        if index.is_file():
            from ..readers import read_index

            return {
                e.path.resolve(): {"title": e.title, "outlet": e.outlet, "published": e.published, "url": e.url}
                for e in read_index(folder)
            }
    return {}


def _walk(folder: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    meta = _index_of(folder)
    for child in sorted(folder.iterdir(), key=lambda p: p.name):
        if child.name.startswith(".") or child.suffix.lower() in SKIP_SUFFIXES or child.name.upper().startswith("README"):
            continue
        if child.is_dir():
            yield from _walk(child)
        else:
            yield child, meta.get(child.resolve(), {})


def _document(text: Any, source: str, fields: dict[str, Any], defaults: Defaults) -> Document:
    extra = {k: v for k, v in fields.items() if k not in DOCUMENT_FIELDS and v not in (None, "")}
    for key in ("title", "published", "outlet", "url"):
        value = fields.get(key)
        if value is not None and not isinstance(value, str):
            if key == "published" and hasattr(value, "isoformat"):
                continue
            raise MalformedRecordError(f"{source}: '{key}' must be text, not {type(value).__name__}")
    return reader.make_document(
        text,
        published=fields.get("published") or defaults.published,
        outlet=fields.get("outlet") or defaults.outlet,
        url=fields.get("url"),
        title=fields.get("title"),
        metadata=extra,
        check_language=defaults.check_language,
        source=source,
    )


def _jsonl(path: Path, defaults: Defaults) -> Iterator[Item]:
    with path.open("rb") as fh:
        for n, raw in enumerate(fh, 1):
            source = f"{path}:{n}"
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                yield source, MalformedRecordError(f"{source}: not a JSON object ({exc.__class__.__name__}): fix or remove the line")
                continue
            if not isinstance(record, dict):
                yield source, MalformedRecordError(f"{source}: a record must be a JSON object with 'text', not {type(record).__name__}")
                continue
            if "text" not in record:
                yield source, MalformedRecordError(f"{source}: the record has no 'text' field: give each record the document's text")
                continue
            try:
                yield source, _document(record["text"], source, record, defaults)
            except ReadoutError as exc:
                yield source, exc


def _csv(path: Path, defaults: Defaults) -> Iterator[Item]:
    csv.field_size_limit(reader.MAX_BYTES)
    try:
        data = path.read_bytes()
        text = reader.decode(data, str(path)).text
    except ReadoutError as exc:
        yield str(path), exc
        return
    rows = csv.DictReader(io.StringIO(text, newline=""))
    if not rows.fieldnames or "text" not in rows.fieldnames:
        yield str(path), MalformedRecordError(f"{path}: no 'text' column in the header row: name the column with each document's text 'text'")
        return
    try:
        for n, row in enumerate(rows, 2):
            source = f"{path}:{n}"
            if None in row:
                yield source, MalformedRecordError(f"{source}: more fields than the header has: quote fields that hold commas")
                continue
            try:
                yield source, _document(row.get("text") or "", source, dict(row), defaults)
            except ReadoutError as exc:
                yield source, exc
    except csv.Error as exc:
        yield f"{path}:{rows.line_num}", MalformedRecordError(f"{path}:{rows.line_num}: malformed CSV ({exc}): fix the file")


def _file(path: Path, meta: dict[str, Any], defaults: Defaults) -> Iterator[Item]:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        yield from _jsonl(path, defaults)
    elif suffix == ".csv":
        yield from _csv(path, defaults)
    else:
        try:
            yield str(path), reader.read_document(
                str(path),
                published=meta.get("published") or defaults.published,
                outlet=meta.get("outlet") or defaults.outlet,
                url=meta.get("url"),
                title=meta.get("title"),
                check_language=defaults.check_language,
            )
        except ReadoutError as exc:
            yield str(path), exc


def read_inputs(paths: Sequence[str], defaults: Defaults = Defaults()) -> Iterator[Item]:
    """Every document the inputs hold, in order, or the error that stopped one being read."""
    for raw in paths:
        if raw == "-":
            try:
                yield "-", reader.read_document("-", published=defaults.published, outlet=defaults.outlet,
                                               check_language=defaults.check_language)
            except ReadoutError as exc:
                yield "-", exc
            continue
        path = Path(raw)
        if path.is_dir():
            try:
                walked = list(_walk(path))
            except (ReadoutError, yaml.YAMLError) as exc:
                yield raw, exc if isinstance(exc, ReadoutError) else MalformedRecordError(f"{raw}: bad index.yaml: fix it")
                continue
            for child, meta in walked:
                yield from _file(child, meta, defaults)
        elif path.is_file():
            yield from _file(path, {}, defaults)
        else:
            yield raw, InputError(f"{raw}: no such file or folder: check the path")


def count_inputs(paths: Sequence[str]) -> int | None:
    """How many documents the inputs hold, counted cheaply (for a progress bar); None when
    standard input is among them."""
    total = 0
    for raw in paths:
        if raw == "-":
            return None
        path = Path(raw)
        files = [p for p, _ in _walk(path)] if path.is_dir() else [path] if path.is_file() else []
        for f in files:
            if f.suffix.lower() in RECORD_SUFFIXES:
                with f.open("rb") as fh:
                    total += sum(1 for line in fh if line.strip()) - (f.suffix.lower() == ".csv")
            else:
                total += 1
    return total


# ------------------------------------------------------------------ the run
def _record_failure(store: Store, source: str, error: Exception, analyzer_id: str) -> dict[str, str]:
    code = getattr(error, "code", "extractor_error")
    message = getattr(error, "message", None) or f"{type(error).__name__}: {error} (a bug in readout: please report it)"
    message = " ".join(str(message).split())
    with store.transaction() as conn:
        conn.execute(
            """INSERT INTO failures (source, code, reason, analyzer_id) VALUES (?, ?, ?, ?)
               ON CONFLICT(source) DO UPDATE SET code = excluded.code, reason = excluded.reason, analyzer_id = excluded.analyzer_id""",
            (source, code, message, analyzer_id),
        )
    return {"source": source, "code": code, "reason": message}


def ingest(
    paths: Sequence[str],
    *,
    db: str | os.PathLike[str] | None = None,
    published: str | None = None,
    outlet: str | None = None,
    model: str | None = None,
    registry_files: Sequence[str | os.PathLike[str]] = (),
    check_language: bool = True,
    batch_size: int = 16,
    progress: Callable[[str], None] | None = None,
) -> IngestSummary:
    """Analyze the documents in ``paths`` and add them to the store at ``db``.

    ``progress`` is called with each input's source as it is done. Returns what was done;
    documents already in the store are counted as unchanged and not analyzed again."""
    if not paths:
        raise InputError("no input given: name files or folders to ingest, or - for standard input")
    defaults = Defaults(published=reader.normalize_published(published), outlet=outlet, check_language=check_language)
    started = datetime.now(UTC)
    registry = get_registry(tuple(str(p) for p in registry_files))
    nlp_mod.load(model)  # a missing model is one clear error before anything is written
    store = open_store(db, create=True)
    with store:
        analyzer_id = content_id("anz", __version__, nlp_mod.describe(model), registry.fingerprint)
        with store.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO analyzers (id, readout_version, model, registry) VALUES (?, ?, ?, ?)",
                (analyzer_id, __version__, nlp_mod.describe(model), registry.fingerprint),
            )
            cur = conn.execute(
                "INSERT INTO runs (command, analyzer_id, started) VALUES (?, ?, ?)",
                (" ".join(["readout", "ingest", *paths]), analyzer_id, started.isoformat(timespec="seconds")),
            )
            run_id = int(cur.lastrowid or 0)
        before = store.counts()
        summary = IngestSummary(db=str(store.path), run_id=run_id)
        sources: dict[str, str] = {}

        def new_documents() -> Iterator[Document]:
            for source, item in read_inputs(paths, defaults):
                if isinstance(item, Exception):
                    summary.failed += 1
                    summary.failures.append(_record_failure(store, source, item, analyzer_id))
                    if progress:
                        progress(source)
                elif store.scalar("SELECT 1 FROM documents WHERE id = ?", (item.id,)):
                    summary.unchanged += 1
                    store.conn.execute("DELETE FROM failures WHERE source = ?", (source,))
                    if progress:
                        progress(source)
                else:
                    sources[item.id] = source
                    yield item

        for outcome in pipeline.analyze_outcomes(new_documents(), model=model, registry_files=registry_files, batch_size=batch_size):
            source = sources.pop(outcome.document.id, outcome.document.id)
            if outcome.analysis is None:
                summary.failed += 1
                summary.failures.append(_record_failure(store, source, outcome.error or RuntimeError("unknown"), analyzer_id))
            else:
                with store.transaction() as conn:
                    if conn.execute("SELECT 1 FROM documents WHERE id = ?", (outcome.document.id,)).fetchone():
                        summary.unchanged += 1  # the same text twice in one run
                    else:
                        save_analysis(conn, outcome.analysis, registry=registry, analyzer_id=analyzer_id, source=source)
                        summary.new += 1
            if progress:
                progress(source)
        summary.timelines_rebuilt = aggregate.refresh_timelines(store.conn)
        after = store.counts()
        skip = {"runs", "analyzers", "migrations"}
        summary.records_added = {t: after[t] - before.get(t, 0) for t in after if t not in skip and after[t] != before.get(t, 0)}
        finished = datetime.now(UTC)
        summary.seconds = (finished - started).total_seconds()
        with store.transaction() as conn:
            conn.execute(
                "UPDATE runs SET finished = ?, documents_new = ?, documents_unchanged = ?, documents_failed = ? WHERE id = ?",
                (finished.isoformat(timespec="seconds"), summary.new, summary.unchanged, summary.failed, run_id),
            )
    return summary

