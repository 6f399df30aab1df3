"""The corpus scorer on tiny hand-made gold/prediction pairs, scores worked out by hand."""

from __future__ import annotations

from typing import Any

import pytest

from readout.evaluate.corpus import score

ACTORS = [
    {"id": "lloyd-austin", "name": "Lloyd Austin", "country": "USA", "mentions": []},
    {"id": "dong-jun", "name": "Dong Jun", "country": "CHN", "mentions": []},
    {"id": "CHN", "name": "China", "country": "CHN", "mentions": []},
]


def analysis(**records: list[dict[str, Any]]) -> dict[str, Any]:
    base: dict[str, Any] = {"actors": ACTORS, "engagements": [], "channel_status": [], "statements": [], "events": []}
    base.update(records)
    return base


def test_engagement_matches_on_kind_dyad_and_compatible_date() -> None:
    gold = [{"file": "a", "engagements": [
        {"kind": "video_call", "date": "2024-04-16", "dyad": ["USA", "CHN"], "participants": ["Lloyd Austin", "Dong Jun"], "initiator": "USA", "channel": "chn-usa-defense-ministers"},
        {"kind": "summit", "date": "2023-11", "dyad": ["CHN", "USA"], "participants": []},
    ]}]
    pred = analysis(engagements=[
        # matches the first: date agrees, Austin named, Dong missing -> participants 1/2
        {"id": "e1", "kind": "video_call", "date": "2024-04-16", "dyad": ["CHN", "USA"], "participants": ["lloyd-austin"], "initiator": "lloyd-austin", "channel": None},
        # a call on another day: a false alarm
        {"id": "e2", "kind": "call", "date": "2024-05-01", "dyad": ["CHN", "USA"], "participants": [], "initiator": None, "channel": None},
    ])
    t = score(gold, {"a": pred})["engagements"]
    # gold 2, predicted 2, matched 1: P = 1/2, R = 1/2, F1 = 1/2
    assert (t.gold, t.predicted, t.matched) == (2, 2, 1)
    assert t.precision == pytest.approx(0.5) and t.recall == pytest.approx(0.5) and t.f1 == pytest.approx(0.5)
    # fields on the paired record: Dong missing -> the participant sets differ
    assert t.paired == 1
    assert t.extra["participants"] == [0, 1]
    assert t.extra["dyad"] == [1, 1] and t.extra["date"] == [1, 1] and t.extra["status"] == [1, 1]
    assert t.extra["initiator"] == [1, 1]  # lloyd-austin is a USA actor
    assert t.extra["channel"] == [0, 1]
    assert len(t.misses) == 1 and t.misses[0][1]["kind"] == "summit"
    assert [p["id"] for _, p in t.false_alarms] == ["e2"]


def test_engagement_match_needs_status_date_at_gold_precision_and_a_shared_participant() -> None:
    gold = [{"file": "a", "engagements": [
        {"kind": "meeting", "status": "declined", "date": "2023-06", "dyad": ["CHN", "USA"], "participants": ["Lloyd Austin"]},
        {"kind": "video_call", "date": "2024-04-16", "dyad": ["CHN", "USA"], "participants": ["Lloyd Austin", "Dong Jun"]},
        {"kind": "call", "date": None, "dyad": ["CHN", "USA"], "participants": ["Dong Jun"]},
    ]}]
    pred = analysis(engagements=[
        # held, but the gold says declined: paired (status wrong), not matched
        {"id": "e1", "kind": "meeting", "status": "held", "date": "2023-06-02", "dyad": ["CHN", "USA"], "participants": ["lloyd-austin"]},
        # month only where the gold gives the day: paired (date wrong), not matched
        {"id": "e2", "kind": "video_call", "date": "2024-04", "dyad": ["CHN", "USA"], "participants": ["lloyd-austin", "dong-jun"]},
        # a call with nobody the gold names, on the right dyad: neither matched nor paired
        {"id": "e3", "kind": "call", "date": "2024-05-01", "dyad": ["CHN", "USA"], "participants": ["CHN"]},
    ])
    t = score(gold, {"a": pred})["engagements"]
    assert (t.gold, t.predicted, t.matched) == (3, 3, 0)
    assert t.paired == 2
    assert t.extra["status"] == [1, 2] and t.extra["date"] == [1, 2]
    assert t.extra["participants"] == [2, 2] and t.extra["dyad"] == [2, 2]


