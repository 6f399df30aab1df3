"""The ``readout`` command and the text report.

Most tests need no model: errors are raised before the model loads, and the commands' output
is checked with ``pipeline.analyze_documents`` replaced by a stand-in that returns records
built by hand. Tests that run the real pipeline are marked ``model``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner, Result

from readout import pipeline, readers, report
from readout import nlp as nlp_mod
from readout.cli import EXIT_BUG, cli
from readout.records import (
    Actor,
    Amount,
    Analysis,
    ChannelStatus,
    DateValue,
    Document,
    Engagement,
    Event,
    Span,
    Statement,
)

if TYPE_CHECKING:
    from conftest import Samples

REPO = Path(__file__).resolve().parents[1]
JSON_KEYS = {"schema", "document", "actors", "engagements", "channel_status", "statements", "events"}


@pytest.fixture(autouse=True)
def _no_user_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests must not depend on the developer's own knowledge files."""
    monkeypatch.delenv("READOUT_REGISTRY", raising=False)


def run(*args: str, input: str | bytes | None = None, columns: int = 160) -> Result:
    """Run the command in-process; rich lays out its output for ``columns`` columns."""
    return CliRunner(env={"COLUMNS": str(columns)}).invoke(cli, list(args), input=input)


def assert_one_line_error(result: Result, exit_code: int, *fragments: str) -> str:
    """The command failed with ``exit_code`` and said why in one line on standard error."""
    assert result.exit_code == exit_code, (result.exit_code, result.output)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    for fragment in fragments:
        assert fragment in lines[0]
    assert "Traceback" not in result.output
    return lines[0]


