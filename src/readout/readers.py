"""Reading input into ``Document``s: text and Markdown files, HTML (main text extracted with
trafilatura), standard input. Bad input raises an ``InputError`` whose message says what to do.

A document's id is derived from its text, so the same text read twice is the same document.

Encodings: UTF-8 (with or without a byte-order mark) and UTF-16/32 with a byte-order mark are
read as such; other text is Western single-byte (cp1252, and Latin-1 for the bytes cp1252 leaves
undefined) unless charset-normalizer is confident of another encoding (it rejects the Western
ones). Mojibake - UTF-8 that was read as cp1252 somewhere upstream, "â€™" for "’" - is repaired
with ftfy before the text is stored, so every offset is an offset into the repaired text. The
encoding used is kept in the document's metadata (``encoding``; ``mojibake_repaired``).
"""

from __future__ import annotations

import calendar
import codecs
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
MAX_BYTES = 50 * 1024 * 1024  # refuse larger single documents (and record fields): split them first
MIN_WORDS_FOR_LANGUAGE = 12
_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def parse_size(value: str | int | None, option: str = "--max-bytes") -> int:
    """'50MB', '200 MiB', '1G', '1048576' -> bytes (binary units). None: the default, 50 MB."""
    if value is None or value == "":
        return MAX_BYTES
    if isinstance(value, int) and not isinstance(value, bool):
        n = value
    else:
        m = _SIZE_RE.match(str(value))
        if not m:
            raise OptionError(f"{option} {value!r}: not a size: give bytes or a size such as 50MB or 1GB")
        n = int(float(m.group(1)) * _UNITS[(m.group(2) or "").lower()[:1]])
    if n < 1:
        raise OptionError(f"{option} {value!r}: give a size of at least 1 byte, e.g. 50MB")
    return n


def size_label(n: int) -> str:
    """50 MB, 1.5 KB, 300 bytes: a limit as people read it."""
    for unit, size in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= size:
            return f"{n / size:.1f}".rstrip("0").rstrip(".") + f" {unit}"
    return f"{n} bytes"


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
# lone UTF-16 surrogates (from a JSON "\\ud800"): no UTF-8 encoding exists for them
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def normalize_text(text: str) -> str:
    """NFC, Unix line ends, no NUL or other control characters except tab and newline, no lone
    surrogates (replaced by U+FFFD)."""
    text = _SURROGATE_RE.sub("\ufffd", text)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _CONTROL_RE.sub("", text)


def clean_field(value: Any) -> Any:
    """A metadata value made safe to store: strings normalized (no control characters or lone
    surrogates), containers cleaned inside; numbers, booleans and None as they are."""
    if isinstance(value, str):
        return normalize_text(value)
    if isinstance(value, dict):
        return {normalize_text(str(k)): clean_field(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean_field(v) for v in value]
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return str(value)  # NaN and infinities have no JSON form
    return value


def _fixer_config() -> Any:
    import ftfy

    # only undo mojibake: no quote uncurling, width or ligature changes, no HTML unescaping
    return ftfy.TextFixerConfig(
        unescape_html=False, remove_terminal_escapes=False, fix_latin_ligatures=False, fix_character_width=False,
        uncurl_quotes=False, fix_line_breaks=False, remove_control_chars=False, normalization=None, explain=False,
    )


def repair_mojibake(text: str) -> str:
    """The text with mojibake undone ("ministerâ€™s" -> "minister’s"), by ftfy; other text is
    returned as it is."""
    import ftfy

    return str(ftfy.fix_text(text, _fixer_config()))


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
    max_bytes: int | None = None,
) -> Document:
    """Validate and normalize one document's text and metadata: control characters removed,
    mojibake repaired (noted in ``metadata['mojibake_repaired']`` and a warning), size and
    language checked."""
    if not isinstance(text, str):
        raise InputError(f"{source}: a document's text must be a string, not {type(text).__name__}")
    for key, value in (("title", title), ("outlet", outlet), ("url", url)):
        if value is not None and not isinstance(value, str):
            raise MalformedRecordError(f"{source}: '{key}' must be text, not {type(value).__name__}")
    pub = normalize_published(published)
    limit = MAX_BYTES if max_bytes is None else max_bytes
    if len(text) > limit or len(text.encode("utf-8", "surrogatepass")) > limit:
        raise TooLargeError(f"{source}: the document is larger than {size_label(limit)}: split it into articles first, or raise --max-bytes")
    meta = clean_field(dict(metadata or {}))
    warns = list(warnings_)
    # mojibake first: "â€\x9d" (for "”") holds a control character that normalizing drops
    repaired = normalize_text(repair_mojibake(text))
    text = normalize_text(text)
    if repaired != text:
        text = repaired
        meta["mojibake_repaired"] = True
        warns.append(f"{source}: repaired mojibake (text that had been decoded with the wrong encoding, such as 'â€™' for '’')")
    if not text.strip():
        raise EmptyInputError(f"{source}: the document is empty: give a file with the article's text")
    if check_language:
        try:
            check_english(text)
        except NotEnglishError as exc:
            raise NotEnglishError(f"{source}: {exc.message}") from None
    return Document(
        id=document_id(text),
        text=text,
        title=_short_field(title),
        outlet=_short_field(outlet),
        url=_short_field(url),
        published=pub,
        metadata=meta,
        warnings=tuple(warns),
    )


