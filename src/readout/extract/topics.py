"""Topics of a stretch of text: which of the registry's topics (``topics`` section) it names.

``topics_of(text, registry)`` is called once per statement, so it is built to be cheap: the
terms of a registry are indexed once (cached per registry) as word sequences, and the text is
cut into words by one regular-expression pass and looked up word by word. Terms written in
capitals (acronyms such as "AI", "LAC") must match as written; every other term matches in any
case. A term also matches its plural ("sanction" finds "sanctions").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..registry import Registry

# Curly apostrophes and the like count as the straight one.
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})
_WORD = re.compile(r"\w+(?:['-]\w+)*")


@dataclass(frozen=True, slots=True)
class _Index:
    folded: dict[tuple[str, ...], tuple[str, ...]]  # lower-cased words (and plurals) -> topic ids
    exact: dict[str, tuple[str, ...]]  # one-word acronyms, as written (and plurals) -> topic ids
    starts: frozenset[str]  # first words of the folded terms
    prefixes: frozenset[tuple[str, ...]]  # every proper prefix of a folded term
    longest: int  # words in the longest term
    order: dict[str, int]  # topic id -> position in the registry


def _is_acronym(term: str) -> bool:
    letters = [c for c in term if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(term) <= 6


def _words(text: str) -> list[str]:
    return _WORD.findall(text.translate(_APOSTROPHES))


def _plurals(word: str) -> tuple[str, ...]:
    return (word, word + "s", word + "es") if word[-1:].isalpha() else (word,)


def _build(registry: Registry) -> _Index:
    folded: dict[tuple[str, ...], list[str]] = {}
    exact: dict[str, list[str]] = {}
    prefixes: set[tuple[str, ...]] = set()
    longest = 1
    for topic in registry.topics.values():
        for term in topic.terms:
            words = _words(term)
            if not words:
                continue
            if _is_acronym(term) and len(words) == 1:
                keys_exact = _plurals(words[0])
                for k in keys_exact:
                    ids = exact.setdefault(k, [])
                    if topic.id not in ids:
                        ids.append(topic.id)
                continue
            key = tuple(w.lower() for w in words)
            prefixes.update(key[:i] for i in range(1, len(key)))
            longest = max(longest, len(key))
            for last in _plurals(key[-1]):
                ids = folded.setdefault(key[:-1] + (last,), [])
                if topic.id not in ids:
                    ids.append(topic.id)
    return _Index(
        folded={k: tuple(v) for k, v in folded.items()},
        exact={k: tuple(v) for k, v in exact.items()},
        starts=frozenset(k[0] for k in folded),
        prefixes=frozenset(prefixes),
        longest=longest,
        order={tid: i for i, tid in enumerate(registry.topics)},
    )


# One index per registry object. A registry is not hashable (a mutable dataclass), so the
# cache is keyed by id() and checked against the topics mapping it was built from.
_CACHE: dict[int, tuple[object, int, _Index]] = {}


def _index(registry: Registry) -> _Index:
    topics = registry.topics
    size = sum(len(t.terms) for t in topics.values())
    hit = _CACHE.get(id(registry))
    if hit is not None and hit[0] is topics and hit[1] == size:
        return hit[2]
    index = _build(registry)
    if len(_CACHE) > 16:
        _CACHE.clear()
    _CACHE[id(registry)] = (topics, size, index)
    return index


def topics_of(text: str, registry: Registry) -> list[str]:
    """The ids of the topics whose terms ``text`` contains, in the registry's order.

    >>> from readout.registry import get_registry
    >>> topics_of("avoid miscalculation over Taiwan", get_registry())
    ['taiwan', 'communication']
    """
    if not text or not registry.topics:
        return []
    index = _index(registry)
    words = _words(text)
    lower = [w.lower() for w in words]
    found: set[str] = set()
    folded, exact, starts, prefixes = index.folded, index.exact, index.starts, index.prefixes
    n = len(words)
    for i, word in enumerate(lower):
        if exact:
            hit = exact.get(words[i])
            if hit:
                found.update(hit)
        if word not in starts:
            continue
        key: tuple[str, ...] = ()
        for j in range(i, min(i + index.longest, n)):
            key = key + (lower[j],)
            hit = folded.get(key)
            if hit:
                found.update(hit)
            if key not in prefixes:
                break
    return sorted(found, key=lambda t: index.order.get(t, len(index.order)))
