"""`redline serve`: the web app over the database in the settings, on localhost by default."""

from __future__ import annotations

from typing import Annotated

import typer

from redline.settings import Settings


def serve(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option(help="Address to listen on; 0.0.0.0 exposes it to the network.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
) -> None:
    """Serve the web app over the database: pages, their JSON twins and the API.

    Read-only unless REDLINE_WRITE_TOKEN is set; then analysts can correct statements.
    """
    import uvicorn

    from redline.web.app import create_app

    settings: Settings = ctx.obj
    uvicorn.run(create_app(settings), host=host, port=port)
