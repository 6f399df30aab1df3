"""``analyze-corpus`` (shards.py): Parquet shards that ``ingest DIR`` loads without analyzing
again; the codec that keeps an outcome in a shard; resuming a killed run."""

from __future__ import annotations

import json
import os
import pickle
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from readout import codec, pipeline, shards
from readout.codec import WorkerError
from readout.errors import InputError, OptionError
from readout.readers import make_document

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "src" / "readout" / "corpus"
SPORT = "The home side won three to one on Saturday after two late goals.\n\nFans celebrated in the rain.\n"


def store_rows(db: Path, ignore: tuple[str, ...] = ()) -> dict[str, list[Any]]:
    """Every row of every table but the run log and the full-text index's internals, sorted; the
    failures and not_relevant tables without the run's time (two runs differ in when), and
    without the columns in ``ignore``."""
    conn = sqlite3.connect(db)
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    out: dict[str, list[Any]] = {}
    for t in names:
        if t in ("runs", "migrations") or "_fts" in t:
            continue
        cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{t}")') if r[1] not in ("failed_at", "recorded_at", *ignore)]
        out[t] = sorted(map(repr, conn.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{t}"').fetchall()))
    conn.close()
    return out


def inputs_with_trouble(tmp_path: Path) -> Path:
    """A folder with a few calls, a sports report the gate sets aside, and an empty file."""
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(11):
        (folder / f"call{i:02}.txt").write_text(f"China and the United States held call number {i}.\n", encoding="utf-8")
    (folder / "sport.txt").write_text(SPORT, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    return folder


# ---------------------------------------------------------------- the codec (no model)
def test_codec_round_trips_an_outcome_exactly_and_errors_as_code_and_message() -> None:
    from conftest import fake_analysis

    doc = make_document("China and the United States held a call.\n", published="2024-03-01", outlet="Xinhua",
                        metadata={"feed": {"page": 3, "tags": ["a", "b"]}, "score": 0.1}, check_language=False)
    analyzed = pipeline.Outcome(doc, fake_analysis(doc))
    assert codec.decode(codec.encode(analyzed)) == analyzed
    gated = pipeline.Outcome(doc, None, None, "no engagement, status, reporting or event word")
    assert codec.decode(codec.encode(gated)) == gated
    failed = codec.decode(codec.encode(pipeline.Outcome(doc, None, ValueError("boom"))))
    assert failed.error == WorkerError("extractor_error", "ValueError: boom (a bug in readout: please report it)")
    assert isinstance(failed.document.warnings, tuple)
    assert pickle.loads(pickle.dumps(failed.error)) == failed.error


@pytest.mark.model
def test_codec_round_trips_every_sample_corpus_analysis() -> None:
    from readout.inputs import read_inputs

    docs = [d for _, d in read_inputs([str(CORPUS)]) if not isinstance(d, Exception)]
    outcomes = list(pipeline.analyze_outcomes(docs))
    assert len(outcomes) == 25 and all(o.analysis is not None for o in outcomes)
    assert sum(len(o.analysis.statements) for o in outcomes if o.analysis) > 100
    for o in outcomes:
        assert codec.decode(codec.encode(o)) == o


# ---------------------------------------------------------------- shards and loading them (stand-in analyzer)
def test_analyze_corpus_then_ingest_dir_equals_a_plain_ingest(fake_analyzer: list[Any], tmp_path: Path) -> None:
    from readout.store.ingest import ingest

    folder = inputs_with_trouble(tmp_path)
    summary = shards.analyze_corpus([str(folder)], to=tmp_path / "shards", check_language=False, shard_size=4)
    assert (summary.shards, len(summary.written), summary.analyzed, summary.not_relevant, summary.failed) == (4, 4, 11, 1, 1)
    assert summary.failures[0]["source"] == str(folder / "empty.txt")
    assert [d.text[:5] for d in fake_analyzer].count("China") == 11 and len(fake_analyzer) == 11  # the sports report: not parsed

    fake_analyzer.clear()
    loaded = ingest([str(tmp_path / "shards")], db=tmp_path / "shards.db")
    assert fake_analyzer == []  # nothing analyzed again
    plain = ingest([str(folder)], db=tmp_path / "plain.db", check_language=False)
    assert (loaded.new, loaded.not_relevant, loaded.failed) == (plain.new, plain.not_relevant, plain.failed) == (11, 1, 1)
    assert loaded.shards == {"folder": str(tmp_path / "shards"), "shards": 4, "analyzed_here": 0}
    assert store_rows(tmp_path / "shards.db") == store_rows(tmp_path / "plain.db")

    before = store_rows(tmp_path / "shards.db", ignore=("run_id",))  # a failure is recorded again by the run that meets it
    again = ingest([str(tmp_path / "shards")], db=tmp_path / "shards.db")
    assert (again.new, again.unchanged, again.not_relevant, again.failed) == (0, 12, 0, 1)
    assert again.records_added == {} and store_rows(tmp_path / "shards.db", ignore=("run_id",)) == before


def test_a_shard_has_a_row_per_input_with_status_reason_and_the_format_in_its_metadata(fake_analyzer: list[Any], tmp_path: Path) -> None:
    folder = inputs_with_trouble(tmp_path)
    shards.analyze_corpus([str(folder)], to=tmp_path / "shards", check_language=False, shard_size=100)
    (only,) = sorted((tmp_path / "shards").glob("*.parquet"))
    table = pq.read_table(only)
    meta = json.loads(table.schema.metadata[shards.META_KEY])
    assert meta["schema"] == shards.SHARD_SCHEMA and meta["analyzer"]["model"] == "fake-model" and meta["rows"] == 13
    rows = table.to_pylist()
    assert [r["seq"] for r in rows] == list(range(13))
    by_source = {Path(r["source"]).name: r for r in rows}
    assert by_source["empty.txt"]["status"] == "failed" and by_source["empty.txt"]["code"] == "empty_input"
    assert by_source["empty.txt"]["outcome"] is None and "empty" in by_source["empty.txt"]["reason"]
    assert by_source["sport.txt"]["status"] == "not_relevant" and by_source["sport.txt"]["reason"]
    call = by_source["call03.txt"]
    assert call["status"] == "analyzed" and codec.decode(call["outcome"]).document.id == call["document_id"]


def test_a_run_resumed_after_a_shard_is_lost_analyzes_that_batch_only(fake_analyzer: list[Any], tmp_path: Path) -> None:
    folder = inputs_with_trouble(tmp_path)
    out = tmp_path / "shards"
    first = shards.analyze_corpus([str(folder)], to=out, check_language=False, shard_size=4)
    assert len(first.written) == 4
    lost = out / first.written[1]
    was = pq.read_table(lost)
    lost.unlink()
    (out / f".{first.written[2]}.999999999.tmp").write_bytes(b"half a shard")  # a killed run's leftover
    fake_analyzer.clear()

    again = shards.analyze_corpus([str(folder)], to=out, check_language=False, shard_size=4)
    assert again.written == [lost.name] and again.present == 3
    ids = [r["document_id"] for r in was.to_pylist() if r["status"] == "analyzed"]
    assert [d.id for d in fake_analyzer] == ids  # only the lost batch's documents went through the analyzer
    assert pq.read_table(lost).equals(was)  # the same shard, byte for byte in content
    assert not list(out.glob(".*.tmp"))
    marker = shards.read_marker(out)
    assert marker is not None and marker["complete"] and marker["shards"] == first.written


def test_ingest_refuses_an_unfinished_shard_folder_with_what_to_do(fake_analyzer: list[Any], tmp_path: Path) -> None:
    from readout.store.ingest import ingest

    folder = inputs_with_trouble(tmp_path)
    out = tmp_path / "shards"
    done = shards.analyze_corpus([str(folder)], to=out, check_language=False, shard_size=4)
    (out / done.written[0]).unlink()
    with pytest.raises(InputError, match="run the same analyze-corpus command again"):
        ingest([str(out)], db=tmp_path / "x.db")
    marker = json.loads((out / shards.MARKER).read_text())
    (out / shards.MARKER).write_text(json.dumps({**marker, "complete": False}))
    with pytest.raises(InputError, match="has not finished it"):
        ingest([str(out)], db=tmp_path / "x.db")
    assert not (tmp_path / "x.db").exists()  # refused before a run was recorded
    with pytest.raises(OptionError, match="--outlet is an option of the analysis"):
        ingest([str(out)], db=tmp_path / "x.db", outlet="Xinhua")


def test_analyze_corpus_refuses_a_folder_holding_other_files(fake_analyzer: list[Any], tmp_path: Path) -> None:
    folder = inputs_with_trouble(tmp_path)
    with pytest.raises(InputError, match="holds other files"):
        shards.analyze_corpus([str(folder)], to=folder, check_language=False)


def test_shards_of_other_inputs_are_reported_stale_and_not_loaded(fake_analyzer: list[Any], tmp_path: Path) -> None:
    from readout.store.ingest import ingest

    folder = inputs_with_trouble(tmp_path)
    out = tmp_path / "shards"
    shards.analyze_corpus([str(folder)], to=out, check_language=False, shard_size=4)
    (folder / "call00.txt").write_text("China and the United States held another call.\n", encoding="utf-8")
    second = shards.analyze_corpus([str(folder)], to=out, check_language=False, shard_size=4)
    assert len(second.written) == 1 and len(second.stale) == 1
    loaded = ingest([str(out)], db=tmp_path / "s.db")
    assert loaded.new == 11  # not 12: the stale shard's old call00 is not loaded


def test_a_known_text_with_a_new_outlet_is_analyzed_again_as_a_plain_ingest_does(fake_analyzer: list[Any], tmp_path: Path) -> None:
    from readout.store.ingest import ingest

    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"text": "China and the United States held a call.", "published": "2024-03-01"}) + "\n")
    again = tmp_path / "again.jsonl"
    again.write_text(json.dumps({"text": "China and the United States held a call.", "outlet": "Xinhua"}) + "\n")
    shards.analyze_corpus([str(again)], to=tmp_path / "shards", check_language=False)
    for name in ("plain", "shards"):
        ingest([str(feed)], db=tmp_path / f"{name}.db", check_language=False)
    plain = ingest([str(again)], db=tmp_path / "plain.db", check_language=False)
    loaded = ingest([str(tmp_path / "shards")], db=tmp_path / "shards.db")
    assert plain.updated == loaded.updated == 1 and loaded.shards and loaded.shards["analyzed_here"] == 1
    assert store_rows(tmp_path / "shards.db") == store_rows(tmp_path / "plain.db")


