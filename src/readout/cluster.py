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
import socket
import typing
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar
from urllib.parse import urlsplit

from . import nlp as nlp_mod
from . import pipeline
from .errors import InputError
from .records import Document
from .registry import get_registry
from .codec import WorkerError, portable
from .workers import batched

B = TypeVar("B")
R = TypeVar("R")

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


def analyze_batch(batch: list[tuple[Document, bool]], model: str | None, registry_files: tuple[str, ...], batch_size: int,
                  gate: bool) -> list[pipeline.Outcome]:
    """What a worker runs: one batch's outcomes (the gate first), errors as ``WorkerError``."""
    outcomes = pipeline.analyze_gated(batch, model=model, registry_files=registry_files, batch_size=batch_size, gate=gate)
    return [portable(o) for o in outcomes]


def _reachable(scheduler: str, timeout: float) -> None:
    """Fail at once when nothing listens at a tcp:// address (distributed would retry until its
    timeout), with what to do."""
    parts = urlsplit(scheduler if "://" in scheduler else f"tcp://{scheduler}")
    if parts.scheme not in ("tcp", "tls") or not parts.hostname:
        return
    try:
        port = parts.port or 8786
    except ValueError:
        raise InputError(f"{scheduler}: not a scheduler address: give tcp://HOST:PORT to --scheduler / {ENV_SCHEDULER}") from None
    try:
        socket.create_connection((parts.hostname, port), timeout=timeout).close()
    except OSError as exc:
        raise InputError(f"cannot reach the Dask scheduler at {scheduler} ({exc.strerror or exc}): start one (dask scheduler) "
                         f"or give its address with --scheduler / {ENV_SCHEDULER}") from None


def connect(scheduler: str, timeout: float = 10) -> Any:
    """A client of the cluster at ``scheduler`` (tcp://HOST:PORT), or a one-line error (at once
    when nothing listens there)."""
    distributed = _distributed()
    _reachable(scheduler, min(timeout, 5))
    try:
        return distributed.Client(scheduler, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        raise InputError(f"cannot reach the Dask scheduler at {scheduler} ({exc}): start one (dask scheduler) "
                         f"or give its address with --scheduler / {ENV_SCHEDULER}") from None


def map_on_cluster(
    client: Any,
    task: Callable[..., R],
    batches: Iterable[B],
    *args: Any,
    on_error: Callable[[B, str], R],
    retries: int = 2,
) -> Iterator[R]:
    """``task(batch, *args)`` for each batch on the workers of ``client``'s cluster; results in
    input order, at most two batches per worker out at a time. A batch lost too often or failed
    on every retry gives ``on_error(batch, reason)``, and the rest go on."""
    n_workers = max(1, len(client.scheduler_info().get("workers", {})))
    pending: deque[tuple[Any, B]] = deque()

    def collect() -> R:
        future, batch = pending.popleft()
        try:
            return typing.cast(R, future.result())
        except Exception as exc:  # lost too often, or failed every retry
            return on_error(batch, " ".join(f"the cluster could not analyze this batch: {type(exc).__name__}: {exc}".split()))
        finally:
            future.release()

    for batch in batches:
        pending.append((client.submit(task, batch, *args, pure=False, retries=retries), batch))
        while len(pending) >= 2 * n_workers:
            yield collect()
    while pending:
        yield collect()


def start(client: Any, model: str | None, registry_files: Sequence[str | os.PathLike[str]]) -> None:
    """Have every worker of the cluster (and each that joins later) load the model and registry."""
    client.register_plugin(_plugin_class()(model, tuple(str(p) for p in registry_files)), name="readout")


def analyze_outcomes_on_cluster(
    tasks: Iterable[tuple[Document, bool]],
    *,
    scheduler: str | None = None,
    client: Any = None,
    model: str | None = None,
    registry_files: Sequence[str | os.PathLike[str]] = (),
    batch_size: int = 16,
    gate: bool = False,
    batch_docs: int = 8,
    retries: int = 2,
) -> Iterator[pipeline.Outcome]:
    """``pipeline.analyze_gated`` on the workers of the Dask cluster of ``client`` (or at
    ``scheduler``); outcomes in input order, a batch that cannot be analyzed as failures of its
    documents. A client given is left open; one made here is closed."""
    files = tuple(str(p) for p in registry_files)
    own = client is None
    if client is None:
        if not scheduler:
            raise InputError(f"no Dask scheduler given: pass --scheduler tcp://HOST:PORT or set {ENV_SCHEDULER}")
        client = connect(scheduler)

    def failed(batch: list[tuple[Document, bool]], reason: str) -> list[pipeline.Outcome]:
        return [pipeline.Outcome(d, None, WorkerError("cluster_error", reason.replace("this batch", "this document's batch")))
                for d, _ in batch]

    try:
        start(client, model, files)
        for outcomes in map_on_cluster(client, analyze_batch, batched(tasks, batch_docs), model, files, batch_size, gate,
                                       on_error=failed, retries=retries):
            yield from outcomes
    finally:
        if own:
            client.close()
