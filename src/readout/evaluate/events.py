"""Event coding measured against the PLOVER gold standard records (CAMEO-manual sentences).

Per sentence, the predicted set of (actor country, recipient country, event type) is compared
with the gold set; precision, recall and F1 are micro-averaged over all tuples, at type level
and at type+mode level. A confusion table of types shows what the typer confuses, and a
"type only" line (countries ignored) separates typing errors from actor errors.

``score_events`` is pure (gold and predicted tuples in, scores out); ``run_plover`` parses the
gold sentences with the pinned model, runs the actor extractor and the sentence-level event
typer (``readout.extract.events.code_sentence``), and scores them.

    python -m readout.evaluate.events ../shared/eval/plover/gold-records.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# (actor country, recipient country, type, mode); countries and mode may be None
EventTuple = tuple[str | None, str | None, str, str | None]
NONE = "-"

# The gold records use a few CAMEO-era country codes that are not ISO 3166-1 alpha-3.
CODE_FIXES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}
# Older PLOVER mode names in the gold records -> the modes of plover_event_modes.csv.
MODE_FIXES: dict[tuple[str, str], str | None] = {
    ("CONSULT", "host"): "visit",
    ("PROTEST", "strike-hun"): "hunger",
    ("PROTEST", "strike-gen"): "strike",
    ("PROTEST", "riot-spon"): "riot",
    ("PROTEST", "demo-org"): "demo",
    ("PROTEST", "demo-spon"): "demo",
    ("COERCE", "confiscate"): "seize",
    ("COERCE", "detain"): "arrest",
    ("COERCE", "ban"): "restrict",
    ("THREATEN", "curfew"): "restrict",
    ("THREATEN", "martial-law"): "restrict",
    ("THREATEN", "political"): "restrict",
    ("ASSAULT", "assassinate"): "targeted",
    ("ASSAULT", "other"): None,
}


@dataclass(frozen=True, slots=True)
class GoldSentence:
    id: str
    text: str
    events: frozenset[EventTuple]


@dataclass(frozen=True, slots=True)
class PRF:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass(slots=True)
class EventScores:
    sentences: int
    type_level: PRF
    mode_level: PRF
    mode_open: PRF  # type+mode where a gold tuple without a mode accepts any predicted mode
    type_only: PRF  # per-sentence sets of types, countries ignored
    actor_type: PRF  # (actor, type), recipient ignored
    confusion: dict[str, Counter[str]] = field(default_factory=dict)  # gold type -> predicted type counts

    def to_dict(self) -> dict[str, Any]:
        return {
            "sentences": self.sentences,
            "type": self.type_level.to_dict(),
            "type_mode": self.mode_level.to_dict(),
            "type_mode_open": self.mode_open.to_dict(),
            "type_only": self.type_only.to_dict(),
            "actor_type": self.actor_type.to_dict(),
            "confusion": {g: dict(c) for g, c in sorted(self.confusion.items())},
        }


# ------------------------------------------------------------------------------ gold
def _code(c: str | None) -> str | None:
    if not c:
        return None
    c = c.strip().upper()
    return CODE_FIXES.get(c, c)


def normalize_mode(etype: str, mode: str | None) -> str | None:
    if not mode:
        return None
    mode = mode.strip()
    if not mode:
        return None
    return MODE_FIXES.get((etype, mode), mode)


def gold_tuples(record: dict[str, Any]) -> set[EventTuple]:
    """The (actor, recipient, type, mode) tuples of one gold record."""
    etype = str(record.get("event_plover_v2") or record.get("event_gsr") or "").upper()
    mode = normalize_mode(etype, record.get("mode_gsr") or record.get("mode_plover_v2_hint"))
    actors = [_code(a.get("country")) for a in record.get("actor") or []] or [None]
    recips = [_code(r.get("country")) for r in record.get("recipient") or []] or [None]
    return {(a, r, etype, mode) for a in actors for r in recips}


def load_gold(path: str | Path) -> list[GoldSentence]:
    """Gold records grouped by sentence text (a sentence with two coded events is one item)."""
    by_text: dict[str, tuple[str, set[EventTuple]]] = {}
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            rec = json.loads(line)
            text = str(rec["text"]).strip()
            _rid, tuples = by_text.setdefault(text, (str(rec.get("id", "")), set()))
            tuples |= gold_tuples(rec)
    return [GoldSentence(rid, text, frozenset(t)) for text, (rid, t) in by_text.items()]


# ------------------------------------------------------------------------------ scoring
def _prf(gold: Sequence[Iterable[Any]], pred: Sequence[Iterable[Any]]) -> PRF:
    tp = fp = fn = 0
    for g, p in zip(gold, pred, strict=True):
        gs, ps = set(g), set(p)
        tp += len(gs & ps)
        fp += len(ps - gs)
        fn += len(gs - ps)
    return PRF(tp, fp, fn)


def _open_modes(gold: set[EventTuple], pred: set[EventTuple]) -> tuple[set[EventTuple], set[EventTuple]]:
    """Gold tuples that carry no mode (the CAMEO-era records code none for most types) accept
    any predicted mode: the predicted tuple is rewritten to the gold one when they agree on the
    rest."""
    open_gold = {t[:3] for t in gold if t[3] is None}
    return gold, {(t[0], t[1], t[2], None) if t[:3] in open_gold else t for t in pred}


def confusion_table(gold: Sequence[Iterable[EventTuple]], pred: Sequence[Iterable[EventTuple]]) -> dict[str, Counter[str]]:
    """Gold type -> predicted type counts, per sentence: types found in both are matched first;
    the rest are paired in order; what is left over is paired with '-' (nothing)."""
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for g, p in zip(gold, pred, strict=True):
        gt = sorted({t[2] for t in g})
        pt = sorted({t[2] for t in p})
        for t in set(gt) & set(pt):
            table[t][t] += 1
        gl = [t for t in gt if t not in pt]
        pl = [t for t in pt if t not in gt]
        for i in range(max(len(gl), len(pl))):
            table[gl[i] if i < len(gl) else NONE][pl[i] if i < len(pl) else NONE] += 1
    return dict(table)


def score_events(gold: Sequence[Iterable[EventTuple]], predicted: Sequence[Iterable[EventTuple]]) -> EventScores:
    """Score predicted event tuples against gold ones, sentence by sentence."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold sentences but {len(predicted)} predictions")
    g = [set(x) for x in gold]
    p = [set(x) for x in predicted]
    return EventScores(
        sentences=len(g),
        type_level=_prf([{t[:3] for t in x} for x in g], [{t[:3] for t in x} for x in p]),
        mode_level=_prf(g, p),
        mode_open=_prf(*zip(*[_open_modes(a, b) for a, b in zip(g, p, strict=True)], strict=True)) if g else PRF(0, 0, 0),
        type_only=_prf([{t[2] for t in x} for x in g], [{t[2] for t in x} for x in p]),
        actor_type=_prf([{(t[0], t[2]) for t in x} for x in g], [{(t[0], t[2]) for t in x} for x in p]),
        confusion=confusion_table(g, p),
    )


