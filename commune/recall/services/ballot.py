"""Recall: the secret recall ballot of the seat's electorate, when the constitution asks for one
(see ``recall``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from fractions import Fraction

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.ballots.selectors import yes_no_turnout
from commune.ballots.services import yes_no_box_open, yes_no_cast, yes_no_seal
from commune.elections.models import ElectedSeat
from commune.federation.models import Member
from commune.motions.models import Choice
from commune.motions.thresholds import rule_from_json, rule_to_json
from commune.notifications.services import notification_send
from commune.recall.errors import RecallConflict, RecallError, RecallNotEntitled
from commune.recall.models import RecallBallot, RecallPetition, RecallStatus
from commune.recall.services.common import (
    people_of,
    petition_electorate,
    petition_link,
    petition_lock,
    recall_may_take_part,
    seat_label,
    seat_with_holder,
)
from commune.recall.services.countback import holder_remove
from commune.tally.yes_no import YesNoRule, yes_no
from commune.translation import deferred

#: How long a recall ballot stays open once the petition reaches its threshold.
RECALL_BALLOT_PERIOD = timedelta(days=7)


# --- The recall ballot ----------------------------------------------------------------------------------


def _ballot_rule(majority: str) -> YesNoRule:
    """The recall ballot's rule, from the majority the petition copied from the constitution when it
    opened; stored with the ballot, which is counted under it."""
    share = Fraction(majority)
    # As for every decision: a half is "more than", any larger share "at least".
    return YesNoRule(
        name=f"recall ballot majority ({majority})", majority=share, majority_strict=share == Fraction(1, 2)
    )


def recall_ballot_open(petition: RecallPetition, seat: ElectedSeat, now: datetime) -> RecallBallot:
    """Open the recall ballot of the petition's electorate, as fixed when the petition opened: the same
    members who could sign it vote in it, whatever the roll says now."""
    rule = _ballot_rule(petition.ballot_majority)
    return RecallBallot.objects.create(
        petition=petition,
        question=f"Recall {petition.holder.person.name} from their {seat_label(seat)}?",
        rule=rule_to_json(rule),
        opened_at=now,
        closes_at=now + RECALL_BALLOT_PERIOD,
        box=yes_no_box_open(),
        electorate=petition.electorate_size,
    )


def recall_ballot_cast(*, petition: RecallPetition, member: Member, choice: str) -> None:
    """A member's secret vote in the recall ballot: the register notes that they voted and the box
    receives the choice, with nothing linking them. One vote each, final once cast."""
    if choice not in Choice.values:
        raise RecallError(_("vote yes, no or abstain, not %(choice)r") % {"choice": choice})
    with transaction.atomic():
        ballot = RecallBallot.objects.select_for_update().filter(petition_id=petition.pk).first()
        if ballot is None:
            raise RecallConflict(_("this petition has no recall ballot"))
        if ballot.closed_at is not None or timezone.now() >= ballot.closes_at:
            raise RecallConflict(_("this recall ballot has closed"))
        if not recall_may_take_part(member=member, petition=petition):
            raise RecallNotEntitled(
                _(
                    "only the electorate that elected this holder, as it stood when the petition opened, may "
                    "vote on recalling them"
                )
            )
        assert ballot.box_id is not None
        if not yes_no_cast(box_id=ballot.box_id, member=member, choice=choice):
            raise RecallConflict(_("you have already voted in this recall ballot"))


def recall_ballot_close(*, petition: RecallPetition, actor: Actor = SYSTEM) -> RecallPetition:
    """Count the recall ballot once its time is up or the whole electorate has voted, and carry out the
    result: removal and replacement, or the holder stays. Anyone may ask; nobody can close it early."""
    with transaction.atomic():
        petition = petition_lock(petition.pk)
        ballot = RecallBallot.objects.select_for_update().filter(petition=petition).first()
        if ballot is None:
            raise RecallConflict(_("this petition has no recall ballot"))
        if ballot.closed_at is not None:
            raise RecallConflict(_("this recall ballot has already been counted"))
        now = timezone.now()
        assert ballot.box_id is not None
        voted = yes_no_turnout(box_id=ballot.box_id)
        if now < ballot.closes_at and voted < ballot.electorate:
            raise RecallConflict(
                _("the recall ballot is still open: it is counted when its time is up or everyone has voted")
            )
        # Sealed: shuffled and rewritten with fresh keys, so not even the rows' order remembers the
        # order of casting.
        totals = yes_no_seal(box_id=ballot.box_id)
        result = yes_no(
            yes=totals[Choice.YES],
            no=totals[Choice.NO],
            abstain=totals[Choice.ABSTAIN],
            electorate=ballot.electorate,
            rule=rule_from_json(ballot.rule),
        )
        ballot.yes, ballot.no, ballot.abstain = result.yes, result.no, result.abstain
        ballot.carried, ballot.explanation, ballot.closed_at = result.passed, result.explanation, now
        ballot.save(update_fields=["yes", "no", "abstain", "carried", "explanation", "closed_at"])
        seat = seat_with_holder(petition.seat_id)
        outcome = "carried: the holder is recalled" if ballot.carried else "not carried: the holder stays"
        log_entry_record(
            organisation=petition.organisation,
            action="recall.ballot_counted",
            body_id=petition.body_id,
            actor=actor,
            summary=f"Recall ballot on member {petition.holder.number}'s {seat_label(seat)} {outcome} "
            f"({ballot.yes} yes, {ballot.no} no, {ballot.abstain} abstain of {ballot.electorate})",
            payload={
                "petition": petition.pk,
                "yes": ballot.yes,
                "no": ballot.no,
                "abstain": ballot.abstain,
                "electorate": ballot.electorate,
                "carried": ballot.carried,
                "explanation": ballot.explanation,
            },
        )
        notification_send(
            people=[*people_of(petition_electorate(petition=petition)), petition.holder.person],
            kind="recall.ballot_result",
            subject=deferred(
                gettext_lazy("Recall ballot on %(name)s: carried, the holder is recalled")
                if ballot.carried
                else gettext_lazy("Recall ballot on %(name)s: not carried, the holder stays"),
                name=petition.holder.person.name,
            ),
            body=deferred(
                gettext_lazy(
                    "%(question)s %(yes)s yes, %(no)s no, %(abstain)s abstain of %(electorate)s electors. "
                    "%(explanation)s"
                ),
                question=ballot.question,
                yes=ballot.yes,
                no=ballot.no,
                abstain=ballot.abstain,
                electorate=ballot.electorate,
                explanation=ballot.explanation,
            ),
            link=petition_link(petition),
        )
        if ballot.carried:
            holder_remove(petition, seat, now, actor, ballot)
        else:
            petition.status, petition.decided_at = RecallStatus.RETAINED, now
            petition.save(update_fields=["status", "decided_at"])
    return petition
