"""Rule tests for actors, engagements and channel status. No model: the documents are short
texts written for these tests (tests/fixtures/make_fixtures.py), parsed once and stored as
Doc JSON, so each test runs the rules on a real parse without loading spaCy's model."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from readout.extract.actors import extract_actors, outlet_country
from readout.extract.base import ActorIndex, split_final_periods
from readout.extract.channels import extract_channel_status
from readout.extract.engagements import find_engagements
from readout.records import DateValue, Span
from readout.registry import get_registry

FIXTURES = json.loads((Path(__file__).parent / "fixtures" / "parsed.json").read_text(encoding="utf-8"))
VOCAB = spacy.blank("en").vocab
REG = get_registry()


def doc(name: str) -> Doc:
    return split_final_periods(Doc(VOCAB).from_json(FIXTURES[name]))


def date_at(d: Doc, raw: str, value: str, precision: str = "day", relation: str | None = None) -> DateValue:
    """A resolved date for the first occurrence of ``raw`` (the dates extractor has its own tests)."""
    start = d.text.index(raw)
    return DateValue(value, precision, raw, Span(start, start + len(raw), raw), "test", relation=relation)  # type: ignore[arg-type]


def actors_of(name: str, published: date = date(2024, 4, 18), outlet: str | None = None) -> tuple[Doc, ActorIndex]:
    d = doc(name)
    return d, extract_actors(d, REG, published, outlet)


# ------------------------------------------------------------------ actors
def test_actors_resolve_registry_people_and_organizations() -> None:
    _, idx = actors_of("video_call_latter_request")
    ids = {a.id for a in idx.actors}
    assert {"dong-jun", "lloyd-austin", "chn-mnd", "CHN", "USA"} <= ids
    assert idx.get("lloyd-austin").country == "USA"  # type: ignore[union-attr]
    # 'Dong' later in the text is the same person
    assert len(idx.get("dong-jun").mentions) == 2  # type: ignore[union-attr]


def test_actors_a_registry_full_name_wins_over_a_longer_name_the_parser_ran_on() -> None:
    _, idx = actors_of("run_on_name", date(2023, 2, 8), "U.S. Department of Defense")
    assert {a.id for a in idx.actors if a.kind == "person"} == {"lloyd-austin", "richard-marles"}



def test_actors_a_label_the_parser_ran_into_a_name_is_cut_off() -> None:
    _, idx = actors_of("label_before_a_name", date(2024, 1, 22), "Voice of America")
    people = {a.id for a in idx.actors if a.kind == "person"}
    assert "emmanuel-macron" in people and not any(ch.isdigit() for p in people for ch in p)



def test_actors_a_bare_surname_under_a_post_the_registry_person_never_held_is_someone_else() -> None:
    d, idx = actors_of("title_the_person_never_held", date(2023, 3, 17))
    brown = idx.get("charles-q-brown")
    assert brown is not None  # "General Brown, the Air Force chief" is he
    assert all(d.text[m.start:m.end] != "Brown" or d.text[:m.start].endswith("General ") for m in brown.mentions)



def test_actors_an_unknown_person_with_a_post_the_outlets_side_fills_is_not_given_its_country() -> None:
    _, idx = actors_of("a_president_the_registry_lacks", date(2024, 6, 3), "U.S. Department of Defense")
    people = {a.name: a.country for a in idx.actors if a.kind == "person"}
    assert people["Tomas Zelenko"] is None  # the US president that day is someone else
    assert people["Mary Stone"] == "USA"  # no post: the outlet's side, as before


def test_actors_unknown_expert_takes_country_and_sector_from_apposition() -> None:
    _, idx = actors_of("expert_apposition")
    wu = idx.get("wu-lan")
    assert wu is not None
    assert (wu.country, wu.sector) == ("CHN", "ACA")
    assert "research fellow" in (wu.title or "")


def test_actors_pronoun_resolves_to_the_person_named_before() -> None:
    d, idx = actors_of("expert_apposition")
    she = d.text.index("She")
    assert idx.at(she, she + 3).id == "wu-lan"  # type: ignore[union-attr]


def test_actors_side_phrase_and_capital_metonym_resolve_to_states() -> None:
    d, idx = actors_of("side_phrase_and_pronoun")
    side = d.text.index("The Chinese side")
    assert idx.at(side, side + len("The Chinese side")).id == "CHN"  # type: ignore[union-attr]
    wash = d.text.index("Washington")
    assert idx.at(wash, wash + 10).id == "USA"  # type: ignore[union-attr]
    he = d.text.index(" he ") + 1
    assert idx.at(he, he + 2).id == "lloyd-austin"  # type: ignore[union-attr]


def test_actors_role_resolves_by_publication_date() -> None:
    assert [p.id for p in REG.holders("defense_minister", "USA", date(2024, 6, 1))] == ["lloyd-austin"]
    assert [p.id for p in REG.holders("defense_minister", "USA", date(2025, 6, 1))] == ["pete-hegseth"]


def test_outlet_country_reads_names_with_a_country_suffix() -> None:
    assert outlet_country("Global Times", REG) == "CHN"
    assert outlet_country("Ministry of National Defense of the PRC (sample)", REG) == "CHN"
    assert outlet_country("Some Blog", REG) is None


# ------------------------------------------------------------------ engagements
def test_engagement_video_call_with_initiator_from_the_latters_request() -> None:
    d, idx = actors_of("video_call_latter_request")
    dates = [date_at(d, "Tuesday", "2024-04-16")]
    engs, proposals = find_engagements(d, REG, idx, dates, date(2024, 4, 18))
    assert not proposals
    assert len(engs) == 1  # "the call" later refers back to it
    e = engs[0]
    assert e.kind == "video_call" and e.medium == "video"
    assert e.participants == ["dong-jun", "lloyd-austin"]
    assert e.dyad == ["CHN", "USA"]
    assert e.initiator == "lloyd-austin"  # the latter
    assert e.date is not None and e.date.value == "2024-04-16"
    assert e.channel == "chn-usa-defense-ministers"
    assert len(e.evidence) == 2


def test_engagement_heads_of_state_meeting_is_a_summit_and_unnamed_leaders_stay_unnamed() -> None:
    d, idx = actors_of("summit_heads_of_state", published=date(2023, 12, 22))
    dates = [date_at(d, "last November", "2023-11", "month")]
    engs, _ = find_engagements(d, REG, idx, dates, date(2023, 12, 22))
    summits = [e for e in engs if e.kind == "summit"]
    assert len(summits) == 1
    # "the two heads of state of China and the United States": the text names neither
    assert not [p for p in summits[0].participants if (a := idx.get(p)) is not None and a.kind == "person"]
    assert summits[0].dyad == ["CHN", "USA"]
    assert summits[0].location and summits[0].location.startswith("Woodside")
    assert summits[0].date is not None and summits[0].date.value == "2023-11"


def test_engagement_visit_takes_the_destination_as_the_other_side() -> None:
    d, idx = actors_of("visit", published=date(2022, 8, 10))
    engs, _ = find_engagements(d, REG, idx, [date_at(d, "August 2022", "2022-08", "month")], date(2022, 8, 10))
    visits = [e for e in engs if e.kind == "visit"]
    assert len(visits) == 1
    assert visits[0].participants == ["nancy-pelosi"]
    assert visits[0].dyad == ["TWN", "USA"]


def test_engagement_requested_and_declined_is_a_declined_engagement_and_a_proposal() -> None:
    d, idx = actors_of("channel_declined", published=date(2023, 2, 10))
    engs, proposals = find_engagements(d, REG, idx, [], date(2023, 2, 10))
    assert [(e.kind, e.status) for e in engs] == [("call", "declined")]
    assert proposals and proposals[0].states == ("requested", "declined")
    assert proposals[0].requester == "USA"


# ------------------------------------------------------------------ channel status
def statuses(name: str, dates_spec: list[tuple[str, str, str]], published: date) -> set[tuple[str, str, str | None]]:
    d, idx = actors_of(name, published=published)
    dates = [date_at(d, raw, value, precision) for raw, value, precision in dates_spec]
    engs, proposals = find_engagements(d, REG, idx, dates, published)
    out = extract_channel_status(d, REG, idx, dates, engs, proposals=proposals)
    return {(c.channel, c.status, c.date.value if c.date else None) for c in out}


def test_channel_status_agreed_and_suspended_in_one_sentence_take_their_own_dates() -> None:
    got = statuses("summit_heads_of_state", [("last November", "2023-11", "month"), ("August 2022", "2022-08", "month")], date(2023, 12, 22))
    assert ("chn-usa-military-communication", "agreed_to_resume", "2023-11") in got
    assert ("chn-usa-military-communication", "suspended", "2022-08") in got


def test_channel_status_expected_to_resume_by_alias() -> None:
    got = statuses("channel_expected_to_resume", [], date(2024, 1, 8))
    assert ("chn-usa-mmca", "expected_to_resume", None) in got


def test_channel_status_keywords_find_theatre_commanders_in_british_spelling() -> None:
    got = statuses("theater_commanders_keywords", [("2022", "2022", "year"), ("September 2024", "2024-09", "month")], date(2024, 9, 20))
    assert ("chn-usa-theater-commanders", "suspended", "2022") in got
    assert ("chn-usa-theater-commanders", "resumed", "2024-09") in got


def test_channel_status_declined_request_for_defense_chiefs_call() -> None:
    got = statuses("channel_declined", [], date(2023, 2, 10))
    kinds = {(c, s) for c, s, _ in got}
    assert kinds and all(s in ("requested", "declined") for _, s in kinds)


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_every_record_carries_evidence_that_points_into_the_text(name: str) -> None:
    d, idx = actors_of(name)
    engs, proposals = find_engagements(d, REG, idx, [], date(2024, 4, 18))
    for rec in [*engs, *extract_channel_status(d, REG, idx, [], engs, proposals=proposals)]:
        assert rec.evidence and rec.rule
        for ev in rec.evidence:
            assert d.text[ev.start:ev.end] == ev.text
    for m in idx.mentions:
        assert d.text[m.start:m.end] == m.span.text


# ------------------------------------------------------------------ what happened to an engagement
def engagement_statuses(name: str, published: date, dates: list[tuple[str, str, str]] = ()) -> list[tuple[str, str, list[str]]]:  # type: ignore[assignment]
    """(kind, status, dyad) of each engagement the rules find; ``dates`` are (raw, value,
    precision) for the dates extractor's part."""
    d, idx = actors_of(name, published)
    ds = [date_at(d, raw, value, precision) for raw, value, precision in dates]
    engagements, _ = find_engagements(d, REG, idx, ds, published)
    return [(e.kind, e.status, e.dyad) for e in engagements]


