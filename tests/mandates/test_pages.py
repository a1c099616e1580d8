"""The mandate pages: a delegate's compliance record (what members use to judge their delegates), giving
a mandate through one's constituency's vote, a delegate casting their seat's vote beside it, and the
notifications a departure sends."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commune.accounts.models import User
from commune.federation.services import delegation_seat
from commune.mandates.models import Mandate, MandateStatus
from commune.motions.models import DelegateVote, Vote
from commune.motions.services import vote_barred
from commune.notifications.models import Notification
from tests.clock import current_term, let_vote_run
from tests.conftest import build_federation, seed_demo
from tests.described import unlinked_errors
from tests.motions.conftest import Fed, all_vote, cast, close, fed, on_agenda, put, sitting

__all__ = ["fed"]

pytestmark = pytest.mark.django_db


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def as_member(fed: Fed, n: int) -> Client:
    return client_of(fed.members[f"m{n}"].person)


def text_of(page: bytes) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.decode())))


def url(fed: Fed, name: str, **kwargs: object) -> str:
    return reverse(name, kwargs={"slug": fed.slug, **kwargs})


def give_mandate(fed: Fed, motion: int, kind: str, instruction: str) -> dict[str, Any]:
    """D0-U0 (m1–m5) adopts a mandate for its delegates on District 0 by its own vote."""
    response = fed.api(1).post(
        f"/orgs/{fed.slug}/motions/{motion}/mandates",
        {"constituency": "D0-U0", "kind": kind, "instruction": instruction, "minutes": 30},
    )
    assert response.status_code == 201, response.json()
    mandate = response.json()
    all_vote(fed, mandate["vote"], {n: "yes" for n in range(1, 6)})
    let_vote_run(mandate["vote"])
    decided = fed.api(2).post(f"/orgs/{fed.slug}/mandates/{mandate['id']}/decide")
    assert decided.status_code == 200 and decided.json()["status"] == "adopted", decided.json()
    return dict(decided.json())


def council_vote(fed: Fed, kind: str = "instructed", instruction: str = "no") -> tuple[int, int]:
    """A motion on District 0's agenda with D0-U0's mandate on it, put to the vote in session with m3
    (D0-U0's delegate) and m6 (D0-U1's) on the roll. Returns (motion, vote)."""
    motion = on_agenda(fed, 6, "D0", supporter=3)
    give_mandate(fed, motion, kind, instruction)
    session = sitting(fed, "D0", 3, 6)
    return motion, put(fed, 6, motion, session=session)


def test_a_departure_is_published_and_stands_out_in_the_delegates_compliance_record(fed: Fed) -> None:
    """m3 departs from D0-U0's instructed mandate through the seat form, giving a reason; the page
    confirms it was published; every member of D0-U0 is notified; the delegate page shows the departure,
    its reason and the mandate beside the vote, highlighted, and counts it; a member of D0-U0 reaches that
    page from "who represents you" on their home page."""
    _, vote = council_vote(fed)
    form = text_of(as_member(fed, 3).get(url(fed, "mandates:seat_vote", vote_id=vote)).content)
    assert "Instructed mandate" in form and "instructed its delegates to vote no" in form
    response = as_member(fed, 3).post(
        url(fed, "mandates:seat_vote", vote_id=vote),
        {"choice": "yes", "reason": "The employer conceded the rota change overnight."},
        follow=True,
    )
    assert "Your departure and your reason are published to your constituents." in text_of(response.content)
    notified = set(
        Notification.objects.filter(kind="mandate.departed").values_list("person__email", flat=True)
    )
    assert notified == {fed.members[f"m{n}"].person.email for n in range(1, 6)}

    number = fed.members["m3"].number
    home = as_member(fed, 1).get("/").content.decode()
    represents = home.split('id="represents"')[1].split("</section>")[0]
    delegate_url = url(fed, "mandates:delegate", number=number)
    assert f'href="{delegate_url}">Member 003</a>' in represents
    # The notice itself leads to the same page, where the record is read.
    links = set(Notification.objects.filter(kind="mandate.departed").values_list("link", flat=True))
    assert links == {delegate_url}

    page = as_member(fed, 1).get(delegate_url)
    text = text_of(page.content)
    assert page.status_code == 200
    assert "1 vote 0 as mandated 1 departure from a mandate" in text
    departures = text.split("Departures from a mandate")[1].split("When Question")[0]
    assert "Unit 0.0 instructed no ; the seat voted yes" in departures
    assert "Reason given: “The employer conceded the rota change overnight.”" in departures
    row = page.content.decode().split('<tr class="compliance-departed departed">')[1].split("</tr>")[0]
    assert "instructed</span>: vote no" in row and "<strong>Yes</strong>" in row and "departed" in row


def test_a_delegate_cannot_vote_against_a_binding_mandate_through_the_form(fed: Fed) -> None:
    """The seat form refuses a vote other than the binding instruction, naming the mandate, and records
    nothing; the instructed vote is then recorded as complying."""
    _, vote = council_vote(fed, kind="binding", instruction="no")
    refused = as_member(fed, 3).post(url(fed, "mandates:seat_vote", vote_id=vote), {"choice": "yes"})
    assert refused.status_code == 403
    text = text_of(refused.content)
    assert "Unit 0.0 gave a binding mandate to vote no on this item" in text
    assert "Binding mandate" in text
    assert not DelegateVote.objects.filter(vote_id=vote).exists()
    assert (
        as_member(fed, 3).post(url(fed, "mandates:seat_vote", vote_id=vote), {"choice": "no"}).status_code
        == 302
    )
    recorded = DelegateVote.objects.get(vote_id=vote)
    assert (recorded.choice, recorded.mandate_kind, recorded.departed) == ("no", "binding", False)
    record = text_of(
        as_member(fed, 9).get(url(fed, "mandates:delegate", number=fed.members["m3"].number)).content
    )
    assert "1 vote 1 as mandated 0 departures" in record


def test_departing_from_an_instructed_mandate_needs_a_reason(fed: Fed) -> None:
    """Without a reason the seat form says one is needed and nothing is recorded."""
    _, vote = council_vote(fed)
    refused = as_member(fed, 3).post(
        url(fed, "mandates:seat_vote", vote_id=vote), {"choice": "yes", "reason": " "}
    )
    assert refused.status_code == 400
    assert "to depart from the mandate, give your reason" in text_of(refused.content)
    assert not DelegateVote.objects.filter(vote_id=vote).exists()


def test_a_member_proposes_a_mandate_to_their_constituency_which_adopts_it_by_its_own_vote(fed: Fed) -> None:
    """m1 proposes an instructed mandate for D0-U0 through the item's mandates page; the unit votes on
    the vote page; counting it on the mandate page puts it in force. A member of another constituency of
    the council is offered no form for D0-U0, and a member under another council none at all."""
    motion = on_agenda(fed, 6, "D0", supporter=3)
    page = text_of(as_member(fed, 1).get(url(fed, "mandates:of_motion", motion_id=motion)).content)
    assert "Propose a mandate to your constituency" in page
    assert "Propose a mandate" not in text_of(
        as_member(fed, 11).get(url(fed, "mandates:of_motion", motion_id=motion)).content
    )
    response = as_member(fed, 1).post(
        url(fed, "mandates:of_motion", motion_id=motion),
        {
            "constituency": "D0-U0",
            "kind": "instructed",
            "instruction": "yes",
            "note": "Back it.",
            "minutes": 60,
        },
    )
    mandate = Mandate.objects.get(motion_id=motion)
    assert response["Location"] == url(fed, "mandates:mandate", mandate_id=mandate.pk)
    assert "Being voted on by the constituency" in text_of(
        as_member(fed, 2).get(response["Location"]).content
    )
    for n in range(1, 6):
        as_member(fed, n).post(url(fed, "motions:vote", vote_id=mandate.vote_id), {"choice": "yes"})
    # A mandate vote is counted where it takes effect: its count button is on the mandate's page.
    let_vote_run(mandate.vote)
    counted = as_member(fed, 2).post(url(fed, "motions:vote_close", vote_id=mandate.vote_id))
    assert counted["Location"] == url(fed, "mandates:mandate", mandate_id=mandate.pk)
    as_member(fed, 2).post(url(fed, "mandates:decide", mandate_id=mandate.pk))
    mandate.refresh_from_db()
    assert mandate.status == MandateStatus.ADOPTED
    shown = text_of(as_member(fed, 15).get(url(fed, "mandates:of_motion", motion_id=motion)).content)
    assert "Unit 0.0 instructed : vote yes In force Member 001" in shown

    bad = as_member(fed, 1).post(
        url(fed, "mandates:of_motion", motion_id=motion),
        {"constituency": "D0-U0", "kind": "binding", "instruction": "", "minutes": 60},
    )
    assert bad.status_code == 400
    assert "a binding or instructed mandate says how to vote" in text_of(bad.content).lower()


def test_notifications_are_listed_with_an_unread_badge_and_marked_read(fed: Fed) -> None:
    """A constituent sees the departure notice, the badge counts it, and marking it read clears the
    badge; nobody can mark another person's notification."""
    _, vote = council_vote(fed)
    reader = as_member(fed, 2)
    # The reader has read what came before (the notices of the mandate's vote and of the session).
    assert reader.post(reverse("notifications:read_all")).status_code == 302
    assert text_of(reader.get(reverse("notifications:badge")).content).strip() == ""
    assert cast(fed, 3, vote, "yes", reason="New facts.").status_code == 201
    assert text_of(reader.get(reverse("notifications:badge")).content).strip() == "1 unread"
    listing = text_of(reader.get(reverse("notifications:list")).content)
    assert "new Your delegate departed from your mandate" in listing and "Their reason: New facts." in listing
    notice = Notification.objects.get(person=fed.members["m2"].person, kind="mandate.departed")
    assert (
        as_member(fed, 7)
        .post(reverse("notifications:read", kwargs={"notification_id": notice.pk}))
        .status_code
        == 404
    )
    assert (
        reader.post(reverse("notifications:read", kwargs={"notification_id": notice.pk})).status_code == 302
    )
    assert text_of(reader.get(reverse("notifications:badge")).content).strip() == ""
    assert "You have no unread notifications." in text_of(
        reader.get(reverse("notifications:list") + "?unread=1").content
    )
    assert as_member(fed, 3).post(reverse("notifications:read_all"), follow=True).status_code == 200


