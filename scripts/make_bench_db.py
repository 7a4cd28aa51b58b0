"""Make a large synthetic redline database for load tests: plausible statements, no model needed.

    python scripts/make_bench_db.py --statements 100000 --out /tmp/bench.db

Docs are short wire-style reports (a dateline, then one paragraph per statement, each "ROLE NAME
said on DAY that CONTENT."), so offsets, excerpts and full-text search work as on real data.
Speakers come from the actor registry (a few speak often, most rarely), issues from the
taxonomy, dates from 2022 to 2026; some statements name a place. Contradictions are drawn from
pairs of the same speaker (or side) taking opposite stances on one issue. A few statements get
an analyst's corrections (stance, side, issues, a speaker, some marked wrong), as a reviewed
database has. Everything goes in through `Store.add_doc`, `Store.replace_contradictions` and
`Store.correct_many`, one transaction per doc; the same seed gives the same database.

Last, each statement's polarity toward its issues is computed and kept, as the web app does on
the first visit of each issue page and of the map (`redline.web.standing`): a database that
has been served once. `--cold` leaves that to the first visits.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from redline.coding import Coder, Registry, Taxonomy
from redline.coding.actors import Actor
from redline.models import (
    STANCES,
    Contradiction,
    ContradictionKind,
    Doc,
    Offsets,
    Statement,
    Target,
)
from redline.settings import Settings
from redline.store import Store, open_store
from redline.web import standing
from redline.web.views import Site

FIRST_DAY = date(2022, 1, 1)
LAST_DAY = date(2026, 10, 31)
OUTLETS = [
    "Northern Wire",
    "Dnipro Daily",
    "Baltic Wire",
    "Atlantic Desk",
    "Eastern Dispatch",
    "Kyiv Ledger",
    "Moscow Monitor",
    "Alpine Courier",
    "Danube Review",
    "Black Sea Herald",
]
CITIES = [
    "KYIV",
    "MOSCOW",
    "WASHINGTON",
    "BRUSSELS",
    "GENEVA",
    "ISTANBUL",
    "RIYADH",
    "LONDON",
    "BERLIN",
    "PARIS",
    "WARSAW",
    "MINSK",
    "BEIJING",
    "VIENNA",
    "NEW YORK",
    "ODESA",
]
PLACES = [
    ("UA-14", "Donetsk Oblast", "Donetsk"),
    ("UA-09", "Luhansk Oblast", "Luhansk"),
    ("UA-23", "Zaporizhzhia Oblast", "Zaporizhzhia"),
    ("UA-65", "Kherson Oblast", "Kherson"),
    ("UA-43", "Autonomous Republic of Crimea", "Crimea"),
    ("UA-63", "Kharkiv Oblast", "Kharkiv"),
    ("UA-30", "Kyiv", "Kyiv"),
]
# What each issue is about, as noun phrases a statement can take a stance on.
TOPICS = {
    "territory": [
        "any handover of occupied land",
        "the withdrawal of troops from {place}",
        "recognition of the current front line in {place}",
        "a referendum on the status of {place}",
    ],
    "sanctions": [
        "lifting sanctions on Russian banks",
        "a new package of sanctions on oil exports",
        "sanctions relief for fertiliser exports",
        "the freeze of central bank assets",
    ],
    "ceasefire": [
        "a full ceasefire along the front line",
        "a 30-day truce on land, sea and air",
        "a halt to strikes on energy sites",
        "a ceasefire monitored by neutral observers",
    ],
    "security_guarantees": [
        "binding security guarantees for Kyiv",
        "a European reassurance force on Ukrainian soil",
        "guarantees modelled on Article 5",
    ],
    "nato_membership": [
        "Ukraine's path to NATO membership",
        "a pledge that NATO would not expand further east",
        "an invitation to Kyiv at the next NATO summit",
    ],
    "legitimacy": [
        "the legitimacy of the government in Kyiv",
        "talks with a president whose term had expired",
        "the mandate of the negotiating delegation",
    ],
    "prisoners": [
        "an all-for-all prisoner exchange",
        "the return of deported children",
        "the exchange of 1,000 prisoners of war",
    ],
    "energy_infrastructure": [
        "a moratorium on strikes against power plants",
        "control of the Zaporizhzhia nuclear plant",
        "gas transit through Ukraine",
    ],
    "air_travel": [
        "the reopening of airspace to civilian flights",
        "the resumption of direct flights to Moscow",
    ],
    "negotiations_process": [
        "direct talks in Istanbul",
        "a summit between the two presidents",
        "mediation by the Gulf states",
        "a new round of talks in Geneva",
    ],
    "military_aid": [
        "new deliveries of air-defence systems",
        "long-range missiles for Ukraine",
        "a $10 billion military aid package",
    ],
    "elections": [
        "early presidential elections in Ukraine",
        "elections held under martial law",
    ],
}
# How a stance is worded around a topic.
FRAMES = {
    "demand": ["{side} must insist on {topic}", "there could be no deal without {topic}"],
    "reject": ["{side} would never accept {topic}", "{topic} was out of the question"],
    "concede": [
        "{side} could accept {topic} under certain conditions",
        "{side} was no longer ruling out {topic}",
    ],
    "claim": ["{topic} was already being discussed", "progress had been made on {topic}"],
    "deny": ["reports of talks on {topic} were false", "no one had agreed to {topic}"],
    "threaten": [
        "{side} would respond harshly to {topic}",
        "{topic} would be met with force",
    ],
    "propose": ["{side} was ready to discuss {topic}", "{side} proposed {topic}"],
    "accuse": [
        "the other side was sabotaging {topic}",
        "Western capitals had blocked {topic}",
    ],
}
OPPOSED = {
    "reject": {"concede", "propose"},
    "demand": {"reject", "deny"},
    "concede": {"reject", "demand"},
    "propose": {"reject", "threaten"},
    "deny": {"claim"},
    "claim": {"deny"},
}
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SIDE_WORDS = {"russia": "Moscow", "ukraine": "Kyiv", "us": "Washington", "eu": "the EU"}


@dataclass(frozen=True, slots=True)
class Made:
    """What was written: counts and how long it took."""

    docs: int
    statements: int
    contradictions: int
    corrected: int
    seconds: float


class Writer:
    """Builds one doc's text piece by piece, keeping the offsets of what it adds."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0

    def add(self, text: str) -> tuple[int, int]:
        start = self.size
        self.parts.append(text)
        self.size += len(text)
        return (start, self.size)

    def text(self) -> str:
        return "".join(self.parts)


