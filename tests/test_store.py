"""The tracker's store: writing, merging engagements across documents, channel timelines,
queries and their output formats, ingest's idempotence, failures and a killed process.

Rule tests build analyses by hand (no model); the ingest tests run the pinned model on the
sample corpus."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from readout.cli import cli
from readout.errors import OptionError, StoreError
from readout.records import Actor, Analysis, ChannelStatus, DateValue, Document, Engagement, Span, Statement
from readout.registry import get_registry
from readout.store import aggregate, open_store, queries
from readout.store.db import Store, data_tables
from readout.store.write import save_analysis

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "src" / "readout" / "corpus"


# ---------------------------------------------------------------- building analyses by hand
def day(value: str | None, raw: str = "") -> DateValue | None:
    if value is None:
        return None
    precision = {10: "day", 7: "month", 4: "year"}[len(value)]
    return DateValue(value, precision, raw or value, None, "test")  # type: ignore[arg-type]


def person(pid: str, name: str, country: str) -> Actor:
    return Actor(id=pid, name=name, kind="person", country=country, sector="MIL", known=True, rule="test",
                 mentions=[Span(0, len(name), name)])


def doc(key: str, published: str, outlet: str, text: str = "") -> Document:
    body = text or f"A document written for the store tests, number {key}, published {published} by {outlet}."
    return Document(id=f"doc-{key}", text=body, title=f"Document {key}", outlet=outlet, published=published)


def engagement(eid: str, kind: str, when: str | None, participants: list[str], dyad: list[str], channel: str | None = None) -> Engagement:
    return Engagement(id=eid, kind=kind, participants=participants, dyad=sorted(dyad), evidence=[Span(0, 10, "evidence")],  # type: ignore[arg-type]
                      rule="test", date=day(when), channel=channel)


def status(sid: str, channel: str, value: str, when: str | None, side: str | None, dyad: tuple[str, str] = ("CHN", "USA")) -> ChannelStatus:
    return ChannelStatus(id=sid, channel=channel, channel_name=channel, dyad=list(dyad), status=value,  # type: ignore[arg-type]
                         evidence=[Span(0, 10, f"{value} evidence")], rule="test", date=day(when), side=side)


def statement(sid: str, content: str, speaker: str, name: str, side: str, engagement_id: str | None = None, topics: list[str] | None = None,
              event_type: str | None = None) -> Statement:
    return Statement(id=sid, kind="indirect", content=content, content_span=Span(0, len(content), content), rule="test",
                     speaker=speaker, speaker_name=name, side=side, topics=topics or [], engagement=engagement_id, event_type=event_type)


AUSTIN = person("lloyd-austin", "Lloyd Austin", "USA")
DONG = person("dong-jun", "Dong Jun", "CHN")
BROWN = person("charles-q-brown", "Charles Q. Brown", "USA")
LIU = person("liu-zhenli", "Liu Zhenli", "CHN")


def write(store: Store, *analyses: Analysis) -> None:
    registry = get_registry()
    for a in analyses:
        with store.transaction() as conn:
            save_analysis(conn, a, registry=registry, analyzer_id="anz-test", source=a.document.id)
    aggregate.refresh_timelines(store.conn)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = open_store(tmp_path / "t.db", create=True)
    s.conn.execute("INSERT INTO analyzers VALUES ('anz-test', 'test', 'none', 'none')")
    yield s
    s.close()


def two_readouts(us_date: str, cn_date: str, *, cn_people: tuple[Actor, ...] = (DONG, AUSTIN)) -> tuple[Analysis, Analysis]:
    us = Analysis(doc("us", us_date, "U.S. Department of Defense"), actors=[AUSTIN, DONG],
                  engagements=[engagement("eng-1", "video_call", us_date, ["lloyd-austin", "dong-jun"], ["USA", "CHN"], "chn-usa-defense-ministers")],
                  statements=[statement("s1", "the two sides should keep lines of communication open", "lloyd-austin", "Lloyd Austin", "USA", "eng-1")])
    cn = Analysis(doc("cn", cn_date, "Xinhua"), actors=list(cn_people),
                  engagements=[engagement("eng-9", "call", cn_date, [p.id for p in cn_people], ["CHN", "USA"])],
                  statements=[statement("s9", "the US side must respect China's core interests", "dong-jun", "Dong Jun", "CHN", "eng-9")])
    return us, cn


# ---------------------------------------------------------------- schema and opening
def test_schema_is_recorded_as_named_migrations(store: Store) -> None:
    from readout.store.schema import MIGRATIONS

    names = [r["name"] for r in store.rows("SELECT name FROM migrations")]
    assert names == [name for name, _ in MIGRATIONS] and names[0] == "0001_initial"
    assert names == sorted(names)  # applied in order, each once
    tables = set(data_tables(store.conn))
    assert {"documents", "engagements", "engagement_sources", "channel_assertions", "channel_intervals", "statements", "events",
            "runs", "failures", "actors", "mentions", "channels"} <= tables


def test_opening_twice_applies_nothing_new(tmp_path: Path) -> None:
    open_store(tmp_path / "a.db", create=True).close()
    again = open_store(tmp_path / "a.db")
    from readout.store.schema import MIGRATIONS

    assert again.scalar("SELECT count(*) FROM migrations") == len(MIGRATIONS)
    again.close()


def test_missing_database_says_to_ingest(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="readout ingest"):
        open_store(tmp_path / "none.db")


def test_a_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not readout's"):
        open_store(path)


def test_a_text_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("not a database at all, just some words\n" * 50)
    with pytest.raises(StoreError, match="is not a readout database"):
        open_store(path)


# ---------------------------------------------------------------- merging engagements
def test_two_sides_one_day_apart_merge_into_one_engagement(store: Store) -> None:
    write(store, *two_readouts("2024-09-09", "2024-09-10"))
    rows = queries.engagements(store, dyad="USA-CHN")
    assert len(rows) == 1
    e = rows[0]
    assert e["sources"] == 2 and e["sides"] == ["CHN", "USA"]
    assert e["dates_disagree"] is True
    assert sorted(d["date"] for d in e["dates"]) == ["2024-09-09", "2024-09-10"]
    assert e["kind"] == "video_call"  # the more specific kind wins the tie
    assert e["channel"] == "chn-usa-defense-ministers"
    # statements of both documents point at the merged engagement
    linked = queries.statements(store, engagement=e["id"])
    assert {s["side"] for s in linked} == {"CHN", "USA"}


def test_same_day_reports_agree(store: Store) -> None:
    write(store, *two_readouts("2024-04-16", "2024-04-16"))
    (e,) = queries.engagements(store)
    assert e["dates_disagree"] is False and e["date"] == "2024-04-16"


def test_reports_three_days_apart_stay_apart(store: Store) -> None:
    write(store, *two_readouts("2024-09-05", "2024-09-08"))
    assert len(queries.engagements(store)) == 2


def test_reports_with_different_people_stay_apart(store: Store) -> None:
    write(store, *two_readouts("2024-09-09", "2024-09-09", cn_people=(LIU, BROWN)))
    assert len(queries.engagements(store)) == 2


def test_a_month_matches_a_day_inside_it(store: Store) -> None:
    write(store, *two_readouts("2024-09-09", "2024-09"))
    (e,) = queries.engagements(store)
    assert e["date"] == "2024-09-09" and e["date_precision"] == "day"
    assert e["dates_disagree"] is False


def test_a_report_that_bridges_two_engagements_merges_them(store: Store) -> None:
    a = Analysis(doc("a", "2024-05-01", "Xinhua"), actors=[AUSTIN, DONG],
                 engagements=[engagement("e", "meeting", "2024-05-01", ["lloyd-austin"], ["CHN", "USA"])])
    b = Analysis(doc("b", "2024-05-03", "Xinhua"), actors=[AUSTIN, DONG],
                 engagements=[engagement("e", "meeting", "2024-05-03", ["dong-jun"], ["CHN", "USA"])])
    c = Analysis(doc("c", "2024-05-04", "Sample Wire"), actors=[AUSTIN, DONG],
                 engagements=[engagement("e", "talks", "2024-05", ["lloyd-austin", "dong-jun"], ["CHN", "USA"])])
    write(store, a, b)
    assert len(queries.engagements(store)) == 2
    write(store, c)
    (e,) = queries.engagements(store)
    assert e["sources"] == 3 and e["dates_disagree"] is True
    assert store.scalar("SELECT count(DISTINCT engagement_id) FROM engagement_sources") == 1


def test_writing_the_same_analysis_twice_changes_nothing(store: Store) -> None:
    us, cn = two_readouts("2024-09-09", "2024-09-10")
    write(store, us, cn)
    before = store.counts()
    write(store, us, cn)
    assert store.counts() == before


# ---------------------------------------------------------------- channel timelines
def _timeline_docs() -> list[Analysis]:
    mmca = "chn-usa-mmca"
    return [
        Analysis(doc("1", "2022-08-05", "Ministry of Foreign Affairs of the PRC"), channel_status=[status("a", mmca, "suspended", None, "CHN")]),
        Analysis(doc("2", "2023-02-09", "Sample Wire"), channel_status=[status("a", mmca, "held", None, None)]),  # undated: no new interval
        Analysis(doc("3", "2023-11-16", "The White House"), channel_status=[status("a", mmca, "agreed_to_resume", "2023-11-15", "USA")]),
        Analysis(doc("4", "2023-12-22", "Global Times"), channel_status=[status("a", mmca, "expected_to_resume", None, "CHN")]),
        Analysis(doc("5", "2024-04-05", "U.S. Indo-Pacific Command"), channel_status=[status("a", mmca, "resumed", "2024-04-03", "USA")]),
    ]


def test_timeline_across_suspension_and_resumption(store: Store) -> None:
    write(store, *_timeline_docs())
    t = queries.timeline(store, "MMCA")  # an alias finds the channel
    assert [(iv["state"], iv["start_date"], iv["end_date"]) for iv in t.intervals] == [
        ("suspended", "2022-08-05", "2023-11-15"),
        ("resumption_pending", "2023-11-15", "2024-04-03"),
        ("active", "2024-04-03", None),
    ]
    assert len(t.intervals[0]["assertions"]) == 2  # the undated "held" is kept as evidence, not as a state
    assert t.intervals[1]["sides"] == ["CHN", "USA"]


def test_board_as_of_a_date(store: Store) -> None:
    write(store, *_timeline_docs())
    board = {r["channel"]: r for r in queries.channel_board(store, "CHN-USA", as_of="2023-12-22")}
    mmca = board["chn-usa-mmca"]
    assert mmca["state"] == "resumption_pending" and mmca["suspended_since"] == "2022-08-05"
    assert mmca["latest"] == "expected_to_resume" and mmca["sources"] == 4
    assert board["chn-usa-dpct"]["state"] == "no_record"  # known to the registry, not to the sources
    later = {r["channel"]: r for r in queries.channel_board(store, "CHN-USA", as_of="2024-06-01")}
    assert later["chn-usa-mmca"]["state"] == "active" and later["chn-usa-mmca"]["last_held"] == "2024-04-03"
    before = {r["channel"]: r for r in queries.channel_board(store, "CHN-USA", as_of="2022-01-01")}
    assert before["chn-usa-mmca"]["state"] == "no_record"


def test_same_day_contradiction_is_kept_and_flagged() -> None:
    rows = [
        {"id": "x1", "document_id": "d1", "status": "held", "effective_date": "2024-01-10", "dated_by": "text", "side": "USA"},
        {"id": "x2", "document_id": "d2", "status": "suspended", "effective_date": "2024-01-10", "dated_by": "text", "side": "CHN"},
        {"id": "x3", "document_id": "d3", "status": "suspended", "effective_date": "2024-01-10", "dated_by": "text", "side": "CHN"},
    ]
    (iv,) = aggregate.build_timeline(rows)
    assert iv["state"] == "suspended" and iv["contested"] == 1 and iv["conflicts"] == ["x1"]
    assert iv["sides"] == ["CHN", "USA"] and iv["sources"] == 3


def test_requests_before_any_state_make_an_unknown_interval() -> None:
    rows = [
        {"id": "r", "document_id": "d1", "status": "requested", "effective_date": "2023-02-09", "dated_by": "published", "side": "USA"},
        {"id": "h", "document_id": "d2", "status": "held", "effective_date": "2023-06-02", "dated_by": "text", "side": None},
    ]
    ivs = aggregate.build_timeline(rows)
    assert [(i["state"], i["start_date"], i["end_date"]) for i in ivs] == [("unknown", "2023-02-09", "2023-06-02"), ("active", "2023-06-02", None)]
    assert ivs[1]["last_held"] == "2023-06-02" and ivs[1]["sides"] == ["press"]


def test_a_prospect_dated_after_publication_is_placed_at_publication(store: Store) -> None:
    a = Analysis(doc("p", "2023-12-22", "Global Times"), channel_status=[status("a", "chn-usa-dpct", "expected_to_resume", "2024-03", "CHN")])
    write(store, a)
    (row,) = store.rows("SELECT effective_date, dated_by FROM channel_assertions")
    assert row == {"effective_date": "2023-12-22", "dated_by": "published"}


def test_an_undated_assertion_of_a_document_known_to_the_month_is_placed_on_its_first_day(store: Store) -> None:
    a = Analysis(doc("m", "2023-10", "U.S. Department of Defense"), channel_status=[status("a", "chn-usa-dpct", "suspended", None, "USA")])
    write(store, a)
    (row,) = store.rows("SELECT effective_date, dated_by FROM channel_assertions")
    assert row == {"effective_date": "2023-10-01", "dated_by": "published"}
    (iv,) = queries.timeline(store, "chn-usa-dpct").intervals
    assert (iv["start_date"], iv["start_precision"]) == ("2023-10-01", "month")


def test_generic_channels_go_to_the_umbrella_of_their_dyad_declared_or_by_convention(store: Store) -> None:
    a = Analysis(doc("g", "2022-08-06", "Sample Wire"), channel_status=[
        status("a", "military-communication", "suspended", "2022-08-05", "USA"),
        status("b", "military-communication", "suspended", "2023-04-07", "KOR", dyad=("KOR", "PRK")),
        status("c", "military-communication", "suspended", "2023-04-07", "NOR", dyad=("CHL", "NOR")),
    ])
    write(store, a)
    owners = {r["channel_id"] for r in store.rows("SELECT channel_id FROM channel_assertions")}
    assert owners == {"chn-usa-military-communication", "kor-prk-military-communication", "chl-nor-military-communication"}
    # the rows of each umbrella's tree are there, members pointing at their umbrella
    parents = {r["id"]: r["parent_id"] for r in store.rows("SELECT id, parent_id FROM channels")}
    assert parents["chn-usa-chiefs-of-defense"] == "chn-usa-high-level-military-dialogue"
    assert parents["kor-prk-military-hotline"] == "kor-prk-military-communication"
    assert parents["chl-nor-military-communication"] is None


# ---------------------------------------------------------------- umbrellas, gaps and what was known when
def _row(aid: str, status: str, day: str | None, *, dated_by: str = "text", side: str | None = "CHN", precision: str = "day",
         inherited_from: str | None = None, doc_id: str | None = None) -> dict[str, Any]:
    return {"id": aid, "document_id": doc_id or f"d-{aid}", "status": status, "date": day if dated_by == "text" else None,
            "date_precision": precision if dated_by == "text" else None,
            "effective_date": aggregate.date_range(day, None)[0].isoformat() if day else None,  # type: ignore[index]
            "dated_by": dated_by, "side": side, "inherited_from": inherited_from}


UMB = "chn-usa-military-communication"


def test_an_umbrella_suspension_applies_to_a_member_until_its_own_later_news() -> None:
    rows = [
        _row("own-held", "held", "2022-07", precision="month"),
        _row("umb-susp", "suspended", "2022-08-05", inherited_from=UMB),
        _row("umb-agree", "agreed_to_resume", "2023-11-15", inherited_from=UMB),
        _row("own-resumed", "resumed", "2023-12-21"),
    ]
    ivs = aggregate.build_timeline(rows)
    assert [(i["state"], i["start_date"], i["inherited_from"]) for i in ivs] == [
        ("active", "2022-07-01", None),
        ("suspended", "2022-08-05", UMB),
        ("resumption_pending", "2023-11-15", UMB),
        ("active", "2023-12-21", None),
    ]
    assert ivs[1]["assertions"] == ["umb-susp"] and ivs[1]["opened_by"] == "umb-susp"
    assert ivs[0]["start_precision"] == "month" and ivs[0]["end_date"] == "2022-08-05"


def test_a_member_held_during_a_general_suspension_is_held_and_stays_so() -> None:
    rows = [
        _row("umb-susp", "suspended", "2022-08-05", inherited_from=UMB),
        _row("own-held", "held", "2022-11-22"),
        # the umbrella's later agreement to resume does not demote a channel that met on its own
        _row("umb-agree", "agreed_to_resume", "2023-11-15", inherited_from=UMB),
        # the same day, the channel's own news wins over the umbrella's
        _row("umb-susp-2", "suspended", "2024-01-10", inherited_from=UMB),
        _row("own-held-2", "held", "2024-01-10"),
    ]
    ivs = aggregate.build_timeline(rows)
    assert [(i["state"], i["start_date"]) for i in ivs] == [("suspended", "2022-08-05"), ("active", "2022-11-22")]
    assert "umb-agree" not in ivs[1]["assertions"] and "umb-susp-2" not in ivs[1]["assertions"]
    assert not ivs[1]["contested"]


def test_an_umbrella_contact_does_not_make_every_member_active() -> None:
    rows = [_row("umb-susp", "suspended", "2022-08-05", inherited_from=UMB), _row("umb-resumed", "resumed", "2023-12-21", inherited_from=UMB)]
    ivs = aggregate.build_timeline(rows)
    assert [(i["state"], i["start_date"]) for i in ivs] == [("suspended", "2022-08-05")]


def test_a_resumption_after_a_stretch_without_contact_leaves_a_dormant_gap() -> None:
    rows = [
        _row("held", "held", "2022-07", precision="month"),
        _row("asked", "requested", "2023-02-09", dated_by="published", side="USA"),
        _row("first-since", "resumed", "2023-12-21"),
        _row("told-again", "resumed", "2023-12-22"),  # the same resumption a day later: no new gap
        _row("undated", "resumed", "2024-01-05", dated_by="published"),  # "the restored channel": supports only
    ]
    ivs = aggregate.build_timeline(rows)
    assert [(i["state"], i["start_date"], i["end_date"]) for i in ivs] == [
        ("active", "2022-07-01", "2022-07-31"),
        ("dormant", "2022-07-31", "2023-12-21"),
        ("active", "2023-12-21", None),
    ]
    assert ivs[1]["assertions"] == ["asked", "first-since"]  # what fell in the gap, and the "first since" behind it
    assert ivs[2]["assertions"] == ["first-since", "told-again", "undated"]


def test_an_interval_known_to_the_month_starts_on_the_day_a_finer_source_gives() -> None:
    rows = [
        _row("month", "suspended", "2022-08", precision="month", inherited_from=UMB),
        _row("day", "suspended", "2022-08-05"),
        _row("agree-month", "agreed_to_resume", "2023-11", precision="month"),
    ]
    ivs = aggregate.build_timeline(rows)
    assert [(i["state"], i["start_date"], i["start_precision"], i["inherited_from"]) for i in ivs] == [
        ("suspended", "2022-08-05", "day", None),
        ("resumption_pending", "2023-11-01", "month", None),
    ]


def _umbrella_docs() -> list[Analysis]:
    return [
        Analysis(doc("u1", "2022-08-06", "Sample Wire"), channel_status=[status("a", "military-communication", "suspended", "2022-08-05", "USA")]),
        Analysis(doc("u2", "2022-11-23", "U.S. Department of Defense"), channel_status=[
            status("a", "chn-usa-defense-ministers", "held", "2022-11-22", "USA")]),
        Analysis(doc("u3", "2023-11-16", "Xinhua"), channel_status=[
            status("a", "high-level-military-dialogue", "agreed_to_resume", "2023-11-15", "CHN"),
            status("b", "chn-usa-mmca", "agreed_to_resume", "2023-11-15", "CHN")]),
        Analysis(doc("u4", "2023-12-22", "Joint Chiefs of Staff"), channel_status=[
            status("a", "chn-usa-chiefs-of-defense", "resumed", "2023-12-21", "USA")]),
    ]


def test_board_shows_inherited_states_with_the_umbrella_evidence(store: Store) -> None:
    write(store, *_umbrella_docs())
    board = {r["channel"]: r for r in queries.channel_board(store, "CHN-USA", as_of="2023-06-01")}
    for cid in ("chn-usa-chiefs-of-defense", "chn-usa-dpct", "chn-usa-mmca", "chn-usa-theater-commanders", "chn-usa-dtl"):
        assert board[cid]["state"] == "suspended" and board[cid]["inherited_from"] == UMB, board[cid]
        assert board[cid]["suspended_since"] == "2022-08-05"
    # a ministers' meeting held during the general suspension is held, and the board shows both facts
    ministers = board["chn-usa-defense-ministers"]
    assert ministers["state"] == "active" and ministers["since"] == "2022-11-22" and ministers["inherited_from"] is None
    assert ministers["parent_state"]["state"] == "suspended"
    # umbrellas come first, each followed by its members
    order = [r["channel"] for r in queries.channel_board(store, "CHN-USA", as_of="2023-06-01")]
    assert order[0] == UMB and order.index("chn-usa-high-level-military-dialogue") < order.index("chn-usa-chiefs-of-defense")
    assert board["chn-usa-chiefs-of-defense"]["depth"] == 2 and board["chn-usa-dtl"]["depth"] == 1
    later = {r["channel"]: r for r in queries.channel_board(store, "CHN-USA", as_of="2023-12-22")}
    assert (later["chn-usa-chiefs-of-defense"]["state"], later["chn-usa-chiefs-of-defense"]["since"]) == ("active", "2023-12-21")
    assert later["chn-usa-mmca"]["state"] == "resumption_pending" and later["chn-usa-mmca"]["inherited_from"] is None
    # the agreement was said of high-level military dialogue: it covers the ministers and the chiefs, not the
    # hotline; and it does not demote the ministers' channel, which met on its own
    assert later["chn-usa-dtl"]["state"] == "suspended" and later["chn-usa-dtl"]["inherited_from"] == UMB
    assert later["chn-usa-defense-ministers"]["state"] == "active"
    t = queries.timeline(store, "chn-usa-dtl")
    (first,) = t.intervals[0]["assertions"]
    assert first["inherited_from"] == UMB and first["evidence"] == "suspended evidence" and first["outlet"] == "Sample Wire"


def test_known_on_draws_the_board_from_documents_published_by_then(store: Store) -> None:
    write(store, *_umbrella_docs())
    everything = {r["channel"]: r for r in queries.channel_board(store, "CHN-USA", as_of="2024-01-01")}
    then = {r["channel"]: r for r in queries.channel_board(store, "CHN-USA", as_of="2024-01-01", known_on="2023-01-01")}
    assert everything["chn-usa-chiefs-of-defense"]["state"] == "active"
    assert then["chn-usa-chiefs-of-defense"]["state"] == "suspended"
    assert then["chn-usa-mmca"]["state"] == "suspended" and then["chn-usa-mmca"]["sources"] == 0
    assert then["chn-usa-defense-ministers"]["last_held"] == "2022-11-22"
    published = {r["id"]: r["published"] for r in store.rows("SELECT id, published FROM documents")}
    for cid in (c for c, r in then.items() if r["state"] != "no_record"):
        for iv in queries.timeline(store, cid, known_on="2023-01-01").intervals:
            assert all(published[a["document_id"]] <= "2023-01-01" for a in iv["assertions"])
    # the stored timelines are left as they are
    assert queries.channel_board(store, "CHN-USA", as_of="2024-01-01") == list(everything.values())
    with pytest.raises(OptionError, match="--known-on"):
        queries.channel_board(store, "CHN-USA", known_on="yesterday")


def test_a_database_of_the_first_schema_is_migrated_and_its_timelines_rebuilt(tmp_path: Path) -> None:
    from readout.store.schema import INITIAL

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(INITIAL)
    conn.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied TEXT NOT NULL)")
    conn.execute("INSERT INTO migrations VALUES ('0001_initial', '2026-11-01T00:00:00+00:00')")
    conn.execute("INSERT INTO channels (id, registry_id, name, dyad, level) VALUES ('chn-usa-mmca', 'chn-usa-mmca', 'MMCA', 'CHN-USA', 'working')")
    conn.commit()
    conn.close()
    store = open_store(path)
    from readout.store.schema import MIGRATIONS

    assert store.scalar("SELECT count(*) FROM migrations") == len(MIGRATIONS)
    assert store.scalar("SELECT stale FROM channels WHERE id = 'chn-usa-mmca'") == 1
    store.close()


# ---------------------------------------------------------------- query options
def test_query_options_are_checked(store: Store) -> None:
    with pytest.raises(OptionError, match="alpha-3"):
        queries.channel_board(store, "China and the US")
    with pytest.raises(OptionError, match="not a country code"):
        queries.channel_board(store, "XXX-USA")
    with pytest.raises(OptionError, match="not a date"):
        queries.channel_board(store, "CHN-USA", as_of="last week")
    with pytest.raises(OptionError, match="--kind"):
        queries.engagements(store, kind="lunch")
    with pytest.raises(OptionError, match="no channel"):
        queries.timeline(store, "no-such-channel")


def test_statement_filters(store: Store) -> None:
    us, cn = two_readouts("2024-09-09", "2024-09-10")
    cn.statements[0].topics = ["respect"]
    write(store, us, cn)
    assert [s["side"] for s in queries.statements(store, side="chn")] == ["CHN"]
    assert [s["speaker_name"] for s in queries.statements(store, speaker="Austin")] == ["Lloyd Austin"]
    assert [s["side"] for s in queries.statements(store, topic="respect")] == ["CHN"]
    assert [s["side"] for s in queries.statements(store, search='lines "communication')] == ["USA"]
    assert queries.statements(store, since="2024-09-10") == queries.statements(store, side="CHN")


# ---------------------------------------------------------------- every output format of every query command
def run(*args: str) -> Any:
    return CliRunner(env={"COLUMNS": "160"}).invoke(cli, list(args))


QUERY_COMMANDS = [
    ["channels", "--dyad", "CHN-USA", "--as-of", "2024-06-01"],
    ["timeline", "chn-usa-mmca"],
    ["engagements", "--dyad", "CHN-USA"],
    ["statements", "--side", "CHN"],
    ["failures"],
]


@pytest.fixture
def small_db(tmp_path: Path) -> str:
    path = tmp_path / "q.db"
    s = open_store(path, create=True)
    s.conn.execute("INSERT INTO analyzers VALUES ('anz-test', 'test', 'none', 'none')")
    write(s, *two_readouts("2024-09-09", "2024-09-10"), *_timeline_docs())
    s.conn.execute("INSERT INTO failures (source, code, reason) VALUES ('bad.txt', 'empty_input', 'bad.txt: the file is empty')")
    s.close()
    return str(path)


@pytest.mark.parametrize("command", QUERY_COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv"])
def test_every_query_command_in_every_format(small_db: str, command: list[str], fmt: str) -> None:
    result = run(*command, "--db", small_db, "--format", fmt)
    assert result.exit_code == 0, result.output
    out = result.stdout
    if fmt == "json":
        data = json.loads(out)
        assert data
    elif fmt == "jsonl":
        lines = [json.loads(line) for line in out.splitlines()]
        assert lines and all(isinstance(x, dict) for x in lines)
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert rows and all(None not in r for r in rows)
    else:
        assert out.strip() and "Traceback" not in out


def test_board_table_names_states_and_dates(small_db: str) -> None:
    out = run("channels", "--dyad", "CHN-USA", "--as-of", "2023-12-22", "--db", small_db).stdout
    line = next(x for x in out.splitlines() if "Military Maritime" in x)
    assert "resumption pending" in line and "2022-08-05" in line


def test_query_errors_are_one_line(small_db: str, tmp_path: Path) -> None:
    for args in (["channels", "--dyad", "XXX-YYY", "--db", small_db], ["channels", "--dyad", "CHN-USA", "--db", str(tmp_path / "none.db")],
                 ["timeline", "nothing-like-this", "--db", small_db]):
        result = run(*args)
        assert result.exit_code == 2 or result.exit_code == 5, result.output
        assert result.stdout == "" and len(result.stderr.splitlines()) == 1 and result.stderr.startswith("error: ")


# ---------------------------------------------------------------- ingest with the model
def rows_of(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every data table but the run log, sorted: what two stores must share."""
    conn = sqlite3.connect(path)
    out = {}
    for t in data_tables(conn):
        if t in ("runs", "migrations"):
            continue
        out[t] = sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
    conn.close()
    return out


