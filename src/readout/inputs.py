"""What a list of inputs holds: the documents of files, folders, JSONL/CSV collections and
standard input, what was skipped and why, and an error for each input that cannot be read.

Folders are walked recursively, in name order:
- the database being written and its ``-wal``, ``-shm`` and ``-journal`` files are never read;
- files of types readout does not read (images, PDFs, office documents, archives, anything
  but .txt/.md/.html/.jsonl/.csv) and hidden files and folders are skipped and counted, not
  failures; so are notes beside the documents (``README*``, YAML files; an ``index.yaml`` gives
  the metadata of the files it lists);
- a folder reached a second time (a symbolic-link loop) is not walked again, nor a folder of
  ``analyze-corpus`` shards (it is ingested on its own);
- a subfolder or file that cannot be read is a failure, and the walk goes on.
A file named on the command line is read whatever its name: a type readout does not read is an
error there, not a skip.

JSONL (one JSON object per line) and CSV (a header row) files hold one document per record:
``text`` (required), ``title``, ``published``, ``outlet``, ``url``; other fields are kept as the
document's metadata. A malformed record (a line that is not a JSON object, a CSV row with an
unclosed quote or the wrong number of fields, a field of the wrong type, a record over the size
limit) is a failure named ``FILE:LINE``, and the records after it are read as usual.

Parquet files hold one document per row: the text in the column ``text`` (or the one
``Options.text_column`` names), and the optional columns ``title``, ``published`` (text, a date
or a timestamp), ``outlet``, ``url`` and ``id`` (kept as metadata); other columns are not read.
They are read a row group at a time, never whole. A row without a text, or with a field of the
wrong type, is a failure named ``FILE:ROW`` (rows counted from 1); a file that is not Parquet,
or has no text column, is one failure named by the file.

Sources are resolved paths (``/abs/path/file.txt``, ``/abs/path/feed.jsonl:12``), or ``-`` for
standard input, so a failure is the same failure whichever folder the command ran from.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import readers
from .errors import InputError, MalformedRecordError, ReadoutError, UnsupportedFormatError
from .records import Document

RECORD_SUFFIXES = frozenset({".jsonl", ".ndjson", ".csv", ".parquet"})
READ_SUFFIXES = frozenset(readers.TEXT_SUFFIXES | readers.HTML_SUFFIXES | RECORD_SUFFIXES)
DOCUMENT_FIELDS = ("text", "title", "published", "outlet", "url")
INDEX_NAMES = ("index.yaml", "index.yml")
NOTE_SUFFIXES = frozenset({".yaml", ".yml"})  # metadata and annotations beside documents, not documents
DB_COMPANIONS = ("", "-wal", "-shm", "-journal")
SHARD_MARKER = "readout-shards.json"  # a folder of analyze-corpus shards (shards.py): ingested on its own, not walked
NO_SUFFIX = "(no extension)"

Item = tuple[str, Document | ReadoutError]


@dataclass(frozen=True, slots=True)
class Options:
    """How inputs are read: metadata for documents that carry none, the language check, the
    size limit, and files never to read (the database being written)."""

    published: str | None = None
    outlet: str | None = None
    check_language: bool = True
    max_bytes: int = readers.MAX_BYTES
    exclude: frozenset[Path] = frozenset()
    text_column: str = "text"  # the column of a Parquet file that holds the text


def database_files(db: str | os.PathLike[str]) -> frozenset[Path]:
    """The database file and its -wal, -shm and -journal companions, resolved."""
    base = Path(db).resolve()
    return frozenset(Path(f"{base}{suffix}") for suffix in DB_COMPANIONS)


@dataclass
class Skipped:
    """What folder walks passed over, by kind."""

    other_types: Counter[str] = field(default_factory=Counter)  # suffix -> files
    hidden: int = 0
    notes: int = 0  # README*, YAML files
    database: int = 0  # the database being written and its companions
    links: int = 0  # folders reached again through a symbolic link, and broken links
    shards: int = 0  # folders of analyze-corpus shards met in a walk

    @property
    def total(self) -> int:
        return sum(self.other_types.values()) + self.hidden + self.notes + self.database + self.links + self.shards

    def to_dict(self) -> dict[str, Any]:
        return {
            "other_types": dict(sorted(self.other_types.items(), key=lambda kv: (-kv[1], kv[0]))),
            "hidden": self.hidden,
            "notes": self.notes,
            "database": self.database,
            "links": self.links,
            "shards": self.shards,
        }

    def lines(self) -> list[str]:
        """One line per kind, for people: 'skipped 3 files of other types: .png, .pdf, .docx'."""
        out = []
        n = sum(self.other_types.values())
        if n:
            kinds = ", ".join(k for k, _ in sorted(self.other_types.items(), key=lambda kv: (-kv[1], kv[0])))
            out.append(f"skipped {_files(n)} of other types: {kinds}")
        if self.hidden:
            out.append(f"skipped {self.hidden} hidden {'file or folder' if self.hidden == 1 else 'files and folders'}")
        if self.notes:
            out.append(f"skipped {_files(self.notes)} of notes and metadata (README, YAML)")
        if self.database:
            out.append(f"skipped {_files(self.database)} of the database being written")
        if self.links:
            out.append(f"skipped {self.links} symbolic {'link' if self.links == 1 else 'links'} (a loop, or broken)")
        if self.shards:
            folders = "folder" if self.shards == 1 else "folders"
            out.append(f"skipped {self.shards} {folders} of analyze-corpus shards (ingest such a folder on its own)")
        return out


def _files(n: int) -> str:
    return f"{n} file" if n == 1 else f"{n} files"


# ------------------------------------------------------------------ folders
@dataclass(frozen=True, slots=True)
class Entry:
    """A file a folder walk found to read, with the metadata its folder's index gives it."""

    path: Path
    meta: dict[str, Any]