def _short_field(value: str | None) -> str | None:
    """A title, outlet or url: one line, normalized, None when blank."""
    if value is None:
        return None
    cleaned = " ".join(normalize_text(value).split())
    return cleaned or None


# ---------------------------------------------------------------- bytes -> text
@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    warning: str | None


# byte-order marks, longest first (a UTF-32 LE mark starts like a UTF-16 LE one)
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
WESTERN = "cp1252"  # with Latin-1 for the five bytes cp1252 leaves undefined
_WESTERN_NAMES = {"cp1252", "windows_1252", "latin_1", "iso8859_1", "iso8859_15", "ascii"}
DETECT_BYTES = 256 * 1024  # the detector looks at the start of the file
MIN_DETECT_BYTES = 24  # below this a guess other than Western is not trusted


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark at the start of ``data`` announces, or None."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return encoding
    return None


def looks_binary(data: bytes) -> bool:
    if bom_encoding(data) in ("utf-16", "utf-32"):
        return False
    head = data[:8192]
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return bool(head) and control / len(head) > 0.10


def decode_western(data: bytes) -> str:
    """cp1252, with the bytes it leaves undefined read as Latin-1 (ftfy's sloppy codec)."""
    import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)

    return data.decode("sloppy-windows-1252")


def guess_encoding(data: bytes) -> str:
    """The encoding of text that is not UTF-8: Western (cp1252) unless charset-normalizer is
    confident of another - it finds a clean decoding and rejects every Western one."""
    if len(data) < MIN_DETECT_BYTES:
        return WESTERN
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data[:DETECT_BYTES]))
    if not matches:
        return WESTERN
    best = matches[0]
    if _WESTERN_NAMES & {best.encoding, *best.could_be_from_charset}:
        return WESTERN
    if any(m.encoding in _WESTERN_NAMES and m.chaos <= best.chaos + 0.01 for m in matches):
        return WESTERN  # as clean as the best guess: Western text
    if best.chaos > 0.1 or best.encoding.startswith(("utf_16", "utf_32")):
        return WESTERN  # not confident (UTF-16/32 without a byte-order mark is not trusted)
    from charset_normalizer.md import mess_ratio

    if mess_ratio(decode_western(data[:DETECT_BYTES]), 1.0) <= best.chaos + 0.01:
        return WESTERN  # the Western reading is as clean by the detector's own measure
    return str(best.encoding)


