"""``readout analyze-corpus INPUTS --to DIR``: analysis without a store, into Parquet shards that
``readout ingest DIR`` loads later without analyzing again.

The inputs are read as ``ingest`` reads them (``inputs.read_inputs``) and cut into batches of
``shard_size`` inputs in input order. Each batch becomes one shard, ``NNNNNN-DIGEST.parquet``:
NNNNNN its place in the input, DIGEST a hash of its inputs (each one's source and document, or
its error) and of the analyzer (readout's version, the model, the registry, the gate). A shard
is written to a temporary name in DIR and renamed (``os.replace``), so it is whole or absent; a
shard already present is not made again, so a run that was killed, run again, analyzes only the
batches it had not finished. Analysis runs here, in ``workers`` processes or on the workers of a
Dask cluster (the gate in the same place); a shard's bytes come back to this process, which only
writes files.

Each row of a shard is one input, in order: ``seq``, ``source``, ``document_id``, ``status``
(``analyzed``, ``not_relevant``: set aside by the gate, not parsed; ``failed``: could not be read
or analyzed), ``code`` and ``reason`` (why not relevant, why failed), and ``outcome``: the
document and its analysis, or its error, as ``codec.encode`` writes it (exactly what a worker
hands the writer). The schema's metadata (key ``readout.shard``) names the format
(``readout.shard/1``), the analyzer and the batch.

``readout-shards.json`` in DIR marks it as a shard folder: the analyzer, and, once the run is
complete, the shards in input order. ``ingest`` reads the shards it lists, in that order.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from . import __version__, codec, inputs, pipeline
from . import nlp as nlp_mod
from . import readers as reader
from .codec import WorkerError
from .errors import InputError, OptionError, ReadoutError
from .records import Document
from .registry import get_registry
from .workers import batched

MARKER = inputs.SHARD_MARKER
FOLDER_SCHEMA = "readout.shards/1"
SHARD_SCHEMA = "readout.shard/1"
META_KEY = b"readout.shard"
SUFFIX = ".parquet"
DEFAULT_SHARD_SIZE = 128
COLUMNS = ("seq", "source", "document_id", "status", "code", "reason", "outcome")

# one input of a batch: its source and the document read, or the error that stopped it being read
Input = tuple[str, Document | WorkerError]


@dataclass
class CorpusSummary:
    """What one analyze-corpus run did."""

    to: str
    shards: int = 0  # the corpus's shards (written now or before)
    written: list[str] = field(default_factory=list)  # shards made by this run
    present: int = 0  # shards found already made (not analyzed again)
    analyzed: int = 0  # in the shards made now: documents analyzed
    not_relevant: int = 0  # set aside by the gate
    failed: int = 0  # inputs that could not be read or analyzed
    lost: int = 0  # inputs of batches the cluster could not analyze (no shard: run again)
    failures: list[dict[str, Any]] = field(default_factory=list)  # source, code, reason (shards made now)
    stale: list[str] = field(default_factory=list)  # shards in DIR that are not of this corpus
    skipped: inputs.Skipped = field(default_factory=inputs.Skipped)
    gate: bool = True
    seconds: float = 0.0

    @property
    def complete(self) -> bool:
        return self.lost == 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "to": self.to, "complete": self.complete,
            "shards": {"total": self.shards, "written": len(self.written), "present": self.present, "stale": list(self.stale)},
            "documents": {"analyzed": self.analyzed, "not_relevant": self.not_relevant, "failed": self.failed, "lost": self.lost},
            "gate": self.gate, "failures": list(self.failures), "skipped": self.skipped.to_dict(),
            "seconds": round(self.seconds, 2),
        }


# ------------------------------------------------------------------ the shard folder
def read_marker(folder: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The folder's ``readout-shards.json``, or None when it has none (not a shard folder)."""
    path = Path(folder) / MARKER
    if not path.is_file():
        return None
    try:
        marker = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read the shard folder's marker ({type(exc).__name__}): run analyze-corpus again") from None
    if not isinstance(marker, dict) or marker.get("schema") != FOLDER_SCHEMA:
        raise InputError(f"{path}: not a marker of {FOLDER_SCHEMA} (this readout reads that version): run analyze-corpus again")
    return marker


