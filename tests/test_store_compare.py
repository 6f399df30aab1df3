"""Comparing two sides' accounts of one engagement, and the dyads' cooperation-conflict index.

The rule tests build a tiny store from hand-made records (``save_analysis``): a Norwegian and a
Chilean readout of one invented video call between the two defense ministers. Every expected
number below is worked out by hand from those texts, in the comments beside it. One test, marked
``model``, ingests the packaged corpus and the reference article and checks the acceptance
statement of issue #3.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from readout.errors import OptionError
from readout.records import Actor, Analysis, DateValue, Document, Engagement, Event, Span, Statement
from readout.registry import get_registry
from readout.report import to_text
from readout.store import Store, open_store
from readout.store.compare import compare, count_terms, normalize_word, topic_phrases
from readout.store.dyads import dyad_index, dyads
from readout.store.write import save_analysis
from readout.views import compare_view, dyad_index_view, dyads_view

# ------------------------------------------------------------------ the two readouts
NOR_TEXT = (
    "Defense ministers of Norway and Chile held a video call on Tuesday. "
    "The Norwegian minister said both navies must avoid miscalculation and keep lines of communication open. "
    "He added that fishing patrols need clear communication."
)
CHL_TEXT = (
    "Chile's defense minister spoke with his Norwegian counterpart by video call on Tuesday. "
    "The minister said Chile expects respect for its core interests and respect for its fishing zones. "
    "He said a fleet that ignores Chilean rules shows no respect. "
    "An Argentine observer said the call was useful. "
    "A ministry spokesperson said the two fleets should avoid miscalculation. "
    "In 2019 the two ministers met in Santiago. "
    "A Chilean official said the 2019 meeting ended without respect for the rules."
)


def _span(text: str, part: str) -> Span:
    start = text.index(part)
    return Span(start, start + len(part), part)


def _statement(text: str, sid: str, part: str, side: str | None, speaker: str | None, topics: list[str], *,
               event: str | None = None, engagement: str | None = None, addressee: str | None = None) -> Statement:
    return Statement(id=sid, kind="indirect", content=part, content_span=_span(text, part), rule="test",
                     speaker=speaker, speaker_name=speaker, side=side, cue="said", topics=topics,
                     event_type=event, engagement=engagement, addressee=addressee)


def _actors(text: str) -> list[Actor]:
    return [
        Actor("nor-minister", "Norwegian minister", "person", "NOR", "MIL", known=False, rule="test"),
        Actor("chl-minister", "Chilean minister", "person", "CHL", "MIL", known=False, rule="test"),
        Actor("arg-observer", "Argentine observer", "person", "ARG", "ACA", known=False, rule="test"),
        Actor("chl-official", "Chilean official", "person", "CHL", "GOV", known=False, rule="test"),
    ]


def _analyses() -> list[Analysis]:
    tuesday = DateValue("2024-03-05", "day", "on Tuesday", None, "test")
    nor = Document(id="doc-nor", text=NOR_TEXT, title="Norwegian readout", outlet="Ministry of Defence of Norway", published="2024-03-06")
    chl = Document(id="doc-chl", text=CHL_TEXT, title="Chilean readout", outlet="Ministry of National Defense of Chile", published="2024-03-06")
    call_nor = Engagement("eng-a", "video_call", ["nor-minister", "chl-minister"], ["CHL", "NOR"],
                          [_span(NOR_TEXT, "Defense ministers of Norway and Chile held a video call on Tuesday.")], "test", date=tuesday)
    call_chl = Engagement("eng-b", "video_call", ["chl-minister", "nor-minister"], ["CHL", "NOR"],
                          [_span(CHL_TEXT, "Chile's defense minister spoke with his Norwegian counterpart by video call")], "test", date=tuesday)
    met_2019 = Engagement("eng-c", "meeting", ["chl-minister", "nor-minister"], ["CHL", "NOR"],
                          [_span(CHL_TEXT, "In 2019 the two ministers met in Santiago.")], "test",
                          date=DateValue("2019", "year", "In 2019", None, "test"))
    a = Analysis(document=nor, actors=_actors(NOR_TEXT), engagements=[call_nor], statements=[
        _statement(NOR_TEXT, "s1", "both navies must avoid miscalculation and keep lines of communication open", "NOR",
                   "nor-minister", ["communication"], event="AGREE", engagement="eng-a"),
        _statement(NOR_TEXT, "s2", "fishing patrols need clear communication", "NOR", "nor-minister", ["communication"],
                   engagement="eng-a"),
    ], events=[
        Event("ev1", "COOPERATE", [_span(NOR_TEXT, "held a video call")], "test", source="NOR", target="CHL",
              date=DateValue("2024-03", "month", "in March", None, "test")),
    ])
    b = Analysis(document=chl, actors=_actors(CHL_TEXT), engagements=[call_chl, met_2019], statements=[
        _statement(CHL_TEXT, "t1", "Chile expects respect for its core interests and respect for its fishing zones", "CHL",
                   "chl-minister", ["respect"], event="REQUEST", engagement="eng-b"),
        _statement(CHL_TEXT, "t2", "a fleet that ignores Chilean rules shows no respect", "CHL", "chl-minister", ["respect"],
                   event="ACCUSE", engagement="eng-b"),
        # the same words again, attributed more narrowly: a duplicate of t1
        _statement(CHL_TEXT, "t5", "respect for its core interests", "CHL", "chl-minister", ["respect"],
                   event="REQUEST", engagement="eng-b"),
        # a third country's line, linked: listed, counted for neither side
        _statement(CHL_TEXT, "t6", "the call was useful", "ARG", "arg-observer", [], event="SUPPORT", engagement="eng-b"),
        # linked to nothing, after the report of this call: attached by reading order
        _statement(CHL_TEXT, "t3", "the two fleets should avoid miscalculation", "CHL", None, ["communication"]),
        # linked to nothing, after the report of the 2019 meeting: not this call's
        _statement(CHL_TEXT, "t4", "the 2019 meeting ended without respect for the rules", "CHL", "chl-official", ["respect"],
                   event="ACCUSE", addressee="nor-minister"),
    ], events=[
        Event("ev2", "ACCUSE", [_span(CHL_TEXT, "ignores Chilean rules")], "test", source="CHL", target="NOR",
              date=DateValue("2024-04-02", "day", "on 2 April", None, "test")),
    ])
    return [a, b]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    registry = get_registry()
    st = open_store(tmp_path / "t.db", create=True)
    with st.transaction() as conn:
        conn.execute("INSERT INTO analyzers (id, readout_version, model, registry) VALUES ('an-test', 'test', 'none', 'test')")
        for analysis in _analyses():
            save_analysis(conn, analysis, registry=registry, analyzer_id="an-test", source=analysis.document.id)
    return st


def _call_id(store: Store) -> str:
    return str(store.scalar("SELECT id FROM engagements WHERE kind = 'video_call'"))


def _term(c: Any, term: str) -> dict[str, Any]:
    return next(t for t in c.terms if t["term"] == term)


# ------------------------------------------------------------------ terms
def test_normalize_word_reduces_plurals_conservatively() -> None:
    assert [normalize_word(w) for w in ["Interests", "China's", "activities", "miscalculations", "approaches"]] == [
        "interest", "china", "activity", "miscalculation", "approach"]
    # not plurals: left alone
    assert [normalize_word(w) for w in ["process", "status", "basis", "ties", "US"]] == ["process", "status", "basis", "ties", "us"]


def test_count_terms_counts_registry_phrases_and_drops_words_only_inside_them() -> None:
    phrases = topic_phrases(get_registry())
    tc = count_terms(["Keep the South China Sea calm; mutual respect and respect for core interests."], phrases)
    assert tc.counts["south china sea"] == 1
    assert "south" not in tc.counts and "sea" not in tc.counts  # only ever inside the phrase
    assert tc.counts["respect"] == 2  # once inside "mutual respect", once outside it
    assert tc.counts["mutual respect"] == 1
    assert tc.counts["core interest"] == 1
    assert tc.label("core interest") == "core interests"
    assert "the" not in tc.counts and "and" not in tc.counts  # stop words
    assert tc.words == 13


def test_compare_attaches_loose_statements_by_reading_order_only(store: Store) -> None:
    c = compare(store, _call_id(store))
    by_id = {s["id"].split("/")[1]: s for s in c.statements}
    assert set(by_id) == {"s1", "s2", "t1", "t2", "t3", "t5", "t6"}  # t4 follows the 2019 meeting's report
    assert by_id["t3"]["linked"] is False and by_id["t3"]["attached"] == "reading_order"
    assert by_id["t1"]["linked"] is True
    assert by_id["t5"]["duplicate_of"] == "doc-chl/t1"
    assert by_id["t1"]["duplicate_of"] is None
    assert c.sides == ("CHL", "NOR")
    groups = c.statements_by()
    assert set(groups) == {"CHL", "NOR", "ARG"}
    assert [s["id"] for s in groups["NOR"]["doc-nor"]] == ["doc-nor/s1", "doc-nor/s2"]


def test_compare_topic_matrix_and_points_by_topic(store: Store) -> None:
    c = compare(store, _call_id(store))
    matrix = {t["topic"]: (t["counts"]["CHL"], t["counts"]["NOR"], t["made_by"]) for t in c.topics}
    # CHL: t1, t2 respect (t5 repeats t1), t3 communication; NOR: s1, s2 communication
    assert matrix == {"respect": (2, 0, "CHL"), "communication": (1, 2, "both")}
    points = c.points()
    assert points["both"]["topics"] == ["communication"]
    assert points["only"]["CHL"]["topics"] == ["respect"]
    assert points["only"]["NOR"]["topics"] == []
    comm = next(t for t in c.topics if t["topic"] == "communication")
    assert comm["terms"]["NOR"] == ["lines of communication", "miscalculation"]
    assert comm["terms"]["CHL"] == ["miscalculation"]


def test_compare_counts_terms_per_side_and_finds_emphasis(store: Store) -> None:
    c = compare(store, _call_id(store))
    # NOR: s1 has 11 words, s2 5; CHL: t1 13, t2 9, t3 6 (t5 lies inside t1, read once)
    assert c.words == {"CHL": 28, "NOR": 16}
    respect = _term(c, "respect")
    assert respect["counts"] == {"CHL": 3, "NOR": 0}  # twice in t1, once in t2; not t4's
    assert respect["rates"]["CHL"] == round(1000 * 3 / 28, 1)
    assert respect["emphasis"] == "CHL"
    communication = _term(c, "communication")
    assert communication["counts"] == {"CHL": 0, "NOR": 2}
    assert communication["emphasis"] == "NOR"
    fleet = _term(c, "fleet")  # "fleet" and "fleets": twice, but outside the topic vocabulary it needs three
    assert fleet["counts"] == {"CHL": 2, "NOR": 0}
    assert fleet["emphasis"] is None and fleet["key"] is False
    assert _term(c, "miscalculation")["counts"] == {"CHL": 1, "NOR": 1}
    assert not any(t["term"] in ("chile", "chilean", "norwegian") for t in c.terms)  # the sides' own names
    assert [t["term"] for t in c.emphasis("CHL")] == ["respect"]
    assert [t["term"] for t in c.emphasis("NOR")] == ["communication"]
    points = c.points()
    assert "miscalculation" in points["both"]["terms"]
    assert "fishing" not in points["both"]["terms"]  # used by both, but no key term
    assert {"respect", "core interest"} <= set(points["only"]["CHL"]["terms"])
    assert {"communication", "line of communication"} <= set(points["only"]["NOR"]["terms"])


def test_compare_tone_is_mean_plover_score_per_side(store: Store) -> None:
    c = compare(store, _call_id(store))
    # CHL: REQUEST 0.0 (t1), ACCUSE -3.0 (t2); t5 repeats t1, t4 is not this call's; NOR: AGREE 2.5
    assert c.tone["CHL"] == {"mean": -1.5, "n": 2, "sum": -3.0, "event_types": {"ACCUSE": 1, "REQUEST": 1}}
    assert c.tone["NOR"]["mean"] == 2.5 and c.tone["NOR"]["n"] == 1


def test_compare_accepts_a_unique_prefix_and_rejects_unknown_ids(store: Store) -> None:
    eid = _call_id(store)
    assert compare(store, eid[:9]).engagement["id"] == eid
    assert compare(store, eid.removeprefix("eng-")[:6]).engagement["id"] == eid
    with pytest.raises(OptionError, match=r"no such engagement.*'readout engagements'"):
        compare(store, "eng-doesnotexist")
    with pytest.raises(OptionError, match="matches several"):
        compare(store, "eng-")


def test_comparison_to_rows_and_to_dict_shapes(store: Store) -> None:
    c = compare(store, _call_id(store))
    rows = c.to_rows()
    sections = [r["section"] for r in rows]
    assert sections[0] == "engagement"
    assert sections.count("statement") == 7 and sections.count("topic") == 2 and sections.count("tone") == 2
    topic = next(r for r in rows if r["section"] == "topic" and r["topic"] == "respect")
    assert (topic["side_a"], topic["count_a"], topic["side_b"], topic["count_b"]) == ("CHL", 2, "NOR", 0)
    d = c.to_dict()
    assert d["schema"] == "readout.comparison/1"
    assert d["emphasis"] == {"CHL": ["respect"], "NOR": ["communication"]}
    assert set(d) >= {"engagement", "sides", "documents", "statements", "topics", "points", "terms", "tone"}


def test_compare_view_renders_sections(store: Store) -> None:
    text = to_text(compare_view(compare(store, _call_id(store))), width=140)
    for part in ("Tone", "Topics", "Emphasis", "Points", "Statements", "respect ×3", "communication ×2", "-1.50"):
        assert part in text


# ------------------------------------------------------------------ dyads
def test_dyads_counts_records_of_each_dyad(store: Store) -> None:
    rows = dyads(store)
    assert [r["dyad"] for r in rows] == ["CHL-NOR"]
    r = rows[0]
    # statements: s1, s2, t1, t2, t5 through the call; t4 through its addressee; not t3 (no
    # engagement, no addressee) nor t6 (a third country's)
    assert (r["documents"], r["engagements"], r["statements"], r["events"], r["channel_assertions"]) == (2, 2, 6, 2, 0)
    # scores: COOPERATE 9.5, ACCUSE -3; statements AGREE 2.5, REQUEST 0, ACCUSE -3, REQUEST 0, ACCUSE -3
    assert (r["n"], r["sum"], r["cooperation"], r["conflict"]) == (7, 3.0, 2, 3)
    assert r["mean"] == round(3.0 / 7, 2)
    assert dyads(store, since="2025") == []
    only_2019 = dyads(store, until="2019-12-31")[0]
    assert (only_2019["engagements"], only_2019["n"]) == (1, 0)


def test_dyad_index_by_month_worked_by_hand(store: Store) -> None:
    rows = dyad_index(store, "nor-chl", since="2024")
    assert [r["period"] for r in rows] == ["2024-03", "2024-04"]
    march, april = rows
    # March: COOPERATE 9.5 (dated "in March"); statements 2.5, 0, -3, 0 (the call) and -3 (t4, published 6 March)
    assert (march["n"], march["sum"], march["mean"]) == (6, 6.0, 1.0)
    assert (march["events_n"], march["events_mean"], march["statements_n"], march["statements_mean"]) == (1, 9.5, 5, -0.7)
    assert (april["n"], april["sum"], april["mean"]) == (1, -3.0, -3.0)
    every = dyad_index(store, "CHL-NOR", by="year", fill=True)
    assert [r["period"] for r in every][:2] == ["2019", "2020"] and len(every) == 6
    assert every[1]["n"] == 0 and every[1]["mean"] is None


def test_dyad_index_errors_say_what_to_do(store: Store) -> None:
    with pytest.raises(OptionError, match="readout dyads"):
        dyad_index(store, "CHN-USA")
    with pytest.raises(OptionError, match="alpha-3"):
        dyad_index(store, "Norway")
    with pytest.raises(OptionError, match="--by"):
        dyad_index(store, "CHL-NOR", by="week")
    with pytest.raises(OptionError, match="--since"):
        dyads(store, since="last year")


def test_dyad_views_render(store: Store) -> None:
    assert "CHL-NOR" in to_text(dyads_view(dyads(store)), width=140)
    text = to_text(dyad_index_view(dyad_index(store, "CHL-NOR")), width=140)
    assert "2024-03" in text and "+1.00" in text


# ------------------------------------------------------------------ the acceptance check
@pytest.mark.model
@pytest.mark.shared
def test_compare_liu_brown_call_shows_what_each_side_stressed(shared_dir: Path, tmp_path: Path) -> None:
    from readout.store import ingest

    db = tmp_path / "c.db"
    corpus = Path(__file__).resolve().parents[1] / "src" / "readout" / "corpus"
    ingest([str(corpus)], db=db)
    ingest([str(shared_dir / "reference" / "liu-brown-video-call-2023-12.txt")], db=db, published="2023-12-22", outlet="Global Times")
    with open_store(db) as st:
        eid = st.scalar("SELECT id FROM engagements WHERE dyad = 'CHN-USA' AND kind = 'video_call' AND date = '2023-12-21'")
        assert eid
        c = compare(st, eid)
        text = to_text(compare_view(c), width=160)
    topics = {t["topic"]: t for t in c.topics}
    # the Chinese side: respect, counted and repeated; Taiwan; the South China Sea
    respect = _term(c, "respect")
    assert respect["counts"]["CHN"] >= 3 and respect["emphasis"] == "CHN"
    assert topics["taiwan"]["made_by"] == "CHN"
    assert topics["south_china_sea"]["made_by"] == "CHN"
    # the US side: managing competition, avoiding miscalculation, open lines of communication
    assert topics["competition"]["counts"]["USA"] >= 1
    assert _term(c, "manage competition")["counts"]["USA"] >= 1
    assert _term(c, "miscalculation")["counts"]["USA"] >= 1
    assert _term(c, "line of communication")["counts"]["USA"] >= 1
    assert "competition" in [t["term"] for t in c.emphasis("USA")]
    assert "respect" not in [t["term"] for t in c.emphasis("USA")]
    for shown in ("respect ×", "south china sea", "lines of communication", "manage competition"):
        assert shown in text
