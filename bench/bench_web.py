"""``readout serve`` under load, run by ``make bench`` after bench_store.py.

The store is the one bench_store.py builds (its builder is reused: the 25 sample documents
analyzed once, then written as ``--docs`` record-level variants; an existing
``bench/out/store-<N>.db`` with N documents is reused). ``readout serve`` runs on a free
loopback port with ``--workers`` uvicorn worker processes, and Debian's ``wrk`` (a maintained
HTTP load generator written in C, so the load costs the 2 CPUs little) drives it: ``--clients``
concurrent connections for ``--seconds`` on each of three endpoints, one after the other,
every request a different URL drawn in turn from a pool:

  board        /api/v1/board?dyad=<busiest dyad>&as_of=<one of 60 days across its records, or none>
  engagement   /api/v1/engagements/<id>/comparison for 200 engagements reported by 2+ documents
  search       /api/v1/search?q=<a topic word>[&side=<side>] over statements and documents

For each: requests, requests/s, errors (connect, read, write, timeout, non-2xx status) and the
latency percentiles p50/p90/p95/p99 (wrk's, closed loop: each connection sends its next request
when the last answer came). The figures go to ``bench/web.json``; ``python bench/bench_web.py
readme`` writes the README's "Web server under load" section from it.

    python bench/bench_web.py                         # 20,000 documents, 200 clients, 30 s each
    python bench/bench_web.py --docs 2000 --seconds 5 # a quick look
    python bench/bench_web.py readme                  # README section from bench/web.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
RESULT = HERE / "web.json"
README = HERE.parent / "README.md"
START, END = "<!-- web-bench:start", "<!-- web-bench:end -->"
SEARCH_WORDS = ("respect", "miscalculation", "communication", "Taiwan", "maritime", "talks", "core interests", "competition",
                "South China Sea", "channels", "sovereignty", "dialogue", "military", "resume", "video call")

WRK_SCRIPT = r"""
-- a pool of request paths, one per line; each thread starts at its own place and takes them in turn
local paths = {}
local i = 0
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  i = math.random(#paths)
end
function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
function done(summary, latency, requests)
  local e = summary.errors
  local f = io.open(os.getenv("READOUT_WRK_OUT"), "w")
  f:write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_ms": {"p50": %.3f, "p90": %.3f, "p95": %.3f, "p99": %.3f, "max": %.3f, "mean": %.3f}}',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000))
  f:close()
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ensure_store(n_docs: int, db: Path | None, rebuild: bool) -> tuple[Path, dict[str, Any] | None]:
    """bench_store.py's store of ``n_docs`` documents: reused when it is there, else built by its builder."""
    import sqlite3

    path = db or OUT / f"store-{n_docs}.db"
    if path.exists() and not rebuild:
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            have = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            stale = conn.execute("SELECT count(*) FROM channels WHERE stale = 1").fetchone()[0]
            conn.close()
        except sqlite3.Error:
            have, stale = -1, 1
        if have == n_docs and not stale:
            from readout.store import open_store

            open_store(path).close()  # applies any newer migration (the server opens it read-only)
            print(f"reusing {path} ({have:,} documents)", flush=True)
            return path, None
    sys.path.insert(0, str(HERE))
    import bench_store  # the builder of the big store

    OUT.mkdir(parents=True, exist_ok=True)
    print(f"building a store of {n_docs:,} documents at {path} (bench_store.build) ...", flush=True)
    built = bench_store.build(path, n_docs, [n_docs])
    return path, {k: built[k] for k in ("documents", "write_docs_per_s", "db_bytes")}


def url_pools(db: Path, seed_days: int = 60, engagements: int = 200) -> dict[str, list[str]]:
    """The request paths of each endpoint, drawn from the store."""
    from urllib.parse import quote, urlencode

    from readout.store import open_store

    with open_store(db) as store:
        dyad = str(store.scalar("SELECT dyad FROM channel_assertions WHERE dyad IS NOT NULL GROUP BY dyad ORDER BY count(*) DESC LIMIT 1"))
        lo, hi = store.rows("SELECT min(effective_date) AS lo, max(effective_date) AS hi FROM channel_assertions WHERE dyad = ?", (dyad,))[0].values()
        first, last = date.fromisoformat(lo), date.fromisoformat(hi)
        step = max(1, (last - first).days // seed_days)
        days = [(first + timedelta(days=k * step)).isoformat() for k in range(seed_days)]
        ids = [r["id"] for r in store.rows(
            "SELECT id FROM engagements WHERE sources >= 2 ORDER BY id LIMIT ?", (engagements,))]
        sides = [r["side"] for r in store.rows("SELECT DISTINCT side FROM statements WHERE side IS NOT NULL ORDER BY side LIMIT 4")]
    board = [f"/api/v1/board?{urlencode({'dyad': dyad, 'as_of': d})}" for d in days] + [f"/api/v1/board?dyad={dyad}"]
    comparison = [f"/api/v1/engagements/{quote(i)}/comparison" for i in ids]
    search = []
    for k, word in enumerate(SEARCH_WORDS):
        search.append("/api/v1/search?" + urlencode({"q": word}))
        search.append("/api/v1/search?" + urlencode({"q": word, "side": sides[k % len(sides)]}) if sides else "/api/v1/search?" + urlencode({"q": word, "in": "statements"}))
    return {"board": board, "engagement": comparison, "search": search, "_dyad": [dyad]}


def check_pool(base: str, paths: list[str]) -> dict[str, Any]:
    """Every path of a pool answers 200 before the load starts (a broken URL would count as errors)."""
    import httpx

    sizes = []
    with httpx.Client(base_url=base, timeout=60) as client:
        for p in paths:
            r = client.get(p)
            if r.status_code != 200:
                raise SystemExit(f"{p}: {r.status_code} {r.text[:300]}")
            sizes.append(len(r.content))
    return {"urls": len(paths), "median_bytes": sorted(sizes)[len(sizes) // 2]}


def run_wrk(base: str, paths: list[str], clients: int, seconds: int, threads: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        script, pool, out = Path(tmp) / "pool.lua", Path(tmp) / "paths.txt", Path(tmp) / "out.json"
        script.write_text(WRK_SCRIPT)
        pool.write_text("\n".join(paths) + "\n")
        cmd = ["wrk", f"-t{threads}", f"-c{clients}", f"-d{seconds}s", "--timeout", "30s", "-s", str(script), base, "--", str(pool)]
        done = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "READOUT_WRK_OUT": str(out)}, timeout=seconds + 120)
        if done.returncode != 0 or not out.exists():
            raise SystemExit(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
        result: dict[str, Any] = json.loads(out.read_text())
    result["seconds"] = result["duration_us"] / 1e6
    result["requests_per_s"] = result["requests"] / result["seconds"]
    result["errors_total"] = sum(result["errors"].values())
    return result


def wrk_version() -> str:
    done = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    m = re.search(r"wrk (\S+)", done.stdout + done.stderr)
    return m.group(1) if m else "unknown"


def load_run(db: Path, pools: dict[str, list[str]], args: argparse.Namespace, flags: list[str]) -> dict[str, Any]:
    """Start readout serve with ``flags``, load each endpoint in turn, stop it."""
    import httpx

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tempfile.NamedTemporaryFile(prefix="readout-serve-", suffix=".log", delete=False)
    server = subprocess.Popen([sys.executable, "-m", "readout", "serve", "--db", str(db), "--port", str(port), "--workers",
                               str(args.workers), *flags], stdout=log, stderr=subprocess.STDOUT)
    out: dict[str, Any] = {}
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(base + "/api/v1/failures", timeout=60).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("readout serve did not start: " + Path(log.name).read_text(errors="replace")[-2000:])
            time.sleep(0.5)
        for name, paths in pools.items():
            print(f"{name}: {len(paths)} URLs, e.g. {paths[0]}", flush=True)
            info = check_pool(base, paths)
            run_wrk(base, paths, min(args.clients, 20), 3, args.threads)  # warm-up, not reported
            load_before = os.getloadavg()[0]
            r = run_wrk(base, paths, args.clients, args.seconds, args.threads)
            r.update(info)
            r["loadavg_1min"] = {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)}
            out[name] = r
            lat = r["latency_ms"]
            print(f"  {r['requests']:,} requests in {r['seconds']:.1f} s ({r['requests_per_s']:,.1f}/s), errors {r['errors_total']} "
                  f"{r['errors']}; latency p50 {lat['p50']:.0f} ms, p95 {lat['p95']:.0f} ms, p99 {lat['p99']:.0f} ms, max {lat['max']:.0f} ms",
                  flush=True)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    return out


def measure(args: argparse.Namespace) -> int:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk (Debian's package), then run this again")
    from readout import __version__

    db, built = ensure_store(args.docs, args.db, args.rebuild)
    pools = url_pools(db)
    dyad = pools.pop("_dyad")[0]
    result: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"), "readout_version": __version__, "python": platform.python_version(),
        "cpus": os.cpu_count(), "wrk": wrk_version(), "documents": args.docs, "db_mb": round(db.stat().st_size / 2**20, 1),
        "clients": args.clients, "seconds": args.seconds, "workers": args.workers, "wrk_threads": args.threads, "dyad": dyad,
        "server": f"readout serve --workers {args.workers} (uvicorn)", "modes": {},
    }
    if built:
        result["built"] = built
    modes = [("uncached", ["--no-cache"]), ("cached", [])]
    for mode, flags in modes:
        print(f"\n== readout serve {' '.join(flags) or '(answers kept while the database is unchanged)'}", flush=True)
        result["modes"][mode] = load_run(db, pools, args, flags)
    errors = sum(e["errors_total"] for m in result["modes"].values() for e in m.values())
    result["errors_total"] = errors
    OUT.mkdir(parents=True, exist_ok=True)
    full = (args.docs, args.clients, args.seconds) == (20000, 200, 30)
    path = args.out or (RESULT if full else OUT / f"web-{args.docs}.json")  # the README's figures only from a full run
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\n{'server':10}{'endpoint':12}{'requests':>10}{'req/s':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for mode, endpoints in result["modes"].items():
        for name, r in endpoints.items():
            lat = r["latency_ms"]
            print(f"{mode:10}{name:12}{r['requests']:>10,}{r['requests_per_s']:>9,.1f}{r['errors_total']:>8}{lat['p50']:>9.0f}"
                  f"{lat['p95']:>9.0f}{lat['p99']:>9.0f}")
    print(f"written: {path}")
    return 1 if errors else 0


# ------------------------------------------------------------------ the README section
def _loads(r: dict[str, Any]) -> str:
    values = [e["loadavg_1min"]["after"] for m in r["modes"].values() for e in m.values() if "loadavg_1min" in e]
    return f"{min(values):.1f} to {max(values):.1f}" if values else ""


def readme_section(r: dict[str, Any]) -> str:
    rows = []
    for mode, label in (("uncached", "`--no-cache`: every answer computed"), ("cached", "default: answers kept while the database is unchanged")):
        for name, what in (("board", "board (`/api/v1/board`)"), ("engagement", "comparison (`/api/v1/engagements/{id}/comparison`)"),
                           ("search", "search (`/api/v1/search`)")):
            e = r["modes"].get(mode, {}).get(name)
            if not e:
                continue
            lat = e["latency_ms"]
            rows.append(f"| {label} | {what} | {e['requests']:,} | {e['requests_per_s']:,.1f} | {e['errors_total']} | "
                        f"{lat['p50']:,.0f} | **{lat['p95']:,.0f}** | {lat['p99']:,.0f} |")
    return "\n".join([
        f"{START} (generated by `python bench/bench_web.py readme` from bench/web.json; do not edit) -->",
        f"Measured on {r['when'][:10]} on this project's {r['cpus']}-core machine, shared with the load generator: `{r['server']}` over the "
        f"{r['documents']:,}-document store of bench_store.py ({r['db_mb']:,.0f} MB), loaded by wrk {r['wrk']} with "
        f"**{r['clients']} concurrent connections for {r['seconds']} s** per endpoint ({r['wrk_threads']} wrk threads), every request "
        f"a URL from a pool in turn (board: {r['dyad']} as of 60 days across its records and today; comparison: 200 engagements with "
        "2+ sources; search: 15 topic words, with and without a side), once with every answer computed and once with the server's "
        "default cache (so, after a URL's first request, answered from memory). Latency is wrk's, closed loop (a connection sends "
        "its next request when the last answer came): with 200 connections it is mostly time in the queue, and requests/s is the "
        "capacity." + (f" The machine's 1-minute load average during the runs: {_loads(r)} (other work shares it)." if _loads(r) else ""),
        "",
        "| server | endpoint | requests | requests/s | errors | p50 ms | p95 ms | p99 ms |",
        "|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        f"Errors in all: **{r['errors_total']}** (connect, read, write, timeout and non-2xx responses). "
        "`make bench` runs it (`python bench/bench_web.py`, after bench_store.py, whose store it reuses); "
        "`python bench/bench_web.py --docs 2000 --seconds 5` for a quick look.",
        END,
    ])


def write_readme(path: Path = README, result: Path = RESULT) -> None:
    r = json.loads(result.read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    section = readme_section(r)
    if START in text:
        head, rest = text.split(START, 1)
        tail = rest.split(END, 1)[1]
        text = head + section + tail
    else:
        raise SystemExit(f"{path}: no '{START}' marker: add the section's markers where the figures belong")
    path.write_text(text, encoding="utf-8")
    print(f"rewrote the web bench section of {path}")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["readme"]:
        write_readme()
        return 0
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=20000, help="documents in the store (default 20,000)")
    ap.add_argument("--db", type=Path, default=None, help="the store (default bench/out/store-<N>.db, built if missing)")
    ap.add_argument("--rebuild", action="store_true", help="build the store even if it is there")
    ap.add_argument("--clients", type=int, default=200, help="concurrent connections (default 200)")
    ap.add_argument("--seconds", type=int, default=30, help="seconds of load per endpoint (default 30)")
    ap.add_argument("--workers", type=int, default=2, help="uvicorn worker processes (default 2)")
    ap.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    ap.add_argument("--out", type=Path, default=None,
                    help="where to write the JSON (default: bench/web.json for the full run, else bench/out/web-<N>.json)")
    return measure(ap.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
