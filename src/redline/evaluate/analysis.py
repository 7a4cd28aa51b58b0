"""Scoring the analysis on the development set (devset/): fields of matched statements, and
contradictions.

A gold statement is matched by the predicted statement whose content spans cover the start of
its `content_contains` text. Fields are scored on matched statements only; `found` says how
many were matched. Targets are compared in the annotations' terms, which write places as ISO
regions only: a predicted city counts as its oblast too, a group ("the four regions") as
its members. Contradictions: a predicted pair is right when both ends match gold
statements that the annotations pair; pairs the annotators chose to leave out of precision
(`exclude` in annotations, or the README's list) are skipped.
"""

from __future__ import annotations

import json
import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from redline.coding import Coder
from redline.coding.actors import Demonyms
from redline.errors import RedlineError
from redline.extract.spans import EDGE_PUNCT
from redline.models import Doc, Statement
from redline.pipeline import Analyser, find_contradictions

FIELDS = ("speaker", "side", "said_on", "venue", "issue", "issue_primary", "stance", "targets")
# pairs the development set's README asks to leave out of precision (known, unlisted conflicts)
LEFT_OUT = {
    frozenset(p)
    for a in ("s005", "s008")
    for p in (
        (a, b) for b in ("s081", "s097", "s115", "s182", "s183", "s232", "s258", "s259", "s260")
    )
} | {frozenset(("s197", "s217"))}


@dataclass(slots=True)
class AnalysisReport:
    statements: int = 0
    found: int = 0
    right: Counter[str] = field(default_factory=Counter)
    gold_pairs: int = 0
    predicted_pairs: int = 0
    scored_pairs: int = 0
    true_pairs: int = 0
    annotated_pairs: int = 0  # scored pairs whose two ends are both annotated statements
    found_gold_pairs: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    unnamed: int = 0  # found statements whose speaker the text names by pronoun or description
    positioned: int = 0  # found statements whose annotation gives a position (see _fields)

    def figures(self) -> dict[str, float]:
        out = {"found": _ratio(self.found, self.statements)}
        out.update({f: _ratio(self.right[f], self.found) for f in FIELDS})
        # speakers named by a pronoun or a description ("he", "the minister"), resolved
        out["speaker_unnamed"] = _ratio(self.right["speaker_unnamed"], self.unnamed)
        if self.positioned:
            # for or against the first issue's direction (+1/-1/0), where annotated
            out["position"] = _ratio(self.right["position"], self.positioned)
        out["contradiction_precision"] = _ratio(self.true_pairs, self.scored_pairs)
        # pairs with an unannotated end may be real contradictions the annotators did not list
        out["contradiction_precision_annotated"] = _ratio(self.true_pairs, self.annotated_pairs)
        out["contradiction_recall"] = _ratio(self.found_gold_pairs, self.gold_pairs)
        return out


def _ratio(a: int, b: int) -> float:
    return round(100.0 * a / b, 1) if b else 0.0


def load_devset(root: Path) -> tuple[list[Doc], dict[str, Any]]:
    articles = root / "articles"
    if not articles.is_dir():
        raise RedlineError(f"{root}: no articles/ folder (is this the devset?)")
    docs = []
    for path in sorted(articles.glob("*.json")):
        rec = json.loads(path.read_text(encoding="utf-8"))
        docs.append(
            Doc(
                source=path.name,
                text=rec["text"],
                title=rec.get("title"),
                outlet=rec.get("outlet"),
                url=rec.get("url"),
                published=date.fromisoformat(rec["published"]),
                format="json",
            )
        )
    # one annotations.toml, or several (annotations-a.toml, ...) whose tables are joined; each
    # row keeps the name of its file in "set" (see `sets_of`)
    gold: dict[str, Any] = {}
    for path in sorted(root.glob("annotations*.toml")):
        with path.open("rb") as fh:
            for key, rows in tomllib.load(fh).items():
                gold.setdefault(key, []).extend({**row, "set": path.name} for row in rows)
    if not gold:
        raise RedlineError(f"{root}: no annotations.toml")
    return docs, gold


