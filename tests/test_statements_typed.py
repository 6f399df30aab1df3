"""Statements are typed by the event coder (``events.code_statement``), the one that types
events, so a statement's PLOVER type (and so the tone of ``readout compare`` and the dyad
index) agrees with the event coded from the same words. Parses written out by hand (made once
by the pinned model) on sentences written for these tests; the registry is the package's."""

from __future__ import annotations

import pytest
from test_statements import Row, make_doc

from readout.extract.base import ActorIndex
from readout.extract.events import code_sentence
from readout.extract.statements import extract_statements
from readout.registry import Registry, get_registry

PROMISE = "Norway said it will provide aid to Chile."
PROMISE_ROWS: list[Row] = [
    ('Norway', 1, 'nsubj', 'PROPN', 'NNP', 'Norway', 'B-GPE'),
    ('said', 1, 'ROOT', 'VERB', 'VBD', 'say', 'O'),
    ('it', 4, 'nsubj', 'PRON', 'PRP', 'it', 'O'),
    ('will', 4, 'aux', 'AUX', 'MD', 'will', 'O'),
    ('provide', 1, 'ccomp', 'VERB', 'VB', 'provide', 'O'),
    ('aid', 4, 'dobj', 'NOUN', 'NN', 'aid', 'O'),
    ('to', 4, 'prep', 'ADP', 'IN', 'to', 'O'),
    ('Chile', 6, 'pobj', 'PROPN', 'NNP', 'Chile', 'B-GPE'),
    ('.', 1, 'punct', 'PUNCT', '.', '.', 'O'),
]
REFUSAL = "Norway said it will not accept the plan."
REFUSAL_ROWS: list[Row] = [
    ('Norway', 1, 'nsubj', 'PROPN', 'NNP', 'Norway', 'B-GPE'),
    ('said', 1, 'ROOT', 'VERB', 'VBD', 'say', 'O'),
    ('it', 5, 'nsubj', 'PRON', 'PRP', 'it', 'O'),
    ('will', 5, 'aux', 'AUX', 'MD', 'will', 'O'),
    ('not', 5, 'neg', 'PART', 'RB', 'not', 'O'),
    ('accept', 1, 'ccomp', 'VERB', 'VB', 'accept', 'O'),
    ('the', 7, 'det', 'DET', 'DT', 'the', 'O'),
    ('plan', 5, 'dobj', 'NOUN', 'NN', 'plan', 'O'),
    ('.', 1, 'punct', 'PUNCT', '.', '.', 'O'),
]
REPORT = "Norway said Chile conducted drills."
REPORT_ROWS: list[Row] = [
    ('Norway', 1, 'nsubj', 'PROPN', 'NNP', 'Norway', 'B-GPE'),
    ('said', 1, 'ROOT', 'VERB', 'VBD', 'say', 'O'),
    ('Chile', 3, 'nsubj', 'PROPN', 'NNP', 'Chile', 'B-GPE'),
    ('conducted', 1, 'ccomp', 'VERB', 'VBD', 'conduct', 'O'),
    ('drills', 3, 'dobj', 'NOUN', 'NNS', 'drill', 'O'),
    ('.', 1, 'punct', 'PUNCT', '.', '.', 'O'),
]
ACCUSED = "Norway accused Chile of arming Peru."
ACCUSED_ROWS: list[Row] = [
    ('Norway', 1, 'nsubj', 'PROPN', 'NNP', 'Norway', 'B-GPE'),
    ('accused', 1, 'ROOT', 'VERB', 'VBD', 'accuse', 'O'),
    ('Chile', 1, 'dobj', 'PROPN', 'NNP', 'Chile', 'B-GPE'),
    ('of', 1, 'prep', 'ADP', 'IN', 'of', 'O'),
    ('arming', 3, 'pcomp', 'VERB', 'VBG', 'arm', 'O'),
    ('Peru', 4, 'dobj', 'PROPN', 'NNP', 'Peru', 'B-GPE'),
    ('.', 1, 'punct', 'PUNCT', '.', '.', 'O'),
]


@pytest.fixture(scope="module")
def registry() -> Registry:
    return get_registry()


def typed(text: str, rows: list[Row], registry: Registry) -> tuple[tuple[str | None, str | None], set[str]]:
    doc = make_doc(text, rows)
    [s] = extract_statements(doc, registry, ActorIndex(), [])
    events = {e.type for sent in doc.sents for e in code_sentence(sent, registry, ActorIndex())}
    return (s.event_type, s.event_mode), events


def test_statements_a_promise_in_what_was_said_is_agree_as_the_coder_codes_it(registry: Registry) -> None:
    (etype, _), events = typed(PROMISE, PROMISE_ROWS, registry)
    assert etype == "AGREE" and events == {"AGREE"}  # "said" has no type; "will provide aid" is a promise


def test_statements_a_refusal_in_what_was_said_is_reject(registry: Registry) -> None:
    assert typed(REFUSAL, REFUSAL_ROWS, registry) == (("REJECT", None), {"REJECT"})


def test_statements_a_reported_military_act_is_no_speech_act(registry: Registry) -> None:
    (etype, _), events = typed(REPORT, REPORT_ROWS, registry)
    assert etype is None and events == {"MOBILIZE"}  # the drills are an event; saying so is not


def test_statements_cue_event_and_event_agree(registry: Registry) -> None:
    assert typed(ACCUSED, ACCUSED_ROWS, registry) == (("ACCUSE", "allege"), {"ACCUSE"})
