"""The migrations that move data carry every row across, shown on rows the services wrote: the database is
taken back to before each of them and forward again, and what each was written to keep is still there.

- ``motions.0002``: each referral gets the rule that decides it (its ballot's for a referendum, its units'
  for one still open, the ordinary majority of its day for one already decided).
- ``motions.0003`` and the ballot box's: every secret yes/no vote's register and papers are carried into
  the one yes/no box, and a counted box stays sealed, its papers shuffled with fresh keys.
- ``ballots.0004``–``0005`` and ``elections.0002``: every election's register, ballots and bulletin entries
  are carried into a ranked box of its own, both ways, and an open box's papers still open with its key.
- ``federation.0005``: every constitution version keeps the referendum that carried it, and the database
  still refuses a later version without one.
- ``audit.0005``: a database from before rows of power were held to the log gets a baseline entry per
  organisation and table, with every such row as it stood; later edits are named.
- ``federation.0007``: every body's path is written with ids of one width, so that ordering by path is the
  tree's order; going back writes them as they were.

Taking a database back before a migration and forward again costs what Django's rendering of every model
state of every migration in between costs (tens of seconds of a core for this project's migrations, the
same whichever migration is the target). So the rows for every one of these are written first, then the
database goes back once, to before the earliest of them, and forward once, stopping where a migration must
be looked at before the next one changes its columns. Each migration's findings are reported on their own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from commune.audit import services as audit_services
from commune.audit.chain import SCHEME_PLAIN
from commune.audit.models import LogEntry
from commune.audit.verification import chain_verify
from commune.ballots.models import (
    Ballot,
    BulletinEntry,
    RankedBox,
    RegisterEntry,
    YesNoBox,
    YesNoEncryptedPaper,
    YesNoPaper,
    YesNoRegisterEntry,
)
from commune.ballots.services import ranked_box_open
from commune.elections.models import Election
from commune.elections.services.casting import ballot_cast
from commune.federation.models import Body, ConstitutionVersion, Delegation
from commune.motions.models import Referral, Vote
from tests.clock import IN_FORCE, Clock
from tests.conftest import SmallFederation, build_federation
from tests.elections.conftest import call, stand, to_declared, to_voting
from tests.motions.conftest import Fed, all_vote, close, on_agenda, put
from tests.motions.test_vote_rules import UNITS, refer, unit_votes
from tests.referendum import constitution_amend

#: Back to before every migration looked at here: motions.0002 (and with it everything that depends on it:
#: the yes/no box, the ranked box, the elections' boxes), federation.0005, and audit.0005.
BEFORE_ALL = [
    ("motions", "0001_initial"),
    ("federation", "0004_organisation_currency"),
    ("elections", "0001_initial"),
    ("audit", "0004_chain_verifications"),
]
#: Where the referrals' rules are read: later migrations change the columns of the tables read.
REFERRAL_RULE = [("motions", "0002_referral_rule")]

#: The rows of power edited while the database predates the baseline, as an edit the log never saw.
EDITED_BEFORE_THE_UPGRADE = "edited before the upgrade"


def _migrate(targets: list[tuple[str, str]] | None = None) -> None:
    """To ``targets``, or (none given) forward to the latest migration of every app."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets if targets is not None else executor.loader.graph.leaf_nodes())


# --- The rows each migration is shown on ----------------------------------------------------------------------


@dataclass
class Referrals:
    referendum: dict[str, Any]
    still_open: dict[str, Any]
    decided: dict[str, Any]


def _referrals(fed: Fed) -> Referrals:
    """A referendum, a referral to the assemblies still open, and one already decided, all constitutional."""
    referendum = refer(fed, "D1", (11, 16), "referendum", constitutional=True)
    still_open = refer(fed, "CONGRESS", (3, 11), "assemblies", constitutional=True)
    decided = refer(fed, "D0", (3, 6), "assemblies", constitutional=True)
    for code, vote_id in unit_votes(decided).items():
        all_vote(fed, vote_id, dict.fromkeys(UNITS[code], "yes"))
        close(fed, UNITS[code][0], vote_id)
    assert Referral.objects.get(pk=decided["id"]).closed_at is not None
    return Referrals(referendum, still_open, decided)