def test_engagement_fields_show_a_wrong_dyad_and_people_never_named() -> None:
    gold = [{"file": "a", "engagements": [
        {"kind": "summit", "date": "2023-11", "dyad": ["CHN", "USA"], "participants": []},
    ]}]
    pred = analysis(engagements=[
        {"id": "e1", "kind": "summit", "date": "2023-11-15", "dyad": ["CHN", "USA"], "participants": ["lloyd-austin", "dong-jun"]},
    ])
    actors = [*ACTORS[:2], {"id": "CHN", "name": "China", "kind": "state", "country": "CHN", "mentions": []}]
    for a in actors[:2]:
        a = {**a, "kind": "person"}
    pred["actors"] = [{**a, "kind": "person"} for a in ACTORS[:2]] + actors[2:]
    t = score(gold, {"a": pred})["engagements"]
    # the gold names nobody, so the match stands on kind, dyad and date; the people filled in are wrong
    assert t.matched == 1 and t.extra["participants"] == [0, 1]
    pred["engagements"][0]["dyad"] = ["CHN", "TWN"]
    t = score(gold, {"a": pred})["engagements"]
    assert t.matched == 0 and t.paired == 0  # no people to pair on, and another dyad: unrelated records


def test_channel_status_date_mismatch_is_not_a_match_but_a_missing_date_is() -> None:
    gold = [{"file": "a", "channel_status": [
        {"channel": "chn-usa-mmca", "status": "suspended", "date": "2022-08", "side": "CHN"},
        {"channel": "chn-usa-dpct", "status": "suspended", "date": "2022-08-05", "side": "CHN"},
    ]}]
    pred = analysis(channel_status=[
        {"id": "s1", "channel": "chn-usa-mmca", "status": "suspended", "date": "2021-08", "side": "CHN"},  # contradicts
        {"id": "s2", "channel": "chn-usa-dpct", "status": "suspended", "date": None, "side": "USA"},  # no date: matches
    ])
    t = score(gold, {"a": pred})["channel_status"]
    assert (t.gold, t.predicted, t.matched) == (2, 2, 1)
    assert t.extra["side"] == [0, 1]
    assert t.extra["date"] == [0, 1]


def test_statement_needs_every_contained_phrase_and_the_speaker() -> None:
    gold = [{"file": "a", "statements": [
        {"speaker": "Dong Jun", "side": "CHN", "kind": "indirect", "contains": ["Taiwan", "core interests"]},
        {"speaker": "CHN", "side": "CHN", "kind": "indirect", "contains": ["South China Sea"]},
    ]}]
    pred = analysis(statements=[
        {"id": "q1", "speaker": "dong-jun", "speaker_name": "Dong", "side": "CHN", "kind": "indirect",
         "content": "the Taiwan question is at the very core of China's core interests"},
        {"id": "q2", "speaker": None, "speaker_name": "the Chinese side", "side": "USA", "kind": "indirect",
         "content": "the South China Sea issue"},  # wrong side for a country-coded speaker
    ])
    t = score(gold, {"a": pred})["statements"]
    assert (t.gold, t.predicted, t.matched) == (2, 2, 1)
    assert t.extra["kind"] == [1, 1]


def test_event_matches_type_target_and_amount() -> None:
    gold = [{"file": "a", "events": [
        {"type": "AID", "source": "USA", "target": "TWN", "amount": {"value": 300000000, "currency": "USD"}, "date": "2023-12-15"},
    ]}]
    wrong_amount = analysis(events=[{"id": "v1", "type": "AID", "source": "USA", "target": "TWN", "amount": {"value": 3e6, "currency": "USD"}, "date": None}])
    right = analysis(events=[{"id": "v2", "type": "AID", "source": "lloyd-austin", "target": "TWN", "amount": {"value": 3e8, "currency": "USD"}, "date": "2023-12-15"}])
    assert score(gold, {"a": wrong_amount})["events"].matched == 0
    t = score(gold, {"a": right})["events"]
    assert t.matched == 1 and t.extra["source"] == [1, 1] and t.extra["date"] == [1, 1]


def test_corpus_errors_show_misses_and_false_alarms_with_their_text() -> None:
    from readout.evaluate.corpus import corpus_errors

    gold = [{"file": "a", "statements": [{"speaker": "Dong Jun", "kind": "indirect", "contains": ["Taiwan"]}]}]
    pred = analysis(statements=[
        {"id": "q1", "speaker": "lloyd-austin", "speaker_name": "Austin", "side": "USA", "kind": "direct",
         "content": "we   will keep talking", "evidence": []},
    ])
    errors = corpus_errors(score(gold, {"a": pred}), n=5)["statements"]
    assert errors["misses"] == [{"file": "a", "kind": "indirect", "speaker": "Dong Jun", "contains": ["Taiwan"]}]
    assert errors["false_alarms"] == [
        {"file": "a", "kind": "direct", "speaker": "lloyd-austin", "speaker_name": "Austin", "side": "USA", "text": "we will keep talking"}
    ]


