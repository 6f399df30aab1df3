#!/usr/bin/env python3
"""Build ``src/readout/data/countries.yaml``: demonyms, capitals and common English names for
every country of ISO 3166-1, generated from the ``countryinfo`` package (PyPI, MIT licence).

Run at development time only; the generated YAML is committed and readout never imports
``countryinfo``. Install it in a throwaway virtualenv, not in the project's::

    python3 -m venv /tmp/ci-venv
    /tmp/ci-venv/bin/pip install countryinfo==1.0.1 pycountry==26.2.16
    /tmp/ci-venv/bin/python scripts/build_countries.py            # -> src/readout/data/countries.yaml
    /tmp/ci-venv/bin/python scripts/build_countries.py --out FILE --check

``pycountry`` must be the version the project pins (requirements.lock): the registry takes its
base list of countries from it, and this script writes an entry only for a code it knows.

What the source is worth (countryinfo 1.0.1, judged in 2026): for sovereign states its demonyms
and capitals are nearly all right, and they agree with mledoze/countries (npm
``world-countries``, ODbL), from which both descend. Its faults, which this script corrects:

- one demonym per country, sometimes archaic ("Kirghiz", "Tadzhik") or misspelt
  ("Cape Verdian"), and two joined in one string ("Antiguan,Barbudan");
- a few "demonyms" that are place names ("Djibouti", "Gibraltar", "Christmas Island");
- demonyms shared with the state that owns a territory ("Indian" for the British Indian Ocean
  Territory, "American" for the Northern Mariana Islands, "Chinese" for Hong Kong and Macau,
  "French" for Réunion and others), which would send "Indian" to the wrong code;
- stale capitals (Nur-Sultan, renamed Astana in 2022; Bujumbura, which ceded the political
  capital to Gitega in 2019) and one capital where a country has two;
- duplicate entries for one code (two Vatican entries, two Palestine entries, and entries
  for Burma and Wales that reuse MMR and GBR).

Rules applied, in order: keep one entry per ISO alpha-3 code (the one with an ISO numeric code
that the registry knows; entries for the same code are merged); split joined demonyms; drop a
demonym or capital equal to a name of the place; apply ``FIXES`` (each with its reason); then a
demonym or capital claimed by several codes stays only with the most populous of them (the
owning state, or for "Congolese" and "Dominican" the likelier reading). Hand-curated names,
adjectives, capitals used as metonyms and government metonyms for the countries most often in
security news live in ``countries_extra.yaml``, which the registry loads after this file.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "src" / "readout" / "data" / "countries.yaml"

# code -> (field, action, values, reason). action: "add" appends, "set" replaces, "drop" removes.
FIXES: list[tuple[str, str, str, list[str], str]] = [
    (
        "KAZ",
        "capitals",
        "set",
        ["Astana", "Nur-Sultan"],
        "Nur-Sultan was renamed Astana again in September 2022; news of 2019-2022 uses both",
    ),
    (
        "BDI",
        "capitals",
        "set",
        ["Gitega", "Bujumbura"],
        "Gitega is the political capital since 2019; Bujumbura the economic one",
    ),
    ("BOL", "capitals", "add", ["La Paz"], "La Paz is the seat of government; Sucre the constitutional capital"),
    ("ZAF", "capitals", "add", ["Cape Town", "Bloemfontein"], "three capitals: executive, legislative, judicial"),
    ("MYS", "capitals", "add", ["Putrajaya"], "Putrajaya is the seat of government"),
    ("NLD", "capitals", "add", ["The Hague"], "The Hague is the seat of government"),
    ("CIV", "capitals", "add", ["Abidjan"], "Abidjan is the seat of most of the government"),
    (
        "USA",
        "capitals",
        "set",
        ["Washington", "Washington, D.C.", "Washington DC"],
        "the source writes 'Washington D.C.'; news writes 'Washington'",
    ),
    (
        "PSE",
        "capitals",
        "set",
        ["Ramallah"],
        "seat of the Palestinian Authority; the source's second entry gives Jerusalem",
    ),
    ("KGZ", "demonyms", "set", ["Kyrgyz", "Kyrgyzstani"], "the source has the archaic 'Kirghiz'"),
    ("TJK", "demonyms", "set", ["Tajik", "Tajikistani"], "the source has the archaic 'Tadzhik'"),
    ("UZB", "demonyms", "add", ["Uzbek"], "the usual adjective"),
    ("KAZ", "demonyms", "add", ["Kazakh"], "the usual adjective"),
    ("ARG", "demonyms", "set", ["Argentine", "Argentinian", "Argentinean"], "'Argentine' is the usual form"),
    ("CPV", "demonyms", "set", ["Cape Verdean"], "the source misspells it 'Cape Verdian'"),
    ("MDV", "demonyms", "set", ["Maldivian"], "the source misspells it 'Maldivan'"),
    ("COM", "demonyms", "set", ["Comorian"], "the usual form ('Comoran' in the source)"),
    ("ECU", "demonyms", "set", ["Ecuadorian"], "the usual form ('Ecuadorean' in the source)"),
    ("KNA", "demonyms", "set", ["Kittitian", "Nevisian"], "the source joins them in one string"),
    ("DJI", "demonyms", "set", ["Djiboutian"], "the source gives the country name"),
    ("SVN", "demonyms", "add", ["Slovenian"], "as common as 'Slovene'"),
    ("VAT", "demonyms", "set", ["Vatican"], "the source has 'Vaticanian'"),
    ("SAU", "demonyms", "add", ["Saudi"], "the usual adjective"),
    ("ISL", "demonyms", "add", ["Icelandic"], "the adjective; the source gives the noun"),
    ("DNK", "demonyms", "add", ["Dane"], "the noun; the source gives the adjective"),
    ("PHL", "demonyms", "add", ["Philippine"], "the adjective used for state organs ('Philippine Navy')"),
    ("MKD", "demonyms", "add", ["North Macedonian"], "since the 2019 renaming"),
    ("CUW", "demonyms", "set", ["Curaçaoan"], "missing in the source"),
    ("HKG", "demonyms", "set", ["Hongkonger", "Hong Konger"], "the source gives 'Chinese', which belongs to CHN"),
    ("MAC", "demonyms", "set", ["Macanese"], "the source gives 'Chinese', which belongs to CHN"),
    ("MAC", "capitals", "drop", [""], "Macau is a city; the source's capital is empty"),
]

# countryinfo names that are outdated, never written as extra names
SKIP_NAMES = {"Swaziland", "Republic of Macedonia", "Kingdom of Swaziland", "Antilles néerlandaises"}
# The source's alternative spellings mix English forms with native names and transliterations
# ("Zhongguo", "Principat d'Andorra"). Kept: English formal names ("Republic of Korea",
# "Federal Republic of Germany") and these English short forms.
ENGLISH_ALT = {
    "Great Britain",
    "Holland",
    "The Netherlands",
    "DR Congo",
    "Congo-Kinshasa",
    "Congo-Brazzaville",
    "Czechia",
    "Czech Republic",
    "Eswatini",
    "Turkiye",
    "East Timor",
    "Ivory Coast",
    "Viet Nam",
    "North Macedonia",
    "Cabo Verde",
    "Vatican City",
    "Holy See",
    "Palestine",
    "Lao",
}
_FORMAL = re.compile(
    r"^(?:the\s+)?(?:(?:Federal|Islamic|Democratic|Socialist|People's|United|Plurinational|Bolivarian|Arab"
    r"|Co-operative|Cooperative|Federative|Oriental|Hashemite|Argentine|Lebanese|Syrian|Kyrgyz|Sovereign"
    r"|Independent|Union|Federated)\s+)*"
    r"(?:Republic|Kingdom|State|States|Federation|Commonwealth|Union|Principality|Sultanate|Grand Duchy"
    r"|Emirate|Territory|Nation|Realm)\s+of\s+",
    re.IGNORECASE,
)


def _ascii(s: str) -> bool:
    return all(ord(ch) < 128 for ch in unicodedata.normalize("NFC", s))


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _split_demonyms(raw: Any) -> list[str]:
    if not raw or not isinstance(raw, str):
        return []
    parts = re.split(r"\s*[,/]\s*", raw)
    return [_norm(p) for p in parts if _norm(p)]


def _capitals(raw: Any) -> list[str]:
    if not raw:
        return []
    items = raw if isinstance(raw, list) else [raw]
    out: list[str] = []
    for item in items:
        if isinstance(item, str):
            out.extend(_norm(p) for p in re.split(r"\s+/\s+", item) if _norm(p))
    return out


def _names(info: dict[str, Any], known: set[str]) -> list[str]:
    """The source's English name and alternative spellings worth matching in news."""
    cands = [info.get("name") or "", *(info.get("altSpellings") or [])]
    out = []
    for c in cands:
        c = _norm(c) if isinstance(c, str) else ""
        if not c or c in known or c in SKIP_NAMES or "," in c or not _ascii(c):
            continue
        if len(c) <= 3 or c.isupper():  # codes such as "CN", "USA", "DRC"
            continue
        if c != info.get("name") and c not in ENGLISH_ALT and not _FORMAL.match(c):
            continue  # a native name or transliteration
        out.append(c)
    return list(dict.fromkeys(out))


