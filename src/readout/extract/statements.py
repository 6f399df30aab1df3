"""Statements: who said what, for which side.

``extract_statements(doc, registry, actors, dates)`` finds reported speech in a parsed document
and returns one ``Statement`` per quotation, in text order:

- **direct**: the content is a quotation (``"...," Liu said``; ``Liu said: "..."``);
- **indirect**: reported speech without quotation marks (``Liu said that ...``;
  ``..., Liu told Brown``; ``according to the Pentagon, ...``);
- **mixed**: reported speech with a quoted fragment (``the spokesman said in a statement that
  the ministers "agreed ..."``).

How it works. The dependency parse is the main signal; quotation marks and a few token
patterns do the rest, in one pass over the tokens and one over the text (no second parse):

1. ``find_quotes`` pairs the quotation marks of the text (straight and curly double marks,
   and British ‘single’ marks outside them), paragraph by paragraph; a quotation left open at
   the end of a paragraph continues when the next paragraph opens with a quotation mark (the
   newspaper convention for long quotes).
2. Every verb outside quotation marks whose lemma is a reporting verb of the registry
   (``verbs`` section; "point out", "call for": a lemma with its particle or preposition) is a
   cue, unless it only says what someone means to say ("vowed not to repeat"). Its speaker is
   its subject (for "..., noting that", "and added", "by saying", the subject of the verb it
   hangs on). Its content is, by the first rule that finds one: its clausal complement
   (``said that ...``) and the clause it interrupts or follows (``..., Liu said``: spaCy makes
   "said" a parataxis); a to-infinitive with who is asked (``urged China to ...``); an object
   (``condemned the decision``, ``called Trump a liar``, ``described the call as "..."``); a
   prepositional complement (``called for restraint``). Verbs of strength 0.3 or less
   ("continued", "shouted") count only when their content is a quotation.
3. Phrases of the registry's ``cues`` section: ``according to X`` (X is the source, the rest
   of its sentence the content, cut from the other statements' contents) and media (``said in
   a statement``, which joins the cue). A noun of saying with an owner and a that-clause or a
   to-infinitive is a cue too (``his claim that ...``, ``Smith's promise to ...``).
4. Quotations that no cue claimed are attached, in this order: to a cue of the same or the
   next sentence that has a speaker but no content (``"...," Ms. Moore said.``; ``He said:``
   followed by a quoted paragraph); to the statement just before them in the same paragraph
   (``"...," Liu said. "..."`` is one statement whose content runs over both quotations); to
   the quoted statement right after them (``"A," Liu said, "B."``); to a name after a dash
   (``"..." -- Jane Doe``). Last, a name that opens a paragraph with a colon is a speaker
   (``PENCE: ...`` in transcripts, ``Pat Caddell: ...`` in headlines).
5. Contents from the parse are stretched to the edges of their sentence (spaCy often hangs a
   part of what was said on the cue verb), never over another statement's cue or speaker.

Decisions:

- "Liu said, noting that ..." gives **two statements** with the same speaker span: one for
  "said" (its content is what precedes it) and one for "noting" (its clause). Each keeps its
  own cue, so the record says which words introduced what; PolNeAR annotates it the same way.
- A quotation interrupted by its attribution (``"A," Liu said. "B."``) is **one statement**:
  ``content_span`` runs from the start of the first quoted piece to the end of the last, and
  ``content`` holds the quoted pieces joined by a space (it leaves out the attribution).
- ``content_span`` leaves out the quotation marks around a direct quotation and the
  punctuation at its edges, but keeps "that" at the start of reported speech, as the PolNeAR
  annotators do (``said that the talks ...`` -> "that the talks ...").
- ``speaker_span`` is the name as written (the named entity, or the noun phrase without its
  apposition; a pronoun stays a pronoun); ``speaker`` is the actor the ``ActorIndex`` has at
  that span, ``side`` that actor's country. Where it has none, ``speaker`` is None,
  ``reasons["speaker"]`` says so and ``speaker_name`` is the name from the text (for a pronoun,
  the nearest speaker or person named before it).
- ``kind`` comes from the quotation marks: direct when the quoted words cover the content,
  mixed when some of it is quoted, indirect otherwise.
- ``event_type`` (and ``event_mode``) come from the event coder (``events.code_statement``),
  the one that types events: the cue's own event, else a speech act in what was said (a
  promise, a threat, a demand on another, a refusal); a question is not a REQUEST; a content
  the parse does not reach that says what another party should do ("the US should ...") gives
  REQUEST, with a reason.
- ``dates`` is taken for the extractors' common signature; statements do not use it yet.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Token

from ..records import DateValue, Span, Statement, content_id
from ..registry import Registry, Verb, term_values
from .base import ActorIndex
from .events import code_statement
from .topics import topics_of

# ------------------------------------------------------------------ quotation marks
OPENING_MARKS = "“„«‹"
CLOSING_MARKS = "”»›"
AMBIGUOUS_MARKS = '"'
QUOTE_CHARS = OPENING_MARKS + CLOSING_MARKS + AMBIGUOUS_MARKS
# one pass over the text finds every quotation mark (two apostrophes or backticks count as one
# mark, as in some newswire text) and every line break
_MARK_RE = re.compile(r"''|``|[\"“”„«»‹›]|\n")
_DASHES = "―—–"


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation: ``start`` is its opening mark, ``end`` the offset after its closing mark;
    ``inner_start``/``inner_end`` bound the quoted words. ``closed`` is False when no closing
    mark was found (the quotation then ends with its paragraph)."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    closed: bool = True

    def words(self, text: str) -> int:
        return len(text[self.inner_start : self.inner_end].split())


def _looks_opening(text: str, pos: int, width: int) -> bool:
    before = text[pos - 1] if pos > 0 else " "
    after = text[pos + width] if pos + width < len(text) else " "
    return (before.isspace() or before in "([{—–-/" or before in QUOTE_CHARS) and not after.isspace()


def _looks_closing(text: str, pos: int, width: int) -> bool:
    before = text[pos - 1] if pos > 0 else " "
    after = text[pos + width] if pos + width < len(text) else " "
    return not before.isspace() and (after.isspace() or after in ".,;:!?)]}—–-'’" or after in QUOTE_CHARS)


def find_quotes(text: str) -> list[Quote]:
    """Pair the quotation marks of ``text`` into quotations, in text order.

    Straight marks are paired by position (one opens, the next closes) and, where the text is
    unbalanced, by what surrounds them; curly marks by their shape. A quotation still open at
    a line break continues when the next paragraph starts with a quotation mark, and otherwise
    ends with its paragraph (``closed=False``). Curly single marks (‘...’, the British style)
    make a quotation outside double ones when both ends look like marks and not apostrophes
    (``_single_quotes``); straight single marks are left alone.
    """
    quotes: list[Quote] = []
    open_at: int | None = None  # offset of the current opening mark
    open_width = 0
    skip_at = -1  # the re-opening mark of a quotation that runs on into a new paragraph
    n = len(text)
    for m in _MARK_RE.finditer(text):
        pos = m.start()
        mark = m.group(0)
        width = len(mark)
        if mark == "\n":
            if open_at is None:
                continue
            j = pos + 1
            while j < n and text[j].isspace():
                j += 1
            nxt = text[j : j + 2]
            if j < n and (text[j] in QUOTE_CHARS or nxt in ("''", "``")):
                skip_at = j  # the quotation runs on into the next paragraph
                continue
            if open_at is not None and pos - (open_at + open_width) > 0:
                quotes.append(Quote(open_at, pos, open_at + open_width, pos, closed=False))
            open_at = None
            continue
        if pos == skip_at:
            continue
        if mark in ("``",) or mark in OPENING_MARKS:
            kind = "open"
        elif mark in CLOSING_MARKS:
            kind = "close"
        else:
            kind = "ambiguous"
        if open_at is None:
            if kind == "open" or (kind == "ambiguous" and not (_looks_closing(text, pos, width) and not _looks_opening(text, pos, width))):
                open_at, open_width = pos, width
            elif kind == "close" and _looks_opening(text, pos, width) and not _looks_closing(text, pos, width):
                # a closing mark used to open (”Fear. ...”), as some sites print them
                open_at, open_width = pos, width
            continue
        # a quotation is open
        if kind == "open" or (kind == "ambiguous" and _looks_opening(text, pos, width) and not _looks_closing(text, pos, width)):
            if kind == "ambiguous" or mark == "``":
                # unbalanced straight marks: the open one was a stray; start again here
                open_at, open_width = pos, width
                continue
            # a curly opening mark inside an open quotation: a nested quotation with the wrong
            # marks, or a missing closing mark. Treat as missing closing mark.
            quotes.append(Quote(open_at, pos, open_at + open_width, pos, closed=False))
            open_at, open_width = pos, width
            continue
        quotes.append(Quote(open_at, pos + width, open_at + open_width, pos, closed=True))
        open_at = None
    if open_at is not None and n - (open_at + open_width) > 0:
        quotes.append(Quote(open_at, n, open_at + open_width, n, closed=False))
    doubles = [q for q in quotes if q.inner_end > q.inner_start]
    singles = _single_quotes(text, doubles)
    return sorted(doubles + singles, key=lambda q: q.start) if singles else doubles


_SINGLE_RE = re.compile(r"[‘’\n]")


def _single_quotes(text: str, doubles: list[Quote]) -> list[Quote]:
    """‘...’ quotations outside double quotation marks, within one paragraph: an opening mark
    after a space or bracket and before a letter ("‘90s" is not one), closed by the first ’ that
    is not inside a word ("don’t", "China’s" are apostrophes)."""
    if "‘" not in text:
        return []
    starts = [q.start for q in doubles]

    def inside_double(pos: int) -> bool:
        i = bisect.bisect_right(starts, pos) - 1
        return i >= 0 and doubles[i].start <= pos < doubles[i].end

    out: list[Quote] = []
    open_at: int | None = None
    n = len(text)
    for m in _SINGLE_RE.finditer(text):
        pos, mark = m.start(), m.group(0)
        if mark == "\n":
            open_at = None  # an unclosed single mark is dropped: too often a stray
            continue
        if inside_double(pos):
            continue
        before = text[pos - 1] if pos > 0 else " "
        after = text[pos + 1] if pos + 1 < n else " "
        if mark == "‘":
            if (before.isspace() or before in "([{—–-/\"“") and after.isalpha():
                open_at = pos
        elif open_at is not None and not before.isspace() and not after.isalnum():
            out.append(Quote(open_at, pos + 1, open_at + 1, pos, closed=True))
            open_at = None
    return out


class _Quotes:
    """The quotations of one document, looked up by offset."""

    def __init__(self, quotes: list[Quote]) -> None:
        self.quotes = quotes
        self._starts = [q.start for q in quotes]

    def at(self, pos: int) -> Quote | None:
        """The quotation whose quoted words contain offset ``pos``."""
        i = bisect.bisect_right(self._starts, pos) - 1
        if i >= 0:
            q = self.quotes[i]
            if q.inner_start <= pos < q.inner_end:
                return q
        return None

    def overlapping(self, start: int, end: int) -> list[Quote]:
        i = max(0, bisect.bisect_right(self._starts, start) - 1)
        out = []
        while i < len(self.quotes) and self.quotes[i].start < end:
            q = self.quotes[i]
            if q.inner_end > start and q.inner_start < end:
                out.append(q)
            i += 1
        return out

    def quoted_chars(self, start: int, end: int, text: str) -> tuple[int, int]:
        """(letters and digits inside quotation marks, all letters and digits) in [start, end)."""
        inside = 0
        for q in self.overlapping(start, end):
            a, b = max(start, q.inner_start), min(end, q.inner_end)
            inside += sum(1 for c in text[a:b] if c.isalnum())
        total = sum(1 for c in text[start:end] if c.isalnum())
        return inside, total


# ------------------------------------------------------------------ small helpers
_EDGE_PUNCT = ",;:—–-(‘’'"
# words before a name that are not part of it ("Gen.", "spokesperson")
_HONORIFICS = frozenset(
    """mr mr. mrs mrs. ms ms. dr dr. prof prof. sir dame gen gen. lt lt. col col. capt capt.
    adm adm. maj maj. sgt sgt. sen sen. rep rep. gov gov. rev rev. president premier minister
    general admiral colonel captain major lieutenant senator representative governor secretary
    ambassador spokesman spokeswoman spokesperson chairman chairwoman""".split()  # noqa: SIM905
)
_PRONOUNS = frozenset("he she they it we i you him her them who which that this".split())  # noqa: SIM905
_RELATIVE = frozenset(("who", "which", "that", "whom"))
_SPEAKER_ENTS = frozenset(("PERSON", "ORG", "GPE", "NORP", "FAC"))
# objects that say nothing on their own ("said so", "denied it")
_EMPTY_OBJECTS = frozenset(
    "it this that so these those nothing something anything everything much more one".split()  # noqa: SIM905
)
# verbs whose direct object is their addressee or a thing, not what was said
_OBJECT_NOT_CONTENT = frozenset(
    """say tell ask write inform answer reply respond add call see know find show feel think
    believe hope expect want fear doubt wonder worry read maintain""".split()  # noqa: SIM905
)
_MODAL_REQUEST = frozenset(("should", "must", "ought"))
_QUESTION_WORDS = frozenset(("whether", "if", "what", "why", "how", "when", "where", "who", "which"))
_SUBJECT_DEPS = frozenset(("nsubj",))
_CLIMB_DEPS = frozenset(("advcl", "xcomp", "conj", "pcomp", "ccomp", "prep"))


def _text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _tok_end(t: Token) -> int:
    return t.idx + len(t.text)


@dataclass(slots=True)
class _Found:
    """A statement while it is being assembled (character offsets into the text)."""

    pieces: list[tuple[int, int]]  # content pieces, in order
    rule: str
    cue_start: int | None = None
    cue_end: int | None = None
    cue_lemma: str | None = None
    verb: Verb | None = None
    speaker: tuple[int, int] | None = None
    speaker_name: str | None = None
    speaker_pronoun: bool = False
    speaker_person: bool = False  # a named person (or a pronoun resolved to one)
    speaker_plural: bool = False
    speaker_guess: str | None = None  # for a pronoun: the name it most likely stands for
    issuer: tuple[int, int] | None = None  # "the statement said": who issued the statement
    issuer_noun: str | None = None  # "statement", until the issuer is found
    medium_noun: str | None = None  # "said in a statement" -> "statement"
    addressee: tuple[int, int] | None = None
    request_content: bool = False
    question_content: bool = False
    negated: bool = False  # "does not support": the cue verb is denied, its event type does not apply
    extend: bool = False  # content from the parse: may be stretched to its clause's edge
    overlaps_claim: bool = False  # a turn's paragraph that holds statements other rules found
    clause: tuple[int, int] | None = None  # how far it may stretch (None: its sentence)
    reasons: dict[str, str] = field(default_factory=dict)

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]


class _Context:
    """What the rules of one document share: text, quotations, paragraphs, registry tables."""

    def __init__(self, doc: Doc, registry: Registry) -> None:
        self.doc = doc
        self.text = doc.text
        self.registry = registry
        self.quotes = _Quotes(find_quotes(self.text))
        self.breaks = [m.start() for m in re.finditer(r"\n", self.text)]  # paragraph ends
        self.medium = _medium_table(registry)
        self.follows = _follows_table(registry)
        self.document_nouns = self.medium.get("in", frozenset())  # "in a statement", "in a readout"
        self.has_parse = doc.has_annotation("DEP")
        self.sent_starts: list[int] = _sentence_starts(doc) if self.has_parse or doc.has_annotation("SENT_START") else []
        self.source_spans: list[tuple[int, int]] = []  # "according to X" phrases, never content
        persons = [e for e in doc.ents if e.label_ == "PERSON"]
        self.person_ends = [e.end_char for e in persons]
        self.person_names = [e.text for e in persons]
        self.person_words = {t.lower_ for e in persons for t in e if t.is_title}
        self._tok_starts: list[int] | None = None

    # paragraphs are the stretches between line breaks
    def para(self, pos: int) -> int:
        return bisect.bisect_right(self.breaks, pos - 1) if pos > 0 else 0

    def para_bounds(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_left(self.breaks, pos)
        start = self.breaks[i - 1] + 1 if i > 0 else 0
        end = self.breaks[i] if i < len(self.breaks) else len(self.text)
        return start, end

    def sent_bounds(self, pos: int) -> tuple[int, int]:
        """The sentence around ``pos``, cut to its paragraph."""
        pstart, pend = self.para_bounds(pos)
        if not self.sent_starts:
            return pstart, pend
        i = bisect.bisect_right(self.sent_starts, pos) - 1
        start = self.sent_starts[i] if i >= 0 else 0
        end = self.sent_starts[i + 1] if i + 1 < len(self.sent_starts) else len(self.text)
        return max(start, pstart), min(end, pend)

    def tokens_in(self, start: int, end: int) -> list[Token]:
        """The tokens that overlap [start, end)."""
        if self._tok_starts is None:
            self._tok_starts = [t.idx for t in self.doc]
        i = max(0, bisect.bisect_right(self._tok_starts, start) - 1)
        out = []
        while i < len(self.doc) and self._tok_starts[i] < end:
            t = self.doc[i]
            if t.idx + len(t.text) > start:
                out.append(t)
            i += 1
        return out

    def in_quote(self, tok: Token) -> bool:
        return self.quotes.at(tok.idx) is not None


# abbreviations after which spaCy's small model wrongly ends a sentence ("Navy Capt. Jereal Dorsey")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen lt col capt cmdr adm maj sgt brig sen rep gov rev st jr sr no vs".split()  # noqa: SIM905
)


def _sentence_starts(doc: Doc) -> list[int]:
    """Offsets where sentences start, without the false breaks after a title abbreviation."""
    starts: list[int] = []
    for sent in doc.sents:
        i = sent.start
        if starts and i >= 2:
            j = i - 1
            while j > 0 and doc[j].is_space:
                j -= 1
            prev = doc[j]
            word = doc[j - 1].lower_ if prev.text == "." else prev.lower_.rstrip(".") if prev.text.endswith(".") else ""
            if word in _ABBREVIATIONS and doc[i].is_title:
                continue
        starts.append(sent.start_char)
    return starts


def _medium_table(registry: Registry) -> dict[str, frozenset[str]]:
    """'in a statement' -> {'in': {'statement', ...}}: medium cues by preposition and noun."""
    table: dict[str, set[str]] = {}
    for cue in registry.cues:
        if cue.kind != "medium":
            continue
        words = cue.phrase.split()
        if len(words) >= 2:
            table.setdefault(words[0], set()).add(words[-1])
    return {k: frozenset(v) for k, v in table.items()}


def _follows_table(registry: Registry) -> dict[str, list[tuple[str, ...]]]:
    """'according to' -> {'according': [('according', 'to')]}: source-follows cues by first word."""
    table: dict[str, list[tuple[str, ...]]] = {}
    for cue in registry.cues:
        if cue.kind == "source_follows":
            words = tuple(cue.phrase.split())
            if words:
                table.setdefault(words[0], []).append(words)
    for lst in table.values():
        lst.sort(key=len, reverse=True)
    return table


# ------------------------------------------------------------------ spans
def _trim(ctx: _Context, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past spaces and edge punctuation; drop quotation marks that
    surround the whole stretch; a trailing full stop goes unless it is inside the quotation."""
    text = ctx.text
    quotes = ctx.quotes
    while True:
        old = (start, end)
        while start < end and (text[start].isspace() or text[start] in _EDGE_PUNCT and quotes.at(start) is None):
            start += 1
        while end > start and (
            text[end - 1].isspace() or (text[end - 1] in _EDGE_PUNCT or text[end - 1] == ".") and quotes.at(end - 1) is None
        ):
            end -= 1
        if start < end and text[start] in QUOTE_CHARS and text[end - 1] in QUOTE_CHARS:
            q = ctx.quotes.at(start + 1)
            if q is not None and q.start == start and q.end >= end:
                # the whole stretch is one quotation: keep its words, with their punctuation
                start, end = q.inner_start, min(end - 1, q.inner_end)
                while start < end and text[start].isspace():
                    start += 1
                while end > start and text[end - 1].isspace():
                    end -= 1
                return start, end
        if start < end and text[start] in QUOTE_CHARS and ctx.quotes.at(start + 1) is None:
            start += 1  # a closing mark left over at the start
        elif start < end and text[start] in QUOTE_CHARS:
            q = ctx.quotes.at(start + 1)
            if q is not None and q.inner_end >= end:
                start += 1  # an opening mark whose quotation runs to the end of the stretch
        if end > start and text[end - 1] in QUOTE_CHARS:
            q = ctx.quotes.at(end - 2) if end >= 2 else None
            if q is None or q.inner_start >= start - 1 and q.start < start:
                end -= 1  # the closing mark of a quotation that began before the stretch
        if (start, end) == old:
            return start, end


