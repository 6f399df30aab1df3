"""Writing one document's analysis into the store, as one transaction's worth of rows.

Rows of per-document records are keyed ``<document id>/<record id>``, so writing the same
analysis twice changes nothing. Engagements are merged with those already in the store
(``aggregate.assign_engagement``); channels touched are marked stale so their timelines are
rebuilt (``aggregate.refresh_timelines``) once the batch is committed.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from typing import Any

from ..extract.actors import outlet_country
from ..records import Analysis, DateValue, Document, Engagement
from ..registry import Registry
from . import aggregate
from .db import dumps, upsert


def _rid(document_id: str, record_id: str) -> str:
    return f"{document_id}/{record_id}"


def _insert_ignore(conn: sqlite3.Connection, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    cols = ", ".join(f'"{k}"' for k in rows[0])
    marks = ", ".join(f":{k}" for k in rows[0])
    conn.executemany(f'INSERT OR IGNORE INTO "{table}" ({cols}) VALUES ({marks})', rows)


def plover_score(registry: Registry, event_type: str | None, mode: str | None) -> float | None:
    """The PLOVER cooperation-conflict score of a type (and mode, where the mode has one)."""
    if not event_type or event_type not in registry.plover:
        return None
    t = registry.plover[event_type]
    return float(t.modes.get(mode, t.score)) if mode else float(t.score)


def dyad_key(codes: list[str] | tuple[str, ...]) -> str:
    return "-".join(sorted(codes))


def channel_row(registry: Registry, channel: str, dyad: str | None) -> dict[str, Any]:
    """The channels row for a registry channel. A generic channel of a dyad is the dyad's
    umbrella (military communication between China and the US is
    ``chn-usa-military-communication``; for a dyad the registry declares none of, the
    conventional ``chl-nor-military-communication``)."""
    entry = registry.channel(channel)
    if entry is not None and entry.generic and dyad:
        entry = registry.umbrella_for(entry.id, dyad.split("-"))
        channel = entry.id
    generic = bool(entry.generic) if entry else not dyad
    key = f"{channel}@{dyad}" if generic and dyad else channel
    name = entry.name if entry else channel
    return {
        "id": key,
        "registry_id": channel,
        "name": f"{name} ({dyad})" if generic and dyad else name,
        "dyad": (dyad_key(entry.dyad) if entry and entry.dyad else dyad),
        "level": entry.level if entry else None,
        "generic": int(generic),
        "names": dumps(entry.names if entry else {}),
        "parent_id": entry.parent if entry else None,
    }


_UPSERT_CHANNEL = """INSERT INTO channels (id, registry_id, name, dyad, level, generic, names, parent_id, stale)
                     VALUES (:id, :registry_id, :name, :dyad, :level, :generic, :names, :parent_id, 1)"""


def save_channel(conn: sqlite3.Connection, registry: Registry, channel: str, dyad: str | None) -> dict[str, Any]:
    """Insert (or mark stale) the row of a channel that has new assertions, with the rows of
    its dyad's tree in the registry (its umbrellas and their members), so that every member's
    timeline takes in what its umbrellas are said to have gone through. Returns the row."""
    row = channel_row(registry, channel, dyad)
    conn.execute(_UPSERT_CHANNEL + " ON CONFLICT(id) DO UPDATE SET stale = 1, parent_id = excluded.parent_id", row)
    entry = registry.channel(row["registry_id"])
    if entry is not None and entry.dyad and (entry.parent or registry.members(entry.id)):
        top = [entry, *registry.ancestors(entry.id)][-1]
        for member in [top, *registry.descendants(top.id)]:
            if member.id != row["id"]:
                conn.execute(_UPSERT_CHANNEL + " ON CONFLICT(id) DO UPDATE SET parent_id = excluded.parent_id",
                             channel_row(registry, member.id, None))
    return row


def _date_cols(d: DateValue | None) -> dict[str, Any]:
    return {"date": d.value if d else None, "date_precision": d.precision if d else None, "date_raw": d.raw if d else None}


def record_not_relevant(
    conn: sqlite3.Connection, doc: Document, source: str, reason: str, analyzer_id: str, run_id: int
) -> bool:
    """Record a document the gate set aside (table ``not_relevant``): True when it is new,
    False when it was already there (its row is left as it was). Call inside a transaction."""
    from datetime import UTC, datetime

    cur = conn.execute(
        """INSERT OR IGNORE INTO not_relevant (id, source, title, outlet, url, published, chars, reason, analyzer_id, run_id, recorded_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (doc.id, source, doc.title, doc.outlet, doc.url, doc.published, len(doc.text), reason, analyzer_id, run_id,
         datetime.now(UTC).isoformat(timespec="seconds")),
    )
    return cur.rowcount > 0


