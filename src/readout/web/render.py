"""Presentation for the pages: the geometry of the inline SVG charts and the segments of a
document's text with its evidence spans, computed from the results of library functions (no
queries). The templates draw them; Jinja2 escapes every text, so no string built here is
trusted as HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from jinja2 import Environment

STATE_LABELS = {
    "active": "active",
    "suspended": "suspended",
    "resumption_pending": "resumption pending",
    "unknown": "unknown",
    "no_record": "no record",
}
KIND_LABELS = {"engagement": "engagement", "channel_status": "channel status", "statement": "statement", "event": "event"}


def day_of(value: str | None, *, end: bool = False) -> date | None:
    """'2023-12-21', '2023-12' or '2023' as a day (the first, or with ``end`` the last, of the period)."""
    if not value:
        return None
    parts = value[:10].split("-")
    try:
        y = int(parts[0])
        if len(parts) == 1:
            return date(y, 12, 31) if end else date(y, 1, 1)
        m = int(parts[1])
        if len(parts) == 2:
            if not end:
                return date(y, m, 1)
            return date(y + m // 12, m % 12 + 1, 1) - timedelta(days=1)
        return date(y, m, int(parts[2]))
    except (ValueError, IndexError):
        return None


# ------------------------------------------------------------------ the board's timeline chart
@dataclass
class Bar:
    x: float
    w: float
    cls: str
    title: str
    href: str = ""


@dataclass
class Row:
    label: str
    href: str
    y: float
    bars: list[Bar] = field(default_factory=list)


@dataclass
class Chart:
    width: int
    height: int
    left: int
    rows: list[Row]
    ticks: list[tuple[float, str]]
    marks: list[Bar]
    marks_y: float
    as_of_x: float | None
    as_of: str


def timeline_chart(board: dict[str, Any], *, width: int = 1000, left: int = 230, row_h: int = 26, years: int = 6) -> Chart:
    """Every channel's intervals as bars on one time axis, the dyad's engagements as marks on
    a row of their own, and a line at the board's date. ``board`` is ``DyadBoard.to_dict()``.

    The axis runs from the first date of a record no more than ``years`` years before the
    board's date (older bars start at the left edge; their hover text keeps their dates) to the last
    record or the board's date; an interval still open ends at the axis' last record."""
    as_of = day_of(board["as_of"]) or date.today()
    days: list[date] = [as_of]
    for t in board["timelines"]:
        for iv in t["intervals"]:
            for v in (day_of(iv["start_date"]), day_of(iv["end_date"], end=True)):
                if v:
                    days.append(v)
    for e in board["engagements"]:
        v = day_of(e["date"])
        if v:
            days.append(v)
    floor = date(as_of.year - years, 1, 1)
    recent = [d for d in days if d >= floor]
    lo = date(min(recent).year, 1, 1)
    last = max(days)
    hi = date(last.year + 1, 1, 1) if last.month > 6 else date(last.year, 7, 1)
    span = max(1, (hi - lo).days)
    inner = width - left - 40

    def x(d: date) -> float:
        return round(left + inner * (min(max(d, lo), hi) - lo).days / span, 1)

    rows: list[Row] = []
    y = 24.0
    for t in board["timelines"]:
        ch = t["channel"]
        row = Row(ch["name"], f"/channels/{ch['id']}", y)
        for iv in t["intervals"]:
            start = day_of(iv["start_date"])
            if start is None:
                continue
            end = day_of(iv["end_date"], end=True) if iv["end_date"] else max(last, start)
            x0, x1 = x(start), x(end or start)
            title = (f"{ch['name']}: {STATE_LABELS.get(iv['state'], iv['state'])} ({iv['status'].replace('_', ' ')}) "
                     f"from {iv['start_date']} to {iv['end_date'] or 'now'}"
                     + (f", last held {iv['last_held']}" if iv["last_held"] else "")
                     + f"; {iv['sources']} source{'s' if iv['sources'] != 1 else ''}, sides {', '.join(iv['sides']) or 'none'}"
                     + ("; contested" if iv["contested"] else ""))
            row.bars.append(Bar(x0, max(3.0, x1 - x0), f"state-{iv['state']}", title, row.href))
        rows.append(row)
        y += row_h
    marks_y = y + 4
    marks = []
    for e in board["engagements"]:
        d = day_of(e["date"])
        if d is None or d < lo:
            continue
        who = ", ".join(e["participants"]) or "participants not named"
        title = (f"{e['kind'].replace('_', ' ')} {e['date']}: {who}; {e['sources']} source{'s' if e['sources'] != 1 else ''}"
                 + (f", channel {e['channel']}" if e["channel"] else ""))
        marks.append(Bar(x(d) - 1.5, 3.0, f"mark-{e['kind']}", title, f"/engagements/{e['id']}"))
    ticks = [(x(date(year, 1, 1)), str(year)) for year in range(lo.year, hi.year + 1) if date(year, 1, 1) <= hi]
    height = int(marks_y + row_h + 20)
    return Chart(width, height, left, rows, ticks, marks, marks_y, x(as_of), as_of.isoformat())


# ------------------------------------------------------------------ the home page's small charts
@dataclass
class SparkBar:
    x: float
    y: float
    w: float
    h: float
    cls: str
    title: str


@dataclass
class Spark:
    width: int
    height: int
    mid: float
    bars: list[SparkBar]
    first: str
    last: str


def sparkline(series: list[dict[str, Any]], *, width: int = 220, height: int = 40) -> Spark:
    """The cooperation-conflict index per period as bars up (cooperation) or down (conflict)
    from a middle line; -10 and +10 are the edges, an empty period leaves a gap."""
    step = width / max(1, len(series))
    mid = height / 2
    bars = []
    for i, p in enumerate(series):
        mean = p["mean"]
        if mean is None:
            continue
        h = max(1.0, abs(mean) / 10 * (mid - 1))
        bars.append(SparkBar(round(i * step, 1), round(mid - h if mean >= 0 else mid, 1), round(max(1.0, step - 1), 1), round(h, 1),
                             "coop" if mean > 0 else "confl" if mean < 0 else "zero",
                             f"{p['period']}: index {mean:+.2f} over {p['n']} coded record{'s' if p['n'] != 1 else ''}"))
    return Spark(width, height, mid, bars, series[0]["period"] if series else "", series[-1]["period"] if series else "")


# ------------------------------------------------------------------ a document's highlighted text
@dataclass
class Segment:
    text: str
    kinds: list[str]
    records: list[int]
    anchors: list[int]


def segments(text: str, records: list[dict[str, Any]]) -> list[Segment]:
    """``text`` cut at every record's start and end: each piece with the kinds and the indexes
    (into ``records``) of the records whose evidence covers it, and the records that start there."""
    n = len(text)
    cuts = {0, n}
    spans = []
    for i, r in enumerate(records):
        s, e = max(0, min(n, int(r["start"]))), max(0, min(n, int(r["end"])))
        if e > s:
            cuts.update((s, e))
            spans.append((s, e, i))
    points = sorted(cuts)
    opens: dict[int, list[int]] = {}
    closes: dict[int, list[int]] = {}
    for s, e, i in spans:
        opens.setdefault(s, []).append(i)
        closes.setdefault(e, []).append(i)
    out: list[Segment] = []
    active: set[int] = set()
    for a, b in zip(points, points[1:], strict=False):
        active.difference_update(closes.get(a, ()))
        active.update(opens.get(a, ()))
        covering = sorted(active)
        out.append(Segment(text[a:b], sorted({records[i]["kind"] for i in covering}), covering, sorted(opens.get(a, []))))
    return out


def install(env: Environment) -> None:
    """Filters and globals the templates use."""
    env.filters["state_label"] = lambda s: STATE_LABELS.get(s or "", (s or "").replace("_", " "))
    env.filters["words"] = lambda s: (s or "").replace("_", " ")
    env.filters["signed"] = lambda v: "—" if v is None else f"{v:+.2f}"
    env.filters["dash"] = lambda v: "—" if v in (None, "", []) else (", ".join(map(str, v)) if isinstance(v, list) else v)
    env.globals["timeline_chart"] = timeline_chart
    env.globals["sparkline"] = sparkline
    env.globals["segments"] = segments
    env.globals["KIND_LABELS"] = KIND_LABELS
