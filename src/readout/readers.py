"""Reading input into ``Document``s: text and Markdown files, HTML (main text extracted with
trafilatura), standard input. Bad input raises an ``InputError`` whose message says what to do.

A document's id is derived from its text, so the same text read twice is the same document.
"""

from __future__ import annotations

import calendar
import hashlib
import os
import re
import sys
import unicodedata
import warnings
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .errors import (
    BinaryInputError,
    EmptyInputError,
    FileMissingError,
    InputError,
    MalformedRecordError,
    NotEnglishError,
    OptionError,
    TooLargeError,
    UnsupportedFormatError,
)
from .records import Document

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MAX_BYTES = 50 * 1024 * 1024  # refuse larger single documents: split them first
MIN_WORDS_FOR_LANGUAGE = 12


def document_id(text: str) -> str:
    """The id of a document: a hash of its text (whitespace at the ends ignored)."""
    return "doc-" + hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:16]


def parse_published(value: str | date | None) -> date | None:
    """'2023-12-22' -> date(2023, 12, 22). Raises OptionError with the fix otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10]) if re.match(r"^\d{4}-\d{2}-\d{2}", text) else _bad_date(text)
    except ValueError:
        return _bad_date(text)


def _bad_date(text: str) -> date:
    raise OptionError(f"invalid publication date {text!r}: give it as YYYY-MM-DD, e.g. --published 2023-12-22")


_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


def published_bounds(value: str | date | None) -> tuple[date, date] | None:
    """The first and last day a publication date allows: '2023-12-22' is one day, '2023-12'
    (a page that gives only the month) the whole month, '2023' the year. Raises OptionError
    with the fix for anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value, value
    text = str(value).strip()
    m = _PARTIAL_DATE.match(text)
    if m is None:
        day = parse_published(text)
        return (day, day) if day else None
    year, month = int(m.group(1)), int(m.group(2) or 0)
    if not 1 <= year <= 9999 or month > 12 or (m.group(2) and month < 1):
        _bad_date(text)
    if month:
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    return date(year, 1, 1), date(year, 12, 31)


def normalize_published(value: str | date | None) -> str | None:
    """A publication date as stored: 'YYYY-MM-DD', or 'YYYY-MM' / 'YYYY' when that is all the
    source gives. Raises OptionError with the fix otherwise."""
    bounds = published_bounds(value)
    if bounds is None:
        return None
    lo, hi = bounds
    if lo == hi:
        return lo.isoformat()
    return lo.isoformat()[:7] if lo.month == hi.month else str(lo.year)


# Unicode category Cc (C0 and C1 control characters) except tab and newline.
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def normalize_text(text: str) -> str:
    """NFC, Unix line ends, no NUL or other control characters except tab and newline."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _CONTROL_RE.sub("", text)


def detect_language(text: str) -> tuple[str, float]:
    """The language of ``text`` as (ISO 639-1 code, probability), by py3langid."""
    import py3langid

    sample = text[:5000]
    lang, prob = py3langid.classify(sample)
    return str(lang), float(prob)


def check_english(text: str) -> None:
    words = re.findall(r"[^\W\d_]+", text[:5000])
    if len(words) < MIN_WORDS_FOR_LANGUAGE:
        return  # too short to tell; the extractors will simply find little
    lang, _prob = detect_language(text)
    if lang != "en":
        raise NotEnglishError(
            f"the text looks like language {lang!r}, not English: readout reads English news and readouts; "
            "translate it first, or pass --no-language-check to process it anyway"
        )


def make_document(
    text: str,
    *,
    published: str | date | None = None,
    outlet: str | None = None,
    url: str | None = None,
    title: str | None = None,
    metadata: dict[str, Any] | None = None,
    check_language: bool = True,
    warnings_: tuple[str, ...] = (),
    source: str = "text",
) -> Document:
    """Validate and normalize one document's text and metadata."""
    if not isinstance(text, str):
        raise InputError(f"{source}: a document's text must be a string, not {type(text).__name__}")
    pub = normalize_published(published)
    text = normalize_text(text)
    if not text.strip():
        raise EmptyInputError(f"{source}: the document is empty: give a file with the article's text")
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise TooLargeError(f"{source}: the document is larger than {MAX_BYTES // (1024 * 1024)} MB: split it into articles first")
    if check_language:
        try:
            check_english(text)
        except NotEnglishError as exc:
            raise NotEnglishError(f"{source}: {exc.message}") from None
    return Document(
        id=document_id(text),
        text=text,
        title=title or None,
        outlet=outlet or None,
        url=url or None,
        published=pub,
        metadata=dict(metadata or {}),
        warnings=tuple(warnings_),
    )


# ---------------------------------------------------------------- bytes -> text
@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    warning: str | None


def looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head and not (head.startswith((b"\xff\xfe", b"\xfe\xff"))):
        return True
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return bool(head) and control / len(head) > 0.10


