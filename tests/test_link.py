"""Linking: which coded statements contradict each other, of what kind, and why."""

from __future__ import annotations

import itertools
import json
from datetime import date
from typing import Any

import pytest

from redline.coding import Coder
from redline.errors import ConfigError
from redline.link import (
    RELATED_THRESHOLD,
    SAME_ACTOR_THRESHOLD,
    candidate_pairs,
    contradictions,
)
from redline.link.scorer import FEATURES, Judge, PairScorer, pair_features
from redline.models import Offsets, Statement, Target
from redline.pipeline import find_contradictions
from redline.settings import Settings

_ids = itertools.count()


@pytest.fixture(scope="module")
def coder() -> Coder:
    return Coder(Settings(actors_files=[], taxonomy_file=None))


@pytest.fixture
def said(coder: Coder):
    def make(
        speaker: str | None,
        content: str,
        day: date | None = date(2025, 3, 1),
        *,
        doc_id: str | None = None,
        lemma: str = "say",
        mention: str = "",
        **override: object,
    ) -> Statement:
        n = next(_ids)
        stmt = Statement(
            doc=content,
            doc_id=doc_id or f"doc-{n}",
            speaker_mention=mention or speaker or "",
            cue=lemma + "ed",
            cue_lemma=lemma,
            content=content,
            quote="indirect",
            offsets=Offsets(cue=[(0, 4)], content=[(5, 5 + len(content))]),
            speaker_name=speaker,
            said_on=day,
        )
        coder.code(stmt)
        for key, value in override.items():
            setattr(stmt, key, value)
        return stmt

    return make


LIFT = "The United States must lift sanctions on Russian banks"  # demand, toward lifting: +1
NO_RELIEF = "Russia is not seeking sanctions relief"  # negated demand for relief: -1
LIFT_AEROFLOT = "Brussels must lift the sanctions on Aeroflot"  # +1, target aeroflot
NO_SWIFT = "Russia is not seeking to be reconnected to SWIFT"  # -1, target swift
NEW_SANCTIONS = "The West must impose new sanctions on Russia"  # demand, away from lifting: -1


def link(coder: Coder, stmts: list[Statement], **kwargs: object) -> list:
    return contradictions(stmts, polarity=coder.polarity_on, **kwargs)  # type: ignore[arg-type]


def test_fixture_sentences_code_as_intended(said) -> None:
    lavrov = said("Lavrov", LIFT)
    assert (lavrov.side, lavrov.issues[0], lavrov.stance, lavrov.polarity) == (
        "russia",
        "sanctions",
        "demand",
        1,
    )
    assert said("Peskov", NO_RELIEF).polarity == -1
    aeroflot = said("Lavrov", LIFT_AEROFLOT)
    assert [t.id for t in aeroflot.targets] == ["aeroflot"] and aeroflot.polarity == 1
    swift = said("Peskov", NO_SWIFT)
    assert [t.id for t in swift.targets] == ["swift"] and swift.polarity == -1
    assert said("Zelensky", NEW_SANCTIONS).polarity == -1


def test_same_side_opposite_polarity(coder: Coder, said) -> None:
    a = said("Lavrov", LIFT, date(2025, 3, 1))
    b = said("Peskov", NO_RELIEF, date(2025, 3, 3))
    [c] = link(coder, [b, a])
    assert c.kind == "same-side"
    assert c.a is a and c.b is b  # the earlier statement first, whatever the input order
    assert "Sergey Lavrov" in c.reason and "Dmitry Peskov" in c.reason
    assert "russia" in c.reason and "sanctions" in c.reason
    assert "2025-03-01" in c.reason and "2025-03-03" in c.reason
    assert 0 < c.confidence <= 1
    # two bodies of one side are named: the foreign ministry against the Kremlin
    assert "Russian Foreign Ministry vs Kremlin" in c.reason


def test_same_actor_within_days_is_self(coder: Coder, said) -> None:
    a = said("Lavrov", LIFT, date(2025, 3, 1))
    b = said("Sergei Lavrov", NO_RELIEF, date(2025, 3, 6))
    [c] = link(coder, [a, b])
    assert c.kind == "self"
    assert c.a is a and c.b is b
    assert "Sergey Lavrov" in c.reason and "contradicted" in c.reason


