"""Reports for people: what readout found in a document, laid out with rich.

Every function here builds a rich renderable from records (``Analysis``, ``Registry``) and
nothing else: no I/O, no extraction. ``render_text`` turns any of them into plain text (no
colour codes unless asked), so the same report reads well in a terminal, in a pipe and in a
file.

>>> print(render_text(analysis))  # doctest: +SKIP
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from .records import Analysis, DateValue, Event, Span, Statement

if TYPE_CHECKING:
    from .registry import Registry
    from .shards import CorpusSummary
    from .store.ingest import IngestSummary
    from .store.maintain import BackupResult, CheckReport, RebuildSummary
    from .store.queries import Timeline

NO_PUBLISHED_HINT = 'no publication date: pass --published YYYY-MM-DD so that "on Thursday" can be resolved'
NONE_FOUND = "none found"
DASH = "—"
CONTENT_CHARS = 220  # a statement's content is cut to this many characters
EVIDENCE_CHARS = 180


# ---------------------------------------------------------------- small formatters
def abbreviate(text: str, limit: int) -> str:
    """Collapse whitespace and cut ``text`` to ``limit`` characters, ending with an ellipsis."""
    flat = re.sub(r"\s+", " ", text).strip()
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


def format_date(date: DateValue | None) -> str:
    """'2023-12-21 [Thursday]': the resolved value with the text it was read from."""
    if date is None:
        return DASH
    raw = abbreviate(date.raw, 40)
    value = date.value or "?"
    relation = f"{date.relation} " if date.relation else ""
    shown = f"{relation}{value}"
    if raw and raw != date.value:
        shown += f" [{raw}]"
    return shown


def format_evidence(spans: Sequence[Span], limit: int = EVIDENCE_CHARS) -> str:
    """The first evidence span, quoted and abbreviated, with its character offsets."""
    if not spans:
        return DASH
    first = spans[0]
    more = f" (+{len(spans) - 1} more)" if len(spans) > 1 else ""
    return f"“{abbreviate(first.text, limit)}” @{first.start}–{first.end}{more}"


def actor_label(analysis: Analysis, actor_id: str | None) -> str:
    """'Liu Zhenli (CHN)': an actor's name with the country it belongs to; the id if unknown."""
    if not actor_id:
        return DASH
    actor = analysis.actor(actor_id)
    if actor is None:
        return actor_id
    if actor.country and actor.country != actor.name:
        return f"{actor.name} ({actor.country})"
    return actor.name


def country_label(analysis: Analysis, code: str | None) -> str:
    """'China (CHN)' when the document mentions the state, else the code."""
    if not code:
        return DASH
    for actor in analysis.actors:
        if actor.kind == "state" and (actor.id == code or actor.country == code):
            return f"{actor.name} ({code})" if actor.name != code else code
    return code


def channel_label(analysis: Analysis, channel_id: str | None) -> str:
    if not channel_id:
        return DASH
    for status in analysis.channel_status:
        if status.channel == channel_id and status.channel_name:
            return status.channel_name
    return channel_id


def _field(value: str | None, reasons: dict[str, str], name: str) -> Text:
    """A field's value, or a dash with the reason it is empty."""
    if value:
        return Text(value)
    reason = reasons.get(name)
    return Text(f"{DASH} ({reason})", style="dim") if reason else Text(DASH, style="dim")


def _section(title: str, count: int) -> Group:
    return Group(Text(""), Rule(Text(f"{title} ({count})", style="bold"), align="left", style="dim"))


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def _none() -> Text:
    return Text(f"  {NONE_FOUND}", style="dim italic")


def _table(*columns: tuple[str, dict[str, object]]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True, header_style="bold")
    for name, opts in columns:
        table.add_column(name, overflow="fold", **opts)  # type: ignore[arg-type]
    return table


