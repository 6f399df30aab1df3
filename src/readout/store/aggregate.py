"""Aggregates across documents: engagements merged from their reports, and channel timelines
built from status assertions. Both update as documents arrive.

Engagements: a document's report joins an engagement already in the store when the dyad is
the same, the kinds are compatible (a call and a video call; a meeting, talks and a summit),
the dates agree at their precision give or take ``DAY_TOLERANCE`` (a US readout dated
9 September and a Chinese one dated 10 September of the same call), the channels do not
differ, and, when both name people, at least one person is in both. A report with no date joins
only an engagement dated within ``UNDATED_WINDOW`` days before its publication that shares a
person. Disagreeing dates are kept (``dates``) and flagged (``dates_disagree``), not resolved
silently.

Timelines: a channel's assertions in date order (an assertion without a date of its own is
placed at its document's publication) walk through three states - active (held, resumed,
established), suspended, resumption_pending (agreed or expected to resume). An interval opens
when the state changes. Two assertions of the same date that disagree are kept in one interval
marked ``contested`` with the dissenting ones in ``conflicts``. A "held" with no date of its own
says the channel met at some time before publication, not when, so it supports an interval but
does not open one. Requests and refusals are kept in the interval in force (or an ``unknown``
one before any state is known).

Channels form a tree per dyad (the registry's ``parent``): a suspension or an agreement to
resume said of an umbrella ("military communication channels were halted") enters the
timeline of every channel under it, marked ``inherited_from``, until the channel's own later
news; a contact said of the umbrella does not (it tells that some member met, not which). A
resumption after a stretch with no contact leaves that stretch ``dormant``; see
``build_timeline``.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import date, timedelta
from typing import Any

from ..records import content_id
from .db import dumps, loads, upsert

DAY_TOLERANCE = 1
UNDATED_WINDOW = 10
MAX_SPAN = timedelta(days=366)
KIND_GROUP = {"call": "remote", "video_call": "remote", "meeting": "in_person", "talks": "in_person", "summit": "in_person", "visit": "visit"}
# when the sources disagree on the kind: the more specific one wins a tie
KIND_ORDER = ("video_call", "call", "summit", "talks", "meeting", "visit")
# reports merge only within a group: a planned meeting and the report that it was held are one
# engagement; a request and its refusal are one; a cancelled one is neither
STATUS_GROUP = {"held": "occurs", "planned": "occurs", "postponed": "occurs", "cancelled": "cancelled",
                "proposed": "asked", "requested": "asked", "declined": "asked"}
# the merged status when no source says it was held: the latest report's, and on one day the
# further along of two
STATUS_ORDER = ("declined", "requested", "proposed", "cancelled", "postponed", "planned")

STATE_OF = {
    "held": "active",
    "resumed": "active",
    "established": "active",
    "suspended": "suspended",
    "agreed_to_resume": "resumption_pending",
    "expected_to_resume": "resumption_pending",
}
PRECISION_RANK = {"day": 0, "month": 1, "year": 2}


# ------------------------------------------------------------------ dates
def date_range(value: str | None, precision: str | None) -> tuple[date, date] | None:
    """The first and last day a date at its precision allows: 2023-12 -> (Dec 1, Dec 31)."""
    if not value:
        return None
    try:
        parts = [int(p) for p in value.split("-")]
    except ValueError:
        return None
    if len(parts) >= 3:
        d = date(parts[0], parts[1], parts[2])
        return d, d
    if len(parts) == 2:
        start = date(parts[0], parts[1], 1)
        nxt = date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
        return start, nxt - timedelta(days=1)
    return date(parts[0], 1, 1), date(parts[0], 12, 31)


def _day(value: str | None) -> date | None:
    r = date_range(value, None)
    return r[0] if r else None


# ------------------------------------------------------------------ engagements
def _window(src: dict[str, Any]) -> tuple[date, date, bool] | None:
    """The days a report's engagement may fall on, and whether it is dated by its text."""
    r = date_range(src["date"], src["date_precision"])
    if r:
        tol = timedelta(days=DAY_TOLERANCE)
        return r[0] - tol, r[1] + tol, True
    pub = _day(src["published"])
    if pub:
        return pub - timedelta(days=UNDATED_WINDOW), pub, False
    return None


