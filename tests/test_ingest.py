"""Reading input into Documents. None of these tests needs the spaCy model."""

from __future__ import annotations

import io
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from readout import readers
from readout.errors import (
    BinaryInputError,
    EmptyInputError,
    FileMissingError,
    InputError,
    NotEnglishError,
    OptionError,
    TooLargeError,
    UnsupportedFormatError,
)

if TYPE_CHECKING:
    from conftest import Samples

def write(tmp_path: Path, name: str, data: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return str(path)


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


# ---------------------------------------------------------------- files that cannot be read
def test_read_document_missing_file_says_check_the_path(tmp_path: Path) -> None:
    with pytest.raises(FileMissingError, match="no such file: check the path") as err:
        readers.read_document(str(tmp_path / "nowhere.txt"))
    assert err.value.exit_code == 2


@pytest.mark.parametrize("content", ["", "   \n\n\t  \n"])
def test_read_document_empty_file_refused(tmp_path: Path, content: str) -> None:
    with pytest.raises(EmptyInputError, match="empty"):
        readers.read_document(write(tmp_path, "empty.txt", content))


def test_read_document_png_bytes_named_txt_refused_as_binary(samples: Samples, tmp_path: Path) -> None:
    with pytest.raises(BinaryInputError, match="binary file, not text"):
        readers.read_document(write(tmp_path, "picture.txt", samples.png_head))


def test_read_document_png_suffix_refused_as_unsupported(samples: Samples, tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFormatError, match=r"give a \.txt, \.md or \.html file"):
        readers.read_document(write(tmp_path, "picture.png", samples.png_head))


def test_read_document_folder_refused(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    with pytest.raises(InputError, match="is a folder"):
        readers.read_document(str(folder))


def test_read_document_too_large_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, article: str) -> None:
    monkeypatch.setattr(readers, "MAX_BYTES", 100)
    with pytest.raises(TooLargeError, match="split it into articles"):
        readers.read_document(write(tmp_path, "long.txt", article))


# ---------------------------------------------------------------- publication dates
@pytest.mark.parametrize("value", ["2023-13-45", "yesterday", "22/12/2023", "2023-02-30"])
def test_parse_published_rejects_non_dates_with_the_fix(value: str) -> None:
    with pytest.raises(OptionError, match=r"give it as YYYY-MM-DD, e\.g\. --published 2023-12-22") as err:
        readers.parse_published(value)
    assert value in err.value.message


def test_parse_published_accepts_iso_dates_and_timestamps() -> None:
    assert readers.parse_published("2023-12-22") == date(2023, 12, 22)
    assert readers.parse_published("2023-12-22T08:30:00+08:00") == date(2023, 12, 22)
    assert readers.parse_published(date(2024, 1, 5)) == date(2024, 1, 5)
    assert readers.parse_published(None) is None
    assert readers.parse_published("") is None


def test_read_document_invalid_published_refused(tmp_path: Path, article: str) -> None:
    with pytest.raises(OptionError):
        readers.read_document(write(tmp_path, "a.txt", article), published="yesterday")


def test_read_document_keeps_metadata(tmp_path: Path, article: str) -> None:
    doc = readers.read_document(
        write(tmp_path, "a.txt", article), published="2024-03-08", outlet="The Ledger", url="https://example.org/a", title="Call"
    )
    assert (doc.published, doc.outlet, doc.url, doc.title) == ("2024-03-08", "The Ledger", "https://example.org/a", "Call")
    assert doc.warnings == ()


# ---------------------------------------------------------------- language
@pytest.mark.parametrize(("sample", "lang"), [("german", "de"), ("spanish", "es")])
def test_read_document_non_english_refused_with_the_fix(samples: Samples, tmp_path: Path, sample: str, lang: str) -> None:
    path = write(tmp_path, "foreign.txt", getattr(samples, sample))
    with pytest.raises(NotEnglishError, match="--no-language-check") as err:
        readers.read_document(path)
    assert f"'{lang}'" in err.value.message
    assert err.value.message.startswith(path)


def test_read_document_non_english_accepted_without_language_check(samples: Samples, tmp_path: Path) -> None:
    doc = readers.read_document(write(tmp_path, "foreign.txt", samples.german), check_language=False)
    assert doc.text.startswith("Die Verteidigungsminister")


def test_read_document_short_text_not_language_checked(tmp_path: Path) -> None:
    # too few words to tell a language: accepted, the extractors will simply find little
    doc = readers.read_document(write(tmp_path, "short.txt", "Gespräche am Donnerstag."))
    assert doc.text == "Gespräche am Donnerstag."


# ---------------------------------------------------------------- encodings
def test_read_document_cp1252_decoded_with_warning(samples: Samples, tmp_path: Path) -> None:
    path = write(tmp_path, "old.txt", samples.cp1252_text.encode("cp1252"))
    doc = readers.read_document(path)
    assert doc.text == samples.cp1252_text
    assert len(doc.warnings) == 1
    assert doc.warnings[0].startswith(f"{path}: decoded as ")
    assert "not UTF-8; save it as UTF-8" in doc.warnings[0]


def test_read_document_latin1_decoded_with_warning(samples: Samples, tmp_path: Path) -> None:
    text = samples.cp1252_text.replace("’", "'").replace("“", '"').replace("”", '"').replace("—", "-")
    doc = readers.read_document(write(tmp_path, "old.txt", text.encode("latin-1")))
    assert doc.text == text
    assert "decoded as" in doc.warnings[0]


def test_read_document_utf8_with_bom_no_warning(tmp_path: Path, article: str) -> None:
    doc = readers.read_document(write(tmp_path, "bom.txt", "\ufeff".encode() + article.encode("utf-8")))
    assert doc.text == article
    assert doc.warnings == ()


def test_normalize_text_unix_lines_no_control_characters() -> None:
    raw = "Talks\r\nresumed\ron\x00 Tuesday\x0c.\tThe\x85 end\x7f.\n"
    assert readers.normalize_text(raw) == "Talks\nresumed\non Tuesday.\tThe end.\n"


def test_normalize_text_composes_accents() -> None:
    assert readers.normalize_text("cafe\u0301") == "caf\u00e9"


# ---------------------------------------------------------------- HTML
def test_read_document_html_main_text_without_boilerplate(samples: Samples, tmp_path: Path) -> None:
    doc = readers.read_document(write(tmp_path, "page.html", samples.html_page))
    assert "agreed on Wednesday to resume annual staff talks" in doc.text
    assert "test their hotline" in doc.text
    for boilerplate in ("Subscribe to our morning newsletter", "Copyright 2024", "Privacy policy", "Cookie settings"):
        assert boilerplate not in doc.text
    assert doc.title is not None and "Navies agree to resume staff talks" in doc.title


def test_read_document_html_title_option_wins(samples: Samples, tmp_path: Path) -> None:
    doc = readers.read_document(write(tmp_path, "page.html", samples.html_page), title="My title")
    assert doc.title == "My title"


def test_read_document_html_without_article_text_refused(tmp_path: Path) -> None:
    page = "<html><head><title>Loading</title><script>var app = 1;</script></head><body></body></html>"
    with pytest.raises(EmptyInputError, match="no article text found"):
        readers.read_document(write(tmp_path, "empty.html", page))


# ---------------------------------------------------------------- standard input
def test_read_document_stdin_dash(monkeypatch: pytest.MonkeyPatch, article: str) -> None:
    _stdin(monkeypatch, article.encode("utf-8"))
    doc = readers.read_document("-", published="2024-03-08")
    assert doc.text == article
    assert doc.metadata == {"encoding": "utf-8"}


def test_read_document_stdin_html_detected(samples: Samples, monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, samples.html_page.encode("utf-8"))
    doc = readers.read_document("-")
    assert "Copyright 2024" not in doc.text
    assert "staff talks" in doc.text


def test_read_document_stdin_empty_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, b"")
    with pytest.raises(EmptyInputError):
        readers.read_document("-")


# ---------------------------------------------------------------- ids and size
def test_document_id_from_content(tmp_path: Path, article: str) -> None:
    a = readers.read_document(write(tmp_path, "a.txt", article))
    b = readers.read_document(write(tmp_path, "b.md", "\n\n" + article + "\n\n"))
    c = readers.read_document(write(tmp_path, "c.txt", article.replace("Thursday", "Friday")))
    assert a.id == b.id == readers.document_id(article)
    assert a.id != c.id


def test_read_document_five_megabytes(tmp_path: Path, article: str) -> None:
    text = (article + "\n") * (5 * 1024 * 1024 // (len(article) + 1) + 1)
    assert len(text.encode("utf-8")) >= 5 * 1024 * 1024
    doc = readers.read_document(write(tmp_path, "big.txt", text))
    assert doc.text == text
