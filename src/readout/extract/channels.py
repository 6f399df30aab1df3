"""Channel status: each mention of a dialogue channel with what the text says happened to it —
held, suspended, agreed_to_resume, expected_to_resume, resumed, requested, declined or
established — its date, and who asserted it.

A channel is found by any of its names (both sides' and the press's) or its keyword sets
("telephone conversations between theatre commanders" → theater commander talks); channels
named only generically ("military communication channels") are recorded too, with the dyad
taken from the sentence or, failing that, from the engagement the document is about. A status
word counts for a channel only when the parse links them: the status verb governs the channel
("agreed to resume military communication channels"), or modifies it ("channels which were
halted", "the restored channels"). Each engagement assigned to a channel also asserts that the
channel was held on its date.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence

from spacy.tokens import Doc, Token

from ..records import ChannelStatus, DateValue, Engagement, Statement, content_id
from ..registry import Registry
from .base import ActorIndex, DatesByPosition, char_span, text_of
from .engagements import Proposal
from .terms import ChannelHit, TermHit, demonym_country, find_channels, find_terms

_NOT_POINTS = {"duration", "by", "before"}
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
_EXPECT_LEMMAS = {"expect", "plan", "hope", "set", "poise", "likely", "schedule", "slate", "look"}


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

    def dyad_for(self, hit: ChannelHit) -> tuple[list[str] | None, str | None]:
        ch = self.registry.channels[hit.channel]
        if ch.dyad:
            return list(ch.dyad), None
        sent = self.doc[hit.start].sent
        codes: list[str] = []
        for m in self.actors.in_range(sent.start_char, sent.end_char):
            a = self.actors.get(m.actor_id)
            if a and a.kind == "state" and a.country and a.country not in codes:
                codes.append(a.country)
        for tok in sent:
            code = demonym_country(tok.text, self.registry, self.doc.vocab)
            if code and code not in codes:
                codes.append(code)
        if len(codes) == 2:
            return sorted(codes), None
        if self.main_dyad:
            return self.main_dyad, "dyad taken from the engagement the document reports"
        return None, "the text names no two countries for this channel"

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
        for hit in hits:
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
            # "the first senior military talks in over a year" -> resumed
            if any(tok.lower_ in _FIRST_WORDS for tok in doc[max(sent.start, hit.start - 4):hit.start]):
                eng = self._engagement_in(sent.start_char, sent.end_char)
                if eng is not None:
                    out.append(self._record(hit, "resumed", eng.date, sent.start_char, sent.end_char, "first_since"))
                    continue
            chosen.sort(key=lambda x: x[0].start)
            for t, root in chosen:
                if t.value in _NEGATABLE and _is_negated(root):
                    continue
                value = _modality(root, t.value)
                t = TermHit(t.start, t.end, t.group, value, t.phrase)
                key = (hit.channel, t.value, sent.start)
                if key in seen:
                    continue
                seen.add(key)
                date = self.date_for(root, head)
                if t.value in ("held", "agreed_to_resume") and date is None:
                    eng = self._engagement_in(sent.start_char, sent.end_char)
                    date = eng.date if eng else None
                out.append(self._record(hit, t.value, date, sent.start_char, sent.end_char, f"status:{t.phrase}"))
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

    def _record(self, hit: ChannelHit, status: str, date: DateValue | None, s: int, e: int, rule: str) -> ChannelStatus:
        ch = self.registry.channels[hit.channel]
        dyad, dyad_reason = self.dyad_for(hit)
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
            generic=ch.generic,
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
            if key in seen:
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