def _candidates(conn: sqlite3.Connection, src: dict[str, Any]) -> list[dict[str, Any]]:
    window = _window(src)
    if window is None:
        return []
    lo, hi, dated = window
    kinds = [k for k, g in KIND_GROUP.items() if g == KIND_GROUP[src["kind"]]]
    marks = ",".join("?" * len(kinds))
    statuses = [k for k, g in STATUS_GROUP.items() if g == STATUS_GROUP[src.get("status") or "held"]]
    status_marks = ",".join("?" * len(statuses))
    # an engagement spans at most a year (a date known to the year), so its start lies within
    # MAX_SPAN before the window: the index on (dyad, date_start) reads only that stretch
    rows = conn.execute(
        f"""SELECT id, date_start, date_end, channel_id, date, date_precision FROM engagements
            WHERE dyad = ? AND date_start >= ? AND date_start <= ? AND date_end >= ? AND kind IN ({marks})
              AND status IN ({status_marks})
            ORDER BY date_start, id""",
        [src["dyad"], (lo - MAX_SPAN).isoformat(), hi.isoformat(), lo.isoformat(), *kinds, *statuses],
    ).fetchall()
    persons = set(src["persons"])
    people = _persons_of(conn, [r[0] for r in rows])
    out = []
    for eid, start, end, channel, value, precision in rows:
        if src["channel_id"] and channel and src["channel_id"] != channel:
            continue
        # the report must meet the engagement's own date (the one most sources give), not the
        # span of every report so far: otherwise reports a week apart chain into one
        agreed = date_range(value, precision)
        if agreed is not None and (agreed[0] > hi or agreed[1] < lo):
            continue
        theirs = people.get(eid, set())
        shared = persons & theirs
        if persons and theirs and not shared:
            continue
        if not dated and not shared:
            continue
        mid = _day(src["date"]) or hi
        distance = min(abs((_day(start) or mid) - mid).days, abs((_day(end) or mid) - mid).days)
        out.append({"id": eid, "shared": len(shared), "distance": distance})
    out.sort(key=lambda c: (-c["shared"], c["distance"], c["id"]))
    return out


def _persons_of(conn: sqlite3.Connection, engagement_ids: list[str]) -> dict[str, set[str]]:
    """The participants who are people, per engagement."""
    out: dict[str, set[str]] = {}
    for i in range(0, len(engagement_ids), 500):
        chunk = engagement_ids[i:i + 500]
        for eid, actor in conn.execute(
            f"""SELECT p.engagement_id, p.actor_id FROM engagement_participants p JOIN actors a ON a.id = p.actor_id
                WHERE p.engagement_id IN ({','.join('?' * len(chunk))}) AND a.kind = 'person'""",
            chunk,
        ):
            out.setdefault(eid, set()).add(actor)
    return out


def assign_engagement(conn: sqlite3.Connection, src: dict[str, Any]) -> str:
    """The id of the engagement this report belongs to: an existing one it matches (merging
    any others it also matches into it), or a new one. ``src`` is an engagement_sources row
    (without ``engagement_id``) plus ``persons``, its participants who are people."""
    found = _candidates(conn, src)
    if not found:
        return content_id("eng", src["id"])
    keep = found[0]["id"]
    for other in found[1:]:
        merge_engagements(conn, keep, other["id"])
    return keep


def merged_status(reports: list[tuple[str | None, str | None]]) -> str:
    """An engagement's status from its reports' (status, published): held when any says it took
    place, else the latest report's (on one day, the further along: declined over requested)."""
    statuses = [st or "held" for st, _ in reports]
    if "held" in statuses:
        return "held"
    latest = max((pub or "" for _, pub in reports), default="")
    last = [st or "held" for st, pub in reports if (pub or "") == latest]
    return min(last, key=lambda st: STATUS_ORDER.index(st) if st in STATUS_ORDER else len(STATUS_ORDER))


def merge_engagements(conn: sqlite3.Connection, keep: str, other: str) -> None:
    """Fold engagement ``other`` into ``keep``: its sources and statements move over."""
    conn.execute("UPDATE engagement_sources SET engagement_id = ? WHERE engagement_id = ?", (keep, other))
    conn.execute("UPDATE statements SET engagement_id = ? WHERE engagement_id = ?", (keep, other))
    conn.execute("DELETE FROM engagement_participants WHERE engagement_id = ?", (other,))
    conn.execute("DELETE FROM engagements WHERE id = ?", (other,))


