"""Frames of events (denied, demanded, threatened, alleged, stopped, future, planned,
hypothetical), who did what to whom, and agreements, on short sentences written for these tests.

The parses below were made once by the pinned model and are written out as data (words, lemmas,
parts of speech, dependencies, entities), so the rule tests need neither the model nor the
package's knowledge files: the registry is the small one of ``test_events`` (Norway, Chile,
Peru). Tests marked ``model`` parse with the pinned model and use the package's registry.
"""

from __future__ import annotations

import pytest
import spacy
from test_events import Tok, make_doc, make_registry

from readout.extract.base import ActorIndex
from readout.extract.events import extract_events, frame_of
from readout.records import Engagement, Event, Span
from readout.registry import Registry


@pytest.fixture(scope="module")
def registry() -> Registry:
    return make_registry()


def events(toks: list[Tok], registry: Registry, side: str | None = None, engagements: list[Engagement] | None = None) -> list[Event]:
    return extract_events(make_doc(toks), registry, ActorIndex(), [], side=side, engagements=engagements or [])


def coded(toks: list[Tok], registry: Registry, **kw: object) -> set[tuple[str, str | None, str | None, str | None]]:
    return {(e.type, e.source, e.target, e.modality) for e in events(toks, registry, **kw)}  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- parses
# Norway does not sell arms to Chile.
NEGATED: list[Tok] = [
    ('Norway', 'Norway', 'PROPN', 'nsubj', 3, 'GPE', True),
    ('does', 'do', 'AUX', 'aux', 3, 'O', True),
    ('not', 'not', 'PART', 'neg', 3, 'O', True),
    ('sell', 'sell', 'VERB', 'ROOT', 3, 'O', True),
    ('arms', 'arm', 'NOUN', 'dobj', 3, 'O', True),
    ('to', 'to', 'ADP', 'dative', 3, 'O', True),
    ('Chile', 'Chile', 'PROPN', 'pobj', 5, 'GPE', False),
    ('.', '.', 'PUNCT', 'punct', 3, 'O', False),
]

# Peru said Norway should stop arming Chile.
DEMANDED: list[Tok] = [
    ('Peru', 'Peru', 'PROPN', 'nsubj', 1, 'GPE', True),
    ('said', 'say', 'VERB', 'ROOT', 1, 'O', True),
    ('Norway', 'Norway', 'PROPN', 'nsubj', 4, 'GPE', True),
    ('should', 'should', 'AUX', 'aux', 4, 'O', True),
    ('stop', 'stop', 'VERB', 'ccomp', 1, 'O', True),
    ('arming', 'arm', 'VERB', 'xcomp', 4, 'O', True),
    ('Chile', 'Chile', 'PROPN', 'dobj', 5, 'GPE', False),
    ('.', '.', 'PUNCT', 'punct', 1, 'O', False),
]

# Norway stopped arming Chile.
HALTED: list[Tok] = [
    ('Norway', 'Norway', 'PROPN', 'nsubj', 1, 'GPE', True),
    ('stopped', 'stop', 'VERB', 'ROOT', 1, 'O', True),
    ('arming', 'arm', 'VERB', 'xcomp', 1, 'O', True),
    ('Chile', 'Chile', 'PROPN', 'dobj', 2, 'GPE', False),
    ('.', '.', 'PUNCT', 'punct', 1, 'O', False),
]

# Norway will sell missiles to Chile.
FUTURE: list[Tok] = [
    ('Norway', 'Norway', 'PROPN', 'nsubj', 2, 'GPE', True),
    ('will', 'will', 'AUX', 'aux', 2, 'O', True),
    ('sell', 'sell', 'VERB', 'ROOT', 2, 'O', True),
    ('missiles', 'missile', 'NOUN', 'dobj', 2, 'O', True),
    ('to', 'to', 'ADP', 'dative', 2, 'O', True),
    ('Chile', 'Chile', 'PROPN', 'pobj', 4, 'GPE', False),
    ('.', '.', 'PUNCT', 'punct', 2, 'O', False),
]

