"""`readout eval quotes|events|corpus`: thin commands over readout.evaluate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from readout.cli import cli


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_eval_lists_one_command_per_kind_of_gold() -> None:
    code, out, _ = run("eval", "--help")
    assert code == 0
    assert [c for c in ("quotes", "events", "corpus") if f"  {c} " in out] == ["quotes", "events", "corpus"]


@pytest.mark.parametrize("kind", ["quotes", "events", "corpus"])
def test_eval_missing_gold_is_one_line_and_exit_2(kind: str, tmp_path: Path) -> None:
    code, out, err = run("eval", kind, "--gold", str(tmp_path / "nope"))
    assert code == 2 and out == ""
    assert err.startswith("error: ") and err.count("\n") == 1 and "no such file" in err


def test_eval_malformed_gold_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text('{"text": "A met B.", "event_plover_v2": "CONSULT"}\n{oops\n', encoding="utf-8")
    code, _, err = run("eval", "events", "--gold", str(path))
    assert code == 2 and f"{path}:2: not JSON" in err


def test_eval_quotes_requires_gold() -> None:
    code, _, err = run("eval", "quotes")
    assert code == 2 and "--gold" in err


@pytest.mark.model
def test_eval_events_prints_a_table_or_json(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    record = {"id": "x1", "text": "Peru accused Norway of spying.", "actor": [{"country": "PER"}],
              "recipient": [{"country": "NOR"}], "event_plover_v2": "ACCUSE"}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    code, out, _ = run("eval", "events", "--gold", str(path), "--format", "json", "--errors", "3")
    data = json.loads(out)
    assert code == 0 and data["sentences"] == 1 and data["type"]["tp"] + data["type"]["fn"] == 1
    assert set(data["errors"]) == {"misses", "false_alarms"}
    code, out, _ = run("eval", "events", "--gold", str(path))
    assert code == 0 and out.startswith("PLOVER gold records: 1 sentences")
