"""Questions the web pages and the HTTP API ask of the store beyond the CLI's: one function per
page or endpoint, each returning plain rows (dicts) or a small dataclass with ``to_dict`` and
``to_rows``, built from the same queries the CLI uses.

- ``overview(store)``: every dyad with its counts and its cooperation-conflict index by month;
- ``dyad_board(store, dyad, as_of)``: the channel board of a dyad as of a date, every channel's
  timeline and the dyad's engagements (the board page);
- ``documents(store, ...)``: documents, filtered and paged, with the number of records of each;
- ``document(store, id)``: one document with its text and every record found in it, each with
  its kind and the offsets of its evidence;
- ``search(store, text, ...)``: full-text search over statements and documents;
- ``actor(store, id)``: a person's or organisation's engagements and statements.

Every value from the caller reaches SQL as a bound parameter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import NotFoundError, OptionError
from . import dyads as dyads_mod
from . import queries
from .db import Store, loads

SNIPPET_OPEN, SNIPPET_CLOSE = "\x02", "\x03"  # FTS5 snippet markers, turned into offsets
SNIPPET_WORDS = 24
RECORD_KINDS = ("engagement", "channel_status", "statement", "event")


# ------------------------------------------------------------------ home: dyads with their index
def overview(store: Store, by: str = "month") -> list[dict[str, Any]]:
    """``dyads.dyads`` rows, each with ``series``: its index per period (``by``), every period
    from its first to its last, empty ones with ``n`` 0 and ``mean`` None."""
    rows = dyads_mod.dyads(store)
    for r in rows:
        series = dyads_mod.dyad_index(store, r["dyad"], by=by, fill=True) if r["n"] or r["first"] else []
        r["series"] = [{"period": p["period"], "n": p["n"], "mean": p["mean"]} for p in series]
    return rows


# ------------------------------------------------------------------ the board page
@dataclass
class DyadBoard:
    """A dyad's board as of a day, its channels' timelines and its engagements."""

    dyad: str
    as_of: str
    board: list[dict[str, Any]]
    timelines: list[dict[str, Any]] = field(default_factory=list)
    engagements: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"dyad": self.dyad, "as_of": self.as_of, "board": self.board, "timelines": self.timelines,
                "engagements": self.engagements}


def dyad_board(store: Store, dyad: str, as_of: str | None = None) -> DyadBoard:
    """``queries.channel_board`` of ``dyad`` as of ``as_of`` (default today), the timeline of
    every channel on it that has records (``queries.timeline``), and the dyad's engagements."""
    key = queries.normalize_dyad(dyad)
    board = queries.channel_board(store, key, as_of)
    day = board[0]["as_of"] if board else queries._day(as_of, "--as-of") or ""
    timelines = [queries.timeline(store, r["channel"]).to_dict() for r in board if r["state"] != "no_record"]
    return DyadBoard(key, day, board, timelines, queries.engagements(store, dyad=key))


