"""The README's fuzzing figures come from bench/fuzz.json (``make fuzz``), and that run met the
bar: at least 10,000 cases, no crash."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]


def _fuzz() -> ModuleType:
    spec = importlib.util.spec_from_file_location("readout_bench_fuzz", REPO / "bench" / "fuzz.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


fuzz = _fuzz()


def test_fuzz_readme_section_is_what_the_json_renders() -> None:
    section = fuzz.readme_section((REPO / "README.md").read_text(encoding="utf-8"))
    assert section == fuzz.render(fuzz.load()), "README.md's fuzzing figures are stale or hand-edited: run `make fuzz`"


def test_fuzz_recorded_run_meets_the_bar() -> None:
    data = fuzz.load()
    assert data["total_cases"] >= 10_000
    assert data["crashes"] == 0 and data["pytest_exit"] == 0
    assert all(p["outcome"] == "passed" and p["cases"] > 0 for p in data["properties"].values()), data["properties"]
    assert set(data["properties"]) == {"text files", "html files", "documents from text", "jsonl records", "csv records",
                                       "analyze", "ingest"}


def test_fuzz_render_shows_each_property() -> None:
    data = {"date": "2026-01-01", "hypothesis": "6", "command": "make fuzz", "total_cases": 12345, "crashes": 0, "seconds": 600,
            "properties": {"text files": {"cases": 12000, "outcome": "passed", "seconds": 500.0},
                           "ingest": {"cases": 345, "outcome": "failed", "seconds": 100.0}}}
    text = fuzz.render(data)
    assert "**12,345 cases, 0 crashes** in 10 minutes" in text
    assert "| text files | 12,000 | 0 | 500 |" in text and "| ingest | 345 | failed | 100 |" in text