def _expand_to_quotes(ctx: _Context, start: int, end: int) -> tuple[int, int]:
    """Stretch [start, end) to the whole of a quotation it starts or ends inside of (spaCy
    cuts long quotations into sentences; the content is the whole quotation). A quotation that
    opens inside the stretch keeps its closing mark, so the content stays balanced."""
    first = ctx.quotes.at(start)
    if first is not None and first.inner_start < start:
        start = first.inner_start
    last = ctx.quotes.at(end - 1) if end > 0 else None
    if last is not None and last.inner_end >= end - 1:
        end = max(end, last.inner_end)
        if last is not first and last.start >= start:
            end = max(end, last.end)
    return start, end


def _clip_to_paragraph(ctx: _Context, anchor: int, start: int, end: int) -> tuple[int, int] | None:
    """Keep [start, end) within the paragraph of ``anchor`` (spaCy runs sentences over line
    breaks); None if nothing is left."""
    pstart, pend = ctx.para_bounds(anchor)
    start, end = max(start, pstart), min(end, pend)
    return (start, end) if end > start else None


def _token_range(doc: Doc, a: int, b: int) -> tuple[int, int]:
    return doc[a].idx, _tok_end(doc[b])


def _span_minus(outer: tuple[int, int], inner: tuple[int, int]) -> list[tuple[int, int]]:
    """Token ranges (inclusive) of ``outer`` with ``inner`` cut out."""
    out = []
    if inner[0] > outer[0]:
        out.append((outer[0], inner[0] - 1))
    if inner[1] < outer[1]:
        out.append((inner[1] + 1, outer[1]))
    return out