def test_status_will_meet_is_planned() -> None:
    found = engagement_statuses("status_will_meet", date(2024, 5, 29), [("Friday", "2024-05-31", "day")])
    assert found == [("meeting", "planned", ["CHN", "USA"])]


def test_status_a_date_after_publication_makes_a_plain_report_planned() -> None:
    # the same words read as held when the text is published after the day
    held = engagement_statuses("status_held_talks", date(2024, 6, 2), [("May 31", "2024-05-31", "day")])
    ahead = engagement_statuses("status_held_talks", date(2024, 5, 20), [("May 31", "2024-05-31", "day")])
    # two defense ministers "held talks": a meeting on their channel, which meets as meetings
    assert held == [("meeting", "held", ["CHN", "USA"])]
    assert ahead == [("meeting", "planned", ["CHN", "USA"])]


@pytest.mark.parametrize(("name", "status"), [
    ("status_called_off", "cancelled"),            # a verb with its particle
    ("status_cancellation_noun", "cancelled"),     # a noun: "the cancellation of the meeting"
    ("status_declined_invitation", "declined"),    # turned down beats invited
    ("status_postponed_visit", "postponed"),       # the passive
    ("status_requested_call", "requested"),
    ("status_preparations", "planned"),            # "preparations are under way for ..."
])
def test_status_from_the_words_that_govern_the_trigger(name: str, status: str) -> None:
    found = engagement_statuses(name, date(2024, 4, 18))
    assert [s for _, s, _ in found] == [status], found


