"""Run the real ``readout`` command line (options, inputs, shards, store, exit status) with the
model and extractors replaced by ``conftest.fake_analysis``: for tests that run a command as a
person would, in a process of its own, without loading the model.

    python tests/fake_cli.py ingest news.parquet --text-column body --db x.db
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import fake_analysis  # noqa: E402

from readout import nlp as nlp_mod  # noqa: E402
from readout import pipeline  # noqa: E402


def outcomes(documents: Any, **kwargs: Any) -> Any:
    for d in documents:
        yield pipeline.Outcome(d, fake_analysis(d))


if __name__ == "__main__":
    nlp_mod.load = lambda name=None: None  # type: ignore[assignment]
    nlp_mod.describe = lambda name=None: "fake-model"  # type: ignore[assignment]
    pipeline.analyze_outcomes = outcomes  # type: ignore[assignment]
    from readout.cli import cli

    cli(sys.argv[1:], prog_name="readout")