# ---------------------------------------------------------------- the real model
@pytest.mark.model
def test_sample_corpus_through_analyze_corpus_and_ingest_dir_equals_a_plain_ingest(tmp_path: Path) -> None:
    from readout.store.ingest import ingest

    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "sport.txt").write_text(SPORT * 3, encoding="utf-8")
    (extra / "blank.txt").write_text("  \n", encoding="utf-8")
    inputs = [str(CORPUS), str(extra)]
    made = shards.analyze_corpus(inputs, to=tmp_path / "shards", shard_size=8, workers=2)
    assert (made.analyzed, made.not_relevant, made.failed, made.shards) == (25, 1, 1, 4)
    loaded = ingest([str(tmp_path / "shards")], db=tmp_path / "shards.db")
    plain = ingest(inputs, db=tmp_path / "plain.db")
    assert (loaded.new, loaded.not_relevant, loaded.failed) == (plain.new, plain.not_relevant, plain.failed) == (25, 1, 1)
    a, b = store_rows(tmp_path / "shards.db"), store_rows(tmp_path / "plain.db")
    assert len(a["statements"]) > 100 and len(a["not_relevant"]) == 1 and len(a["failures"]) == 1
    assert a == b


def test_cli_analyze_corpus_and_ingest_dir(tmp_path: Path) -> None:
    """The commands as a person runs them, with the stand-in analyzer in the child process."""
    folder = inputs_with_trouble(tmp_path)
    script = str(REPO / "tests" / "fake_cli.py")  # the real CLI with the stand-in analyzer

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, script, *args], capture_output=True, text=True, timeout=300, cwd=tmp_path)

    made = run("analyze-corpus", str(folder), "--to", str(tmp_path / "shards"), "--shard-size", "5", "--no-language-check",
               "--format", "json")
    assert made.returncode == 2, made.stderr  # one input failed: said, and the exit status says so
    result = json.loads(made.stdout)
    assert result["complete"] and result["shards"]["written"] == 3 and result["documents"]["failed"] == 1
    done = run("ingest", str(tmp_path / "shards"), "--db", str(tmp_path / "s.db"), "--format", "json")
    assert done.returncode == 2 and json.loads(done.stdout)["documents"]["new"] == 11
    bad = run("ingest", str(tmp_path / "shards"), "--db", str(tmp_path / "s.db"), "--published", "2024-01-01")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and bad.stderr.startswith("error: --published is an option")