def _side_label(side: str | None) -> str:
    return side or "press"


def refresh_engagement(conn: sqlite3.Connection, engagement_id: str) -> None:
    """Recompute one engagement from all its sources."""
    cur = conn.execute(
        """SELECT s.id, s.document_id, s.kind, s.date, s.date_precision, s.published, s.dyad, s.participants,
                  s.initiator, s.channel_id, s.side, s.status
           FROM engagement_sources s WHERE s.engagement_id = ? ORDER BY s.published, s.id""",
        (engagement_id,),
    )
    names = [d[0] for d in cur.description]
    srcs = [dict(zip(names, r, strict=True)) for r in cur]
    if not srcs:
        conn.execute("DELETE FROM engagement_participants WHERE engagement_id = ?", (engagement_id,))
        conn.execute("DELETE FROM engagements WHERE id = ?", (engagement_id,))
        return
    kinds = Counter(s["kind"] for s in srcs)
    kind = min(kinds, key=lambda k: (-kinds[k], KIND_ORDER.index(k)))
    dated = [s for s in srcs if s["date"]]
    best = min((PRECISION_RANK.get(s["date_precision"] or "year", 2) for s in dated), default=None)
    value = precision = None
    if best is not None:
        finest = [s for s in dated if PRECISION_RANK.get(s["date_precision"] or "year", 2) == best]
        votes = Counter(s["date"] for s in finest)
        value = min(votes, key=lambda v: (-votes[v], v))
        precision = next(s["date_precision"] for s in finest if s["date"] == value)
    ranges = [r for s in dated if (r := date_range(s["date"], s["date_precision"]))]
    start: date | None
    end: date | None
    if ranges:
        start, end = min(r[0] for r in ranges), max(r[1] for r in ranges)
    else:
        # reported without a date: on or before its first report, no earlier bound
        pubs = [d for s in srcs if (d := _day(s["published"]))]
        start, end = None, (min(pubs) if pubs else None)
    distinct_days = {s["date"] for s in dated if s["date_precision"] == "day"}
    # dates disagree when two sources give different days, or their spans do not meet
    disagree = len(distinct_days) > 1 or (bool(ranges) and max(r[0] for r in ranges) > min(r[1] for r in ranges))
    participants: list[str] = []
    for s in srcs:
        for p in loads(s["participants"]) or []:
            if p not in participants:
                participants.append(p)
    initiators = sorted({s["initiator"] for s in srcs if s["initiator"]})
    channels = Counter(s["channel_id"] for s in srcs if s["channel_id"])
    channel = min(channels, key=lambda c: (-channels[c], c)) if channels else None
    sides = sorted({_side_label(s["side"]) for s in srcs})
    dates = [
        {"date": s["date"], "precision": s["date_precision"], "document_id": s["document_id"], "side": _side_label(s["side"])}
        for s in srcs
    ]
    dyad = srcs[0]["dyad"]
    a, _, b = dyad.partition("-")
    row = {
        "id": engagement_id,
        "kind": kind,
        "status": merged_status([(s["status"], s["published"]) for s in srcs]),
        "date": value,
        "date_precision": precision,
        "date_start": start.isoformat() if start else None,
        "date_end": end.isoformat() if end else None,
        "dates_disagree": int(disagree),
        "dates": dumps(dates),
        "dyad": dyad,
        "country_a": a or None,
        "country_b": b or None,
        "participants": dumps(participants),
        "initiators": dumps(initiators),
        "channel_id": channel,
        "sources": len({s["document_id"] for s in srcs}),
        "sides": dumps(sides),
        "first_reported": min((s["published"] for s in srcs if s["published"]), default=None),
    }
    upsert(conn, "engagements", row)
    conn.execute("DELETE FROM engagement_participants WHERE engagement_id = ?", (engagement_id,))
    conn.executemany(
        "INSERT OR IGNORE INTO engagement_participants (engagement_id, actor_id) SELECT ?, id FROM actors WHERE id = ?",
        [(engagement_id, p) for p in participants],
    )