# ---------------------------------------------------------------- one document
def header(analysis: Analysis) -> Panel:
    doc = analysis.document
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row("outlet", Text(doc.outlet or DASH))
    if doc.published:
        grid.add_row("published", Text(doc.published))
    else:
        grid.add_row("published", Text(f"{DASH} ({NO_PUBLISHED_HINT})", style="yellow"))
    if doc.url:
        grid.add_row("url", Text(doc.url))
    grid.add_row("id", Text(doc.id))
    grid.add_row("chars", Text(f"{len(doc.text):,}"))
    if analysis.model:
        grid.add_row("model", Text(f"{analysis.model} (readout {analysis.version or '?'})"))
    for warning in doc.warnings:
        grid.add_row("warning", Text(warning, style="yellow"))
    grid.add_row("found", Text(counts_line(analysis)))
    title = Text(doc.title or "(untitled document)", style="bold")
    return Panel(grid, title=title, title_align="left", box=box.ROUNDED)


def counts_line(analysis: Analysis) -> str:
    return " · ".join(
        [
            plural(len(analysis.actors), "actor"),
            plural(len(analysis.engagements), "engagement"),
            plural(len(analysis.channel_status), "channel status", "channel statuses"),
            plural(len(analysis.statements), "statement"),
            plural(len(analysis.events), "event"),
        ]
    )


def engagements(analysis: Analysis) -> RenderableType:
    items: list[RenderableType] = [_section("Engagements", len(analysis.engagements))]
    if not analysis.engagements:
        items.append(_none())
    for n, e in enumerate(analysis.engagements, 1):
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(overflow="fold")
        grid.add_row("participants", _field(", ".join(actor_label(analysis, p) for p in e.participants), e.reasons, "participants"))
        grid.add_row("dyad", _field(" – ".join(e.dyad), e.reasons, "dyad"))
        grid.add_row("initiator", _field(actor_label(analysis, e.initiator) if e.initiator else None, e.reasons, "initiator"))
        grid.add_row("medium", _field(e.medium, e.reasons, "medium"))
        grid.add_row("location", _field(e.location, e.reasons, "location"))
        grid.add_row("channel", _field(channel_label(analysis, e.channel) if e.channel else None, e.reasons, "channel"))
        grid.add_row("first since", _field(format_date(e.first_since) if e.first_since else None, e.reasons, "first_since"))
        if e.date is None or e.date.value is None:
            reason = e.reasons.get("date") or (e.date.reason if e.date else None)
            if reason:
                grid.add_row("date", Text(f"{DASH} ({reason})", style="dim"))
        grid.add_row("evidence", Text(format_evidence(e.evidence)))
        grid.add_row("rule", Text(f"{e.rule} · {e.id}", style="dim"))
        when = format_date(e.date) if e.date else "no date"
        title = Text(f"E{n} · {e.kind.replace('_', ' ')} · {when}", style="bold")
        items.append(Panel(grid, title=title, title_align="left", box=box.SQUARE))
    return Group(*items)


def channel_status(analysis: Analysis) -> RenderableType:
    items: list[RenderableType] = [_section("Channel status", len(analysis.channel_status))]
    if not analysis.channel_status:
        items.append(_none())
        return Group(*items)
    table = _table(
        ("Channel", {"ratio": 3}),
        ("Status · date", {"ratio": 3}),
        ("Asserted by · side", {"ratio": 3}),
        ("Evidence", {"ratio": 5}),
    )
    for c in analysis.channel_status:
        name = c.channel_name or c.channel
        status = Text(c.status.replace("_", " "), style="bold")
        status.append(f"\n{format_date(c.date)}")
        who = _field(actor_label(analysis, c.asserted_by) if c.asserted_by else None, c.reasons, "asserted_by")
        who.append(f"\nside: {c.side or DASH}", style="dim")
        table.add_row(
            Text(name + (" (generic)" if c.generic else "")),
            status,
            who,
            Text(format_evidence(c.evidence, 140)),
        )
    items.append(table)
    return Group(*items)


def statements_by_side(analysis: Analysis) -> list[tuple[str | None, list[Statement]]]:
    """Statements grouped by the side they speak for, sides in order of first appearance
    and statements of no known side last."""
    groups: dict[str | None, list[Statement]] = {}
    for s in sorted(analysis.statements, key=lambda s: s.content_span.start):
        groups.setdefault(s.side, []).append(s)
    ordered: list[tuple[str | None, list[Statement]]] = [(k, v) for k, v in groups.items() if k is not None]
    if None in groups:
        ordered.append((None, groups[None]))
    return ordered


