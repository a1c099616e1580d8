"""Every elector is told when a vote opens: the notice an assembly's or a referendum's vote owes its members,
as a council's owes its delegates (docs/principles.md, debarring by snap vote)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from commune.federation.models import Member
from commune.notifications.models import Notification
from commune.notifications.services import notification_send
from tests.clock import Clock
from tests.motions.conftest import Fed, on_agenda, put
from tests.motions.test_referrals_api import refer

pytestmark = pytest.mark.django_db


def _told(vote_id: int) -> set[str]:
    """The member numbers of those told that ``vote_id`` is open, with a link to it."""
    people = Notification.objects.filter(kind="vote.opened", link__endswith=f"/votes/{vote_id}/").values(
        "person_id"
    )
    return set(Member.objects.filter(person_id__in=people).values_list("number", flat=True))


def test_every_member_of_an_assembly_is_told_its_vote_is_open(fed: Fed, clock: Clock) -> None:
    """m1 puts a motion to Unit 0.0's general assembly: its five members, and nobody else, are told, each with
    the question, the closing time and a link to cast their vote."""
    motion = on_agenda(fed, 1, "D0-U0", supporter=2)
    vote = put(fed, 1, motion)
    unit = Member.objects.filter(current_unit__code="D0-U0", organisation__slug=fed.slug)
    assert _told(vote) == set(unit.values_list("number", flat=True))
    assert len(_told(vote)) == 5
    notice = Notification.objects.filter(kind="vote.opened", person=fed.members["m4"].person).get()
    assert notice.subject.startswith("Unit 0.0 votes until ")
    assert "the general assembly of Unit 0.0" in notice.body and "Cast your " in notice.body


def test_every_member_is_told_a_referendum_is_open(fed: Fed, clock: Clock) -> None:
    """Congress refers a motion to a referendum: all twenty members within it are told, each once."""
    referral = refer(fed, "referendum")
    [vote] = referral["votes"]
    assert len(_told(vote["id"])) == 20
    assert (
        Notification.objects.filter(kind="vote.opened", link__endswith=f"/votes/{vote['id']}/").count() == 20
    )
    assert (
        "every member within Congress"
        in Notification.objects.filter(person=fed.members["m20"].person).latest("pk").body
    )


def test_a_question_written_over_several_lines_is_announced_in_a_one_line_subject(
    fed: Fed, django_capture_on_commit_callbacks: Any
) -> None:
    """A mail header holds no newline: the subject quoting a question of several lines is one line, and the
    mail goes (before, sending it raised, and closing the vote that announced it failed)."""
    person = fed.members["m1"].person
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(
            people=[person], kind="vote.opened", subject="Unit votes: Levy.\nIt is due.", body="b"
        )
    assert [m.subject for m in mail.outbox] == ["Unit votes: Levy. It is due."]


def test_a_long_question_is_announced_in_a_subject_that_fits_and_in_full_in_the_body(
    fed: Fed, django_capture_on_commit_callbacks: Any
) -> None:
    """A question longer than a subject's column is cut with an ellipsis there (PostgreSQL refused the
    whole vote before), and stated whole in the body."""
    question = "Adopt the motion: " + "the union shall hold the line " * 20
    person = fed.members["m1"].person
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(people=[person], kind="vote.opened", subject=question, body=question)
    stored = Notification.objects.get(person=person, kind="vote.opened")
    assert len(stored.subject) <= 250 and stored.subject.endswith("…")
    assert stored.subject[:-1] == question[:249].rstrip()
    assert stored.body == question and mail.outbox[0].subject == stored.subject
