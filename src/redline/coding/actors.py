"""The actor registry: names, spellings and role phrases -> canonical actors with sides and roles.

The bundled `data/actors.toml` is merged with users' own files (`actors_files` in settings): a
user's entry with an existing id replaces it. An unknown speaker is kept by the caller with side
"unknown"; the registry only says who it knows.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rapidfuzz import fuzz, process

from redline.data_files import load_toml
from redline.errors import ConfigError
from redline.models import INSTITUTIONS


@dataclass(frozen=True, slots=True)
class Role:
    title: str
    org: str
    start: date | None = None
    end: date | None = None
    # descriptions that name whoever holds this role, only while they hold it ("the head of
    # the Presidential Office": Yermak in 2025, Budanov in 2026)
    descriptions: tuple[str, ...] = ()
    # the id of the body the holder speaks for in this role ("kremlin" for the president's
    # press secretary, "russian-foreign-ministry" for its spokeswoman): a side finer than a
    # country
    body: str | None = None

    def holds_on(self, day: date | None) -> bool:
        if day is None:
            return self.end is None
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)

    def label(self) -> str:
        return (
            f"{self.title}, {self.org}"
            if self.org and self.org.lower() not in self.title.lower()
            else self.title
        )


@dataclass(slots=True)
class Actor:
    id: str
    name: str
    kind: str
    side: str
    gender: str | None = None
    aliases: list[str] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)

    def role_on(self, day: date | None) -> Role | None:
        """The role held on `day` (the latest one when several), else the most recent role."""
        current = [r for r in self.roles if r.holds_on(day)]
        pool = current or self.roles
        return max(pool, key=lambda r: r.start or date.min) if pool else None


@functools.lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Lowercase, no accents, straight apostrophes, no leading article."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("’", "'").replace("‘", "'").lower().strip(" .,;:\"'")
    for prefix in ("the ",):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return " ".join(text.split())


def _date(value: object, where: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as e:
        raise ConfigError(f"{where}: bad date {value!r} (want YYYY-MM-DD)") from e


class Demonyms:
    """Side from the words of an unknown speaker's mention (data/demonyms.toml)."""

    def __init__(self) -> None:
        table = load_toml("demonyms.toml").get("sides", {})
        alts: list[tuple[str, str]] = [
            (w.lower(), side) for side, words in table.items() for w in words
        ]
        alts.sort(key=lambda x: -len(x[0]))  # "united states" before "us"
        self._side = dict(alts)
        pattern = "|".join(re.escape(w) for w, _ in alts)
        self._re = re.compile(rf"(?<![\w.])(?:{pattern})(?![\w])", re.IGNORECASE) if alts else None

    def place_side(self, text: str) -> str | None:
        """The side a text names as a whole, where it is one of the listed words ("Kyiv",
        "the Kremlin"; not "Russian Defence Ministry")."""
        words = text.lower().replace("’", "'").split()
        if words[:1] == ["the"]:
            words = words[1:]
        return self._side.get(" ".join(words))

    def side_of(self, text: str, *, names_only: bool = False) -> str | None:
        """The side named first in `text`, or None. With `names_only`, only a capitalised
        name counts ("Russian", not the "us" or "house" of a longer phrase)."""
        if self._re is None:
            return None
        for m in self._re.finditer(text.replace("’", "'")):
            if not names_only or m.group(0)[:1].isupper():
                return self._side.get(m.group(0).lower())
        return None


_WORD = re.compile(r"[a-z]+")
# one-word titles that name a single office-holder in the registry on most dates
_OFFICE_WORDS = {"chancellor", "pope"}


