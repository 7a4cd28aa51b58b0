"""Territorial claims joined with the control dataset."""

from __future__ import annotations

from datetime import date

import pytest

from redline.coding import Coder
from redline.errors import ConfigError
from redline.link.claims import claims, load_control
from redline.models import Offsets, Statement
from redline.settings import Settings


@pytest.fixture(scope="module")
def coder() -> Coder:
    return Coder(Settings())


def coded(
    coder: Coder,
    speaker: str,
    content: str,
    day: date,
    cue: str = "demanded",
    lemma: str = "demand",
) -> Statement:
    stmt = Statement(
        doc="d",
        doc_id=f"d-{day}",
        speaker_mention=speaker,
        speaker_name=speaker,
        cue=cue,
        cue_lemma=lemma,
        content=content,
        quote="indirect",
        offsets=Offsets(content=[(0, len(content))]),
        said_on=day,
    )
    return coder.code(stmt)


def test_a_demand_to_cede_is_a_claim_beyond_control(coder):
    putin = coded(
        coder, "Putin", "that Ukraine cede Mykolaiv and Kharkiv oblasts", date(2025, 4, 1)
    )
    later = coded(coder, "Lavrov", "that Kyiv hand over Kharkiv Oblast", date(2025, 5, 2))
    found = claims([later, putin], polarity=coder.polarity_on, control=load_control())
    by_place = {c.place: c for c in found}
    assert set(by_place) == {"UA-48", "UA-63"}
    kharkiv = by_place["UA-63"]
    assert (
        kharkiv.side == "russia"
        and kharkiv.since == date(2025, 4, 1)
        and kharkiv.last == date(2025, 5, 2)
    )
    assert len(kharkiv.statements) == 2 and kharkiv.beyond_control


def test_groups_expand_and_held_places_are_not_beyond_control(coder):
    stmt = coded(
        coder,
        "Peskov",
        "that Kyiv must recognise the four regions as part of Russia",
        date(2025, 6, 1),
    )
    found = claims(
        [stmt],
        polarity=coder.polarity_on,
        members=coder.place_members,
        name_of=coder.place_name,
        control=load_control(),
    )
    assert {c.place for c in found} == {"UA-14", "UA-09", "UA-23", "UA-65"}
    assert all(not c.beyond_control for c in found)
    assert all(c.name.endswith("Oblast") for c in found)


def test_each_side_claims_only_what_it_argues_for_itself(coder):
    day = date(2025, 6, 1)
    refusal = coded(coder, "Sybiha", "any handover of Kharkiv Oblast", day, "rejected", "reject")
    # a Ukrainian concession and a Russian one argue for the other side's holding
    concession = coded(
        coder,
        "Zelensky",
        "that Ukraine may have to accept Crimea staying under Russian control",
        day,
    )
    russian = coded(coder, "Peskov", "that Kyiv withdraw from Kherson Oblast", day)
    russian_concession = coded(
        coder, "Peskov", "that Russian forces may withdraw from Kherson Oblast", day
    )
    assert [coder.polarity_on(s, "territory") for s in (refusal, concession, russian)] == [-1, 1, 1]
    found = claims(
        [refusal, concession, russian, russian_concession],
        polarity=coder.polarity_on,
        control=load_control(),
    )
    assert [(c.side, c.place) for c in found] == [("russia", "UA-65"), ("ukraine", "UA-63")]
    kharkiv = found[1]
    assert kharkiv.statements == [refusal] and not kharkiv.beyond_control


def test_an_accusation_claims_no_land(coder):
    stmt = coded(
        coder,
        "Sybiha",
        "Moscow of pressing on with its offensive in Kharkiv Oblast",
        date(2025, 6, 1),
        "accused",
        "accuse",
    )
    assert stmt.stance == "accuse" and coder.polarity_on(stmt, "territory") == -1
    assert claims([stmt], polarity=coder.polarity_on) == []


def test_only_ukrainian_land_is_claimed(coder):
    kursk = coded(
        coder,
        "Syrskyi",
        "that Ukrainian troops would not withdraw from the Kursk region",
        date(2025, 6, 1),
    )
    assert coder.polarity_on(kursk, "territory") == -1 and kursk.side == "ukraine"
    assert [t.id for t in kursk.targets] == ["RU-KRS"] and not coder.place_in_ukraine("RU-KRS")
    assert claims([kursk], polarity=coder.polarity_on, in_ukraine=coder.place_in_ukraine) == []
    assert coder.place_in_ukraine("UA-63") and coder.place_in_ukraine("city:kherson")


def test_third_parties_claim_nothing(coder):
    backer = coded(
        coder, "Lukashenko", "that Ukraine cede Kherson Oblast to Russia", date(2025, 6, 1)
    )
    assert coder.polarity_on(backer, "territory") == 1 and backer.side not in ("russia", "ukraine")
    assert claims([backer], polarity=coder.polarity_on) == []


def test_a_user_control_file_overrides_by_date(tmp_path):
    path = tmp_path / "control.toml"
    path.write_text(
        '[[control]]\nplace = "UA-63"\nstatus = "contested"\nas_of = "2026-01-01"\nsource = "desk"\n'
    )
    assert load_control(path)["UA-63"].status == "contested"
    path.write_text('[[control]]\nplace = "UA-63"\nstatus = "lost"\nas_of = "2026-01-01"\n')
    with pytest.raises(ConfigError):
        load_control(path)