def test_same_actor_months_apart_is_reversal(coder: Coder, said) -> None:
    a = said("Lavrov", LIFT, date(2025, 1, 10))
    b = said("Lavrov", NO_RELIEF, date(2025, 6, 10))
    [c] = link(coder, [b, a])
    assert c.kind == "reversal"
    assert c.a is a and c.b is b
    assert "reversed" in c.reason
    # the threshold is a setting: with a year's grace the same pair is a plain self-contradiction
    [c] = link(coder, [a, b], reversal_min_days=365)
    assert c.kind == "self"
    # exactly at the threshold counts as a reversal
    gap = (b.said_on - a.said_on).days  # type: ignore[operator]
    [c] = link(coder, [a, b], reversal_min_days=gap)
    assert c.kind == "reversal"


def test_undated_same_actor_is_self(coder: Coder, said) -> None:
    a = said("Lavrov", LIFT, None)
    b = said("Lavrov", NO_RELIEF, date(2025, 6, 10))
    [c] = link(coder, [a, b])
    assert c.kind == "self"
    assert c.a is b  # a dated statement sorts before an undated one
    assert "undated" in c.reason


def test_an_undated_remark_in_the_same_article_is_the_same_occasion(coder: Coder, said) -> None:
    # "said on Sunday that ..., adding that ...": the second remark has no date of its own
    a = said("Lavrov", LIFT, date(2025, 3, 2), doc_id="one-article")
    b = said("Lavrov", NO_RELIEF, None, doc_id="one-article")
    assert link(coder, [a, b]) == []
    # in two articles the same pair stands
    b.doc_id = "another-article"
    [c] = link(coder, [a, b])
    assert c.kind == "self"


def test_different_sides_do_not_contradict(coder: Coder, said) -> None:
    a = said("Lavrov", LIFT)
    b = said("Zelensky", NEW_SANCTIONS)
    assert a.side == "russia" and b.side == "ukraine"
    assert link(coder, [a, b]) == []


def test_same_polarity_does_not_contradict(coder: Coder, said) -> None:
    a = said("Lavrov", LIFT)
    b = said("Peskov", "Washington should ease the sanctions on Russian airlines")
    assert b.polarity == 1
    assert link(coder, [a, b]) == []


def test_disjoint_targets_do_not_contradict(coder: Coder, said) -> None:
    aeroflot = said("Lavrov", LIFT_AEROFLOT)
    swift = said("Peskov", NO_SWIFT)
    assert link(coder, [aeroflot, swift]) == []


def test_only_targets_that_bear_on_the_issue_keep_pairs_apart(coder: Coder, said) -> None:
    # Aeroflot is a sanctions target; the coalition of the willing says nothing of which sanctions,
    # and "the 1991 borders" spans every place
    aeroflot = said("Lavrov", LIFT_AEROFLOT, date(2025, 3, 1))
    other = said("Peskov", NO_RELIEF, date(2025, 3, 2))
    other.targets = [
        Target("object", "coalition-of-the-willing", "Coalition of the willing"),
        Target("place", "special:1991-borders", "the 1991 borders"),
    ]
    assert link(coder, [aeroflot, other]) == []
    [c] = link(coder, [aeroflot, other], covers=coder.gazetteer.covers)
    assert (c.a, c.b) == (aeroflot, other)
    swift = said("Peskov", NO_SWIFT, date(2025, 3, 2))
    assert link(coder, [aeroflot, swift], covers=coder.gazetteer.covers) == []


def test_general_statement_pairs_with_specific(coder: Coder, said) -> None:
    aeroflot = said("Lavrov", LIFT_AEROFLOT, date(2025, 3, 1))
    general = said("Peskov", NO_RELIEF, date(2025, 3, 2))
    assert general.targets == []
    [c] = link(coder, [aeroflot, general])
    assert (c.a, c.b, c.kind) == (aeroflot, general, "same-side")