def statements(analysis: Analysis) -> RenderableType:
    items: list[RenderableType] = [_section("Statements", len(analysis.statements))]
    if not analysis.statements:
        items.append(_none())
        return Group(*items)
    for side, group in statements_by_side(analysis):
        label = f"Side: {country_label(analysis, side)}" if side else "Side not known"
        items.append(Text(f"{label}: {plural(len(group), 'statement')}", style="bold"))
        table = _table(("Speaker · cue", {"ratio": 3}), ("Content", {"ratio": 6}), ("Topics · event", {"ratio": 4}))
        for s in group:
            speaker = s.speaker_name or (actor_label(analysis, s.speaker) if s.speaker else None)
            who = _field(speaker, s.reasons, "speaker")
            who.append(Text(f"\n{s.cue or DASH} · {s.kind}", style="dim"))
            tags = Text(", ".join(s.topics))
            event = "/".join(x for x in (s.event_type, s.event_mode) if x)
            if event:
                tags.append(("\n" if s.topics else "") + event, style="bold")
            table.add_row(who, Text(abbreviate(s.content, CONTENT_CHARS)), tags if tags.plain else Text(DASH, style="dim"))
        items.append(table)
    return Group(*items)


def _event_kind(e: Event) -> str:
    parts = [e.type]
    if e.mode:
        parts.append(e.mode)
    out = "/".join(parts)
    return f"{out}\nCAMEO {e.cameo}" if e.cameo else out


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _amounts(e: Event) -> str:
    parts = []
    if e.amount:
        parts.append(f"{_number(e.amount.value)} {e.amount.currency}")
    if e.quantity:
        parts.append(f"{_number(e.quantity.value)} {e.quantity.unit}")
    return "\n".join(parts) or DASH


def events(analysis: Analysis) -> RenderableType:
    items: list[RenderableType] = [_section("Events", len(analysis.events))]
    if not analysis.events:
        items.append(_none())
        return Group(*items)
    table = _table(
        ("Event", {"ratio": 3}),
        ("Source → target", {"ratio": 3}),
        ("Amount · date", {"ratio": 3}),
        ("Evidence", {"ratio": 5}),
    )
    for e in analysis.events:
        table.add_row(
            Text(_event_kind(e)),
            Text(f"{actor_label(analysis, e.source)}\n→ {actor_label(analysis, e.target)}"),
            Text(f"{_amounts(e)}\n{format_date(e.date)}"),
            Text(format_evidence(e.evidence, 140)),
        )
    items.append(table)
    return Group(*items)


def analysis_report(analysis: Analysis) -> Group:
    """The full report of one document: header, engagements, channel status, statements by
    side, events. Empty sections say "none found"."""
    return Group(header(analysis), engagements(analysis), channel_status(analysis), statements(analysis), events(analysis))


# ---------------------------------------------------------------- many documents (demo)
def compact(analysis: Analysis, number: int | None = None) -> Group:
    """A few lines per document: title, source, then one line per engagement and channel
    status, and the statements and events counted by side and type."""
    doc = analysis.document
    head = Text(f"{number}. " if number is not None else "", style="bold")
    head.append(doc.title or "(untitled document)", style="bold")
    source = " · ".join(x for x in (doc.outlet, doc.published or "no publication date", doc.id) if x)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    for e in analysis.engagements:
        who = " ↔ ".join(actor_label(analysis, p) for p in e.participants) or DASH
        extra = f" [{channel_label(analysis, e.channel)}]" if e.channel else ""
        when = f" {format_date(e.date)}" if e.date else ""
        grid.add_row("engagement", Text(f"{e.kind.replace('_', ' ')}{when}: {who}{extra}"))
    for c in analysis.channel_status:
        by = f" — {actor_label(analysis, c.asserted_by)}" if c.asserted_by else ""
        when = f" {format_date(c.date)}" if c.date else ""
        grid.add_row("channel", Text(f"{c.status.replace('_', ' ')}: {c.channel_name or c.channel}{when}{by}"))
    if analysis.statements:
        sides = ", ".join(f"{side or '?'} {len(group)}" for side, group in statements_by_side(analysis))
        grid.add_row("statements", Text(f"{len(analysis.statements)} ({sides})"))
    if analysis.events:
        kinds: dict[str, int] = {}
        for ev in analysis.events:
            kinds[ev.type] = kinds.get(ev.type, 0) + 1
        grid.add_row("events", Text(f"{len(analysis.events)} (" + ", ".join(f"{k} {v}" for k, v in kinds.items()) + ")"))
    if not grid.row_count:
        grid.add_row("", Text(NONE_FOUND, style="dim italic"))
    return Group(head, Padding(Group(Text(source, style="dim"), grid), (0, 0, 0, 3)))


