"""What inputs hold: folder walks (the database being written, other types, hidden files, link
loops, unreadable folders), encodings, malformed JSONL/CSV records and size limits. None of
these tests needs the spaCy model."""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path

import pytest

from typing import Any

from readout import inputs, readers
from readout.errors import (
    BinaryInputError,
    InputError,
    MalformedRecordError,
    OptionError,
    ReadoutError,
    TooLargeError,
    UnsupportedFormatError,
)
from readout.inputs import Options, Skipped, read_inputs
from readout.records import Document

REPO = Path(__file__).resolve().parents[1]
ARTICLE = (
    "Defense officials from Norway and Chile held a video call on Thursday to discuss search and rescue "
    "cooperation in the Southern Ocean, the Norwegian defense ministry said in a statement on Friday."
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(40))
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n\x00\x01\x02"
ZIP = b"PK\x03\x04" + bytes(60)


def article(n: int) -> str:
    return f"{ARTICLE} Report number {n} of the series."


DEFAULT = Options()


def collect(paths: list[str], opts: Options = DEFAULT, skipped: Skipped | None = None) -> tuple[dict[str, Document], dict[str, ReadoutError]]:
    docs: dict[str, Document] = {}
    errors: dict[str, ReadoutError] = {}
    for source, item in read_inputs(paths, opts, skipped):
        if isinstance(item, Document):
            docs[source] = item
        else:
            errors[source] = item
    return docs, errors


def name_of(source: str) -> str:
    return source.rsplit("/", 1)[-1]


# ---------------------------------------------------------------- folder walks
def test_folder_with_its_own_database_reads_only_the_documents(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(article(1))
    for suffix in ("", "-wal", "-shm", "-journal"):
        (tmp_path / f"readout.db{suffix}").write_bytes(b"SQLite format 3\x00" + bytes(100))
    skipped = Skipped()
    docs, errors = collect([str(tmp_path)], Options(exclude=inputs.database_files(tmp_path / "readout.db")), skipped)
    assert [name_of(s) for s in docs] == ["a.txt"]
    assert errors == {}
    assert skipped.database == 4 and skipped.total == 4
    assert skipped.lines() == ["skipped 4 files of the database being written"]


def test_database_named_by_a_relative_path_is_excluded_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("corpus").mkdir()
    Path("corpus/a.txt").write_text(article(1))
    Path("corpus/store.txt").write_text(article(2))  # a database may have any name
    skipped = Skipped()
    docs, _ = collect(["corpus"], Options(exclude=inputs.database_files("corpus/store.txt")), skipped)
    assert [name_of(s) for s in docs] == ["a.txt"]
    assert skipped.database == 1


def test_mixed_folder_skips_other_types_and_hidden_files_and_counts_them(tmp_path: Path) -> None:
    (tmp_path / "01-call.txt").write_text(article(1))
    (tmp_path / "02-page.html").write_text(f"<html><body><article><p>{article(2)}</p></article></body></html>")
    (tmp_path / "03-notes.md").write_text(article(3))
    (tmp_path / "photo.png").write_bytes(PNG)
    (tmp_path / "scan.PDF").write_bytes(PDF)
    (tmp_path / "memo.docx").write_bytes(ZIP)
    (tmp_path / "archive.zip").write_bytes(ZIP)
    (tmp_path / "picture").write_bytes(PNG)  # no extension, binary: another type
    (tmp_path / "plain").write_text(article(4))  # no extension, text: read
    (tmp_path / ".DS_Store").write_bytes(bytes(64))
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD.txt").write_text(article(5))
    (tmp_path / "README.md").write_text("How this folder is organised.")
    (tmp_path / "labels.yaml").write_text("a: 1\n")
    skipped = Skipped()
    docs, errors = collect([str(tmp_path)], skipped=skipped)
    assert sorted(name_of(s) for s in docs) == ["01-call.txt", "02-page.html", "03-notes.md", "plain"]
    assert errors == {}
    assert dict(skipped.other_types) == {".png": 1, ".pdf": 1, ".docx": 1, ".zip": 1, inputs.NO_SUFFIX: 1}
    assert (skipped.hidden, skipped.notes) == (2, 2)
    assert skipped.lines()[0] == "skipped 5 files of other types: (no extension), .docx, .pdf, .png, .zip"
    assert "skipped 2 hidden files and folders" in skipped.lines()


def test_a_named_file_of_another_type_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "photo.png").write_bytes(PNG)
    _, errors = collect([str(tmp_path / "photo.png")])
    (error,) = errors.values()
    assert isinstance(error, UnsupportedFormatError)
    assert "give a .txt, .md or .html file" in error.message


