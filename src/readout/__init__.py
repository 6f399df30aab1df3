"""readout: a sourced record of talks between states, read from news and official readouts."""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import ReadoutError  # noqa: E402
from .records import Analysis  # noqa: E402


def analyze(text: str, **kwargs):  # type: ignore[no-untyped-def]
    """Analyze one document: see ``readout.pipeline.analyze``."""
    from .pipeline import analyze as _analyze

    return _analyze(text, **kwargs)


def analyze_many(texts, **kwargs):  # type: ignore[no-untyped-def]
    """Analyze many documents with nlp.pipe: see ``readout.pipeline.analyze_many``."""
    from .pipeline import analyze_many as _analyze_many

    return _analyze_many(texts, **kwargs)


__all__ = ["Analysis", "ReadoutError", "analyze", "analyze_many", "__version__"]