def summary_table(analyses: Sequence[Analysis]) -> Table:
    """One row per document with its counts, and a total row."""
    table = Table(title=Text("Summary", style="bold"), title_justify="left", box=box.SIMPLE_HEAD, show_footer=True,
                  header_style="bold", footer_style="bold", expand=True, padding=(0, 1))
    totals = [
        sum(len(a.engagements) for a in analyses),
        sum(len(a.channel_status) for a in analyses),
        sum(len(a.statements) for a in analyses),
        sum(len(a.events) for a in analyses),
    ]
    table.add_column("#", footer="", justify="right")
    table.add_column("Document", footer=plural(len(analyses), "document"), ratio=1, min_width=20, no_wrap=True,
                     overflow="ellipsis")
    table.add_column("Published", footer="", no_wrap=True)
    for name, total in zip(("Engage-\nments", "Channel\nstatus", "State-\nments", "Events"), totals, strict=True):
        table.add_column(name, footer=str(total), justify="right", no_wrap=True)
    for n, a in enumerate(analyses, 1):
        doc = a.document
        table.add_row(
            str(n), Text(doc.title or doc.id), Text(doc.published or DASH),
            str(len(a.engagements)), str(len(a.channel_status)), str(len(a.statements)), str(len(a.events)),
        )
    return table


def demo_report(analyses: Sequence[Analysis]) -> Group:
    items: list[RenderableType] = []
    for n, a in enumerate(analyses, 1):
        items.extend([compact(a, n), Text("")])
    items.append(summary_table(analyses))
    return Group(*items)


# ---------------------------------------------------------------- the registry
def registry_counts(registry: Registry) -> dict[str, int]:
    """How many entries each section of the registry holds."""
    return {
        "countries": len(registry.countries),
        "organizations": len(registry.organizations),
        "people": len(registry.people),
        "roles": len(registry.roles),
        "channels": len(registry.channels),
        "verbs": len(registry.verbs),
        "cues": len(registry.cues),
        "topics": len(registry.topics),
        "sectors": len(registry.sectors),
        "plover": len(registry.plover),
    }


def registry_check(registry: Registry) -> Group:
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", show_edge=False)
    table.add_column("Section")
    table.add_column("Entries", justify="right")
    for section, n in registry_counts(registry).items():
        table.add_row(section, str(n))
    files = Text(f"ok: {len(registry.sources)} knowledge file(s) valid", style="bold green")
    for source in registry.sources:
        files.append(f"\n  {source}", style="")
    return Group(files, table)


def _join(values: Iterable[str], limit: int = 6) -> str:
    vals = list(values)
    shown = ", ".join(vals[:limit])
    return shown + (f", … (+{len(vals) - limit})" if len(vals) > limit else "")


