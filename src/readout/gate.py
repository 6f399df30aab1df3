"""The gate: a cheap test, before the parser, of whether a text can hold a record.

Rule: a record needs someone and something happening. A text passes when it has

- a *side*: a name the registry knows (a country's names, demonyms, capitals and metonyms, the
  adjectives the event coder derives from country names, people's names and aliases,
  organizations' names and aliases, channels' names and aliases, posts' phrases) or a general
  word for a state's institutions and office holders (``gate`` section of gate.yaml:
  "ministry", "officials", "the Kremlin"); and
- an *act*: an engagement or status term, a word of a channel's keywords, a reporting verb or
  cue, or an event trigger of the event coder, in any written form ("resumed", "said", "met").

Everything else (sport, weather, markets, recipes...) is not parsed: it is recorded as not
relevant with the gate's reason. Matching is on lower-cased word tokens (a regular expression, no
model): single words by set lookup, phrases by their first word then the words after it. Short
names in capitals ("US", "UK", "PLA") match only in capitals, so "us" is not the United States.
The word lists are built once per registry from the same data the extractors read.

A long document is gated paragraph by paragraph as well (``keep_paragraphs``): a paragraph with
neither a side nor an act cannot hold a record, and is blanked (replaced by spaces, its line
breaks kept) so every offset stays an offset into the original text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from .registry import Registry

_WORD = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*\.?", re.UNICODE)
_PARAGRAPH = re.compile(r"\n[ \t\r\f\v]*\n")

NO_SIDE = "no state, person, organization, channel or office the registry knows"
NO_ACT = "no engagement, status, reporting or event word"


@dataclass(frozen=True, slots=True)
class Verdict:
    """The gate's answer for one text: whether it can hold a record, and why not."""

    relevant: bool
    reason: str | None = None  # why not, when not relevant
    side: str | None = None  # the first side word found
    act: str | None = None  # the first act word found


@dataclass(slots=True)
class _Words:
    """Words of one kind: single words (lower case), phrases keyed by their first word, and
    short names in capitals matched as written. A word the data writes with a capital (a
    name) matches only with one in text that has both cases ("The Valley", Anguilla's
    capital, is not "the valley"; "Chad" is not "chad"); in text all in capitals or all in
    small letters, case is not looked at."""

    single: set[str] = field(default_factory=set)
    lower_ok: set[str] = field(default_factory=set)  # single words also written in small letters
    phrases: dict[str, list[tuple[tuple[str, ...], tuple[bool, ...]]]] = field(default_factory=dict)
    cased: set[str] = field(default_factory=set)

    def add(self, phrase: str) -> None:
        p = phrase.strip()
        if not p:
            return
        toks = [m.group(0) for m in _WORD.finditer(p)]
        if not toks:
            return
        if len(toks) == 1 and p.isupper() and len(p) <= 5:
            self.cased.add(toks[0].rstrip("."))
            self.cased.add(toks[0])
            return
        low = tuple(_norm(t) for t in toks)
        caps = tuple(t[:1].isupper() and not (j == 0 and t.lower() == "the") for j, t in enumerate(toks))
        if len(low) == 1:
            self.single.add(low[0])
            if not caps[0]:
                self.lower_ok.add(low[0])
        else:
            self.phrases.setdefault(low[0], []).append((low[1:], caps))


def _bare(tok: str) -> str:
    """A token without its possessive ("Israel's" -> "Israel")."""
    return tok[:-2] if tok.endswith(("'s", "’s")) and len(tok) > 2 else tok


def _norm(tok: str) -> str:
    t = _bare(tok).lower().replace("’", "'")
    return t[:-1] if t.endswith(".") and t.count(".") == 1 else t


def inflections(lemma: str, irregular: dict[str, list[str]] | None = None) -> set[str]:
    """The written forms of a word: ``resume`` -> resume, resumes, resumed, resuming; ``say`` ->
    says, said (irregular forms from gate.yaml); a noun's plural comes out the same way."""
    w = lemma.lower()
    forms = {w, w + "s", w + "es", w + "ed", w + "ing", w + "d"}
    if w.endswith("e"):
        forms |= {w[:-1] + "ing", w + "d"}
    if w.endswith("y") and len(w) > 2 and w[-2] not in "aeiou":
        forms |= {w[:-1] + "ies", w[:-1] + "ied"}
    if len(w) >= 3 and w[-1] not in "aeiouwxy" and w[-2] in "aeiou" and w[-3] not in "aeiou":
        forms |= {w + w[-1] + "ed", w + w[-1] + "ing"}  # stop -> stopped, ban -> banned
    if w.endswith("ie"):
        forms.add(w[:-2] + "ying")
    forms |= set((irregular or {}).get(w, []))
    return forms