def test_anonymous_visitors_sign_in_first_and_outsiders_find_nothing(fed: Fed) -> None:
    """The delegate, mandate and notification pages need a signed-in member; another organisation's
    member finds the delegate page missing, as a number that does not exist is."""
    motion, vote = council_vote(fed)
    mandate = Mandate.objects.get(motion_id=motion)
    pages = [
        url(fed, "mandates:delegate", number=fed.members["m3"].number),
        url(fed, "mandates:of_motion", motion_id=motion),
        url(fed, "mandates:mandate", mandate_id=mandate.pk),
        url(fed, "mandates:seat_vote", vote_id=vote),
    ]
    other = build_federation(slug="other")
    for page in pages:
        anonymous = Client().get(page)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("accounts:login"))
        assert client_of(other.member).get(page).status_code == 404, page
    assert Client().get(reverse("notifications:list")).status_code == 302
    assert as_member(fed, 1).get(url(fed, "mandates:delegate", number="NOPE")).status_code == 404


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def test_the_delegate_page_is_constant_in_queries_as_the_record_grows(fed: Fed) -> None:
    """One vote or seven, with mandates and departures among them: the delegate page costs the same."""
    reader = as_member(fed, 20)
    path = url(fed, "mandates:delegate", number=fed.members["m3"].number)
    _, vote = council_vote(fed)
    assert cast(fed, 3, vote, "yes", reason="First").status_code == 201
    small = _queries(reader, path)
    session = Vote.objects.get(pk=vote).session_id
    delegation_seat(
        council=fed.small.congress,
        constituency=fed.small.districts[1],
        member=fed.members["m16"],
        term_start=current_term()[0],
        term_end=current_term()[1],
        source="test election",
    )
    for _ in range(3):
        later = put(fed, 6, on_agenda(fed, 6, "D0", supporter=3), session=session)
        assert cast(fed, 3, later, "no").status_code == 201
        assert cast(fed, 6, later, "no").status_code == 201
        close(fed, 6, later)
    congress = sitting(fed, "CONGRESS", 3, 11)
    for _ in range(3):
        item = put(fed, 3, on_agenda(fed, 3, "CONGRESS", supporter=11), session=congress)
        assert cast(fed, 3, item, "yes").status_code == 201
    assert _queries(reader, path) == small
    assert small <= 10, small
    assert "7 votes" in text_of(reader.get(path).content)


