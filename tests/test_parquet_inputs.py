"""Parquet inputs (inputs.read_parquet): a document per row, read a row group at a time; bad rows
and bad files are failures with the reason, good rows go through."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from readout.errors import MalformedRecordError, ReadoutError, UnsupportedFormatError
from readout.inputs import Options, count_inputs, read_inputs

REPO = Path(__file__).resolve().parent.parent
CALL = "China and the United States held call number {}."


def write(path: Path, columns: dict[str, list[Any]], row_group_size: int = 2) -> Path:
    pq.write_table(pa.table(columns), path, row_group_size=row_group_size)
    return path


def test_parquet_rows_are_documents_with_their_metadata(tmp_path: Path) -> None:
    path = write(tmp_path / "news.parquet", {
        "text": [CALL.format(i) for i in range(5)],
        "title": [f"Call {i}" for i in range(5)],
        "published": [dt.date(2024, 3, i + 1) for i in range(5)],
        "outlet": ["Xinhua"] * 5,
        "id": list(range(100, 105)),
        "embedding": [[0.1, 0.2]] * 5,  # another column: not read
    })
    items = list(read_inputs([str(path)], Options(check_language=False)))
    assert [s for s, _ in items] == [f"{path.resolve()}:{i}" for i in range(1, 6)]
    docs = [d for _, d in items]
    assert all(not isinstance(d, Exception) for d in docs)
    first = docs[0]
    assert not isinstance(first, Exception)
    assert (first.text, first.title, first.published, first.outlet) == (CALL.format(0), "Call 0", "2024-03-01", "Xinhua")
    assert first.metadata["id"] == "100" and "embedding" not in first.metadata
    assert count_inputs([str(path)]) == 5


def test_parquet_reads_a_row_group_at_a_time_never_the_whole_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "news.parquet", {"text": [CALL.format(i) for i in range(10)]}, row_group_size=3)
    assert pq.ParquetFile(path).num_row_groups == 4

    def whole(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the whole file was read")

    monkeypatch.setattr(pq.ParquetFile, "read", whole)
    monkeypatch.setattr(pq, "read_table", whole)
    it = read_inputs([str(path)], Options(check_language=False))
    source, first = next(it)
    assert source.endswith(":1") and not isinstance(first, Exception)
    assert len(list(it)) == 9


def test_parquet_bad_rows_are_failures_and_good_rows_go_through(tmp_path: Path) -> None:
    path = write(tmp_path / "news.parquet", {
        "text": [CALL.format(1), None, "", CALL.format(4)],
        "title": ["ok", "no text", "empty", "ok"],
    })
    items = list(read_inputs([str(path)], Options(check_language=False)))
    kinds = [type(d).__name__ for _, d in items]
    assert kinds == ["Document", "MalformedRecordError", "EmptyInputError", "Document"]
    err = items[1][1]
    assert isinstance(err, MalformedRecordError) and err.message.startswith(f"{path}:2: the row has no text")


def test_parquet_without_the_text_column_is_one_failure_naming_the_option(tmp_path: Path) -> None:
    path = write(tmp_path / "news.parquet", {"body": [CALL.format(1)], "headline": ["x"]})
    ((source, err),) = list(read_inputs([str(path)], Options(check_language=False)))
    assert source == str(path.resolve()) and isinstance(err, MalformedRecordError)
    assert err.message == f"{path}: no column 'text' (columns: body, headline): name the column that holds each document's text with --text-column"
    ((_, doc),) = list(read_inputs([str(path)], Options(check_language=False, text_column="body")))
    assert not isinstance(doc, Exception) and doc.text == CALL.format(1)


def test_a_file_that_is_not_parquet_is_one_failure(tmp_path: Path) -> None:
    path = tmp_path / "news.parquet"
    path.write_text('{"text": "China and the United States held a call."}\n', encoding="utf-8")
    ((source, err),) = list(read_inputs([str(path)], Options(check_language=False)))
    assert isinstance(err, UnsupportedFormatError) and err.message.startswith(f"{path}: not a Parquet file (")
    assert "\n" not in err.message


def test_a_shard_of_analyze_corpus_is_not_read_as_an_input(fake_analyzer: list[Any], tmp_path: Path) -> None:
    from readout import shards

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(CALL.format(1), encoding="utf-8")
    done = shards.analyze_corpus([str(tmp_path / "in")], to=tmp_path / "out", check_language=False)
    ((_, err),) = list(read_inputs([str(tmp_path / "out" / done.written[0])]))
    assert isinstance(err, ReadoutError) and "ingest its folder" in err.message


def test_ingest_of_a_parquet_file_with_a_bad_row_exits_2_and_keeps_the_good_ones(tmp_path: Path) -> None:
    path = write(tmp_path / "news.parquet", {"body": [CALL.format(1), None, CALL.format(3)]})
    script = str(REPO / "tests" / "fake_cli.py")  # the real CLI with the stand-in analyzer
    done = subprocess.run([sys.executable, script, "ingest", str(path), "--text-column", "body", "--db", str(tmp_path / "p.db"),
                           "--no-language-check", "--format", "json"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    summary = json.loads(done.stdout)
    assert summary["documents"]["new"] == 2 and summary["documents"]["failed"] == 1
    assert summary["failures"][0]["source"] == f"{path.resolve()}:2"
    missing = subprocess.run([sys.executable, script, "ingest", str(path), "--db", str(tmp_path / "q.db"),
                              "--no-language-check", "--format", "json"], capture_output=True, text=True, timeout=300)
    assert missing.returncode == 2 and "no column 'text' (columns: body)" in json.loads(missing.stdout)["failures"][0]["reason"]