def _speakers(registry: Registry, rng: random.Random) -> tuple[list[Actor], list[float]]:
    """People of the registry, a few weighted heavily: like the news, a long tail."""
    people = sorted(
        (a for a in registry.actors.values() if a.kind == "person" and a.side != "analyst"),
        key=lambda a: a.id,
    )
    rng.shuffle(people)
    main = {"russia": 0, "ukraine": 1, "us": 2}
    people.sort(key=lambda a: main.get(a.side, 3))  # the three main sides first, then the rest
    weights = [1.0 / (rank + 1) ** 0.9 for rank in range(len(people))]
    return people, weights


def _statement(
    rng: random.Random,
    writer: Writer,
    doc_id: str,
    source: str,
    actor: Actor,
    issues: list[str],
    day: date,
) -> Statement:
    issue = rng.choice([i for i in issues if i in TOPICS] or ["ceasefire"])
    stance = rng.choice(list(FRAMES))
    negated = rng.random() < 0.06
    target = None
    topic = rng.choice(TOPICS[issue])
    if "{place}" in topic or (issue == "territory" and rng.random() < 0.5):
        target = rng.choice(PLACES)
        topic = topic.format(place=target[2]) if "{place}" in topic else f"{topic} in {target[2]}"
    side = SIDE_WORDS.get(actor.side, "his government" if actor.gender == "m" else "the government")
    content = rng.choice(FRAMES[stance]).format(side=side, topic=topic)
    role = actor.role_on(day)
    title = f"{role.title} " if role and len(role.title) < 40 else ""
    said_text = f"on {WEEKDAYS[day.weekday()]}"
    writer.add(title)
    source_at = writer.add(actor.name)
    cue_at = writer.add(" said")
    cue_at = (cue_at[0] + 1, cue_at[1])
    writer.add(f" {said_text} that ")
    content_at = writer.add(content)
    writer.add(".\n\n")
    more = [i for i in issues if i != issue and rng.random() < 0.3]
    return Statement(
        doc=source,
        doc_id=doc_id,
        speaker_mention=actor.name,
        speaker_name=actor.name,
        cue="said",
        cue_lemma="say",
        content=content,
        quote="indirect",
        offsets=Offsets(source=[source_at], cue=[cue_at], content=[content_at]),
        said_on=day,
        said_on_text=said_text,
        speaker=actor.name,
        speaker_id=actor.id,
        side=actor.side,
        role=role.label() if role else None,
        issues=[issue, *more],
        stance=stance,
        negated=negated,
        conditional=rng.random() < 0.05,
        polarity=rng.choice((-1, 0, 1)),
        targets=[Target(kind="place", id=target[0], name=target[1])] if target else [],
    )


