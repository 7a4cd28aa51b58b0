"""Linking stage: statements -> contradictions between them.

Candidates are blocked by side and issue and compared in one sweep in time order, so the cost
grows with the number of statements, not with its square. Two statements contradict when they come from the same actor,
or the same side, share an issue and a compatible target, and take opposite positions on the
issue's direction (see the taxonomy). The same actor flipping after `reversal_min_days` is a
reversal rather than a self-contradiction.
"""

from __future__ import annotations

import re
from collections import OrderedDict, defaultdict, deque
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from functools import partial

from redline.link.nli import Nli, symmetric
from redline.link.scorer import FACTUAL, Covers, Judge, PairScorer, narrowed_to, pair_features
from redline.models import INSTITUTIONS, UNKNOWN_SIDE, Contradiction, ContradictionKind, Statement

NO_SIDE = {UNKNOWN_SIDE, "analyst", ""}
# how alike two positions worded as such must be (same_claim): of the pairs 0.5 let through
# on trainset/contradictions, 2 of 104 below 0.6 were annotated (P / R 13.8 / 22.7 -> 20.6 /
# 20.9; devset 17.0 / 15.1 -> 22.9 / 15.1)
RELATED_THRESHOLD = 0.6
# how much less alike one actor's two positions, both worded as such, need be: a minister who
# said "never" in March and "we are ready" in October need not repeat the March words. At the
# default threshold, 0.45 (trainset/contradictions pairs 52 of 138 -> 64 of 172 right; 0.5:
# 57 of 155, 0.4: 64 of 181)
SAME_ACTOR_EASING = 0.15
SAME_ACTOR_THRESHOLD = RELATED_THRESHOLD - SAME_ACTOR_EASING
Polarity = Callable[[Statement, str], int]


def contradictions(
    stmts: Sequence[Statement],
    *,
    polarity: Polarity,
    explicit: Callable[[Statement, str], bool] | None = None,
    story_of: dict[str, str] | None = None,
    reversal_min_days: int = 30,
    window_days: int = 180,
    max_peers: int = 25,
    claim_sign: Callable[[Statement], int] | None = None,
    same_claim: Callable[[Statement, Statement], float] | None = None,
    claim_threshold: float = 0.7,
    related_threshold: float = RELATED_THRESHOLD,
    scorer: PairScorer | None = None,
    nli: Nli | None = None,
    nli_threshold: float = 0.9,
    nli_candidates: int = 10,
    covers: Covers | None = None,
) -> list[Contradiction]:
    """Contradicting pairs, strongest first.

    One sweep in time order per block (side, or unaffiliated actor, and issue): a statement is
    compared with its own speaker's earlier positions (a flip: self or reversal) and with the
    latest position of at most `max_peers` recently active actors of its side within
    `window_days` (same-side). A configuration already reported (these two actors, this issue,
    these positions) is not reported again inside the window, so cost and output grow with the
    number of statements, not with its square. `story_of` maps doc id -> story id.

    `explicit` says whether the words take a direction on an issue: secondary issues count
    only where they do, and claims are positions only where they do. With `same_claim`, a
    pair must also say something alike (`same_claim` >= `related_threshold`): opposite
    positions on one broad issue ("no range restrictions" against "will finance drone
    production") are no contradiction; where not both statements word a direction, much the
    same thing (`SIMILAR_THRESHOLD`).

    Plain claims take no position, but two claims can still clash on fact ("there is a
    meeting planned" against "no meeting is planned"): with `claim_sign` and `same_claim`, a
    claim is compared with recent claims of its block and paired with the most similar one
    (`same_claim` >= `claim_threshold`) that asserts the opposite. So is a claim with the
    positions of its block whose words tell the opposite ("the question of flights was not
    raised" against "Russia proposed resuming flights"; see `_told`). A fragment of fewer
    than `ACCOUNT_WORDS` words is compared as neither.

    With a `scorer` (and `explicit`, `claim_sign`, `same_claim`), the rules above give way to
    a learned score over every candidate pair (see `candidate_pairs` and `link.scorer`).

    With an `nli` model, what either found is rescored by it and candidate pairs it finds
    contradictory (probability >= `nli_threshold`, at most `nli_candidates` earlier statements
    per statement) are added: see `link.nli`.

    Two statements' targets must be compatible: one names none, or they share one. With
    `covers`, what each target narrows the issue compared to is what must overlap: "security
    guarantees" does not make a statement on a ceasefire about another ceasefire, and "the
    1991 borders" spans every place.
    """
    story_of = story_of or {}
    if scorer is not None and explicit is not None and claim_sign and same_claim:
        judge = Judge(polarity, explicit, same_claim, claim_sign, covers)
        out = _scored(stmts, scorer, judge, story_of, reversal_min_days, SCORED_WINDOW_DAYS, covers)
    else:
        out = _ruled(
            stmts,
            polarity=polarity,
            explicit=explicit,
            story_of=story_of,
            reversal_min_days=reversal_min_days,
            window_days=window_days,
            max_peers=max_peers,
            claim_sign=claim_sign,
            same_claim=same_claim,
            claim_threshold=claim_threshold,
            related_threshold=related_threshold,
            covers=covers,
        )
    if nli is not None:
        candidates = candidate_pairs(
            stmts, explicit=explicit, story_of=story_of, limit=nli_candidates, covers=covers
        )
        out = _rescored(out, candidates, nli, nli_threshold, reversal_min_days)
    return sorted(out, key=lambda c: (-c.confidence, c.a.id, c.b.id))