def shard_folder(paths: Sequence[str]) -> Path | None:
    """The shard folder among ``paths`` (a folder with ``readout-shards.json``), or None; a shard
    folder given beside other inputs is an error."""
    found = [Path(p) for p in paths if p != "-" and inputs.has_shard_marker(Path(p))]
    if not found:
        return None
    if len(paths) > 1:
        raise InputError(f"{found[0]}: a folder of analyze-corpus shards is ingested on its own: give it alone to ingest")
    return found[0]


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _write_marker(folder: Path, marker: dict[str, Any]) -> None:
    _write_atomic(folder / MARKER, (json.dumps(marker, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))


def _clear_leftovers(folder: Path) -> None:
    """Remove the temporary files of runs that died while writing (their process is gone)."""
    for tmp in folder.glob(f".*{SUFFIX}.*.tmp"):
        pid = tmp.name.rsplit(".", 2)[-2]
        try:
            os.kill(int(pid), 0)
            continue  # a run writing now
        except (ValueError, ProcessLookupError):
            pass
        except OSError:
            continue
        tmp.unlink(missing_ok=True)


# ------------------------------------------------------------------ one shard
def shard_name(index: int, batch: Sequence[Input], analyzer: dict[str, Any]) -> str:
    """``NNNNNN-DIGEST.parquet``: the batch's place, and a hash of its inputs and the analyzer."""
    h = hashlib.sha256(json.dumps(analyzer, sort_keys=True).encode("utf-8"))
    for source, item in batch:
        h.update(b"\x1e" + source.encode("utf-8", "surrogatepass") + b"\x1f")
        if isinstance(item, WorkerError):
            h.update(f"error\x1f{item.code}\x1f{item.message}".encode("utf-8", "surrogatepass"))
        else:
            h.update(codec.encode_document(item).encode("utf-8", "surrogatepass"))
    return f"{index:06d}-{h.hexdigest()[:16]}{SUFFIX}"


def _row(seq: int, source: str, item: Document | WorkerError, outcome: pipeline.Outcome | None) -> dict[str, Any]:
    if outcome is None:
        assert isinstance(item, WorkerError)
        return {"seq": seq, "source": source, "document_id": None, "status": "failed", "code": item.code,
                "reason": item.message, "outcome": None}
    o = codec.portable(outcome)
    if o.not_relevant is not None:
        status, code, reason = "not_relevant", "not_relevant", o.not_relevant
    elif o.error is not None:
        err = codec.error_of(o.error)
        status, code, reason = "failed", err.code, err.message
    else:
        status, code, reason = "analyzed", None, None
    return {"seq": seq, "source": source, "document_id": o.document.id, "status": status, "code": code, "reason": reason,
            "outcome": codec.encode(o)}


def build_shard(job: tuple[str, list[Input]], analyzer: dict[str, Any], model: str | None, registry_files: tuple[str, ...],
                batch_size: int) -> tuple[str, bytes, list[dict[str, Any]]]:
    """What a worker runs: one batch analyzed (the gate first) into a shard's bytes. Returns the
    shard's name, its bytes and, per input, its status, code and reason (for the summary)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    name, batch = job
    tasks = [(item, True) for _, item in batch if isinstance(item, Document)]
    outcomes = iter(pipeline.analyze_gated(tasks, model=model, registry_files=registry_files, batch_size=batch_size,
                                           gate=bool(analyzer["gate"])))
    rows = [_row(i, source, item, next(outcomes) if isinstance(item, Document) else None) for i, (source, item) in enumerate(batch)]
    schema = pa.schema([("seq", pa.int32()), ("source", pa.string()), ("document_id", pa.string()), ("status", pa.string()),
                        ("code", pa.string()), ("reason", pa.string()), ("outcome", pa.large_string())],
                       metadata={META_KEY: json.dumps({"schema": SHARD_SCHEMA, "analyzer": analyzer, "name": name,
                                                       "rows": len(rows)}).encode("utf-8")})
    table = pa.Table.from_pylist(rows, schema=schema)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return name, sink.getvalue().to_pybytes(), [{k: r[k] for k in ("source", "status", "code", "reason")} for r in rows]


@dataclass(frozen=True, slots=True)
class ShardRow:
    """One input as a shard keeps it: the document (or the error that stopped it being read) and
    what its analysis gave."""

    source: str
    item: Document | WorkerError
    outcome: pipeline.Outcome | None  # None: it could not be read


def read_shard(path: Path) -> Iterator[ShardRow]:
    """The rows of one shard, in order, read a row group at a time."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as exc:
        raise InputError(f"{path}: not a readable shard ({' '.join(str(exc).split())}): run analyze-corpus again to remake it") from None
    meta = json.loads((pf.schema_arrow.metadata or {}).get(META_KEY, b"{}"))
    if meta.get("schema") != SHARD_SCHEMA:
        raise InputError(f"{path}: not a {SHARD_SCHEMA} shard: run analyze-corpus again to remake it")
    for batch in pf.iter_batches(columns=["source", "code", "reason", "outcome"]):
        for r in batch.to_pylist():
            if r["outcome"] is None:
                yield ShardRow(r["source"], WorkerError(r["code"] or "bad_input", r["reason"] or ""), None)
            else:
                o = codec.decode(r["outcome"])
                yield ShardRow(r["source"], o.document, o)


def check_folder(folder: Path, marker: dict[str, Any]) -> None:
    """An error unless analyze-corpus finished the folder and every shard it lists is there."""
    if not marker.get("complete"):
        raise InputError(f"{folder}: analyze-corpus has not finished it (shards are missing): run the same analyze-corpus "
                         "command again to finish, then ingest the folder")
    for name in marker.get("shards", []):
        if not (folder / name).is_file():
            raise InputError(f"{folder / name}: a shard of this folder is missing: run the same analyze-corpus command "
                             "again to remake it")


def read_folder(folder: Path, marker: dict[str, Any]) -> Iterator[ShardRow]:
    """Every row of a complete shard folder, shard by shard in input order."""
    check_folder(folder, marker)
    for name in marker.get("shards", []):
        yield from read_shard(folder / name)


# ------------------------------------------------------------------ the run
def analyze_corpus(
    paths: Sequence[str],
    *,
    to: str | os.PathLike[str],
    published: str | None = None,
    outlet: str | None = None,
    model: str | None = None,
    registry_files: Sequence[str | os.PathLike[str]] = (),
    check_language: bool = True,
    max_bytes: int | str | None = None,
    text_column: str = "text",
    gate: bool = True,
    workers: int = 1,
    scheduler: str | None = None,
    shard_size: int = DEFAULT_SHARD_SIZE,
    batch_size: int = 16,
    progress: Callable[[str], None] | None = None,
) -> CorpusSummary:
    """Analyze the documents in ``paths`` (the inputs ``ingest`` reads) into Parquet shards in
    the folder ``to``, one per ``shard_size`` inputs; shards already there are kept, so running
    the same command again after a crash finishes the job. ``workers`` > 1 analyzes in that many
    processes, ``scheduler`` (tcp://HOST:PORT) on a Dask cluster; ``gate`` as for ``ingest``.
    Documents set aside by the gate and inputs that failed are rows of the shards too, with the
    reason. ``progress`` is called with each input's source as its shard is done."""
    if not paths:
        raise InputError("no input given: name files or folders to analyze, or - for standard input")
    if shard_size < 1:
        raise OptionError("--shard-size must be at least 1")
    started = datetime.now(UTC)
    folder = Path(to)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: is a file: give a folder (new or empty, or one analyze-corpus wrote) to --to")
    if folder.is_dir() and read_marker(folder) is None and any(folder.iterdir()):
        raise InputError(f"{folder}: holds other files: give a new or empty folder, or one analyze-corpus wrote, to --to")
    if shard_folder(paths) is not None:
        raise InputError("a folder of shards is not an input to analyze: ingest it (readout ingest DIR)")
    opts = inputs.Options(published=reader.normalize_published(published), outlet=outlet, check_language=check_language,
                          max_bytes=reader.parse_size(max_bytes), text_column=text_column)
    files = tuple(str(p) for p in registry_files)
    client = None
    if scheduler:
        from .cluster import connect

        client = connect(scheduler)  # first: an unreachable cluster is one clear error, at once, before anything is written
    try:
        registry = get_registry(files)
        model_desc = nlp_mod.describe(model)  # loads it: a missing model is one clear error before anything is written
    except BaseException:
        if client is not None:
            client.close()
        raise
    analyzer = {"readout_version": __version__, "model": model_desc, "registry": registry.fingerprint, "gate": gate}
    summary = CorpusSummary(to=str(folder), gate=gate)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _clear_leftovers(folder)
        _write_marker(folder, {"schema": FOLDER_SCHEMA, "analyzer": analyzer, "shard_size": shard_size, "complete": False})
        names: list[str] = []

        def jobs() -> Iterator[tuple[str, list[Input]]]:
            items = ((s, codec.error_of(i) if isinstance(i, ReadoutError) else i)
                     for s, i in inputs.read_inputs(paths, opts, summary.skipped))
            for index, batch in enumerate(batched(items, shard_size)):
                name = shard_name(index, batch, analyzer)
                names.append(name)
                if (folder / name).is_file():
                    summary.present += 1
                    if progress:
                        for source, _ in batch:
                            progress(source)
                    continue
                yield name, batch

        task = partial(build_shard, analyzer=analyzer, model=model, registry_files=files, batch_size=batch_size)
        results: Iterable[tuple[str, bytes, list[dict[str, Any]]] | None]
        if client is not None:
            from .cluster import map_on_cluster, start

            def lost(job: tuple[str, list[Input]], reason: str) -> None:
                summary.lost += len(job[1])
                summary.failures.append({"source": job[0], "code": "cluster_error", "reason": reason})

            start(client, model, files)
            results = map_on_cluster(client, build_shard, jobs(), analyzer, model, files, batch_size, on_error=lost)
        elif workers > 1:
            from .workers import map_in_processes

            results = map_in_processes(task, jobs(), workers=workers, model=model, registry_files=files, batch_size=batch_size,
                                       gate=gate)
        else:
            results = map(task, jobs())
        for result in results:
            if result is None:
                continue
            name, data, rows = result
            _write_atomic(folder / name, data)
            summary.written.append(name)
            for r in rows:
                if r["status"] == "analyzed":
                    summary.analyzed += 1
                elif r["status"] == "not_relevant":
                    summary.not_relevant += 1
                else:
                    summary.failed += 1
                    summary.failures.append({"source": r["source"], "code": r["code"], "reason": r["reason"]})
                if progress:
                    progress(r["source"])
        summary.shards = len(names)
        summary.stale = sorted(p.name for p in folder.glob(f"*{SUFFIX}") if p.name not in set(names))
        if summary.complete:
            _write_marker(folder, {"schema": FOLDER_SCHEMA, "analyzer": analyzer, "shard_size": shard_size, "complete": True,
                                   "shards": names, "finished": datetime.now(UTC).isoformat(timespec="seconds")})
    finally:
        if client is not None:
            client.close()
        summary.seconds = (datetime.now(UTC) - started).total_seconds()
    return summary
