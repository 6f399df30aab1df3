"""``readout ingest``: files, folders, JSONL/CSV collections and standard input into the store.

What the inputs hold, and what folder walks skip, is ``readout.inputs``' business (the database
being written is never read; files of other types are skipped and counted; malformed records
are failures with their line). This module runs the analysis and writes the store:

Each document is analyzed and committed in its own transaction: a process killed at any moment
loses nothing already committed and leaves no half-written document, and the same command run
again skips what is in the store (a document is known by its text) and finishes the job. A
known text given with other metadata (``--outlet``, ``--published``, a record's fields) is not
"unchanged": the document is updated, and when the publication date or outlet changed (the
extractors read them) its records are analyzed again and replace the old ones, with the
engagements and timelines they fed. An input that cannot be read (empty, binary, not English,
malformed record, an extractor error) is recorded in ``failures`` with its reason, its run and
the time, and the run goes on. A run that dies is marked ``interrupted`` by the next one.

The gate and the analysis run in ``pipeline.analyze_gated``, in this process, in worker
processes or on a Dask cluster; this process reads the inputs, asks the store what it knows of
each, and writes. ``ingest_shards`` runs the same writer over a folder that ``analyze-corpus``
filled (shards.py), the analysis read from its shards instead of made.
"""

from __future__ import annotations

import os
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pathlib import Path

from .. import __version__
from .. import inputs
from .. import nlp as nlp_mod
from .. import pipeline
from .. import readers as reader
from .. import shards
from ..errors import InputError, OptionError
from ..inputs import RECORD_SUFFIXES, Options, Skipped, count_inputs, read_inputs
from ..records import Document, content_id
from ..registry import Registry, get_registry
from . import aggregate, runs, write
from .db import db_path, open_store
from .write import save_analysis

__all__ = ["RECORD_SUFFIXES", "IngestSummary", "Options", "count_inputs", "ingest", "ingest_shards", "read_inputs"]


@dataclass
class IngestSummary:
    """What one ingest did."""

    db: str
    run_id: int
    new: int = 0
    unchanged: int = 0
    updated: int = 0
    failed: int = 0
    not_relevant: int = 0  # documents the gate found unable to hold a record (not parsed; table not_relevant)
    gate: bool = True
    records_added: dict[str, int] = field(default_factory=dict)
    failures: list[dict[str, Any]] = field(default_factory=list)  # this run's: source, code, reason, run, failed_at
    updates: list[dict[str, Any]] = field(default_factory=list)  # known texts with new metadata: source, document, changed
    skipped: Skipped = field(default_factory=Skipped)
    interrupted_runs: list[int] = field(default_factory=list)  # earlier runs found dead and marked
    timelines_rebuilt: int = 0
    seconds: float = 0.0
    shards: dict[str, Any] | None = None  # a shard folder loaded: folder, shards, analyzed_here


    def to_dict(self) -> dict[str, Any]:
        return {
            "db": self.db,
            "run": self.run_id,
            "documents": {"new": self.new, "unchanged": self.unchanged, "updated": self.updated, "failed": self.failed},
            "not_relevant": self.not_relevant,
            "gate": self.gate,
            "records_added": dict(self.records_added),
            "failures": list(self.failures),
            "updates": list(self.updates),
            "skipped": self.skipped.to_dict(),
            "interrupted_runs": list(self.interrupted_runs),
            "timelines_rebuilt": self.timelines_rebuilt,
            "seconds": round(self.seconds, 2),
            **({"shards": dict(self.shards)} if self.shards is not None else {}),
        }


