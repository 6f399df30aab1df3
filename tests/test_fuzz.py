"""Property-based tests (Hypothesis): whatever a file, a feed or a caller holds, readout raises
nothing but its own errors (``ReadoutError``), and every record it keeps points at its text.

- the readers: .txt/.md bytes (random, with BOMs, controls, NULs, very long lines and tokens,
  other encodings), .html (deeply nested, broken, random), text given to ``make_document``
  (any Unicode, lone surrogates);
- JSONL and CSV collections with wrong types, missing and huge fields, duplicate ids,
  malformed lines and quotes, random bytes;
- ``analyze`` on small texts built from words readout reacts to and random characters: every
  span of every record lies inside the text and equals the text at its offsets;
- ``ingest`` of random folders into one database: inputs are documents or recorded failures
  (never an extractor crash), and the store checks clean (``readout check``).

``make test`` runs the "ci" profile (a few dozen examples each, the same every run);
``make fuzz`` runs the "fuzz" profile (thousands, random) through ``bench/fuzz.py``, which
counts the cases and writes ``bench/fuzz.json`` for the README.
"""

from __future__ import annotations

import codecs
import json
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readout import inputs, readers
from readout.errors import ReadoutError
from readout.records import Analysis, DateValue, Document, Span

CASES: Counter[str] = Counter()  # examples run per property (bench/fuzz.py reports them)


def examples(weight: float) -> int:
    """This property's share of the active profile's examples (slow properties get fewer)."""
    return max(4, int(settings.default.max_examples * weight))


# ---------------------------------------------------------------- strategies
WORDS = [
    "China", "the United States", "Russia", "India", "Japan", "the Pentagon", "Beijing", "Washington", "Liu Zhenli",
    "Charles Q. Brown", "Lloyd Austin", "Dong Jun", "the defense minister", "the Chinese side", "he", "she", "said",
    "told", "urged", "held", "a video call", "a phone call", "talks", "met", "summit", "on Thursday", "last month",
    "December 21, 2023", "2024", "in July 2022", "since", "suspended", "resumed", "agreed to resume", "declined",
    "military maritime consultative talks", "theater commanders", "hotline", "arms sale", "$300 million", "sanctions",
    "Taiwan", "the South China Sea", "respect", "miscalculation", "\"", "“", "”", "'", ",", ".", ";", ":", "(", ")", "—",
    "\n", "\n\n", " ", "\t", "at the request of", "according to", "spokesperson", "Wang Wenbin", "the ministry",
]
CONTROL = list("\x00\x01\x07\x08\x0b\x0c\x0e\x1b\x7f\x80\x85\x9d\u2028\u2029\ufeff\ufffd\u200b\u202e") + ["\r\n", "\r"]
SURROGATES = ["\ud800", "\udfff", "\ud83d", "\ude00"]

any_char = st.characters(codec=None)
weird_text = st.one_of(
    st.text(any_char, max_size=400),
    st.lists(st.sampled_from(WORDS + CONTROL + SURROGATES) | st.text(any_char, max_size=5), max_size=80).map("".join),
)
long_run = st.builds(lambda c, n: c * n, st.sampled_from(["a", "x ", "é", "\n", "—", ".", "0"]), st.integers(5_000, 120_000))
prose = st.lists(st.sampled_from(WORDS) | st.text(any_char, max_size=4), min_size=1, max_size=60).map(" ".join)


@st.composite
def text_bytes(draw: st.DrawFn) -> bytes:
    """The bytes of a text file: random, or text in some encoding, with or without a BOM,
    sometimes with a very long line or token."""
    kind = draw(st.sampled_from(["random", "encoded", "encoded", "long"]))
    if kind == "random":
        return draw(st.binary(max_size=3000))
    text = draw(weird_text) if kind == "encoded" else draw(prose) + draw(long_run) + draw(prose)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1", "cp1251", "shift_jis"]))
    data = text.encode(encoding, errors="surrogatepass" if encoding.startswith("utf") else "replace")
    if draw(st.booleans()) and encoding in ("utf-16-le",):
        data = codecs.BOM_UTF16_LE + data
    return data


def _tag(name: str, inner: str, attrs: str = "") -> str:
    return f"<{name}{attrs}>{inner}</{name}>"


html_leaf = st.one_of(prose, weird_text, st.sampled_from(["&amp;", "&#0;", "&#xD800;", "&bogus;", "<!-- c -->", "<![CDATA[x]]>", "<br>",
                                                          "</p>", "<", ">", "<script>alert(1)</script>", "<?xml?>"]))
html_tree = st.recursive(
    html_leaf,
    lambda inner: st.builds(_tag, st.sampled_from(["p", "div", "article", "main", "span", "table", "td", "li", "h1", "b", "x-y"]),
                            st.lists(inner, max_size=4).map("".join),
                            st.sampled_from(["", ' class="story"', " id=a id=b", ' style="x', " \x00=1"])),
    max_leaves=25,
)