def _index_of(folder: Path) -> tuple[dict[Path, dict[str, Any]], ReadoutError | None]:
    for name in INDEX_NAMES:
        index = folder / name
        if index.is_file():
            try:
                entries = readers.read_index(folder)
            except ReadoutError as exc:
                return {}, exc
            except (yaml.YAMLError, OSError, ValueError) as exc:
                return {}, MalformedRecordError(f"{index}: cannot read the corpus index ({type(exc).__name__}): fix it")
            return {
                e.path.resolve(): {"title": e.title, "outlet": e.outlet, "published": e.published, "url": e.url}
                for e in entries
            }, None
    return {}, None


def has_shard_marker(folder: Path) -> bool:
    """Whether ``folder`` is a folder of analyze-corpus shards (one that cannot be read is not:
    the walk reports it)."""
    try:
        return (folder / SHARD_MARKER).is_file()
    except OSError:
        return False


def _sniff_binary(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return readers.looks_binary(fh.read(8192))
    except OSError:
        return False  # reading it will fail with the reason


def walk(
    folder: Path,
    *,
    exclude: frozenset[Path] = frozenset(),
    skipped: Skipped | None = None,
    _seen: set[tuple[int, int]] | None = None,
    _inherited: dict[Path, dict[str, Any]] | None = None,
) -> Iterator[Entry | tuple[str, ReadoutError]]:
    """The files of ``folder`` to read, recursively in name order, each with its index
    metadata (an index names files of its folder and of the folders below it: "texts/a.txt");
    a subfolder that cannot be read (or a bad index) comes as ``(source, error)``."""
    skipped = skipped if skipped is not None else Skipped()
    seen = _seen if _seen is not None else set()
    try:
        st = folder.stat()
    except OSError as exc:
        yield str(folder.resolve()), InputError(f"{folder}: cannot read the folder ({exc.strerror or exc}): check its permissions")
        return
    key = (st.st_dev, st.st_ino)
    if key in seen:
        skipped.links += 1
        return
    seen.add(key)
    try:
        with os.scandir(folder) as it:
            children = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield str(folder.resolve()), InputError(f"{folder}: cannot read the folder ({exc.strerror or exc}): check its permissions")
        return
    own, index_error = _index_of(folder)
    meta = {**(_inherited or {}), **own}
    if index_error is not None:
        yield str((folder / INDEX_NAMES[0]).resolve()), index_error
    for child in children:
        path = Path(child.path)
        name = child.name
        if name.startswith("."):
            skipped.hidden += 1
            continue
        try:
            resolved = path.resolve()
            is_dir = child.is_dir()  # follows links
            is_file = not is_dir and child.is_file()
        except OSError:
            skipped.links += 1
            continue
        if resolved in exclude or path.absolute() in exclude:
            skipped.database += 1
            continue
        if is_dir:
            if has_shard_marker(path):
                skipped.shards += 1
                continue
            yield from walk(path, exclude=exclude, skipped=skipped, _seen=seen, _inherited=meta)
            continue
        if not is_file:
            skipped.links += 1  # a broken link, a socket, a device
            continue
        suffix = path.suffix.lower()
        if name.upper().startswith("README") or suffix in NOTE_SUFFIXES:
            skipped.notes += 1
        elif suffix not in READ_SUFFIXES:
            skipped.other_types[suffix] += 1
        elif suffix == "" and _sniff_binary(path):
            skipped.other_types[NO_SUFFIX] += 1
        else:
            yield Entry(path, meta.get(resolved, {}))


# ------------------------------------------------------------------ lines of a record file
class _TooLong(Exception):
    """A line over the size limit (read past, never held whole)."""

    def __init__(self, lineno: int) -> None:
        super().__init__(lineno)
        self.lineno = lineno


class _Lines:
    """The lines of a record file as text, numbered. UTF-16/32 files with a byte-order mark
    are read as such; otherwise each line is UTF-8, or cp1252 when it is not. A line over
    ``limit`` bytes is read past in pieces and raises ``_TooLong``; the next call goes on with
    the line after it."""

    def __init__(self, fh: io.BufferedReader, limit: int) -> None:
        self.limit = limit
        self.lineno = 0
        self.encodings: Counter[str] = Counter()
        self._bytes = fh
        self._text: io.TextIOWrapper | None = None
        bom = readers.bom_encoding(fh.peek(4)[:4])
        self._bom = bom
        if bom in ("utf-16", "utf-32"):
            self._text = io.TextIOWrapper(fh, encoding=bom, errors="replace", newline="\n")
        elif bom == "utf-8-sig":
            fh.read(3)

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self._text is not None:
            line = self._text.readline(self.limit + 1)
            if not line:
                raise StopIteration
            self.lineno += 1
            if len(line) > self.limit and not line.endswith("\n"):
                while (piece := self._text.readline(1 << 20)) and not piece.endswith("\n"):
                    pass
                raise _TooLong(self.lineno)
            self.encodings[str(self._bom)] += 1
            return line
        raw = self._bytes.readline(self.limit + 1)
        if not raw:
            raise StopIteration
        self.lineno += 1
        if len(raw) > self.limit and not raw.endswith(b"\n"):
            while (chunk := self._bytes.readline(1 << 20)) and not chunk.endswith(b"\n"):
                pass
            raise _TooLong(self.lineno)
        try:
            text = raw.decode("utf-8")
            self.encodings["utf-8"] += 1
        except UnicodeDecodeError:
            text = readers.decode_western(raw)
            self.encodings[readers.WESTERN] += 1
        return text

    def encoding(self) -> str:
        """The encoding of the lines read so far: one name, or 'utf-8+cp1252' when mixed."""
        used = sorted(k for k, n in self.encodings.items() if n)
        return "+".join(used) if used else "utf-8"


def _open(path: Path, base: str) -> io.BufferedReader | tuple[str, ReadoutError]:
    try:
        fh = path.open("rb")
    except OSError as exc:
        return base, InputError(f"{path}: cannot read the file ({exc.strerror or exc}): check its permissions")
    assert isinstance(fh, io.BufferedReader)
    return fh


def _document(text: Any, source: str, fields: dict[str, Any], opts: Options, encoding: str) -> Document:
    extra = {k: v for k, v in fields.items() if k not in DOCUMENT_FIELDS and v not in (None, "")}
    for key in ("title", "published", "outlet", "url"):
        value = fields.get(key)
        if value is not None and not isinstance(value, str):
            raise MalformedRecordError(f"{source}: '{key}' must be text, not {type(value).__name__}: fix the record")
    if not isinstance(text, str):
        raise MalformedRecordError(f"{source}: 'text' must be text, not {type(text).__name__}: fix the record")
    return readers.make_document(
        text,
        published=fields.get("published") or opts.published,
        outlet=fields.get("outlet") or opts.outlet,
        url=fields.get("url"),
        title=fields.get("title"),
        metadata={**extra, "encoding": encoding},
        check_language=opts.check_language,
        source=source,
        max_bytes=opts.max_bytes,
    )


def read_jsonl(path: Path, opts: Options) -> Iterator[Item]:
    """The documents of a JSONL file, one per line; a bad line is a failure ``FILE:LINE``."""
    base = str(path.resolve())
    fh = _open(path, base)
    if isinstance(fh, tuple):
        yield fh
        return
    with fh:
        lines = _Lines(fh, opts.max_bytes)
        while True:
            try:
                line = next(lines)
            except StopIteration:
                return
            except _TooLong as long:
                yield f"{base}:{long.lineno}", readers.too_large(f"{path}:{long.lineno}", opts.max_bytes, "the record")
                continue
            except OSError as exc:
                yield base, InputError(f"{path}: cannot read the file ({exc.strerror or exc}): check its permissions")
                return
            if not line.strip():
                continue
            yield _jsonl_item(line, f"{base}:{lines.lineno}", f"{path}:{lines.lineno}", opts, lines.encoding())


def _jsonl_item(line: str, source: str, shown: str, opts: Options, encoding: str) -> Item:
    try:
        record = json.loads(line)
    except (RecursionError, ValueError) as exc:  # JSONDecodeError is a ValueError; deep nesting a RecursionError
        return source, MalformedRecordError(f"{shown}: not a JSON object ({type(exc).__name__}): fix or remove the line")
    if not isinstance(record, dict):
        return source, MalformedRecordError(f"{shown}: a record must be a JSON object with 'text', not {type(record).__name__}")
    if "text" not in record:
        return source, MalformedRecordError(f"{shown}: the record has no 'text' field: give each record the document's text")
    try:
        return source, _document(record["text"], shown, record, opts, encoding)
    except ReadoutError as exc:
        return source, exc


def read_csv(path: Path, opts: Options) -> Iterator[Item]:
    """The documents of a CSV file with a header row; a malformed row (an unclosed quote, the
    wrong number of fields, a field over the size limit) is a failure ``FILE:LINE`` with the
    line the row starts on, and reading goes on after it."""
    base = str(path.resolve())
    fh = _open(path, base)
    if isinstance(fh, tuple):
        yield fh
        return
    old_limit = csv.field_size_limit()
    csv.field_size_limit(max(1, opts.max_bytes))
    try:
        with fh:
            yield from _csv_rows(path, base, _Lines(fh, opts.max_bytes), opts)
    except OSError as exc:
        yield base, InputError(f"{path}: cannot read the file ({exc.strerror or exc}): check its permissions")
    finally:
        csv.field_size_limit(old_limit)


def _csv_rows(path: Path, base: str, lines: _Lines, opts: Options) -> Iterator[Item]:
    header: list[str] | None = None
    done = False
    while not done:
        rows = csv.reader(lines, strict=True)
        start = lines.lineno + 1  # the line the next row starts on
        try:
            for row in rows:
                source, shown = f"{base}:{start}", f"{path}:{start}"
                if not row or all(not c.strip() for c in row):
                    pass
                elif header is None:
                    header = [c.strip().lstrip("\ufeff") for c in row]
                    problem = _header_problem(header)
                    if problem:
                        yield base, MalformedRecordError(f"{path}: {problem}")
                        return
                else:
                    yield _csv_item(row, header, source, shown, opts, lines.encoding())
                start = lines.lineno + 1
            done = True
        except _TooLong as long:
            yield f"{base}:{start}", readers.too_large(f"{path}:{long.lineno}", opts.max_bytes, f"line {long.lineno} of the row starting on line {start}")
        except csv.Error as exc:
            end = lines.lineno
            if "field limit" in str(exc):
                yield f"{base}:{start}", readers.too_large(f"{path}:{start}", opts.max_bytes, "a field of the row")
            else:
                where = f"line {start}" if end <= start else f"lines {start}-{end}"
                hint = "a quote opened in it is not closed where the field ends" if end > start or "end of data" in str(exc) else "a stray quote in a field"
                yield f"{base}:{start}", MalformedRecordError(
                    f"{path}:{start}: malformed CSV row ({exc}: {hint}; {where} read as one row): fix the quoting and ingest again"
                )
        if header is None and not done:
            return
    if header is None:
        yield base, MalformedRecordError(f"{path}: no header row: the first row must name the columns, one of them 'text'")


def _header_problem(header: list[str]) -> str | None:
    if "text" not in header:
        return "no 'text' column in the header row: name the column with each document's text 'text'"
    dupes = sorted({c for c in header if c and header.count(c) > 1})
    if dupes:
        return f"the header names the column {dupes[0]!r} twice: give each column one name"
    return None


def _csv_item(row: list[str], header: list[str], source: str, shown: str, opts: Options, encoding: str) -> Item:
    if len(row) != len(header):
        return source, MalformedRecordError(
            f"{shown}: the row has {len(row)} fields, the header {len(header)}: quote fields that hold commas, and give every column"
        )
    fields = {k: v for k, v in zip(header, row, strict=True) if k}
    try:
        return source, _document(fields.get("text") or "", shown, fields, opts, encoding)
    except ReadoutError as exc:
        return source, exc


# ------------------------------------------------------------------ Parquet
PARQUET_FIELDS = ("title", "published", "outlet", "url", "id")


def read_parquet(path: Path, opts: Options) -> Iterator[Item]:
    """The documents of a Parquet file, one per row, read a row group at a time; a bad row is a
    failure ``FILE:ROW``, a file that is not Parquet or has no text column one failure."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    base = str(path.resolve())
    try:
        pf = pq.ParquetFile(path)
    except OSError as exc:
        if isinstance(exc, FileNotFoundError | PermissionError):
            yield base, InputError(f"{path}: cannot read the file ({exc.strerror or exc}): check its permissions")
        else:
            yield base, UnsupportedFormatError(f"{path}: not a Parquet file ({_one_line(exc)}): give a Parquet file, or rename it "
                                               "to what it holds (.jsonl, .csv, .txt)")
        return
    except pa.ArrowException as exc:
        yield base, UnsupportedFormatError(f"{path}: not a Parquet file ({_one_line(exc)}): give a Parquet file, or rename it "
                                           "to what it holds (.jsonl, .csv, .txt)")
        return
    with pf:
        if b"readout.shard" in (pf.schema_arrow.metadata or {}):
            yield base, UnsupportedFormatError(f"{path}: is a shard of readout analyze-corpus: ingest its folder, not the shard")
            return
        names = pf.schema_arrow.names
        column = opts.text_column
        if column not in names:
            shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
            yield base, MalformedRecordError(f"{path}: no column {column!r} (columns: {shown or 'none'}): name the column that "
                                             "holds each document's text with --text-column")
            return
        wanted = [column, *(f for f in PARQUET_FIELDS if f in names and f != column)]
        row = 0
        try:
            for batch in pf.iter_batches(batch_size=256, columns=wanted):
                for record in batch.to_pylist():
                    row += 1
                    yield _parquet_item(record, column, f"{base}:{row}", f"{path}:{row}", opts)
        except (OSError, pa.ArrowException) as exc:
            yield f"{base}:{row + 1}", MalformedRecordError(f"{path}: cannot read the rows after row {row} ({_one_line(exc)}): "
                                                            "the file is damaged; write it again")


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200]


def _parquet_item(record: dict[str, Any], column: str, source: str, shown: str, opts: Options) -> Item:
    import datetime as dt

    text = record.pop(column)
    if text is None:
        return source, MalformedRecordError(f"{shown}: the row has no text (null in column {column!r}): fill it or remove the row")
    fields: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, dt.datetime):
            value = value.isoformat()
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif key == "id" and isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        elif key == "id" and value is not None and not isinstance(value, str):
            value = str(value)  # a number, a decimal: metadata is JSON, kept as text
        fields[key] = value
    if isinstance(text, bytes):
        return source, MalformedRecordError(f"{shown}: column {column!r} holds bytes, not text: store the text as a string column")
    try:
        return source, _document(text, shown, fields, opts, "utf-8")
    except ReadoutError as exc:
        return source, exc


# ------------------------------------------------------------------ every input
def _read_file(path: Path, meta: dict[str, Any], opts: Options) -> Iterator[Item]:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        yield from read_jsonl(path, opts)
    elif suffix == ".csv":
        yield from read_csv(path, opts)
    elif suffix == ".parquet":
        yield from read_parquet(path, opts)
    else:
        source = str(path.resolve())
        try:
            yield source, readers.read_document(
                str(path),
                published=meta.get("published") or opts.published,
                outlet=meta.get("outlet") or opts.outlet,
                url=meta.get("url"),
                title=meta.get("title"),
                check_language=opts.check_language,
                max_bytes=opts.max_bytes,
            )
        except ReadoutError as exc:
            yield source, exc


def read_inputs(paths: Sequence[str], opts: Options = Options(), skipped: Skipped | None = None) -> Iterator[Item]:
    """Every document the inputs hold, in order, or the error that stopped one being read.
    What folder walks skip is counted in ``skipped``."""
    for raw in paths:
        if raw == "-":
            try:
                yield "-", readers.read_document(
                    "-", published=opts.published, outlet=opts.outlet, check_language=opts.check_language, max_bytes=opts.max_bytes
                )
            except ReadoutError as exc:
                yield "-", exc
            continue
        path = Path(raw)
        try:
            is_dir, is_file = path.is_dir(), path.is_file()
        except OSError as exc:
            yield raw, InputError(f"{raw}: cannot read ({exc.strerror or exc}): check the path and its permissions")
            continue
        if is_dir:
            for found in walk(path, exclude=opts.exclude, skipped=skipped):
                if isinstance(found, Entry):
                    yield from _read_file(found.path, found.meta, opts)
                else:
                    yield found
        elif is_file:
            resolved = path.resolve()
            if resolved in opts.exclude:
                yield str(resolved), UnsupportedFormatError(f"{raw}: is the database being written: give the documents to ingest")
            else:
                yield from _read_file(path, {}, opts)
        else:
            yield str(path.absolute()), InputError(f"{raw}: no such file or folder: check the path")


def _parquet_rows(path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return int(pq.read_metadata(path).num_rows)
    except (OSError, pa.ArrowException):
        return 1


def count_inputs(paths: Sequence[str], exclude: frozenset[Path] = frozenset()) -> int | None:
    """How many documents the inputs hold, counted cheaply (for a progress bar); None when
    standard input is among them."""
    total = 0
    for raw in paths:
        if raw == "-":
            return None
        path = Path(raw)
        try:
            if path.is_dir():
                files = [e.path for e in walk(path, exclude=exclude) if isinstance(e, Entry)]
            else:
                files = [path] if path.is_file() else []
            for f in files:
                if f.suffix.lower() == ".parquet":
                    total += _parquet_rows(f)
                elif f.suffix.lower() in RECORD_SUFFIXES:
                    with f.open("rb") as fh:
                        total += sum(1 for line in fh if line.strip()) - (f.suffix.lower() == ".csv")
                else:
                    total += 1
        except OSError:
            total += 1
    return total
