"""The dyad index counts what happened, once, and ``--explain`` lists what is behind it.

A tiny store made by hand (``save_analysis``): one invented Norwegian readout with an asserted
sanction, a sale promised for later, and an accusation told both as a statement and as an
event of the same sentence. Every number is worked out by hand in the comments.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from readout.cli import cli
from readout.errors import NotFoundError
from readout.records import Actor, Analysis, DateValue, Document, Event, Span, Statement
from readout.registry import get_registry
from readout.store import Store, open_store
from readout.store.dyads import dyad_index, dyads, explain
from readout.store.write import save_analysis

TEXT = (
    "Norway imposed sanctions on Chile on Monday. "
    "Norway will sell missiles to Peru next year. "
    "The minister accused Chile of overfishing."
)


def _span(part: str) -> Span:
    start = TEXT.index(part)
    return Span(start, start + len(part), part)


def _analysis() -> Analysis:
    doc = Document(id="doc-n", text=TEXT, title="Norwegian readout", outlet="Ministry of Defence of Norway", published="2024-03-06")
    monday = DateValue("2024-03-04", "day", "on Monday", None, "test")
    sentence3 = "The minister accused Chile of overfishing."
    actors = [Actor("chl-gov", "Government of Chile", "organization", "CHL", "GOV", known=False, rule="test"),
              Actor("nor-minister", "Norwegian minister", "person", "NOR", "GOV", known=False, rule="test")]
    return Analysis(document=doc, actors=actors, statements=[
        Statement(id="s-acc", kind="indirect", content="Chile of overfishing", content_span=_span("Chile of overfishing"),
                  rule="test", speaker="nor-minister", speaker_name="The minister", side="NOR", cue="accuse",
                  event_type="ACCUSE", event_mode="allege", addressee="chl-gov"),
    ], events=[
        Event("e-sanction", "SANCTION", [_span("Norway imposed sanctions on Chile on Monday."), _span("imposed sanctions")], "test",
              mode="discontinue", cameo="163", source="NOR", target="CHL", date=monday),
        Event("e-sale", "AGREE", [_span("Norway will sell missiles to Peru next year."), _span("sell")], "test",
              cameo="0332", source="NOR", target="PER", modality="future",
              reasons={"modality": "future (will sell): not an event yet, kept out of the index"}),
        Event("e-acc", "ACCUSE", [_span(sentence3), _span("accused")], "test", mode="allege", cameo="112",
              source="NOR", target="CHL", date=monday),
    ])


@pytest.fixture
def store(tmp_path: Path) -> Store:
    st = open_store(tmp_path / "t.db", create=True)
    with st.transaction() as conn:
        conn.execute("INSERT INTO analyzers (id, readout_version, model, registry) VALUES ('an-test', 'test', 'none', 'test')")
        a = _analysis()
        save_analysis(conn, a, registry=get_registry(), analyzer_id="an-test", source=a.document.id)
    return st


def test_events_not_happened_stay_out_of_the_index(store: Store) -> None:
    rows = {r["dyad"]: r for r in dyads(store)}
    # the promised sale to Peru is stored, marked, and counts for nothing
    assert store.scalar("SELECT modality FROM events WHERE type = 'AGREE'") == "future"
    assert "NOR-PER" not in rows


def test_statement_and_event_of_one_act_count_once(store: Store) -> None:
    r = {r["dyad"]: r for r in dyads(store)}["CHL-NOR"]
    # SANCTION -6 and ACCUSE/allege -3.5 (events); the accusation statement is the same act: not counted again
    assert (r["n"], r["sum"], r["events_n"], r["statements_n"]) == (2, -9.5, 2, 0)
    assert r["statements"] == 1  # still a statement of the dyad


def test_explain_lists_the_records_behind_each_figure(store: Store) -> None:
    rows = explain(store)
    counted = [r for r in rows if r["counted"]]
    assert sorted((r["kind"], r["type"], r["score"]) for r in counted) == [("event", "ACCUSE", -3.5), ("event", "SANCTION", -6.0)]
    assert sum(r["score"] for r in counted) == dyads(store)[0]["sum"]
    left = {r["id"].split("/")[-1]: r["left_out"] for r in rows if not r["counted"]}
    assert "future" in left["e-sale"]
    assert "e-acc" in left["s-acc"]  # the statement names the event it repeats
    sanction = next(r for r in rows if r["type"] == "SANCTION")
    assert sanction["text"] == "Norway imposed sanctions on Chile on Monday."
    # per period: the same records, with the period of each
    per_month = explain(store, "CHL-NOR", by="month")
    assert {r["period"] for r in per_month} == {"2024-03"}
    assert sum(r["score"] for r in per_month if r["counted"]) == dyad_index(store, "CHL-NOR")[0]["sum"]
    with pytest.raises(NotFoundError, match="readout dyads"):
        explain(store, "CHN-USA")


def test_cli_dyads_explain(store: Store) -> None:
    out = CliRunner().invoke(cli, ["dyads", "--dyad", "CHL-NOR", "--explain", "--db", str(store.path)], env={"COLUMNS": "240"})
    assert out.exit_code == 0, out.output
    assert "SANCTION" in out.output and "-6.00" in out.output and "same act as event" in out.output
    csv = CliRunner().invoke(cli, ["dyads", "--explain", "--format", "csv", "--db", str(store.path)])
    assert csv.exit_code == 0 and csv.output.splitlines()[0].startswith("dyad,period,day,kind,score,counted")


@pytest.mark.model
def test_sample_corpus_signs_of_issue_12(tmp_path: Path) -> None:
    """With the sample corpus ingested: China-Taiwan has no cooperative month, China-US in
    August 2022 (the month of the halt) is negative, and explain lists what is behind each."""
    from readout.store import ingest

    db = tmp_path / "s.db"
    corpus = Path(__file__).resolve().parents[1] / "src" / "readout" / "corpus"
    ingest([str(corpus)], db=db)
    with open_store(db) as st:
        chn_twn = dyad_index(st, "CHN-TWN")
        assert all(r["mean"] is None or r["mean"] <= 0 for r in chn_twn), chn_twn
        aug = next(r for r in dyad_index(st, "CHN-USA") if r["period"] == "2022-08")
        assert aug["n"] > 0 and aug["mean"] < 0
        behind = [r for r in explain(st, "CHN-USA", by="month") if r["period"] == "2022-08" and r["counted"]]
        assert round(sum(r["score"] for r in behind), 2) == aug["sum"] and len(behind) == aug["n"]
        # no AID from China to Taiwan, and no SUPPORT of 'Taiwan independence' by the US
        assert not st.rows("SELECT 1 FROM events WHERE type = 'AID' AND source_country = 'CHN'")
        assert not st.rows("SELECT 1 FROM statements WHERE event_type = 'SUPPORT' AND content LIKE '%Taiwan independence%'")
