"""The reporting-verb lexicon (data/reporting_verbs.toml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from redline.data_files import load_toml


@dataclass(frozen=True, slots=True)
class Verb:
    lemma: str
    stance: str
    neutral: bool
    object_content: bool
    judgement: bool = False


@lru_cache(maxsize=1)
def reporting_verbs() -> dict[str, Verb]:
    table = load_toml("reporting_verbs.toml")["verbs"]
    return {
        lemma: Verb(
            lemma=lemma,
            stance=entry["stance"],
            neutral=bool(entry.get("neutral", False)),
            object_content=bool(entry.get("object_content", False)),
            judgement=bool(entry.get("judgement", False)),
        )
        for lemma, entry in table.items()
    }
