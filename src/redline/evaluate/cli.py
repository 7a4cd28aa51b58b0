"""`redline eval ...`: a thin shell over `redline.evaluate`. Mounted as `app.add_typer(eval_app)`."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from redline.errors import RedlineError
from redline.evaluate.polnear import ROLES, Report

eval_app = typer.Typer(
    help="Score extraction against annotated corpora, beside a peer system.",
    no_args_is_help=True,
)
console = Console()
R = TypeVar("R")
err = Console(stderr=True)


class EvalFormat(StrEnum):
    table = "table"
    json = "json"


@eval_app.callback()
def main() -> None:
    """Evaluation commands."""


@eval_app.command()
def polnear(
    data: Annotated[
        Path,
        typer.Argument(
            metavar="DIR", help="PolNeAR's data folder (holding train/ and dev/).", exists=True
        ),
    ],
    split: Annotated[str, typer.Option(help="train or dev.")] = "dev",
    limit: Annotated[
        int | None, typer.Option(min=1, help="Only the first N texts, by file name.")
    ] = None,
    fmt: Annotated[EvalFormat, typer.Option("--format", help="table or json.")] = EvalFormat.table,
) -> None:
    """Score redline and textacy on PolNeAR attributions: P/R/F1 per role, exact and by token."""
    from redline.evaluate.polnear import evaluate_dir
    from redline.pipeline import Analyser
    from redline.settings import get_settings

    try:
        with err.status("loading models"):
            analyser = Analyser(get_settings())
        with err.status("evaluating") as status:
            report = evaluate_dir(
                data,
                split,
                limit=limit,
                analyser=analyser,
                on_system=lambda name: status.update(f"running {name}"),
            )
    except RedlineError as e:
        err.print(f"[red]error[/red] {e}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    if fmt is EvalFormat.json:
        sys.stdout.write(json.dumps(report.as_dict(), indent=2) + "\n")
    else:
        console.print(report_table(report))
        for s in report.systems:
            if s.note:
                console.print(f"{s.name}: {s.note}", highlight=False, soft_wrap=True)
        console.print(f"gold: {report.annotator_rule}", highlight=False, soft_wrap=True)


def report_table(report: Report) -> Table:
    """One row per system: P/R/F1 on exact (trimmed) spans and token F1, per role; articles/s."""
    table = Table(
        title=(
            f"PolNeAR {report.split}: {report.articles} articles, "
            f"{report.gold_attributions} gold attributions"
        ),
        caption="P/R/F1: exact spans, edges trimmed; tok: token-overlap F1 (%)",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        padding=0,
        show_edge=False,
    )
    table.add_column("system", no_wrap=True)
    for short in ("src", "cue", "cnt"):
        for col in ("P", "R", "F1", "tok"):
            table.add_column(f"{short}\n{col}", justify="right", no_wrap=True)
    table.add_column("art/s", justify="right", no_wrap=True)
    for s in report.systems:
        if s.scores is None:
            table.add_row(s.name, *["-"] * 12, "-")
            continue
        cells: list[str] = []
        for role in ROLES:
            r = s.scores.role(role)
            cells += [_pct(x) for x in (r.exact.precision, r.exact.recall, r.exact.f1, r.token.f1)]
        table.add_row(s.name, *cells, f"{s.articles_per_s:.1f}")
    return table


def _pct(x: float) -> str:
    # "100" rather than "100.0", so that 13 figures fit in an 80-column terminal
    return "100" if x >= 1 else f"{100 * x:.1f}"


@eval_app.command()
def analysis(
    data: Annotated[
        Path,
        typer.Argument(metavar="DIR", help="The development set (articles/ + annotations.toml)."),
    ] = Path("devset"),
    fmt: Annotated[EvalFormat, typer.Option("--format", help="table or json.")] = EvalFormat.table,
) -> None:
    """Score speakers, sides, dates, venues, issues, stances, targets and contradictions."""
    from redline.evaluate.analysis import evaluate_analysis

    report = _analysed("analysing the development set", evaluate_analysis, data)
    figures = report.figures()
    if _printed_json(figures, fmt):
        return
    table = Table(
        title=f"Development set: {report.statements} statements, {report.gold_pairs} contradictions",
        box=box.SIMPLE_HEAD,
    )
    table.add_column("figure")
    table.add_column("%", justify="right")
    for name, value in figures.items():
        table.add_row(name, f"{value:.1f}")
    console.print(table)
    console.print(
        f"contradictions: {report.true_pairs} right of {report.scored_pairs} scored "
        f"({report.predicted_pairs} predicted), {report.found_gold_pairs} of "
        f"{report.gold_pairs} annotated found",
        highlight=False,
        soft_wrap=True,
    )


@eval_app.command()
def speakers(
    data: Annotated[
        Path,
        typer.Argument(metavar="DIR", help="The speaker set (articles/ + annotations.toml)."),
    ] = Path("devset/speakers"),
    fmt: Annotated[EvalFormat, typer.Option("--format", help="table or json.")] = EvalFormat.table,
    misses: Annotated[
        bool, typer.Option("--misses", help="List the pronouns and descriptions resolved wrong.")
    ] = False,
) -> None:
    """Score speaker resolution: pronouns, descriptions and names, per kind."""
    from redline.evaluate.speakers import KINDS, evaluate_speakers

    report = _analysed("analysing the speaker set", evaluate_speakers, data)
    figures = report.figures()
    if _printed_json(figures, fmt):
        return
    table = Table(title="Speaker resolution", box=box.SIMPLE_HEAD)
    for col in ("mentions", "gold", "found %", "right of found %", "right of all %"):
        table.add_column(col, justify="left" if col == "mentions" else "right")
    for name in (*KINDS, "unnamed"):
        gold = (
            report.gold[name]
            if name != "unnamed"
            else report.gold["pronoun"] + report.gold["description"]
        )
        table.add_row(
            name,
            str(gold),
            *(f"{figures[f'{name}.{k}']:.1f}" for k in ("found", "of_found", "of_all")),
        )
    console.print(table)
    if misses:
        for gid, mention, want, got in report.misses:
            console.print(f"{gid}  {mention!r}: {want} <- {got or 'not found'}", highlight=False)


def _analysed(doing: str, evaluate: Callable[..., R], data: Path) -> R:
    """Run one annotated-set evaluation with a fresh analyser; a RedlineError exits 1."""
    from redline.pipeline import Analyser
    from redline.settings import get_settings

    try:
        with err.status(doing):
            return evaluate(data, analyser=Analyser(get_settings()))
    except RedlineError as e:
        err.print(f"[red]error[/red] {e}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None


def _printed_json(figures: dict[str, float], fmt: EvalFormat) -> bool:
    if fmt is EvalFormat.json:
        sys.stdout.write(json.dumps(figures, indent=2) + "\n")
    return fmt is EvalFormat.json