@dataclass(slots=True)
class Gate:
    sides: _Words
    acts: _Words

    def judge(self, text: str, title: str | None = None) -> Verdict:
        """Whether ``text`` (with its title) can hold a record."""
        side = act = None
        for chunk in (title or "", text):
            tokens = [m.group(0) for m in _WORD.finditer(chunk)]
            caseless = _caseless(chunk)
            if side is None:
                side = _find(self.sides, tokens, caseless)
            if act is None:
                act = _find(self.acts, tokens, caseless)
            if side and act:
                return Verdict(True, None, side, act)
        if side is None:
            return Verdict(False, NO_SIDE, None, act)
        return Verdict(False, NO_ACT, side, None)

    def keep_paragraphs(self, text: str) -> tuple[str, int, int]:
        """``text`` with the paragraphs that have neither a side nor an act blanked (spaces,
        line breaks kept; same length, same offsets). Returns (text, kept, paragraphs)."""
        out: list[str] = []
        kept = total = 0
        start = 0
        caseless = _caseless(text)
        for m in [*_PARAGRAPH.finditer(text), None]:
            end = m.start() if m else len(text)
            para = text[start:end]
            if para.strip():
                total += 1
                tokens = [t.group(0) for t in _WORD.finditer(para)]
                if _find(self.sides, tokens, caseless) or _find(self.acts, tokens, caseless):
                    kept += 1
                    out.append(para)
                else:
                    out.append(re.sub(r"[^\n]", " ", para))
            else:
                out.append(para)
            if m:
                out.append(m.group(0))
                start = m.end()
        return "".join(out), kept, total


def _caseless(text: str) -> bool:
    """Text written all in capitals or all in small letters (case tells nothing there)."""
    upper = sum(1 for c in text if c.isupper())
    lower = sum(1 for c in text if c.islower())
    return upper == 0 or lower == 0 or upper > 2 * lower


def _find(words: _Words, tokens: list[str], caseless: bool = False) -> str | None:
    """The first word or phrase of ``words`` in ``tokens``, or None."""
    low = [_norm(t) for t in tokens]
    for i, t in enumerate(low):
        cap = tokens[i][:1].isupper()
        for w in (t, t[:-1] if t.endswith("s") else None):  # "Nigerians"
            if w and w in words.single and (caseless or cap or w in words.lower_ok):
                return tokens[i]
        raw = _bare(tokens[i])
        if raw in words.cased or raw.rstrip(".") in words.cased:
            return tokens[i]
        for rest, caps in words.phrases.get(t, ()):
            if tuple(low[i + 1:i + 1 + len(rest)]) == rest and (
                caseless or all(tokens[i + j][:1].isupper() for j, c in enumerate(caps) if c)
            ):
                return " ".join(tokens[i:i + 1 + len(rest)])
    return None


def _side_words(registry: Registry) -> Iterable[str]:
    from .extract.events import _lexicon

    for c in registry.countries.values():
        yield c.name
        yield from c.names
        yield from c.demonyms
        yield from c.capitals
        yield from c.metonyms
        for n in [c.name, *c.names]:
            if "," in n:
                yield n.split(",")[0]
    lex = _lexicon(registry)  # the event coder's country words (with adjectives it derives), kept in small letters there
    for w in (*lex.exact, *lex.demonyms):
        yield " ".join(x[:1].upper() + x[1:] for x in w.split())
    yield from lex.cased
    for p in registry.people.values():
        yield p.name
        yield from p.aliases
        for t in p.titles:
            yield t.title
    for o in registry.organizations.values():
        yield o.name
        yield from o.aliases
    for ch in registry.channels.values():
        yield from ch.all_names()
    for r in registry.roles.values():
        yield from r.phrases
    yield from registry.gate_subjects


# the groups of terms that name something happening (the others qualify it)
_ACT_GROUPS = frozenset({"engagement", "status", "engagement_status", "initiative", "coreference"})


def _act_words(registry: Registry) -> Iterable[str]:
    from .extract import events, statements

    from spacy.lang.en.stop_words import STOP_WORDS

    irregular = registry.gate_forms
    for t in registry.terms:
        if t.group not in _ACT_GROUPS:  # modifiers of an act ("without", "could", "former"), not acts
            continue
        if t.group not in ("engagement", "status") and t.phrase in STOP_WORDS:  # "next" (visit), "due"
            continue
        if t.lemma:
            yield from inflections(t.phrase, irregular)
        else:
            yield t.phrase
            words = t.phrase.split()
            if len(words) == 1:
                yield from inflections(t.phrase, irregular)
    for v in registry.verbs:
        first = v.split()[0]
        yield from inflections(first, irregular)
    for cue in registry.cues:
        yield cue.phrase
    for ch in registry.channels.values():
        yield from ch.all_names()
        for kws in ch.keywords:
            for w in kws:
                if w.lower() not in STOP_WORDS:  # "between two militaries": "militaries"
                    yield from inflections(w, irregular)

    # the event coder's tables hold words that only count beside others ("two" of "two sides",
    # "make" of "make a visit"): their function words say nothing on their own
    k = events.knowledge(registry)  # the package's tables and a user's own triggers
    tables: list[Iterable[str]] = [
        k.verb_cues, k.noun_cues, k.light_verbs, k.governors, k.cut_verbs, k.undo_verbs,
        k.cooperative_nouns, k.restrictive_nouns, k.protest_nouns, k.reporting_verbs,
        k.news_event_nouns, statements._SPEECH_NOUNS,
    ]
    for table in [*tables, [w for pair in k.phrase_cues for w in pair]]:
        for w in table:
            for part in w.split():
                if part.lower() not in STOP_WORDS:
                    yield from inflections(part, irregular)


@lru_cache(maxsize=8)
def gate_for(registry: Registry) -> Gate:
    """The gate of a registry, built once per registry and process."""
    sides, acts = _Words(), _Words()
    for w in _side_words(registry):
        sides.add(w)
    for w in _act_words(registry):
        acts.add(w)
    return Gate(sides, acts)
