"""One document in, one ``Analysis`` out: ingest → nlp → extractors.

``analyze`` reads one text; ``analyze_many`` reads many with ``nlp.pipe`` (batches, one model
load). Long texts are parsed in chunks cut at paragraph breaks and joined back into one Doc, so
offsets stay offsets into the original text and memory stays bounded.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, fields, is_dataclass, replace
from typing import Any, TypeVar
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc

from . import __version__
from . import nlp as nlp_mod
from .casing import fix_case, restore_spans
from .extract.actors import extract_actors, outlet_country
from .extract.base import split_final_periods
from .extract.channels import extract_channel_status
from .extract.dates import extract_dates
from .extract.engagements import find_engagements, link_statements
from .extract.events import extract_events
from .extract.statements import extract_statements
from .gate import gate_for
from .readers import make_document, published_bounds, read_document
from .records import Actor, Analysis, Document, Span, content_id
from .registry import Registry, get_registry


@dataclass(frozen=True, slots=True)
class Options:
    model: str | None = None
    registry_files: tuple[str, ...] = ()
    check_language: bool = True
    batch_size: int = 16


T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last one shorter), read lazily."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _chunks(text: str, size: int) -> list[str]:
    """Cut ``text`` into pieces of at most about ``size`` characters at paragraph (or line,
    or sentence) breaks; ``"".join(pieces) == text``."""
    if len(text) <= size:
        return [text]
    pieces, start = [], 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            window = text[start:end]
            for sep in ("\n\n", "\n", ". ", " "):
                cut = window.rfind(sep)
                if cut > size // 4:
                    end = start + cut + len(sep)
                    break
        pieces.append(text[start:end])
        start = end
    return pieces


# Called with (chunks parsed, chunks) while a long document is parsed in pieces: the progress
# a person sees while one big document goes through (set by ``ingest``'s ``chunk_progress``).
CHUNK_PROGRESS: ContextVar[Callable[[int, int], None] | None] = ContextVar("CHUNK_PROGRESS", default=None)


def _parse_chunks(nlp: Language, text: str, size: int) -> list[Doc]:
    pieces = _chunks(text, size)
    report = CHUNK_PROGRESS.get()
    if report is not None:
        report(0, len(pieces))
    parts = []
    for part in nlp.pipe(pieces, batch_size=4):
        parts.append(part)
        if report is not None:
            report(len(parts), len(pieces))
    return parts


def parse(nlp: Language, texts: Iterable[str], batch_size: int = 16) -> Iterator[Doc]:
    """Parse texts with ``nlp.pipe``; long texts are parsed in chunks and joined."""
    size = nlp_mod.MAX_CHUNK_CHARS
    for text in texts:
        if len(text) <= size:
            # the common case: stream short documents through nlp.pipe one batch at a time
            yield from nlp.pipe([text], batch_size=batch_size)
        else:
            parts = _parse_chunks(nlp, text, size)
            doc = Doc.from_docs(parts, ensure_whitespace=False, exclude=["tensor", "user_data"])  # type: ignore[call-arg]
            del parts  # the joined Doc is all that is needed while the extractors run
            yield doc


def extract(doc: Doc, document: Document, registry: Registry, published: date | None, earliest: date | None = None) -> Analysis:
    """Run every extractor over one parsed document. Pure: no I/O. ``published`` is the
    publication date (its last possible day when the source gives only a month or a year,
    ``earliest`` then its first)."""
    split_final_periods(doc)
    actors = extract_actors(doc, registry, published, document.outlet)
    dates = extract_dates(doc, published, earliest=earliest)
    statements = extract_statements(doc, registry, actors, dates)
    if len({a.country for a in actors.actors if a.country and a.country not in ("IGO", "NGO")}) < 2:
        statements = []  # a text about one state's own affairs holds no claim for a side between states
    side = outlet_country(document.outlet, registry)
    engagements, proposals = find_engagements(doc, registry, actors, dates, published, side, earliest, document.outlet)
    link_statements(statements, engagements)
    channel_status = extract_channel_status(doc, registry, actors, dates, engagements, statements, side, proposals)
    events = extract_events(doc, registry, actors, dates, side=side, engagements=engagements, published=published, earliest=earliest)
    return Analysis(
        document=document,
        actors=sorted(actors.actors, key=lambda a: min((m.start for m in a.mentions), default=0)),
        dates=dates,
        engagements=engagements,
        channel_status=channel_status,
        statements=statements,
        events=events,
    )


def _shift(record: Any, offset: int, ids: dict[str, str]) -> Any:
    """``record`` with every ``Span`` moved by ``offset`` characters and every record id in
    ``ids`` renamed (the ids of a window's records, and the references to them)."""
    if isinstance(record, Span):
        return replace(record, start=record.start + offset, end=record.end + offset)
    if isinstance(record, str):
        return ids.get(record, record)
    if isinstance(record, list):
        return [_shift(x, offset, ids) for x in record]
    if isinstance(record, tuple):
        return tuple(_shift(x, offset, ids) for x in record)
    if isinstance(record, dict):
        return {k: _shift(v, offset, ids) for k, v in record.items()}
    if is_dataclass(record) and not isinstance(record, type):
        changes = {}
        for f in fields(record):
            value = getattr(record, f.name)
            new = _shift(value, offset, ids)
            if new is not value and new != value:
                changes[f.name] = new
        return replace(record, **changes) if changes else record
    return record


def extract_windows(
    nlp: Language, text: str, document: Document, registry: Registry, published: date | None, earliest: date | None = None
) -> Analysis:
    """Analyze a text longer than one parse chunk window by window (pieces of at most
    ``nlp.MAX_CHUNK_CHARS`` cut at paragraph breaks): each window is parsed, its records found,
    and its parse dropped before the next, so time grows with the length of the text and memory
    stays that of one window. Records keep offsets into the whole text; their ids are made
    unique per window; an actor found in several windows is one actor with all its mentions.
    What a window cannot see is the text of the others: a pronoun or "the two sides" at the top
    of a window does not reach back into the one before (documented cost of bounded memory)."""
    pieces = _chunks(text, nlp_mod.MAX_CHUNK_CHARS)
    report = CHUNK_PROGRESS.get()
    if report is not None:
        report(0, len(pieces))
    actors: dict[str, Actor] = {}
    merged = Analysis(document=document)
    offset = 0
    for n, piece in enumerate(pieces):
        if piece.strip():
            part = extract(nlp(piece), replace(document, text=piece), registry, published, earliest)
            found: list[Any] = [*part.engagements, *part.channel_status, *part.statements, *part.events]
            ids = {r.id: content_id(r.id.split("-")[0], r.id, n, offset) for r in found}
            part = _shift(part, offset, ids)
            for a in part.actors:
                if a.id in actors:
                    actors[a.id] = replace(actors[a.id], mentions=[*actors[a.id].mentions, *a.mentions])
                else:
                    actors[a.id] = a
            merged.dates.extend(part.dates)
            merged.engagements.extend(part.engagements)
            merged.channel_status.extend(part.channel_status)
            merged.statements.extend(part.statements)
            merged.events.extend(part.events)
        offset += len(piece)
        if report is not None:
            report(n + 1, len(pieces))
    merged.actors = list(actors.values())
    return merged


def analyze(
    text: str,
    *,
    published: str | date | None = None,
    outlet: str | None = None,
    url: str | None = None,
    title: str | None = None,
    model: str | None = None,
    registry_files: Sequence[str | os.PathLike[str]] = (),
    check_language: bool = True,
) -> Analysis:
    """Analyze one document and return its sourced records.

    >>> a = analyze("...", published="2023-12-22", outlet="Global Times")  # doctest: +SKIP
    >>> a.to_dict()["schema"]  # doctest: +SKIP
    'readout.analysis/1'
    """
    document = make_document(text, published=published, outlet=outlet, url=url, title=title, check_language=check_language)
    return next(iter(analyze_documents([document], model=model, registry_files=registry_files)))


def analyze_path(
    path: str,
    *,
    published: str | date | None = None,
    outlet: str | None = None,
    url: str | None = None,
    title: str | None = None,
    model: str | None = None,
    registry_files: Sequence[str | os.PathLike[str]] = (),
    check_language: bool = True,
    max_bytes: int | None = None,
    chunk_progress: Callable[[int, int], None] | None = None,
    gate: bool = False,
) -> Analysis:
    """Read one .txt/.md/.html file (or '-' for standard input) and analyze it. Decoding
    warnings are in ``analysis.document.warnings``; ``max_bytes`` limits the file (50 MB);
    ``chunk_progress`` is called with (chunks parsed, chunks) while a long one is parsed.
    With ``gate``, a text the gate finds unable to hold a record is not parsed: the analysis
    has no records and a warning that gives the gate's reason."""
    document = read_document(
        path, published=published, outlet=outlet, url=url, title=title, check_language=check_language, max_bytes=max_bytes
    )
    if gate:
        registry = get_registry(tuple(str(p) for p in registry_files))
        verdict = gate_for(registry).judge(document.text, document.title)
        if not verdict.relevant:
            warning = f"not relevant, not parsed: {verdict.reason} (--no-gate parses it anyway)"
            return Analysis(document=replace(document, warnings=(*document.warnings, warning)), version=__version__)
    token = CHUNK_PROGRESS.set(chunk_progress)
    try:
        return next(iter(analyze_documents([document], model=model, registry_files=registry_files, gate=gate)))
    finally:
        CHUNK_PROGRESS.reset(token)


def analyze_documents(
    documents: Iterable[Document],
    *,
    model: str | None = None,
    registry_files: Sequence[str | os.PathLike[str]] = (),
    batch_size: int = 16,
    gate: bool = False,
) -> Iterator[Analysis]:
    """Analyze documents already made with ``ingest.make_document`` (or read by ``ingest``),
    parsing them in batches with ``nlp.pipe``. An extractor error is raised (see
    ``analyze_outcomes`` for a batch that must go on)."""
    for outcome in analyze_outcomes(documents, model=model, registry_files=registry_files, batch_size=batch_size, gate=gate):
        if outcome.error is not None:
            raise outcome.error
        assert outcome.analysis is not None
        yield outcome.analysis


@dataclass(frozen=True, slots=True)
class Outcome:
    """One document's result in a batch that must not stop: its analysis, or why it failed."""

    document: Document
    analysis: Analysis | None
    error: Exception | None = None
    not_relevant: str | None = None  # the gate's reason, when the gate kept the document from the parser


def analyze_outcomes(
    documents: Iterable[Document],
    *,
    model: str | None = None,
    registry_files: Sequence[str | os.PathLike[str]] = (),
    batch_size: int = 16,
    gate: bool = False,
) -> Iterator[Outcome]:
    """Like ``analyze_documents``, lazily, one batch at a time (memory does not grow with the
    number of documents); an extractor that fails on one document yields an ``Outcome`` with
    the error, and the batch goes on. With ``gate``, the paragraphs of a long document (longer
    than one parse chunk) that can hold no record are blanked before the parse (gate.py)."""
    nlp = nlp_mod.load(model)
    registry = get_registry(tuple(str(p) for p in registry_files))
    keep = gate_for(registry).keep_paragraphs if gate else None
    model_desc = nlp_mod.describe(model)

    def run(batch: list[Document]) -> Iterator[Outcome]:
        # text in capitals or without them is parsed in ordinary case, and its records then show
        # the text as written (casing.py)
        texts = [fix_case(d.text, registry) for d in batch]
        if keep is not None:
            texts = [keep(t)[0] if len(t) > nlp_mod.MAX_CHUNK_CHARS else t for t in texts]
        size = nlp_mod.MAX_CHUNK_CHARS
        short = [i for i, t in enumerate(texts) if len(t) <= size]
        docs = dict(zip(short, nlp.pipe((texts[i] for i in short), batch_size=batch_size), strict=True))
        for i, (document, text) in enumerate(zip(batch, texts, strict=True)):
            try:
                bounds = published_bounds(document.published)
                latest, earliest = (bounds[1], bounds[0]) if bounds else (None, None)
                if i in docs:
                    analysis = extract(docs.pop(i), document, registry, latest, earliest)
                else:
                    analysis = extract_windows(nlp, text, document, registry, latest, earliest)
                if text != document.text:
                    analysis = restore_spans(analysis, document.text)
            except Exception as exc:  # an extractor bug must not lose the rest of the batch
                docs.pop(i, None)
                yield Outcome(document, None, exc)
                continue
            analysis.model = model_desc
            analysis.version = __version__
            yield Outcome(document, analysis)

    for batch in batched(documents, batch_size):
        yield from run(batch)


def analyze_gated(
    tasks: Iterable[tuple[Document, bool]],
    *,
    model: str | None = None,
    registry_files: Sequence[str | os.PathLike[str]] = (),
    batch_size: int = 16,
    gate: bool = False,
) -> Iterator[Outcome]:
    """``analyze_outcomes`` with the gate before the parser, in the process that analyzes (the
    writer only writes). ``tasks`` are (document, may gate): with ``gate``, a document that may
    be gated (a text new to the store; a known one analyzed again is not) and that the gate
    finds unable to hold a record comes back unparsed, with ``not_relevant`` the gate's reason.
    Outcomes come in the order of ``tasks``, a batch of ``batch_size`` at a time."""
    judge = gate_for(get_registry(tuple(str(p) for p in registry_files))).judge if gate else None

    def run(batch: list[tuple[Document, bool]]) -> Iterator[Outcome]:
        verdicts = [judge(d.text, d.title) if judge is not None and may else None for d, may in batch]
        keep = [d for (d, _), v in zip(batch, verdicts, strict=True) if v is None or v.relevant]
        analyzed = analyze_outcomes(keep, model=model, registry_files=registry_files, batch_size=batch_size, gate=gate) if keep else iter(())
        for (document, _), verdict in zip(batch, verdicts, strict=True):
            if verdict is not None and not verdict.relevant:
                yield Outcome(document, None, None, verdict.reason or "")
            else:
                yield next(analyzed)

    for batch in batched(tasks, batch_size):
        yield from run(batch)


def analyze_many(
    texts: Iterable[str | dict[str, object]],
    *,
    model: str | None = None,
    registry_files: Sequence[str | os.PathLike[str]] = (),
    batch_size: int = 16,
    check_language: bool = True,
) -> Iterator[Analysis]:
    """Analyze many documents: each a text, or a mapping with ``text`` and optional
    ``published``, ``outlet``, ``url``, ``title``. Parsed with ``nlp.pipe`` in batches."""
    docs = []
    for item in texts:
        if isinstance(item, str):
            docs.append(make_document(item, check_language=check_language))
        else:
            meta = {k: v for k, v in item.items() if k not in {"text", "published", "outlet", "url", "title"}}
            docs.append(
                make_document(
                    str(item.get("text") or ""),
                    published=item.get("published"),  # type: ignore[arg-type]
                    outlet=item.get("outlet"),  # type: ignore[arg-type]
                    url=item.get("url"),  # type: ignore[arg-type]
                    title=item.get("title"),  # type: ignore[arg-type]
                    metadata=meta,
                    check_language=check_language,
                )
            )
    yield from analyze_documents(docs, model=model, registry_files=registry_files, batch_size=batch_size)
