"""A store that looks after itself and commands that never surprise: folders with their own
database, re-ingest with new metadata, failures and runs, opening rules (foreign, newer,
missing, read-only), readers beside a writer, check / rebuild / backup, option checking,
empty CSV results, the demo's own database, full-text word forms.

The ingest loop and the store are the real ones; the model and extractors are replaced by
``conftest.fake_analysis`` (records derived from each document's metadata), so these tests
need no model."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from readout import pipeline
from readout.cli import EXIT_BUG, cli
from readout.errors import OptionError, StoreError
from readout.records import Analysis, Document, Span, Statement
from readout.registry import get_registry
from readout.store import aggregate, dyads, ingest, maintain, open_store, queries, schema
from readout.store.write import save_analysis

TESTS = Path(__file__).resolve().parent
ARTICLE = (
    "Defense officials from China and the United States held a call on Thursday about maritime safety, the "
    "ministry said in a statement. Both sides agreed to keep the military maritime consultations going."
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(40))


def article(n: int) -> str:
    return f"{ARTICLE} Report number {n}."


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner(env={"COLUMNS": "160"}).invoke(cli, list(args), input=input)


def one_line_error(result: Result, *fragments: str) -> str:
    assert result.exit_code not in (0, EXIT_BUG), (result.exit_code, result.output)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for f in fragments:
        assert f in lines[0], lines[0]
    return lines[0]


def files_state(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file of ``folder`` with a digest of its bytes and its modification time."""
    return {
        str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


def corpus(folder: Path, n: int = 3) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"{i:02d}.txt").write_text(article(i))
    return folder


@pytest.fixture
def tracker(tmp_path: Path, fake_analyzer: list[Any]) -> Path:
    """A small database made by a (fake-analyzed) ingest; closed, ready for commands."""
    db = tmp_path / "db" / "tracker.db"
    db.parent.mkdir()
    ingest([str(corpus(tmp_path / "docs"))], db=db, published="2024-03-07", outlet="Xinhua")
    return db


# ---------------------------------------------------------------- folder walks, end to end
def test_folder_with_its_own_database_exits_0(tmp_path: Path, fake_analyzer: list[Any]) -> None:
    folder = corpus(tmp_path / "corpus", 2)
    db = folder / "readout.db"
    first = run("ingest", str(folder), "--db", str(db), "--format", "json")
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout)
    assert summary["documents"] == {"new": 2, "unchanged": 0, "updated": 0, "failed": 0}
    assert summary["skipped"]["database"] >= 1 and summary["failures"] == []
    again = run("ingest", str(folder), "--db", str(db))
    assert again.exit_code == 0, again.output
    assert "0 new, 2 unchanged, 0 failed" in again.stdout
    assert "Skipped 3 files of the database being written" in again.stdout  # readout.db, -wal, -shm
    assert len(fake_analyzer) == 2


def test_mixed_folder_exits_0_with_the_counts(tmp_path: Path, fake_analyzer: list[Any]) -> None:
    folder = corpus(tmp_path / "downloads", 2)
    (folder / "photo.png").write_bytes(PNG)
    (folder / "scan.pdf").write_bytes(b"%PDF-1.7\n\x00\x01")
    (folder / "memo.docx").write_bytes(b"PK\x03\x04" + bytes(30))
    (folder / ".hidden.txt").write_text(article(9))
    result = run("ingest", str(folder), "--db", str(tmp_path / "t.db"))
    assert result.exit_code == 0, result.output
    assert "2 new, 0 unchanged, 0 failed" in result.stdout
    assert "Skipped 3 files of other types: .docx, .pdf, .png" in result.stdout
    assert "Skipped 1 hidden file or folder" in result.stdout
    with open_store(tmp_path / "t.db", read_only=True) as store:
        (row,) = store.rows("SELECT status, skipped FROM runs")
    assert row["status"] == "finished"
    assert json.loads(row["skipped"])["other_types"] == {".docx": 1, ".pdf": 1, ".png": 1}