# Norway plans to sell missiles to Chile.
PLANNED: list[Tok] = [
    ('Norway', 'Norway', 'PROPN', 'nsubj', 1, 'GPE', True),
    ('plans', 'plan', 'VERB', 'ROOT', 1, 'O', True),
    ('to', 'to', 'PART', 'aux', 3, 'O', True),
    ('sell', 'sell', 'VERB', 'xcomp', 1, 'O', True),
    ('missiles', 'missile', 'NOUN', 'dobj', 3, 'O', True),
    ('to', 'to', 'ADP', 'dative', 3, 'O', True),
    ('Chile', 'Chile', 'PROPN', 'pobj', 5, 'GPE', False),
    ('.', '.', 'PUNCT', 'punct', 1, 'O', False),
]

# Norway could impose sanctions on Chile.
HYPOTHETICAL: list[Tok] = [
    ('Norway', 'Norway', 'PROPN', 'nsubj', 2, 'GPE', True),
    ('could', 'could', 'AUX', 'aux', 2, 'O', True),
    ('impose', 'impose', 'VERB', 'ROOT', 2, 'O', True),
    ('sanctions', 'sanction', 'NOUN', 'dobj', 2, 'O', True),
    ('on', 'on', 'ADP', 'prep', 2, 'O', True),
    ('Chile', 'Chile', 'PROPN', 'pobj', 4, 'GPE', False),
    ('.', '.', 'PUNCT', 'punct', 2, 'O', False),
]

# Peru accused Norway of arming Chile.
ALLEGED: list[Tok] = [
    ('Peru', 'Peru', 'PROPN', 'nsubj', 1, 'GPE', True),
    ('accused', 'accuse', 'VERB', 'ROOT', 1, 'O', True),
    ('Norway', 'Norway', 'PROPN', 'dobj', 1, 'GPE', True),
    ('of', 'of', 'ADP', 'prep', 1, 'O', True),
    ('arming', 'arm', 'VERB', 'pcomp', 3, 'O', True),
    ('Chile', 'Chile', 'PROPN', 'dobj', 4, 'GPE', False),
    ('.', '.', 'PUNCT', 'punct', 1, 'O', False),
]

# Peru urged Norway not to impose sanctions on Chile.
URGED_NOT: list[Tok] = [
    ('Peru', 'Peru', 'PROPN', 'nsubj', 1, 'GPE', True),
    ('urged', 'urge', 'VERB', 'ROOT', 1, 'O', True),
    ('Norway', 'Norway', 'PROPN', 'dobj', 1, 'GPE', True),
    ('not', 'not', 'PART', 'neg', 5, 'O', True),
    ('to', 'to', 'PART', 'aux', 5, 'O', True),
    ('impose', 'impose', 'VERB', 'xcomp', 1, 'O', True),
    ('sanctions', 'sanction', 'NOUN', 'dobj', 5, 'O', True),
    ('on', 'on', 'ADP', 'prep', 5, 'O', True),
    ('Chile', 'Chile', 'PROPN', 'pobj', 7, 'GPE', False),
    ('.', '.', 'PUNCT', 'punct', 1, 'O', False),
]

# Chile threatened to impose sanctions on Norway.
THREATENED: list[Tok] = [
    ('Chile', 'Chile', 'PROPN', 'nsubj', 1, 'GPE', True),
    ('threatened', 'threaten', 'VERB', 'ROOT', 1, 'O', True),
    ('to', 'to', 'PART', 'aux', 3, 'O', True),
    ('impose', 'impose', 'VERB', 'xcomp', 1, 'O', True),
    ('sanctions', 'sanction', 'NOUN', 'dobj', 3, 'O', True),
    ('on', 'on', 'ADP', 'prep', 3, 'O', True),
    ('Norway', 'Norway', 'PROPN', 'pobj', 5, 'GPE', False),
    ('.', '.', 'PUNCT', 'punct', 1, 'O', False),
]

