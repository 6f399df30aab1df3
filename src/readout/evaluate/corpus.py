"""Scoring readout's records against gold written in readout's own record form (the sample
corpus's ``expected.yaml``, or a user's own annotations), matched on meaning, not ids.

Gold per document: ``engagements`` (kind, date, participants by name, dyad, initiator,
channel), ``channel_status`` (channel, status, date, side), ``statements`` (speaker by name,
side, kind, ``contains``: words of the content), ``events`` (type, source, target, amount).

Matching:
- engagement: same kind, same dyad, and no contradicting date (they agree at the coarser
  precision, or one has none); on matched pairs, date accuracy, participant recall (a gold name matches a predicted actor whose
  name holds its last word), initiator and channel accuracy.
- channel status: same channel and status, and no contradicting date; on matched pairs, date
  and side accuracy.
- statement: the predicted content holds every ``contains`` phrase (case-insensitive) and the
  speaker agrees (the gold name's last word is in the predicted speaker's name or actor name,
  or the gold speaker is a country code equal to the side); on matched pairs, side accuracy.
- event: same type and target (country code, or actor country), and the amount when given.
Each gold record matches at most one prediction, greedily in document order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Record = dict[str, Any]


@dataclass
class Tally:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    extra: dict[str, list[int]] = field(default_factory=dict)  # name -> [right, total]
    misses: list[tuple[str, Record]] = field(default_factory=list)
    false_alarms: list[tuple[str, Record]] = field(default_factory=list)

    def add(self, name: str, ok: bool | None) -> None:
        if ok is None:
            return
        right_total = self.extra.setdefault(name, [0, 0])
        right_total[0] += int(ok)
        right_total[1] += 1

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "matched": self.matched,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            **{f"{k}_accuracy": round(v[0] / v[1], 4) if v[1] else None for k, v in self.extra.items()},
            **{f"{k}_n": v[1] for k, v in self.extra.items()},
        }


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").lower().replace("’", "'")).strip()


def _last_word(name: str) -> str:
    words = [w for w in re.findall(r"[\w'-]+", name.lower()) if w not in ("jr", "sr", "the")]
    return words[-1] if words else ""


def _date_ok(gold: str | None, pred: str | None) -> bool:
    if not gold:
        return True
    return bool(pred) and str(pred).startswith(str(gold)) if len(str(gold)) <= len(str(pred or "")) else str(gold).startswith(str(pred))


def _dates_agree(gold: str | None, pred: str | None) -> bool:
    """No contradiction: either side has no date, or they agree at the coarser precision.
    (A missing date is scored separately, as date accuracy on matched records.)"""
    if not gold or not pred:
        return True
    n = min(len(str(gold)), len(str(pred)))
    return str(gold)[:n] == str(pred)[:n]


class _Names:
    """Actor id -> names and country, for one predicted document."""

    def __init__(self, analysis: Record) -> None:
        self.by_id = {a["id"]: a for a in analysis.get("actors", [])}

    def names(self, actor_id: str | None) -> list[str]:
        if not actor_id:
            return []
        a = self.by_id.get(actor_id)
        if a is None:
            return [actor_id.lower()]
        return [_norm(a["name"]), *(_norm(m["text"]) for m in a.get("mentions", []))]

    def country(self, actor_id: str | None) -> str | None:
        if not actor_id:
            return None
        a = self.by_id.get(actor_id)
        if a is None:
            return actor_id if re.fullmatch(r"[A-Z]{3}", actor_id) else None
        return a.get("country")

    def matches(self, gold_name: str | None, actor_id: str | None, fallback_text: str | None = None) -> bool:
        if not gold_name:
            return actor_id is None
        if re.fullmatch(r"[A-Z]{3}", gold_name):
            return self.country(actor_id) == gold_name or actor_id == gold_name
        last = _last_word(gold_name)
        candidates = self.names(actor_id) + ([_norm(fallback_text)] if fallback_text else [])
        return any(last and re.search(rf"\b{re.escape(last)}\b", c) for c in candidates)


def _greedy(gold: list[Record], pred: list[Record], same: Callable[[Record, Record], bool]) -> list[tuple[Record, Record | None]]:
    used: set[int] = set()
    out: list[tuple[Record, Record | None]] = []
    for g in gold:
        hit = None
        for i, p in enumerate(pred):
            if i not in used and same(g, p):
                hit = i
                break
        if hit is not None:
            used.add(hit)
            out.append((g, pred[hit]))
        else:
            out.append((g, None))
    return out


def _score_kind(
    tallies: dict[str, Tally],
    kind: str,
    gold: Record,
    analysis: Record,
    label: str,
    same: Callable[[Record, Record], bool],
    on_match: Callable[[Tally, Record, Record], None],
) -> None:
    """Match one kind of record greedily and tally hits, misses and false alarms."""
    t = tallies.setdefault(kind, Tally())
    g_list, p_list = gold.get(kind) or [], analysis.get(kind, [])
    t.gold += len(g_list)
    t.predicted += len(p_list)
    matched_ids = set()
    for g, p in _greedy(g_list, p_list, same):
        if p is None:
            t.misses.append((label, g))
            continue
        t.matched += 1
        matched_ids.add(p["id"])
        on_match(t, g, p)
    t.false_alarms.extend((label, p) for p in p_list if p["id"] not in matched_ids)


def score_document(gold: Record, analysis: Record, tallies: dict[str, Tally], label: str = "") -> None:
    names = _Names(analysis)

    def same_eng(g: Record, p: Record) -> bool:
        return g.get("kind") == p["kind"] and sorted(g.get("dyad") or []) == p["dyad"] and _dates_agree(g.get("date"), p.get("date"))

    def on_eng(t: Tally, g: Record, p: Record) -> None:
        gp = list(g.get("participants") or [])
        found = sum(1 for n in gp if any(names.matches(n, pid) for pid in p["participants"]))
        for k in range(len(gp)):
            t.add("participant", k < found)
        if "initiator" in g:
            t.add("initiator", names.matches(g.get("initiator"), p.get("initiator")))
        if "channel" in g:
            t.add("channel", g.get("channel") == p.get("channel"))
        if g.get("date"):
            t.add("date", _date_ok(g.get("date"), p.get("date")))

    def same_status(g: Record, p: Record) -> bool:
        return g.get("channel") == p["channel"] and g.get("status") == p["status"] and _dates_agree(g.get("date"), p.get("date"))

    def on_status(t: Tally, g: Record, p: Record) -> None:
        if g.get("side"):
            t.add("side", g.get("side") == p.get("side"))
        if g.get("date"):
            t.add("date", _date_ok(g.get("date"), p.get("date")))

    def same_stmt(g: Record, p: Record) -> bool:
        content = _norm(p["content"])
        if not all(_norm(w) in content for w in (g.get("contains") or [])):
            return False
        speaker = g.get("speaker")
        if speaker and re.fullmatch(r"[A-Z]{3}", speaker):
            return p.get("side") == speaker
        return names.matches(speaker, p.get("speaker"), p.get("speaker_name"))

    def on_stmt(t: Tally, g: Record, p: Record) -> None:
        if g.get("side"):
            t.add("side", g.get("side") == p.get("side"))
        if g.get("kind"):
            t.add("kind", g.get("kind") == p.get("kind"))

    def same_event(g: Record, p: Record) -> bool:
        if g.get("type") != p["type"]:
            return False
        target = g.get("target")
        if target and not names.matches(target, p.get("target")):
            return False
        amount = g.get("amount")
        return not (amount and (not p.get("amount") or abs(float(p["amount"]["value"]) - float(amount["value"])) > 0.5))

    def on_event(t: Tally, g: Record, p: Record) -> None:
        if g.get("source"):
            t.add("source", names.matches(g.get("source"), p.get("source")))
        if g.get("date"):
            t.add("date", _date_ok(g.get("date"), p.get("date")))

    _score_kind(tallies, "engagements", gold, analysis, label, same_eng, on_eng)
    _score_kind(tallies, "channel_status", gold, analysis, label, same_status, on_status)
    _score_kind(tallies, "statements", gold, analysis, label, same_stmt, on_stmt)
    _score_kind(tallies, "events", gold, analysis, label, same_event, on_event)


def score(gold_docs: Iterable[Record], analyses: dict[str, Record]) -> dict[str, Tally]:
    """Score analyses (keyed by the gold's ``file``) against gold documents."""
    tallies: dict[str, Tally] = {}
    for g in gold_docs:
        a = analyses.get(g["file"])
        if a is None:
            continue
        score_document(g, a, tallies, g["file"])
    return tallies


def load_gold(path: str | Path) -> list[Record]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    docs = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(docs, list):
        from ..errors import InputError

        raise InputError(f"{path}: gold must be a mapping with a 'documents' list (see the sample corpus's expected.yaml)")
    return docs


def run_sample_corpus() -> dict[str, Tally]:
    """Analyze the bundled sample corpus and score it against its expected records."""
    from ..demo import corpus_dir, load_corpus
    from ..pipeline import analyze_documents

    docs = load_corpus()
    analyses = {
        (d.metadata.get("file") or d.metadata.get("path") or d.id): a.to_dict()
        for d, a in zip(docs, analyze_documents(docs), strict=True)
    }
    analyses = {Path(k).name: v for k, v in analyses.items()}
    return score(load_gold(corpus_dir() / "expected.yaml"), analyses)


def format_table(tallies: dict[str, Tally]) -> str:
    lines = [f"{'records':<16}{'gold':>6}{'pred':>6}{'match':>7}{'P':>8}{'R':>8}{'F1':>8}  on matched"]
    for name, t in tallies.items():
        extra = ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in t.extra.items())
        lines.append(f"{name:<16}{t.gold:>6}{t.predicted:>6}{t.matched:>7}{t.precision:>8.3f}{t.recall:>8.3f}{t.f1:>8.3f}  {extra}")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - a developer's shortcut
    import sys

    result = run_sample_corpus()
    print(format_table(result))
    if len(sys.argv) > 1 and sys.argv[1] == "--errors":
        for name, t in result.items():
            print(f"\n== {name}: misses")
            for label, g in t.misses[:40]:
                print(" ", label, {k: v for k, v in g.items() if v})
            print(f"== {name}: false alarms")
            for label, p in t.false_alarms[:40]:
                print(" ", label, {k: p.get(k) for k in ("kind", "channel", "status", "type", "date", "speaker_name", "participants", "dyad", "target") if p.get(k)}, (p.get("content") or "")[:60])