def test_shared_target_raises_confidence(coder: Coder, said) -> None:
    specific = said("Lavrov", LIFT_AEROFLOT, date(2025, 3, 1))
    same_target = said("Peskov", "Russia is not seeking relief for Aeroflot", date(2025, 3, 2))
    general = said("Peskov", NO_RELIEF, date(2025, 3, 3))
    found = link(coder, [specific, same_target, general])
    # Peskov saying it again, more generally, is the same disagreement: reported once
    assert [(c.a, c.b) for c in found] == [(specific, same_target)]
    assert "Aeroflot" in found[0].reason
    [general_pair] = link(coder, [specific, general])
    assert found[0].confidence > general_pair.confidence


def test_syndicated_copies_do_not_duplicate_pairs(coder: Coder, said) -> None:
    a = said("Lavrov", LIFT, date(2025, 3, 1), doc_id="wire-original")
    copy = said("Lavrov", LIFT, date(2025, 3, 1), doc_id="wire-reprint")
    b = said("Peskov", NO_RELIEF, date(2025, 3, 2), doc_id="other-story")
    assert a.id != copy.id
    [without] = link(coder, [a, copy, b])
    assert without.b == b  # one disagreement either way
    story_of = {"wire-original": "story-1", "wire-reprint": "story-1", "other-story": "story-2"}
    [c] = link(coder, [a, copy, b], story_of=story_of)
    assert (c.a, c.b) == (a, b)  # the copy is dropped, the original cited


def test_two_issues_give_one_pair(coder: Coder, said) -> None:
    a = said("Lavrov", "The EU must lift sanctions on Aeroflot so that flights resume")
    b = said("Peskov", "Moscow is not seeking sanctions relief for Aeroflot or new flights")
    assert {"sanctions", "air_travel"} <= set(a.issues) & set(b.issues)
    assert len(link(coder, [a, b])) == 1


@pytest.mark.parametrize("side", ["unknown", "analyst"])
def test_no_side_does_not_make_same_side_pairs(coder: Coder, said, side: str) -> None:
    a = said("Jane Roe", LIFT, side=side)
    b = said("John Doe", NO_RELIEF, side=side)
    assert link(coder, [a, b]) == []
    # but one such speaker can still contradict themselves (in their own words: told by an
    # analyst, "Russia is not seeking relief" is a claim about Russia's wishes)
    c = said(
        "Jane Roe", "The sanctions on Russian banks must not be lifted", date(2025, 3, 4), side=side
    )
    [found] = link(coder, [a, b, c])
    assert (found.a, found.b, found.kind) == (a, c, "self")
    assert "Jane Roe" in found.reason


def test_a_remarks_circumstance_is_no_position(coder: Coder, said, settings: Settings) -> None:
    yes = said("Sybiha", "Ukraine has said yes to a full and unconditional 30-day ceasefire")
    aeroflot = said(
        "Sybiha",
        "any easing of restrictions on Aeroflot would send the wrong signal to Moscow at a "
        "time when it was refusing an unconditional ceasefire",
        date(2025, 4, 20),
    )
    assert "ceasefire" in aeroflot.issues  # named, but only as the time it is said in
    found = find_contradictions([yes, aeroflot], coder=coder, settings=settings)
    assert not any("on ceasefire" in c.reason for c in found), [c.reason for c in found]


def test_one_days_message_in_two_reports_is_no_contradiction(
    coder: Coder, said, settings: Settings
) -> None:
    day = date(2025, 3, 26)
    one = said(
        "Moscow",
        "a maritime ceasefire agreed in Riyadh will only take effect once the agricultural "
        "bank is reconnected to SWIFT",
        day,
        doc_id="wire",
    )
    other = said(
        "Kremlin",
        "a maritime ceasefire in the Black Sea agreed with the United States would take effect "
        "only after Western sanctions on the state agricultural lender Rosselkhozbank were "
        "lifted and the bank was reconnected",
        day,
        doc_id="daily",
    )
    assert one.stance == other.stance  # one Kremlin condition in two outlets' words
    assert find_contradictions([one, other], coder=coder, settings=settings) == []
    # or in one article's lede and body ("Moscow says ...", "the Kremlin said ...")
    other.doc_id = one.doc_id
    assert find_contradictions([one, other], coder=coder, settings=settings) == []
    # two bodies clashing that same day are still a pair
    lift = said("Peskov", "The West must lift the sanctions on Russian banks", day, doc_id="a")
    not_sought = said(
        "Zakharova", "Russia is not seeking the lifting of sanctions on its banks", day, doc_id="b"
    )
    [pair] = find_contradictions([lift, not_sought], coder=coder, settings=settings)
    assert pair.kind == "same-side" and "Kremlin vs Russian Foreign Ministry" in pair.reason


