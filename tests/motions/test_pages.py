"""The motion, vote, session and referral pages: what each shows, what a member can do through them
without JavaScript, and who is refused."""

from __future__ import annotations

import html
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commune.accounts.models import User
from commune.accounts.services import user_create
from commune.ballots.models import YesNoEncryptedPaper, YesNoRegisterEntry
from commune.federation.services import delegation_seat
from commune.motions.models import (
    Amendment,
    CouncilSession,
    DelegateVote,
    Motion,
    MotionStatus,
    Referral,
    RollEntry,
    Vote,
)
from tests.clock import Clock, current_term, let_vote_run, wait_for_session
from tests.conftest import PASSWORD, build_federation
from tests.motions.conftest import Fed, all_vote, cast, close, move, on_agenda, put, sitting

pytestmark = pytest.mark.django_db


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def as_member(fed: Fed, n: int) -> Client:
    return client_of(fed.members[f"m{n}"].person)


def text_of(page: bytes) -> str:
    """The page's text with tags dropped and whitespace squeezed, for assertions about what it says."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.decode())))


def url(fed: Fed, name: str, **kwargs: object) -> str:
    return reverse(name, kwargs={"slug": fed.slug, **kwargs})


def adopted_in_unit(fed: Fed) -> int:
    """A motion moved in D0-U0 by m1, supported by m2, adopted by the unit's secret ballot (4 yes, 1 no)."""
    motion = on_agenda(fed, 1, "D0-U0", supporter=2)
    vote = put(fed, 1, motion)
    all_vote(fed, vote, {1: "yes", 2: "yes", 3: "yes", 4: "yes", 5: "no"})
    close(fed, 1, vote)
    return motion


def test_anonymous_visitors_are_sent_to_sign_in_and_outsiders_get_404(fed: Fed) -> None:
    """Every page needs a signed-in member; a person of another organisation finds nothing there,
    exactly as if it did not exist."""
    motion = adopted_in_unit(fed)
    vote = Vote.objects.filter(motion_id=motion).first()
    assert vote is not None
    session = sitting(fed, "D0", 3, 6)
    pages = [
        url(fed, "motions:of_body", code="D0-U0"),
        url(fed, "motions:move", code="D0-U0"),
        url(fed, "motions:sessions", code="D0"),
        url(fed, "motions:detail", motion_id=motion),
        url(fed, "motions:amend", motion_id=motion),
        url(fed, "motions:vote", vote_id=vote.pk),
        url(fed, "motions:session", session_id=session),
    ]
    outsider = user_create(email="outsider@x.example", name="Outsider", password=PASSWORD)
    other = build_federation(slug="other")
    for page in pages:
        anonymous = Client().get(page)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("accounts:login"))
        assert client_of(outsider).get(page).status_code == 404, page
        assert client_of(other.member).get(page).status_code == 404, page
    # Another organisation's motion under this organisation's address is as missing as a made-up one.
    foreign = move_in_other(other)
    assert as_member(fed, 1).get(url(fed, "motions:detail", motion_id=foreign)).status_code == 404
    assert as_member(fed, 1).get(url(fed, "motions:detail", motion_id=999999)).status_code == 404


def move_in_other(other: object) -> int:
    from commune.motions.services import motion_move

    member = other.members["m1"]  # type: ignore[attr-defined]
    return motion_move(body=member.current_unit, member=member, title="Elsewhere", text="Not yours").pk


def test_a_member_moves_a_motion_through_the_form_and_a_non_member_of_the_body_is_refused(fed: Fed) -> None:
    """m1 moves a motion in their own unit and lands on its page; m6, of another unit, is refused with
    the reason shown on the form and nothing is created."""
    response = as_member(fed, 1).post(
        url(fed, "motions:move", code="D0-U0"),
        {"title": "Evening meetings", "text": "The branch shall meet after the late shift."},
    )
    motion = Motion.objects.get(title="Evening meetings")
    assert response.status_code == 302 and response["Location"] == url(
        fed, "motions:detail", motion_id=motion.pk
    )
    page = text_of(as_member(fed, 2).get(response["Location"]).content)
    assert "Gathering supporters" in page and "Support this motion" in page

    refused = as_member(fed, 6).post(
        url(fed, "motions:move", code="D0-U0"), {"title": "Not mine", "text": "Some text."}
    )
    assert refused.status_code == 403
    assert "Only members of Unit 0.0 may move a motion there." in text_of(refused.content)
    assert not Motion.objects.filter(title="Not mine").exists()
    # The body's page offers moving only to those who sit in it.
    assert "Move a motion" in text_of(
        as_member(fed, 1).get(url(fed, "motions:of_body", code="D0-U0")).content
    )
    assert "Move a motion" not in text_of(
        as_member(fed, 6).get(url(fed, "motions:of_body", code="D0-U0")).content
    )


