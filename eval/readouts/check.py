#!/usr/bin/env python3
"""Check the real-readouts corpus: every text has metadata with a licence we accept and a gold
file in the annotation guide's form, and no page kept for independent evaluation is here.

    python3 eval/readouts/check.py            # the whole corpus (index.yaml and incoming/*.yaml)
    python3 eval/readouts/check.py --url URL  # is this address one we must not gather?

Exit status 0 when everything is in order, 1 with one line per problem otherwise. Needs only
PyYAML. The held-out list is read at run time from ../shared/eval/held-out-urls.txt (never
copied here).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

HERE = Path(__file__).resolve().parent
HELD_OUT = HERE.parents[2] / "shared" / "eval" / "held-out-urls.txt"

KINDS = {"call", "video_call", "meeting", "talks", "summit", "visit"}
ENGAGEMENT_STATUSES = {"held", "planned", "proposed", "requested", "declined", "cancelled", "postponed"}
CHANNEL_STATUSES = {"held", "suspended", "agreed_to_resume", "expected_to_resume", "resumed", "requested", "declined", "established"}
STATEMENT_KINDS = {"direct", "indirect", "mixed"}
MEDIA = {"phone", "video", "in_person", None}
GENRES = {"readout", "joint_statement", "transcript", "announcement", "news", "fact_sheet", "speech", "unrelated"}
LICENCE_WORDS = ("public domain", "open government licence", "cc by 4.0", "standard terms of use")
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
CODE = re.compile(r"^[A-Z]{3}$")
PLOVER = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
          "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT", "DEMAND",
          "DISAPPROVE", "INVESTIGATE", "FIGHT"}


def _key(url: str) -> str:
    """An address without scheme, 'www.', query noise, trailing slash or case."""
    parts = urlsplit(unquote(url.strip()))
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/").lower()
    return host + path


def _slug_words(url: str) -> set[str]:
    last = [p for p in urlsplit(unquote(url)).path.split("/") if p]
    words = re.findall(r"[a-z]{3,}", " ".join(last[-2:]).lower()) if last else []
    return set(words)


def held_out() -> list[str]:
    if not HELD_OUT.is_file():
        return []
    return [line.strip() for line in HELD_OUT.read_text().splitlines() if line.strip() and not line.startswith("#")]


def url_problem(url: str, held: list[str]) -> str | None:
    key = _key(url)
    words = _slug_words(url)
    for h in held:
        if _key(h) == key or key in _key(h) or _key(h) in key:
            return "is a page kept for independent evaluation"
        hw = _slug_words(h)
        if len(words) >= 4 and len(hw) >= 4 and len(words & hw) / min(len(words), len(hw)) >= 0.8:
            return "looks like a copy of a page kept for independent evaluation (same slug): leave it out"
    return None


def _date(v: object) -> bool:
    return v is None or (isinstance(v, str) and bool(DATE.match(v)))


def check_gold(path: Path, gold: dict) -> list[str]:
    p: list[str] = []
    for key in ("engagements", "channel_status", "statements", "events"):
        if not isinstance(gold.get(key), list):
            p.append(f"{path}: '{key}' must be a list (empty when there is none)")
    for i, e in enumerate(gold.get("engagements") or [], 1):
        where = f"{path}: engagement {i}"
        if e.get("kind") not in KINDS:
            p.append(f"{where}: kind {e.get('kind')!r} not one of {sorted(KINDS)}")
        if e.get("status") not in ENGAGEMENT_STATUSES:
            p.append(f"{where}: status {e.get('status')!r} not one of {sorted(ENGAGEMENT_STATUSES)}")
        if not _date(e.get("date")) or not _date(e.get("first_since")):
            p.append(f"{where}: dates are 'YYYY-MM-DD', 'YYYY-MM', 'YYYY' or null")
        dyad = e.get("dyad") or []
        if len(dyad) != 2 or not all(isinstance(c, str) and CODE.match(c) for c in dyad) or dyad != sorted(dyad):
            p.append(f"{where}: dyad must be two sorted ISO alpha-3 codes")
        if not isinstance(e.get("participants"), list):
            p.append(f"{where}: participants must be a list")
        if e.get("medium") not in MEDIA:
            p.append(f"{where}: medium {e.get('medium')!r} not one of phone, video, in_person, null")
    for i, s in enumerate(gold.get("channel_status") or [], 1):
        where = f"{path}: channel status {i}"
        if not isinstance(s.get("channel"), str) or not s["channel"]:
            p.append(f"{where}: give the channel id")
        if s.get("status") not in CHANNEL_STATUSES:
            p.append(f"{where}: status {s.get('status')!r} not one of {sorted(CHANNEL_STATUSES)}")
        if not _date(s.get("date")):
            p.append(f"{where}: date must be 'YYYY-MM-DD', 'YYYY-MM', 'YYYY' or null")
        if s.get("side") is not None and not CODE.match(str(s.get("side"))):
            p.append(f"{where}: side must be a country code or null")
    for i, s in enumerate(gold.get("statements") or [], 1):
        where = f"{path}: statement {i}"
        if s.get("kind") not in STATEMENT_KINDS:
            p.append(f"{where}: kind must be direct, indirect or mixed")
        if not s.get("contains") or not isinstance(s.get("contains"), list):
            p.append(f"{where}: 'contains' must list one to three phrases of the content")
        if s.get("side") is not None and not CODE.match(str(s.get("side"))):
            p.append(f"{where}: side must be a country code or null")
    for i, e in enumerate(gold.get("events") or [], 1):
        where = f"{path}: event {i}"
        if e.get("type") not in PLOVER:
            p.append(f"{where}: type {e.get('type')!r} is not a PLOVER type")
        if not _date(e.get("date")):
            p.append(f"{where}: date must be 'YYYY-MM-DD', 'YYYY-MM', 'YYYY' or null")
    return p


def check_text(path: Path, gold: dict) -> list[str]:
    """Every 'contains' phrase of a statement occurs in the text (case-insensitive)."""
    text = re.sub(r"\s+", " ", path.read_text(encoding="utf-8").replace("’", "'").lower())
    p = []
    for i, s in enumerate(gold.get("statements") or [], 1):
        for w in s.get("contains") or []:
            if re.sub(r"\s+", " ", str(w).replace("’", "'").lower()) not in text:
                p.append(f"{path.name}: statement {i}: {w!r} is not in the text")
    return p


def entries() -> list[tuple[Path, dict]]:
    out = []
    for f in [HERE / "index.yaml", *sorted((HERE / "incoming").glob("*.yaml"))]:
        if not f.is_file():
            continue
        data = yaml.safe_load(f.read_text(encoding="utf-8")) or {}
        for e in data.get("documents", data if isinstance(data, list) else []):
            out.append((f, e))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", help="check one address against the held-out list")
    args = ap.parse_args()
    held = held_out()
    if args.url:
        why = url_problem(args.url, held)
        print(f"{args.url}: {why}" if why else f"{args.url}: fine")
        return 1 if why else 0
    problems: list[str] = []
    seen_files: set[str] = set()
    seen_urls: dict[str, str] = {}
    for where, e in entries():
        f = e.get("file", "")
        if f in seen_files:
            problems.append(f"{where}: {f} listed twice")
        seen_files.add(f)
        for k in ("file", "title", "outlet", "published", "url", "licence", "attribution", "side", "genre"):
            if not e.get(k):
                problems.append(f"{where}: {f}: missing {k}")
        if e.get("genre") and e["genre"] not in GENRES:
            problems.append(f"{where}: {f}: genre {e['genre']!r} not one of {sorted(GENRES)}")
        if e.get("licence") and not any(w in str(e["licence"]).lower() for w in LICENCE_WORDS):
            problems.append(f"{where}: {f}: licence {e['licence']!r} is not one we accept")
        if e.get("published") and not DATE.match(str(e["published"])):
            problems.append(f"{where}: {f}: published must be YYYY-MM-DD or YYYY-MM")
        if e.get("url"):
            why = url_problem(str(e["url"]), held)
            if why:
                problems.append(f"{where}: {f}: {why}")
            k = _key(str(e["url"]))
            if k in seen_urls:
                problems.append(f"{where}: {f}: same page as {seen_urls[k]}")
            seen_urls[k] = f
        text = HERE / f
        stem = Path(f).stem
        gold_path = HERE / "gold" / f"{stem}.yaml"
        if not text.is_file():
            problems.append(f"{where}: {f}: no such text file")
            continue
        if not gold_path.is_file():
            problems.append(f"{where}: {f}: no gold file gold/{stem}.yaml")
            continue
        try:
            gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            problems.append(f"{gold_path}: invalid YAML: {exc}")
            continue
        problems += check_gold(gold_path.relative_to(HERE), gold or {})
        problems += check_text(text, gold or {})
    for t in sorted((HERE / "texts").glob("*.txt")):
        if f"texts/{t.name}" not in seen_files:
            problems.append(f"texts/{t.name}: not listed in index.yaml or incoming/*.yaml")
    for line in problems:
        print(line)
    print(f"{len(seen_files)} documents, {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
