"""The `redline` command: a thin shell over the library. Checks input, calls one function, shows."""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from redline import __version__
from redline.errors import IngestError, RedlineError
from redline.evaluate.cli import eval_app
from redline.settings import Settings, get_settings
from redline.web.cli import serve as web_serve

app = typer.Typer(
    help="redline: who said what in wartime diplomacy, with the evidence.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
console = Console()
err = Console(stderr=True)


class Format(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


class PairFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"


class ExportWhat(StrEnum):
    statements = "statements"
    contradictions = "contradictions"
    actors = "actors"


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"
    plover = "plover"


class BriefFormat(StrEnum):
    md = "md"
    html = "html"
    pdf = "pdf"


def _settings(ctx: typer.Context) -> Settings:
    settings: Settings = ctx.obj
    return settings


def _date(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=name) from None


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[
        str | None, typer.Option("--db", envvar="REDLINE_DB", help="SQLite file or SQLAlchemy URL.")
    ] = None,
    version: Annotated[bool, typer.Option("--version", help="Show the version and exit.")] = False,
) -> None:
    """Global options."""
    if version:
        console.print(f"redline {__version__}")
        raise typer.Exit()
    settings = get_settings()
    ctx.obj = settings.model_copy(update={"db": db}) if db else settings


@app.command()
def ingest(
    ctx: typer.Context,
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive) or http(s) URLs.")],
    published: Annotated[
        str | None, typer.Option(help="Publication date for inputs without one.")
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1, help="Worker processes for extraction (each loads its own models, ~1 GB)."
        ),
    ] = 1,
) -> None:
    """Read articles into the database, extract and code statements, and relink contradictions."""
    from redline.pipeline import Analyser
    from redline.pipeline import ingest as run_ingest
    from redline.report.tables import report_line
    from redline.store import open_store

    settings = _settings(ctx)
    day = _date(published, "--published")
    with (
        Analyser(settings, workers=workers) as analyser,
        open_store(settings.db) as store,
        Progress(
            TextColumn("[bold]ingest"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            console=err,
            transient=True,
        ) as progress,
    ):
        task = progress.add_task("", total=None)
        report = run_ingest(
            paths,
            store=store,
            settings=settings,
            published=day,
            on_item=lambda src: progress.update(task, advance=1, description=src[-60:]),
            analyser=analyser,
        )
    for line in report.errors:
        err.print(f"[red]error[/red] {line}", highlight=False, soft_wrap=True)
    console.print(report_line(report), soft_wrap=True)
    if report.errors and not report.new and not report.duplicates:
        raise typer.Exit(1)


@app.command()
def extract(
    paths: Annotated[
        list[str], typer.Argument(help="Files, folders or URLs to read (no database).")
    ],
    published: Annotated[
        str | None, typer.Option(help="Publication date (YYYY-MM-DD) to resolve dates against.")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="table, jsonl or csv.")] = Format.table,
    workers: Annotated[
        int,
        typer.Option(
            min=1, help="Worker processes for extraction (each loads its own models, ~1 GB)."
        ),
    ] = 1,
) -> None:
    """Extract statements from articles and print them, without touching a database."""
    from redline.pipeline import Analyser, analyse_sources
    from redline.report.serialize import csv_text, jsonl, statement_dict
    from redline.report.tables import statements_table

    settings = get_settings()
    day = _date(published, "--published")
    failed = 0
    rows: list[dict[str, object]] = []
    with Analyser(settings, workers=workers) as analyser:
        items = list(analyse_sources(paths, settings=settings, published=day, analyser=analyser))
    for item in items:
        if isinstance(item, IngestError):
            err.print(f"[red]error[/red] {item}", highlight=False, soft_wrap=True)
            failed += 1
            continue
        if fmt is Format.table:
            console.print(
                statements_table(item.statements, title=item.doc.title or item.doc.source)
            )
        else:
            rows.extend(statement_dict(s) for s in item.statements)
    if fmt is Format.jsonl:
        for line in jsonl(rows):
            sys.stdout.write(line + "\n")
    elif fmt is Format.csv:
        sys.stdout.write(csv_text(rows))
    if failed and failed == len(items):  # every article read failed: nothing was extracted
        raise typer.Exit(1)