@pytest.mark.parametrize("name", ["status_could_call", "status_did_not_meet", "status_without_talks"])
def test_status_denied_or_imagined_contacts_are_no_engagement(name: str) -> None:
    assert engagement_statuses(name, date(2024, 4, 18)) == []


def test_status_declined_engagement_also_gives_the_proposal_for_its_channel() -> None:
    d, idx = actors_of("status_requested_call")
    _, proposals = find_engagements(d, REG, idx, [], date(2024, 4, 18))
    assert [p.states for p in proposals] == [("requested",)]


def test_a_name_ending_a_sentence_loses_its_full_stop() -> None:
    # "... and Dong Jun." is tokenized with "Jun." (June); the name must still resolve
    d, idx = actors_of("status_requested_call")
    dong = idx.get("dong-jun")
    assert dong is not None and [m.text for m in dong.mentions] == ["Dong Jun"]
    assert not [a for a in idx.actors if a.name.endswith(".")]


# ------------------------------------------------------------------ real pages' shapes
def engagements_of(name: str, published: date, outlet: str | None = None, earliest: date | None = None) -> tuple[Doc, ActorIndex, list]:  # type: ignore[type-arg]
    """The engagements the rules find, with the real dates extractor and the outlet's country."""
    from readout.extract.dates import extract_dates

    d, idx = actors_of(name, published, outlet)
    engs, _ = find_engagements(d, REG, idx, extract_dates(d, published, earliest=earliest), published,
                               outlet_country(outlet, REG), earliest, outlet)
    return d, idx, engs


def names(idx: ActorIndex, ids: list[str]) -> set[str]:
    return {a.name for p in ids if (a := idx.get(p)) is not None}


def test_bylines_and_photo_credits_name_no_participant() -> None:
    _, idx, engs = engagements_of("layout_byline_caption", date(2024, 6, 1), "U.S. Department of Defense")
    assert [(e.kind, e.date.value if e.date else None) for e in engs] == [("meeting", "2024-05-31")]
    assert set(engs[0].participants) == {"lloyd-austin", "dong-jun"}  # not Jane Roe (byline) nor John Doe (credit)


def test_transcript_speaker_is_the_i_of_his_turn() -> None:
    _, idx, engs = engagements_of("transcript_turns", date(2024, 4, 16), "U.S. Department of Defense")
    calls = [e for e in engs if e.kind == "call"]
    assert calls and {"lloyd-austin", "dong-jun"} <= set(calls[0].participants)
    assert calls[0].dyad == ["CHN", "USA"]


def test_meeting_counterparts_from_a_list_of_states_is_one_engagement_per_state() -> None:
    _, _, engs = engagements_of("counterparts_list", date(2024, 11, 21), "U.S. Department of Defense")
    assert sorted(tuple(e.dyad) for e in engs) == [("LAO", "USA"), ("NZL", "USA"), ("SGP", "USA")]
    assert {e.date.value for e in engs if e.date} == {"2024-11-20"}


def test_counterparts_from_two_states_of_a_bare_title_are_two_contacts_of_the_readouts_side() -> None:
    _, _, engs = engagements_of("two_counterparts", date(2022, 4, 12), "U.S. Department of Defense")
    assert sorted(tuple(e.dyad) for e in engs) == [("POL", "USA"), ("ROU", "USA")]


