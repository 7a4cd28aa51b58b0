"""Exports: statements, contradictions or actors as JSONL, CSV, Parquet or PLOVER records.

    with open_store("redline.db") as store:
        export(store, what="statements", fmt="plover", out=Path("events.jsonl"), side="russia")

JSONL and CSV rows are the ones `redline statements` prints (`serialize.statement_dict`);
Parquet needs the `parquet` extra (pyarrow); PLOVER is described in `redline.report.plover`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TextIO

from redline.errors import RedlineError
from redline.models import Contradiction, Statement
from redline.report.plover import plover_records
from redline.report.serialize import contradiction_dict, csv_text, jsonl, statement_dict

if TYPE_CHECKING:
    from redline.coding import Actor, Registry
    from redline.store import Store

What = Literal["statements", "contradictions", "actors"]
ExportFormat = Literal["jsonl", "csv", "parquet", "plover"]
WHATS: tuple[str, ...] = ("statements", "contradictions", "actors")
FORMATS: tuple[str, ...] = ("jsonl", "csv", "parquet", "plover")

PARQUET_EXTRA = (
    "Parquet export needs pyarrow: install redline[parquet] (pip install 'redline[parquet]')"
)


@dataclass(frozen=True, slots=True)
class Filters:
    """Which statements to export; every filter given must hold. Dates are inclusive."""

    actor: str | None = None
    side: str | None = None
    issue: str | None = None
    since: date | None = None
    until: date | None = None

    def keeps(self, stmt: Statement) -> bool:
        """The same test the store applies, for statements already loaded (contradictions)."""
        if self.side is not None and stmt.side != self.side:
            return False
        if self.issue is not None and self.issue not in stmt.issues:
            return False
        if self.actor is not None:
            needle = self.actor.lower()
            names = (stmt.speaker or "", stmt.speaker_name or "")
            if stmt.speaker_id != self.actor and not any(needle in n.lower() for n in names):
                return False
        when = stmt.when
        if self.since is not None and (when is None or when < self.since):
            return False
        return not (self.until is not None and (when is None or when > self.until))


def export(
    store: Store | None,
    *,
    what: What,
    fmt: ExportFormat,
    out: Path | TextIO,
    actor: str | None = None,
    side: str | None = None,
    issue: str | None = None,
    since: date | None = None,
    until: date | None = None,
    registry: Registry | None = None,
) -> int:
    """Write `what` from the store to `out` (a path, or an open text stream) as `fmt`.

    Statements are filtered by every option given. A contradiction is kept when one of its two
    statements passes the filters. Actors (the registry, loaded from settings when not given)
    ignore the filters. Returns how many records were written. Raises RedlineError for a
    combination that cannot be written (PLOVER is for statements; Parquet needs a path and
    pyarrow).
    """
    if what not in WHATS:
        raise RedlineError(f"cannot export {what!r}: choose one of {', '.join(WHATS)}")
    if fmt not in FORMATS:
        raise RedlineError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if fmt == "plover" and what != "statements":
        raise RedlineError("the PLOVER format is for statements: use --what statements")
    if fmt == "parquet" and not isinstance(out, Path):
        raise RedlineError("Parquet is binary: give an output file (--output FILE.parquet)")
    filters = Filters(actor=actor, side=side, issue=issue, since=since, until=until)

    if what == "actors":
        from redline.coding import Registry as _Registry

        reg = registry if registry is not None else _load_registry(_Registry)
        actors = sorted(reg.actors.values(), key=lambda a: (a.side, a.name, a.id))
        rows = [actor_dict(a) for a in actors]
        if fmt == "parquet":
            _write_parquet(rows, out, schema="actors")
        elif fmt == "csv":
            _write(out, _actors_csv(rows))
        else:
            _write_jsonl(out, rows)
        return len(rows)

    if store is None:
        raise RedlineError(f"exporting {what} needs a database")
    if what == "statements":
        stmts = store.statements(actor=actor, side=side, issue=issue, since=since, until=until)
        if fmt == "plover":
            records = list(plover_records(stmts, store.get_doc))
            _write_jsonl(out, records)
            return len(records)
        rows = [statement_dict(s) for s in stmts]
        if fmt == "parquet":
            _write_parquet(rows, out, schema="statements")
        elif fmt == "csv":
            _write(out, csv_text(rows))
        else:
            _write_jsonl(out, rows)
        return len(rows)

    pairs = [c for c in store.contradictions() if filters.keeps(c.a) or filters.keeps(c.b)]
    if fmt == "parquet":
        _write_parquet([contradiction_dict(c) for c in pairs], out, schema="contradictions")
    elif fmt == "csv":
        _write(out, contradictions_csv(pairs))
    else:
        _write_jsonl(out, [contradiction_dict(c) for c in pairs])
    return len(pairs)


def _load_registry(cls: type[Registry]) -> Registry:
    from redline.settings import get_settings

    settings = get_settings()
    return cls.load(settings.actors_files, fuzzy_score=settings.fuzzy_actor_score)


# -- rows -----------------------------------------------------------------------------------------

ACTOR_FIELDS = ("id", "name", "kind", "side", "gender", "aliases", "roles")


def actor_dict(actor: Actor) -> dict[str, Any]:
    """A registry entry as a JSON-ready dict; roles keep their dates (ISO, None if open)."""
    return {
        "id": actor.id,
        "name": actor.name,
        "kind": actor.kind,
        "side": actor.side,
        "gender": actor.gender,
        "aliases": list(actor.aliases),
        "roles": [
            {
                "title": r.title,
                "org": r.org,
                "start": r.start.isoformat() if r.start else None,
                "end": r.end.isoformat() if r.end else None,
                "body": r.body,
            }
            for r in actor.roles
        ],
    }


CONTRADICTION_FIELDS = (
    "kind",
    "confidence",
    "reason",
    *(
        f"{side}_{name}"
        for side in ("a", "b")
        for name in ("id", "speaker", "side", "said_on", "content", "doc")
    ),
)


def contradictions_csv(pairs: Sequence[Contradiction]) -> str:
    """One row per pair: kind, confidence, reason, then the essentials of each statement."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(CONTRADICTION_FIELDS))
    writer.writeheader()
    for c in pairs:
        row: dict[str, Any] = {"kind": c.kind, "confidence": c.confidence, "reason": c.reason}
        for key, stmt in (("a", c.a), ("b", c.b)):
            when = stmt.when
            row |= {
                f"{key}_id": stmt.id,
                f"{key}_speaker": stmt.speaker or stmt.speaker_mention,
                f"{key}_side": stmt.side,
                f"{key}_said_on": when.isoformat() if when else "",
                f"{key}_content": stmt.content,
                f"{key}_doc": stmt.doc,
            }
        writer.writerow(row)
    return buf.getvalue()