@app.command()
def statements(
    ctx: typer.Context,
    actor: Annotated[str | None, typer.Option(help="Actor id or part of a name.")] = None,
    side: Annotated[str | None, typer.Option(help="Side, e.g. russia, ukraine, us.")] = None,
    issue: Annotated[str | None, typer.Option(help="Issue id, e.g. sanctions.")] = None,
    since: Annotated[str | None, typer.Option(help="From this date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date (YYYY-MM-DD).")] = None,
    institution: Annotated[
        str | None,
        typer.Option(help="The body spoken for, e.g. Kremlin, 'Russian Foreign Ministry'."),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="table, jsonl or csv.")] = Format.table,
) -> None:
    """List stored statements, filtered."""
    from redline.report.serialize import csv_text, jsonl, statement_dict
    from redline.report.tables import statements_table
    from redline.store import open_store

    with open_store(_settings(ctx).db) as store:
        found = store.statements(
            actor=actor,
            side=side,
            issue=issue,
            since=_date(since, "--since"),
            until=_date(until, "--until"),
            institution=institution,
        )
    if fmt is Format.table:
        console.print(statements_table(found))
    elif fmt is Format.jsonl:
        for line in jsonl(statement_dict(s) for s in found):
            sys.stdout.write(line + "\n")
    else:
        sys.stdout.write(csv_text(statement_dict(s) for s in found))


@app.command()
def contradictions(
    ctx: typer.Context,
    fmt: Annotated[PairFormat, typer.Option("--format", help="table or jsonl.")] = PairFormat.table,
) -> None:
    """List contradicting pairs of statements with the reason and both citations."""
    from redline.report.serialize import contradiction_dict, jsonl
    from redline.report.tables import contradictions_table
    from redline.store import open_store

    with open_store(_settings(ctx).db) as store:
        found = store.contradictions()
    if fmt is PairFormat.table:
        console.print(contradictions_table(found))
    else:
        for line in jsonl(contradiction_dict(c) for c in found):
            sys.stdout.write(line + "\n")


@app.command()
def actors(ctx: typer.Context) -> None:
    """List the actor registry (bundled plus your own files)."""
    from redline.coding import Registry
    from redline.report.tables import actors_table

    settings = _settings(ctx)
    registry = Registry.load(settings.actors_files, fuzzy_score=settings.fuzzy_actor_score)
    console.print(actors_table(sorted(registry.actors.values(), key=lambda a: (a.side, a.name))))


@app.command()
def issues(ctx: typer.Context) -> None:
    """List the issue taxonomy."""
    from redline.coding import Taxonomy
    from redline.report.tables import issues_table

    console.print(issues_table(Taxonomy.load(_settings(ctx).taxonomy_file)))


@app.command()
def positions(
    ctx: typer.Context,
    actor: Annotated[str, typer.Argument(help="Actor id or name, e.g. lavrov.")],
    issue: Annotated[str | None, typer.Option(help="Only this issue.")] = None,
) -> None:
    """Show how long an actor's position on each issue has held, and when it last moved."""
    from redline.coding import Coder
    from redline.report.standing import actor_positions
    from redline.report.tables import positions_table
    from redline.store import open_store

    settings = _settings(ctx)
    with open_store(settings.db) as store:
        name, found = actor_positions(store, actor=actor, issue=issue, coder=Coder(settings))
    console.print(positions_table(name, found))


@app.command()
def claims(
    ctx: typer.Context,
    fmt: Annotated[PairFormat, typer.Option("--format", help="table or jsonl.")] = PairFormat.table,
) -> None:
    """List territorial claims by side and place, with who controls each place."""
    from redline.coding import Coder
    from redline.report.serialize import claim_dict, jsonl
    from redline.report.standing import territorial_claims
    from redline.report.tables import claims_table
    from redline.store import open_store

    settings = _settings(ctx)
    with open_store(settings.db) as store:
        found = territorial_claims(store, settings=settings, coder=Coder(settings))
    if fmt is PairFormat.table:
        console.print(claims_table(found))
    else:
        for line in jsonl(claim_dict(c) for c in found):
            sys.stdout.write(line + "\n")