def save_analysis(
    conn: sqlite3.Connection,
    analysis: Analysis,
    *,
    registry: Registry,
    analyzer_id: str,
    source: str,
) -> None:
    """Write one analysis. Call inside a transaction (``Store.transaction``)."""
    doc = analysis.document
    conn.execute("DELETE FROM not_relevant WHERE id = ?", (doc.id,))  # analyzed now (an ingest without the gate)
    side = outlet_country(doc.outlet, registry)
    meta = stored_metadata(doc)
    upsert(conn, "documents", {
        "id": doc.id, "title": doc.title, "outlet": doc.outlet, "side": side, "url": doc.url,
        "published": doc.published, "source": source, "chars": len(doc.text), "text": doc.text,
        "metadata": dumps(meta), "warnings": dumps(list(doc.warnings)), "analyzer_id": analyzer_id,
    })
    actors = {a.id: a for a in analysis.actors}
    for a in analysis.actors:
        conn.execute(
            """INSERT INTO actors (id, name, kind, country, sector, known) VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT(id) DO UPDATE SET country = coalesce(actors.country, excluded.country),
                                             sector = coalesce(actors.sector, excluded.sector),
                                             known = max(actors.known, excluded.known)""",
            (a.id, a.name, a.kind, a.country, a.sector, int(a.known)),
        )
    _insert_ignore(conn, "mentions", [
        {"document_id": doc.id, "actor_id": a.id, "start": m.start, "end": m.end, "text": m.text, "title": a.title}
        for a in analysis.actors for m in a.mentions
    ])

    # engagements: each report joins (or founds) a merged engagement
    engagement_of: dict[str, str] = {}
    for e in analysis.engagements:
        engagement_of[e.id] = _save_engagement(conn, e, doc.id, doc.published, side, actors)

    # channel status assertions
    for c in analysis.channel_status:
        dyad = dyad_key(c.dyad) if c.dyad else None
        ch = save_channel(conn, registry, c.channel, dyad)
        dated_by, effective = _placement(c.status, c.date, doc.published)
        ev = c.evidence[0] if c.evidence else None
        upsert(conn, "channel_assertions", {
            "id": _rid(doc.id, c.id), "channel_id": ch["id"], "document_id": doc.id, "status": c.status,
            **_date_cols(c.date), "effective_date": effective, "dated_by": dated_by, "published": doc.published,
            "asserted_by": c.asserted_by, "side": c.side or side, "generic": int(c.generic), "dyad": dyad,
            "evidence": ev.text if ev else "", "start": ev.start if ev else 0, "end": ev.end if ev else 0, "rule": c.rule,
        })

    for s in analysis.statements:
        src_id = _rid(doc.id, s.engagement) if s.engagement else None
        upsert(conn, "statements", {
            "id": _rid(doc.id, s.id), "document_id": doc.id, "published": doc.published,
            "speaker_id": s.speaker, "speaker_name": s.speaker_name, "side": s.side, "kind": s.kind, "cue": s.cue,
            "content": s.content, "start": s.content_span.start, "end": s.content_span.end,
            "addressee_id": s.addressee, "topics": dumps(list(s.topics)), "event_type": s.event_type,
            "event_mode": s.event_mode, "score": plover_score(registry, s.event_type, s.event_mode),
            "engagement_source_id": src_id, "engagement_id": engagement_of.get(s.engagement or ""), "rule": s.rule,
        })

    for event in analysis.events:
        src = _party(event.source, actors, registry)
        tgt = _party(event.target, actors, registry)
        t = registry.plover.get(event.type)
        span = event.evidence[0] if event.evidence else None
        countries = [x for x in (src["country"], tgt["country"]) if x]
        upsert(conn, "events", {
            "id": _rid(doc.id, event.id), "document_id": doc.id,
            "date": event.date.value if event.date else None, "date_precision": event.date.precision if event.date else None,
            "published": doc.published,
            "source_actor": src["id"], "source_name": src["name"], "source_country": src["country"], "source_sector": src["sector"],
            "target_actor": tgt["id"], "target_name": tgt["name"], "target_country": tgt["country"], "target_sector": tgt["sector"],
            "dyad": dyad_key(countries) if len(set(countries)) == 2 else None,
            "type": event.type, "mode": event.mode, "cameo": event.cameo, "score": plover_score(registry, event.type, event.mode),
            "quad": t.quad if t else None, "evidence": span.text if span else "", "start": span.start if span else 0,
            "end": span.end if span else 0, "rule": event.rule, "modality": event.modality,
        })
    conn.execute("DELETE FROM failures WHERE source = ?", (source,))


