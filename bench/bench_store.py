"""The tracker store under load, run by ``make bench`` after bench.py.

Measured in one run and printed side by side:

  ingest (full)   spaCy + extractors + store: ``readout.store.ingest`` of the 25-document
                  sample corpus into a fresh database, with the model already loaded;
                  median of ``--repeats`` runs.
  write path      store only: analyses written with ``store.write.save_analysis``, one
                  transaction per document, into a store that grows to ``--docs`` documents
                  (default 20,000); throughput per stretch, so a slowdown as the store grows
                  shows, and resident memory (VmRSS, and the VmHWM high-water mark) at a
                  quarter, half and all of the documents.
  board           ``queries.channel_board`` for the busiest dyad on the big store: median
                  and 95th percentile of ``--board-runs`` runs (latest state, and as of a
                  date in the middle of the range); a channel timeline query likewise.
  export          ``export.export_store`` of the big store to CSV and Parquet: rows/s and
                  the memory it adds.
  size            the database file (after a WAL checkpoint).

The big store is built without running spaCy 20,000 times: the 25 sample documents are
analyzed once, and each variant is made at the record level - every date (in the records,
the publication date, and the "December 21"s and years written in the text) moved on by
``k`` weeks, and every registry person renamed to another person of the same country (in the
text, the mentions, the statements and the actor ids) - so each variant is a distinct text
with its own document id, and evidence offsets still point at the right words. A variant
whose text still equals an earlier one gets a last line "[variant k]" (counted).

    python bench/bench_store.py                 # 20,000 documents (5 to 20 minutes on 2 CPUs)
    python bench/bench_store.py --docs 2000     # a quick look
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import fields, is_dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
MB = 1024 * 1024
YEAR_RE = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
DAY_RE = re.compile(r"\b(" + "|".join(MONTHS) + r") (\d{1,2})\b")


# ---------------------------------------------------------------- memory
def _status(field: str) -> float:
    """A /proc/self/status field in MB (Linux); NaN elsewhere."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def rss_mb() -> float:
    return _status("VmRSS")


def hwm_mb() -> float:
    return _status("VmHWM")


def reset_hwm() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


# ---------------------------------------------------------------- variants
def shift_value(value: str | None, days: int) -> str | None:
    """An ISO date at its precision moved on by ``days`` (months and years by the nearest whole step)."""
    if not value:
        return value
    parts = value.split("-")
    try:
        if len(parts) == 3:
            return (date.fromisoformat(value) + timedelta(days=days)).isoformat()
        if len(parts) == 2:
            total = int(parts[0]) * 12 + int(parts[1]) - 1 + round(days / 30.4375)
            return f"{total // 12:04d}-{total % 12 + 1:02d}"
        if len(parts) == 1:
            return f"{int(parts[0]) + round(days / 365.25):04d}"
    except ValueError:
        pass
    return value


