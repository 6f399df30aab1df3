"""The layout of a page of news or a readout: which lines are the story, and which are its
furniture — headline lines, bylines, photo captions and credits, site banners.

Real pages keep their furniture in the text: "By Jim Garamone", "(Photo: Cabinet Public Affairs
Office)", "Secretary of Defense Lloyd J. Austin III ... DOD photo by ...", "An official website
of the United States Government". The people named there did not take part in anything the
story reports, and a headline says again, in fragments, what the first paragraph says in
full. ``find_layout`` classifies each line from its shape and from the registry's ``layout``
terms (data, so a user can add a site's own furniture); the extractors use it to keep bylines
and credits out of participants and speakers, and to let a headline confirm an engagement
rather than found one.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from spacy.tokens import Doc

from ..registry import Registry, term_values
from .base import text_of

_TERMINAL = ".!?:;"  # a line that ends a sentence (closing quotes and brackets aside)
_BYLINE = re.compile(r"^\s*(?:by|written by|story by|reporting by)\s+[A-Z][\w.'’\- ]+(?:,[^\n]{0,80})?\s*$", re.IGNORECASE)
_MAX_HEADLINE = 160


@dataclass(frozen=True, slots=True)
class Line:
    start: int
    end: int
    kind: str  # body | headline | byline | caption | banner


class Layout:
    """The lines of one document with their kind, and the credits inside them ("(Photo:
    Cabinet Public Affairs Office)", "DOD photo by ..."); look-ups by character offset."""

    def __init__(self, lines: list[Line], credits: list[tuple[int, int]] | None = None) -> None:
        self.lines = lines
        self._starts = [ln.start for ln in lines]
        self.credits = sorted(credits or [])
        self._credit_starts = [a for a, _ in self.credits]

    def kind_at(self, pos: int) -> str:
        i = bisect.bisect_right(self._starts, pos) - 1
        if i < 0:
            return "body"
        ln = self.lines[i]
        return ln.kind if ln.start <= pos < max(ln.end, ln.start + 1) else "body"

    def furniture(self, pos: int) -> bool:
        """A byline, a photo credit, or a site banner: nobody named there took part in the story."""
        if self.kind_at(pos) in ("byline", "banner"):
            return True
        i = bisect.bisect_right(self._credit_starts, pos) - 1
        return i >= 0 and self.credits[i][0] <= pos < self.credits[i][1]

    def headline(self, pos: int) -> bool:
        """A headline or a photo caption: it says again what the story says."""
        return self.kind_at(pos) in ("headline", "caption")


def find_layout(doc: Doc, registry: Registry) -> Layout:
    """Classify every line of ``doc`` (cached on the Doc)."""
    cached = doc.user_data.get("readout_layout")
    if isinstance(cached, Layout):
        return cached
    layout = classify(text_of(doc), registry)
    doc.user_data["readout_layout"] = layout
    return layout


def _ends_sentence(line: str) -> bool:
    return line.rstrip("\"”’)]").endswith(tuple(_TERMINAL))


def classify(text: str, registry: Registry) -> Layout:
    cues = term_values(registry, "layout")
    credit_cues = [c for c, v in cues.items() if v == "credit"]
    caption_cues = tuple(c for c, v in cues.items() if v == "caption")
    banner_cues = tuple(c for c, v in cues.items() if v == "banner")
    lines: list[Line] = []
    credits: list[tuple[int, int]] = []
    pos = 0
    story_started = False
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        line = raw.strip()
        if not line:
            continue
        low = raw.lower()
        found = _credits(low, credit_cues)
        credits.extend((start + a, start + b) for a, b in found)
        low = line.lower()
        if _BYLINE.match(line) and len(line) < 120:
            kind = "byline"
        elif (found and len(line) < 400) or low.startswith(caption_cues):
            kind = "caption"
        elif low.startswith(banner_cues):
            kind = "banner"
        elif not story_started and len(line) <= _MAX_HEADLINE and not _ends_sentence(line):
            kind = "headline"  # a title, a kicker, a date line above the story
        else:
            kind = "body"
            story_started = story_started or _ends_sentence(line) or len(line) > _MAX_HEADLINE
        lines.append(Line(start, end, kind))
    return Layout(lines, credits)


def _credits(low: str, cues: list[str]) -> list[tuple[int, int]]:
    """Where the credits of one line run: from the cue (or the bracket opened before it) to
    the bracket's close, else to the end of the line."""
    out = []
    for cue in cues:
        i = low.find(cue)
        while i >= 0:
            opened = low.rfind("(", 0, i + 1)
            a = opened if opened >= 0 and ")" not in low[opened:i] else i
            close = low.find(")", i)
            b = close + 1 if a == opened and close >= 0 else len(low)
            out.append((a, b))
            i = low.find(cue, i + len(cue))
    return out