@app.command()
def export(
    ctx: typer.Context,
    what: Annotated[
        ExportWhat, typer.Option(help="statements, contradictions or actors.")
    ] = ExportWhat.statements,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", help="jsonl, csv, parquet or plover (PLOVER JSONL).")
    ] = ExportFormat.jsonl,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    actor: Annotated[str | None, typer.Option(help="Actor id or part of a name.")] = None,
    side: Annotated[str | None, typer.Option(help="Side, e.g. russia, ukraine, us.")] = None,
    issue: Annotated[str | None, typer.Option(help="Issue id, e.g. sanctions.")] = None,
    since: Annotated[str | None, typer.Option(help="From this date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date (YYYY-MM-DD).")] = None,
) -> None:
    """Export statements, contradictions or actors as JSONL, CSV, Parquet or PLOVER events."""
    from redline.coding import Registry
    from redline.report.export import export as run_export
    from redline.store import open_store

    if fmt is ExportFormat.parquet and output is None:
        raise typer.BadParameter("Parquet is binary: give --output FILE", param_hint="--output")
    settings = _settings(ctx)
    day_from, day_to = _date(since, "--since"), _date(until, "--until")
    registry = (
        Registry.load(settings.actors_files, fuzzy_score=settings.fuzzy_actor_score)
        if what is ExportWhat.actors
        else None
    )
    with open_store(settings.db) as store:
        count = run_export(
            store,
            what=what.value,
            fmt=fmt.value,
            out=output if output is not None else sys.stdout,
            actor=actor,
            side=side,
            issue=issue,
            since=day_from,
            until=day_to,
            registry=registry,
        )
    if output is not None:
        err.print(f"wrote {count} {what.value} to {output}", highlight=False, soft_wrap=True)


@app.command()
def brief(
    ctx: typer.Context,
    day: Annotated[
        str | None, typer.Option("--date", help="The day to brief (YYYY-MM-DD; default: latest).")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Brief everything from this date (YYYY-MM-DD).")
    ] = None,
    fmt: Annotated[BriefFormat, typer.Option("--format", help="md, html or pdf.")] = BriefFormat.md,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
) -> None:
    """Write a daily brief: statements per issue and actor, contradictions, position changes."""
    from redline.coding import Taxonomy
    from redline.report.brief import build_brief
    from redline.report.brief_render import to_html, to_markdown, to_pdf
    from redline.store import open_store

    if day is not None and since is not None:
        raise typer.BadParameter("give --date or --since, not both", param_hint="--since")
    if fmt is BriefFormat.pdf and output is None:
        raise typer.BadParameter("a PDF needs --output FILE", param_hint="--output")
    settings = _settings(ctx)
    taxonomy = Taxonomy.load(settings.taxonomy_file)
    with open_store(settings.db) as store:
        report = build_brief(
            store, day=_date(day, "--date"), since=_date(since, "--since"), taxonomy=taxonomy
        )
    if fmt is BriefFormat.pdf and output is not None:
        to_pdf(report, output)
        err.print(f"wrote {output}", highlight=False, soft_wrap=True)
        return
    text = to_html(report) if fmt is BriefFormat.html else to_markdown(report)
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as e:
        raise RedlineError(f"cannot write {output}: {e.strerror or e}") from e
    err.print(f"wrote {output}", highlight=False, soft_wrap=True)


app.command()(web_serve)
app.add_typer(eval_app, name="eval", help="Score extraction on a benchmark (PolNeAR).")


def run() -> None:
    """Entry point: user-facing errors as one line, not a traceback."""
    try:
        app()
    except RedlineError as e:
        err.print(f"[red]error[/red] {e}", highlight=False, soft_wrap=True)
        sys.exit(2)


if __name__ == "__main__":
    run()
