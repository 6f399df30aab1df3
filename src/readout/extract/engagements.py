"""Engagements: calls, video calls, meetings, talks, summits and visits between two states.

A trigger (a noun such as "video teleconference" or "summit", or a verb such as "met" or
"visited", from the registry's ``terms``) opens a candidate; the dependency parse around it
gives the participants (subject, "with X", "between X and Y", "X-Y summit"), the date (the
closest date the trigger's clause governs), the place ("in San Francisco"), who asked for it
("at the latter's request", "at the invitation of X") and "first since" claims.

Its status says whether it happened: the words that govern the trigger (the registry's
``engagement_status`` terms) make it planned ("will meet", "the planned visit", "preparations
for the summit"), proposed ("an invitation to meet"), requested ("a request for a call"),
declined ("turned down a meeting"), cancelled ("called off the talks", "the cancellation of
the dialogue") or postponed; a contact that is denied ("did not meet", "without talks") or only
imagined ("could pick up the phone") is no engagement; the rest were held. A date after the
publication date makes a held one planned.

Mentions of the same engagement in one document ("the video call", "the conversation") are
merged into one record with every piece of evidence. A candidate with no two countries behind
it is not an engagement between states and is dropped.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ..records import DateValue, Engagement, Statement, content_id
from ..registry import Registry, Role, term_values
from .base import ActorIndex, DatesByPosition, char_span, text_of
from .layout import find_layout
from .terms import ChannelHit, TermHit, demonym_country, find_channels, find_terms

_MEDIUM = {"video_call": "video", "call": "phone"}
_NOT_POINTS = {"duration", "since", "by", "before"}
_GENERIC_KINDS = {"meeting", "talks"}
_MERGE_WINDOW = 40
_NEAR_TOKENS = 80  # how far a mention that names one side may be from the contact it joins
_EARLIER = {"last", "previous", "prior", "earlier", "preceding"}
_FIRST_PERSON = {"i", "me", "we", "us"}
# the furthest along of the statuses that govern a trigger wins
_STATUS_RANK = ("declined", "cancelled", "postponed", "requested", "proposed", "planned")
# grammar, not vocabulary: auxiliaries of the future and of what is only possible
_FUTURE_AUX = {"will", "shall", "'ll", "’ll", "wo"}
_POSSIBLE_AUX = {"could", "might", "may", "should", "would", "can", "must", "ought"}
# how a trigger hangs from the word whose status it takes: its object, its subject in the passive,
# the object of "for", "to", "of" ("a request for a call", "the cancellation of the talks")
_UP_DEPS = {"dobj", "nsubjpass", "xcomp", "pobj", "pcomp", "prep", "attr", "oprd", "conj", "appos", "nsubj", "ccomp", "acomp", "acl"}
# a trigger inside the name of a gathering ("the Shangri-La Dialogue", "the G20 Summit") names
# the gathering, not a contact between two states
_GATHERING_LABELS = {"FAC", "EVENT", "ORG", "WORK_OF_ART", "LAW"}
_STATUS_PREPS = {"for", "to", "of", "on", "about", "with", "by", "via", "over"}
# prepositions that frame a clause by an engagement: "During the call, X told Y ..."
# prepositions under which a contact is still the subject's own: its other side ("with", "between",
# "by"), a noun it completes ("the round of ..."), or a time ("the progress made since the 21st
# round", "after meeting with Xi")
_PARTY_OR_TIME_PREPS = {"with", "between", "by", "of", "since", "after", "before", "following", "during", "until", "at"}
# date rules of a part of the current period still to come ("later this year", "later this month")
_STILL_TO_COME = {"later_this_year", "later_this_month", "later_this_week"}
_ADJUNCT_PREPS = {"during", "in", "at", "throughout", "over"}
# "at the invitation of X", "at the request of X": who asked for a contact that took place
_INITIATIVE_PREPS = {"at", "upon", "on", "following", "after"}


@dataclass(frozen=True, slots=True)
class Proposal:
    """An engagement that was asked for (and perhaps turned down) rather than held."""

    kind: str
    participants: list[str]
    dyad: list[str]
    date: DateValue | None
    states: tuple[str, ...]  # "requested", and "declined" when turned down
    evidence: tuple[int, int]
    channel: str | None
    requester: str | None  # country code


@dataclass(slots=True)
class _Draft:
    kind: str
    start: int  # token index of the trigger
    end: int
    sent_start: int
    participants: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    date: DateValue | None = None
    initiator: str | None = None
    location: str | None = None
    channel: str | None = None
    first_since: DateValue | None = None
    evidence: list[tuple[int, int]] = field(default_factory=list)  # char offsets
    rule: str = ""
    coref: bool = False
    reasons: dict[str, str] = field(default_factory=dict)
    status: str = "held"
    headline: bool = False  # found in a headline line: it confirms a contact the story reports
    fragment: bool = False  # in a line without a verb ("Statement on X's Meeting with Y"): it asserts no status
    role: str | None = None  # the post its participants are named by ("the two defense chiefs")
    earlier: bool = False  # "the last talks at this level", "their previous meeting": another, earlier contact
    the_two: bool = False  # its sentence speaks of "the two leaders", "both ministers": two people named before
    background: bool = False  # "following the conversation ... in Bali", "building on the meeting": before the story's day
    the_two_topic: bool = False  # ... who spoke of it ("both ministers concurred on holding a meeting"): their states, not them


def _plural(phrase: str) -> str:
    """'head of state' -> 'heads of state'; 'defense minister' -> 'defense ministers'."""
    words = phrase.split()
    if not words:
        return phrase
    i = words.index("of") - 1 if "of" in words[1:] else len(words) - 1
    w = words[i]
    words[i] = w[:-1] + "ies" if w.endswith("y") and w[-2:-1] not in "aeiou" else (w + "es" if w.endswith(("s", "sh", "ch")) else w + "s")
    return " ".join(words)


@lru_cache(maxsize=8)
def _role_plurals(registry: Registry) -> list[tuple[Role, list[str]]]:
    return [(role, [_plural(p) for p in role.phrases]) for role in registry.roles.values()]


def _definite(tok: Token) -> bool:
    """'the conversation', 'this call', 'their meeting', 'the two leaders' summit'."""
    return any(c.dep_ in ("det", "poss") and c.lower_ not in ("a", "an", "any", "no", "some") for c in tok.children)


def _governing_verb(tok: Token) -> Token:
    cur = tok
    for _ in range(5):
        if cur.pos_ in ("VERB", "AUX") or cur.head.i == cur.i:
            return cur
        cur = cur.head
    return cur


def _depth(tok: Token, ancestor: Token) -> int:
    """Steps from ``tok`` up to ``ancestor`` (a large number when it is not one)."""
    n, cur = 0, tok
    while cur.i != ancestor.i and cur.head.i != cur.i and n < 10:
        cur, n = cur.head, n + 1
    return n if cur.i == ancestor.i else 99


def _subtree_range(tok: Token) -> tuple[int, int]:
    toks = list(tok.subtree)
    return toks[0].i, toks[-1].i + 1


def _char_range(doc: Doc, a: int, b: int) -> tuple[int, int]:
    return doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)