def sets_of(gold: dict[str, Any], docs: Sequence[Doc] = ()) -> dict[str, str]:
    """Article file name -> the annotation file that annotates it. A set of several files
    (trainset/contradictions: one per writer) holds several invented worlds that share names
    and dates; one annotations.toml is one world. Of `docs`, an article no row names is the
    one file's where there is one, else a world of its own."""
    out = {g["file"]: g["set"] for g in gold.get("statement", [])}
    files = set(out.values())
    only = next(iter(files)) if len(files) == 1 else None
    for d in docs:
        out.setdefault(d.source, only or d.source)
    return out


def match(stmts: Sequence[Statement], text: str, needle: str) -> Statement | None:
    """The statement whose content covers the needle's first word: an opening quotation mark
    before it is outside every content span."""
    at = text.find(needle)
    if at < 0:
        return None
    at += len(needle) - len(needle.lstrip("".join(EDGE_PUNCT)))
    for s in stmts:
        if any(start <= at < end for start, end in s.offsets.content):
            return s
    return None


def evaluate_analysis(root: Path, *, analyser: Analyser) -> AnalysisReport:
    """Analyse the development set's articles and score them against its annotations."""
    docs, gold = load_devset(root)
    analysed = {a.doc.source: a for a in analyser(docs)}
    coder: Coder = analyser.coder
    report = AnalysisReport(statements=len(gold["statement"]))
    # predicted statement id -> the gold ids it was matched to: one statement the extractor
    # kept whole ("said he would veto the package, and that no letter would change his mind")
    # may stand for two annotated ones, and a pair on either is its pair
    gold_of: dict[str, list[str]] = {}
    for g in gold["statement"]:
        item = analysed[g["file"]]
        got = match(item.statements, item.doc.text, g["content_contains"])
        if got is None:
            continue
        report.found += 1
        gold_of.setdefault(got.id, []).append(g["id"])
        scored = _fields(g, got, coder)
        for name, ok in scored.items():
            report.right[name] += ok
        report.positioned += "position" in scored
        if _unnamed(got.speaker_mention, coder.demonyms):
            report.unnamed += 1
            report.right["speaker_unnamed"] += scored["speaker"]
    # each annotation file is its own writer's world: its Putin is not another file's, and
    # no pair across files can be annotated, so statements are linked within their file
    sets = sets_of(gold, docs)
    worlds: dict[str, list[Statement]] = {}
    for a in analysed.values():
        worlds.setdefault(sets[a.doc.source], []).extend(a.statements)
    predicted = [
        c
        for stmts in worlds.values()
        for c in find_contradictions(stmts, coder=coder, settings=analyser.settings)
    ]
    gold_pairs = {frozenset((c["a"], c["b"])) for c in gold.get("contradiction", [])}
    report.gold_pairs = len(gold_pairs)
    report.predicted_pairs = len(predicted)
    hit: set[frozenset[str]] = set()
    for c in predicted:
        ends = [gold_of.get(c.a.id, [f"?{c.a.id}"]), gold_of.get(c.b.id, [f"?{c.b.id}"])]
        readings = {frozenset((x, y)) for x in ends[0] for y in ends[1]}
        if readings <= LEFT_OUT:
            continue
        report.scored_pairs += 1
        report.by_kind[c.kind] += 1
        report.annotated_pairs += not any(i.startswith("?") for end in ends for i in end)
        true = readings & gold_pairs
        if true:
            report.true_pairs += 1
            # one pair found finds one annotated pair: the first not found before
            hit.add(min(true - hit or true, key=sorted))
    report.found_gold_pairs = len(hit)
    return report


_DETERMINERS = {
    "the",
    "a",
    "an",
    "his",
    "her",
    "its",
    "their",
    "he",
    "she",
    "they",
    "it",
    "we",
    "i",
}