def test_unattributed_statements_are_not_linked(coder: Coder, said) -> None:
    a = said(None, LIFT, date(2025, 3, 1))
    b = said(None, NO_RELIEF, date(2025, 3, 2))
    assert a.speaker is None and a.side == "unknown"
    assert link(coder, [a, b]) == []


def test_generic_mentions_in_different_articles_are_not_one_actor(coder: Coder, said) -> None:
    a = said(None, LIFT, date(2025, 3, 1), mention="a senior official")
    b = said(None, NO_RELIEF, date(2025, 3, 2), mention="a senior official")
    assert a.doc_id != b.doc_id
    assert link(coder, [a, b]) == []


def test_a_ministry_of_no_country_is_not_one_actor_across_articles(coder: Coder, said) -> None:
    a = said("Defence Ministry", LIFT, date(2025, 3, 1))
    b = said("Defence Ministry", NO_RELIEF, date(2025, 3, 2))
    assert a.speaker_id is None and a.doc_id != b.doc_id
    assert link(coder, [a, b]) == []


def test_modal_negation_is_not_a_demand_for_the_opposite(coder: Coder, said) -> None:
    a = said("Zelensky", NEW_SANCTIONS, date(2025, 2, 2))
    b = said("Sybiha", "Europe should not ease sanctions on Moscow", date(2025, 2, 4))
    assert b.polarity == -1
    assert link(coder, [a, b]) == []


def test_plain_claims_are_not_linked(coder: Coder, said) -> None:
    claim = said("Lavrov", "Sanctions relief was discussed in Riyadh")
    assert claim.stance == "claim" and coder.polarity_on(claim, "sanctions") == 1
    b = said("Peskov", NO_RELIEF)
    assert link(coder, [claim, b], explicit=coder.explicit_on) == []
    uncoded = said("Lavrov", LIFT, stance=None)
    assert link(coder, [uncoded, b], explicit=coder.explicit_on) == []


def test_one_actor_reversing_need_not_repeat_the_words(coder: Coder, said) -> None:
    never = "Kyiv will never accept a ceasefire that freezes the front"
    ready = "Ukraine is ready to agree to an immediate truce along the current line"
    a, b = said("Sybiha", never, date(2025, 3, 1)), said("Sybiha", ready, date(2025, 9, 1))
    assert (a.polarity, b.polarity) == (-1, 1)
    # alike enough for one actor's two positions, not for two speakers'
    assert SAME_ACTOR_THRESHOLD <= coder.same_claim(a, b) < RELATED_THRESHOLD
    kwargs = {"explicit": coder.explicit_on, "same_claim": coder.same_claim}
    [c] = link(coder, [a, b], **kwargs)
    assert (c.a, c.b, c.kind) == (a, b, "reversal")
    other = said("Zelensky", ready, date(2025, 9, 1))
    assert link(coder, [a, other], **kwargs) == []


def test_a_denial_that_a_matter_was_talked_about_is_no_position(coder: Coder, said) -> None:
    denied = said("Ushakov", "the leaders had not discussed a truce", lemma="deny")
    refusal = said("Peskov", "Russia will not accept a truce", date(2025, 3, 2))
    assert denied.stance == "deny" and refusal.polarity == -1
    # opposite polarities, but one of them only says what was not talked about
    assert coder.polarity_on(denied, "ceasefire") == 1
    assert not coder.explicit_on(denied, "ceasefire")
    assert link(coder, [denied, refusal], explicit=coder.explicit_on) == []
    # a denial that refuses the matter still takes a direction on it
    refused = said("Peskov", "Russia was not ready to discuss a truce", lemma="deny")
    assert refused.stance == "deny" and coder.explicit_on(refused, "ceasefire")