# Chile said Norway must lift the sanctions on Peru.
MUST_LIFT: list[Tok] = [
    ('Chile', 'Chile', 'PROPN', 'nsubj', 1, 'GPE', True),
    ('said', 'say', 'VERB', 'ROOT', 1, 'O', True),
    ('Norway', 'Norway', 'PROPN', 'nsubj', 4, 'GPE', True),
    ('must', 'must', 'AUX', 'aux', 4, 'O', True),
    ('lift', 'lift', 'VERB', 'ccomp', 1, 'O', True),
    ('the', 'the', 'DET', 'det', 6, 'O', True),
    ('sanctions', 'sanction', 'NOUN', 'dobj', 4, 'O', True),
    ('on', 'on', 'ADP', 'prep', 6, 'O', True),
    ('Peru', 'Peru', 'PROPN', 'pobj', 7, 'GPE', False),
    ('.', '.', 'PUNCT', 'punct', 1, 'O', False),
]

# Peru criticized a $300 million sale of equipment for Chile's navy that Norway approved last month.
CRITICIZED_SALE: list[Tok] = [
    ('Peru', 'Peru', 'PROPN', 'nsubj', 1, 'ORG', True),
    ('criticized', 'criticize', 'VERB', 'ROOT', 1, 'O', True),
    ('a', 'a', 'DET', 'det', 6, 'O', True),
    ('$', '$', 'SYM', 'quantmod', 5, 'MONEY', False),
    ('300', '300', 'NUM', 'compound', 5, 'MONEY', True),
    ('million', 'million', 'NUM', 'nummod', 6, 'MONEY', True),
    ('sale', 'sale', 'NOUN', 'dobj', 1, 'O', True),
    ('of', 'of', 'ADP', 'prep', 6, 'O', True),
    ('equipment', 'equipment', 'NOUN', 'pobj', 7, 'O', True),
    ('for', 'for', 'ADP', 'prep', 6, 'O', True),
    ('Chile', 'Chile', 'PROPN', 'poss', 12, 'GPE', False),
    ("'s", "'s", 'PART', 'case', 10, 'O', True),
    ('navy', 'navy', 'NOUN', 'pobj', 9, 'O', True),
    ('that', 'that', 'PRON', 'dobj', 15, 'O', True),
    ('Norway', 'Norway', 'PROPN', 'nsubj', 15, 'GPE', True),
    ('approved', 'approve', 'VERB', 'relcl', 12, 'O', True),
    ('last', 'last', 'ADJ', 'amod', 17, 'DATE', True),
    ('month', 'month', 'NOUN', 'npadvmod', 15, 'DATE', False),
    ('.', '.', 'PUNCT', 'punct', 1, 'O', False),
]

# Norway and Peru imposed sanctions on Chile.
JOINT: list[Tok] = [
    ('Norway', 'Norway', 'PROPN', 'nsubj', 3, 'GPE', True),
    ('and', 'and', 'CCONJ', 'cc', 0, 'O', True),
    ('Peru', 'Peru', 'PROPN', 'conj', 0, 'GPE', True),
    ('imposed', 'impose', 'VERB', 'ROOT', 3, 'O', True),
    ('sanctions', 'sanction', 'NOUN', 'dobj', 3, 'O', True),
    ('on', 'on', 'ADP', 'prep', 4, 'O', True),
    ('Chile', 'Chile', 'PROPN', 'pobj', 5, 'GPE', False),
    ('.', '.', 'PUNCT', 'punct', 3, 'O', False),
]