def stories(pairs: Sequence[Contradiction]) -> list[list[Contradiction]]:
    """Pairs that tell one story, together: the same kind, the same two speakers, the same two
    days, the same stances on each side and the same shared issues ("Zelensky would not agree
    to a ceasefire" and "we will not sign up to a pause" in February against three offers of
    one in October are one reversal). A speaker no name was found for is one only within an
    article. Each story keeps its first pair's place in `pairs` and leads with it."""
    groups: dict[tuple[object, ...], list[Contradiction]] = {}
    for c in pairs:
        key = (
            c.kind,
            *(_story_side(s) for s in (c.a, c.b)),
            tuple(sorted(set(c.a.issues) & set(c.b.issues))),
        )
        groups.setdefault(key, []).append(c)
    return list(groups.values())


def _story_side(s: Statement) -> tuple[object, ...]:
    who = s.speaker or (s.doc_id, s.speaker_mention)
    return (who, s.when, s.stance, s.negated)


def _ruled(
    stmts: Sequence[Statement],
    *,
    polarity: Polarity,
    explicit: Callable[[Statement, str], bool] | None,
    story_of: dict[str, str],
    reversal_min_days: int,
    window_days: int,
    max_peers: int,
    claim_sign: Callable[[Statement], int] | None,
    same_claim: Callable[[Statement, Statement], float] | None,
    claim_threshold: float,
    related_threshold: float,
    covers: Covers | None = None,
) -> list[Contradiction]:
    """The opposite-position rules (see `contradictions`)."""
    blocks: dict[tuple[str, str], list[tuple[Statement, int]]] = defaultdict(list)
    facts: dict[tuple[str, str], list[tuple[Statement, int]]] = defaultdict(list)
    told: dict[tuple[str, str], list[tuple[Statement, int]]] = defaultdict(list)
    plain: set[tuple[str, str]] = set()  # (statement, issue): a plain claim on that issue
    for stmt in _one_per_story(stmts, story_of):
        if not (stmt.speaker_id or stmt.speaker_name):
            continue  # "a senior official" here and there need not be one person
        key = _block(stmt)
        factual = stmt.stance in FACTUAL
        for issue in _linkable_issues(stmt, explicit):
            # a claim whose words take a direction ("agreed in principle to restore flights")
            # is a position like any other; a plain report of facts is compared as a claim
            pol = polarity(stmt, issue) if not factual or _explicit(explicit, stmt, issue) else 0
            if pol:
                blocks[(key, issue)].append((stmt, pol))
                sign = _told(stmt, claim_sign) if claim_sign is not None else 0
                if sign and _account(stmt):
                    told[(key, issue)].append((stmt, sign))
            elif factual and claim_sign is not None and _account(stmt):
                sign = claim_sign(stmt)
                facts[(key, issue)].append((stmt, sign))
                told[(key, issue)].append((stmt, sign))
                plain.add((stmt.id, issue))
    found: dict[tuple[str, str], Contradiction] = {}
    for (_, issue), group in blocks.items():
        group.sort(key=lambda sp: (sp[0].when or _FAR, sp[0].id))

        def related(a: Statement, b: Statement, issue: str = issue) -> bool:
            if _one_message(a, b) and same_claim is not None and same_claim(a, b) >= ONE_MESSAGE:
                return False
            # both take a direction in words and say something alike, or say much the same
            if explicit is not None and not (explicit(a, issue) and explicit(b, issue)):
                # positions coded without direction words on both ends: only where the two
                # say much the same thing (trainset/contradictions P / R 9.2 / 11.7 ->
                # 10.4 / 17.8 against not at all; devset 21.2 / 13.2 -> 16.3 / 15.1)
                return same_claim is not None and same_claim(a, b) >= SIMILAR_THRESHOLD
            # one actor's two positions need say less alike to clash than two speakers'
            floor = related_threshold - SAME_ACTOR_EASING * (_actor(a) == _actor(b))
            return same_claim is None or same_claim(a, b) >= floor

        for a, b in _sweep(
            group,
            window_days=window_days,
            max_peers=max_peers,
            related=related,
            compatible=partial(_targets_compatible, issue=issue, covers=covers),
        ):
            pair = (a.id, b.id)
            if pair not in found:
                found[pair] = _explain(a, b, issue, reversal_min_days)
    if same_claim is not None:

        def mixed(x: Statement, y: Statement, issue: str) -> bool:
            return ((x.id, issue) in plain) != ((y.id, issue) in plain)

        # claims against claims, then plain claims against positions
        for pool, apart in ((facts, None), (told, mixed)):
            for (_, issue), group in pool.items():
                group.sort(key=lambda sp: (sp[0].when or _FAR, sp[0].id))
                for a, b in _fact_sweep(
                    group,
                    same_claim,
                    claim_threshold,
                    window_days,
                    partial(_targets_compatible, issue=issue, covers=covers),
                    apart=partial(apart, issue=issue) if apart else None,
                ):
                    pair = (a.id, b.id)
                    if pair not in found:
                        found[pair] = _explain(a, b, issue, reversal_min_days, factual=True)
    return list(found.values())


