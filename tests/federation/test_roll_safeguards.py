"""No roll import lapses members unseen, none lapses the officer importing it, a large lapse needs a second
officer, and an officer with a process of their own open cannot change the roll that decides who takes part.

Each attack is tried the way a roll officer would try it: through the unit's roll page."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from commune.accounts.models import User
from commune.audit.models import LogEntry
from commune.audit.services import Actor
from commune.elections.models import ElectedSeat, ElectionKind, ElectionStatus
from commune.elections.services import elections_run_due
from commune.federation.models import ConstitutionVersion, Member, RollImportPending, RollImportStatus
from commune.federation.roll import roll_import
from commune.federation.services import office_create, office_fill
from commune.recall.services import recall_petition_open
from tests.clock import Clock, current_term
from tests.conftest import SmallFederation
from tests.elections.conftest import call, stand, to_voting
from tests.records import recorded_update

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(fed: SmallFederation) -> str:
    return reverse("federation:roll", kwargs={"slug": fed.org.slug, "code": "D0-U0"})


def _text(html: bytes) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode()))


def _current(fed: SmallFederation) -> list[Member]:
    return list(Member.objects.filter(current_unit=fed.units[0]).select_related("person").order_by("number"))


def _csv(members: list[Member], extra: str = "") -> bytes:
    lines = ["number,name,email", *(f"{m.number},{m.person.name},{m.person.email}" for m in members)]
    return ("\n".join(lines) + "\n" + extra).encode()


def _upload(client: Client, fed: SmallFederation, content: bytes, **fields: str) -> str:
    roll = SimpleUploadedFile("roll.csv", content, content_type="text/csv")
    response = client.post(_url(fed), {"roll": roll, **fields})
    assert response.status_code == 200, response.content
    return response.content.decode()


def _lapse_code(html: str) -> str:
    found = re.search(r'name="lapse_code" value="(\w+)"', html)
    assert found, "the dry run gives no confirmation code"
    return found.group(1)


def _allow_one_officer(fed: SmallFederation, percent: str) -> None:
    version = ConstitutionVersion.objects.get(organisation=fed.org, number=1)
    rules = {**version.rules, "roll": {"second_officer_lapse_percent": percent}}
    recorded_update(ConstitutionVersion.objects.filter(pk=version.pk), rules=rules)


def _second_officer(fed: SmallFederation) -> User:
    """m4 holds a second office of Unit 0.0 that manages its roll."""
    office = office_create(body=fed.units[0], title="Membership Secretary", manages_roll=True)
    start, end = current_term()
    office_fill(
        office=office, member=fed.members["m4"], term_start=start, term_end=end, source="test election"
    )
    return fed.members["m4"].person


def test_a_one_line_roll_lists_everyone_it_would_lapse_and_lapses_nobody_unconfirmed(
    federation: SmallFederation,
) -> None:
    """The attack: a one-line file that lapses the whole depot. The dry run names each member it would
    lapse; importing it without confirming those lapses changes nothing."""
    officer = _client(federation.officer)
    members = _current(federation)
    one_line = _csv([federation.members["m2"]])
    dry = _text(_upload(officer, federation, one_line, dry_run="on").encode())
    assert "4 members would lapse" in dry
    for m in members:
        if m.number != federation.members["m2"].number:
            assert f"{m.number} {m.person.name}" in dry
    before = LogEntry.objects.count()
    refused = _text(_upload(officer, federation, one_line).encode())
    assert "Nothing was changed: this roll lapses 4 members; check the list and confirm" in refused
    assert _current(federation) == members and LogEntry.objects.count() == before


def test_a_confirmation_stands_for_exactly_the_members_listed(federation: SmallFederation) -> None:
    """A code given for one set of lapses does not confirm another: if the roll (or the membership) changed
    since the dry run, the import is refused."""
    _allow_one_officer(federation, "100")
    officer = _client(federation.officer)
    members = _current(federation)
    keep_four = _csv([m for m in members if m.number != federation.members["m5"].number])
    code = _lapse_code(_upload(officer, federation, keep_four, dry_run="on"))
    keep_three = _csv(
        [m for m in members if m.number not in {federation.members[k].number for k in ("m4", "m5")}]
    )
    refused = _text(_upload(officer, federation, keep_three, lapse_code=code, confirm_lapses="on").encode())
    assert "the members who would lapse changed since the code was given" in refused
    assert len(_current(federation)) == 5
    done = _text(_upload(officer, federation, keep_four, lapse_code=code, confirm_lapses="on").encode())
    assert "The roll is imported" in done and "1 member lapsed" in done
    assert federation.members["m5"].number not in {m.number for m in _current(federation)}


def test_a_roll_never_lapses_the_officer_importing_it(federation: SmallFederation) -> None:
    _allow_one_officer(federation, "100")
    officer = _client(federation.officer)
    without_me = _csv([m for m in _current(federation) if m.pk != federation.members["m2"].pk])
    html = _upload(officer, federation, without_me, dry_run="on")
    assert "this roll would lapse you" in _text(html.encode())
    assert 'name="lapse_code"' in html  # the list is still shown, the import is not offered as valid
    refused = _text(_upload(officer, federation, without_me, lapse_code="x", confirm_lapses="on").encode())
    assert "Nothing was changed: this roll would lapse you" in refused
    assert federation.members["m2"].number in {m.number for m in _current(federation)}


def test_a_lapse_within_the_constitutions_share_needs_only_the_confirmation(
    federation: SmallFederation,
) -> None:
    """With the constitution letting one officer lapse up to a quarter, one of five lapses at once."""
    _allow_one_officer(federation, "25")
    officer = _client(federation.officer)
    keep_four = _csv([m for m in _current(federation) if m.number != federation.members["m5"].number])
    code = _lapse_code(_upload(officer, federation, keep_four, dry_run="on"))
    done = _text(_upload(officer, federation, keep_four, lapse_code=code, confirm_lapses="on").encode())
    assert "The roll is imported" in done
    assert not RollImportPending.objects.exists()


def test_a_lapse_of_more_than_a_tenth_waits_for_a_second_officer(federation: SmallFederation) -> None:
    """One of five is more than the default tenth: the import is kept, unapplied, until another roll officer
    confirms it; the proposer cannot confirm it themselves; the log names both officers."""
    second = _second_officer(federation)
    officer = _client(federation.officer)
    members = _current(federation)
    keep_four = _csv([m for m in members if m.number != federation.members["m5"].number])
    code = _lapse_code(_upload(officer, federation, keep_four, dry_run="on"))
    kept = _text(_upload(officer, federation, keep_four, lapse_code=code, confirm_lapses="on").encode())
    assert "The roll awaits a second officer" in kept
    assert len(_current(federation)) == 5
    pending = RollImportPending.objects.get()
    assert pending.status == RollImportStatus.AWAITING and pending.lapsing == [
        federation.members["m5"].number
    ]
    decide = reverse(
        "federation:roll_decide",
        kwargs={"slug": federation.org.slug, "code": "D0-U0", "pending_id": pending.pk},
    )
    own = _text(officer.post(decide, {"decision": "confirm"}).content)
    assert "cannot also be its second officer" in own and len(_current(federation)) == 5
    page = _client(second).get(_url(federation)).content.decode()
    assert "A roll awaiting a second officer" in page and 'value="confirm"' in page
    confirmed = _text(_client(second).post(decide, {"decision": "confirm"}).content)
    assert "The roll is imported" in confirmed
    assert federation.members["m5"].number not in {m.number for m in _current(federation)}
    entry = LogEntry.objects.filter(action="roll.imported").latest("seq")
    assert (entry.payload["proposed_by"], entry.payload["confirmed_by"]) == (
        federation.members["m2"].number,
        federation.members["m4"].number,
    )


def test_a_waiting_import_can_be_withdrawn(federation: SmallFederation) -> None:
    second = _second_officer(federation)
    officer = _client(federation.officer)
    keep_four = _csv([m for m in _current(federation) if m.number != federation.members["m5"].number])
    code = _lapse_code(_upload(officer, federation, keep_four, dry_run="on"))
    _upload(officer, federation, keep_four, lapse_code=code, confirm_lapses="on")
    pending = RollImportPending.objects.get()
    decide = reverse(
        "federation:roll_decide",
        kwargs={"slug": federation.org.slug, "code": "D0-U0", "pending_id": pending.pk},
    )
    _client(second).post(decide, {"decision": "withdraw"})
    pending.refresh_from_db()
    assert pending.status == RollImportStatus.WITHDRAWN and len(_current(federation)) == 5
    late = _text(_client(second).post(decide, {"decision": "confirm"}).content)
    assert "no longer awaiting confirmation" in late and len(_current(federation)) == 5


def test_the_operator_cannot_lapse_more_than_one_officer_may(federation: SmallFederation) -> None:
    """The command line acts for no officer, so a large lapse is refused there: two officers must agree."""
    actor = Actor(None, "operator")
    text = _csv(_current(federation)[:4]).decode()
    dry = roll_import(unit=federation.units[0], csv_text=text, dry_run=True, actor=actor)
    report = roll_import(
        unit=federation.units[0], csv_text=text, dry_run=False, actor=actor, confirm_lapses=dry.lapse_code
    )
    assert not report.ok and "needs two of its roll officers" in report.refusal
    assert len(_current(federation)) == 5


def test_an_officer_standing_in_an_open_election_cannot_change_the_roll(
    federation: SmallFederation, clock: Clock
) -> None:
    """The roll decides who votes in the unit's election: its officer who stands in it keeps off the roll."""
    _allow_one_officer(federation, "100")
    election = call(clock, federation.units[0], title="Depot committee")
    stand(election, federation.members["m2"])
    html = _text(
        _upload(
            _client(federation.officer),
            federation,
            _csv(_current(federation), "N1,New Person,n1@example.org"),
            dry_run="on",
        ).encode()
    )
    assert "you cannot change the roll of Unit 0.0 while you stand in “Depot committee”" in html
    assert "New Person" not in {m.person.name for m in _current(federation)}


def test_an_officer_facing_a_recall_cannot_change_the_roll(federation: SmallFederation, clock: Clock) -> None:
    """m2, the roll officer, was elected a delegate and a recall of them is under way: they cannot add
    members to, or remove them from, the constituency that signs and votes on it."""
    _allow_one_officer(federation, "100")
    election = call(clock, federation.units[0], kind=ElectionKind.DELEGATES, term_days=2)
    stand(election, federation.members["m2"], federation.members["m4"])
    election = to_voting(clock, election)  # two candidates for the unit's two seats: elected unopposed
    assert election.status == ElectionStatus.DECLARED and election.uncontested
    clock.advance(days=3)  # into the term
    elections_run_due()
    seat = ElectedSeat.objects.get(election=election, member=federation.members["m2"])
    recall_petition_open(seat=seat, member=federation.members["m1"])
    html = _text(
        _upload(
            _client(federation.officer),
            federation,
            _csv(_current(federation), "N1,New Person,n1@example.org"),
        ).encode()
    )
    assert (
        "Nothing was changed: you cannot change the roll of Unit 0.0 while a recall of you is under way"
        in html
    )
    assert not Member.objects.filter(number="N1").exists()
