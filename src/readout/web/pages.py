"""The pages: each calls one library function and hands its result to a template.

Parameters are checked by FastAPI (types, lengths) and by the library (dates, dyads, kinds),
whose errors show as an error page with the same message the API and the CLI give.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from ..store import browse, queries
from ..store import compare as compare_mod
from .api import Day, Offset, StoreDep, Text
from .app import DEFAULT_PAGE

router = APIRouter(include_in_schema=False)
Short = Annotated[str | None, Query(max_length=16)]


def page(request: Request, template: str, **context: Any) -> HTMLResponse:
    templates = request.app.state.templates
    return templates.TemplateResponse(request, template, context)


def _blank(value: str | None) -> str | None:
    """A form field left empty is no filter."""
    return value if value and value.strip() else None


@router.get("/", response_class=HTMLResponse)
def home(request: Request, store: StoreDep) -> Response:
    return page(request, "home.html", dyads=browse.overview(store))


@router.get("/dyads/{dyad}", response_class=HTMLResponse)
def dyad_board(request: Request, store: StoreDep, dyad: str, as_of: Day = None) -> Response:
    result = browse.dyad_board(store, dyad, _blank(as_of))
    return page(request, "board.html", b=result.to_dict())


@router.get("/channels/{channel}", response_class=HTMLResponse)
def channel(request: Request, store: StoreDep, channel: str) -> Response:
    return page(request, "channel.html", t=queries.timeline(store, channel).to_dict())


@router.get("/engagements", response_class=HTMLResponse)
def engagements(
    request: Request, store: StoreDep, dyad: Short = None, kind: Annotated[str | None, Query(max_length=100)] = None,
    status: Annotated[str | None, Query(max_length=100)] = None, actor: Text = None, since: Day = None, until: Day = None,
    offset: Offset = 0,
) -> Response:
    filters = {"dyad": _blank(dyad), "kind": _blank(kind), "status": _blank(status), "actor": _blank(actor), "since": _blank(since),
               "until": _blank(until)}
    rows = queries.engagements(store, **filters, limit=DEFAULT_PAGE + 1, offset=offset)
    more = len(rows) > DEFAULT_PAGE
    return page(request, "engagements.html", rows=rows[:DEFAULT_PAGE], filters=filters, offset=offset, more=more,
                page_size=DEFAULT_PAGE)


@router.get("/engagements/{engagement}", response_class=HTMLResponse)
def engagement(request: Request, store: StoreDep, engagement: str) -> Response:
    return page(request, "engagement.html", c=compare_mod.compare(store, engagement).to_dict())


@router.get("/documents", response_class=HTMLResponse)
def documents(request: Request, store: StoreDep, outlet: Text = None, side: Annotated[str | None, Query(max_length=3)] = None,
              since: Day = None, until: Day = None, offset: Offset = 0) -> Response:
    filters = {"outlet": _blank(outlet), "side": _blank(side), "since": _blank(since), "until": _blank(until)}
    rows = browse.documents(store, **filters, limit=DEFAULT_PAGE + 1, offset=offset)
    return page(request, "documents.html", rows=rows[:DEFAULT_PAGE], filters=filters, offset=offset,
                more=len(rows) > DEFAULT_PAGE, page_size=DEFAULT_PAGE)


@router.get("/documents/{document}", response_class=HTMLResponse)
def document(request: Request, store: StoreDep, document: str) -> Response:
    return page(request, "document.html", d=browse.document(store, document))


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, store: StoreDep, q: Annotated[str | None, Query(max_length=200)] = None,
           side: Annotated[str | None, Query(max_length=3)] = None, speaker: Text = None) -> Response:
    filters = {"q": _blank(q), "side": _blank(side), "speaker": _blank(speaker)}
    result = browse.search(store, filters["q"] or "", side=filters["side"], speaker=filters["speaker"], limit=50) if filters["q"] else None
    return page(request, "search.html", r=result.to_dict() if result else None, filters=filters)


@router.get("/actors/{actor}", response_class=HTMLResponse)
def actor(request: Request, store: StoreDep, actor: str) -> Response:
    return page(request, "actor.html", a=browse.actor(store, actor))