# ------------------------------------------------------------------ speakers
def _name_span(tok: Token) -> tuple[int, int]:
    """The name a speaker token stands in: its named entity, its run of proper nouns without
    honorifics, or its noun phrase without apposition."""
    doc = tok.doc
    if tok.ent_type_ in _SPEAKER_ENTS:
        first, last = tok.i, tok.i
        while first > 0 and doc[first].ent_iob_ == "I":
            first -= 1
        while last + 1 < len(doc) and doc[last + 1].ent_iob_ == "I":
            last += 1
        # "Gen. Charles Q. Brown" -> "Charles Q. Brown"; "the Pentagon" -> "Pentagon"
        while first < tok.i and (doc[first].lower_ in _HONORIFICS or doc[first].lower_ == "the"):
            first += 1
        return doc[first].idx, _tok_end(doc[last])
    if tok.pos_ == "PRON" or tok.lower_ in _PRONOUNS:
        return tok.idx, _tok_end(tok)
    if tok.pos_ == "PROPN":
        left = tok.i
        while left - 1 >= tok.left_edge.i:
            prev = doc[left - 1]
            if prev.pos_ == "PROPN" and prev.head.i in range(left - 1, tok.i + 1) and prev.dep_ in ("compound", "flat", "nmod", "name"):
                left -= 1
            else:
                break
        while left < tok.i and doc[left].lower_ in _HONORIFICS:
            left += 1
        return doc[left].idx, _tok_end(tok)
    # a common noun: the determiners, modifiers and compounds before it
    left = tok.i
    for child in tok.lefts:
        if child.dep_ in ("det", "amod", "compound", "poss", "nummod", "nmod", "quantmod", "predet", "advmod", "npadvmod"):
            left = min(left, child.left_edge.i)
    right = tok.i
    for child in tok.rights:
        if child.dep_ == "prep" and child.lower_ in ("of", "for", "at", "from", "to", "with", "in") and child.right_edge.i - child.i <= 6:
            if not any(t.text in (",", ";", "(") for t in doc[child.i : child.right_edge.i + 1]):
                right = max(right, child.right_edge.i)
        else:
            break
    return doc[left].idx, _tok_end(doc[right])


def _person_in_apposition(tok: Token) -> Token | None:
    """'a spokesman, Wang Wenbin' / 'spokesperson Wang Wenbin': the named person."""
    for child in tok.children:
        if child.dep_ in ("appos", "compound") and child.ent_type_ == "PERSON":
            return child
    return None


def _subject(ctx: _Context, v: Token) -> tuple[Token | None, str]:
    """The subject of a cue verb, climbing from participles and conjuncts to the verb they
    hang on ("..., noting that", "and added"). A subject inside quotation marks is part of
    the quotation, not the speaker ('"... Full panic mode," said Leslie Wimes')."""
    subjects = [c for c in v.children if c.dep_ in _SUBJECT_DEPS]
    if subjects:
        outside = [c for c in subjects if not ctx.in_quote(c)]
        if outside:
            return min(outside, key=lambda c: abs(c.i - v.i)), "subject"
        return subjects[0], "subject"
    if v.dep_ == "conj" and v.head.dep_ == "ccomp" and _coordinated_cue(ctx, v, v.head.head):
        # "China said it was opposed and warned ...": "warned" goes with "said", not with
        # the clause spaCy hung it on
        return _subject(ctx, v.head.head)
    t = v
    for _ in range(5):
        if t.dep_ in _CLIMB_DEPS and t.head.i != t.i:
            if t.dep_ == "ccomp" and t.tag_ != "VBG":
                break
            t = t.head
            for child in t.children:
                if child.dep_ in ("nsubj", "nsubjpass"):
                    return child, "inherited"
            continue
        if t.dep_ == "acl" and t.tag_ == "VBG":
            # "a statement saying ...": the statement, or who issued it
            noun = t.head
            if noun.dep_ == "dobj":
                for child in noun.head.children:
                    if child.dep_ == "nsubj":
                        return child, "inherited"
            if noun.pos_ in ("NOUN", "PROPN"):
                return noun, "noun"
        break
    # "In a meeting with the board of the Tribune Smith said that ...": spaCy hung the name
    # on the phrase before it; a name right before a finite cue verb that reports a clause is
    # its speaker
    before = v.doc[v.i - 1] if v.i > 0 else None
    if (
        before is not None
        and v.tag_ in ("VBD", "VBZ")
        and before.pos_ == "PROPN"
        and before.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")
        and before.dep_ in ("pobj", "compound", "appos", "npadvmod")
        and any(c.dep_ == "ccomp" and c.i > v.i for c in v.children)
    ):
        return before, "adjacent"
    return None, ""


# ------------------------------------------------------------------ cue verbs and content
def _cue(v: Token, registry: Registry) -> tuple[Verb, list[Token]] | None:
    """The registry verb a token is a cue for, and the tokens of the cue: the verb, with its
    particle, preposition or object noun for two-word lemmas ("pointed out", "called for",
    "raised concerns"). A verb with a particle the registry does not list is another verb
    ("show up", "call off")."""
    lemma = v.lemma_.lower()
    particle = False
    for child in v.children:
        if child.i <= v.i:
            continue
        if child.dep_ == "prt" or child.dep_ == "prep" and (child.i == v.i + 1 or _only_adverbs_between(v, child)):
            verb = registry.verbs.get(f"{lemma} {child.lower_}")
            if verb is not None:
                return verb, [v, child]
            particle = particle or child.dep_ == "prt"
        elif child.dep_ == "dobj":
            # a verb with its object noun: "raised concerns about ...", "lodged a protest"
            verb = registry.verbs.get(f"{lemma} {child.lemma_.lower()}")
            if verb is not None:
                return verb, [v, child]
    if particle:
        return None
    verb = registry.verbs.get(lemma)
    return (verb, [v]) if verb is not None else None


def _only_adverbs_between(v: Token, child: Token) -> bool:
    """'called Friday for', 'called again for': only a time word or an adverb of ``v`` stands
    between the verb and its preposition."""
    between = {t.i for c in v.children if v.i < c.i < child.i and c.dep_ in ("npadvmod", "advmod") for t in c.subtree}
    return all(i in between for i in range(v.i + 1, child.i))


def _coordinated_cue(ctx: _Context, g: Token, v: Token) -> bool:
    """Whether ``g``, a conjunct inside the clause reported by cue verb ``v``, is another cue
    of the same speaker ('said it was opposed and warned ...'): a reporting verb in the same
    tense as ``v``, without a subject of its own."""
    finite = ("VBD", "VBZ", "VBP")
    return (
        g.pos_ == "VERB"
        and (g.tag_ == v.tag_ or g.tag_ in finite and v.tag_ in finite)
        and g.i > v.i
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in g.children)
        and v.pos_ == "VERB"
        and _cue(v, ctx.registry) is not None
        and _cue(g, ctx.registry) is not None
    )


def _intended_only(v: Token) -> bool:
    """'vowed not to repeat', 'declined to describe': a speech verb under another verb's
    to-infinitive reports what someone will or would not say, not what they said. And 'Asked
    about the refusal, the spokesperson said': a bare passive participle is said to someone."""
    if v.tag_ == "VBN" and not any(c.dep_ in ("nsubj", "aux", "auxpass", "nsubjpass") for c in v.children):
        return v.dep_ in ("advcl", "acl", "ROOT") and not any(c.dep_ == "agent" for c in v.children)
    if v.dep_ != "xcomp" or v.head.i == v.i:
        return False
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children):
        return False
    return v.head.lemma_.lower() not in ("go", "continue", "proceed")


def _demanded(v: Token) -> bool:
    """'the US side should support ...', 'must stop and support ...': a typed verb under should,
    must or ought (or conjoined with one that is, sharing its subject) says what its subject
    is asked to do, not what it said."""
    t = v
    for _ in range(4):
        if any(c.dep_ == "aux" and c.lower_ in _MODAL_REQUEST for c in t.children):
            return True
        if t.dep_ == "conj" and t.head.i != t.i and not any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in t.children):
            t = t.head
            continue
        if t.dep_ == "xcomp" and t.head.i != t.i and t.head.lemma_.lower() in ("stop", "continue", "start", "keep", "begin"):
            t = t.head
            continue
        return False
    return False


def _negation(v: Token) -> str | None:
    """'does not support', 'never opposed': the word that denies a cue verb, if any."""
    for c in v.children:
        if c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ == "never"):
            return c.text
    return None


