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
    assert t.extra["participant"] == [1, 2]
    assert t.extra["initiator"] == [1, 1]  # lloyd-austin is a USA actor
    assert t.extra["channel"] == [0, 1]
    assert len(t.misses) == 1 and t.misses[0][1]["kind"] == "summit"
    assert [p["id"] for _, p in t.false_alarms] == ["e2"]


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