def test_the_database_named_as_an_input_is_an_error(tmp_path: Path) -> None:
    db = tmp_path / "readout.db"
    db.write_bytes(b"SQLite format 3\x00")
    _, errors = collect([str(db)], Options(exclude=inputs.database_files(db)))
    (error,) = errors.values()
    assert "is the database being written" in error.message


def test_symbolic_link_loops_do_not_hang_the_walk(tmp_path: Path) -> None:
    root = tmp_path / "news"
    (root / "2024").mkdir(parents=True)
    (root / "2024" / "a.txt").write_text(article(1))
    os.symlink(root, root / "2024" / "again")  # a loop back to the top
    os.symlink(root / "2024", root / "also-2024")  # the same folder twice
    os.symlink(tmp_path / "nowhere", root / "broken.txt")
    skipped = Skipped()
    docs, errors = collect([str(root)], skipped=skipped)
    assert [name_of(s) for s in docs] == ["a.txt"]
    assert errors == {}
    assert skipped.links == 3


def test_an_unreadable_subfolder_is_a_failure_and_the_rest_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a-open").mkdir()
    (tmp_path / "a-open" / "a.txt").write_text(article(1))
    (tmp_path / "b-locked").mkdir()
    (tmp_path / "b-locked" / "b.txt").write_text(article(2))
    (tmp_path / "c.txt").write_text(article(3))
    real = os.scandir

    def scandir(path: str | os.PathLike[str]) -> os._ScandirIterator[str]:  # type: ignore[name-defined]
        if Path(path).name == "b-locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    docs, errors = collect([str(tmp_path)])
    assert sorted(name_of(s) for s in docs) == ["a.txt", "c.txt"]
    (source,) = errors
    assert source == str((tmp_path / "b-locked").resolve())
    assert "cannot read the folder (Permission denied): check its permissions" in errors[source].message


def run_as_nobody(work: Any) -> Any:
    """``work()`` in a forked child that has dropped to the user 'nobody' (the test runs as
    root in CI, and root reads every folder); its result comes back through a pipe."""
    import pickle

    if os.geteuid() != 0:
        return work()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        try:
            os.setgid(65534)
            os.setuid(65534)
            payload = pickle.dumps(("ok", work()))
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            payload = pickle.dumps(("error", repr(exc)))
        with os.fdopen(write_end, "wb") as fh:
            fh.write(payload)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as fh:
        data = fh.read()
    os.waitpid(pid, 0)
    status, result = pickle.loads(data)
    assert status == "ok", result
    return result


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork to drop privileges")
def test_an_unreadable_subfolder_really_denied_by_the_system(tmp_path: Path) -> None:
    """The same with the operating system saying no (as root, the walk runs as 'nobody')."""
    import ftfy  # noqa: F401  (imported before privileges drop: the child may not read the interpreter's folders)

    import shutil
    import tempfile

    top = Path(tempfile.mkdtemp(prefix="readout-test-"))  # pytest's own folders are closed to other users
    root = top / "inbox"
    (root / "locked").mkdir(parents=True)
    (root / "locked" / "b.txt").write_text(article(2))
    (root / "a.txt").write_text(article(1))
    for p in (top, root):
        p.chmod(0o755)
    (root / "a.txt").chmod(0o644)
    (root / "locked").chmod(0o000)
    opts = Options(check_language=False)
    try:
        items = run_as_nobody(lambda: [(name_of(s), type(i).__name__, getattr(i, "message", "")) for s, i in read_inputs([str(root)], opts)])
    finally:
        (root / "locked").chmod(0o755)
        shutil.rmtree(top)
    assert [(name, kind) for name, kind, _ in items] == [("a.txt", "Document"), ("locked", "InputError")]
    assert "Permission denied" in items[1][2]


def test_bad_index_is_a_failure_but_the_folder_is_still_read(tmp_path: Path) -> None:
    (tmp_path / "index.yaml").write_text("documents: [unclosed\n")
    (tmp_path / "a.txt").write_text(article(1))
    docs, errors = collect([str(tmp_path)])
    assert [name_of(s) for s in docs] == ["a.txt"]
    assert [name_of(s) for s in errors] == ["index.yaml"]


