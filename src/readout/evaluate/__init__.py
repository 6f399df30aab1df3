"""Measuring readout against human-annotated data.

``readout.evaluate.quotes``: quote attribution by the PolNeAR protocol - ``score_quotes``
scores predicted quotations against gold ones; ``run_polnear`` runs the statement extractor
over a PolNeAR JSONL file and scores it; ``python -m readout.evaluate.quotes FILE`` prints the
table.
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