def test_great_to_meet_a_list_of_leaders_is_held_and_one_meeting_per_state_not_a_summit() -> None:
    _, _, engs = engagements_of("great_to_meet_a_list", date(2024, 6, 2), "U.S. Department of Defense")
    assert sorted((tuple(e.dyad), e.kind, e.status) for e in engs) == [
        (("AUS", "USA"), "meeting", "held"), (("PHL", "USA"), "meeting", "held"), (("SGP", "USA"), "meeting", "held")]


def test_a_contact_without_a_date_takes_the_date_of_the_sentence_before_in_its_paragraph() -> None:
    _, idx, engs = engagements_of("date_from_context", date(2024, 8, 8))  # a Thursday
    by_people = {frozenset(names(idx, e.participants)): e for e in engs}
    assert len(by_people) == 2  # the same host and another counterpart of the same side: two meetings
    dutton = next(e for k, e in by_people.items() if "Peter Dutton" in k)
    assert dutton.date is not None and dutton.date.value == "2024-08-06" and "date_from_context" in dutton.rule


def test_a_governments_readout_dates_its_own_contact_by_publication_and_says_so() -> None:
    _, _, engs = engagements_of("lead_by_publication", date(2022, 4, 13), "U.S. Department of Defense")
    assert [(e.kind, e.date.value if e.date else None) for e in engs] == [("call", "2022-04-13")]
    assert engs[0].date is not None and "publishes" in (engs[0].date.reason or "")
    # the same words from independent press stay undated
    _, _, press = engagements_of("lead_by_publication", date(2022, 4, 13), "Reuters")
    assert [e.date for e in press] == [None]


def test_the_two_leaders_are_the_two_people_named_before() -> None:
    _, idx, engs = engagements_of("the_two_leaders", date(2022, 11, 18))
    call = next(e for e in engs if e.kind == "call")
    assert call.date is not None and call.date.value == "2021-10"
    assert names(idx, call.participants) == {"Fumio Kishida", "Xi Jinping"}


@pytest.mark.parametrize("name", ["multilateral_meetings", "weak_dialogue"])
def test_gatherings_of_many_states_and_mere_dialogue_are_no_engagement(name: str) -> None:
    _, _, engs = engagements_of(name, date(2023, 7, 15), "Ministry of Foreign Affairs of Japan")
    assert engs == []


def test_speaking_to_a_party_is_a_call_and_to_reporters_is_not() -> None:
    _, idx, engs = engagements_of("speaks_to_a_party", date(2017, 9, 26), "Prime Minister's Office, 10 Downing Street")
    assert [(e.kind, e.dyad) for e in engs] == [("call", ["CHN", "GBR"])]
    assert names(idx, engs[0].participants) == {"Xi Jinping"}  # "The Prime Minister" is not named


def test_a_subject_the_parser_hung_under_a_participle_still_takes_part() -> None:
    _, _, engs = engagements_of("stray_subject", date(2024, 3, 3), "Ministry of Foreign Affairs of Japan")
    assert len(engs) == 1 and engs[0].dyad == ["JPN", "KOR"] and engs[0].date and engs[0].date.value == "2024-03-03"


def test_leaders_meeting_on_the_sidelines_is_a_meeting_not_a_summit() -> None:
    _, _, engs = engagements_of("sidelines_meeting", date(2024, 10, 24))
    assert [(e.kind, e.dyad) for e in engs] == [("meeting", ["CHN", "IND"])]


def test_leaders_meeting_at_a_multilateral_gathering_is_a_meeting_and_on_their_own_a_summit() -> None:
    _, _, engs = engagements_of("met_at_a_gathering", date(2024, 11, 20))
    assert sorted((e.kind, e.status) for e in engs) == [("meeting", "held"), ("summit", "planned")]


def test_the_two_ministers_are_not_the_parties_of_a_visit_whose_visitor_is_named() -> None:
    _, _, engs = engagements_of("the_two_and_an_owned_visit", date(2022, 7, 30))
    visit = next(e for e in engs if e.kind == "visit")
    assert visit.participants == ["joe-biden"] and visit.date is not None and visit.date.value == "2022-05"


def test_one_set_to_meet_plans_the_meeting_and_takes_part_in_it() -> None:
    _, _, engs = engagements_of("set_to_meet", date(2023, 11, 8))
    assert [(e.status, sorted(e.participants)) for e in engs] == [("planned", ["joe-biden", "xi-jinping"])]


def test_an_offices_headline_meeting_with_the_other_side_is_the_office_holders_own() -> None:
    _, _, engs = engagements_of("headline_of_an_office", date(2023, 11, 7), "Prime Minister of Australia")
    assert [(e.kind, e.dyad, sorted(e.participants)) for e in engs] == [("summit", ["AUS", "CHN"], ["anthony-albanese", "li-qiang"])]
    assert engs[0].date is not None and engs[0].date.value == "2023-11-07"
    _, _, press = engagements_of("headline_of_an_office", date(2023, 11, 7), "Reuters")
    assert press == []  # independent press speaks for no side