def _is_to_clause(t: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children) or t.tag_ == "VB" and t.doc[t.i - 1].lower_ == "to"


def _request_like(t: Token) -> bool:
    """A clause that says what another party should do ('the US should respect ...', 'both
    sides must ...'); not 'the key should be ...' nor 'we should be wary'."""
    if not any(c.dep_ == "aux" and c.lower_ in _MODAL_REQUEST for c in t.children):
        return False
    subject = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        return False
    return subject.ent_type_ in ("GPE", "ORG", "NORP", "PERSON") or subject.lemma_.lower() in _PARTIES


# what "X should ..." must name to be a request to another party
_PARTIES = frozenset(
    """side country nation government party military army navy administration ministry
    they you leader leaders state states alliance""".split()  # noqa: SIM905
)


# A content candidate: token ranges (inclusive), the rule that found it, the head of the clause.
_Candidate = tuple[list[tuple[int, int]], str, Token | None]


def _contents(ctx: _Context, v: Token, cue_toks: list[Token], verb: Verb, speaker: Token) -> list[_Candidate]:
    """What cue verb ``v`` introduces, by the first rule that finds something: its clauses
    (a that-clause after it, the clause it interrupts or follows), else a to-infinitive, else
    its object, else a prepositional complement."""
    clauses = _clause_contents(ctx, v)
    aside = _parenthetical_content(ctx, v, verb, speaker, clauses)
    if aside is not None:
        clauses.append(aside)
    if clauses:
        return clauses
    for rule in (_infinitive_content, _object_content, _prep_content):
        found = rule(ctx, v, cue_toks, verb)
        if found is not None:
            return [found]
    return []


def _clause_contents(ctx: _Context, v: Token) -> list[_Candidate]:
    """'said that ...', '..., Liu said' when spaCy makes the clause the verb's ccomp, and
    'said in a statement that ...' (spaCy hangs that-clause on the noun)."""
    doc = ctx.doc
    ccomps = [c for c in v.children if c.dep_ == "ccomp"]
    if not ccomps:
        # "said after the meeting he would not ...": spaCy may take a reported clause that
        # follows a modifier for an adverbial one; a clause with its own subject and no
        # subordinating word ("if", "because") after the cue is what was said
        ccomps = [
            c
            for c in v.children
            if c.dep_ == "advcl"
            and c.i > v.i
            and c.pos_ in ("VERB", "AUX")
            and any(g.dep_ in ("nsubj", "nsubjpass") and g.i < c.i for g in c.children)
            and not any(g.dep_ == "mark" for g in c.children)
            and doc[c.left_edge.i - 1].text not in (",", "—", "–", ";")
        ]
    medium = _medium(ctx, v)
    if not ccomps and medium is not None:
        ccomps = [
            c
            for c in medium.children
            if c.dep_ in ("acl", "ccomp", "relcl")
            and c.left_edge.lower_ == "that"
            and any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
        ]
    # "Uncertainty remains Nevertheless, experts mentioned that ...": a clause before the verb
    # does not count when a that-clause follows it
    that_after = any(c.i > v.i and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children) for c in ccomps)
    out: list[_Candidate] = []
    for child in ccomps:
        if child.i < v.i and that_after:
            continue
        end = child.right_edge.i
        for g in child.children:
            if g.dep_ == "conj" and _coordinated_cue(ctx, g, v):
                end = min(end, g.left_edge.i - 1)  # "said it was X and warned Y": stop before "and warned"
        while end > child.i and (doc[end].dep_ == "cc" or doc[end].is_punct and ctx.quotes.at(doc[end].idx) is None):
            end -= 1
        start = child.left_edge.i
        if child.dep_ == "advcl":
            # "said after the meeting he would ...": the clause starts at its subject
            start = min(g.left_edge.i for g in child.children if g.dep_ in ("nsubj", "nsubjpass") and g.i < child.i)
        ranges = [(start, end)]
        subject = next((c for c in v.children if c.dep_ in _SUBJECT_DEPS and c.i < v.i), None)
        if subject is not None and child.left_edge.i < subject.left_edge.i and v.i < child.i:
            # "..., which he said came with strings": the relative word belongs to the clause,
            # but speaker and cue stand between; the content is what follows the cue
            ranges = [(v.i + 1, end)]
        fronted = _fronted(v, child) if child.i > v.i else None
        if fronted is not None:
            ranges.insert(0, fronted)
        out.append((ranges, "ccomp", child))
    return out


def _fronted(v: Token, clause: Token) -> tuple[int, int] | None:
    """'In law school, she said, professors would ...': what comes before the speaker and a
    comma belongs to the clause reported after the cue; spaCy hangs it on the cue verb."""
    doc = v.doc
    subject = next((c for c in v.children if c.dep_ == "nsubj" and c.i < v.i), None)
    if subject is None:
        return None
    lefts = [c for c in v.children if c.i < subject.left_edge.i and c.dep_ in ("prep", "advcl", "advmod", "npadvmod")]
    if not lefts:
        return None
    first, last = lefts[0].left_edge.i, max(c.right_edge.i for c in lefts)
    between = doc[last + 1 : subject.left_edge.i]
    if len(between) != 1 or between[0].text != ",":
        return None
    # an aside has commas on both sides ("..., she said, ..."); "On Monday, Trump said that ..."
    # is not one
    if v.i + 1 >= len(doc) or doc[v.i + 1].text != "," or any(c.dep_ == "mark" for c in clause.children):
        return None
    return first, last


def _parenthetical_content(ctx: _Context, v: Token, verb: Verb, speaker: Token, clauses: list[_Candidate]) -> _Candidate | None:
    """'..., Liu said.' / 'The US, he said, should ...': spaCy makes the cue verb a
    parataxis (or a comma-led modifier) of the clause it reports."""
    doc = ctx.doc
    h = v.head
    if h.i == v.i or v.dep_ not in ("parataxis", "advcl", "conj", "ccomp", "dep") or verb.strength < 0.7:
        return None
    if any(c[0][0][0] < v.i for c in clauses) or clauses and v.dep_ != "parataxis":
        return None
    if any(c.dep_ in ("dobj", "attr", "oprd") for c in v.children):
        return None  # a verb with its own object is not an aside
    ok = v.dep_ == "parataxis"
    if not ok and v.i > h.i:
        # attached as a modifier: a comma before it, nothing after it
        before = doc[v.left_edge.i - 1] if v.left_edge.i > 0 else None
        tail = [t for t in doc[v.right_edge.i + 1 : h.right_edge.i + 1] if not (t.is_punct or t.is_space)]
        ok = before is not None and before.text in (",", "—", "–") and not tail and v.dep_ != "ccomp"
    if not ok or not (speaker.i > v.i or speaker.i >= v.left_edge.i):
        return None
    ranges = _span_minus((h.left_edge.i, h.right_edge.i), (v.left_edge.i, v.right_edge.i))
    return (ranges, "parataxis", h) if ranges else None


def _infinitive_content(ctx: _Context, v: Token, cue_toks: list[Token], verb: Verb) -> _Candidate | None:
    """'urged China to stop the drills', 'vowed to respond', 'proposed dropping ...'."""
    typed = verb.event_type is not None
    if not (typed or verb.strength < 1.0 or v.lemma_.lower() in ("tell", "vow", "promise", "pledge")):
        return None
    xcomps = [
        c
        for c in v.children
        if c.i > v.i and (c.dep_ in ("xcomp", "advcl") and _is_to_clause(c) or typed and c.dep_ == "xcomp" and c.tag_ == "VBG")
    ]
    if not xcomps:
        return None
    c = xcomps[0]
    # who is asked belongs to what is asked ("China to stop the drills"), as PolNeAR marks it
    objs = [o for o in v.children if o.dep_ in ("dobj", "dative") and v.i < o.i < c.i]
    objs += [o for t in cue_toks[1:] for o in t.children if o.dep_ == "pobj" and o.i < c.i]  # "called on X to"
    start = min(objs, key=lambda o: o.i).left_edge.i if objs else c.left_edge.i
    return [(start, c.right_edge.i)], "xcomp", c


def _object_content(ctx: _Context, v: Token, cue_toks: list[Token], verb: Verb) -> _Candidate | None:
    """'condemned the decision', 'called Trump a liar', 'described the call as "..."'. Verbs
    with an event type take any object; others only a quoted one, one followed by "as" or a
    predicate, or one that is not their addressee or a thing ("tell", "find")."""
    doc = ctx.doc
    lemma = v.lemma_.lower()
    obj = next((c for c in v.rights if c.dep_ in ("dobj", "attr", "oprd")), None)  # spaCy may make both oprd
    if obj is None:
        return None
    if obj in cue_toks:
        # "raised concerns about human rights": the concern is the cue, its matter the content
        about = [c for c in obj.rights if c.dep_ in ("prep", "acl", "relcl")]
        about += [c for c in v.rights if c.i > obj.right_edge.i and c.dep_ == "prep" and c.lower_ in ("about", "over", "on", "regarding")]
        if not about:
            return None
        return [(min(c.left_edge.i for c in about), max(c.right_edge.i for c in about))], "object", obj
    rights = [c for c in v.rights if c.dep_ in ("dobj", "oprd", "prep", "xcomp", "ccomp", "dative", "attr")]
    as_child = any(c.dep_ == "prep" and c.lower_ == "as" for c in obj.children)
    if obj.lower_ in _EMPTY_OBJECTS and not (as_child or any(c.dep_ == "oprd" for c in rights)):
        return None  # "said so", but "called it a farce"
    end = obj.right_edge.i
    predicative = as_child  # "called Trump a liar", "described it as ..."
    for c in rights:
        if c.i > obj.i and (c.dep_ == "oprd" or c.dep_ == "prep" and c.lower_ in ("as", "for", "over", "of")):
            end = max(end, c.right_edge.i)
            predicative = predicative or c.dep_ == "oprd" or c.lower_ == "as"
    a, b = _token_range(doc, obj.left_edge.i, end)
    quoted, total = ctx.quotes.quoted_chars(a, b, ctx.text)
    allowed = (
        (verb.event_type is not None and lemma not in ("ask", "call"))
        or predicative
        or (total > 0 and quoted / total >= 0.3)
        or (verb.strength >= 1.0 and lemma not in _OBJECT_NOT_CONTENT)
    )
    if not allowed or not any(t.is_alpha for t in doc[obj.left_edge.i : end + 1]):
        return None
    return [(obj.left_edge.i, end)], "object", obj


