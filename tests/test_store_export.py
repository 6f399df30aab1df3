"""Exports of the store (CSV, JSON Lines, Parquet, the PLOVER events file) and TimelineJS.

The store is built once for the module by ingesting the sample corpus (needs the model);
the column-documentation and date tests need no model."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from readout.errors import OptionError, ReadoutError
from readout.store import ingest, open_store
from readout.store.db import Store, data_tables
from readout.store.export import (
    COLUMNS,
    EVENTS_FILE,
    JSON_COLUMNS,
    describe_columns,
    export_store,
    export_timelinejs,
    timelinejs,
    tl_date,
)

CORPUS = Path(__file__).resolve().parents[1] / "src" / "readout" / "corpus"

# What event-data users load (GDELT / POLECAT style), in this order.
EVENT_COLUMNS = [
    "event_id", "event_date", "date_precision", "date_source", "story_date",
    "source_actor_id", "source_name", "source_country", "source_sector",
    "target_actor_id", "target_name", "target_country", "target_sector", "dyad",
    "event_type", "event_mode", "cameo_code", "cameo_root", "score", "quad_class", "quad",
    "document_id", "url", "outlet", "title", "start", "end", "evidence", "rule",
    "event_modality",
]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store") / "readout.db"
    summary = ingest([str(CORPUS)], db=path)
    assert summary.new >= 20 and summary.failed == 0
    return path


@pytest.fixture
def store(db: Path) -> Iterator[Store]:
    with open_store(db) as s:
        yield s


@pytest.fixture(scope="module")
def exported(db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    out = tmp_path_factory.mktemp("export")
    return {fmt: export_store(db, out / fmt, fmt) for fmt in ("csv", "jsonl", "parquet")}


def _store_rows(store: Store, table: str) -> list[dict[str, Any]]:
    return store.rows(f'SELECT * FROM "{table}"')


def _file_rows(path: Path, fmt: str) -> int:
    if fmt == "csv":
        with path.open(encoding="utf-8", newline="") as fh:
            return sum(1 for _ in csv.reader(fh)) - 1
    if fmt == "jsonl":
        return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    import pyarrow.parquet as pq

    return int(pq.read_metadata(path).num_rows)


# ---------------------------------------------------------------- tables
@pytest.mark.model
@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_export_writes_every_table_with_the_stores_row_counts(fmt: str, exported: dict[str, Any], store: Store) -> None:
    result = exported[fmt]
    counts = store.counts()
    assert set(result["files"]) == {*data_tables(store.conn), EVENTS_FILE}
    assert counts["documents"] >= 20 and counts["events"] > 0
    for table, info in result["files"].items():
        expected = counts["events"] if table == EVENTS_FILE else counts[table]
        path = Path(info["path"])
        assert path.name == f"{table}.{fmt}"
        assert info["rows"] == expected, table
        assert _file_rows(path, fmt) == expected, table
    assert not list(Path(result["to"]).glob("*.part"))


@pytest.mark.model
def test_export_events_csv_has_event_data_columns_and_one_row_per_event(exported: dict[str, Any], store: Store) -> None:
    path = Path(exported["csv"]["files"][EVENTS_FILE]["path"])
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == EVENT_COLUMNS
    events = {r["id"]: r for r in _store_rows(store, "events")}
    assert {r["event_id"] for r in rows} == set(events)
    urls = {r["id"]: r["url"] for r in _store_rows(store, "documents")}
    quads = {"verbal_cooperation": "1", "material_cooperation": "2", "verbal_conflict": "3", "material_conflict": "4"}
    for r in rows:
        e = events[r["event_id"]]
        assert r["event_type"] == e["type"] and r["document_id"] == e["document_id"]
        assert r["url"] == (urls[e["document_id"]] or "")
        assert r["quad_class"] == quads.get(e["quad"] or "", "")
        text = store.scalar("SELECT text FROM documents WHERE id = ?", (e["document_id"],))
        assert text[int(r["start"]):int(r["end"])] == r["evidence"]
        if e["date"]:
            assert (r["event_date"], r["date_precision"], r["date_source"]) == (e["date"], e["date_precision"], "text")
        else:
            assert (r["event_date"], r["date_precision"], r["date_source"]) == (e["published"], "day", "published")


@pytest.mark.model
def test_export_csv_keeps_json_columns_as_json_text(exported: dict[str, Any], store: Store) -> None:
    path = Path(exported["csv"]["files"]["engagements"]["path"])
    with path.open(encoding="utf-8", newline="") as fh:
        rows = {r["id"]: r for r in csv.DictReader(fh)}
    for e in _store_rows(store, "engagements"):
        assert rows[e["id"]]["participants"] == e["participants"]
        assert isinstance(json.loads(rows[e["id"]]["participants"]), list)


@pytest.mark.model
def test_export_jsonl_lines_parse_and_json_columns_become_lists(exported: dict[str, Any], store: Store) -> None:
    checked = 0
    for table, cols in JSON_COLUMNS.items():
        path = Path(exported["jsonl"]["files"][table]["path"])
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            for col, shape in cols.items():
                value = row[col]
                if shape == "strings" or shape == "records":
                    assert isinstance(value, list), (table, col, value)
                    checked += 1
                else:
                    assert isinstance(value, dict), (table, col, value)
    assert checked > 100
    first = json.loads(Path(exported["jsonl"]["files"]["engagements"]["path"]).read_text(encoding="utf-8").splitlines()[0])
    assert first == {**store.rows("SELECT * FROM engagements WHERE id = ?", (first["id"],))[0],
                     **{c: first[c] for c in JSON_COLUMNS["engagements"]}}
    assert all(set(d) == {"date", "precision", "document_id", "side"} for d in first["dates"])


def _as_exported(value: Any, shape: str | None) -> Any:
    """A store value as Parquet gives it back."""
    if shape is None or shape == "object" or value is None:
        return value
    data = json.loads(value)
    if shape == "map":
        return sorted((k, list(v)) for k, v in data.items())
    if shape == "records":
        return [{k: d.get(k) for k in ("date", "precision", "document_id", "side")} for d in data]
    return data


@pytest.mark.model
def test_export_parquet_reads_back_with_pyarrow_with_equal_rows(exported: dict[str, Any], store: Store) -> None:
    import pyarrow.parquet as pq

    for table in data_tables(store.conn):
        got = pq.read_table(exported["parquet"]["files"][table]["path"]).to_pylist()
        want = _store_rows(store, table)
        shapes = JSON_COLUMNS.get(table, {})
        key = list(want[0]) if want else []
        norm_got = sorted(({k: (sorted(v) if shapes.get(k) == "map" and v is not None else v) for k, v in r.items()}
                           for r in got), key=lambda r: json.dumps(r, sort_keys=True, default=str))
        norm_want = sorted(({k: _as_exported(r[k], shapes.get(k)) for k in key} for r in want),
                           key=lambda r: json.dumps(r, sort_keys=True, default=str))
        assert norm_got == norm_want, table
    events = pq.read_table(exported["parquet"]["files"][EVENTS_FILE]["path"])
    assert events.column_names == EVENT_COLUMNS
    assert str(events.schema.field("score").type) == "double"
    assert str(events.schema.field("quad_class").type) == "int64"


@pytest.mark.model
def test_export_twice_writes_the_same_bytes(db: Path, tmp_path: Path) -> None:
    a = export_store(db, tmp_path / "a", "csv")
    b = export_store(db, tmp_path / "b", "jsonl", tables=["channels", EVENTS_FILE])
    c = export_store(db, tmp_path / "c", "csv")
    assert set(b["files"]) == {"channels", EVENTS_FILE}
    for name, info in a["files"].items():
        assert Path(info["path"]).read_bytes() == Path(c["files"][name]["path"]).read_bytes(), name


@pytest.mark.model
def test_export_into_a_path_that_is_a_file_is_a_clear_error(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "not-a-folder"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(OptionError, match="is a file, not a folder: give --to a folder"):
        export_store(db, target, "csv")
    assert target.read_text(encoding="utf-8") == "x"


def test_export_bad_format_table_or_database_are_clear_errors(tmp_path: Path) -> None:
    with open_store(tmp_path / "empty.db", create=True) as s:
        with pytest.raises(OptionError, match="unknown export format 'xlsx': choose one of csv, jsonl, parquet"):
            export_store(s, tmp_path / "out", "xlsx")
        with pytest.raises(OptionError, match="no table 'nope' in the store: choose from"):
            export_store(s, tmp_path / "out", "csv", tables=["nope"])
    with pytest.raises(ReadoutError, match="no readout database here"):
        export_store(tmp_path / "missing.db", tmp_path / "out", "csv")


def test_every_schema_column_is_documented(tmp_path: Path) -> None:
    with open_store(tmp_path / "empty.db", create=True) as s:
        for table in data_tables(s.conn):
            cols = [r[1] for r in s.conn.execute(f'PRAGMA table_info("{table}")')]
            assert list(COLUMNS.get(table, {})) == cols, table
            assert set(JSON_COLUMNS.get(table, {})) <= set(cols), table
    text = describe_columns()
    assert "### events_plover" in text and "| `quad_class` |" in text


def test_export_of_an_empty_store_writes_headers_and_no_rows(tmp_path: Path) -> None:
    with open_store(tmp_path / "empty.db", create=True) as s:
        result = export_store(s, tmp_path / "out", "csv", tables=["events", EVENTS_FILE])
    assert {k: v["rows"] for k, v in result["files"].items()} == {"events": 0, EVENTS_FILE: 0}
    header = Path(result["files"][EVENTS_FILE]["path"]).read_text(encoding="utf-8").splitlines()
    assert header == [",".join(EVENT_COLUMNS)]


# ---------------------------------------------------------------- TimelineJS
@pytest.mark.parametrize(("value", "precision", "expected"), [
    ("2023-12-21", "day", {"year": 2023, "month": 12, "day": 21}),
    ("2023-12", "month", {"year": 2023, "month": 12}),
    ("2023-12-01", "month", {"year": 2023, "month": 12}),
    ("2022-01-01", "year", {"year": 2022}),
    ("2023", None, {"year": 2023}),
    (None, "day", None),
])
def test_tl_date_keeps_only_the_known_precision(value: str | None, precision: str | None, expected: dict[str, int] | None) -> None:
    assert tl_date(value, precision) == expected


def _check_slides(obj: dict[str, Any]) -> None:
    assert set(obj) >= {"title", "events"}
    assert obj["title"]["text"]["headline"]
    ids = [e["unique_id"] for e in obj["events"]]
    assert len(ids) == len(set(ids))
    for e in obj["events"]:
        assert isinstance(e["start_date"]["year"], int)
        assert set(e["start_date"]) <= {"year", "month", "day", "display_date"}
        assert e["text"]["headline"] and e["text"]["text"] and e["group"]
        assert '<a href="https://' in e["text"]["text"], e["unique_id"]


def _precision_keys(precision: str) -> set[str]:
    return {"day": {"year", "month", "day"}, "month": {"year", "month"}, "year": {"year"}}[precision]


@pytest.mark.model
def test_timelinejs_channel_has_its_intervals_and_assertions_at_their_precision(store: Store) -> None:
    channel = "chn-usa-theater-commanders"
    obj = timelinejs(store, channel=channel)
    _check_slides(obj)
    slides = {e["unique_id"]: e for e in obj["events"]}
    intervals = store.rows("SELECT * FROM channel_intervals WHERE channel_id = ? AND start_date IS NOT NULL", (channel,))
    assertions = {a["id"]: a for a in store.rows("SELECT * FROM channel_assertions WHERE channel_id = ?", (channel,))}
    assert len(intervals) >= 2
    precisions = set()
    for iv in intervals:
        slide = slides[f"{channel}-interval-{iv['seq']}"]
        assert slide["group"] == "status"
        opener = store.rows("SELECT * FROM channel_assertions WHERE id = ?", (iv["opened_by"],))[0]
        precision = opener["date_precision"] if opener["dated_by"] == "text" else "day"
        assert precision == iv["start_precision"]
        precisions.add(precision)
        assert set(slide["start_date"]) == _precision_keys(precision)
        assert slide["start_date"]["year"] == int(iv["start_date"][:4])
        assert ("end_date" in slide) == (iv["end_date"] is not None)
    # "last August" is in the suspension, which starts on the day a finer source gives: no day is invented
    suspended = next(iv for iv in intervals if iv["state"] == "suspended")
    inside = [assertions[i] for i in json.loads(suspended["assertions"]) if i in assertions]
    assert any(a["date_precision"] == "month" and a["date"] == "2022-08" for a in inside)
    assert (suspended["start_date"], suspended["start_precision"]) == ("2022-08-05", "day")
    for aid, a in assertions.items():
        slide = slides[aid.replace("/", "-")]
        assert slide["group"] == f"said by {a['side'] or 'press'}"
        if a["dated_by"] == "text":
            assert set(slide["start_date"]) == _precision_keys(a["date_precision"])
        else:
            assert slide["start_date"]["display_date"] == f"reported {a['published']}"


@pytest.mark.model
def test_timelinejs_dyad_has_channel_intervals_and_engagements(store: Store) -> None:
    obj = timelinejs(store, dyad="usa-chn")
    _check_slides(obj)
    ids = {e["unique_id"] for e in obj["events"]}
    engagements = store.rows("SELECT id, kind, date, first_reported FROM engagements WHERE dyad = 'CHN-USA'")
    assert engagements and {e["id"] for e in engagements if e["date"] or e["first_reported"]} <= ids
    intervals = store.rows(
        """SELECT i.channel_id, i.seq FROM channel_intervals i JOIN channels c ON c.id = i.channel_id
           WHERE c.dyad = 'CHN-USA' AND i.start_date IS NOT NULL""")
    assert {f"{r['channel_id']}-interval-{r['seq']}" for r in intervals} <= ids
    groups = {e["group"] for e in obj["events"]}
    assert {"Video call", "Defense Telephone Link"} <= groups
    assert not any(e["unique_id"].startswith("doc-") for e in obj["events"])  # assertions only on channel timelines


@pytest.mark.model
def test_export_timelinejs_writes_the_object_and_rejects_bad_targets(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "tl.json"
    result = export_timelinejs(store, path, "CHN-USA")
    assert result == {"path": str(path), "dyad": "CHN-USA", "events": len(timelinejs(store, dyad="CHN-USA")["events"])}
    assert json.loads(path.read_text(encoding="utf-8")) == timelinejs(store, dyad="CHN-USA")
    assert export_timelinejs(store, path, "chn-usa-dtl")["channel"] == "chn-usa-dtl"
    assert export_timelinejs(store, path, "chn-usa-military-communication")["channel"] == "chn-usa-military-communication"
    with pytest.raises(OptionError, match="is a folder: give the timeline a file name"):
        export_timelinejs(store, tmp_path, "CHN-USA")
    with pytest.raises(OptionError, match="no channel 'no-such-channel'"):
        export_timelinejs(store, path, "no-such-channel")
    with pytest.raises(OptionError, match="nothing on the dyad BRA-NOR"):
        export_timelinejs(store, path, "NOR-BRA")