class Rewriter:
    """Text replacements (renamed people, "December 21" moved on by the variant's days, years)
    with the offset map they imply."""

    def __init__(self, text: str, pattern: re.Pattern[str] | None, names: dict[str, str], days: int,
                 year: int | None) -> None:
        edits: list[tuple[int, int, str]] = []
        if pattern is not None:
            edits += [(m.start(), m.end(), names[m.group(0)]) for m in pattern.finditer(text)]

        def free(a: int, b: int) -> bool:
            return not any(s < b and a < e for s, e, _ in edits)

        if days and year:
            for m in DAY_RE.finditer(text):
                try:
                    d = date(year, MONTHS.index(m.group(1)) + 1, int(m.group(2))) + timedelta(days=days)
                except ValueError:
                    continue
                if free(m.start(), m.end()):
                    edits.append((m.start(), m.end(), f"{MONTHS[d.month - 1]} {d.day}"))
        years = round(days / 365.25)
        if years:
            for m in YEAR_RE.finditer(text):
                if free(m.start(), m.end()):
                    edits.append((m.start(), m.end(), str(int(m.group(0)) + years)))
        edits.sort()
        out, pos, delta = [], 0, 0
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.new_starts: list[int] = []
        self.new_ends: list[int] = []
        for s, e, new in edits:
            out.append(text[pos:s])
            out.append(new)
            self.starts.append(s)
            self.ends.append(e)
            self.new_starts.append(s + delta)
            delta += len(new) - (e - s)
            self.new_ends.append(e + delta)
            pos = e
        out.append(text[pos:])
        self.text = "".join(out)
        self.pattern = pattern
        self.names = names

    def at(self, p: int, end: bool) -> int:
        i = bisect.bisect_right(self.starts, p) - 1
        if i < 0:
            return p
        if p >= self.ends[i]:
            return p + (self.new_ends[i] - self.ends[i])
        # inside an edit: a start keeps the edit's start, an end moves to its new end
        return self.new_ends[i] if end and p > self.starts[i] else self.new_starts[i]

    def string(self, s: str) -> str:
        return self.pattern.sub(lambda m: self.names[m.group(0)], s) if self.pattern is not None else s


def _walk(obj: Any, fn: Callable[[Any], Any | None]) -> Any:
    """Rebuild a record tree, letting ``fn`` replace any node (None: recurse as usual)."""
    done = fn(obj)
    if done is not None:
        return done
    if is_dataclass(obj) and not isinstance(obj, type):
        return replace(obj, **{f.name: _walk(getattr(obj, f.name), fn) for f in fields(obj)})
    if isinstance(obj, list):
        return [_walk(x, fn) for x in obj]
    if isinstance(obj, tuple):
        return tuple(_walk(x, fn) for x in obj)
    if isinstance(obj, dict):
        return {k: _walk(v, fn) for k, v in obj.items()}
    return obj


class VariantMaker:
    """Record-level variants of analyzed documents: variant ``k`` is ``k`` weeks later, with
    each registry person replaced by the ``k``-th next person of the same country."""

    def __init__(self, registry: Any) -> None:
        by_country: dict[str, list[Any]] = {}
        for p in sorted(registry.people.values(), key=lambda p: p.id):
            if p.country and len(p.name.split()) >= 2:
                by_country.setdefault(p.country, []).append(p)
        self.by_country = {c: ps for c, ps in by_country.items() if len(ps) >= 2}
        self.people = {p.id: p for ps in self.by_country.values() for p in ps}
        self.stamped = 0
        self._cache: dict[int, tuple[dict[str, str], dict[str, str], re.Pattern[str] | None]] = {}

    def mapping(self, k: int) -> tuple[dict[str, str], dict[str, str], re.Pattern[str] | None]:
        """(actor id -> id, name -> name, the pattern of the names) for variant ``k``."""
        if k in self._cache:
            return self._cache[k]
        ids: dict[str, str] = {}
        names: dict[str, str] = {}
        for ps in self.by_country.values():
            n = len(ps)
            for i, p in enumerate(ps):
                q = ps[(i + k) % n]
                if q.id == p.id:
                    continue
                ids[p.id] = q.id
                names.setdefault(p.name, q.name)
                old_last, new_last = p.name.split()[-1], q.name.split()[-1]
                if len(old_last) >= 4 and old_last[0].isupper():
                    names.setdefault(old_last, new_last)
        pattern = re.compile(r"\b(?:" + "|".join(re.escape(x) for x in sorted(names, key=len, reverse=True)) + r")\b") if names else None
        self._cache = {k: (ids, names, pattern)}
        return self._cache[k]

    def variant(self, analysis: Any, k: int, seen: set[str]) -> Any:
        from readout.readers import document_id
        from readout.records import DateValue, Document, Span

        days = 7 * k
        ids, names, pattern = self.mapping(k)
        doc = analysis.document
        rw = Rewriter(doc.text, pattern, names, days, int(doc.published[:4]) if doc.published else None)
        text = rw.text
        new_id = document_id(text)
        if new_id in seen:  # the rotation came round to the same names: stamp the text so it differs
            text = f"{text}\n\n[variant {k}]"
            new_id = document_id(text)
            self.stamped += 1
        seen.add(new_id)

        def fn(node: Any) -> Any | None:
            if isinstance(node, Document):
                return node  # replaced below
            if isinstance(node, Span):
                s, e = rw.at(node.start, False), rw.at(node.end, True)
                return Span(s, e, text[s:e])
            if isinstance(node, DateValue):
                span = fn(node.span) if node.span is not None else None
                return replace(node, value=shift_value(node.value, days), span=span)
            if isinstance(node, str):
                return ids.get(node) or rw.string(node)
            return None

        out = _walk(analysis, fn)
        published = shift_value(doc.published, days)
        title = rw.string(doc.title) if doc.title else doc.title
        return replace(out, document=replace(doc, id=new_id, text=text, published=published, title=title,
                                             url=f"{doc.url}?v={k}" if doc.url else None))


