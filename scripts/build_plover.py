#!/usr/bin/env python3
"""Build ``src/readout/data/plover.yaml`` (the ``plover`` section of the registry) from the
PLOVER tables in ``../shared/reference/ontology``.

Run at development time only; the generated YAML is committed and the package never reads
``../shared``::

    python scripts/build_plover.py                     # ../shared/reference/ontology -> data/plover.yaml
    python scripts/build_plover.py --ontology DIR --out FILE

What is taken from the tables: the 16 event types, their quad category and cooperation-conflict
score, and each mode with its score (``plover_event_modes.csv``). What is chosen here: the
default CAMEO code of each type and mode, picked from ``CAMEO2PLOVER-2021.txt`` and checked
against the CAMEO 1.1b3 code names; every choice that is not a plain one-to-one reading of that
table carries a note, written as a YAML comment beside the code.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ONTOLOGY = ROOT.parent / "shared" / "reference" / "ontology"
DEFAULT_OUT = ROOT / "src" / "readout" / "data" / "plover.yaml"

TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)

# As printed, ACCUSE is scored +3 while its modes run -2 to -3.5: a misprint. We use -3.0.
SCORE_FIXES: dict[str, tuple[float, str]] = {
    "ACCUSE": (-3.0, "printed as +3 in the PLOVER table, but its modes run -2 to -3.5: read as negative"),
}

# Default CAMEO code of each type: (code, note or "").
TYPE_CAMEO: dict[str, tuple[str, str]] = {
    "AGREE": ("030", ""),
    "CONSULT": ("040", ""),
    "SUPPORT": ("050", ""),
    "CONCEDE": ("080", ""),
    "COOPERATE": ("060", ""),
    "AID": ("070", "military aid and arms transfers are 072, chosen by the extractor's rules"),
    "RETREAT": ("084", "the first RETREAT code without a mode in the 2021 table"),
    "REQUEST": ("100", "PLOVER REQUEST also takes CAMEO 02 (appeal); 100 is the general demand"),
    "ACCUSE": ("110", "ACCUSE covers CAMEO 09 (investigate) and 11 (disapprove); 110 is the general one"),
    "REJECT": ("120", ""),
    "THREATEN": ("130", ""),
    "PROTEST": ("140", ""),
    "SANCTION": ("160", ""),
    "MOBILIZE": ("150", ""),
    "COERCE": ("170", ""),
    "ASSAULT": ("180", "ASSAULT covers CAMEO 18-20; 180 is the root whose name matches, 190 is military force"),
}

# Default CAMEO code of each (type, mode): (code, note or "").
MODE_CAMEO: dict[tuple[str, str], tuple[str, str]] = {
    ("CONSULT", "visit"): ("042", "043 when the actor hosts the visit"),
    ("CONSULT", "third-party"): ("044", ""),
    ("CONSULT", "multilateral"): ("040", "CAMEO has no multilateral code"),
    ("CONSULT", "phone"): ("041", ""),
    ("RETREAT", "withdraw"): ("0874", "the 2021 table puts withdraw on 0872 (ease blockade); 0874 is retreat militarily"),
    ("RETREAT", "release"): ("0841", ""),
    ("RETREAT", "disarm"): ("0873", ""),
    ("RETREAT", "ceasefire"): ("0871", ""),
    ("RETREAT", "access"): ("086", ""),
    ("RETREAT", "resign"): ("0831", "not in the 2021 table; CAMEO codes a resignation under pressure as 0831"),
    ("REQUEST", "assist"): ("101", "CAMEO 1.1b3: demand material cooperation (GDELT's lookup names 101 differently)"),
    ("REQUEST", "change"): ("104", ""),
    ("REQUEST", "yield"): ("105", "CAMEO 1.1b3: demand that target yields (GDELT's lookup says mediation)"),
    ("REQUEST", "meet"): ("106", "CAMEO 1.1b3 and the 2021 table: demand meeting (GDELT's lookup has 108)"),
    ("ACCUSE", "disapprove"): ("111", "114 for an official complaint or protest"),
    ("ACCUSE", "investigate"): ("090", ""),
    ("ACCUSE", "allege"): ("112", ""),
    ("REJECT", "assist"): ("121", ""),
    ("REJECT", "change"): ("123", ""),
    ("REJECT", "yield"): ("124", ""),
    ("REJECT", "meet"): ("125", ""),
    ("THREATEN", "restrict"): ("1312", "boycott, embargo or sanction; 1381 for a blockade"),
    ("THREATEN", "arrest"): ("130", "CAMEO has no threat-to-arrest code"),
    ("THREATEN", "relations"): ("1313", ""),
    ("THREATEN", "expel"): ("136", ""),
    ("THREATEN", "territory"): ("1382", ""),
    ("THREATEN", "violence"): ("138", ""),
    ("PROTEST", "demo"): ("141", ""),
    ("PROTEST", "riot"): ("145", ""),
    ("PROTEST", "strike"): ("143", ""),
    ("PROTEST", "hunger"): ("142", ""),
    ("PROTEST", "boycott"): ("143", ""),
    ("PROTEST", "obstruct"): ("144", ""),
    ("PROTEST", "vandalize"): ("140", "CAMEO has no vandalism code"),
    ("SANCTION", "convict"): ("116", "not in the 2021 table; CAMEO's find guilty or liable"),
    ("SANCTION", "expel"): ("166", ""),
    ("SANCTION", "withdraw"): ("161", "164 halt negotiations, 165 halt mediation"),
    ("SANCTION", "discontinue"): (
        "162",
        "163 for sanctions and embargoes (the 2021 table maps 163 to COERCE, the PLOVER manual codes sanctions as SANCTION discontinue)",
    ),
    ("MOBILIZE", "troops"): ("154", "152 for a raised alert"),
    ("MOBILIZE", "weapons"): ("152", ""),
    ("MOBILIZE", "police"): ("153", ""),
    ("MOBILIZE", "militia"): ("154", "CAMEO does not tell state from non-state forces"),
    ("COERCE", "seize"): ("171", ""),
    ("COERCE", "restrict"): ("172", "191 for a military blockade"),
    ("COERCE", "censor"): ("1721", ""),
    ("COERCE", "curfew"): ("1723", ""),
    ("COERCE", "martial-law"): ("1724", ""),
    ("COERCE", "arrest"): ("173", ""),
    ("COERCE", "deport"): ("174", ""),
    ("COERCE", "withhold"): ("170", "CAMEO has no code for withholding public goods"),
    ("COERCE", "misinformation"): ("170", "CAMEO has no code for misinformation"),
    ("COERCE", "cyber"): ("170", "CAMEO has no cyber code"),
    ("ASSAULT", "abduct"): ("181", ""),
    ("ASSAULT", "beat"): ("182", ""),
    ("ASSAULT", "torture"): ("1822", ""),
    ("ASSAULT", "sexual"): ("1821", ""),
    ("ASSAULT", "targeted"): ("186", "185 for an attempt"),
    ("ASSAULT", "destroy"): ("1712", ""),
    ("ASSAULT", "primitive"): ("182", "CAMEO has no weapon-specific code for primitive weapons"),
    ("ASSAULT", "firearms"): ("193", ""),
    ("ASSAULT", "explosives"): ("183", ""),
    ("ASSAULT", "suicide-attack"): ("1831", ""),
    ("ASSAULT", "aerial"): ("195", ""),
    ("ASSAULT", "drone"): ("195", ""),
    ("ASSAULT", "heavy-weapons"): ("194", ""),
    ("ASSAULT", "crowd-control"): ("175", ""),
    ("ASSAULT", "unconventional"): ("204", ""),
}


def _num(text: str) -> float | None:
    text = text.strip()
    return float(text) if text else None


def _fmt(x: float) -> str:
    return f"{x:.1f}"


def _code_and_note(code: str, note: str) -> str:
    return f'"{code}"' + (f"  # {note}" if note else "")


def check_against_table(table: Path) -> list[str]:
    """Problems: chosen codes that the CAMEO2PLOVER table maps to another type."""
    known: dict[str, str] = {}
    for line in table.read_text(encoding="utf-8", errors="replace").splitlines():
        m = re.match(r"^(\d{3,4}):\s*([A-Z]+)", line)
        if m:
            known[m.group(1)] = m.group(2)
    problems = []
    for (t, mode), (code, note) in MODE_CAMEO.items():
        if code in known and known[code] != t and not note:
            problems.append(f"{t}/{mode}: {code} is {known[code]} in the table and no note says why")
    for t, (code, note) in TYPE_CAMEO.items():
        if code in known and known[code] != t and not note:
            problems.append(f"{t}: {code} is {known[code]} in the table and no note says why")
    return problems


def build(ontology: Path) -> str:
    rows = list(csv.DictReader((ontology / "plover_event_modes.csv").open(encoding="utf-8")))
    by_type: dict[str, dict[str, object]] = {}
    modes: dict[str, list[tuple[str, float | None]]] = {t: [] for t in TYPES}
    for r in rows:
        t = r["event"].strip()
        if t not in TYPES:
            raise SystemExit(f"unknown PLOVER type {t!r} in plover_event_modes.csv")
        mode = r["mode"].strip()
        if not mode:
            by_type[t] = {"score": _num(r["plover_score"]), "quad": r["quad_category"].strip().lower().replace(" ", "_")}
        else:
            modes[t].append((mode, _num(r["plover_score"])))
    missing = [t for t in TYPES if t not in by_type]
    if missing:
        raise SystemExit(f"types without a row in plover_event_modes.csv: {missing}")

    out = [
        "# PLOVER event types with their cooperation-conflict scores, quad category, and the",
        "# default CAMEO code of each type and mode (the crosswalk). Generated by",
        "# scripts/build_plover.py from the PLOVER tables (openeventdata/PLOVER, CC BY-SA 4.0) and",
        "# CAMEO2PLOVER-2021; do not edit by hand, edit the script and run it again.",
        "# An extractor's rule may choose a more specific CAMEO code than these defaults",
        "# (072 for military aid and arms sales, 163 for sanctions, 043 for hosting a visit).",
        "plover:",
    ]
    for t in TYPES:
        score = by_type[t]["score"]
        note = ""
        if t in SCORE_FIXES:
            score, note = SCORE_FIXES[t]
        assert isinstance(score, float)
        code, cnote = TYPE_CAMEO[t]
        out.append(f"  - type: {t}")
        out.append(f"    score: {_fmt(score)}" + (f"  # {note}" if note else ""))
        out.append(f"    quad: {by_type[t]['quad']}")
        out.append(f"    cameo: {_code_and_note(code, cnote)}")
        if modes[t]:
            out.append("    modes:")
            for mode, mscore in modes[t]:
                mcode, mnote = MODE_CAMEO[(t, mode)]
                out.append(f"      - mode: {mode}")
                if mscore is None:
                    out.append("        # no score printed for this mode: the type's score applies")
                else:
                    out.append(f"        score: {_fmt(mscore)}")
                out.append(f"        cameo: {_code_and_note(mcode, mnote)}")
    unused = set(MODE_CAMEO) - {(t, m) for t in TYPES for m, _ in modes[t]}
    if unused:
        raise SystemExit(f"CAMEO choices for modes the table does not have: {sorted(unused)}")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ontology", type=Path, default=DEFAULT_ONTOLOGY, help="folder with plover_event_modes.csv")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="YAML file to write")
    args = ap.parse_args(argv)
    if not (args.ontology / "plover_event_modes.csv").exists():
        print(f"{args.ontology}: plover_event_modes.csv not found; pass --ontology DIR", file=sys.stderr)
        return 2
    table = args.ontology / "CAMEO2PLOVER-2021.txt"
    if table.exists():
        for p in check_against_table(table):
            print(f"warning: {p}", file=sys.stderr)
    text = build(args.ontology)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