def write(tmp_path: Path, name: str, data: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return str(path)


# ---------------------------------------------------------------- records built by hand
def _span(text: str, part: str) -> Span:
    start = text.index(part)
    return Span(start, start + len(part), part)


def hand_made_analysis(document: Document) -> Analysis:
    """What the extractors might find in the ``article`` fixture, built by hand."""
    t = document.text
    thursday = DateValue("2024-03-07", "day", "Thursday", _span(t, "Thursday"), "weekday")
    return Analysis(
        document=document,
        actors=[
            Actor("NOR", "Norway", "state", "NOR", "GOV", mentions=[_span(t, "Norway")], known=True),
            Actor("CHL", "Chile", "state", "CHL", "GOV", mentions=[_span(t, "Chile")], known=True),
            Actor("chl-defense-minister", "Chile's defense minister", "person", "CHL", "GOV",
                  mentions=[_span(t, "Chile's defense minister")]),
            Actor("nor-state-secretary", "Norway's state secretary", "person", "NOR", "GOV",
                  mentions=[_span(t, "Norway's state secretary")]),
        ],
        engagements=[
            Engagement(
                "eng-test", "video_call", ["NOR", "CHL"], ["CHL", "NOR"], [_span(t, "held a video call on Thursday")],
                "test_rule", date=thursday, initiator="CHL", medium="video",
                first_since=DateValue("2021", "year", "the spring of 2021", _span(t, "the spring of 2021"), "season"),
                reasons={"location": "no place named for the call"},
            )
        ],
        channel_status=[
            ChannelStatus(
                "cs-test", "chl-nor-navy-hotline", "Navy hotline", ["CHL", "NOR"], "requested",
                [_span(t, "urged Chile to keep the hotline between the two fleets open")], "test_rule",
                asserted_by="nor-state-secretary", side="NOR",
            )
        ],
        statements=[
            Statement(
                "st-1", "indirect", "both navies should share weather data", _span(t, "both navies should share weather data"),
                "test_rule", speaker="chl-defense-minister", speaker_name="Chile's defense minister", side="CHL", cue="said",
                topics=["search_and_rescue"], event_type="CONSULT",
            ),
            Statement(
                "st-2", "indirect", "Chile to keep the hotline between the two fleets open around the clock",
                _span(t, "Chile to keep the hotline between the two fleets open around the clock"), "test_rule",
                speaker="nor-state-secretary", speaker_name="Norway's state secretary", side="NOR", cue="urged",
                event_type="REQUEST",
            ),
        ],
        events=[
            Event("ev-test", "COOPERATE", [_span(t, "search and rescue cooperation")], "test_rule", mode="military",
                  cameo="062", source="NOR", target="CHL", amount=Amount(1_500_000, "USD")),
        ],
        model="test-model",
        version="0.1.0",
    )


@pytest.fixture
def fake_pipeline(monkeypatch: pytest.MonkeyPatch) -> list[Document]:
    """Replace the pipeline with hand-made records; returns the documents it was given."""
    seen: list[Document] = []

    def analyze_documents(documents: Iterable[Document], **kwargs: Any) -> Iterator[Analysis]:
        for d in documents:
            seen.append(d)
            yield hand_made_analysis(d) if "video call" in d.text else Analysis(document=d, model="test-model")

    monkeypatch.setattr(pipeline, "analyze_documents", analyze_documents)
    return seen


# ---------------------------------------------------------------- errors: one line, no traceback
def test_analyze_missing_file_one_line_error(tmp_path: Path) -> None:
    path = str(tmp_path / "nowhere.txt")
    assert_one_line_error(run("analyze", path), 2, path, "no such file: check the path")


def test_analyze_empty_file_one_line_error(tmp_path: Path) -> None:
    assert_one_line_error(run("analyze", write(tmp_path, "empty.txt", "")), 2, "empty")


def test_analyze_binary_file_one_line_error(samples: Samples, tmp_path: Path) -> None:
    assert_one_line_error(run("analyze", write(tmp_path, "picture.txt", samples.png_head)), 2, "binary file, not text")


def test_analyze_unsupported_suffix_one_line_error(samples: Samples, tmp_path: Path) -> None:
    assert_one_line_error(run("analyze", write(tmp_path, "picture.png", samples.png_head)), 2, "unsupported file type '.png'")


@pytest.mark.parametrize("value", ["2023-13-45", "yesterday"])
def test_analyze_invalid_published_one_line_error(tmp_path: Path, article: str, value: str) -> None:
    path = write(tmp_path, "a.txt", article)
    assert_one_line_error(run("analyze", path, "--published", value), 2, repr(value), "YYYY-MM-DD")


def test_analyze_german_refused_with_the_fix(samples: Samples, tmp_path: Path) -> None:
    assert_one_line_error(run("analyze", write(tmp_path, "de.txt", samples.german)), 2, "'de'", "--no-language-check")


def test_analyze_unknown_model_one_line_error(tmp_path: Path, article: str) -> None:
    nlp_mod.load.cache_clear()
    result = run("analyze", write(tmp_path, "a.txt", article), "--model", "no_such_pipeline_xyz")
    assert_one_line_error(result, 4, "'no_such_pipeline_xyz' is not installed", "--model")


def test_analyze_bad_registry_file_names_file_and_line(tmp_path: Path, article: str) -> None:
    bad = write(tmp_path, "mine.yaml", "people:\n  - id: ann-example\n    name: Ann Example\n    country: XXQ\n")
    result = run("analyze", write(tmp_path, "a.txt", article), "--registry", bad)
    assert_one_line_error(result, 3, f"{bad}:2:", "unknown country code 'XXQ'")


def test_unexpected_exception_is_reported_as_a_bug(tmp_path: Path, article: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Iterator[Analysis]:
        raise RuntimeError("something broke inside")

    monkeypatch.setattr(pipeline, "analyze_documents", broken)
    path = write(tmp_path, "a.txt", article)
    line = assert_one_line_error(run("analyze", path), EXIT_BUG, "RuntimeError: something broke inside", "bug", "--debug")
    assert line.startswith("error: unexpected")
    debug = run("--debug", "analyze", path)
    assert isinstance(debug.exception, RuntimeError)


def test_usage_error_has_no_traceback(tmp_path: Path, article: str) -> None:
    result = run("analyze", write(tmp_path, "a.txt", article), "--format", "xml")
    assert result.exit_code == 2
    assert "'xml' is not one of" in result.stderr
    assert "Traceback" not in result.output


# ---------------------------------------------------------------- analyze, with hand-made records
def test_analyze_text_report_sections(tmp_path: Path, article: str, fake_pipeline: list[Document]) -> None:
    path = write(tmp_path, "a.txt", article)
    result = run("analyze", path, "--published", "2024-03-08", "--outlet", "The Ledger", "--title", "Navies talk")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    out = result.stdout
    assert fake_pipeline[0].published == "2024-03-08" and fake_pipeline[0].outlet == "The Ledger"
    for expected in (
        "Navies talk", "The Ledger", "2024-03-08", fake_pipeline[0].id,
        "Engagements (1)", "video call", "2024-03-07 [Thursday]", "Norway (NOR)", "Chile (CHL)", "CHL – NOR",
        "no place named for the call", "2021 [the spring of 2021]",
        "Channel status (1)", "Navy hotline", "requested",
        "Statements (2)", "Side: Chile (CHL)", "Side: Norway (NOR)", "Chile's defense minister", "CONSULT",
        "Events (1)", "COOPERATE/military", "CAMEO 062", "1,500,000 USD",
    ):
        assert expected in out, expected
    assert "\x1b[" not in out
    assert "--published YYYY-MM-DD" not in out


def test_analyze_text_report_fits_eighty_columns(tmp_path: Path, article: str, fake_pipeline: list[Document]) -> None:
    result = run("analyze", write(tmp_path, "a.txt", article), "--published", "2024-03-08", columns=80)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert all(line == line.rstrip() for line in lines)
    assert "Statements (2)" in result.stdout


def test_analyze_text_report_without_date_says_pass_published(tmp_path: Path, article: str, fake_pipeline: list[Document]) -> None:
    result = run("analyze", write(tmp_path, "a.txt", article))
    assert result.exit_code == 0
    flat = " ".join(result.stdout.replace("│", " ").split())
    assert 'pass --published YYYY-MM-DD so that "on Thursday" can be resolved' in flat


def test_analyze_json_shape(tmp_path: Path, article: str, fake_pipeline: list[Document]) -> None:
    result = run("analyze", write(tmp_path, "a.txt", article), "--format", "json", "--published", "2024-03-08")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert JSON_KEYS <= set(data)
    assert data["schema"] == "readout.analysis/1"
    assert data["document"]["chars"] == len(article)
    assert data["engagements"][0]["date_raw"] == "Thursday"
    assert result.stderr == ""


def test_analyze_json_keeps_non_ascii(samples: Samples, tmp_path: Path, fake_pipeline: list[Document]) -> None:
    result = run("analyze", write(tmp_path, "a.txt", samples.cp1252_text), "--format", "json", "--title", "Café talks")
    assert '"title": "Café talks"' in result.stdout


def test_analyze_json_without_date_warns_on_stderr(tmp_path: Path, article: str, fake_pipeline: list[Document]) -> None:
    result = run("analyze", write(tmp_path, "a.txt", article), "--format", "json")
    assert result.exit_code == 0
    json.loads(result.stdout)
    assert result.stderr.startswith("warning: no publication date: pass --published YYYY-MM-DD")


def test_analyze_cp1252_file_warns_and_decodes(samples: Samples, tmp_path: Path, fake_pipeline: list[Document]) -> None:
    path = write(tmp_path, "old.txt", samples.cp1252_text.encode("cp1252"))
    result = run("analyze", path, "--published", "2024-03-08")
    assert result.exit_code == 0
    warnings = result.stderr.splitlines()
    assert len(warnings) == 1
    assert warnings[0].startswith(f"warning: {path}: decoded as ")
    assert fake_pipeline[0].text == samples.cp1252_text


def test_analyze_html_page_main_text(samples: Samples, tmp_path: Path, fake_pipeline: list[Document]) -> None:
    result = run("analyze", write(tmp_path, "page.html", samples.html_page), "--published", "2024-03-08")
    assert result.exit_code == 0
    assert "Copyright 2024" not in fake_pipeline[0].text
    assert "resume annual staff talks" in fake_pipeline[0].text
    assert "Navies agree to resume staff talks" in result.stdout


def test_analyze_stdin_dash(article: str, fake_pipeline: list[Document]) -> None:
    result = run("analyze", "-", "--published", "2024-03-08", input=article)
    assert result.exit_code == 0
    assert fake_pipeline[0].text == article
    assert "Engagements (1)" in result.stdout


def test_analyze_no_language_check_passes_foreign_text(samples: Samples, tmp_path: Path, fake_pipeline: list[Document]) -> None:
    # --no-gate too: the gate knows English words only, and would set the German text aside
    result = run("analyze", write(tmp_path, "de.txt", samples.german), "--no-language-check", "--no-gate", "--published", "2024-03-08")
    assert result.exit_code == 0
    assert fake_pipeline[0].text == samples.german
    assert result.stdout.count(report.NONE_FOUND) == 4


def test_analyze_sets_aside_a_text_the_gate_rejects_and_says_why(samples: Samples, tmp_path: Path, fake_pipeline: list[Document]) -> None:
    result = run("analyze", write(tmp_path, "de.txt", samples.german), "--no-language-check", "--published", "2024-03-08")
    assert result.exit_code == 0
    assert fake_pipeline == []  # not parsed
    assert "not relevant, not parsed" in result.output and "--no-gate" in result.output


# ---------------------------------------------------------------- the report itself
def test_render_text_empty_sections_say_none_found(article: str) -> None:
    analysis = Analysis(document=readers.make_document(article, published="2024-03-08"))
    text = report.render_text(analysis)
    for section in ("Engagements (0)", "Channel status (0)", "Statements (0)", "Events (0)"):
        assert section in text
    assert text.count("none found") == 4


def test_render_text_plain_unless_colour_asked(article: str) -> None:
    analysis = hand_made_analysis(readers.make_document(article, published="2024-03-08"))
    assert "\x1b[" not in report.render_text(analysis)
    assert "\x1b[" in report.render_text(analysis, color=True)


def test_render_text_brackets_in_text_are_not_markup(article: str) -> None:
    text = article.replace("Thursday", "Thursday [local time]")
    analysis = hand_made_analysis(readers.make_document(text, published="2024-03-08"))
    analysis.statements[0].content = "weather data [bold]must[/bold] be shared"
    out = report.render_text(analysis, width=120)
    assert "[bold]must[/bold]" in out


def test_render_text_statements_grouped_by_side_in_order(article: str) -> None:
    analysis = hand_made_analysis(readers.make_document(article, published="2024-03-08"))
    analysis.statements.append(
        Statement("st-3", "direct", "open", _span(article, "open"), "test_rule", speaker_name="an analyst")
    )
    out = report.render_text(analysis, width=120)
    assert out.index("Side: Chile (CHL)") < out.index("Side: Norway (NOR)") < out.index("Side not known")


def test_abbreviate_cuts_at_a_word() -> None:
    assert report.abbreviate("one  two\nthree", 50) == "one two three"
    short = report.abbreviate("the two sides agreed to keep talking about safety at sea", 30)
    assert short.endswith("…") and len(short) <= 30 and "  " not in short


# ---------------------------------------------------------------- demo
def _corpus(samples: Samples, tmp_path: Path, article: str) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "call.txt").write_text(article, encoding="utf-8")
    (folder / "page.html").write_text(samples.html_page, encoding="utf-8")
    (folder / "index.yaml").write_text(
        "documents:\n"
        "  - file: call.txt\n    title: Norway and Chile hold call\n    outlet: The Ledger\n    published: 2024-03-08\n"
        "  - file: page.html\n    outlet: The Harbour Ledger\n    published: '2024-04-11'\n    url: https://example.org/navies\n",
        encoding="utf-8",
    )
    return folder


def test_demo_reads_corpus_index_and_prints_summary(samples: Samples, tmp_path: Path, article: str, fake_pipeline: list[Document]) -> None:
    result = run("demo", "--documents", "--corpus", str(_corpus(samples, tmp_path, article)))
    assert result.exit_code == 0, result.output
    assert [d.published for d in fake_pipeline] == ["2024-03-08", "2024-04-11"]
    assert fake_pipeline[1].url == "https://example.org/navies"
    out = result.stdout
    assert "1. Norway and Chile hold call" in out
    assert "2. Navies agree to resume staff talks" in out
    assert "Summary" in out and "2 documents" in out
    assert "video call 2024-03-07 [Thursday]" in out


def test_demo_json_is_a_list_of_analyses(samples: Samples, tmp_path: Path, article: str, fake_pipeline: list[Document]) -> None:
    result = run("demo", "--documents", "--corpus", str(_corpus(samples, tmp_path, article)), "--format", "json")
    data = json.loads(result.stdout)
    assert len(data) == 2 and all(JSON_KEYS <= set(d) for d in data)


def test_demo_missing_index_one_line_error(tmp_path: Path) -> None:
    assert_one_line_error(run("demo", "--documents", "--corpus", str(tmp_path)), 2, "index.yaml", "corpus index is missing")


def test_demo_index_entry_without_file_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "index.yaml").write_text("- title: Lost\n", encoding="utf-8")
    assert_one_line_error(run("demo", "--documents", "--corpus", str(tmp_path)), 2, "entry 1 names no file")


