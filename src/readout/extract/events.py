"""Events around the talks, typed in the PLOVER ontology with a CAMEO crosswalk.

Two entry points share one typer:

- ``code_sentence(sent, registry, actors)`` types the main event of any sentence (and of the
  verbs conjoined with it), the way an event coder reads a news lead: who did what to whom.
  It is what the PLOVER evaluation measures.
- ``extract_events(doc, registry, actors, dates, side=, engagements=)`` reads a whole article
  and keeps the kinds of events that bear on talks between states: arms sales and military
  aid, sanctions and export controls, visits to third parties, accusations and protests,
  declined requests to meet, threats, military moves (exercises, intercepts, transits,
  missile launches), wars waged by a country ("Russia's aggression against Ukraine") and
  agreements on substance. Talks themselves (calls, meetings, and visits between the two
  sides of talks the document reports) are recorded by the engagements extractor, and what
  people say by the statements extractor; neither is emitted here.

The frame of each news event's clause (``frame_of``) decides whether it is one: a denied,
demanded, threatened or alleged event is not ("should stop arming Taiwan", "urged X not to",
"accused X of arming Y": the statement or the accusation is the event); a stopped one is its
opposite ("stopped arming" is SANCTION 1622); a future, planned or hypothetical one is kept
with ``Event.modality`` and left out of the dyad index. Parties the sentence does not name are
taken from the talks the document reports, each time with a reason: an agreement of "the two
sides" is between the dyad of the nearest engagement (the side whose account it is, the
outlet's country, is the source); a cut or refusal with no target is aimed at the other side;
"they condemned" in a side's own account is that side's act. An event with no party at all is
dropped.

How an event is found: the dependency parse gives a clause's predicate; a verb lemma (or a
light verb with an event noun as its object: "imposed sanctions", "lodged a protest") gives
the PLOVER type and mode; governing verbs change it ("refused to meet" is REJECT, "threatened
to impose sanctions" is THREATEN, "will provide aid" is AGREE); the subject gives the source,
the object or a prepositional object ("to", "on", "against", "with") the target. Actors come
from the ``ActorIndex`` first, then from country names, demonyms, capitals and metonyms of the
registry found in the noun phrase. Money ("$300 million") and counts of materiel ("66 new
aircraft") are read from the sentence; the date is the nearest date expression in it, or for a
said event (PLOVER's verbal types) told without one, the date of the held talks reported before
it that one of its parties took part in, else the publication date (``_date_from_context``).

Conventions (documented choices):

- PLOVER, not CAMEO, decides the type: cooperation promised in the future tense is AGREE;
  conflict promised (or made conditional: "will withdraw ... unless") is THREATEN; destroying
  property is ASSAULT/destroy; international sanctions are SANCTION/discontinue with CAMEO 163.
- Arms sales and military aid are AID with CAMEO 072 (a promised one, "will send", AGREE 0332).
- Talks, calls and negotiations are joint acts in ``code_sentence``: every party is a source.
- PLOVER codes what was done or said: an event told as not having happened ("did not agree to
  sell", "has not provided aid", "never sanctioned") codes nothing, and a denial of an act
  ("denied supplying arms", "denied that it sold arms") is neither the act nor a REJECT; a
  refusal is REJECT ("refused to meet", "will not provide aid": a negated promise).
- ``code_sentence(..., domestic=True)`` applies the event coders' convention for domestic
  events (an official named without a country acts in the country the sentence places the
  event in); ``extract_events`` does not, since news of talks between states is mostly not
  domestic. Each such guess is written in ``reasons``.

The coder's knowledge is data (``Knowledge``): the trigger tables (verbs, phrases, event
nouns, restrictions lifted, ties cut, each with its PLOVER type, mode and CAMEO code), the word
lists of the rules (reporting verbs, negation and modality cues, role words, materiel, ...), the
verbs that frame or govern another event, and the words that pick a mode. They live in
``src/readout/data/event_triggers.yaml``, validated on load against ``plover.yaml``; a user's
``--registry`` file adds to them, and the coder reads the tables of the registry it is called
with. Pure: no I/O at call time; the tables and a lexicon of country words are cached per
registry.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import date

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ..records import Amount, DateValue, Engagement, Event, Precision, Quantity, Span, content_id
from ..registry import EVENT_WORD_LISTS, Registry, TriggerCue, load_event_tables
from .base import ActorIndex


# What a trigger word means: a PLOVER type, a mode, and a CAMEO code more specific than the
# registry's default for that type and mode (or None to use the default).
Cue = TriggerCue


def _c(t: str, mode: str | None = None, cameo: str | None = None) -> Cue:
    return Cue(t, mode, cameo)


# =====================================================================================
# The coder's knowledge: data of src/readout/data/event_triggers.yaml (and of a user's
# --registry files), validated on load against plover.yaml, read off the registry the coder is
# called with. The rules below read it through ``_K()``.
# =====================================================================================
@dataclass(frozen=True, slots=True)
class Knowledge:
    """The event coder's tables of one registry: triggers by kind, the word lists of its rules
    (``event_words``), the verbs that frame (``event_frames``) or govern (``event_governors``)
    another event, and the words that pick a mode (``event_modes``)."""

    verb_cues: dict[str, Cue]
    phrase_cues: dict[tuple[str, str], Cue]
    noun_cues: dict[str, Cue]
    restrictive_nouns: dict[str, Cue]  # restrictions that an undo verb lifts
    cooperative_nouns: dict[str, str]  # ties, exchanges and help that a cut verb ends -> SANCTION mode
    frames: dict[str, str]  # verb -> negated, demanded, threatened, alleged, planned, halted
    governors: dict[str, str]  # verb -> what it makes of the infinitive it governs
    modes: dict[str, dict[str, tuple[str, str | None]]]  # type -> word -> (mode, CAMEO)
    threat_cameo: dict[str, str]  # THREATEN mode -> CAMEO code
    light_verbs: frozenset[str]
    cut_verbs: frozenset[str]
    undo_verbs: frozenset[str]
    sale_verbs: frozenset[str]
    carry_on_verbs: frozenset[str]
    agreement_nouns: frozenset[str]
    protest_nouns: frozenset[str]
    reporting_verbs: frozenset[str]
    future_aux: frozenset[str]
    must_aux: frozenset[str]
    demand_aux: frozenset[str]
    hypothetical_aux: frozenset[str]
    negation_adverbs: frozenset[str]
    denial_verbs: frozenset[str]
    future_adjectives: frozenset[str]
    aspect_verbs: frozenset[str]
    frame_nouns: frozenset[str]
    generic_event_nouns: frozenset[str]
    crowd_nouns: frozenset[str]
    materiel_nouns: frozenset[str]
    aid_objects: frozenset[str]  # with the materiel nouns
    arms_words: frozenset[str]
    both_sides_words: frozenset[str]
    news_event_nouns: frozenset[str]
    war_nouns: frozenset[str]
    launched_weapons: frozenset[str]
    news_coerce_verbs: frozenset[str]
    igo_words: frozenset[str]
    visitor_nouns: frozenset[str]
    domestic_nouns: frozenset[str]

    @classmethod
    def of(cls, registry: Registry, speech: Registry | None = None) -> Knowledge:
        """The tables of ``registry``; the reporting verbs with an event type (``verbs``
        section, of ``speech`` when given) are triggers too where the trigger tables have none
        ("blasted", "called for", "ruled out"), so one coder types events and statements."""
        t = registry.event_triggers
        words = {name: registry.event_words.get(name, frozenset()) for name in EVENT_WORD_LISTS}
        words["aid_objects"] = words["aid_objects"] | words["materiel_nouns"]
        verb_cues, phrase_cues = dict(t["verb"]), dict(t["phrase"])
        for lemma, v in (speech or registry).verbs.items():
            if v.event_type is None:
                continue
            parts = lemma.split()
            if len(parts) == 1:
                verb_cues.setdefault(lemma, Cue(v.event_type, v.event_mode))
            elif len(parts) == 2:
                phrase_cues.setdefault((parts[0], parts[1]), Cue(v.event_type, v.event_mode))
        return cls(
            verb_cues=verb_cues,
            phrase_cues=phrase_cues,
            noun_cues=dict(t["noun"]),
            restrictive_nouns=dict(t["lifted"]),
            cooperative_nouns={k: c.mode or "discontinue" for k, c in t["cut"].items()},
            frames=dict(registry.event_frames),
            governors=dict(registry.event_governors),
            modes={k: dict(v) for k, v in registry.event_modes.items()},
            threat_cameo={m: c for m, c in registry.event_modes.get("THREATEN", {}).values() if c},
            **words,
        )


_PACKAGE_TABLES = load_event_tables()
_PACKAGE = Knowledge.of(_PACKAGE_TABLES)
_KNOWLEDGE: ContextVar[Knowledge] = ContextVar("event_knowledge", default=_PACKAGE)
_KNOWLEDGE_CACHE: dict[int, tuple[Registry, Knowledge]] = {}


def knowledge(registry: Registry) -> Knowledge:
    """The coder's tables of ``registry`` (the package's and the user's files); the package's
    own, with the registry's typed reporting verbs, when it holds no event triggers (a registry
    built by hand in a test)."""
    if not registry.event_triggers.get("verb") and not registry.verbs:
        return _PACKAGE
    cached = _KNOWLEDGE_CACHE.get(id(registry))
    if cached is not None and cached[0] is registry:
        return cached[1]
    k = Knowledge.of(registry) if registry.event_triggers.get("verb") else Knowledge.of(_PACKAGE_TABLES, speech=registry)
    if len(_KNOWLEDGE_CACHE) > 8:
        _KNOWLEDGE_CACHE.clear()
    _KNOWLEDGE_CACHE[id(registry)] = (registry, k)
    return k


def _K() -> Knowledge:
    return _KNOWLEDGE.get()


@contextmanager
def using(registry: Registry) -> Iterator[Knowledge]:
    """Code with the tables of ``registry`` for the duration of the block."""
    token = _KNOWLEDGE.set(knowledge(registry))
    try:
        yield _KNOWLEDGE.get()
    finally:
        _KNOWLEDGE.reset(token)



COOPERATIVE_TYPES = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"})
CONFLICT_TYPES = frozenset({"THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"})



def _agreement(hit: _Hit) -> bool:
    """An agreement on substance: 'agreed to/on/that ...', 'agreed an MoU', 'reached a consensus',
    'signed agreements' (not a promise: 'offered to', 'pledged'; not an earlier agreement
    referred to in the passive: 'as was agreed at the summit', 'the visit was agreed in February')."""
    if any(_lemma(t) == "agree" for t in hit.trigger) and hit.rule in ("verb", "agree_to"):
        return not any(c.dep_ in ("auxpass", "nsubjpass") for c in hit.pred.children)
    if hit.rule == "sign_agreement":
        return True
    if hit.rule in ("verb", "agree_to") and any(_K().governors.get(_lemma(t)) == "agree" for t in hit.trigger) and _both_sides(hit.pred):
        return True  # "the two ministers pledged to deepen", "Austin and Lee committed to continuing": a joint commitment
    return hit.rule == "light_verb" and hit.nominal is not None and _noun_key(hit.nominal) in _K().agreement_nouns and _lemma(hit.pred) in (
        "reach", "sign", "conclude", "finalize", "finalise", "seal", "strike", "adopt", "announce", "make")


def _both_sides(v: Token) -> bool:
    """Whether a clause's subject is both sides: two parties joined ("Austin and Lee"), or words
    that stand for both ("the two ministers", "both countries", "they")."""
    subj = _child(v, "nsubj")
    if subj is None:
        return False
    if any(c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN") for c in subj.children):
        return True
    return bool({subj.lower_, _lemma(subj)} & _K().both_sides_words or {c.lower_ for c in subj.children if c.dep_ in ("nummod", "det", "predet")} & _K().both_sides_words)


# Event kinds kept by extract_events (news): type -> allowed modes (None: any mode).
NEWS_KINDS: dict[str, frozenset[str | None] | None] = {
    "AID": None,
    "AGREE": None,  # only a promise of military aid (0332), see _news_hits
    "SANCTION": None,
    "CONSULT": frozenset({"visit"}),
    "ACCUSE": frozenset({"allege", "disapprove"}),
    "REJECT": frozenset({"meet"}),
    "THREATEN": None,
    "MOBILIZE": None,
    "COERCE": None,
    "ASSAULT": None,
}

_PRONOUNS = frozenset({"it", "they", "he", "she", "we", "i", "you", "its", "their", "his", "her", "our", "them", "him", "us", "itself", "themselves"})
def _is_pronoun(t: Token) -> bool:
    if t.pos_:
        return t.pos_ == "PRON"
    return t.lower_ in _PRONOUNS and t.text != "US"



# =====================================================================================
# Country lexicon: registry names, demonyms, capitals and metonyms
# =====================================================================================
_GENERIC_NAME_WORDS = frozenset({
    "republic", "of", "the", "federation", "arab", "islamic", "democratic", "people's", "kingdom", "state",
    "states", "united", "plurinational", "bolivarian", "socialist", "federal", "province", "china",
    "special", "administrative", "region", "and", "commonwealth", "territory", "union", "sultanate",
    "principality", "grand", "duchy", "independent", "oriental", "cooperative", "great", "britain",
    "northern", "ireland", "america",
})


@dataclass(slots=True)
class _Lexicon:
    exact: dict[str, str] = field(default_factory=dict)  # lower-case phrase -> code
    cased: dict[str, str] = field(default_factory=dict)  # short or upper-case phrases, matched as written
    derived: dict[str, str] = field(default_factory=dict)  # derived adjectival forms, matched as written
    demonyms: dict[str, str] = field(default_factory=dict)  # lower-case demonyms, for plurals
    longest: int = 1


_LEXICON_CACHE: dict[int, tuple[Registry, _Lexicon]] = {}


def _derive_forms(base: str) -> list[tuple[str, int]]:
    """Adjectival forms of a one-word country name, each with how much it changed the name
    (smaller is surer): Serbia -> Serbian, Iraq -> Iraqi, Sudan -> Sudanese, Hungary -> Hungarian."""
    out: list[tuple[str, int]] = []
    if len(base) < 4 or not base[0].isupper():
        return out
    if base.endswith("a"):
        out += [(base + "n", 1), (base[:-1] + "ese", 3), (base[:-1] + "an", 2)]
    if base.endswith("y"):
        out += [(base[:-1] + "ian", 3), (base[:-1] + "ish", 3)]
    if base.endswith("e"):
        out += [(base[:-1] + "ian", 3), (base + "se", 2)]
    if base.endswith("on"):
        out += [(base[:-2] + "ese", 4)]
    if base.endswith(("q", "l", "t", "n", "h", "r", "d", "k", "s")):
        out += [(base + "i", 1), (base + "ian", 3), (base + "ese", 3), (base + "an", 2)]
    if base.endswith("o"):
        out += [(base + "an", 2)]
    forms = []
    for form, cost in out:
        forms.append((form, cost))
        forms.append((form + "s", cost + 1))
    return forms


def _lexicon(registry: Registry) -> _Lexicon:
    cached = _LEXICON_CACHE.get(id(registry))
    if cached is not None and cached[0] is registry:
        return cached[1]
    lex = _Lexicon()
    derived_cost: dict[str, int] = {}

    def put(phrase: str, code: str) -> None:
        p = phrase.strip()
        if not p:
            return
        if len(p) <= 3 or (p.isupper() and len(p) <= 5):
            lex.cased.setdefault(p, code)
        else:
            lex.exact.setdefault(p.lower(), code)
        lex.longest = max(lex.longest, len(p.split()))

    for code, c in registry.countries.items():
        for n in [c.name, *c.names]:
            put(n, code)
            if "," in n:  # "Korea, Republic of" -> also "Korea" only when the name is unique: skip
                head = n.split(",")[0].strip()
                if head.lower() not in ("korea", "congo", "virgin islands"):
                    put(head, code)
        for d in c.demonyms:
            lex.demonyms.setdefault(d.lower(), code)
        for group in (c.demonyms, c.capitals, c.metonyms):
            for n in group:
                put(n, code)
                if n.lower().startswith("the "):
                    put(n[4:], code)
    # adjectival forms derived from names, for countries whose demonyms the registry lacks
    for code, c in registry.countries.items():
        if c.demonyms:
            continue
        for n in c.names:
            words = [w for w in re.split(r"[\s,]+", n.split(",")[0]) if w]
            core = [w for w in words if w.lower() not in _GENERIC_NAME_WORDS]
            if len(core) != 1:
                continue
            w = core[0]
            if len(words) > 1 and w.endswith(("an", "ian", "ese", "i")) and w[0].isupper():
                # "Russian Federation", "Syrian Arab Republic": the core word is the adjective
                for form, cost in ((w, 0), (w + "s", 1)):
                    if form.lower() not in lex.exact and derived_cost.get(form, 99) > cost:
                        lex.derived[form] = code
                        derived_cost[form] = cost
                continue
            for form, cost in [(w, 0), *_derive_forms(w)]:
                if form.lower() in lex.exact:
                    continue
                if derived_cost.get(form, 99) > cost:
                    lex.derived[form] = code
                    derived_cost[form] = cost
    _LEXICON_CACHE.clear()  # one registry at a time is the normal case; keep memory flat
    _LEXICON_CACHE[id(registry)] = (registry, lex)
    return lex


def _match_countries(doc: Doc, tokens: list[Token], registry: Registry) -> list[tuple[str, Token]]:
    """Country codes named by a run of tokens (names, demonyms, capitals, metonyms), in order."""
    lex = _lexicon(registry)
    out: list[tuple[str, Token]] = []
    toks = sorted(tokens, key=lambda t: t.i)
    i = 0
    while i < len(toks):
        hit: tuple[str, int] | None = None
        for n in range(min(lex.longest, len(toks) - i), 0, -1):
            run = toks[i : i + n]
            if any(run[k + 1].i != run[k].i + 1 for k in range(n - 1)):
                continue
            text = "".join(t.text_with_ws for t in run[:-1]) + run[-1].text
            if text.lower().startswith("the "):
                text = text[4:]
            code = lex.exact.get(text.lower()) or lex.cased.get(text)
            if code is None and text.endswith("'s"):
                code = lex.exact.get(text[:-2].lower()) or lex.cased.get(text[:-2])
            if code is None and n == 1 and text.endswith("s") and text[:1].isupper():
                code = lex.demonyms.get(text[:-1].lower())  # "Liberians", "Israelis"
            if code is None and n == 1:
                code = lex.derived.get(text)
                if code is None and "-" in text:  # "Russian-made", "Israeli-occupied"
                    part = text.split("-")[0]
                    code = lex.exact.get(part.lower()) or lex.derived.get(part)
            if code is not None and run[0].i > 0 and run[0].nbor(-1).lower_ == "ethnic":
                code = None  # "ethnic Albanians": a people, coded by where they live
            if code is not None:
                hit = (code, n)
                break
        if hit:
            first = toks[i]
            if first.lower_ == "the" and hit[1] > 1:
                first = toks[i + 1]
            out.append((hit[0], first))
            i += hit[1]
        else:
            i += 1
    return out


def _igo(doc: Doc, tokens: list[Token]) -> Token | None:
    words = " ".join(t.text.lower() for t in sorted(tokens, key=lambda t: t.i))
    for t in tokens:
        if t.text.lower() in _K().igo_words and (t.text.isupper() or len(t.text) > 3 or "." in t.text):
            return t
    for phrase in _K().igo_words:
        if " " in phrase and phrase in words:
            return tokens[0]
    return None


# =====================================================================================
# Small helpers over tokens
# =====================================================================================
def _known(w: str) -> bool:
    return w in _K().verb_cues or w in _K().noun_cues or w in _K().light_verbs or w in _K().governors or w in _K().cut_verbs or w in _K().undo_verbs


def _lemma(t: Token) -> str:
    lem = t.lemma_.lower() if t.lemma_ else ""
    if lem and lem != "-pron-":
        if t.pos_ == "VERB" and not _known(lem) and t.lower_ != lem:
            w = t.lower_
            for cand in (w[:-1], w[:-2], w[:-3] + "e", w[:-3], w[:-1] + "e"):
                if len(cand) > 2 and _known(cand):
                    return cand
        return lem
    w = t.lower_
    if not w.isalpha():
        return w
    for cand in (w, w[:-1], w[:-2], w[:-3], w[:-1] + "e" if w.endswith("ed") else "", w[:-3] + "e", w[:-3] + "y"):
        if cand and (cand in _K().verb_cues or cand in _K().noun_cues or cand in _K().light_verbs or cand in _K().governors or cand in _K().cut_verbs):
            return cand
    if w.endswith("ies"):
        return w[:-3] + "y"
    if w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w


def _children(t: Token, *deps: str) -> list[Token]:
    return [c for c in t.children if c.dep_ in deps]


def _child(t: Token, *deps: str) -> Token | None:
    for c in t.children:
        if c.dep_ in deps:
            return c
    return None


def _is_verbal(t: Token) -> bool:
    return t.pos_ in ("VERB", "AUX") or (not t.pos_ and t.dep_ in ("ROOT", "ccomp", "xcomp", "conj", "advcl"))


def _content(t: Token) -> Token:
    """The noun a frame noun stands for: '10 days of war games' -> games, '700 kg of medicine'
    -> medicine (and a noun itself when it frames nothing)."""
    for _ in range(3):
        if _lemma(t) not in _K().frame_nouns:
            return t
        of = next((c for c in t.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        obj = _child(of, "pobj") if of is not None else None
        if obj is None:
            return t
        t = obj
    return t


def _noun_key(t: Token) -> str:
    """An event noun's key: its lemma, or a two-word key ("hunger strike", "martial law",
    "export control", "state of emergency") when the words around it say so; for a generic
    undertaking ("mediation effort", "aid program") the key of its modifier."""
    lem = _lemma(t)
    if lem in _K().generic_event_nouns:
        for c in t.children:
            if c.dep_ in ("compound", "amod", "nmod") and _lemma(c) in _K().noun_cues:
                return _lemma(c)
    for c in t.children:
        if c.dep_ in ("compound", "amod") and c.i == t.i - 1:
            two = f"{_lemma(c)} {lem}"
            if two in _K().noun_cues or two in _K().restrictive_nouns:
                return two
            two = f"{c.lower_} {lem}"
            if two in _K().noun_cues or two in _K().restrictive_nouns:
                return two
    if lem == "state":
        of = next((c for c in t.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        if of is not None:
            obj = _child(of, "pobj")
            if obj is not None:
                three = f"state of {_lemma(obj)}"
                if three in _K().noun_cues:
                    return three
    if lem == "law" and any(c.lower_ == "martial" for c in t.children):
        return "martial law"
    if lem == "game" and any(c.lower_ == "war" for c in t.children):
        return "war game"
    return lem


def _named_parties(t: Token) -> int:
    """How many parties (countries, organizations, peoples) the modifiers before a noun name:
    two in "the ASEAN-U.S. Maritime Exercise", "US-Philippine drills"."""
    mods = [x for c in t.children if c.dep_ in ("compound", "amod", "nmod") and c.i < t.i for x in c.subtree]
    return sum(1 for x in mods if x.ent_type_ in ("GPE", "ORG", "NORP") and x.ent_iob_ == "B" or x.text in ("U.S.", "US", "ASEAN", "NATO"))


def _event_noun(t: Token) -> Cue | None:
    key = _noun_key(t)
    cue = _K().noun_cues.get(key)
    if cue is None:
        return None
    if key in ("exercise", "drill", "war game", "maneuver", "manoeuvre") and (any(
        c.lower_ in ("joint", "combined", "bilateral", "trilateral", "multilateral") for c in t.children
    ) or _named_parties(t) >= 2):
        return _c("COOPERATE", None, "062")  # "joint drills", "the ASEAN-U.S. Maritime Exercise": done together
    if key in ("aid", "assistance", "grant", "loan", "donation"):
        mods = {_lemma(c) for c in t.children if c.dep_ in ("amod", "compound")}
        if mods & {"military", "security", "defense", "defence", "arm", "weapon"}:
            return _c("AID", None, "072")
        if mods & {"humanitarian", "food", "emergency", "medical", "relief"}:
            return _c("AID", None, "073")
        if mods & {"economic", "financial", "development"}:
            return _c("AID", None, "071")
    return cue


def _joint(v: Token) -> bool:
    """Whether a clause's subject is two or more parties ("French and Egyptian warships") or
    names a partner ("with the Chilean navy"): a joint act."""
    subj = _child(v, "nsubj")
    if subj is not None:
        starts = [t for t in subj.subtree if t.ent_type_ in ("GPE", "NORP", "ORG") and t.ent_iob_ == "B"]
        if any(t.dep_ == "cc" for t in subj.subtree) and len(starts) >= 2:
            return True
    return any(c.dep_ == "prep" and c.lower_ in ("with", "alongside") for c in v.children)


def _is_sale(t: Token) -> bool:
    """'arms sales', 'a military sale of equipment', 'sales of F-16 fighter jets', 'a $1 billion
    weapons package': a sale or package that moves arms."""
    lem = _lemma(t)
    if lem not in ("sale", "package", "transfer", "purchase", "deal", "contract", "order"):
        return False
    words: set[str] = set()
    for c in t.children:
        if c.dep_ in ("compound", "amod", "nmod", "poss"):
            words.update(w.lower_ for w in c.subtree)
            words.update(_lemma(w) for w in c.subtree)
        if c.dep_ == "prep" and c.lower_ in ("of", "for"):
            for w in c.subtree:
                words.add(w.lower_)
                words.add(_lemma(w))
    if lem in ("deal", "contract", "order", "purchase") and not (words & _K().arms_words):
        return False
    return bool(words & _K().arms_words)




