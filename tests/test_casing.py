"""Text in capitals or without capitals is parsed in ordinary case, and records show the text as
written (readout.casing)."""

from __future__ import annotations

import pytest

from readout.casing import fix_case, needs_case, restore_spans
from readout.records import Engagement, Span
from readout.registry import get_registry

REG = get_registry()


@pytest.mark.parametrize(("text", "expected"), [
    ("THE TWO DEFENSE CHIEFS SPOKE BY PHONE ON TUESDAY, OFFICIALS SAID.", "upper"),
    ("the two defense chiefs spoke by phone on tuesday, officials said.", "lower"),
    ("The two defense chiefs spoke by phone on Tuesday, officials said.", None),
    ("SECRETARY AUSTIN:", None),  # too short to tell: a speaker's label keeps its case
])
def test_needs_case_finds_paragraphs_all_in_capitals_or_without(text: str, expected: str | None) -> None:
    assert needs_case(text) == expected


def test_fix_case_capitalizes_known_names_and_sentence_starts_and_keeps_every_offset() -> None:
    text = "SECRETARY AUSTIN:\nLLOYD AUSTIN MET DONG JUN OF CHINA IN SINGAPORE ON FRIDAY. THE PLA SENT A LETTER."
    fixed = fix_case(text, REG)
    assert len(fixed) == len(text) and fixed.lower() == text.lower()
    assert fixed.startswith("SECRETARY AUSTIN:\n")  # a short line keeps its case
    assert "Lloyd Austin met Dong Jun of China in Singapore on Friday. The PLA sent a letter." in fixed


def test_fix_case_writes_known_surnames_in_capitals_in_ordinary_case_but_not_acronyms_or_labels() -> None:
    text = ("On May 3, Foreign Minister HAYASHI Yoshimasa held a telephone talk with Mr. Antony BLINKEN on NATO.\n"
            "SECRETARY BLINKEN: Thank you.\nBLINKEN: THE END OF THE TALK")
    fixed = fix_case(text, REG)
    assert len(fixed) == len(text) and fixed.lower() == text.lower()
    assert "Foreign Minister Hayashi Yoshimasa held" in fixed and "Mr. Antony Blinken on NATO" in fixed
    # a transcript's speaker and a run of capitals are read as written
    assert "SECRETARY BLINKEN: Thank you.\nBLINKEN: THE END OF THE TALK" in fixed


def test_fix_case_leaves_ordinary_text_alone() -> None:
    text = "Austin met Dong in Singapore.\n\nThey spoke for an hour."
    assert fix_case(text, REG) is text or fix_case(text, REG) == text


def test_restore_spans_puts_the_written_text_back_in_every_record() -> None:
    original = "LLOYD AUSTIN MET DONG JUN."
    fixed = fix_case(original, REG)
    e = Engagement(id="e1", kind="meeting", participants=[], dyad=["CHN", "USA"], rule="test",
                   evidence=[Span(0, len(fixed), fixed)])
    [back] = restore_spans([e], original)
    assert back.evidence[0].text == original and e.evidence[0].text == fixed


@pytest.mark.model
def test_an_all_capitals_wire_slug_still_yields_the_meeting_and_its_people() -> None:
    from readout.pipeline import analyze

    text = ("DEFENSE SECRETARY LLOYD AUSTIN MET CHINESE DEFENSE MINISTER DONG JUN IN SINGAPORE ON FRIDAY, THE "
            "PENTAGON SAID. THE TWO MEN DISCUSSED TAIWAN AND THE SOUTH CHINA SEA.")
    for version in (text, text.lower()):
        a = analyze(version, published="2024-06-02", check_language=False)
        [e] = [x for x in a.engagements if x.kind == "meeting"]
        assert (e.dyad, set(e.participants), e.date.value if e.date else None) == (["CHN", "USA"], {"lloyd-austin", "dong-jun"}, "2024-05-31")
        assert all(version[ev.start:ev.end] == ev.text for ev in e.evidence)  # the text as written
