"""The README's "web server under load" figures come from bench/web.json (``make bench``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import bench_web  # noqa: E402


def test_readme_web_bench_section_is_generated_from_the_recorded_run() -> None:
    recorded = json.loads((REPO / "bench" / "web.json").read_text(encoding="utf-8"))
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index(bench_web.START):readme.index(bench_web.END) + len(bench_web.END)]
    assert section == bench_web.readme_section(recorded), "README's web bench figures are stale or edited by hand: run `python bench/bench_web.py readme`"
    assert recorded["documents"] == 20000 and recorded["clients"] == 200 and recorded["seconds"] == 30
    assert recorded["errors_total"] == 0
