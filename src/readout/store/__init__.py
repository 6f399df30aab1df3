"""The tracker: an embedded SQLite store of documents and their records, with engagements
merged across documents and channel timelines, and the queries and exports over it.

``ingest`` adds documents; ``open_store`` opens the database; the query functions live in
``readout.store.queries`` and ``readout.store.compare``, the exports in
``readout.store.export``.
"""

from __future__ import annotations

from .db import Store, db_path, open_store
from .ingest import IngestSummary, ingest

__all__ = ["IngestSummary", "Store", "db_path", "ingest", "open_store"]