def test_count_inputs_counts_what_the_walk_reads(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(article(1))
    (tmp_path / "b.png").write_bytes(PNG)
    (tmp_path / "feed.jsonl").write_text(json.dumps({"text": article(2)}) + "\n\n" + json.dumps({"text": article(3)}) + "\n")
    (tmp_path / "readout.db").write_bytes(b"x")
    assert inputs.count_inputs([str(tmp_path)], inputs.database_files(tmp_path / "readout.db")) == 3


# ---------------------------------------------------------------- encodings
LATIN1_TEXT = (
    "The minister met his counterpart in Genève at the café beside the lake; Señor Muñoz and Herr Müller "
    "were present, and the façade of the old hôtel was lit. The talks will resume in the spring."
)
CP1252_TEXT = (
    "The minister’s visit to the naval café — “a useful exchange,” his aide said — ended early. "
    "Officials from both ministries met again on Tuesday and said they would keep talking."
)


def read(tmp_path: Path, name: str, data: bytes) -> Document:
    path = tmp_path / name
    path.write_bytes(data)
    return readers.read_document(str(path), check_language=False)


def test_latin1_text_is_read_as_western_not_central_european(tmp_path: Path) -> None:
    for text in (LATIN1_TEXT, "Le ministre a rencontré son homologue à Genève; la réunion s'est déroulée près du lac."):
        doc = read(tmp_path, "old.txt", text.encode("latin-1"))
        assert doc.text == text
        assert doc.metadata["encoding"] == "cp1252"
        assert "decoded as cp1252, not UTF-8" in doc.warnings[0]


def test_cp1252_quotes_and_dashes_are_read(tmp_path: Path) -> None:
    doc = read(tmp_path, "old.txt", CP1252_TEXT.encode("cp1252"))
    assert doc.text == CP1252_TEXT and doc.metadata["encoding"] == "cp1252"


def test_a_byte_cp1252_leaves_undefined_is_read_as_latin1(tmp_path: Path) -> None:
    doc = read(tmp_path, "old.txt", LATIN1_TEXT.encode("latin-1") + b" \x81 end.")
    assert doc.text == LATIN1_TEXT + "  end."  # the C1 control is dropped, nothing else changes
    assert doc.metadata["encoding"] == "cp1252"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_utf16_and_utf32_with_a_byte_order_mark(tmp_path: Path, codec: str) -> None:
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE, "utf-32-le": codecs.BOM_UTF32_LE}[codec]
    doc = read(tmp_path, "wide.txt", bom + CP1252_TEXT.encode(codec))
    assert doc.text == CP1252_TEXT
    assert doc.warnings == ()
    assert doc.metadata["encoding"] == ("utf-32" if "32" in codec else "utf-16")


def test_utf8_with_and_without_bom(tmp_path: Path) -> None:
    for data in (CP1252_TEXT.encode(), codecs.BOM_UTF8 + CP1252_TEXT.encode()):
        doc = read(tmp_path, "u.txt", data)
        assert doc.text == CP1252_TEXT and doc.metadata["encoding"] == "utf-8" and doc.warnings == ()


def test_a_confident_detector_wins_for_other_alphabets(tmp_path: Path) -> None:
    russian = "Министры обороны двух стран провели телефонный разговор в четверг и договорились о новой встрече."
    doc = read(tmp_path, "ru.txt", russian.encode("cp1251"))
    assert doc.text == russian and doc.metadata["encoding"] == "cp1251"


def test_too_short_to_tell_is_western(tmp_path: Path) -> None:
    doc = read(tmp_path, "short.txt", "café".encode("latin-1"))
    assert doc.text == "café" and doc.metadata["encoding"] == "cp1252"


def test_mojibake_is_repaired_and_offsets_are_into_the_stored_text(tmp_path: Path) -> None:
    garbled = CP1252_TEXT.encode("utf-8").decode("cp1252", errors="replace").replace("\ufffd", "\u009d")
    assert "â€™" in garbled
    doc = read(tmp_path, "moji.txt", garbled.encode("utf-8"))
    assert doc.text == CP1252_TEXT
    assert doc.metadata["mojibake_repaired"] is True and doc.metadata["encoding"] == "utf-8"
    assert any("repaired mojibake" in w for w in doc.warnings)
    assert doc.id == readers.document_id(CP1252_TEXT)


def test_c1_controls_left_by_a_latin1_reading_are_repaired() -> None:
    doc = readers.make_document("He paused\u0085 then said the talks would go on, officials from both sides confirmed.", check_language=False)
    assert doc.text.startswith("He paused… then") and doc.metadata["mojibake_repaired"] is True


def test_text_that_is_fine_is_left_exactly_as_it_is() -> None:
    text = "He said “no” — twice. ﬁnancial ＦＵＬＬ width, 'quotes', ½ and naïve café Ã la carte?"
    doc = readers.make_document(text, check_language=False)
    assert "mojibake_repaired" not in doc.metadata


def test_binary_with_a_text_name_is_still_refused(tmp_path: Path) -> None:
    with pytest.raises(BinaryInputError):
        read(tmp_path, "scan.txt", PNG)


