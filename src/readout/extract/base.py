"""What the extractors share: the index of actors found in one document, and small helpers
over spaCy tokens and character offsets. Nothing here does I/O."""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ..records import Actor, DateValue, Span


def slug(text: str) -> str:
    """'Charles Q. Brown' -> 'charles-q-brown' (ASCII, lower case, hyphens)."""
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", norm.lower()).strip("-") or "x"


def text_of(doc: Doc) -> str:
    """``doc.text``, computed once per document: spaCy rebuilds it from the tokens on every
    access, which made each evidence span cost a pass over the whole document."""
    cached = doc.user_data.get("readout_text")
    if cached is None:
        cached = doc.user_data["readout_text"] = doc.text
    return str(cached)


# abbreviations whose full stop belongs to them even at the end of a sentence
_KEEP_PERIOD = {"jr", "sr", "st", "inc", "co", "corp", "ltd", "no", "vs", "etc", "bros", "esq", "ph.d", "a.m", "p.m"}
_NAME_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC"}


def split_final_periods(doc: Doc) -> Doc:
    """A name that ends a sentence can keep its full stop in one token: "... and Dong Jun." is
    tokenized with "Jun." (the abbreviation of June). Split the stop off such a token, so the
    name matches and does not end in a period; offsets are unchanged. Returns ``doc``."""
    targets = [
        t for t in doc
        if len(t.text) >= 3 and t.text.endswith(".") and t.text[-2].isalpha() and "." not in t.text[:-1]
        and t.text[:-1].lower() not in _KEEP_PERIOD and (t.ent_type_ in _NAME_LABELS or t.pos_ == "PROPN")
        and (t.i == len(doc) - 1 or t.is_sent_end or doc[t.i + 1].is_space)
    ]
    if not targets:
        return doc
    stops = {t.idx + len(t.text) for t in targets}  # where each split-off stop ends
    ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    with doc.retokenize() as retok:
        for t in targets:
            head = t.head if t.head.i != t.i else (t, 0)
            lemma = t.lemma_[:-1] if t.lemma_.endswith(".") else t.lemma_
            retok.split(t, [t.text[:-1], "."], heads=[head, (t, 0)],
                        attrs={"POS": [t.pos_, "PUNCT"], "TAG": [t.tag_, "."], "DEP": [t.dep_, "punct"], "LEMMA": [lemma, "."]})
    spans = []
    for start, end, label in ents:
        span = doc.char_span(start, end - 1 if end in stops else end, label=label)
        if span is not None:
            spans.append(span)
    doc.set_ents(spans, default="outside")
    doc.user_data.pop("readout_text", None)
    return doc


def char_span(doc: Doc, start: int, end: int) -> Span:
    return Span(start, end, text_of(doc)[start:end])


def token_span(tokens: SpacySpan | Token | Iterable[Token]) -> tuple[int, int]:
    """Character (start, end) of a token, a spaCy span, or a run of tokens."""
    if isinstance(tokens, Token):
        return tokens.idx, tokens.idx + len(tokens.text)
    if isinstance(tokens, SpacySpan):
        return tokens.start_char, tokens.end_char
    toks = list(tokens)
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def to_span(doc: Doc, tokens: SpacySpan | Token | Iterable[Token]) -> Span:
    start, end = token_span(tokens)
    return char_span(doc, start, end)


def trim(doc: Doc, start: int, end: int, chars: str = " \t\r\n\"'“”‘’,.;:—–-") -> Span:
    """Shrink [start, end) past surrounding spaces, quotation marks and punctuation."""
    text = text_of(doc)
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return Span(start, end, text[start:end])


# how a mention was resolved when the text names the actor (not by a post, pronoun or side phrase)
NAMING_RULES = frozenset({"registry", "ner", "short_name", "registry_surname", "alias"})


@dataclass(frozen=True, slots=True)
class Mention:
    """One place in the text where an actor is mentioned, and how it was resolved."""

    span: Span
    actor_id: str
    rule: str  # registry, ner, alias, pronoun, side_phrase, metonym, role...

    @property
    def start(self) -> int:
        return self.span.start

    @property
    def end(self) -> int:
        return self.span.end