def _prep_content(ctx: _Context, v: Token, cue_toks: list[Token], verb: Verb) -> _Candidate | None:
    """'called for restraint', 'called on X to ...', 'warned against ...', 'blamed X for ...'."""
    typed = verb.event_type is not None
    if not typed and len(cue_toks) < 2:
        return None
    obj = next((c for c in v.rights if c.dep_ in ("dobj", "attr", "oprd")), None)
    for c in v.rights:
        if c.dep_ != "prep" or c.lower_ not in ("for", "against", "about", "on", "over", "of", "to") or not c.n_rights:
            continue
        pobj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
        if pobj is None:
            continue
        if c in cue_toks:
            # the preposition is part of the cue: what follows it is the content
            follow = [
                g
                for g in list(v.children) + list(pobj.children)
                if g.dep_ in ("xcomp", "advcl", "acl") and g.i > pobj.i and _is_to_clause(g)
            ]
            if follow:
                return [(pobj.left_edge.i, follow[0].right_edge.i)], "xcomp", follow[0]
            return [(pobj.left_edge.i, pobj.right_edge.i)], "prep", pobj
        if typed:
            start = obj.left_edge.i if obj is not None and obj.i < c.i else c.i + 1
            return [(start, c.right_edge.i)], "prep", pobj
    return None


def _addressee(v: Token, content_heads: Sequence[Token | None]) -> Token | None:
    """The one spoken to: 'told Brown', 'told the Global Times', 'said to reporters'."""
    heads = {h.i for h in content_heads if h is not None}
    for child in v.children:
        if child.i in heads:
            continue
        if (
            child.dep_ in ("dobj", "dative")
            and child.i > v.i
            and child.lower_ not in _EMPTY_OBJECTS
            and (child.dep_ == "dative" or v.lemma_.lower() in _TOLD_VERBS)
        ):
            return child
        # "said to reporters", "called on Beijing to ..."
        if child.dep_ == "prep" and (child.lower_ == "to" and child.i == v.i + 1 or child.lower_ == "on" and v.lemma_.lower() == "call"):
            pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
    return None


# verbs whose object is the one spoken to ("told Brown", "urged Beijing to ...")
_TOLD_VERBS = frozenset(("tell", "inform", "assure", "brief", "warn", "urge", "ask", "remind", "notify"))


def _medium(ctx: _Context, v: Token) -> Token | None:
    """'said in a statement': the last token of a medium phrase right after the verb."""
    for child in v.rights:
        if child.dep_ != "prep" or child.i > v.i + 4:
            continue
        nouns = ctx.medium.get(child.lower_)
        if not nouns:
            continue
        pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
        if pobj is not None and (pobj.lower_ in nouns or pobj.lemma_.lower() in nouns):
            return pobj
    return None


QUOTE_ONLY_STRENGTH = 0.3  # verbs this weak report speech only next to a quotation


def _all_quoted(ctx: _Context, pieces: Sequence[tuple[int, int]]) -> bool:
    inside = total = 0
    for s, e in pieces:
        i, t = ctx.quotes.quoted_chars(s, e, ctx.text)
        inside += i
        total += t
    return total > 0 and inside / total >= 0.95


def _dependency_statements(ctx: _Context) -> tuple[list[_Found], list[_Found]]:
    """Statements from cue verbs; and the cue verbs that have a speaker but no content yet
    ("pending": a quotation nearby may be theirs)."""
    doc = ctx.doc
    found: list[_Found] = []
    pending: list[_Found] = []
    for v in doc:
        if v.pos_ != "VERB" or ctx.in_quote(v):
            continue  # a verb inside quotation marks is the quoted speaker's own word
        hit = _cue(v, ctx.registry)
        if hit is None or _intended_only(v):
            continue
        verb, cue_toks = hit
        if verb.event_type is not None and _demanded(v):
            continue  # "the US side should ... support reunification": what another says it should do
        speaker, how = _subject(ctx, v)
        if speaker is None or ctx.in_quote(speaker) or speaker in cue_toks or ctx.para(speaker.idx) != ctx.para(v.idx):
            continue
        medium = _medium(ctx, v)
        cue_last = medium if medium is not None else cue_toks[-1]
        base = _Found(
            pieces=[(v.idx, _tok_end(v))],  # where the cue is, until a content is found
            rule="statement/attached",
            cue_start=v.idx,
            cue_end=_tok_end(cue_last),
            cue_lemma=verb.lemma,
            verb=verb,
        )
        base.medium_noun = medium.lemma_.lower() if medium is not None else None
        if verb.event_type is not None and (neg := _negation(v)) is not None:
            base.negated = True
            base.reasons["event_type"] = f"negated ({neg} {v.text}): the speech act is denied, so it codes no event"
        _set_speaker(ctx, base, speaker, v, how)
        candidates = _contents(ctx, v, cue_toks, verb, speaker)
        addressee = _addressee(v, [c[2] for c in candidates])
        if addressee is not None:
            base.addressee = _name_span(addressee)
        # a cue in a clause that modifies a noun ("tweets accusing X of ... are lies") keeps its
        # content within that clause
        clause = _token_range(doc, v.left_edge.i, v.right_edge.i) if v.dep_ in ("acl", "relcl") or _reported(ctx, v) else None
        made = False
        kept: list[tuple[int, int]] = []
        for ranges, rule, head in candidates:
            pieces = _pieces(ctx, v, speaker, ranges, rule)
            if not pieces or any(a <= pieces[0][0] and pieces[-1][1] <= b for a, b in kept):
                continue  # nothing, or a clause inside one already taken from this cue
            kept.append((pieces[0][0], pieces[-1][1]))
            if verb.strength <= QUOTE_ONLY_STRENGTH and not _all_quoted(ctx, pieces):
                continue  # "continued to press" is not speech; 'continued: "..."' is
            found.append(
                replace(
                    base,
                    pieces=pieces,
                    rule=f"statement/{rule}" + ("+medium" if medium is not None else ""),
                    request_content=head is not None and rule in ("ccomp", "parataxis") and _request_like(head),
                    question_content=head is not None and rule == "ccomp" and doc[head.left_edge.i].lower_ in _QUESTION_WORDS,
                    reasons=dict(base.reasons),
                    extend=True,
                    clause=(
                        _token_range(doc, head.left_edge.i, head.right_edge.i)
                        if rule == "parataxis" and head is not None
                        # "what the mayors said was ...": the content stays within the cue's clause
                        else _token_range(doc, v.left_edge.i, v.right_edge.i)
                        if rule == "ccomp" and head is not None and head.left_edge.i < v.i < head.i
                        else clause
                    ),
                )
            )
            made = True
        if not made:
            pending.append(base)
    return found, pending


def _reported(ctx: _Context, v: Token) -> bool:
    """Whether ``v`` lies inside what another cue verb reports ('X said that Y asked for ...')."""
    t = v
    while t.head.i != t.i:
        if t.dep_ == "ccomp" and t.head.pos_ == "VERB" and _cue(t.head, ctx.registry) is not None:
            return True
        t = t.head
    return False


def _pieces(ctx: _Context, v: Token, speaker: Token, ranges: list[tuple[int, int]], rule: str) -> list[tuple[int, int]]:
    """Character pieces of a content candidate: kept to the cue's paragraph, stretched over
    quotations it cuts into, trimmed; none if it says nothing (fewer than two words)."""
    pieces: list[tuple[int, int]] = []
    for a, b in ranges:
        if a <= speaker.i <= b and rule != "parataxis":
            continue  # a misparse that puts the speaker inside what they said
        clipped = _clip_to_paragraph(ctx, v.idx, *_token_range(ctx.doc, a, b))
        if clipped is None:
            continue
        s, e = _trim(ctx, *_expand_to_quotes(ctx, *clipped))
        if ctx.text.count("(", s, e) > ctx.text.count(")", s, e) and ctx.text[e : e + 1] == ")":
            e += 1  # "(MMCA)": spaCy may hang the closing bracket elsewhere
        if e - s >= 2:
            pieces.append((s, e))
    words = sum(len(ctx.text[s:e].split()) for s, e in pieces)
    if words < 2 and not _quoted_pieces(ctx, pieces):
        return []
    return pieces


def _set_speaker(ctx: _Context, f: _Found, speaker: Token, v: Token, how: str) -> None:
    tok = speaker
    if tok.lower_ in _RELATIVE and tok.dep_ == "nsubj" and v.dep_ == "relcl":
        # "listeners who said ...": the relative pronoun, named by what it stands for
        f.speaker = (tok.idx, _tok_end(tok))
        a, b = _name_span(v.head)
        f.speaker_name = ctx.text[a:b]
        return
    person = _person_in_apposition(tok) if tok.ent_type_ != "PERSON" and tok.pos_ == "NOUN" else None
    if person is not None:
        tok = person
    a, b = _name_span(tok)
    f.speaker = (a, b)
    f.speaker_name = ctx.text[a:b]
    f.speaker_pronoun = tok.pos_ == "PRON" or tok.lower_ in _PRONOUNS
    f.speaker_person = _person_like(ctx, tok)
    f.speaker_plural = tok.tag_ in ("NNS", "NNPS") or tok.lower_ in ("they", "we")
    if how == "inherited":
        f.reasons["speaker_span"] = "the subject of the verb this one hangs on"
    _set_issuer(ctx, f, tok)


def _set_issuer(ctx: _Context, f: _Found, tok: Token) -> None:
    """'the statement said', 'according to a Reuters report': a document speaks for whoever
    issued it, named in it ('the Pentagon's statement', 'a Reuters report') or found later
    as the speaker of an earlier 'said in a statement'."""
    if tok.pos_ != "NOUN" or tok.lemma_.lower() not in ctx.document_nouns:
        return
    owner = next((c for c in tok.lefts if c.dep_ in ("poss", "compound") and c.pos_ == "PROPN"), None)
    if owner is not None:
        f.issuer = _name_span(owner)
    else:
        f.issuer_noun = tok.lemma_.lower()


def _person_like(ctx: _Context, tok: Token) -> bool:
    """Whether a speaker may be the 'he' or 'she' of a later sentence: a PERSON entity; a word
    of a person named before ('Chase' after 'Michael Chase', though tagged ORG); or a proper
    name the entity recognizer took for something else but described as a person ('Marcus
    Hale, a former defense attache')."""
    if tok.ent_type_ == "PERSON":
        return True
    if tok.pos_ != "PROPN" or tok.tag_ != "NNP" or tok.ent_type_ in ("GPE", "NORP", "LOC", "FAC"):
        return False
    return tok.lower_ in ctx.person_words or any(c.dep_ == "appos" and c.pos_ == "NOUN" for c in tok.children)