def _placement(status: str, d: DateValue | None, published: str | None) -> tuple[str | None, str | None]:
    """Where a timeline places an assertion: its own date (the first day of a month or year),
    else the publication date. A prospect (agreed or expected to resume) is placed when it was
    said: at publication, if its own date lies after it. A publication known only to the month
    (or year) places it on the first day of that month (or year), as a date of the text would."""
    r = aggregate.date_range(d.value, d.precision) if d and d.value else None
    own = r[0].isoformat() if r else None
    p = aggregate.date_range(published, None) if published else None
    pub = p[0].isoformat() if p else None
    if own and status in ("agreed_to_resume", "expected_to_resume", "requested") and pub and own > pub:
        return "published", pub
    if own:
        return "text", own
    if pub:
        return "published", pub
    return None, None


def _party(ref: str | None, actors: dict[str, Any], registry: Registry) -> dict[str, Any]:
    if not ref:
        return {"id": None, "name": None, "country": None, "sector": None}
    a = actors.get(ref)
    if a is not None:
        return {"id": a.id, "name": a.name, "country": a.country, "sector": a.sector}
    c = registry.country(ref)
    return {"id": ref, "name": c.name if c else ref, "country": ref if c else None, "sector": "GOV" if c else None}


def _save_engagement(
    conn: sqlite3.Connection, e: Engagement, document_id: str, published: str | None, side: str | None, actors: dict[str, Any]
) -> str:
    rid = _rid(document_id, e.id)
    existing = conn.execute("SELECT engagement_id FROM engagement_sources WHERE id = ?", (rid,)).fetchone()
    if existing:
        return str(existing[0])
    ev = e.evidence[0] if e.evidence else None
    src: dict[str, Any] = {
        "id": rid, "document_id": document_id, "kind": e.kind, "status": e.status, **_date_cols(e.date), "published": published,
        "dyad": dyad_key(e.dyad), "participants": dumps(list(e.participants)), "initiator": e.initiator,
        "medium": e.medium, "location": e.location, "channel_id": e.channel,
        "first_since": e.first_since.value if e.first_since else None, "side": side,
        "evidence": ev.text if ev else "", "start": ev.start if ev else 0, "end": ev.end if ev else 0, "rule": e.rule,
    }
    persons = [p for p in e.participants if (a := actors.get(p)) is not None and a.kind == "person"]
    engagement_id = aggregate.assign_engagement(conn, {**src, "persons": persons})
    conn.execute("INSERT OR IGNORE INTO engagements (id, kind, dyad, status) VALUES (?, ?, ?, ?)",
                 (engagement_id, e.kind, src["dyad"], e.status))
    _insert_ignore(conn, "engagement_sources", [{**src, "engagement_id": engagement_id}])
    aggregate.refresh_engagement(conn, engagement_id)
    return engagement_id