class _Finder:
    def __init__(self, doc: Doc, registry: Registry, actors: ActorIndex, dates: list[DateValue], published: date | None,
                 outlet_country: str | None = None) -> None:
        self.doc = doc
        self.outlet_country = outlet_country
        self.earliest: date | None = None  # the first day of a publication date known only to the month or year
        self.registry = registry
        self.actors = actors
        self.dates = dates
        self.published = published
        self.channel_hits = find_channels(doc, registry)  # sorted by start
        self._channel_starts = [h.start for h in self.channel_hits]
        self._ents = list(doc.ents)
        self._ent_starts = [e.start for e in self._ents]
        self.by_pos = DatesByPosition(dates)
        self.layout = find_layout(doc, registry)
        self.proposals: list[Proposal] = []
        self._status_word: Token | None = None  # the word status_of last read the status from
        self._titles = frozenset(term_values(registry, "honorific"))
        # the two states the document mentions most: the sides of "the two heads of state"
        counts: dict[str, int] = {}
        for a in actors.actors:
            if a.kind == "state" and a.country:
                counts[a.country] = len(a.mentions)
        self.main_countries = sorted(counts, key=lambda c: -counts[c])[:2] if len(counts) >= 2 else []

    # ------------------------------------------------------------------ pieces
    def participant_ranges(self, trig: SpacySpan) -> list[tuple[int, int]]:
        """Token ranges that name the parties of the engagement the trigger opens."""
        head = trig.root
        verb = _governing_verb(head)
        ranges: list[tuple[int, int]] = []

        def add_children(tok: Token) -> None:
            for ch in tok.children:
                if ch.dep_ == "prep" and (ch.lower_ in ("with", "between", "among", "by")
                                          or (ch.lower_ == "to" and tok.lemma_ in ("speak", "talk"))):
                    for pobj in ch.children:
                        if pobj.dep_ == "pobj":
                            ranges.append(_subtree_range(pobj))
                            ranges.extend(self._name_after_counterpart(pobj))
                        elif pobj.dep_ == "pcomp":
                            # "spoke with X to discuss ...", parsed as a clause whose subject is X
                            ranges.extend(_subtree_range(s) for s in pobj.children if s.dep_ == "nsubj")
                    if not any(c.dep_ in ("pobj", "pcomp") for c in ch.children):
                        # "with" left without an object: the phrase right after it, parsed as the
                        # subject of the next clause ("spoke with X to discuss ...")
                        after = next((t for t in ch.sent if t.i > ch.i and t.dep_ in ("nsubj", "nsubjpass")
                                      and min(x.i for x in t.subtree) == ch.i + 1), None)
                        if after is not None:
                            ranges.append(_subtree_range(after))
                elif ch.dep_ in ("poss", "compound", "nmod", "amod") and ch.i < trig.start:
                    ranges.append(_subtree_range(ch))
                    # "the two heads of state's summit": the possessor may be parsed as "state" alone
                    up = ch
                    while up.dep_ == "pobj" and up.head.lower_ == "of" and up.head.head.i < up.i:
                        up = up.head.head
                    if up.i != ch.i:
                        ranges.append(_subtree_range(up))

        add_children(head)
        if verb.i != head.i:
            add_children(verb)
        if head.dep_ == "pobj" and head.head.lower_ in ("via", "by", "over", "through"):
            # "had his first engagement with Admiral Dong via teleconference": the medium of the
            # verb's object, whose "with" names the other side
            for obj in (c for c in verb.children if c.dep_ == "dobj"):
                add_children(obj)
        if head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.pos_ in ("NOUN", "PROPN") and head.head.head.i < head.i:
            # "the two heads of state's summit", parsed as "heads of (state's summit)"
            owner = head.head.head
            ranges.append((min(t.i for t in owner.subtree), trig.start))
        # "bilateral meetings with the ASEAN Chair: Indonesia, Malaysia, ...": a plural contact
        # with a list that runs on to the end of the sentence
        if head.tag_ in ("NNS", "NNPS") and any(c.dep_ == "prep" and c.lower_ == "with" for c in head.children):
            ranges.append((trig.end, trig.sent.end))
        # "held his first call as Chairman with X": a "with" hung on a word inside the trigger's phrase
        subjects = {t.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree}
        for top in {head, verb}:
            for tok in top.subtree:
                if tok.dep_ == "prep" and tok.lower_ in ("with", "between") and tok.head.i not in (head.i, verb.i) \
                        and tok.head.dep_ in ("pobj", "appos", "compound", "amod") and _depth(tok, top) <= 3 and tok.i not in subjects:
                    ranges.extend(_subtree_range(p) for p in tok.children if p.dep_ == "pobj")
        if head.dep_ == "pobj" and head.head.lower_ in _ADJUNCT_PREPS and head.head.head.i == verb.i and verb.i != head.i:
            # "During the call, Dong told Austin ...", "In the conversation, Putin conveyed greetings to
            # Merkel": the clause the call frames is between its subject and its addressee
            for ch in verb.children:
                if ch.dep_ in ("nsubj", "dative") and ch.i != head.head.i:
                    ranges.append(_subtree_range(ch))
                elif ch.dep_ == "dobj" and ch.pos_ in ("PROPN", "PRON"):
                    ranges.append(_subtree_range(ch))  # "Dong told Austin"; not "discussed the challenges regarding China"
                elif ch.dep_ == "prep" and ch.lower_ == "to":
                    ranges.extend(_subtree_range(p) for p in ch.children if p.dep_ == "pobj")
        # subject of the governing verb ("X held talks with Y", "X and Y met") unless the verb reports
        # speech about the engagement ("X said the call was useful")
        subject_holders = [verb]
        if verb.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
            subject_holders.append(verb.head)  # "X visited Taiwan and met with ..."
        elif verb.dep_ == "pcomp" and verb.tag_ == "VBG" and verb.head.dep_ == "prep" and verb.head.lower_ in ("after", "before", "while", "since", "to") \
                and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
            # "X secured China's agreement to return to talks after meeting with Y": X met Y;
            # "X looks forward to visiting Y": X visits
            holder = verb.head.head
            for _ in range(3):
                if any(c.dep_ in ("nsubj", "nsubjpass") for c in holder.children) or holder.head.i == holder.i:
                    break
                holder = holder.head
            subject_holders.append(holder)
        elif verb.i == head.i and verb.dep_ == "xcomp" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children) and any(
                term_values(self.registry, "engagement_status").get(k) == "planned"
                for k in (verb.head.lemma_.lower(), f"{verb.head.lemma_.lower()} to", f"{verb.head.lower_} to")):
            subject_holders.append(verb.head)  # "Biden is set to meet Xi", "Wang plans to visit": the planner takes part
        if verb.lemma_.lower() not in self.registry.verbs or verb.lemma_ in ("hold", "have", "speak", "talk") \
                or verb.lemma_.lower() in term_values(self.registry, "engagement_object"):
            for ch in (c for v in subject_holders for c in v.children):
                if ch.dep_ in ("nsubj", "nsubjpass") and not (trig.start <= ch.i < trig.end):
                    ranges.append(_subtree_range(ch))
                if ch.dep_ == "dobj" and verb.lemma_.lower() in term_values(self.registry, "engagement_object") and not (trig.start <= ch.i < trig.end):
                    ranges.append(_subtree_range(ch))
            if verb.pos_ == "VERB" and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for v in subject_holders for c in v.children):
                ranges.extend(self._stray_subject(verb))
        # "the meeting of the two defense ministers of India and Japan"
        for ch in head.children:
            if ch.dep_ == "prep" and ch.lower_ == "of" and head.lower_ in ("meeting", "meetings", "talks"):
                for pobj in ch.children:
                    if pobj.dep_ == "pobj":
                        ranges.append(_subtree_range(pobj))
        return ranges

    def _one_each(self, participants: list[str]) -> bool:
        """One named person for each of two states."""
        people = [a for p in participants if (a := self.actors.get(p)) is not None and a.kind == "person"]
        codes = [a.country for a in people]
        return len(people) == 2 and None not in codes and len(set(codes)) == 2

    def _name_after_counterpart(self, noun: Token) -> list[tuple[int, int]]:
        """"with his Chinese counterpart, Gen. Liu Zhenli": the name after the comma is the
        counterpart, even where the parser hangs it elsewhere."""
        if noun.lemma_.lower() != "counterpart":
            return []
        end = _subtree_range(noun)[1]
        doc = self.doc
        if end >= len(doc) or doc[end].text != "," or any(t.head.i == end for t in doc[end + 1:end + 2]):
            return []
        a, b = _char_range(doc, end + 1, min(len(doc), end + 8, noun.sent.end))
        named: set[int] = set()  # tokens of the organizations named on the way
        for m in self.actors.in_range(a, b):
            act = self.actors.get(m.actor_id)
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if act is None or span is None:
                continue
            if act.kind != "person":
                named.update(range(span.start, span.end))
                continue
            # only title words and names between: "People's Liberation Army Gen. Liu Zhenli"
            if all(t.lower_ in self._titles or t.pos_ == "PROPN" or t.i in named for t in doc[end + 1:span.start]):
                return [(end + 1, span.end)]
            break
        return []

    def _subjectless_speaker(self, trig: SpacySpan) -> str | None:
        """In a transcript turn, a contact whose clause has no subject ("Also had a good meeting
        with X", "It was great to meet with X") is the speaker's own."""
        speaker = self.actors.speaker_at(trig.start_char)
        if speaker is None or (act := self.actors.get(speaker)) is None or act.kind != "person":
            return None
        if any(m.actor_id != speaker for m in self.actors.in_range(trig.sent.start_char, trig.start_char)):
            return None  # someone named before the contact is its subject, however the parse hangs it
        cur = _governing_verb(trig.root)
        for _ in range(4):
            subj = [c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass", "expl")]
            if subj:
                return speaker if all(c.lower_ == "it" for c in subj) else None
            if cur.dep_ not in ("xcomp", "acomp", "advcl", "conj", "ccomp") or cur.head.i == cur.i:
                break
            cur = cur.head
        return speaker if cur.dep_ == "ROOT" else None

    def _stray_subject(self, verb: Token) -> list[tuple[int, int]]:
        """A subject the parser hung elsewhere: in "On May 5, commencing at 3 p.m., Mr. X,
        Minister of ..., held a meeting with Y" the name may end up under "commencing". The
        first name before the verb that no preposition governs stands in."""
        sent = verb.sent
        for tok in sent:
            if tok.i >= verb.i:
                break
            if tok.pos_ != "PROPN" or tok.dep_ in ("compound", "pobj", "poss"):
                continue
            cur, governed = tok, False
            while cur.head.i != cur.i and cur.i != verb.i:
                if cur.dep_ == "pobj":
                    governed = True
                    break
                cur = cur.head
            if not governed and cur.i == verb.i:
                return [_subtree_range(tok)]
        return []

    def _possessor_only(self, where: SpacySpan) -> bool:
        """A name that only qualifies another noun ("Brown's predecessor", "Xi's envoy"), not
        an engagement ("Biden's call with Xi")."""
        root = where.root
        if root.dep_ != "poss" or root.head.pos_ not in ("NOUN", "PROPN"):
            return False
        head = root.head.i
        return not any(h.start <= head < h.end for h in find_terms(self.doc, self.registry, "engagement"))

    def other_clauses(self, trig: SpacySpan, hits: list[TermHit]) -> set[int]:
        """Tokens of the clauses that report another engagement in the trigger's sentence
        ("the first call since July 2022, when Milley held a video call with Li"): their people
        took part in that one."""
        verb = _governing_verb(trig.root)
        mine = {t.i for t in verb.subtree}
        out: set[int] = set()
        for h in hits:
            if h.start >= trig.sent.end or h.end <= trig.sent.start or h.start == trig.start:
                continue
            other = _governing_verb(self.doc[h.start:h.end].root)
            if other.i == verb.i or other.i not in mine or other.dep_ not in ("relcl", "advcl", "ccomp", "acl"):
                continue
            if other.tag_ in ("VBG", "VBN") and not any(c.dep_ in ("nsubj", "nsubjpass") for c in other.children):
                continue  # "commencing at 3 p.m., during his visit to ...": a participle of the same event
            if trig.root.i in {t.i for t in other.subtree}:
                continue
            out.update(t.i for t in other.subtree)
        return out

    def people_in(self, ranges: list[tuple[int, int]], exclude: set[int] | frozenset[int] = frozenset()) -> tuple[list[str], list[str]]:
        """(participant actor ids, countries) named in the token ranges, leaving out the tokens
        in ``exclude``."""
        doc = self.doc
        people: list[str] = []
        others: list[str] = []
        countries: list[str] = []
        for a, b in ranges:
            s, e = _char_range(doc, a, b)
            for m in self.actors.in_range(s, e):
                actor = self.actors.get(m.actor_id)
                if actor is None or self.layout.furniture(m.start):
                    continue  # a byline or a photo credit names no participant
                where = doc.char_span(m.start, m.end, alignment_mode="expand")
                if where is not None and where.root.i in exclude:
                    continue
                if where is not None and where.root.dep_ == "poss" and actor.kind == "state" and any(t.lower_ in ("region",) for t in where.root.head.subtree):
                    continue  # "China's Taiwan region": the region, not its possessor
                if where is not None and actor.kind == "state" and where.root.dep_ == "pobj" and where.root.head.lower_ in ("in", "at", "near", "inside"):
                    continue  # "met Austin in Singapore": the place, not a party
                if actor.kind == "person" and where is not None and self._possessor_only(where):
                    continue  # "Brown's predecessor, Milley": the predecessor takes part, not Brown
                if actor.kind == "person":
                    if not self.actors.named(actor.id):
                        continue  # "the defense minister" alone: the text does not name who
                    if actor.id not in people:
                        people.append(actor.id)
                elif actor.id not in others:
                    others.append(actor.id)
                if actor.country and actor.country not in countries and actor.country not in ("IGO", "NGO"):
                    countries.append(actor.country)
            for word in doc[a:b]:
                code = demonym_country(word.text, self.registry, doc.vocab)
                if code and code not in countries:
                    countries.append(code)
        states = [o for o in others if (act := self.actors.get(o)) and act.kind == "state"]
        orgs = [o for o in others if (act := self.actors.get(o)) and act.kind == "organization"]
        participants = people or states or orgs
        # in text order, so that "the latter" is the one named last
        first_seen = {m.actor_id: m.start for a, b in reversed(ranges) for m in self.actors.in_range(*_char_range(doc, a, b))}
        participants.sort(key=lambda p: first_seen.get(p, 0))
        return participants, countries

    def role_in(self, ranges: list[tuple[int, int]], singular: bool = False) -> str | None:
        """The post the parties are named by, in the plural ("the two defense chiefs", "the
        heads of state"), or with ``singular`` a post named bare ("the Prime Minister"): it
        tells the level of the contact when no one is named."""
        text = " " + " ".join(self.doc[a:b].text.lower() for a, b in ranges) + " "
        for role, plurals in _role_plurals(self.registry):
            if any(f" {plural}" in text for plural in plurals):
                return role.id
        if singular:
            for role in self.registry.roles.values():
                if any(f"the {phrase} " in text for phrase in role.phrases):
                    return role.id
        return None

    def role_holders(self, ranges: list[tuple[int, int]], countries: list[str], day: date | None) -> list[str]:
        """'the two heads of state', 'the defense ministers' -> the people of that post the text
        names elsewhere, one per country of the dyad; nobody when the text names none (the
        registry's holder of the post is not put in the text's mouth)."""
        text = " ".join(self.doc[a:b].text.lower() for a, b in ranges)
        if not text or len(countries) < 2 or day is None:
            return []
        named = [a for a in self.actors.actors if a.kind == "person" and self.actors.named(a.id)]
        out: list[str] = []
        for role, plurals in _role_plurals(self.registry):
            if not any(f" {plural}" in f" {text}" for plural in plurals):
                continue
            for code in countries[:2]:
                holders = [a.id for a in named if a.country == code and (p := self.registry.people.get(a.id)) is not None
                           and any(t.role == role.id and t.held_on(day) for t in p.titles)]
                if len(holders) == 1 and holders[0] not in out:
                    out.append(holders[0])
            if out:
                return out
        return out

    def _ents_in(self, sent: SpacySpan) -> list[SpacySpan]:
        """The named entities of a sentence (spaCy's Span.ents rebuilds all of Doc.ents)."""
        return self._ents[bisect.bisect_left(self._ent_starts, sent.start):bisect.bisect_left(self._ent_starts, sent.end)]

    def _channels_in(self, start: int, end: int) -> list[ChannelHit]:
        """Channel mentions that start in tokens [start, end)."""
        return self.channel_hits[bisect.bisect_left(self._channel_starts, start):bisect.bisect_left(self._channel_starts, end)]

    def date_for(self, trig: SpacySpan) -> DateValue | None:
        clause = self._clause_of_date(trig)
        if clause is not None and clause.value:
            return replace(clause, relation=None)
        sent = trig.sent
        verb = _governing_verb(trig.root)
        s0, s1 = sent.start_char, sent.end_char
        cands = [d for d in self.by_pos.between(s0, s1) if d.span and d.span.end <= s1 and d.relation not in _NOT_POINTS]
        if not cands:
            return None
        if any(d.value for d in cands):
            # "On September 23 and 24": the resolved day, not the bare "24" left without a month
            cands = [d for d in cands if d.value or not (d.raw or "").strip().isdigit()]
        scope = set()
        for tok in (verb, trig.root):
            a, b = _subtree_range(tok)
            scope.add((self.doc[a].idx, self.doc[b - 1].idx + len(self.doc[b - 1].text)))

        def rank(d: DateValue) -> tuple[int, int]:
            assert d.span is not None
            inside = any(a <= d.span.start and d.span.end <= b for a, b in scope)
            # a date inside a nested clause of another verb ranks lower than one of the trigger's own
            return (0 if inside else 1, abs(d.span.start - trig.start_char))

        cands.sort(key=rank)
        for best in cands:
            assert best.span is not None
            if not any(a <= best.span.start and best.span.end <= b for a, b in scope):
                return self._date_of_host(verb, cands)  # the sentence's date belongs to another clause ("X said on Friday that ...")
            if self._belongs_to(best, verb, trig.root):
                return best
        return None

    def _date_of_host(self, verb: Token, cands: list[DateValue]) -> DateValue | None:
        """"I look forward tomorrow to visiting Cambodia": a date still to come that modifies the
        verb whose complement the contact is; not "agreed on Monday to visit" (a past date is
        the agreement's)."""
        host = verb.head.head if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" else verb.head if verb.dep_ == "xcomp" else None
        if host is None or self.published is None:
            return None
        # "secured China's agreement last November after meeting with Xi": the clause it is the
        # occasion of gives its time, past or not
        occasion = verb.dep_ == "pcomp" and verb.head.lower_ in ("after", "while", "when")
        for d in cands:
            assert d.span is not None
            span = self.doc.char_span(d.span.start, d.span.end, alignment_mode="expand")
            if span is not None and span.root.head.i == host.i and d.value and (occasion or _after(d, self.published)):
                return d
        return None

    def _belongs_to(self, d: DateValue, verb: Token, trig: Token) -> bool:
        """A date is the engagement's when, going up the parse from it, the first verb met is
        the trigger's own verb (or the trigger itself comes first)."""
        assert d.span is not None
        span = self.doc.char_span(d.span.start, d.span.end, alignment_mode="expand")
        if span is None:
            return True
        cur, hops = span.root, 0
        while cur.head.i != cur.i and hops < 8:
            cur = cur.head
            hops += 1
            if cur.i in (trig.i, verb.i):
                return True
            if cur.pos_ in ("VERB", "AUX") and cur.dep_ not in ("aux", "auxpass"):
                if cur.dep_ in ("advcl", "acl") and not any(c.dep_ in ("nsubj", "nsubjpass") for c in cur.children) \
                        and cur.tag_ in ("VBG", "VBN"):
                    continue  # "On May 15, commencing at 3 p.m., X held talks": a participle of the same event
                # "visited Taiwan and met ... in August 2022": a verb conjoined to the trigger's
                return (cur.dep_ == "conj" and cur.head.i == verb.i) or (verb.dep_ == "conj" and verb.head.i == cur.i)
        return True

    def location_for(self, trig: SpacySpan) -> str | None:
        verb = _governing_verb(trig.root)
        heads = {trig.root.i, verb.i}
        for ent in self._ents_in(trig.sent):
            if ent.label_ not in ("GPE", "LOC", "FAC"):
                continue
            prep = ent.root.head
            if ent.root.dep_ == "pobj" and prep.lower_ in ("in", "at", "on") and prep.head.i in heads:
                return ent.text
            # "the San Francisco meeting"
            if ent.root.dep_ in ("compound", "nmod") and ent.root.head.i in heads:
                return ent.text
            # "the conversation between Biden and Xi in Bali": the place hung on a party's name
            if ent.root.dep_ == "pobj" and prep.lower_ in ("in", "at") and prep.head.pos_ == "PROPN" \
                    and prep.head.dep_ in ("pobj", "conj") and prep.head.i in {t.i for t in trig.root.subtree}:
                return ent.text
            # "Here in Beijing, I had a conversation with ...": the place the speaker is at
            if ent.root.dep_ == "pobj" and prep.lower_ == "in" and prep.head.lower_ == "here" and prep.head.head.i in heads:
                return ent.text
        return None

    def initiator_for(self, trig: SpacySpan, participants: list[str]) -> tuple[str | None, str | None]:
        """(initiator, rule): 'at the latter's request', 'at the invitation of X', 'following a
        request from X', 'X requested the call'."""
        doc = self.doc
        asking = term_values(self.registry, "initiative")
        for tok in trig.sent:
            if tok.lemma_.lower() not in asking or tok.pos_ not in ("NOUN", "VERB"):
                continue
            who: Token | None = None
            if tok.pos_ == "NOUN":
                for ch in tok.children:
                    if ch.dep_ == "poss":
                        who = ch
                    elif ch.dep_ == "prep" and ch.lower_ in ("of", "from", "by"):
                        who = next((p for p in ch.children if p.dep_ == "pobj"), None)
            elif tok.lemma_ in ("request", "invite", "ask"):
                if tok.dep_ in ("acl", "amod") or tok.tag_ == "VBN":  # "invited by X"
                    for ch in tok.children:
                        if ch.dep_ == "agent":
                            who = next((p for p in ch.children if p.dep_ == "pobj"), None)
                else:
                    who = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if who is None:
                continue
            if who.lower_ in ("latter", "former"):
                if len(participants) >= 2:
                    return (participants[-1] if who.lower_ == "latter" else participants[0]), f"{who.lower_}_request"
                continue
            a, b = _subtree_range(who)
            s, e = _char_range(doc, a, b)
            m = self.actors.mention_at(s, e)
            if m is not None:
                actor = self.actors.get(m.actor_id)
                if actor is not None:
                    return (actor.id if actor.kind != "state" else actor.country), "request_phrase"
            code = demonym_country(who.text, self.registry, doc.vocab)
            if code:
                return code, "request_phrase"
        return None, None

    def channel_for(self, trig: SpacySpan, dyad: list[str], participants: list[str], day: date | None,
                    role: str | None = None) -> str | None:
        sent = trig.sent
        named = self._channels_in(sent.start, sent.end)
        # the channel whose name holds the trigger, else the only one the sentence names
        own = [h for h in named if h.start <= trig.start and trig.end <= h.end] or (named if len(named) == 1 else [])
        for h in own:
            ch = self.registry.channels.get(h.channel)
            if ch and not ch.generic and (ch.dyad == dyad):
                return ch.id
        # else the channel on which the posts of the people taking part meet ("the two defense
        # chiefs", or two named people holding such posts on that day)
        persons = [p for p in participants if (act := self.actors.get(p)) is not None and act.kind == "person"]
        posts: set[str] = set()
        for pid in persons:
            person = self.registry.people.get(pid)
            title = person.title_on(day) if person else None
            if title is None or not title.role:
                return None
            posts.add(title.role)
        if len(persons) < 2:
            if not role:
                return None
            posts = {role}
        options = [c for c in self.registry.channels_of(dyad) if c.roles and posts <= set(c.roles)]
        return options[0].id if len(options) == 1 else None

    def first_since(self, trig: SpacySpan) -> DateValue | None:
        sent = trig.sent
        words = {t.lower_ for t in sent}
        if "first" not in words:
            return None
        for d in self.by_pos.between(sent.start_char, sent.end_char):
            if d.relation in ("since", "duration") and self._clause_of_date(trig) is not d:
                return d
        return None

    def _clause_of_date(self, trig: SpacySpan) -> DateValue | None:
        """The date whose clause reports this engagement: "since July 2022, when Milley held a
        call with Li" - the call is the earlier one, on that date."""
        verb = _governing_verb(trig.root)
        if verb.dep_ not in ("relcl", "advcl", "acl"):
            return None
        head = verb.head
        for d in self.by_pos.between(trig.sent.start_char, trig.sent.end_char):
            if d.span and d.span.start <= head.idx < d.span.end:
                return d
        return None

    # ------------------------------------------------------------------ main
    def drafts(self) -> list[_Draft]:
        doc = self.doc
        out: list[_Draft] = []
        hits = find_terms(doc, self.registry, "engagement")
        coref_hits = {(h.start, h.end) for h in find_terms(doc, self.registry, "coreference")}
        for h in hits:
            trig = doc[h.start:h.end]
            root = trig.root
            if not self._is_engagement_trigger(h, root) or self.layout.furniture(trig.start_char):
                continue
            inside_channel = any(c.start <= h.start and h.end <= c.end for c in self._channels_in(h.start - 12, h.end))
            ranges = self.participant_ranges(trig)
            participants, countries = self.people_in(ranges, self.other_clauses(trig, hits))
            if len(set(countries)) < 2:
                # "our Annual Leaders' Meeting" in the Prime Minister's own remarks: a bilateral
                # channel's name gives its two states
                for c in self._channels_in(h.start - 12, h.end):
                    dyad = self.registry.channels[c.channel].dyad if c.start <= h.start and h.end <= c.end else None
                    if dyad and set(countries) <= set(dyad) and (countries or self.outlet_country in dyad):
                        countries = [*countries, *(x for x in dyad if x not in countries)]
                        break
            speaker = self._subjectless_speaker(trig)
            if speaker is not None and speaker not in participants:
                # "It was great to meet with Prime Minister Wong" in the Secretary's own turn
                participants = [speaker, *participants]
                code = self.actors.get(speaker).country  # type: ignore[union-attr]
                if code and code not in countries:
                    countries = [code, *countries]
            named = any((act := self.actors.get(p)) is not None and act.kind == "person" for p in participants)
            kind = self._kind_by_medium(h.value, root)
            draft = _Draft(kind=kind, start=h.start, end=h.end, sent_start=trig.sent.start, rule=f"trigger:{h.phrase}",
                           headline=self.layout.headline(trig.start_char),
                           fragment=not any(t.pos_ in ("VERB", "AUX") for t in trig.sent),
                           background=_follows_from(root),
                           earlier=any(c.dep_ == "amod" and c.lower_ in _EARLIER for c in root.children))
            draft.date = self.date_for(trig)
            day = _as_date(draft.date) or self.published
            draft.role = self.role_in(ranges)
            draft.the_two, draft.the_two_topic = _speaks_of_the_two(trig, [x for x in hits if x.start != h.start])
            if draft.role and not countries and len(self.main_countries) == 2:
                # "the two heads of state's summit": the two states the document is about
                countries = list(dict.fromkeys([*countries, *self.main_countries]))
            if len(countries) == 1 and self.outlet_country and self.outlet_country != countries[0]:
                bare = self.role_in(ranges, singular=True)
                if not bare and any(t.lower_ in _FIRST_PERSON for a, b in ranges for t in self.doc[a:b]):
                    countries.append(self.outlet_country)  # "let me welcome Minister Lee": the government speaking
                elif bare:
                    # "The Prime Minister spoke to President Xi" in a government's own readout
                    countries.append(self.outlet_country)
                    draft.role = draft.role or bare
            if len([p for p in participants if (act := self.actors.get(p)) and act.kind == "person"]) < 2:
                extra = self.role_holders(ranges, countries if len(countries) >= 2 else self.main_countries, day)
                participants = [*participants, *(p for p in extra if p not in participants)] if extra else participants
                participants = [p for p in participants if (act := self.actors.get(p)) is None or act.kind == "person" or not extra]
                for pid in extra:
                    code = self.registry.people[pid].country
                    if code and code not in countries:
                        countries.append(code)
            # a visit's destination is the second side
            if h.value == "visit":
                dest = self._visit_destination(trig)
                if dest and dest not in countries:
                    countries.append(dest)
                    draft.location = draft.location or self._visit_place(trig)
                visitors = {act.country for p in participants if (act := self.actors.get(p)) is not None and act.kind == "person" and act.country}
                if dest and len(visitors) == 1 and dest not in visitors:
                    # the visitor's state and the one visited, not a third the sentence names
                    countries = [c for c in countries if c in visitors or c == dest]
            draft.participants = participants
            draft.countries = countries
            draft.location = draft.location or self.location_for(trig)
            draft.initiator, init_rule = self.initiator_for(trig, participants)
            if init_rule:
                draft.rule += f"+{init_rule}"
            draft.first_since = self.first_since(trig)
            has_people = any((act := self.actors.get(p)) is not None and act.kind == "person" for p in participants)
            # "the conversation", or "the summit" with nothing new said about it, refers back
            draft.coref = _definite(root) and ((h.start, h.end) in coref_hits or not (has_people or draft.date or draft.location))
            substantive = (has_people or draft.date is not None or draft.location is not None
                           or _governing_verb(root).lemma_ in term_values(self.registry, "engagement_hold") or root.pos_ == "VERB")
            if not substantive:
                draft.coref = True
                draft.participants, draft.countries = [], countries if len(countries) >= 2 else []
            if inside_channel and draft.date is None and not named:
                continue  # a channel named, not an engagement held ("the MMCA meetings are expected to resume")
            s, e = _char_range(doc, trig.sent.start, trig.sent.end)
            draft.evidence.append((s, e))
            if draft.kind == "talks" and h.phrase in term_values(self.registry, "principals_talks") and not inside_channel \
                    and not self._channels_in(trig.sent.start, trig.sent.end) and self._one_each(participants):
                # "Motegi and his counterpart Wang held talks", "will have consultations with Foreign
                # Minister Lavrov": two principals talking is a meeting, not a round of a mechanism
                draft.kind = "meeting"
            leaders = self._leaders(participants, day, draft.role)
            if leaders and draft.kind in ("meeting", "talks") and not self._on_sidelines(trig):
                draft.kind = "summit"  # leaders' own bilateral meeting; "on the sidelines of" one is a meeting
            elif draft.kind == "summit" and self._on_sidelines(trig):
                draft.kind = "meeting"  # "a summit meeting on the margins of the G20 summit"
            status = self.status_of(trig)
            if status is None:
                continue  # denied or only imagined: "did not meet", "without talks", "could call"
            if status == "held" and draft.date is not None and self.published is not None and _after(draft.date, self.published):
                status = "planned"  # "will meet ... on Dec. 14" in a text of Dec. 2
            elif status == "held" and draft.date is not None and draft.date.rule in _STILL_TO_COME:
                status = "planned"  # "at the 2+2 later this year": the rest of the period is still to come
            draft.status = status
            if status == "planned" and draft.date is not None and self.published is not None:
                draft.date = _next_occurrence(draft.date, self.published)
            if status in ("requested", "declined", "proposed") and self._status_word is not None:
                # "Li Shangfu declined an invitation to meet Austin": the one who declined takes part
                for subj in (c for c in self._status_word.children if c.dep_ == "nsubj"):
                    for m in self.actors.in_range(*_char_range(doc, *_subtree_range(subj))):
                        act = self.actors.get(m.actor_id)
                        if act is not None and act.kind == "person" and act.id not in participants:
                            participants.append(act.id)
                            draft.participants = participants
                            if act.country and act.country not in countries:
                                countries.append(act.country)
            if status in ("requested", "declined", "proposed"):
                # asked for (and perhaps turned down): the sides are the states the sentence names;
                # the channel it was asked on gets the status too
                if len(countries) < 2:
                    countries = [*countries, *(c for c in self._sentence_states(trig.sent) if c not in countries)]
                    draft.countries = countries
                if len(set(countries)) == 2 and status != "proposed":
                    dyad = sorted(set(countries))[:2]
                    states = ("requested", "declined") if status == "declined" else ("requested",)
                    self.proposals.append(Proposal(draft.kind, participants, dyad, draft.date, states, (s, e),
                                                   self.channel_for(trig, dyad, participants, day, draft.role), self.requester(trig)))
            out.extend(self._one_per_counterpart(draft, trig))
        return out

    def _one_per_counterpart(self, draft: _Draft, trig: SpacySpan) -> list[_Draft]:
        """"The Secretary met his counterparts from New Zealand, Laos and Singapore": one
        engagement per counterpart's state, each between it and the subject's."""
        codes = list(dict.fromkeys(draft.countries))
        if len(codes) < 2 or not self._several_parties(trig):
            return [draft]
        verb = _governing_verb(trig.root)
        home: list[str] = []
        for subj in (c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")):
            for m in self.actors.in_range(*_char_range(self.doc, *_subtree_range(subj))):
                act = self.actors.get(m.actor_id)
                if act is not None and act.country and act.country not in home:
                    home.append(act.country)
        if len(home) != 1 and self.outlet_country:
            home = [self.outlet_country]  # "the Secretary met his counterparts from ...", in his government's readout
        if len(home) != 1 or (len(codes) == 2 and home[0] in codes):
            return [draft]  # two states: the subject's and one other ("with A's X and Y")
        others = [c for c in codes if c != home[0]]
        out = []
        for code in others:
            piece = replace(draft, countries=[home[0], code], evidence=list(draft.evidence), reasons=dict(draft.reasons),
                            participants=[p for p in draft.participants
                                          if (act := self.actors.get(p)) is not None and act.country in (home[0], code)])
            if piece.kind == "summit" and "summit" not in trig.text.lower() \
                    and not self._leaders(piece.participants, _as_date(piece.date) or self.published, piece.role):
                piece.kind = "meeting"  # the leaders of the list met someone the text does not name a leader (a "Summit Meeting" stays one)
            out.append(piece)
        return out

    def _several_parties(self, trig: SpacySpan) -> bool:
        """The other side is a list: "with his counterparts from A, B and C", "with the foreign
        ministers of A, B, C", "with A's X and B's Y"."""
        verb = _governing_verb(trig.root)
        if trig.root.tag_ in ("NNS", "NNPS") and any(c.dep_ == "prep" and c.lower_ == "with" for c in trig.root.children):
            return True  # "had bilateral meetings with A, B and C"
        for head in {trig.root, verb}:
            for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ in ("with", "between")):
                for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                    if pobj.tag_ in ("NNS", "NNPS") or any(t.dep_ == "conj" for t in pobj.subtree):
                        return True
                    # "with Prime Minister Wong, President Marcos": two people of two states side by side
                    sides = {act.country for m in self.actors.in_range(*_char_range(self.doc, *_subtree_range(pobj)))
                             if (act := self.actors.get(m.actor_id)) is not None and act.kind == "person" and act.country}
                    if len(sides) >= 2:
                        return True
        return False

    def status_of(self, trig: SpacySpan) -> str | None:
        """What happened to the engagement a trigger names, from the words that govern it (see
        the module's docstring); None when the text reports no contact at all."""
        values = term_values(self.registry, "engagement_status")
        found: list[str] = []
        self._status_word = None

        def look(tok: Token) -> str | None:
            keys = [tok.lemma_.lower(), tok.lower_]
            keys += [f"{tok.lemma_.lower()} {c.lower_}" for c in tok.children if c.dep_ in ("prt", "prep", "acomp", "advmod")]
            if any(c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.children if a.dep_ == "aux") for c in tok.children):
                keys += [f"{tok.lemma_.lower()} to", f"{tok.lower_} to"]  # "is set to meet"
            return next((values[k] for k in keys if k in values), None)

        root = trig.root
        # the trigger's own modifiers: "the planned visit", "a proposed summit", "the cancelled talks",
        # "no meeting", "a meeting scheduled for next week"
        for ch in root.children:
            if ch.dep_ == "det" and ch.lower_ == "no":
                return None
            if ch.dep_ in ("amod", "compound", "acl", "relcl", "nmod") and (v := look(ch)) and not (ch.dep_ == "relcl" and ch.i > root.i and v == "planned"):
                found.append(v)
        cur, hops = root, 0
        while hops < 5:
            if cur.pos_ in ("VERB", "AUX") or cur.i == root.i:
                auxes = {c.lower_ for c in cur.children if c.dep_ in ("aux", "auxpass")}
                if auxes & _FUTURE_AUX:
                    found.append("planned")
                elif auxes & _POSSIBLE_AUX and not found and cur.pos_ == "VERB":
                    # "could pick up the phone", "should meet": imagined, unless a later date says planned
                    return "planned" if self._future_date_in(trig) else None
                if any(c.dep_ == "neg" for c in cur.children) and not found:
                    return None  # "did not meet", "the talks did not take place"
                if cur.lemma_ == "be" and any(c.dep_ == "xcomp" and c.i > cur.i for c in cur.children) and cur.i != root.i \
                        and not any(c.dep_ in ("acomp", "attr", "expl") or (c.dep_ == "nsubj" and c.lower_ == "it") for c in cur.children):
                    found.append("planned")  # "X is to visit"; not "it was great to meet with X"
                if cur.lemma_ == "go" and cur.tag_ == "VBG" and any(c.dep_ == "xcomp" for c in cur.children):
                    found.append("planned")  # "X is going to host Y"
            if cur.i != root.i and (v := look(cur)) and not (
                v in ("proposed", "requested") and cur.dep_ == "pobj" and cur.head.lower_ in _INITIATIVE_PREPS
            ):
                found.append(v)
                self._status_word = cur
            if cur.lemma_ in ("be", "take") and cur.i != root.i:
                # "preparations are under way for a meeting", "coordination is taking place on holding
                # a meeting": the subject of the copula (or of a verb of going on) says it
                for subj in (c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass") and c.i != root.i):
                    if (v := look(subj)):
                        found.append(v)
            head = cur.head
            if cur.dep_ == "prep" and cur.lower_ in _ADJUNCT_PREPS and head.pos_ in ("VERB", "AUX"):
                # "In an extended meeting, the two will discuss ...": the clause the contact frames
                # tells its tense, not its status words
                if {c.lower_ for c in head.children if c.dep_ in ("aux", "auxpass")} & _FUTURE_AUX:
                    found.append("planned")
                break
            if head.i == cur.i or cur.dep_ not in _UP_DEPS:
                break
            if cur.dep_ == "prep" and cur.lower_ not in _STATUS_PREPS:
                break
            if cur.dep_ in ("nsubj", "ccomp") and head.lemma_.lower() in self.registry.verbs:
                break  # "X said the talks ...": the reporting verb says nothing of the talks
            cur, hops = head, hops + 1
        if "none" in found:
            return None
        if "hoped" in found:
            if not self._future_date_in(trig):
                return None
            found = [("planned" if v == "hoped" else v) for v in found]
        return min(found, key=_STATUS_RANK.index) if found else "held"

    def _future_date_in(self, trig: SpacySpan) -> bool:
        if self.published is None:
            return False
        return any(d.value and _after(d, self.published) for d in self.by_pos.between(trig.sent.start_char, trig.sent.end_char))

    def _sentence_states(self, sent: SpacySpan) -> list[str]:
        codes: list[str] = []
        for m in self.actors.in_range(sent.start_char, sent.end_char):
            a = self.actors.get(m.actor_id)
            if a and a.country and a.country not in codes and a.country not in ("IGO", "NGO"):
                codes.append(a.country)
        return codes

    def requester(self, trig: SpacySpan) -> str | None:
        """'a request from the Pentagon', 'a US request', 'an invitation from Washington'."""
        values = term_values(self.registry, "engagement_status")
        for tok in trig.sent:
            if values.get(tok.lemma_.lower()) not in ("requested", "proposed"):
                continue
            for ch in tok.children:
                who = None
                if ch.dep_ in ("poss", "compound", "amod", "nmod") and ch.i < tok.i:
                    who = ch
                elif ch.dep_ == "prep" and ch.lower_ in ("from", "by"):
                    who = next((p for p in ch.children if p.dep_ == "pobj"), None)
                if who is None:
                    continue
                m = self.actors.mention_at(who.idx, who.idx + len(who.text))
                if m is not None and (act := self.actors.get(m.actor_id)) is not None:
                    return act.country
                code = demonym_country(who.text, self.registry, self.doc.vocab)
                if code:
                    return code
        return None

    def _multilateral(self, root: Token) -> bool:
        """The trigger names a gathering of more than two states: a multilateral word among its
        modifiers ("Trilateral Summit Meeting", "ASEAN Plus Three Foreign Ministers' Meeting"),
        or three or more states in its compound name ("Japan-China-ROK Summit")."""
        words = term_values(self.registry, "multilateral")
        mods = [t for c in root.children if c.i < root.i and c.dep_ in ("compound", "amod", "nmod", "npadvmod", "poss") for t in c.subtree]
        if root.pos_ == "VERB" and any(c.dep_ == "advmod" and c.lemma_.lower().removesuffix("ly") in words for c in root.children):
            return True  # "to meet trilaterally"
        text = " ".join(t.lower_ for t in mods)
        if any(t.lemma_.lower() in words or t.lower_ in words for t in mods) or any(f" {w} " in f" {text} " for w in words if " " in w):
            return True
        # "spoke to Prime Minister Modi with other Quad leaders": the others make it a gathering
        verb = _governing_verb(root)
        for prep in (c for head in {root, verb} for c in head.children if c.dep_ == "prep" and c.lower_ in ("with", "among")):
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                if any(c.dep_ == "amod" and c.lower_ == "other" for c in pobj.children) and any(
                        t.lemma_.lower() in words or t.lower_ in words for t in pobj.subtree):
                    return True
        if mods:
            a, b = mods[0].idx, mods[-1].idx + len(mods[-1].text)
            states = {act.country for m in self.actors.in_range(a, b) if (act := self.actors.get(m.actor_id)) and act.kind == "state"}
            codes = {c for t in mods if (c := demonym_country(t.text, self.registry, self.doc.vocab))}
            if len(states | codes) >= 3:
                return True
        return False

    def _weak_but_unheld(self, h: TermHit, root: Token) -> bool:
        """An abstract contact noun ("dialogue", "exchanges", "consultations") that is neither
        held (its verb is not one of holding), nor a named channel, nor dated: no contact."""
        if root.lemma_.lower() not in term_values(self.registry, "engagement_weak") or root.pos_ != "NOUN":
            return False
        if root.ent_type_ or any(c.start <= h.start and h.end <= c.end for c in self._channels_in(h.start - 12, h.end)):
            return False
        verb = _governing_verb(root)
        if verb.lemma_.lower() in term_values(self.registry, "engagement_hold") or root.dep_ in ("nsubj", "nsubjpass") and verb.lemma_ in ("take", "be", "begin", "open", "end", "conclude"):
            return False
        if root.dep_ == "pobj" and root.head.lower_ in ("during", "throughout"):
            return False  # "During the telephone conversation, Putin conveyed ...": it took place
        if root.lemma_.lower() == "conversation" and self.location_for(self.doc[h.start:h.end]):
            return False  # "the conversation between Biden and Xi in Bali": it took place there
        return not any(d.span and root.sent.start_char <= d.span.start < root.sent.end_char and d.value and d.relation is None
                       for d in self.by_pos.between(root.sent.start_char, root.sent.end_char))

    def _is_engagement_trigger(self, h: TermHit, root: Token) -> bool:
        if root.pos_ in ("NOUN", "PROPN") and root.dep_ == "compound" and root.head.pos_ in ("NOUN", "PROPN") and \
                not any(x.start <= root.head.i < x.end for x in find_terms(self.doc, self.registry, "engagement")):
            return False  # "Summit Statement", "meeting room": the trigger only qualifies another noun
        if self._multilateral(root) or self._weak_but_unheld(h, root):
            return False
        if h.phrase in ("conversation", "conversations") and not self.location_for(self.doc[h.start:h.end]):
            return False  # "the conversation between Biden and Xi in Bali" met; "a conversation" alone may be a call
        if any(c.dep_ in ("compound", "amod") and c.lemma_.lower() in term_values(self.registry, "not_contact") for c in root.children):
            return False  # "a port visit by the destroyer"
        if h.value == "visit" and any(t.lemma_.lower() in term_values(self.registry, "visit_purpose") and t.pos_ == "VERB"
                                      for t in root.subtree if t.i > root.i):
            return False  # "his visit to Germany to attend the Munich Security Conference"
        if root.ent_type_ in _GATHERING_LABELS and root.pos_ == "PROPN":
            ent = next((e for e in self._ents_in(root.sent) if e.start <= root.i < e.end), None)
            if ent is not None and len(ent) > (h.end - h.start) + (1 if ent[0].lower_ == "the" else 0):
                a, b = _char_range(self.doc, ent.start, h.start)
                sides = {act.country for m in self.actors.in_range(a, b)
                         if (act := self.actors.get(m.actor_id)) is not None and act.kind == "person" and act.country}
                if len(sides) < 2:
                    return False  # "the Shangri-La Dialogue", "the G20 Summit": a gathering's name; not "the Biden-Yoon Summit"
        if h.value in ("call", "video_call") and self._conference_call(root):
            return False  # "spoke to leaders of the United States, Italy, France and Germany": a joint call
        if h.phrase in ("speak", "talk") and any(
                c.dep_ == "prep" and c.lower_ in ("during", "at", "in") and any(
                    p.dep_ == "pobj" and p.pos_ == "NOUN" and any(x.start <= p.i < x.end for x in find_terms(self.doc, self.registry, "engagement"))
                    for p in c.children)
                for c in root.children):
            return False  # "Li speaks to Lew during a meeting" (a caption): the meeting is the contact
        if h.phrase in ("speak", "talk"):
            # "X spoke with Y", "the two spoke by phone", "the defense chiefs spoke": a contact;
            # not "X spoke to reporters" or "X talked about ..."
            preps = {c.lower_ for c in root.children if c.dep_ == "prep"}
            subj = [c for c in root.children if c.dep_ == "nsubj"]
            plural = any(c.tag_ in ("NNS", "NNPS") or any(g.dep_ in ("conj", "nummod") for g in c.children) for c in subj)
            if root.pos_ == "VERB" and "to" in preps and self._speaks_to_a_party(root):
                return True  # "The Prime Minister spoke to President Xi": a call; "spoke to reporters" is not
            on_phone = any(c.dep_ == "prep" and c.lower_ in ("on", "over") and any(p.lemma_.lower() in ("phone", "telephone") for p in c.children)
                           for c in root.children)  # "when they spoke on the phone"
            return root.pos_ == "VERB" and ("with" in preps or "by" in preps or on_phone or (plural and "to" not in preps and "about" not in preps))
        if h.value == "call":
            # a noun "call", not the verb ("called on Washington to ..."), not "call for"
            if root.pos_ == "VERB" and h.phrase in ("call", "calls") and self._calls_a_person(root):
                return True  # "the Secretary called the foreign minister of China, Wang Yi"
            if root.pos_ != "NOUN" and h.phrase in ("call", "calls"):
                return False
            if any(c.dep_ == "prep" and c.lower_ == "for" for c in root.children):
                return False
        if h.value == "visit" and root.pos_ not in ("NOUN", "VERB"):
            return False
        if h.value == "meeting" and root.lemma_ == "meet" and root.pos_ != "VERB":
            return False
        if h.value == "meeting" and root.lemma_ in ("host", "receive", "welcome") and not self._object_is_a_party(root):
            return False
        if h.value == "meeting" and root.pos_ == "VERB" and any(c.lower_ in ("demands", "needs", "expectations", "targets") for c in root.children):
            return False  # "meet demands"
        if h.value in ("meeting", "call") and root.pos_ == "VERB" and self._meets_an_audience(root):
            return False  # "meet with U.S. and Philippine forces", "spoke to the troops"
        return True

    def _kind_by_medium(self, kind: str, root: Token) -> str:
        """"met virtually", "met by video link", "spoke ... by phone": the medium the words
        around the trigger give makes a meeting a video call (or a call)."""
        if kind not in ("meeting", "talks", "call"):
            return kind
        media = term_values(self.registry, "medium")
        words = [c for c in root.children if c.dep_ in ("advmod", "npadvmod")]
        words += [g for c in root.children if c.dep_ == "prep" for g in c.children if g.dep_ == "advmod"]  # "virtually with"
        words += [p for c in root.children if c.dep_ == "prep" and c.lower_ in ("by", "via", "over", "through")
                  for p in c.children if p.dep_ == "pobj"]
        found = {media[w.lemma_.lower()] for w in words if w.lemma_.lower() in media}
        if "video" in found and kind in ("meeting", "call"):
            return "video_call"
        return kind

    def _conference_call(self, root: Token) -> bool:
        """A call with the leaders of three or more states at once ("spoke to leaders of A, B, C
        and D", "a call with the leaders of ..."), not one each ("each of his counterparts")."""
        verb = _governing_verb(root)
        for head in {root, verb}:
            for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ in ("to", "with")):
                for pobj in (c for c in prep.children if c.dep_ == "pobj" and c.tag_ in ("NNS", "NNPS")):
                    s, e = _char_range(self.doc, *_subtree_range(pobj))
                    states = {act.country for m in self.actors.in_range(s, e)
                              if (act := self.actors.get(m.actor_id)) is not None and act.kind == "state"}
                    if len(states) >= 3 and not any(t.lower_ == "each" for t in pobj.subtree):
                        return True
        return False

    def _meets_an_audience(self, verb: Token) -> bool:
        """Everyone the verb meets is troops, staff or an audience (terms group not_a_party)."""
        audience = term_values(self.registry, "not_a_party")
        met = [p for c in verb.children if (c.dep_ == "prep" and c.lower_ in ("with", "to")) for p in c.children if p.dep_ == "pobj"]
        met += [c for c in verb.children if c.dep_ == "dobj"]
        return bool(met) and all(p.lemma_.lower() in audience for p in met)

    def _object_is_a_party(self, verb: Token) -> bool:
        """"hosted Prime Minister Kishida", "received Secretary Blinken": the object names a person
        or a state, not "hosted a meeting", "received a letter"."""
        if verb.pos_ != "VERB":
            return False
        for obj in (c for c in verb.children if c.dep_ == "dobj"):
            # the object's own words, not a phrase hung on it ("received notification from the ROK side")
            own = {obj.i} | {t.i for c in obj.children if c.dep_ not in ("prep", "relcl", "acl") for t in c.subtree}
            a, b = min(own), max(own) + 1
            for m in self.actors.in_range(*_char_range(self.doc, a, b)):
                act = self.actors.get(m.actor_id)
                if act is not None and act.kind in ("person", "state"):
                    return True
        return False

    def _speaks_to_a_party(self, verb: Token) -> bool:
        """The object of "spoke to" names a person of a state or a state's post, not an audience."""
        for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "to"):
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                a, b = _subtree_range(pobj)
                s, e = _char_range(self.doc, a, b)
                for m in self.actors.in_range(s, e):
                    act = self.actors.get(m.actor_id)
                    if act is not None and act.kind in ("person", "state") and act.sector not in ("MED", "ACA"):
                        return True
                if self.role_in([(a, b)], singular=True) or any(t.lower_ in ("counterpart", "counterparts") for t in self.doc[a:b]):
                    return True
        return False

    def _visit_destination(self, trig: SpacySpan) -> str | None:
        root = trig.root
        targets: list[Token] = []
        for ch in root.children:
            if ch.dep_ == "dobj":
                targets.append(ch)
            if ch.dep_ == "prep" and ch.lower_ in ("to", "in"):
                targets.extend(p for p in ch.children if p.dep_ == "pobj")
        for t in targets:
            a, b = _subtree_range(t)
            s, e = _char_range(self.doc, a, b)
            # the last state or place named: "China's Taiwan region" -> Taiwan
            found = None
            for m in self.actors.in_range(s, e):
                actor = self.actors.get(m.actor_id)
                if actor and actor.country:
                    found = actor.country
            if found:
                return found
        return None

    def _visit_place(self, trig: SpacySpan) -> str | None:
        for ent in self._ents_in(trig.sent):
            if ent.label_ in ("GPE", "LOC") and ent.start > trig.start:
                return ent.text
        return None

    def _calls_a_person(self, verb: Token) -> bool:
        """'called the foreign minister of China', 'called Wang Yi': the verb 'call' with a person
        of another state for object; not 'called on X to ...', 'called for', 'called X a liar'."""
        if any(c.dep_ in ("prt", "oprd", "xcomp", "ccomp", "dative") for c in verb.children):
            return False
        for obj in (c for c in verb.children if c.dep_ in ("dobj", "dep", "appos") and c.i > verb.i):
            a, b = _char_range(self.doc, *_subtree_range(obj))
            if any((act := self.actors.get(m.actor_id)) is not None and act.kind == "person" for m in self.actors.in_range(a, b)):
                return True
            if obj.dep_ == "dobj" and self.role_in([_subtree_range(obj)], singular=True):
                return True
        return False

    def _on_sidelines(self, trig: SpacySpan) -> bool:
        """'met on the sidelines of the BRICS summit', 'on the margins of APEC', or met at a
        multilateral gathering ('met Fumio Kishida at the G7 Summit in Italy')."""
        words = {t.lower_ for t in trig.sent}
        if words & {"sidelines", "sideline", "margins", "margin"}:
            return True
        multilateral = term_values(self.registry, "multilateral")
        root = trig.root
        for head in {root, _governing_verb(root)}:
            for prep in head.children:
                if prep.dep_ != "prep" or prep.lower_ != "at":  # "during APEC" may be a summit of their own (Woodside)
                    continue
                obj = [t for c in prep.children if c.dep_ == "pobj" for t in c.subtree]
                text = f" {' '.join(t.lower_ for t in obj)} "
                if any(t.lower_ in multilateral or t.lemma_.lower() in multilateral for t in obj) or any(
                        f" {w} " in text for w in multilateral if " " in w):
                    return True
        return False

    def _leader_role(self, role_id: str | None) -> bool:
        """A post at the level of heads of state or government (president, prime minister,
        supreme leader), as the roles data says."""
        role = self.registry.roles.get(role_id or "")
        return role is not None and role.level == "head_of_state"

    def _leaders(self, participants: list[str], day: date | None, role: str | None) -> bool:
        """Every party is a head of state or government: by the titles the registry dates, and
        with the parties named by such a post ("the two heads of state", "the Prime Minister
        spoke to President Xi") counted in."""
        persons = [pid for pid in participants if (act := self.actors.get(pid)) is not None and act.kind == "person"]
        people = [p for pid in persons if (p := self.registry.people.get(pid)) is not None]
        if len(people) < len(persons):
            return False  # someone the registry does not know: no telling
        leaders = all(any(self._leader_role(t.role) for t in p.titles if t.held_on(day)) for p in people)
        return leaders and (len(people) >= 2 or self._leader_role(role))


