"""Event coding measured against the PLOVER gold standard records (CAMEO-manual sentences).

Per sentence, the predicted set of (actor country, recipient country, event type) is compared
with the gold set; precision, recall and F1 are micro-averaged over all tuples, at type level
and at type+mode level. A confusion table of types shows what the typer confuses, and a
"type only" line (countries ignored) separates typing errors from actor errors.

``score_events`` is pure (gold and predicted tuples in, scores out); ``run_plover`` parses the
gold sentences with the pinned model, runs the actor extractor and the sentence-level event
typer (``readout.extract.events.code_sentence``), and scores them; ``evaluate_events`` is what
``readout eval events --gold FILE`` calls (with ``event_errors`` on request).

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
    from ..errors import FileMissingError, MalformedRecordError

    if not Path(path).is_file():
        raise FileMissingError(f"{path}: no such file: give the path of a PLOVER gold-records JSONL file (one record per line)")
    by_text: dict[str, tuple[str, set[EventTuple]]] = {}
    with Path(path).open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise MalformedRecordError(f"{path}:{n}: not JSON ({exc.msg}): give one gold record per line") from None
            if not isinstance(rec, dict) or not isinstance(rec.get("text"), str) or not (rec.get("event_plover_v2") or rec.get("event_gsr")):
                raise MalformedRecordError(f"{path}:{n}: not a PLOVER gold record: give 'text' and 'event_plover_v2' (or 'event_gsr')")
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


def _show(t: tuple[Any, ...]) -> str:
    return "(" + ", ".join(x if x is not None else NONE for x in t) + ")"


def event_errors(gold: Sequence[GoldSentence], predicted: Sequence[Iterable[EventTuple]], n: int = 10) -> dict[str, list[dict[str, Any]]]:
    """At type level (actor, recipient, type): the gold tuples not predicted (``misses``) and
    the predicted tuples not in the gold (``false_alarms``), each with its sentence; sentences
    with the most wrong tuples first, then in gold order; ``n`` of each."""
    misses: list[tuple[int, int, dict[str, Any]]] = []
    alarms: list[tuple[int, int, dict[str, Any]]] = []
    for i, (g, p) in enumerate(zip(gold, predicted, strict=True)):
        gs = {t[:3] for t in g.events}
        ps = {t[:3] for t in p}
        wrong = len(gs ^ ps)
        for t in sorted(gs - ps, key=str):
            misses.append((-wrong, i, {"id": g.id, "text": g.text, "tuple": _show(t), "predicted": sorted(_show(x) for x in ps)}))
        for t in sorted(ps - gs, key=str):
            alarms.append((-wrong, i, {"id": g.id, "text": g.text, "tuple": _show(t), "gold": sorted(_show(x) for x in gs)}))
    misses.sort(key=lambda x: x[:2])
    alarms.sort(key=lambda x: x[:2])
    return {"misses": [m for *_, m in misses[:n]], "false_alarms": [a for *_, a in alarms[:n]]}


def evaluate_events(gold: str | Path, *, model: str | None = None, registry_files: Sequence[str] = (), errors: int = 0) -> dict[str, Any]:
    """What ``readout eval events`` runs: code the gold sentences and score them
    (``EventScores.to_dict()`` with ``gold_file``); with ``errors`` > 0, ``errors`` lists that
    many misses and false alarms with their sentences. A missing or malformed file raises an
    ``InputError`` that names the file and line."""
    scores, gold_sents, pred = run_plover(gold, model=model, registry_files=registry_files)
    result = {"gold_file": str(gold), **scores.to_dict()}
    if errors > 0:
        result["errors"] = event_errors(gold_sents, pred, errors)
    return result


def format_report(result: dict[str, Any]) -> str:
    """``evaluate_events``'s result as text: the table, then the errors if listed."""

    def prf(d: dict[str, Any]) -> PRF:
        return PRF(d["tp"], d["fp"], d["fn"])

    scores = EventScores(
        sentences=result["sentences"], type_level=prf(result["type"]), mode_level=prf(result["type_mode"]),
        mode_open=prf(result["type_mode_open"]), type_only=prf(result["type_only"]), actor_type=prf(result["actor_type"]),
        confusion={g: Counter(c) for g, c in result["confusion"].items()},
    )
    lines = [format_table(scores)]
    for key, label in (("misses", "misses (gold, not predicted)"), ("false_alarms", "false alarms (predicted, not in the gold)")):
        if "errors" not in result:
            break
        items = result["errors"][key]
        lines += ["", f"{label}: {len(items)}"]
        for e in items:
            other = "predicted" if key == "misses" else "gold"
            lines.append(f"  [{e['id']}] {e['tuple']} -- {other}: {', '.join(e[other]) or 'nothing'} -- {e['text'][:200]}")
    return "\n".join(lines)


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
    ap.add_argument("--errors", type=int, default=0, metavar="N", help="also list N misses and N false alarms with their sentences")
    args = ap.parse_args(argv)
    from ..errors import InputError

    try:
        result = evaluate_events(args.gold, model=args.model, errors=args.errors)
    except InputError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return exc.exit_code
    print(json.dumps(result, indent=2) if args.json else format_report(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