@dataclass
class SecretVotes:
    still_open: int
    counted: int


def _yes_no_box(vote_id: int) -> tuple[int, list[str], bool]:
    """Who voted (how many), what is in the box, sealed or not."""
    box = YesNoBox.objects.get(vote__pk=vote_id)
    entries = YesNoRegisterEntry.objects.filter(box=box).count()
    # An open box's papers are encrypted under its key; a sealed box's are plain.
    choices = sorted(
        [*YesNoPaper.objects.filter(box=box).values_list("choice", flat=True)]
        + [paper.choice for paper in YesNoEncryptedPaper.objects.filter(box=box)]
    )
    return entries, choices, box.sealed_at is not None


def _secret_votes(fed: Fed) -> SecretVotes:
    """A unit's open secret vote and a counted one."""
    still_open = put(fed, 1, on_agenda(fed, 1, "D0-U0", supporter=2))
    all_vote(fed, still_open, {1: "yes", 2: "no"})
    counted = put(fed, 3, on_agenda(fed, 3, "D0-U0", supporter=4))
    all_vote(fed, counted, {1: "yes", 2: "yes", 3: "abstain", 4: "no", 5: "yes"})
    close(fed, 1, counted)
    assert _yes_no_box(still_open) == (2, ["no", "yes"], False)
    assert _yes_no_box(counted) == (5, ["abstain", "no", "yes", "yes", "yes"], True)
    return SecretVotes(still_open, counted)


@dataclass
class RankedBoxes:
    small: SmallFederation
    counted: Election
    still_open: Election
    still_open_candidates: tuple[int, int]
    before: tuple[Any, Any]


def _ranked_box(election: Election) -> tuple[int, Counter[tuple[int, ...]], set[str], bool]:
    """Who voted (how many), what is in the box (decrypted with its key), the bulletin, sealed or not."""
    box_id = Election.objects.values_list("box_id", flat=True).get(pk=election.pk)
    return (
        RegisterEntry.objects.filter(box_id=box_id).count(),
        Counter(tuple(ballot.ranking) for ballot in Ballot.objects.filter(box_id=box_id)),
        set(BulletinEntry.objects.filter(box_id=box_id).values_list("tracker", flat=True)),
        RankedBox.objects.get(pk=box_id).sealed_at is not None,
    )


def _ranked_boxes(clock: Clock) -> RankedBoxes:
    """A declared election (its bulletin published) and an open one whose box's id is not its own (so that
    going back re-encrypts it under the election's key)."""
    small = build_federation(units_per_district=1, members_per_unit=8, slug="rb")
    m = small.members
    counted = call(clock, small.units[0], seats=1, title="Counted")
    a, b = stand(counted, m["m1"], m["m2"])
    counted = to_voting(clock, counted)
    for n in range(1, 6):
        ballot_cast(election_id=counted.pk, member=m[f"m{n}"], ranking=[a, b] if n % 2 else [b])
    counted = to_declared(clock, counted)
    ranked_box_open()  # an unowned box, so that the next election's box id is not its own
    still_open = call(clock, small.units[0], seats=1, title="Still open")
    while still_open.box_id == still_open.pk:
        # Tests committed before this one left the two tables' sequences where one box put them level.
        ranked_box_open()
        still_open = call(clock, small.units[0], seats=1, title="Still open")
    c, d = stand(still_open, m["m3"], m["m4"])
    still_open = to_voting(clock, still_open)
    for n in range(1, 4):
        ballot_cast(election_id=still_open.pk, member=m[f"m{n}"], ranking=[c] if n == 1 else [d, c])
    before = (_ranked_box(counted), _ranked_box(still_open))
    assert before[0][0] == 5 and len(before[0][2]) == 5 and before[0][3]
    assert before[1][:2] == (3, Counter({(c,): 1, (d, c): 2})) and not before[1][3]
    return RankedBoxes(small, counted, still_open, (c, d), before)


def _referendum_carried(fed: Fed) -> int:
    """A second constitution version, carried by a referendum; returns the referendum's id."""
    rules = dict(ConstitutionVersion.objects.get(organisation=fed.org, number=1).rules)
    rules["offices"] = {**rules["offices"], "term_months": 6}
    referendum = constitution_amend(fed.org, rules).referendum_id
    assert referendum is not None
    return referendum