def _moves_sale(v: Token) -> bool:
    lem = _lemma(v)
    return lem in _K().sale_verbs or (lem in _K().light_verbs and lem not in _K().cut_verbs) or (lem in _K().verb_cues and _K().verb_cues[lem].type == "AID")


def _military_aid(t: Token) -> bool:
    """'security assistance', 'military aid', 'lethal assistance': help that arms (AID 072)."""
    return _lemma(t) in ("assistance", "aid") and any(
        c.dep_ in ("amod", "compound") and c.lower_ in ("security", "military", "defense", "defence", "lethal") for c in t.children
    )


def _sale_parties(n: Token) -> tuple[list[Token], list[Token]]:
    """Who sells and who gets what a sale noun names, as token heads: its own modifiers ("US
    arms sales"), the subject of a relative clause on it ("a sale ... that the State Department
    approved"), "by"/"from" for the seller; "to"/"for" for the recipient. For a purchase the
    possessor buys ("China's purchase of Su-35s from Russia")."""
    sellers: list[Token] = []
    buyers: list[Token] = []
    purchase = _lemma(n) in ("purchase", "order", "acquisition", "buy")
    for c in n.children:
        if c.dep_ in ("poss", "amod", "compound", "nmod") and not (c.dep_ != "poss" and _lemma(c) in _K().arms_words):
            (buyers if purchase and c.dep_ == "poss" else sellers).append(c)
        elif c.dep_ == "prep" and c.lower_ in ("by", "from") and (o := _child(c, "pobj")) is not None:
            sellers.append(o)
        elif c.dep_ == "prep" and c.lower_ == "of" and purchase:
            # "purchase of Su-35 aircraft from Russia": the seller hangs on the goods
            sellers.extend(o for t in c.subtree if t.dep_ == "prep" and t.lower_ == "from" and (o := _child(t, "pobj")) is not None)
        elif c.dep_ == "prep" and c.lower_ in ("to", "for") and (o := _child(c, "pobj")) is not None:
            buyers.append(o)
        elif c.dep_ == "relcl" and (subj := _child(c, "nsubj")) is not None and not _is_pronoun(subj) and subj.lower_ not in ("that", "which"):
            sellers.append(subj)
    for c in n.children:
        # "$1 billion in security assistance recently announced by President Biden"
        if c.dep_ == "acl" and (agent := _child(c, "agent")) is not None and (o := _child(agent, "pobj")) is not None:
            sellers.append(o)
    if not sellers:
        # "a sale of equipment for Taiwan's networks that the State Department approved": the
        # parser may hang the clause on a noun inside the phrase; a clause that approves names the seller
        for t in n.subtree:
            if t.dep_ == "relcl" and _lemma(t) in _K().sale_verbs and (subj := _child(t, "nsubj")) is not None and not _is_pronoun(subj):
                sellers.append(subj)
                break
    return sellers, buyers


def _future(v: Token) -> bool:
    """'will', 'would', 'shall' or 'going to' on the verb."""
    return any(c.dep_ == "aux" and (c.lower_ in _K().future_aux or c.lower_ == "going") for c in v.children)


def _conditional(v: Token) -> str | None:
    """'unless' or 'if' when the clause is conditioned on another ("will withdraw ... unless")."""
    for c in v.children:
        if c.dep_ == "advcl":
            mark = _child(c, "mark")
            if mark is not None and mark.lower_ in ("unless", "if"):
                return mark.lower_
    return None


