"""Recall through the REST API, end to end: petition → threshold → removal → countback, equal to the
tally engine's countback of the published bulletin; and every way of stopping a recall, refused."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from django.test import Client

from commune.accounts.services import user_create
from commune.audit.models import LogEntry
from commune.cli.tally import main as tally_main
from commune.elections.selectors import bulletin_blt_text
from commune.federation.models import Delegation
from commune.federation.services import office_create, office_fill
from commune.notifications.models import Notification
from commune.recall.models import RecallPetition, RecallSignature
from commune.tally.countback import countback
from commune.tally.export import result_dict
from commune.tally.readers import parse_blt
from tests.recall.conftest import Api, Recall

pytestmark = pytest.mark.django_db

AGAINST_M1 = {"holder": "RC00001", "council": "D0", "grounds": "Voted against our mandate on pay."}


def _open(recall: Recall, key: str = "m7") -> dict:
    response = recall.api(key).post("/orgs/rc/recalls", AGAINST_M1)
    assert response.status_code == 201, response.content
    return response.json()


def test_recall_to_countback_fills_the_seat_exactly_as_the_tally_engine_recounts_the_bulletin(
    recall: Recall, tmp_path: Path
) -> None:
    """Three of twelve electors sign (25%); under an immediate-removal constitution the delegate is
    recalled at once and the seat goes by countback to the candidate ``commune.tally.countback`` picks
    from the election's published BLT, seated with the countback named as its source."""
    recall.rules(procedure="immediate", replacement="countback")
    opened = _open(recall)
    assert (opened["signatures"], opened["signatures_required"], opened["electorate"]) == (1, 3, 12)
    assert opened["status"] == "gathering" and opened["you_signed"] is True
    petition_id = opened["id"]
    assert recall.api("m8").post(f"/orgs/rc/recalls/{petition_id}/signature").json()["signatures"] == 2
    done = recall.api("m9").post(f"/orgs/rc/recalls/{petition_id}/signature").json()
    assert done["status"] == "recalled"
    assert done["replacement"]["method"] == "countback"

    old = Delegation.objects.get(pk=recall.seats["m1"].delegation_id)
    assert old.ended_at is not None and old.end_reason == "recalled"

    # The same count from the published bulletin's BLT export, by the tally library.
    election = recall.election
    blt = bulletin_blt_text(election=election)
    expected = countback(parse_blt(blt.encode()), departed=recall.labels["m1"], seed=election.tie_seed or 0)
    assert expected.filled_by == recall.labels["m5"]
    assert done["replacement"]["name"] == expected.filled_by
    assert done["replacement"]["countback"]["stages"] == result_dict(expected.recount)["stages"]
    # ...and `commune tally` reading that file elects the original winners the countback starts from.
    path = tmp_path / "bulletin.blt"
    path.write_text(blt)
    out = io.StringIO()
    with redirect_stdout(out):
        assert tally_main([str(path), "--format", "json", "--seed", str(election.tie_seed)]) == 0
    counted = json.loads(out.getvalue())
    counted = counted[0] if isinstance(counted, list) else counted
    assert counted["elected"] == list(expected.original.elected)

    winner = Delegation.objects.get(
        council=recall.fed.districts[0], ended_at__isnull=True, member__number=done["replacement"]["member"]
    )
    assert winner.source.startswith(f"countback of election #{election.pk}")
    assert winner.term_end == old.term_end

    result = recall.api("m10").get(f"/orgs/rc/recalls/{petition_id}/result")
    assert result.status_code == 200 and result.json()["replacement"]["member"] == winner.member.number


def test_notifications_tell_the_electorate_the_delegate_and_the_replacement(recall: Recall) -> None:
    """The electorate hears the threshold was reached, the delegate that they were recalled, and all
    of them (and the new holder) who fills the seat."""
    recall.rules(procedure="immediate")
    petition_id = _open(recall)["id"]
    for key in ("m8", "m9"):
        recall.api(key).post(f"/orgs/rc/recalls/{petition_id}/signature")
    m12, m1 = recall.member("m12").person, recall.member("m1").person
    assert Notification.objects.filter(person=m12, kind="recall.threshold_reached").count() == 1
    assert Notification.objects.filter(person=m1, kind="recall.recalled").count() == 1
    assert Notification.objects.filter(person=m12, kind="recall.replaced").count() == 1
    outsider = recall.member("m13").person
    assert not Notification.objects.filter(person=outsider, kind__startswith="recall.").exists()