def _next_occurrence(d: DateValue, published: date) -> DateValue:
    """A planned contact dated by a month or day without a year ("to hold the first meeting in
    October") is the next one, not last year's."""
    if not d.value or d.precision not in ("month", "day") or re.search(r"\b(?:1[89]|20)\d\d\b", d.raw or "") or _after(d, published):
        return d
    if d.value[:7] >= published.isoformat()[:7]:
        return d
    year = int(d.value[:4]) + 1
    return replace(d, value=f"{year}{d.value[4:]}", rule=d.rule + "+planned_ahead")


def _after(d: DateValue, published: date) -> bool:
    """The date lies wholly after the publication date, at its precision."""
    if not d.value:
        return False
    pub = published.isoformat()[: len(d.value)]
    return d.value > pub


def _as_date(d: DateValue | None) -> date | None:
    if d is None or d.value is None:
        return None
    parts = d.value.split("-")
    try:
        return date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 6, int(parts[2]) if len(parts) > 2 else 15)
    except ValueError:
        return None


def _dates_compatible(a: DateValue | None, b: DateValue | None) -> bool:
    if a is None or b is None or a.value is None or b.value is None:
        return True
    n = min(len(a.value), len(b.value))
    return a.value[:n] == b.value[:n]


def _finer(a: DateValue | None, b: DateValue | None) -> DateValue | None:
    if a is None or a.value is None:
        return b if b is not None else a
    if b is None or b.value is None:
        return a
    return a if len(a.value) >= len(b.value) else b


