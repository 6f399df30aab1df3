"""Questions asked of the store. Each is one function returning plain rows (dicts) or a small
dataclass with ``to_dict``/``to_rows``; the CLI formats them (a table, JSON, JSONL or CSV).

- ``channel_board(store, dyad, as_of, known_on)``: each channel of a dyad, its state as of a
  date (inherited from its umbrella or its own), since when, when last held, how many sources,
  which sides; with ``known_on``, from the documents published by that day only.
- ``timeline(store, channel, known_on)``: one channel's intervals with the assertions behind them.
- ``engagements(store, ...)``: merged engagements, filtered by dyad, actor, kind and dates.
- ``statements(store, ...)``: statements filtered by speaker, side, topic, engagement, text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..errors import NotFoundError, OptionError
from ..readers import parse_published
from ..registry import get_registry
from . import aggregate
from .db import Store, loads

LEVEL_ORDER = ("head_of_state", "ministerial", "chiefs_of_defense", "senior", "theater", "working", "hotline", "generic")
_DYAD_RE = re.compile(r"^\s*([A-Za-z]{3})\s*[-_/: ]\s*([A-Za-z]{3})\s*$")


def _day(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    try:
        d = parse_published(value)
    except Exception:
        d = None
    if d is None:
        raise OptionError(f"{option} {value!r}: not a date: give YYYY-MM-DD")
    return d.isoformat()


def date_bound(value: str | None, option: str, *, low: bool) -> str | None:
    """A --since/--until value: YYYY, YYYY-MM or YYYY-MM-DD, as the first or last day."""
    if value is None:
        return None
    r = aggregate.date_range(value.strip(), None) if re.fullmatch(r"\d{4}(-\d{2}){0,2}", value.strip()) else None
    if r is None:
        raise OptionError(f"{option} {value!r}: not a date: give YYYY, YYYY-MM or YYYY-MM-DD")
    return (r[0] if low else r[1]).isoformat()


def normalize_dyad(dyad: str) -> str:
    """'usa-chn', 'CHN-USA', 'CHN/USA' -> 'CHN-USA'; an unknown country code is an error."""
    m = _DYAD_RE.match(dyad or "")
    if not m:
        raise OptionError(f"--dyad {dyad!r}: give two ISO 3166 alpha-3 country codes, e.g. CHN-USA")
    codes = sorted(c.upper() for c in m.groups())
    if codes[0] == codes[1]:
        raise OptionError(f"--dyad {dyad!r}: give two different country codes, e.g. CHN-USA")
    registry = get_registry()
    for c in codes:
        if c not in registry.countries:
            raise OptionError(f"--dyad {dyad!r}: {c} is not a country code: give ISO 3166 alpha-3 codes, e.g. CHN-USA")
    return "-".join(codes)


def _fresh(store: Store) -> None:
    """Rebuild timelines left stale by an interrupted ingest before answering."""
    if store.scalar("SELECT 1 FROM channels WHERE stale = 1 LIMIT 1"):
        aggregate.refresh_timelines(store.conn)


# ------------------------------------------------------------------ the channel board
def _intervals(store: Store, channel_id: str, known_on: str | None) -> list[dict[str, Any]]:
    """A channel's intervals: as stored (all knowledge), or, with ``known_on``, rebuilt from
    the documents published by that day."""
    if known_on is None:
        rows = store.rows("SELECT * FROM channel_intervals WHERE channel_id = ? ORDER BY seq", (channel_id,))
        for r in rows:
            for key in ("assertions", "sides", "conflicts"):
                r[key] = loads(r[key]) or []
        return rows
    return aggregate.build_timeline(aggregate.timeline_assertions(store.conn, channel_id, known_on))


def _board_row(store: Store, ch: dict[str, Any], day: str, known_on: str | None, names: dict[str, str]) -> dict[str, Any]:
    intervals = [iv for iv in _intervals(store, ch["id"], known_on) if iv["start_date"] is not None and iv["start_date"] <= day]
    current = intervals[-1] if intervals else None
    suspended_since = None
    if current and current["state"] in ("suspended", "resumption_pending"):
        # when the suspension that is still in force began
        for iv in reversed(intervals):
            if iv["state"] in ("active", "dormant"):
                break
            if iv["state"] == "suspended":
                suspended_since = iv["start_date"]
    known = " AND published IS NOT NULL AND published <= ?" if known_on else ""
    params: tuple[Any, ...] = (ch["id"], day, known_on) if known_on else (ch["id"], day)
    latest = store.rows(
        f"""SELECT status FROM channel_assertions WHERE channel_id = ? AND effective_date <= ?{known}
            ORDER BY effective_date DESC, published DESC, id DESC LIMIT 1""",
        params,
    )
    facts = store.rows(
        f"""SELECT count(DISTINCT document_id) AS sources, group_concat(DISTINCT coalesce(side, 'press')) AS sides,
                   max(CASE WHEN status IN ('held', 'resumed') AND dated_by = 'text' THEN effective_date END) AS last_held,
                   max(effective_date) AS last_reported
            FROM channel_assertions WHERE channel_id = ? AND effective_date <= ?{known}""",
        params,
    )[0]
    inherited = current["inherited_from"] if current else None
    return {
        "channel": ch["id"],
        "name": ch["name"],
        "level": ch["level"],
        "generic": bool(ch["generic"]),
        "parent": ch.get("parent_id"),
        "state": current["state"] if current else "no_record",
        "status": current["status"] if current else None,
        "since": current["start_date"] if current else None,
        "since_precision": current["start_precision"] if current else None,
        "inherited_from": inherited,
        "inherited_from_name": names.get(inherited, inherited) if inherited else None,
        "latest": latest[0]["status"] if latest else None,
        "suspended_since": suspended_since,
        "until": current["end_date"] if current and current["end_date"] and current["end_date"] <= day else None,
        "last_held": facts["last_held"],
        "last_reported": facts["last_reported"],
        "sources": int(facts["sources"] or 0),
        "sides": sorted((facts["sides"] or "").split(",")) if facts["sides"] else [],
        "contested": bool(current and current["contested"]),
        "as_of": day,
        "known_on": known_on,
    }


def channel_board(store: Store, dyad: str, as_of: str | None = None, known_on: str | None = None) -> list[dict[str, Any]]:
    """Every channel of ``dyad``: its state on ``as_of`` (default: today) as the store's
    sources tell it, or, with ``known_on``, as the documents published by that day told it
    (what an analyst could have drawn then). Channels the registry knows for the dyad but no
    source mentions are listed with state ``no_record``. A channel under an umbrella takes in
    the umbrella's suspensions and agreements to resume (``inherited_from``), and its row
    carries the umbrella's own state (``parent_state``), so a meeting held during a general
    suspension shows both. Rows come umbrella first, each followed by its members."""
    key = normalize_dyad(dyad)
    day = _day(as_of, "--as-of") or date.today().isoformat()
    known = _day(known_on, "--known-on")
    _fresh(store)
    channels = store.rows("SELECT id, registry_id, name, level, generic, parent_id FROM channels WHERE dyad = ?", (key,))
    present = {c["registry_id"] for c in channels}
    registry = get_registry()
    for entry in registry.channels_of(key.split("-")):
        if entry.id not in present:
            channels.append({"id": entry.id, "registry_id": entry.id, "name": entry.name, "level": entry.level, "generic": 0,
                             "parent_id": entry.parent})
    names = {c["id"]: c["name"] for c in channels}
    rows = {c["id"]: _board_row(store, c, day, known, names) for c in channels}
    for r in rows.values():
        parent = rows.get(r["parent"] or "")
        r["parent_state"] = ({"channel": parent["channel"], "name": parent["name"], "state": parent["state"], "since": parent["since"]}
                             if parent else None)
        r["depth"] = 0
        cur, seen = r, {r["channel"]}
        while cur["parent"] and cur["parent"] in rows and cur["parent"] not in seen:
            seen.add(cur["parent"])
            cur = rows[cur["parent"]]
            r["depth"] += 1
    return _tree_order(list(rows.values()))


def _level_key(r: dict[str, Any]) -> tuple[Any, ...]:
    return (r["state"] == "no_record", r["generic"], LEVEL_ORDER.index(r["level"]) if r["level"] in LEVEL_ORDER else 99, r["channel"])


def _tree_order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Umbrellas first, each followed by its members (depth first), siblings by state and level."""
    ids = {r["channel"] for r in rows}
    children: dict[str | None, list[dict[str, Any]]] = {}
    for r in rows:
        children.setdefault(r["parent"] if r["parent"] in ids else None, []).append(r)
    out: list[dict[str, Any]] = []

    def walk(parent: str | None) -> None:
        kids = sorted(children.get(parent, []), key=lambda r: (not children.get(r["channel"]), *_level_key(r)))
        for r in kids:
            out.append(r)
            walk(r["channel"])

    walk(None)
    return out