def registry_table(registry: Registry, section: str, *, country: str | None = None) -> Table:
    """A table of one section of the registry, optionally only entries of one country
    (for channels: whose dyad includes it)."""
    code = country.upper() if country else None
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", title=Text(section, style="bold"), title_justify="left", show_edge=False)

    def cols(*names: str) -> None:
        for n, name in enumerate(names):
            # the first column is the key (an id or a code): never broken
            table.add_column(name, overflow="fold", no_wrap=n == 0)

    def row(*values: object) -> None:
        table.add_row(*(Text(DASH if v in (None, "") else str(v)) for v in values))

    if section == "countries":
        cols("Code", "Name", "Demonyms", "Capitals", "Metonyms")
        for c in registry.countries.values():
            if code in (None, c.code):
                row(c.code, c.name, _join(c.demonyms), _join(c.capitals), _join(c.metonyms))
    elif section == "organizations":
        cols("Id", "Name", "Country", "Sector", "Kind", "Parent", "Aliases")
        for o in registry.organizations.values():
            if code in (None, o.country):
                row(o.id, o.name, o.country, o.sector, o.kind, o.parent, _join(o.aliases))
    elif section == "people":
        cols("Id", "Name", "Country", "Sector", "Titles")
        for p in registry.people.values():
            if code in (None, p.country):
                titles = "\n".join(f"{t.title} ({t.start or '?'} – {t.end or 'now'})" for t in p.titles)
                row(p.id, p.name, p.country, p.sector, titles)
    elif section == "roles":
        cols("Id", "Sector", "Level", "Phrases")
        for r in registry.roles.values():
            row(r.id, r.sector, r.level, _join(r.phrases))
    elif section == "channels":
        cols("Id", "Dyad", "Level · medium", "Name · names by side")
        for ch in registry.channels.values():
            if code is None or (ch.dyad and code in ch.dyad):
                names = "".join(f"\n{side}: {_join(v, 3)}" for side, v in ch.names.items())
                level = ch.level + (f"\n{ch.medium}" if ch.medium else "")
                row(ch.id, "–".join(ch.dyad) if ch.dyad else "generic", level, ch.name + names)
    elif section == "verbs":
        cols("Lemma", "Event type", "Mode", "Strength")
        for v in registry.verbs.values():
            row(v.lemma, v.event_type, v.event_mode, f"{v.strength:g}")
    elif section == "cues":
        cols("Phrase", "Kind")
        for cue in registry.cues:
            row(cue.phrase, cue.kind)
    elif section == "topics":
        cols("Id", "Label", "Terms")
        for t in registry.topics.values():
            row(t.id, t.label, _join(t.terms))
    elif section == "sectors":
        cols("Sector", "Terms")
        by_sector: dict[str, list[str]] = {}
        for s in registry.sectors:
            by_sector.setdefault(s.sector, []).append(s.term)
        for sector, terms in by_sector.items():
            row(sector, _join(terms, 12))
    elif section == "plover":
        cols("Type", "Quad", "Score", "CAMEO", "Modes")
        for pt in registry.plover.values():
            modes = _join(f"{m} {pt.cameo_modes.get(m, '')}".strip() for m in pt.modes)
            row(pt.type, pt.quad, f"{pt.score:g}", pt.cameo, modes)
    elif section == "event_triggers":
        cols("Kind", "Word", "Type", "Mode", "CAMEO")
        for kind, table_ in registry.event_triggers.items():
            for key, trigger in table_.items():
                row(kind, " ".join(key) if isinstance(key, tuple) else key, trigger.type, trigger.mode, trigger.cameo)
    elif section in ("event_words", "event_frames", "event_governors"):
        cols(*{"event_words": ("List", "Words"), "event_frames": ("Frame", "Verbs"), "event_governors": ("Reading", "Verbs")}[section])
        groups: dict[str, list[str]] = {}
        if section == "event_words":
            groups = {name: sorted(words) for name, words in registry.event_words.items()}
        else:
            for w, g in (registry.event_frames if section == "event_frames" else registry.event_governors).items():
                groups.setdefault(g, []).append(w)
        for name, words in groups.items():
            row(name, _join(words, 40))
    elif section == "event_modes":
        cols("Type", "Mode", "CAMEO", "Words")
        for ptype, table_m in registry.event_modes.items():
            by_mode: dict[tuple[str, str | None], list[str]] = {}
            for w, mc in table_m.items():
                by_mode.setdefault(mc, []).append(w)
            for (mode, cameo), words in by_mode.items():
                row(ptype, mode, cameo, _join(words, 40))
    else:
        raise ValueError(f"unknown registry section {section!r}")
    if not table.row_count:
        table.caption = NONE_FOUND
    return table


# ---------------------------------------------------------------- the tracker
STATE_STYLE = {"active": "green", "suspended": "red", "resumption_pending": "yellow", "dormant": "dim", "unknown": "dim", "no_record": "dim"}


@dataclass(frozen=True, slots=True)
class IngestProgress:
    """The callbacks ``ingest`` calls: ``document(source)`` as each input is done,
    ``chunk(parsed, chunks)`` while a long document is parsed in pieces. None: no display."""

    document: Callable[[str], None] | None = None
    chunk: Callable[[int, int], None] | None = None


