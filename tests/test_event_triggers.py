"""The event coder's triggers are data (``src/readout/data/event_triggers.yaml``): validated on
load against the PLOVER section, with errors that name the file and line, and checked against
the CAMEO codebook and the CAMEO-to-PLOVER crosswalk in ``../shared/reference/ontology``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from readout.errors import RegistryError
from readout.extract import events
from readout.registry import TRIGGER_KINDS, load_event_tables, load_registry


def test_tables_load_and_are_what_the_coder_uses() -> None:
    t = load_event_tables()
    assert {k: len(v) > 0 for k, v in t.event_triggers.items()} == dict.fromkeys(TRIGGER_KINDS, True)
    assert events.VERB_CUES == t.event_triggers["verb"] and events.NOUN_CUES == t.event_triggers["noun"]
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
    (data / "plover.yaml").write_text((real / "plover.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (data / "event_triggers.yaml").write_text("# a comment\nevent_triggers:\n  " + entry + "\n", encoding="utf-8")

    class Files:
        def __truediv__(self, name: str) -> Path:
            return tmp_path / name

    monkeypatch.setattr(reg_mod.resources, "files", lambda _pkg: Files())
    with pytest.raises(RegistryError, match=message) as err:
        load_event_tables()
    assert "readout/data/event_triggers.yaml:3" in str(err.value)


def test_user_file_cannot_add_triggers_yet(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text("event_triggers:\n  - {verb: snub, type: REJECT}\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="package's own event_triggers.yaml") as err:
        load_registry([mine], include_env=False)
    assert f"{mine}:2" in str(err.value)


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