def _account(stmt: Statement) -> bool:
    """Whether a statement says enough to be checked against another: a fragment the extractor
    kept ("it", "how to vote", "the decision") shares its few words with anything."""
    return len(_WORDS.findall(stmt.content.lower())) >= ACCOUNT_WORDS


def _told(stmt: Statement, claim_sign: Callable[[Statement], int]) -> int:
    """+1/-1: whether a position's words tell that its matter happens (or is on the table) or
    not, as a claim's would; 0 where they do not tell.

    A refusal tells not only by a negation of its own ("there will be no Taurus deliveries"):
    "done with funding the war" refuses what its words do not name. A demand, proposal or
    concession puts its matter forward, unless its words are negative: "insists that no troops
    be deployed" asks for an absence and tells no fact. A negated move tells nothing sure: "we
    are not asking anyone to lift sanctions" is not "sanctions are not there", and "has not
    ruled out" is not a yes. An accusation or a threat tells nothing either (`UNTOLD`)."""
    if stmt.negated or stmt.stance in UNTOLD:
        return 0
    sign = claim_sign(stmt)
    if stmt.stance == "reject":
        return -1 if sign < 0 else 0
    if stmt.stance in FACTUAL:
        return sign
    return 1 if sign > 0 else 0


# positions whose words' negation says nothing of whether their matter happens: "the West is
# not interested in peace" blames, "we will not wait forever" warns (see `_told`)
UNTOLD = frozenset({"accuse", "threaten"})
ACCOUNT_WORDS = 4  # the fewest words a statement compared as an account of facts has
SIMILAR_THRESHOLD = 0.6  # how alike two positions not both worded as such must be (same_claim)
# how alike two same-day reports of one move must be to be one message (`_one_message`): the
# Kremlin's Black Sea condition in two outlets' words is 0.85; "a ceasefire only after
# sanctions are lifted" against "an immediate ceasefire with no conditions", a real clash of
# two demands, 0.71
ONE_MESSAGE = 0.8
CANDIDATES = 40  # earlier statements of a block each statement is scored against
SCORED_WINDOW_DAYS = 365  # how far apart two speakers' statements are still scored