@st.composite
def html_bytes(draw: st.DrawFn) -> bytes:
    """An HTML page: a random tree, a very deeply nested one, a broken one, or random bytes."""
    kind = draw(st.sampled_from(["tree", "deep", "broken", "random"]))
    if kind == "random":
        return draw(st.binary(max_size=2000))
    if kind == "deep":
        depth = draw(st.integers(100, 6000))
        tag = draw(st.sampled_from(["div", "p", "b", "span"]))
        body = f"<{tag}>" * depth + draw(prose) + (f"</{tag}>" * depth if draw(st.booleans()) else "")
    else:
        body = draw(html_tree)
    page = f"<!DOCTYPE html><html><head><title>{draw(weird_text)[:80]}</title></head><body>{body}</body></html>"
    if kind == "broken":
        page = page[: draw(st.integers(0, len(page)))]
    return page.encode("utf-8", errors="surrogatepass")


json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(any_char, max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10,
)


@st.composite
def jsonl_line(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["record", "record", "wrong", "missing", "huge", "deep", "garbage", "blank"]))
    if kind == "garbage":
        return draw(st.binary(max_size=200)).replace(b"\n", b" ")
    if kind == "blank":
        return b"   "
    if kind == "deep":
        n = draw(st.integers(1000, 50_000))
        return (b"[" * n + b"]" * n) if draw(st.booleans()) else b'{"text":' + b"[" * n
    record: dict[str, Any] = {"text": draw(prose), "id": draw(st.sampled_from([1, 1, "a", None]))}  # duplicate ids on purpose
    for key in ("title", "published", "outlet", "url"):
        if draw(st.booleans()):
            record[key] = draw(st.one_of(st.text(any_char, max_size=20), st.sampled_from(["2024-01-05", "2024-13-45", "2023-02-29"])))
    if kind == "wrong":
        record[draw(st.sampled_from(["text", "title", "published", "outlet", "url"]))] = draw(json_value)
    elif kind == "missing":
        record.pop("text")
    elif kind == "huge":
        record[draw(st.sampled_from(["text", "title", "desk"]))] = "word " * draw(st.integers(1000, 5000))
    return json.dumps(record, ensure_ascii=draw(st.booleans())).encode("utf-8", errors="surrogatepass")


csv_field = st.one_of(prose, weird_text, st.sampled_from(['"', '""', '"unclosed', 'a"b', ",", "\n", "\r\n", "2024-01-05", ""]),
                      st.builds(lambda n: "x" * n, st.integers(1000, 5000)))


@st.composite
def csv_bytes(draw: st.DrawFn) -> bytes:
    header = draw(st.sampled_from([["text"], ["title", "text", "published"], ["text", "text"], ["body"], ["id", "text", "outlet", "url"]]))
    lines = [",".join(header)]
    for _ in range(draw(st.integers(0, 8))):
        fields = draw(st.lists(csv_field, min_size=0, max_size=len(header) + 1))
        quote = draw(st.booleans())
        lines.append(",".join('"' + f.replace('"', '""') + '"' if quote else f for f in fields))
    text = draw(st.sampled_from(["\n", "\r\n"])).join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    data = text.encode(encoding, errors="surrogatepass" if encoding.startswith("utf") else "replace")
    return data if draw(st.integers(0, 9)) else draw(st.binary(max_size=500))