def test_support_puts_a_motion_on_the_agenda_and_an_amendment_shows_what_it_changes(fed: Fed) -> None:
    """A supporter's click puts the motion on the agenda; an amendment proposed through the form is shown
    word by word, removed words struck and added words marked, and line by line."""
    motion = move(fed, 1, "D0-U0")["id"]
    supported = as_member(fed, 2).post(url(fed, "motions:support", motion_id=motion))
    assert supported.status_code == 302
    assert Motion.objects.get(pk=motion).status == MotionStatus.ON_AGENDA
    again = as_member(fed, 2).post(url(fed, "motions:support", motion_id=motion), follow=True)
    assert "You already support this motion." in text_of(again.content)

    amended = as_member(fed, 4).post(
        url(fed, "motions:amend", motion_id=motion),
        {"text": "The union shall open a hardship fund.\nIt shall be audited.", "reason": "Broader."},
    )
    assert amended.status_code == 302
    assert Amendment.objects.filter(motion_id=motion).count() == 1
    page = as_member(fed, 5).get(url(fed, "motions:detail", motion_id=motion)).content.decode()
    assert "<del>strike</del>" in page and "<ins>hardship</ins>" in page
    assert (
        "- The union shall open a strike fund." in page and "+ The union shall open a hardship fund." in page
    )
    assert "Put this amendment to the vote" in page
    unchanged = as_member(fed, 4).post(
        url(fed, "motions:amend", motion_id=motion),
        {"text": "The union shall open a strike fund.\nIt shall be audited.", "reason": ""},
    )
    assert unchanged.status_code == 400
    assert "The amendment does not change the motion's text." in text_of(unchanged.content)


def test_a_unit_votes_by_secret_ballot_on_the_page_and_the_result_explains_its_thresholds(
    fed: Fed, clock: Clock
) -> None:
    """The unit's assembly votes secretly, as the constitution says: each member casts on the vote page,
    the register records that they voted and the box what, with nothing linking them; a second vote is
    refused on the page; once counted, the page shows the figures and the quorum and majority tested."""
    motion = on_agenda(fed, 1, "D0-U0", supporter=2)
    put_response = as_member(fed, 1).post(url(fed, "motions:put", motion_id=motion), {"minutes": 60 * 24})
    vote = Vote.objects.get(motion_id=motion)
    assert put_response["Location"] == url(fed, "motions:vote", vote_id=vote.pk)
    ballot = text_of(as_member(fed, 3).get(put_response["Location"]).content)
    assert "Cast my vote" in ballot and "Your vote is secret" in ballot
    assert "Quorum: at least 10% of everyone entitled to vote must take part" in ballot
    assert "Majority: more than 50% of the votes cast" in ballot

    for n, choice in {1: "yes", 2: "yes", 3: "no", 4: "yes", 5: "abstain"}.items():
        response = as_member(fed, n).post(url(fed, "motions:vote", vote_id=vote.pk), {"choice": choice})
        assert response.status_code == 302, text_of(response.content)
    assert (
        YesNoRegisterEntry.objects.filter(box__vote=vote).count()
        == YesNoEncryptedPaper.objects.filter(box__vote=vote).count()
        == 5
    )
    twice = as_member(fed, 1).post(url(fed, "motions:vote", vote_id=vote.pk), {"choice": "no"})
    assert twice.status_code == 409
    assert "already voted" in text_of(twice.content)
    outsider = as_member(fed, 6).post(url(fed, "motions:vote", vote_id=vote.pk), {"choice": "no"})
    assert outsider.status_code == 403
    assert "You are not entitled to vote on this question." in text_of(outsider.content)

    let_vote_run(vote)
    as_member(fed, 9).post(url(fed, "motions:vote_close", vote_id=vote.pk))
    page = text_of(as_member(fed, 9).get(url(fed, "motions:vote", vote_id=vote.pk)).content)
    assert "Carried : 3 yes, 1 no, 1 abstain, of 5 entitled to vote" in page
    assert "A secret ballot: only the totals are ever shown" in page
    assert Motion.objects.get(pk=motion).status == MotionStatus.ADOPTED