def test_a_verdict_that_refuses_a_matter_takes_a_direction(coder: Coder, said) -> None:
    ready = said("Merz", "Germany should deliver Taurus missiles to Ukraine", date(2024, 9, 1))
    off = said("Merz", "the Taurus missile is off the table", date(2025, 4, 1))
    assert off.stance == "reject" and coder.polarity_on(off, "military_aid") == -1
    assert coder.explicit_on(off, "military_aid")
    # both worded as positions: one actor's two need be alike only as much as the easing lets
    kwargs = {"explicit": coder.explicit_on, "same_claim": lambda a, b: SAME_ACTOR_THRESHOLD}
    [c] = link(coder, [ready, off], **kwargs)
    assert (c.a, c.b, c.kind) == (ready, off, "reversal")
    for text, issue in [
        ("talks with Kyiv are out of the question", "negotiations_process"),
        ("Warsaw was no longer transferring weapons to Ukraine", "military_aid"),
        ("Poland would hand over its own tanks to Ukraine", "military_aid"),
    ]:
        assert coder.explicit_on(said("Tusk", text), issue), text
    # "rule out" refuses its object, which may be another of the remark's issues
    nato = said(
        "Peskov",
        "Ukraine's ambition to join the alliance was a direct threat to Russia and any "
        "settlement would have to rule it out for good",
    )
    assert "negotiations_process" in nato.issues
    assert not coder.explicit_on(nato, "negotiations_process")
    ruled = said("Peskov", "any settlement would have to leave it ruled out for good")
    assert not coder.explicit_on(ruled, "negotiations_process")
    # "non-negotiable" insists on what it is said of
    insists = said("Zelensky", "a full ceasefire is non-negotiable for Ukraine")
    assert coder.polarity_on(insists, "ceasefire") == 1
    # not on territory: whose land it is says which way "not negotiable" points
    assert not coder.explicit_on(said("Lavrov", "Crimea's status is not negotiable"), "territory")


def test_a_claim_that_takes_a_direction_is_a_position(coder: Coder, said) -> None:
    agreed = said(
        "Dmitriev", "Moscow and Washington agreed to restore direct flights", date(2025, 4, 3)
    )
    denied = said(
        "Zakharova", "no agreement on resuming air traffic has been reached", date(2025, 4, 6)
    )
    assert (agreed.stance, denied.stance) == ("claim", "deny")
    [c] = link(coder, [agreed, denied], explicit=coder.explicit_on)
    assert (c.a, c.b, c.kind) == (agreed, denied, "same-side")
    # without the words that give a direction, claims are only compared as claims
    assert link(coder, [agreed, denied]) == []


FLIGHTS_NOT_RAISED = (
    "the question of direct flights had not been raised in any contact with the Americans"
)
FLIGHTS_PROPOSED = "Russia had proposed resuming direct flights to the Americans"


def facts(coder: Coder, stmts: list[Statement]) -> list:
    return link(
        coder,
        stmts,
        explicit=coder.explicit_on,
        claim_sign=coder.claim_sign,
        same_claim=coder.same_claim,
    )


def test_a_position_and_an_account_of_the_facts_can_clash(coder: Coder, said) -> None:
    denied = said("Peskov", FLIGHTS_NOT_RAISED, date(2025, 10, 21), lemma="deny")
    proposed = said("Lavrov", FLIGHTS_PROPOSED, date(2025, 10, 22))
    # one tells what was (not) talked about, the other takes a position on the matter
    assert not coder.explicit_on(denied, "air_travel")
    assert proposed.stance == "propose" and coder.explicit_on(proposed, "air_travel")
    [c] = facts(coder, [denied, proposed])
    assert (c.a, c.b, c.kind) == (denied, proposed, "same-side")
    assert "opposite accounts" in c.reason
    # compared as claims only where they say much the same thing
    assert link(coder, [denied, proposed], explicit=coder.explicit_on) == []


