"""Evaluation: redline's output scored against annotated corpora (PolNeAR) beside a peer system.

Not a pipeline stage: it reads the corpus from disk, runs the pipeline over it and compares.
"""

from __future__ import annotations

from redline.evaluate.polnear import (
    Attribution,
    Counts,
    Report,
    RoleScores,
    Scores,
    SystemResult,
    evaluate_dir,
    parse_ann,
    read_ann,
    score,
    tokens,
    trim,
)

__all__ = [
    "Attribution",
    "Counts",
    "Report",
    "RoleScores",
    "Scores",
    "SystemResult",
    "evaluate_dir",
    "parse_ann",
    "read_ann",
    "score",
    "tokens",
    "trim",
]
