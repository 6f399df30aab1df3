"""Throughput of readout against spaCy's bare parse, run by ``make bench``.

It builds a text set of at least 2 MB by repeating the documents of the bundled sample corpus
(or, when the corpus is missing, any .txt under src/readout/corpus, or generated text) and
measures, interleaved in one run with repeats and medians:

  (a) bare: spaCy's parse of the texts with ``nlp.pipe``;
  (b) full: the whole readout pipeline, ``pipeline.analyze_documents``;

with documents/s, words/s and MB/s for each, the ratio full/bare (goal: >= 0.8), the peak
resident memory of each phase, and a per-extractor time breakdown over the parsed documents.
Then it runs a single 5 MB document through the pipeline in a child process (so its peak RSS
is its own) with a time limit. It prints a plain table and writes bench/out/last.json.

    python bench/bench.py                   # the defaults: >= 2 MB set, 3 repeats, 5 MB document
    python bench/bench.py --set-mb 0.3 --repeats 2 --single-mb 0.5   # a quick look
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
MB = 1024 * 1024

# Used only when no corpus text is found: written for this benchmark.
GENERATED = (
    "The defense ministers of Norway and Chile spoke by video link on Tuesday, the first call "
    "between them since talks were put on hold two years ago, the Norwegian ministry said in a "
    "statement. Both sides agreed to resume working-level consultations on search and rescue at "
    "sea before the end of the year, and to test the hotline between their fleets every month.\n\n"
    "A spokesperson for the Chilean navy said the call had been requested by Oslo. \"We welcome "
    "the chance to talk,\" the spokesperson said, adding that Santiago would send a delegation "
    "to Bergen in October. Norway's state secretary urged Chile to share weather data around the "
    "clock, and warned that unsafe encounters at sea could lead to miscalculation.\n\n"
    "Analysts at a university in Valparaiso said the call signalled a thaw. Earlier this month "
    "the government in Oslo approved the sale of two patrol vessels worth $120 million to a third "
    "country, a decision Santiago criticized as unhelpful.\n"
)


# ---------------------------------------------------------------- measuring
def peak_rss_mb() -> float:
    """The peak resident set size of this process so far, in MB (VmHWM, or ru_maxrss)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / MB if sys.platform == "darwin" else rss / 1024


def child_peak_rss_mb(pid: int) -> float | None:
    """The peak RSS so far of a running child process (Linux), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def reset_peak_rss() -> bool:
    """Reset the peak RSS mark (Linux: write 5 to /proc/self/clear_refs). False if not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def current_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def words(texts: Sequence[str]) -> int:
    return sum(len(re.findall(r"\w+", t)) for t in texts)


def rates(seconds: float, n_docs: int, n_words: int, n_bytes: int) -> dict[str, float]:
    return {
        "seconds": seconds,
        "docs_per_s": n_docs / seconds,
        "words_per_s": n_words / seconds,
        "mb_per_s": n_bytes / MB / seconds,
    }