def _family(kind: str) -> str:
    return "contact" if kind in ("video_call", "call") else ("visit" if kind == "visit" else "meet")


def _absorb(target: _Draft, d: _Draft) -> None:
    for p in d.participants:
        if p not in target.participants:
            target.participants.append(p)
    for c in d.countries:
        if c not in target.countries:
            target.countries.append(c)
    target.date = _finer(target.date, d.date)
    target.initiator = target.initiator or d.initiator
    target.location = target.location or d.location
    target.channel = target.channel or d.channel
    target.first_since = target.first_since or d.first_since
    target.role = target.role or d.role
    if target.kind in _GENERIC_KINDS and d.kind not in _GENERIC_KINDS and not d.coref:
        target.kind = d.kind
    elif target.kind == "call" and d.kind == "video_call":
        target.kind = "video_call"  # "the two spoke on Tuesday" ... "the video call": one, by video
    for ev in d.evidence:
        if ev not in target.evidence:
            target.evidence.append(ev)
    if "+" in d.rule and "+" not in target.rule:
        target.rule += "+" + d.rule.split("+", 1)[1]


def _persons(d: _Draft) -> set[str]:
    return {p for p in d.participants if p[:3] != p[:3].upper() or len(p) != 3}


def _sides_differ(a: set[str], b: set[str], actors: ActorIndex) -> bool:
    """Two mentions name different people for one side: not the same contact."""
    def by_side(people: set[str]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for p in people:
            act = actors.get(p)
            if act is not None and act.country:
                out.setdefault(act.country, set()).add(p)
        return out

    sa, sb = by_side(a), by_side(b)
    return any(sa[c].isdisjoint(sb[c]) for c in sa.keys() & sb.keys())


def _dyad_of(d: _Draft, actors: ActorIndex | None) -> list[str]:
    """The two states of a contact: those of its people when they are two (a place named in
    the sentence, "in Jakarta", is not a side), else the first two it names."""
    if actors is not None:
        person_countries = sorted({c for p in _persons(d) if (act := actors.get(p)) is not None and (c := act.country)})
        if len(person_countries) == 2:
            return person_countries
    return sorted(set(d.countries))[:2]


def _merge(drafts: list[_Draft], actors: ActorIndex | None = None) -> list[_Draft]:
    """Merge mentions of one engagement within a document: same dyad and kind family, and
    nothing that contradicts — no different date (at the coarser precision), no different
    place, no two disjoint sets of named people. A bare back-reference ("the conversation")
    also attaches across kinds to the latest earlier contact."""
    merged: list[_Draft] = []
    for d in drafts:
        dyad = _dyad_of(d, actors) if len(set(d.countries)) >= 2 else None
        has_facts = bool(d.participants) or (d.date is not None and d.date.value is not None) or d.location is not None
        target: _Draft | None = None
        best_key: tuple[bool, bool, int] | None = None
        # an engagement is merged with the ones reported near it: the last few dozen suffice for
        # an article and keep a very long document linear
        window_start = max(0, len(merged) - _MERGE_WINDOW)
        for idx, m in enumerate(merged[window_start:], start=window_start):
            mdyad = _dyad_of(m, actors)
            if dyad is not None and dyad != mdyad:
                continue
            if not _dates_compatible(d.date, m.date):
                continue
            if d.status != m.status and has_facts and not ((d.headline or d.fragment) and not (d.date and d.date.value) and _persons(d) & _persons(m)):
                # "asked for a call ... the call held in May": two engagements; but an undated
                # headline ("Statement on X's Virtual Meeting with Y") names the story's contact
                continue
            if d.location and m.location and d.location != m.location:
                continue
            pd, pm = _persons(d), _persons(m)
            if pd and pm and not pd & pm:
                continue
            if {d.kind, m.kind} == {"summit", "meeting"} and len(pd if d.kind == "meeting" else pm) >= 2 \
                    and not (pm if d.kind == "meeting" else pd):
                continue  # the ministers' meeting named by its people is not the leaders' summit named by its states
            if actors is not None and _sides_differ(pd, pm, actors):
                continue  # "Austin met Marles ... He also met Wong": the same host, another counterpart
            same_family = _family(d.kind) == _family(m.kind) or (not has_facts and d.coref and {d.kind, m.kind} <= {"video_call", "call", "meeting", "talks"})
            if not same_family:
                continue
            if not has_facts and not d.coref:
                continue
            if dyad is None and not d.coref and abs(d.start - m.start) > _NEAR_TOKENS:
                continue  # a mention with one side named joins only a contact reported close by
            if (d.earlier or m.earlier) and not (d.date and m.date and d.date.value and d.date.value == m.date.value):
                continue  # "the last talks at this level were in July 2022": not the contact the story is about
            # prefer the engagement that shares people, then the same kind, then the latest
            key = (bool(pd & pm), d.kind == m.kind, idx)
            if best_key is None or key > best_key:
                target, best_key = m, key
        if target is None:
            if dyad is None:
                continue  # not between two states, or a back-reference to nothing
            merged.append(d)
            continue
        _absorb(target, d)
    return merged


def _follows_from(root: Token) -> bool:
    """"..., following the conversation in Bali", "building on the meeting in Bali", "based on
    the results of the summit": a contact the clause builds on, held before the story's day."""
    if root.dep_ != "pobj":
        return False
    prep = root.head
    return prep.lower_ in ("following", "after") or (prep.lower_ == "on" and prep.head.lemma_.lower() in ("build", "base"))


def _speaks_of_the_two(trig: SpacySpan, others: list[TermHit]) -> tuple[bool, bool]:
    """'the two leaders', 'the two ministers', 'both leaders' in the trigger's sentence, not as the
    parties of another contact ("came after the two heads of state's summit"), nor of a contact
    whose owner is named ("the two ministers ... the outcomes of President Biden's visit"); or
    "they" as the subject of the contact's own verb ("when they spoke on the phone"). The second
    value: the two only spoke of the contact ("concurred on holding a meeting")."""
    if any(c.dep_ == "poss" for c in trig.root.children):
        return False, False
    verb = _governing_verb(trig.root)
    if any(c.dep_ == "nsubj" and c.lower_ == "they" for c in verb.children):
        return True, False
    for tok in trig.sent:
        if tok.tag_ not in ("NNS", "NNPS"):
            continue
        mods = {c.lower_ for c in tok.children if c.dep_ in ("nummod", "det", "predet")}
        if not ("both" in mods or ("two" in mods and "the" in mods)):
            continue
        span = {t.i for t in tok.subtree} | {tok.head.i}
        if any(o.start in span for o in others if trig.sent.start <= o.start < trig.sent.end):
            continue
        # "both ministers concurred on holding a vice-ministerial meeting": they spoke of it
        return True, _under_a_prep(trig.root, tok)
    return False, False


def _under_a_prep(trig: Token, subject: Token) -> bool:
    """The contact hangs from the verb of ``subject`` through a preposition ("concurred on
    holding a meeting", "taking into account the discussions in the working group"): its
    topic, not a contact the subject holds."""
    if subject.dep_ not in ("nsubj", "nsubjpass"):
        return False
    head = subject.head
    cur = trig
    while cur.i != head.i and cur.head.i != cur.i:
        if cur.dep_ in ("pobj", "pcomp") and cur.head.dep_ == "prep" and cur.head.lower_ not in _PARTY_OR_TIME_PREPS:
            return True
        cur = cur.head
    return False


def _the_two(merged: list[_Draft], actors: ActorIndex) -> None:
    """A contact whose sentence speaks of "the two leaders" and names fewer than two: the two
    people of the nearest contact before it that names two, when the sides agree."""
    for i, d in enumerate(merged):
        if not d.the_two or len(_persons(d)) >= 2:
            continue
        for prev in sorted(merged[:i] + merged[i + 1:], key=lambda m: (m.evidence[0][0] > d.evidence[0][0], -m.evidence[0][0])):
            people = [p for p in prev.participants if p in _persons(prev)]
            if len(people) != 2 or prev.evidence[0][0] > d.evidence[0][0]:
                continue
            sides = {c for p in people if (act := actors.get(p)) is not None and (c := act.country)}
            if set(d.countries) <= sides and d.the_two_topic:
                d.countries = list(dict.fromkeys([*d.countries, *sides]))  # their states; who will take part is not said
                d.rule += "+the_two_sides"
            elif set(d.countries) <= sides:
                d.participants = list(dict.fromkeys([*people, *d.participants]))
                d.countries = list(dict.fromkeys([*d.countries, *sides]))
                d.rule += "+the_two"
            break


def _drop_visits_with_meetings(merged: list[_Draft]) -> list[_Draft]:
    """A trip is recorded by the meetings it brought: a visit is kept only when the document
    reports no contact of the same two states, status and time during it."""
    contacts = [d for d in merged if d.kind != "visit"]

    def covered(v: _Draft) -> bool:
        dyad = sorted(set(v.countries))[:2]
        return any(sorted(set(c.countries))[:2] == dyad and c.status == v.status and _dates_compatible(c.date, v.date)
                   for c in contacts)

    return [d for d in merged if d.kind != "visit" or not covered(d)]


def _delegation_heads(finder: _Finder, merged: list[_Draft]) -> None:
    """Talks reported without people, followed by who led the delegations ("Participants of the
    Japanese side included Mr. X, ..., head of the Japanese delegation"; "Chairpersons of the
    meeting: Mr. A and Mr. B"): those named in the next few sentences, by a word of delegation,
    of the dyad's two states, take part."""
    cues = term_values(finder.registry, "delegation")
    sents = list(finder.doc.sents)
    starts = [sent.start_char for sent in sents]
    for d in merged:
        if _persons(d) or d.kind not in ("talks", "meeting") or len(set(d.countries)) < 2:
            continue
        k = bisect.bisect_right(starts, d.evidence[0][0]) - 1
        found: list[str] = []
        for sent in sents[k:k + 4]:
            if not any(t.lemma_.lower() in cues for t in sent):
                continue
            for m in finder.actors.in_range(sent.start_char, sent.end_char):
                act = finder.actors.get(m.actor_id)
                if act is not None and act.kind == "person" and act.country in d.countries and finder.actors.named(act.id) \
                        and act.id not in found:
                    found.append(act.id)
        if found:
            d.participants = [*found, *(p for p in d.participants if p not in found)]
            d.rule += "+delegation_heads"


def _date_from_context(finder: _Finder, merged: list[_Draft]) -> None:
    """A contact told without a date right after a dated sentence of the same paragraph took
    place then: "On Tuesday, Austin met Marles. He also met Collins." The date carries over
    from the two sentences before, within the paragraph, and says so."""
    text = text_of(finder.doc)
    sents = [(s.start_char, s.end_char) for s in finder.doc.sents]
    starts = [a for a, _ in sents]
    for d in merged:
        if (d.date is not None and d.date.value) or d.headline or d.status not in ("held", "planned"):
            continue
        pos = d.evidence[0][0]
        k = bisect.bisect_right(starts, pos) - 1
        para = text.rfind("\n", 0, pos) + 1
        for j in range(k - 1, max(-1, k - 3), -1):
            a, b = sents[j]
            if a < para:
                break
            points = [x for x in finder.by_pos.between(a, b) if x.value and x.relation is None]
            if points:
                src = points[-1]
                if d.status == "planned" and finder.published is not None and not _after(src, finder.published):
                    break  # a past date does not date what is still to come
                d.date = replace(src, rule=src.rule + "+context", reason="the text gives this contact no date of its own: "
                                 "the date of the sentence before, in the same paragraph")
                d.rule += "+date_from_context"
                break


def _date_lead_by_publication(finder: _Finder, merged: list[_Draft]) -> None:
    """A government's readout reports its own contact on the day it publishes it ("Secretary
    Austin spoke with ...", "During the telephone conversation, ..."): the contact its story
    opens with, held and undated in the text, takes the publication date, saying so."""
    if not finder.outlet_country or finder.published is None:
        return
    # the story's lead; a contact the headline alone names when the text below names none
    # ("Remarks Welcoming Minister Prabowo to the Pentagon" over a transcript of the remarks)
    body = [d for d in merged if not d.headline and d.status == "held"] or [d for d in merged if d.status == "held"]
    if not body:
        return
    lead = min(body, key=lambda d: d.evidence[0][0])
    if (lead.date is not None and lead.date.value) or lead.background:
        return
    if lead is not min(merged, key=lambda d: d.evidence[0][0]) and any(
        ((d.date is not None and d.date.value) or (d.status != "held" and not d.headline)) and d.evidence[0][0] < lead.evidence[0][0]
        for d in merged
    ):
        return  # an earlier contact, dated or still to come, opens the story: this one is background
    # "PM call with President Xi: 25 September 2017": a headline's own date is the contact's day
    titled = [d for d in finder.dates if d.span is not None and d.value and d.precision == "day" and d.relation not in _NOT_POINTS
              and finder.layout.headline(d.span.start) and not _after(d, finder.published)]
    if len(titled) == 1:
        lead.date = replace(titled[0], relation=None)
        lead.rule += "+dated_by_headline"
        return
    day, precision = finder.published.isoformat(), "day"
    if finder.earliest is not None and finder.earliest != finder.published:
        same_month = finder.earliest.month == finder.published.month
        day, precision = (day[:7], "month") if same_month else (day[:4], "year")
    lead.date = DateValue(day, precision, "", None, "publication_date",  # type: ignore[arg-type]
                          "the text gives no date: a government's readout reports its own contact on the day it publishes it")
    lead.rule += "+dated_by_publication"


def _last_at_level(doc: Doc, registry: Registry, dates: list[DateValue], merged: list[_Draft]) -> None:
    """'the last talks at this level took place in July 2022' -> first_since of the engagement
    the document is about (the latest one dated after it)."""
    by_pos = DatesByPosition(dates)
    nouns = {"talks", "meeting", "call", "conversation", "dialogue", "contact", "engagement"}
    for sent in doc.sents:
        in_sent = by_pos.between(sent.start_char, sent.end_char)
        inside_date = {t.i for t in sent for d in in_sent if d.span and d.span.start <= t.idx < d.span.end}
        words = {t.lower_ for t in sent if t.i not in inside_date}  # "last month" is a date, not "the last talks"
        if not (nouns & words):
            continue
        if {"last", "previous"} & words:
            ds = [d for d in in_sent if d.value and d.relation not in _NOT_POINTS]
        elif "first" in words:
            # "the conversation was the first ... since July 2022"
            ds = [d for d in in_sent if d.value and d.relation == "since"]
        else:
            continue
        if not ds:
            continue
        past = ds[0]
        codes = {c for c in (demonym_country(t.text, registry, doc.vocab) for t in sent) if c}
        later = [
            m for m in merged[-_MERGE_WINDOW:]
            if m.date and m.date.value and past.value and m.date.value > past.value
            and (not codes or codes <= set(m.countries)) and m.evidence[0][0] < sent.start_char
        ]
        if later:
            main = max(later, key=lambda m: (len(m.evidence), len(_persons(m))))
            if main.first_since is None or main.first_since.value is None:
                main.first_since = past


_LIST_DASHES = (" - ", " – ", " — ")


def _listed_contacts(finder: _Finder) -> tuple[list[_Draft], list[tuple[int, int]]]:
    """A list of past contacts under a heading that names their kind ("Recent Japan-China Summit
    Telephone Talks", then lines "May 4, 2018 Prime Minister Shinzo Abe - President Xi Jinping"):
    one held contact per line that opens with a full date and names one person of each side on
    either side of a dash. Also the character ranges of the headings that head such lists."""
    doc, actors = finder.doc, finder.actors
    headings: set[tuple[int, int]] = set()
    hits = find_terms(doc, finder.registry, "engagement")
    hit_chars = [doc[h.start].idx for h in hits]  # in text order: a line's hits by bisection
    media = term_values(finder.registry, "medium")
    out: list[_Draft] = []
    heading: tuple[str, int, int, int] | None = None  # kind, line number, start, end of the last heading naming a contact
    pos = 0
    for n, line in enumerate(doc.text.split("\n")):
        start, end = pos, pos + len(line)
        pos = end + 1
        text = line.strip()
        if not text:
            continue
        line_hits = hits[bisect.bisect_left(hit_chars, start):bisect.bisect_left(hit_chars, end)]
        if line_hits and not text.endswith(".") and len(text) <= 120:
            words = {t.lower_ for t in doc.char_span(start, end, alignment_mode="expand") or []}
            kinds = [h.value for h in line_hits]
            kind = next((k for k in kinds if k in ("call", "video_call")), None) or (
                "call" if any(media.get(w) == "phone" for w in words) else kinds[0])
            heading = (kind, n, start, end)
            continue
        if heading is None or n - heading[1] > 40:
            continue
        dates = [d for d in finder.by_pos.between(start, end) if d.span and d.precision == "day" and d.value]
        sep = next((start + i for i in (line.find(x) for x in _LIST_DASHES) if i >= 0), None)
        if not dates or dates[0].span is None or line[:dates[0].span.start - start].strip() or sep is None:
            continue
        people = [(m, act) for m in actors.in_range(start, end) if (act := actors.get(m.actor_id)) is not None and act.kind == "person"]
        # each side's name is the last person before or after the dash: "Prime Minister Yasuo Fukuda"
        # is a title then a name, and the bare title may have been read as today's holder
        left = [a for m, a in people if m.start < sep][-1:]
        right = [a for m, a in people if m.start > sep][-1:]
        if not left or not right or not left[0].country or not right[0].country or left[0].country == right[0].country:
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        out.append(_Draft(kind=heading[0], start=span.start, end=span.end, sent_start=span.start,
                          participants=[left[0].id, right[0].id], countries=[left[0].country, right[0].country],
                          date=dates[0], evidence=[(start + len(line) - len(line.lstrip()), end)], rule="listed_under_heading"))
        headings.add(heading[2:])
    return out, sorted(headings)


def _their_dated_contact(doc: Doc, drafts: list[_Draft], actors: ActorIndex) -> None:
    """'their call on April 8' in a readout of another contact: a contact of its own, dated,
    between the two people of the contact reported before it, not a back-reference to that one."""
    for d in drafts:
        if not d.coref or d.countries or d.date is None or not d.date.value:
            continue
        if not any(c.dep_ == "poss" and c.lower_ == "their" for c in doc[d.start:d.end].root.children):
            continue
        before = [m for m in drafts if m.start < d.start and not m.coref and len(_persons(m)) == 2]
        if not before:
            continue
        prev = max(before, key=lambda m: m.start)
        sides = {act.country for p in _persons(prev) if (act := actors.get(p)) is not None and act.country}
        if len(sides) != 2 or (prev.date is not None and prev.date.value == d.date.value):
            continue
        d.participants = [p for p in prev.participants if p in _persons(prev)]
        d.countries = sorted(sides)
        d.coref = False
        d.rule += "+their"


def _headline_principal(finder: _Finder, drafts: list[_Draft], outlet: str | None) -> None:
    """A government's headline that names only the other side's people ("Meeting with Premier Li",
    published by the Prime Minister of Australia): the government is the other party, and the
    holder of the office that publishes, when the text names them, takes part."""
    side, actors, published = finder.outlet_country, finder.actors, finder.published
    if not side:
        return
    office = (outlet or "").strip().lower().removeprefix("the ")
    # the people the text names, not the whole registry: the office's holder only counts if named
    principal = next((a.id for a in actors.actors if a.kind == "person" and (p := finder.registry.people.get(a.id)) is not None
                      and (t := p.title_on(published)) is not None and t.held_on(published) and t.title.lower() == office), None)
    for d in drafts:
        sides = {act.country for p in _persons(d) if (act := actors.get(p)) is not None and act.country}
        if not d.headline or len(sides) != 1 or side in sides or d.status != "held":
            continue
        d.countries = list(dict.fromkeys([*d.countries, side]))
        if principal is not None:
            d.participants.append(principal)
            if d.kind in _GENERIC_KINDS and finder._leaders(d.participants, published, d.role):
                d.kind = "summit"  # the Prime Minister's own meeting with a premier
        d.rule += "+outlet_side"


def extract_engagements(doc: Doc, registry: Registry, actors: ActorIndex, dates: list[DateValue], published: date | None = None) -> list[Engagement]:
    """Find the engagements between states that one parsed document reports."""
    return find_engagements(doc, registry, actors, dates, published)[0]


def find_engagements(
    doc: Doc, registry: Registry, actors: ActorIndex, dates: list[DateValue], published: date | None = None,
    outlet_country: str | None = None, earliest: date | None = None, outlet: str | None = None,
) -> tuple[list[Engagement], list[Proposal]]:
    """The engagements held, and those only requested or declined, in one pass.
    ``outlet_country`` is the government whose readout the document is, if it is one: a post
    named bare in it ("The Prime Minister spoke to President Xi") is that government's.
    ``outlet`` is the publisher's name: when it is an office ("Prime Minister of Australia"),
    its holder that day is the readout's principal."""
    finder = _Finder(doc, registry, actors, dates, published, outlet_country)
    finder.earliest = earliest
    drafts = finder.drafts()
    listed, headings = _listed_contacts(finder)
    # a heading over such a list names the kind of its lines, not a contact of its own
    drafts = [d for d in drafts if not any(a <= doc[d.start].idx < b for a, b in headings)] + listed
    _headline_principal(finder, drafts, outlet)
    _their_dated_contact(doc, drafts, actors)
    _the_two(drafts, actors)
    # the story's own sentences first; a headline then confirms what they report, and stands
    # alone only when it names the people on both sides
    merged = _merge([d for d in drafts if not d.headline] + [d for d in drafts if d.headline], actors)
    merged = [d for d in merged if not d.headline or "+outlet_side" in d.rule
              or len({act.country for p in _persons(d) if (act := actors.get(p)) is not None}) >= 2]
    merged = _drop_visits_with_meetings(merged)
    _last_at_level(doc, registry, dates, merged)
    _date_lead_by_publication(finder, merged)
    _date_from_context(finder, merged)
    _delegation_heads(finder, merged)
    out: list[Engagement] = []
    for d in merged:
        dyad = _dyad_of(d, actors)
        d.participants = [p for p in d.participants if p in _persons(d)] or [c for c in dyad if c in actors]
        trig_tokens = doc[d.start:d.end]
        day = _as_date(d.date) or published
        channel = finder.channel_for(trig_tokens, dyad, d.participants, day, d.role)
        on = registry.channels.get(channel) if channel else None
        if on is not None and on.medium in ("talks", "meeting") and d.kind in _GENERIC_KINDS and d.kind != on.medium:
            # a round of a channel that meets as talks ("the 2+2 ministerial meeting") is talks; a
            # ministers' channel that meets as meetings ("held talks with his counterpart") a meeting
            d.kind = on.medium
            d.rule += "+channel_kind"
        reasons: dict[str, str] = dict(d.reasons)
        if d.date is None:
            reasons["date"] = "no date in the sentences that report it"
        elif d.date.value is None and d.date.reason:
            reasons["date"] = d.date.reason
        if not d.participants:
            reasons["participants"] = "no named participants"
        if d.initiator is None:
            reasons["initiator"] = "the text does not say who asked for it"
        if channel is None:
            reasons["channel"] = "no channel named, and the participants' posts match no single channel of the dyad"
        medium = _MEDIUM.get(d.kind) or ("in_person" if d.kind in ("visit", "summit") or d.location else None)
        evidence = [char_span(doc, s, e) for s, e in d.evidence]
        out.append(
            Engagement(
                id=content_id("eng", len(text_of(doc)), d.evidence[0][0], d.kind),
                kind=d.kind,  # type: ignore[arg-type]
                participants=d.participants,
                dyad=dyad,
                evidence=evidence,
                rule=d.rule,
                date=d.date,
                initiator=d.initiator,
                medium=medium,
                location=d.location,
                channel=channel,
                first_since=d.first_since,
                reasons=reasons,
                status=d.status,  # type: ignore[arg-type]
            )
        )
    return out, finder.proposals


def link_statements(statements: list[Statement], engagements: list[Engagement]) -> None:
    """Attach each statement to the engagement whose evidence sentence holds it or, failing
    that, to the only engagement whose participant is the speaker."""
    for st in statements:
        if st.engagement:
            continue
        for e in engagements:
            if any(ev.start <= st.content_span.start < ev.end for ev in e.evidence):
                st.engagement = e.id
                break
        if st.engagement is None and st.speaker:
            mine = [e for e in engagements if st.speaker in e.participants]
            if len(mine) == 1:
                st.engagement = mine[0].id