def _before_the_baseline(monkeypatch: pytest.MonkeyPatch) -> SmallFederation:
    """A federation whose log predates erasable text (its entries hash their text as it stands, so that its
    chain still verifies once the migrations are taken back past ``audit.0007``)."""
    with monkeypatch.context() as before:
        before.setattr(audit_services, "SCHEME_COMMITTED", SCHEME_PLAIN)
        return build_federation(slug="bl")


@contextmanager
def _hand_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    """A clock moved by hand from now on (the ``clock`` fixture's, begun part way through the test)."""
    clock = Clock(timezone.now().replace(microsecond=0))
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    IN_FORCE.append(clock)
    yield clock


# --- The walk -------------------------------------------------------------------------------------------------


def test_the_data_migrations_carry_every_row_back_and_forth(
    transactional_db: None, monkeypatch: pytest.MonkeyPatch, subtests: pytest.Subtests
) -> None:
    fed = Fed(build_federation())
    # First: the referendum's councils sit and rise again, where the referrals below leave theirs sitting.
    referendum = _referendum_carried(fed)
    referrals = _referrals(fed)
    secret = _secret_votes(fed)
    baseline_federation = _before_the_baseline(monkeypatch)
    seat = Delegation.objects.get(council=baseline_federation.congress)
    with _hand_clock(monkeypatch) as clock:
        ranked = _ranked_boxes(clock)
    papers = set(YesNoPaper.objects.values_list("id", flat=True))
    versions = list(ConstitutionVersion.objects.order_by("pk").values_list("pk", "number", "referendum_id"))
    paths = _body_paths()

    _migrate(BEFORE_ALL)
    try:
        paths_before = _body_paths()
        # Before the baseline, an edit the log never saw is taken as it stands: it cannot be told apart.
        Delegation.objects.filter(pk=seat.pk).update(source=EDITED_BEFORE_THE_UPGRADE)
        _migrate(REFERRAL_RULE)
        with subtests.test("motions.0002: each referral gets the rule that decides it"):
            _referral_rules_checked(referrals)
    finally:
        _migrate()

    with subtests.test("the yes/no box: every secret vote's register and papers carried into it"):
        _secret_votes_checked(secret, papers)
    with subtests.test("the ranked box: every election's box carried across and back"):
        _ranked_boxes_checked(ranked)
    with subtests.test("federation.0005: each constitution version keeps its referendum"):
        _versions_checked(fed, referendum, versions)
    with subtests.test("audit.0005: the baseline holds the rows as they stood"):
        _baseline_checked(baseline_federation, seat)
    with subtests.test("federation.0007: paths of ids of one width, in the tree's order"):
        _paths_checked(paths, paths_before)


def _body_paths() -> dict[int, str]:
    """Every body's path by id, read with SQL: the model's other columns differ from one migration to the
    next."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, path FROM federation_body")
        return dict(cursor.fetchall())


# --- What each migration must have kept ---------------------------------------------------------------------


def _referral_rules_checked(referrals: Referrals) -> None:
    """A referendum gets its ballot's rule; a referral to the assemblies still open, the rule its units
    vote under (here the constitutional majority); one already decided, the ordinary majority of the
    constitution in force when it closed, which is what decided it."""
    # Only the columns the migration under test knows of: later migrations are not applied yet.
    referendum, still_open, decided = referrals.referendum, referrals.still_open, referrals.decided
    rules = dict(Referral.objects.values_list("id", "rule"))
    ballot = Vote.objects.only("rule").get(referral_id=referendum["id"])
    assert rules[referendum["id"]] == ballot.rule
    assert rules[referendum["id"]]["name"] == "constitutional majority"
    unit_rules = {
        tuple(sorted(v.rule.items())) for v in Vote.objects.only("rule").filter(referral_id=still_open["id"])
    }
    assert unit_rules == {tuple(sorted(rules[still_open["id"]].items()))}
    assert rules[still_open["id"]]["majority"] == "2/3"
    assert rules[decided["id"]] == {
        "name": "ordinary majority",
        "majority": "1/2",
        "majority_strict": True,
        "abstentions_count": False,
        "quorum": "1/10",
        "quorum_of": "electorate",
        "turnout": None,
        "support": None,
    }


def _secret_votes_checked(secret: SecretVotes, papers: set[Any]) -> None:
    """Back to the motions' own register and box and forward again: an open vote and a counted one each
    keep who voted and what was voted, and the counted one's box stays sealed."""
    assert Vote.objects.get(pk=secret.still_open).box is not None
    assert _yes_no_box(secret.still_open) == (2, ["no", "yes"], False)
    assert _yes_no_box(secret.counted) == (5, ["abstain", "no", "yes", "yes", "yes"], True)
    # Carried over shuffled with fresh keys, as a count leaves a box.
    assert papers.isdisjoint(YesNoPaper.objects.values_list("id", flat=True))