# ------------------------------------------------------------------ the run
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
    chunk_progress: Callable[[int, int], None] | None = None,
    max_bytes: int | str | None = None,
    command: str | None = None,
    gate: bool = True,
    workers: int = 1,
    scheduler: str | None = None,
    text_column: str = "text",
) -> IngestSummary:
    """Analyze the documents in ``paths`` and add them to the store at ``db``.

    ``progress`` is called with each input's source as it is done, ``chunk_progress`` with
    (chunks parsed, chunks) while a long document is parsed in pieces. ``max_bytes`` limits a
    file and a record field (default 50 MB; '200MB' works). ``command`` is what the run log
    records (default: ``readout ingest PATHS``). ``gate`` (default on): documents that cannot
    hold a record (gate.py) are not parsed but recorded in the table ``not_relevant`` with the
    gate's reason; ``gate=False`` parses everything (and analyzes documents an earlier gated run
    set aside). ``workers`` > 1 analyzes in that many processes (workers.py), the model loaded
    once in each; ``scheduler`` (tcp://HOST:PORT) sends the analysis to the workers of that Dask
    cluster instead (cluster.py); either way the gate runs where the analysis runs, and this
    process reads the inputs and commits each document alone. ``text_column`` names the column
    of Parquet inputs that holds the text. A folder of shards written by ``analyze-corpus``
    (shards.py) is loaded without analyzing again: see ``ingest_shards``. Returns what was done;
    documents already in the store with the same metadata are counted as unchanged and not
    analyzed again."""
    if not paths:
        raise InputError("no input given: name files or folders to ingest, or - for standard input")
    folder = shards.shard_folder(paths)
    if folder is not None:
        given = [name for name, value in (("--published", published), ("--outlet", outlet), ("--no-gate", not gate),
                                          ("--no-language-check", not check_language), ("--max-bytes", max_bytes),
                                          ("--text-column", text_column != "text")) if value]
        if given:
            raise OptionError(f"{given[0]} is an option of the analysis, which analyze-corpus did for {folder}: give it to "
                              "analyze-corpus, then ingest the folder")
        return ingest_shards(folder, db=db, model=model, registry_files=registry_files, batch_size=batch_size, progress=progress,
                             command=command or " ".join(["readout", "ingest", *paths]))
    client = None
    if scheduler:
        from ..cluster import connect

        client = connect(scheduler)  # first: an unreachable cluster is one clear error, at once, before a run is recorded
    limit = reader.parse_size(max_bytes)
    database = db_path(db)
    opts = Options(
        published=reader.normalize_published(published), outlet=outlet, check_language=check_language,
        max_bytes=limit, exclude=inputs.database_files(database), text_column=text_column,
    )
    registry = get_registry(tuple(str(p) for p in registry_files))
    try:
        nlp_mod.load(model)  # a missing model is one clear error before anything is written
    except BaseException:
        if client is not None:
            client.close()
        raise
    analyze: Callable[[Iterator[tuple[Document, bool]]], Iterator[pipeline.Outcome]]
    if client is not None:
        from ..cluster import analyze_outcomes_on_cluster

        def analyze(tasks: Iterator[tuple[Document, bool]]) -> Iterator[pipeline.Outcome]:
            return analyze_outcomes_on_cluster(tasks, client=client, model=model, registry_files=registry_files,
                                               batch_size=batch_size, gate=gate)
    elif workers > 1:
        from ..workers import analyze_outcomes_in_processes

        def analyze(tasks: Iterator[tuple[Document, bool]]) -> Iterator[pipeline.Outcome]:
            return analyze_outcomes_in_processes(tasks, workers=workers, model=model, registry_files=registry_files,
                                                 batch_size=batch_size, gate=gate)
    else:
        def analyze(tasks: Iterator[tuple[Document, bool]]) -> Iterator[pipeline.Outcome]:
            return pipeline.analyze_gated(tasks, model=model, registry_files=registry_files, batch_size=batch_size, gate=gate)

    skipped = Skipped()
    chunks = pipeline.CHUNK_PROGRESS.set(chunk_progress) if chunk_progress else None
    try:
        return _run(
            database, lambda: read_inputs(paths, opts, skipped), analyze, skipped=skipped, registry=registry,
            analyzer=(__version__, nlp_mod.describe(model), registry.fingerprint), gate=gate, progress=progress,
            command=command or " ".join(["readout", "ingest", *paths]),
        )
    finally:
        if chunks is not None:
            pipeline.CHUNK_PROGRESS.reset(chunks)
        if client is not None:
            client.close()


