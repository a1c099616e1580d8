"""Conditional pledges end to end through the REST API: launching on a body's own decision, pledging once,
withdrawing until the condition is met, the same notice to everyone when it is, and every refusal."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from commune.audit.models import LogEntry
from commune.federation.services import member_lapse
from commune.notifications.models import Notification
from commune.pledges.models import CampaignStatus, PledgeCampaign
from commune.pledges.services import pledges_run_due
from tests.pledges.conftest import Pledges, adopted_in_assembly, adopted_in_council, as_json, path


def _launch_body(p: Pledges, body: str, motion: int | None, **extra: Any) -> dict[str, Any]:
    return {
        "body": body,
        "action": "strike on the first Monday of next month",
        "condition": "unit-percent",
        "threshold": "50",
        "deadline": (timezone.now() + timedelta(days=10)).isoformat(),
        "motion": motion,
        **extra,
    }


def test_a_council_launches_a_campaign_on_its_adopted_motion_and_the_log_names_it(pledges: Pledges) -> None:
    """A delegate of District 0 registers the campaign its council adopted: it covers the district's two
    units, names the motion and the vote that adopted it, and the log records the launch by name."""
    p = pledges
    district = p.fed.districts[0]
    motion = adopted_in_council(district, p.member(3))
    out = as_json(p.api(3).post(f"/orgs/{p.slug}/pledges", _launch_body(p, "D0", motion.pk)))
    assert (
        out["body"] == "D0" and out["motion"] == motion.pk and out["adopted_by_vote"] == motion.adopted_by_id
    )
    assert [u["code"] for u in out["units"]] == ["D0-U0", "D0-U1"]
    assert [u["required"] for u in out["units"]] == [6, 6] and out["members"] == 24
    entry = LogEntry.objects.filter(action="pledges.campaign_launched").get()
    assert entry.payload["motion"] == motion.pk and entry.payload["adopted_by_vote"] == motion.adopted_by_id
    assert f"motion {motion.pk} adopted by District 0" in entry.summary
    listed = as_json(p.api(20).get(f"/orgs/{p.slug}/pledges"))
    assert [c["id"] for c in listed] == [out["id"]]


def test_only_the_body_itself_launches_and_only_on_its_own_adopted_decision(pledges: Pledges) -> None:
    """Refused, and nothing launched: a member of another unit; a motion of another body; a motion not yet
    adopted; no motion where the constitution asks for one (even an officer); a motion used twice; a share
    above 100 %; a deadline past or beyond the constitution's longest campaign."""
    p = pledges
    unit = p.fed.units[0]
    motion = adopted_in_assembly(unit, p.member(1))
    other = adopted_in_assembly(p.fed.units[1], p.member(13), title="Another depot's strike")
    api = p.api(1)
    refusals = [
        (p.api(13).post(f"/orgs/{p.slug}/pledges", _launch_body(p, "D0-U0", motion.pk)), 403),
        (api.post(f"/orgs/{p.slug}/pledges", _launch_body(p, "D0-U0", other.pk)), 403),
        (
            p.api(2).post(f"/orgs/{p.slug}/pledges", _launch_body(p, "D0-U0", None)),
            403,
        ),  # m2 is its secretary
        (api.post(f"/orgs/{p.slug}/pledges", _launch_body(p, "D0-U0", motion.pk, threshold="101")), 400),
        (
            api.post(
                f"/orgs/{p.slug}/pledges",
                _launch_body(
                    p, "D0-U0", motion.pk, deadline=(timezone.now() - timedelta(hours=1)).isoformat()
                ),
            ),
            400,
        ),
        (
            api.post(
                f"/orgs/{p.slug}/pledges",
                _launch_body(
                    p, "D0-U0", motion.pk, deadline=(timezone.now() + timedelta(days=91)).isoformat()
                ),
            ),
            400,
        ),
        (
            api.post(
                f"/orgs/{p.slug}/pledges",
                _launch_body(p, "D0-U0", motion.pk, condition="members-total", threshold="13"),
            ),
            400,
        ),
    ]
    assert [r.status_code for r, _ in refusals] == [s for _, s in refusals], [r.json() for r, _ in refusals]
    assert not PledgeCampaign.objects.exists()
    pending = p.api(1).post(
        f"/orgs/{p.slug}/pledges",
        _launch_body(p, "D0-U0", None),
    )
    assert pending.status_code == 403 and "motion" in pending.json()["detail"]
    as_json(api.post(f"/orgs/{p.slug}/pledges", _launch_body(p, "D0-U0", motion.pk)))
    again = api.post(f"/orgs/{p.slug}/pledges", _launch_body(p, "D0-U0", motion.pk))
    assert again.status_code == 409
    assert PledgeCampaign.objects.count() == 1


