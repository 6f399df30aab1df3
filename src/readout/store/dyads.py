"""Dyads: every pair of countries the store has records of, with counts, and a
cooperation-conflict index over time.

``dyads(store, since, until)`` lists each dyad with the number of documents, engagements,
channel assertions, statements and events that concern it, and its index over the whole span.
``dyad_index(store, dyad, by="month")`` gives one dyad's index per month (or quarter, or
year); with ``fill=True`` the gaps are filled with empty periods so the series plots as it is.

Which records belong to a dyad, and when
    - engagements: ``engagements.dyad``, dated by their first possible day (``date_start``,
      else ``date``, else the first report's publication);
    - channel assertions: ``channel_assertions.dyad``, dated where the timeline places them
      (``effective_date``);
    - events: ``events.dyad`` (source and target countries differ), dated by their own date
      when it is known to the day or month, else by publication; only asserted events (an
      event marked future, planned or hypothetical has not happened, and is left out);
    - statements: the dyad of the engagement they are linked to, unless the speaker's side is a
      third country; else the speaker's side with the addressee's country, when both are known
      and differ. Dated by their engagement's date, else by publication.
    - documents: the distinct documents behind all of the above.

The index (PLOVER scores, -10 most conflictual to +10 most cooperative)
    Each coded record - an event with a score, a statement with an event type and so a score -
    adds its score. Per period: ``n`` coded records, ``sum`` of their scores, ``mean`` = sum /
    n (None when n = 0), ``cooperation`` and ``conflict`` the number with a score above and
    below zero, and the same n and mean for events and statements apart. Records are reports:
    one event told by three documents weighs three times, as in GDELT's mention counts.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..errors import NotFoundError, OptionError
from . import aggregate
from .db import Store
from .queries import date_window, normalize_dyad

PERIODS = ("month", "quarter", "year")


# ------------------------------------------------------------------ the records of every dyad
_DETAIL_COLUMNS = ("type", "mode", "source", "target", "text", "start", "end", "modality")


def records(store: Store, dyad: str | None = None, *, detail: bool = False) -> list[dict[str, Any]]:
    """Every dyad record (of ``dyad`` only, if given) as ``{kind, id, dyad, document_id, day,
    score}``; see the module docstring for which records and which dates. ``day`` is ISO text
    of a day, month or year. A statement coded with the same PLOVER type as an asserted event
    of the same sentence (the accusation both told as a statement and coded as an event) is the
    same act: its score is counted once, with the event. With ``detail``, each record also has
    ``type, mode, source, target, text`` (the evidence), ``counted`` and, when it is not,
    ``left_out`` saying why, and the events that have not happened (future, planned,
    hypothetical) are listed too, not counted."""
    queries = [
        """SELECT 'engagement' AS kind, e.id, e.dyad, es.document_id,
                  coalesce(e.date_start, e.date, e.first_reported) AS day, NULL AS score,
                  e.kind AS type, e.status AS mode, NULL AS source, NULL AS target, es.evidence AS text,
                  NULL AS start, NULL AS "end", NULL AS modality
           FROM engagements e JOIN engagement_sources es ON es.engagement_id = e.id""",
        """SELECT 'channel_assertion' AS kind, id, dyad, document_id, coalesce(effective_date, published) AS day, NULL AS score,
                  status AS type, channel_id AS mode, side AS source, NULL AS target, evidence AS text,
                  NULL AS start, NULL AS "end", NULL AS modality
           FROM channel_assertions WHERE dyad IS NOT NULL""",
        """SELECT 'event' AS kind, id, dyad, document_id,
                  CASE WHEN date IS NOT NULL AND date_precision IN ('day', 'month') THEN date ELSE published END AS day,
                  score, type, mode, coalesce(source_name, source_country) AS source,
                  coalesce(target_name, target_country) AS target, evidence AS text, start, "end", modality
           FROM events WHERE dyad IS NOT NULL""" + ("" if detail else " AND modality IS NULL"),
        """SELECT 'statement' AS kind, s.id, s.document_id, s.score, s.event_type,
                  s.event_type AS type, s.event_mode AS mode, coalesce(s.speaker_name, s.side) AS source,
                  a.name AS target, s.content AS text, s.start, s."end", NULL AS modality,
                  CASE WHEN e.dyad IS NOT NULL AND (s.side IS NULL OR instr(e.dyad, s.side) > 0)
                       THEN e.dyad
                       WHEN s.side IS NOT NULL AND a.country IS NOT NULL AND s.side <> a.country
                       THEN CASE WHEN s.side < a.country THEN s.side || '-' || a.country ELSE a.country || '-' || s.side END
                  END AS dyad,
                  CASE WHEN e.dyad IS NOT NULL AND (s.side IS NULL OR instr(e.dyad, s.side) > 0)
                       THEN coalesce(e.date_start, e.date, s.published) ELSE s.published END AS day
           FROM statements s
           LEFT JOIN engagements e ON e.id = s.engagement_id
           LEFT JOIN actors a ON a.id = s.addressee_id""",
    ]
    out: list[dict[str, Any]] = []
    for sql in queries:
        if dyad is None:
            out += store.rows(sql)
        else:
            out += store.rows(f"SELECT * FROM ({sql}) WHERE dyad = ?", (dyad,))
    # the sentences of asserted events, by document and type: a statement of the same type there is the same act
    told: dict[tuple[str, str, str], list[tuple[int, int, str]]] = defaultdict(list)
    for r in out:
        if r["kind"] == "event" and not r["modality"] and r["start"] is not None:
            told[(r["document_id"], r["type"], r["dyad"])].append((r["start"], r["end"], r["id"]))
    kept: list[dict[str, Any]] = []
    for r in out:
        if not r["dyad"]:
            continue
        left_out = None
        if r["kind"] == "statement" and not r.pop("event_type"):
            r["score"] = None
        elif r["kind"] == "statement" and r["score"] is not None:
            same = next((eid for a, b, eid in told.get((r["document_id"], r["type"], r["dyad"]), []) if a <= r["start"] < b), None)
            if same is not None:
                r["score"] = None
                left_out = f"the same act as event {same}, counted there"
        if r["kind"] == "event" and r["modality"]:
            left_out = f"{r['modality']}: not happened yet"
            r["score"] = None
        if detail:
            r["counted"] = r["score"] is not None
            r["left_out"] = left_out
        else:
            for c in _DETAIL_COLUMNS:
                r.pop(c, None)
        kept.append(r)
    return kept


def _in_range(day: str | None, since: str | None, until: str | None) -> bool:
    if since is None and until is None:
        return True
    r = aggregate.date_range(day, None) if day else None
    if r is None:
        return False  # an undated record is outside any range asked for
    return (since is None or r[1].isoformat() >= since) and (until is None or r[0].isoformat() <= until)


def _counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {
        "documents": len({r["document_id"] for r in rows}),
        "engagements": len({r["id"] for r in rows if r["kind"] == "engagement"}),
        "channel_assertions": sum(1 for r in rows if r["kind"] == "channel_assertion"),
        "statements": sum(1 for r in rows if r["kind"] == "statement"),
        "events": sum(1 for r in rows if r["kind"] == "event"),
    }


def _index(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """n, sum, mean, cooperation and conflict of the coded records, and events/statements apart."""
    coded = [r for r in rows if r["score"] is not None]
    total = sum(float(r["score"]) for r in coded)
    out: dict[str, Any] = {
        "n": len(coded),
        "sum": round(total, 2),
        "mean": round(total / len(coded), 2) if coded else None,
        "cooperation": sum(1 for r in coded if r["score"] > 0),
        "conflict": sum(1 for r in coded if r["score"] < 0),
    }
    for kind, name in (("event", "events"), ("statement", "statements")):
        part = [float(r["score"]) for r in coded if r["kind"] == kind]
        out[f"{name}_n"] = len(part)
        out[f"{name}_mean"] = round(sum(part) / len(part), 2) if part else None
    return out


# ------------------------------------------------------------------ dyads
def dyads(store: Store, since: str | None = None, until: str | None = None) -> list[dict[str, Any]]:
    """Every dyad with records in ``[since, until]``: counts and the index over that span,
    most documented first. Each row: dyad, documents, engagements, channel_assertions,
    statements, events, first, last, and the index fields (n, sum, mean, cooperation,
    conflict, events_n, events_mean, statements_n, statements_mean)."""
    lo, hi = date_window(since, until)
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records(store):
        if _in_range(r["day"], lo, hi):
            groups[r["dyad"]].append(r)
    rows = []
    for dyad, rs in groups.items():
        days = sorted(r["day"] for r in rs if r["day"])
        rows.append({
            "dyad": dyad,
            **_counts(rs),
            "first": days[0] if days else None,
            "last": days[-1] if days else None,
            **_index(rs),
        })
    rows.sort(key=lambda r: (-r["documents"], -r["n"], r["dyad"]))
    return rows


def _period(day: str | None, by: str) -> str | None:
    """'2023-12-21' -> '2023-12' (month), '2023-Q4' (quarter), '2023' (year); None when the
    date is coarser than the period."""
    if not day:
        return None
    parts = day.split("-")
    if by == "year":
        return parts[0]
    if len(parts) < 2:
        return None
    if by == "quarter":
        return f"{parts[0]}-Q{(int(parts[1]) - 1) // 3 + 1}"
    return f"{parts[0]}-{parts[1]}"


def _next(period: str, by: str) -> str:
    if by == "year":
        return str(int(period) + 1)
    if by == "quarter":
        year, quarter = (int(x) for x in period.split("-Q"))
        return f"{year + quarter // 4}-Q{quarter % 4 + 1}"
    year, month = (int(x) for x in period.split("-"))
    return f"{year + month // 12}-{month % 12 + 1:02d}"


def dyad_index(
    store: Store,
    dyad: str,
    by: str = "month",
    since: str | None = None,
    until: str | None = None,
    *,
    fill: bool = False,
) -> list[dict[str, Any]]:
    """One dyad's cooperation-conflict index per period with records, oldest first; with
    ``fill`` every period from the first to the last, empty ones with n = 0 and mean None (a
    series to plot as it is). Each row: dyad, period, the index fields and the record counts
    of ``dyads``, for the period.

    ``by`` is month, quarter or year. A dyad with no records at all is an ``OptionError`` that
    says how to list the dyads there are."""
    if by not in PERIODS:
        raise OptionError(f"--by {by!r}: give one of {', '.join(PERIODS)}")
    key = normalize_dyad(dyad)
    lo, hi = date_window(since, until)
    mine = records(store, key)
    if not mine:
        raise NotFoundError(f"dyad {key}: no records of it in {store.path}: list the dyads there are with 'readout dyads'")
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in mine:
        p = _period(r["day"], by)
        if p is not None and _in_range(r["day"], lo, hi):
            groups[p].append(r)
    if not groups:
        return []
    periods = sorted(groups)
    if fill:
        period, periods = periods[0], [periods[0]]
        while period != sorted(groups)[-1]:
            period = _next(period, by)
            periods.append(period)
    return [{"dyad": key, "period": p, **_index(groups.get(p, [])), **_counts(groups.get(p, []))} for p in periods]


def explain(
    store: Store, dyad: str | None = None, by: str | None = None, since: str | None = None, until: str | None = None
) -> list[dict[str, Any]]:
    """The coded events and statements behind each figure of ``dyads`` (or, with ``dyad`` and
    ``by``, of ``dyad_index``): one row per record, in dyad, period and date order, each with its
    score, whether it is ``counted`` (and why not: ``left_out``), its PLOVER type and mode, who
    acted (or spoke) and on whom, the evidence text and its document. Events that have not
    happened (future, planned, hypothetical) and statements that repeat an event of the same
    sentence are listed, not counted."""
    if by is not None and by not in PERIODS:
        raise OptionError(f"--by {by!r}: give one of {', '.join(PERIODS)}")
    key = normalize_dyad(dyad) if dyad else None
    lo, hi = date_window(since, until)
    rows = []
    for r in records(store, key, detail=True):
        if r["kind"] not in ("event", "statement") or (r["kind"] == "statement" and not r["type"]):
            continue
        if not _in_range(r["day"], lo, hi):
            continue
        rows.append({
            "dyad": r["dyad"], "period": _period(r["day"], by) if by else None, "day": r["day"], "kind": r["kind"],
            "score": r["score"] if r["counted"] else None, "counted": r["counted"], "left_out": r["left_out"],
            "type": r["type"], "mode": r["mode"], "source": r["source"], "target": r["target"], "modality": r["modality"],
            "text": r["text"], "document_id": r["document_id"], "id": r["id"],
        })
    if key is not None and not rows and not records(store, key):
        raise NotFoundError(f"dyad {key}: no records of it in {store.path}: list the dyads there are with 'readout dyads'")
    rows.sort(key=lambda r: (r["dyad"], r["period"] or "", r["day"] or "", r["kind"], r["id"]))
    return rows


# the columns of the rows of ``dyads`` and ``dyad_index`` (the CSV header of an empty result)
DYAD_COLUMNS = ("dyad", *_counts([]), "first", "last", *_index([]))
INDEX_COLUMNS = ("dyad", "period", *_index([]), *_counts([]))
EXPLAIN_COLUMNS = ("dyad", "period", "day", "kind", "score", "counted", "left_out", "type", "mode", "source", "target",
                   "modality", "text", "document_id", "id")