def ingest_shards(
    folder: str | os.PathLike[str],
    *,
    db: str | os.PathLike[str] | None = None,
    model: str | None = None,
    registry_files: Sequence[str | os.PathLike[str]] = (),
    batch_size: int = 16,
    progress: Callable[[str], None] | None = None,
    command: str | None = None,
) -> IngestSummary:
    """Load a folder of ``analyze-corpus`` shards into the store at ``db`` without analyzing
    again: every input as ``ingest`` of the same inputs would write it (one document per
    transaction; a text already in the store is unchanged, or updated; the gate's rejections go
    to ``not_relevant``, failures to ``failures``), so loading twice changes nothing. Only a
    text the store already holds with other metadata (an outlet or publication date the
    extractors read, or one the store fills in) is analyzed here again, as ``ingest`` would; the
    summary counts those in ``shards.analyzed_here``. The registry must be the one the shards
    were analyzed with (``registry_files``)."""
    path = Path(folder)
    marker = shards.read_marker(path)
    if marker is None:
        raise InputError(f"{path}: not a folder of analyze-corpus shards (no {shards.MARKER}): ingest its files as inputs instead")
    analyzer = marker.get("analyzer") or {}
    registry = get_registry(tuple(str(p) for p in registry_files))
    if analyzer.get("registry") != registry.fingerprint:
        raise OptionError(f"{path}: its shards were analyzed with another registry: give ingest the --registry files "
                          "analyze-corpus was given (or analyze the inputs again)")
    gate = bool(analyzer.get("gate", True))
    shards.check_folder(path, marker)  # an unfinished folder, a missing shard: one clear error before a run is recorded
    # the shard's outcome of the row just read, by document id: the writer hands a row's document to
    # ``analyze`` (below) before it reads the next row, so one row's outcome is all there is to keep
    latest: dict[str, pipeline.Outcome] = {}
    here = [0]

    def items() -> Iterator[tuple[str, Document | Exception]]:
        for row in shards.read_folder(path, marker):
            latest.clear()
            if row.outcome is not None:
                latest[row.outcome.document.id] = row.outcome
            yield row.source, row.item

    def analyze(tasks: Iterator[tuple[Document, bool]]) -> Iterator[pipeline.Outcome]:
        for document, may_gate in tasks:
            got = latest.pop(document.id, None)
            if got is not None and got.document == document and (may_gate or got.not_relevant is None):
                yield got
                continue
            # a known text analyzed again with the store's metadata: what ingest of the inputs does
            if nlp_mod.describe(model) != analyzer.get("model"):
                raise OptionError(f"{path}: a document must be analyzed again and the shards were analyzed with the model "
                                  f"{analyzer.get('model')}: give ingest that model with --model")
            here[0] += 1
            yield from pipeline.analyze_gated([(document, may_gate)], model=model, registry_files=registry_files,
                                              batch_size=batch_size, gate=gate)

    summary = _run(
        db_path(db), items, analyze, skipped=Skipped(), registry=registry,
        analyzer=(str(analyzer.get("readout_version")), str(analyzer.get("model")), registry.fingerprint), gate=gate,
        progress=progress, command=command or f"readout ingest {folder}",
    )
    summary.shards = {"folder": str(path), "shards": len(marker.get("shards", [])), "analyzed_here": here[0]}
    return summary


