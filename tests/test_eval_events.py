"""The PLOVER event scorer (readout.evaluate.events), on tiny gold/prediction pairs whose
scores are worked out by hand in the comments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readout.evaluate.events import (
    PRF,
    confusion_table,
    format_table,
    gold_tuples,
    load_gold,
    normalize_mode,
    score_events,
)

GOLD = [
    {("NOR", "CHL", "ACCUSE", "allege")},  # sentence 1
    {("PER", None, "AGREE", None)},  # sentence 2
    {("CHL", "PER", "REJECT", "meet"), ("CHL", "NOR", "REJECT", "meet")},  # sentence 3: two recipients
]
PRED = [
    {("NOR", "CHL", "ACCUSE", "disapprove")},  # right at type level, wrong mode
    {("PER", "CHL", "AGREE", None)},  # a recipient the gold does not have
    {("CHL", "PER", "REJECT", "meet"), ("CHL", None, "THREATEN", None)},  # one of two, plus a wrong one
]


def test_type_level_counts() -> None:
    s = score_events(GOLD, PRED)
    # type level: s1 tp; s2 fp+fn; s3 tp (CHL,PER), fn (CHL,NOR), fp (CHL,None,THREATEN)
    assert (s.type_level.tp, s.type_level.fp, s.type_level.fn) == (2, 2, 2)
    assert s.type_level.precision == pytest.approx(0.5)
    assert s.type_level.recall == pytest.approx(0.5)
    assert s.type_level.f1 == pytest.approx(0.5)


def test_mode_level_counts() -> None:
    s = score_events(GOLD, PRED)
    # type+mode: s1 now fp+fn; s2 fp+fn; s3 tp 1, fn 1, fp 1
    assert (s.mode_level.tp, s.mode_level.fp, s.mode_level.fn) == (1, 3, 3)
    assert s.mode_level.f1 == pytest.approx(0.25)


def test_open_modes_accept_any_mode_where_gold_has_none() -> None:
    gold = [{("NOR", None, "REJECT", None)}, {("NOR", None, "PROTEST", "demo")}]
    pred = [{("NOR", None, "REJECT", "meet")}, {("NOR", None, "PROTEST", "riot")}]
    s = score_events(gold, pred)
    # strict: both wrong; open: the first is right (gold has no mode), the second still wrong
    assert (s.mode_level.tp, s.mode_open.tp, s.mode_open.fp, s.mode_open.fn) == (0, 1, 1, 1)


def test_type_only_and_actor_type() -> None:
    s = score_events(GOLD, PRED)
    # types per sentence: {ACCUSE}/{ACCUSE}, {AGREE}/{AGREE}, {REJECT}/{REJECT, THREATEN}
    assert (s.type_only.tp, s.type_only.fp, s.type_only.fn) == (3, 1, 0)
    assert s.type_only.precision == pytest.approx(0.75)
    assert s.type_only.recall == pytest.approx(1.0)
    # (actor, type): s1 1/1, s2 1/1, s3 gold {(CHL,REJECT)} pred {(CHL,REJECT),(CHL,THREATEN)}
    assert (s.actor_type.tp, s.actor_type.fp, s.actor_type.fn) == (3, 1, 0)


def test_confusion_pairs_unmatched_types() -> None:
    gold = [{("A", None, "ACCUSE", None)}, {("A", None, "PROTEST", None)}, {("A", None, "ASSAULT", None)}]
    pred = [{("A", None, "ACCUSE", None)}, {("A", None, "ACCUSE", None)}, set()]
    table = confusion_table(gold, pred)
    assert table["ACCUSE"]["ACCUSE"] == 1
    assert table["PROTEST"]["ACCUSE"] == 1
    assert table["ASSAULT"]["-"] == 1


def test_empty_prediction_scores_zero_without_dividing_by_zero() -> None:
    s = score_events([{("A", "B", "AID", None)}], [set()])
    assert s.type_level == PRF(0, 0, 1)
    assert (s.type_level.precision, s.type_level.recall, s.type_level.f1) == (0.0, 0.0, 0.0)


def test_lengths_must_match() -> None:
    with pytest.raises(ValueError, match="2 gold sentences but 1 predictions"):
        score_events([set(), set()], [set()])


def test_gold_records_normalize_codes_and_modes() -> None:
    rec = {
        "text": "x",
        "actor": [{"country": "JAP"}],
        "recipient": [{"country": "ITL"}, {"country": "VTN"}],
        "event_plover_v2": "CONSULT",
        "mode_gsr": "host",
    }
    assert gold_tuples(rec) == {("JPN", "ITA", "CONSULT", "visit"), ("JPN", "VNM", "CONSULT", "visit")}
    assert normalize_mode("PROTEST", "strike-hun") == "hunger"
    assert normalize_mode("ACCUSE", "") is None


def test_load_gold_groups_records_of_one_sentence(tmp_path: Path) -> None:
    lines = [
        {"id": "1", "text": "Same sentence.", "actor": [{"country": "NOR"}], "recipient": [], "event_plover_v2": "AGREE"},
        {"id": "2", "text": "Same sentence.", "actor": [{"country": "NOR"}], "recipient": [{"country": "CHL"}],
         "event_plover_v2": "ACCUSE", "mode_plover_v2_hint": "disapprove"},
        {"id": "3", "text": "Other sentence.", "actor": [], "recipient": [{"country": "PER"}], "event_plover_v2": "ASSAULT"},
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    gold = load_gold(path)
    assert [g.id for g in gold] == ["1", "3"]
    assert gold[0].events == {("NOR", None, "AGREE", None), ("NOR", "CHL", "ACCUSE", "disapprove")}
    assert gold[1].events == {(None, "PER", "ASSAULT", None)}


def test_format_table_names_every_level() -> None:
    text = format_table(score_events(GOLD, PRED))
    for label in ("type (actor, recipient, type)", "type+mode", "type only", "confusion of types"):
        assert label in text


@pytest.mark.model
def test_run_plover_on_a_tiny_gold_file(tmp_path: Path) -> None:
    from readout.evaluate.events import run_plover

    lines = [
        {"id": "a", "text": "Peru accused Norway of espionage.", "actor": [{"country": "PER"}],
         "recipient": [{"country": "NOR"}], "event_plover_v2": "ACCUSE"},
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    scores, _gold, pred = run_plover(path)
    assert ("PER", "NOR", "ACCUSE") in {t[:3] for t in pred[0]}
    assert scores.type_level.recall == 1.0


def test_event_errors_lists_misses_and_false_alarms_worst_sentence_first() -> None:
    from readout.evaluate.events import GoldSentence, event_errors

    gold = [GoldSentence(str(i), f"sentence {i}", frozenset(g)) for i, g in enumerate(GOLD)]
    errors = event_errors(gold, PRED, n=10)
    # type level: s1 right; s2 one miss and one false alarm (2 wrong); s3 one miss and one
    # false alarm (2 wrong): equal, so in gold order
    assert [(e["id"], e["tuple"]) for e in errors["misses"]] == [("1", "(PER, -, AGREE)"), ("2", "(CHL, NOR, REJECT)")]
    assert [(e["id"], e["tuple"]) for e in errors["false_alarms"]] == [("1", "(PER, CHL, AGREE)"), ("2", "(CHL, -, THREATEN)")]
    assert errors["misses"][0]["predicted"] == ["(PER, CHL, AGREE)"]
    assert len(event_errors(gold, PRED, n=1)["misses"]) == 1


def test_format_report_round_trips_the_json(tmp_path: Path) -> None:
    from readout.evaluate.events import format_report

    result = {"gold_file": "g", **score_events(GOLD, PRED).to_dict()}
    assert format_report(result) == format_table(score_events(GOLD, PRED))


def test_load_gold_names_the_bad_line(tmp_path: Path) -> None:
    from readout.errors import FileMissingError, MalformedRecordError

    path = tmp_path / "gold.jsonl"
    path.write_text('{"text": "A met B.", "event_plover_v2": "CONSULT"}\n{"text": "no type"}\n', encoding="utf-8")
    with pytest.raises(MalformedRecordError, match=r"gold.jsonl:2: not a PLOVER gold record"):
        load_gold(path)
    with pytest.raises(FileMissingError, match="PLOVER gold-records JSONL"):
        load_gold(tmp_path / "none.jsonl")