@contextmanager
def ingest_progress(total: Callable[[], int | None], label: str = "ingest") -> Iterator[IngestProgress]:
    """A progress bar on standard error while documents are ingested (or analyzed), when it
    is a terminal, and a second one while a long document is parsed, chunk by chunk; nothing
    otherwise."""
    console = Console(stderr=True)
    if not console.is_terminal:
        yield IngestProgress()
        return
    with Progress(
        TextColumn("[bold]{task.fields[label]}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.description}"),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("", total=total(), label=label)
        long_doc: list[Any] = []

        def advance(source: str) -> None:
            progress.update(task, advance=1, description=abbreviate(source, 40))

        def chunk(done: int, chunks: int) -> None:
            if not long_doc:
                long_doc.append(progress.add_task("a long document, in pieces", total=chunks, label="parse"))
            progress.update(long_doc[0], completed=done, total=chunks)
            if done >= chunks:
                progress.remove_task(long_doc.pop())

        yield IngestProgress(advance, chunk)


def _change(value: Any) -> str:
    return DASH if value in (None, "", {}) else str(value)


def ingest_summary(summary: IngestSummary) -> Group:
    """What an ingest did: documents new, unchanged, updated and failed; what was skipped;
    records added; the documents updated and the failures."""
    head = Text.assemble(
        ("Ingested into ", ""), (summary.db, "bold"), (f" in {summary.seconds:.1f} s: ", ""),
        (f"{summary.new} new", "green"), (", ", ""), (f"{summary.unchanged} unchanged", ""), (", ", ""),
        *(((f"{summary.updated} updated", "yellow"), (", ", "")) if summary.updated else ()),
        (f"{summary.failed} failed", "red" if summary.failed else ""),
        *(((", ", ""), (f"{summary.not_relevant} not relevant (not parsed: the gate)", "dim")) if summary.not_relevant else ()),
    )
    parts: list[RenderableType] = [head]
    for line in summary.skipped.lines():
        parts.append(Text(line[0].upper() + line[1:], style="dim"))
    for run in summary.interrupted_runs:
        parts.append(Text(f"Run {run} had stopped before its end (its process is gone): marked interrupted", style="yellow"))
    if summary.records_added:
        added = ", ".join(f"{n} {t.replace('_', ' ')}" for t, n in sorted(summary.records_added.items()) if t != "failures")
        parts.append(Text(f"Records added: {added or 'none'}"))
    if summary.updates:
        t = _table(("input", {}), ("changed", {"ratio": 3}))
        for u in summary.updates:
            fields = "; ".join(f"{k}: {_change(v['from'])} → {_change(v['to'])}" for k, v in u["changed"].items())
            t.add_row(u["source"], fields + (" (records analyzed again)" if u["reanalyzed"] else ""))
        parts.extend([Text("Updated (a known text with new metadata):", style="yellow"), t])
    if summary.failures:
        t = _table(("input", {}), ("reason", {"ratio": 3}))
        for f in summary.failures:
            t.add_row(f["source"], f["reason"])
        parts.extend([Text("Failed (kept in the failures table; 'readout failures' lists them):", style="red"), t])
    return Group(*parts)


def corpus_summary(summary: CorpusSummary) -> Group:
    """What analyze-corpus did: shards written and already there, documents analyzed, set aside
    and failed; batches the cluster lost; stale shards; the failures."""
    head = Text.assemble(
        ("Analyzed into ", ""), (summary.to, "bold"), (f" in {summary.seconds:.1f} s: ", ""),
        (f"{summary.shards} shards", ""), (f" ({len(summary.written)} written, {summary.present} already there)", "dim"), (": ", ""),
        (f"{summary.analyzed} analyzed", "green"), (", ", ""),
        (f"{summary.not_relevant} not relevant (not parsed: the gate)", "dim"), (", ", ""),
        (f"{summary.failed} failed", "red" if summary.failed else ""),
    )
    parts: list[RenderableType] = [head]
    for line in summary.skipped.lines():
        parts.append(Text(line[0].upper() + line[1:], style="dim"))
    if summary.lost:
        parts.append(Text(f"{summary.lost} inputs are in batches the cluster could not analyze (no shard written): run the same "
                          "command again to retry them; the folder cannot be ingested until then", style="red"))
    if summary.stale:
        parts.append(Text(f"{len(summary.stale)} shards in the folder are not of these inputs (an earlier run with other inputs "
                          f"or settings): ingest ignores them; delete them to save space ({summary.stale[0]}...)", style="yellow"))
    if summary.failures:
        t = _table(("input", {}), ("reason", {"ratio": 3}))
        for f in summary.failures:
            t.add_row(f["source"], f["reason"])
        parts.extend([Text("Failed (kept in the shards; ingest records them in the failures table):", style="red"), t])
    if summary.complete:
        parts.append(Text(f"Next: readout ingest {summary.to}"))
    return Group(*parts)


def check_view(report: CheckReport) -> Group:
    """What ``readout check`` found: OK, or the problems; and notes."""
    parts: list[RenderableType] = []
    if report.ok:
        parts.append(Text.assemble((f"{report.db}: ", "bold"), ("OK", "green"),
                                   " - integrity, foreign keys, engagements, timelines, evidence and full-text indexes agree"))
    else:
        parts.append(Text.assemble((f"{report.db}: ", "bold"), (f"{len(report.problems)} problems", "red"),
                                   " - 'readout rebuild' recomputes engagements, timelines and indexes; damage to the file itself "
                                   "needs a backup"))
        t = _table(("check", {}), ("table", {}), ("key", {}), ("problem", {"ratio": 3}))
        for p in report.problems:
            t.add_row(p["check"], p["table"] or DASH, p["key"] or DASH, p["problem"])
        parts.append(t)
    parts.extend(Text(f"note: {n}", style="dim") for n in report.notes)
    return Group(*parts)


def rebuild_view(summary: RebuildSummary) -> Text:
    return Text(
        f"Rebuilt {summary.db}: {summary.engagements} engagements from {summary.reports} reports "
        f"(there were {summary.engagements_before}), {summary.timelines} channel timelines, "
        f"{summary.statements_relinked} statements linked anew, full-text indexes"
    )


def backup_view(result: BackupResult) -> Group:
    head = Text(f"Backed up {result.db} to {result.to} ({result.bytes:,} bytes)")
    return Group(head, check_view(result.check))


def _state(state: str | None) -> Text:
    return Text((state or DASH).replace("_", " "), style=STATE_STYLE.get(state or "", ""))


def _since(value: str | None, precision: str | None) -> str:
    """A start date at the precision the sources give it: 2023-11-01 known to the month is 2023-11."""
    if not value:
        return DASH
    return value[:7] if precision == "month" else value[:4] if precision == "year" else value


def board_table(rows: Sequence[dict[str, Any]]) -> Table:
    """The channel board: one row per channel, members indented under their umbrella; a state
    taken from the umbrella is marked "inherited"."""
    day = rows[0]["as_of"] if rows else ""
    known = rows[0].get("known_on") if rows else None
    title = f"Channels as of {day}" + (f", as known on {known}" if known else "")
    t = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")
    for name in ("channel", "state", "status", "since", "suspended since", "last held", "sources", "sides"):
        t.add_column(name, overflow="fold")
    for r in rows:
        status = r["status"] or DASH
        if r.get("inherited_from"):
            status = f"{status} (inherited)"
        if r["latest"] and r["latest"] != r["status"]:
            status = f"{status} (latest: {r['latest']})"
        name = "  " * int(r.get("depth") or 0) + r["name"]
        t.add_row(
            name, _state(r["state"]), status.replace("_", " "), _since(r["since"], r.get("since_precision")), r["suspended_since"] or DASH,
            r["last_held"] or DASH, str(r["sources"]), ", ".join(r["sides"]) or DASH,
        )
    if not rows:
        t.caption = NONE_FOUND
    return t


def timeline_view(result: Timeline) -> Group:
    """One channel's intervals, each with its evidence."""
    ch = result.channel
    parts: list[RenderableType] = [Text.assemble((ch["name"], "bold"), f"  {ch['id']}  {ch['dyad'] or ''}")]
    if not result.intervals:
        parts.append(Text(NONE_FOUND, style="dim"))
    for iv in result.intervals:
        start = _since(iv["start_date"], iv.get("start_precision")) if iv["start_date"] else "?"
        span = f"{start} → {iv['end_date'] or 'now'}"
        flag = "  contested" if iv["contested"] else ""
        via = f"; inherited from {iv['inherited_from']}" if iv.get("inherited_from") else ""
        parts.append(Text.assemble("\n", _state(iv["state"]), f"  {span}  ({iv['status'].replace('_', ' ')}{via}; "
                                   f"{plural(iv['sources'], 'source')}: {', '.join(iv['sides'])}){flag}"))
        t = _table(("date", {"no_wrap": True}), ("status", {}), ("side", {}), ("source", {}), ("evidence", {"ratio": 3}))
        for a in iv["assertions"]:
            when = a["date"] or f"({a['published'] or '?'})"
            status = a["status"].replace("_", " ") + (f" (of {a['inherited_from']})" if a.get("inherited_from") else "")
            status += "  ✗ disputes" if a["conflicts"] else ""
            t.add_row(when, status, a["side"] or "press", abbreviate(a["outlet"] or a["title"] or a["document_id"], 40),
                      abbreviate(a["evidence"], EVIDENCE_CHARS))
        parts.append(t)
    return Group(*parts)


def engagements_table(rows: Sequence[dict[str, Any]]) -> Table:
    """Merged engagements, one row each."""
    t = Table(title="Engagements", box=box.SIMPLE_HEAD, title_justify="left")
    for name in ("id", "date", "kind", "status", "dyad", "participants", "channel", "sources", "sides"):
        t.add_column(name, overflow="fold")
    for r in rows:
        when = r["date"] or (f"≤ {r['reported_by']}" if r["reported_by"] else DASH)
        if r["dates_disagree"]:
            when += " (sources disagree: " + ", ".join(sorted({d["date"] for d in r["dates"] if d["date"]})) + ")"
        t.add_row(r["id"], when, r["kind"].replace("_", " "), r.get("status") or "held", r["dyad"], _join(r["participants"]), r["channel"] or DASH,
                  str(r["sources"]), ", ".join(r["sides"]))
    if not rows:
        t.caption = NONE_FOUND
    return t


def statements_table(rows: Sequence[dict[str, Any]]) -> Table:
    """Statements, one row each."""
    t = Table(title="Statements", box=box.SIMPLE_HEAD, title_justify="left")
    for name, opts in (("published", {}), ("side", {}), ("speaker", {}), ("content", {"ratio": 3}), ("topics", {}), ("source", {})):
        t.add_column(name, overflow="fold", **opts)  # type: ignore[arg-type]
    for r in rows:
        t.add_row(r["published"] or DASH, r["side"] or DASH, r["speaker_name"] or DASH, abbreviate(r["content"], CONTENT_CHARS),
                  ", ".join(r["topics"]) or DASH, abbreviate(r["outlet"] or r["title"] or r["document_id"], 30))
    if not rows:
        t.caption = NONE_FOUND
    return t


def export_summary(result: dict[str, Any]) -> Table:
    """The files an export wrote, with their rows."""
    t = Table(title=f"Exported to {result['to']} ({result['format']})", box=box.SIMPLE_HEAD, title_justify="left")
    t.add_column("table")
    t.add_column("rows", justify="right")
    t.add_column("file", overflow="fold")
    for name, f in result["files"].items():
        t.add_row(name, str(f["rows"]), str(f["path"]))
    return t

# ---------------------------------------------------------------- to text
def to_text(renderable: RenderableType, *, width: int = 100, color: bool = False) -> str:
    """Render any of the above as text: plain unless ``color`` (then with ANSI codes)."""
    console = Console(
        file=io.StringIO(),
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
        legacy_windows=False,
    )
    console.print(renderable)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    return "\n".join(line.rstrip() for line in out.splitlines()) + "\n"


def render_text(analysis: Analysis, *, width: int = 100, color: bool = False) -> str:
    """The full report of one document as text (see ``analysis_report``)."""
    return to_text(analysis_report(analysis), width=width, color=color)
