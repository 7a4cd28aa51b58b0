"""`redline serve`: the web app over the database in the settings, on localhost by default."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from redline.settings import Settings


def serve(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option(help="Address to listen on; 0.0.0.0 exposes it to the network.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, help="Server processes; more use more cores (SQLite in WAL).")
    ] = 1,
) -> None:
    """Serve the web app over the database: pages, their JSON twins and the API.

    Read-only unless REDLINE_WRITE_TOKEN is set; then analysts can correct statements.
    """
    import uvicorn

    from redline.web.app import create_app

    settings: Settings = ctx.obj
    if workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port)
        return
    # each worker process builds its own app from the environment: hand the settings over there
    os.environ["REDLINE_DB"] = settings.db
    uvicorn.run(
        "redline.web.app:create_app_from_env", factory=True, host=host, port=port, workers=workers
    )
