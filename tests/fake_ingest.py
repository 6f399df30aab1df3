"""Run the real ``readout ingest`` (inputs, ingest loop, store) with the model and extractors
replaced by ``conftest.fake_analysis``: a writer process for tests that need one beside them
(readers during an ingest, a backup during an ingest) without loading the model.

    python tests/fake_ingest.py DB INPUT...
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import fake_analysis  # noqa: E402

from readout import nlp as nlp_mod  # noqa: E402
from readout import pipeline  # noqa: E402
from readout.store import ingest  # noqa: E402


def outcomes(documents: Any, **kwargs: Any) -> Any:
    for d in documents:
        yield pipeline.Outcome(d, fake_analysis(d))


if __name__ == "__main__":
    nlp_mod.load = lambda name=None: None  # type: ignore[assignment]
    nlp_mod.describe = lambda name=None: "fake-model"  # type: ignore[assignment]
    pipeline.analyze_outcomes = outcomes  # type: ignore[assignment]
    summary = ingest(sys.argv[2:], db=sys.argv[1], check_language=False)
    print(summary.new, summary.failed)