# ---------------------------------------------------------------- checks
def spans_of(value: Any) -> Iterator[Span]:
    """Every Span inside a record (dataclasses, lists, dicts), however deep."""
    if isinstance(value, Span):
        yield value
    elif isinstance(value, DateValue):
        if value.span is not None:
            yield value.span
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from spans_of(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from spans_of(v)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            if name != "document":
                yield from spans_of(getattr(value, name))


def assert_points_at_its_text(analysis: Analysis) -> None:
    text = analysis.document.text
    found = 0
    for span in spans_of(analysis):
        assert 0 <= span.start <= span.end <= len(text), (span, len(text))
        assert text[span.start:span.end] == span.text, span
        found += 1
    for s in analysis.statements:
        assert s.content_span.text == text[s.content_span.start:s.content_span.end]


def assert_sound_document(doc: Document) -> None:
    assert doc.text.strip()
    doc.text.encode("utf-8")  # no lone surrogates
    assert not any(c in doc.text for c in "\x00\r\x1b\x7f")
    assert doc.id == readers.document_id(doc.text)
    json.dumps(doc.metadata)
    for value in (doc.title, doc.outlet, doc.url):
        assert value is None or ("\n" not in value and value.strip() == value)


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="readout-fuzz-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _read_file(scratch: Path, name: str, data: bytes, max_bytes: int | None = None) -> None:
    path = scratch / name
    path.write_bytes(data)
    try:
        doc = readers.read_document(str(path), check_language=False, max_bytes=max_bytes)
    except ReadoutError:
        return
    assert_sound_document(doc)


# ---------------------------------------------------------------- the readers
@settings(max_examples=examples(1.0))
@given(data=text_bytes(), suffix=st.sampled_from([".txt", ".md", ""]))
def test_fuzz_text_files(scratch: Path, data: bytes, suffix: str) -> None:
    CASES["text files"] += 1
    _read_file(scratch, f"doc{suffix}", data)


@settings(max_examples=examples(1.0))
@given(data=html_bytes())
def test_fuzz_html_files(scratch: Path, data: bytes) -> None:
    CASES["html files"] += 1
    _read_file(scratch, "page.html", data)


@settings(max_examples=examples(1.0))
@given(text=st.one_of(weird_text, long_run, prose), title=st.none() | weird_text, published=st.none() | weird_text,
       language=st.booleans())
def test_fuzz_make_document(text: str, title: str | None, published: str | None, language: bool) -> None:
    CASES["documents from text"] += 1
    try:
        doc = readers.make_document(text, title=title, published=published, check_language=language, outlet=title)
    except ReadoutError:
        return
    assert_sound_document(doc)


def _collection(scratch: Path, name: str, data: bytes, max_bytes: int) -> None:
    path = scratch / name
    path.write_bytes(data)
    lines = data.count(b"\n") + 1
    seen = []
    for source, item in inputs.read_inputs([str(path)], inputs.Options(check_language=False, max_bytes=max_bytes)):
        assert isinstance(item, (Document, ReadoutError)), item
        seen.append(source)
        if isinstance(item, Document):
            assert_sound_document(item)
        if ":" in source.rsplit("/", 1)[-1]:
            assert 1 <= int(source.rsplit(":", 1)[1]) <= lines, (source, lines)
    assert len(seen) == len(set(seen)), seen  # one item per record


@settings(max_examples=examples(1.0))
@given(lines=st.lists(jsonl_line(), max_size=12), max_bytes=st.sampled_from([4000, 20_000, readers.MAX_BYTES]))
def test_fuzz_jsonl(scratch: Path, lines: list[bytes], max_bytes: int) -> None:
    CASES["jsonl records"] += 1
    _collection(scratch, "feed.jsonl", b"\n".join(lines), max_bytes)


@settings(max_examples=examples(1.0))
@given(data=csv_bytes(), max_bytes=st.sampled_from([3000, readers.MAX_BYTES]))
def test_fuzz_csv(scratch: Path, data: bytes, max_bytes: int) -> None:
    CASES["csv records"] += 1
    _collection(scratch, "docs.csv", data, max_bytes)


# ---------------------------------------------------------------- analyze, with the model
@pytest.mark.model
@settings(max_examples=examples(0.5))
@given(text=st.one_of(prose, weird_text, st.builds(lambda a, b, c: a + b[:3000] + c, prose, long_run, prose)),
       published=st.none() | st.dates().map(lambda d: d.isoformat()), outlet=st.none() | st.sampled_from(["Xinhua", "Global Times", "x"]))
def test_fuzz_analyze(nlp: object, text: str, published: str | None, outlet: str | None) -> None:
    import readout

    CASES["analyze"] += 1
    try:
        analysis = readout.analyze(text, published=published, outlet=outlet, check_language=False)
    except ReadoutError:
        return
    assert_points_at_its_text(analysis)
    json.dumps(analysis.to_dict())


# ---------------------------------------------------------------- ingest, with the model
@st.composite
def folder_contents(draw: st.DrawFn) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for i in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["txt", "html", "jsonl", "csv", "png", "prose"]))
        if kind == "txt":
            files[f"{i}.txt"] = draw(text_bytes())
        elif kind == "prose":
            files[f"{i}.md"] = draw(prose).encode("utf-8", errors="surrogatepass")
        elif kind == "html":
            files[f"{i}.html"] = draw(html_bytes())
        elif kind == "jsonl":
            files[f"{i}.jsonl"] = b"\n".join(draw(st.lists(jsonl_line(), max_size=4)))
        elif kind == "csv":
            files[f"{i}.csv"] = draw(csv_bytes())
        else:
            files[f"{i}.png"] = b"\x89PNG\r\n\x1a\n" + draw(st.binary(max_size=50))
    return files


@pytest.fixture(scope="module")
def fuzz_db(scratch: Path) -> Path:
    return scratch / "fuzz.db"


@pytest.mark.model
@settings(max_examples=examples(0.2))
@given(files=folder_contents(), published=st.none() | st.sampled_from(["2024-01-05", "2023-12-22"]),
       outlet=st.none() | st.sampled_from(["Xinhua", "Sample Wire"]), max_bytes=st.sampled_from(["4KB", "50MB"]))
def test_fuzz_ingest(nlp: object, scratch: Path, fuzz_db: Path, files: dict[str, bytes], published: str | None, outlet: str | None,
                     max_bytes: str) -> None:
    from readout.store import ingest, maintain, open_store

    CASES["ingest"] += 1
    folder = Path(tempfile.mkdtemp(dir=scratch))
    for name, data in files.items():
        (folder / name).write_bytes(data)
    summary = ingest([str(folder)], db=fuzz_db, published=published, outlet=outlet, check_language=False, max_bytes=max_bytes)
    assert all(f["code"] != "extractor_error" for f in summary.failures), summary.failures
    assert summary.skipped.other_types.get(".png", 0) == sum(1 for n in files if n.endswith(".png"))
    with open_store(fuzz_db, read_only=True) as store:
        report = maintain.check(store)
    assert report.ok, report.problems
    shutil.rmtree(folder)