# ------------------------------------------------------------------ one channel's timeline
@dataclass
class Timeline:
    channel: dict[str, Any]
    intervals: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"channel": self.channel, "intervals": self.intervals}

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per assertion, with its interval's columns."""
        out = []
        for iv in self.intervals:
            for a in iv["assertions"]:
                out.append({
                    "channel": self.channel["id"], "seq": iv["seq"], "state": iv["state"], "interval_start": iv["start_date"],
                    "interval_end": iv["end_date"], "contested": iv["contested"], **a,
                })
        return out


def find_channel(store: Store, channel: str) -> dict[str, Any]:
    """A channel by id, name or alias (case-insensitive: "chn-usa-mmca", "MMCA"), or a part of
    its id or name that only one channel has."""
    _fresh(store)
    exact = store.rows("SELECT * FROM channels WHERE id = ? OR lower(name) = lower(?)", (channel, channel))
    if len(exact) == 1:
        return exact[0]
    registry = get_registry()
    wanted = channel.strip().lower()
    aliased = {c.id for c in registry.channels.values() if wanted in (n.lower() for n in c.all_names())}
    like = store.rows(
        f"""SELECT * FROM channels WHERE id LIKE '%' || ? || '%' OR lower(name) LIKE '%' || lower(?) || '%'
            OR registry_id IN ({','.join('?' * len(aliased))}) ORDER BY id""",
        (channel, channel, *sorted(aliased)),
    )
    if len(like) == 1:
        return like[0]
    if not like:
        raise NotFoundError(f"no channel {channel!r} in the store: 'readout channels --dyad XXX-YYY' lists the channels of a dyad")
    names = ", ".join(r["id"] for r in like[:8])
    raise OptionError(f"{channel!r} names several channels ({names}): give the full id")


