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
"""

from __future__ import annotations

import os
from collections import defaultdict, deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .. import __version__
from .. import gate as gate_mod
from .. import inputs
from .. import nlp as nlp_mod
from .. import pipeline
from .. import readers as reader
from ..errors import InputError
from ..inputs import RECORD_SUFFIXES, Options, Skipped, count_inputs, read_inputs
from ..records import Document, content_id
from ..registry import get_registry
from . import aggregate, runs, write
from .db import db_path, open_store
from .write import save_analysis

__all__ = ["RECORD_SUFFIXES", "IngestSummary", "Options", "count_inputs", "ingest", "read_inputs"]


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
    cluster instead (cluster.py); either way this process reads the inputs and commits each
    document alone. Returns what was done; documents already in
    the store with the same metadata are counted as unchanged and not analyzed again."""
    if not paths:
        raise InputError("no input given: name files or folders to ingest, or - for standard input")
    limit = reader.parse_size(max_bytes)
    database = db_path(db)
    opts = Options(
        published=reader.normalize_published(published), outlet=outlet, check_language=check_language,
        max_bytes=limit, exclude=inputs.database_files(database),
    )
    started = datetime.now(UTC)
    registry = get_registry(tuple(str(p) for p in registry_files))
    nlp_mod.load(model)  # a missing model is one clear error before anything is written
    store = open_store(database, create=True)
    with store:
        analyzer_id = content_id("anz", __version__, nlp_mod.describe(model), registry.fingerprint)
        with store.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO analyzers (id, readout_version, model, registry) VALUES (?, ?, ?, ?)",
                (analyzer_id, __version__, nlp_mod.describe(model), registry.fingerprint),
            )
        interrupted = runs.mark_interrupted(store)
        run_id = runs.start_run(store, command or " ".join(["readout", "ingest", *paths]), analyzer_id)
        before = store.counts()
        summary = IngestSummary(db=str(store.path), run_id=run_id, interrupted_runs=interrupted, gate=gate)
        judge = gate_mod.gate_for(registry).judge if gate else None
        # the inputs waiting for their analysis, per document id (the same text may come twice)
        waiting: dict[str, deque[tuple[str, dict[str, Any] | None]]] = defaultdict(deque)

        def fail(source: str, error: Exception) -> None:
            summary.failed += 1
            summary.failures.append(runs.record_failure(store, source, error, analyzer_id, run_id))

        def to_analyze() -> Iterator[Document]:
            for source, item in read_inputs(paths, opts, summary.skipped):
                if isinstance(item, Exception):
                    fail(source, item)
                    if progress:
                        progress(source)
                    continue
                changes = write.document_changes(store.conn, item)
                if changes is None and judge is not None:
                    verdict = judge(item.text, item.title)
                    if not verdict.relevant:
                        with store.transaction() as conn:
                            if write.record_not_relevant(conn, item, source, verdict.reason or "", analyzer_id, run_id):
                                summary.not_relevant += 1
                            else:
                                summary.unchanged += 1
                            runs.clear_failure(conn, source)
                        if progress:
                            progress(source)
                        continue
                if changes is None or changes.keys() & write.REANALYZE_FIELDS:
                    waiting[item.id].append((source, changes))
                    yield write.with_stored_fields(store.conn, item) if changes else item
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
        chunks = pipeline.CHUNK_PROGRESS.set(chunk_progress) if chunk_progress else None
        try:
            if scheduler:
                from ..cluster import analyze_outcomes_on_cluster

                outcomes = analyze_outcomes_on_cluster(to_analyze(), scheduler=scheduler, model=model, registry_files=registry_files,
                                                       batch_size=batch_size, gate=gate)
            elif workers > 1:
                from ..workers import analyze_outcomes_in_processes

                outcomes = analyze_outcomes_in_processes(to_analyze(), workers=workers, model=model, registry_files=registry_files,
                                                         batch_size=batch_size, gate=gate)
            else:
                outcomes = pipeline.analyze_outcomes(to_analyze(), model=model, registry_files=registry_files, batch_size=batch_size, gate=gate)
            for outcome in outcomes:
                queue = waiting.get(outcome.document.id)
                source, changes = queue.popleft() if queue else (outcome.document.id, None)
                if queue is not None and not queue:
                    del waiting[outcome.document.id]
                if outcome.analysis is None:
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
            if chunks is not None:
                pipeline.CHUNK_PROGRESS.reset(chunks)
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
