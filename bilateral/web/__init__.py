"""The local web app (Starlette on uvicorn): pages and a JSON API over one knowledge base."""

from __future__ import annotations

import os
from pathlib import Path

from starlette.applications import Starlette

from ..checks import KnowledgeBaseError
from .app import create_app

__all__ = ["create_app", "from_environment", "serve"]
DB_VARIABLE = "BILATERAL_SERVE_DB"


def serve(
    db: str | Path, host: str = "127.0.0.1", port: int = 8000, workers: int = 1, review: bool = False
) -> None:
    """Run the app on a real ASGI server until interrupted; `workers` > 1 starts that many server
    processes (each with its own snapshot), which uvicorn imports by name; `review` lets analysts
    judge events (one process: its forms' token is the process's). No WebSocket support: the app
    has no such route, and uvicorn would import a WebSocket library before listening."""
    import uvicorn

    if review and workers > 1:
        raise KnowledgeBaseError("review mode runs one server process: drop --workers")

    if workers > 1:
        os.environ[DB_VARIABLE] = str(db)
        uvicorn.run(
            "bilateral.web:from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="info",
            ws="none",
        )
    else:
        app = create_app(db, review=review, hosts=[host] if host not in ("0.0.0.0", "::") else [])
        uvicorn.run(app, host=host, port=port, log_level="info", ws="none")


def from_environment() -> Starlette:
    """The app of a worker process: the knowledge base `serve` named in the environment."""
    return create_app(os.environ[DB_VARIABLE])