# The two ministers agreed to hold talks on fisheries.
AGREED: list[Tok] = [
    ('The', 'the', 'DET', 'det', 2, 'O', True),
    ('two', 'two', 'NUM', 'nummod', 2, 'CARDINAL', True),
    ('ministers', 'minister', 'NOUN', 'nsubj', 3, 'O', True),
    ('agreed', 'agree', 'VERB', 'ROOT', 3, 'O', True),
    ('to', 'to', 'PART', 'aux', 5, 'O', True),
    ('hold', 'hold', 'VERB', 'xcomp', 3, 'O', True),
    ('talks', 'talk', 'NOUN', 'dobj', 5, 'O', True),
    ('on', 'on', 'ADP', 'prep', 6, 'O', True),
    ('fisheries', 'fishery', 'NOUN', 'pobj', 7, 'O', False),
    ('.', '.', 'PUNCT', 'punct', 3, 'O', False),
]

# Chile refused to meet the Norwegian minister.
REFUSED: list[Tok] = [
    ('Chile', 'Chile', 'PROPN', 'nsubj', 1, 'GPE', True),
    ('refused', 'refuse', 'VERB', 'ROOT', 1, 'O', True),
    ('to', 'to', 'PART', 'aux', 3, 'O', True),
    ('meet', 'meet', 'VERB', 'xcomp', 1, 'O', True),
    ('the', 'the', 'DET', 'det', 6, 'O', True),
    ('Norwegian', 'norwegian', 'ADJ', 'amod', 6, 'NORP', True),
    ('minister', 'minister', 'NOUN', 'dobj', 3, 'O', False),
    ('.', '.', 'PUNCT', 'punct', 1, 'O', False),
]

# Norway sanctioned Chile over its purchase of missiles from Peru.
PURCHASE: list[Tok] = [
    ('Norway', 'Norway', 'PROPN', 'nsubj', 1, 'GPE', True),
    ('sanctioned', 'sanction', 'VERB', 'ROOT', 1, 'O', True),
    ('Chile', 'Chile', 'PROPN', 'dobj', 1, 'GPE', True),
    ('over', 'over', 'ADP', 'prep', 1, 'O', True),
    ('its', 'its', 'PRON', 'poss', 5, 'O', True),
    ('purchase', 'purchase', 'NOUN', 'pobj', 3, 'O', True),
    ('of', 'of', 'ADP', 'prep', 5, 'O', True),
    ('missiles', 'missile', 'NOUN', 'pobj', 6, 'O', True),
    ('from', 'from', 'ADP', 'prep', 5, 'O', True),
    ('Peru', 'Peru', 'PROPN', 'pobj', 8, 'GPE', False),
    ('.', '.', 'PUNCT', 'punct', 1, 'O', False),
]

# Chile's aggression against Peru continued.
AGGRESSION: list[Tok] = [
    ('Chile', 'Chile', 'PROPN', 'poss', 2, 'GPE', False),
    ("'s", "'s", 'PART', 'case', 0, 'O', True),
    ('aggression', 'aggression', 'NOUN', 'nsubj', 5, 'O', True),
    ('against', 'against', 'ADP', 'prep', 2, 'O', True),
    ('Peru', 'Peru', 'PROPN', 'pobj', 3, 'GPE', True),
    ('continued', 'continue', 'VERB', 'ROOT', 5, 'O', False),
    ('.', '.', 'PUNCT', 'punct', 5, 'O', False),
]

# Peru condemned Chile's missile launches.
LAUNCHES: list[Tok] = [
    ('Peru', 'Peru', 'PROPN', 'nsubj', 1, 'GPE', True),
    ('condemned', 'condemn', 'VERB', 'ROOT', 1, 'O', True),
    ('Chile', 'Chile', 'PROPN', 'poss', 5, 'GPE', False),
    ("'s", "'s", 'PART', 'case', 2, 'O', True),
    ('missile', 'missile', 'NOUN', 'compound', 5, 'O', True),
    ('launches', 'launch', 'NOUN', 'dobj', 1, 'O', False),
    ('.', '.', 'PUNCT', 'punct', 1, 'O', False),
]

# Chile cancelled the talks.
CANCELLED: list[Tok] = [
    ('Chile', 'Chile', 'PROPN', 'nsubj', 1, 'GPE', True),
    ('cancelled', 'cancel', 'VERB', 'ROOT', 1, 'O', True),
    ('the', 'the', 'DET', 'det', 3, 'O', True),
    ('talks', 'talk', 'NOUN', 'dobj', 1, 'O', False),
    ('.', '.', 'PUNCT', 'punct', 1, 'O', False),
]