def test_a_member_pledges_once_sees_only_their_own_pledge_and_withdraws_it_until_the_condition_is_met(
    pledges: Pledges,
) -> None:
    p = pledges
    campaign = p.launch()
    first = as_json(p.api(4).post(path(p, campaign, "/pledge")))
    assert first["you_pledged"] is True and first["you_may_pledge"] is True
    assert p.api(4).post(path(p, campaign, "/pledge")).status_code == 409  # pledging twice
    assert as_json(p.api(5).get(path(p, campaign)))["you_pledged"] is False
    assert as_json(p.api(4).delete(path(p, campaign, "/pledge")))["you_pledged"] is False
    assert p.api(4).delete(path(p, campaign, "/pledge")).status_code == 409  # nothing to withdraw
    as_json(p.api(4).post(path(p, campaign, "/pledge")))  # and may pledge again
    assert PledgeCampaign.objects.get(pk=campaign.pk).pledges == 1


def test_a_member_of_another_unit_and_an_ex_member_may_not_pledge(pledges: Pledges) -> None:
    """A campaign of D0-U0 is for D0-U0's members: a member of D0-U1 is refused (403); a member who has
    lapsed no longer reaches the organisation at all (404), and the service refuses them too."""
    p = pledges
    campaign = p.launch()
    outsider = p.api(13).post(path(p, campaign, "/pledge"))
    assert outsider.status_code == 403 and "units this campaign covers" in outsider.json()["detail"]
    assert as_json(p.api(13).get(path(p, campaign)))["you_may_pledge"] is False
    lapsed = p.member(7)
    api = p.api(7)
    member_lapse(member=lapsed, reason="dues unpaid")
    assert api.post(path(p, campaign, "/pledge")).status_code == 404
    from commune.pledges.errors import PledgeNotEntitled
    from commune.pledges.services import pledge_make

    try:
        pledge_make(campaign=campaign, member=p.member(7))
    except PledgeNotEntitled:
        pass
    else:  # pragma: no cover - the assertion below names the failure
        raise AssertionError("an ex-member pledged")
    assert PledgeCampaign.objects.get(pk=campaign.pk).pledges == 0


def test_when_the_condition_is_met_everyone_in_the_unit_is_told_at_once_and_pledges_stand(
    pledges: Pledges, django_capture_on_commit_callbacks: Any
) -> None:
    """Half of D0-U0's twelve members pledge: at the sixth, the unit's condition is met in the same
    transaction; every member of the unit (pledgers or not) has one and the same notice, so the notices
    are no list of pledgers; a pledge made there can no longer be withdrawn; late pledges stand at once."""
    p = pledges
    campaign = p.launch(p.fed.districts[0], by=3)
    for n in range(1, 6):
        as_json(p.api(n).post(path(p, campaign, "/pledge")))
    assert not Notification.objects.filter(kind="pledges.unit_met").exists()
    with django_capture_on_commit_callbacks(execute=True) as mails:
        out = as_json(p.api(6).post(path(p, campaign, "/pledge")))
    assert [u["met"] for u in out["units"]] == [True, False] and out["status"] == "gathering"
    notices = Notification.objects.filter(kind="pledges.unit_met")
    unit_people = {p.fed.members[f"m{n}"].person_id for n in range(1, 13)}
    assert set(notices.values_list("person_id", flat=True)) == unit_people
    assert len(set(notices.values_list("subject", "body", "link"))) == 1
    assert mails  # the emails go once the transaction commits
    refused = p.api(3).delete(path(p, campaign, "/pledge"))
    assert refused.status_code == 409 and "stands" in refused.json()["detail"]
    as_json(p.api(9).post(path(p, campaign, "/pledge")))
    assert p.api(9).delete(path(p, campaign, "/pledge")).status_code == 409
    entry = LogEntry.objects.get(action="pledges.unit_met")
    assert entry.payload == {"campaign": campaign.pk, "unit": "D0-U0", "required": 6, "members": 12}


