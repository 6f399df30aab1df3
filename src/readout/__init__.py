"""readout: a sourced record of talks between states, read from news and official readouts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

__version__ = "0.1.0"

from .errors import ReadoutError
from .records import Analysis


def analyze(text: str, **kwargs: Any) -> Analysis:
    """Analyze one document: see ``readout.pipeline.analyze``."""
    from .pipeline import analyze as _analyze

    return _analyze(text, **kwargs)


def analyze_many(texts: Iterable[str | dict[str, object]], **kwargs: Any) -> Iterator[Analysis]:
    """Analyze many documents with nlp.pipe: see ``readout.pipeline.analyze_many``."""
    from .pipeline import analyze_many as _analyze_many

    return _analyze_many(texts, **kwargs)


__all__ = ["Analysis", "ReadoutError", "__version__", "analyze", "analyze_many"]