# The Norwegian minister visited Chile.
VISITED: list[Tok] = [
    ('The', 'the', 'DET', 'det', 2, 'O', True),
    ('Norwegian', 'norwegian', 'ADJ', 'amod', 2, 'NORP', True),
    ('minister', 'minister', 'NOUN', 'nsubj', 3, 'O', True),
    ('visited', 'visit', 'VERB', 'ROOT', 3, 'O', True),
    ('Chile', 'Chile', 'PROPN', 'dobj', 3, 'GPE', False),
    ('.', '.', 'PUNCT', 'punct', 3, 'O', False),
]


# ----------------------------------------------------------------------------- frames
@pytest.mark.parametrize(("toks", "verb", "frame"), [
    (NEGATED, "sell", "negated"),
    (DEMANDED, "arming", "demanded"),  # under "should stop"
    (HALTED, "arming", "halted"),
    (FUTURE, "sell", "future"),
    (PLANNED, "sell", "planned"),
    (HYPOTHETICAL, "impose", "hypothetical"),
    (ALLEGED, "arming", "alleged"),
    (URGED_NOT, "impose", "demanded"),
    (THREATENED, "impose", "threatened"),
    (REFUSED, "meet", "negated"),
    (HALTED, "stopped", None),
    (JOINT, "imposed", None),
])
def test_frame_of_reads_auxiliaries_and_governing_verbs(toks: list[Tok], verb: str, frame: str | None) -> None:
    doc = make_doc(toks)
    v = next(t for t in doc if t.text == verb)
    assert frame_of(v)[0] == frame
    if frame is not None:
        assert frame_of(v)[1]  # the words that decided it


def test_denied_event_is_not_coded(registry: Registry) -> None:
    # "Norway does not sell arms to Chile": no AID, and not its opposite either (CAMEO has none)
    assert coded(NEGATED, registry) == set()


def test_demanded_event_stays_in_the_statement(registry: Registry) -> None:
    # "Peru said Norway should stop arming Chile": not an AID from Norway, not a cut either
    assert coded(DEMANDED, registry) == set()
    # "Peru urged Norway not to impose sanctions on Chile": no SANCTION
    assert coded(URGED_NOT, registry) == set()
    # "Chile said Norway must lift the sanctions on Peru": neither the lifting nor the sanctions
    assert coded(MUST_LIFT, registry) == set()


def test_stopped_event_is_coded_as_its_opposite(registry: Registry) -> None:
    # "Norway stopped arming Chile": stopping military aid is SANCTION (CAMEO 1622), not AID
    evs = events(HALTED, registry)
    assert [(e.type, e.mode, e.cameo, e.source, e.target) for e in evs] == [("SANCTION", "discontinue", "1622", "NOR", "CHL")]
    assert "stopped" in evs[0].reasons["type"]


@pytest.mark.parametrize(("toks", "modality"), [(FUTURE, "future"), (PLANNED, "planned"), (HYPOTHETICAL, "hypothetical")])
def test_future_planned_and_hypothetical_events_are_kept_marked(toks: list[Tok], registry: Registry, modality: str) -> None:
    evs = events(toks, registry)
    assert evs and all(e.modality == modality for e in evs)
    assert all(e.source == "NOR" and e.target == "CHL" for e in evs)
    assert all("kept out of the index" in e.reasons["modality"] for e in evs)
    assert all(e.to_dict()["modality"] == modality for e in evs)


def test_future_promise_of_arms_is_agree_as_plover_codes_it(registry: Registry) -> None:
    # "Norway will sell missiles to Chile": PLOVER's promise of military aid, AGREE 0332
    assert [(e.type, e.cameo) for e in events(FUTURE, registry)] == [("AGREE", "0332")]