# ------------------------------------------------------------------ channel timelines
_STATUS_ORDER = {s: i for i, s in enumerate(("established", "suspended", "agreed_to_resume", "expected_to_resume", "requested", "declined", "resumed", "held"))}
# what a status said of an umbrella tells of each member: a suspension or an agreement to resume
# covers them all; a contact ("held", "resumed") says only that some member met
INHERITED = ("suspended", "agreed_to_resume", "expected_to_resume")
_STEPS = ("suspended", "resumption_pending", "active")
MAX_DEPTH = 8  # umbrellas above a channel, at most


def _new_interval(state: str, status: str, start: str | None, opener: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"state": state, "status": status, "start_date": start, "end_date": None, "last_held": None,
            "assertions": [], "sides": set(), "documents": set(), "conflicts": [], "activity_end": None,
            "start_precision": _placed_precision(opener) if opener else ("day" if start else None),
            "opened_by": opener["id"] if opener else None,
            "inherited_from": opener.get("inherited_from") if opener else None}


def _placed_precision(a: dict[str, Any]) -> str:
    """How precisely the timeline knows where an assertion lies: its date's precision when the
    text dates it, else that of its publication (a day, or a month or year when only that is
    known)."""
    if a.get("dated_by") == "text":
        return a.get("date_precision") or "day"
    published = a.get("published") or ""
    return {7: "month", 4: "year"}.get(len(published), "day")


def _last_day(a: dict[str, Any]) -> str | None:
    """The last day an assertion's date allows (July 2022 -> 2022-07-31)."""
    if a.get("dated_by") == "text":
        r = date_range(a.get("date"), a.get("date_precision"))
        if r:
            return r[1].isoformat()
    return a.get("effective_date")


def _lapsed(current: dict[str, Any], day: str) -> bool:
    """Whether a resumption on ``day`` follows a stretch with no contact: the interval's last
    contact (or its start) lies more than DAY_TOLERANCE before it."""
    last = current["activity_end"] or current["start_date"]
    d = _day(day)
    return bool(last and d and last < (d - timedelta(days=DAY_TOLERANCE)).isoformat())