def test_recall_ballot_through_the_api_decides_by_its_own_majority(recall: Recall) -> None:
    """Under a two-thirds recall-ballot rule the threshold opens a secret ballot; 7 yes to 4 no is not
    two-thirds... of 11 it is 63.6%, so the delegate stays; counting early is refused."""
    recall.rules(procedure="recall-ballot", recall_ballot_majority="2/3")
    petition_id = _open(recall)["id"]
    for key in ("m8", "m9"):
        recall.api(key).post(f"/orgs/rc/recalls/{petition_id}/signature")
    detail = recall.api("m7").get(f"/orgs/rc/recalls/{petition_id}").json()
    assert detail["status"] == "balloting" and detail["ballot"]["closed"] is False
    choices = ["yes"] * 7 + ["no"] * 4
    for n, choice in enumerate(choices, start=1):
        response = recall.api(f"m{n}").post(f"/orgs/rc/recalls/{petition_id}/ballot", {"choice": choice})
        assert response.status_code == 204
    assert (
        recall.api("m1").post(f"/orgs/rc/recalls/{petition_id}/ballot", {"choice": "no"}).status_code == 409
    )
    early = recall.api("m7").post(f"/orgs/rc/recalls/{petition_id}/ballot/count")
    assert early.status_code == 409
    assert recall.api("m7").get(f"/orgs/rc/recalls/{petition_id}/result").status_code == 409
    recall.api("m12").post(f"/orgs/rc/recalls/{petition_id}/ballot", {"choice": "abstain"})
    counted = recall.api("m7").post(f"/orgs/rc/recalls/{petition_id}/ballot/count").json()
    assert counted["ballot"]["yes"] == 7 and counted["ballot"]["no"] == 4
    assert counted["ballot"]["carried"] is False and counted["status"] == "retained"
    assert Delegation.objects.get(pk=recall.seats["m1"].delegation_id).ended_at is None


def test_signatures_are_withdrawn_only_by_the_signer_and_only_before_the_threshold(recall: Recall) -> None:
    """A signer takes back their own signature; someone who did not sign cannot take one off; after
    the threshold nobody can."""
    petition_id = _open(recall)["id"]
    assert recall.api("m8").post(f"/orgs/rc/recalls/{petition_id}/signature").json()["signatures"] == 2
    assert recall.api("m8").post(f"/orgs/rc/recalls/{petition_id}/signature").status_code == 409
    assert recall.api("m9").delete(f"/orgs/rc/recalls/{petition_id}/signature").status_code == 409
    back = recall.api("m8").delete(f"/orgs/rc/recalls/{petition_id}/signature").json()
    assert back["signatures"] == 1 and back["you_signed"] is False
    for key in ("m8", "m9"):
        recall.api(key).post(f"/orgs/rc/recalls/{petition_id}/signature")
    assert recall.api("m9").delete(f"/orgs/rc/recalls/{petition_id}/signature").status_code == 409
    assert RecallPetition.objects.get(pk=petition_id).signatures == 3


def test_only_the_electorate_may_open_or_sign(recall: Recall) -> None:
    """A member of another unit, a stranger to the organisation and an elector who left the unit before
    the petition opened are all refused, and the count does not move. (An elector who leaves after it
    opens keeps the right: ``tests/recall/test_electorate_fixed.py``.)"""
    from commune.federation.services import member_transfer

    member_transfer(member=recall.member("m10"), to_unit=recall.fed.units[1])
    petition_id = _open(recall)["id"]
    other_unit = recall.api("m13")
    assert other_unit.post("/orgs/rc/recalls", AGAINST_M1).status_code == 403
    assert other_unit.post(f"/orgs/rc/recalls/{petition_id}/signature").status_code == 403
    stranger = Api(user_create(email="s@x.example", name="Stranger", password="pw-pw-pw-pw"))
    assert stranger.post(f"/orgs/rc/recalls/{petition_id}/signature").status_code == 404
    assert stranger.get(f"/orgs/rc/recalls/{petition_id}").status_code == 404
    assert recall.api("m10").post(f"/orgs/rc/recalls/{petition_id}/signature").status_code == 403
    assert other_unit.get(f"/orgs/rc/recalls/{petition_id}").json()["you_may_take_part"] is False
    assert RecallPetition.objects.get(pk=petition_id).signatures == 1
    assert recall.api("m8").post("/orgs/rc/recalls", AGAINST_M1).status_code == 409  # one at a time


STOP_ATTEMPTS = [
    ("delete", "/orgs/rc/recalls/{id}"),
    ("post", "/orgs/rc/recalls/{id}/void"),
    ("post", "/orgs/rc/recalls/{id}/pause"),
    ("post", "/orgs/rc/recalls/{id}/delay"),
    ("post", "/orgs/rc/recalls/{id}/withdraw"),
    ("post", "/orgs/rc/recalls/{id}/cancel"),
    ("post", "/orgs/rc/recalls/{id}/close"),
    ("patch", "/orgs/rc/recalls/{id}"),
    ("put", "/orgs/rc/recalls/{id}"),
    ("delete", "/orgs/rc/recalls/{id}/ballot"),
    ("delete", "/orgs/rc/recalls/{id}/signature"),
    ("post", "/orgs/rc/recalls/{id}/ballot/count"),
]


def _try_to_stop(api: Api, petition_id: int) -> list[int]:
    codes = []
    for method, path in STOP_ATTEMPTS:
        url = path.format(id=petition_id)
        call = getattr(api, method)
        response = (
            call(url, {"status": "lapsed", "deadline": "2000-01-01T00:00:00Z"})
            if method in ("patch", "put")
            else call(url)
        )
        codes.append(response.status_code)
    return codes