def _negated(v: Token) -> bool:
    return any(c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ in _K().negation_adverbs) for c in v.children)


def _must(v: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ in _K().must_aux for c in v.children)


def _words_in(tokens: Iterable[Token]) -> set[str]:
    out: set[str] = set()
    for t in tokens:
        out.add(_lemma(t))
        out.add(t.lower_)
    return out


def _args_tokens(v: Token) -> list[Token]:
    """Tokens of a predicate's complements (objects, prepositional phrases, clauses), not its subject."""
    out: list[Token] = []
    for c in v.children:
        if c.dep_ in ("nsubj", "nsubjpass", "csubj", "punct", "aux", "auxpass", "neg", "mark", "cc"):
            continue
        if c.dep_ == "conj":
            continue
        out.extend(c.subtree)
    return out


# =====================================================================================
# The typer
# =====================================================================================
@dataclass(slots=True)
class _Hit:
    cue: Cue
    trigger: list[Token]  # the words that name the event
    pred: Token  # the clause whose subject is the source
    rule: str
    target_from: list[Token] = field(default_factory=list)  # tokens whose NPs name the target, in order
    source_from: Token | None = None  # an explicit source NP head
    nominal: Token | None = None  # the event noun, for nominal events
    notes: dict[str, str] = field(default_factory=dict)
    target_heads: list[Token] = field(default_factory=list)  # NP heads that name the target, tried first


def _refine(cue: Cue, v: Token) -> Cue:
    """Change a verb's reading by its object: 'expel diplomats' vs 'expel migrants',
    'withdraw troops' vs 'withdraw an ambassador', 'protest' by a crowd or by a government."""
    lem = _lemma(v)
    objs = [_content(o) for o in _children(v, "dobj", "nsubjpass", "attr")]
    obj_lemmas = {_lemma(o) for o in objs}
    args = _words_in(_args_tokens(v))
    subj, _passive = _subject_of(v)
    subj_words = _words_in(subj.subtree) if subj is not None else set()
    if lem == "fire":
        if objs and (any(o.ent_type_ == "PERSON" for o in objs) or obj_lemmas & {"official", "minister", "employee", "staff", "worker", "coach", "manager", "general", "chief", "director", "head"}):
            return _c("RETREAT", "resign", "0831")  # dismissed from office
        return cue
    if lem == "expel" and not obj_lemmas & {"diplomat", "ambassador", "envoy", "inspector", "observer", "monitor", "agency", "mission", "attaché", "attache", "staff"}:
        return _c("COERCE", "deport", "174") if obj_lemmas else cue
    if lem in ("withdraw", "recall"):
        if obj_lemmas & {"troop", "force", "soldier", "army", "unit", "tank"} or (lem == "withdraw" and not obj_lemmas):
            return _c("RETREAT", "withdraw")
        return _c("SANCTION", "withdraw", "161")
    if lem == "protest" or lem == "strike":
        if subj_words & _K().crowd_nouns or "hunger" in args:
            if "hunger" in args or "hunger" in subj_words:
                return _c("PROTEST", "hunger")
            return _c("PROTEST", "demo") if lem == "protest" else _c("PROTEST", "strike")
        return cue if lem == "protest" else _c("ASSAULT")
    if lem in ("mobilize", "mobilise") and objs and not obj_lemmas & {"troop", "force", "army", "soldier", "reservist", "unit", "police", "militia", "reserve", "military", "division", "brigade", "fighter"}:
        return _c("SUPPORT", None, "053")  # rallying support, not forces
    if lem == "violate" and args & {"ceasefire", "cease-fire", "truce"}:
        return _c("ASSAULT", None, "196")
    if lem == "ban" and obj_lemmas & {"export", "import", "trade", "flight", "sale", "shipment"}:
        return _c("SANCTION", "discontinue", "163")
    if lem in ("deny",) and obj_lemmas & {"entry", "visa"}:
        return _c("SANCTION", "discontinue")
    if lem == "prohibit" and not obj_lemmas & set(_K().cooperative_nouns):
        return _c("COERCE", "restrict")
    if lem in ("accept",) and obj_lemmas & {"demand", "request", "condition", "term"}:
        return _c("CONCEDE", None, "083")
    if lem == "share" and not obj_lemmas & {"information", "intelligence", "evidence", "expertise", "data", "technology", "experience", "knowledge"}:
        return _c("COOPERATE")
    if lem in ("seize", "capture") and obj_lemmas & {"territory", "village", "town", "city", "stronghold", "area", "base", "position", "island", "region"}:
        return _c("ASSAULT", None, "190") if lem == "capture" else _c("COERCE", "seize", "192")
    if lem == "capture" and not obj_lemmas & {"territory", "village", "town", "city", "stronghold", "area", "base", "position"}:
        return _c("COERCE", "seize") if obj_lemmas else cue
    if lem == "sell" and not (args & _K().arms_words):
        return _c("AID", None, "070")
    if lem == "force" and not obj_lemmas & {"diplomat", "ambassador", "envoy", "inspector", "observer", "monitor", "agency", "mission", "staff"}:
        return _c("COERCE", "deport", "174")
    if lem == "abuse" and "sexually" in _words_in(v.children):
        return _c("ASSAULT", "sexual", "1821")
    if cue.type == "COERCE" and cue.mode in ("restrict", None):
        for o in obj_lemmas:
            if o in _K().modes.get("COERCE", {}):
                m, code = _K().modes["COERCE"][o]
                return _c("COERCE", m, code)
    if lem == "welcome" and objs and any(o.ent_type_ == "PERSON" for o in objs):
        return _c("CONSULT", "visit", "043")
    if lem in ("support",) and obj_lemmas & {"effort", "bid", "right", "candidacy"}:
        return _c("SUPPORT", None, "051")
    return cue


def _with_mode(cue: Cue, words: set[str]) -> Cue:
    """Fill the mode of REQUEST, REJECT, THREATEN, ASSAULT, MOBILIZE from the words of the event."""
    if cue.mode is not None:
        return cue
    if cue.type in ("REQUEST", "REJECT"):
        for w, (m, _code) in _K().modes.get(cue.type, {}).items():
            if w in words:
                return Cue(cue.type, m, cue.cameo)
        return cue
    if cue.type == "THREATEN":
        for w, (m, code) in _K().modes.get("THREATEN", {}).items():
            if w in words:
                return Cue(cue.type, m, cue.cameo or code)
        return cue
    if cue.type == "ASSAULT":
        for w, (m, code) in _K().modes.get("ASSAULT", {}).items():
            if w in words:
                return Cue(cue.type, m, cue.cameo if cue.cameo in ("196", "202") else code)
        return cue
    if cue.type == "MOBILIZE":
        for w, (m, _code) in _K().modes.get("MOBILIZE", {}).items():
            if w in words:
                return Cue(cue.type, m, cue.cameo)
        return cue
    return cue


def _as_future(cue: Cue) -> Cue:
    """A promised event: cooperation in the future tense is AGREE (PLOVER); conflict is a threat."""
    t = cue.type
    if t in COOPERATIVE_TYPES and t != "AGREE":
        code = {"AID": "033", "COOPERATE": "031", "SUPPORT": "032", "CONSULT": "036", "RETREAT": "035", "CONCEDE": "035"}.get(t, "030")
        if t == "AID" and cue.cameo == "072":
            code = "0332"
        return _c("AGREE", None, code)
    if t == "SANCTION":
        return _c("THREATEN", "relations" if cue.mode in ("withdraw", "expel") else "restrict",
                  "1313" if cue.mode in ("withdraw", "expel") else "1312")
    if t == "COERCE":
        m = {"arrest": "arrest", "deport": "expel", "seize": "territory"}.get(cue.mode or "", "restrict")
        return _c("THREATEN", m, _K().threat_cameo.get(m, "130"))
    if t in ("ASSAULT", "MOBILIZE"):
        return _c("THREATEN", "violence", "138")
    if t == "PROTEST":
        return _c("THREATEN", "restrict", "133")
    return cue


def _type_verb(v: Token, depth: int = 0) -> _Hit | None:
    """The event a verb (with its objects and complements) names, or None."""
    if depth > 4:
        return None
    lem = _lemma(v)
    # a nominal predicate: "X was a violation", rare in leads; skip.
    hit = _plain(v)
    gov = _K().governors.get(lem)
    comp = _child(v, "xcomp")
    if comp is None and gov and gov != "aspect" and hit is None:
        # "have sworn to fight": an infinitive the parser hung as an adverbial clause
        comp = next((c for c in v.children if c.dep_ == "advcl" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children) and c.i > v.i), None)
    if comp is None and lem in ("be",):
        # "X is willing/ready/prepared to ...": the adjective governs the infinitive
        adj = _child(v, "acomp")
        if adj is not None and adj.lower_ in _K().future_adjectives:
            inner_v = _child(adj, "xcomp")
            if inner_v is not None:
                inner = _type_verb(inner_v, depth + 1)
                if inner is not None:
                    inner.cue = _as_future(inner.cue) if not _negated(v) else _c("REJECT", inner.cue.mode if inner.cue.type == "REJECT" else None)
                    inner.pred = v
                    inner.rule = "future_adjective"
                    return inner
        if adj is not None and adj.lower_ in ("committed", "opposed"):
            inner_t = _child(adj, "prep")
            cue = _c("AGREE") if adj.lower_ == "committed" else _c("REJECT")
            return _Hit(cue, [adj], v, "adjective", target_from=list(inner_t.subtree) if inner_t is not None else [])
    if gov and comp is not None and comp.dep_ in ("xcomp", "advcl"):
        inner = _type_verb(comp, depth + 1)
        words = _words_in(comp.subtree)
        if _negated(v) and gov not in ("future",):
            if gov == "agree" and _future(v):
                # "will not agree to meet": a refusal of what was asked
                return _Hit(_with_mode(_c("REJECT"), words), [v], v, "agree_to+negated",
                            target_from=(inner.target_from if inner else _args_tokens(comp)))
            return None  # "did not agree to sell", "did not refuse to", "did not continue to": no event
        if gov == "agree":
            if inner is not None and inner.cue.type in CONFLICT_TYPES and lem in ("promise", "pledge"):
                inner.cue = _as_future(inner.cue)
                inner.pred, inner.rule = v, "promise_conflict"
                return inner
            return _Hit(_c("AGREE", None, _as_future(inner.cue).cameo if inner else "030"), [v], v, "agree_to",
                        target_from=(inner.target_from if inner else _args_tokens(comp)))
        if gov == "vow":
            if inner is not None and inner.cue.type in CONFLICT_TYPES:
                return _Hit(_as_future(inner.cue), [v, *inner.trigger], v, "vow_conflict", target_from=inner.target_from)
            return _Hit(_c("AGREE"), [v], v, "vow", target_from=inner.target_from if inner else _args_tokens(comp))
        if gov == "reject":
            mode = _with_mode(_c("REJECT"), words).mode
            return _Hit(_c("REJECT", mode), [v], v, "refuse_to", target_from=(inner.target_from if inner else _args_tokens(comp)))
        if gov == "threaten":
            cue = _with_mode(_c("THREATEN"), words)
            if cue.mode is None and inner is not None:
                fut = _as_future(inner.cue)
                if fut.type == "THREATEN":
                    cue = fut
            return _Hit(cue, [v], v, "threaten_to", target_from=(inner.target_from if inner else _args_tokens(comp)))
        if gov == "request":
            mode = _with_mode(_c("REQUEST"), words).mode
            asked = [t for c in v.children if c.dep_ in ("dobj", "dative") or (c.dep_ == "prep" and c.lower_ in ("on", "upon")) for t in c.subtree]
            return _Hit(_c("REQUEST", mode), [v], v, "ask_to", target_from=asked + _targets_of(v) + (inner.target_from if inner else []))
        if gov == "future" and inner is not None and lem == "prepare" and inner.cue.type in ("ASSAULT", "MOBILIZE"):
            # "the army prepared to resume shelling": readiness for force is a show of force
            words_p = _words_in(comp.subtree)
            mode = "weapons" if words_p & {"shell", "shelling", "missile", "artillery", "rocket", "bomb", "strike"} else "troops"
            return _Hit(_c("MOBILIZE", mode), [v, *inner.trigger], v, "prepare_force", target_from=inner.target_from)
        if gov == "future" and inner is not None:
            inner.cue = _as_future(inner.cue) if not _negated(v) else _c("REJECT")
            inner.pred, inner.rule = v, "plan_to"
            return inner
        if gov == "aspect" and inner is not None:
            inner.pred = v
            return inner
        if gov == "accuse":
            return hit
    if hit is None and gov in ("aspect",) and comp is None:
        # "riots are continuing": the subject is the event
        subj = _child(v, "nsubj")
        ncue = _event_noun(subj) if subj is not None else None
        if subj is not None and ncue is not None:
            return _Hit(ncue, [subj], v, "nominal_subject", nominal=subj, target_from=_noun_targets(subj))
    if hit is None and lem in _K().aspect_verbs:
        subj = _child(v, "nsubj")
        ncue = _event_noun(subj) if subj is not None else None
        if subj is not None and ncue is not None:
            return _Hit(ncue, [subj], v, "nominal_subject", nominal=subj, target_from=_noun_targets(subj))
    if hit is None and gov in ("request",):
        # "demanded that the US cancel ...", "called for sanctions"
        ccomp = _child(v, "ccomp")
        if ccomp is not None:
            words = _words_in(ccomp.subtree)
            subj = _child(ccomp, "nsubj", "nsubjpass")
            return _Hit(_with_mode(_c("REQUEST"), words), [v], v, "demand_that", target_from=list(subj.subtree) if subj is not None else [])
    if hit is None:
        return None
    # modality and negation of the clause itself
    if _negated(v):
        if _future(v) and (hit.cue.type in COOPERATIVE_TYPES or hit.cue.type == "REQUEST"):
            # "will not provide aid", "won't meet": a refusal (PLOVER REJECT: all rejections and refusals)
            hit.cue = _with_mode(_c("REJECT"), _words_in(v.subtree))
            hit.rule += "+negated"
        else:
            # "did not agree", "has not provided aid", "never sanctioned": told as not having
            # happened, it is no event (PLOVER codes what was done or said, not what was not)
            return None
    elif (_future(v) or _modal(v)) and _conditional(v) and (
        _conditional(v) == "unless" or hit.cue.type in CONFLICT_TYPES or hit.cue.type == "RETREAT"
    ) and hit.cue.type not in ("REQUEST", "ACCUSE", "THREATEN", "AGREE"):
        # "will withdraw its force unless ...", "may halt mediation if ...": a conditional threat
        fut = _as_future(hit.cue)
        hit.cue = fut if fut.type == "THREATEN" else _with_mode(_c("THREATEN"), _words_in(v.subtree))
        if hit.cue.mode is None and hit.cue.type == "THREATEN" and fut.type != "THREATEN":
            hit.cue = _c("THREATEN", "relations", "1313") if _lemma(v) in ("withdraw", "halt", "suspend", "end", "cut", "stop") else hit.cue
        hit.rule += "+conditional"
    elif _future(v) and hit.cue.type not in ("REJECT", "REQUEST", "ACCUSE", "THREATEN", "AGREE"):
        hit.cue = _as_future(hit.cue)
        hit.rule += "+future"
    return hit


