"""Rich tables for the terminal."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.markup import escape
from rich.table import Table

from redline.coding import Actor, Taxonomy
from redline.link import stories
from redline.link.claims import Claim
from redline.models import Contradiction, IngestReport, Statement
from redline.report.standing import IssuePositions


def _short(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def statements_table(stmts: Sequence[Statement], *, title: str = "Statements") -> Table:
    table = Table(title=f"{title} ({len(stmts)})", show_lines=False, expand=True)
    for col, kw in (
        ("said", {"no_wrap": True}),
        ("speaker", {}),
        ("side", {}),
        ("stance", {}),
        ("issues", {}),
        ("content", {"ratio": 3}),
        ("venue", {}),
    ):
        table.add_column(col, **kw)
    for s in stmts:
        stance = (f"not {s.stance}" if s.negated else s.stance or "") + (
            " (if)" if s.conditional else ""
        )
        when = (
            s.said_on.isoformat()
            if s.said_on
            else (f"~{s.published.isoformat()}" if s.published else "")
        )
        table.add_row(
            when,
            s.speaker or s.speaker_mention,
            s.side,
            stance,
            ", ".join(s.issues),
            _short(s.content, 160),
            s.venue or "",
            end_section=False,
        )
    return table


def contradictions_table(items: Sequence[Contradiction]) -> Table:
    """One row a story (see `redline.link.stories`): its first pair cited, the others named."""
    groups = stories(items)
    title = f"Contradictions ({len(items)})"
    if len(groups) < len(items):
        title = f"Contradictions ({len(items)} pairs, {len(groups)} distinct)"
    table = Table(title=title, show_lines=True, expand=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("a", ratio=2)
    table.add_column("b", ratio=2)
    table.add_column("why", ratio=2)
    for first, *more in groups:
        why = escape(first.reason)
        if more:
            days = "that day" if first.a.when == first.b.when else "those days"
            why += f"\n[dim]and {len(more)} more pair{'s' if len(more) > 1 else ''} of {days}:"
            why += "".join(
                f"\n- {escape(_short(c.a.content, 60))} / {escape(_short(c.b.content, 60))}"
                for c in more
            )
            why += "[/dim]"
        table.add_row(first.kind, _cite(first.a), _cite(first.b), why)
    return table


def _cite(s: Statement) -> str:
    """A statement as a table cell; its words escaped, so "[/b]" in them is text, not markup."""
    when = s.when.isoformat() if s.when else "undated"
    who = escape(s.speaker or s.speaker_mention)
    return (
        f"[bold]{who}[/bold] ({when}): {escape(_short(s.content, 120))}\n[dim]{escape(s.doc)}[/dim]"
    )


def actors_table(actors: Iterable[Actor]) -> Table:
    table = Table(title="Actors")
    for col in ("id", "name", "side", "kind", "current role"):
        table.add_column(col)
    for a in actors:
        role = a.role_on(None)
        table.add_row(a.id, a.name, a.side, a.kind, role.label() if role else "")
    return table


def issues_table(taxonomy: Taxonomy) -> Table:
    table = Table(title="Issues")
    for col in ("id", "label", "direction (+1)", "PLOVER"):
        table.add_column(col)
    for i in taxonomy.issues.values():
        table.add_row(i.id, i.label, i.direction, f"{i.plover}/{i.mode}" if i.plover else "")
    return table


def report_line(report: IngestReport) -> str:
    return (
        f"read {report.read}, new {report.new}, duplicates {report.duplicates}, "
        f"syndicated {report.syndicated}, statements {report.statements}, "
        f"contradictions {report.contradictions}, errors {len(report.errors)}"
    )


def positions_table(name: str, found: Sequence[IssuePositions]) -> Table:
    table = Table(title=f"Positions of {name}")
    for col in ("issue", "position", "since", "last said", "statements", "before"):
        table.add_column(col)
    for item in found:
        now = item.current
        before = {1: "for", -1: "against", None: ""}[now.previous]
        side = "for" if now.polarity > 0 else "against"
        table.add_row(
            item.label,
            f"{side}: {item.direction}",
            now.since.isoformat() if now.since else "",
            now.last.isoformat() if now.last else "",
            str(len(now.statements)),
            before,
        )
    return table


def claims_table(found: Sequence[Claim]) -> Table:
    table = Table(title=f"Territorial claims ({len(found)})")
    for col in ("side", "place", "since", "last", "statements", "control", "note"):
        table.add_column(col)
    for c in found:
        control = f"{c.control.status} (as of {c.control.as_of})" if c.control else "unknown"
        note = "claims a place its forces do not control" if c.beyond_control else ""
        table.add_row(
            c.side,
            c.name,
            c.since.isoformat() if c.since else "",
            c.last.isoformat() if c.last else "",
            str(len(c.statements)),
            control,
            note,
        )
    return table