# ------------------------------------------------------------------------------ running
def predict_sentences(texts: Sequence[str], *, model: str | None = None, registry_files: Sequence[str] = ()) -> list[set[EventTuple]]:
    """Parse each text with the pinned model and code its events as (actor, recipient, type, mode)."""
    from .. import nlp as nlp_mod
    from ..extract.actors import extract_actors
    from ..extract.events import code_sentence, country_of
    from ..registry import get_registry

    nlp = nlp_mod.load(model)
    registry = get_registry(tuple(registry_files))
    out: list[set[EventTuple]] = []
    for doc in nlp.pipe(texts, batch_size=64):
        actors = extract_actors(doc, registry, None)
        tuples: set[EventTuple] = set()
        for sent in doc.sents:
            for ev in code_sentence(sent, registry, actors):
                tuples.add((country_of(ev.source, registry, actors), country_of(ev.target, registry, actors), ev.type, ev.mode))
        out.append(tuples)
    return out


def run_plover(path: str | Path, *, model: str | None = None, registry_files: Sequence[str] = ()) -> tuple[EventScores, list[GoldSentence], list[set[EventTuple]]]:
    gold = load_gold(path)
    pred = predict_sentences([g.text for g in gold], model=model, registry_files=registry_files)
    return score_events([g.events for g in gold], pred), gold, pred


def format_table(scores: EventScores) -> str:
    lines = [f"PLOVER gold records: {scores.sentences} sentences", ""]
    lines.append(f"{'level':<34}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}")
    rows = [
        ("type (actor, recipient, type)", scores.type_level),
        ("type+mode", scores.mode_level),
        ("type+mode, gold without mode = any", scores.mode_open),
        ("actor, type (recipient ignored)", scores.actor_type),
        ("type only (countries ignored)", scores.type_only),
    ]
    for name, s in rows:
        lines.append(f"{name:<34}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}{s.tp:>6}{s.fp:>6}{s.fn:>6}")
    lines += ["", "confusion of types (rows: gold, columns: predicted; '-' = none)"]
    types = sorted({*scores.confusion, *(k for c in scores.confusion.values() for k in c)}, key=lambda t: (t == NONE, t))
    abbrev = {t: t[:4] for t in types}
    lines.append(f"{'':<10}" + "".join(f"{abbrev[t]:>5}" for t in types))
    for g in types:
        row = scores.confusion.get(g, Counter())
        lines.append(f"{g:<10}" + "".join(f"{(row[t] or '.')!s:>5}" for t in types))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m readout.evaluate.events", description="Score readout's event coder on the PLOVER gold records.")
    ap.add_argument("gold", help="gold-records.jsonl (e.g. ../shared/eval/plover/gold-records.jsonl)")
    ap.add_argument("--model", default=None, help="spaCy pipeline (default: the pinned model)")
    ap.add_argument("--json", action="store_true", help="print the scores as JSON")
    ap.add_argument("--errors", action="store_true", help="also print each sentence whose tuples differ")
    args = ap.parse_args(argv)
    if not Path(args.gold).exists():
        print(f"{args.gold}: not found; pass the path of gold-records.jsonl", file=sys.stderr)
        return 2
    scores, gold, pred = run_plover(args.gold, model=args.model)
    if args.json:
        print(json.dumps(scores.to_dict(), indent=2))
    else:
        print(format_table(scores))
    if args.errors:
        for g, p in zip(gold, pred, strict=True):
            gs = {t[:3] for t in g.events}
            ps = {t[:3] for t in p}
            if gs != ps:
                print(f"\n{g.id}: {g.text[:160]}")
                print(f"  gold: {sorted(gs, key=str)}")
                print(f"  pred: {sorted(ps, key=str)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
