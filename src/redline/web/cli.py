"""`redline serve`: the web app over the database in the settings, on localhost by default."""

from __future__ import annotations

import os
import socket
from typing import TYPE_CHECKING, Annotated

import typer

from redline.settings import Settings

if TYPE_CHECKING:
    import uvicorn


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

    Read-only unless REDLINE_WRITE_TOKEN is set; then analysts can correct statements. Each
    process keeps the pages it served until the data changes (REDLINE_PAGE_CACHE_MB, 0 for none).
    """
    import uvicorn

    from redline.web.app import create_app, tune_process

    settings: Settings = ctx.obj
    if workers == 1:
        app = create_app(settings, warm_up=True)
        tune_process()
        uvicorn.run(app, host=host, port=port)
        return
    # each worker process builds its own app from the environment: hand the settings over there
    os.environ["REDLINE_DB"] = settings.db
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config(
        "redline.web.app:create_app_from_env", factory=True, host=host, port=port, workers=workers
    )
    Multiprocess(config, sockets=[tcp_socket(config)]).run()


def tcp_socket(config: uvicorn.Config) -> socket.socket:
    """The listening socket for worker processes, as uvicorn binds it but marked as TCP.

    uvicorn binds it with protocol 0, and asyncio sets TCP_NODELAY only on connections of a
    socket that says it is TCP: without it each keep-alive answer waits about 40 ms for the
    client's delayed ACK (Nagle's algorithm; Kludex/uvicorn#3149). Same descriptor, same port.
    """
    sock = config.bind_socket()
    tcp = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
    tcp.set_inheritable(True)
    return tcp