# nouns of saying that are not a reporting verb's lemma ("his claim that" is, as "claim")
_SPEECH_NOUNS = frozenset(
    """statement assertion argument allegation accusation warning suggestion insistence
    announcement remark pledge promise contention""".split()  # noqa: SIM905
)


def _noun_statements(ctx: _Context) -> list[_Found]:
    """'his claim that ...', "Trump's promise to ...", "the senator's warning that ...": a
    noun of saying with an owner (the speaker) and a that-clause or a to-infinitive (the
    content)."""
    doc = ctx.doc
    out: list[_Found] = []
    for n in doc:
        if n.pos_ != "NOUN" or ctx.in_quote(n):
            continue
        lemma = n.lemma_.lower()
        verb = ctx.registry.verbs.get(lemma)
        if verb is None and lemma not in _SPEECH_NOUNS:
            continue
        owner = next((c for c in n.children if c.dep_ == "poss" and c.i < n.i), None)
        if owner is None or ctx.in_quote(owner):
            continue
        clause = next(
            (
                c
                for c in n.children
                if c.i > n.i
                and (
                    c.dep_ in ("acl", "ccomp") and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)
                    or c.dep_ in ("acl", "relcl") and _is_to_clause(c)
                )
            ),
            None,
        )
        if clause is None:
            continue
        start, end = _token_range(doc, clause.left_edge.i, clause.right_edge.i)
        clipped = _clip_to_paragraph(ctx, n.idx, start, end)
        if clipped is None:
            continue
        s, e = _trim(ctx, *_expand_to_quotes(ctx, *clipped))
        if len(ctx.text[s:e].split()) < 2:
            continue
        f = _Found(pieces=[(s, e)], rule="statement/noun", cue_start=n.idx, cue_end=_tok_end(n), cue_lemma=lemma, verb=verb)
        a, b = _name_span(owner)
        f.speaker = (a, b)
        f.speaker_name = ctx.text[a:b]
        f.speaker_pronoun = owner.pos_ == "PRON" or owner.lower_ in _PRONOUNS
        f.speaker_person = _person_like(ctx, owner)
        f.speaker_plural = owner.lower_ in ("their", "our")
        out.append(f)
    return out


def _according_to(ctx: _Context) -> list[_Found]:
    """'according to X, ...' and the other source-follows cues of the registry."""
    doc = ctx.doc
    out: list[_Found] = []
    if not ctx.follows:
        return out
    for t in doc:
        phrases = ctx.follows.get(t.lower_)
        if not phrases:
            continue
        for words in phrases:
            if t.i + len(words) > len(doc):
                continue
            toks = doc[t.i : t.i + len(words)]
            if tuple(x.lower_ for x in toks) != words:
                continue
            if ctx.in_quote(t):
                break
            last = toks[-1]
            source = next((g for g in last.children if g.dep_ in ("pobj", "pcomp")), None)
            if source is None:
                break
            # the top of the phrase hangs on the clause it sources
            top = t
            while top.head.i != top.i and toks.start <= top.head.i < toks.end:
                top = top.head
            clause = top.head if top.head.i != top.i else None
            if clause is None:
                break
            while clause.dep_ in ("prep", "pobj", "advmod", "npadvmod") and clause.head.i != clause.i:
                clause = clause.head
            sub = (top.left_edge.i, top.right_edge.i)
            ctx.source_spans.append(_token_range(doc, *sub))
            outer = (clause.left_edge.i, clause.right_edge.i)
            if not (outer[0] <= sub[0] and sub[1] <= outer[1]):
                break
            pieces = []
            for a, b in _span_minus(outer, sub):
                s, e = _token_range(doc, a, b)
                clipped = _clip_to_paragraph(ctx, t.idx, s, e)
                if clipped is None:
                    continue
                s, e = _trim(ctx, *_expand_to_quotes(ctx, *clipped))
                if e - s >= 2 and len(ctx.text[s:e].split()) >= 2:
                    pieces.append((s, e))
            if not pieces:
                break
            f = _Found(pieces=[(pieces[0][0], pieces[-1][1])], rule="statement/according_to", extend=True)
            f.cue_start, f.cue_end = toks.start_char, toks.end_char
            f.cue_lemma = " ".join(words)
            src = source
            person = _person_in_apposition(src) if src.pos_ == "NOUN" else None
            a, b = _name_span(person or src)
            f.speaker = (a, b)
            f.speaker_name = ctx.text[a:b]
            f.speaker_pronoun = src.pos_ == "PRON"
            _set_issuer(ctx, f, person or src)
            out.append(f)
            break
    return out


# ------------------------------------------------------------------ content edges
_TRAILING_WORDS = frozenset(("and", "but", "or", "while", "whereas", "as", "so", "then"))


def _extend_contents(ctx: _Context, found: list[_Found]) -> None:
    """Stretch parse-based contents to the edge of their sentence: spaCy often hangs part of
    what was said ('..., and let them know that ...', 'last week') on the cue verb rather than
    on the content clause. A content after its cue runs on to the end of the sentence, one
    before its cue back to the start of it, but never over another statement's cue or
    speaker."""
    text = ctx.text
    marks: list[tuple[int, int]] = []
    for f in found:
        if f.cue_start is not None and f.cue_end is not None:
            marks.append((f.cue_start, f.cue_end))
        if f.speaker is not None:
            marks.append(f.speaker)
    marks.sort()
    mark_starts = [m[0] for m in marks]
    for f in found:
        if not f.extend or f.cue_start is None or f.cue_end is None or _kind(ctx, f) == "direct":
            continue
        if f.rule.startswith("statement/according_to"):
            # what a source is cited for is the whole rest of its sentence, other cues included
            sent_start, sent_end = ctx.sent_bounds(f.cue_start)
            s, e = f.pieces[0]
            lo = min(s, sent_start) if s < f.cue_start else s
            hi = max(e, sent_end) if e > f.cue_end else e
            if s > f.cue_end or e < f.cue_start:
                if s > f.cue_end:
                    lo, hi = s, max(e, sent_end)
                else:
                    lo, hi = min(s, sent_start), e
            ns, ne = _trim(ctx, lo, hi)
            f.pieces[0] = (min(s, ns), max(e, ne))
            continue
        cue_lo = min(f.cue_start, f.speaker[0]) if f.speaker else f.cue_start
        s, e = f.pieces[-1]
        if s >= f.cue_end and ctx.quotes.at(e - 1) is None:
            sent_start, sent_end = ctx.sent_bounds(e - 1)
            if f.clause is not None:
                sent_end = min(sent_end, f.clause[1])
            i = bisect.bisect_left(mark_starts, e)
            stop = min(sent_end, marks[i][0]) if i < len(marks) else sent_end
            if stop > e and ctx.quotes.at(stop - 1) is None:
                ns, ne = _trim(ctx, s, stop)
                ne = _drop_trailing_words(text, ns, ne)
                ns, ne = _trim(ctx, ns, ne)
                if ne > e:
                    f.pieces[-1] = (s, ne)
        s, e = f.pieces[0]
        if e <= cue_lo and ctx.quotes.at(s) is None:
            sent_start, sent_end = ctx.sent_bounds(s)
            if f.clause is not None:
                sent_start = max(sent_start, f.clause[0])
            i = bisect.bisect_left(mark_starts, s) - 1
            while i >= 0 and marks[i][1] > s:
                i -= 1
            stop = max(sent_start, marks[i][1]) if i >= 0 else sent_start
            if stop < s and ctx.quotes.at(stop) is None:
                ns, ne = _trim(ctx, stop, e)
                if ns < s:
                    f.pieces[0] = (ns, e)


def _cut_sources(ctx: _Context, found: list[_Found]) -> None:
    """'it approved a sale, according to a Reuters report': the phrase that cites a source is
    not part of what the other speakers said; cut it from the edges of their contents."""
    if not ctx.source_spans:
        return
    text = ctx.text
    sources = sorted(ctx.source_spans)
    starts = [a for a, _ in sources]
    for f in found:
        if f.rule.startswith("statement/according_to"):
            continue
        for k, (s, e) in enumerate(f.pieces):
            # only the source phrases that start inside (or just before) this piece can cut it
            for a, b in sources[bisect.bisect_left(starts, s - 1):bisect.bisect_left(starts, e)]:
                if s < a < e and b >= e - 1 and not text[b:e].strip(" ,.;:\n\"'”’"):
                    e = a
                elif s - 1 <= a and b < e and a <= s + 1 or (s <= a and not text[s:a].strip(" ,;:\"“")) and b < e and a < s + 3:
                    s = b
            ns, ne = _trim(ctx, s, e)
            if ne > ns:
                f.pieces[k] = (ns, ne)


def _drop_trailing_words(text: str, start: int, end: int) -> int:
    while end > start:
        cut = end
        while cut > start and text[cut - 1].isspace():
            cut -= 1
        j = cut
        while j > start and text[j - 1].isalpha():
            j -= 1
        if j < cut and text[j:cut].lower() in _TRAILING_WORDS and (j == start or not text[j - 1].isalnum()):
            end = j
            while end > start and (text[end - 1].isspace() or text[end - 1] in ",;"):
                end -= 1
            continue
        break
    return end