def test_the_demo_leaves_a_forwarded_motion_a_referendum_a_departure_and_an_open_ballot(db: None) -> None:
    """The demo's strike motion runs from the first depot through its district to Congress, each step
    adopted by a recorded vote; Congress's referendum is counted under the industrial-action preset; one
    delegate departed from their depot's instructed mandate with a reason and every member of the depot
    was told; the district's and Congress's sessions are closed with every seat's vote recorded; the demo
    member has an open ballot in their depot and the chain of the log verifies."""
    from commune.audit.verification import chain_verify
    from commune.ballots.models import YesNoRegisterEntry
    from commune.federation.demo import EMAIL_DOMAIN
    from commune.federation.models import Member
    from commune.governance.demo import SITTING_TITLE
    from commune.motions.models import CouncilSession, Motion, MotionStatus, Referral

    org = seed_demo()
    congress_copy = Motion.objects.get(body__code="CONGRESS", forwarded_from__isnull=False)
    line = [congress_copy.forwarded_from.forwarded_from, congress_copy.forwarded_from, congress_copy]  # type: ignore[union-attr]
    assert [m.body.code for m in line] == ["DEPOT-01", "NORTH", "CONGRESS"]  # type: ignore[union-attr]
    assert all(m.adopted_by is not None and m.adopted_by.carried for m in line[:2])  # type: ignore[union-attr]
    referral = Referral.objects.get(motion=congress_copy)
    assert referral.carried and "Trade Union Act 2016" in referral.summary["explanation"]  # type: ignore[index]
    assert congress_copy.status == MotionStatus.REFERRED

    departure = DelegateVote.objects.select_related("delegation__constituency").get(departed=True)
    assert departure.mandate_kind == "instructed" and departure.departure_reason
    depot_members = Member.objects.filter(current_unit=departure.delegation.constituency)
    told = Notification.objects.filter(kind="mandate.departed").values_list("person_id", flat=True)
    assert set(told) == set(depot_members.values_list("person_id", flat=True))
    assert DelegateVote.objects.filter(mandate_kind="binding").exists()

    sessions = list(CouncilSession.objects.filter(council__organisation=org))
    # The motions demo's district and Congress sittings, the structure demo's district sitting (all closed),
    # and the governance demo's sitting of Congress, still in session as the demo's meeting.
    assert len(sessions) == 4
    assert [s.title for s in sessions if s.closed_at is None] == [SITTING_TITLE]
    for session in sessions:
        # The meeting's vote on the floor is still open, half cast (tests/meetings/test_demo.py reads it).
        for vote in session.votes.filter(closed_at__isnull=False):
            # Every seat on the roll voted, but an officer's on the figures that bound their own pay.
            barred = session.roll.filter(attended_by_id__in=list(vote_barred(vote))).count()
            assert vote.delegate_votes.count() == session.roll.count() - barred

    member = Member.objects.get(person__email=f"member@{EMAIL_DOMAIN}")
    # Open: the member's assembly's ballot, its vote on the appeal of a refused applicant (the membership
    # demo's: an appeal puts itself to the assembly), and Congress's vote on the floor of the meeting.
    open_votes = Vote.objects.filter(closed_at__isnull=True)
    assert sorted(v.body.code for v in open_votes) == sorted([member.current_unit.code] * 2 + ["CONGRESS"])
    assert open_votes.exclude(motion__moved_on="").filter(body=member.current_unit).count() == 1
    assert not YesNoRegisterEntry.objects.filter(box__vote__in=open_votes, member=member).exists()
    assert chain_verify(organisation_id=org.pk).ok


