"""Known answers: 40 wards of the May 2017 Scottish council elections, counted from every real ballot.

The ballots are the councils' published cast vote records (assembled by David McCune, mggg/scot-elex);
the official stage-by-stage results were transcribed from the councils' result sheets (Gerry
Mulvenna, gerrymulvenna/council17, CC-BY-SA 4.0). See ``tests/data/scotland-2017/README.md``.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from commune.tally import PackedElection, read_election, read_packed, scottish_stv

DATA = Path(__file__).parent.parent / "data" / "scotland-2017"
WARDS = sorted(p.name.removesuffix(".blt") for p in DATA.glob("*.blt"))


def test_all_forty_wards_are_present() -> None:
    """The known-answer set is complete: 40 wards, each with ballots and an official result."""
    assert len(WARDS) == 40
    assert all((DATA / f"{ward}.official.json").exists() for ward in WARDS)
    assert (DATA / "README.md").exists()


@pytest.mark.parametrize("ward", WARDS)
def test_ward_reproduces_the_official_count(ward: str) -> None:
    """The count elects the official winners with every candidate's total exact at every stage."""
    official = json.loads((DATA / f"{ward}.official.json").read_text(encoding="utf-8"))
    result = scottish_stv(read_election(DATA / f"{ward}.blt"))

    assert result.valid_poll == official["valid_poll"]
    assert result.quota == official["quota"]
    assert result.seats == official["seats"]
    assert len(result.elected) == official["seats"]
    assert set(result.elected) == set(official["elected"])

    # The official sheets record the stages that transfer votes; filling the last vacancies is not one.
    counted = [stage for stage in result.stages if stage.action != "last-vacancies"]
    assert len(counted) == len(official["stages"])
    for stage, published in zip(counted, official["stages"], strict=True):
        assert set(stage.totals) == set(published), f"stage {stage.number}"
        for name, value in published.items():
            assert stage.totals[name] == Decimal(value), f"stage {stage.number}: {name}"


@pytest.mark.parametrize("ward", WARDS)
def test_ward_accounts_for_every_vote_at_every_stage(ward: str) -> None:
    """At every stage the totals, the non-transferable papers and the truncation loss make the poll."""
    result = scottish_stv(read_election(DATA / f"{ward}.blt"))
    for stage in result.stages:
        assert sum(stage.totals.values()) + stage.non_transferable + stage.loss == result.valid_poll
        assert stage.non_transferable >= 0 and stage.loss >= 0


@pytest.mark.parametrize("ward", WARDS)
def test_ward_counts_the_same_from_packed_rankings(ward: str) -> None:
    """Read packed (as ``commune tally`` reads), the ward gives the identical result, stage by stage."""
    packed = read_packed(DATA / f"{ward}.blt")
    assert isinstance(packed, PackedElection)
    assert scottish_stv(packed) == scottish_stv(read_election(DATA / f"{ward}.blt"))