def test_threat_is_threaten_and_the_threatened_act_no_event(registry: Registry) -> None:
    # "Chile threatened to impose sanctions on Norway": THREATEN (restrict), not also SANCTION
    evs = events(THREATENED, registry)
    assert [(e.type, e.mode, e.source, e.target) for e in evs] == [("THREATEN", "restrict", "CHL", "NOR")]


# ----------------------------------------------------------------------------- who did what to whom
def test_accused_of_is_accuse_from_accuser_to_accused_not_the_act(registry: Registry) -> None:
    # "Peru accused Norway of arming Chile": ACCUSE PER->NOR; no AID NOR->CHL (alleged, not told as done)
    assert coded(ALLEGED, registry) == {("ACCUSE", "PER", "NOR", None)}


def test_criticized_sale_is_accuse_of_the_seller_and_the_sale_is_the_sellers(registry: Registry) -> None:
    # "Peru criticized a $300 million sale of equipment for Chile's navy that Norway approved last month."
    evs = events(CRITICIZED_SALE, registry)
    got = {(e.type, e.mode, e.source, e.target) for e in evs}
    assert ("ACCUSE", "disapprove", "PER", "NOR") in got
    assert ("AID", None, "NOR", "CHL") in got
    assert not any(e.type == "AID" and e.source == "PER" for e in evs)  # the critic sells nothing
    sale = next(e for e in evs if e.type == "AID")
    assert sale.amount is not None and sale.amount.value == 300_000_000


def test_joint_subject_gives_one_event_per_party(registry: Registry) -> None:
    # "Norway and Peru imposed sanctions on Chile"
    assert coded(JOINT, registry) == {("SANCTION", "NOR", "CHL", None), ("SANCTION", "PER", "CHL", None)}


def test_refused_to_meet_is_reject_meet(registry: Registry) -> None:
    # "Chile refused to meet the Norwegian minister."
    evs = events(REFUSED, registry)
    assert [(e.type, e.mode, e.cameo, e.source, e.target) for e in evs] == [("REJECT", "meet", "125", "CHL", "NOR")]


def test_purchase_seller_is_from_and_not_the_sanctioner(registry: Registry) -> None:
    # "Norway sanctioned Chile over its purchase of missiles from Peru": the sale is Peru's
    got = coded(PURCHASE, registry)
    assert ("SANCTION", "NOR", "CHL", None) in got
    assert not any(t == "AID" and s == "NOR" for t, s, _, _ in got)
    assert any(t == "AID" and s == "PER" for t, s, _, _ in got)


def _talks(doc_text: str) -> Engagement:
    return Engagement("eng-x", "meeting", [], ["CHL", "NOR"], [Span(0, len(doc_text), doc_text)], "test")


def test_agreement_of_the_two_sides_is_agree_from_the_reporting_side(registry: Registry) -> None:
    # "The two ministers agreed to hold talks on fisheries." in a Norwegian readout of NOR-CHL talks
    text = make_doc(AGREED).text
    evs = events(AGREED, registry, side="NOR", engagements=[_talks(text)])
    assert [(e.type, e.source, e.target) for e in evs] == [("AGREE", "NOR", "CHL")]
    assert "two sides of the talks" in evs[0].reasons["parties"]
    # an account of neither side (the press): one event per party
    both = {(e.source, e.target) for e in events(AGREED, registry, side=None, engagements=[_talks(text)])}
    assert both == {("NOR", "CHL"), ("CHL", "NOR")}
    # no talks to take the parties from: an agreement of no one named codes nothing
    assert events(AGREED, registry, side="NOR") == []


# ----------------------------------------------------------------------------- with the model
@pytest.fixture(scope="module")
def real_registry() -> Registry:
    from readout.registry import get_registry

    return get_registry()


def _analyze(text: str) -> list[Event]:
    from readout.pipeline import analyze

    return analyze(text, published="2024-01-10", check_language=False).events