def test_a_list_of_dated_pairs_under_a_heading_naming_calls_is_one_call_per_line() -> None:
    _, _, engs = engagements_of("listed_contacts", date(2021, 10, 5), "Ministry of Foreign Affairs of Japan")
    got = sorted((e.date.value if e.date else None, e.kind, tuple(sorted(e.participants))) for e in engs)
    assert got == [("2016-11-09", "call", ("donald-trump", "shinzo-abe")),
                   ("2020-09-20", "call", ("donald-trump", "yoshihide-suga")),
                   ("2021-10-05", "call", ("fumio-kishida", "joe-biden"))]


def test_their_dated_call_is_a_contact_of_its_own_and_a_visit_is_between_visitor_and_visited() -> None:
    _, _, engs = engagements_of("their_call_and_a_visit", date(2024, 5, 20), "Department of Foreign Affairs and Trade")
    got = {(e.kind, tuple(e.dyad), e.date.value if e.date else None): sorted(e.participants) for e in engs}
    assert got[("call", ("AUS", "CHN"), "2024-05-02")] == ["penny-wong", "wang-yi"]
    assert got[("meeting", ("AUS", "CHN"), "2024-05-20")] == ["penny-wong", "wang-yi"]
    assert [k for k in got if k[0] == "visit"] and all(k[1] == ("AUS", "IDN") for k in got if k[0] == "visit")


def test_after_meeting_with_y_the_subject_of_the_clause_met_y_and_a_background_contact_keeps_no_date() -> None:
    _, _, engs = engagements_of("after_meeting_in_the_background", date(2024, 9, 10), "U.S. Department of Defense")
    held = [e for e in engs if e.status == "held"]
    assert [sorted(e.participants) for e in held] == [["joe-biden", "xi-jinping"]]
    assert held[0].date is None  # the story opens with the talks to come: the summit is background


def test_a_call_with_other_leaders_of_a_group_is_a_gathering_and_a_considered_visit_is_not_held() -> None:
    assert engagements_of("with_other_leaders", date(2022, 4, 10))[2] == []
    _, _, engs = engagements_of("considers_a_visit", date(2020, 1, 20))
    assert [(e.kind, e.dyad, e.status) for e in engs] == [("visit", ["CHN", "JPN"], "planned")]


def test_a_medium_phrase_takes_the_other_side_from_the_contact_it_is_the_medium_of() -> None:
    _, _, engs = engagements_of("engagement_via_teleconference", date(2024, 4, 16), "U.S. Department of Defense")
    assert [(e.kind, e.dyad, sorted(e.participants)) for e in engs] == [("video_call", ["CHN", "USA"], ["dong-jun", "lloyd-austin"])]


def test_calling_a_person_is_a_call_and_calling_on_or_for_is_not() -> None:
    _, _, engs = engagements_of("called_a_person", date(2023, 10, 14), "U.S. Department of State")
    assert [(e.kind, e.dyad, e.date.value if e.date else None) for e in engs] == [("call", ["CHN", "USA"], "2023-10-10")]


def test_a_summit_named_for_two_leaders_is_theirs_not_a_gatherings_name() -> None:
    _, _, engs = engagements_of("hyphenated_summit", date(2023, 5, 10))
    assert [(e.kind, e.dyad, e.date.value if e.date else None, sorted(e.participants)) for e in engs] == [
        ("summit", ["KOR", "USA"], "2023-04", ["joe-biden", "yoon-suk-yeol"])]


def test_a_prime_minister_meeting_a_president_is_a_summit_and_meeting_a_minister_is_not() -> None:
    """Heads of state or government, as the roles data ranks them, by the titles held that day."""
    _, _, engs = engagements_of("prime_minister_meets_president", date(2023, 6, 9))
    assert sorted((e.kind, tuple(sorted(e.participants))) for e in engs) == [
        ("meeting", ("antony-blinken", "rishi-sunak")), ("summit", ("joe-biden", "rishi-sunak"))]


def test_a_visit_that_frames_a_meeting_is_not_a_second_engagement() -> None:
    _, _, engs = engagements_of("visit_frame", date(2022, 5, 24))
    assert [e.kind for e in engs] == ["meeting"]


def test_a_meeting_that_frames_a_future_clause_is_planned() -> None:
    _, _, engs = engagements_of("meeting_frames_future", date(2024, 9, 13), "Prime Minister's Office, 10 Downing Street")
    assert [e.status for e in engs] == ["planned"]


def test_meeting_virtually_is_a_video_call() -> None:
    _, _, engs = engagements_of("meet_virtually", date(2022, 4, 8), "The White House")  # a Friday
    assert [(e.kind, e.status, e.date.value if e.date else None) for e in engs] == [("video_call", "planned", "2022-04-11")]


def test_a_ships_port_visit_is_no_engagement() -> None:
    _, _, engs = engagements_of("port_visit", date(2024, 9, 9))
    assert engs == []


def test_a_trip_to_attend_a_conference_is_no_bilateral_visit() -> None:
    _, _, engs = engagements_of("visit_to_attend", date(2023, 2, 20))
    assert [(e.kind, e.dyad) for e in engs] == [("meeting", ["CHN", "JPN"])]