def _ranked_boxes_checked(ranked: RankedBoxes) -> None:
    """The declared election and the open one keep their voters, their papers and their bulletin through
    the migrations backwards and forwards, and the open one takes ballots after."""
    c, d = ranked.still_open_candidates
    assert (_ranked_box(ranked.counted), _ranked_box(ranked.still_open)) == ranked.before
    assert Election.objects.get(pk=ranked.still_open.pk).box_id == ranked.still_open.pk
    ballot_cast(election_id=ranked.still_open.pk, member=ranked.small.members["m4"], ranking=[c])
    assert _ranked_box(ranked.still_open)[:2] == (4, Counter({(c,): 2, (d, c): 2}))


def _versions_checked(fed: Fed, referendum: int, versions: list[tuple[int, int, int | None]]) -> None:
    """A constitution version names the referendum that carried it by a plain id: the migration carries
    every version's referendum across and back, and the database still refuses a later version without
    one."""
    assert (
        list(ConstitutionVersion.objects.order_by("pk").values_list("pk", "number", "referendum_id"))
        == versions
    )
    assert (2, referendum) in {(number, ref) for _, number, ref in versions}
    with pytest.raises(IntegrityError), transaction.atomic():
        ConstitutionVersion.objects.create(
            organisation=fed.org, number=3, adopted_at=fed.org.founded_at, rules={}
        )


def _baseline_checked(small: SmallFederation, seat: Delegation) -> None:
    """One baseline entry per organisation and table, with every row as it stood (the edit made before the
    upgrade included); from then on an edit behind the log is named."""
    baseline = list(LogEntry.objects.filter(organisation=small.org, action="state.baseline").order_by("seq"))
    models = [entry.payload["state"][0]["model"] for entry in baseline]
    assert "federation.delegation" in models and "federation.membership" in models
    assert len(models) == len(set(models))
    seats = next(e for e in baseline if e.payload["state"][0]["model"] == "federation.delegation")
    assert "the 2 delegations as they stood" in seats.summary
    assert {r["fields"]["source"] for r in seats.payload["state"]} == {
        "test election",
        EDITED_BEFORE_THE_UPGRADE,
    }
    assert chain_verify(organisation_id=small.org.pk).ok

    Delegation.objects.filter(pk=seat.pk).update(member=small.members["m9"])
    report = chain_verify(organisation_id=small.org.pk)
    assert [(d.model, d.pk, d.field) for d in report.discrepancies] == [
        ("federation.delegation", seat.pk, "member_id")
    ]
    Delegation.objects.filter(pk=seat.pk).update(member=small.members["m3"])


def _paths_checked(paths: dict[int, str], paths_before: dict[int, str]) -> None:
    """Before federation.0007 a path holds its ids as written; after it, as the services write them now,
    and ordering by path lists every body after its parent and each council's bodies as they were created."""
    assert paths_before == {
        pk: "/" + "".join(f"{int(part)}/" for part in path.strip("/").split("/"))
        for pk, path in paths.items()
    }
    assert _body_paths() == paths
    bodies = list(Body.objects.order_by("path").values_list("pk", "parent_id"))
    children: dict[int | None, list[int]] = {}
    for pk, parent in sorted(bodies):
        children.setdefault(parent, []).append(pk)

    def depth_first(parent: int | None) -> list[int]:
        return [b for pk in children.get(parent, []) for b in (pk, *depth_first(pk))]

    assert [pk for pk, _ in bodies] == depth_first(None)
    assert len(bodies) > 10