def test_a_failed_input_exits_2_and_the_rest_go_in(tmp_path: Path, fake_analyzer: list[Any]) -> None:
    folder = corpus(tmp_path / "inbox", 2)
    (folder / "empty.txt").write_text("")
    result = run("ingest", str(folder), "--db", str(tmp_path / "t.db"), "--format", "json")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["documents"] == {"new": 2, "unchanged": 0, "updated": 0, "failed": 1}


# ---------------------------------------------------------------- a known text with new metadata
def test_reingest_with_a_new_date_updates_the_document_and_what_derives_from_it(tmp_path: Path, fake_analyzer: list[Any]) -> None:
    doc = tmp_path / "call.txt"
    doc.write_text(article(1))
    db = tmp_path / "t.db"
    ingest([str(doc)], db=db, published="2024-01-10", outlet="Sample Wire")
    summary = ingest([str(doc)], db=db, published="2024-02-20")
    assert (summary.new, summary.unchanged, summary.updated) == (0, 0, 1)
    (update,) = summary.updates
    assert update["changed"] == {"published": {"from": "2024-01-10", "to": "2024-02-20"}} and update["reanalyzed"]
    with open_store(db, read_only=True) as store:
        assert store.rows("SELECT published, outlet FROM documents") == [{"published": "2024-02-20", "outlet": "Sample Wire"}]
        assert [e["date"] for e in queries.engagements(store)] == ["2024-02-20"]  # the old call is gone, not kept beside
        assert store.scalar("SELECT count(*) FROM engagement_sources") == 1
        assert [a["date"] for a in store.rows("SELECT date FROM channel_assertions")] == ["2024-02-20"]
        assert [iv["start_date"] for iv in queries.timeline(store, "chn-usa-mmca").intervals] == ["2024-02-20"]
        assert [s["published"] for s in queries.statements(store)] == ["2024-02-20"]
        assert maintain.check(store).ok
    assert fake_analyzer[-1].outlet == "Sample Wire"  # analyzed again with the stored outlet it did not change
    # the same again: nothing changes; without --published: the stored date stays
    assert ingest([str(doc)], db=db, published="2024-02-20").unchanged == 1
    assert ingest([str(doc)], db=db).unchanged == 1


def test_reingest_with_a_new_outlet_changes_the_side(tmp_path: Path, fake_analyzer: list[Any]) -> None:
    doc = tmp_path / "call.txt"
    doc.write_text(article(1))
    db = tmp_path / "t.db"
    ingest([str(doc)], db=db, published="2024-01-10", outlet="Sample Wire")
    result = run("ingest", str(doc), "--db", str(db), "--outlet", "Xinhua")
    assert result.exit_code == 0, result.output
    assert "1 updated" in result.stdout and "outlet: Sample Wire → Xinhua (records analyzed again)" in result.stdout
    with open_store(db, read_only=True) as store:
        assert store.scalar("SELECT side FROM documents") == "CHN"
        assert [a["side"] for a in store.rows("SELECT side FROM channel_assertions")] == ["CHN"]


def test_a_new_title_updates_the_row_without_analyzing_again(tmp_path: Path, fake_analyzer: list[Any]) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"text": article(1), "title": "Old", "published": "2024-01-10"}) + "\n")
    db = tmp_path / "t.db"
    ingest([str(feed)], db=db)
    feed.write_text(json.dumps({"text": article(1), "title": "New", "published": "2024-01-10", "desk": "Asia"}) + "\n")
    summary = ingest([str(feed)], db=db)
    assert summary.updated == 1 and not summary.updates[0]["reanalyzed"]
    assert len(fake_analyzer) == 1
    with open_store(db, read_only=True) as store:
        (row,) = store.rows("SELECT title, metadata FROM documents")
    assert row["title"] == "New" and json.loads(row["metadata"])["desk"] == "Asia"


