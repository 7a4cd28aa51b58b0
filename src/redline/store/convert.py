"""Rows to models and back. Only this module knows how a dataclass is laid out in columns."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, cast

from sqlalchemy import RowMapping

from redline.models import Doc, Offsets, Plover, QuoteKind, Span, Statement, Target

JSONSpans = list[list[int]]


def _spans_out(spans: Iterable[Span]) -> JSONSpans:
    return [[int(start), int(end)] for start, end in spans]


def _spans_in(value: Sequence[Sequence[int]] | None) -> list[Span]:
    return [(int(pair[0]), int(pair[1])) for pair in value or ()]


def doc_row(doc: Doc) -> dict[str, Any]:
    """The `docs` row for a doc; `story` is the doc itself when it starts a story."""
    return {
        "id": doc.id,
        "source": doc.source,
        "title": doc.title,
        "outlet": doc.outlet,
        "author": doc.author,
        "published": doc.published,
        "url": doc.url,
        "format": doc.format,
        "text": doc.text,
        "boilerplate": _spans_out(doc.boilerplate),
        "notices": list(doc.notices),
        "story": doc.story or doc.id,
    }


def doc_from_row(row: RowMapping, *, text: str | None = None) -> Doc:
    """A Doc from a `docs` row; `text` stands in when the row was read without its text."""
    return Doc(
        id=row["id"],
        source=row["source"],
        text=row["text"] if text is None else text,
        title=row["title"],
        outlet=row["outlet"],
        author=row["author"],
        published=row["published"],
        url=row["url"],
        format=row["format"],
        boilerplate=_spans_in(row["boilerplate"]),
        notices=list(row["notices"] or ()),
        story=row["story"],
    )


def statement_row(stmt: Statement, *, published: date | None) -> dict[str, Any]:
    """The `statements` row; `published` (the doc's) is not stored here, it is read from the
    doc, but it gives `filed_on`, the date the statement is filed under, when `said_on` is not
    known."""
    plover = None
    if stmt.plover is not None:
        plover = {
            "event": stmt.plover.event,
            "mode": stmt.plover.mode,
            "context": list(stmt.plover.context),
        }
    return {
        "id": stmt.id,
        "doc_id": stmt.doc_id,
        "doc": stmt.doc,
        "speaker_mention": stmt.speaker_mention,
        "cue": stmt.cue,
        "content": stmt.content,
        "quote": stmt.quote,
        "offsets": {
            "source": _spans_out(stmt.offsets.source),
            "cue": _spans_out(stmt.offsets.cue),
            "content": _spans_out(stmt.offsets.content),
        },
        "speaker_name": stmt.speaker_name,
        "cue_lemma": stmt.cue_lemma,
        "said_on": stmt.said_on,
        "venue": stmt.venue,
        "reported_by": stmt.reported_by,
        "speaker": stmt.speaker,
        "speaker_id": stmt.speaker_id,
        "side": stmt.side,
        "role": stmt.role,
        "institution": stmt.institution,
        "issues": list(stmt.issues),
        "stance": stmt.stance,
        "negated": stmt.negated,
        "conditional": stmt.conditional,
        "polarity": stmt.polarity,
        "plover": plover,
        "targets": [{"kind": t.kind, "id": t.id, "name": t.name} for t in stmt.targets],
        "filed_on": stmt.said_on or published,
    }


def issue_rows(stmt: Statement) -> list[dict[str, str]]:
    """One `statement_issues` row per distinct issue (the JSON column keeps order and repeats)."""
    return [{"statement_id": stmt.id, "issue": issue} for issue in dict.fromkeys(stmt.issues)]


def target_rows(stmt: Statement) -> list[dict[str, str]]:
    """One `statement_targets` row per distinct target (kind and id) of the statement."""
    keys = dict.fromkeys((t.kind, t.id) for t in stmt.targets if t.id)
    return [{"statement_id": stmt.id, "kind": kind, "target_id": tid} for kind, tid in keys]


def statement_from_row(row: RowMapping) -> Statement:
    """A Statement from a `statements` row joined with its doc's `published` date."""
    offsets = row["offsets"] or {}
    plover = row["plover"]
    return Statement(
        id=row["id"],
        doc=row["doc"],
        doc_id=row["doc_id"],
        speaker_mention=row["speaker_mention"],
        cue=row["cue"],
        content=row["content"],
        quote=cast(QuoteKind, row["quote"]),
        offsets=Offsets(
            source=_spans_in(offsets.get("source")),
            cue=_spans_in(offsets.get("cue")),
            content=_spans_in(offsets.get("content")),
        ),
        speaker_name=row["speaker_name"],
        cue_lemma=row["cue_lemma"],
        said_on=row["said_on"],
        venue=row["venue"],
        reported_by=row["reported_by"],
        speaker=row["speaker"],
        speaker_id=row["speaker_id"],
        side=row["side"],
        role=row["role"],
        institution=row["institution"],
        issues=list(row["issues"] or ()),
        stance=row["stance"],
        negated=bool(row["negated"]),
        conditional=bool(row["conditional"]),
        polarity=int(row["polarity"]),
        plover=None
        if plover is None
        else Plover(
            event=plover["event"], mode=plover.get("mode"), context=list(plover.get("context", ()))
        ),
        targets=[Target(kind=t["kind"], id=t["id"], name=t["name"]) for t in row["targets"] or ()],
        published=row["published"],
    )
