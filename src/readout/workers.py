"""Analysis in several processes: ``analyze_outcomes`` with the parse and extractors spread over
``workers`` processes, the results coming back in input order to the one caller that writes.

Each worker process loads the model and the registry once (the pool's initializer) and then
analyzes batches of documents: documents go in, the gate runs there, and ``Outcome``s (analyses:
plain records, or the gate's reason) come back;
parsed documents never cross a process boundary. The caller's thread does all the reading of
inputs and hands out at most two batches per worker at a time, so memory stays bounded and the
input iterator (which may read the store) is only ever advanced by the caller's thread.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

from . import nlp as nlp_mod
from . import pipeline
from .codec import WorkerError, portable
from .records import Document
from .pipeline import batched
from .registry import get_registry

__all__ = ["WorkerError", "analyze_outcomes_in_processes", "batched", "map_in_processes", "portable"]

B = TypeVar("B")
R = TypeVar("R")
T = TypeVar("T")


_SETTINGS: dict[str, object] = {}


def _die_with_parent(parent: int) -> None:
    """On Linux, a worker whose writer is killed (even by SIGKILL) is killed too, rather than
    left analyzing for nobody."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it died before the line above
        os._exit(1)


def _init(parent: int, model: str | None, registry_files: tuple[str, ...], batch_size: int, gate: bool) -> None:
    _die_with_parent(parent)
    _SETTINGS.update(model=model, registry_files=registry_files, batch_size=batch_size, gate=gate)
    nlp_mod.load(model)  # once per process (a forked worker finds it loaded already)
    get_registry(registry_files)


def _run(batch: list[tuple[Document, bool]]) -> list[pipeline.Outcome]:
    return [portable(o) for o in pipeline.analyze_gated(
        batch,
        model=_SETTINGS["model"],  # type: ignore[arg-type]
        registry_files=_SETTINGS["registry_files"],  # type: ignore[arg-type]
        batch_size=_SETTINGS["batch_size"],  # type: ignore[arg-type]
        gate=bool(_SETTINGS["gate"]),
    )]


def _context() -> multiprocessing.context.BaseContext:
    # fork shares the loaded model's memory and starts at once; elsewhere, spawn
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods and os.name == "posix" else "spawn")


def map_in_processes(
    task: Callable[[B], R],
    batches: Iterable[B],
    *,
    workers: int,
    model: str | None = None,
    registry_files: Sequence[str | os.PathLike[str]] = (),
    batch_size: int = 16,
    gate: bool = False,
) -> Iterator[R]:
    """``task(batch)`` for each batch in ``workers`` processes (each with the model and registry
    loaded once); results in input order, at most two batches
    per worker out at a time. ``task`` must be a module-level function (it is pickled by name)."""
    files = tuple(str(p) for p in registry_files)
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=_init,
                             initargs=(os.getpid(), model, files, batch_size, gate)) as pool:
        pending: deque[Future[R]] = deque()
        for batch in batches:
            pending.append(pool.submit(task, batch))
            while len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()



def analyze_outcomes_in_processes(
    tasks: Iterable[tuple[Document, bool]],
    *,
    workers: int,
    model: str | None = None,
    registry_files: Sequence[str | os.PathLike[str]] = (),
    batch_size: int = 16,
    gate: bool = False,
) -> Iterator[pipeline.Outcome]:
    """``pipeline.analyze_gated`` in ``workers`` processes; outcomes in input order."""
    size = max(1, min(batch_size, 8))  # small batches keep every worker busy to the end
    for outcomes in map_in_processes(_run, batched(tasks, size), workers=workers, model=model, registry_files=registry_files,
                                     batch_size=batch_size, gate=gate):
        yield from outcomes