def collect() -> tuple[dict[str, dict[str, Any]], str]:
    import countryinfo
    import pycountry
    from countryinfo import CountryInfo  # type: ignore[import-not-found]

    known_codes = {c.alpha_3: c for c in pycountry.countries}
    by_code: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for info in CountryInfo.all().values():
        iso = info.get("ISO") or {}
        code = (iso.get("alpha3") or "").upper()
        if code in known_codes and iso.get("numeric"):  # entries without numeric are regions (Wales, Burma)
            by_code[code].append(info)

    out: dict[str, dict[str, Any]] = {}
    for code, infos in sorted(by_code.items()):
        pc = known_codes[code]
        pc_names = {n for n in (getattr(pc, "common_name", None), pc.name, getattr(pc, "official_name", None)) if n}
        names: list[str] = []
        demonyms: list[str] = []
        capitals: list[str] = []
        population = 0
        for info in infos:
            names.extend(_names(info, pc_names))
            demonyms.extend(_split_demonyms(info.get("demonym")))
            capitals.extend(_capitals(info.get("capital")))
            population = max(population, int(info.get("population") or 0))
        place = {n.lower() for n in [*pc_names, *names]}
        entry = {
            "names": list(dict.fromkeys(names)),
            "demonyms": [
                d
                for d in dict.fromkeys(demonyms)
                if d.lower() not in place and d.lower() not in {c.lower() for c in capitals}
            ],
            "capitals": list(dict.fromkeys(capitals)),
            "population": population,
        }
        out[code] = entry
    return out, getattr(countryinfo, "__version__", "?")


