"""A peer side by side: textacy's ``direct_quotations`` and readout on PolNeAR direct quotes.

textacy (a dev-only dependency: ``pip install -e ".[dev]"``; readout never imports it at run
time) extracts direct quotations with an attributable speaker; it does not look for indirect
or mixed ones. So both systems are scored on the direct subset only: the gold attributions
whose ``quote_type`` is ``direct``, against readout's statements of kind ``direct`` and all
of textacy's triples, with the same scorer (``readout.evaluate.quotes.score_quotes``) and the
same parse of each document by the pinned model.

textacy is run as its documentation shows, once per document. It gives up on a whole document
when the document has an odd number of quotation marks; a second row runs it once per
paragraph, so that one stray mark costs only its paragraph (the more generous reading).

    python bench/peer_textacy.py ../shared/eval/polnear/dev.jsonl            # a table
    python bench/peer_textacy.py ../shared/eval/polnear/dev.jsonl --json     # the numbers
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from readout.evaluate.quotes import (
    Attribution,
    ScoredDocument,
    gold_attributions,
    read_polnear,
    score_quotes,
    statement_attributions,
)

SYSTEMS = ("readout", "textacy", "textacy_paragraphs")


def textacy_attributions(triples: Iterable[Any], offset: int = 0) -> list[Attribution]:
    """textacy ``DQTriple``s (speaker tokens, cue tokens, content span) as predictions."""
    out = []
    for speaker, cue, content in triples:
        out.append(
            Attribution(
                content=((offset + content.start_char, offset + content.end_char),),
                source=tuple((offset + t.idx, offset + t.idx + len(t.text)) for t in speaker),
                cue=tuple((offset + t.idx, offset + t.idx + len(t.text)) for t in cue),
                quote_type="direct",
                source_name=" ".join(t.text for t in speaker) or None,
            )
        )
    return out


def _paragraphs(text: str) -> list[tuple[int, str]]:
    """(offset, text) of each non-empty line-separated paragraph."""
    return [(m.start(), m.group()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]


def run(path: str, limit: int | None = None) -> dict[str, Any]:
    """Score readout and textacy on the direct quotes of a PolNeAR JSONL file."""
    from textacy.extract.triples import direct_quotations

    from readout import nlp as nlp_mod
    from readout.extract.base import ActorIndex
    from readout.extract.statements import extract_statements
    from readout.registry import get_registry

    records = read_polnear(path, limit)
    nlp = nlp_mod.load()
    registry = get_registry()
    scored: dict[str, list[ScoredDocument]] = {s: [] for s in SYSTEMS}
    bailed = {"textacy": 0, "textacy_paragraphs": 0}
    paragraphs = 0
    for record, doc in zip(records, nlp.pipe([r["text"] for r in records], batch_size=16), strict=True):
        text, doc_id = record["text"], str(record.get("doc_id", ""))
        gold = [g for g in gold_attributions(record) if g.quote_type == "direct"]
        ours = [a for a in statement_attributions(extract_statements(doc, registry, ActorIndex(), [])) if a.quote_type == "direct"]
        try:
            theirs = textacy_attributions(direct_quotations(doc))
        except ValueError:  # an odd number of quotation marks: textacy gives up on the document
            theirs = []
            bailed["textacy"] += 1
        by_paragraph: list[Attribution] = []
        pieces = _paragraphs(text)
        paragraphs += len(pieces)
        for (offset, _), pdoc in zip(pieces, nlp.pipe([p for _, p in pieces], batch_size=64), strict=True):
            try:
                by_paragraph += textacy_attributions(direct_quotations(pdoc), offset)
            except ValueError:
                bailed["textacy_paragraphs"] += 1
        for system, predicted in zip(SYSTEMS, (ours, theirs, by_paragraph), strict=True):
            scored[system].append(ScoredDocument(text, gold, predicted, doc_id))
    import textacy

    return {
        "documents": len(records),
        "gold_direct": sum(len(d.gold) for d in scored["readout"]),
        "textacy_version": textacy.__version__,
        "textacy_gave_up": {"documents": bailed["textacy"], "paragraphs": bailed["textacy_paragraphs"], "of_paragraphs": paragraphs},
        "systems": {s: score_quotes(docs)["overall"] for s, docs in scored.items()},
    }


def format_table(result: dict[str, Any]) -> str:
    lines = [
        f"PolNeAR direct quotes: {result['gold_direct']} in {result['documents']} documents; textacy {result['textacy_version']} "
        f"gave up on {result['textacy_gave_up']['documents']} documents (per paragraph: {result['textacy_gave_up']['paragraphs']} "
        f"of {result['textacy_gave_up']['of_paragraphs']} paragraphs)",
        f"{'system':<20}{'pred':>6}  {'P / R / F1 @0.3':^20}  {'F1 @0.8':>8}{'F1 exact':>9}{'speaker':>9}{'quote+speaker F1':>18}",
    ]
    for name, r in result["systems"].items():
        m = r["at_0.3"]
        lines.append(
            f"{name:<20}{r['predicted']:>6}  {m['precision']:.2f} / {m['recall']:.2f} / {m['f1']:.2f}".ljust(48)
            + f"{r['at_0.8']['f1']:>8.2f}{r['exact']['f1']:>9.2f}{r['speaker']['accuracy']:>9.2f}{r['end_to_end']['f1']:>18.2f}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="readout and textacy's direct_quotations on PolNeAR direct quotes.")
    ap.add_argument("gold", help="PolNeAR JSONL, e.g. ../shared/eval/polnear/dev.jsonl")
    ap.add_argument("--limit", type=int, default=None, help="only the first N documents")
    ap.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = ap.parse_args(argv)
    try:
        import textacy  # noqa: F401
    except ImportError:
        print('error: textacy is not installed: pip install -c requirements.lock -e ".[dev]"', file=sys.stderr)
        return 2
    result = run(args.gold, args.limit)
    print(json.dumps(result, indent=2) if args.json else format_table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