# ------------------------------------------------------------------ quotations left over
class _Attacher:
    """Gives the quotations no cue claimed a speaker (module docstring, step 4), in text order;
    statements it makes or extends are seen by the quotations after them."""

    def __init__(self, ctx: _Context, found: list[_Found], pending: list[_Found]) -> None:
        self.ctx = ctx
        self.text = ctx.text
        claimed = sorted((s, e) for f in found for s, e in f.pieces)
        self.claimed = claimed
        self.claimed_starts = [c[0] for c in claimed]
        self.pending = sorted(pending, key=lambda p: p.cue_start or 0)
        self.pending_starts = [p.cue_start or 0 for p in self.pending]
        self.used: set[int] = set()
        self.ordered = sorted(found, key=lambda f: f.start)  # every statement so far, by start
        self.starts = [f.start for f in self.ordered]
        self.new: list[_Found] = []

    def run(self) -> list[_Found]:
        for q in self.ctx.quotes.quotes:
            if self._claimed(q) or not self._sentence_like(q):
                continue
            _ = (
                self._cue_after(q)
                or self._cue_before(q)
                or self._continues_previous(q)
                or self._opens_next(q)
                or self._dash_name(q)
            )
        return self.new

    # -------------------------------------------------------------- helpers
    def _claimed(self, q: Quote) -> bool:
        i = bisect.bisect_right(self.claimed_starts, q.inner_end) - 1
        while i >= 0 and self.claimed[i][1] > q.inner_start - 5000:
            s, e = self.claimed[i]
            if s < q.inner_end and e > q.inner_start:
                return True
            i -= 1
        return False

    def _sentence_like(self, q: Quote) -> bool:
        """Words someone said, not a title or a scare-quoted term."""
        words = q.words(self.text)
        inner = self.text[q.inner_start : q.inner_end].rstrip()
        return words >= 4 or (words >= 2 and inner[-1:] in ".?!,")

    def _sentence_end(self, pos: int) -> int:
        starts = self.ctx.sent_starts
        if not starts:
            return self.ctx.para_bounds(pos)[1]
        i = bisect.bisect_right(starts, pos)
        return starts[i] if i < len(starts) else len(self.text)

    def _add(self, f: _Found) -> bool:
        i = bisect.bisect_left(self.starts, f.start)
        self.starts.insert(i, f.start)
        self.ordered.insert(i, f)
        self.new.append(f)
        return True

    def _take(self, p: _Found, q: Quote, rule: str) -> bool:
        self.used.add(id(p))
        return self._add(replace(p, pieces=[(q.inner_start, q.inner_end)], rule=rule, reasons=dict(p.reasons)))

    # -------------------------------------------------------------- the rules, in order
    def _cue_after(self, q: Quote) -> bool:
        """'"...," Ms. Moore said.': a pending cue in the sentence where the quotation ends or
        the next one, in the same paragraph."""
        i = bisect.bisect_left(self.pending_starts, q.end)
        if i >= len(self.pending):
            return False
        p = self.pending[i]
        limit = min(self._sentence_end(self._sentence_end(q.end - 1)), self.ctx.para_bounds(max(q.start, q.end - 1))[1] + 1)
        if self.pending_starts[i] >= limit or id(p) in self.used:
            return False
        if self.ctx.quotes.overlapping(q.end, p.cue_start or q.end):
            return False
        return self._take(p, q, "statement/quote_before_cue")

    def _cue_before(self, q: Quote) -> bool:
        """'Trump said: "..."', 'He said:' and a quoted paragraph: a pending cue before the
        quotation, with only a colon or comma (or a short stretch ending in one) between."""
        i = bisect.bisect_left(self.pending_starts, q.start) - 1
        if i < 0:
            return False
        p = self.pending[i]
        gap = self.text[(p.cue_end or 0) : q.start]
        same_para = self.ctx.para(p.cue_start or 0) == self.ctx.para(q.start)
        close = gap.strip() in (":", ",", "") or same_para and len(gap) < 200 and gap.rstrip().endswith((":", ","))
        if id(p) in self.used or not close or self.ctx.quotes.overlapping(p.cue_end or 0, q.start):
            return False
        return self._take(p, q, "statement/cue_before_quote")

    def _continues_previous(self, q: Quote) -> bool:
        """'"A," Liu said. "B."' and 'A, Liu said. "B."': the quotation goes on the statement
        just before it, when that one is quoted or told before its cue, and its attribution
        shares the quotation's sentence or ends the one before."""
        j = bisect.bisect_left(self.starts, q.start) - 1
        if j < 0:
            return False
        prev = self.ordered[j]
        anchor = max(prev.end, prev.cue_end or 0, prev.speaker[1] if prev.speaker else 0)
        near = anchor <= q.start < self._sentence_end(self._sentence_end(max(anchor - 1, 0)))
        told_before_cue = prev.cue_start is not None and prev.cue_start >= prev.end
        if (
            self.ctx.para(prev.end) != self.ctx.para(q.start)
            or not near
            or not (_quoted(self.ctx, prev) or told_before_cue)
            or self.ctx.quotes.overlapping(prev.end + 1, q.start)
        ):
            return False
        prev.pieces.append(_trim(self.ctx, q.inner_start, q.inner_end))
        prev.rule += "+continued"
        return True

    def _opens_next(self, q: Quote) -> bool:
        """'"A," Liu said, "B."': the quotation before the cue joins the quoted statement after
        it, when a comma ties them."""
        j = bisect.bisect_left(self.starts, q.start)
        if j >= len(self.ordered):
            return False
        nxt = self.ordered[j]
        cue = nxt.cue_start if nxt.cue_start is not None else nxt.start
        inner = self.text[q.inner_start : q.inner_end].rstrip()
        comma = inner.endswith(",") or self.text[q.end : cue].lstrip().startswith(",")
        if (
            self.ctx.para(nxt.start) != self.ctx.para(q.start)
            or not (q.end <= cue < nxt.start and cue - q.end < 100 and comma)
            or not _quoted(self.ctx, nxt)
            or self.ctx.quotes.overlapping(q.end, cue)
        ):
            return False
        nxt.pieces.insert(0, _trim(self.ctx, q.inner_start, q.inner_end))
        nxt.rule += "+continued"
        return True

    def _dash_name(self, q: Quote) -> bool:
        """'"..." -- Jane Doe': a capitalized name after a dash."""
        m = _DASH_NAME.match(self.text, q.end)
        if not m:
            return False
        a, b = m.start(2), m.end(2)
        while b > a and self.text[b - 1] in ".,":
            b -= 1
        f = _Found(pieces=[_trim(self.ctx, q.inner_start, q.inner_end)], rule="statement/dash")
        f.cue_start, f.cue_end, f.cue_lemma = m.start(1), m.end(1), m.group(1)
        f.speaker, f.speaker_name = (a, b), self.text[a:b]
        return self._add(f)


_DASH_NAME = re.compile(r"[ \t\u00a0]*([" + _DASHES + r"]+)[ \t\u00a0]*([A-Z][\w.'’-]*(?:[ \t\u00a0]+[A-Z][\w.'’-]*){0,4})")


def _quoted(ctx: _Context, f: _Found) -> bool:
    """Whether a statement's content holds a quotation."""
    return _quoted_pieces(ctx, f.pieces)


def _quoted_pieces(ctx: _Context, pieces: Sequence[tuple[int, int]]) -> bool:
    return any(ctx.quotes.overlapping(s, e) for s, e in pieces)


_COLON_NAME = re.compile(r"[\"“”]?[ \t]*((?:[A-Z][\w.'’-]*[ \t]+){0,3}[A-Z][\w.'’-]*)[ \t]*:[ \t]+(?=\S)")


def _names_someone(ctx: _Context, start: int, end: int) -> bool:
    """A transcript's speaker label (in capitals: 'PENCE') or a named person, organization or
    country ('Pat Caddell'); not a headline's first words ('The Latest')."""
    name = ctx.text[start:end]
    if name.isupper() and sum(c.isalpha() for c in name) >= 2:
        return True
    tokens = [t for t in ctx.tokens_in(start, end) if not t.is_punct]
    return bool(tokens) and all(t.ent_type_ in _SPEAKER_ENTS for t in tokens)


# a transcript's long label in capitals: "SECRETARY OF DEFENSE LLOYD J. AUSTIN III: ...",
# "PREMIER LI QIANG, PREMIER OF THE PEOPLE'S REPUBLIC: ..." (the name before the comma)
_CAPS_LABEL = re.compile(r"[ \t]*([A-Z][A-Z.'’ -]{1,80}[A-Z.])(?:,[ \t]*[A-Z][A-Z0-9.'’ ()-]{1,80})?:[ \t]+(?=\S)")


_TURN_MIN_WORDS = 6
# a transcript's label with the speaker's post after a comma, in title case: "Mr. HAYASHI
# Yoshimasa, Minister for Foreign Affairs: ...", "Ms. KOBAYASHI Maki, Press Secretary: ..."
_TITLED_LABEL = re.compile(
    r"[ \t]*(?:(?:Mr|Ms|Mrs|Dr|H\.E)\.[ \t]+)?((?:[A-Z][\w.'’-]*[ \t]+){0,3}[A-Z][\w.'’-]*),[ \t]*"
    r"((?:[A-Z][\w'’-]*|of|for|the|and|on)(?:[ \t]+(?:[A-Z][\w'’-]*|of|for|the|and|on)){0,10})[ \t]*:[ \t]*(?=\S)")


def _titled_label(ctx: _Context, pstart: int) -> re.Match[str] | None:
    """A label whose words after the comma name a post (a title word of the registry's)."""
    m = _TITLED_LABEL.match(ctx.text, pstart)
    if m is None:
        return None
    titles = term_values(ctx.registry, "honorific")
    return m if any(w.lower() in titles for w in m.group(2).split()) else None


def _colon_speakers(ctx: _Context, claimed: list[tuple[int, int]]) -> list[_Found]:
    """'PENCE: Well, ...' (transcripts) and 'Liu: US must ...' (headlines): a name of one to
    four capitalized words opening a paragraph (or, in capitals, a name and a title after a
    comma), then a colon and what they said. In a transcript the paragraphs after a speaker's
    label are that speaker's too, up to the next label: each is a statement of theirs."""
    text = ctx.text
    out: list[_Found] = []
    starts = [0] + [b + 1 for b in ctx.breaks]
    turn: tuple[int, int, str, int, int] | None = None  # speaker start, end, name, cue start, cue end
    for pstart in starts:
        titled = _titled_label(ctx, pstart)
        m = _COLON_NAME.match(text, pstart) or _CAPS_LABEL.match(text, pstart) or titled
        pend = ctx.para_bounds(pstart)[1]
        if not m:
            if turn is None or not text[pstart:pend].strip():
                continue
            s, e = _trim(ctx, pstart, pend)
            # a paragraph of a speaker's turn is their statement, whatever it reports inside
            # (the speaker's own reported words give way to it: extract_statements); a line of a
            # few words is a formula or the page's furniture ("That is all from me.")
            if len(text[s:e].split()) < _TURN_MIN_WORDS:
                continue
            f = _Found(pieces=[(s, e)], rule="statement/turn", overlaps_claim=any(a < e and b > s for a, b in claimed))
            f.speaker, f.speaker_name = (turn[0], turn[1]), turn[2]
            f.cue_start, f.cue_end, f.cue_lemma = turn[3], turn[4], ":"
            out.append(f)
            continue
        name = m.group(1)
        turn = None
        if m is not titled and not _names_someone(ctx, m.start(1), m.end(1)):
            continue
        colon = text.index(":", m.end(1))
        turn = (m.start(1), m.end(1), name, colon, colon + 1)
        s, e = _trim(ctx, m.end(), pend)
        if len(text[s:e].split()) < 3:
            continue
        if any(a < e and b > s for a, b in claimed):
            continue
        # "Mr. HAYASHI Yoshimasa, Minister for Foreign Affairs: ..." opens a transcript's turn
        f = _Found(pieces=[(s, e)], rule="statement/label" if m is titled else "statement/colon")
        f.cue_start, f.cue_end = colon, colon + 1
        f.cue_lemma = ":"
        f.speaker = (m.start(1), m.end(1))
        f.speaker_name = name
        out.append(f)
    return out


