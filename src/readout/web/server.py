"""``readout serve``: the web app under uvicorn.

``serve`` checks what can be checked before the server starts (the database, the token, the
port), so that a mistake is one line that says what to do, then runs uvicorn with
``app_factory``, which builds the app in each worker process from the settings ``serve``
put in the environment.
"""

from __future__ import annotations

import errno
import os
import socket
from pathlib import Path

from fastapi import FastAPI

from ..errors import OptionError, StoreError
from .app import DEFAULT_MAX_BODY, check_database, create_app

ENV_TOKEN = "READOUT_TOKEN"
_ENV_DB, _ENV_INGEST, _ENV_MAX, _ENV_CACHE = "READOUT_SERVE_DB", "READOUT_SERVE_ALLOW_INGEST", "READOUT_SERVE_MAX_BODY", "READOUT_SERVE_CACHE"


def app_factory() -> FastAPI:
    """The app for one uvicorn worker, from the environment ``serve`` set."""
    return create_app(
        os.environ[_ENV_DB],
        allow_ingest=os.environ.get(_ENV_INGEST) == "1",
        token=os.environ.get(ENV_TOKEN) or None,
        max_body=int(os.environ.get(_ENV_MAX) or DEFAULT_MAX_BODY),
        cache=os.environ.get(_ENV_CACHE, "1") == "1",
    )


def check_port(host: str, port: int) -> None:
    """An ``OptionError`` when ``host:port`` cannot be bound (in use, or not an address here)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise OptionError(f"--port {port}: already in use on {host}: stop the other server or pass another --port") from None
            raise OptionError(f"--host {host!r}: cannot listen there ({exc.strerror}): give an address of this machine, e.g. 127.0.0.1") from None


def serve(
    db: str | os.PathLike[str] | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    allow_ingest: bool = False,
    max_body: int = DEFAULT_MAX_BODY,
    cache: bool = True,
    log_level: str = "info",
    announce: bool = True,
) -> None:
    """Serve the database ``db`` read-only at ``http://host:port/`` until stopped."""
    import uvicorn

    path: Path = check_database(db)
    token = os.environ.get(ENV_TOKEN) or None
    if allow_ingest and not token:
        raise StoreError("--allow-ingest needs a token: set READOUT_TOKEN to a long random string; clients send 'Authorization: Bearer TOKEN'")
    check_port(host, port)
    os.environ[_ENV_DB] = str(path.resolve())
    os.environ[_ENV_INGEST] = "1" if allow_ingest else "0"
    os.environ[_ENV_MAX] = str(max_body)
    os.environ[_ENV_CACHE] = "1" if cache else "0"
    if announce:
        shown = f"[{host}]" if ":" in host else host
        print(f"readout: serving {path} (read-only{', ingest allowed with the token' if allow_ingest else ''}) "
              f"at http://{shown}:{port}/ - the API at http://{shown}:{port}/docs - Ctrl-C stops", flush=True)
    uvicorn.run("readout.web.server:app_factory", factory=True, host=host, port=port, workers=workers,
                log_level=log_level, access_log=log_level == "debug", server_header=False)