# =====================================================================================
# Frames: is the event asserted, or denied, demanded, threatened, alleged, planned?
# =====================================================================================


def frame_of(v: Token) -> tuple[str | None, str | None]:
    """What the clause of predicate ``v`` does with its event, reading the auxiliaries and the
    verbs that govern it: ``negated`` ("does not sell", "refused to sell"), ``demanded`` ("must
    lift", "should stop", "urged X to", "urged X not to": a demand stays in the statement),
    ``threatened``, ``alleged`` ("accused X of selling"), ``halted`` ("stopped arming"),
    ``future`` ("will sell"), ``planned`` ("plans to sell", "is set to"), ``hypothetical``
    ("could sell", "if X sells"), or None when it is asserted as done or going on. The second
    value names the words that decided it."""
    cur = v
    halted = False
    for _ in range(6):
        auxes = [c for c in cur.children if c.dep_ in ("aux", "auxpass", "neg") or (c.dep_ == "advmod" and c.lower_ in _K().negation_adverbs)]
        for c in auxes:
            low = c.lower_
            if c.dep_ == "neg" or low in _K().negation_adverbs:
                gov = _K().frames.get(_lemma(cur.head)) if cur.dep_ == "xcomp" and cur.head.i != cur.i else None
                if gov in ("demanded", "threatened"):
                    return (gov, f"{cur.head.text} ... {low} {cur.text}")  # "urged X not to ...": a demand
                return ("negated", f"{low} {cur.text}")
            if low in _K().demand_aux:
                return ("demanded", f"{low} {cur.text}")
        for c in auxes:
            low = c.lower_
            if low in _K().future_aux or low == "going":
                return ("halted_future" if halted else "future", f"{low} {cur.text}")
            if low in _K().hypothetical_aux:
                return ("hypothetical", f"{low} {cur.text}")
        mark = _child(cur, "mark")
        if cur.dep_ == "advcl" and mark is not None and mark.lower_ in ("if", "unless"):
            return ("hypothetical", f"{mark.lower_} ... {cur.text}")
        head = cur.head
        if head.i == cur.i:
            break
        if cur.dep_ == "xcomp" and _negated(head) and not _future(head):
            # "did not agree to sell", "has not begun to withdraw": the governing verb is denied
            neg = next(c.lower_ for c in head.children if c.dep_ == "neg" or c.lower_ in _K().negation_adverbs)
            return ("negated", f"{neg} {head.text} ... {cur.text}")
        if cur.dep_ in ("xcomp", "advcl") and (gov := _K().frames.get(_lemma(head))) is not None and (
            cur.dep_ == "xcomp" or any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children)
        ):
            if gov == "halted":
                halted = True
                cur = head
                continue
            return (gov, f"{head.text} ... {cur.text}")
        if cur.dep_ == "acomp" or (cur.dep_ == "xcomp" and head.lower_ in _K().future_adjectives):
            return ("planned", f"{head.text} {cur.text}")
        if cur.dep_ == "pcomp" and head.lower_ == "to" and (
            head.head.lower_ == "forward" or any(c.lower_ == "forward" for c in head.head.children)
        ):
            return ("planned", f"looks forward to {cur.text}")  # "I look forward to visiting Jakarta"
        if cur.dep_ == "pcomp" and head.dep_ == "prep" and (gov := _K().frames.get(_lemma(head.head))) in ("alleged", "negated", "demanded"):
            return (gov, f"{head.head.text} {head.text} {cur.text}")
        if cur.dep_ == "pcomp" and head.lower_ in ("of", "on", "about", "for") and head.head.pos_ in ("NOUN", "PROPN"):
            # "the issue of concluding a peace treaty", "talks on holding a summit": named, not told as done
            return ("mentioned", f"{head.head.text} {head.text} {cur.text}")
        if cur.dep_ == "ccomp" and _lemma(head) in _K().frames and _K().frames[_lemma(head)] in ("demanded",):
            return ("demanded", f"{head.text} that ... {cur.text}")
        if cur.dep_ == "ccomp" and _lemma(head) in _K().denial_verbs:
            return ("negated", f"{head.text} that ... {cur.text}")  # "denied that it sold arms"
        if cur.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in cur.children):
            cur = head  # "should stop arming Taiwan and support ...": the conjunct shares the frame
            continue
        if cur.dep_ in ("xcomp",) and _K().governors.get(_lemma(head)) == "aspect":
            cur = head  # "began to", "continued to": the frame of the governing verb
            continue
        break
    return ("halted", f"stopped ... {v.text}") if halted else (None, None)


def _halt(cue: Cue) -> Cue | None:
    """An event someone stops: stopping help or ties is a SANCTION (CAMEO 162: reduce or stop
    aid; 1622 military aid); stopping force is a RETREAT; other events have no opposite."""
    if cue.type == "AID":
        return _c("SANCTION", "discontinue", "1622" if cue.cameo == "072" else "162")
    if cue.type in ("COOPERATE", "CONSULT"):
        return _c("SANCTION", "withdraw" if cue.type == "CONSULT" else "discontinue", "164" if cue.type == "CONSULT" else "160")
    if cue.type in ("ASSAULT", "MOBILIZE"):
        return _c("RETREAT", "ceasefire" if cue.type == "ASSAULT" else "withdraw")
    if cue.type in ("COERCE", "SANCTION"):
        return _c("CONCEDE", None, "081") if cue.type == "COERCE" else _c("RETREAT", None, "085")
    return None


def _modal(v: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ in ("may", "might", "could", "can") for c in v.children)


def _noun_targets(n: Token) -> list[Token]:
    out: list[Token] = []
    for c in n.children:
        if c.dep_ == "prep" and c.lower_ in ("on", "against", "to", "with", "toward", "towards", "into", "over", "for", "of", "between", "among", "in", "at", "near", "around", "through"):
            out.extend(c.subtree)
    return out


def _ccomp_subject(v: Token) -> list[Token]:
    """The subject of a verb's complement clause: who is asked in "demanded that X do Y"."""
    comp = _child(v, "ccomp")
    if comp is None:
        return []
    subj = _child(comp, "nsubj", "nsubjpass")
    return list(subj.subtree) if subj is not None else []


def _is_gerund(t: Token) -> bool:
    return t.tag_ == "VBG" or (t.pos_ == "VERB" and t.lower_.endswith("ing"))


def _plain(v: Token) -> _Hit | None:
    """A verb's own reading: phrasal verb, light verb with an event noun, cut/undo verb with
    its object, or the verb table."""
    lem = _lemma(v)
    prt = _child(v, "prt")
    cue: Cue | None
    direct = _children(v, "dobj", "nsubjpass")
    pairs = [(o, _content(o)) for o in direct]  # (the object, the noun it stands for)
    if lem in ("be", "have"):
        return None
    if prt is not None and (lem, prt.lower_) in _K().phrase_cues:
        cue = _K().phrase_cues[(lem, prt.lower_)]
        if (lem, prt.lower_) == ("hand", "over") and pairs and (_lemma(pairs[0][1]) in _K().aid_objects or _lemma(pairs[0][0]) in _K().aid_objects):
            cue = _c("AID")
        if lem == "force":
            cue = _refine(cue, v)
        return _Hit(_with_mode(cue, _words_in(_args_tokens(v))), [v, prt], v, "phrasal_verb", target_from=_targets_of(v))
    for o, n in pairs:
        pair = (lem, _lemma(n))
        if pair in _K().phrase_cues:
            return _Hit(_K().phrase_cues[pair], [v, n], v, "verb_object", target_from=_targets_of(v, skip=o) + _noun_targets(n))
    for c in v.children:
        if c.dep_ == "prep" and (lem, c.lower_) in _K().phrase_cues:
            cue = _K().phrase_cues[(lem, c.lower_)]
            if lem == "force":
                cue = _refine(cue, v)
            return _Hit(cue, [v, c], v, "verb_prep", target_from=_targets_of(v, skip=c) + list(c.subtree))
    # "remained on alert", "went on strike", "engaged in ethnic cleansing", "resorted to force"
    for c in v.children:
        if c.dep_ == "prep" and (c.lower_ == "on" and lem in ("remain", "be", "go", "put", "place", "stay", "keep")
                                 or c.lower_ == "in" and lem in ("engage", "participate", "involve", "join")
                                 or c.lower_ == "to" and lem in ("resort",)):
            obj = _child(c, "pobj")
            cue = _event_noun(obj) if obj is not None else None
            if obj is not None and cue is not None and cue.type not in ("CONSULT", "AGREE", "SUPPORT", "REQUEST"):
                return _Hit(_with_mode(cue, _words_in(obj.subtree)), [v, obj], v, "prep_event", target_from=_targets_of(v, skip=c) + _noun_targets(obj), nominal=obj)
    # "was put under investigation", "placed under arrest", "came under attack"
    for c in v.children:
        if c.dep_ == "prep" and c.lower_ == "under":
            obj = _child(c, "pobj")
            cue = _event_noun(obj) if obj is not None else None
            if obj is not None and cue is not None and cue.type in ("ACCUSE", "COERCE", "ASSAULT", "SANCTION"):
                patient = _child(v, "nsubjpass", "dobj")
                return _Hit(cue, [v, obj], v, "under_event", target_from=list(patient.subtree) if patient is not None else [],
                            source_from=None, nominal=obj)
    # an event noun as object of a light, cut or undo verb
    for o, n in pairs:
        key = _noun_key(n)
        tf = _targets_of(v, skip=o) + _noun_targets(n)
        if lem in _K().undo_verbs and key in _K().restrictive_nouns:
            return _Hit(_K().restrictive_nouns[key], [v, n], v, "lift_restriction", target_from=tf)
        if lem in _K().cut_verbs:
            if key in _K().protest_nouns:
                return _Hit(_c("CONCEDE"), [v, n], v, "call_off_protest", target_from=tf)
            coop = _K().cooperative_nouns.get(key)
            if coop is None:
                # "suspended part of a military aid program", "ended mediation efforts"
                for c in n.subtree:
                    if _lemma(c) in _K().cooperative_nouns and c.dep_ in ("pobj", "compound", "dobj", "nmod"):
                        coop = _K().cooperative_nouns[_lemma(c)]
                        break
            if coop is not None and not (lem == "withdraw" and key in ("troop", "force", "soldier")):
                code = "164" if key in ("talk", "negotiation") else "165" if key == "mediation" else None
                if coop == "discontinue" and _words_in(n.subtree) & {"military", "arm", "weapon"}:
                    code = "1622"
                return _Hit(_c("SANCTION", coop, code), [v, n], v, "cut_ties", target_from=tf)
        if _is_sale(n) and _moves_sale(v):
            return _Hit(_c("AID", None, "072"), [v, n], v, "arms_sale", target_from=tf, nominal=n)
        if lem in _K().light_verbs:
            cue = _event_noun(n)
            if cue is not None and cue.type == "MOBILIZE" and _noun_key(n) in ("exercise", "drill", "war game", "maneuver", "manoeuvre") and _joint(v):
                cue = _c("COOPERATE", None, "062")
            if cue is not None:
                if key == "protest" and lem in ("stage", "hold", "organize", "organise", "lead", "launch", "begin", "start", "continue"):
                    cue = _c("PROTEST", "demo")
                if cue.type in COOPERATIVE_TYPES and lem in ("offer", "promise", "pledge"):
                    cue = _as_future(cue)
                if cue.type == "REQUEST":
                    tf = _ccomp_subject(v) + _ccomp_subject(n) + tf
                words = _words_in(n.subtree) | _words_in(_args_tokens(v))
                if cue.type == "PROTEST" and cue.mode == "strike" and "hunger" in words:
                    cue = _c("PROTEST", "hunger")
                return _Hit(_with_mode(cue, words), [v, n], v, "light_verb", target_from=tf, nominal=n)
    # "announced a suspension of air links": a nominalized cut
    for o, n in pairs:
        if _lemma(n) in ("suspension", "cancellation", "halt", "cutoff", "freeze", "severance", "termination", "reduction"):
            for c in n.subtree:
                if _lemma(c) in _K().cooperative_nouns:
                    return _Hit(_c("SANCTION", _K().cooperative_nouns[_lemma(c)]), [v, n], v, "cut_ties_noun",
                                target_from=_targets_of(v, skip=o) + _noun_targets(n) + list(c.subtree))
    if lem in _K().denial_verbs and (_child(v, "ccomp", "xcomp", "pcomp") is not None or any(_is_gerund(o) for o, _ in pairs)):
        # "denied supplying arms", "denied that it sold arms": denying an act is neither a
        # refusal nor the act (the denied event is negated: frame_of); "denied entry" is a sanction
        return None
    cue = _K().verb_cues.get(lem)
    if cue is None:
        objs = [n for _, n in pairs]
        obj_lem = _lemma(objs[0]) if objs else ""
        if lem in ("send", "dispatch", "despatch") and obj_lem in ("inspector", "investigator", "monitor", "observer", "expert", "personnel", "team", "mission"):
            inner = _child(v, "advcl", "xcomp")
            if obj_lem in ("inspector", "investigator") or (inner is not None and _lemma(inner) in ("investigate", "inspect", "probe", "monitor", "examine", "verify", "assess")):
                return _Hit(_c("ACCUSE", "investigate", "090"), [v, objs[0]], v, "send_inspectors", target_from=_targets_of(v, skip=direct[0]))
        # "send arms to", "provide intelligence to", "give aid": a transfer of help
        if lem in ("send", "provide", "give", "grant", "hand", "ship", "contribute", "offer", "deliver", "supply", "dispatch") and objs and (
            obj_lem in _K().aid_objects or _words_in(objs[0].subtree) & {"aid", "assistance", "arm", "weapon", "dollar", "food", "medicine"}
        ):
            code = "072" if _words_in(objs[0].subtree) & _K().arms_words else None
            cue = _c("AID", None, code)
            if lem == "offer":
                cue = _as_future(cue)
            return _Hit(cue, [v], v, "transfer", target_from=_targets_of(v, skip=direct[0]))
        if lem in ("open", "reopen") and obj_lem in ("border", "bridge", "corridor", "crossing", "airspace", "port"):
            return _Hit(_c("RETREAT", "access"), [v, objs[0]], v, "open_access", target_from=_targets_of(v, skip=direct[0]))
        if lem in ("receive", "admit") and obj_lem in ("observer", "inspector", "peacekeeper", "monitor", "mission"):
            return _Hit(_c("RETREAT", "access"), [v, objs[0]], v, "receive_observers", target_from=list(objs[0].subtree))
        if lem in ("close", "seal", "shut") and obj_lem in ("border", "crossing", "airspace", "port", "embassy", "consulate"):
            return _Hit(_c("COERCE", "restrict", "191"), [v, objs[0]], v, "close_border", target_from=_targets_of(v, skip=direct[0]) + _noun_targets(objs[0]))
        for c in v.children:
            if lem in ("return", "travel", "go", "come", "head", "arrive", "gather", "convene") and c.dep_ == "prep" and c.lower_ == "for":
                obj = _child(c, "pobj")
                ncue = _event_noun(obj) if obj is not None else None
                if obj is not None and ncue is not None and ncue.type == "CONSULT":
                    return _Hit(ncue, [v, obj], v, "travel_for_talks", target_from=_noun_targets(obj), nominal=obj)
        if lem in ("arrive", "travel", "fly", "go", "come") and prt is None and any(c.dep_ == "prep" and c.lower_ in ("in", "to", "at") for c in v.children):
            subj = _child(v, "nsubj")
            if subj is not None and (subj.ent_type_ in ("PERSON", "NORP", "GPE", "ORG") or _lemma(subj) in _K().visitor_nouns):
                return _Hit(_c("CONSULT", "visit", "042"), [v], v, "arrive_in",
                            target_from=[t for c in v.children if c.dep_ == "prep" and c.lower_ in ("in", "to", "at") for t in c.subtree])
        return None
    cue = _refine(cue, v)
    words = _words_in(_args_tokens(v)) | _words_in([v])
    subj = _child(v, "nsubj", "agent")
    if subj is not None:
        words |= _words_in(subj.subtree)
    tf = _targets_of(v)
    if cue.type == "REQUEST":
        tf = _ccomp_subject(v) + tf
    hit = _Hit(_with_mode(cue, words), [v], v, "verb", target_from=tf)
    if cue.type in ("ACCUSE", "REJECT", "PROTEST"):
        # "criticized a $300 million sale ... that the State Department approved": the seller is criticized
        hit.target_heads = [s for _, n in pairs if _is_sale(n) for s in _sale_parties(n)[0]]
    return hit