def timeline(store: Store, channel: str, known_on: str | None = None) -> Timeline:
    """A channel's history: each interval with its state, start, end and the assertions (with
    their evidence, document and side) behind it, those said of an umbrella marked with
    ``inherited_from``. With ``known_on``, as the documents published by that day told it."""
    known = _day(known_on, "--known-on")
    ch = find_channel(store, channel)
    intervals = _intervals(store, ch["id"], known)
    wanted = sorted({aid for iv in intervals for aid in iv["assertions"]})
    assertions: dict[str, dict[str, Any]] = {}
    for i in range(0, len(wanted), 500):
        chunk = wanted[i:i + 500]
        for a in store.rows(
            f"""SELECT a.id, a.channel_id, a.status, a.date, a.date_precision, a.effective_date, a.dated_by, a.side, a.asserted_by,
                       a.evidence, a.start, a."end", a.rule, a.document_id, d.title, d.outlet, d.published, d.url
                FROM channel_assertions a JOIN documents d ON d.id = a.document_id WHERE a.id IN ({','.join('?' * len(chunk))})""",
            chunk,
        ):
            assertions[a["id"]] = a
    out = []
    for iv in intervals:
        conflicts = set(iv["conflicts"])
        items = []
        for aid in iv["assertions"]:
            a = dict(assertions[aid])
            a["assertion"] = a.pop("id")
            owner = a.pop("channel_id")
            a["inherited_from"] = owner if owner != ch["id"] else None
            a["conflicts"] = aid in conflicts
            items.append(a)
        out.append({
            "seq": iv["seq"], "state": iv["state"], "status": iv["status"], "start_date": iv["start_date"],
            "start_precision": iv["start_precision"], "end_date": iv["end_date"], "last_held": iv["last_held"],
            "sources": iv["sources"], "sides": iv["sides"], "contested": bool(iv["contested"]),
            "inherited_from": iv["inherited_from"], "opened_by": iv["opened_by"], "assertions": items,
        })
    info = {"id": ch["id"], "name": ch["name"], "dyad": ch["dyad"], "level": ch["level"], "generic": bool(ch["generic"]),
            "parent": ch.get("parent_id"), "known_on": known}
    return Timeline(info, out)


# ------------------------------------------------------------------ engagements and statements
def _actor_ids(store: Store, actor: str) -> list[str]:
    ids = [r["id"] for r in store.rows(
        "SELECT id FROM actors WHERE id = ? OR lower(name) = lower(?) OR lower(name) LIKE '%' || lower(?) || '%'",
        (actor, actor, actor),
    )]
    if not ids:
        raise OptionError(f"--actor {actor!r}: no such actor in the store: give a name as written in the documents, or an id")
    return ids


