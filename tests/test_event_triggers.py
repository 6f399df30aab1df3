"""The event coder's triggers are data (``src/readout/data/event_triggers.yaml``): validated on
load against the PLOVER section, with errors that name the file and line, and checked against
the CAMEO codebook and the CAMEO-to-PLOVER crosswalk in ``../shared/reference/ontology``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_events import Tok, make_doc

from readout.errors import RegistryError
from readout.extract import events
from readout.extract.base import ActorIndex
from readout.registry import EVENT_WORD_LISTS, TRIGGER_KINDS, load_event_tables, load_registry


def test_tables_load_and_are_what_the_coder_uses() -> None:
    t = load_event_tables()
    assert {k: len(v) > 0 for k, v in t.event_triggers.items()} == dict.fromkeys(TRIGGER_KINDS, True)
    k = events.knowledge(t)
    assert k.verb_cues.items() >= t.event_triggers["verb"].items() and k.noun_cues == t.event_triggers["noun"]
    # a typed reporting verb (verbs.yaml) is a trigger too, where the trigger table has none
    assert k.verb_cues["blast"].type == "ACCUSE" and k.phrase_cues[("rule", "out")].type == "REJECT"
    assert set(k.verb_cues) - set(t.event_triggers["verb"]) <= {v for v in t.verbs if t.verbs[v].event_type}
    assert {name: len(getattr(k, name)) > 0 for name in EVENT_WORD_LISTS} == dict.fromkeys(EVENT_WORD_LISTS, True)
    assert k.governors["refuse"] == "reject" and k.modes["THREATEN"]["sanction"] == ("restrict", "1312")
    assert k.modes["REJECT"]["meeting"] == ("meet", None) and "never" in k.negation_adverbs
    assert t.event_triggers["verb"]["sanction"].type == "SANCTION" and t.event_triggers["verb"]["sanction"].cameo == "163"
    assert t.event_triggers["phrase"][("call", "off")].type == "CONCEDE"  # "off" stays a word, not YAML's false
    assert t.event_frames["refuse"] == "negated" and t.event_frames["urge"] == "demanded"
    assert "impose" in t.event_words["light_verbs"]


# each trigger family of issue 12 has its type in the table
@pytest.mark.parametrize(("kind", "word", "type_", "cameo"), [
    ("verb", "sanction", "SANCTION", "163"),
    ("noun", "sanction", "SANCTION", "163"),
    ("verb", "criticize", "ACCUSE", "111"),
    ("verb", "accuse", "ACCUSE", "112"),
    ("noun", "protest", "ACCUSE", "114"),
    ("verb", "demonstrate", "PROTEST", None),
    ("noun", "aid", "AID", None),
    ("verb", "sell", "AID", "072"),
    ("verb", "visit", "CONSULT", "042"),
    ("noun", "meeting", "CONSULT", None),
    ("noun", "agreement", "AGREE", None),
    ("noun", "exercise", "MOBILIZE", "150"),
    ("verb", "deploy", "MOBILIZE", None),
    ("lifted", "sanction", "RETREAT", "085"),
    ("cut", "talk", "SANCTION", None),
])
def test_trigger_families(kind: str, word: str, type_: str, cameo: str | None) -> None:
    cue = load_event_tables().event_triggers[kind][word]
    assert cue.type == type_ and cue.cameo == cameo


@pytest.mark.parametrize(("entry", "message"), [
    ("- {verb: snub, type: SNUB}", "not a PLOVER type"),
    ("- {verb: snub, type: REJECT, mode: loudly}", "not a mode of REJECT"),
    ("- {verb: snub, type: REJECT, cameo: 12x}", "not a CAMEO code"),
    ("- {verb: snub, noun: snub, type: REJECT}", "exactly one of"),
    ("- {phrase: [snub], type: REJECT}", "two words"),
    ("- {cut: aid, type: AID}", "SANCTION with mode"),
])
def test_bad_trigger_names_file_and_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entry: str, message: str) -> None:
    import readout.registry as reg_mod

    data = tmp_path / "data"
    data.mkdir()
    real = Path(str(reg_mod.resources.files("readout") / "data"))
    for name in ("plover.yaml", "verbs.yaml"):
        (data / name).write_text((real / name).read_text(encoding="utf-8"), encoding="utf-8")
    (data / "event_triggers.yaml").write_text("# a comment\nevent_triggers:\n  " + entry + "\n", encoding="utf-8")

    class Files:
        def __truediv__(self, name: str) -> Path:
            return tmp_path / name

    monkeypatch.setattr(reg_mod.resources, "files", lambda _pkg: Files())
    with pytest.raises(RegistryError, match=message) as err:
        load_event_tables()
    assert "readout/data/event_triggers.yaml:3" in str(err.value)


# "Norway stonewalled Chile." and "Norway penned a protest to Chile." (parses written out by hand)
SNUB: list[Tok] = [
    ("Norway", "Norway", "PROPN", "nsubj", 1, "GPE", True),
    ("stonewalled", "stonewall", "VERB", "ROOT", 1, "O", True),
    ("Chile", "Chile", "PROPN", "dobj", 1, "GPE", False),
    (".", ".", "PUNCT", "punct", 1, "O", False),
]
PENNED: list[Tok] = [
    ("Norway", "Norway", "PROPN", "nsubj", 1, "GPE", True),
    ("penned", "pen", "VERB", "ROOT", 1, "O", True),
    ("a", "a", "DET", "det", 3, "O", True),
    ("protest", "protest", "NOUN", "dobj", 1, "O", True),
    ("to", "to", "ADP", "prep", 1, "O", True),
    ("Chile", "Chile", "PROPN", "pobj", 4, "GPE", False),
    (".", ".", "PUNCT", "punct", 1, "O", False),
]


def _coded(toks: list[Tok], registry: object) -> set[tuple[str, str | None, str | None]]:
    doc = make_doc(toks)
    return {(e.type, e.source, e.target) for s in doc.sents for e in events.code_sentence(s, registry, ActorIndex())}  # type: ignore[arg-type]


def test_user_file_adds_a_trigger_and_a_cue_word(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "event_triggers:\n  - {verb: stonewall, type: REJECT}\n"
        "event_words:\n  - {list: light_verbs, words: [pen]}\n",
        encoding="utf-8",
    )
    plain = load_registry([], include_env=False)
    assert _coded(SNUB, plain) == set() and _coded(PENNED, plain) == set()  # the package knows neither word
    reg = load_registry([mine], include_env=False)
    assert _coded(SNUB, reg) == {("REJECT", "NOR", "CHL")}
    assert _coded(PENNED, reg) == {("ACCUSE", "NOR", "CHL")}  # "pen" now takes an event noun, as "lodge" does
    assert "stonewall" in events.knowledge(reg).verb_cues and "stonewall" not in events.knowledge(plain).verb_cues
    assert _coded(SNUB, plain) == set()  # one registry's words do not leak into another's coding


def test_user_file_can_retype_a_package_trigger(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text("event_triggers:\n  - {verb: sanction, type: COERCE, mode: restrict}\n", encoding="utf-8")
    reg = load_registry([mine], include_env=False)
    assert reg.event_triggers["verb"]["sanction"].type == "COERCE"


@pytest.mark.parametrize(("text", "message"), [
    ("event_triggers:\n  - {verb: snub, type: SNUB}\n", "event_triggers: verb 'snub': 'type': 'SNUB' is not a PLOVER type"),
    ("event_words:\n  - {list: snub_words, words: [snub]}\n", "event_words: list 'snub_words': 'list': unknown list 'snub_words'"),
    ("event_frames:\n  - {frame: snubbed, verbs: [snub]}\n", "event_frames: frame 'snubbed': 'frame': unknown frame"),
    ("event_governors:\n  - {governs: snub, verbs: [snub]}\n", "event_governors: governs 'snub': 'governs': unknown reading"),
    ("event_modes:\n  - {type: REJECT, mode: loudly, words: [snub]}\n", "event_modes: mode 'loudly': 'mode': 'loudly' is not a mode of REJECT"),
    ("event_modes:\n  - {type: AGREE, mode: meet, words: [snub]}\n", "event_modes: mode 'meet': 'type': the coder reads modes"),
])
def test_bad_user_entry_is_one_line_naming_file_and_entry(tmp_path: Path, text: str, message: str) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError) as err:
        load_registry([mine], include_env=False)
    msg = str(err.value)
    assert msg.startswith(f"{mine}:2: ") and message in msg and "\n" not in msg


@pytest.mark.shared
def test_trigger_codes_are_cameo_codes_of_the_crosswalked_type(shared_dir: Path) -> None:
    onto = shared_dir / "reference" / "ontology"
    if not (onto / "CAMEO.eventcodes.txt").exists():
        pytest.skip(f"{onto} has no CAMEO codebook")
    codes = {line.split("\t")[0] for line in (onto / "CAMEO.eventcodes.txt").read_text(encoding="utf-8").splitlines()}
    crosswalk = {}
    for line in (onto / "CAMEO2PLOVER-2021.txt").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^(\d{2,4}):\s*([A-Z]+)", line)
        if m:
            crosswalk[m.group(1)] = m.group(2)
    # plover.yaml's documented exception: the PLOVER manual codes sanctions (CAMEO 163) SANCTION, the 2021 table COERCE
    exceptions = {("SANCTION", "163")}
    wrong = []
    for kind, table in load_event_tables().event_triggers.items():
        for word, cue in table.items():
            if cue.cameo is None:
                continue
            if cue.cameo not in codes:
                wrong.append(f"{kind} {word}: {cue.cameo} is no CAMEO code")
            elif cue.cameo in crosswalk and crosswalk[cue.cameo] != cue.type and (cue.type, cue.cameo) not in exceptions:
                wrong.append(f"{kind} {word}: {cue.type} but CAMEO {cue.cameo} is {crosswalk[cue.cameo]}")
    assert wrong == []