def test_the_seat_form_links_its_help_and_a_refused_choice_to_their_fields(fed: Fed) -> None:
    """The reason is described by its help, on the page; sending no choice, the choices are described by
    the refusal."""
    _, vote = council_vote(fed)
    form = as_member(fed, 3).get(url(fed, "mandates:seat_vote", vote_id=vote)).content.decode()
    assert unlinked_errors(form) == []
    assert 'aria-describedby="id_reason_helptext"' in form and 'id="id_reason_helptext"' in form
    refused = as_member(fed, 3).post(url(fed, "mandates:seat_vote", vote_id=vote), {}).content.decode()
    assert unlinked_errors(refused) == []
    assert '<fieldset aria-describedby="id_choice_error">' in refused
    assert re.search(r'<div class="error" role="alert" id="id_choice_error">', refused)


def test_a_departure_without_a_reason_is_refused_beside_the_reason(fed: Fed) -> None:
    """Departing from an instructed mandate with no reason: the refusal is the reason field's own error,
    which the field is described by and marked invalid with, not an error of the whole form."""
    _, vote = council_vote(fed)
    refused = as_member(fed, 3).post(
        url(fed, "mandates:seat_vote", vote_id=vote), {"choice": "yes", "reason": ""}
    )
    page = refused.content.decode()
    assert refused.status_code == 400
    assert unlinked_errors(page) == []
    assert 'id="vote-errors"' not in page
    textarea = re.search(r"<textarea[^>]*>", page)
    assert textarea is not None
    assert 'aria-invalid="true"' in textarea.group(0)
    assert "id_reason_error" in textarea.group(0)
    assert re.search(r'id="id_reason_error">[^<]*give your reason', page)
    assert not DelegateVote.objects.filter(vote_id=vote).exists()
