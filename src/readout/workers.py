"""Analysis in several processes: ``analyze_outcomes`` with the parse and extractors spread over
``workers`` processes, the results coming back in input order to the one caller that writes.

Each worker process loads the model and the registry once (the pool's initializer) and then
analyzes batches of documents: documents go in, ``Outcome``s (analyses: plain records) come back;
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
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor

from . import nlp as nlp_mod
from . import pipeline
from .records import Document
from .registry import get_registry


class WorkerError(Exception):
    """An error raised in a worker, carried back as its code and message (the original class
    may not survive pickling)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


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


def picklable(o: pipeline.Outcome) -> pipeline.Outcome:
    """The outcome with its error (if any) as a ``WorkerError``, which crosses processes."""
    if o.error is None:
        return o
    code = getattr(o.error, "code", "extractor_error")
    message = getattr(o.error, "message", None) or f"{type(o.error).__name__}: {o.error} (a bug in readout: please report it)"
    return pipeline.Outcome(o.document, None, WorkerError(str(code), str(message)))


def _run(batch: list[Document]) -> list[pipeline.Outcome]:
    return [picklable(o) for o in pipeline.analyze_outcomes(
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


def analyze_outcomes_in_processes(
    documents: Iterable[Document],
    *,
    workers: int,
    model: str | None = None,
    registry_files: Sequence[str | os.PathLike[str]] = (),
    batch_size: int = 16,
    gate: bool = False,
) -> Iterator[pipeline.Outcome]:
    """``pipeline.analyze_outcomes`` in ``workers`` processes; outcomes in input order."""
    files = tuple(str(p) for p in registry_files)
    size = max(1, min(batch_size, 8))  # small batches keep every worker busy to the end
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=_init,
                             initargs=(os.getpid(), model, files, batch_size, gate)) as pool:
        pending: deque[Future[list[pipeline.Outcome]]] = deque()
        batch: list[Document] = []
        for document in documents:
            batch.append(document)
            if len(batch) >= size:
                pending.append(pool.submit(_run, batch))
                batch = []
                while len(pending) >= 2 * workers:
                    yield from pending.popleft().result()
        if batch:
            pending.append(pool.submit(_run, batch))
        while pending:
            yield from pending.popleft().result()
