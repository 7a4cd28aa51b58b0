"""Arrow schemas for the Parquet export: typed columns (dates, lists, structs), not JSON strings.

Built from a `pyarrow` module passed in, so importing this module never needs pyarrow.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any


def _statement_fields(pa: Any) -> list[Any]:
    spans = pa.list_(pa.list_(pa.int64()))
    return [
        ("doc", pa.string()),
        ("speaker", pa.string()),
        ("speaker_mention", pa.string()),
        ("side", pa.string()),
        ("role", pa.string()),
        ("cue", pa.string()),
        ("content", pa.string()),
        ("quote", pa.string()),
        ("said_on", pa.date32()),
        ("venue", pa.string()),
        ("issues", pa.list_(pa.string())),
        ("stance", pa.string()),
        ("negated", pa.bool_()),
        (
            "plover",
            pa.struct(
                [("event", pa.string()), ("mode", pa.string()), ("context", pa.list_(pa.string()))]
            ),
        ),
        (
            "targets",
            pa.list_(
                pa.struct([("kind", pa.string()), ("id", pa.string()), ("name", pa.string())])
            ),
        ),
        ("reported_by", pa.string()),
        ("offsets", pa.struct([("source", spans), ("cue", spans), ("content", spans)])),
        ("id", pa.string()),
        ("speaker_id", pa.string()),
        ("said_on_text", pa.string()),
        ("conditional", pa.bool_()),
        ("polarity", pa.int8()),
        ("published", pa.date32()),
        ("institution", pa.string()),
    ]


def _statements(pa: Any) -> Any:
    return pa.schema(_statement_fields(pa))


def _contradictions(pa: Any) -> Any:
    stmt = pa.struct(_statement_fields(pa))
    return pa.schema(
        [
            ("a", stmt),
            ("b", stmt),
            ("kind", pa.string()),
            ("reason", pa.string()),
            ("confidence", pa.float64()),
        ]
    )


def _actors(pa: Any) -> Any:
    role = pa.struct(
        [
            ("title", pa.string()),
            ("org", pa.string()),
            ("start", pa.date32()),
            ("end", pa.date32()),
            ("body", pa.string()),
        ]
    )
    return pa.schema(
        [
            ("id", pa.string()),
            ("name", pa.string()),
            ("kind", pa.string()),
            ("side", pa.string()),
            ("gender", pa.string()),
            ("aliases", pa.list_(pa.string())),
            ("roles", pa.list_(role)),
        ]
    )


SCHEMAS: dict[str, Callable[[Any], Any]] = {
    "statements": _statements,
    "contradictions": _contradictions,
    "actors": _actors,
}


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _typed_statement(row: dict[str, Any]) -> dict[str, Any]:
    return row | {"said_on": _day(row["said_on"]), "published": _day(row["published"])}


def typed_rows(rows: list[dict[str, Any]], schema: str) -> list[dict[str, Any]]:
    """The JSON rows with ISO date strings turned back into dates for date32 columns."""
    if schema == "statements":
        return [_typed_statement(r) for r in rows]
    if schema == "contradictions":
        return [r | {"a": _typed_statement(r["a"]), "b": _typed_statement(r["b"])} for r in rows]
    return [
        r
        | {
            "roles": [
                role | {"start": _day(role["start"]), "end": _day(role["end"])}
                for role in r["roles"]
            ]
        }
        for r in rows
    ]
