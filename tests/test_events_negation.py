"""Negated and denied events (issue 12): PLOVER codes what was done or said. An event told as
not having happened ("did not agree to", "has not provided aid") is no event, neither its own
type nor REJECT; denying an act ("denied supplying arms", "denied that it sold arms") is no
refusal and not the act; a refusal ("will not provide aid", "refused to") is REJECT.

The parses were made once by the pinned model and are written out as data, so these rule tests
need no model; the registry is the small one of ``test_events`` (Norway, Chile, Peru)."""

from __future__ import annotations

import pytest
from test_events import Tok, make_doc, make_registry

from readout.extract.base import ActorIndex
from readout.extract.events import code_sentence, extract_events
from readout.registry import Registry


@pytest.fixture(scope="module")
def registry() -> Registry:
    return make_registry()


def coded(toks: list[Tok], registry: Registry) -> set[tuple[str, str | None, str | None]]:
    doc = make_doc(toks)
    return {(e.type, e.source, e.target) for s in doc.sents for e in code_sentence(s, registry, ActorIndex())}


def news(toks: list[Tok], registry: Registry) -> set[tuple[str, str | None, str | None]]:
    return {(e.type, e.source, e.target) for e in extract_events(make_doc(toks), registry, ActorIndex(), [])}


# Norway did not agree to sell arms to Chile.
NOT_AGREED: list[Tok] = [
    ('Norway', 'Norway', 'PROPN', 'nsubj', 3, 'GPE', True),
    ('did', 'do', 'AUX', 'aux', 3, 'O', True),
    ('not', 'not', 'PART', 'neg', 3, 'O', True),
    ('agree', 'agree', 'VERB', 'ROOT', 3, 'O', True),
    ('to', 'to', 'PART', 'aux', 5, 'O', True),
    ('sell', 'sell', 'VERB', 'xcomp', 3, 'O', True),
    ('arms', 'arm', 'NOUN', 'dobj', 5, 'O', True),
    ('to', 'to', 'ADP', 'dative', 5, 'O', True),
    ('Chile', 'Chile', 'PROPN', 'pobj', 7, 'GPE', False),
    ('.', '.', 'PUNCT', 'punct', 3, 'O', False),
]
# Norway denied supplying weapons to Chile.
DENIED_SUPPLYING: list[Tok] = [
    ('Norway', 'Norway', 'PROPN', 'nsubj', 1, 'GPE', True),
    ('denied', 'deny', 'VERB', 'ROOT', 1, 'O', True),
    ('supplying', 'supply', 'VERB', 'xcomp', 1, 'O', True),
    ('weapons', 'weapon', 'NOUN', 'dobj', 2, 'O', True),
    ('to', 'to', 'ADP', 'prep', 2, 'O', True),
    ('Chile', 'Chile', 'PROPN', 'pobj', 4, 'GPE', False),
    ('.', '.', 'PUNCT', 'punct', 1, 'O', False),
]
# Norway has not provided aid to Chile.
NOT_PROVIDED: list[Tok] = [
    ('Norway', 'Norway', 'PROPN', 'nsubj', 3, 'GPE', True),
    ('has', 'have', 'AUX', 'aux', 3, 'O', True),
    ('not', 'not', 'PART', 'neg', 3, 'O', True),
    ('provided', 'provide', 'VERB', 'ROOT', 3, 'O', True),
    ('aid', 'aid', 'NOUN', 'dobj', 3, 'O', True),
    ('to', 'to', 'ADP', 'prep', 3, 'O', True),
    ('Chile', 'Chile', 'PROPN', 'pobj', 5, 'GPE', False),
    ('.', '.', 'PUNCT', 'punct', 3, 'O', False),
]
# Norway will not provide aid to Chile.
WILL_NOT_PROVIDE: list[Tok] = [
    ('Norway', 'Norway', 'PROPN', 'nsubj', 3, 'GPE', True),
    ('will', 'will', 'AUX', 'aux', 3, 'O', True),
    ('not', 'not', 'PART', 'neg', 3, 'O', True),
    ('provide', 'provide', 'VERB', 'ROOT', 3, 'O', True),
    ('aid', 'aid', 'NOUN', 'dobj', 3, 'O', True),
    ('to', 'to', 'ADP', 'prep', 3, 'O', True),
    ('Chile', 'Chile', 'PROPN', 'pobj', 5, 'GPE', False),
    ('.', '.', 'PUNCT', 'punct', 3, 'O', False),
]
# Norway denied that it sold arms to Chile.
DENIED_THAT: list[Tok] = [
    ('Norway', 'Norway', 'PROPN', 'nsubj', 1, 'GPE', True),
    ('denied', 'deny', 'VERB', 'ROOT', 1, 'O', True),
    ('that', 'that', 'SCONJ', 'mark', 4, 'O', True),
    ('it', 'it', 'PRON', 'nsubj', 4, 'O', True),
    ('sold', 'sell', 'VERB', 'ccomp', 1, 'O', True),
    ('arms', 'arm', 'NOUN', 'dobj', 4, 'O', True),
    ('to', 'to', 'ADP', 'dative', 4, 'O', True),
    ('Chile', 'Chile', 'PROPN', 'pobj', 6, 'GPE', False),
    ('.', '.', 'PUNCT', 'punct', 1, 'O', False),
]


@pytest.mark.parametrize("toks", [NOT_AGREED, DENIED_SUPPLYING, NOT_PROVIDED, DENIED_THAT],
                         ids=["did-not-agree-to-sell", "denied-supplying", "has-not-provided", "denied-that-it-sold"])
def test_events_negated_or_denied_act_codes_nothing(toks: list[Tok], registry: Registry) -> None:
    assert coded(toks, registry) == set()  # not REJECT, not AGREE or AID
    assert news(toks, registry) == set()


def test_events_will_not_provide_is_a_refusal(registry: Registry) -> None:
    assert coded(WILL_NOT_PROVIDE, registry) == {("REJECT", "NOR", "CHL")}