class ActorIndex:
    """The actors of one document and where each is mentioned.

    Built by ``extract.actors.extract_actors``; read by every later extractor to resolve a
    speaker, a participant or an initiator to an actor.
    """

    def __init__(self) -> None:
        self._actors: dict[str, Actor] = {}
        self._mentions: list[Mention] = []
        self._starts: list[int] = []
        self._seen: set[tuple[str, int, int]] = set()
        self._dirty = False
        self._named: set[str] = set()
        self._turns: list[tuple[int, str | None]] = []  # a transcript's turns: (start, speaker)

    # ------------------------------------------------------------------ building
    def set_turns(self, turns: list[tuple[int, str | None]]) -> None:
        """A transcript's turns, in text order: where each starts and its speaker's actor id."""
        self._turns = sorted(turns)

    def speaker_at(self, char: int) -> str | None:
        """The actor id of the transcript speaker whose turn holds this offset, if any."""
        k = bisect.bisect_right([t for t, _ in self._turns], char) - 1
        return self._turns[k][1] if k >= 0 else None

    def add(self, actor: Actor) -> Actor:
        """Add an actor, or return the one already known under that id (filling its blanks)."""
        old = self._actors.get(actor.id)
        if old is None:
            self._actors[actor.id] = actor
            return actor
        old.country = old.country or actor.country
        old.sector = old.sector or actor.sector
        old.title = old.title or actor.title
        return old

    def add_mention(self, actor_id: str, span: Span, rule: str) -> None:
        actor = self._actors[actor_id]
        key = (actor_id, span.start, span.end)
        if key in self._seen:
            return
        self._seen.add(key)
        if rule in NAMING_RULES:
            self._named.add(actor_id)
        actor.mentions.append(span)
        mention = Mention(span, actor_id, rule)
        if self._dirty or not self._mentions:
            self._mentions.append(mention)
            self._dirty = True
        else:
            # already sorted: insert in place rather than sort everything again
            i = bisect.bisect_left(self._starts, span.start)
            self._mentions.insert(i, mention)
            self._starts.insert(i, span.start)

    def _sort(self) -> None:
        if self._dirty:
            self._mentions.sort(key=lambda m: (m.start, -m.end))
            self._starts = [m.start for m in self._mentions]
            self._dirty = False

    # ------------------------------------------------------------------ reading
    def get(self, actor_id: str | None) -> Actor | None:
        return self._actors.get(actor_id) if actor_id else None

    def fold(self, src: str, dst: str) -> None:
        """Make actor ``src`` a name of actor ``dst``: its mentions move over and it is gone."""
        gone = self._actors.pop(src, None)
        target = self._actors.get(dst)
        if gone is None or target is None:
            return
        target.country = target.country or gone.country
        target.sector = target.sector or gone.sector
        target.title = target.title or gone.title
        self._mentions = [Mention(m.span, dst, m.rule) if m.actor_id == src else m for m in self._mentions]
        self._seen = {(dst if a == src else a, s, e) for a, s, e in self._seen}
        for span in gone.mentions:
            if span not in target.mentions:
                target.mentions.append(span)
        target.mentions.sort(key=lambda m: m.start)
        if src in self._named:
            self._named.discard(src)
            self._named.add(dst)

    def named(self, actor_id: str) -> bool:
        """The text names this actor somewhere (not only by a title, a pronoun or "the
        Chinese side")."""
        return actor_id in self._named

    def __contains__(self, actor_id: object) -> bool:
        return actor_id in self._actors

    @property
    def actors(self) -> list[Actor]:
        return list(self._actors.values())

    @property
    def mentions(self) -> list[Mention]:
        self._sort()
        return list(self._mentions)

    def in_range(self, start: int, end: int) -> list[Mention]:
        """Mentions that lie inside [start, end), in text order."""
        self._sort()
        i = bisect.bisect_left(self._starts, start)
        out = []
        while i < len(self._mentions) and self._mentions[i].start < end:
            m = self._mentions[i]
            if m.end <= end:
                out.append(m)
            i += 1
        return out

    def overlapping(self, start: int, end: int) -> list[Mention]:
        self._sort()
        i = bisect.bisect_left(self._starts, start)
        # step back over mentions that start before ``start`` but reach into the range
        j = bisect.bisect_left(self._starts, start - 200, 0, i)
        stop = bisect.bisect_left(self._starts, end, i)
        return [m for m in self._mentions[j:stop] if m.end > start]

    def at(self, start: int, end: int) -> Actor | None:
        """The actor mentioned at [start, end): the mention that overlaps it most (longest wins ties)."""
        best: tuple[int, int, Mention] | None = None
        for m in self.overlapping(start, end):
            overlap = min(end, m.end) - max(start, m.start)
            key = (overlap, m.end - m.start)
            if best is None or key > best[:2]:
                best = (*key, m)
        return self._actors[best[2].actor_id] if best else None

    def mention_at(self, start: int, end: int) -> Mention | None:
        best: tuple[int, int, Mention] | None = None
        for m in self.overlapping(start, end):
            overlap = min(end, m.end) - max(start, m.start)
            key = (overlap, m.end - m.start)
            if best is None or key > best[:2]:
                best = (*key, m)
        return best[2] if best else None

    def at_token(self, token: Token) -> Actor | None:
        return self.at(token.idx, token.idx + len(token.text))

    def side(self, actor_id: str | None) -> str | None:
        """The country an actor speaks or acts for."""
        a = self.get(actor_id)
        return a.country if a else None

    def people(self) -> list[Actor]:
        return [a for a in self._actors.values() if a.kind == "person"]


class DatesByPosition:
    """The document's dates sorted by position, for 'the dates in this sentence' in log time."""

    def __init__(self, dates: Iterable[DateValue]) -> None:
        self.dates = sorted((d for d in dates if d.span is not None), key=lambda d: d.span.start if d.span else 0)
        self.starts = [d.span.start for d in self.dates if d.span]

    def between(self, start: int, end: int) -> list[DateValue]:
        """Dates that start in [start, end)."""
        return self.dates[bisect.bisect_left(self.starts, start):bisect.bisect_left(self.starts, end)]
