"""The date of a said event whose sentence gives none (issue 12): an agreement or accusation told
in a readout was said at the talks it reports, so it takes their date; with no talks reported
before it, the publication date (at the precision the source gives it). Other events (an arms
sale, an attack) told without a date keep none. Parses written out by hand (``test_events``)."""

from __future__ import annotations

from datetime import date

import pytest
from test_events import ACCUSATION, FRIGATES, Tok, make_doc, make_registry
from test_events_frames import AGREED

from readout.extract.base import ActorIndex
from readout.extract.events import extract_events
from readout.records import DateValue, Engagement, Event, Span
from readout.registry import Registry


@pytest.fixture(scope="module")
def registry() -> Registry:
    return make_registry()


def events(toks: list[Tok], registry: Registry, engagements: list[Engagement] | None = None, **kw: object) -> list[Event]:
    return extract_events(make_doc(toks), registry, ActorIndex(), [], side="NOR", engagements=engagements or [], **kw)  # type: ignore[arg-type]


def talks(text: str, day: str = "2024-03-05", status: str = "held") -> Engagement:
    when = DateValue(day, "day", "Tuesday", Span(0, 4, text[:4]), "dates.weekday")
    return Engagement("eng-x", "call", [], ["CHL", "NOR"], [Span(0, len(text), text)], "test", date=when, status=status)  # type: ignore[arg-type]


def test_events_said_without_a_date_takes_the_date_of_the_talks(registry: Registry) -> None:
    text = make_doc(AGREED).text
    [ev] = events(AGREED, registry, [talks(text)], published=date(2024, 3, 6))
    assert ev.type == "AGREE" and ev.date is not None and ev.date.value == "2024-03-05"
    assert "said at the talks" in ev.reasons["date"]
    # talks that did not take place say nothing of when it was said: the publication date
    [ev] = events(AGREED, registry, [talks(text, status="cancelled")], published=date(2024, 3, 6))
    assert ev.date is not None and ev.date.value == "2024-03-06"


def test_events_said_without_talks_takes_the_publication_date_at_its_precision(registry: Registry) -> None:
    [ev] = events(ACCUSATION, registry, published=date(2024, 3, 6))
    assert ev.type == "ACCUSE" and ev.date is not None and (ev.date.value, ev.date.precision) == ("2024-03-06", "day")
    assert "published" in ev.reasons["date"]
    [ev] = events(ACCUSATION, registry, published=date(2024, 3, 31), earliest=date(2024, 3, 1))  # a page giving the month
    assert ev.date is not None and (ev.date.value, ev.date.precision) == ("2024-03", "month")
    [ev] = events(ACCUSATION, registry)
    assert ev.date is None


def test_events_a_material_event_without_a_date_keeps_none(registry: Registry) -> None:
    [ev] = events(FRIGATES, registry, published=date(2024, 3, 6))
    assert ev.type == "AID" and ev.date is None
