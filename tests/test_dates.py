"""Date expressions: finding them and resolving them against the publication date.

Rule tests run on ``spacy.blank("en")`` documents (no model): the patterns find weekday and
month expressions without NER, and tense comes from the words of the clause. Where a test
needs entities they are set by hand. Tests marked ``model`` run the pinned pipeline.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from readout.extract.dates import dates_in, extract_dates, resolve_date_text
from readout.records import DateValue

FRIDAY = date(2024, 5, 17)  # a Friday
THURSDAY = date(2024, 5, 16)


@pytest.fixture(scope="module")
def blank() -> Language:
    return spacy.blank("en")


def run(blank: Language, text: str, published: date | None) -> list[DateValue]:
    return extract_dates(blank(text), published)


def only(blank: Language, text: str, published: date | None) -> DateValue:
    found = run(blank, text, published)
    assert len(found) == 1, [d.raw for d in found]
    return found[0]


def by_raw(dates: list[DateValue]) -> dict[str, DateValue]:
    return {d.raw: d for d in dates}


# --------------------------------------------------------------------------- weekdays
def test_dates_resolves_weekday_before_publication(blank: Language) -> None:
    d = only(blank, "The two navy chiefs spoke by phone on Thursday.", FRIDAY)
    assert (d.value, d.precision, d.raw, d.rule) == ("2024-05-16", "day", "Thursday", "weekday_before_published")
    assert d.relation is None and d.reason is None


def test_dates_weekday_on_publication_day_is_that_day(blank: Language) -> None:
    d = only(blank, "The two navy chiefs spoke by phone on Thursday.", THURSDAY)
    assert d.value == "2024-05-16"


def test_dates_weekday_earlier_in_the_week_goes_back(blank: Language) -> None:
    d = only(blank, "Envoys met in Oslo on Monday.", FRIDAY)
    assert d.value == "2024-05-13"


@pytest.mark.parametrize(
    "text", ["They spoke on Thursday night.", "They spoke on Thursday morning.", "They spoke late Thursday."]
)
def test_dates_weekday_with_part_of_day_is_one_expression(blank: Language, text: str) -> None:
    d = only(blank, text, FRIDAY)
    assert d.value == "2024-05-16"
    assert "Thursday" in d.raw


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The two ministers will meet on Monday in Geneva.", "2024-05-20"),
        ("The next round of talks is scheduled for Tuesday.", "2024-05-21"),
        ("Officials said the delegations are expected to hold talks on Wednesday.", "2024-05-22"),
        ("On Monday, the two sides will hold a video call.", "2024-05-20"),
        ("The defense chiefs plan to speak on Saturday, an aide said.", "2024-05-18"),
        ("They will talk again on Friday.", "2024-05-24"),
    ],
)
def test_dates_future_tense_weekday_resolves_after_publication(blank: Language, text: str, expected: str) -> None:
    d = only(blank, text, FRIDAY)
    assert d.value == expected
    assert d.rule == "weekday_after_published"


def test_dates_reported_clause_keeps_each_verbs_tense(blank: Language) -> None:
    found = run(blank, "The ministry said on Wednesday that the admirals would meet on Monday.", FRIDAY)
    assert [d.value for d in found] == ["2024-05-15", "2024-05-20"]


def test_dates_past_tense_after_an_earlier_future_sentence(blank: Language) -> None:
    found = run(blank, "The envoys will meet again on Monday. They last met on Tuesday.", FRIDAY)
    assert [d.value for d in found] == ["2024-05-20", "2024-05-14"]


def test_dates_next_to_is_not_a_future_cue(blank: Language) -> None:
    assert only(blank, "Envoys met next to the old harbour on Tuesday.", FRIDAY).value == "2024-05-14"


def test_dates_last_next_and_this_weekday(blank: Language) -> None:
    found = by_raw(run(blank, "They met last Friday, will meet next Friday and talk this Wednesday.", FRIDAY))
    assert found["last Friday"].value == "2024-05-10"
    assert found["next Friday"].value == "2024-05-24"
    assert found["this Wednesday"].value == "2024-05-15"


def test_dates_from_weekday_to_weekday_gives_from_and_until(blank: Language) -> None:
    found = run(blank, "Staff officers met from Tuesday to Thursday in Lima.", FRIDAY)
    assert [(d.raw, d.value, d.relation) for d in found] == [
        ("from Tuesday", "2024-05-14", "from"),
        ("to Thursday", "2024-05-16", "until"),
    ]


# --------------------------------------------------------------------------- month and day
@pytest.mark.parametrize(
    ("text", "raw"),
    [
        ("The frigate docked on December 15.", "December 15"),
        ("The frigate docked on Dec. 15.", "Dec. 15"),
        ("The frigate docked on 15 December.", "15 December"),
        ("The frigate docked on the 15th of December.", "15th of December"),
    ],
)
def test_dates_month_day_without_year_takes_publication_year(blank: Language, text: str, raw: str) -> None:
    d = only(blank, text, date(2023, 12, 22))
    assert (d.value, d.precision, d.raw, d.rule) == ("2023-12-15", "day", raw, "month_day")


@pytest.mark.parametrize(
    ("text", "rule"), [("on December 15, 2023", "absolute_full"), ("on 2023-12-15", "absolute_iso")]
)
def test_dates_absolute_day_ignores_publication(blank: Language, text: str, rule: str) -> None:
    d = only(blank, f"The frigate docked {text}.", date(2025, 3, 1))
    assert (d.value, d.rule) == ("2023-12-15", rule)


def test_dates_month_day_without_year_crosses_year_boundary(blank: Language) -> None:
    d = only(blank, "The coast guards exchanged letters on December 28.", date(2024, 1, 3))
    assert d.value == "2023-12-28"


def test_dates_future_month_day_crosses_into_next_year(blank: Language) -> None:
    d = only(blank, "The working group will convene on January 9.", date(2023, 12, 22))
    assert (d.value, d.rule) == ("2024-01-09", "month_day_after_published")


def test_dates_month_day_with_year_word(blank: Language) -> None:
    d = only(blank, "The hotline was set up on March 3 last year.", date(2024, 5, 17))
    assert (d.value, d.precision) == ("2023-03-03", "day")


def test_dates_weekday_with_month_day_picks_the_matching_year(blank: Language) -> None:
    d = only(blank, "They spoke on Thursday, Dec. 28, officials said.", date(2024, 1, 3))
    assert (d.value, d.rule) == ("2023-12-28", "weekday_month_day")


def test_dates_day_of_month_after_on(blank: Language) -> None:
    found = run(blank, "The drill ended on the 12th, before the 15th round of talks.", FRIDAY)
    assert [(d.raw, d.value) for d in found] == [("the 12th", "2024-05-12")]


def test_dates_day_range_resolves_to_first_day(blank: Language) -> None:
    d = only(blank, "The sessions, held December 14-16, covered air safety.", date(2023, 12, 22))
    assert (d.value, d.raw) == ("2023-12-14", "December 14-16")


# --------------------------------------------------------------------------- months
def test_dates_last_month_name_is_most_recent_before_publication_month(blank: Language) -> None:
    # Said in December 2023, "last November" is the November just gone...
    assert only(blank, "The leaders met last November.", date(2023, 12, 22)).value == "2023-11"
    # ...said in November 2023 it is the November of the year before (this one is "this month").
    d = only(blank, "The leaders met last November.", date(2023, 11, 20))
    assert (d.value, d.precision, d.rule) == ("2022-11", "month", "last_month_name")


def test_dates_month_name_is_most_recent_up_to_publication_month(blank: Language) -> None:
    assert only(blank, "The leaders met in November.", date(2023, 12, 22)).value == "2023-11"
    assert only(blank, "The leaders met in December.", date(2023, 12, 22)).value == "2023-12"
    assert only(blank, "The leaders met in February.", date(2023, 1, 10)).value == "2022-02"


def test_dates_future_month_name_is_next_such_month(blank: Language) -> None:
    d = only(blank, "The ministers will meet in November.", date(2023, 12, 22))
    assert (d.value, d.rule) == ("2024-11", "month_name_after_published")


def test_dates_this_and_next_month_name(blank: Language) -> None:
    found = by_raw(run(blank, "Drills planned this March were moved to next February.", date(2023, 12, 22)))
    assert found["this March"].value == "2023-03"
    assert found["next February"].value == "2024-02"


def test_dates_since_month_is_most_recent_past_with_relation_since(blank: Language) -> None:
    d = only(blank, "Contacts have grown since July.", date(2023, 12, 22))
    assert (d.value, d.precision, d.relation, d.raw) == ("2023-07", "month", "since", "since July")


@pytest.mark.parametrize(
    ("text", "value"), [("in August 2022", "2022-08"), ("July 2022", "2022-07"), ("in March of 2019", "2019-03")]
)
def test_dates_month_year(blank: Language, text: str, value: str) -> None:
    d = only(blank, f"Channels were cut {text} after the visit.", None)
    assert (d.value, d.precision, d.rule) == (value, "month", "month_year")


def test_dates_relative_months(blank: Language) -> None:
    found = by_raw(
        run(blank, "Talks stalled last month, resumed earlier this month and go on next month.", date(2024, 1, 10))
    )
    assert found["last month"].value == "2023-12"
    assert (found["earlier this month"].value, found["earlier this month"].relation) == ("2024-01", None)
    assert found["next month"].value == "2024-02"


def test_dates_may_the_modal_verb_is_not_a_month(blank: Language) -> None:
    found = run(blank, "May the talks go well. Officials may meet in May.", date(2024, 3, 1))
    assert [(d.raw, d.value) for d in found] == [("May", "2023-05")]


def test_dates_part_of_month_keeps_month_precision(blank: Language) -> None:
    d = only(blank, "The proposal was made in early May.", date(2024, 6, 1))
    assert (d.value, d.precision, d.relation) == ("2024-05", "month", "early")


# --------------------------------------------------------------------------- weeks and years
def test_dates_this_week_is_monday_of_publication_week_with_relation_week(blank: Language) -> None:
    found = by_raw(run(blank, "Delegates arrived this week, after talks last week.", FRIDAY))
    assert (found["this week"].value, found["this week"].precision, found["this week"].relation) == (
        "2024-05-13",
        "day",
        "week",
    )
    assert found["last week"].value == "2024-05-06"


def test_dates_year_expressions(blank: Language) -> None:
    text = "Ties thawed earlier this year after a chill last year; a pact from 2021 and a crisis in mid-2022 loom."
    found = by_raw(run(blank, text, date(2023, 12, 22)))
    assert (found["earlier this year"].value, found["earlier this year"].precision) == ("2023", "year")
    assert found["last year"].value == "2022"
    assert (found["from 2021"].value, found["from 2021"].relation) == ("2021", "from")
    assert (found["mid-2022"].value, found["mid-2022"].precision, found["mid-2022"].relation) == ("2022", "year", "mid")


def test_dates_by_the_end_of_year_has_relation_by(blank: Language) -> None:
    d = only(blank, "The yard aims to deliver the corvettes by the end of 2027.", date(2024, 2, 1))
    assert (d.value, d.precision, d.relation, d.raw, d.rule) == (
        "2027",
        "year",
        "by",
        "by the end of 2027",
        "end_of_year",
    )


def test_dates_end_of_year_without_preposition_has_relation_end(blank: Language) -> None:
    d = only(blank, "A review is due at the end of 2025.", date(2024, 2, 1))
    assert (d.value, d.relation) == ("2025", "end")


def test_dates_year_end_is_publication_year(blank: Language) -> None:
    d = only(blank, "The year-end call between the two generals was brief.", date(2023, 12, 22))
    assert (d.value, d.precision, d.relation, d.raw) == ("2023", "year", "end", "year-end")


def test_dates_bare_year_needs_a_preposition_or_a_date_entity(blank: Language) -> None:
    assert run(blank, "The 2022 summit set up 2000 patrols.", None) == []
    doc = blank("The 2022 summit set up new patrols.")
    span = doc.char_span(4, 8, label="DATE")
    assert span is not None
    doc.ents = [span]
    found = extract_dates(doc, None)
    assert [(d.value, d.precision, d.raw) for d in found] == [("2022", "year", "2022")]


def test_dates_year_after_in_is_year_precision(blank: Language) -> None:
    d = only(blank, "The accord was signed in 2021.", None)
    assert (d.value, d.precision, d.rule) == ("2021", "year", "year")


def test_dates_decade_is_left_unresolved(blank: Language) -> None:
    d = only(blank, "Exchanges began in the 1990s.", date(2024, 1, 1))
    assert d.value is None and d.precision is None
    assert d.reason is not None and "decade" in d.reason


# --------------------------------------------------------------------------- relative days
def test_dates_yesterday_and_today(blank: Language) -> None:
    found = by_raw(run(blank, "The envoy arrived yesterday and leaves today.", FRIDAY))
    assert found["yesterday"].value == "2024-05-16"
    assert found["today"].value == "2024-05-17"


def test_dates_ago(blank: Language) -> None:
    found = by_raw(run(blank, "The line went silent three days ago; talks broke off two years ago.", FRIDAY))
    assert found["three days ago"].value == "2024-05-14"
    assert (found["two years ago"].value, found["two years ago"].precision) == ("2022", "year")


def test_dates_on_the_day_takes_the_day_named_earlier_in_the_sentence(blank: Language) -> None:
    found = run(blank, "The generals spoke on Thursday, and the ministry issued a note on the day.", FRIDAY)
    assert [(d.raw, d.value, d.rule) for d in found] == [
        ("Thursday", "2024-05-16", "weekday_before_published"),
        ("the day", "2024-05-16", "same_day"),
    ]


def test_dates_on_the_same_day_at_sentence_start_takes_previous_sentence(blank: Language) -> None:
    found = run(blank, "The envoys met on May 2. On the same day, sanctions were announced.", FRIDAY)
    assert [d.value for d in found] == ["2024-05-02", "2024-05-02"]


def test_dates_on_the_day_without_a_day_gives_reason(blank: Language) -> None:
    d = only(blank, "The ministry issued a note on the day.", FRIDAY)
    assert d.value is None
    assert d.reason is not None and "another event" in d.reason


def test_dates_the_day_of_an_event_is_not_a_date(blank: Language) -> None:
    assert run(blank, "Ships were recalled on the day of the vote.", FRIDAY) == []


# --------------------------------------------------------------------------- durations
def test_dates_duration_is_kept_without_value(blank: Language) -> None:
    d = only(blank, "It was the first high-level call for more than a year.", FRIDAY)
    assert (d.value, d.precision, d.relation, d.raw, d.rule) == (None, None, "duration", "more than a year", "duration")
    assert d.reason is not None and "duration" in d.reason


@pytest.mark.parametrize(
    "text", ["The talks lasted three years.", "They meet twice a year.", "A 67-year-old admiral spoke."]
)
def test_dates_durations_that_cannot_matter_are_not_emitted(blank: Language, text: str) -> None:
    assert run(blank, text, FRIDAY) == []


def test_dates_first_in_n_years_is_a_duration(blank: Language) -> None:
    d = only(blank, "It was their first meeting in five years.", FRIDAY)
    assert (d.raw, d.relation) == ("five years", "duration")


# --------------------------------------------------------------------------- no publication date
def test_dates_without_publication_date_relative_dates_give_reason(blank: Language) -> None:
    found = by_raw(run(blank, "The chiefs spoke on Thursday, a year after talks on December 15, 2023.", None))
    thursday = found["Thursday"]
    assert thursday.value is None and thursday.precision is None
    assert thursday.reason == "no publication date: pass --published YYYY-MM-DD to resolve 'Thursday'"
    assert found["December 15, 2023"].value == "2023-12-15"


@pytest.mark.parametrize("text", ["in November", "last month", "on March 4", "yesterday", "by year-end"])
def test_dates_without_publication_date_every_relative_form_says_why(blank: Language, text: str) -> None:
    d = only(blank, f"Officials met {text}.", None)
    assert d.value is None
    assert d.reason is not None and d.reason.startswith("no publication date: pass --published YYYY-MM-DD")


# --------------------------------------------------------------------------- entities
def test_dates_entities_and_patterns_are_not_double_counted(blank: Language) -> None:
    text = "The call took place on Thursday night in Rome."
    doc = blank(text)
    t = text.index("Thursday")
    thursday, night = doc.char_span(t, t + 8, label="DATE"), doc.char_span(t + 9, t + 14, label="TIME")
    assert thursday is not None and night is not None
    doc.ents = [thursday, night]
    found = extract_dates(doc, FRIDAY)
    assert [(d.raw, d.value) for d in found] == [("Thursday night", "2024-05-16")]


def test_dates_unknown_date_entity_is_kept_with_reason(blank: Language) -> None:
    text = "Both fleets stood down over the weekend and in recent months."
    doc = blank(text)
    w, r = text.index("the weekend"), text.index("recent months")
    weekend, recent = doc.char_span(w, w + 11, label="DATE"), doc.char_span(r, r + 13, label="DATE")
    assert weekend is not None and recent is not None
    doc.ents = [weekend, recent]
    found = by_raw(extract_dates(doc, FRIDAY))
    assert found["the weekend"].value is None and found["the weekend"].rule == "ner_unresolved"
    assert found["recent months"].relation == "duration"


def test_dates_spans_point_into_the_text(blank: Language) -> None:
    text = (
        "On Tuesday the two coast guards agreed, since March, to meet by the end of next year; "
        "talks held on 4 June 2021 and in mid-2022 were the last for more than two years."
    )
    doc = blank(text)
    found = extract_dates(doc, FRIDAY)
    assert len(found) == 6
    for d in found:
        assert d.span is not None
        assert d.span.text == text[d.span.start : d.span.end] == d.raw
    assert [d.span.start for d in found if d.span] == sorted(d.span.start for d in found if d.span)


# --------------------------------------------------------------------------- helpers
def test_dates_in_returns_dates_inside_range(blank: Language) -> None:
    text = "The chiefs spoke on Monday. Their deputies met on Wednesday and again on Thursday."
    found = extract_dates(blank(text), FRIDAY)
    second = text.index("Their")
    inside = dates_in(found, second, len(text))
    assert [d.raw for d in inside] == ["Wednesday", "Thursday"]
    assert dates_in(found, 0, second) == found[:1]
    assert dates_in(found, 20, 22) == []


def test_resolve_date_text_reads_tense_from_words() -> None:
    assert resolve_date_text("met on Thursday", FRIDAY).value == "2024-05-16"
    assert resolve_date_text("will meet on Thursday", FRIDAY).value == "2024-05-23"
    res = resolve_date_text("Thursday", FRIDAY, tense="future")
    assert (res.value, res.precision, res.rule) == ("2024-05-23", "day", "weekday_after_published")


def test_resolve_date_text_relations_and_bare_forms() -> None:
    res = resolve_date_text("by the end of 2026", None)
    assert (res.value, res.precision, res.relation, res.raw) == ("2026", "year", "by", "by the end of 2026")
    assert resolve_date_text("2019", None).value == "2019"
    assert resolve_date_text("since July", date(2023, 12, 22)).relation == "since"


def test_resolve_date_text_without_date_or_publication_says_why() -> None:
    none = resolve_date_text("at the latter's request", FRIDAY)
    assert none.value is None and none.reason is not None and "no date expression" in none.reason
    rel = resolve_date_text("on Thursday", None)
    assert rel.reason == "no publication date: pass --published YYYY-MM-DD to resolve 'Thursday'"


# --------------------------------------------------------------------------- with the model
PARAGRAPH = (
    "Defense officials from Ghana and Peru held a video call on Wednesday, their first contact "
    "since March 2021. The two sides will hold staff talks in Accra on Monday, and a joint "
    "exercise is scheduled for next month. Ghana's ministry said on Friday that the call had "
    "been requested by Lima in November."
)


@pytest.mark.model
def test_dates_model_paragraph_resolves_past_and_future(nlp: Language) -> None:
    doc: Doc = nlp(PARAGRAPH)
    found = by_raw(extract_dates(doc, FRIDAY))
    assert found["Wednesday"].value == "2024-05-15"
    assert (found["since March 2021"].value, found["since March 2021"].relation) == ("2021-03", "since")
    assert (found["Monday"].value, found["Monday"].rule) == ("2024-05-20", "weekday_after_published")
    assert found["next month"].value == "2024-06"
    assert found["Friday"].value == "2024-05-17"
    assert found["November"].value == "2023-11"


@pytest.mark.model
def test_dates_model_tense_from_parse_separates_clauses(nlp: Language) -> None:
    doc = nlp("The admirals met on Tuesday and said their deputies would meet on Thursday next week.")
    found = by_raw(extract_dates(doc, THURSDAY))
    assert found["Tuesday"].value == "2024-05-14"
    assert (found["Thursday next week"].value, found["Thursday next week"].rule) == ("2024-05-23", "weekday_next_week")


@pytest.mark.model
def test_dates_model_spans_match_text_and_are_not_duplicated(nlp: Language) -> None:
    doc = nlp("Late on Sunday night the generals spoke for the first time in more than a year, the 2019 accord aside.")
    found = extract_dates(doc, FRIDAY)
    spans = [(d.span.start, d.span.end) for d in found if d.span]
    assert len(spans) == len(set(spans))
    for a, b in pairwise(spans):
        assert a[1] <= b[0], "date spans overlap"
    for d in found:
        assert d.span is not None and doc.text[d.span.start : d.span.end] == d.raw
    values = by_raw(found)
    assert any(d.value == "2024-05-12" for d in found), [d.raw for d in found]
    assert values["more than a year"].relation == "duration"


@pytest.mark.model
@pytest.mark.shared
def test_dates_reference_article(nlp: Language, shared_dir: Path) -> None:
    path = shared_dir / "reference" / "liu-brown-video-call-2023-12.txt"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    text = path.read_text(encoding="utf-8")
    found = extract_dates(nlp(text), date(2023, 12, 22))
    seen = {(d.raw, d.value, d.relation) for d in found}
    assert ("Thursday night", "2023-12-21", None) in seen
    assert ("Thursday", "2023-12-21", None) in seen
    assert ("Friday", "2023-12-22", None) in seen
    assert ("December 15", "2023-12-15", None) in seen
    assert ("August 2022", "2022-08", None) in seen
    assert ("July 2022", "2022-07", None) in seen
    assert ("by the end of 2026", "2026", "by") in seen
    assert ("November", "2023-11", None) in seen
    assert ("since July", "2023-07", "since") in seen
    assert ("the day", "2023-12-21", None) in seen
    assert all(d.value is not None or d.reason for d in found)


# ---------------------------------------------------------------- a publication date known only to the month
@pytest.mark.parametrize(("text", "value", "precision"), [
    ("The two sides met this week in Hanoi.", "2023-12", "month"),          # some week of December
    ("The ministers spoke on Tuesday.", "2023-12", "month"),                # a Tuesday of the month it was published in
    ("Talks were held last month.", "2023-11", "month"),                    # the same month from either end
    ("They met on December 5, 2023.", "2023-12-05", "day"),                 # absolute: untouched
])
def test_dates_partial_publication_date_keeps_what_both_ends_agree_on(blank: Language, text: str, value: str, precision: str) -> None:
    found = extract_dates(blank(text), date(2023, 12, 31), earliest=date(2023, 12, 1))
    assert [(d.value, d.precision) for d in found] == [(value, precision)]


def test_published_bounds_of_day_month_and_year() -> None:
    from readout.errors import OptionError
    from readout.readers import normalize_published, published_bounds

    assert published_bounds("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert published_bounds("2023") == (date(2023, 1, 1), date(2023, 12, 31))
    assert published_bounds("2023-12-22") == (date(2023, 12, 22), date(2023, 12, 22))
    assert [normalize_published(v) for v in ("2024-02", "2023", "2023-12-22T08:00:00Z", None)] == ["2024-02", "2023", "2023-12-22", None]
    for bad in ("2024-13", "2024-00", "Dec 2023"):
        with pytest.raises(OptionError, match="YYYY-MM-DD"):
            published_bounds(bad)


def test_dates_partial_publication_month_day_in_the_publication_month_keeps_its_year(blank: Language) -> None:
    # against November 1 "November 19" would be last year's; the text is from November itself
    found = extract_dates(blank("The two ministers met on November 19 in Vientiane."), date(2024, 11, 30), earliest=date(2024, 11, 1))
    assert [(d.value, d.precision) for d in found] == [("2024-11-19", "day")]


def test_a_title_lines_full_date_a_day_before_publication_anchors_today() -> None:
    """A press release put on the site the day after its title's date: its "earlier today" and
    "yesterday" count from the title's day; a title date long before publication (an
    anniversary) anchors nothing, nor does a date in the body."""
    nlp = spacy.blank("en")
    text = "Press release\n\nPM call with President Macron: 3 May 2019\n\nThe Prime Minister spoke to him earlier today. They met yesterday."
    got = [(d.raw, d.value) for d in extract_dates(nlp(text), date(2019, 5, 4))]
    assert ("today", "2019-05-03") in got and ("yesterday", "2019-05-02") in got
    old = "Remembering 7 December 1941\n\nThe ceremony was held today."
    assert ("today", "2021-12-07") in [(d.raw, d.value) for d in extract_dates(nlp(old), date(2021, 12, 7))]
    body = "Press release\n\nPM call with President Macron\n\nOn 3 May 2019 they spoke. The minister spoke today."
    assert ("today", "2019-05-04") in [(d.raw, d.value) for d in extract_dates(nlp(body), date(2019, 5, 4))]