def apply_fixes(data: dict[str, dict[str, Any]]) -> None:
    for code, fld, action, values, _reason in FIXES:
        entry = data.get(code)
        if entry is None:
            continue
        if action == "set":
            entry[fld] = list(values)
        elif action == "add":
            entry[fld] = list(dict.fromkeys([*entry[fld], *values]))
        elif action == "drop":
            entry[fld] = [v for v in entry[fld] if v not in values]


def resolve_shared(data: dict[str, dict[str, Any]], fld: str) -> list[str]:
    """A demonym or capital claimed by several codes stays with the most populous; returns notes."""
    owners: dict[str, list[str]] = defaultdict(list)
    for code, entry in data.items():
        for v in entry[fld]:
            owners[v.lower()].append(code)
    notes = []
    for value, codes in sorted(owners.items()):
        if len(codes) < 2:
            continue
        keep = max(codes, key=lambda c: (data[c]["population"], c))
        for c in codes:
            if c != keep:
                data[c][fld] = [v for v in data[c][fld] if v.lower() != value]
        notes.append(
            f"{fld[:-1]} {value!r}: kept for {keep}, dropped for {', '.join(sorted(c for c in codes if c != keep))}"
        )
    return notes


def _q(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def render(data: dict[str, dict[str, Any]], version: str, notes: list[str]) -> str:
    lines = [
        "# Demonyms, capitals and common English names of every country of ISO 3166-1.",
        f"# GENERATED by scripts/build_countries.py from countryinfo {version} (PyPI, MIT licence),",
        "# with the corrections listed in that script. Do not edit by hand: edit the script and run",
        "# it again, or add to countries_extra.yaml (hand-curated names, adjectives, metonyms).",
        "# Shared demonyms and capitals kept for one code only:",
        *[f"#   {n}" for n in notes],
        "countries:",
    ]
    for code, entry in sorted(data.items()):
        fields = [(k, entry[k]) for k in ("names", "demonyms", "capitals") if entry[k]]
        if not fields:
            continue
        lines.append(f"  - code: {code}")
        for k, vals in fields:
            lines.append(f"    {k}: [{', '.join(_q(v) for v in vals)}]")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the YAML")
    ap.add_argument("--check", action="store_true", help="fail if the file on disk differs from what would be written")
    args = ap.parse_args(argv)

    data, version = collect()
    apply_fixes(data)
    notes = resolve_shared(data, "demonyms") + resolve_shared(data, "capitals")
    text = render(data, version, notes)
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is out of date: run scripts/build_countries.py", file=sys.stderr)
            return 1
        return 0
    args.out.write_text(text, encoding="utf-8")
    with_dem = sum(1 for e in data.values() if e["demonyms"])
    print(
        f"wrote {args.out}: {len(data)} countries, {with_dem} with demonyms, {sum(1 for e in data.values() if e['capitals'])} with capitals"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