# ---------------------------------------------------------------- registry
USER_REGISTRY = """\
people:
  - id: ann-example
    name: Ann Example
    aliases: [Example]
    country: ISL
    sector: MIL
channels:
  - id: isl-nzl-test-talks
    name: Iceland-New Zealand test talks
    dyad: [ISL, NZL]
    level: working
"""


def test_registry_check_counts_sections(tmp_path: Path) -> None:
    mine = write(tmp_path, "mine.yaml", USER_REGISTRY)
    result = run("registry", "check", "--registry", mine)
    assert result.exit_code == 0, result.output
    assert "knowledge file(s) valid" in result.stdout
    assert mine in result.stdout
    for section in ("countries", "people", "channels", "verbs", "plover"):
        assert section in result.stdout


def test_registry_check_error_names_file_and_line(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yaml", USER_REGISTRY.replace("level: working", "level: cosmic"))
    assert_one_line_error(run("registry", "check", "--registry", bad), 3, f"{bad}:", "unknown level 'cosmic'")


def test_registry_check_missing_file(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.yaml")
    assert_one_line_error(run("registry", "check", "--registry", missing), 3, missing, "not found")


def test_registry_show_filters_by_country(tmp_path: Path) -> None:
    mine = write(tmp_path, "mine.yaml", USER_REGISTRY)
    people = run("registry", "show", "people", "--country", "isl", "--registry", mine)
    assert people.exit_code == 0
    assert "ann-example" in people.stdout and "Ann Example" in people.stdout
    channels = run("registry", "show", "channels", "--country", "NZL", "--registry", mine)
    assert "isl-nzl-test-talks" in channels.stdout
    other = run("registry", "show", "people", "--country", "NZL", "--registry", mine)
    assert "ann-example" not in other.stdout


def test_registry_show_lists_a_users_event_triggers_and_words(tmp_path: Path) -> None:
    mine = write(tmp_path, "mine.yaml", "event_triggers:\n  - {verb: stonewall, type: REJECT}\n"
                 "event_words:\n  - {list: light_verbs, words: [pen]}\n")
    triggers = run("registry", "show", "event_triggers", "--registry", mine)
    assert triggers.exit_code == 0, triggers.output
    assert "stonewall" in triggers.stdout and "REJECT" in triggers.stdout
    words = run("registry", "show", "event_words", "--registry", mine)
    assert words.exit_code == 0 and "light_verbs" in words.stdout and "negation_adverbs" in words.stdout
    for section in ("event_frames", "event_governors", "event_modes"):
        assert run("registry", "show", section).exit_code == 0


def test_registry_check_names_a_bad_event_trigger(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yaml", "event_triggers:\n  - {verb: stonewall, type: SNUB}\n")
    assert_one_line_error(run("registry", "check", "--registry", bad), 3, f"{bad}:2:", "verb 'stonewall'")


def test_every_command_help_has_an_example() -> None:
    for args in ([], ["analyze"], ["demo"], ["registry"], ["registry", "check"], ["registry", "show"]):
        result = run(*args, "--help")
        assert result.exit_code == 0
        assert "Example:" in result.stdout, args


# ---------------------------------------------------------------- real processes
def _python_m(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("READOUT_REGISTRY", None)
    return subprocess.run(
        [sys.executable, "-m", "readout", *args], input=input, capture_output=True, text=True, env=env, timeout=300, check=False
    )


def test_subprocess_missing_file_one_line_error(tmp_path: Path) -> None:
    missing = str(tmp_path / "nowhere.txt")
    proc = _python_m("analyze", missing)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == f"error: {missing}: no such file: check the path\n"


def test_subprocess_invalid_published(tmp_path: Path, article: str) -> None:
    proc = _python_m("analyze", write(tmp_path, "a.txt", article), "--published", "2023-13-45")
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


@pytest.mark.model
def test_console_script_analyze_stdin_json(article: str) -> None:
    script = Path(sys.executable).with_name("readout")
    if not script.exists():
        pytest.skip("the readout console script is not installed in this environment (pip install -e .)")
    proc = subprocess.run(
        [str(script), "analyze", "-", "--format", "json", "--published", "2024-03-08", "--outlet", "The Ledger"],
        input=article, capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert JSON_KEYS <= set(data)
    assert data["document"]["outlet"] == "The Ledger"
    assert "Traceback" not in proc.stderr


# ---------------------------------------------------------------- the real pipeline
@pytest.mark.model
def test_analyze_real_pipeline_text_and_json(tmp_path: Path, article: str, nlp: object) -> None:
    path = write(tmp_path, "a.txt", article)
    text = run("analyze", path, "--published", "2024-03-08")
    assert text.exit_code == 0, text.output
    assert "Engagements (" in text.stdout and "Events (" in text.stdout
    result = run("analyze", path, "--published", "2024-03-08", "--format", "json")
    data = json.loads(result.stdout)
    assert JSON_KEYS <= set(data)
    assert data["document"]["published"] == "2024-03-08"
    for actor in data["actors"]:
        for m in actor["mentions"]:
            assert article[m["start"]:m["end"]] == m["text"]


@pytest.mark.model
def test_analyze_real_pipeline_no_language_check(samples: Samples, tmp_path: Path, nlp: object) -> None:
    result = run("analyze", write(tmp_path, "de.txt", samples.german), "--no-language-check", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["document"]["chars"] == len(samples.german)


@pytest.mark.model
def test_analyze_long_document_parsed_in_chunks(tmp_path: Path, article: str, nlp: object) -> None:
    """A 300 KB document is longer than one parse chunk: it is parsed in pieces and joined,
    and every offset still points into the original text. (The 5 MB run is in bench/bench.py.)"""
    text = (article + "\n") * (300_000 // (len(article) + 1) + 1)
    assert len(text) > 2 * nlp_mod.MAX_CHUNK_CHARS
    result = run("analyze", write(tmp_path, "long.txt", text), "--published", "2024-03-08", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["document"]["chars"] == len(text)
    for key in ("actors",):
        for record in data[key]:
            for m in record["mentions"]:
                assert text[m["start"]:m["end"]] == m["text"]
    for record in data["engagements"] + data["channel_status"] + data["events"]:
        for e in record["evidence"]:
            assert text[e["start"]:e["end"]] == e["text"]


@pytest.mark.model
def test_parse_long_text_in_chunks_keeps_text_and_offsets(article: str, nlp: object) -> None:
    """The parse alone of a 300 KB text: pieces joined back into one Doc over the same text."""
    text = (article + "\n") * (300_000 // (len(article) + 1) + 1)
    doc = next(pipeline.parse(nlp_mod.load(), [text]))
    assert doc.text == text
    assert all(text[t.idx:t.idx + len(t.text)] == t.text for t in doc)
    assert sum(1 for _ in doc.sents) > 1000
    assert [e.text for e in doc.ents].count("Norway") > 100


@pytest.mark.model
def test_demo_bundled_corpus(nlp: object, tmp_path: Path) -> None:
    from readout.demo import corpus_dir

    if not (corpus_dir() / "index.yaml").is_file():
        pytest.skip("the bundled sample corpus (src/readout/corpus/index.yaml) is not there yet")
    db = tmp_path / "demo.db"
    result = run("demo", "--db", str(db), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ingest"]["documents"]["new"] == len(list(corpus_dir().glob("*.txt")))
    assert {"CHN-USA", "CHN-IND", "RUS-USA"} <= set(data["boards"])
    states = {r["channel"]: r["state"] for r in data["boards"]["CHN-USA"]}
    assert states["chn-usa-mmca"] == "active"  # resumed in April 2024
    comparison = data["comparison"]
    assert comparison is not None and len(comparison["sides"]) == 2 and comparison["statements"]
    text = run("demo", "--db", str(db))
    assert text.exit_code == 0 and "CHN-USA" in text.stdout and "Statements" in text.stdout
    assert db.exists()