# ---------------------------------------------------------------- the text set
def load_texts(min_bytes: int) -> tuple[list[Any], str]:
    """Documents (readout ``Document``s) repeated to at least ``min_bytes``; and where they came from."""
    from readout import demo, readers

    source: str
    try:
        base = demo.load_corpus()
        source = f"the bundled sample corpus ({len(base)} documents, {demo.corpus_dir() / demo.INDEX})"
    except Exception as exc:  # noqa: BLE001 - fall back, and say so
        txts = sorted(demo.corpus_dir().rglob("*.txt"))
        if txts:
            base = [readers.read_document(str(p), check_language=False) for p in txts]
            source = f"{len(base)} .txt files under {demo.corpus_dir()} (no usable index.yaml: {exc})"
        else:
            base = [readers.make_document(GENERATED, published="2024-03-08")]
            source = f"generated text (no corpus found: {exc})"
    size = sum(len(d.text.encode("utf-8")) for d in base)
    copies = max(1, -(-min_bytes // max(size, 1)))
    return [d for _ in range(copies) for d in base], source + f", repeated {copies}x"


# ---------------------------------------------------------------- phases
def bare(nlp: Any, texts: Sequence[str], batch_size: int) -> list[Any]:
    return list(nlp.pipe(texts, batch_size=batch_size))


def full(documents: Sequence[Any], batch_size: int) -> list[Any]:
    from readout import pipeline

    return list(pipeline.analyze_documents(documents, batch_size=batch_size))


def extractor_breakdown(docs: Sequence[Any], documents: Sequence[Any]) -> dict[str, float]:
    """Seconds spent in each extractor over already-parsed documents (called as pipeline.extract does)."""
    from readout.extract.actors import extract_actors
    from readout.extract.channels import extract_channel_status
    from readout.extract.dates import extract_dates
    from readout.extract.engagements import extract_engagements, link_statements
    from readout.extract.events import extract_events
    from readout.extract.statements import extract_statements
    from readout.readers import parse_published
    from readout.registry import get_registry

    registry = get_registry()
    totals = dict.fromkeys(
        ("extract_actors", "extract_dates", "extract_statements", "extract_engagements", "link_statements",
         "extract_channel_status", "extract_events"),
        0.0,
    )

    def timed(name: str, fn: Callable[..., Any], *args: Any) -> Any:
        t = time.perf_counter()
        out = fn(*args)
        totals[name] += time.perf_counter() - t
        return out

    for doc, document in zip(docs, documents, strict=True):
        published = parse_published(document.published)
        actors = timed("extract_actors", extract_actors, doc, registry, published)
        dates = timed("extract_dates", extract_dates, doc, published)
        statements = timed("extract_statements", extract_statements, doc, registry, actors, dates)
        engagements = timed("extract_engagements", extract_engagements, doc, registry, actors, dates)
        timed("link_statements", link_statements, statements, engagements)
        timed("extract_channel_status", extract_channel_status, doc, registry, actors, dates, engagements)
        timed("extract_events", extract_events, doc, registry, actors, dates)
    return totals


def long_text(min_bytes: int, base_texts: Sequence[str]) -> str:
    """One document of at least ``min_bytes``: the base texts one after another, repeated."""
    parts: list[str] = []
    size, i = 0, 0
    while size < min_bytes:
        part = base_texts[i % len(base_texts)].strip() + "\n\n"
        parts.append(part)
        size += len(part.encode("utf-8"))
        i += 1
    return "".join(parts)


def scaling(nlp: Any, sizes_kb: Sequence[float], base_texts: Sequence[str]) -> dict[str, Any]:
    """Per-extractor seconds on one document of each size, and how each grows with the size
    (exponent 1: linear; 2: quadratic). A long document should cost what its pieces cost."""
    from readout import pipeline, readers

    rows: dict[str, dict[str, float]] = {}
    parse_s: dict[str, float] = {}
    for kb in sizes_kb:
        document = readers.make_document(long_text(int(kb * 1024), base_texts), published="2024-03-08")
        t = time.perf_counter()
        doc = next(pipeline.parse(nlp, [document.text]))
        parse_s[f"{kb:g}"] = time.perf_counter() - t
        rows[f"{kb:g}"] = extractor_breakdown([doc], [document])
    keys = list(rows)
    growth: dict[str, float | None] = {}
    if len(keys) >= 2:
        lo, hi = keys[0], keys[-1]
        factor = math.log(float(hi) / float(lo))
        for name in rows[lo]:
            a, b = rows[lo][name], rows[hi][name]
            growth[name] = math.log(b / a) / factor if a > 1e-3 and b > 1e-3 else None
    return {"sizes_kb": keys, "parse_s": parse_s, "extractors_s": rows, "exponent": growth}


def single_document_worker(path: str) -> None:
    """Child process: one long document through the pipeline; prints JSON with time and peak RSS."""
    from readout import pipeline, readers
    from readout import nlp as nlp_mod

    nlp_mod.load()
    document = readers.read_document(path, published="2024-03-08")
    rss0 = current_rss_mb()
    t = time.perf_counter()
    analysis = next(pipeline.analyze_documents([document]))
    seconds = time.perf_counter() - t
    print(json.dumps({
        "seconds": seconds,
        "rss_before_mb": rss0,
        "peak_rss_mb": peak_rss_mb(),
        "records": {k: len(v) for k, v in analysis.to_dict().items() if isinstance(v, list)},
    }))


def single_document(min_bytes: int, base_texts: Sequence[str], timeout: float) -> dict[str, Any]:
    text = long_text(min_bytes, base_texts)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.txt"
        path.write_text(text, encoding="utf-8")
        out: dict[str, Any] = {"bytes": len(text.encode("utf-8")), "words": words([text]), "timeout_s": timeout}
        t = time.perf_counter()
        with subprocess.Popen(
            [sys.executable, __file__, "--single-worker", str(path)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        ) as proc:
            try:
                stdout, stderr = proc.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                out.update(status="timeout", wall_s=time.perf_counter() - t, peak_rss_mb=child_peak_rss_mb(proc.pid))
                proc.kill()
                proc.communicate()
                return out
        if proc.returncode != 0:
            out.update(status="failed", error=(stderr.strip().splitlines() or ["?"])[-1])
            return out
        out.update(json.loads(stdout.strip().splitlines()[-1]), status="ok", wall_s=time.perf_counter() - t)
        out.update(rates(out["seconds"], 1, out["words"], out["bytes"]))
        return out


# ---------------------------------------------------------------- main
def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set-mb", type=float, default=2.0, help="size of the text set (default 2 MB)")
    ap.add_argument("--repeats", type=int, default=3, help="timed runs of each phase (default 3; the median is reported)")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--scaling-kb", default="25,50,100",
                    help="sizes (KB) of single documents for the per-extractor scaling check ('' to skip)")
    ap.add_argument("--single-mb", type=float, default=5.0, help="size of the single long document (0: skip)")
    ap.add_argument("--single-timeout", type=float, default=600.0, help="seconds allowed for the single document")
    ap.add_argument("--single-worker", metavar="PATH", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.single_worker:
        single_document_worker(args.single_worker)
        return 0

    from readout import __version__
    from readout import nlp as nlp_mod

    t0 = time.perf_counter()
    nlp = nlp_mod.load()
    load_s = time.perf_counter() - t0
    documents, source = load_texts(int(args.set_mb * MB))
    texts = [d.text for d in documents]
    n_docs, n_words, n_bytes = len(texts), words(texts), sum(len(t.encode("utf-8")) for t in texts)
    print(f"readout {__version__} · model {nlp_mod.describe()} (loaded in {load_s:.1f} s) · Python {platform.python_version()}"
          f" · {os.cpu_count()} CPUs")
    print(f"text set: {n_docs} documents, {n_words:,} words, {n_bytes / MB:.2f} MB from {source}")
    full(documents[:4], args.batch_size)  # warm up: registry, lazy imports, first batch

    can_reset = reset_peak_rss()
    times: dict[str, list[float]] = {"bare": [], "full": []}
    peaks: dict[str, float] = {"bare": 0.0, "full": 0.0}
    docs: list[Any] = []
    for r in range(args.repeats):
        for phase in ("bare", "full"):  # interleaved, so load on the machine hits both alike
            gc.collect()
            reset_peak_rss()
            t = time.perf_counter()
            out = bare(nlp, texts, args.batch_size) if phase == "bare" else full(documents, args.batch_size)
            times[phase].append(time.perf_counter() - t)
            peaks[phase] = max(peaks[phase], peak_rss_mb())
            if phase == "bare" and r == args.repeats - 1:
                docs = out
            del out
            print(f"  run {r + 1}/{args.repeats} {phase}: {times[phase][-1]:.1f} s", flush=True)
    med = {p: statistics.median(v) for p, v in times.items()}
    result: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "readout_version": __version__,
        "model": nlp_mod.describe(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "source": source,
        "set": {"documents": n_docs, "words": n_words, "bytes": n_bytes},
        "repeats": args.repeats,
        "times_s": times,
        "bare": {**rates(med["bare"], n_docs, n_words, n_bytes), "peak_rss_mb": peaks["bare"]},
        "full": {**rates(med["full"], n_docs, n_words, n_bytes), "peak_rss_mb": peaks["full"]},
        "ratio_full_over_bare": med["bare"] / med["full"],
        "peak_rss_note": "per phase (VmHWM reset before each run)" if can_reset else "process high-water mark (could not reset)",
    }
    breakdown = extractor_breakdown(docs, documents)
    del docs
    result["extractors_s"] = breakdown

    print()
    print(f"{'':8}{'seconds':>10}{'docs/s':>10}{'words/s':>12}{'MB/s':>9}{'peak RSS MB':>13}")
    for phase in ("bare", "full"):
        m = result[phase]
        print(f"{phase:8}{m['seconds']:>10.2f}{m['docs_per_s']:>10.1f}{m['words_per_s']:>12,.0f}{m['mb_per_s']:>9.3f}"
              f"{m['peak_rss_mb']:>13.0f}")
    ratio = result["ratio_full_over_bare"]
    print(f"ratio full/bare throughput: {ratio:.2f} (goal >= 0.80: {'met' if ratio >= 0.8 else 'NOT met'})")
    print()
    total = sum(breakdown.values()) or 1.0
    print(f"{'extractor':26}{'seconds':>10}{'share':>8}{'words/s':>12}")
    for name, s in sorted(breakdown.items(), key=lambda kv: -kv[1]):
        print(f"{name:26}{s:>10.2f}{s / total:>8.0%}{(n_words / s if s else float('inf')):>12,.0f}")
    print(f"{'all extractors':26}{total:>10.2f}{'':>8}{n_words / total:>12,.0f}  (bare parse: {med['bare']:.2f} s)")

    sizes = [float(x) for x in args.scaling_kb.split(",") if x.strip()]
    if sizes:
        base = [d.text for d in documents[: len(set(texts))]]
        sc = scaling(nlp, sizes, base)
        result["scaling"] = sc
        print()
        print("one long document: extractor seconds by document size (exponent 1 = linear, 2 = quadratic)")
        print(f"{'extractor':26}" + "".join(f"{k + ' KB':>10}" for k in sc["sizes_kb"]) + f"{'exponent':>10}")
        print(f"{'(parse)':26}" + "".join(f"{sc['parse_s'][k]:>10.2f}" for k in sc["sizes_kb"]))
        for name in sc["extractors_s"][sc["sizes_kb"][0]]:
            exp = sc["exponent"].get(name)
            print(f"{name:26}" + "".join(f"{sc['extractors_s'][k][name]:>10.2f}" for k in sc["sizes_kb"])
                  + (f"{exp:>10.2f}" if exp is not None else f"{'-':>10}"))

    if args.single_mb > 0:
        print()
        print(f"single document of {args.single_mb:g} MB through the pipeline (child process, limit {args.single_timeout:.0f} s)...",
              flush=True)
        single = single_document(int(args.single_mb * MB), [d.text for d in documents[: max(1, n_docs)]], args.single_timeout)
        result["single"] = single
        if single["status"] == "ok":
            print(f"  {single['bytes'] / MB:.2f} MB, {single['words']:,} words: {single['seconds']:.1f} s, "
                  f"{single['words_per_s']:,.0f} words/s, {single['mb_per_s']:.3f} MB/s, peak RSS {single['peak_rss_mb']:.0f} MB")
        elif single["status"] == "timeout":
            rss = single.get("peak_rss_mb")
            print(f"  {single['bytes'] / MB:.2f} MB, {single['words']:,} words: did NOT finish within {args.single_timeout:.0f} s"
                  + (f" (peak RSS by then {rss:.0f} MB)" if rss else ""))
        else:
            print(f"  failed: {single.get('error')}")

    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "last.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten: {OUT / 'last.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
