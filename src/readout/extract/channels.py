"""Channel status: each mention of a dialogue channel with what the text says happened to it —
held, suspended, agreed_to_resume, expected_to_resume, resumed, requested, declined or
established — its date, and who asserted it.

A channel is found by any of its names (both sides' and the press's) or its keyword sets
("telephone conversations between theatre commanders" → theater commander talks). A mention
counts for a channel only when its sentence is about the channel's dyad: the countries the
sentence names as parties (people, bodies, states and demonyms, not places: "drills around
Taiwan" names no party), the engagement it reports, else the pair the document is about. A
Japan-China "defense hotline" never feeds the US-China one; a name two channels share goes to
the one whose dyad the sentence is about. Channels named only generically ("military
communication channels") resolve to the umbrella of the sentence's dyad in the registry
(``chn-usa-military-communication``), or are kept as the generic channel of that dyad when the
registry declares none, to the umbrella that dyad has by convention (``chl-nor-military-communication``).

A status word counts for a channel only when the parse links them: the status verb governs the
channel ("agreed to resume military communication channels"), or modifies it ("channels which
were halted", "the restored channels"). Each engagement assigned to a channel also asserts that
the channel was held on its date, unless its sentence says otherwise: another status of the
channel ("cancelling talks between theater commanders"), a contact word that is negated or
modal ("did not hold any substantive discussion", "has seldom been used", "so that leaders
could talk", "would once more speak"), or a courtesy that is no talks ("shook hands"); those
words are the ``not_held`` terms of the registry.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ..records import ChannelStatus, DateValue, Engagement, Statement, content_id
from ..registry import Registry
from .base import ActorIndex, DatesByPosition, char_span, text_of
from .engagements import Proposal
from .terms import ChannelHit, TermHit, demonym_country, find_channels, find_terms, fold

_NOT_POINTS = {"duration", "by", "before"}
# statuses other than "held": when a sentence says one of them of a channel, an engagement told
# in that sentence did not hold the channel ("cancelling talks between theater commanders")
_NOT_HOLDING = ("suspended", "agreed_to_resume", "expected_to_resume", "requested", "declined")
# statuses that a negation turns into nothing we can record ("did not suspend")
_NEGATABLE = {"held", "suspended", "resumed", "established", "declined"}
_FIRST_WORDS = {"first"}


def _np_head(doc: Doc, hit: ChannelHit) -> Token:
    """The head of the noun phrase a channel name sits in ('channel of military exchanges')."""
    tok = doc[hit.start:hit.end].root
    for _ in range(3):
        if tok.dep_ in ("pobj",) and tok.head.lower_ == "of" and tok.head.head.pos_ in ("NOUN", "PROPN"):
            tok = tok.head.head
        elif tok.dep_ in ("compound", "nmod", "amod") and tok.head.i > tok.i and tok.head.pos_ in ("NOUN", "PROPN"):
            tok = tok.head  # "military-to-military communication [channels]"
        else:
            break
    return tok


def _related(status: Token, head: Token, hit_tokens: range) -> bool:
    """Does the parse link the status word to the channel? The status governs the channel
    ("agreed to resume military communication channels"), modifies it ("channels which
    were halted", "the reopened channel"), or is conjoined to a status word that does
    ("were halted in 2022 and resumed in 2024")."""
    if status.i in hit_tokens:
        return True
    if status.dep_ == "conj" and status.head.i != status.i and status.head.pos_ in ("VERB", "AUX") and _related(status.head, head, hit_tokens):
        return True
    if status.left_edge.i <= head.i <= status.right_edge.i:
        cur, hops = head, 0
        while cur.i != status.i and cur.head.i != cur.i and hops < 8:
            cur = cur.head
            hops += 1
        if cur.i == status.i:
            return True
    if head.left_edge.i <= status.i <= head.right_edge.i:
        cur, hops = status, 0
        while cur.i != head.i and cur.head.i != cur.i and hops < 8:
            if cur.head.i == head.i:
                return True
            cur = cur.head
            hops += 1
    return False


_AGREE_LEMMAS = {"agree", "consensus", "pledge", "commit", "accord", "agreement", "understanding"}
_FUTURE_AUX = {"will", "would", "shall", "could", "may", "might", "'ll"}
_EXPECT_LEMMAS = {"expect", "plan", "hope", "set", "poise", "likely", "schedule", "slate", "look", "intend", "intention", "prepare", "arrange"}


def _modality(tok: Token, value: str) -> str:
    """'agreed that the talks would be held again' -> agreed_to_resume; 'the talks will resume'
    -> expected_to_resume; 'the talks resumed' stays resumed."""
    if value not in ("held", "resumed", "expected_to_resume", "established"):
        return value
    cur, hops = tok, 0
    future = any(c.dep_ in ("aux", "auxpass") and c.lower_ in _FUTURE_AUX for c in tok.children)
    while cur.head.i != cur.i and hops < 5:
        cur = cur.head
        hops += 1
        if cur.lemma_.lower() in _AGREE_LEMMAS:
            return "agreed_to_resume" if value != "established" else value
        if cur.lemma_.lower() in _EXPECT_LEMMAS and value != "established":
            future = True
    if future and value in ("held", "resumed"):
        return "expected_to_resume"
    return value


def _is_negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" for c in tok.children) or any(c.dep_ == "neg" for c in tok.head.children if tok.dep_ in ("xcomp", "aux"))


_CLAUSES = {"advcl", "relcl", "acl", "ccomp", "csubj", "parataxis"}


class _Finder:
    def __init__(
        self,
        doc: Doc,
        registry: Registry,
        actors: ActorIndex,
        dates: list[DateValue],
        engagements: list[Engagement],
        statements: Sequence[Statement],
        outlet_country: str | None,
        proposals: Sequence[Proposal] = (),
    ) -> None:
        self.doc = doc
        self.proposals = proposals
        self.registry = registry
        self.actors = actors
        self.dates = dates
        self.engagements = engagements
        self.statements = statements
        self.outlet_country = outlet_country
        self.main_dyad = self._main_dyad()
        self.by_pos = DatesByPosition(dates)
        # statements and engagements by position, so each status looks only near itself
        self._stmt_sorted = sorted(((n, st) for n, st in enumerate(statements) if st.speaker), key=lambda x: x[1].content_span.start)
        self._stmt_starts = [st.content_span.start for _, st in self._stmt_sorted]
        self._ev = sorted((ev.start, ev.end, n) for n, e in enumerate(engagements) for ev in e.evidence)
        self._ev_starts = [x[0] for x in self._ev]
        self._term_dates: dict[int, DateValue | None] = {}
        self._status_tokens: set[int] = set()
        self._used: dict[int, set[int]] = {}
        self._context_cache: dict[int, tuple[list[str] | None, set[str]]] = {}
        not_held = find_terms(doc, registry, "not_held")
        self._negation = {i for t in not_held if t.value == "negation" for i in range(t.start, t.end)}
        self._courtesy = {i for t in not_held if t.value == "courtesy" for i in range(t.start, t.end)}
        self._contact_hits = find_terms(doc, registry, "engagement")
        self._contact_tokens = {i for t in self._contact_hits for i in range(t.start, t.end)}
        self._contact_words = {fold(t.phrase) for t in registry.terms if t.group == "engagement" and " " not in t.phrase}
        self._established = {t.phrase for t in registry.terms if t.group == "status" and t.value == "established" and " " not in t.phrase}
        self._modal = {t.phrase for t in registry.terms if t.group == "not_held" and t.value == "modal"}
        # a country under a preposition other than these is a place or a topic, not a party
        self._party_preps = {t.phrase for t in registry.terms if t.group == "party"}

    def _main_dyad(self) -> list[str] | None:
        if self.engagements:
            best = max(self.engagements, key=lambda e: (len(e.evidence), len(e.participants)))
            return list(best.dyad)
        counts: Counter[str] = Counter()
        for a in self.actors.actors:
            if a.kind == "state" and a.country:
                counts[a.country] += len(a.mentions)
        top = [c for c, _ in counts.most_common(2)]
        return sorted(top) if len(top) == 2 else None

    # -------------------------------------------------------------- whose channel
    def _is_party(self, tok: Token) -> bool:
        """Whether a country named at ``tok`` is a party of the sentence, not a place or a
        topic: it does not hang from a preposition other than the registry's ``party`` ones
        ("with", "between", "of")."""
        cur, hops = tok, 0
        while hops < 6 and cur.head.i != cur.i:
            if cur.dep_ == "pobj" and cur.head.pos_ == "ADP":
                return cur.head.lower_ in self._party_preps
            if cur.dep_ not in ("compound", "poss", "amod", "nmod", "appos", "conj", "case", "det", "nummod", "npadvmod"):
                return True
            cur = cur.head
            hops += 1
        return True

    def _context(self, sent: SpacySpan) -> tuple[list[str] | None, set[str]]:
        """(pair, parties) of a sentence: the countries it names as parties, and the pair it is
        about - that of the engagement it reports, else the two countries it names, else None."""
        cached = self._context_cache.get(sent.start)
        if cached is not None:
            return cached
        codes: list[str] = []
        for m in self.actors.in_range(sent.start_char, sent.end_char):
            a = self.actors.get(m.actor_id)
            if a is None or not a.country or a.country in codes:
                continue
            span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None or self._is_party(span.root):
                codes.append(a.country)
        for tok in sent:
            code = demonym_country(tok.text, self.registry, self.doc.vocab)
            if code and code not in codes and self._is_party(tok):
                codes.append(code)
        pair: list[str] | None = None
        eng = self._engagement_in(sent.start_char, sent.end_char)
        if eng is not None and len(set(eng.dyad)) == 2:
            pair = sorted(eng.dyad)
        elif len(codes) == 2:
            pair = sorted(codes)
        out = (pair, set(codes))
        self._context_cache[sent.start] = out
        return out

    def _fit(self, dyad: Sequence[str], pair: list[str] | None, parties: set[str]) -> int | None:
        """How well a channel of ``dyad`` fits a sentence; None when the sentence is about
        another pair of countries."""
        d = set(dyad)
        if d <= parties:
            return 3
        if pair is not None:
            return 3 if set(pair) == d else None
        if self.main_dyad is not None:
            if set(self.main_dyad) == d:
                return 2
            if not (parties & d):
                return None  # the document is about another pair and the sentence names neither
        return 1

    def resolve(self, hit: ChannelHit) -> tuple[str, list[str] | None, str | None] | None:
        """(channel id, dyad, reason for the dyad) of a channel mention, or None when its
        sentence is about another dyad than any channel of that name."""
        sent = self.doc[hit.start].sent
        pair, parties = self._context(sent)
        best: tuple[int, str, list[str]] | None = None
        for cid in (hit.channel, *hit.alternatives):
            ch = self.registry.channels.get(cid)
            if ch is None:
                continue
            if ch.dyad is None:  # a generic wording: the umbrella of the sentence's dyad
                dyad, reason = self._generic_dyad(pair, parties)
                umbrella = self.registry.umbrella_for(ch.id, dyad) if dyad else None
                return (umbrella.id if umbrella else ch.id), dyad, reason
            score = self._fit(ch.dyad, pair, parties)
            if score is not None and (best is None or score > best[0]):
                best = (score, ch.id, list(ch.dyad))
        return (best[1], best[2], None) if best else None

    def _generic_dyad(self, pair: list[str] | None, parties: set[str]) -> tuple[list[str] | None, str | None]:
        if pair is not None:
            return pair, None
        main = self.main_dyad
        if main and (parties <= set(main) or set(main) <= parties):
            return main, "dyad taken from the engagement the document reports"
        return None, "the text names no two countries for this channel"

    # -------------------------------------------------------------- contacts that hold no channel
    def _negated_contact(self, tok: Token) -> bool:
        """A contact word (or its verb) under a negation: "did not hold talks", "held no
        talks", "without talks", "has seldom been used"."""
        for t in (tok, tok.head) if tok.dep_ in ("dobj", "nsubjpass", "attr", "pobj") else (tok,):
            if any(c.dep_ == "neg" or c.i in self._negation for c in t.children):
                return True
            if t.dep_ in ("pobj", "pcomp") and t.head.i in self._negation:
                return True
        return False

    def _talks_negated(self, sent: SpacySpan) -> bool:
        """Whether the sentence says that no talks were held ("shook hands, but did not hold
        any substantive discussion")."""
        for tok in sent:
            if tok.i in self._contact_tokens or fold(tok.lower_) in self._contact_words:
                if self._negated_contact(tok):
                    return True
            elif tok.i in self._status_tokens and tok.pos_ in ("VERB", "AUX") and _is_negated(tok):
                objects = [c for c in tok.children if c.dep_ == "dobj"]
                if not objects or any(o.i in self._contact_tokens or fold(o.lower_) in self._contact_words for o in objects):
                    return True
        return False

    def _gap_after(self, first: Token, sent: SpacySpan) -> bool:
        """Whether "first" is told against a stretch without contact: a "since" (not "since its
        establishment") or a duration ("for more than a year", "in five years") after it."""
        if any(d.relation == "duration" for d in self.by_pos.between(first.idx, sent.end_char)):
            return True
        for tok in sent:
            if tok.i > first.i and tok.lower_ == "since":
                clause = tok.head.subtree if tok.dep_ == "mark" else tok.subtree  # "since [it was established ...]"
                if not any(_names_establishment(t, self._established) for t in clause):
                    return True
        return False

    def _trigger(self, e: Engagement, sent: SpacySpan) -> Token | None:
        """The token of an engagement's trigger word in a sentence."""
        phrase = e.rule.split("+")[0].removeprefix("trigger:")
        for h in self._contact_hits:
            if sent.start <= h.start < sent.end and h.phrase == phrase:
                return self.doc[h.start:h.end].root
        return None

    def _holds(self, e: Engagement, sent: SpacySpan, channel: str, seen: set[tuple[str, str, int]]) -> bool:
        """Whether an engagement told in ``sent`` says its channel was held."""
        if any((channel, st, sent.start) in seen for st in _NOT_HOLDING):
            return False
        trig = self._trigger(e, sent)
        if trig is not None:
            if trig.i in self._courtesy or self._negated_contact(trig):
                return False
            if _modality(trig, "held") != "held" or any(c.dep_ in ("aux", "auxpass") and c.lower_ in self._modal for c in trig.children):
                return False
        return not self._talks_negated(sent)

    def date_for(self, status: Token, head: Token) -> DateValue | None:
        """The date of a status word: one its own phrase governs, else the nearest date of the
        sentence that no other status word of the sentence has taken."""
        if status.i in self._term_dates:
            return self._term_dates[status.i]
        sent = status.sent
        used = self._used.setdefault(sent.start, set())
        found = self._date_for(status, head, used)
        self._term_dates[status.i] = found
        if found is not None and found.span is not None:
            used.add(found.span.start)
        return found

    def _date_for(self, status: Token, head: Token, used: set[int]) -> DateValue | None:
        sent = status.sent
        in_sent = [d for d in self.by_pos.between(sent.start_char, sent.end_char) if d.span and d.relation not in _NOT_POINTS and d.span.start not in used]
        if not in_sent:
            return None
        st = list(status.subtree)
        a, b = st[0].idx, st[-1].idx + len(st[-1].text)
        # dates under another status word nested in this one's phrase belong to that one
        # ("agreed to resume the channels, which had been suspended in August 2022")
        nested = [
            (t.left_edge.idx, t.right_edge.idx + len(t.right_edge.text))
            for t in status.subtree
            if t.i != status.i and t.i in self._status_tokens and t.dep_ not in ("xcomp", "aux")
        ]
        own = [
            d for d in in_sent
            if d.span and a <= d.span.start and d.span.end <= b and not any(x <= d.span.start < y for x, y in nested)
        ]
        if own:
            # a date in a clause of its own under the status word dates that clause, not the
            # status ("to implement the consensus reached last November, they held talks in April")
            direct = [d for d in own if not self._in_subclause(d, status)]
            return min(direct or own, key=lambda d: abs(d.span.start - status.idx) if d.span else 0)
        # a date outside the channel's own phrase (which may hold a relative clause's date)
        ch = list(head.subtree)
        ca, cb = ch[0].idx, ch[-1].idx + len(ch[-1].text)
        outside = [d for d in in_sent if d.span and not (ca <= d.span.start < cb) and not (a <= d.span.start < b)]
        if outside:
            return min(outside, key=lambda d: abs(d.span.start - status.idx) if d.span else 0)
        return None

    def _held_since(self, status: Token) -> DateValue | None:
        """A "since" date in the phrase of a holding verb ("has been held alternately each year
        since 2007"): the channel has met since then."""
        if not any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("has", "have", "had") for c in status.children):
            return None  # only a perfect: "the first talks since 2021" is a resumption, not a beginning
        st = list(status.subtree)
        a, b = st[0].idx, st[-1].idx + len(st[-1].text)
        for d in self.by_pos.between(status.sent.start_char, status.sent.end_char):
            if d.relation == "since" and d.value and d.span and a <= d.span.start and d.span.end <= b and not self._in_subclause(d, status):
                return d
        return None

    def _in_subclause(self, d: DateValue, status: Token) -> bool:
        """Whether a date hangs from ``status`` through another verb's clause."""
        if d.span is None:
            return False
        span = self.doc.char_span(d.span.start, d.span.end, alignment_mode="expand")
        if span is None:
            return False
        t = span.root
        while t.i != status.i and t.head.i != t.i:
            if t.pos_ in ("VERB", "AUX") and t.dep_ in _CLAUSES:
                return True
            t = t.head
        return False

    def asserter(self, start: int, end: int) -> tuple[str | None, str | None, str | None]:
        """(actor id, side, rule) of whoever asserts what lies at [start, end)."""
        upto = bisect.bisect_right(self._stmt_starts, start)
        holding = [(n, st) for n, st in self._stmt_sorted[max(0, upto - 20):upto] if start >= st.content_span.start and end <= st.content_span.end]
        if holding:
            st = min(holding, key=lambda x: x[0])[1]  # the statement the extractor found first
            return st.speaker, st.side, "statement"
        # "according to X" / "X said" in the same sentence
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            sent = span.sent
            for tok in sent:
                if tok.lower_ == "according" and tok.i + 1 < len(self.doc) and self.doc[tok.i + 1].lower_ == "to":
                    for m in self.actors.in_range(self.doc[tok.i + 1].idx, sent.end_char):
                        a = self.actors.get(m.actor_id)
                        if a:
                            return a.id, a.country, "according_to"
                if tok.pos_ == "VERB" and tok.lemma_.lower() in self.registry.verbs:
                    for ch in tok.children:
                        if ch.dep_ == "nsubj":
                            subj = self.actors.mention_at(ch.idx, ch.idx + len(ch.text))
                            if subj:
                                a = self.actors.get(subj.actor_id)
                                if a:
                                    return a.id, a.country, "reporting_verb"
        return None, self.outlet_country, None

    def statuses(self) -> list[ChannelStatus]:
        doc = self.doc
        hits = find_channels(doc, self.registry)
        terms = find_terms(doc, self.registry, "status")
        self._status_tokens = {i for t in terms for i in range(t.start, t.end)}
        term_starts = [t.start for t in terms]  # find_terms returns them sorted by start
        out: list[ChannelStatus] = []
        seen: set[tuple[str, str, int]] = set()
        # a channel's next round is its resumption only where the text reports talks stopped
        suspended_here = any(t.value in ("suspended", "declined") for t in terms)
        for hit in hits:
            resolved = self.resolve(hit)
            if resolved is None:
                continue  # the sentence is about another dyad
            named_generically = self.registry.channels[hit.channel].generic
            hit = ChannelHit(hit.start, hit.end, resolved[0], hit.rule)
            dyad_of = (resolved[1], resolved[2], named_generically)
            head = _np_head(doc, hit)
            sent = doc[hit.start].sent
            hit_range = range(hit.start, hit.end)
            found: list[tuple[TermHit, Token]] = []
            for t in terms[bisect.bisect_left(term_starts, sent.start):bisect.bisect_left(term_starts, sent.end)]:
                root = doc[t.start:t.end].root
                if _related(root, head, hit_range) or any(_related(doc[i], head, hit_range) for i in range(t.start, t.end)):
                    found.append((t, root))
            # the most specific status per place: "agreed to resume" beats "resume"
            found.sort(key=lambda x: -(x[0].end - x[0].start))
            used: list[range] = []
            chosen: list[tuple[TermHit, Token]] = []
            for t, root in found:
                r = range(t.start, t.end)
                if any(set(r) & set(u) for u in used):
                    continue
                used.append(r)
                chosen.append((t, root))
            # "the first senior military talks in over a year" -> resumed; "the first round of the
            # consultation" (since its establishment) is the first ever, not a resumption
            first = [tok for tok in doc[max(sent.start, hit.start - 4):hit.start] if tok.lower_ in _FIRST_WORDS]
            if first and self._gap_after(first[0], sent):
                eng = self._engagement_in(sent.start_char, sent.end_char)
                if eng is not None:
                    out.append(self._record(hit, "resumed", eng.date, sent.start_char, sent.end_char, "first_since", dyad_of))
                    continue
            chosen.sort(key=lambda x: x[0].start)
            for t, root in chosen:
                if t.value in _NEGATABLE and _is_negated(root):
                    continue
                if t.value == "held" and self._negated_contact(root):
                    continue  # "rarely held", "held no talks"
                value = _modality(root, t.value)
                if value == "expected_to_resume" and t.value == "held" and not suspended_here:
                    continue  # "the 2+2 will be held later this year": a planned round of a channel no one stopped
                t = TermHit(t.start, t.end, t.group, value, t.phrase)
                key = (hit.channel, t.value, sent.start)
                if key in seen:
                    continue
                seen.add(key)
                date = self.date_for(root, head)
                if t.value in ("held", "agreed_to_resume") and date is None:
                    eng = self._engagement_in(sent.start_char, sent.end_char)
                    date = eng.date if eng else None
                out.append(self._record(hit, t.value, date, sent.start_char, sent.end_char, f"status:{t.phrase}", dyad_of))
                since = self._held_since(root) if t.value == "held" else None
                if since is not None and (hit.channel, "established", sent.start) not in seen:
                    # "the dialogue has been held every year since 2007": set up in 2007
                    seen.add((hit.channel, "established", sent.start))
                    out.append(self._record(hit, "established", replace(since, relation=None), sent.start_char, sent.end_char,
                                            f"held_since:{t.phrase}", dyad_of))
        out.extend(self._held_from_engagements(seen))
        out.extend(self._from_proposals(seen))
        return _dedupe_held(out)

    def _from_proposals(self, seen: set[tuple[str, str, int]]) -> list[ChannelStatus]:
        """'China turned down a Pentagon request for a call between the defense ministers' ->
        the ministers' channel was requested (by the US) and declined."""
        out = []
        for p in self.proposals:
            if not p.channel:
                continue
            s, e = p.evidence
            span = self.doc.char_span(s, e, alignment_mode="expand")
            if span is None:
                continue
            for status in p.states:
                key = (p.channel, status, span.start)
                if key in seen:
                    continue
                seen.add(key)
                hit = ChannelHit(span.start, span.end, p.channel, "proposal")
                rec = self._record(hit, status, p.date, s, e, f"proposal:{p.kind}")
                rec.channel_name = self.registry.channels[p.channel].name
                if status == "requested" and p.requester and rec.asserted_by is None:
                    rec.side = p.requester
                out.append(rec)
        return out

    def _engagement_in(self, start: int, end: int) -> Engagement | None:
        """The engagement one of whose evidence sentences overlaps [start, end)."""
        i = bisect.bisect_left(self._ev_starts, start) - 1  # ties at start included, and one before
        found: list[int] = []
        for j in range(max(0, i), len(self._ev_starts)):
            ev_start, ev_end, n = self._ev[j]
            if ev_start >= end:
                break
            if ev_start <= start < ev_end or start <= ev_start < end:
                found.append(n)
        # several overlap: the one reported first in the document (the engagement it is about)
        return self.engagements[min(found)] if found else None

    def _record(
        self, hit: ChannelHit, status: str, date: DateValue | None, s: int, e: int, rule: str,
        dyad_of: tuple[list[str] | None, str | None, bool] | None = None,
    ) -> ChannelStatus:
        """``dyad_of``: (dyad, reason, named generically) of a resolved mention; by default the
        channel's own dyad."""
        ch = self.registry.channel(hit.channel)
        assert ch is not None, hit.channel  # resolved from the registry's own channels
        dyad, dyad_reason = (dyad_of[0], dyad_of[1]) if dyad_of is not None else (list(ch.dyad) if ch.dyad else None, None)
        hs, he = self.doc[hit.start].idx, self.doc[hit.end - 1].idx + len(self.doc[hit.end - 1].text)
        who, side, who_rule = self.asserter(hs, he)
        reasons: dict[str, str] = {}
        if dyad_reason:
            reasons["dyad"] = dyad_reason
        if date is None:
            reasons["date"] = "no date in the sentence for this status"
        elif date.value is None and date.reason:
            reasons["date"] = date.reason
        if who is None:
            reasons["asserted_by"] = "no speaker: asserted by the document" + (f" (side from the outlet, {side})" if side else "")
        return ChannelStatus(
            id=content_id("chs", len(text_of(self.doc)), hit.channel, status, hs),
            channel=ch.id,
            channel_name=text_of(self.doc)[hs:he],
            dyad=dyad or [],
            status=status,  # type: ignore[arg-type]
            evidence=[char_span(self.doc, s, e)],
            rule=f"{rule}+channel_{hit.rule}" + (f"+{who_rule}" if who_rule else ""),
            date=date,
            asserted_by=who,
            side=side,
            generic=ch.generic or (dyad_of is not None and dyad_of[2]),
            reasons=reasons,
        )

    def _held_from_engagements(self, seen: set[tuple[str, str, int]]) -> list[ChannelStatus]:
        out = []
        for e in self.engagements:
            if not e.channel or not e.evidence or e.status != "held":
                continue
            ch = self.registry.channels.get(e.channel)
            if ch is None:
                continue
            ev = e.evidence[0]
            span = self.doc.char_span(ev.start, ev.end, alignment_mode="expand")
            if span is None:
                continue
            key = (ch.id, "held", span.sent.start)
            if key in seen or not self._holds(e, span.sent, ch.id, seen):
                continue
            seen.add(key)
            hit = ChannelHit(span.start, span.end, ch.id, "engagement")
            rec = self._record(hit, "held", e.date, ev.start, ev.end, f"engagement:{e.id}")
            rec.channel_name = ch.name
            out.append(rec)
            if e.first_since is not None and (ch.id, "resumed", span.sent.start) not in seen:
                # "the first call at this level since July 2022": the channel resumed that day
                seen.add((ch.id, "resumed", span.sent.start))
                rec = self._record(hit, "resumed", e.date, ev.start, ev.end, f"engagement_first_since:{e.id}")
                rec.channel_name = ch.name
                out.append(rec)
        return out