def _run(
    database: Path,
    items: Callable[[], Iterable[tuple[str, Document | Exception]]],
    analyze: Callable[[Iterator[tuple[Document, bool]]], Iterator[pipeline.Outcome]],
    *,
    skipped: Skipped,
    registry: Registry,
    analyzer: tuple[str, str, str],
    gate: bool,
    progress: Callable[[str], None] | None,
    command: str,
) -> IngestSummary:
    """One ingest run: the inputs' documents (``items``: source and document, or the error that
    stopped it being read) checked against the store, those to analyze handed to ``analyze``
    (tasks: document, may the gate set it aside), and each outcome committed alone."""
    started = datetime.now(UTC)
    store = open_store(database, create=True)
    with store:
        version, model_desc, fingerprint = analyzer
        analyzer_id = content_id("anz", version, model_desc, fingerprint)
        with store.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO analyzers (id, readout_version, model, registry) VALUES (?, ?, ?, ?)",
                (analyzer_id, version, model_desc, fingerprint),
            )
        interrupted = runs.mark_interrupted(store)
        run_id = runs.start_run(store, command, analyzer_id)
        before = store.counts()
        summary = IngestSummary(db=str(store.path), run_id=run_id, interrupted_runs=interrupted, gate=gate, skipped=skipped)
        # the inputs waiting for their analysis, per document id (the same text may come twice)
        waiting: dict[str, deque[tuple[str, dict[str, Any] | None]]] = defaultdict(deque)

        def fail(source: str, error: Exception) -> None:
            summary.failed += 1
            summary.failures.append(runs.record_failure(store, source, error, analyzer_id, run_id))

        def to_analyze() -> Iterator[tuple[Document, bool]]:
            for source, item in items():
                if isinstance(item, Exception):
                    fail(source, item)
                    if progress:
                        progress(source)
                    continue
                changes = write.document_changes(store.conn, item)
                if changes is None or changes.keys() & write.REANALYZE_FIELDS:
                    waiting[item.id].append((source, changes))
                    # a text new to the store may be set aside by the gate; a known one analyzed again may not
                    yield (write.with_stored_fields(store.conn, item) if changes else item), changes is None
                    continue
                with store.transaction() as conn:
                    if changes:
                        write.update_document(conn, item, changes)
                        summary.updated += 1
                        summary.updates.append(_update(source, item, changes))
                    else:
                        summary.unchanged += 1
                    runs.clear_failure(conn, source)
                if progress:
                    progress(source)

        status = "interrupted"
        try:
            for outcome in analyze(to_analyze()):
                queue = waiting.get(outcome.document.id)
                source, changes = queue.popleft() if queue else (outcome.document.id, None)
                if queue is not None and not queue:
                    del waiting[outcome.document.id]
                if outcome.not_relevant is not None:
                    with store.transaction() as conn:
                        if write.record_not_relevant(conn, outcome.document, source, outcome.not_relevant, analyzer_id, run_id):
                            summary.not_relevant += 1
                        else:
                            summary.unchanged += 1
                        runs.clear_failure(conn, source)
                elif outcome.analysis is None:
                    fail(source, outcome.error or RuntimeError("unknown"))
                else:
                    with store.transaction() as conn:
                        now = write.document_changes(conn, outcome.document)
                        if now is None:
                            save_analysis(conn, outcome.analysis, registry=registry, analyzer_id=analyzer_id, source=source)
                            summary.new += 1
                        elif now.keys() & write.REANALYZE_FIELDS:
                            write.delete_document_records(conn, outcome.document.id)
                            save_analysis(conn, outcome.analysis, registry=registry, analyzer_id=analyzer_id, source=source)
                            write.update_document(conn, outcome.document, now)
                            summary.updated += 1
                            summary.updates.append(_update(source, outcome.document, now))
                        else:
                            summary.unchanged += 1  # the same text twice in one run
                            runs.clear_failure(conn, source)
                if progress:
                    progress(source)
            summary.timelines_rebuilt = aggregate.refresh_timelines(store.conn)
            status = "finished"
        finally:
            after = store.counts()
            skip = {"runs", "analyzers", "migrations"}
            summary.records_added = {t: after[t] - before.get(t, 0) for t in after if t not in skip and after[t] != before.get(t, 0)}
            summary.seconds = (datetime.now(UTC) - started).total_seconds()
            runs.finish_run(store, run_id, status=status, new=summary.new, unchanged=summary.unchanged, updated=summary.updated,
                            failed=summary.failed, skipped=summary.skipped.to_dict())
    return summary


def _update(source: str, doc: Document, changes: dict[str, tuple[Any, Any]]) -> dict[str, Any]:
    """An updated document as the summary lists it: which fields changed, from what to what."""
    shown = {k: {"from": old, "to": new} for k, (old, new) in changes.items() if k != "metadata"}
    if "metadata" in changes:
        old, new = changes["metadata"]
        shown["metadata"] = {"from": {k: old.get(k) for k in new if old.get(k) != new[k]}, "to": {k: new[k] for k in new if old.get(k) != new[k]}}
    return {"source": source, "document": doc.id, "changed": shown, "reanalyzed": bool(changes.keys() & write.REANALYZE_FIELDS)}
