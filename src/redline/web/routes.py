"""Routes: each reads its query, calls one function of `views`, and renders the dict it returns.

Every page answers at three paths, all from the same function: the HTML page (`/statements`),
its JSON twin (`/statements.json`; `/index.json` for `/`) and the API (`/api/statements`), which
is the one documented in `/openapi.json`. A `.json` route is registered before the page route
with the same prefix, so `/statements/ab12.json` is never read as the id `ab12.json`.

Write routes (corrections) read their body themselves, through `guard.read_body`, so that the
size cap holds before anything is parsed; `guard` also checks the write token and, for forms,
the CSRF token.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BeforeValidator, ValidationError
from starlette.formparsers import MultiPartException, MultiPartParser

from redline.errors import RedlineError
from redline.models import ContradictionKind
from redline.store import SearchKind
from redline.web import actors, guard, issues, jobs, places, review, views
from redline.web.jobs import Jobs
from redline.web.render import render, wants_json
from redline.web.views import (
    ContradictionFilters,
    Paging,
    SearchFilters,
    Site,
    StatementFilters,
)

router = APIRouter()

# The dependencies below only read the request: they are coroutines, so FastAPI calls them on
# the event loop. A plain `def` would send each to the worker threads and back, a hop per
# dependency per request, queued behind the pages being computed there.


def _blank_is_none(value: Any) -> Any:
    """An empty form field (`?since=`) means no filter, not a bad value."""
    return None if value == "" else value


Blank = BeforeValidator(_blank_is_none)
Day = Annotated[date | None, Blank]
Text = Annotated[str | None, Blank]


async def get_site(request: Request) -> Site:
    site: Site = request.app.state.site
    return site


SiteDep = Annotated[Site, Depends(get_site)]


async def paging(
    page: Annotated[int, Query(ge=1, description="Page number, from 1.")] = 1,
    per_page: Annotated[
        int, Query(ge=1, description=f"Items per page (at most {views.MAX_PER_PAGE}).")
    ] = 50,
) -> Paging:
    return Paging(page, per_page).clamped()


async def statement_filters(
    actor: Annotated[Text, Query(description="Actor id, or part of a speaker's name.")] = None,
    side: Annotated[Text, Query(description="Side, e.g. russia, ukraine, us.")] = None,
    issue: Annotated[Text, Query(description="Issue id, e.g. sanctions.")] = None,
    since: Annotated[Day, Query(description="From this date (YYYY-MM-DD), inclusive.")] = None,
    until: Annotated[Day, Query(description="Up to this date (YYYY-MM-DD), inclusive.")] = None,
    institution: Annotated[
        Text, Query(description="The body spoken for, e.g. Kremlin, Russian Foreign Ministry.")
    ] = None,
) -> StatementFilters:
    return StatementFilters(
        actor=actor, side=side, issue=issue, since=since, until=until, institution=institution
    )


async def search_filters(
    q: Annotated[
        Text,
        Query(
            max_length=500,
            description='Words (all must match), "a phrase", prefix*, and OR between them.',
        ),
    ] = None,
    kind: Annotated[
        Annotated[SearchKind | None, Blank], Query(description="statements (default) or docs.")
    ] = None,
    side: Annotated[
        Text, Query(description="Side of the statement (docs: of one of them).")
    ] = None,
    issue: Annotated[
        Text, Query(description="Issue id (docs: of one of their statements).")
    ] = None,
    since: Annotated[Day, Query(description="From this date (YYYY-MM-DD), inclusive.")] = None,
    until: Annotated[Day, Query(description="Up to this date (YYYY-MM-DD), inclusive.")] = None,
) -> SearchFilters:
    return SearchFilters(
        q=q, kind=kind or "statements", side=side, issue=issue, since=since, until=until
    )


async def contradiction_filters(
    kind: Annotated[
        Annotated[ContradictionKind | None, Blank], Query(description="self, same-side, reversal.")
    ] = None,
    side: Annotated[Text, Query(description="Either statement is of this side.")] = None,
    issue: Annotated[Text, Query(description="Either statement is on this issue.")] = None,
    since: Annotated[Day, Query(description="The later statement is from this date on.")] = None,
) -> ContradictionFilters:
    return ContradictionFilters(kind=kind, side=side, issue=issue, since=since)


def _found(data: dict[str, Any] | None, what: str) -> dict[str, Any]:
    if data is None:
        raise HTTPException(status_code=404, detail=f"no {what}")
    return data


@router.get("/api/dashboard", summary="Counts and the latest statements and contradictions")
@router.get("/index.json", include_in_schema=False)
@router.get("/", include_in_schema=False, response_class=HTMLResponse)
def dashboard(
    request: Request,
    site: SiteDep,
    since: Annotated[Day, Query(description="Only from this date (YYYY-MM-DD).")] = None,
) -> Response:
    return render(request, "index.html", views.dashboard(site, since=since))


@router.get("/api/statements", summary="Statements, filtered and paged")
@router.get("/statements.json", include_in_schema=False)
@router.get("/statements", include_in_schema=False, response_class=HTMLResponse)
def statements(
    request: Request,
    site: SiteDep,
    filters: Annotated[StatementFilters, Depends(statement_filters)],
    page: Annotated[Paging, Depends(paging)],
) -> Response:
    return render(request, "statements.html", views.statement_list(site, filters, page))


@router.get("/api/statements/{stmt_id}", summary="A statement in its paragraph, with its pairs")
@router.get("/statements/{stmt_id}", include_in_schema=False, response_class=HTMLResponse)
@router.get("/statements/{stmt_id}.json", include_in_schema=False)
def statement(
    request: Request, site: SiteDep, stmt_id: Annotated[str, Path(max_length=64)]
) -> Response:
    data = _found(views.statement_page(site, stmt_id), f"statement {stmt_id!r}")
    settings = guard.settings_of(request)
    if wants_json(request) or not guard.writable(settings):
        return render(request, "statement.html", data)
    csrf = guard.csrf_for(request, settings)
    response = render(request, "statement.html", data, form={"csrf": csrf.token})
    guard.set_csrf_cookie(request, response, csrf)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/statements/{stmt_id}/corrections", include_in_schema=False)
async def correct_by_form(
    request: Request, site: SiteDep, stmt_id: Annotated[str, Path(max_length=64)]
) -> Response:
    settings = guard.settings_of(request)
    guard.require_writable(settings)
    body = await guard.read_body(request, max_mb=settings.max_upload_mb)
    kind = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise HTTPException(status_code=415, detail="send the review form (urlencoded)")
    form = review.read_form(body)
    guard.require_token(request, settings, form_token=form.get(guard.TOKEN_FIELD))
    guard.require_csrf(request, settings, form.get(guard.CSRF_FIELD))
    await run_in_threadpool(
        review.correct,
        site,
        stmt_id,
        review.form_changes(form),
        author=form.get("author", ""),
        note=form.get("note"),
    )
    return RedirectResponse(f"/statements/{quote(stmt_id, safe='')}", status_code=303)


@router.post(
    "/api/statements/{stmt_id}/corrections",
    summary="Correct a statement; returns it as it now reads",
    description="Needs `Authorization: Bearer <write token>`. Give only the fields to change.",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": review.CorrectionIn.model_json_schema()}},
        }
    },
)
async def correct_by_api(
    request: Request, site: SiteDep, stmt_id: Annotated[str, Path(max_length=64)]
) -> Response:
    settings = guard.settings_of(request)
    guard.require_token(request, settings)
    body = await guard.read_body(request, max_mb=settings.max_upload_mb)
    try:
        given = review.CorrectionIn.model_validate_json(body)
    except ValidationError as e:
        raise RequestValidationError(
            [{**err, "loc": ("body", *err["loc"])} for err in e.errors()]
        ) from e
    data = await run_in_threadpool(
        review.correct, site, stmt_id, given.changes(), author=given.author, note=given.note
    )
    return render(request, "statement.html", data)


@router.get("/api/docs", summary="Articles, newest first, paged")
@router.get("/docs.json", include_in_schema=False)
@router.get("/docs", include_in_schema=False, response_class=HTMLResponse)
def docs(request: Request, site: SiteDep, page: Annotated[Paging, Depends(paging)]) -> Response:
    return render(request, "docs.html", views.doc_list(site, page))


@router.get("/api/docs/{doc_id}", summary="An article with its statements")
@router.get("/docs/{doc_id}", include_in_schema=False, response_class=HTMLResponse)
@router.get("/docs/{doc_id}.json", include_in_schema=False)
def doc(request: Request, site: SiteDep, doc_id: Annotated[str, Path(max_length=64)]) -> Response:
    return render(request, "doc.html", _found(views.doc_page(site, doc_id), f"doc {doc_id!r}"))


@router.get(
    "/api/actors/{actor_id}",
    summary="An actor's roles, positions and statements by issue; statements paged",
)
@router.get("/actors/{actor_id}", include_in_schema=False, response_class=HTMLResponse)
@router.get("/actors/{actor_id}.json", include_in_schema=False)
def actor(
    request: Request,
    site: SiteDep,
    actor_id: Annotated[str, Path(max_length=120)],
    page: Annotated[Paging, Depends(paging)],
) -> Response:
    data = actors.actor_page(site, actor_id, page)
    if data is None:
        # `/actors/lavrov` goes to the registry's `/actors/sergey-lavrov`, in the same form.
        known = actors.find_actor(site, actor_id)
        if known is not None and known.id != actor_id:
            path = request.url.path
            api = path.startswith("/api/")
            suffix = ".json" if path.endswith(".json") and not api else ""
            moved = f"{'/api' if api else ''}/actors/{known.id}{suffix}"
            if request.url.query:
                moved += f"?{request.url.query}"
            return RedirectResponse(moved, status_code=307)
    return render(request, "actor.html", _found(data, f"actor {actor_id!r}"))


@router.get("/api/contradictions", summary="Contradicting pairs, filtered and paged")
@router.get("/contradictions.json", include_in_schema=False)
@router.get("/contradictions", include_in_schema=False, response_class=HTMLResponse)
def contradictions(
    request: Request,
    site: SiteDep,
    filters: Annotated[ContradictionFilters, Depends(contradiction_filters)],
    page: Annotated[Paging, Depends(paging)],
) -> Response:
    return render(request, "contradictions.html", views.contradiction_list(site, filters, page))


@router.get("/api/search", summary="Statements or articles by their words, matches marked")
@router.get("/search.json", include_in_schema=False)
@router.get("/search", include_in_schema=False, response_class=HTMLResponse)
def search(
    request: Request,
    site: SiteDep,
    filters: Annotated[SearchFilters, Depends(search_filters)],
    page: Annotated[Paging, Depends(paging)],
) -> Response:
    return render(request, "search.html", views.search_page(site, filters, page))


# -- map, places, issues ----------------------------------------------------------------------


@router.get("/api/map", summary="Tiles of Ukraine's regions: control and territorial claims")
@router.get("/map.json", include_in_schema=False)
@router.get("/map", include_in_schema=False, response_class=HTMLResponse)
def map_(request: Request, site: SiteDep) -> Response:
    return render(request, "map.html", places.map_page(site))


@router.get("/api/places/{code}", summary="A place: control, claims, statements targeting it")
@router.get("/places/{code}", include_in_schema=False, response_class=HTMLResponse)
@router.get("/places/{code}.json", include_in_schema=False)
def place(
    request: Request,
    site: SiteDep,
    code: Annotated[str, Path(max_length=128)],
    page: Annotated[Paging, Depends(paging)],
) -> Response:
    data = _found(places.place_page(site, code, page), f"place {code!r}")
    return render(request, "place.html", data)


@router.get("/api/issues", summary="The issues of the taxonomy, with statement counts")
@router.get("/issues.json", include_in_schema=False)
@router.get("/issues", include_in_schema=False, response_class=HTMLResponse)
def issue_index(request: Request, site: SiteDep) -> Response:
    return render(request, "issues.html", issues.issue_index(site))


@router.get("/api/issues/{issue_id}", summary="An issue: counts, latest, pairs, positions")
@router.get("/issues/{issue_id}", include_in_schema=False, response_class=HTMLResponse)
@router.get("/issues/{issue_id}.json", include_in_schema=False)
def issue(
    request: Request, site: SiteDep, issue_id: Annotated[str, Path(max_length=128)]
) -> Response:
    data = _found(issues.issue_page(site, issue_id), f"issue {issue_id!r}")
    return render(request, "issue.html", data)


# -- ingest -----------------------------------------------------------------------------------


def get_jobs(request: Request) -> Jobs:
    found: Jobs = request.app.state.jobs
    return found


@router.get("/ingest", include_in_schema=False, response_class=HTMLResponse)
def ingest_form(request: Request) -> Response:
    settings = guard.settings_of(request)
    data = {"max_upload_mb": settings.max_upload_mb, "max_files": jobs.MAX_FILES}
    if not guard.writable(settings):
        return render(request, "ingest.html", data)
    csrf = guard.csrf_for(request, settings)
    response = render(request, "ingest.html", data, form={"csrf": csrf.token})
    guard.set_csrf_cookie(request, response, csrf)
    response.headers["Cache-Control"] = "no-store"
    return response


async def _ingest_form(request: Request, body: bytes) -> tuple[dict[str, str], dict[str, bytes]]:
    """The form's text fields and its uploaded files (name -> bytes; empty choices left out)."""
    kind = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if kind == "application/x-www-form-urlencoded":
        return review.read_form(body), {}
    if kind != "multipart/form-data":
        raise HTTPException(status_code=415, detail="send the ingest form (multipart)")

    async def once() -> AsyncGenerator[bytes, None]:
        yield body

    parser = MultiPartParser(
        request.headers, once(), max_files=jobs.MAX_FILES, max_fields=20, max_part_size=1 << 20
    )
    try:
        form = await parser.parse()
    except MultiPartException as e:
        raise HTTPException(status_code=400, detail=f"bad form: {e.message}") from e
    fields: dict[str, str] = {}
    files: dict[str, bytes] = {}
    for name, value in form.multi_items():
        if isinstance(value, str):
            fields.setdefault(name, value)
        elif value.filename:
            data = await value.read()
            if data:
                files[f"{len(files)}/{value.filename}"] = data
    await form.close()
    return fields, files