@pytest.mark.model
def test_model_demand_to_stop_arming_taiwan_is_no_aid(nlp: spacy.language.Language) -> None:
    evs = _analyze("The US side should stop arming Taiwan and support China's peaceful reunification, Xi said.")
    assert not any(e.type in ("AID", "SUPPORT") for e in evs)


@pytest.mark.model
def test_model_denied_support_is_no_support_statement(nlp: spacy.language.Language) -> None:
    from readout.pipeline import analyze

    a = analyze('Biden said the United States does not support "Taiwan independence".', published="2023-11-16", check_language=False)
    assert not any(s.event_type == "SUPPORT" for s in a.statements)
    denied = next(s for s in a.statements if s.cue == "support")
    assert "negated" in denied.reasons["event_type"]


@pytest.mark.model
def test_model_sanction_is_sanction_and_sale_criticism_is_accuse(nlp: spacy.language.Language) -> None:
    evs = _analyze("The U.S. State Department sanctioned Li Shangfu in September 2018. "
                   "Wu Qian criticized a $300 million sale of equipment for Taiwan that the State Department approved last month.")
    got = {(e.type, e.target) for e in evs}
    assert ("SANCTION", "li-shangfu") in got or any(e.type == "SANCTION" for e in evs)
    assert not any(e.type == "AID" and e.source in ("wu-qian", "CHN") for e in evs)
    assert any(e.type == "ACCUSE" for e in evs)


# ----------------------------------------------------------------------------- news kinds and parties from the talks
def test_war_waged_by_a_country_is_assault(registry: Registry) -> None:
    # "Chile's aggression against Peru continued."
    assert [(e.type, e.cameo, e.source, e.target) for e in events(AGGRESSION, registry)] == [("ASSAULT", "190", "CHL", "PER")]


def test_missile_launches_are_mobilize_weapons_and_their_condemnation_accuse(registry: Registry) -> None:
    # "Peru condemned Chile's missile launches."
    got = {(e.type, e.mode, e.source, e.target) for e in events(LAUNCHES, registry)}
    assert got == {("ACCUSE", "disapprove", "PER", "CHL"), ("MOBILIZE", "weapons", "CHL", None)}


def test_cut_with_no_target_is_aimed_at_the_other_side_of_the_talks(registry: Registry) -> None:
    # "Chile cancelled the talks.": no one named; in a document reporting NOR-CHL talks, Norway
    text = make_doc(CANCELLED).text
    assert [(e.type, e.source, e.target) for e in events(CANCELLED, registry)] == [("SANCTION", "CHL", None)]
    ev = events(CANCELLED, registry, engagements=[_talks(text)])
    assert [(e.type, e.mode, e.cameo, e.source, e.target) for e in ev] == [("SANCTION", "withdraw", "164", "CHL", "NOR")]
    assert "other side of the talks" in ev[0].reasons["target"]


def test_visit_between_the_sides_of_the_talks_is_the_engagement_not_an_event(registry: Registry) -> None:
    # "The Norwegian minister visited Chile.": a CONSULT visit, unless the document reports NOR-CHL talks
    assert [(e.type, e.mode, e.source, e.target) for e in events(VISITED, registry)] == [("CONSULT", "visit", "NOR", "CHL")]
    assert events(VISITED, registry, engagements=[_talks(make_doc(VISITED).text)]) == []


