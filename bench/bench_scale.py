"""Scale figures of issue 10, run by ``make bench``: the gate, processes, huge documents.

  1. Mixed stream: the sample corpus's documents mixed about 1 in 20 with unrelated text, read
     two ways: (a) readout with the gate (the gate on every document, the whole pipeline on
     the ones it passes) and (b) spaCy's bare parse of every document (``nlp.pipe``). Two kinds
     of unrelated text: generated filler (sport, weather, markets, recipes, software: written
     for this benchmark) alone, and news about politics (the PolNeAR articles in
     ../shared/eval, when present) with the filler. Documents/s of each and the ratio a/b.
  2. Workers: ``readout ingest`` of the same stream of relevant documents (the sample corpus,
     each document in several copies that differ by one closing line) with 1 and with 2
     worker processes (``--workers``), then on a Dask LocalCluster of 1 and of 2 worker
     processes (``--scheduler``); documents/s, the ratios, and the records checked equal.
  3. Huge documents: one document of 5 MB and one of 20 MB (news text: the sample corpus and
     the PolNeAR articles, cycled) analyzed in a child process each: seconds, CPU seconds (the
     figure to read on a shared machine), peak resident memory, and the ratios.
  4. Memory as the number of documents grows: feeds of 1k, 10k and 50k documents (one in 100 a
     copy of a sample corpus document, the rest filler the gate rejects), each through
     ``ingest --workers 2``, ``analyze-corpus --workers 2`` and ``ingest`` of the shards, each
     run in a child process: the peak resident memory of the writer (the child, VmHWM) and of
     each worker (VmHWM of each, sampled every 0.1 s while it runs).

Medians over ``--repeats`` runs where a phase is repeated. Writes bench/out/scale.json; the full
memory run also bench/scale_memory.json (kept in git) and the table of docs/scaling.md made
from it (``python bench/bench_scale.py docs`` rewrites the table alone).

    python bench/bench_scale.py                       # the defaults (about 15 minutes on 2 cores)
    python bench/bench_scale.py --quick               # smaller: 1 and 4 MB, fewer documents
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
CORPUS = REPO / "src" / "readout" / "corpus"
SHARED = REPO.parent / "shared"
MB = 1_000_000

# ---------------------------------------------------------------- the texts
_FILLER = {
    "sport": [
        "The home side came from behind to win {n} to {m} on {day}, with two goals in the last ten minutes.",
        "Their coach praised the young midfielder, who scored twice in his first full match of the season.",
        "Tickets for the final sold out within an hour, and the club is adding a second screen outside the ground.",
        "The visiting team's goalkeeper made {n} saves before a deflected shot beat him at the near post.",
        "Next week the league leaders travel north for a match that could settle the title.",
    ],
    "weather": [
        "Heavy rain is expected across the valley on {day}, with up to {n} centimetres in the hills.",
        "Temperatures will climb to {n} degrees by the weekend before a cooler front arrives.",
        "Drivers are advised to allow extra time on the coastal road, where fog lingers into the morning.",
        "The harbour office said ferries would run to the normal timetable unless the wind rises above {m} knots.",
    ],
    "markets": [
        "Shares in the retailer rose {n} percent after it reported stronger sales of garden furniture.",
        "Analysts expect the bakery chain to open {m} new shops next year, mostly in suburban shopping centres.",
        "The price of coffee beans fell for a third week as harvests recovered after a dry spring.",
        "Trading volumes were light on {day}, and most investors waited for quarterly results.",
    ],
    "recipes": [
        "Whisk {n} eggs with the sugar until pale, then fold in the flour a spoonful at a time.",
        "Bake for {m} minutes, until the top is golden and a skewer comes out clean.",
        "For a lighter version, swap half of the butter for yoghurt and add a pinch of cinnamon.",
        "Serve the soup with warm bread and a handful of chopped parsley.",
    ],
    "software": [
        "Version {n}.{m} of the photo editor adds layers, a new brush engine and faster exports.",
        "Users can now sync their playlists between devices without signing in again.",
        "The update fixes a crash when opening very large spreadsheets on older laptops.",
        "Developers say the next release will focus on battery life and accessibility.",
    ],
}
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def filler(n: int, seed: int = 7) -> list[str]:
    """``n`` generated articles on everyday subjects (no state, no talks): 6 to 10 paragraphs
    of 2 to 4 sentences, about 2-3 KB each, every one different."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        topic = rng.choice(sorted(_FILLER))
        paras = []
        for _ in range(rng.randint(6, 10)):
            sents = [rng.choice(_FILLER[topic]).format(n=rng.randint(2, 40), m=rng.randint(2, 90), day=rng.choice(_DAYS))
                     for _ in range(rng.randint(2, 4))]
            paras.append(" ".join(sents))
        out.append(f"Item {i}\n\n" + "\n\n".join(paras) + "\n")
    return out


