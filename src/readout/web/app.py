"""The web application: server-rendered pages and the JSON API over one readout database.

``create_app(db)`` builds the FastAPI application; ``readout serve`` runs it under uvicorn.
The database is opened read-only (SQLite ``mode=ro`` and ``PRAGMA query_only``), one
connection per worker thread. Ingesting over HTTP (``POST /api/v1/documents``) exists only
when the app is made with ``allow_ingest=True`` and a token, and then writes through the
library's ``ingest`` like ``readout ingest`` does.

Every response carries a Content-Security-Policy that allows scripts, styles, fonts and
images from this server only and no inline script; every script and style sheet is served
from the package (``static/``; the API docs' Swagger UI from the ``fastapi-offline`` package),
so the pages work with no network.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections import OrderedDict
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..errors import ReadoutError, StoreError
from ..store import schema
from ..store.db import Store, db_path

HERE = Path(__file__).resolve().parent
log = logging.getLogger("readout.web")

DEFAULT_MAX_BODY = 2 * 1024 * 1024  # bytes a POST /api/v1/documents may carry
DEFAULT_PAGE = 100
MAX_PAGE = 1000
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _docs_static() -> Path | None:
    """Swagger UI's files as the fastapi-offline package ships them."""
    try:
        import fastapi_offline
    except ImportError:  # pragma: no cover - a dependency of the [web] extra
        return None
    path = Path(fastapi_offline.__file__).resolve().parent / "static"
    return path if path.is_dir() else None


# ------------------------------------------------------------------ the database, read-only
def connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection to ``path`` (which must exist): nothing this server runs can write."""
    conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True, isolation_level=None, timeout=30.0)
    conn.execute("PRAGMA query_only = ON")
    return conn


def check_database(path: str | os.PathLike[str] | None) -> Path:
    """The database file to serve, checked: it exists, is readout's, and is migrated. Errors
    say what to do (``StoreError``)."""
    file = db_path(path)
    if not file.is_file():
        if file.is_dir():
            raise StoreError(f"{file}: is a folder: give the database file with --db")
        raise StoreError(f"{file}: no readout database here: run 'readout ingest FILES --db {file}' (or 'make demo') first, or pass --db")
    try:
        conn = connect_read_only(file)
        try:
            names = {r[0] for r in conn.execute("SELECT name FROM migrations")}
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        raise StoreError(f"{file}: not a readout database: give another --db") from None
    missing = [name for name, _ in schema.MIGRATIONS if name not in names]
    if missing:
        raise StoreError(f"{file}: made by an older readout (lacks {missing[0]}): run 'readout dyads --db {file}' once to migrate it, then serve")
    return file


@dataclass
class Settings:
    """What the app was started with."""

    db: Path
    allow_ingest: bool = False
    token: str | None = None
    max_body: int = DEFAULT_MAX_BODY
    cache: ResponseCache | None = None
    _local: threading.local = field(default_factory=threading.local, repr=False)
    _conns: list[sqlite3.Connection] = field(default_factory=list, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def connection(self) -> sqlite3.Connection:
        """This thread's read-only connection (made on first use, kept for the next request)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = connect_read_only(self.db)
            with self._lock:
                self._conns.append(conn)
        return conn

    def store(self) -> Store:
        """The store, read through the connection of whichever thread uses it."""
        return ThreadStore(self)

    def close(self) -> None:
        with self._lock:
            for conn in self._conns:
                try:
                    conn.close()
                except sqlite3.Error:  # pragma: no cover
                    pass
            self._conns.clear()


