"""Statements and contradictions as plain JSON-ready dicts: the contract other tools rely on."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from redline.link.claims import Claim
from redline.models import Contradiction, Statement

FIELDS = (
    "doc",
    "speaker",
    "speaker_mention",
    "side",
    "role",
    "cue",
    "content",
    "quote",
    "said_on",
    "venue",
    "issues",
    "stance",
    "negated",
    "plover",
    "targets",
    "reported_by",
    "offsets",
)
EXTRA = (
    "id",
    "speaker_id",
    "said_on_text",
    "conditional",
    "polarity",
    "published",
    "institution",
)


def statement_dict(stmt: Statement) -> dict[str, Any]:
    """The `redline extract --format jsonl` object: contract fields first, then extras."""
    out: dict[str, Any] = {}
    for name in FIELDS + EXTRA:
        value = getattr(stmt, name)
        # Built by hand rather than by `dataclasses.asdict`, which deep-copies every value:
        # the web app serialises hundreds of statements a page.
        if name in ("said_on", "published"):
            value = value.isoformat() if value else None
        elif name == "offsets":
            value = {
                kind: [list(span) for span in getattr(value, kind)]
                for kind in ("source", "cue", "content")
            }
        elif name == "plover":
            value = (
                {"event": value.event, "mode": value.mode, "context": list(value.context)}
                if value
                else None
            )
        elif name == "targets":
            value = [{"kind": t.kind, "id": t.id, "name": t.name} for t in value]
        out[name] = value
    return out


def contradiction_dict(c: Contradiction) -> dict[str, Any]:
    return {
        "a": statement_dict(c.a),
        "b": statement_dict(c.b),
        "kind": c.kind,
        "reason": c.reason,
        "confidence": c.confidence,
    }


def jsonl(rows: Iterable[dict[str, Any]]) -> Iterable[str]:
    for row in rows:
        yield json.dumps(row, ensure_ascii=False)


def csv_text(rows: Iterable[dict[str, Any]]) -> str:
    """Flat CSV: lists joined with "; ", nested objects as JSON."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(FIELDS + EXTRA), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        flat = {}
        for k, v in row.items():
            if k == "issues":
                flat[k] = "; ".join(v)
            elif k == "targets":
                flat[k] = "; ".join(t["id"] for t in v)
            elif isinstance(v, dict | list):
                flat[k] = json.dumps(v, ensure_ascii=False)
            else:
                flat[k] = v
        writer.writerow(flat)
    return buf.getvalue()


def claim_dict(c: Claim) -> dict[str, Any]:
    """A territorial claim with its evidence and the place's control status."""
    control = (
        {
            "status": c.control.status,
            "as_of": c.control.as_of.isoformat(),
            "source": c.control.source,
        }
        if c.control
        else None
    )
    return {
        "side": c.side,
        "place": c.place,
        "name": c.name,
        "since": c.since.isoformat() if c.since else None,
        "last": c.last.isoformat() if c.last else None,
        "statements": [s.id for s in c.statements],
        "control": control,
        "beyond_control": c.beyond_control,
    }
