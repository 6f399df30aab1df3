"""The board's story on the real-readouts corpus (eval/readouts): where its gold channel status
covers the US-China chiefs-of-defense, MMCA, DPCT and theater-commander channels, the timelines
built from the gold records (umbrellas included) must tell what the sample corpus and the
reference article tell (suspended as of 2023-06-01; as of 2023-12-22 the chiefs active since
2023-12-21 and the others pending; all four active as of 2024-10-01), and readout's own
timelines from the same documents must agree with them on those days. A day counts for a
channel when the gold holds news of it (or of its umbrella) dated after the story's previous
day and by this one: the gold need not tell every step."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from readout.registry import get_registry
from readout.store import aggregate, open_store, queries

REPO = Path(__file__).resolve().parents[1]
REAL = REPO / "eval" / "readouts"
FOUR = ("chn-usa-chiefs-of-defense", "chn-usa-mmca", "chn-usa-dpct", "chn-usa-theater-commanders")
# the day, and the state each channel is in on it
STORY = {
    "2023-06-01": {c: "suspended" for c in FOUR},
    "2023-12-22": {"chn-usa-chiefs-of-defense": "active", **{c: "resumption_pending" for c in FOUR[1:]}},
    "2024-10-01": {c: "active" for c in FOUR},
}


def _precision(value: str) -> str:
    return {10: "day", 7: "month", 4: "year"}.get(len(value), "day")


def gold_rows() -> dict[str, list[dict[str, Any]]]:
    """The real corpus's gold channel status of registry channels, as channel_assertions rows."""
    index = {d["file"]: d for d in yaml.safe_load((REAL / "index.yaml").read_text(encoding="utf-8"))["documents"]}
    registry = get_registry()
    out: dict[str, list[dict[str, Any]]] = {}
    for path in sorted((REAL / "gold").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for doc in data.get("documents", [data]):
            published = str(index.get(doc.get("file"), {}).get("published") or "") or None
            for n, c in enumerate(doc.get("channel_status") or []):
                if c.get("channel") not in registry.channels:
                    continue
                when = str(c["date"]) if c.get("date") else None
                placed = when or published
                r = aggregate.date_range(placed, None) if placed else None
                out.setdefault(c["channel"], []).append({
                    "id": f"{path.name}#{n}", "document_id": str(doc.get("file")), "status": c["status"], "date": when,
                    "date_precision": _precision(when) if when else None, "effective_date": r[0].isoformat() if r else None,
                    "dated_by": "text" if when else "published", "side": c.get("side"), "published": published,
                })
    return out


def gold_timeline(rows: dict[str, list[dict[str, Any]]], channel: str) -> list[dict[str, Any]]:
    """A channel's timeline from the gold: its own records and its umbrellas' suspensions and
    agreements to resume, as the store builds it."""
    own = [{**r, "inherited_from": None} for r in rows.get(channel, [])]
    inherited = [{**r, "inherited_from": up.id} for up in get_registry().ancestors(channel) for r in rows.get(up.id, [])
                 if r["status"] in aggregate.INHERITED]
    return aggregate.build_timeline(own + inherited)


def state_on(intervals: list[dict[str, Any]], day: str) -> str | None:
    started = [iv for iv in intervals if iv["start_date"] and iv["start_date"] <= day]
    return started[-1]["state"] if started else None


def covered_days(rows: dict[str, list[dict[str, Any]]], channel: str) -> list[str]:
    """The days of the story on which the gold speaks to the channel: it holds news of the
    channel (or of its umbrella) dated after the story's previous day and by this one."""
    dates = [r["effective_date"] for r in rows.get(channel, []) if r["effective_date"]]
    dates += [r["effective_date"] for up in get_registry().ancestors(channel) for r in rows.get(up.id, [])
              if r["effective_date"] and r["status"] in aggregate.INHERITED]
    out, previous = [], ""
    for day in STORY:
        if any(previous < d <= day for d in dates):
            out.append(day)
        previous = day
    return out


@pytest.fixture(scope="module")
def covered() -> tuple[dict[str, list[dict[str, Any]]], list[str]]:
    if not (REAL / "index.yaml").is_file():
        pytest.skip("eval/readouts/index.yaml is absent: the real-readouts corpus is not in this checkout")
    rows = gold_rows()
    channels = [c for c in FOUR if c in rows or any(up.id in rows for up in get_registry().ancestors(c))]
    if not channels:
        pytest.skip("the real corpus's gold has no channel status of the US-China chiefs-of-defense, MMCA, DPCT or "
                    "theater-commander channels (nor of their umbrellas) yet")
    return rows, channels


def test_real_gold_timelines_tell_the_story_where_they_cover_the_channels(covered: tuple[dict[str, Any], list[str]]) -> None:
    rows, channels = covered
    checked = 0
    for channel in channels:
        intervals = gold_timeline(rows, channel)
        for day in covered_days(rows, channel):
            assert state_on(intervals, day) == STORY[day][channel], (channel, day, intervals)
            checked += 1
    if not checked:
        pytest.skip("the real corpus's gold dates none of these channels' news on or before the days of the story")


@pytest.mark.model
@pytest.mark.xfail(reason="extraction on the real corpus (issue 8): in the 2023-10 DoD report, 'In August' resolves to 2023-08 "
                          "(the gold: 2022-08) and the umbrella's suspension is undated (placed at publication, 2023-10), so "
                          "readout's suspensions start in 2023; the chiefs' 2023-12-21 call is not found as held", strict=False)
def test_real_corpus_timelines_agree_with_the_gold_on_those_days(covered: tuple[dict[str, Any], list[str]], tmp_path: Path) -> None:
    rows, channels = covered
    from readout.readers import read_index

    feed = tmp_path / "real.jsonl"
    with feed.open("w", encoding="utf-8") as fh:
        for e in read_index(REAL):
            fh.write(json.dumps({"text": e.path.read_text(encoding="utf-8"), "title": e.title, "outlet": e.outlet,
                                 "published": str(e.published) if e.published else None, "url": e.url}) + "\n")
    db = tmp_path / "real.db"
    done = subprocess.run([sys.executable, "-m", "readout", "ingest", str(feed), "--db", str(db)], capture_output=True, text=True,
                          timeout=1200)
    assert done.returncode == 0, done.stderr
    with open_store(db) as store:
        for channel in channels:
            ours = queries.timeline(store, channel).intervals
            gold = gold_timeline(rows, channel)
            for day in covered_days(rows, channel):
                assert state_on(ours, day) == state_on(gold, day), (channel, day, ours, gold)