def candidate_pairs(
    stmts: Sequence[Statement],
    *,
    explicit: Callable[[Statement, str], bool] | None,
    story_of: dict[str, str] | None = None,
    window_days: int = SCORED_WINDOW_DAYS,
    limit: int = CANDIDATES,
    covers: Covers | None = None,
) -> Iterator[tuple[Statement, Statement, str, bool]]:
    """(earlier, later, issue, same actor) for pairs that could contradict: one side (or one
    unaffiliated actor) and one issue, compatible targets, not the same words twice, not one
    speaker twice on one occasion, other speakers within `window_days`. Each statement meets
    at most `limit` earlier ones of its block, so the count grows with the statements."""
    blocks: dict[tuple[str, str], list[Statement]] = defaultdict(list)
    for stmt in _one_per_story(stmts, story_of or {}):
        if not (stmt.speaker_id or stmt.speaker_name):
            continue
        for issue in _linkable_issues(stmt, explicit):
            blocks[(_block(stmt), issue)].append(stmt)
    seen: set[tuple[str, str]] = set()
    for (_, issue), group in blocks.items():
        group.sort(key=lambda st: (st.when or _FAR, st.id))
        for n, later in enumerate(group):
            day = later.when or _FAR
            for earlier in group[max(0, n - limit) : n]:
                same = _actor(earlier) == _actor(later)
                if (same and _same_occasion(earlier, later)) or (
                    not same and _stale(earlier, day, window_days)
                ):
                    continue
                if _restated(earlier, later) or not _targets_compatible(
                    earlier, later, issue, covers
                ):
                    continue
                if (earlier.id, later.id) not in seen:
                    seen.add((earlier.id, later.id))
                    yield earlier, later, issue, same


def _scored(
    stmts: Sequence[Statement],
    scorer: PairScorer,
    judge: Judge,
    story_of: dict[str, str],
    reversal_min_days: int,
    window_days: int,
    covers: Covers | None = None,
) -> list[Contradiction]:
    found = []
    for a, b, issue, same in candidate_pairs(
        stmts,
        explicit=judge.explicit,
        story_of=story_of,
        window_days=window_days,
        covers=covers,
    ):
        score = scorer.score(pair_features(a, b, issue, judge, same_actor=same))
        if score >= scorer.threshold:
            factual = a.stance in FACTUAL and b.stance in FACTUAL
            pair = _explain(a, b, issue, reversal_min_days, factual=factual)
            pair.confidence = round(score, 2)
            found.append(pair)
    return found


NLI_CHUNK = 256  # candidate pairs scored at a time


def _rescored(
    found: list[Contradiction],
    candidates: Iterator[tuple[Statement, Statement, str, bool]],
    nli: Nli,
    threshold: float,
    reversal_min_days: int,
) -> list[Contradiction]:
    """`found` with the model's probability folded into each confidence and reason, and the
    candidate pairs it finds contradictory where nothing else did."""
    probs = symmetric(nli, [(c.a.content, c.b.content) for c in found])
    out = [_weighed(pair, p, "NLI model") for pair, p in zip(found, probs, strict=True)]
    seen = {frozenset((c.a.id, c.b.id)) for c in found}
    chunk: list[tuple[Statement, Statement, str]] = []

    def flush() -> None:
        for (a, b, issue), p in zip(
            chunk, symmetric(nli, [(a.content, b.content) for a, b, _ in chunk]), strict=True
        ):
            if p >= threshold:
                factual = a.stance in FACTUAL and b.stance in FACTUAL
                pair = _explain(a, b, issue, reversal_min_days, factual=factual)
                out.append(_weighed(pair, p, "found by the NLI model"))
        chunk.clear()

    for a, b, issue, _ in candidates:
        key = frozenset((a.id, b.id))
        if key in seen:
            continue
        seen.add(key)
        chunk.append((a, b, issue))
        if len(chunk) >= NLI_CHUNK:
            flush()
    flush()
    return out


def _weighed(pair: Contradiction, p: float, said: str) -> Contradiction:
    """`pair` with the NLI model's probability averaged into its confidence, and in its reason."""
    pair.confidence = round((pair.confidence + p) / 2, 2)
    pair.reason = f"{pair.reason}; {said}: contradiction {p:.2f}"
    return pair


HISTORY = 5  # earlier positions of one actor kept to find one with a compatible target


