"""Coding stage: statements -> actors, sides, roles, issues, stances, PLOVER events and targets."""

from __future__ import annotations

from collections.abc import Sequence

from redline.coding.actors import Actor, Registry
from redline.coding.issues import Taxonomy
from redline.coding.plover import code_plover
from redline.coding.stance import code_stance, polarity
from redline.coding.targets import Gazetteer
from redline.models import UNKNOWN_SIDE, Statement
from redline.settings import Settings

__all__ = ["Actor", "Coder", "Gazetteer", "Registry", "Taxonomy"]


class Coder:
    """Fills the coding fields of statements; built once from settings, called per batch."""

    def __init__(self, settings: Settings) -> None:
        self.registry = Registry.load(settings.actors_files, fuzzy_score=settings.fuzzy_actor_score)
        self.taxonomy = Taxonomy.load(settings.taxonomy_file)
        self.gazetteer = Gazetteer.load()

    def __call__(self, stmts: Sequence[Statement]) -> list[Statement]:
        for stmt in stmts:
            self.code(stmt)
        return list(stmts)

    def code(self, stmt: Statement) -> Statement:
        day = stmt.said_on or stmt.published
        actor = self.registry.resolve(stmt.speaker_name, stmt.speaker_mention, on=day)
        if actor is not None:
            stmt.speaker, stmt.speaker_id, stmt.side = actor.name, actor.id, actor.side
            role = actor.role_on(day)
            stmt.role = role.label() if role else None
        else:
            stmt.speaker = stmt.speaker_name or stmt.speaker_mention or None
            stmt.speaker_id, stmt.side, stmt.role = None, UNKNOWN_SIDE, None
        if stmt.reported_by:
            relay = self.registry.by_name(stmt.reported_by)
            stmt.reported_by = relay.name if relay else stmt.reported_by
        text = stmt.content
        stmt.targets = self.gazetteer.find(text)
        stmt.issues = self.taxonomy.code(text)
        code = code_stance(stmt.cue_lemma, stmt.cue, text)
        stmt.stance, stmt.negated, stmt.conditional = code.stance, code.negated, code.conditional
        primary = self.taxonomy.get(stmt.issues[0])
        stmt.polarity = polarity(
            code.stance,
            code.negated,
            primary.direction_of(text, skip=code.trigger) if primary else 0,
        )
        stmt.plover = code_plover(code.stance, code.negated, primary)
        return stmt

    def place_members(self, place_id: str) -> list[str]:
        """The places a group stands for ("the four regions"); [] for a single place."""
        entry = self.gazetteer.places.get(place_id)
        return list(entry.members) if entry else []

    def place_name(self, place_id: str) -> str | None:
        entry = self.gazetteer.places.get(place_id)
        return entry.name if entry else None

    def explicit_on(self, stmt: Statement, issue_id: str) -> bool:
        """Whether the statement's words take a direction on this issue."""
        issue = self.taxonomy.get(issue_id)
        return issue is not None and issue.explicit(stmt.content)

    def polarity_on(self, stmt: Statement, issue_id: str) -> int:
        """The statement's polarity toward one of its issues (linking compares issue by issue)."""
        issue = self.taxonomy.get(issue_id)
        if issue is None or stmt.stance is None:
            return 0
        code = code_stance(stmt.cue_lemma, stmt.cue, stmt.content)
        return polarity(
            stmt.stance, stmt.negated, issue.direction_of(stmt.content, skip=code.trigger)
        )
