"""Scoring readout's records against gold written in readout's own record form (the sample
corpus's ``expected.yaml``, or a user's own annotations), matched on meaning, not ids.

Gold per document: ``engagements`` (kind, date, participants by name, dyad, initiator,
channel), ``channel_status`` (channel, status, date, side), ``statements`` (speaker by name,
side, kind, ``contains``: words of the content), ``events`` (type, source, target, amount).

Matching:
- engagement: same kind, same status (``held`` when the gold gives none), same dyad, the date
  at the gold's precision (the prediction may be finer: gold ``2024-04`` accepts
  ``2024-04-16``; a gold without a date accepts any), and, when the gold names participants,
  at least one of them among the predicted. The fields of an engagement are scored on a looser
  pairing (kind family, dates not contradicting, a shared participant or, when the gold names
  none, the same dyad), so that a wrong dyad or date shows as a wrong field rather than only as
  a miss: dyad, participants (the sets are equal), date, status, kind, channel, initiator.
- channel status: same channel and status, and no contradicting date; on matched pairs, date
  and side accuracy.
- statement: the predicted content holds every ``contains`` phrase (case-insensitive) and the
  speaker agrees (the gold name's last word is in the predicted speaker's name or actor name,
  or the gold speaker is a country code equal to the side); on matched pairs, side accuracy.
- event: same type and target (country code, or actor country), and the amount when given.
  ``event_types`` scores the PLOVER type alone (per document, a gold event pairs with a
  predicted one of its type, those that also agree on source and target first), with source
  and target accuracy on the pairs: the measure of issue 12.
  Only asserted events are scored: a predicted event marked future, planned or hypothetical
  (``modality``) is not an event yet, as the annotation guide has it ("would sanction").
Each gold record matches at most one prediction, greedily in document order.

Where the documents are: a gold file sits in a folder with an ``index.yaml`` (the corpus index
of ``readout demo --corpus DIR``: ``file``, ``published``, ``outlet``, ``title`` per document),
and each gold document's ``file`` is a file listed there. Or the gold is a corpus folder in the
layout of ``eval/readouts/`` (``docs/annotating.md``): ``index.yaml`` listing each document with
its ``split`` (dev or test) and ``genre``, and ``gold/NAME.yaml`` holding the records of
``texts/NAME.txt``. ``evaluate_corpus`` (what ``readout eval corpus --gold FILE|DIR`` runs)
analyzes those documents and scores them, per split where the index gives splits.
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
    paired: int | None = None  # records paired for field accuracies, when that pairing is looser than the match

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
            **({"paired": self.paired} if self.paired is not None else {}),
            **{f"{k}_accuracy": round(v[0] / v[1], 4) if v[1] else None for k, v in self.extra.items()},
            **{f"{k}_right": v[0] for k, v in self.extra.items()},
            **{f"{k}_n": v[1] for k, v in self.extra.items()},
        }


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", str(text or "").lower().replace("’", "'")).strip()


def _last_word(name: str) -> str:
    words = [w for w in re.findall(r"[\w'-]+", name.lower()) if w not in ("jr", "sr", "the")]
    return words[-1] if words else ""


def _date_ok(gold: str | None, pred: str | None) -> bool:
    if not gold:
        return True
    return bool(pred) and str(pred).startswith(str(gold)) if len(str(gold)) <= len(str(pred or "")) else str(gold).startswith(str(pred))


def _date_at_precision(gold: str | None, pred: str | None) -> bool:
    """The prediction gives the gold's date at least as precisely ('2024-04' accepts
    '2024-04-16', '2024-04-16' does not accept '2024-04'); a gold without a date accepts any."""
    return not gold or str(pred or "").startswith(str(gold))


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

    def kind(self, actor_id: str | None) -> str | None:
        a = self.by_id.get(actor_id or "")
        return a.get("kind") if a else None

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


def _kind_family(kind: str | None) -> str:
    return {"call": "contact", "video_call": "contact", "visit": "visit"}.get(kind or "", "meet")


def _pair_fields(t: Tally, gold: list[Record], pred: list[Record], paired: Callable[[Record, Record], bool],
                 on_pair: Callable[[Tally, Record, Record], None]) -> None:
    """Field accuracies on a pairing looser than the match."""
    t.paired = t.paired or 0
    for g, p in _greedy(gold, pred, paired):
        if p is not None:
            t.paired += 1
            on_pair(t, g, p)


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
        return (
            g.get("kind") == p["kind"]
            and (g.get("status") or "held") == (p.get("status") or "held")
            and sorted(g.get("dyad") or []) == p["dyad"]
            and _date_at_precision(g.get("date"), p.get("date"))
            and (not g.get("participants") or shared_participant(g, p))
        )

    def shared_participant(g: Record, p: Record) -> bool:
        return any(names.matches(n, pid) for n in g.get("participants") or [] for pid in p["participants"])

    def paired_eng(g: Record, p: Record) -> bool:
        """Looser than a match: the same contact, whatever else is wrong with it."""
        if _kind_family(g.get("kind")) != _kind_family(p["kind"]) or not _dates_agree(g.get("date"), p.get("date")):
            return False
        if g.get("participants"):
            return shared_participant(g, p)
        return sorted(g.get("dyad") or []) == p["dyad"]

    def on_eng(t: Tally, g: Record, p: Record) -> None:
        t.add("dyad", sorted(g.get("dyad") or []) == p["dyad"])
        t.add("participants", same_people(g, p))
        if g.get("date"):
            t.add("date", _date_at_precision(g.get("date"), p.get("date")))
        t.add("status", (g.get("status") or "held") == (p.get("status") or "held"))
        t.add("kind", g.get("kind") == p["kind"])
        if "channel" in g:
            t.add("channel", g.get("channel") == p.get("channel"))
        if "initiator" in g:
            t.add("initiator", names.matches(g.get("initiator"), p.get("initiator")))

    def same_people(g: Record, p: Record) -> bool:
        """Every gold participant is predicted and every predicted one is in the gold."""
        gold_names = list(g.get("participants") or [])
        predicted = list(p["participants"])
        if not gold_names:
            return not [pid for pid in predicted if names.kind(pid) == "person"]
        return all(any(names.matches(n, pid) for pid in predicted) for n in gold_names) and all(
            any(names.matches(n, pid) for n in gold_names) for pid in predicted
        )

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

    _score_kind(tallies, "engagements", gold, analysis, label, same_eng, lambda t, g, p: None)
    _pair_fields(tallies["engagements"], gold.get("engagements") or [], analysis.get("engagements", []), paired_eng, on_eng)
    _score_kind(tallies, "channel_status", gold, analysis, label, same_status, on_status)
    _score_kind(tallies, "statements", gold, analysis, label, same_stmt, on_stmt)
    asserted = {**analysis, "events": [e for e in analysis.get("events", []) if not e.get("modality")]}
    _score_kind(tallies, "events", gold, asserted, label, same_event, on_event)
    _score_event_types(tallies, gold.get("events") or [], asserted["events"], names, label)


def _score_event_types(tallies: dict[str, Tally], g_list: list[Record], p_list: list[Record], names: _Names, label: str) -> None:
    """The PLOVER type of each event, per document ("event_types"): gold and predicted events
    paired on the type alone, preferring pairs whose source and target agree too, then those
    whose target agrees; on the pairs, source and target accuracy (a country code agrees with an
    actor of that country)."""
    t = tallies.setdefault("event_types", Tally())
    t.gold += len(g_list)
    t.predicted += len(p_list)
    src = lambda g, p: names.matches(g.get("source"), p.get("source")) if g.get("source") else True  # noqa: E731
    tgt = lambda g, p: names.matches(g.get("target"), p.get("target")) if g.get("target") else True  # noqa: E731
    tiers: list[Callable[[Record, Record], bool]] = [
        lambda g, p: g.get("type") == p["type"] and src(g, p) and tgt(g, p),
        lambda g, p: g.get("type") == p["type"] and tgt(g, p),
        lambda g, p: g.get("type") == p["type"],
    ]
    pairs: dict[int, Record] = {}
    used: set[int] = set()
    for same in tiers:
        for gi, g in enumerate(g_list):
            if gi in pairs:
                continue
            for pi, p in enumerate(p_list):
                if pi not in used and same(g, p):
                    pairs[gi] = p
                    used.add(pi)
                    break
    for gi, g in enumerate(g_list):
        paired = pairs.get(gi)
        if paired is None:
            t.misses.append((label, g))
            continue
        t.matched += 1
        if g.get("source"):
            t.add("source", src(g, paired))
        if g.get("target"):
            t.add("target", tgt(g, paired))
    t.false_alarms.extend((label, p) for pi, p in enumerate(p_list) if pi not in used)


def score(gold_docs: Iterable[Record], analyses: dict[str, Record]) -> dict[str, Tally]:
    """Score analyses (keyed by the gold's ``file``) against gold documents."""
    tallies: dict[str, Tally] = {}
    for g in gold_docs:
        a = analyses.get(g["file"])
        if a is None:
            continue
        score_document(g, a, tallies, g["file"])
    return tallies


def _read_yaml(path: Path, what: str) -> Any:
    from ..errors import MalformedRecordError

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise MalformedRecordError(f"{where}: invalid YAML in the {what}: fix the file") from None


def load_gold(path: str | Path) -> list[Record]:
    """The gold documents of a gold file (``documents:``, a list), or of a corpus folder in
    the layout of ``eval/readouts/`` (each with its ``split`` and ``genre`` from the index); a
    missing or malformed file raises an ``InputError``."""
    from ..errors import FileMissingError, MalformedRecordError

    path = Path(path)
    if path.is_dir():
        return _load_gold_folder(path)
    if not path.is_file():
        raise FileMissingError(f"{path}: no such file: give a gold YAML file with a 'documents' list, beside an index.yaml, or a corpus folder")
    data = _read_yaml(path, "gold file")
    docs = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(docs, list):
        raise MalformedRecordError(f"{path}: gold must be a mapping with a 'documents' list (see the sample corpus's expected.yaml)")
    return docs


def _load_gold_folder(folder: Path) -> list[Record]:
    from ..errors import FileMissingError, MalformedRecordError
    from ..readers import INDEX

    index = folder / INDEX
    if not index.is_file():
        raise FileMissingError(f"{index}: no corpus index: a gold folder holds index.yaml, texts/ and gold/ (see docs/annotating.md)")
    data = _read_yaml(index, "corpus index")
    entries = data.get("documents") if isinstance(data, dict) else data
    if not isinstance(entries, list) or not entries:
        raise MalformedRecordError(f"{index}: no documents listed: give 'documents:', a list of entries with 'file'")
    docs = []
    for n, e in enumerate(entries, 1):
        if not isinstance(e, dict) or not isinstance(e.get("file"), str):
            raise MalformedRecordError(f"{index}: entry {n} names no file: give each entry a 'file' key")
        gold_path = folder / "gold" / f"{Path(e['file']).stem}.yaml"
        if not gold_path.is_file():
            raise FileMissingError(f"{gold_path}: no gold for {e['file']}: annotate it (docs/annotating.md) or take it out of the index")
        gold = _read_yaml(gold_path, "gold file")
        if not isinstance(gold, dict):
            raise MalformedRecordError(f"{gold_path}: gold must be a mapping with engagements, channel_status, statements and events")
        docs.append({**gold, "file": e["file"], "split": e.get("split"), "genre": e.get("genre")})
    return docs


GOLD_NAME = "expected.yaml"
_SUMMARY_KEYS = ("kind", "status", "channel", "status", "type", "date", "speaker", "speaker_name", "side", "participants", "dyad", "source", "target")


def _key(name: str) -> str:
    return Path(name).as_posix()  # "./a.txt" and "a.txt" are one file


def _summary(record: Record) -> dict[str, Any]:
    """The fields that say what a record is, without empty ones and ids."""
    out = {k: record[k] for k in _SUMMARY_KEYS if record.get(k) not in (None, [], "")}
    if record.get("contains"):
        out["contains"] = record["contains"]
    return out


def _text(record: Record) -> str | None:
    """The words that show a predicted record: its content, else its first evidence."""
    if record.get("content"):
        text = str(record["content"])
    else:
        evidence = record.get("evidence") or []
        text = str(evidence[0].get("text", "")) if evidence and isinstance(evidence[0], dict) else ""
    text = " ".join(text.split())
    return (text if len(text) <= 240 else text[:237] + "...") or None


def corpus_errors(tallies: dict[str, Tally], n: int = 10) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Per kind of record, the first ``n`` misses (gold records not found) and false alarms
    (predicted records that match no gold), in document order, with their text."""
    return {
        kind: {
            "misses": [{"file": label, **_summary(g)} for label, g in t.misses[:n]],
            "false_alarms": [{"file": label, **_summary(p), "text": _text(p)} for label, p in t.false_alarms[:n]],
        }
        for kind, t in tallies.items()
    }


def evaluate_corpus(
    gold: str | Path | None = None,
    *,
    model: str | None = None,
    registry_files: tuple[str, ...] = (),
    errors: int = 0,
    split: str | None = None,
) -> dict[str, Any]:
    """What ``readout eval corpus`` runs: analyze the documents a gold set names and score the
    analyses against it.

    ``gold`` is a YAML file of expected records in readout's own form (default: the bundled
    sample corpus's ``expected.yaml``): ``documents:``, a list of ``{file, engagements,
    channel_status, statements, events}``; the documents are those of the corpus index,
    ``index.yaml`` in the same folder (``file``, ``published``, ``outlet``, ``title``; as for
    ``readout demo --corpus DIR``), and each gold ``file`` must be listed there. Or ``gold`` is
    a corpus folder (``eval/readouts/``: ``index.yaml`` with a ``split`` per document,
    ``texts/``, ``gold/``). Only the documents the gold names are analyzed; ``split`` keeps
    those of one split. Returns ``{gold_file, documents, records: {kind: scores}}``, with
    ``splits: {split: {documents, records}}`` when the index gives splits, ``unrelated:
    {documents, with_engagements, with_channel_status}`` for documents of genre ``unrelated``,
    and, when ``errors`` > 0, ``errors: {kind: {misses, false_alarms}}``.
    """
    from .. import readers
    from ..errors import MalformedRecordError, OptionError
    from ..pipeline import analyze_documents
    from ..readers import INDEX, corpus_dir, read_index

    gold_path = Path(gold) if gold is not None else corpus_dir() / GOLD_NAME
    gold_docs = load_gold(gold_path)
    folder = gold_path if gold_path.is_dir() else gold_path.parent
    entries = {_key(e.path.relative_to(folder).as_posix()): e for e in read_index(folder)}
    for n, g in enumerate(gold_docs, 1):
        if not isinstance(g, dict) or not isinstance(g.get("file"), str):
            raise MalformedRecordError(f"{gold_path}: document {n} names no file: give each gold document a 'file' key")
    if split is not None:
        splits = sorted({str(g.get("split")) for g in gold_docs if g.get("split")})
        if split not in splits:
            raise OptionError(f"--split {split}: the gold has no such split: use one of {', '.join(splits) or '(none: the index gives no splits)'}")
        gold_docs = [g for g in gold_docs if g.get("split") == split]
    wanted = [_key(g["file"]) for g in gold_docs]
    unknown = [w for w in wanted if w not in entries]
    if unknown:
        raise MalformedRecordError(
            f"{gold_path}: {len(unknown)} gold document(s) not listed in {folder / INDEX} ({', '.join(unknown[:3])}): "
            "list each file there with its 'published' date"
        )
    keys = list(dict.fromkeys(wanted))
    docs = [
        readers.read_document(str(entries[k].path), published=entries[k].published, outlet=entries[k].outlet,
                              url=entries[k].url, title=entries[k].title)
        for k in keys
    ]
    analyses = {k: a.to_dict() for k, a in zip(keys, analyze_documents(docs, model=model, registry_files=registry_files), strict=True)}
    gold_docs = [{**g, "file": _key(g["file"])} for g in gold_docs]
    tallies = score(gold_docs, analyses)
    result: dict[str, Any] = {
        "gold_file": str(gold_path),
        "documents": len(keys),
        "records": {kind: t.to_dict() for kind, t in tallies.items()},
    }
    by_split: dict[str, list[Record]] = {}
    for g in gold_docs:
        if g.get("split"):
            by_split.setdefault(str(g["split"]), []).append(g)
    if by_split:
        result["splits"] = {
            name: {"documents": len(docs_of), "records": {kind: t.to_dict() for kind, t in score(docs_of, analyses).items()}}
            for name, docs_of in sorted(by_split.items())
        }
    unrelated = [g["file"] for g in gold_docs if g.get("genre") == "unrelated"]
    if unrelated:
        result["unrelated"] = {
            "documents": len(unrelated),
            "with_engagements": sum(1 for f in unrelated if analyses[f].get("engagements")),
            "with_channel_status": sum(1 for f in unrelated if analyses[f].get("channel_status")),
        }
    if errors > 0:
        result["errors"] = corpus_errors(tallies, errors)
    return result


def _records_table(records: dict[str, Any]) -> list[str]:
    lines = [f"{'records':<16}{'gold':>6}{'pred':>6}{'match':>7}{'P':>8}{'R':>8}{'F1':>8}  on matched"]
    for name, r in records.items():
        extra = ", ".join(f"{k[:-2]} {r[k[:-2] + '_right']}/{r[k]}" for k in r if k.endswith("_n") and r[k])
        if "paired" in r:
            extra = f"(paired {r['paired']}) {extra}"
        lines.append(f"{name:<16}{r['gold']:>6}{r['predicted']:>6}{r['matched']:>7}{r['precision']:>8.3f}{r['recall']:>8.3f}{r['f1']:>8.3f}  {extra}")
    return lines


def format_report(result: dict[str, Any]) -> str:
    """``evaluate_corpus``'s result as text: a table per kind of record (and per split), then
    the errors."""
    lines = [f"{result['gold_file']}: {result['documents']} documents", ""]
    lines += _records_table(result["records"])
    for name, part in (result.get("splits") or {}).items():
        lines += ["", f"split {name}: {part['documents']} documents"]
        lines += _records_table(part["records"])
    if result.get("unrelated"):
        u = result["unrelated"]
        lines += ["", f"documents about something else: {u['documents']}; with an engagement: {u['with_engagements']}; "
                      f"with a channel status: {u['with_channel_status']}"]
    for kind, errs in (result.get("errors") or {}).items():
        lines += ["", f"{kind}: misses {len(errs['misses'])}"]
        lines += [f"  [{m['file']}] " + "; ".join(f"{k} {v}" for k, v in m.items() if k != "file") for m in errs["misses"]]
        lines += [f"{kind}: false alarms {len(errs['false_alarms'])}"]
        for p in errs["false_alarms"]:
            fields = "; ".join(f"{k} {v}" for k, v in p.items() if k not in ("file", "text"))
            lines.append(f"  [{p['file']}] {fields}" + (f" -- {p['text']}" if p.get("text") else ""))
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - a developer's shortcut; see `readout eval corpus`
    import sys

    print(format_report(evaluate_corpus(errors=40 if "--errors" in sys.argv[1:] else 0)))
