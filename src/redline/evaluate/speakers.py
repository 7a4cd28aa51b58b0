"""Speaker resolution scored on devset/speakers/: who a pronoun or a description stands for.

Each gold attribution names how the text refers to its speaker (`mention`) and of which
`kind` that mention is: `pronoun` ("he", "she"), `description` ("the minister", "Russia's top
diplomat") or `name`. A gold attribution is found when a predicted statement's content covers
the start of its `content_contains`; its speaker is right when that statement resolved to the
gold speaker (the same registry actor, or the same name for people the registry lacks).
Accuracy is reported per kind over found attributions, and over all of them (a missed
attribution counts as wrong there).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from redline.evaluate.analysis import load_devset, match, speaker_right
from redline.pipeline import Analyser

KINDS = ("pronoun", "description", "name")


@dataclass(slots=True)
class SpeakerReport:
    gold: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    right: Counter[str] = field(default_factory=Counter)
    # (gold id, mention, gold speaker, predicted speaker or "") for each wrong or missed unnamed one
    misses: list[tuple[str, str, str, str]] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        """Percentages: `<kind>.found`, `<kind>.of_found`, `<kind>.of_all`, and `unnamed.*` for
        pronouns and descriptions together."""
        out: dict[str, float] = {}
        groups = {k: (k,) for k in KINDS} | {"unnamed": ("pronoun", "description")}
        for name, kinds in groups.items():
            gold = sum(self.gold[k] for k in kinds)
            found = sum(self.found[k] for k in kinds)
            right = sum(self.right[k] for k in kinds)
            out[f"{name}.found"] = _pct(found, gold)
            out[f"{name}.of_found"] = _pct(right, found)
            out[f"{name}.of_all"] = _pct(right, gold)
        return out


def _pct(a: int, b: int) -> float:
    return round(100.0 * a / b, 1) if b else 0.0


def evaluate_speakers(root: Path, *, analyser: Analyser) -> SpeakerReport:
    """Analyse the speaker set's articles and score speaker resolution per mention kind."""
    docs, gold = load_devset(root)
    analysed = {a.doc.source: a for a in analyser(docs)}
    report = SpeakerReport()
    for g in gold["statement"]:
        kind = g["kind"]
        report.gold[kind] += 1
        item = analysed[g["file"]]
        got = match(item.statements, item.doc.text, g["content_contains"])
        ok = got is not None and speaker_right(g["speaker"], got, analyser.coder, g.get("side"))
        report.found[kind] += got is not None
        report.right[kind] += ok
        if not ok and kind != "name":
            report.misses.append(
                (g["id"], g["mention"], g["speaker"], (got.speaker or "?") if got else "")
            )
    return report
