"""The sample corpus against its hand-made expected records, with the real pinned model.

The floors below are the scores measured when they were set (README, "Accuracy"), rounded
down: a change that loses accuracy on the corpus fails here. Raise them when the extractors
improve; never lower them to make a change pass.
"""

from __future__ import annotations

from typing import Any

import pytest

from readout.evaluate.corpus import Tally, load_gold, score

pytestmark = pytest.mark.model

FLOORS = {  # F1 at least
    "engagements": 0.40,
    "channel_status": 0.45,
    "statements": 0.65,
    "events": 0.28,
}


@pytest.fixture(scope="module")
def analyses() -> dict[str, dict[str, Any]]:
    from pathlib import Path

    from readout.demo import load_corpus
    from readout.pipeline import analyze_documents

    docs = load_corpus()
    return {Path(d.metadata["path"]).name: a.to_dict() for d, a in zip(docs, analyze_documents(docs), strict=True)}


@pytest.fixture(scope="module")
def tallies(analyses: dict[str, dict[str, Any]]) -> dict[str, Tally]:
    from readout.demo import corpus_dir

    return score(load_gold(corpus_dir() / "expected.yaml"), analyses)


def test_corpus_every_expected_document_is_in_the_index(analyses: dict[str, dict[str, Any]]) -> None:
    from readout.demo import corpus_dir

    gold = load_gold(corpus_dir() / "expected.yaml")
    assert {g["file"] for g in gold} == set(analyses)
    assert len(analyses) >= 12


@pytest.mark.parametrize("kind", sorted(FLOORS))
def test_corpus_f1_does_not_fall_below_its_floor(tallies: dict[str, Tally], kind: str) -> None:
    t = tallies[kind]
    assert t.f1 >= FLOORS[kind], f"{kind}: F1 {t.f1:.3f} < {FLOORS[kind]} ({t.to_dict()})"


def test_corpus_sides_of_matched_statements_and_statuses(tallies: dict[str, Tally]) -> None:
    right, total = tallies["channel_status"].extra["side"]
    assert right / total >= 0.9
    right, total = tallies["statements"].extra["side"]
    assert right / total >= 0.8


def test_corpus_two_readouts_of_one_call_give_the_same_engagement(analyses: dict[str, dict[str, Any]]) -> None:
    """The US and Chinese readouts of the 16 April 2024 video call both yield it, with the same
    participants and date: what the tracker will merge."""
    def calls(name: str) -> list[tuple[str, frozenset[str]]]:
        return [
            (e["date"], frozenset(e["participants"]))
            for e in analyses[name]["engagements"]
            if e["kind"] == "video_call"
        ]

    us = calls("14-austin-dong-dod-readout-2024-04.txt")
    cn = calls("15-dong-austin-chinese-readout-2024-04.txt")
    assert ("2024-04-16", frozenset({"lloyd-austin", "dong-jun"})) in us
    assert ("2024-04-16", frozenset({"lloyd-austin", "dong-jun"})) in cn


def test_corpus_offsets_point_into_each_document(analyses: dict[str, dict[str, Any]]) -> None:
    from readout.demo import load_corpus

    texts = {d.metadata["path"].rsplit("/", 1)[-1]: d.text for d in load_corpus()}
    for name, a in analyses.items():
        text = texts[name]
        for rec in a["engagements"] + a["channel_status"] + a["events"]:
            for ev in rec["evidence"]:
                assert text[ev["start"]:ev["end"]] == ev["text"], (name, rec["id"])
        for s in a["statements"]:
            # content is the span's text, or its pieces around an interjected "he said" joined
            span = text[s["content_span"]["start"]:s["content_span"]["end"]]
            head, tail = s["content"][:15], s["content"][-15:]
            assert span.startswith(head) and span.endswith(tail), (name, s["id"])