def decode(data: bytes, source: str) -> Decoded:
    """Decode bytes: by their byte-order mark, as UTF-8, or in the encoding ``guess_encoding``
    gives (with a warning); binary data is refused."""
    if looks_binary(data):
        raise BinaryInputError(f"{source}: this is a binary file, not text: give a .txt, .md or .html file")
    bom = bom_encoding(data)
    if bom is not None:
        try:
            return Decoded(data.decode(bom), "utf-8" if bom == "utf-8-sig" else bom, None)
        except UnicodeDecodeError:
            raise BinaryInputError(f"{source}: the file starts with a {bom.upper()} byte-order mark but is not {bom.upper()}: save it as UTF-8") from None
    try:
        return Decoded(data.decode("utf-8"), "utf-8", None)
    except UnicodeDecodeError:
        pass
    enc = guess_encoding(data)
    if enc == WESTERN:
        text = decode_western(data)
    else:
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            enc, text = WESTERN, decode_western(data)
    return Decoded(text, enc, f"{source}: decoded as {enc}, not UTF-8; save it as UTF-8 to silence this warning")


def html_to_text(html: str, source: str) -> tuple[str, str | None]:
    """The main text (and title) of an HTML page, by trafilatura."""
    import trafilatura

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=True)
            meta = trafilatura.extract_metadata(html)
        except (RecursionError, MemoryError, ValueError, TypeError, LookupError, AttributeError) as exc:
            # the HTML parser gave up on this page (too deeply nested, or broken beyond repair)
            raise InputError(
                f"{source}: cannot extract the article from this HTML page ({type(exc).__name__}): save the article's text as .txt"
            ) from None
    if not text or not text.strip():
        raise EmptyInputError(f"{source}: no article text found in this HTML page: save the article's page, or its text as .txt")
    title = getattr(meta, "title", None) if meta is not None else None
    return text, title


def too_large(source: str, limit: int, what: str = "the file") -> TooLargeError:
    return TooLargeError(f"{source}: {what} is larger than {size_label(limit)}: split it into articles first, or raise --max-bytes")


def read_bytes(path: str, max_bytes: int | None = None) -> bytes:
    """The bytes of a file (or of standard input for '-'), refusing more than ``max_bytes``
    (default ``MAX_BYTES``)."""
    limit = MAX_BYTES if max_bytes is None else max_bytes
    if path == "-":
        data = sys.stdin.buffer.read(limit + 1)
        if len(data) > limit:
            raise too_large("-", limit, "standard input")
        return data
    p = Path(path)
    try:
        if not p.exists():
            raise FileMissingError(f"{path}: no such file: check the path")
        if p.is_dir():
            raise InputError(f"{path}: is a folder: give one file (or '-' for standard input)")
        if p.stat().st_size > limit:
            raise too_large(path, limit)
        with p.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror or exc}): check its permissions") from None
    if len(data) > limit:  # it grew, or it is not a regular file
        raise too_large(path, limit)
    return data


def read_document(
    path: str,
    *,
    published: str | date | None = None,
    outlet: str | None = None,
    url: str | None = None,
    title: str | None = None,
    check_language: bool = True,
    max_bytes: int | None = None,
    source: str | None = None,
) -> Document:
    """Read one .txt/.md/.html file (or '-' for standard input) into a Document. ``source``
    names it in messages (default: ``path``); ``max_bytes`` is the size limit (50 MB)."""
    suffix = "" if path == "-" else Path(path).suffix.lower()
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
        raise UnsupportedFormatError(f"{path}: unsupported file type {suffix!r}: give a .txt, .md or .html file")
    data = read_bytes(path, max_bytes)
    if not data.strip():
        raise EmptyInputError(f"{path}: the file is empty: give a file with the article's text")
    decoded = decode(data, path)
    warns = (decoded.warning,) if decoded.warning else ()
    text = decoded.text
    if not text.strip():
        raise EmptyInputError(f"{path}: the file is empty: give a file with the article's text")
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
        source=source or path,
        metadata={"path": path, "encoding": decoded.encoding} if path != "-" else {"encoding": decoded.encoding},
        max_bytes=max_bytes,
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