class ResponseCache:
    """The API's answers to GET requests, kept while the database is unchanged.

    An answer is a function of the URL, the database's content and today's date (the
    default of ``as_of``); the server never writes, so it is the same until an ingest
    commits. The key holds the URL; the version (size and modification time of the database
    file and of its write-ahead log, and today's date) is checked on every request, so an
    ingest by any process makes every kept answer stale. At most ``entries`` answers of at
    most ``max_bytes`` each, least recently used dropped first; one cache per worker process."""

    def __init__(self, db: Path, entries: int = 512, max_bytes: int = 1 << 20) -> None:
        self.db = db
        self.wal = Path(f"{db}-wal")
        self.entries = entries
        self.max_bytes = max_bytes
        self._data: OrderedDict[str, tuple[tuple[Any, ...], bytes, dict[str, str]]] = OrderedDict()
        self._lock = threading.Lock()

    def version(self) -> tuple[Any, ...]:
        parts: list[Any] = [date.today().toordinal()]
        for path in (self.db, self.wal):
            try:
                st = path.stat()
                parts += [st.st_size, st.st_mtime_ns]
            except OSError:
                parts += [None, None]
        return tuple(parts)

    def get(self, key: str, version: tuple[Any, ...]) -> tuple[bytes, dict[str, str]] | None:
        with self._lock:
            item = self._data.get(key)
            if item is None or item[0] != version:
                return None
            self._data.move_to_end(key)
            return item[1], item[2]

    def put(self, key: str, version: tuple[Any, ...], body: bytes, headers: dict[str, str]) -> None:
        if len(body) > self.max_bytes:
            return
        with self._lock:
            self._data[key] = (version, body, headers)
            self._data.move_to_end(key)
            while len(self._data) > self.entries:
                self._data.popitem(last=False)


class CacheAndHeaders:
    """ASGI middleware: the security headers on every response, ``no-store`` on the API's, and
    the API's GET answers from (and into) the settings' ``ResponseCache``."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.headers = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        api = path.startswith("/api/")
        extra = self.headers + ([(b"cache-control", b"no-store")] if api else [])
        cache = self.settings.cache
        if cache is None or scope["method"] != "GET" or not path.startswith("/api/v1/"):
            async def send_with_headers(message: Message) -> None:
                if message["type"] == "http.response.start":
                    have = {k.lower() for k, _ in message.get("headers", [])}
                    message["headers"] = [*message.get("headers", []), *[(k, v) for k, v in extra if k not in have]]
                await send(message)

            await self.app(scope, receive, send_with_headers)
            return
        key = path + "?" + scope.get("query_string", b"").decode("latin-1")
        version = cache.version()
        hit = cache.get(key, version)
        if hit is not None:
            body, kept = hit
            headers = [(k.encode(), v.encode()) for k, v in kept.items()]
            headers += [(b"content-length", str(len(body)).encode()), (b"x-readout-cache", b"hit"), *extra]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            if message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                body = b"".join(chunks)
                status = int(start.get("status", 500))
                headers = list(start.get("headers", []))
                if status == 200:
                    kept = {k.decode(): v.decode() for k, v in headers if k.lower() in (b"content-type", b"link")}
                    cache.put(key, version, body, kept)
                    headers.append((b"x-readout-cache", b"miss"))
                have = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in extra if k not in have]
                await send({"type": "http.response.start", "status": status, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
            await send(message)

        await self.app(scope, receive, capture)


class ThreadStore(Store):
    """A ``Store`` whose connection is the read-only one of the thread that queries it:
    FastAPI may resolve a dependency in one worker thread and run the endpoint in another,
    and an SQLite connection belongs to the thread that made it."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self.path = settings.db

    @property
    def conn(self) -> sqlite3.Connection:
        return self._settings.connection()

    @conn.setter
    def conn(self, value: sqlite3.Connection) -> None:  # pragma: no cover - Store.__init__ is not called
        raise AttributeError("a ThreadStore's connection is chosen per thread")

    def close(self) -> None:
        """Connections are kept for the thread's next request and closed when the app stops."""


async def get_store(request: Request) -> Store:
    """The FastAPI dependency that hands an endpoint the read-only store (no thread of its own)."""
    settings: Settings = request.app.state.settings
    return settings.store()