def test_no_council_officer_executive_delegate_or_operator_can_stop_a_recall(recall: Recall) -> None:
    """The chair of District 0 (the council the delegate sits on), the secretary of the unit, the
    recalled delegate and an instance superuser each try every way to stop, void, pause, delay or
    withdraw the petition and its ballot: every attempt is refused or does not exist, nothing changes,
    and the electorate's signatures still carry the recall."""
    fed = recall.fed
    chair = office_create(body=fed.districts[0], title="Chair")
    office_fill(
        office=chair,
        member=recall.member("m20"),
        term_start=recall.clock.now.date(),
        term_end=recall.clock.now.date().replace(year=recall.clock.now.year + 1),
        source="test",
    )
    secretary = recall.member("m11")
    unit_office = office_create(body=fed.units[0], title="Treasurer")
    office_fill(
        office=unit_office,
        member=secretary,
        term_start=recall.clock.now.date(),
        term_end=recall.clock.now.date().replace(year=recall.clock.now.year + 1),
        source="test",
    )
    operator = user_create(email="root@op.example", name="Operator", password="pw-pw-pw-pw")
    operator.is_staff = operator.is_superuser = True
    operator.save()
    recall.rules(procedure="recall-ballot")
    petition_id = _open(recall)["id"]
    recall.api("m8").post(f"/orgs/rc/recalls/{petition_id}/signature")

    for who in (recall.api("m20"), recall.api("m11"), recall.api("m1"), Api(operator)):
        codes = _try_to_stop(who, petition_id)
        assert all(code in (403, 404, 405, 409) for code in codes), codes
        petition = RecallPetition.objects.get(pk=petition_id)
        assert (petition.status, petition.signatures) == ("gathering", 2)

    assert recall.api("m9").post(f"/orgs/rc/recalls/{petition_id}/signature").json()["status"] == "balloting"
    for who in (recall.api("m20"), recall.api("m11"), recall.api("m1"), Api(operator)):
        _try_to_stop(who, petition_id)
        assert RecallPetition.objects.get(pk=petition_id).status == "balloting"
    for n in range(2, 13):
        recall.api(f"m{n}").post(f"/orgs/rc/recalls/{petition_id}/ballot", {"choice": "yes"})
    recall.api("m1").post(f"/orgs/rc/recalls/{petition_id}/ballot", {"choice": "no"})
    counted = recall.api("m7").post(f"/orgs/rc/recalls/{petition_id}/ballot/count").json()
    assert counted["status"] == "recalled" and counted["ballot"]["yes"] == 11


def test_the_admin_shows_recalls_to_an_operator_but_changes_nothing(recall: Recall) -> None:
    """The operator's admin is read-only for petitions, ballots and signatures."""
    petition_id = _open(recall)["id"]
    operator = user_create(email="root@op.example", name="Operator", password="pw-pw-pw-pw")
    operator.is_staff = operator.is_superuser = True
    operator.save()
    browser = Client()
    browser.force_login(operator)
    assert browser.get(f"/admin/recall/recallpetition/{petition_id}/change/").status_code == 200
    response = browser.post(f"/admin/recall/recallpetition/{petition_id}/change/", {"status": "lapsed"})
    assert response.status_code == 403
    assert (
        browser.post(f"/admin/recall/recallpetition/{petition_id}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert browser.get("/admin/recall/recallsignature/add/").status_code == 403
    assert RecallPetition.objects.get(pk=petition_id).status == "gathering"


def test_the_recalled_delegate_cannot_learn_who_signed(recall: Recall) -> None:
    """No endpoint lists signers: the delegate sees the count only, the signers' names and numbers
    appear nowhere in what they can read, nor in the provenance log; the signature table holds
    digests, not members."""
    recall.rules(procedure="immediate")
    petition_id = _open(recall)["id"]
    recall.api("m8").post(f"/orgs/rc/recalls/{petition_id}/signature")
    delegate = recall.api("m1")
    signers = [recall.member(k) for k in ("m7", "m8")]
    for path in (
        f"/orgs/rc/recalls/{petition_id}",
        "/orgs/rc/recalls",
        "/orgs/rc/delegates/RC00001/recalls",
        f"/orgs/rc/recalls/{petition_id}/signatures",
        f"/orgs/rc/recalls/{petition_id}/signers",
        "/orgs/rc/log",
    ):
        text = delegate.get(path).content.decode()
        for signer in signers:
            assert (
                signer.person.name not in text
                and signer.number not in text
                and signer.person.email not in text
            )
    assert delegate.get(f"/orgs/rc/recalls/{petition_id}").json()["signatures"] == 2
    assert delegate.get(f"/orgs/rc/recalls/{petition_id}/signatures").status_code in (404, 405)
    recall.api("m9").post(f"/orgs/rc/recalls/{petition_id}/signature")
    for entry in LogEntry.objects.filter(organisation=recall.fed.org, action__startswith="recall."):
        record = json.dumps([entry.summary, entry.actor_label, entry.payload])
        for key in ("m7", "m8", "m9"):
            assert recall.member(key).person.name not in record and recall.member(key).number not in record
    assert {f.name for f in RecallSignature._meta.get_fields()} == {
        "id",
        "petition",
        "petition_id",
        "signer_key",
    } - {"petition_id"}