def test_load_gold_says_what_is_wrong(tmp_path: Any) -> None:
    from readout.errors import FileMissingError, MalformedRecordError
    from readout.evaluate.corpus import load_gold

    with pytest.raises(FileMissingError, match="beside an index.yaml"):
        load_gold(tmp_path / "expected.yaml")
    bad = tmp_path / "expected.yaml"
    bad.write_text("documents:\n  - file: a.txt\n    statements: [\n", encoding="utf-8")
    with pytest.raises(MalformedRecordError, match="invalid YAML"):
        load_gold(bad)
    bad.write_text("- file: a.txt\n", encoding="utf-8")
    with pytest.raises(MalformedRecordError, match="'documents' list"):
        load_gold(bad)


def test_evaluate_corpus_needs_each_gold_file_in_the_index(tmp_path: Any) -> None:
    from readout.errors import MalformedRecordError
    from readout.evaluate.corpus import evaluate_corpus

    (tmp_path / "index.yaml").write_text("documents:\n  - {file: one.txt, published: '2024-01-02'}\n", encoding="utf-8")
    (tmp_path / "one.txt").write_text("Officials met.", encoding="utf-8")
    gold = tmp_path / "expected.yaml"
    gold.write_text("documents:\n  - {file: two.txt, statements: []}\n", encoding="utf-8")
    with pytest.raises(MalformedRecordError, match=r"not listed in .*index.yaml \(two.txt\)"):
        evaluate_corpus(gold)


@pytest.mark.model
def test_evaluate_corpus_on_a_user_folder(tmp_path: Any) -> None:
    from readout.evaluate.corpus import evaluate_corpus, format_report

    (tmp_path / "index.yaml").write_text(
        "documents:\n  - {file: call.txt, published: '2024-03-08', outlet: Test Wire, title: A call}\n", encoding="utf-8"
    )
    (tmp_path / "call.txt").write_text(
        "Norway's defense minister said on Thursday that both navies would share weather data with Chile.\n", encoding="utf-8"
    )
    gold = tmp_path / "expected.yaml"
    gold.write_text(
        "documents:\n  - file: ./call.txt\n    statements:\n"
        "      - {speaker: NOR, side: NOR, kind: indirect, contains: [weather data]}\n"
        "      - {speaker: Chile, kind: direct, contains: [never said]}\n",
        encoding="utf-8",
    )
    result = evaluate_corpus(gold, errors=5)
    # one of the two gold statements can be found: recall 1/2 at most, the other is a miss
    s = result["records"]["statements"]
    assert result["documents"] == 1 and s["gold"] == 2 and s["matched"] <= 1
    assert any(m["contains"] == ["never said"] for m in result["errors"]["statements"]["misses"])
    assert "statements" in format_report(result)


def test_format_report_shows_counts_of_the_fields_of_matched_records() -> None:
    from readout.evaluate.corpus import format_report

    gold = [{"file": "a", "channel_status": [
        {"channel": "chn-usa-mmca", "status": "held", "date": "2024-04", "side": "CHN"},
        {"channel": "chn-usa-dpct", "status": "held", "side": "USA"},
    ]}]
    pred = analysis(channel_status=[
        {"id": "s1", "channel": "chn-usa-mmca", "status": "held", "date": "2024-04-03", "side": "USA"},
    ])
    tallies = score(gold, {"a": pred})
    result = {"gold_file": "g.yaml", "documents": 1, "records": {k: t.to_dict() for k, t in tallies.items()}}
    [row] = [line for line in format_report(result).splitlines() if line.startswith("channel_status")]
    # gold 2, predicted 1, matched 1: P 1.000, R 0.500, F1 0.667; side wrong (0/1), date right (1/1)
    assert row.split() == ["channel_status", "2", "1", "1", "1.000", "0.500", "0.667", "side", "0/1,", "date", "1/1"]


def test_event_types_pair_on_type_and_prefer_agreeing_parties() -> None:
    from readout.evaluate.corpus import Tally, score_document

    gold = {"events": [
        {"type": "SANCTION", "source": "CHN", "target": "USA"},
        {"type": "SANCTION", "source": "USA", "target": "CHN"},
        {"type": "AID", "source": "USA", "target": "TWN"},
    ]}
    pred = {"actors": [], "events": [
        {"id": "p1", "type": "SANCTION", "source": "USA", "target": "CHN"},
        {"id": "p2", "type": "SANCTION", "source": "CHN", "target": "USA"},
        {"id": "p3", "type": "AGREE", "source": "USA", "target": "TWN", "modality": None},
        {"id": "p4", "type": "AID", "source": "USA", "target": "TWN", "modality": "future"},  # not happened: not scored
    ]}
    tallies: dict[str, Tally] = {}
    score_document(gold, pred, tallies)
    t = tallies["event_types"]
    # both sanctions pair with the one that agrees on source and target, whatever the order
    assert (t.gold, t.predicted, t.matched) == (3, 3, 2)
    assert t.to_dict()["source_right"] == 2 and t.to_dict()["target_right"] == 2
    # the type-and-target measure finds the same two; the future AID counts for neither
    assert tallies["events"].matched == 2 and tallies["events"].predicted == 3
