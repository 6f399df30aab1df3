"""Text in capitals or without capitals: a wire slug in upper case, a machine translation in
lower case. spaCy's English model reads case, so in such text it finds no names and few
sentences. Before parsing, each such paragraph is given ordinary case: lower case, with
capitals where a sentence starts and on the words the registry knows as names (people,
organizations, countries and their demonyms and capitals, channels; acronyms stay in
capitals) and on the calendar's names.

The case-restored text has exactly the length of the original and every character in the same
place, so offsets found in it are offsets into the original; ``restore_spans`` then puts the
original characters back into every record's evidence.

>>> from readout.registry import get_registry
>>> fix_case("DEFENSE SECRETARY LLOYD AUSTIN MET DONG JUN IN SINGAPORE.", get_registry())[:31]
'Defense secretary Lloyd Austin '
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from functools import lru_cache
from typing import Any

from .records import Span
from .registry import Registry

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_MIN_LETTERS = 40  # a shorter paragraph (a heading, a speaker's label) keeps its case
_CALENDAR = ("January February March April May June July August September October November December "
             "Monday Tuesday Wednesday Thursday Friday Saturday Sunday I").split()


def _cased_letters(text: str) -> tuple[int, int]:
    upper = sum(1 for c in text if c.isupper())
    lower = sum(1 for c in text if c.islower())
    return upper, lower


def needs_case(paragraph: str) -> str | None:
    """'upper' or 'lower' when a paragraph is written all in capitals or all without them."""
    upper, lower = _cased_letters(paragraph)
    if upper + lower < _MIN_LETTERS:
        return None
    if upper / (upper + lower) > 0.85:
        return "upper"
    if upper / (upper + lower) < 0.005:
        return "lower"
    return None


@lru_cache(maxsize=8)
def _case_of_words(registry: Registry) -> dict[str, str]:
    """lower-case word -> its usual written form, from every name the registry knows."""
    votes: dict[str, Counter[str]] = {}

    def add(name: str) -> None:
        for w in _WORD.findall(name):
            # not one- or two-letter words: "a", "us" are words before they are names
            if w[:1].isupper() and (len(w) >= 3 or w == "I"):
                votes.setdefault(w.lower(), Counter())[w] += 1

    for c in registry.countries.values():
        for n in [*c.names, *c.demonyms, *c.capitals, *c.metonyms]:
            add(n)
    for o in registry.organizations.values():
        for n in [o.name, *o.aliases]:
            add(n)
    for p in registry.people.values():
        for n in [p.name, *p.aliases]:
            add(n)
    for ch in registry.channels.values():
        for n in ch.all_names():
            add(n)
    for w in _CALENDAR:
        add(w)
    return {low: forms.most_common(1)[0][0] for low, forms in votes.items()}


@lru_cache(maxsize=8)
def _names_in_small_letters(registry: Registry) -> dict[str, str]:
    """UPPER-case word -> its form in small letters, for the names the registry writes in small
    letters at least once ("HAYASHI" -> "Hayashi"; not "NATO", which it writes only in capitals)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    out: dict[str, str] = {}
    for low, form in _case_of_words(registry).items():
        if not form.isupper() and low not in STOP_WORDS:  # "THE" in a heading is no name
            out[low.upper()] = form
    return out


_CAPITALS_WORD = re.compile(r"\b[A-Z]{3,}\b")
_NEXT_WORD = re.compile(r"^[\W\d_]*?([^\W\d_]+)")
_PREVIOUS_WORD = re.compile(r"([^\W\d_]+)[\W\d_]*?$")


def _surnames_in_capitals(para: str, registry: Registry) -> str:
    """A paragraph in ordinary case with names in capitals, as Japanese and some European
    readouts write surnames ("former Foreign Minister HAYASHI Yoshimasa held a telephone talk"):
    the parser reads such a word as an acronym or a punctuation mark, so a name the registry
    knows gets its usual case. Not in a run of words in capitals ("SECRETARY BLINKEN:", a
    transcript's speaker) nor before a colon ("RYDER:"), which other rules read as written."""
    names = _names_in_small_letters(registry)

    def in_capitals(word: re.Match[str] | None) -> bool:
        return word is not None and len(word.group(1)) >= 2 and word.group(1).isupper()

    def fix(m: re.Match[str]) -> str:
        form = names.get(m.group())
        if form is None or len(form) != len(m.group()) or para[m.end():m.end() + 1] == ":":
            return m.group()
        line_start = para.rfind("\n", 0, m.start()) + 1
        before = _PREVIOUS_WORD.search(para[line_start:m.start()])
        after = _NEXT_WORD.search(para[m.end():m.end() + 40])
        return m.group() if in_capitals(before) or in_capitals(after) else form

    return _CAPITALS_WORD.sub(fix, para)


def fix_case(text: str, registry: Registry) -> str:
    """``text`` with ordinary case in every paragraph written all in capitals or all without,
    and known names in ordinary case where the rest of a paragraph has it; the same length,
    each character where it was."""
    words = _case_of_words(registry)
    out: list[str] = []
    for para in re.split(r"(\n+)", text):
        if not para or para.startswith("\n"):
            out.append(para)
            continue
        if needs_case(para) is None:
            out.append(_surnames_in_capitals(para, registry))
            continue
        low = para.lower()
        if len(low) != len(para):
            out.append(para)  # a letter whose case changes its length: leave the paragraph be
            continue
        chars = list(low)
        for m in _WORD.finditer(low):
            known = words.get(m.group())
            if known and len(known) == m.end() - m.start():
                chars[m.start():m.end()] = known
        # a capital where a sentence starts
        start = True
        for i, c in enumerate(chars):
            if start and c.isalpha():
                chars[i] = c.upper() if len(c.upper()) == 1 else c
                start = False
            elif c in ".!?":
                start = True
        out.append("".join(chars))
    fixed = "".join(out)
    return fixed if len(fixed) == len(text) else text


def restore_spans(record: Any, original: str) -> Any:
    """The same record with every ``Span``'s text (and a statement's content) taken from the
    original text at its offsets: records found in case-restored text show the text as written."""
    if isinstance(record, Span):
        return dataclasses.replace(record, text=original[record.start:record.end])
    if isinstance(record, list):
        return [restore_spans(x, original) for x in record]
    if isinstance(record, tuple):
        return tuple(restore_spans(x, original) for x in record)
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        changes = {}
        for f in dataclasses.fields(record):
            value = getattr(record, f.name)
            new = restore_spans(value, original)
            if new is not value:
                changes[f.name] = new
        span = getattr(record, "content_span", None)
        if isinstance(span, Span) and isinstance(getattr(record, "content", None), str):
            changes["content"] = original[span.start:span.end]
        span = getattr(record, "span", None)
        raw = getattr(record, "raw", None)
        if isinstance(span, Span) and isinstance(raw, str) and len(raw) == span.end - span.start:
            changes["raw"] = original[span.start:span.end]
        return dataclasses.replace(record, **changes) if changes else record
    return record