@pytest.mark.model
def test_no_sentence_ends_after_a_titles_abbreviation(nlp: spacy.language.Language) -> None:
    """The pipeline's own component: 'H.E.' and 'Mr.' never end a sentence, a blank line always does."""
    doc = nlp("Minister for Foreign Affairs H.E. Mr. Fumio Kishida met Mr. Wang Yi.\n\nThe talks lasted an hour.")
    assert [s.text.strip() for s in doc.sents] == [
        "Minister for Foreign Affairs H.E. Mr. Fumio Kishida met Mr. Wang Yi.", "The talks lasted an hour."]


@pytest.mark.model
def test_no_sentence_starts_at_a_small_letter_after_a_full_stop(nlp: spacy.language.Language) -> None:
    """'a.m.' and 'U.S.' end in a full stop; the word after it in small letters goes on the sentence."""
    doc = nlp("On September 14, commencing at 9:20a.m. for about 10 minutes, the minister held a call with the "
              "U.S. side. The talk lasted ten minutes.")
    assert [s.text.strip() for s in doc.sents] == [
        "On September 14, commencing at 9:20a.m. for about 10 minutes, the minister held a call with the U.S. side.",
        "The talk lasted ten minutes."]


@pytest.mark.model
def test_no_sentence_starts_inside_brackets_opened_on_the_same_line(nlp: spacy.language.Language) -> None:
    doc = nlp("On May 2, commencing at 4:10 p.m. (local time. 5:10 a.m. on May 3, Tokyo time.), for about 30 minutes, "
              "the minister met his counterpart. The talk was frank.")
    assert len(list(doc.sents)) == 2


def test_a_call_named_in_a_during_phrase_took_place_and_a_governments_readout_dates_it() -> None:
    _, idx, engs = engagements_of("during_the_conversation", date(2019, 7, 17), "President of Russia")
    assert [(e.kind, e.status, e.dyad) for e in engs] == [("call", "held", ["DEU", "RUS"])]
    assert names(idx, engs[0].participants) == {"Vladimir Putin", "Angela Merkel"}
    assert engs[0].date is not None and engs[0].date.value == "2019-07-17"


def test_a_contact_only_the_headline_names_is_the_lead_a_government_dates_by_publication() -> None:
    _, idx, engs = engagements_of("headline_only_contact", date(2023, 2, 8), "U.S. Department of Defense")
    assert [(e.kind, e.dyad) for e in engs] == [("meeting", ["AUS", "USA"])]
    assert engs[0].date is not None and engs[0].date.value == "2023-02-08"
    # the registry's full names win over whatever the parser runs them into in a title-case headline
    assert {a.id for a in idx.actors if a.kind == "person"} == {"lloyd-austin", "richard-marles"}


def test_a_post_followed_by_rank_words_and_a_name_is_that_persons_title() -> None:
    """"Chairman of the Joint Chiefs of Staff Air Force Gen. CQ Brown": the post is Brown's, not
    whoever else holds a chief-of-defense post in a state the text names."""
    _, idx, engs = engagements_of("rank_words_between_post_and_name", date(2024, 3, 5), "U.S. Department of Defense")
    assert {a.id for a in idx.actors if a.kind == "person"} == {"charles-q-brown", "liu-zhenli"}
    assert [(e.kind, e.dyad) for e in engs] == [("video_call", ["CHN", "USA"])]
    assert names(idx, engs[0].participants) == {"Charles Q. Brown Jr.", "Liu Zhenli"}


def test_an_unknown_name_in_apposition_to_a_title_takes_the_titles_country() -> None:
    """"the Kenyan minister of defense, Amos Wekesa Tiongo": Kenya, not the outlet's country; and
    "X is going to host Y": X takes part."""
    _, idx, engs = engagements_of("name_in_apposition_to_a_title", date(2023, 8, 9), "U.S. Department of Defense")
    guest = next(a for a in idx.actors if a.name == "Amos Wekesa Tiongo")
    assert guest.country == "KEN"
    assert [(e.kind, e.status, e.dyad) for e in engs] == [("meeting", "planned", ["KEN", "USA"])]
    assert names(idx, engs[0].participants) == {"Lloyd J. Austin III", "Amos Wekesa Tiongo"}


def test_a_contact_without_a_subject_in_a_speakers_turn_is_the_speakers_own() -> None:
    """In a transcript turn, "It was good to meet with X", "Also had a meeting with X" and "I sat
    down with X" are the speaker's contacts; "I look forward tomorrow to visiting Cambodia" is a
    planned visit on the next day, "We hope to meet again some day" is no contact."""
    _, idx, engs = engagements_of("subjectless_contact_in_a_turn", date(2024, 6, 2), "U.S. Department of Defense")
    got = sorted((e.kind, e.status, tuple(e.dyad)) for e in engs)
    assert got == [("meeting", "held", ("CHN", "USA")), ("meeting", "held", ("PHL", "USA")),
                   ("meeting", "held", ("SGP", "USA")), ("visit", "planned", ("KHM", "USA"))]
    visit = next(e for e in engs if e.kind == "visit")
    assert visit.date is not None and visit.date.value == "2024-06-03"
    for e in engs:
        assert "Lloyd J. Austin III" in names(idx, e.participants)


