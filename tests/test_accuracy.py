"""The README's "Accuracy" numbers are generated from bench/accuracy.json (``make eval``), and a
fresh run of ``readout eval`` must not fall below them beyond a small tolerance."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]


def _accuracy() -> ModuleType:
    spec = importlib.util.spec_from_file_location("readout_bench_accuracy", REPO / "bench" / "accuracy.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


acc = _accuracy()


@pytest.fixture(scope="module")
def recorded() -> dict[str, Any]:
    return acc.load()


def test_accuracy_readme_section_is_what_the_json_renders(recorded: dict[str, Any]) -> None:
    section = acc.readme_section((REPO / "README.md").read_text(encoding="utf-8"))
    assert section == acc.render(recorded), "README.md's accuracy numbers were edited by hand or are stale: run `python bench/accuracy.py readme`"


def test_accuracy_json_holds_every_data_set(recorded: dict[str, Any]) -> None:
    assert {"date", "model", "corpus", "quotes", "quotes_quick", "events", "peer"} <= set(recorded)
    assert recorded["quotes_quick"]["documents"] == acc.QUICK_DOCS


def test_accuracy_render_puts_each_number_in_its_row(recorded: dict[str, Any]) -> None:
    data = {**recorded, "events": {**recorded["events"], "type": {"precision": 0.5, "recall": 0.25, "f1": 1 / 3}}}
    rows = [line for line in acc.render(data).splitlines() if line.startswith("| type (actor, recipient, type)")]
    assert rows == ["| type (actor, recipient, type) | 0.50 | 0.25 | **0.33** |"]


def test_peer_textacy_triples_become_predictions_at_their_offsets() -> None:
    # textacy's DQTriple is (speaker tokens, cue tokens, content span); a paragraph's doc is
    # placed back at its offset in the document
    import spacy

    spec = importlib.util.spec_from_file_location("readout_bench_peer", REPO / "bench" / "peer_textacy.py")
    assert spec is not None and spec.loader is not None
    peer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(peer)
    doc = spacy.blank("en")('"Keep the line open," Berg said.')
    #                         0123456789012345678901234567890
    [a] = peer.textacy_attributions([([doc[7]], [doc[8]], doc[0:7])], offset=100)
    assert a.content == ((100, 121),) and a.source == ((122, 126),) and a.cue == ((127, 131),)
    assert (a.quote_type, a.source_name) == ("direct", "Berg")
    assert peer._paragraphs("one\n\n two\n") == [(0, "one"), (5, " two")]


def _not_below(fresh: float, kept: float, what: str) -> None:
    assert fresh >= kept - acc.TOLERANCE, f"{what}: {fresh:.4f} is below the documented {kept:.4f}; fix it, or run `make eval` if the drop is meant"


@pytest.mark.model
@pytest.mark.shared
def test_accuracy_fresh_quotes_not_below_the_documented(shared_dir: Path, recorded: dict[str, Any]) -> None:
    from readout.evaluate.quotes import evaluate_quotes

    fresh = evaluate_quotes(shared_dir / acc.POLNEAR, limit=acc.QUICK_DOCS)
    kept = recorded["quotes_quick"]
    for name in ("overall", "direct", "mixed", "indirect"):
        f = fresh["overall"] if name == "overall" else fresh["by_type"][name]
        k = kept["overall"] if name == "overall" else kept["by_type"][name]
        _not_below(f["at_0.3"]["f1"], k["at_0.3"]["f1"], f"quotes {name} F1 at 0.3")
        _not_below(f["speaker"]["accuracy"], k["speaker"]["accuracy"], f"quotes {name} speaker accuracy")


@pytest.mark.model
@pytest.mark.shared
def test_accuracy_fresh_events_not_below_the_documented(shared_dir: Path, recorded: dict[str, Any]) -> None:
    from readout.evaluate.events import evaluate_events

    fresh = evaluate_events(shared_dir / acc.PLOVER)
    for level in ("type", "type_mode"):
        _not_below(fresh[level]["f1"], recorded["events"][level]["f1"], f"PLOVER {level} F1")


@pytest.mark.model
def test_accuracy_fresh_corpus_not_below_the_documented(recorded: dict[str, Any]) -> None:
    from readout.evaluate.corpus import evaluate_corpus

    fresh = evaluate_corpus()["records"]
    for kind, kept in recorded["corpus"].items():
        _not_below(fresh[kind]["f1"], kept["f1"], f"sample corpus {kind} F1")