@router.post("/ingest", include_in_schema=False)
async def ingest_start(request: Request, site: SiteDep) -> Response:
    settings = guard.settings_of(request)
    guard.require_writable(settings)
    body = await guard.read_body(request, max_mb=settings.max_upload_mb)
    fields, files = await _ingest_form(request, body)
    guard.require_token(request, settings, form_token=fields.get(guard.TOKEN_FIELD))
    guard.require_csrf(request, settings, fields.get(guard.CSRF_FIELD))
    try:
        urls = jobs.urls_of(fields.get("urls", ""))
        job = get_jobs(request).start(
            site.store, urls=urls, files={k.partition("/")[2]: v for k, v in files.items()}
        )
    except jobs.Busy as e:
        raise HTTPException(status_code=409, detail=str(e)) from e
    except RedlineError as e:
        raise HTTPException(status_code=422, detail=str(e)) from e
    return RedirectResponse(f"/ingest/jobs/{job.id}", status_code=303)


@router.get("/api/ingest/jobs/{job_id}", summary="An ingest job's progress")
@router.get("/ingest/jobs/{job_id}", include_in_schema=False, response_class=HTMLResponse)
@router.get("/ingest/jobs/{job_id}.json", include_in_schema=False)
def ingest_job(request: Request, job_id: Annotated[str, Path(max_length=64)]) -> Response:
    job = get_jobs(request).get(job_id)
    data = _found(job.as_dict() if job else None, f"ingest job {job_id!r}")
    response = render(request, "job.html", data)
    response.headers["Cache-Control"] = "no-store"
    return response