def test_given_names_beside_a_registry_surname_are_that_person() -> None:
    """"Mr. Dmytro Ivanovych KULEBA" and "Mr. Lavrov, Sergey Viktorovich": given name and
    patronymic beside the surname are one person, not a second actor of another country."""
    _, idx = actors_of("given_names_beside_a_surname", date(2023, 5, 6), "Ministry of Foreign Affairs of Japan")
    people = {a.id: a.country for a in idx.actors if a.kind == "person"}
    assert people == {"yoshimasa-hayashi": "JPN", "dmytro-kuleba": "UKR", "sergey-lavrov": "RUS"}


def test_talks_between_two_named_principals_are_a_meeting_a_dialogue_round_stays_talks() -> None:
    _, idx, engs = engagements_of("two_principals_hold_talks", date(2024, 3, 22), "Reuters")
    kinds = sorted((e.kind, e.date.value if e.date else None) for e in engs)
    assert ("meeting", "2024-03-19") in kinds
    assert all(k != "meeting" or d == "2024-03-19" for k, d in kinds)


def test_a_third_state_named_as_the_place_is_not_a_side_and_the_headline_merges() -> None:
    """A line above that names the same two people is the same meeting, not a second one; and
    when merging, a third state the sentence names ("during his visit to Indonesia") is not a
    side of a contact whose two people are of two states."""
    from readout.extract.engagements import _Draft, _merge

    _, idx, engs = engagements_of("a_third_state_named_as_the_place", date(2023, 7, 14), "Ministry of Foreign Affairs of Japan")
    assert [(e.kind, e.dyad, e.date.value if e.date else None) for e in engs] == [("meeting", ["CHN", "JPN"], "2023-07-14")]
    people = ["yoshimasa-hayashi", "wang-yi"]
    body = _Draft("meeting", 30, 31, 20, participants=list(people), countries=["CHN", "JPN", "IDN"])
    line = _Draft("meeting", 2, 3, 0, participants=list(people), countries=["JPN", "CHN"], headline=True)
    assert len(_merge([body, line], idx)) == 1


def test_a_line_without_a_verb_names_the_planned_contact_not_a_held_one() -> None:
    _, idx, engs = engagements_of("a_verbless_line_names_a_planned_contact", date(2022, 4, 10), "The White House")
    assert [(e.kind, e.status, e.dyad) for e in engs] == [("video_call", "planned", ["IND", "USA"])]


def test_a_governments_undated_lead_takes_the_day_its_title_line_gives() -> None:
    _, idx, engs = engagements_of("a_title_line_dates_the_lead", date(2019, 5, 4), "Prime Minister's Office, 10 Downing Street")
    assert [(e.kind, e.dyad, e.date.value if e.date else None) for e in engs] == [("call", ["FRA", "GBR"], "2019-05-03")]


def test_a_ministers_meeting_named_by_its_people_is_not_the_summit_named_by_its_states() -> None:
    from readout.extract.engagements import _Draft, _merge

    _, idx = actors_of("given_names_beside_a_surname", date(2023, 5, 6), "Ministry of Foreign Affairs of Japan")
    ministers = _Draft("meeting", 5, 6, 0, participants=["yoshimasa-hayashi", "sergey-lavrov"], countries=["JPN", "RUS"])
    summit = _Draft("summit", 30, 31, 20, participants=["JPN", "RUS"], countries=["JPN", "RUS"], location="Moscow")
    assert len(_merge([ministers, summit], idx)) == 2


def test_a_gathering_named_with_a_possessive_is_no_contact_and_a_strait_is_no_state() -> None:
    """"the ASEAN Plus Three Foreign Ministers' Meeting" is a gathering ("Ministers'" a possessive
    that holds the multilateral word); "the Taiwan Strait" and "the South China Sea" are places,
    not mentions of Taiwan or China."""
    _, idx, engs = engagements_of("a_gathering_named_with_a_possessive", date(2020, 9, 9), "Ministry of Foreign Affairs of Japan")
    assert engs == []
    assert not [a for a in idx.actors if a.kind == "state" and a.country in ("TWN", "CHN")]


def test_a_possessive_goes_to_the_person_of_its_own_sentence_not_the_spokesman_before() -> None:
    _, idx, engs = engagements_of("a_possessive_in_the_sentence_of_its_owner", date(2023, 10, 12), "Joint Chiefs of Staff")
    assert [(e.kind, e.dyad) for e in engs] == [("call", ["CAN", "USA"])]
    assert names(idx, engs[0].participants) == {"Charles Q. Brown Jr.", "Wayne Eyre"}


def test_a_round_later_this_year_is_planned() -> None:
    _, idx, engs = engagements_of("a_round_later_this_year", date(2021, 5, 28), "U.S. Department of Defense")
    got = sorted((e.kind, e.status, e.date.value if e.date else None) for e in engs)
    assert ("talks", "planned", "2021") in got and ("meeting", "held", "2021-05-28") in got


def test_a_bilateral_channels_name_gives_the_contact_its_two_states() -> None:
    """"our Annual Leaders' Meeting" in the Australian Prime Minister's remarks: the channel's
    two states, though the text names neither."""
    _, idx, engs = engagements_of("a_channels_name_gives_its_states", date(2024, 6, 17), "Prime Minister of Australia")
    assert [(e.kind, e.dyad, e.date.value if e.date else None) for e in engs] == [("summit", ["AUS", "CHN"], "2024-06-17")]


