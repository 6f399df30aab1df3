"""Ingest on a Dask cluster (cluster.py): a real ``LocalCluster`` of two worker processes."""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("distributed", reason="the Dask extra is not installed (pip install 'readout[dask]')")

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "src" / "readout" / "corpus"
TABLES = ("documents", "actors", "mentions", "engagements", "engagement_sources", "engagement_participants",
          "channels", "channel_assertions", "channel_intervals", "statements", "events", "failures")


def rows(db: Path) -> dict[str, list[Any]]:
    conn = sqlite3.connect(db)
    out = {t: sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"').fetchall())) for t in TABLES}
    conn.close()
    return out


@pytest.fixture(scope="module")
def cluster() -> Any:
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as c:
        yield c


def test_unreachable_scheduler_is_a_one_line_error_that_says_what_to_do() -> None:
    from readout.cluster import connect
    from readout.errors import InputError

    with pytest.raises(InputError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9.*--scheduler"):
        connect("tcp://127.0.0.1:9", timeout=2)


@pytest.mark.model
def test_local_cluster_ingest_gives_exactly_the_rows_of_a_plain_ingest(cluster: Any, tmp_path: Path) -> None:
    from readout.store.ingest import ingest

    plain = ingest([str(CORPUS)], db=tmp_path / "plain.db")
    dask = ingest([str(CORPUS)], db=tmp_path / "dask.db", scheduler=cluster.scheduler_address)
    assert dask.new == plain.new == 25 and dask.failed == 0
    assert rows(tmp_path / "dask.db") == rows(tmp_path / "plain.db")
    again = ingest([str(CORPUS)], db=tmp_path / "dask.db", scheduler=cluster.scheduler_address)
    assert (again.new, again.unchanged) == (0, 25)


@pytest.mark.model
def test_a_worker_killed_mid_run_leaves_every_document_in_or_failed(cluster: Any, tmp_path: Path) -> None:
    from distributed import Client

    from readout.store.ingest import ingest

    db = tmp_path / "killed.db"
    killed: list[float] = []

    def kill_one_worker() -> None:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                conn = sqlite3.connect(db, timeout=1)
                n = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
                conn.close()
            except sqlite3.Error:
                n = 0
            if n >= 2:
                break
            time.sleep(0.05)
        with Client(cluster.scheduler_address) as client:
            pids = client.run(os.getpid)
        pid = sorted(pids.values())[0]
        os.kill(pid, signal.SIGKILL)
        killed.append(time.monotonic())

    killer = threading.Thread(target=kill_one_worker)
    killer.start()
    summary = ingest([str(CORPUS)], db=db, scheduler=cluster.scheduler_address)
    finished = time.monotonic()
    killer.join()
    assert killed and killed[0] < finished, "no worker was killed while the ingest ran"
    conn = sqlite3.connect(db)
    documents = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    failures = conn.execute("SELECT count(*) FROM failures").fetchone()[0]
    conn.close()
    assert summary.new + summary.failed == 25
    assert documents + failures == 25


@pytest.mark.model
def test_analyze_corpus_on_a_local_cluster_then_ingest_dir_gives_the_rows_of_a_plain_ingest(cluster: Any, tmp_path: Path) -> None:
    from readout.shards import analyze_corpus
    from readout.store.ingest import ingest

    made = analyze_corpus([str(CORPUS)], to=tmp_path / "shards", scheduler=cluster.scheduler_address, shard_size=8)
    assert made.complete and (made.shards, made.analyzed, made.failed) == (4, 25, 0)
    loaded = ingest([str(tmp_path / "shards")], db=tmp_path / "shards.db")
    plain = ingest([str(CORPUS)], db=tmp_path / "plain.db")
    assert loaded.new == plain.new == 25
    assert rows(tmp_path / "shards.db") == rows(tmp_path / "plain.db")
