"""Rules of the event extractor (readout.extract.events).

Rule tests build parsed documents by hand (words, lemmas, parts of speech, dependencies and
entities written out), on sentences written for these tests, and use a small registry made
here, so they need neither the model nor the package's knowledge files. Tests marked
``model`` use the pinned spaCy model; one reads the reference article from ``../shared``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from readout.extract.base import ActorIndex
from readout.extract.events import code_sentence, country_of, extract_events, parse_amounts
from readout.records import Amount, DateValue, Event, Quantity, Span
from readout.registry import Country, Registry, _load_plover, _read_file

DATA = Path(__file__).resolve().parents[1] / "src" / "readout" / "data"

# (word, lemma, POS, dep, head index, entity, space after)
Tok = tuple[str, str, str, str, int, str, bool]


def make_registry() -> Registry:
    reg = Registry()
    reg.countries = {
        "NOR": Country("NOR", "Norway", ["Norway"], demonyms=["Norwegian"], capitals=["Oslo"]),
        "CHL": Country("CHL", "Chile", ["Chile"], demonyms=["Chilean"], capitals=["Santiago"]),
        "PER": Country("PER", "Peru", ["Peru"], demonyms=["Peruvian"], capitals=["Lima"]),
    }
    for section, entry in _read_file(DATA / "plover.yaml", "plover.yaml"):
        assert section == "plover"
        _load_plover(entry, reg)
    return reg


@pytest.fixture(scope="module")
def registry() -> Registry:
    return make_registry()


def make_doc(toks: list[Tok]) -> Doc:
    nlp = spacy.blank("en")
    ents = []
    prev = "O"
    for t in toks:
        if t[5] == "O":
            ents.append("O")
            prev = "O"
        else:
            ents.append(("I-" if prev == t[5] else "B-") + t[5])
            prev = t[5]
    return Doc(
        nlp.vocab,
        words=[t[0] for t in toks],
        spaces=[t[6] for t in toks],
        lemmas=[t[1] for t in toks],
        pos=[t[2] for t in toks],
        deps=[t[3] for t in toks],
        heads=[t[4] for t in toks],
        ents=ents,
    )


def events_of(toks: list[Tok], registry: Registry, dates: list[DateValue] | None = None) -> list[Event]:
    doc = make_doc(toks)
    return extract_events(doc, registry, ActorIndex(), dates or [])


def coded(toks: list[Tok], registry: Registry) -> list[Event]:
    doc = make_doc(toks)
    return [ev for sent in doc.sents for ev in code_sentence(sent, registry, ActorIndex())]


# ----------------------------------------------------------------------------- sentences
# "On May 2, Norway approved a $450 million sale of missiles to Chile."
ARMS_SALE: list[Tok] = [
    ("On", "on", "ADP", "prep", 5, "O", True),
    ("May", "May", "PROPN", "pobj", 0, "DATE", True),
    ("2", "2", "NUM", "nummod", 1, "DATE", False),
    (",", ",", "PUNCT", "punct", 5, "O", True),
    ("Norway", "Norway", "PROPN", "nsubj", 5, "GPE", True),
    ("approved", "approve", "VERB", "ROOT", 5, "O", True),
    ("a", "a", "DET", "det", 10, "O", True),
    ("$", "$", "SYM", "quantmod", 9, "MONEY", False),
    ("450", "450", "NUM", "compound", 9, "MONEY", True),
    ("million", "million", "NUM", "nummod", 10, "MONEY", True),
    ("sale", "sale", "NOUN", "dobj", 5, "O", True),
    ("of", "of", "ADP", "prep", 10, "O", True),
    ("missiles", "missile", "NOUN", "pobj", 11, "O", True),
    ("to", "to", "ADP", "prep", 5, "O", True),
    ("Chile", "Chile", "PROPN", "pobj", 13, "GPE", False),
    (".", ".", "PUNCT", "punct", 5, "O", False),
]

# "Norway sold two frigates to Peru."
FRIGATES: list[Tok] = [
    ("Norway", "Norway", "PROPN", "nsubj", 1, "GPE", True),
    ("sold", "sell", "VERB", "ROOT", 1, "O", True),
    ("two", "two", "NUM", "nummod", 3, "CARDINAL", True),
    ("frigates", "frigate", "NOUN", "dobj", 1, "O", True),
    ("to", "to", "ADP", "prep", 1, "O", True),
    ("Peru", "Peru", "PROPN", "pobj", 4, "GPE", False),
    (".", ".", "PUNCT", "punct", 1, "O", False),
]

# "Chile imposed sanctions on three Norwegian shipyards."
SANCTION: list[Tok] = [
    ("Chile", "Chile", "PROPN", "nsubj", 1, "GPE", True),
    ("imposed", "impose", "VERB", "ROOT", 1, "O", True),
    ("sanctions", "sanction", "NOUN", "dobj", 1, "O", True),
    ("on", "on", "ADP", "prep", 2, "O", True),
    ("three", "three", "NUM", "nummod", 6, "CARDINAL", True),
    ("Norwegian", "norwegian", "ADJ", "amod", 6, "NORP", True),
    ("shipyards", "shipyard", "NOUN", "pobj", 3, "O", False),
    (".", ".", "PUNCT", "punct", 1, "O", False),
]

# "Peru accused Norway of espionage."
ACCUSATION: list[Tok] = [
    ("Peru", "Peru", "PROPN", "nsubj", 1, "GPE", True),
    ("accused", "accuse", "VERB", "ROOT", 1, "O", True),
    ("Norway", "Norway", "PROPN", "dobj", 1, "GPE", True),
    ("of", "of", "ADP", "prep", 1, "O", True),
    ("espionage", "espionage", "NOUN", "pobj", 3, "O", False),
    (".", ".", "PUNCT", "punct", 1, "O", False),
]

# "Chile declined a request from Norway for a meeting."
DECLINED: list[Tok] = [
    ("Chile", "Chile", "PROPN", "nsubj", 1, "GPE", True),
    ("declined", "decline", "VERB", "ROOT", 1, "O", True),
    ("a", "a", "DET", "det", 3, "O", True),
    ("request", "request", "NOUN", "dobj", 1, "O", True),
    ("from", "from", "ADP", "prep", 3, "O", True),
    ("Norway", "Norway", "PROPN", "pobj", 4, "GPE", True),
    ("for", "for", "ADP", "prep", 3, "O", True),
    ("a", "a", "DET", "det", 8, "O", True),
    ("meeting", "meeting", "NOUN", "pobj", 6, "O", False),
    (".", ".", "PUNCT", "punct", 1, "O", False),
]

# "The Norwegian minister visited Santiago."
VISIT: list[Tok] = [
    ("The", "the", "DET", "det", 2, "O", True),
    ("Norwegian", "norwegian", "ADJ", "amod", 2, "NORP", True),
    ("minister", "minister", "NOUN", "nsubj", 3, "O", True),
    ("visited", "visit", "VERB", "ROOT", 3, "O", True),
    ("Santiago", "Santiago", "PROPN", "dobj", 3, "GPE", False),
    (".", ".", "PUNCT", "punct", 3, "O", False),
]

# "Norway and Chile held talks."
TALKS: list[Tok] = [
    ("Norway", "Norway", "PROPN", "nsubj", 3, "GPE", True),
    ("and", "and", "CCONJ", "cc", 0, "O", True),
    ("Chile", "Chile", "PROPN", "conj", 0, "GPE", True),
    ("held", "hold", "VERB", "ROOT", 3, "O", True),
    ("talks", "talk", "NOUN", "dobj", 3, "O", False),
    (".", ".", "PUNCT", "punct", 3, "O", False),
]

# "Peru refused to meet the Chilean envoy."
REFUSED: list[Tok] = [
    ("Peru", "Peru", "PROPN", "nsubj", 1, "GPE", True),
    ("refused", "refuse", "VERB", "ROOT", 1, "O", True),
    ("to", "to", "PART", "aux", 3, "O", True),
    ("meet", "meet", "VERB", "xcomp", 1, "O", True),
    ("the", "the", "DET", "det", 6, "O", True),
    ("Chilean", "chilean", "ADJ", "amod", 6, "NORP", True),
    ("envoy", "envoy", "NOUN", "dobj", 3, "O", False),
    (".", ".", "PUNCT", "punct", 1, "O", False),
]

# "Chile will send aid to Peru."
FUTURE_AID: list[Tok] = [
    ("Chile", "Chile", "PROPN", "nsubj", 2, "GPE", True),
    ("will", "will", "AUX", "aux", 2, "O", True),
    ("send", "send", "VERB", "ROOT", 2, "O", True),
    ("aid", "aid", "NOUN", "dobj", 2, "O", True),
    ("to", "to", "ADP", "prep", 2, "O", True),
    ("Peru", "Peru", "PROPN", "pobj", 4, "GPE", False),
    (".", ".", "PUNCT", "punct", 2, "O", False),
]

# "Norway threatened to expel Peruvian diplomats."
THREAT: list[Tok] = [
    ("Norway", "Norway", "PROPN", "nsubj", 1, "GPE", True),
    ("threatened", "threaten", "VERB", "ROOT", 1, "O", True),
    ("to", "to", "PART", "aux", 3, "O", True),
    ("expel", "expel", "VERB", "xcomp", 1, "O", True),
    ("Peruvian", "peruvian", "ADJ", "amod", 5, "NORP", True),
    ("diplomats", "diplomat", "NOUN", "dobj", 3, "O", False),
    (".", ".", "PUNCT", "punct", 1, "O", False),
]


# ----------------------------------------------------------------------------- tests
def test_arms_sale_has_type_cameo_parties_and_amount(registry: Registry) -> None:
    evs = events_of(ARMS_SALE, registry)
    assert len(evs) == 1
    ev = evs[0]
    assert (ev.type, ev.mode, ev.cameo) == ("AID", None, "072")
    assert (ev.source, ev.target) == ("NOR", "CHL")
    assert ev.amount == Amount(450_000_000.0, "USD")
    assert ev.rule.startswith("events.")
    assert ev.evidence[0].text.startswith("On May 2, Norway approved")
    assert "sale" in ev.evidence[1].text


def test_arms_sale_takes_the_nearest_date_of_its_sentence(registry: Registry) -> None:
    doc = make_doc(ARMS_SALE)
    may2 = DateValue("2024-05-02", "day", "May 2", Span(3, 8, doc.text[3:8]), "test")
    evs = extract_events(doc, registry, ActorIndex(), [may2])
    assert evs[0].date == may2
    assert "date" not in evs[0].reasons


def test_arms_sale_says_why_date_is_empty(registry: Registry) -> None:
    ev = events_of(ARMS_SALE, registry)[0]
    assert ev.date is None
    assert ev.reasons["date"]


def test_sale_of_materiel_counts_the_quantity(registry: Registry) -> None:
    evs = events_of(FRIGATES, registry)
    assert [(e.type, e.cameo, e.source, e.target) for e in evs] == [("AID", "072", "NOR", "PER")]
    assert evs[0].quantity == Quantity(2.0, "frigate")
    assert evs[0].reasons["amount"]  # no sum of money named


def test_sanctions_on_companies_target_their_country(registry: Registry) -> None:
    evs = events_of(SANCTION, registry)
    assert [(e.type, e.mode, e.cameo, e.source, e.target) for e in evs] == [("SANCTION", "discontinue", "163", "CHL", "NOR")]


def test_accusation_is_accuse_allege(registry: Registry) -> None:
    evs = events_of(ACCUSATION, registry)
    assert [(e.type, e.mode, e.cameo, e.source, e.target) for e in evs] == [("ACCUSE", "allege", "112", "PER", "NOR")]


def test_declined_request_for_meeting_is_reject_meet(registry: Registry) -> None:
    evs = events_of(DECLINED, registry)
    assert [(e.type, e.mode, e.cameo, e.source, e.target) for e in evs] == [("REJECT", "meet", "125", "CHL", "NOR")]


def test_refusal_to_meet_is_reject_meet(registry: Registry) -> None:
    evs = events_of(REFUSED, registry)
    assert [(e.type, e.mode, e.source, e.target) for e in evs] == [("REJECT", "meet", "PER", "CHL")]


def test_visit_to_a_capital_is_consult_visit(registry: Registry) -> None:
    evs = events_of(VISIT, registry)
    assert [(e.type, e.mode, e.cameo, e.source, e.target) for e in evs] == [("CONSULT", "visit", "042", "NOR", "CHL")]


def test_talks_themselves_are_not_events_in_news(registry: Registry) -> None:
    assert events_of(TALKS, registry) == []


def test_sentence_coder_codes_talks_as_a_joint_act(registry: Registry) -> None:
    evs = coded(TALKS, registry)
    assert {(e.type, e.source, e.target) for e in evs} == {("CONSULT", "NOR", None), ("CONSULT", "CHL", None)}


def test_promised_aid_is_agree(registry: Registry) -> None:
    evs = coded(FUTURE_AID, registry)
    assert [(e.type, e.source, e.target) for e in evs] == [("AGREE", "CHL", "PER")]


def test_threat_to_expel_diplomats_is_threaten_expel(registry: Registry) -> None:
    evs = events_of(THREAT, registry)
    assert [(e.type, e.mode, e.source, e.target) for e in evs] == [("THREATEN", "expel", "NOR", "PER")]


# "The ministry imposed sanctions on Chile."
UNNAMED_SOURCE: list[Tok] = [
    ("The", "the", "DET", "det", 1, "O", True),
    ("ministry", "ministry", "NOUN", "nsubj", 2, "O", True),
    ("imposed", "impose", "VERB", "ROOT", 2, "O", True),
    ("sanctions", "sanction", "NOUN", "dobj", 2, "O", True),
    ("on", "on", "ADP", "prep", 3, "O", True),
    ("Chile", "Chile", "PROPN", "pobj", 4, "GPE", False),
    (".", ".", "PUNCT", "punct", 2, "O", False),
]


def test_empty_source_has_a_reason(registry: Registry) -> None:
    evs = events_of(UNNAMED_SOURCE, registry)
    assert [(e.type, e.source, e.target) for e in evs] == [("SANCTION", None, "CHL")]
    assert "ministry" in evs[0].reasons["source"]


def test_unparsed_doc_gives_no_events_and_no_error(registry: Registry) -> None:
    doc = spacy.blank("en")("Norway approved a $450 million sale of missiles to Chile.")
    assert extract_events(doc, registry, ActorIndex(), []) == []


def test_event_ids_are_stable(registry: Registry) -> None:
    a = events_of(ARMS_SALE, registry)
    b = events_of(ARMS_SALE, registry)
    assert [e.id for e in a] == [e.id for e in b]
    assert a[0].to_dict()["amount"] == {"value": 450_000_000.0, "currency": "USD"}


def test_country_of_reads_codes_and_actors(registry: Registry) -> None:
    assert country_of("NOR", registry, ActorIndex()) == "NOR"
    assert country_of("IGO", registry, ActorIndex()) == "IGO"
    assert country_of("someone-unknown", registry, ActorIndex()) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a $300 million package", Amount(300_000_000.0, "USD")),
        ("worth US$1.2 billion", Amount(1_200_000_000.0, "USD")),
        ("some €5 billion", Amount(5_000_000_000.0, "EUR")),
        ("500 million yuan in loans", Amount(500_000_000.0, "CNY")),
        ("5.1 million dollars of aid", Amount(5_100_000.0, "USD")),
        ("NT$2 bn", Amount(2_000_000_000.0, "TWD")),
        ("$12M", Amount(12_000_000.0, "USD")),
    ],
)
def test_parse_amounts(text: str, expected: Amount) -> None:
    assert parse_amounts(text) == [expected]


def test_parse_amounts_ignores_plain_numbers() -> None:
    assert parse_amounts("66 new aircraft by 2026") == []


# ----------------------------------------------------------------------------- with the model
@pytest.mark.model
def test_model_arms_sale_and_sanction(nlp: spacy.language.Language, registry: Registry) -> None:
    doc = nlp("Norway approved a $450 million sale of missiles to Chile. Chile imposed sanctions on three Norwegian shipyards.")
    evs = extract_events(doc, registry, ActorIndex(), [])
    got = {(e.type, e.source, e.target) for e in evs}
    assert ("AID", "NOR", "CHL") in got
    assert ("SANCTION", "CHL", "NOR") in got
    sale = next(e for e in evs if e.type == "AID")
    assert sale.amount == Amount(450_000_000.0, "USD")


@pytest.mark.model
def test_model_accusation_and_declined_meeting(nlp: spacy.language.Language, registry: Registry) -> None:
    doc = nlp("Peru accused Norway of espionage. Chile declined a request from Norway for a meeting.")
    got = {(e.type, e.mode, e.source, e.target) for e in extract_events(doc, registry, ActorIndex(), [])}
    assert ("ACCUSE", "allege", "PER", "NOR") in got
    assert ("REJECT", "meet", "CHL", "NOR") in got


@pytest.mark.model
def test_reference_article_arms_sales_to_taiwan(nlp: spacy.language.Language, shared_dir: Path) -> None:
    path = shared_dir / "reference" / "liu-brown-video-call-2023-12.txt"
    if not path.exists():
        pytest.skip(f"{path} is absent: the reference article is read at run time")
    from readout.extract.actors import extract_actors
    from readout.extract.dates import extract_dates
    from readout.registry import get_registry

    registry = get_registry()
    doc = nlp(path.read_text(encoding="utf-8"))
    published = date(2023, 12, 22)
    actors = extract_actors(doc, registry, published)
    dates = extract_dates(doc, published)
    events = extract_events(doc, registry, actors, dates)
    aid = [e for e in events if e.type == "AID"]

    sale = next(e for e in aid if e.amount is not None)
    assert sale.amount == Amount(300_000_000.0, "USD")
    assert sale.cameo == "072"
    assert country_of(sale.target, registry, actors) == "TWN"
    # the seller is "it" (the Pentagon): resolved through the reporting verb's subject
    assert country_of(sale.source, registry, actors) == "USA", sale.reasons
    if dates:
        assert sale.date is not None and sale.date.value == "2023-12-15"
    else:
        # the dates extractor found nothing: the event says why its date is empty
        assert sale.date is None and sale.reasons["date"]

    jets = next(e for e in aid if e.quantity is not None)
    assert jets.quantity == Quantity(66.0, "aircraft")
    assert country_of(jets.target, registry, actors) == "TWN"
    assert "sale" in jets.evidence[1].text


# "Chilean officials said their ministry imposed sanctions on Peru."
OWNED_SUBJECT: list[Tok] = [
    ("Chilean", "chilean", "ADJ", "amod", 1, "NORP", True),
    ("officials", "official", "NOUN", "nsubj", 2, "O", True),
    ("said", "say", "VERB", "ROOT", 2, "O", True),
    ("their", "their", "PRON", "poss", 4, "O", True),
    ("ministry", "ministry", "NOUN", "nsubj", 5, "O", True),
    ("imposed", "impose", "VERB", "ccomp", 2, "O", True),
    ("sanctions", "sanction", "NOUN", "dobj", 5, "O", True),
    ("on", "on", "ADP", "prep", 6, "O", True),
    ("Peru", "Peru", "PROPN", "pobj", 7, "GPE", False),
    (".", ".", "PUNCT", "punct", 2, "O", False),
]


def test_subject_owned_by_a_pronoun_is_the_reporters(registry: Registry) -> None:
    # "their ministry" names no country; "their" points back to whoever reports it
    evs = coded(OWNED_SUBJECT, registry)
    assert [(e.type, e.source, e.target) for e in evs] == [("SANCTION", "CHL", "PER")]
    # without an owner the same words keep the reason why the source is empty
    assert [(e.type, e.source) for e in coded(UNNAMED_SOURCE, registry)] == [("SANCTION", None)]
