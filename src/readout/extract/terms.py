"""Matching the registry's ``terms`` (engagement and status words) and channel names in a
parsed document. Compiled once per registry and vocabulary; matching is a PhraseMatcher pass
plus a lemma lookup, so it costs little on top of the parse."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from ..registry import Registry

# British spellings folded to American before channel keyword matching
_SPELLING = {"theatre": "theater", "defence": "defense", "centre": "center", "dialog": "dialogue", "programme": "program"}


def fold(word: str) -> str:
    w = word.lower()
    w = _SPELLING.get(w, w)
    # crude plural folding, enough for keyword sets ("commanders" -> "commander")
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


@dataclass(frozen=True, slots=True)
class TermHit:
    start: int  # token index
    end: int
    group: str
    value: str
    phrase: str


@dataclass(frozen=True, slots=True)
class ChannelHit:
    start: int
    end: int
    channel: str
    rule: str  # name | keywords
    # other channels with the same name at the same place ("defense hotline" is a name of the
    # US-China and of the Japan-China hotline): the channel extractor picks by the sentence's dyad
    alternatives: tuple[str, ...] = ()


@dataclass(slots=True)
class _Compiled:
    phrases: PhraseMatcher
    keys: dict[int, list[tuple[str, str, str]]]  # match id -> [(group, value, phrase)]
    lemmas: dict[str, list[tuple[str, str, str]]]
    channel_names: PhraseMatcher
    channel_keys: dict[int, list[str]]
    channel_keywords: list[tuple[str, list[str]]]
    demonyms: dict[str, str]


@lru_cache(maxsize=8)
def compiled(registry: Registry, vocab: Vocab) -> _Compiled:
    nlp = spacy.blank("en", vocab=vocab)
    # NORM: lower case with typographic quotes and apostrophes folded ("leaders’ meeting")
    phrases = PhraseMatcher(vocab, attr="NORM")
    keys: dict[int, list[tuple[str, str, str]]] = {}
    lemmas: dict[str, list[tuple[str, str, str]]] = {}
    by_phrase: dict[str, list[tuple[str, str, str]]] = {}
    for t in registry.terms:
        if t.lemma:
            lemmas.setdefault(t.phrase, []).append((t.group, t.value, t.phrase))
        else:
            by_phrase.setdefault(t.phrase, []).append((t.group, t.value, t.phrase))
    for i, (phrase, lst) in enumerate(by_phrase.items()):
        key = f"readout_term_{i}"
        keys[vocab.strings.add(key)] = lst
        phrases.add(key, [nlp.make_doc(phrase)])
    channel_names = PhraseMatcher(vocab, attr="NORM")
    channel_keys: dict[int, list[str]] = {}
    names: dict[str, list[str]] = {}
    keywords: list[tuple[str, list[str]]] = []
    for ch in registry.channels.values():
        for n in ch.all_names():
            names.setdefault(n.lower(), []).append(ch.id)
        for kw in ch.keywords:
            keywords.append((ch.id, [fold(w) for w in kw]))
    for i, (name, ids) in enumerate(names.items()):
        key = f"readout_channel_{i}"
        channel_keys[vocab.strings.add(key)] = ids
        channel_names.add(key, [nlp.make_doc(name)])
    demonyms: dict[str, str] = {}
    for c in registry.countries.values():
        for d in c.demonyms:
            demonyms[d.lower()] = c.code
    return _Compiled(phrases, keys, lemmas, channel_names, channel_keys, keywords, demonyms)


def find_terms(doc: Doc, registry: Registry, group: str | None = None) -> list[TermHit]:
    """Every term of ``group`` in the document; overlapping hits of one group keep the longest.
    All groups are matched in one pass per document and kept for the other extractors."""
    key = f"readout_terms:{id(registry)}"
    every = doc.user_data.get(key)
    if every is None:
        every = doc.user_data[key] = tuple(_find_terms(doc, registry))
    return [h for h in every if group is None or h.group == group]


def _find_terms(doc: Doc, registry: Registry) -> list[TermHit]:
    group = None
    comp = compiled(registry, doc.vocab)
    hits: list[TermHit] = []
    for match_id, start, end in comp.phrases(doc):
        for g, value, phrase in comp.keys[match_id]:
            if group is None or g == group:
                hits.append(TermHit(start, end, g, value, phrase))
    if comp.lemmas:
        for tok in doc:
            for g, value, phrase in comp.lemmas.get(tok.lemma_.lower(), ()):
                if group is None or g == group:
                    hits.append(TermHit(tok.i, tok.i + 1, g, value, phrase))
    # longest first; drop hits of the same group inside a longer one
    hits.sort(key=lambda h: (-(h.end - h.start), h.start))
    kept: list[TermHit] = []
    covering: dict[tuple[str, int], list[TermHit]] = {}  # (group, token) -> kept hits over it
    for h in hits:
        over = covering.get((h.group, h.start), [])
        if any(k.start <= h.start and h.end <= k.end and (k.end - k.start) > (h.end - h.start) for k in over):
            continue
        if any(k.start == h.start and k.end == h.end and k.value == h.value for k in over):
            continue
        kept.append(h)
        for i in range(h.start, h.end):
            covering.setdefault((h.group, i), []).append(h)
    return sorted(kept, key=lambda h: (h.start, h.end))


_KEYWORD_WINDOW = 8


def find_channels(doc: Doc, registry: Registry) -> list[ChannelHit]:
    """Channel mentions: by any of a channel's names, then by its keyword sets (all words of a
    set within a few tokens, in one sentence). Longer, name-based hits win overlaps."""
    key = f"readout_channels:{id(registry)}"
    cached = doc.user_data.get(key)
    if cached is not None:
        return list(cached)
    comp = compiled(registry, doc.vocab)
    hits: list[ChannelHit] = []
    for match_id, start, end in comp.channel_names(doc):
        for cid in comp.channel_keys[match_id]:
            hits.append(ChannelHit(start, end, cid, "name"))
    if comp.channel_keywords:
        folded = [fold(t.text) for t in doc]
        positions: dict[str, list[int]] = {}
        for i, w in enumerate(folded):
            positions.setdefault(w, []).append(i)
        sent_of: list[int] = [0] * len(doc)
        for n, sent in enumerate(doc.sents):
            for i in range(sent.start, sent.end):
                sent_of[i] = n
        for cid, words in comp.channel_keywords:
            if not all(w in positions for w in words):
                continue
            for anchor in positions[words[0]]:
                idx = [anchor]
                ok = True
                for w in words[1:]:
                    ps = positions[w]
                    lo, hi = bisect.bisect_left(ps, anchor - _KEYWORD_WINDOW), bisect.bisect_right(ps, anchor + _KEYWORD_WINDOW)
                    near = [p for p in ps[lo:hi] if sent_of[p] == sent_of[anchor]]
                    if not near:
                        ok = False
                        break
                    idx.append(min(near, key=lambda p: abs(p - anchor)))
                if ok:
                    hits.append(ChannelHit(min(idx), max(idx) + 1, cid, "keywords"))
    hits.sort(key=lambda h: (h.rule != "name", -(h.end - h.start), h.start))
    kept: list[ChannelHit] = []
    others: dict[int, list[str]] = {}  # index in kept -> channels sharing its exact place
    for h in hits:
        clash = [n for n, k in enumerate(kept) if k.start < h.end and h.start < k.end]
        if clash:
            n = clash[0]
            k = kept[n]
            if len(clash) == 1 and (k.start, k.end, k.rule) == (h.start, h.end, h.rule) and h.channel != k.channel:
                others.setdefault(n, []).append(h.channel)
            continue
        kept.append(h)
    for n, ids in others.items():
        k = kept[n]
        kept[n] = ChannelHit(k.start, k.end, k.channel, k.rule, tuple(dict.fromkeys(c for c in ids if c != k.channel)))
    result = sorted(kept, key=lambda h: h.start)
    doc.user_data[key] = tuple(result)
    return result


def demonym_country(word: str, registry: Registry, vocab: Vocab) -> str | None:
    return compiled(registry, vocab).demonyms.get(word.lower())


_WS = re.compile(r"\s+")


def snippet(text: str, limit: int = 160) -> str:
    text = _WS.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