def build_timeline(assertions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Intervals from a channel's assertions (rows of channel_assertions, with ``inherited_from``
    set on those said of an umbrella the channel belongs to). Pure.

    The walk: assertions in date order move the channel through active (held, resumed,
    established), suspended, and resumption pending (agreed or expected to resume). The
    channel's own assertions of a day decide; an umbrella's suspension applies when the channel
    has none that day, and its agreement to resume applies unless the channel is active on its
    own. A "resumed" dated by its text after a stretch with no contact ("the first since July
    2022") closes the active interval at its last contact, marks the gap ``dormant`` (not held,
    no suspension reported) and opens a new active interval on the resumption day. An interval
    opened by a date known to the month (or year) starts on the first day a more precise
    assertion of the same state gives within it.
    """
    rows = sorted(assertions, key=lambda a: (a["effective_date"] or "9999", bool(a.get("inherited_from")),
                                             _STATUS_ORDER.get(a["status"], 99), a["id"]))
    by_id = {a["id"]: a for a in rows}
    intervals: list[dict[str, Any]] = []
    by_date: dict[str, list[dict[str, Any]]] = {}
    for a in rows:
        by_date.setdefault(a["effective_date"] or "", []).append(a)
    for day, group in by_date.items():
        current = intervals[-1] if intervals else None
        state_now = current["state"] if current else None
        own = [a for a in group if not a.get("inherited_from")]
        strong = [
            a for a in own
            if a["status"] in STATE_OF
            and not (a["dated_by"] != "text" and (a["status"] == "held" or (a["status"] == "resumed" and state_now == "active")))
        ]
        inherited = [
            a for a in group
            if a.get("inherited_from") and a["status"] in INHERITED
            and (STATE_OF[a["status"]] == "suspended" or state_now != "active")
        ]
        pool = strong or inherited
        if pool and day:
            # the state the day's assertions settle on: the most asserted; on a tie, the later step
            states = Counter(STATE_OF[a["status"]] for a in pool)
            winner = max(states, key=lambda st: (states[st], _STEPS.index(st)))
            opener = next(a for a in pool if STATE_OF[a["status"]] == winner)
            gap = (current is not None and current["state"] == "active" and winner == "active" and opener["status"] == "resumed"
                   and opener["dated_by"] == "text" and _lapsed(current, day))
            if current is None or current["state"] != winner or gap:
                if current is not None and gap:
                    current = _lapse(intervals, current, opener, day, by_id)
                if current is not None:
                    current["end_date"] = day
                current = _new_interval(winner, opener["status"], day, opener)
                intervals.append(current)
            if strong:
                current["conflicts"].extend(a["id"] for a in strong if STATE_OF[a["status"]] != winner)
        if current is None and own:
            current = _new_interval("unknown", own[0]["status"], day or None)
            intervals.append(current)
        if current is None:
            continue
        for a in group:
            if a.get("inherited_from") and not (a in inherited and STATE_OF[a["status"]] == current["state"]):
                continue  # an umbrella's news that does not bear on this channel now
            current["assertions"].append(a["id"])
            current["sides"].add(_side_label(a["side"]))
            current["documents"].add(a["document_id"])
            if a["status"] in ("held", "resumed", "established") and a["dated_by"] == "text" and day and not a.get("inherited_from"):
                if a["status"] != "established":
                    current["last_held"] = max(current["last_held"] or "", day)
                end = _last_day(a)
                if end:
                    current["activity_end"] = max(current["activity_end"] or "", end)
    _refine_starts(intervals, by_id)
    out = []
    for seq, iv in enumerate(intervals):
        out.append({
            "seq": seq,
            "state": iv["state"],
            "status": iv["status"],
            "start_date": iv["start_date"],
            "end_date": iv["end_date"],
            "last_held": iv["last_held"],
            "assertions": iv["assertions"],
            "sides": sorted(iv["sides"]),
            "sources": len(iv["documents"]),
            "contested": int(bool(iv["conflicts"])),
            "conflicts": iv["conflicts"],
            "start_precision": iv["start_precision"],
            "opened_by": iv["opened_by"],
            "inherited_from": iv["inherited_from"],
        })
    return out


def _lapse(intervals: list[dict[str, Any]], current: dict[str, Any], opener: dict[str, Any], day: str,
           by_id: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Close an active interval at its last contact and open the dormant stretch up to a
    resumption on ``day``; what the active interval holds after its last contact (undated
    reports, requests) moves to the dormant one."""
    last = current["activity_end"] or current["start_date"]
    dormant = _new_interval("dormant", opener["status"], last, opener)
    dormant["start_precision"] = "day"
    keep = []
    for aid in current["assertions"]:
        a = by_id[aid]
        if (a["effective_date"] or "") > last:
            dormant["assertions"].append(aid)
            dormant["sides"].add(_side_label(a["side"]))
            dormant["documents"].add(a["document_id"])
        else:
            keep.append(aid)
    current["assertions"] = keep
    current["documents"] = {by_id[a]["document_id"] for a in keep}
    current["sides"] = {_side_label(by_id[a]["side"]) for a in keep}
    current["end_date"] = last
    dormant["assertions"].append(opener["id"])  # the "first since" that says it was not held
    dormant["sides"].add(_side_label(opener["side"]))
    dormant["documents"].add(opener["document_id"])
    intervals.append(dormant)
    return dormant


def _refine_starts(intervals: list[dict[str, Any]], by_id: dict[str, dict[str, Any]]) -> None:
    """An interval opened by a date known to the month or year starts on the first day a more
    precise assertion of the same state gives within that month or year."""
    for n, iv in enumerate(intervals):
        opener = by_id.get(iv["opened_by"] or "")
        if opener is None or iv["state"] == "dormant" or _placed_precision(opener) == "day":
            continue
        r = date_range(opener.get("date"), opener.get("date_precision"))
        if r is None:
            continue
        lo, hi = r[0].isoformat(), r[1].isoformat()
        finer = [
            by_id[a] for a in iv["assertions"]
            if by_id[a]["status"] in STATE_OF and STATE_OF[by_id[a]["status"]] == iv["state"] and _placed_precision(by_id[a]) == "day"
            and by_id[a]["dated_by"] == "text" and lo <= (by_id[a]["effective_date"] or "") <= hi
        ]
        if not finer:
            continue
        best = min(finer, key=lambda a: (a["effective_date"], bool(a.get("inherited_from")), a["id"]))
        iv.update(start_date=best["effective_date"], start_precision="day", opened_by=best["id"], status=best["status"],
                  inherited_from=best.get("inherited_from"))
        if n > 0:
            intervals[n - 1]["end_date"] = best["effective_date"]