def test_forwarding_lands_the_motion_on_the_council_agenda_with_its_provenance(fed: Fed) -> None:
    """Members of the adopting unit see the forward button and use it; the district's copy is on its
    agenda and its page shows the line: the unit where it was moved, its adopting vote's figures, and
    who forwarded it. A member elsewhere sees no forward button."""
    motion = adopted_in_unit(fed)
    assert "Forward to District 0" not in text_of(
        as_member(fed, 6).get(url(fed, "motions:detail", motion_id=motion)).content
    )
    assert "Forward to District 0" in text_of(
        as_member(fed, 2).get(url(fed, "motions:detail", motion_id=motion)).content
    )
    response = as_member(fed, 2).post(url(fed, "motions:forward", motion_id=motion))
    forwarded = Motion.objects.get(forwarded_from_id=motion)
    assert response["Location"] == url(fed, "motions:detail", motion_id=forwarded.pk)
    assert forwarded.status == MotionStatus.ON_AGENDA and forwarded.body.code == "D0"

    page = text_of(as_member(fed, 11).get(response["Location"]).content)
    line = page.split("Where it came from")[1].split("Amendments")[0]
    assert line.index("Unit 0.0") < line.index("District 0")
    assert "Moved by Member 001" in line and "adopted by its vote : 4 yes, 1 no, 0 abstain" in line
    assert "forwarded by Member 002" in line
    body_page = as_member(fed, 11).get(url(fed, "motions:of_body", code="D0")).content
    agenda = text_of(body_page.split(b'id="agenda"')[1].split(b'id="gathering"')[0])
    assert f"{forwarded.title} On the agenda — forwarded by Unit 0.0" in agenda
    again = as_member(fed, 2).post(url(fed, "motions:forward", motion_id=motion), follow=True)
    assert "already been forwarded" in text_of(again.content)


def test_a_council_sits_takes_the_roll_and_shows_every_seats_vote(fed: Fed) -> None:
    """A delegate opens a session through the form; delegates sign the roll; a motion put in session is
    voted seat by seat; the session page shows the roll and each delegate's choice. A member who holds no
    seat cannot open a session, sign the roll or cast a seat's vote."""
    motion = on_agenda(fed, 3, "D0", supporter=6)
    refused = as_member(fed, 1).post(url(fed, "motions:sessions", code="D0"), {"title": "Not mine"})
    assert refused.status_code == 403
    assert "Only delegates seated on District 0 may open its session." in text_of(refused.content)

    opened = as_member(fed, 3).post(url(fed, "motions:sessions", code="D0"), {"title": "March sitting"})
    session = CouncilSession.objects.get(title="March sitting")
    assert opened["Location"] == url(fed, "motions:session", session_id=session.pk)
    wait_for_session(session)
    for n in (3, 6):
        as_member(fed, n).post(url(fed, "motions:roll", session_id=session.pk))
    outsider = as_member(fed, 1).post(url(fed, "motions:roll", session_id=session.pk), follow=True)
    assert "You are not on the roll: Only the delegates seated on District 0" in text_of(outsider.content)
    assert RollEntry.objects.filter(session=session).count() == 2

    as_member(fed, 3).post(url(fed, "motions:put", motion_id=motion), {"minutes": 60})
    vote = Vote.objects.get(motion_id=motion, session=session)
    not_a_delegate = as_member(fed, 1).post(url(fed, "mandates:seat_vote", vote_id=vote.pk), {"choice": "no"})
    assert not_a_delegate.status_code == 403
    assert "Only the delegates present at the session" in text_of(not_a_delegate.content)
    assembly_form = as_member(fed, 1).post(url(fed, "motions:vote", vote_id=vote.pk), {"choice": "no"})
    assert assembly_form.status_code == 403
    assert DelegateVote.objects.filter(vote=vote).count() == 0
    for n, choice in ((3, "yes"), (6, "no")):
        cast_response = as_member(fed, n).post(
            url(fed, "mandates:seat_vote", vote_id=vote.pk), {"choice": choice}
        )
        assert cast_response.status_code == 302

    page = text_of(as_member(fed, 20).get(url(fed, "motions:session", session_id=session.pk)).content)
    roll = page.split("Roll: 2 seats present")[1].split("Votes")[0]
    assert "Unit 0.0 Member 003 the delegate" in roll and "Unit 0.1 Member 006 the delegate" in roll
    votes = page.split("Votes")[-1]
    assert "Unit 0.0 Member 003 Yes 1 no mandate given" in votes
    assert "Unit 0.1 Member 006 No 1 no mandate given" in votes