def _ingest(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "readout", "ingest", *args], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "corpus.db"
    done = _ingest(str(CORPUS), "--db", str(path))
    assert done.returncode == 0, done.stderr
    return path


@pytest.mark.model
def test_reingest_adds_nothing(corpus_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "again.db"
    src = sqlite3.connect(corpus_db)
    dst = sqlite3.connect(copy)
    src.backup(dst)
    src.close()
    dst.close()
    before = rows_of(copy)
    done = _ingest(str(CORPUS), "--db", str(copy), "--format", "json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["documents"] == {"new": 0, "unchanged": 25, "updated": 0, "failed": 0}
    assert summary["records_added"] == {}
    assert rows_of(copy) == before


@pytest.mark.model
def test_ingest_with_two_workers_gives_the_rows_of_one(corpus_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "two.db"
    done = _ingest(str(CORPUS), "--db", str(path), "--workers", "2", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["documents"]["new"] == 25
    assert rows_of(path) == rows_of(corpus_db)


@pytest.mark.model
@pytest.mark.parametrize("workers", [1, 2])
def test_killed_ingest_then_rerun_equals_an_uninterrupted_run(corpus_db: Path, tmp_path: Path, workers: int) -> None:
    path = tmp_path / "killed.db"
    child = subprocess.Popen([sys.executable, "-m", "readout", "ingest", str(CORPUS), "--db", str(path), "--workers", str(workers)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    committed = 0
    try:
        while time.monotonic() < deadline and child.poll() is None:
            if path.exists():
                try:
                    conn = sqlite3.connect(path, timeout=1)
                    committed = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
                    conn.close()
                except sqlite3.OperationalError:
                    committed = 0
                if committed >= 5:
                    break
            time.sleep(0.05)
        assert child.poll() is None, "the ingest finished before it could be killed"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL
    partial = rows_of(path)
    assert 5 <= len(partial["documents"]) < 25
    done = _ingest(str(CORPUS), "--db", str(path), "--format", "json", "--workers", str(workers))
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["documents"]["unchanged"] == len(partial["documents"])
    assert summary["documents"]["new"] == 25 - len(partial["documents"])
    assert rows_of(path) == rows_of(corpus_db)
    # the killed run is marked interrupted by the next one; the store checks clean
    assert summary["interrupted_runs"] == [1]
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT id, status FROM runs ORDER BY id").fetchall() == [(1, "interrupted"), (2, "finished")]
    conn.close()
    check = subprocess.run([sys.executable, "-m", "readout", "check", "--db", str(path)], capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.model
def test_a_downloads_folder_with_its_own_database_exits_0_with_the_counts(tmp_path: Path) -> None:
    """As a new user tries it: articles beside pictures, a PDF and an office file, the database
    saved in the same folder; ingested twice."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for f in sorted(CORPUS.glob("*.txt"))[:2]:
        (folder / f.name).write_bytes(f.read_bytes())
    (folder / "map.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (folder / "report.pdf").write_bytes(b"%PDF-1.7\n" + bytes(64))
    (folder / "notes.docx").write_bytes(b"PK\x03\x04" + bytes(64))
    db = folder / "readout.db"
    for new, unchanged in ((2, 0), (0, 2)):
        done = _ingest(str(folder), "--db", str(db), "--format", "json")
        assert done.returncode == 0, done.stderr
        summary = json.loads(done.stdout)
        assert summary["documents"] == {"new": new, "unchanged": unchanged, "updated": 0, "failed": 0}
        assert summary["failures"] == []
        assert summary["skipped"]["other_types"] == {".docx": 1, ".pdf": 1, ".png": 1}
        assert summary["skipped"]["database"] >= 1
    text = _ingest(str(folder), "--db", str(db))
    assert "skipped 3 files of other types: .docx, .pdf, .png".capitalize() in text.stdout


@pytest.mark.model
def test_bad_inputs_are_recorded_and_good_ones_go_through(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    good = sorted(CORPUS.glob("*.txt"))[:2]
    for f in good:
        (folder / f.name).write_bytes(f.read_bytes())
    (folder / "empty.txt").write_text("")
    (folder / "scan.txt").write_bytes(bytes(range(256)) * 20)
    record = {"text": (CORPUS / sorted(p.name for p in CORPUS.glob("*.txt"))[3]).read_text(), "title": "From a feed",
              "published": "2023-02-09", "outlet": "Sample Wire", "feed_id": 41}
    (folder / "feed.jsonl").write_text(json.dumps(record) + "\n{this line is broken\n" + json.dumps({"title": "no text"}) + "\n")
    db = tmp_path / "inbox.db"
    done = _ingest(str(folder), "--db", str(db), "--format", "json")
    assert done.returncode == 2, done.stderr
    summary = json.loads(done.stdout)
    assert summary["documents"] == {"new": 3, "unchanged": 0, "updated": 0, "failed": 4}
    store = open_store(db)
    reasons = {r["source"].rsplit("/", 1)[-1]: r["code"] for r in queries.failures(store)}
    assert reasons == {"empty.txt": "empty_input", "scan.txt": "binary_input", "feed.jsonl:2": "malformed_record", "feed.jsonl:3": "malformed_record"}
    (meta,) = store.rows("SELECT metadata, title FROM documents WHERE title = 'From a feed'")
    assert json.loads(meta["metadata"]) == {"feed_id": 41, "encoding": "utf-8"}
    store.close()


@pytest.mark.model
def test_csv_and_standard_input(tmp_path: Path) -> None:
    text = (CORPUS / "19-milley-gerasimov-call-2022-05.txt").read_text()
    path = tmp_path / "docs.csv"
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["title", "published", "text", "desk"])
        w.writerow(["Milley and Gerasimov", "2022-05-20", text, "Europe"])
    db = tmp_path / "c.db"
    assert _ingest(str(path), "--db", str(db)).returncode == 0
    piped = subprocess.run([sys.executable, "-m", "readout", "ingest", "-", "--db", str(db), "--published", "2024-09-11", "--format", "json"],
                           input=(CORPUS / "17-theater-commanders-call-2024-09.txt").read_text(), capture_output=True, text=True, timeout=600)
    assert piped.returncode == 0, piped.stderr
    store = open_store(db)
    assert store.rows("SELECT published, source FROM documents ORDER BY published") == [
        {"published": "2022-05-20", "source": f"{path}:2"}, {"published": "2024-09-11", "source": "-"}]
    store.close()


@pytest.fixture(scope="module")
def reference_db(corpus_db: Path, tmp_path_factory: pytest.TempPathFactory, shared_dir: Path) -> Path:
    """The sample corpus plus the reference article (published 2023-12-22)."""
    path = tmp_path_factory.mktemp("reference") / "ref.db"
    src = sqlite3.connect(corpus_db)
    dst = sqlite3.connect(path)
    src.backup(dst)
    src.close()
    dst.close()
    done = _ingest(str(shared_dir / "reference" / "liu-brown-video-call-2023-12.txt"), "--db", str(path),
                   "--published", "2023-12-22", "--outlet", "Global Times")
    assert done.returncode == 0, done.stderr
    return path


FOUR = ("chn-usa-chiefs-of-defense", "chn-usa-mmca", "chn-usa-dpct", "chn-usa-theater-commanders")


def _interval_on(t: queries.Timeline, day: str) -> dict[str, Any]:
    return [iv for iv in t.intervals if iv["start_date"] and iv["start_date"] <= day][-1]


@pytest.mark.model
def test_reference_board_tells_the_suspension_and_the_resumptions(reference_db: Path) -> None:
    store = open_store(reference_db)
    board = {r["channel"]: r for r in queries.channel_board(store, "CHN-USA", as_of="2023-06-01")}
    for channel in FOUR:
        row = board[channel]
        assert row["state"] == "suspended", row  # inherited or its own
        assert row["suspended_since"] and row["suspended_since"].startswith("2022-08"), row
        # with the August 2022 evidence behind it
        iv = _interval_on(queries.timeline(store, channel), "2023-06-01")
        assert any((a["date"] or a["published"] or "").startswith("2022-08") for a in iv["assertions"]), iv
    board = {r["channel"]: r for r in queries.channel_board(store, "CHN-USA", as_of="2023-12-22")}
    chiefs = board["chn-usa-chiefs-of-defense"]
    assert (chiefs["state"], chiefs["since"], chiefs["last_held"]) == ("active", "2023-12-21", "2023-12-21"), chiefs
    for channel in FOUR[1:]:
        row = board[channel]
        assert row["state"] == "resumption_pending", row
        assert row["suspended_since"] and row["suspended_since"].startswith("2022-08"), row
    board = {r["channel"]: r for r in queries.channel_board(store, "CHN-USA", as_of="2024-10-01")}
    for channel in FOUR:
        assert board[channel]["state"] == "active", board[channel]
    # each timeline shows suspended -> resumption pending -> active, each step with its evidence
    for channel in FOUR:
        steps = [iv for iv in queries.timeline(store, channel).intervals if iv["start_date"] and iv["start_date"] >= "2022-08"]
        assert [iv["state"] for iv in steps] == ["suspended", "resumption_pending", "active"], (channel, steps)
        assert all(iv["assertions"] for iv in steps)
    store.close()


@pytest.mark.model
def test_reference_call_is_one_engagement_of_three_sources(reference_db: Path) -> None:
    store = open_store(reference_db)
    call = [e for e in queries.engagements(store, dyad="CHN-USA", since="2023-12-21", until="2023-12-21")]
    assert len(call) == 1 and call[0]["sources"] == 3 and call[0]["sides"] == ["CHN", "USA"], call
    store.close()


@pytest.mark.model
def test_reference_defense_telephone_link_has_no_japan_china_assertion(reference_db: Path) -> None:
    store = open_store(reference_db)
    rows = store.rows(
        """SELECT a.id, a.side, a.evidence FROM channel_assertions a
           WHERE a.channel_id = 'chn-usa-dtl' AND (a.side NOT IN ('CHN', 'USA') OR a.document_id IN (
                 SELECT document_id FROM engagement_sources WHERE dyad = 'CHN-JPN'))"""
    )
    assert rows == []
    assert store.scalar("SELECT count(*) FROM channel_assertions WHERE channel_id = 'chn-jpn-maritime-air-communication'")
    store.close()


@pytest.mark.model
def test_reference_known_on_shows_nothing_published_after_that_day(reference_db: Path) -> None:
    store = open_store(reference_db)
    published = {r["id"]: r["published"] for r in store.rows("SELECT id, published FROM documents")}
    board = queries.channel_board(store, "CHN-USA", as_of="2023-12-22", known_on="2023-01-01")
    rows = {r["channel"]: r for r in board}
    assert rows["chn-usa-chiefs-of-defense"]["state"] == "suspended"  # the December 2023 call was not known yet
    for r in board:
        assert (r["last_reported"] or "") <= "2023-01-01"
        for iv in queries.timeline(store, r["channel"], known_on="2023-01-01").intervals if r["state"] != "no_record" else []:
            assert all(published[a["document_id"]] <= "2023-01-01" for a in iv["assertions"])
    store.close()


def test_reports_a_day_apart_each_do_not_chain_across_days(store: Store) -> None:
    reports = [
        Analysis(doc(str(i), f"2024-05-{d:02d}", "Sample Wire"), actors=[AUSTIN, DONG],
                 engagements=[engagement("e", "call", f"2024-05-{d:02d}", ["lloyd-austin", "dong-jun"], ["CHN", "USA"])])
        for i, d in enumerate((10, 11, 12, 13))
    ]
    write(store, *reports)
    # 10 and 11 are one call told a day apart; 12 does not meet the 10th, so a second call begins
    assert [e["sources"] for e in queries.engagements(store)] == [2, 2]


# ---------------------------------------------------------------- engagement status
def test_store_a_planned_meeting_and_its_report_as_held_are_one_held_engagement(store: Store) -> None:
    planned = engagement("eng-p", "meeting", "2024-05-31", ["lloyd-austin", "dong-jun"], ["USA", "CHN"])
    planned.status = "planned"
    held = engagement("eng-h", "meeting", "2024-05-31", ["lloyd-austin", "dong-jun"], ["USA", "CHN"])
    write(store, Analysis(doc("p", "2024-05-29", "Sample Wire"), actors=[AUSTIN, DONG], engagements=[planned]))
    assert [r["status"] for r in queries.engagements(store)] == ["planned"]
    write(store, Analysis(doc("h", "2024-06-01", "U.S. Department of Defense"), actors=[AUSTIN, DONG], engagements=[held]))
    rows = queries.engagements(store)
    assert [(r["status"], r["sources"]) for r in rows] == [("held", 2)]


def test_store_a_declined_meeting_stays_apart_from_a_held_one(store: Store) -> None:
    declined = engagement("eng-d", "meeting", "2023-06", ["lloyd-austin", "dong-jun"], ["USA", "CHN"])
    declined.status = "declined"
    held = engagement("eng-h", "meeting", "2023-06-02", ["lloyd-austin", "dong-jun"], ["USA", "CHN"])
    write(store, Analysis(doc("d", "2023-06-01", "Sample Wire"), actors=[AUSTIN, DONG], engagements=[declined]),
          Analysis(doc("h", "2023-06-03", "Sample Wire"), actors=[AUSTIN, DONG], engagements=[held]))
    assert sorted(r["status"] for r in queries.engagements(store)) == ["declined", "held"]
    assert [r["status"] for r in queries.engagements(store, status="declined")] == ["declined"]
    with pytest.raises(OptionError, match="--status 'happened'"):
        queries.engagements(store, status="happened")


@pytest.mark.parametrize(("reports", "merged"), [
    ([("planned", "2024-01-01"), ("held", "2024-01-05")], "held"),
    ([("held", "2024-01-01"), ("cancelled", "2024-01-05")], "held"),         # one source saw it happen
    ([("planned", "2024-01-01"), ("postponed", "2024-01-05")], "postponed"),  # the latest report
    ([("requested", "2024-01-05"), ("declined", "2024-01-05")], "declined"),  # same day: the further along
])
def test_merged_status_of_an_engagement_from_its_reports(reports: list[tuple[str, str]], merged: str) -> None:
    assert aggregate.merged_status(reports) == merged  # type: ignore[arg-type]
