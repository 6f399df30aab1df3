"""Channel status rules: whose channel a sentence is about, sentences that hold no channel, and
generic wordings resolved to the umbrella of the sentence's dyad. No model: the texts are
written for these tests (tests/fixtures/make_fixtures.py, CHANNEL_TEXTS), parsed once and
stored as Doc JSON in tests/fixtures/channels_parsed.json."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from readout.extract.actors import extract_actors
from readout.extract.channels import extract_channel_status
from readout.extract.engagements import find_engagements
from readout.records import ChannelStatus, DateValue, Span
from readout.registry import get_registry

FIXTURES = json.loads((Path(__file__).parent / "fixtures" / "channels_parsed.json").read_text(encoding="utf-8"))
VOCAB = spacy.blank("en").vocab
REG = get_registry()


def doc(name: str) -> Doc:
    return Doc(VOCAB).from_json(FIXTURES[name])


def date_at(d: Doc, raw: str, value: str | None, precision: str | None = "day", relation: str | None = None) -> DateValue:
    start = d.text.index(raw)
    return DateValue(value, precision, raw, Span(start, start + len(raw), raw), "test", relation=relation)  # type: ignore[arg-type]


def analyze(name: str, published: date, dates: list[tuple[str, str | None, str | None]] = (),  # type: ignore[assignment]
            durations: list[str] = ()) -> list[ChannelStatus]:  # type: ignore[assignment]
    d = doc(name)
    idx = extract_actors(d, REG, published, None)
    values = [date_at(d, raw, value, precision) for raw, value, precision in dates]
    values += [date_at(d, raw, None, None, "duration") for raw in durations]
    values.sort(key=lambda v: v.span.start if v.span else 0)
    engs, proposals = find_engagements(d, REG, idx, values, published)
    return extract_channel_status(d, REG, idx, values, engs, proposals=proposals)


def triples(records: list[ChannelStatus]) -> set[tuple[str, str, str | None]]:
    return {(c.channel, c.status, c.date.value if c.date else None) for c in records}


# ------------------------------------------------------------------ assertions belong to their dyad
def test_a_japan_china_hotline_never_feeds_the_us_china_one() -> None:
    got = analyze("japan_china_hotline", date(2023, 5, 17), [("on Tuesday", "2023-05-16", "day")])
    assert not [c for c in got if c.channel.startswith("chn-usa")], got
    # "defense hotline" is a name of both hotlines: the sentence's parties pick the Japan-China one
    assert ("chn-jpn-maritime-air-communication", "held", "2023-05-16") in triples(got)
    assert all(c.dyad == ["CHN", "JPN"] for c in got)


def test_a_name_two_dyads_share_goes_to_the_dyad_of_the_sentence() -> None:
    got = analyze("korean_hotline", date(2023, 4, 10), [("on Friday", "2023-04-07", "day")])
    channels = {c.channel for c in got}
    assert "chn-usa-dtl" not in channels
    assert ("kor-prk-military-hotline", "suspended") in {(c.channel, c.status) for c in got}


def test_a_country_named_as_a_place_or_topic_is_no_party() -> None:
    """'over the visit to Taiwan' does not make the sentence about China and Taiwan."""
    got = triples(analyze("topic_country", date(2022, 8, 6)))
    assert ("chn-usa-dpct", "suspended", None) in got
    assert ("chn-usa-mmca", "suspended", None) in got


# ------------------------------------------------------------------ sentences that hold no channel
def test_seldom_used_and_set_up_in_2008_are_not_held() -> None:
    got = analyze("hotline_seldom_used", date(2023, 2, 9), [("2008", "2008", "year")])
    assert ("chn-usa-dtl", "established", "2008") in triples(got)
    assert not [c for c in got if c.status in ("held", "resumed")], got


def test_a_hotline_that_exists_is_not_held() -> None:
    got = analyze("hotline_exists", date(2023, 2, 9), [("on Friday", "2023-02-03", "day")])
    assert not [c for c in got if c.status in ("held", "resumed")], got


@pytest.mark.parametrize("name", ["handshake_no_talks", "encounter_without_talks"])
def test_a_handshake_or_encounter_without_talks_holds_no_channel(name: str) -> None:
    got = analyze(name, date(2023, 6, 5))
    assert not [c for c in got if c.status in ("held", "resumed")], got


def test_an_agreement_that_commanders_would_speak_again_is_not_a_call_held() -> None:
    got = analyze("future_call", date(2023, 11, 16))
    assert not [c for c in got if c.status == "held"], got


# ------------------------------------------------------------------ "first": a resumption only after a stretch without contact
def test_the_first_round_ever_is_held_not_resumed() -> None:
    got = analyze("first_round_ever", date(2012, 5, 16), [("on Tuesday", "2012-05-15", "day"), ("last December", "2011-12", "month")])
    statuses = {c.status for c in got if c.channel == "chn-jpn-maritime-affairs-consultation"}
    assert "resumed" not in statuses, got


def test_the_first_talks_in_five_years_resumed_them() -> None:
    got = analyze("first_in_years", date(2024, 12, 19), [("on Wednesday", "2024-12-18", "day")], durations=["five years"])
    assert ("chn-ind-special-representatives", "resumed", "2024-12-18") in triples(got), got


# ------------------------------------------------------------------ generic wordings
def test_generic_wordings_resolve_to_the_umbrella_of_the_sentence_dyad() -> None:
    got = analyze("generic_by_dyad", date(2023, 1, 10), [("August 2022", "2022-08", "month"), ("March 2022", "2022-03", "month"),
                                                          ("on Monday", "2023-01-09", "day")])
    found = triples(got)
    assert ("chn-usa-military-communication", "suspended", "2022-08") in found
    assert ("rus-usa-high-level-military-dialogue", "suspended", "2022-03") in found
    # a dyad whose umbrella no knowledge file declares has it by convention
    other = [c for c in got if c.channel == "chl-nor-military-communication"]
    assert other and other[0].dyad == ["CHL", "NOR"] and other[0].status == "agreed_to_resume"
    assert all(c.generic for c in got)  # each was named only generically


# ------------------------------------------------------------------ a suspension in any form
@pytest.mark.parametrize(("name", "dates", "expected"), [
    # a noun: "the cancellation of the talks"
    ("suspension_noun", [("August 2022", "2022-08", "month")], {("chn-usa-dpct", "suspended", "2022-08")}),
    # items of a list of measures, each on its own line
    ("suspension_list_items", [], {("chn-usa-theater-commanders", "suspended", None), ("chn-usa-mmca", "suspended", None)}),
    # a relative clause: "the talks that Beijing called off"
    ("suspension_relative_clause", [("2022", "2022", "year")], {("chn-usa-mmca", "suspended", "2022")}),
])
def test_a_suspension_is_found_as_a_verb_a_noun_a_list_item_or_a_relative_clause(
        name: str, dates: list[tuple[str, str, str]], expected: set[tuple[str, str, str | None]]) -> None:
    got = triples(analyze(name, date(2023, 3, 1), dates))
    assert expected <= got, got


def test_a_round_to_come_of_a_channel_no_one_stopped_is_no_channel_status() -> None:
    """"at the 2+2 later this year", "his intention to hold the next ... Dialogue": the next
    round of a running channel is a planned engagement, not an expected resumption nor a held one."""
    got = analyze("a_round_of_a_running_channel_to_come", date(2021, 5, 28), [("later this year", "2021", "year"), ("within this year", "2021", "year")])
    assert not [c for c in got if c.status in ("expected_to_resume", "held", "resumed")], got


def test_a_round_to_come_after_the_text_reports_a_suspension_is_an_expected_resumption() -> None:
    got = analyze("a_round_to_come_after_a_suspension", date(2022, 9, 2), [("in August", "2022-08", "month"), ("next year", "2023", "year")])
    assert {(c.channel, c.status) for c in got} >= {("chn-usa-mmca", "suspended"), ("chn-usa-mmca", "expected_to_resume")}


def test_a_channel_that_has_been_held_since_a_year_was_set_up_that_year() -> None:
    """"has been held ... since 2007": established in 2007; "the first talks since 2021" is a
    resumption's, not a beginning."""
    from readout.extract.dates import extract_dates

    d = doc("a_channel_held_since_a_year")
    published = date(2013, 3, 27)
    idx = extract_actors(d, REG, published, None)
    values = extract_dates(d, published)
    engs, proposals = find_engagements(d, REG, idx, values, published)
    got = extract_channel_status(d, REG, idx, values, engs, proposals=proposals)
    established = {(c.channel, c.date.value if c.date else None) for c in got if c.status == "established"}
    assert established == {("ind-jpn-foreign-ministers-strategic-dialogue", "2007")}