# ------------------------------------------------------------------ errors in one shape
def _error_body(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def error_response(request: Request, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    """The API's ``{"error": {"code", "message"}}``, or for a page an HTML page saying the same."""
    if _wants_json(request):
        return JSONResponse(_error_body(code, message), status_code=status, headers=headers)
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, "error.html", {"status": status, "code": code, "message": message},
                                      status_code=status, headers=headers)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body", "header")]
        name = ".".join(loc) or "request"
        parts.append(f"parameter {name!r}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) + ": see /docs for the parameters each endpoint takes"


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ReadoutError)
    async def readout_error(request: Request, exc: ReadoutError) -> Response:
        headers = {"WWW-Authenticate": "Bearer"} if exc.http_status == 401 else None
        return error_response(request, exc.http_status, exc.code, exc.message, headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        return error_response(request, 400, "bad_option", _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return error_response(request, 404, "not_found", f"no such page: {request.url.path}: the API is listed at /docs")
        if exc.status_code == 405:
            return error_response(request, 405, "method_not_allowed", f"{request.method} is not allowed on {request.url.path}: see /docs")
        return error_response(request, exc.status_code, "http_error", str(exc.detail))

    @app.exception_handler(sqlite3.OperationalError)
    async def busy(request: Request, exc: sqlite3.OperationalError) -> Response:
        if "readonly" in str(exc) or "locked" in str(exc):
            return error_response(request, 503, "store_busy",
                                  "the database is being updated (an ingest is running): try again in a moment")
        return await unexpected(request, exc)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        return error_response(request, 500, "internal_error",
                              f"unexpected {type(exc).__name__}: this is a bug in readout: the server's log has the details; please report it")


# ------------------------------------------------------------------ the app
def create_app(
    db: str | os.PathLike[str] | None = None,
    *,
    allow_ingest: bool = False,
    token: str | None = None,
    max_body: int = DEFAULT_MAX_BODY,
    cache: bool = True,
) -> FastAPI:
    """The readout web app over the database ``db`` (default: READOUT_DB, else ./readout.db),
    opened read-only. With ``allow_ingest`` (which needs ``token``), ``POST /api/v1/documents``
    adds documents, at most ``max_body`` bytes a request. With ``cache``, the API's answers are
    kept while the database is unchanged (``ResponseCache``)."""
    if allow_ingest and not token:
        raise StoreError("--allow-ingest needs a token: set READOUT_TOKEN to a long random string, and send it as 'Authorization: Bearer TOKEN'")
    path = check_database(db)
    settings = Settings(path, allow_ingest=allow_ingest, token=token, max_body=max_body, cache=ResponseCache(path) if cache else None)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        yield
        settings.close()

    app = FastAPI(
        title="readout",
        version=__version__,
        summary="A sourced record of talks between states: the channel board, timelines, engagements, "
                "the two sides' accounts of one call, statements, dyads, documents and search.",
        description="Every endpoint returns the same JSON as the matching `readout` command with `--format json`; "
                    "list endpoints take `format=jsonl|csv` and page with `limit` and `offset` (a `Link` header names the "
                    "next page). Errors: `{\"error\": {\"code\", \"message\"}}` with status 400, 401, 403, 404, 413 or 500.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    from . import render

    render.install(templates.env)
    app.state.templates = templates

    app.add_middleware(CacheAndHeaders, settings=settings)

    _install_error_handlers(app)
    docs = _docs_static()
    if docs is not None:  # before /static, which would take its paths
        app.mount("/static/docs", StaticFiles(directory=str(docs)), name="docs-static")
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.get("/docs", include_in_schema=False)
    def api_docs(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(request, "docs.html", {"available": docs is not None})

    def openapi() -> dict[str, Any]:
        """FastAPI's description with this API's errors: 400 (not FastAPI's 422) and one error shape."""
        if app.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi

            spec = get_openapi(title=app.title, version=app.version, summary=app.summary, description=app.description,
                               routes=app.routes)
            error = {"description": "an error: {\"error\": {\"code\", \"message\"}}",
                     "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            for path, methods in spec.get("paths", {}).items():
                for method, op in methods.items():
                    responses = op.setdefault("responses", {})
                    responses.pop("422", None)
                    responses["400"] = {**error, "description": "a parameter is wrong; the message names it"}
                    if "{" in path:
                        responses["404"] = {**error, "description": "no such record"}
                    if method == "post":
                        responses["401"] = {**error, "description": "no or wrong bearer token"}
                        responses["403"] = {**error, "description": "the server was not started with --allow-ingest"}
                        responses["413"] = {**error, "description": "the body is over the size limit"}
                    responses["500"] = {**error, "description": "a bug in readout (no traceback is sent)"}
            schemas = spec.setdefault("components", {}).setdefault("schemas", {})
            schemas.pop("HTTPValidationError", None)
            schemas.pop("ValidationError", None)
            schemas["Error"] = {"type": "object", "required": ["error"], "properties": {"error": {
                "type": "object", "required": ["code", "message"],
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}}
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        return FileResponse(HERE / "static" / "favicon.svg", media_type="image/svg+xml")

    from . import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    return app
