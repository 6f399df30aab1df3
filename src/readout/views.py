"""Tables for people of the store's comparisons and dyads, built with rich.

Each function takes the result of one library function (``store.compare.compare``,
``store.dyads.dyads``, ``store.dyads.dyad_index``, ``demo.run_tracker_demo``) and returns a rich renderable; no I/O, no
queries. ``report.to_text`` turns any of them into plain text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from .report import CONTENT_CHARS, DASH, NONE_FOUND, abbreviate, board_table, ingest_summary, plural
from .store.compare import NO_SIDE, Comparison

if TYPE_CHECKING:
    from .demo import TrackerDemo

TERMS_SHOWN = 12  # terms per side in the emphasis and "only" lists
UNATTRIBUTED = "no side"


def _section(title: str, note: str = "") -> Group:
    head = Text(title, style="bold")
    if note:
        head.append(f"  {note}", style="dim")
    return Group(Text(""), Rule(head, align="left", style="dim"))


def _table(*columns: tuple[str, dict[str, Any]]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True, header_style="bold")
    for name, opts in columns:
        table.add_column(name, overflow="fold", **opts)
    return table


def _num(value: float | None) -> str:
    return DASH if value is None else f"{value:+.2f}"


def _terms_text(items: list[str], limit: int = TERMS_SHOWN) -> Text:
    if not items:
        return Text(DASH, style="dim")
    more = f" (+{len(items) - limit} more)" if len(items) > limit else ""
    return Text(", ".join(items[:limit]) + more)


# ------------------------------------------------------------------ compare
def compare_view(c: Comparison, *, explain: bool = False) -> RenderableType:
    """One engagement's two accounts: the engagement, tone, topics (a topic x side matrix with
    the terms each side used), emphasis (terms one side repeats, with counts), points both and
    only one made, then the statements by side and document."""
    a, b = c.sides
    e = c.engagement
    parts: list[RenderableType] = []
    who = ", ".join(p["name"] for p in e["participants"]) or DASH
    head = Text.assemble(
        (f"{e['kind'].replace('_', ' ')} · {e['date'] or '?'} · {e['dyad']}", "bold"), f"  {e['id']}\n",
        (f"{who}\n", ""),
        (f"{plural(e['sources'], 'source')}: " + "; ".join(
            f"{d['outlet'] or d['title'] or d['id']} ({d['side'] or 'press'}, {d['published'] or '?'})" for d in c.documents
        ), "dim"),
    )
    parts.append(head)

    # tone and size
    parts.append(_section("Tone", "mean PLOVER score of statements with an event type (-10 conflict … +10 cooperation)"))
    t = _table(("", {"style": "dim", "no_wrap": True}), (a, {"justify": "right"}), (b, {"justify": "right"}))
    t.expand = False
    t.add_row("mean score", _num(c.tone[a]["mean"]), _num(c.tone[b]["mean"]))
    t.add_row("coded statements", str(c.tone[a]["n"]), str(c.tone[b]["n"]))
    t.add_row("event types", ", ".join(f"{k} {v}" for k, v in c.tone[a]["event_types"].items()) or DASH,
              ", ".join(f"{k} {v}" for k, v in c.tone[b]["event_types"].items()) or DASH)
    counted = {s: sum(1 for x in c.statements if x["side"] == s and not x["duplicate_of"]) for s in c.sides}
    t.add_row("statements", str(counted[a]), str(counted[b]))
    t.add_row("words", str(c.words[a]), str(c.words[b]))
    parts.append(t)
    if explain:
        parts.append(_section("Behind the tone", "each side's statements with an event type, and their scores"))
        t = _table(("side", {"no_wrap": True}), ("score", {"justify": "right", "no_wrap": True}), ("type", {"no_wrap": True}),
                   ("speaker", {"ratio": 1}), ("said", {"ratio": 4}))
        for side, recs in c.tone_records().items():
            for r in recs:
                kind = r["event_type"] + (f"/{r['event_mode']}" if r["event_mode"] else "")
                t.add_row(side, _num(r["score"]), kind, r["speaker_name"] or DASH, (r["content"] or "")[:200])
        parts.append(t)

    # topics
    parts.append(_section("Topics", "statements of each side that raised it; the topic terms each used"))
    if not c.topics:
        parts.append(Text(f"  {NONE_FOUND}", style="dim italic"))
    else:
        t = _table(("topic", {"ratio": 3}), (a, {"justify": "right", "no_wrap": True}), (b, {"justify": "right", "no_wrap": True}),
                   ("raised by", {"no_wrap": True}), (f"{a} said", {"ratio": 4}), (f"{b} said", {"ratio": 4}))
        for row in c.topics:
            made = Text(row["made_by"], style="bold" if row["made_by"] != "both" else "")
            t.add_row(row["label"], str(row["counts"][a]) or DASH, str(row["counts"][b]), made,
                      _terms_text(row["terms"][a], 6), _terms_text(row["terms"][b], 6))
        parts.append(t)

    # emphasis
    parts.append(_section("Emphasis", "terms a side repeats clearly more than the other (count, per 1,000 words)"))
    t = _table((a, {"ratio": 1}), (b, {"ratio": 1}))
    cols = []
    for side, other in ((a, b), (b, a)):
        cell = Text()
        for i, term in enumerate(c.emphasis(side)[:TERMS_SHOWN]):
            if i:
                cell.append("\n")
            cell.append(term["label"], style="bold")
            cell.append(f" ×{term['counts'][side]}  ({term['rates'][side]:g} vs {term['rates'][other]:g}; {other} ×{term['counts'][other]})", style="dim")
        extra = len(c.emphasis(side)) - TERMS_SHOWN
        if extra > 0:
            cell.append(f"\n(+{extra} more)", style="dim")
        cols.append(cell if cell.plain else Text(DASH, style="dim"))
    t.add_row(*cols)
    parts.append(t)

    # points
    pts = c.points()
    parts.append(_section("Points", "by topic and by key term"))
    t = _table(("", {"style": "dim", "no_wrap": True}), ("topics", {"ratio": 2}), ("key terms", {"ratio": 3}))
    labels = {r["topic"]: r["label"] for r in c.topics}
    term_labels = {r["term"]: r["label"] for r in c.terms}
    t.add_row("both", _terms_text([labels.get(x, x) for x in pts["both"]["topics"]]),
              _terms_text([term_labels.get(x, x) for x in pts["both"]["terms"]]))
    for side in c.sides:
        only = pts["only"][side]
        t.add_row(f"only {side}", _terms_text([labels.get(x, x) for x in only["topics"]]),
                  _terms_text([term_labels.get(x, x) for x in only["terms"]]))
    parts.append(t)

    # statements
    groups = c.statements_by()
    docs = {d["id"]: d for d in c.documents}
    parts.append(_section("Statements", f"{len(c.statements)}; ○ attached by reading order, not linked; = repeats another"))
    for side in [a, b, *sorted(k for k in groups if k not in (a, b, NO_SIDE)), NO_SIDE]:
        by_doc = groups.get(side)
        if not by_doc:
            continue
        for doc_id, rows in by_doc.items():
            d = docs.get(doc_id)
            src = f"{d['outlet'] or d['title'] or doc_id} ({d['side'] or 'press'}, {d['published'] or '?'})" if d else doc_id
            label = UNATTRIBUTED if side == NO_SIDE else side
            parts.append(Text.assemble((label, "bold"), f" in {src}: ", plural(len(rows), "statement")))
            t = _table(("", {"no_wrap": True, "width": 2}), ("speaker", {"ratio": 2}), ("content", {"ratio": 6}), ("topics · event", {"ratio": 3}))
            for s in rows:
                mark = "=" if s["duplicate_of"] else ("○" if not s["linked"] else "")
                tags = Text(", ".join(s["topics"]))
                event = "/".join(x for x in (s["event_type"], s["event_mode"]) if x)
                if event:
                    tags.append(("\n" if s["topics"] else "") + f"{event} {_num(s['score'])}", style="bold")
                t.add_row(Text(mark, style="dim"), Text(s["speaker_name"] or DASH), Text(abbreviate(s["content"], CONTENT_CHARS)),
                          tags if tags.plain else Text(DASH, style="dim"))
            parts.append(t)
    return Group(*parts)


# ------------------------------------------------------------------ dyads
def dyads_view(rows: Sequence[dict[str, Any]]) -> RenderableType:
    """Every dyad: record counts and the cooperation-conflict index (``store.dyads.dyads``)."""
    t = Table(title=Text("Dyads", style="bold"), title_justify="left", box=box.SIMPLE_HEAD, header_style="bold")
    for name, justify in (("dyad", "left"), ("docs", "right"), ("engagements", "right"), ("channel status", "right"),
                          ("statements", "right"), ("events", "right"), ("first", "left"), ("last", "left"),
                          ("index", "right"), ("n", "right"), ("coop/confl", "right")):
        t.add_column(name, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    for r in rows:
        t.add_row(r["dyad"], str(r["documents"]), str(r["engagements"]), str(r["channel_assertions"]), str(r["statements"]),
                  str(r["events"]), r["first"] or DASH, r["last"] or DASH, _num(r["mean"]), str(r["n"]),
                  f"{r['cooperation']}/{r['conflict']}")
    if not rows:
        return Group(t, Text(f"  {NONE_FOUND}", style="dim italic"))
    return Group(t, Text("index: mean PLOVER score of coded events and statements (-10 conflict … +10 cooperation); "
                         "n: how many; coop/confl: how many above/below zero", style="dim"))


def dyad_index_view(rows: Sequence[dict[str, Any]]) -> RenderableType:
    """One dyad's index per period (``store.dyads.dyad_index``), with a bar for the mean."""
    title = f"{rows[0]['dyad']}: cooperation-conflict index" if rows else "Cooperation-conflict index"
    t = Table(title=Text(title, style="bold"), title_justify="left", box=box.SIMPLE_HEAD, header_style="bold")
    for name, justify in (("period", "left"), ("mean", "right"), ("", "left"), ("n", "right"), ("sum", "right"),
                          ("events", "right"), ("statements", "right"), ("docs", "right")):
        t.add_column(name, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    for r in rows:
        t.add_row(r["period"], _num(r["mean"]), _bar(r["mean"]), str(r["n"]), f"{r['sum']:+g}" if r["n"] else DASH,
                  f"{r['events_n']}/{r['events']}", f"{r['statements_n']}/{r['statements']}", str(r["documents"]))
    if not rows:
        return Group(t, Text(f"  {NONE_FOUND}", style="dim italic"))
    return Group(t, Text("events, statements: coded/all; mean: PLOVER score (-10 conflict … +10 cooperation)", style="dim"))


def dyads_explain_view(rows: Sequence[dict[str, Any]]) -> RenderableType:
    """The records behind the index (``store.dyads.explain``): per dyad (and period), each coded
    event and statement with its score, or why it is left out."""
    t = Table(title=Text("Behind the index", style="bold"), title_justify="left", box=box.SIMPLE_HEAD, header_style="bold")
    for name, justify in (("dyad", "left"), ("period", "left"), ("day", "left"), ("score", "right"), ("record", "left"),
                          ("who → whom", "left"), ("evidence", "left")):
        t.add_column(name, justify=justify, no_wrap=name not in ("evidence", "who → whom"))  # type: ignore[arg-type]
    for r in rows:
        kind = f"{r['kind']} {r['type']}" + (f"/{r['mode']}" if r["mode"] else "")
        score = _num(r["score"]) if r["counted"] else Text(f"({r['left_out']})", style="dim")
        who = f"{r['source'] or '?'} → {r['target'] or '?'}"
        text = r["text"] or ""
        t.add_row(r["dyad"], r["period"] or DASH, r["day"] or DASH, score, kind, who, text[:160] + ("…" if len(text) > 160 else ""))
    if not rows:
        return Group(t, Text(f"  {NONE_FOUND}", style="dim italic"))
    return Group(t, Text("score: PLOVER score counted in the index; in brackets: listed but not counted, and why", style="dim"))


def _bar(mean: float | None, width: int = 10) -> Text:
    """A bar from the middle: left (red) for conflict, right (green) for cooperation."""
    if mean is None:
        return Text(" " * (2 * width + 1))
    n = min(width, round(abs(mean) / 10 * width)) or (1 if mean else 0)
    left = ("█" * n if mean < 0 else "").rjust(width)
    right = ("█" * n if mean > 0 else "").ljust(width)
    return Text.assemble((left, "red"), ("│", "dim"), (right, "green"))


def tracker_demo(result: TrackerDemo) -> Group:
    """The demo: what was ingested, each dyad's channel board, one comparison."""
    db = result.summary.db
    parts: list[RenderableType] = [ingest_summary(result.summary)]
    for dyad, rows in result.boards.items():
        parts.extend([Rule(f"{dyad}", style="dim"), board_table(rows)])
    if result.comparison is not None:
        parts.extend([Rule("One engagement, two accounts", style="dim"), compare_view(result.comparison)])
    parts.append(Text(
        f"\nExplore it: readout channels --dyad CHN-USA --as-of 2023-12-22 --db {db}\n"
        f"            readout timeline chn-usa-mmca --db {db}\n"
        f"            readout engagements --dyad CHN-USA --db {db}\n"
        f"            sqlite3 {db}   (or: datasette {db})",
        style="dim",
    ))
    return Group(*parts)