# ------------------------------------------------------------------ a known text with new metadata
METADATA_FIELDS = ("title", "outlet", "url", "published")
REANALYZE_FIELDS = frozenset({"outlet", "published"})  # the extractors read these: the records change
READING_KEYS = frozenset({"encoding", "mojibake_repaired"})  # how a text was read, not what the document is


def stored_metadata(doc: Document) -> dict[str, Any]:
    meta = dict(doc.metadata)
    meta.pop("path", None)
    return meta


def document_changes(conn: sqlite3.Connection, doc: Document) -> dict[str, tuple[Any, Any]] | None:
    """How ``doc`` differs from the stored document with its text: ``{field: (old, new)}`` for
    each field the input gives and the store holds otherwise ({} when nothing differs); None
    when the text is not in the store. A field the input leaves empty changes nothing."""
    row = conn.execute("SELECT title, outlet, url, published, metadata FROM documents WHERE id = ?", (doc.id,)).fetchone()
    if row is None:
        return None
    old = dict(zip(("title", "outlet", "url", "published"), row[:4], strict=True))
    changes: dict[str, tuple[Any, Any]] = {}
    for key in METADATA_FIELDS:
        new = getattr(doc, key)
        if new is not None and new != old[key]:
            changes[key] = (old[key], new)
    stored = json.loads(row[4] or "{}")
    given = {k: v for k, v in stored_metadata(doc).items() if k not in READING_KEYS}
    merged = {**stored, **given}
    if merged != stored:
        changes["metadata"] = (stored, merged)
    return changes


def update_document(conn: sqlite3.Connection, doc: Document, changes: dict[str, tuple[Any, Any]]) -> None:
    """Write changed title, url or metadata of a stored document (no records depend on them)."""
    sets = {k: (dumps(v[1]) if k == "metadata" else v[1]) for k, v in changes.items() if k not in REANALYZE_FIELDS}
    if sets:
        cols = ", ".join(f'"{k}" = ?' for k in sets)
        conn.execute(f"UPDATE documents SET {cols} WHERE id = ?", (*sets.values(), doc.id))


def delete_document_records(conn: sqlite3.Connection, document_id: str) -> None:
    """Remove every record derived from one document (mentions, engagement reports, channel
    assertions, statements, events) and recompute what they fed: the engagements they reported
    are refreshed (dropped when no report is left), their channels' timelines marked stale.
    The document row stays. Call inside a transaction."""
    engagements = [r[0] for r in conn.execute(
        "SELECT DISTINCT engagement_id FROM engagement_sources WHERE document_id = ?", (document_id,))]
    conn.execute(
        "UPDATE channels SET stale = 1 WHERE id IN (SELECT channel_id FROM channel_assertions WHERE document_id = ?)", (document_id,)
    )
    for table in ("statements", "events", "mentions", "channel_assertions", "engagement_sources"):
        conn.execute(f'DELETE FROM "{table}" WHERE document_id = ?', (document_id,))
    for engagement_id in engagements:
        aggregate.refresh_engagement(conn, engagement_id)


def with_stored_fields(conn: sqlite3.Connection, doc: Document) -> Document:
    """``doc`` with the title, outlet, url and publication date the store holds for its text
    wherever ``doc`` gives none: what a re-analysis of a known text must start from."""
    row = conn.execute("SELECT title, outlet, url, published FROM documents WHERE id = ?", (doc.id,)).fetchone()
    if row is None:
        return doc
    stored = dict(zip(METADATA_FIELDS, row, strict=True))
    fill = {k: stored[k] for k in METADATA_FIELDS if getattr(doc, k) is None and stored[k] is not None}
    return dataclasses.replace(doc, **fill) if fill else doc
