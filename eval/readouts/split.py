#!/usr/bin/env python3
"""Fold the annotators' incoming index entries into index.yaml, each with its split.

    python3 eval/readouts/split.py

The split is drawn once per document, at random but reproducibly: a document is in `test`
when the SHA-1 of a fixed salt and its file name falls in the lowest third, else in `dev`.
It depends on nothing but the file name, so a document keeps its split however many documents
come later, and nobody chooses it. Proposed channels from incoming/*-channels.yaml are folded
into channels-proposed.yaml. The incoming files folded are then removed.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
SALT = "readout-real-readouts-split-2026-12"


def split_of(file: str) -> str:
    digest = int(hashlib.sha1(f"{SALT}:{Path(file).name}".encode()).hexdigest(), 16)
    return "test" if digest % 3 == 0 else "dev"


def _load(path: Path, key: str) -> list[dict]:
    if not path.is_file():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return list(data.get(key, data if isinstance(data, list) else []))


def main() -> int:
    index_path = HERE / "index.yaml"
    entries = {e["file"]: e for e in _load(index_path, "documents")}
    channels = {c["id"]: c for c in _load(HERE / "channels-proposed.yaml", "channels")}
    folded = []
    for f in sorted((HERE / "incoming").glob("*.yaml")):
        if f.name.endswith("-channels.yaml"):
            for c in _load(f, "channels"):
                old = channels.get(c["id"])
                if old:
                    # the same channel met by another annotator: keep every side's names and every file
                    old["seen_in"] = sorted(set(old.get("seen_in", [])) | set(c.get("seen_in", [])))
                    names = old.setdefault("names", {})
                    for side, lst in (c.get("names") or {}).items():
                        names[side] = list(dict.fromkeys([*names.get(side, []), *lst]))
                else:
                    channels[c["id"]] = c
        else:
            for e in _load(f, "documents"):
                if e["file"] in entries:
                    print(f"{f.name}: {e['file']} is already in index.yaml: skipped", file=sys.stderr)
                    continue
                entries[e["file"]] = e
        folded.append(f)
    for file, e in entries.items():
        e["split"] = split_of(file)
    docs = [entries[k] for k in sorted(entries)]
    header = ("# The real-readouts corpus: one entry per document (docs/annotating.md). Built by split.py from the\n"
              "# annotators' entries; `split` is drawn once per document from its file name (see split.py).\n")
    index_path.write_text(header + yaml.safe_dump({"documents": docs}, sort_keys=False, allow_unicode=True, width=120), encoding="utf-8")
    if channels:
        (HERE / "channels-proposed.yaml").write_text(
            "# Named standing channels the annotators met that the registry did not have (docs/annotating.md).\n"
            + yaml.safe_dump({"channels": [channels[k] for k in sorted(channels)]}, sort_keys=False, allow_unicode=True, width=120),
            encoding="utf-8")
    for f in folded:
        f.unlink()
    n_test = sum(1 for e in docs if e["split"] == "test")
    print(f"{len(docs)} documents: {len(docs) - n_test} dev, {n_test} test; {len(channels)} proposed channels")
    return 0


if __name__ == "__main__":
    sys.exit(main())
