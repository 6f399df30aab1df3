"""docs/scaling.md's memory table comes from bench/scale_memory.json (the full memory run of
bench/bench_scale.py), and that run measured what the docs claim of it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import bench_scale  # noqa: E402


def test_scaling_memory_table_is_generated_from_the_recorded_run() -> None:
    recorded = json.loads(bench_scale.MEMORY_JSON.read_text(encoding="utf-8"))
    text = bench_scale.SCALING_MD.read_text(encoding="utf-8")
    section = text[text.index(bench_scale.START):text.index(bench_scale.END) + len(bench_scale.END)]
    assert section == bench_scale.docs_section(recorded), \
        "docs/scaling.md's memory table is stale or edited by hand: run `python bench/bench_scale.py docs`"


def test_recorded_memory_run_covers_every_size_and_mode_and_its_counts_add_up() -> None:
    rows = json.loads(bench_scale.MEMORY_JSON.read_text(encoding="utf-8"))["memory"]
    assert sorted({(r["documents"], r["mode"]) for r in rows}) == sorted(
        (n, m) for n in (1000, 10000, 50000) for m in ("ingest", "corpus", "load"))
    for r in rows:
        assert "error" not in r
        assert r["analyzed"] == r["relevant"] and r["analyzed"] + r["not_relevant"] == r["documents"] and r["failed"] == 0


def test_docs_section_shows_the_ratio_of_the_largest_run_to_the_smallest() -> None:
    def row(n: int, mode: str, writer: float, worker: float) -> dict[str, object]:
        return {"documents": n, "relevant": n // 100, "mode": mode, "seconds": 1.0, "writer_peak_mb": writer,
                "worker_peak_mb": worker, "writer_cpu_s": 1.0, "workers_cpu_s": 2.0}

    rec = {"when": "2026-01-01T10:00:00+00:00", "cores": 2, "load_average_start": 1.0, "load_average_end": 2.0,
           "memory": [row(1000, "ingest", 300, 200), row(50000, "ingest", 450, 200), row(1000, "load", 100, 0), row(50000, "load", 100, 0)]}
    text = bench_scale.docs_section(rec)
    assert "| | 50× the documents | | **1.50×** | **1.00×** | | |" in text
    assert "| | 50× the documents | | **1.00×** |  | | |" in text