# ---------------------------------------------------------------- an unreachable cluster
@pytest.mark.parametrize("command", ["ingest", "analyze-corpus"])
def test_an_unreachable_scheduler_fails_at_once_and_records_no_run(command: str, tmp_path: Path) -> None:
    folder = inputs_with_trouble(tmp_path)
    args = [str(folder), "--db", str(tmp_path / "x.db")] if command == "ingest" else [str(folder), "--to", str(tmp_path / "out")]
    t0 = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "readout", command, *args, "--scheduler", "tcp://127.0.0.1:1"],
                          capture_output=True, text=True, timeout=300, env={**os.environ, "READOUT_WORKERS": "1"})
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: cannot reach the Dask scheduler at tcp://127.0.0.1:1")
    assert "start one (dask scheduler)" in done.stderr
    assert time.monotonic() - t0 < 60
    if command == "ingest" and (tmp_path / "x.db").exists():
        conn = sqlite3.connect(tmp_path / "x.db")
        assert conn.execute("SELECT count(*) FROM runs").fetchone()[0] == 0
        conn.close()
    assert not (tmp_path / "out").exists()


def test_a_shard_folder_inside_the_inputs_is_skipped_not_read(fake_analyzer: list[Any], tmp_path: Path) -> None:
    from readout.store.ingest import ingest

    folder = inputs_with_trouble(tmp_path)
    first = shards.analyze_corpus([str(folder)], to=folder / "shards", check_language=False, shard_size=4)
    again = shards.analyze_corpus([str(folder)], to=folder / "shards", check_language=False, shard_size=4)
    assert first.skipped.shards == again.skipped.shards == 1
    assert (again.present, again.written, again.failed) == (4, [], 0)
    plain = ingest([str(folder)], db=tmp_path / "p.db", check_language=False)
    assert (plain.new, plain.failed, plain.skipped.shards) == (11, 1, 1)
    assert "skipped 1 folder of analyze-corpus shards (ingest such a folder on its own)" in plain.skipped.lines()


