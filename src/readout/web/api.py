"""The JSON API, ``/api/v1/``: one endpoint per library query, each calling that one function.

The JSON of every endpoint is what the matching command prints with ``--format json``
(``readout.output`` shapes both); list endpoints also give ``format=jsonl`` and ``format=csv``
as the CLI does. Lists page with ``limit`` (at most ``MAX_PAGE``) and ``offset``; when there may
be more, a ``Link: <...>; rel="next"`` header names the next page.
"""

from __future__ import annotations

import hmac
import json
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from .. import output
from ..errors import AuthError, ForbiddenError, InputError, MalformedRecordError, TooLargeError, UnsupportedFormatError
from ..store import browse, queries
from ..store import compare as compare_mod
from ..store import dyads as dyads_mod
from ..store.db import Store
from .app import DEFAULT_PAGE, MAX_PAGE, Settings, get_store

router = APIRouter(prefix="/api/v1", tags=["api"])

StoreDep = Annotated[Store, Depends(get_store)]
Format = Annotated[Literal["json", "jsonl", "csv"], Query(description="json (as the CLI's --format json), jsonl or csv")]
JsonOnly = Annotated[Literal["json"], Query(description="json only")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"page size, at most {MAX_PAGE}")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="rows to skip")]
Dyad = Annotated[str, Query(max_length=16, description="two ISO 3166 alpha-3 codes, e.g. CHN-USA")]
Day = Annotated[str | None, Query(max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD")]
Text = Annotated[str | None, Query(max_length=200)]
MEDIA = {"json": "application/json", "jsonl": "application/x-ndjson", "csv": "text/csv; charset=utf-8"}
_ingest_lock = threading.Lock()


def respond(fmt: str, data: Any, rows: list[dict[str, Any]] | None = None, headers: dict[str, str] | None = None) -> Response:
    """``data`` as JSON (exactly the CLI's --format json), or ``rows`` (default ``data``) as JSONL/CSV."""
    return Response(output.render(data, fmt, rows), media_type=MEDIA[fmt], headers=headers)


def paged(request: Request, fetch: Callable[[int], list[dict[str, Any]]], limit: int, offset: int, fmt: str) -> Response:
    """Call ``fetch(limit + 1)``: the first ``limit`` rows are the page; an extra row means a next page."""
    rows = fetch(limit + 1)
    headers = {}
    if len(rows) > limit:
        rows = rows[:limit]
        nxt = request.url.include_query_params(offset=offset + limit, limit=limit)
        headers["Link"] = f'<{nxt.path}?{nxt.query}>; rel="next"'
    return respond(fmt, rows, headers=headers)


# ------------------------------------------------------------------ the queries of the CLI
@router.get("/board", summary="The channel board of a dyad as of a date (readout channels)")
def board(store: StoreDep, dyad: Dyad, as_of: Day = None, format: Format = "json") -> Response:
    """Each dialogue channel of the dyad, its state as of `as_of` (default today), since when,
    when last held, how many sources and which sides say so."""
    return respond(format, queries.channel_board(store, dyad, as_of))


@router.get("/channels/{channel}/timeline", summary="One channel's history (readout timeline)")
def timeline(store: StoreDep, channel: str, format: Format = "json") -> Response:
    """Each interval (active, suspended, resumption pending) with the assertions behind it. In
    JSONL and CSV, one row per assertion."""
    result = queries.timeline(store, channel)
    return respond(format, result.to_dict(), result.to_rows())


@router.get("/engagements", summary="Engagements, merged across documents (readout engagements)")
def engagements(
    request: Request, store: StoreDep, dyad: Annotated[str | None, Query(max_length=16)] = None, actor: Text = None,
    kind: Annotated[str | None, Query(max_length=100)] = None, status: Annotated[str | None, Query(max_length=100)] = None,
    since: Day = None, until: Day = None, limit: Limit = DEFAULT_PAGE, offset: Offset = 0, format: Format = "json",
) -> Response:
    """Calls, meetings, talks and visits, oldest first. `kind` and `status` are comma-separated
    (call,video_call; held, or planned,postponed)."""
    return paged(request, lambda n: queries.engagements(store, dyad=dyad, actor=actor, kind=kind, status=status, since=since,
                                                        until=until, limit=n, offset=offset), limit, offset, format)


@router.get("/engagements/{engagement}/comparison", summary="The two sides' accounts of one engagement (readout compare)")
def comparison(store: StoreDep, engagement: str, format: Format = "json") -> Response:
    """Statements by side and source, the topic matrix, terms one side repeats, tone. JSONL
    and CSV: one row per engagement, statement, topic, term and side's tone."""
    result = compare_mod.compare(store, engagement)
    return respond(format, result.to_dict(), result.to_rows())


@router.get("/statements", summary="Who said what for which side (readout statements)")
def statements(
    request: Request, store: StoreDep, speaker: Text = None, side: Annotated[str | None, Query(max_length=3)] = None,
    topic: Annotated[str | None, Query(max_length=64)] = None, engagement: Annotated[str | None, Query(max_length=64)] = None,
    search: Text = None, since: Day = None, until: Day = None, limit: Limit = DEFAULT_PAGE, offset: Offset = 0, format: Format = "json",
) -> Response:
    return paged(request, lambda n: queries.statements(store, speaker=speaker, side=side, topic=topic, engagement=engagement,
                                                       search=search, since=since, until=until, limit=n, offset=offset),
                 limit, offset, format)


@router.get("/dyads", summary="Every dyad with counts and its cooperation-conflict index (readout dyads [--explain])")
def dyads(store: StoreDep, since: Day = None, until: Day = None, explain: bool = False, format: Format = "json") -> Response:
    """With `explain=true`: the coded events and statements behind each dyad's figure instead."""
    if explain:
        return respond(format, dyads_mod.explain(store, since=since, until=until))
    return respond(format, dyads_mod.dyads(store, since=since, until=until))


@router.get("/dyads/{dyad}", summary="One dyad's index per period (readout dyads --dyad [--explain])")
def dyad_index(
    store: StoreDep, dyad: str, by: Literal["month", "quarter", "year"] = "month", since: Day = None, until: Day = None,
    explain: bool = False, format: Format = "json",
) -> Response:
    """With `explain=true`: the coded events and statements behind each period's figure instead."""
    if explain:
        return respond(format, dyads_mod.explain(store, dyad, by=by, since=since, until=until))
    return respond(format, dyads_mod.dyad_index(store, dyad, by=by, since=since, until=until))


@router.get("/failures", summary="Inputs that could not be ingested (readout failures)")
def failures(store: StoreDep, format: Format = "json") -> Response:
    return respond(format, queries.failures(store))


# ------------------------------------------------------------------ documents, search, actors
@router.get("/documents", summary="Documents with their record counts")
def documents(
    request: Request, store: StoreDep, outlet: Text = None, side: Annotated[str | None, Query(max_length=3)] = None,
    since: Day = None, until: Day = None, limit: Limit = DEFAULT_PAGE, offset: Offset = 0, format: Format = "json",
) -> Response:
    return paged(request, lambda n: browse.documents(store, outlet=outlet, side=side, since=since, until=until, limit=n, offset=offset),
                 limit, offset, format)


@router.get("/documents/{document}", summary="One document with its text and every record found in it")
def document(store: StoreDep, document: str, format: JsonOnly = "json") -> Response:
    """`records`: each engagement report, channel assertion, statement and event with its kind
    and the offsets (`start`, `end`) of its evidence in `text`."""
    return respond(format, browse.document(store, document))


@router.get("/search", summary="Full-text search over statements and documents")
def search(
    store: StoreDep, q: Annotated[str, Query(min_length=1, max_length=200, description="words that must all occur")],
    side: Annotated[str | None, Query(max_length=3)] = None, speaker: Text = None,
    scope: Annotated[Literal["all", "statements", "documents"], Query(alias="in")] = "all",
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 20, offset: Offset = 0, format: Format = "json",
) -> Response:
    """`{"query", "statements": [...], "documents": [...]}`, best match first, each hit with a
    `snippet` and `highlights` (offsets of the words found in it); `limit` and `offset` apply to
    each list. JSONL and CSV: one row per hit, `hit` saying which."""
    result = browse.search(store, q, side=side, speaker=speaker, scope=scope, limit=limit, offset=offset)
    return respond(format, result.to_dict(), result.to_rows())


@router.get("/actors/{actor}", summary="A person's or organisation's engagements and statements")
def actor(store: StoreDep, actor: str, format: JsonOnly = "json") -> Response:
    return respond(format, browse.actor(store, actor))


# ------------------------------------------------------------------ ingest over HTTP
def _check_token(settings: Settings, authorization: str | None) -> None:
    if not settings.allow_ingest:
        raise ForbiddenError("ingest over HTTP is off: start the server with 'readout serve --allow-ingest' and READOUT_TOKEN set")
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not given or not hmac.compare_digest(given.strip().encode(), (settings.token or "").encode()):
        raise AuthError("this needs the server's token: send 'Authorization: Bearer TOKEN' with the value of READOUT_TOKEN")


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise TooLargeError(f"the request body is {int(declared):,} bytes, over the limit of {limit:,}: send fewer or shorter documents per request")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise TooLargeError(f"the request body is over the limit of {limit:,} bytes: send fewer or shorter documents per request")
    return bytes(body)


def _records(body: bytes) -> list[dict[str, Any]]:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MalformedRecordError(f"the body is not JSON ({exc}): send a JSON object with \"text\", or a list of them") from None
    items = data if isinstance(data, list) else [data]
    if not items or not all(isinstance(x, dict) for x in items):
        raise MalformedRecordError("send a JSON object with \"text\" (and title, published, outlet, url), or a non-empty list of them")
    return items


_DOCUMENT_SCHEMA = {"type": "object", "required": ["text"], "properties": {
    k: {"type": "string"} for k in ("text", "title", "published", "outlet", "url")}}


@router.post(
    "/documents", status_code=200, summary="Add documents (only with --allow-ingest and the READOUT_TOKEN bearer token)",
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {
        "oneOf": [_DOCUMENT_SCHEMA, {"type": "array", "items": _DOCUMENT_SCHEMA}]}}}}},
)
async def post_documents(
    request: Request, authorization: Annotated[str | None, Header()] = None,
    published: Day = None, outlet: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """Body: one JSON object `{"text", "title", "published", "outlet", "url"}` or a list of
    them. Each is analyzed and stored as `readout ingest` does; the answer is its summary
    (the JSON of `readout ingest --format json`). `published` and `outlet` apply to documents
    that carry none."""
    settings: Settings = request.app.state.settings
    _check_token(settings, authorization)
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/json":
        raise UnsupportedFormatError(f"content type {ctype or 'none'!r}: send the documents as application/json")
    items = _records(await _read_body(request, settings.max_body))
    if not all(isinstance(x.get("text"), str) and x["text"].strip() for x in items):
        raise InputError("every document needs a non-empty \"text\"")

    def run() -> dict[str, Any]:
        from ..store.ingest import ingest

        with _ingest_lock, tempfile.TemporaryDirectory(prefix="readout-post-") as tmp:
            path = Path(tmp) / "posted.jsonl"
            path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in items), encoding="utf-8")
            return ingest([str(path)], db=settings.db, published=published, outlet=outlet).to_dict()

    summary = await run_in_threadpool(run)
    return Response(output.to_json(summary), media_type=MEDIA["json"], status_code=201 if summary["documents"]["new"] else 200)