def _doc(
    rng: random.Random,
    n: int,
    per_doc: int,
    speakers: list[Actor],
    weights: list[float],
    issues: list[str],
) -> tuple[Doc, list[Statement]]:
    span_days = (LAST_DAY - FIRST_DAY).days
    published = FIRST_DAY + timedelta(days=rng.randrange(span_days + 1))
    city = rng.choice(CITIES)
    topic_issues = rng.sample(issues, k=min(3, len(issues)))
    headline_issue = topic_issues[0].replace("_", " ")
    source = f"bench/{published.isoformat()}-{n:06d}.txt"
    writer = Writer()
    writer.add(f"Officials trade positions on {headline_issue} ({n})\n\n")
    writer.add(f"{city}, {published:%B} {published.day} — ")
    # The statements' own ids depend on the doc id, which is the hash of the finished text, so
    # the paragraphs are written first with a placeholder and the statements rebuilt after.
    drafts = []
    for _ in range(per_doc):
        actor = rng.choices(speakers, weights)[0]
        day = published - timedelta(days=rng.choice((0, 0, 0, 1, 2)))
        drafts.append(_statement(rng, writer, "", source, actor, topic_issues, day))
    writer.add(f"Reporting by the {rng.choice(OUTLETS)} desk, file {n}.\n")
    doc = Doc(
        source=source,
        text=writer.text(),
        title=f"Officials trade positions on {headline_issue}",
        outlet=rng.choice(OUTLETS),
        published=published,
        url=f"https://example.org/bench/{n}",
    )
    stmts = []
    for d in drafts:
        d.doc_id = doc.id
        d.id = ""
        d.__post_init__()
        d.published = published
        stmts.append(d)
    return doc, stmts