def _sweep(
    group: list[tuple[Statement, int]],
    *,
    window_days: int,
    max_peers: int,
    related: Callable[[Statement, Statement], bool] = lambda a, b: True,
    compatible: Callable[[Statement, Statement], bool] | None = None,
) -> Iterator[tuple[Statement, Statement]]:
    """Pairs (earlier, later) of opposite positions in one time-ordered block."""
    recent: OrderedDict[str, deque[tuple[Statement, int]]] = OrderedDict()
    reported: dict[tuple[str, str, int], date] = {}
    for stmt, pol in group:
        actor = _actor(stmt)
        day = stmt.when or _FAR
        for other, history in reversed(list(recent.items())):
            same = other == actor
            if not same and _stale(history[-1][0], day, window_days):
                continue
            fits = compatible or _targets_compatible
            on_target = [(e, p) for e, p in reversed(history) if fits(e, stmt)]
            # another actor's latest position on a compatible target is the one that counts;
            # the speaker's own earlier positions all do ("rejected a ceasefire in 2023"
            # against each later call for one)
            for earlier, earlier_pol in on_target if same else on_target[:1]:
                if earlier_pol != -pol or not related(earlier, stmt):
                    continue
                if same and _same_occasion(earlier, stmt):
                    continue  # one speaker, one article, one day: a misreading
                if _restated(earlier, stmt):
                    continue  # the same words quoted twice cannot disagree
                if not same:
                    config = (other, actor, earlier_pol)
                    last = reported.get(config)
                    if last is not None and (day - last).days <= window_days:
                        continue
                    reported[config] = day
                yield earlier, stmt
        history = recent.pop(actor, deque(maxlen=HISTORY))
        history.append((stmt, pol))
        recent[actor] = history
        while len(recent) > max_peers:
            recent.popitem(last=False)


FACT_MEMORY = 40  # earlier claims of a block a new claim is compared with


def _fact_sweep(
    group: list[tuple[Statement, int]],
    same_claim: Callable[[Statement, Statement], float],
    threshold: float,
    window_days: int,
    compatible: Callable[[Statement, Statement], bool] | None = None,
    apart: Callable[[Statement, Statement], bool] | None = None,
) -> Iterator[tuple[Statement, Statement]]:
    """Pairs (earlier, later) of claims about the same thing asserting opposite things; with
    `apart`, only pairs of which it holds (a plain claim and a position)."""
    fits = compatible or _targets_compatible
    recent: deque[tuple[Statement, int]] = deque(maxlen=FACT_MEMORY)
    for stmt, sign in group:
        day = stmt.when or _FAR
        best: tuple[float, Statement] | None = None
        for earlier, earlier_sign in recent:
            if earlier_sign == sign or _stale(earlier, day, window_days):
                continue
            if apart is not None and not apart(earlier, stmt):
                continue
            if _actor(earlier) == _actor(stmt) and _same_occasion(earlier, stmt):
                continue
            if not fits(earlier, stmt):
                continue
            score = same_claim(earlier, stmt)
            if score >= threshold and (best is None or score > best[0]):
                best = (score, earlier)
        if best is not None:
            yield best[1], stmt
        recent.append((stmt, sign))


_WORDS = re.compile(r"[a-z0-9]+")


def _one_message(a: Statement, b: Statement) -> bool:
    """Whether two statements may be two reports of one day's message: the same move,
    negated alike, on one day (said, or reported undated), in two articles or in one (a
    lede's "Moscow says" and the body's "the Kremlin said"). Where they also say much the
    same thing (`ONE_MESSAGE`), opposite positions read from them are a misreading, not two
    voices: "the ceasefire will take effect once the bank is reconnected" and "would take
    effect only after the sanctions on the bank were lifted", two wordings of one Kremlin
    condition."""
    return (
        a.when is not None and a.when == b.when and a.stance == b.stance and a.negated == b.negated
    )


def _restated(a: Statement, b: Statement) -> bool:
    """One statement's words contained in the other's: a quote and its paraphrase or repeat."""
    wa = " ".join(w for w in _WORDS.findall(a.content.lower()) if w != "that")
    wb = " ".join(w for w in _WORDS.findall(b.content.lower()) if w != "that")
    return bool(wa and wb) and (wa in wb or wb in wa)


def _explicit(
    explicit: Callable[[Statement, str], bool] | None, stmt: Statement, issue: str
) -> bool:
    return explicit is not None and explicit(stmt, issue)


def _same_occasion(a: Statement, b: Statement) -> bool:
    """One article, one day: or one of the two undated there ("said on Sunday that ...,
    adding that ...": the second remark gives no date of its own)."""
    return a.doc_id == b.doc_id and (
        a.said_on == b.said_on or a.said_on is None or b.said_on is None
    )