def test_a_members_total_condition_is_met_across_the_campaign_and_then_takes_no_more_pledges(
    pledges: Pledges, django_capture_on_commit_callbacks: Any
) -> None:
    p = pledges
    campaign = p.launch(p.fed.districts[0], by=3, condition="members-total", threshold=3)
    as_json(p.api(1).post(path(p, campaign, "/pledge")))
    as_json(p.api(14).post(path(p, campaign, "/pledge")))
    with django_capture_on_commit_callbacks(execute=True):
        out = as_json(p.api(15).post(path(p, campaign, "/pledge")))
    assert out["status"] == "met" and all(u["met"] for u in out["units"])
    people = set(Notification.objects.filter(kind="pledges.campaign_met").values_list("person_id", flat=True))
    assert people == {p.fed.members[f"m{n}"].person_id for n in range(1, 25)}
    assert p.api(16).post(path(p, campaign, "/pledge")).status_code == 409
    assert p.api(1).delete(path(p, campaign, "/pledge")).status_code == 409  # withdrawing after it was met
    # The key is gone: not even the pledger can be told they pledged.
    assert as_json(p.api(1).get(path(p, campaign)))["you_pledged"] is False


def test_at_the_deadline_the_campaign_closes_and_nobody_can_pledge_or_withdraw(
    pledges: Pledges, django_capture_on_commit_callbacks: Any
) -> None:
    p = pledges
    campaign = p.launch(deadline=timezone.now() + timedelta(days=2))
    as_json(p.api(1).post(path(p, campaign, "/pledge")))
    assert p.api(1).get(path(p, campaign)).json()["you_pledged"] is True
    from tests.clock import let_time_pass

    let_time_pass(days=2, seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        report = pledges_run_due()
    assert report.done == [f"pledge campaign #{campaign.pk}: closed at its deadline"]
    assert PledgeCampaign.objects.get(pk=campaign.pk).status == CampaignStatus.CLOSED
    assert p.api(2).post(path(p, campaign, "/pledge")).status_code == 409
    assert p.api(1).delete(path(p, campaign, "/pledge")).status_code == 409
    assert p.api(1).get(path(p, campaign)).json()["you_pledged"] is False
    closed = Notification.objects.filter(kind="pledges.campaign_closed")
    assert closed.count() == 12 and len(set(closed.values_list("body", flat=True))) == 1
    assert pledges_run_due().done == []


def test_where_the_constitution_allows_an_officer_launches_alone_and_the_campaign_names_the_office(
    pledges: Pledges,
) -> None:
    """Once the membership has amended ``pledges.launched_by`` to ``decision-or-officers``, D0-U0's
    secretary launches a campaign of the unit without a motion, and it names their office; a member who holds
    no office still may not, nor may the secretary for another unit."""
    from commune.federation.constitution import DEFAULT_RULES
    from tests.referendum import constitution_amend

    p = pledges
    constitution_amend(
        p.fed.org,
        {**DEFAULT_RULES, "pledges": {**DEFAULT_RULES["pledges"], "launched_by": "decision-or-officers"}},
    )
    assert p.api(1).post(f"/orgs/{p.slug}/pledges", _launch_body(p, "D0-U0", None)).status_code == 403
    assert p.api(2).post(f"/orgs/{p.slug}/pledges", _launch_body(p, "D0-U1", None)).status_code == 403
    out = as_json(p.api(2).post(f"/orgs/{p.slug}/pledges", _launch_body(p, "D0-U0", None)))
    assert out["office"] == "Secretary" and out["motion"] is None and out["launched_by"] == p.member(2).number
    entry = LogEntry.objects.get(action="pledges.campaign_launched")
    assert "by Unit 0.0's Secretary" in entry.summary and entry.payload["office_term"] is not None