def test_a_refusal_tells_of_its_matter_only_by_a_negation(coder: Coder, said) -> None:
    rejects = said("Sybiha", "Ukraine rejects any resumption of direct flights to Moscow")
    not_discussed = "the resumption of direct flights to Moscow was not discussed"
    denied = said("Yermak", not_discussed, date(2025, 3, 2), lemma="deny")
    assert (rejects.stance, denied.stance) == ("reject", "deny")
    assert coder.same_claim(rejects, denied) >= 0.7
    # "rejects X" does not say whether X was talked about: no account against the denial
    assert facts(coder, [rejects, denied]) == []
    talked = "the resumption of direct flights to Moscow was discussed"
    discussed = said("Yermak", talked, date(2025, 5, 15))
    no_flights = said("Sybiha", "there will be no direct flights to Moscow")
    assert no_flights.stance == "reject"
    [c] = facts(coder, [no_flights, discussed])
    assert (c.a, c.b) == (no_flights, discussed)


def test_a_negated_move_tells_nothing_sure(coder: Coder, said) -> None:
    not_proposed = "Russia did not propose resuming direct flights to the Americans"
    move = said("Peskov", not_proposed, date(2025, 10, 22))
    assert (move.stance, move.negated) == ("propose", True)
    not_raised = "the question of resuming direct flights had not been raised with the Americans"
    denied = said("Lavrov", not_raised, date(2025, 10, 21), lemma="deny")
    discussed = "Russia and the Americans discussed resuming direct flights"
    claimed = said("Lavrov", discussed, date(2025, 10, 21))
    for other in (denied, claimed):
        assert coder.same_claim(move, other) >= 0.7
        assert facts(coder, [move, other]) == []


def test_two_positions_are_not_compared_as_accounts(coder: Coder, said) -> None:
    # both against the flights; one says so with a negation, the other without
    no_flights = said("Sybiha", "there will be no direct flights to Moscow", date(2025, 5, 14))
    banned = "Ukraine demands that direct flights to Moscow stay banned"
    demand = said("Yermak", banned, date(2025, 5, 15))
    assert (no_flights.polarity, demand.polarity) == (-1, -1)
    assert coder.same_claim(no_flights, demand) >= 0.7
    assert facts(coder, [no_flights, demand]) == []


def test_an_accusations_negation_tells_nothing_of_its_matter(coder: Coder, said) -> None:
    blames = "the West is not interested in peace talks with Russia"
    accused = said("Peskov", blames, date(2025, 5, 28), lemma="accuse")
    close = said("Lavrov", "Russia and the West were close to peace talks", date(2025, 5, 29))
    assert accused.stance == "accuse" and close.stance == "claim"
    assert coder.same_claim(accused, close) >= 0.7
    assert facts(coder, [accused, close]) == []


def test_a_fragment_is_no_account_to_compare(coder: Coder, said) -> None:
    denied = said("Peskov", FLIGHTS_NOT_RAISED, date(2025, 10, 21), lemma="deny")
    # "flights" shares all its words with the denial: no measure of saying the same thing
    for fragment in ("direct flights", "the flights resume"):
        assert facts(coder, [denied, said("Lavrov", fragment, date(2025, 10, 22))]) == []
    sanctions = said("Costa", "Sanctions", date(2025, 6, 26))
    split = said("Kallas", "There is no split with the Americans on sanctions", date(2025, 6, 27))
    assert (sanctions.stance, split.stance) == ("claim", "deny")
    assert facts(coder, [sanctions, split]) == []


def test_an_earlier_position_pairs_with_each_later_reversal(coder: Coder, said) -> None:
    first = said("Zelensky", "Ukraine will never accept a ceasefire now", date(2023, 12, 12))
    again = said("Zelensky", "Ukraine wants a full ceasefire", date(2025, 3, 11))
    later = said("Zelensky", "Ukraine demands an unconditional ceasefire", date(2025, 6, 3))
    assert (first.polarity, again.polarity, later.polarity) == (-1, 1, 1)
    pairs = {(c.a.id, c.b.id): c.kind for c in link(coder, [first, again, later])}
    assert pairs == {(first.id, again.id): "reversal", (first.id, later.id): "reversal"}