def test_a_council_refers_a_question_to_the_assemblies_and_the_results_are_shown_per_unit(
    fed: Fed, clock: Clock
) -> None:
    """District 0 refers a motion to its units' assemblies by its vote in session; each unit votes on its
    own ballot page; the referral page shows each unit's figures and the membership's decision summed."""
    motion = on_agenda(fed, 3, "D0", supporter=6)
    session = sitting(fed, "D0", 3, 6)
    response = as_member(fed, 3).post(
        url(fed, "motions:refer", motion_id=motion), {"to": "assemblies", "referral_days": 7}
    )
    refer_vote = Vote.objects.get(motion_id=motion, session_id=session, purpose="refer")
    assert response["Location"] == url(fed, "motions:vote", vote_id=refer_vote.pk)
    all_vote(fed, refer_vote.pk, {3: "yes", 6: "yes"})
    close(fed, 3, refer_vote.pk)
    referral = Referral.objects.get(motion_id=motion)
    votes = {v.body.code: v for v in Vote.objects.filter(referral=referral).select_related("body")}
    assert set(votes) == {"D0-U0", "D0-U1"}

    ballot = text_of(as_member(fed, 7).get(url(fed, "motions:vote", vote_id=votes["D0-U1"].pk)).content)
    assert "Cast my vote" in ballot and "Part of a question District 0 referred down" in ballot
    for n in range(1, 6):
        as_member(fed, n).post(url(fed, "motions:vote", vote_id=votes["D0-U0"].pk), {"choice": "yes"})
    for n in range(6, 11):
        as_member(fed, n).post(
            url(fed, "motions:vote", vote_id=votes["D0-U1"].pk), {"choice": "no" if n < 9 else "yes"}
        )
    close(fed, 1, votes["D0-U0"].pk)
    close(fed, 6, votes["D0-U1"].pk)

    page = text_of(as_member(fed, 15).get(url(fed, "motions:referral", referral_id=referral.pk)).content)
    assert "Carried : 7 yes, 3 no, 0 abstain, of 10 entitled to vote" in page
    assert "1 unit carried it, 1 did not" in page
    assert "Unit 0.0 5 0 0 5 100% carried" in page
    assert "Unit 0.1 2 3 0 5 100% not carried" in page
    assert (
        url(fed, "motions:referral", referral_id=referral.pk)
        in as_member(fed, 1).get(url(fed, "motions:detail", motion_id=motion)).content.decode()
    )


def test_a_referendum_ballot_is_secret_and_its_rule_names_the_industrial_action_preset(fed: Fed) -> None:
    """Congress refers an industrial-action motion to a referendum: every member's ballot page says it is
    secret, and the thresholds include the Trade Union Act turnout."""
    motion = on_agenda(fed, 3, "CONGRESS", supporter=11, industrial_action=True)
    session = sitting(fed, "CONGRESS", 3, 11)
    as_member(fed, 3).post(
        url(fed, "motions:refer", motion_id=motion), {"to": "referendum", "referral_days": 7}
    )
    refer_vote = Vote.objects.get(motion_id=motion, session_id=session)
    all_vote(fed, refer_vote.pk, {3: "yes", 11: "yes"})
    close(fed, 3, refer_vote.pk)
    referendum = Vote.objects.get(motion_id=motion, purpose="referral")
    page = text_of(as_member(fed, 17).get(url(fed, "motions:vote", vote_id=referendum.pk)).content)
    assert "as a referendum of all 20 members within it, on the secret ballot" in page
    assert "Turnout: at least 50% of the electorate must vote" in page
    assert "Trade Union Act 2016" in page
    assert "Your vote is secret" in page
    assert (
        as_member(fed, 17)
        .post(url(fed, "motions:vote", vote_id=referendum.pk), {"choice": "yes"})
        .status_code
        == 302
    )
    assert YesNoRegisterEntry.objects.filter(box__vote=referendum).count() == 1


def _session_page_queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def test_the_session_page_is_constant_in_queries_as_the_council_and_its_votes_grow(fed: Fed) -> None:
    """One vote of two seats or four votes of four seats: the session page costs the same queries."""
    reader = as_member(fed, 20)
    session = sitting(fed, "D0", 3, 6)
    path = url(fed, "motions:session", session_id=session)

    def council_vote(voters: list[int]) -> None:
        vote = put(fed, 3, on_agenda(fed, 3, "D0", supporter=6), session=session)
        for n in voters:
            assert cast(fed, n, vote, "yes").status_code == 201
        close(fed, 3, vote)

    council_vote([3, 6])
    small = _session_page_queries(reader, path)
    for n in (4, 5):
        delegation_seat(
            council=fed.small.districts[0],
            constituency=fed.small.units[0],
            member=fed.members[f"m{n}"],
            term_start=current_term()[0],
            term_end=current_term()[1],
            source="test election",
        )
        assert fed.api(n).post(f"/orgs/{fed.slug}/sessions/{session}/roll").status_code == 201
    for _ in range(3):
        council_vote([3, 4, 5, 6])
    assert _session_page_queries(reader, path) == small
    assert small <= 15, small
    assert text_of(reader.get(path).content).count("Unit 0.0 Member 005 Yes 1") == 3