@pytest.mark.model
def test_analyze_corpus_killed_mid_run_resumes_with_the_missing_shards_only(tmp_path: Path) -> None:
    """A real analyze-corpus process killed with SIGKILL once a few shards are written: the rerun
    keeps them, makes the rest, and the folder loads into the rows of a plain ingest."""
    import signal

    from readout.store.ingest import ingest

    out = tmp_path / "shards"
    child = subprocess.Popen([sys.executable, "-m", "readout", "analyze-corpus", str(CORPUS), "--to", str(out), "--shard-size", "2"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline and child.poll() is None and len(list(out.glob("*.parquet"))) < 3:
            time.sleep(0.05)
        assert child.poll() is None, "analyze-corpus finished before it could be killed"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=60)
    kept = sorted(p.name for p in out.glob("*.parquet"))
    assert 3 <= len(kept) < 13
    marker = shards.read_marker(out)
    assert marker is not None and not marker["complete"]
    with pytest.raises(InputError, match="has not finished it"):
        ingest([str(out)], db=tmp_path / "early.db")

    again = shards.analyze_corpus([str(CORPUS)], to=out, shard_size=2)
    assert again.complete and again.shards == 13 and again.present == len(kept)
    done = shards.read_marker(out)
    assert done is not None and sorted(again.written) == sorted(set(done["shards"]) - set(kept))
    assert again.analyzed == 25 - 2 * len(kept)
    ingest([str(out)], db=tmp_path / "shards.db")
    ingest([str(CORPUS)], db=tmp_path / "plain.db")
    assert store_rows(tmp_path / "shards.db") == store_rows(tmp_path / "plain.db")