_TARGET_PREPS = ("to", "with", "against", "on", "upon", "into", "toward", "towards", "from", "at", "over", "for", "of", "between", "among", "near", "around", "through", "in")
_ACCUSE_PREPS = ("against", "about", "over", "of", "at", "on", "for", "to", "with", "in")


def _targets_of(v: Token, skip: Token | None = None) -> list[Token]:
    """Tokens that may name a predicate's target, best first: objects, then prepositional
    objects (to/with/against/on ... then in)."""
    out: list[Token] = []
    for c in v.children:
        if skip is not None and c.i == skip.i:
            continue
        if c.dep_ in ("dobj", "dative", "iobj", "nsubjpass", "attr", "oprd"):
            out.extend(t for t in c.subtree if not (t.dep_ == "relcl" or t.head.dep_ == "relcl"))
    if skip is not None:
        out.extend(_noun_targets(skip))
    order = _ACCUSE_PREPS if _lemma(v) in ("complain", "protest", "object", "criticize", "criticise", "condemn") else _TARGET_PREPS
    preps = sorted((c for c in v.children if c.dep_ in ("prep", "agent") and c.lower_ in order), key=lambda c: order.index(c.lower_))
    for p in preps:
        out.extend(p.subtree)
    return out


# =====================================================================================
# Actors
# =====================================================================================
_CORE_DEPS = frozenset({"compound", "amod", "poss", "nmod", "det", "nummod", "quantmod", "case", "npadvmod", "punct"})


def _np_core(head: Token) -> list[Token]:
    """The head noun and its pre-modifiers (compound, adjectives, possessive), not its
    prepositional phrases or clauses."""
    out = [head]
    for c in head.children:
        if c.dep_ in _CORE_DEPS or (c.dep_ == "conj" and c.head.dep_ in ("amod", "compound")):
            out.extend(c.subtree)
    for c in list(out):
        if c is not head and c.dep_ in ("amod", "compound"):
            for cc in c.children:
                if cc.dep_ == "conj":
                    out.extend(cc.subtree)
    return out


@dataclass(frozen=True, slots=True)
class _Party:
    value: str  # actor id or country code
    country: str | None
    token: Token


def _resolve_np(head: Token, registry: Registry, actors: ActorIndex, depth: int = 0) -> list[_Party]:
    """Who a noun phrase names: actors of the ActorIndex in its core, and countries named in
    the core (names, demonyms, capitals, metonyms) that no actor covers; then its conjuncts;
    then, if nothing yet, its appositions and of/from/in phrases."""
    if depth > 3:
        return []
    doc = head.doc
    core = sorted(_np_core(head), key=lambda t: t.i)
    out: list[_Party] = []
    start, end = core[0].idx, core[-1].idx + len(core[-1].text)
    covered: set[int] = set()
    mentions = [m for m in actors.overlapping(start, end) if m.start >= start - 1 or m.end >= head.idx + len(head.text)]
    for m in mentions:
        toks = [t for t in core if t.idx < m.end and t.idx + len(t.text) > m.start]
        if not toks:
            continue
        a = actors.get(m.actor_id)
        country = a.country if a else None
        if country is None:
            if _igo(doc, toks) is not None or (a is not None and _igo_name(a.name)):
                country = "IGO"
            else:
                continue  # an actor of unknown country: let the words of the phrase speak
        covered.update(t.i for t in toks)
        out.append(_Party(m.actor_id, country, toks[-1]))
    if not out and _is_pronoun(head) and len(core) == 1:
        return []
    rest = [t for t in core if t.i not in covered]
    if rest:
        igo = _igo(doc, rest)
        found = [_Party(code, code, tok) for code, tok in _match_countries(doc, rest, registry)]
        if igo is not None and not out and (not found or igo.i <= found[0].token.i or head.lower_ in _K().igo_words):
            found.insert(0, _Party("IGO", "IGO", igo))
        out.extend(found)
    out.sort(key=lambda p: p.token.i)
    # a party named by the head wins over modifiers naming others ("NATO-member Norway")
    if len(out) > 1 and any(p.token.i == head.i for p in out):
        out = [p for p in out if p.token.i == head.i] + [p for p in out if p.token.i != head.i]
    # "China's Taiwan region": the nearer modifier names the thing
    if len(out) > 1 and any(p.token.dep_ == "poss" for p in out) and any(p.token.dep_ in ("compound", "amod") or p.token.i == head.i for p in out):
        out = [p for p in out if p.token.dep_ != "poss"]
    for c in head.children:
        if c.dep_ == "conj":
            out.extend(_resolve_np(c, registry, actors, depth + 1))
    if not out:
        for c in head.children:
            if c.dep_ == "appos":
                out.extend(_resolve_np(c, registry, actors, depth + 1))
    if not out:
        for c in head.children:
            if c.dep_ == "prep" and c.lower_ in ("of", "from", "in", "for", "throughout", "across", "inside"):
                obj = _child(c, "pobj")
                if obj is not None:
                    out.extend(_resolve_np(obj, registry, actors, depth + 1))
                    if out:
                        break
    if not out:
        # "workers affiliated with the Serbian union", "a group based in Trinidad"
        for c in head.children:
            if c.dep_ == "acl" and _lemma(c) in ("affiliate", "base", "link", "belong", "loyal", "attach", "tie", "back", "station"):
                for prep in _children(c, "prep"):
                    obj = _child(prep, "pobj")
                    if obj is not None:
                        out.extend(_resolve_np(obj, registry, actors, depth + 1))
                if out:
                    break
    seen: set[str] = set()
    actor_countries = {p.country for p in out if p.value != p.country}
    uniq = []
    for p in out:
        if p.value in seen or (p.value == p.country and p.country in actor_countries):
            continue  # "French President Jacques Chirac": the person, not also France
        seen.add(p.value)
        uniq.append(p)
    return uniq


def _igo_name(name: str) -> bool:
    low = name.lower()
    return low in _K().igo_words or low.removeprefix("the ") in _K().igo_words


def _subject_of(v: Token) -> tuple[Token | None, bool]:
    """The subject head of a predicate (climbing conjoined and infinitive verbs), and whether
    it is the agent of a passive."""
    cur: Token | None = v
    for _ in range(12):
        if cur is None:
            break
        agent = _child(cur, "agent")
        if agent is not None:
            obj = _child(agent, "pobj")
            if obj is not None:
                return obj, True
        if _child(cur, "nsubjpass") is not None:
            return None, True
        subj = _child(cur, "nsubj", "csubj", "expl")
        if subj is not None:
            return subj, False
        if cur.dep_ in ("conj", "xcomp", "advcl", "acomp") and cur.head.i != cur.i:
            cur = cur.head
            continue
        if cur.dep_ in ("acl", "appos") and cur.tag_ == "VBG" and cur.head.i != cur.i:
            # "decided on the following measures: canceling the talks ...": whoever decided
            noun = cur.head
            gov = noun.head.head if noun.dep_ == "pobj" and noun.head.head.i != noun.head.i else noun.head if noun.dep_ in ("dobj", "attr") else None
            if gov is not None and gov.i != noun.i and _is_verbal(gov):
                cur = gov
                continue
            break
        if cur.dep_ == "relcl":
            if any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children) and cur.head.head.i != cur.head.i:
                # "explore options to expedite sales": the subject of the verb the noun hangs on
                cur = cur.head.head
                continue
            return cur.head, False
        break
    return None, False


def _reporter_of(v: Token) -> Token | None:
    """The subject of the reporting verb whose complement holds ``v``."""
    cur = v
    for _ in range(6):
        if cur.dep_ in ("ccomp", "xcomp", "conj", "advcl") and cur.head.i != cur.i:
            cur = cur.head
            if _lemma(cur) in _K().reporting_verbs or _lemma(cur) in _K().governors:
                s = _child(cur, "nsubj")
                if s is not None and not _is_pronoun(s):
                    return s
            continue
        break
    return None


def _sources(hit: _Hit, registry: Registry, actors: ActorIndex) -> tuple[list[_Party], str | None]:
    if hit.source_from is not None:
        return _resolve_np(hit.source_from, registry, actors), None
    subj, passive = _subject_of(hit.pred)
    if subj is None and hit.nominal is not None:
        # "US arms sales to Taiwan": the noun's own modifiers name the source (of a sale, the seller)
        own = [c for c in hit.nominal.children if c.dep_ in ("poss", "amod", "compound", "nmod")]
        # "the recent missile launches by the DPRK": the agent of a nominal event
        own += [o for c in hit.nominal.children if c.dep_ == "prep" and c.lower_ == "by" and (o := _child(c, "pobj")) is not None]
        if _is_sale(hit.nominal) or _military_aid(hit.nominal):
            own = _sale_parties(hit.nominal)[0]
        parties: list[_Party] = []
        for c in own:
            parties.extend(_resolve_np(c, registry, actors))
        if parties:
            return parties, None
        # "warships pressed on with large-scale drills", "conducted drills": who carries it out
        n = hit.nominal
        gov = n.head.head if n.dep_ == "pobj" and n.head.lower_ in ("with", "in") else n.head if n.dep_ == "dobj" else None
        instrument = n.dep_ == "pobj" and n.head.lower_ == "with" and _is_verbal(gov) and hit.cue.type in ("MOBILIZE", "ASSAULT", "COERCE") if gov is not None else False
        if gov is not None and gov.i != n.i and (_lemma(gov) in _K().light_verbs or _lemma(gov) in _K().carry_on_verbs or instrument):
            # ... and "interrupted the period with a missile launch": force used as the means of an act is the actor's
            subj, passive = _subject_of(gov)
            if subj is not None:
                parties = _resolve_np(subj, registry, actors)
                if parties:
                    return parties, None
        if n.dep_ == "conj" and n.head.pos_ in ("NOUN", "PROPN") and n.head.i != n.i:
            # "the launch of an ICBM, as well as additional missile launches": conjoined events share their agent
            head = _Hit(hit.cue, [n.head], n.head, hit.rule, nominal=n.head)
            parties, why = _sources(head, registry, actors)
            if parties:
                return parties, "the agent of the event it is conjoined with"
    if subj is None:
        return [], "passive without an agent" if passive else "no subject found"
    parties = _resolve_np(subj, registry, actors)
    # "they ...", and "their forces ...": whoever reports it, if they report it
    owned = not parties and any(c.dep_ == "poss" and _is_pronoun(c) for c in subj.children)
    if not parties and (_is_pronoun(subj) or owned):
        rep = _reporter_of(hit.pred)
        if rep is not None:
            parties = _resolve_np(rep, registry, actors)
            if parties:
                return parties, None
        return [], f"the subject {subj.text!r} is not resolved to an actor"
    if not parties:
        return [], f"no country or known actor in the subject {subj.text!r}"
    return parties, None


def _targets(hit: _Hit, sources: list[_Party], registry: Registry, actors: ActorIndex) -> tuple[list[_Party], str | None]:
    src_tokens = {p.token.i for p in sources}
    src_vals = {p.value for p in sources}
    for h in hit.target_heads:
        first = [p for p in _resolve_np(h, registry, actors) if p.token.i not in src_tokens and p.value not in src_vals]
        if first:
            return first, None
    heads: list[Token] = []
    seen: set[int] = set()
    pool = list(hit.target_from)
    pool_ids = {t.i for t in pool}
    # leave out relative and adverbial clauses inside the arguments ("Macedonia, which is
    # preparing an offensive against ...")
    cut: set[int] = set()
    for t in pool:
        if t.dep_ in ("relcl", "advcl", "ccomp") and t.i not in cut and t.head.i in pool_ids:
            cut.update(x.i for x in t.subtree)
    for t in pool:
        if t.i in cut:
            continue
        # NP heads: arguments, or tokens whose head lies outside the pool
        if t.pos_ in ("NOUN", "PROPN", "PRON", "ADJ", "NUM", "X", "") and t.i not in seen and (
            t.dep_ in ("dobj", "pobj", "nsubjpass", "dative", "iobj", "attr", "nsubj", "appos", "oprd", "npadvmod") or t.head.i not in pool_ids
        ):
            seen.add(t.i)
            heads.append(t)
    # resolve the NPs in order; the first that names someone other than the source wins
    reason_preps = ("over", "because", "despite", "amid") if hit.cue.type not in ("ACCUSE", "PROTEST", "REJECT", "REQUEST", "SUPPORT") else ()
    reasons_cut = {x.i for t in pool if t.dep_ == "prep" and t.lower_ in reason_preps for x in t.subtree}
    for h in heads:
        if h.i in reasons_cut:
            continue  # "sanctions on X over arms sales to Y": a reason, not the target
        parties = _resolve_np(h, registry, actors)
        parties = [p for p in parties if p.token.i not in src_tokens]
        if not parties:
            if (
                h.pos_ == "PROPN"
                and h.ent_type_ in ("ORG", "PERSON", "PRODUCT", "")
                and not (h.i > 0 and h.nbor(-1).lower_ == "ethnic")
                and (h.dep_ in ("dobj", "dative") or (h.dep_ == "pobj" and h.head.lower_ in ("on", "against")))
            ):
                # a named party we cannot place: better no target than the next country in the sentence
                return [], f"the target {h.text!r} is not resolved to a country or known actor"
            continue
        others = [p for p in parties if p.value not in src_vals]
        if others:
            return others, None
        return parties, None
    return [], "no target named" if not hit.target_from else "no country or known actor among the objects"