def _unnamed(mention: str, demonyms: Demonyms) -> bool:
    """A pronoun or a description ("the minister", "Russia's top diplomat"): no capitalised word
    but determiners and the words that name a side."""
    words = [w.strip(".,'’s") for w in mention.split()]
    if not words:
        return False
    if len(words) == 1 and words[0].lower() in _DETERMINERS:
        return True
    caps = [
        w
        for n, w in enumerate(words)
        if w[:1].isupper() and not (n == 0 and w.lower() in _DETERMINERS)
    ]
    # a description has a common noun ("minister", "diplomat"); "the Kremlin" is a name
    described = any(w[:1].islower() and w not in _DETERMINERS for w in words)
    return described and all(demonyms.side_of(w) is not None for w in caps)


def speaker_right(
    gold_speaker: str, got: Statement, coder: Coder, gold_side: str | None = None
) -> bool:
    """The statement's speaker is the gold one: the same registry actor, or the same name
    (an unnamed speaker's article aside: the annotations write "senior US official" for
    redline's "A senior US official"). A body the annotations name bare, with its side
    ("Foreign Ministry", russia), is the registry's body of that side (`Registry.body_of`)."""
    actor = coder.registry.by_name(gold_speaker)
    if actor is None and gold_side:
        actor = coder.registry.body_of(gold_speaker, gold_side)
    return (actor is not None and actor.id == got.speaker_id) or (
        _bare(got.speaker or "") == _bare(gold_speaker)
    )


# issues the taxonomy has added since the sets were annotated (the grain deal, EU accession):
# "other" in their annotations
NOT_ANNOTATED = frozenset({"grain_deal", "eu_accession"})


def as_annotated(issues: Sequence[str]) -> list[str]:
    """Issue ids as the annotations write them: a newer issue is "other"."""
    return list(dict.fromkeys("other" if i in NOT_ANNOTATED else i for i in issues))


def _bare(name: str) -> str:
    words = name.lower().split()
    return " ".join(words[1:] if len(words) > 1 and words[0] in _ARTICLES else words)


_ARTICLES = {"a", "an", "the", "some", "one"}


def _in_annotated_terms(got: Statement, coder: Coder) -> set[str]:
    """The statement's target ids, with each place also as the annotations write places: ISO
    regions only ("city:donetsk" is in UA-14, "group:four-regions" is UA-14, UA-09, UA-23
    and UA-65)."""
    out = set()
    for t in got.targets:
        out.add(t.id)
        place = coder.gazetteer.places.get(t.id) if t.kind == "place" else None
        if place is not None:
            out.update(place.members)
            if place.parent:
                out.add(place.parent)
    return out


def _fields(g: dict[str, Any], got: Statement, coder: Coder) -> dict[str, bool]:
    speaker_ok = speaker_right(g["speaker"], got, coder, g.get("side"))
    said = got.said_on.isoformat() if got.said_on else ""
    venue = (got.venue or "").lower()
    gold_venue = g.get("venue", "").lower()
    venue_ok = (not venue and not gold_venue) or bool(
        venue and gold_venue and (gold_venue in venue or venue in gold_venue)
    )
    issues = set(g.get("issues", []))
    got_issues = as_annotated(got.issues)
    gold_targets = set(g.get("targets", []))
    got_targets = _in_annotated_terms(got, coder)
    out = {
        "speaker": speaker_ok,
        "side": got.side.replace("_", "-") == g["side"].replace("_", "-"),
        "said_on": said == g.get("said_on", ""),
        "venue": venue_ok,
        "issue": bool(issues & set(got_issues)),
        "issue_primary": bool(got_issues) and got_issues[0] in issues,
        "stance": got.stance == g["stance"] and got.negated == g.get("negated", False),
        "targets": gold_targets == got_targets or bool(gold_targets & got_targets),
    }
    if "position" in g and g.get("issues"):
        # on the annotated first issue, so that a wrong issue is not counted twice
        out["position"] = coder.polarity_on(got, g["issues"][0]) == g["position"]
    return out
