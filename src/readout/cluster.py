"""Analysis on a Dask distributed cluster: ``analyze_outcomes`` with batches of documents sent to
the workers of an existing cluster (``readout ingest ... --scheduler tcp://HOST:PORT`` or
``READOUT_SCHEDULER``), the results streamed back, in input order, to the one writer.

- A worker plugin (``ReadoutPlugin``) loads the model and the registry once per worker, when
  the worker joins; tasks then find them loaded.
- Documents go out in batches (``batch_docs`` each) and at most ``2 x workers`` batches are out
  at a time, so neither the writer nor the scheduler holds the whole input.
- A batch whose worker dies is run again by the scheduler (Dask reschedules the tasks of a
  lost worker); a batch that fails ``retries`` + 1 times, or is lost more often than the
  cluster allows, comes back as a failure of each of its documents (code ``cluster_error``),
  which the writer records like any failure, and the run goes on.
- Only documents (plain records) travel to the workers and only analyses come back: parsed
  documents never leave the worker.

Needs the ``dask`` extra (``pip install 'readout[dask]'``).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from . import nlp as nlp_mod
from . import pipeline
from .errors import InputError
from .records import Document
from .registry import get_registry
from .workers import WorkerError, picklable

ENV_SCHEDULER = "READOUT_SCHEDULER"


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise InputError("--scheduler needs Dask: pip install 'readout[dask]' (dask[distributed])") from None
    return distributed


def _plugin_class() -> type:
    distributed = _distributed()

    class ReadoutPlugin(distributed.WorkerPlugin):  # type: ignore[name-defined]
        """Loads the model and the registry once, when a worker starts."""

        name = "readout"

        def __init__(self, model: str | None, registry_files: tuple[str, ...]) -> None:
            self.model = model
            self.registry_files = registry_files

        def setup(self, worker: Any) -> None:
            nlp_mod.load(self.model)
            get_registry(self.registry_files)

    return ReadoutPlugin


def analyze_batch(batch: list[Document], model: str | None, registry_files: tuple[str, ...], batch_size: int,
                  gate: bool) -> list[pipeline.Outcome]:
    """What a worker runs: one batch's outcomes, errors as ``WorkerError`` (they pickle)."""
    outcomes = pipeline.analyze_outcomes(batch, model=model, registry_files=registry_files, batch_size=batch_size, gate=gate)
    return [picklable(o) for o in outcomes]


def connect(scheduler: str, timeout: float = 10) -> Any:
    """A client of the cluster at ``scheduler`` (tcp://HOST:PORT), or a one-line error."""
    distributed = _distributed()
    try:
        return distributed.Client(scheduler, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        raise InputError(f"cannot reach the Dask scheduler at {scheduler} ({exc}): start one (dask scheduler) "
                         f"or give its address with --scheduler / {ENV_SCHEDULER}") from None


def analyze_outcomes_on_cluster(
    documents: Iterable[Document],
    *,
    scheduler: str,
    model: str | None = None,
    registry_files: Sequence[str | os.PathLike[str]] = (),
    batch_size: int = 16,
    gate: bool = False,
    batch_docs: int = 8,
    retries: int = 2,
) -> Iterator[pipeline.Outcome]:
    """``pipeline.analyze_outcomes`` on the workers of the Dask cluster at ``scheduler``;
    outcomes in input order, a batch that cannot be analyzed as failures of its documents."""
    files = tuple(str(p) for p in registry_files)
    client = connect(scheduler)
    try:
        client.register_plugin(_plugin_class()(model, files), name="readout")
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        pending: deque[tuple[Any, list[Document]]] = deque()

        def collect() -> Iterator[pipeline.Outcome]:
            future, batch = pending.popleft()
            try:
                results = future.result()
            except Exception as exc:  # lost too often, or failed every retry
                reason = f"the cluster could not analyze this document's batch: {type(exc).__name__}: {exc}"
                for d in batch:
                    yield pipeline.Outcome(d, None, WorkerError("cluster_error", " ".join(reason.split())))
                return
            finally:
                future.release()
            yield from results

        batch: list[Document] = []
        for document in documents:
            batch.append(document)
            if len(batch) >= batch_docs:
                pending.append((client.submit(analyze_batch, batch, model, files, batch_size, gate, pure=False, retries=retries), batch))
                batch = []
                while len(pending) >= 2 * n_workers:
                    yield from collect()
        if batch:
            pending.append((client.submit(analyze_batch, batch, model, files, batch_size, gate, pure=False, retries=retries), batch))
        while pending:
            yield from collect()
    finally:
        client.close()