def variants(base: Sequence[Any], n: int, maker: VariantMaker) -> Iterator[Any]:
    """``n`` distinct variants of the base analyses, made one at a time."""
    seen = {a.document.id for a in base}
    for i in range(n):
        k, j = divmod(i, len(base))
        yield base[j] if k == 0 else maker.variant(base[j], k, seen)


# ---------------------------------------------------------------- timing helpers
def timed_runs(fn: Callable[[], Any], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def pct(values: Sequence[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def busiest_dyad(store: Any) -> str:
    return str(store.scalar("SELECT dyad FROM channel_assertions WHERE dyad IS NOT NULL GROUP BY dyad ORDER BY count(*) DESC LIMIT 1"))


# ---------------------------------------------------------------- phases
def full_ingest(repeats: int) -> dict[str, Any]:
    """readout.store.ingest of the sample corpus into a fresh database, model warm."""
    from readout import demo
    from readout.store import ingest

    corpus = str(demo.corpus_dir())
    times = []
    n = 0
    with tempfile.TemporaryDirectory() as tmp:
        ingest([corpus], db=Path(tmp) / "warm.db")  # loads the model and the registry once
        for r in range(repeats):
            t = time.perf_counter()
            summary = ingest([corpus], db=Path(tmp) / f"run{r}.db")
            times.append(time.perf_counter() - t)
            n = summary.new
            print(f"  full ingest run {r + 1}/{repeats}: {n} documents in {times[-1]:.2f} s", flush=True)
    med = statistics.median(times)
    return {"documents": n, "times_s": times, "seconds": med, "docs_per_s": n / med}


def build(db: Path, n_docs: int, checkpoints: Sequence[int]) -> dict[str, Any]:
    """Analyze the 25 sample documents once; write ``n_docs`` variants through the write path."""
    from readout import __version__, demo, pipeline
    from readout import nlp as nlp_mod
    from readout.records import content_id
    from readout.registry import get_registry
    from readout.store import aggregate
    from readout.store.db import open_store
    from readout.store.write import save_analysis

    t = time.perf_counter()
    base = list(pipeline.analyze_documents(demo.load_corpus()))
    analyze_s = time.perf_counter() - t
    registry = get_registry()
    maker = VariantMaker(registry)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    store = open_store(db, create=True)
    analyzer_id = content_id("anz", __version__, nlp_mod.describe(), registry.fingerprint)
    with store.transaction() as conn:
        conn.execute("INSERT OR IGNORE INTO analyzers (id, readout_version, model, registry) VALUES (?, ?, ?, ?)",
                     (analyzer_id, __version__, nlp_mod.describe(), registry.fingerprint))
    make_s = write_s = 0.0
    seg_write = 0.0
    seg_docs = 0
    samples: list[dict[str, Any]] = []
    reset_hwm()
    rss_start = rss_mb()
    gen = variants(base, n_docs, maker)
    for i in range(1, n_docs + 1):
        t0 = time.perf_counter()
        analysis = next(gen)
        t1 = time.perf_counter()
        with store.transaction() as conn:
            save_analysis(conn, analysis, registry=registry, analyzer_id=analyzer_id, source=f"bench:{i}")
        t2 = time.perf_counter()
        make_s += t1 - t0
        write_s += t2 - t1
        seg_write += t2 - t1
        seg_docs += 1
        if i in checkpoints:
            samples.append({"documents": i, "rss_mb": rss_mb(), "hwm_mb": hwm_mb(),
                            "segment_docs_per_s": seg_docs / seg_write, "db_mb": db.stat().st_size / MB})
            print(f"  {i:>6} documents: write path {seg_docs / seg_write:,.0f} docs/s over the last {seg_docs:,}, "
                  f"VmRSS {samples[-1]['rss_mb']:.0f} MB, VmHWM {samples[-1]['hwm_mb']:.0f} MB", flush=True)
            seg_write, seg_docs = 0.0, 0
        elif i % 2000 == 0:
            print(f"  {i:>6} documents...", flush=True)
    t = time.perf_counter()
    rebuilt = aggregate.refresh_timelines(store.conn)
    timelines_s = time.perf_counter() - t
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    counts = store.counts()
    store.close()
    return {
        "documents": n_docs,
        "base_documents": len(base),
        "analyze_base_s": analyze_s,
        "variant_make_s": make_s,
        "write_s": write_s,
        "write_docs_per_s": n_docs / write_s,
        "timelines_rebuilt": rebuilt,
        "refresh_timelines_s": timelines_s,
        "rss_start_mb": rss_start,
        "memory": samples,
        "stamped_variants": maker.stamped,
        "counts": counts,
        "db_bytes": db.stat().st_size,
    }


def queries(db: Path, runs: int) -> dict[str, Any]:
    from readout.store.db import open_store

    out: dict[str, Any] = {"runs": runs}
    with open_store(db) as store:
        dyad = busiest_dyad(store)
        out["dyad"] = dyad
        lo, hi = store.rows("SELECT min(effective_date) AS lo, max(effective_date) AS hi FROM channel_assertions WHERE dyad = ?",
                            (dyad,))[0].values()
        mid = (date.fromisoformat(lo) + (date.fromisoformat(hi) - date.fromisoformat(lo)) / 2).isoformat()
        try:
            from readout.store.queries import channel_board, timeline

            board: Callable[[str | None], Any] = lambda as_of: channel_board(store, dyad, as_of=as_of)  # noqa: E731
            out["board_function"] = "readout.store.queries.channel_board"
        except ImportError:  # queries.py not there yet: the SQL the board needs, as a stand-in
            timeline = None  # type: ignore[assignment]

            def board(as_of: str | None) -> Any:
                day = as_of or date.today().isoformat()
                return store.rows(
                    """SELECT c.id, (SELECT state FROM channel_intervals i WHERE i.channel_id = c.id AND i.start_date <= ?
                                     ORDER BY seq DESC LIMIT 1) AS state
                       FROM channels c WHERE c.dyad = ?""", (day, dyad))

            out["board_function"] = "stand-in SQL over channel_intervals"
        rows = board(None)
        out["board_rows"] = len(rows)
        board(mid)  # warm
        for label, as_of in (("latest", None), ("as_of_mid", mid)):
            times = timed_runs(lambda a=as_of: board(a), runs)  # type: ignore[misc]
            out[f"board_{label}_ms"] = {"median": statistics.median(times) * 1000, "p95": pct(times, 0.95) * 1000,
                                        "min": min(times) * 1000}
        out["as_of_mid"] = mid
        if out["board_function"].startswith("readout"):
            # the board as known on a day (the middle of the publication dates): timelines rebuilt in
            # memory from what was published by then
            p_lo, p_hi = store.rows("SELECT min(published) AS lo, max(published) AS hi FROM documents WHERE length(published) = 10")[0].values()
            known = (date.fromisoformat(p_lo) + (date.fromisoformat(p_hi) - date.fromisoformat(p_lo)) / 2).isoformat()
            times = timed_runs(lambda: channel_board(store, dyad, known_on=known), max(5, runs // 4))
            out["known_on"] = known
            out["board_known_on_ms"] = {"median": statistics.median(times) * 1000, "p95": pct(times, 0.95) * 1000}
        if timeline is not None:
            channel = str(store.scalar("SELECT channel_id FROM channel_assertions WHERE dyad = ? GROUP BY channel_id "
                                       "ORDER BY count(*) DESC LIMIT 1", (dyad,)))
            timeline(store, channel)
            times = timed_runs(lambda: timeline(store, channel), max(5, runs // 4))
            out["timeline_channel"] = channel
            out["timeline_intervals"] = store.scalar("SELECT count(*) FROM channel_intervals WHERE channel_id = ?", (channel,))
            out["timeline_ms"] = {"median": statistics.median(times) * 1000, "p95": pct(times, 0.95) * 1000}
    return out


def exports(db: Path) -> dict[str, Any]:
    from readout.store.export import export_store

    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("csv", "parquet"):
            reset_hwm()
            before = rss_mb()
            t = time.perf_counter()
            result = export_store(db, Path(tmp) / fmt, fmt)
            seconds = time.perf_counter() - t
            rows = sum(f["rows"] for f in result["files"].values())
            size = sum(Path(f["path"]).stat().st_size for f in result["files"].values())
            out[fmt] = {"seconds": seconds, "rows": rows, "rows_per_s": rows / seconds, "mb": size / MB,
                        "rss_before_mb": before, "hwm_during_mb": hwm_mb()}
            print(f"  export {fmt}: {rows:,} rows in {seconds:.1f} s", flush=True)
    return out


# ---------------------------------------------------------------- main
def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=20000, help="documents in the big store (default 20,000)")
    ap.add_argument("--repeats", type=int, default=3, help="full-ingest runs (median reported)")
    ap.add_argument("--board-runs", type=int, default=30, help="timed board queries (median reported; at least 20)")
    ap.add_argument("--db", type=Path, default=None, help="where to build the big store (default bench/out/store-<N>.db)")
    ap.add_argument("--no-export", action="store_true", help="skip the export measurements")
    args = ap.parse_args(argv)

    from readout import __version__
    from readout import nlp as nlp_mod

    OUT.mkdir(parents=True, exist_ok=True)
    db = args.db or OUT / f"store-{args.docs}.db"
    t = time.perf_counter()
    nlp_mod.load()
    print(f"readout {__version__} · model {nlp_mod.describe()} (loaded in {time.perf_counter() - t:.1f} s) · "
          f"Python {platform.python_version()} · SQLite {__import__('sqlite3').sqlite_version} · {os.cpu_count()} CPUs")

    result: dict[str, Any] = {"when": datetime.now(UTC).isoformat(timespec="seconds"), "readout_version": __version__,
                              "model": nlp_mod.describe(), "python": platform.python_version(), "cpus": os.cpu_count()}
    print("\nfull ingest (spaCy + store) of the sample corpus:")
    result["full_ingest"] = full = full_ingest(args.repeats)

    quarter = [max(1, args.docs // 4), max(1, args.docs // 2), args.docs]
    print(f"\nbuilding a store of {args.docs:,} documents through the write path (record-level variants) at {db}:")
    result["build"] = b = build(db, args.docs, sorted(set(quarter)))
    print(f"  timelines: {b['timelines_rebuilt']} rebuilt in {b['refresh_timelines_s']:.1f} s")

    print(f"\nqueries ({args.board_runs} runs each):")
    result["queries"] = q = queries(db, max(20, args.board_runs))
    if not args.no_export:
        print("\nexports of the big store:")
        result["exports"] = ex = exports(db)

    # ---- the table
    print("\n" + "=" * 78)
    print(f"{'measure':44}{'value':>16}  note")
    print("-" * 78)
    print(f"{'full ingest, docs/s (spaCy + store)':44}{full['docs_per_s']:>16.1f}  median of {args.repeats}, "
          f"{full['documents']} docs, model warm")
    print(f"{'write path, docs/s (store only)':44}{b['write_docs_per_s']:>16,.0f}  {b['documents']:,} docs, one transaction each")
    ratio = b["write_docs_per_s"] / full["docs_per_s"]
    print(f"{'ratio write path / full ingest':44}{ratio:>16,.1f}  share of ingest time in the store: ~{1 / ratio:.1%}")
    for s in b["memory"]:
        print(f"{'  at ' + format(s['documents'], ',') + ' docs: write docs/s (stretch)':44}{s['segment_docs_per_s']:>16,.0f}"
              f"  VmRSS {s['rss_mb']:.0f} MB, VmHWM {s['hwm_mb']:.0f} MB")
    mem = b["memory"]
    if len(mem) >= 2:
        growth = mem[-1]["rss_mb"] - mem[0]["rss_mb"]
        print(f"{'VmRSS growth, first to last checkpoint (MB)':44}{growth:>16.1f}  "
              f"{mem[0]['documents']:,} -> {mem[-1]['documents']:,} docs (start of build: {b['rss_start_mb']:.0f} MB)")
        print(f"{'write speed, last / first stretch':44}{mem[-1]['segment_docs_per_s'] / mem[0]['segment_docs_per_s']:>16.2f}")
    print(f"{'refresh_timelines (s)':44}{b['refresh_timelines_s']:>16.2f}  {b['timelines_rebuilt']} channels")
    print(f"{'board, median ms (latest)':44}{q['board_latest_ms']['median']:>16.1f}  p95 {q['board_latest_ms']['p95']:.1f}, "
          f"{q['dyad']}, {q['board_rows']} channels, {q['board_function']}")
    print(f"{'board, median ms (as of ' + q['as_of_mid'] + ')':44}{q['board_as_of_mid_ms']['median']:>16.1f}  "
          f"p95 {q['board_as_of_mid_ms']['p95']:.1f}")
    if "board_known_on_ms" in q:
        print(f"{'board, median ms (known on ' + q['known_on'] + ')':44}{q['board_known_on_ms']['median']:>16.1f}  "
              f"p95 {q['board_known_on_ms']['p95']:.1f}, timelines rebuilt in memory")
    verdict = "met" if q["board_latest_ms"]["median"] < 100 else "NOT met"
    print(f"{'board target < 100 ms':44}{verdict:>16}")
    if "timeline_ms" in q:
        print(f"{'channel timeline, median ms':44}{q['timeline_ms']['median']:>16.1f}  {q['timeline_channel']}, "
              f"{q['timeline_intervals']} intervals")
    if not args.no_export:
        for fmt, e in ex.items():
            print(f"{'export ' + fmt + ', rows/s':44}{e['rows_per_s']:>16,.0f}  {e['rows']:,} rows, {e['mb']:.0f} MB, "
                  f"{e['seconds']:.1f} s, VmHWM {e['hwm_during_mb']:.0f} MB (before {e['rss_before_mb']:.0f})")
    print(f"{'variants given a stamp to be distinct':44}{b['stamped_variants']:>16,}  of {b['documents']:,}")
    print(f"{'database file (MB)':44}{b['db_bytes'] / MB:>16.1f}  {b['db_bytes'] / b['documents'] / 1024:.1f} KB per document")
    c = b["counts"]
    print(f"{'rows':44}{sum(c.values()):>16,}  " + ", ".join(f"{k} {v:,}" for k, v in c.items()
                                                                if k in ("documents", "engagements", "channel_assertions",
                                                                         "channel_intervals", "statements", "events", "mentions")))
    print("=" * 78)
    (OUT / "store.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written: {OUT / 'store.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
