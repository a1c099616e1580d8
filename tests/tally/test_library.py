"""``commune.tally`` as a library a stranger could publish: typed, immutable results and a stated surface."""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from decimal import Decimal
from pathlib import Path

import pytest

import commune.tally
from commune.tally import (
    METHODS,
    ApprovalResult,
    Ballot,
    CountSpec,
    Election,
    IrvResult,
    MeekResult,
    PluralityResult,
    RecountResult,
    Result,
    SchulzeResult,
    ScottishResult,
    TallyError,
    WigmResult,
    count,
    countback,
    spec_complete,
)

ELECTION = Election(
    tuple("ABCD"),
    2,
    (
        Ballot.of("A", "B", count=5),
        Ballot.of("B", "C", count=3),
        Ballot.of("C", count=2),
        Ballot.of("D", "A"),
    ),
)
TYPES: dict[str, type[Result]] = {
    "scottish-stv": ScottishResult,
    "meek-stv": MeekResult,
    "wigm-stv": WigmResult,
    "irv": IrvResult,
    "schulze": SchulzeResult,
    "approval": ApprovalResult,
    "plurality": PluralityResult,
}


@pytest.mark.parametrize("name", sorted(METHODS))
def test_every_method_returns_its_own_typed_immutable_result(name: str) -> None:
    """Each method's result is its own frozen dataclass, named for the method, with no untyped bag."""
    seats = 1 if name == "irv" else 2
    result = METHODS[name](ELECTION, seats=seats, seed=3)
    assert type(result) is TYPES[name] and result.method == name and result.seed == 3
    assert dataclasses.is_dataclass(result) and not hasattr(result, "extra")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.elected = ()  # type: ignore[misc]
    for stage in result.stages:
        with pytest.raises(TypeError):
            stage.totals["A"] = stage.totals["A"]  # type: ignore[index]


def test_the_figures_only_one_method_has_are_typed_fields() -> None:
    meek = METHODS["meek-stv"](ELECTION, seats=2, seed=0)
    assert isinstance(meek, MeekResult)
    assert len(meek.keep_factors) == len(meek.quotas) == len(meek.iterations) == len(meek.stages)
    assert meek.precision == 9
    schulze = METHODS["schulze"](ELECTION, seats=2, seed=0)
    assert isinstance(schulze, SchulzeResult) and schulze.pairwise["A"]["B"] == 6
    vacancy = Election(
        tuple("ABCD"),
        2,
        (Ballot.of("A", "C", count=5), Ballot.of("B", count=4), Ballot.of("C"), Ballot.of("D")),
    )
    outcome = countback(vacancy, departed="A")
    assert type(outcome.original) is ScottishResult
    assert type(outcome.recount) is RecountResult and outcome.recount.method == "countback"
    assert outcome.filled_by == "C"


def _modules() -> list[str]:
    return sorted(
        info.name
        for info in pkgutil.walk_packages(commune.tally.__path__, "commune.tally.")
        if not info.name.rsplit(".", 1)[-1].startswith("_")
    )


@pytest.mark.parametrize("module", _modules())
def test_every_module_states_its_public_names(module: str) -> None:
    """Every module has ``__all__``, and each name in it exists."""
    loaded = importlib.import_module(module)
    assert isinstance(loaded.__all__, list | tuple), module
    for name in loaded.__all__:
        assert hasattr(loaded, name), f"{module}.{name}"


def test_the_package_exports_every_result_type_and_count() -> None:
    exported = set(commune.tally.__all__)
    assert {t.__name__ for t in TYPES.values()} | {"RecountResult", "Result", "YesNoResult"} <= exported
    assert {"scottish_stv", "meek_stv", "wigm_stv", "irv", "schulze", "approval", "plurality"} <= exported
    assert all(hasattr(commune.tally, name) for name in exported)


def test_the_package_is_marked_as_typed() -> None:
    """PEP 561: type checkers read the library's annotations."""
    assert (Path(commune.tally.__file__).parent / "py.typed").is_file()


def test_count_follows_a_spec_with_its_options() -> None:
    """``count`` takes a method, a seed and the method's options as a file writes them."""
    meek = count(ELECTION, CountSpec("meek-stv", 5, (("omega", "0.0001"), ("precision", "4"))))
    assert isinstance(meek, MeekResult) and (meek.precision, meek.omega, meek.seed) == (
        4,
        Decimal("0.0001"),
        5,
    )
    assert count(ELECTION, CountSpec("irv", 1), seats=1) == METHODS["irv"](ELECTION, seats=1, seed=1)
    assert spec_complete(CountSpec("wigm-stv", 3)) == CountSpec("wigm-stv", 3, (("precision", "4"),))
    assert spec_complete(CountSpec("irv", 3)) == CountSpec("irv", 3)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (CountSpec("borda"), "unknown counting method 'borda'"),
        (CountSpec("irv", 0, (("precision", "4"),)), "irv takes no option precision"),
        (CountSpec("meek-stv", 0, (("precision", "many"),)), "precision must be a whole number"),
        (CountSpec("meek-stv", 0, (("omega", "small"),)), "omega must be a decimal number"),
    ],
)
def test_count_refuses_what_it_cannot_follow(spec: CountSpec, message: str) -> None:
    with pytest.raises(TallyError, match=message):
        count(ELECTION, spec, seats=1)