# ------------------------------------------------------------------ documents
def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def documents(
    store: Store,
    *,
    outlet: str | None = None,
    side: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Documents, oldest first (without their text), each with its number of engagement
    reports, channel assertions, statements and events."""
    where, params = [], []
    if outlet:
        where.append("d.outlet LIKE ? ESCAPE '\\'")
        params.append(_like(outlet))
    if side:
        where.append("d.side = ?")
        params.append(side.upper())
    lo = queries.date_bound(since, "--since", low=True)
    hi = queries.date_bound(until, "--until", low=False)
    if lo:
        where.append("d.published >= ?")
        params.append(lo)
    if hi:
        where.append("d.published <= ?")
        params.append(hi)
    sql = """SELECT d.id, d.title, d.outlet, d.side, d.published, d.url, d.chars,
                    (SELECT count(*) FROM engagement_sources x WHERE x.document_id = d.id) AS engagements,
                    (SELECT count(*) FROM channel_assertions x WHERE x.document_id = d.id) AS channel_status,
                    (SELECT count(*) FROM statements x WHERE x.document_id = d.id) AS statements,
                    (SELECT count(*) FROM events x WHERE x.document_id = d.id) AS events
             FROM documents d"""
    sql += (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY d.published, d.id" + queries._page(limit, offset)
    return store.rows(sql, params)


def find_document(store: Store, document_id: str) -> dict[str, Any]:
    """The document with this id, or the only one whose id starts with it (``doc-`` may be left off)."""
    given = (document_id or "").strip()
    rows = store.rows("SELECT * FROM documents WHERE id = ?", (given,)) if given else []
    if not rows and given:
        like = given.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = store.rows("SELECT * FROM documents WHERE id LIKE ? ESCAPE '\\' OR id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 3",
                          (like, "doc-" + like))
    if not rows:
        raise NotFoundError(f"document {given!r}: no such document in the store: list documents with /api/v1/documents")
    if len(rows) > 1:
        raise OptionError(f"document {given!r}: matches several ({', '.join(r['id'] for r in rows)}): give more of the id")
    return rows[0]


def document(store: Store, document_id: str) -> dict[str, Any]:
    """One document: its fields and text, its actors, and ``records``: every engagement
    report, channel assertion, statement and event found in it, in reading order, each with
    ``kind``, ``id``, ``start``/``end`` (offsets of its evidence in ``text``), ``label`` (a few
    words saying what it is) and the fields of its kind."""
    d = find_document(store, document_id)
    doc_id = d["id"]
    records: list[dict[str, Any]] = []
    for r in store.rows(
        """SELECT s.id, s.engagement_id, s.kind AS engagement_kind, s.date, s.date_raw, s.medium, s.location, s.channel_id,
                  s.participants, s.evidence, s.start, s."end", s.rule
           FROM engagement_sources s WHERE s.document_id = ?""", (doc_id,)):
        r["participants"] = loads(r["participants"]) or []
        records.append({"kind": "engagement", "label": f"{r['engagement_kind'].replace('_', ' ')} {r['date'] or ''}".strip(), **r})
    for r in store.rows(
        """SELECT id, channel_id, status, date, date_raw, side, asserted_by, evidence, start, "end", rule
           FROM channel_assertions WHERE document_id = ?""", (doc_id,)):
        records.append({"kind": "channel_status", "label": f"{r['channel_id']}: {r['status'].replace('_', ' ')}", **r})
    for r in store.rows(
        """SELECT id, speaker_id, speaker_name, side, kind AS statement_kind, cue, content, topics, event_type, score,
                  engagement_id, start, "end", rule
           FROM statements WHERE document_id = ?""", (doc_id,)):
        r["topics"] = loads(r["topics"]) or []
        records.append({"kind": "statement", "label": f"{r['speaker_name'] or 'unattributed'} ({r['side'] or 'no side'})", **r})
    for r in store.rows(
        """SELECT id, type, mode, cameo, date, source_actor, source_name, source_country, target_actor, target_name,
                  target_country, score, evidence, start, "end", rule
           FROM events WHERE document_id = ?""", (doc_id,)):
        records.append({"kind": "event", "label": f"{r['type']} {r['source_country'] or '?'} → {r['target_country'] or '?'}", **r})
    records.sort(key=lambda r: (r["start"], -r["end"], RECORD_KINDS.index(r["kind"]), r["id"]))
    actors = store.rows(
        """SELECT a.id, a.name, a.kind, a.country, a.sector, count(*) AS mentions
           FROM mentions m JOIN actors a ON a.id = m.actor_id WHERE m.document_id = ?
           GROUP BY a.id ORDER BY count(*) DESC, a.name""", (doc_id,))
    out = {k: d[k] for k in ("id", "title", "outlet", "side", "url", "published", "source", "chars")}
    out["metadata"] = loads(d["metadata"]) or {}
    out["warnings"] = loads(d["warnings"]) or []
    out["text"] = d["text"]
    out["actors"] = actors
    out["records"] = records
    return out


# ------------------------------------------------------------------ search
@dataclass
class SearchResult:
    """Statements and documents that contain the words, best match first; each hit with a
    ``snippet`` and the ``highlights`` (offsets into the snippet) of the words found."""

    query: str
    statements: list[dict[str, Any]]
    documents: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query, "statements": self.statements, "documents": self.documents}

    def to_rows(self) -> list[dict[str, Any]]:
        return [{"hit": "statement", **r} for r in self.statements] + [{"hit": "document", **r} for r in self.documents]


def _snippet(marked: str | None) -> tuple[str, list[list[int]]]:
    """FTS5 snippet text with markers -> plain text and the [start, end] of each marked run."""
    text, spans, pos, start = [], [], 0, 0
    for part in re.split(f"([{SNIPPET_OPEN}{SNIPPET_CLOSE}])", marked or ""):
        if part == SNIPPET_OPEN:
            start = pos
        elif part == SNIPPET_CLOSE:
            spans.append([start, pos])
        else:
            text.append(part)
            pos += len(part)
    return "".join(text), spans


def search(
    store: Store,
    text: str,
    *,
    side: str | None = None,
    speaker: str | None = None,
    scope: str = "all",
    limit: int | None = 20,
    offset: int = 0,
) -> SearchResult:
    """Full-text search (SQLite FTS5, every word must occur) over statements (content and
    speaker) and documents (title and text). ``side`` keeps statements for that side and
    documents of that side's outlets; ``speaker`` (a name or id) keeps that speaker's
    statements and leaves documents out. ``scope`` is all, statements or documents. ``limit``
    and ``offset`` page through each list."""
    if scope not in ("all", "statements", "documents"):
        raise OptionError(f"--in {scope!r}: give all, statements or documents")
    phrase = queries._fts_phrase(text or "")
    page = queries._page(limit, offset)
    found: dict[str, list[dict[str, Any]]] = {"statements": [], "documents": []}
    marks = [SNIPPET_OPEN, SNIPPET_CLOSE, "…", SNIPPET_WORDS]
    if scope in ("all", "statements"):
        where, params = ["statements_fts MATCH ?"], [phrase]
        if side:
            where.append("s.side = ?")
            params.append(side.upper())
        if speaker:
            ids = queries._actor_ids(store, speaker)
            where.append(f"(s.speaker_id IN ({','.join('?' * len(ids))}) OR lower(s.speaker_name) LIKE '%' || lower(?) || '%')")
            params.extend([*ids, speaker])
        # the page is chosen first, by rank alone; snippets are made for its rows only
        rows = store.rows(
            f"""SELECT s.id, s.document_id, s.published, s.speaker_id, s.speaker_name, s.side, s.kind, s.topics,
                       s.engagement_id, s.start, s."end", d.title, d.outlet,
                       snippet(statements_fts, 0, ?, ?, ?, ?) AS marked
                FROM statements_fts JOIN statements s ON s.rowid = statements_fts.rowid
                JOIN documents d ON d.id = s.document_id
                WHERE statements_fts MATCH ? AND statements_fts.rowid IN (
                    SELECT statements_fts.rowid FROM statements_fts {'JOIN statements s ON s.rowid = statements_fts.rowid' if len(where) > 1 else ''}
                    WHERE {' AND '.join(where)} ORDER BY statements_fts.rank, statements_fts.rowid{page})
                ORDER BY statements_fts.rank, statements_fts.rowid""", [*marks, phrase, *params])
        for r in rows:
            r["topics"] = loads(r["topics"]) or []
            r["snippet"], r["highlights"] = _snippet(r.pop("marked"))
        found["statements"] = rows
    if scope in ("all", "documents") and not speaker:
        where, params = ["documents_fts MATCH ?"], [phrase]
        if side:
            where.append("d.side = ?")
            params.append(side.upper())
        rows = store.rows(
            f"""SELECT d.id, d.title, d.outlet, d.side, d.published, d.url,
                       snippet(documents_fts, 1, ?, ?, ?, ?) AS marked
                FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid
                WHERE documents_fts MATCH ? AND documents_fts.rowid IN (
                    SELECT documents_fts.rowid FROM documents_fts {'JOIN documents d ON d.rowid = documents_fts.rowid' if len(where) > 1 else ''}
                    WHERE {' AND '.join(where)} ORDER BY documents_fts.rank, documents_fts.rowid{page})
                ORDER BY documents_fts.rank, documents_fts.rowid""", [*marks, phrase, *params])
        for r in rows:
            r["snippet"], r["highlights"] = _snippet(r.pop("marked"))
        found["documents"] = rows
    return SearchResult(text, found["statements"], found["documents"])


# ------------------------------------------------------------------ actors
def actor(store: Store, actor_id: str, *, limit: int | None = 200) -> dict[str, Any]:
    """A person, organisation or state by id (or exact name): its fields, the documents that
    mention it, the engagements it took part in (``queries.engagements``) and its statements
    (``queries.statements``), each list at most ``limit`` long."""
    given = (actor_id or "").strip()
    rows = store.rows("SELECT id, name, kind, country, sector, known FROM actors WHERE id = ? OR lower(name) = lower(?) "
                      "ORDER BY id = ? DESC LIMIT 1", (given, given, given))
    if not rows:
        raise NotFoundError(f"actor {given!r}: no such actor in the store: give an id as the pages and the API show it")
    a = rows[0]
    a["known"] = bool(a["known"])
    mentions = store.scalar("SELECT count(*) FROM mentions WHERE actor_id = ?", (a["id"],))
    docs = store.rows(
        """SELECT d.id, d.title, d.outlet, d.published, count(*) AS mentions FROM mentions m JOIN documents d ON d.id = m.document_id
           WHERE m.actor_id = ? GROUP BY d.id ORDER BY d.published, d.id""" + queries._page(limit, 0), (a["id"],))
    engaged = store.rows("SELECT 1 FROM engagement_participants WHERE actor_id = ? LIMIT 1", (a["id"],))
    return {
        **a,
        "mentions": int(mentions or 0),
        "documents": docs,
        "engagements": queries.engagements(store, actor=a["id"], limit=limit) if engaged else [],
        "statements": _statements_of(store, a["id"], limit),
    }


def _statements_of(store: Store, actor_id: str, limit: int | None) -> list[dict[str, Any]]:
    """The statements whose speaker is this actor (by id), oldest first."""
    ids = store.rows("SELECT id FROM statements WHERE speaker_id = ? LIMIT 1", (actor_id,))
    return queries.statements(store, speaker=actor_id, limit=limit) if ids else []
