"""Fixtures shared by the test suite.

Tests that need the pinned spaCy model are marked ``@pytest.mark.model`` and take the ``nlp``
fixture, which loads it once per session. Tests that read ``../shared`` take ``shared_dir``,
which skips them when it is absent.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import os

import pytest
from hypothesis import HealthCheck, settings

# Property-based tests (tests/test_fuzz.py): a short, repeatable run in `make test` ("ci", the
# default), a long random one in `make fuzz` ("fuzz", figures in bench/fuzz.json). No deadline:
# how long an example takes is not what is tested.
_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
settings.register_profile("ci", max_examples=24, deadline=None, derandomize=True, database=None, suppress_health_check=_SLOW_OK)
settings.register_profile("fuzz", max_examples=int(os.environ.get("READOUT_FUZZ_EXAMPLES", "2500")), deadline=None, database=None,
                          suppress_health_check=_SLOW_OK, print_blob=True)
settings.load_profile(os.environ.get("READOUT_HYPOTHESIS_PROFILE", "ci"))

if TYPE_CHECKING:
    from spacy.language import Language

REPO = Path(__file__).resolve().parents[1]

# A short news item written for these tests (the countries are real, the events are not).
ARTICLE = (
    "Defense officials from Norway and Chile held a video call on Thursday to discuss search "
    "and rescue cooperation in the Southern Ocean, the Norwegian defense ministry said in a "
    "statement on Friday.\n\n"
    "It was the first conversation at that level since talks were put on hold in the spring "
    "of 2021, a spokesperson for the ministry said. The call was requested by the Chilean side.\n\n"
    "Chile's defense minister said both navies should share weather data and agreed to hold "
    "working-level talks in Santiago before the end of the year. Norway's state secretary "
    "urged Chile to keep the hotline between the two fleets open around the clock.\n"
)

PNG_HEAD = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"

GERMAN = (
    "Die Verteidigungsminister beider Länder haben am Donnerstag miteinander telefoniert. "
    "Beide Seiten vereinbarten, die militärischen Gesprächskanäle offen zu halten und sich noch "
    "vor Jahresende erneut zu treffen, teilte das Ministerium am Freitag mit."
)
SPANISH = (
    "Los ministros de Defensa de ambos países hablaron por teléfono el jueves. Las dos partes "
    "acordaron mantener abiertos los canales de comunicación militar y reunirse de nuevo antes "
    "de que termine el año, según un comunicado del ministerio."
)
# Curly quotes, an em dash and accented letters: bytes 0x93, 0x94, 0x97, 0xe9 in cp1252.
CP1252_TEXT = (
    "The minister’s visit to the naval café — “a useful exchange,” his aide said — ended early. "
    "Officials from both ministries met again on Tuesday and said they would keep talking about "
    "fisheries patrols and the safety of ships at sea."
)

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Navies agree to resume staff talks | The Harbour Ledger</title></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/subscribe">Subscribe to our morning newsletter</a></li></ul></nav>
<main><article>
<h1>Navies agree to resume staff talks</h1>
<p>The navies of Norway and Chile agreed on Wednesday to resume annual staff talks that had
been on hold for two years, officials in both capitals said.</p>
<p>A spokesperson for the Norwegian defense ministry said the first round would take place in
Bergen in the autumn and would cover search and rescue at sea and the sharing of weather data.</p>
<p>The Chilean navy said in a statement that both sides had also agreed to test their hotline
every month.</p>
</article></main>
<footer><p>Copyright 2024 The Harbour Ledger. All rights reserved.</p>
<a href="/privacy">Privacy policy</a> <a href="/cookies">Cookie settings</a></footer>
</body></html>
"""


@dataclass(frozen=True)
class Samples:
    """Texts and bytes written for the tests, in the project's own words."""

    article: str = ARTICLE
    german: str = GERMAN
    spanish: str = SPANISH
    cp1252_text: str = CP1252_TEXT
    html_page: str = PAGE
    png_head: bytes = PNG_HEAD


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The pinned spaCy pipeline, loaded once for the whole session."""
    from readout import nlp as nlp_mod

    return nlp_mod.load()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the repository: reference and evaluation texts, read at run time."""
    path = (REPO.parent / "shared").resolve()
    if not path.is_dir():
        pytest.skip("../shared is absent: reference and evaluation texts are read from it at run time")
    return path


@pytest.fixture
def article() -> str:
    """A short English news item written for the tests."""
    return ARTICLE


@pytest.fixture(scope="session")
def samples() -> Samples:
    return Samples()


# ---------------------------------------------------------------- a stand-in for the model
def fake_analysis(document: Any) -> Any:
    """Records a stand-in analyzer 'finds' in any document, derived from its metadata the way
    the real extractors' are: a China-US call dated on the publication day, the MMCA channel
    held that day, one statement. Offsets point into the document's text."""
    from readout.records import Actor, Analysis, ChannelStatus, DateValue, Engagement, Span, Statement

    text = document.text
    head = Span(0, min(len(text), 12), text[: min(len(text), 12)])
    when = DateValue(document.published, "day", document.published, None, "test") if document.published else None
    actors = [Actor("CHN", "China", "state", "CHN", "GOV", mentions=[head], known=True),
              Actor("USA", "United States", "state", "USA", "GOV", mentions=[head], known=True)]
    return Analysis(
        document=document,
        actors=actors,
        engagements=[Engagement("eng-1", "call", ["CHN", "USA"], ["CHN", "USA"], [head], "test", date=when)],
        channel_status=[ChannelStatus("cs-1", "chn-usa-mmca", "MMCA", ["CHN", "USA"], "held", [head], "test", date=when,
                                      side="CHN" if (document.outlet or "") == "Xinhua" else None)],
        statements=[Statement("st-1", "indirect", head.text, head, "test", speaker="CHN", speaker_name="China", side="CHN",
                              engagement="eng-1")],
        model="fake",
        version="test",
    )


@pytest.fixture
def fake_analyzer(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Replace the model and extractors with ``fake_analysis`` (the store and ingest loop are
    the real ones); returns the documents analyzed."""
    from readout import nlp as nlp_mod
    from readout import pipeline

    seen: list[Any] = []

    def outcomes(documents: Any, **kwargs: Any) -> Any:
        for d in documents:
            seen.append(d)
            yield pipeline.Outcome(d, fake_analysis(d))

    monkeypatch.setattr(nlp_mod, "load", lambda name=None: None)
    monkeypatch.setattr(nlp_mod, "describe", lambda name=None: "fake-model")
    monkeypatch.setattr(pipeline, "analyze_outcomes", outcomes)
    return seen
