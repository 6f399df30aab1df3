"""Actors: people, organizations and states mentioned in a document, resolved to canonical
actors with country and sector, and every place each one is mentioned.

How a mention is found and resolved, in order of trust:
1. ``registry`` — a name or alias of a known person, organization or country (phrase match);
   capitals and metonyms ("Beijing", "the Kremlin") stand for the state. An alias shared by
   several organizations ("Ministry of National Defense") is settled by the country named just
   before it ("China's", "Taiwan's") or else by the country the document mentions most.
2. ``ner`` — a PERSON or ORG entity the registry does not know; its country and sector come
   from its apposition or the title words before it ("Zhuo Hua, an international affairs expert
   at Beijing Foreign Studies University" → CHN, ACA; "Brown's spokesman Navy Capt. Jereal
   Dorsey" → USA, MIL).
3. ``side_phrase`` — "the Chinese side", "the US side" → the state.
4. ``short_name`` — "Liu" or "Brown" after "Liu Zhenli" or "Charles Q. Brown" has appeared.
5. ``role`` — "the defense minister", "the US defense secretary" → whoever held the post on the
   publication date (registry titles are dated), when the country is clear.
6. ``pronoun`` — "he"/"she" → the last person mentioned before it, within two sentences,
   preferring the subject of the sentence.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan
from spacy.vocab import Vocab

from ..records import Actor
from ..registry import Registry, term_values
from .base import ActorIndex, char_span, slug, text_of

_PRONOUNS_PERSON = {"he", "she", "him", "her", "his"}
_FIRST_PERSON = {"i", "me", "my", "myself"}
# a speaker's label opening a line of a transcript: a name or title (no sentence in it), then ":"
_SPEAKER_LABEL = re.compile(r"(?m)^[ \t]*(?P<label>(?=[A-Z])(?:\b[A-Za-z]{1,5}\.|[^:\n.!?]){1,120}?)(?<!\d):(?:[ \t]|(?=[A-Z\"“]))")
# head nouns that, after "the", refer back to an organization named before
_ORG_HEADS = {"ministry", "command", "department", "commission", "agency", "office", "embassy", "council",
              "administration", "delegation", "navy", "army", "military", "government", "committee", "staff"}
_SIDE_NOUNS = {"side", "sides", "government", "authorities", "military", "army", "delegation"}
# generational suffixes: "Lloyd J. Austin III" is "Austin" for short, not "III"
_NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}


@dataclass(frozen=True, slots=True)
class _Target:
    kind: str  # person | organization | state | demonym | role
    ref: str  # person/org id, country code, role id


@dataclass(slots=True)
class _Lexicon:
    lower: PhraseMatcher
    exact: PhraseMatcher
    targets: dict[int, list[_Target]]
    short_names: dict[str, list[str]]  # registry surnames are NOT used without a full mention


def _needs_exact(alias: str) -> bool:
    """Acronyms and short capitalised aliases ("US", "PLA", "DoD") must match case-sensitively,
    or "us" and "pla" in running text would match them."""
    letters = [c for c in alias if c.isalpha()]
    upper = sum(1 for c in letters if c.isupper())
    return len(alias) <= 4 or (letters and upper / len(letters) > 0.5) or alias.isupper()


@lru_cache(maxsize=8)
def _lexicon(registry: Registry, vocab: Vocab) -> _Lexicon:
    nlp = spacy.blank("en", vocab=vocab)
    # NORM: lower case with typographic quotes and apostrophes folded ("People’s Republic")
    lower = PhraseMatcher(vocab, attr="NORM")
    exact = PhraseMatcher(vocab, attr="ORTH")
    by_alias: dict[tuple[str, bool], list[_Target]] = {}

    def add(alias: str, target: _Target) -> None:
        alias = alias.strip()
        if not alias:
            return
        exact_match = bool(_needs_exact(alias))
        key = (alias if exact_match else alias.lower(), exact_match)
        lst = by_alias.setdefault(key, [])
        if target not in lst:
            lst.append(target)

    for c in registry.countries.values():
        for n in c.names:
            add(n, _Target("state", c.code))
        for n in [*c.capitals, *c.metonyms]:
            add(n, _Target("state", c.code))
        for n in c.demonyms:
            add(n, _Target("demonym", c.code))
    for o in registry.organizations.values():
        for n in [o.name, *o.aliases]:
            add(n, _Target("organization", o.id))
    for p in registry.people.values():
        for n in [p.name, *p.aliases]:
            add(n, _Target("person", p.id))
    for r in registry.roles.values():
        for n in r.phrases:
            add(n, _Target("role", r.id))

    targets: dict[int, list[_Target]] = {}
    lower_patterns: dict[str, list[Doc]] = {}
    exact_patterns: dict[str, list[Doc]] = {}
    for i, ((alias, is_exact), tlist) in enumerate(by_alias.items()):
        key = f"readout_actor_{i}"
        targets[vocab.strings.add(key)] = tlist
        (exact_patterns if is_exact else lower_patterns)[key] = [nlp.make_doc(alias)]
    for key, pats in lower_patterns.items():
        lower.add(key, pats)
    for key, pats in exact_patterns.items():
        exact.add(key, pats)
    return _Lexicon(lower=lower, exact=exact, targets=targets, short_names={})


@dataclass(slots=True)
class _Candidate:
    start: int  # token indices
    end: int
    target: _Target | None  # None: an unknown NER entity
    label: str  # PERSON, ORG, GPE ... or the registry kind
    rule: str
    priority: int


_LABEL_MARKS = frozenset({"-", "–", "—", "|", ":"})
_KIND_PRIORITY = {"person": 60, "organization": 50, "state": 40, "role": 30, "demonym": 20}


def _candidates(doc: Doc, lex: _Lexicon) -> list[_Candidate]:
    out: list[_Candidate] = []
    for matcher in (lex.lower, lex.exact):
        for match_id, start, end in matcher(doc):
            capitalised = any(tok.text[:1].isupper() for tok in doc[start:end])
            for t in lex.targets[match_id]:
                # a lower-case run of words is no name: "china" in a URL, "us" the pronoun
                if t.kind in ("person", "organization", "state") and not capitalised:
                    continue
                out.append(_Candidate(start, end, t, t.kind, "registry", _KIND_PRIORITY[t.kind] + (end - start)))
    for ent in doc.ents:
        if ent.label_ in ("PERSON", "ORG"):
            # trim "the" and trailing punctuation so that a registry match of the same words wins
            start, end = ent.start, ent.end
            while start < end and (doc[start].lower_ == "the" or doc[start].is_punct):
                start += 1
            while end > start and (doc[end - 1].is_punct or doc[end - 1].tag_ == "POS"):
                end -= 1
            if ent.label_ == "PERSON":
                # a name after a label the parser ran into it: "VOA60 America - Biden", "Transcript: Austin"
                cut = max((i for i in range(start, end) if any(ch.isdigit() for ch in doc[i].text) or (
                    doc[i].text in _LABEL_MARKS and i > 0 and doc[i - 1].whitespace_ and doc[i].whitespace_)), default=None)
                if cut is not None:
                    start = cut + 1
                # a family name in capitals, as foreign ministries write it, that NER left out:
                # "Dmytro KULEBA", "KAMIKAWA Yoko"
                while end < len(doc) and _caps_name(doc[end]):
                    end += 1
                while start > 0 and _caps_name(doc[start - 1]):
                    start -= 1
            if start < end:
                out.append(_Candidate(start, end, None, ent.label_, "ner", 10 + (end - start)))
    return out


def _caps_name(tok: Token) -> bool:
    return tok.is_alpha and tok.is_upper and len(tok.text) >= 3 and tok.pos_ == "PROPN" and tok.ent_type_ not in ("ORG", "GPE", "NORP")


@lru_cache(maxsize=8)
def _role_phrases(registry: Registry) -> dict[str, frozenset[str]]:
    return {rid: frozenset(p.lower() for p in role.phrases) for rid, role in registry.roles.items()}


def _select(cands: list[_Candidate]) -> list[_Candidate]:
    """Keep non-overlapping candidates: a registry person's full name first (NER often runs a
    name into the words after it: "Lloyd J. Austin III Remarks Welcoming"), then longer spans,
    then higher priority."""
    def full_name(c: _Candidate) -> bool:
        return c.rule == "registry" and c.label == "person" and c.end - c.start >= 2

    ranked = sorted(cands, key=lambda c: (full_name(c), c.end - c.start, c.priority), reverse=True)
    taken: set[int] = set()
    kept: list[_Candidate] = []
    for c in ranked:
        toks = set(range(c.start, c.end))
        if toks & taken:
            continue
        kept.append(c)
        taken |= toks
    return sorted(kept, key=lambda c: c.start)


def _clean_entity(span: SpacySpan, titles: frozenset[str] = frozenset()) -> SpacySpan | None:
    """Strip titles (``titles``: the registry's honorifics, for a person), determiners and
    possessives off a NER span: 'Navy Capt. Jereal Dorsey' -> 'Jereal Dorsey', 'H.E. Mr. Wang
    Yi' -> 'Wang Yi', 'the Global Times' -> 'Global Times'."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in titles or doc[start].is_punct or doc[start].lower_ == "the"):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].tag_ == "POS" or doc[end - 1].lower_ in ("'s", "of")):
        end -= 1
    if start >= end:
        return None
    return doc[start:end]


class _Builder:
    def __init__(self, doc: Doc, registry: Registry, published: date | None, outlet: str | None = None) -> None:
        self.doc = doc
        self.outlet = outlet
        self.registry = registry
        self.published = published
        self.index = ActorIndex()
        self.lex = _lexicon(registry, doc.vocab)
        self.titles = frozenset(term_values(registry, "honorific"))
        self.country_counts: Counter[str] = Counter()
        self.tok_actor: dict[int, str] = {}  # token index -> actor id, for every resolved mention
        self.short: dict[str, list[str]] = {}  # "liu" -> [person ids in order of appearance]
        # token -> (start, end) of the ORG/FAC entity it is in: looked up, not searched, per token
        self._org_ent_at: dict[int, tuple[int, int]] = {
            i: (ent.start, ent.end) for ent in doc.ents if ent.label_ in ("ORG", "FAC") for i in range(ent.start, ent.end)
        }

    # -------------------------------------------------------------- actor records
    def state(self, code: str) -> Actor:
        c = self.registry.country(code)
        return self.index.add(Actor(id=code, name=c.name if c else code, kind="state", country=code, sector="GOV", known=True, rule="registry"))

    def person(self, pid: str) -> Actor:
        p = self.registry.people[pid]
        title = p.title_on(self.published)
        actor = Actor(id=pid, name=p.name, kind="person", country=p.country, sector=p.sector, title=title.title if title else None, known=True, rule="registry")
        if self.published is None and title is not None:
            actor.reasons["title"] = "no publication date: the person's current (latest) title is given"
        return self.index.add(actor)

    def org(self, oid: str) -> Actor:
        o = self.registry.organizations[oid]
        return self.index.add(Actor(id=oid, name=o.name, kind="organization", country=o.country, sector=o.sector, known=True, rule="registry"))

    def mention(self, actor: Actor, start_tok: int, end_tok: int, rule: str) -> None:
        span = self.doc[start_tok:end_tok]
        self.index.add_mention(actor.id, char_span(self.doc, span.start_char, span.end_char), rule)
        for i in range(start_tok, end_tok):
            self.tok_actor[i] = actor.id
        if actor.kind == "person":
            words = [t.lower_ for t in span if t.is_alpha and t.text[:1].isupper() and t.lower_ not in _NAME_SUFFIXES]
            if len(words) >= 2:
                for key in {words[0], words[-1]}:
                    lst = self.short.setdefault(key, [])
                    if actor.id not in lst:
                        lst.append(actor.id)

    # -------------------------------------------------------------- country context
    def country_before(self, start_tok: int, window: int = 3) -> str | None:
        """A country named just before a token ('China's Ministry', 'Chinese Foreign Ministry')."""
        for i in range(start_tok - 1, max(-1, start_tok - 1 - window), -1):
            code = self.country_of_token(i)
            if code:
                return code
            if self.doc[i].is_punct and self.doc[i].text not in ("'s", "’s"):
                break
        return None

    def country_of_token(self, i: int) -> str | None:
        aid = self.tok_actor.get(i)
        if aid and aid in self.index:
            a = self.index.get(aid)
            if a and a.kind == "state":
                return a.country
        return self._demonym_at.get(i)

    # -------------------------------------------------------------- main
    def run(self) -> ActorIndex:
        doc = self.doc
        every = _candidates(doc, self.lex)
        self._every = sorted((c for c in every if c.target is not None), key=lambda c: c.start)
        self._cand_starts = [c.start for c in self._every]
        cands = _select(every)
        self._demonym_at: dict[int, str] = {}
        # demonyms and country names first, for country context and document counts
        for c in cands:
            if c.target and c.target.kind in ("state", "demonym"):
                self.country_counts[c.target.ref] += 1
                if c.target.kind == "demonym":
                    for i in range(c.start, c.end):
                        self._demonym_at[i] = c.target.ref
        # registry matches grouped by span: several targets may share one alias
        by_span: dict[tuple[int, int], list[_Candidate]] = {}
        for c in every:
            if c.target is not None:
                by_span.setdefault((c.start, c.end), []).append(c)
        for c in cands:
            if c.target is None:
                continue
            options = [o.target for o in by_span.get((c.start, c.end), [c]) if o.target and o.target.kind == c.target.kind]
            target = self._disambiguate(options or [c.target], c.start)
            if target.kind == "person":
                self.mention(self.person(target.ref), c.start, c.end, "registry")
            elif target.kind == "organization":
                self.mention(self.org(target.ref), c.start, c.end, "registry")
            elif target.kind == "state":
                if self._inside_unknown_org(c) or self._in_place_name(c):
                    continue
                self.mention(self.state(target.ref), c.start, c.end, "registry")
        for c in cands:
            if c.target is None:
                self._ner(c)
        self._side_phrases()
        self._roles(cands)
        self._short_names()
        self._one_actor_per_person()
        self._given_names()
        self._definite_orgs()
        self._transcript_speakers()
        self._pronouns()
        self._outlet_country()
        return self.index

    def _one_actor_per_person(self) -> None:
        """A surname met before the full name ("Foreign Minister Hayashi ... Mr. HAYASHI
        Yoshimasa") or in another spelling of case is the same person: fold the one-word actor
        into the only full-name person whose name holds that word."""
        people = [a for a in self.index.actors if a.kind == "person"]
        full: dict[str, list[Actor]] = {}
        for a in people:
            words = [w.lower() for w in re.findall(r"[^\W\d_]+", a.name) if w.lower() not in _NAME_SUFFIXES]
            if len(words) >= 2:
                for w in {words[0], words[-1]}:
                    full.setdefault(w, []).append(a)
        known_by_words = {frozenset(w.lower() for w in re.findall(r"[^\W\d_]+", a.name)): a for a in people if a.known}
        for a in people:
            words = [w.lower() for w in re.findall(r"[^\W\d_]+", a.name)]
            same = known_by_words.get(frozenset(words))
            if not a.known and len(words) >= 2 and same is not None and same.id != a.id:
                self._fold(a.id, same.id)  # "KISHIDA Fumio": the registry's Fumio Kishida, family name first
                continue
            if len(words) != 1 or a.known:
                continue
            owners = [o for o in full.get(words[0], []) if o.id in self.index]
            if len(owners) == 1 and owners[0].id != a.id and (owners[0].id not in self.registry.people or all(
                    self._fits_before(owners[0].id, tok) for m in a.mentions
                    if (tok := self._token_at(m.start)) is not None)):
                self._fold(a.id, owners[0].id)

    def _token_at(self, char: int) -> int | None:
        span = self.doc.char_span(char, char + 1, alignment_mode="expand")
        return span.start if span is not None else None

    def _given_names(self) -> None:
        """A name the registry does not know, right beside a registry person's surname found
        later in the run ("Pavlo Anatoliyovych KLIMKIN"), is that person's given names."""
        for a in [a for a in self.index.actors if a.kind == "person" and not a.known]:
            for m in a.mentions:
                span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
                beside = self._person_beside(span) if span is not None else None
                if beside is not None and beside.id != a.id:
                    self._fold(a.id, beside.id)
                    break

    def _fold(self, src: str, dst: str) -> None:
        self.index.fold(src, dst)
        for i, aid in list(self.tok_actor.items()):
            if aid == src:
                self.tok_actor[i] = dst

    def _outlet_country(self) -> None:
        """People the text gives no country get the outlet's country, flagged in reasons: an
        expert quoted by the Global Times with no affiliation named is most likely Chinese."""
        code = outlet_country(self.outlet, self.registry)
        if not code:
            return
        held: set[str | None] | None = None  # the posts the outlet's side fills that day, looked up once
        for a in self.index.actors:
            if a.kind != "person" or a.country is not None:
                continue
            # a person titled with a post that someone else holds for the outlet's side ("President
            # Tomas Zelenko" in a US readout) is not of the outlet's side
            title = (a.title or "").lower()
            roles = {rid for rid, phrases in _role_phrases(self.registry).items() if any(title.endswith(p) for p in phrases)} if title else set()
            if roles:
                if held is None:
                    held = {t.role for p in self.registry.people.values() if p.country == code
                            and (t := p.title_on(self.published)) is not None and t.held_on(self.published)}
                if roles & held:
                    continue
            a.country = code
            a.reasons["country"] = f"assumed from the outlet ({self.outlet}, {code}): the text names no country"

    def _disambiguate(self, options: list[_Target], start_tok: int) -> _Target:
        if len(options) == 1:
            return options[0]
        if self.published is not None and all(t.kind == "person" for t in options):
            # a name two registry people share ("David Johnston"): the one in office on the
            # publication date, when only one of them is
            sitting = [t for t in options if any(ti.held_on(self.published) for ti in self.registry.people[t.ref].titles)]
            if len(sitting) == 1:
                return sitting[0]
            options = sitting or options
        countries = {t.ref: self._target_country(t) for t in options}
        before = self.country_before(start_tok)
        if before:
            for t in options:
                if countries[t.ref] == before:
                    return t
        ranked = sorted(options, key=lambda t: -self.country_counts.get(countries[t.ref] or "", 0))
        return ranked[0]

    def _target_country(self, t: _Target) -> str | None:
        if t.kind == "person":
            return self.registry.people[t.ref].country
        if t.kind == "organization":
            return self.registry.organizations[t.ref].country
        return t.ref

    def _in_place_name(self, c: _Candidate) -> bool:
        """"Taiwan" in "the Taiwan Strait", "China" in "the South China Sea", "Japan" in "the Sea
        of Japan": part of a place's name (terms group place_feature), not the state."""
        doc = self.doc
        features = term_values(self.registry, "place_feature")
        if c.end < len(doc) and features.get(doc[c.end].lower_) == "after" and doc[c.end].text[:1].isupper():
            return True
        before = " ".join(t.lower_ for t in doc[max(0, c.start - 3):c.start])
        return any(before.endswith(p) and v == "before" for p, v in features.items())

    def _inside_unknown_org(self, c: _Candidate) -> bool:
        """'Beijing' inside 'Beijing Foreign Studies University' is not the state."""
        ent = self._org_ent_at.get(c.start)
        return ent is not None and ent[0] <= c.start and c.end <= ent[1] and (ent[1] - ent[0]) > (c.end - c.start)

    # -------------------------------------------------------------- unknown entities
    def _ner(self, c: _Candidate) -> None:
        span = _clean_entity(self.doc[c.start:c.end], self.titles if c.label == "PERSON" else frozenset())
        if span is None:
            return
        text = span.text
        if c.label == "PERSON":
            words = [t.lower_ for t in span if t.is_alpha]
            if not words:
                return
            # a bare surname after a full name is the same person
            if len(words) == 1 and words[0] in self.short:
                pid = self.short[words[0]][-1]
                actor = self.index.get(pid)
                if actor:
                    self.mention(actor, span.start, span.end, "short_name")
                return
            # a bare surname that exactly one registry person in office bears ("Secretary Blinken",
            # "my Russian counterpart, Minister Shoigu"), unless it is a common word ("May")
            if len(words) == 1 and not span[0].is_stop:
                in_office = [pid for pid in self._in_office(words[0]) if self._fits_before(pid, span.start)]
                if len(in_office) == 1:
                    self.mention(self.person(in_office[0]), span.start, span.end, "registry_surname")
                    return
            # given names (and patronymic) right beside a registry person's surname: "Pavlo
            # Anatoliyovych KLIMKIN", "Lavrov, Sergey Viktorovich"
            beside = self._person_beside(span)
            if beside is not None:
                self.mention(beside, span.start, span.end, "given_names")
                return
            # a longer form of a known short one ("Liu" first, "Liu Zhenli" later) is rare; keep simple
            aid = slug(text)
            country, sector, title, reasons = self._describe_person(span)
            actor = self.index.add(Actor(id=aid, name=text, kind="person", country=country, sector=sector, title=title, rule="ner", reasons=reasons))
            self.mention(actor, span.start, span.end, "ner")
        elif c.label == "ORG":
            if len(span) == 1 and span[0].lower_ in self.titles:
                return
            if len(span) == 1 and span[0].lower_ in self.short and span[0].text[:1].isupper():
                # a surname the parser took for an organization ("Sunak had met ..."), after the full name
                actor = self.index.get(self.short[span[0].lower_][-1])
                if actor:
                    self.mention(actor, span.start, span.end, "short_name")
                    return
            country = self._country_in_name(span)
            sector = _sector_of(text, self.registry)
            reasons = {} if country else {"country": "no country in the organization's name"}
            actor = self.index.add(Actor(id=slug(text), name=text, kind="organization", country=country, sector=sector, rule="ner", reasons=reasons))
            self.mention(actor, span.start, span.end, "ner")

    def _person_beside(self, span: SpacySpan) -> Actor | None:
        """The registry person mentioned right before or after a name (a comma between at most)
        whose given name is the name's first word."""
        doc = self.doc
        near = [span.end, span.end + 1] if span.end < len(doc) and doc[span.end].text == "," else [span.end]
        before = span.start - 1
        if before >= 0 and doc[before].text == ",":
            before -= 1
        for i in [*near, before]:
            aid = self.tok_actor.get(i) if 0 <= i < len(doc) else None
            actor = self.index.get(aid) if aid else None
            if actor is None or actor.kind != "person" or not actor.known:
                continue
            given = actor.name.split()[0].lower()
            if span[0].lower_ == given or any(a.split()[0].lower() == span[0].lower_ for a in self._aliases(actor.id)):
                return actor
        return None

    def _aliases(self, pid: str) -> list[str]:
        person = self.registry.people.get(pid)
        return list(person.aliases) if person is not None else []

    def _country_in_name(self, span: SpacySpan) -> str | None:
        """'Beijing Foreign Studies University' -> CHN; 'China Foreign Affairs University' -> CHN;
        'Center for American Studies' -> None (a field of study, not an affiliation)."""
        doc = self.doc
        for c in self._cands_at(span.start, span.end):
            if c.target and c.target.kind in ("state", "demonym", "organization"):
                prev = doc[c.start - 1] if c.start - 1 >= span.start else None
                if prev is not None and prev.lower_ in ("for", "on", "about"):
                    continue
                code = self._target_country(c.target)
                if code:
                    return code
        return None

    def _cands_at(self, start: int, end: int) -> list[_Candidate]:
        """Registry candidates inside tokens [start, end), in text order."""
        i = bisect.bisect_left(self._cand_starts, start)
        out = []
        while i < len(self._every) and self._every[i].start < end:
            if self._every[i].end <= end:
                out.append(self._every[i])
            i += 1
        return out

    def _describe_person(self, span: SpacySpan) -> tuple[str | None, str | None, str | None, dict[str, str]]:
        """Country, sector and title of a person the registry does not know, from the words
        before the name ('Chinese Foreign Ministry spokesperson') and the apposition after it."""
        doc = self.doc
        head = span.root
        pieces: list[tuple[int, int]] = []  # token ranges that describe the person
        # title words right before the name: "US Assistant Air Force Secretary Andrew Hunter",
        # "Chinese Foreign Ministry spokesperson Wang Wenbin", "then House Speaker Nancy Pelosi"
        i = span.start - 1
        while i >= 0 and span.start - i <= 8:
            t = doc[i]
            if t.i in self.tok_actor and (act := self.index.get(self.tok_actor[t.i])) and act.kind == "person":
                break
            if t.pos_ in ("PROPN", "NOUN", "ADJ") or t.tag_ == "POS" or t.lower_ in self.titles or (t.text == "." and i > 0 and doc[i - 1].is_alpha and len(doc[i - 1]) <= 4) or t.text in ("-",):
                i -= 1
                continue
            break
        if i < span.start - 1:
            pieces.append((i + 1, span.start))
        # the name in apposition to a title: "the Iraqi minister of defense, Thabet Al-Abbasi"
        if head.dep_ == "appos" and head.head.i < span.start and head.head.pos_ == "NOUN":
            first = min(t.i for t in head.head.subtree)
            if first < span.start:
                pieces.append((first, span.start))
        # "Brown's spokesman Navy Capt. Jereal Dorsey": a possessor before the title
        possessor: str | None = None
        for t in doc[max(0, span.start - 8):span.start]:
            if t.dep_ == "poss" and t.i in self.tok_actor:
                possessor = self.tok_actor[t.i]
        # apposition: "Zhuo Hua, an international affairs expert at ... University,"
        for child in head.children:
            if child.dep_ == "appos" and child.i >= span.end:
                sub = list(child.subtree)
                pieces.append((sub[0].i, sub[-1].i + 1))
        # "X, deputy director of ..." parsed without appos: take up to the next comma
        if not any(p[0] >= span.end for p in pieces) and span.end < len(doc) and doc[span.end].text == ",":
            j = span.end + 1
            while j < len(doc) and doc[j].text not in (",", ".", ";") and j - span.end < 25:
                j += 1
            nxt = doc[span.end + 1] if span.end + 1 < len(doc) else None
            if nxt is not None and (nxt.lower_ in ("a", "an", "the") or nxt.pos_ in ("NOUN", "ADJ")):
                pieces.append((span.end + 1, j))
        country: str | None = None
        reasons: dict[str, str] = {}
        title_parts = []
        for a, b in pieces:
            title_parts.append(doc[a:b].text.strip(" ,"))
            country = country or self._country_in_range(a, b)
        if country is None and possessor:
            country = self.index.side(possessor)
            if country:
                reasons["country"] = f"from the possessor ({self.index.get(possessor).name if self.index.get(possessor) else possessor})"  # type: ignore[union-attr]
        title = "; ".join(p for p in title_parts if p) or None
        sector = _sector_of(title or "", self.registry) if title else None
        if country is None:
            reasons["country"] = "the text gives no country for this person"
        if sector is None:
            reasons["sector"] = "no title or apposition that tells the sector"
        return country, sector, title, reasons

    def _country_in_range(self, a: int, b: int) -> str | None:
        """The country an apposition or title names: an organization's country, a country or
        demonym word, or a country in an organization's name."""
        doc = self.doc
        # known organizations and states already resolved in the range
        for i in range(a, b):
            aid = self.tok_actor.get(i)
            if aid:
                actor = self.index.get(aid)
                if actor and actor.country and actor.kind == "person" and doc[i].dep_ == "poss":
                    return actor.country  # "Brown's spokesman"
                if actor and actor.country and actor.kind in ("organization", "state"):
                    # skip "Center for American Studies"-like field names
                    if i > 0 and doc[i - 1].lower_ in ("for", "on", "about"):
                        continue
                    return actor.country
        seen: set[tuple[int, int]] = set()
        for i in range(a, b):
            ent_range = self._org_ent_at.get(i)
            if ent_range is None or ent_range in seen or ent_range[0] < a or ent_range[1] > b:
                continue
            seen.add(ent_range)
            code = self._country_in_name(doc[ent_range[0]:ent_range[1]])
            if code:
                return code
        for i in range(a, b):
            code = self._demonym_at.get(i)
            if code and not (i > 0 and doc[i - 1].lower_ in ("for", "on", "about")):
                return code
        return None

    # -------------------------------------------------------------- side phrases, roles
    def _side_phrases(self) -> None:
        """'the Chinese side', 'the US side', 'the American military' -> the state."""
        doc = self.doc
        for tok in doc:
            if tok.lower_ not in _SIDE_NOUNS:
                continue
            prev = doc[tok.i - 1] if tok.i > 0 else None
            if prev is None:
                continue
            code = self._demonym_at.get(prev.i) or self.country_of_token(prev.i)
            if code and tok.i not in self.tok_actor:
                start = prev.i - 1 if prev.i > 0 and doc[prev.i - 1].lower_ == "the" else prev.i
                # the whole phrase is one mention of the state
                for i in range(start, tok.i + 1):
                    self.tok_actor.pop(i, None)
                self.mention(self.state(code), start, tok.i + 1, "side_phrase")

    def _roles(self, cands: list[_Candidate]) -> None:
        """A post named without a name ('the defense minister', 'the US defense secretary')
        resolves to whoever held it on the publication date, when the country is clear."""
        doc = self.doc
        mentioned = {c for c, n in self.country_counts.items() if n}
        qualifiers = term_values(self.registry, "role_qualifier")
        for c in cands:
            if not c.target or c.target.kind != "role":
                continue
            nxt = doc[c.end] if c.end < len(doc) else None
            if nxt is not None and (nxt.ent_type_ == "PERSON" or c.end in self.tok_actor):
                continue  # a title before a name: "Defense Secretary Lloyd Austin"
            if self._name_after_ranks(c.end):
                continue  # "Chairman of the Joint Chiefs of Staff Air Force Gen. CQ Brown"
            if (nxt is not None and nxt.lower_ == "for" and c.end + 1 < len(doc) and doc[c.end + 1].text[:1].isupper()
                    and doc[c.start:c.end].text.lower() == "secretary of state"):
                # a British secretary of state the roles do not name ("Secretary of State for Business
                # and Trade"); only for this phrase, as a headline runs on in capitals ("Defense
                # Minister for First Time")
                continue
            if _qualified(doc, c.start, c.end, qualifiers):
                continue  # "the former defense minister", "the president-elect": not today's holder
            head = doc[c.end - 1]
            if head.dep_ == "appos" or any(ch.dep_ == "appos" for ch in head.head.children if head.head.ent_type_ == "PERSON"):
                continue  # an apposition to a name: "Liu Zhenli, the chief of ..."
            country = self.country_before(c.start)
            holders = self.registry.holders(c.target.ref, country, self.published)
            if country is None:
                holders = [p for p in holders if p.country in mentioned]
            if len(holders) == 1:
                actor = self.person(holders[0].id)
                start = c.start - 1 if c.start > 0 and doc[c.start - 1].lower_ == "the" else c.start
                self.mention(actor, start, c.end, "role")

    def _name_after_ranks(self, i: int) -> bool:
        """Whether a name follows token ``i`` after nothing but title, rank and service words
        ("Air Force Gen.", "Navy Adm.", "Lt. Gen."): the post before them is that person's."""
        doc = self.doc
        j = i
        while j < len(doc) and j - i < 6 and doc[j].lower_ in self.titles:
            j += 1
        if j == i or j >= len(doc):
            return False
        return doc[j].ent_type_ == "PERSON" or j in self.tok_actor

    def _fits_before(self, pid: str, start_tok: int) -> bool:
        """The words before a bare surname do not contradict the registry person: no other
        country ("Cook Islands Prime Minister Brown") right before it."""
        before = self.country_before(start_tok, window=5)
        person = self.registry.people.get(pid)
        if person is None:
            return True
        # nor a post the person never held ("Prime Minister Brown" is not the general Brown)
        roles = self._roles_before(start_tok)
        if roles and not roles & {t.role for t in person.titles}:
            return False
        return before is None or before == person.country

    def _roles_before(self, start_tok: int) -> set[str]:
        """The posts the title right before a token names ("Prime Minister", "Defense Minister")."""
        doc = self.doc
        found: set[str] = set()
        for k in range(1, 5):
            if start_tok - k < 0:
                break
            words = " ".join(t.lower_ for t in doc[start_tok - k:start_tok])
            found |= {rid for rid, phrases in _role_phrases(self.registry).items() if words in phrases}
        return found

    def _in_office(self, surname: str) -> list[str]:
        """Registry people with this family name who held a post on the publication date."""
        return [pid for pid in _surnames(self.registry).get(surname, ())
                if self.registry.people[pid].titles and any(t.held_on(self.published) for t in self.registry.people[pid].titles)]

    def _short_names(self) -> None:
        """Bare surnames: after a full mention in the document ('Liu said' after 'Liu Zhenli');
        or, with none, a surname that exactly one registry person in office on the publication
        date bears ('the Xi-Biden summit')."""
        doc = self.doc
        for tok in doc:
            if tok.i in self.tok_actor or not tok.text[:1].isupper() or tok.pos_ not in ("PROPN", ""):
                continue
            ids = self.short.get(tok.lower_)
            if not ids:
                # a surname that is also a common word ("May", "To", "English") is no mention
                # (two surnames joined by a hyphen name two people, whatever NER made of them: "the Biden-Yoon Summit")
                paired = any(0 < j < len(doc) and doc[j].text == "-" and not doc[j].whitespace_ and not doc[j - 1].whitespace_
                             for j in (tok.i - 1, tok.i + 1))
                if tok.is_stop or (not paired and tok.ent_type_ in ("GPE", "ORG", "NORP", "LOC", "FAC", "DATE", "LANGUAGE")) or (
                        not paired and tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ == "PROPN" and doc[tok.i + 1].text != "-"):
                    continue
                in_office = [pid for pid in self._in_office(tok.lower_) if self._fits_before(pid, tok.i)]
                if len(in_office) == 1:
                    self.mention(self.person(in_office[0]), tok.i, tok.i + 1, "registry_surname")
                continue
            # the person mentioned most recently before this token
            best = self._latest_before(ids, tok.idx)
            if best and (best not in self.registry.people or self._fits_before(best, tok.i)):
                actor = self.index.get(best)
                if actor:
                    self.mention(actor, tok.i, tok.i + 1, "short_name")

    def _definite_orgs(self) -> None:
        """'the ministry', 'the command', 'the department' -> the organization named before
        whose name has that word ('the Ministry of Foreign Affairs', 'U.S. Indo-Pacific Command')."""
        doc = self.doc
        orgs = [m for m in self.index.mentions if (act := self.index.get(m.actor_id)) is not None and act.kind == "organization"]
        if not orgs:
            return
        org_starts = [m.start for m in orgs]
        for tok in doc:
            if tok.i in self.tok_actor or tok.pos_ not in ("NOUN", "PROPN") or tok.i == 0:
                continue
            det = doc[tok.i - 1]
            if det.lower_ not in ("the", "this", "that") or tok.lower_ not in _ORG_HEADS:
                continue
            if tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ in ("of", "for"):
                continue  # "the ministry of ...": a name the registry does not know, not a back-reference
            upto = bisect.bisect_left(org_starts, tok.idx)
            before = [m for m in orgs[max(0, upto - 50):upto] if m.end <= tok.idx and re.search(rf"\b{tok.lower_}\b", (self.index.get(m.actor_id).name + " " + m.span.text).lower())]  # type: ignore[union-attr]
            if before:
                actor = self.index.get(before[-1].actor_id)
                if actor is not None:
                    self.mention(actor, det.i, tok.i + 1, "definite_org")

    def _transcript_speakers(self) -> None:
        """In a transcript, a line that opens with a speaker's label ("SECRETARY AUSTIN:", "Mr.
        HAYASHI Yoshimasa, Minister for Foreign Affairs:") starts that person's turn: "I",
        "me", "my" in it are that person, up to the next label."""
        doc = self.doc
        text = text_of(doc)
        turns: list[tuple[int, str | None]] = []  # (start of turn, speaker actor id or None)
        for m in _SPEAKER_LABEL.finditer(text):
            a, b = m.start("label"), m.end("label")
            people = [x for x in self.index.in_range(a, b) if (act := self.index.get(x.actor_id)) and act.kind == "person"]
            turns.append((m.end(), people[0].actor_id if people else None))
        if not turns:
            return
        self.index.set_turns(turns)
        starts = [t for t, _ in turns]
        for tok in doc:
            if tok.lower_ not in _FIRST_PERSON or tok.i in self.tok_actor:
                continue
            k = bisect.bisect_right(starts, tok.idx) - 1
            if k < 0 or turns[k][1] is None:
                continue
            actor = self.index.get(turns[k][1])
            if actor is not None:
                self.mention(actor, tok.i, tok.i + 1, "transcript_speaker")

    def _latest_before(self, ids: Iterable[str], pos: int) -> str | None:
        best, best_pos = None, -1
        for aid in ids:
            a = self.index.get(aid)
            if not a:
                continue
            for m in a.mentions:
                if m.start < pos and m.start > best_pos:
                    best, best_pos = aid, m.start
        return best

    def _pronouns(self) -> None:
        doc = self.doc
        people_mentions = [m for m in self.index.mentions if (act := self.index.get(m.actor_id)) and act.kind == "person"]
        if not people_mentions:
            return
        starts = [m.start for m in people_mentions]
        sents = list(doc.sents)
        for si, sent in enumerate(sents):
            for tok in sent:
                if tok.lower_ not in _PRONOUNS_PERSON or tok.pos_ not in ("PRON", ""):
                    continue
                window_start = sents[max(0, si - 2)].start_char
                prior = people_mentions[bisect.bisect_left(starts, window_start):bisect.bisect_left(starts, tok.idx)]
                if not prior:
                    continue
                # prefer the subject of the current sentence, then a possessive's own sentence's
                # person ("Gen. Brown held his first call", however the parse hangs Brown), then
                # the subject of the sentence before
                subj = [m for m in prior if self._is_subject(m.start)]
                here = [m for m in prior if m.start >= sent.start_char]
                if tok.tag_ == "PRP$" and here and not any(m.start >= sent.start_char for m in subj):
                    subj = here
                pick = (subj or prior)[-1]
                actor = self.index.get(pick.actor_id)
                if actor:
                    self.mention(actor, tok.i, tok.i + 1, "pronoun")

    def _is_subject(self, char_start: int) -> bool:
        span = self.doc.char_span(char_start, char_start + 1, alignment_mode="expand")
        if span is None:
            return False
        tok: Token = span[0]
        root = tok
        while root.dep_ in ("compound", "flat") and root.head.i != root.i:
            root = root.head
        return root.dep_ in ("nsubj", "nsubjpass")


_WORD_RE_CACHE: dict[str, re.Pattern[str]] = {}
# words that end the run of modifiers before a post ("the", "his"): a qualifier is looked for after them
_NP_START = {"the", "a", "an", "this", "that", "his", "her", "its", "their", "our", "whose"}


def _qualified(doc: Doc, start: int, end: int, qualifiers: dict[str, str]) -> bool:
    """A post named with a word that makes it another post or another time: a ``before``
    qualifier among the few words in front of it ("the former Japanese defense minister", "the
    then-US defense secretary", "the shadow defence secretary"), or an ``after`` one joined by a
    hyphen ("the president-elect", "the prime minister-designate")."""
    i, seen = start - 1, 0
    while i >= 0 and seen < 4:
        tok = doc[i]
        if tok.text not in ("-", "–"):
            if qualifiers.get(tok.lower_) == "before":
                return True
            if tok.lower_ in _NP_START or tok.is_punct or tok.is_sent_start:
                break
            seen += 1
        i -= 1
    if end + 1 < len(doc) and doc[end].text == "-":
        return qualifiers.get(doc[end + 1].lower_) == "after"
    return False


@lru_cache(maxsize=8)
def _surnames(registry: Registry) -> dict[str, list[str]]:
    """Family name -> registry people: the last word of a name, and the first word of a
    two-word East Asian name written family name first ('Xi Jinping', 'Liu Zhenli')."""
    out: dict[str, list[str]] = {}
    for p in registry.people.values():
        words = [w for w in re.split(r"[\s.]+", p.name) if w and w[0].isupper() and w.lower() not in _NAME_SUFFIXES]
        if len(words) < 2:
            continue
        keys = {words[-1].lower()}
        if len(words) == 2 and p.country in ("CHN", "TWN", "KOR", "PRK", "VNM", "JPN", "HKG", "SGP"):
            keys.add(words[0].lower())
        elif len(words) == 3 and p.country in ("CHN", "TWN", "KOR", "PRK", "VNM", "HKG", "SGP"):
            keys.add(words[0].lower())  # a given name of two words: "Yoon Suk Yeol", "Kim Jong Un", "Ng Eng Hen"
        for k in keys:
            out.setdefault(k, []).append(p.id)
    return out


def _sector_of(text: str, registry: Registry) -> str | None:
    """The sector of the first sector cue (in registry order) found as a whole word in ``text``."""
    low = " " + re.sub(r"\s+", " ", text.lower()) + " "
    for cue in registry.sectors:
        rx = _WORD_RE_CACHE.get(cue.term)
        if rx is None:
            rx = _WORD_RE_CACHE[cue.term] = re.compile(r"(?<![\w])" + re.escape(cue.term) + r"(?![\w])")
        if rx.search(low):
            return cue.sector
    return None


@lru_cache(maxsize=256)
def outlet_country(outlet: str | None, registry: Registry) -> str | None:
    """The government whose account a document is, from its outlet: a government body or state
    media (the registry's organizations; "Prime Minister's Office, 10 Downing Street (GOV.UK)"
    holds "10 Downing Street"), or an outlet string that names its country ("U.S. Embassy
    Beijing", "Minister for Foreign Affairs (Australia)"). Independent press (organizations of
    kind ``press``: wire agencies, newspapers, broadcasters) speaks for no side: None."""
    if not outlet:
        return None
    full = outlet.strip().lower()
    key = re.sub(r"\s*\([^)]*\)\s*$", "", full).removeprefix("the ").strip()
    best: tuple[int, str | None] | None = None
    for o in registry.organizations.values():
        for n in (o.name, *o.aliases):
            if n.lower().removeprefix("the ") == key:
                return _side_of(o)
    # "Ministry of National Defense of the PRC": an organization's name followed by its country
    for c in registry.countries.values():
        for n in c.names:
            if len(n) > 3 and (key.endswith(" of " + n.lower()) or key.endswith(" of the " + n.lower())):
                return c.code
    for inner in re.findall(r"\(([^)]*)\)", full):
        named = {n.lower(): c.code for c in registry.countries.values() for n in c.names}
        if inner.strip() in named:
            return named[inner.strip()]  # "Minister for Foreign Affairs (Australia)"
    for o in registry.organizations.values():
        for n in (o.name, *o.aliases):
            low = n.lower().removeprefix("the ")
            if len(low) > 3 and re.search(rf"(?<![\w.]){re.escape(low)}(?![\w])", full) and (best is None or len(low) > best[0]):
                best = (len(low), _side_of(o))
    if best is not None:
        return best[1]
    # a government body that names its country anywhere in the outlet
    if any(w in full for w in ("government", "ministry", "minister", "department", "embassy", "president", "office", "consulate")):
        found = _first_country(full, registry)
        if found:
            return found
    return None


def _side_of(org: Any) -> str | None:
    if org.kind == "press" or org.country in ("IGO", "NGO"):
        return None
    return str(org.country) if org.country else None


def _first_country(text: str, registry: Registry) -> str | None:
    hits: list[tuple[int, str]] = []
    for c in registry.countries.values():
        for n in (*c.names, *c.demonyms):
            if len(n) < 2:
                continue
            m = re.search(rf"(?<![\w.]){re.escape(n.lower())}(?![\w])", text)
            if m:
                hits.append((m.start(), c.code))
    return min(hits)[1] if hits else None


def extract_actors(doc: Doc, registry: Registry, published: date | None, outlet: str | None = None) -> ActorIndex:
    """Find and resolve the actors of one parsed document. ``outlet`` (the publication, if
    known) gives a country, flagged as assumed, to people the text gives none."""
    return _Builder(doc, registry, published, outlet).run()