# ---------------------------------------------------------------- failures and runs
def test_failures_are_keyed_by_resolved_path_with_run_and_time(tmp_path: Path, fake_analyzer: list[Any],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "empty.txt").write_text("")
    db = tmp_path / "t.db"
    monkeypatch.chdir(tmp_path)
    first = ingest(["inbox/empty.txt"], db=db)
    monkeypatch.chdir(tmp_path / "inbox")
    second = ingest(["./empty.txt"], db=db)
    with open_store(db, read_only=True) as store:
        rows = queries.failures(store)
    assert len(rows) == 1
    assert rows[0]["source"] == str((tmp_path / "inbox" / "empty.txt").resolve())
    assert rows[0]["run"] == second.run_id != first.run_id
    assert rows[0]["failed_at"] and rows[0]["failed_at"].endswith("+00:00")
    # once the file is good, its failure goes
    (tmp_path / "inbox" / "empty.txt").write_text(article(1))
    ingest(["empty.txt"], db=db)
    with open_store(db, read_only=True) as store:
        assert queries.failures(store) == []


def test_a_run_that_died_is_marked_interrupted_by_the_next(tmp_path: Path, fake_analyzer: list[Any]) -> None:
    db = tmp_path / "t.db"
    ingest([str(corpus(tmp_path / "docs", 1))], db=db)
    gone = subprocess.Popen(["true"])
    gone.wait()
    with open_store(db) as store, store.transaction() as conn:
        conn.execute("INSERT INTO runs (command, started, status, pid, host) VALUES ('readout ingest x', '2024-01-01T00:00:00+00:00', "
                     "'running', ?, ?)", (gone.pid, os.uname().nodename))
        conn.execute("INSERT INTO runs (command, started, status, pid, host) VALUES ('readout ingest y', '2024-01-01T00:00:00+00:00', "
                     "'running', ?, ?)", (os.getppid(), os.uname().nodename))  # alive: left alone
    summary = ingest([str(tmp_path / "docs")], db=db)
    with open_store(db, read_only=True) as store:
        status = {r["id"]: r["status"] for r in store.rows("SELECT id, status FROM runs")}
    assert summary.interrupted_runs == [2]
    assert status == {1: "finished", 2: "interrupted", 3: "running", 4: "finished"}