def _contradictions(
    stmts: list[Statement], rng: random.Random, *, limit: int
) -> list[Contradiction]:
    """Opposite stances on one issue: by one speaker (self, or reversal when months apart) or
    by two speakers of one side (same-side)."""
    by_speaker: dict[tuple[str, str], list[Statement]] = defaultdict(list)
    by_side: dict[tuple[str, str], list[Statement]] = defaultdict(list)
    for s in stmts:
        if s.stance in OPPOSED and s.speaker_id:
            by_speaker[(s.speaker_id, s.issues[0])].append(s)
            by_side[(s.side, s.issues[0])].append(s)
    found: list[Contradiction] = []
    seen: set[tuple[str, str]] = set()

    def pairs(groups: dict[tuple[str, str], list[Statement]], share: int, same: bool) -> None:
        keys = sorted(groups)
        rng.shuffle(keys)
        made = 0
        for key in keys:
            group = groups[key]
            for _ in range(4):
                if made >= share:
                    return
                a, b = rng.sample(group, 2) if len(group) > 1 else (group[0], group[0])
                if a is b or b.stance not in OPPOSED[a.stance or ""]:
                    continue
                if not same and a.speaker_id == b.speaker_id:
                    continue
                a, b = sorted((a, b), key=lambda s: (s.said_on or FIRST_DAY, s.id))
                if (a.id, b.id) in seen:
                    continue
                seen.add((a.id, b.id))
                gap = ((b.said_on or FIRST_DAY) - (a.said_on or FIRST_DAY)).days
                kind: ContradictionKind = (
                    ("reversal" if gap > 60 else "self") if same else "same-side"
                )
                who = a.speaker if same else f"{a.speaker} and {b.speaker}"
                reason = f"{who}: {a.stance} then {b.stance} on {key[1].replace('_', ' ')}"
                found.append(Contradiction(a, b, kind, reason, round(rng.uniform(0.3, 0.95), 2)))
                made += 1

    pairs(by_speaker, limit * 2 // 3, True)
    pairs(by_side, limit - len(found), False)
    return found


def _corrections(
    store: Store, stmts: list[Statement], rng: random.Random, *, count: int, registry: Registry
) -> int:
    """Corrections of `count` statements, as analysts make them: mostly a stance, sometimes the
    side, the issues or the speaker, and now and then a statement marked wrong."""
    issues = sorted(TOPICS)
    people = sorted(a.id for a in registry.actors.values() if a.kind == "person")
    for stmt in rng.sample(stmts, k=min(count, len(stmts))):
        roll = rng.random()
        if roll < 0.5:
            values: dict[str, object] = {"stance": rng.choice(STANCES), "negated": False}
        elif roll < 0.65:
            values = {"issues": rng.sample(issues, k=rng.choice((1, 2)))}
        elif roll < 0.8:
            actor = registry.get(rng.choice(people))
            values = {"speaker": actor.name, "speaker_id": actor.id, "side": actor.side}
        elif roll < 0.9:
            values = {"side": rng.choice(list(SIDE_WORDS))}
        else:
            values = {"wrong": True}
        store.correct_many(stmt.id, values, author="bench", note="synthetic review")
    return min(count, len(stmts))


def _keep_polarities(store: Store, settings: Settings) -> None:
    """What the web app keeps on its first visits: every statement's polarity on its issues."""
    coder = Coder(settings, embeddings=False)
    site = Site(store=store, registry=coder.registry, taxonomy=coder.taxonomy, coder=coder)
    for issue in coder.taxonomy.issues:
        standing.stands_on(site, issue)


def make(
    out: Path,
    *,
    statements: int,
    per_doc: int,
    contradictions: int,
    corrections: int,
    seed: int,
    keep: bool = True,
) -> Made:
    """Write the database at `out` (which must not exist yet)."""
    started = time.perf_counter()
    rng = random.Random(seed)
    settings = Settings(db=str(out))
    registry = Registry.load(settings.actors_files)
    issues = sorted(i for i in Taxonomy.load(settings.taxonomy_file).issues if i in TOPICS)
    speakers, weights = _speakers(registry, rng)
    n_docs = max(1, round(statements / per_doc))
    kept: list[Statement] = []
    written = 0
    with open_store(str(out)) as store:
        for n in range(n_docs):
            want = min(per_doc, statements - written) if n == n_docs - 1 else per_doc
            doc, stmts = _doc(rng, n, max(1, want), speakers, weights, issues)
            store.add_doc(doc, stmts)
            written += len(stmts)
            kept.extend(stmts)
            if (n + 1) % 2500 == 0:
                print(f"  {n + 1:,} docs, {written:,} statements", file=sys.stderr)
        pairs = _contradictions(kept, rng, limit=contradictions)
        store.replace_contradictions(pairs)
        corrected = _corrections(store, kept, rng, count=corrections, registry=registry)
        if keep:
            print("  keeping polarities", file=sys.stderr)
            _keep_polarities(store, settings)
    return Made(n_docs, written, len(pairs), corrected, time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=100_000, help="how many statements")
    parser.add_argument("--per-doc", type=int, default=8, help="statements in each doc")
    parser.add_argument("--contradictions", type=int, default=3000, help="pairs to store")
    parser.add_argument(
        "--corrections", type=int, default=200, help="statements an analyst corrected"
    )
    parser.add_argument(
        "--cold", action="store_true", help="keep no polarities: the first page visits compute them"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True, help="the database file to write")
    parser.add_argument("--force", action="store_true", help="replace --out if it exists")
    args = parser.parse_args()
    if args.out.exists():
        if not args.force:
            parser.error(f"{args.out} exists; pass --force to replace it")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.out}{suffix}").unlink(missing_ok=True)
    made = make(
        args.out,
        statements=args.statements,
        per_doc=args.per_doc,
        contradictions=args.contradictions,
        corrections=args.corrections,
        seed=args.seed,
        keep=not args.cold,
    )
    print(
        f"{args.out}: {made.docs:,} docs, {made.statements:,} statements, "
        f"{made.contradictions:,} contradictions, {made.corrected:,} corrected statements "
        f"in {made.seconds:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
