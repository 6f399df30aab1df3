"""Statements: who said what. Rule tests build parsed documents by hand (no model); a few tests
marked ``model`` run the pinned pipeline on sentences written for them, and one reads the
reference article in ``../shared`` at run time."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import spacy
from spacy.tokens import Doc
from spacy.vocab import Vocab

from readout.extract.base import ActorIndex
from readout.extract.statements import Quote, extract_statements, find_quotes
from readout.extract.topics import topics_of
from readout.records import Actor, Span, Statement
from readout.registry import Cue, Registry, Topic, Verb, get_registry

if TYPE_CHECKING:
    from spacy.language import Language

Row = tuple[str, int, str, str, str, str, str]  # word, head, dep, pos, tag, lemma, entity (IOB)


_VOCAB: Vocab = spacy.blank("en").vocab  # English lexical attributes (lower_, is_title...)


def make_doc(text: str, rows: list[Row]) -> Doc:
    """A parsed Doc built by hand: ``rows`` give each token of ``text`` in order, with its
    head (absolute index), dependency, coarse and fine tags, lemma and entity tag."""
    words = [r[0] for r in rows]
    spaces = []
    pos = 0
    for w in words:
        start = text.index(w, pos)
        assert text[pos:start].strip() == "", f"text between tokens: {text[pos:start]!r}"
        pos = start + len(w)
        spaces.append(text[pos : pos + 1] == " ")
    doc = Doc(
        _VOCAB,
        words=words,
        spaces=spaces,
        heads=[r[1] for r in rows],
        deps=[r[2] for r in rows],
        pos=[r[3] for r in rows],
        tags=[r[4] for r in rows],
        lemmas=[r[5] for r in rows],
        ents=[r[6] for r in rows],
    )
    assert doc.text == text.rstrip(" ")
    return doc


def small_registry() -> Registry:
    """Just the verbs and cues these tests use, so they do not depend on the data files."""
    reg = Registry()
    for lemma, etype in (("say", None), ("tell", None), ("note", None), ("stress", None), ("urge", "REQUEST"), ("call for", "REQUEST")):
        reg.verbs[lemma] = Verb(lemma=lemma, event_type=etype, strength=1.0)
    reg.verbs["believe"] = Verb(lemma="believe", strength=0.5)
    reg.cues.append(Cue(phrase="according to", kind="source_follows"))
    reg.cues.append(Cue(phrase="in a statement", kind="medium"))
    reg.topics["taiwan"] = Topic(id="taiwan", label="Taiwan", terms=["Taiwan"])
    reg.topics["communication"] = Topic(id="communication", label="Communication", terms=["miscalculation", "lines of communication"])
    return reg


def run(doc: Doc, actors: ActorIndex | None = None, registry: Registry | None = None) -> list[Statement]:
    return extract_statements(doc, registry or small_registry(), actors or ActorIndex(), [])


def text_of(doc: Doc, span: Span | None) -> str | None:
    return doc.text[span.start : span.end] if span else None


# ------------------------------------------------------------------ parse shapes, built by hand
SAID_THAT = "Liu said that the talks avoided miscalculation over Taiwan."
SAID_THAT_ROWS: list[Row] = [
    ("Liu", 1, "nsubj", "PROPN", "NNP", "Liu", "B-PERSON"),
    ("said", 1, "ROOT", "VERB", "VBD", "say", "O"),
    ("that", 5, "mark", "SCONJ", "IN", "that", "O"),
    ("the", 4, "det", "DET", "DT", "the", "O"),
    ("talks", 5, "nsubj", "NOUN", "NNS", "talk", "O"),
    ("avoided", 1, "ccomp", "VERB", "VBD", "avoid", "O"),
    ("miscalculation", 5, "dobj", "NOUN", "NN", "miscalculation", "O"),
    ("over", 6, "prep", "ADP", "IN", "over", "O"),
    ("Taiwan", 7, "pobj", "PROPN", "NNP", "Taiwan", "B-GPE"),
    (".", 1, "punct", "PUNCT", ".", ".", "O"),
]


def test_statements_said_that_gives_indirect_content_with_that() -> None:
    doc = make_doc(SAID_THAT, SAID_THAT_ROWS)
    [s] = run(doc)
    assert s.kind == "indirect"
    # PolNeAR marks the complementizer as part of the content, and so do we
    assert s.content == "that the talks avoided miscalculation over Taiwan"
    assert text_of(doc, s.content_span) == s.content
    assert text_of(doc, s.speaker_span) == "Liu"
    assert s.cue == "say" and text_of(doc, s.cue_span) == "said"
    assert s.topics == ["taiwan", "communication"]
    assert s.rule == "statement/ccomp"


def test_statements_unresolved_speaker_keeps_name_and_says_why() -> None:
    doc = make_doc(SAID_THAT, SAID_THAT_ROWS)
    [s] = run(doc)
    assert s.speaker is None and s.speaker_name == "Liu" and s.side is None
    assert "no actor found at 'Liu'" in s.reasons["speaker"]


def test_statements_resolve_speaker_and_side_through_actor_index() -> None:
    doc = make_doc(SAID_THAT, SAID_THAT_ROWS)
    actors = ActorIndex()
    actors.add(Actor(id="liu-zhenli", name="Liu Zhenli", kind="person", country="CHN", sector="MIL"))
    actors.add_mention("liu-zhenli", Span(0, 3, "Liu"), "alias")
    [s] = run(doc, actors)
    assert s.speaker == "liu-zhenli"
    assert s.speaker_name == "Liu Zhenli"
    assert s.side == "CHN"
    assert "speaker" not in s.reasons


def test_statements_ids_are_stable_for_the_same_text() -> None:
    first = run(make_doc(SAID_THAT, SAID_THAT_ROWS))
    second = run(make_doc(SAID_THAT, SAID_THAT_ROWS))
    assert [s.id for s in first] == [s.id for s in second]
    assert first[0].id.startswith("stmt-")


TOLD_AFTER = "The US should respect China, Liu told Brown."
TOLD_AFTER_ROWS: list[Row] = [
    ("The", 1, "det", "DET", "DT", "the", "O"),
    ("US", 3, "nsubj", "PROPN", "NNP", "US", "B-GPE"),
    ("should", 3, "aux", "AUX", "MD", "should", "O"),
    ("respect", 7, "ccomp", "VERB", "VB", "respect", "O"),
    ("China", 3, "dobj", "PROPN", "NNP", "China", "B-GPE"),
    (",", 7, "punct", "PUNCT", ",", ",", "O"),
    ("Liu", 7, "nsubj", "PROPN", "NNP", "Liu", "B-PERSON"),
    ("told", 7, "ROOT", "VERB", "VBD", "tell", "O"),
    ("Brown", 7, "dobj", "PROPN", "NNP", "Brown", "B-PERSON"),
    (".", 7, "punct", "PUNCT", ".", ".", "O"),
]


def test_statements_content_before_cue_with_addressee_and_request() -> None:
    doc = make_doc(TOLD_AFTER, TOLD_AFTER_ROWS)
    actors = ActorIndex()
    actors.add(Actor(id="charles-q-brown", name="Charles Q. Brown", kind="person", country="USA", sector="MIL"))
    actors.add_mention("charles-q-brown", Span(39, 44, "Brown"), "alias")
    [s] = run(doc, actors)
    assert s.content == "The US should respect China"
    assert text_of(doc, s.speaker_span) == "Liu"
    assert s.cue == "tell"
    assert s.addressee == "charles-q-brown"
    # "tell" has no event type of its own; "X should ..." is a request
    assert s.event_type == "REQUEST"
    assert "should" in s.reasons["event_type"]


def test_statements_addressee_without_actor_gives_reason() -> None:
    [s] = run(make_doc(TOLD_AFTER, TOLD_AFTER_ROWS))
    assert s.addressee is None
    assert s.reasons["addressee"] == "no actor found at 'Brown'"


PARATAXIS = "Ties will improve, Xin said, noting that both sides want calm."
PARATAXIS_ROWS: list[Row] = [
    ("Ties", 2, "nsubj", "NOUN", "NNS", "tie", "O"),
    ("will", 2, "aux", "AUX", "MD", "will", "O"),
    ("improve", 2, "ROOT", "VERB", "VB", "improve", "O"),
    (",", 5, "punct", "PUNCT", ",", ",", "O"),
    ("Xin", 5, "nsubj", "PROPN", "NNP", "Xin", "B-PERSON"),
    ("said", 2, "parataxis", "VERB", "VBD", "say", "O"),
    (",", 5, "punct", "PUNCT", ",", ",", "O"),
    ("noting", 5, "advcl", "VERB", "VBG", "note", "O"),
    ("that", 11, "mark", "SCONJ", "IN", "that", "O"),
    ("both", 10, "det", "DET", "DT", "both", "O"),
    ("sides", 11, "nsubj", "NOUN", "NNS", "side", "O"),
    ("want", 7, "ccomp", "VERB", "VBP", "want", "O"),
    ("calm", 11, "dobj", "NOUN", "NN", "calm", "O"),
    (".", 2, "punct", "PUNCT", ".", ".", "O"),
]


def test_statements_parataxis_and_noting_give_two_statements_by_one_speaker() -> None:
    doc = make_doc(PARATAXIS, PARATAXIS_ROWS)
    first, second = run(doc)
    assert first.content == "Ties will improve" and first.cue == "say" and first.rule == "statement/parataxis"
    assert second.content == "that both sides want calm" and second.cue == "note"
    # the participle has no subject of its own: it speaks for the subject of "said"
    assert first.speaker_span == second.speaker_span
    assert text_of(doc, second.speaker_span) == "Xin"
    assert second.reasons["speaker_span"] == "the subject of the verb this one hangs on"


DIRECT = '"We will keep talking," Liu said.'
DIRECT_ROWS: list[Row] = [
    ('"', 3, "punct", "PUNCT", "``", '"', "O"),
    ("We", 3, "nsubj", "PRON", "PRP", "we", "O"),
    ("will", 3, "aux", "AUX", "MD", "will", "O"),
    ("keep", 8, "ccomp", "VERB", "VB", "keep", "O"),
    ("talking", 3, "xcomp", "VERB", "VBG", "talk", "O"),
    (",", 8, "punct", "PUNCT", ",", ",", "O"),
    ('"', 8, "punct", "PUNCT", "''", '"', "O"),
    ("Liu", 8, "nsubj", "PROPN", "NNP", "Liu", "B-PERSON"),
    ("said", 8, "ROOT", "VERB", "VBD", "say", "O"),
    (".", 8, "punct", "PUNCT", ".", ".", "O"),
]


def test_statements_direct_quote_content_is_inside_the_marks() -> None:
    doc = make_doc(DIRECT, DIRECT_ROWS)
    [s] = run(doc)
    assert s.kind == "direct"
    # the words between the marks, with their own punctuation
    assert s.content == "We will keep talking,"
    assert text_of(doc, s.speaker_span) == "Liu"


SPLIT = 'Ties will improve, he said. "Both sides want calm."'
SPLIT_ROWS: list[Row] = [
    ("Ties", 2, "nsubj", "NOUN", "NNS", "tie", "O"),
    ("will", 2, "aux", "AUX", "MD", "will", "O"),
    ("improve", 2, "ROOT", "VERB", "VB", "improve", "O"),
    (",", 5, "punct", "PUNCT", ",", ",", "O"),
    ("he", 5, "nsubj", "PRON", "PRP", "he", "O"),
    ("said", 2, "parataxis", "VERB", "VBD", "say", "O"),
    (".", 2, "punct", "PUNCT", ".", ".", "O"),
    ('"', 9, "punct", "PUNCT", "``", '"', "O"),
    ("Both", 9, "det", "DET", "DT", "both", "O"),
    ("sides", 10, "nsubj", "NOUN", "NNS", "side", "O"),
    ("want", 10, "ROOT", "VERB", "VBP", "want", "O"),
    ("calm", 10, "dobj", "NOUN", "NN", "calm", "O"),
    (".", 10, "punct", "PUNCT", ".", ".", "O"),
    ('"', 10, "punct", "PUNCT", "''", '"', "O"),
]


def test_statements_quote_after_statement_joins_it_as_one_mixed_statement() -> None:
    doc = make_doc(SPLIT, SPLIT_ROWS)
    [s] = run(doc)
    assert s.kind == "mixed"
    assert s.content == "Ties will improve Both sides want calm."
    assert text_of(doc, s.content_span) == 'Ties will improve, he said. "Both sides want calm.'
    assert s.rule == "statement/parataxis+continued"


def test_statements_pronoun_speaker_named_by_nearest_person_when_unresolved() -> None:
    doc = make_doc(SPLIT, SPLIT_ROWS)
    [s] = run(doc)
    assert text_of(doc, s.speaker_span) == "he"
    assert s.speaker_name == "he"  # nobody was named before it
    assert "no one named before it" in s.reasons["speaker"]


ACCORDING = "According to the Pentagon, the talks were useful."
ACCORDING_ROWS: list[Row] = [
    ("According", 6, "prep", "VERB", "VBG", "accord", "O"),
    ("to", 0, "prep", "ADP", "IN", "to", "O"),
    ("the", 3, "det", "DET", "DT", "the", "O"),
    ("Pentagon", 1, "pobj", "PROPN", "NNP", "Pentagon", "B-ORG"),
    (",", 6, "punct", "PUNCT", ",", ",", "O"),
    ("the", 5, "det", "DET", "DT", "the", "O"),
    ("talks", 6, "nsubj", "NOUN", "NNS", "talk", "O"),
    ("were", 6, "ROOT", "AUX", "VBD", "be", "O"),
    ("useful", 6, "acomp", "ADJ", "JJ", "useful", "O"),
    (".", 6, "punct", "PUNCT", ".", ".", "O"),
]


def test_statements_according_to_names_the_source_that_follows() -> None:
    doc = make_doc(ACCORDING, ACCORDING_ROWS)
    [s] = run(doc)
    assert s.content == "the talks were useful"
    assert text_of(doc, s.speaker_span) == "Pentagon"
    assert s.cue == "according to" and text_of(doc, s.cue_span) == "According to"
    assert s.rule == "statement/according_to"


URGED = "The US urged China to stop the drills."
URGED_ROWS: list[Row] = [
    ("The", 1, "det", "DET", "DT", "the", "O"),
    ("US", 2, "nsubj", "PROPN", "NNP", "US", "B-GPE"),
    ("urged", 2, "ROOT", "VERB", "VBD", "urge", "O"),
    ("China", 2, "dobj", "PROPN", "NNP", "China", "B-GPE"),
    ("to", 5, "aux", "PART", "TO", "to", "O"),
    ("stop", 2, "xcomp", "VERB", "VB", "stop", "O"),
    ("the", 7, "det", "DET", "DT", "the", "O"),
    ("drills", 5, "dobj", "NOUN", "NNS", "drill", "O"),
    (".", 2, "punct", "PUNCT", ".", ".", "O"),
]


def test_statements_urged_to_is_a_request_addressed_to_its_object() -> None:
    doc = make_doc(URGED, URGED_ROWS)
    actors = ActorIndex()
    actors.add(Actor(id="CHN", name="China", kind="state", country="CHN", sector="GOV"))
    actors.add_mention("CHN", Span(13, 18, "China"), "ner")
    [s] = run(doc, actors)
    assert s.content == "China to stop the drills"
    assert s.event_type == "REQUEST"
    assert s.addressee == "CHN"
    assert s.rule == "statement/xcomp"


IN_STATEMENT = "Dorsey said in a statement that the officers discussed lines of communication."
IN_STATEMENT_ROWS: list[Row] = [
    ("Dorsey", 1, "nsubj", "PROPN", "NNP", "Dorsey", "B-PERSON"),
    ("said", 1, "ROOT", "VERB", "VBD", "say", "O"),
    ("in", 1, "prep", "ADP", "IN", "in", "O"),
    ("a", 4, "det", "DET", "DT", "a", "O"),
    ("statement", 2, "pobj", "NOUN", "NN", "statement", "O"),
    ("that", 8, "mark", "SCONJ", "IN", "that", "O"),
    ("the", 7, "det", "DET", "DT", "the", "O"),
    ("officers", 8, "nsubj", "NOUN", "NNS", "officer", "O"),
    ("discussed", 1, "ccomp", "VERB", "VBD", "discuss", "O"),
    ("lines", 8, "dobj", "NOUN", "NNS", "line", "O"),
    ("of", 9, "prep", "ADP", "IN", "of", "O"),
    ("communication", 10, "pobj", "NOUN", "NN", "communication", "O"),
    (".", 1, "punct", "PUNCT", ".", ".", "O"),
]


def test_statements_medium_phrase_joins_the_cue() -> None:
    doc = make_doc(IN_STATEMENT, IN_STATEMENT_ROWS)
    [s] = run(doc)
    assert text_of(doc, s.cue_span) == "said in a statement"
    assert s.rule == "statement/ccomp+medium"
    assert s.content == "that the officers discussed lines of communication"
    assert s.topics == ["communication"]


COORDINATED = "China said it was opposed and warned Pyongyang to refrain."
COORDINATED_ROWS: list[Row] = [
    ("China", 1, "nsubj", "PROPN", "NNP", "China", "B-GPE"),
    ("said", 1, "ROOT", "VERB", "VBD", "say", "O"),
    ("it", 3, "nsubj", "PRON", "PRP", "it", "O"),
    ("was", 1, "ccomp", "AUX", "VBD", "be", "O"),
    ("opposed", 3, "acomp", "ADJ", "JJ", "opposed", "O"),
    ("and", 3, "cc", "CCONJ", "CC", "and", "O"),
    ("warned", 3, "conj", "VERB", "VBD", "warn", "O"),
    ("Pyongyang", 6, "dobj", "PROPN", "NNP", "Pyongyang", "B-GPE"),
    ("to", 9, "aux", "PART", "TO", "to", "O"),
    ("refrain", 6, "xcomp", "VERB", "VB", "refrain", "O"),
    (".", 1, "punct", "PUNCT", ".", ".", "O"),
]


def test_statements_second_cue_hung_inside_the_first_content_keeps_the_first_speaker() -> None:
    doc = make_doc(COORDINATED, COORDINATED_ROWS)
    reg = small_registry()
    reg.verbs["warn"] = Verb(lemma="warn", event_type="THREATEN", strength=1.0)
    said, warned = run(doc, registry=reg)
    # spaCy hung "warned" on "was": the content of "said" stops before it ...
    assert said.content == "it was opposed"
    # ... and "warned" speaks for China, not for "it"
    assert text_of(doc, warned.speaker_span) == "China"
    assert warned.content == "Pyongyang to refrain" and warned.event_type == "THREATEN"


THINK = "Analysts believe that the call went well."
THINK_ROWS: list[Row] = [
    ("Analysts", 1, "nsubj", "NOUN", "NNS", "analyst", "O"),
    ("believe", 1, "ROOT", "VERB", "VBP", "believe", "O"),
    ("that", 5, "mark", "SCONJ", "IN", "that", "O"),
    ("the", 4, "det", "DET", "DT", "the", "O"),
    ("call", 5, "nsubj", "NOUN", "NN", "call", "O"),
    ("went", 1, "ccomp", "VERB", "VBD", "go", "O"),
    ("well", 5, "advmod", "ADV", "RB", "well", "O"),
    (".", 1, "punct", "PUNCT", ".", ".", "O"),
]


def test_statements_verbs_outside_the_registry_are_not_cues() -> None:
    doc = make_doc(THINK, THINK_ROWS)
    reg = small_registry()
    del reg.verbs["believe"]
    assert run(doc, registry=reg) == []
    [s] = run(doc)
    assert s.cue == "believe" and text_of(doc, s.speaker_span) == "Analysts"


def test_statements_empty_document_gives_nothing() -> None:
    assert run(spacy.blank("en")("   ")) == []


# ------------------------------------------------------------------ quotation marks (no parse)
def inner(text: str, q: Quote) -> str:
    return text[q.inner_start : q.inner_end]


def test_find_quotes_pairs_curly_and_straight_marks() -> None:
    text = 'He called it “a good start” and said "we will see."'
    quotes = find_quotes(text)
    assert [inner(text, q) for q in quotes] == ["a good start", "we will see."]
    assert all(q.closed for q in quotes)


def test_find_quotes_runs_on_into_a_paragraph_that_opens_with_a_mark() -> None:
    text = '"First part of a long quote.\n\n"Second part," she said.\nNext paragraph.'
    [q] = find_quotes(text)
    assert inner(text, q) == 'First part of a long quote.\n\n"Second part,'
    assert q.closed


def test_find_quotes_unclosed_quote_ends_with_its_paragraph() -> None:
    text = 'He said "this never closes\nA new paragraph with "a quote" in it.'
    first, second = find_quotes(text)
    assert inner(text, first) == "this never closes" and not first.closed
    assert inner(text, second) == "a quote"


def test_find_quotes_accepts_doubled_apostrophes_and_closing_mark_used_to_open() -> None:
    text = "They called them ''Manchurian anchors'' then.\n”Fear. Truly afraid.” ― A reader"
    quotes = find_quotes(text)
    assert [inner(text, q) for q in quotes] == ["Manchurian anchors", "Fear. Truly afraid."]


def test_find_quotes_leaves_apostrophes_alone() -> None:
    assert find_quotes("China’s navy and the US' allies don't agree about the ‘90s.") == []


def test_find_quotes_reads_british_single_marks_outside_double_ones() -> None:
    text = "The ministry called it ‘a useful exchange, but we don’t expect miracles’ on Friday."
    [q] = find_quotes(text)
    assert inner(text, q) == "a useful exchange, but we don’t expect miracles"
    nested = "“He said ‘no’ twice,” she said."
    assert [inner(nested, q) for q in find_quotes(nested)] == ["He said ‘no’ twice,"]


# ------------------------------------------------------------------ token patterns (blank pipeline)
def test_statements_name_after_dash_speaks_the_quote_before_it() -> None:
    doc = spacy.blank("en")("“We will not give up on dialogue.” ― Maria Lopez\nNext line.")
    [s] = run(doc)
    assert s.kind == "direct" and s.rule == "statement/dash"
    assert s.content == "We will not give up on dialogue."
    assert s.speaker_name == "Maria Lopez" and s.cue == "―"


def test_statements_transcript_label_with_colon_is_a_speaker() -> None:
    text = "HOST: What did the two sides agree on?\nMINISTER: We agreed to keep the hotline open."
    doc = spacy.blank("en")(text)
    first, second = run(doc)
    assert (first.speaker_name, second.speaker_name) == ("HOST", "MINISTER")
    assert second.content == "We agreed to keep the hotline open"
    assert second.cue == ":" and second.rule == "statement/colon"


def test_statements_a_transcript_turn_is_its_speakers_up_to_the_next_label() -> None:
    text = ("MODERATOR: Good morning. The minister will take questions after his remarks.\n\n"
            "SECRETARY OF DEFENSE JANE ROE: Thank you for coming today.\n\n"
            "We had a frank and useful exchange with our counterparts.\n\n"
            "Both sides agreed to keep the lines of communication open.\n\n"
            "Q: What did you discuss about the strait?\n\n"
            "This paragraph has no speaker label before it and follows a question.\n\n"
            "PREMIER LI QIANG, PREMIER OF THE PEOPLE'S REPUBLIC: It is a pleasure to host you in Beijing.")
    found = [(s.speaker_name, s.content, s.kind, s.rule) for s in run(spacy.blank("en")(text))]
    roe = [f for f in found if f[0] == "SECRETARY OF DEFENSE JANE ROE"]
    assert [f[1] for f in roe] == ["Thank you for coming today", "We had a frank and useful exchange with our counterparts",
                                   "Both sides agreed to keep the lines of communication open"]
    assert {f[2] for f in roe} == {"direct"} and roe[1][3] == "statement/turn"
    assert not any("no speaker label" in f[1] for f in found)  # the question ended the turn
    assert ("PREMIER LI QIANG", "It is a pleasure to host you in Beijing", "direct", "statement/colon") in found


def test_statements_headline_words_before_colon_are_not_a_speaker() -> None:
    doc = spacy.blank("en")("The Latest: Navies resume staff talks after two years")
    assert run(doc) == []


# ------------------------------------------------------------------ knowledge files
def test_package_registry_codes_reporting_verbs_and_cues() -> None:
    reg = get_registry()
    assert 60 <= len(reg.verbs) <= 150  # a sanity range: the file loads, and loads once
    assert reg.verbs["urge"].event_type == "REQUEST"
    assert reg.verbs["call for"].event_type == "REQUEST"
    assert reg.verbs["condemn"].event_type == "ACCUSE"
    assert reg.verbs["deny"].event_type == "REJECT"
    assert reg.verbs["warn"].event_type == "THREATEN"
    assert reg.verbs["pledge"].event_type == "AGREE"
    assert reg.verbs["welcome"].event_type == "SUPPORT"
    assert reg.verbs["say"].strength == 1.0 and reg.verbs["believe"].strength < 1.0
    kinds = {c.phrase: c.kind for c in reg.cues}
    assert kinds["according to"] == "source_follows"
    assert kinds["in a statement"] == "medium" and kinds["in a readout"] == "medium"


def test_topics_of_matches_terms_plurals_and_acronyms_as_written() -> None:
    reg = get_registry()
    found = topics_of("Both sides discussed arms sales, the LAC and guardrails to avoid miscalculations.", reg)
    assert {"arms_sales", "border", "communication"} <= set(found)
    assert "border" not in topics_of("a lac of progress", reg)
    assert topics_of("The Ren’ai Reef in the South China Sea", reg)[0] == "south_china_sea"
    assert topics_of("", reg) == []


# ------------------------------------------------------------------ the real model
def analyze(nlp: Language, text: str) -> list[Statement]:
    return extract_statements(nlp(text), get_registry(), ActorIndex(), [])


# ------------------------------------------------------------------ rules measured on PolNeAR dev
def test_statements_clause_parsed_as_adverbial_after_a_time_phrase_is_content() -> None:
    # spaCy may hang "she would visit Oslo" on "said" as an advcl when a phrase comes between
    text = "Berg said after the talks she would visit Oslo."
    doc = make_doc(text, [
        ("Berg", 1, "nsubj", "PROPN", "NNP", "Berg", "B-PERSON"),
        ("said", 1, "ROOT", "VERB", "VBD", "say", "O"),
        ("after", 7, "prep", "ADP", "IN", "after", "O"),
        ("the", 4, "det", "DET", "DT", "the", "O"),
        ("talks", 2, "pobj", "NOUN", "NNS", "talk", "O"),
        ("she", 7, "nsubj", "PRON", "PRP", "she", "O"),
        ("would", 7, "aux", "AUX", "MD", "would", "O"),
        ("visit", 1, "advcl", "VERB", "VB", "visit", "O"),
        ("Oslo", 7, "dobj", "PROPN", "NNP", "Oslo", "B-GPE"),
        (".", 1, "punct", "PUNCT", ".", ".", "O"),
    ])
    [s] = run(doc)
    # the clause starts at its subject: "after the talks" is when it was said
    assert (s.content, s.rule, text_of(doc, s.speaker_span)) == ("she would visit Oslo", "statement/ccomp", "Berg")


def test_statements_adverbial_clause_with_a_subordinator_is_not_content() -> None:
    text = "Berg said nothing if she could visit Oslo."
    doc = make_doc(text, [
        ("Berg", 1, "nsubj", "PROPN", "NNP", "Berg", "B-PERSON"),
        ("said", 1, "ROOT", "VERB", "VBD", "say", "O"),
        ("nothing", 1, "dobj", "PRON", "NN", "nothing", "O"),
        ("if", 6, "mark", "SCONJ", "IN", "if", "O"),
        ("she", 6, "nsubj", "PRON", "PRP", "she", "O"),
        ("could", 6, "aux", "AUX", "MD", "could", "O"),
        ("visit", 1, "advcl", "VERB", "VB", "visit", "O"),
        ("Oslo", 6, "dobj", "PROPN", "NNP", "Oslo", "B-GPE"),
        (".", 1, "punct", "PUNCT", ".", ".", "O"),
    ])
    assert all("visit" not in s.content for s in run(doc))


def test_statements_relative_clause_reported_by_a_cue_inside_it() -> None:
    # "which she said were unsafe": the content is what follows the cue (speaker and cue stand
    # between it and its relative word), and it does not stretch back over the main clause
    text = "Berg cited the drills, which she said were unsafe."
    doc = make_doc(text, [
        ("Berg", 1, "nsubj", "PROPN", "NNP", "Berg", "B-PERSON"),
        ("cited", 1, "ROOT", "VERB", "VBD", "cite", "O"),
        ("the", 3, "det", "DET", "DT", "the", "O"),
        ("drills", 1, "dobj", "NOUN", "NNS", "drill", "O"),
        (",", 3, "punct", "PUNCT", ",", ",", "O"),
        ("which", 8, "nsubj", "PRON", "WDT", "which", "O"),
        ("she", 7, "nsubj", "PRON", "PRP", "she", "O"),
        ("said", 3, "relcl", "VERB", "VBD", "say", "O"),
        ("were", 7, "ccomp", "AUX", "VBD", "be", "O"),
        ("unsafe", 8, "acomp", "ADJ", "JJ", "unsafe", "O"),
        (".", 1, "punct", "PUNCT", ".", ".", "O"),
    ])
    [s] = run(doc)
    assert text_of(doc, s.speaker_span) == "she" and text_of(doc, s.cue_span) == "said"
    assert s.content == text_of(doc, s.content_span) == "were unsafe"


def warning_doc(first: str, dep: str, pos: str, tag: str) -> Doc:
    """'<first> warning that the ice would crack went unheeded.'"""
    return make_doc(f"{first} warning that the ice would crack went unheeded.", [
        (first, 1, dep, pos, tag, first.lower(), "O"),
        ("warning", 7, "nsubj", "NOUN", "NN", "warning", "O"),
        ("that", 6, "mark", "SCONJ", "IN", "that", "O"),
        ("the", 4, "det", "DET", "DT", "the", "O"),
        ("ice", 6, "nsubj", "NOUN", "NN", "ice", "O"),
        ("would", 6, "aux", "AUX", "MD", "would", "O"),
        ("crack", 1, "acl", "VERB", "VB", "crack", "O"),
        ("went", 7, "ROOT", "VERB", "VBD", "go", "O"),
        ("unheeded", 7, "acomp", "ADJ", "JJ", "unheeded", "O"),
        (".", 7, "punct", "PUNCT", ".", ".", "O"),
    ])


def test_statements_noun_of_saying_with_an_owner_and_a_that_clause() -> None:
    doc = warning_doc("Her", "poss", "PRON", "PRP$")
    [s] = run(doc)
    assert (s.content, s.rule, text_of(doc, s.speaker_span), text_of(doc, s.cue_span)) == (
        "that the ice would crack", "statement/noun", "Her", "warning")


def test_statements_noun_of_saying_without_an_owner_is_not_a_statement() -> None:
    assert run(warning_doc("A", "det", "DET", "DT")) == []


def test_statements_name_right_before_the_cue_is_its_speaker_when_the_parse_has_none() -> None:
    # the parser hung "Berg" on the phrase before it, so "said" has no subject
    text = "In a talk with the staff of the Post Berg said that prices rose."
    doc = make_doc(text, [
        ("In", 10, "prep", "ADP", "IN", "in", "O"),
        ("a", 2, "det", "DET", "DT", "a", "O"),
        ("talk", 0, "pobj", "NOUN", "NN", "talk", "O"),
        ("with", 2, "prep", "ADP", "IN", "with", "O"),
        ("the", 5, "det", "DET", "DT", "the", "O"),
        ("staff", 3, "pobj", "NOUN", "NN", "staff", "O"),
        ("of", 5, "prep", "ADP", "IN", "of", "O"),
        ("the", 9, "det", "DET", "DT", "the", "O"),
        ("Post", 9, "compound", "PROPN", "NNP", "Post", "B-ORG"),
        ("Berg", 6, "pobj", "PROPN", "NNP", "Berg", "B-PERSON"),
        ("said", 10, "ROOT", "VERB", "VBD", "say", "O"),
        ("that", 13, "mark", "SCONJ", "IN", "that", "O"),
        ("prices", 13, "nsubj", "NOUN", "NNS", "price", "O"),
        ("rose", 10, "ccomp", "VERB", "VBD", "rise", "O"),
        (".", 10, "punct", "PUNCT", ".", ".", "O"),
    ])
    [s] = run(doc)
    assert s.content == "that prices rose"
    assert s.speaker_span is not None and s.speaker_span.text.endswith("Berg")


def test_statements_two_word_cue_with_a_time_word_between() -> None:
    text = "Berg called Friday for restraint at sea."
    doc = make_doc(text, [
        ("Berg", 1, "nsubj", "PROPN", "NNP", "Berg", "B-PERSON"),
        ("called", 1, "ROOT", "VERB", "VBD", "call", "O"),
        ("Friday", 1, "npadvmod", "PROPN", "NNP", "Friday", "B-DATE"),
        ("for", 1, "prep", "ADP", "IN", "for", "O"),
        ("restraint", 3, "pobj", "NOUN", "NN", "restraint", "O"),
        ("at", 4, "prep", "ADP", "IN", "at", "O"),
        ("sea", 5, "pobj", "NOUN", "NN", "sea", "O"),
        (".", 1, "punct", "PUNCT", ".", ".", "O"),
    ])
    [s] = run(doc)
    assert (s.cue, text_of(doc, s.cue_span), s.content, s.event_type) == ("call for", "called Friday for", "restraint at sea", "REQUEST")


@pytest.mark.model
def test_model_said_in_statement_with_quoted_fragment_is_mixed(nlp: Language) -> None:
    [s] = analyze(nlp, 'A navy spokesperson said in a statement that the ships "kept a safe distance at all times."')
    assert s.kind == "mixed"
    assert s.speaker_name == "A navy spokesperson"
    assert s.content.startswith("that the ships")


@pytest.mark.model
def test_model_quote_split_by_attribution_is_one_direct_statement(nlp: Language) -> None:
    text = '"We hope the hotline stays open," Minister Astrid Berg said. "Both fleets depend on it."'
    [s] = analyze(nlp, text)
    assert s.kind == "direct"
    assert s.speaker_span is not None and s.speaker_span.text == "Astrid Berg"
    assert s.content == "We hope the hotline stays open, Both fleets depend on it."


@pytest.mark.model
def test_model_colon_then_quoted_paragraph(nlp: Language) -> None:
    text = "The admiral said:\n\n\"Our crews will keep talking to each other at sea. That is the point.\"\n"
    [s] = analyze(nlp, text)
    assert s.kind == "direct" and s.rule == "statement/cue_before_quote"
    assert s.speaker_name == "The admiral"
    assert s.content.startswith("Our crews will keep talking")


@pytest.mark.model
def test_model_inverted_speaker_after_quote(nlp: Language) -> None:
    text = '"The channel is open again. It was closed for a year," said Tomas Reyes, a former ambassador.'
    [s] = analyze(nlp, text)
    assert s.kind == "direct"
    assert s.speaker_span is not None and s.speaker_span.text == "Tomas Reyes"


@pytest.mark.model
def test_model_called_on_and_pronoun_speaker(nlp: Language) -> None:
    text = "Defense Minister Astrid Berg met her Chilean counterpart on Monday. She called on both navies to share weather data."
    [s] = analyze(nlp, text)
    assert s.event_type == "REQUEST"
    assert s.speaker_span is not None and s.speaker_span.text == "She"
    assert s.speaker_name == "Astrid Berg"
    assert s.content == "both navies to share weather data"


@pytest.mark.model
def test_model_weak_verbs_count_only_next_to_a_quotation(nlp: Language) -> None:
    # "continue" has strength 0.3 in verbs.yaml: speech only when a quotation follows
    text = 'The admiral continued: "We will keep the line open." The navy continued to patrol the strait.'
    [s] = analyze(nlp, text)
    assert s.cue == "continue" and s.kind == "direct"
    assert s.content == "We will keep the line open."


@pytest.mark.model
def test_model_speech_verb_under_an_infinitive_is_not_a_statement(nlp: Language) -> None:
    # "declined to comment" is one statement (a refusal); "comment" itself said nothing
    [s] = analyze(nlp, "The minister declined to comment on the drills.")
    assert s.cue == "decline" and s.event_type == "REJECT"


# ------------------------------------------------------------------ the reference article
REFERENCE = "reference/liu-brown-video-call-2023-12.txt"


@pytest.mark.model
@pytest.mark.shared
def test_model_reference_article_speakers(nlp: Language, shared_dir: Path) -> None:
    path = shared_dir / REFERENCE
    if not path.is_file():
        pytest.skip(f"{REFERENCE} is absent from ../shared: the reference article is read at run time")
    text = path.read_text(encoding="utf-8")
    statements = analyze(nlp, text)
    by_speaker: dict[str, list[Statement]] = {}
    for s in statements:
        if s.speaker_span is not None:
            by_speaker.setdefault(s.speaker_span.text, []).append(s)

    def cues(*names: str) -> list[str]:
        return [s.cue_span.text for n in names for s in by_speaker.get(n, []) if s.cue_span]

    # Liu Zhenli: several statements, one of them told to Brown
    assert len(by_speaker.get("Liu", [])) + len(by_speaker.get("Liu Zhenli", [])) >= 4
    assert "told" in cues("Liu")
    assert "noting" in cues("Liu")
    # Jereal Dorsey: said in a statement that ... "quoted"
    [dorsey] = by_speaker["Jereal Dorsey"]
    assert dorsey.kind == "mixed" and dorsey.cue_span is not None and dorsey.cue_span.text == "said in a statement"
    # Zhuo Hua viewed ... as "...", saying ...
    zhuo = by_speaker["Zhuo Hua"]
    assert {"viewed", "saying"} <= set(cues("Zhuo Hua"))
    assert any(s.kind == "mixed" for s in zhuo)
    assert len(by_speaker.get("Zhuo", [])) >= 2
    # Xin Qiang told the Global Times on Friday that ...; ..., Xin said, "..."
    [xin_told] = by_speaker["Xin Qiang"]
    assert xin_told.cue_span is not None and xin_told.cue_span.text == "told"
    assert xin_told.reasons.get("addressee") == "no actor found at 'Global Times'"
    xin_kinds = sorted(s.kind for s in by_speaker["Xin"])
    assert "direct" in xin_kinds and "indirect" in xin_kinds
    # Li Haidong, Wang Wenbin, Andrew Hunter
    assert cues("Li Haidong") == ["told"]
    assert len(by_speaker.get("Li", [])) >= 2
    [wang] = by_speaker["Wang Wenbin"]
    assert wang.content.startswith("that China hopes")
    [hunter] = by_speaker["Andrew Hunter"]
    assert hunter.kind == "mixed"
    # nothing is said by a name that is not a speaker's
    assert not {"Brown", "Global Times", "Taiwan"} & set(by_speaker)


@pytest.mark.model
def test_statements_a_turn_under_a_titled_label_is_its_speakers_and_holds_their_own_reports(nlp: Language) -> None:
    """"Mr. HAYASHI Yoshimasa, Minister for Foreign Affairs:" opens a turn; its paragraphs are her direct
    statements, also where she reports her own words ("I stressed that ...") or her state's
    ("Japan demands that ..."), which give way to them; a formula of a few words ("That is all
    from me.") is no statement."""
    from readout.pipeline import analyze as analyze_text

    text = ("Opening Remarks\n\n"
            "Mr. HAYASHI Yoshimasa, Minister for Foreign Affairs: Let me begin with the launches by China this morning.\n\n"
            "At the meeting today, I stressed that the peace across the strait matters to the whole region.\n\n"
            "Japan demands that China stop the drills at once, as the vice-minister told the Chinese ambassador.\n\n"
            "That is all from me.")
    found = analyze_text(text, published="2022-08-04", outlet="Ministry of Foreign Affairs of Japan").statements
    hers = [s for s in found if s.speaker == "yoshimasa-hayashi"]
    assert [s.kind for s in hers] == ["direct", "direct", "direct"]
    assert any("I stressed that the peace across the strait" in s.content for s in hers)
    assert any(s.content.startswith("Japan demands that China stop the drills") for s in hers)
    assert not [s for s in found if s.content.startswith("the peace across the strait")]  # not again as an indirect one
    assert not [s for s in found if "That is all from me" in s.content]


@pytest.mark.model
def test_statements_a_text_about_one_states_own_affairs_yields_none(nlp: Language) -> None:
    """Statements are claims for a side between states: a housing plan that names one state
    yields none; the same claim beside a second state is kept."""
    from readout.pipeline import analyze as analyze_text

    home = "The Chancellor said the plan would build new homes in every region of Britain by the end of the decade."
    assert analyze_text(home, published="2024-07-30", outlet="HM Treasury").statements == []
    abroad = "The Chancellor said the plan would draw investment from Japan into new homes in every region of Britain."
    assert [s.speaker_name for s in analyze_text(abroad, published="2024-07-30", outlet="HM Treasury").statements] == ["Chancellor"]