def rejected_filler(n: int, seed: int = 13) -> Iterator[str]:
    """``n`` filler articles the gate rejects, one at a time: written from the filler's
    sentences that name no side (the one that does, "league leaders", is left out), so none can
    pass."""
    from readout.gate import gate_for
    from readout.registry import get_registry

    gate = gate_for(get_registry())
    keep = {t: [s for s in sents if gate.judge(s.format(n=3, m=5, day="Monday")).side is None] for t, sents in _FILLER.items()}
    rng = random.Random(seed)
    for i in range(n):
        topic = rng.choice(sorted(keep))
        paras = []
        for _ in range(rng.randint(6, 10)):
            sents = [rng.choice(keep[topic]).format(n=rng.randint(2, 40), m=rng.randint(2, 90), day=rng.choice(_DAYS))
                     for _ in range(rng.randint(2, 4))]
            paras.append(" ".join(sents))
        yield f"Item {i}\n\n" + "\n\n".join(paras) + "\n"


def relevant() -> list[dict[str, Any]]:
    """The sample corpus's documents with their metadata (index.yaml)."""
    import yaml

    index = yaml.safe_load((CORPUS / "index.yaml").read_text(encoding="utf-8"))["documents"]
    return [{"text": (CORPUS / e["file"]).read_text(encoding="utf-8"), "published": str(e.get("published") or "") or None,
             "outlet": e.get("outlet"), "title": e.get("title")} for e in index]


def polnear() -> list[str]:
    path = SHARED / "eval" / "polnear" / "dev.jsonl"
    if not path.is_file():
        return []
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# ---------------------------------------------------------------- 1. mixed stream
def mixed_stream(docs: list[dict[str, Any]], unrelated: list[str], repeats: int) -> dict[str, Any]:
    from readout import nlp as nlp_mod
    from readout import pipeline
    from readout.gate import gate_for
    from readout.readers import make_document
    from readout.registry import get_registry

    per = max(1, round(len(unrelated) / len(docs)))
    stream: list[dict[str, Any]] = []
    rest = list(unrelated)
    for d in docs:
        stream.append(d)
        for _ in range(per):
            if rest:
                stream.append({"text": rest.pop(0)})
    stream.extend({"text": t} for t in rest)
    documents = [make_document(d["text"], published=d.get("published"), outlet=d.get("outlet"), title=d.get("title"),
                               check_language=False) for d in stream]
    nlp = nlp_mod.load()
    gate = gate_for(get_registry())
    gated_t, bare_t, passed = [], [], 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        kept = [d for d in documents if gate.judge(d.text, d.title).relevant]
        records = sum(len(a.engagements) + len(a.statements) + len(a.channel_status) + len(a.events)
                      for a in pipeline.analyze_documents(kept, gate=True))
        gated_t.append(time.perf_counter() - t0)
        passed = len(kept)
        t0 = time.perf_counter()
        for _doc in nlp.pipe((d.text for d in documents), batch_size=16):
            pass
        bare_t.append(time.perf_counter() - t0)
    g, b = statistics.median(gated_t), statistics.median(bare_t)
    n = len(documents)
    return {
        "documents": n, "relevant": len(docs), "unrelated": n - len(docs), "passed_gate": passed,
        "chars": sum(len(d.text) for d in documents), "records": records,
        "gated_seconds": g, "bare_seconds": b, "gated_docs_per_s": n / g, "bare_docs_per_s": n / b, "ratio": b / g,
    }