def test_a_negated_direction_word_counts_for_the_other_side(said) -> None:
    assert said("Scholz", 'that he would "not deliver" Taurus missiles').polarity == -1
    assert said("Scholz", "that Germany would deliver Taurus missiles").polarity == 1
    # the denial's own negation is not counted twice: striking nothing spares the grid
    spared = said("Zakharova", "Russia has not struck a single energy facility")
    assert (spared.stance, spared.polarity) == ("deny", 1)
    assert said("Zakharova", "Russian forces struck energy facilities").polarity == -1


def test_other_issue_is_not_linked() -> None:
    def stmt(n: int, polarity: int) -> Statement:
        return Statement(
            doc="x",
            doc_id=f"d{n}",
            speaker_mention="Lavrov",
            cue="demanded",
            content=f"statement {n}",
            quote="indirect",
            offsets=Offsets(cue=[(n, n + 1)]),
            speaker="Sergey Lavrov",
            speaker_id="sergey-lavrov",
            side="russia",
            issues=["other"],
            stance="demand",
            polarity=polarity,
            said_on=date(2025, 1, n),
        )

    pair = [stmt(1, 1), stmt(2, -1)]
    assert contradictions(pair, polarity=lambda s, issue: s.polarity) == []
    for s in pair:
        s.issues = ["ceasefire"]
    [c] = contradictions(pair, polarity=lambda s, issue: s.polarity)
    assert c.kind == "self" and c.a is pair[0]
    assert "ceasefire" in c.reason


def test_every_contradiction_is_explained(coder: Coder, said) -> None:
    stmts = [
        said("Lavrov", LIFT, date(2025, 2, 1)),
        said("Peskov", NO_RELIEF, date(2025, 2, 3)),
        said("Putin", "Russia does not need sanctions relief from anyone", date(2025, 1, 5)),
        said("Lavrov", NO_RELIEF, date(2025, 5, 1)),
        said("Zelensky", NEW_SANCTIONS, date(2025, 2, 2)),
        said("Sybiha", "Europe must keep the sanctions on Moscow", date(2025, 2, 4)),
        said("Zelensky", "Sanctions relief is acceptable if Russia withdraws", date(2025, 2, 9)),
    ]
    found = link(coder, stmts)
    assert found
    kinds = {c.kind for c in found}
    assert kinds >= {"same-side", "reversal"}
    for c in found:
        assert c.reason.strip()
        assert c.a.speaker and c.a.speaker in c.reason
        assert c.b.speaker and c.b.speaker in c.reason
        assert c.a.when is not None and c.b.when is not None and c.a.when <= c.b.when
        assert c.a.side == c.b.side or c.a.speaker_id == c.b.speaker_id
        assert coder.polarity_on(c.a, "sanctions") * coder.polarity_on(c.b, "sanctions") < 0
    assert [c.confidence for c in found] == sorted((c.confidence for c in found), reverse=True)
    assert len({(c.a.id, c.b.id) for c in found}) == len(found)


def test_opposite_positions_on_different_matters_of_one_issue_are_not_paired(
    coder: Coder, said
) -> None:
    shells = said("Pistorius", "Berlin would supply more shells and air defence to Ukraine")
    no_taurus = said("Merz", "Germany will not send Taurus missiles to Kyiv")
    taurus = said("Baerbock", "Germany will send Taurus missiles to Ukraine", date(2025, 2, 20))
    assert (shells.polarity, no_taurus.polarity, taurus.polarity) == (1, -1, 1)
    kwargs = {"explicit": coder.explicit_on, "same_claim": coder.same_claim}
    assert link(coder, [shells, no_taurus], **kwargs) == []
    [c] = link(coder, [taurus, no_taurus], **kwargs)
    assert (c.a, c.b) == (taurus, no_taurus)


@pytest.mark.parametrize(("alike", "paired"), [(0.55, False), (0.6, True)])
def test_positions_worded_as_such_must_say_something_alike(
    coder: Coder, said, alike: float, paired: bool
) -> None:
    # below the threshold, opposite positions on one issue are two different matters
    taurus = said("Baerbock", "Germany will send Taurus missiles to Ukraine", date(2025, 2, 20))
    no_taurus = said("Merz", "Germany will not send Taurus missiles to Kyiv")
    kwargs = {"explicit": coder.explicit_on, "same_claim": lambda a, b: alike}
    assert bool(link(coder, [taurus, no_taurus], **kwargs)) is paired