def engagements(
    store: Store,
    *,
    dyad: str | None = None,
    actor: str | None = None,
    kind: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = None,
    status: str | None = None,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Merged engagements, oldest first, with their participants' names and sources.
    ``status`` keeps those whose status is one of a comma-separated list (``held``, or
    ``planned,postponed`` for what is coming); ``limit`` and ``offset`` page through them."""
    where, params = [], []
    if status:
        statuses = [k.strip() for k in status.split(",") if k.strip()]
        bad = [k for k in statuses if k not in aggregate.STATUS_GROUP]
        if bad:
            raise OptionError(f"--status {bad[0]!r}: give one of {', '.join(aggregate.STATUS_GROUP)}")
        where.append(f"e.status IN ({','.join('?' * len(statuses))})")
        params.extend(statuses)
    if dyad:
        where.append("e.dyad = ?")
        params.append(normalize_dyad(dyad))
    if kind:
        kinds = [k.strip() for k in kind.split(",") if k.strip()]
        bad = [k for k in kinds if k not in aggregate.KIND_GROUP]
        if bad:
            raise OptionError(f"--kind {bad[0]!r}: give one of {', '.join(aggregate.KIND_GROUP)}")
        where.append(f"e.kind IN ({','.join('?' * len(kinds))})")
        params.extend(kinds)
    if actor:
        ids = _actor_ids(store, actor)
        where.append(f"e.id IN (SELECT engagement_id FROM engagement_participants WHERE actor_id IN ({','.join('?' * len(ids))}))")
        params.extend(ids)
    lo, hi = date_bound(since, "--since", low=True), date_bound(until, "--until", low=False)
    if lo:
        where.append("coalesce(e.date_end, e.date_start) >= ?")
        params.append(lo)
    if hi:
        where.append("coalesce(e.date_start, e.date_end) <= ?")
        params.append(hi)
    sql = "SELECT e.* FROM engagements e" + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY coalesce(e.date_start, e.date_end), e.id" + _page(limit, offset)
    rows = store.rows(sql, params)
    names = _names(store, {p for r in rows for p in loads(r["participants"]) or []})
    out = []
    for r in rows:
        participants = loads(r["participants"]) or []
        out.append({
            "id": r["id"], "kind": r["kind"], "status": r["status"], "date": r["date"], "date_precision": r["date_precision"],
            "reported_by": None if r["date"] else r["date_end"],
            "dyad": r["dyad"], "participants": [names.get(p, p) for p in participants], "participant_ids": participants,
            "initiators": [names.get(p, p) for p in loads(r["initiators"]) or []], "channel": r["channel_id"],
            "sources": r["sources"], "sides": loads(r["sides"]) or [], "dates_disagree": bool(r["dates_disagree"]),
            "dates": loads(r["dates"]) or [],
        })
    return out


def _page(limit: int | None, offset: int) -> str:
    """The LIMIT/OFFSET clause of a page (both are integers, checked here)."""
    if not limit and not offset:
        return ""
    return f" LIMIT {int(limit) if limit else -1} OFFSET {max(0, int(offset))}"


def _names(store: Store, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    out: dict[str, str] = {}
    items = sorted(ids)
    for i in range(0, len(items), 500):
        chunk = items[i:i + 500]
        for r in store.rows(f"SELECT id, name FROM actors WHERE id IN ({','.join('?' * len(chunk))})", chunk):
            out[r["id"]] = r["name"]
    return out


def _fts_phrase(text: str) -> str:
    words = re.findall(r"\w+", text)
    if not words:
        raise OptionError(f"--search {text!r}: give words to search for")
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def statements(
    store: Store,
    *,
    speaker: str | None = None,
    side: str | None = None,
    topic: str | None = None,
    engagement: str | None = None,
    search: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Statements with their speaker, side, topics and document, newest documents last;
    ``limit`` and ``offset`` page through them."""
    where, params = [], []
    if speaker:
        ids = _actor_ids(store, speaker)
        where.append(f"(s.speaker_id IN ({','.join('?' * len(ids))}) OR lower(s.speaker_name) LIKE '%' || lower(?) || '%')")
        params.extend([*ids, speaker])
    if side:
        where.append("s.side = ?")
        params.append(side.upper())
    if topic:
        topics = get_registry().topics
        if topic not in topics:
            raise OptionError(f"--topic {topic!r}: not a topic: 'readout registry show topics' lists them")
        where.append("EXISTS (SELECT 1 FROM json_each(s.topics) WHERE json_each.value = ?)")
        params.append(topic)
    if engagement:
        where.append("s.engagement_id LIKE ? || '%'")
        params.append(engagement)
    if search:
        where.append("s.rowid IN (SELECT rowid FROM statements_fts WHERE statements_fts MATCH ?)")
        params.append(_fts_phrase(search))
    lo, hi = date_bound(since, "--since", low=True), date_bound(until, "--until", low=False)
    if lo:
        where.append("s.published >= ?")
        params.append(lo)
    if hi:
        where.append("s.published <= ?")
        params.append(hi)
    sql = """SELECT s.id, s.published, s.speaker_id, s.speaker_name, s.side, s.kind, s.cue, s.content, s.topics,
                    s.event_type, s.event_mode, s.score, s.engagement_id, s.document_id, d.title, d.outlet, s.start, s."end"
             FROM statements s JOIN documents d ON d.id = s.document_id"""
    sql += (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY s.published, s.document_id, s.start"
    sql += _page(limit, offset)
    rows = store.rows(sql, params)
    for r in rows:
        r["topics"] = loads(r["topics"]) or []
    return rows


def failures(store: Store) -> list[dict[str, Any]]:
    """Inputs that could not be ingested, with their reasons."""
    return store.rows("SELECT source, code, reason FROM failures ORDER BY source")