def decode(data: bytes, source: str) -> Decoded:
    """Decode bytes as UTF-8, or detect the encoding (with a warning), or refuse binary."""
    if looks_binary(data):
        raise BinaryInputError(f"{source}: this is a binary file, not text: give a .txt, .md or .html file")
    try:
        return Decoded(data.decode("utf-8-sig"), "utf-8", None)
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise BinaryInputError(f"{source}: cannot decode the file as text: save it as UTF-8")
    enc = best.encoding
    return Decoded(str(best), enc, f"{source}: decoded as {enc}, not UTF-8; save it as UTF-8 to silence this warning")


def html_to_text(html: str, source: str) -> tuple[str, str | None]:
    """The main text (and title) of an HTML page, by trafilatura."""
    import trafilatura

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=True)
        meta = trafilatura.extract_metadata(html)
    if not text or not text.strip():
        raise EmptyInputError(f"{source}: no article text found in this HTML page: save the article's page, or its text as .txt")
    title = getattr(meta, "title", None) if meta is not None else None
    return text, title


def read_bytes(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    p = Path(path)
    if not p.exists():
        raise FileMissingError(f"{path}: no such file: check the path")
    if p.is_dir():
        raise InputError(f"{path}: is a folder: give one file (or '-' for standard input)")
    size = p.stat().st_size
    if size > MAX_BYTES:
        raise TooLargeError(f"{path}: the file is larger than {MAX_BYTES // (1024 * 1024)} MB: split it into articles first")
    try:
        return p.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror}): check its permissions") from None


def read_document(
    path: str,
    *,
    published: str | date | None = None,
    outlet: str | None = None,
    url: str | None = None,
    title: str | None = None,
    check_language: bool = True,
) -> Document:
    """Read one .txt/.md/.html file (or '-' for standard input) into a Document."""
    suffix = "" if path == "-" else Path(path).suffix.lower()
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
        raise UnsupportedFormatError(f"{path}: unsupported file type {suffix!r}: give a .txt, .md or .html file")
    data = read_bytes(path)
    if not data.strip():
        raise EmptyInputError(f"{path}: the file is empty: give a file with the article's text")
    decoded = decode(data, path)
    warns = (decoded.warning,) if decoded.warning else ()
    text = decoded.text
    is_html = suffix in HTML_SUFFIXES or (path == "-" and re.match(r"\s*(<!doctype html|<html)", text[:200], re.IGNORECASE))
    if is_html:
        text, html_title = html_to_text(text, path)
        title = title or html_title
    return make_document(
        text,
        published=published,
        outlet=outlet,
        url=url,
        title=title,
        check_language=check_language,
        warnings_=warns,
        source=path,
        metadata={"path": path} if path != "-" else {},
    )


# ------------------------------------------------------------------ corpus folders
INDEX = "index.yaml"
_FILE_KEYS = ("file", "path")


@dataclass(frozen=True, slots=True)
class CorpusEntry:
    """One document of a corpus index: its file and metadata."""

    path: Path
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    url: str | None = None


def corpus_dir() -> Path:
    """The folder of the sample corpus that ships in the package."""
    return Path(str(resources.files("readout") / "corpus"))


def _entries_of(data: Any) -> list[Any]:
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and isinstance(data.get("documents"), list):
        return list(data["documents"])
    return []


def read_index(directory: str | os.PathLike[str] | None = None) -> list[CorpusEntry]:
    """The entries of ``directory/index.yaml`` (default: the bundled corpus), in order."""
    folder = Path(directory) if directory is not None else corpus_dir()
    index = folder / INDEX
    if not index.is_file():
        hint = "pass --corpus DIR with an index.yaml" if directory is not None else "reinstall readout (pip install -e .)"
        raise FileMissingError(f"{index}: the corpus index is missing: {hint}")
    try:
        data = yaml.safe_load(index.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{index}:{mark.line + 1}" if mark else str(index)
        raise MalformedRecordError(f"{where}: invalid YAML in the corpus index: fix the file") from None
    raw = _entries_of(data)
    if not raw:
        raise MalformedRecordError(f"{index}: no documents listed: give a list of entries with 'file', 'title', 'outlet', 'published'")
    entries = []
    for n, item in enumerate(raw, 1):
        name = next((item.get(k) for k in _FILE_KEYS if isinstance(item, dict) and item.get(k)), None)
        if not isinstance(name, str):
            raise MalformedRecordError(f"{index}: entry {n} names no file: give each entry a 'file' key")

        def text(key: str, item: dict[str, Any] = item) -> str | None:
            value = item.get(key)
            return None if value is None else str(value)

        entries.append(
            CorpusEntry(folder / name, title=text("title"), outlet=text("outlet"), published=text("published"), url=text("url"))
        )
    return entries