# ---------------------------------------------------------------- 2. workers
_TABLES = ("documents", "actors", "mentions", "engagements", "engagement_sources", "engagement_participants",
           "channels", "channel_assertions", "channel_intervals", "statements", "events")


def _rows(db: Path) -> dict[str, list[Any]]:
    conn = sqlite3.connect(db)
    out = {t: sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"').fetchall())) for t in _TABLES}
    conn.close()
    return out


def workers(docs: list[dict[str, Any]], copies: int, repeats: int) -> dict[str, Any]:
    from readout.store.ingest import ingest

    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "feed.jsonl"
        with feed.open("w", encoding="utf-8") as f:
            for c in range(copies):
                for d in docs:
                    f.write(json.dumps({**d, "text": d["text"].rstrip("\n") + f"\n\n(Archive copy {c + 1}.)\n"}) + "\n")
        n = copies * len(docs)
        times: dict[int, list[float]] = {1: [], 2: []}
        same = True
        for r in range(repeats):
            rows = {}
            for w in (1, 2):
                db = Path(tmp) / f"w{w}-{r}.db"
                t0 = time.perf_counter()
                summary = ingest([str(feed)], db=db, workers=w)
                times[w].append(time.perf_counter() - t0)
                assert summary.new == n, summary.to_dict()
                rows[w] = _rows(db)
            same = same and rows[1] == rows[2]
    one, two = statistics.median(times[1]), statistics.median(times[2])
    return {"documents": n, "cores": os.cpu_count(), "one_seconds": one, "two_seconds": two,
            "one_docs_per_s": n / one, "two_docs_per_s": n / two, "ratio": one / two, "same_records": same}


def dask_workers(docs: list[dict[str, Any]], copies: int, repeats: int) -> dict[str, Any]:
    """The same through the Dask path: a LocalCluster of 1 and of 2 worker processes (started
    and warmed up, with the model loaded, before the clock starts)."""
    from distributed import LocalCluster

    from readout.store.ingest import ingest

    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "feed.jsonl"
        warm = Path(tmp) / "warm.jsonl"
        with feed.open("w", encoding="utf-8") as f:
            for c in range(copies):
                for d in docs:
                    f.write(json.dumps({**d, "text": d["text"].rstrip("\n") + f"\n\n(Archive copy {c + 1}.)\n"}) + "\n")
        warm.write_text(json.dumps({**docs[0], "text": docs[0]["text"] + "\n\n(Warm-up.)\n"}) + "\n", encoding="utf-8")
        n = copies * len(docs)
        times: dict[int, list[float]] = {1: [], 2: []}
        rows = {}
        for w in (1, 2):
            with LocalCluster(n_workers=w, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
                ingest([str(warm)], db=Path(tmp) / f"warm{w}.db", scheduler=cluster.scheduler_address)
                for r in range(repeats):
                    db = Path(tmp) / f"d{w}-{r}.db"
                    t0 = time.perf_counter()
                    summary = ingest([str(feed)], db=db, scheduler=cluster.scheduler_address)
                    times[w].append(time.perf_counter() - t0)
                    assert summary.new == n, summary.to_dict()
                    rows[w] = _rows(db)
    one, two = statistics.median(times[1]), statistics.median(times[2])
    return {"documents": n, "one_seconds": one, "two_seconds": two, "one_docs_per_s": n / one, "two_docs_per_s": n / two,
            "ratio": one / two, "same_records": rows[1] == rows[2]}


# ---------------------------------------------------------------- 3. huge documents
def huge_text(size: int) -> str:
    texts = [d["text"] for d in relevant()] + polnear()
    parts, total, i = [], 0, 0
    while total < size:
        t = texts[i % len(texts)].strip() + "\n\n"
        parts.append(t)
        total += len(t)
        i += 1
    return "".join(parts)[:size]


def _huge_child(size: int) -> None:
    import resource

    from readout import nlp as nlp_mod
    from readout import pipeline
    from readout.readers import make_document

    nlp_mod.load()
    text = huge_text(size)
    doc = make_document(text, published="2024-06-01", check_language=False)
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    analysis = next(pipeline.analyze_documents([doc], gate=True))
    seconds = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)
    peak = r1.ru_maxrss / 1024
    print(json.dumps({"chars": len(text), "seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak, "load": os.getloadavg()[0],
                      "records": len(analysis.engagements) + len(analysis.statements) + len(analysis.events)}))


def huge(sizes_mb: Sequence[float], timeout: float) -> list[dict[str, Any]]:
    out = []
    for mb in sizes_mb:
        try:
            done = subprocess.run([sys.executable, __file__, "--huge-child", str(int(mb * MB))], capture_output=True,
                                  text=True, timeout=timeout)
            row = json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 else {"error": done.stderr[-500:]}
        except subprocess.TimeoutExpired:
            row = {"error": f"did not finish in {timeout:.0f} s"}
        out.append({"mb": mb, **row})
        print(f"    {mb:g} MB: {row}", flush=True)
    return out


# ---------------------------------------------------------------- 4. memory with the number of documents
def memory_feed(path: Path, n: int, docs: list[dict[str, Any]], relevant_every: int) -> int:
    """A JSONL feed of ``n`` documents: one in ``relevant_every`` a copy of a sample corpus
    document (a closing line makes each copy a new text), the rest filler the gate rejects.
    Returns how many are relevant."""
    texts = rejected_filler(n)
    passed = 0
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            if i % relevant_every == 0:
                d = docs[passed % len(docs)]
                f.write(json.dumps({**d, "text": d["text"].rstrip("\n") + f"\n\n(Archive copy {i}.)\n"}) + "\n")
                passed += 1
            else:
                f.write(json.dumps({"text": next(texts)}) + "\n")
    return passed


def _hwm(pid: int | str = "self") -> float | None:
    """The peak resident memory (MB) of a process's present program, from VmHWM in
    /proc/PID/status (Linux): unlike getrusage's, it starts afresh at exec, so it is not the
    peak of the process that started this one."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        return None
    return None


def _memory_child(mode: str, source: str, target: str, workers: int) -> None:
    """One measured run in this process (the writer), its workers its children: ``ingest`` of a
    feed, ``corpus`` (analyze-corpus of a feed into shards) or ``load`` (ingest of the shards)."""
    import resource
    import threading

    import psutil

    peaks: dict[int, float] = {}
    done = threading.Event()

    def sample() -> None:  # the resident memory of this process (key 0) and of each worker, every 0.2 s
        me = psutil.Process()
        while not done.is_set():
            peaks[0] = max(peaks.get(0, 0.0), me.memory_info().rss / 2**20)
            for child in me.children(recursive=True):
                try:
                    peaks[child.pid] = max(peaks.get(child.pid, 0.0), _hwm(child.pid) or child.memory_info().rss / 2**20)
                except psutil.Error:
                    pass
            done.wait(0.1)

    from readout import nlp as nlp_mod

    if mode != "load":
        nlp_mod.load()
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    t0 = time.perf_counter()
    if mode == "corpus":
        from readout.shards import analyze_corpus

        s = analyze_corpus([source], to=target, workers=workers)
        counts = {"analyzed": s.analyzed, "not_relevant": s.not_relevant, "failed": s.failed, "shards": s.shards}
    else:
        from readout.store.ingest import ingest

        i = ingest([source], db=target, workers=workers)
        counts = {"analyzed": i.new, "not_relevant": i.not_relevant, "failed": i.failed}
    seconds = time.perf_counter() - t0
    done.set()
    sampler.join()
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    writer_sampled = peaks.pop(0, 0.0)
    print(json.dumps({
        "mode": mode, "seconds": seconds, **counts, "load": os.getloadavg()[0],
        # the writer's peak from VmHWM: getrusage's of a process started by exec keeps its parent's when that was
        # higher (Linux), and the bench's own process may hold the model
        "writer_peak_mb": _hwm() or writer_sampled, "writer_peak_sampled_mb": writer_sampled,
        "writer_maxrss_mb": me.ru_maxrss / 1024, "writer_peak_before_mb": base,
        "writer_cpu_s": me.ru_utime + me.ru_stime, "workers_cpu_s": kids.ru_utime + kids.ru_stime,
        "worker_peak_mb": max(peaks.values(), default=0.0),  # the largest worker's VmHWM, sampled every 0.1 s
        "worker_maxrss_mb": kids.ru_maxrss / 1024,  # getrusage of the children waited for: the largest
        "worker_peaks_sampled_mb": sorted(round(v) for v in peaks.values()),
    }))


def memory(docs: list[dict[str, Any]], sizes: Sequence[int], relevant_every: int, workers: int, timeout: float) -> list[dict[str, Any]]:
    """Peak memory of the writer and of each worker as the number of documents grows: ingest
    with ``workers`` processes, analyze-corpus into shards, then ingest of the shards."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            feed = Path(tmp) / f"feed{n}.jsonl"
            passed = memory_feed(feed, n, docs, relevant_every)
            runs = (("ingest", str(feed), str(Path(tmp) / f"i{n}.db")), ("corpus", str(feed), str(Path(tmp) / f"s{n}")),
                    ("load", str(Path(tmp) / f"s{n}"), str(Path(tmp) / f"l{n}.db")))
            for mode, source, target in runs:
                try:
                    child = subprocess.run([sys.executable, __file__, "--memory-child", mode, source, target, str(workers)],
                                           capture_output=True, text=True, timeout=timeout)
                    row = json.loads(child.stdout.strip().splitlines()[-1]) if child.returncode == 0 else {"error": child.stderr[-500:]}
                except subprocess.TimeoutExpired:
                    row = {"error": f"did not finish in {timeout:.0f} s"}
                row = {"documents": n, "relevant": passed, **row, "mode": mode}
                out.append(row)
                if "error" in row:
                    print(f"    {n} {mode}: {row['error']}", flush=True)
                else:
                    print(f"    {n:>6} docs {mode:7} {row['seconds']:7.1f} s  writer {row['writer_peak_mb']:6.0f} MB "
                          f"(sampled {row['writer_peak_sampled_mb']:.0f})  "
                          f"largest worker {row['worker_peak_mb']:6.0f} MB  workers sampled {row['worker_peaks_sampled_mb']}  "
                          f"load {row['load']:.1f}", flush=True)
    return out


def memory_table(rows: list[dict[str, Any]]) -> str:
    """The memory figures as a Markdown table, with the ratio of the largest run to the smallest."""
    lines = ["| run | documents (relevant) | seconds | writer peak MB | largest worker peak MB |", "|---|---|---|---|---|"]
    for r in rows:
        if "error" not in r:
            lines.append(f"| {r['mode']} | {r['documents']:,} ({r['relevant']:,}) | {r['seconds']:.0f} | {r['writer_peak_mb']:.0f} | "
                         f"{r['worker_peak_mb']:.0f} |")
    for mode in ("ingest", "corpus", "load"):
        ok = [r for r in rows if r["mode"] == mode and "error" not in r]
        if len(ok) >= 2:
            workers = f"{ok[-1]['worker_peak_mb'] / ok[0]['worker_peak_mb']:.2f}x" if ok[0]["worker_peak_mb"] else "(no workers)"
            lines.append(f"| {mode}: largest / smallest | {ok[-1]['documents'] / ok[0]['documents']:.0f}x | | "
                         f"{ok[-1]['writer_peak_mb'] / ok[0]['writer_peak_mb']:.2f}x | {workers} |")
    return "\n".join(lines)


# ---------------------------------------------------------------- the figures in docs/scaling.md
MEMORY_JSON = HERE / "scale_memory.json"  # the recorded memory run the docs quote (kept in git)
SCALING_MD = REPO / "docs" / "scaling.md"
START, END = "<!-- memory-bench:start", "<!-- memory-bench:end -->"
_MODES = (("ingest", "`ingest --workers 2`"), ("corpus", "`analyze-corpus --workers 2`"), ("load", "`ingest DIR` (the shards)"))


def docs_section(rec: dict[str, Any]) -> str:
    """docs/scaling.md's memory table, from the recorded run."""
    lines = [f"{START} (generated by `python bench/bench_scale.py docs` from bench/scale_memory.json; do not edit) -->",
             f"One run on {rec['when'][:10]} ({rec['when'][11:16]} UTC), load average {rec['load_average_start']:.1f} at the start "
             f"and {rec['load_average_end']:.1f} at the end on the {rec['cores']} cores:", "",
             "| run | documents (gate passes) | seconds | writer peak | largest worker peak | writer CPU s | workers CPU s |",
             "|---|---|---|---|---|---|---|"]
    for mode, label in _MODES:
        rows = [r for r in rec["memory"] if r["mode"] == mode and "error" not in r]
        for i, r in enumerate(rows):
            worker = f"{r['worker_peak_mb']:.0f} MB" if r["worker_peak_mb"] else "(none)"
            lines.append(f"| {label if i == 0 else ''} | {r['documents']:,} ({r['relevant']:,}) | {r['seconds']:.1f} | "
                         f"{r['writer_peak_mb']:.0f} MB | {worker} | {r['writer_cpu_s']:.1f} | {r['workers_cpu_s']:.1f} |")
        if len(rows) >= 2:
            first, last = rows[0], rows[-1]
            worker = f"{last['worker_peak_mb'] / first['worker_peak_mb']:.2f}×" if first["worker_peak_mb"] else ""
            lines.append(f"| | {last['documents'] / first['documents']:.0f}× the documents | | "
                         f"**{last['writer_peak_mb'] / first['writer_peak_mb']:.2f}×** | {f'**{worker}**' if worker else ''} | | |")
    lines.append(END)
    return "\n".join(lines)


def write_docs(path: Path = SCALING_MD, recorded: Path = MEMORY_JSON) -> None:
    rec = json.loads(recorded.read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    if START not in text:
        raise SystemExit(f"{path}: no '{START}' marker: add the section's markers where the figures belong")
    head, rest = text.split(START, 1)
    path.write_text(head + docs_section(rec) + rest.split(END, 1)[1], encoding="utf-8")
    print(f"rewrote the memory table of {path}")


# ---------------------------------------------------------------- main
def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["docs"]:
        write_docs()
        return 0
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="smaller sizes: 1 and 4 MB documents, fewer copies, one repeat")
    ap.add_argument("--repeats", type=int, default=None, help="timed runs of the mixed stream and the workers (median)")
    ap.add_argument("--copies", type=int, default=None, help="copies of the sample corpus in the workers' stream")
    ap.add_argument("--huge-mb", default=None, help="sizes of the huge documents, comma-separated (default 5,20)")
    ap.add_argument("--huge-timeout", type=float, default=3600.0)
    ap.add_argument("--skip", default="", help="phases to skip: mixed,workers,dask,huge,memory")
    ap.add_argument("--memory-sizes", default=None, help="documents per memory run, comma-separated (default 1000,10000,50000)")
    ap.add_argument("--memory-relevant-every", type=int, default=100, help="one sample corpus copy in this many documents")
    ap.add_argument("--memory-timeout", type=float, default=1800.0)
    ap.add_argument("--out", default=str(OUT / "scale.json"), help="where to write the figures (merged into what is there)")
    ap.add_argument("--huge-child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--memory-child", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.huge_child:
        _huge_child(args.huge_child)
        return 0
    if args.memory_child:
        mode, source, target, n_workers = args.memory_child
        _memory_child(mode, source, target, int(n_workers))
        return 0
    repeats = args.repeats or (1 if args.quick else 3)
    copies = args.copies or (2 if args.quick else 6)
    sizes = [float(x) for x in (args.huge_mb or ("1,4" if args.quick else "5,20")).split(",")]
    skip = set(args.skip.split(","))
    docs = relevant()
    result: dict[str, Any] = {"when": datetime.now(UTC).isoformat(timespec="seconds"), "cores": os.cpu_count(),
                              "load_average_start": os.getloadavg()[0]}
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other work on the machine slows every figure)", flush=True)
    if "mixed" not in skip:
        n_unrelated = 20 * len(docs)
        print(f"1. mixed stream, {len(docs)} relevant documents, 1 in 21 ({repeats} repeats)", flush=True)
        result["mixed_filler"] = mixed_stream(docs, filler(n_unrelated), repeats)
        news = polnear()
        if news:
            result["mixed_news"] = mixed_stream(docs, news + filler(n_unrelated - len(news), seed=11), repeats)
        for key, label in (("mixed_filler", "generated filler"), ("mixed_news", "PolNeAR news + filler")):
            m = result.get(key)
            if m:
                print(f"   {label:22} {m['documents']} docs ({m['passed_gate']} through the gate): "
                      f"with the gate {m['gated_docs_per_s']:.1f} docs/s, bare spaCy {m['bare_docs_per_s']:.1f} docs/s, "
                      f"ratio {m['ratio']:.1f}x (target >= 5x)", flush=True)
    if "workers" not in skip:
        print(f"2. workers: {copies} copies of the sample corpus ({repeats} repeats)", flush=True)
        w = result["workers"] = workers(docs, copies, repeats)
        print(f"   1 worker {w['one_docs_per_s']:.2f} docs/s, 2 workers {w['two_docs_per_s']:.2f} docs/s, "
              f"ratio {w['ratio']:.2f}x (target >= 1.8x), same records: {w['same_records']}", flush=True)
    if "dask" not in skip:
        print(f"2b. Dask LocalCluster: 1 and 2 worker processes, {copies} copies ({repeats} repeats)", flush=True)
        w = result["dask_workers"] = dask_workers(docs, copies, repeats)
        print(f"   1 worker {w['one_docs_per_s']:.2f} docs/s, 2 workers {w['two_docs_per_s']:.2f} docs/s, "
              f"ratio {w['ratio']:.2f}x (target >= 1.8x), same records: {w['same_records']}", flush=True)
    if "huge" not in skip:
        print(f"3. huge documents: {', '.join(f'{s:g} MB' for s in sizes)}", flush=True)
        h = result["huge"] = huge(sizes, args.huge_timeout)
        if len(h) >= 2 and all("seconds" in r for r in h):
            ratio, cpu_ratio = h[-1]["seconds"] / h[0]["seconds"], h[-1]["cpu_seconds"] / h[0]["cpu_seconds"]
            result["huge_ratio"], result["huge_cpu_ratio"] = ratio, cpu_ratio
            print(f"   {h[-1]['mb']:g} MB / {h[0]['mb']:g} MB ({h[-1]['mb'] / h[0]['mb']:.0f}x the text): time {ratio:.2f}x, "
                  f"CPU time {cpu_ratio:.2f}x (target <= 4.5x); peak memory {max(r['peak_mb'] for r in h):.0f} MB "
                  f"(target < 1500 MB)", flush=True)
    if "memory" not in skip:
        msizes = [int(x) for x in (args.memory_sizes or ("300,3000" if args.quick else "1000,10000,50000")).split(",")]
        print(f"4. memory: {', '.join(f'{n:,}' for n in msizes)} documents (1 in {args.memory_relevant_every} relevant), "
              "ingest --workers 2, analyze-corpus --workers 2, ingest of the shards", flush=True)
        result["memory"] = memory(docs, msizes, args.memory_relevant_every, 2, args.memory_timeout)
        print(memory_table(result["memory"]), flush=True)
        if msizes == [1000, 10000, 50000] and all("error" not in r for r in result["memory"]):
            # the full run is the one docs/scaling.md quotes: recorded in git, then the table rewritten
            MEMORY_JSON.write_text(json.dumps({"when": result["when"], "cores": result["cores"],
                                               "load_average_start": result["load_average_start"],
                                               "load_average_end": os.getloadavg()[0], "memory": result["memory"]}, indent=1) + "\n",
                                   encoding="utf-8")
            write_docs()
    result["load_average_end"] = os.getloadavg()[0]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    before = json.loads(out.read_text(encoding="utf-8")) if out.is_file() else {}
    out.write_text(json.dumps({**before, **result}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