def test_summit_meetings_with_a_list_are_one_summit_per_state_and_coordination_plans_a_meeting() -> None:
    """"Summit Meetings with Ms. Park ..., and Mr. Li ..., are scheduled" in the Japanese foreign
    ministry's transcript: a planned summit of Japan with each; "coordination is taking place
    on holding a meeting": planned, not held."""
    _, idx, engs = engagements_of("summit_meetings_with_a_list_are_scheduled", date(2015, 10, 30), "Ministry of Foreign Affairs of Japan")
    got = sorted((e.kind, e.status, tuple(e.dyad)) for e in engs)
    assert got == [("meeting", "planned", ("JPN", "RUS")), ("summit", "planned", ("CHN", "JPN")), ("summit", "planned", ("JPN", "KOR"))]


def test_they_who_spoke_on_the_phone_are_the_two_people_of_the_contact_before() -> None:
    _, idx, engs = engagements_of("they_spoke_on_the_phone", date(2022, 6, 11), "U.S. Department of Defense")
    got = sorted((e.kind, e.dyad, e.date.value if e.date else None) for e in engs)
    assert got == [("call", ["CHN", "USA"], "2022-04"), ("meeting", ["CHN", "USA"], "2022-06-10")]
    call = next(e for e in engs if e.kind == "call")
    assert names(idx, call.participants) == {"Lloyd J. Austin III", "Wei Fenghe"}


def test_a_joint_call_a_notification_received_and_troops_met_are_no_contact_between_two_states() -> None:
    """"spoke to leaders of A, B, C and D": a joint call, no pair of them; "received a
    notification from the ROK side": the notification is not a guest; "meet with U.S. and
    Philippine forces": troops are not a side."""
    _, idx, engs = engagements_of("contacts_that_are_not_contacts", date(2025, 5, 19), "Prime Minister's Office, 10 Downing Street")
    assert [(e.kind, e.dyad) for e in engs] == []


def test_a_caption_that_speaks_during_a_meeting_is_the_meeting_not_a_call() -> None:
    _, idx, engs = engagements_of("a_caption_speaks_during_a_meeting", date(2014, 7, 11), "Voice of America")
    assert [(e.kind, e.dyad) for e in engs] == [("meeting", ["CHN", "USA"])]


def test_a_meeting_in_an_after_clause_takes_the_time_of_the_clause_it_is_the_occasion_of() -> None:
    """"won China's agreement to return to military-to-military talks last November after meeting
    with Xi": the summit in November; the channel agreed to resume then."""
    d, idx, engs = engagements_of("agreement_after_meeting", date(2024, 9, 10), "U.S. Department of Defense")
    assert [(e.kind, e.dyad, e.date.value if e.date else None) for e in engs] == [("summit", ["CHN", "USA"], "2023-11")]
    from readout.extract.dates import extract_dates

    got = extract_channel_status(d, REG, idx, extract_dates(d, date(2024, 9, 10)), engs)
    assert {(c.channel, c.status, c.date.value if c.date else None) for c in got} == {("chn-usa-military-communication", "agreed_to_resume", "2023-11")}


def test_talks_on_two_days_are_dated_by_the_first_not_the_bare_second() -> None:
    _, idx, engs = engagements_of("two_days_of_talks", date(2015, 10, 15), "Ministry of Foreign Affairs of Japan")
    assert engs and {(e.kind, e.date.value if e.date else None) for e in engs} == {("talks", "2015-10-13")}


def test_the_two_who_agree_on_holding_another_meeting_give_its_states_not_its_people() -> None:
    _, idx, engs = engagements_of("the_two_speak_of_another_meeting", date(2012, 9, 26), "Ministry of Foreign Affairs of Japan")
    planned = [e for e in engs if e.status == "planned"]
    assert [(e.kind, e.dyad, e.date.value if e.date else None) for e in planned] == [("meeting", ["JPN", "RUS"], "2012-10")]
    assert not [p for p in planned[0].participants if p not in ("JPN", "RUS")]


def test_a_conversation_in_a_place_is_a_meeting_and_one_the_story_follows_is_not_dated_by_publication() -> None:
    """"following the conversation between Biden and Xi in Bali": the leaders met (a summit),
    before the story's day, so the government's publication date is not its date; "a useful
    conversation about trade" with no place is no contact of its own."""
    _, idx, engs = engagements_of("a_conversation_in_a_place", date(2023, 6, 14), "U.S. Department of State")
    assert [(e.kind, e.dyad, e.date.value if e.date else None) for e in engs] == [("summit", ["CHN", "USA"], None)]
    assert names(idx, engs[0].participants) == {"Joe Biden", "Xi Jinping"}


def test_a_state_the_meeting_discussed_is_not_a_party_of_it() -> None:
    """"In today's meeting, we discussed ... the challenges regarding China": the clause a
    meeting frames names its parties in its subject and addressee, not in its topic."""
    _, idx, engs = engagements_of("a_meeting_that_discussed_a_third_state", date(2023, 6, 1), "U.S. Department of Defense")
    assert not [e for e in engs if "CHN" in e.dyad]