# ------------------------------------------------------------------ records
def _kind(ctx: _Context, f: _Found) -> str:
    """direct when the quoted words cover the content, mixed when some are quoted; a
    transcript's turn (its speaker's label in capitals, or the paragraphs after it) is verbatim."""
    if _all_quoted(ctx, f.pieces) or f.rule in ("statement/turn", "statement/label") or (
            f.rule == "statement/colon" and (f.speaker_name or "").isupper()):
        return "direct"
    return "mixed" if _quoted_pieces(ctx, f.pieces) else "indirect"


_THEY_REACH = 600  # characters: "they" and "it" look back no further for a speaker


def _resolve_pronoun(ctx: _Context, f: _Found, earlier: list[_Found]) -> str | None:
    """A name for a pronoun speaker the ActorIndex could not resolve: for 'he'/'she' the
    nearest person who spoke before it (else the nearest person named before it), for 'it'
    the nearest other singular speaker, for 'they'/'we' the nearest plural speaker (these two
    no further back than ``_THEY_REACH``)."""
    if f.speaker is None:
        return None
    pos = f.speaker[0]
    word = ctx.text[pos : f.speaker[1]].lower()
    thing = word == "it"
    if word in ("he", "she", "him", "her", "it"):
        want_plural = False
    elif word in ("they", "we", "them"):
        want_plural = True
    else:
        return None
    best: _Found | None = None
    for g in earlier:
        if g.speaker is None or g.speaker[0] >= pos or not g.speaker_name or g.speaker_plural != want_plural:
            continue
        if not want_plural and g.speaker_person == thing:
            continue  # "he" and "she" stand for a person, "it" for anything else
        if (want_plural or thing) and pos - g.speaker[0] > _THEY_REACH:
            continue
        if best is None or best.speaker is None or g.speaker[0] > best.speaker[0]:
            best = g
    if best is not None:
        return best.speaker_name
    if not want_plural and not thing:
        i = bisect.bisect_left(ctx.person_ends, pos + 1) - 1
        if i >= 0:
            return ctx.person_names[i]
    return None


def _to_statement(ctx: _Context, f: _Found, actors: ActorIndex, doc_key: str) -> Statement:
    text = ctx.text
    start, end = f.start, f.end
    kind = _kind(ctx, f)
    content = " ".join(text[s:e] for s, e in f.pieces)
    reasons = dict(f.reasons)
    speaker_id: str | None = None
    speaker_span: Span | None = None
    speaker_name = f.speaker_name
    side: str | None = None
    if f.speaker is not None:
        a, b = f.speaker
        speaker_span = Span(a, b, text[a:b])
        actor = actors.at(a, b)
        if actor is None and f.issuer is not None:
            # "the statement said": the statement speaks for whoever issued it
            actor = actors.at(*f.issuer)
            issuer = text[f.issuer[0] : f.issuer[1]]
            reasons["speaker"] = f"{text[a:b]!r} speaks for its issuer, {issuer!r}"
            if actor is None:
                speaker_name = issuer
                reasons["speaker"] += f"; no actor found at {issuer!r}"
        if actor is not None:
            speaker_id = actor.id
            speaker_name = actor.name
            side = actors.side(actor.id)
            if side is None:
                reasons["side"] = f"actor {actor.id!r} has no country"
        elif f.issuer is not None:
            reasons["side"] = "speaker not resolved to an actor"
        else:
            if f.speaker_pronoun:
                guess = f.speaker_guess
                if guess:
                    speaker_name = guess
                    reasons["speaker"] = f"no actor found at {text[a:b]!r}; speaker_name is the nearest speaker or person named before it"
                else:
                    reasons["speaker"] = f"no actor found at {text[a:b]!r} and no one named before it"
            else:
                reasons["speaker"] = f"no actor found at {text[a:b]!r}"
            reasons["side"] = "speaker not resolved to an actor"
    else:
        reasons["speaker"] = "no speaker found"
    addressee: str | None = None
    if f.addressee is not None:
        a, b = f.addressee
        actor = actors.at(a, b)
        if actor is not None:
            addressee = actor.id
        else:
            reasons["addressee"] = f"no actor found at {text[a:b]!r}"
    # the event coder types the statement as it types events, so tone and the dyad index agree
    event_type, event_mode = None, None
    if ctx.has_parse and f.cue_start is not None and f.verb is not None:
        event_type, event_mode, why = code_statement(ctx.doc, f.cue_start, ctx.registry)
        if event_type is not None:
            reasons.pop("event_type", None)  # "will not accept": a refusal, though the cue is negated
        if why is not None and (event_type is not None or not f.negated):
            reasons["event_type"] = why
    if event_type == "REQUEST" and f.question_content:
        event_type, event_mode = None, None
        reasons["event_type"] = "a question, not a request"
    if event_type is None and f.request_content and (f.verb is None or f.verb.strength >= 1.0):
        event_type = "REQUEST"
        reasons["event_type"] = "content says what someone should do"
    cue_span = Span(f.cue_start, f.cue_end, text[f.cue_start : f.cue_end]) if f.cue_start is not None and f.cue_end is not None else None
    return Statement(
        id=content_id("stmt", doc_key, start, end),
        kind=kind,  # type: ignore[arg-type]
        content=content,
        content_span=Span(start, end, text[start:end]),
        rule=f.rule,
        speaker=speaker_id,
        speaker_name=speaker_name,
        speaker_span=speaker_span,
        side=side,
        cue=f.cue_lemma,
        cue_span=cue_span,
        addressee=addressee,
        topics=topics_of(content, ctx.registry),
        event_type=event_type,
        event_mode=event_mode,
        reasons=reasons,
    )


def extract_statements(doc: Doc, registry: Registry, actors: ActorIndex, dates: list[DateValue]) -> list[Statement]:
    """Who said what in ``doc``: one ``Statement`` per quotation, in text order."""
    ctx = _Context(doc, registry)  # reads doc.text once: spaCy rebuilds it on every access
    if not ctx.text.strip():
        return []
    found: list[_Found] = []
    pending: list[_Found] = []
    if ctx.has_parse:
        found, pending = _dependency_statements(ctx)
        found.extend(_according_to(ctx))
        found.extend(_noun_statements(ctx))
    found.extend(_Attacher(ctx, found, pending).run())
    _extend_contents(ctx, found)
    _cut_sources(ctx, found)
    claimed = [(s, e) for f in found for s, e in f.pieces]
    turns = _colon_speakers(ctx, claimed)
    own = [f for f in found if _speakers_own(f, turns, actors)]
    # a turn's paragraph that holds other statements stands only where the speaker reports
    # their own words in it; then it replaces them
    turns = [t for t in turns if not t.overlaps_claim or any(t.start <= f.start and f.end <= t.end for f in own)]
    found = [f for f in found if not any(f is o for o in own)] + turns
    # one statement per content: the first rule to claim it wins
    seen: set[tuple[int, int]] = set()
    unique: list[_Found] = []
    for f in sorted(found, key=lambda f: (f.start, f.end)):
        key = (f.start, f.end)
        if key in seen:
            continue
        seen.add(key)
        unique.append(f)
    _guess_pronouns(ctx, unique)
    _find_issuers(unique)
    doc_key = _text_hash(ctx.text)
    return [_to_statement(ctx, f, actors, doc_key) for f in unique]


def _speakers_own(f: _Found, turns: list[_Found], actors: ActorIndex) -> bool:
    """A statement found inside a paragraph of a transcript turn whose speaker is the turn's
    own ("I", "we", their name, their state: "Japan once again demands ..."): the turn's
    paragraph, verbatim, stands for it."""
    if f.speaker is None:
        return False
    for t in turns:
        if t.rule not in ("statement/turn", "statement/label") or t.speaker is None or not (t.start <= f.start and f.end <= t.end):
            continue
        said = actors.at(*f.speaker)
        owner = actors.at(*t.speaker)
        if f.speaker_pronoun and (f.speaker_name or "").lower() in _FIRST_PERSON_WORDS:
            return True
        if said is not None and owner is not None and (said.id == owner.id or (said.kind == "state" and said.country == owner.country)):
            return True
    return False


_FIRST_PERSON_WORDS = {"i", "we"}


def _find_issuers(found: list[_Found]) -> None:
    """'the statement said': the speaker of the nearest 'said in a statement' before it."""
    media = sorted((f for f in found if f.medium_noun and f.speaker), key=lambda f: f.cue_start or 0)
    for f in found:
        if f.issuer_noun is None or f.speaker is None:
            continue
        before = [m for m in media if (m.cue_start or 0) < f.speaker[0]]
        same = [m for m in before if m.medium_noun == f.issuer_noun]
        if same or before:
            f.issuer = (same or before)[-1].speaker


def _guess_pronouns(ctx: _Context, found: list[_Found]) -> None:
    """Name the pronoun speakers, in the order they are written, each from those before it."""
    done: list[_Found] = []
    for f in sorted((f for f in found if f.speaker is not None), key=lambda f: f.speaker or (0, 0)):
        if f.speaker_pronoun:
            f.speaker_guess = _resolve_pronoun(ctx, f, done)
            if f.speaker_guess:
                done.append(
                    _Found(
                        pieces=f.pieces,
                        rule=f.rule,
                        speaker=f.speaker,
                        speaker_name=f.speaker_guess,
                        speaker_person=not f.speaker_plural,
                        speaker_plural=f.speaker_plural,
                    )
                )
            continue
        done.append(f)
