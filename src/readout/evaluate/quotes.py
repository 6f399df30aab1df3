"""Score quote attribution the way PolNeAR results are reported.

The protocol (``../shared/eval/README.md``):

- Each gold content is matched to at most one predicted quotation and each prediction to at
  most one gold content, greedily, best pair first. A pair's score is
  ``|gold ∩ predicted| / |gold|`` in characters, after spaces and quotation marks are trimmed
  from the edges of every span. Ties go to the pair whose prediction is tighter
  (``|gold ∩ predicted| / |predicted|``), then to text order.
- A matched pair counts at a threshold (0.3, 0.8) when its score reaches it; it counts as an
  exact match when the trimmed character sets are equal. Precision is matched pairs over
  predictions, recall matched pairs over gold contents.
- On pairs matched at 0.3: the speaker is correct when a predicted speaker span overlaps a gold
  source span, or when the last word of the gold source is a word of the predicted speaker
  name (a name resolved elsewhere in the document). Gold contents without a source are left
  out of speaker accuracy. The cue is correct when the spans overlap.
- End to end: a pair matched at 0.3 whose speaker is correct (a gold content without a source
  counts only if the prediction has no speaker either).
- Everything is given overall and by quote type: recall by the gold ``quote_type``, precision
  by the prediction's own type (a ``Statement``'s ``kind``).

``score_quotes`` is the pure scorer and ``quote_errors`` lists the worst misses and false
alarms; ``run_polnear`` parses a PolNeAR JSONL file, runs the statement extractor over each
document (with an empty ``ActorIndex``) and scores it; ``evaluate_quotes`` is what
``readout eval quotes --gold FILE`` calls (the file checked, errors listed on request);
``python -m readout.evaluate.quotes FILE`` prints the table.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

QUOTE_TYPES = ("direct", "mixed", "indirect")
THRESHOLDS = (0.3, 0.8)
_TRIM = " \t\r\n\u00a0\"'“”‘’«»„‹›`"

Interval = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Attribution:
    """One quotation, gold or predicted: character spans into the document text."""

    content: tuple[Interval, ...]
    source: tuple[Interval, ...] = ()
    cue: tuple[Interval, ...] = ()
    quote_type: str = "indirect"
    source_name: str | None = None  # a predicted speaker's name, wherever it was resolved


@dataclass(frozen=True, slots=True)
class ScoredDocument:
    """The gold and predicted quotations of one document, with its text."""

    text: str
    gold: Sequence[Attribution]
    predicted: Sequence[Attribution]
    doc_id: str = ""


# ------------------------------------------------------------------ character arithmetic
def _trim(text: str, start: int, end: int) -> Interval:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def _intervals(text: str, spans: Iterable[Interval]) -> list[Interval]:
    """Trimmed, sorted, merged intervals."""
    out: list[Interval] = []
    for s, e in sorted(_trim(text, s, e) for s, e in spans):
        if e <= s:
            continue
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _size(iv: Sequence[Interval]) -> int:
    return sum(e - s for s, e in iv)


def _overlap(a: Sequence[Interval], b: Sequence[Interval]) -> int:
    i = j = total = 0
    while i < len(a) and j < len(b):
        s, e = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if e > s:
            total += e - s
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


def _words(text: str) -> list[str]:
    return [w.strip(".,;:!?()[]\"'“”‘’").lower() for w in text.split() if w.strip(".,;:!?()[]\"'“”‘’")]


def _speaker_correct(text: str, gold: Attribution, pred: Attribution) -> bool:
    if not gold.source:
        return not pred.source and not pred.source_name
    g = _intervals(text, gold.source)
    p = _intervals(text, pred.source)
    if g and p and _overlap(g, p) > 0:
        return True
    if pred.source_name:
        gold_words = _words(" ".join(text[s:e] for s, e in sorted(gold.source)))
        if gold_words and gold_words[-1] in _words(pred.source_name):
            return True
    return False


def _cue_correct(text: str, gold: Attribution, pred: Attribution) -> bool:
    g = _intervals(text, gold.cue)
    p = _intervals(text, pred.cue)
    return bool(g and p and _overlap(g, p) > 0)


# ------------------------------------------------------------------ matching
@dataclass(frozen=True, slots=True)
class _Pair:
    gold: int
    pred: int
    score: float
    exact: bool
    speaker: bool
    cue: bool | None  # None: the gold has no cue


def match_document(doc: ScoredDocument) -> list[_Pair]:
    """Greedy one-to-one matching of one document's gold and predicted contents."""
    text = doc.text
    golds = [_intervals(text, g.content) for g in doc.gold]
    preds = [_intervals(text, p.content) for p in doc.predicted]
    cands: list[tuple[float, float, int, int, int]] = []
    for gi, g in enumerate(golds):
        gsize = _size(g)
        if gsize == 0:
            continue
        for pi, p in enumerate(preds):
            if not p or p[0][0] >= g[-1][1] or p[-1][1] <= g[0][0]:
                continue
            inter = _overlap(g, p)
            if inter:
                cands.append((inter / gsize, inter / max(_size(p), 1), gi, pi, inter))
    cands.sort(key=lambda c: (-c[0], -c[1], c[2], c[3]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for score, _tight, gi, pi, _inter in cands:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        gold, pred = doc.gold[gi], doc.predicted[pi]
        pairs.append(
            _Pair(
                gold=gi,
                pred=pi,
                score=score,
                exact=golds[gi] == preds[pi],
                speaker=_speaker_correct(text, gold, pred),
                cue=_cue_correct(text, gold, pred) if gold.cue else None,
            )
        )
    return pairs


# ------------------------------------------------------------------ scoring
def _prf(tp_p: int, n_pred: int, tp_r: int, n_gold: int) -> dict[str, float | int]:
    p = tp_p / n_pred if n_pred else 0.0
    r = tp_r / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp_pred": tp_p, "tp_gold": tp_r}


def _ratio(correct: int, total: int) -> dict[str, float | int]:
    return {"accuracy": round(correct / total, 4) if total else 0.0, "correct": correct, "total": total}


class _Tally:
    def __init__(self) -> None:
        self.gold = 0
        self.pred = 0
        self.tp_gold: dict[str, int] = {}
        self.tp_pred: dict[str, int] = {}
        self.speaker = [0, 0]
        self.cue = [0, 0]
        self.e2e_gold = 0
        self.e2e_pred = 0

    def result(self) -> dict[str, Any]:
        out: dict[str, Any] = {"gold": self.gold, "predicted": self.pred}
        for key in [f"at_{t}" for t in THRESHOLDS] + ["exact"]:
            out[key] = _prf(self.tp_pred.get(key, 0), self.pred, self.tp_gold.get(key, 0), self.gold)
        out["speaker"] = _ratio(*self.speaker)
        out["cue"] = _ratio(*self.cue)
        out["end_to_end"] = _prf(self.e2e_pred, self.pred, self.e2e_gold, self.gold)
        return out


def _levels(pair: _Pair) -> list[str]:
    keys = [f"at_{t}" for t in THRESHOLDS if pair.score >= t - 1e-9]
    if pair.exact:
        keys.append("exact")
    return keys


def score_quotes(documents: Iterable[ScoredDocument]) -> dict[str, Any]:
    """Score predicted quotations against gold ones, document by document (see the module
    docstring for the protocol). Returns ``{"documents", "overall", "by_type"}``; each score
    block holds ``gold``, ``predicted``, ``at_0.3``/``at_0.8``/``exact`` (precision, recall,
    f1 and the matched counts), ``speaker`` and ``cue`` (accuracy on pairs matched at 0.3) and
    ``end_to_end``."""
    overall = _Tally()
    by_type = {t: _Tally() for t in QUOTE_TYPES}
    n_docs = 0
    low = min(THRESHOLDS)
    for doc in documents:
        n_docs += 1
        overall.gold += len(doc.gold)
        overall.pred += len(doc.predicted)
        for g in doc.gold:
            by_type.setdefault(g.quote_type, _Tally()).gold += 1
        for p in doc.predicted:
            by_type.setdefault(p.quote_type, _Tally()).pred += 1
        for pair in match_document(doc):
            gold, pred = doc.gold[pair.gold], doc.predicted[pair.pred]
            gt, pt = by_type[gold.quote_type], by_type[pred.quote_type]
            for key in _levels(pair):
                overall.tp_gold[key] = overall.tp_gold.get(key, 0) + 1
                overall.tp_pred[key] = overall.tp_pred.get(key, 0) + 1
                gt.tp_gold[key] = gt.tp_gold.get(key, 0) + 1
                pt.tp_pred[key] = pt.tp_pred.get(key, 0) + 1
            if pair.score < low:
                continue
            if gold.source:
                for tally in (overall, gt):
                    tally.speaker[1] += 1
                    tally.speaker[0] += pair.speaker
            if pair.cue is not None:
                for tally in (overall, gt):
                    tally.cue[1] += 1
                    tally.cue[0] += pair.cue
            if pair.speaker:
                overall.e2e_gold += 1
                overall.e2e_pred += 1
                gt.e2e_gold += 1
                pt.e2e_pred += 1
    return {
        "documents": n_docs,
        "overall": overall.result(),
        "by_type": {t: tally.result() for t, tally in by_type.items()},
    }


def _piece_text(text: str, spans: Sequence[Interval], limit: int = 240) -> str:
    joined = " ... ".join(" ".join(text[s:e].split()) for s, e in _intervals(text, spans))
    return joined if len(joined) <= limit else joined[: limit - 3] + "..."


def quote_errors(documents: Iterable[ScoredDocument], n: int = 10) -> dict[str, list[dict[str, Any]]]:
    """The worst errors, ``n`` of each kind, with their text:

    - ``misses``: gold contents not matched at the lowest threshold, the least covered first
      (then the longest);
    - ``false_alarms``: predictions not matched at the lowest threshold, the longest first;
    - ``wrong_speakers``: quotes matched at the lowest threshold whose speaker is wrong, in
      document order.
    """
    low = min(THRESHOLDS)
    misses: list[tuple[tuple[float, int], dict[str, Any]]] = []
    alarms: list[tuple[tuple[float, int], dict[str, Any]]] = []
    speakers: list[dict[str, Any]] = []
    for doc in documents:
        text = doc.text
        pairs = {p.gold: p for p in match_document(doc)}
        matched_pred = {p.pred for p in pairs.values() if p.score >= low - 1e-9}
        for gi, g in enumerate(doc.gold):
            pair = pairs.get(gi)
            score = pair.score if pair else 0.0
            size = _size(_intervals(text, g.content))
            if size == 0:
                continue
            if score < low - 1e-9:
                item = {"doc_id": doc.doc_id, "quote_type": g.quote_type, "overlap": round(score, 3),
                        "text": _piece_text(text, g.content), "source": _piece_text(text, g.source) or None}
                misses.append(((score, -size), item))
            elif pair is not None and g.source and not pair.speaker:
                pred = doc.predicted[pair.pred]
                speakers.append({"doc_id": doc.doc_id, "quote_type": g.quote_type, "text": _piece_text(text, g.content),
                                 "source": _piece_text(text, g.source), "predicted_speaker": _piece_text(text, pred.source) or None,
                                 "predicted_name": pred.source_name})
        for pi, p in enumerate(doc.predicted):
            if pi in matched_pred:
                continue
            size = _size(_intervals(text, p.content))
            item = {"doc_id": doc.doc_id, "quote_type": p.quote_type, "text": _piece_text(text, p.content),
                    "speaker": _piece_text(text, p.source) or p.source_name}
            alarms.append(((0.0, -size), item))
    misses.sort(key=lambda x: x[0])
    alarms.sort(key=lambda x: x[0])
    return {
        "misses": [m for _, m in misses[:n]],
        "false_alarms": [a for _, a in alarms[:n]],
        "wrong_speakers": speakers[:n],
    }


def format_errors(errors: dict[str, list[dict[str, Any]]]) -> str:
    """``quote_errors``'s lists as text for people."""
    lines: list[str] = []
    labels = {"misses": "misses (gold quotes not found)", "false_alarms": "false alarms (predicted, not in the gold)",
              "wrong_speakers": "wrong speakers (quote found, speaker wrong)"}
    for key, label in labels.items():
        items = errors.get(key) or []
        lines += ["", f"{label}: {len(items)}"]
        for e in items:
            if key == "misses":
                who = f" -- source: {e['source']}" if e.get("source") else ""
                lines.append(f"  [{e['doc_id']} {e['quote_type']} overlap {e['overlap']:.2f}] {e['text']}{who}")
            elif key == "false_alarms":
                who = f" -- speaker: {e['speaker']}" if e.get("speaker") else ""
                lines.append(f"  [{e['doc_id']} {e['quote_type']}] {e['text']}{who}")
            else:
                lines.append(f"  [{e['doc_id']} {e['quote_type']}] {e['text']} -- gold: {e['source']}; "
                             f"predicted: {e.get('predicted_speaker') or e.get('predicted_name')}")
    return "\n".join(lines)


def format_table(result: dict[str, Any]) -> str:
    """The scores as a plain-text table for people."""
    rows = [("all", result["overall"])] + [(t, result["by_type"][t]) for t in QUOTE_TYPES if t in result["by_type"]]
    head = f"{'type':<9}{'gold':>6}{'pred':>6}  " + "  ".join(f"{k:^20}" for k in ("P / R / F1 @0.3", "P / R / F1 @0.8", "P / R / F1 exact")) + f"  {'speaker':>8}{'cue':>7}  {'quote+speaker F1':>16}"
    lines = [f"PolNeAR-style quote attribution, {result['documents']} documents", head, "-" * len(head)]
    for name, r in rows:
        cells = []
        for key in ("at_0.3", "at_0.8", "exact"):
            m = r[key]
            cells.append(f"{m['precision']:.2f} / {m['recall']:.2f} / {m['f1']:.2f}".center(20))
        lines.append(
            f"{name:<9}{r['gold']:>6}{r['predicted']:>6}  " + "  ".join(cells)
            + f"  {r['speaker']['accuracy']:>8.2f}{r['cue']['accuracy']:>7.2f}  {r['end_to_end']['f1']:>16.2f}"
        )
    lines.append("precision by predicted type, recall by gold type; speaker and cue accuracy on quotes matched at 0.3")
    if "timing" in result:
        t = result["timing"]
        lines.append(
            f"time: parse {t['parse_seconds']:.2f}s, statements {t['extract_seconds']:.2f}s "
            f"({t['extract_ms_per_doc']:.1f} ms/doc, {100 * t['extract_share_of_parse']:.1f}% of parse time)"
        )
    return "\n".join(lines)


# ------------------------------------------------------------------ PolNeAR
def _spans(raw: Any) -> tuple[Interval, ...]:
    return tuple((int(s), int(e)) for s, e in (raw or []))


def read_polnear(path: str | Path, limit: int | None = None) -> list[dict[str, Any]]:
    """The documents of a PolNeAR JSONL file (``doc_id``, ``text``, ``attributions``)."""
    from ..errors import FileMissingError, MalformedRecordError

    if not Path(path).is_file():
        raise FileMissingError(f"{path}: no such file: give the path of a PolNeAR JSONL file (one {{doc_id, text, attributions}} per line)")
    docs = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise MalformedRecordError(f"{path}:{n}: not JSON ({exc.msg}): give one PolNeAR record per line") from None
            if not isinstance(record, dict) or not isinstance(record.get("text"), str) or not isinstance(record.get("attributions", []), list):
                raise MalformedRecordError(f"{path}:{n}: not a PolNeAR record: give 'text' (a string) and 'attributions' (a list)")
            docs.append(record)
            if limit is not None and len(docs) >= limit:
                break
    return docs


def gold_attributions(record: dict[str, Any]) -> list[Attribution]:
    return [
        Attribution(
            content=_spans(a.get("content")),
            source=_spans(a.get("source")),
            cue=_spans(a.get("cue")),
            quote_type=str(a.get("quote_type") or "indirect"),
        )
        for a in record.get("attributions", [])
        if a.get("content")
    ]


def statement_attributions(statements: Iterable[Any]) -> list[Attribution]:
    """``Statement`` records as predictions."""
    out = []
    for s in statements:
        out.append(
            Attribution(
                content=((s.content_span.start, s.content_span.end),),
                source=((s.speaker_span.start, s.speaker_span.end),) if s.speaker_span else (),
                cue=((s.cue_span.start, s.cue_span.end),) if s.cue_span else (),
                quote_type=s.kind,
                source_name=s.speaker_name,
            )
        )
    return out


def run_polnear(path: str | Path, limit: int | None = None, *, model: str | None = None) -> dict[str, Any]:
    """Parse each document of a PolNeAR JSONL file with spaCy, extract statements (with an
    empty ``ActorIndex``: no actor resolution) and score them. The result is
    ``score_quotes``'s, with ``timing`` (parse and extraction seconds) added."""
    records = read_polnear(path, limit)
    result, _scored = _run_records(records, model=model)
    return result


def _run_records(records: Sequence[dict[str, Any]], *, model: str | None = None) -> tuple[dict[str, Any], list[ScoredDocument]]:
    from .. import nlp as nlp_mod
    from ..extract.base import ActorIndex
    from ..extract.statements import extract_statements
    from ..registry import get_registry

    nlp = nlp_mod.load(model)
    registry = get_registry()
    t0 = time.perf_counter()
    docs = list(nlp.pipe([r["text"] for r in records], batch_size=16))
    parse_s = time.perf_counter() - t0
    scored = []
    extract_s = 0.0
    for record, doc in zip(records, docs, strict=True):
        t1 = time.perf_counter()
        statements = extract_statements(doc, registry, ActorIndex(), [])
        extract_s += time.perf_counter() - t1
        scored.append(
            ScoredDocument(text=record["text"], gold=gold_attributions(record), predicted=statement_attributions(statements),
                           doc_id=str(record.get("doc_id", "")))
        )
    result = score_quotes(scored)
    result["timing"] = {
        "parse_seconds": round(parse_s, 3),
        "extract_seconds": round(extract_s, 3),
        "extract_ms_per_doc": round(1000 * extract_s / max(len(docs), 1), 2),
        "extract_share_of_parse": round(extract_s / parse_s, 4) if parse_s else 0.0,
    }
    return result, scored


def evaluate_quotes(gold: str | Path, *, limit: int | None = None, model: str | None = None, errors: int = 0) -> dict[str, Any]:
    """What ``readout eval quotes`` runs: score the statement extractor on a PolNeAR JSONL file
    (``run_polnear``'s result, with ``gold_file``) and, when ``errors`` > 0, add ``errors``:
    that many of the worst misses, false alarms and wrong speakers with their text.
    A missing or malformed file raises an ``InputError`` that names the file and line."""
    records = read_polnear(gold, limit)
    result, scored = _run_records(records, model=model)
    result = {"gold_file": str(gold), **result}
    if errors > 0:
        result["errors"] = quote_errors(scored, errors)
    return result


def format_report(result: dict[str, Any]) -> str:
    """``evaluate_quotes``'s result as text: the table, then the errors if listed."""
    return format_table(result) + (format_errors(result["errors"]) if "errors" in result else "")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m readout.evaluate.quotes",
        description="Score readout's statement extractor on a PolNeAR JSONL file.",
        epilog="example: python -m readout.evaluate.quotes ../shared/eval/polnear/dev.jsonl --limit 20",
    )
    parser.add_argument("path", help="PolNeAR JSONL: one {doc_id, text, attributions} per line")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N documents")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: readout's pinned model)")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--errors", type=int, default=0, metavar="N", help="list the N worst misses, false alarms and wrong speakers")
    args = parser.parse_args(argv)
    from ..errors import InputError

    try:
        result = evaluate_quotes(args.path, limit=args.limit, model=args.model, errors=args.errors)
    except InputError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return exc.exit_code
    print(json.dumps(result, indent=2) if args.json else format_report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
