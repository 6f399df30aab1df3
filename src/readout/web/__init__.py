"""readout's web app and HTTP API (``readout serve``): install with ``pip install 'readout[web]'``.

``create_app(db)`` builds the FastAPI application over one database, opened read-only;
``serve(db, host, port)`` runs it under uvicorn.
"""

from __future__ import annotations

from .app import create_app
from .server import serve

__all__ = ["create_app", "serve"]