# The two ministers pledged to deepen defense cooperation.
PLEDGED_BOTH: list[Tok] = [
    ('The', 'the', 'DET', 'det', 2, 'O', True),
    ('two', 'two', 'NUM', 'nummod', 2, 'CARDINAL', True),
    ('ministers', 'minister', 'NOUN', 'nsubj', 3, 'O', True),
    ('pledged', 'pledge', 'VERB', 'ROOT', 3, 'O', True),
    ('to', 'to', 'PART', 'aux', 5, 'O', True),
    ('deepen', 'deepen', 'VERB', 'xcomp', 3, 'O', True),
    ('defense', 'defense', 'NOUN', 'compound', 7, 'O', True),
    ('cooperation', 'cooperation', 'NOUN', 'dobj', 5, 'O', False),
    ('.', '.', 'PUNCT', 'punct', 3, 'O', False),
]
# Norway pledged to deepen defense cooperation with Chile.
PLEDGED_ONE: list[Tok] = [
    ('Norway', 'Norway', 'PROPN', 'nsubj', 1, 'GPE', True),
    ('pledged', 'pledge', 'VERB', 'ROOT', 1, 'O', True),
    ('to', 'to', 'PART', 'aux', 3, 'O', True),
    ('deepen', 'deepen', 'VERB', 'xcomp', 1, 'O', True),
    ('defense', 'defense', 'NOUN', 'compound', 5, 'O', True),
    ('cooperation', 'cooperation', 'NOUN', 'dobj', 3, 'O', True),
    ('with', 'with', 'ADP', 'prep', 3, 'O', True),
    ('Chile', 'Chile', 'PROPN', 'pobj', 6, 'GPE', False),
    ('.', '.', 'PUNCT', 'punct', 1, 'O', False),
]


def test_a_commitment_of_both_sides_is_an_agreement(registry: Registry) -> None:
    # a pledge of both sides of the talks is a joint commitment to cooperate: AGREE between them
    text = make_doc(PLEDGED_BOTH).text
    assert coded(PLEDGED_BOTH, registry, side="NOR", engagements=[_talks(text)]) == {("AGREE", "NOR", "CHL", None)}
    # one side's pledge is a promise, which news of talks leaves to the statement
    text = make_doc(PLEDGED_ONE).text
    assert coded(PLEDGED_ONE, registry, side="NOR", engagements=[_talks(text)]) == set()


# Norway marked the anniversary with a missile launch.  (parse made by the pinned model)
LAUNCH_AS_MEANS: list[Tok] = [
    ('Norway', 'Norway', 'PROPN', 'nsubj', 1, 'GPE', True),
    ('marked', 'mark', 'VERB', 'ROOT', 1, 'O', True),
    ('the', 'the', 'DET', 'det', 3, 'O', True),
    ('anniversary', 'anniversary', 'NOUN', 'dobj', 1, 'O', True),
    ('with', 'with', 'ADP', 'prep', 1, 'O', True),
    ('a', 'a', 'DET', 'det', 7, 'O', True),
    ('missile', 'missile', 'NOUN', 'compound', 7, 'O', True),
    ('launch', 'launch', 'NOUN', 'pobj', 4, 'O', False),
    ('.', '.', 'PUNCT', 'punct', 1, 'O', False),
]
# Norway's drills and missile launches alarmed Chile.  (parse written by hand)
CONJOINED_EVENTS: list[Tok] = [
    ('Norway', 'Norway', 'PROPN', 'poss', 2, 'GPE', False),
    ("'s", "'s", 'PART', 'case', 0, 'O', True),
    ('drills', 'drill', 'NOUN', 'nsubj', 6, 'O', True),
    ('and', 'and', 'CCONJ', 'cc', 2, 'O', True),
    ('missile', 'missile', 'NOUN', 'compound', 5, 'O', True),
    ('launches', 'launch', 'NOUN', 'conj', 2, 'O', True),
    ('alarmed', 'alarm', 'VERB', 'ROOT', 6, 'O', True),
    ('Chile', 'Chile', 'PROPN', 'dobj', 6, 'GPE', False),
    ('.', '.', 'PUNCT', 'punct', 6, 'O', False),
]


def test_force_used_as_the_means_of_an_act_is_the_subjects() -> None:
    reg = make_registry()
    assert coded(LAUNCH_AS_MEANS, reg) == {("MOBILIZE", "NOR", None, None)}


def test_conjoined_event_nouns_share_their_agent() -> None:
    reg = make_registry()
    assert coded(CONJOINED_EVENTS, reg) == {("MOBILIZE", "NOR", None, None)}
    assert len(events(CONJOINED_EVENTS, reg)) == 2  # the drills and the launches, both Norway's
