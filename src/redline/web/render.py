"""Pages and their JSON twins from one dict: `render` picks the template or JSON by the path."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any, get_args

import jinja2
from fastapi import Request
from fastapi.responses import JSONResponse, Response
from fastapi.templating import Jinja2Templates

from redline import __version__
from redline.coding import Registry, Taxonomy
from redline.models import STANCES, ContradictionKind
from redline.web import cells
from redline.web.highlight import highlight
from redline.web.timeline import timeline_svg

TEMPLATES = Path(__file__).resolve().parent / "templates"


def wants_json(request: Request) -> bool:
    """JSON for the API and for a page's `.json` twin; HTML otherwise."""
    path = request.url.path
    return path.startswith("/api/") or path.endswith(".json")


def json_url(request: Request) -> str:
    """The JSON twin of the page being shown, with the same query."""
    path = request.url.path
    twin = "/index.json" if path == "/" else path.rstrip("/") + ".json"
    return f"{twin}?{request.url.query}" if request.url.query else twin


def page_url(request: Request, page: int) -> str:
    """This page's URL with `page` replaced (for the pager)."""
    url = request.url.include_query_params(page=page)
    return f"{url.path}?{url.query}"


def build_templates(
    registry: Registry, taxonomy: Taxonomy, *, writable: bool = False
) -> Jinja2Templates:
    """The templates, with what every page may use; `writable` shows the review forms."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every template, whatever its name: article text is untrusted
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    labels = {i.id: i.label for i in taxonomy.issues.values()}

    def truncate(text: str, length: int) -> str:
        return str(jinja2.filters.do_truncate(env, text, length))

    env.globals.update(
        fixed=cells.fixed,
        day=cells.day,
        speaker=cells.speaker,
        issues=partial(cells.issues, labels=labels),
        stance=cells.stance,
        statement_row=partial(cells.statement_row, labels=labels, truncate=truncate),
        side_of_pair=partial(cells.side_of_pair, truncate=truncate),
        highlight=highlight,
        timeline_svg=timeline_svg,
        json_url=json_url,
        page_url=page_url,
        version=__version__,
        issue_labels=labels,
        sides=sorted({a.side for a in registry.actors.values()} | {"unknown"}),
        kinds=list(get_args(ContradictionKind)),
        stances=list(STANCES),
        writable=writable,
    )
    return Jinja2Templates(env=env)


def render(
    request: Request,
    template: str,
    data: dict[str, Any],
    *,
    status: int = 200,
    form: dict[str, Any] | None = None,
) -> Response:
    """The page: `template` rendered from `data`, or `data` itself as JSON for the twin and API.

    `form` is what the page's forms need besides the data (a CSRF token): template only.
    """
    if wants_json(request):
        return JSONResponse(data, status_code=status)
    templates: Jinja2Templates = request.app.state.templates
    context = {**data, "form": form or {}}
    return templates.TemplateResponse(request, template, context, status_code=status)


def error_response(request: Request, status: int, message: str) -> Response:
    """One error shape everywhere: `{"error": {"status", "message"}}`, or the error page."""
    return render(
        request,
        "error.html",
        {"error": {"status": status, "message": message}},
        status=status,
    )