# =====================================================================================
# Money, counts, dates
# =====================================================================================
_SCALE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "mln": 1e6, "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12}
_PREFIX_CUR = {
    "US$": "USD", "U.S.$": "USD", "USD": "USD", "$": "USD", "A$": "AUD", "AU$": "AUD", "C$": "CAD", "CA$": "CAD",
    "HK$": "HKD", "NT$": "TWD", "S$": "SGD", "€": "EUR", "EUR": "EUR", "£": "GBP", "GBP": "GBP", "RMB": "CNY",
    "CNY": "CNY", "JPY": "JPY", "₩": "KRW", "₹": "INR", "Rs": "INR", "Rs.": "INR",
}
_WORD_CUR = {
    "dollar": "USD", "us dollar": "USD", "u.s. dollar": "USD", "american dollar": "USD", "taiwan dollar": "TWD",
    "new taiwan dollar": "TWD", "hong kong dollar": "HKD", "australian dollar": "AUD", "canadian dollar": "CAD",
    "singapore dollar": "SGD", "euro": "EUR", "pound": "GBP", "pound sterling": "GBP", "yuan": "CNY",
    "renminbi": "CNY", "yen": "JPY", "won": "KRW", "rupee": "INR", "rouble": "RUB", "ruble": "RUB",
}
_NUM_RE = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_SCALE_RE = r"(?:\s*(?P<scale>trillion|billion|million|thousand|mln|bn|mn|tn|m|b|k)\b)?"
_MONEY_A = re.compile(r"(?P<pre>US\$|U\.S\.\s?\$|AU\$|A\$|CA\$|C\$|HK\$|NT\$|S\$|\$|€|£|₩|₹|(?:USD|EUR|GBP|RMB|CNY|JPY)\s?)\s?" + _NUM_RE + _SCALE_RE, re.IGNORECASE)
_MONEY_B = re.compile(
    _NUM_RE + _SCALE_RE
    + r"\s+(?P<word>(?:U\.S\.|US|American|Hong Kong|New Taiwan|Taiwan|Australian|Canadian|Singapore)\s+dollars?|dollars?|euros?|pounds?(?: sterling)?|yuan|renminbi|yen|won|rupees?|roubles?|rubles?)\b",
    re.IGNORECASE,
)

_WORD_NUMS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12, "a dozen": 12,
}


def _amounts(text: str, offset: int) -> list[tuple[Amount, int, int]]:
    out: list[tuple[Amount, int, int]] = []
    taken: list[tuple[int, int]] = []
    for m in _MONEY_A.finditer(text):
        pre = m.group("pre").strip().replace(" ", "").upper()
        cur = _PREFIX_CUR.get(pre)
        if cur is None:
            continue
        value = float(m.group("num").replace(",", "")) * _SCALE.get((m.group("scale") or "").lower(), 1.0)
        out.append((Amount(value, cur), offset + m.start(), offset + m.end()))
        taken.append((m.start(), m.end()))
    for m in _MONEY_B.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        word = m.group("word").lower()
        word = re.sub(r"s$", "", word) if not word.endswith("ss") else word
        word = word.replace("dollars", "dollar")
        cur = _WORD_CUR.get(word) or _WORD_CUR.get(word.rstrip("s"))
        if cur is None:
            continue
        value = float(m.group("num").replace(",", "")) * _SCALE.get((m.group("scale") or "").lower(), 1.0)
        out.append((Amount(value, cur), offset + m.start(), offset + m.end()))
    return out


def parse_amounts(text: str) -> list[Amount]:
    """Sums of money in a text, in order: "$300 million" -> 300000000 USD, "US$1.2 billion",
    "€5 billion", "500 million yuan", "5.1 million dollars"."""
    return [a for a, _, _ in sorted(_amounts(text, 0), key=lambda x: x[1])]


def _number(tok: Token) -> float | None:
    text = tok.text.replace(",", "")
    try:
        return float(text)
    except ValueError:
        pass
    w = tok.lower_
    if "-" in w:
        parts = w.split("-")
        if all(p in _WORD_NUMS for p in parts):
            return float(sum(_WORD_NUMS[p] for p in parts))
    if w in _WORD_NUMS:
        return float(_WORD_NUMS[w])
    return None


def _quantity(sent: SpacySpan, trigger: list[Token], money_spans: list[tuple[int, int]]) -> tuple[Quantity, Span] | None:
    """A count of materiel in the sentence ('66 new aircraft', 'two destroyers'), nearest to
    the trigger, preferring counts inside the trigger's own phrase."""
    best: tuple[int, Quantity, Token, Token] | None = None
    tpos = trigger[0].i
    inside = {t.i for tr in trigger for t in tr.subtree}
    for tok in sent:
        if tok.dep_ not in ("nummod",) and not (tok.like_num and not tok.dep_):
            continue
        if any(s <= tok.idx < e for s, e in money_spans):
            continue
        head = tok.head if tok.dep_ == "nummod" else (tok.nbor(1) if tok.i + 1 < len(tok.doc) else tok)
        # skip adjectives between the number and the noun when unparsed
        lem = _lemma(head)
        if lem not in _K().materiel_nouns:
            continue
        value = _number(tok)
        if value is None:
            continue
        # "1.5 million rounds": a scale word after the number
        nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
        if nxt is not None and nxt.lower_ in ("million", "thousand", "billion") and nxt.i < head.i:
            value *= _SCALE[nxt.lower_]
        unit = lem
        dist = abs(tok.i - tpos) - (1000 if tok.i in inside else 0)
        if best is None or dist < best[0]:
            best = (dist, Quantity(value, unit), tok, head)
    if best is None:
        return None
    _, q, tok, head = best
    start, end = min(tok.idx, head.idx), max(tok.idx + len(tok.text), head.idx + len(head.text))
    return q, _span(sent, start, end)


def _date_near(sent: SpacySpan, trigger: list[Token], dates: list[DateValue]) -> tuple[DateValue | None, str | None]:
    """The date expression of the sentence nearest to the trigger, leaving out durations and
    'by'/'until' limits."""
    s, e = sent.start_char, sent.end_char
    t = trigger[0].idx
    cands = [d for d in dates if d.span is not None and s <= d.span.start and d.span.end <= e]
    if not cands:
        return None, "no date expression in the sentence" if dates else "no dates were extracted from the document"
    usable = [d for d in cands if d.relation not in ("duration", "by", "until", "since")]
    if not usable:
        return None, "the sentence's dates are durations or limits, not the event's date"
    # "according to a report on Thursday": the date of the report, used only when nothing else
    spans = [
        (min(x.idx for x in tok.subtree), max(x.idx + len(x.text) for x in tok.subtree))
        for tok in sent
        if tok.lower_ == "according"
    ]

    def in_report(d: DateValue) -> bool:
        return d.span is not None and any(a <= d.span.start and d.span.end <= b for a, b in spans)

    own = [d for d in usable if not in_report(d)]
    best = min(own or usable, key=lambda d: abs((d.span.start if d.span else 0) - t))
    if not own:
        return best, "the date of the report that tells of the event"
    return best, None if best.value else (best.reason or "date not resolved")


# =====================================================================================
# Events
# =====================================================================================
_TRIM = " \t\r\n\"'“”‘’,.;:—–-"


def _span(sent: SpacySpan, start: int, end: int) -> Span:
    """A Span of the document inside ``sent``, its text taken from the sentence (reading
    ``doc.text`` joins the whole document each time)."""
    text = sent.text
    base = sent.start_char
    if not (base <= start <= end <= base + len(text)):
        start, end = max(start, base), min(end, base + len(text))
    return Span(start, end, text[start - base : end - base])


def _sentences(doc: Doc) -> Iterator[SpacySpan]:
    if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
        yield from doc.sents
    else:
        yield doc[:]


def _cameo(registry: Registry, cue: Cue) -> str | None:
    if cue.cameo:
        return cue.cameo
    pt = registry.plover.get(cue.type)
    if pt is None:
        return None
    if cue.mode and cue.mode in pt.cameo_modes:
        return pt.cameo_modes[cue.mode]
    return pt.cameo


_LOCATION_PREPS = frozenset({"in", "at", "near", "across", "throughout", "inside", "within", "around"})


def _np_head_of(t: Token) -> Token:
    while t.dep_ in ("compound", "amod", "poss", "nmod", "case") and t.head.i != t.i:
        t = t.head
    return t


def _domestic(hit: _Hit, sources: list[_Party], targets: list[_Party], src_reason: str | None, tgt_reason: str | None) -> tuple[list[_Party], list[_Party], str | None, str | None]:
    """Event coders' convention for domestic events: a person or institution named without a
    country acts in (or on) the country the sentence places them in."""
    if len({p.country for p in sources}) > 1:
        return sources, targets, src_reason, tgt_reason  # a joint act of several parties
    if sources and not targets and (hit.cue.type in ("PROTEST", "COERCE", "CONCEDE") or (hit.cue.type == "THREATEN" and hit.cue.mode in ("restrict", "arrest"))):
        # a protest, a crackdown or a concession with no one named: the source's own state
        c = sources[0].country
        if c and c not in ("IGO", "NGO"):
            return sources, [_Party(c, c, hit.trigger[0])], src_reason, "target taken as domestic: no one else named"
    if sources and not targets and hit.cue.type not in ("ASSAULT", "AID", "MOBILIZE", "COOPERATE", "CONSULT", "SANCTION"):
        for t in hit.target_from:
            if t.dep_ in ("dobj", "pobj", "nsubjpass", "dative") and (t.ent_type_ in ("PERSON",) or _lemma(t) in _K().domestic_nouns):
                if t.head.lower_ in ("between",):
                    continue
                c = sources[0].country
                if c and c not in ("IGO", "NGO"):
                    return sources, [_Party(c, c, t)], src_reason, "target taken as domestic: no country named for it"
                break
    if targets and not sources:
        subj, _ = _subject_of(hit.pred)
        if subj is not None and _is_pronoun(subj):
            subj = _reporter_of(hit.pred)
        if subj is not None and (subj.ent_type_ in ("PERSON", "NORP") or _lemma(_np_head_of(subj)) in _K().domestic_nouns or _lemma(subj) in _K().visitor_nouns):
            tp = targets[0]
            head = _np_head_of(tp.token)
            located = False
            h = head
            for _ in range(3):  # "in the capital city of Algiers"
                if h.dep_ == "pobj" and h.head.lower_ in _LOCATION_PREPS:
                    located = True
                    break
                if h.dep_ == "pobj" and h.head.lower_ == "of" and h.head.head.i != h.head.i:
                    h = h.head.head
                    continue
                break
            people = (head.i != tp.token.i and (_lemma(head) in _K().domestic_nouns or head.ent_type_ == "PERSON")) or (
                tp.value != tp.country and _lemma(head) in _K().domestic_nouns  # an institution of that country
            )
            if (located or people) and tp.country and tp.country not in ("IGO", "NGO"):
                return [_Party(tp.country, tp.country, subj)], targets, "source taken as domestic: the country the sentence places the event in", tgt_reason
    return sources, targets, src_reason, tgt_reason


