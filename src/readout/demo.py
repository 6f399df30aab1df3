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
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from . import ingest, pipeline
from .errors import FileMissingError, MalformedRecordError
from .records import Analysis, Document

INDEX = "index.yaml"
_FILE_KEYS = ("file", "path")


@dataclass(frozen=True, slots=True)
class CorpusEntry:
    """One document of a corpus index: its file and metadata."""

    path: Path
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    url: str | None = None


def corpus_dir() -> Path:
    """The folder of the sample corpus that ships in the package."""
    return Path(str(resources.files("readout") / "corpus"))


def _entries_of(data: Any) -> list[Any]:
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and isinstance(data.get("documents"), list):
        return list(data["documents"])
    return []


def read_index(directory: str | os.PathLike[str] | None = None) -> list[CorpusEntry]:
    """The entries of ``directory/index.yaml`` (default: the bundled corpus), in order."""
    folder = Path(directory) if directory is not None else corpus_dir()
    index = folder / INDEX
    if not index.is_file():
        hint = "pass --corpus DIR with an index.yaml" if directory is not None else "reinstall readout (pip install -e .)"
        raise FileMissingError(f"{index}: the corpus index is missing: {hint}")
    try:
        data = yaml.safe_load(index.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{index}:{mark.line + 1}" if mark else str(index)
        raise MalformedRecordError(f"{where}: invalid YAML in the corpus index: fix the file") from None
    raw = _entries_of(data)
    if not raw:
        raise MalformedRecordError(f"{index}: no documents listed: give a list of entries with 'file', 'title', 'outlet', 'published'")
    entries = []
    for n, item in enumerate(raw, 1):
        name = next((item.get(k) for k in _FILE_KEYS if isinstance(item, dict) and item.get(k)), None)
        if not isinstance(name, str):
            raise MalformedRecordError(f"{index}: entry {n} names no file: give each entry a 'file' key")

        def text(key: str, item: dict[str, Any] = item) -> str | None:
            value = item.get(key)
            return None if value is None else str(value)

        entries.append(
            CorpusEntry(folder / name, title=text("title"), outlet=text("outlet"), published=text("published"), url=text("url"))
        )
    return entries


def load_corpus(directory: str | os.PathLike[str] | None = None, *, check_language: bool = True) -> list[Document]:
    """Read every document listed in the corpus index into ``Document``s."""
    return [
        ingest.read_document(
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
    ``./readout-demo.db``, replaced if it exists), then build the channel board of every dyad
    with channels and compare the two sides' accounts of the engagement that both sides
    reported in the most documents."""
    from .store import compare as compare_mod
    from .store import ingest as ingest_documents
    from .store import open_store, queries

    path = Path(db or DEMO_DB)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    folder = Path(corpus) if corpus is not None else corpus_dir()
    summary = ingest_documents([str(folder)], db=path, model=model, registry_files=registry_files, progress=progress)
    with open_store(path) as store:
        dyads = [r["dyad"] for r in store.rows("SELECT DISTINCT dyad FROM channels WHERE dyad IS NOT NULL ORDER BY dyad")]
        boards = {d: queries.channel_board(store, d) for d in dyads}
        pick = store.rows(
            """SELECT id FROM engagements
               WHERE sides LIKE '%' || country_a || '%' AND sides LIKE '%' || country_b || '%'
               ORDER BY sources DESC, date_start DESC, id LIMIT 1"""
        )
        comparison = compare_mod.compare(store, pick[0]["id"]) if pick else None
    return TrackerDemo(summary, boards, comparison)