def test_lone_surrogates_and_controls_never_reach_the_text() -> None:
    doc = readers.make_document("A\ud800B\x00C\x1b[31m and more words here", title="T\ud83d\x07", check_language=False)
    assert doc.text == "A\ufffdBC[31m and more words here"
    assert doc.title == "T\ufffd"
    doc.text.encode("utf-8")


# ---------------------------------------------------------------- JSONL
def jsonl(tmp_path: Path, *lines: str | bytes, name: str = "feed.jsonl") -> Path:
    path = tmp_path / name
    path.write_bytes(b"\n".join(x if isinstance(x, bytes) else x.encode() for x in lines) + b"\n")
    return path


def test_jsonl_wrong_types_missing_fields_deep_nesting_are_failures_with_their_line(tmp_path: Path) -> None:
    path = jsonl(
        tmp_path,
        json.dumps({"text": article(1), "id": 7}),
        json.dumps({"text": 42}),
        json.dumps({"text": article(2), "title": ["a", "list"]}),
        json.dumps({"text": article(3), "published": 20240101}),
        json.dumps({"title": "no text"}),
        "[" * 100_000 + "]" * 100_000,
        json.dumps(["not", "an", "object"]),
        "{broken",
        json.dumps({"text": article(4), "id": 7, "nested": {"deep": [1, 2, {"x": None}]}}),
    )
    docs, errors = collect([str(path)])
    base = str(path.resolve())
    assert sorted(docs) == [f"{base}:1", f"{base}:9"]
    assert sorted(errors, key=lambda s: int(s.rsplit(":", 1)[1])) == [f"{base}:{n}" for n in range(2, 9)]
    assert all(isinstance(e, MalformedRecordError) for e in errors.values())
    assert "'text' must be text, not int" in errors[f"{base}:2"].message
    assert "'title' must be text, not list" in errors[f"{base}:3"].message
    assert "'published' must be text" in errors[f"{base}:4"].message
    assert docs[f"{base}:9"].metadata == {"id": 7, "nested": {"deep": [1, 2, {"x": None}]}, "encoding": "utf-8"}


def test_jsonl_record_over_the_limit_is_a_failure_and_the_next_is_read(tmp_path: Path) -> None:
    path = jsonl(tmp_path, json.dumps({"text": article(1)}), json.dumps({"text": "x " * 5000}), json.dumps({"text": article(2)}))
    docs, errors = collect([str(path)], Options(max_bytes=2000))
    base = str(path.resolve())
    assert sorted(docs) == [f"{base}:1", f"{base}:3"]
    assert isinstance(errors[f"{base}:2"], TooLargeError)
    assert "larger than 2 KB" in errors[f"{base}:2"].message and "--max-bytes" in errors[f"{base}:2"].message


def test_jsonl_in_utf16_and_with_a_cp1252_line(tmp_path: Path) -> None:
    wide = tmp_path / "wide.jsonl"
    wide.write_bytes(codecs.BOM_UTF16_LE + (json.dumps({"text": CP1252_TEXT}, ensure_ascii=False) + "\n").encode("utf-16-le"))
    old = jsonl(tmp_path, json.dumps({"text": CP1252_TEXT}, ensure_ascii=False).encode("cp1252"), name="old.jsonl")
    docs, errors = collect([str(wide), str(old)])
    assert errors == {}
    assert [d.text for d in docs.values()] == [CP1252_TEXT, CP1252_TEXT]
    assert [d.metadata["encoding"] for d in docs.values()] == ["utf-16", "cp1252"]


# ---------------------------------------------------------------- CSV
def csv_file(tmp_path: Path, body: str, name: str = "docs.csv") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8", newline="")
    return path


def test_csv_unclosed_quote_is_a_failure_with_its_line_and_later_rows_go_on(tmp_path: Path) -> None:
    body = (
        "title,text\n"
        f'First,"{article(1)}"\n'
        f'Broken,"{article(2)}\n'  # the quote is never closed on its line
        f'Third,"{article(3)}"\n'
        f'Fourth,"{article(4)}\nwith a second paragraph"\n'
        f"Fifth,{article(5).replace(',', '')}\n"
    )
    path = csv_file(tmp_path, body)
    docs, errors = collect([str(path)])
    base = str(path.resolve())
    assert list(errors) == [f"{base}:3"]
    assert "malformed CSV row" in errors[f"{base}:3"].message and "lines 3-4" in errors[f"{base}:3"].message
    assert sorted(docs) == [f"{base}:2", f"{base}:5", f"{base}:7"]
    assert docs[f"{base}:5"].text.endswith("with a second paragraph")