def _make_events(
    hit: _Hit,
    sent: SpacySpan,
    registry: Registry,
    actors: ActorIndex,
    dates: list[DateValue] | None,
    *,
    max_pairs: int = 8,
    symmetric: bool = True,
    domestic: bool = False,
    modality: str | None = None,
    pair_parties: Callable[[_Hit, SpacySpan, list[_Party], list[_Party]], tuple[list[tuple[_Party | None, _Party | None]], str | None]] | None = None,
) -> list[Event]:
    doc = sent.doc
    sources, src_reason = _sources(hit, registry, actors)
    targets, tgt_reason = _targets(hit, sources, registry, actors)
    if not targets and hit.cue.type == "PROTEST":
        # "blocked a road to show their disapproval of X's policies": the purpose names the target
        purpose = [t for c in hit.pred.children if c.dep_ in ("advcl", "xcomp") and c.i > hit.pred.i for t in _targets_of(c)]
        if purpose:
            more, _ = _targets(_Hit(hit.cue, hit.trigger, hit.pred, hit.rule, target_from=purpose), sources, registry, actors)
            if more:
                targets, tgt_reason = more, "target named by the purpose of the protest"
    if not targets:
        # "threatened to ... if the United States goes ahead": whom the condition names
        extra: list[Token] = []
        if hit.cue.type == "THREATEN":
            for c in hit.pred.subtree:
                if c.dep_ == "advcl" and (m := _child(c, "mark")) is not None and m.lower_ in ("if", "unless"):
                    subj = _child(c, "nsubj", "nsubjpass")
                    if subj is not None:
                        extra = list(subj.subtree)
                        break
        # "established ties with and opened an embassy in Tehran": a conjoined verb's objects
        if not extra:
            for c in hit.pred.conjuncts:
                if _is_verbal(c) and _child(c, "nsubj") is None:
                    extra = _targets_of(c)
                    break
        if extra:
            more, _ = _targets(_Hit(hit.cue, hit.trigger, hit.pred, hit.rule, target_from=extra), sources, registry, actors)
            if more:
                targets, tgt_reason = more, None
    if not targets and hit.cue.type in ("AID",) and hit.rule in ("arms_sale", "light_verb", "transfer"):
        # an arms sale whose recipient is named elsewhere in the sentence ("... to help maintain
        # Taiwan's systems"): the nearest country after the trigger, other than the source
        src_vals = {p.value for p in sources}
        after = [t for t in sent if t.i > hit.trigger[-1].i]
        found = [(c, tok) for c, tok in _match_countries(doc, after, registry) if c not in src_vals and c not in {p.country for p in sources}]
        if found:
            targets = [_Party(found[0][0], found[0][0], found[0][1])]
            tgt_reason = "recipient taken from the nearest country named after the trigger"
    trig_start = min(t.idx for t in hit.trigger)
    trig_end = max(t.idx + len(t.text) for t in hit.trigger)
    trigger_span = _span(sent, trig_start, trig_end)
    sent_text = sent.text
    lead = len(sent_text) - len(sent_text.lstrip(_TRIM))
    tail = len(sent_text) - len(sent_text.rstrip(_TRIM))
    sent_span = _span(sent, sent.start_char + lead, sent.end_char - tail)
    money = _amounts(sent_text, sent.start_char)
    amount: Amount | None = None
    if money:
        amount = min(money, key=lambda m: abs(m[1] - trig_start))[0]
    qty = _quantity(sent, hit.trigger, [(s, e) for _, s, e in money]) if hit.cue.type in ("AID", "MOBILIZE", "AGREE") else None
    date, date_reason = (None, None)
    if dates is not None:
        date, date_reason = _date_near(sent, hit.trigger, dates)
    reasons: dict[str, str] = dict(hit.notes)
    if src_reason:
        reasons["source"] = src_reason
    if tgt_reason:
        reasons["target" if not targets else "target_rule"] = tgt_reason
    if date is None and date_reason and dates is not None or date is not None and date_reason:
        reasons["date"] = date_reason
    if hit.cue.type == "AID" and amount is None:
        reasons["amount"] = "no sum of money in the sentence"
    if hit.cue.type == "AID" and qty is None:
        reasons["quantity"] = "no count of materiel in the sentence"
    if hit.cue.mode is None and registry.plover.get(hit.cue.type) and registry.plover[hit.cue.type].modes:
        reasons.setdefault("mode", "no mode word found; the type's general code applies")
    cameo = _cameo(registry, hit.cue)
    evidence = [sent_span, trigger_span]
    if qty is not None:
        evidence.append(qty[1])
    if domestic:
        sources, targets, src_reason, tgt_reason = _domestic(hit, sources, targets, src_reason, tgt_reason)
    if symmetric and hit.cue.type == "CONSULT" and hit.cue.mode in (None, "phone", "multilateral") and hit.cue.cameo != "045":
        # PLOVER codes talks, calls and negotiations as joint acts: every party is an actor
        sources = sources + [t for t in targets if t.value not in {p.value for p in sources}]
        targets = []
        tgt_reason = None
    src_list: list[_Party | None] = list(sources) or [None]
    tgt_list: list[_Party | None] = list(targets) or [None]
    pairs: list[tuple[_Party | None, _Party | None]] = [(s, t) for s in src_list for t in tgt_list]
    if pair_parties is not None:
        pairs, why = pair_parties(hit, sent, sources, targets)
        if why:
            reasons["parties"] = why
            reasons.pop("source", None)
            reasons.pop("target", None)
    events: list[Event] = []
    for s, t in pairs:
        if s is not None and t is not None and s.value == t.value and len(tgt_list) == 1 and len(src_list) > 1:
            continue
        if len(events) >= max_pairs:
            break
        ev = Event(
            id=content_id("evt", hit.cue.type, hit.cue.mode, s.value if s else None, t.value if t else None, trig_start, trigger_span.text,
                          *([modality] if modality else [])),
            modality=modality,
            type=hit.cue.type,
            mode=hit.cue.mode,
            cameo=cameo,
            source=s.value if s else None,
            target=t.value if t else None,
            date=date,
            amount=amount,
            quantity=qty[0] if qty else None,
            evidence=list(evidence),
            rule=f"events.{hit.rule}",
            reasons=dict(reasons),
        )
        events.append(ev)
    return events


def _main_predicates(sent: SpacySpan) -> Iterator[tuple[Token, Token | None]]:
    """Predicates that carry a sentence's main event, best first, each with the reporting
    verb it sits under (if any): the root, or the complement of a reporting verb."""
    root = sent.root
    seen: set[int] = set()
    stack: list[tuple[Token, Token | None]] = [(root, None)]
    while stack:
        v, reporter = stack.pop(0)
        if v.i in seen:
            continue
        seen.add(v.i)
        lem = _lemma(v)
        comp = _child(v, "ccomp")
        if comp is None:
            # "was quoted as saying ...": the clause hangs on a preposition
            for p in _children(v, "prep"):
                pc = _child(p, "pcomp")
                if pc is not None and _lemma(pc) in _K().reporting_verbs:
                    comp = pc
                    break
        if lem in _K().reporting_verbs and comp is not None and not (
            (lem in _K().verb_cues or _event_dobj(v)) and _child(v, "dobj") is not None
        ):
            if comp.i < v.i and _lemma(comp) != lem:
                # "X did Y, a rights group charged": the verb only attributes the clause before it
                stack.insert(0, (comp, v))
                continue
            stack.insert(0, (comp, v))
            # the reporting verb itself may still carry an event ("warned", "accused")
            yield v, reporter
            continue
        yield v, reporter
        for c in v.children:
            if c.dep_ == "conj" and _is_verbal(c):
                stack.append((c, reporter))
        for c in v.children:
            if c.dep_ in ("ccomp", "advcl", "xcomp") and _is_verbal(c):
                stack.append((c, reporter))


def _event_dobj(v: Token) -> bool:
    """'reiterated its demand that ...': a reporting verb whose object names an event."""
    o = _child(v, "dobj")
    return o is not None and _event_noun(o) is not None


def _sentence_hit(v: Token, reporter: Token | None) -> _Hit | None:
    lem = _lemma(v)
    if reporter is None and lem in _K().reporting_verbs and _child(v, "ccomp") is not None and lem not in _K().verb_cues and not _event_dobj(v):
        return None
    hit = _type_verb(v)
    subj = _child(v, "nsubj", "nsubjpass")
    if reporter is not None and _must(v) and (hit is None or hit.cue.type != "REQUEST"):
        # "X said Y must Z": a demand on Y (unless Y is X itself: "we must")
        rep_subj = _child(reporter, "nsubj")
        if subj is not None and not _is_pronoun(subj) and rep_subj is not None:
            return _Hit(_with_mode(_c("REQUEST"), _words_in(v.subtree)), [v], reporter, "must_clause",
                        target_from=list(subj.subtree))
    return hit


def code_statement(doc: Doc, cue_start: int, registry: Registry) -> tuple[str | None, str | None, str | None]:
    """The PLOVER type and mode of a statement whose cue starts at character ``cue_start``, by
    the coder that types events, and the reason: the cue's own event ("accused", "urged X to",
    "warned", "praised", "refused to", "will not accept": REJECT); for a cue with none ("said",
    "told"), a speech act in what was said: a promise or threat ("said it will provide aid":
    AGREE), a demand on another ("said the US must stop": REQUEST), a refusal or a stance (the
    verbal types of PLOVER, talks aside: those are engagements). A denied cue ("did not
    criticize") codes nothing. The reason is None when the cue's own event decides."""
    with using(registry):
        v = next((t for t in doc if t.idx == cue_start), None)
        if v is None:
            return None, None, "the cue is not a parsed word"
        if _negated(v) and not _future(v):
            neg = next(c.text for c in v.children if c.dep_ == "neg" or c.lower_ in _K().negation_adverbs)
            return None, None, f"negated ({neg} {v.text}): the speech act is denied, so it codes no event"
        hit = _type_verb(v)
        if hit is not None:
            return hit.cue.type, hit.cue.mode, None
        comp = _child(v, "ccomp")
        if comp is not None and not _denied_above(comp):
            hit = _sentence_hit(comp, v)
            pt = registry.plover.get(hit.cue.type) if hit is not None else None
            if hit is not None and hit.cue.type != "CONSULT" and (pt is None or pt.quad.startswith("verbal")):
                words = " ".join(t.text for t in sorted(hit.trigger, key=lambda t: t.i))
                if hit.rule == "must_clause":
                    aux = next((c.text for c in comp.children if c.dep_ == "aux"), "")
                    words = f"{aux} {comp.text}".strip()
                return hit.cue.type, hit.cue.mode, f"what was said is {hit.cue.type} ({words})"
        return None, None, "neither the cue nor what was said codes an event"


def _denied_above(v: Token) -> bool:
    """Whether a clause is denied by the words that govern it ("did not agree to sell",
    "denied supplying", "denied that it sold"): its event did not happen, so it is not coded."""
    frame, _ = frame_of(v)
    return frame == "negated" and not _negated(v)


def code_sentence(
    sent: SpacySpan,
    registry: Registry,
    actors: ActorIndex,
    dates: list[DateValue] | None = None,
    *,
    domestic: bool = True,
) -> list[Event]:
    """The main event of a sentence (and of verbs conjoined with it), typed in PLOVER with
    source and target: how an event coder reads a news lead. With ``domestic`` (the event
    coders' convention), a person or institution named without a country is given the country
    the sentence places the event in. The triggers are the registry's (the package's and the
    user's files)."""
    with using(registry):
        return _code_sentence(sent, registry, actors, dates, domestic=domestic)


def _code_sentence(
    sent: SpacySpan,
    registry: Registry,
    actors: ActorIndex,
    dates: list[DateValue] | None = None,
    *,
    domestic: bool = True,
) -> list[Event]:
    """The main event of a sentence (and of verbs conjoined with it), typed in PLOVER with
    source and target: how an event coder reads a news lead. With ``domestic`` (the event
    coders' convention), a person or institution named without a country is given the country
    the sentence places the event in."""
    main: _Hit | None = None
    main_v: Token | None = None
    for v, reporter in _main_predicates(sent):
        if _denied_above(v):
            continue
        hit = _sentence_hit(v, reporter)
        if hit is not None:
            main, main_v = hit, v
            break
    if main is None:
        # fall back: the first verb of the sentence that the tables know
        for tok in sent:
            if (tok.pos_ == "VERB" or (not tok.pos_ and _lemma(tok) in _K().verb_cues)) and not _denied_above(tok):
                main = _type_verb(tok)
                if main is not None:
                    main_v = tok
                    break
    if main is None or main_v is None:
        return []
    hits = [main]
    used = {t.i for t in main.trigger}
    # verbs conjoined with the main one carry events of their own ("kidnapped ... and exploded")
    for c in main_v.conjuncts:
        if c.i < main_v.i or not _is_verbal(c):
            continue
        hit = _type_verb(c)
        if hit is None or any(t.i in used for t in hit.trigger) or any(h.cue.type == hit.cue.type for h in hits):
            continue
        used.update(t.i for t in hit.trigger)
        hits.append(hit)
    events: list[Event] = []
    for hit in hits:
        events.extend(_make_events(hit, sent, registry, actors, dates, domestic=domestic))
    return events


def _news_hits(sent: SpacySpan) -> list[_Hit]:
    """Every event of the kinds news around talks needs, anywhere in the sentence."""
    hits: list[_Hit] = []
    used: set[int] = set()
    for tok in sent:
        if tok.i in used:
            continue
        hit: _Hit | None = None
        if tok.dep_ == "xcomp" and _K().governors.get(_lemma(tok.head), "aspect") != "aspect":
            continue  # "threatened to expel": read with its governing verb
        if (_is_verbal(tok) or tok.pos_ == "VERB") and _lemma(tok) in ("launch", "fire", "test", "test-fire") and (
            any(_words_in(o.subtree) & _K().launched_weapons for o in _children(tok, "dobj", "nsubjpass"))
            or (tok.dep_ == "relcl" and {_lemma(tok.head), tok.head.lower_} & _K().launched_weapons)  # "the missiles China fired"
        ):
            hit = _Hit(_c("MOBILIZE", "weapons"), [tok], tok, "weapons_launch", target_from=_targets_of(tok, skip=_child(tok, "dobj", "nsubjpass")))
        elif _is_verbal(tok) or tok.pos_ == "VERB":
            hit = _type_verb(tok)
            if hit is not None and _lemma(tok) in _K().governors and _child(tok, "xcomp") is not None and hit.pred.i != tok.i:
                hit = None  # the infinitive's own reading is found when we reach it
        elif tok.pos_ in ("NOUN", "PROPN"):
            # nominal events: "US arms sales to Taiwan", "an unsafe intercept", "the new sanctions"
            if _is_sale(tok) or _military_aid(tok):
                on_verb = tok.dep_ in ("dobj", "nsubjpass") and _moves_sale(tok.head)
                sellers, buyers = _sale_parties(tok)
                hit = _Hit(_c("AID", None, "072"), [tok], tok.head if on_verb else tok, "arms_sale_noun",
                           target_from=[t for b in buyers for t in b.subtree] + _noun_targets(tok) + (_targets_of(tok.head, skip=tok) if on_verb else []),
                           nominal=tok)
                if not on_verb and sellers:
                    hit.source_from = sellers[0]
            elif _lemma(tok) in _K().war_nouns and any(
                c.dep_ in ("poss", "amod", "compound") and c.ent_type_ in ("GPE", "NORP") for c in tok.children
            ):
                hit = _Hit(_c("ASSAULT", None, "190"), [tok], tok, "war_noun", target_from=_noun_targets(tok)[:1] and _first_np(_noun_targets(tok)), nominal=tok)
            elif _lemma(tok) in ("launch", "test", "firing", "launching") and _words_in(
                t for t in tok.subtree if t.i != tok.i and t.dep_ != "relcl"
            ) & _K().launched_weapons:
                hit = _Hit(_c("MOBILIZE", "weapons"), [tok], tok, "weapons_launch", target_from=_noun_targets(tok), nominal=tok)
            elif _noun_key(tok) in _K().news_event_nouns and tok.dep_ in ("nsubj", "nsubjpass", "pobj", "dobj", "conj", "appos", "attr") and not (
                tok.dep_ in ("dobj", "nsubjpass") and _lemma(tok.head) in _K().undo_verbs | _K().cut_verbs
            ):  # "must lift the sanctions": the restriction lifted is no new event
                cue = _event_noun(tok)
                if cue is not None:
                    hit = _Hit(cue, [tok], tok, "event_noun", target_from=_noun_targets(tok), nominal=tok)
        if hit is None:
            continue
        kinds = NEWS_KINDS.get(hit.cue.type, frozenset())
        if kinds is not None and hit.cue.mode not in kinds:
            continue
        if hit.cue.type == "AID" and hit.cue.cameo not in ("072", "074") and hit.rule not in ("arms_sale", "arms_sale_noun"):
            continue  # news: only military aid and arms transfers
        if hit.cue.type == "SUPPORT" and hit.cue.cameo == "057" and hit.rule == "verb" and any(
            _lemma(_content(o)) in _K().agreement_nouns for o in _children(hit.pred, "dobj")
        ):
            hit.cue = _c("AGREE")  # "signed a range of agreements": an agreement on substance
            hit.rule = "sign_agreement"
        if hit.cue.type == "AGREE" and hit.cue.cameo != "0332" and not _agreement(hit):
            continue  # news: of promises, only promised military aid and agreements on substance
        if hit.cue.type == "THREATEN" and not any(_lemma(t) in ("threaten", "ultimatum", "threat") for t in hit.trigger):
            continue  # a warning in a statement is the statements extractor's business
        if hit.cue.type == "COERCE" and not any(_lemma(t) in _K().news_coerce_verbs for t in hit.trigger):
            continue  # "preventing miscalculation" is not a coercive act
        if any(t.i in used for t in hit.trigger):
            continue
        used.update(t.i for t in hit.trigger)
        hits.append(hit)
    return hits