def _stale(earlier: Statement, day: date, window_days: int) -> bool:
    when = earlier.when
    return when is not None and day is not _FAR and (day - when).days > window_days


def _block(stmt: Statement) -> str:
    """The side a statement is compared within; an actor of no side is its own block."""
    return stmt.side if stmt.side not in NO_SIDE else f"actor:{_actor(stmt)}"


def _actor(stmt: Statement) -> str:
    if stmt.speaker_id:
        return stmt.speaker_id
    name = (stmt.speaker or "").lower()
    if name.rsplit(" ", 1)[-1] in INSTITUTIONS:
        # "the Defence Ministry" the registry cannot place: whose it is, only its article says
        return f"{name}@{stmt.doc_id}"
    return name


def _linkable_issues(
    stmt: Statement, explicit: Callable[[Statement, str], bool] | None
) -> list[str]:
    """The primary issue, and others only where the words give a direction on them: an
    aside ("for a peace agreement to be possible") is no position on talks."""
    out = []
    for n, issue in enumerate(stmt.issues):
        if issue == "other":
            continue
        if n == 0 or explicit is None or explicit(stmt, issue):
            out.append(issue)
    return out


def _one_per_story(stmts: Sequence[Statement], story_of: dict[str, str]) -> list[Statement]:
    """A syndicated copy repeats its statements: keep the first of each."""
    seen: set[tuple[str, str, str]] = set()
    out = []
    for s in stmts:
        key = (
            story_of.get(s.doc_id, s.doc_id),
            s.speaker_id or s.speaker or "",
            s.content[:120].lower(),
        )
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out


def _targets_compatible(
    a: Statement, b: Statement, issue: str = "", covers: Covers | None = None
) -> bool:
    """Shared targets, or one side general ("sanctions relief") and the other specific; with
    `covers`, what the targets narrow `issue` to must overlap."""
    ta, tb = narrowed_to(a, issue, covers), narrowed_to(b, issue, covers)
    return not ta or not tb or bool(ta & tb)


def _same_actor(a: Statement, b: Statement) -> bool:
    if a.speaker_id and b.speaker_id:
        return a.speaker_id == b.speaker_id
    return bool(a.speaker) and (a.speaker or "").lower() == (b.speaker or "").lower()


def _explain(
    a: Statement, b: Statement, issue: str, reversal_min_days: int, *, factual: bool = False
) -> Contradiction:
    same = _same_actor(a, b)
    gap = (b.when - a.when).days if a.when and b.when else 0
    kind: ContradictionKind = (
        "reversal" if same and gap >= reversal_min_days else ("self" if same else "same-side")
    )
    shared = {t.id for t in a.targets} & {t.id for t in b.targets}
    confidence = (
        0.5
        + (0.2 if same else 0.0)
        + (0.2 if shared else 0.0)
        + (0.1 if a.doc_id != b.doc_id else 0.0)
        - (0.1 if factual else 0.0)
    )
    on = ", ".join(t.name for t in a.targets if t.id in shared)
    topic = issue.replace("_", " ") + (f" ({on})" if on else "")
    # two bodies of one side named: "Dmitry Peskov and Maria Zakharova (russia: Kremlin vs
    # Russian Foreign Ministry)"
    bodies = a.institution and b.institution and a.institution != b.institution
    where = f"{a.side}: {a.institution} vs {b.institution}" if bodies else a.side
    who = (a.speaker or "?") if same else f"{a.speaker or '?'} and {b.speaker or '?'} ({where})"
    verb = {
        "reversal": "reversed position",
        "self": "contradicted themselves",
        "same-side": "sent opposite messages",
    }[kind]
    if factual:
        verb = "gave opposite accounts" if not same else "gave opposite accounts of the facts"
    reason = f"{who} {verb} on {topic}: {_gist(a)} ({_day(a)}) vs {_gist(b)} ({_day(b)})"
    return Contradiction(
        a=a, b=b, kind=kind, reason=reason, confidence=round(min(confidence, 1.0), 2)
    )


def _gist(s: Statement) -> str:
    neg = "not " if s.negated else ""
    return f"{neg}{s.stance or 'says'}: “{_short(s.content)}”"


def _short(text: str, n: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + "…"


def _day(s: Statement) -> str:
    return s.when.isoformat() if s.when else "undated"


_FAR = date.max