def _names_establishment(tok: Token, established: set[str]) -> bool:
    """'establishment', 'launch', 'creation', 'inauguration': a word of the registry's
    ``established`` status terms, or a noun made from one."""
    word = tok.lower_
    return tok.lemma_.lower() in established or any(len(w) > 4 and word.startswith(w.rstrip("e")) for w in established)


def _dedupe_held(records: list[ChannelStatus]) -> list[ChannelStatus]:
    """One 'held' per channel and date: the one that names who asserted it, else the first."""
    best: dict[tuple[str, str | None], ChannelStatus] = {}
    out: list[ChannelStatus] = []
    for r in records:
        if r.status != "held" or r.date is None or r.date.value is None:
            out.append(r)
            continue
        key = (r.channel, r.date.value)
        old = best.get(key)
        if old is None:
            best[key] = r
            out.append(r)
        elif old.asserted_by is None and r.asserted_by is not None:
            out[out.index(old)] = r
            best[key] = r
    return out


def extract_channel_status(
    doc: Doc,
    registry: Registry,
    actors: ActorIndex,
    dates: list[DateValue],
    engagements: list[Engagement],
    statements: Sequence[Statement] = (),
    outlet_country: str | None = None,
    proposals: Sequence[Proposal] = (),
) -> list[ChannelStatus]:
    """Every channel mention with a status; 'held' (and 'resumed' when it is the first since a
    pause) for each engagement that belongs to a channel; 'requested'/'declined' for each
    engagement the text says was asked for or turned down (``proposals``, from
    ``engagements.find_engagements``)."""
    out = _Finder(doc, registry, actors, dates, engagements, statements, outlet_country, proposals).statuses()
    return sorted(out, key=lambda c: c.evidence[0].start)