class Registry:
    """Looks actors up by name, spelling variant or role phrase, on a date."""

    def __init__(self, actors: list[Actor], *, fuzzy_score: float = 88.0) -> None:
        self.actors = {a.id: a for a in actors}
        self.fuzzy_score = fuzzy_score
        self._names: dict[str, list[str]] = {}
        self._descriptions: dict[str, list[str]] = {}
        self._by_role: dict[str, list[tuple[str, Role]]] = {}
        # the bodies some role speaks for (the Kremlin, a ministry): institutions, not sides
        self._bodies = {r.body for a in actors for r in a.roles if r.body is not None}
        for a in self.actors.values():
            for alias in {a.name, *a.aliases}:
                self._names.setdefault(normalise(alias), []).append(a.id)
            for d in a.descriptions:
                self._descriptions.setdefault(normalise(d), []).append(a.id)
            for r in a.roles:
                for d in r.descriptions:
                    self._by_role.setdefault(normalise(d), []).append((a.id, r))
        self._choices = list(self._names)
        self._role_words: dict[tuple[str, date | None], set[str]] = {}

    @classmethod
    def load(cls, extra: list[Path] | None = None, *, fuzzy_score: float = 88.0) -> Registry:
        entries = list(load_toml("actors.toml").get("actor", []))
        for path in extra or []:
            entries += load_toml(Path(path)).get("actor", [])
        actors: dict[str, Actor] = {}
        for n, e in enumerate(entries):
            where = f"actor {e.get('id', n)!r}"
            try:
                actors[e["id"]] = Actor(
                    id=e["id"],
                    name=e["name"],
                    kind=e.get("kind", "person"),
                    side=e.get("side", "unknown"),
                    gender=e.get("gender"),
                    aliases=list(e.get("aliases", [])),
                    descriptions=list(e.get("descriptions", [])),
                    roles=[
                        Role(
                            r.get("title", ""),
                            r.get("org", ""),
                            _date(r.get("start"), where),
                            _date(r.get("end"), where),
                            tuple(r.get("descriptions", [])),
                            r.get("body"),
                        )
                        for r in e.get("roles", [])
                    ],
                )
            except KeyError as err:
                raise ConfigError(f"{where}: missing field {err}") from err
        for a in actors.values():
            for r in a.roles:
                if r.body is not None and r.body not in actors:
                    raise ConfigError(f"actor {a.id!r}: role {r.title!r} names no body {r.body!r}")
        return cls(list(actors.values()), fuzzy_score=fuzzy_score)

    def __len__(self) -> int:
        return len(self.actors)

    def get(self, actor_id: str) -> Actor | None:
        return self.actors.get(actor_id)

    def gender(self, name: str) -> str | None:
        actor = self.by_name(name)
        return actor.gender if actor else None

    def resolve(
        self, name: str | None, mention: str = "", *, on: date | None = None
    ) -> Actor | None:
        """The actor a resolved name or, failing that, a role phrase refers to on a date."""
        if (
            mention
            and name
            and re.search(rf"\b{re.escape(normalise(name))}\b", normalise(mention))
            and self.described(normalise(mention))
        ):
            # "the UN secretary-general" as written names the person, not the body in it (a
            # name found elsewhere for a description, "the Kremlin aide", is the text's own)
            actor = self.by_description(mention, on=on)
            if actor:
                return actor
        if name:
            actor = self.by_name(name, fuzzy=False)
            if actor:
                return actor
        if mention and mention != name:
            # "Russia's Defence Ministry" as written, before any spelling close to its name
            actor = self._names_exact(mention)
            if actor:
                return actor
        if name:
            actor = self.by_name(name)
            if actor:
                return actor
        for text in (mention, name or ""):
            actor = self.by_description(text, on=on)
            if actor:
                return actor
        return None

    def _by_title(self, key: str, *, on: date | None) -> Actor | None:
        if len(key.split()) < 2 and key not in _OFFICE_WORDS:
            return None  # "minister", "official": far too many holders to guess from
        holders = {
            a.id
            for a in self.actors.values()
            for r in a.roles
            if r.holds_on(on) and normalise(r.title) == key
        }
        return self.actors[holders.pop()] if len(holders) == 1 else None

    def role_words(self, name: str, on: date | None) -> set[str]:
        """Lower-case words that say what a person is on a date: the role title's words before
        any "of" ("Press Secretary of the President" -> press, secretary), the role's
        organisation, and the words of the person's listed descriptions."""
        key = (name, on)
        if key not in self._role_words:
            if len(self._role_words) >= 65536:  # names x days grows without end over an archive
                self._role_words.clear()
            self._role_words[key] = self._words_for(name, on)
        return self._role_words[key]

    def _words_for(self, name: str, on: date | None) -> set[str]:
        actor = self.by_name(name)
        if actor is None or actor.kind != "person":
            return set()
        words: set[str] = set()
        # every role held that day ("Rustem Umerov", defence minister and head of the
        # delegation at once), else the latest
        held = [r for r in actor.roles if r.holds_on(on)]
        latest = actor.role_on(on)
        roles = held or ([latest] if latest is not None else [])
        for role in roles:
            words |= set(_WORD.findall(role.title.lower().split(" of ")[0]))
            words |= set(_WORD.findall(role.org.lower()))
        for d in (*actor.descriptions, *(d for r in roles for d in r.descriptions)):
            words |= set(_WORD.findall(d.lower()))
        return words - {"the", "of", "and", "for", "s"}

    def _names_exact(self, text: str) -> Actor | None:
        ids = self._names.get(normalise(text))
        return self.actors[ids[0]] if ids and len(set(ids)) == 1 else None

    def by_name(self, name: str, *, fuzzy: bool = True) -> Actor | None:
        """The actor a name is: as listed, by its last word ("Sergei V. Lavrov"), or with
        `fuzzy` a spelling close to a listed one ("Zelenskiy"), but never a listed name with
        words more ("Defence Ministry" is not the "UK defence ministry")."""
        key = normalise(name)
        if not key:
            return None
        ids = self._names.get(key)
        if ids is None and " " in key:
            # "Sergei V. Lavrov" -> "lavrov", "Russia's Kremlin" -> "kremlin"; but a kind of
            # body is no name ("Central Election Commission" is not the European Commission)
            last = key.split()[-1]
            ids = self._names.get(last)
            if ids and last in INSTITUTIONS and any(self.actors[i].kind != "person" for i in ids):
                ids = None
        if ids is None and fuzzy:
            matches = process.extract(
                key, self._choices, scorer=fuzz.ratio, score_cutoff=self.fuzzy_score, limit=3
            )
            words = set(key.split())
            # a qualifier missing is no spelling variant: the next closest may be one
            match = next((m for m in matches if not words < set(m[0].split())), None)
            ids = self._names[match[0]] if match else None
        if not ids or len(set(ids)) > 1:
            return None  # unknown, or a surname two people share: better none than a wrong one
        return self.actors[ids[0]]

    def body_of(self, name: str, side: str) -> Actor | None:
        """The one body of `side` that an unqualified body name is ("the Defence Ministry",
        "MoD", "Ministry of Defence" once the article has placed it in Russia): a listed body
        of that side with a name that ends in these words ("Russian Defence Ministry",
        "Russia's MoD"). None where the words fit none or several, or name only a kind of body
        ("the ministry", "the service")."""
        key = normalise(name)
        if not key or key in INSTITUTIONS:
            return None  # "the service", "the administration": a kind of body, not one
        found = {
            aid
            for alias, ids in self._names.items()
            if alias.endswith(" " + key)
            for aid in ids
            if self.actors[aid].kind == "body" and self.actors[aid].side == side
        }
        return self.actors[found.pop()] if len(found) == 1 else None

    def holder(self, title: str, side: str, *, on: date | None) -> Actor | None:
        """The one person of `side` holding a role of this title on a date ("President",
        russia: Putin), or None where none or several do."""
        key = normalise(title)
        found = {
            a.id
            for a in self.actors.values()
            if a.side == side
            and a.kind == "person"
            and any(r.holds_on(on) and normalise(r.title) == key for r in a.roles)
        }
        return self.actors[found.pop()] if len(found) == 1 else None

    def institution(self, actor: Actor, on: date | None) -> str | None:
        """The body an actor speaks for on a day, by name: a body itself, a person through the
        role they hold that day ("Dmitry Peskov" -> Kremlin, "Maria Zakharova" -> Russian
        Foreign Ministry); None for a person who holds no role with a body that day (a
        former president is no voice of the White House)."""
        if actor.kind != "person":
            # a ministry or the Kremlin is its own; a country or a capital is a side, no body
            return actor.name if actor.id in self._bodies else None
        held = [r for r in actor.roles if r.body is not None and r.holds_on(on)]
        if not held:
            return None
        # the latest taken up, as `Actor.role_on` gives the role ("Kirill Dmitriev", head of
        # the RDIF and Putin's special envoy: the Kremlin), where it has a body
        latest = max(held, key=lambda r: r.start or date.min)
        return self.actors[latest.body].name if latest.body in self.actors else None

    def by_description(self, text: str, *, on: date | None) -> Actor | None:
        """The one actor a role phrase names on a date: a listed description ("the Kremlin
        spokesman"), else the one holder of a role with that title ("the secretary of state")."""
        key = normalise(text)
        if not self.described(key):
            return self._by_title(key, on=on)
        # each candidate with the roles that make the description theirs: any of theirs for
        # a description of the person, the one role for a description of its holder
        pairs = [(i, self.actors[i].roles) for i in self._descriptions.get(key, [])]
        pairs += [(i, [r]) for i, r in self._by_role.get(key, [])]
        ids = list(dict.fromkeys(i for i, _ in pairs))
        if on is not None:
            dated = [i for i, roles in pairs if any(r.holds_on(on) for r in roles)]
        else:
            dated = [i for i, roles in pairs if any(r.end is None for r in roles)]
        holders = list(dict.fromkeys(dated)) or ids
        return self.actors[holders[0]] if len(holders) == 1 else None

    def described(self, key: str) -> bool:
        """Whether a normalised phrase is a listed description of someone."""
        return key in self._descriptions or key in self._by_role