def _actors_csv(rows: Sequence[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(ACTOR_FIELDS))
    writer.writeheader()
    for row in rows:
        roles = "; ".join(
            f"{r['title']}, {r['org']} ({r['start'] or '?'}–{r['end'] or ''})".replace(", ()", "")
            for r in row["roles"]
        )
        writer.writerow(row | {"aliases": "; ".join(row["aliases"]), "roles": roles})
    return buf.getvalue()


# -- writing --------------------------------------------------------------------------------------


@contextmanager
def _text_stream(out: Path | TextIO) -> Iterator[TextIO]:
    if isinstance(out, Path):
        try:
            with out.open("w", encoding="utf-8", newline="") as fh:
                yield fh
        except OSError as e:
            raise RedlineError(f"cannot write {out}: {e.strerror or e}") from e
    else:
        yield out


def _write(out: Path | TextIO, text: str) -> None:
    with _text_stream(out) as fh:
        fh.write(text)


def _write_jsonl(out: Path | TextIO, rows: Sequence[dict[str, Any]]) -> None:
    with _text_stream(out) as fh:
        for line in jsonl(rows):
            fh.write(line + "\n")


def _write_parquet(rows: list[dict[str, Any]], out: Path | TextIO, *, schema: str) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as e:
        raise RedlineError(PARQUET_EXTRA) from e
    if not isinstance(out, Path):  # checked by export(); kept for direct callers
        raise RedlineError("Parquet is binary: give an output file")
    from redline.report import parquet_schema

    arrow_schema = parquet_schema.SCHEMAS[schema](pa)
    table = pa.Table.from_pylist(parquet_schema.typed_rows(rows, schema), schema=arrow_schema)
    try:
        pq.write_table(table, out)
    except OSError as e:
        raise RedlineError(f"cannot write {out}: {e}") from e
