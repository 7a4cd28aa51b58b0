"""The web app: server-rendered pages over the store, each with a JSON twin, and a JSON API.

    app = create_app(settings)      # uvicorn.run(app) or `redline serve`

One Store per app, opened in the lifespan and reached through `Site`; routes (routes.py) read
their input, call one function of views.py (review.py for corrections) and hand its dict to
`render`, which returns the template or the same dict as JSON. A server (`redline serve`) also
computes what the slowest pages need in a background thread at startup (warm.py).

Read-only unless `write_token` is set; then corrections can be posted and articles ingested
(`/ingest`, run in the background by jobs.py), guarded by guard.py.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from anyio import to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from redline import __version__
from redline.coding import Coder
from redline.errors import BadCorrection, BadSearch, StatementNotFound
from redline.settings import Settings
from redline.store import Store
from redline.web import routes, warm
from redline.web.jobs import Jobs
from redline.web.pagecache import PageCache
from redline.web.render import build_templates, error_response
from redline.web.views import Site

HERE = Path(__file__).resolve().parent
# Worker threads for the (synchronous) page functions; see the lifespan.
THREADS = 4
# Allocations between young-generation collections (CPython's default is 700).
GC_THRESHOLD = 20_000

# Everything the pages use is served from here; nothing is loaded from another origin.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


async def _http_error(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, StarletteHTTPException):  # pragma: no cover - registered for it
        raise exc
    response = error_response(request, exc.status_code, str(exc.detail))
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _validation_error(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, RequestValidationError):  # pragma: no cover - registered for it
        raise exc
    problems = []
    for e in exc.errors():
        where = ".".join(str(part) for part in e.get("loc", ())[1:])
        problems.append(f"{where}: {e.get('msg', 'invalid')}" if where else str(e.get("msg")))
    return error_response(request, 422, "; ".join(problems) or "invalid request")


async def _redline_error(request: Request, exc: Exception) -> Response:
    """Errors the library raises on a user's input: a missing statement, a bad value or query."""
    status = 404 if isinstance(exc, StatementNotFound) else 422
    return error_response(request, status, str(exc))


def create_app(settings: Settings, *, warm_up: bool = False) -> FastAPI:
    """The app for `settings.db`; the registry and taxonomy are loaded now, the store at startup.
    `warm_up` (a server's) computes what the slowest pages need in the background at startup."""
    # No embeddings: the app codes nothing new, it only reads polarity for claims and positions.
    coder = Coder(settings, embeddings=False)
    registry, taxonomy = coder.registry, coder.taxonomy

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = Store(settings.db)
        site = Site(
            store=store, registry=registry, taxonomy=taxonomy, coder=coder, settings=settings
        )
        app.state.site = site
        # Pages are CPU work under one GIL: a few threads keep SQLite's waits overlapped,
        # more only switch between requests more often and answer them all later.
        to_thread.current_default_thread_limiter().total_tokens = THREADS
        warming = warm.start(site) if warm_up else None
        try:
            yield
        finally:
            if warming is not None:
                warming.stop()
            store.close()

    app = FastAPI(
        title="redline",
        version=__version__,
        description="Attributed statements and contradictions in Russia–Ukraine diplomacy.",
        lifespan=lifespan,
        # Swagger UI and ReDoc load scripts from a CDN; the schema stays at /openapi.json.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.jobs = Jobs(settings)
    app.state.templates = build_templates(
        registry, taxonomy, writable=settings.write_token is not None
    )
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    for error in (BadCorrection, BadSearch, StatementNotFound):
        app.add_exception_handler(error, _redline_error)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(routes.router)

    app.add_middleware(SecurityHeaders)
    # Outermost, so that a kept page is kept with its headers.
    app.add_middleware(
        PageCache, version=_data_version, max_bytes=int(settings.page_cache_mb * 1024 * 1024)
    )
    return app


def _data_version(scope: Scope) -> int | None:
    """The store's data version, for the page cache; None before the store is open."""
    site: Site | None = getattr(scope["app"].state, "site", None)
    return None if site is None else site.store.data_version()


class SecurityHeaders:
    """ASGI middleware: the headers of `SECURITY_HEADERS` on every response that lacks them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app_from_env() -> FastAPI:
    """The app with settings read afresh (redline.toml, REDLINE_*): for uvicorn's worker processes."""
    app = create_app(Settings(), warm_up=True)
    tune_process()
    return app


def tune_process() -> None:
    """For a server process, before it serves: the objects made so far (registry, taxonomy,
    models) live as long as the process, so the garbage collector stops walking them, and it
    runs less often; a page makes many small objects, and each full walk stalls every request
    in the process."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, 20, 50)