_ASSERTION_COLUMNS = "id, document_id, status, date, date_precision, effective_date, dated_by, side, published"


def ancestors(conn: sqlite3.Connection, channel_id: str) -> list[str]:
    """The umbrellas a stored channel belongs to, the nearest first."""
    rows = conn.execute(
        """WITH RECURSIVE up(id, depth) AS (
               SELECT parent_id, 1 FROM channels WHERE id = ? AND parent_id IS NOT NULL
               UNION ALL
               SELECT c.parent_id, up.depth + 1 FROM channels c JOIN up ON c.id = up.id
               WHERE c.parent_id IS NOT NULL AND up.depth < ?)
           SELECT id FROM up ORDER BY depth""",
        (channel_id, MAX_DEPTH),
    ).fetchall()
    return list(dict.fromkeys(r[0] for r in rows))


def timeline_assertions(conn: sqlite3.Connection, channel_id: str, known_on: str | None = None) -> list[dict[str, Any]]:
    """The assertions a channel's timeline is built from: its own, and its umbrellas'
    suspensions and agreements to resume (``inherited_from`` names the umbrella). With
    ``known_on``, only those of documents published on or before that day."""
    where_known = " AND published IS NOT NULL AND published <= ?" if known_on else ""
    extra: list[Any] = [known_on] if known_on else []
    cur = conn.execute(f"SELECT {_ASSERTION_COLUMNS} FROM channel_assertions WHERE channel_id = ?{where_known}", [channel_id, *extra])
    names = [d[0] for d in cur.description]
    out = [{**dict(zip(names, r, strict=True)), "inherited_from": None} for r in cur]
    ups = ancestors(conn, channel_id)
    if ups:
        marks = ",".join("?" * len(ups))
        cur = conn.execute(
            f"""SELECT {_ASSERTION_COLUMNS}, channel_id FROM channel_assertions
                WHERE channel_id IN ({marks}) AND status IN ({",".join("?" * len(INHERITED))}){where_known}""",
            [*ups, *INHERITED, *extra],
        )
        names = [d[0] for d in cur.description]
        for r in cur:
            row = dict(zip(names, r, strict=True))
            row["inherited_from"] = row.pop("channel_id")
            out.append(row)
    return out


def rebuild_timeline(conn: sqlite3.Connection, channel_id: str) -> None:
    intervals = build_timeline(timeline_assertions(conn, channel_id))
    conn.execute("DELETE FROM channel_intervals WHERE channel_id = ?", (channel_id,))
    conn.executemany(
        """INSERT INTO channel_intervals (channel_id, seq, state, status, start_date, end_date, last_held, assertions,
                                          sides, sources, contested, conflicts, start_precision, opened_by, inherited_from)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            (channel_id, iv["seq"], iv["state"], iv["status"], iv["start_date"], iv["end_date"], iv["last_held"],
             dumps(iv["assertions"]), dumps(iv["sides"]), iv["sources"], iv["contested"], dumps(iv["conflicts"]),
             iv["start_precision"], iv["opened_by"], iv["inherited_from"])
            for iv in intervals
        ],
    )
    conn.execute("UPDATE channels SET stale = 0 WHERE id = ?", (channel_id,))


def refresh_timelines(conn: sqlite3.Connection) -> int:
    """Rebuild the timeline of every channel with new assertions; each in its own
    transaction. Returns how many were rebuilt."""
    # a channel with new assertions, and every channel under it: members inherit its news
    stale = [r[0] for r in conn.execute(
        """WITH RECURSIVE down(id) AS (
               SELECT id FROM channels WHERE stale = 1
               UNION
               SELECT c.id FROM channels c JOIN down ON c.parent_id = down.id)
           SELECT id FROM down ORDER BY id"""
    )]
    for channel_id in stale:
        conn.execute("BEGIN IMMEDIATE")
        try:
            rebuild_timeline(conn, channel_id)
        except BaseException:
            conn.rollback()
            raise
        conn.commit()
    return len(stale)