def test_a_run_stopped_with_ctrl_c_marks_itself_and_keeps_what_it_committed(tmp_path: Path, fake_analyzer: list[Any],
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import fake_analysis

    def outcomes(documents: Any, **kwargs: Any) -> Any:
        for i, d in enumerate(documents):
            if i == 1:
                raise KeyboardInterrupt
            yield pipeline.Outcome(d, fake_analysis(d))

    monkeypatch.setattr(pipeline, "analyze_outcomes", outcomes)
    db = tmp_path / "t.db"
    result = run("ingest", str(corpus(tmp_path / "docs", 3)), "--db", str(db))
    assert result.exit_code == 130
    assert result.stderr.startswith("error: interrupted: what was committed is kept")
    with open_store(db, read_only=True) as store:
        assert store.rows("SELECT status, documents_new FROM runs") == [{"status": "interrupted", "documents_new": 1}]
        assert store.scalar("SELECT count(*) FROM documents") == 1


def test_long_documents_report_chunk_progress(tmp_path: Path, fake_analyzer: list[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    import spacy

    from readout import nlp as nlp_mod

    # the parser reports each chunk of a long text
    calls: list[tuple[int, int]] = []
    monkeypatch.setattr(nlp_mod, "MAX_CHUNK_CHARS", 200)
    token = pipeline.CHUNK_PROGRESS.set(lambda done, total: calls.append((done, total)))
    try:
        doc = next(pipeline.parse(spacy.blank("en"), ["\n\n".join(article(i) for i in range(6))]))
    finally:
        pipeline.CHUNK_PROGRESS.reset(token)
    n = calls[-1][1]
    assert n >= 4 and calls == [(i, n) for i in range(0, n + 1)]  # shown before the first piece is parsed
    assert doc.text == "\n\n".join(article(i) for i in range(6))
    # and ingest hands its chunk_progress to the parser while it analyzes
    from conftest import fake_analysis

    def outcomes(documents: Any, **kwargs: Any) -> Any:
        for d in documents:
            report = pipeline.CHUNK_PROGRESS.get()
            assert report is not None
            report(1, 1)
            yield pipeline.Outcome(d, fake_analysis(d))

    monkeypatch.setattr(pipeline, "analyze_outcomes", outcomes)
    seen: list[tuple[int, int]] = []
    ingest([str(corpus(tmp_path / "docs", 1))], db=tmp_path / "t.db", chunk_progress=lambda a, b: seen.append((a, b)))
    assert seen == [(1, 1)]
    assert pipeline.CHUNK_PROGRESS.get() is None


# ---------------------------------------------------------------- opening rules
def _foreign(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x)")
    conn.execute("INSERT INTO notes VALUES ('mine')")
    conn.commit()
    conn.close()


def test_a_foreign_database_is_refused_and_left_exactly_as_it_was(tmp_path: Path, fake_analyzer: list[Any]) -> None:
    path = tmp_path / "other.db"
    _foreign(path)
    before = files_state(tmp_path)
    for args in (["channels", "--dyad", "CHN-USA"], ["ingest", str(corpus(tmp_path / "docs", 1))], ["check"], ["rebuild"]):
        one_line_error(run(*args, "--db", str(path)), "not readout's")
    after = files_state(tmp_path)
    assert {k: v for k, v in after.items() if not k.startswith("docs")} == before
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # never switched to WAL
    conn.close()


def test_a_database_from_a_newer_readout_is_refused_unchanged(tracker: Path) -> None:
    with open_store(tracker) as store, store.transaction() as conn:
        conn.execute("INSERT INTO migrations VALUES ('9999_from_the_future', '2030-01-01')")
    before = files_state(tracker.parent)
    for args in (["engagements"], ["ingest", str(tracker.parent.parent / "docs")], ["rebuild"], ["check"]):
        one_line_error(run(*args, "--db", str(tracker)), "made by a newer readout", "9999_from_the_future")
    assert files_state(tracker.parent) == before


def test_a_query_on_a_missing_database_says_so_and_creates_nothing(tmp_path: Path) -> None:
    for args in (["channels", "--dyad", "CHN-USA"], ["engagements"], ["statements"], ["dyads"], ["failures"], ["check"],
                 ["export", "--to", str(tmp_path / "out")], ["backup", str(tmp_path / "b.db")], ["timeline", "mmca"]):
        one_line_error(run(*args, "--db", str(tmp_path / "none.db")), "no readout database here")
    assert list(tmp_path.iterdir()) == []


def test_query_commands_never_change_a_file(tracker: Path, tmp_path: Path) -> None:
    with open_store(tracker) as store, store.transaction() as conn:
        conn.execute("UPDATE channels SET stale = 1")  # as an interrupted ingest leaves them
    before = files_state(tracker.parent)
    assert set(before) == {"tracker.db"}
    commands = [["channels", "--dyad", "CHN-USA"], ["timeline", "chn-usa-mmca"], ["engagements"], ["statements", "--search", "call"],
                ["dyads"], ["dyads", "--dyad", "CHN-USA"], ["failures"], ["check"], ["compare", "eng-"]]
    for args in commands:
        for fmt in (("--format", "json"),) if args[0] == "check" else (("--format", "csv"), ("--format", "table")):
            result = run(*args, "--db", str(tracker), *fmt)
            assert result.exit_code in (0, 2), (args, result.output)
    assert run("export", "--to", str(tmp_path / "out"), "--db", str(tracker)).exit_code == 0
    assert run("backup", str(tmp_path / "copy.db"), "--db", str(tracker)).exit_code == 0
    assert files_state(tracker.parent) == before
    # the stale timeline was built for the answer all the same
    board = json.loads(run("channels", "--dyad", "CHN-USA", "--db", str(tracker), "--format", "json").stdout)
    assert next(r for r in board if r["channel"] == "chn-usa-mmca")["state"] == "active"


def _read_only_mount_works() -> bool:
    if sys.platform != "linux" or shutil.which("unshare") is None or os.geteuid() != 0:
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount --bind /tmp /tmp && mount -o remount,ro,bind /tmp"],
                           capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _read_only_mount_works(), reason="needs a private read-only bind mount (unshare -m, as root, on Linux)")
def test_query_commands_work_in_a_read_only_folder(tracker: Path) -> None:
    folder = tracker.parent
    assert not Path(f"{tracker}-wal").exists() and not Path(f"{tracker}-shm").exists()
    commands = [["channels", "--dyad", "CHN-USA", "--format", "json"], ["engagements", "--format", "csv"],
                ["statements", "--search", "call"], ["failures"], ["timeline", "chn-usa-mmca"], ["dyads"], ["check"]]
    code = (
        "import json, sys; from click.testing import CliRunner; from readout.cli import cli; "
        "results = [CliRunner().invoke(cli, [*c, '--db', sys.argv[1]]) for c in json.loads(sys.argv[2])]; "
        "bad = [(r.exit_code, r.output) for r in results if r.exit_code != 0]; print(bad or 'ALL OK')"
    )
    script = (
        f"mount --bind {folder} {folder} && mount -o remount,ro,bind {folder} && "
        f"(touch {folder}/probe 2>/dev/null && echo WRITABLE; "
        f"{sys.executable} -c \"$0\" {tracker} '{json.dumps(commands)}')"
    )
    done = subprocess.run(["unshare", "-m", "sh", "-c", script, code], capture_output=True, text=True, timeout=300)
    assert "WRITABLE" not in done.stdout
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ALL OK", done.stdout


def test_a_database_from_an_earlier_readout_is_brought_up_to_date_by_rebuild(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(schema.INITIAL)
    conn.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied TEXT NOT NULL)")
    conn.execute("INSERT INTO migrations VALUES ('0001_initial', '2026-11-01')")
    conn.execute("INSERT INTO documents (id, text, chars) VALUES ('doc-1', 'to avoid miscalculations at sea', 31)")
    conn.execute("INSERT INTO statements (id, document_id, kind, content, start, \"end\", rule) "
                 "VALUES ('doc-1/s', 'doc-1', 'indirect', 'to avoid miscalculations at sea', 0, 31, 'test')")
    conn.commit()
    conn.close()
    before = files_state(tmp_path)
    one_line_error(run("statements", "--db", str(path)), "made by an earlier readout", "readout rebuild --db")
    assert files_state(tmp_path) == before
    assert run("rebuild", "--db", str(path)).exit_code == 0
    out = run("statements", "--search", "miscalculation", "--db", str(path), "--format", "json")
    assert [s["id"] for s in json.loads(out.stdout)] == ["doc-1/s"]


# ---------------------------------------------------------------- readers beside a writer
def _fake_ingest(db: Path, *inputs: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(TESTS / "fake_ingest.py"), str(db), *map(str, inputs)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _many(folder: Path, n: int) -> Path:
    folder.mkdir()
    lines = [json.dumps({"text": article(i), "published": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
                         "outlet": "Xinhua" if i % 2 else "Sample Wire"}) for i in range(n)]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n")
    return folder


def test_readers_never_see_database_is_locked_while_an_ingest_writes(tmp_path: Path) -> None:
    db = tmp_path / "busy.db"
    docs = _many(tmp_path / "docs", 400)
    writer = _fake_ingest(db, docs)
    queries_run, errors = 0, []
    deadline = time.monotonic() + 300
    try:
        while writer.poll() is None and time.monotonic() < deadline:
            if not db.exists():
                time.sleep(0.01)
                continue
            try:
                with open_store(db, read_only=True) as store:
                    queries.channel_board(store, "CHN-USA")
                    queries.engagements(store, dyad="CHN-USA")
                    queries.statements(store, search="maritime")
                    queries.failures(store)
                    dyads.dyads(store)
                queries_run += 1
            except StoreError as exc:
                if "no readout database" not in exc.message and "empty database" not in exc.message:
                    errors.append(exc.message)
            except sqlite3.OperationalError as exc:
                errors.append(str(exc))
    finally:
        out, err = writer.communicate(timeout=300)
    assert writer.returncode == 0, err
    assert out.split() == ["400", "0"]
    assert errors == []
    assert queries_run >= 5


def test_a_backup_taken_during_an_ingest_opens_and_checks_clean(tmp_path: Path) -> None:
    db = tmp_path / "busy.db"
    writer = _fake_ingest(db, _many(tmp_path / "docs", 400))
    backups: list[maintain.BackupResult] = []
    try:
        while writer.poll() is None and len(backups) < 3:
            if db.exists():
                try:
                    with open_store(db, read_only=True) as store:
                        ready = store.scalar("SELECT count(*) FROM documents") > 0
                except StoreError:
                    ready = False
                if ready:
                    backups.append(maintain.backup(db, tmp_path / f"copy-{len(backups)}.db"))
            time.sleep(0.05)
    finally:
        _, err = writer.communicate(timeout=300)
    assert writer.returncode == 0, err
    assert backups, "the ingest ended before a backup could be taken"
    for b in backups:
        assert b.check.ok, b.check.problems
        with open_store(b.to, read_only=True) as copy:
            assert maintain.check(copy).ok
            assert copy.scalar("PRAGMA journal_mode") == "delete"
        assert not Path(f"{b.to}-wal").exists()


# ---------------------------------------------------------------- check, rebuild, backup
def test_check_passes_on_a_sound_store(tracker: Path) -> None:
    result = run("check", "--db", str(tracker))
    assert result.exit_code == 0, result.output
    assert "OK" in result.stdout


def test_check_finds_a_deleted_source_row_and_rebuild_repairs_it(tracker: Path) -> None:
    with open_store(tracker) as store, store.transaction() as conn:
        conn.execute("DELETE FROM engagement_sources WHERE rowid = (SELECT min(rowid) FROM engagement_sources)")
    result = run("check", "--db", str(tracker), "--format", "json")
    assert result.exit_code == 6
    problems = json.loads(result.stdout)["problems"]
    assert {p["check"] for p in problems} >= {"engagements", "statements"}
    assert any("does not agree with its reports" in p["problem"] and "sources" in p["problem"] for p in problems)
    rebuilt = run("rebuild", "--db", str(tracker))
    assert rebuilt.exit_code == 0, rebuilt.output
    assert run("check", "--db", str(tracker)).exit_code == 0


def test_check_finds_a_damaged_timeline_and_dangling_evidence(tracker: Path) -> None:
    with open_store(tracker) as store, store.transaction() as conn:
        conn.execute("UPDATE channel_intervals SET state = 'suspended', assertions = '[\"doc-x/none\"]'")
        conn.execute("UPDATE events SET start = 0")  # nothing: no events in this store
        conn.execute("UPDATE mentions SET \"end\" = \"end\" + 5 WHERE rowid = (SELECT min(rowid) FROM mentions)")
    problems = maintain.check_store(tracker).problems
    kinds = {(p["check"], p["table"]) for p in problems}
    assert ("timelines", "channel_intervals") in kinds and ("evidence", "mentions") in kinds
    assert any("lists assertion doc-x/none, which does not exist" in p["problem"] for p in problems)
    maintain.rebuild_store(tracker)
    assert [p["check"] for p in maintain.check_store(tracker).problems] == ["evidence"]  # the text is not an aggregate


def test_check_finds_a_corrupted_page(tracker: Path) -> None:
    with open_store(tracker) as store:
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = store.scalar("PRAGMA page_size")
        root = store.scalar("SELECT rootpage FROM sqlite_master WHERE name = 'mentions'")
    data = bytearray(tracker.read_bytes())
    offset = (root - 1) * page_size
    data[offset:offset + page_size] = bytes([0xA5]) * page_size
    tracker.write_bytes(bytes(data))
    result = run("check", "--db", str(tracker))
    assert result.exit_code in (5, 6), result.output
    text = result.stdout + result.stderr
    assert "integrity" in text or "malformed" in text
    assert "Traceback" not in text


def test_rebuild_of_a_sound_store_changes_no_row(tracker: Path) -> None:
    def rows() -> dict[str, list[tuple[Any, ...]]]:
        conn = sqlite3.connect(tracker)
        out = {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
               for t in ("engagements", "engagement_sources", "engagement_participants", "channel_intervals", "statements")}
        conn.close()
        return out

    before = rows()
    maintain.rebuild_store(tracker)
    assert rows() == before


def test_backup_refuses_an_existing_file(tracker: Path, tmp_path: Path) -> None:
    (tmp_path / "taken.db").write_text("mine")
    one_line_error(run("backup", str(tmp_path / "taken.db"), "--db", str(tracker)), "already exists")
    assert (tmp_path / "taken.db").read_text() == "mine"
    one_line_error(run("backup", str(tracker), "--db", str(tracker)), "already exists")


# ---------------------------------------------------------------- options
BAD_OPTIONS = [
    (["engagements", "--since", "2024-13"], "no such date"),
    (["engagements", "--until", "2024-00"], "no such date"),
    (["engagements", "--since", "2024-02-30"], "no such date"),
    (["engagements", "--since", "2024-06", "--until", "2024-01"], "is after --until"),
    (["statements", "--since", "2024-13"], "no such date"),
    (["dyads", "--until", "2023-02-29"], "no such date"),
    (["dyads", "--dyad", "CHN-USA", "--since", "2025", "--until", "2024"], "is after --until"),
    (["channels", "--dyad", "CHN-USA", "--as-of", "2024-13-01"], "--as-of"),
    (["statements", "--speaker", "Nobody Here"], "no statements by 'Nobody Here'"),
    (["statements", "--side", "XYZ"], "--side 'XYZ'"),
    (["statements", "--engagement", "eng-nothing"], "no such engagement"),
    (["statements", "--topic", "gardening"], "not a topic"),
    (["engagements", "--kind", "dinner"], "--kind 'dinner'"),
    (["engagements", "--dyad", "CHN"], "--dyad"),
]


@pytest.mark.parametrize(("args", "fragment"), BAD_OPTIONS, ids=lambda a: " ".join(a) if isinstance(a, list) else None)
def test_bad_option_values_get_one_line_and_exit_2(tracker: Path, args: list[str], fragment: str) -> None:
    result = run(*args, "--db", str(tracker))
    one_line_error(result, fragment)
    assert result.exit_code == 2


def test_ingest_options_are_checked_before_anything_is_written(tmp_path: Path, fake_analyzer: list[Any]) -> None:
    docs = corpus(tmp_path / "docs", 1)
    one_line_error(run("ingest", str(docs), "--db", str(tmp_path / "t.db"), "--max-bytes", "lots"), "--max-bytes")
    one_line_error(run("ingest", str(docs), "--db", str(tmp_path / "t.db"), "--published", "2024-13-01"), "--published")
    assert not (tmp_path / "t.db").exists()


NASTY = ["", " ", "2024-13", "0000-00-00", "-1", "0", "x" * 3000, "'; DROP TABLE documents; --", "%", "_", "*", '"', "\\",
         "CHN-CHN", "../elsewhere/x", "nan", "\u202e", "ＣＨＮ", "😀"]


def _value_options() -> list[tuple[str, str]]:
    """Every (command, option) of the tracker commands that takes a value."""
    import click

    out = []
    for name in ("channels", "timeline", "engagements", "statements", "compare", "dyads", "failures", "export", "check", "backup"):
        command = cli.commands[name]
        for param in command.params:
            if isinstance(param, click.Option) and not param.is_flag and param.name not in ("db", "fmt"):
                out.append((name, param.opts[0]))
            if isinstance(param, click.Argument):
                out.append((name, "ARG"))
    return out


@pytest.mark.parametrize(("command", "option"), _value_options())
def test_no_option_value_ends_in_a_bug(tracker: Path, tmp_path: Path, command: str, option: str, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)  # values such as --to '' or --to '%' write where the command runs
    base = {"channels": ["--dyad", "CHN-USA"], "timeline": [], "compare": [], "export": ["--to", str(tmp_path / "out")],
            "backup": []}.get(command, [])
    for value in NASTY:
        args = [command, *base]
        if option == "ARG":
            args.append(value if command != "backup" else str(tmp_path / f"b-{abs(hash(value))}.db"))
        else:
            args = [a for i, a in enumerate(args) if not (option == args[i - 1] if i else False) and a != option]
            args += [option, value]
            if command in ("timeline", "compare"):
                args.append("chn-usa-mmca" if command == "timeline" else "eng-")
            if command == "backup":
                args.append(str(tmp_path / f"b-{abs(hash(value))}.db"))
        result = run(*args, "--db", str(tracker))
        assert result.exit_code != EXIT_BUG, (args, result.output)
        assert "Traceback" not in result.output
        if result.exit_code not in (0, 6):
            assert len(result.stderr.splitlines()) == 1, (args, result.stderr)


# ---------------------------------------------------------------- output
def test_an_empty_csv_result_still_prints_its_header(tracker: Path) -> None:
    cases = [
        (["engagements"], ["engagements", "--since", "2030"]),
        (["statements"], ["statements", "--since", "2030"]),
        (["dyads"], ["dyads", "--since", "2030"]),
        (["dyads", "--dyad", "CHN-USA"], ["dyads", "--dyad", "CHN-USA", "--since", "2030"]),
    ]
    for full, empty in cases:
        some = run(*full, "--db", str(tracker), "--format", "csv").stdout
        none = run(*empty, "--db", str(tracker), "--format", "csv").stdout
        header = next(csv.reader(io.StringIO(some)))
        assert len(list(csv.reader(io.StringIO(some)))) > 1, full
        assert none.splitlines() == [",".join(header)], empty
    assert run("failures", "--db", str(tracker), "--format", "csv").stdout.splitlines() == [",".join(queries.FAILURE_COLUMNS)]


def test_column_lists_match_the_rows(tracker: Path) -> None:
    with open_store(tracker, read_only=True) as store:
        assert tuple(queries.channel_board(store, "CHN-USA")[0]) == queries.BOARD_COLUMNS
        assert tuple(queries.engagements(store)[0]) == queries.ENGAGEMENT_COLUMNS
        assert tuple(queries.statements(store)[0]) == queries.STATEMENT_COLUMNS
        assert tuple(queries.timeline(store, "chn-usa-mmca").to_rows()[0]) == queries.TIMELINE_COLUMNS
        assert tuple(dyads.dyads(store)[0]) == dyads.DYAD_COLUMNS
        assert tuple(dyads.dyad_index(store, "CHN-USA")[0]) == dyads.INDEX_COLUMNS


# ---------------------------------------------------------------- the demo's own database
def test_demo_refuses_to_replace_what_is_not_its_own(tracker: Path, tmp_path: Path, fake_analyzer: list[Any]) -> None:
    plain = tmp_path / "readout-demo.db"
    plain.write_text("my notes\n")
    for target in (tracker, plain):
        before = target.read_bytes()
        one_line_error(run("demo", "--db", str(target)), "is not readout's demo database")
        assert target.read_bytes() == before
    ours = tmp_path / "demo" / "readout-demo.db"
    ours.parent.mkdir()
    assert run("demo", "--db", str(ours), "--format", "json").exit_code == 0
    assert run("demo", "--db", str(ours), "--format", "json").exit_code == 0  # its own: made afresh
    with open_store(ours, read_only=True) as store:
        assert [r["command"] for r in store.rows("SELECT command FROM runs")] == [f"readout demo --db {ours}"]
    ingest([str(corpus(tmp_path / "mine", 1))], db=ours)  # now it holds the user's own documents too
    one_line_error(run("demo", "--db", str(ours)), "is not readout's demo database")


# ---------------------------------------------------------------- full-text search
def test_full_text_search_matches_word_forms(tmp_path: Path) -> None:
    store = open_store(tmp_path / "t.db", create=True)
    content = "the two militaries must avoid miscalculations and keep communicating"
    d = Document(id="doc-fts", text=content, published="2024-01-02")
    a = Analysis(d, statements=[Statement("s", "indirect", content, Span(0, len(content), content), "test")])
    with store.transaction() as conn:
        conn.execute("INSERT INTO analyzers VALUES ('anz-test', 'test', 'none', 'none')")
        save_analysis(conn, a, registry=get_registry(), analyzer_id="anz-test", source="test")
    aggregate.refresh_timelines(store.conn)
    for words in ("miscalculation", "Miscalculations", "communicate", "militaries avoid"):
        assert [s["id"] for s in queries.statements(store, search=words)] == ["doc-fts/s"], words
    assert queries.statements(store, search="calculus") == []
    with pytest.raises(OptionError):
        queries.statements(store, search="!!!")
    store.close()
