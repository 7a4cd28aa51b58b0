"""Linking cost on synthetic statements: time and peak memory for N statements.

    .venv/bin/python benchmarks/link_bench.py [--n 1000000] [--linker rules|learned]

Statements are spread over 12 issues, 20 sides and 2,000 actors across four years, so every
block (side, issue) holds about 4,000 statements per million: the case that is quadratic
without the sweep. Positions are sticky, as in life: each side has a line per issue that 90%
of its statements follow, and an actor flips its own line with probability 2% a statement.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from datetime import date, timedelta

from redline.link import contradictions
from redline.link.scorer import PairScorer
from redline.models import Offsets, Statement

ISSUES = [
    "territory",
    "sanctions",
    "ceasefire",
    "security_guarantees",
    "nato_membership",
    "legitimacy",
    "prisoners",
    "energy_infrastructure",
    "air_travel",
    "negotiations_process",
    "military_aid",
    "elections",
]
STANCES = ["demand", "reject", "propose", "concede", "deny"]


def synthetic(n: int, seed: int = 7) -> list[Statement]:
    rng = random.Random(seed)
    start = date(2022, 2, 24)
    out = []
    lines: dict[tuple[int, str], int] = {}
    for i in range(n):
        actor = rng.randrange(2000)
        stmt = Statement(
            doc="synthetic",
            doc_id=f"d{i // 8}",
            speaker_mention=f"a{actor}",
            cue="said",
            # distinct words: the linker skips a statement whose words repeat another's
            content=f"w{i}z",
            quote="indirect",
            offsets=Offsets(content=[(i, i + 1)]),
            said_on=start + timedelta(days=rng.randrange(1460)),
            id=f"s{i}",
        )
        stmt.speaker_id = stmt.speaker = f"a{actor}"
        stmt.side = f"side{actor % 20}"
        stmt.issues = [rng.choice(ISSUES)]
        stmt.stance = rng.choice(STANCES)
        key = (actor, stmt.issues[0])
        if key not in lines or rng.random() < 0.02:
            lines[key] = rng.choice((-1, 1))
        side_line = 1 if hash((actor % 20, stmt.issues[0])) % 2 else -1
        stmt.polarity = side_line if rng.random() < 0.9 else lines[key]
        out.append(stmt)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument(
        "--linker",
        choices=("rules", "learned"),
        default="rules",
        help="the rules (the default setting) or the learned scorer over candidate pairs",
    )
    args = parser.parse_args()
    t0 = time.perf_counter()
    stmts = synthetic(args.n)
    t1 = time.perf_counter()
    if args.linker == "learned":
        # every statement takes a direction and pairs look alike: the scorer's worst case
        found = contradictions(
            stmts,
            polarity=lambda s, issue: s.polarity,
            explicit=lambda s, issue: True,
            claim_sign=lambda s: 1,
            same_claim=lambda a, b: 0.6,
            scorer=PairScorer.load(),
        )
    else:
        found = contradictions(stmts, polarity=lambda s, issue: s.polarity)
    t2 = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{args.linker}: {args.n:,} statements built in {t1 - t0:.1f} s; linked in {t2 - t1:.1f} s "
        f"({args.n / (t2 - t1):,.0f} statements/s), {len(found):,} contradictions, "
        f"peak RSS {peak:,.0f} MB"
    )


if __name__ == "__main__":
    main()
