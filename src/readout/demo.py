"""The demo: read the sample corpus that ships in the package and analyze it in one batch.

The corpus lives in ``readout/corpus/``; its ``index.yaml`` lists the documents, each with the
file name and the metadata a reader needs (``title``, ``outlet``, ``published``, ``url``)::

    documents:
      - file: 2024-03-call.txt
        title: Defense chiefs hold first call in a year
        outlet: The Example Times
        published: "2024-03-07"
        url: https://example.org/news/call

(a plain list of such entries works too; other keys, such as expected records, are ignored).

>>> analyses = run_demo()  # doctest: +SKIP
>>> [len(a.engagements) for a in analyses]  # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


from . import pipeline, readers
from .readers import INDEX, CorpusEntry, corpus_dir, read_index
from .records import Analysis, Document

__all__ = ["INDEX", "CorpusEntry", "corpus_dir", "read_index", "load_corpus", "run_demo"]

def load_corpus(directory: str | os.PathLike[str] | None = None, *, check_language: bool = True) -> list[Document]:
    """Read every document listed in the corpus index into ``Document``s."""
    return [
        readers.read_document(
            str(e.path), published=e.published, outlet=e.outlet, url=e.url, title=e.title, check_language=check_language
        )
        for e in read_index(directory)
    ]


def run_demo(
    corpus: str | os.PathLike[str] | None = None,
    *,
    model: str | None = None,
    registry_files: Sequence[str | os.PathLike[str]] = (),
) -> list[Analysis]:
    """Analyze every document of the sample corpus (or of ``corpus``, a folder with an
    ``index.yaml``) in one batch and return the analyses in index order."""
    documents = load_corpus(corpus)
    return list(pipeline.analyze_documents(documents, model=model, registry_files=registry_files))


DEMO_DB = "readout-demo.db"
DEMO_COMMAND = "readout demo"


def is_demo_database(path: Path) -> bool:
    """Whether ``path`` is a readout database that only ``readout demo`` ever wrote (every run
    in its log is the demo's). Reads only."""
    import sqlite3
    import urllib.parse

    try:
        conn = sqlite3.connect("file:" + urllib.parse.quote(str(path.resolve())) + "?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        commands = [r[0] for r in conn.execute("SELECT command FROM runs")]
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()
    return bool(commands) and all(c.startswith(DEMO_COMMAND) for c in commands)


def prepare_demo_database(path: Path) -> None:
    """Make room for a fresh demo database at ``path``: remove the demo's own earlier one;
    refuse (``StoreError``) to touch anything else - a tracker, a plain file, a folder."""
    from .errors import StoreError

    if path.is_dir():
        raise StoreError(f"{path}: is a folder: give the demo database a file name, e.g. --db {path / DEMO_DB}")
    if path.exists() and not is_demo_database(path):
        raise StoreError(
            f"{path}: exists and is not readout's demo database: the demo makes its database afresh and will not replace "
            "anything else; give another --db, or move the file away"
        )
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


@dataclass
class TrackerDemo:
    """What ``make demo`` shows: the ingest, a channel board per dyad, one comparison."""

    summary: Any  # store.IngestSummary
    boards: dict[str, list[dict[str, Any]]]
    comparison: Any | None  # store.compare.Comparison


def run_tracker_demo(
    corpus: str | os.PathLike[str] | None = None,
    *,
    db: str | os.PathLike[str] | None = None,
    model: str | None = None,
    registry_files: Sequence[str | os.PathLike[str]] = (),
    progress: Any = None,
) -> TrackerDemo:
    """Ingest the sample corpus (or ``corpus``) into a fresh database (``db``, default
    ``./readout-demo.db``; an earlier demo database there is replaced, anything else is left
    alone with an error), then build the channel board of every dyad with channels and
    compare the two sides' accounts of the engagement that both sides reported in the most
    documents. ``progress``: a ``report.IngestProgress`` (or None)."""
    from .store import compare as compare_mod
    from .store import ingest as ingest_documents
    from .store import open_store, queries

    path = Path(db or DEMO_DB)
    prepare_demo_database(path)
    folder = Path(corpus) if corpus is not None else corpus_dir()
    summary = ingest_documents(
        [str(folder)], db=path, model=model, registry_files=registry_files,
        progress=getattr(progress, "document", progress), chunk_progress=getattr(progress, "chunk", None),
        command=f"{DEMO_COMMAND} --db {path}",
    )
    with open_store(path, read_only=True) as store:
        dyads = [r["dyad"] for r in store.rows("SELECT DISTINCT dyad FROM channels WHERE dyad IS NOT NULL ORDER BY dyad")]
        boards = {d: queries.channel_board(store, d) for d in dyads}
        pick = store.rows(
            """SELECT id FROM engagements
               WHERE sides LIKE '%' || country_a || '%' AND sides LIKE '%' || country_b || '%'
               ORDER BY sources DESC, date_start DESC, id LIMIT 1"""
        )
        comparison = compare_mod.compare(store, pick[0]["id"]) if pick else None
    return TrackerDemo(summary, boards, comparison)