def test_csv_quote_never_closed_to_the_end_of_the_file(tmp_path: Path) -> None:
    path = csv_file(tmp_path, f'title,text\nFirst,"{article(1)}"\nLast,"{article(2)}\n')
    docs, errors = collect([str(path)])
    base = str(path.resolve())
    assert list(docs) == [f"{base}:2"]
    assert list(errors) == [f"{base}:3"] and "malformed CSV row" in errors[f"{base}:3"].message


def test_csv_rows_with_the_wrong_number_of_fields(tmp_path: Path) -> None:
    path = csv_file(tmp_path, f"title,text,outlet\nA,{article(1).replace(',', '')},Wire\nB,{article(2)},Wire\nC\n")
    docs, errors = collect([str(path)])
    base = str(path.resolve())
    assert list(docs) == [f"{base}:2"]
    assert "the row has 4 fields, the header 3" in errors[f"{base}:3"].message
    assert "the row has 1 fields, the header 3" in errors[f"{base}:4"].message


def test_csv_field_over_the_limit_is_a_failure(tmp_path: Path) -> None:
    path = csv_file(tmp_path, f'title,text\nA,"{"word " * 1000}"\nB,"{article(2)}"\n')
    docs, errors = collect([str(path)], Options(max_bytes=1500))
    base = str(path.resolve())
    assert list(docs) == [f"{base}:3"]
    assert isinstance(errors[f"{base}:2"], TooLargeError)


def test_csv_without_a_text_column_or_with_a_column_twice(tmp_path: Path) -> None:
    for header, fragment in (("title,body", "no 'text' column"), ("text,title,text", "names the column 'text' twice")):
        path = csv_file(tmp_path, f"{header}\na,b,c\n")
        _, errors = collect([str(path)])
        assert list(errors) == [str(path.resolve())] and fragment in errors[str(path.resolve())].message


def test_csv_in_cp1252_with_a_utf8_bom_header(tmp_path: Path) -> None:
    path = tmp_path / "old.csv"
    path.write_bytes(b"title,text\r\nA,\"" + CP1252_TEXT.encode("cp1252") + b"\"\r\n")
    bom = tmp_path / "bom.csv"
    bom.write_bytes(codecs.BOM_UTF8 + f'text\n"{CP1252_TEXT}"\n'.encode())
    docs, errors = collect([str(path), str(bom)])
    assert errors == {}
    assert [d.text for d in docs.values()] == [CP1252_TEXT, CP1252_TEXT]


# ---------------------------------------------------------------- limits
@pytest.mark.parametrize(("value", "n"), [("50MB", 50 * 2**20), ("1gb", 2**30), ("200 MiB", 200 * 2**20), ("1048576", 2**20),
                                          ("1.5K", 1536), (None, readers.MAX_BYTES)])
def test_parse_size(value: str | None, n: int) -> None:
    assert readers.parse_size(value) == n


@pytest.mark.parametrize("value", ["0", "-5", "lots", "5 parsecs", ""])
def test_parse_size_refuses_what_is_not_a_size(value: str) -> None:
    if value == "":
        assert readers.parse_size(value) == readers.MAX_BYTES
        return
    with pytest.raises(OptionError, match="--max-bytes"):
        readers.parse_size(value)


def test_max_bytes_refuses_and_allows_a_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(article(1) * 20)
    with pytest.raises(TooLargeError, match="larger than 1 KB"):
        readers.read_document(str(path), max_bytes=1024)
    assert readers.read_document(str(path), max_bytes=10_000).text.startswith("Defense")


def test_the_default_limit_is_50_megabytes() -> None:
    assert readers.MAX_BYTES == 50 * 1024 * 1024
    assert readers.size_label(readers.MAX_BYTES) == "50 MB"


def test_missing_input_is_an_input_error(tmp_path: Path) -> None:
    _, errors = collect([str(tmp_path / "nowhere")])
    (error,) = errors.values()
    assert isinstance(error, InputError) and "no such file or folder" in error.message


def test_an_index_names_files_in_the_folders_below_it(tmp_path: Path) -> None:
    from readout.inputs import Entry, walk

    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "a.txt").write_text("Talks were held.", encoding="utf-8")
    (tmp_path / "index.yaml").write_text(
        "documents:\n  - {file: texts/a.txt, published: '2024-04-16', outlet: U.S. Department of Defense}\n", encoding="utf-8")
    [entry] = [e for e in walk(tmp_path) if isinstance(e, Entry)]
    assert entry.meta["published"] == "2024-04-16" and entry.meta["outlet"] == "U.S. Department of Defense"