# What a frame does to a news event: drop it (it is not an event: the statement that holds a
# demand or an allegation carries it), or keep it marked (it has not happened yet).
_DROPPED_FRAMES = frozenset({"negated", "demanded", "threatened", "alleged", "mentioned"})
_MARKED_FRAMES = {"future": "future", "planned": "planned", "hypothetical": "hypothetical", "halted_future": "future"}


def _news_frame(hit: _Hit) -> tuple[_Hit | None, str | None]:
    """Apply the clause's frame to a news event: None when it is no event (denied, demanded,
    threatened, alleged), else the hit (a halted event turned into its opposite) and its
    modality (None: asserted; future, planned, hypothetical: not happened, kept out of the
    index)."""
    if hit.rule.endswith("+negated"):
        hit.notes["modality"] = "negated: not an event"
        return None, None
    pred = hit.pred
    if hit.nominal is not None and pred.i == hit.nominal.i:
        n = hit.nominal
        if n.dep_ in ("dobj", "nsubjpass") and _lemma(n.head) in _K().light_verbs and n.head.i != n.i:
            pred = n.head  # "threatened to impose sanctions": the frame of the light verb
        else:
            return hit, None  # an event named in passing is taken as it is named
    frame, words = frame_of(pred)
    if hit.rule.endswith("+future") and frame is None:
        frame, words = "future", "will"
    if (hit.rule in ("plan_to", "future_adjective")) and frame is None:
        frame, words = "planned", hit.pred.text
    if hit.rule.endswith("+conditional") and frame is None:
        frame, words = "hypothetical", "if/unless"
    if frame in _DROPPED_FRAMES:
        return None, None
    if frame in ("halted", "halted_future"):
        opposite = _halt(hit.cue)
        if opposite is None:
            return None, None
        hit.cue = opposite
        hit.rule += "+halted"
        hit.notes["type"] = f"an event stopped ({words}): coded as its opposite"
    modality = _MARKED_FRAMES.get(frame or "")
    if modality is not None:
        hit.notes["modality"] = f"{modality} ({words}): not an event yet, kept out of the index"
    return hit, modality


def _agreement_pairs(
    registry: Registry, actors: ActorIndex, side: str | None, engagements: Sequence[Engagement], counterpart: str | None = None
) -> Callable[[_Hit, SpacySpan, list[_Party], list[_Party]], tuple[list[tuple[_Party | None, _Party | None]], str | None]]:
    """Who agreed with whom. An agreement is joint: its parties are the countries its subject
    and objects name, completed from the talks it belongs to ("the two leaders agreed", "we
    agreed": the dyad of the nearest engagement reported at or before the sentence). The side
    whose account it is (the outlet's country) is the source and the other the target, as the
    annotators code it; with no side among the parties, one event per party."""

    def pairs(hit: _Hit, sent: SpacySpan, sources: list[_Party], targets: list[_Party]) -> tuple[list[tuple[_Party | None, _Party | None]], str | None]:
        parties: dict[str, _Party] = {}
        for p in [*sources, *targets]:
            c = country_of(p.value, registry, actors)
            if c and c not in ("IGO", "NGO"):
                parties.setdefault(c, p)
        why = None
        if len(parties) < 2:
            before = [e for e in engagements if e.evidence and e.evidence[0].start <= sent.end_char and len(e.dyad) == 2]
            eng = max(before, key=lambda e: e.evidence[0].start) if before else next((e for e in engagements if len(e.dyad) == 2), None)
            if eng is None and side and counterpart:
                # no talks found: the side whose account it is and the country it is about
                eng = Engagement("", "talks", [], sorted((side, counterpart)), [], "events.counterpart")
            subj, _ = _subject_of(hit.pred)
            both = subj is not None and (_words_in(subj.subtree) & _K().both_sides_words or len(sources) > 1)
            if eng is not None and (both or not parties or set(parties) <= set(eng.dyad)):
                for c in eng.dyad:
                    parties.setdefault(c, _Party(c, c, hit.trigger[0]))
                why = "the parties are the two sides of the talks the agreement belongs to"
        if len(parties) < 2:
            src: list[_Party | None] = list(sources) or [None]
            tgt: list[_Party | None] = list(targets) or [None]
            return [(s, t) for s in src for t in tgt], why
        codes = list(parties)[:2]
        a, b = parties[codes[0]], parties[codes[1]]
        if side == codes[1]:
            a, b = b, a
        if side in codes:
            return [(a, b)], why or "source: the side whose account reports the agreement"
        return [(a, b), (b, a)], why or "a joint agreement: one event per party"

    return pairs


def extract_events(
    doc: Doc,
    registry: Registry,
    actors: ActorIndex,
    dates: list[DateValue],
    *,
    side: str | None = None,
    engagements: Sequence[Engagement] = (),
    published: date | None = None,
    earliest: date | None = None,
) -> list[Event]:
    """Events around the talks in one parsed document: arms sales and military aid, sanctions,
    visits, accusations and protests, declined requests to meet, threats, military moves.

    Each clause's frame is read (``frame_of``): a denied, demanded, threatened or alleged event
    is not an event here ("should stop arming Taiwan", "accused X of arming Y": the demand or the
    accusation is); a stopped one is its opposite ("stopped arming" is SANCTION); a future,
    planned or hypothetical one is kept with its ``modality`` and left out of the index. The
    triggers are the registry's (the package's and the user's files)."""
    with using(registry):
        return _extract_events(doc, registry, actors, dates, side=side, engagements=engagements, published=published, earliest=earliest)


def _extract_events(
    doc: Doc,
    registry: Registry,
    actors: ActorIndex,
    dates: list[DateValue],
    *,
    side: str | None = None,
    engagements: Sequence[Engagement] = (),
    published: date | None = None,
    earliest: date | None = None,
) -> list[Event]:
    """``extract_events``' work, with the registry's tables in use."""
    out: list[Event] = []
    seen: set[str] = set()
    counterpart = _counterpart(registry, actors, side)
    agree_pairs = _agreement_pairs(registry, actors, side, engagements, counterpart)
    engaged = {frozenset(e.dyad) for e in engagements if len(e.dyad) == 2 and e.kind != "visit"}
    if side and counterpart:
        engaged.add(frozenset((side, counterpart)))  # the talks the side's own account is about
    wars: set[tuple[str, str | None, str | None]] = set()
    for sent in _sentences(doc):
        for raw in _news_hits(sent):
            hit, modality = _news_frame(raw)
            if hit is None:
                continue
            joint = agree_pairs if hit.cue.type == "AGREE" and hit.cue.cameo != "0332" else None
            for ev in _make_events(hit, sent, registry, actors, dates, max_pairs=4, modality=modality, pair_parties=joint):
                if ev.id in seen or (ev.source is None and ev.target is None):
                    continue  # an event named in passing with no one to it ("the sanctions were a sign") codes nothing
                if ev.type == "CONSULT" and (
                    ev.target is None or ev.source is None or _talks_pair(ev, engaged, registry, actors)
                    or country_of(ev.source, registry, actors) == country_of(ev.target, registry, actors)
                ):
                    continue  # a visit by or to no one named, at home, or the talks themselves: those are engagements
                if ev.source is None and ev.target is not None and side and hit.cue.type in ("ACCUSE", "SANCTION", "REJECT"):
                    ev = _source_from_side(ev, hit, side, registry, actors)
                if ev.target is None and ev.source is not None and ev.type in TALKS_TARGETED:
                    ev = _target_from_talks(ev, sent, engagements, side, counterpart, registry, actors)
                if ev.date is None and ev.modality is None:
                    ev = _date_from_context(ev, sent, engagements, published, earliest, registry, actors)
                if hit.rule == "war_noun":
                    war = (ev.type, ev.source, ev.target)
                    if war in wars:
                        continue  # the same war named again in the document
                    wars.add(war)
                seen.add(ev.id)
                out.append(ev)
    return out


def _date_from_context(
    ev: Event, sent: SpacySpan, engagements: Sequence[Engagement], published: date | None, earliest: date | None,
    registry: Registry, actors: ActorIndex,
) -> Event:
    """A said event (PLOVER's verbal types: an agreement, an accusation, a demand, a refusal)
    whose sentence gives no date was said at the talks the document reports ("They agreed to
    ...", "Both leaders condemned ..." in a readout of a call): the date of the nearest held
    talks reported at or before it that one of its parties took part in; with no such talks,
    the publication date (a press conference's "I condemn"). Other events keep no date: an
    attack or an arms sale told without one may be of any time."""
    pt = registry.plover.get(ev.type)
    if pt is None or not pt.quad.startswith("verbal"):
        return ev
    parties = {c for c in (country_of(ev.source, registry, actors), country_of(ev.target, registry, actors)) if c}
    held = [
        e for e in engagements
        if e.status == "held" and e.date is not None and e.date.value and e.evidence and e.evidence[0].start <= sent.end_char
        and (not parties or parties & set(e.dyad))
    ]
    if held:
        eng = max(held, key=lambda e: e.evidence[0].start)
        assert eng.date is not None
        why = f"no date in the sentence: said at the talks reported before it ({eng.kind}, {eng.date.value})"
        return replace(ev, date=eng.date, reasons={**ev.reasons, "date": why})
    if published is None:
        return ev
    first = earliest or published
    precision: Precision
    if first == published:
        value, precision = published.isoformat(), "day"
    elif (first.year, first.month) == (published.year, published.month):
        value, precision = published.isoformat()[:7], "month"
    elif first.year == published.year:
        value, precision = str(published.year), "year"
    else:
        return ev
    why = "no date in the sentence and no talks reported before it: said when published"
    return replace(ev, date=DateValue(value, precision, "", None, "events.published"), reasons={**ev.reasons, "date": why})


def _source_from_side(ev: Event, hit: _Hit, side: str, registry: Registry, actors: ActorIndex) -> Event:
    """'They condemned X', 'we protested': a subject that stands for the parties of the talks,
    in a side's own account, acts for that side (unless the target is the side itself)."""
    subj, _ = _subject_of(hit.pred)
    if subj is None or not (_words_in(subj.subtree) & _K().both_sides_words | {"i", "we"} & _words_in([subj])):
        return ev
    if country_of(ev.target, registry, actors) == side:
        return ev
    reasons = {**ev.reasons, "source": f"'{subj.text}' in an account of {side}: the source is {side}"}
    return replace(ev, id=content_id(ev.id, "source", side), source=side, reasons=reasons)


# Events whose target, when the sentence names none, is the other side of the talks reported
# ("Beijing cancelled theater-level talks": cancelled with the United States).
TALKS_TARGETED = frozenset({"SANCTION", "REJECT", "AID"})


def _target_from_talks(
    ev: Event, sent: SpacySpan, engagements: Sequence[Engagement], side: str | None, counterpart: str | None,
    registry: Registry, actors: ActorIndex,
) -> Event:
    """An event of one side with no target named: the other side of the nearest talks reported
    at or before it whose dyad holds the source's country (else of the side's account and the
    country it is about), with the reason."""
    src = country_of(ev.source, registry, actors)
    if not src:
        return ev
    dyads = [e for e in engagements if len(e.dyad) == 2 and src in e.dyad and e.evidence]
    before = [e for e in dyads if e.evidence[0].start <= sent.end_char]
    eng = max(before, key=lambda e: e.evidence[0].start) if before else (dyads[0] if dyads else None)
    pair = list(eng.dyad) if eng is not None else [side, counterpart] if side and counterpart and src in (side, counterpart) else []
    other = next((c for c in pair if c and c != src), None)
    if other is None:
        return ev
    reasons = {**ev.reasons, "target": f"none named: the other side of the talks the document reports ({'-'.join(sorted(pair))})"}
    return replace(ev, id=content_id(ev.id, "target", other), target=other, reasons=reasons)


def _counterpart(registry: Registry, actors: ActorIndex, side: str | None) -> str | None:
    """The country a side's account is most about: the one its actors' mentions name most,
    other than the side's own (None without a side, or when two tie)."""
    if not side:
        return None
    counts: dict[str, int] = {}
    for m in actors.mentions:
        a = actors.get(m.actor_id)
        c = a.country if a is not None else None
        if c and c != side and c in registry.countries:
            counts[c] = counts.get(c, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def _first_np(tokens: list[Token]) -> list[Token]:
    """The first noun phrase of a prepositional phrase ('in Ukraine, the United States and
    India's cooperation' -> 'Ukraine'): its object without the conjuncts and appositions."""
    obj = next((t for t in tokens if t.dep_ == "pobj"), None)
    return [obj] if obj is not None else tokens


def _talks_pair(ev: Event, engaged: set[frozenset[str]], registry: Registry, actors: ActorIndex) -> bool:
    """Whether a CONSULT event is between the two sides of talks the document reports (a
    meeting, call or summit of the dyad is recorded as an engagement, not as an event)."""
    pair = frozenset(c for c in (country_of(ev.source, registry, actors), country_of(ev.target, registry, actors)) if c)
    return len(pair) == 2 and pair in engaged


def country_of(value: str | None, registry: Registry, actors: ActorIndex) -> str | None:
    """The country (or IGO/NGO) an event's source or target stands for."""
    if value is None:
        return None
    if value in registry.countries or value in ("IGO", "NGO"):
        return value
    a = actors.get(value)
    if a is not None:
        if a.country is None and _igo_name(a.name):
            return "IGO"
        return a.country
    org = registry.organizations.get(value)
    if org is not None:
        return org.country
    person = registry.people.get(value)
    if person is not None:
        return person.country
    return None
