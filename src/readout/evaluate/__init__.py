"""Measuring readout against human-annotated data; ``readout eval quotes|events|corpus`` calls
one function of each module (``evaluate_quotes``, ``evaluate_events``, ``evaluate_corpus``).

- ``readout.evaluate.quotes``: quote attribution by the PolNeAR protocol - ``score_quotes``
  scores predicted quotations against gold ones, ``quote_errors`` lists the worst misses;
  ``run_polnear`` runs the statement extractor over a PolNeAR JSONL file and scores it.
- ``readout.evaluate.events``: PLOVER event coding - ``score_events``, ``event_errors``.
- ``readout.evaluate.corpus``: records against gold in readout's own form (the sample
  corpus's ``expected.yaml``) - ``score``, ``corpus_errors``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Attribution", "ScoredDocument", "format_table", "run_polnear", "score_quotes"]


def __getattr__(name: str) -> Any:
    # imported on first use, so that ``python -m readout.evaluate.quotes`` runs the module once
    if name in __all__:
        from . import quotes

        return getattr(quotes, name)
    raise AttributeError(name)