# --- the learned scorer (opt-in: settings.linker = "learned") -------------------------------


def test_the_bundled_scorer_fits_the_features() -> None:
    scorer = PairScorer.load()
    assert len(scorer.weights) == len(FEATURES) and 0 < scorer.threshold < 1
    # one actor, one issue, both explicit, alike: opposite positions are a contradiction, the
    # same position is not
    alike = {"bias": 1, "both_explicit": 1, "similarity": 0.8, "lexical": 0.7, "same_actor": 1}
    alike |= {"primary_issue": 1, "log_gap": 2.0}
    opposite = alike | {"opposite": 1, "opposite_x_similarity": 0.8}
    same = alike | {"same_polarity": 1}

    def vector(values: dict[str, float]) -> list[float]:
        return [float(values.get(f, 0)) for f in FEATURES]

    assert scorer.score(vector(opposite)) >= scorer.threshold > scorer.score(vector(same))


def test_a_scorer_made_for_other_features_is_refused(tmp_path) -> None:
    path = tmp_path / "linker.json"
    path.write_text(json.dumps({"features": ["bias"], "weights": [1.0], "threshold": 0.5}))
    with pytest.raises(ConfigError, match="other features"):
        PairScorer.load(path)
    path.write_text("not json")
    with pytest.raises(ConfigError, match="not a linker model"):
        PairScorer.load(path)


def test_learned_linking_scores_candidates_of_one_side(coder: Coder, said) -> None:
    send = said("Merz", "Germany will send Taurus missiles to Ukraine", date(2025, 2, 1))
    refuse = said("Merz", "Germany will not send Taurus missiles to Ukraine", date(2025, 6, 1))
    shells = said("Pistorius", "Berlin would supply more shells and air defence to Ukraine")
    elsewhere = said("Zelensky", "Germany will not send Taurus missiles to Ukraine")
    kwargs = {
        "explicit": coder.explicit_on,
        "claim_sign": coder.claim_sign,
        "same_claim": coder.same_claim,
        "scorer": PairScorer.load(),
    }
    [c] = link(coder, [send, refuse, shells, elsewhere], **kwargs)
    assert (c.a, c.b, c.kind) == (send, refuse, "reversal")
    assert c.confidence >= PairScorer.load().threshold and "Taurus" in c.reason


def test_the_shared_target_feature_counts_what_bears_on_the_issue(coder: Coder, said) -> None:
    a = said("Lavrov", LIFT_AEROFLOT, date(2025, 3, 1))
    b = said("Peskov", NO_RELIEF, date(2025, 3, 2))
    guarantees = Target("object", "coalition-of-the-willing", "Coalition of the willing")
    a.targets, b.targets = [*a.targets, guarantees], [guarantees]
    shared = FEATURES.index("shared_target")

    def features(covers: Any) -> list[float]:
        judge = Judge(
            coder.polarity_on, coder.explicit_on, coder.same_claim, coder.claim_sign, covers
        )
        return pair_features(a, b, "sanctions", judge, same_actor=False)

    assert features(None)[shared] == 1.0  # the same object named by both
    assert features(coder.gazetteer.covers)[shared] == 0.0  # but not a sanctions target


def test_candidates_stay_in_their_block_and_within_the_limit(coder: Coder, said) -> None:
    stmts = [
        said(
            f"Speaker{n}",
            f"The EU must keep the sanctions on Russia for {n + 2} more months",
            date(2025, 1, 1 + n),
            side="eu",
        )
        for n in range(6)
    ]
    stmts.append(said("Lavrov", LIFT, date(2025, 1, 20)))
    pairs = list(candidate_pairs(stmts, explicit=coder.explicit_on, limit=2))
    assert all(a.side == b.side == "eu" for a, b, _, _ in pairs)
    later = [b.id for _, b, _, _ in pairs]
    assert max(later.count(i) for i in later) <= 2
